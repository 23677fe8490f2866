//! Moving averages a chunk of bars at a time, bit for bit the columns that
//! `ma::sma` and `ma::ema` write (the same operations in the same order), so
//! a sweep can find crossings without holding a column per indicator.

use super::fma::{ema_step, with_fma};

/// Which average a `Stream` computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Average {
    Sma,
    Ema,
}

impl Average {
    /// The average a catalogue name computes as a stream, if it is one.
    pub fn of(name: &str) -> Option<Average> {
        match name {
            "sma" => Some(Average::Sma),
            "ema" => Some(Average::Ema),
            _ => None,
        }
    }
}

/// The column `kind(x, n)` as the evaluator makes it (warm-up from `x`'s
/// first non-NaN value, NaN before), produced in order, any number of bars
/// per call.
#[derive(Debug, Clone)]
pub struct Stream<'a> {
    kind: Average,
    x: &'a [f64],
    n: usize,
    /// The first bar with a value (`x.len()` when there is none).
    first: usize,
    /// The next bar to produce.
    at: usize,
    /// The running sum (SMA) or the previous value (EMA).
    state: f64,
}

impl<'a> Stream<'a> {
    pub fn new(kind: Average, x: &'a [f64], n: usize) -> Self {
        let start = super::first_valid(x);
        let first = if n == 0 || x.len() - start < n {
            x.len()
        } else {
            start + n - 1
        };
        Stream {
            kind,
            x,
            n,
            first,
            at: 0,
            state: 0.0,
        }
    }

    /// Writes the next `out.len()` bars.
    pub fn fill(&mut self, out: &mut [f64]) {
        let from = self.prime(out);
        self.steady(out, from);
    }

    /// Writes the warm-up (NaN) and the seed among the next `out.len()`
    /// bars; returns the offset from which the recurrence writes the rest.
    fn prime(&mut self, out: &mut [f64]) -> usize {
        let (lo, hi) = (self.at, self.at + out.len());
        assert!(hi <= self.x.len(), "a stream ends with its column");
        let warm = self.first.clamp(lo, hi) - lo;
        out[..warm].fill(f64::NAN);
        if warm == out.len() || lo + warm != self.first {
            return warm;
        }
        // The seed, as `ma::sma` / `ma::ema` form it over the series that
        // starts at the first value.
        let (x, n) = (self.x, self.n);
        let start = self.first + 1 - n;
        match self.kind {
            Average::Sma => {
                self.state = x[start..self.first].iter().sum();
                warm
            }
            Average::Ema => {
                self.state = x[start..start + n].iter().sum::<f64>() / n as f64;
                out[warm] = self.state;
                warm + 1
            }
        }
    }

    /// Bars `from..` of the chunk `out` by the recurrence; then the stream
    /// stands after the chunk.
    fn steady(&mut self, out: &mut [f64], from: usize) {
        let (x, n, at) = (self.x, self.n, self.at);
        self.at += out.len();
        match self.kind {
            Average::Sma => {
                let mut total = self.state;
                for (o, i) in out[from..].iter_mut().zip(at + from..) {
                    total += x[i];
                    *o = total / n as f64;
                    total -= x[i + 1 - n];
                }
                self.state = total;
            }
            Average::Ema => {
                let k = 2.0 / (n as f64 + 1.0);
                let seed = self.state;
                // The state is the closure's own local, kept in a register.
                self.state = with_fma(
                    #[inline(always)]
                    || {
                        let mut prev = seed;
                        for (o, &v) in out[from..].iter_mut().zip(&x[at + from..]) {
                            prev = ema_step(prev, v, k);
                            *o = prev;
                        }
                        prev
                    },
                );
            }
        }
    }
}

/// Fills each stream's next chunk (all at the same bar, chunks of one
/// length), four of one kind at a time interleaved: one average's
/// recurrence waits on its own adds (8 cycles a bar for an SMA), four
/// independent ones overlap. Each stream's operations are those of `fill`.
pub fn fill_all(streams: &mut [(&mut Stream<'_>, &mut [f64])]) {
    for kind in [Average::Sma, Average::Ema] {
        let mut group: Vec<&mut (&mut Stream<'_>, &mut [f64])> =
            streams.iter_mut().filter(|s| s.0.kind == kind).collect();
        for four in group.chunks_mut(4) {
            let [a, b, c, d] = four else {
                for s in four {
                    s.0.fill(s.1);
                }
                continue;
            };
            let from = [&mut *a, &mut *b, &mut *c, &mut *d].map(|s| s.0.prime(s.1));
            let common = from.iter().copied().max().unwrap_or(0);
            // Up to the last to start, each alone.
            for (s, &f) in [&mut *a, &mut *b, &mut *c, &mut *d].into_iter().zip(&from) {
                s.0.steady(&mut s.1[..common], f);
            }
            let ss = [&mut *a.0, &mut *b.0, &mut *c.0, &mut *d.0];
            let outs = [
                &mut a.1[common..],
                &mut b.1[common..],
                &mut c.1[common..],
                &mut d.1[common..],
            ];
            interleaved(kind, ss, outs);
        }
    }
}

/// The recurrence of four streams of `kind` over their whole chunks. The
/// inputs are sliced to the chunk first so that the loop has no bounds
/// checks and the four lanes can share packed adds and divides.
fn interleaved(kind: Average, s: [&mut Stream<'_>; 4], outs: [&mut [f64]; 4]) {
    let at = s[0].at;
    let len = outs[0].len();
    if len == 0 {
        // All four still warming up (or none left of the chunk).
        return;
    }
    let n = [s[0].n, s[1].n, s[2].n, s[3].n];
    let mut state = [s[0].state, s[1].state, s[2].state, s[3].state];
    let add: [&[f64]; 4] = std::array::from_fn(|k| &s[k].x[at..at + len]);
    let [o0, o1, o2, o3] = outs;
    let (o0, o1, o2, o3) = (
        &mut o0[..len],
        &mut o1[..len],
        &mut o2[..len],
        &mut o3[..len],
    );
    match kind {
        Average::Sma => {
            // Bar i drops bar i + 1 - n, at or after 0 in the recurrence.
            let sub: [&[f64]; 4] =
                std::array::from_fn(|k| &s[k].x[at + 1 - n[k]..at + 1 - n[k] + len]);
            let d = n.map(|n| n as f64);
            for j in 0..len {
                state[0] += add[0][j];
                state[1] += add[1][j];
                state[2] += add[2][j];
                state[3] += add[3][j];
                o0[j] = state[0] / d[0];
                o1[j] = state[1] / d[1];
                o2[j] = state[2] / d[2];
                o3[j] = state[3] / d[3];
                state[0] -= sub[0][j];
                state[1] -= sub[1][j];
                state[2] -= sub[2][j];
                state[3] -= sub[3][j];
            }
        }
        Average::Ema => {
            let f = n.map(|n| 2.0 / (n as f64 + 1.0));
            state = with_fma(
                #[inline(always)]
                || {
                    let mut state = state;
                    for j in 0..len {
                        state[0] = ema_step(state[0], add[0][j], f[0]);
                        state[1] = ema_step(state[1], add[1][j], f[1]);
                        state[2] = ema_step(state[2], add[2][j], f[2]);
                        state[3] = ema_step(state[3], add[3][j], f[3]);
                        o0[j] = state[0];
                        o1[j] = state[1];
                        o2[j] = state[2];
                        o3[j] = state[3];
                    }
                    state
                },
            );
        }
    }
    for (st, v) in s.into_iter().zip(state) {
        st.state = v;
        st.at = at + len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::ma;

    /// The evaluator's column: the average of the series from its first
    /// value, NaN before.
    fn column(kind: Average, x: &[f64], n: usize) -> Vec<f64> {
        let start = crate::indicators::first_valid(x);
        let mut out = vec![f64::NAN; x.len()];
        match kind {
            Average::Sma => ma::sma(&x[start..], n, &mut out[start..]),
            Average::Ema => ma::ema(&x[start..], n, &mut out[start..]),
        }
        out
    }

    #[test]
    fn chunks_of_any_size_give_the_column_bit_for_bit() {
        // A random walk with a NaN head (warm-up from the first value) and
        // a NaN inside (the running sum carries it, as the column's does).
        let mut x: Vec<f64> = (0..700)
            .scan(100.0f64, |p, i| {
                *p += ((i * 7919 % 113) as f64 - 56.0) * 0.013;
                Some(*p)
            })
            .collect();
        x[..5].fill(f64::NAN);
        x[400] = f64::NAN;
        for kind in [Average::Sma, Average::Ema] {
            for n in [0, 1, 2, 3, 10, 64, 695, 696] {
                let want = column(kind, &x, n);
                for chunk in [1, 3, 64, 100, 700] {
                    let mut s = Stream::new(kind, &x, n);
                    let mut got = vec![0.0; x.len()];
                    for c in got.chunks_mut(chunk) {
                        s.fill(c);
                    }
                    let same = got
                        .iter()
                        .zip(&want)
                        .all(|(a, b)| a.to_bits() == b.to_bits());
                    assert!(same, "{kind:?} n {n} chunk {chunk}");
                }
            }
        }
        // Interleaved by fours (9 streams: two fours of SMAs, one SMA and
        // one EMA alone... as `fill_all` groups them), chunks of 64 and 100.
        let periods = [1, 2, 3, 10, 64, 695, 696, 0, 30];
        for chunk in [64, 100] {
            let mut streams: Vec<Stream> = periods
                .iter()
                .flat_map(|&n| {
                    [
                        Stream::new(Average::Sma, &x, n),
                        Stream::new(Average::Ema, &x, n),
                    ]
                })
                .collect();
            let mut got = vec![vec![0.0; x.len()]; streams.len()];
            for lo in (0..x.len()).step_by(chunk) {
                let hi = (lo + chunk).min(x.len());
                let mut work: Vec<(&mut Stream, &mut [f64])> = streams
                    .iter_mut()
                    .zip(got.iter_mut())
                    .map(|(s, g)| (s, &mut g[lo..hi]))
                    .collect();
                fill_all(&mut work);
            }
            for (k, g) in got.iter().enumerate() {
                let kind = [Average::Sma, Average::Ema][k % 2];
                let want = column(kind, &x, periods[k / 2]);
                let same = g.iter().zip(&want).all(|(a, b)| a.to_bits() == b.to_bits());
                assert!(same, "{kind:?} n {} chunk {chunk} together", periods[k / 2]);
            }
        }
        // 695 bars from bar 5 on (without the NaN inside, which the running
        // sum would carry to the end): n = 695 has one value, the last
        // bar's (5 + 695 - 1 = 699), and n = 696 none.
        x[400] = 1.0;
        let s = column(Average::Sma, &x, 695);
        assert!(s[698].is_nan() && !s[699].is_nan());
        assert!(column(Average::Sma, &x, 696).iter().all(|v| v.is_nan()));
    }
}
