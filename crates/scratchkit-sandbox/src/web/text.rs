//! HTML escaping and small text helpers for the pages.

use std::fmt::Write as _;

/// Escapes text for an HTML element body or a quoted attribute value.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text and keeps its line breaks (`<br>`), for notes and comments.
pub(crate) fn esc_lines(text: &str) -> String {
    esc(text).replace('\n', "<br>")
}

/// Percent-encodes a path segment or query value (usernames are plain, search text is not).
pub(crate) fn url_part(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// "3 minutes ago"-style age of a Unix time relative to `now`.
pub(crate) fn ago(ts: i64, now: i64) -> String {
    let secs = (now - ts).max(0);
    let (n, unit) = match secs {
        0..60 => return "just now".to_owned(),
        60..3_600 => (secs / 60, "minute"),
        3_600..86_400 => (secs / 3_600, "hour"),
        86_400..2_592_000 => (secs / 86_400, "day"),
        2_592_000..31_536_000 => (secs / 2_592_000, "month"),
        _ => (secs / 31_536_000, "year"),
    };
    let mut out = String::new();
    let _ = write!(out, "{n} {unit}{} ago", if n == 1 { "" } else { "s" });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(esc_lines("a<b\nc"), "a&lt;b<br>c");
    }

    #[test]
    fn encodes_url_parts() {
        assert_eq!(url_part("a b&c/d"), "a+b%26c%2Fd");
        assert_eq!(url_part("griffpatch"), "griffpatch");
    }

    #[test]
    fn ages() {
        assert_eq!(ago(100, 100), "just now");
        assert_eq!(ago(0, 120), "2 minutes ago");
        assert_eq!(ago(0, 3_600), "1 hour ago");
        assert_eq!(ago(0, 3 * 86_400), "3 days ago");
        assert_eq!(ago(0, 2 * 31_536_000), "2 years ago");
        assert_eq!(ago(500, 100), "just now");
    }
}
