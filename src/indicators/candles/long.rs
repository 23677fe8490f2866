//! Patterns of three to five candles: three-line strike, three stars in
//! the south, three white soldiers, advance block, breakaway, concealing
//! baby swallow, ladder bottom, mat hold, rising/falling three methods,
//! stalled pattern, upside/downside gap three methods.

use super::Setting::*;
use super::{yes, Avg, Pattern, C};

pub static THREELINESTRIKE: Pattern = Pattern {
    uses: &[(Near, 3), (Near, 2)],
    back: 3,
};
#[inline(always)]
pub fn three_line_strike(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    // The colours first, with a branch: one bar in eight or fewer has them,
    // so it is predicted, and the rest of the rule is skipped.
    if !((c.color(i - 3) == c.color(i - 2))
        & (c.color(i - 2) == c.color(i - 1))
        & (c.color(i) == -c.color(i - 1)))
    {
        return 0.0;
    }
    let within = |k: usize| {
        let o = c.o[i - k + 1];
        o >= c.bottom(i - k) - a.of(Near, k) && o <= c.top(i - k) + a.of(Near, k)
    };
    let up = (c.color(i - 1) > 0.0)
        & (c.c[i - 1] > c.c[i - 2])
        & (c.c[i - 2] > c.c[i - 3])
        & (c.o[i] > c.c[i - 1])
        & (c.c[i] < c.o[i - 3]);
    let down = (c.color(i - 1) < 0.0)
        & (c.c[i - 1] < c.c[i - 2])
        & (c.c[i - 2] < c.c[i - 3])
        & (c.o[i] < c.c[i - 1])
        & (c.c[i] > c.o[i - 3]);
    yes(
        (c.color(i - 3) == c.color(i - 2))
            & (c.color(i - 2) == c.color(i - 1))
            & (c.color(i) == -c.color(i - 1))
            & within(3)
            & within(2)
            & (up | down),
        c.color(i - 1) * 100.0,
    )
}

pub static THREESTARSINSOUTH: Pattern = Pattern {
    uses: &[
        (BodyLong, 2),
        (ShadowLong, 2),
        (ShadowVeryShort, 1),
        (BodyShort, 0),
        (ShadowVeryShort, 0),
    ],
    back: 2,
};
#[inline(always)]
pub fn three_stars_in_south(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    // The colours first, with a branch: one bar in eight or fewer has them,
    // so it is predicted, and the rest of the rule is skipped.
    if !((c.color(i - 2) < 0.0) & (c.color(i - 1) < 0.0) & (c.color(i) < 0.0)) {
        return 0.0;
    }
    yes(
        (c.color(i - 2) < 0.0)
            & (c.color(i - 1) < 0.0)
            & (c.color(i) < 0.0)
            & (c.body(i - 2) > a.of(BodyLong, 2))
            & (c.lower(i - 2) > a.of(ShadowLong, 2))
            & (c.body(i - 1) < c.body(i - 2))
            & (c.o[i - 1] > c.c[i - 2])
            & (c.o[i - 1] <= c.h[i - 2])
            & (c.l[i - 1] < c.c[i - 2])
            & (c.l[i - 1] >= c.l[i - 2])
            & (c.lower(i - 1) > a.of(ShadowVeryShort, 1))
            & (c.body(i) < a.of(BodyShort, 0))
            & (c.lower(i) < a.of(ShadowVeryShort, 0))
            & (c.upper(i) < a.of(ShadowVeryShort, 0))
            & (c.l[i] > c.l[i - 1])
            & (c.h[i] < c.h[i - 1]),
        100.0,
    )
}

/// Three candles, each closing above the one before and opening above its
/// open, within Near of its close: what three white soldiers and the
/// advance block share.
fn climbing(c: &C, i: usize, a: &Avg) -> bool {
    (c.c[i] > c.c[i - 1])
        & (c.c[i - 1] > c.c[i - 2])
        & (c.o[i - 1] > c.o[i - 2])
        & (c.o[i - 1] <= c.c[i - 2] + a.of(Near, 2))
        & (c.o[i] > c.o[i - 1])
        & (c.o[i] <= c.c[i - 1] + a.of(Near, 1))
}

pub static THREEWHITESOLDIERS: Pattern = Pattern {
    uses: &[
        (ShadowVeryShort, 2),
        (ShadowVeryShort, 1),
        (ShadowVeryShort, 0),
        (Near, 2),
        (Near, 1),
        (Far, 2),
        (Far, 1),
        (BodyShort, 0),
    ],
    back: 2,
};
#[inline(always)]
pub fn three_white_soldiers(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    // The colours first, with a branch: one bar in eight or fewer has them,
    // so it is predicted, and the rest of the rule is skipped.
    if !((c.color(i - 2) > 0.0) & (c.color(i - 1) > 0.0) & (c.color(i) > 0.0)) {
        return 0.0;
    }
    let soldier = |k: usize| (c.color(i - k) > 0.0) & (c.upper(i - k) < a.of(ShadowVeryShort, k));
    yes(
        soldier(2)
            & soldier(1)
            & soldier(0)
            & climbing(c, i, a)
            & (c.body(i - 1) > c.body(i - 2) - a.of(Far, 2))
            & (c.body(i) > c.body(i - 1) - a.of(Far, 1))
            & (c.body(i) > a.of(BodyShort, 0)),
        100.0,
    )
}

pub static ADVANCEBLOCK: Pattern = Pattern {
    uses: &[
        (ShadowShort, 2),
        (ShadowShort, 1),
        (ShadowShort, 0),
        (ShadowLong, 1),
        (ShadowLong, 0),
        (Near, 2),
        (Near, 1),
        (Far, 2),
        (Far, 1),
        (BodyLong, 2),
    ],
    back: 2,
};
#[inline(always)]
pub fn advance_block(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    // The colours first, with a branch: one bar in eight or fewer has them,
    // so it is predicted, and the rest of the rule is skipped.
    if !((c.color(i - 2) > 0.0) & (c.color(i - 1) > 0.0) & (c.color(i) > 0.0)) {
        return 0.0;
    }
    let rb = |k: usize| c.body(i - k);
    let weak = ((rb(1) < rb(2) - a.of(Far, 2)) & (rb(0) < rb(1) + a.of(Near, 1)))
        | (rb(0) < rb(1) - a.of(Far, 1))
        | ((rb(0) < rb(1))
            & (rb(1) < rb(2))
            & ((c.upper(i) > a.of(ShadowShort, 0)) | (c.upper(i - 1) > a.of(ShadowShort, 1))))
        | ((rb(0) < rb(1)) & (c.upper(i) > a.of(ShadowLong, 0)));
    yes(
        (c.color(i - 2) > 0.0)
            & (c.color(i - 1) > 0.0)
            & (c.color(i) > 0.0)
            & climbing(c, i, a)
            & (rb(2) > a.of(BodyLong, 2))
            & (c.upper(i - 2) < a.of(ShadowShort, 2))
            & weak,
        -100.0,
    )
}

pub static BREAKAWAY: Pattern = Pattern {
    uses: &[(BodyLong, 4)],
    back: 4,
};
#[inline(always)]
pub fn breakaway(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    let (h, l) = (c.h, c.l);
    let down = (c.color(i - 4) < 0.0)
        & c.body_gap_down(i - 3, i - 4)
        & (h[i - 2] < h[i - 3])
        & (l[i - 2] < l[i - 3])
        & (h[i - 1] < h[i - 2])
        & (l[i - 1] < l[i - 2])
        & (c.c[i] > c.o[i - 3])
        & (c.c[i] < c.c[i - 4]);
    let up = (c.color(i - 4) > 0.0)
        & c.body_gap_up(i - 3, i - 4)
        & (h[i - 2] > h[i - 3])
        & (l[i - 2] > l[i - 3])
        & (h[i - 1] > h[i - 2])
        & (l[i - 1] > l[i - 2])
        & (c.c[i] < c.o[i - 3])
        & (c.c[i] > c.c[i - 4]);
    // The colours and the rest first, with a branch: together they are
    // rare, so it is predicted, and most bars skip the average.
    let colours = (c.color(i - 4) == c.color(i - 3))
        & (c.color(i - 3) == c.color(i - 1))
        & (c.color(i - 1) == -c.color(i));
    if !(colours & (down | up)) {
        return 0.0;
    }
    yes(c.body(i - 4) > a.of(BodyLong, 4), c.color(i) * 100.0)
}

pub static CONCEALBABYSWALL: Pattern = Pattern {
    uses: &[
        (ShadowVeryShort, 3),
        (ShadowVeryShort, 2),
        (ShadowVeryShort, 1),
    ],
    back: 3,
};
#[inline(always)]
pub fn conceal_baby_swallow(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    let maru = |k: usize| {
        c.lower(i - k) < a.of(ShadowVeryShort, k) && c.upper(i - k) < a.of(ShadowVeryShort, k)
    };
    yes(
        (0..4).all(|k| c.color(i - k) < 0.0)
            && maru(3)
            && maru(2)
            && c.body_gap_down(i - 1, i - 2)
            && c.upper(i - 1) > a.of(ShadowVeryShort, 1)
            && c.h[i - 1] > c.c[i - 2]
            && c.h[i] > c.h[i - 1]
            && c.l[i] < c.l[i - 1],
        100.0,
    )
}

pub static LADDERBOTTOM: Pattern = Pattern {
    uses: &[(ShadowVeryShort, 1)],
    back: 4,
};
#[inline(always)]
pub fn ladder_bottom(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    yes(
        (c.color(i - 4) < 0.0)
            & (c.color(i - 3) < 0.0)
            & (c.color(i - 2) < 0.0)
            & (c.o[i - 4] > c.o[i - 3])
            & (c.o[i - 3] > c.o[i - 2])
            & (c.c[i - 4] > c.c[i - 3])
            & (c.c[i - 3] > c.c[i - 2])
            & (c.color(i - 1) < 0.0)
            & (c.upper(i - 1) > a.of(ShadowVeryShort, 1))
            & (c.color(i) > 0.0)
            & (c.o[i] > c.o[i - 1])
            & (c.c[i] > c.h[i - 1]),
        100.0,
    )
}

pub static MATHOLD: Pattern = Pattern {
    uses: &[
        (BodyLong, 4),
        (BodyShort, 3),
        (BodyShort, 2),
        (BodyShort, 1),
    ],
    back: 4,
};
#[inline(always)]
pub fn mat_hold(c: &C, i: usize, a: &Avg, p: f64) -> f64 {
    let floor = c.c[i - 4] - c.body(i - 4) * p;
    yes(
        (c.body(i - 4) > a.of(BodyLong, 4))
            & (c.body(i - 3) < a.of(BodyShort, 3))
            & (c.body(i - 2) < a.of(BodyShort, 2))
            & (c.body(i - 1) < a.of(BodyShort, 1))
            & (c.color(i - 4) > 0.0)
            & (c.color(i - 3) < 0.0)
            & (c.color(i) > 0.0)
            & c.body_gap_up(i - 3, i - 4)
            & (c.bottom(i - 2) < c.c[i - 4])
            & (c.bottom(i - 1) < c.c[i - 4])
            & (c.bottom(i - 2) > floor)
            & (c.bottom(i - 1) > floor)
            & (c.top(i - 2) < c.o[i - 3])
            & (c.top(i - 1) < c.top(i - 2))
            & (c.o[i] > c.c[i - 1])
            & (c.c[i] > c.h[i - 3].max(c.h[i - 2]).max(c.h[i - 1])),
        100.0,
    )
}

pub static RISEFALL3METHODS: Pattern = Pattern {
    uses: &[
        (BodyLong, 4),
        (BodyShort, 3),
        (BodyShort, 2),
        (BodyShort, 1),
        (BodyLong, 0),
    ],
    back: 4,
};
#[inline(always)]
pub fn rise_fall_three_methods(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    // The colours first, with a branch: one bar in eight or fewer has them,
    // so it is predicted, and the rest of the rule is skipped.
    if !((c.color(i - 4) == -c.color(i - 3))
        & (c.color(i - 3) == c.color(i - 2))
        & (c.color(i - 2) == c.color(i - 1))
        & (c.color(i - 1) == -c.color(i)))
    {
        return 0.0;
    }
    let s = c.color(i - 4);
    let inside = |k: usize| (c.bottom(i - k) < c.h[i - 4]) & (c.top(i - k) > c.l[i - 4]);
    yes(
        (c.body(i - 4) > a.of(BodyLong, 4))
            & (c.body(i - 3) < a.of(BodyShort, 3))
            & (c.body(i - 2) < a.of(BodyShort, 2))
            & (c.body(i - 1) < a.of(BodyShort, 1))
            & (c.body(i) > a.of(BodyLong, 0))
            & (s == -c.color(i - 3))
            & (c.color(i - 3) == c.color(i - 2))
            & (c.color(i - 2) == c.color(i - 1))
            & (c.color(i - 1) == -c.color(i))
            & inside(3)
            & inside(2)
            & inside(1)
            & (c.c[i - 2] * s < c.c[i - 3] * s)
            & (c.c[i - 1] * s < c.c[i - 2] * s)
            & (c.o[i] * s > c.c[i - 1] * s)
            & (c.c[i] * s > c.c[i - 4] * s),
        100.0 * s,
    )
}

pub static STALLEDPATTERN: Pattern = Pattern {
    uses: &[
        (BodyLong, 2),
        (BodyLong, 1),
        (BodyShort, 0),
        (ShadowVeryShort, 1),
        (Near, 2),
        (Near, 1),
    ],
    back: 2,
};
#[inline(always)]
pub fn stalled(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    yes(
        (c.color(i - 2) > 0.0)
            & (c.color(i - 1) > 0.0)
            & (c.color(i) > 0.0)
            & (c.c[i] > c.c[i - 1])
            & (c.c[i - 1] > c.c[i - 2])
            & (c.body(i - 2) > a.of(BodyLong, 2))
            & (c.body(i - 1) > a.of(BodyLong, 1))
            & (c.upper(i - 1) < a.of(ShadowVeryShort, 1))
            & (c.o[i - 1] > c.o[i - 2])
            & (c.o[i - 1] <= c.c[i - 2] + a.of(Near, 2))
            & (c.body(i) < a.of(BodyShort, 0))
            & (c.o[i] >= c.c[i - 1] - c.body(i) - a.of(Near, 1)),
        -100.0,
    )
}

pub static XSIDEGAP3METHODS: Pattern = Pattern { uses: &[], back: 2 };
#[inline(always)]
pub fn gap_three_methods(c: &C, i: usize, _: &Avg, _: f64) -> f64 {
    let gap = ((c.color(i - 2) > 0.0) & c.body_gap_up(i - 1, i - 2))
        | ((c.color(i - 2) < 0.0) & c.body_gap_down(i - 1, i - 2));
    yes(
        (c.color(i - 2) == c.color(i - 1))
            & (c.color(i - 1) == -c.color(i))
            & (c.o[i] < c.top(i - 1))
            & (c.o[i] > c.bottom(i - 1))
            & (c.c[i] < c.top(i - 2))
            & (c.c[i] > c.bottom(i - 2))
            & gap,
        c.color(i - 2) * 100.0,
    )
}
