//! Every exported C function (tests/abi/symbols.txt) is reachable from the safe crate: its source
//! calls it, or it is in the short exclusion list below, each entry justified.
use std::path::PathBuf;

/// Functions the safe crate deliberately does not call.
const EXCLUDED: &[(&str, &str)] = &[
    (
        "ik_global_cleanup",
        "drops one reference taken by ik_global_init; the binding initialises once per process \
         (OnceLock in global_init) and, like the style guide's rule for every binding, never cleans \
         up: Rust has no reliable process-exit hook and the library never calls curl_global_cleanup",
    ),
    (
        "ik_error_field",
        "Error copies every provider field through ik_error_field_count/_at before ik_error_free \
         (so fields added by a later library are kept too); Error::field(name) looks that copy up, \
         which is what ik_error_field does on the C object that no longer exists",
    ),
    (
        "ik_error_header",
        "Error copies every header of the last attempt through ik_error_header_count/_at before \
         ik_error_free; Error::header(name) looks that copy up (case-insensitive, first value), \
         which is what ik_error_header does on the C object that no longer exists",
    ),
    (
        "ik_op_error",
        "a borrowed view of a failed operation's error, valid only while the operation is held: the \
         completion callback takes the error instead (ik_op_take_error) and copies it into the \
         future's Error, so the binding never holds a C error to borrow from (as for ik_error_field)",
    ),
];

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_exported_function_is_used_or_excluded() {
    let symbols = std::fs::read_to_string(manifest().join("../../../tests/abi/symbols.txt")).expect("symbols.txt");
    let mut source = String::new();
    for entry in std::fs::read_dir(manifest().join("src")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            source.push_str(&std::fs::read_to_string(path).unwrap());
        }
    }
    let used = |name: &str| {
        let needle = format!("sys::{name}");
        source.match_indices(&needle).any(|(i, _)| {
            let next = source[i + needle.len()..].chars().next().unwrap_or(' ');
            !(next.is_ascii_alphanumeric() || next == '_')
        })
    };
    let mut missing = Vec::new();
    let mut count = 0;
    for name in symbols.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        count += 1;
        let excluded = EXCLUDED.iter().any(|(n, _)| *n == name);
        match (used(name), excluded) {
            (true, true) => missing.push(format!("{name}: used but still in the exclusion list")),
            (false, false) => missing.push(format!("{name}: neither used by the safe crate nor excluded")),
            _ => {}
        }
    }
    for (name, why) in EXCLUDED {
        assert!(!why.is_empty());
        assert!(symbols.lines().any(|l| l.trim() == *name), "{name} is excluded but not exported any more");
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    assert!(count > 150);
}
