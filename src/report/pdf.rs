//! The PDF report: a `Doc` laid out on A4 pages (title, contents with page
//! numbers, headings, tables, charts, a footer with page i of n). Each page
//! is drawn as one SVG and converted by svg2pdf, so charts stay vector
//! graphics and all text is real, selectable text in the embedded DejaVu
//! Sans.

use std::collections::HashMap;

use ab_glyph::{Font, FontRef};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, TextStr};
use svg2pdf::usvg;

use super::doc::{numeric_columns, Block, Doc};
use super::format::esc;

const FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
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
        // A table that fits on a page is not split.
        let height = row_h * (shown.len() + usize::from(!head.is_empty())) as f32;
        self.room(height.min(BOTTOM - MARGIN));
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
        attr("width").unwrap_or(880.0).max(1.0),
        attr("height").unwrap_or(300.0).max(1.0),
    )
}

/// Lays out `doc` and writes the PDF bytes. Identical documents give
/// identical bytes (no dates, no random IDs).
pub fn render(doc: &Doc) -> Result<Vec<u8>, String> {
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
    for (i, b) in doc.blocks.iter().enumerate().skip(intro) {
        match b {
            Block::Heading { id, title } => {
                let keep = match doc.blocks.get(i + 1) {
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
                        (13.6 * (n + usize::from(!head.is_empty())) as f32)
                            .min(BOTTOM - MARGIN - 60.0)
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
    assemble(&doc.title, &l.pages)
}

/// Converts each page's SVG with svg2pdf and places it on an A4 page.
fn assemble(title: &str, pages: &[Vec<String>]) -> Result<Vec<u8>, String> {
    let mut options = usvg::Options::default();
    {
        let db = options.fontdb_mut();
        db.load_font_data(FONT_BYTES.to_vec());
        // plotters writes font-family="sans-serif"; without this usvg drops it.
        db.set_sans_serif_family("DejaVu Sans");
    }
    let mut alloc = Ref::new(1);
    let catalog = alloc.bump();
    let tree_ref = alloc.bump();
    let info = alloc.bump();
    let mut pdf = Pdf::new();
    let mut kids = Vec::new();
    let mut chunks = Vec::new();
    for body in pages {
        let svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{PAGE_W}\" height=\"{PAGE_H}\" viewBox=\"0 0 {PAGE_W} {PAGE_H}\">{}</svg>",
            body.concat()
        );
        let tree = usvg::Tree::from_str(&svg, &options).map_err(|e| format!("page SVG: {e}"))?;
        let (chunk, id) = svg2pdf::to_chunk(&tree, svg2pdf::ConversionOptions::default())
            .map_err(|e| format!("PDF conversion: {e}"))?;
        let mut map = HashMap::new();
        let chunk = chunk.renumber(|old| *map.entry(old).or_insert_with(|| alloc.bump()));
        let xobject = map[&id];
        let page_ref = alloc.bump();
        let content_ref = alloc.bump();
        let mut content = Content::new();
        content
            .transform([PAGE_W, 0.0, 0.0, PAGE_H, 0.0, 0.0])
            .x_object(Name(b"P"));
        pdf.stream(content_ref, &content.finish());
        let mut page = pdf.page(page_ref);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
        page.parent(tree_ref);
        page.contents(content_ref);
        page.resources().x_objects().pair(Name(b"P"), xobject);
        page.finish();
        kids.push(page_ref);
        chunks.push(chunk);
    }
    pdf.catalog(catalog).pages(tree_ref);
    pdf.pages(tree_ref)
        .kids(kids.iter().copied())
        .count(kids.len() as i32);
    pdf.document_info(info)
        .title(TextStr(title))
        .producer(TextStr(concat!("tradelab ", env!("CARGO_PKG_VERSION"))));
    for c in &chunks {
        pdf.extend(c);
    }
    let mut bytes = pdf.finish();
    sort_resource_entries(&mut bytes);
    Ok(bytes)
}

/// svg2pdf writes the entries of a resources dictionary in hash-map order,
/// which changes from process to process. Sorting the entry lines of each
/// such dictionary makes the bytes reproducible; a permutation of whole
/// lines keeps every byte offset (and so the xref table) valid. Stream
/// data is skipped by its /Length.
fn sort_resource_entries(pdf: &mut [u8]) {
    const DICTS: [&[u8]; 6] = [
        b"/XObject <<",
        b"/ExtGState <<",
        b"/Pattern <<",
        b"/Shading <<",
        b"/Font <<",
        b"/ColorSpace <<",
    ];
    let line_end = |pdf: &[u8], i: usize| {
        pdf[i..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(pdf.len(), |p| i + p)
    };
    let mut length = 0usize;
    let mut i = 0;
    while i < pdf.len() {
        let end = line_end(pdf, i);
        let line = pdf[i..end].trim_ascii();
        if let Some(n) = line.strip_prefix(b"/Length ") {
            length = std::str::from_utf8(n)
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
        } else if line == b"stream" {
            i = end + 1 + length;
            continue;
        } else if DICTS.contains(&line) {
            let start = end + 1;
            let mut j = start;
            let mut entries: Vec<Vec<u8>> = Vec::new();
            while j < pdf.len() {
                let e = line_end(pdf, j);
                let entry = &pdf[j..e];
                if entry.trim_ascii() == b">>" {
                    break;
                }
                entries.push(entry.to_vec());
                j = e + 1;
            }
            // Only flat entries (`/name 12 0 R` or one-line arrays) move.
            if entries.iter().all(|e| !e.contains(&b'<')) {
                entries.sort();
                let mut k = start;
                for e in &entries {
                    pdf[k..k + e.len()].copy_from_slice(e);
                    pdf[k + e.len()] = b'\n';
                    k += e.len() + 1;
                }
            }
            i = j;
            continue;
        }
        i = end + 1;
    }
}
