//! `tradelab optimize` and `tradelab merge`: the grid, seeded random
//! sweeps, identical results for any thread count, shards that merge into
//! exactly the unsharded result, and trials equal to single runs.

mod common;
use common::*;

use std::path::Path;

fn optimize(dir: &Path, out: &str, extra: &[&str]) -> Run {
    let s = root().join("strategies/sma_cross.toml");
    let mut args = vec!["optimize", s.to_str().unwrap(), "--out", out, "--json"];
    args.extend_from_slice(extra);
    let r = tradelab_in(dir, &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Starts the binary in `dir`, sends it SIGINT after `ms` milliseconds, and
/// returns its output and how long it took to stop after the signal.
fn interrupted(dir: &Path, args: &[&str], ms: u64) -> (std::process::Output, std::time::Duration) {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_tradelab"))
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(ms));
    let signalled = std::time::Instant::now();
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    (out, signalled.elapsed())
}

#[test]
fn grid_covers_the_constrained_space() {
    let dir = tempdir();
    let j = optimize(dir.path(), "g", &[]).json();
    // fast 5..=50 step 5 (10 values) × slow 10..=200 step 10 (20) = 200 points;
    // fast < slow keeps 20+19+19+18+18+17+17+16+16+15 = 175.
    assert_eq!(j["points"], 175);
    assert_eq!(j["trials"], 175);
    assert_eq!(j["method"], "grid");
    assert_eq!(j["objective"], "sharpe");
    // The best Sharpe on GOOG is the classic 10/20 (Sharpe 1.0804 with close_at_end).
    assert_eq!(
        j["best"]["params"],
        serde_json::json!({"fast": 10.0, "slow": 20.0})
    );
    assert_eq!(j["top"].as_array().unwrap().len(), 10);
    assert!(
        j["deflated_sharpe"].as_f64().unwrap() > 0.0
            && j["deflated_sharpe"].as_f64().unwrap() <= 1.0
    );
    let pbo = j["pbo"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&pbo));
    assert_eq!(j["pbo_splits"], 12_870);
    let csv = read(&dir.path().join("g"), "trials.csv");
    assert_eq!(csv.lines().count(), 176);
    // Grid order: the last parameter varies fastest.
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .take(3)
        .map(|l| l.split(',').take(4).collect())
        .collect();
    assert_eq!(
        rows,
        vec![
            vec!["0", "1", "5", "10"],
            vec!["1", "1", "5", "20"],
            vec!["2", "1", "5", "30"]
        ]
    );
    for f in [
        "trials.parquet",
        "blocks.csv",
        "meta.json",
        "best.json",
        "best_run.json",
    ] {
        assert!(dir.path().join("g").join(f).exists(), "{f}");
    }
}

#[test]
fn metric_constraints_mark_trials_infeasible() {
    let dir = tempdir();
    let j = optimize(
        dir.path(),
        "c",
        &[
            "--constraint",
            "trades >= 40",
            "--objective",
            "total_return",
        ],
    )
    .json();
    let feasible = j["feasible"].as_u64().unwrap();
    assert!(feasible > 0 && feasible < 175, "{feasible}");
    for t in j["top"].as_array().unwrap() {
        assert!(t["metrics"]["trades"].as_f64().unwrap() >= 40.0);
    }
    // Ranked by total return, best first.
    let tops: Vec<f64> = j["top"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["metrics"]["total_return"].as_f64().unwrap())
        .collect();
    assert!(tops.windows(2).all(|w| w[0] >= w[1]));
    let min = optimize(
        dir.path(),
        "m",
        &["--objective", "max_drawdown", "--minimize"],
    )
    .json();
    assert_eq!(min["direction"], "minimize");
}

#[test]
fn same_results_with_one_or_two_threads() {
    let dir = tempdir();
    optimize(dir.path(), "j1", &["--jobs", "1"]);
    optimize(dir.path(), "j2", &["--jobs", "2"]);
    for f in ["trials.csv", "blocks.csv", "best.json", "best_run.json"] {
        assert_eq!(
            read(&dir.path().join("j1"), f),
            read(&dir.path().join("j2"), f),
            "{f}"
        );
    }
    let a = std::fs::read(dir.path().join("j1/trials.parquet")).unwrap();
    let b = std::fs::read(dir.path().join("j2/trials.parquet")).unwrap();
    assert_eq!(a, b);
}

#[test]
fn random_sweeps_are_seeded() {
    let dir = tempdir();
    let a = optimize(
        dir.path(),
        "r1",
        &["--method", "random", "--trials", "30", "--seed", "7"],
    )
    .json();
    optimize(
        dir.path(),
        "r2",
        &["--method", "random", "--trials", "30", "--seed", "7"],
    );
    optimize(
        dir.path(),
        "r3",
        &["--method", "random", "--trials", "30", "--seed", "8"],
    );
    assert_eq!(a["trials"], 30);
    assert_eq!(a["seed"], 7);
    let t = |d: &str| read(&dir.path().join(d), "trials.csv");
    assert_eq!(t("r1"), t("r2"));
    assert_ne!(t("r1"), t("r3"));
}

#[test]
fn four_shards_merge_into_the_unsharded_result() {
    let dir = tempdir();
    optimize(dir.path(), "whole", &[]);
    for k in 1..=4 {
        let j = optimize(
            dir.path(),
            &format!("part{k}"),
            &["--shard", &format!("{k}/4")],
        )
        .json();
        assert_eq!(j["shard"], format!("{k}/4"));
        assert_eq!(j["points"], 175);
    }
    let r = tradelab_in(
        dir.path(),
        &[
            "merge", "part3", "part1", "part4", "part2", "--out", "merged", "--json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in [
        "trials.csv",
        "blocks.csv",
        "best.json",
        "best_run.json",
        "meta.json",
    ] {
        assert_eq!(
            read(&dir.path().join("whole"), f),
            read(&dir.path().join("merged"), f),
            "{f}"
        );
    }
    assert_eq!(
        r.json()["best"]["params"],
        serde_json::json!({"fast": 10.0, "slow": 20.0})
    );
    // A missing or repeated shard is refused.
    let r = tradelab_in(
        dir.path(),
        &["merge", "part1", "part2", "part3", "--out", "x"],
    );
    assert_eq!(
        (r.code, r.stderr.trim_end()),
        (2, "error: missing shards: 4/4")
    );
    let r = tradelab_in(
        dir.path(),
        &["merge", "part1", "part1", "part3", "part4", "--out", "x"],
    );
    assert_eq!(
        (r.code, r.stderr.trim_end()),
        (2, "error: part1: shard 1/4 given twice")
    );
    let r = tradelab_in(dir.path(), &["merge", "whole", "--out", "x"]);
    assert_eq!(
        (r.code, r.stderr.trim_end()),
        (2, "error: whole: not a shard (it was not run with --shard)")
    );
}

#[test]
fn a_cached_trial_equals_a_fresh_single_run() {
    let dir = tempdir();
    optimize(dir.path(), "g", &[]);
    let best_run: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("g"), "best_run.json")).unwrap();
    let single = tradelab(&[
        "run",
        "strategies/sma_cross.toml",
        "--set",
        "fast=10",
        "--set",
        "slow=20",
        "--json",
    ])
    .json();
    assert_eq!(best_run["metrics"], single["metrics"]);
    assert_eq!(best_run["trades"], single["trades"]);
    // And a trial's row equals its own single run: trial 1 is fast=5, slow=20.
    let csv = read(&dir.path().join("g"), "trials.csv");
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let row: Vec<&str> = csv.lines().nth(2).unwrap().split(',').collect();
    let one = tradelab(&[
        "run",
        "strategies/sma_cross.toml",
        "--set",
        "fast=5",
        "--set",
        "slow=20",
        "--json",
    ])
    .json();
    for (h, v) in header.iter().zip(&row).skip(4) {
        if h.starts_with("neighbourhood_") {
            continue; // not a metric: tests/stability.rs
        }
        let want = &one["metrics"][*h];
        if v.is_empty() {
            assert!(want.is_null(), "{h}");
        } else {
            assert_eq!(v.parse::<f64>().unwrap(), want.as_f64().unwrap(), "{h}");
        }
    }
}

#[test]
fn bad_arguments() {
    let cases: [(&[&str], &str); 4] = [
        (
            &["--objective", "sharp"],
            "error: unknown metric 'sharp' in --objective; did you mean 'sharpe'?",
        ),
        (
            &["--constraint", "trades >= lots"],
            "error: --constraint: invalid constraint 'trades >= lots': the right side must be a number",
        ),
        (
            &["--shard", "5/4"],
            "error: --shard: invalid shard '5/4': expected k/n with 1 <= k <= n, e.g. 3/16",
        ),
        (&["--jobs", "0"], "error: --jobs must be at least 1"),
    ];
    for (extra, msg) in cases {
        let mut args = vec![
            "optimize",
            "strategies/sma_cross.toml",
            "--out",
            "/nonexistent/never",
        ];
        args.extend_from_slice(extra);
        let r = tradelab(&args);
        assert_eq!((r.code, r.stderr.trim_end()), (2, msg), "{extra:?}");
    }
    let r = tradelab(&[
        "optimize",
        "strategies/sma_cross.toml",
        "--method",
        "annealing",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("invalid value 'annealing'"),
        "{}",
        r.stderr
    );
}

#[test]
fn genetic_search_is_seeded_and_finds_the_grid_best() {
    let dir = tempdir();
    let args = [
        "--method",
        "genetic",
        "--population",
        "8",
        "--generations",
        "10",
        "--seed",
        "1",
    ];
    let first = optimize(dir.path(), "ga1", &[&args[..], &["--jobs", "1"]].concat());
    let second = optimize(dir.path(), "ga2", &[&args[..], &["--jobs", "2"]].concat());
    let third = optimize(dir.path(), "ga3", &[&args[..], &["--jobs", "2"]].concat());
    // One thread, two threads, three processes: the same bytes.
    assert_eq!(first.stdout, second.stdout);
    assert_eq!(second.stdout, third.stdout);
    for f in ["trials.csv", "best.json", "best_run.json"] {
        let a = read(&dir.path().join("ga1"), f);
        assert_eq!(a, read(&dir.path().join("ga2"), f), "{f}");
        assert_eq!(a, read(&dir.path().join("ga3"), f), "{f}");
    }
    let j = first.json();
    assert_eq!(j["method"], "genetic");
    assert_eq!(j["space_points"], 175);
    // Seed 1 reaches the grid's best (10/20, Sharpe 1.0804) after 33 distinct
    // backtests: 19 % of the 175 grid points.
    assert_eq!(
        j["best"]["params"],
        serde_json::json!({"fast": 10.0, "slow": 20.0})
    );
    let evaluated = j["trials"].as_u64().unwrap();
    assert!(evaluated <= 35, "{evaluated}");
    // The convergence curve never falls.
    let curve: Vec<f64> = j["convergence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(curve.windows(2).all(|w| w[1] >= w[0]), "{curve:?}");
    assert!((curve.last().unwrap() - 1.080375992).abs() < 1e-9);
    let r = tradelab(&[
        "optimize",
        "strategies/sma_cross.toml",
        "--method",
        "genetic",
        "--shard",
        "1/2",
    ]);
    assert_eq!(
        (r.code, r.stderr.trim_end()),
        (
            2,
            "error: --shard slices grid and random sweeps; a genetic search runs whole"
        )
    );
}

#[test]
fn ctrl_c_stops_cleanly_and_writes_what_finished() {
    let dir = tempdir();
    let s = root().join("strategies/sma_cross.toml");
    let args = [
        "optimize",
        s.to_str().unwrap(),
        "--method",
        "random",
        "--trials",
        "100000",
        "--out",
        "cut",
        "--json",
    ];
    let (out, _) = interrupted(dir.path(), &args, 4000);
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("interrupted: writing the "), "{stderr}");
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let done = j["trials"].as_u64().unwrap();
    assert!(done > 0 && done < 100_000, "{done}");
    let csv = read(&dir.path().join("cut"), "trials.csv");
    assert_eq!(csv.lines().count() as u64, done + 1);
    assert!(dir.path().join("cut/best.json").exists());
}

#[test]
fn a_killed_sweep_leaves_the_previous_output_or_none() {
    // A complete result first, then a run into the same folder killed with
    // SIGKILL: every file under its final name is either the old complete one
    // or a new complete one, never half written.
    let dir = tempdir();
    optimize(
        dir.path(),
        "out",
        &["--method", "random", "--trials", "20", "--seed", "1"],
    );
    let before = read(&dir.path().join("out"), "trials.csv");
    let s = root().join("strategies/sma_cross.toml");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_tradelab"))
        .args([
            "-q",
            "optimize",
            s.to_str().unwrap(),
            "--method",
            "random",
            "--trials",
            "100000",
            "--seed",
            "2",
            "--out",
            "out",
        ])
        .current_dir(dir.path())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(2500));
    let status = std::process::Command::new("kill")
        .args(["-KILL", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), None, "killed by a signal");
    let after = read(&dir.path().join("out"), "trials.csv");
    assert_eq!(after, before, "the previous complete output is untouched");
    let best: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("out"), "best.json")).unwrap();
    assert_eq!(best["trials"], 20);
}

#[test]
fn optimization_report() {
    let dir = tempdir();
    optimize(dir.path(), "g", &["--report", "json,html,pdf"]);
    let html = read(&dir.path().join("g"), "report.html");
    assert_eq!(assert_svgs_parse(&html), 3);
    let (text, _) = pdf_text(&dir.path().join("g/report.pdf"));
    for needle in [
        "Optimization of sma_cross",
        "Top trials",
        "probability of backtest overfitting",
        "sharpe by fast (x) and slow (y)",
        "Objective distribution",
        "Neighbourhood mean",
    ] {
        assert!(text.contains(needle), "the PDF text lacks {needle:?}");
    }
    assert!(!html.contains("http://") && !html.contains("https://"));
    // Heatmaps of the objective and of the neighbourhood mean (2
    // parameters), and the objective distribution.
    assert_eq!(html.matches("<svg").count(), 3);
    assert!(html.contains("sharpe by fast (x) and slow (y)"));
    assert!(html.contains("probability of backtest overfitting"));
    assert_eq!(
        files_in(&dir.path().join("g/best")),
        vec![
            "equity.csv",
            "report.html",
            "report.json",
            "report.pdf",
            "trades.csv"
        ]
    );
    let ga = optimize(
        dir.path(),
        "ga",
        &[
            "--method",
            "genetic",
            "--population",
            "8",
            "--generations",
            "5",
            "--seed",
            "1",
            "--report",
            "html",
        ],
    );
    assert_eq!(ga.code, 0);
    let html = read(&dir.path().join("ga"), "report.html");
    assert!(html.contains("Convergence: best objective by generation"));
    assert_eq!(html.matches("<svg").count(), 3);
}

/// Peak resident memory of `tradelab ARGS` in KB, by GNU time (`.ci/run`
/// installs the `time` package).
fn peak_kb(args: &[&str]) -> f64 {
    let out = std::process::Command::new("/usr/bin/time")
        .args(["-f", "%M", env!("CARGO_BIN_EXE_tradelab")])
        .args(args)
        .current_dir(root())
        .output()
        .expect("/usr/bin/time (the time package) is needed by this test");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    err.lines().last().unwrap().trim().parse().unwrap()
}

/// A sweep keeps a row per trial (parameters, metrics, block returns for
/// PBO) and nothing per bar: on EURUSD (5,000 bars) one equity curve alone
/// is 40 KB, so memory growing with trials by less than 20 KB each (half a
/// curve) shows no trial keeps its curve, signals or returns. The slope is
/// taken between 1,000 and 4,000 trials: the allocator's fixed costs (a
/// step of ~15 MB that lands between 300 and 1,500 trials on some
/// machines) are far below 3,000 × 20 KB = 60 MB, and a kept curve would
/// add 3,000 × 40 KB = 120 MB. One job, so thread arenas do not add noise.
/// (The 100,000-trial run under `ulimit -v` is in benches/memory.sh and
/// RESULTS.md.)
#[test]
fn sweep_memory_grows_only_by_the_trials_table() {
    let dir = tempdir();
    let run = |n: &str| {
        let out = dir.path().join(n);
        peak_kb(&[
            "-q",
            "optimize",
            "strategies/sma_cross.toml",
            "--data",
            "datasets/EURUSD.csv",
            "--method",
            "random",
            "--trials",
            n,
            "--seed",
            "3",
            "--jobs",
            "1",
            "--out",
            out.to_str().unwrap(),
        ])
    };
    let (small, large) = (run("1000"), run("4000"));
    let per_trial = (large - small) / 3000.0;
    assert!(
        per_trial < 20.0,
        "{per_trial:.1} KB per trial ({small} KB → {large} KB)"
    );
}

/// Defect: Ctrl-C during a genetic search was ignored until the search
/// ended. It now ends the generation under way, writes what finished and
/// exits 130, as a grid sweep does.
#[test]
fn ctrl_c_stops_a_genetic_search_within_a_generation() {
    let dir = tempdir();
    // 199 × 399 = 79,401 points: far more than the search can finish here.
    let text = std::fs::read_to_string(root().join("strategies/sma_cross.toml"))
        .unwrap()
        .replace(
            "fast = { default = 10, min = 5, max = 50, step = 5 }",
            "fast = { default = 10, min = 2, max = 200, step = 1 }",
        )
        .replace(
            "slow = { default = 20, min = 10, max = 200, step = 10 }",
            "slow = { default = 20, min = 2, max = 400, step = 1 }",
        )
        .replace(
            "../datasets/GOOG.csv",
            dataset("GOOG.csv").to_str().unwrap(),
        );
    assert!(text.contains("max = 400"), "the strategy's ranges moved");
    let s = write(dir.path(), "wide.toml", text);
    let args = [
        "optimize",
        &s,
        "--method",
        "genetic",
        "--population",
        "200",
        "--generations",
        "100000",
        "--patience",
        "100000",
        "--out",
        "cut",
        "--json",
    ];
    let (out, stopping) = interrupted(dir.path(), &args, 3000);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    // One generation of 200 backtests on GOOG takes well under a second;
    // writing the output and its PBO a few more.
    assert!(stopping.as_secs() < 30, "{stopping:?}");
    assert!(stderr.contains("interrupted: writing the "), "{stderr}");
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let generations = j["generations"].as_u64().unwrap();
    assert!(generations > 0 && generations < 100_000, "{generations}");
    let done = j["trials"].as_u64().unwrap();
    let csv = read(&dir.path().join("cut"), "trials.csv");
    assert_eq!(csv.lines().count() as u64, done + 1);
}

/// `--exec` reaches every trial of a sweep, is recorded in meta.json, and
/// `merge` re-runs the best trial with it.
#[test]
fn exec_overrides_reach_the_sweep_and_its_merge() {
    let dir = tempdir();
    let plain = optimize(
        dir.path(),
        "plain",
        &["--method", "random", "--trials", "6"],
    )
    .json();
    for k in 1..=2 {
        optimize(
            dir.path(),
            &format!("p{k}"),
            &[
                "--method",
                "random",
                "--trials",
                "6",
                "--exec",
                "commission=0",
                "--shard",
                &format!("{k}/2"),
            ],
        );
    }
    let meta: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("p1"), "meta.json")).unwrap();
    assert_eq!(meta["exec"], serde_json::json!(["commission=0"]));
    let plain_meta: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("plain"), "meta.json")).unwrap();
    assert!(plain_meta.get("exec").is_none());
    let r = tradelab_in(dir.path(), &["merge", "p1", "p2", "--out", "m", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let best_run: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("m"), "best_run.json")).unwrap();
    assert_eq!(best_run["execution"]["commission"], 0.0);
    assert_eq!(best_run["metrics"]["commissions"], 0.0);
    // Without fees the best trial's return is higher than with them.
    let ret = |j: &serde_json::Value| j["best"]["metrics"]["total_return"].as_f64().unwrap();
    assert!(
        ret(&r.json()) > ret(&plain),
        "{} vs {}",
        ret(&r.json()),
        ret(&plain)
    );
}

/// genevo breeds a generation from at least 6 individuals: a smaller
/// population is refused up front instead of failing inside the search.
#[test]
fn a_genetic_population_below_six_is_refused() {
    let r = tradelab(&[
        "optimize",
        "strategies/sma_cross.toml",
        "--method",
        "genetic",
        "--population",
        "5",
    ]);
    assert_eq!(
        (r.code, r.stderr.trim_end()),
        (
            2,
            "error: --population must be at least 6 (genevo needs 6 to breed a generation)"
        )
    );
}

/// Defect: optimize and walkforward printed fractions raw (`5.3215`), trade
/// counts as `3.0000` and the summary's `total return 1.1464`; every metric
/// now prints as `run` prints it, as the metric table says.
#[test]
fn optimize_and_walkforward_print_metrics_as_run_does() {
    let dir = tempdir();
    let s = root().join("strategies/sma_cross.toml");
    let table = tradelab_in(
        dir.path(),
        &["optimize", s.to_str().unwrap(), "--out", "t", "--quiet"],
    );
    assert_eq!(table.code, 0, "{}", table.stderr);
    // The best trial, fast 10 / slow 20: total return 532.15 %, 47 trades
    // (run prints the same: README's table).
    let best = table.stdout.lines().nth(3).unwrap();
    assert!(
        best.contains("┆ 10   ┆ 20   ┆ 1.0804 ┆ 532.15 %     ┆ -20.02 %     ┆ 47     │"),
        "{best}"
    );
    let wf = tradelab_in(
        dir.path(),
        &[
            "walkforward",
            s.to_str().unwrap(),
            "--train",
            "500",
            "--test",
            "250",
            "--quiet",
        ],
    );
    assert_eq!(wf.code, 0, "{}", wf.stderr);
    // Window 1 (fast 10, slow 30) made 25.37 % in 4 trades; the summary line
    // reads percentages too.
    assert!(
        wf.stdout.contains("┆ 25.37 %     ┆ 4           │"),
        "{}",
        wf.stdout
    );
    assert!(
        wf.stdout.contains("out of sample (1648 bars): total return 71.65 %, annual return 8.62 %, sharpe 0.5238, max drawdown -20.46 %"),
        "{}",
        wf.stdout
    );
    assert!(!wf.stdout.contains("3.0000"));
}

/// Defect: the optimization report printed its constraints as a raw JSON
/// list (`[]`) and integer parameters as `10.0`; both print as written.
#[test]
fn the_optimization_report_prints_constraints_and_parameters_as_written() {
    let dir = tempdir();
    optimize(dir.path(), "plain", &["--report", "html"]);
    let html = read(&dir.path().join("plain"), "report.html");
    assert!(
        html.contains("<td>constraints</td><td class=\"t\">none</td>"),
        "constraints row"
    );
    assert!(!html.contains("[]"));
    optimize(
        dir.path(),
        "bound",
        &["--report", "html", "--constraint", "trades >= 20"],
    );
    let html = read(&dir.path().join("bound"), "report.html");
    assert!(
        html.contains("<td>trades &gt;= 20</td>") || html.contains("trades &gt;= 20"),
        "the constraint as written"
    );
    // The best trial's own report: parameters as integers.
    let best = read(&dir.path().join("plain/best"), "report.html");
    assert!(
        best.contains("<td>param fast</td><td class=\"t\">10</td>"),
        "param fast 10"
    );
    assert!(!best.contains(">10.0<"));
}

#[test]
fn no_overfit_skips_dsr_and_pbo_and_keeps_the_trials() {
    let dir = tempdir();
    let full = optimize(dir.path(), "full", &[]).json();
    let bare = optimize(dir.path(), "bare", &["--no-overfit"]).json();
    // The trials and the ranking are the same; only the statistics go.
    assert_eq!(
        read(&dir.path().join("full"), "trials.csv"),
        read(&dir.path().join("bare"), "trials.csv")
    );
    assert_eq!(full["best"], bare["best"]);
    assert!(full["pbo"].is_number() && full["deflated_sharpe"].is_number());
    assert_eq!(
        (&bare["pbo"], &bare["deflated_sharpe"], &bare["pbo_splits"]),
        (
            &serde_json::Value::Null,
            &serde_json::Value::Null,
            &serde_json::json!(0)
        )
    );
    assert_eq!(bare["overfit_skipped"], true);
    assert!(full.get("overfit_skipped").is_none());
    assert!(!dir.path().join("bare/blocks.csv").exists());
    assert!(read(&dir.path().join("bare"), "meta.json").contains("\"overfit\": false"));
    assert!(!read(&dir.path().join("full"), "meta.json").contains("overfit"));
    // Shards without the statistics merge into the unsharded result; a
    // shard with them does not join one without.
    for k in 1..=2 {
        optimize(
            dir.path(),
            &format!("p{k}"),
            &["--no-overfit", "--shard", &format!("{k}/2")],
        );
    }
    optimize(dir.path(), "q2", &["--shard", "2/2"]);
    let r = tradelab_in(dir.path(), &["merge", "p1", "p2", "--out", "merged"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in ["trials.csv", "best.json", "meta.json"] {
        assert_eq!(
            read(&dir.path().join("bare"), f),
            read(&dir.path().join("merged"), f),
            "{f}"
        );
    }
    let r = tradelab_in(dir.path(), &["merge", "p1", "q2", "--out", "mixed"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("q2: a shard of a different sweep"),
        "{}",
        r.stderr
    );
}
