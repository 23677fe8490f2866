//! Checking and compiling a syntax tree against the parameter values and the
//! indicator catalogue into a `Plan`: a DAG in which identical
//! sub-expressions are one node, constants are folded, and every node has a
//! canonical key (`sma(close,10)`) that the column cache uses.

use std::collections::{BTreeMap, HashMap};

use super::cross::{CrossCall, CsFn};
use super::ops::apply;
use super::parser::{BinOp, Expr, ExprError, ExprKind};
use crate::indicators::{catalog, lookup, overloads, Output, Param, Spec};

/// The static type of an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Number,
    Bool,
}

/// A candle column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Open,
    High,
    Low,
    Close,
    Volume,
}

pub const COLUMNS: [(&str, Col); 5] = [
    ("open", Col::Open),
    ("high", Col::High),
    ("low", Col::Low),
    ("close", Col::Close),
    ("volume", Col::Volume),
];

pub type NodeId = usize;

/// One step of a plan.
#[derive(Debug, Clone)]
pub enum Node {
    Const(f64),
    Column(Col),
    /// A named column supplied from outside (e.g. a model's predictions).
    External(String),
    Call {
        spec: &'static Spec,
        inputs: Vec<NodeId>,
        args: Vec<f64>,
    },
    Neg(NodeId),
    Not(NodeId),
    Binary(BinOp, NodeId, NodeId),
    /// `on("1d", …)`: an expression on a higher timeframe.
    On(std::sync::Arc<OnCall>),
}

/// Compiled expressions sharing one node arena.
#[derive(Debug, Default, Clone)]
pub struct Plan {
    pub nodes: Vec<Node>,
    pub keys: Vec<String>,
    pub types: Vec<Type>,
    index: HashMap<String, NodeId>,
    /// The cross-sectional calls (`rank(x)`, ...): computed across symbols
    /// by a portfolio run and read back as external columns.
    pub cross: Vec<CrossCall>,
}

/// A compiled `on(...)`: the timeframe, and the inner expression compiled
/// into a plan of its own (evaluated on the resampled bars).
#[derive(Debug, Clone)]
pub struct OnCall {
    pub rule: crate::data::resample::Rule,
    /// The timeframe as written (`1d`).
    pub text: String,
    pub plan: std::sync::Arc<Plan>,
    pub root: NodeId,
    pub ty: Type,
    pub align: super::timeframe::Alignment,
}

/// What names mean while compiling: parameter values and external columns.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    pub params: BTreeMap<String, f64>,
    pub externals: Vec<String>,
    /// Whether `shift` may take a negative count (read the future): only
    /// while compiling a model's label.
    pub future: bool,
    /// Whether cross-sectional functions may be used (portfolio strategies).
    pub cross_sectional: bool,
    /// Inside `on(...)`, where another `on` is refused.
    pub in_on: bool,
    /// The data's bar spacing, when known: `on`'s timeframe must be a
    /// multiple of it.
    pub spacing_ms: Option<i64>,
    /// When `on`'s values become visible (always `End` but in tests).
    pub on_alignment: super::timeframe::Alignment,
}

impl Plan {
    /// The node of an external column `name`.
    pub fn external(&mut self, name: &str) -> NodeId {
        self.intern(
            name.to_string(),
            Node::External(name.to_string()),
            Type::Number,
        )
    }

    /// Whether node `id` reads a cross-sectional call's result.
    pub fn depends_on_cross(&self, id: NodeId) -> bool {
        match &self.nodes[id] {
            Node::External(name) => self.cross.iter().any(|c| &c.key == name),
            Node::Const(_) | Node::Column(_) | Node::On(_) => false,
            Node::Neg(a) | Node::Not(a) => self.depends_on_cross(*a),
            Node::Binary(_, a, b) => self.depends_on_cross(*a) || self.depends_on_cross(*b),
            Node::Call { inputs, .. } => inputs.iter().any(|&i| self.depends_on_cross(i)),
        }
    }

    fn intern(&mut self, key: String, node: Node, ty: Type) -> NodeId {
        if let Some(&id) = self.index.get(&key) {
            return id;
        }
        let id = self.nodes.len();
        self.nodes.push(node);
        self.keys.push(key.clone());
        self.types.push(ty);
        self.index.insert(key, id);
        id
    }

    fn constant(&mut self, v: f64, ty: Type) -> NodeId {
        let key = if ty == Type::Bool {
            (if v != 0.0 { "true" } else { "false" }).to_string()
        } else {
            format!("{v:?}")
        };
        self.intern(key, Node::Const(v), ty)
    }

    /// The folded value of a constant node.
    pub fn const_value(&self, id: NodeId) -> Option<f64> {
        match self.nodes[id] {
            Node::Const(v) => Some(v),
            _ => None,
        }
    }

    /// Compiles `e`, returning its node and type.
    pub fn compile(&mut self, e: &Expr, scope: &Scope) -> Result<(NodeId, Type), ExprError> {
        match &e.kind {
            ExprKind::Number(v) => Ok((self.constant(*v, Type::Number), Type::Number)),
            ExprKind::Text(_) => Err(ExprError::new(
                e.span.clone(),
                "a quoted text is only on's timeframe, as in on(\"1d\", sma(close, 20))",
            )),
            ExprKind::Name(name) => self.name(name, e, scope),
            ExprKind::Neg(inner) => {
                let (id, ty) = self.compile(inner, scope)?;
                need(
                    ty,
                    Type::Number,
                    inner,
                    "'-' needs a number, but its operand",
                )?;
                if let Some(v) = self.const_value(id) {
                    return Ok((self.constant(-v, Type::Number), Type::Number));
                }
                let key = format!("(-{})", self.keys[id]);
                Ok((self.intern(key, Node::Neg(id), Type::Number), Type::Number))
            }
            ExprKind::Not(inner) => {
                let (id, ty) = self.compile(inner, scope)?;
                need(
                    ty,
                    Type::Bool,
                    inner,
                    "'not' needs a condition, but its operand",
                )?;
                if let Some(v) = self.const_value(id) {
                    return Ok((
                        self.constant(f64::from(u8::from(v == 0.0)), Type::Bool),
                        Type::Bool,
                    ));
                }
                let key = format!("(not {})", self.keys[id]);
                Ok((self.intern(key, Node::Not(id), Type::Bool), Type::Bool))
            }
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, scope),
            ExprKind::Call {
                name,
                name_span,
                args,
            } => self.call(name, name_span, args, e, scope),
        }
    }

    /// `on(TIMEFRAME, EXPR)`: EXPR compiled on its own, for the bars
    /// resampled to TIMEFRAME (`timeframe.rs`).
    fn on(&mut self, args: &[Expr], e: &Expr, scope: &Scope) -> Result<(NodeId, Type), ExprError> {
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
        let rule = super::timeframe::rule(text, scope.spacing_ms)
            .map_err(|m| ExprError::new(tf.span.clone(), m))?;
        // Inside: candle columns, parameters and indicators only, and no
        // shift into the future (even in a model's label).
        let inner_scope = Scope {
            params: scope.params.clone(),
            in_on: true,
            ..Scope::default()
        };
        let mut sub = Plan::default();
        let (root, ty) = sub.compile(inner, &inner_scope)?;
        let key = format!("on({text},{})", sub.keys[root]);
        let call = OnCall {
            rule,
            text: text.clone(),
            plan: std::sync::Arc::new(sub),
            root,
            ty,
            align: scope.on_alignment,
        };
        Ok((
            self.intern(key, Node::On(std::sync::Arc::new(call)), ty),
            ty,
        ))
    }

    fn name(&mut self, name: &str, e: &Expr, scope: &Scope) -> Result<(NodeId, Type), ExprError> {
        if let Some(&v) = scope.params.get(name) {
            return Ok((self.constant(v, Type::Number), Type::Number));
        }
        if let Some((_, col)) = COLUMNS.iter().find(|(n, _)| *n == name) {
            let id = self.intern(name.to_string(), Node::Column(*col), Type::Number);
            return Ok((id, Type::Number));
        }
        if scope.externals.iter().any(|x| x == name) {
            let id = self.intern(
                name.to_string(),
                Node::External(name.to_string()),
                Type::Number,
            );
            return Ok((id, Type::Number));
        }
        if let Some(spec) = lookup(name) {
            return Err(ExprError::new(
                e.span.clone(),
                format!("'{name}' is a function: call it as {}", spec.signature()),
            ));
        }
        let mut known: Vec<&str> = COLUMNS.iter().map(|(n, _)| *n).collect();
        known.extend(scope.params.keys().map(String::as_str));
        known.extend(scope.externals.iter().map(String::as_str));
        let mut msg = format!("unknown name '{name}'");
        if let Some(s) = nearest(name, known.iter().copied()) {
            msg.push_str(&format!("; did you mean '{s}'?"));
        } else {
            msg.push_str(&format!(
                " (columns: open, high, low, close, volume; parameters: {})",
                if scope.params.is_empty() {
                    "none".to_string()
                } else {
                    scope.params.keys().cloned().collect::<Vec<_>>().join(", ")
                }
            ));
        }
        Err(ExprError::new(e.span.clone(), msg))
    }

    fn binary(
        &mut self,
        op: BinOp,
        a: &Expr,
        b: &Expr,
        scope: &Scope,
    ) -> Result<(NodeId, Type), ExprError> {
        let (ia, ta) = self.compile(a, scope)?;
        let (ib, tb) = self.compile(b, scope)?;
        let sym = op.symbol();
        let (want, out) = if op.is_logic() {
            (Type::Bool, Type::Bool)
        } else if op.is_comparison() {
            (Type::Number, Type::Bool)
        } else {
            (Type::Number, Type::Number)
        };
        let what = if want == Type::Bool {
            "conditions"
        } else {
            "numbers"
        };
        need(
            ta,
            want,
            a,
            &format!("'{sym}' needs {what}, but its left side"),
        )?;
        need(
            tb,
            want,
            b,
            &format!("'{sym}' needs {what}, but its right side"),
        )?;
        if op == BinOp::Div && self.const_value(ib) == Some(0.0) {
            return Err(ExprError::new(b.span.clone(), "division by zero"));
        }
        if let (Some(x), Some(y)) = (self.const_value(ia), self.const_value(ib)) {
            return Ok((self.constant(apply(op, x, y), out), out));
        }
        let key = format!("({} {sym} {})", self.keys[ia], self.keys[ib]);
        Ok((self.intern(key, Node::Binary(op, ia, ib), out), out))
    }

    fn call(
        &mut self,
        name: &str,
        name_span: &std::ops::Range<usize>,
        args: &[Expr],
        e: &Expr,
        scope: &Scope,
    ) -> Result<(NodeId, Type), ExprError> {
        if let Some(f) = CsFn::by_name(name) {
            return cross_call(self, f, args, e, scope);
        }
        if name == "on" {
            return self.on(args, e, scope);
        }
        if name == "ichimoku_chikou" {
            return Err(ExprError::new(
                name_span.clone(),
                "ichimoku_chikou is the close drawn 26 bars back: its value at bar t is close[t+26], the future; compare close with shift(close, 26) instead",
            ));
        }
        if name == "only" && !scope.future {
            return Err(ExprError::new(
                name_span.clone(),
                "only(...) marks a label unknown where its condition fails: only a [model]'s label may use it",
            ));
        }
        let rewritten;
        let args = if name == "triple_barrier" {
            rewritten = barrier_args(args, name_span, e, scope)?;
            &rewritten[..]
        } else {
            args
        };
        let forms = overloads(name);
        if forms.is_empty() {
            let known = COLUMNS.iter().any(|(n, _)| *n == name) || scope.params.contains_key(name);
            let mut msg = if known {
                format!("'{name}' is not a function")
            } else {
                format!("unknown function '{name}'")
            };
            let near = nearest(name, catalog().iter().map(|s| s.name)).filter(|_| !known);
            if let Some(s) = near {
                msg.push_str(&format!("; did you mean '{s}'?"));
            } else {
                msg.push_str("; 'tradelab indicators' lists the functions");
            }
            return Err(ExprError::new(name_span.clone(), msg));
        }
        let fits = |s: &&Spec| (s.min_args()..=s.params.len()).contains(&args.len());
        let Some(spec) = forms.iter().copied().find(fits) else {
            return Err(ExprError::new(
                e.span.clone(),
                arity_message(name, forms, args.len()),
            ));
        };
        let mut inputs = Vec::new();
        let mut consts = Vec::new();
        let mut key_parts = Vec::new();
        for (param, arg) in spec.params.iter().zip(args) {
            if let Param::Anchor(pname) = param {
                let v = anchor(arg, pname, name, scope)?;
                consts.push(v);
                key_parts.push(format!("{v:?}"));
                continue;
            }
            let (id, ty) = self.compile(arg, scope)?;
            let pname = param.name();
            match param {
                Param::Anchor(_) => unreachable!("handled above"),
                Param::Series(_) => {
                    need(
                        ty,
                        Type::Number,
                        arg,
                        &format!("argument '{pname}' of {name} must be a number, but it"),
                    )?;
                    inputs.push(id);
                    key_parts.push(self.keys[id].clone());
                }
                Param::Condition(_) => {
                    need(
                        ty,
                        Type::Bool,
                        arg,
                        &format!("argument '{pname}' of {name} must be a condition, but it"),
                    )?;
                    inputs.push(id);
                    key_parts.push(self.keys[id].clone());
                }
                Param::Window(_) | Param::Count(_) | Param::Number(_) | Param::MaType(_) => {
                    let Some(v) = self.const_value(id).filter(|_| ty == Type::Number) else {
                        return Err(ExprError::new(
                            arg.span.clone(),
                            format!("argument '{pname}' of {name} must be a constant number or parameter, not a column"),
                        ));
                    };
                    check_constant(*param, v, name, arg, scope.future)?;
                    consts.push(v);
                    key_parts.push(format!("{v:?}"));
                }
            }
        }
        let given = consts.len();
        spec.fill_defaults(&mut consts);
        key_parts.extend(consts[given..].iter().map(|v| format!("{v:?}")));
        let ty = match spec.output {
            Output::Number | Output::Integer => Type::Number,
            Output::Bool => Type::Bool,
        };
        let key = format!("{name}({})", key_parts.join(","));
        let node = Node::Call {
            spec,
            inputs,
            args: consts,
        };
        Ok((self.intern(key, node, ty), ty))
    }
}

/// `triple_barrier(up, down, horizon[, "zero"|"sign"[, "close"|"hl"[,
/// "label"|"end"]]])` as the catalogue's four arguments (the texts as a mode
/// number; "end" gives the bars until the label is decided); only in a
/// model's label, which may read the future.
fn barrier_args(
    args: &[Expr],
    name_span: &std::ops::Range<usize>,
    e: &Expr,
    scope: &Scope,
) -> Result<Vec<Expr>, ExprError> {
    if !scope.future {
        return Err(ExprError::new(
            name_span.clone(),
            "triple_barrier reads the bars after t: only a [model]'s label may use it",
        ));
    }
    if !(3..=6).contains(&args.len()) {
        return Err(ExprError::new(
            e.span.clone(),
            format!(
                "triple_barrier takes 3 to 6 arguments (up, down, horizon[, \"zero\" or \"sign\"[, \"close\" or \"hl\"[, \"label\" or \"end\"]]]), got {}",
                args.len()
            ),
        ));
    }
    // The options, in any order, at most one of each pair.
    let groups = [
        (["zero", "sign"], 1.0),
        (["close", "hl"], 2.0),
        (["label", "end"], 4.0),
    ];
    let mut mode = 0.0;
    let mut seen = [false; 3];
    for a in &args[3..] {
        let found = match &a.kind {
            ExprKind::Text(t) => groups.iter().enumerate().find_map(|(g, (names, bit))| {
                names.iter().position(|n| n == t).map(|i| (g, i, *bit))
            }),
            _ => None,
        };
        let Some((g, i, bit)) = found else {
            return Err(ExprError::new(
                a.span.clone(),
                "triple_barrier's options are \"zero\" or \"sign\", \"close\" or \"hl\", and \"label\" or \"end\"",
            ));
        };
        if std::mem::replace(&mut seen[g], true) {
            return Err(ExprError::new(
                a.span.clone(),
                format!(
                    "triple_barrier takes one of \"{}\" and \"{}\"",
                    groups[g].0[0], groups[g].0[1]
                ),
            ));
        }
        if i == 1 {
            mode += bit;
        }
    }
    let mut out = args[..3].to_vec();
    out.push(Expr {
        kind: ExprKind::Number(mode),
        span: e.span.clone(),
    });
    Ok(out)
}

/// A quoted anchor period (`"1d"`, `"1w"`, `"all"`) as its code.
fn anchor(arg: &Expr, pname: &str, func: &str, scope: &Scope) -> Result<f64, ExprError> {
    let ExprKind::Text(text) = &arg.kind else {
        return Err(ExprError::new(
            arg.span.clone(),
            format!(
                "'{pname}' of {func} is a quoted period such as \"1d\", \"4h\", \"1w\" or \"all\""
            ),
        ));
    };
    if text == "all" {
        return Ok(0.0);
    }
    let rule = super::timeframe::rule(text, scope.spacing_ms)
        .map_err(|m| ExprError::new(arg.span.clone(), m))?;
    Ok(crate::indicators::beyond::anchor_code(Some(rule)))
}

/// "sma takes 1 or 2 arguments (sma(x, n=30)), got 3", naming every form.
fn arity_message(name: &str, forms: &[&Spec], got: usize) -> String {
    let counts = |s: &Spec| {
        let (lo, hi) = (s.min_args(), s.params.len());
        let plural = if hi == 1 { "" } else { "s" };
        match hi - lo {
            0 => format!("{hi} argument{plural}"),
            1 => format!("{lo} or {hi} arguments"),
            _ => format!("{lo} to {hi} arguments"),
        }
    };
    let forms: Vec<String> = forms
        .iter()
        .map(|s| format!("{} ({})", counts(s), s.signature()))
        .collect();
    format!("{name} takes {}, got {got}", forms.join(" or "))
}

fn check_constant(
    param: Param,
    v: f64,
    func: &str,
    arg: &Expr,
    future: bool,
) -> Result<(), ExprError> {
    let pname = param.name();
    let err = |m: String| Err(ExprError::new(arg.span.clone(), m));
    match param {
        Param::Count(_) if future && func == "shift" => {
            if v.fract() == 0.0 && (-1e9..=1e9).contains(&v) {
                Ok(())
            } else {
                err(format!("'{pname}' of shift must be an integer, got {v}"))
            }
        }
        Param::Window(_) if !(v.fract() == 0.0 && (1.0..=1e9).contains(&v)) => err(format!(
            "window '{pname}' of {func} must be a positive integer, got {v}"
        )),
        Param::Count(_) if v < 0.0 && v.fract() == 0.0 => err(format!(
            "{func} by {v} would read the future: '{pname}' must be 0 or more"
        )),
        Param::Count(_) if !(v.fract() == 0.0 && (0.0..=1e9).contains(&v)) => err(format!(
            "'{pname}' of {func} must be a non-negative integer, got {v}"
        )),
        Param::MaType(_) if !(v.fract() == 0.0 && (0.0..=13.0).contains(&v)) => err(format!(
            "'{pname}' of {func} is a moving-average type, TA-Lib's 0 (SMA) to 13 (Wilder), got {v}"
        )),
        Param::Number(_) if !v.is_finite() => {
            err(format!("'{pname}' of {func} must be finite, got {v}"))
        }
        _ => Ok(()),
    }
}

fn need(got: Type, want: Type, e: &Expr, context: &str) -> Result<(), ExprError> {
    if got == want {
        return Ok(());
    }
    let is = match got {
        Type::Bool => "is a condition",
        Type::Number => "is a number",
    };
    Err(ExprError::new(e.span.clone(), format!("{context} {is}")))
}

/// The closest known name within edit distance 2 (or sharing a prefix).
pub fn nearest<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    // Ties go to the earlier name: the catalogue lists the common ones first.
    known
        .enumerate()
        .map(|(at, k)| (levenshtein(name, k), at, k))
        .filter(|(d, _, k)| {
            *d <= 2.min(name.len().max(1)) || (name.len() >= 3 && k.starts_with(name))
        })
        .min()
        .map(|(_, _, k)| k)
}

/// Edit distance counting a swap of two neighbours as one edit
/// (optimal string alignment), so `sam` is one edit from `sma`.
fn levenshtein(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

/// Compiles `func(arg)`: the input as a number node, the call as an external.
fn cross_call(
    plan: &mut Plan,
    func: CsFn,
    args: &[Expr],
    e: &Expr,
    scope: &Scope,
) -> Result<(NodeId, Type), ExprError> {
    let name = func.name();
    if !scope.cross_sectional {
        return Err(ExprError::new(
            e.span.clone(),
            format!("{name} compares symbols: it needs a [portfolio] strategy"),
        ));
    }
    let [arg] = args else {
        return Err(ExprError::new(
            e.span.clone(),
            format!("{name} takes 1 argument (x), got {}", args.len()),
        ));
    };
    let (input, ty) = plan.compile(arg, scope)?;
    if ty != Type::Number {
        return Err(ExprError::new(
            arg.span.clone(),
            format!("argument 'x' of {name} must be a number, but it is a condition"),
        ));
    }
    if plan.depends_on_cross(input) {
        return Err(ExprError::new(
            arg.span.clone(),
            format!("{name} of another cross-sectional function is not supported"),
        ));
    }
    let key = format!("{name}({})", plan.keys[input]);
    let id = plan.external(&key);
    if !plan.cross.iter().any(|c| c.key == key) {
        plan.cross.push(CrossCall { func, input, key });
    }
    Ok((id, Type::Number))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategy::parser::parse;

    fn scope() -> Scope {
        let mut s = Scope::default();
        s.params.insert("fast".into(), 10.0);
        s.params.insert("slow".into(), 20.0);
        s
    }

    #[test]
    fn common_subexpressions_share_a_node() {
        let mut plan = Plan::default();
        let a = plan
            .compile(
                &parse("crosses_above(sma(close, fast), sma(close, slow))").unwrap(),
                &scope(),
            )
            .unwrap();
        let b = plan
            .compile(
                &parse("crosses_below(sma(close, 10), sma(close, 20))").unwrap(),
                &scope(),
            )
            .unwrap();
        assert_eq!(a.1, Type::Bool);
        assert_eq!(
            plan.keys[a.0],
            "crosses_above(sma(close,10.0),sma(close,20.0))"
        );
        // close, 10, 20, sma10, sma20, above, below: the SMAs and constants are shared.
        assert_eq!(plan.nodes.len(), 7);
        assert_ne!(a.0, b.0);
    }

    #[test]
    fn constants_fold() {
        let mut plan = Plan::default();
        let (id, ty) = plan
            .compile(&parse("fast < slow and not 2 > 3").unwrap(), &scope())
            .unwrap();
        assert_eq!((plan.const_value(id), ty), (Some(1.0), Type::Bool));
    }

    #[test]
    fn check_errors() {
        let err = |s: &str| {
            Plan::default()
                .compile(&parse(s).unwrap(), &scope())
                .unwrap_err()
                .message
        };
        assert_eq!(
            err("sam(close, 3)"),
            "unknown function 'sam'; did you mean 'sma'?"
        );
        assert_eq!(
            err("clsoe > 3"),
            "unknown name 'clsoe'; did you mean 'close'?"
        );
        assert_eq!(
            err("sma()"),
            "sma takes 1 or 2 arguments (sma(x, n=30)), got 0"
        );
        assert_eq!(
            err("sma(close, 2.5)"),
            "window 'n' of sma must be a positive integer, got 2.5"
        );
        assert_eq!(
            err("sma(close, 0)"),
            "window 'n' of sma must be a positive integer, got 0"
        );
        assert_eq!(
            err("shift(close, -1)"),
            "shift by -1 would read the future: 'n' must be 0 or more"
        );
        assert_eq!(
            err("sma(close, close)"),
            "argument 'n' of sma must be a constant number or parameter, not a column"
        );
        assert_eq!(
            err("sma(close > 1, 3)"),
            "argument 'x' of sma must be a number, but it is a condition"
        );
        assert_eq!(
            err("close and open"),
            "'and' needs conditions, but its left side is a number"
        );
        assert_eq!(
            err("(close > 1) + 1"),
            "'+' needs numbers, but its left side is a condition"
        );
        assert_eq!(err("close / 0"), "division by zero");
        assert_eq!(
            err("sma + 1"),
            "'sma' is a function: call it as sma(x, n=30)"
        );
        assert_eq!(
            err("close(3)"),
            "'close' is not a function; 'tradelab indicators' lists the functions"
        );
    }
}
