//! Exact arithmetic helpers: checked sums, rates with a null for "no data",
//! and money rounding. No binary floating point anywhere.

use crate::error::{OdxError, Result};
use rust_decimal::{Decimal, RoundingStrategy};

/// Decimal places of PKR amounts (paisa).
pub const MONEY_SCALE: u32 = 2;

/// `a += b`, exactly, or [`OdxError::Overflow`].
#[inline]
pub fn add_money(a: &mut Decimal, b: Decimal, what: &'static str) -> Result<()> {
    *a = a.checked_add(b).ok_or(OdxError::Overflow { what })?;
    Ok(())
}

/// `a += b` for counters, or [`OdxError::Overflow`].
#[inline]
pub fn add_count(a: &mut u64, b: u64, what: &'static str) -> Result<()> {
    *a = a.checked_add(b).ok_or(OdxError::Overflow { what })?;
    Ok(())
}

/// `a * b` exactly, or [`OdxError::Overflow`].
#[inline]
pub fn mul_money(a: Decimal, b: Decimal, what: &'static str) -> Result<Decimal> {
    a.checked_mul(b).ok_or(OdxError::Overflow { what })
}

/// `numerator / denominator` as an exact decimal (28 significant digits), or
/// `None` when the denominator is zero: a rate with no data is null, never 0.
///
/// # Errors
/// [`OdxError::Overflow`] when the quotient does not fit a `Decimal`.
///
/// # Example
/// ```
/// use odx_core::num::rate;
/// use rust_decimal::Decimal;
/// assert_eq!(rate(Decimal::from(1), Decimal::from(4)).unwrap(), Some(Decimal::new(25, 2)));
/// assert_eq!(rate(Decimal::from(1), Decimal::ZERO).unwrap(), None);
/// ```
pub fn rate(numerator: Decimal, denominator: Decimal) -> Result<Option<Decimal>> {
    if denominator.is_zero() {
        return Ok(None);
    }
    numerator.checked_div(denominator).map(|q| Some(q.normalize())).ok_or(OdxError::Overflow { what: "rate" })
}

/// Adds per-category counts element-wise (`a[i] += b[i]`).
///
/// # Errors
/// [`OdxError::Overflow`] naming `what`.
pub(crate) fn merge_counts<const N: usize>(a: &mut [u64; N], b: &[u64; N], what: &'static str) -> Result<()> {
    a.iter_mut().zip(b).try_for_each(|(x, y)| add_count(x, *y, what))
}

/// A rate of two counts; `None` when `denominator` is 0.
pub fn count_rate(numerator: u64, denominator: u64) -> Option<Decimal> {
    if denominator == 0 {
        return None;
    }
    // Both fit a Decimal (96-bit mantissa) and the quotient of two u64 does too.
    Decimal::from(numerator).checked_div(Decimal::from(denominator)).map(|q| q.normalize())
}

/// Rounds a derived amount (an average, a product with a rate) to paisa,
/// half away from zero, and writes it with exactly two decimals.
pub fn round_money(d: Decimal) -> Decimal {
    let mut r = d.round_dp_with_strategy(MONEY_SCALE, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(MONEY_SCALE);
    r
}

/// `total / count` rounded to paisa; `None` when `count` is 0.
///
/// # Errors
/// Never in practice; [`OdxError::Overflow`] is kept for totality.
pub fn average_money(total: Decimal, count: u64) -> Result<Option<Decimal>> {
    Ok(rate(total, Decimal::from(count))?.map(round_money))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn a_third_is_exact_to_28_digits() {
        assert_eq!(count_rate(1, 3).unwrap().to_string(), "0.3333333333333333333333333333");
        assert_eq!(count_rate(0, 0), None);
        assert_eq!(count_rate(0, 5), Some(Decimal::ZERO));
    }

    #[test]
    fn money_limits_do_not_overflow_or_panic() {
        let max = Decimal::from_str("999999999999.99").unwrap();
        let mut sum = Decimal::ZERO;
        for _ in 0..1000 {
            add_money(&mut sum, max, "billed").unwrap();
        }
        assert_eq!(sum, Decimal::from_str("999999999999990").unwrap());
        let mut big = Decimal::MAX;
        assert_eq!(add_money(&mut big, max, "billed").unwrap_err().code(), "ODX_OVERFLOW");
        let mut c = u64::MAX;
        assert!(add_count(&mut c, 1, "count").is_err());
        assert!(rate(Decimal::MAX, Decimal::from_str("0.01").unwrap()).is_err());
    }

    #[test]
    fn derived_money_always_has_two_decimals() {
        assert_eq!(average_money(Decimal::from(39000), 4).unwrap().unwrap().to_string(), "9750.00");
        assert_eq!(round_money(Decimal::new(5, 0)).to_string(), "5.00");
    }

    #[test]
    fn averages_round_half_away_from_zero() {
        assert_eq!(
            average_money(Decimal::from_str("10.01").unwrap(), 2).unwrap(),
            Some(Decimal::from_str("5.01").unwrap())
        );
        assert_eq!(
            average_money(Decimal::from_str("-10.01").unwrap(), 2).unwrap(),
            Some(Decimal::from_str("-5.01").unwrap())
        );
        assert_eq!(average_money(Decimal::ONE, 0).unwrap(), None);
    }
}
