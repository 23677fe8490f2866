//! Evaluating named expressions over a dataset (what `tradelab eval` does):
//! parse and check them all first, then compute them in one plan so shared
//! sub-expressions are computed once.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::compile::{Plan, Scope, Type};
use super::eval::{ColumnCache, Evaluator};
use super::file::Strategy;
use super::parser::parse;
use super::source::{ExprText, Source};
use crate::data::Candles;
use crate::error::{Error, Result};
use crate::indicators::Bars;

/// One requested column: `NAME=EXPR`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub name: String,
    pub expr: String,
}

impl Request {
    /// Splits `NAME=EXPR` (a bare expression names itself).
    pub fn parse(s: &str) -> Request {
        if let Some(i) = s.find('=') {
            let (name, rest) = (s[..i].trim(), &s[i + 1..]);
            let ident = !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !name.starts_with(|c: char| c.is_ascii_digit());
            if ident && !rest.starts_with('=') {
                return Request {
                    name: name.to_string(),
                    expr: rest.trim().to_string(),
                };
            }
        }
        Request {
            name: s.trim().to_string(),
            expr: s.trim().to_string(),
        }
    }
}

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
    let model = match strategy {
        Some(s) => crate::ml::run(s, params, candles, cache)?,
        None => None,
    };
    let scope = Scope {
        params: params.clone(),
        externals: model
            .iter()
            .map(|_| crate::ml::COLUMN.to_string())
            .collect(),
        future: false,
    };
    if requests.is_empty() {
        let Some(s) = strategy else {
            return Err(Error::Usage(
                "nothing to evaluate: give -e NAME=EXPR or --strategy FILE".into(),
            ));
        };
        if !s.constraint_holds(params)? {
            return Err(Error::Usage(format!(
                "the parameters break the constraint of '{}' ({})",
                s.name,
                Strategy::describe_params(params)
            )));
        }
        let compiled = s.compile(params)?;
        plan = compiled.plan;
        for (name, id) in compiled.signals {
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
            name: format!("-e {}", r.name),
            text: r.expr.clone(),
        };
        let et = ExprText::standalone(&r.expr);
        let e = parse(&r.expr).map_err(|x| et.error(&source, &x))?;
        let (id, ty) = plan
            .compile(&e, &scope)
            .map_err(|x| et.error(&source, &x))?;
        roots.push((r.name.clone(), id, ty));
    }
    let mut ev = Evaluator::new(Bars::of(candles), cache);
    if let Some(m) = &model {
        ev.externals
            .insert(crate::ml::COLUMN.to_string(), Arc::clone(&m.prob));
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
            name: crate::ml::COLUMN.to_string(),
            ty: Type::Number,
            values: m.prob,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_names() {
        let r = |s: &str| Request::parse(s);
        assert_eq!(
            r("fast=sma(close, 10)"),
            Request {
                name: "fast".into(),
                expr: "sma(close, 10)".into()
            }
        );
        assert_eq!(r("close >= open").name, "close >= open");
        assert_eq!(r("up = close == open").expr, "close == open");
        assert_eq!(r("a==b").name, "a==b");
    }
}
