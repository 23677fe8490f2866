//! One symbol's signal columns of a portfolio strategy (what `tradelab
//! eval --symbol S` writes): evaluated on every symbol, so that
//! cross-sectional functions see the whole universe, then that symbol's.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::legs;
use crate::data::universe::Universe;
use crate::data::Candles;
use crate::error::{Error, Result};
use crate::pipeline;
use crate::strategy::Strategy;

/// Columns by name.
pub type Named = Vec<(String, Arc<Vec<f64>>)>;

/// The symbol's own candles and its signals by name.
pub fn signals(
    strategy: &Strategy,
    params: &BTreeMap<String, f64>,
    universe: &Universe,
    symbol: &str,
) -> Result<(Candles, Named)> {
    let u = super::universe_of(strategy, universe)?;
    let Some(i) = u.series.iter().position(|s| s.symbol == symbol) else {
        return Err(Error::Usage(format!(
            "no symbol '{symbol}' in the universe ({})",
            u.symbols().join(", ")
        )));
    };
    let legs = legs::legs(&u);
    let prepared = pipeline::prepare(
        strategy,
        params,
        &legs[i].candles,
        &legs[i].cache,
        HashMap::new(),
    )?;
    let ids: Vec<usize> = prepared.compiled.signals.iter().map(|x| x.1).collect();
    let base: Vec<_> = legs.iter().map(|_| prepared.externals.clone()).collect();
    let mut cols = legs::evaluate(&prepared.compiled.plan, &ids, &legs, &base, u.len());
    let names = prepared.compiled.signals.iter().map(|x| x.0.to_string());
    let out = names.zip(cols.swap_remove(i)).collect();
    let candles = legs.into_iter().nth(i).expect("the symbol's leg").candles;
    Ok((candles, out))
}
