//! Finds libinvitekit with the standard library only (no crates).
//!
//! Order, first match wins:
//!  1. `INVITEKIT_LIB_DIR`: a directory holding libinvitekit.so (or libinvitekit.a with
//!     `INVITEKIT_STATIC=1`); the library is linked from there.
//!  2. the `pkg-config` binary: `pkg-config --libs invitekit` (with `--static` when
//!     `INVITEKIT_STATIC` is set). Point `PKG_CONFIG_PATH` at `<build>/meson-uninstalled` to
//!     use a Meson build tree, whose `invitekit-uninstalled.pc` pkg-config then prefers.
//!  3. a bare `-linvitekit` (the library is on the linker's default path).
use std::env;
use std::path::Path;
use std::process::Command;

const ENV_VARS: &[&str] = &[
    "INVITEKIT_LIB_DIR",
    "INVITEKIT_STATIC",
    "INVITEKIT_NO_PKG_CONFIG",
    "PKG_CONFIG",
    "PKG_CONFIG_PATH",
    "PKG_CONFIG_LIBDIR",
    "PKG_CONFIG_SYSROOT_DIR",
];

fn truthy(name: &str) -> bool {
    matches!(env::var(name), Ok(v) if !v.is_empty() && v != "0")
}

/// Turns pkg-config's `-L`/`-l` flags into cargo directives. Returns false if no `-l` was seen.
fn emit_flags(flags: &str, statik: bool) -> bool {
    let mut saw_lib = false;
    for flag in flags.split_whitespace() {
        if let Some(dir) = flag.strip_prefix("-L") {
            println!("cargo::rustc-link-search=native={dir}");
        } else if let Some(lib) = flag.strip_prefix("-l") {
            saw_lib = true;
            if lib == "invitekit" && statik {
                println!("cargo::rustc-link-lib=static=invitekit");
            } else {
                println!("cargo::rustc-link-lib={lib}");
            }
        } else if flag == "-pthread" {
            println!("cargo::rustc-link-lib=pthread");
        }
    }
    saw_lib
}

/// The dependencies of the static library when pkg-config cannot say.
fn emit_static_deps() {
    for lib in ["curl", "simdjson", "stdc++", "pthread"] {
        println!("cargo::rustc-link-lib={lib}");
    }
}

fn pkg_config(statik: bool) -> Option<String> {
    let program = env::var("PKG_CONFIG").unwrap_or_else(|_| "pkg-config".to_owned());
    let mut cmd = Command::new(program);
    cmd.arg("--libs");
    if statik {
        cmd.arg("--static");
    }
    cmd.arg("invitekit");
    let out = cmd.output().ok()?;
    if !out.status.success() {
        println!("cargo::warning=pkg-config --libs invitekit failed: {}", String::from_utf8_lossy(&out.stderr).trim());
        return None;
    }
    String::from_utf8(out.stdout).ok()
}

fn main() {
    for var in ENV_VARS {
        println!("cargo::rerun-if-env-changed={var}");
    }
    println!("cargo::rerun-if-changed=build.rs");
    let statik = truthy("INVITEKIT_STATIC");

    if let Ok(dir) = env::var("INVITEKIT_LIB_DIR") {
        if !Path::new(&dir).is_dir() {
            panic!("INVITEKIT_LIB_DIR={dir} is not a directory");
        }
        println!("cargo::rustc-link-search=native={dir}");
        if statik {
            println!("cargo::rustc-link-lib=static=invitekit");
            // The static library needs its own dependencies: ask pkg-config, else guess.
            match pkg_config(true) {
                Some(flags) => {
                    let deps: Vec<&str> =
                        flags.split_whitespace().filter(|f| *f != "-linvitekit" && !f.starts_with("-L")).collect();
                    if !emit_flags(&deps.join(" "), true) {
                        emit_static_deps();
                    }
                }
                None => emit_static_deps(),
            }
        } else {
            println!("cargo::rustc-link-lib=dylib=invitekit");
        }
        println!("cargo::metadata=lib_dir={dir}");
        return;
    }

    if !truthy("INVITEKIT_NO_PKG_CONFIG")
        && let Some(flags) = pkg_config(statik)
        && emit_flags(&flags, statik)
    {
        return;
    }

    println!("cargo::rustc-link-lib={}invitekit", if statik { "static=" } else { "" });
    if statik {
        emit_static_deps();
    }
}
