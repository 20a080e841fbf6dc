//! my-ocular (<https://my-ocular.jeffalo.net>), a third-party service (not Scratch) that
//! stores forum statuses and post reactions. Only called when asked; its base URL is
//! [`Host::Ocular`] in [`Hosts`](crate::Hosts) (`http://ADDR/ext/ocular` on a sandbox).

use scratchkit_model::{OcularUser, PostId};
use serde::Deserialize;

use crate::client::Client;
use crate::error::{Error, Result, redact_url};
use crate::hosts::Host;
use crate::request::RequestSpec;
use crate::validate;

/// The emoji of the reaction lists, in the order my-ocular sends them.
pub const OCULAR_EMOJI: [&str; 8] = ["👍", "👎", "😄", "🎉", "😕", "❤️", "🚀", "👀"];

/// Who reacted to a forum post with one emoji.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OcularReaction {
    /// The emoji (from the answer, else from its position: see [`OCULAR_EMOJI`]).
    pub emoji: String,
    /// The usernames that reacted with it.
    pub users: Vec<String>,
}

#[derive(Deserialize)]
struct RawReaction {
    #[serde(default)]
    emoji: Option<String>,
    #[serde(default)]
    reactions: Vec<RawUser>,
}

#[derive(Deserialize)]
struct RawUser {
    #[serde(default)]
    user: String,
}

/// my-ocular, from [`Client::ocular`].
#[derive(Debug, Clone)]
pub struct OcularHandler {
    client: Client,
}

impl OcularHandler {
    /// A handler sending with `client` (see the constructor on [`Client`]).
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// A user's ocular status.
    ///
    /// `GET https://my-ocular.jeffalo.net/api/user/<name>`
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// let status = client.ocular().user("Jeffalo").await?;
    /// println!("{} ({:?})", status.status, status.color);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a malformed name (nothing sent); [`Error::NotFound`] when
    /// the user has no status (`{"error": …}`); [`Error::Decode`] for another shape.
    pub async fn user(&self, username: &str) -> Result<OcularUser> {
        let name = validate::segment(validate::username(username)?);
        let response = self
            .client
            .send(RequestSpec::get(Host::Ocular, format!("/api/user/{name}")))
            .await?;
        let value: serde_json::Value = response.json()?;
        if value.get("error").is_some() {
            return Err(Error::NotFound {
                url: redact_url(&response.url),
            });
        }
        response.json()
    }

    /// The reactions to a forum post: one entry per emoji (8, in [`OCULAR_EMOJI`] order).
    ///
    /// `GET https://my-ocular.jeffalo.net/api/reactions/<post id>`
    ///
    /// # Errors
    /// [`Error::Decode`] for an unexpected shape, or a transport error.
    pub async fn reactions(&self, post: PostId) -> Result<Vec<OcularReaction>> {
        let raw: Vec<RawReaction> = self
            .client
            .get_json(Host::Ocular, &format!("/api/reactions/{post}"), &[])
            .await?;
        Ok(raw
            .into_iter()
            .enumerate()
            .map(|(i, r)| OcularReaction {
                emoji: r
                    .emoji
                    .unwrap_or_else(|| OCULAR_EMOJI.get(i).copied().unwrap_or("?").to_owned()),
                users: r
                    .reactions
                    .into_iter()
                    .map(|u| u.user)
                    .filter(|u| !u.is_empty())
                    .collect(),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_real_fixture_decodes() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/real/ocular_api_user_Jeffalo.json"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let user: OcularUser = serde_json::from_str(&text).unwrap();
        assert_eq!(user.name, "Jeffalo");
        assert_eq!(user.color.as_deref(), Some("#0fbd8c"));
        assert!(user.admin);
    }

    #[tokio::test]
    async fn bad_names_are_refused_before_sending() {
        let client = Client::sandbox("127.0.0.1:9".parse().unwrap());
        assert!(matches!(
            client.ocular().user("a/b").await,
            Err(Error::InvalidInput {
                what: "username",
                ..
            })
        ));
    }
}
