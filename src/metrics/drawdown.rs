//! Drawdowns of the bar-level equity curve: one pass that tracks the peak,
//! the deepest fall, the longest time under water and each episode's depth.

/// Drawdown figures of an equity curve.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Drawdowns {
    /// Deepest fall from a peak, as a fraction (≤ 0).
    pub max: f64,
    /// Longest run of bars below the previous peak.
    pub max_duration_bars: usize,
    /// Mean depth of the drawdown episodes (None without any).
    pub average: Option<f64>,
}

/// Single-pass drawdown tracker.
#[derive(Debug, Default)]
struct Tracker {
    peak: f64,
    under: usize,
    episode_depth: f64,
    episodes: usize,
    depth_sum: f64,
    out: Drawdowns,
}

impl Tracker {
    fn push(&mut self, v: f64) {
        if v >= self.peak {
            self.end_episode();
            self.peak = v;
            self.under = 0;
            return;
        }
        let dd = v / self.peak - 1.0;
        self.under += 1;
        self.episode_depth = self.episode_depth.min(dd);
        self.out.max = self.out.max.min(dd);
        self.out.max_duration_bars = self.out.max_duration_bars.max(self.under);
    }

    fn end_episode(&mut self) {
        if self.episode_depth < 0.0 {
            self.episodes += 1;
            self.depth_sum += self.episode_depth;
            self.episode_depth = 0.0;
        }
    }
}

pub fn drawdowns(equity: &[f64]) -> Drawdowns {
    let mut t = Tracker::default();
    if let Some(&first) = equity.first() {
        t.peak = first;
    }
    for &v in equity {
        t.push(v);
    }
    t.end_episode();
    let mut out = t.out;
    out.average = (t.episodes > 0).then(|| t.depth_sum / t.episodes as f64);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn episodes_by_hand() {
        // Peak 100, down to 90 (−10 %) for 2 bars, new peak 120, down to 96 (−20 %) to the end.
        let d = drawdowns(&[100.0, 95.0, 90.0, 120.0, 110.0, 96.0, 100.0]);
        assert!((d.max + 0.2).abs() < 1e-15);
        assert_eq!(d.max_duration_bars, 3);
        assert!((d.average.unwrap() + 0.15).abs() < 1e-15);
        assert_eq!(drawdowns(&[1.0, 2.0, 3.0]).average, None);
    }
}
