//! Lists N items through the item iterator and prints items/s (compare with bench/ik_bench.c).
//!
//!   INVITEKIT_BASE_URL=http://127.0.0.1:PORT cargo run --release --example bench_list -- [N] [page_size] [kind]
//!
//! kind: openai (default), twilio-users, fastly. Start the emulator with `--seed N` (N ≥ the count).
use std::time::Instant;

/// User + system CPU time of this process in seconds (/proc/self/stat, clock ticks of 1/100 s).
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

use invitekit::{Client, ListOptions};

fn main() -> Result<(), invitekit::Error> {
    let mut args = std::env::args().skip(1);
    let n: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let page_size: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    let kind = args.next().unwrap_or_else(|| "openai".to_owned());
    let url = std::env::var("INVITEKIT_BASE_URL").unwrap_or_else(|_| "http://127.0.0.1:8765".to_owned());
    let client = Client::builder()
        .ignore_env(true)
        .no_proxy_env(true)
        .base_url_for_all(&url)
        .openai_admin_key("sk-admin-emulator")
        .twilio_credentials("AC00000000000000000000000000000000", "emulator-twilio-token")
        .fastly_api_token("emulator-fastly-token")
        .build()?;
    let list = ListOptions::new().page_size(page_size).max_items(n);
    let start = Instant::now();
    let cpu0 = cpu_secs();
    let mut count = 0u64;
    let mut bytes = 0usize;
    match kind.as_str() {
        "twilio-users" => {
            for u in client.twilio_user_pager("IS00000000000000000000000000000000", &list)? {
                let u = u?;
                bytes += u.sid().map_or(0, str::len) + u.identity().map_or(0, str::len);
                count += 1;
            }
        }
        "fastly" => {
            for i in client.fastly_invitation_pager(&list)? {
                let i = i?;
                bytes += i.id().map_or(0, str::len) + i.email().map_or(0, str::len);
                count += 1;
            }
        }
        _ => {
            for i in client.openai_invite_pager(&list)? {
                let i = i?;
                bytes += i.id().map_or(0, str::len) + i.email().map_or(0, str::len);
                count += 1;
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let cpu = cpu_secs() - cpu0;
    println!(
        "{kind}: {count} items in {:.3} s wall, {:.2} s CPU = {:.0} items/s (page size {page_size}, {} connection(s), checksum {bytes})",
        secs,
        cpu,
        count as f64 / secs,
        client.connections_opened()
    );
    Ok(())
}
