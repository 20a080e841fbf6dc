//! Rules that tests and users may change at runtime (`GET|POST /_sandbox/settings`): flood
//! control, the CSRF check, login attempts and creation rate limits.

use serde::{Deserialize, Serialize};

/// How strictly unsafe requests to scratch.mit.edu routes and `/proxy/*` are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum CsrfMode {
    /// 403 when the `scratchcsrftoken` cookie and the `X-CSRFToken` header (or the
    /// `csrfmiddlewaretoken` field) differ or are missing, or when the `Referer` is foreign.
    Strict,
    /// Log the problem and accept the request.
    Lenient,
}

/// The runtime rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Settings {
    /// A second comment by the same user within this many seconds is `isFlood` (0 = off).
    pub comment_flood_seconds: i64,
    /// Longest comment, in characters (Scratch's comment box stops at 500).
    pub comment_max_chars: usize,
    pub csrf: CsrfMode,
    /// Failed logins for one username before `/login/` answers 403 (then `/login_retry/`
    /// with a captcha response is needed).
    pub login_max_failures: u32,
    /// Studios one user may create per `creation_window_seconds`.
    pub studios_per_window: i64,
    /// Projects one user may create per `creation_window_seconds` (projects host).
    pub projects_per_window: i64,
    pub creation_window_seconds: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            comment_flood_seconds: 10,
            comment_max_chars: scratchkit_wire::limits::COMMENT_MAX_CHARS,
            csrf: CsrfMode::Strict,
            login_max_failures: 5,
            studios_per_window: 5,
            projects_per_window: 5,
            creation_window_seconds: 60,
        }
    }
}
