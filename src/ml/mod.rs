//! ML signals: a strategy's `[model]` turned into the `model` column (the
//! out-of-sample probability of its label, trained walk-forward with
//! purging), plus its classification metrics and calibration.

pub mod abtest;
pub mod compare;
pub mod forest;
pub mod importance;
pub mod metrics;
pub mod models;
pub mod monitor;
pub mod spec;
pub mod train;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{json, Value};

use crate::data::Candles;
use crate::error::{Error, Result};
use crate::indicators::Bars;
use crate::strategy::{ColumnCache, Evaluator, Strategy};
use metrics::{calibration, classify, Bin, Classification};
use models::ModelConfig;
use train::Schedule;

/// The name signals use for the predictions.
pub use crate::strategy::MODEL_COLUMN as COLUMN;

/// A model's walk-forward predictions over one dataset, with its labels.
#[derive(Debug, Clone)]
pub struct ModelRun {
    pub config: ModelConfig,
    pub schedule: Schedule,
    /// P(label) per bar, NaN before the first fit.
    pub prob: Arc<Vec<f64>>,
    /// The label per bar (0/1); known only where t + horizon < bars.
    pub label: Vec<f64>,
    /// Bars at which a model was fitted.
    pub retrains: Vec<usize>,
    /// The first bar where every feature is defined.
    pub first_valid: Option<usize>,
    /// The feature columns, as the model saw them before standardizing.
    pub features: Vec<Arc<Vec<f64>>>,
    /// A triple-barrier label's bars until decided (`CompiledModel::label_end`).
    pub label_end: Option<Vec<f64>>,
}

impl ModelRun {
    /// Why no model was ever fitted (too little data), or None.
    pub fn never_fitted(&self) -> Option<String> {
        if !self.retrains.is_empty() {
            return None;
        }
        let n = self.label.len();
        Some(match self.first_valid {
            None => format!("the model was never fitted: its features are never all defined in these {n} bars"),
            Some(first) => format!(
                "the model was never fitted: the first fit needs bar {} (features from bar {first} + horizon {} + train_bars {}), and the data has {n} bars",
                first + self.schedule.horizon + self.schedule.train_bars,
                self.schedule.horizon,
                self.schedule.train_bars
            ),
        })
    }

    /// The bars with a prediction and a known label.
    pub fn scored_bars(&self) -> Vec<usize> {
        let n = self.label.len();
        (0..n)
            .filter(|&t| {
                self.prob[t].is_finite()
                    && t + self.schedule.horizon < n
                    && self.label[t].is_finite()
            })
            .collect()
    }

    /// Predictions and labels on `bars`.
    fn scored_on(&self, bars: &[usize]) -> (Vec<f64>, Vec<bool>) {
        bars.iter()
            .map(|&t| (self.prob[t], self.label[t] != 0.0))
            .unzip()
    }

    /// Classification metrics on `bars` (None without any).
    pub fn classification_on(&self, bars: &[usize]) -> Option<Classification> {
        let (p, y) = self.scored_on(bars);
        classify(&p, &y)
    }

    /// Out-of-sample classification metrics (None before any prediction).
    pub fn classification(&self) -> Option<Classification> {
        self.classification_on(&self.scored_bars())
    }

    pub fn calibration(&self) -> Vec<Bin> {
        if self.predicts_value() {
            return Vec::new();
        }
        let (p, y) = self.scored_on(&self.scored_bars());
        calibration(&p, &y)
    }

    /// The model's settings and classification metrics as JSON (what
    /// `run --json` and `ml evaluate --json` print under `model`).
    pub fn summary_json(&self) -> Value {
        let linear = self.config.kind == models::Kind::Linear;
        let c = if linear { None } else { self.classification() };
        let mut v = json!({
            "kind": self.config.kind,
            "hyperparameters": self.config.hypers(),
            "horizon": self.schedule.horizon,
            "train_bars": self.schedule.train_bars,
            "retrain_every": self.schedule.retrain_every,
            "fits": self.retrains.len(),
            "first_prediction_bar": self.retrains.first(),
            "classification": c.map(|c| serde_json::to_value(c).unwrap_or(Value::Null)),
        });
        if linear {
            v["regression"] = self.regression();
        }
        v
    }

    /// Whether the model predicts a value (a linear model), not a probability.
    pub fn predicts_value(&self) -> bool {
        self.config.kind == models::Kind::Linear
    }

    /// A linear model's out-of-sample fit: rows, RMSE, MAE, R² (1 − SSE/SST)
    /// and the correlation of prediction and label.
    pub fn regression(&self) -> Value {
        let bars = self.scored_bars();
        let (p, y): (Vec<f64>, Vec<f64>) =
            bars.iter().map(|&t| (self.prob[t], self.label[t])).unzip();
        let n = p.len() as f64;
        if p.len() < 2 {
            return json!({ "rows": p.len() });
        }
        let my = y.iter().sum::<f64>() / n;
        let mp = p.iter().sum::<f64>() / n;
        let sse: f64 = p.iter().zip(&y).map(|(a, b)| (a - b).powi(2)).sum();
        let sst: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
        let spp: f64 = p.iter().map(|a| (a - mp).powi(2)).sum();
        let spy: f64 = p.iter().zip(&y).map(|(a, b)| (a - mp) * (b - my)).sum();
        let num = |x: f64| if x.is_finite() { json!(x) } else { Value::Null };
        json!({
            "rows": p.len(),
            "rmse": num((sse / n).sqrt()),
            "mae": num(p.iter().zip(&y).map(|(a, b)| (a - b).abs()).sum::<f64>() / n),
            "r2": num(1.0 - sse / sst),
            "correlation": num(spy / (spp * sst).sqrt()),
        })
    }
}

/// Trains and predicts a strategy's model over `candles` (None without a
/// `[model]`). Feature and label columns go through the shared cache. Not
/// memoized: `tradelab::pipeline::model` is the memoized entry.
pub fn run(
    strategy: &Strategy,
    params: &BTreeMap<String, f64>,
    candles: &Candles,
    cache: &ColumnCache,
) -> Result<Option<ModelRun>> {
    let Some(spec) = spec::of(strategy) else {
        return Ok(None);
    };
    let cm = spec.compile(params, &strategy.source)?;
    fit(&cm, &strategy.path, candles, cache).map(Some)
}

/// Trains and predicts a compiled model over `candles`.
pub fn fit(
    cm: &spec::CompiledModel,
    file: &std::path::Path,
    candles: &Candles,
    cache: &ColumnCache,
) -> Result<ModelRun> {
    let n = candles.len();
    let ev = Evaluator::new(Bars::of(candles), &candles.ts, cache);
    let mut ids = cm.features.clone();
    ids.push(cm.label);
    ids.extend(cm.label_end);
    let cols: Vec<Arc<Vec<f64>>> = ev
        .eval(&cm.plan, &ids)
        .into_iter()
        .map(|v| v.to_column(n))
        .collect();
    let k = cm.features.len();
    let features: Vec<&[f64]> = cols[..k].iter().map(|c| c.as_slice()).collect();
    let schedule = Schedule {
        horizon: cm.horizon,
        train_bars: cm.train_bars,
        retrain_every: cm.retrain_every,
    };
    let label_end = cm.label_end.map(|_| cols[k + 1].to_vec());
    let pred = train::predict(
        &features,
        &cols[k],
        label_end.as_deref(),
        &schedule,
        &cm.config,
    )
    .map_err(|e| Error::Usage(format!("{}: [model]: {e}", file.display())))?;
    Ok(ModelRun {
        config: cm.config.clone(),
        schedule,
        prob: Arc::new(pred.prob),
        label: cols[k].to_vec(),
        retrains: pred.retrains,
        first_valid: pred.first_valid,
        features: cols[..k].to_vec(),
        label_end,
    })
}
