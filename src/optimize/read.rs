//! Reading a sweep's output folder back (what `merge` joins): meta.json,
//! trials.csv and blocks.csv, each field checked, so that a corrupted or
//! hand-edited file is one error naming the file and line, never a panic.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::output::Meta;
use super::overfit::BLOCKS;
use super::store::Keep;
use super::sweep::{MetricConstraint, Trial};
use crate::error::{Error, Location, Result};
use crate::metrics::{known_name, Metrics};

/// The methods a meta.json may name.
const METHODS: [&str; 3] = ["grid", "random", "genetic"];

/// Line and column of the first `"key"` in a JSON text (the whole file when absent).
fn locate(text: &str, key: &str) -> Location {
    let Some(i) = text.find(&format!("\"{key}\"")) else {
        return Location::File;
    };
    let line = text[..i].matches('\n').count() + 1;
    let col = i - text[..i].rfind('\n').map_or(0, |n| n + 1) + 1;
    Location::LineCol(line, col)
}

/// Checks every field of a meta.json beyond its JSON types.
fn check_meta(meta: &Meta, path: &Path, text: &str) -> Result<()> {
    let bad = |key: &str, msg: String| Err(Error::input(path, locate(text, key), msg));
    if let Some([k, n]) = meta.shard {
        if n == 0 || k == 0 || k > n {
            return bad(
                "shard",
                format!("shard [{k}, {n}] is out of range: expected [k, n] with 1 <= k <= n"),
            );
        }
        if meta.method == "genetic" {
            return bad("shard", "a genetic search is never sharded".into());
        }
    }
    if !METHODS.contains(&meta.method.as_str()) {
        return bad(
            "method",
            format!(
                "unknown method '{}': expected grid, random or genetic",
                meta.method
            ),
        );
    }
    if meta.points == 0 {
        return bad("points", "a sweep has at least one point".into());
    }
    if known_name(&meta.objective).is_none() {
        return bad(
            "objective",
            format!("unknown objective metric '{}'", meta.objective),
        );
    }
    for c in &meta.constraints {
        let parsed = MetricConstraint::parse(c)
            .map_err(|e| Error::input(path, locate(text, "constraints"), e.to_string()))?;
        if known_name(&parsed.metric).is_none() {
            return bad("constraints", format!("constraint '{c}' names no metric"));
        }
    }
    let mut names = BTreeSet::new();
    for p in &meta.params {
        if p.is_empty() || !names.insert(p) {
            return bad(
                "params",
                format!("parameter name '{p}' is empty or repeated"),
            );
        }
    }
    Ok(())
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))
}

/// Reads an output folder back: its meta and trials.
pub fn read_dir(dir: &Path) -> Result<(Meta, Vec<Trial>)> {
    let meta_path = dir.join("meta.json");
    let meta_text = read(&meta_path)?;
    let meta: Meta = serde_json::from_str(&meta_text).map_err(|e| {
        Error::input(
            &meta_path,
            Location::LineCol(e.line(), e.column()),
            e.to_string(),
        )
    })?;
    check_meta(&meta, &meta_path, &meta_text)?;
    let mut trials = read_trials(&dir.join("trials.csv"), &meta)?;
    let keep = super::store::keep(&meta)
        .map_err(|e| Error::input(&meta_path, locate(&meta_text, "points"), e.to_string()))?;
    if meta.overfit {
        read_blocks(&dir.join("blocks.csv"), &mut trials, &keep)?;
    }
    Ok((meta, trials))
}

/// trials.csv: `trial,feasible,<params>,<metrics>`, one row per trial of
/// this shard, each index in the sweep and owned by the shard, once.
pub fn read_trials(path: &Path, meta: &Meta) -> Result<Vec<Trial>> {
    let text = read(path)?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split(',').collect();
    let bad = |line: usize, what: &str| Error::input(path, Location::Line(line), what.to_string());
    let np = meta.params.len();
    let head_ok = header.len() >= 2 + np
        && header[0] == "trial"
        && header[1] == "feasible"
        && header[2..2 + np]
            .iter()
            .zip(&meta.params)
            .all(|(h, p)| h == p);
    if !head_ok {
        return Err(bad(
            1,
            "not the trials.csv header of this sweep (trial,feasible,<its parameters>,<metrics>)",
        ));
    }
    // A whole grid sweep's trials end with its neighbourhood columns,
    // which `merge` recomputes.
    let end = if header.ends_with(&["neighbourhood_mean", "neighbourhood_min"]) {
        (header.len() - 2).max(2 + np)
    } else {
        header.len()
    };
    let mut seen_metric = BTreeSet::new();
    let metric_names: Vec<&'static str> = header[2 + np..end]
        .iter()
        .map(|h| {
            let m = known_name(h).ok_or_else(|| bad(1, &format!("unknown metric column '{h}'")))?;
            if !seen_metric.insert(m) {
                return Err(bad(1, &format!("metric column '{h}' appears twice")));
            }
            Ok(m)
        })
        .collect::<Result<_>>()?;
    let mut seen = BTreeSet::new();
    let mut trials = Vec::new();
    for (i, line) in lines.enumerate() {
        let ln = i + 2;
        let f: Vec<&str> = line.split(',').collect();
        if f.len() != header.len() {
            return Err(bad(
                ln,
                &format!("{} fields, expected {}", f.len(), header.len()),
            ));
        }
        let parse = |s: &str| -> Result<Option<f64>> {
            if s.is_empty() {
                return Ok(None);
            }
            s.parse()
                .map(Some)
                .map_err(|_| bad(ln, &format!("'{s}' is not a number")))
        };
        let index: usize = f[0].parse().map_err(|_| bad(ln, "bad trial number"))?;
        // A genetic search's trials are numbered by grid position.
        if index >= meta.points && meta.method != "genetic" {
            return Err(bad(
                ln,
                &format!(
                    "trial {index} is outside the sweep's {} points",
                    meta.points
                ),
            ));
        }
        if let Some([k, n]) = meta.shard {
            if index % n != k - 1 {
                return Err(bad(
                    ln,
                    &format!("trial {index} does not belong to shard {k}/{n}"),
                ));
            }
        }
        if !seen.insert(index) {
            return Err(bad(ln, &format!("trial {index} appears twice")));
        }
        let feasible = match f[1] {
            "1" => true,
            "0" => false,
            other => return Err(bad(ln, &format!("feasible is '{other}', expected 0 or 1"))),
        };
        let params: BTreeMap<String, f64> = meta
            .params
            .iter()
            .enumerate()
            .map(|(k, p)| {
                let v = parse(f[2 + k])?.ok_or_else(|| bad(ln, "missing parameter"))?;
                if !v.is_finite() {
                    return Err(bad(ln, &format!("parameter {p} is not finite")));
                }
                Ok((p.clone(), v))
            })
            .collect::<Result<_>>()?;
        let metrics: Metrics = metric_names
            .iter()
            .enumerate()
            .map(|(k, m)| Ok((*m, parse(f[2 + np + k])?)))
            .collect::<Result<_>>()?;
        trials.push(Trial {
            index,
            params,
            metrics,
            feasible,
            blocks: [(0.0, 0.0); BLOCKS],
        });
    }
    Ok(trials)
}

/// blocks.csv: one row per trial PBO reads (all, or the sampled ones), in
/// trials.csv's order.
fn read_blocks(path: &Path, all: &mut [Trial], keep: &Keep) -> Result<()> {
    let text = read(path)?;
    let mut trials: Vec<&mut Trial> = all.iter_mut().filter(|t| keep.has(t.index)).collect();
    let mut rows = 0;
    for (i, line) in text.lines().skip(1).enumerate() {
        let f: Vec<&str> = line.split(',').collect();
        let bad = || Error::input(path, Location::Line(i + 2), "malformed row");
        let t = trials.get_mut(i).ok_or_else(bad)?;
        if f.len() != 1 + 2 * BLOCKS || f[0].parse::<usize>().ok() != Some(t.index) {
            return Err(bad());
        }
        for b in 0..BLOCKS {
            t.blocks[b] = (
                f[1 + 2 * b].parse().map_err(|_| bad())?,
                f[2 + 2 * b].parse().map_err(|_| bad())?,
            );
        }
        rows += 1;
    }
    if rows != trials.len() {
        return Err(Error::input(
            path,
            Location::Line(rows + 2),
            format!("{rows} rows, but trials.csv has {} trials", trials.len()),
        ));
    }
    Ok(())
}
