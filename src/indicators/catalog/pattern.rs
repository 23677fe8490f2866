//! TA-Lib's candlestick patterns: one line each; the rules are in
//! `indicators::candles`, which shares TA-Lib's candle settings among them.
//! Each returns TA-Lib's integers: 100 bullish, −100 bearish, ±80 for a
//! weaker form, 0 otherwise and during the lookback.

use super::Group::Pattern as G;
use super::Output::Integer as Int;
use super::Param::Number as F;
use super::Spec;
use crate::indicators::candles::{self as cd, run};

#[rustfmt::skip]
pub(super) static SPECS: &[Spec] = &[
    spec!("cdldoji", G, [], [], Int, "10", "doji", |i, o| run(&cd::DOJI, &i.bars, 0.0, o)),
    spec!("cdldragonflydoji", G, [], [], Int, "10", "dragonfly doji", |i, o| run(&cd::DRAGONFLYDOJI, &i.bars, 0.0, o)),
    spec!("cdlgravestonedoji", G, [], [], Int, "10", "gravestone doji", |i, o| run(&cd::GRAVESTONEDOJI, &i.bars, 0.0, o)),
    spec!("cdllongleggeddoji", G, [], [], Int, "10", "long-legged doji", |i, o| run(&cd::LONGLEGGEDDOJI, &i.bars, 0.0, o)),
    spec!("cdlrickshawman", G, [], [], Int, "10", "rickshaw man", |i, o| run(&cd::RICKSHAWMAN, &i.bars, 0.0, o)),
    spec!("cdlmarubozu", G, [], [], Int, "10", "marubozu", |i, o| run(&cd::MARUBOZU, &i.bars, 0.0, o)),
    spec!("cdlclosingmarubozu", G, [], [], Int, "10", "closing marubozu", |i, o| run(&cd::CLOSINGMARUBOZU, &i.bars, 0.0, o)),
    spec!("cdllongline", G, [], [], Int, "10", "long line candle", |i, o| run(&cd::LONGLINE, &i.bars, 0.0, o)),
    spec!("cdlshortline", G, [], [], Int, "10", "short line candle", |i, o| run(&cd::SHORTLINE, &i.bars, 0.0, o)),
    spec!("cdlspinningtop", G, [], [], Int, "10", "spinning top", |i, o| run(&cd::SPINNINGTOP, &i.bars, 0.0, o)),
    spec!("cdlhighwave", G, [], [], Int, "10", "high-wave candle", |i, o| run(&cd::HIGHWAVE, &i.bars, 0.0, o)),
    spec!("cdlbelthold", G, [], [], Int, "10", "belt hold", |i, o| run(&cd::BELTHOLD, &i.bars, 0.0, o)),
    spec!("cdltakuri", G, [], [], Int, "10", "takuri (dragonfly doji with a very long lower shadow)", |i, o| run(&cd::TAKURI, &i.bars, 0.0, o)),
    spec!("cdlhammer", G, [], [], Int, "11", "hammer", |i, o| run(&cd::HAMMER, &i.bars, 0.0, o)),
    spec!("cdlhangingman", G, [], [], Int, "11", "hanging man", |i, o| run(&cd::HANGINGMAN, &i.bars, 0.0, o)),
    spec!("cdlinvertedhammer", G, [], [], Int, "11", "inverted hammer", |i, o| run(&cd::INVERTEDHAMMER, &i.bars, 0.0, o)),
    spec!("cdlshootingstar", G, [], [], Int, "11", "shooting star", |i, o| run(&cd::SHOOTINGSTAR, &i.bars, 0.0, o)),
    spec!("cdlengulfing", G, [], [], Int, "2", "engulfing (±80 when a body edge is equal)", |i, o| run(&cd::ENGULFING, &i.bars, 0.0, o)),
    spec!("cdlharami", G, [], [], Int, "11", "harami (±80 when a body edge is equal)", |i, o| run(&cd::HARAMI, &i.bars, 0.0, o)),
    spec!("cdlharamicross", G, [], [], Int, "11", "harami cross", |i, o| run(&cd::HARAMICROSS, &i.bars, 0.0, o)),
    spec!("cdldojistar", G, [], [], Int, "11", "doji star", |i, o| run(&cd::DOJISTAR, &i.bars, 0.0, o)),
    spec!("cdlmorningstar", G, [F("penetration")], [0.3], Int, "12", "morning star", |i, o| run(&cd::MORNINGSTAR, &i.bars, i.f(0), o)),
    spec!("cdleveningstar", G, [F("penetration")], [0.3], Int, "12", "evening star", |i, o| run(&cd::EVENINGSTAR, &i.bars, i.f(0), o)),
    spec!("cdlmorningdojistar", G, [F("penetration")], [0.3], Int, "12", "morning doji star", |i, o| run(&cd::MORNINGDOJISTAR, &i.bars, i.f(0), o)),
    spec!("cdleveningdojistar", G, [F("penetration")], [0.3], Int, "12", "evening doji star", |i, o| run(&cd::EVENINGDOJISTAR, &i.bars, i.f(0), o)),
    spec!("cdlpiercing", G, [], [], Int, "11", "piercing line", |i, o| run(&cd::PIERCING, &i.bars, 0.0, o)),
    spec!("cdldarkcloudcover", G, [F("penetration")], [0.5], Int, "11", "dark cloud cover", |i, o| run(&cd::DARKCLOUDCOVER, &i.bars, i.f(0), o)),
    spec!("cdlkicking", G, [], [], Int, "11", "kicking", |i, o| run(&cd::KICKING, &i.bars, 0.0, o)),
    spec!("cdlkickingbylength", G, [], [], Int, "11", "kicking, signed by the longer marubozu", |i, o| run(&cd::KICKINGBYLENGTH, &i.bars, 0.0, o)),
    spec!("cdlcounterattack", G, [], [], Int, "11", "counterattack", |i, o| run(&cd::COUNTERATTACK, &i.bars, 0.0, o)),
    spec!("cdlhomingpigeon", G, [], [], Int, "11", "homing pigeon", |i, o| run(&cd::HOMINGPIGEON, &i.bars, 0.0, o)),
    spec!("cdlmatchinglow", G, [], [], Int, "6", "matching low", |i, o| run(&cd::MATCHINGLOW, &i.bars, 0.0, o)),
    spec!("cdlinneck", G, [], [], Int, "11", "in-neck", |i, o| run(&cd::INNECK, &i.bars, 0.0, o)),
    spec!("cdlonneck", G, [], [], Int, "11", "on-neck", |i, o| run(&cd::ONNECK, &i.bars, 0.0, o)),
    spec!("cdlthrusting", G, [], [], Int, "11", "thrusting", |i, o| run(&cd::THRUSTING, &i.bars, 0.0, o)),
    spec!("cdlseparatinglines", G, [], [], Int, "11", "separating lines", |i, o| run(&cd::SEPARATINGLINES, &i.bars, 0.0, o)),
    spec!("cdl3inside", G, [], [], Int, "12", "three inside up/down", |i, o| run(&cd::THREEINSIDE, &i.bars, 0.0, o)),
    spec!("cdl3outside", G, [], [], Int, "3", "three outside up/down", |i, o| run(&cd::THREEOUTSIDE, &i.bars, 0.0, o)),
    spec!("cdl2crows", G, [], [], Int, "12", "two crows", |i, o| run(&cd::TWOCROWS, &i.bars, 0.0, o)),
    spec!("cdlupsidegap2crows", G, [], [], Int, "12", "upside gap two crows", |i, o| run(&cd::UPSIDEGAP2CROWS, &i.bars, 0.0, o)),
    spec!("cdl3blackcrows", G, [], [], Int, "13", "three black crows", |i, o| run(&cd::THREEBLACKCROWS, &i.bars, 0.0, o)),
    spec!("cdlidentical3crows", G, [], [], Int, "12", "identical three crows", |i, o| run(&cd::IDENTICAL3CROWS, &i.bars, 0.0, o)),
    spec!("cdltristar", G, [], [], Int, "12", "tristar", |i, o| run(&cd::TRISTAR, &i.bars, 0.0, o)),
    spec!("cdlsticksandwich", G, [], [], Int, "7", "stick sandwich", |i, o| run(&cd::STICKSANDWICH, &i.bars, 0.0, o)),
    spec!("cdlgapsidesidewhite", G, [], [], Int, "7", "up/down-gap side-by-side white lines", |i, o| run(&cd::GAPSIDESIDEWHITE, &i.bars, 0.0, o)),
    spec!("cdltasukigap", G, [], [], Int, "7", "tasuki gap", |i, o| run(&cd::TASUKIGAP, &i.bars, 0.0, o)),
    spec!("cdlunique3river", G, [], [], Int, "12", "unique three river", |i, o| run(&cd::UNIQUE3RIVER, &i.bars, 0.0, o)),
    spec!("cdlabandonedbaby", G, [F("penetration")], [0.3], Int, "12", "abandoned baby", |i, o| run(&cd::ABANDONEDBABY, &i.bars, i.f(0), o)),
];
