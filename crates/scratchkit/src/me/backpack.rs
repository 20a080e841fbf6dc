//! Your backpack (`backpack.scratch.mit.edu`, X-Token only, never the session cookie): list,
//! add, delete, download.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use scratchkit_model::{BackpackItem, BackpackItemKind};

use super::MeHandler;
use crate::error::{Error, Result};
use crate::hosts::Host;
use crate::list::ListRequest;
use crate::request::{AuthMode, RequestSpec};
use crate::validate;

/// Something to put in the backpack ([`MeHandler::add_to_backpack`]).
///
/// MIME types by kind: script `application/json`, sprite `application/zip`, costume
/// `image/svg+xml` or `image/png`, sound `audio/x-wav` or `audio/mp3`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct NewBackpackItem {
    /// What it is.
    pub kind: BackpackItemKind,
    /// The MIME type of `body`.
    pub mime: String,
    /// The name shown in the backpack.
    pub name: String,
    /// The content (script JSON, sprite zip, costume or sound file).
    pub body: Bytes,
    /// A JPEG thumbnail.
    pub thumbnail: Bytes,
}

impl NewBackpackItem {
    /// An item from its parts.
    ///
    /// ```
    /// use scratchkit::NewBackpackItem;
    /// use scratchkit::model::BackpackItemKind;
    ///
    /// let item = NewBackpackItem::new(
    ///     BackpackItemKind::Script,
    ///     "application/json",
    ///     "my script",
    ///     br#"[{"opcode":"motion_movesteps"}]"#.to_vec(),
    ///     Vec::new(),
    /// );
    /// assert_eq!(item.name, "my script");
    /// ```
    pub fn new(
        kind: BackpackItemKind,
        mime: impl Into<String>,
        name: impl Into<String>,
        body: impl Into<Bytes>,
        thumbnail: impl Into<Bytes>,
    ) -> Self {
        Self {
            kind,
            mime: mime.into(),
            name: name.into(),
            body: body.into(),
            thumbnail: thumbnail.into(),
        }
    }
}

/// Checks a backpack file name (`<md5>.<ext>`, or an item id): letters, digits, `.`, `-`, `_`.
fn check_file_name(what: &'static str, name: &str) -> Result<()> {
    if name.is_empty()
        || name.starts_with('.')
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
    {
        return Err(Error::invalid(what, "not a backpack file name or item id"));
    }
    Ok(())
}

impl MeHandler {
    /// Your backpack, newest first.
    ///
    /// `GET https://backpack.scratch.mit.edu/<me>?offset=&limit=` with the X-Token.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// for item in client.me().backpack().limit(40).await?.items {
    ///     println!("{} {} ({})", item.kind, item.name, item.body);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// When awaited or streamed: [`Error::LoginRequired`] when logged out (nothing sent), a
    /// bad limit, any request error.
    pub fn backpack(&self) -> ListRequest<BackpackItem> {
        let spec = self.client.me_for_path().map(|(_, me)| {
            RequestSpec::get(Host::Backpack, format!("/{me}")).auth(AuthMode::Token)
        });
        ListRequest::ready(self.client.clone(), spec)
    }

    /// Puts an item in your backpack; returns it as stored (with its id and file names).
    ///
    /// `POST https://backpack.scratch.mit.edu/<me>` with `{"type", "mime", "name", "body":
    /// <base64>, "thumbnail": <base64>}` and the X-Token.
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out and [`Error::InvalidInput`] for an empty body
    /// or name (nothing sent); any request error.
    pub async fn add_to_backpack(&self, item: &NewBackpackItem) -> Result<BackpackItem> {
        let (_, me) = self.client.me_for_path()?;
        if item.body.is_empty() {
            return Err(Error::invalid("backpack item", "its body is empty"));
        }
        validate::not_blank("backpack item name", &item.name)?;
        let spec = RequestSpec::post(Host::Backpack, format!("/{me}"))
            .auth(AuthMode::Token)
            .json(&serde_json::json!({
                "type": item.kind.as_str(),
                "mime": item.mime,
                "name": item.name,
                "body": STANDARD.encode(&item.body),
                "thumbnail": STANDARD.encode(&item.thumbnail),
            }))?;
        self.client.send_authed_json(spec).await
    }

    /// Deletes an item from your backpack.
    ///
    /// `DELETE https://backpack.scratch.mit.edu/<me>/<item id>` with the X-Token.
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out and [`Error::InvalidInput`] for a malformed id
    /// (nothing sent); any request error.
    pub async fn delete_from_backpack(&self, item_id: &str) -> Result<()> {
        let (_, me) = self.client.me_for_path()?;
        check_file_name("backpack item id", item_id)?;
        let spec =
            RequestSpec::delete(Host::Backpack, format!("/{me}/{item_id}")).auth(AuthMode::Token);
        self.client.send_authed(spec).await.map(|_| ())
    }

    /// Downloads the content of a backpack item (its `body` file).
    ///
    /// `GET https://backpack.scratch.mit.edu/<body>` (for example `/<md5>.json`) with the
    /// X-Token.
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out and [`Error::InvalidInput`] for a malformed
    /// file name (nothing sent); any request error.
    pub async fn download_backpack_item(&self, item: &BackpackItem) -> Result<Bytes> {
        self.client.require_auth()?;
        check_file_name("backpack file", &item.body)?;
        let spec =
            RequestSpec::get(Host::Backpack, format!("/{}", item.body)).auth(AuthMode::Token);
        Ok(self.client.send_authed(spec).await?.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        assert!(check_file_name("f", "0123abcd.json").is_ok());
        assert!(check_file_name("f", "6b1d2a3c-uuid-like_id").is_ok());
        for bad in ["", "../x", ".hidden", "a/b", "a?b", "a b"] {
            assert!(check_file_name("f", bad).is_err(), "{bad}");
        }
    }
}
