//! Limits Scratch's servers enforce: usernames, comment and profile text lengths, page sizes.

/// The longest username, in characters.
pub const USERNAME_MAX_CHARS: usize = 20;
/// The shortest username Scratch registers today (accounts from the site's first years have
/// shorter names, so [`check_username`] accepts 1).
pub const NEW_USERNAME_MIN_CHARS: usize = 3;
/// The longest comment, in characters.
pub const COMMENT_MAX_CHARS: usize = 500;
/// The longest "About me" or "What I'm working on" text, in characters.
pub const PROFILE_TEXT_MAX_CHARS: usize = 200;
/// The most items the API returns per request (`limit`).
pub const PAGE_MAX_LIMIT: u32 = 40;
/// The items per page when a request names no `limit`.
pub const PAGE_DEFAULT_LIMIT: u32 = 20;

/// Why a username is not one Scratch accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UsernameError {
    /// No characters at all.
    #[error("must not be empty")]
    Empty,
    /// Fewer characters than a new account needs.
    #[error("must have at least {min} characters")]
    TooShort {
        /// The least allowed.
        min: usize,
    },
    /// More than [`USERNAME_MAX_CHARS`] characters.
    #[error("must have at most {max} characters")]
    TooLong {
        /// The most allowed.
        max: usize,
    },
    /// A character other than `A-Z a-z 0-9 _ -`.
    #[error("{0:?} is not allowed (only letters, digits, `_` and `-`)")]
    BadCharacter(char),
}

/// Whether `c` may appear in a username: `A-Z a-z 0-9 _ -`.
pub fn is_username_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Checks the name of an existing account: 1 to [`USERNAME_MAX_CHARS`] characters of
/// `A-Z a-z 0-9 _ -` (deleted accounts, `gdpr0000001`, fit too).
///
/// ```
/// use scratchkit_wire::limits::{UsernameError, check_username};
///
/// assert!(check_username("griffpatch").is_ok());
/// assert!(check_username("jo").is_ok());
/// assert_eq!(check_username(""), Err(UsernameError::Empty));
/// assert_eq!(check_username("a b"), Err(UsernameError::BadCharacter(' ')));
/// assert_eq!(check_username(&"a".repeat(21)), Err(UsernameError::TooLong { max: 20 }));
/// ```
///
/// # Errors
///
/// The first rule the name breaks.
pub fn check_username(name: &str) -> Result<(), UsernameError> {
    if name.is_empty() {
        return Err(UsernameError::Empty);
    }
    if name.chars().count() > USERNAME_MAX_CHARS {
        return Err(UsernameError::TooLong {
            max: USERNAME_MAX_CHARS,
        });
    }
    match name.chars().find(|c| !is_username_char(*c)) {
        Some(bad) => Err(UsernameError::BadCharacter(bad)),
        None => Ok(()),
    }
}

/// Checks a name for a new account: [`check_username`] and at least
/// [`NEW_USERNAME_MIN_CHARS`] characters.
///
/// ```
/// use scratchkit_wire::limits::{UsernameError, check_new_username};
///
/// assert!(check_new_username("abc").is_ok());
/// assert_eq!(check_new_username("ab"), Err(UsernameError::TooShort { min: 3 }));
/// ```
///
/// # Errors
///
/// The first rule the name breaks.
pub fn check_new_username(name: &str) -> Result<(), UsernameError> {
    check_username(name)?;
    if name.chars().count() < NEW_USERNAME_MIN_CHARS {
        return Err(UsernameError::TooShort {
            min: NEW_USERNAME_MIN_CHARS,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        for ok in ["a", "Scratch_Cat-1", "gdpr0000001", &"x".repeat(20)] {
            assert_eq!(check_username(ok), Ok(()), "{ok}");
        }
        assert_eq!(check_username("é"), Err(UsernameError::BadCharacter('é')));
        assert_eq!(check_username("a/b"), Err(UsernameError::BadCharacter('/')));
        // Twenty non-ASCII characters are refused for the characters, not the length.
        assert_eq!(
            check_username(&"é".repeat(20)),
            Err(UsernameError::BadCharacter('é'))
        );
        assert_eq!(
            check_new_username("a"),
            Err(UsernameError::TooShort { min: 3 })
        );
        assert_eq!(check_new_username(""), Err(UsernameError::Empty));
        assert_eq!(
            UsernameError::BadCharacter(' ').to_string(),
            "' ' is not allowed (only letters, digits, `_` and `-`)"
        );
    }
}
