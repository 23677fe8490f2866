//! A sweep's result: ranking, overfitting statistics, the JSON summary, and
//! the files of an output folder (trials.csv, trials.parquet, blocks.csv,
//! meta.json, best.json), which `merge` reads back (`read`).

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::overfit::{self, BlockStats, Selected, BLOCKS};
use super::stability::{robust_best, Stability};
use super::sweep::{rank, Objective, Trial};
use crate::data::write::{write_atomic, write_frame, OutFormat};
use crate::error::{Error, Result};
use crate::format::{metrics_json, num};
use crate::metrics::Metrics;

/// What identifies a sweep: shards of one sweep agree on all of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    pub strategy_name: String,
    pub strategy_file: String,
    pub strategy_sha256: String,
    pub data_file: String,
    pub data_sha256: String,
    pub method: String,
    pub seed: Option<u64>,
    pub objective: String,
    pub maximize: bool,
    pub constraints: Vec<String>,
    /// Points in the whole sweep (every shard).
    pub points: usize,
    pub params: Vec<String>,
    /// `[k, n]`, or None for a whole sweep.
    pub shard: Option<[usize; 2]>,
    /// `--exec KEY=VALUE` changes to the strategy's execution settings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exec: Vec<String>,
    /// Every objective when there are several (the Pareto front's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pareto: Vec<Objective>,
    /// The overfitting statistics were computed (false: skipped, and the
    /// folder has no blocks.csv).
    #[serde(default = "yes", skip_serializing_if = "is_yes")]
    pub overfit: bool,
}

fn yes() -> bool {
    true
}

fn is_yes(b: &bool) -> bool {
    *b
}

/// Overfitting statistics over a set of trials.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Overfitting {
    pub deflated_sharpe: Option<f64>,
    pub pbo: Option<f64>,
    pub pbo_splits: usize,
}

fn get(m: &Metrics, k: &str) -> Option<f64> {
    m.get(k).copied().flatten()
}

/// DSR of the best trial and PBO of all trials.
pub fn overfitting(trials: &[Trial], best: Option<&Trial>) -> Overfitting {
    let per_period =
        |t: &Trial| Some(get(&t.metrics, "sharpe")? / get(&t.metrics, "periods_per_year")?.sqrt());
    let sharpes: Vec<f64> = trials.iter().filter_map(per_period).collect();
    let variance = if sharpes.len() > 1 {
        let m = sharpes.iter().sum::<f64>() / sharpes.len() as f64;
        sharpes.iter().map(|s| (s - m).powi(2)).sum::<f64>() / (sharpes.len() - 1) as f64
    } else {
        0.0
    };
    let deflated_sharpe = best.and_then(|b| {
        let sel = Selected {
            sharpe: per_period(b)?,
            periods: get(&b.metrics, "return_periods")? as usize,
            skew: get(&b.metrics, "skew")?,
            kurtosis: get(&b.metrics, "kurtosis")? + 3.0,
        };
        overfit::deflated_sharpe(&sel, trials.len(), variance)
    });
    let periods = trials
        .first()
        .and_then(|t| get(&t.metrics, "return_periods"))
        .unwrap_or(0.0) as usize;
    let mut counts = [0usize; BLOCKS];
    for i in 0..periods {
        counts[overfit::block_of(i, periods)] += 1;
    }
    let blocks: Vec<BlockStats> = trials.iter().map(|t| t.blocks).collect();
    let pbo = overfit::pbo(&blocks, &counts);
    Overfitting {
        deflated_sharpe,
        pbo: pbo.map(|p| p.0),
        pbo_splits: pbo.map_or(0, |p| p.1),
    }
}

fn trial_json(t: &Trial) -> Value {
    json!({ "trial": t.index, "params": t.params, "metrics": metrics_json(&t.metrics), "feasible": t.feasible })
}

/// `robust_best` (the best neighbourhood mean) and `best_neighbourhood`
/// (how far the raw best falls to its worst neighbour), or why a sweep has
/// no neighbourhoods.
fn stability_json(
    trials: &[Trial],
    best: Option<&Trial>,
    stab: &Stability,
    objective: &Objective,
) -> Value {
    let nb = match stab {
        Stability::Off(why) => {
            return json!({ "robust_best": null, "best_neighbourhood": null, "neighbourhood_note": why })
        }
        Stability::Grid { nb, .. } => nb,
    };
    let robust = robust_best(trials, nb, objective).map(|i| {
        let t = &trials[i];
        json!({
            "trial": t.index,
            "params": t.params,
            "objective": num(get(&t.metrics, &objective.metric)),
            "neighbourhood_mean": num(nb[i].mean),
            "neighbourhood_min": num(nb[i].min),
            "neighbours": nb[i].count - 1,
        })
    });
    let raw = best
        .and_then(|b| trials.iter().position(|t| t.index == b.index))
        .map(|i| {
            let v = get(&trials[i].metrics, &objective.metric);
            let n = &nb[i];
            json!({
                "trial": trials[i].index,
                "objective": num(v),
                "worst_neighbour": num(n.worst),
                "drop": num(v.zip(n.worst).map(|(v, w)| w - v)),
                "neighbourhood_mean": num(n.mean),
                "neighbourhood_min": num(n.min),
            })
        });
    let influence: Vec<Value> = match stab {
        Stability::Grid { influence, .. } => influence
            .iter()
            .map(|(p, r)| json!({ "param": p, "range": num(Some(*r)) }))
            .collect(),
        Stability::Off(_) => Vec::new(),
    };
    json!({ "robust_best": robust, "best_neighbourhood": raw, "influence": influence })
}

/// The summary object (`--json`, best.json).
pub fn summary(
    meta: &Meta,
    trials: &[Trial],
    top_k: usize,
    extra: Value,
    stab: &Stability,
) -> Value {
    let objective = Objective {
        metric: meta.objective.clone(),
        maximize: meta.maximize,
    };
    let order = rank(trials, &objective);
    let best = order.first().map(|&i| &trials[i]).filter(|t| t.feasible);
    let of = if meta.overfit {
        overfitting(trials, best)
    } else {
        Overfitting::default()
    };
    let top: Vec<Value> = order
        .iter()
        .take(top_k)
        .map(|&i| &trials[i])
        .filter(|t| t.feasible)
        .map(trial_json)
        .collect();
    let mut v = json!({
        "method": meta.method,
        "seed": meta.seed,
        "objective": meta.objective,
        "direction": if meta.maximize { "maximize" } else { "minimize" },
        "constraints": meta.constraints,
        "points": meta.points,
        "trials": trials.len(),
        "feasible": trials.iter().filter(|t| t.feasible).count(),
        "shard": meta.shard.map(|[k, n]| format!("{k}/{n}")),
        "strategy": { "name": meta.strategy_name, "file": meta.strategy_file, "sha256": meta.strategy_sha256 },
        "data": { "file": meta.data_file, "sha256": meta.data_sha256 },
        "best": best.map(trial_json),
        "top": top,
        "deflated_sharpe": num(of.deflated_sharpe),
        "pbo": num(of.pbo),
        "pbo_splits": of.pbo_splits,
    });
    if let (Value::Object(o), false) = (&mut v, meta.overfit) {
        o.insert("overfit_skipped".into(), Value::Bool(true));
    }
    if let (Value::Object(o), Value::Object(e)) = (&mut v, extra) {
        o.extend(e);
    }
    if let (Value::Object(o), Value::Object(e)) =
        (&mut v, stability_json(trials, best, stab, &objective))
    {
        o.extend(e);
    }
    if let (Value::Object(o), true) = (&mut v, meta.pareto.len() > 1) {
        o.insert("objectives".into(), objectives_json(&meta.pareto));
        o.insert("pareto".into(), pareto_json(trials, &meta.pareto));
    }
    v
}

fn objectives_json(objectives: &[Objective]) -> Value {
    objectives
        .iter()
        .map(|o| json!({ "metric": o.metric, "direction": if o.maximize { "maximize" } else { "minimize" } }))
        .collect()
}

/// The Pareto front: {trial, params, objectives} in trial order.
fn pareto_json(trials: &[Trial], objectives: &[Objective]) -> Value {
    super::pareto::front(trials, objectives)
        .into_iter()
        .map(|i| {
            let t = &trials[i];
            let values: serde_json::Map<String, Value> = objectives
                .iter()
                .map(|o| (o.metric.clone(), num(get(&t.metrics, &o.metric))))
                .collect();
            json!({ "trial": t.index, "params": t.params, "objectives": values })
        })
        .collect()
}

fn fmt(v: Option<f64>) -> String {
    v.filter(|x| x.is_finite())
        .map(|x| x.to_string())
        .unwrap_or_default()
}

/// Writes trials.csv, trials.parquet, blocks.csv, meta.json and best.json into `dir`.
/// With a grid's stability, trials.csv and trials.parquet end with
/// `neighbourhood_mean` and `neighbourhood_min`.
pub fn write_dir(
    dir: &Path,
    meta: &Meta,
    trials: &[Trial],
    best_json: &Value,
    stab: &Stability,
) -> Result<()> {
    let nb = match stab {
        Stability::Grid { nb, .. } => Some(nb.as_slice()),
        Stability::Off(_) => None,
    };
    let metric_names: Vec<&'static str> = trials
        .first()
        .map(|t| t.metrics.keys().copied().collect())
        .unwrap_or_default();
    let mut csv = String::new();
    let mut header = vec!["trial".to_string(), "feasible".to_string()];
    header.extend(meta.params.iter().cloned());
    header.extend(metric_names.iter().map(|s| s.to_string()));
    if nb.is_some() {
        header.extend([
            "neighbourhood_mean".to_string(),
            "neighbourhood_min".to_string(),
        ]);
    }
    csv.push_str(&header.join(","));
    csv.push('\n');
    let mut blocks = String::from("trial");
    for b in 0..BLOCKS {
        blocks.push_str(&format!(",sum{b},sumsq{b}"));
    }
    blocks.push('\n');
    for (i, t) in trials.iter().enumerate() {
        let mut row = vec![t.index.to_string(), u8::from(t.feasible).to_string()];
        row.extend(meta.params.iter().map(|p| fmt(t.params.get(p).copied())));
        row.extend(metric_names.iter().map(|m| fmt(get(&t.metrics, m))));
        if let Some(nb) = nb {
            row.extend([fmt(nb[i].mean), fmt(nb[i].min)]);
        }
        csv.push_str(&row.join(","));
        csv.push('\n');
        blocks.push_str(&t.index.to_string());
        for (s, q) in t.blocks {
            blocks.push_str(&format!(",{s},{q}"));
        }
        blocks.push('\n');
    }
    let text = |path: &Path, body: &str| {
        write_atomic(path, |w| {
            std::io::Write::write_all(w, body.as_bytes()).map_err(|e| e.to_string())
        })
    };
    text(&dir.join("trials.csv"), &csv)?;
    if meta.overfit {
        text(&dir.join("blocks.csv"), &blocks)?;
    } else {
        // A folder reused from a run with the statistics loses its old one.
        let _ = std::fs::remove_file(dir.join("blocks.csv"));
    }
    text(
        &dir.join("meta.json"),
        &(serde_json::to_string_pretty(meta).map_err(|e| Error::output(dir, e))? + "\n"),
    )?;
    text(
        &dir.join("best.json"),
        &(serde_json::to_string_pretty(best_json).map_err(|e| Error::output(dir, e))? + "\n"),
    )?;
    let mut df =
        trials_frame(meta, &metric_names, trials, nb).map_err(|e| Error::output(dir, e))?;
    write_frame(&dir.join("trials.parquet"), &mut df, OutFormat::Parquet)
}

fn trials_frame(
    meta: &Meta,
    metric_names: &[&str],
    trials: &[Trial],
    nb: Option<&[super::stability::Neighbourhood]>,
) -> polars::prelude::PolarsResult<polars::prelude::DataFrame> {
    use polars::prelude::*;
    let mut cols = vec![
        Column::new(
            "trial".into(),
            trials.iter().map(|t| t.index as u64).collect::<Vec<_>>(),
        ),
        Column::new(
            "feasible".into(),
            trials.iter().map(|t| t.feasible).collect::<Vec<_>>(),
        ),
    ];
    for p in &meta.params {
        cols.push(Column::new(
            p.as_str().into(),
            trials
                .iter()
                .map(|t| t.params.get(p).copied())
                .collect::<Vec<_>>(),
        ));
    }
    for m in metric_names {
        cols.push(Column::new(
            (*m).into(),
            trials
                .iter()
                .map(|t| get(&t.metrics, m))
                .collect::<Vec<_>>(),
        ));
    }
    if let Some(nb) = nb {
        cols.push(Column::new(
            "neighbourhood_mean".into(),
            nb.iter().map(|n| n.mean).collect::<Vec<_>>(),
        ));
        cols.push(Column::new(
            "neighbourhood_min".into(),
            nb.iter().map(|n| n.min).collect::<Vec<_>>(),
        ));
    }
    DataFrame::new(trials.len(), cols)
}
