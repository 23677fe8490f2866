//! Cross-sectional functions: `rank(x)`, `cs_mean(x)` and `cs_zscore(x)`
//! compare symbols at each bar, so they exist only in portfolio strategies.
//! A call compiles its input into the plan as usual and itself into an
//! external column named by the call's canonical text (`compile.rs`); the portfolio run
//! evaluates the inputs on every symbol, computes the function across
//! symbols bar by bar, and hands each symbol its column back.

/// The cross-sectional functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsFn {
    /// 1 for the highest value at the bar among the symbols where x is
    /// defined; ties in universe order.
    Rank,
    /// The mean over the symbols where x is defined.
    Mean,
    /// (x − mean) / population standard deviation; undefined when σ = 0.
    ZScore,
}

impl CsFn {
    pub fn by_name(name: &str) -> Option<CsFn> {
        match name {
            "rank" => Some(CsFn::Rank),
            "cs_mean" => Some(CsFn::Mean),
            "cs_zscore" => Some(CsFn::ZScore),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            CsFn::Rank => "rank",
            CsFn::Mean => "cs_mean",
            CsFn::ZScore => "cs_zscore",
        }
    }

    /// The function at one bar: `x[s]` per symbol (NaN = undefined) into `out`.
    pub fn apply(self, x: &[f64], out: &mut [f64]) {
        let defined = || x.iter().filter(|v| v.is_finite());
        let n = defined().count();
        out.fill(f64::NAN);
        if n == 0 {
            return;
        }
        match self {
            CsFn::Rank => {
                for (s, o) in out.iter_mut().enumerate() {
                    let v = x[s];
                    if v.is_finite() {
                        // Higher values first; equal ones in universe order.
                        let above = x
                            .iter()
                            .enumerate()
                            .filter(|(j, w)| w.is_finite() && (**w > v || (**w == v && *j < s)))
                            .count();
                        *o = (above + 1) as f64;
                    }
                }
            }
            CsFn::Mean | CsFn::ZScore => {
                let mean = defined().sum::<f64>() / n as f64;
                let sd = (defined().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
                for (o, &v) in out.iter_mut().zip(x) {
                    if v.is_finite() {
                        *o = match self {
                            CsFn::Mean => mean,
                            _ if sd > 0.0 => (v - mean) / sd,
                            _ => f64::NAN,
                        };
                    }
                }
            }
        }
    }
}

/// One cross-sectional call of a plan: its function, its input node and the
/// external column name its result goes by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrossCall {
    pub func: CsFn,
    /// The node of x in the plan.
    pub input: usize,
    pub key: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_hand() {
        let x = [3.0, f64::NAN, 5.0, 3.0, 1.0];
        let mut out = [0.0; 5];
        // 5 is first; the two 3s are 2nd and 3rd in universe order; 1 is 4th.
        CsFn::Rank.apply(&x, &mut out);
        assert_eq!((out[0], out[2], out[3], out[4]), (2.0, 1.0, 3.0, 4.0));
        assert!(out[1].is_nan());
        // Mean of 3, 5, 3, 1 = 3; population σ = sqrt((0 + 4 + 0 + 4) / 4) = sqrt(2).
        CsFn::Mean.apply(&x, &mut out);
        assert_eq!(out[0], 3.0);
        CsFn::ZScore.apply(&x, &mut out);
        assert_eq!(out[2], 2.0 / 2f64.sqrt());
        assert_eq!(out[4], -2.0 / 2f64.sqrt());
        CsFn::ZScore.apply(&[2.0, 2.0], &mut out[..2]);
        assert!(out[0].is_nan());
    }
}
