//! `tradelab merge` on corrupted shards: every field of meta.json,
//! trials.csv and blocks.csv is checked, and a bad one is one error line
//! naming the file (and line), exit 2, no panic and no output folder.

mod common;
use common::*;

use std::path::Path;

/// Two shards of a small random sweep, in `dir/part1` and `dir/part2`.
fn shards(dir: &Path) {
    let s = root().join("strategies/sma_cross.toml");
    for k in 1..=2 {
        let r = tradelab_in(
            dir,
            &[
                "optimize",
                s.to_str().unwrap(),
                "--method",
                "random",
                "--trials",
                "8",
                "--seed",
                "4",
                "--shard",
                &format!("{k}/2"),
                "--out",
                &format!("part{k}"),
                "--quiet",
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
}

/// Rewrites `part2/<file>` with `edit`, merges, and returns the error line.
fn merge_with(file: &str, edit: impl Fn(&str) -> String) -> String {
    let dir = tempdir();
    shards(dir.path());
    let ok = tradelab_in(dir.path(), &["merge", "part1", "part2", "--out", "fine"]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    let p = dir.path().join("part2").join(file);
    let text = std::fs::read_to_string(&p).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit changed nothing");
    std::fs::write(&p, edited).unwrap();
    let r = tradelab_in(dir.path(), &["merge", "part1", "part2", "--out", "merged"]);
    assert_eq!(r.code, 2, "stdout {} stderr {}", r.stdout, r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert_eq!(r.stderr.trim_end().lines().count(), 1, "{}", r.stderr);
    assert!(!dir.path().join("merged").exists(), "a half-written output");
    r.stderr.trim_end().to_string()
}

/// The shard field `[2, 2]` of part2's meta.json, written as JSON pretty-prints it.
fn shard(text: &str, k: i64, n: i64) -> String {
    text.replace(
        "\"shard\": [\n    2,\n    2\n  ]",
        &format!("\"shard\": [\n    {k},\n    {n}\n  ]"),
    )
}

#[test]
fn merge_refuses_a_shard_index_out_of_range() {
    let e = merge_with("meta.json", |t| shard(t, 5, 2));
    // "shard" is on line 17, column 3 of the pretty-printed meta.json.
    assert_eq!(
        e,
        "error: part2/meta.json:17:3: shard [5, 2] is out of range: expected [k, n] with 1 <= k <= n"
    );
    let e = merge_with("meta.json", |t| shard(t, 0, 2));
    assert!(
        e.contains("part2/meta.json:17:3: shard [0, 2] is out of range"),
        "{e}"
    );
    let e = merge_with("meta.json", |t| shard(t, 0, 0));
    assert!(e.contains("shard [0, 0] is out of range"), "{e}");
}

#[test]
fn merge_refuses_bad_meta_fields() {
    let e = merge_with("meta.json", |t| {
        t.replace("\"method\": \"random\"", "\"method\": \"magic\"")
    });
    assert!(
        e.contains("part2/meta.json:7:3: unknown method 'magic'"),
        "{e}"
    );
    let e = merge_with("meta.json", |t| {
        t.replace("\"objective\": \"sharpe\"", "\"objective\": \"sharp\"")
    });
    assert!(
        e.contains("part2/meta.json:9:3: unknown objective metric 'sharp'"),
        "{e}"
    );
    let e = merge_with("meta.json", |t| t.replace("\"points\": 8", "\"points\": 0"));
    assert!(
        e.contains("part2/meta.json:12:3: a sweep has at least one point"),
        "{e}"
    );
    let e = merge_with("meta.json", |t| {
        t.replace("\"constraints\": []", "\"constraints\": [\"trades >= x\"]")
    });
    assert!(
        e.contains("part2/meta.json:11:3: invalid constraint 'trades >= x'"),
        "{e}"
    );
    let e = merge_with("meta.json", |t| t.replace("\"slow\"", "\"fast\""));
    assert!(
        e.contains("parameter name 'fast' is empty or repeated"),
        "{e}"
    );
    let e = merge_with("meta.json", |t| {
        t.replace("\"maximize\": true", "\"maximize\": 3")
    });
    assert!(e.contains("part2/meta.json:10:"), "{e}");
}

#[test]
fn merge_refuses_bad_trial_rows() {
    // Row 2 of part2's trials.csv is trial 1 (shard 2/2 owns the odd trials).
    let first_field = |t: &str, v: &str| {
        let mut lines: Vec<String> = t.lines().map(String::from).collect();
        let rest = lines[1].split_once(',').unwrap().1.to_string();
        lines[1] = format!("{v},{rest}");
        lines.join("\n") + "\n"
    };
    let e = merge_with("trials.csv", |t| first_field(t, "999"));
    assert_eq!(
        e,
        "error: part2/trials.csv:2: trial 999 is outside the sweep's 8 points"
    );
    let e = merge_with("trials.csv", |t| first_field(t, "2"));
    assert!(
        e.contains("trials.csv:2: trial 2 does not belong to shard 2/2"),
        "{e}"
    );
    let e = merge_with("trials.csv", |t| first_field(t, "3"));
    assert!(e.contains("trials.csv:3: trial 3 appears twice"), "{e}");
    let e = merge_with("trials.csv", |t| {
        let mut lines: Vec<String> = t.lines().map(String::from).collect();
        lines[1] = lines[1].replacen(",1,", ",2,", 1).replacen(",0,", ",2,", 1);
        lines.join("\n") + "\n"
    });
    assert!(
        e.contains("trials.csv:2: feasible is '2', expected 0 or 1"),
        "{e}"
    );
    let e = merge_with("trials.csv", |t| {
        t.replacen("trial,feasible,fast", "trial,feasible,quick", 1)
    });
    assert!(
        e.contains("trials.csv:1: not the trials.csv header of this sweep"),
        "{e}"
    );
}

#[test]
fn merge_refuses_a_missing_block_row() {
    let e = merge_with("blocks.csv", |t| {
        let lines: Vec<&str> = t.lines().collect();
        lines[..lines.len() - 1].join("\n") + "\n"
    });
    // 4 trials in the shard, 3 block rows: the missing one is line 5.
    assert_eq!(
        e,
        "error: part2/blocks.csv:5: 3 rows, but trials.csv has 4 trials"
    );
}
