//! Two-candle patterns: engulfing, harami, doji star, piercing and dark
//! cloud, kicking, counterattack, homing pigeon, matching low, the necks,
//! thrusting, separating lines.

use super::Setting::*;
use super::{yes, Avg, Pattern, C};

/// Within `tol` of `v`.
fn near(x: f64, v: f64, tol: f64) -> bool {
    x <= v + tol && x >= v - tol
}

pub static ENGULFING: Pattern = Pattern { uses: &[], back: 2 };
#[inline(always)]
pub fn engulfing(c: &C, i: usize, _: &Avg, _: f64) -> f64 {
    let (o, cl, o1, c1) = (c.o[i], c.c[i], c.o[i - 1], c.c[i - 1]);
    let white =
        c.color(i) > 0.0 && c.color(i - 1) < 0.0 && ((cl >= o1 && o < c1) || (cl > o1 && o <= c1));
    let black =
        c.color(i) < 0.0 && c.color(i - 1) > 0.0 && ((o >= c1 && cl < o1) || (o > c1 && cl <= o1));
    if !(white | black) {
        0.0
    } else if o != c1 && cl != o1 {
        c.color(i) * 100.0
    } else {
        c.color(i) * 80.0
    }
}

/// Without a branch: whether the bodies are long and small and whether
/// the second is inside the first are each data, unpredictable bar to bar.
#[inline(always)]
fn harami_with(c: &C, i: usize, a: &Avg, small: bool) -> f64 {
    let (top, bottom, top1, bottom1) = (c.top(i), c.bottom(i), c.top(i - 1), c.bottom(i - 1));
    let strictly = (top < top1) & (bottom > bottom1);
    let inside = (top <= top1) & (bottom >= bottom1);
    let size = if strictly { 100.0 } else { 80.0 };
    yes(
        (c.body(i - 1) > a.of(BodyLong, 1)) & small & inside,
        -c.color(i - 1) * size,
    )
}

pub static HARAMI: Pattern = Pattern {
    uses: &[(BodyLong, 1), (BodyShort, 0)],
    back: 1,
};
#[inline(always)]
pub fn harami(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    harami_with(c, i, a, c.body(i) <= a.of(BodyShort, 0))
}

pub static HARAMICROSS: Pattern = Pattern {
    uses: &[(BodyLong, 1), (BodyDoji, 0)],
    back: 1,
};
#[inline(always)]
pub fn harami_cross(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    harami_with(c, i, a, c.body(i) <= a.of(BodyDoji, 0))
}

pub static DOJISTAR: Pattern = Pattern {
    uses: &[(BodyLong, 1), (BodyDoji, 0)],
    back: 1,
};
#[inline(always)]
pub fn doji_star(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    let gap = ((c.color(i - 1) > 0.0) & c.body_gap_up(i, i - 1))
        | ((c.color(i - 1) < 0.0) & c.body_gap_down(i, i - 1));
    yes(
        (c.body(i - 1) > a.of(BodyLong, 1)) & (c.body(i) <= a.of(BodyDoji, 0)) & gap,
        -c.color(i - 1) * 100.0,
    )
}

pub static PIERCING: Pattern = Pattern {
    uses: &[(BodyLong, 1), (BodyLong, 0)],
    back: 1,
};
#[inline(always)]
pub fn piercing(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    yes(
        (c.color(i - 1) < 0.0)
            & (c.body(i - 1) > a.of(BodyLong, 1))
            & (c.color(i) > 0.0)
            & (c.body(i) > a.of(BodyLong, 0))
            & (c.o[i] < c.l[i - 1])
            & (c.c[i] < c.o[i - 1])
            & (c.c[i] > c.c[i - 1] + c.body(i - 1) * 0.5),
        100.0,
    )
}

pub static DARKCLOUDCOVER: Pattern = Pattern {
    uses: &[(BodyLong, 1)],
    back: 1,
};
#[inline(always)]
pub fn dark_cloud(c: &C, i: usize, a: &Avg, p: f64) -> f64 {
    yes(
        (c.color(i - 1) > 0.0)
            & (c.body(i - 1) > a.of(BodyLong, 1))
            & (c.color(i) < 0.0)
            & (c.o[i] > c.h[i - 1])
            & (c.c[i] > c.o[i - 1])
            & (c.c[i] < c.c[i - 1] - c.body(i - 1) * p),
        -100.0,
    )
}

const KICK: &[(super::Setting, usize)] = &[
    (ShadowVeryShort, 1),
    (ShadowVeryShort, 0),
    (BodyLong, 1),
    (BodyLong, 0),
];

/// Both candles marubozu of opposite colours, gapping apart. The rare part
/// first, with a branch (bar i's upper shadow very short); the rest
/// without one, where `&&` branched on coin flips.
#[inline(always)]
fn kick(c: &C, i: usize, a: &Avg) -> bool {
    let short = c.upper(i) < a.of(ShadowVeryShort, 0);
    if !short {
        return false;
    }
    let maru = |k: usize| {
        let s = a.of(ShadowVeryShort, k);
        (c.body(i - k) > a.of(BodyLong, k)) & (c.upper(i - k) < s) & (c.lower(i - k) < s)
    };
    (c.color(i - 1) == -c.color(i))
        & maru(1)
        & maru(0)
        & (((c.color(i - 1) < 0.0) & c.gap_up(i, i - 1))
            | ((c.color(i - 1) > 0.0) & c.gap_down(i, i - 1)))
}

pub static KICKING: Pattern = Pattern {
    uses: KICK,
    back: 1,
};
#[inline(always)]
pub fn kicking(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    yes(kick(c, i, a), c.color(i) * 100.0)
}

pub static KICKINGBYLENGTH: Pattern = Pattern {
    uses: KICK,
    back: 1,
};
#[inline(always)]
pub fn kicking_by_length(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    let longer = if c.body(i) > c.body(i - 1) { i } else { i - 1 };
    yes(kick(c, i, a), c.color(longer) * 100.0)
}

pub static COUNTERATTACK: Pattern = Pattern {
    uses: &[(Equal, 1), (BodyLong, 1), (BodyLong, 0)],
    back: 1,
};
#[inline(always)]
pub fn counterattack(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    yes(
        (c.color(i - 1) == -c.color(i))
            & (c.body(i - 1) > a.of(BodyLong, 1))
            & (c.body(i) > a.of(BodyLong, 0))
            & (near(c.c[i], c.c[i - 1], a.of(Equal, 1))),
        c.color(i) * 100.0,
    )
}

pub static HOMINGPIGEON: Pattern = Pattern {
    uses: &[(BodyLong, 1), (BodyShort, 0)],
    back: 1,
};
#[inline(always)]
pub fn homing_pigeon(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    yes(
        (c.color(i - 1) < 0.0)
            & (c.color(i) < 0.0)
            & (c.body(i - 1) > a.of(BodyLong, 1))
            & (c.body(i) <= a.of(BodyShort, 0))
            & (c.o[i] < c.o[i - 1])
            & (c.c[i] > c.c[i - 1]),
        100.0,
    )
}

pub static MATCHINGLOW: Pattern = Pattern {
    uses: &[(Equal, 1)],
    back: 1,
};
#[inline(always)]
pub fn matching_low(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    yes(
        (c.color(i - 1) < 0.0) & (c.color(i) < 0.0) & (near(c.c[i], c.c[i - 1], a.of(Equal, 1))),
        100.0,
    )
}

const NECK: &[(super::Setting, usize)] = &[(Equal, 1), (BodyLong, 1)];

/// A black candle, then a white one opening below its low: rare, so the
/// rules test it first with a (predicted) branch and most bars skip the
/// averages.
#[inline(always)]
fn neck_gap(c: &C, i: usize) -> bool {
    (c.color(i - 1) < 0.0) & (c.color(i) > 0.0) & (c.o[i] < c.l[i - 1])
}

/// The neck patterns' first candle is long.
#[inline(always)]
fn long_first(c: &C, i: usize, a: &Avg) -> bool {
    c.body(i - 1) > a.of(BodyLong, 1)
}

pub static INNECK: Pattern = Pattern {
    uses: NECK,
    back: 1,
};
#[inline(always)]
pub fn in_neck(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    if !neck_gap(c, i) {
        return 0.0;
    }
    yes(
        long_first(c, i, a) & (c.c[i] <= c.c[i - 1] + a.of(Equal, 1)) & (c.c[i] >= c.c[i - 1]),
        -100.0,
    )
}

pub static ONNECK: Pattern = Pattern {
    uses: NECK,
    back: 1,
};
#[inline(always)]
pub fn on_neck(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    if !neck_gap(c, i) {
        return 0.0;
    }
    yes(
        long_first(c, i, a) & (near(c.c[i], c.l[i - 1], a.of(Equal, 1))),
        -100.0,
    )
}

pub static THRUSTING: Pattern = Pattern {
    uses: NECK,
    back: 1,
};
#[inline(always)]
pub fn thrusting(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    if !neck_gap(c, i) {
        return 0.0;
    }
    yes(
        long_first(c, i, a)
            & (c.c[i] > c.c[i - 1] + a.of(Equal, 1))
            & (c.c[i] <= c.c[i - 1] + c.body(i - 1) * 0.5),
        -100.0,
    )
}

pub static SEPARATINGLINES: Pattern = Pattern {
    uses: &[(ShadowVeryShort, 0), (BodyLong, 0), (Equal, 1)],
    back: 1,
};
#[inline(always)]
pub fn separating(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    let s = a.of(ShadowVeryShort, 0);
    let tail = c.open_shadow(i);
    yes(
        (c.color(i - 1) == -c.color(i))
            & (near(c.o[i], c.o[i - 1], a.of(Equal, 1)))
            & (c.body(i) > a.of(BodyLong, 0))
            & (tail < s),
        c.color(i) * 100.0,
    )
}
