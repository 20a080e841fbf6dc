//! The backpack (`backpack.scratch.mit.edu`): [`BackpackHealth`] and [`BackpackItem`].

use serde::{Deserialize, Serialize};

use crate::lenient::string_enum;

/// `GET backpack.scratch.mit.edu/`: `{"ok":"👻"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackpackHealth {
    /// A ghost emoji when healthy.
    #[serde(default)]
    pub ok: String,
}

string_enum! {
    /// The `type` of a [`BackpackItem`].
    BackpackItemKind {
        /// `script`: blocks (`application/json`).
        Script = "script",
        /// `costume`: an image.
        Costume = "costume",
        /// `sound`: a sound.
        Sound = "sound",
        /// `sprite`: a whole sprite (`application/zip`).
        Sprite = "sprite",
    }
}

/// An item of `GET backpack.scratch.mit.edu/<me>` (and the answer to adding one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackpackItem {
    /// The item's ID (a UUID string).
    pub id: String,
    /// What the item holds.
    #[serde(rename = "type")]
    pub kind: BackpackItemKind,
    /// MIME type of the body.
    #[serde(default)]
    pub mime: String,
    /// The item's name.
    #[serde(default)]
    pub name: String,
    /// The body's file name on the backpack host (`<md5>.<ext>`).
    #[serde(default)]
    pub body: String,
    /// The thumbnail's file name on the backpack host (`<md5>.jpg`).
    #[serde(default)]
    pub thumbnail: String,
}
