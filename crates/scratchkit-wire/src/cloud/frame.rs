//! The cloud WebSocket frame codec: messages, encoding and newline-split decoding.
//!
//! Clients send JSON objects with a `method` (`handshake`, `set`, `create`, `rename`,
//! `delete`); servers send `set` objects. One frame may carry several objects joined by `\n`.

use serde_json::{Map, Value};

use scratchkit_model::js_number_to_string;

/// A message a client sends to a cloud server. Names are full names (with the `☁ ` prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientMessage {
    /// Joins the room of a project; must be the first message.
    Handshake {
        /// The username.
        user: String,
        /// The project id (the room).
        project_id: String,
    },
    /// Stores a value and broadcasts it.
    Set {
        /// Full variable name.
        name: String,
        /// The value, sent as a JSON string.
        value: String,
    },
    /// Registers a new variable.
    Create {
        /// Full variable name.
        name: String,
        /// Initial value, sent as a JSON string.
        value: String,
    },
    /// Renames a variable.
    Rename {
        /// Current full name.
        name: String,
        /// New full name.
        new_name: String,
    },
    /// Deletes a variable.
    Delete {
        /// Full variable name.
        name: String,
    },
}

impl ClientMessage {
    /// The `method` field of this message.
    pub fn method(&self) -> &'static str {
        match self {
            ClientMessage::Handshake { .. } => "handshake",
            ClientMessage::Set { .. } => "set",
            ClientMessage::Create { .. } => "create",
            ClientMessage::Rename { .. } => "rename",
            ClientMessage::Delete { .. } => "delete",
        }
    }

    /// Encodes this message as one JSON object (no trailing newline), with fields in the
    /// official client's order: `method`, `user`, `project_id`, `name`, `new_name`, `value`.
    ///
    /// Like the official client, `user` and `project_id` are included on every message;
    /// for a handshake they come from the message itself.
    ///
    /// ```
    /// use scratchkit_wire::cloud::ClientMessage;
    ///
    /// let set = ClientMessage::Set { name: "☁ score".into(), value: "42".into() };
    /// assert_eq!(
    ///     set.encode("griffpatch", "123"),
    ///     r#"{"method":"set","user":"griffpatch","project_id":"123","name":"☁ score","value":"42"}"#
    /// );
    /// ```
    pub fn encode(&self, user: &str, project_id: &str) -> String {
        let (user, project_id) = match self {
            ClientMessage::Handshake { user, project_id } => (user.as_str(), project_id.as_str()),
            _ => (user, project_id),
        };
        let mut out = String::with_capacity(96);
        out.push_str("{\"method\":");
        push_json_str(&mut out, self.method());
        out.push_str(",\"user\":");
        push_json_str(&mut out, user);
        out.push_str(",\"project_id\":");
        push_json_str(&mut out, project_id);
        match self {
            ClientMessage::Handshake { .. } => {}
            ClientMessage::Set { name, value } | ClientMessage::Create { name, value } => {
                out.push_str(",\"name\":");
                push_json_str(&mut out, name);
                out.push_str(",\"value\":");
                push_json_str(&mut out, value);
            }
            ClientMessage::Rename { name, new_name } => {
                out.push_str(",\"name\":");
                push_json_str(&mut out, name);
                out.push_str(",\"new_name\":");
                push_json_str(&mut out, new_name);
            }
            ClientMessage::Delete { name } => {
                out.push_str(",\"name\":");
                push_json_str(&mut out, name);
            }
        }
        out.push('}');
        out
    }

    /// Decodes one client message (one line of a frame). Numeric `value`s and `project_id`s
    /// are turned into strings the JavaScript way.
    ///
    /// # Errors
    ///
    /// [`FrameError`] when the line is not a JSON object, has no string `method`, an
    /// unknown method, or misses a field.
    pub fn decode(line: &str) -> Result<Self, FrameError> {
        let object = parse_object(line)?;
        let method = method_of(&object)?;
        let field = |key: &'static str| -> Result<String, FrameError> {
            object
                .get(key)
                .and_then(scalar_to_string)
                .ok_or(FrameError::MissingField(key))
        };
        Ok(match method {
            "handshake" => ClientMessage::Handshake {
                user: field("user")?,
                project_id: field("project_id")?,
            },
            "set" => ClientMessage::Set {
                name: field("name")?,
                value: field("value")?,
            },
            "create" => ClientMessage::Create {
                name: field("name")?,
                value: field("value")?,
            },
            "rename" => ClientMessage::Rename {
                name: field("name")?,
                new_name: field("new_name")?,
            },
            "delete" => ClientMessage::Delete {
                name: field("name")?,
            },
            other => return Err(FrameError::UnknownMethod(other.to_owned())),
        })
    }
}

/// Encodes several client messages as one frame: each object followed by `\n`.
///
/// ```
/// use scratchkit_wire::cloud::{encode_client_frame, ClientMessage};
///
/// let frame = encode_client_frame(
///     &[
///         ClientMessage::Set { name: "☁ a".into(), value: "1".into() },
///         ClientMessage::Set { name: "☁ b".into(), value: "2".into() },
///     ],
///     "me",
///     "1",
/// );
/// assert_eq!(frame.lines().count(), 2);
/// assert!(frame.ends_with('\n'));
/// ```
pub fn encode_client_frame(messages: &[ClientMessage], user: &str, project_id: &str) -> String {
    let mut out = String::new();
    for message in messages {
        out.push_str(&message.encode(user, project_id));
        out.push('\n');
    }
    out
}

/// Splits a frame a client sent on `\n` (as TurboWarp's server does), skips empty (or
/// all-whitespace) pieces and decodes each piece. A bad piece gives an `Err` in its place and
/// does not stop the others.
///
/// ```
/// use scratchkit_wire::cloud::{ClientMessage, decode_client_frame};
///
/// let frame = "{\"method\":\"handshake\",\"user\":\"me\",\"project_id\":7}\n{\"method\":\"get\"}\n";
/// let messages = decode_client_frame(frame);
/// assert_eq!(
///     messages[0],
///     Ok(ClientMessage::Handshake { user: "me".into(), project_id: "7".into() })
/// );
/// assert!(messages[1].is_err());
/// ```
pub fn decode_client_frame(frame: &str) -> Vec<Result<ClientMessage, FrameError>> {
    frame
        .split('\n')
        .filter(|piece| !piece.trim().is_empty())
        .map(ClientMessage::decode)
        .collect()
}

/// A message a cloud server sends to a client. Names are as the server sent them (with the
/// `☁ ` prefix); values are strings (numbers formatted the JavaScript way).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerMessage {
    /// A variable has (or had, for the join snapshot) this value.
    Set {
        /// Full variable name.
        name: String,
        /// The value; JSON numbers are converted with [`js_number_to_string`].
        value: String,
    },
    /// A variable was created (servers rarely send this; Scratch and TurboWarp never do).
    Create {
        /// Full variable name.
        name: String,
        /// Its value.
        value: String,
    },
    /// A variable was renamed (not sent by Scratch or TurboWarp).
    Rename {
        /// Old full name.
        name: String,
        /// New full name.
        new_name: String,
    },
    /// A variable was deleted (not sent by Scratch or TurboWarp).
    Delete {
        /// Full variable name.
        name: String,
    },
    /// A message with another method (for example the old `ack`); clients ignore it.
    Other {
        /// Its `method`.
        method: String,
    },
}

impl ServerMessage {
    /// Encodes this message as one JSON object (no trailing newline). Values are sent as
    /// JSON strings.
    pub fn encode(&self) -> String {
        let mut out = String::with_capacity(64);
        out.push_str("{\"method\":");
        match self {
            ServerMessage::Set { name, value } | ServerMessage::Create { name, value } => {
                let method = if matches!(self, ServerMessage::Set { .. }) {
                    "set"
                } else {
                    "create"
                };
                push_json_str(&mut out, method);
                out.push_str(",\"name\":");
                push_json_str(&mut out, name);
                out.push_str(",\"value\":");
                push_json_str(&mut out, value);
            }
            ServerMessage::Rename { name, new_name } => {
                push_json_str(&mut out, "rename");
                out.push_str(",\"name\":");
                push_json_str(&mut out, name);
                out.push_str(",\"new_name\":");
                push_json_str(&mut out, new_name);
            }
            ServerMessage::Delete { name } => {
                push_json_str(&mut out, "delete");
                out.push_str(",\"name\":");
                push_json_str(&mut out, name);
            }
            ServerMessage::Other { method } => push_json_str(&mut out, method),
        }
        out.push('}');
        out
    }

    /// Decodes one server message (one line of a frame). Unknown fields are ignored.
    ///
    /// # Errors
    ///
    /// [`FrameError`] when the line is not a JSON object, has no string `method`, or a
    /// `set` misses its name or value.
    pub fn decode(line: &str) -> Result<Self, FrameError> {
        let object = parse_object(line)?;
        let method = method_of(&object)?;
        let string = |key: &'static str| -> Result<String, FrameError> {
            object
                .get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or(FrameError::MissingField(key))
        };
        let value = || -> Result<String, FrameError> {
            object
                .get("value")
                .and_then(scalar_to_string)
                .ok_or(FrameError::MissingField("value"))
        };
        Ok(match method {
            "set" => ServerMessage::Set {
                name: string("name")?,
                value: value()?,
            },
            "create" => ServerMessage::Create {
                name: string("name")?,
                value: value()?,
            },
            "rename" => ServerMessage::Rename {
                name: string("name")?,
                new_name: string("new_name")?,
            },
            "delete" => ServerMessage::Delete {
                name: string("name")?,
            },
            other => ServerMessage::Other {
                method: other.to_owned(),
            },
        })
    }
}

/// Splits a frame on `\n`, skips empty (or all-whitespace) pieces and decodes each piece.
/// A bad piece gives an `Err` in its place and does not stop the others.
///
/// ```
/// use scratchkit_wire::cloud::{decode_server_frame, ServerMessage};
///
/// let frame = "{\"method\":\"set\",\"name\":\"☁ a\",\"value\":1E5}\n\nnot json\n";
/// let messages = decode_server_frame(frame);
/// assert_eq!(messages.len(), 2);
/// assert_eq!(
///     messages[0],
///     Ok(ServerMessage::Set { name: "☁ a".into(), value: "100000".into() })
/// );
/// assert!(messages[1].is_err());
/// ```
pub fn decode_server_frame(frame: &str) -> Vec<Result<ServerMessage, FrameError>> {
    frame
        .split('\n')
        .filter(|piece| !piece.trim().is_empty())
        .map(ServerMessage::decode)
        .collect()
}

/// Encodes several server messages as one frame, joined by `\n` without a trailing newline
/// (as TurboWarp does).
pub fn encode_server_frame(messages: &[ServerMessage]) -> String {
    messages
        .iter()
        .map(ServerMessage::encode)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Why a line of a cloud frame could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FrameError {
    /// The line is not JSON (servers send plain sentences before some closes).
    #[error("not JSON: {0}")]
    NotJson(String),
    /// The line is JSON but not an object.
    #[error("not a JSON object")]
    NotAnObject,
    /// `method` is missing or not a string.
    #[error("missing or non-string `method`")]
    NoMethod,
    /// A client message with an unknown method.
    #[error("unknown method `{0}`")]
    UnknownMethod(String),
    /// A required field is missing or has the wrong type.
    #[error("missing or invalid field `{0}`")]
    MissingField(&'static str),
}

fn parse_object(line: &str) -> Result<Map<String, Value>, FrameError> {
    match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(FrameError::NotAnObject),
        Err(error) => Err(FrameError::NotJson(error.to_string())),
    }
}

fn method_of(object: &Map<String, Value>) -> Result<&str, FrameError> {
    object
        .get("method")
        .and_then(Value::as_str)
        .ok_or(FrameError::NoMethod)
}

/// A JSON string as itself, a JSON number in JavaScript formatting; anything else is `None`.
fn scalar_to_string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(match (n.as_i64(), n.as_u64()) {
            (Some(i), _) if i.unsigned_abs() <= 1 << 53 => i.to_string(),
            (_, Some(u)) if u <= 1 << 53 => u.to_string(),
            _ => js_number_to_string(n.as_f64().unwrap_or(f64::NAN)),
        }),
        _ => None,
    }
}

fn push_json_str(out: &mut String, s: &str) {
    // Serialising a `str` to JSON cannot fail.
    out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| String::from("\"\"")));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handshake_encodes_like_the_official_client() {
        let handshake = ClientMessage::Handshake {
            user: "griffpatch".into(),
            project_id: "12345678".into(),
        };
        assert_eq!(
            handshake.encode("ignored", "ignored"),
            r#"{"method":"handshake","user":"griffpatch","project_id":"12345678"}"#
        );
    }

    #[test]
    fn decodes_other_clients_serialisations() {
        let sa = r#"{"method": "set", "name": "\u2601 foo", "value": 123, "user": "sa", "project_id": 1234}"#;
        assert_eq!(
            ClientMessage::decode(sa),
            Ok(ClientMessage::Set {
                name: "☁ foo".into(),
                value: "123".into()
            })
        );
        let handshake = r#"{"method":"handshake","user":"sa","project_id":1234}"#;
        assert_eq!(
            ClientMessage::decode(handshake),
            Ok(ClientMessage::Handshake {
                user: "sa".into(),
                project_id: "1234".into()
            })
        );
    }

    #[test]
    fn client_decode_errors_are_typed() {
        assert!(matches!(
            ClientMessage::decode("{\"method\":\"set\",\"value\":Infinity}"),
            Err(FrameError::NotJson(_))
        ));
        assert_eq!(ClientMessage::decode("[1]"), Err(FrameError::NotAnObject));
        assert_eq!(
            ClientMessage::decode("{\"method\":3}"),
            Err(FrameError::NoMethod)
        );
        assert_eq!(
            ClientMessage::decode("{\"method\":\"get\"}"),
            Err(FrameError::UnknownMethod("get".into()))
        );
        assert_eq!(
            ClientMessage::decode("{\"method\":\"delete\"}"),
            Err(FrameError::MissingField("name"))
        );
    }

    #[test]
    fn server_numbers_are_formatted_the_javascript_way() {
        let cases = [
            ("1E5", "100000"),
            ("1.50", "1.5"),
            ("-0", "0"),
            ("1e21", "1e+21"),
            ("0.0000001", "1e-7"),
            ("9007199254740993", "9007199254740992"),
            ("-12", "-12"),
        ];
        for (json, want) in cases {
            let line = format!("{{\"method\":\"set\",\"name\":\"☁ x\",\"value\":{json}}}");
            assert_eq!(
                ServerMessage::decode(&line),
                Ok(ServerMessage::Set {
                    name: "☁ x".into(),
                    value: want.into()
                }),
                "{json}"
            );
        }
    }

    #[test]
    fn server_frames_are_split_and_tolerant() {
        let frame = "{\"method\":\"set\",\"name\":\"☁ a\",\"value\":\"1\",\"user\":\"x\",\"timestamp\":1.5}\n\
                     This server is closed to protect your security.\n\
                     \n\
                     {\"method\":\"ack\",\"name\":\"☁ a\"}\r\n\
                     {\"method\":\"set\",\"name\":\"☁ b\"}";
        let decoded = decode_server_frame(frame);
        assert_eq!(decoded.len(), 4);
        assert_eq!(
            decoded[0],
            Ok(ServerMessage::Set {
                name: "☁ a".into(),
                value: "1".into()
            })
        );
        assert!(matches!(decoded[1], Err(FrameError::NotJson(_))));
        assert_eq!(
            decoded[2],
            Ok(ServerMessage::Other {
                method: "ack".into()
            })
        );
        assert_eq!(decoded[3], Err(FrameError::MissingField("value")));
    }

    #[test]
    fn non_scalar_values_are_refused() {
        for value in ["null", "true", "[]", "{}"] {
            let line = format!("{{\"method\":\"set\",\"name\":\"☁ x\",\"value\":{value}}}");
            assert_eq!(
                ServerMessage::decode(&line),
                Err(FrameError::MissingField("value")),
                "{value}"
            );
        }
    }
}
