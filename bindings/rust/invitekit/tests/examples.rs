//! The examples run against the emulator: this test compiles the example files as modules and
//! calls the very functions their `main` calls (`client_from_env` is replaced by a client with the
//! emulator's URL and credentials, which is what the examples' environment variables provide).
mod common;

#[path = "../examples/list_openai_invites.rs"]
mod list_openai_invites;

#[path = "../examples/create_twilio_user.rs"]
mod create_twilio_user;

use common::{Emulator, SERVICE};

#[test]
fn example_list_openai_invites() {
    let Some(emu) = Emulator::start(250, &[]) else { return };
    let mut out = Vec::new();
    let n = list_openai_invites::list_openai_invites(&emu.client(), &mut out).unwrap();
    assert_eq!(n, 250);
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 250);
    assert!(text.lines().next().unwrap().contains("invitee-0001@example.com"));
}

#[test]
fn example_create_twilio_user() {
    let Some(emu) = Emulator::start(0, &[]) else { return };
    let user = create_twilio_user::create_twilio_user(&emu.client(), SERVICE, "ciao#hola/x y").unwrap();
    assert_eq!(user.identity(), Some("ciao#hola/x y"));
    assert_eq!(user.friendly_name(), Some("Created from Rust"));
    assert_eq!(user.attributes(), Some(r#"{"from":"rust"}"#));
}

#[test]
fn examples_run_as_programs() {
    // The real binaries, through their environment variables, when cargo built them for this run
    // (CARGO_BIN_EXE_* is only set for [[bin]] targets, so look next to this test executable).
    let Some(emu) = Emulator::start(3, &[]) else { return };
    let exe_dir = std::env::current_exe().unwrap().parent().unwrap().parent().unwrap().join("examples");
    let list = exe_dir.join("list_openai_invites");
    let create = exe_dir.join("create_twilio_user");
    if !list.exists() || !create.exists() {
        eprintln!(
            "SKIPPED: example binaries not built in {} (cargo test builds them; cargo test --test examples may not)",
            exe_dir.display()
        );
        return;
    }
    let out = std::process::Command::new(&list)
        .env("INVITEKIT_BASE_URL", &emu.url)
        .env("OPENAI_ADMIN_KEY", common::OPENAI_KEY)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);
    let out = std::process::Command::new(&create)
        .arg("ciao#hola/x y")
        .env("INVITEKIT_BASE_URL", &emu.url)
        .env("TWILIO_ACCOUNT_SID", common::TWILIO_SID)
        .env("TWILIO_AUTH_TOKEN", common::TWILIO_TOKEN)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("ciao#hola/x y"));
}
