//! The checkpoint of a sweep under way, in `DIR/.checkpoint/`: its state
//! (the sweep's identity, how far it got, how long each part file is), the
//! exact binary form of whole trials (a genetic search's evaluated points)
//! and of block sums, and the check that a resumed sweep is the same sweep.

use std::fs::{File, OpenOptions};
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::output::Meta;
use super::overfit::{BlockStats, BLOCKS};
use super::sweep::Trial;
use crate::error::{Error, Location, Result};

/// The checkpoint folder inside an output folder.
pub const FOLDER: &str = ".checkpoint";

/// A part file opened for appending: cut to `len` bytes when resuming
/// (refused when shorter), emptied otherwise.
pub fn open(path: &Path, len: Option<u64>) -> Result<BufWriter<File>> {
    let f = OpenOptions::new()
        .create(true)
        .write(true)
        .read(true)
        .truncate(len.is_none())
        .open(path)
        .map_err(|e| Error::output(path, e))?;
    if let Some(n) = len {
        let have = f.metadata().map_err(|e| Error::output(path, e))?.len();
        if have < n {
            return Err(Error::unreadable(
                path,
                crate::error::Location::File,
                format!(
                    "the checkpoint says {n} bytes, the file has {have}: run without resuming to start over"
                ),
            ));
        }
        f.set_len(n).map_err(|e| Error::output(path, e))?;
    }
    let mut w = BufWriter::with_capacity(1 << 20, f);
    std::io::Seek::seek(&mut w, std::io::SeekFrom::End(0)).map_err(|e| Error::output(path, e))?;
    Ok(w)
}

pub fn read_part(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::io(path, &e))
}

/// A checkpoint file whose bytes do not decode.
pub fn corrupt(path: &Path) -> Error {
    Error::unreadable(
        path,
        crate::error::Location::File,
        "the checkpoint file is damaged: run without resuming to start over",
    )
}

/// Where a sweep's checkpoint lives.
pub fn folder(out_dir: &Path) -> PathBuf {
    out_dir.join(FOLDER)
}

/// The lengths of the part files at the last checkpoint: a resumed sweep
/// cuts each back to them (a kill may leave half a row after them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lengths {
    pub csv: u64,
    pub blocks_csv: u64,
    pub table: u64,
    pub blocks: u64,
    pub genetic: u64,
}

/// `state.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// The sweep's identity (its `points` are the planned points).
    pub meta: Meta,
    /// The metric columns of trials.csv; empty before the first trial.
    pub metrics: Vec<String>,
    /// This shard's points (in sweep order) finished.
    pub done: usize,
    /// Rows in the table.
    pub trials: usize,
    pub lengths: Lengths,
}

/// Reads `state.json`, naming the file and line on a bad one.
pub fn read_state(dir: &Path) -> Result<State> {
    let path = dir.join("state.json");
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, &e))?;
    serde_json::from_str(&text).map_err(|e| {
        Error::input(
            &path,
            Location::LineCol(e.line(), e.column()),
            format!("not a checkpoint state: {e}"),
        )
    })
}

/// What a field of the identity means to a person.
fn about(key: &str) -> &'static str {
    match key {
        "strategy_name" | "strategy_file" | "strategy_sha256" | "params" => "the strategy",
        "data_file" | "data_sha256" => "the data",
        "method" | "seed" | "points" => "the search",
        "objective" | "maximize" | "constraints" | "pareto" => "the objective",
        "exec" => "the execution settings",
        "shard" => "the shard",
        _ => "the overfitting statistics",
    }
}

/// Refuses to resume a different sweep, naming what changed.
pub fn same_sweep(dir: &Path, was: &Meta, now: &Meta) -> Result<()> {
    let (a, b) = (
        serde_json::to_value(was).unwrap_or_default(),
        serde_json::to_value(now).unwrap_or_default(),
    );
    let keys: std::collections::BTreeSet<&String> = a
        .as_object()
        .into_iter()
        .chain(b.as_object())
        .flat_map(|o| o.keys())
        .collect();
    let changed: Vec<String> = keys
        .into_iter()
        .filter(|k| a.get(k.as_str()) != b.get(k.as_str()))
        .map(|k| {
            let show = |v: Option<&serde_json::Value>| {
                v.map_or("none".to_string(), serde_json::Value::to_string)
            };
            format!(
                "{} changed ({k} was {}, now {})",
                about(k),
                show(a.get(k.as_str())),
                show(b.get(k.as_str()))
            )
        })
        .collect();
    if changed.is_empty() {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "cannot resume the sweep in {}: {}; run without resuming to start over",
        dir.display(),
        changed.join("; ")
    )))
}

use super::bits::{put_f64, put_opt, put_u64, Reader};

/// Block sums as bytes: the trial number, then 16 × (Σr, Σr²).
pub fn encode_blocks(index: usize, b: &BlockStats, out: &mut Vec<u8>) {
    put_u64(out, index as u64);
    for (s, q) in b {
        put_f64(out, *s);
        put_f64(out, *q);
    }
}

/// Records of `n` bytes decoded by `f`; None when the bytes are not whole
/// records or one does not decode.
fn records<T>(bytes: &[u8], n: usize, f: impl Fn(&mut Reader) -> Option<T>) -> Option<Vec<T>> {
    if bytes.len() % n != 0 {
        return None;
    }
    bytes
        .chunks_exact(n)
        .map(|r| f(&mut Reader { bytes: r, at: 0 }))
        .collect()
}

fn read_blocks(r: &mut Reader) -> Option<(usize, BlockStats)> {
    let index = r.u64()? as usize;
    let mut b = [(0.0, 0.0); BLOCKS];
    for x in &mut b {
        *x = (r.f64()?, r.f64()?);
    }
    Some((index, b))
}

/// The records `encode_blocks` wrote; None when the bytes are not whole records.
pub fn decode_blocks(bytes: &[u8]) -> Option<Vec<(usize, BlockStats)>> {
    records(bytes, 8 + 16 * BLOCKS, read_blocks)
}

/// A whole trial as bytes (every float by its bits), its parameters and
/// metrics in the given orders.
pub fn encode_trial(t: &Trial, params: &[String], metrics: &[&'static str], out: &mut Vec<u8>) {
    put_u64(out, t.index as u64);
    out.push(u8::from(t.feasible));
    for p in params {
        put_f64(out, t.params.get(p).copied().unwrap_or(f64::NAN));
    }
    for m in metrics {
        put_opt(out, t.metrics.get(m).copied().flatten());
    }
    encode_blocks(t.index, &t.blocks, out);
}

/// The trials `encode_trial` wrote; None when the bytes are not whole trials.
pub fn decode_trials(
    bytes: &[u8],
    params: &[String],
    metrics: &[&'static str],
) -> Option<Vec<Trial>> {
    let n = 9 + 8 * params.len() + 9 * metrics.len() + 8 + 16 * BLOCKS;
    records(bytes, n, |r| {
        let index = r.u64()? as usize;
        let feasible = r.u8()? == 1;
        let mut params_out = super::space::Point::new();
        for p in params {
            params_out.insert(p.clone(), r.f64()?);
        }
        let mut m = crate::metrics::Metrics::new();
        for name in metrics {
            m.insert(name, r.opt()?);
        }
        let (_, blocks) = read_blocks(r)?;
        Some(Trial {
            index,
            params: params_out,
            metrics: m,
            feasible,
            blocks,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trials_and_blocks_round_trip_by_bits() {
        let mut blocks = [(0.0, 0.0); BLOCKS];
        blocks[3] = (0.1 + 0.2, f64::INFINITY);
        let t = Trial {
            index: 77,
            params: [("fast".to_string(), 10.0), ("slow".to_string(), 0.3)]
                .into_iter()
                .collect(),
            metrics: [
                ("sharpe", Some(-0.0)),
                ("sortino", None),
                ("cagr", Some(f64::NAN)),
            ]
            .into_iter()
            .collect(),
            feasible: true,
            blocks,
        };
        let params = vec!["fast".to_string(), "slow".to_string()];
        let names = ["cagr", "sharpe", "sortino"];
        let mut bytes = Vec::new();
        encode_trial(&t, &params, &names, &mut bytes);
        encode_trial(&t, &params, &names, &mut bytes);
        let back = decode_trials(&bytes, &params, &names).unwrap();
        assert_eq!(back.len(), 2);
        // NaN != NaN, so compare by bits.
        assert_eq!(
            back[0].metrics["cagr"].map(f64::to_bits),
            Some(f64::NAN.to_bits())
        );
        assert_eq!(
            back[0].metrics["sharpe"].map(f64::to_bits),
            Some((-0.0f64).to_bits())
        );
        assert_eq!(back[0].metrics["sortino"], None);
        assert_eq!(
            (back[1].index, &back[1].params, back[1].blocks),
            (77, &t.params, blocks)
        );
        assert!(decode_trials(&bytes[..bytes.len() - 1], &params, &names).is_none());
    }
}
