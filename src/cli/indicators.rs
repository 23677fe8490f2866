//! `tradelab indicators [--group G] [--json]`: the function catalogue,
//! grouped as TA-Lib groups it.

use clap::Args;
use serde::Serialize;

use crate::cli::output::{emit, print_json, table};
use crate::cli::Outcome;
use tradelab::indicators::{catalog, Group, Output, Param, Spec};

#[derive(Debug, Args)]
pub struct IndicatorsArgs {
    /// Print a JSON array instead of tables.
    #[arg(long)]
    pub json: bool,
    /// Only the functions whose group or name contains this text
    /// (e.g. `pattern`, `momentum`, `cdl`).
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
}

#[derive(Serialize)]
struct Arg {
    name: &'static str,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    default: Option<f64>,
}

#[derive(Serialize)]
struct Entry {
    name: &'static str,
    group: Group,
    signature: String,
    args: Vec<Arg>,
    returns: Output,
    warmup: &'static str,
    description: &'static str,
}

fn kind(p: Param) -> &'static str {
    match p {
        Param::Series(_) => "series",
        Param::Condition(_) => "condition",
        Param::Window(_) => "window",
        Param::Count(_) => "count",
        Param::Number(_) => "number",
        Param::MaType(_) => "matype",
        Param::Anchor(_) => "anchor",
    }
}

fn entry(s: &Spec) -> Entry {
    let optional = s.min_args();
    Entry {
        name: s.name,
        group: s.group,
        signature: s.signature(),
        args: s
            .params
            .iter()
            .enumerate()
            .map(|(k, &p)| Arg {
                name: p.name(),
                kind: kind(p),
                default: (k >= optional).then(|| s.defaults[k - optional]),
            })
            .collect(),
        returns: s.output,
        warmup: s.warmup,
        description: s.doc,
    }
}

pub fn run(args: IndicatorsArgs) -> anyhow::Result<Outcome> {
    let wanted = |s: &Spec| {
        args.filter.as_deref().is_none_or(|f| {
            let f = f.to_lowercase();
            s.name.contains(&f) || s.group.title().contains(&f)
        })
    };
    let mut specs: Vec<&Spec> = catalog().iter().copied().filter(|s| wanted(s)).collect();
    // Grouped, catalogue order within a group.
    specs.sort_by_key(|s| s.group);
    if args.json {
        print_json(&specs.iter().map(|s| entry(s)).collect::<Vec<_>>())?;
        return Ok(Outcome::Ok);
    }
    for group in specs.chunk_by(|a, b| a.group == b.group) {
        emit(format!("\n{} ({})", group[0].group.title(), group.len()))?;
        let mut t = table();
        t.set_header(vec!["function", "returns", "first value at bar", "meaning"]);
        for s in group {
            let ret = match s.output {
                Output::Number => "number",
                Output::Bool => "condition",
                Output::Integer => "integer",
            };
            t.add_row(vec![
                s.signature(),
                ret.into(),
                s.warmup.into(),
                s.doc.into(),
            ]);
        }
        emit(&t)?;
    }
    emit(format!(
        "\n{} functions. Columns: open high low close volume (read implicitly where no x is taken). \
         Arguments written name=value may be left out from the right and take TA-Lib's defaults. \
         Windows are positive integers; matype is TA-Lib's 0 SMA, 1 EMA, 2 WMA, 3 DEMA, 4 TEMA, \
         5 TRIMA, 6 KAMA, 7 MAMA, 8 T3, 9 HMA, 10 none, 11 the function's own, 12 ZLEMA, 13 Wilder.",
        specs.len()
    ))?;
    Ok(Outcome::Ok)
}
