//! The sweep's event-driven engine (`backtest::trial`) against the dense
//! reference (`backtest::run`: every bar through `engine::run`, metrics of
//! the whole equity curve): every metric and every period return equal bit
//! for bit, on every shipped single-asset strategy, its defaults and random
//! parameter sets, under several execution settings, on the three shipped
//! datasets; and where the event-driven engine declines (stops, entry
//! orders, a bankruptcy), the fallback equal too.

mod common;
use common::{dataset, root};

use std::collections::BTreeMap;

use tradelab::backtest;
use tradelab::data::synth::{synth, SynthConfig};
use tradelab::data::Candles;
use tradelab::engine::{ExitReason, Fill};
use tradelab::metrics::Metrics;
use tradelab::optimize::space::Space;
use tradelab::strategy::{ColumnCache, Strategy};

fn load(name: &str) -> Candles {
    tradelab::data::load(&dataset(name)).expect("dataset").0
}

fn strategy(name: &str) -> Strategy {
    tradelab::pipeline::load(&root().join("strategies").join(name)).expect("strategy")
}

/// Dense and event-driven results must agree bit for bit; returns whether
/// the event-driven engine ran (rather than falling back), None when both
/// refuse the data. A run that goes bankrupt is always the dense engine's.
fn agree(
    s: &Strategy,
    p: &BTreeMap<String, f64>,
    c: &Candles,
    cache: &ColumnCache,
) -> Option<bool> {
    let what = format!(
        "{} {} on {}",
        s.name,
        Strategy::describe_params(p),
        c.source.display()
    );
    let dense = match backtest::run(s, p, &s.execution, c, cache) {
        Ok(d) => d,
        Err(e) => {
            // A strategy that does not apply to the data (a daily `on()`
            // over monthly bars) is refused the same way by both.
            let fast = backtest::trial(s, p, c, cache).expect_err("the trial refuses it too");
            assert_eq!(e.to_string(), fast.to_string(), "{what}");
            return None;
        }
    };
    let fast: (Metrics, Vec<f64>) = backtest::trial(s, p, c, cache).expect("trial");
    assert_eq!(dense.metrics.len(), fast.0.len(), "{what}");
    for (k, v) in &dense.metrics {
        assert_eq!(
            v.map(f64::to_bits),
            fast.0[k].map(f64::to_bits),
            "{what}: {k} = {v:?} dense, {:?} event-driven",
            fast.0[k]
        );
    }
    let bits = |r: &[f64]| r.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(
        bits(&dense.returns),
        bits(&fast.1),
        "{what}: period returns"
    );
    let prepared =
        tradelab::pipeline::prepare(s, p, c, cache, Default::default()).expect("prepare");
    let ran = backtest::sparse_trial(s, &prepared, c, cache).is_some();
    let broke = dense
        .backtest
        .trades
        .iter()
        .any(|t| t.exit_reason == ExitReason::Bankrupt);
    assert!(
        !(ran && broke),
        "{what}: a bankrupt run is the dense engine's"
    );
    Some(ran || broke)
}

/// Shipped single-asset strategies (the ML ones are checked at their
/// defaults only: each fit is slow in a debug build).
const PLAIN: [&str; 13] = [
    "adx_trend.toml",
    "bollinger_reversion.toml",
    "breakout_stop.toml",
    "candles_sar.toml",
    "donchian_breakout.toml",
    "ema_cross.toml",
    "htf_pullback.toml",
    "long_short_sma.toml",
    "macd_trend.toml",
    "pullback_limit.toml",
    "rsi_reversion.toml",
    "sma_cross.toml",
    "ml_logistic.toml",
];

/// Whether the strategy places entry orders (`[orders]`).
fn has_orders(s: &Strategy) -> bool {
    std::fs::read_to_string(&s.path)
        .expect("strategy file")
        .contains("[orders]")
}

/// The execution settings tried on each: as shipped, the other fill, no
/// close at the end, costs of every kind, a part of equity per entry.
fn variants(s: &Strategy) -> Vec<Strategy> {
    let mut out = vec![s.clone()];
    let orders = has_orders(s);
    let mut v = s.clone();
    if !orders {
        v.execution.fill = match v.execution.fill {
            Fill::NextOpen => Fill::Close,
            Fill::Close => Fill::NextOpen,
        };
        out.push(v);
    }
    let mut v = s.clone();
    v.execution.close_at_end = false;
    out.push(v);
    let mut v = s.clone();
    v.execution.slippage_bps = 7.0;
    v.execution.commission_fixed = 1.5;
    v.execution.commission = 0.001;
    out.push(v);
    let mut v = s.clone();
    v.execution.size = Some(0.4);
    v.execution.size_cash = None;
    v.execution.size_units = None;
    v.execution.whole_units = !s.execution.whole_units;
    out.push(v);
    out
}

#[test]
fn every_shipped_strategy_agrees_with_the_dense_reference() {
    let data = [load("GOOG.csv"), load("EURUSD.csv"), load("BTCUSD.csv")];
    let (mut fast, mut refused, mut batched) = (0, 0, 0);
    for name in PLAIN {
        let s = strategy(name);
        let ml = name.starts_with("ml_");
        // Stops and entry orders are the dense engine's alone.
        let x = &s.execution;
        let stops = x.stop_loss.or(x.take_profit).or(x.trailing_stop).is_some();
        let event_driven = !stops && !has_orders(&s);
        let space = Space::of(&s).expect("space");
        let mut points = vec![s.defaults()];
        if !ml {
            points.extend(space.random(&s, 6, 7).expect("random points"));
        }
        for c in &data {
            if ml && !c.source.ends_with("GOOG.csv") {
                continue;
            }
            let variants = if ml { vec![s.clone()] } else { variants(&s) };
            for v in &variants {
                // One cache per setting and dataset, as a sweep has.
                let cache = ColumnCache::default();
                for p in &points {
                    match agree(v, p, c, &cache) {
                        Some(ran) => {
                            assert_eq!(ran, event_driven, "{name}: which engine");
                            fast += usize::from(ran);
                            // (ran counts a bankruptcy left to the fallback)
                        }
                        None => refused += 1,
                    }
                }
                // The same points as a sweep runs them: the crossings of
                // all found together first (`backtest::prefetch`).
                let cache = ColumnCache::default();
                backtest::prefetch(v, &points, c, &cache);
                batched += usize::from(cache.crossings_held() > 0);
                for p in &points {
                    agree(v, p, c, &cache);
                }
            }
        }
    }
    // Crossings of data alone as a signal, and no stops or orders:
    // sma_cross, ema_cross, long_short_sma, bollinger_reversion and
    // macd_trend, × 3 datasets × 5 settings.
    assert_eq!(batched, 5 * 3 * 5);
    // 8 strategies without stops or orders × 3 datasets × 5 settings × 7
    // points, and ml_logistic once; htf_pullback's daily `on()` is refused
    // on monthly BTCUSD (5 settings × 7 points).
    assert_eq!((fast, refused), (8 * 3 * 5 * 7 - 5 * 7 + 1, 5 * 7));
}

#[test]
fn the_ml_strategies_agree_at_their_defaults() {
    let c = load("GOOG.csv");
    // ml_tree has no stops: the event-driven engine; ml_meta_label has a
    // stop loss: the fallback.
    for (name, event_driven) in [("ml_tree.toml", true), ("ml_meta_label.toml", false)] {
        let s = strategy(name);
        let cache = ColumnCache::default();
        assert_eq!(
            agree(&s, &s.defaults(), &c, &cache),
            Some(event_driven),
            "{name}"
        );
    }
}

#[test]
fn the_canonical_sweep_strategy_on_a_million_bars_shape() {
    // benches/sweep_sma.toml (fills at the close) on 20,000 synthetic
    // one-minute bars, every grid point: long flat runs, many blocks skipped.
    let s = tradelab::pipeline::load(&root().join("benches/sweep_sma.toml")).expect("strategy");
    let c = synth(&SynthConfig {
        bars: 20_000,
        seed: 42,
        ..Default::default()
    });
    let cache = ColumnCache::default();
    let points = Space::of(&s)
        .expect("space")
        .grid(&s, 10_000)
        .expect("grid");
    assert_eq!(points.len(), 499);
    for p in points.iter().step_by(7) {
        assert_eq!(agree(&s, p, &c, &cache), Some(true));
    }
}

#[test]
fn a_bankrupt_short_falls_back_and_still_agrees() {
    // long_short_sma on a wild synthetic series (volatility 400 % a year):
    // some short is wiped out, which only the dense engine handles.
    let s = strategy("long_short_sma.toml");
    let c = synth(&SynthConfig {
        bars: 3_000,
        seed: 3,
        spacing_ms: 86_400_000,
        volatility: 4.0,
        drift: 2.0,
        ..Default::default()
    });
    let cache = ColumnCache::default();
    let mut bankrupt = 0;
    for p in Space::of(&s)
        .expect("space")
        .random(&s, 12, 5)
        .expect("points")
    {
        let dense = backtest::run(&s, &p, &s.execution, &c, &cache).expect("run");
        if dense
            .backtest
            .trades
            .iter()
            .any(|t| t.exit_reason == ExitReason::Bankrupt)
        {
            bankrupt += 1;
        }
        // agree() checks the fallback on each bankrupt run.
        assert_eq!(agree(&s, &p, &c, &cache), Some(true));
    }
    assert!(bankrupt > 0, "the series wipes out at least one short");
}

#[test]
fn long_and_short_runs_on_a_million_bars_shape() {
    // long_short_sma on 20,000 synthetic one-minute bars: long and short
    // runs of hundreds of bars, so part blocks under the peak (taken from
    // their block's bounds where those settle it) on both sides.
    let s = strategy("long_short_sma.toml");
    let c = synth(&SynthConfig {
        bars: 20_000,
        seed: 11,
        ..Default::default()
    });
    let cache = ColumnCache::default();
    for p in Space::of(&s)
        .expect("space")
        .random(&s, 10, 2)
        .expect("points")
    {
        assert_eq!(agree(&s, &p, &c, &cache), Some(true));
    }
}
