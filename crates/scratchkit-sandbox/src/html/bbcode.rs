//! BBCode → the forum's post HTML (`html.md` §7.4), as djangobb renders it into
//! `div.post_body_html`. Unknown or unbalanced tags are kept as text; open tags are closed at
//! the end; all text is HTML-escaped.

use super::markup::escape;

const SMILIES: &[(&str, &str)] = &[
    (":lol:", "lol"),
    (":mad:", "mad"),
    (":rolleyes:", "roll"),
    (":cool:", "cool"),
    (":)", "smile"),
    (":|", "neutral"),
    (":(", "sad"),
    (":D", "big_smile"),
    (":o", "yikes"),
    (";)", "wink"),
    (":/", "hmm"),
    (":P", "tongue"),
];

/// The HTML that closes an open tag.
fn closing(tag: &str) -> &'static str {
    match tag {
        "b" | "i" | "u" | "s" | "big" | "small" | "color" => "</span>",
        "url" => "</a>",
        "center" => "</div>",
        "list" => "</ul>",
        "list=1" => "</ol>",
        "quote" => "</blockquote>",
        _ => "",
    }
}

fn safe_url(url: &str) -> Option<String> {
    let url = url.trim().trim_matches('"');
    let ok = url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/');
    (ok && !url.contains(['<', '>', '"', '\''])).then(|| url.to_owned())
}

fn safe_color(c: &str) -> Option<String> {
    let c = c.trim().trim_matches('"');
    (!c.is_empty() && c.len() <= 20 && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '#'))
        .then(|| c.to_owned())
}

/// Escapes `text` and turns newlines into `<br>` and smilies into images.
fn text(out: &mut String, text: &str) {
    let mut rest = text;
    'outer: while !rest.is_empty() {
        for (code, name) in SMILIES {
            if let Some(after) = rest.strip_prefix(code) {
                out.push_str(&format!(
                    "<img src=\"/djangobb_forum/img/smilies/{name}.png\" alt=\"{}\">",
                    escape(code)
                ));
                rest = after;
                continue 'outer;
            }
        }
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { break };
        match c {
            '\n' => out.push_str("<br>"),
            '\r' => {}
            _ => out.push_str(&escape(&c.to_string())),
        }
        rest = chars.as_str();
    }
}

/// Renders BBCode as post HTML.
pub(crate) fn render(source: &str) -> String {
    let mut out = String::with_capacity(source.len() * 2);
    let mut stack: Vec<String> = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find('[') {
        text(&mut out, &rest[..start]);
        let after = &rest[start..];
        let Some(end) = after.find(']') else {
            text(&mut out, after);
            rest = "";
            break;
        };
        let inner = &after[1..end];
        let consumed = &after[end + 1..];
        let (name, arg) = match inner.split_once('=') {
            Some((n, a)) => (n.to_ascii_lowercase(), Some(a)),
            None => (inner.to_ascii_lowercase(), None),
        };
        // Verbatim blocks.
        if arg.is_none() && (name == "code" || name == "scratchblocks") {
            let close = format!("[/{name}]");
            let (body, tail) = match consumed.find(&close) {
                Some(i) => (&consumed[..i], &consumed[i + close.len()..]),
                None => (consumed, ""),
            };
            let body = body.trim_matches('\n');
            if name == "code" {
                out.push_str(&format!(
                    "<div class=\"code\"><pre>{}</pre></div>",
                    escape(body)
                ));
            } else {
                out.push_str(&format!("<pre class=\"blocks\">{}</pre>", escape(body)));
            }
            rest = tail;
            continue;
        }
        if arg.is_none()
            && name == "img"
            && let Some(i) = consumed.find("[/img]")
            && let Some(url) = safe_url(&consumed[..i])
        {
            out.push_str(&format!("<img src=\"{url}\">"));
            rest = &consumed[i + "[/img]".len()..];
            continue;
        }
        if arg.is_none()
            && name == "url"
            && let Some(i) = consumed.find("[/url]")
            && let Some(url) = safe_url(&consumed[..i])
        {
            out.push_str(&format!("<a href=\"{url}\">{}</a>", escape(&url)));
            rest = &consumed[i + "[/url]".len()..];
            continue;
        }
        let open = match (name.as_str(), arg) {
            ("b", None) => Some(("b", "<span class=\"bb-bold\">".to_owned())),
            ("i", None) => Some(("i", "<span class=\"bb-italic\">".to_owned())),
            ("u", None) => Some(("u", "<span class=\"bb-underline\">".to_owned())),
            ("s", None) => Some(("s", "<span class=\"bb-strikethrough\">".to_owned())),
            ("big", None) => Some(("big", "<span class=\"bb-big\">".to_owned())),
            ("small", None) => Some(("small", "<span class=\"bb-small\">".to_owned())),
            ("center", None) => Some(("center", "<div style=\"text-align:center;\">".to_owned())),
            ("list", None) => Some(("list", "<ul>".to_owned())),
            ("list", Some("1")) => Some(("list=1", "<ol>".to_owned())),
            ("quote", None) => Some(("quote", "<blockquote>".to_owned())),
            ("quote", Some(author)) => Some((
                "quote",
                format!(
                    "<blockquote><p class=\"bb-quote-author\">{} wrote:</p>",
                    escape(author.trim().trim_matches('"'))
                ),
            )),
            ("color", Some(c)) => {
                safe_color(c).map(|c| ("color", format!("<span style=\"color:{c}\">")))
            }
            ("url", Some(u)) => safe_url(u).map(|u| ("url", format!("<a href=\"{u}\">"))),
            _ => None,
        };
        if let Some((tag, html)) = open {
            out.push_str(&html);
            stack.push(tag.to_owned());
            rest = consumed;
            continue;
        }
        if name == "*" && arg.is_none() && stack.iter().any(|t| t.starts_with("list")) {
            out.push_str("<li>");
            rest = consumed;
            continue;
        }
        if let Some(closed) = name.strip_prefix('/') {
            let wanted = |t: &String| t == closed || (closed == "list" && t == "list=1");
            if let Some(pos) = stack.iter().rposition(wanted) {
                while stack.len() > pos {
                    if let Some(t) = stack.pop() {
                        out.push_str(closing(&t));
                    }
                }
                rest = consumed;
                continue;
            }
        }
        // Not a tag we know: keep the bracket as text.
        text(&mut out, "[");
        rest = &after[1..];
    }
    text(&mut out, rest);
    while let Some(t) = stack.pop() {
        out.push_str(closing(&t));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_documented_tags() {
        assert_eq!(
            render("Please add [b]more[/b] blocks."),
            "Please add <span class=\"bb-bold\">more</span> blocks."
        );
        assert_eq!(render("a\nb"), "a<br>b");
        assert_eq!(
            render("[url=https://x.org/a]x[/url]"),
            "<a href=\"https://x.org/a\">x</a>"
        );
        assert_eq!(
            render("[color=red]r[/color]"),
            "<span style=\"color:red\">r</span>"
        );
        assert_eq!(
            render("[quote=bob]hi[/quote]"),
            "<blockquote><p class=\"bb-quote-author\">bob wrote:</p>hi</blockquote>"
        );
        assert_eq!(
            render("[code]<b>[i]x[/i]</b>[/code]"),
            "<div class=\"code\"><pre>&lt;b&gt;[i]x[/i]&lt;/b&gt;</pre></div>"
        );
        assert_eq!(render("[list][*]a[*]b[/list]"), "<ul><li>a<li>b</ul>");
        assert_eq!(render("[list=1][*]a[/list]"), "<ol><li>a</ol>");
        assert!(render(":)").contains("/djangobb_forum/img/smilies/smile.png"));
        assert_eq!(
            render("[scratchblocks]move (10)[/scratchblocks]"),
            "<pre class=\"blocks\">move (10)</pre>"
        );
    }

    #[test]
    fn hostile_input_stays_escaped_and_balanced() {
        assert_eq!(render("<script>"), "&lt;script&gt;");
        assert_eq!(render("[b]open"), "<span class=\"bb-bold\">open</span>");
        assert_eq!(render("[/b]x[zzz]"), "[/b]x[zzz]");
        assert_eq!(
            render("[url=javascript:alert(1)]x[/url]"),
            "[url=javascript:alert(1)]x[/url]"
        );
        assert_eq!(
            render("[color=\"><script>]x[/color]"),
            "[color=&quot;&gt;&lt;script&gt;]x[/color]"
        );
        assert_eq!(render("[b]"), "<span class=\"bb-bold\"></span>");
        assert_eq!(render("["), "[");
    }
}
