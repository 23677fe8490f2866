//! A requested column of `tradelab eval`: `NAME=EXPR` split into its name
//! and expression (`tradelab::pipeline::eval` computes them).

/// One requested column: `NAME=EXPR`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub name: String,
    pub expr: String,
    /// What error messages call the expression (its name; the CLI says `-e NAME`).
    pub label: String,
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
                    label: name.to_string(),
                };
            }
        }
        Request {
            name: s.trim().to_string(),
            expr: s.trim().to_string(),
            label: s.trim().to_string(),
        }
    }
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
                expr: "sma(close, 10)".into(),
                label: "fast".into()
            }
        );
        assert_eq!(r("close >= open").name, "close >= open");
        assert_eq!(r("up = close == open").expr, "close == open");
        assert_eq!(r("a==b").name, "a==b");
    }
}
