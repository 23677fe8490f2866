//! Directional movement: +DI, −DI and ADX with TA-Lib's Wilder sums.

use super::nan_fill;

/// Which directional line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Directional {
    PlusDi,
    MinusDi,
    Adx,
    /// DX, first value at `n`; the previous value where +DI + −DI is 0.
    Dx,
}

/// Bar `i`'s +DM, −DM and true range.
#[inline(always)]
fn movement(h: &[f64], l: &[f64], c: &[f64], i: usize) -> (f64, f64, f64) {
    let up = h[i] - h[i - 1];
    let down = l[i - 1] - l[i];
    // Without branches on the data (a random walk mispredicts them every
    // other bar): the two conditions exclude each other, and NaN fails both.
    let m = keep(down, (down > 0.0) & (up < down));
    let p = keep(up, (up > 0.0) & (up > down));
    (p, m, super::volatility::tr_at(h, l, c, i))
}

/// `v` where `cond` holds, else +0, by a mask rather than a branch.
#[inline(always)]
fn keep(v: f64, cond: bool) -> f64 {
    f64::from_bits(v.to_bits() & u64::from(cond).wrapping_neg())
}

fn is_zero(v: f64) -> bool {
    v.abs() < 1e-14
}

/// +DI, −DI (first value at `n`) or ADX (first value at `2n − 1`).
///
/// +DM = up move when it beats the down move and is positive, −DM likewise
/// (ties: neither). Wilder sums of +DM, −DM and TR are seeded with bars
/// 1..=n−1, then `S = S − S/n + x`; DI = 100·S_dm/S_tr; DX = 100·|+DI − −DI| /
/// (+DI + −DI); ADX = mean of the first n DX, then Wilder-averaged.
pub fn directional(h: &[f64], l: &[f64], c: &[f64], n: usize, line: Directional, out: &mut [f64]) {
    // One loop compiled per line, so that each computes only what it needs
    // (+DI neither −DM's sum nor DX's divide).
    match line {
        Directional::PlusDi => lines::<PLUS_DI>(h, l, c, n, out),
        Directional::MinusDi => lines::<MINUS_DI>(h, l, c, n, out),
        Directional::Adx => lines::<ADX>(h, l, c, n, out),
        Directional::Dx => lines::<DX>(h, l, c, n, out),
    }
}

const PLUS_DI: u8 = 0;
const MINUS_DI: u8 = 1;
const ADX: u8 = 2;
const DX: u8 = 3;

#[inline(always)]
fn lines<const LINE: u8>(h: &[f64], l: &[f64], c: &[f64], n: usize, out: &mut [f64]) {
    let line = match LINE {
        PLUS_DI => Directional::PlusDi,
        MINUS_DI => Directional::MinusDi,
        ADX => Directional::Adx,
        _ => Directional::Dx,
    };
    nan_fill(out);
    let len = c.len();
    if n == 0 {
        return;
    }
    let first = match line {
        Directional::Adx => 2 * n - 1,
        _ => n,
    };
    if len <= first {
        return;
    }
    let nf = n as f64;
    let (mut sp, mut sm, mut st) = (0.0, 0.0, 0.0);
    let step = |i: usize| movement(h, l, c, i);
    for i in 1..n {
        let (p, m, tr) = step(i);
        sp += p;
        sm += m;
        st += tr;
    }
    let mut sum_dx = 0.0;
    let mut adx = 0.0;
    let mut last_dx = 0.0;
    for i in n..len {
        let (p, m, tr) = step(i);
        sp = sp - sp / nf + p;
        sm = sm - sm / nf + m;
        st = st - st / nf + tr;
        let (pdi, mdi) = if is_zero(st) {
            (0.0, 0.0)
        } else {
            (100.0 * (sp / st), 100.0 * (sm / st))
        };
        let dx = if is_zero(st) || is_zero(pdi + mdi) {
            None
        } else {
            Some(100.0 * ((mdi - pdi).abs() / (mdi + pdi)))
        };
        match line {
            Directional::Dx => {
                if let Some(dx) = dx {
                    last_dx = dx;
                }
                out[i] = last_dx;
            }
            Directional::PlusDi => out[i] = pdi,
            Directional::MinusDi => out[i] = mdi,
            Directional::Adx if i < 2 * n => {
                sum_dx += dx.unwrap_or(0.0);
                if i == 2 * n - 1 {
                    adx = sum_dx / nf;
                    out[i] = adx;
                }
            }
            Directional::Adx => {
                if let Some(dx) = dx {
                    adx = (adx * (nf - 1.0) + dx) / nf;
                }
                out[i] = adx;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testing::{assert_close, run1};

    #[test]
    fn steady_uptrend_by_hand() {
        // Highs and lows rise by 1 each bar, range 2: +DM = 1, −DM = 0, TR = 2.
        // n = 2: seeds from bar 1: S+ = 1, S− = 0, Str = 2. Bar 2: S+ = 1 − 0.5 + 1 = 1.5,
        // Str = 2 − 1 + 2 = 3: +DI = 50, −DI = 0, DX = 100. ADX(2) first at 3: mean(100, 100).
        let h: Vec<f64> = (0..6).map(|i| f64::from(i) + 2.0).collect();
        let l: Vec<f64> = (0..6).map(f64::from).collect();
        let c: Vec<f64> = (0..6).map(|i| f64::from(i) + 1.0).collect();
        let n = f64::NAN;
        let p = run1(|o| directional(&h, &l, &c, 2, Directional::PlusDi, o), 6);
        assert_close(&p[..3], &[n, n, 50.0]);
        let m = run1(|o| directional(&h, &l, &c, 2, Directional::MinusDi, o), 6);
        assert_close(&m, &[n, n, 0.0, 0.0, 0.0, 0.0]);
        let a = run1(|o| directional(&h, &l, &c, 2, Directional::Adx, o), 6);
        assert_close(&a, &[n, n, n, 100.0, 100.0, 100.0]);
    }
}
