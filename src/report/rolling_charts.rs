//! Rolling risk charts over the same 6-month window as the rolling Sharpe:
//! the annualized volatility of the bar returns and their beta against the
//! benchmark's curve.

use super::charts::{lines, Res, BENCH, STRATEGY};

/// Bar returns of a series (0 at the first bar, and where a value is
/// missing, so that one gap does not blank every later window).
fn returns(v: &[f64]) -> Vec<f64> {
    (0..v.len())
        .map(|i| {
            let r = if i == 0 { 0.0 } else { v[i] / v[i - 1] - 1.0 };
            if r.is_finite() {
                r
            } else {
                0.0
            }
        })
        .collect()
}

/// Over each trailing `window`: (sample variance of r, of b, their covariance).
fn moments(r: &[f64], b: &[f64], window: usize) -> Vec<Option<(f64, f64, f64)>> {
    let n = r.len();
    let (mut sr, mut sb, mut srr, mut sbb, mut srb) = (0.0, 0.0, 0.0, 0.0, 0.0);
    let mut out = vec![None; n];
    for i in 0..n {
        sr += r[i];
        sb += b[i];
        srr += r[i] * r[i];
        sbb += b[i] * b[i];
        srb += r[i] * b[i];
        if i >= window {
            let (x, y) = (r[i - window], b[i - window]);
            sr -= x;
            sb -= y;
            srr -= x * x;
            sbb -= y * y;
            srb -= x * y;
        }
        if i + 1 >= window && window > 1 {
            let w = window as f64;
            out[i] = Some((
                (srr - sr * sr / w) / (w - 1.0),
                (sbb - sb * sb / w) / (w - 1.0),
                (srb - sr * sb / w) / (w - 1.0),
            ));
        }
    }
    out
}

/// The rolling annualized volatility of the strategy and of the benchmark
/// (`close`, named `name`).
pub fn rolling_volatility(
    ts: &[i64],
    equity: &[f64],
    close: &[f64],
    name: &str,
    window: usize,
    ann: f64,
) -> Res {
    let m = moments(&returns(equity), &returns(close), window);
    let vol = |k: usize| -> Vec<f64> {
        m.iter()
            .map(|x| x.map_or(f64::NAN, |v| [v.0, v.1][k].max(0.0).sqrt() * ann.sqrt()))
            .collect()
    };
    lines(
        "Rolling 6-month volatility (annualized)",
        ts,
        &[("strategy", &vol(0), STRATEGY), (name, &vol(1), BENCH)],
        false,
    )
}

/// The rolling beta of the strategy's bar returns against the benchmark's.
pub fn rolling_beta(ts: &[i64], equity: &[f64], close: &[f64], name: &str, window: usize) -> Res {
    let beta: Vec<f64> = moments(&returns(equity), &returns(close), window)
        .iter()
        .map(|x| {
            x.map_or(
                f64::NAN,
                |(_, vb, c)| if vb > 0.0 { c / vb } else { f64::NAN },
            )
        })
        .collect();
    lines(
        &format!("Rolling 6-month beta against {name}"),
        ts,
        &[("beta", &beta, STRATEGY)],
        false,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_by_hand() {
        // r = 2·b over a 3-bar window: var(r) = 4·var(b), cov = 2·var(b), beta 2.
        let b = [0.0, 0.01, -0.02, 0.03];
        let r: Vec<f64> = b.iter().map(|x| 2.0 * x).collect();
        let m = moments(&r, &b, 3);
        assert!(m[1].is_none());
        let (vr, vb, c) = m[3].unwrap();
        // Window 0.01, −0.02, 0.03: mean 0.00667, var = (0.01² + 0.02² + 0.03²
        // − 3·0.00667²)/2 = 0.000633.
        assert!((vb - 0.0019 / 3.0).abs() < 1e-15);
        assert!((vr - 4.0 * vb).abs() < 1e-15 && (c - 2.0 * vb).abs() < 1e-15);
    }
}
