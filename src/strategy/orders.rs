//! The `[orders]` table: how entries are ordered (market, limit, stop or
//! stop-limit), their price expressions read at the signal bar's close, and
//! how many bars an order stays eligible. Checked with line:column errors.

use serde::Deserialize;
use toml::Spanned;

use super::parser::{parse, Expr};
use super::source::{ExprText, Source};
use crate::engine::EntryKind;
use crate::error::Result;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOrders {
    entry: Option<Spanned<String>>,
    limit: Option<Spanned<String>>,
    stop: Option<Spanned<String>>,
    expire_bars: Option<Spanned<i64>>,
}

/// A checked `[orders]` table.
#[derive(Debug, Clone)]
pub struct OrderSpec {
    pub kind: EntryKind,
    pub limit: Option<(Expr, ExprText)>,
    pub stop: Option<(Expr, ExprText)>,
    /// Eligible on this many bars after the signal bar; None: until cancelled.
    pub expire_bars: Option<usize>,
}

impl OrderSpec {
    pub(crate) fn parse(raw: RawOrders, text: &str, source: &Source) -> Result<OrderSpec> {
        let expr = |v: &Spanned<String>| -> Result<(Expr, ExprText)> {
            let et = ExprText::in_toml(v.get_ref(), v.span(), text);
            let e = parse(&et.text).map_err(|e| et.error(source, &e))?;
            Ok((e, et))
        };
        let kind = match raw.entry.as_ref().map(|e| (e.get_ref().as_str(), e.span())) {
            None | Some(("market", _)) => EntryKind::Market,
            Some(("limit", _)) => EntryKind::Limit,
            Some(("stop", _)) => EntryKind::Stop,
            Some(("stop_limit", _)) => EntryKind::StopLimit,
            Some((other, span)) => {
                return Err(source.error(
                    span,
                    &format!("unknown entry '{other}': expected market, limit, stop or stop_limit"),
                ))
            }
        };
        let at = |v: &Option<Spanned<String>>| v.as_ref().map_or(0..0, |v| v.span());
        let entry_span = raw.entry.as_ref().map_or(0..0, |e| e.span());
        let needs_limit = matches!(kind, EntryKind::Limit | EntryKind::StopLimit);
        let needs_stop = matches!(kind, EntryKind::Stop | EntryKind::StopLimit);
        if needs_limit && raw.limit.is_none() {
            return Err(source.error(
                entry_span,
                "this entry needs a limit price: add limit = \"...\"",
            ));
        }
        if needs_stop && raw.stop.is_none() {
            return Err(source.error(
                entry_span,
                "this entry needs a stop price: add stop = \"...\"",
            ));
        }
        if !needs_stop && raw.stop.is_some() {
            return Err(source.error(
                at(&raw.stop),
                "a stop price applies to stop and stop_limit entries only",
            ));
        }
        if !needs_limit && raw.limit.is_some() {
            return Err(source.error(
                at(&raw.limit),
                "a limit price applies to limit and stop_limit entries only",
            ));
        }
        let expire_bars = match &raw.expire_bars {
            Some(e) if *e.get_ref() < 1 => {
                return Err(source.error(
                    e.span(),
                    &format!("expire_bars = {} is out of range: at least 1 (leave it out for good until cancelled)", e.get_ref()),
                ))
            }
            Some(e) => Some(*e.get_ref() as usize),
            None => None,
        };
        Ok(OrderSpec {
            kind,
            limit: raw.limit.as_ref().map(expr).transpose()?,
            stop: raw.stop.as_ref().map(expr).transpose()?,
            expire_bars,
        })
    }
}
