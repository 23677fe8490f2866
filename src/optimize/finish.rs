//! A sweep end to end for the commands: run a search into a `Sweep` (its
//! identity and trials), then write its folder (trials, meta, summary, the
//! best trial re-run in full, reports). `optimize` and `merge` both end here.

use std::path::Path;

use serde_json::Value;

use super::method::{self, Method};
use super::output::{self, Meta};
use super::sweep::{Config, Trial};
use crate::data::{self, Candles};
use crate::error::{Error, Result};
use crate::report::{
    optimize_page, report_json, run_json, write_doc, write_folder, Formats, Inputs,
};
use crate::strategy::{ColumnCache, Strategy};

/// A sweep's identity and its evaluated trials, with the inputs to re-run its best.
pub struct Sweep<'a> {
    pub meta: Meta,
    pub trials: Vec<Trial>,
    /// Method-specific summary fields (a genetic search's convergence).
    pub extra: Value,
    pub strategy: &'a Strategy,
    pub candles: &'a Candles,
    pub data_path: &'a Path,
}

/// Runs `method` over `candles` (this shard's points, or all).
pub fn run<'a>(
    strategy: &'a Strategy,
    candles: &'a Candles,
    data_path: &'a Path,
    method: &Method,
    cfg: &Config,
    tick: &(dyn Fn() + Sync),
) -> Result<Sweep<'a>> {
    let found = method::run(method, strategy, candles, cfg, tick)?;
    let search = method.search();
    let meta = Meta {
        strategy_name: strategy.name.clone(),
        strategy_file: strategy.path.display().to_string(),
        strategy_sha256: data::sha256_file(&strategy.path)?,
        data_file: data_path.display().to_string(),
        data_sha256: data::sha256_file(data_path)?,
        method: search.name().to_string(),
        seed: search.seed(),
        objective: cfg.objective.metric.clone(),
        maximize: cfg.objective.maximize,
        constraints: cfg.constraints.iter().map(|c| c.text.clone()).collect(),
        points: found.points,
        params: strategy.params.iter().map(|p| p.name.clone()).collect(),
        shard: cfg.shard.map(|s| [s.k, s.n]),
        exec: strategy.exec_overrides.clone(),
    };
    Ok(Sweep {
        meta,
        trials: found.trials,
        extra: found.extra,
        strategy,
        candles,
        data_path,
    })
}

impl Sweep<'_> {
    /// The default output folder: `reports/<strategy>_<method>[_shard_k_of_n]`.
    pub fn default_dir(&self) -> std::path::PathBuf {
        let mut name = format!("{}_{}", self.meta.strategy_name, self.meta.method);
        if let Some([k, n]) = self.meta.shard {
            name.push_str(&format!("_shard_{k}_of_{n}"));
        }
        Path::new("reports").join(name)
    }

    /// Ranks, computes the overfitting statistics, writes the folder (the
    /// best trial re-run in full as best_run.json, and reports when asked),
    /// and returns the summary (best.json).
    pub fn write(&self, out_dir: &Path, top: usize, formats: Option<Formats>) -> Result<Value> {
        let summary = output::summary(&self.meta, &self.trials, top, self.extra.clone());
        output::write_dir(out_dir, &self.meta, &self.trials, &summary)?;
        let best = summary["best"]["trial"]
            .as_u64()
            .and_then(|i| self.trials.iter().find(|t| t.index as u64 == i));
        let Some(best) = best else {
            return Ok(summary);
        };
        let s = self.strategy;
        let out = crate::backtest::run(
            s,
            &best.params,
            &s.execution,
            self.candles,
            &ColumnCache::default(),
        )?;
        let sha = data::sha256_file(self.data_path)?;
        let inputs = Inputs {
            strategy: s,
            strategy_sha256: &self.meta.strategy_sha256,
            candles: self.candles,
            data_sha256: &sha,
            execution: &s.execution,
        };
        if let Some(f) = formats {
            write_folder(&out_dir.join("best"), &report_json(&inputs, &out), f)?;
            if f.html || f.pdf {
                let views: Vec<optimize_page::Trial> = self
                    .trials
                    .iter()
                    .map(|t| optimize_page::Trial {
                        params: &t.params,
                        metrics: &t.metrics,
                        feasible: t.feasible,
                    })
                    .collect();
                let doc =
                    optimize_page::document(&summary, &views, &self.meta.params).map_err(|e| {
                        Error::output(out_dir, format!("rendering the optimization report: {e}"))
                    })?;
                write_doc(out_dir, &doc, f)?;
            }
        }
        let body = serde_json::to_string_pretty(&run_json(&inputs, &out))
            .map_err(|e| Error::output(out_dir, e))?
            + "\n";
        data::write::write_atomic(&out_dir.join("best_run.json"), |w| {
            std::io::Write::write_all(w, body.as_bytes()).map_err(|e| e.to_string())
        })?;
        Ok(summary)
    }
}
