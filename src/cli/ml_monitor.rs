//! `tradelab ml monitor STRATEGY.toml`: a model's out-of-sample metrics
//! window by window (one per refit, or every --window N scored bars), each
//! feature's drift (PSI against the window's training rows), a trend
//! column, optional charts, and --fail-below / --fail-above thresholds that
//! exit 1 for CI.

use std::path::PathBuf;

use clap::Args;
use serde_json::{json, Map, Value};

use crate::cli::flags::{DataFlag, ReportFlags, SetFlags};
use crate::cli::output::{emit, load_data, table};
use crate::cli::Outcome;
use tradelab::data::time::format_ms;
use tradelab::format::number_text;
use tradelab::ml::monitor::{metric, trend, windows, Threshold, Window, METRICS};

/// Windows the trend compares a window with, and the change that counts.
const TREND_WINDOWS: usize = 5;
const TREND_TOLERANCE: f64 = 0.02;

#[derive(Debug, Args)]
pub struct MonitorArgs {
    /// A strategy file with a [model] table.
    pub strategy: PathBuf,
    #[command(flatten)]
    pub data: DataFlag,
    #[command(flatten)]
    pub set: SetFlags,
    /// Windows of this many scored bars (default: one per refit).
    #[arg(long, value_name = "N")]
    pub window: Option<usize>,
    /// Exit 1 when the last window's METRIC (or the mean of the last --last
    /// windows) is below VALUE (repeatable), e.g. accuracy=0.52.
    #[arg(long = "fail-below", value_name = "METRIC=VALUE")]
    pub fail_below: Vec<String>,
    /// Exit 1 when it is above VALUE (repeatable), e.g. log_loss=0.7.
    #[arg(long = "fail-above", value_name = "METRIC=VALUE")]
    pub fail_above: Vec<String>,
    /// How many of the latest windows the thresholds average.
    #[arg(long, default_value_t = 1)]
    pub last: usize,
    #[arg(long)]
    pub json: bool,
    /// Charts: each metric over time with its rolling mean, and PSI per
    /// feature (html and/or pdf; default folder reports/<strategy>_monitor).
    #[command(flatten)]
    pub report: ReportFlags,
}

pub fn run(args: MonitorArgs, quiet: bool) -> anyhow::Result<Outcome> {
    if args.window == Some(0) || args.last == 0 {
        anyhow::bail!("--window and --last must be at least 1");
    }
    let mut thresholds = Vec::new();
    for (list, above, flag) in [
        (&args.fail_below, false, "--fail-below"),
        (&args.fail_above, true, "--fail-above"),
    ] {
        for s in list {
            thresholds.push(Threshold::parse(s, above).map_err(|e| anyhow::anyhow!("{flag} {e}"))?);
        }
    }
    let formats = args.report.formats()?;
    let strategy = tradelab::pipeline::load(&args.strategy)?;
    let Some(spec) = tradelab::ml::spec::of(&strategy) else {
        anyhow::bail!(
            "{}: the strategy has no [model] table",
            args.strategy.display()
        );
    };
    let names: Vec<String> = spec.features.iter().map(|f| f.1.text.clone()).collect();
    let (path, candles) = load_data(args.data.data.as_deref(), &strategy, quiet)?;
    let params = args.set.params(&strategy)?;
    let cache = tradelab::strategy::ColumnCache::default();
    let run = tradelab::ml::run(&strategy, &params, &candles, &cache)?.expect("a model strategy");
    if run.predicts_value() {
        anyhow::bail!(
            "{}: ml monitor tracks classification metrics; a linear model predicts values (see ml evaluate)",
            args.strategy.display()
        );
    }
    if let Some(why) = run.never_fitted() {
        anyhow::bail!("{}: {why}", args.strategy.display());
    }
    let ws = windows(&run, args.window);
    let daily = tradelab::data::time::all_midnight(&candles.ts);
    let when = |bar: usize| format_ms(candles.ts[bar], daily);
    let breaches: Vec<String> = thresholds
        .iter()
        .filter_map(|t| t.breach(&ws, args.last))
        .collect();
    if let Some(f) = formats {
        let dir =
            args.report.out.clone().unwrap_or_else(|| {
                PathBuf::from("reports").join(format!("{}_monitor", strategy.name))
            });
        let ts: Vec<i64> = ws.iter().map(|w| candles.ts[w.to]).collect();
        let doc = tradelab::report::monitor_page::monitor_document(
            &strategy.name,
            &path.display().to_string(),
            &ts,
            &ws,
            &names,
        )
        .map_err(|e| tradelab::Error::output(&dir, e))?;
        tradelab::report::write_doc(&dir, &doc, f)?;
        if !quiet {
            eprintln!("report written to {}", dir.display());
        }
    }
    if args.json {
        let list: Vec<Value> = ws
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let mut m = Map::new();
                m.insert("window".into(), json!(i + 1));
                m.insert("from_bar".into(), json!(w.from));
                m.insert("to_bar".into(), json!(w.to));
                m.insert("from".into(), json!(when(w.from)));
                m.insert("to".into(), json!(when(w.to)));
                m.insert("fit_bar".into(), json!(w.fit));
                m.insert("rows".into(), json!(metric(w, "rows")));
                for k in METRICS {
                    m.insert(k.into(), json!(metric(w, k)));
                }
                let psi: Map<String, Value> = names
                    .iter()
                    .zip(&w.psi)
                    .map(|(n, p)| (n.clone(), json!(p)))
                    .collect();
                m.insert("psi".into(), Value::Object(psi));
                let t: Map<String, Value> = METRICS
                    .iter()
                    .map(|k| {
                        (
                            k.to_string(),
                            json!(trend(&ws, i, k, TREND_WINDOWS, TREND_TOLERANCE)),
                        )
                    })
                    .collect();
                m.insert("trend".into(), Value::Object(t));
                Value::Object(m)
            })
            .collect();
        emit(serde_json::to_string_pretty(&json!({
            "strategy": strategy.name,
            "data": path.display().to_string(),
            "window": args.window.map_or(json!("refit"), |n| json!(n)),
            "features": names,
            "windows": list,
            "breaches": breaches,
        }))?)?;
    } else {
        emit(format!(
            "{} on {}: {} windows ({}); trend: accuracy against the mean of the {TREND_WINDOWS} windows before (±{TREND_TOLERANCE}); PSI: the most drifted feature against its window's training rows",
            strategy.name,
            path.display(),
            ws.len(),
            args.window.map_or("one per refit".to_string(), |n| format!("{n} scored bars each")),
        ))?;
        let mut t = table();
        let mut head = vec!["#", "from", "to", "rows"];
        head.extend(METRICS);
        head.extend(["max PSI", "trend"]);
        t.set_header(head);
        for (i, w) in ws.iter().enumerate() {
            t.add_row(row(i, w, &ws, &names, &when));
        }
        emit(t)?;
    }
    for b in &breaches {
        eprintln!("threshold: {b}");
    }
    Ok(if breaches.is_empty() {
        Outcome::Ok
    } else {
        Outcome::CheckFailed
    })
}

fn row(
    i: usize,
    w: &Window,
    ws: &[Window],
    names: &[String],
    when: &dyn Fn(usize) -> String,
) -> Vec<String> {
    let mut r = vec![
        (i + 1).to_string(),
        when(w.from),
        when(w.to),
        number_text(metric(w, "rows")),
    ];
    r.extend(METRICS.iter().map(|k| number_text(metric(w, k))));
    let worst = w
        .psi
        .iter()
        .enumerate()
        .filter_map(|(k, p)| p.map(|p| (k, p)))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    r.push(worst.map_or("–".into(), |(k, p)| format!("{p:.3} ({})", names[k])));
    r.push(
        trend(ws, i, "accuracy", TREND_WINDOWS, TREND_TOLERANCE)
            .map_or(String::new(), |t| t.arrow().to_string()),
    );
    r
}
