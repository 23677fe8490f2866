//! Whether one model is really better than another: McNemar's test on the
//! bars where exactly one of them is right, DeLong's test for the
//! difference of their ROC AUCs, and a block-bootstrap confidence interval
//! for the difference of their strategies' Sharpe ratios.

use serde::Serialize;

use crate::data::synth::SplitMix64;
use crate::metrics::special::erfc;

/// A model predicts true when its probability is at least this (the A/B
/// tests' rule).
pub const CUT: f64 = 0.5;

/// McNemar's test: `b` bars where only A is right, `c` where only B is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct McNemar {
    pub b: usize,
    pub c: usize,
    pub p_value: f64,
    /// Exact binomial (b + c < 25), else χ² with continuity correction.
    pub exact: bool,
}

/// ln C(n, k).
fn ln_choose(n: usize, k: usize) -> f64 {
    let lf = |m: usize| (1..=m).map(|i| (i as f64).ln()).sum::<f64>();
    lf(n) - lf(k) - lf(n - k)
}

/// McNemar's test of A's and B's correct/incorrect predictions.
pub fn mcnemar(a_right: &[bool], b_right: &[bool]) -> McNemar {
    let b = a_right
        .iter()
        .zip(b_right)
        .filter(|(a, b)| **a && !**b)
        .count();
    let c = a_right
        .iter()
        .zip(b_right)
        .filter(|(a, b)| !**a && **b)
        .count();
    let n = b + c;
    if n == 0 {
        return McNemar {
            b,
            c,
            p_value: 1.0,
            exact: true,
        };
    }
    if n < 25 {
        // Two-sided exact binomial: 2 · P(X ≤ min(b, c)), X ~ Bin(n, 1/2).
        let tail: f64 = (0..=b.min(c))
            .map(|k| (ln_choose(n, k) - n as f64 * std::f64::consts::LN_2).exp())
            .sum();
        return McNemar {
            b,
            c,
            p_value: (2.0 * tail).min(1.0),
            exact: true,
        };
    }
    let d = (b as f64 - c as f64).abs() - 1.0;
    let chi2 = d.max(0.0).powi(2) / n as f64;
    // The χ²(1) survival function: erfc(√(χ²/2)).
    McNemar {
        b,
        c,
        p_value: erfc((chi2 / 2.0).sqrt()),
        exact: false,
    }
}

/// DeLong's test of two correlated ROC AUCs on the same rows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DeLong {
    pub auc_a: f64,
    pub auc_b: f64,
    pub z: f64,
    pub p_value: f64,
}

/// DeLong, DeLong & Clarke-Pearson (1988): the AUCs' structural components
/// over the positives and negatives, their covariance, and a two-sided z
/// test of the difference. None with one class only.
pub fn delong(pa: &[f64], pb: &[f64], y: &[bool]) -> Option<DeLong> {
    let pos: Vec<usize> = (0..y.len()).filter(|&i| y[i]).collect();
    let neg: Vec<usize> = (0..y.len()).filter(|&i| !y[i]).collect();
    let (m, n) = (pos.len(), neg.len());
    if m < 2 || n < 2 {
        return None;
    }
    let psi = |x: f64, z: f64| {
        if x > z {
            1.0
        } else if x == z {
            0.5
        } else {
            0.0
        }
    };
    // V10[r][i]: positive i's share of negatives below it; V01[r][j] alike.
    let comps = |p: &[f64]| {
        let v10: Vec<f64> = pos
            .iter()
            .map(|&i| neg.iter().map(|&j| psi(p[i], p[j])).sum::<f64>() / n as f64)
            .collect();
        let v01: Vec<f64> = neg
            .iter()
            .map(|&j| pos.iter().map(|&i| psi(p[i], p[j])).sum::<f64>() / m as f64)
            .collect();
        (v10, v01)
    };
    let (a10, a01) = comps(pa);
    let (b10, b01) = comps(pb);
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let cov = |x: &[f64], z: &[f64]| {
        let (mx, mz) = (mean(x), mean(z));
        x.iter()
            .zip(z)
            .map(|(a, b)| (a - mx) * (b - mz))
            .sum::<f64>()
            / (x.len() - 1) as f64
    };
    let (auc_a, auc_b) = (mean(&a10), mean(&b10));
    let var = (cov(&a10, &a10) + cov(&b10, &b10) - 2.0 * cov(&a10, &b10)) / m as f64
        + (cov(&a01, &a01) + cov(&b01, &b01) - 2.0 * cov(&a01, &b01)) / n as f64;
    let (z, p_value) = if var > 0.0 {
        let z = (auc_b - auc_a) / var.sqrt();
        (z, erfc(z.abs() / std::f64::consts::SQRT_2))
    } else {
        (0.0, 1.0)
    };
    Some(DeLong {
        auc_a,
        auc_b,
        z,
        p_value,
    })
}

/// The difference of two Sharpe ratios (B − A) and its bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SharpeDiff {
    pub difference: f64,
    pub low: f64,
    pub high: f64,
    /// Resamples, block length, confidence and seed.
    pub resamples: usize,
    pub block: usize,
    pub confidence: f64,
    pub seed: u64,
}

/// The Sharpe ratio of `r` (annualized with `ann`), or NaN.
fn sharpe(r: &[f64], ann: f64) -> f64 {
    crate::metrics::risk::sharpe(r, ann).unwrap_or(f64::NAN)
}

/// B's Sharpe minus A's on the same periods, with a circular block
/// bootstrap of the paired periods (blocks of ⌈√n⌉) for its `confidence`
/// interval (percentiles). None with fewer than 4 periods.
pub fn sharpe_difference(
    ra: &[f64],
    rb: &[f64],
    ann: f64,
    resamples: usize,
    confidence: f64,
    seed: u64,
) -> Option<SharpeDiff> {
    let n = ra.len().min(rb.len());
    if n < 4 {
        return None;
    }
    let block = (n as f64).sqrt().ceil() as usize;
    let mut rng = SplitMix64::new(seed);
    let (mut xa, mut xb) = (vec![0.0; n], vec![0.0; n]);
    let mut diffs: Vec<f64> = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        let mut k = 0;
        while k < n {
            let start = rng.below(n);
            for j in 0..block.min(n - k) {
                let t = (start + j) % n;
                xa[k] = ra[t];
                xb[k] = rb[t];
                k += 1;
            }
        }
        let d = sharpe(&xb, ann) - sharpe(&xa, ann);
        if d.is_finite() {
            diffs.push(d);
        }
    }
    diffs.sort_unstable_by(f64::total_cmp);
    let q = |p: f64| crate::metrics::risk::percentile(&diffs, p).unwrap_or(f64::NAN);
    let tail = (1.0 - confidence) / 2.0 * 100.0;
    Some(SharpeDiff {
        difference: sharpe(&rb[..n], ann) - sharpe(&ra[..n], ann),
        low: q(tail),
        high: q(100.0 - tail),
        resamples,
        block,
        confidence,
        seed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mcnemar_exact_and_chi_squared() {
        // b = 1, c = 6 (n = 7 < 25): 2·(C(7,0) + C(7,1))/2⁷ = 2·8/128 = 0.125
        // (scipy.stats.binomtest(1, 7, 0.5).pvalue = 0.125).
        let a = [true, false, false, false, false, false, false, true];
        let b = [false, true, true, true, true, true, true, true];
        let t = mcnemar(&a, &b);
        assert_eq!((t.b, t.c, t.exact), (1, 6, true));
        assert!((t.p_value - 0.125).abs() < 1e-15);
        // b = 10, c = 25 (n = 35): χ² = (15 − 1)²/35 = 5.6;
        // scipy.stats.chi2.sf(5.6, 1) = 0.01796047752607879.
        let a: Vec<bool> = (0..35).map(|i| i < 10).collect();
        let b: Vec<bool> = (0..35).map(|i| i >= 10).collect();
        let t = mcnemar(&a, &b);
        assert!(!t.exact);
        assert!(
            (t.p_value - 0.017_960_477_526_078_79).abs() < 1e-12,
            "{}",
            t.p_value
        );
        assert_eq!(mcnemar(&[true], &[true]).p_value, 1.0);
    }

    #[test]
    fn delong_by_hand() {
        // Positives p_a (0.9, 0.8, 0.4), negatives (0.3, 0.5); B reversed on
        // one pair. V10_a = (1, 1, 0.5), V01_a = (0, 1/3): AUC_a = 5/6.
        let y = [true, true, true, false, false];
        let pa = [0.9, 0.8, 0.4, 0.3, 0.5];
        let pb = [0.9, 0.2, 0.4, 0.3, 0.5];
        let d = delong(&pa, &pb, &y).unwrap();
        assert!((d.auc_a - 5.0 / 6.0).abs() < 1e-15);
        // B: V10_b = (1, 0, 0.5): AUC_b = 0.5. Var(V10_a − V10_b) over
        // (0, 1, 0) = 1/3, over m = 3: 1/9; V01_a = (0, 1/3)... as shares of
        // positives above: a (1, 2/3), b (2/3, 1/3), differences (1/3, 1/3)
        // with variance 0. z = (0.5 − 5/6)/√(1/9) = −1, p = erfc(1/√2) =
        // 0.31731050786291415 (the Python DeLong in delong_matches_numpy).
        assert!((d.z + 1.0).abs() < 1e-12, "{}", d.z);
        assert!((d.p_value - 0.317_310_507_862_914_15).abs() < 1e-12);
        assert_eq!(delong(&pa, &pb, &[true; 5]), None);
    }

    /// 40 rows drawn with numpy (default_rng(3)); expected from a numpy
    /// DeLong (structural components, np.cov) and scipy's norm.sf:
    /// AUC_a 0.9197994987468671, AUC_b 0.819548872180451,
    /// z −1.2707772389886616, p 0.2038079082796418.
    #[test]
    fn delong_matches_numpy() {
        let y: Vec<bool> = [
            1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1, 0, 0, 0, 1, 0, 0, 1, 1, 0, 1, 1, 0, 0, 1, 0, 1,
            0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1,
        ]
        .iter()
        .map(|&v| v == 1)
        .collect();
        let pa = [
            0.715, 0.629, 0.341, 0.41, 0.514, 0.679, 0.739, 0.351, 0.425, 0.497, 0.54, 0.073,
            0.649, 0.146, 0.436, 0.138, 0.581, 0.2, 0.306, 0.398, 0.39, 0.373, 0.676, 0.583, 0.461,
            0.103, 0.725, 0.084, 0.782, 0.312, 0.603, 0.785, 0.394, 0.395, 0.327, 0.185, 0.342,
            0.097, 0.107, 0.729,
        ];
        let pb = [
            0.276, 0.378, 0.296, 0.51, 0.779, 0.625, 0.328, 0.527, 0.424, 0.231, 0.608, 0.221,
            0.554, 0.402, 0.401, 0.314, 0.533, 0.119, 0.297, 0.275, 0.488, 0.322, 0.664, 0.436,
            0.012, 0.317, 0.323, 0.445, 0.433, 0.228, 0.746, 0.436, 0.209, 0.209, 0.488, 0.056,
            0.528, 0.553, 0.338, 0.646,
        ];
        let d = delong(&pa, &pb, &y).unwrap();
        assert!((d.auc_a - 0.919_799_498_746_867_1).abs() < 1e-12);
        assert!((d.auc_b - 0.819_548_872_180_451).abs() < 1e-12);
        assert!((d.z + 1.270_777_238_988_661_6).abs() < 1e-9, "{}", d.z);
        assert!((d.p_value - 0.203_807_908_279_641_8).abs() < 1e-9);
    }

    #[test]
    fn sharpe_difference_is_seeded() {
        let ra: Vec<f64> = (0..100)
            .map(|i| ((i * 37) % 11) as f64 / 1000.0 - 0.004)
            .collect();
        let rb: Vec<f64> = ra.iter().map(|x| x + 0.001).collect();
        let a = sharpe_difference(&ra, &rb, 252.0, 500, 0.95, 7).unwrap();
        assert_eq!(a, sharpe_difference(&ra, &rb, 252.0, 500, 0.95, 7).unwrap());
        assert_eq!(a.block, 10);
        // B is A plus a constant: its Sharpe is higher in every resample.
        assert!(
            a.difference > 0.0 && a.low > 0.0 && a.low <= a.difference && a.difference <= a.high
        );
    }
}

/// Every A/B test of two model strategies, with the verdicts in words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tests {
    pub alpha: f64,
    pub rows: usize,
    pub mcnemar: McNemar,
    /// None when the two models predict different labels, or one class only.
    pub delong: Option<DeLong>,
    pub sharpe: Option<SharpeDiff>,
    pub verdicts: Vec<String>,
}

/// The tests on the bars both models scored (`bars`), each model's
/// predictions against its own label; DeLong only for a shared label. `ra`
/// and `rb` are the strategies' period returns.
#[allow(clippy::too_many_arguments)]
pub fn tests(
    a: &super::ModelRun,
    b: &super::ModelRun,
    bars: &[usize],
    same_label: bool,
    (ra, rb, ann): (&[f64], &[f64], f64),
    alpha: f64,
    resamples: usize,
    seed: u64,
) -> Tests {
    let right = |m: &super::ModelRun| -> Vec<bool> {
        bars.iter()
            .map(|&t| (m.prob[t] >= CUT) == (m.label[t] != 0.0))
            .collect()
    };
    let mc = mcnemar(&right(a), &right(b));
    let p = |m: &super::ModelRun| -> Vec<f64> { bars.iter().map(|&t| m.prob[t]).collect() };
    let y: Vec<bool> = bars.iter().map(|&t| a.label[t] != 0.0).collect();
    let dl = same_label.then(|| delong(&p(a), &p(b), &y)).flatten();
    let sd = sharpe_difference(ra, rb, ann, resamples, 1.0 - alpha, seed);
    let mut verdicts = Vec::new();
    let fmt_p = |p: f64| {
        if p < 0.001 {
            "p < 0.001".to_string()
        } else {
            format!("p = {p:.3}")
        }
    };
    verdicts.push(if mc.p_value < alpha && mc.b != mc.c {
        let (win, lose) = if mc.c > mc.b { ("B", "A") } else { ("A", "B") };
        format!("{win} is better than {lose} on accuracy ({}; McNemar, {} bars only A is right, {} only B)", fmt_p(mc.p_value), mc.b, mc.c)
    } else {
        format!("no significant difference in accuracy ({}; McNemar, {} bars only A is right, {} only B)", fmt_p(mc.p_value), mc.b, mc.c)
    });
    verdicts.push(match &dl {
        Some(d) if d.p_value < alpha => {
            let (win, lose) = if d.auc_b > d.auc_a {
                ("B", "A")
            } else {
                ("A", "B")
            };
            format!(
                "{win}'s ROC AUC is higher than {lose}'s ({:.4} against {:.4}, {}; DeLong)",
                d.auc_a.max(d.auc_b),
                d.auc_a.min(d.auc_b),
                fmt_p(d.p_value)
            )
        }
        Some(d) => format!(
            "no significant difference in ROC AUC ({:.4} and {:.4}, {}; DeLong)",
            d.auc_a,
            d.auc_b,
            fmt_p(d.p_value)
        ),
        None if !same_label => {
            "ROC AUC not compared: the two models predict different labels".to_string()
        }
        None => "ROC AUC not compared: one class only on the common bars".to_string(),
    });
    if let Some(s) = &sd {
        let sig = s.low > 0.0 || s.high < 0.0;
        verdicts.push(format!(
            "B's Sharpe minus A's: {:+.4} ({:.0} % block-bootstrap interval {:+.4} to {:+.4}): {}",
            s.difference,
            s.confidence * 100.0,
            s.low,
            s.high,
            if sig {
                "significant"
            } else {
                "not significant"
            }
        ));
    }
    Tests {
        alpha,
        rows: bars.len(),
        mcnemar: mc,
        delong: dl,
        sharpe: sd,
        verdicts,
    }
}
