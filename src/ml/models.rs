//! The model kinds (linfa's logistic regression, Gaussian naive Bayes and
//! SVM; a decision tree and a random forest of our own, `forest.rs`), their
//! hyperparameters, and one fit-then-predict step that returns the
//! probability of the label being true.

use linfa::dataset::Pr;
use linfa::prelude::*;
use linfa_bayes::{GaussianNb, NaiveBayes};
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};
use serde::Serialize;

/// Which model a `[model]` uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Logistic,
    DecisionTree,
    NaiveBayes,
    RandomForest,
    Svm,
    /// Ordinary least squares on a number label: `model` is the predicted
    /// value, not a probability.
    Linear,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "logistic" => Some(Kind::Logistic),
            "decision_tree" => Some(Kind::DecisionTree),
            "naive_bayes" => Some(Kind::NaiveBayes),
            "random_forest" => Some(Kind::RandomForest),
            "svm" => Some(Kind::Svm),
            "linear" => Some(Kind::Linear),
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
            Kind::Linear => "linear",
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
            Kind::Linear => &[],
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

/// Ordinary least squares (linfa-linear, with an intercept) on (`x`, `y`):
/// the predicted value for each row of `test`.
pub fn fit_predict_value(
    x: Array2<f64>,
    y: &[f64],
    test: &Array2<f64>,
) -> Result<Vec<f64>, String> {
    let data = Dataset::new(x, Array1::from(y.to_vec()));
    let model = linfa_linear::LinearRegression::new()
        .fit(&data)
        .map_err(|e| format!("linear regression: {e}"))?;
    Ok(model.predict(test).to_vec())
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
            // One CART tree on every row, every feature tried at each split
            // (`forest.rs`): deterministic at any training size, which
            // linfa-trees' hash-order tie-breaks are not.
            let f = super::forest::ForestConfig {
                trees: 1,
                max_depth: cfg.max_depth,
                max_features: x.ncols(),
                min_samples_split: cfg.min_samples_split,
                seed: 0,
                bootstrap: false,
            };
            Ok(super::forest::fit_predict(&f, &x, y, test))
        }
        Kind::RandomForest => {
            let f = super::forest::ForestConfig {
                trees: cfg.trees,
                max_depth: cfg.max_depth,
                max_features: cfg.max_features,
                min_samples_split: cfg.min_samples_split,
                seed: cfg.seed,
                bootstrap: true,
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
        Kind::Linear => Err("a linear model predicts a value: fit_predict_value".into()),
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
    fn least_squares_by_hand() {
        // y = 2 + 3x exactly: the fit recovers it.
        let x = Array2::from_shape_vec((4, 1), vec![0.0, 1.0, 2.0, 3.0]).unwrap();
        let y = [2.0, 5.0, 8.0, 11.0];
        let test = Array2::from_shape_vec((1, 1), vec![10.0]).unwrap();
        let p = fit_predict_value(x, &y, &test).unwrap();
        assert!((p[0] - 32.0).abs() < 1e-9, "{p:?}");
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
