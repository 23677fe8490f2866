//! Evaluating named expressions over a dataset (what `tradelab eval` does):
//! parse and check them all first, then compute them in one plan so shared
//! sub-expressions are computed once. With a strategy and no expressions,
//! its signals and its model's predictions.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::data::Candles;
use crate::error::{Error, Result};
use crate::indicators::Bars;
use crate::strategy::request::Request;
use crate::strategy::source::{ExprText, Source};
use crate::strategy::{
    parse, ColumnCache, Evaluator, Plan, Scope, Strategy, Type, LABEL_COLUMN, MODEL_COLUMN,
};

/// An evaluated column.
#[derive(Debug, Clone)]
pub struct Output {
    pub name: String,
    pub ty: Type,
    pub values: Arc<Vec<f64>>,
}

/// Evaluates `requests` (or, when empty, the strategy's signals) over
/// `candles` with these parameter values.
pub fn evaluate(
    candles: &Candles,
    strategy: Option<&Strategy>,
    params: &BTreeMap<String, f64>,
    requests: &[Request],
    cache: &ColumnCache,
) -> Result<Vec<Output>> {
    let mut plan = Plan::default();
    let mut roots = Vec::new();
    let mut model = match strategy {
        Some(s) => super::model(s, params, candles, cache)?,
        None => None,
    };
    let scope = Scope {
        params: params.clone(),
        // With a model: its predictions (`model`) and its label (`label`).
        externals: model
            .iter()
            .flat_map(|_| [MODEL_COLUMN.to_string(), LABEL_COLUMN.to_string()])
            .collect(),
        future: false,
        cross_sectional: false,
        spacing_ms: Some(candles.spacing_ms),
        ..Scope::default()
    };
    if requests.is_empty() {
        let Some(s) = strategy else {
            return Err(Error::Usage(
                "nothing to evaluate: give an expression or a strategy".into(),
            ));
        };
        let prepared = super::prepare(s, params, candles, cache, HashMap::new())?;
        model = prepared.model;
        plan = prepared.compiled.plan;
        for (name, id) in prepared.compiled.signals {
            roots.push((name.to_string(), id, Type::Bool));
        }
    }
    let mut seen = std::collections::HashSet::new();
    for r in requests {
        if !seen.insert(r.name.clone()) {
            return Err(Error::Usage(format!(
                "two expressions are named '{}'",
                r.name
            )));
        }
        let source = Source {
            name: r.label.clone(),
            text: r.expr.clone(),
        };
        let et = ExprText::standalone(&r.expr);
        let e = parse(&r.expr).map_err(|x| et.error(&source, &x))?;
        let (id, ty) = plan
            .compile(&e, &scope)
            .map_err(|x| et.error(&source, &x))?;
        roots.push((r.name.clone(), id, ty));
    }
    let mut ev = Evaluator::new(Bars::of(candles), &candles.ts, cache);
    if let Some(m) = &model {
        ev.externals
            .insert(MODEL_COLUMN.to_string(), Arc::clone(&m.prob));
        ev.externals
            .insert(LABEL_COLUMN.to_string(), Arc::new(m.label.clone()));
    }
    let ids: Vec<usize> = roots.iter().map(|r| r.1).collect();
    let vals = ev.eval(&plan, &ids);
    let mut out: Vec<Output> = roots
        .into_iter()
        .zip(vals)
        .map(|((name, _, ty), v)| Output {
            name,
            ty,
            values: v.to_column(candles.len()),
        })
        .collect();
    // A strategy's own columns: its signals, then its model's predictions.
    if let (true, Some(m)) = (requests.is_empty(), model) {
        out.push(Output {
            name: MODEL_COLUMN.to_string(),
            ty: Type::Number,
            values: Arc::clone(&m.prob),
        });
    }
    Ok(out)
}
