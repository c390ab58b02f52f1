//! How the SQLite collation `trellis_decimal` orders two texts: as the decimals they write when
//! both are decimals, a decimal before any other text, other texts by their bytes.
//!
//! SQLite calls the collation for every comparison of a sort, an index build or an index
//! lookup, so the common case is read without parsing: a decimal written plainly (an optional
//! `-`, digits, and optionally `.` and digits, as Trellis, PostgreSQL and MySQL write them) is
//! compared digit by digit. Any other text goes through `rust_decimal`'s parser, whose reading
//! defines the order; the fast path agrees with it (a property test checks that).

use std::cmp::Ordering;
use std::str::FromStr;

use rust_decimal::Decimal;

/// The most digits a plainly written decimal may have to be compared without parsing: any 28
/// digits, at any scale, are a `Decimal` exactly (its mantissa holds up to 7.9 * 10^28), so
/// the parser neither rounds nor refuses them.
const MAX_PLAIN_DIGITS: usize = 28;

/// Orders two texts as the collation does. The same text is equal without being read (an
/// index lookup or a join by an equal value compares many such pairs).
pub(crate) fn compare(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    match (Plain::read(a), Plain::read(b)) {
        (Some(a), Some(b)) => a.cmp(&b),
        _ => compare_parsed(a, b),
    }
}

/// Orders two texts by `rust_decimal`'s reading of them: the definition [`compare`] follows.
fn compare_parsed(a: &str, b: &str) -> Ordering {
    match (Decimal::from_str(a), Decimal::from_str(b)) {
        (Ok(a), Ok(b)) => a.cmp(&b),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Err(_), Err(_)) => a.cmp(b),
    }
}

/// A decimal written plainly, as its digits: `-007.250` is negative, with the integer digits
/// `7` and the fraction digits `25`. Zero has no digits and no sign (`-0.0` equals `0`).
#[derive(PartialEq, Eq)]
struct Plain<'a> {
    negative: bool,
    /// The integer part without leading zeros.
    integer: &'a [u8],
    /// The fraction without trailing zeros.
    fraction: &'a [u8],
}

impl<'a> Plain<'a> {
    /// `text` read as `-?[0-9]+(\.[0-9]+)?` of at most [`MAX_PLAIN_DIGITS`] digits; `None`
    /// for any other text (which may still be a decimal the parser reads).
    fn read(text: &'a str) -> Option<Self> {
        let bytes = text.as_bytes();
        let (negative, unsigned) = match bytes {
            [b'-', rest @ ..] => (true, rest),
            _ => (false, bytes),
        };
        let mut parts = unsigned.splitn(2, |&b| b == b'.');
        let integer = parts.next().unwrap_or_default();
        let fraction = parts.next();
        // Without a branch per byte, which random values would mispredict.
        let digits = |part: &[u8]| part.iter().fold(true, |all, b| all & b.is_ascii_digit());
        // Digits on both sides of a dot (`.5` and `5.` are the parser's to read).
        let well_formed = !integer.is_empty()
            && fraction != Some(&[])
            && integer.len() + fraction.map_or(0, <[u8]>::len) <= MAX_PLAIN_DIGITS
            && digits(integer)
            && fraction.is_none_or(digits);
        if !well_formed {
            return None;
        }
        let fraction = fraction.unwrap_or_default();
        let first = integer
            .iter()
            .position(|&d| d != b'0')
            .unwrap_or(integer.len());
        let end = fraction
            .iter()
            .rposition(|&d| d != b'0')
            .map_or(0, |last| last + 1);
        let integer = integer.get(first..).unwrap_or_default();
        let fraction = fraction.get(..end).unwrap_or_default();
        let zero = integer.is_empty() && fraction.is_empty();
        Some(Plain {
            negative: negative && !zero,
            integer,
            fraction,
        })
    }

    /// Orders the absolute values: the longer integer part is larger, then the digits decide
    /// (fractions without trailing zeros compare as their bytes: `.4 < .45 < .5`).
    fn cmp_magnitude(&self, other: &Self) -> Ordering {
        self.integer
            .len()
            .cmp(&other.integer.len())
            .then_with(|| self.integer.cmp(other.integer))
            .then_with(|| self.fraction.cmp(other.fraction))
    }
}

impl PartialOrd for Plain<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Plain<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self.negative, other.negative) {
            (false, false) => self.cmp_magnitude(other),
            (true, true) => other.cmp_magnitude(self),
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{compare, compare_parsed, Plain, MAX_PLAIN_DIGITS};
    use proptest::prelude::*;
    use std::cmp::Ordering;

    #[test]
    fn decimals_compare_as_numbers_and_other_text_after_them() {
        assert_eq!(compare("9", "10.5"), Ordering::Less);
        assert_eq!(compare("-2", "-10"), Ordering::Greater);
        assert_eq!(compare("1.5", "1.50"), Ordering::Equal);
        assert_eq!(compare("-0.00", "0"), Ordering::Equal);
        assert_eq!(compare("007.10", "7.1"), Ordering::Equal);
        assert_eq!(compare("0.4", "0.45"), Ordering::Less);
        assert_eq!(compare("-0.4", "-0.45"), Ordering::Greater);
        assert_eq!(compare("0.1", "abc"), Ordering::Less);
        assert_eq!(compare("abd", "abc"), Ordering::Greater);
    }

    #[test]
    fn only_plain_decimals_the_parser_reads_exactly_skip_it() {
        for plain in [
            "0",
            "-1",
            "12.50",
            "0001.000",
            &"9".repeat(MAX_PLAIN_DIGITS),
        ] {
            assert!(Plain::read(plain).is_some(), "{plain}");
        }
        let too_long = format!("0.{}", "1".repeat(MAX_PLAIN_DIGITS));
        for other in [
            "", "-", "+1", ".5", "5.", "1e3", "1_000", " 1", "1.2.3", "--1", &too_long,
        ] {
            assert!(Plain::read(other).is_none(), "{other:?}");
        }
        // What the parser makes of them still orders them.
        assert_eq!(compare("+1", "1.0"), Ordering::Equal);
        assert_eq!(compare(".5", "0.4"), Ordering::Greater);
    }

    /// Decimal text as the servers and other programs may write it: plain, with leading or
    /// trailing zeros, a sign, many digits, or not a decimal at all.
    fn any_text() -> impl Strategy<Value = String> {
        let digits = |max| proptest::collection::vec(proptest::char::range('0', '9'), 0..max);
        let plain = (
            prop_oneof![Just(""), Just("-"), Just("+")],
            digits(20),
            proptest::option::of(digits(14)),
        )
            .prop_map(|(sign, integer, fraction)| {
                let mut text = sign.to_owned();
                text.extend(integer);
                if let Some(fraction) = fraction {
                    text.push('.');
                    text.extend(fraction);
                }
                text
            });
        prop_oneof![
            8 => plain,
            1 => "[0-9a-z.+-]{0,6}",
        ]
    }

    /// `text` written again with `lead` more leading zeros and `trail` more trailing ones
    /// (the same number, when it is one).
    fn pad(text: &str, lead: usize, trail: usize) -> String {
        let unsigned = text.trim_start_matches(['-', '+']);
        let mut padded = text[..text.len() - unsigned.len()].to_owned();
        padded.push_str(&"0".repeat(lead));
        padded.push_str(unsigned);
        if trail > 0 && !unsigned.contains('.') {
            padded.push('.');
        }
        padded.push_str(&"0".repeat(trail));
        padded
    }

    /// Two texts, the second often a rewriting of the first: the same number padded, the
    /// next one over in its last digit, or its negation; so that equal and nearly equal
    /// numbers are compared as often as distant ones.
    fn pair() -> impl Strategy<Value = (String, String)> {
        (any_text(), any_text(), 0..4u8, 0..3usize, 0..3usize).prop_map(
            |(a, b, how, lead, trail)| {
                let b = match how {
                    0 => b,
                    1 => pad(&a, lead, trail),
                    2 => {
                        let mut next = pad(&a, lead, trail);
                        match next.pop().and_then(|d| d.to_digit(10)) {
                            Some(d) => next.extend(char::from_digit((d + 1) % 10, 10)),
                            None => next.push('1'),
                        }
                        next
                    }
                    _ => format!("-{}", a.trim_start_matches('-')),
                };
                (a, b)
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]
        #[test]
        fn the_fast_path_orders_as_the_parser_does((a, b) in pair()) {
            prop_assert_eq!(compare(&a, &b), compare_parsed(&a, &b), "{} vs {}", a, b);
            prop_assert_eq!(compare(&b, &a), compare_parsed(&b, &a), "{} vs {}", b, a);
            prop_assert_eq!(compare(&a, &a), Ordering::Equal);
        }
    }
}
