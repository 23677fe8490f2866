//! `tradelab optimize --resume`: a sweep killed partway and resumed writes
//! exactly the bytes of an uninterrupted run (grid, random, genetic and
//! NSGA-II); a different sweep is refused naming what changed; and
//! `--pbo-sample` computes PBO over a recorded, seeded sample.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

const FILES: [&str; 6] = [
    "trials.csv",
    "blocks.csv",
    "best.json",
    "meta.json",
    "best_run.json",
    "trials.parquet",
];

fn args<'a>(strategy: &'a str, out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec!["optimize", strategy, "--out", out, "--json"];
    a.extend_from_slice(extra);
    a
}

/// Runs the sweep with the test hook that aborts the process (as a kill
/// would: no destructor, no flush) after `n` checkpoints.
fn killed(dir: &Path, a: &[&str], n: usize) {
    let out = Command::new(env!("CARGO_BIN_EXE_tradelab"))
        .args(a)
        .current_dir(dir)
        .env("TRADELAB_ABORT_AFTER_CHECKPOINTS", n.to_string())
        .output()
        .unwrap();
    assert!(out.status.code().is_none(), "the run was not aborted");
}

/// Starts the sweep and returns once its first checkpoint is on disk (or
/// it has finished: a fast build may end it before the first checkpoint).
fn started(dir: &Path, a: &[&str]) -> std::process::Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tradelab"))
        .args(a)
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let state = dir.join("cut/.checkpoint/state.json");
    let start = std::time::Instant::now();
    while !state.exists() && child.try_wait().unwrap().is_none() && start.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child
}

fn same_files(a: &Path, b: &Path) {
    for f in FILES {
        let (x, y) = (std::fs::read(a.join(f)), std::fs::read(b.join(f)));
        assert!(x.is_ok() && x.ok() == y.ok(), "{f} differs");
    }
}

/// Kills the sweep after `n` checkpoints, resumes it, and compares every
/// output file with an uninterrupted run's; returns the checkpoint's
/// state.json as the kill left it.
fn kill_and_resume(strategy: &str, extra: &[&str], n: usize) -> serde_json::Value {
    let dir = tempdir();
    let s = root().join(strategy);
    let s = s.to_str().unwrap();
    let whole = tradelab_in(dir.path(), &args(s, "whole", extra));
    assert_eq!(whole.code, 0, "{}", whole.stderr);
    killed(dir.path(), &args(s, "cut", extra), n);
    let state = dir.path().join("cut/.checkpoint/state.json");
    let st: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert!(!dir.path().join("cut/trials.csv").exists());
    let mut resumed = args(s, "cut", extra);
    resumed.push("--resume");
    let r = tradelab_in(dir.path(), &resumed);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, whole.stdout);
    same_files(&dir.path().join("whole"), &dir.path().join("cut"));
    // A finished sweep leaves no checkpoint, and so cannot be resumed.
    assert!(!dir.path().join("cut/.checkpoint").exists());
    let again = tradelab_in(dir.path(), &resumed);
    assert_eq!(again.code, 2);
    assert!(
        again.stderr.contains("holds no checkpoint"),
        "{}",
        again.stderr
    );
    st
}

/// The trials of a grid or random checkpoint, and the bytes of a genetic one.
fn held(st: &serde_json::Value) -> (u64, u64) {
    (
        st["trials"].as_u64().unwrap(),
        st["lengths"]["genetic"].as_u64().unwrap(),
    )
}

#[test]
fn a_killed_grid_sweep_resumes_to_the_same_bytes() {
    // 175 points in stretches of 16, 32, 64 and 63: killed after two
    // checkpoints, 48 trials are kept and 127 run on resume; killed after
    // the fourth, every trial is in the checkpoint and only the files are
    // left to write.
    assert_eq!(
        held(&kill_and_resume("strategies/sma_cross.toml", &[], 2)),
        (48, 0)
    );
    assert_eq!(
        held(&kill_and_resume("strategies/sma_cross.toml", &[], 4)),
        (175, 0)
    );
}

#[test]
fn a_killed_random_shard_resumes_to_the_same_bytes() {
    let st = kill_and_resume(
        "strategies/rsi_reversion.toml",
        &[
            "--method", "random", "--trials", "400", "--seed", "9", "--shard", "2/3",
        ],
        1,
    );
    // 400 draws, shard 2/3 owns 133: the first stretch of 16 was kept.
    assert_eq!(held(&st), (16, 0));
}

#[test]
fn a_killed_genetic_sweep_resumes_to_the_same_bytes() {
    // Killed after three generations' checkpoints: the resumed search
    // replays them from the checkpoint without backtesting and goes on.
    // They hold the generations' points whole and no rows yet: a genetic
    // search hands its trials over at its end.
    let g = "--method genetic --population 20 --generations 8 --seed 5";
    let g: Vec<&str> = g.split(' ').collect();
    let st = kill_and_resume("strategies/sma_cross.toml", &g, 3);
    assert!(held(&st).0 == 0 && held(&st).1 > 0, "{st}");
    // NSGA-II (two objectives), killed after its second generation.
    let g = "--method genetic --population 20 --generations 6 --seed 2 --objective sharpe --objective max_drawdown";
    let g: Vec<&str> = g.split(' ').collect();
    let st = kill_and_resume("strategies/sma_cross.toml", &g, 2);
    assert!(held(&st).0 == 0 && held(&st).1 > 0, "{st}");
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// A random rsi_reversion sweep run whole into `whole`, and the same sweep
/// started into `cut`.
struct Pair {
    dir: tempfile::TempDir,
    args: Vec<String>,
    whole: Run,
}

impl Pair {
    /// The pair, and the `cut` run once its first checkpoint is on disk.
    fn start(trials: &str, seed: &str) -> (Pair, std::process::Child) {
        let dir = tempdir();
        let s = root().join("strategies/rsi_reversion.toml");
        let extra = ["--method", "random", "--trials", trials, "--seed", seed];
        let a = |out| -> Vec<String> {
            args(s.to_str().unwrap(), out, &extra)
                .into_iter()
                .map(String::from)
                .collect()
        };
        let whole = tradelab_in(dir.path(), &refs(&a("whole")));
        assert_eq!(whole.code, 0, "{}", whole.stderr);
        let cut = a("cut");
        let child = started(dir.path(), &refs(&cut));
        let pair = Pair {
            dir,
            args: cut,
            whole,
        };
        (pair, child)
    }

    fn path(&self, p: &str) -> std::path::PathBuf {
        self.dir.path().join(p)
    }

    /// Resumes `cut` (when its checkpoint is left) and checks that it ends
    /// with every file and the summary of `whole`.
    fn resumes_to_whole(&self) {
        if self.path("cut/.checkpoint/state.json").exists() {
            let mut a = refs(&self.args);
            a.push("--resume");
            let r = tradelab_in(self.dir.path(), &a);
            assert_eq!(r.code, 0, "{}", r.stderr);
            assert_eq!(r.stdout, self.whole.stdout);
        }
        same_files(&self.path("whole"), &self.path("cut"));
    }
}

#[test]
fn a_sweep_killed_at_any_moment_resumes_to_the_same_bytes() {
    // A real SIGKILL at an arbitrary moment (it may land mid-row): the
    // resumed sweep cuts each file back to its last checkpoint.
    let (pair, mut child) = Pair::start("600", "4");
    let _ = child.kill();
    let _ = child.wait();
    pair.resumes_to_whole();
}

#[test]
fn resuming_a_different_sweep_is_refused_naming_what_changed() {
    let dir = tempdir();
    let s = root().join("strategies/sma_cross.toml");
    let s = s.to_str().unwrap();
    killed(dir.path(), &args(s, "cut", &[]), 1);
    let r = tradelab_in(
        dir.path(),
        &args(s, "cut", &["--resume", "--objective", "sortino"]),
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("the objective changed (objective was \"sharpe\", now \"sortino\")"),
        "{}",
        r.stderr
    );
    let r = tradelab_in(
        dir.path(),
        &args(
            s,
            "cut",
            &[
                "--resume",
                "--data",
                dataset("EURUSD.csv").to_str().unwrap(),
            ],
        ),
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("the data changed (data_file was"),
        "{}",
        r.stderr
    );
    // A damaged checkpoint is one line naming the file and position.
    let state = dir.path().join("cut/.checkpoint/state.json");
    std::fs::write(&state, "{ \"meta\": 3 }").unwrap();
    let r = tradelab_in(dir.path(), &args(s, "cut", &["--resume"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("state.json:1:"), "{}", r.stderr);
    assert_eq!(r.stderr.trim().lines().count(), 1, "{}", r.stderr);
    // Without --resume the sweep starts over, and says so.
    let r = tradelab_in(dir.path(), &args(s, "cut", &[]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("holds an unfinished sweep; starting over"),
        "{}",
        r.stderr
    );
}

#[test]
fn pbo_over_a_seeded_sample_is_recorded_and_merges() {
    let dir = tempdir();
    let s = root().join("strategies/rsi_reversion.toml");
    let s = s.to_str().unwrap();
    let r = ["--method", "random", "--trials", "300", "--seed", "11"];
    let full = tradelab_in(dir.path(), &args(s, "full", &r));
    let mut sampled_args = r.to_vec();
    sampled_args.extend(["--pbo-sample", "120"]);
    let sampled = tradelab_in(dir.path(), &args(s, "sampled", &sampled_args));
    assert_eq!((full.code, sampled.code), (0, 0), "{}", sampled.stderr);
    let (full, sampled) = (full.json(), sampled.json());
    // The sample's size and the trials it read are recorded.
    assert_eq!(
        (&sampled["pbo_sample"], &sampled["pbo_trials"]),
        (&serde_json::json!(120), &serde_json::json!(120))
    );
    assert!(full.get("pbo_sample").is_none());
    // blocks.csv holds exactly the sampled trials, each row the same as
    // in the full sweep's blocks.csv.
    let rows = |d: &str| -> Vec<String> {
        std::fs::read_to_string(dir.path().join(d).join("blocks.csv"))
            .unwrap()
            .lines()
            .skip(1)
            .map(str::to_string)
            .collect()
    };
    let (all, some) = (rows("full"), rows("sampled"));
    assert_eq!((all.len(), some.len()), (300, 120));
    assert!(some.iter().all(|r| all.contains(r)));
    // Everything else is the same sweep: trials, best, DSR (over all trials).
    for k in ["best", "top", "deflated_sharpe", "trials"] {
        assert_eq!(full[k], sampled[k], "{k}");
    }
    assert!(sampled["pbo"]
        .as_f64()
        .is_some_and(|p| (0.0..=1.0).contains(&p)));
    // A sample as large as the sweep is the whole sweep: the exact PBO.
    let mut all_args = r.to_vec();
    all_args.extend(["--pbo-sample", "300"]);
    let whole = tradelab_in(dir.path(), &args(s, "whole", &all_args)).json();
    assert_eq!(whole["pbo"], full["pbo"]);
    // Sampled shards merge into the sampled unsharded sweep.
    for k in 1..=3 {
        let mut a = sampled_args.clone();
        let shard = format!("{k}/3");
        a.extend(["--shard", shard.as_str()]);
        let out = format!("s{k}");
        let run = tradelab_in(dir.path(), &args(s, &out, &a));
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let m = tradelab_in(
        dir.path(),
        &["merge", "s1", "s2", "s3", "--out", "merged", "--json"],
    );
    assert_eq!(m.code, 0, "{}", m.stderr);
    for f in ["trials.csv", "blocks.csv", "best.json", "meta.json"] {
        assert_eq!(
            std::fs::read(dir.path().join("sampled").join(f)).unwrap(),
            std::fs::read(dir.path().join("merged").join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn pbo_over_more_than_its_exact_limit_is_refused_before_any_trial() {
    let dir = tempdir();
    let s = root().join("strategies/rsi_reversion.toml");
    let r = tradelab_in(
        dir.path(),
        &[
            "optimize",
            s.to_str().unwrap(),
            "--method",
            "random",
            "--trials",
            "100001",
            "--out",
            "o",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--pbo-sample N"), "{}", r.stderr);
    assert!(!dir.path().join("o").exists());
    let r = tradelab_in(
        dir.path(),
        &[
            "optimize",
            s.to_str().unwrap(),
            "--method",
            "random",
            "--trials",
            "50",
            "--pbo-sample",
            "100001",
            "--out",
            "o",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("more than the 100000"), "{}", r.stderr);
}

#[test]
fn a_sweep_stopped_by_ctrl_c_keeps_what_finished_and_resumes_to_the_same_bytes() {
    let (pair, mut child) = Pair::start("1500", "6");
    // (It may have finished already; then the signal finds no process
    // and the run must have ended normally, checked below.)
    if child.try_wait().unwrap().is_none() {
        let _ = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status();
    }
    let out = child.wait_with_output().unwrap();
    if out.status.code() == Some(130) {
        // What finished is written, and the checkpoint stays for --resume.
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--resume continues the sweep"), "{err}");
        let cut: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let rows = std::fs::read_to_string(pair.path("cut/trials.csv")).unwrap();
        assert_eq!(
            rows.lines().count() as u64,
            cut["trials"].as_u64().unwrap() + 1
        );
        assert!(cut["trials"].as_u64().unwrap() < 1500);
        assert!(pair.path("cut/.checkpoint/state.json").exists());
    } else {
        assert_eq!(out.status.code(), Some(0), "finished before the signal");
    }
    pair.resumes_to_whole();
}

/// trials.parquet holds what trials.csv holds, value for value: written
/// from it in row groups of 16,384 trials (here five groups).
#[test]
fn trials_parquet_is_trials_csv_in_row_groups() {
    use polars::prelude::*;
    let dir = tempdir();
    let s = root().join("strategies/sma_cross.toml");
    let data = dataset("BTCUSD.csv");
    let extra = [
        "--data",
        data.to_str().unwrap(),
        "--method",
        "random",
        "--trials",
        "70000",
        "--seed",
        "3",
        "--no-overfit",
    ];
    let r = tradelab_in(dir.path(), &args(s.to_str().unwrap(), "big", &extra));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let grid = tradelab_in(dir.path(), &args(s.to_str().unwrap(), "grid", &[]));
    assert_eq!(grid.code, 0, "{}", grid.stderr);
    for name in ["big", "grid"] {
        let csv = std::fs::read_to_string(dir.path().join(name).join("trials.csv")).unwrap();
        let file = std::fs::File::open(dir.path().join(name).join("trials.parquet")).unwrap();
        let df = ParquetReader::new(file).finish().unwrap();
        let mut lines = csv.lines();
        let head: Vec<&str> = lines.next().unwrap().split(',').collect();
        let names: Vec<String> = df
            .get_column_names()
            .iter()
            .map(|n| n.to_string())
            .collect();
        assert_eq!(names, head);
        let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
        assert_eq!(df.height(), rows.len());
        let trial = df.column("trial").unwrap().u64().unwrap();
        let feasible = df.column("feasible").unwrap().bool().unwrap();
        for (i, row) in rows.iter().enumerate() {
            assert_eq!(trial.get(i).unwrap().to_string(), row[0]);
            assert_eq!(feasible.get(i).unwrap(), row[1] == "1");
        }
        for (c, h) in head.iter().enumerate().skip(2) {
            let col = df.column(h).unwrap().f64().unwrap();
            for (i, row) in rows.iter().enumerate() {
                let want: Option<f64> = (!row[c].is_empty()).then(|| row[c].parse().unwrap());
                assert_eq!(
                    col.get(i).map(f64::to_bits),
                    want.map(f64::to_bits),
                    "{name} {h} row {i}"
                );
            }
        }
    }
    // Grid sweeps end with the neighbourhood columns, in both files.
    let csv = std::fs::read_to_string(dir.path().join("grid/trials.csv")).unwrap();
    assert!(csv
        .lines()
        .next()
        .unwrap()
        .ends_with(",neighbourhood_mean,neighbourhood_min"));
}

#[test]
fn a_damaged_checkpoint_is_one_line_naming_its_file() {
    let dir = tempdir();
    let s = root().join("strategies/sma_cross.toml");
    let s = s.to_str().unwrap();
    killed(dir.path(), &args(s, "cut", &[]), 2);
    let cp = dir.path().join("cut/.checkpoint");
    let mut resumed = args(s, "cut", &[]);
    resumed.push("--resume");
    // A part file shorter than the checkpoint says, then one whose rows
    // do not decode (a byte short of whole rows).
    let table = std::fs::read(cp.join("table.bin")).unwrap();
    for cut in [10, table.len() - 1] {
        std::fs::write(cp.join("table.bin"), &table[..cut]).unwrap();
        let st = std::fs::read_to_string(cp.join("state.json")).unwrap();
        if cut == table.len() - 1 {
            let v = format!("\"table\": {}", table.len());
            std::fs::write(
                cp.join("state.json"),
                st.replace(&v, &format!("\"table\": {cut}")),
            )
            .unwrap();
        }
        let r = tradelab_in(dir.path(), &resumed);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(
            r.stderr.contains("cut/.checkpoint/table.bin"),
            "{}",
            r.stderr
        );
        assert!(
            r.stderr.contains("run without resuming to start over"),
            "{}",
            r.stderr
        );
        assert_eq!(r.stderr.trim().lines().count(), 1, "{}", r.stderr);
    }
}
