//! The Encoding: scratchattach's two-digit character codec.
//!
//! Every supported character has a code from 10 to 99; a string becomes a string of digits,
//! which is a valid (numeric) cloud value. Code 89 is the line break / list-item separator.
//! The table is identical to scratchattach's (`utils/encoder.py`) and to the template
//! sprite's costume list.

use std::fmt;

/// The characters of codes 10‥=99, in order (code = index + 10). Code 89 (index 79) is the
/// line break `\n`, which also separates list items.
const TABLE: [char; 90] = [
    '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', // 10-19
    ' ', 'a', 'A', 'b', 'B', 'c', 'C', 'd', 'D', 'e', // 20-29
    'E', 'f', 'F', 'g', 'G', 'h', 'H', 'i', 'I', 'j', // 30-39
    'J', 'k', 'K', 'l', 'L', 'm', 'M', 'n', 'N', 'o', // 40-49
    'O', 'p', 'P', 'q', 'Q', 'r', 'R', 's', 'S', 't', // 50-59
    'T', 'u', 'U', 'v', 'V', 'w', 'W', 'x', 'X', 'y', // 60-69
    'Y', 'z', 'Z', '*', '/', '.', ',', '!', '"', '§', // 70-79
    '$', '%', '_', '-', '(', '´', ')', '`', '?', '\n', // 80-89
    '@', '#', '~', ';', ':', '+', '&', '|', '^', '\'', // 90-99
];

/// The code of the line break / list separator.
pub const SEPARATOR_CODE: u8 = 89;

/// The two-digit code of a character, if the table has it (`'\n'` is 89).
///
/// ```
/// use scratchkit_cloud_requests::{char_of, code_of};
///
/// assert_eq!(code_of('a'), Some(21));
/// assert_eq!(code_of('0'), Some(19));
/// assert_eq!(code_of('{'), None);
/// assert_eq!(char_of(22), Some('A'));
/// ```
pub fn code_of(ch: char) -> Option<u8> {
    let index = TABLE.iter().position(|&c| c == ch)?;
    u8::try_from(index + 10).ok()
}

/// The character of a two-digit code (10‥=99), if any (`89` is `'\n'`).
pub fn char_of(code: u8) -> Option<char> {
    let index = usize::from(code).checked_sub(10)?;
    TABLE.get(index).copied()
}

/// What [`Encoding::encode_with`] does with a character that has no code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unknown {
    /// Replace it with a space (code 20), as scratchattach does. The replaced characters
    /// are reported in [`Encoded::replaced`].
    #[default]
    Space,
    /// Drop it, as the template sprite does for requests.
    Drop,
    /// Refuse the whole string with [`EncodingError::Unsupported`].
    Error,
}

/// The result of encoding: the digits and the characters that could not be represented.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Encoded {
    /// The digits (two per character).
    pub digits: String,
    /// Characters that had no code and were replaced or dropped, in order of appearance.
    pub replaced: Vec<char>,
}

impl Encoded {
    /// Whether every character was represented exactly.
    pub fn is_lossless(&self) -> bool {
        self.replaced.is_empty()
    }
}

/// Why text could not be encoded or digits could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodingError {
    /// A character has no code (with [`Unknown::Error`]).
    #[error("the character {ch:?} (at character {position}) cannot be encoded")]
    Unsupported {
        /// The character.
        ch: char,
        /// Its index, in characters.
        position: usize,
    },
    /// The digit string has an odd length.
    #[error("encoded text has an odd number of digits ({len})")]
    OddLength {
        /// Its length.
        len: usize,
    },
    /// Something other than an ASCII digit.
    #[error("encoded text contains a non-digit at byte {position}")]
    NotADigit {
        /// Byte offset.
        position: usize,
    },
    /// A code from 00 to 09, which the table does not define.
    #[error("code {code:02} (at digit {position}) is not in the table")]
    UnknownCode {
        /// The code.
        code: u8,
        /// Digit offset of the pair.
        position: usize,
    },
}

/// The Encoding codec (scratchattach-compatible). All functions are associated: `Encoding`
/// holds no state.
///
/// ```
/// use scratchkit_cloud_requests::Encoding;
///
/// assert_eq!(Encoding::encode("ping").digits, "51374733");
/// assert_eq!(Encoding::decode("51494733")?, "pong");
/// assert_eq!(Encoding::encode_list(["alice", "42"]).digits, "214337252989131189");
/// assert_eq!(Encoding::decode_list("214337252989131189")?, ["alice", "42"]);
/// // Characters outside the table become spaces, and are reported:
/// let lossy = Encoding::encode("a{b");
/// assert_eq!(lossy.digits, "212023");
/// assert_eq!(lossy.replaced, ['{']);
/// # Ok::<(), scratchkit_cloud_requests::EncodingError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Encoding;

impl Encoding {
    /// Encodes `text`, turning unknown characters into spaces (scratchattach's behaviour);
    /// [`Encoded::replaced`] lists them. `'\n'` becomes 89.
    pub fn encode(text: &str) -> Encoded {
        // Never fails with `Unknown::Space`.
        Self::encode_with(text, Unknown::Space).unwrap_or_default()
    }

    /// Encodes `text` with the chosen policy for unknown characters.
    ///
    /// # Errors
    ///
    /// [`EncodingError::Unsupported`] for the first unknown character with
    /// [`Unknown::Error`]; never with the other policies.
    pub fn encode_with(text: &str, unknown: Unknown) -> Result<Encoded, EncodingError> {
        let mut out = Encoded {
            digits: String::with_capacity(text.len() * 2),
            replaced: Vec::new(),
        };
        for (position, ch) in text.chars().enumerate() {
            match code_of(ch) {
                Some(code) => push_code(&mut out.digits, code),
                None => match unknown {
                    Unknown::Space => {
                        out.replaced.push(ch);
                        push_code(&mut out.digits, 20);
                    }
                    Unknown::Drop => out.replaced.push(ch),
                    Unknown::Error => return Err(EncodingError::Unsupported { ch, position }),
                },
            }
        }
        Ok(out)
    }

    /// Encodes a list: every item followed by 89 (scratchattach's list form, trailing 89
    /// included). Unknown characters become spaces, and so does a line break inside an item
    /// (89 would split it in two): both are reported in [`Encoded::replaced`].
    pub fn encode_list<I, S>(items: I) -> Encoded
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut out = Encoded::default();
        for item in items {
            let item = item.as_ref();
            let encoded = if item.contains('\n') {
                out.replaced.extend(item.chars().filter(|&ch| ch == '\n'));
                Self::encode(&item.replace('\n', " "))
            } else {
                Self::encode(item)
            };
            out.digits.push_str(&encoded.digits);
            out.replaced.extend(encoded.replaced);
            push_code(&mut out.digits, SEPARATOR_CODE);
        }
        out
    }

    /// Decodes digits strictly: an odd length, a non-digit or a code below 10 is an error
    /// (scratchattach would emit `None` or drop a digit). 89 becomes `'\n'`.
    ///
    /// # Errors
    ///
    /// [`EncodingError::OddLength`], [`EncodingError::NotADigit`] or
    /// [`EncodingError::UnknownCode`].
    pub fn decode(digits: &str) -> Result<String, EncodingError> {
        let mut out = String::with_capacity(digits.len() / 2);
        for code in codes(digits)? {
            let (code, position) = code?;
            match char_of(code) {
                Some(ch) => out.push(ch),
                None => return Err(EncodingError::UnknownCode { code, position }),
            }
        }
        Ok(out)
    }

    /// Decodes a list: a new item starts after every 89; a trailing 89 ends the last item
    /// (so `encode_list` round-trips), and digits without any 89 are one item.
    ///
    /// # Errors
    ///
    /// As [`decode`](Self::decode).
    pub fn decode_list(digits: &str) -> Result<Vec<String>, EncodingError> {
        let text = Self::decode(digits)?;
        if text.is_empty() {
            return Ok(Vec::new());
        }
        let body = text.strip_suffix('\n').unwrap_or(&text);
        Ok(body.split('\n').map(str::to_owned).collect())
    }

    /// Whether every character of `text` has a code.
    pub fn supports(text: &str) -> bool {
        text.chars().all(|ch| code_of(ch).is_some())
    }
}

/// Every supported character (the table in code order, `'\n'` included).
pub fn alphabet() -> impl Iterator<Item = char> + Clone {
    TABLE.iter().copied()
}

fn push_code(out: &mut String, code: u8) {
    out.push(char::from(b'0' + code / 10));
    out.push(char::from(b'0' + code % 10));
}

type CodeIter<'a> = Box<dyn Iterator<Item = Result<(u8, usize), EncodingError>> + 'a>;

/// The two-digit codes of `digits` with their offsets, after the length check.
fn codes(digits: &str) -> Result<CodeIter<'_>, EncodingError> {
    let bytes = digits.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return Err(EncodingError::OddLength { len: bytes.len() });
    }
    Ok(Box::new(bytes.chunks(2).enumerate().map(|(i, pair)| {
        let position = i * 2;
        let digit = |offset: usize| {
            let byte = pair.get(offset).copied().unwrap_or(b'x');
            if byte.is_ascii_digit() {
                Ok(byte - b'0')
            } else {
                Err(EncodingError::NotADigit {
                    position: position + offset,
                })
            }
        };
        Ok((digit(0)? * 10 + digit(1)?, position))
    })))
}

impl fmt::Display for Encoded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.digits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the `cloud_encoding_diff` fuzz target: an item with a line break was split
    /// in two by `decode_list` although `encode_list` called the encoding lossless.
    #[test]
    fn a_line_break_inside_a_list_item_is_reported_not_split() {
        let encoded = Encoding::encode_list(["a\nb", "c"]);
        assert!(!encoded.is_lossless());
        assert_eq!(encoded.replaced, vec!['\n']);
        assert_eq!(
            Encoding::decode_list(&encoded.digits).unwrap(),
            vec!["a b".to_owned(), "c".to_owned()]
        );
        let plain = Encoding::encode_list(["a", "", "b c"]);
        assert!(plain.is_lossless());
        assert_eq!(
            Encoding::decode_list(&plain.digits).unwrap(),
            ["a", "", "b c"]
        );
    }
    use proptest::prelude::*;

    /// The §2.4 test vectors.
    #[test]
    fn reference_vectors() {
        let vectors = [
            ("ping", "51374733"),
            ("pong", "51494733"),
            ("foo&TimMcCool", "31494996603745462526494943"),
            ("get&scores&alice", "33295996572549552957962143372529"),
            ("Hello, World!", "36294343497620664955432777"),
        ];
        for (text, digits) in vectors {
            assert_eq!(Encoding::encode(text).digits, digits, "{text}");
            assert_eq!(Encoding::decode(digits).unwrap(), text);
        }
        assert_eq!(
            Encoding::encode_list(["alice", "42"]).digits,
            "214337252989131189"
        );
        // The §2.4 scratchattach vector ends in 20 for `\n` (its table has no real line
        // break); ours encodes `\n` as 89, which the template shows as a line break.
        let lossy = Encoding::encode("Hi there!{}=\n");
        assert_eq!(lossy.digits, "36372059352955297720202089");
        assert_eq!(
            Encoding::encode("Hi there!{}=").digits,
            &"36372059352955297720202020"[..24]
        );
        assert_eq!(lossy.replaced, ['{', '}', '=']);
    }

    #[test]
    fn full_table_both_ways() {
        let expected = "1234567890 aAbBcCdDeEfFgGhHiIjJkKlLmMnNoOpPqQrRsStTuUvVwWxXyYzZ*/.,!\"§$%_-(´)`?\n@#~;:+&|^'";
        let chars: Vec<char> = expected.chars().collect();
        assert_eq!(chars.len(), 90);
        for (index, ch) in chars.iter().enumerate() {
            let code = u8::try_from(index + 10).unwrap();
            assert_eq!(code_of(*ch), Some(code));
            assert_eq!(char_of(code), Some(*ch));
        }
        for code in 0..10 {
            assert_eq!(char_of(code), None);
        }
        assert_eq!(char_of(100), None);
        // Rules of thumb of §2.1.
        for (i, lower) in ('a'..='z').enumerate() {
            let i = u8::try_from(i).unwrap();
            assert_eq!(code_of(lower), Some(21 + 2 * i));
            assert_eq!(code_of(lower.to_ascii_uppercase()), Some(22 + 2 * i));
        }
    }

    #[test]
    fn unknown_character_policies() {
        for ch in ['=', '[', ']', '{', '}', '<', '>', '\\', '\t', 'é', '😀'] {
            assert_eq!(code_of(ch), None, "{ch:?}");
        }
        let dropped = Encoding::encode_with("a=b", Unknown::Drop).unwrap();
        assert_eq!(dropped.digits, "2123");
        assert_eq!(dropped.replaced, ['=']);
        assert_eq!(
            Encoding::encode_with("ab<", Unknown::Error),
            Err(EncodingError::Unsupported {
                ch: '<',
                position: 2
            })
        );
        assert!(Encoding::encode("abc").is_lossless());
        assert!(!Encoding::supports("a{"));
    }

    #[test]
    fn strict_decoding() {
        assert_eq!(
            Encoding::decode("515"),
            Err(EncodingError::OddLength { len: 3 })
        );
        assert_eq!(
            Encoding::decode("8901"),
            Err(EncodingError::UnknownCode {
                code: 1,
                position: 2
            })
        );
        assert_eq!(
            Encoding::decode("51a4"),
            Err(EncodingError::NotADigit { position: 2 })
        );
        assert_eq!(Encoding::decode("2189").unwrap(), "a\n");
        assert_eq!(Encoding::decode("").unwrap(), "");
        assert_eq!(Encoding::decode_list("").unwrap(), Vec::<String>::new());
        assert_eq!(Encoding::decode_list("2123").unwrap(), ["ab"]);
        assert_eq!(Encoding::decode_list("89").unwrap(), [""]);
        assert_eq!(Encoding::decode_list("218989").unwrap(), ["a", ""]);
    }

    fn table_string() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(TABLE.to_vec()), 0..300)
            .prop_map(|chars| chars.into_iter().collect())
    }

    proptest! {
        #[test]
        fn round_trip(text in table_string()) {
            let encoded = Encoding::encode(&text);
            prop_assert!(encoded.is_lossless());
            prop_assert_eq!(encoded.digits.len(), text.chars().count() * 2);
            prop_assert_eq!(Encoding::decode(&encoded.digits).unwrap(), text);
        }

        #[test]
        fn list_round_trip(items in proptest::collection::vec(
            table_string().prop_map(|s| s.replace('\n', "")), 0..8)) {
            let encoded = Encoding::encode_list(&items);
            prop_assert_eq!(Encoding::decode_list(&encoded.digits).unwrap(), items);
        }

        #[test]
        fn any_string_encodes_to_digits(text in ".*") {
            let encoded = Encoding::encode(&text);
            prop_assert!(encoded.digits.bytes().all(|b| b.is_ascii_digit()));
            prop_assert_eq!(encoded.digits.len(), text.chars().count() * 2);
            prop_assert_eq!(encoded.replaced.len(), text.chars().filter(|c| code_of(*c).is_none()).count());
        }
    }
}
