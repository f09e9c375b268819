//! Library version, features and the start-up compatibility check.
use std::sync::OnceLock;

use crate::error::{Error, Status};
use crate::ffi;
use crate::sys;

/// Run-time library version, e.g. `"0.2.0"`.
pub fn version_string() -> &'static str {
    // SAFETY: returns a static string.
    unsafe { ffi::static_str(sys::ik_version_string()) }
}

/// `MAJOR*10000 + MINOR*100 + PATCH` of the loaded library.
pub fn version_number() -> i32 {
    // SAFETY: no arguments, no preconditions.
    unsafe { sys::ik_version_number() }
}

/// `(major, minor, patch)` of the loaded library.
pub fn version() -> (i32, i32, i32) {
    let (mut a, mut b, mut c) = (0, 0, 0);
    // SAFETY: three valid out-pointers.
    unsafe { sys::ik_version(&mut a, &mut b, &mut c) };
    (a, b, c)
}

/// ABI version string of the loaded library, e.g. `"0.2"`.
pub fn abi_version() -> &'static str {
    // SAFETY: returns a static string.
    unsafe { ffi::static_str(sys::ik_abi_version()) }
}

/// Version of the libcurl the library runs on, e.g. `"7.88.1"`.
pub fn libcurl_version() -> &'static str {
    // SAFETY: returns a static string.
    unsafe { ffi::static_str(sys::ik_libcurl_version()) }
}

/// The library's default maximum response size in bytes (16 MiB).
pub fn default_max_response_bytes() -> u64 {
    // SAFETY: no arguments, no preconditions.
    u64::try_from(unsafe { sys::ik_default_max_response_bytes() }).unwrap_or(0)
}

/// What this build of the library and its libcurl support (`ik_features`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Features(u32);

impl Features {
    /// Clients may be used from many threads at once.
    pub fn threads(self) -> bool {
        self.0 & sys::IK_FEATURE_THREADS != 0
    }
    /// libcurl was built with TLS support.
    pub fn https(self) -> bool {
        self.0 & sys::IK_FEATURE_HTTPS != 0
    }
    /// libcurl supports HTTP/2.
    pub fn http2(self) -> bool {
        self.0 & sys::IK_FEATURE_HTTP2 != 0
    }
    /// DNS resolution is cancellable.
    pub fn asynch_dns(self) -> bool {
        self.0 & sys::IK_FEATURE_ASYNCH_DNS != 0
    }
    /// The raw `IK_FEATURE_*` bitmask.
    pub fn bits(self) -> u32 {
        self.0
    }
}

/// The features of the loaded library.
pub fn features() -> Features {
    // SAFETY: no arguments, no preconditions.
    Features(unsafe { sys::ik_features() })
}

/// Initialises the library up front (optional: constructors do it lazily and thread-safely).
/// Called at most once per process by this binding; the matching `ik_global_cleanup` is never
/// called (the library never calls `curl_global_cleanup` anyway).
pub fn global_init() -> Result<(), Error> {
    static INIT: OnceLock<Result<(), Error>> = OnceLock::new();
    INIT.get_or_init(|| {
        // SAFETY: out_err is a valid out-pointer provided by `call`.
        ffi::call(|e| unsafe { sys::ik_global_init(e) })
    })
    .clone()
}

/// Checks once that the loaded library speaks the ABI this binding was written for: the same
/// ABI version string and struct versions at least as new as the ones this binding fills in.
/// [`ClientBuilder::build`](crate::ClientBuilder::build) calls it.
pub fn check_abi() -> Result<(), Error> {
    static CHECK: OnceLock<Result<(), String>> = OnceLock::new();
    CHECK
        .get_or_init(|| {
            let want = sys::IK_ABI_VERSION.to_str().unwrap_or("");
            if abi_version() != want {
                return Err(format!(
                    "libinvitekit ABI {} is loaded but this binding was written for ABI {want}",
                    abi_version()
                ));
            }
            // SAFETY: (all the version getters) no arguments, no preconditions.
            let versions = unsafe {
                [
                    ("ik_client_options", sys::ik_client_options_version(), sys::IK_CLIENT_OPTIONS_VERSION),
                    ("ik_call_options", sys::ik_call_options_version(), sys::IK_CALL_OPTIONS_VERSION),
                    ("ik_list_options", sys::ik_list_options_version(), sys::IK_LIST_OPTIONS_VERSION),
                    (
                        "ik_openai_invite_create_params",
                        sys::ik_openai_invite_create_params_version(),
                        sys::IK_OPENAI_INVITE_CREATE_PARAMS_VERSION,
                    ),
                    ("ik_twilio_user_params", sys::ik_twilio_user_params_version(), sys::IK_TWILIO_USER_PARAMS_VERSION),
                    (
                        "ik_fastly_invitation_create_params",
                        sys::ik_fastly_invitation_create_params_version(),
                        sys::IK_FASTLY_INVITATION_CREATE_PARAMS_VERSION,
                    ),
                    // Output structs: the library must write at least the fields we read.
                    ("ik_log_record", sys::ik_log_record_version(), sys::IK_LOG_RECORD_VERSION),
                    ("ik_retry_info", sys::ik_retry_info_version(), sys::IK_RETRY_INFO_VERSION),
                ]
            };
            for (name, lib, ours) in versions {
                if lib < ours {
                    return Err(format!("libinvitekit knows {name} version {lib}, this binding needs {ours}"));
                }
            }
            Ok(())
        })
        .clone()
        .map_err(|m| Error::local(Status::Unsupported, m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_agree() {
        let (a, b, c) = version();
        assert_eq!(version_number(), a * 10000 + b * 100 + c);
        assert_eq!(version_string(), format!("{a}.{b}.{c}"));
        assert_eq!(abi_version(), format!("{a}.{b}"));
        check_abi().unwrap();
        global_init().unwrap();
        assert!(!libcurl_version().is_empty());
        assert_eq!(default_max_response_bytes(), 16 * 1024 * 1024);
        assert!(features().threads());
        let _ = (features().https(), features().http2(), features().asynch_dns(), features().bits());
    }
}
