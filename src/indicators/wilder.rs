//! Wilder's smoothing in the arithmetic of TA-Lib 0.8, bit for bit: ATR's
//! and RMA's `fma(k, prev, x·(1 − k))` with `k = (n − 1)/n`, and RSI's
//! `(prev·(n − 1) + x)·(1/n)` (CMO keeps the classic `/n`). TA-Lib 0.8
//! replaced the classic `(prev·(n − 1) + x)/n` with these (its 0.8.2
//! wheel's values differ from the classic ones in the last bits on most
//! rows), and they take the divide off the chain that one bar's value waits
//! on.

use super::fma::with_fma;

/// ATR's smoothing of `input(i)` for `i` in `at + 1..end`, from `seed` at
/// `at`: `v = fma(k, v, input(i)·(1 − k))`, `k = (n − 1)/n`, each value
/// passed to `emit(i, v)` (the seed too). A fused multiply-add rounds once
/// whichever instruction computes it, so the FMA path (when the CPU has it)
/// and `f64::mul_add` elsewhere give the same bits.
pub fn smooth(
    (at, end): (usize, usize),
    seed: f64,
    n: usize,
    input: impl FnMut(usize) -> f64,
    mut emit: impl FnMut(usize, f64),
) {
    emit(at, seed);
    with_fma(
        #[inline(always)]
        || steps((at, end), seed, n, input, emit),
    );
}

#[inline(always)]
fn steps(
    (at, end): (usize, usize),
    seed: f64,
    n: usize,
    mut input: impl FnMut(usize) -> f64,
    mut emit: impl FnMut(usize, f64),
) {
    let k = (n - 1) as f64 / n as f64;
    let q = 1.0 - k;
    let mut prev = seed;
    for i in at + 1..end {
        prev = k.mul_add(prev, input(i) * q);
        emit(i, prev);
    }
}

/// How an average's step ends: RSI's `·(1/n)` or CMO's `/n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Reciprocal,
    Divide,
}

/// The Wilder-averaged gain and loss of `x`'s changes, turned into the
/// output by `value`; first value at `n`. Seeds: the sums of the first `n`
/// changes, then `avg = (avg·(n − 1) + change)`, each times `1/n` (RSI) or
/// divided by `n` (CMO), as TA-Lib 0.8 does for each. A change
/// is a gain when above 0 and otherwise a loss of `gain − change` (0 − d,
/// or d − d), without a branch on the data: on a random walk a branch is
/// mispredicted every other bar.
pub fn gain_loss(
    x: &[f64],
    n: usize,
    step: Step,
    out: &mut [f64],
    value: impl Fn(f64, f64) -> f64,
) {
    out.fill(f64::NAN);
    if n == 0 || x.len() <= n {
        return;
    }
    let split = |d: f64| {
        let up = if 0.0 < d { d } else { 0.0 };
        (up, up - d)
    };
    let (mut gain, mut loss) = (0.0, 0.0);
    for i in 1..=n {
        let (up, down) = split(x[i] - x[i - 1]);
        gain += up;
        loss += down;
    }
    match step {
        Step::Reciprocal => average(
            x,
            n,
            (gain, loss),
            out,
            split,
            |v| v * (1.0 / n as f64),
            value,
        ),
        Step::Divide => average(x, n, (gain, loss), out, split, |v| v / n as f64, value),
    }
}

/// The seeded averages, each bar's `(avg·(n − 1) + change)` finished by `end`.
#[inline(always)]
fn average(
    x: &[f64],
    n: usize,
    (mut gain, mut loss): (f64, f64),
    out: &mut [f64],
    split: impl Fn(f64) -> (f64, f64),
    end: impl Fn(f64) -> f64,
    value: impl Fn(f64, f64) -> f64,
) {
    let m = (n - 1) as f64;
    gain = end(gain);
    loss = end(loss);
    out[n] = value(gain, loss);
    for i in n + 1..x.len() {
        let (up, down) = split(x[i] - x[i - 1]);
        gain = end(gain * m + up);
        loss = end(loss * m + down);
        out[i] = value(gain, loss);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `smooth` over a column, into a copy of it.
    fn smoothed(x: &[f64], n: usize, fused: bool) -> Vec<f64> {
        let mut out = x.to_vec();
        let mut emit = |i: usize, v: f64| out[i] = v;
        if fused {
            smooth((0, x.len()), x[0], n, |i| x[i], emit);
        } else {
            emit(0, x[0]);
            steps((0, x.len()), x[0], n, |i| x[i], &mut emit);
        }
        out
    }

    /// The FMA path and the portable one agree bit for bit.
    #[test]
    fn both_paths_give_the_same_bits() {
        let x: Vec<f64> = (0..5000)
            .map(|i| 1.0 + ((i * 7919) % 1000) as f64 / 997.0)
            .collect();
        for n in [1, 2, 3, 14, 100] {
            let (a, b) = (smoothed(&x, n, true), smoothed(&x, n, false));
            assert!(a.iter().zip(&b).all(|(p, q)| p.to_bits() == q.to_bits()));
        }
    }

    /// Hand-worked: n = 2, k = 1/2, 1 − k = 1/2 (both exact), so each value
    /// is the mean of the last one and the input: 4 → (4 + 8)/2 = 6 →
    /// (6 + 2)/2 = 4. n = 1: k = 0, the input itself.
    #[test]
    fn smoothing_by_hand() {
        assert_eq!(smoothed(&[4.0, 8.0, 2.0], 2, true), [4.0, 6.0, 4.0]);
        assert_eq!(smoothed(&[3.0, 5.0, 7.0], 1, true), [3.0, 5.0, 7.0]);
    }

    /// x = 1, 2, 4, 3, 3 with n = 2: changes +1, +2, −1, 0. Seed gain
    /// (1 + 2)·0.5 = 1.5, loss 0; then gain (1.5·1 + 0)·0.5 = 0.75, loss
    /// (0 + 1)·0.5 = 0.5; then gain 0.375, loss 0.25. A NaN change is no
    /// gain and a NaN loss, as in TA-Lib.
    #[test]
    fn gain_and_loss_by_hand() {
        let mut out = [0.0; 5];
        gain_loss(
            &[1.0, 2.0, 4.0, 3.0, 3.0],
            2,
            Step::Reciprocal,
            &mut out,
            |g, l| g * 10.0 + l,
        );
        assert!(out[0].is_nan() && out[1].is_nan());
        assert_eq!(&out[2..], &[15.0, 8.0, 4.0]);
        let mut out = [0.0; 4];
        gain_loss(
            &[1.0, 2.0, f64::NAN, 3.0],
            1,
            Step::Divide,
            &mut out,
            |g, l| {
                assert!(g.is_finite());
                l
            },
        );
        assert!(out[2].is_nan());
    }
}
