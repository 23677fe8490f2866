//! A walk-forward's outputs: its JSON object (what `--json` prints and
//! report.json holds) and its report folder (report.json, report.html,
//! report.pdf).

use std::path::Path;

use serde_json::{json, Value};

use super::walkforward::WalkForward;
use crate::data::time::format_utc;
use crate::error::{Error, Result};
use crate::format::metrics_json;
use crate::report::{walkforward_page, write_doc, Formats};

/// The JSON object of a walk-forward over the timeline `ts` (read from `data`).
pub fn json(
    wf: &WalkForward,
    strategy: &str,
    data: &Path,
    ts: &[i64],
    objective: &str,
    anchored: bool,
    benchmark: Option<&crate::data::benchmark::Benchmark>,
) -> Value {
    let t = |bar: usize| format_utc(ts[bar.min(ts.len() - 1)]);
    let windows: Vec<Value> = wf
        .windows
        .iter()
        .map(|w| {
            json!({
                "train": { "start_bar": w.train.0, "end_bar": w.train.1 - 1, "start": t(w.train.0), "end": t(w.train.1 - 1) },
                "test": { "start_bar": w.test.0, "end_bar": w.test.1 - 1, "start": t(w.test.0), "end": t(w.test.1 - 1) },
                "params": w.params,
                "in_sample_objective": w.in_sample.as_ref().and_then(|m| m.get(objective).copied().flatten()),
                "test_metrics": metrics_json(&w.test_outcome.metrics),
            })
        })
        .collect();
    json!({
        "strategy": strategy,
        "data": data.display().to_string(),
        "objective": objective,
        "anchored": anchored,
        "windows": windows,
        "out_of_sample": metrics_json(&wf.out_of_sample),
        "efficiency": wf.efficiency.filter(|x| x.is_finite()),
        "benchmark": match benchmark {
            Some(b) => json!({ "name": b.name, "file": b.source.display().to_string(), "sha256": b.sha256 }),
            None => json!({ "name": "buy and hold" }),
        },
    })
}

/// Writes the report folder `dir`: report.json (`out`), report.html, report.pdf.
pub fn write(dir: &Path, out: &Value, wf: &WalkForward, bench: &[f64], f: Formats) -> Result<()> {
    if f.json {
        let body = serde_json::to_string_pretty(out).map_err(|e| Error::output(dir, e))? + "\n";
        crate::data::write::write_atomic(&dir.join("report.json"), |w| {
            std::io::Write::write_all(w, body.as_bytes()).map_err(|e| e.to_string())
        })?;
    }
    if f.html || f.pdf || f.xlsx {
        let close: Vec<f64> = wf
            .windows
            .iter()
            .flat_map(|w| bench[w.test.0..w.test.1].iter().copied())
            .collect();
        if f.html || f.pdf {
            let doc = walkforward_page::document(out, &wf.ts, &wf.equity, &close)
                .map_err(|e| Error::output(dir, e))?;
            write_doc(dir, &doc, f)?;
        }
        if f.xlsx {
            let path = dir.join("report.xlsx");
            let wb = crate::report::xlsx::walkforward_workbook(out, &wf.ts, &wf.equity, &close)
                .map_err(|e| Error::output(&path, e))?;
            crate::report::xlsx::save(&path, wb)?;
        }
    }
    Ok(())
}
