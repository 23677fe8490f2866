//! Which trials' block sums PBO reads: every one up to the exact limit, a
//! seeded sample past it (`--pbo-sample`), none without the overfitting
//! statistics.

use super::output::Meta;
use crate::error::{Error, Result};

/// Which trials' block returns PBO reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Keep {
    /// None: the overfitting statistics are skipped.
    Nothing,
    Every,
    /// These trial numbers (ascending): a seeded sample.
    Sample(Vec<usize>),
    /// `n` of a genetic search's trials, drawn once they are all known.
    Later {
        n: usize,
        seed: u64,
    },
}

impl Keep {
    pub fn has(&self, index: usize) -> bool {
        match self {
            Keep::Nothing => false,
            Keep::Every | Keep::Later { .. } => true,
            Keep::Sample(s) => s.binary_search(&index).is_ok(),
        }
    }
}

/// PBO is computed exactly over at most this many trials: beyond it, a
/// sample (`Plan::pbo_sample`) or no overfitting statistics.
pub const PBO_EXACT_MAX: usize = 100_000;

/// Whether a sweep by `method` of `points` trials needs a PBO sample (or no
/// overfitting statistics): a grid or random sweep past `PBO_EXACT_MAX`. A
/// genetic search holds its trials in memory anyway.
pub fn too_many(method: &str, points: usize) -> bool {
    points > PBO_EXACT_MAX && method != "genetic"
}

/// The trials whose block returns PBO reads, or why there are too many.
pub fn keep(meta: &Meta) -> Result<Keep> {
    if !meta.overfit {
        return Ok(Keep::Nothing);
    }
    let seed = meta.seed.unwrap_or(0);
    match meta.pbo_sample {
        None if too_many(&meta.method, meta.points) => Err(Error::Usage(format!(
            "PBO is exact over at most {PBO_EXACT_MAX} trials and this sweep has {}: sample at most {PBO_EXACT_MAX} of them for it, or skip the overfitting statistics",
            meta.points
        ))),
        None => Ok(Keep::Every),
        Some(n) if n < 2 => Err(Error::Usage("a PBO sample needs at least 2 trials".into())),
        Some(n) if n > PBO_EXACT_MAX => Err(Error::Usage(format!(
            "a PBO sample of {n} trials is more than the {PBO_EXACT_MAX} PBO is exact over"
        ))),
        Some(n) if meta.method == "genetic" => Ok(Keep::Later { n, seed }),
        Some(n) => Ok(Keep::Sample(sample(meta.points, n, seed))),
    }
}

/// `n` distinct positions of `0..total`, ascending, drawn with `seed`
/// (Floyd's algorithm: memory for the n drawn, none for the rest).
pub fn sample(total: usize, n: usize, seed: u64) -> Vec<usize> {
    let mut rng = crate::data::synth::SplitMix64::new(seed ^ 0x5042_4f5f_5341_4d50);
    let mut set = std::collections::HashSet::with_capacity(n.min(total));
    for j in total.saturating_sub(n)..total {
        let t = (rng.next_u64() % (j as u64 + 1)) as usize;
        if !set.insert(t) {
            set.insert(j);
        }
    }
    let mut out: Vec<usize> = set.into_iter().collect();
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_are_seeded_distinct_and_sorted() {
        let a = sample(1000, 50, 7);
        assert_eq!(a.len(), 50);
        assert!(a.windows(2).all(|w| w[0] < w[1]) && a[49] < 1000);
        assert_eq!(a, sample(1000, 50, 7));
        assert_ne!(a, sample(1000, 50, 8));
        // Asking for more than there are gives all of them.
        assert_eq!(sample(5, 10, 1), vec![0, 1, 2, 3, 4]);
        let k = Keep::Sample(a.clone());
        assert!(k.has(a[3]) && !k.has(1001));
    }
}
