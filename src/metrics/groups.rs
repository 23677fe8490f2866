//! The metric table's reading order for people: metrics grouped by what
//! they say (returns, risk, risk-adjusted, trades, benchmark-relative, the
//! sample), the order reports print them in. Every metric is in exactly one
//! group (tested).

/// (group, its metrics in reading order).
pub const GROUPS: [(&str, &[&str]); 6] = [
    (
        "Returns",
        &[
            "total_return",
            "annual_return",
            "final_equity",
            "equity_peak",
            "buy_hold_return",
            "best_period",
            "worst_period",
            "avg_period_win",
            "avg_period_loss",
            "period_win_rate",
            "consecutive_wins",
            "consecutive_losses",
        ],
    ),
    (
        "Risk",
        &[
            "annual_volatility",
            "max_drawdown",
            "equity_max_drawdown",
            "max_drawdown_duration_bars",
            "avg_drawdown",
            "ulcer_index",
            "value_at_risk_95",
            "conditional_value_at_risk_95",
            "skew",
            "kurtosis",
            "risk_of_ruin",
        ],
    ),
    (
        "Risk-adjusted",
        &[
            "sharpe",
            "sortino",
            "calmar",
            "omega",
            "tail_ratio",
            "stability",
            "serenity_index",
            "recovery_factor",
            "gain_to_pain_ratio",
            "payoff_ratio",
            "period_profit_factor",
            "common_sense_ratio",
        ],
    ),
    (
        "Trades",
        &[
            "trades",
            "open_trades",
            "win_rate",
            "best_trade",
            "worst_trade",
            "avg_trade",
            "avg_trade_bars",
            "max_trade_bars",
            "profit_factor",
            "expectancy",
            "sqn",
            "kelly",
            "exposure",
            "commissions",
        ],
    ),
    (
        "Benchmark-relative",
        &[
            "alpha",
            "beta",
            "correlation",
            "r_squared",
            "information_ratio",
            "tracking_error",
            "up_capture",
            "down_capture",
        ],
    ),
    ("Sample", &["bars", "return_periods", "periods_per_year"]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_is_in_one_group() {
        let mut grouped: Vec<&str> = GROUPS.iter().flat_map(|(_, m)| m.iter().copied()).collect();
        grouped.sort_unstable();
        let all: Vec<&str> = super::super::table::names().collect();
        assert_eq!(grouped, all);
    }
}
