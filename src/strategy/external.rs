//! The interface through which a column computed outside the expression
//! language reaches a strategy's plan: a `[model]` table's predictions. The
//! strategy module owns this interface and never names its implementation
//! (the `ml` module parses the table and computes the column).

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use super::source::Source;
use crate::error::Result;

/// The name expressions use for the `[model]` table's predictions.
pub const MODEL_COLUMN: &str = "model";

/// The name of a model's label column in `tradelab eval` (to inspect it).
pub const LABEL_COLUMN: &str = "label";

/// A parsed `[model]` table, opaque to the strategy module.
pub trait ModelTable: fmt::Debug + Send + Sync {
    /// Checks the table's expressions and hyperparameters with these
    /// parameter values, in the scope of its strategy's parameters.
    fn check(
        &self,
        params: &std::collections::BTreeMap<String, f64>,
        source: &Source,
    ) -> Result<()>;
    /// The implementing module's own type.
    fn as_any(&self) -> &dyn Any;
}

/// Parses a strategy file's `[model]` table from the file's text (the
/// table's implementation provides it); `Ok(None)` when the file has none.
pub type ModelParser = fn(text: &str, source: &Source) -> Result<Option<Arc<dyn ModelTable>>>;
