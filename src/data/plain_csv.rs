//! The fast path for plain candle files: no quotes, every line with the
//! header's field count, numbers in plain decimal. Such a file is read in
//! parallel ranges of lines straight into the columns, in blocks of a
//! buffer each thread reuses, with the same values polars gives (both parse
//! decimals correctly rounded). Anything else, an error included, is left
//! to the polars path, which reads every file and names every problem.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;

use rayon::prelude::*;

use super::decimal::number;
use super::time::{TimeFormat, TimestampParser};

/// The bytes a thread reads at a time.
const BLOCK: usize = 1 << 20;
/// The least bytes a thread's range holds (smaller files take fewer threads).
const RANGE_MIN: u64 = 4 << 20;

/// A plain file's columns: times (ms), then the value columns in order.
pub(super) struct Plain {
    pub ts: Vec<i64>,
    pub values: Vec<Vec<f64>>,
}

/// What a line holds and where: the field count, the separator, the time
/// field and the value fields in the order they are wanted.
pub(super) struct Shape<'a> {
    pub fields: usize,
    pub sep: u8,
    pub time: usize,
    pub values: &'a [usize],
    pub header: bool,
}

/// The file's columns, or None when it is not plain (the caller then reads
/// it the general way).
pub(super) fn read(path: &Path, shape: &Shape) -> Option<Plain> {
    let len = std::fs::metadata(path).ok()?.len();
    let parts = ((len / RANGE_MIN) as usize + 1).min(rayon::current_num_threads());
    read_in(path, shape, parts)
}

/// `read` in `parts` ranges of lines (fewer where lines are long).
fn read_in(path: &Path, shape: &Shape, parts: usize) -> Option<Plain> {
    let file = File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    let start = if shape.header {
        line_end(&file, 0, len)?
    } else {
        0
    };
    if start >= len {
        return None;
    }
    // Each range starts at a line start: the byte after a newline.
    let mut bounds = vec![start];
    for k in 1..parts {
        let raw = start + (len - start) * k as u64 / parts as u64;
        let b = line_end(&file, raw - 1, len)?;
        if b > *bounds.last().expect("a bound") && b < len {
            bounds.push(b);
        }
    }
    bounds.push(len);
    let ranges: Vec<(u64, u64)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
    let counts: Vec<usize> = ranges
        .par_iter()
        .map(|&(a, b)| lines(&file, a, b))
        .collect::<Option<_>>()?;
    let rows: usize = counts.iter().sum();
    let mut ts = vec![0i64; rows];
    let mut values = vec![vec![0.0f64; rows]; shape.values.len()];
    // Disjoint row slices of every column, one set per range.
    let mut jobs = Vec::with_capacity(ranges.len());
    let (mut ts_rest, mut val_rest): (&mut [i64], Vec<&mut [f64]>) = (
        &mut ts,
        values.iter_mut().map(|v| v.as_mut_slice()).collect(),
    );
    for (&range, &n) in ranges.iter().zip(&counts) {
        let (t, tr) = std::mem::take(&mut ts_rest).split_at_mut(n);
        ts_rest = tr;
        let mut vs = Vec::with_capacity(val_rest.len());
        for v in val_rest.iter_mut() {
            let (head, tail) = std::mem::take(v).split_at_mut(n);
            *v = tail;
            vs.push(head);
        }
        jobs.push((range, t, vs));
    }
    let formats: Vec<Option<TimeFormat>> = jobs
        .into_par_iter()
        .map(|(range, t, vs)| parse(&file, range, shape, t, vs))
        .collect::<Option<_>>()?;
    // One timestamp shape for the whole file.
    let first = formats.iter().flatten().next();
    if formats.iter().flatten().any(|f| Some(f) != first) {
        return None;
    }
    Some(Plain { ts, values })
}

/// The position after the first newline at or after `from`, or `len` when
/// there is none.
fn line_end(file: &File, from: u64, len: u64) -> Option<u64> {
    let mut buf = vec![0u8; 64 << 10];
    let mut at = from;
    while at < len {
        let n = file.read_at(&mut buf, at).ok()?;
        if n == 0 {
            return None;
        }
        if let Some(i) = buf[..n].iter().position(|&b| b == b'\n') {
            return Some(at + i as u64 + 1);
        }
        at += n as u64;
    }
    Some(len)
}

/// The lines in bytes `a..b` (a last line without a newline counts), or
/// None if a quote is among them.
fn lines(file: &File, a: u64, b: u64) -> Option<usize> {
    let mut buf = vec![0u8; BLOCK];
    let (mut at, mut count, mut last) = (a, 0, b'\n');
    while at < b {
        let want = BLOCK.min((b - at) as usize);
        let n = file.read_at(&mut buf[..want], at).ok()?;
        if n == 0 {
            return None;
        }
        let chunk = &buf[..n];
        let (newlines, quotes) = chunk.iter().fold((0, 0), |(l, q), &c| {
            (l + usize::from(c == b'\n'), q + usize::from(c == b'"'))
        });
        if quotes > 0 {
            return None;
        }
        count += newlines;
        last = chunk[n - 1];
        at += n as u64;
    }
    Some(count + usize::from(last != b'\n'))
}

/// Parses the lines of bytes `range` into the row slices; returns the
/// range's timestamp shape (None for no rows), or None if a line is not
/// plain.
fn parse(
    file: &File,
    (a, b): (u64, u64),
    shape: &Shape,
    ts: &mut [i64],
    mut values: Vec<&mut [f64]>,
) -> Option<Option<TimeFormat>> {
    let mut buf = vec![0u8; BLOCK];
    let (mut kept, mut at) = (0usize, a);
    let mut lines = Lines {
        shape,
        parser: TimestampParser::default(),
        format: None,
        row: 0,
    };
    loop {
        let want = (BLOCK - kept).min((b - at) as usize);
        let n = file.read_at(&mut buf[kept..kept + want], at).ok()?;
        at += n as u64;
        let end = kept + n;
        let done = at >= b;
        if n == 0 && !done {
            return None;
        }
        let mut from = 0;
        while let Some(next) = lines.line(&buf[from..end], ts, &mut values)? {
            from += next;
        }
        if done {
            if from < end {
                // The last line, without a newline.
                let mut tail = buf[from..end].to_vec();
                tail.push(b'\n');
                lines.line(&tail, ts, &mut values)??;
            }
            break;
        }
        if from == 0 && end == BLOCK {
            return None; // a line longer than the buffer
        }
        buf.copy_within(from..end, 0);
        kept = end - from;
    }
    (lines.row == ts.len()).then_some(lines.format)
}

/// A range's lines as they are read: where the next row goes, and the
/// timestamp shape of the first.
struct Lines<'s> {
    shape: &'s Shape<'s>,
    parser: TimestampParser,
    format: Option<TimeFormat>,
    row: usize,
}

impl Lines<'_> {
    /// Reads the line at the start of `bytes` into row `self.row`, in one
    /// pass over its bytes: Some(Some(length with the newline)), Some(None)
    /// when `bytes` holds no whole line, None when the line is not plain.
    fn line(
        &mut self,
        bytes: &[u8],
        ts: &mut [i64],
        values: &mut [&mut [f64]],
    ) -> Option<Option<usize>> {
        let shape = self.shape;
        let (mut field, mut start) = (0usize, 0usize);
        let mut t = None;
        for (i, &c) in bytes.iter().enumerate() {
            if c != shape.sep && c != b'\n' {
                continue;
            }
            let mut text = &bytes[start..i];
            if c == b'\n' {
                text = text.strip_suffix(b"\r").unwrap_or(text);
            }
            if field == shape.time {
                let (ms, f) = self.parser.parse(std::str::from_utf8(text).ok()?)?;
                if *self.format.get_or_insert(f) != f {
                    return None;
                }
                t = Some(ms);
            } else if let Some(k) = shape.values.iter().position(|&w| w == field) {
                *values.get_mut(k)?.get_mut(self.row)? = number(text)?;
            }
            field += 1;
            start = i + 1;
            if c == b'\n' {
                if field != shape.fields {
                    return None;
                }
                *ts.get_mut(self.row)? = t?;
                self.row += 1;
                return Some(Some(i + 1));
            }
        }
        Some(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHAPE: Shape = Shape {
        fields: 6,
        sep: b',',
        time: 0,
        values: &[1, 2, 3, 4, 5],
        header: true,
    };

    fn file(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("c.csv");
        std::fs::write(&path, text).expect("write");
        (dir, path)
    }

    #[test]
    fn a_plain_file_reads_the_same_in_any_number_of_ranges() {
        // Nine rows, ranges of one line up to all: 1,000 ms apart, close
        // the row number + 0.5 (1.5, 2.5, ...), the last line without a
        // newline, CRLF on row 4.
        let mut text = String::from("timestamp,open,high,low,close,volume\n");
        for i in 1..=9 {
            let eol = match i {
                4 => "\r\n",
                9 => "",
                _ => "\n",
            };
            text += &format!("{},1,2,0.5,{i}.5,{}{eol}", 1_600_000_000 + i, i * 10);
        }
        let (_dir, path) = file(&text);
        for parts in 1..=9 {
            let p = read_in(&path, &SHAPE, parts).expect("plain");
            assert_eq!(p.ts.len(), 9, "{parts} ranges");
            assert_eq!(p.ts[8] - p.ts[0], 8_000, "{parts} ranges");
            let close: Vec<f64> = (1..=9).map(|i| f64::from(i) + 0.5).collect();
            assert_eq!(p.values[3], close, "{parts} ranges");
            assert_eq!(p.values[4][8], 90.0);
        }
    }

    #[test]
    fn anything_else_is_left_to_the_general_reader() {
        let head = "timestamp,open,high,low,close,volume\n";
        let ok = "2020-01-01,1,2,0.5,1.5,10\n";
        for (what, row) in [
            ("a quote", "2020-01-02,\"1\",2,0.5,1.5,10\n"),
            ("a short line", "2020-01-02,1,2,0.5,1.5\n"),
            ("a long line", "2020-01-02,1,2,0.5,1.5,10,11\n"),
            ("an empty line", "\n"),
            ("a missing value", "2020-01-02,1,,0.5,1.5,10\n"),
            ("a word", "2020-01-02,1,two,0.5,1.5,10\n"),
            ("a NaN", "2020-01-02,1,NaN,0.5,1.5,10\n"),
            ("a bad time", "2020-13-02,1,2,0.5,1.5,10\n"),
            ("another time shape", "1577923200,1,2,0.5,1.5,10\n"),
            ("a space", "2020-01-02, 1,2,0.5,1.5,10\n"),
        ] {
            let (_dir, path) = file(&format!("{head}{ok}{row}{ok}"));
            for parts in [1, 2, 3] {
                assert!(
                    read_in(&path, &SHAPE, parts).is_none(),
                    "{what}, {parts} ranges"
                );
            }
        }
        let (_dir, path) = file(head);
        assert!(read_in(&path, &SHAPE, 1).is_none(), "no rows");
    }
}
