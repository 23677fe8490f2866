//! The metric table: every metric defined once, with its name, its kind
//! (how it prints), which direction is better, and the code that computes
//! it. Names, formatting, objectives, constraints and `merge` all read it.

use super::trades::TradeStats;
use super::{period, risk, Context};

/// What a metric's number is, which decides how it prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A fraction shown as a percentage (0.0532 → `5.32 %`).
    Fraction,
    /// An amount of the account's currency (`63215.43`).
    Money,
    /// A whole count (`47`).
    Count,
    /// A length in bars (`412`, or `26.2` for an average).
    Bars,
    /// A ratio or statistic (`1.0804`).
    Ratio,
}

/// Which way a metric improves, the default direction of an objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
}

/// The intermediate results every metric reads, computed once per backtest.
pub struct Inputs<'a> {
    pub sum: &'a super::Summary<'a>,
    pub cx: &'a Context<'a>,
    /// Period returns of the equity curve.
    pub r: &'a [f64],
    /// The same in ascending order (for the percentile metrics).
    pub sorted: &'a [f64],
    /// The period-return statistics, computed in one go.
    pub period: period::Stats,
    /// Periods per year.
    pub ann: f64,
    pub trades: TradeStats,
    pub relative: super::relative::Relative,
}

/// One metric.
pub struct Def {
    pub name: &'static str,
    pub kind: Kind,
    pub better: Better,
    pub compute: fn(&Inputs) -> Option<f64>,
    /// One line for people (the README's metric list).
    pub about: &'static str,
}

const fn def(
    name: &'static str,
    kind: Kind,
    better: Better,
    compute: fn(&Inputs) -> Option<f64>,
    about: &'static str,
) -> Def {
    Def {
        name,
        kind,
        better,
        compute,
        about,
    }
}

fn count(v: usize) -> Option<f64> {
    Some(v as f64)
}

use Better::{Higher, Lower};
use Kind::{Bars, Count, Fraction, Money, Ratio};

/// Every metric, sorted by name.
pub static TABLE: &[Def] = &[
    def(
        "alpha",
        Fraction,
        Higher,
        |i| i.relative.alpha,
        "annualized alpha against the benchmark (empyrical's, compounded)",
    ),
    def(
        "annual_return",
        Fraction,
        Higher,
        |i| risk::annual_return(i.r, i.ann),
        "compound annual growth rate of the period returns",
    ),
    def(
        "annual_volatility",
        Fraction,
        Lower,
        |i| risk::annual_volatility(i.r, i.ann),
        "annualized standard deviation of the period returns",
    ),
    def(
        "avg_drawdown",
        Fraction,
        Higher,
        |i| i.sum.dd.average,
        "mean depth of the bar-level drawdown episodes",
    ),
    def(
        "avg_period_loss",
        Fraction,
        Higher,
        |i| i.period.avg_loss,
        "mean of the losing period returns",
    ),
    def(
        "avg_period_win",
        Fraction,
        Higher,
        |i| i.period.avg_win,
        "mean of the winning period returns",
    ),
    def(
        "avg_trade",
        Fraction,
        Higher,
        |i| i.trades.avg_trade,
        "geometric mean trade return",
    ),
    def(
        "avg_trade_bars",
        Bars,
        Lower,
        |i| i.trades.avg_trade_bars,
        "mean bars a trade is held",
    ),
    def("bars", Count, Higher, |i| count(i.sum.bars), "bars traded"),
    def(
        "best_period",
        Fraction,
        Higher,
        |i| i.period.best,
        "best period return",
    ),
    def(
        "best_trade",
        Fraction,
        Higher,
        |i| i.trades.best_trade,
        "best trade return",
    ),
    def(
        "beta",
        Ratio,
        Lower,
        |i| i.relative.beta,
        "beta against the benchmark (empyrical)",
    ),
    def(
        "buy_hold_return",
        Fraction,
        Higher,
        |i| match (i.cx.close.first(), i.cx.close.last()) {
            (Some(a), Some(b)) => Some(b / a - 1.0),
            _ => None,
        },
        "return of holding the traded series",
    ),
    def(
        "calmar",
        Ratio,
        Higher,
        |i| risk::calmar(i.r, i.ann),
        "annual return over |max_drawdown| (empyrical)",
    ),
    def(
        "commissions",
        Money,
        Lower,
        |i| Some(i.sum.commissions),
        "commissions paid",
    ),
    def(
        "common_sense_ratio",
        Ratio,
        Higher,
        |i| Some(i.period.profit_factor? * risk::tail_ratio(i.sorted)?),
        "period_profit_factor × tail_ratio",
    ),
    def(
        "conditional_value_at_risk_95",
        Fraction,
        Higher,
        |i| risk::conditional_value_at_risk(i.sorted),
        "mean period return at or below the 5th percentile",
    ),
    def(
        "consecutive_losses",
        Count,
        Lower,
        |i| i.period.consecutive_losses,
        "longest run of losing periods (a zero return breaks it)",
    ),
    def(
        "consecutive_wins",
        Count,
        Higher,
        |i| i.period.consecutive_wins,
        "longest run of winning periods (a zero return breaks it)",
    ),
    def(
        "correlation",
        Ratio,
        Higher,
        |i| i.relative.correlation,
        "Pearson correlation of the period returns with the benchmark's",
    ),
    def(
        "down_capture",
        Ratio,
        Lower,
        |i| i.relative.down_capture,
        "annual return over the benchmark's, in the benchmark's falling periods (empyrical)",
    ),
    def(
        "equity_max_drawdown",
        Fraction,
        Higher,
        |i| (i.sum.bars > 0).then_some(i.sum.dd.max),
        "deepest fall of the bar-level equity curve (backtesting.py's Max. Drawdown)",
    ),
    def(
        "equity_peak",
        Money,
        Higher,
        |i| i.sum.peak,
        "highest equity",
    ),
    def(
        "expectancy",
        Fraction,
        Higher,
        |i| i.trades.expectancy,
        "mean trade return",
    ),
    def(
        "exposure",
        Fraction,
        Higher,
        |i| {
            let n = i.sum.bars;
            (n > 0).then(|| i.sum.bars_in_market as f64 / n as f64)
        },
        "fraction of bars with a position",
    ),
    def(
        "final_equity",
        Money,
        Higher,
        |i| Some(i.sum.final_equity),
        "equity at the last bar",
    ),
    def(
        "gain_to_pain_ratio",
        Ratio,
        Higher,
        |i| i.period.gain_to_pain,
        "Σr / |Σ(r < 0)| over the period returns",
    ),
    def(
        "information_ratio",
        Ratio,
        Higher,
        |i| i.relative.information_ratio,
        "mean over sample std of the active returns r − b, not annualized (quantstats)",
    ),
    def(
        "kelly",
        Fraction,
        Higher,
        |i| i.trades.kelly,
        "Kelly criterion of the closed trades",
    ),
    def(
        "kurtosis",
        Ratio,
        Lower,
        |i| risk::kurtosis(i.r),
        "excess kurtosis of the period returns",
    ),
    def(
        "max_drawdown",
        Fraction,
        Higher,
        |i| (!i.r.is_empty()).then(|| risk::max_drawdown(i.r)),
        "deepest fall of the period-return curve (empyrical)",
    ),
    def(
        "max_drawdown_duration_bars",
        Bars,
        Lower,
        |i| count(i.sum.dd.max_duration_bars),
        "longest run of bars under a previous equity peak",
    ),
    def(
        "max_trade_bars",
        Bars,
        Lower,
        |i| i.trades.max_trade_bars.map(|b| b as f64),
        "longest trade in bars",
    ),
    def(
        "omega",
        Ratio,
        Higher,
        |i| risk::omega(i.r),
        "omega ratio at a zero threshold",
    ),
    def(
        "open_trades",
        Count,
        Lower,
        |i| count(i.sum.trades.iter().filter(|t| t.is_open()).count()),
        "trades still open at the end",
    ),
    def(
        "payoff_ratio",
        Ratio,
        Higher,
        |i| i.period.payoff,
        "avg_period_win / |avg_period_loss|",
    ),
    def(
        "period_profit_factor",
        Ratio,
        Higher,
        |i| i.period.profit_factor,
        "Σ(r ≥ 0) / |Σ(r < 0)| over the period returns",
    ),
    def(
        "period_win_rate",
        Fraction,
        Higher,
        |i| i.period.win_rate,
        "count(r > 0) / count(r ≠ 0) over the period returns",
    ),
    def(
        "periods_per_year",
        Count,
        Higher,
        |i| Some(i.ann),
        "return periods per year used to annualize",
    ),
    def(
        "profit_factor",
        Ratio,
        Higher,
        |i| i.trades.profit_factor,
        "gross profit over gross loss",
    ),
    def(
        "r_squared",
        Ratio,
        Higher,
        |i| i.relative.r_squared(),
        "the correlation with the benchmark, squared",
    ),
    def(
        "recovery_factor",
        Ratio,
        Higher,
        |i| i.period.recovery,
        "|Σr| / |max drawdown of the compounded period returns|",
    ),
    def(
        "return_periods",
        Count,
        Higher,
        |i| count(i.r.len()),
        "period returns measured",
    ),
    def(
        "risk_of_ruin",
        Fraction,
        Lower,
        |i| i.period.ruin,
        "((1 − w) / (1 + w))^n, w = period_win_rate, n = periods",
    ),
    def(
        "serenity_index",
        Ratio,
        Higher,
        |i| i.period.serenity,
        "Σr / (ulcer_index × pitfall), pitfall = −CVaR₉₅(dd) / std(r), both normal",
    ),
    def(
        "sharpe",
        Ratio,
        Higher,
        |i| risk::sharpe(i.r, i.ann),
        "annualized Sharpe ratio (empyrical)",
    ),
    def(
        "skew",
        Ratio,
        Higher,
        |i| risk::skew(i.r),
        "skewness of the period returns",
    ),
    def(
        "sortino",
        Ratio,
        Higher,
        |i| risk::sortino(i.r, i.ann),
        "annualized Sortino ratio (empyrical)",
    ),
    def(
        "sqn",
        Ratio,
        Higher,
        |i| i.trades.sqn,
        "system quality number",
    ),
    def(
        "stability",
        Ratio,
        Higher,
        |i| risk::stability(i.r),
        "R² of the log cumulative returns against time",
    ),
    def(
        "tail_ratio",
        Ratio,
        Higher,
        |i| risk::tail_ratio(i.sorted),
        "95th over |5th| percentile of the period returns",
    ),
    def(
        "total_return",
        Fraction,
        Higher,
        |i| Some(i.sum.final_equity / i.cx.cash - 1.0),
        "final over starting equity, minus one",
    ),
    def(
        "tracking_error",
        Fraction,
        Lower,
        |i| i.relative.tracking_error,
        "sample std of the active returns r − b, annualized",
    ),
    def(
        "trades",
        Count,
        Higher,
        |i| count(i.trades.trades),
        "trades entered",
    ),
    def(
        "ulcer_index",
        Ratio,
        Lower,
        |i| i.period.ulcer,
        "√(Σdd² / (n − 1)), dd of the compounded period returns from 1",
    ),
    def(
        "up_capture",
        Ratio,
        Higher,
        |i| i.relative.up_capture,
        "annual return over the benchmark's, in the benchmark's rising periods (empyrical)",
    ),
    def(
        "value_at_risk_95",
        Fraction,
        Higher,
        |i| risk::value_at_risk(i.sorted),
        "5th percentile of the period returns",
    ),
    def(
        "win_rate",
        Fraction,
        Higher,
        |i| i.trades.win_rate,
        "fraction of closed trades with a gain",
    ),
    def(
        "worst_period",
        Fraction,
        Higher,
        |i| i.period.worst,
        "worst period return",
    ),
    def(
        "worst_trade",
        Fraction,
        Higher,
        |i| i.trades.worst_trade,
        "worst trade return",
    ),
];

/// The definition of the metric named `name`.
pub fn lookup(name: &str) -> Option<&'static Def> {
    TABLE
        .binary_search_by(|d| d.name.cmp(name))
        .ok()
        .map(|i| &TABLE[i])
}

/// The metrics that are functions of the period returns alone, so that a
/// benchmark has them too (`benchmark_metrics`).
pub const OF_RETURNS: &[&str] = &[
    "annual_return",
    "annual_volatility",
    "avg_period_loss",
    "avg_period_win",
    "best_period",
    "calmar",
    "common_sense_ratio",
    "conditional_value_at_risk_95",
    "consecutive_losses",
    "consecutive_wins",
    "gain_to_pain_ratio",
    "kurtosis",
    "max_drawdown",
    "omega",
    "payoff_ratio",
    "period_profit_factor",
    "period_win_rate",
    "recovery_factor",
    "return_periods",
    "risk_of_ruin",
    "serenity_index",
    "sharpe",
    "skew",
    "sortino",
    "stability",
    "tail_ratio",
    "total_return",
    "ulcer_index",
    "value_at_risk_95",
    "worst_period",
];

/// Every metric name, sorted.
pub fn names() -> impl Iterator<Item = &'static str> {
    TABLE.iter().map(|d| d.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_unique() {
        assert!(TABLE.windows(2).all(|w| w[0].name < w[1].name));
        assert_eq!(lookup("sharpe").map(|d| d.kind), Some(Ratio));
        assert!(lookup("sharp").is_none());
    }
}
