//! Permutation importance on the out-of-sample windows: how much a
//! feature matters to the model as the drop in ROC AUC when its values are
//! shuffled among each refit's predicted bars (the fitted models and the
//! training rows untouched, refitted identically), seeded, over repeats.

use rayon::prelude::*;
use serde::Serialize;

use super::metrics::roc_auc;
use super::train::predict_permuted;
use super::ModelRun;

/// One feature's importance: the mean and sample spread of the drops.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Importance {
    pub feature: String,
    pub mean: f64,
    pub std: f64,
    pub drops: Vec<f64>,
}

/// The importance of every feature of `run` (`names` in order), most
/// important first; `repeats` shuffles each, seeded by `seed`. Err when a
/// refit fails; the base ROC AUC must be defined.
pub fn permutation(
    run: &ModelRun,
    names: &[String],
    repeats: usize,
    seed: u64,
) -> Result<Vec<Importance>, String> {
    let bars = run.scored_bars();
    let labels: Vec<bool> = bars.iter().map(|&t| run.label[t] != 0.0).collect();
    let auc_of = |prob: &[f64]| {
        let p: Vec<f64> = bars.iter().map(|&t| prob[t]).collect();
        roc_auc(&p, &labels)
    };
    let base = auc_of(&run.prob).ok_or("no ROC AUC out of sample (one class only)")?;
    let features: Vec<&[f64]> = run.features.iter().map(|f| f.as_slice()).collect();
    let jobs: Vec<(usize, usize)> = (0..features.len())
        .flat_map(|j| (0..repeats).map(move |k| (j, k)))
        .collect();
    let drops: Vec<Result<f64, String>> = jobs
        .par_iter()
        .map(|&(j, k)| {
            let s = seed
                .wrapping_mul(1_000_003)
                .wrapping_add((j * 7919 + k) as u64);
            let p = predict_permuted(
                &features,
                &run.label,
                run.label_end.as_deref(),
                &run.schedule,
                &run.config,
                Some((j, s)),
            )?;
            Ok(base - auc_of(&p.prob).unwrap_or(f64::NAN))
        })
        .collect();
    let drops: Vec<f64> = drops.into_iter().collect::<Result<_, _>>()?;
    let mut out: Vec<Importance> = (0..features.len())
        .map(|j| {
            let d = drops[j * repeats..(j + 1) * repeats].to_vec();
            let mean = d.iter().sum::<f64>() / d.len().max(1) as f64;
            let std = if d.len() > 1 {
                (d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (d.len() - 1) as f64).sqrt()
            } else {
                0.0
            };
            Importance {
                feature: names
                    .get(j)
                    .cloned()
                    .unwrap_or_else(|| format!("feature {j}")),
                mean,
                std,
                drops: d,
            }
        })
        .collect();
    out.sort_by(|a, b| b.mean.total_cmp(&a.mean));
    Ok(out)
}
