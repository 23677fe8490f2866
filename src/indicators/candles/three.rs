//! Three-candle patterns: the morning and evening stars, three inside and
//! outside, the crows, tri star, stick sandwich, the side-by-side and
//! tasuki gaps, unique three river, abandoned baby.

use super::Setting::*;
use super::{yes, Avg, Pattern, C};

/// Within `tol` of `v`.
fn near(x: f64, v: f64, tol: f64) -> bool {
    x <= v + tol && x >= v - tol
}

const STAR: &[(super::Setting, usize)] = &[(BodyLong, 2), (BodyShort, 1), (BodyShort, 0)];

pub static MORNINGSTAR: Pattern = Pattern {
    uses: STAR,
    back: 2,
};
#[inline(always)]
pub fn morning_star(c: &C, i: usize, a: &Avg, p: f64) -> f64 {
    star(c, i, a, p, BodyShort, true)
}

pub static EVENINGSTAR: Pattern = Pattern {
    uses: STAR,
    back: 2,
};
#[inline(always)]
pub fn evening_star(c: &C, i: usize, a: &Avg, p: f64) -> f64 {
    star(c, i, a, p, BodyShort, false)
}

const DOJI_STAR: &[(super::Setting, usize)] = &[(BodyLong, 2), (BodyDoji, 1), (BodyShort, 0)];

pub static MORNINGDOJISTAR: Pattern = Pattern {
    uses: DOJI_STAR,
    back: 2,
};
#[inline(always)]
pub fn morning_doji_star(c: &C, i: usize, a: &Avg, p: f64) -> f64 {
    star(c, i, a, p, BodyDoji, true)
}

pub static EVENINGDOJISTAR: Pattern = Pattern {
    uses: DOJI_STAR,
    back: 2,
};
#[inline(always)]
pub fn evening_doji_star(c: &C, i: usize, a: &Avg, p: f64) -> f64 {
    star(c, i, a, p, BodyDoji, false)
}

/// A morning (`up`) or evening star: a long body against the move, a small
/// one (`middle`: short, or a doji) gapped away from it, then a body the
/// other way that closes into the first by the penetration `p`.
#[inline(always)]
fn star(c: &C, i: usize, a: &Avg, p: f64, middle: super::Setting, up: bool) -> f64 {
    let s = if up { 1.0 } else { -1.0 };
    let (gap, back) = if up {
        (
            c.body_gap_down(i - 1, i - 2),
            c.c[i] > c.c[i - 2] + c.body(i - 2) * p,
        )
    } else {
        (
            c.body_gap_up(i - 1, i - 2),
            c.c[i] < c.c[i - 2] - c.body(i - 2) * p,
        )
    };
    // The star's gap first, with a branch: it is rare, so it is predicted,
    // and most bars skip the averages.
    if !gap {
        return 0.0;
    }
    yes(
        (c.body(i - 2) > a.of(BodyLong, 2))
            & (c.color(i - 2) * s < 0.0)
            & (c.body(i - 1) <= a.of(middle, 1))
            & (c.body(i) > a.of(BodyShort, 0))
            & (c.color(i) * s > 0.0)
            & back,
        100.0 * s,
    )
}

pub static THREEINSIDE: Pattern = Pattern {
    uses: &[(BodyLong, 2), (BodyShort, 1)],
    back: 2,
};
#[inline(always)]
pub fn three_inside(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    let turn = ((c.color(i - 2) > 0.0) & (c.color(i) < 0.0) & (c.c[i] < c.o[i - 2]))
        | ((c.color(i - 2) < 0.0) & (c.color(i) > 0.0) & (c.c[i] > c.o[i - 2]));
    // The harami and the turn first, with a branch: together they are
    // rare, so it is predicted, and most bars skip the averages.
    let inside = (c.top(i - 1) < c.top(i - 2)) & (c.bottom(i - 1) > c.bottom(i - 2));
    if !(inside & turn) {
        return 0.0;
    }
    yes(
        (c.body(i - 2) > a.of(BodyLong, 2)) & (c.body(i - 1) <= a.of(BodyShort, 1)),
        -c.color(i - 2) * 100.0,
    )
}

pub static THREEOUTSIDE: Pattern = Pattern { uses: &[], back: 3 };
#[inline(always)]
pub fn three_outside(c: &C, i: usize, _: &Avg, _: f64) -> f64 {
    let (o1, c1, o2, c2) = (c.o[i - 1], c.c[i - 1], c.o[i - 2], c.c[i - 2]);
    let up =
        (c.color(i - 1) > 0.0) & (c.color(i - 2) < 0.0) & (c1 > o2) & (o1 < c2) & (c.c[i] > c1);
    let down =
        (c.color(i - 1) < 0.0) & (c.color(i - 2) > 0.0) & (o1 > c2) & (c1 < o2) & (c.c[i] < c1);
    yes(up | down, c.color(i - 1) * 100.0)
}

pub static TWOCROWS: Pattern = Pattern {
    uses: &[(BodyLong, 2)],
    back: 2,
};
#[inline(always)]
pub fn two_crows(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    yes(
        (c.color(i - 2) > 0.0)
            & (c.body(i - 2) > a.of(BodyLong, 2))
            & (c.color(i - 1) < 0.0)
            & c.body_gap_up(i - 1, i - 2)
            & (c.color(i) < 0.0)
            & (c.o[i] < c.o[i - 1])
            & (c.o[i] > c.c[i - 1])
            & (c.c[i] > c.o[i - 2])
            & (c.c[i] < c.c[i - 2]),
        -100.0,
    )
}

pub static UPSIDEGAP2CROWS: Pattern = Pattern {
    uses: &[(BodyLong, 2), (BodyShort, 1)],
    back: 2,
};
#[inline(always)]
pub fn upside_gap_two_crows(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    yes(
        (c.color(i - 2) > 0.0)
            & (c.body(i - 2) > a.of(BodyLong, 2))
            & (c.color(i - 1) < 0.0)
            & (c.body(i - 1) <= a.of(BodyShort, 1))
            & c.body_gap_up(i - 1, i - 2)
            & (c.color(i) < 0.0)
            & (c.o[i] > c.o[i - 1])
            & (c.c[i] < c.c[i - 1])
            & (c.c[i] > c.c[i - 2]),
        -100.0,
    )
}

pub static THREEBLACKCROWS: Pattern = Pattern {
    uses: &[
        (ShadowVeryShort, 2),
        (ShadowVeryShort, 1),
        (ShadowVeryShort, 0),
    ],
    back: 3,
};
#[inline(always)]
pub fn three_black_crows(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    // The colours first, with a branch: one bar in eight or fewer has them,
    // so it is predicted, and the rest of the rule is skipped.
    if !((c.color(i - 3) > 0.0)
        & (c.color(i - 2) < 0.0)
        & (c.color(i - 1) < 0.0)
        & (c.color(i) < 0.0))
    {
        return 0.0;
    }
    let crow = |k: usize| (c.color(i - k) < 0.0) & (c.lower(i - k) < a.of(ShadowVeryShort, k));
    yes(
        (c.color(i - 3) > 0.0)
            & crow(2)
            & crow(1)
            & crow(0)
            & (c.o[i - 1] < c.o[i - 2])
            & (c.o[i - 1] > c.c[i - 2])
            & (c.o[i] < c.o[i - 1])
            & (c.o[i] > c.c[i - 1])
            & (c.h[i - 3] > c.c[i - 2])
            & (c.c[i - 2] > c.c[i - 1])
            & (c.c[i - 1] > c.c[i]),
        -100.0,
    )
}

pub static IDENTICAL3CROWS: Pattern = Pattern {
    uses: &[
        (ShadowVeryShort, 2),
        (ShadowVeryShort, 1),
        (ShadowVeryShort, 0),
        (Equal, 2),
        (Equal, 1),
    ],
    back: 2,
};
#[inline(always)]
pub fn identical_three_crows(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    // The colours first, with a branch: one bar in eight or fewer has them,
    // so it is predicted, and the rest of the rule is skipped.
    if !((c.color(i - 2) < 0.0) & (c.color(i - 1) < 0.0) & (c.color(i) < 0.0)) {
        return 0.0;
    }
    let crow = |k: usize| (c.color(i - k) < 0.0) & (c.lower(i - k) < a.of(ShadowVeryShort, k));
    yes(
        crow(2)
            & crow(1)
            & crow(0)
            & (c.c[i - 2] > c.c[i - 1])
            & (c.c[i - 1] > c.c[i])
            & (near(c.o[i - 1], c.c[i - 2], a.of(Equal, 2)))
            & (near(c.o[i], c.c[i - 1], a.of(Equal, 1))),
        -100.0,
    )
}

pub static TRISTAR: Pattern = Pattern {
    uses: &[(BodyDoji, 2)],
    back: 2,
};
#[inline(always)]
pub fn tristar(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    let d = a.of(BodyDoji, 2);
    if !((c.body(i - 2) <= d) & (c.body(i - 1) <= d) & (c.body(i) <= d)) {
        return 0.0;
    }
    if c.body_gap_up(i - 1, i - 2) && c.top(i) < c.top(i - 1) {
        -100.0
    } else if c.body_gap_down(i - 1, i - 2) && c.bottom(i) > c.bottom(i - 1) {
        100.0
    } else {
        0.0
    }
}

pub static STICKSANDWICH: Pattern = Pattern {
    uses: &[(Equal, 2)],
    back: 2,
};
#[inline(always)]
pub fn stick_sandwich(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    yes(
        (c.color(i - 2) < 0.0)
            & (c.color(i - 1) > 0.0)
            & (c.color(i) < 0.0)
            & (c.l[i - 1] > c.c[i - 2])
            & (near(c.c[i], c.c[i - 2], a.of(Equal, 2))),
        100.0,
    )
}

pub static GAPSIDESIDEWHITE: Pattern = Pattern {
    uses: &[(Near, 1), (Equal, 1)],
    back: 2,
};
#[inline(always)]
pub fn gap_side_side_white(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    // The gaps first, with a branch: they are rare, so it is predicted, and
    // most bars skip the rest (the branch-free rules suit conditions that
    // hold every other bar).
    let up = c.body_gap_up(i - 1, i - 2) && c.body_gap_up(i, i - 2);
    let down = c.body_gap_down(i - 1, i - 2) && c.body_gap_down(i, i - 2);
    if !(up || down) {
        return 0.0;
    }
    yes(
        (c.color(i - 1) > 0.0)
            & (c.color(i) > 0.0)
            & (near(c.body(i), c.body(i - 1), a.of(Near, 1)))
            & (near(c.o[i], c.o[i - 1], a.of(Equal, 1))),
        if c.body_gap_up(i - 1, i - 2) {
            100.0
        } else {
            -100.0
        },
    )
}

pub static TASUKIGAP: Pattern = Pattern {
    uses: &[(Near, 1)],
    back: 2,
};
#[inline(always)]
pub fn tasuki_gap(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    // The rare gap first, with a branch (as in gap_side_side_white).
    if !(c.body_gap_up(i - 1, i - 2) || c.body_gap_down(i - 1, i - 2)) {
        return 0.0;
    }
    let close_bodies = (c.body(i - 1) - c.body(i)).abs() < a.of(Near, 1);
    let up = c.body_gap_up(i - 1, i - 2)
        & (c.color(i - 1) > 0.0)
        & (c.color(i) < 0.0)
        & (c.o[i] < c.c[i - 1])
        & (c.o[i] > c.o[i - 1])
        & (c.c[i] < c.o[i - 1])
        & (c.c[i] > c.top(i - 2));
    let down = c.body_gap_down(i - 1, i - 2)
        & (c.color(i - 1) < 0.0)
        & (c.color(i) > 0.0)
        & (c.o[i] < c.o[i - 1])
        & (c.o[i] > c.c[i - 1])
        & (c.c[i] > c.o[i - 1])
        & (c.c[i] < c.bottom(i - 2));
    yes((up | down) & close_bodies, c.color(i - 1) * 100.0)
}

pub static UNIQUE3RIVER: Pattern = Pattern {
    uses: &[(BodyLong, 2), (BodyShort, 0)],
    back: 2,
};
#[inline(always)]
pub fn unique_three_river(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    yes(
        (c.body(i - 2) > a.of(BodyLong, 2))
            & (c.color(i - 2) < 0.0)
            & (c.color(i - 1) < 0.0)
            & (c.c[i - 1] > c.c[i - 2])
            & (c.o[i - 1] <= c.o[i - 2])
            & (c.l[i - 1] < c.l[i - 2])
            & (c.body(i) < a.of(BodyShort, 0))
            & (c.color(i) > 0.0)
            & (c.o[i] > c.l[i - 1]),
        100.0,
    )
}

pub static ABANDONEDBABY: Pattern = Pattern {
    uses: &[(BodyLong, 2), (BodyDoji, 1), (BodyShort, 0)],
    back: 2,
};
#[inline(always)]
pub fn abandoned_baby(c: &C, i: usize, a: &Avg, p: f64) -> f64 {
    // The baby's rare gap first, with a branch (as in `star`).
    if !(c.gap_up(i - 1, i - 2) || c.gap_down(i - 1, i - 2)) {
        return 0.0;
    }
    let top = (c.color(i - 2) > 0.0)
        & (c.color(i) < 0.0)
        & (c.c[i] < c.c[i - 2] - c.body(i - 2) * p)
        & c.gap_up(i - 1, i - 2)
        & c.gap_down(i, i - 1);
    let bottom = (c.color(i - 2) < 0.0)
        & (c.color(i) > 0.0)
        & (c.c[i] > c.c[i - 2] + c.body(i - 2) * p)
        & c.gap_down(i - 1, i - 2)
        & c.gap_up(i, i - 1);
    yes(
        (c.body(i - 2) > a.of(BodyLong, 2))
            & (c.body(i - 1) <= a.of(BodyDoji, 1))
            & (c.body(i) > a.of(BodyShort, 0))
            & (top | bottom),
        c.color(i) * 100.0,
    )
}
