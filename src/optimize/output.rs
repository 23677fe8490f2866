//! A sweep's result: overfitting statistics, the JSON summary, and the
//! files of an output folder (trials.csv, trials.parquet, blocks.csv,
//! meta.json, best.json), which `merge` reads back (`read`).

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::files;
use super::overfit::{self, BlockStats, Selected, BLOCKS};
use super::stability::{robust_best, Stability};
use super::sweep::{Objective, Trial};
use super::table::{Table, Trials};
use crate::data::write::write_atomic;
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
    /// PBO over this many sampled trials (`--pbo-sample`), not all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pbo_sample: Option<usize>,
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

/// DSR of the best trial over all trials, and PBO over the trials whose
/// block sums are given (every trial, or a sample).
pub fn overfitting<T: Trials + ?Sized>(
    trials: &T,
    best: Option<&Trial>,
    blocks: &[BlockStats],
) -> Overfitting {
    let per_period =
        |i: usize| Some(trials.metric(i, "sharpe")? / trials.metric(i, "periods_per_year")?.sqrt());
    let sharpes: Vec<f64> = (0..trials.len()).filter_map(per_period).collect();
    let variance = if sharpes.len() > 1 {
        let m = sharpes.iter().sum::<f64>() / sharpes.len() as f64;
        sharpes.iter().map(|s| (s - m).powi(2)).sum::<f64>() / (sharpes.len() - 1) as f64
    } else {
        0.0
    };
    let deflated_sharpe = best.and_then(|b| {
        let sel = Selected {
            sharpe: get(&b.metrics, "sharpe")? / get(&b.metrics, "periods_per_year")?.sqrt(),
            periods: get(&b.metrics, "return_periods")? as usize,
            skew: get(&b.metrics, "skew")?,
            kurtosis: get(&b.metrics, "kurtosis")? + 3.0,
        };
        overfit::deflated_sharpe(&sel, trials.len(), variance)
    });
    let periods = (!trials.is_empty())
        .then(|| trials.metric(0, "return_periods"))
        .flatten()
        .unwrap_or(0.0) as usize;
    let mut counts = [0usize; BLOCKS];
    for i in 0..periods {
        counts[overfit::block_of(i, periods)] += 1;
    }
    let pbo = overfit::pbo(blocks, &counts);
    Overfitting {
        deflated_sharpe,
        pbo: pbo.map(|p| p.0),
        pbo_splits: pbo.map_or(0, |p| p.1),
    }
}

fn trial_json(t: &Trial) -> Value {
    json!({ "trial": t.index, "params": t.params, "metrics": metrics_json(&t.metrics), "feasible": t.feasible })
}

/// The position of trial number `index` in `trials`.
fn position<T: Trials + ?Sized>(trials: &T, index: usize) -> Option<usize> {
    (0..trials.len()).find(|&i| trials.index(i) == index)
}

/// `robust_best` (the best neighbourhood mean) and `best_neighbourhood`
/// (how far the raw best falls to its worst neighbour), or why a sweep has
/// no neighbourhoods.
fn stability_json(
    trials: &Table,
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
        json!({
            "trial": trials.index(i),
            "params": trials.point(i),
            "objective": num(trials.metric(i, &objective.metric)),
            "neighbourhood_mean": num(nb[i].mean),
            "neighbourhood_min": num(nb[i].min),
            "neighbours": nb[i].count - 1,
        })
    });
    let raw = best.and_then(|b| position(trials, b.index)).map(|i| {
        let v = trials.metric(i, &objective.metric);
        let n = &nb[i];
        json!({
            "trial": trials.index(i),
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

/// What the summary reads: every trial's lean row, the best trials whole,
/// and the block sums PBO reads.
pub struct Parts<'a> {
    pub table: &'a Table,
    /// The best feasible trials, best first (at least `top_k` of them when
    /// there are that many).
    pub top: &'a [Trial],
    pub blocks: &'a [BlockStats],
}

/// The summary object (`--json`, best.json).
pub fn summary(meta: &Meta, parts: &Parts, top_k: usize, extra: Value, stab: &Stability) -> Value {
    let objective = Objective {
        metric: meta.objective.clone(),
        maximize: meta.maximize,
    };
    let trials = parts.table;
    let best = parts.top.first();
    let of = if meta.overfit {
        overfitting(trials, best, parts.blocks)
    } else {
        Overfitting::default()
    };
    let top: Vec<Value> = parts.top.iter().take(top_k).map(trial_json).collect();
    let mut v = json!({
        "method": meta.method,
        "seed": meta.seed,
        "objective": meta.objective,
        "direction": if meta.maximize { "maximize" } else { "minimize" },
        "constraints": meta.constraints,
        "points": meta.points,
        "trials": trials.len(),
        "feasible": (0..trials.len()).filter(|&i| trials.feasible(i)).count(),
        "shard": meta.shard.map(|[k, n]| format!("{k}/{n}")),
        "strategy": { "name": meta.strategy_name, "file": meta.strategy_file, "sha256": meta.strategy_sha256 },
        "data": { "file": meta.data_file, "sha256": meta.data_sha256 },
        "best": best.map(trial_json),
        "top": top,
        "deflated_sharpe": num(of.deflated_sharpe),
        "pbo": num(of.pbo),
        "pbo_splits": of.pbo_splits,
    });
    if let Value::Object(o) = &mut v {
        if !meta.overfit {
            o.insert("overfit_skipped".into(), Value::Bool(true));
        }
        if let Some(n) = meta.pbo_sample {
            o.insert("pbo_sample".into(), json!(n));
            o.insert("pbo_trials".into(), json!(parts.blocks.len()));
        }
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
fn pareto_json(trials: &Table, objectives: &[Objective]) -> Value {
    super::pareto::front(trials, objectives)
        .into_iter()
        .map(|i| {
            let values: serde_json::Map<String, Value> = objectives
                .iter()
                .map(|o| (o.metric.clone(), num(trials.metric(i, &o.metric))))
                .collect();
            json!({ "trial": trials.index(i), "params": trials.point(i), "objectives": values })
        })
        .collect()
}

/// A trial's trials.csv row (with its newline): number, feasibility, the
/// parameters and the metrics in the given orders; undefined and infinite
/// values are empty.
pub fn csv_row(t: &Trial, params: &[String], metrics: &[&'static str]) -> String {
    let mut row = String::with_capacity(32 * (2 + params.len() + metrics.len()));
    row.push_str(&t.index.to_string());
    row.push_str(if t.feasible { ",1" } else { ",0" });
    for p in params {
        row.push(',');
        row.push_str(&files::cell(t.params.get(p).copied()));
    }
    for m in metrics {
        row.push(',');
        row.push_str(&files::cell(get(&t.metrics, m)));
    }
    row.push('\n');
    row
}

/// Writes the output folder from a finished store's checkpoint folder
/// `part_dir`: trials.csv (with a
/// grid's `neighbourhood_mean` and `neighbourhood_min` at the end of each
/// row), trials.parquet (the same, from trials.csv in row groups),
/// blocks.csv, meta.json and best.json. A complete sweep's files are moved
/// out of the checkpoint; an interrupted one's are copied, so that it can
/// still be resumed.
pub fn write_dir(
    dir: &Path,
    meta: &Meta,
    part_dir: &Path,
    best_json: &Value,
    stab: &Stability,
    complete: bool,
) -> Result<()> {
    let nb = match stab {
        Stability::Grid { nb, .. } => Some(nb.as_slice()),
        Stability::Off(_) => None,
    };
    let part = part_dir.join("trials.csv");
    let target = dir.join("trials.csv");
    match nb {
        Some(nb) => files::with_neighbourhoods(&part, &target, nb)?,
        None => files::place(&part, &target, complete)?,
    }
    if meta.overfit {
        files::place(
            &part_dir.join("blocks.csv"),
            &dir.join("blocks.csv"),
            complete,
        )?;
    } else {
        // A folder reused from a run with the statistics loses its old one.
        let _ = std::fs::remove_file(dir.join("blocks.csv"));
    }
    let text = |path: &Path, body: &str| {
        write_atomic(path, |w| {
            std::io::Write::write_all(w, body.as_bytes()).map_err(|e| e.to_string())
        })
    };
    text(
        &dir.join("meta.json"),
        &(serde_json::to_string_pretty(meta).map_err(|e| Error::output(dir, e))? + "\n"),
    )?;
    text(
        &dir.join("best.json"),
        &(serde_json::to_string_pretty(best_json).map_err(|e| Error::output(dir, e))? + "\n"),
    )?;
    files::parquet_from_csv(&target, &dir.join("trials.parquet"))
}
