//! The genetic optimizer (genevo): a genome of parameter indices on the
//! grid, tournament selection, uniform crossover, random-value mutation and
//! elitist reinsertion, seeded; every distinct point is backtested once.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use genevo::operator::prelude::*;
use genevo::population::ValueEncodedGenomeBuilder;
use genevo::prelude::*;

use super::overfit::block_stats;
use super::search::{Found, Search, Sink};
use super::space::Space;
use super::sweep::{self, Config, Trial};

pub use super::evolve::GeneticConfig;
use super::market::Market;
use super::nsga;
use crate::data::synth::SplitMix64;
use crate::error::{Error, Result};
use crate::strategy::{ColumnCache, Strategy};

/// Genes range over `0..GENE_MAX`; gene g picks index `g·len/GENE_MAX` of its axis.
const GENE_MAX: u32 = 1_000_000;
/// Fitness is the objective scaled to an integer (genevo needs `Ord`).
const SCALE: f64 = 1e9;
const WORST: i64 = i64::MIN / 4;

type Genome = Vec<u32>;

/// What every fitness evaluation reads; genevo needs it `'static`, so it
/// owns copies of the inputs.
#[derive(Debug)]
struct Shared {
    strategy: Strategy,
    market: Market,
    cfg: Config,
    space: Space,
    cache: ColumnCache,
    /// Every evaluated point: its fitness, its trial, and whether a
    /// checkpoint holds it yet.
    trials: Mutex<HashMap<u128, (i64, Trial, bool)>>,
}

#[derive(Clone, Debug)]
struct Fitness(Arc<Shared>);

fn grid_index(space: &Space, genome: &Genome) -> u128 {
    let mut i = 0u128;
    for ((_, values), g) in space.axes.iter().zip(genome) {
        let n = values.len() as u128;
        let k = (u128::from(*g) * n / u128::from(GENE_MAX)).min(n - 1);
        i = i * n + k;
    }
    i
}

impl FitnessFunction<Genome, i64> for Fitness {
    fn fitness_of(&self, genome: &Genome) -> i64 {
        let s = &*self.0;
        // Ctrl-C: the generation under way ends at once, unevaluated.
        if sweep::stopped() {
            return WORST;
        }
        let index = grid_index(&s.space, genome);
        if let Some((f, ..)) = s.trials.lock().expect("trials lock").get(&index) {
            return *f;
        }
        let params = s.space.point(index);
        if !s.strategy.constraint_holds(&params).unwrap_or(false) {
            return WORST;
        }
        let Ok(out) = s.market.trial(&s.strategy, &params, &s.cache) else {
            return WORST;
        };
        let objective = out
            .metrics
            .get(s.cfg.objective.metric.as_str())
            .copied()
            .flatten();
        let feasible =
            objective.is_some() && s.cfg.constraints.iter().all(|c| c.holds(&out.metrics));
        let fitness = fitness(&s.cfg, objective.filter(|_| feasible));
        let trial = Trial {
            index: index as usize,
            params,
            blocks: block_stats(&out.returns),
            metrics: out.metrics,
            feasible,
        };
        s.trials
            .lock()
            .expect("trials lock")
            .entry(index)
            .or_insert((fitness, trial, false));
        fitness
    }

    fn average(&self, values: &[i64]) -> i64 {
        let real: Vec<i64> = values.iter().copied().filter(|v| *v > WORST).collect();
        if real.is_empty() {
            return WORST;
        }
        (real.iter().map(|v| *v as i128).sum::<i128>() / real.len() as i128) as i64
    }

    fn highest_possible_fitness(&self) -> i64 {
        i64::MAX
    }

    fn lowest_possible_fitness(&self) -> i64 {
        WORST
    }
}

/// The objective of a feasible trial as genevo's integer fitness.
fn fitness(cfg: &Config, objective: Option<f64>) -> i64 {
    match objective {
        Some(v) => {
            let v = if cfg.objective.maximize { v } else { -v };
            (v * SCALE)
                .round()
                .clamp(WORST as f64 + 1.0, -(WORST as f64)) as i64
        }
        None => WORST,
    }
}

fn seed_bytes(seed: u64) -> [u8; 32] {
    let mut rng = SplitMix64::new(seed);
    let mut out = [0u8; 32];
    for chunk in out.chunks_mut(8) {
        chunk.copy_from_slice(&rng.next_u64().to_le_bytes());
    }
    out
}

impl Search for GeneticConfig {
    fn name(&self) -> &'static str {
        "genetic"
    }

    fn seed(&self) -> Option<u64> {
        Some(self.seed)
    }

    fn shardable(&self) -> bool {
        false
    }

    fn points(&self, strategy: &Strategy, _: &Config) -> Result<usize> {
        let most = (self.population as u128).saturating_mul(u128::from(self.generations));
        Ok(most.min(Space::of(strategy)?.size()) as usize)
    }

    fn search(
        &self,
        strategy: &Strategy,
        market: &Market,
        cfg: &Config,
        tick: &(dyn Fn() + Sync),
        sink: &mut dyn Sink,
    ) -> Result<Found> {
        let space_points = Space::of(strategy)?
            .grid_indices(strategy, cfg.max_points)
            .map(|p| p.len())
            .ok();
        if cfg.pareto.len() > 1 {
            // Several objectives: NSGA-II, with the front's size by generation.
            let (trials, fronts) = nsga::run(strategy, market, cfg, self, tick, sink)?;
            let points = trials.len();
            sink.take(trials, !sweep::stopped())?;
            return Ok(Found {
                points,
                extra: serde_json::json!({
                    "front_sizes": fronts,
                    "generations": fronts.len(),
                    "space_points": space_points,
                    "selection": "nsga2",
                }),
                convergence: None,
            });
        }
        let (trials, convergence) = run(strategy, market, cfg, self, tick, sink)?;
        let points = trials.len();
        sink.take(trials, !sweep::stopped())?;
        Ok(Found {
            points,
            extra: serde_json::json!({
                "convergence": convergence,
                "generations": convergence.len(),
                "space_points": space_points,
            }),
            convergence: Some(convergence),
        })
    }
}

/// Runs the search; returns every evaluated point (in grid order) and the
/// best objective after each generation. Stops after the generation under
/// way when `sweep::STOP` is set. The points `sink` says an earlier run
/// evaluated are not run again: the search replays to where it stopped
/// (genevo is deterministic given its seed and the fitness values), and
/// each generation's new points go to `sink` as a checkpoint.
pub fn run(
    strategy: &Strategy,
    market: &Market,
    cfg: &Config,
    gcfg: &GeneticConfig,
    tick: &(dyn Fn() + Sync),
    sink: &mut dyn Sink,
) -> Result<(Vec<Trial>, Vec<Option<f64>>)> {
    let space = Space::of(strategy)?;
    gcfg.check()?;
    let memo: HashMap<u128, (i64, Trial, bool)> = sink
        .evaluated()
        .into_iter()
        .map(|t| {
            let f = t
                .metrics
                .get(cfg.objective.metric.as_str())
                .copied()
                .flatten();
            let f = fitness(cfg, f.filter(|_| t.feasible));
            (t.index as u128, (f, t, true))
        })
        .collect();
    let shared = Arc::new(Shared {
        strategy: strategy.clone(),
        market: market.clone(),
        cfg: cfg.clone(),
        space: space.clone(),
        cache: ColumnCache::default(),
        trials: Mutex::new(memo),
    });
    let fitness = Fitness(Arc::clone(&shared));
    let genes = space.axes.len().max(1);
    let initial: Population<Genome> = build_population()
        .with_genome_builder(ValueEncodedGenomeBuilder::new(genes, 0, GENE_MAX - 1))
        .of_size(gcfg.population)
        .using_seed(seed_bytes(gcfg.seed));
    let algorithm = genetic_algorithm()
        .with_evaluation(fitness.clone())
        .with_selection(TournamentSelector::new(gcfg.crossover, 2, 3, 1.0, false))
        .with_crossover(UniformCrossBreeder::new())
        .with_mutation(RandomValueMutator::new(gcfg.mutation, 0, GENE_MAX - 1))
        .with_reinsertion(ElitistReinserter::new(fitness.clone(), false, 0.8))
        .with_initial_population(initial)
        .build();
    let mut sim = simulate(algorithm)
        .until(GenerationLimit::new(gcfg.generations))
        .build_with_seed(seed_bytes(gcfg.seed ^ 0x9E37_79B9_7F4A_7C15));
    let mut convergence = Vec::new();
    let (mut best, mut stale, mut ticked) = (WORST, 0u64, 0usize);
    loop {
        let (best_now, last) = match sim.step() {
            Ok(SimResult::Intermediate(step)) => {
                (step.result.best_solution.solution.fitness, false)
            }
            Ok(SimResult::Final(step, ..)) => (step.result.best_solution.solution.fitness, true),
            Err(e) => return Err(Error::Usage(format!("genetic search failed: {e}"))),
        };
        let (evaluated, new) = {
            let mut map = shared.trials.lock().expect("trials lock");
            let mut new: Vec<Trial> = map
                .values_mut()
                .filter(|e| !e.2)
                .map(|e| {
                    e.2 = true;
                    e.1.clone()
                })
                .collect();
            new.sort_by_key(|t| t.index);
            (map.len(), new)
        };
        if sweep::stopped() {
            break;
        }
        sink.generation(&new)?;
        while ticked < evaluated {
            tick();
            ticked += 1;
        }
        if best_now > best {
            best = best_now;
            stale = 0;
        } else {
            stale += 1;
        }
        let sign = if cfg.objective.maximize { 1.0 } else { -1.0 };
        convergence.push((best > WORST).then(|| sign * best as f64 / SCALE));
        if last || stale >= gcfg.patience {
            break;
        }
    }
    drop(sim);
    let map = std::mem::take(&mut *shared.trials.lock().expect("trials lock"));
    let mut trials: Vec<Trial> = map.into_values().map(|(_, t, _)| t).collect();
    trials.sort_by_key(|t| t.index);
    Ok((trials, convergence))
}

/// The parameters of the best point by objective (for tests and tools).
pub fn params_of(t: &Trial) -> BTreeMap<String, f64> {
    t.params.clone()
}
