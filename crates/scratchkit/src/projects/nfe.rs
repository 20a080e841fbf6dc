//! nfe (<https://jeffalo.net/api/nfe/>), a third-party service (not Scratch) that tells whether
//! the Scratch Team marked a project "not for everyone" (kept out of the front page and search).
//! Only called when asked; its base URL is [`Host::Nfe`] in [`Hosts`](crate::Hosts)
//! (`http://ADDR/ext/nfe` on a sandbox).

use serde::Deserialize;

use super::ProjectHandler;
use crate::error::Result;
use crate::hosts::Host;

/// A project's "not for everyone" status.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub enum NfeStatus {
    /// `safe`: for everyone.
    Safe,
    /// `notsafe`: not for everyone.
    NotSafe,
    /// `notreviewed`: not reviewed yet.
    NotReviewed,
    /// Any other value, as sent.
    Other(String),
}

impl NfeStatus {
    /// The status for the service's `status` text.
    ///
    /// ```
    /// use scratchkit::html::NfeStatus;
    /// assert_eq!(NfeStatus::from_text("notsafe"), NfeStatus::NotSafe);
    /// assert_eq!(NfeStatus::from_text("pending"), NfeStatus::Other("pending".into()));
    /// ```
    pub fn from_text(text: &str) -> Self {
        match text {
            "safe" => NfeStatus::Safe,
            "notsafe" => NfeStatus::NotSafe,
            "notreviewed" => NfeStatus::NotReviewed,
            other => NfeStatus::Other(other.to_owned()),
        }
    }

    /// The service's text for this status.
    pub fn as_str(&self) -> &str {
        match self {
            NfeStatus::Safe => "safe",
            NfeStatus::NotSafe => "notsafe",
            NfeStatus::NotReviewed => "notreviewed",
            NfeStatus::Other(s) => s,
        }
    }
}

#[derive(Deserialize)]
struct Raw {
    status: String,
}

impl ProjectHandler {
    /// The project's "not for everyone" status from the nfe service (third party).
    ///
    /// `GET https://jeffalo.net/api/nfe/?project=<id>`
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// let status = client.project(104u64).nfe_status().await?;
    /// println!("{}", status.as_str());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::Decode`](crate::Error::Decode) for an answer without `status`, or a transport
    /// error.
    pub async fn nfe_status(&self) -> Result<NfeStatus> {
        let id = self.id().to_string();
        let raw: Raw = self
            .client()
            .get_json(Host::Nfe, "/api/nfe/", &[("project", id.as_str())])
            .await?;
        Ok(NfeStatus::from_text(&raw.status))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip() {
        for s in ["safe", "notsafe", "notreviewed", "weird"] {
            assert_eq!(NfeStatus::from_text(s).as_str(), s);
        }
    }
}
