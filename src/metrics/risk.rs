//! Risk and return ratios of period returns, as empyrical computes them:
//! annual return and volatility, Sharpe, Sortino, Calmar, max drawdown of the
//! compounded curve, omega, tail ratio, VaR/CVaR, stability, skew, kurtosis.
//! An undefined ratio (no volatility, no losses) is `None`, never a sentinel.

/// Mean and sample variance in one pass (Welford).
#[derive(Debug, Default, Clone, Copy)]
pub struct Welford {
    n: usize,
    mean: f64,
    m2: f64,
}

impl Welford {
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then_some(self.mean)
    }

    /// Sample standard deviation (ddof = 1).
    pub fn std(&self) -> Option<f64> {
        (self.n > 1).then(|| (self.m2 / (self.n - 1) as f64).sqrt())
    }
}

fn mean(r: &[f64]) -> Option<f64> {
    (!r.is_empty()).then(|| r.iter().sum::<f64>() / r.len() as f64)
}

fn std(r: &[f64]) -> Option<f64> {
    let m = mean(r)?;
    (r.len() > 1)
        .then(|| (r.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (r.len() - 1) as f64).sqrt())
}

fn nonzero(x: f64) -> Option<f64> {
    (x != 0.0 && x.is_finite()).then_some(x)
}

/// Geometric annual return: `(Π(1+r))^(ann/n) − 1`.
pub fn annual_return(r: &[f64], ann: f64) -> Option<f64> {
    if r.is_empty() {
        return None;
    }
    let total: f64 = r.iter().map(|x| 1.0 + x).product();
    Some(total.powf(ann / r.len() as f64) - 1.0)
}

pub fn annual_volatility(r: &[f64], ann: f64) -> Option<f64> {
    Some(std(r)? * ann.sqrt())
}

pub fn sharpe(r: &[f64], ann: f64) -> Option<f64> {
    Some(mean(r)? / nonzero(std(r)?)? * ann.sqrt())
}

/// Mean return · ann over the downside deviation (target 0, all periods).
pub fn sortino(r: &[f64], ann: f64) -> Option<f64> {
    let down = (r.iter().map(|x| x.min(0.0).powi(2)).sum::<f64>() / r.len().max(1) as f64).sqrt()
        * ann.sqrt();
    Some(mean(r)? * ann / nonzero(down)?)
}

/// Largest fall from a peak of the compounded curve starting at 1 (≤ 0).
pub fn max_drawdown(r: &[f64]) -> f64 {
    let (mut value, mut peak, mut worst) = (100.0f64, 100.0f64, 0.0f64);
    for x in r {
        value *= 1.0 + x;
        peak = peak.max(value);
        worst = worst.min((value - peak) / peak);
    }
    worst
}

pub fn calmar(r: &[f64], ann: f64) -> Option<f64> {
    let dd = max_drawdown(r);
    (dd < 0.0)
        .then(|| annual_return(r, ann).map(|a| a / dd.abs()))
        .flatten()
}

/// Sum of gains over sum of losses (threshold 0).
pub fn omega(r: &[f64]) -> Option<f64> {
    let gains: f64 = r.iter().filter(|x| **x > 0.0).sum();
    let losses: f64 = -r.iter().filter(|x| **x < 0.0).sum::<f64>();
    (losses > 0.0).then(|| gains / losses)
}

/// numpy's default (linear) percentile, `q` in 0..=100, of ascending
/// `sorted` values.
pub fn percentile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let v = sorted;
    let pos = q / 100.0 * (v.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    Some(v[lo] + (v[hi] - v[lo]) * (pos - lo as f64))
}

/// The period returns in ascending (total) order, sorted once for every
/// percentile metric.
pub fn sorted(r: &[f64]) -> Vec<f64> {
    let mut v = r.to_vec();
    v.sort_unstable_by(f64::total_cmp);
    v
}

/// 95th over |5th| percentile, of ascending `sorted` returns.
pub fn tail_ratio(sorted: &[f64]) -> Option<f64> {
    Some(percentile(sorted, 95.0)?.abs() / nonzero(percentile(sorted, 5.0)?.abs())?)
}

/// Value at risk at 95 %: the 5th percentile of (ascending) period returns.
pub fn value_at_risk(sorted: &[f64]) -> Option<f64> {
    percentile(sorted, 5.0)
}

/// Mean of the worst `⌊(n−1)·0.05⌋ + 1` returns (empyrical's CVaR), of
/// ascending `sorted` returns.
pub fn conditional_value_at_risk(sorted: &[f64]) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let k = ((sorted.len() - 1) as f64 * 0.05) as usize;
    mean(&sorted[..=k])
}

/// R² of a straight line through the cumulative log returns.
pub fn stability(r: &[f64]) -> Option<f64> {
    let n = r.len();
    if n < 2 {
        return None;
    }
    let mut y = Vec::with_capacity(n);
    let mut acc = 0.0;
    for x in r {
        acc += x.ln_1p();
        y.push(acc);
    }
    let mx = (n - 1) as f64 / 2.0;
    let my = y.iter().sum::<f64>() / n as f64;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (i, yi) in y.iter().enumerate() {
        let (dx, dy) = (i as f64 - mx, yi - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    let rr = sxy / nonzero((sxx * syy).sqrt())?;
    Some(rr * rr)
}

fn moments(r: &[f64]) -> Option<(f64, f64, f64, f64)> {
    let n = r.len() as f64;
    let m = mean(r)?;
    let (mut m2, mut m3, mut m4) = (0.0, 0.0, 0.0);
    for x in r {
        let d = x - m;
        m2 += d * d;
        m3 += d * d * d;
        m4 += d * d * d * d;
    }
    Some((n, m2, m3, m4))
}

/// Adjusted Fisher–Pearson skewness (pandas' `skew`).
pub fn skew(r: &[f64]) -> Option<f64> {
    let (n, m2, m3, _) = moments(r)?;
    if n < 3.0 {
        return None;
    }
    let (m2, m3) = (m2 / n, m3 / n);
    let g1 = m3 / nonzero(m2.powf(1.5))?;
    Some(g1 * (n * (n - 1.0)).sqrt() / (n - 2.0))
}

/// Unbiased excess kurtosis (pandas' `kurt`).
pub fn kurtosis(r: &[f64]) -> Option<f64> {
    let (n, m2, _, m4) = moments(r)?;
    if n < 4.0 {
        return None;
    }
    let (m2, m4) = (m2 / n, m4 / n);
    let g2 = m4 / nonzero(m2 * m2)? - 3.0;
    Some((n - 1.0) / ((n - 2.0) * (n - 3.0)) * ((n + 1.0) * g2 + 6.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    const R: [f64; 6] = [0.01, -0.02, 0.03, 0.0, -0.01, 0.02];

    #[test]
    fn by_hand() {
        // mean 0.005; sample variance Σ(d²)/5 = (0.000025+0.000625+0.000625+0.000025+0.000225+0.000225)/5 = 0.00035.
        let sd = 0.00035f64.sqrt();
        assert!((annual_volatility(&R, 252.0).unwrap() - sd * 252f64.sqrt()).abs() < 1e-15);
        assert!((sharpe(&R, 252.0).unwrap() - 0.005 / sd * 252f64.sqrt()).abs() < 1e-12);
        // Downside: sqrt((0.0004 + 0.0001)/6)·sqrt(252).
        let down = (0.0005f64 / 6.0).sqrt() * 252f64.sqrt();
        assert!((sortino(&R, 252.0).unwrap() - 0.005 * 252.0 / down).abs() < 1e-12);
        // Curve 101, 98.98, 101.9494, 101.9494, 100.929906, 102.94850412: worst (98.98 − 101)/101.
        assert!((max_drawdown(&R) - (98.98 - 101.0) / 101.0).abs() < 1e-15);
        assert_eq!(omega(&R), Some(0.06 / 0.03));
        // Sorted: -0.02 -0.01 0 0.01 0.02 0.03; 5th pct at 0.25: -0.02 + 0.25·0.01.
        let sorted = sorted(&R);
        assert_eq!(sorted, [-0.02, -0.01, 0.0, 0.01, 0.02, 0.03]);
        assert!((value_at_risk(&sorted).unwrap() + 0.0175).abs() < 1e-15);
        assert_eq!(conditional_value_at_risk(&sorted), Some(-0.02));
        assert_eq!(sharpe(&[0.01, 0.01], 252.0), None);
        assert_eq!(omega(&[0.01]), None);
        assert_eq!(calmar(&[0.01, 0.02], 252.0), None);
    }

    #[test]
    fn moments_match_pandas() {
        let s = [1.0, 2.0, 3.0, 4.0, 10.0];
        // pd.Series([1, 2, 3, 4, 10]).skew() = 1.697056274847714, .kurt() = 3.1519999999999984
        assert!((skew(&s).unwrap() - 1.697056274847714).abs() < 1e-12);
        assert!((kurtosis(&s).unwrap() - 3.152).abs() < 1e-12);
        let mut w = Welford::default();
        s.iter().for_each(|x| w.push(*x));
        assert_eq!(w.mean(), Some(4.0));
        assert!((w.std().unwrap() - 12.5f64.sqrt()).abs() < 1e-12);
    }
}
