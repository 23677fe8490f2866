//! JUnit XML for CI systems: one testsuite, one testcase per case, a
//! failure element listing what moved. No timestamps: identical results give
//! identical files.

use super::CaseResult;
use crate::format::esc;

fn show(v: Option<f64>) -> String {
    v.map_or("null".into(), |x| x.to_string())
}

pub fn junit(suite_name: &str, results: &[CaseResult]) -> String {
    let failures = results.iter().filter(|r| !r.passed).count();
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str(&format!(
        "<testsuite name=\"tradelab check {}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">\n",
        esc(suite_name),
        results.len()
    ));
    for r in results {
        x.push_str(&format!(
            "  <testcase classname=\"{}\" name=\"{}\"",
            esc(suite_name),
            esc(&r.name)
        ));
        if r.passed {
            x.push_str("/>\n");
            continue;
        }
        let moved: Vec<&super::MetricCheck> = r.metrics.iter().filter(|m| !m.ok).collect();
        let summary = match (r.problems.first(), moved.len()) {
            (Some(p), _) => p.clone(),
            (None, n) => format!(
                "{n} metric(s) moved: {}",
                moved
                    .iter()
                    .map(|m| m.metric.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let mut body = r.problems.join("\n");
        for m in moved {
            if !body.is_empty() {
                body.push('\n');
            }
            body.push_str(&format!(
                "{}: baseline {} now {}",
                m.metric,
                show(m.baseline),
                show(m.now)
            ));
        }
        x.push_str(&format!(
            ">\n    <failure message=\"{}\">{}</failure>\n  </testcase>\n",
            esc(&summary),
            esc(&body)
        ));
    }
    x.push_str("</testsuite>\n");
    x
}
