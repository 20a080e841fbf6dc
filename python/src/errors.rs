//! The Python exception class each `scratchkit::Error` becomes.
//!
//! The classes themselves are defined in Python (`scratchkit/errors.py`); the native side
//! names the class, and Python raises it. Names mirror the Rust variants.

/// The class name in `scratchkit.errors` for `error`, and its HTTP status when there was one.
pub(crate) fn classify(error: &scratchkit::Error) -> (&'static str, Option<u16>) {
    use scratchkit::Error as E;
    match error {
        E::NotFound { .. } => ("NotFound", Some(404)),
        E::BadRequest { .. } => ("BadRequest", Some(400)),
        E::Unauthorized { .. } => ("Unauthorized", Some(401)),
        E::Forbidden { .. } => ("Forbidden", Some(403)),
        E::RateLimited { .. } => ("RateLimited", Some(429)),
        E::Server { status, .. } => ("ServerError", Some(status.as_u16())),
        E::Status { status, .. } => ("StatusError", Some(status.as_u16())),
        E::Decode { .. } => ("DecodeError", None),
        E::Timeout { .. } => ("Timeout", None),
        E::Connection { .. } => ("ConnectionFailed", None),
        E::InvalidInput { .. } => ("InvalidInput", None),
        E::LoginRequired => ("LoginRequired", None),
        E::LoginFailed { .. } => ("LoginFailed", None),
        E::CaptchaRequired { .. } => ("CaptchaRequired", None),
        E::LoginBlocked { .. } => ("LoginBlocked", None),
        E::AccountBanned { .. } => ("AccountBanned", None),
        E::SessionExpired => ("SessionExpired", None),
        E::CommentRejected { .. } => ("CommentRejected", None),
        E::Refused { .. } => ("Refused", None),
        E::ProjectFile(_) | E::AssetHashMismatch { .. } => ("ProjectFileError", None),
        E::File { .. } | E::SessionFile { .. } => ("FileError", None),
        _ => ("ScratchkitError", None),
    }
}
