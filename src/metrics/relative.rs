//! Benchmark-relative statistics of period returns `r` paired with the
//! benchmark's `b` (same periods): empyrical's alpha, beta and up/down
//! capture; quantstats' information ratio (not annualized); tracking error,
//! correlation and R².

/// Every benchmark-relative statistic; `None` where undefined.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Relative {
    pub alpha: Option<f64>,
    pub beta: Option<f64>,
    pub information_ratio: Option<f64>,
    pub tracking_error: Option<f64>,
    pub correlation: Option<f64>,
    pub up_capture: Option<f64>,
    pub down_capture: Option<f64>,
}

impl Relative {
    /// The statistics of `r` against `b` (equal lengths), `ann` periods a
    /// year.
    pub fn new(r: &[f64], b: &[f64], ann: f64) -> Relative {
        let n = r.len().min(b.len());
        if n < 2 {
            return Relative::default();
        }
        let (r, b) = (&r[..n], &b[..n]);
        let nf = n as f64;
        let (mr, mb) = (r.iter().sum::<f64>() / nf, b.iter().sum::<f64>() / nf);
        let cov: f64 = r.iter().zip(b).map(|(x, y)| (x - mr) * (y - mb)).sum();
        let var: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
        let var_r: f64 = r.iter().map(|x| (x - mr).powi(2)).sum();
        let (alpha, beta) = if var == 0.0 {
            (None, None)
        } else {
            let beta = cov / var;
            let excess = r.iter().zip(b).map(|(x, y)| x - beta * y).sum::<f64>() / nf;
            (Some((1.0 + excess).powf(ann) - 1.0), Some(beta))
        };
        // Active returns d = r − b: mean and sample standard deviation.
        let md = mr - mb;
        let sd = (r
            .iter()
            .zip(b)
            .map(|(x, y)| (x - y - md).powi(2))
            .sum::<f64>()
            / (nf - 1.0))
            .sqrt();
        let ok = |x: f64| (x.is_finite()).then_some(x);
        // Annual return of r over b's in the periods `keep` picks, in one
        // pass (the products multiply in order, as annual_return's do).
        let capture = |keep: fn(f64) -> bool| {
            let (mut pr, mut pb, mut k) = (1.0f64, 1.0f64, 0usize);
            for (x, y) in r.iter().zip(b).filter(|(_, y)| keep(**y)) {
                pr *= 1.0 + x;
                pb *= 1.0 + y;
                k += 1;
            }
            if k == 0 {
                return None;
            }
            let e = ann / k as f64;
            let denominator = pb.powf(e) - 1.0;
            (denominator != 0.0).then(|| (pr.powf(e) - 1.0) / denominator)
        };
        Relative {
            alpha,
            beta,
            information_ratio: (sd > 0.0).then(|| md / sd).and_then(ok),
            tracking_error: ok(sd * ann.sqrt()),
            correlation: (var > 0.0 && var_r > 0.0)
                .then(|| cov / (var * var_r).sqrt())
                .and_then(ok),
            up_capture: capture(|y| y > 0.0),
            down_capture: capture(|y| y < 0.0),
        }
    }

    /// R² of the regression of `r` on `b`: the correlation squared.
    pub fn r_squared(&self) -> Option<f64> {
        self.correlation.map(|c| c * c)
    }
}

#[cfg(test)]
mod tests {
    use super::super::risk::annual_return;
    use super::*;

    #[test]
    fn by_hand() {
        let r = [0.02, -0.01, 0.03, -0.02];
        let b = [0.01, -0.02, 0.02, 0.01];
        let x = Relative::new(&r, &b, 252.0);
        // mean r 0.005, mean b 0.005; cov Σ = 0.015·0.005 + (−0.015)(−0.025)
        // + 0.025·0.015 + (−0.025)·0.005 = 0.000075 + 0.000375 + 0.000375 − 0.000125
        // = 0.0007; var b Σ = 0.000025 + 0.000625 + 0.000225 + 0.000025 = 0.0009.
        let beta = 0.0007 / 0.0009;
        assert!((x.beta.unwrap() - beta).abs() < 1e-15);
        // var r Σ = 0.000225 + 0.000225 + 0.000625 + 0.000625 = 0.0017.
        let corr = 0.0007 / (0.0009f64 * 0.0017).sqrt();
        assert!((x.correlation.unwrap() - corr).abs() < 1e-14);
        assert!((x.r_squared().unwrap() - corr * corr).abs() < 1e-14);
        // d = 0.01, 0.01, 0.01, −0.03: mean 0, sd √((3·0.0001 + 0.0009)/3) = 0.02.
        assert!(x.information_ratio.unwrap().abs() < 1e-15);
        assert!((x.tracking_error.unwrap() - 0.02 * 252f64.sqrt()).abs() < 1e-14);
        // Up periods (b > 0): r 0.02, 0.03, −0.02 vs b 0.01, 0.02, 0.01.
        let up = annual_return(&[0.02, 0.03, -0.02], 252.0).unwrap()
            / annual_return(&[0.01, 0.02, 0.01], 252.0).unwrap();
        assert!((x.up_capture.unwrap() - up).abs() < 1e-12);
        // Down (b < 0): −0.01 vs −0.02, one period each: (0.99^252 − 1)/(0.98^252 − 1).
        let down = (0.99f64.powf(252.0) - 1.0) / (0.98f64.powf(252.0) - 1.0);
        assert!((x.down_capture.unwrap() - down).abs() < 1e-12);
        assert_eq!(Relative::new(&[0.01], &[0.01], 252.0), Relative::default());
        assert_eq!(Relative::new(&r, &[0.01; 4], 252.0).beta, None);
    }
}
