//! Lists every OpenAI organization invite, page by page under the hood, item by item here.
//!
//! Configuration from the environment:
//!   INVITEKIT_BASE_URL  a server for all three APIs (e.g. the URL invitekit-emulator prints);
//!                       without it the real APIs are used
//!   OPENAI_ADMIN_KEY    the admin key (the emulator's default is sk-admin-emulator)
//!
//!   cargo run --example list_openai_invites
use invitekit::{Client, Error, ListOptions};

/// Builds a client from the environment: INVITEKIT_BASE_URL (optional) and the vendors' variables.
pub fn client_from_env() -> Result<Client, Error> {
    let mut builder = Client::builder();
    if let Ok(url) = std::env::var("INVITEKIT_BASE_URL") {
        builder = builder.base_url_for_all(&url);
    }
    if let Ok(key) = std::env::var("OPENAI_ADMIN_KEY") {
        builder = builder.openai_admin_key(key);
    }
    builder.build()
}

/// Writes one line per invite (id, email, role, status) and returns how many there were.
pub fn list_openai_invites(client: &Client, out: &mut impl std::io::Write) -> Result<usize, Error> {
    let mut n = 0;
    for invite in client.openai_invite_pager(&ListOptions::new().page_size(100))? {
        let invite = invite?;
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}",
            invite.id().unwrap_or("-"),
            invite.email().unwrap_or("-"),
            invite.role().unwrap_or("-"),
            invite.status().unwrap_or("-"),
        );
        n += 1;
    }
    Ok(n)
}

#[allow(dead_code)]
fn main() {
    let result = client_from_env().and_then(|client| list_openai_invites(&client, &mut std::io::stdout().lock()));
    match result {
        Ok(n) => eprintln!("{n} invite(s)"),
        Err(e) => {
            eprintln!("error: {e} ({})", e.status().name());
            std::process::exit(1);
        }
    }
}
