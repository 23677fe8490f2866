//! The `[model]` table of a strategy file: model kind, feature and label
//! expressions, the walk-forward schedule and hyperparameters (numbers or
//! names of `[params]`), parsed strictly and compiled per parameter set.

use std::any::Any;
use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::models::{Kind, ModelConfig};
use crate::error::Result;
use crate::strategy::compile::{nearest, Node, NodeId, Plan, Scope, Type};
use crate::strategy::parser::{parse, Expr, ExprError};
use crate::strategy::source::{ExprText, Source};
use crate::strategy::{ModelTable, Strategy};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModel {
    kind: Spanned<String>,
    features: Spanned<Vec<Spanned<String>>>,
    label: Spanned<String>,
    horizon: Option<Spanned<i64>>,
    train_bars: Spanned<i64>,
    retrain_every: Spanned<i64>,
    alpha: Option<Spanned<Hyper>>,
    max_iterations: Option<Spanned<Hyper>>,
    max_depth: Option<Spanned<Hyper>>,
    min_samples_split: Option<Spanned<Hyper>>,
    var_smoothing: Option<Spanned<Hyper>>,
    trees: Option<Spanned<Hyper>>,
    max_features: Option<Spanned<Hyper>>,
    seed: Option<Spanned<Hyper>>,
    c: Option<Spanned<Hyper>>,
    kernel: Option<Spanned<Hyper>>,
    gamma: Option<Spanned<Hyper>>,
}

/// A hyperparameter: a number, or the name of a `[params]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Hyper {
    Int(i64),
    Float(f64),
    Param(String),
}

/// A checked `[model]` table.
#[derive(Debug, Clone)]
pub struct ModelSpec {
    pub kind: Kind,
    pub features: Vec<(Expr, ExprText)>,
    pub label: (Expr, ExprText),
    /// Bars the label looks ahead; `None`: as far as the label reads.
    pub horizon: Option<usize>,
    pub train_bars: usize,
    pub retrain_every: usize,
    /// (name, value, byte range in the file) of each hyperparameter given.
    pub hypers: Vec<(&'static str, Hyper, std::ops::Range<usize>)>,
}

/// A model compiled for one parameter set: one plan holding the features
/// and the label, and the resolved schedule and hyperparameters.
#[derive(Debug, Clone)]
pub struct CompiledModel {
    pub plan: Plan,
    pub features: Vec<NodeId>,
    pub label: NodeId,
    /// For a triple-barrier label: the bars until each row's label is
    /// decided, so a refit may train on rows resolved before it.
    pub label_end: Option<NodeId>,
    pub horizon: usize,
    pub train_bars: usize,
    pub retrain_every: usize,
    pub config: ModelConfig,
}

fn positive(v: &Spanned<i64>, name: &str, min: i64, source: &Source) -> Result<usize> {
    let x = *v.get_ref();
    if x < min {
        return Err(source.error(v.span(), &format!("{name} must be at least {min}, got {x}")));
    }
    Ok(x as usize)
}

/// The `[model]` table of a strategy file, read from the file's text.
#[derive(Deserialize)]
struct ModelOnly {
    model: Option<RawModel>,
}

/// Parses a strategy file's `[model]` table: the `ModelParser` that
/// `tradelab::pipeline::load` hands to the strategy module.
pub fn parse_table(text: &str, source: &Source) -> Result<Option<Arc<dyn ModelTable>>> {
    let raw: ModelOnly = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        source.error(span, e.message().trim())
    })?;
    match raw.model {
        Some(m) => Ok(Some(Arc::new(ModelSpec::parse(m, text, source)?))),
        None => Ok(None),
    }
}

impl ModelTable for ModelSpec {
    fn check(&self, params: &BTreeMap<String, f64>, source: &Source) -> Result<()> {
        self.compile(params, source).map(|_| ())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The `[model]` table of a strategy, if it has one.
pub fn of(strategy: &Strategy) -> Option<&ModelSpec> {
    strategy
        .model
        .as_ref()
        .and_then(|m| m.as_any().downcast_ref::<ModelSpec>())
}

impl CompiledModel {
    /// What decides the model's predictions on one dataset: the canonical
    /// text of every feature and of the label (parameters resolved), the
    /// schedule and the hyperparameters. Equal keys give equal columns.
    pub fn key(&self) -> String {
        let mut k = String::from("model[");
        for &f in &self.features {
            k.push_str(&self.plan.keys[f]);
            k.push(';');
        }
        k.push_str(&format!(
            "label={};horizon={};train={};every={};{:?}]",
            self.plan.keys[self.label],
            self.horizon,
            self.train_bars,
            self.retrain_every,
            self.config
        ));
        k
    }
}

impl ModelSpec {
    fn parse(raw: RawModel, text: &str, source: &Source) -> Result<ModelSpec> {
        let kind = Kind::parse(raw.kind.get_ref()).ok_or_else(|| {
            source.error(
                raw.kind.span(),
                &format!(
                    "unknown model kind '{}': expected logistic, decision_tree, naive_bayes, random_forest or svm",
                    raw.kind.get_ref()
                ),
            )
        })?;
        let expr = |v: &Spanned<String>| -> Result<(Expr, ExprText)> {
            let et = ExprText::in_toml(v.get_ref(), v.span(), text);
            let e = parse(&et.text).map_err(|e| et.error(source, &e))?;
            Ok((e, et))
        };
        if raw.features.get_ref().is_empty() {
            return Err(source.error(
                raw.features.span(),
                "features needs at least one expression",
            ));
        }
        let features = raw
            .features
            .get_ref()
            .iter()
            .map(expr)
            .collect::<Result<Vec<_>>>()?;
        let label = expr(&raw.label)?;
        let horizon = match &raw.horizon {
            Some(h) => Some(positive(h, "horizon", 0, source)?),
            None => None,
        };
        let train_bars = positive(&raw.train_bars, "train_bars", 20, source)?;
        let retrain_every = positive(&raw.retrain_every, "retrain_every", 1, source)?;
        let mut hypers = Vec::new();
        for (name, v) in [
            ("alpha", raw.alpha),
            ("max_iterations", raw.max_iterations),
            ("max_depth", raw.max_depth),
            ("min_samples_split", raw.min_samples_split),
            ("var_smoothing", raw.var_smoothing),
            ("trees", raw.trees),
            ("max_features", raw.max_features),
            ("seed", raw.seed),
            ("c", raw.c),
            ("kernel", raw.kernel),
            ("gamma", raw.gamma),
        ] {
            if let Some(v) = v {
                if !kind.takes(name) {
                    return Err(source.error(
                        v.span(),
                        &format!(
                            "{name} does not apply to a {} model (it takes: {})",
                            kind.name(),
                            kind.hypers().join(", ")
                        ),
                    ));
                }
                hypers.push((name, v.get_ref().clone(), v.span()));
            }
        }
        Ok(ModelSpec {
            kind,
            features,
            label,
            horizon,
            train_bars,
            retrain_every,
            hypers,
        })
    }

    /// Compiles features (no look-ahead allowed) and the label (negative
    /// shifts allowed, up to `horizon` bars) with these parameter values.
    pub fn compile(
        &self,
        params: &BTreeMap<String, f64>,
        source: &Source,
    ) -> Result<CompiledModel> {
        let mut plan = Plan::default();
        let mut scope = Scope {
            params: params.clone(),
            ..Scope::default()
        };
        let mut features = Vec::new();
        for (e, et) in &self.features {
            let (id, _) = plan.compile(e, &scope).map_err(|x| et.error(source, &x))?;
            features.push(id);
        }
        scope.future = true;
        let (e, et) = &self.label;
        let (label, ty) = plan.compile(e, &scope).map_err(|x| et.error(source, &x))?;
        let fail = |m: String| et.error(source, &ExprError::new(e.span.clone(), m));
        let linear = self.kind == super::models::Kind::Linear;
        if linear && ty != Type::Number {
            return Err(fail(
                "a linear model's label is a number to predict, e.g. 'shift(close, -5) / close - 1'".into(),
            ));
        }
        if !linear && ty != Type::Bool {
            return Err(fail(
                "the label must be a condition, e.g. 'shift(close, -5) > close'".into(),
            ));
        }
        let label_end = match barrier_call(e) {
            Some(call) => {
                let (id, _) = plan
                    .compile(&end_of(call), &scope)
                    .map_err(|x| et.error(source, &x))?;
                Some(id)
            }
            None => None,
        };
        let reach = lookahead(&plan, label);
        let horizon = match self.horizon {
            Some(h) if reach > h => {
                return Err(fail(format!(
                    "the label reads {reach} bars ahead but horizon is {h}: training rows would use prices not yet known"
                )))
            }
            Some(h) => h,
            None => reach,
        };
        let mut config = ModelConfig::new(self.kind);
        for (name, v, span) in &self.hypers {
            let value = match v {
                Hyper::Int(i) => *i as f64,
                Hyper::Float(f) => *f,
                Hyper::Param(p) => match params.get(p) {
                    Some(v) => *v,
                    None => {
                        let hint = nearest(p, params.keys().map(String::as_str))
                            .map_or(String::new(), |s| format!("; did you mean '{s}'?"));
                        return Err(source.error(
                            span.clone(),
                            &format!("{name} = '{p}' names no parameter{hint}"),
                        ));
                    }
                },
            };
            config
                .set(name, value)
                .map_err(|m| source.error(span.clone(), &m))?;
        }
        Ok(CompiledModel {
            plan,
            features,
            label,
            label_end,
            horizon,
            train_bars: self.train_bars,
            retrain_every: self.retrain_every,
            config,
        })
    }
}

/// The label's triple_barrier call, when it has one (alone or inside only()).
fn barrier_call(e: &Expr) -> Option<&Expr> {
    use crate::strategy::parser::ExprKind;
    match &e.kind {
        ExprKind::Call { name, .. } if name == "triple_barrier" => Some(e),
        ExprKind::Call { args, .. } => args.iter().find_map(barrier_call),
        ExprKind::Neg(a) | ExprKind::Not(a) => barrier_call(a),
        ExprKind::Binary(_, a, b) => barrier_call(a).or_else(|| barrier_call(b)),
        _ => None,
    }
}

/// The same triple_barrier call asking for its end ("end" as the 6th argument).
fn end_of(call: &Expr) -> Expr {
    use crate::strategy::parser::ExprKind;
    let mut e = call.clone();
    if let ExprKind::Call { args, .. } = &mut e.kind {
        for (k, d) in ["zero", "close"].iter().enumerate() {
            if args.len() <= 3 + k {
                args.push(Expr {
                    kind: ExprKind::Text(d.to_string()),
                    span: call.span.clone(),
                });
            }
        }
        args.truncate(5);
        args.push(Expr {
            kind: ExprKind::Text("end".into()),
            span: call.span.clone(),
        });
    }
    e
}

/// How many bars ahead a node reads: the sum of negative shifts along the
/// deepest path (windows only look back, so they add nothing).
pub fn lookahead(plan: &Plan, id: NodeId) -> usize {
    let mut memo = vec![None; plan.nodes.len()];
    fn go(plan: &Plan, id: NodeId, memo: &mut Vec<Option<usize>>) -> usize {
        if let Some(v) = memo[id] {
            return v;
        }
        let v = match &plan.nodes[id] {
            // on(...) refuses negative shifts: it never reads ahead.
            Node::Const(_) | Node::Column(_) | Node::External(_) | Node::On(_) => 0,
            Node::Neg(a) | Node::Not(a) => go(plan, *a, memo),
            Node::Binary(_, a, b) => go(plan, *a, memo).max(go(plan, *b, memo)),
            Node::Call { spec, inputs, args } => {
                let own = if spec.name == "shift" && args[0] < 0.0 {
                    (-args[0]) as usize
                } else if spec.name == "triple_barrier" {
                    // It reads up to horizon bars after t.
                    args[0] as usize
                } else {
                    0
                };
                own + inputs.iter().map(|&i| go(plan, i, memo)).max().unwrap_or(0)
            }
        };
        memo[id] = Some(v);
        v
    }
    go(plan, id, &mut memo)
}
