//! Scratch 2 projects: recognised and summarised, not modelled.

use indexmap::IndexMap;
use serde_json::{Map, Value};

/// Basic facts about a Scratch 2 project (its project JSON has `objName` at the root).
///
/// Anything more than this summary is [`Error::Scratch2Unsupported`](crate::Error).
#[derive(Debug, Clone, PartialEq)]
pub struct Sb2Summary {
    /// The root object's name, `"Stage"`.
    pub obj_name: String,
    /// Entries in the stage's `children`: sprites, variable watchers and list watchers.
    pub children: usize,
    /// Names of the sprites (the children that have an `objName`), in file order.
    pub sprite_names: Vec<String>,
    /// Costumes of the stage and all sprites.
    pub costume_count: usize,
    /// Sounds of the stage and all sprites.
    pub sound_count: usize,
    /// The `info` object (`projectID`, `spriteCount`, `swfVersion`…), kept as it was.
    pub info: IndexMap<String, Value>,
}

impl Sb2Summary {
    pub(crate) fn from_root(root: &Map<String, Value>) -> Sb2Summary {
        let obj_name = root
            .get("objName")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let children: &[Value] = root
            .get("children")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let sprites: Vec<&Map<String, Value>> = children
            .iter()
            .filter_map(Value::as_object)
            .filter(|child| child.contains_key("objName"))
            .collect();
        let sprite_names = sprites
            .iter()
            .filter_map(|child| child.get("objName").and_then(Value::as_str))
            .map(str::to_owned)
            .collect();
        let count = |obj: &Map<String, Value>, key: &str| {
            obj.get(key).and_then(Value::as_array).map_or(0, Vec::len)
        };
        let costume_count =
            count(root, "costumes") + sprites.iter().map(|s| count(s, "costumes")).sum::<usize>();
        let sound_count =
            count(root, "sounds") + sprites.iter().map(|s| count(s, "sounds")).sum::<usize>();
        let info = root
            .get("info")
            .and_then(Value::as_object)
            .map(|info| info.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        Sb2Summary {
            obj_name,
            children: children.len(),
            sprite_names,
            costume_count,
            sound_count,
            info,
        }
    }

    /// `info.projectID`, as text (Scratch 2 writes it as a string).
    pub fn project_id(&self) -> Option<String> {
        match self.info.get("projectID")? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// `info.hasCloudData`.
    pub fn has_cloud_data(&self) -> Option<bool> {
        self.info.get("hasCloudData")?.as_bool()
    }

    /// `info.spriteCount`.
    pub fn sprite_count(&self) -> Option<u64> {
        self.info.get("spriteCount")?.as_u64()
    }

    /// `info.scriptCount`.
    pub fn script_count(&self) -> Option<u64> {
        self.info.get("scriptCount")?.as_u64()
    }

    /// `info.swfVersion`: the Scratch 2 editor version, e.g. `v442`.
    pub fn swf_version(&self) -> Option<&str> {
        self.info.get("swfVersion")?.as_str()
    }

    /// `info.userAgent` of the browser that saved it.
    pub fn user_agent(&self) -> Option<&str> {
        self.info.get("userAgent")?.as_str()
    }
}
