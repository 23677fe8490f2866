//! The benchmark in a run's JSON: the period tables measured against it
//! (drawdown episodes, calendar years, its own metrics), its curve for the
//! charts, and re-measuring a written report against another benchmark.

use serde_json::{json, Map, Value};

use crate::data::benchmark::Benchmark;
use crate::data::time::format_utc;
use crate::format::{metrics_json, num};
use crate::metrics::relative::Relative;
use crate::metrics::returns::{returns_at, Calendar};

/// What the period returns add to a run's JSON: every drawdown episode
/// (deepest first), the calendar-year returns of the strategy and the
/// benchmark, the benchmark itself and its own metrics over the periods it
/// shares with the strategy. `close` is buy and hold's, the benchmark
/// without `benchmark`.
pub(crate) fn period_tables(
    o: &mut Map<String, Value>,
    ts: &[i64],
    close: &[f64],
    spacing_ms: i64,
    returns: &[f64],
    benchmark: Option<&Benchmark>,
) {
    use crate::metrics::episodes::{drawdown_episodes, yearly};
    let mut cal = crate::metrics::returns::Calendar::new(ts, close, spacing_ms);
    if let Some(b) = benchmark {
        cal = cal.with_benchmark(ts, b);
    }
    // Return k belongs to the period ending at bar ends[k + 1].
    let at: Vec<i64> = cal.ends.iter().skip(1).map(|&e| ts[e]).collect();
    let n = returns.len().min(at.len());
    let (r, at) = (&returns[..n], &at[..n]);
    let day = |k: usize| at[k].div_euclid(crate::data::time::DAY_MS);
    let episodes: Vec<Value> = drawdown_episodes(r)
        .iter()
        .map(|e| {
            json!({
                "start": format_utc(at[e.start]),
                "valley": format_utc(at[e.valley]),
                "end": format_utc(at[e.end]),
                "recovered": e.recovered.map(|k| format_utc(at[k])),
                "days": day(e.end) - day(e.start) + 1,
                "periods": e.periods,
                "depth": e.depth,
            })
        })
        .collect();
    let (_, b) = cal.paired(r);
    let b_at: Vec<i64> = match &cal.join {
        None => at[..b.len()].to_vec(),
        Some(join) => join[..b.len()].iter().map(|&k| at[k]).collect(),
    };
    let bench = yearly(b, &b_at);
    let years: Vec<Value> = yearly(r, at)
        .into_iter()
        .map(|(y, v)| {
            let b = bench.iter().find(|(by, _)| *by == y).map(|(_, b)| *b);
            json!({ "year": y, "strategy": num(Some(v)), "benchmark": num(b) })
        })
        .collect();
    let ann = f64::from(cal.periods.per_year);
    let about = match benchmark {
        Some(b) => json!({
            "name": b.name,
            "file": b.source.display().to_string(),
            "sha256": b.sha256,
            "periods": cal.bench.len(),
        }),
        None => json!({ "name": "buy and hold", "periods": cal.bench.len() }),
    };
    o.insert("drawdowns".into(), Value::Array(episodes));
    o.insert("yearly".into(), Value::Array(years));
    o.insert("benchmark".into(), about);
    o.insert(
        "benchmark_metrics".into(),
        metrics_json(&crate::metrics::of_returns(b, ann)),
    );
}

/// The benchmark's close on the run's timeline (`equity.benchmark`, null
/// before its first bar), for the charts.
pub(crate) fn insert_benchmark_curve(o: &mut Map<String, Value>, b: &Benchmark, ts: &[i64]) {
    if let Some(Value::Object(eq)) = o.get_mut("equity") {
        let v: Vec<Value> = b.as_of(ts).into_iter().map(|x| num(Some(x))).collect();
        eq.insert("benchmark".into(), Value::Array(v));
    }
}

/// Measures a written report (`run --report json`, single-asset or
/// portfolio) against `b` instead of its benchmark: the benchmark-relative
/// metrics, the yearly table, `benchmark`, `benchmark_metrics` and the
/// benchmark curve, from the report's own equity curve. Errors name what
/// is missing.
pub fn rebenchmark(report: &mut Value, b: &Benchmark) -> Result<(), String> {
    let series = |k: &str| -> Result<Vec<f64>, String> {
        report["equity"][k]
            .as_array()
            .ok_or(format!("no equity.{k} array"))?
            .iter()
            .enumerate()
            .map(|(i, v)| v.as_f64().ok_or(format!("equity.{k}[{i}] is not a number")))
            .collect()
    };
    let ts: Vec<i64> = series("t")?.iter().map(|&t| t as i64).collect();
    let (equity, close) = (series("equity")?, series("close")?);
    if equity.len() != ts.len() || close.len() != ts.len() || ts.len() < 2 {
        return Err("equity.t, equity.equity and equity.close differ in length".into());
    }
    let spacing = crate::data::median_spacing(&ts);
    let cal = Calendar::new(&ts, &close, spacing).with_benchmark(&ts, b);
    let r = returns_at(&equity, &cal.ends);
    let (rr, bb) = cal.paired(&r);
    let rel = Relative::new(&rr, bb, f64::from(cal.periods.per_year));
    let Value::Object(o) = report else {
        return Err("not a JSON object".into());
    };
    if let Some(Value::Object(m)) = o.get_mut("metrics") {
        for (k, v) in [
            ("alpha", rel.alpha),
            ("beta", rel.beta),
            ("information_ratio", rel.information_ratio),
            ("tracking_error", rel.tracking_error),
            ("correlation", rel.correlation),
            ("r_squared", rel.r_squared()),
            ("up_capture", rel.up_capture),
            ("down_capture", rel.down_capture),
        ] {
            m.insert(k.into(), num(v));
        }
    }
    period_tables(o, &ts, &close, spacing, &r, Some(b));
    insert_benchmark_curve(o, b, &ts);
    Ok(())
}
