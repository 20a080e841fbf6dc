//! Reading one client message: a flat JSON object of strings and numbers, the shape every
//! cloud client sends. A small scanner reads that shape without building a JSON tree; anything
//! else (escapes, nesting, `true`/`null`, odd numbers) goes to `serde_json`, so both paths give
//! the same answer.

use std::borrow::Cow;

use serde_json::Value;

/// A field's value, as far as the server cares.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Field<'a> {
    /// A JSON string.
    Text(Cow<'a, str>),
    /// A finite JSON number.
    Number(f64),
    /// Anything else (`true`, `null`, an array, an object).
    Other,
}

impl Field<'_> {
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Field::Text(text) => Some(text),
            _ => None,
        }
    }
}

/// The fields of a message the server reads (later duplicates win, as in a JSON map).
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Incoming<'a> {
    pub(crate) method: Option<Field<'a>>,
    pub(crate) user: Option<Field<'a>>,
    pub(crate) project_id: Option<Field<'a>>,
    pub(crate) name: Option<Field<'a>>,
    pub(crate) new_name: Option<Field<'a>>,
    pub(crate) value: Option<Field<'a>>,
}

impl<'a> Incoming<'a> {
    fn slot(&mut self, key: &str) -> Option<&mut Option<Field<'a>>> {
        Some(match key {
            "method" => &mut self.method,
            "user" => &mut self.user,
            "project_id" => &mut self.project_id,
            "name" => &mut self.name,
            "new_name" => &mut self.new_name,
            "value" => &mut self.value,
            _ => return None,
        })
    }
}

/// Parses one message; `None` if it is not a JSON object.
pub(crate) fn parse(line: &str) -> Option<Incoming<'_>> {
    match scan(line.as_bytes(), line) {
        Scan::Done(message) => Some(message),
        Scan::Invalid => None,
        Scan::Unsure => parse_slow(line),
    }
}

enum Scan<'a> {
    Done(Incoming<'a>),
    /// Certainly not a JSON object.
    Invalid,
    /// Outside the scanner's shape: ask serde_json.
    Unsure,
}

fn parse_slow(line: &str) -> Option<Incoming<'_>> {
    let Ok(Value::Object(object)) = serde_json::from_str::<Value>(line) else {
        return None;
    };
    let mut message = Incoming::default();
    for (key, value) in object {
        let Some(slot) = message.slot(&key) else {
            continue;
        };
        *slot = Some(match value {
            Value::String(text) => Field::Text(Cow::Owned(text)),
            Value::Number(number) => match number.as_f64() {
                Some(n) if n.is_finite() => Field::Number(n),
                _ => Field::Other,
            },
            _ => Field::Other,
        });
    }
    Some(message)
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// A string without escapes or control characters starting at the quote at `i`: its text and
/// the index after the closing quote.
fn plain_string(bytes: &[u8], i: usize) -> Option<(usize, usize)> {
    let start = i + 1;
    let mut j = start;
    while j < bytes.len() {
        match bytes[j] {
            b'"' => return Some((start, j)),
            b'\\' | 0..=0x1f => return None,
            _ => j += 1,
        }
    }
    None
}

/// A number in strict JSON grammar starting at `i`: its end.
fn number_end(bytes: &[u8], mut i: usize) -> Option<usize> {
    let digits = |bytes: &[u8], mut i: usize| {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        (i > start).then_some(i)
    };
    if bytes.get(i) == Some(&b'-') {
        i += 1;
    }
    match bytes.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => i = digits(bytes, i)?,
        _ => return None,
    }
    if bytes.get(i) == Some(&b'.') {
        i = digits(bytes, i + 1)?;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        i = digits(bytes, i)?;
    }
    Some(i)
}

fn scan<'a>(bytes: &[u8], text: &'a str) -> Scan<'a> {
    let mut i = skip_ws(bytes, 0);
    if bytes.get(i) != Some(&b'{') {
        // Not an object (or not JSON at all): serde_json would refuse it as an object too.
        return Scan::Invalid;
    }
    let mut message = Incoming::default();
    i = skip_ws(bytes, i + 1);
    if bytes.get(i) == Some(&b'}') {
        return finish(bytes, i + 1, message);
    }
    loop {
        if bytes.get(i) != Some(&b'"') {
            return Scan::Unsure;
        }
        let Some((key_start, key_end)) = plain_string(bytes, i) else {
            return Scan::Unsure;
        };
        i = skip_ws(bytes, key_end + 1);
        if bytes.get(i) != Some(&b':') {
            return Scan::Unsure;
        }
        i = skip_ws(bytes, i + 1);
        let field = match bytes.get(i) {
            Some(b'"') => {
                let Some((start, end)) = plain_string(bytes, i) else {
                    return Scan::Unsure;
                };
                i = end + 1;
                Field::Text(Cow::Borrowed(&text[start..end]))
            }
            Some(b'-' | b'0'..=b'9') => {
                let Some(end) = number_end(bytes, i) else {
                    return Scan::Unsure;
                };
                match text[i..end].parse::<f64>() {
                    Ok(n) if n.is_finite() => {
                        i = end;
                        Field::Number(n)
                    }
                    _ => return Scan::Unsure,
                }
            }
            _ => return Scan::Unsure,
        };
        if let Some(slot) = message.slot(&text[key_start..key_end]) {
            *slot = Some(field);
        }
        i = skip_ws(bytes, i);
        match bytes.get(i) {
            Some(b',') => i = skip_ws(bytes, i + 1),
            Some(b'}') => return finish(bytes, i + 1, message),
            _ => return Scan::Unsure,
        }
    }
}

fn finish<'a>(bytes: &[u8], i: usize, message: Incoming<'a>) -> Scan<'a> {
    if skip_ws(bytes, i) == bytes.len() {
        Scan::Done(message)
    } else {
        Scan::Unsure
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both paths agree on every input (the slow path is the reference).
    fn same(line: &str) {
        assert_eq!(parse(line), parse_slow(line), "{line:?}");
    }

    #[test]
    fn the_common_shapes_are_read_without_serde() {
        let line = r#"{"method":"set","name":"☁ a","value":12.5}"#;
        assert!(matches!(scan(line.as_bytes(), line), Scan::Done(_)));
        let message = parse(line).unwrap();
        assert_eq!(message.method.unwrap().as_str(), Some("set"));
        assert_eq!(message.value, Some(Field::Number(12.5)));
        let spaced = r#"{ "method": "set", "name": "☁ a", "value": "007" }"#;
        assert!(matches!(scan(spaced.as_bytes(), spaced), Scan::Done(_)));
        assert_eq!(
            parse(spaced).unwrap().value,
            Some(Field::Text(Cow::Borrowed("007")))
        );
    }

    #[test]
    fn both_paths_agree() {
        for line in [
            r#"{"method":"set","name":"☁ a","value":1}"#,
            r#"{"method":"set","name":"☁ a","value":1,"value":2}"#,
            r#"{"method":"set","name":"☁ \u0061","value":-0}"#,
            r#"{"method":"set","name":"☁ a","value":1e400}"#,
            r#"{"method":"set","name":"☁ a","value":1E5}"#,
            r#"{"method":"set","name":"☁ a","value":01}"#,
            r#"{"method":"set","name":"☁ a","value":-}"#,
            r#"{"method":"set","name":"☁ a","value":1.}"#,
            r#"{"method":"set","name":"☁ a","value":true}"#,
            r#"{"method":"set","name":"☁ a","value":[1]}"#,
            r#"{"method":"set","name":"☁ a","value":{"x":1}}"#,
            r#"{"method":"set","name":"☁ a","value":null}"#,
            r#"{"method":"handshake","project_id":123,"user":"kaj"}"#,
            r#"{"method":"handshake","project_id":"123","user":"kaj","x":[{}]}"#,
            r#"{"method":"set"} trailing"#,
            r#"{"method":"set",}"#,
            r#"{"method" "set"}"#,
            r#"{}"#,
            r#"  {}  "#,
            r#"[]"#,
            r#""set""#,
            r#"12"#,
            r#"{"method":"set","name":"a\"b","value":"1"}"#,
            r#"{"method":"set","name":"tab	in","value":"1"}"#,
            "{\"method\":\"set\"",
            "",
            "{",
        ] {
            same(line);
        }
    }
}
