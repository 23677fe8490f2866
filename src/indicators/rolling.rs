//! Rolling extremes (highest, lowest) with a monotonic deque: O(n).

use std::collections::VecDeque;

use super::nan_fill;

fn extreme(x: &[f64], n: usize, out: &mut [f64], better: fn(f64, f64) -> bool) {
    nan_fill(out);
    if n == 0 || x.len() < n {
        return;
    }
    let mut dq: VecDeque<usize> = VecDeque::with_capacity(n + 1);
    for i in 0..x.len() {
        while let Some(&j) = dq.back() {
            if better(x[i], x[j]) || x[i] == x[j] {
                dq.pop_back();
            } else {
                break;
            }
        }
        dq.push_back(i);
        if dq[0] + n <= i {
            dq.pop_front();
        }
        if i + 1 >= n {
            out[i] = x[dq[0]];
        }
    }
}

/// Highest value over the last `n` bars (TA-Lib MAX); first value at `n - 1`.
pub fn highest(x: &[f64], n: usize, out: &mut [f64]) {
    extreme(x, n, out, |a, b| a > b);
}

/// Lowest value over the last `n` bars (TA-Lib MIN); first value at `n - 1`.
pub fn lowest(x: &[f64], n: usize, out: &mut [f64]) {
    extreme(x, n, out, |a, b| a < b);
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
