//! Shared bits of the old site's HTML: escaping, the page shell, pagination, dates.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// HTML-escapes text (`&`, `<`, `>`, `"`, `'`).
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A `text/html` answer.
pub(crate) fn html(body: String) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

/// A whole page: doctype, head (title, optional extra head markup) and body.
pub(crate) fn page(title: &str, head: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"UTF-8\">\n<title>{}</title>\n{head}</head>\n<body>\n<div id=\"pagewrapper\"><div id=\"content\">\n{body}\n</div></div>\n</body>\n</html>\n",
        escape(title)
    )
}

/// djangobb's pagination: `<span class="current page">N</span>` and `<a class="page">` links.
pub(crate) fn pagination(current: i64, count: i64) -> String {
    let mut out = String::from("<div class=\"pagination\">");
    for n in 1..=count.max(1) {
        if n == current {
            out.push_str(&format!("<span class=\"current page\">{n}</span> "));
        } else {
            out.push_str(&format!("<a class=\"page\" href=\"?page={n}\">{n}</a> "));
        }
    }
    out.push_str("</div>");
    out
}

/// The number of pages for `items` at `per_page` (at least 1).
pub(crate) fn page_count(items: i64, per_page: i64) -> i64 {
    ((items + per_page - 1) / per_page.max(1)).max(1)
}

/// A `?page=` value: absent or empty is 1; anything else must be a positive number.
pub(crate) fn page_number(value: Option<&str>) -> Option<i64> {
    match value.map(str::trim) {
        None | Some("") => Some(1),
        Some(v) => v.parse::<i64>().ok().filter(|n| *n >= 1),
    }
}

/// A forum date, `Jan 5, 2025 10:20:00`, in UTC (the sandbox's stated zone).
pub(crate) fn forum_date(ts: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let t =
        time::OffsetDateTime::from_unix_timestamp(ts).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let month = MONTHS
        .get(usize::from(u8::from(t.month())).saturating_sub(1))
        .copied()
        .unwrap_or("Jan");
    format!(
        "{month} {}, {} {:02}:{:02}:{:02}",
        t.day(),
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `2025-01-21T20:37:44Z`.
pub(crate) fn iso_z(ts: i64) -> String {
    format!("{}Z", crate::timefmt::naive(ts))
}

/// A relative time like the site's: `2&nbsp;days, 3&nbsp;hours ago` (non-breaking spaces).
pub(crate) fn relative(ts: i64, now: i64) -> String {
    let delta = (now - ts).max(0);
    let units: [(&str, i64); 6] = [
        ("year", 365 * 86_400),
        ("month", 30 * 86_400),
        ("week", 7 * 86_400),
        ("day", 86_400),
        ("hour", 3_600),
        ("minute", 60),
    ];
    let mut parts = Vec::new();
    let mut left = delta;
    for (name, secs) in units {
        if parts.len() == 2 {
            break;
        }
        let n = left / secs;
        if n > 0 {
            parts.push(format!("{n}&nbsp;{name}{}", if n == 1 { "" } else { "s" }));
            left -= n * secs;
        } else if !parts.is_empty() {
            break;
        }
    }
    if parts.is_empty() {
        return "0&nbsp;minutes ago".to_owned();
    }
    format!("{} ago", parts.join(", "))
}

/// The 60x60 avatar URL of a user (protocol-relative, as on the old site).
pub(crate) fn avatar(user_id: i64, size: u32) -> String {
    format!("//cdn2.scratch.mit.edu/get_image/user/{user_id}_{size}x{size}.png")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(page_count(0, 25), 1);
        assert_eq!(page_count(26, 25), 2);
        assert_eq!(page_number(None), Some(1));
        assert_eq!(page_number(Some("3")), Some(3));
        assert_eq!(page_number(Some("0")), None);
        assert_eq!(page_number(Some("x")), None);
        assert_eq!(forum_date(1_736_072_400), "Jan 5, 2025 10:20:00");
        assert_eq!(iso_z(1_615_324_814), "2021-03-09T21:20:14Z");
        assert_eq!(
            relative(0, 2 * 86_400 + 3 * 3_600),
            "2&nbsp;days, 3&nbsp;hours ago"
        );
        assert_eq!(relative(0, 60), "1&nbsp;minute ago");
        let p = pagination(2, 3);
        assert!(p.contains("<span class=\"current page\">2</span>"));
        assert!(p.contains("<a class=\"page\" href=\"?page=3\">3</a>"));
    }
}
