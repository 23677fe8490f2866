//! Several objectives (`optimize --objective A --objective B`): the Pareto
//! front in best.json equals the front recomputed here by brute force from
//! trials.csv, it does not depend on the threads or on sharding, the genetic
//! search (NSGA-II) finds the grid's front on GOOG sma_cross, and the table,
//! report and flags.

mod common;
use common::*;

use std::collections::BTreeSet;

const OBJ: [&str; 4] = [
    "--objective",
    "annual_volatility",
    "--objective",
    "total_return",
];

fn optimize(dir: &std::path::Path, out: &str, extra: &[&str]) -> serde_json::Value {
    let s = root().join("strategies/sma_cross.toml");
    let mut args = vec!["optimize", s.to_str().unwrap(), "--out", out, "--json"];
    args.extend(OBJ);
    args.extend(extra);
    let r = tradelab_in(dir, &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.json()
}

/// (fast, slow) of each front member.
fn front(j: &serde_json::Value) -> BTreeSet<(i64, i64)> {
    j["pareto"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["params"]["fast"].as_f64().unwrap() as i64,
                p["params"]["slow"].as_f64().unwrap() as i64,
            )
        })
        .collect()
}

#[test]
fn the_grid_front_is_the_brute_force_front() {
    let dir = tempdir();
    let j = optimize(dir.path(), "g", &[]);
    assert_eq!(
        j["objectives"],
        serde_json::json!([
            {"metric": "annual_volatility", "direction": "minimize"},
            {"metric": "total_return", "direction": "maximize"}
        ])
    );
    // Brute force over trials.csv: (−volatility, return), a point is on the
    // front when no other is ≥ on both and > on one.
    let csv = std::fs::read_to_string(dir.path().join("g/trials.csv")).unwrap();
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |n: &str| head.iter().position(|h| *h == n).unwrap();
    let (f, s, v, r) = (
        col("fast"),
        col("slow"),
        col("annual_volatility"),
        col("total_return"),
    );
    let pts: Vec<((i64, i64), f64, f64)> = lines
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            let x = |i: usize| c[i].parse::<f64>().unwrap();
            ((x(f) as i64, x(s) as i64), -x(v), x(r))
        })
        .collect();
    let want: BTreeSet<(i64, i64)> = pts
        .iter()
        .filter(|(_, a, b)| {
            !pts.iter()
                .any(|(_, c, d)| c >= a && d >= b && (c > a || d > b))
        })
        .map(|p| p.0)
        .collect();
    assert_eq!(front(&j), want);
    assert_eq!(want.len(), 16);
    // In trial order, each with its objectives.
    let trials: Vec<u64> = j["pareto"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["trial"].as_u64().unwrap())
        .collect();
    assert!(trials.windows(2).all(|w| w[0] < w[1]));
    assert!(j["pareto"][0]["objectives"]["total_return"].is_number());
    // The first objective still ranks: the best is the lowest volatility.
    assert_eq!(j["direction"], "minimize");
    assert_eq!(j["objective"], "annual_volatility");
}

#[test]
fn the_front_is_the_same_for_any_threads_and_through_shards() {
    let dir = tempdir();
    let s = root().join("strategies/sma_cross.toml");
    let (d1, d2) = (dir.path().join("one"), dir.path().join("two"));
    for method in [
        &["--method", "grid"][..],
        &["--method", "random", "--trials", "60", "--seed", "4"],
    ] {
        let mut args = vec!["optimize", s.to_str().unwrap(), "--json", "-q"];
        args.extend(OBJ);
        args.extend(method);
        let mut a = args.clone();
        a.extend(["--out", d1.to_str().unwrap()]);
        let mut b = args.clone();
        b.extend(["--out", d2.to_str().unwrap()]);
        let one = tradelab_with_threads(1, &a).json();
        let two = tradelab_with_threads(2, &b).json();
        assert_eq!(one["pareto"], two["pareto"], "{method:?}");
        assert!(!one["pareto"].as_array().unwrap().is_empty());
    }
    // Shards carry the objectives in meta.json; merge reports the same front.
    let whole = optimize(dir.path(), "whole", &[]);
    for k in 1..=3 {
        optimize(
            dir.path(),
            &format!("p{k}"),
            &["--shard", &format!("{k}/3")],
        );
    }
    let meta = std::fs::read_to_string(dir.path().join("p1/meta.json")).unwrap();
    assert!(meta.contains("\"pareto\""), "{meta}");
    let r = tradelab_in(
        dir.path(),
        &["merge", "p1", "p2", "p3", "--out", "m", "--json"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["pareto"], whole["pareto"]);
}

#[test]
fn nsga2_finds_the_grid_front() {
    let dir = tempdir();
    let grid = front(&optimize(dir.path(), "g", &[]));
    // Seed 1, 40 individuals, at most 40 generations (stopping after 10
    // without a change of the front): 158 of the 175 points evaluated, and
    // its front is the grid's, all 16 points (seeds 1 and 3 find all 16;
    // seeds 2 and 5 miss two, 4 misses three: benches/RESULTS.md).
    let j = optimize(
        dir.path(),
        "ga",
        &[
            "--method",
            "genetic",
            "--seed",
            "1",
            "--population",
            "40",
            "--generations",
            "40",
            "--patience",
            "10",
        ],
    );
    assert_eq!(j["selection"], "nsga2");
    let found = front(&j);
    assert!(found.is_subset(&grid), "{found:?} vs {grid:?}");
    assert_eq!(found, grid);
    assert!(j["trials"].as_u64().unwrap() < 175);
    // Reproducible.
    let again = optimize(
        dir.path(),
        "ga2",
        &[
            "--method",
            "genetic",
            "--seed",
            "1",
            "--population",
            "40",
            "--generations",
            "40",
            "--patience",
            "10",
        ],
    );
    assert_eq!(j["pareto"], again["pareto"]);
}

#[test]
fn the_table_the_report_and_the_flags() {
    let dir = tempdir();
    let s = root().join("strategies/sma_cross.toml");
    let s = s.to_str().unwrap();
    let mut args = vec!["optimize", s, "--out", "t", "--report", "html"];
    args.extend(OBJ);
    let r = tradelab_in(dir.path(), &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let header = r.stdout.lines().nth(1).unwrap();
    assert!(header.contains("front"), "{header}");
    assert!(r
        .stdout
        .contains("Pareto front over annual_volatility, total_return: 16 of 175 feasible trials"));
    // The best (lowest volatility) is on the front: its row says so.
    let first = r.stdout.lines().nth(3).unwrap();
    assert!(first.contains("yes"), "{first}");
    let html = std::fs::read_to_string(dir.path().join("t/report.html")).unwrap();
    assert!(html.contains(
        "annual_volatility and total_return: 175 feasible trials, the Pareto front in red"
    ));
    // --minimize NAME flips one objective; naming a non-objective is refused.
    let r = tradelab_in(
        dir.path(),
        &[
            "optimize",
            s,
            "--objective",
            "sharpe",
            "--objective",
            "trades",
            "--minimize",
            "trades",
            "--out",
            "m",
            "--json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["objectives"][1]["direction"], "minimize");
    for (extra, msg) in [
        (
            vec!["--objective", "sharpe", "--minimize", "calmar"],
            "--minimize calmar: not an --objective",
        ),
        (
            vec!["--objective", "sharpe", "--objective", "sharpe"],
            "--objective sharpe is given twice",
        ),
        (
            vec![
                "--objective",
                "sharpe",
                "--maximize",
                "sharpe",
                "--minimize",
                "sharpe",
            ],
            "both name sharpe",
        ),
    ] {
        let mut a = vec!["optimize", s, "--out", "x"];
        a.extend(extra);
        let r = tradelab_in(dir.path(), &a);
        assert_eq!(r.code, 2, "{a:?}");
        assert!(r.stderr.contains(msg), "{a:?}: {}", r.stderr);
    }
    // One objective as before: no front, and --minimize alone still works.
    let r = tradelab_in(
        dir.path(),
        &[
            "optimize",
            s,
            "--objective",
            "max_drawdown",
            "--minimize",
            "--out",
            "o",
            "--json",
        ],
    );
    let j = r.json();
    assert_eq!(j["direction"], "minimize");
    assert!(j.get("pareto").is_none());
    let r = tradelab_in(
        dir.path(),
        &[
            "walkforward",
            s,
            "--train",
            "500",
            "--test",
            "250",
            "--objective",
            "sharpe",
            "--objective",
            "trades",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("walkforward optimizes one --objective"),
        "{}",
        r.stderr
    );
}
