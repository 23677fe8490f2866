//! Wilder's parabolic SAR (TA-Lib SAR) and its extended form (SAREXT:
//! separate long and short factors, a start value, an offset on reversal,
//! short positions as negative values); first value at bar 1.

use super::{c_max, c_min, nan_fill, nan_warmup};

/// SAREXT's settings; SAR is the symmetric case with no start or offset.
#[derive(Debug, Clone, Copy)]
pub struct SarSettings {
    pub start: f64,
    pub offset: f64,
    pub init_long: f64,
    pub step_long: f64,
    pub max_long: f64,
    pub init_short: f64,
    pub step_short: f64,
    pub max_short: f64,
    /// SAREXT writes short positions as negative values.
    pub signed: bool,
}

impl SarSettings {
    pub fn plain(acceleration: f64, maximum: f64) -> SarSettings {
        let af = acceleration.min(maximum);
        SarSettings {
            start: 0.0,
            offset: 0.0,
            init_long: af,
            step_long: af,
            max_long: maximum,
            init_short: af,
            step_short: af,
            max_short: maximum,
            signed: false,
        }
    }
}

pub fn sar(h: &[f64], l: &[f64], s: SarSettings, out: &mut [f64]) {
    let len = h.len();
    if len < 2 {
        nan_fill(out);
        return;
    }
    nan_warmup(out, 1);
    let init_long = s.init_long.min(s.max_long);
    let step_long = s.step_long.min(s.max_long);
    let init_short = s.init_short.min(s.max_short);
    let step_short = s.step_short.min(s.max_short);
    let (mut af_long, mut af_short) = (init_long, init_short);
    // The first direction: short when bar 1's −DM is positive.
    let mut is_long = if s.start == 0.0 {
        let (up, down) = (h[1] - h[0], l[0] - l[1]);
        !(down > 0.0 && up < down)
    } else {
        s.start > 0.0
    };
    let mut today = 1;
    let (mut ep, mut sar);
    if s.start == 0.0 {
        if is_long {
            ep = h[today];
            sar = l[today - 1];
        } else {
            ep = l[today];
            sar = h[today - 1];
        }
    } else if s.start > 0.0 {
        ep = h[today];
        sar = s.start;
    } else {
        ep = l[today];
        sar = s.start.abs();
    }
    let (mut new_low, mut new_high) = (l[today], h[today]);
    let short = |v: f64| if s.signed { -v } else { v };
    while today < len {
        let (prev_low, prev_high) = (new_low, new_high);
        new_low = l[today];
        new_high = h[today];
        let i = today;
        today += 1;
        if is_long {
            if new_low <= sar {
                is_long = false;
                // TA-Lib: `if (sar < prevHigh) sar = prevHigh`, then newHigh.
                sar = c_max(new_high, c_max(prev_high, ep));
                if s.offset != 0.0 {
                    sar += sar * s.offset;
                }
                out[i] = short(sar);
                af_short = init_short;
                ep = new_low;
                sar += af_short * (ep - sar);
                sar = c_max(new_high, c_max(prev_high, sar));
            } else {
                out[i] = sar;
                if new_high > ep {
                    ep = new_high;
                    af_long = (af_long + step_long).min(s.max_long);
                }
                sar += af_long * (ep - sar);
                sar = c_min(new_low, c_min(prev_low, sar));
            }
        } else if new_high >= sar {
            is_long = true;
            sar = c_min(new_low, c_min(prev_low, ep));
            if s.offset != 0.0 {
                sar -= sar * s.offset;
            }
            out[i] = sar;
            af_long = init_long;
            ep = new_high;
            sar += af_long * (ep - sar);
            sar = c_min(new_low, c_min(prev_low, sar));
        } else {
            out[i] = short(sar);
            if new_low < ep {
                ep = new_low;
                af_short = (af_short + step_short).min(s.max_short);
            }
            sar += af_short * (ep - sar);
            sar = c_max(new_high, c_max(prev_high, sar));
        }
    }
}
