//! Small helpers shared by the scrapers: selectors, text clean-up, ids from links, and the
//! [`Error::Scrape`] constructor.

use scraper::{ElementRef, Selector};
use url::Url;

use crate::error::{Error, redact_url};

/// A selector from a CSS literal of this crate.
///
/// Only ever called with literals written in this crate, all exercised by the unit tests: a
/// failure is a bug in this file (like an invalid regex literal), never a consequence of the page
/// being parsed.
pub(crate) fn sel(css: &'static str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("invalid built-in selector {css}: {e:?}"))
}

/// The scrape error for `what` missing from the page at `url`.
pub(crate) fn missing(what: &'static str, url: &Url) -> Error {
    Error::Scrape {
        what,
        url: redact_url(url),
    }
}

/// The first element under `scope` matching `selector`.
pub(crate) fn first<'a>(scope: ElementRef<'a>, selector: &Selector) -> Option<ElementRef<'a>> {
    scope.select(selector).next()
}

/// All the text under `el`, with whitespace (including non-breaking spaces) collapsed to single
/// spaces and trimmed.
pub(crate) fn text(el: ElementRef<'_>) -> String {
    collapse(&el.text().collect::<String>())
}

/// `s` with every run of whitespace (non-breaking spaces included) turned into one space, trimmed.
pub(crate) fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(|c: char| c.is_whitespace() || c == '\u{a0}') {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The digits of `s` (ignoring spaces and thousands separators) as a number.
pub(crate) fn number(s: &str) -> Option<u64> {
    let digits: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',' && *c != '\u{a0}')
        .collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The number in the path segment after `marker` in a link such as `/discuss/topic/42/`
/// (`marker` = `"/topic/"`): the digits that follow it.
pub(crate) fn id_after(href: &str, marker: &str) -> Option<u64> {
    let start = href.find(marker)? + marker.len();
    let digits: String = href[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    if digits.is_empty() {
        return None;
    }
    digits.parse().ok()
}

/// The last non-empty path segment of a link (`/users/alice/` → `alice`).
pub(crate) fn last_segment(href: &str) -> Option<&str> {
    let path = href.split(['?', '#']).next().unwrap_or("");
    path.split('/').rfind(|s| !s.is_empty())
}

/// The user id in an avatar URL such as `//cdn2.scratch.mit.edu/get_image/user/123_60x60.png`.
pub(crate) fn avatar_user_id(src: &str) -> Option<u64> {
    id_after(src, "/user/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_helpers() {
        assert_eq!(collapse("  a\n\t b\u{a0}\u{a0}c  "), "a b c");
        assert_eq!(collapse(""), "");
        assert_eq!(number(" 1,234 "), Some(1234));
        assert_eq!(number("12a"), None);
        assert_eq!(number(""), None);
        assert_eq!(id_after("/discuss/topic/4242/", "/topic/"), Some(4242));
        assert_eq!(id_after("/discuss/topic/x/", "/topic/"), None);
        assert_eq!(id_after("/nothing", "/topic/"), None);
        assert_eq!(last_segment("/users/alice/"), Some("alice"));
        assert_eq!(last_segment("/users/bob?x=1"), Some("bob"));
        assert_eq!(last_segment("/"), None);
        assert_eq!(
            avatar_user_id("//cdn2.scratch.mit.edu/get_image/user/123_60x60.png"),
            Some(123)
        );
    }

    #[test]
    fn missing_names_the_element_and_redacts_the_url() {
        let url = Url::parse("https://scratch.mit.edu/x?token=secret").unwrap();
        let e = missing("div.comment", &url);
        let text = e.to_string();
        assert!(text.contains("div.comment"), "{text}");
        assert!(!text.contains("secret"), "{text}");
    }
}
