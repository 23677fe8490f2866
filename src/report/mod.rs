//! The report model: the JSON object of one backtest (what `run --json`
//! prints and `report.json` holds). Keys are sorted and floats print
//! round-trip exact, so identical inputs give identical bytes.

pub mod benchmark;
pub mod charts;
mod distribution;
pub mod doc;
pub mod ml_charts;
pub mod monitor_page;
pub mod montecarlo;
mod montecarlo_page;
pub mod optimize_page;
pub mod pdf;
mod pdf_layout;
mod periods_page;
pub mod portfolio;
pub mod portfolio_charts;
mod portfolio_page;
mod rolling_charts;
pub mod run_page;
pub mod sweep_charts;
pub mod tearsheet;
mod ticks;
pub mod walkforward_page;
pub mod xlsx;

use std::path::Path;

use serde_json::{json, Map, Value};

use crate::backtest::Outcome;
use crate::data::benchmark::Benchmark;
use crate::data::time::format_utc;
use crate::data::Candles;
use crate::strategy::file::Execution;
use crate::strategy::Strategy;

/// Version of the JSON layout; bumped when a key changes meaning.
pub const SCHEMA_VERSION: u32 = 2;

/// Where the inputs came from, with their hashes.
#[derive(Debug, Clone)]
pub struct Inputs<'a> {
    pub strategy: &'a Strategy,
    pub strategy_sha256: &'a str,
    pub candles: &'a Candles,
    pub data_sha256: &'a str,
    pub execution: &'a Execution,
    /// The benchmark; `None`: buy and hold of the candles.
    pub benchmark: Option<&'a Benchmark>,
}

use crate::engine::{OrderLog, Trade};
use crate::format::{metrics_json, num};

/// What every run's JSON says of its inputs: schema and tool, the strategy
/// and data files with their hashes and span, the parameters and the
/// execution settings (and their `--exec` overrides).
pub(crate) struct Header<'a> {
    pub strategy: &'a Strategy,
    pub strategy_sha256: &'a str,
    pub source: &'a Path,
    pub data_sha256: &'a str,
    pub ts: &'a [i64],
    pub params: &'a std::collections::BTreeMap<String, f64>,
    pub execution: &'a Execution,
}

impl Header<'_> {
    pub(crate) fn json(&self) -> Map<String, Value> {
        let s = self.strategy;
        let params: Map<String, Value> = self
            .params
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        let mut m = Map::new();
        m.insert("schema_version".into(), json!(SCHEMA_VERSION));
        m.insert(
            "tool".into(),
            json!({ "name": "tradelab", "version": env!("CARGO_PKG_VERSION") }),
        );
        m.insert(
            "strategy".into(),
            json!({
                "name": s.name,
                "description": s.description,
                "file": s.path.display().to_string(),
                "sha256": self.strategy_sha256,
            }),
        );
        m.insert(
            "data".into(),
            json!({
                "file": self.source.display().to_string(),
                "sha256": self.data_sha256,
                "bars": self.ts.len(),
                "start": self.ts.first().map(|&t| format_utc(t)),
                "end": self.ts.last().map(|&t| format_utc(t)),
            }),
        );
        m.insert("params".into(), Value::Object(params));
        m.insert(
            "execution".into(),
            serde_json::to_value(self.execution).unwrap_or(Value::Null),
        );
        if !s.exec_overrides.is_empty() {
            m.insert("execution_overrides".into(), json!(s.exec_overrides));
        }
        m
    }
}

/// One trade as JSON; `time` names a bar.
pub(crate) fn trade_json(t: &Trade, time: &dyn Fn(usize) -> Option<String>) -> Value {
    let mut v = json!({
        "entry_bar": t.entry_bar,
        "exit_bar": t.exit_bar,
        "entry_time": time(t.entry_bar),
        "exit_time": time(t.exit_bar),
        "side": if t.side > 0 { "long" } else { "short" },
        "units": t.units,
        "entry_price": t.entry_price,
        "exit_price": num(Some(t.exit_price)),
        "pnl": num(Some(t.pnl)),
        "return": num(Some(t.ret)),
        "commission": t.commission,
        "open": t.is_open(),
        "exit_reason": t.exit_reason,
    });
    if let (Some(b), Value::Object(o)) = (t.signal_bar, &mut v) {
        // Order entries: the order's kind and the bar whose close placed it.
        o.insert("order".into(), json!(t.order));
        o.insert("signal_bar".into(), json!(b));
        o.insert("signal_time".into(), json!(time(b)));
    }
    v
}

/// The run as a JSON value.
pub fn run_json(i: &Inputs, out: &Outcome) -> Value {
    let c = i.candles;
    let time = |bar: usize| c.ts.get(bar).map(|&t| format_utc(t));
    let mut m = Header {
        strategy: i.strategy,
        strategy_sha256: i.strategy_sha256,
        source: &c.source,
        data_sha256: i.data_sha256,
        ts: &c.ts,
        params: &out.params,
        execution: i.execution,
    }
    .json();
    let trades: Vec<Value> = out
        .backtest
        .trades
        .iter()
        .map(|t| trade_json(t, &time))
        .collect();
    m.insert("metrics".into(), metrics_json(&out.metrics));
    m.insert("trades".into(), Value::Array(trades));
    benchmark::period_tables(
        &mut m,
        &c.ts,
        &c.close,
        c.spacing_ms,
        &out.returns,
        i.benchmark,
    );
    let mut v = Value::Object(m);
    if let (Some(m), Value::Object(o)) = (&out.model, &mut v) {
        o.insert("model".into(), m.summary_json());
    }
    if let (true, Value::Object(o)) = (i.strategy.orders.is_some(), &mut v) {
        insert_orders(o, &out.backtest.orders, &time, None);
    }
    v
}

/// The `unplaced_orders` count and the `entry_orders` list, each order with
/// its fate (and its symbol in a portfolio).
pub(crate) fn insert_orders(
    o: &mut Map<String, Value>,
    log: &OrderLog,
    time: &dyn Fn(usize) -> Option<String>,
    symbols: Option<&dyn Fn(usize) -> String>,
) {
    let list: Vec<Value> = log
        .orders
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut v = json!({
                "placed_bar": r.placed, "placed_time": time(r.placed),
                "side": if r.side > 0 { "buy" } else { "sell" },
                "limit": r.limit, "stop": r.stop,
                "fate": r.fate, "bar": r.bar, "time": time(r.bar),
            });
            if let (Some(name), Value::Object(m)) = (symbols, &mut v) {
                m.insert("symbol".into(), json!(name(i)));
            }
            v
        })
        .collect();
    o.insert("unplaced_orders".into(), json!(log.unplaced));
    o.insert("entry_orders".into(), Value::Array(list));
}

/// The report JSON of a run plus its equity curve (timestamps in UTC
/// milliseconds, equity and close at every bar), so HTML can be rendered
/// from it alone.
pub fn report_json(i: &Inputs, out: &Outcome) -> Value {
    let mut v = run_json(i, out);
    if let Value::Object(o) = &mut v {
        o.insert(
            "equity".into(),
            json!({ "t": i.candles.ts, "equity": out.backtest.equity, "close": i.candles.close }),
        );
        if let Some(b) = i.benchmark {
            benchmark::insert_benchmark_curve(o, b, &i.candles.ts);
        }
    }
    if let (Some(m), Some(Value::Object(o))) = (&out.model, v.get_mut("model")) {
        // The series behind the model section: the prediction at every bar
        // (null before the first fit) and the calibration bins.
        let prediction: Vec<Value> = m.prob.iter().map(|&p| num(Some(p))).collect();
        o.insert("prediction".into(), Value::Array(prediction));
        o.insert(
            "calibration".into(),
            serde_json::to_value(m.calibration()).unwrap_or(Value::Null),
        );
    }
    v
}

/// Which files a report folder gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Formats {
    pub json: bool,
    pub html: bool,
    pub pdf: bool,
    pub xlsx: bool,
}

impl Formats {
    /// A comma-separated list of json, html, pdf and xlsx.
    pub fn parse(s: &str) -> crate::Result<Formats> {
        let mut f = Formats::default();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part {
                "json" => f.json = true,
                "html" => f.html = true,
                "pdf" => f.pdf = true,
                "xlsx" => f.xlsx = true,
                other => {
                    return Err(crate::Error::Usage(format!(
                        "unknown report format '{other}': expected json, html, pdf and/or xlsx"
                    )))
                }
            }
        }
        if !f.json && !f.html && !f.pdf && !f.xlsx {
            return Err(crate::Error::Usage(
                "no report format given: expected json, html, pdf and/or xlsx".into(),
            ));
        }
        Ok(f)
    }
}

/// Writes `doc` as report.html and/or report.pdf into `dir`, atomically.
pub fn write_doc(dir: &Path, doc: &doc::Doc, formats: Formats) -> crate::Result<()> {
    if formats.html {
        write_text(&dir.join("report.html"), &doc.to_html())?;
    }
    if formats.pdf {
        let path = dir.join("report.pdf");
        let bytes = pdf::render(doc).map_err(|e| crate::Error::output(&path, e))?;
        crate::data::write::write_atomic(&path, |w| {
            std::io::Write::write_all(w, &bytes).map_err(|e| e.to_string())
        })?;
    }
    Ok(())
}

fn write_text(path: &Path, body: &str) -> crate::Result<()> {
    crate::data::write::write_atomic(path, |w| {
        std::io::Write::write_all(w, body.as_bytes()).map_err(|e| e.to_string())
    })
}

/// The columns of a trade list (trades.csv, the workbook's Trades sheet):
/// a portfolio's trades lead with their symbol, order entries end with the
/// order's kind and the time of the bar that placed it; `bars` adds the
/// entry and exit bar numbers before those.
pub(crate) fn trade_columns(list: &[Value], bars: bool) -> Vec<&'static str> {
    let has = |k: &str| list.iter().any(|t| t.get(k).is_some());
    let mut columns: Vec<&str> = Vec::new();
    if has("symbol") {
        columns.push("symbol");
    }
    columns.extend([
        "entry_time",
        "exit_time",
        "side",
        "units",
        "entry_price",
        "exit_price",
        "pnl",
        "return",
        "commission",
        "open",
        "exit_reason",
    ]);
    if bars {
        columns.extend(["entry_bar", "exit_bar"]);
    }
    if has("order") {
        columns.extend(["order", "signal_time"]);
    }
    columns
}

/// Writes report.json / report.html / report.pdf / report.xlsx plus
/// trades.csv and equity.csv into `dir`.
pub fn write_folder(dir: &Path, report: &Value, formats: Formats) -> crate::Result<()> {
    if formats.json {
        let body =
            serde_json::to_string_pretty(report).map_err(|e| crate::Error::output(dir, e))? + "\n";
        write_text(&dir.join("report.json"), &body)?;
    }
    if formats.html || formats.pdf {
        let doc = run_page::document(report).map_err(|e| crate::Error::output(dir, e))?;
        write_doc(dir, &doc, formats)?;
    }
    if formats.xlsx {
        let path = dir.join("report.xlsx");
        let wb = xlsx::run_workbook(report).map_err(|e| crate::Error::output(&path, e))?;
        xlsx::save(&path, wb)?;
    }
    let list: &[Value] = report["trades"].as_array().map_or(&[], |v| v.as_slice());
    let columns = trade_columns(list, false);
    let mut trades = columns.join(",") + "\n";
    for t in list {
        let s = |k: &&str| match &t[*k] {
            Value::String(x) => x.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        let row: Vec<String> = columns.iter().map(s).collect();
        trades.push_str(&row.join(","));
        trades.push('\n');
    }
    write_text(&dir.join("trades.csv"), &trades)?;
    let eq = &report["equity"];
    let mut csv = String::from("timestamp,equity,close\n");
    if let (Some(t), Some(e), Some(c)) = (
        eq["t"].as_array(),
        eq["equity"].as_array(),
        eq["close"].as_array(),
    ) {
        let daily = t
            .iter()
            .filter_map(Value::as_i64)
            .all(|x| x.rem_euclid(crate::data::time::DAY_MS) == 0);
        for ((t, e), c) in t.iter().zip(e).zip(c) {
            csv.push_str(&format!(
                "{},{e},{c}\n",
                crate::data::time::format_ms(t.as_i64().unwrap_or(0), daily)
            ));
        }
    }
    write_text(&dir.join("equity.csv"), &csv)
}
