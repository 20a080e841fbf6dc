//! Helpers shared by the write calls of every resource: the logged-in name for a path, the
//! `Referer` of a site page, and the check of the site-api answers that report failure with
//! HTTP 200.
//!
//! Every write needs a login and fails with [`Error::LoginRequired`] before sending anything
//! when the client has none (and with [`Error::SessionExpired`] once Scratch has rejected the
//! session).

use std::sync::Arc;

use crate::client::{AuthState, Client};
use crate::error::{Error, Result};
use crate::hosts::Host;
use crate::validate;

impl Client {
    /// The login and the logged-in user's name checked for use in a path.
    pub(crate) fn me_for_path(&self) -> Result<(Arc<AuthState>, String)> {
        let state = self.require_auth()?;
        let name = validate::segment(validate::username(state.username())?);
        Ok((state, name))
    }

    /// The URL of `path` on the site, for a `Referer` header.
    pub(crate) fn site_page(&self, path: &str) -> String {
        self.hosts().url(Host::Site, path).to_string()
    }
}

/// Checks the body of a site-api answer that reports failure with HTTP 200: `{"success":
/// false, "msg"|"error"|"errors": …}`.
pub(crate) fn check_site_answer(action: &'static str, body: &[u8]) -> Result<()> {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Ok(());
    };
    let refused = |message: String| Err(Error::Refused { action, message });
    if value.get("success").and_then(serde_json::Value::as_bool) == Some(false) {
        let message = ["msg", "message", "error", "errors"]
            .iter()
            .find_map(|k| value.get(*k))
            .map(value_text)
            .unwrap_or_else(|| "Scratch said no".to_owned());
        return refused(message);
    }
    if let Some(errors) = value.get("errors").filter(|e| !is_empty_value(e)) {
        return refused(value_text(errors));
    }
    if let Some(error) = value.get("error").filter(|e| !is_empty_value(e)) {
        return refused(value_text(error));
    }
    Ok(())
}

fn is_empty_value(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Null => true,
        serde_json::Value::String(s) => s.is_empty(),
        serde_json::Value::Array(a) => a.is_empty(),
        serde_json::Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

fn value_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => {
            items.iter().map(value_text).collect::<Vec<_>>().join("; ")
        }
        other => crate::error::snippet(other.to_string().as_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_answers() {
        assert!(check_site_answer("x", br#"{"success":true}"#).is_ok());
        assert!(check_site_answer("x", b"<html>").is_ok());
        assert!(check_site_answer("x", br#"{"errors":[]}"#).is_ok());
        let err = check_site_answer("x", br#"{"success":false,"msg":"no way"}"#).unwrap_err();
        assert!(
            matches!(&err, Error::Refused { action: "x", message } if message == "no way"),
            "{err:?}"
        );
        let err = check_site_answer("y", br#"{"errors":["bad file","too big"]}"#).unwrap_err();
        assert!(
            matches!(&err, Error::Refused { message, .. } if message == "bad file; too big"),
            "{err:?}"
        );
        let err = check_site_answer("y", br#"{"error":"isFlood"}"#).unwrap_err();
        assert!(matches!(&err, Error::Refused { message, .. } if message == "isFlood"));
    }
}
