//! The JSON of a Monte Carlo run: `montecarlo --json` (method, paths, seed,
//! summary) and, for reports, the fan over time and every path's max
//! drawdown and total return; `paths.csv`, the metric table of every path.

use serde_json::{json, Map, Value};

use crate::format::num;
use crate::robust::montecarlo::MonteCarlo;
use crate::robust::paths::Method;

/// What `montecarlo --json` prints (beside the run's header).
pub fn summary_json(mc: &MonteCarlo) -> Map<String, Value> {
    let s = &mc.summary;
    let mut summary = Map::new();
    for (key, f) in &s.figures {
        let mut o: Map<String, Value> = f
            .percentiles
            .iter()
            .map(|(k, v)| (k.to_string(), num(*v)))
            .collect();
        o.insert("historical".into(), num(f.historical));
        o.insert("historical_rank".into(), num(f.historical_rank));
        o.insert("defined_paths".into(), json!(f.defined));
        summary.insert(key.to_string(), Value::Object(o));
    }
    summary.insert("prob_loss".into(), json!(s.prob_loss));
    let beyond: Map<String, Value> = s
        .prob_drawdown_beyond
        .iter()
        .map(|(l, p)| (format!("{l}"), json!(p)))
        .collect();
    summary.insert("prob_drawdown_beyond".into(), Value::Object(beyond));
    let mut m = Map::new();
    m.insert("method".into(), json!(mc.method.name()));
    if let Method::Block { mean } = mc.method {
        m.insert("block".into(), json!(mean));
    }
    m.insert("paths".into(), json!(mc.paths.len()));
    m.insert("seed".into(), json!(mc.seed));
    m.insert("trades".into(), json!(mc.trades));
    m.insert("summary".into(), Value::Object(summary));
    m
}

/// `summary_json` plus what the report draws: the fan (bar, time in UTC
/// ms, p5…p95 and the historical path) and each path's max drawdown and
/// total return.
pub fn report_json(mc: &MonteCarlo, ts: &[i64]) -> Value {
    let mut m = summary_json(mc);
    let f = &mc.fan;
    let series = |v: &[f64]| -> Vec<Value> { v.iter().map(|x| num(Some(*x))).collect() };
    m.insert(
        "fan".into(),
        json!({
            "bar": f.bars,
            "t": f.bars.iter().map(|&b| ts[b]).collect::<Vec<_>>(),
            "p5": series(&f.bands[0]),
            "p25": series(&f.bands[1]),
            "p50": series(&f.bands[2]),
            "p75": series(&f.bands[3]),
            "p95": series(&f.bands[4]),
            "historical": series(&f.historical),
        }),
    );
    let each = |k: &str| -> Vec<Value> {
        mc.paths
            .iter()
            .map(|p| num(p.get(k).copied().flatten()))
            .collect()
    };
    m.insert(
        "distributions".into(),
        json!({ "max_drawdown": each("max_drawdown"), "total_return": each("total_return") }),
    );
    Value::Object(m)
}

/// Every path's metric table (and streak) as CSV, a row per path.
pub fn paths_csv(mc: &MonteCarlo) -> String {
    let names: Vec<&'static str> = mc
        .paths
        .first()
        .map(|m| m.keys().copied().collect())
        .unwrap_or_default();
    let mut out = String::from("path,");
    out.push_str(&names.join(","));
    out.push_str(",worst_streak\n");
    for (i, (m, streak)) in mc.paths.iter().zip(&mc.streaks).enumerate() {
        out.push_str(&i.to_string());
        for n in &names {
            out.push(',');
            if let Some(v) = m[n].filter(|v| v.is_finite()) {
                out.push_str(&v.to_string());
            }
        }
        out.push_str(&format!(",{streak}\n"));
    }
    out
}

/// The inputs a Monte Carlo JSON names (as every run's JSON does).
pub struct McInputs<'a> {
    pub strategy: &'a crate::strategy::Strategy,
    pub strategy_sha256: &'a str,
    pub source: &'a std::path::Path,
    pub data_sha256: &'a str,
    pub ts: &'a [i64],
    pub params: &'a std::collections::BTreeMap<String, f64>,
}

impl McInputs<'_> {
    fn header(&self) -> Map<String, Value> {
        super::Header {
            strategy: self.strategy,
            strategy_sha256: self.strategy_sha256,
            source: self.source,
            data_sha256: self.data_sha256,
            ts: self.ts,
            params: self.params,
            execution: &self.strategy.execution,
        }
        .json()
    }

    /// `montecarlo --json`: the header, then method, paths, seed and summary.
    pub fn json(&self, mc: &MonteCarlo) -> Value {
        let mut m = self.header();
        m.extend(summary_json(mc));
        Value::Object(m)
    }

    /// A `montecarlo` report.json: the header and `monte_carlo`.
    pub fn report(&self, mc: &MonteCarlo) -> Value {
        let mut m = self.header();
        m.insert("monte_carlo".into(), report_json(mc, self.ts));
        Value::Object(m)
    }
}

/// Writes a Monte Carlo report folder: report.json, report.html and/or
/// report.pdf from it, and `paths.csv` (when the paths are at hand).
pub fn write_folder(
    dir: &std::path::Path,
    report: &Value,
    formats: super::Formats,
    mc: Option<&MonteCarlo>,
) -> crate::Result<()> {
    if formats.xlsx {
        return Err(crate::Error::Usage(
            "a Monte Carlo report has no Excel form: use json, html or pdf (run, optimize and walkforward write xlsx)".into(),
        ));
    }
    if formats.json {
        let body =
            serde_json::to_string_pretty(report).map_err(|e| crate::Error::output(dir, e))? + "\n";
        super::write_text(&dir.join("report.json"), &body)?;
    }
    if formats.html || formats.pdf {
        let doc =
            super::montecarlo_page::document(report).map_err(|e| crate::Error::output(dir, e))?;
        super::write_doc(dir, &doc, formats)?;
    }
    if let Some(mc) = mc {
        super::write_text(&dir.join("paths.csv"), &paths_csv(mc))?;
    }
    Ok(())
}
