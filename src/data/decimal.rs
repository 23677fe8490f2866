//! Plain decimal text (`-12.5`, `3`, `1e-4`) to f64, bit for bit what
//! `str::parse` gives, the common short case without its general machinery.

/// 10^k for k ≤ 22, each exact in f64.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A plain decimal (`-12.5`, `3`, `1e-4`) as f64, finite; None otherwise.
/// `digits[.digits]` with at most 15 digits is one exact integer divided by
/// an exact power of ten, a single correctly rounded operation, so the
/// correctly rounded value of the text, as `str::parse` (and polars) give
/// it; any other shape goes to `str::parse`.
pub(super) fn number(text: &[u8]) -> Option<f64> {
    let (neg, digits) = match text.first()? {
        b'-' => (true, &text[1..]),
        _ => (false, text),
    };
    let (mut m, mut count, mut frac, mut dot) = (0u64, 0usize, 0usize, false);
    let mut simple = !digits.is_empty() && digits[0].is_ascii_digit();
    for &c in digits {
        match c {
            b'0'..=b'9' => {
                m = m.wrapping_mul(10).wrapping_add(u64::from(c - b'0'));
                count += 1;
                frac += usize::from(dot);
            }
            b'.' if !dot => dot = true,
            _ => {
                simple = false;
                break;
            }
        }
    }
    if simple && count <= 15 {
        let v = m as f64 / POW10[frac];
        return Some(if neg { -v } else { v });
    }
    let plain = text[0].is_ascii_digit() || text[0] == b'-';
    let allowed = |c: &u8| c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+' | b'e' | b'E');
    if !plain || !text.iter().all(allowed) {
        return None;
    }
    let v: f64 = std::str::from_utf8(text).ok()?.parse().ok()?;
    v.is_finite().then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_what_str_parse_gives() {
        // Short decimals take the exact division, others str::parse; both
        // must agree bit for bit with str::parse.
        let texts = [
            "0",
            "-0",
            "-0.0",
            "100.0286",
            "99.9404",
            "1314",
            "0.1",
            "0.3",
            "123456789012345",
            "1234567890.12345",
            "1234567890123456",
            "0.000000000000001",
            "9007199254740993",
            "1e5",
            "-2.5E-3",
            "1.",
            "00012.50",
            "3.14159265358979",
        ];
        for t in texts {
            let want: f64 = t.parse().unwrap();
            let got = number(t.as_bytes()).unwrap();
            assert_eq!(got.to_bits(), want.to_bits(), "{t}");
        }
        for bad in [
            "", "-", ".5", "+1", "1,5", " 1", "1 ", "nan", "inf", "1e999", "1.2.3", "0x10",
        ] {
            assert_eq!(number(bad.as_bytes()), None, "{bad:?}");
        }
    }
}
