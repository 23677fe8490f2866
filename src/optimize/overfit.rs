//! Overfitting statistics of a sweep: the deflated Sharpe ratio (Bailey &
//! López de Prado, 2014) and the probability of backtest overfitting by
//! combinatorially symmetric cross-validation (CSCV, 16 blocks).

use rayon::prelude::*;

/// Euler–Mascheroni constant.
const EULER_GAMMA: f64 = 0.577_215_664_901_532_9;

pub use crate::metrics::special::{erfc, norm_cdf, norm_ppf};

/// What the deflated Sharpe ratio needs about the chosen trial.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Selected {
    /// Sharpe ratio per period (not annualized).
    pub sharpe: f64,
    /// Number of period returns.
    pub periods: usize,
    pub skew: f64,
    /// Kurtosis (not excess: 3 for a normal distribution).
    pub kurtosis: f64,
}

/// The expected maximum Sharpe ratio of `trials` unskilled trials whose
/// Sharpe ratios have variance `variance`.
pub fn expected_max_sharpe(trials: usize, variance: f64) -> f64 {
    if trials < 2 {
        return 0.0;
    }
    let n = trials as f64;
    variance.max(0.0).sqrt()
        * ((1.0 - EULER_GAMMA) * norm_ppf(1.0 - 1.0 / n)
            + EULER_GAMMA * norm_ppf(1.0 - 1.0 / (n * std::f64::consts::E)))
}

/// The probability that the selected trial's Sharpe ratio beats the best of
/// `trials` unskilled ones, given the variance of all trials' Sharpe ratios.
pub fn deflated_sharpe(sel: &Selected, trials: usize, variance: f64) -> Option<f64> {
    if sel.periods < 2 || !sel.sharpe.is_finite() {
        return None;
    }
    let sr0 = expected_max_sharpe(trials, variance);
    let denom = 1.0 - sel.skew * sel.sharpe + (sel.kurtosis - 1.0) / 4.0 * sel.sharpe * sel.sharpe;
    if denom <= 0.0 || !denom.is_finite() {
        return None;
    }
    Some(norm_cdf(
        (sel.sharpe - sr0) * ((sel.periods - 1) as f64).sqrt() / denom.sqrt(),
    ))
}

/// The number of CSCV blocks.
pub const BLOCKS: usize = 16;

/// Per-block sums of one trial's period returns: (Σr, Σr²) per block.
pub type BlockStats = [(f64, f64); BLOCKS];

/// Block boundaries for `periods` returns: 16 contiguous, near-equal blocks.
pub fn block_of(period: usize, periods: usize) -> usize {
    (period * BLOCKS / periods.max(1)).min(BLOCKS - 1)
}

/// Sums a trial's period returns into its blocks.
pub fn block_stats(returns: &[f64]) -> BlockStats {
    let mut s = [(0.0, 0.0); BLOCKS];
    for (i, r) in returns.iter().enumerate() {
        let b = &mut s[block_of(i, returns.len())];
        b.0 += r;
        b.1 += r * r;
    }
    s
}

/// Probability of backtest overfitting by CSCV over the trials' block sums:
/// for every way of choosing half the blocks as in-sample, the in-sample best
/// trial's rank out of sample; PBO is the share of splits where it ranks in
/// the bottom half. `counts[b]` is the number of returns in block b (the same
/// for every trial). None for fewer than 2 trials or too few periods.
pub fn pbo(trials: &[BlockStats], counts: &[usize; BLOCKS]) -> Option<(f64, usize)> {
    let n = trials.len();
    if n < 2 || counts.contains(&0) {
        return None;
    }
    let full: u32 = (1 << BLOCKS) - 1;
    let halves: Vec<(Half, Half)> = (0..=full)
        .filter(|m| m.count_ones() as usize == BLOCKS / 2)
        .map(|m| (Half::new(m, counts), Half::new(full ^ m, counts)))
        .collect();
    // Block sums as columns, so a chunk of trials is a few contiguous slices.
    let col = |f: fn(&(f64, f64)) -> f64| -> Vec<Vec<f64>> {
        (0..BLOCKS)
            .map(|b| trials.iter().map(|t| f(&t[b])).collect())
            .collect()
    };
    let cols = Columns {
        s: col(|x| x.0),
        ss: col(|x| x.1),
    };
    let chunks: Vec<(usize, usize)> = (0..n)
        .step_by(CHUNK)
        .map(|lo| (lo, (lo + CHUNK).min(n)))
        .collect();
    // Pass 1: the in-sample best of every split (highest Sharpe, the first
    // such trial on a tie). A chunk of trials stays in cache while all
    // 12,870 splits read it; chunks run in parallel and merge exactly.
    let none = || vec![(f64::NEG_INFINITY, usize::MAX); halves.len()];
    let best = chunks
        .par_iter()
        .fold(none, |mut acc, &(lo, hi)| {
            let mut out = [0.0; CHUNK];
            for (a, (is_half, _)) in acc.iter_mut().zip(&halves) {
                cols.perf(is_half, lo, hi, &mut out);
                for (j, &v) in out[..hi - lo].iter().enumerate() {
                    if v > a.0 || (v == a.0 && lo + j < a.1) {
                        *a = (v, lo + j);
                    }
                }
            }
            acc
        })
        .reduce(none, |a, b| {
            a.into_iter()
                .zip(b)
                .map(|(x, y)| {
                    if y.0 > x.0 || (y.0 == x.0 && y.1 < x.1) {
                        y
                    } else {
                        x
                    }
                })
                .collect()
        });
    // Pass 2: the out-of-sample rank of each split's best among all trials.
    let threshold: Vec<f64> = best
        .iter()
        .zip(&halves)
        .map(|(&(_, i), (_, oos))| {
            let mut out = [0.0; CHUNK];
            cols.perf(oos, i, i + 1, &mut out);
            out[0]
        })
        .collect();
    let zeros = || vec![0usize; halves.len()];
    let lower = chunks
        .par_iter()
        .fold(zeros, |mut acc, &(lo, hi)| {
            let mut out = [0.0; CHUNK];
            for ((c, (_, oos)), &t) in acc.iter_mut().zip(&halves).zip(&threshold) {
                cols.perf(oos, lo, hi, &mut out);
                *c += out[..hi - lo].iter().filter(|&&v| v < t).count();
            }
            acc
        })
        .reduce(zeros, |a, b| {
            a.into_iter().zip(b).map(|(x, y)| x + y).collect()
        });
    let below = lower
        .iter()
        .filter(|&&below_best| {
            let w = (1 + below_best) as f64 / (n as f64 + 1.0);
            (w / (1.0 - w)).ln() <= 0.0
        })
        .count();
    Some((below as f64 / halves.len() as f64, halves.len()))
}

/// Trials per cache block in `pbo`.
const CHUNK: usize = 256;

/// Half of the blocks: their indices (ascending, so sums add in the same
/// order for every trial) and their bar count.
struct Half {
    blocks: Vec<usize>,
    k: f64,
}

impl Half {
    fn new(mask: u32, counts: &[usize; BLOCKS]) -> Half {
        let blocks: Vec<usize> = (0..BLOCKS).filter(|b| mask & (1 << b) != 0).collect();
        let k = blocks.iter().map(|&b| counts[b]).sum::<usize>() as f64;
        Half { blocks, k }
    }
}

/// Per-block sums of returns and of squared returns, one column per block.
struct Columns {
    s: Vec<Vec<f64>>,
    ss: Vec<Vec<f64>>,
}

impl Columns {
    /// The Sharpe ratio (per bar, 0 without variance) of trials lo..hi on
    /// the bars of `half`, into `out[..hi - lo]`.
    fn perf(&self, half: &Half, lo: usize, hi: usize, out: &mut [f64; CHUNK]) {
        let m = hi - lo;
        let (mut s, mut ss) = ([0.0; CHUNK], [0.0; CHUNK]);
        for &b in &half.blocks {
            for (a, x) in s[..m].iter_mut().zip(&self.s[b][lo..hi]) {
                *a += x;
            }
            for (a, x) in ss[..m].iter_mut().zip(&self.ss[b][lo..hi]) {
                *a += x;
            }
        }
        let k = half.k;
        for j in 0..m {
            let mean = s[j] / k;
            let var = (ss[j] - s[j] * s[j] / k) / (k - 1.0);
            out[j] = if var > 0.0 { mean / var.sqrt() } else { 0.0 };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_distribution() {
        // Python: statistics.NormalDist().cdf(1.0) = 0.8413447460685429
        assert!((norm_cdf(1.0) - 0.8413447460685429).abs() < 1e-15);
        assert!((norm_cdf(-3.0) / 0.0013498980316301035 - 1.0).abs() < 1e-12);
        assert!((norm_cdf(5.0) - 0.9999997133484282).abs() < 1e-15);
        // NormalDist().inv_cdf(0.975) = 1.9599639845400536; inv_cdf(1e-6) = -4.753424308822899
        assert!((norm_ppf(0.975) - 1.9599639845400536).abs() < 1e-13);
        assert!((norm_ppf(1e-6) + 4.753424308822899).abs() < 1e-11);
        assert_eq!(norm_ppf(0.5), 0.0);
    }

    #[test]
    fn deflated_sharpe_small_case() {
        // 100 trials, variance of their per-period Sharpe 0.0004; the best has
        // SR 0.08 over 1000 periods, skew −0.5, kurtosis 4. By hand (Python):
        // sr0 = 0.02·(0.4228·ppf(0.99) + 0.5772·ppf(1 − 1/(100e))) = 0.0506120578640337
        // dsr = cdf((0.08 − sr0)·√999 / √(1 + 0.04 + 0.75·0.0064)) = 0.8182539288043906
        let sel = Selected {
            sharpe: 0.08,
            periods: 1000,
            skew: -0.5,
            kurtosis: 4.0,
        };
        let sr0 = expected_max_sharpe(100, 0.0004);
        assert!((sr0 - 0.050612057864033694).abs() < 1e-12, "{sr0}");
        let d = deflated_sharpe(&sel, 100, 0.0004).unwrap();
        assert!((d - 0.8182539288043906).abs() < 1e-10, "{d}");
        // One trial: no selection bias, the probabilistic Sharpe ratio against 0.
        let one = deflated_sharpe(&sel, 1, 0.0).unwrap();
        assert!(
            (one - norm_cdf(0.08 * 999f64.sqrt() / (1.0 + 0.04 + 0.75 * 0.0064f64).sqrt())).abs()
                < 1e-15
        );
    }

    fn trial(mut per_block: impl FnMut(usize) -> (f64, f64)) -> BlockStats {
        let mut s = [(0.0, 0.0); BLOCKS];
        for (b, x) in s.iter_mut().enumerate() {
            *x = per_block(b);
        }
        s
    }

    #[test]
    fn pbo_known_cases() {
        let counts = [10usize; BLOCKS];
        // Block b of a trial with mean m and variance v: (10m, 10(v + m²)).
        let block = |m: f64, v: f64| (10.0 * m, 10.0 * (v + m * m));
        // Trial 0 is better than trial 1 in every block: never overfit.
        let good = trial(|_| block(0.02, 0.01));
        let bad = trial(|_| block(0.0, 0.01));
        let (p, combos) = pbo(&[good, bad], &counts).unwrap();
        assert_eq!((p, combos), (0.0, 12_870));
        // Trial 0 wins the even blocks, trial 1 the odd ones: the in-sample
        // winner is the out-of-sample loser exactly when in-sample holds more
        // of its own blocks, which is every split that is not balanced.
        // (±0.25 and 0.0625 keep every sum exact, so balanced splits tie exactly.)
        let a = trial(|b| block(if b % 2 == 0 { 0.25 } else { -0.25 }, 0.0625));
        let c = trial(|b| block(if b % 2 == 0 { -0.25 } else { 0.25 }, 0.0625));
        let (p, _) = pbo(&[a, c], &counts).unwrap();
        // Balanced splits (4 even + 4 odd in-sample): C(8,4)² = 4900 of 12870 tie
        // in-sample; the tie goes to trial 0, which then ties out of sample too:
        // rank 1 of 2, below the median. Unbalanced ones flip: also rank 1.
        assert_eq!(p, 1.0);
        assert_eq!(pbo(&[good], &counts), None);
    }

    /// CSCV written the plain way: every split, every trial, in order.
    fn pbo_naive(trials: &[BlockStats], counts: &[usize; BLOCKS]) -> f64 {
        let perf = |t: &BlockStats, mask: u32| {
            let (mut s, mut ss, mut k) = (0.0, 0.0, 0usize);
            for b in 0..BLOCKS {
                if mask & (1 << b) != 0 {
                    s += t[b].0;
                    ss += t[b].1;
                    k += counts[b];
                }
            }
            let k = k as f64;
            let var = (ss - s * s / k) / (k - 1.0);
            if var > 0.0 {
                s / k / var.sqrt()
            } else {
                0.0
            }
        };
        let full: u32 = (1 << BLOCKS) - 1;
        let masks: Vec<u32> = (0..=full).filter(|m| m.count_ones() == 8).collect();
        let n = trials.len();
        let below = masks
            .iter()
            .filter(|&&m| {
                let is: Vec<f64> = trials.iter().map(|t| perf(t, m)).collect();
                let best = (0..n).fold(0, |b, i| if is[i] > is[b] { i } else { b });
                let oos = perf(&trials[best], full ^ m);
                let rank = 1 + trials.iter().filter(|t| perf(t, full ^ m) < oos).count();
                let w = rank as f64 / (n as f64 + 1.0);
                (w / (1.0 - w)).ln() <= 0.0
            })
            .count();
        below as f64 / masks.len() as f64
    }

    /// The blocked, parallel version gives exactly the plain one's answer,
    /// across a chunk boundary (300 trials = 256 + 44) and with ties.
    #[test]
    fn pbo_equals_the_plain_computation() {
        let mut rng = crate::data::synth::SplitMix64::new(7);
        let mut u = || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let counts = [12usize; BLOCKS];
        let mut trials: Vec<BlockStats> = (0..300)
            .map(|_| {
                trial(|_| {
                    let (m, v) = (u() * 0.02 - 0.009, 0.0001 + u() * 0.001);
                    (12.0 * m, 12.0 * (v + m * m))
                })
            })
            .collect();
        // Exact duplicates tie in every split.
        trials[150] = trials[10];
        trials[299] = trials[0];
        let (p, _) = pbo(&trials, &counts).unwrap();
        assert_eq!(p, pbo_naive(&trials, &counts));
        assert!(p > 0.0 && p < 1.0, "{p}");
    }
}
