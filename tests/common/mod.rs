//! Helpers shared by the command tests: run the real binary in a temp dir.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (where `datasets/` and `tests/fixtures/` live).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn dataset(name: &str) -> PathBuf {
    root().join("datasets").join(name)
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("tests").join("fixtures").join(name)
}

/// A finished run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().expect("exited normally, not by a signal"),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

/// Runs `tradelab ARGS` with `dir` as the working directory.
pub fn tradelab_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_tradelab"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the tradelab binary runs");
    let run = Run::from(out);
    assert!(
        !run.stderr.contains("panicked"),
        "tradelab panicked: {}",
        run.stderr
    );
    run
}

/// Runs `tradelab ARGS` from the repository root with `threads` rayon
/// threads (RAYON_NUM_THREADS), for determinism tests.
pub fn tradelab_with_threads(threads: usize, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_tradelab"))
        .args(args)
        .current_dir(root())
        .env("RAYON_NUM_THREADS", threads.to_string())
        .output()
        .expect("the tradelab binary runs");
    let run = Run::from(out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run
}

/// Runs `tradelab ARGS` from the repository root.
pub fn tradelab(args: &[&str]) -> Run {
    tradelab_in(&root(), args)
}

/// A temp dir that is removed when dropped.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Writes `content` to `dir/name` and returns the path as a string.
pub fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> String {
    let p = dir.join(name);
    std::fs::write(&p, content).expect("write test file");
    p.to_string_lossy().into_owned()
}

/// The files in `dir`, sorted by name.
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Parses a CSV whose first column is a timestamp into its header and
/// numeric columns (index 0 left empty); an empty cell is NaN.
pub fn numeric_columns(text: &str) -> (Vec<String>, Vec<Vec<f64>>) {
    let mut lines = text.lines();
    let names: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    let mut cols = vec![Vec::new(); names.len()];
    for line in lines {
        for (k, cell) in line.split(',').enumerate().skip(1) {
            cols[k].push(if cell.is_empty() {
                f64::NAN
            } else {
                cell.parse().unwrap()
            });
        }
    }
    (names, cols)
}

/// The text of a PDF by poppler's `pdftotext` (`.ci/run` installs
/// poppler-utils), plus its page count by `pdfinfo`.
pub fn pdf_text(path: &Path) -> (String, usize) {
    let run = |cmd: &str, args: &[&str]| {
        let out = Command::new(cmd)
            .args(args)
            .arg(path)
            .args(if cmd == "pdftotext" {
                &["-"][..]
            } else {
                &[][..]
            })
            .output()
            .unwrap_or_else(|e| panic!("{cmd} (poppler-utils) is needed by this test: {e}"));
        assert!(
            out.status.success(),
            "{cmd}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "{cmd} complained: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let info = run("pdfinfo", &[]);
    assert!(
        info.contains("Page size:       595 x 842 pts (A4)"),
        "{info}"
    );
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("a page count");
    (run("pdftotext", &[]), pages)
}

/// Every `<svg>…</svg>` of an HTML report parses as SVG (and so as XML).
pub fn assert_svgs_parse(html: &str) -> usize {
    let mut n = 0;
    for part in html.split("<svg").skip(1) {
        let body = &part[..part.find("</svg>").expect("a closed svg") + 6];
        let svg = format!("<svg xmlns=\"http://www.w3.org/2000/svg\"{body}");
        svg2pdf::usvg::Tree::from_str(&svg, &svg2pdf::usvg::Options::default())
            .unwrap_or_else(|e| panic!("chart {n} is not valid SVG: {e}"));
        n += 1;
    }
    n
}
pub mod mock_http;

/// Days since 1970-01-01 → (year, month, day), Howard Hinnant's
/// algorithm: for the tests that write dated files.
pub fn civil(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}
