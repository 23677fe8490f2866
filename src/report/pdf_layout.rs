//! Page layout of the PDF report: a `Doc` placed on A4 pages as SVG
//! elements (title, contents with page numbers, headings, tables split with
//! repeated headers, charts, footers), text measured with the bundled font.

use std::collections::HashMap;

use ab_glyph::{Font, FontRef};

use super::doc::{numeric_columns, Block, Doc};
use crate::format::esc;

pub(super) const FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub(super) const PAGE_W: f32 = 595.0;
pub(super) const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 48.0;
const BOTTOM: f32 = PAGE_H - 56.0;
const WIDTH: f32 = PAGE_W - 2.0 * MARGIN;
const INK: &str = "#222";
const MUTED: &str = "#777";

/// Text widths in points, from the bundled font's advances.
struct Metrics {
    font: FontRef<'static>,
    em: f32,
}

impl Metrics {
    fn new() -> Result<Metrics, String> {
        let font = FontRef::try_from_slice(FONT_BYTES).map_err(|e| e.to_string())?;
        let em = font.units_per_em().unwrap_or(2048.0);
        Ok(Metrics { font, em })
    }

    fn width(&self, s: &str, size: f32) -> f32 {
        let units: f32 = s
            .chars()
            .map(|c| self.font.h_advance_unscaled(self.font.glyph_id(c)))
            .sum();
        units / self.em * size
    }

    /// Cuts `s` with an ellipsis so that it fits in `w` points.
    fn fit(&self, s: &str, size: f32, w: f32) -> String {
        if self.width(s, size) <= w {
            return s.to_string();
        }
        let mut out: String = s.to_string();
        while !out.is_empty() && self.width(&format!("{out}…"), size) > w {
            out.pop();
        }
        format!("{out}…")
    }

    /// Greedy word wrap into lines no wider than `w`.
    fn wrap(&self, s: &str, size: f32, w: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in s.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if self.width(&candidate, size) > w && !line.is_empty() {
                lines.push(std::mem::replace(&mut line, word.to_string()));
            } else {
                line = candidate;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines.into_iter().map(|l| self.fit(&l, size, w)).collect()
    }
}

fn text(x: f32, y: f32, size: f32, color: &str, anchor: &str, s: &str) -> String {
    format!(
        "<text x=\"{x:.2}\" y=\"{y:.2}\" font-family=\"DejaVu Sans\" font-size=\"{size:.2}\" fill=\"{color}\" text-anchor=\"{anchor}\">{}</text>",
        esc(s)
    )
}

fn line(x1: f32, y1: f32, x2: f32, y2: f32, color: &str, w: f32) -> String {
    format!("<line x1=\"{x1:.2}\" y1=\"{y1:.2}\" x2=\"{x2:.2}\" y2=\"{y2:.2}\" stroke=\"{color}\" stroke-width=\"{w}\"/>")
}

/// Pages being filled top to bottom.
struct Layout {
    m: Metrics,
    pages: Vec<Vec<String>>,
    y: f32,
    /// Heading id → page index, for the contents.
    at: HashMap<String, usize>,
}

impl Layout {
    fn page(&mut self) -> &mut Vec<String> {
        self.pages.last_mut().expect("a page")
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    /// Starts a new page unless `h` points still fit on this one.
    fn room(&mut self, h: f32) {
        if self.y + h > BOTTOM && self.y > MARGIN {
            self.new_page();
        }
    }

    fn paragraph(&mut self, s: &str, size: f32, color: &str) {
        for l in self.m.wrap(s, size, WIDTH) {
            self.room(size * 1.5);
            self.y += size * 1.5;
            let t = text(MARGIN, self.y - size * 0.35, size, color, "start", &l);
            self.page().push(t);
        }
        self.y += size * 0.6;
    }

    fn heading(&mut self, id: &str, title: &str, keep: f32) {
        self.room(40.0 + keep);
        self.y += 30.0;
        let t = text(MARGIN, self.y, 13.0, INK, "start", title);
        let l = line(
            MARGIN,
            self.y + 5.0,
            MARGIN + WIDTH,
            self.y + 5.0,
            "#ccc",
            0.6,
        );
        self.page().extend([t, l]);
        self.y += 14.0;
        self.at.insert(id.to_string(), self.pages.len() - 1);
    }

    fn chart(&mut self, svg: &str) {
        let (w, h) = svg_size(svg);
        let scale = WIDTH / w;
        let height = h * scale;
        self.room(height);
        let g = format!(
            "<g transform=\"translate({MARGIN:.2},{:.2}) scale({scale:.5})\">{}</g>",
            self.y,
            svg.trim_start_matches(|c| c != '<')
        );
        self.page().push(g);
        self.y += height + 6.0;
    }

    fn table(&mut self, head: &[String], rows: &[Vec<String>], pdf_rows: Option<usize>) {
        let cols = head.len().max(rows.iter().map(Vec::len).max().unwrap_or(0));
        if cols == 0 {
            return;
        }
        let shown: Vec<Option<&Vec<String>>> = match pdf_rows {
            Some(k) if rows.len() > k => {
                let half = k / 2;
                let mut v: Vec<Option<&Vec<String>>> = rows[..half].iter().map(Some).collect();
                v.push(None);
                v.extend(rows[rows.len() - half..].iter().map(Some));
                v
            }
            _ => rows.iter().map(Some).collect(),
        };
        let left_out = rows.len() + 1 - shown.len();
        // Column widths at 8 pt, shrunk to fit the page (not below 5.5 pt).
        let pad = 4.0;
        let natural = |size: f32| -> Vec<f32> {
            (0..cols)
                .map(|c| {
                    let cells = head
                        .get(c)
                        .into_iter()
                        .chain(shown.iter().flatten().filter_map(|r| r.get(c)));
                    cells.map(|s| self.m.width(s, size)).fold(0.0, f32::max) + 2.0 * pad
                })
                .collect()
        };
        let mut size = 8.0;
        let total: f32 = natural(size).iter().sum();
        if total > WIDTH {
            size = (size * WIDTH / total).max(5.5);
        }
        let mut widths = natural(size);
        let total: f32 = widths.iter().sum();
        if total < WIDTH {
            // Spread to the full width, as the headings' rules are.
            let k = WIDTH / total;
            widths.iter_mut().for_each(|w| *w *= k);
        } else if total > WIDTH {
            // Still too wide: the widest column gives up the difference.
            let (i, _) = widths
                .iter()
                .enumerate()
                .fold((0, 0.0), |a, (i, &w)| if w > a.1 { (i, w) } else { a });
            widths[i] -= total - WIDTH;
        }
        // Numbers right-aligned, text left-aligned, decided per column.
        let mut right = numeric_columns(rows);
        right.resize(cols, false);
        let row_h = size * 1.7;
        let header = |l: &mut Layout| {
            if head.is_empty() {
                return;
            }
            let y = l.y;
            l.page().push(format!(
                "<rect x=\"{MARGIN:.2}\" y=\"{y:.2}\" width=\"{:.2}\" height=\"{row_h:.2}\" fill=\"#f3f3f3\"/>",
                widths.iter().sum::<f32>()
            ));
            l.cells(head, &widths, &right, size, pad, row_h);
        };
        // A table that fits on a page is not split; a longer one starts
        // where it is if a few rows fit (its heading is not left alone).
        let height = row_h * (shown.len() + usize::from(!head.is_empty())) as f32;
        if height > BOTTOM - MARGIN {
            self.room(row_h * 5.0);
        } else {
            self.room(height);
        }
        header(self);
        for r in shown {
            if self.y + row_h > BOTTOM {
                self.new_page();
                header(self);
            }
            match r {
                Some(r) => self.cells(r, &widths, &right, size, pad, row_h),
                None => {
                    let y = self.y + row_h * 0.7;
                    let t = text(
                        MARGIN + pad,
                        y,
                        size,
                        MUTED,
                        "start",
                        &format!("… {left_out} rows not shown (all of them are in the HTML report and the CSV) …"),
                    );
                    self.page().push(t);
                    self.y += row_h;
                }
            }
        }
        self.y += 8.0;
    }

    fn cells(
        &mut self,
        r: &[String],
        widths: &[f32],
        right: &[bool],
        size: f32,
        pad: f32,
        row_h: f32,
    ) {
        let mut x = MARGIN;
        let base = self.y + row_h * 0.7;
        let mut out = Vec::new();
        for (c, w) in widths.iter().enumerate() {
            let s = self
                .m
                .fit(r.get(c).map_or("", String::as_str), size, w - 2.0 * pad);
            out.push(if right[c] {
                text(x + w - pad, base, size, INK, "end", &s)
            } else {
                text(x + pad, base, size, INK, "start", &s)
            });
            x += w;
        }
        let y = self.y + row_h;
        out.push(line(MARGIN, y, x, y, "#ddd", 0.5));
        self.page().extend(out);
        self.y += row_h;
    }
}

/// The width and height a plotters SVG declares.
fn svg_size(svg: &str) -> (f32, f32) {
    let attr = |name: &str| {
        let key = format!(" {name}=\"");
        let start = svg.find(&key)? + key.len();
        let end = svg[start..].find('"')? + start;
        svg[start..end].parse::<f32>().ok()
    };
    (
        attr("width").unwrap_or(720.0).max(1.0),
        attr("height").unwrap_or(270.0).max(1.0),
    )
}

/// Places `blocks` from the current position on, a heading kept on the
/// page of what follows it.
fn lay_out(l: &mut Layout, blocks: &[Block]) {
    for (i, b) in blocks.iter().enumerate() {
        match b {
            Block::Heading { id, title } => {
                let keep = match blocks.get(i + 1) {
                    Some(Block::Chart(svg)) => {
                        let (w, h) = svg_size(svg);
                        h * WIDTH / w
                    }
                    Some(Block::Table {
                        head,
                        rows,
                        pdf_rows,
                    }) => {
                        let n = pdf_rows.map_or(rows.len(), |k| rows.len().min(k + 1));
                        let full = 13.6 * (n + usize::from(!head.is_empty())) as f32;
                        // A table longer than a page keeps only its first rows.
                        if full > BOTTOM - MARGIN - 60.0 {
                            13.6 * 6.0
                        } else {
                            full
                        }
                    }
                    _ => 60.0,
                };
                l.heading(id, title, keep)
            }
            Block::Text(s) => {
                l.y += 12.0;
                l.paragraph(s, 9.5, INK)
            }
            Block::Table {
                head,
                rows,
                pdf_rows,
            } => l.table(head, rows, *pdf_rows),
            Block::Chart(svg) => l.chart(svg),
            Block::Link { href, .. } => {
                let folder = href.rsplit_once('/').map_or("", |(d, _)| d);
                l.y += 10.0;
                l.paragraph(
                    &format!("The best trial's own report (report.pdf, report.html) is in {folder}/ beside this file."),
                    9.5,
                    INK,
                )
            }
        }
    }
}

/// Lays `doc` out on A4 pages: each page the SVG elements drawn on it,
/// footers and the contents' page numbers included.
pub(super) fn pages(doc: &Doc) -> Result<Vec<Vec<String>>, String> {
    let mut l = Layout {
        m: Metrics::new()?,
        pages: vec![Vec::new()],
        y: MARGIN,
        at: HashMap::new(),
    };
    l.y += 20.0;
    let t = text(MARGIN, l.y, 20.0, INK, "start", &doc.title);
    l.page().push(t);
    l.y += 8.0;
    l.paragraph(&doc.subtitle, 9.0, MUTED);
    let intro = doc.intro();
    for b in &doc.blocks[..intro] {
        if let Block::Text(s) = b {
            l.y += 4.0;
            l.paragraph(s, 9.5, INK);
        }
    }
    // The front page (a run's tearsheet), then the contents on a new page.
    if !doc.front.is_empty() {
        lay_out(&mut l, &doc.front);
        l.new_page();
    }
    // The contents: one line per heading, page numbers filled in at the end.
    let headings: Vec<(String, String)> = doc
        .headings()
        .map(|(i, t)| (i.to_string(), t.to_string()))
        .collect();
    l.y += 14.0;
    let t = text(MARGIN, l.y, 13.0, INK, "start", "Contents");
    l.page().push(t);
    l.y += 6.0;
    let mut toc = Vec::new();
    for (id, title) in &headings {
        l.room(14.0);
        l.y += 14.0;
        let t = text(MARGIN + 8.0, l.y, 9.5, INK, "start", title);
        l.page().push(t);
        toc.push((l.pages.len() - 1, l.y, id.clone()));
    }
    lay_out(&mut l, &doc.blocks[intro..]);
    for (page, y, id) in toc {
        let n = l.at.get(&id).map_or(String::new(), |p| (p + 1).to_string());
        l.pages[page].push(text(MARGIN + WIDTH, y, 9.5, INK, "end", &n));
    }
    let n = l.pages.len();
    for (i, p) in l.pages.iter_mut().enumerate() {
        p.push(text(
            PAGE_W / 2.0,
            PAGE_H - 28.0,
            8.0,
            MUTED,
            "middle",
            &format!("{} · page {} of {n}", doc.title, i + 1),
        ));
    }
    Ok(l.pages)
}
