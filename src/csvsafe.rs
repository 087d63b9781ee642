//! CSV files this program writes are safe to open in Excel (CSV or formula injection).
//!
//! The data comes from outside files (an office's own list, an HSDS package), and offices open
//! the CSVs we write in Excel or LibreOffice, which run a cell starting with `=`, `+`, `-` or
//! `@` as a formula (`=HYPERLINK(…)`, `=cmd|…`). Following the OWASP guidance on CSV
//! injection, such a cell — and one starting with a tab or a carriage return, which some
//! spreadsheets skip before looking for the formula sign — is written with a single quote in
//! front (`'=1+1`): the spreadsheet shows the text and runs nothing. The `csv` crate quotes
//! every cell that holds a quote, separator or line break, so the cell cannot end early either.
//!
//! The rule is applied to every cell, numbers included: a phone number never starts with `-`
//! and a negative number in a directory is not worth the risk. Reading such a file back
//! ([`restore`]) removes the quote again, so a value survives a round trip through our own
//! files unchanged.
//!
//! Every CSV writer in the crate goes through [`Writer`]; nothing else writes CSV.

use std::borrow::Cow;
use std::io::Write;

/// Whether a cell would be read as a formula (or is close enough that a spreadsheet might).
fn is_dangerous(cell: &str) -> bool {
    matches!(
        cell.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠')
    )
}

/// The cell as written: a single quote in front of a formula-leading value, and in front of a
/// value that already starts with a quote followed by one (so [`restore`] gives it back).
pub fn neutralize(cell: &str) -> Cow<'_, str> {
    if is_dangerous(cell) || cell.strip_prefix('\'').is_some_and(is_dangerous_or_quoted) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

fn is_dangerous_or_quoted(rest: &str) -> bool {
    is_dangerous(rest) || rest.starts_with('\'')
}

/// A cell read from a file [`neutralize`] wrote: the quote it added removed.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if is_dangerous_or_quoted(rest) => rest,
        _ => cell,
    }
}

/// A CSV writer (UTF-8, comma, header first, `\r\n` line ends as Excel writes) that neutralizes
/// every cell.
pub struct Writer<W: Write> {
    inner: csv::Writer<W>,
}

impl<W: Write> Writer<W> {
    /// Writes to `w`.
    pub fn new(w: W) -> Self {
        Writer {
            inner: csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(w),
        }
    }

    /// Writes one row.
    pub fn row<I, S>(&mut self, cells: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let cells: Vec<String> = cells
            .into_iter()
            .map(|c| neutralize(c.as_ref()).into_owned())
            .collect();
        self.inner.write_record(&cells)
    }

    /// Flushes and returns the inner writer.
    pub fn finish(self) -> csv::Result<W> {
        self.inner
            .into_inner()
            .map_err(|e| csv::Error::from(e.into_error()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_leading_cells_get_a_quote() {
        for (cell, written) in [
            ("=1+1", "'=1+1"),
            ("+81 3", "'+81 3"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("＝1", "'＝1"),
            ("'=1", "''=1"),
            ("03-1234-5678", "03-1234-5678"),
            ("品川区", "品川区"),
            ("", ""),
            ("'quoted", "'quoted"),
        ] {
            assert_eq!(neutralize(cell), written, "{cell:?}");
            assert_eq!(restore(written), cell, "{cell:?}");
        }
    }

    #[test]
    fn writer_quotes_and_neutralizes() {
        let mut w = Writer::new(Vec::new());
        w.row(["id", "name"]).unwrap();
        w.row(["1", "=HYPERLINK(\"http://x\",\"a,b\")"]).unwrap();
        let text = String::from_utf8(w.finish().unwrap()).unwrap();
        assert_eq!(
            text,
            "id,name\r\n1,\"'=HYPERLINK(\"\"http://x\"\",\"\"a,b\"\")\"\r\n"
        );
    }
}
