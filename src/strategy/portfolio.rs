//! The `[portfolio]` table of a strategy file: the universe's symbols and,
//! for an allocation strategy, the rebalance schedule, the per-symbol score,
//! the selection and the weights, parsed strictly with line:column errors.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::compile::{Plan, Scope, Type};
use super::parser::{parse, Expr, ExprError};
use super::source::{ExprText, Source};
use crate::error::Result;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPortfolio {
    rebalance: Option<Spanned<RawSchedule>>,
    score: Option<Spanned<String>>,
    select: Option<Spanned<String>>,
    weights: Option<Spanned<String>>,
    symbols: Option<Vec<String>>,
    gross: Option<Spanned<f64>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum RawSchedule {
    Bars(i64),
    Name(String),
}

/// When an allocation rebalances.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    /// Every bar.
    Daily,
    /// The first bar of each ISO week, calendar month, quarter or year
    /// (the data's first bar included).
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
    /// Every N bars from the first.
    Every(usize),
}

/// A count that is a number or a parameter's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Count {
    Fixed(usize),
    Param(String),
}

impl Count {
    pub fn get(&self, params: &BTreeMap<String, f64>) -> usize {
        match self {
            Count::Fixed(n) => *n,
            Count::Param(p) => params.get(p).copied().unwrap_or(0.0).max(0.0) as usize,
        }
    }
}

/// Which symbols an allocation holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Select {
    All,
    Top(Count),
    Bottom(Count),
}

/// How the selected symbols are weighted.
#[derive(Debug, Clone)]
pub enum Weights {
    Equal,
    /// Proportional to 1/σ of the last N close-to-close returns (ddof 1).
    InverseVolatility(Count),
    /// Proportional to the score (negative scores count as 0).
    Score,
    /// An expression per symbol.
    Expr(Expr, ExprText),
}

/// An allocation: rebalance to target weights on a schedule.
#[derive(Debug, Clone)]
pub struct Allocation {
    pub schedule: Schedule,
    pub score: Option<(Expr, ExprText)>,
    pub select: Select,
    pub weights: Weights,
    /// The weights sum to this (1 by default); the rest stays in cash.
    pub gross: f64,
}

/// A checked `[portfolio]` table.
#[derive(Debug, Clone)]
pub struct PortfolioSpec {
    /// The symbols to trade, in this order (default: the whole universe).
    pub symbols: Option<Vec<String>>,
    /// Rebalancing to target weights; None for signals per symbol.
    pub allocation: Option<Allocation>,
}

/// `name(N)` with N a whole number or a parameter name.
fn call_count(
    text: &str,
    name: &str,
    params: &[String],
) -> Option<std::result::Result<Count, String>> {
    let inner = text
        .strip_prefix(name)?
        .trim()
        .strip_prefix('(')?
        .strip_suffix(')')?
        .trim();
    Some(match inner.parse::<usize>() {
        Ok(0) => Err(format!("{name}(0): the count must be at least 1")),
        Ok(n) => Ok(Count::Fixed(n)),
        Err(_) if params.iter().any(|p| p == inner) => Ok(Count::Param(inner.to_string())),
        Err(_) => Err(format!(
            "{name}({inner}): expected a whole number or a parameter name"
        )),
    })
}

impl PortfolioSpec {
    pub(crate) fn parse(
        raw: RawPortfolio,
        text: &str,
        source: &Source,
        params: &[String],
    ) -> Result<PortfolioSpec> {
        let err = |span: std::ops::Range<usize>, m: &str| source.error(span, m);
        if raw.symbols.as_ref().is_some_and(|v| v.is_empty()) {
            let off = text.find("symbols").unwrap_or(0);
            return Err(err(
                off..off + 7,
                "symbols = [] selects nothing: list at least one symbol, or leave it out for all",
            ));
        }
        let expr = |v: &Spanned<String>| -> Result<(Expr, ExprText)> {
            let et = ExprText::in_toml(v.get_ref(), v.span(), text);
            let e = parse(&et.text).map_err(|e| et.error(source, &e))?;
            Ok((e, et))
        };
        if let Some(g) = &raw.gross {
            if !(*g.get_ref() > 0.0 && *g.get_ref() <= 1.0) {
                return Err(err(
                    g.span(),
                    &format!(
                        "gross = {} is out of range: a fraction in (0, 1]",
                        g.get_ref()
                    ),
                ));
            }
        }
        let Some(rebalance) = raw.rebalance else {
            for (name, v) in [
                ("score", &raw.score),
                ("select", &raw.select),
                ("weights", &raw.weights),
            ] {
                if let Some(v) = v {
                    return Err(err(
                        v.span(),
                        &format!("{name} needs rebalance (an allocation strategy)"),
                    ));
                }
            }
            return Ok(PortfolioSpec {
                symbols: raw.symbols,
                allocation: None,
            });
        };
        let schedule = match rebalance.get_ref() {
            RawSchedule::Bars(n) if *n >= 1 => Schedule::Every(*n as usize),
            RawSchedule::Bars(n) => {
                return Err(err(rebalance.span(), &format!("rebalance = {n}: every N bars needs N >= 1")))
            }
            RawSchedule::Name(s) => match s.as_str() {
                "daily" => Schedule::Daily,
                "weekly" => Schedule::Weekly,
                "monthly" => Schedule::Monthly,
                "quarterly" => Schedule::Quarterly,
                "yearly" => Schedule::Yearly,
                other => {
                    return Err(err(
                        rebalance.span(),
                        &format!("unknown rebalance '{other}': expected daily, weekly, monthly, quarterly, yearly or a number of bars"),
                    ))
                }
            },
        };
        let score = raw.score.as_ref().map(expr).transpose()?;
        let select = match &raw.select {
            None => Select::All,
            Some(v) => {
                let t = v.get_ref().trim();
                if t == "all" {
                    Select::All
                } else if let Some(c) = call_count(t, "top", params) {
                    Select::Top(c.map_err(|m| err(v.span(), &m))?)
                } else if let Some(c) = call_count(t, "bottom", params) {
                    Select::Bottom(c.map_err(|m| err(v.span(), &m))?)
                } else {
                    return Err(err(
                        v.span(),
                        &format!("unknown select '{t}': expected all, top(N) or bottom(N)"),
                    ));
                }
            }
        };
        let weights = match &raw.weights {
            None => Weights::Equal,
            Some(v) => {
                let t = v.get_ref().trim();
                if t == "equal" {
                    Weights::Equal
                } else if t == "score" {
                    Weights::Score
                } else if let Some(c) = call_count(t, "inverse_volatility", params) {
                    let c = c.map_err(|m| err(v.span(), &m))?;
                    if c == Count::Fixed(1) {
                        return Err(err(
                            v.span(),
                            "inverse_volatility(1): a standard deviation needs at least 2 returns",
                        ));
                    }
                    Weights::InverseVolatility(c)
                } else {
                    let (e, et) = expr(v)?;
                    Weights::Expr(e, et)
                }
            }
        };
        let needs_score = !matches!(select, Select::All) || matches!(weights, Weights::Score);
        if needs_score && score.is_none() {
            return Err(err(
                raw.select
                    .as_ref()
                    .or(raw.weights.as_ref())
                    .map_or(0..0, |v| v.span()),
                "top(N), bottom(N) and score weights need a score expression",
            ));
        }
        Ok(PortfolioSpec {
            symbols: raw.symbols,
            allocation: Some(Allocation {
                schedule,
                score,
                select,
                weights,
                gross: raw.gross.map_or(1.0, |g| *g.get_ref()),
            }),
        })
    }
}

/// Compiles a per-symbol number expression (a score or a weight).
pub fn compile_number(
    e: &Expr,
    et: &ExprText,
    source: &Source,
    params: &BTreeMap<String, f64>,
    plan: &mut Plan,
) -> Result<usize> {
    let scope = Scope {
        params: params.clone(),
        cross_sectional: true,
        ..Scope::default()
    };
    let (id, ty) = plan.compile(e, &scope).map_err(|x| et.error(source, &x))?;
    if ty != Type::Number {
        return Err(et.error(
            source,
            &ExprError::new(
                e.span.clone(),
                "a score or weight must be a number, not a condition",
            ),
        ));
    }
    Ok(id)
}
