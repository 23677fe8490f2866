//! `tradelab data info FILE [--json]`.

use std::path::PathBuf;

use clap::Args;

use crate::cli::output::{emit, print_json, table};
use crate::cli::Outcome;
use tradelab::data::universe_info::UniverseInfo;
use tradelab::data::{self, info::Info};

#[derive(Debug, Args)]
pub struct InfoArgs {
    /// A candle file: CSV with a header, Parquet, or a Binance kline dump.
    pub file: PathBuf,
    /// Print a JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: InfoArgs) -> anyhow::Result<Outcome> {
    if data::universe_file::is_universe(&args.file) {
        return universe(&args);
    }
    let (candles, _warnings) = data::load(&args.file)?;
    let info = Info::of(&candles);
    if args.json {
        print_json(&info)?;
        return Ok(Outcome::Ok);
    }
    let (start, end) = Info::period(&candles);
    let mut t = table();
    t.set_header(vec!["", "value"]);
    let spacing = if info.weekday_only && candles.spacing_ms == 86_400_000 {
        format!("{} (weekdays only)", info.median_spacing)
    } else {
        info.median_spacing.clone()
    };
    let rows: Vec<(&str, String)> = vec![
        ("file", info.file.clone()),
        ("format", info.format.to_string()),
        ("bars", info.bars.to_string()),
        ("start", start),
        ("end", end),
        ("median spacing", spacing),
        ("columns", info.columns.join(", ")),
        (
            "price range",
            format!("{} – {}", info.price_min, info.price_max),
        ),
        (
            "first / last close",
            format!("{} / {}", info.first_close, info.last_close),
        ),
        ("gaps > 1.5x spacing", info.gaps.to_string()),
        (
            "zero-volume bars",
            if info.has_volume {
                info.zero_volume_bars.to_string()
            } else {
                "no volume column".into()
            },
        ),
    ];
    for (k, v) in rows {
        t.add_row(vec![k.to_string(), v]);
    }
    emit(&t)?;
    Ok(Outcome::Ok)
}

/// A universe file: each symbol's coverage and the common range.
fn universe(args: &InfoArgs) -> anyhow::Result<Outcome> {
    let u = data::universe_file::load(std::slice::from_ref(&args.file))?;
    let info = UniverseInfo::of(&u);
    if args.json {
        print_json(&info)?;
        return Ok(Outcome::Ok);
    }
    let common = info
        .common
        .as_ref()
        .map_or("none".to_string(), |(a, b)| format!("{a} to {b}"));
    emit(format!(
        "{}: {} symbols on {} bars, {} to {} ({}); every symbol trades from {common}",
        info.file,
        info.symbols.len(),
        info.bars,
        info.start,
        info.end,
        if info.ohlc { "OHLC" } else { "closes only" },
    ))?;
    let mut t = table();
    t.set_header(vec!["symbol", "first bar", "last bar", "bars", "missing"]);
    for s in &info.symbols {
        t.add_row(vec![
            s.symbol.clone(),
            s.first.clone(),
            s.last.clone(),
            s.bars.to_string(),
            s.missing.to_string(),
        ]);
    }
    emit(&t)?;
    Ok(Outcome::Ok)
}
