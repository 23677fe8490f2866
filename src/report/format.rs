//! Formatting shared by the terminal tables and the reports: metric values
//! for people (percentages, money, counts, ratios) and HTML/XML escaping.

/// Metrics shown as percentages.
const PERCENT: [&str; 16] = [
    "total_return",
    "annual_return",
    "annual_volatility",
    "max_drawdown",
    "avg_drawdown",
    "buy_hold_return",
    "exposure",
    "win_rate",
    "best_trade",
    "worst_trade",
    "avg_trade",
    "expectancy",
    "value_at_risk_95",
    "conditional_value_at_risk_95",
    "alpha",
    "kelly",
];
const MONEY: [&str; 3] = ["final_equity", "equity_peak", "commissions"];
const COUNT: [&str; 8] = [
    "bars",
    "trades",
    "open_trades",
    "max_drawdown_duration_bars",
    "max_trade_bars",
    "periods_per_year",
    "avg_trade_bars",
    "return_periods",
];

/// A metric for people: `24.16 %`, `63215.43`, `47`, `1.0804`; `–` when undefined.
pub fn metric_text(key: &str, v: Option<f64>) -> String {
    let Some(v) = v.filter(|x| x.is_finite()) else {
        return "–".to_string();
    };
    if PERCENT.contains(&key) {
        format!("{:.2} %", v * 100.0)
    } else if MONEY.contains(&key) {
        format!("{v:.2}")
    } else if COUNT.contains(&key) {
        if v.fract() == 0.0 {
            format!("{v}")
        } else {
            format!("{v:.1}")
        }
    } else {
        format!("{v:.4}")
    }
}

/// A plain number: whole numbers as they are, others to 4 decimals.
pub fn number_text(v: Option<f64>) -> String {
    match v.filter(|x| x.is_finite()) {
        None => "–".into(),
        Some(x) if x.fract() == 0.0 && x.abs() < 1e12 => format!("{x}"),
        Some(x) => format!("{x:.4}"),
    }
}

/// Escapes text for HTML and XML content and attributes.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(
            metric_text("total_return", Some(5.321542571999999)),
            "532.15 %"
        );
        assert_eq!(
            metric_text("final_equity", Some(63215.42571999999)),
            "63215.43"
        );
        assert_eq!(metric_text("trades", Some(47.0)), "47");
        assert_eq!(metric_text("avg_trade_bars", Some(26.2127)), "26.2");
        assert_eq!(metric_text("sharpe", Some(1.080375991570218)), "1.0804");
        assert_eq!(metric_text("sharpe", None), "–");
        assert_eq!(number_text(Some(20.0)), "20");
        assert_eq!(number_text(Some(0.123456)), "0.1235");
        assert_eq!(esc("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
    }
}
