//! A post body's plain text with its line structure kept: `<br>` and block boundaries (`p`,
//! `div`, `blockquote`, `li`, `pre`, …) become line breaks (`html.md` §7.4).

use scraper::{ElementRef, Node};

use crate::html::dom;

/// Elements whose start and end begin a new line.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "dd",
    "div",
    "dl",
    "dt",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tr",
    "ul",
];

/// Lines being built while walking a post body.
#[derive(Default)]
struct Lines {
    done: Vec<String>,
    current: String,
}

impl Lines {
    /// A `<br>` (or a newline inside `<pre>`): always ends the current line, even an empty one.
    fn hard_break(&mut self) {
        self.done.push(std::mem::take(&mut self.current));
    }

    /// A block boundary: ends the current line unless nothing visible is on it yet.
    fn soft_break(&mut self) {
        if !dom::collapse(&self.current).is_empty() {
            self.hard_break();
        }
    }

    /// Each line's whitespace collapsed and trimmed, no blank lines at either end and at most one
    /// blank line in a row.
    fn finish(mut self) -> String {
        self.hard_break();
        let mut out: Vec<String> = Vec::with_capacity(self.done.len());
        for line in self.done.iter().map(|l| dom::collapse(l)) {
            let blank = line.is_empty();
            if blank && out.last().is_none_or(String::is_empty) {
                continue;
            }
            out.push(line);
        }
        while out.last().is_some_and(String::is_empty) {
            out.pop();
        }
        out.join("\n")
    }
}

/// The text of `body` (a `div.post_body_html`), one line per `<br>`-separated line or block;
/// whitespace inside a line collapsed, lines trimmed, at most one blank line in a row. Newlines
/// inside `<pre>` (scratchblocks) are kept.
pub(super) fn post_text(body: ElementRef<'_>) -> String {
    let root = *body;
    let mut lines = Lines::default();
    let mut pre_depth = 0usize;
    // An iterative walk (open and close events), so deeply nested markup cannot overflow the stack.
    let mut cursor = Some((root, true));
    while let Some((node, opening)) = cursor {
        if opening {
            match node.value() {
                Node::Text(text) if pre_depth > 0 => {
                    for (i, part) in text.split('\n').enumerate() {
                        if i > 0 {
                            lines.hard_break();
                        }
                        lines.current.push_str(part);
                    }
                }
                Node::Text(text) => lines.current.push_str(text),
                Node::Element(e) if e.name() == "br" => lines.hard_break(),
                Node::Element(e) if BLOCKS.contains(&e.name()) => {
                    lines.soft_break();
                    if e.name() == "pre" {
                        pre_depth += 1;
                    }
                }
                _ => {}
            }
            cursor = Some(match node.first_child() {
                Some(child) => (child, true),
                None => (node, false),
            });
            continue;
        }
        if let Node::Element(e) = node.value()
            && BLOCKS.contains(&e.name())
        {
            lines.soft_break();
            if e.name() == "pre" {
                pre_depth = pre_depth.saturating_sub(1);
            }
        }
        if node.id() == root.id() {
            break;
        }
        cursor = node
            .next_sibling()
            .map(|s| (s, true))
            .or_else(|| node.parent().map(|p| (p, false)));
    }
    lines.finish()
}

#[cfg(test)]
mod tests {
    use scraper::Html;

    use super::*;
    use crate::html::dom::sel;

    fn text_of(body: &str) -> String {
        let html = format!(r#"<div class="post_body_html">{body}</div>"#);
        let doc = Html::parse_fragment(&html);
        let el = doc.select(&sel("div.post_body_html")).next().unwrap();
        post_text(el)
    }

    #[test]
    fn br_and_blocks_become_newlines() {
        assert_eq!(text_of("one<br>two<br/>three"), "one\ntwo\nthree");
        assert_eq!(
            text_of(
                r#"<blockquote><p class="bb-quote-author">alice wrote:</p>Add   more<br>blocks</blockquote>I agree.<br><br>+1"#
            ),
            "alice wrote:\nAdd more\nblocks\nI agree.\n\n+1"
        );
        assert_eq!(
            text_of("<ul><li>a</li><li>b <span>c</span></li></ul>after"),
            "a\nb c\nafter"
        );
        assert_eq!(text_of("<div>x</div><div>y</div>"), "x\ny");
    }

    #[test]
    fn whitespace_and_blank_lines_are_tidied() {
        assert_eq!(text_of("\n   a  \n  b   <br>  c  "), "a b\nc");
        assert_eq!(text_of("a<br><br><br><br>b<br><br>"), "a\n\nb");
        assert_eq!(text_of("<br><br>a"), "a");
        assert_eq!(text_of("a&nbsp;&nbsp;b"), "a b");
        assert_eq!(text_of(""), "");
        assert_eq!(text_of("<p> </p><p></p>"), "");
    }

    #[test]
    fn pre_keeps_its_newlines() {
        assert_eq!(
            text_of("<pre class=\"blocks\">when flag clicked\nsay [hi]</pre>done"),
            "when flag clicked\nsay [hi]\ndone"
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let body = format!(
            "{}deep{}",
            "<span>".repeat(20_000),
            "</span>".repeat(20_000)
        );
        assert_eq!(text_of(&body), "deep");
    }
}
