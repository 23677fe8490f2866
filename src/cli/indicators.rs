//! `tradelab indicators [--json]`: the function catalogue.

use clap::Args;
use serde::Serialize;

use crate::cli::output::{emit, print_json, table};
use crate::cli::Outcome;
use tradelab::indicators::{catalog, Output, Param};

#[derive(Debug, Args)]
pub struct IndicatorsArgs {
    /// Print a JSON array instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Arg {
    name: &'static str,
    kind: &'static str,
}

#[derive(Serialize)]
struct Entry {
    name: &'static str,
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
    }
}

pub fn run(args: IndicatorsArgs) -> anyhow::Result<Outcome> {
    let entries: Vec<Entry> = catalog()
        .iter()
        .map(|s| Entry {
            name: s.name,
            signature: s.signature(),
            args: s
                .params
                .iter()
                .map(|&p| Arg {
                    name: p.name(),
                    kind: kind(p),
                })
                .collect(),
            returns: s.output,
            warmup: s.warmup,
            description: s.doc,
        })
        .collect();
    if args.json {
        print_json(&entries)?;
        return Ok(Outcome::Ok);
    }
    let mut t = table();
    t.set_header(vec!["function", "returns", "first value at bar", "meaning"]);
    for e in &entries {
        let ret = match e.returns {
            Output::Number => "number",
            Output::Bool => "condition",
        };
        t.add_row(vec![
            e.signature.clone(),
            ret.to_string(),
            e.warmup.to_string(),
            e.description.to_string(),
        ]);
    }
    emit(&t)?;
    emit(format!(
        "{} functions. Columns: open high low close volume (high/low/close/volume are read implicitly where no x is taken). \
         Windows (n) are positive integers; constants and parameters may be used for them.",
        entries.len()
    ))?;
    Ok(Outcome::Ok)
}
