//! Reading a sweep's trials.csv and blocks.csv back a row at a time (what
//! `merge` streams and the reports read), each field checked, so that a
//! corrupted or hand-edited file is one error naming the file and line,
//! never a panic, and no file is ever whole in memory.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Lines};
use std::path::{Path, PathBuf};

use super::output::Meta;
use super::overfit::{BlockStats, BLOCKS};
use super::sweep::Trial;
use crate::error::{Error, Location, Result};
use crate::metrics::{known_name, Metrics};

fn lines(path: &Path) -> Result<Lines<BufReader<File>>> {
    let f = File::open(path).map_err(|e| Error::io(path, &e))?;
    Ok(BufReader::with_capacity(1 << 20, f).lines())
}

/// trials.csv: `trial,feasible,<params>,<metrics>`, one row per trial of
/// the shard (or sweep), in ascending order, each in the sweep and owned
/// by the shard.
pub struct TrialRows {
    path: PathBuf,
    lines: Lines<BufReader<File>>,
    line: usize,
    fields: usize,
    metrics: Vec<&'static str>,
    meta: Meta,
    last: Option<usize>,
}

impl TrialRows {
    pub fn open(path: &Path, meta: &Meta) -> Result<TrialRows> {
        let mut lines = lines(path)?;
        let bad = |what: String| Error::input(path, Location::Line(1), what);
        let head = lines
            .next()
            .transpose()
            .map_err(|e| Error::io(path, &e))?
            .unwrap_or_default();
        let header: Vec<&str> = head.split(',').collect();
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
                "not the trials.csv header of this sweep (trial,feasible,<its parameters>,<metrics>)"
                    .into(),
            ));
        }
        // A whole grid sweep's trials end with its neighbourhood columns,
        // which `merge` recomputes.
        let end = if header.ends_with(&["neighbourhood_mean", "neighbourhood_min"]) {
            (header.len() - 2).max(2 + np)
        } else {
            header.len()
        };
        let mut seen = BTreeSet::new();
        let metrics = header[2 + np..end]
            .iter()
            .map(|h| {
                let m = known_name(h).ok_or_else(|| bad(format!("unknown metric column '{h}'")))?;
                if !seen.insert(m) {
                    return Err(bad(format!("metric column '{h}' appears twice")));
                }
                Ok(m)
            })
            .collect::<Result<_>>()?;
        Ok(TrialRows {
            path: path.to_path_buf(),
            lines,
            line: 1,
            fields: header.len(),
            metrics,
            meta: meta.clone(),
            last: None,
        })
    }

    /// The next trial (its block sums zero), or None at the end.
    pub fn next_trial(&mut self) -> Result<Option<Trial>> {
        let Some(line) = self.lines.next() else {
            return Ok(None);
        };
        self.line += 1;
        let ln = self.line;
        let line = line.map_err(|e| Error::io(&self.path, &e))?;
        let bad = |what: &str| Error::input(&self.path, Location::Line(ln), what.to_string());
        let f: Vec<&str> = line.split(',').collect();
        if f.len() != self.fields {
            return Err(bad(&format!(
                "{} fields, expected {}",
                f.len(),
                self.fields
            )));
        }
        let parse = |s: &str| -> Result<Option<f64>> {
            if s.is_empty() {
                return Ok(None);
            }
            s.parse()
                .map(Some)
                .map_err(|_| bad(&format!("'{s}' is not a number")))
        };
        let meta = &self.meta;
        let index: usize = f[0].parse().map_err(|_| bad("bad trial number"))?;
        // A genetic search's trials are numbered by grid position.
        if index >= meta.points && meta.method != "genetic" {
            return Err(bad(&format!(
                "trial {index} is outside the sweep's {} points",
                meta.points
            )));
        }
        if let Some([k, n]) = meta.shard {
            if index % n != k - 1 {
                return Err(bad(&format!(
                    "trial {index} does not belong to shard {k}/{n}"
                )));
            }
        }
        match self.last {
            Some(l) if l == index => return Err(bad(&format!("trial {index} appears twice"))),
            Some(l) if l > index => {
                return Err(bad(&format!(
                    "trial {index} comes after trial {l}: out of order"
                )))
            }
            _ => {}
        }
        self.last = Some(index);
        let feasible = match f[1] {
            "1" => true,
            "0" => false,
            other => return Err(bad(&format!("feasible is '{other}', expected 0 or 1"))),
        };
        let np = meta.params.len();
        let params = meta
            .params
            .iter()
            .enumerate()
            .map(|(k, p)| {
                let v = parse(f[2 + k])?.ok_or_else(|| bad("missing parameter"))?;
                if !v.is_finite() {
                    return Err(bad(&format!("parameter {p} is not finite")));
                }
                Ok((p.clone(), v))
            })
            .collect::<Result<_>>()?;
        let metrics: Metrics = self
            .metrics
            .iter()
            .enumerate()
            .map(|(k, m)| Ok((*m, parse(f[2 + np + k])?)))
            .collect::<Result<_>>()?;
        Ok(Some(Trial {
            index,
            params,
            metrics,
            feasible,
            blocks: [(0.0, 0.0); BLOCKS],
        }))
    }
}

/// blocks.csv: one row per trial PBO reads (all, or the sampled ones), in
/// trials.csv's order.
pub struct BlockRows {
    path: PathBuf,
    lines: Lines<BufReader<File>>,
    rows: usize,
}

impl BlockRows {
    pub fn open(path: &Path) -> Result<BlockRows> {
        let mut lines = lines(path)?;
        lines.next().transpose().map_err(|e| Error::io(path, &e))?;
        Ok(BlockRows {
            path: path.to_path_buf(),
            lines,
            rows: 0,
        })
    }

    /// The block sums of trial `index`, the `wanted`-th trial that has
    /// them: the next row must be its.
    pub fn next_for(&mut self, index: usize, wanted: usize) -> Result<BlockStats> {
        let ln = self.rows + 2;
        let bad = |what: String| Error::input(&self.path, Location::Line(ln), what);
        let Some(line) = self.lines.next() else {
            return Err(bad(format!(
                "{} rows, but trials.csv has {wanted} trials",
                self.rows
            )));
        };
        let line = line.map_err(|e| Error::io(&self.path, &e))?;
        let f: Vec<&str> = line.split(',').collect();
        let malformed = || bad("malformed row".into());
        if f.len() != 1 + 2 * BLOCKS || f[0].parse::<usize>().ok() != Some(index) {
            return Err(malformed());
        }
        let mut b = [(0.0, 0.0); BLOCKS];
        for (k, x) in b.iter_mut().enumerate() {
            *x = (
                f[1 + 2 * k].parse().map_err(|_| malformed())?,
                f[2 + 2 * k].parse().map_err(|_| malformed())?,
            );
        }
        self.rows += 1;
        Ok(b)
    }

    /// Refuses rows left over once every trial has its block sums.
    pub fn end(&mut self, wanted: usize) -> Result<()> {
        if self.lines.next().is_some() {
            return Err(Error::input(
                &self.path,
                Location::Line(self.rows + 2),
                format!("more rows than the {wanted} trials of trials.csv"),
            ));
        }
        Ok(())
    }
}
