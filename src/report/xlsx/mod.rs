//! Excel workbooks (`--report xlsx`) written with rust_xlsxwriter from the
//! report JSON alone, so `tradelab report report.json --format xlsx`
//! re-renders them: the shared cell formats and writers here, a run's
//! sheets in `run.rs`, a sweep's and a walk-forward's in `sweep.rs`. The
//! creation time is fixed, so the same report gives the same bytes.

mod run;
mod sweep;

use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet};
use serde_json::Value;

use crate::metrics::table::{lookup, Kind};

pub use run::run_workbook;
pub use sweep::{sweep_workbook, walkforward_workbook};

/// A cell-writing failure, as text.
pub(crate) fn err(e: rust_xlsxwriter::XlsxError) -> String {
    e.to_string()
}

/// UTC milliseconds as an Excel date serial (days since 1899-12-30).
pub(crate) fn serial(ms: i64) -> f64 {
    ms as f64 / 86_400_000.0 + 25_569.0
}

/// The cell formats every sheet uses.
pub(crate) struct Formats {
    pub head: Format,
    pub bold: Format,
    pub date: Format,
    pub datetime: Format,
    pub pct: Format,
    pub money: Format,
    pub count: Format,
    pub bars: Format,
    pub ratio: Format,
    pub number: Format,
}

impl Formats {
    pub fn new() -> Formats {
        Formats {
            head: Format::new()
                .set_bold()
                .set_background_color("#F3F3F3")
                .set_align(FormatAlign::Center),
            bold: Format::new().set_bold(),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            datetime: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
            pct: Format::new().set_num_format("0.00%"),
            money: Format::new().set_num_format("#,##0.00"),
            count: Format::new().set_num_format("#,##0"),
            bars: Format::new().set_num_format("#,##0.0"),
            ratio: Format::new().set_num_format("0.0000"),
            number: Format::new().set_num_format("General"),
        }
    }

    /// The format of metric `name` by its kind (% for fractions, thousands
    /// separators for money).
    pub fn metric(&self, name: &str) -> &Format {
        match lookup(name).map(|d| d.kind) {
            Some(Kind::Fraction) => &self.pct,
            Some(Kind::Money) => &self.money,
            Some(Kind::Count) => &self.count,
            Some(Kind::Bars) => &self.bars,
            Some(Kind::Ratio) => &self.ratio,
            None => &self.number,
        }
    }

    /// The date format for timestamps: a date when every one is midnight.
    pub fn time_for(&self, ts: &[i64]) -> &Format {
        if ts.iter().all(|t| t.rem_euclid(86_400_000) == 0) {
            &self.date
        } else {
            &self.datetime
        }
    }
}

/// A number, or a blank cell for null, NaN or infinity.
pub(crate) fn number(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    v: Option<f64>,
    f: &Format,
) -> Result<(), String> {
    match v.filter(|x| x.is_finite()) {
        Some(x) => ws.write_number_with_format(row, col, x, f).map(|_| ()),
        None => ws.write_blank(row, col, f).map(|_| ()),
    }
    .map_err(err)
}

/// A JSON value as a cell: a number, a string, a date (an ISO time string),
/// or a blank.
pub(crate) fn cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    v: &Value,
    fm: &Formats,
) -> Result<(), String> {
    match v {
        Value::Number(n) => number(ws, row, col, n.as_f64(), &fm.number),
        Value::String(s) => match crate::data::time::parse_iso(s) {
            Some((ms, _)) if s.len() >= 10 && s.as_bytes()[4] == b'-' => {
                let f = fm.time_for(&[ms]);
                ws.write_number_with_format(row, col, serial(ms), f)
                    .map(|_| ())
                    .map_err(err)
            }
            _ => ws.write_string(row, col, s).map(|_| ()).map_err(err),
        },
        Value::Bool(b) => ws.write_boolean(row, col, *b).map(|_| ()).map_err(err),
        Value::Null => Ok(()),
        other => ws
            .write_string(row, col, other.to_string())
            .map(|_| ())
            .map_err(err),
    }
}

/// A header row at `row` from `col` on.
pub(crate) fn header(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    names: &[&str],
    fm: &Formats,
) -> Result<(), String> {
    for (i, n) in names.iter().enumerate() {
        ws.write_string_with_format(row, col + i as u16, *n, &fm.head)
            .map_err(err)?;
    }
    Ok(())
}

/// A new workbook with a fixed creation time (2000-01-01 00:00 UTC), so
/// its bytes depend on its content only.
pub(crate) fn workbook() -> Result<Workbook, String> {
    let mut wb = Workbook::new();
    let when = ExcelDateTime::from_ymd(2000, 1, 1).map_err(err)?;
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&when)
            .set_author("tradelab"),
    );
    Ok(wb)
}

/// Saves `wb` to `path` atomically.
pub fn save(path: &Path, mut wb: Workbook) -> crate::Result<()> {
    let bytes = wb
        .save_to_buffer()
        .map_err(|e| crate::Error::output(path, e))?;
    crate::data::write::write_atomic(path, |w| {
        std::io::Write::write_all(w, &bytes).map_err(|e| e.to_string())
    })
}
