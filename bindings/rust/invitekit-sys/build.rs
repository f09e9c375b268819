//! Finds libinvitekit with the standard library only (no crates).
//!
//! Order, first match wins:
//!  1. `INVITEKIT_LIB_DIR`: a directory holding libinvitekit.so (or libinvitekit.a with
//!     `INVITEKIT_STATIC=1`); the library is linked from there.
//!  2. the `pkg-config` binary: `pkg-config --libs invitekit`. Point `PKG_CONFIG_PATH` at
//!     `<build>/meson-uninstalled` to use a Meson build tree, whose `invitekit-uninstalled.pc`
//!     pkg-config then prefers. `INVITEKIT_NO_PKG_CONFIG=1` skips pkg-config everywhere.
//!  3. a bare `-linvitekit` (the library is on the linker's default path).
//!
//! `INVITEKIT_STATIC=1` links libinvitekit itself statically (`libinvitekit.a`, which the Meson
//! build puts next to the `.so` in `<build>/src` and the -dev package installs) and its own
//! dependencies (libcurl, simdjson, libstdc++, pthread) dynamically from the system, as libgit2-sys
//! links a bundled libgit2 against system libraries. It does not use `pkg-config --static`, which
//! would also expand libcurl's private dependencies (zstd, nghttp2, krb5, ldap, …) whose static
//! libraries are usually not installed, or do not exist. The dependencies come from pkg-config:
//!  * `pkg-config --print-requires-private invitekit` (libcurl, simdjson, with their version
//!    ranges), linked through the plain `pkg-config --libs` of those packages;
//!  * invitekit's own `Libs.private` (`-lstdc++ -lpthread`): what `pkg-config --static --libs
//!    invitekit` adds to `--libs invitekit` and the packages above do not account for;
//!
//! or, only when pkg-config is absent, skipped, or does not know invitekit or one of those packages,
//! from a fixed list: `-lcurl -lsimdjson -lstdc++ -lpthread`.
use std::collections::BTreeSet;
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

/// The dependencies of the static library when pkg-config cannot name them.
const FALLBACK_STATIC_DEPS: &[&str] = &["curl", "simdjson", "stdc++", "pthread"];

fn truthy(name: &str) -> bool {
    matches!(env::var(name), Ok(v) if !v.is_empty() && v != "0")
}

/// Runs `pkg-config ARGS`; `None` (with a warning) if it cannot be run or fails.
fn pkg_config(args: &[&str]) -> Option<String> {
    let program = env::var("PKG_CONFIG").unwrap_or_else(|_| "pkg-config".to_owned());
    let out = match Command::new(&program).args(args).output() {
        Ok(out) => out,
        Err(e) => {
            println!("cargo::warning={program} {}: {e}", args.join(" "));
            return None;
        }
    };
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let why = if err.trim().is_empty() { out.status.to_string() } else { err.trim().replace('\n', "; ") };
        println!("cargo::warning={program} {} failed: {why}", args.join(" "));
        return None;
    }
    String::from_utf8(out.stdout).ok()
}

/// `-L` directories and `-l` libraries, in order, without repeats.
#[derive(Default)]
struct Links {
    dirs: Vec<String>,
    libs: Vec<String>,
}

impl Links {
    fn dir(&mut self, dir: &str) {
        if !self.dirs.iter().any(|d| d == dir) {
            self.dirs.push(dir.to_owned());
        }
    }

    fn lib(&mut self, lib: &str) {
        if !self.libs.iter().any(|l| l == lib) {
            self.libs.push(lib.to_owned());
        }
    }

    fn extend(&mut self, other: &Links) {
        other.dirs.iter().for_each(|d| self.dir(d));
        other.libs.iter().for_each(|l| self.lib(l));
    }

    /// Adds pkg-config's `-L`, `-l` and `-pthread` flags (other flags are for the C compiler).
    fn add_flags(&mut self, flags: &str) {
        for flag in flags.split_whitespace() {
            if let Some(dir) = flag.strip_prefix("-L") {
                self.dir(dir);
            } else if let Some(lib) = flag.strip_prefix("-l") {
                self.lib(lib);
            } else if flag == "-pthread" {
                self.lib("pthread");
            }
        }
    }

    /// Prints the directives: libinvitekit static or as the linker finds it, every other library
    /// as a shared library.
    fn emit(&self, statik: bool) {
        for dir in &self.dirs {
            println!("cargo::rustc-link-search=native={dir}");
        }
        for lib in &self.libs {
            if lib == "invitekit" && statik {
                println!("cargo::rustc-link-lib=static=invitekit");
            } else {
                println!("cargo::rustc-link-lib={lib}");
            }
        }
    }
}

/// The `-l` libraries (and `-pthread`) of a pkg-config answer, as a set.
fn lib_flags(flags: &str) -> BTreeSet<&str> {
    flags.split_whitespace().filter(|f| f.starts_with("-l") || *f == "-pthread").collect()
}

/// libinvitekit's own dependencies, to link dynamically: see the header of this file.
/// `None` when pkg-config cannot say.
fn pkg_config_static_deps() -> Option<Links> {
    // One package per line, e.g. "libcurl >= 7.84.0"; each line is also a valid argument.
    let requires = pkg_config(&["--print-requires-private", "invitekit"])?;
    let requires: Vec<&str> = requires.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let shared = pkg_config(&["--libs", "invitekit"])?;
    let everything = pkg_config(&["--static", "--libs", "invitekit"])?;
    let (dep_libs, dep_everything) = if requires.is_empty() {
        (String::new(), String::new())
    } else {
        let mut args = vec!["--libs"];
        args.extend(&requires);
        let libs = pkg_config(&args)?;
        args.insert(0, "--static");
        (libs, pkg_config(&args)?)
    };
    // invitekit's Libs.private: the static flags neither its Libs nor its requirements explain.
    let explained: BTreeSet<&str> = lib_flags(&shared).union(&lib_flags(&dep_everything)).copied().collect();
    let mut links = Links::default();
    for flag in everything.split_whitespace() {
        if (flag.starts_with("-l") || flag == "-pthread") && !explained.contains(flag) {
            links.add_flags(flag);
        }
    }
    links.add_flags(&dep_libs);
    Some(links)
}

/// libinvitekit's own dependencies: from pkg-config unless it is skipped or cannot say.
fn static_deps(use_pkg_config: bool) -> Links {
    if use_pkg_config && let Some(links) = pkg_config_static_deps() {
        return links;
    }
    println!("cargo::warning=INVITEKIT_STATIC: linking libinvitekit.a's dependencies from a fixed list");
    let mut links = Links::default();
    for lib in FALLBACK_STATIC_DEPS {
        links.lib(lib);
    }
    links
}

/// Stops the build with a clear message when none of `dirs` holds libinvitekit.a.
fn require_archive(dirs: &[String], from: &str) {
    if !dirs.is_empty() && !dirs.iter().any(|d| Path::new(d).join("libinvitekit.a").is_file()) {
        panic!(
            "INVITEKIT_STATIC is set but there is no libinvitekit.a in {} ({from}); build the library with \
             -Ddefault_library=both (the default) or static, or install libinvitekit-dev",
            dirs.join(", ")
        );
    }
}

fn main() {
    for var in ENV_VARS {
        println!("cargo::rerun-if-env-changed={var}");
    }
    println!("cargo::rerun-if-changed=build.rs");
    let statik = truthy("INVITEKIT_STATIC");
    let use_pkg_config = !truthy("INVITEKIT_NO_PKG_CONFIG");

    // 1. INVITEKIT_LIB_DIR
    if let Ok(dir) = env::var("INVITEKIT_LIB_DIR") {
        if !Path::new(&dir).is_dir() {
            panic!("INVITEKIT_LIB_DIR={dir} is not a directory");
        }
        let mut links = Links::default();
        links.dir(&dir);
        links.lib("invitekit");
        if statik {
            require_archive(&links.dirs, "INVITEKIT_LIB_DIR");
            links.extend(&static_deps(use_pkg_config));
        }
        links.emit(statik);
        println!("cargo::metadata=lib_dir={dir}");
        return;
    }

    // 2. pkg-config
    if use_pkg_config && let Some(flags) = pkg_config(&["--libs", "invitekit"]) {
        let mut links = Links::default();
        links.add_flags(&flags);
        if links.libs.iter().any(|l| l == "invitekit") {
            if statik {
                require_archive(&links.dirs, "pkg-config --libs invitekit");
                links.extend(&static_deps(true));
            }
            links.emit(statik);
            return;
        }
        println!("cargo::warning=pkg-config --libs invitekit named no -linvitekit: {}", flags.trim());
    }

    // 3. the linker's default path (pkg-config, if any, does not know invitekit: the fixed list)
    let mut links = Links::default();
    links.lib("invitekit");
    if statik {
        links.extend(&static_deps(false));
    }
    links.emit(statik);
}
