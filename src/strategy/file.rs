//! The strategy file format (TOML): name, description, default data,
//! `[params]`, `[signals]` and `[execution]`, parsed strictly (unknown keys
//! are errors) and checked before anything runs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::compile::{nearest, NodeId, Plan, Scope, Type, COLUMNS};
use super::external::{ModelParser, ModelTable, MODEL_COLUMN};
use super::orders::{OrderSpec, RawOrders};
use super::parser::{parse, Expr};
use super::portfolio::{PortfolioSpec, RawPortfolio};
use super::source::{ExprText, Source};
pub use crate::engine::{Execution, Fill};
use crate::error::{Error, Location, Result};
use crate::indicators::lookup;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    name: String,
    #[serde(default)]
    description: String,
    data: Option<RawData>,
    #[serde(default)]
    params: BTreeMap<String, Spanned<RawParam>>,
    #[serde(default)]
    signals: RawSignals,
    portfolio: Option<RawPortfolio>,
    orders: Option<RawOrders>,
    #[serde(default)]
    execution: Execution,
    /// Read by the model parser from the file's text; here only its presence.
    model: Option<toml::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParam {
    default: Option<Num>,
    min: Option<Num>,
    max: Option<Num>,
    step: Option<Num>,
    values: Option<Vec<Num>>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(untagged)]
enum Num {
    Int(i64),
    Float(f64),
}

impl Num {
    fn value(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }
}

/// `data = "file"` or, for a portfolio, `data = ["a.csv", "b.csv"]`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawData {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSignals {
    long_entry: Option<Spanned<String>>,
    long_exit: Option<Spanned<String>>,
    short_entry: Option<Spanned<String>>,
    short_exit: Option<Spanned<String>>,
    constraint: Option<Spanned<String>>,
}

/// Whether a parameter takes integers or any number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamKind {
    Int,
    Float,
}

/// One `[params]` entry, checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamDef {
    pub name: String,
    pub kind: ParamKind,
    pub default: f64,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub step: Option<f64>,
    pub values: Option<Vec<f64>>,
}

impl ParamDef {
    /// Why `v` is not an allowed value, if it is not.
    pub fn reject(&self, v: f64) -> Option<String> {
        let n = &self.name;
        if !v.is_finite() {
            return Some(format!("{n} = {v} is not a finite number"));
        }
        if self.kind == ParamKind::Int && v.fract() != 0.0 {
            return Some(format!("parameter '{n}' takes integers, got {v}"));
        }
        if let Some(vals) = &self.values {
            if !vals.contains(&v) {
                let list: Vec<String> = vals.iter().map(|x| x.to_string()).collect();
                return Some(format!(
                    "{n} = {v} is not one of its values [{}]",
                    list.join(", ")
                ));
            }
        }
        let (lo, hi) = (
            self.min.unwrap_or(f64::NEG_INFINITY),
            self.max.unwrap_or(f64::INFINITY),
        );
        if v < lo || v > hi {
            let show = |x: Option<f64>| x.map_or(String::new(), |x| x.to_string());
            return Some(format!(
                "{n} = {v} is outside its range {}..{}",
                show(self.min),
                show(self.max)
            ));
        }
        None
    }
}

/// The signal names a strategy may define, in order.
pub const SIGNALS: [&str; 4] = ["long_entry", "long_exit", "short_entry", "short_exit"];

/// A parsed and checked strategy file.
#[derive(Debug, Clone)]
pub struct Strategy {
    pub name: String,
    pub description: String,
    pub path: PathBuf,
    /// The default dataset, resolved relative to the file.
    pub data: Option<PathBuf>,
    /// Every default data file (several for a portfolio over single-symbol files).
    pub data_files: Vec<PathBuf>,
    pub params: Vec<ParamDef>,
    /// (signal name, parsed expression, its text and place).
    pub signals: Vec<(&'static str, Expr, ExprText)>,
    pub constraint: Option<(Expr, ExprText)>,
    pub execution: Execution,
    /// `KEY=VALUE` changes made to `execution` after loading (`--exec`).
    pub exec_overrides: Vec<String>,
    /// The `[model]` table: its predictions are the `model` column.
    pub model: Option<Arc<dyn ModelTable>>,
    /// The `[portfolio]` table: a strategy over a universe.
    pub portfolio: Option<PortfolioSpec>,
    /// The `[orders]` table: limit, stop or stop-limit entries.
    pub orders: Option<OrderSpec>,
    /// When `on(...)`'s values become visible: `End` always, but in the
    /// tests that show `lookahead` catching the wrong choice.
    pub on_alignment: super::timeframe::Alignment,
    pub source: Source,
}

/// A strategy compiled for one set of parameter values.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub plan: Plan,
    /// (signal name, its node), in `SIGNALS` order, then the entry orders'
    /// `limit_price` and `stop_price` columns.
    pub signals: Vec<(&'static str, NodeId)>,
    /// The entry orders' kind and expiry, with an `[orders]` table.
    pub orders: Option<(crate::engine::EntryKind, Option<usize>)>,
}

impl Strategy {
    /// Reads and checks a strategy file; `model` parses its `[model]` table
    /// (`tradelab::pipeline::load` passes the ML one).
    pub fn load(path: &Path, model: Option<ModelParser>) -> Result<Strategy> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?;
        Strategy::parse(&text, path, model)
    }

    /// Parses and checks a strategy file's text. Without a model parser a
    /// `[model]` table is refused.
    pub fn parse(text: &str, path: &Path, model: Option<ModelParser>) -> Result<Strategy> {
        let source = Source {
            name: path.display().to_string(),
            text: text.to_string(),
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            source.error(span, e.message().trim())
        })?;
        let key_err = |key: &str, msg: String| {
            let offset = text.find(&format!("\n{key}")).map_or(0, |i| i + 1);
            source.error(offset..offset + key.len(), &msg)
        };
        if let Some((key, msg)) = raw.execution.invalid() {
            return Err(key_err(key, msg));
        }
        let mut params = Vec::new();
        for (name, p) in &raw.params {
            let def = param_def(name, p.get_ref()).map_err(|m| source.error(p.span(), &m))?;
            params.push(def);
        }
        let mut signals = Vec::new();
        let s = &raw.signals;
        for (name, v) in
            SIGNALS
                .iter()
                .zip([&s.long_entry, &s.long_exit, &s.short_entry, &s.short_exit])
        {
            if let Some(v) = v {
                let et = ExprText::in_toml(v.get_ref(), v.span(), text);
                let e = parse(&et.text).map_err(|e| et.error(&source, &e))?;
                signals.push((*name, e, et));
            }
        }
        let names: Vec<String> = params.iter().map(|p: &ParamDef| p.name.clone()).collect();
        let portfolio = raw
            .portfolio
            .map(|p| PortfolioSpec::parse(p, text, &source, &names))
            .transpose()?;
        let at = |key: &str| {
            let off = text.find(key).unwrap_or(0);
            off..off + key.len()
        };
        let allocation = portfolio.as_ref().is_some_and(|p| p.allocation.is_some());
        if allocation && !signals.is_empty() {
            return Err(source.error(
                at("[signals]"),
                "an allocation (rebalance) and [signals] in one strategy are not supported yet: use one or the other",
            ));
        }
        if portfolio.is_some() && raw.model.is_some() {
            return Err(source.error(
                at("[model]"),
                "a [model] in a portfolio strategy is not supported yet",
            ));
        }
        if portfolio.is_some() && s.short_entry.is_some() {
            return Err(source.error(
                at("short_entry"),
                "portfolio strategies trade long only for now: short_entry is not supported",
            ));
        }
        if !allocation && !signals.iter().any(|(n, ..)| n.ends_with("entry")) {
            let msg = if text.contains("[signals]") {
                "[signals] needs long_entry or short_entry"
            } else {
                "missing [signals]: a strategy needs long_entry or short_entry (or a [portfolio] that rebalances)"
            };
            return Err(source.error(at("[signals]"), msg));
        }
        let constraint = match &s.constraint {
            Some(v) => {
                let et = ExprText::in_toml(v.get_ref(), v.span(), text);
                let e = parse(&et.text).map_err(|e| et.error(&source, &e))?;
                Some((e, et))
            }
            None => None,
        };
        let model = match (&raw.model, model) {
            (None, _) => None,
            (Some(_), Some(parser)) => parser(text, &source)?,
            (Some(_), None) => {
                let off = text.find("[model]").unwrap_or(0);
                return Err(source.error(
                    off..off + 7,
                    "a [model] table needs the ML signals of tradelab::pipeline::load",
                ));
            }
        };
        let orders = raw
            .orders
            .map(|o| OrderSpec::parse(o, text, &source))
            .transpose()?;
        if let Some(o) = orders
            .as_ref()
            .filter(|o| o.kind != crate::engine::EntryKind::Market)
        {
            let _ = o;
            if portfolio.as_ref().is_some_and(|p| p.allocation.is_some()) {
                return Err(source.error(
                    at("[orders]"),
                    "entry orders follow entry signals: a portfolio that allocates (select, weights or rebalance) trades to target weights at its closes; use long_entry and long_exit signals",
                ));
            }
            if raw.execution.fill == crate::engine::Fill::Close {
                return Err(source.error(
                    at("[orders]"),
                    "entry orders are placed at a close and fill from the next bar: they need fill = \"next_open\"",
                ));
            }
        }
        let resolve = |d: &String| normalize(&path.parent().unwrap_or(Path::new("")).join(d));
        let data_files: Vec<PathBuf> = match &raw.data {
            None => Vec::new(),
            Some(RawData::One(d)) => vec![resolve(d)],
            Some(RawData::Many(list)) => list.iter().map(resolve).collect(),
        };
        if data_files.len() > 1 && portfolio.is_none() {
            return Err(source.error(
                at("data"),
                "several data files make a universe: add a [portfolio] table",
            ));
        }
        let data = data_files.first().cloned();
        let strategy = Strategy {
            name: raw.name,
            description: raw.description,
            path: path.to_path_buf(),
            data,
            params,
            signals,
            constraint,
            execution: raw.execution,
            exec_overrides: Vec::new(),
            portfolio,
            orders,
            data_files,
            model,
            source,
            on_alignment: Default::default(),
        };
        // Check every expression now, with the defaults, so that unknown
        // names and type errors surface before anything runs.
        let defaults = strategy.defaults();
        strategy.constraint_holds(&defaults)?;
        strategy.compile(&defaults)?;
        if let Some(m) = &strategy.model {
            m.check(&defaults, &strategy.source)?;
        }
        if let Some(a) = strategy
            .portfolio
            .as_ref()
            .and_then(|p| p.allocation.as_ref())
        {
            let mut plan = Plan::default();
            let weight = match &a.weights {
                super::portfolio::Weights::Expr(e, et) => Some((e, et)),
                _ => None,
            };
            for (e, et) in a.score.iter().map(|(e, et)| (e, et)).chain(weight) {
                super::portfolio::compile_number(e, et, &strategy.source, &defaults, &mut plan)?;
            }
        }
        Ok(strategy)
    }

    /// The default parameter values.
    pub fn defaults(&self) -> BTreeMap<String, f64> {
        self.params
            .iter()
            .map(|p| (p.name.clone(), p.default))
            .collect()
    }

    /// Applies `name=value` overrides to the defaults, checking each value.
    pub fn with_overrides(&self, sets: &[String]) -> Result<BTreeMap<String, f64>> {
        let mut values = self.defaults();
        for s in sets {
            let Some((name, value)) = s.split_once('=') else {
                return Err(Error::Usage(format!("expects NAME=VALUE, got '{s}'")));
            };
            let (name, value) = (name.trim(), value.trim());
            let Some(def) = self.params.iter().find(|p| p.name == name) else {
                let names: Vec<&str> = self.params.iter().map(|p| p.name.as_str()).collect();
                let hint = match nearest(name, names.iter().copied()) {
                    Some(s) => format!("did you mean '{s}'?"),
                    None if names.is_empty() => "it has no parameters".to_string(),
                    None => format!("it has: {}", names.join(", ")),
                };
                return Err(Error::Usage(format!(
                    "{s}: strategy '{}' has no parameter '{name}'; {hint}",
                    self.name
                )));
            };
            let v: f64 = value
                .parse()
                .map_err(|_| Error::Usage(format!("{s}: '{value}' is not a number")))?;
            if let Some(why) = def.reject(v) {
                return Err(Error::Usage(format!("{s}: {why}")));
            }
            values.insert(name.to_string(), v);
        }
        Ok(values)
    }

    fn scope(&self, params: &BTreeMap<String, f64>) -> Scope {
        Scope {
            params: params.clone(),
            externals: Vec::new(),
            future: false,
            cross_sectional: self.portfolio.is_some(),
            on_alignment: self.on_alignment,
            ..Scope::default()
        }
    }

    /// Whether the parameter values satisfy `signals.constraint` (true
    /// without one). A constraint that reads columns is an error.
    pub fn constraint_holds(&self, params: &BTreeMap<String, f64>) -> Result<bool> {
        let Some((e, et)) = &self.constraint else {
            return Ok(true);
        };
        let mut plan = Plan::default();
        let (id, ty) = plan
            .compile(e, &self.scope(params))
            .map_err(|x| et.error(&self.source, &x))?;
        let bad = |m: &str| et.error(&self.source, &super::ExprError::new(e.span.clone(), m));
        if ty != Type::Bool {
            return Err(bad(
                "the constraint must be a condition on parameters, e.g. 'fast < slow'",
            ));
        }
        match plan.const_value(id) {
            Some(v) => Ok(v != 0.0),
            None => Err(bad(
                "the constraint may use only parameters and numbers, not columns",
            )),
        }
    }

    /// Compiles every signal for these parameter values.
    pub fn compile(&self, params: &BTreeMap<String, f64>) -> Result<Compiled> {
        self.compile_with(params, &[])
    }

    /// Compiles with extra named columns in scope (e.g. a model's predictions).
    pub fn compile_with(
        &self,
        params: &BTreeMap<String, f64>,
        externals: &[String],
    ) -> Result<Compiled> {
        self.compile_for(params, externals, None)
    }

    /// `compile_with` for data of bar spacing `spacing_ms`, against which
    /// `on(...)`'s timeframes are checked.
    pub fn compile_for(
        &self,
        params: &BTreeMap<String, f64>,
        externals: &[String],
        spacing_ms: Option<i64>,
    ) -> Result<Compiled> {
        let mut scope = self.scope(params);
        scope.externals = externals.to_vec();
        scope.spacing_ms = spacing_ms;
        let model = MODEL_COLUMN.to_string();
        if self.model.is_some() && !scope.externals.contains(&model) {
            scope.externals.push(model);
        }
        let mut plan = Plan::default();
        let mut signals = Vec::new();
        for (name, e, et) in &self.signals {
            let (id, ty) = plan
                .compile(e, &scope)
                .map_err(|x| et.error(&self.source, &x))?;
            if ty != Type::Bool {
                let msg = format!("{name} must be a condition (e.g. 'close > sma(close, 20)'), but it is a number");
                return Err(et.error(&self.source, &super::ExprError::new(e.span.clone(), msg)));
            }
            signals.push((*name, id));
        }
        let mut orders = None;
        if let Some(o) = &self.orders {
            for (name, price) in [("limit_price", &o.limit), ("stop_price", &o.stop)] {
                let Some((e, et)) = price else {
                    continue;
                };
                let (id, ty) = plan
                    .compile(e, &scope)
                    .map_err(|x| et.error(&self.source, &x))?;
                if ty != Type::Number {
                    let msg = format!("{name} must be a price (a number), but it is a condition");
                    return Err(et.error(&self.source, &super::ExprError::new(e.span.clone(), msg)));
                }
                signals.push((name, id));
            }
            orders = Some((o.kind, o.expire_bars));
        }
        Ok(Compiled {
            plan,
            signals,
            orders,
        })
    }

    /// The parameter values as `fast=10 slow=20`.
    pub fn describe_params(params: &BTreeMap<String, f64>) -> String {
        params
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn param_def(name: &str, p: &RawParam) -> Result<ParamDef, String> {
    let reserved = COLUMNS.iter().any(|(c, _)| *c == name)
        || lookup(name).is_some()
        || ["and", "or", "not"].contains(&name);
    if reserved {
        return Err(format!(
            "parameter '{name}' has the name of a column, function or keyword"
        ));
    }
    let nums: Vec<Num> = [p.default, p.min, p.max, p.step]
        .into_iter()
        .flatten()
        .chain(p.values.iter().flatten().copied())
        .collect();
    let kind = if nums.iter().all(|n| matches!(n, Num::Int(_))) {
        ParamKind::Int
    } else {
        ParamKind::Float
    };
    let values: Option<Vec<f64>> = p
        .values
        .as_ref()
        .map(|v| v.iter().map(|n| n.value()).collect());
    if let Some(v) = &values {
        if v.is_empty() {
            return Err(format!("parameter '{name}': values is empty"));
        }
        if p.min.is_some() || p.max.is_some() || p.step.is_some() {
            return Err(format!(
                "parameter '{name}': give either values or min/max/step, not both"
            ));
        }
    }
    let (min, max, step) = (
        p.min.map(Num::value),
        p.max.map(Num::value),
        p.step.map(Num::value),
    );
    if let (Some(lo), Some(hi)) = (min, max) {
        if lo > hi {
            return Err(format!(
                "parameter '{name}': min {lo} is greater than max {hi}"
            ));
        }
    }
    if let Some(s) = step {
        if s.is_nan() || s <= 0.0 {
            return Err(format!("parameter '{name}': step must be > 0, got {s}"));
        }
    }
    let default = p
        .default
        .map(Num::value)
        .or_else(|| values.as_ref().map(|v| v[0]))
        .or(min)
        .ok_or_else(|| format!("parameter '{name}' needs a default"))?;
    let def = ParamDef {
        name: name.to_string(),
        kind,
        default,
        min,
        max,
        step,
        values,
    };
    if let Some(why) = def.reject(default) {
        return Err(format!("default {why}"));
    }
    Ok(def)
}

/// `a/b/../c` as `a/c` (lexically; a leading `..` is kept).
fn normalize(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The place of a whole-file problem, for callers outside this module.
pub fn file_error(path: &Path, msg: impl Into<String>) -> Error {
    Error::input(path, Location::File, msg)
}
