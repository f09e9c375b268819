//! The Rust side of `bench/bindings.py` (docs/BENCHMARKS.md, "Bindings"): the same job as
//! `bench/ik_bench.c list`, through the safe crate's item iterator, measured the same way.
//!
//!   bench_json list PROVIDER BASE_URL PAGE_SIZE MAX_ITEMS
//!
//! PROVIDER: openai, twilio (users of service IS000…) or fastly; MAX_ITEMS 0 = all. Reads the
//! id and the email (Twilio: sid and identity) of every item, like ik_bench. Prints one JSON line:
//! items, wall_us and cpu_us (client creation included, as in ik_bench), maxrss_kb (VmHWM of
//! this process), connections.
//!
//!   cargo build --release --offline --example bench_json
use invitekit::{Client, ListOptions};
use std::time::Instant;

#[repr(C)]
struct Timeval {
    sec: i64,
    usec: i64,
}

/// `struct rusage` of x86_64/aarch64 Linux: two timevals, then 14 longs.
#[repr(C)]
struct Rusage {
    utime: Timeval,
    stime: Timeval,
    rest: [i64; 14],
}

unsafe extern "C" {
    fn getrusage(who: i32, usage: *mut Rusage) -> i32;
}

/// User + system CPU time of the process in µs (getrusage(RUSAGE_SELF), as bench/measure.h).
fn cpu_us() -> i64 {
    let mut ru = Rusage { utime: Timeval { sec: 0, usec: 0 }, stime: Timeval { sec: 0, usec: 0 }, rest: [0; 14] };
    // SAFETY: `ru` is a valid, writable `struct rusage` of this platform's layout; RUSAGE_SELF = 0.
    if unsafe { getrusage(0, &mut ru) } != 0 {
        return -1;
    }
    (ru.utime.sec + ru.stime.sec) * 1_000_000 + ru.utime.usec + ru.stime.usec
}

/// Peak RSS in KiB: VmHWM of /proc/self/status (not ru_maxrss, see bench/measure.h).
fn maxrss_kb() -> i64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(-1)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 6 || args[1] != "list" {
        eprintln!("usage: bench_json list PROVIDER BASE_URL PAGE_SIZE MAX_ITEMS");
        std::process::exit(2);
    }
    if let Err(e) = list(&args[2], &args[3], args[4].parse().unwrap_or(100), args[5].parse().unwrap_or(0)) {
        eprintln!("bench_json: {e}");
        std::process::exit(1);
    }
}

fn list(provider: &str, base: &str, page_size: u32, max_items: u64) -> Result<(), invitekit::Error> {
    let w0 = Instant::now();
    let c0 = cpu_us();
    let client = Client::builder()
        .ignore_env(true)
        .no_proxy_env(true)
        .base_url_for_all(base)
        .openai_admin_key("sk-admin-emulator")
        .twilio_credentials("AC00000000000000000000000000000000", "emulator-twilio-token")
        .fastly_api_token("emulator-fastly-token")
        .build()?;
    let mut list = ListOptions::new().page_size(page_size);
    if max_items > 0 {
        list = list.max_items(max_items);
    }
    let mut items = 0u64;
    let mut sink = 0usize;
    match provider {
        "openai" => {
            for inv in client.openai_invite_pager(&list)? {
                let inv = inv?;
                sink += inv.id().map_or(0, str::len) + inv.email().map_or(0, str::len);
                items += 1;
            }
        }
        "twilio" => {
            for u in client.twilio_user_pager("IS00000000000000000000000000000000", &list)? {
                let u = u?;
                sink += u.sid().map_or(0, str::len) + u.identity().map_or(0, str::len);
                items += 1;
            }
        }
        "fastly" => {
            for inv in client.fastly_invitation_pager(&list)? {
                let inv = inv?;
                sink += inv.id().map_or(0, str::len) + inv.email().map_or(0, str::len);
                items += 1;
            }
        }
        other => {
            eprintln!("bench_json: unknown provider {other}");
            std::process::exit(2);
        }
    }
    let wall = w0.elapsed().as_micros();
    let cpu = cpu_us() - c0;
    std::hint::black_box(sink);
    println!(
        "{{\"items\":{items},\"wall_us\":{wall},\"cpu_us\":{cpu},\"maxrss_kb\":{},\"connections\":{}}}",
        maxrss_kb(),
        client.connections_opened()
    );
    Ok(())
}
