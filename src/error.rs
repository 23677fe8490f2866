//! The library's error type: every variant carries what a user needs to find
//! the problem (the file, and the line or row inside it).

use std::fmt;
use std::path::{Path, PathBuf};

/// Where inside a file a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The whole file.
    File,
    /// A 1-based line of a text file (the header is line 1).
    Line(usize),
    /// A 1-based data row of a binary (Parquet) file.
    Row(usize),
    /// A 1-based line and column (expressions, TOML).
    LineCol(usize, usize),
}

/// A problem with an input, located inside its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub path: PathBuf,
    pub at: Location,
    pub message: String,
    /// Lines shown under the message: the offending source line and a caret.
    pub detail: Option<String>,
}

impl InputError {
    pub fn new(path: &Path, at: Location, message: impl Into<String>) -> Self {
        InputError {
            path: path.to_path_buf(),
            at,
            message: message.into(),
            detail: None,
        }
    }

    pub fn with_detail(mut self, detail: String) -> Self {
        self.detail = Some(detail);
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.path.display();
        match self.at {
            Location::File => write!(f, "{p}: {}", self.message),
            Location::Line(l) => write!(f, "{p}:{l}: {}", self.message),
            Location::Row(r) => write!(f, "{p}: row {r}: {}", self.message),
            Location::LineCol(l, c) => write!(f, "{p}:{l}:{c}: {}", self.message),
        }?;
        if let Some(d) = &self.detail {
            write!(f, "\n{d}")?;
        }
        Ok(())
    }
}

/// Every error the library returns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input: a file whose content is malformed or invalid at a row.
    #[error("{0}")]
    Input(InputError),
    /// A file that cannot be read at all: missing, empty, not the format it
    /// claims, or without the columns it needs.
    #[error("{0}")]
    Unreadable(InputError),
    /// A bad argument or option value (not tied to a file).
    #[error("{0}")]
    Usage(String),
    /// Writing an output failed.
    #[error("cannot write {path}: {message}")]
    Output { path: PathBuf, message: String },
    /// A request to a market-data server failed or answered nonsense.
    #[error("{request}: {message}")]
    Fetch { request: String, message: String },
}

impl Error {
    pub fn input(path: &Path, at: Location, message: impl Into<String>) -> Self {
        Error::Input(InputError::new(path, at, message))
    }

    pub fn io(path: &Path, e: &std::io::Error) -> Self {
        let msg = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        };
        Error::unreadable(path, Location::File, format!("cannot read: {msg}"))
    }

    pub fn unreadable(path: &Path, at: Location, message: impl Into<String>) -> Self {
        Error::Unreadable(InputError::new(path, at, message))
    }

    pub fn fetch(request: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Fetch {
            request: request.into(),
            message: message.into(),
        }
    }

    pub fn output(path: &Path, message: impl fmt::Display) -> Self {
        Error::Output {
            path: path.to_path_buf(),
            message: message.to_string(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
