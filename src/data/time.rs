//! UTC timestamps: parsing ISO dates, ISO date-times and integer epochs into
//! milliseconds, formatting them back, and human-readable durations.

/// Milliseconds in one day.
pub const DAY_MS: i64 = 86_400_000;

/// The shape of a timestamp text, so that a file mixing shapes is rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeFormat {
    /// `YYYY-MM-DD`
    Date,
    /// `YYYY-MM-DD[T ]HH:MM[:SS[.f]][Z|±HH:MM]`
    DateTime,
    /// Integer epoch with the unit's size in milliseconds-per-unit terms.
    Epoch(EpochUnit),
}

/// The unit of an integer epoch, detected by magnitude.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EpochUnit {
    Seconds,
    Millis,
    Micros,
    Nanos,
}

impl EpochUnit {
    /// Detects the unit from a value's magnitude: seconds reach 1e11 in the
    /// year 5138, so anything larger is milliseconds, and so on.
    pub fn detect(v: i64) -> EpochUnit {
        let a = v.unsigned_abs();
        if a < 100_000_000_000 {
            EpochUnit::Seconds
        } else if a < 100_000_000_000_000 {
            EpochUnit::Millis
        } else if a < 100_000_000_000_000_000 {
            EpochUnit::Micros
        } else {
            EpochUnit::Nanos
        }
    }

    /// Converts a value in this unit to milliseconds (floor division).
    pub fn to_ms(self, v: i64) -> Option<i64> {
        match self {
            EpochUnit::Seconds => v.checked_mul(1000),
            EpochUnit::Millis => Some(v),
            EpochUnit::Micros => Some(v.div_euclid(1000)),
            EpochUnit::Nanos => Some(v.div_euclid(1_000_000)),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            EpochUnit::Seconds => "in epoch seconds",
            EpochUnit::Millis => "in epoch milliseconds",
            EpochUnit::Micros => "in epoch microseconds",
            EpochUnit::Nanos => "in epoch nanoseconds",
        }
    }
}

impl TimeFormat {
    pub fn name(self) -> &'static str {
        match self {
            TimeFormat::Date => "an ISO date",
            TimeFormat::DateTime => "an ISO date-time",
            TimeFormat::Epoch(u) => u.name(),
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a day number since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let s = b.get(at..at + n)?;
    let mut v = 0u32;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

/// Parses an ISO date or date-time into UTC milliseconds and its shape.
/// Accepts `YYYY-MM-DD`, then optionally `T` or a space, `HH:MM`, `:SS`,
/// a fraction, and `Z` or an offset `±HH:MM` / `±HHMM` / `±HH`.
pub fn parse_iso(s: &str) -> Option<(i64, TimeFormat)> {
    let b = s.trim().as_bytes();
    let y = digits(b, 0, 4)? as i64;
    let m = digits(b, 5, 2)?;
    let d = digits(b, 8, 2)?;
    if b[4] != b'-' || b[7] != b'-' || !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    let day_ms = days_from_civil(y, m, d) * DAY_MS;
    if b.len() == 10 {
        return Some((day_ms, TimeFormat::Date));
    }
    if b[10] != b'T' && b[10] != b' ' {
        return None;
    }
    let hh = digits(b, 11, 2)?;
    if b.get(13) != Some(&b':') {
        return None;
    }
    let mm = digits(b, 14, 2)?;
    let mut i = 16;
    let mut ss = 0;
    let mut frac_ms = 0i64;
    if b.get(i) == Some(&b':') {
        ss = digits(b, i + 1, 2)?;
        i += 3;
        if b.get(i) == Some(&b'.') || b.get(i) == Some(&b',') {
            i += 1;
            let start = i;
            let mut scale = 100;
            while i < b.len() && b[i].is_ascii_digit() {
                frac_ms += i64::from(b[i] - b'0') * scale;
                scale /= 10;
                i += 1;
            }
            if i == start {
                return None;
            }
        }
    }
    if hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    let mut offset_min = 0i64;
    match b.get(i) {
        None => {}
        Some(b'Z') | Some(b'z') if i + 1 == b.len() => {}
        Some(&sign @ (b'+' | b'-')) => {
            let oh = digits(b, i + 1, 2)? as i64;
            let rest = &b[i + 3..];
            let om = match rest {
                [] => 0,
                [b':', _, _] => digits(rest, 1, 2)? as i64,
                [_, _] => digits(rest, 0, 2)? as i64,
                _ => return None,
            };
            if oh > 23 || om > 59 {
                return None;
            }
            offset_min = (oh * 60 + om) * if sign == b'-' { -1 } else { 1 };
        }
        _ => return None,
    }
    let ms = day_ms
        + i64::from(hh) * 3_600_000
        + i64::from(mm) * 60_000
        + i64::from(ss) * 1000
        + frac_ms
        - offset_min * 60_000;
    Some((ms, TimeFormat::DateTime))
}

/// Parses one timestamp text: an integer epoch (unit by magnitude) or ISO.
pub fn parse_timestamp(s: &str) -> Option<(i64, TimeFormat)> {
    let t = s.trim();
    let digits_only = !t.is_empty()
        && t.bytes()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || (i == 0 && c == b'-' && t.len() > 1));
    if digits_only {
        let v: i64 = t.parse().ok()?;
        let unit = EpochUnit::detect(v);
        return Some((unit.to_ms(v)?, TimeFormat::Epoch(unit)));
    }
    parse_iso(t)
}

/// Parses a column of timestamps. Rows shaped `YYYY-MM-DDTHH:MM:SS` that
/// share the previous row's date reuse its day number, so intraday files skip
/// most of the calendar arithmetic.
#[derive(Debug, Default)]
pub struct TimestampParser {
    day: Option<([u8; 10], i64)>,
}

impl TimestampParser {
    pub fn parse(&mut self, s: &str) -> Option<(i64, TimeFormat)> {
        let b = s.as_bytes();
        let Some(tod) = time_of_day(b) else {
            return parse_timestamp(s);
        };
        if let Some((date, day_ms)) = &self.day {
            if b[..10] == date[..] {
                return Some((day_ms + tod, TimeFormat::DateTime));
            }
        }
        let (ms, fmt) = parse_iso(s)?;
        let mut date = [0u8; 10];
        date.copy_from_slice(&b[..10]);
        self.day = Some((date, ms - tod));
        Some((ms, fmt))
    }
}

/// The milliseconds since midnight of an exactly `YYYY-MM-DDTHH:MM:SS` text.
fn time_of_day(b: &[u8]) -> Option<i64> {
    if b.len() != 19 || !(b[10] == b'T' || b[10] == b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (h, m, s) = (digits(b, 11, 2)?, digits(b, 14, 2)?, digits(b, 17, 2)?);
    if h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some(i64::from(h) * 3_600_000 + i64::from(m) * 60_000 + i64::from(s) * 1000)
}

/// Formats UTC milliseconds as `YYYY-MM-DD` when `date_only`, else as
/// `YYYY-MM-DDTHH:MM:SS` with `.mmm` only when the milliseconds are non-zero.
pub fn format_ms(ms: i64, date_only: bool) -> String {
    let days = ms.div_euclid(DAY_MS);
    let rem = ms.rem_euclid(DAY_MS);
    let (y, m, d) = civil_from_days(days);
    if date_only {
        return format!("{y:04}-{m:02}-{d:02}");
    }
    let (h, mi, s, milli) = (
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000,
    );
    if milli == 0 {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}")
    } else {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}")
    }
}

/// ISO-8601 UTC with a `Z`, for JSON output.
pub fn format_utc(ms: i64) -> String {
    format!("{}Z", format_ms(ms, false))
}

/// True when every timestamp falls on midnight UTC (daily or coarser data).
pub fn all_midnight(ts: &[i64]) -> bool {
    ts.iter().all(|t| t.rem_euclid(DAY_MS) == 0)
}

/// A compact duration such as `1d`, `4h`, `15m`, `3d 4h`, `30s`, `250ms`.
pub fn format_duration_ms(ms: i64) -> String {
    if ms == 0 {
        return "0s".into();
    }
    let mut parts = Vec::new();
    let mut rest = ms.abs();
    for (unit, size) in [("d", DAY_MS), ("h", 3_600_000), ("m", 60_000), ("s", 1000)] {
        if rest >= size {
            parts.push(format!("{}{unit}", rest / size));
            rest %= size;
        }
    }
    if rest > 0 {
        parts.push(format!("{rest}ms"));
    }
    let s = parts.join(" ");
    if ms < 0 {
        format!("-{s}")
    } else {
        s
    }
}

/// Parses a spacing such as `1m`, `15m`, `1h`, `4h`, `1d`, `1w`, `30s` into ms.
pub fn parse_duration(s: &str) -> Option<i64> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit())?;
    let n: i64 = s[..split].parse().ok().filter(|&n| n > 0)?;
    let unit = match &s[split..] {
        "ms" => 1,
        "s" => 1000,
        "m" | "min" => 60_000,
        "h" => 3_600_000,
        "d" => DAY_MS,
        "w" => 7 * DAY_MS,
        _ => return None,
    };
    n.checked_mul(unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        // 2004-08-19 is day 12649 since the epoch (34 years + 9 leap days ...).
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2004, 8, 19), 12_649);
        for z in [-1000, 0, 59, 60, 12_649, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }

    #[test]
    fn iso_shapes() {
        let day = 12_649 * DAY_MS;
        assert_eq!(parse_iso("2004-08-19"), Some((day, TimeFormat::Date)));
        let t = day + 9 * 3_600_000 + 30 * 60_000;
        for s in [
            "2004-08-19T09:30:00",
            "2004-08-19 09:30",
            "2004-08-19T09:30:00Z",
            "2004-08-19T10:30:00+01:00",
            "2004-08-19T07:30:00-0200",
            "2004-08-19T11:30:00+02",
        ] {
            assert_eq!(parse_iso(s), Some((t, TimeFormat::DateTime)), "{s}");
        }
        assert_eq!(parse_iso("2004-08-19T09:30:00.250Z").unwrap().0, t + 250);
        for bad in [
            "2004-02-30",
            "2004-13-01",
            "2004/08/19",
            "2004-08-19T25:00",
            "2004-08-19X",
            "19.08.2004",
            "",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn epochs_by_magnitude() {
        // 2017-04-19T09:00:00Z = 1492592400 s.
        let ms = 1_492_592_400_000;
        assert_eq!(parse_timestamp("1492592400").unwrap().0, ms);
        assert_eq!(parse_timestamp("1492592400000").unwrap().0, ms);
        assert_eq!(parse_timestamp("1492592400000000").unwrap().0, ms);
        assert_eq!(parse_timestamp("1492592400000000000").unwrap().0, ms);
        assert_eq!(
            parse_timestamp("1492592400000").unwrap().1,
            TimeFormat::Epoch(EpochUnit::Millis)
        );
    }

    #[test]
    fn cached_parser_agrees_with_plain_parser() {
        let mut p = TimestampParser::default();
        for s in [
            "2017-04-19T09:00:00",
            "2017-04-19T10:00:00",
            "2017-04-19 23:59:59",
            "2017-04-20T00:00:00",
            "2017-04-20T00:00:00Z",
            "2017-04-20",
            "1492592400",
        ] {
            assert_eq!(p.parse(s), parse_timestamp(s), "{s}");
        }
        assert_eq!(p.parse("2017-04-20T24:00:00"), None);
        assert_eq!(p.parse("2017-02-30T10:00:00"), None);
    }

    #[test]
    fn formatting() {
        assert_eq!(format_ms(12_649 * DAY_MS, true), "2004-08-19");
        assert_eq!(format_ms(1_492_592_400_000, false), "2017-04-19T09:00:00");
        assert_eq!(format_utc(1_492_592_400_250), "2017-04-19T09:00:00.250Z");
        assert_eq!(format_duration_ms(DAY_MS), "1d");
        assert_eq!(format_duration_ms(3 * DAY_MS + 4 * 3_600_000), "3d 4h");
        assert_eq!(parse_duration("4h"), Some(4 * 3_600_000));
        assert_eq!(parse_duration("1w"), Some(7 * DAY_MS));
        assert_eq!(parse_duration("0h"), None);
        assert_eq!(parse_duration("h"), None);
    }
}
