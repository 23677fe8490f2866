//! The optimization report: summary, overfitting statistics, the top trials,
//! the objective over a 2-parameter grid, its distribution and, for a
//! genetic search, the convergence curve.

use std::collections::BTreeMap;

use serde_json::Value;

use super::doc::{Block, Doc};
use super::{charts, sweep_charts};
use crate::format::{metric_text, number_text, param_text};
use crate::metrics::Metrics;

/// What the sweep report reads of one trial (the optimizer's trials, seen
/// without the report depending on the optimizer).
#[derive(Debug, Clone, Copy)]
pub struct Trial<'a> {
    pub params: &'a BTreeMap<String, f64>,
    pub metrics: &'a Metrics,
    pub feasible: bool,
    /// The objective's mean over the trial's grid neighbourhood (grid sweeps).
    pub neighbourhood_mean: Option<f64>,
}

fn num(v: &Value) -> String {
    number_text(v.as_f64())
}

/// The constraints as the user wrote them, `none` without any.
fn constraints_text(v: &Value) -> String {
    let list: Vec<&str> = v
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if list.is_empty() {
        "none".to_string()
    } else {
        list.join(", ")
    }
}

/// The parameter pair a heatmap shows: the only two, or the two most
/// influential (best.json's `influence`) with the others held at the
/// robust best's values (at the best's without neighbourhoods).
fn pair(summary: &Value, params: &[String]) -> (String, String, Vec<(String, f64)>) {
    if params.len() == 2 {
        return (params[0].clone(), params[1].clone(), Vec::new());
    }
    let ranked: Vec<String> = summary["influence"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["param"].as_str().map(String::from))
        .collect();
    let (x, y) = match ranked.as_slice() {
        [a, b, ..] => (a.clone(), b.clone()),
        _ => (params[0].clone(), params[1].clone()),
    };
    let anchor = if summary["robust_best"].is_object() {
        &summary["robust_best"]["params"]
    } else {
        &summary["best"]["params"]
    };
    let fixed = params
        .iter()
        .filter(|p| **p != x && **p != y)
        .filter_map(|p| Some((p.clone(), anchor[p].as_f64()?)))
        .collect();
    (x, y, fixed)
}

/// The heatmap's view of a sweep: its parameter pair, the other parameters
/// held (and at what), the trials on that slice and each axis's values.
pub(crate) struct Slice<'t, 'a> {
    pub px: String,
    pub py: String,
    pub fixed: Vec<(String, f64)>,
    pub trials: Vec<&'t Trial<'a>>,
    pub xs: Vec<f64>,
    pub ys: Vec<f64>,
}

impl<'t, 'a> Slice<'t, 'a> {
    pub(crate) fn of(summary: &Value, trials: &'t [Trial<'a>], params: &[String]) -> Self {
        let (px, py, fixed) = pair(summary, params);
        let on_slice = |p: &BTreeMap<String, f64>| fixed.iter().all(|(k, v)| p.get(k) == Some(v));
        let slice: Vec<&Trial> = trials.iter().filter(|t| on_slice(t.params)).collect();
        let axis = |name: &str| {
            let mut v: Vec<f64> = slice
                .iter()
                .filter_map(|t| t.params.get(name).copied())
                .collect();
            v.sort_by(f64::total_cmp);
            v.dedup();
            v
        };
        let (xs, ys) = (axis(&px), axis(&py));
        Slice {
            px,
            py,
            fixed,
            trials: slice,
            xs,
            ys,
        }
    }
}

/// The objective heatmap (and, for a grid sweep, the neighbourhood mean's)
/// with the best trial outlined in black and the robust best in blue.
fn heatmaps(
    summary: &Value,
    trials: &[Trial],
    params: &[String],
    value: &dyn Fn(&Trial) -> Option<f64>,
) -> Result<Vec<(&'static str, &'static str, String)>, String> {
    let objective = summary["objective"].as_str().unwrap_or("sharpe");
    let maximize = summary["direction"] != "minimize";
    let Slice {
        px,
        py,
        fixed,
        trials: slice,
        xs,
        ys,
    } = Slice::of(summary, trials, params);
    let mark = |key: &str, color| {
        let p = summary[key]["params"].as_object()?;
        let (x, y) = (p.get(&px)?.as_f64()?, p.get(&py)?.as_f64()?);
        let all = fixed
            .iter()
            .all(|(k, v)| p.get(k).and_then(Value::as_f64) == Some(*v));
        all.then_some(sweep_charts::Mark { x, y, color })
    };
    let marks: Vec<sweep_charts::Mark> = [
        mark("best", plotters::style::BLACK),
        mark("robust_best", plotters::style::RGBColor(0, 60, 255)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let held = if fixed.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = fixed.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!(", {}", list.join(" "))
    };
    let outline = if summary["robust_best"].is_object() {
        "; outlined: best black, robust best blue"
    } else {
        "; outlined: best"
    };
    let cells = |f: &dyn Fn(&Trial) -> Option<f64>| -> Vec<(f64, f64, f64)> {
        slice
            .iter()
            .filter_map(|t| Some((t.params[&px], t.params[&py], f(t)?)))
            .collect()
    };
    let mut out = vec![(
        "heatmap",
        "Heatmap",
        sweep_charts::param_heatmap(
            &format!("{objective} by {px} (x) and {py} (y){held}{outline}"),
            &xs,
            &ys,
            &cells(value),
            maximize,
            &marks,
        )?,
    )];
    if summary["robust_best"].is_object() {
        out.push((
            "neighbourhood",
            "Neighbourhood mean",
            sweep_charts::param_heatmap(
                &format!("mean {objective} over each point's grid neighbourhood{held}{outline}"),
                &xs,
                &ys,
                &cells(&|t: &Trial| t.neighbourhood_mean),
                maximize,
                &marks,
            )?,
        ));
    }
    Ok(out)
}

/// The scatter of the first two objectives with the Pareto front (sweeps
/// with several objectives).
fn pareto_chart(summary: &Value, trials: &[Trial]) -> Result<Option<String>, String> {
    let names: Vec<&str> = summary["objectives"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o["metric"].as_str())
        .collect();
    let (Some(front), [x, y, ..]) = (summary["pareto"].as_array(), names.as_slice()) else {
        return Ok(None);
    };
    let get = |m: &Metrics, k: &str| m.get(k).copied().flatten().filter(|v| v.is_finite());
    let all: Vec<(f64, f64)> = trials
        .iter()
        .filter(|t| t.feasible)
        .filter_map(|t| Some((get(t.metrics, x)?, get(t.metrics, y)?)))
        .collect();
    let on: Vec<(f64, f64)> = front
        .iter()
        .filter_map(|p| Some((p["objectives"][x].as_f64()?, p["objectives"][y].as_f64()?)))
        .collect();
    let more = if names.len() > 2 {
        format!(" (front over all {} objectives)", names.len())
    } else {
        String::new()
    };
    let title = format!(
        "{x} and {y}: {} feasible trials, the Pareto front in red{more}",
        all.len()
    );
    sweep_charts::pareto_scatter(&title, (x, y), &all, &on).map(Some)
}

/// The document of a sweep, from its summary (best.json) and trials.
pub fn document(summary: &Value, trials: &[Trial], params: &[String]) -> Result<Doc, String> {
    let objective = summary["objective"].as_str().unwrap_or("sharpe");
    let value = |t: &Trial| {
        t.metrics
            .get(objective)
            .copied()
            .flatten()
            .filter(|_| t.feasible)
    };
    let mut charts_html = Vec::new();
    if params.len() >= 2 {
        charts_html.extend(heatmaps(summary, trials, params, &value)?);
    }
    if let Some(svg) = pareto_chart(summary, trials)? {
        charts_html.push(("pareto", "Pareto front", svg));
    }
    let values: Vec<f64> = trials.iter().filter_map(value).collect();
    charts_html.push((
        "distribution",
        "Objective distribution",
        charts::histogram(
            &format!("{objective} over {} feasible trials", values.len()),
            &values,
            false,
        )?,
    ));
    if let Some(c) = summary["convergence"].as_array() {
        let v: Vec<f64> = c.iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect();
        charts_html.push(("convergence", "Convergence", sweep_charts::convergence(&v)?));
    }
    let name = summary["strategy"]["name"].as_str().unwrap_or("");
    let mut doc = Doc::new(
        format!("Optimization of {name}"),
        format!(
            "{} · method {} · objective {} ({}) · {} trials, {} feasible",
            summary["data"]["file"].as_str().unwrap_or(""),
            summary["method"].as_str().unwrap_or(""),
            objective,
            summary["direction"].as_str().unwrap_or(""),
            summary["trials"],
            summary["feasible"]
        ),
    );
    doc.heading("summary", "Summary");
    doc.table(
        &[],
        [
            (
                "deflated Sharpe ratio of the best",
                num(&summary["deflated_sharpe"]),
            ),
            (
                "probability of backtest overfitting (CSCV, 16 blocks)",
                num(&summary["pbo"]),
            ),
            ("CSCV splits", num(&summary["pbo_splits"])),
            ("constraints", constraints_text(&summary["constraints"])),
        ]
        .into_iter()
        .map(|(k, v)| vec![k.to_string(), v])
        .collect(),
    );
    doc.heading("top", "Top trials");
    let cols = [
        objective,
        "total_return",
        "annual_return",
        "max_drawdown",
        "trades",
    ];
    let mut head = vec!["rank", "trial"];
    head.extend(params.iter().map(String::as_str));
    head.extend(cols);
    let rows = summary["top"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, t)| {
            let mut row = vec![(i + 1).to_string(), t["trial"].to_string()];
            row.extend(params.iter().map(|p| param_text(t["params"][p].as_f64())));
            row.extend(
                cols.iter()
                    .map(|c| metric_text(c, t["metrics"][c].as_f64())),
            );
            row
        })
        .collect();
    doc.table(&head, rows);
    for (id, title, svg) in charts_html {
        doc.chart(id, title, svg);
    }
    doc.blocks.push(Block::Link {
        href: "best/report.html".into(),
        text: "The best trial's backtest report (best/)".into(),
    });
    Ok(doc)
}
