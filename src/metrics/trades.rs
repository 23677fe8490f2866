//! Trade statistics over closed trades: count, win rate, best/worst/average
//! trade, duration, profit factor, expectancy, SQN and Kelly.

use super::risk::Welford;
use crate::engine::Trade;

/// Statistics of the closed trades (an open trade is not counted).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TradeStats {
    pub trades: usize,
    pub win_rate: Option<f64>,
    pub best_trade: Option<f64>,
    pub worst_trade: Option<f64>,
    /// Geometric mean of trade returns.
    pub avg_trade: Option<f64>,
    pub avg_trade_bars: Option<f64>,
    pub max_trade_bars: Option<usize>,
    /// Gross profit / gross loss, in money.
    pub profit_factor: Option<f64>,
    /// Mean trade return.
    pub expectancy: Option<f64>,
    /// `√n · mean(PnL) / std(PnL)`.
    pub sqn: Option<f64>,
    /// `W − (1 − W)/(avg win / avg loss)` on PnL.
    pub kelly: Option<f64>,
}

pub fn trade_stats(all: &[Trade]) -> TradeStats {
    let closed: Vec<&Trade> = all.iter().filter(|t| !t.is_open()).collect();
    let n = closed.len();
    if n == 0 {
        return TradeStats::default();
    }
    let nf = n as f64;
    let wins: Vec<f64> = closed.iter().map(|t| t.pnl).filter(|p| *p > 0.0).collect();
    let losses: Vec<f64> = closed.iter().map(|t| -t.pnl).filter(|p| *p > 0.0).collect();
    let win_rate = wins.len() as f64 / nf;
    let rets = closed.iter().map(|t| t.ret);
    let gross_win: f64 = wins.iter().sum();
    let gross_loss: f64 = losses.iter().sum();
    let mut pnl = Welford::default();
    let mut ret = Welford::default();
    for t in &closed {
        pnl.push(t.pnl);
        ret.push(t.ret);
    }
    let geo = closed.iter().map(|t| (1.0 + t.ret).ln()).sum::<f64>() / nf;
    let kelly = if wins.is_empty() || losses.is_empty() {
        None
    } else {
        let ratio = (gross_win / wins.len() as f64) / (gross_loss / losses.len() as f64);
        Some(win_rate - (1.0 - win_rate) / ratio)
    };
    TradeStats {
        trades: n,
        win_rate: Some(win_rate),
        best_trade: rets.clone().reduce(f64::max),
        worst_trade: rets.reduce(f64::min),
        avg_trade: Some(geo.exp() - 1.0),
        avg_trade_bars: Some(
            closed
                .iter()
                .map(|t| (t.exit_bar - t.entry_bar) as f64)
                .sum::<f64>()
                / nf,
        ),
        max_trade_bars: closed.iter().map(|t| t.exit_bar - t.entry_bar).max(),
        profit_factor: (gross_loss > 0.0).then(|| gross_win / gross_loss),
        expectancy: ret.mean(),
        sqn: pnl
            .std()
            .filter(|s| *s > 0.0)
            .map(|s| nf.sqrt() * pnl.mean().unwrap_or(0.0) / s),
        kelly,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ExitReason;

    fn t(pnl: f64, ret: f64, bars: usize, open: bool) -> Trade {
        Trade {
            entry_bar: 0,
            exit_bar: bars,
            side: 1,
            units: 1.0,
            entry_price: 1.0,
            exit_price: 1.0,
            pnl,
            ret,
            commission: 0.0,
            exit_reason: if open {
                ExitReason::Open
            } else {
                ExitReason::Signal
            },
            signal_bar: None,
            order: None,
        }
    }

    #[test]
    fn by_hand() {
        let trades = [
            t(100.0, 0.1, 4, false),
            t(-50.0, -0.05, 2, false),
            t(30.0, 0.03, 3, false),
            t(9.0, 0.9, 1, true),
        ];
        let s = trade_stats(&trades);
        assert_eq!(s.trades, 3);
        assert_eq!(s.win_rate, Some(2.0 / 3.0));
        assert_eq!((s.best_trade, s.worst_trade), (Some(0.1), Some(-0.05)));
        assert_eq!(s.profit_factor, Some(130.0 / 50.0));
        assert_eq!(s.avg_trade_bars, Some(3.0));
        assert_eq!(s.max_trade_bars, Some(4));
        // Kelly: 2/3 − (1/3)/((130/2)/50) = 2/3 − 1/3.9
        assert!((s.kelly.unwrap() - (2.0 / 3.0 - 1.0 / 3.9)).abs() < 1e-15);
        // SQN: √3 · mean(100, −50, 30) / std = √3 · 26.667 / 75.05...
        let m = 80.0 / 3.0;
        let sd =
            (((100.0 - m) * (100.0 - m) + (-50.0 - m) * (-50.0 - m) + (30.0 - m) * (30.0 - m))
                / 2.0f64)
                .sqrt();
        assert!((s.sqn.unwrap() - 3f64.sqrt() * m / sd).abs() < 1e-12);
        let geo = ((1.1f64 * 0.95 * 1.03).ln() / 3.0).exp() - 1.0;
        assert!((s.avg_trade.unwrap() - geo).abs() < 1e-15);
        assert_eq!(trade_stats(&[]).trades, 0);
    }
}
