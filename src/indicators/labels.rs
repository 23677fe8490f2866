//! Labels that look ahead, for a `[model]`'s label only: López de Prado's
//! triple barrier (Advances in Financial Machine Learning, ch. 3).

/// How the triple barrier decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Barrier {
    /// With neither barrier touched by the horizon: 1 if the close then is
    /// above the close at t (else 0), instead of 0.
    pub sign: bool,
    /// Highs against the upper barrier and lows against the lower, instead
    /// of closes; a bar that touches both counts as the lower one.
    pub hl: bool,
    /// Output the bars from t to the bar that decides the label (a barrier
    /// touched, or the horizon) instead of the label: the label's real end.
    pub end: bool,
}

impl Barrier {
    /// The mode number the catalogue passes: 1 = sign, 2 = hl.
    pub fn from_mode(mode: f64) -> Barrier {
        let m = mode as u32;
        Barrier {
            sign: m & 1 != 0,
            hl: m & 2 != 0,
            end: m & 4 != 0,
        }
    }
}

/// `out[t]` for bars `offset + t`: for k = 1..=horizon, the first k with
/// the return from close[t] reaching `up[t]` labels 1, reaching −`down[t]`
/// labels 0 (both in one bar: 0); untouched by t + horizon: 0 (or the
/// sign of the return then); NaN when the data ends first, or up/down is
/// missing at t.
#[allow(clippy::too_many_arguments)]
pub fn triple_barrier(
    up: &[f64],
    down: &[f64],
    horizon: usize,
    b: Barrier,
    close: &[f64],
    high: &[f64],
    low: &[f64],
    offset: usize,
    out: &mut [f64],
) {
    let n = close.len();
    for (j, o) in out.iter_mut().enumerate() {
        let t = offset + j;
        let (u, d, c0) = (up[j], down[j], close[t]);
        *o = f64::NAN;
        if !(u.is_finite() && d.is_finite() && c0 > 0.0) {
            continue;
        }
        for k in 1..=horizon {
            let i = t + k;
            if i >= n {
                break;
            }
            let (hi, lo) = if b.hl {
                (high[i], low[i])
            } else {
                (close[i], close[i])
            };
            let at = k as f64;
            if lo / c0 - 1.0 <= -d {
                *o = if b.end { at } else { 0.0 };
                break;
            }
            if hi / c0 - 1.0 >= u {
                *o = if b.end { at } else { 1.0 };
                break;
            }
            if k == horizon {
                *o = if b.end {
                    at
                } else if b.sign {
                    f64::from(u8::from(close[i] > c0))
                } else {
                    0.0
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(close: &[f64], high: &[f64], low: &[f64], h: usize, b: Barrier) -> Vec<f64> {
        let n = close.len();
        let mut out = vec![0.0; n];
        triple_barrier(
            &vec![0.05; n],
            &vec![0.05; n],
            h,
            b,
            close,
            high,
            low,
            0,
            &mut out,
        );
        out
    }

    #[test]
    fn each_barrier_first_ties_and_the_end() {
        let plain = Barrier {
            sign: false,
            hl: false,
            end: false,
        };
        // From 100: +3 %, then +6 % (upper at k = 2) → 1; from 103: 106 is
        // +2.9 %, 94 is −8.7 % (lower) → 0; from 106: 94 is −11 % → 0; from
        // 94, 95 and 96 (data end): no touch and no full horizon → NaN.
        let c = [100.0, 103.0, 106.0, 94.0, 95.0, 96.0];
        let v = run(&c, &c, &c, 3, plain);
        assert_eq!(v[..3], [1.0, 0.0, 0.0]);
        assert!(v[3].is_nan() && v[4].is_nan() && v[5].is_nan());
        // Untouched within the horizon: 0, or with "sign" the close's direction.
        let flat = [100.0, 101.0, 102.0, 101.5, 101.0];
        assert_eq!(run(&flat, &flat, &flat, 2, plain)[0], 0.0);
        let sign = Barrier {
            sign: true,
            hl: false,
            end: false,
        };
        assert_eq!(run(&flat, &flat, &flat, 2, sign)[0], 1.0);
        assert_eq!(run(&flat, &flat, &flat, 2, sign)[2], 0.0);
        // With highs and lows: bar 1 reaches both +6 % (high 106) and −6 %
        // (low 94): the lower counts → 0; on closes it is untouched → 0 too,
        // but a high alone of +6 % is a 1.
        let c = [100.0, 100.0, 100.0];
        let (hi, lo) = ([100.0, 106.0, 100.0], [100.0, 94.0, 100.0]);
        let hl = Barrier {
            sign: false,
            hl: true,
            end: false,
        };
        assert_eq!(run(&c, &hi, &lo, 2, hl)[0], 0.0);
        assert_eq!(run(&c, &hi, &c, 2, hl)[0], 1.0);
        // The real end: bar 1 touches both, 1 bar after t = 0.
        let end = Barrier {
            sign: false,
            hl: true,
            end: true,
        };
        assert_eq!(run(&c, &hi, &lo, 2, end)[0], 1.0);
        let flat = [100.0, 101.0, 102.0, 101.5, 101.0];
        let e = run(&flat, &flat, &flat, 2, Barrier { end: true, ..plain });
        // Untouched: the horizon (2); the last two bars: unresolved.
        assert_eq!(e[..3], [2.0, 2.0, 2.0]);
        assert!(e[3].is_nan());
    }
}
