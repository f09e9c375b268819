//! Compares every `extern "C"` declaration of src/lib.rs with tests/abi/functions.txt (generated
//! from the C headers): same set of functions, same parameter and return types.
use std::collections::BTreeMap;
use std::path::PathBuf;

fn repo_file(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../..").join(rel)
}

/// Maps one normalized C type ("const char* const*", "ik_error**") to its Rust spelling.
fn c_to_rust(c: &str) -> String {
    let spaced = c.replace('*', " * ");
    let toks: Vec<&str> = spaced.split_whitespace().collect();
    assert!(!toks.is_empty(), "empty C type");
    let mut i = 0;
    let mut is_const = false;
    if toks[0] == "const" {
        is_const = true;
        i = 1;
    }
    let base = toks[i];
    i += 1;
    let mut rust = match base {
        // `void*` (user data) is `*mut c_void`; a bare `void` return is `()`.
        "void" if toks[i..].contains(&"*") => "c_void",
        "void" => "()",
        "int32_t" => "i32",
        "uint32_t" => "u32",
        "int64_t" => "i64",
        "uint8_t" => "u8",
        "size_t" => "usize",
        "char" => "c_char",
        other => other,
    }
    .to_string();
    while i < toks.len() {
        match toks[i] {
            "*" => {
                rust = format!("{}{}", if is_const { "*const " } else { "*mut " }, rust);
                is_const = false;
            }
            "const" => is_const = true,
            t => panic!("unexpected token {t:?} in C type {c:?}"),
        }
        i += 1;
    }
    // A trailing const (T* const) qualifies the parameter itself, not the pointee: irrelevant.
    rust
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// name -> (params' Rust types, return type) from the extern blocks of lib.rs.
fn rust_decls() -> BTreeMap<String, (Vec<String>, String)> {
    let src = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    let mut out = BTreeMap::new();
    let mut rest = src.as_str();
    while let Some(start) = rest.find("unsafe extern \"C\" {") {
        let block_start = start + "unsafe extern \"C\" {".len();
        let end = rest[block_start..].find("\n}").expect("unterminated extern block") + block_start;
        let block = &rest[block_start..end];
        for stmt in block.split(';') {
            let stmt = norm(stmt);
            let Some(pos) = stmt.find("pub fn ") else { continue };
            let stmt = &stmt[pos + "pub fn ".len()..];
            let open = stmt.find('(').unwrap();
            let close = stmt.rfind(')').unwrap();
            let name = stmt[..open].trim().to_string();
            let params: Vec<String> = stmt[open + 1..close]
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| norm(p.split_once(':').expect("param without type").1))
                .collect();
            let ret = match stmt[close + 1..].trim().strip_prefix("->") {
                Some(r) => norm(r),
                None => "()".to_string(),
            };
            assert!(out.insert(name.clone(), (params, ret)).is_none(), "{name} declared twice");
        }
        rest = &rest[end..];
    }
    out
}

#[test]
fn every_declaration_matches_functions_txt() {
    let text = std::fs::read_to_string(repo_file("tests/abi/functions.txt")).expect("tests/abi/functions.txt");
    let mut rust = rust_decls();
    let mut problems = Vec::new();
    let mut n = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 3, "bad line in functions.txt: {line:?}");
        let (name, ret, params) = (cols[0], cols[1], cols[2]);
        n += 1;
        let want_params: Vec<String> =
            if params.trim() == "void" { Vec::new() } else { params.split(',').map(|p| c_to_rust(p.trim())).collect() };
        let want_ret = c_to_rust(ret);
        match rust.remove(name) {
            None => problems.push(format!("{name}: not declared in invitekit-sys")),
            Some((got_params, got_ret)) => {
                if got_params != want_params {
                    problems.push(format!("{name}: params {got_params:?}, C says {want_params:?}"));
                }
                if got_ret != want_ret {
                    problems.push(format!("{name}: returns {got_ret}, C says {want_ret}"));
                }
            }
        }
    }
    for name in rust.keys() {
        problems.push(format!("{name}: declared in invitekit-sys but not in functions.txt"));
    }
    assert!(problems.is_empty(), "{} signature problem(s):\n{}", problems.len(), problems.join("\n"));
    assert!(n > 150, "functions.txt looks truncated ({n} entries)");
}

#[test]
fn functions_txt_and_symbols_txt_agree() {
    let funcs = std::fs::read_to_string(repo_file("tests/abi/functions.txt")).unwrap();
    let syms = std::fs::read_to_string(repo_file("tests/abi/symbols.txt")).unwrap();
    let mut a: Vec<&str> = funcs.lines().filter_map(|l| l.split('\t').next()).filter(|s| !s.is_empty()).collect();
    let mut b: Vec<&str> = syms.lines().map(str::trim).filter(|s| !s.is_empty() && !s.starts_with('#')).collect();
    a.sort_unstable();
    b.sort_unstable();
    assert_eq!(a, b);
}

#[test]
fn c_type_mapping() {
    assert_eq!(c_to_rust("const char*"), "*const c_char");
    assert_eq!(c_to_rust("const char* const*"), "*const *const c_char");
    assert_eq!(c_to_rust("const uint8_t**"), "*mut *const u8");
    assert_eq!(c_to_rust("ik_error**"), "*mut *mut ik_error");
    assert_eq!(c_to_rust("size_t"), "usize");
    assert_eq!(c_to_rust("void"), "()");
    assert_eq!(c_to_rust("void*"), "*mut c_void");
    assert_eq!(c_to_rust("ik_op_cb"), "ik_op_cb");
}
