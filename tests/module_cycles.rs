//! The library's module graph has no cycles: no module imports a module
//! that imports it back, at any level (`strategy` and `ml`, or
//! `report::charts` and `report::doc`). Read from the source, not from a
//! compiler plug-in: every `crate::` and `super::` path in `src/` (the CLI
//! under `src/cli` and `src/main.rs` is the binary, outside the library).

mod common;
use common::root;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A module path: `["report", "charts"]`.
type Module = Vec<String>;

/// Every library module, by path, with the text of its file.
fn modules(src: &Path) -> BTreeMap<Module, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let rel = p.strip_prefix(src).unwrap();
            let mut m: Module = rel
                .with_extension("")
                .iter()
                .map(|s| s.to_string_lossy().into_owned())
                .collect();
            if m.last().is_some_and(|l| l == "mod" || l == "lib") {
                m.pop();
            }
            if m.first().is_some_and(|f| f == "cli" || f == "main") {
                continue;
            }
            out.insert(m, std::fs::read_to_string(&p).unwrap());
        }
    }
    out
}

/// The paths a file names: `crate::a::b::{c, d}` gives `a::b::c` and `a::b::d`.
fn paths(text: &str, here: &Module) -> Vec<Vec<String>> {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = Vec::new();
    for (start, kw) in ["crate::", "super::"]
        .iter()
        .flat_map(|kw| text.match_indices(kw).map(move |(i, _)| (i, *kw)))
    {
        if start > 0 && text[..start].ends_with(|c: char| ident(c) || c == ':') {
            continue;
        }
        let base: Vec<String> = if kw == "crate::" {
            Vec::new()
        } else {
            // `super` of src/a/b.rs is a; of src/a/mod.rs it is the crate root.
            let mut b = here.clone();
            b.pop();
            b
        };
        let rest = &text[start + kw.len()..];
        let mut prefix: Vec<String> = Vec::new();
        let mut s = rest;
        loop {
            if let Some(group) = s.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for item in group[..end].split(',') {
                    let mut p = base.clone();
                    p.extend(prefix.iter().cloned());
                    p.extend(
                        item.trim()
                            .split("::")
                            .map(|x| x.trim().to_string())
                            .take_while(|x| !x.is_empty() && x.chars().all(ident)),
                    );
                    out.push(p);
                }
                break;
            }
            let len = s.find(|c: char| !ident(c)).unwrap_or(s.len());
            if len == 0 {
                break;
            }
            prefix.push(s[..len].to_string());
            s = &s[len..];
            match s.strip_prefix("::") {
                Some(next) => s = next,
                None => break,
            }
        }
        if !prefix.is_empty() && !rest.starts_with('{') {
            let mut p = base;
            p.extend(prefix);
            out.push(p);
        }
    }
    out
}

/// The longest prefix of `path` that is a module.
fn resolve(path: &[String], known: &BTreeSet<Module>) -> Option<Module> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|m| known.contains(m))
}

/// The edges between siblings: a use from a::b::c of a::d::e is an edge
/// b -> d under a.
fn sibling_edges(all: &BTreeMap<Module, String>) -> BTreeSet<(Module, Module)> {
    let known: BTreeSet<Module> = all.keys().cloned().collect();
    let mut edges = BTreeSet::new();
    for (here, text) in all {
        for p in paths(text, here) {
            let Some(to) = resolve(&p, &known) else {
                continue;
            };
            let common = here.iter().zip(&to).take_while(|(a, b)| a == b).count();
            if common == here.len() || common == to.len() {
                continue; // a module and its own descendants or ancestors
            }
            edges.insert((here[..=common].to_vec(), to[..=common].to_vec()));
        }
    }
    edges
}

/// Each pair of modules that reach each other.
fn cycles(edges: &BTreeSet<(Module, Module)>) -> Vec<String> {
    let mut next: BTreeMap<&Module, Vec<&Module>> = BTreeMap::new();
    for (a, b) in edges {
        next.entry(a).or_default().push(b);
    }
    let reach = |from: &Module| {
        let mut seen: BTreeSet<&Module> = BTreeSet::new();
        let mut todo: Vec<&Module> = next.get(from).cloned().unwrap_or_default();
        while let Some(m) = todo.pop() {
            if seen.insert(m) {
                todo.extend(next.get(m).cloned().unwrap_or_default());
            }
        }
        seen.into_iter().cloned().collect::<BTreeSet<Module>>()
    };
    let mut out = Vec::new();
    for (a, b) in edges {
        if a < b && reach(b).contains(a) {
            out.push(format!("{} <-> {}", a.join("::"), b.join("::")));
        }
    }
    out
}

#[test]
fn the_library_has_no_module_cycles() {
    let all = modules(&root().join("src"));
    assert!(all.len() > 50, "found only {} modules", all.len());
    let edges = sibling_edges(&all);
    // The graph is read correctly: known edges are there.
    for (a, b) in [
        ("backtest", "engine"),
        ("report", "format"),
        ("ml", "strategy"),
    ] {
        assert!(
            edges.contains(&(vec![a.to_string()], vec![b.to_string()])),
            "{a} -> {b} not found"
        );
    }
    assert_eq!(cycles(&edges), Vec::<String>::new());
}

#[test]
fn a_cycle_is_found() {
    let mut all = BTreeMap::new();
    all.insert(vec!["a".to_string()], "use crate::b::thing;".to_string());
    all.insert(
        vec!["b".to_string()],
        "use crate::{a::other, c};".to_string(),
    );
    all.insert(vec!["c".to_string()], String::new());
    all.insert(
        vec!["d".to_string(), "x".to_string()],
        "use super::y::f;".to_string(),
    );
    all.insert(
        vec!["d".to_string(), "y".to_string()],
        "use super::x;".to_string(),
    );
    all.insert(vec!["d".to_string()], String::new());
    let edges = sibling_edges(&all);
    assert_eq!(cycles(&edges), vec!["a <-> b", "d::x <-> d::y"]);
}
