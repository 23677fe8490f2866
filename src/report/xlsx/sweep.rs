//! A sweep's workbook (`optimize --report xlsx`): Summary, every trial with
//! an autofilter and a colour scale on the objective, and the objective
//! over the heatmap's two parameters as a table with a colour scale; and a
//! walk-forward's (`walkforward --report xlsx`): its windows and the
//! stitched out-of-sample equity.

use rust_xlsxwriter::{
    Chart, ChartType, ConditionalFormat3ColorScale, ConditionalFormatType, Workbook, Worksheet,
};
use serde_json::Value;

use super::{cell, err, header, number, serial, workbook, Formats};
use crate::report::optimize_page::{Slice, Trial};

/// At most this many trials go into the workbook (the best ones by rank
/// beyond it; trials.csv has them all).
pub const MAX_TRIALS: usize = 100_000;

/// Key/value rows of the top-level scalars of `v`, then `prefix.key` rows
/// of its objects' scalars one level down.
fn key_values(ws: &mut Worksheet, v: &Value, start: u32, fm: &Formats) -> Result<u32, String> {
    header(ws, start, 0, &["key", "value"], fm)?;
    let mut r = start + 1;
    let Some(o) = v.as_object() else {
        return Ok(r);
    };
    let mut put = |ws: &mut Worksheet, k: String, x: &Value| -> Result<(), String> {
        ws.write_string(r, 0, k).map_err(err)?;
        cell(ws, r, 1, x, fm)?;
        r += 1;
        Ok(())
    };
    for (k, x) in o.iter().filter(|(_, x)| !x.is_object() && !x.is_array()) {
        put(ws, k.clone(), x)?;
    }
    for (k, x) in o.iter().filter(|(_, x)| x.is_object()) {
        for (k2, y) in x.as_object().into_iter().flatten() {
            if y.is_object() {
                for (k3, z) in y.as_object().into_iter().flatten() {
                    if !z.is_object() && !z.is_array() {
                        put(ws, format!("{k}.{k2}.{k3}"), z)?;
                    }
                }
            } else if !y.is_array() {
                put(ws, format!("{k}.{k2}"), y)?;
            }
        }
    }
    ws.set_column_width(0, 34).map_err(err)?;
    ws.set_column_width(1, 40).map_err(err)?;
    Ok(r)
}

/// A red–white–green colour scale (reversed when lower is better), its
/// midpoint at the 50th percentile.
fn scale(maximize: bool) -> ConditionalFormat3ColorScale {
    let (lo, hi) = if maximize {
        ("#F8696B", "#63BE7B")
    } else {
        ("#63BE7B", "#F8696B")
    };
    ConditionalFormat3ColorScale::new()
        .set_minimum_color(lo)
        .set_midpoint(ConditionalFormatType::Percentile, 50)
        .set_midpoint_color("#FFFFFF")
        .set_maximum_color(hi)
}

/// The workbook of a sweep: `summary` is best.json, `trials` every trial.
pub fn sweep_workbook(
    summary: &Value,
    trials: &[Trial],
    params: &[String],
) -> Result<Workbook, String> {
    let fm = Formats::new();
    let objective = summary["objective"].as_str().unwrap_or("sharpe");
    let maximize = summary["direction"] != "minimize";
    let mut wb = workbook()?;
    let ws = wb.add_worksheet();
    ws.set_name("Summary").map_err(err)?;
    let mut lean = summary.clone();
    if let Value::Object(o) = &mut lean {
        o.remove("top");
    }
    let next = key_values(ws, &lean, 0, &fm)?;
    // Every trial, or the best MAX_TRIALS by the objective.
    let value = |t: &Trial| {
        t.metrics
            .get(objective)
            .copied()
            .flatten()
            .filter(|_| t.feasible)
    };
    let mut order: Vec<usize> = (0..trials.len()).collect();
    if trials.len() > MAX_TRIALS {
        let key = |i: &usize| value(&trials[*i]).map(|v| if maximize { -v } else { v });
        order.sort_by(|a, b| match (key(a), key(b)) {
            (Some(x), Some(y)) => x.total_cmp(&y).then(a.cmp(b)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.cmp(b),
        });
        order.truncate(MAX_TRIALS);
        order.sort_unstable();
        ws.write_string(next + 1, 0, "Trials sheet").map_err(err)?;
        ws.write_string(
            next + 1,
            1,
            format!(
                "the {MAX_TRIALS} best of {} trials by {objective} (trials.csv has all)",
                trials.len()
            ),
        )
        .map_err(err)?;
    }
    trials_sheet(
        wb.add_worksheet(),
        trials,
        &order,
        params,
        objective,
        maximize,
        &fm,
    )?;
    if params.len() >= 2 {
        heatmap_sheet(
            wb.add_worksheet(),
            summary,
            trials,
            params,
            &value,
            maximize,
            &fm,
        )?;
    }
    Ok(wb)
}

fn trials_sheet(
    ws: &mut Worksheet,
    trials: &[Trial],
    order: &[usize],
    params: &[String],
    objective: &str,
    maximize: bool,
    fm: &Formats,
) -> Result<(), String> {
    ws.set_name("Trials").map_err(err)?;
    let names: Vec<&str> = trials
        .first()
        .map(|t| t.metrics.keys().copied().collect())
        .unwrap_or_default();
    let mut head: Vec<&str> = vec!["trial"];
    head.extend(params.iter().map(String::as_str));
    head.push("feasible");
    head.extend(names.iter().copied());
    header(ws, 0, 0, &head, fm)?;
    let p0 = 1u16;
    let m0 = p0 + params.len() as u16 + 1;
    for (r, &i) in order.iter().enumerate() {
        let (t, r) = (&trials[i], 1 + r as u32);
        ws.write_number(r, 0, i as f64).map_err(err)?;
        for (c, p) in params.iter().enumerate() {
            number(ws, r, p0 + c as u16, t.params.get(p).copied(), &fm.number)?;
        }
        ws.write_boolean(r, m0 - 1, t.feasible).map_err(err)?;
        for (c, k) in names.iter().enumerate() {
            number(
                ws,
                r,
                m0 + c as u16,
                t.metrics.get(k).copied().flatten(),
                fm.metric(k),
            )?;
        }
    }
    let last_row = order.len().max(1) as u32;
    ws.set_freeze_panes(1, 1).map_err(err)?;
    ws.autofilter(0, 0, last_row, head.len() as u16 - 1)
        .map_err(err)?;
    if let Some(c) = names.iter().position(|k| *k == objective) {
        let c = m0 + c as u16;
        ws.add_conditional_format(1, c, last_row, c, &scale(maximize))
            .map_err(err)?;
    }
    for c in 0..head.len() as u16 {
        ws.set_column_width(c, 12).map_err(err)?;
    }
    Ok(())
}

fn heatmap_sheet(
    ws: &mut Worksheet,
    summary: &Value,
    trials: &[Trial],
    params: &[String],
    value: &dyn Fn(&Trial) -> Option<f64>,
    maximize: bool,
    fm: &Formats,
) -> Result<(), String> {
    ws.set_name("Heatmap").map_err(err)?;
    let objective = summary["objective"].as_str().unwrap_or("sharpe");
    let Slice {
        px,
        py,
        fixed,
        trials: slice,
        xs,
        ys,
    } = Slice::of(summary, trials, params);
    let held: Vec<String> = fixed.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let title = format!(
        "{objective} by {py} (rows) and {px} (columns){}",
        if held.is_empty() {
            String::new()
        } else {
            format!(", {}", held.join(" "))
        }
    );
    ws.write_string_with_format(0, 0, title, &fm.bold)
        .map_err(err)?;
    ws.write_string_with_format(1, 0, format!("{py} \\ {px}"), &fm.head)
        .map_err(err)?;
    for (c, x) in xs.iter().enumerate() {
        ws.write_number_with_format(1, 1 + c as u16, *x, &fm.head)
            .map_err(err)?;
    }
    for (r, y) in ys.iter().enumerate() {
        ws.write_number_with_format(2 + r as u32, 0, *y, &fm.head)
            .map_err(err)?;
    }
    let f = fm.metric(objective);
    for t in &slice {
        let (Some(x), Some(y)) = (t.params.get(&px), t.params.get(&py)) else {
            continue;
        };
        let c = xs.partition_point(|v| v < x);
        let r = ys.partition_point(|v| v < y);
        number(ws, 2 + r as u32, 1 + c as u16, value(t), f)?;
    }
    if !xs.is_empty() && !ys.is_empty() {
        ws.add_conditional_format(
            1 + 1,
            1,
            1 + ys.len() as u32,
            xs.len() as u16,
            &scale(maximize),
        )
        .map_err(err)?;
    }
    ws.set_freeze_panes(2, 1).map_err(err)?;
    Ok(())
}

/// The workbook of a walk-forward: `out` is its report.json; `ts`,
/// `equity` and `bench` the stitched out-of-sample curve and the
/// benchmark on the same bars.
pub fn walkforward_workbook(
    out: &Value,
    ts: &[i64],
    equity: &[f64],
    bench: &[f64],
) -> Result<Workbook, String> {
    let fm = Formats::new();
    let mut wb = workbook()?;
    let ws = wb.add_worksheet();
    ws.set_name("Summary").map_err(err)?;
    let mut lean = out.clone();
    if let Value::Object(o) = &mut lean {
        o.remove("windows");
    }
    key_values(ws, &lean, 0, &fm)?;
    let ws = wb.add_worksheet();
    ws.set_name("Windows").map_err(err)?;
    let windows: &[Value] = out["windows"].as_array().map_or(&[], Vec::as_slice);
    let params: Vec<&String> = windows
        .first()
        .and_then(|w| w["params"].as_object())
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    let objective = out["objective"].as_str().unwrap_or("sharpe");
    let metrics = [
        "total_return",
        "annual_return",
        "sharpe",
        "max_drawdown",
        "trades",
    ];
    let mut head: Vec<String> = [
        "window",
        "train start",
        "train end",
        "test start",
        "test end",
    ]
    .map(String::from)
    .to_vec();
    head.extend(params.iter().map(|p| p.to_string()));
    head.push(format!("in-sample {objective}"));
    head.extend(metrics.iter().map(|m| format!("test {m}")));
    let refs: Vec<&str> = head.iter().map(String::as_str).collect();
    header(ws, 0, 0, &refs, &fm)?;
    for (i, w) in windows.iter().enumerate() {
        let r = 1 + i as u32;
        ws.write_number(r, 0, (i + 1) as f64).map_err(err)?;
        for (c, v) in [
            &w["train"]["start"],
            &w["train"]["end"],
            &w["test"]["start"],
            &w["test"]["end"],
        ]
        .into_iter()
        .enumerate()
        {
            cell(ws, r, 1 + c as u16, v, &fm)?;
        }
        let mut c = 5u16;
        for p in &params {
            number(ws, r, c, w["params"][p.as_str()].as_f64(), &fm.number)?;
            c += 1;
        }
        number(
            ws,
            r,
            c,
            w["in_sample_objective"].as_f64(),
            fm.metric(objective),
        )?;
        for m in metrics {
            c += 1;
            number(ws, r, c, w["test_metrics"][m].as_f64(), fm.metric(m))?;
        }
    }
    ws.set_freeze_panes(1, 1).map_err(err)?;
    if !windows.is_empty() {
        ws.autofilter(0, 0, windows.len() as u32, head.len() as u16 - 1)
            .map_err(err)?;
    }
    for c in 0..head.len() as u16 {
        ws.set_column_width(c, 13).map_err(err)?;
    }
    let ws = wb.add_worksheet();
    ws.set_name("Equity").map_err(err)?;
    let bname = out["benchmark"]["name"].as_str().unwrap_or("buy and hold");
    header(ws, 0, 0, &["time", "out-of-sample equity", bname], &fm)?;
    let tf = fm.time_for(ts);
    let (e0, b0) = (
        equity.first().copied().unwrap_or(1.0),
        bench.iter().copied().find(|x| x.is_finite()).unwrap_or(1.0),
    );
    for (i, &t) in ts.iter().enumerate() {
        let r = 1 + i as u32;
        ws.write_number_with_format(r, 0, serial(t), tf)
            .map_err(err)?;
        number(ws, r, 1, equity.get(i).copied(), &fm.money)?;
        number(ws, r, 2, bench.get(i).map(|b| b / b0 * e0), &fm.money)?;
    }
    let last = ts.len().max(1) as u32;
    let mut chart = Chart::new(ChartType::Line);
    for (col, name) in [(1u16, "out-of-sample equity"), (2, bname)] {
        chart
            .add_series()
            .set_name(name)
            .set_categories(("Equity", 1, 0, last, 0))
            .set_values(("Equity", 1, col, last, col));
    }
    chart.title().set_name("Out-of-sample equity");
    chart.x_axis().set_date_axis(true).set_num_format("yyyy");
    chart.set_width(900).set_height(420);
    ws.insert_chart(1, 4, &chart).map_err(err)?;
    ws.set_freeze_panes(1, 0).map_err(err)?;
    ws.set_column_width(0, 17).map_err(err)?;
    Ok(wb)
}
