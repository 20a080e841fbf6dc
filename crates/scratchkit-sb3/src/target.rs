//! Targets: the stage and the sprites.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

use crate::{BlockEntry, Costume, List, Sound, Variable, WorkspaceComment};

/// The stage or a sprite.
///
/// Both share one struct, as in project.json: sprite-only fields (`x`, `y`, `size`…) are `None`
/// on the stage and stage-only fields (`tempo`, `video_state`…) are `None` on sprites.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// `true` for the stage.
    #[serde(rename = "isStage", default)]
    pub is_stage: bool,
    /// The target's name (`"Stage"` for the stage).
    pub name: String,
    /// Variables by id. Those of the stage are global.
    #[serde(default)]
    pub variables: IndexMap<String, Variable>,
    /// Lists by id.
    #[serde(default)]
    pub lists: IndexMap<String, List>,
    /// Broadcast messages by id → name (only the stage has them).
    #[serde(default)]
    pub broadcasts: IndexMap<String, String>,
    /// Blocks by id.
    #[serde(default)]
    pub blocks: IndexMap<String, BlockEntry>,
    /// Comments by id.
    #[serde(default)]
    pub comments: IndexMap<String, WorkspaceComment>,
    /// Index of the current costume in `costumes`.
    #[serde(
        rename = "currentCostume",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub current_costume: Option<Number>,
    /// Costumes (backdrops for the stage).
    #[serde(default)]
    pub costumes: Vec<Costume>,
    /// Sounds.
    #[serde(default)]
    pub sounds: Vec<Sound>,
    /// Volume, 0–100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<Number>,
    /// Drawing order: 0 for the stage, then sprites back to front.
    #[serde(
        rename = "layerOrder",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub layer_order: Option<Number>,

    /// Stage only: tempo in beats per minute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tempo: Option<Number>,
    /// Stage only: video transparency, 0–100.
    #[serde(
        rename = "videoTransparency",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub video_transparency: Option<Number>,
    /// Stage only: `on`, `off` or `on-flipped`.
    #[serde(
        rename = "videoState",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub video_state: Option<String>,
    /// Stage only: text-to-speech language. `Some(None)` when the file says `null` (the
    /// usual value), `None` when the key is absent.
    #[serde(
        rename = "textToSpeechLanguage",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "scratchkit_model::nullable::deserialize"
    )]
    pub text_to_speech_language: Option<Option<String>>,

    /// Sprite only: whether it is shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible: Option<bool>,
    /// Sprite only: position, stage center is (0, 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<Number>,
    /// Sprite only: position, stage center is (0, 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<Number>,
    /// Sprite only: size in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<Number>,
    /// Sprite only: direction in degrees, 90 = right.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Number>,
    /// Sprite only: whether it can be dragged in the player.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draggable: Option<bool>,
    /// Sprite only: `all around`, `left-right` or `don't rotate`.
    #[serde(
        rename = "rotationStyle",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rotation_style: Option<String>,

    /// Keys this model does not know, kept as they were.
    #[serde(flatten)]
    pub extra: IndexMap<String, Value>,
}

impl Target {
    /// Whether this is a sprite (not the stage).
    pub fn is_sprite(&self) -> bool {
        !self.is_stage
    }

    /// Its cloud variables (`[name, value, true]`), as (id, variable).
    ///
    /// Only the stage can have cloud variables in projects made by the editor.
    ///
    /// ```
    /// let json = r#"{"targets":[{"isStage":true,"name":"Stage",
    ///     "variables":{"a":["☁ score",0,true],"b":["local",1]}}],"meta":{"semver":"3.0.0"}}"#;
    /// let project = scratchkit_sb3::ProjectDocument::from_json(json.as_bytes())?;
    /// let stage = project.stage().unwrap();
    /// let names: Vec<&str> = stage.cloud_variables().map(|(_, v)| v.name.as_str()).collect();
    /// assert_eq!(names, ["☁ score"]);
    /// # Ok::<(), scratchkit_sb3::Error>(())
    /// ```
    pub fn cloud_variables(&self) -> impl Iterator<Item = (&str, &Variable)> {
        self.variables
            .iter()
            .filter(|(_, var)| var.is_cloud())
            .map(|(id, var)| (id.as_str(), var))
    }

    /// The first variable called `name`, as (id, variable).
    pub fn variable_by_name(&self, name: &str) -> Option<(&str, &Variable)> {
        self.variables
            .iter()
            .find(|(_, var)| var.name == name)
            .map(|(id, var)| (id.as_str(), var))
    }

    /// Number of blocks, not counting shadow blocks (the editable slots inside inputs);
    /// top-level variable and list reporters count as one block each.
    pub fn block_count(&self) -> usize {
        self.blocks
            .values()
            .filter(|entry| !entry.is_shadow())
            .count()
    }

    /// Top-level entries (script heads and loose reporters), as (id, entry).
    pub fn top_level_blocks(&self) -> impl Iterator<Item = (&str, &BlockEntry)> {
        self.blocks
            .iter()
            .filter(|(_, entry)| entry.is_top_level() && !entry.is_shadow())
            .map(|(id, entry)| (id.as_str(), entry))
    }
}
