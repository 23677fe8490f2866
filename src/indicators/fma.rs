//! Fused multiply-adds as TA-Lib 0.8 uses them: EMA's step
//! `fma(x − prev, k, prev)`, and `with_fma`, which runs a loop compiled for
//! the FMA instruction when the CPU has it. A fused multiply-add rounds once
//! whichever instruction computes it, so the FMA path and `f64::mul_add`'s
//! portable one (a libm call) give the same bits; the first is faster.

/// One EMA step from `prev` on input `x` with factor `k`, as TA-Lib 0.8
/// computes it: `prev + (x − prev)·k`, rounded once after the multiply-add.
#[inline(always)]
pub fn ema_step(prev: f64, x: f64, k: f64) -> f64 {
    (x - prev).mul_add(k, prev)
}

/// What an EMA chain steps: one series (`f64`), or several in lock-step
/// (`[f64; L]`, each lane its own EMAs with the same periods, so that
/// their latency chains overlap in one loop).
pub trait Lanes: Copy {
    /// −0 in every lane, where seed sums start (as `iter().sum()` does).
    const NEG_ZERO: Self;
    fn add(self, o: Self) -> Self;
    fn div(self, n: f64) -> Self;
    /// `ema_step` in every lane.
    fn step(self, x: Self, k: f64) -> Self;
}

impl Lanes for f64 {
    const NEG_ZERO: f64 = -0.0;
    #[inline(always)]
    fn add(self, o: f64) -> f64 {
        self + o
    }
    #[inline(always)]
    fn div(self, n: f64) -> f64 {
        self / n
    }
    #[inline(always)]
    fn step(self, x: f64, k: f64) -> f64 {
        ema_step(self, x, k)
    }
}

impl<const L: usize> Lanes for [f64; L] {
    const NEG_ZERO: [f64; L] = [-0.0; L];
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        std::array::from_fn(|j| self[j] + o[j])
    }
    #[inline(always)]
    fn div(self, n: f64) -> Self {
        self.map(|v| v / n)
    }
    #[inline(always)]
    fn step(self, x: Self, k: f64) -> Self {
        std::array::from_fn(|j| ema_step(self[j], x[j], k))
    }
}

/// Runs `f`, compiled with FMA when the CPU has it. `f` must be
/// `#[inline(always)]` (or a closure that inlines) for its body to be
/// compiled in the FMA context.
#[inline(always)]
pub fn with_fma<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("fma") {
        // SAFETY: the CPU has FMA, checked just above.
        return unsafe { fma_on(f) };
    }
    f()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "fma")]
fn fma_on<R>(f: impl FnOnce() -> R) -> R {
    f()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// prev = 4, x = 11.515625 (4 + 481/64), k = 2/31 (rounded): the
    /// product 7.515625·k rounded by itself to 0.4848790322580645 makes the
    /// sum round down to 0x1.1f08421084210p+2; fused, the product's lower
    /// bits take the sum one ulp up, to 0x1.1f08421084211p+2, which is
    /// TA-Lib 0.8's value. Then: the step inside `with_fma` and outside it
    /// agree bit for bit.
    #[test]
    fn the_step_by_hand_and_on_both_paths() {
        let (prev, x, k) = (4.0, 11.515625, 2.0 / 31.0);
        assert_eq!(ema_step(prev, x, k).to_bits(), 0x4011_f084_2108_4211);
        assert_eq!(((x - prev) * k + prev).to_bits(), 0x4011_f084_2108_4210);
        let x: Vec<f64> = (0..1000).map(|i| (i as f64 * 0.37).sin() * 100.0).collect();
        let run = || {
            let mut p = 1.0;
            x.iter()
                .map(|&v| {
                    p = ema_step(p, v, 2.0 / 31.0);
                    p
                })
                .collect::<Vec<f64>>()
        };
        let a = with_fma(run);
        let b = run();
        assert!(a.iter().zip(&b).all(|(p, q)| p.to_bits() == q.to_bits()));
    }
}
