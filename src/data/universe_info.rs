//! What `data info` says of a universe: each symbol's first and last bar,
//! its bars and the bars it misses between them, and the range every symbol
//! covers; and the wide close panel `data convert --wide` writes.

use std::path::Path;

use serde::Serialize;

use super::time::{all_midnight, format_ms, format_utc};
use super::universe::Universe;
use super::write::write_atomic;
use crate::error::{Error, Result};

/// One symbol's coverage of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SymbolInfo {
    pub symbol: String,
    pub first: String,
    pub last: String,
    pub bars: usize,
    /// Timeline bars between its first and last where it has none.
    pub missing: usize,
}

/// A universe summarized.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UniverseInfo {
    pub file: String,
    pub bars: usize,
    pub start: String,
    pub end: String,
    pub ohlc: bool,
    pub symbols: Vec<SymbolInfo>,
    /// From the latest first bar to the earliest last bar: where every
    /// symbol has started and none has ended (None when there is no such range).
    pub common: Option<(String, String)>,
}

impl UniverseInfo {
    pub fn of(u: &Universe) -> UniverseInfo {
        let symbols: Vec<(SymbolInfo, usize, usize)> = u
            .series
            .iter()
            .filter_map(|s| {
                let lo = s.close.iter().position(|v| v.is_finite())?;
                let hi = s.close.iter().rposition(|v| v.is_finite())?;
                let bars = s.close[lo..=hi].iter().filter(|v| v.is_finite()).count();
                let info = SymbolInfo {
                    symbol: s.symbol.clone(),
                    first: format_utc(u.ts[lo]),
                    last: format_utc(u.ts[hi]),
                    bars,
                    missing: hi + 1 - lo - bars,
                };
                Some((info, lo, hi))
            })
            .collect();
        let lo = symbols.iter().map(|s| s.1).max().unwrap_or(0);
        let hi = symbols.iter().map(|s| s.2).min().unwrap_or(0);
        UniverseInfo {
            file: u.source.display().to_string(),
            bars: u.len(),
            start: u.ts.first().map(|&t| format_utc(t)).unwrap_or_default(),
            end: u.ts.last().map(|&t| format_utc(t)).unwrap_or_default(),
            ohlc: u.has_ohlc(),
            common: (lo <= hi && !symbols.is_empty())
                .then(|| (format_utc(u.ts[lo]), format_utc(u.ts[hi]))),
            symbols: symbols.into_iter().map(|s| s.0).collect(),
        }
    }
}

/// Writes the closes of `u` as a wide CSV panel: `date,SYM1,...`, empty
/// cells where a symbol has no bar.
pub fn write_panel(path: &Path, u: &Universe) -> Result<()> {
    if path.extension().is_none_or(|e| e != "csv") {
        return Err(Error::Usage(format!(
            "{}: a wide panel is written as .csv",
            path.display()
        )));
    }
    let date_only = all_midnight(&u.ts);
    write_atomic(path, |w| {
        use std::io::Write;
        let io = |e: std::io::Error| e.to_string();
        write!(w, "date").map_err(io)?;
        for s in &u.series {
            write!(w, ",{}", s.symbol).map_err(io)?;
        }
        writeln!(w).map_err(io)?;
        for (t, &time) in u.ts.iter().enumerate() {
            write!(w, "{}", format_ms(time, date_only)).map_err(io)?;
            for s in &u.series {
                let v = s.close[t];
                if v.is_finite() {
                    write!(w, ",{v}").map_err(io)?;
                } else {
                    write!(w, ",").map_err(io)?;
                }
            }
            writeln!(w).map_err(io)?;
        }
        Ok(())
    })
}
