//! One data row of the sufficient-statistics CSV being read: typed cells with errors
//! that name the file, the line and the column.

use csv::ByteRecord;

use super::{Cross, PreDenominator};
use crate::validate::BadRow;

/// One data row being read.
pub(super) struct Cells<'a> {
    pub(super) file: &'a str,
    pub(super) line: u64,
    pub(super) headers: &'a [String],
    pub(super) record: &'a ByteRecord,
}

impl Cells<'_> {
    pub(super) fn bad(&self, index: usize, message: String) -> BadRow {
        BadRow {
            file: self.file.to_string(),
            line: self.line,
            column: self.headers.get(index).cloned(),
            message,
        }
    }

    pub(super) fn text(&self, index: usize) -> Result<&str, BadRow> {
        let raw = self.record.get(index).unwrap_or_default();
        std::str::from_utf8(raw).map_err(|_| self.bad(index, "expected UTF-8 text".into()))
    }

    pub(super) fn number(&self, index: usize, what: &str) -> Result<f64, BadRow> {
        let text = self.text(index)?.trim();
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(self.bad(
                index,
                format!("expected {what} (a finite number), found {text:?}"),
            )),
        }
    }

    pub(super) fn count(&self, index: usize) -> Result<u64, BadRow> {
        let text = self.text(index)?.trim();
        let as_float = || {
            text.parse::<f64>()
                .ok()
                .filter(|v| *v >= 0.0 && v.fract() == 0.0 && *v < 9.007_199_254_740_992e15)
                .map(|v| v as u64)
        };
        text.parse::<u64>().ok().or_else(as_float).ok_or_else(|| {
            self.bad(
                index,
                format!("expected a number of users (a non-negative integer), found {text:?}"),
            )
        })
    }

    /// Three sums of a second quantity, or `None` when all three cells are empty.
    pub(super) fn cross(&self, columns: [usize; 3], n: u64) -> Result<Option<Cross>, BadRow> {
        let [s, q, p] = columns;
        let mut empty = true;
        for index in columns {
            empty &= self.text(index)?.trim().is_empty();
        }
        if empty {
            return Ok(None);
        }
        let cross = Cross {
            sum: self.number(s, "a sum")?,
            sum_sq: self.number(q, "a sum of squares")?,
            sum_product: self.number(p, "a sum of products")?,
        };
        check_squares(self, q, n, cross.sum, cross.sum_sq)?;
        Ok(Some(cross))
    }

    /// The six pre-period denominator sums, or `None` when all six cells are empty.
    pub(super) fn pre_denominator(
        &self,
        columns: [usize; 6],
        n: u64,
    ) -> Result<Option<PreDenominator>, BadRow> {
        let mut empty = true;
        for index in columns {
            empty &= self.text(index)?.trim().is_empty();
        }
        if empty {
            return Ok(None);
        }
        let [s, q, yp, dx, de, xe] = columns;
        let pre = PreDenominator {
            sum: self.number(s, "a sum")?,
            sum_sq: self.number(q, "a sum of squares")?,
            sum_product: self.number(yp, "a sum of products")?,
            den_cov_product: self.number(dx, "a sum of products")?,
            den_product: self.number(de, "a sum of products")?,
            cov_product: self.number(xe, "a sum of products")?,
        };
        check_squares(self, q, n, pre.sum, pre.sum_sq)?;
        Ok(Some(pre))
    }
}

/// `sum² ≤ n·sum_sq` holds for any n real values (up to rounding): catches swapped
/// or mis-aggregated columns.
pub(super) fn check_squares(
    cells: &Cells<'_>,
    index: usize,
    n: u64,
    sum: f64,
    sum_sq: f64,
) -> Result<(), BadRow> {
    let slack = 1e-9 * (sum * sum).max(1.0);
    if sum_sq < 0.0 || sum * sum > n as f64 * sum_sq + slack {
        return Err(cells.bad(
            index,
            format!(
                "expected a sum of squares of {n} values (non-negative, with sum² ≤ n·sum_sq), \
                 found {sum_sq} beside a sum of {sum}"
            ),
        ));
    }
    Ok(())
}
