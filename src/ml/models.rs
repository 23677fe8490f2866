//! The model kinds (linfa's logistic regression, decision tree and Gaussian
//! naive Bayes, and a random forest of our own, `forest.rs`), their hyperparameters, and one fit-then-predict step that
//! returns the probability of the label being true.

use std::collections::HashMap;

use linfa::dataset::Pr;
use linfa::prelude::*;
use linfa_bayes::{GaussianNb, NaiveBayes};
use linfa_logistic::LogisticRegression;
use linfa_trees::{DecisionTree, TreeNode};
use ndarray::{Array1, Array2, ArrayView1};
use serde::Serialize;

/// Which linfa model a `[model]` uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Logistic,
    DecisionTree,
    NaiveBayes,
    RandomForest,
    Svm,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "logistic" => Some(Kind::Logistic),
            "decision_tree" => Some(Kind::DecisionTree),
            "naive_bayes" => Some(Kind::NaiveBayes),
            "random_forest" => Some(Kind::RandomForest),
            "svm" => Some(Kind::Svm),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Logistic => "logistic",
            Kind::DecisionTree => "decision_tree",
            Kind::NaiveBayes => "naive_bayes",
            Kind::RandomForest => "random_forest",
            Kind::Svm => "svm",
        }
    }

    /// The hyperparameters this kind takes.
    pub fn hypers(self) -> &'static [&'static str] {
        match self {
            Kind::Logistic => &["alpha", "max_iterations"],
            Kind::DecisionTree => &["max_depth", "min_samples_split"],
            Kind::NaiveBayes => &["var_smoothing"],
            Kind::RandomForest => &[
                "trees",
                "max_depth",
                "max_features",
                "min_samples_split",
                "seed",
            ],
            Kind::Svm => &["c", "kernel", "gamma"],
        }
    }

    pub fn takes(self, hyper: &str) -> bool {
        self.hypers().contains(&hyper)
    }
}

/// A model kind with its hyperparameters resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelConfig {
    pub kind: Kind,
    /// L2 regularization of the logistic regression (linfa's default 1).
    pub alpha: f64,
    pub max_iterations: u64,
    /// Tree depth limit (default 4).
    pub max_depth: usize,
    pub min_samples_split: usize,
    pub var_smoothing: f64,
    /// Trees of a random forest (default 100).
    pub trees: usize,
    /// Features tried at each split of a forest's trees (0: ⌈√k⌉).
    pub max_features: usize,
    /// The forest's seed (bootstrap samples and feature subsets).
    pub seed: u64,
    /// The SVM's penalty C (default 1).
    pub c: f64,
    /// The SVM's kernel: 0 linear, 1 Gaussian (default).
    pub kernel: u8,
    /// The Gaussian kernel's γ in exp(−γ‖x − y‖²) (default 1 / features).
    pub gamma: f64,
}

impl ModelConfig {
    pub fn new(kind: Kind) -> ModelConfig {
        ModelConfig {
            kind,
            alpha: 1.0,
            max_iterations: 100,
            max_depth: if kind == Kind::RandomForest { 6 } else { 4 },
            min_samples_split: 2,
            var_smoothing: 1e-9,
            trees: 100,
            max_features: 0,
            seed: 0,
            c: 1.0,
            kernel: 1,
            gamma: 0.0,
        }
    }

    /// The hyperparameters this kind uses, by name.
    pub fn hypers(&self) -> std::collections::BTreeMap<&'static str, f64> {
        self.kind
            .hypers()
            .iter()
            .map(|&h| {
                let v = match h {
                    "alpha" => self.alpha,
                    "max_iterations" => self.max_iterations as f64,
                    "max_depth" => self.max_depth as f64,
                    "min_samples_split" => self.min_samples_split as f64,
                    "trees" => self.trees as f64,
                    "max_features" => self.max_features as f64,
                    "seed" => self.seed as f64,
                    "c" => self.c,
                    "kernel" => f64::from(self.kernel),
                    "gamma" => self.gamma,
                    _ => self.var_smoothing,
                };
                (h, v)
            })
            .collect()
    }

    /// Sets one hyperparameter, checking its range.
    pub fn set(&mut self, name: &str, v: f64) -> Result<(), String> {
        let int = |lo: f64, hi: f64| {
            if v.fract() == 0.0 && (lo..=hi).contains(&v) {
                Ok(v)
            } else {
                Err(format!(
                    "{name} must be an integer from {lo} to {hi}, got {v}"
                ))
            }
        };
        match name {
            "alpha" if v.is_finite() && v >= 0.0 => self.alpha = v,
            "alpha" => return Err(format!("alpha must be 0 or more, got {v}")),
            "max_iterations" => self.max_iterations = int(1.0, 1e6)? as u64,
            "max_depth" => self.max_depth = int(1.0, 64.0)? as usize,
            "min_samples_split" => self.min_samples_split = int(2.0, 1e6)? as usize,
            "var_smoothing" if v.is_finite() && v >= 0.0 => self.var_smoothing = v,
            "var_smoothing" => return Err(format!("var_smoothing must be 0 or more, got {v}")),
            "trees" => self.trees = int(1.0, 10_000.0)? as usize,
            "max_features" => self.max_features = int(0.0, 10_000.0)? as usize,
            "seed" => self.seed = int(0.0, 9.0e15)? as u64,
            "c" if v.is_finite() && v > 0.0 => self.c = v,
            "c" => return Err(format!("c must be above 0, got {v}")),
            "kernel" => self.kernel = int(0.0, 1.0)? as u8,
            "gamma" if v.is_finite() && v >= 0.0 => self.gamma = v,
            "gamma" => return Err(format!("gamma must be 0 (1 / features) or more, got {v}")),
            _ => return Err(format!("unknown hyperparameter '{name}'")),
        }
        Ok(())
    }
}

/// Fits on (`x`, `y`) and returns P(label) for each row of `test`. Both
/// classes must be present in `y`.
pub fn fit_predict(
    cfg: &ModelConfig,
    x: Array2<f64>,
    y: &[bool],
    test: &Array2<f64>,
) -> Result<Vec<f64>, String> {
    match cfg.kind {
        Kind::Logistic => {
            let data = Dataset::new(x, Array1::from(y.to_vec()));
            let model = LogisticRegression::default()
                .alpha(cfg.alpha)
                .max_iterations(cfg.max_iterations)
                .fit(&data)
                .map_err(|e| format!("logistic regression: {e}"))?;
            let p = model.predict_probabilities(test);
            // linfa gives the probability of the more frequent class.
            let flip = !model.labels().pos.class;
            Ok(p.iter().map(|&p| if flip { 1.0 - p } else { p }).collect())
        }
        Kind::DecisionTree => {
            let targets: Array1<usize> = y.iter().map(|&b| usize::from(b)).collect();
            // linfa breaks a tie between the classes of a node in hash-map
            // order, and prunes siblings by those picks, so equal counts
            // would give different trees from run to run. A false row
            // weighing 1 + 2⁻¹⁰ makes a tie impossible below 1,024 rows per
            // class and changes no split otherwise worth taking.
            let weights: Array1<f32> = y
                .iter()
                .map(|&b| if b { 1.0 } else { 1.0 + 1.0 / 1024.0 })
                .collect();
            let data = Dataset::new(x, targets).with_weights(weights);
            let tree = DecisionTree::params()
                .max_depth(Some(cfg.max_depth))
                .min_weight_split(cfg.min_samples_split as f32)
                .fit(&data)
                .map_err(|e| format!("decision tree: {e}"))?;
            // P(label) = the share of true labels among the training rows
            // that reach the same leaf (what scikit-learn's predict_proba does).
            let mut leaves: HashMap<usize, (f64, f64)> = HashMap::new();
            for (row, &label) in data.records().rows().into_iter().zip(y) {
                let e = leaves.entry(leaf(tree.root_node(), row)).or_default();
                e.0 += f64::from(u8::from(label));
                e.1 += 1.0;
            }
            Ok(test
                .rows()
                .into_iter()
                .map(|row| {
                    let (pos, n) = leaves[&leaf(tree.root_node(), row)];
                    pos / n
                })
                .collect())
        }
        Kind::RandomForest => {
            let f = super::forest::ForestConfig {
                trees: cfg.trees,
                max_depth: cfg.max_depth,
                max_features: cfg.max_features,
                min_samples_split: cfg.min_samples_split,
                seed: cfg.seed,
            };
            Ok(super::forest::fit_predict(&f, &x, y, test))
        }
        Kind::Svm => {
            use linfa_svm::Svm;
            let k = x.ncols().max(1) as f64;
            let gamma = if cfg.gamma > 0.0 { cfg.gamma } else { 1.0 / k };
            let data = Dataset::new(x, Array1::from(y.to_vec()));
            let params = Svm::<f64, Pr>::params().pos_neg_weights(cfg.c, cfg.c);
            // linfa's Gaussian kernel is exp(−‖x − y‖² / eps): eps = 1 / γ.
            let params = if cfg.kernel == 0 {
                params.linear_kernel()
            } else {
                params.gaussian_kernel(1.0 / gamma)
            };
            let model = params.fit(&data).map_err(|e| format!("svm: {e}"))?;
            // Platt-scaled probabilities of the true class.
            let p: Array1<Pr> = model.predict(test);
            Ok(p.iter().map(|v| f64::from(**v)).collect())
        }
        Kind::NaiveBayes => {
            let targets: Array1<usize> = y.iter().map(|&b| usize::from(b)).collect();
            let data = Dataset::new(x, targets);
            let model = GaussianNb::params()
                .var_smoothing(cfg.var_smoothing)
                .fit(&data)
                .map_err(|e| format!("naive Bayes: {e}"))?;
            let (proba, classes) = model.predict_proba(test.view());
            let col = classes
                .iter()
                .position(|&&c| c == 1)
                .ok_or("naive Bayes: no true class")?;
            Ok(proba.column(col).to_vec())
        }
    }
}

/// The leaf a row falls in (linfa's rule: left when below the split), as
/// the node's address, stable for the tree's lifetime.
fn leaf(root: &TreeNode<f64, usize>, row: ArrayView1<f64>) -> usize {
    let mut node = root;
    while !node.is_leaf() {
        let (feature, value, _) = node.split();
        let children = node.children();
        let next = if row[feature] < value {
            children[0]
        } else {
            children[1]
        };
        match next {
            Some(n) => node = n,
            None => break,
        }
    }
    node as *const _ as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two well separated clusters: every kind gets them all right.
    #[test]
    fn every_kind_separates_two_clusters() {
        let n = 40;
        let x = Array2::from_shape_fn((n, 2), |(i, j)| {
            let c = if i % 2 == 0 { 2.0 } else { -2.0 };
            c + 0.1 * ((i * 7 + j * 3) % 5) as f64
        });
        let y: Vec<bool> = (0..n).map(|i| i % 2 == 0).collect();
        let test = Array2::from_shape_vec((2, 2), vec![2.1, 2.2, -2.1, -1.9]).unwrap();
        for kind in [
            Kind::Logistic,
            Kind::DecisionTree,
            Kind::NaiveBayes,
            Kind::RandomForest,
        ] {
            let p = fit_predict(&ModelConfig::new(kind), x.clone(), &y, &test).unwrap();
            assert!(p[0] > 0.8 && p[1] < 0.2, "{kind:?}: {p:?}");
        }
    }

    /// A stump on one feature: the leaf shares are the training frequencies.
    #[test]
    fn tree_probabilities_are_leaf_frequencies() {
        // x < 0: labels T F F F (1/4 true); x ≥ 0: T T T F (3/4 true).
        let x = Array2::from_shape_vec((8, 1), vec![-4., -3., -2., -1., 1., 2., 3., 4.]).unwrap();
        let y = [true, false, false, false, true, true, true, false];
        let mut cfg = ModelConfig::new(Kind::DecisionTree);
        cfg.max_depth = 1;
        let test = Array2::from_shape_vec((2, 1), vec![-10.0, 10.0]).unwrap();
        assert_eq!(fit_predict(&cfg, x, &y, &test).unwrap(), vec![0.25, 0.75]);
    }

    #[test]
    fn hyperparameter_ranges() {
        let mut c = ModelConfig::new(Kind::DecisionTree);
        assert_eq!(
            c.set("max_depth", 0.0).unwrap_err(),
            "max_depth must be an integer from 1 to 64, got 0"
        );
        assert!(c.set("max_depth", 3.0).is_ok());
        assert_eq!(c.max_depth, 3);
        assert_eq!(
            c.set("alpha", -1.0).unwrap_err(),
            "alpha must be 0 or more, got -1"
        );
    }
}
