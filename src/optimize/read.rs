//! Reading a sweep's output folder back (what `merge` joins): meta.json
//! checked field by field, then trials.csv and blocks.csv a trial at a time
//! (`rows`), so that a corrupted or hand-edited file is one error naming
//! the file and line, never a panic.

use std::collections::BTreeSet;
use std::path::Path;

use super::keep::Keep;
use super::output::Meta;
use super::rows::{BlockRows, TrialRows};
use super::sweep::{MetricConstraint, Trial};
use crate::error::{Error, Location, Result};
use crate::metrics::known_name;

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

/// An output folder's meta.json, checked.
pub fn read_meta(dir: &Path) -> Result<Meta> {
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
    super::keep::keep(&meta)
        .map_err(|e| Error::input(&meta_path, locate(&meta_text, "points"), e.to_string()))?;
    Ok(meta)
}

/// An output folder read back a trial at a time: trials.csv, with the
/// block sums from blocks.csv for the trials PBO reads.
pub struct Folder {
    pub meta: Meta,
    trials: TrialRows,
    blocks: Option<BlockRows>,
    keep: Keep,
    wanted: usize,
    /// Trials read so far.
    pub count: usize,
}

impl Folder {
    pub fn open(dir: &Path) -> Result<Folder> {
        let meta = read_meta(dir)?;
        let keep = super::keep::keep(&meta)?;
        Ok(Folder {
            trials: TrialRows::open(&dir.join("trials.csv"), &meta)?,
            blocks: if meta.overfit {
                Some(BlockRows::open(&dir.join("blocks.csv"))?)
            } else {
                None
            },
            meta,
            keep,
            wanted: 0,
            count: 0,
        })
    }

    /// The next trial, or None once the folder is read whole (then
    /// blocks.csv must be read whole too).
    pub fn next_trial(&mut self) -> Result<Option<Trial>> {
        let Some(mut t) = self.trials.next_trial()? else {
            if let Some(b) = &mut self.blocks {
                b.end(self.wanted)?;
            }
            return Ok(None);
        };
        if let Some(b) = self.blocks.as_mut().filter(|_| self.keep.has(t.index)) {
            self.wanted += 1;
            t.blocks = b.next_for(t.index, self.wanted)?;
        }
        self.count += 1;
        Ok(Some(t))
    }
}

/// Reads an output folder back: its meta and trials.
pub fn read_dir(dir: &Path) -> Result<(Meta, Vec<Trial>)> {
    check_dir(dir)?;
    let mut f = Folder::open(dir)?;
    let mut trials = Vec::new();
    while let Some(t) = f.next_trial()? {
        trials.push(t);
    }
    Ok((f.meta, trials))
}

/// Reads an output folder through, checking every row, without keeping
/// its trials: its meta and how many trials it holds.
pub fn check_dir(dir: &Path) -> Result<(Meta, usize)> {
    // trials.csv through first, so that its errors come before blocks.csv's.
    let meta = read_meta(dir)?;
    let mut rows = TrialRows::open(&dir.join("trials.csv"), &meta)?;
    while rows.next_trial()?.is_some() {}
    let mut f = Folder::open(dir)?;
    while f.next_trial()?.is_some() {}
    Ok((f.meta, f.count))
}

/// Every trial of a trials.csv (the reports show them all).
pub fn read_trials(path: &Path, meta: &Meta) -> Result<Vec<Trial>> {
    let mut rows = TrialRows::open(path, meta)?;
    let mut out = Vec::new();
    while let Some(t) = rows.next_trial()? {
        out.push(t);
    }
    Ok(out)
}
