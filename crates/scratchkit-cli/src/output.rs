//! How results are shown: tables and colours for people, JSON for programs.
//!
//! Colour is used only when stdout is a terminal and `NO_COLOR` is unset (or empty).
//! Writes go straight to stdout and are flushed, so `--all` streams show up as they come.

use std::fmt::Display;
use std::io::{IsTerminal, Write};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, CellAlignment, Color, ContentArrangement};
use scratchkit_model::Timestamp;
use serde::Serialize;

use crate::exit::CliResult;

/// Whether `NO_COLOR` asks for no colour (set and not empty, per no-color.org).
fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Whether error reports on stderr may use colour.
pub fn stderr_colour() -> bool {
    std::io::stderr().is_terminal() && !no_color_env()
}

/// Where and how a command prints.
#[derive(Debug, Clone, Copy)]
pub struct Out {
    json: bool,
    colour: bool,
    tty: bool,
}

impl Out {
    /// The output for this process: JSON if asked for, colour if stdout is a terminal and
    /// `NO_COLOR` is unset.
    pub fn from_env(json: bool) -> Self {
        let tty = std::io::stdout().is_terminal();
        Self {
            json,
            colour: tty && !no_color_env(),
            tty,
        }
    }

    /// Whether JSON was asked for.
    pub fn is_json(&self) -> bool {
        self.json
    }

    /// Prints a line.
    pub fn line(&self, text: impl Display) -> CliResult {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{text}")?;
        out.flush()?;
        Ok(())
    }

    /// Prints one JSON document (indented on a terminal, compact otherwise).
    pub fn json<T: Serialize + ?Sized>(&self, value: &T) -> CliResult {
        let text = if self.tty {
            serde_json::to_string_pretty(value)?
        } else {
            serde_json::to_string(value)?
        };
        self.line(text)
    }

    /// Prints one JSON document on one line (an item of a JSON-lines stream).
    pub fn json_line<T: Serialize + ?Sized>(&self, value: &T) -> CliResult {
        self.line(serde_json::to_string(value)?)
    }

    /// The dimmed hint under a list that stopped at its limit. `next` is the option that shows
    /// the following items (`--offset 20`). When only the page size is known (a full page),
    /// `certain` is false and the hint says there *may* be more, since the list can end exactly
    /// at the limit; when the command looked one item ahead, `certain` is true.
    pub fn more_hint(&self, next: &str, certain: bool) -> CliResult {
        self.line(self.dim(&more_hint_text(next, certain)))
    }

    /// A section heading: the title, underlined.
    pub fn heading(&self, title: &str) -> CliResult {
        let rule = "─".repeat(title.chars().count().max(3));
        if self.colour {
            self.line(format!(
                "\n\x1b[1;36m{title}\x1b[0m\n\x1b[2;36m{rule}\x1b[0m"
            ))
        } else {
            self.line(format!("\n{title}\n{rule}"))
        }
    }

    /// A title line (bold), with a dimmed note after it.
    pub fn title(&self, title: &str, note: &str) -> CliResult {
        let note = if note.is_empty() {
            String::new()
        } else {
            format!("  {}", self.dim(note))
        };
        self.line(format!("{}{note}", self.bold(title)))
    }

    /// Aligned `key  value` lines; multi-line values are indented under the first line.
    pub fn fields(&self, fields: &[(&str, String)]) -> CliResult {
        // Empty values are not shown, so they do not count for the alignment.
        let width = fields
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(0);
        let mut text = String::new();
        for (key, value) in fields {
            if value.is_empty() {
                continue;
            }
            let pad = " ".repeat(width - key.chars().count());
            let indent = " ".repeat(width + 4);
            let mut lines = value.lines();
            let first = lines.next().unwrap_or_default();
            text.push_str(&format!("  {}{pad}  {first}\n", self.dim(key)));
            for more in lines {
                text.push_str(&format!("{indent}{more}\n"));
            }
        }
        let mut out = std::io::stdout().lock();
        write!(out, "{text}")?;
        out.flush()?;
        Ok(())
    }

    /// Prints a table (or a dimmed "none" when it has no rows).
    pub fn table(&self, table: Table) -> CliResult {
        if table.rows.is_empty() {
            return self.line(format!("  {}", self.dim("(none)")));
        }
        let mut t = comfy_table::Table::new();
        t.load_style(UTF8_FULL_CONDENSED.with_rounded_corners());
        if self.colour {
            t.enforce_styling();
        } else {
            t.force_no_tty();
        }
        // Fit the terminal's width, unless it reports none or a silly one (a bare pty).
        if self.tty && t.width().is_some_and(|w| w >= 40) {
            t.set_content_arrangement(ContentArrangement::Dynamic);
        }
        let header: Vec<Cell> = table
            .headers
            .iter()
            .map(|h| {
                let cell = Cell::new(h);
                if self.colour {
                    cell.add_attribute(Attribute::Bold).fg(Color::Cyan)
                } else {
                    cell
                }
            })
            .collect();
        t.set_header(header);
        for row in table.rows {
            t.add_row(row.into_iter().enumerate().map(|(i, text)| {
                let cell = Cell::new(text);
                if table.right.contains(&i) {
                    cell.set_alignment(CellAlignment::Right)
                } else {
                    cell
                }
            }));
        }
        self.line(t)
    }

    /// `text` in bold (when colour is on).
    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    /// `text` dimmed (when colour is on).
    pub fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    /// `text` in the accent colour (when colour is on).
    pub fn accent(&self, text: &str) -> String {
        self.paint("33", text)
    }

    fn paint(&self, sgr: &str, text: &str) -> String {
        if self.colour && !text.is_empty() {
            format!("\x1b[{sgr}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

/// The rows of a table, with the indexes of the columns to align right (numbers).
#[derive(Debug, Clone, Default)]
pub struct Table {
    headers: Vec<String>,
    right: Vec<usize>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headers.
    pub fn new(headers: &[&str]) -> Self {
        Self::with_headers(headers.iter().map(|h| (*h).to_owned()).collect())
    }

    /// A table whose column headers are only known at run time (e.g. chart series names).
    pub fn with_headers(headers: Vec<String>) -> Self {
        Self {
            headers,
            right: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// Aligns these columns to the right.
    pub fn right(mut self, columns: &[usize]) -> Self {
        self.right = columns.to_vec();
        self
    }

    /// Adds a row.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The number of rows.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// The headers and the rows' cells.
    #[cfg(test)]
    pub fn cells(&self) -> (&[String], &[Vec<String>]) {
        (&self.headers, &self.rows)
    }
}

/// The text of [`Out::more_hint`].
pub fn more_hint_text(next: &str, certain: bool) -> String {
    if certain {
        format!("  more: {next}")
    } else {
        format!("  there may be more: {next}")
    }
}

/// `10757` → `10,757`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 remix`, `2 remixes`, `10,757 views`.
pub fn count(n: u64, singular: &str, plural: &str) -> String {
    let word = if n == 1 { singular } else { plural };
    format!("{} {word}", thousands(n))
}

/// A date for people: `2021-03-09`, or `—` when unknown.
pub fn date(ts: Option<Timestamp>) -> String {
    match ts {
        Some(ts) => ts.to_api_string().chars().take(10).collect(),
        None => "—".to_owned(),
    }
}

/// `text` on one line (whitespace runs collapsed), cut to `max` characters with `…`.
pub fn one_line(text: &str, max: usize) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.chars().count() <= max {
        return joined;
    }
    let mut cut: String = joined.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Up to `max_lines` lines of `text`, each cut to `width` characters, with `…` when cut.
pub fn excerpt(text: &str, max_lines: usize, width: usize) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .collect();
    let mut out: Vec<String> = lines
        .iter()
        .take(max_lines)
        .map(|l| one_line(l, width))
        .collect();
    if lines.len() > max_lines
        && let Some(last) = out.last_mut()
        && !last.ends_with('…')
    {
        last.push_str(" …");
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_hints_say_whether_more_is_certain() {
        assert_eq!(
            more_hint_text("--offset 20", false),
            "  there may be more: --offset 20"
        );
        assert_eq!(more_hint_text("--page 2", true), "  more: --page 2");
    }

    #[test]
    fn numbers_get_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(10757), "10,757");
        assert_eq!(thousands(1_234_567_890), "1,234,567,890");
        assert_eq!(count(1, "remix", "remixes"), "1 remix");
        assert_eq!(count(1000, "view", "views"), "1,000 views");
    }

    #[test]
    fn dates_are_short() {
        let ts: Timestamp = "2021-03-09T21:20:14.000Z".parse().unwrap();
        assert_eq!(date(Some(ts)), "2021-03-09");
        assert_eq!(date(None), "—");
    }

    #[test]
    fn text_is_squeezed_and_cut() {
        assert_eq!(one_line("a\n\n b  c", 10), "a b c");
        assert_eq!(one_line("abcdefghij", 5), "abcd…");
        assert_eq!(one_line("日本語のテキスト", 4), "日本語…");
        assert_eq!(excerpt("one\n\ntwo\nthree", 2, 80), "one\ntwo …");
        assert_eq!(excerpt("one", 2, 80), "one");
    }

    #[test]
    fn plain_output_has_no_escape_codes() {
        let out = Out {
            json: false,
            colour: false,
            tty: false,
        };
        assert_eq!(out.bold("x"), "x");
        let coloured = Out {
            colour: true,
            ..out
        };
        assert_eq!(coloured.bold("x"), "\x1b[1mx\x1b[0m");
        assert_eq!(coloured.dim(""), "");
    }
}
