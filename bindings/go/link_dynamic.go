//go:build !invitekit_static

package invitekit

// Dynamic linking against libinvitekit found through pkg-config: an installed
// library (invitekit.pc) or a build tree (PKG_CONFIG_PATH=<build>/meson-uninstalled).

// #cgo pkg-config: invitekit
import "C"
