//! The output contract every catalogue function keeps: it writes each value
//! of its output, its warm-up included, so the evaluator hands it a buffer
//! without filling it first (the fill was a whole extra pass over memory).

use super::{catalog, family_of, Bars, Inputs, Param, Spec};

/// A NaN with a payload no arithmetic produces: any value still holding
/// it was never written.
const UNWRITTEN: u64 = 0x7ff8_dead_beef_0001;

/// Constant arguments for `spec`: its defaults where it has them, else
/// `window` for windows and a plain value of each other kind.
fn args(spec: &Spec, window: f64) -> Vec<f64> {
    let consts: Vec<Param> = spec
        .params
        .iter()
        .copied()
        .filter(|p| !p.is_column())
        .collect();
    let first_default = consts.len() - spec.defaults.len();
    let mut given: Vec<f64> = consts[..first_default]
        .iter()
        .map(|p| match p {
            Param::Window(_) => window,
            Param::Count(_) => 2.0,
            Param::MaType(_) => 0.0,
            Param::Anchor(_) => 86_400_000.0,
            // triple_barrier's mode 0 (zero/one labels on closes).
            Param::Number(_) if spec.name == "triple_barrier" => 0.0,
            _ => 2.0,
        })
        .collect();
    if window < 5.0 {
        // The short case: shorten the defaulted windows too.
        for (k, p) in consts.iter().enumerate().skip(first_default) {
            given.push(match p {
                Param::Window(_) => window + k as f64,
                _ => spec.defaults[k - first_default],
            });
        }
    }
    spec.fill_defaults(&mut given);
    given
}

/// The indices `compute` left unwritten.
fn unwritten(out: &[f64]) -> Vec<usize> {
    (0..out.len())
        .filter(|&i| out[i].to_bits() == UNWRITTEN)
        .collect()
}

/// A hole list, short.
fn show(holes: &[usize]) -> String {
    format!(
        "{} unwritten, first {:?}",
        holes.len(),
        &holes[..holes.len().min(5)]
    )
}

/// The first `len` bars.
fn first_bars(c: &crate::data::Candles, len: usize) -> Bars<'_> {
    Bars {
        open: &c.open[..len],
        high: &c.high[..len],
        low: &c.low[..len],
        close: &c.close[..len],
        volume: &c.volume[..len],
    }
}

#[test]
fn every_function_writes_every_value() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/GOOG.csv");
    let (candles, _) = crate::data::load(&path).expect("GOOG");
    // 600 bars: longer than every default window (HT's 63, T3's 6·(5−1)).
    let n = 600;
    let rising: Vec<f64> = (0..n)
        .map(|i| f64::from(u8::from(candles.close[i] > candles.open[i])))
        .collect();
    let mut failures = Vec::new();
    for len in [n, 40, 3, 0] {
        for window in [1.0, 3.0, 14.0] {
            for spec in catalog() {
                let b = first_bars(&candles, len);
                let series: Vec<&[f64]> = spec
                    .params
                    .iter()
                    .filter(|p| p.is_column())
                    .map(|p| match p {
                        Param::Condition(_) => &rising[..len],
                        _ => b.close,
                    })
                    .collect();
                let args = args(spec, window);
                let inputs = Inputs {
                    series: &series,
                    args: &args,
                    bars: b,
                    ts: &candles.ts[..len],
                };
                let mut out = vec![f64::from_bits(UNWRITTEN); len];
                (spec.compute)(&inputs, &mut out);
                let holes = unwritten(&out);
                if !holes.is_empty() {
                    failures.push(format!(
                        "{} {args:?} len {len}: {}",
                        spec.name,
                        show(&holes)
                    ));
                }
                if let Some((family, _)) = family_of(spec.name) {
                    let mut outs = vec![vec![f64::from_bits(UNWRITTEN); len]; family.names.len()];
                    let mut views: Vec<&mut [f64]> = outs.iter_mut().map(|o| &mut o[..]).collect();
                    (family.compute)(&inputs, &mut views);
                    for (k, o) in outs.iter().enumerate() {
                        let holes = unwritten(o);
                        if !holes.is_empty() {
                            failures.push(format!(
                                "family {} {args:?} len {len}: {}",
                                family.names[k],
                                show(&holes)
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
