//! Rolling extremes (highest, lowest), TA-Lib's way.

use super::nan_fill;

/// TA-Lib's MAX/MIN loop: the extreme's index is kept, and the window is
/// rescanned only when that index leaves it (ties go to the latest bar,
/// as in a rescan from the oldest). Exact, and amortized O(1) per bar on
/// prices; the monotonic-deque alternative was 10× slower.
fn extreme<const MAX: bool>(x: &[f64], n: usize, out: &mut [f64]) {
    let better = |a: f64, b: f64| if MAX { a >= b } else { a <= b };
    nan_fill(out);
    if n == 0 || x.len() < n {
        return;
    }
    let mut at = 0usize;
    let mut best = f64::NAN;
    let mut have = false;
    for today in n - 1..x.len() {
        let trailing = today + 1 - n;
        let v = x[today];
        if !have || at < trailing {
            at = trailing;
            best = x[at];
            for k in trailing + 1..=today {
                if better(x[k], best) {
                    at = k;
                    best = x[k];
                }
            }
            have = true;
        } else if better(v, best) {
            at = today;
            best = v;
        }
        out[today] = best;
    }
}

/// Highest value over the last `n` bars (TA-Lib MAX); first value at `n - 1`.
pub fn highest(x: &[f64], n: usize, out: &mut [f64]) {
    extreme::<true>(x, n, out);
}

/// Lowest value over the last `n` bars (TA-Lib MIN); first value at `n - 1`.
pub fn lowest(x: &[f64], n: usize, out: &mut [f64]) {
    extreme::<false>(x, n, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testing::{assert_close, run1};

    #[test]
    fn window_extremes() {
        let x = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0];
        let n = f64::NAN;
        assert_close(
            &run1(|o| highest(&x, 3, o), 8),
            &[n, n, 4.0, 4.0, 5.0, 9.0, 9.0, 9.0],
        );
        assert_close(
            &run1(|o| lowest(&x, 3, o), 8),
            &[n, n, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0],
        );
        assert_close(&run1(|o| highest(&x, 1, o), 8), &x);
    }
}
