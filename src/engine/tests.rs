//! Hand-computed engine cases: fills, stops, targets, trailing stops (gap
//! through, both in one bar, short side), reversals and the end of data.

use super::*;

fn cfg() -> Execution {
    Execution {
        cash: 10_000.0,
        size: Some(1.0),
        close_at_end: false,
        ..Execution::default()
    }
}

/// Bars given as (open, high, low, close).
fn bars(rows: &[(f64, f64, f64, f64)]) -> [Vec<f64>; 4] {
    [
        rows.iter().map(|r| r.0).collect(),
        rows.iter().map(|r| r.1).collect(),
        rows.iter().map(|r| r.2).collect(),
        rows.iter().map(|r| r.3).collect(),
    ]
}

fn go(rows: &[(f64, f64, f64, f64)], long: &[f64], short: &[f64], cfg: &Execution) -> Backtest {
    let [o, h, l, c] = bars(rows);
    let signals = Signals {
        long_entry: (!long.is_empty()).then_some(long),
        short_entry: (!short.is_empty()).then_some(short),
        ..Default::default()
    };
    run(
        Prices {
            open: &o,
            high: &h,
            low: &l,
            close: &c,
        },
        &signals,
        cfg,
    )
}

const FLAT: (f64, f64, f64, f64) = (100.0, 101.0, 99.0, 100.0);

#[test]
fn stop_loss_inside_the_bar() {
    // Signal on bar 0, entry at bar 1's open 100 with 100 units; stop 5 % = 95.
    // Bar 2 trades down to 94: out at 95, PnL −500.
    let c = Execution {
        stop_loss: Some(0.05),
        ..cfg()
    };
    let bt = go(
        &[FLAT, FLAT, (98.0, 99.0, 94.0, 96.0), FLAT],
        &[1.0, 0.0, 0.0, 0.0],
        &[],
        &c,
    );
    let t = &bt.trades[0];
    assert_eq!(
        (t.entry_bar, t.exit_bar, t.exit_price, t.exit_reason),
        (1, 2, 95.0, ExitReason::StopLoss)
    );
    assert_eq!(t.pnl, -500.0);
    assert_eq!(bt.equity, vec![10_000.0, 10_000.0, 9_500.0, 9_500.0]);
}

#[test]
fn gap_through_the_stop_fills_at_the_open() {
    let c = Execution {
        stop_loss: Some(0.05),
        ..cfg()
    };
    let bt = go(
        &[FLAT, FLAT, (90.0, 92.0, 89.0, 91.0)],
        &[1.0, 0.0, 0.0],
        &[],
        &c,
    );
    assert_eq!(
        (bt.trades[0].exit_price, bt.trades[0].pnl),
        (90.0, -1_000.0)
    );
}

#[test]
fn stop_and_target_in_one_bar_assume_the_stop() {
    // Target 10 % = 110 and stop 95 both inside bar 2's range 94..111.
    let c = Execution {
        stop_loss: Some(0.05),
        take_profit: Some(0.10),
        ..cfg()
    };
    let bt = go(
        &[FLAT, FLAT, (100.0, 111.0, 94.0, 105.0)],
        &[1.0, 0.0, 0.0],
        &[],
        &c,
    );
    assert_eq!(
        (bt.trades[0].exit_price, bt.trades[0].exit_reason),
        (95.0, ExitReason::StopLoss)
    );
    // Only the target in range: out at 110.
    let bt = go(
        &[FLAT, FLAT, (100.0, 111.0, 99.0, 105.0)],
        &[1.0, 0.0, 0.0],
        &[],
        &c,
    );
    assert_eq!(bt.trades[0].exit_reason, ExitReason::TakeProfit);
    assert!((bt.trades[0].exit_price - 110.0).abs() < 1e-9);
    // A gap above the target fills at the better open.
    let bt = go(
        &[FLAT, FLAT, (115.0, 116.0, 114.0, 115.0)],
        &[1.0, 0.0, 0.0],
        &[],
        &c,
    );
    assert_eq!(bt.trades[0].exit_price, 115.0);
}

#[test]
fn short_side_stops_mirror() {
    // Short 100 units at 100; stop 5 % above = 105; bar 2's high 106: out at 105, PnL −500.
    let c = Execution {
        stop_loss: Some(0.05),
        take_profit: Some(0.10),
        ..cfg()
    };
    let bt = go(
        &[FLAT, FLAT, (101.0, 106.0, 100.0, 104.0)],
        &[],
        &[1.0, 0.0, 0.0],
        &c,
    );
    let t = &bt.trades[0];
    assert_eq!((t.side, t.exit_price, t.pnl), (-1, 105.0, -500.0));
    // Target 10 % below = 90 reached: out at 90, PnL +1000; return 10 %.
    let bt = go(
        &[FLAT, FLAT, (95.0, 96.0, 89.0, 92.0)],
        &[],
        &[1.0, 0.0, 0.0],
        &c,
    );
    let t = &bt.trades[0];
    assert_eq!(
        (t.exit_price, t.pnl, t.exit_reason),
        (90.0, 1_000.0, ExitReason::TakeProfit)
    );
    assert!((t.ret - 0.1).abs() < 1e-15);
    assert_eq!(bt.equity[2], 11_000.0);
}

#[test]
fn trailing_stop_follows_the_high() {
    // Entry 100 at bar 1; bar 1's high 120 lifts the trail to 108 (10 % below).
    // Bar 2 dips to 107: out at 108.
    let c = Execution {
        trailing_stop: Some(0.10),
        ..cfg()
    };
    let bt = go(
        &[
            FLAT,
            (100.0, 120.0, 99.0, 118.0),
            (115.0, 116.0, 107.0, 110.0),
        ],
        &[1.0, 0.0, 0.0],
        &[],
        &c,
    );
    let t = &bt.trades[0];
    assert_eq!(
        (t.exit_bar, t.exit_price, t.exit_reason),
        (2, 108.0, ExitReason::TrailingStop)
    );
    // The entry bar's own range counts after a next-open fill: 10 % below 100 is 90.
    let bt = go(&[FLAT, (100.0, 100.0, 85.0, 95.0)], &[1.0, 0.0], &[], &c);
    assert_eq!((bt.trades[0].exit_bar, bt.trades[0].exit_price), (1, 90.0));
}

#[test]
fn reversal_closes_then_opens_with_the_cash_after_the_close() {
    // Long 100 units at 100 (bar 1), short signal on bar 1 fills at bar 2's open 110:
    // the long closes with +1000, then 11000/110 = 100 units short.
    let bt = go(
        &[
            FLAT,
            FLAT,
            (110.0, 111.0, 109.0, 110.0),
            (100.0, 101.0, 99.0, 100.0),
        ],
        &[1.0, 0.0, 0.0, 0.0],
        &[0.0, 1.0, 0.0, 0.0],
        &Execution {
            close_at_end: true,
            ..cfg()
        },
    );
    assert_eq!(bt.trades.len(), 2);
    assert_eq!(
        (bt.trades[0].exit_reason, bt.trades[0].pnl),
        (ExitReason::Reverse, 1_000.0)
    );
    let s = &bt.trades[1];
    assert_eq!((s.side, s.units, s.entry_price), (-1, 100.0, 110.0));
    // Closed at the last close 100 (close_at_end): +1000.
    assert_eq!((s.exit_reason, s.pnl), (ExitReason::EndOfData, 1_000.0));
    assert_eq!(*bt.equity.last().unwrap(), 12_000.0);
}

#[test]
fn close_fill_commission_and_slippage() {
    // Fill at the signal bar's close 100, 10 bps slippage: buy at 100.1,
    // fee 0.1 % of value + 1 fixed: units = (10000 − 1)/(100.1·1.001).
    let c = Execution {
        fill: Fill::Close,
        commission: 0.001,
        commission_fixed: 1.0,
        slippage_bps: 10.0,
        close_at_end: true,
        ..cfg()
    };
    let bt = go(&[FLAT, FLAT], &[1.0, 0.0], &[], &c);
    let t = &bt.trades[0];
    let units = 9_999.0 / (100.1 * 1.001);
    assert!((t.units - units).abs() < 1e-9);
    assert_eq!((t.entry_bar, t.entry_price), (0, 100.0 * 1.001));
    // The end-of-data close is at the raw close 100 (no slippage on the forced exit).
    let fees = 0.001 * units * 100.1 + 1.0 + 0.001 * units * 100.0 + 1.0;
    assert!((t.commission - fees).abs() < 1e-9);
    assert!((bt.equity[1] - (10_000.0 + units * (100.0 - 100.1) - fees)).abs() < 1e-9);
}

#[test]
fn warm_up_nan_signals_never_fire() {
    let bt = go(&[FLAT, FLAT, FLAT], &[f64::NAN, f64::NAN, 0.0], &[], &cfg());
    assert!(bt.trades.is_empty());
    assert_eq!(bt.bars_in_market, 0);
}
