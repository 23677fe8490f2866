//! Statistics of the period returns as quantstats 0.0.86 computes them:
//! wins and losses per period, streaks, and the drawdown of the compounded
//! returns from a starting value of 1 (ulcer, serenity, recovery), plus the
//! risk of ruin. Every function reads the same period returns as the risk
//! metrics; undefined values are None.

fn mean(v: impl Iterator<Item = f64>) -> Option<f64> {
    let (mut s, mut n) = (0.0, 0usize);
    for x in v {
        s += x;
        n += 1;
    }
    (n > 0).then(|| s / n as f64)
}

fn nonzero(x: f64) -> Option<f64> {
    (x != 0.0 && x.is_finite()).then_some(x)
}

/// count(r > 0) / count(r ≠ 0).
pub fn win_rate(r: &[f64]) -> Option<f64> {
    let moved = r.iter().filter(|x| **x != 0.0).count();
    (moved > 0).then(|| r.iter().filter(|x| **x > 0.0).count() as f64 / moved as f64)
}

/// Mean of the positive returns.
pub fn avg_win(r: &[f64]) -> Option<f64> {
    mean(r.iter().copied().filter(|x| *x > 0.0))
}

/// Mean of the negative returns.
pub fn avg_loss(r: &[f64]) -> Option<f64> {
    mean(r.iter().copied().filter(|x| *x < 0.0))
}

pub fn best(r: &[f64]) -> Option<f64> {
    r.iter().copied().reduce(f64::max)
}

pub fn worst(r: &[f64]) -> Option<f64> {
    r.iter().copied().reduce(f64::min)
}

/// avg_win / |avg_loss|.
pub fn payoff_ratio(r: &[f64]) -> Option<f64> {
    Some(avg_win(r)? / nonzero(avg_loss(r)?.abs())?)
}

/// Σ(r ≥ 0) / |Σ(r < 0)|.
pub fn profit_factor(r: &[f64]) -> Option<f64> {
    let wins: f64 = r.iter().filter(|x| **x >= 0.0).sum();
    let losses: f64 = r.iter().filter(|x| **x < 0.0).sum();
    Some(wins / nonzero(losses.abs())?)
}

/// Σr / |Σ(r < 0)| (Schwager's gain to pain).
pub fn gain_to_pain(r: &[f64]) -> Option<f64> {
    let losses: f64 = r.iter().filter(|x| **x < 0.0).sum();
    Some(r.iter().sum::<f64>() / nonzero(losses.abs())?)
}

/// The longest run of returns meeting `hit` (a zero breaks a run either way).
pub fn longest_run(r: &[f64], hit: impl Fn(f64) -> bool) -> Option<f64> {
    let (mut best, mut run) = (0usize, 0usize);
    for &x in r {
        run = if hit(x) { run + 1 } else { 0 };
        best = best.max(run);
    }
    (!r.is_empty()).then_some(best as f64)
}

/// The drawdown of the compounded returns at each period, the account
/// starting at 1 before the first return.
pub fn drawdowns(r: &[f64]) -> Vec<f64> {
    let (mut value, mut peak) = (1.0f64, 1.0f64);
    r.iter()
        .map(|x| {
            value *= 1.0 + x;
            peak = peak.max(value);
            value / peak - 1.0
        })
        .collect()
}

/// √(Σdd² / (n − 1)).
pub fn ulcer_index(r: &[f64]) -> Option<f64> {
    if r.len() < 2 {
        return None;
    }
    let dd = drawdowns(r);
    Some((dd.iter().map(|d| d * d).sum::<f64>() / (r.len() - 1) as f64).sqrt())
}

/// Sample standard deviation (ddof 1).
fn std(v: &[f64]) -> Option<f64> {
    let n = v.len();
    if n < 2 {
        return None;
    }
    let m = v.iter().sum::<f64>() / n as f64;
    Some((v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt())
}

/// Φ⁻¹(0.05), the standard normal's 5 % quantile (scipy's norm.ppf(0.05)).
const Z05: f64 = -1.644_853_626_951_472_9;

/// The expected shortfall at 5 % of a normal fit to `v` (mean, ddof-1 σ):
/// μ − σ·φ(Φ⁻¹(0.05))/0.05, quantstats' parametric CVaR.
fn normal_cvar(v: &[f64]) -> Option<f64> {
    let mu = v.iter().sum::<f64>() / v.len().max(1) as f64;
    let sd = std(v)?;
    if sd == 0.0 {
        return Some(mu);
    }
    let pdf = (-0.5 * Z05 * Z05).exp() / (2.0 * std::f64::consts::PI).sqrt();
    Some(mu - sd * pdf / 0.05)
}

/// Σr / (ulcer × pitfall), pitfall = −CVaR₉₅(dd) / std(r), both parametric.
pub fn serenity_index(r: &[f64]) -> Option<f64> {
    let sd = nonzero(std(r)?)?;
    let pitfall = -normal_cvar(&drawdowns(r))? / sd;
    Some(r.iter().sum::<f64>() / nonzero(ulcer_index(r)? * pitfall)?)
}

/// |Σr| / |max drawdown of the compounded returns|.
pub fn recovery_factor(r: &[f64]) -> Option<f64> {
    let max_dd = drawdowns(r).into_iter().reduce(f64::min)?;
    Some(r.iter().sum::<f64>().abs() / nonzero(max_dd.abs())?)
}

/// ((1 − w) / (1 + w))^n with w the period win rate and n the periods.
pub fn risk_of_ruin(r: &[f64]) -> Option<f64> {
    let w = win_rate(r)?;
    Some(((1.0 - w) / (1.0 + w)).powi(r.len() as i32))
}

/// Every statistic of this file from one return series, in two passes
/// (sums, counts, streaks and drawdowns; then the deviations), for the
/// metric table: the same values as the functions above.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    pub win_rate: Option<f64>,
    pub avg_win: Option<f64>,
    pub avg_loss: Option<f64>,
    pub best: Option<f64>,
    pub worst: Option<f64>,
    pub payoff: Option<f64>,
    pub profit_factor: Option<f64>,
    pub gain_to_pain: Option<f64>,
    pub consecutive_wins: Option<f64>,
    pub consecutive_losses: Option<f64>,
    pub ulcer: Option<f64>,
    pub serenity: Option<f64>,
    pub recovery: Option<f64>,
    pub ruin: Option<f64>,
}

impl Stats {
    pub fn new(r: &[f64]) -> Stats {
        let n = r.len();
        if n == 0 {
            return Stats::default();
        }
        let (mut wins, mut losses, mut moved) = (0usize, 0usize, 0usize);
        let (mut win_sum, mut loss_sum, mut nonneg_sum, mut total) = (0.0, 0.0, 0.0, 0.0);
        let (mut best, mut worst) = (f64::NEG_INFINITY, f64::INFINITY);
        let (mut run_w, mut run_l, mut max_w, mut max_l) = (0usize, 0usize, 0usize, 0usize);
        let (mut value, mut peak) = (1.0f64, 1.0f64);
        let (mut dd_sum, mut dd_sq, mut dd_min) = (0.0, 0.0, 0.0f64);
        for &x in r {
            total += x;
            best = best.max(x);
            worst = worst.min(x);
            if x >= 0.0 {
                nonneg_sum += x;
            }
            if x > 0.0 {
                wins += 1;
                win_sum += x;
            } else if x < 0.0 {
                losses += 1;
                loss_sum += x;
            }
            moved += usize::from(x != 0.0);
            run_w = if x > 0.0 { run_w + 1 } else { 0 };
            run_l = if x < 0.0 { run_l + 1 } else { 0 };
            max_w = max_w.max(run_w);
            max_l = max_l.max(run_l);
            value *= 1.0 + x;
            peak = peak.max(value);
            let dd = value / peak - 1.0;
            dd_sum += dd;
            dd_sq += dd * dd;
            dd_min = dd_min.min(dd);
        }
        let (mean_r, mean_dd) = (total / n as f64, dd_sum / n as f64);
        let (mut var_r, mut var_dd) = (0.0, 0.0);
        let (mut value, mut peak) = (1.0f64, 1.0f64);
        for &x in r {
            var_r += (x - mean_r).powi(2);
            value *= 1.0 + x;
            peak = peak.max(value);
            var_dd += (value / peak - 1.0 - mean_dd).powi(2);
        }
        let sd = |v: f64| (n > 1).then(|| (v / (n - 1) as f64).sqrt());
        let avg_win = (wins > 0).then(|| win_sum / wins as f64);
        let avg_loss = (losses > 0).then(|| loss_sum / losses as f64);
        let win_rate = (moved > 0).then(|| wins as f64 / moved as f64);
        let ulcer = (n > 1).then(|| (dd_sq / (n - 1) as f64).sqrt());
        let serenity = (|| {
            let sd_r = nonzero(sd(var_r)?)?;
            let sd_dd = sd(var_dd)?;
            let pdf = (-0.5 * Z05 * Z05).exp() / (2.0 * std::f64::consts::PI).sqrt();
            let cvar = if sd_dd == 0.0 {
                mean_dd
            } else {
                mean_dd - sd_dd * pdf / 0.05
            };
            let pitfall = -cvar / sd_r;
            Some(total / nonzero(ulcer? * pitfall)?)
        })();
        Stats {
            win_rate,
            avg_win,
            avg_loss,
            best: Some(best),
            worst: Some(worst),
            payoff: (|| Some(avg_win? / nonzero(avg_loss?.abs())?))(),
            profit_factor: nonzero(loss_sum.abs()).map(|l| nonneg_sum / l),
            gain_to_pain: nonzero(loss_sum.abs()).map(|l| total / l),
            consecutive_wins: Some(max_w as f64),
            consecutive_losses: Some(max_l as f64),
            ulcer,
            serenity,
            recovery: nonzero(dd_min.abs()).map(|d| total.abs() / d),
            ruin: win_rate.map(|w| ((1.0 - w) / (1.0 + w)).powi(n as i32)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const R: [f64; 6] = [0.01, -0.02, 0.0, 0.03, -0.01, -0.01];

    #[test]
    fn by_hand() {
        // Wins 0.01, 0.03; losses −0.02, −0.01, −0.01; one zero.
        assert_eq!(win_rate(&R), Some(2.0 / 5.0));
        assert_eq!(avg_win(&R), Some(0.02));
        assert!((avg_loss(&R).unwrap() + 0.04 / 3.0).abs() < 1e-15);
        assert_eq!((best(&R), worst(&R)), (Some(0.03), Some(-0.02)));
        assert!((payoff_ratio(&R).unwrap() - 0.02 / (0.04 / 3.0)).abs() < 1e-12);
        // Σ(r ≥ 0) = 0.04, |Σ(r < 0)| = 0.04; Σr = 0.
        assert!((profit_factor(&R).unwrap() - 1.0).abs() < 1e-12);
        assert!(gain_to_pain(&R).unwrap().abs() < 1e-12);
        // Streaks: the zero breaks the loss run; the last two losses run 2.
        assert_eq!(longest_run(&R, |x| x > 0.0), Some(1.0));
        assert_eq!(longest_run(&R, |x| x < 0.0), Some(2.0));
        // Values 1.01, 0.9898, 0.9898, 1.019494, 1.00929906, 0.9992060694;
        // peak 1.01 then 1.019494: dd 0, −0.02, −0.02, 0, −0.01, −0.0199.
        let dd = drawdowns(&R);
        assert!((dd[1] + 0.02).abs() < 1e-15 && dd[3] == 0.0);
        assert!((dd[5] - (0.99 * 0.99 - 1.0)).abs() < 1e-15);
        let sq: f64 = dd.iter().map(|d| d * d).sum();
        assert!((ulcer_index(&R).unwrap() - (sq / 5.0).sqrt()).abs() < 1e-15);
        // Recovery: |Σr| = 0 over 0.02.
        assert!(recovery_factor(&R).unwrap().abs() < 1e-12);
        // Ruin: (0.6 / 1.4)^6.
        assert!((risk_of_ruin(&R).unwrap() - (0.6f64 / 1.4).powi(6)).abs() < 1e-15);
        // φ(Φ⁻¹(0.05)) / 0.05 = 2.0627128075074257 (scipy).
        let pdf = (-0.5 * Z05 * Z05).exp() / (2.0 * std::f64::consts::PI).sqrt();
        assert!((pdf / 0.05 - 2.062_712_807_507_425_7).abs() < 1e-14);
        assert_eq!(win_rate(&[0.0, 0.0]), None);
    }

    #[test]
    fn one_pass_equals_the_functions() {
        let r: Vec<f64> = (0..500)
            .map(|i| ((i * 37 % 101) as f64 - 50.0) / 2000.0 * if i % 7 == 0 { 0.0 } else { 1.0 })
            .collect();
        let s = Stats::new(&r);
        let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => (a - b).abs() <= 1e-12 * b.abs().max(1e-12),
            (a, b) => a == b,
        };
        assert!(close(s.win_rate, win_rate(&r)));
        assert!(close(s.avg_win, avg_win(&r)) && close(s.avg_loss, avg_loss(&r)));
        assert!(close(s.best, best(&r)) && close(s.worst, worst(&r)));
        assert!(close(s.payoff, payoff_ratio(&r)));
        assert!(close(s.profit_factor, profit_factor(&r)));
        assert!(close(s.gain_to_pain, gain_to_pain(&r)));
        assert!(close(s.consecutive_wins, longest_run(&r, |x| x > 0.0)));
        assert!(close(s.consecutive_losses, longest_run(&r, |x| x < 0.0)));
        assert!(close(s.ulcer, ulcer_index(&r)));
        assert!(close(s.serenity, serenity_index(&r)));
        assert!(close(s.recovery, recovery_factor(&r)));
        assert!(close(s.ruin, risk_of_ruin(&r)));
    }
}
