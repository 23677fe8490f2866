//! The settings both genetic searches read (genevo's single-objective one
//! in `genetic`, NSGA-II in `nsga`), and their checks.

use crate::error::{Error, Result};

/// Settings of the genetic search.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeneticConfig {
    pub population: usize,
    pub generations: u64,
    pub mutation: f64,
    /// Share of the population selected as parents each generation.
    pub crossover: f64,
    /// Stop when the best has not improved for this many generations.
    pub patience: u64,
    pub seed: u64,
}

impl GeneticConfig {
    /// Refuses settings a genetic search cannot run.
    pub fn check(&self) -> Result<()> {
        if self.population < 6 {
            return Err(Error::Usage(
                "a genetic search needs a population of at least 6".into(),
            ));
        }
        if !(0.0..=1.0).contains(&self.mutation) {
            return Err(Error::Usage(format!(
                "the mutation rate must be in [0, 1], got {}",
                self.mutation
            )));
        }
        if !(self.crossover > 0.0 && self.crossover <= 1.0) {
            return Err(Error::Usage(format!(
                "the crossover share must be in (0, 1], got {}",
                self.crossover
            )));
        }
        Ok(())
    }
}
