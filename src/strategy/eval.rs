//! Evaluating a `Plan` over candles: whole-column work, each node once per
//! evaluation, indicator columns shared through a `ColumnCache` keyed by
//! their canonical text (`sma(close,10.0)`) across plans, trials and threads.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::compile::{Col, Node, NodeId, OnCall, Plan};
use super::ops::{binary, Operand};
use crate::indicators::{family_of, first_valid, Bars, Family, Inputs, Output, Spec};

/// An evaluated value: a scalar (folded constant) or a column.
#[derive(Debug, Clone)]
pub enum Val {
    Scalar(f64),
    Column(Arc<Vec<f64>>),
}

impl Val {
    /// The value as an operator's operand.
    fn operand(&self) -> Operand<'_> {
        match self {
            Val::Scalar(v) => Operand::Scalar(*v),
            Val::Column(c) => Operand::Column(c),
        }
    }

    /// The value as a column of `len` values.
    pub fn to_column(&self, len: usize) -> Arc<Vec<f64>> {
        match self {
            Val::Scalar(v) => Arc::new(vec![*v; len]),
            Val::Column(c) => Arc::clone(c),
        }
    }
}

/// The bars where one input crosses above the other, and below.
type Crossed = (Vec<u32>, Vec<u32>);

/// Indicator columns computed for one dataset, shared by every evaluation of
/// it (and the dataset's metric calendar). Thread-safe; counts hits and misses.
#[derive(Debug, Default)]
pub struct ColumnCache {
    pub calendar: std::sync::OnceLock<crate::metrics::returns::Calendar>,
    /// The close's block extremes for the event-driven engine.
    pub blocks: std::sync::OnceLock<crate::engine::sparse::Blocks>,
    /// Values computed once per dataset outside the language (models).
    pub memo: super::memo::Memo,
    map: Mutex<HashMap<String, Arc<Vec<f64>>>>,
    /// Crossings a batch found (`batch.rs`), by their inputs' keys, the
    /// lesser first: the bars where it crosses above the other and below.
    crossed: Mutex<HashMap<(String, String), Crossed>>,
    hits: AtomicUsize,
    misses: AtomicUsize,
}

impl ColumnCache {
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    pub fn misses(&self) -> usize {
        self.misses.load(Ordering::Relaxed)
    }

    pub fn len(&self) -> usize {
        self.map.lock().expect("cache lock").len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The cached column, counting a hit or a miss.
    fn get(&self, key: &str) -> Option<Arc<Vec<f64>>> {
        let found = self.map.lock().expect("cache lock").get(key).cloned();
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Stores a computed column (a column computed twice by racing threads
    /// is identical; the first stored wins).
    fn insert(&self, key: &str, v: Vec<f64>) -> Arc<Vec<f64>> {
        let mut map = self.map.lock().expect("cache lock");
        Arc::clone(map.entry(key.to_string()).or_insert_with(|| Arc::new(v)))
    }

    /// Where `a` crosses above `b` (`up`) or below it, if a batch found it.
    pub fn crossings(&self, a: &str, b: &str, up: bool) -> Option<Vec<u32>> {
        let map = self.crossed.lock().expect("cache lock");
        if map.is_empty() {
            return None;
        }
        let (x, y) = if a <= b { (a, b) } else { (b, a) };
        let found = map.get(&(x.to_string(), y.to_string()))?;
        // a above b is x above y when a is x, x below y when a is y.
        Some(if (a == x) == up {
            found.0.clone()
        } else {
            found.1.clone()
        })
    }

    /// Stores the crossings of `x` and `y` (`x <= y`): where `x` crosses
    /// above `y`, and below.
    pub(super) fn put_crossings(&self, x: &str, y: &str, above: Vec<u32>, below: Vec<u32>) {
        debug_assert!(x <= y);
        let mut map = self.crossed.lock().expect("cache lock");
        map.insert((x.to_string(), y.to_string()), (above, below));
    }

    /// How many pairs' crossings a batch left here.
    pub fn crossings_held(&self) -> usize {
        self.crossed.lock().expect("cache lock").len()
    }

    /// Forgets the batch's crossings (a sweep, after its stretch).
    pub fn clear_crossings(&self) {
        self.crossed.lock().expect("cache lock").clear();
    }

    fn get_or(&self, key: &str, compute: impl FnOnce() -> Vec<f64>) -> Arc<Vec<f64>> {
        match self.get(key) {
            Some(v) => v,
            None => self.insert(key, compute()),
        }
    }
}

/// Evaluates plans over one dataset.
pub struct Evaluator<'a> {
    pub bars: Bars<'a>,
    /// The bars' times (UTC ms), for `on(...)`.
    pub ts: &'a [i64],
    pub cache: &'a ColumnCache,
    /// Columns for `External` names (e.g. `model`).
    pub externals: HashMap<String, Arc<Vec<f64>>>,
    /// Put before every cache key: the higher timeframe a child evaluates.
    prefix: String,
}

impl<'a> Evaluator<'a> {
    pub fn new(bars: Bars<'a>, ts: &'a [i64], cache: &'a ColumnCache) -> Self {
        Evaluator {
            bars,
            ts,
            cache,
            externals: HashMap::new(),
            prefix: String::new(),
        }
    }

    /// An evaluator of other bars (a higher timeframe of these) sharing the
    /// cache under keys that start with `prefix`.
    fn child<'b>(&'b self, bars: Bars<'b>, ts: &'b [i64], prefix: &str) -> Evaluator<'b> {
        Evaluator {
            bars,
            ts,
            cache: self.cache,
            externals: HashMap::new(),
            prefix: format!("{}{prefix}", self.prefix),
        }
    }

    /// The column of an `on(...)`: its expression on the resampled bars,
    /// each value shown from its bin's end (`timeframe.rs`).
    fn on(&self, call: &OnCall, key: &str) -> Vec<f64> {
        use super::timeframe::{align, Resampled};
        let r = Resampled::of(self.ts, self.bars, call.rule);
        let sub = self.child(r.bars(), &r.starts, &format!("{key}|"));
        let values = sub
            .eval(&call.plan, &[call.root])
            .remove(0)
            .to_column(r.starts.len());
        let fill = if call.ty == super::compile::Type::Bool {
            0.0
        } else {
            f64::NAN
        };
        align(
            &r.starts,
            call.rule.width(),
            call.align,
            self.ts,
            &values,
            fill,
        )
    }

    /// The cache key of a node's canonical text.
    fn key<'k>(&self, key: &'k str) -> std::borrow::Cow<'k, str> {
        if self.prefix.is_empty() {
            std::borrow::Cow::Borrowed(key)
        } else {
            std::borrow::Cow::Owned(format!("{}{key}", self.prefix))
        }
    }

    fn len(&self) -> usize {
        self.bars.close.len()
    }

    /// The key node `id`'s column has in the cache when it depends on the
    /// data alone (a candle column, a constant, an indicator of them).
    pub fn cache_key(&self, plan: &Plan, id: NodeId) -> Option<String> {
        let data_only =
            matches!(plan.nodes[id], Node::Const(_) | Node::Column(_)) || is_shared(plan, id);
        data_only.then(|| self.key(&plan.keys[id]).into_owned())
    }

    /// Evaluates the given roots, each node once. Indicator calls that read
    /// only candle columns are computed first, in parallel (each column is
    /// independent, so the results do not depend on the thread count).
    pub fn eval(&self, plan: &Plan, roots: &[NodeId]) -> Vec<Val> {
        use rayon::prelude::*;
        let needed = reachable(plan, roots);
        let mut memo: Vec<Option<Val>> = vec![None; plan.nodes.len()];
        for &id in &needed {
            if matches!(plan.nodes[id], Node::Column(_)) {
                self.node(plan, id, &mut memo);
            }
        }
        // Shared indicator calls are independent of each other: compute
        // them in parallel first.
        // Of outputs computed together (a family), only the first is a
        // leaf; the others are in the cache by the time they are asked for.
        let mut families = std::collections::HashSet::new();
        let leaves: Vec<NodeId> = needed
            .into_iter()
            .filter(|&id| is_shared(plan, id))
            .filter(|&id| match &plan.nodes[id] {
                Node::Call { spec, .. } => match siblings(plan, id, spec) {
                    Some((family, _)) => {
                        let key = &plan.keys[id];
                        families.insert((family.names[0], &key[spec.name.len()..]))
                    }
                    None => true,
                },
                _ => true,
            })
            .collect();
        if leaves.len() > 1 {
            let columns = &memo;
            leaves.par_iter().for_each(|&id| {
                let mut memo = columns.clone();
                self.node(plan, id, &mut memo);
            });
        }
        roots
            .iter()
            .map(|&r| self.node(plan, r, &mut memo))
            .collect()
    }

    fn node(&self, plan: &Plan, id: NodeId, memo: &mut Vec<Option<Val>>) -> Val {
        if let Some(v) = &memo[id] {
            return v.clone();
        }
        let len = self.len();
        let v = match &plan.nodes[id] {
            Node::Const(v) => Val::Scalar(*v),
            Node::Column(c) => {
                let s = match c {
                    Col::Open => self.bars.open,
                    Col::High => self.bars.high,
                    Col::Low => self.bars.low,
                    Col::Close => self.bars.close,
                    Col::Volume => self.bars.volume,
                };
                Val::Column(self.cache.get_or(&self.key(&plan.keys[id]), || s.to_vec()))
            }
            Node::On(call) => {
                let key = self.key(&plan.keys[id]);
                Val::Column(self.cache.get_or(&key, || self.on(call, &key)))
            }
            Node::External(name) => Val::Column(Arc::clone(&self.externals[name])),
            Node::Call { spec, inputs, args } => {
                // Indicators of candle columns are shared through the cache;
                // calls of other expressions (crosses of two SMAs, an SMA of
                // an RSI) are specific to one plan and computed in place, so
                // a sweep's memory does not grow with its trials.
                let shared = is_shared(plan, id);
                if shared {
                    if let Some(hit) = self.cache.get(&self.key(&plan.keys[id])) {
                        memo[id] = Some(Val::Column(Arc::clone(&hit)));
                        return Val::Column(hit);
                    }
                }
                let cols: Vec<Arc<Vec<f64>>> = inputs
                    .iter()
                    .map(|&i| self.node(plan, i, memo).to_column(len))
                    .collect();
                let computed = {
                    let start = cols
                        .iter()
                        .map(|c| first_valid(c))
                        .max()
                        .unwrap_or(0)
                        .min(len);
                    let series: Vec<&[f64]> = cols.iter().map(|c| &c[start..]).collect();
                    // A condition is false, not missing, during warm-up.
                    // Labels (triple_barrier, only) are unknown there instead.
                    let label = matches!(spec.name, "triple_barrier" | "only");
                    let fill = if (spec.output == Output::Bool && !label)
                        || spec.output == Output::Integer
                    {
                        0.0
                    } else {
                        f64::NAN
                    };
                    let inputs = Inputs {
                        series: &series,
                        args,
                        bars: self.bars,
                        ts: self.ts,
                    };
                    let from = if spec.params.iter().any(|p| p.is_column()) {
                        start
                    } else {
                        0
                    };
                    if let Some((family, at)) = shared.then(|| siblings(plan, id, spec)).flatten() {
                        let col = self.family(plan, id, family, at, &inputs, fill, from);
                        memo[id] = Some(Val::Column(Arc::clone(&col)));
                        return Val::Column(col);
                    }
                    let mut out = unfilled(len, from, fill);
                    (spec.compute)(&inputs, &mut out[from..]);
                    out
                };
                if shared {
                    Val::Column(self.cache.insert(&self.key(&plan.keys[id]), computed))
                } else {
                    Val::Column(Arc::new(computed))
                }
            }
            Node::Neg(a) => self.map1(plan, *a, memo, |x| -x),
            Node::Not(a) => self.map1(plan, *a, memo, |x| f64::from(u8::from(x == 0.0))),
            Node::Binary(op, a, b) => {
                let (x, y) = (self.node(plan, *a, memo), self.node(plan, *b, memo));
                Val::Column(Arc::new(binary(*op, x.operand(), y.operand(), len)))
            }
        };
        memo[id] = Some(v.clone());
        v
    }

    /// Every output of `family` at once, each cached under its own key;
    /// returns output `at`'s column.
    #[allow(clippy::too_many_arguments)]
    fn family(
        &self,
        plan: &Plan,
        id: NodeId,
        family: &Family,
        at: usize,
        inputs: &Inputs,
        fill: f64,
        from: usize,
    ) -> Arc<Vec<f64>> {
        let len = self.len();
        let mut outs: Vec<Vec<f64>> = family
            .names
            .iter()
            .map(|_| unfilled(len, from, fill))
            .collect();
        {
            let mut views: Vec<&mut [f64]> = outs.iter_mut().map(|o| &mut o[from..]).collect();
            (family.compute)(inputs, &mut views);
        }
        let key = &plan.keys[id];
        let args = &key[key.find('(').unwrap_or(key.len())..];
        let mut mine = None;
        for (k, out) in outs.into_iter().enumerate() {
            let column = self
                .cache
                .insert(&self.key(&format!("{}{args}", family.names[k])), out);
            if k == at {
                mine = Some(column);
            }
        }
        mine.expect("a family holds its member")
    }

    fn map1(
        &self,
        plan: &Plan,
        a: NodeId,
        memo: &mut Vec<Option<Val>>,
        f: impl Fn(f64) -> f64,
    ) -> Val {
        match self.node(plan, a, memo) {
            Val::Scalar(v) => Val::Scalar(f(v)),
            Val::Column(c) => Val::Column(Arc::new(c.iter().map(|&v| f(v)).collect())),
        }
    }
}

/// A column for a function to write: `fill` before `from` (where its
/// inputs are still warming up), zeros after, which it overwrites (every
/// catalogue function writes each value of its slice:
/// `indicators/catalog/writes.rs`). Zeros come from the allocator, in
/// fresh pages without a pass over them; a NaN fill was a pass over the
/// whole column before the function's own.
fn unfilled(len: usize, from: usize, fill: f64) -> Vec<f64> {
    let mut out = vec![0.0; len];
    out[..from].fill(fill);
    out
}

/// The family of call `id` when the plan also asks for another of its
/// outputs with the same arguments (then computing them together saves
/// work; otherwise one output is computed, so a sweep caches no more).
fn siblings(plan: &Plan, id: NodeId, spec: &Spec) -> Option<(&'static Family, usize)> {
    let (family, at) = family_of(spec.name)?;
    let key = &plan.keys[id];
    let args = &key[spec.name.len()..];
    let wanted = family.names.iter().enumerate().any(|(k, n)| {
        k != at
            && plan
                .keys
                .iter()
                .any(|p| p.len() == n.len() + args.len() && p.starts_with(n) && p.ends_with(args))
    });
    wanted.then_some((family, at))
}

/// A call whose inputs are all candle columns or constants: its column
/// depends only on the dataset, so the cache shares it.
fn is_shared(plan: &Plan, id: NodeId) -> bool {
    match &plan.nodes[id] {
        Node::On(_) => true,
        Node::Call { inputs, .. } => inputs
            .iter()
            .all(|&i| matches!(plan.nodes[i], Node::Column(_) | Node::Const(_))),
        _ => false,
    }
}

/// Every node the roots depend on.
fn reachable(plan: &Plan, roots: &[NodeId]) -> Vec<NodeId> {
    let mut seen = vec![false; plan.nodes.len()];
    let mut stack: Vec<NodeId> = roots.to_vec();
    let mut out = Vec::new();
    while let Some(id) = stack.pop() {
        if std::mem::replace(&mut seen[id], true) {
            continue;
        }
        out.push(id);
        match &plan.nodes[id] {
            Node::Call { inputs, .. } => stack.extend(inputs),
            Node::Neg(a) | Node::Not(a) => stack.push(*a),
            Node::Binary(_, a, b) => stack.extend([*a, *b]),
            Node::Const(_) | Node::Column(_) | Node::External(_) | Node::On(_) => {}
        }
    }
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategy::compile::Scope;
    use crate::strategy::parser::parse;

    #[test]
    fn second_identical_request_is_served_from_the_cache() {
        let close: Vec<f64> = (1..=30).map(f64::from).collect();
        let bars = Bars::flat(&close);
        let cache = ColumnCache::default();
        let ts: Vec<i64> = (0..30).collect();
        let ev = Evaluator::new(bars, &ts, &cache);
        let run = || {
            let mut plan = Plan::default();
            let (id, _) = plan
                .compile(
                    &parse("sma(close, 5) - ema(close, 5) * 2").unwrap(),
                    &Scope::default(),
                )
                .unwrap();
            ev.eval(&plan, &[id]).remove(0).to_column(30)
        };
        let first = run();
        // close, sma and ema, each computed once (sma and ema in parallel).
        assert_eq!((cache.misses(), cache.len()), (3, 3));
        let hits = cache.hits();
        let second = run();
        // Nothing computed again: every lookup is a hit.
        assert_eq!(cache.misses(), 3);
        assert!(cache.hits() >= hits + 3);
        assert_eq!(
            first.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            second.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
        );
        // sma(close,5)[4] = 3, ema seeded the same: 3 - 3·2 = -3.
        assert_eq!(first[4], -3.0);
        assert!(first[3].is_nan());
    }

    #[test]
    fn composed_indicators_skip_the_inner_warm_up() {
        // sma(sma(x, 3), 2): the inner one starts at 2, the outer at 3.
        let x: Vec<f64> = (1..=6).map(f64::from).collect();
        let bars = Bars {
            open: &x,
            high: &x,
            low: &x,
            close: &x,
            volume: &x,
        };
        let cache = ColumnCache::default();
        let mut plan = Plan::default();
        let (id, _) = plan
            .compile(&parse("sma(sma(close, 3), 2)").unwrap(), &Scope::default())
            .unwrap();
        let ts: Vec<i64> = (0..6).collect();
        let v = Evaluator::new(bars, &ts, &cache)
            .eval(&plan, &[id])
            .remove(0)
            .to_column(6);
        assert!(v[2].is_nan());
        assert_eq!(&v[3..], &[2.5, 3.5, 4.5]);
    }
}
