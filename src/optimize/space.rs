//! The parameter space of a strategy: every grid point in a fixed order,
//! seeded random samples, and deterministic shards.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::strategy::{ParamDef, ParamKind, Strategy};

/// A parameter set.
pub type Point = BTreeMap<String, f64>;

/// The values each parameter takes on the grid, in the strategy's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Space {
    pub axes: Vec<(String, Vec<f64>)>,
}

/// Grid values of one parameter: its `values`, or `min..=max` by `step`
/// (integers step 1 when no step is given).
fn axis(p: &ParamDef) -> Result<Vec<f64>> {
    if let Some(v) = &p.values {
        return Ok(v.clone());
    }
    let (Some(lo), Some(hi)) = (p.min, p.max) else {
        return Ok(vec![p.default]);
    };
    let step = match (p.step, p.kind) {
        (Some(s), _) => s,
        (None, ParamKind::Int) => 1.0,
        (None, ParamKind::Float) => {
            return Err(Error::Usage(format!(
                "parameter '{}' is a float range without a step: give step or values to sweep it",
                p.name
            )))
        }
    };
    let n = ((hi - lo) / step + 1e-9).floor() as usize + 1;
    if n > 10_000_000 {
        return Err(Error::Usage(format!(
            "parameter '{}' has {n} grid values; that is too many",
            p.name
        )));
    }
    // Multiply rather than accumulate so that 0.1 steps do not drift.
    Ok((0..n)
        .map(|i| {
            let v = lo + step * i as f64;
            if p.kind == ParamKind::Int {
                v.round()
            } else {
                (v * 1e12).round() / 1e12
            }
        })
        .collect())
}

impl Space {
    pub fn of(strategy: &Strategy) -> Result<Space> {
        let axes = strategy
            .params
            .iter()
            .map(|p| Ok((p.name.clone(), axis(p)?)))
            .collect::<Result<Vec<_>>>()?;
        Ok(Space { axes })
    }

    /// Number of grid points before constraints.
    pub fn size(&self) -> u128 {
        self.axes.iter().map(|(_, v)| v.len() as u128).product()
    }

    /// The i-th grid point: the last parameter varies fastest.
    pub fn point(&self, mut i: u128) -> Point {
        let mut p = Point::new();
        for (name, values) in self.axes.iter().rev() {
            let n = values.len() as u128;
            p.insert(name.clone(), values[(i % n) as usize]);
            i /= n;
        }
        p
    }

    /// Every grid point that satisfies the strategy's constraint, in order.
    pub fn grid(&self, strategy: &Strategy, limit: u128) -> Result<Vec<Point>> {
        let at = self.grid_indices(strategy, limit)?;
        Ok(at.into_iter().map(|i| self.point(i.into())).collect())
    }

    /// `grid`'s points as their grid numbers (`point` turns one into its
    /// parameters): 8 bytes a point.
    pub fn grid_indices(&self, strategy: &Strategy, limit: u128) -> Result<Vec<u64>> {
        let size = self.size();
        if size > limit || size > u128::from(u64::MAX) {
            return Err(Error::Usage(format!(
                "the grid has {size} points (more than {limit}): narrow the ranges or use a random search"
            )));
        }
        let mut out = Vec::new();
        for i in 0..size as u64 {
            if strategy.constraint_holds(&self.point(i.into()))? {
                out.push(i);
            }
        }
        Ok(out)
    }

    /// `n` points drawn uniformly from the grid with `seed`, skipping points
    /// that break the constraint (duplicates are allowed, as in any sampler).
    pub fn random(&self, strategy: &Strategy, n: usize, seed: u64) -> Result<Vec<Point>> {
        let at = self.random_indices(strategy, n, seed)?;
        Ok(at.into_iter().map(|i| self.point(i.into())).collect())
    }

    /// `random`'s points as their grid numbers.
    pub fn random_indices(&self, strategy: &Strategy, n: usize, seed: u64) -> Result<Vec<u64>> {
        let mut rng = crate::data::synth::SplitMix64::new(seed);
        let size = self.size();
        let mut out = Vec::with_capacity(n);
        let mut misses = 0usize;
        while out.len() < n {
            // Below 2^64 whatever the size: a u64 draw modulo it.
            let i = (u128::from(rng.next_u64()) % size.max(1)) as u64;
            if strategy.constraint_holds(&self.point(i.into()))? {
                out.push(i);
            } else {
                misses += 1;
                if misses > 100 * n + 1000 {
                    return Err(Error::Usage(
                        "almost no point of the space satisfies the constraint".into(),
                    ));
                }
            }
        }
        Ok(out)
    }
}

/// `k/n`: the k-th (1-based) of n slices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub k: usize,
    pub n: usize,
}

impl Shard {
    pub fn parse(s: &str) -> Result<Shard> {
        let bad = || {
            Error::Usage(format!(
                "invalid shard '{s}': expected k/n with 1 <= k <= n, e.g. 3/16"
            ))
        };
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n): (usize, usize) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if k == 0 || n == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }

    /// Whether trial `index` (0-based, in sweep order) belongs to this shard.
    pub fn owns(&self, index: usize) -> bool {
        index % self.n == self.k - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn strategy() -> Strategy {
        let text = "name = \"t\"\n[params]\nfast = { default = 10, min = 5, max = 20, step = 5 }\nslow = { default = 20, min = 10, max = 30, step = 10 }\n[signals]\nconstraint = \"fast < slow\"\nlong_entry = \"close > sma(close, fast)\"\n";
        crate::pipeline::parse(text, Path::new("t.toml")).unwrap()
    }

    #[test]
    fn grid_order_and_constraint() {
        let s = strategy();
        let space = Space::of(&s).unwrap();
        // fast: 5, 10, 15, 20; slow: 10, 20, 30 -> 12 points; fast < slow leaves 8.
        assert_eq!(space.size(), 12);
        let pts: Vec<(f64, f64)> = space
            .grid(&s, 1_000)
            .unwrap()
            .iter()
            .map(|p| (p["fast"], p["slow"]))
            .collect();
        assert_eq!(
            pts,
            vec![
                (5.0, 10.0),
                (5.0, 20.0),
                (5.0, 30.0),
                (10.0, 20.0),
                (10.0, 30.0),
                (15.0, 20.0),
                (15.0, 30.0),
                (20.0, 30.0)
            ]
            .into_iter()
            .collect::<Vec<_>>()
        );
        assert!(space.grid(&s, 5).is_err());
    }

    #[test]
    fn random_is_seeded_and_shards_partition() {
        let s = strategy();
        let space = Space::of(&s).unwrap();
        let a = space.random(&s, 20, 7).unwrap();
        assert_eq!(a, space.random(&s, 20, 7).unwrap());
        assert_ne!(a, space.random(&s, 20, 8).unwrap());
        assert!(a.iter().all(|p| p["fast"] < p["slow"]));
        let shards: Vec<Shard> = (1..=4).map(|k| Shard { k, n: 4 }).collect();
        for i in 0..50 {
            assert_eq!(shards.iter().filter(|s| s.owns(i)).count(), 1);
        }
        assert_eq!(Shard::parse("3/16").unwrap(), Shard { k: 3, n: 16 });
        assert!(
            Shard::parse("0/4").is_err()
                && Shard::parse("5/4").is_err()
                && Shard::parse("x").is_err()
        );
    }

    #[test]
    fn float_steps_do_not_drift() {
        let text = "name = \"t\"\n[params]\nk = { default = 1.0, min = 1.0, max = 2.0, step = 0.1 }\n[signals]\nlong_entry = \"close > open\"\n";
        let s = crate::pipeline::parse(text, Path::new("t.toml")).unwrap();
        let space = Space::of(&s).unwrap();
        assert_eq!(space.axes[0].1.len(), 11);
        assert_eq!(space.axes[0].1[3], 1.3);
    }
}
