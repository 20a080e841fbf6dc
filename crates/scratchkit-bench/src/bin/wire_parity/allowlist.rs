//! The explained differences (`compat/parity_allowlist.json`): each with the operations it
//! covers, the kind of difference, optionally a piece of its detail, and the reason it is fine.
//!
//! ```json
//! {"differences": [{"op": "*", "kind": "user-agent", "reason": "…"},
//!                  {"op": ["love", "unlove"], "kind": "only-scratchkit", "detail": "GET", "reason": "…"}],
//!  "fixed": [{"op": "love", "what": "…"}]}
//! ```
//! `op` is `"*"`, a name, a prefix ending in `*` (`"studio_*"`), or a list of those. An entry
//! with `"client_wide": true` is a deliberate difference of the whole client (the User-Agent):
//! operations that differ only by such entries count as identical, with a mark.

use serde::Deserialize;

use crate::compare::Difference;

/// Operation names an entry covers.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OpPattern {
    One(String),
    Many(Vec<String>),
}

impl OpPattern {
    fn matches(&self, op: &str) -> bool {
        let one = |p: &String| match p.strip_suffix('*') {
            Some(prefix) => op.starts_with(prefix),
            None => p == op,
        };
        match self {
            OpPattern::One(p) => one(p),
            OpPattern::Many(ps) => ps.iter().any(one),
        }
    }
}

/// One explained difference.
#[derive(Debug, Clone, Deserialize)]
pub struct Explained {
    pub op: OpPattern,
    pub kind: String,
    #[serde(default)]
    pub detail: Option<String>,
    pub reason: String,
    #[serde(default)]
    pub client_wide: bool,
}

/// A difference that was ours and is fixed in the client (listed in the report).
#[derive(Debug, Clone, Deserialize)]
pub struct Fixed {
    pub op: String,
    pub what: String,
}

/// The whole file.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Allowlist {
    #[serde(default)]
    pub differences: Vec<Explained>,
    #[serde(default)]
    pub fixed: Vec<Fixed>,
}

impl Allowlist {
    /// Parses the file's text.
    pub fn parse(text: &str) -> Result<Self, String> {
        serde_json::from_str(text).map_err(|e| format!("bad allowlist: {e}"))
    }

    /// The index of the entry explaining `diff` in `op`, if any.
    pub fn explain(&self, op: &str, diff: &Difference) -> Option<usize> {
        self.differences.iter().position(|e| {
            e.op.matches(op)
                && e.kind == diff.kind
                && e.detail.as_deref().is_none_or(|d| diff.detail.contains(d))
        })
    }

    /// What was fixed for `op`.
    pub fn fixed_for(&self, op: &str) -> Vec<&str> {
        self.fixed
            .iter()
            .filter(|f| f.op == op)
            .map(|f| f.what.as_str())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff(kind: &str, detail: &str) -> Difference {
        Difference {
            kind: kind.into(),
            detail: detail.into(),
        }
    }

    #[test]
    fn matches_by_op_pattern_kind_and_detail() {
        let list = Allowlist::parse(
            r#"{"differences":[
                {"op":"*","kind":"user-agent","reason":"ua"},
                {"op":["report_*","x"],"kind":"only-scratchattach","detail":"DELETE","reason":"peers.md"}
            ],"fixed":[{"op":"love","what":"nothing"}]}"#,
        )
        .unwrap();
        assert_eq!(list.explain("news", &diff("user-agent", "a")), Some(0));
        assert_eq!(
            list.explain(
                "report_project_comment",
                &diff("only-scratchattach", "DELETE api/x")
            ),
            Some(1)
        );
        assert_eq!(
            list.explain(
                "report_project_comment",
                &diff("only-scratchattach", "GET api/x")
            ),
            None
        );
        assert_eq!(
            list.explain("love", &diff("only-scratchattach", "DELETE")),
            None
        );
        assert_eq!(list.fixed_for("love"), ["nothing"]);
        assert!(Allowlist::parse(r#"{"differences":[{"op":"*"}]}"#).is_err());
    }
}
