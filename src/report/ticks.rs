//! Axis ticks at round values: steps of 1, 2 or 5 × 10^k, and the ticks of
//! a logarithmic axis.

/// A round step (1, 2 or 5 × 10^k) giving about `target` ticks over `span`.
fn nice_step(span: f64, target: f64) -> f64 {
    let raw = (span / target).max(1e-12);
    let mag = 10f64.powf(raw.log10().floor());
    let m = match raw / mag {
        r if r < 1.5 => 1.0,
        r if r < 3.5 => 2.0,
        r if r < 7.5 => 5.0,
        _ => 10.0,
    };
    m * mag
}

/// Round tick values between `lo` and `hi`.
fn linear_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let step = nice_step(hi - lo, 5.0);
    let (a, b) = ((lo / step).ceil() as i64, (hi / step).floor() as i64);
    (a..=b).map(|i| i as f64 * step).collect()
}

/// Ticks of a log axis (given in ln units) at round values: 1, 2 and 5 ×
/// 10^k (with 3 × 10^k when that gives too few), thinned to powers of ten on
/// a wide range, and plain round steps on a narrow one.
pub(super) fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    // exp(ln v) may land a hair inside or outside v: allow 1e-9.
    let (a, b) = (lo.exp() * (1.0 - 1e-9), hi.exp() * (1.0 + 1e-9));
    let within = |ms: &[f64]| -> Vec<f64> {
        let (k0, k1) = (a.log10().floor() as i32, b.log10().ceil() as i32);
        (k0..=k1)
            .flat_map(|k| ms.iter().map(move |m| m * 10f64.powi(k)))
            .filter(|v| (a..=b).contains(v))
            .map(f64::ln)
            .collect()
    };
    let ticks = within(&[1.0, 2.0, 5.0]);
    if ticks.len() > 8 {
        return within(&[1.0]);
    }
    if ticks.len() >= 4 {
        return ticks;
    }
    let denser = within(&[1.0, 2.0, 3.0, 5.0]);
    if denser.len() >= 3 {
        return denser;
    }
    linear_ticks(a, b)
        .into_iter()
        .filter(|v| *v > 0.0)
        .map(f64::ln)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_sit_at_round_values() {
        let t: Vec<f64> = linear_ticks(-0.2, 0.93)
            .into_iter()
            .map(|x| (x * 1e9).round() / 1e9)
            .collect();
        assert_eq!(t, vec![-0.2, 0.0, 0.2, 0.4, 0.6, 0.8]);
        // GOOG's buy and hold: 8,000 to 80,000 → 10,000, 20,000, 30,000, 50,000.
        let t: Vec<f64> = log_ticks(8000f64.ln(), 80000f64.ln())
            .into_iter()
            .map(|x| x.exp().round())
            .collect();
        assert_eq!(t, vec![10000.0, 20000.0, 30000.0, 50000.0]);
        // A wide range keeps powers of ten only: 1, 10, …, 10^6.
        assert_eq!(log_ticks(1f64.ln(), 1e6f64.ln()).len(), 7);
        // A narrow one falls back to round steps: 100 to 130.
        let t: Vec<f64> = log_ticks(100f64.ln(), 130f64.ln())
            .into_iter()
            .map(|x| (x.exp() * 1e6).round() / 1e6)
            .collect();
        assert_eq!(t, vec![100.0, 105.0, 110.0, 115.0, 120.0, 125.0, 130.0]);
    }
}
