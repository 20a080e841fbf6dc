//! Blocks: the entries of a target's `blocks` map.

use indexmap::IndexMap;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Number, Value};
use std::fmt;

/// One entry of a target's `blocks` map: a full block, or a compact top-level primitive.
///
/// Scratch 3 writes variable and list reporters lying loose on the workspace as arrays
/// (`[12, "name", "id", x, y]` for a variable, `13` for a list), everything else as an object.
#[derive(Debug, Clone, PartialEq)]
pub enum BlockEntry {
    /// A block object.
    Block(Box<Block>),
    /// A compact primitive array, kept as it was.
    Primitive(Vec<Value>),
}

impl BlockEntry {
    /// The block, when this entry is a full block.
    pub fn as_block(&self) -> Option<&Block> {
        match self {
            BlockEntry::Block(block) => Some(block),
            BlockEntry::Primitive(_) => None,
        }
    }

    /// Whether this entry begins a script or lies loose on the workspace (a top-level block
    /// or a primitive, which is always top level).
    pub fn is_top_level(&self) -> bool {
        match self {
            BlockEntry::Block(block) => block.top_level,
            BlockEntry::Primitive(_) => true,
        }
    }

    /// Whether this entry is a shadow block (the editable slot of an input).
    pub fn is_shadow(&self) -> bool {
        matches!(self, BlockEntry::Block(block) if block.shadow)
    }
}

impl Serialize for BlockEntry {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            BlockEntry::Block(block) => block.serialize(serializer),
            BlockEntry::Primitive(items) => items.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for BlockEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = BlockEntry;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a block object or a primitive array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<BlockEntry, A::Error> {
                Vec::<Value>::deserialize(de::value::SeqAccessDeserializer::new(seq))
                    .map(BlockEntry::Primitive)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<BlockEntry, A::Error> {
                Block::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|block| BlockEntry::Block(Box::new(block)))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// A block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Block {
    /// What the block does, e.g. `event_whenflagclicked`, `data_setvariableto`.
    pub opcode: String,
    /// Id of the block below it, if any.
    #[serde(default)]
    pub next: Option<String>,
    /// Id of the block it sits in or under, if any.
    #[serde(default)]
    pub parent: Option<String>,
    /// Inputs by name: `[shadowState, value…]` arrays (kept as JSON).
    #[serde(default)]
    pub inputs: IndexMap<String, Value>,
    /// Fields by name: `[value, id?]` arrays (kept as JSON).
    #[serde(default)]
    pub fields: IndexMap<String, Value>,
    /// Whether it is a shadow block.
    #[serde(default)]
    pub shadow: bool,
    /// Whether it starts a script (then `x`/`y` place it on the workspace).
    #[serde(rename = "topLevel", default)]
    pub top_level: bool,
    /// Workspace position of a top-level block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<Number>,
    /// Workspace position of a top-level block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<Number>,
    /// Id of the comment attached to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Extra data of custom blocks and some extension blocks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mutation: Option<Mutation>,
    /// Keys this model does not know, kept as they were.
    #[serde(flatten)]
    pub extra: IndexMap<String, Value>,
}

impl Block {
    /// Id of the block that fills input `name` (`[_, "id", …]`), if that input holds a block.
    ///
    /// ```
    /// let block: scratchkit_sb3::Block = serde_json::from_str(
    ///     r#"{"opcode":"control_forever","next":null,"parent":null,
    ///         "inputs":{"SUBSTACK":[2,"abc"]},"fields":{},"shadow":false,"topLevel":true}"#,
    /// ).unwrap();
    /// assert_eq!(block.input_block("SUBSTACK"), Some("abc"));
    /// assert_eq!(block.input_block("OTHER"), None);
    /// ```
    pub fn input_block(&self, name: &str) -> Option<&str> {
        self.inputs.get(name)?.as_array()?.get(1)?.as_str()
    }

    /// The value of field `name` (the first element of its array).
    pub fn field_value(&self, name: &str) -> Option<&Value> {
        self.fields.get(name)?.as_array()?.first()
    }
}

/// The `mutation` of a block: custom block signatures and a few extension blocks.
///
/// Scratch stores the lists `argumentids`, `argumentnames` and `argumentdefaults` as JSON
/// *text*; [`argument_ids`](Mutation::argument_ids) and friends decode it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Mutation {
    /// Always `"mutation"` in files written by the editor.
    #[serde(rename = "tagName", default, skip_serializing_if = "Option::is_none")]
    pub tag_name: Option<String>,
    /// Always empty in files written by the editor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub children: Option<Vec<Value>>,
    /// The custom block's text with `%s`/`%b` for its arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proccode: Option<String>,
    /// JSON text: array of argument ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub argumentids: Option<String>,
    /// JSON text: array of argument names (on prototypes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub argumentnames: Option<String>,
    /// JSON text: array of argument default values (on prototypes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub argumentdefaults: Option<String>,
    /// "Run without screen refresh": `"true"`/`"false"` (or a boolean in some files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warp: Option<Value>,
    /// Keys this model does not know (e.g. `hasnext` of `control_stop`), kept as they were.
    #[serde(flatten)]
    pub extra: IndexMap<String, Value>,
}

impl Mutation {
    /// Decodes `argumentids`. Absent → empty.
    ///
    /// # Errors
    ///
    /// [`Error::Json`](crate::Error::Json) when the text is not a JSON array of strings.
    pub fn argument_ids(&self) -> crate::Result<Vec<String>> {
        decode_text_list(self.argumentids.as_deref())
    }

    /// Decodes `argumentnames`. Absent → empty.
    ///
    /// # Errors
    ///
    /// [`Error::Json`](crate::Error::Json) when the text is not a JSON array of strings.
    pub fn argument_names(&self) -> crate::Result<Vec<String>> {
        decode_text_list(self.argumentnames.as_deref())
    }

    /// Whether the custom block runs without screen refresh.
    pub fn is_warp(&self) -> bool {
        match &self.warp {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => s == "true",
            _ => false,
        }
    }
}

fn decode_text_list(text: Option<&str>) -> crate::Result<Vec<String>> {
    match text {
        None => Ok(Vec::new()),
        Some(text) => {
            let de = &mut serde_json::Deserializer::from_str(text);
            serde_path_to_error::deserialize(de).map_err(crate::Error::json)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn primitive_and_block_entries() {
        let raw = json!({
            "a": [12, "score", "varid", 10, 20.5],
            "b": {"opcode": "procedures_prototype", "next": null, "parent": "c",
                  "inputs": {}, "fields": {}, "shadow": true, "topLevel": false,
                  "mutation": {"tagName": "mutation", "children": [], "proccode": "jump %s",
                               "argumentids": "[\"x1\"]", "argumentnames": "[\"height\"]",
                               "argumentdefaults": "[\"\"]", "warp": "true"}}
        });
        let map: IndexMap<String, BlockEntry> = serde_json::from_value(raw.clone()).unwrap();
        assert!(matches!(map["a"], BlockEntry::Primitive(ref p) if p.len() == 5));
        assert!(map["a"].is_top_level());
        let block = map["b"].as_block().unwrap();
        assert!(map["b"].is_shadow());
        let mutation = block.mutation.as_ref().unwrap();
        assert_eq!(mutation.argument_ids().unwrap(), vec!["x1".to_owned()]);
        assert_eq!(
            mutation.argument_names().unwrap(),
            vec!["height".to_owned()]
        );
        assert!(mutation.is_warp());
        assert_eq!(serde_json::to_value(&map).unwrap(), raw);
    }

    #[test]
    fn bad_argument_ids_is_an_error() {
        let mutation = Mutation {
            argumentids: Some("[1,".to_owned()),
            ..Mutation::default()
        };
        assert!(matches!(
            mutation.argument_ids(),
            Err(crate::Error::Json { .. })
        ));
    }

    #[test]
    fn scalar_entry_is_an_error() {
        assert!(serde_json::from_value::<BlockEntry>(json!(12)).is_err());
    }
}
