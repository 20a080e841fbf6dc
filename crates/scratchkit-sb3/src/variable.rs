//! Variables and lists, stored in project.json as short arrays.

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// A variable: `[name, value]`, or `[name, value, true]` for a cloud variable.
///
/// Cloud variable names start with `☁ ` (a cloud and a space) in the editor.
#[derive(Debug, Clone, PartialEq)]
pub struct Variable {
    /// The variable's name.
    pub name: String,
    /// Its value: a number or a string (Scratch keeps both).
    pub value: Value,
    /// The third array element when present: `Some(true)` for a cloud variable.
    pub cloud: Option<bool>,
}

impl Variable {
    /// A new ordinary (not cloud) variable.
    pub fn new(name: impl Into<String>, value: impl Into<Value>) -> Self {
        Variable {
            name: name.into(),
            value: value.into(),
            cloud: None,
        }
    }

    /// Whether this is a cloud variable.
    pub fn is_cloud(&self) -> bool {
        self.cloud == Some(true)
    }
}

impl Serialize for Variable {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let len = if self.cloud.is_some() { 3 } else { 2 };
        let mut seq = serializer.serialize_seq(Some(len))?;
        seq.serialize_element(&self.name)?;
        seq.serialize_element(&self.value)?;
        if let Some(cloud) = self.cloud {
            seq.serialize_element(&cloud)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for Variable {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Variable;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a variable: [name, value] or [name, value, isCloud]")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Variable, A::Error> {
                let name: String = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let value: Value = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(1, &self))?;
                let cloud: Option<bool> = seq.next_element()?;
                if seq.next_element::<de::IgnoredAny>()?.is_some() {
                    return Err(de::Error::invalid_length(4, &self));
                }
                Ok(Variable { name, value, cloud })
            }
        }
        deserializer.deserialize_seq(V)
    }
}

/// A list: `[name, [items…]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct List {
    /// The list's name.
    pub name: String,
    /// Its items (numbers or strings).
    pub items: Vec<Value>,
}

impl Serialize for List {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (&self.name, &self.items).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for List {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (name, items) = <(String, Vec<Value>)>::deserialize(deserializer)?;
        Ok(List { name, items })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cloud_flag_round_trips() {
        for raw in [
            json!(["a", 1]),
            json!(["☁ score", "12", true]),
            json!(["b", 2.5, false]),
        ] {
            let var: Variable = serde_json::from_value(raw.clone()).unwrap();
            assert_eq!(serde_json::to_value(&var).unwrap(), raw);
        }
        let cloud: Variable = serde_json::from_value(json!(["☁ x", 0, true])).unwrap();
        assert!(cloud.is_cloud());
        assert!(!Variable::new("y", 0).is_cloud());
    }

    #[test]
    fn bad_variables_are_errors() {
        assert!(serde_json::from_value::<Variable>(json!(["a"])).is_err());
        assert!(serde_json::from_value::<Variable>(json!(["a", 1, true, 4])).is_err());
        assert!(serde_json::from_value::<Variable>(json!({"a": 1})).is_err());
    }

    #[test]
    fn list_round_trips() {
        let raw = json!(["things", [1, "two", 3.5]]);
        let list: List = serde_json::from_value(raw.clone()).unwrap();
        assert_eq!(list.items.len(), 3);
        assert_eq!(serde_json::to_value(&list).unwrap(), raw);
    }
}
