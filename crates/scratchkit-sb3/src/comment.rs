//! Workspace comments.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

/// A comment on the workspace, free or attached to a block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceComment {
    /// Id of the block it is attached to; `None` (`null`) for a free comment.
    #[serde(rename = "blockId", default)]
    pub block_id: Option<String>,
    /// Position on the workspace. `Some(None)` when the file says `null` (comments attached
    /// to blocks may), `None` when the key is absent.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "scratchkit_model::nullable::deserialize"
    )]
    pub x: Option<Option<Number>>,
    /// Position on the workspace, like `x`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "scratchkit_model::nullable::deserialize"
    )]
    pub y: Option<Option<Number>>,
    /// Size on the workspace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<Number>,
    /// Size on the workspace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<Number>,
    /// Whether it is folded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimized: Option<bool>,
    /// Its text.
    #[serde(default)]
    pub text: String,
    /// Keys this model does not know, kept as they were.
    #[serde(flatten)]
    pub extra: IndexMap<String, Value>,
}
