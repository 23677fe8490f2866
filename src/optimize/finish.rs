//! A sweep end to end for the commands: run a search into a `Sweep` (its
//! identity and trials), then write its folder (trials, meta, summary, the
//! best trial re-run in full, reports). `optimize` and `merge` both end here.

use std::path::Path;

use serde_json::Value;

use super::market::Market;
use super::method::{self, Method};
use super::output::{self, Meta};
use super::stability::Stability;
use super::sweep::{Config, Trial};
use crate::data;
use crate::error::{Error, Result};
use crate::report::portfolio::portfolio_json;
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
    pub market: &'a Market,
    pub data_path: &'a Path,
}

/// Runs `method` over `market` (this shard's points, or all).
pub fn run<'a>(
    strategy: &'a Strategy,
    market: &'a Market,
    data_path: &'a Path,
    method: &Method,
    cfg: &Config,
    tick: &(dyn Fn() + Sync),
) -> Result<Sweep<'a>> {
    // The data's hash (a 60 MB file: tens of milliseconds) beside the
    // trials, on a thread of its own.
    let (found, data_sha256) = std::thread::scope(|s| {
        let hash = s.spawn(|| data::sha256_file(data_path));
        let found = method::run(method, strategy, market, cfg, tick);
        let sha = hash
            .join()
            .unwrap_or_else(|_| Err(Error::output(data_path, "hashing the data failed")));
        (found, sha)
    });
    let found = found?;
    let search = method.search();
    let meta = Meta {
        strategy_name: strategy.name.clone(),
        strategy_file: strategy.path.display().to_string(),
        strategy_sha256: data::sha256_file(&strategy.path)?,
        data_file: data_path.display().to_string(),
        data_sha256: data_sha256?,
        method: search.name().to_string(),
        seed: search.seed(),
        objective: cfg.objective.metric.clone(),
        maximize: cfg.objective.maximize,
        constraints: cfg.constraints.iter().map(|c| c.text.clone()).collect(),
        points: found.points,
        params: strategy.params.iter().map(|p| p.name.clone()).collect(),
        shard: cfg.shard.map(|s| [s.k, s.n]),
        exec: strategy.exec_overrides.clone(),
        pareto: cfg.pareto.clone(),
        overfit: cfg.overfit,
    };
    Ok(Sweep {
        meta,
        trials: found.trials,
        extra: found.extra,
        strategy,
        market,
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
        let objective = super::sweep::Objective {
            metric: self.meta.objective.clone(),
            maximize: self.meta.maximize,
        };
        let space = super::space::Space::of(self.strategy)?;
        let stab = Stability::of(
            &self.meta.method,
            self.meta.shard.is_some(),
            &space,
            &self.trials,
            &objective,
        );
        // The best as the summary ranks it, re-run in full while the
        // statistics and the trial files are computed.
        let order = super::sweep::rank(&self.trials, &objective);
        let best = order
            .first()
            .map(|&i| &self.trials[i])
            .filter(|t| t.feasible);
        let s = self.strategy;
        let (summary, rerun) = rayon::join(
            || -> Result<Value> {
                let summary =
                    output::summary(&self.meta, &self.trials, top, self.extra.clone(), &stab);
                output::write_dir(out_dir, &self.meta, &self.trials, &summary, &stab)?;
                Ok(summary)
            },
            || match (best, self.market) {
                (Some(b), Market::Single(c)) => Some(crate::backtest::run(
                    s,
                    &b.params,
                    &s.execution,
                    c,
                    &ColumnCache::default(),
                )),
                _ => None,
            },
        );
        let summary = summary?;
        let Some(best) = best else {
            return Ok(summary);
        };
        let sha = self.meta.data_sha256.clone();
        let candles = match self.market {
            Market::Single(c) => c,
            Market::Portfolio(u) => {
                let out = crate::portfolio::run(s, &best.params, u)?;
                let j = portfolio_json(s, &self.meta.strategy_sha256, u, &sha, &out, None);
                write_json(&out_dir.join("best_run.json"), &j)?;
                return Ok(summary);
            }
        };
        let out = match rerun {
            Some(out) => out?,
            None => crate::backtest::run(
                s,
                &best.params,
                &s.execution,
                candles,
                &ColumnCache::default(),
            )?,
        };
        let inputs = Inputs {
            strategy: s,
            strategy_sha256: &self.meta.strategy_sha256,
            candles,
            data_sha256: &sha,
            execution: &s.execution,
            benchmark: None,
        };
        if let Some(f) = formats {
            write_folder(&out_dir.join("best"), &report_json(&inputs, &out), f)?;
            if f.html || f.pdf || f.xlsx {
                let nb = match &stab {
                    Stability::Grid { nb, .. } => Some(nb),
                    Stability::Off(_) => None,
                };
                let views: Vec<optimize_page::Trial> = self
                    .trials
                    .iter()
                    .enumerate()
                    .map(|(i, t)| optimize_page::Trial {
                        params: &t.params,
                        metrics: &t.metrics,
                        feasible: t.feasible,
                        neighbourhood_mean: nb.and_then(|nb| nb[i].mean),
                    })
                    .collect();
                if f.html || f.pdf {
                    let doc = optimize_page::document(&summary, &views, &self.meta.params)
                        .map_err(|e| {
                            Error::output(
                                out_dir,
                                format!("rendering the optimization report: {e}"),
                            )
                        })?;
                    write_doc(out_dir, &doc, f)?;
                }
                if f.xlsx {
                    let path = out_dir.join("report.xlsx");
                    let wb =
                        crate::report::xlsx::sweep_workbook(&summary, &views, &self.meta.params)
                            .map_err(|e| Error::output(&path, e))?;
                    crate::report::xlsx::save(&path, wb)?;
                }
            }
        }
        write_json(&out_dir.join("best_run.json"), &run_json(&inputs, &out))?;
        Ok(summary)
    }
}

/// Writes `v` pretty-printed with a final newline, atomically.
fn write_json(path: &Path, v: &Value) -> Result<()> {
    let body = serde_json::to_string_pretty(v).map_err(|e| Error::output(path, e))? + "\n";
    data::write::write_atomic(path, |w| {
        std::io::Write::write_all(w, body.as_bytes()).map_err(|e| e.to_string())
    })
}
