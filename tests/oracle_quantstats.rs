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

/// `drawdowns` and `yearly` in `run --json`: the episodes cover every
/// period under water of quantstats' drawdown series and the deepest is its
/// minimum; the years equal pandas' compounded calendar-year returns.
#[test]
fn drawdown_episodes_and_years() {
    let text = std::fs::read_to_string(fixture("quantstats/GOOG_sma_cross_10_20.json")).unwrap();
    let want: serde_json::Value = serde_json::from_str(&text).unwrap();
    let j = tradelab(&["run", "strategies/sma_cross.toml", "--json"]).json();
    let eps = j["drawdowns"].as_array().unwrap();
    let depth = |e: &serde_json::Value| e["depth"].as_f64().unwrap();
    let deepest = depth(&eps[0]);
    assert!((deepest - want["max_drawdown"].as_f64().unwrap()).abs() < 1e-12);
    assert!(
        eps.windows(2).all(|w| depth(&w[0]) <= depth(&w[1])),
        "deepest first"
    );
    let under: u64 = eps.iter().map(|e| e["periods"].as_u64().unwrap()).sum();
    assert_eq!(
        under,
        want["drawdown_periods_under_water"].as_u64().unwrap()
    );
    // The deepest: 2006-01-12 to 2006-10-20, valley 2006-06-12, back at the
    // peak on 2006-10-23: 282 calendar days (Jan 12 .. Oct 20 inclusive:
    // 20 + 28 + 31 + 30 + 31 + 30 + 31 + 31 + 30 + 20 = 282), 196 trading days.
    let e = &eps[0];
    assert_eq!(
        (
            e["start"].as_str(),
            e["valley"].as_str(),
            e["end"].as_str(),
            e["recovered"].as_str()
        ),
        (
            Some("2006-01-12T00:00:00Z"),
            Some("2006-06-12T00:00:00Z"),
            Some("2006-10-20T00:00:00Z"),
            Some("2006-10-23T00:00:00Z")
        )
    );
    assert_eq!(
        (e["days"].as_u64(), e["periods"].as_u64()),
        (Some(282), Some(196))
    );
    let years = j["yearly"].as_array().unwrap();
    let want_years = want["yearly"].as_array().unwrap();
    assert_eq!(years.len(), want_years.len());
    for (g, w) in years.iter().zip(want_years) {
        assert_eq!(g["year"], w["year"]);
        for k in ["strategy", "benchmark"] {
            let (a, b) = (g[k].as_f64().unwrap(), w[k].as_f64().unwrap());
            assert!(
                (a - b).abs() <= 1e-9 * b.abs().max(1e-9),
                "{} {k}: {a} vs {b}",
                g["year"]
            );
        }
    }
}

/// Compares `got` with `want` to 1e-9 relative (exact for zero).
fn close_to(what: &str, got: Option<f64>, want: f64) {
    let got = got.unwrap_or_else(|| panic!("{what}: null, want {want}"));
    let err = (got - want).abs() / want.abs().max(1e-300);
    assert!(err <= 1e-9 || got == want, "{what}: {got} vs {want}");
}

const RELATIVE: [&str; 8] = [
    "alpha",
    "beta",
    "information_ratio",
    "tracking_error",
    "correlation",
    "r_squared",
    "up_capture",
    "down_capture",
];

/// The benchmark-relative statistics and the benchmark's own metrics,
/// against buy and hold of GOOG (the default) and against the S&P 500
/// index (`--benchmark datasets/sp500_index.csv`), equal to empyrical
/// (alpha, beta, capture), quantstats (information ratio, R²) and pandas
/// (tracking error = std(r − b)·√252, correlation).
#[test]
fn benchmark_relative_statistics_equal_empyrical_and_quantstats() {
    let text = std::fs::read_to_string(fixture("quantstats/GOOG_sma_cross_10_20.json")).unwrap();
    let want: serde_json::Value = serde_json::from_str(&text).unwrap();
    for (key, extra) in [
        ("against_buy_and_hold", None),
        ("against_sp500", Some("datasets/sp500_index.csv")),
    ] {
        let mut args = vec!["run", "strategies/sma_cross.toml", "--json"];
        if let Some(f) = extra {
            args.extend(["--benchmark", f]);
        }
        let j = tradelab(&args).json();
        let w = &want[key];
        // Every GOOG trading day is an S&P 500 trading day: the inner join
        // keeps all 2,147 returns.
        assert_eq!(j["benchmark"]["periods"], w["periods"], "{key}");
        for k in RELATIVE {
            close_to(
                &format!("{key} {k}"),
                j["metrics"][k].as_f64(),
                w[k].as_f64().unwrap(),
            );
        }
        // R² is the correlation squared, IR the tracking error's mean over
        // its std before the √252 of tracking_error.
        let m = |k: &str| j["metrics"][k].as_f64().unwrap();
        assert!((m("r_squared") - m("correlation").powi(2)).abs() < 1e-15);
        for (k, v) in w["benchmark_metrics"].as_object().unwrap() {
            close_to(
                &format!("{key} benchmark {k}"),
                j["benchmark_metrics"][k].as_f64(),
                v.as_f64().unwrap(),
            );
        }
    }
}

/// The yearly table's benchmark column under `--benchmark` compounds the
/// index's joined daily returns per calendar year (pandas), and the run
/// names its benchmark.
#[test]
fn yearly_benchmark_from_the_index() {
    let text = std::fs::read_to_string(fixture("quantstats/GOOG_sma_cross_10_20.json")).unwrap();
    let want: serde_json::Value = serde_json::from_str(&text).unwrap();
    let j = tradelab(&[
        "run",
        "strategies/sma_cross.toml",
        "--json",
        "--benchmark",
        "datasets/sp500_index.csv",
    ])
    .json();
    assert_eq!(j["benchmark"]["name"], "SP500");
    assert_eq!(j["benchmark"]["file"], "datasets/sp500_index.csv");
    let got = j["yearly"].as_array().unwrap();
    let exp = want["against_sp500"]["yearly"].as_array().unwrap();
    assert_eq!(got.len(), exp.len());
    for (g, e) in got.iter().zip(exp) {
        assert_eq!(g["year"], e["year"]);
        close_to(
            &format!("{} benchmark", e["year"]),
            g["benchmark"].as_f64(),
            e["benchmark"].as_f64().unwrap(),
        );
    }
    // 2008: the S&P 500 fell 38.49 % over GOOG's 2008 trading days.
    assert!((got[4]["benchmark"].as_f64().unwrap() + 0.3848579).abs() < 1e-6);
}
