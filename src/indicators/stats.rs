//! Statistic functions: linear regression (value, slope, intercept, angle,
//! forecast), BETA of returns, Pearson CORREL and the mean absolute
//! deviation, each in TA-Lib's arithmetic order.

use super::{nan_fill, nan_warmup, near_zero, Every};

/// Which linear-regression output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// The fitted value at the last bar (LINEARREG).
    Value,
    Slope,
    /// The fitted value at the window's first bar.
    Intercept,
    /// The slope in degrees.
    Angle,
    /// The fitted value one bar ahead (TSF).
    Forecast,
}

/// Least squares over the last `n` bars; first value at `n − 1`.
///
/// TA-Lib 0.8's arithmetic: Σy and Σi·y (i = 0 at the newest bar) slide
/// by one bar at a time and are summed afresh every `32·n` bars.
pub fn linreg(x: &[f64], n: usize, fit: Fit, out: &mut [f64]) {
    if n < 2 || x.len() < n {
        nan_fill(out);
        return;
    }
    nan_warmup(out, n - 1);
    let nf = n as f64;
    let sum_x = nf * (nf - 1.0) * 0.5;
    let sum_x_sqr = (n * (n - 1) * (2 * n - 1) / 6) as f64;
    let divisor = sum_x * sum_x - nf * sum_x_sqr;
    let rad2deg = 180.0 / std::f64::consts::PI;
    let fresh = |today: usize| {
        let (mut sum_xy, mut sum_y) = (0.0, 0.0);
        for i in (0..n).rev() {
            let v = x[today - i];
            sum_y += v;
            sum_xy += i as f64 * v;
        }
        (sum_xy, sum_y)
    };
    let (mut sum_xy, mut sum_y) = fresh(n - 1);
    // (today + 1 − n) % 32n == 0, from bar n on: as (today + 1 + 31n) % 32n.
    let mut resum = Every::new(32 * n, n, 1 + 31 * n);
    for today in n - 1..x.len() {
        if today >= n {
            if resum.tick() {
                (sum_xy, sum_y) = fresh(today);
            } else {
                let drop = x[today - n];
                sum_xy = sum_xy + sum_y - nf * drop;
                sum_y = sum_y - drop + x[today];
            }
        }
        let m = (nf * sum_xy - sum_x * sum_y) / divisor;
        let b = (sum_y - m * sum_x) / nf;
        out[today] = match fit {
            Fit::Value => b + m * (nf - 1.0),
            Fit::Slope => m,
            Fit::Intercept => b,
            Fit::Angle => m.atan() * rad2deg,
            Fit::Forecast => b + m * nf,
        };
    }
}

/// Beta of `y`'s one-bar returns on `x`'s over `n` returns (TA-Lib BETA);
/// first value at `n`; 0 where `x`'s returns do not vary.
pub fn beta(x: &[f64], y: &[f64], n: usize, out: &mut [f64]) {
    let len = x.len().min(y.len());
    if n == 0 || len <= n {
        nan_fill(out);
        return;
    }
    nan_warmup(out, n);
    let ret = |p: &[f64], i: usize| {
        if p[i - 1] != 0.0 {
            p[i] / p[i - 1] - 1.0
        } else {
            0.0
        }
    };
    let nf = n as f64;
    let (mut sxx, mut sxy, mut sx, mut sy) = (0.0, 0.0, 0.0, 0.0);
    for i in 1..n {
        let (a, b) = (ret(x, i), ret(y, i));
        sxx += a * a;
        sxy += a * b;
        sx += a;
        sy += b;
    }
    for i in n..len {
        let (a, b) = (ret(x, i), ret(y, i));
        sxx += a * a;
        sxy += a * b;
        sx += a;
        sy += b;
        let (ta, tb) = (ret(x, i + 1 - n), ret(y, i + 1 - n));
        let d = nf * sxx - sx * sx;
        out[i] = if near_zero(d, nf * sxx, sx * sx) {
            0.0
        } else {
            (nf * sxy - sx * sy) / d
        };
        sxx -= ta * ta;
        sxy -= ta * tb;
        sx -= ta;
        sy -= tb;
    }
}

/// Pearson correlation of `x` and `y` over `n` bars; first value at `n − 1`;
/// 0 where either does not vary.
///
/// Sliding means and co-moments, summed afresh every `n` bars: plain
/// running sums of squares lose ~1e-9 on FX prices, which TA-Lib 0.8 does not.
pub fn correl(x: &[f64], y: &[f64], n: usize, out: &mut [f64]) {
    let len = x.len().min(y.len());
    if n == 0 || len < n {
        nan_fill(out);
        return;
    }
    nan_warmup(out, n - 1);
    let nf = n as f64;
    let exact = |end: usize| {
        let (wx, wy) = (&x[end + 1 - n..=end], &y[end + 1 - n..=end]);
        let (mx, my) = (wx.iter().sum::<f64>() / nf, wy.iter().sum::<f64>() / nf);
        let (mut cxy, mut cxx, mut cyy) = (0.0, 0.0, 0.0);
        for (a, b) in wx.iter().zip(wy) {
            cxy += (a - mx) * (b - my);
            cxx += (a - mx) * (a - mx);
            cyy += (b - my) * (b - my);
        }
        (mx, my, cxy, cxx, cyy)
    };
    let (mut mx, mut my, mut cxy, mut cxx, mut cyy) = exact(n - 1);
    let mut fresh = Every::new(n, n, 1);
    for i in n - 1..len {
        if i >= n {
            // (i + 1 − n) % n == 0, as (i + 1) % n == 0.
            if fresh.tick() {
                (mx, my, cxy, cxx, cyy) = exact(i);
            } else {
                let (xa, xo, ya, yo) = (x[i], x[i - n], y[i], y[i - n]);
                let (mx2, my2) = (mx + (xa - xo) / nf, my + (ya - yo) / nf);
                cxx += (xa - xo) * (xa - mx2 + xo - mx);
                cyy += (ya - yo) * (ya - my2 + yo - my);
                cxy += (xa - mx) * (ya - my2) - (xo - mx) * (yo - my2);
                (mx, my) = (mx2, my2);
            }
        }
        let d = cxx * cyy;
        out[i] = if d > 0.0 { cxy / d.sqrt() } else { 0.0 };
    }
}

/// Mean absolute deviation from the window's mean over `n` bars (AVGDEV);
/// first value at `n − 1`.
pub fn avgdev(x: &[f64], n: usize, out: &mut [f64]) {
    if n == 0 || x.len() < n {
        nan_fill(out);
        return;
    }
    nan_warmup(out, n - 1);
    let nf = n as f64;
    for i in n - 1..x.len() {
        let w = &x[i + 1 - n..=i];
        let mean = w.iter().sum::<f64>() / nf;
        out[i] = w.iter().map(|v| (v - mean).abs()).sum::<f64>() / nf;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testing::{assert_close, run1};

    #[test]
    fn regression_of_a_line_by_hand() {
        // y = 2t + 1: slope 2, the fit is the line itself, forecast one step on,
        // the window's first fitted value is the intercept.
        let y: Vec<f64> = (0..6).map(|t| 2.0 * f64::from(t) + 1.0).collect();
        let n = f64::NAN;
        assert_close(
            &run1(|o| linreg(&y, 3, Fit::Slope, o), 6),
            &[n, n, 2.0, 2.0, 2.0, 2.0],
        );
        assert_close(&run1(|o| linreg(&y, 3, Fit::Value, o), 6)[2..], &y[2..]);
        assert_close(
            &run1(|o| linreg(&y, 3, Fit::Forecast, o), 6)[2..],
            &[7.0, 9.0, 11.0, 13.0],
        );
        assert_close(&run1(|o| linreg(&y, 3, Fit::Intercept, o), 6)[2..], &y[..4]);
        // Correlation of a line with its double is 1; MAD of 1, 2, 3 is 2/3.
        let z: Vec<f64> = y.iter().map(|v| 2.0 * v).collect();
        assert_close(&run1(|o| correl(&y, &z, 3, o), 6)[2..], &[1.0; 4]);
        assert_close(
            &run1(|o| avgdev(&[1.0, 2.0, 3.0], 3, o), 3)[2..],
            &[2.0 / 3.0],
        );
    }
}
