//! Signals as the bars where they fire, for the event-driven engine: a
//! crossing of two columns is found in one pass over them (both directions
//! at once) without writing its column; any other signal is evaluated as a
//! column and read for its true bars (> 0.5, as the engine reads them).

use std::collections::HashMap;
use std::sync::Arc;

use super::compile::{Node, NodeId, Plan};
use super::eval::Evaluator;
use crate::indicators::first_valid;

/// How a root is found: as a crossing of two nodes (which way) or as a column.
pub(super) enum Root {
    /// `crosses_above(a, b)` (`up`) or `crosses_below(a, b)`.
    Cross {
        a: NodeId,
        b: NodeId,
        up: bool,
    },
    Column(NodeId),
}

pub(super) fn root(plan: &Plan, id: NodeId) -> Root {
    if let Node::Call { spec, inputs, .. } = &plan.nodes[id] {
        if inputs.len() == 2 && matches!(spec.name, "crosses_above" | "crosses_below") {
            return Root::Cross {
                a: inputs[0],
                b: inputs[1],
                up: spec.name == "crosses_above",
            };
        }
    }
    Root::Column(id)
}

impl Evaluator<'_> {
    /// The bars where each root (a condition) is true, in order: the same
    /// bars as `eval`'s columns have above 0.5.
    pub fn events(&self, plan: &Plan, roots: &[NodeId]) -> Vec<Vec<u32>> {
        let kinds: Vec<Root> = roots.iter().map(|&r| root(plan, r)).collect();
        // Crossings a batch found already (a sweep's stretch, `batch.rs`).
        let batched: Vec<Option<Vec<u32>>> = kinds
            .iter()
            .map(|k| match *k {
                Root::Cross { a, b, up } => {
                    let ka = self.cache_key(plan, a)?;
                    let kb = self.cache_key(plan, b)?;
                    self.cache.crossings(&ka, &kb, up)
                }
                Root::Column(_) => None,
            })
            .collect();
        let mut wanted: Vec<NodeId> = Vec::new();
        for (k, _) in kinds.iter().zip(&batched).filter(|(_, b)| b.is_none()) {
            match *k {
                Root::Cross { a, b, .. } => wanted.extend([a, b]),
                Root::Column(id) => wanted.push(id),
            }
        }
        wanted.sort_unstable();
        wanted.dedup();
        let len = self.bars.close.len();
        let values: HashMap<NodeId, Arc<Vec<f64>>> = wanted
            .iter()
            .zip(self.eval(plan, &wanted))
            .map(|(&id, v)| (id, v.to_column(len)))
            .collect();
        // Each pair of inputs is read once for both directions.
        let mut pairs: HashMap<(NodeId, NodeId), (Vec<u32>, Vec<u32>)> = HashMap::new();
        kinds
            .iter()
            .zip(batched)
            .map(|(k, batched)| match (k, batched) {
                (_, Some(bars)) => bars,
                (&Root::Cross { a, b, up }, None) => {
                    let (x, y) = (a.min(b), a.max(b));
                    let (above, below) = pairs.entry((x, y)).or_insert_with(|| {
                        let (cx, cy) = (&values[&x], &values[&y]);
                        let from = first_valid(cx).max(first_valid(cy)).min(len);
                        crossings(cx, cy, from)
                    });
                    // x above y is a crossing above when a = x, below when a = y.
                    if (a == x) == up {
                        above.clone()
                    } else {
                        below.clone()
                    }
                }
                (&Root::Column(id), None) => true_bars(&values[&id]),
            })
            .collect()
    }
}

/// The bars after `from` where `x` crosses above `y` (`x[t−1] < y[t−1]` and
/// `x[t] > y[t]`) and where it crosses below (`x[t−1] > y[t−1]` and
/// `x[t] < y[t]`): `crosses_above(x, y)` and `crosses_above(y, x)` on the
/// columns from `from` on.
pub fn crossings(x: &[f64], y: &[f64], from: usize) -> (Vec<u32>, Vec<u32>) {
    let n = x.len().min(y.len());
    let mut c = Crosser::default();
    if from + 1 < n {
        c.step(&x[from..n], &y[from..n], from as u32);
    }
    (c.above, c.below)
}

/// The crossings of one pair of columns found a stretch of bars at a time:
/// each `step` takes the next bars (a multiple of 64 except the last) and
/// appends the bars where `x` crosses above `y` and below it.
#[derive(Debug, Default, Clone)]
pub struct Crosser {
    pub above: Vec<u32>,
    pub below: Vec<u32>,
    /// Whether the bar before the next step had x < y and x > y (0 or 1;
    /// both 0 before the first, which has no bar before it).
    prev_lt: u64,
    prev_gt: u64,
}

impl Crosser {
    /// Bars `base..base + x.len()`.
    #[inline]
    pub fn step(&mut self, x: &[f64], y: &[f64], base: u32) {
        // 64 bars at a time as bit masks of x < y and x > y (branch-free); a
        // crossing is a bit of one after a bit of the other one bar earlier.
        let (mut prev_lt, mut prev_gt) = (self.prev_lt, self.prev_gt);
        let (above, below) = (&mut self.above, &mut self.below);
        super::masks::each_chunk(x, y, |k, len, lt, gt| {
            let up = gt & ((lt << 1) | prev_lt);
            let down = lt & ((gt << 1) | prev_gt);
            let base = base + (k * 64) as u32;
            for (mask, out) in [(up, &mut *above), (down, &mut *below)] {
                let mut m = mask;
                while m != 0 {
                    out.push(base + m.trailing_zeros());
                    m &= m - 1;
                }
            }
            (prev_lt, prev_gt) = ((lt >> (len - 1)) & 1, (gt >> (len - 1)) & 1);
        });
        (self.prev_lt, self.prev_gt) = (prev_lt, prev_gt);
    }
}

/// The bars where a condition column is above 0.5.
pub fn true_bars(c: &[f64]) -> Vec<u32> {
    c.iter()
        .enumerate()
        .filter(|(_, &v)| v > 0.5)
        .map(|(t, _)| t as u32)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::elementwise::{crosses_above, crosses_below};

    #[test]
    fn crossings_are_the_crosses_columns() {
        // x against y = 2: bar 1 above (1 < 2, then 3 > 2); bars 2 and 3
        // none (x ends and starts equal to 2); bar 4 above (1 < 2, 4 > 2);
        // bar 5 below (4 > 2, 1 < 2); bars 6 and 7 none (NaN compares false).
        let x = [1.0, 3.0, 2.0, 1.0, 4.0, 1.0, f64::NAN, 3.0];
        let y = [2.0; 8];
        let (a, b) = crossings(&x, &y, 0);
        assert_eq!((a.clone(), b.clone()), (vec![1, 4], vec![5]));
        let (mut up, mut down) = (vec![0.0; 8], vec![0.0; 8]);
        crosses_above(&x, &y, &mut up);
        crosses_below(&x, &y, &mut down);
        assert_eq!((a, b), (true_bars(&up), true_bars(&down)));
        // From bar 4 on, bar 4 itself cannot fire.
        assert_eq!(crossings(&x, &y, 4), (vec![], vec![5]));
    }

    #[test]
    fn full_chunks_find_what_the_columns_find() {
        // 1,000 bars of a small walk against its lag, with ties and NaN
        // scattered in: every start, full chunks of 64 and a ragged tail
        // (1000 = 15 · 64 + 40), against the crosses columns.
        let mut s = 7u64;
        let mut next = || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        };
        let x: Vec<f64> = (0..1000)
            .map(|_| match next() % 23 {
                0 => f64::NAN,
                k => (k % 5) as f64,
            })
            .collect();
        let y: Vec<f64> = (0..1000)
            .map(|t| if t == 0 { 2.0 } else { x[t - 1] })
            .collect();
        let (mut up, mut down) = (vec![0.0; 1000], vec![0.0; 1000]);
        crosses_above(&x, &y, &mut up);
        crosses_below(&x, &y, &mut down);
        for from in [0, 1, 63, 64, 65, 500, 998] {
            let keep = |v: Vec<u32>| {
                v.into_iter()
                    .filter(|&t| t as usize > from)
                    .collect::<Vec<_>>()
            };
            let want = (keep(true_bars(&up)), keep(true_bars(&down)));
            assert!(!want.0.is_empty() || from > 900);
            assert_eq!(crossings(&x, &y, from), want, "from {from}");
        }
    }
}
