//! Word filters for usernames and variable names, read from a simple text format.
//!
//! # Format
//!
//! One entry per line; blank lines and lines starting with `#` are ignored. Before matching,
//! both the entry and the checked text are folded: letters are lowercased and everything that
//! is not a letter or a digit is removed (`Scratch_Team` and `scratch-team` both fold to
//! `scratchteam`). An entry matches:
//!
//! * `word`: the whole folded text is `word`;
//! * `word*`: the folded text starts with `word`;
//! * `*word`: the folded text ends with `word`;
//! * `*word*`: the folded text contains `word` anywhere.
//!
//! ```text
//! # impersonation
//! scratchteam
//! scratchcat
//! # anything containing it
//! *moderator*
//! ```

use std::fmt;
use std::path::Path;

/// Where an entry may sit in the folded text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Anchor {
    Whole,
    Prefix,
    Suffix,
    Anywhere,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    folded: String,
    anchor: Anchor,
}

/// A list of filter entries (see the [module documentation](crate::filters) for the format).
///
/// ```
/// use scratchkit_cloud_server::WordFilter;
///
/// let filter = WordFilter::parse("# staff\nscratchteam\n*admin*\n").unwrap();
/// assert!(filter.matches("Scratch_Team"));
/// assert!(filter.matches("the-admin-99"));
/// assert!(!filter.matches("griffpatch"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordFilter {
    entries: Vec<Entry>,
}

/// A filter file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum FilterError {
    /// The file could not be read.
    #[error("cannot read the filter file {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A line has no letter or digit left after folding, or a `*` inside the word.
    #[error("line {line}: {reason}")]
    Line {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: &'static str,
    },
}

/// Lowercases letters and drops every character that is not a letter or a digit.
pub(crate) fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

impl WordFilter {
    /// Parses filter text.
    ///
    /// # Errors
    ///
    /// [`FilterError::Line`] for an entry with a `*` inside it or nothing left after folding.
    pub fn parse(text: &str) -> Result<Self, FilterError> {
        let mut entries = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (start, rest) = match line.strip_prefix('*') {
                Some(rest) => (true, rest),
                None => (false, line),
            };
            let (end, word) = match rest.strip_suffix('*') {
                Some(word) => (true, word),
                None => (false, rest),
            };
            let error = |reason| FilterError::Line {
                line: index + 1,
                reason,
            };
            if word.contains('*') {
                return Err(error("`*` may only start or end an entry"));
            }
            let folded = fold(word);
            if folded.is_empty() {
                return Err(error("the entry has no letter or digit"));
            }
            let anchor = match (start, end) {
                (false, false) => Anchor::Whole,
                (false, true) => Anchor::Prefix,
                (true, false) => Anchor::Suffix,
                (true, true) => Anchor::Anywhere,
            };
            entries.push(Entry { folded, anchor });
        }
        Ok(WordFilter { entries })
    }

    /// Reads and parses a filter file.
    ///
    /// # Errors
    ///
    /// [`FilterError::Read`] when the file cannot be read, [`FilterError::Line`] for a bad
    /// entry.
    pub fn load(path: &Path) -> Result<Self, FilterError> {
        let text = crate::bounded_read::read_text(path, crate::bounded_read::FILTER_FILE_LIMIT)
            .map_err(|source| FilterError::Read {
                path: path.display().to_string(),
                source,
            })?;
        Self::parse(&text)
    }

    /// A filter of exact names (each folded, matched whole), like a blocklist of usernames.
    pub fn exact<S: AsRef<str>>(names: &[S]) -> Self {
        let entries = names
            .iter()
            .map(|name| fold(name.as_ref()))
            .filter(|folded| !folded.is_empty())
            .map(|folded| Entry {
                folded,
                anchor: Anchor::Whole,
            })
            .collect();
        WordFilter { entries }
    }

    /// Adds the entries of `other`.
    pub fn extend(&mut self, other: WordFilter) {
        self.entries.extend(other.entries);
    }

    /// How many entries it has.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it has no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether `text` matches an entry.
    pub fn matches(&self, text: &str) -> bool {
        if self.entries.is_empty() {
            return false;
        }
        let folded = fold(text);
        self.entries.iter().any(|entry| match entry.anchor {
            Anchor::Whole => folded == entry.folded,
            Anchor::Prefix => folded.starts_with(&entry.folded),
            Anchor::Suffix => folded.ends_with(&entry.folded),
            Anchor::Anywhere => folded.contains(&entry.folded),
        })
    }
}

impl fmt::Display for WordFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} entries", self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_and_folding() {
        let filter = WordFilter::parse("  # c\n\nbad\npre*\n*suf\n*mid*\n").unwrap();
        assert_eq!(filter.len(), 4);
        assert!(filter.matches("B-A_D"));
        assert!(!filter.matches("bads"));
        assert!(filter.matches("prefix"));
        assert!(!filter.matches("xpre"));
        assert!(filter.matches("the_suf"));
        assert!(!filter.matches("sufx"));
        assert!(filter.matches("amidst"));
        assert!(!filter.matches("good"));
    }

    #[test]
    fn bad_lines_name_their_number() {
        let error = WordFilter::parse("ok\na*b\n").unwrap_err();
        assert!(
            matches!(error, FilterError::Line { line: 2, .. }),
            "{error}"
        );
        let error = WordFilter::parse("ok\n\n  -_- \n").unwrap_err();
        assert!(
            matches!(error, FilterError::Line { line: 3, .. }),
            "{error}"
        );
    }

    #[test]
    fn exact_names_fold_too() {
        let filter = WordFilter::exact(&["ScratchCat", "Scratch"]);
        assert!(filter.matches("scratch_cat"));
        assert!(filter.matches("SCRATCH"));
        assert!(!filter.matches("scratcher"));
    }
}
