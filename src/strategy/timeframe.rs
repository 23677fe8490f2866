//! Higher timeframes inside expressions: `on("1d", EXPR)` evaluates EXPR on
//! the bars resampled to that timeframe (`data resample`'s rules) and
//! aligns it back without look-ahead: the value of higher-timeframe bar k
//! becomes visible on the first bar at or after bar k's end (the start of
//! bar k + 1) and is carried forward until the next one — freqtrade's
//! `merge_informative_pair` convention.

use std::sync::Arc;

use super::compile::{Node, NodeId, Plan, Scope, Type};
use super::eval::Evaluator;
use super::parser::{Expr, ExprError, ExprKind};
use crate::data::resample::Rule;
use crate::data::time::format_duration_ms;
use crate::indicators::Bars;

/// When a higher-timeframe bar's value becomes visible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Alignment {
    /// At its end: the only correct choice, and the default.
    #[default]
    End,
    /// At its start, before the bars it aggregates have happened: a
    /// look-ahead, which exists so that tests can show `lookahead` catches
    /// it. No strategy file can choose it.
    Start,
}

/// A compiled `on(...)`: the timeframe, and the inner expression compiled
/// into a plan of its own (evaluated on the resampled bars).
#[derive(Debug, Clone)]
pub struct OnCall {
    pub rule: Rule,
    /// The timeframe as written (`1d`).
    pub text: String,
    pub plan: Arc<Plan>,
    pub root: NodeId,
    pub ty: Type,
    pub align: Alignment,
}

/// Compiles `on(TIMEFRAME, EXPR)`.
pub(super) fn compile(
    plan: &mut Plan,
    args: &[Expr],
    e: &Expr,
    scope: &Scope,
) -> Result<(NodeId, Type), ExprError> {
    if scope.in_on {
        return Err(ExprError::new(
            e.span.clone(),
            "on(...) inside on(...): nest no timeframes, write the inner expression on the outer timeframe",
        ));
    }
    let [tf, inner] = args else {
        return Err(ExprError::new(
            e.span.clone(),
            format!(
                "on takes 2 arguments (on(\"1d\", expression)), got {}",
                args.len()
            ),
        ));
    };
    let ExprKind::Text(text) = &tf.kind else {
        return Err(ExprError::new(
            tf.span.clone(),
            "on's first argument is a quoted timeframe such as \"1d\", \"4h\" or '15m'",
        ));
    };
    let rule = Rule::parse(text).map_err(|_| {
        ExprError::new(
            tf.span.clone(),
            format!(
                "invalid timeframe '{text}': expected a count and a unit, e.g. 15m, 1h, 4h, 1d, 1w"
            ),
        )
    })?;
    let width = rule.width();
    if let Some(s) = scope.spacing_ms.filter(|s| *s > 0) {
        let spacing = format_duration_ms(s);
        if width < s {
            return Err(ExprError::new(
                tf.span.clone(),
                format!("timeframe '{text}' is shorter than the data's bar spacing ({spacing})"),
            ));
        }
        if width % s != 0 {
            return Err(ExprError::new(
                tf.span.clone(),
                format!(
                    "timeframe '{text}' is not a multiple of the data's bar spacing ({spacing})"
                ),
            ));
        }
    }
    let mut inner_scope = scope.clone();
    inner_scope.in_on = true;
    inner_scope.externals.clear();
    inner_scope.cross_sectional = false;
    inner_scope.spacing_ms = None;
    // A model's label may shift into the future; inside on() nothing may.
    inner_scope.future = false;
    let mut sub = Plan::default();
    let (root, ty) = sub.compile(inner, &inner_scope)?;
    let key = format!("on({text},{})", sub.keys[root]);
    let call = OnCall {
        rule,
        text: text.clone(),
        plan: Arc::new(sub),
        root,
        ty,
        align: scope.on_alignment,
    };
    Ok((plan.intern_node(key, Node::On(Arc::new(call)), ty), ty))
}

/// The column of `call` on the evaluator's bars: the inner expression on
/// the resampled bars, each value shown from its bar's end.
pub(super) fn evaluate(ev: &Evaluator, call: &OnCall, key: &str) -> Vec<f64> {
    let (ts, b) = (ev.ts, ev.bars);
    let n = ts.len();
    let fill = if call.ty == Type::Bool { 0.0 } else { f64::NAN };
    let Some(&first) = ts.first() else {
        return Vec::new();
    };
    // Resample: first open, max high, min low, last close, summed volume.
    let (mut starts, mut o, mut h, mut l, mut c, mut v) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    for i in 0..n {
        let bin = call.rule.bin(ts[i], first);
        if starts.last() == Some(&bin) {
            let k = starts.len() - 1;
            h[k] = f64::max(h[k], b.high[i]);
            l[k] = f64::min(l[k], b.low[i]);
            c[k] = b.close[i];
            v[k] += b.volume[i];
        } else {
            starts.push(bin);
            o.push(b.open[i]);
            h.push(b.high[i]);
            l.push(b.low[i]);
            c.push(b.close[i]);
            v.push(b.volume[i]);
        }
    }
    let bars = Bars {
        open: &o,
        high: &h,
        low: &l,
        close: &c,
        volume: &v,
    };
    let sub = ev.child(bars, &starts, &format!("{key}|"));
    let values = sub
        .eval(&call.plan, &[call.root])
        .remove(0)
        .to_column(starts.len());
    // Align: bar i sees the last higher bar that has ended by ts[i].
    let width = call.rule.width();
    let shown = |k: usize| match call.align {
        Alignment::End => starts[k] + width,
        Alignment::Start => starts[k],
    };
    let mut out = vec![fill; n];
    let mut k = 0usize;
    for i in 0..n {
        while k < starts.len() && shown(k) <= ts[i] {
            k += 1;
        }
        if k > 0 {
            out[i] = values[k - 1];
        }
    }
    out
}
