//! A benchmark series: the closes of one instrument that runs are measured
//! against, read from any file tradelab loads (candles, or a one-symbol
//! close panel such as `datasets/sp500_index.csv`).

use std::path::{Path, PathBuf};

use super::universe::read_panel;
use super::universe_file::{is_universe, load as load_universe};
use crate::error::{Error, Location, Result};

/// One instrument's closes on its own timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Benchmark {
    /// The symbol (a panel's column name, or the file stem).
    pub name: String,
    pub source: PathBuf,
    pub sha256: String,
    pub ts: Vec<i64>,
    pub close: Vec<f64>,
}

impl Benchmark {
    /// Loads `path`: candles, or a universe file holding exactly one symbol.
    pub fn load(path: &Path) -> Result<Benchmark> {
        let stem = path
            .file_stem()
            .map_or("benchmark".into(), |s| s.to_string_lossy().into_owned());
        let two_columns = close_only(path);
        let (name, ts, close) = if two_columns || is_universe(path) {
            let u = if two_columns {
                read_panel(path)?
            } else {
                load_universe(&[path.to_path_buf()])?
            };
            if u.series.len() != 1 {
                return Err(Error::input(
                    path,
                    Location::Line(1),
                    format!(
                        "a benchmark is one symbol; this file holds {} ({})",
                        u.series.len(),
                        u.symbols().join(", ")
                    ),
                ));
            }
            let (c, _) = u.candles(0);
            let name = if two_columns {
                stem
            } else {
                u.series[0].symbol.clone()
            };
            (name, c.ts, c.close)
        } else {
            let (c, _) = super::load(path)?;
            (stem, c.ts, c.close)
        };
        if ts.len() < 2 {
            return Err(Error::unreadable(
                path,
                Location::File,
                "a benchmark needs at least 2 bars",
            ));
        }
        Ok(Benchmark {
            name,
            source: path.to_path_buf(),
            sha256: super::sha256_file(path)?,
            ts,
            close,
        })
    }

    /// The benchmark's last close at or before each of `at` (NaN before its
    /// first bar): its curve on another series' timeline, for charts.
    pub fn as_of(&self, at: &[i64]) -> Vec<f64> {
        let mut j = 0;
        at.iter()
            .map(|&t| {
                while j < self.ts.len() && self.ts[j] <= t {
                    j += 1;
                }
                if j == 0 {
                    f64::NAN
                } else {
                    self.close[j - 1]
                }
            })
            .collect()
    }
}

/// Whether a CSV file is a time column and one close column (`date,close`).
fn close_only(path: &Path) -> bool {
    super::universe::csv_header(path).is_some_and(|h| {
        h.len() == 2
            && super::TIME_NAMES.contains(&h[0].as_str())
            && ["close", "adj close", "adj_close", "price"].contains(&h[1].as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_of_takes_the_last_close_at_or_before() {
        let b = Benchmark {
            name: "x".into(),
            source: "x.csv".into(),
            sha256: String::new(),
            ts: vec![10, 20, 30],
            close: vec![1.0, 2.0, 3.0],
        };
        let v = b.as_of(&[5, 10, 25, 30, 99]);
        assert!(v[0].is_nan());
        assert_eq!(&v[1..], &[1.0, 2.0, 3.0, 3.0]);
    }
}
