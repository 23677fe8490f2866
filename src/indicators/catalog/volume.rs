//! TA-Lib's volume and volatility indicators and price transforms beyond
//! the core ones: AD, ADOSC, OBV of any series, TRANGE, NATR, AVGPRICE,
//! MEDPRICE, TYPPRICE, WCLPRICE, Heikin-Ashi.

use super::Group::{PriceTransform as P, Volatility as V, Volume as G};
use super::Output::Number as Num;
use super::Param::{Series as S, Window as W};
use super::{lines, Family, Spec};
use crate::indicators::oscillators::natr;
use crate::indicators::transform::{heikin_ashi, heikin_ashi_all, price, Heikin, Price};
use crate::indicators::volatility::true_range;
use crate::indicators::volume as vol;

#[rustfmt::skip]
pub(super) static SPECS: &[Spec] = &[
    spec!("ad", G, [], [], Num, "0", "Chaikin accumulation/distribution line", |i, o| vol::ad(i.bars.high, i.bars.low, i.bars.close, i.bars.volume, o)),
    spec!("adosc", G, [W("fast"), W("slow")], [3.0, 10.0], Num, "max(fast, slow)-1", "Chaikin A/D oscillator: EMA(fast) − EMA(slow) of the A/D line", |i, o| vol::adosc(i.bars.high, i.bars.low, i.bars.close, i.bars.volume, i.n(0), i.n(1), o)),
    spec!("obv", G, [S("x")], [], Num, "0", "on-balance volume of the series x", |i, o| vol::obv(i.x(0), i.aligned(i.bars.volume), o)),
    spec!("trange", V, [], [], Num, "1", "true range (same as tr)", |i, o| true_range(i.bars.high, i.bars.low, i.bars.close, o)),
    spec!("natr", V, [W("n")], [14.0], Num, "n", "normalized ATR: 100·ATR/close", |i, o| natr(i.bars.high, i.bars.low, i.bars.close, i.n(0), o)),
    spec!("avgprice", P, [], [], Num, "0", "(open + high + low + close)/4", |i, o| price(&i.bars, Price::Avg, o)),
    spec!("medprice", P, [], [], Num, "0", "(high + low)/2", |i, o| price(&i.bars, Price::Median, o)),
    spec!("typprice", P, [], [], Num, "0", "(high + low + close)/3", |i, o| price(&i.bars, Price::Typical, o)),
    spec!("wclprice", P, [], [], Num, "0", "(high + low + 2·close)/4", |i, o| price(&i.bars, Price::WeightedClose, o)),
    spec!("ha_haopen", P, [], [], Num, "0", "Heikin-Ashi open", |i, o| heikin_ashi(&i.bars, Heikin::Open, o)),
    spec!("ha_hahigh", P, [], [], Num, "0", "Heikin-Ashi high", |i, o| heikin_ashi(&i.bars, Heikin::High, o)),
    spec!("ha_halow", P, [], [], Num, "0", "Heikin-Ashi low", |i, o| heikin_ashi(&i.bars, Heikin::Low, o)),
    spec!("ha_haclose", P, [], [], Num, "0", "Heikin-Ashi close", |i, o| heikin_ashi(&i.bars, Heikin::Close, o)),
];

/// The four Heikin-Ashi columns asked together: one pass for all.
pub(super) static FAMILIES: &[Family] = &[Family {
    names: &["ha_haopen", "ha_hahigh", "ha_halow", "ha_haclose"],
    compute: |i, o| heikin_ashi_all(&i.bars, lines(o)),
}];
