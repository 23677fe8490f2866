//! Execution settings changed after the file was read: a check case's
//! `execution = {...}` or the command line's `--exec KEY=VALUE`, applied
//! to the `[execution]` table and checked exactly as the file's table is.

use crate::engine::Execution;

/// The three ways to size an entry; setting one clears the others.
const SIZES: [&str; 3] = ["size", "size_cash", "size_units"];

/// Parses `KEY=VALUE`: the value as TOML (a number, true/false, a quoted
/// string), or as a bare string (`fill=close`).
pub fn parse_override(s: &str) -> Result<(String, toml::Value), String> {
    let Some((key, value)) = s.split_once('=') else {
        return Err(format!("expected KEY=VALUE, got '{s}'"));
    };
    let (key, value) = (key.trim(), value.trim());
    if key.is_empty() {
        return Err(format!("expected KEY=VALUE, got '{s}'"));
    }
    let parsed = toml::from_str::<toml::Table>(&format!("v = {value}"))
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(value.to_string()));
    Ok((key.to_string(), parsed))
}

/// `base` with `overrides` applied. Errors carry the same messages as a
/// strategy file's `[execution]`, with the key out of range (None for a
/// key or value TOML cannot read as settings).
pub fn with_overrides(
    base: &Execution,
    overrides: &[(String, toml::Value)],
) -> Result<Execution, (Option<String>, String)> {
    let mut table = match toml::Value::try_from(base) {
        Ok(toml::Value::Table(t)) => t,
        _ => toml::Table::new(),
    };
    for (k, v) in overrides {
        if SIZES.contains(&k.as_str()) {
            for other in SIZES {
                table.remove(other);
            }
        }
        table.insert(k.clone(), v.clone());
    }
    let e: Execution = toml::Value::Table(table)
        .try_into()
        .map_err(|e: toml::de::Error| (None, e.message().trim().to_string()))?;
    if let Some((key, msg)) = e.invalid() {
        return Err((Some(key.to_string()), msg));
    }
    Ok(e)
}

impl crate::strategy::Strategy {
    /// Applies `KEY=VALUE` overrides to the strategy's execution settings and
    /// records them (reports list them beside the settings).
    pub fn override_execution(&mut self, list: &[String]) -> crate::error::Result<()> {
        if list.is_empty() {
            return Ok(());
        }
        let bad = |s: &str, m: String| crate::error::Error::Usage(format!("'{s}': {m}"));
        let mut parsed = Vec::new();
        for s in list {
            parsed.push(parse_override(s).map_err(|m| bad(s, m))?);
        }
        self.execution = with_overrides(&self.execution, &parsed).map_err(|(key, m)| {
            // Name the override that set the key, or all of them.
            let which = key
                .and_then(|k| list.iter().zip(&parsed).rfind(|(_, p)| p.0 == k))
                .map_or_else(|| list.join(" "), |(s, _)| s.clone());
            bad(&which, m)
        })?;
        self.exec_overrides.extend(list.iter().cloned());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(base: &Execution, s: &[&str]) -> Result<Execution, (Option<String>, String)> {
        let o: Vec<_> = s.iter().map(|x| parse_override(x).unwrap()).collect();
        with_overrides(base, &o)
    }

    #[test]
    fn overrides_are_checked_like_the_file() {
        let base = Execution {
            commission: 0.002,
            size: Some(0.5),
            ..Execution::default()
        };
        let e = set(&base, &["commission=0.00002", "fill=close", "cash=100000"]).unwrap();
        assert_eq!((e.commission, e.cash), (0.00002, 100_000.0));
        assert_eq!(e.fill, crate::engine::Fill::Close);
        // Sizing by cash replaces the file's fraction.
        let e = set(&base, &["size_cash=1000"]).unwrap();
        assert_eq!((e.size, e.size_cash), (None, Some(1000.0)));
        assert_eq!(
            set(&base, &["commission=0.7"]).unwrap_err().1,
            "commission = 0.7 is out of range: a fraction in [0, 0.5)"
        );
        let bad = set(&base, &["fil=close"]).unwrap_err().1;
        assert!(bad.starts_with("unknown field `fil`"), "{bad}");
        let bad = set(&base, &["fill=closed"]).unwrap_err().1;
        assert!(bad.starts_with("unknown variant `closed`"), "{bad}");
        assert!(parse_override("commission").is_err());
    }
}
