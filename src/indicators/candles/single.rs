//! One-candle patterns (and the hammer family, which compares with the
//! candle before): doji kinds, marubozu, long and short lines, spinning
//! top, high wave, belt hold, takuri, hammer, hanging man, inverted
//! hammer, shooting star.

use super::Setting::*;
use super::{yes, Avg, Pattern, C};

pub static DOJI: Pattern = Pattern {
    uses: &[(BodyDoji, 0)],
    back: 0,
};
#[inline(always)]
pub fn doji(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    yes(c.body(i) <= a.of(BodyDoji, 0), 100.0)
}

pub static DRAGONFLYDOJI: Pattern = Pattern {
    uses: &[(BodyDoji, 0), (ShadowVeryShort, 0)],
    back: 0,
};
#[inline(always)]
pub fn dragonfly(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    let s = a.of(ShadowVeryShort, 0);
    yes(
        (c.body(i) <= a.of(BodyDoji, 0)) & (c.upper(i) < s) & (c.lower(i) > s),
        100.0,
    )
}

pub static GRAVESTONEDOJI: Pattern = Pattern {
    uses: &[(BodyDoji, 0), (ShadowVeryShort, 0)],
    back: 0,
};
#[inline(always)]
pub fn gravestone(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    let s = a.of(ShadowVeryShort, 0);
    yes(
        (c.body(i) <= a.of(BodyDoji, 0)) & (c.lower(i) < s) & (c.upper(i) > s),
        100.0,
    )
}

pub static LONGLEGGEDDOJI: Pattern = Pattern {
    uses: &[(BodyDoji, 0), (ShadowLong, 0)],
    back: 0,
};
#[inline(always)]
pub fn long_legged(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    let s = a.of(ShadowLong, 0);
    yes(
        (c.body(i) <= a.of(BodyDoji, 0)) & ((c.lower(i) > s) | (c.upper(i) > s)),
        100.0,
    )
}

pub static RICKSHAWMAN: Pattern = Pattern {
    uses: &[(BodyDoji, 0), (ShadowLong, 0), (Near, 0)],
    back: 0,
};
#[inline(always)]
pub fn rickshaw(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    let s = a.of(ShadowLong, 0);
    let (mid, near) = (c.l[i] + c.hl(i) / 2.0, a.of(Near, 0));
    yes(
        (c.body(i) <= a.of(BodyDoji, 0))
            & (c.lower(i) > s)
            & (c.upper(i) > s)
            & (c.bottom(i) <= mid + near)
            & (c.top(i) >= mid - near),
        100.0,
    )
}

pub static MARUBOZU: Pattern = Pattern {
    uses: &[(BodyLong, 0), (ShadowVeryShort, 0)],
    back: 0,
};
#[inline(always)]
pub fn marubozu(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    let s = a.of(ShadowVeryShort, 0);
    yes(
        (c.body(i) > a.of(BodyLong, 0)) & (c.upper(i) < s) & (c.lower(i) < s),
        c.color(i) * 100.0,
    )
}

pub static CLOSINGMARUBOZU: Pattern = Pattern {
    uses: &[(BodyLong, 0), (ShadowVeryShort, 0)],
    back: 0,
};
#[inline(always)]
pub fn closing_marubozu(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    let s = a.of(ShadowVeryShort, 0);
    let tail = c.close_shadow(i);
    yes(
        (c.body(i) > a.of(BodyLong, 0)) & (tail < s),
        c.color(i) * 100.0,
    )
}

pub static LONGLINE: Pattern = Pattern {
    uses: &[(BodyLong, 0), (ShadowShort, 0)],
    back: 0,
};
#[inline(always)]
pub fn long_line(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    let s = a.of(ShadowShort, 0);
    yes(
        (c.body(i) > a.of(BodyLong, 0)) & (c.upper(i) < s) & (c.lower(i) < s),
        c.color(i) * 100.0,
    )
}

pub static SHORTLINE: Pattern = Pattern {
    uses: &[(BodyShort, 0), (ShadowShort, 0)],
    back: 0,
};
#[inline(always)]
pub fn short_line(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    let s = a.of(ShadowShort, 0);
    yes(
        (c.body(i) < a.of(BodyShort, 0)) & (c.upper(i) < s) & (c.lower(i) < s),
        c.color(i) * 100.0,
    )
}

pub static SPINNINGTOP: Pattern = Pattern {
    uses: &[(BodyShort, 0)],
    back: 0,
};
#[inline(always)]
pub fn spinning_top(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    let b = c.body(i);
    yes(
        (b < a.of(BodyShort, 0)) & (c.upper(i) > b) & (c.lower(i) > b),
        c.color(i) * 100.0,
    )
}

pub static HIGHWAVE: Pattern = Pattern {
    uses: &[(BodyShort, 0), (ShadowVeryLong, 0)],
    back: 0,
};
#[inline(always)]
pub fn high_wave(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    let s = a.of(ShadowVeryLong, 0);
    yes(
        (c.body(i) < a.of(BodyShort, 0)) & (c.upper(i) > s) & (c.lower(i) > s),
        c.color(i) * 100.0,
    )
}

pub static BELTHOLD: Pattern = Pattern {
    uses: &[(BodyLong, 0), (ShadowVeryShort, 0)],
    back: 0,
};
#[inline(always)]
pub fn belt_hold(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    let s = a.of(ShadowVeryShort, 0);
    let tail = c.open_shadow(i);
    yes(
        (c.body(i) > a.of(BodyLong, 0)) & (tail < s),
        c.color(i) * 100.0,
    )
}

pub static TAKURI: Pattern = Pattern {
    uses: &[(BodyDoji, 0), (ShadowVeryShort, 0), (ShadowVeryLong, 0)],
    back: 0,
};
#[inline(always)]
pub fn takuri(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    yes(
        (c.body(i) <= a.of(BodyDoji, 0))
            & (c.upper(i) < a.of(ShadowVeryShort, 0))
            & (c.lower(i) > a.of(ShadowVeryLong, 0)),
        100.0,
    )
}

const HAMMER_USES: &[(super::Setting, usize)] = &[
    (BodyShort, 0),
    (ShadowLong, 0),
    (ShadowVeryShort, 0),
    (Near, 1),
];

pub static HAMMER: Pattern = Pattern {
    uses: HAMMER_USES,
    back: 1,
};
#[inline(always)]
pub fn hammer(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    yes(
        (c.body(i) < a.of(BodyShort, 0))
            & (c.lower(i) > a.of(ShadowLong, 0))
            & (c.upper(i) < a.of(ShadowVeryShort, 0))
            & (c.bottom(i) <= c.l[i - 1] + a.of(Near, 1)),
        100.0,
    )
}

pub static HANGINGMAN: Pattern = Pattern {
    uses: HAMMER_USES,
    back: 1,
};
#[inline(always)]
pub fn hanging_man(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    yes(
        (c.body(i) < a.of(BodyShort, 0))
            & (c.lower(i) > a.of(ShadowLong, 0))
            & (c.upper(i) < a.of(ShadowVeryShort, 0))
            & (c.bottom(i) >= c.h[i - 1] - a.of(Near, 1)),
        -100.0,
    )
}

const STAR_USES: &[(super::Setting, usize)] =
    &[(BodyShort, 0), (ShadowLong, 0), (ShadowVeryShort, 0)];

pub static INVERTEDHAMMER: Pattern = Pattern {
    uses: STAR_USES,
    back: 1,
};
#[inline(always)]
pub fn inverted_hammer(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    // The gap and the long upper shadow (ShadowLong has no period: the
    // candle's own body) first, with a branch: together they are rare.
    if !(c.body_gap_down(i, i - 1) & (c.upper(i) > a.of(ShadowLong, 0))) {
        return 0.0;
    }
    yes(
        (c.body(i) < a.of(BodyShort, 0)) & (c.lower(i) < a.of(ShadowVeryShort, 0)),
        100.0,
    )
}

pub static SHOOTINGSTAR: Pattern = Pattern {
    uses: STAR_USES,
    back: 1,
};
#[inline(always)]
pub fn shooting_star(c: &C, i: usize, a: &Avg, _: f64) -> f64 {
    // The gap and the long upper shadow (ShadowLong has no period: the
    // candle's own body) first, with a branch: together they are rare.
    if !(c.body_gap_up(i, i - 1) & (c.upper(i) > a.of(ShadowLong, 0))) {
        return 0.0;
    }
    yes(
        (c.body(i) < a.of(BodyShort, 0)) & (c.lower(i) < a.of(ShadowVeryShort, 0)),
        -100.0,
    )
}
