//! The one pipeline: strategy file → (parameters, candles) → model column →
//! compiled plan → columns → signals. `run`, `eval`, `lookahead`,
//! `optimize`, `walkforward`, `check` and `ml` all go through it. It sits
//! above `strategy` and `ml` and joins them: the strategy module owns the
//! `ModelTable` interface, the ml module implements it, and this module
//! hands the one to the other.

pub mod eval;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use crate::data::Candles;
use crate::engine::sparse::Events;
use crate::engine::{EntryKind, EntryOrders, Flags, Signals};
use crate::error::{Error, Result};
use crate::indicators::Bars;
use crate::ml::{self, ModelRun};
use crate::strategy::batch::Batch;
use crate::strategy::file::Compiled;
use crate::strategy::{ColumnCache, Evaluator, Strategy, MODEL_COLUMN};

/// Reads and checks a strategy file, `[model]` table included.
pub fn load(path: &Path) -> Result<Strategy> {
    Strategy::load(path, Some(ml::spec::parse_table))
}

/// Parses and checks a strategy file's text, `[model]` table included.
pub fn parse(text: &str, path: &Path) -> Result<Strategy> {
    Strategy::parse(text, path, Some(ml::spec::parse_table))
}

/// Refuses parameter values that break the strategy's constraint.
pub fn check_constraint(strategy: &Strategy, params: &BTreeMap<String, f64>) -> Result<()> {
    if strategy.constraint_holds(params)? {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "the parameters break the constraint of '{}' ({})",
        strategy.name,
        Strategy::describe_params(params)
    )))
}

/// The strategy's model over `candles` (None without a `[model]`), fitted
/// once per dataset for each resolved model: the memo key is the model's
/// features, label, schedule and hyperparameters with the parameters
/// applied, so a sweep over parameters the model does not read fits it once.
pub fn model(
    strategy: &Strategy,
    params: &BTreeMap<String, f64>,
    candles: &Candles,
    cache: &ColumnCache,
) -> Result<Option<Arc<ModelRun>>> {
    let Some(spec) = ml::spec::of(strategy) else {
        return Ok(None);
    };
    let cm = spec.compile(params, &strategy.source)?;
    let key = format!(
        "{}@{}:{:?}..{:?}",
        cm.key(),
        candles.len(),
        candles.ts.first(),
        candles.ts.last()
    );
    cache
        .memo
        .get_or_make(&key, || ml::fit(&cm, &strategy.path, candles, cache))
        .map(Some)
}

/// A strategy compiled for one parameter set, with the columns computed
/// outside the language that its plan reads.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub compiled: Compiled,
    pub model: Option<Arc<ModelRun>>,
    pub externals: HashMap<String, Arc<Vec<f64>>>,
}

/// Checks the constraint, fits (or finds) the model and compiles the
/// signals. `extra` adds named columns (or replaces the model's).
pub fn prepare(
    strategy: &Strategy,
    params: &BTreeMap<String, f64>,
    candles: &Candles,
    cache: &ColumnCache,
    extra: HashMap<String, Arc<Vec<f64>>>,
) -> Result<Prepared> {
    check_constraint(strategy, params)?;
    let mut externals = extra;
    let model = if externals.contains_key(MODEL_COLUMN) {
        None
    } else {
        model(strategy, params, candles, cache)?
    };
    if let Some(m) = &model {
        externals.insert(MODEL_COLUMN.to_string(), Arc::clone(&m.prob));
    }
    let mut names: Vec<String> = externals.keys().cloned().collect();
    names.sort();
    let compiled = strategy.compile_for(params, &names, Some(candles.spacing_ms))?;
    Ok(Prepared {
        compiled,
        model,
        externals,
    })
}

impl Prepared {
    /// The plan's nodes `ids` as columns over `candles`.
    pub fn columns(
        &self,
        candles: &Candles,
        cache: &ColumnCache,
        ids: &[usize],
    ) -> Vec<Arc<Vec<f64>>> {
        self.evaluator(candles, cache)
            .eval(&self.compiled.plan, ids)
            .into_iter()
            .map(|v| v.to_column(candles.len()))
            .collect()
    }

    /// An evaluator of the plan over `candles`, with this parameter set's
    /// external columns.
    fn evaluator<'a>(&self, candles: &'a Candles, cache: &'a ColumnCache) -> Evaluator<'a> {
        let mut ev = Evaluator::new(Bars::of(candles), &candles.ts, cache);
        ev.externals = self.externals.clone();
        ev
    }

    /// The bars where the four signals fire (long entry, long exit, short
    /// entry, short exit), for the event-driven engine.
    pub fn signal_events(&self, candles: &Candles, cache: &ColumnCache) -> Events {
        let wanted: Vec<(usize, u8)> = self
            .compiled
            .signals
            .iter()
            .filter_map(|(name, id)| {
                Flags::BY_NAME
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, bit)| (*id, *bit))
            })
            .collect();
        let ids: Vec<usize> = wanted.iter().map(|w| w.0).collect();
        let bars = self
            .evaluator(candles, cache)
            .events(&self.compiled.plan, &ids);
        let lists: Vec<(&[u32], u8)> = bars
            .iter()
            .zip(&wanted)
            .map(|(b, w)| (b.as_slice(), w.1))
            .collect();
        Events::merge(&lists)
    }

    /// Adds the crossings among the four signals to `batch`, for a sweep's
    /// stretch to find together before its trials' `signal_events`.
    pub fn batch_crossings<'a>(
        &self,
        candles: &'a Candles,
        cache: &'a ColumnCache,
        batch: &mut Batch<'a>,
    ) {
        let ids: Vec<usize> = self
            .compiled
            .signals
            .iter()
            .filter(|(name, _)| Flags::BY_NAME.iter().any(|(n, _)| n == name))
            .map(|s| s.1)
            .collect();
        batch.add(&self.evaluator(candles, cache), &self.compiled.plan, &ids);
    }

    /// The signal columns, in the strategy's `SIGNALS` order.
    pub fn signal_columns(&self, candles: &Candles, cache: &ColumnCache) -> SignalColumns {
        let ids: Vec<usize> = self.compiled.signals.iter().map(|s| s.1).collect();
        SignalColumns {
            names: self.compiled.signals.iter().map(|s| s.0).collect(),
            columns: self.columns(candles, cache, &ids),
            orders: self.compiled.orders,
        }
    }
}

/// Evaluated entry/exit columns by signal name.
#[derive(Debug, Clone)]
pub struct SignalColumns {
    pub names: Vec<&'static str>,
    pub columns: Vec<Arc<Vec<f64>>>,
    /// The entry orders' kind and expiry (their prices are columns here).
    pub orders: Option<(EntryKind, Option<usize>)>,
}

impl SignalColumns {
    /// The engine's signals from bar `from` on.
    pub fn signals(&self, from: usize) -> Signals<'_> {
        let find = |name: &str| {
            self.names
                .iter()
                .position(|n| *n == name)
                .map(|i| &self.columns[i][from..])
        };
        let mut s = Signals::by_name(find);
        s.orders = self.orders.map(|(kind, expire_bars)| EntryOrders {
            kind,
            limit: find("limit_price"),
            stop: find("stop_price"),
            expire_bars,
        });
        s
    }
}

/// Signals of `strategy` with `params` over `candles`: the whole pipeline.
pub fn signals(
    strategy: &Strategy,
    params: &BTreeMap<String, f64>,
    candles: &Candles,
    cache: &ColumnCache,
) -> Result<(Prepared, SignalColumns)> {
    let p = prepare(strategy, params, candles, cache, HashMap::new())?;
    let cols = p.signal_columns(candles, cache);
    Ok((p, cols))
}
