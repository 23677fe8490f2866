//! `tradelab data quality FILE [--json] [--strict]`: suspicious data (gaps,
//! stale closes, reverting outliers, volume spikes, zero-volume runs, bars
//! outside the session); exit 1 with --strict when anything is found.

use std::path::PathBuf;

use clap::Args;
use serde_json::json;

use crate::cli::output::{emit, location, table};
use crate::cli::Outcome;
use tradelab::data::quality::{check, Thresholds};
use tradelab::data::{self, time};

/// Findings listed per check on the terminal before a summary line.
const SHOWN: usize = 20;

#[derive(Debug, Args)]
pub struct QualityArgs {
    /// A candle file.
    pub file: PathBuf,
    /// Print a JSON object instead of tables.
    #[arg(long)]
    pub json: bool,
    /// Exit 1 when any check finds anything (to gate a data update in CI).
    #[arg(long)]
    pub strict: bool,
    /// A gap: a step over this many median spacings.
    #[arg(long, default_value_t = 1.5)]
    pub gap: f64,
    /// Stale: at least this many identical closes in a row.
    #[arg(long, default_value_t = 5)]
    pub stale: usize,
    /// An outlier: a return beyond this many robust deviations (1.4826 × MAD)...
    #[arg(long = "outlier-k", default_value_t = 10.0)]
    pub outlier_k: f64,
    /// ...of the returns of this many bars before it (also the volume window).
    #[arg(long, default_value_t = 50)]
    pub window: usize,
    /// ...taken back by at least this fraction on the next bar.
    #[arg(long, default_value_t = 0.5)]
    pub revert: f64,
    /// A volume spike: over this many times the window's median volume.
    #[arg(long, default_value_t = 10.0)]
    pub spike: f64,
    /// A zero-volume run: at least this many bars with volume 0.
    #[arg(long = "zero-run", default_value_t = 3)]
    pub zero_run: usize,
    /// Outside the session: a time of the week with under this fraction of
    /// the busiest time's bars (about: traded in under 30 % of the weeks).
    #[arg(long, default_value_t = 0.3)]
    pub session: f64,
}

pub fn run(args: QualityArgs) -> anyhow::Result<Outcome> {
    if args.window < 2 || args.stale < 2 || args.zero_run < 1 {
        anyhow::bail!("--window and --stale must be at least 2, --zero-run at least 1");
    }
    for (v, flag) in [
        (args.gap, "--gap"),
        (args.outlier_k, "--outlier-k"),
        (args.spike, "--spike"),
        (args.revert, "--revert"),
        (args.session, "--session"),
    ] {
        if !(v.is_finite() && v > 0.0) {
            anyhow::bail!("{flag} must be a positive number, not {v}");
        }
    }
    let (c, _) = data::load(&args.file)?;
    let t = Thresholds {
        gap: args.gap,
        stale: args.stale,
        outlier_k: args.outlier_k,
        window: args.window,
        revert: args.revert,
        spike: args.spike,
        zero_run: args.zero_run,
        session: args.session,
    };
    let checks = check(&c, &t);
    let found: usize = checks.iter().map(|k| k.findings.len()).sum();
    let daily = time::all_midnight(&c.ts);
    let when = |bar: usize| time::format_ms(c.ts[bar], daily);
    let place = |bar: usize| location(c.locate(bar));
    if args.json {
        let list: Vec<serde_json::Value> = checks
            .iter()
            .map(|k| {
                let f: Vec<serde_json::Value> = k
                    .findings
                    .iter()
                    .map(|f| json!({ "bar": f.bar, "time": when(f.bar), "bars": f.bars, "detail": f.detail }))
                    .collect();
                json!({ "check": k.check, "rule": k.rule, "applies": k.applies, "count": f.len(), "findings": f })
            })
            .collect();
        let v = json!({
            "file": args.file.display().to_string(),
            "bars": c.len(),
            "ok": found == 0,
            "thresholds": t,
            "checks": list,
        });
        emit(serde_json::to_string_pretty(&v)?)?;
    } else {
        let mut tab = table();
        tab.set_header(vec!["check", "found", "bars involved", "first", "rule"]);
        for k in &checks {
            let first = k.findings.first().map_or(String::new(), |f| {
                format!("{} ({})", when(f.bar), place(f.bar))
            });
            let found = if k.applies {
                k.findings.len().to_string()
            } else {
                "n/a".to_string()
            };
            let bars: usize = k.findings.iter().map(|f| f.bars).sum();
            tab.add_row(vec![
                k.check.to_string(),
                found,
                bars.to_string(),
                first,
                k.rule.clone(),
            ]);
        }
        emit(format!("{} ({} bars)", args.file.display(), c.len()))?;
        emit(tab)?;
        for k in checks.iter().filter(|k| !k.findings.is_empty()) {
            emit(format!("{}:", k.check))?;
            for f in k.findings.iter().take(SHOWN) {
                emit(format!(
                    "  bar {} at {} ({}): {}",
                    f.bar,
                    when(f.bar),
                    place(f.bar),
                    f.detail
                ))?;
            }
            if k.findings.len() > SHOWN {
                let rest = &k.findings[SHOWN..];
                let bars: usize = rest.iter().map(|f| f.bars).sum();
                emit(format!("  … and {} more ({bars} bars)", rest.len()))?;
            }
        }
    }
    Ok(if args.strict && found > 0 {
        Outcome::CheckFailed
    } else {
        Outcome::Ok
    })
}
