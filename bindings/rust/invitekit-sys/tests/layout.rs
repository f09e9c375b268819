//! Compares the size, alignment and field offsets of every `#[repr(C)]` struct with the C
//! compiler's, as printed by tests/abi/layout_printer.c (built by Meson as
//! `build/tests/abi/abi_layout_printer`). The path comes from `INVITEKIT_LAYOUT_PRINTER`; without
//! it the test prints why and passes.
use std::collections::BTreeMap;
use std::mem::{align_of, offset_of, size_of};

use invitekit_sys::*;

/// Size of a field, without constructing a value.
fn field_size<S, F>(_: fn(&S) -> &F) -> usize {
    size_of::<F>()
}

macro_rules! layout {
    ($map:ident; $($s:ident { $($f:ident),* $(,)? })*) => {$(
        $map.insert(format!("struct {}", stringify!($s)), (size_of::<$s>(), align_of::<$s>()));
        $(
            $map.insert(
                format!("field {}.{}", stringify!($s), stringify!($f)),
                (offset_of!($s, $f), field_size(|s: &$s| &s.$f)),
            );
        )*
    )*};
}

fn rust_layout() -> BTreeMap<String, (usize, usize)> {
    let mut m = BTreeMap::new();
    layout! { m;
        ik_buf { data, len, reserved }
        ik_log_record { version, level, message, provider, operation, method, url, http_status, attempt, latency_us, request_id }
        ik_retry_info { version, provider, operation, attempt, status, http_status, delay_ms, server_directed }
        ik_client_options {
            version, flags, twilio_account_sid, twilio_auth_token, twilio_api_key, twilio_api_secret, twilio_edge,
            twilio_region, twilio_base_url, openai_admin_key, openai_organization, openai_project, openai_base_url,
            fastly_api_token, fastly_base_url, user_agent_suffix, connect_timeout_ms, attempt_timeout_ms, deadline_ms,
            ca_file, proxy, max_response_bytes, max_retries, jitter, retry_base_delay_ms, retry_max_delay_ms,
            max_server_wait_ms, server_wait_policy, retry_cb, retry_user_data, retry_user_data_free, log_level, log_cb,
            log_user_data, log_user_data_free, completion_mode, max_connections,
        }
        ik_call_options { version, connect_timeout_ms, attempt_timeout_ms, deadline_ms, max_retries, retry_ambiguous_posts, cancel, extra_headers, extra_headers_count }
        ik_list_options { version, page_size, max_items, cursor, provider_cursor }
        ik_openai_project_ref { id, role }
        ik_openai_invite_create_params { version, email, role, send_projects, projects, projects_count }
        ik_twilio_user_params { version, identity, role_sid, attributes, friendly_name, webhook_enabled }
        ik_fastly_service_grant { service_id, permission }
        ik_fastly_invitation_create_params { version, email, role, roles, roles_count, limit_services, customer_id, services, services_count }
    }
    m
}

#[test]
fn structs_match_the_c_layout() {
    let Ok(printer) = std::env::var("INVITEKIT_LAYOUT_PRINTER") else {
        eprintln!("SKIPPED: set INVITEKIT_LAYOUT_PRINTER to build/tests/abi/abi_layout_printer to compare layouts");
        return;
    };
    let out = std::process::Command::new(&printer).output().unwrap_or_else(|e| panic!("cannot run {printer}: {e}"));
    assert!(out.status.success(), "{printer} failed");
    let text = String::from_utf8(out.stdout).unwrap();
    let mut rust = rust_layout();
    let mut problems = Vec::new();
    let mut n = 0;
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        // "struct NAME size S align A" or "field S.F offset O size Z"
        let w: Vec<&str> = line.split_whitespace().collect();
        let (key, want) = match w.as_slice() {
            ["struct", name, "size", s, "align", a] => {
                (format!("struct {name}"), (s.parse().unwrap(), a.parse().unwrap()))
            }
            ["field", name, "offset", o, "size", s] => {
                (format!("field {name}"), (o.parse().unwrap(), s.parse().unwrap()))
            }
            _ => panic!("unexpected layout line {line:?}"),
        };
        n += 1;
        match rust.remove(&key) {
            None => problems.push(format!("{key}: missing in invitekit-sys")),
            Some(got) if got != want => problems.push(format!("{key}: Rust {got:?}, C {want:?}")),
            Some(_) => {}
        }
    }
    for key in rust.keys() {
        problems.push(format!("{key}: in invitekit-sys but not printed by the C side"));
    }
    assert!(problems.is_empty(), "layout differences:\n{}", problems.join("\n"));
    assert!(n > 90, "layout printer output looks truncated ({n} lines)");
}
