//! Users: [`User`] (`GET api.scratch.mit.edu/users/<name>` and every user list), its
//! [`Profile`] and [`UserHistory`].

use serde::{Deserialize, Serialize};

use crate::ids::{ProfileId, UserId};
use crate::images::Images;
use crate::timestamp::Timestamp;

/// A Scratch user, as returned by `GET /users/<name>`, `/users/<name>/followers`,
/// `/users/<name>/following`, `/studios/<id>/curators` and `/studios/<id>/managers`.
///
/// Decodes both the current shape and the 2015 one (`history.login`, `profile.avatar`, no
/// `images`, no `scratchteam`). Deleted (GDPR) accounts decode too: they have a placeholder
/// name like `gdpr0000001`, `history.joined` of `2000-01-01T00:00:00.000Z` and a `null` country.
///
/// ```
/// use scratchkit_model::User;
/// let json = r#"{"id":15883188,"username":"ScratchCat","scratchteam":true,
///   "history":{"joined":"2007-03-05T00:00:00.000Z"},
///   "profile":{"id":15047907,"images":{},"status":"","bio":"Meow!","country":"United States"}}"#;
/// let user: User = serde_json::from_str(json).unwrap();
/// assert_eq!(user.username, "ScratchCat");
/// assert!(user.scratchteam);
/// assert_eq!(user.profile.country.as_deref(), Some("United States"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// The user's ID.
    pub id: UserId,
    /// The username with its canonical capitalisation.
    pub username: String,
    /// Whether the user is on the Scratch Team. Absent in 2015 responses (decoded as `false`).
    #[serde(default)]
    pub scratchteam: bool,
    /// When the account was created (and, in 2015 responses, last logged in).
    #[serde(default)]
    pub history: UserHistory,
    /// Profile texts, country and avatar.
    #[serde(default)]
    pub profile: Profile,
}

/// The `history` object of a [`User`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UserHistory {
    /// When the account was created. `2000-01-01T00:00:00.000Z` for deleted accounts; `None`
    /// only if the server left the key out.
    #[serde(default)]
    pub joined: Option<Timestamp>,
    /// Last login; only in 2015 responses (absent today).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login: Option<Timestamp>,
}

/// The `profile` object of a [`User`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// The profile record's own ID, usually different from the user ID (sometimes equal).
    /// Can be `null`.
    #[serde(default)]
    pub id: Option<ProfileId>,
    /// Avatar URLs by size (`90x90`, `60x60`, `55x55`, `50x50`, `32x32`). Absent in 2015
    /// responses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub images: Option<Images>,
    /// 2015 responses only: the avatar path (`"0/0167.png"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// "What I'm working on": raw text with `\n`; may be empty. (2015 responses HTML-escaped
    /// it, e.g. `I&#39;m`.)
    #[serde(default)]
    pub status: String,
    /// "About me": raw text; may be empty.
    #[serde(default)]
    pub bio: String,
    /// Full English country name (`"United States"`); `null` for deleted accounts; absent in
    /// 2015 responses.
    #[serde(default)]
    pub country: Option<String>,
}

impl User {
    /// The avatar URL for a size such as `"90x90"`, when the response carried `images`.
    #[must_use]
    pub fn image(&self, size: &str) -> Option<&str> {
        self.profile.images.as_ref()?.get(size)
    }
}
