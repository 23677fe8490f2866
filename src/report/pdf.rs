//! The PDF report: a `Doc` laid out on A4 pages (`pdf_layout.rs`), each page
//! drawn as one SVG and converted by svg2pdf, so charts stay vector graphics
//! and all text is real, selectable text in the embedded DejaVu Sans.

use std::collections::HashMap;

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, TextStr};
use svg2pdf::usvg;

use super::doc::Doc;
use super::pdf_layout::{pages, FONT_BYTES, PAGE_H, PAGE_W};

/// Lays out `doc` and writes the PDF bytes. Identical documents give
/// identical bytes (no dates, no random IDs).
pub fn render(doc: &Doc) -> Result<Vec<u8>, String> {
    assemble(&doc.title, &pages(doc)?)
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
