//! Strategies: the expression language (parse, check, compile, evaluate with
//! a shared column cache) and the TOML strategy file format.

pub mod batch;
pub mod compile;
pub mod cross;
pub mod eval;
pub mod events;
pub mod execution;
pub mod external;
pub mod file;
mod masks;
pub mod memo;
pub mod ops;
pub mod orders;
pub mod parser;
pub mod portfolio;
pub mod request;
pub mod source;
pub mod timeframe;

pub use compile::{Plan, Scope, Type};
pub use eval::{ColumnCache, Evaluator, Val};
pub use external::{ModelParser, ModelTable, LABEL_COLUMN, MODEL_COLUMN};
pub use file::{Execution, ParamDef, ParamKind, Strategy};
pub use parser::{parse, ExprError};
