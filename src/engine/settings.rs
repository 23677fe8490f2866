//! The engine's settings, the `[execution]` table of a strategy file as it
//! is: costs, fills, sizing and stops, with their ranges. The engine reads
//! them directly and derives its fee, slippage and sizing models from them.

use serde::{Deserialize, Serialize};

use super::costs::{FeeModel, Sizing, SlippageModel};

/// When a signal fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Fill {
    /// At the next bar's open (no look-ahead; the default).
    #[default]
    NextOpen,
    /// At the signal bar's close.
    Close,
}

/// `[execution]`: costs, fills, sizing and stops. Validated on load.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Execution {
    pub cash: f64,
    /// Fraction of traded value, per side.
    pub commission: f64,
    /// Fixed fee per order.
    pub commission_fixed: f64,
    pub slippage_bps: f64,
    pub fill: Fill,
    /// Fraction of equity per entry (default 1.0 when no other size is set).
    pub size: Option<f64>,
    pub size_cash: Option<f64>,
    pub size_units: Option<f64>,
    pub whole_units: bool,
    pub stop_loss: Option<f64>,
    pub take_profit: Option<f64>,
    pub trailing_stop: Option<f64>,
    pub close_at_end: bool,
    /// Portfolio signals: hold at most this many symbols at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_positions: Option<usize>,
}

impl Default for Execution {
    fn default() -> Self {
        Execution {
            cash: 10_000.0,
            commission: 0.0,
            commission_fixed: 0.0,
            slippage_bps: 0.0,
            fill: Fill::NextOpen,
            size: None,
            size_cash: None,
            size_units: None,
            whole_units: false,
            stop_loss: None,
            take_profit: None,
            trailing_stop: None,
            close_at_end: true,
            max_positions: None,
        }
    }
}

impl Execution {
    /// The first setting out of its range: (key, message).
    pub fn invalid(&self) -> Option<(&'static str, String)> {
        let range = |key: &'static str, v: f64, ok: bool, want: &str| {
            (!ok || !v.is_finite()).then(|| (key, format!("{key} = {v} is out of range: {want}")))
        };
        let opt = |key: &'static str, v: Option<f64>, lo: f64, hi: f64, want: &str| {
            v.and_then(|v| range(key, v, v > lo && v < hi, want))
        };
        let sizes = [self.size, self.size_cash, self.size_units]
            .iter()
            .filter(|s| s.is_some())
            .count();
        range("cash", self.cash, self.cash > 0.0, "must be > 0")
            .or_else(|| {
                range(
                    "commission",
                    self.commission,
                    (0.0..0.5).contains(&self.commission),
                    "a fraction in [0, 0.5)",
                )
            })
            .or_else(|| {
                range(
                    "commission_fixed",
                    self.commission_fixed,
                    self.commission_fixed >= 0.0,
                    "must be >= 0",
                )
            })
            .or_else(|| {
                range(
                    "slippage_bps",
                    self.slippage_bps,
                    (0.0..10_000.0).contains(&self.slippage_bps),
                    "basis points in [0, 10000)",
                )
            })
            .or_else(|| {
                opt(
                    "size",
                    self.size,
                    0.0,
                    1.0 + 1e-12,
                    "a fraction of equity in (0, 1]",
                )
            })
            .or_else(|| {
                opt(
                    "size_cash",
                    self.size_cash,
                    0.0,
                    f64::INFINITY,
                    "must be > 0",
                )
            })
            .or_else(|| {
                opt(
                    "size_units",
                    self.size_units,
                    0.0,
                    f64::INFINITY,
                    "must be > 0",
                )
            })
            .or_else(|| {
                opt(
                    "stop_loss",
                    self.stop_loss,
                    0.0,
                    1.0,
                    "a fraction in (0, 1)",
                )
            })
            .or_else(|| {
                opt(
                    "take_profit",
                    self.take_profit,
                    0.0,
                    f64::INFINITY,
                    "a fraction > 0",
                )
            })
            .or_else(|| {
                opt(
                    "trailing_stop",
                    self.trailing_stop,
                    0.0,
                    1.0,
                    "a fraction in (0, 1)",
                )
            })
            .or_else(|| {
                (self.max_positions == Some(0)).then(|| {
                    (
                        "max_positions",
                        "max_positions = 0 is out of range: at least 1".to_string(),
                    )
                })
            })
            .or_else(|| {
                (sizes > 1).then(|| {
                    (
                        "size",
                        "set only one of size, size_cash and size_units".to_string(),
                    )
                })
            })
    }
}

impl Execution {
    /// The fee model: a fraction of traded value plus a fixed fee per order.
    pub fn fees(&self) -> FeeModel {
        FeeModel {
            fraction: self.commission,
            fixed: self.commission_fixed,
        }
    }

    pub fn slippage(&self) -> SlippageModel {
        SlippageModel {
            bps: self.slippage_bps,
        }
    }

    /// How entries are sized: fixed cash, fixed units, or a fraction of equity (1.0 by default).
    pub fn sizing(&self) -> Sizing {
        match (self.size, self.size_cash, self.size_units) {
            (_, Some(c), _) => Sizing::Cash(c),
            (_, _, Some(u)) => Sizing::Units(u),
            (f, _, _) => Sizing::Fraction(f.unwrap_or(1.0)),
        }
    }
}
