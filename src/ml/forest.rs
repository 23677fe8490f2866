//! A random forest (and, with one tree on every row and every feature, the
//! decision tree) written here rather than taken from linfa-ensemble 0.8,
//! whose forest votes (no probabilities), subsamples features per tree
//! rather than per split, and inherits linfa-trees' hash-order tie-breaks
//! (different trees from run to run). These CART trees (Gini impurity,
//! thresholds halfway between distinct values, ties to the lower feature
//! and threshold) are grown on seeded bootstrap samples with a seeded
//! feature subset at every split, and the forest's probability is the mean
//! of the leaves' shares of true labels: the same bits for any training
//! size, thread count or run.

use ndarray::{Array2, ArrayView1};

use crate::data::synth::SplitMix64;

/// The forest's settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ForestConfig {
    pub trees: usize,
    pub max_depth: usize,
    /// Features tried at each split (0: ⌈√k⌉).
    pub max_features: usize,
    pub min_samples_split: usize,
    pub seed: u64,
    /// Each tree on a bootstrap sample (a forest) or on every row (one
    /// decision tree).
    pub bootstrap: bool,
}

#[derive(Debug, Clone)]
enum Node {
    Leaf(f64),
    Split {
        feature: usize,
        threshold: f64,
        left: usize,
        right: usize,
    },
}

/// One tree: nodes, the root first.
#[derive(Debug, Clone)]
struct Tree(Vec<Node>);

impl Tree {
    fn predict(&self, row: ArrayView1<f64>) -> f64 {
        let mut i = 0;
        loop {
            match &self.0[i] {
                Node::Leaf(p) => return *p,
                Node::Split {
                    feature,
                    threshold,
                    left,
                    right,
                } => {
                    i = if row[*feature] <= *threshold {
                        *left
                    } else {
                        *right
                    }
                }
            }
        }
    }
}

/// Gini impurity times the count, of `pos` true among `n`.
fn gini(pos: f64, n: f64) -> f64 {
    if n == 0.0 {
        return 0.0;
    }
    let p = pos / n;
    n * 2.0 * p * (1.0 - p)
}

struct Grower<'a> {
    /// The training features by column.
    cols: &'a [Vec<f64>],
    y: &'a [bool],
    cfg: ForestConfig,
    tries: usize,
    nodes: Vec<Node>,
    rng: SplitMix64,
}

impl Grower<'_> {
    /// Grows the subtree of `rows` and returns its node index.
    fn grow(&mut self, rows: &mut [usize], depth: usize) -> usize {
        let n = rows.len() as f64;
        let pos = rows.iter().filter(|&&r| self.y[r]).count() as f64;
        let id = self.nodes.len();
        self.nodes.push(Node::Leaf(pos / n.max(1.0)));
        if depth >= self.cfg.max_depth
            || rows.len() < self.cfg.min_samples_split
            || pos == 0.0
            || pos == n
        {
            return id;
        }
        // The features tried here: a seeded partial Fisher–Yates shuffle.
        let k = self.cols.len();
        let mut order: Vec<usize> = (0..k).collect();
        for i in 0..self.tries.min(k) {
            let j = i + self.rng.below(k - i);
            order.swap(i, j);
        }
        let mut tried: Vec<usize> = order[..self.tries.min(k)].to_vec();
        tried.sort_unstable();
        let parent = gini(pos, n);
        let mut best: Option<(f64, usize, f64)> = None;
        let mut sorted: Vec<(f64, usize)> = Vec::with_capacity(rows.len());
        for &f in &tried {
            let col = &self.cols[f];
            sorted.clear();
            sorted.extend(rows.iter().map(|&r| (col[r], r)));
            sorted.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut left_pos = 0.0;
            for i in 1..sorted.len() {
                left_pos += f64::from(u8::from(self.y[sorted[i - 1].1]));
                let (a, b) = (sorted[i - 1].0, sorted[i].0);
                if a == b {
                    continue;
                }
                let nl = i as f64;
                let gain = parent - gini(left_pos, nl) - gini(pos - left_pos, n - nl);
                if best.is_none_or(|(g, _, _)| gain > g) {
                    best = Some((gain, f, a + (b - a) / 2.0));
                }
            }
        }
        let Some((gain, feature, threshold)) = best.filter(|b| b.0 > 1e-12) else {
            return id;
        };
        let _ = gain;
        let split = {
            let mut i = 0;
            let col = &self.cols[feature];
            for j in 0..rows.len() {
                if col[rows[j]] <= threshold {
                    rows.swap(i, j);
                    i += 1;
                }
            }
            i
        };
        let (l, r) = rows.split_at_mut(split);
        let left = self.grow(l, depth + 1);
        let right = self.grow(r, depth + 1);
        self.nodes[id] = Node::Split {
            feature,
            threshold,
            left,
            right,
        };
        id
    }
}

/// Fits the forest on (`x`, `y`) and returns P(true) for each row of `test`.
pub fn fit_predict(
    cfg: &ForestConfig,
    x: &Array2<f64>,
    y: &[bool],
    test: &Array2<f64>,
) -> Vec<f64> {
    let m = x.nrows();
    let k = x.ncols();
    let tries = if cfg.max_features == 0 {
        (k as f64).sqrt().ceil() as usize
    } else {
        cfg.max_features.min(k)
    };
    let cols: Vec<Vec<f64>> = (0..k).map(|j| x.column(j).to_vec()).collect();
    let trees: Vec<Tree> = (0..cfg.trees)
        .map(|t| {
            let mut rng =
                SplitMix64::new(cfg.seed ^ (t as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let mut rows: Vec<usize> = if cfg.bootstrap {
                (0..m).map(|_| rng.below(m)).collect()
            } else {
                (0..m).collect()
            };
            let mut g = Grower {
                cols: &cols,
                y,
                cfg: *cfg,
                tries,
                nodes: Vec::new(),
                rng,
            };
            g.grow(&mut rows, 0);
            Tree(g.nodes)
        })
        .collect();
    test.rows()
        .into_iter()
        .map(|row| trees.iter().map(|t| t.predict(row)).sum::<f64>() / trees.len().max(1) as f64)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stump_learns_a_threshold_and_is_deterministic() {
        // x < 0 → false, x > 0 → true; one tree on the whole sample
        // (bootstrap aside) finds the split at 0 and leaves of 0 and 1.
        let x = Array2::from_shape_fn((40, 1), |(i, _)| i as f64 - 19.5);
        let y: Vec<bool> = (0..40).map(|i| i >= 20).collect();
        let cfg = ForestConfig {
            trees: 25,
            max_depth: 3,
            max_features: 0,
            min_samples_split: 2,
            seed: 1,
            bootstrap: true,
        };
        let test = Array2::from_shape_vec((2, 1), vec![-10.0, 10.0]).unwrap();
        let p = fit_predict(&cfg, &x, &y, &test);
        assert_eq!(p, vec![0.0, 1.0]);
        assert_eq!(p, fit_predict(&cfg, &x, &y, &test));
        // Gini of 2 true in 4: 4 · 2 · 0.5 · 0.5 = 2.
        assert_eq!(gini(2.0, 4.0), 2.0);
    }
}
