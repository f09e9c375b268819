package invitekit

import "runtime"

func runtimeGC() { runtime.GC() }
