//! The genetic search with several objectives: NSGA-II (Deb et al., 2002)
//! on the grid. Written here rather than on genevo: genevo scores each
//! genome alone with one `Ord` fitness, and NSGA-II ranks a genome by the
//! whole population (its non-dominated front and crowding distance). The
//! operators are genevo's in kind: binary tournaments, uniform crossover,
//! random-value mutation; parents and children compete for the next
//! generation (elitist). Seeded; every distinct point is backtested once.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::evolve::GeneticConfig;
use super::market::Market;
use super::overfit::block_stats;
use super::pareto::{nsga_rank, oriented};
use super::search::Sink;
use super::space::Space;
use super::sweep::{self, Config, Trial};
use crate::data::synth::SplitMix64;
use crate::error::Result;
use crate::strategy::{ColumnCache, Strategy};

type Genome = Vec<usize>;

fn grid_index(space: &Space, g: &Genome) -> u128 {
    space
        .axes
        .iter()
        .zip(g)
        .fold(0u128, |i, ((_, v), k)| i * v.len() as u128 + *k as u128)
}

/// What the search has evaluated: by grid index, None where the
/// constraint removes the point.
struct Book<'a> {
    strategy: &'a Strategy,
    market: &'a Market,
    cfg: &'a Config,
    space: Space,
    cache: ColumnCache,
    done: BTreeMap<u128, Option<Trial>>,
}

impl Book<'_> {
    /// Backtests the genomes' points not yet seen, in parallel, and hands
    /// the new trials to `sink` as a checkpoint.
    fn evaluate(
        &mut self,
        genomes: &[Genome],
        tick: &(dyn Fn() + Sync),
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let mut new: Vec<u128> = genomes.iter().map(|g| grid_index(&self.space, g)).collect();
        new.sort_unstable();
        new.dedup();
        new.retain(|i| !self.done.contains_key(i));
        let results: Vec<Result<(u128, Option<Trial>)>> = new
            .par_iter()
            .map(|&index| {
                let params = self.space.point(index);
                if !self.strategy.constraint_holds(&params)? {
                    return Ok((index, None));
                }
                let out = self.market.trial(self.strategy, &params, &self.cache)?;
                tick();
                let c = self.cfg;
                let feasible = c.pareto.iter().all(|o| {
                    out.metrics
                        .get(o.metric.as_str())
                        .copied()
                        .flatten()
                        .is_some()
                }) && c.constraints.iter().all(|k| k.holds(&out.metrics));
                Ok((
                    index,
                    Some(Trial {
                        index: index as usize,
                        params,
                        blocks: block_stats(&out.returns),
                        metrics: out.metrics,
                        feasible,
                    }),
                ))
            })
            .collect();
        let mut fresh = Vec::new();
        for r in results {
            let (i, t) = r?;
            fresh.extend(t.clone());
            self.done.insert(i, t);
        }
        if sweep::stopped() {
            return Ok(());
        }
        sink.generation(&fresh)
    }

    /// The oriented objectives of a genome's point (None: infeasible or removed).
    fn point(&self, g: &Genome) -> Option<Vec<f64>> {
        let t = self.done.get(&grid_index(&self.space, g))?.as_ref()?;
        oriented(t, &self.cfg.pareto)
    }
}

/// (front, −crowding, grid index) per genome: lower is better.
fn ranks(book: &Book, genomes: &[Genome]) -> Vec<(usize, f64, u128)> {
    let pts: Vec<Option<Vec<f64>>> = genomes.iter().map(|g| book.point(g)).collect();
    let valid: Vec<Vec<f64>> = pts.iter().flatten().cloned().collect();
    let mut ranked = nsga_rank(&valid).into_iter();
    pts.iter()
        .zip(genomes)
        .map(|(p, g)| {
            let i = grid_index(&book.space, g);
            match p {
                Some(_) => {
                    let (r, c) = ranked.next().expect("one rank per valid point");
                    (r, -c, i)
                }
                None => (usize::MAX, 0.0, i),
            }
        })
        .collect()
}

fn better(a: &(usize, f64, u128), b: &(usize, f64, u128)) -> bool {
    (a.0, a.1, a.2) < (b.0, b.1, b.2)
}

/// Runs NSGA-II; returns every evaluated point (in grid order) and the
/// size of the Pareto front of everything evaluated after each generation.
/// Points `sink` says an earlier run evaluated are not run again (the
/// search replays to where it stopped: it is deterministic given its seed).
pub fn run(
    strategy: &Strategy,
    market: &Market,
    cfg: &Config,
    g: &GeneticConfig,
    tick: &(dyn Fn() + Sync),
    sink: &mut dyn Sink,
) -> Result<(Vec<Trial>, Vec<usize>)> {
    g.check()?;
    let space = Space::of(strategy)?;
    let sizes: Vec<usize> = space.axes.iter().map(|(_, v)| v.len()).collect();
    let mut rng = SplitMix64::new(g.seed);
    let mut book = Book {
        strategy,
        market,
        cfg,
        space,
        cache: ColumnCache::default(),
        done: sink
            .evaluated()
            .into_iter()
            .map(|t| (t.index as u128, Some(t)))
            .collect(),
    };
    let n = g.population;
    let random = |rng: &mut SplitMix64| -> Genome { sizes.iter().map(|&s| rng.below(s)).collect() };
    let mut pop: Vec<Genome> = (0..n).map(|_| random(&mut rng)).collect();
    book.evaluate(&pop, tick, sink)?;
    let mut fronts = Vec::new();
    let (mut last_front, mut stale) = (Vec::new(), 0u64);
    for _ in 0..g.generations {
        if sweep::stopped() {
            break;
        }
        let r = ranks(&book, &pop);
        // Children: parents by binary tournament, uniform crossover with
        // probability `crossover`, each gene mutated with `mutation`.
        let mut kids: Vec<Genome> = Vec::with_capacity(n);
        while kids.len() < n {
            let mut pick = || {
                let (a, b) = (rng.below(n), rng.below(n));
                if better(&r[a], &r[b]) {
                    a
                } else {
                    b
                }
            };
            let (a, b) = (pick(), pick());
            let cross = (rng.next_u64() as f64 / u64::MAX as f64) < g.crossover;
            let mut kid: Genome = (0..sizes.len())
                .map(|k| {
                    if cross && rng.next_u64() & 1 == 1 {
                        pop[b][k]
                    } else {
                        pop[a][k]
                    }
                })
                .collect();
            for (k, gene) in kid.iter_mut().enumerate() {
                if (rng.next_u64() as f64 / u64::MAX as f64) < g.mutation {
                    *gene = rng.below(sizes[k]);
                }
            }
            kids.push(kid);
        }
        book.evaluate(&kids, tick, sink)?;
        // Parents and children compete; the best n by front, then crowding.
        pop.extend(kids);
        let r = ranks(&book, &pop);
        let mut order: Vec<usize> = (0..pop.len()).collect();
        order.sort_by(|&a, &b| r[a].partial_cmp(&r[b]).unwrap_or(std::cmp::Ordering::Equal));
        pop = order.into_iter().take(n).map(|i| pop[i].clone()).collect();
        // Convergence: the front of everything evaluated.
        let all: Vec<Trial> = book.done.values().flatten().cloned().collect();
        let front: Vec<usize> = super::pareto::front(all.as_slice(), &cfg.pareto)
            .into_iter()
            .map(|i| all[i].index)
            .collect();
        fronts.push(front.len());
        if front == last_front {
            stale += 1;
            if stale >= g.patience {
                break;
            }
        } else {
            stale = 0;
            last_front = front;
        }
    }
    let trials = book.done.into_values().flatten().collect();
    Ok((trials, fronts))
}
