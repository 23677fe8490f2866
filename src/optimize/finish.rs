//! A sweep end to end for the commands: run a search into a `Sweep` (its
//! identity and trials), then write its folder (trials, meta, summary, the
//! best trial re-run in full, reports). `optimize` and `merge` both end here.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::keep::keep;
use super::market::Market;
use super::method::{self, Method};
use super::output::{self, Meta};
use super::stability::Stability;
use super::store::{Store, Stored};
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
    pub stored: Stored,
    /// Method-specific summary fields (a genetic search's convergence).
    pub extra: Value,
    /// False when `sweep::STOP` cut it short: its checkpoint stays.
    pub complete: bool,
    pub strategy: &'a Strategy,
    pub market: &'a Market,
    pub data_path: &'a Path,
}

/// Where and how a sweep keeps its trials.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The output folder (its `.checkpoint` holds the sweep under way).
    pub out_dir: PathBuf,
    /// Best trials kept whole for the summary.
    pub top: usize,
    /// Continue the checkpoint in `out_dir` instead of starting over.
    pub resume: bool,
    /// PBO over this many sampled trials instead of all.
    pub pbo_sample: Option<usize>,
    /// The sweep's points (`Search::points`), counted once by the caller.
    pub points: usize,
}

/// The default output folder: `reports/<strategy>_<method>[_shard_k_of_n]`.
pub fn default_dir(strategy: &Strategy, method: &Method, cfg: &Config) -> PathBuf {
    let mut name = format!("{}_{}", strategy.name, method.name());
    if let Some(s) = cfg.shard {
        name.push_str(&format!("_shard_{}_of_{}", s.k, s.n));
    }
    Path::new("reports").join(name)
}

/// Runs `method` over `market` (this shard's points, or all), streaming its
/// trials into `plan.out_dir`'s checkpoint, or continuing the one there.
pub fn run<'a>(
    strategy: &'a Strategy,
    market: &'a Market,
    data_path: &'a Path,
    method: &Method,
    cfg: &Config,
    plan: &Plan,
    tick: &(dyn Fn() + Sync),
) -> Result<Sweep<'a>> {
    let search = method.search();
    let mut meta = Meta {
        strategy_name: strategy.name.clone(),
        strategy_file: strategy.path.display().to_string(),
        strategy_sha256: data::sha256_file(&strategy.path)?,
        data_file: data_path.display().to_string(),
        data_sha256: String::new(),
        method: search.name().to_string(),
        seed: search.seed(),
        objective: cfg.objective.metric.clone(),
        maximize: cfg.objective.maximize,
        constraints: cfg.constraints.iter().map(|c| c.text.clone()).collect(),
        points: plan.points,
        params: strategy.params.iter().map(|p| p.name.clone()).collect(),
        shard: cfg.shard.map(|s| [s.k, s.n]),
        exec: strategy.exec_overrides.clone(),
        pareto: cfg.pareto.clone(),
        overfit: cfg.overfit,
        pbo_sample: plan.pbo_sample.filter(|_| cfg.overfit),
    };
    let keep = keep(&meta)?;
    // A grid's or random sweep's rows (a genetic search's are far fewer).
    let planned = if meta.method == "genetic" {
        0
    } else {
        super::sweep::owned(cfg, meta.points)
    };
    let (found, stored) = if plan.resume {
        meta.data_sha256 = data::sha256_file(data_path)?;
        let mut store = Store::resume(&plan.out_dir, meta.clone(), plan.top, keep)?;
        store.reserve(planned.saturating_sub(super::table::Trials::len(&store.table)));
        let top = store
            .top_wanted()
            .into_iter()
            .map(|i| {
                let params = store.table.point(i);
                let out = market.trial(strategy, &params, &ColumnCache::default())?;
                Ok(Trial {
                    index: super::table::Trials::index(&store.table, i),
                    params,
                    metrics: out.metrics,
                    feasible: true,
                    blocks: Default::default(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        store.set_top(top);
        let found = method::run(method, strategy, market, cfg, tick, &mut store)?;
        (found, store.finish()?)
    } else {
        // The data's hash (a 60 MB file: tens of milliseconds) beside the
        // trials, on a thread of its own; the first checkpoint waits for it.
        let (tx, rx) = std::sync::mpsc::channel();
        let mut store = Store::create(&plan.out_dir, meta.clone(), plan.top, keep, rx)?;
        store.reserve(planned);
        let found = std::thread::scope(|s| {
            s.spawn(move || {
                let _ = tx.send(data::sha256_file(data_path));
            });
            method::run(method, strategy, market, cfg, tick, &mut store)
        })?;
        let stored = store.finish()?;
        (found, stored)
    };
    meta.data_sha256 = stored.data_sha256.clone();
    if meta.method == "genetic" {
        meta.points = found.points;
    }
    Ok(Sweep {
        meta,
        stored,
        extra: found.extra,
        complete: !super::sweep::stopped(),
        strategy,
        market,
        data_path,
    })
}

/// The sweep of merged shards (`shards[k - 1]` is shard k's folder, each
/// checked already): their trials streamed in sweep order into `out_dir`'s
/// checkpoint as a run's would be, a row from each shard in turn.
pub fn merged<'a>(
    meta: Meta,
    shards: &[PathBuf],
    out_dir: &Path,
    top: usize,
    strategy: &'a Strategy,
    market: &'a Market,
    data_path: &'a Path,
) -> Result<Sweep<'a>> {
    let (tx, rx) = std::sync::mpsc::channel();
    let _ = tx.send(Ok(meta.data_sha256.clone()));
    let mut store = Store::create(out_dir, meta.clone(), top, keep(&meta)?, rx)?;
    store.reserve(meta.points);
    let streamed = (|| -> Result<()> {
        let mut folders = shards
            .iter()
            .map(|d| super::read::Folder::open(d))
            .collect::<Result<Vec<_>>>()?;
        let mut chunk = Vec::with_capacity(4096);
        for i in 0..meta.points {
            let f = &mut folders[i % shards.len()];
            let t = f.next_trial()?.filter(|t| t.index == i).ok_or_else(|| {
                Error::input(
                    &shards[i % shards.len()].join("trials.csv"),
                    crate::error::Location::File,
                    format!("trial {i} is missing"),
                )
            })?;
            chunk.push(t);
            if chunk.len() == 4096 || i + 1 == meta.points {
                super::search::Sink::take(&mut store, std::mem::take(&mut chunk), true)?;
            }
        }
        Ok(())
    })();
    if let Err(e) = streamed {
        let _ = std::fs::remove_dir_all(super::checkpoint::folder(out_dir));
        return Err(e);
    }
    Ok(Sweep {
        meta,
        stored: store.finish()?,
        extra: serde_json::json!({}),
        complete: true,
        strategy,
        market,
        data_path,
    })
}

impl Sweep<'_> {
    /// Computes the statistics, writes the folder (the best trial re-run
    /// in full as best_run.json, and reports when asked), removes the
    /// checkpoint of a complete sweep, and returns the summary (best.json).
    pub fn write(&self, out_dir: &Path, top: usize, formats: Option<Formats>) -> Result<Value> {
        let objective = super::sweep::Objective {
            metric: self.meta.objective.clone(),
            maximize: self.meta.maximize,
        };
        let space = super::space::Space::of(self.strategy)?;
        let table = &self.stored.table;
        let stab = Stability::of(
            &self.meta.method,
            self.meta.shard.is_some(),
            &space,
            table,
            &objective,
        );
        // The best, re-run in full while the statistics and the trial files
        // are computed.
        let best = self.stored.top.first();
        let s = self.strategy;
        let parts = output::Parts {
            table,
            top: &self.stored.top,
            blocks: &self.stored.blocks,
        };
        let (summary, rerun) = rayon::join(
            || -> Result<Value> {
                let summary = output::summary(&self.meta, &parts, top, self.extra.clone(), &stab);
                output::write_dir(
                    out_dir,
                    &self.meta,
                    &self.stored.dir,
                    &summary,
                    &stab,
                    self.complete,
                )?;
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
        if self.complete {
            let _ = std::fs::remove_dir_all(&self.stored.dir);
        }
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
                // The reports show every trial: read back from trials.csv.
                let trials = super::read::read_trials(&out_dir.join("trials.csv"), &self.meta)?;
                let views: Vec<optimize_page::Trial> = trials
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
