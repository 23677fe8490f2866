//! How many values of a sliding window lie below, and how many equal, the
//! current value (what PERCENTRANK and ROLLING_RANK read): counted directly
//! for short windows, and for long ones with a Fenwick tree over the
//! values' ranks, O(n log n) instead of O(n·w). Both give the same counts:
//! comparisons as `<` and `==` make them (NaN below nothing, equal to
//! nothing; −0 equal to 0).

/// Calls `f(i, below, equal)` for each bar `i` from `first` on, where the
/// window is the `n` values `x[i + shift - n .. i + shift]`: `shift` 0 for
/// the `n` values before bar i, 1 for the `n` values up to and including it.
/// `first` must be at least `n - shift`. Windows longer than `direct_max`
/// use the Fenwick tree (its cost hardly depends on n: about 75 ms on 1M
/// values; the direct count's grows with n, benches/RESULTS.md).
pub fn counts(
    x: &[f64],
    n: usize,
    shift: usize,
    first: usize,
    direct_max: usize,
    f: impl FnMut(usize, usize, usize),
) {
    if n <= direct_max {
        direct(x, n, shift, first, f);
    } else {
        fenwick(x, n, shift, first, f);
    }
}

/// Every window counted anew.
pub fn direct(
    x: &[f64],
    n: usize,
    shift: usize,
    first: usize,
    mut f: impl FnMut(usize, usize, usize),
) {
    for i in first..x.len() {
        let w = &x[i + shift - n..i + shift];
        let (below, equal) = w.iter().fold((0usize, 0usize), |(b, e), v| {
            (b + usize::from(*v < x[i]), e + usize::from(*v == x[i]))
        });
        f(i, below, equal);
    }
}

/// Each value's rank among the distinct values of `x` (equal values, −0 and
/// 0 among them, share one); `NONE` for NaN. And the number of ranks.
fn ranks(x: &[f64]) -> (Vec<u32>, usize) {
    // Sorted as (value, position) pairs: no lookup through the positions.
    let mut order: Vec<(f64, u32)> = x
        .iter()
        .enumerate()
        .filter(|(_, v)| !v.is_nan())
        .map(|(i, v)| (*v, i as u32))
        .collect();
    order.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let mut rank = vec![NONE; x.len()];
    let mut r = 0u32;
    for k in 0..order.len() {
        if k > 0 && order[k].0 != order[k - 1].0 {
            r += 1;
        }
        rank[order[k].1 as usize] = r;
    }
    (rank, if order.is_empty() { 0 } else { r as usize + 1 })
}

/// The rank of a NaN: none.
const NONE: u32 = u32::MAX;

/// Counts per rank, and a Fenwick tree of them for the counts below a rank.
struct Tree {
    tree: Vec<i32>,
    each: Vec<i32>,
}

impl Tree {
    fn add(&mut self, r: u32, d: i32) {
        if r == NONE {
            return;
        }
        self.each[r as usize] += d;
        let mut k = r as usize + 1;
        while k < self.tree.len() {
            self.tree[k] += d;
            k += k & k.wrapping_neg();
        }
    }

    /// Values in the window with a rank below `r`.
    fn below(&self, r: u32) -> i32 {
        let (mut k, mut s) = (r as usize, 0);
        while k > 0 {
            s += self.tree[k];
            k &= k - 1;
        }
        s
    }
}

/// The same counts from a Fenwick tree over the values' ranks.
pub fn fenwick(
    x: &[f64],
    n: usize,
    shift: usize,
    first: usize,
    mut f: impl FnMut(usize, usize, usize),
) {
    if first >= x.len() {
        return;
    }
    let (rank, m) = ranks(x);
    let mut t = Tree {
        tree: vec![0; m + 1],
        each: vec![0; m],
    };
    // The window of bar `first`, then one in and one out per bar.
    for r in &rank[first + shift - n..first + shift] {
        t.add(*r, 1);
    }
    for i in first..x.len() {
        if i > first {
            t.add(rank[i + shift - 1], 1);
            t.add(rank[i + shift - 1 - n], -1);
        }
        let (below, equal) = match rank[i] {
            NONE => (0, 0),
            r => (t.below(r), t.each[r as usize]),
        };
        f(i, below as usize, equal as usize);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_counts_what_the_direct_count_counts() {
        // Few distinct values (many ties), NaN, and −0 beside 0.
        let mut rng = crate::data::synth::SplitMix64::new(3);
        let x: Vec<f64> = (0..3000)
            .map(|i| match rng.next_u64() % 11 {
                0 => f64::NAN,
                1 => -0.0,
                2 => 0.0,
                k if i % 7 == 0 => (k as f64) * 0.1,
                _ => (rng.next_u64() % 1000) as f64 / 7.0,
            })
            .collect();
        for n in [1, 2, 5, 65, 257, 2999] {
            for shift in [0, 1] {
                let first = n - shift;
                let (mut a, mut b) = (Vec::new(), Vec::new());
                direct(&x, n, shift, first, |i, lo, eq| a.push((i, lo, eq)));
                fenwick(&x, n, shift, first, |i, lo, eq| b.push((i, lo, eq)));
                assert_eq!(a, b, "n {n} shift {shift}");
                assert_eq!(a.len(), x.len() - first);
            }
        }
        // By hand: the 3 values before 2.0 in [1, 2, 2, 3, 2] are 2, 2, 3:
        // none below, two equal.
        let x = [1.0, 2.0, 2.0, 3.0, 2.0];
        let mut got = Vec::new();
        fenwick(&x, 3, 0, 3, |i, lo, eq| got.push((i, lo, eq)));
        assert_eq!(got, vec![(3, 3, 0), (4, 0, 2)]);
    }
}
