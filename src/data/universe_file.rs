//! Opening a universe file: which shape it is (a long file with a symbol
//! column, a wide close panel, or single-symbol candle files) and the
//! reader for it.

use std::path::{Path, PathBuf};

use super::universe::{from_files, is_panel, read_panel, Universe};
use crate::error::Result;

/// Loads a universe: a wide close panel, a long file (CSV or Parquet with a
/// symbol column), or several candle files.
pub fn load(paths: &[PathBuf]) -> Result<Universe> {
    match paths {
        [one] if is_long(one) => match one.extension().and_then(|e| e.to_str()) {
            Some("parquet") => super::long::read_parquet(one),
            _ => super::long::read_csv(one),
        },
        [one] if is_panel(one) => read_panel(one),
        [one] => from_files(std::slice::from_ref(one)),
        many => from_files(many),
    }
}

/// Whether a file holds a universe (a wide close panel or a long file)
/// rather than one instrument's candles.
pub fn is_universe(path: &Path) -> bool {
    is_long(path) || is_panel(path)
}

/// Whether a file is a long universe file (it has a symbol column).
fn is_long(path: &Path) -> bool {
    if path.extension().is_some_and(|e| e == "parquet") {
        let Ok(file) = std::fs::File::open(path) else {
            return false;
        };
        use polars::prelude::SerReader;
        return polars::prelude::ParquetReader::new(file)
            .schema()
            .map(|s| {
                s.iter_names()
                    .any(|n| ["symbol", "ticker"].contains(&n.to_ascii_lowercase().as_str()))
            })
            .unwrap_or(false);
    }
    std::fs::read_to_string(path)
        .map(|t| super::long::is_long_csv(t.lines().next().unwrap_or("")))
        .unwrap_or(false)
}
