//! What an exactly-once ("ensure") call did.
use crate::ffi;
use crate::sys;

/// The outcome of an `*_ensure` call (`IK_ENSURE_*`).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EnsureOutcome {
    /// Already there before the call, and it matches what was asked.
    Present,
    /// Already there before the call, with another role or other attributes (left unchanged).
    PresentDifferent,
    /// Absent; this call created it.
    Created,
    /// Absent; this call's create failed ambiguously, and a second lookup found the object it
    /// created.
    Recovered,
    /// A value this binding does not know.
    Other(i32),
}

impl EnsureOutcome {
    pub(crate) fn from_code(code: i32) -> EnsureOutcome {
        match code {
            sys::IK_ENSURE_PRESENT => EnsureOutcome::Present,
            sys::IK_ENSURE_PRESENT_DIFFERENT => EnsureOutcome::PresentDifferent,
            sys::IK_ENSURE_CREATED => EnsureOutcome::Created,
            sys::IK_ENSURE_RECOVERED => EnsureOutcome::Recovered,
            c => EnsureOutcome::Other(c),
        }
    }

    /// The C code (`IK_ENSURE_*`).
    pub fn code(self) -> i32 {
        match self {
            EnsureOutcome::Present => sys::IK_ENSURE_PRESENT,
            EnsureOutcome::PresentDifferent => sys::IK_ENSURE_PRESENT_DIFFERENT,
            EnsureOutcome::Created => sys::IK_ENSURE_CREATED,
            EnsureOutcome::Recovered => sys::IK_ENSURE_RECOVERED,
            EnsureOutcome::Other(c) => c,
        }
    }

    /// `"present"`, `"present_different"`, `"created"`, `"recovered"` or `"unknown"`
    /// (`ik_ensure_outcome_name`).
    pub fn name(self) -> &'static str {
        // SAFETY: accepts any value and returns a static string, never NULL.
        unsafe { ffi::static_str(sys::ik_ensure_outcome_name(self.code())) }
    }
}

impl std::fmt::Display for EnsureOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(EnsureOutcome::Created.name(), "created");
        assert_eq!(EnsureOutcome::PresentDifferent.name(), "present_different");
        assert_eq!(EnsureOutcome::Other(77).name(), "unknown");
        for c in 1..=4 {
            assert_eq!(EnsureOutcome::from_code(c).code(), c);
        }
    }
}
