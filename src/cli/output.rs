//! Shared printing helpers: comfy-table styling, JSON, warnings on stderr.

use comfy_table::{presets, ContentArrangement, Table};
use serde::Serialize;

use tradelab::data::{Finding, Severity};
use tradelab::Location;

/// A table in the house style.
pub fn table() -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    t
}

/// Writes `text` and a newline to stdout. A closed pipe (`tradelab ... | head`)
/// ends the process quietly with success instead of a panic.
pub fn emit(text: impl std::fmt::Display) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        other => Ok(other?),
    }
}

/// Pretty JSON on stdout.
pub fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    emit(serde_json::to_string_pretty(value)?)
}

/// `line 5`, `row 5`, or empty for the whole file.
pub fn location(at: Location) -> String {
    match at {
        Location::File => String::new(),
        Location::Line(l) => format!("line {l}"),
        Location::Row(r) => format!("row {r}"),
        Location::LineCol(l, c) => format!("line {l}:{c}"),
    }
}

/// Prints warnings on stderr as `warning: FILE:LINE: message`, unless quiet.
/// Gaps are left to `data info` and `data validate`: weekends, holidays and
/// market closes make them normal, and every command would repeat them.
pub fn warn_findings(path: &std::path::Path, findings: &[Finding], quiet: bool) {
    if quiet {
        return;
    }
    for f in findings
        .iter()
        .filter(|f| f.severity == Severity::Warning && f.rule != "gaps")
    {
        let err = tradelab::InputError::new(path, f.at, f.message.clone());
        eprintln!("warning: {err}");
    }
}

/// The candle file a command runs on (`--data`, else the strategy's own),
/// loaded and validated, with its warnings printed unless quiet.
pub fn load_data(
    data: Option<&std::path::Path>,
    strategy: &tradelab::strategy::Strategy,
    quiet: bool,
) -> anyhow::Result<(std::path::PathBuf, tradelab::data::Candles)> {
    if strategy.portfolio.is_some() {
        anyhow::bail!(
            "{}: '{}' is a portfolio strategy; this command does not take portfolio strategies yet (run and lookahead do)",
            strategy.path.display(),
            strategy.name
        );
    }
    let path = match (data, &strategy.data) {
        (Some(d), _) => d.to_path_buf(),
        (None, Some(d)) => d.clone(),
        (None, None) => anyhow::bail!(
            "{}: the strategy names no data file: give --data FILE",
            strategy.path.display()
        ),
    };
    let (candles, warnings) = tradelab::data::load(&path)?;
    warn_findings(&path, &warnings, quiet);
    Ok((path, candles))
}

/// A portfolio strategy's universe: the given files (`--data`), or the
/// strategy's own; with the path to name it by.
pub fn load_universe(
    data: &[std::path::PathBuf],
    strategy: &tradelab::strategy::Strategy,
    quiet: bool,
) -> anyhow::Result<(std::path::PathBuf, tradelab::data::universe::Universe)> {
    let files = if data.is_empty() {
        strategy.data_files.clone()
    } else {
        data.to_vec()
    };
    if files.is_empty() {
        anyhow::bail!(
            "{}: the strategy names no data file: give --data FILE",
            strategy.path.display()
        );
    }
    let u = tradelab::data::universe_file::load(&files)?;
    if !quiet {
        for w in &u.warnings {
            eprintln!("warning: {w}");
        }
    }
    Ok((files[0].clone(), u))
}
