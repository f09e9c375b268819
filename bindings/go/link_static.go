//go:build invitekit_static

package invitekit

// Static linking (go build -tags invitekit_static): pkg-config --static adds
// libinvitekit's private dependencies (libcurl, simdjson, libstdc++).

// #cgo pkg-config: --static invitekit
import "C"
