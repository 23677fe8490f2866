//! Ehlers' Hilbert-transform cycle indicators as TA-Lib computes them:
//! HT_DCPERIOD, HT_DCPHASE, HT_PHASOR, HT_SINE, HT_TRENDLINE, HT_TRENDMODE
//! and MAMA/FAMA, sharing one smoother, one transform and one period loop.

use std::sync::OnceLock;

use super::{nan_fill, nan_warmup};

const A: f64 = 0.0962;
const B: f64 = 0.5769;

/// One Hilbert transform filter with TA-Lib's odd/even state.
#[derive(Default, Clone, Copy)]
struct Filter {
    odd: [f64; 3],
    even: [f64; 3],
    prev_odd: f64,
    prev_even: f64,
    prev_input_odd: f64,
    prev_input_even: f64,
}

impl Filter {
    fn step(&mut self, input: f64, even: bool, idx: usize, adjusted: f64) -> f64 {
        let t = A * input;
        let (buf, prev, prev_input) = if even {
            (
                &mut self.even,
                &mut self.prev_even,
                &mut self.prev_input_even,
            )
        } else {
            (&mut self.odd, &mut self.prev_odd, &mut self.prev_input_odd)
        };
        let mut v = -buf[idx];
        buf[idx] = t;
        v += t;
        v -= *prev;
        *prev = B * *prev_input;
        v += *prev;
        *prev_input = input;
        v * adjusted
    }
}

/// What a bar of the shared loop produced.
#[derive(Clone, Copy, Default)]
struct Bar {
    smoothed: f64,
    i1: f64,
    q1: f64,
    /// The phase of I1/Q1 in degrees (MAMA's; 0 unless `run` is asked for
    /// it: an arc tangent a bar that the other functions do not read).
    phase: f64,
    smooth_period: f64,
}

/// TA-Lib's common loop: a 4-bar WMA smoother, the detrender, I/Q
/// components, the homodyne discriminator and the smoothed period. `warm`
/// is the number of bars the WMA loop consumes before the main loop
/// (9 for the 32-bar functions, 34 for the 63-bar ones); `emit` sees every
/// bar from the main loop's first; `PHASE`, whether `Bar::phase` is
/// computed.
fn run<const PHASE: bool>(
    x: &[f64],
    lookback: usize,
    warm: usize,
    mut emit: impl FnMut(usize, &Bar),
) {
    if x.len() <= lookback {
        return;
    }
    let rad2deg = 180.0 / (4.0 * 1f64.atan());
    let mut trailing_idx = 0;
    let mut today = 0;
    let (mut wsub, mut wsum) = (0.0, 0.0);
    for w in 1..=3 {
        wsub += x[today];
        wsum += x[today] * w as f64;
        today += 1;
    }
    let mut trailing_value = 0.0;
    let mut smooth = |v: f64, wsub: &mut f64, wsum: &mut f64, trailing_idx: &mut usize| {
        *wsub += v;
        *wsub -= trailing_value;
        *wsum += v * 4.0;
        trailing_value = x[*trailing_idx];
        *trailing_idx += 1;
        let s = *wsum * 0.1;
        *wsum -= *wsub;
        s
    };
    for _ in 0..warm {
        smooth(x[today], &mut wsub, &mut wsum, &mut trailing_idx);
        today += 1;
    }
    let (mut det, mut q1f, mut jif, mut jqf) = (
        Filter::default(),
        Filter::default(),
        Filter::default(),
        Filter::default(),
    );
    let mut hidx = 0;
    let mut period = 0.0;
    let (mut prev_i2, mut prev_q2, mut re, mut im) = (0.0, 0.0, 0.0, 0.0);
    let (mut i1_odd3, mut i1_even3, mut i1_odd2, mut i1_even2) = (0.0, 0.0, 0.0, 0.0);
    let mut smooth_period = 0.0;
    while today < x.len() {
        let adjusted = 0.075 * period + 0.54;
        let smoothed = smooth(x[today], &mut wsub, &mut wsum, &mut trailing_idx);
        let even = today % 2 == 0;
        let detrender = det.step(smoothed, even, hidx, adjusted);
        let q1 = q1f.step(detrender, even, hidx, adjusted);
        let (i1, ji, jq);
        if even {
            i1 = i1_even3;
            ji = jif.step(i1_even3, true, hidx, adjusted);
            jq = jqf.step(q1, true, hidx, adjusted);
            hidx = (hidx + 1) % 3;
        } else {
            i1 = i1_odd3;
            ji = jif.step(i1_odd3, false, hidx, adjusted);
            jq = jqf.step(q1, false, hidx, adjusted);
        }
        let q2 = 0.2 * (q1 + ji) + 0.8 * prev_q2;
        let i2 = 0.2 * (i1 - jq) + 0.8 * prev_i2;
        if even {
            i1_odd3 = i1_odd2;
            i1_odd2 = detrender;
        } else {
            i1_even3 = i1_even2;
            i1_even2 = detrender;
        }
        let phase = if PHASE && i1 != 0.0 {
            (q1 / i1).atan() * rad2deg
        } else {
            0.0
        };
        re = 0.2 * (i2 * prev_i2 + q2 * prev_q2) + 0.8 * re;
        im = 0.2 * (i2 * prev_q2 - q2 * prev_i2) + 0.8 * im;
        prev_q2 = q2;
        prev_i2 = i2;
        let last = period;
        if im != 0.0 && re != 0.0 {
            period = 360.0 / ((im / re).atan() * rad2deg);
        }
        period = period.min(1.5 * last).max(0.67 * last);
        period = period.clamp(6.0, 50.0);
        period = 0.2 * period + 0.8 * last;
        smooth_period = 0.33 * period + 0.67 * smooth_period;
        let bar = Bar {
            smoothed,
            i1,
            q1,
            phase,
            smooth_period,
        };
        emit(today, &bar);
        today += 1;
    }
}

/// HT_DCPERIOD: the dominant cycle period; first value at 32.
pub fn dcperiod(x: &[f64], out: &mut [f64]) {
    nan_warmup(out, 32);
    run::<false>(x, 32, 9, |t, b| {
        if t >= 32 {
            out[t] = b.smooth_period;
        }
    });
}

/// HT_PHASOR: in-phase (`quadrature == false`) or quadrature component; first value at 32.
pub fn phasor(x: &[f64], quadrature: bool, out: &mut [f64]) {
    nan_warmup(out, 32);
    run::<false>(x, 32, 9, |t, b| {
        if t >= 32 {
            out[t] = if quadrature { b.q1 } else { b.i1 };
        }
    });
}

/// Both HT_PHASOR components at once (`o`: in-phase, quadrature).
pub fn phasor_all(x: &[f64], o: [&mut [f64]; 2]) {
    let [inphase, quadrature] = o;
    nan_warmup(inphase, 32);
    nan_warmup(quadrature, 32);
    run::<false>(x, 32, 9, |t, b| {
        if t >= 32 {
            (inphase[t], quadrature[t]) = (b.i1, b.q1);
        }
    });
}

/// MAMA (`want_mama`) or FAMA with the fast and slow limits; first value at 32.
pub fn mama(x: &[f64], fast: f64, slow: f64, want_mama: bool, out: &mut [f64]) {
    nan_warmup(out, 32);
    mama_lines(x, fast, slow, |t, m, f| {
        out[t] = if want_mama { m } else { f }
    });
}

/// MAMA and FAMA at once (`o`: mama, fama), the same values as two calls.
pub fn mama_both(x: &[f64], fast: f64, slow: f64, o: &mut [&mut [f64]]) {
    let [ma, fa] = o else {
        unreachable!("two lines")
    };
    nan_fill(ma);
    nan_fill(fa);
    mama_lines(x, fast, slow, |t, m, f| {
        ma[t] = m;
        fa[t] = f;
    });
}

/// The MAMA and FAMA recursions, handing `put(t, mama, fama)` every bar
/// from 32 on.
fn mama_lines(x: &[f64], fast: f64, slow: f64, mut put: impl FnMut(usize, f64, f64)) {
    let (mut m, mut f, mut prev_phase) = (0.0, 0.0, 0.0);
    run::<true>(x, 32, 9, |t, b| {
        let mut d = prev_phase - b.phase;
        prev_phase = b.phase;
        if d < 1.0 {
            d = 1.0;
        }
        let alpha = if d > 1.0 { (fast / d).max(slow) } else { fast };
        m = alpha * x[t] + (1.0 - alpha) * m;
        let half = alpha * 0.5;
        f = half * m + (1.0 - half) * f;
        if t >= 32 {
            put(t, m, f);
        }
    });
}

/// Which 63-bar output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cycle {
    Phase,
    Sine,
    LeadSine,
    Trendline,
    TrendMode,
}

const SMOOTH_PRICE: usize = 50;

/// The DFT's weight for term `i` of a `p`-bar period: TA-Lib's sine and
/// cosine of `i·2π/p`.
fn dft_weight(i: usize, p: usize) -> (f64, f64) {
    let two_pi = 8.0 * 1f64.atan();
    let a = (i as f64 * two_pi) / p as f64;
    (a.sin(), a.cos())
}

/// `dft_weight(i, p)` for every period `p` the ring holds (0 to 50; the
/// smoothed period stays within 6 to 50) and `i < p`, computed once: TA-Lib
/// calls `sin` and `cos` for each of up to 50 terms on every bar, some
/// nine tenths of these functions' time (HT_DCPHASE 467 ms on 1M bars,
/// HT_DCPERIOD, the same loop without them, 49). The same calls on the
/// same arguments, so the same bits.
fn dft_weights() -> &'static [[(f64, f64); SMOOTH_PRICE]] {
    static TABLE: OnceLock<Vec<[(f64, f64); SMOOTH_PRICE]>> = OnceLock::new();
    TABLE.get_or_init(|| {
        (0..=SMOOTH_PRICE)
            .map(|p| {
                let mut w = [(0.0, 0.0); SMOOTH_PRICE];
                for (i, w) in w.iter_mut().enumerate().take(p) {
                    *w = dft_weight(i, p);
                }
                w
            })
            .collect()
    })
}

/// HT_DCPHASE, HT_SINE, HT_TRENDLINE and HT_TRENDMODE; first value at 63.
pub fn cycle(x: &[f64], what: Cycle, out: &mut [f64]) {
    // TA-Lib's integer output is 0, not missing, during the lookback.
    out.fill(if what == Cycle::TrendMode {
        0.0
    } else {
        f64::NAN
    });
    cycle_lines(x, what, |t, v| {
        out[t] = match what {
            Cycle::Phase => v.phase,
            Cycle::Sine => v.sine,
            Cycle::LeadSine => v.lead,
            Cycle::Trendline => v.trendline,
            Cycle::TrendMode => v.trend,
        }
    });
}

/// HT_SINE's sine and lead sine at once (`o`: sine, lead sine).
pub fn sine_all(x: &[f64], o: [&mut [f64]; 2]) {
    let [sine, lead] = o;
    sine.fill(f64::NAN);
    lead.fill(f64::NAN);
    cycle_lines(x, Cycle::Sine, |t, v| (sine[t], lead[t]) = (v.sine, v.lead));
}

/// The 63-bar lines of a bar (those `what` does not need are 0).
struct Lines {
    phase: f64,
    sine: f64,
    lead: f64,
    trendline: f64,
    trend: f64,
}

/// Hands `put(t, lines)` every bar from 63 on, computing what `what`
/// needs (Sine and LeadSine both compute the phase, sine and lead sine).
fn cycle_lines(x: &[f64], what: Cycle, mut put: impl FnMut(usize, &Lines)) {
    let rad2deg = 45.0 / 1f64.atan();
    let deg2rad = 1.0 / rad2deg;
    let weights = dft_weights();
    let mut prices = [0.0; SMOOTH_PRICE];
    let mut pidx = 0;
    let mut phase = 0.0;
    let (mut sine, mut lead) = (0.0, 0.0);
    let (mut it1, mut it2, mut it3) = (0.0, 0.0, 0.0);
    let mut days_in_trend = 0usize;
    run::<false>(x, 63, 34, |t, b| {
        prices[pidx] = b.smoothed;
        let prev_phase = phase;
        let (prev_sine, prev_lead) = (sine, lead);
        let period_int = (b.smooth_period + 0.5) as usize;
        if what != Cycle::Trendline {
            let (mut real, mut imag) = (0.0, 0.0);
            let mut idx = pidx;
            let table = weights.get(period_int);
            for i in 0..period_int {
                let (sin, cos) = match table {
                    Some(w) => w[i],
                    None => dft_weight(i, period_int),
                };
                let v = prices[idx];
                real += sin * v;
                imag += cos * v;
                idx = if idx == 0 { SMOOTH_PRICE - 1 } else { idx - 1 };
            }
            if imag.abs() > 0.0 {
                phase = (real / imag).atan() * rad2deg;
            } else if imag.abs() <= 0.01 {
                if real < 0.0 {
                    phase -= 90.0;
                } else if real > 0.0 {
                    phase += 90.0;
                }
            }
            phase += 90.0;
            phase += 360.0 / b.smooth_period;
            if imag < 0.0 {
                phase += 180.0;
            }
            if phase > 315.0 {
                phase -= 360.0;
            }
            sine = (phase * deg2rad).sin();
            lead = ((phase + 45.0) * deg2rad).sin();
        }
        let mut trendline = 0.0;
        if matches!(what, Cycle::Trendline | Cycle::TrendMode) {
            let mut mean = 0.0;
            for k in 0..period_int.min(t + 1) {
                mean += x[t - k];
            }
            if period_int > 0 {
                mean /= period_int as f64;
            }
            trendline = (4.0 * mean + 3.0 * it1 + 2.0 * it2 + it3) / 10.0;
            it3 = it2;
            it2 = it1;
            it1 = mean;
        }
        let mut trend = 1.0;
        if what == Cycle::TrendMode {
            if (sine > lead && prev_sine <= prev_lead) || (sine < lead && prev_sine >= prev_lead) {
                days_in_trend = 0;
                trend = 0.0;
            }
            days_in_trend += 1;
            if (days_in_trend as f64) < 0.5 * b.smooth_period {
                trend = 0.0;
            }
            let d = phase - prev_phase;
            if b.smooth_period != 0.0
                && d > 0.67 * 360.0 / b.smooth_period
                && d < 1.5 * 360.0 / b.smooth_period
            {
                trend = 0.0;
            }
            let p = prices[pidx];
            if trendline != 0.0 && ((p - trendline) / trendline).abs() >= 0.015 {
                trend = 1.0;
            }
        }
        if t >= 63 {
            let lines = Lines {
                phase,
                sine,
                lead,
                trendline,
                trend,
            };
            put(t, &lines);
        }
        pidx = (pidx + 1) % SMOOTH_PRICE;
    });
}
