//! A run's workbook: Summary (headline figures and setup), Metrics
//! (grouped, strategy and benchmark), Trades, Equity (with a native line
//! chart), Monthly (colour scale), Drawdowns, Yearly, and for portfolios
//! Weights and Per symbol.

use rust_xlsxwriter::{
    Chart, ChartType, ConditionalFormat3ColorScale, ConditionalFormatType, Workbook, Worksheet,
};
use serde_json::Value;

use super::{cell, err, header, number, serial, workbook, Formats};
use crate::report::charts::monthly_returns;
use crate::report::tearsheet::{benchmark_curve, benchmark_name, HEADLINE};

/// More equity rows than this are kept at the last bar of each day.
const MAX_EQUITY_ROWS: usize = 100_000;

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .map(|a| a.iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect())
        .unwrap_or_default()
}

fn text(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

/// The workbook of a run report (`run --report xlsx`).
pub fn run_workbook(report: &Value) -> Result<Workbook, String> {
    let eq = &report["equity"];
    let ts: Vec<i64> = eq["t"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default();
    let (equity, close) = (floats(&eq["equity"]), floats(&eq["close"]));
    if ts.is_empty() || ts.len() != equity.len() || ts.len() != close.len() {
        return Err("the report has no equity curve".into());
    }
    let bench = benchmark_curve(report, &close);
    let fm = Formats::new();
    let mut wb = workbook()?;
    summary(wb.add_worksheet(), report, &ts, &fm)?;
    metrics(wb.add_worksheet(), report, &fm)?;
    trades(wb.add_worksheet(), report, &fm)?;
    equity_sheet(
        wb.add_worksheet(),
        &ts,
        &equity,
        &bench,
        &benchmark_name(report),
        &fm,
    )?;
    monthly(wb.add_worksheet(), &ts, &equity, &fm)?;
    drawdowns(wb.add_worksheet(), report, &fm)?;
    yearly(wb.add_worksheet(), report, &fm)?;
    if report["per_symbol"].is_array() {
        weights(wb.add_worksheet(), report, &ts, &fm)?;
        per_symbol(wb.add_worksheet(), report, &fm)?;
    }
    Ok(wb)
}

fn summary(ws: &mut Worksheet, report: &Value, ts: &[i64], fm: &Formats) -> Result<(), String> {
    ws.set_name("Summary").map_err(err)?;
    let name = text(&report["strategy"]["name"]);
    ws.write_string_with_format(0, 0, &name, &fm.bold)
        .map_err(err)?;
    ws.write_string(1, 0, crate::report::tearsheet::header(report, ts))
        .map_err(err)?;
    let labels: Vec<&str> = std::iter::once("")
        .chain(HEADLINE.iter().map(|(_, l)| *l))
        .collect();
    header(ws, 3, 0, &labels, fm)?;
    ws.write_string(4, 0, "strategy").map_err(err)?;
    ws.write_string(5, 0, benchmark_name(report)).map_err(err)?;
    let (m, b) = (&report["metrics"], &report["benchmark_metrics"]);
    for (i, (k, _)) in HEADLINE.iter().enumerate() {
        let c = 1 + i as u16;
        number(ws, 4, c, m[*k].as_f64(), fm.metric(k))?;
        let bv = match *k {
            "exposure" => Some(1.0),
            "trades" | "win_rate" => None,
            _ => b[*k].as_f64(),
        };
        number(ws, 5, c, bv, fm.metric(k))?;
    }
    let s = &report["strategy"];
    let d = &report["data"];
    let mut setup: Vec<(String, Value)> = vec![
        ("strategy file".into(), s["file"].clone()),
        ("strategy sha256".into(), s["sha256"].clone()),
        ("data file".into(), d["file"].clone()),
        ("data sha256".into(), d["sha256"].clone()),
        ("first bar".into(), d["start"].clone()),
        ("last bar".into(), d["end"].clone()),
        ("bars".into(), d["bars"].clone()),
        ("benchmark".into(), report["benchmark"]["name"].clone()),
    ];
    if let Some(f) = report["benchmark"]["file"].as_str() {
        setup.push(("benchmark file".into(), Value::from(f)));
    }
    for (k, v) in report["params"].as_object().into_iter().flatten() {
        setup.push((format!("param {k}"), v.clone()));
    }
    for (k, v) in report["execution"].as_object().into_iter().flatten() {
        if !v.is_null() {
            setup.push((k.clone(), v.clone()));
        }
    }
    if ts.len() > MAX_EQUITY_ROWS {
        setup.push((
            "Equity sheet".into(),
            Value::from("the last bar of each day (every bar is in equity.csv)"),
        ));
    }
    header(ws, 7, 0, &["setup", "value"], fm)?;
    for (i, (k, v)) in setup.iter().enumerate() {
        let r = 8 + i as u32;
        ws.write_string(r, 0, k).map_err(err)?;
        cell(ws, r, 1, v, fm)?;
    }
    ws.set_column_width(0, 22).map_err(err)?;
    for c in 1..=9 {
        ws.set_column_width(c, 13).map_err(err)?;
    }
    Ok(())
}

fn metrics(ws: &mut Worksheet, report: &Value, fm: &Formats) -> Result<(), String> {
    ws.set_name("Metrics").map_err(err)?;
    let bname = benchmark_name(report);
    header(
        ws,
        0,
        0,
        &["group", "metric", "strategy", &bname, "definition"],
        fm,
    )?;
    let (m, b) = (&report["metrics"], &report["benchmark_metrics"]);
    let mut r = 1;
    for (group, names) in crate::metrics::groups::GROUPS {
        for k in names.iter().filter(|k| m.get(**k).is_some()) {
            ws.write_string(r, 0, group).map_err(err)?;
            ws.write_string(r, 1, *k).map_err(err)?;
            number(ws, r, 2, m[*k].as_f64(), fm.metric(k))?;
            if b.get(*k).is_some() {
                number(ws, r, 3, b[*k].as_f64(), fm.metric(k))?;
            }
            let about = crate::metrics::table::lookup(k).map_or("", |d| d.about);
            ws.write_string(r, 4, about).map_err(err)?;
            r += 1;
        }
    }
    ws.set_freeze_panes(1, 0).map_err(err)?;
    ws.autofilter(0, 0, r - 1, 4).map_err(err)?;
    for (c, w) in [(0, 18), (1, 30), (2, 14), (3, 14), (4, 70)] {
        ws.set_column_width(c, w).map_err(err)?;
    }
    Ok(())
}

fn trades(ws: &mut Worksheet, report: &Value, fm: &Formats) -> Result<(), String> {
    ws.set_name("Trades").map_err(err)?;
    let list: &[Value] = report["trades"].as_array().map_or(&[], Vec::as_slice);
    let cols = crate::report::trade_columns(list, true);
    header(ws, 0, 0, &cols, fm)?;
    for (i, t) in list.iter().enumerate() {
        let r = 1 + i as u32;
        for (c, k) in cols.iter().enumerate() {
            let c = c as u16;
            match *k {
                "pnl" | "commission" => number(ws, r, c, t[*k].as_f64(), &fm.money)?,
                "return" => number(ws, r, c, t[*k].as_f64(), &fm.pct)?,
                _ => cell(ws, r, c, &t[*k], fm)?,
            }
        }
    }
    ws.set_freeze_panes(1, 0).map_err(err)?;
    ws.autofilter(0, 0, list.len() as u32, cols.len() as u16 - 1)
        .map_err(err)?;
    for c in 0..cols.len() as u16 {
        ws.set_column_width(c, 13).map_err(err)?;
    }
    Ok(())
}

/// The rows the Equity sheet keeps: every bar, or past `MAX_EQUITY_ROWS`
/// the last bar of each UTC day.
fn equity_rows(ts: &[i64]) -> Vec<usize> {
    if ts.len() <= MAX_EQUITY_ROWS {
        return (0..ts.len()).collect();
    }
    crate::metrics::returns::period_ends(ts, 'D')
}

fn equity_sheet(
    ws: &mut Worksheet,
    ts: &[i64],
    equity: &[f64],
    bench: &[f64],
    bname: &str,
    fm: &Formats,
) -> Result<(), String> {
    ws.set_name("Equity").map_err(err)?;
    header(ws, 0, 0, &["time", "equity", bname, "drawdown"], fm)?;
    let e0 = equity[0];
    let b0 = bench.iter().copied().find(|x| x.is_finite()).unwrap_or(1.0);
    let tf = fm.time_for(ts);
    let mut peak = f64::NEG_INFINITY;
    let rows = equity_rows(ts);
    let mut r = 1;
    let mut next = rows.iter().peekable();
    for i in 0..ts.len() {
        peak = peak.max(equity[i]);
        if next.next_if(|&&k| k == i).is_none() {
            continue;
        }
        ws.write_number_with_format(r, 0, serial(ts[i]), tf)
            .map_err(err)?;
        number(ws, r, 1, Some(equity[i]), &fm.money)?;
        number(ws, r, 2, Some(bench[i] / b0 * e0), &fm.money)?;
        number(ws, r, 3, Some(equity[i] / peak - 1.0), &fm.pct)?;
        r += 1;
    }
    let last = r - 1;
    ws.set_freeze_panes(1, 0).map_err(err)?;
    ws.set_column_width(0, 17).map_err(err)?;
    for c in 1..=3 {
        ws.set_column_width(c, 14).map_err(err)?;
    }
    let mut chart = Chart::new(ChartType::Line);
    for (col, name) in [(1u16, "equity"), (2, bname)] {
        chart
            .add_series()
            .set_name(name)
            .set_categories(("Equity", 1, 0, last, 0))
            .set_values(("Equity", 1, col, last, col));
    }
    chart.title().set_name(&format!("Equity against {bname}"));
    chart.x_axis().set_date_axis(true).set_num_format("yyyy");
    chart.y_axis().set_num_format("#,##0");
    chart.set_width(900).set_height(420);
    ws.insert_chart(1, 5, &chart).map_err(err)?;
    Ok(())
}

fn monthly(ws: &mut Worksheet, ts: &[i64], equity: &[f64], fm: &Formats) -> Result<(), String> {
    ws.set_name("Monthly").map_err(err)?;
    const NAMES: [&str; 13] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "year",
    ];
    let mut head = vec!["year"];
    head.extend(NAMES);
    header(ws, 0, 0, &head, fm)?;
    let cells = monthly_returns(ts, equity);
    let mut years: Vec<i64> = cells.iter().map(|c| c.0).collect();
    years.dedup();
    for (i, y) in years.iter().enumerate() {
        let r = 1 + i as u32;
        ws.write_number(r, 0, *y as f64).map_err(err)?;
        let mut total = 1.0;
        for &(_, m, v) in cells.iter().filter(|c| c.0 == *y) {
            number(ws, r, m as u16, Some(v), &fm.pct)?;
            total *= 1.0 + v;
        }
        number(ws, r, 13, Some(total - 1.0), &fm.pct)?;
    }
    let last = years.len().max(1) as u32;
    let scale = ConditionalFormat3ColorScale::new()
        .set_minimum_color("#D62728")
        .set_midpoint(ConditionalFormatType::Number, 0)
        .set_midpoint_color("#FFFFFF")
        .set_maximum_color("#2CA02C");
    ws.add_conditional_format(1, 1, last, 12, &scale)
        .map_err(err)?;
    ws.set_freeze_panes(1, 1).map_err(err)?;
    Ok(())
}

/// A sheet of `report[key]` rows with `cols` (key, header, format).
fn list_sheet(
    ws: &mut Worksheet,
    name: &str,
    rows: &[Value],
    cols: &[(&str, &str, Option<&rust_xlsxwriter::Format>)],
    fm: &Formats,
) -> Result<(), String> {
    ws.set_name(name).map_err(err)?;
    let heads: Vec<&str> = cols.iter().map(|c| c.1).collect();
    header(ws, 0, 0, &heads, fm)?;
    for (i, row) in rows.iter().enumerate() {
        let r = 1 + i as u32;
        for (c, (k, _, f)) in cols.iter().enumerate() {
            match f {
                Some(f) => number(ws, r, c as u16, row[*k].as_f64(), f)?,
                None => cell(ws, r, c as u16, &row[*k], fm)?,
            }
        }
    }
    ws.set_freeze_panes(1, 0).map_err(err)?;
    if !rows.is_empty() {
        ws.autofilter(0, 0, rows.len() as u32, cols.len() as u16 - 1)
            .map_err(err)?;
    }
    for c in 0..cols.len() as u16 {
        ws.set_column_width(c, 15).map_err(err)?;
    }
    Ok(())
}

fn drawdowns(ws: &mut Worksheet, report: &Value, fm: &Formats) -> Result<(), String> {
    let rows: &[Value] = report["drawdowns"].as_array().map_or(&[], Vec::as_slice);
    list_sheet(
        ws,
        "Drawdowns",
        rows,
        &[
            ("start", "start", None),
            ("valley", "valley", None),
            ("end", "last under water", None),
            ("recovered", "recovered", None),
            ("days", "days", Some(&fm.count)),
            ("periods", "periods", Some(&fm.count)),
            ("depth", "depth", Some(&fm.pct)),
        ],
        fm,
    )?;
    // An episode still under water says so.
    for (i, e) in rows.iter().enumerate() {
        if e["recovered"].is_null() {
            ws.write_string(1 + i as u32, 3, "not recovered")
                .map_err(err)?;
        }
    }
    Ok(())
}

fn yearly(ws: &mut Worksheet, report: &Value, fm: &Formats) -> Result<(), String> {
    let rows: Vec<Value> = report["yearly"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|y| {
            let d = match (y["strategy"].as_f64(), y["benchmark"].as_f64()) {
                (Some(s), Some(b)) => Value::from(s - b),
                _ => Value::Null,
            };
            let mut y = y.clone();
            y["difference"] = d;
            y
        })
        .collect();
    list_sheet(
        ws,
        "Yearly",
        &rows,
        &[
            ("year", "year", Some(&fm.number)),
            ("strategy", "strategy", Some(&fm.pct)),
            ("benchmark", "benchmark", Some(&fm.pct)),
            ("difference", "difference", Some(&fm.pct)),
        ],
        fm,
    )
}

fn weights(ws: &mut Worksheet, report: &Value, ts: &[i64], fm: &Formats) -> Result<(), String> {
    ws.set_name("Weights").map_err(err)?;
    let symbols: Vec<&str> = report["per_symbol"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["symbol"].as_str())
        .collect();
    let mut head = vec!["time"];
    head.extend(symbols.iter().copied());
    header(ws, 0, 0, &head, fm)?;
    let h = &report["holdings"];
    let bars = h["bar"].as_array().map_or(&[][..], Vec::as_slice);
    let rows = h["weights"].as_array().map_or(&[][..], Vec::as_slice);
    let tf = fm.time_for(ts);
    for (i, (b, w)) in bars.iter().zip(rows).enumerate() {
        let r = 1 + i as u32;
        if let Some(&t) = b.as_u64().and_then(|b| ts.get(b as usize)) {
            ws.write_number_with_format(r, 0, serial(t), tf)
                .map_err(err)?;
        }
        for (c, v) in w.as_array().into_iter().flatten().enumerate() {
            number(ws, r, 1 + c as u16, v.as_f64(), &fm.pct)?;
        }
    }
    ws.set_freeze_panes(1, 1).map_err(err)?;
    ws.set_column_width(0, 17).map_err(err)?;
    Ok(())
}

fn per_symbol(ws: &mut Worksheet, report: &Value, fm: &Formats) -> Result<(), String> {
    let rows: &[Value] = report["per_symbol"].as_array().map_or(&[], Vec::as_slice);
    list_sheet(
        ws,
        "Per symbol",
        rows,
        &[
            ("symbol", "symbol", None),
            ("trades", "trades", Some(&fm.count)),
            ("pnl", "pnl", Some(&fm.money)),
            ("contribution", "contribution", Some(&fm.pct)),
            ("exposure", "exposure", Some(&fm.pct)),
            ("last_weight", "last weight", Some(&fm.pct)),
            ("fees", "fees", Some(&fm.money)),
        ],
        fm,
    )
}
