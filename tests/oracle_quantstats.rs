//! The period-return statistics against quantstats 0.0.86 on sma_cross
//! 10/20 over GOOG (`tests/fixtures/quantstats/`, made by the script beside
//! it from this run's equity.csv), each to 1e-9 relative.

mod common;
use common::*;

#[test]
fn period_statistics_equal_quantstats() {
    let text = std::fs::read_to_string(fixture("quantstats/GOOG_sma_cross_10_20.json")).unwrap();
    let want: serde_json::Value = serde_json::from_str(&text).unwrap();
    let j = tradelab(&["run", "strategies/sma_cross.toml", "--json"]).json();
    let m = &j["metrics"];
    // The same 2,147 daily returns (2,148 bars).
    assert_eq!(m["return_periods"].as_f64(), want["periods"].as_f64());
    let names = [
        "period_win_rate",
        "avg_period_win",
        "avg_period_loss",
        "best_period",
        "worst_period",
        "payoff_ratio",
        "period_profit_factor",
        "gain_to_pain_ratio",
        "common_sense_ratio",
        "consecutive_wins",
        "consecutive_losses",
        "ulcer_index",
        "serenity_index",
        "recovery_factor",
        "risk_of_ruin",
    ];
    for k in names {
        let (got, exp) = (m[k].as_f64().unwrap(), want[k].as_f64().unwrap());
        let err = (got - exp).abs() / exp.abs().max(1e-300);
        assert!(err <= 1e-9 || got == exp, "{k}: {got} vs quantstats {exp}");
    }
    // By hand from the fixture: payoff = avg win / |avg loss|, profit factor
    // − 1 = gain to pain (Σr = Σwins − |Σlosses|), common sense = profit
    // factor × tail ratio.
    let f = |k: &str| m[k].as_f64().unwrap();
    assert!((f("payoff_ratio") - f("avg_period_win") / f("avg_period_loss").abs()).abs() < 1e-12);
    assert!((f("period_profit_factor") - 1.0 - f("gain_to_pain_ratio")).abs() < 1e-12);
    assert!((f("common_sense_ratio") - f("period_profit_factor") * f("tail_ratio")).abs() < 1e-12);
    // 2,147 periods at a win rate of 0.52: ((1 − 0.52)/(1.52))^2147 underflows to 0.
    assert_eq!(f("risk_of_ruin"), 0.0);
}
