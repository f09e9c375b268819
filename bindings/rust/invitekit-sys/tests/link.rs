//! The library the build script linked (shared, or `libinvitekit.a` with `INVITEKIT_STATIC=1`)
//! is the one these declarations describe, and works: its ABI is `IK_ABI_VERSION`, its version
//! is at least this crate's (the crate version follows the library's), and a client can be made
//! (which needs libcurl) and freed. run-tests.sh also runs this test linked statically.
use core::ffi::CStr;
use core::mem::MaybeUninit;
use core::ptr;

use invitekit_sys::*;

fn version_triple(v: &str) -> (u32, u32, u32) {
    let mut parts = v.split(['.', '+', '-']).map(|p| p.parse::<u32>().expect(v));
    (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap())
}

#[test]
fn linked_library_speaks_these_declarations() {
    // SAFETY: both return static NUL-terminated strings.
    let (abi, version) = unsafe { (CStr::from_ptr(ik_abi_version()), CStr::from_ptr(ik_version_string())) };
    assert_eq!(abi, IK_ABI_VERSION);
    let version = version.to_str().unwrap();
    let crate_version = env!("CARGO_PKG_VERSION");
    assert!(
        version_triple(version) >= version_triple(crate_version),
        "libinvitekit {version} is older than invitekit-sys {crate_version}"
    );
    // SAFETY: no arguments.
    let number = unsafe { ik_version_number() };
    let (a, b, c) = version_triple(version);
    assert_eq!(number, (a * 10000 + b * 100 + c) as i32);
}

#[test]
fn client_new_and_free() {
    // SAFETY: returns a static NUL-terminated string (libcurl's version: libcurl is linked).
    let curl = unsafe { CStr::from_ptr(ik_libcurl_version()) }.to_str().unwrap();
    assert!(curl.starts_with(|c: char| c.is_ascii_digit()), "{curl}");

    let mut opts = MaybeUninit::<ik_client_options>::zeroed();
    // SAFETY: opts points to writable memory of the struct's size; out_err may be NULL.
    let status = unsafe { ik_client_options_init(opts.as_mut_ptr(), IK_CLIENT_OPTIONS_VERSION, ptr::null_mut()) };
    assert_eq!(status, IK_STATUS_OK);
    // SAFETY: initialised by ik_client_options_init.
    let mut opts = unsafe { opts.assume_init() };
    opts.flags |= IK_CLIENT_IGNORE_ENV;
    let mut client = ptr::null_mut();
    let mut err = ptr::null_mut();
    // SAFETY: valid options, out-pointers to locals.
    let status = unsafe { ik_client_new(&opts, &mut client, &mut err) };
    assert_eq!(status, IK_STATUS_OK);
    assert!(err.is_null() && !client.is_null());
    // SAFETY: a client from ik_client_new, freed once.
    unsafe { ik_client_free(client) };
}
