//go:build invitekit_static

package invitekit

// Static linking (go build -tags invitekit_static): libinvitekit itself is
// linked statically (libinvitekit.a, found in the directory pkg-config's
// -L names: the installed libdir, or <build>/src with
// PKG_CONFIG_PATH=<build>/meson-uninstalled), while its own dependencies -
// libcurl, simdjson and libstdc++ - are linked dynamically from the system.
//
// Not `pkg-config --static invitekit`: that expands libcurl's private
// dependencies too (zstd, krb5, ldap, ...), whose static libraries Debian does
// not ship. Instead:
//   - -l:libinvitekit.a names the archive exactly (searched in every -L dir,
//     whatever the order of the options);
//   - -lstdc++ follows it (the archive is C++);
//   - pkg-config (without --static) supplies the -I and -L flags, -lcurl and
//     -lsimdjson, and also a plain -linvitekit, which would add a NEEDED entry
//     for libinvitekit.so: -Wl,--as-needed before it drops that shared library,
//     whose symbols the archive already defined.
// cgo puts these LDFLAGS before the pkg-config flags, so the link line reads
//   -l:libinvitekit.a -Wl,--as-needed -lstdc++ -L<dir> -linvitekit -lcurl -lsimdjson
// run-tests.sh checks the result with readelf -d (no NEEDED libinvitekit) and
// runs it against the emulator.

// #cgo LDFLAGS: -l:libinvitekit.a -Wl,--as-needed -lstdc++
// #cgo pkg-config: invitekit libcurl simdjson
import "C"
