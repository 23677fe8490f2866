//! Costs and fills as small models: commission (fraction plus fixed fee per
//! order) and slippage (basis points against the trader).

/// Which way an order trades.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Buy,
    Sell,
}

/// Commission per order: `fraction · units · price + fixed`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FeeModel {
    pub fraction: f64,
    pub fixed: f64,
}

impl FeeModel {
    pub fn fee(&self, units: f64, price: f64) -> f64 {
        self.fraction * units * price + self.fixed
    }
}

/// Slippage in basis points: buys fill higher, sells lower.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SlippageModel {
    pub bps: f64,
}

impl SlippageModel {
    pub fn price(&self, price: f64, side: Side) -> f64 {
        let s = self.bps / 10_000.0;
        match side {
            Side::Buy => price * (1.0 + s),
            Side::Sell => price * (1.0 - s),
        }
    }
}

/// How an entry is sized.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sizing {
    /// This fraction of the flat account's equity.
    Fraction(f64),
    /// This much cash (at most the equity).
    Cash(f64),
    /// This many units (at most what the equity buys).
    Units(f64),
}

impl Sizing {
    /// Units to trade at `price` with `equity` available, after fees.
    /// Whole units are floored; a fraction of equity is shaved by 2.2e-16
    /// first, as backtesting.py does, so that rounding never overspends.
    pub fn units(&self, equity: f64, price: f64, fees: &FeeModel, whole: bool) -> f64 {
        let affordable =
            |budget: f64| ((budget - fees.fixed) / (price * (1.0 + fees.fraction))).max(0.0);
        let units = match *self {
            Sizing::Fraction(f) if whole => affordable(equity * f * (1.0 - 2.2e-16)),
            Sizing::Fraction(f) => affordable(equity * f),
            Sizing::Cash(c) => affordable(c.min(equity)),
            Sizing::Units(u) => u.min(affordable(equity)),
        };
        if whole {
            units.floor()
        } else {
            units
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backtesting_py_sizing() {
        // floor(10000·(1 − 2.2e-16)/(179.13·1.002)) = floor(55.71...) = 55 (the oracle's first trade).
        let fees = FeeModel {
            fraction: 0.002,
            fixed: 0.0,
        };
        assert_eq!(
            Sizing::Fraction(1.0).units(10_000.0, 179.13, &fees, true),
            55.0
        );
        // Fractional: 10000/(180.4·1.002) = 55.3217... (vectorbt's first trade).
        let u = Sizing::Fraction(1.0).units(10_000.0, 180.4, &fees, false);
        assert!((u - 55.3217290474).abs() < 1e-9);
        assert_eq!(
            Sizing::Cash(1000.0).units(
                10_000.0,
                100.0,
                &FeeModel {
                    fraction: 0.0,
                    fixed: 0.0
                },
                true
            ),
            10.0
        );
        let free = FeeModel {
            fraction: 0.0,
            fixed: 0.0,
        };
        assert_eq!(Sizing::Units(500.0).units(1000.0, 10.0, &free, true), 100.0);
        assert_eq!(Sizing::Units(5.0).units(1000.0, 10.0, &free, true), 5.0);
        assert_eq!(fees.fee(55.0, 179.13), 0.002 * 55.0 * 179.13);
        let slip = SlippageModel { bps: 10.0 };
        assert_eq!(slip.price(100.0, Side::Buy), 100.0 * 1.001);
        assert_eq!(slip.price(100.0, Side::Sell), 100.0 * 0.999);
    }
}
