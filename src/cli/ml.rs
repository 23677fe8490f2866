//! `tradelab ml evaluate STRATEGY.toml` and `tradelab ml compare A.toml
//! B.toml`: a model's out-of-sample classification metrics beside the
//! trading metrics of the strategy that uses it, and an A/B of two models.

use std::path::{Path, PathBuf};

use anyhow::bail;
use clap::{Args, Subcommand};
use serde_json::json;

use crate::cli::flags::{DataFlag, SetFlags};
use crate::cli::output::{emit, load_data, print_json, table};
use crate::cli::Outcome;
use tradelab::backtest::{self, Outcome as Run};
use tradelab::data::time::format_utc;
use tradelab::data::Candles;
use tradelab::format::metrics_json;
use tradelab::format::{metric_text, number_text};
use tradelab::ml::compare::{compare, Better};
use tradelab::ml::spec;
use tradelab::strategy::{ColumnCache, Strategy};

#[derive(Debug, Args)]
pub struct MlArgs {
    #[command(subcommand)]
    pub command: MlCommand,
}

#[derive(Debug, Subcommand)]
pub enum MlCommand {
    /// Out-of-sample classification metrics of a strategy's model, and its trading metrics.
    Evaluate(EvaluateArgs),
    /// Two model strategies side by side on the same data (an A/B test of models).
    Compare(CompareArgs),
    /// A model's metrics window by window, feature drift (PSI) and a trend;
    /// --fail-below exits 1 for CI.
    Monitor(crate::cli::ml_monitor::MonitorArgs),
}

#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// A strategy file with a [model] table.
    pub strategy: PathBuf,
    #[command(flatten)]
    pub data: DataFlag,
    #[command(flatten)]
    pub set: SetFlags,
    #[arg(long)]
    pub json: bool,
    /// Permutation importance of each feature on the out-of-sample windows.
    #[arg(long)]
    pub importance: bool,
    /// Shuffles per feature for --importance.
    #[arg(long, default_value_t = 5)]
    pub repeats: usize,
    /// The seed of --importance's shuffles.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// With --importance: a report with its bar chart (html and/or pdf).
    #[command(flatten)]
    pub report: crate::cli::flags::ReportFlags,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Model A.
    pub a: PathBuf,
    /// Model B.
    pub b: PathBuf,
    /// The candle file both run on (default: A's data).
    #[command(flatten)]
    pub data: DataFlag,
    #[arg(long)]
    pub json: bool,
    /// The significance level of the tests (and 1 − the Sharpe interval's confidence).
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    /// Bootstrap resamples of the Sharpe difference.
    #[arg(long, default_value_t = 2000)]
    pub resamples: usize,
    /// The bootstrap's seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

pub fn run(args: MlArgs, quiet: bool) -> anyhow::Result<Outcome> {
    match args.command {
        MlCommand::Evaluate(a) => evaluate(a, quiet),
        MlCommand::Compare(a) => compare_cmd(a, quiet),
        MlCommand::Monitor(a) => crate::cli::ml_monitor::run(a, quiet),
    }
}

/// Loads a strategy that has a [model].
fn load(path: &Path) -> anyhow::Result<Strategy> {
    let strategy = tradelab::pipeline::load(path)?;
    if strategy.model.is_none() {
        bail!("{}: the strategy has no [model] table", path.display());
    }
    Ok(strategy)
}

/// Backtests a model strategy (its model trained walk-forward).
fn model_run(strategy: &Strategy, set: &SetFlags, candles: &Candles) -> anyhow::Result<Run> {
    let params = set.params(strategy)?;
    Ok(backtest::run(
        strategy,
        &params,
        &strategy.execution,
        candles,
        &ColumnCache::default(),
    )?)
}

fn evaluate(args: EvaluateArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let strategy = load(&args.strategy)?;
    let (path, candles) = load_data(args.data.data.as_deref(), &strategy, quiet)?;
    let out = model_run(&strategy, &args.set, &candles)?;
    let model = out.model.as_ref().expect("a model strategy");
    let summary = model.summary_json();
    if model.predicts_value() && args.importance {
        bail!("{}: --importance measures ROC AUC, which a linear model (a value, not a probability) has not", args.strategy.display());
    }
    let formats = args.report.formats()?;
    if formats.is_some() && !args.importance {
        bail!("--report goes with --importance (the chart of the importances)");
    }
    if args.repeats == 0 {
        bail!("--repeats must be at least 1");
    }
    let importance = if args.importance {
        let names: Vec<String> = spec::of(&strategy)
            .map(|m| m.features.iter().map(|f| f.1.text.clone()).collect())
            .unwrap_or_default();
        Some(
            tradelab::ml::importance::permutation(model, &names, args.repeats, args.seed)
                .map_err(|e| anyhow::anyhow!("{}: --importance: {e}", args.strategy.display()))?,
        )
    } else {
        None
    };
    if let (Some(f), Some(imp)) = (formats, &importance) {
        let dir = args.report.out.clone().unwrap_or_else(|| {
            PathBuf::from("reports").join(format!("{}_importance", strategy.name))
        });
        let names: Vec<String> = imp.iter().map(|i| i.feature.clone()).collect();
        let mean: Vec<f64> = imp.iter().map(|i| i.mean).collect();
        let std: Vec<f64> = imp.iter().map(|i| i.std).collect();
        let mut doc = tradelab::report::doc::Doc::new(
            format!("Feature importance: {}", strategy.name),
            format!(
                "{} · {} shuffles per feature, seed {}",
                path.display(),
                args.repeats,
                args.seed
            ),
        );
        doc.chart(
            "importance",
            "Permutation importance",
            tradelab::report::ml_charts::importance(&names, &mean, &std)
                .map_err(|e| anyhow::anyhow!(e))?,
        );
        doc.table(
            &["feature", "mean drop in ROC AUC", "std"],
            imp.iter()
                .map(|i| {
                    vec![
                        i.feature.clone(),
                        format!("{:.4}", i.mean),
                        format!("{:.4}", i.std),
                    ]
                })
                .collect(),
        );
        tradelab::report::write_doc(&dir, &doc, f)?;
    }
    if args.json {
        let mut v = json!({
            "strategy": strategy.name,
            "data": path.display().to_string(),
            "params": out.params,
            "model": summary,
            "metrics": metrics_json(&out.metrics),
        });
        if let Some(imp) = &importance {
            v["importance"] =
                json!({ "repeats": args.repeats, "seed": args.seed, "features": imp });
        }
        return print_json(&v).map(|_| Outcome::Ok);
    }
    let first = model
        .retrains
        .first()
        .map_or("never".to_string(), |&b| format_utc(candles.ts[b]));
    emit(format!(
        "{} on {}: {} model, label {} bars ahead, trained on {} bars, refitted every {} ({} fits); predictions from {first}",
        strategy.name,
        path.display(),
        model.config.kind.name(),
        model.schedule.horizon,
        model.schedule.train_bars,
        model.schedule.retrain_every,
        model.retrains.len(),
    ))?;
    if model.predicts_value() {
        let r = &summary["regression"];
        let mut t = table();
        t.set_header(vec!["out of sample", "value"]);
        for k in ["rows", "rmse", "mae", "r2", "correlation"] {
            t.add_row(vec![k.to_string(), number_text(r[k].as_f64())]);
        }
        emit(t.to_string())?;
        return Ok(Outcome::Ok);
    }
    let c = &summary["classification"];
    let mut t = table();
    t.set_header(vec!["out of sample", "value", "trading", "value"]);
    let left = [
        "rows",
        "base_rate",
        "accuracy",
        "precision",
        "recall",
        "f1",
        "roc_auc",
        "log_loss",
    ];
    let right = [
        "total_return",
        "annual_return",
        "buy_hold_return",
        "sharpe",
        "max_drawdown",
        "trades",
        "win_rate",
        "exposure",
    ];
    for (l, r) in left.iter().zip(right) {
        t.add_row(vec![
            l.to_string(),
            number_text(c[*l].as_f64()),
            r.to_string(),
            metric_text(r, out.metrics.get(r).copied().flatten()),
        ]);
    }
    emit(t.to_string())?;
    match model.never_fitted() {
        Some(why) => emit(format!("warning: {why}"))?,
        None => emit(format!(
            "confusion matrix (true = label true, predicted = probability > 0.5): TP {} FP {} FN {} TN {}",
            c["true_positives"], c["false_positives"], c["false_negatives"], c["true_negatives"]
        ))?,
    }
    if let Some(imp) = &importance {
        let mut t = table();
        t.set_header(vec![
            "feature",
            "importance (drop in ROC AUC)",
            "std",
            "repeats",
        ]);
        for i in imp {
            t.add_row(vec![
                i.feature.clone(),
                format!("{:.4}", i.mean),
                format!("{:.4}", i.std),
                args.repeats.to_string(),
            ]);
        }
        emit(t.to_string())?;
    }
    Ok(Outcome::Ok)
}

fn compare_cmd(args: CompareArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let (sa, sb) = (load(&args.a)?, load(&args.b)?);
    let (path, candles) = load_data(args.data.data.as_deref(), &sa, quiet)?;
    let (ra, rb) = (
        model_run(&sa, &SetFlags::default(), &candles)?,
        model_run(&sb, &SetFlags::default(), &candles)?,
    );
    let (ma, mb) = (ra.model.as_ref().unwrap(), rb.model.as_ref().unwrap());
    if ma.predicts_value() || mb.predicts_value() {
        bail!("ml compare tests classifiers (accuracy, ROC AUC); a linear model predicts values");
    }
    if !(args.alpha > 0.0 && args.alpha < 1.0) {
        bail!("--alpha must be between 0 and 1, got {}", args.alpha);
    }
    if args.resamples < 100 {
        bail!("--resamples must be at least 100");
    }
    let rows = compare((ma, &ra.metrics), (mb, &rb.metrics));
    let same_label =
        spec::of(&sa).map(|m| &m.label.1.text) == spec::of(&sb).map(|m| &m.label.1.text);
    let ann = ra.metrics["periods_per_year"].unwrap_or(252.0);
    let tests = tradelab::ml::abtest::tests(
        ma,
        mb,
        &tradelab::ml::compare::common_bars(ma, mb),
        same_label,
        (&ra.returns, &rb.returns, ann),
        args.alpha,
        args.resamples,
        args.seed,
    );
    if args.json {
        return print_json(&json!({
            "data": path.display().to_string(),
            "a": { "strategy": sa.name, "file": args.a.display().to_string(), "model": ma.summary_json() },
            "b": { "strategy": sb.name, "file": args.b.display().to_string(), "model": mb.summary_json() },
            "same_label": same_label,
            "rows": rows,
            "tests": tests,
        }))
        .map(|_| Outcome::Ok);
    }
    emit(format!(
        "A = {} ({}), B = {} ({}) on {}; classification on the {} bars both scored{}",
        sa.name,
        ma.config.kind.name(),
        sb.name,
        mb.config.kind.name(),
        path.display(),
        rows[0].a.unwrap_or(0.0),
        if same_label {
            ""
        } else {
            " (each against its own label)"
        }
    ))?;
    let mut t = table();
    t.set_header(vec!["", "metric", "A", "B", "better"]);
    for r in &rows {
        let v = |x: Option<f64>| {
            if r.group == "trading" {
                metric_text(r.metric, x)
            } else {
                number_text(x)
            }
        };
        t.add_row(vec![
            r.group.to_string(),
            r.metric.to_string(),
            v(r.a),
            v(r.b),
            match r.better {
                Some(Better::A) => "A".into(),
                Some(Better::B) => "B".into(),
                Some(Better::Tie) => "tie".into(),
                None => String::new(),
            },
        ]);
    }
    emit(t.to_string())?;
    emit(format!("At alpha = {}:", args.alpha))?;
    for v in &tests.verdicts {
        emit(format!("  {v}"))?;
    }
    Ok(Outcome::Ok)
}
