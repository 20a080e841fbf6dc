//! Cloud variable names and values, and each server's limits.

/// The prefix Scratch puts in front of every cloud variable name: U+2601 CLOUD and a space.
pub const CLOUD_PREFIX: &str = "\u{2601} ";
/// The prefix servers accept instead of [`CLOUD_PREFIX`] (TurboWarp's, for clients that cannot
/// type the cloud sign).
pub const ALT_CLOUD_PREFIX: &str = ":cloud: ";
/// Longest project id (room) a server accepts in a handshake, in UTF-16 code units.
pub const MAX_ROOM_ID_LEN: usize = 999;

/// Longest value Scratch's cloud server accepts, in characters.
pub const SCRATCH_MAX_VALUE_LEN: usize = 256;
/// Longest value TurboWarp's cloud server accepts, in characters.
pub const TURBOWARP_MAX_VALUE_LEN: usize = 100_000;
/// Most cloud variables a Scratch project may have.
pub const SCRATCH_MAX_VARIABLES: usize = 10;
/// Most cloud variables a TurboWarp room may have.
pub const TURBOWARP_MAX_VARIABLES: usize = 128;
/// Longest full variable name (prefix included), in UTF-16 code units.
pub const MAX_NAME_LEN: usize = 1024;

/// Which server's limits apply to a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CloudRules {
    /// clouddata.scratch.mit.edu: numeric values of at most 256 characters, 10 variables.
    Scratch,
    /// clouddata.turbowarp.org (or a compatible server): numeric values of at most
    /// `max_len` characters, 128 variables.
    TurboWarp {
        /// Longest accepted value (TurboWarp: 100 000).
        max_len: usize,
    },
}

impl CloudRules {
    /// TurboWarp's rules with its default value length (100 000).
    pub fn turbowarp() -> Self {
        CloudRules::TurboWarp {
            max_len: TURBOWARP_MAX_VALUE_LEN,
        }
    }

    /// Longest value, in characters (UTF-16 code units, as JavaScript counts).
    pub fn max_value_len(&self) -> usize {
        match self {
            CloudRules::Scratch => SCRATCH_MAX_VALUE_LEN,
            CloudRules::TurboWarp { max_len } => *max_len,
        }
    }

    /// Most variables per project.
    pub fn max_variables(&self) -> usize {
        match self {
            CloudRules::Scratch => SCRATCH_MAX_VARIABLES,
            CloudRules::TurboWarp { .. } => TURBOWARP_MAX_VARIABLES,
        }
    }

    /// Checks a value against these rules: numeric (see [`is_numeric_value`]) and not too long.
    ///
    /// ```
    /// use scratchkit_wire::cloud::CloudRules;
    ///
    /// assert!(CloudRules::Scratch.validate_value("-4.5").is_ok());
    /// assert!(CloudRules::Scratch.validate_value("hello").is_err());
    /// assert!(CloudRules::Scratch.validate_value(&"1".repeat(257)).is_err());
    /// assert!(CloudRules::turbowarp().validate_value(&"1".repeat(257)).is_ok());
    /// ```
    ///
    /// # Errors
    ///
    /// [`ValidationError::NotNumeric`] or [`ValidationError::ValueTooLong`].
    pub fn validate_value(&self, value: &str) -> Result<(), ValidationError> {
        if !is_numeric_value(value) {
            return Err(ValidationError::NotNumeric {
                len: value.encode_utf16().count(),
            });
        }
        let len = value.encode_utf16().count();
        let max = self.max_value_len();
        if len > max {
            return Err(ValidationError::ValueTooLong { len, max });
        }
        Ok(())
    }
}

/// Whether `value` is a value cloud servers store: the regular expression
/// `^-?[0-9]*\.?[0-9]*$`, except `"."` and `"-"` (TurboWarp's rule, compatible with Scratch).
///
/// ```
/// use scratchkit_wire::cloud::is_numeric_value;
///
/// for ok in ["123", "-4.5", "", ".5", "5.", "-0", "00", "-."] {
///     assert!(is_numeric_value(ok), "{ok}");
/// }
/// for bad in ["+1", " 1", "1e5", "0x03", "1,000", "NaN", "Infinity", "true", ".", "-", "1.2.3"] {
///     assert!(!is_numeric_value(bad), "{bad}");
/// }
/// ```
pub fn is_numeric_value(value: &str) -> bool {
    if value == "." || value == "-" {
        return false;
    }
    let rest = value.strip_prefix('-').unwrap_or(value);
    let (int, frac) = match rest.split_once('.') {
        Some((int, frac)) => (int, frac),
        None => (rest, ""),
    };
    int.bytes().all(|b| b.is_ascii_digit()) && frac.bytes().all(|b| b.is_ascii_digit())
}

/// Removes exactly one leading `"☁ "` from a variable name, if present.
///
/// ```
/// use scratchkit_wire::cloud::strip_cloud_prefix;
///
/// assert_eq!(strip_cloud_prefix("☁ score"), "score");
/// assert_eq!(strip_cloud_prefix("score"), "score");
/// assert_eq!(strip_cloud_prefix("☁ ☁ x"), "☁ x");
/// ```
pub fn strip_cloud_prefix(name: &str) -> &str {
    name.strip_prefix(CLOUD_PREFIX).unwrap_or(name)
}

/// Validates a variable name given with or without the `"☁ "` prefix, and returns the bare
/// name (without the prefix).
///
/// ```
/// use scratchkit_wire::cloud::validate_name;
///
/// assert_eq!(validate_name("☁ score").unwrap(), "score");
/// assert_eq!(validate_name("score").unwrap(), "score");
/// assert!(validate_name("☁ ").is_err());
/// assert!(validate_name("").is_err());
/// ```
///
/// # Errors
///
/// [`ValidationError::BadName`] when the name is empty (after the prefix) or longer than
/// [`MAX_NAME_LEN`] with its prefix.
pub fn validate_name(name: &str) -> Result<&str, ValidationError> {
    let bare = strip_cloud_prefix(name);
    if bare.is_empty() {
        return Err(ValidationError::BadName {
            reason: "the name is empty",
        });
    }
    if CLOUD_PREFIX.encode_utf16().count() + bare.encode_utf16().count() > MAX_NAME_LEN {
        return Err(ValidationError::BadName {
            reason: "the name is longer than 1024 characters",
        });
    }
    Ok(bare)
}

/// Whether a server accepts `name` as a full variable name: [`CLOUD_PREFIX`] (or
/// [`ALT_CLOUD_PREFIX`]) followed by at least one character, at most [`MAX_NAME_LEN`] UTF-16
/// code units in all. (Clients use [`validate_name`], which adds the prefix itself.)
///
/// ```
/// use scratchkit_wire::cloud::is_valid_full_name;
///
/// assert!(is_valid_full_name("☁ score"));
/// assert!(is_valid_full_name(":cloud: score"));
/// assert!(!is_valid_full_name("score"));
/// assert!(!is_valid_full_name("☁ "));
/// ```
pub fn is_valid_full_name(name: &str) -> bool {
    let rest = name
        .strip_prefix(CLOUD_PREFIX)
        .or_else(|| name.strip_prefix(ALT_CLOUD_PREFIX));
    matches!(rest, Some(rest) if !rest.is_empty()) && name.encode_utf16().count() <= MAX_NAME_LEN
}

/// Whether a server accepts `id` as the project id (room) of a handshake: 1 to
/// [`MAX_ROOM_ID_LEN`] UTF-16 code units.
///
/// ```
/// use scratchkit_wire::cloud::is_valid_room_id;
///
/// assert!(is_valid_room_id("1234"));
/// assert!(!is_valid_room_id(""));
/// assert!(!is_valid_room_id(&"1".repeat(1000)));
/// ```
pub fn is_valid_room_id(id: &str) -> bool {
    (1..=MAX_ROOM_ID_LEN).contains(&id.encode_utf16().count())
}

/// Why a cloud operation was refused before anything was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValidationError {
    /// Cloud servers only store numbers.
    #[error("cloud values must be numeric (got a {len}-character non-numeric value)")]
    NotNumeric {
        /// Length of the refused value.
        len: usize,
    },
    /// The value is longer than the server accepts.
    #[error("cloud value is {len} characters long; the server accepts at most {max}")]
    ValueTooLong {
        /// Length of the refused value.
        len: usize,
        /// The server's limit.
        max: usize,
    },
    /// Creating one more variable would exceed the server's limit.
    #[error("the project already has the maximum of {max} cloud variables")]
    TooManyVariables {
        /// The server's limit.
        max: usize,
    },
    /// The variable name is not acceptable.
    #[error("bad cloud variable name: {reason}")]
    BadName {
        /// What is wrong with it.
        reason: &'static str,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_follow_turbowarps_rule() {
        for ok in ["123", "-4.5", "", "-0", "00", ".5", "5.", "-."] {
            assert!(is_numeric_value(ok), "{ok}");
        }
        for bad in [
            "+1", " 1", "1e5", "0x03", "1,000", "NaN", "Infinity", "true", ".", "-", "١",
        ] {
            assert!(!is_numeric_value(bad), "{bad}");
        }
    }

    #[test]
    fn servers_want_a_prefix_and_something_after_it() {
        assert!(is_valid_full_name("☁ score"));
        assert!(is_valid_full_name(":cloud: score"));
        assert!(!is_valid_full_name("☁ "));
        assert!(!is_valid_full_name(":cloud: "));
        assert!(!is_valid_full_name("score"));
        // The prefix is two UTF-16 units: 1022 more make 1024, the limit.
        assert!(is_valid_full_name(&format!("☁ {}", "x".repeat(1022))));
        assert!(!is_valid_full_name(&format!("☁ {}", "x".repeat(1023))));
    }

    #[test]
    fn clients_and_servers_agree_on_name_lengths() {
        for len in [1, 1021, 1022, 1023] {
            let bare = "x".repeat(len);
            assert_eq!(
                validate_name(&bare).is_ok(),
                is_valid_full_name(&format!("{CLOUD_PREFIX}{bare}")),
                "{len}"
            );
        }
    }

    #[test]
    fn room_ids_and_value_lengths() {
        assert!(is_valid_room_id("1"));
        assert!(is_valid_room_id(&"9".repeat(MAX_ROOM_ID_LEN)));
        assert!(!is_valid_room_id(&"9".repeat(MAX_ROOM_ID_LEN + 1)));
        assert_eq!(
            CloudRules::Scratch.validate_value(&"1".repeat(257)),
            Err(ValidationError::ValueTooLong { len: 257, max: 256 })
        );
        assert_eq!(CloudRules::turbowarp().max_variables(), 128);
    }
}
