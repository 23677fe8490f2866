//! A sweep's trials as they finish (the `Sink` of `optimize` and `merge`):
//! rows streamed to the checkpoint's trials.csv and blocks.csv in sweep
//! order, the lean table and the block sums PBO reads kept in memory and on
//! disk, the best few trials kept whole; a checkpoint after each stretch,
//! from which `--resume` continues.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::checkpoint::{self, corrupt, open, read_part, Lengths, State};
use super::keep::{sample, Keep};
use super::output::{csv_row, Meta};
use super::overfit::{BlockStats, BLOCKS};
use super::search::Sink;
use super::sweep::{Objective, Trial};
use super::table::{Table, Trials};
use crate::error::{Error, Result};

/// The least time between two checkpoints of a grid or random sweep.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

/// The files of a checkpoint, appended to.
struct Files {
    csv: BufWriter<File>,
    blocks_csv: BufWriter<File>,
    table: BufWriter<File>,
    blocks: BufWriter<File>,
    genetic: BufWriter<File>,
}

/// The trials of a sweep as they finish.
pub struct Store {
    dir: PathBuf,
    state: State,
    objective: Objective,
    top_k: usize,
    names: Vec<&'static str>,
    files: Files,
    pub keep: Keep,
    pub table: Table,
    /// Block sums of the kept trials, in trial order (PBO reads them as
    /// they are, without a copy).
    pub blocks: Vec<BlockStats>,
    /// The best `top_k` (at least 1) feasible trials, best first.
    pub top: Vec<Trial>,
    /// A genetic search's points evaluated before an interruption.
    memo: Vec<Trial>,
    /// A test hook: abort the process (as a kill would) after this many
    /// checkpoints, from `TRADELAB_ABORT_AFTER_CHECKPOINTS`.
    abort_after: Option<usize>,
    checkpoints: usize,
    /// The part files have their header lines.
    header: bool,
    /// When the last checkpoint was taken.
    last: std::time::Instant,
    /// The data's hash, computed beside the first trials.
    sha: std::sync::Mutex<Option<std::sync::mpsc::Receiver<Result<String>>>>,
}

impl Store {
    /// A new store in `out_dir`'s checkpoint folder (an old one is replaced).
    /// `sha` brings the data's hash (the first checkpoint waits for it).
    pub fn create(
        out_dir: &Path,
        meta: Meta,
        top_k: usize,
        keep: Keep,
        sha: std::sync::mpsc::Receiver<Result<String>>,
    ) -> Result<Store> {
        let dir = checkpoint::folder(out_dir);
        std::fs::create_dir_all(&dir).map_err(|e| Error::output(&dir, e))?;
        let state = State {
            meta,
            metrics: Vec::new(),
            done: 0,
            trials: 0,
            lengths: Lengths::default(),
        };
        let s = Store::open(dir, state, top_k, keep, false)?;
        *s.sha.lock().expect("sha lock") = Some(sha);
        Ok(s)
    }

    /// Waits for the data's hash, once.
    fn settle_sha(&mut self) -> Result<()> {
        let rx = self.sha.lock().expect("sha lock").take();
        if let Some(rx) = rx {
            self.state.meta.data_sha256 = rx
                .recv()
                .map_err(|_| Error::output(&self.dir, "hashing the data failed"))??;
        }
        Ok(())
    }

    /// The store of an interrupted sweep, cut back to its last checkpoint;
    /// refused when `meta` is not the checkpoint's sweep. The best trials
    /// are not restored: `top_wanted` says which to re-run for `set_top`.
    pub fn resume(out_dir: &Path, meta: Meta, top_k: usize, keep: Keep) -> Result<Store> {
        let dir = checkpoint::folder(out_dir);
        if !dir.join("state.json").exists() {
            return Err(Error::Usage(format!(
                "{} holds no checkpoint to resume (a finished sweep leaves none)",
                out_dir.display()
            )));
        }
        let mut state = checkpoint::read_state(&dir)?;
        checkpoint::same_sweep(out_dir, &state.meta, &meta)?;
        if state.meta.method == "genetic" {
            // A genetic search hands its trials over only at its end (they
            // come in grid order): its replay hands them all over again.
            let genetic = state.lengths.genetic;
            state.lengths = Lengths {
                genetic,
                ..Lengths::default()
            };
            state.done = 0;
            state.trials = 0;
        }
        let mut s = Store::open(dir, state, top_k, keep, true)?;
        let l = s.state.lengths;
        let table_path = s.dir.join("table.bin");
        let bytes = read_part(&table_path)?;
        s.table
            .decode(&bytes[..l.table as usize])
            .filter(|_| s.table.len() == s.state.trials)
            .ok_or_else(|| corrupt(&table_path))?;
        let blocks_path = s.dir.join("blocks.bin");
        let bytes = read_part(&blocks_path)?;
        s.blocks = checkpoint::decode_blocks(&bytes[..l.blocks as usize])
            .ok_or_else(|| corrupt(&blocks_path))?
            .into_iter()
            .map(|(_, b)| b)
            .collect();
        let genetic_path = s.dir.join("genetic.bin");
        let bytes = read_part(&genetic_path)?;
        s.memo =
            checkpoint::decode_trials(&bytes[..l.genetic as usize], &s.state.meta.params, &s.names)
                .ok_or_else(|| corrupt(&genetic_path))?;
        Ok(s)
    }

    fn open(dir: PathBuf, state: State, top_k: usize, keep: Keep, resume: bool) -> Result<Store> {
        let l = state.lengths;
        let at = |n: u64| resume.then_some(n);
        let files = Files {
            csv: open(&dir.join("trials.csv"), at(l.csv))?,
            blocks_csv: open(&dir.join("blocks.csv"), at(l.blocks_csv))?,
            table: open(&dir.join("table.bin"), at(l.table))?,
            blocks: open(&dir.join("blocks.bin"), at(l.blocks))?,
            genetic: open(&dir.join("genetic.bin"), at(l.genetic))?,
        };
        let names = state
            .metrics
            .iter()
            .map(|m| crate::metrics::known_name(m).ok_or_else(|| corrupt(&dir.join("state.json"))))
            .collect::<Result<Vec<_>>>()?;
        let objective = Objective {
            metric: state.meta.objective.clone(),
            maximize: state.meta.maximize,
        };
        let mut objectives: Vec<&Objective> = vec![&objective];
        objectives.extend(&state.meta.pareto);
        let table = Table::new(&state.meta.params, &Table::kept_metrics(&objectives));
        Ok(Store {
            dir,
            objective: objective.clone(),
            top_k: top_k.max(1),
            names,
            files,
            keep,
            table,
            blocks: Vec::new(),
            top: Vec::new(),
            memo: Vec::new(),
            abort_after: std::env::var("TRADELAB_ABORT_AFTER_CHECKPOINTS")
                .ok()
                .and_then(|v| v.parse().ok()),
            checkpoints: 0,
            header: resume && l.csv > 0,
            last: std::time::Instant::now(),
            sha: std::sync::Mutex::new(None),
            state,
        })
    }

    /// Table rows of the best feasible trials a resumed store must re-run
    /// (their whole metrics are not in the checkpoint).
    pub fn top_wanted(&self) -> Vec<usize> {
        super::table::rank(&self.table, &self.objective)
            .into_iter()
            .take(self.top_k)
            .filter(|&i| super::table::Trials::feasible(&self.table, i))
            .collect()
    }

    /// Room in the table for `n` more trials (the planned ones).
    pub fn reserve(&mut self, n: usize) {
        self.table.reserve(n);
    }

    pub fn set_top(&mut self, top: Vec<Trial>) {
        self.top = top;
    }

    /// Sets the metric columns from the first trial's, once.
    fn name_metrics(&mut self, first: &Trial) {
        if self.names.is_empty() {
            self.names = first.metrics.keys().copied().collect();
            self.state.metrics = self.names.iter().map(|s| s.to_string()).collect();
        }
    }

    fn write_header(&mut self) -> Result<()> {
        let mut header = vec!["trial".to_string(), "feasible".to_string()];
        header.extend(self.state.meta.params.iter().cloned());
        header.extend(self.names.iter().map(|s| s.to_string()));
        let mut blocks = String::from("trial");
        for b in 0..BLOCKS {
            blocks.push_str(&format!(",sum{b},sumsq{b}"));
        }
        let p = self.dir.join("trials.csv");
        writeln!(self.files.csv, "{}", header.join(",")).map_err(|e| Error::output(&p, e))?;
        let p = self.dir.join("blocks.csv");
        writeln!(self.files.blocks_csv, "{blocks}").map_err(|e| Error::output(&p, e))?;
        self.header = true;
        Ok(())
    }

    /// Whether `a` ranks before `b` (both feasible).
    fn ahead(&self, a: &Trial, b: &Trial) -> bool {
        let key = |t: &Trial| {
            let v = t.metrics.get(self.objective.metric.as_str()).copied();
            (v.flatten().unwrap_or(f64::NAN), t.index)
        };
        super::table::by_objective(key(a), key(b), &self.objective).is_lt()
    }

    fn offer(&mut self, t: &Trial) {
        if !t.feasible {
            return;
        }
        if self.top.len() == self.top_k && !self.ahead(t, &self.top[self.top_k - 1]) {
            return;
        }
        let at = self.top.partition_point(|x| self.ahead(x, t));
        self.top.insert(at, t.clone());
        self.top.truncate(self.top_k);
    }

    /// Flushes the part files and records their lengths in state.json.
    fn checkpoint(&mut self) -> Result<()> {
        self.settle_sha()?;
        let f = &mut self.files;
        let len = |w: &mut BufWriter<File>, name: &str| -> Result<u64> {
            let p = self.dir.join(name);
            w.flush().map_err(|e| Error::output(&p, e))?;
            Ok(w.get_ref()
                .metadata()
                .map_err(|e| Error::output(&p, e))?
                .len())
        };
        self.state.lengths = Lengths {
            csv: len(&mut f.csv, "trials.csv")?,
            blocks_csv: len(&mut f.blocks_csv, "blocks.csv")?,
            table: len(&mut f.table, "table.bin")?,
            blocks: len(&mut f.blocks, "blocks.bin")?,
            genetic: len(&mut f.genetic, "genetic.bin")?,
        };
        self.state.trials = self.table.len();
        let path = self.dir.join("state.json");
        let body =
            serde_json::to_string_pretty(&self.state).map_err(|e| Error::output(&path, e))?;
        crate::data::write::write_atomic(&path, |w| {
            w.write_all(body.as_bytes()).map_err(|e| e.to_string())
        })?;
        self.checkpoints += 1;
        self.last = std::time::Instant::now();
        if self.abort_after == Some(self.checkpoints) {
            std::process::abort();
        }
        Ok(())
    }

    /// Flushes everything and hands back the checkpoint folder and the
    /// in-memory parts (the checkpoint stays until the caller removes it).
    pub fn finish(mut self) -> Result<Stored> {
        self.settle_sha()?;
        if !self.header {
            self.write_header()?;
        }
        for (w, name) in [
            (&mut self.files.csv, "trials.csv"),
            (&mut self.files.blocks_csv, "blocks.csv"),
        ] {
            let p = self.dir.join(name);
            w.flush().map_err(|e| Error::output(&p, e))?;
        }
        Ok(Stored {
            data_sha256: self.state.meta.data_sha256,
            dir: self.dir,
            names: self.names,
            table: self.table,
            blocks: self.blocks,
            top: self.top,
        })
    }
}

/// What a finished store leaves: the checkpoint folder (trials.csv and
/// blocks.csv in it are the output's, less a grid's neighbourhood columns)
/// and the parts the summary reads.
pub struct Stored {
    pub data_sha256: String,
    pub dir: PathBuf,
    pub names: Vec<&'static str>,
    pub table: Table,
    pub blocks: Vec<BlockStats>,
    pub top: Vec<Trial>,
}

impl Sink for Store {
    fn done(&self) -> usize {
        self.state.done
    }

    fn keeps_blocks(&self, index: usize) -> bool {
        self.keep.has(index)
    }

    fn take(&mut self, mut trials: Vec<Trial>, complete: bool) -> Result<()> {
        let Some(first) = trials.first() else {
            return Ok(());
        };
        self.name_metrics(first);
        if !self.header {
            self.write_header()?;
        }
        if let Keep::Later { n, seed } = self.keep {
            let at = sample(trials.len(), n, seed);
            self.keep = Keep::Sample(at.into_iter().map(|i| trials[i].index).collect());
        }
        let (params, names) = (&self.state.meta.params, &self.names);
        let rows: Vec<String> = trials
            .par_iter()
            .map(|t| csv_row(t, params, names))
            .collect();
        let p = self.dir.join("trials.csv");
        for r in &rows {
            self.files
                .csv
                .write_all(r.as_bytes())
                .map_err(|e| Error::output(&p, e))?;
        }
        let mut bin = Vec::with_capacity(trials.len() * self.table.row_bytes());
        let mut kept = Vec::new();
        let mut text = String::new();
        for t in &mut trials {
            self.table.push(t);
            self.table.encode(self.table.len() - 1, &mut bin);
            if self.keep.has(t.index) {
                checkpoint::encode_blocks(t.index, &t.blocks, &mut kept);
                text.push_str(&t.index.to_string());
                for (s, q) in t.blocks {
                    text.push_str(&format!(",{s},{q}"));
                }
                text.push('\n');
                self.blocks.push(t.blocks);
            }
        }
        let w = |w: &mut BufWriter<File>, b: &[u8], name: &str| {
            w.write_all(b)
                .map_err(|e| Error::output(&self.dir.join(name), e))
        };
        w(&mut self.files.table, &bin, "table.bin")?;
        w(&mut self.files.blocks, &kept, "blocks.bin")?;
        w(&mut self.files.blocks_csv, text.as_bytes(), "blocks.csv")?;
        for t in &trials {
            self.offer(t);
        }
        if complete {
            self.state.done += trials.len();
            // At most four checkpoints a second (each one syncs state.json);
            // the test hook takes one after every stretch.
            if self.abort_after.is_some() || self.last.elapsed() >= CHECKPOINT_EVERY {
                self.checkpoint()?;
            }
        }
        Ok(())
    }

    fn evaluated(&mut self) -> Vec<Trial> {
        std::mem::take(&mut self.memo)
    }

    fn generation(&mut self, new: &[Trial]) -> Result<()> {
        let Some(first) = new.first() else {
            return Ok(());
        };
        self.name_metrics(first);
        let mut bin = Vec::new();
        for t in new {
            checkpoint::encode_trial(t, &self.state.meta.params, &self.names, &mut bin);
        }
        let p = self.dir.join("genetic.bin");
        self.files
            .genetic
            .write_all(&bin)
            .map_err(|e| Error::output(&p, e))?;
        self.checkpoint()
    }
}
