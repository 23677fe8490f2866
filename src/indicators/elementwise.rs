//! Element-wise and shifting helpers: shift, crosses, abs, log, sqrt, min,
//! max and where. Booleans are columns of 0.0 and 1.0; NaN compares false.

/// `x` delayed by `n` bars. Signals only ever get n ≥ 0 (past values); a
/// model's label may use n < 0, the value |n| bars ahead (NaN past the end).
pub fn shift(x: &[f64], n: i64, out: &mut [f64]) {
    let len = x.len();
    let k = (n.unsigned_abs() as usize).min(len);
    if n >= 0 {
        out[..k].fill(f64::NAN);
        out[k..].copy_from_slice(&x[..len - k]);
    } else {
        out[..len - k].copy_from_slice(&x[k..]);
        out[len - k..].fill(f64::NAN);
    }
}

/// 1 where `a[t−1] < b[t−1]` and `a[t] > b[t]`, else 0.
pub fn crosses_above(a: &[f64], b: &[f64], out: &mut [f64]) {
    if a.is_empty() {
        return;
    }
    out[0] = 0.0;
    for t in 1..a.len() {
        out[t] = f64::from(u8::from(a[t - 1] < b[t - 1] && a[t] > b[t]));
    }
}

/// 1 where `a[t−1] > b[t−1]` and `a[t] < b[t]`, else 0.
pub fn crosses_below(a: &[f64], b: &[f64], out: &mut [f64]) {
    crosses_above(b, a, out);
}

/// Applies `f` to every value.
#[inline(always)]
pub fn map(x: &[f64], out: &mut [f64], f: impl Fn(f64) -> f64) {
    for (o, &v) in out.iter_mut().zip(x) {
        *o = f(v);
    }
}

/// `map` of `f64::floor` or `f64::ceil`, compiled with SSE4.1 when the CPU
/// has it: `roundpd` two values at a time instead of a libm call per value.
/// Rounding to an integer is exact, so the values are the same either way.
pub fn map_round(x: &[f64], out: &mut [f64], f: impl Fn(f64) -> f64) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("sse4.1") {
        // SAFETY: the CPU has SSE4.1, checked just above.
        return unsafe { map_sse41(x, out, f) };
    }
    map(x, out, f)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse4.1")]
fn map_sse41(x: &[f64], out: &mut [f64], f: impl Fn(f64) -> f64) {
    map(x, out, f)
}

/// Applies `f` to every pair of values.
pub fn zip(a: &[f64], b: &[f64], out: &mut [f64], f: impl Fn(f64, f64) -> f64) {
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        *o = f(x, y);
    }
}

/// `a` where `cond` is 1, else `b`.
pub fn select(cond: &[f64], a: &[f64], b: &[f64], out: &mut [f64]) {
    for i in 0..cond.len() {
        out[i] = if cond[i] != 0.0 { a[i] } else { b[i] };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testing::{assert_close, run1};

    #[test]
    fn shift_and_crosses() {
        let n = f64::NAN;
        assert_close(&run1(|o| shift(&[1.0, 2.0, 3.0], 1, o), 3), &[n, 1.0, 2.0]);
        assert_close(&run1(|o| shift(&[1.0, 2.0], 5, o), 2), &[n, n]);
        assert_close(&run1(|o| shift(&[1.0, 2.0, 3.0], -1, o), 3), &[2.0, 3.0, n]);
        assert_close(&run1(|o| shift(&[1.0, 2.0], -5, o), 2), &[n, n]);
        let a = [1.0, 3.0, 3.0, 1.0, n, 5.0];
        let b = [2.0, 2.0, 3.0, 2.0, 2.0, 2.0];
        // Up at 1 (1<2, 3>2); the touch at 2 is no cross; down at 3 (3 > 3 is false: no).
        assert_close(
            &run1(|o| crosses_above(&a, &b, o), 6),
            &[0.0, 1.0, 0.0, 0.0, 0.0, 0.0],
        );
        assert_close(
            &run1(|o| crosses_below(&a, &b, o), 6),
            &[0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        );
        let c = [3.0, 1.0];
        assert_close(&run1(|o| crosses_below(&c, &[2.0, 2.0], o), 2), &[0.0, 1.0]);
    }

    #[test]
    fn maps_and_select() {
        assert_close(&run1(|o| map(&[-1.0, 4.0], o, f64::abs), 2), &[1.0, 4.0]);
        assert_close(
            &run1(|o| zip(&[1.0, 5.0], &[3.0, 2.0], o, f64::max), 2),
            &[3.0, 5.0],
        );
        assert_close(
            &run1(|o| select(&[1.0, 0.0], &[7.0, 7.0], &[9.0, 9.0], o), 2),
            &[7.0, 9.0],
        );
    }
}
