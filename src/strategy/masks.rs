//! Comparison bit masks of two columns, 64 bars at a time: bit j of `lt` is
//! `x[j] < y[j]`, of `gt` `x[j] > y[j]` (both 0 where either is NaN). Packed
//! compares with their sign bits taken by `movmskpd`: AVX2 when the CPU has
//! it, SSE2 (part of every x86_64 target) otherwise, bar by bar elsewhere.

/// Calls `f(k, len, lt, gt)` for each chunk k of 64 bars of `x` and `y`
/// (the last may be shorter: `len` bars).
#[inline(always)]
pub fn each_chunk(x: &[f64], y: &[f64], f: impl FnMut(usize, usize, u64, u64)) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above.
        return unsafe { chunks_avx2(x, y, f) };
    }
    chunks(x, y, f, masks);
}

#[inline(always)]
fn chunks(
    x: &[f64],
    y: &[f64],
    mut f: impl FnMut(usize, usize, u64, u64),
    full: impl Fn(&[f64; 64], &[f64; 64]) -> (u64, u64),
) {
    for (k, (cx, cy)) in x.chunks(64).zip(y.chunks(64)).enumerate() {
        let (lt, gt) = match (<&[f64; 64]>::try_from(cx), <&[f64; 64]>::try_from(cy)) {
            (Ok(a), Ok(b)) => full(a, b),
            _ => bar_by_bar(cx, cy),
        };
        f(k, cx.len().min(cy.len()), lt, gt);
    }
}

/// The same loop compiled for AVX2, its full chunks four bars to a compare.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn chunks_avx2(x: &[f64], y: &[f64], f: impl FnMut(usize, usize, u64, u64)) {
    chunks(x, y, f, |a, b| masks_avx2(a, b));
}

/// The masks of a full chunk: SSE2 on x86_64, bar by bar elsewhere.
#[inline(always)]
fn masks(x: &[f64; 64], y: &[f64; 64]) -> (u64, u64) {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is part of every x86_64 target, so the function's
        // one target feature is always there.
        unsafe { masks_sse2(x, y) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    bar_by_bar(x, y)
}

/// Bar by bar: a chunk's tail, and targets without the packed compares.
#[inline(always)]
fn bar_by_bar(x: &[f64], y: &[f64]) -> (u64, u64) {
    let (mut lt, mut gt) = (0u64, 0u64);
    for (j, (a, b)) in x.iter().zip(y).enumerate() {
        lt |= u64::from(a < b) << j;
        gt |= u64::from(a > b) << j;
    }
    (lt, gt)
}

/// Two bars to a compare: about 5 instructions a bar where the compiler's
/// own vectorising of `bar_by_bar` took 8 to 17 (it packs each compare into
/// bytes, or stays scalar): 0.9 -> 0.55 ns a bar.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn masks_sse2(x: &[f64; 64], y: &[f64; 64]) -> (u64, u64) {
    use std::arch::x86_64::{_mm_cmpgt_pd, _mm_cmplt_pd, _mm_movemask_pd, _mm_set_pd};
    let (mut lt, mut gt) = (0u64, 0u64);
    for g in 0..32 {
        let a = _mm_set_pd(x[2 * g + 1], x[2 * g]);
        let b = _mm_set_pd(y[2 * g + 1], y[2 * g]);
        lt |= (_mm_movemask_pd(_mm_cmplt_pd(a, b)) as u64) << (2 * g);
        gt |= (_mm_movemask_pd(_mm_cmpgt_pd(a, b)) as u64) << (2 * g);
    }
    (lt, gt)
}

/// Four bars to a compare (ordered, quiet: false for NaN, as `<` is).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn masks_avx2(x: &[f64; 64], y: &[f64; 64]) -> (u64, u64) {
    use std::arch::x86_64::{
        _mm256_cmp_pd, _mm256_movemask_pd, _mm256_set_pd, _CMP_GT_OQ, _CMP_LT_OQ,
    };
    let (mut lt, mut gt) = (0u64, 0u64);
    for g in 0..16 {
        let i = 4 * g;
        let a = _mm256_set_pd(x[i + 3], x[i + 2], x[i + 1], x[i]);
        let b = _mm256_set_pd(y[i + 3], y[i + 2], y[i + 1], y[i]);
        lt |= (_mm256_movemask_pd(_mm256_cmp_pd::<_CMP_LT_OQ>(a, b)) as u64) << i;
        gt |= (_mm256_movemask_pd(_mm256_cmp_pd::<_CMP_GT_OQ>(a, b)) as u64) << i;
    }
    (lt, gt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_chunk_gives_the_bar_by_bar_masks() {
        // NaN, both zeros, infinities and ties, through each path the CPU
        // has, and a chunk's tail.
        let v = [
            f64::NAN,
            -0.0,
            0.0,
            1.0,
            -1.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1.0,
        ];
        let x: Vec<f64> = (0..64).map(|i| v[i % 8]).collect();
        let y: Vec<f64> = (0..64).map(|i| v[(i / 8 + i * 3) % 8]).collect();
        let want = bar_by_bar(&x, &y);
        assert!(want.0 != 0 && want.1 != 0 && want.0 & want.1 == 0);
        let (a, b): (&[f64; 64], &[f64; 64]) =
            (x[..].try_into().unwrap(), y[..].try_into().unwrap());
        assert_eq!(masks(a, b), want);
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, checked just above.
            assert_eq!(unsafe { masks_avx2(a, b) }, want);
        }
        let mut x2 = x.clone();
        x2.extend_from_slice(&x[..10]);
        let mut y2 = y.clone();
        y2.extend_from_slice(&y[..10]);
        let mut got = Vec::new();
        each_chunk(&x2, &y2, |k, len, lt, gt| got.push((k, len, lt, gt)));
        let tail = bar_by_bar(&x[..10], &y[..10]);
        assert_eq!(got, vec![(0, 64, want.0, want.1), (1, 10, tail.0, tail.1)]);
    }
}
