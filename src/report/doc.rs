//! The document model every report is built as (title, sections, tables,
//! charts), and its HTML rendering. The PDF renderer (`pdf.rs`) lays out the
//! same document, so a report's pages are written once for both formats.

use crate::format::esc;

/// One block of a report, in reading order.
#[derive(Debug, Clone)]
pub enum Block {
    /// A section heading; `id` is its HTML anchor and table-of-contents key.
    Heading { id: String, title: String },
    /// A paragraph of plain text.
    Text(String),
    /// A table. `head` may be empty (a key/value table). In the PDF only
    /// the first and last `pdf_rows / 2` rows are shown, with a count of the
    /// rows left out; the HTML always has every row.
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
        pdf_rows: Option<usize>,
    },
    /// An SVG chart as plotters wrote it.
    Chart(String),
    /// A link to another file of the report folder (a plain line in the PDF).
    Link { href: String, text: String },
}

/// A report: a title, a one-line subtitle, a front page (shown before the
/// contents; page 1 of the PDF), then blocks.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    pub title: String,
    pub subtitle: String,
    /// The front page: a run's tearsheet. Empty for most reports.
    pub front: Vec<Block>,
    pub blocks: Vec<Block>,
}

pub(crate) const CSS: &str = "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;max-width:960px;margin:2em auto;color:#222;line-height:1.4}\
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}\
table{border-collapse:collapse;font-size:.85em;margin:.8em 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}\
th{background:#f3f3f3}td:first-child,th:first-child,td.t{text-align:left}.muted{color:#777}\
nav ul{columns:2}svg{width:100%;max-width:100%;height:auto}@media print{h2{page-break-before:always}nav{display:none}}";

impl Doc {
    pub fn new(title: impl Into<String>, subtitle: impl Into<String>) -> Doc {
        Doc {
            title: title.into(),
            subtitle: subtitle.into(),
            front: Vec::new(),
            blocks: Vec::new(),
        }
    }

    pub fn heading(&mut self, id: &str, title: impl Into<String>) {
        self.blocks.push(Block::Heading {
            id: id.into(),
            title: title.into(),
        });
    }

    pub fn table(&mut self, head: &[&str], rows: Vec<Vec<String>>) {
        self.blocks.push(Block::Table {
            head: head.iter().map(|s| s.to_string()).collect(),
            rows,
            pdf_rows: None,
        });
    }

    /// A section holding one chart.
    pub fn chart(&mut self, id: &str, title: &str, svg: String) {
        self.heading(id, title);
        self.blocks.push(Block::Chart(svg));
    }

    /// The text blocks before the first heading (shown above the contents).
    pub fn intro(&self) -> usize {
        self.blocks
            .iter()
            .take_while(|b| matches!(b, Block::Text(_)))
            .count()
    }

    /// The headings, for a table of contents.
    pub fn headings(&self) -> impl Iterator<Item = (&str, &str)> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Heading { id, title } => Some((id.as_str(), title.as_str())),
            _ => None,
        })
    }

    /// One self-contained HTML file: inline CSS and SVG, a table of contents,
    /// no network reference.
    pub fn to_html(&self) -> String {
        let mut h =
            String::from("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        h.push_str(&format!(
            "<title>{}</title><style>{CSS}</style></head><body>\n<h1>{}</h1>\n<p class=\"muted\">{}</p>\n",
            esc(&self.title),
            esc(&self.title),
            esc(&self.subtitle)
        ));
        let intro = self.intro();
        for b in &self.blocks[..intro] {
            if let Block::Text(t) = b {
                h.push_str(&format!("<p>{}</p>\n", esc(t)));
            }
        }
        for b in &self.front {
            block_html(&mut h, b);
        }
        h.push_str("<nav><h2>Contents</h2><ul>");
        for (id, title) in self.headings() {
            h.push_str(&format!("<li><a href=\"#{id}\">{}</a></li>", esc(title)));
        }
        for b in &self.blocks {
            if let Block::Link { href, text } = b {
                h.push_str(&format!(
                    "<li><a href=\"{}\">{}</a></li>",
                    esc(href),
                    esc(text)
                ));
            }
        }
        h.push_str("</ul></nav>\n");
        for b in &self.blocks[intro..] {
            block_html(&mut h, b);
        }
        h.push_str("</body></html>\n");
        h
    }
}

/// Appends one block's HTML.
fn block_html(h: &mut String, b: &Block) {
    match b {
        Block::Heading { id, title } => {
            h.push_str(&format!("<h2 id=\"{id}\">{}</h2>\n", esc(title)))
        }
        Block::Text(t) => h.push_str(&format!("<p>{}</p>\n", esc(t))),
        Block::Table { head, rows, .. } => {
            h.push_str("<table>");
            if !head.is_empty() {
                h.push_str("<tr>");
                for c in head {
                    h.push_str(&format!("<th>{}</th>", esc(c)));
                }
                h.push_str("</tr>");
            }
            let right = numeric_columns(rows);
            for r in rows {
                h.push_str("<tr>");
                for (i, c) in r.iter().enumerate() {
                    if right.get(i) == Some(&false) && i > 0 {
                        h.push_str(&format!("<td class=\"t\">{}</td>", esc(c)));
                    } else {
                        h.push_str(&format!("<td>{}</td>", esc(c)));
                    }
                }
                h.push_str("</tr>\n");
            }
            h.push_str("</table>\n");
        }
        // Inline SVG needs no namespace declaration in HTML; dropping
        // it keeps the file free of any http:// address.
        Block::Chart(svg) => {
            h.push_str(&svg.replace(" xmlns=\"http://www.w3.org/2000/svg\"", ""));
            h.push('\n');
        }
        Block::Link { href, text } => h.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>\n",
            esc(href),
            esc(text)
        )),
    }
}

/// Which columns hold numbers (right-aligned); the first never does.
pub fn numeric_columns(rows: &[Vec<String>]) -> Vec<bool> {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let numeric =
        |s: &str| s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit() || "-+.–".contains(c));
    (0..cols)
        .map(|c| {
            c > 0
                && rows
                    .iter()
                    .all(|r| numeric(r.get(c).map_or("", String::as_str)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_text_and_lists_every_heading() {
        let mut d = Doc::new("a<b", "x & y");
        d.heading("one", "One");
        d.table(&["k", "v"], vec![vec!["<k>".into(), "1".into()]]);
        d.heading("two", "Two");
        let h = d.to_html();
        assert!(h.contains("<h1>a&lt;b</h1>"));
        assert!(h.contains("x &amp; y"));
        assert!(h.contains("<td>&lt;k&gt;</td>"));
        assert!(h.contains("<li><a href=\"#one\">One</a></li><li><a href=\"#two\">Two</a></li>"));
    }
}
