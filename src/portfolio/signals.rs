//! A portfolio strategy with per-symbol signals: the one pipeline compiles
//! them once (the plan is the same on every symbol), each symbol's columns
//! are evaluated on its own bars (cross-sectional calls across them), and
//! each bar's entries, exits and entry orders become the engine's orders.

use std::collections::{BTreeMap, HashMap};

use super::legs::{self, scatter};
use crate::data::universe::Universe;
use crate::engine::portfolio::{self as engine, Order, OrderKind, PortfolioRun};
use crate::engine::{EntryKind, ExitReason, Sizing};
use crate::error::Result;
use crate::pipeline;
use crate::strategy::Strategy;

/// The entry value of a signal entry under the execution's sizing.
fn entry_value(sizing: Sizing, value: f64, close: f64) -> f64 {
    match sizing {
        Sizing::Cash(c) => c,
        Sizing::Fraction(f) => f * value,
        Sizing::Units(u) => u * close,
    }
}

/// Runs the signals of `strategy` over `u`, trading from bar `from`
/// (`close`, `open` and `range` start there).
pub(super) fn run(
    strategy: &Strategy,
    params: &BTreeMap<String, f64>,
    u: &Universe,
    from: usize,
    close: &[&[f64]],
    open: Option<&[&[f64]]>,
    range: Option<[&[&[f64]]; 3]>,
) -> Result<PortfolioRun> {
    let exec = &strategy.execution;
    let n = u.len();
    let window = |cols: Vec<Vec<f64>>| -> Vec<Vec<f64>> {
        cols.into_iter().map(|c| c[from..].to_vec()).collect()
    };
    // The one pipeline compiles the signals (the plan is the same
    // on every symbol); cross-sectional calls are computed across them.
    let legs = legs::legs(u);
    let leg0 = &legs[0];
    let prepared = pipeline::prepare(strategy, params, &leg0.candles, &leg0.cache, HashMap::new())?;
    let plan = &prepared.compiled.plan;
    let ids: Vec<usize> = prepared.compiled.signals.iter().map(|x| x.1).collect();
    let base: Vec<_> = legs.iter().map(|_| prepared.externals.clone()).collect();
    let cols = legs::evaluate(plan, &ids, &legs, &base, n);
    let signal = |leg: usize, name: &str| {
        prepared
            .compiled
            .signals
            .iter()
            .position(|x| x.0 == name)
            .map_or_else(
                || vec![f64::NAN; n],
                |i| scatter(&cols[leg][i], &legs[leg].at, n),
            )
    };
    let column = |name: &str| window((0..legs.len()).map(|l| signal(l, name)).collect());
    let (entries, exits) = (column("long_entry"), column("long_exit"));
    // Entry orders: their prices are read at the signal bar's close.
    let entry_orders = prepared
        .compiled
        .orders
        .filter(|o| o.0 != EntryKind::Market);
    let (limits, stops) = (column("limit_price"), column("stop_price"));
    let sizing = exec.sizing();
    let max = exec.max_positions.unwrap_or(usize::MAX);
    let mut orders = |t: usize, st: &engine::State, out: &mut Vec<Order>| {
        // Positions left after this bar's exits, and working orders,
        // take the places; entries fill the free ones in universe order.
        let exiting = |s: usize| exits[s][t] > 0.5 && entries[s][t] <= 0.5;
        let mut held = (0..close.len())
            .filter(|&s| (st.units[s] != 0.0 && !exiting(s)) || st.working[s])
            .count();
        for s in 0..close.len() {
            // An exit with an entry on the same bar keeps the
            // position, as in a single-asset run.
            let entry = entries[s][t] > 0.5;
            let flat = st.units[s] == 0.0;
            if exits[s][t] > 0.5 && !entry {
                out.push(Order {
                    symbol: s,
                    kind: if flat {
                        OrderKind::Cancel
                    } else {
                        OrderKind::Exit {
                            reason: ExitReason::Signal,
                        }
                    },
                });
            } else if entry && flat && entry_orders.is_some() {
                // A newer entry replaces the working order in its place.
                if st.working[s] || held < max {
                    held += usize::from(!st.working[s]);
                    out.push(Order {
                        symbol: s,
                        kind: OrderKind::Place {
                            limit: limits[s][t],
                            stop: stops[s][t],
                        },
                    });
                }
            } else if entry && flat && held < max {
                held += 1;
                out.push(Order {
                    symbol: s,
                    kind: OrderKind::Entry {
                        value: entry_value(sizing, st.value, close[s][t]),
                    },
                });
            }
        }
    };
    Ok(engine::run(
        engine::Inputs {
            close,
            open,
            range,
            orders: &mut orders,
            entry_orders,
        },
        exec,
    ))
}
