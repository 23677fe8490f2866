//! Locating problems in source text: byte offsets to 1-based line:column,
//! the offending line with a caret under it, and expressions embedded in a
//! TOML file mapped back to their place in the file.

use std::ops::Range;
use std::path::Path;

use super::parser::ExprError;
use crate::error::{Error, InputError, Location};

/// A text that errors can point into.
#[derive(Debug, Clone)]
pub struct Source {
    /// What to call it in messages: a file path, or `-e NAME`.
    pub name: String,
    pub text: String,
}

impl Source {
    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }

    /// The error at `span`, with the source line and a caret under the span.
    pub fn error(&self, span: Range<usize>, message: &str) -> Error {
        let (line, col) = self.line_col(span.start);
        let text_line = self.text.lines().nth(line - 1).unwrap_or("");
        let width = self.text[span.start.min(self.text.len())..span.end.min(self.text.len())]
            .chars()
            .take_while(|&c| c != '\n')
            .count()
            .max(1);
        let gutter = " ".repeat(line.to_string().len());
        let detail = format!(
            "{gutter} |\n{line} | {text_line}\n{gutter} | {}{}",
            " ".repeat(col - 1),
            "^".repeat(width)
        );
        Error::Input(
            InputError::new(Path::new(&self.name), Location::LineCol(line, col), message)
                .with_detail(detail),
        )
    }
}

/// An expression string and where it sits in its source.
#[derive(Debug, Clone)]
pub struct ExprText {
    pub text: String,
    /// Byte offset of the expression's first character in the source, when
    /// the source holds it verbatim (a basic TOML string without escapes).
    pub offset: Option<usize>,
    /// Byte range of the whole value in the source (fallback position).
    pub value_span: Range<usize>,
}

impl ExprText {
    /// For a `-e` expression: the source is the expression itself.
    pub fn standalone(text: &str) -> Self {
        ExprText {
            text: text.to_string(),
            offset: Some(0),
            value_span: 0..text.len(),
        }
    }

    /// For a TOML string value at `span` in `file_text`.
    pub fn in_toml(text: &str, span: Range<usize>, file_text: &str) -> Self {
        let raw = file_text.get(span.clone()).unwrap_or("");
        let verbatim = (raw.starts_with('"') && !raw.starts_with("\"\"\"") && !raw.contains('\\'))
            || (raw.starts_with('\'') && !raw.starts_with("'''"));
        ExprText {
            text: text.to_string(),
            offset: verbatim.then_some(span.start + 1),
            value_span: span,
        }
    }

    /// The problem mapped into `source`.
    pub fn error(&self, source: &Source, e: &ExprError) -> Error {
        match self.offset {
            Some(o) => source.error(o + e.span.start..o + e.span.end, &e.message),
            None => source.error(self.value_span.clone(), &e.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_under_the_span() {
        let src = Source {
            name: "s.toml".into(),
            text: "a = 1\nlong_entry = \"sam(close, 3)\"\n".into(),
        };
        let e = ExprText::in_toml("sam(close, 3)", 19..34, &src.text);
        let err = e
            .error(&src, &ExprError::new(0..3, "unknown function 'sam'"))
            .to_string();
        assert_eq!(
            err,
            "s.toml:2:15: unknown function 'sam'\n  |\n2 | long_entry = \"sam(close, 3)\"\n  |               ^^^"
        );
    }
}
