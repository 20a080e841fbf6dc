//! The session: [`Session`] (`GET scratch.mit.edu/session/`), its parts, the redacted
//! [`XToken`], and the answer of `POST /login/` ([`LoginResult`]).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::{ClassroomId, UserId};
use crate::mute::MuteStatus;
use crate::timestamp::{Timestamp, naive_option};

/// The X-Token: the api credential found in `/session/` (`user.token`) and in the login
/// answer. It is a secret: `Debug` prints `XToken(<redacted>)` and there is no `Display`.
/// Read it with [`XToken::expose_secret`] only where it is sent.
///
/// ```
/// use scratchkit_model::XToken;
/// let token = XToken::new("abc123");
/// assert_eq!(format!("{token:?}"), "XToken(<redacted>)");
/// assert_eq!(token.expose_secret(), "abc123");
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct XToken(String);

impl XToken {
    /// Wraps a token string.
    #[must_use]
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// The token itself. Do not log it.
    #[must_use]
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for XToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("XToken(<redacted>)")
    }
}

/// `GET scratch.mit.edu/session/` (also `POST`): who is logged in.
///
/// Logged out, only `flags` is sent; a client detects "not logged in" by the absence of
/// `user` ([`Session::is_logged_in`]).
///
/// ```
/// use scratchkit_model::Session;
/// let out: Session = serde_json::from_str(r#"{"flags":{"project_comments_enabled":true}}"#).unwrap();
/// assert!(!out.is_logged_in());
/// assert_eq!(out.flags.project_comments_enabled, Some(true));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// The logged-in user; absent when logged out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<SessionUser>,
    /// What the user may do; absent when logged out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Permissions>,
    /// Site and account flags.
    #[serde(default)]
    pub flags: SessionFlags,
}

impl Session {
    /// Whether the session belongs to a logged-in user.
    #[must_use]
    pub fn is_logged_in(&self) -> bool {
        self.user.is_some()
    }
}

/// The `user` of a logged-in [`Session`]. `Debug` hides the token and the e-mail address.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionUser {
    /// The user ID.
    pub id: UserId,
    /// The username.
    pub username: String,
    /// Whether the account is blocked.
    #[serde(default)]
    pub banned: bool,
    /// The X-Token for api calls (`token`).
    pub token: XToken,
    /// Protocol-relative 32x32 avatar URL (`thumbnailUrl`).
    #[serde(default)]
    pub thumbnail_url: String,
    /// When the account was created (`dateJoined`, naive on the wire).
    #[serde(default, with = "naive_option")]
    pub date_joined: Option<Timestamp>,
    /// The account's e-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The class of a student account (`classroomId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classroom_id: Option<ClassroomId>,
    /// Read by other clients (`should_vpn`); absent in the recording.
    #[serde(
        rename = "should_vpn",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub should_vpn: Option<bool>,
    /// Birth year (`birthYear`), in public type definitions only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_year: Option<i32>,
    /// Birth month (`birthMonth`), in public type definitions only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_month: Option<u8>,
    /// Gender, in public type definitions only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
}

impl fmt::Debug for SessionUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionUser")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("banned", &self.banned)
            .field("token", &self.token)
            .field("thumbnail_url", &self.thumbnail_url)
            .field("date_joined", &self.date_joined)
            .field("email", &self.email.as_ref().map(|_| "<redacted>"))
            .field("classroom_id", &self.classroom_id)
            .field("should_vpn", &self.should_vpn)
            .field("birth_year", &self.birth_year)
            .field("birth_month", &self.birth_month)
            .field("gender", &self.gender)
            .finish()
    }
}

/// The `permissions` of a logged-in [`Session`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permissions {
    /// Scratch Team member.
    #[serde(default)]
    pub admin: bool,
    /// Full Scratcher.
    #[serde(default)]
    pub scratcher: bool,
    /// New Scratcher (cannot create studios, has stricter limits).
    #[serde(default)]
    pub new_scratcher: bool,
    /// Invited to become a Scratcher.
    #[serde(default)]
    pub invited_scratcher: bool,
    /// May use social features (comments…).
    #[serde(default)]
    pub social: bool,
    /// Teacher account.
    #[serde(default)]
    pub educator: bool,
    /// Invited to become a teacher.
    #[serde(default)]
    pub educator_invitee: bool,
    /// Student account (of a class).
    #[serde(default)]
    pub student: bool,
    /// Comment-mute state (`{}` when not muted).
    #[serde(default)]
    pub mute_status: MuteStatus,
}

/// The `flags` of a [`Session`]. Every flag is optional: the set differs between logged-in
/// and logged-out sessions and changes over time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionFlags {
    /// The user must reset their password before doing anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub must_reset_password: Option<bool>,
    /// A student must complete registration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub must_complete_registration: Option<bool>,
    /// The e-mail address is not confirmed yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_outstanding_email_confirmation: Option<bool>,
    /// Show the welcome banner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_welcome: Option<bool>,
    /// Show the "confirm your e-mail" banner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirm_email_banner: Option<bool>,
    /// Show the unsupported-browser banner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsupported_browser_banner: Option<bool>,
    /// Project comments are enabled site-wide.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_comments_enabled: Option<bool>,
    /// Studio comments are enabled site-wide.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gallery_comments_enabled: Option<bool>,
    /// Profile comments are enabled site-wide.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub userprofile_comments_enabled: Option<bool>,
    /// A joke flag that is always `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub everything_is_totally_normal: Option<bool>,
    /// Account registered with a parent's e-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_parent_email: Option<bool>,
    /// User under the age of consent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub under_consent_age: Option<bool>,
    /// Scratch membership active.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_active_membership: Option<bool>,
    /// Terms of service accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_terms_of_service: Option<bool>,
    /// Parental consent required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parental_consent_required: Option<bool>,
}

/// One element of the array returned by `POST scratch.mit.edu/login/`:
/// `[{"username","token","num_tries","success":1,"msg","messages":[],"id"}]`.
/// `Debug` hides the token.
///
/// ```
/// use scratchkit_model::LoginResult;
/// let r: Vec<LoginResult> = serde_json::from_str(
///     r#"[{"username":"a","num_tries":1,"success":0,"msg":"Incorrect username or password.","messages":[],"id":null}]"#,
/// ).unwrap();
/// assert!(!r[0].is_success());
/// assert!(r[0].token.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoginResult {
    /// The username as entered.
    #[serde(default)]
    pub username: String,
    /// The X-Token, on success.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<XToken>,
    /// Failed attempts so far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub num_tries: Option<u32>,
    /// `1` on success, `0` on failure.
    #[serde(default)]
    pub success: u8,
    /// A human-readable message.
    #[serde(default)]
    pub msg: String,
    /// Extra messages (usually empty).
    #[serde(default)]
    pub messages: Vec<serde_json::Value>,
    /// The user ID on success, `null` on failure.
    #[serde(default)]
    pub id: Option<UserId>,
    /// Where to go next (on some failures, e.g. a password reset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect: Option<String>,
}

impl LoginResult {
    /// Whether the login succeeded (`success == 1`).
    #[must_use]
    pub fn is_success(&self) -> bool {
        self.success == 1
    }
}
