//! Purged walk-forward training: the model used at bar t was fitted on the
//! last `train_bars` rows whose labels were fully known before t (row i is
//! usable when i + horizon ≤ r − 1 for the retrain bar r ≤ t), standardized
//! with that window's mean and deviation only, and refitted every
//! `retrain_every` bars. Before the first fit the prediction is NaN.

use ndarray::Array2;
use rayon::prelude::*;

use super::models::{fit_predict, ModelConfig};

/// When models are fitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub horizon: usize,
    pub train_bars: usize,
    pub retrain_every: usize,
}

/// The model column and the bars at which a model was fitted.
#[derive(Debug, Clone, Default)]
pub struct Prediction {
    pub prob: Vec<f64>,
    pub retrains: Vec<usize>,
    /// The first bar where every feature is defined.
    pub first_valid: Option<usize>,
}

impl Schedule {
    /// The retrain bars for `n` bars whose features are all finite from
    /// `first` on. Depends only on bars before each retrain, so cutting
    /// the data never moves one.
    pub fn retrains(&self, first: usize, n: usize) -> Vec<usize> {
        let r0 = first + self.horizon + self.train_bars;
        (r0..n).step_by(self.retrain_every.max(1)).collect()
    }

    /// The training rows of the model fitted at bar `r`.
    pub fn window(&self, r: usize) -> std::ops::Range<usize> {
        let end = r - self.horizon; // rows ≤ r − 1 − horizon
        end - self.train_bars..end
    }
}

/// Fits and predicts walk-forward. `features` are columns of equal length,
/// `label` is 0/1 per bar (meaningful where known).
pub fn predict(
    features: &[&[f64]],
    label: &[f64],
    label_end: Option<&[f64]>,
    schedule: &Schedule,
    config: &ModelConfig,
) -> Result<Prediction, String> {
    predict_permuted(features, label, label_end, schedule, config, None)
}

/// `predict`, with feature `j`'s values shuffled among each refit's
/// predicted bars (seeded by `seed` and the refit bar), for permutation
/// importance; the training rows are not touched.
pub fn predict_permuted(
    features: &[&[f64]],
    label: &[f64],
    label_end: Option<&[f64]>,
    schedule: &Schedule,
    config: &ModelConfig,
    permute: Option<(usize, u64)>,
) -> Result<Prediction, String> {
    let n = label.len();
    let valid = |i: usize| features.iter().all(|f| f[i].is_finite());
    let mut prob = vec![f64::NAN; n];
    let Some(first) = (0..n).find(|&i| valid(i)) else {
        return Ok(Prediction {
            prob,
            retrains: Vec::new(),
            first_valid: None,
        });
    };
    let retrains = schedule.retrains(first, n);
    let blocks: Vec<Result<Vec<f64>, String>> = retrains
        .par_iter()
        .map(|&r| {
            // A row trains only with a known label (a triple barrier the
            // data ended before resolving is NaN).
            let window = schedule.window(r);
            let mut rows: Vec<usize> = window
                .clone()
                .filter(|&i| valid(i) && label[i].is_finite())
                .collect();
            // A triple barrier decided before r (touched early) is known:
            // the rows after the window whose label ended by bar r − 1 train too.
            if let Some(end) = label_end {
                rows.extend((window.end..r).filter(|&i| {
                    valid(i)
                        && label[i].is_finite()
                        && end[i].is_finite()
                        && i + (end[i] as usize) < r
                }));
            }
            let until = (r + schedule.retrain_every).min(n);
            let shuffle =
                permute.map(|(j, seed)| (j, seed ^ (r as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)));
            fit_block(features, label, &rows, r..until, config, shuffle)
                .map_err(|e| format!("the model fitted at bar {r}: {e}"))
        })
        .collect();
    for (&r, block) in retrains.iter().zip(blocks) {
        for (k, p) in block?.into_iter().enumerate() {
            prob[r + k] = p;
        }
    }
    Ok(Prediction {
        prob,
        retrains,
        first_valid: Some(first),
    })
}

/// Standardizes with the training rows' statistics, fits, and predicts the
/// bars of `out` (NaN where a feature is missing).
fn fit_block(
    features: &[&[f64]],
    label: &[f64],
    rows: &[usize],
    out: std::ops::Range<usize>,
    config: &ModelConfig,
    shuffle: Option<(usize, u64)>,
) -> Result<Vec<f64>, String> {
    let k = features.len();
    let y: Vec<bool> = rows.iter().map(|&i| label[i] != 0.0).collect();
    let positives = y.iter().filter(|&&b| b).count();
    if rows.is_empty() {
        return Ok(vec![f64::NAN; out.len()]);
    }
    let regression = config.kind == super::models::Kind::Linear;
    if !regression && (positives == 0 || positives == y.len()) {
        // One class only: the model can only say what it saw.
        let p = positives as f64 / y.len() as f64;
        return Ok(out
            .map(|t| if valid_at(features, t) { p } else { f64::NAN })
            .collect());
    }
    let m = rows.len() as f64;
    let stats: Vec<(f64, f64)> = features
        .iter()
        .map(|f| {
            let mean = rows.iter().map(|&i| f[i]).sum::<f64>() / m;
            let var = rows.iter().map(|&i| (f[i] - mean).powi(2)).sum::<f64>() / m;
            let sd = var.sqrt();
            (mean, if sd > 0.0 && sd.is_finite() { sd } else { 1.0 })
        })
        .collect();
    let z = |i: usize, j: usize| (features[j][i] - stats[j].0) / stats[j].1;
    let x = Array2::from_shape_fn((rows.len(), k), |(r, j)| z(rows[r], j));
    let bars: Vec<usize> = out.clone().filter(|&t| valid_at(features, t)).collect();
    // Permutation importance: feature `pj` read from a shuffled bar.
    let mut from: Vec<usize> = (0..bars.len()).collect();
    let pj = shuffle.map(|(j, seed)| {
        let mut rng = crate::data::synth::SplitMix64::new(seed);
        for i in (1..from.len()).rev() {
            from.swap(i, rng.below(i + 1));
        }
        j
    });
    let test = Array2::from_shape_fn((bars.len(), k), |(r, j)| {
        let row = if Some(j) == pj { from[r] } else { r };
        z(bars[row], j)
    });
    let p = if bars.is_empty() {
        Vec::new()
    } else if regression {
        let target: Vec<f64> = rows.iter().map(|&i| label[i]).collect();
        super::models::fit_predict_value(x, &target, &test)?
    } else {
        fit_predict(config, x, &y, &test)?
    };
    let mut result = vec![f64::NAN; out.len()];
    for (t, p) in bars.iter().zip(p) {
        result[t - out.start] = p;
    }
    Ok(result)
}

fn valid_at(features: &[&[f64]], t: usize) -> bool {
    features.iter().all(|f| f[t].is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ml::models::Kind;

    #[test]
    fn the_schedule_is_purged() {
        let s = Schedule {
            horizon: 5,
            train_bars: 100,
            retrain_every: 50,
        };
        // Features valid from bar 10: the first fit needs rows 10..110 whose
        // labels (reading 5 bars ahead) are known before bar 115.
        assert_eq!(s.retrains(10, 300), vec![115, 165, 215, 265]);
        assert_eq!(s.window(115), 10..110);
        // Row 109 reads bar 114 = r − 1: known at r.
        let last = s.window(115).end - 1;
        assert_eq!(last + s.horizon, 115 - 1);
    }

    /// A triple barrier decided early is known before the horizon: the refit
    /// at 25 (horizon 5, 20 training rows 0..20) also trains on rows 20–23,
    /// whose labels ended one bar later (by bar 24 = r − 1); row 24's ends at
    /// 25, not yet known. Without the ends, the window's one class (all 0)
    /// predicts 0; with them the 1s of rows 20–23 are learned.
    #[test]
    fn rows_whose_barrier_ended_before_the_refit_train() {
        let n = 40;
        let f: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let label: Vec<f64> = (0..n).map(|i| f64::from(u8::from(i >= 20))).collect();
        let end = vec![1.0; n];
        let s = Schedule {
            horizon: 5,
            train_bars: 20,
            retrain_every: 100,
        };
        let cfg = ModelConfig::new(Kind::Logistic);
        let without = predict(&[&f], &label, None, &s, &cfg).unwrap();
        let with = predict(&[&f], &label, Some(&end), &s, &cfg).unwrap();
        assert_eq!(without.retrains, vec![25]);
        assert_eq!(without.prob[25], 0.0);
        assert!(with.prob[25] > 0.5, "{}", with.prob[25]);
    }

    #[test]
    fn a_label_that_is_a_function_of_the_feature_is_learned() {
        // Feature: a deterministic wave; label: feature > 0 (horizon 0).
        let n = 600;
        let f: Vec<f64> = (0..n)
            .map(|i| ((i as f64) * 0.37).sin() + 0.1 * ((i * 13 % 7) as f64 - 3.0))
            .collect();
        let label: Vec<f64> = f.iter().map(|&v| f64::from(u8::from(v > 0.0))).collect();
        let s = Schedule {
            horizon: 0,
            train_bars: 200,
            retrain_every: 50,
        };
        for kind in [
            Kind::Logistic,
            Kind::DecisionTree,
            Kind::NaiveBayes,
            Kind::RandomForest,
        ] {
            let p = predict(&[&f], &label, None, &s, &ModelConfig::new(kind)).unwrap();
            assert!(p.prob[..200].iter().all(|v| v.is_nan()));
            let scored: Vec<(f64, f64)> = p
                .prob
                .iter()
                .zip(&label)
                .filter(|(p, _)| p.is_finite())
                .map(|(&p, &l)| (p, l))
                .collect();
            assert_eq!(scored.len(), 400);
            let right = scored
                .iter()
                .filter(|(p, l)| (*p > 0.5) == (*l == 1.0))
                .count();
            // A threshold on one feature: at least 95 % out of sample.
            assert!(right >= 380, "{kind:?}: {right}/400");
        }
    }
}
