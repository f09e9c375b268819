//! Test support: starts `invitekit-emulator` (path from `INVITEKIT_EMULATOR`), talks to its
//! control endpoints with a tiny HTTP/1.1 client, and builds clients pointed at it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use invitekit::{Client, ClientBuilder};

pub mod exec;
pub mod json;

pub const SERVICE: &str = "IS00000000000000000000000000000000";
pub const CHANNEL: &str = "CH00000000000000000000000000000000";
pub const TWILIO_SID: &str = "AC00000000000000000000000000000000";
pub const TWILIO_TOKEN: &str = "emulator-twilio-token";
pub const OPENAI_KEY: &str = "sk-admin-emulator";
pub const FASTLY_TOKEN: &str = "emulator-fastly-token";

unsafe extern "C" {
    // POSIX kill(2), from the C library every Rust program on Linux links anyway.
    fn kill(pid: i32, sig: i32) -> i32;
}
const SIGTERM: i32 = 15;

/// A running emulator, stopped by its PID (SIGTERM, then SIGKILL after 10 s) when dropped.
pub struct Emulator {
    child: Child,
    pub url: String,
    host_port: String,
}

impl Emulator {
    /// Starts an emulator, or returns `None` (after printing why) when `INVITEKIT_EMULATOR` is not
    /// set, so that the test is skipped.
    pub fn start(seed: u32, faults: &[&str]) -> Option<Emulator> {
        let Ok(path) = std::env::var("INVITEKIT_EMULATOR") else {
            eprintln!("SKIPPED: INVITEKIT_EMULATOR is not set (path of build/src/emulator/invitekit-emulator)");
            return None;
        };
        let mut cmd = Command::new(&path);
        cmd.args(["--port", "0", "--quiet", "--seed", &seed.to_string()]);
        for f in faults {
            cmd.args(["--fault", f]);
        }
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {path}: {e}"));
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let mut reader = BufReader::new(stdout);
            let _ = reader.read_line(&mut line);
            let _ = tx.send(line);
            // Keep draining so the emulator never blocks on a full pipe.
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let line = match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(l) => l,
            Err(_) => {
                let _ = child.kill();
                panic!("the emulator printed no URL within 10 s");
            }
        };
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in the emulator's first line {line:?}"))
            .trim_end_matches('/')
            .to_string();
        let host_port = url.trim_start_matches("http://").to_string();
        Some(Emulator { child, url, host_port })
    }

    /// A builder with the emulator's base URLs and default credentials, no environment, no retries.
    pub fn builder(&self) -> ClientBuilder {
        Client::builder()
            .ignore_env(true)
            .no_proxy_env(true)
            .base_url_for_all(&self.url)
            .twilio_credentials(TWILIO_SID, TWILIO_TOKEN)
            .openai_admin_key(OPENAI_KEY)
            .fastly_api_token(FASTLY_TOKEN)
            .max_retries(0)
            .connect_timeout(Duration::from_secs(5))
            .attempt_timeout(Duration::from_secs(10))
    }

    pub fn client(&self) -> Client {
        self.builder().build().expect("client")
    }

    /// One HTTP/1.1 request to a control endpoint; returns (status, body).
    pub fn http(&self, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
        let mut s = TcpStream::connect(&self.host_port).expect("connect to the emulator");
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let body = body.unwrap_or("");
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.host_port,
            body.len()
        );
        s.write_all(req.as_bytes()).unwrap();
        let mut resp = Vec::new();
        s.read_to_end(&mut resp).unwrap();
        let text = String::from_utf8_lossy(&resp).into_owned();
        let status: u16 = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
        let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let chunked = head.to_ascii_lowercase().contains("transfer-encoding: chunked");
        let body = if chunked { dechunk(rest) } else { rest.to_string() };
        (status, body)
    }

    /// Installs faults (`POST /__emulator/faults`).
    pub fn add_faults(&self, specs: &[&str]) {
        let list: Vec<String> = specs.iter().map(|s| json_string(s)).collect();
        let (status, body) =
            self.http("POST", "/__emulator/faults", Some(&format!("{{\"specs\":[{}]}}", list.join(","))));
        assert_eq!(status, 201, "adding faults {specs:?}: {body}");
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        let (status, _) = self.http("DELETE", "/__emulator/faults", None);
        assert!(status == 200 || status == 204, "clearing faults: {status}");
    }

    /// Marks an OpenAI invite accepted.
    pub fn accept_openai_invite(&self, id: &str) {
        let (status, body) = self.http("POST", &format!("/__emulator/openai/invites/{id}/accept"), None);
        assert_eq!(status, 200, "{body}");
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        // SAFETY: kill(2) on the PID of our own child process.
        unsafe { kill(self.child.id() as i32, SIGTERM) };
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((len, rest)) = s.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(len.trim(), 16) else { break };
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// A JSON string literal.
pub fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Resident set size of this process in KiB (`VmRSS` of /proc/self/status).
pub fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}
