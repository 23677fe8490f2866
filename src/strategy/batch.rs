//! Crossings of many trials found together: a sweep's stretch gathers the
//! pairs its trials cross, then reads them a chunk of bars at a time, each
//! chunk of every input once and from cache, the moving averages among the
//! inputs streamed rather than held as columns. The trials then find their
//! crossings in the `ColumnCache` (`events.rs`), the same bars `crossings`
//! gives.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use super::compile::{Col, Node, NodeId, Plan};
use super::eval::{ColumnCache, Evaluator, Val};
use super::events::{root, Crosser, Root};
use crate::indicators::stream::{fill_all, Average, Stream};

/// Where a batch reads one input of its pairs.
#[derive(Debug, Clone)]
enum Source<'a> {
    /// A moving average of a candle column, computed as the chunks go.
    Average(Average, &'a [f64], usize),
    /// A candle column.
    Slice(&'a [f64]),
    /// A column the cache holds (another indicator of candle columns).
    Column(Arc<Vec<f64>>),
    Const(f64),
}

/// The pairs of inputs a stretch's trials cross, each input once by its
/// cache key.
#[derive(Debug, Default)]
pub struct Batch<'a> {
    keys: Vec<String>,
    index: HashMap<String, usize>,
    sources: Vec<Source<'a>>,
    /// Source indices, the lesser key first.
    pairs: BTreeSet<(usize, usize)>,
}

/// The most bytes of input a chunk holds across its sources (within L2).
const CHUNK_BYTES: usize = 512 * 1024;

impl<'a> Batch<'a> {
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Adds the crossings among `roots` whose inputs depend on the data
    /// alone (candle columns, constants, indicators of them).
    pub fn add(&mut self, ev: &Evaluator<'a>, plan: &Plan, roots: &[NodeId]) {
        for &r in roots {
            let Root::Cross { a, b, .. } = root(plan, r) else {
                continue;
            };
            let (Some(a), Some(b)) = (self.source(ev, plan, a), self.source(ev, plan, b)) else {
                continue;
            };
            let pair = if self.keys[a] <= self.keys[b] {
                (a, b)
            } else {
                (b, a)
            };
            self.pairs.insert(pair);
        }
    }

    /// The index of node `id` as a source, if it can be one.
    fn source(&mut self, ev: &Evaluator<'a>, plan: &Plan, id: NodeId) -> Option<usize> {
        let key = ev.cache_key(plan, id)?;
        if let Some(&i) = self.index.get(&key) {
            return Some(i);
        }
        let bars = ev.bars;
        let column = |c: &Col| match c {
            Col::Open => bars.open,
            Col::High => bars.high,
            Col::Low => bars.low,
            Col::Close => bars.close,
            Col::Volume => bars.volume,
        };
        // An average of a candle column is streamed; any other indicator
        // (or `on(...)`) is the cache's column.
        let average = match &plan.nodes[id] {
            Node::Call { spec, inputs, args } => {
                match (Average::of(spec.name), &inputs[..], &args[..]) {
                    (Some(kind), [x], [n]) => match &plan.nodes[*x] {
                        Node::Column(c) => Some(Source::Average(kind, column(c), *n as usize)),
                        _ => None,
                    },
                    _ => None,
                }
            }
            _ => None,
        };
        let source = match (&plan.nodes[id], average) {
            (_, Some(average)) => average,
            (Node::Const(v), _) => Source::Const(*v),
            (Node::Column(c), _) => Source::Slice(column(c)),
            (Node::Call { .. } | Node::On(_), _) => match ev.eval(plan, &[id]).remove(0) {
                Val::Column(c) => Source::Column(c),
                Val::Scalar(v) => Source::Const(v),
            },
            _ => return None,
        };
        self.index.insert(key.clone(), self.keys.len());
        self.keys.push(key);
        self.sources.push(source);
        Some(self.keys.len() - 1)
    }

    /// Finds every pair's crossings over `len` bars and puts them in the
    /// cache. The pairs are split into one bundle per thread; each bundle
    /// streams its own inputs (the results do not depend on the split).
    pub fn run(&self, cache: &ColumnCache, len: usize) {
        if self.pairs.is_empty() || len == 0 {
            return;
        }
        let pairs: Vec<(usize, usize)> = self.pairs.iter().copied().collect();
        let bundles = rayon::current_num_threads().clamp(1, pairs.len());
        let size = pairs.len().div_ceil(bundles);
        let found: Vec<Vec<Crosser>> = pairs
            .par_chunks(size)
            .map(|bundle| self.bundle(bundle, len))
            .collect();
        for (&(x, y), c) in pairs.iter().zip(found.into_iter().flatten()) {
            cache.put_crossings(&self.keys[x], &self.keys[y], c.above, c.below);
        }
    }

    /// The crossings of `pairs`, in their order.
    fn bundle(&self, pairs: &[(usize, usize)], len: usize) -> Vec<Crosser> {
        let mut used: Vec<usize> = pairs.iter().flat_map(|&(x, y)| [x, y]).collect();
        used.sort_unstable();
        used.dedup();
        let local = |s: usize| used.binary_search(&s).expect("a bundle's source");
        let chunk = (CHUNK_BYTES / (8 * used.len())).clamp(256, 8192) / 64 * 64;
        let mut streams: Vec<Option<Stream>> = used
            .iter()
            .map(|&s| match self.sources[s] {
                Source::Average(kind, x, n) => Some(Stream::new(kind, x, n)),
                _ => None,
            })
            .collect();
        let mut buffers = vec![0.0; used.len() * chunk];
        let mut crossers = vec![Crosser::default(); pairs.len()];
        let local_pairs: Vec<(usize, usize)> =
            pairs.iter().map(|&(x, y)| (local(x), local(y))).collect();
        for lo in (0..len).step_by(chunk) {
            let hi = (lo + chunk).min(len);
            let mut averages = Vec::with_capacity(streams.len());
            for ((stream, buf), &s) in streams.iter_mut().zip(buffers.chunks_mut(chunk)).zip(&used)
            {
                match (stream, &self.sources[s]) {
                    (Some(stream), _) => averages.push((stream, &mut buf[..hi - lo])),
                    (None, Source::Const(v)) => buf[..hi - lo].fill(*v),
                    _ => {}
                }
            }
            fill_all(&mut averages);
            let view = |i: usize| -> &[f64] {
                match &self.sources[used[i]] {
                    Source::Slice(c) => &c[lo..hi],
                    Source::Column(c) => &c[lo..hi],
                    _ => &buffers[i * chunk..i * chunk + hi - lo],
                }
            };
            for (c, &(x, y)) in crossers.iter_mut().zip(&local_pairs) {
                c.step(view(x), view(y), lo as u32);
            }
        }
        crossers
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::Bars;
    use crate::strategy::events::crossings;

    #[test]
    fn a_batch_finds_what_each_pair_finds_alone() {
        // 5,000 bars with ties (a flat stretch) and a NaN head, crossed as
        // averages (streamed), an RSI (a cached column), the close and a
        // constant, in chunks that do not divide the bars.
        let mut close: Vec<f64> = (0..5000)
            .scan(100.0f64, |p, i| {
                *p += ((i * 7919 % 101) as f64 - 50.0) * 0.02;
                Some(*p)
            })
            .collect();
        close[..3].fill(f64::NAN);
        close[2000..2100].fill(101.0);
        let ts: Vec<i64> = (0..5000).map(|i| i * 60_000).collect();
        let bars = Bars::flat(&close);
        let cache = ColumnCache::default();
        let ev = Evaluator::new(bars, &ts, &cache);
        let text = [
            "crosses_above(sma(close, 5), sma(close, 20))",
            "crosses_below(ema(close, 7), sma(close, 5))",
            "crosses_above(close, ema(close, 30))",
            "crosses_above(rsi(close, 14), 55)",
            "crosses_below(sma(close, 3), close)",
        ];
        let mut plan = Plan::default();
        let roots: Vec<NodeId> = text
            .iter()
            .map(|t| {
                let e = crate::strategy::parse(t).unwrap();
                plan.compile(&e, &crate::strategy::Scope::default())
                    .unwrap()
                    .0
            })
            .collect();
        let mut batch = Batch::default();
        batch.add(&ev, &plan, &roots);
        assert_eq!(batch.pairs.len(), 5);
        batch.run(&cache, close.len());
        for (&r, t) in roots.iter().zip(text) {
            let Root::Cross { a, b, up } = root(&plan, r) else {
                panic!("{t} is a crossing")
            };
            let col = |id| ev.eval(&plan, &[id]).remove(0).to_column(close.len());
            let (x, y) = (col(a), col(b));
            let from = crate::indicators::first_valid(&x).max(crate::indicators::first_valid(&y));
            let (above, below) = crossings(&x, &y, from);
            let alone = if up { above } else { below };
            assert!(!alone.is_empty(), "{t} crosses");
            // What the batch stored, and what a trial's events read from it.
            let (ka, kb) = (
                ev.cache_key(&plan, a).unwrap(),
                ev.cache_key(&plan, b).unwrap(),
            );
            assert_eq!(cache.crossings(&ka, &kb, up), Some(alone.clone()), "{t}");
            assert_eq!(ev.events(&plan, &[r]).remove(0), alone, "{t}");
        }
    }
}
