//! Monitors: the variable, list and reporter displays on the stage.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

/// A monitor shown (or once shown) on the stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Monitor {
    /// Its id: the variable or list id, or a name derived from the opcode.
    pub id: String,
    /// `default`, `large`, `slider` or `list`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// The reporter it shows, e.g. `data_variable`, `sensing_username`.
    pub opcode: String,
    /// The reporter's fields, e.g. `{"VARIABLE": "my variable"}`.
    #[serde(default)]
    pub params: IndexMap<String, Value>,
    /// Sprite whose local variable it shows; `None` (`null`) for the stage and globals.
    #[serde(rename = "spriteName", default)]
    pub sprite_name: Option<String>,
    /// Last shown value (an array of items for list monitors).
    #[serde(default)]
    pub value: Value,
    /// Width on the stage (0 = automatic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<Number>,
    /// Height on the stage (0 = automatic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<Number>,
    /// Position on the stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<Number>,
    /// Position on the stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<Number>,
    /// Whether it is shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible: Option<bool>,
    /// Slider minimum.
    #[serde(rename = "sliderMin", default, skip_serializing_if = "Option::is_none")]
    pub slider_min: Option<Number>,
    /// Slider maximum.
    #[serde(rename = "sliderMax", default, skip_serializing_if = "Option::is_none")]
    pub slider_max: Option<Number>,
    /// Whether the slider moves in whole steps.
    #[serde(
        rename = "isDiscrete",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_discrete: Option<bool>,
    /// Keys this model does not know, kept as they were.
    #[serde(flatten)]
    pub extra: IndexMap<String, Value>,
}
