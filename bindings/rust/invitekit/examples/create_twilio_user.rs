//! Creates a Twilio Chat v2 user whose identity needs percent-encoding in URL paths
//! ("ciao#hola/x y" by default), fetches it back by that identity, and prints it.
//!
//! Configuration from the environment:
//!   INVITEKIT_BASE_URL   a server for all three APIs (e.g. invitekit-emulator's URL)
//!   TWILIO_ACCOUNT_SID   e.g. AC00000000000000000000000000000000 (the emulator's default)
//!   TWILIO_AUTH_TOKEN    e.g. emulator-twilio-token
//!   TWILIO_SERVICE_SID   the Chat service (default IS00000000000000000000000000000000)
//!
//!   cargo run --example create_twilio_user -- 'ciao#hola/x y'
use invitekit::{Client, Error, TwilioUser, TwilioUserParams};

/// Builds a client from the environment: INVITEKIT_BASE_URL (optional) and the vendors' variables
/// (TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are read by the library itself).
pub fn client_from_env() -> Result<Client, Error> {
    let mut builder = Client::builder();
    if let Ok(url) = std::env::var("INVITEKIT_BASE_URL") {
        builder = builder.base_url_for_all(&url);
    }
    builder.build()
}

/// Creates the user, then fetches it by identity (the identity is percent-encoded in the path).
pub fn create_twilio_user(client: &Client, service_sid: &str, identity: &str) -> Result<TwilioUser, Error> {
    let params = TwilioUserParams::create(identity).friendly_name("Created from Rust").attributes(r#"{"from":"rust"}"#);
    let created = client.twilio_user_create(service_sid, &params, None)?;
    client.twilio_user_fetch(service_sid, created.sid().unwrap_or(identity), None)
}

#[allow(dead_code)]
fn main() {
    let identity = std::env::args().nth(1).unwrap_or_else(|| "ciao#hola/x y".to_owned());
    let service =
        std::env::var("TWILIO_SERVICE_SID").unwrap_or_else(|_| "IS00000000000000000000000000000000".to_owned());
    match client_from_env().and_then(|c| create_twilio_user(&c, &service, &identity)) {
        Ok(user) => println!(
            "{}\t{}\t{}",
            user.sid().unwrap_or("-"),
            user.identity().unwrap_or("-"),
            user.friendly_name().unwrap_or("-")
        ),
        Err(e) => {
            eprintln!("error: {e} ({})", e.status().name());
            std::process::exit(1);
        }
    }
}
