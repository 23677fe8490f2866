//! Formatting shared by the terminal tables, the reports, the sweep files
//! and the JUnit output: metric values for people (as the metric table's
//! kind says), plain numbers, JSON numbers and metric objects, and HTML/XML
//! escaping. A bottom-level module: it reads only the metric table.

use serde_json::{json, Value};

use crate::metrics::table::{lookup, Kind};
use crate::metrics::Metrics;

/// A metric for people: `24.16 %`, `63215.43`, `47`, `1.0804`; `–` when
/// undefined. The metric table's kind decides; an unknown name prints as a ratio.
pub fn metric_text(key: &str, v: Option<f64>) -> String {
    let Some(v) = v.filter(|x| x.is_finite()) else {
        return "–".to_string();
    };
    match lookup(key).map(|d| d.kind) {
        Some(Kind::Fraction) => format!("{:.2} %", v * 100.0),
        Some(Kind::Money) => format!("{v:.2}"),
        Some(Kind::Count | Kind::Bars) if v.fract() == 0.0 => format!("{v}"),
        Some(Kind::Count | Kind::Bars) => format!("{v:.1}"),
        Some(Kind::Ratio) | None => format!("{v:.4}"),
    }
}

/// A finite number, or null (JSON has no NaN or infinity).
pub fn num(v: Option<f64>) -> Value {
    match v {
        Some(x) if x.is_finite() => json!(x),
        _ => Value::Null,
    }
}

/// Metrics as a JSON object (sorted keys, undefined values null).
pub fn metrics_json(m: &Metrics) -> Value {
    Value::Object(m.iter().map(|(k, v)| (k.to_string(), num(*v))).collect())
}

/// A plain number: whole numbers as they are, others to 4 decimals.
pub fn number_text(v: Option<f64>) -> String {
    match v.filter(|x| x.is_finite()) {
        None => "–".into(),
        Some(x) if x.fract() == 0.0 && x.abs() < 1e12 => format!("{x}"),
        Some(x) => format!("{x:.4}"),
    }
}

/// A parameter value as the user wrote it: `10`, `0.55`, `2.25` (the
/// shortest text that reads back to the same number); `–` when missing.
pub fn param_text(v: Option<f64>) -> String {
    match v {
        Some(x) => format!("{x}"),
        None => "–".into(),
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
        assert_eq!(param_text(Some(10.0)), "10");
        assert_eq!(param_text(Some(0.55)), "0.55");
        assert_eq!(param_text(Some(2.25)), "2.25");
        assert_eq!(esc("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
    }
}
