//! Parameter stability in grid sweeps (`optimize`): every trial's
//! neighbourhood mean and minimum recomputed here from trials.csv alone,
//! the robust best and the best's worst neighbour in best.json, the same
//! through shards and `merge`, `--minimize`, and random sweeps saying they
//! have none.

mod common;
use common::*;

use std::collections::BTreeMap;

/// trials.csv as rows of named cells.
fn rows(csv: &str) -> Vec<BTreeMap<String, String>> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .map(|l| {
            header
                .iter()
                .zip(l.split(','))
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn num(row: &BTreeMap<String, String>, k: &str) -> Option<f64> {
    row.get(k).and_then(|v| v.parse().ok())
}

/// sma_cross's grid: fast 5..50 step 5, slow 10..200 step 10, fast < slow.
/// The neighbourhood of (f, s): the feasible trials at f ± 5 and s ± 10
/// (diagonals too) and itself.
fn recompute(
    rows: &[BTreeMap<String, String>],
    objective: &str,
) -> Vec<(Option<f64>, Option<f64>)> {
    let at: BTreeMap<(i64, i64), f64> = rows
        .iter()
        .filter(|r| r["feasible"] == "1")
        .filter_map(|r| {
            Some((
                (num(r, "fast")? as i64, num(r, "slow")? as i64),
                num(r, objective)?,
            ))
        })
        .collect();
    rows.iter()
        .map(|r| {
            let (f, s) = (
                num(r, "fast").unwrap() as i64,
                num(r, "slow").unwrap() as i64,
            );
            let mut vals = Vec::new();
            for df in [-5, 0, 5] {
                for ds in [-10, 0, 10] {
                    if let Some(v) = at.get(&(f + df, s + ds)) {
                        vals.push(*v);
                    }
                }
            }
            let mean = (!vals.is_empty()).then(|| vals.iter().sum::<f64>() / vals.len() as f64);
            (mean, vals.iter().copied().reduce(f64::min))
        })
        .collect()
}

#[test]
fn grid_neighbourhoods_robust_best_and_the_bests_worst_neighbour() {
    let dir = tempdir();
    let r = tradelab_in(
        dir.path(),
        &[
            "optimize",
            &root().join("strategies/sma_cross.toml").to_string_lossy(),
            "--data",
            &dataset("GOOG.csv").to_string_lossy(),
            "--out",
            "g",
            "--json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let best = r.json();
    let csv = std::fs::read_to_string(dir.path().join("g/trials.csv")).unwrap();
    let rows = rows(&csv);
    assert_eq!(rows.len(), 175);
    let want = recompute(&rows, "sharpe");
    for (row, (mean, min)) in rows.iter().zip(&want) {
        let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => (a - b).abs() <= 1e-12 * b.abs().max(1.0),
            (a, b) => a.is_none() && b.is_none(),
        };
        assert!(close(num(row, "neighbourhood_mean"), *mean), "{row:?}");
        assert!(close(num(row, "neighbourhood_min"), *min), "{row:?}");
    }
    // The robust best: the highest neighbourhood mean, ties to the lower trial.
    let (i, top) = want
        .iter()
        .enumerate()
        .filter(|(i, _)| rows[*i]["feasible"] == "1")
        .fold(
            (usize::MAX, f64::NEG_INFINITY),
            |(bi, bm), (i, (m, _))| match m {
                Some(m) if *m > bm => (i, *m),
                _ => (bi, bm),
            },
        );
    let rb = &best["robust_best"];
    assert_eq!(
        rb["trial"].as_u64(),
        Some(rows[i]["trial"].parse().unwrap())
    );
    assert!((rb["neighbourhood_mean"].as_f64().unwrap() - top).abs() < 1e-12);
    assert_eq!(rb["params"]["fast"].as_f64(), num(&rows[i], "fast"));
    // The raw best (fast 10, slow 20, sharpe 1.0804) and its worst
    // neighbour: the lowest sharpe among its neighbours and itself.
    let b = &best["best_neighbourhood"];
    assert_eq!(best["best"]["params"]["fast"], 10.0);
    let bi = rows
        .iter()
        .position(|r| r["fast"] == "10" && r["slow"] == "20")
        .unwrap();
    let worst = want[bi].1.unwrap();
    assert!((b["worst_neighbour"].as_f64().unwrap() - worst).abs() < 1e-12);
    let obj = b["objective"].as_f64().unwrap();
    assert!((b["drop"].as_f64().unwrap() - (worst - obj)).abs() < 1e-12);
    assert!(worst < obj);
    // The two most influential parameters, most first.
    assert_eq!(best["influence"].as_array().unwrap().len(), 2);
    let text = tradelab_in(
        dir.path(),
        &[
            "optimize",
            &root().join("strategies/sma_cross.toml").to_string_lossy(),
            "--out",
            "g2",
        ],
    );
    assert!(
        text.stdout
            .contains("robust best (best neighbourhood mean): trial"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("falls to"), "{}", text.stdout);
}

#[test]
fn minimizing_takes_the_lowest_neighbourhood_mean() {
    let dir = tempdir();
    let r = tradelab_in(
        dir.path(),
        &[
            "optimize",
            &root().join("strategies/sma_cross.toml").to_string_lossy(),
            "--objective",
            "max_drawdown_duration_bars",
            "--minimize",
            "--out",
            "m",
            "--json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    let rows = rows(&std::fs::read_to_string(dir.path().join("m/trials.csv")).unwrap());
    let want = recompute(&rows, "max_drawdown_duration_bars");
    let lowest = want
        .iter()
        .filter_map(|(m, _)| *m)
        .fold(f64::INFINITY, f64::min);
    assert_eq!(
        j["robust_best"]["neighbourhood_mean"].as_f64(),
        Some(lowest)
    );
    // Minimizing, the worst neighbour is the highest value.
    let b = &j["best_neighbourhood"];
    assert!(b["worst_neighbour"].as_f64() >= b["objective"].as_f64());
}

#[test]
fn shards_leave_neighbourhoods_to_merge_and_random_sweeps_have_none() {
    let dir = tempdir();
    let strategy = root().join("strategies/sma_cross.toml");
    let s = strategy.to_string_lossy();
    for k in 1..=2 {
        let r = tradelab_in(
            dir.path(),
            &[
                "optimize",
                &s,
                "--shard",
                &format!("{k}/2"),
                "--out",
                &format!("p{k}"),
                "--json",
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let j = r.json();
        assert!(j["robust_best"].is_null());
        assert!(j["neighbourhood_note"]
            .as_str()
            .unwrap()
            .contains("merge the shards"));
        let csv = std::fs::read_to_string(dir.path().join(format!("p{k}/trials.csv"))).unwrap();
        assert!(!csv.lines().next().unwrap().contains("neighbourhood"));
    }
    let whole = tradelab_in(dir.path(), &["optimize", &s, "--out", "whole"]);
    assert_eq!(whole.code, 0);
    let merged = tradelab_in(dir.path(), &["merge", "p1", "p2", "--out", "merged"]);
    assert_eq!(merged.code, 0, "{}", merged.stderr);
    for f in ["trials.csv", "best.json"] {
        assert_eq!(
            std::fs::read(dir.path().join("whole").join(f)).unwrap(),
            std::fs::read(dir.path().join("merged").join(f)).unwrap(),
            "{f}"
        );
    }
    let r = tradelab_in(
        dir.path(),
        &[
            "optimize", &s, "--method", "random", "--trials", "30", "--out", "r", "--json",
        ],
    );
    let j = r.json();
    assert!(j["robust_best"].is_null());
    assert_eq!(
        j["neighbourhood_note"],
        "a random sweep samples off the grid: it has no neighbourhoods"
    );
    let r = tradelab_in(
        dir.path(),
        &[
            "optimize", &s, "--method", "random", "--trials", "30", "--out", "r2",
        ],
    );
    assert!(r
        .stdout
        .contains("parameter stability: a random sweep samples off the grid"));
}

#[test]
fn a_three_parameter_report_shows_the_two_most_influential() {
    let dir = tempdir();
    let r = tradelab_in(
        dir.path(),
        &[
            "optimize",
            &root()
                .join("strategies/pullback_limit.toml")
                .to_string_lossy(),
            "--data",
            &dataset("GOOG.csv").to_string_lossy(),
            "--out",
            "g",
            "--report",
            "html",
            "--json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    let inf: Vec<&str> = j["influence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["param"].as_str().unwrap())
        .collect();
    assert_eq!(inf.len(), 3);
    let third = inf[2];
    let held = j["robust_best"]["params"][third].as_f64().unwrap();
    let html = std::fs::read_to_string(dir.path().join("g/report.html")).unwrap();
    let title = format!(
        "sharpe by {} (x) and {} (y), {third}={held}",
        inf[0], inf[1]
    );
    assert!(html.contains(&title), "no heatmap titled {title}");
    assert!(html.contains("Neighbourhood mean"));
}
