//! Side-by-side scoring of two model strategies on the same data: their
//! classification metrics on the bars both predicted (each against its own
//! label) and their trading metrics, with which is better on each.

use serde::Serialize;

use super::metrics::Classification;
use super::ModelRun;
use crate::metrics::Metrics;

/// Which side wins a metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    A,
    B,
    Tie,
}

/// One compared metric; `better` is None where "better" has no meaning
/// (e.g. the number of trades) or a side has no value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub group: &'static str,
    pub metric: &'static str,
    pub a: Option<f64>,
    pub b: Option<f64>,
    pub better: Option<Better>,
}

/// Classification metrics compared (true: higher is better).
const CLASSIFICATION: [(&str, Option<bool>); 8] = [
    ("rows", None),
    ("base_rate", None),
    ("accuracy", Some(true)),
    ("precision", Some(true)),
    ("recall", Some(true)),
    ("f1", Some(true)),
    ("roc_auc", Some(true)),
    ("log_loss", Some(false)),
];

/// Trading metrics compared.
const TRADING: [(&str, Option<bool>); 10] = [
    ("total_return", Some(true)),
    ("annual_return", Some(true)),
    ("sharpe", Some(true)),
    ("sortino", Some(true)),
    ("max_drawdown", Some(true)),
    ("win_rate", Some(true)),
    ("profit_factor", Some(true)),
    ("expectancy", Some(true)),
    ("trades", None),
    ("exposure", None),
];

fn field(c: &Classification, name: &str) -> Option<f64> {
    match name {
        "rows" => Some(c.rows as f64),
        "base_rate" => Some(c.base_rate),
        "accuracy" => Some(c.accuracy),
        "precision" => c.precision,
        "recall" => c.recall,
        "f1" => c.f1,
        "roc_auc" => c.roc_auc,
        "log_loss" => Some(c.log_loss),
        _ => None,
    }
}

fn better(a: Option<f64>, b: Option<f64>, higher: Option<bool>) -> Option<Better> {
    let (a, b, higher) = (a?, b?, higher?);
    if a == b {
        return Some(Better::Tie);
    }
    Some(if (a > b) == higher {
        Better::A
    } else {
        Better::B
    })
}

/// The bars both models scored (a prediction and a known label).
pub fn common_bars(a: &ModelRun, b: &ModelRun) -> Vec<usize> {
    let bs: std::collections::BTreeSet<usize> = b.scored_bars().into_iter().collect();
    a.scored_bars()
        .into_iter()
        .filter(|t| bs.contains(t))
        .collect()
}

/// Every compared row: classification on the common bars, then trading.
pub fn compare(a: (&ModelRun, &Metrics), b: (&ModelRun, &Metrics)) -> Vec<Row> {
    let bars = common_bars(a.0, b.0);
    let (ca, cb) = (a.0.classification_on(&bars), b.0.classification_on(&bars));
    let mut rows = Vec::new();
    for (metric, higher) in CLASSIFICATION {
        let va = ca.as_ref().and_then(|c| field(c, metric));
        let vb = cb.as_ref().and_then(|c| field(c, metric));
        rows.push(Row {
            group: "classification",
            metric,
            a: va,
            b: vb,
            better: better(va, vb, higher),
        });
    }
    for (metric, higher) in TRADING {
        let va = a.1.get(metric).copied().flatten();
        let vb = b.1.get(metric).copied().flatten();
        rows.push(Row {
            group: "trading",
            metric,
            a: va,
            b: vb,
            better: better(va, vb, higher),
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn better_follows_the_direction() {
        assert_eq!(better(Some(0.6), Some(0.5), Some(true)), Some(Better::A));
        // Lower log loss wins.
        assert_eq!(better(Some(0.6), Some(0.5), Some(false)), Some(Better::B));
        // A drawdown of −10 % beats −20 %.
        assert_eq!(better(Some(-0.1), Some(-0.2), Some(true)), Some(Better::A));
        assert_eq!(better(Some(3.0), Some(3.0), Some(true)), Some(Better::Tie));
        assert_eq!(better(Some(3.0), None, Some(true)), None);
        assert_eq!(better(Some(3.0), Some(4.0), None), None);
    }
}
