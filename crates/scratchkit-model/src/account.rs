//! [`PasswordCheck`]: the answer of Scratch's password strength check
//! (`POST api.scratch.mit.edu/accounts/checkpassword/`).

use serde::{Deserialize, Serialize};

/// The verdict of Scratch's password strength check, `{"msg": …}`.
///
/// ```
/// use scratchkit_model::PasswordCheck;
/// let check: PasswordCheck = serde_json::from_str(r#"{"msg":"valid password"}"#).unwrap();
/// assert!(check.is_valid());
/// let weak: PasswordCheck = serde_json::from_str(r#"{"msg":"invalid password"}"#).unwrap();
/// assert!(!weak.is_valid());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PasswordCheck {
    /// Scratch's verdict as sent: `"valid password"` when it would accept the password, another
    /// text (such as `"invalid password"`) when not.
    #[serde(default)]
    pub msg: String,
}

impl PasswordCheck {
    /// A verdict with the text `msg` (as a server, such as the sandbox, would send it).
    ///
    /// ```
    /// assert!(scratchkit_model::PasswordCheck::new("valid password").is_valid());
    /// ```
    #[must_use]
    pub fn new(msg: impl Into<String>) -> Self {
        Self { msg: msg.into() }
    }

    /// Whether Scratch would accept the password.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.msg == "valid password"
    }
}
