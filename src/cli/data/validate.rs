//! `tradelab data validate FILE [--json]`: every finding, exit 1 on errors.

use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use crate::cli::output::{emit, location, print_json, table};
use crate::cli::Outcome;
use tradelab::data::{self, Finding, Severity};
use tradelab::{Error, Location};

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// A candle file: CSV with a header, Parquet, or a Binance kline dump.
    pub file: PathBuf,
    /// Print a JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct JsonFinding {
    severity: Severity,
    rule: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    row: Option<usize>,
    count: usize,
    message: String,
}

#[derive(Serialize)]
struct Report {
    file: String,
    ok: bool,
    bars: usize,
    errors: usize,
    warnings: usize,
    findings: Vec<JsonFinding>,
}

pub fn run(args: ValidateArgs) -> anyhow::Result<Outcome> {
    let (bars, findings) = match data::read(&args.file) {
        Ok(c) => (c.len(), data::validate::validate(&c)),
        // A file that parses up to a bad row is a finding; one that cannot be
        // read at all (missing, empty, no usable header) is an error: exit 2.
        Err(Error::Input(e)) => {
            let f = Finding {
                severity: Severity::Error,
                rule: "unparseable",
                at: e.at,
                count: 1,
                message: e.message,
            };
            (0, vec![f])
        }
        Err(e) => return Err(e.into()),
    };
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let report = Report {
        file: args.file.display().to_string(),
        ok: errors == 0,
        bars,
        errors,
        warnings: findings.len() - errors,
        findings: findings.iter().map(json_finding).collect(),
    };
    if args.json {
        print_json(&report)?;
    } else {
        print_table(&report, &findings)?;
    }
    Ok(if errors == 0 {
        Outcome::Ok
    } else {
        Outcome::CheckFailed
    })
}

fn json_finding(f: &Finding) -> JsonFinding {
    let (line, row) = match f.at {
        Location::Line(l) | Location::LineCol(l, _) => (Some(l), None),
        Location::Row(r) => (None, Some(r)),
        Location::File => (None, None),
    };
    JsonFinding {
        severity: f.severity,
        rule: f.rule,
        line,
        row,
        count: f.count,
        message: f.message.clone(),
    }
}

fn print_table(report: &Report, findings: &[Finding]) -> anyhow::Result<()> {
    if findings.is_empty() {
        return emit(format!(
            "{}: ok, {} bars, no findings",
            report.file, report.bars
        ));
    }
    let mut t = table();
    t.set_header(vec!["severity", "rule", "first at", "count", "message"]);
    for f in findings {
        let sev = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        t.add_row(vec![
            sev.to_string(),
            f.rule.to_string(),
            location(f.at),
            f.count.to_string(),
            f.message.clone(),
        ]);
    }
    emit(&t)?;
    let verdict = if report.ok { "ok" } else { "INVALID" };
    emit(format!(
        "{}: {verdict}, {} error(s), {} warning(s)",
        report.file, report.errors, report.warnings
    ))
}
