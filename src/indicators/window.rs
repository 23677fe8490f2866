//! Running sums over a sliding window of terms computed as they come
//! (no column of the terms), each term computed again as it leaves, and
//! the window summed afresh every `n` bars, so rounding cannot build up.

use super::Every;

/// Sums of `t[k]` over each window `[i + 1 − n, i]` for `i ≥ from + n − 1`
/// (earlier entries NaN): a running sum, summed afresh every `n` bars so
/// rounding cannot build up (`WindowSum`).
pub(crate) fn window_sums(t: &[f64], n: usize, from: usize) -> Vec<f64> {
    let len = t.len();
    let mut out = vec![f64::NAN; len];
    if n == 0 || len < from + n {
        return out;
    }
    let mut sum = WindowSum::new(|k| t[k], n);
    for i in from + n - 1..len {
        out[i] = sum.at(i);
    }
    out
}

/// The running sum of `window_sums` over the terms `term(k)`, a bar at a
/// time: `at(i)` for consecutive bars from the first full window on. The
/// terms are computed as they enter and leave (and for the fresh sums),
/// not stored in a column first: the same values in the same order, so
/// the same sums.
pub(crate) struct WindowSum<F> {
    term: F,
    n: usize,
    acc: f64,
    fresh: Every,
}

impl<F: Fn(usize) -> f64> WindowSum<F> {
    pub fn new(term: F, n: usize) -> WindowSum<F> {
        // Summed afresh at the first bar, then every n.
        let fresh = Every::new(n, 0, 0);
        WindowSum {
            term,
            n,
            acc: 0.0,
            fresh,
        }
    }

    /// The sum of `term(k)` for `k` in `i + 1 − n..=i`.
    #[inline(always)]
    pub fn at(&mut self, i: usize) -> f64 {
        let (term, n) = (&self.term, self.n);
        if self.fresh.tick() {
            self.acc = (i + 1 - n..i + 1).map(term).sum();
        } else {
            self.acc += term(i) - term(i - n);
        }
        self.acc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against the window summed afresh: the same bits at the fresh bars
    /// (every n from the first), within rounding between them, for
    /// periods 1 to 12 (1: every bar fresh) from two first bars.
    #[test]
    fn running_and_fresh_sums_agree() {
        let x: Vec<f64> = (0..200).map(|i| ((i * 7919) % 1009) as f64 / 7.0).collect();
        let term = |k: usize| x[k] / (1.0 + x[k].abs());
        for n in 1..=12 {
            for from in [0, 3] {
                let mut w = WindowSum::new(term, n);
                for (step, i) in (from + n - 1..x.len()).enumerate() {
                    let (a, fresh) = (w.at(i), (i + 1 - n..=i).map(term).sum::<f64>());
                    if step % n == 0 {
                        assert_eq!(a.to_bits(), fresh.to_bits(), "n {n} from {from} bar {i}");
                    }
                    assert!((a - fresh).abs() <= 1e-12 * n as f64, "n {n} bar {i}");
                }
            }
        }
    }
}
