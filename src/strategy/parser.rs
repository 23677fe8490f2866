//! The expression language's lexer and parser: text to a spanned syntax tree.
//!
//! ```text
//! expr := or;  or := and ("or" and)*;  and := not ("and" not)*
//! not  := "not" not | cmp;  cmp := add (("<"|"<="|">"|">="|"=="|"!=") add)?
//! add  := mul (("+"|"-") mul)*;  mul := unary (("*"|"/") unary)*
//! unary := "-" unary | primary;  primary := NUMBER | NAME | NAME "(" args ")" | "(" expr ")"
//! ```

use std::ops::Range;

/// A problem in an expression, located by byte range within its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    pub span: Range<usize>,
    pub message: String,
}

impl ExprError {
    pub fn new(span: Range<usize>, message: impl Into<String>) -> Self {
        ExprError {
            span,
            message: message.into(),
        }
    }
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::And => "and",
            BinOp::Or => "or",
        }
    }

    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne
        )
    }

    pub fn is_logic(self) -> bool {
        matches!(self, BinOp::And | BinOp::Or)
    }
}

/// A syntax tree node with the byte range it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Number(f64),
    /// A quoted text: only `on`'s timeframe (`on("1d", …)`).
    Text(String),
    Name(String),
    Call {
        name: String,
        name_span: Range<usize>,
        args: Vec<Expr>,
    },
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Text(String),
    Name(String),
    Op(BinOp),
    Not,
    LParen,
    RParen,
    Comma,
    End,
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Num(v) => format!("number {v}"),
        Tok::Text(t) => format!("text \"{t}\""),
        Tok::Name(n) => format!("'{n}'"),
        Tok::Op(op) => format!("'{}'", op.symbol()),
        Tok::Not => "'not'".into(),
        Tok::LParen => "'('".into(),
        Tok::RParen => "')'".into(),
        Tok::Comma => "','".into(),
        Tok::End => "the end of the expression".into(),
    }
}

fn lex(src: &str) -> Result<Vec<(Tok, Range<usize>)>, ExprError> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let tok =
            if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) {
                while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                    i += 1;
                }
                if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
                    let mut j = i + 1;
                    if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
                        j += 1;
                    }
                    if j < b.len() && b[j].is_ascii_digit() {
                        i = j;
                        while i < b.len() && b[i].is_ascii_digit() {
                            i += 1;
                        }
                    }
                }
                let text = &src[start..i];
                let v: f64 = text
                    .parse()
                    .map_err(|_| ExprError::new(start..i, format!("invalid number '{text}'")))?;
                Tok::Num(v)
            } else if c == b'"' || c == b'\'' {
                // A quoted text, in double or single quotes, on one line.
                let end = src[i + 1..]
                    .find([c as char, '\n'])
                    .map(|k| i + 1 + k)
                    .filter(|&k| b[k] == c)
                    .ok_or_else(|| {
                        ExprError::new(start..src.len(), "a text without its closing quote")
                    })?;
                i = end + 1;
                Tok::Text(src[start + 1..end].to_string())
            } else if c.is_ascii_alphabetic() || c == b'_' {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                match &src[start..i] {
                    "and" => Tok::Op(BinOp::And),
                    "or" => Tok::Op(BinOp::Or),
                    "not" => Tok::Not,
                    name => Tok::Name(name.to_string()),
                }
            } else {
                let two = b.get(i + 1).copied();
                let (tok, len) = match (c, two) {
                    (b'<', Some(b'=')) => (Tok::Op(BinOp::Le), 2),
                    (b'>', Some(b'=')) => (Tok::Op(BinOp::Ge), 2),
                    (b'=', Some(b'=')) => (Tok::Op(BinOp::Eq), 2),
                    (b'!', Some(b'=')) => (Tok::Op(BinOp::Ne), 2),
                    (b'&', Some(b'&')) => (Tok::Op(BinOp::And), 2),
                    (b'|', Some(b'|')) => (Tok::Op(BinOp::Or), 2),
                    (b'<', _) => (Tok::Op(BinOp::Lt), 1),
                    (b'>', _) => (Tok::Op(BinOp::Gt), 1),
                    (b'+', _) => (Tok::Op(BinOp::Add), 1),
                    (b'-', _) => (Tok::Op(BinOp::Sub), 1),
                    (b'*', _) => (Tok::Op(BinOp::Mul), 1),
                    (b'/', _) => (Tok::Op(BinOp::Div), 1),
                    (b'(', _) => (Tok::LParen, 1),
                    (b')', _) => (Tok::RParen, 1),
                    (b',', _) => (Tok::Comma, 1),
                    (b'!', _) => (Tok::Not, 1),
                    (b'=', _) => {
                        return Err(ExprError::new(
                            i..i + 1,
                            "unexpected '=': use '==' to compare",
                        ));
                    }
                    _ => {
                        let ch = src[i..].chars().next().unwrap_or('?');
                        let end = i + ch.len_utf8();
                        return Err(ExprError::new(
                            i..end,
                            format!("unexpected character '{ch}'"),
                        ));
                    }
                };
                i += len;
                tok
            };
        out.push((tok, start..i));
    }
    out.push((Tok::End, b.len()..b.len()));
    Ok(out)
}

/// How deep parentheses and operators may nest before the parser refuses.
pub const MAX_DEPTH: usize = 100;

struct Parser {
    toks: Vec<(Tok, Range<usize>)>,
    pos: usize,
    depth: usize,
}

/// Parses an expression.
pub fn parse(src: &str) -> Result<Expr, ExprError> {
    let toks = lex(src)?;
    if toks.len() == 1 {
        return Err(ExprError::new(0..src.len(), "empty expression"));
    }
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
    };
    let e = p.expr()?;
    match p.peek() {
        Tok::End => Ok(e),
        t => Err(ExprError::new(
            p.span(),
            format!(
                "expected an operator or the end of the expression, found {}",
                describe(t)
            ),
        )),
    }
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].0
    }

    fn span(&self) -> Range<usize> {
        self.toks[self.pos].1.clone()
    }

    fn bump(&mut self) -> (Tok, Range<usize>) {
        let t = self.toks[self.pos].clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    fn enter(&mut self) -> Result<(), ExprError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ExprError::new(
                self.span(),
                format!("expression nested more than {MAX_DEPTH} levels deep"),
            ));
        }
        Ok(())
    }

    fn expr(&mut self) -> Result<Expr, ExprError> {
        self.enter()?;
        let e = self.binary(0);
        self.depth -= 1;
        e
    }

    /// Precedence levels: 0 or, 1 and, 2 not, 3 comparison, 4 additive, 5 multiplicative.
    fn binary(&mut self, level: u8) -> Result<Expr, ExprError> {
        match level {
            2 => return self.not(),
            6 => return self.unary(),
            _ => {}
        }
        let mut lhs = self.binary(level + 1)?;
        loop {
            let op = match self.peek() {
                Tok::Op(op) => *op,
                _ => return Ok(lhs),
            };
            let fits = match level {
                0 => op == BinOp::Or,
                1 => op == BinOp::And,
                3 => op.is_comparison(),
                4 => matches!(op, BinOp::Add | BinOp::Sub),
                _ => matches!(op, BinOp::Mul | BinOp::Div),
            };
            if !fits {
                return Ok(lhs);
            }
            let op_span = self.bump().1;
            let rhs = self.binary(level + 1)?;
            if level == 3 {
                if let Tok::Op(next) = self.peek() {
                    if next.is_comparison() {
                        return Err(ExprError::new(
                            self.span(),
                            "comparisons cannot be chained: write 'a < b and b < c'",
                        ));
                    }
                }
            }
            let span = lhs.span.start.min(op_span.start)..rhs.span.end;
            lhs = Expr {
                kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
                span,
            };
        }
    }

    fn not(&mut self) -> Result<Expr, ExprError> {
        if *self.peek() == Tok::Not {
            let start = self.bump().1.start;
            self.enter()?;
            let inner = self.not();
            self.depth -= 1;
            let inner = inner?;
            let span = start..inner.span.end;
            return Ok(Expr {
                kind: ExprKind::Not(Box::new(inner)),
                span,
            });
        }
        self.binary(3)
    }

    fn unary(&mut self) -> Result<Expr, ExprError> {
        if *self.peek() == Tok::Op(BinOp::Sub) {
            let start = self.bump().1.start;
            self.enter()?;
            let inner = self.unary();
            self.depth -= 1;
            let inner = inner?;
            let span = start..inner.span.end;
            return Ok(Expr {
                kind: ExprKind::Neg(Box::new(inner)),
                span,
            });
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, ExprError> {
        let (tok, span) = self.bump();
        match tok {
            Tok::Num(v) => Ok(Expr {
                kind: ExprKind::Number(v),
                span,
            }),
            Tok::Text(t) => Ok(Expr {
                kind: ExprKind::Text(t),
                span,
            }),
            Tok::Name(name) => {
                if *self.peek() != Tok::LParen {
                    return Ok(Expr {
                        kind: ExprKind::Name(name),
                        span,
                    });
                }
                let open = self.bump().1;
                let mut args = Vec::new();
                if *self.peek() != Tok::RParen {
                    loop {
                        args.push(self.expr()?);
                        match self.peek() {
                            Tok::Comma => {
                                self.bump();
                            }
                            Tok::RParen => break,
                            t => {
                                let msg = format!(
                                    "expected ',' or ')' in the arguments of {name}(, found {}",
                                    describe(t)
                                );
                                return Err(ExprError::new(self.span(), msg));
                            }
                        }
                    }
                }
                let close = self.bump().1;
                debug_assert!(open.start < close.end);
                Ok(Expr {
                    kind: ExprKind::Call {
                        name,
                        name_span: span.clone(),
                        args,
                    },
                    span: span.start..close.end,
                })
            }
            Tok::LParen => {
                let inner = self.expr()?;
                match self.peek() {
                    Tok::RParen => {
                        let close = self.bump().1;
                        Ok(Expr {
                            kind: inner.kind,
                            span: span.start..close.end,
                        })
                    }
                    t => {
                        let msg = format!("expected ')' to close '(', found {}", describe(t));
                        Err(ExprError::new(self.span(), msg))
                    }
                }
            }
            t => Err(ExprError::new(
                span,
                format!("expected a number, a name or '(', found {}", describe(&t)),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(e: &Expr) -> String {
        match &e.kind {
            ExprKind::Number(v) => format!("{v}"),
            ExprKind::Text(t) => format!("'{t}'"),
            ExprKind::Name(n) => n.clone(),
            ExprKind::Call { name, args, .. } => {
                let a: Vec<String> = args.iter().map(shape).collect();
                format!("{name}({})", a.join(","))
            }
            ExprKind::Neg(x) => format!("(-{})", shape(x)),
            ExprKind::Not(x) => format!("(not {})", shape(x)),
            ExprKind::Binary(op, a, b) => format!("({} {} {})", shape(a), op.symbol(), shape(b)),
        }
    }

    #[test]
    fn quoted_texts() {
        let e = parse("on('1d', close) > on(\"4h\", x)").unwrap();
        assert_eq!(shape(&e), "(on('1d',close) > on('4h',x))");
        let err = parse("on('1d, close)").unwrap_err();
        assert_eq!(err.message, "a text without its closing quote");
        assert_eq!(err.span, 3..14);
    }

    #[test]
    fn precedence() {
        let e = parse("a + b * -c > 2 and not d < 1e-3 or x").unwrap();
        assert_eq!(
            shape(&e),
            "((((a + (b * (-c))) > 2) and (not (d < 0.001))) or x)"
        );
        assert_eq!(
            shape(&parse("sma(close, 10) / (1 + 2)").unwrap()),
            "(sma(close,10) / (1 + 2))"
        );
        assert_eq!(shape(&parse("f()").unwrap()), "f()");
    }

    #[test]
    fn errors_point_at_the_problem() {
        let err = |s: &str| parse(s).unwrap_err();
        assert_eq!(
            err("sma(close, 10"),
            ExprError::new(
                13..13,
                "expected ',' or ')' in the arguments of sma(, found the end of the expression"
            )
        );
        assert_eq!(err("close > ").span, 8..8);
        assert_eq!(err("a = b").message, "unexpected '=': use '==' to compare");
        assert_eq!(
            err("a < b < c").message,
            "comparisons cannot be chained: write 'a < b and b < c'"
        );
        assert_eq!(err("close $ 3").message, "unexpected character '$'");
        assert_eq!(err("").message, "empty expression");
        assert_eq!(
            err("close close").message,
            "expected an operator or the end of the expression, found 'close'"
        );
        let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
        assert_eq!(
            err(&deep).message,
            "expression nested more than 100 levels deep"
        );
        // 99 levels still parse (and compile) on a test thread's small stack.
        let ok = format!("{}1{}", "(".repeat(99), ")".repeat(99));
        assert!(parse(&ok).is_ok());
        let minus = format!("{}1", "-".repeat(99));
        assert!(parse(&minus).is_ok());
        assert!(parse(&format!("{}1", "-".repeat(200))).is_err());
    }
}
