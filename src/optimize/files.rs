//! Moving a sweep's streamed files from its checkpoint into the output
//! folder: as they are, with a grid's neighbourhood columns added to each
//! row, and as Parquet (row groups read from trials.csv a batch at a time,
//! so that no file is ever whole in memory).

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use polars::prelude::*;

use super::stability::Neighbourhood;
use crate::data::write::write_atomic;
use crate::error::{Error, Result};

/// Rows per Parquet row group (a group's columns, 16 bytes a value while
/// they are read, are the writer's memory: 17 MB at 65 columns).
const GROUP: usize = 16_384;

fn reader(path: &Path) -> Result<BufReader<File>> {
    let f = File::open(path).map_err(|e| Error::io(path, &e))?;
    Ok(BufReader::with_capacity(1 << 20, f))
}

/// A number as a CSV cell: empty when undefined or infinite.
pub fn cell(v: Option<f64>) -> String {
    v.filter(|x| x.is_finite())
        .map(|x| x.to_string())
        .unwrap_or_default()
}

/// `from` to `to`: moved when `complete`, copied otherwise (an interrupted
/// sweep keeps its checkpoint whole).
pub fn place(from: &Path, to: &Path, complete: bool) -> Result<()> {
    if complete && std::fs::rename(from, to).is_ok() {
        return Ok(());
    }
    let mut r = reader(from)?;
    write_atomic(to, |w| {
        std::io::copy(&mut r, w)
            .map(|_| ())
            .map_err(|e| e.to_string())
    })
}

/// trials.csv with `neighbourhood_mean,neighbourhood_min` after each row
/// (`nb[i]` belongs to row i).
pub fn with_neighbourhoods(from: &Path, to: &Path, nb: &[Neighbourhood]) -> Result<()> {
    let r = reader(from)?;
    write_atomic(to, |w| {
        let mut lines = r.lines();
        let head = lines.next().transpose().map_err(|e| e.to_string())?;
        writeln!(
            w,
            "{},neighbourhood_mean,neighbourhood_min",
            head.unwrap_or_default()
        )
        .map_err(|e| e.to_string())?;
        for (line, n) in lines.zip(nb) {
            let line = line.map_err(|e| e.to_string())?;
            writeln!(w, "{line},{},{}", cell(n.mean), cell(n.min)).map_err(|e| e.to_string())?;
        }
        Ok(())
    })
}

/// One row group's columns as read from trials.csv.
struct Group {
    trial: Vec<u64>,
    feasible: Vec<bool>,
    values: Vec<Vec<Option<f64>>>,
}

impl Group {
    fn new(columns: usize) -> Group {
        Group {
            trial: Vec::new(),
            feasible: Vec::new(),
            values: (0..columns).map(|_| Vec::new()).collect(),
        }
    }

    fn push(&mut self, line: &str) -> std::result::Result<(), String> {
        let mut f = line.split(',');
        let bad = || format!("unreadable row '{line}'");
        self.trial
            .push(f.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?);
        self.feasible.push(f.next() == Some("1"));
        for col in &mut self.values {
            let s = f.next().ok_or_else(bad)?;
            col.push(if s.is_empty() {
                None
            } else {
                Some(s.parse().map_err(|_| bad())?)
            });
        }
        Ok(())
    }

    fn frame(&mut self, names: &[String]) -> PolarsResult<DataFrame> {
        let n = self.trial.len();
        let mut cols = vec![
            Column::new("trial".into(), std::mem::take(&mut self.trial)),
            Column::new("feasible".into(), std::mem::take(&mut self.feasible)),
        ];
        for (name, v) in names.iter().zip(&mut self.values) {
            cols.push(Column::new(name.as_str().into(), std::mem::take(v)));
        }
        DataFrame::new(n, cols)
    }
}

/// trials.parquet from trials.csv: `trial` (u64), `feasible` (bool) and
/// every other column as nullable f64, in row groups of 16,384 trials.
pub fn parquet_from_csv(csv: &Path, to: &Path) -> Result<()> {
    let r = reader(csv)?;
    write_atomic(to, |w| {
        let mut lines = r.lines();
        let head = lines
            .next()
            .transpose()
            .map_err(|e| e.to_string())?
            .unwrap_or_default();
        let names: Vec<String> = head.split(',').skip(2).map(str::to_string).collect();
        let mut fields = vec![
            Field::new("trial".into(), DataType::UInt64),
            Field::new("feasible".into(), DataType::Boolean),
        ];
        fields.extend(
            names
                .iter()
                .map(|n| Field::new(n.as_str().into(), DataType::Float64)),
        );
        let schema = Schema::from_iter(fields);
        let mut out = ParquetWriter::new(w)
            .with_compression(ParquetCompression::Snappy)
            .batched(&schema)
            .map_err(|e| e.to_string())?;
        let mut g = Group::new(names.len());
        let mut any = false;
        for line in lines {
            g.push(&line.map_err(|e| e.to_string())?)?;
            if g.trial.len() == GROUP {
                out.write_batch(&g.frame(&names).map_err(|e| e.to_string())?)
                    .map_err(|e| e.to_string())?;
                any = true;
            }
        }
        if !g.trial.is_empty() || !any {
            out.write_batch(&g.frame(&names).map_err(|e| e.to_string())?)
                .map_err(|e| e.to_string())?;
        }
        out.finish().map(|_| ()).map_err(|e| e.to_string())
    })
}
