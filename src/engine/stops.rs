//! Stop-loss, take-profit and trailing stops: levels from the fill price,
//! checked against each bar's range; a gap through a level fills at the
//! open; when a stop and a target could both trigger in one bar, the stop is
//! assumed to have come first.

use super::{Execution, ExitReason};

/// The active levels of one position.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Stops {
    stop: Option<f64>,
    target: Option<f64>,
    trail: Option<f64>,
    /// Best price since entry (highest for longs, lowest for shorts).
    extreme: f64,
}

impl Stops {
    pub(super) fn new(cfg: &Execution, side: i8, entry: f64) -> Stops {
        let s = f64::from(side);
        Stops {
            stop: cfg.stop_loss.map(|f| entry * (1.0 - s * f)),
            target: cfg.take_profit.map(|f| entry * (1.0 + s * f)),
            trail: cfg.trailing_stop,
            extreme: entry,
        }
    }

    fn trail_level(&self, side: i8) -> Option<f64> {
        self.trail
            .map(|f| self.extreme * (1.0 - f64::from(side) * f))
    }

    /// The exit (price, reason) this bar triggers, if any.
    pub(super) fn check(
        &self,
        side: i8,
        open: f64,
        high: f64,
        low: f64,
    ) -> Option<(f64, ExitReason)> {
        let long = side > 0;
        // The protective level nearest to the price: the tighter of stop and trail.
        let protective = [
            self.stop.map(|l| (l, ExitReason::StopLoss)),
            self.trail_level(side)
                .map(|l| (l, ExitReason::TrailingStop)),
        ]
        .into_iter()
        .flatten()
        .reduce(|a, b| {
            if (long && b.0 > a.0) || (!long && b.0 < a.0) {
                b
            } else {
                a
            }
        });
        if let Some((level, reason)) = protective {
            let hit = if long { low <= level } else { high >= level };
            if hit {
                let gapped = if long { open < level } else { open > level };
                return Some((if gapped { open } else { level }, reason));
            }
        }
        if let Some(level) = self.target {
            let hit = if long { high >= level } else { low <= level };
            if hit {
                let gapped = if long { open > level } else { open < level };
                return Some((if gapped { open } else { level }, ExitReason::TakeProfit));
            }
        }
        None
    }

    /// Moves the trailing reference after a bar that did not exit.
    pub(super) fn update(&mut self, side: i8, high: f64, low: f64) {
        if side > 0 {
            self.extreme = self.extreme.max(high);
        } else {
            self.extreme = self.extreme.min(low);
        }
    }
}
