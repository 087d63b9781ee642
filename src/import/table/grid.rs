//! A file → a grid of text cells, each row with its place (sheet row or CSV line), within
//! limits that refuse hostile files before they cost memory.
//!
//! | input | how | refused when |
//! |---|---|---|
//! | any | — | larger than [`Limits::file_bytes`] (checked while reading, not from metadata) |
//! | CSV/TSV | [`decode`](crate::import::wamnet::decode) (UTF-8 ± BOM, Shift_JIS/CP932), then the `csv` crate; TSV when the first line has more tabs than commas or the name ends in `.tsv` | a line longer than [`Limits::line_bytes`]; more than [`Limits::rows`] rows |
//! | .xlsx | every zip entry is unpacked once into a counter first (a zip bomb lies about its sizes, so they are not trusted); then calamine's cell reader streams the sheet | an entry or all together unpacking to more than [`Limits::unpacked_bytes`]; a cell beyond row [`Limits::rows`] or column [`Limits::columns`] |
//! | .xls (Excel 97–2003) | — | always, with how to save it as .xlsx or CSV (its reader would allocate the bounding box of the used cells) |
//!
//! calamine's `worksheet_range` is not used: it allocates the bounding box of the used cells,
//! so one cell at `XFD1048576` would ask for 17 billion cells. The cell reader gives only the
//! cells that exist, and the grid keeps only rows that have one.
//!
//! Cell values: strings as written; whole numbers without `.0` (`20`, not `20.0`); other numbers
//! as Rust prints them; booleans `TRUE`/`FALSE`; dates as their ISO form; Excel errors
//! (`#N/A`) as written. A merged cell's value fills every cell of the merge in rows that have
//! other text (地域 merged down a block of offices, as it shows in Excel); CSV bytes that are
//! neither UTF-8 nor Shift_JIS become U+FFFD and are counted ([`Grid::malformed`]).

use std::io::{Cursor, Read};

use calamine::{DataRef, Reader, Xlsx};

use super::TableError;
use crate::import::wamnet::decode;

/// Size limits for one input file.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Bytes of the file itself.
    pub file_bytes: u64,
    /// Bytes of one CSV line.
    pub line_bytes: usize,
    /// Rows (sheet rows or CSV records, blank ones included).
    pub rows: u32,
    /// Columns of a sheet.
    pub columns: u32,
    /// Bytes an .xlsx unpacks to (each entry and all together).
    pub unpacked_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_bytes: 64 << 20,
            line_bytes: 1 << 20,
            rows: 100_000,
            columns: 1_000,
            unpacked_bytes: 256 << 20,
        }
    }
}

/// One non-blank row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridRow {
    /// Sheet row (1-based) or the CSV line the record starts on.
    pub number: u64,
    /// Cells from column A (index 0); missing ones are empty.
    pub cells: Vec<String>,
}

/// The rows of one sheet or CSV file.
#[derive(Debug, Clone)]
pub struct Grid {
    /// The sheet's name; `None` for CSV.
    pub sheet: Option<String>,
    /// Non-blank rows in order.
    pub rows: Vec<GridRow>,
    /// Rows with no text, skipped.
    pub blank_rows: usize,
    /// `UTF-8`, `Shift_JIS`, `xlsx` …
    pub encoding: String,
    /// Byte sequences of a CSV that could not be decoded (each became U+FFFD).
    pub malformed: usize,
    /// Cells of an .xlsx holding a formula but no saved result (a file written by a program
    /// that does not calculate, `="03-"&"5555-6666"`), as (row number, column index): what
    /// Excel would show is not in the file, so the row is not imported as if the cell were
    /// empty.
    pub formulas_without_value: std::collections::BTreeSet<(u64, usize)>,
}

/// The mark of a character that could not be decoded.
pub const UNDECODABLE: char = '\u{FFFD}';

/// What kind of file, from its name and first bytes.
fn is_xlsx(name: &str, bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || name.to_lowercase().ends_with(".xlsx")
}

/// An Excel 97–2003 file (an OLE compound document), by its first bytes or its name.
fn is_xls(name: &str, bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        || name.to_lowercase().ends_with(".xls")
}

/// Reads a file's bytes, refusing more than `limit` without reading further.
pub fn read_limited(path: &std::path::Path, limits: &Limits) -> Result<Vec<u8>, TableError> {
    let io = |source| TableError::Io {
        path: path.display().to_string(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(limits.file_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limits.file_bytes {
        return Err(TableError::TooLarge {
            file: path.display().to_string(),
            what: format!("ファイルが {} MB をこえています", limits.file_bytes >> 20),
        });
    }
    Ok(bytes)
}

/// The grid of `bytes`, named `name` in messages; `sheet` picks a sheet of an .xlsx (the first
/// one by default).
pub fn read(
    name: &str,
    bytes: &[u8],
    sheet: Option<&str>,
    limits: &Limits,
) -> Result<Grid, TableError> {
    if bytes.len() as u64 > limits.file_bytes {
        return Err(TableError::TooLarge {
            file: name.into(),
            what: format!("ファイルが {} MB をこえています", limits.file_bytes >> 20),
        });
    }
    if is_xls(name, bytes) && !bytes.starts_with(b"PK\x03\x04") {
        return Err(TableError::OldExcel { file: name.into() });
    }
    if is_xlsx(name, bytes) {
        read_xlsx(name, bytes, sheet, limits)
    } else {
        read_csv(name, bytes, limits)
    }
}

fn too_large(name: &str, what: String) -> TableError {
    TableError::TooLarge {
        file: name.into(),
        what,
    }
}

/// CSV or TSV text.
fn read_csv(name: &str, bytes: &[u8], limits: &Limits) -> Result<Grid, TableError> {
    let decoded = decode::decode(bytes);
    let text: &str = &decoded.text;
    let empty_lines = check_lines(name, text, limits)?;
    let first = text.lines().next().unwrap_or("");
    let tsv = name.to_lowercase().ends_with(".tsv")
        || first.matches('\t').count() > first.matches(',').count();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(if tsv { b'\t' } else { b',' })
        .from_reader(text.as_bytes());
    let mut lines = crate::import::lines::LineStarts::new(text);
    let mut grid = Grid {
        sheet: None,
        rows: Vec::new(),
        blank_rows: empty_lines,
        encoding: decoded.encoding.clone(),
        malformed: decoded.malformed,
        formulas_without_value: Default::default(),
    };
    let mut rec = csv::StringRecord::new();
    let mut count: u32 = 0;
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(TableError::Csv {
                    file: name.into(),
                    line,
                    reason: e.to_string(),
                });
            }
        }
        count += 1;
        if count > limits.rows {
            return Err(too_large(
                name,
                format!("行が {} をこえています（空行を含む）", limits.rows),
            ));
        }
        let start = rec
            .position()
            .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
        let number = lines.line_at(start);
        let cells: Vec<String> = rec.iter().map(str::to_string).collect();
        push_row(&mut grid, number, cells, false);
    }
    Ok(grid)
}

/// Refuses a line longer than the limit (a 1 GB line is refused before the CSV reader buffers
/// it), naming the line, and more lines than the row limit (the CSV reader skips empty lines
/// silently, so a million of them are counted here).
/// Returns the number of empty lines (which the CSV reader skips without a record).
fn check_lines(name: &str, text: &str, limits: &Limits) -> Result<usize, TableError> {
    let mut empty = 0;
    for (i, line) in text.lines().enumerate() {
        if line.trim_end_matches('\r').is_empty() {
            empty += 1;
        }
        if i as u64 >= u64::from(limits.rows) {
            return Err(too_large(
                name,
                format!("行が {} をこえています（空行を含む）", limits.rows),
            ));
        }
        if line.len() > limits.line_bytes {
            return Err(too_large(
                &format!("{name}:{}", i + 1),
                format!("1行が {} KB をこえています", limits.line_bytes >> 10),
            ));
        }
    }
    Ok(empty)
}

/// Keeps a row that has text, its cells on one line ([`crate::import::cell::one_line`]);
/// counts a blank one.
fn push_row(grid: &mut Grid, number: u64, mut cells: Vec<String>, keep: bool) {
    for c in &mut cells {
        if let std::borrow::Cow::Owned(one) = crate::import::cell::one_line(c) {
            *c = one;
        }
    }
    while !keep && cells.last().is_some_and(|c| c.trim().is_empty()) {
        cells.pop();
    }
    if !keep && cells.iter().all(|c| is_blank(c)) {
        grid.blank_rows += 1;
    } else {
        grid.rows.push(GridRow { number, cells });
    }
}

/// Whitespace only (U+3000 included).
pub fn is_blank(cell: &str) -> bool {
    cell.chars().all(char::is_whitespace)
}

/// Unpacks every zip entry into a counter ([`crate::import::archive::unpack`]), refusing the
/// file when the entries unpack to more than the limit.
fn check_zip(name: &str, bytes: &[u8], limits: &Limits) -> Result<(), TableError> {
    use crate::import::archive::{ArchiveError, unpack};
    match unpack(bytes, limits.unpacked_bytes, |_| false) {
        Ok(_) => Ok(()),
        Err(e @ ArchiveError::TooLarge { .. }) => Err(too_large(name, e.to_string())),
        Err(e) => Err(TableError::Xlsx {
            file: name.into(),
            reason: e.to_string(),
        }),
    }
}

/// An .xlsx sheet.
fn read_xlsx(
    name: &str,
    bytes: &[u8],
    sheet: Option<&str>,
    limits: &Limits,
) -> Result<Grid, TableError> {
    check_zip(name, bytes, limits)?;
    let xerr = |e: calamine::XlsxError| TableError::Xlsx {
        file: name.into(),
        reason: e.to_string(),
    };
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(xerr)?;
    let names = book.sheet_names();
    let chosen = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .cloned()
            .ok_or_else(|| TableError::NoSheet {
                file: name.into(),
                sheet: s.into(),
                sheets: names.clone(),
            })?,
        None => names.first().cloned().ok_or_else(|| TableError::Xlsx {
            file: name.into(),
            reason: "シートがありません".into(),
        })?,
    };
    let mut reader = book.worksheet_cells_reader(&chosen).map_err(xerr)?;
    let mut rows: std::collections::BTreeMap<u32, Vec<String>> = Default::default();
    while let Some(cell) = reader.next_cell().map_err(xerr)? {
        let (r, c) = cell.get_position();
        if r >= limits.rows || c >= limits.columns {
            return Err(too_large(
                &format!("{name} {chosen}"),
                format!(
                    "{} にセルがあります（上限は {} 行・{} 列。空の行が大量にあるシートは読みません）",
                    cell_ref(r, c),
                    limits.rows,
                    limits.columns
                ),
            ));
        }
        let text = cell_text(cell.get_value());
        if text.is_empty() {
            continue;
        }
        let row = rows.entry(r).or_default();
        let c = c as usize;
        if row.len() <= c {
            row.resize(c + 1, String::new());
        }
        row[c] = text;
    }
    drop(reader);
    // A second pass over the sheet for its formulas: one whose cell has no value had its
    // result never saved.
    let mut formulas_without_value = std::collections::BTreeSet::new();
    let mut reader = book.worksheet_cells_reader(&chosen).map_err(xerr)?;
    while let Some(cell) = reader.next_formula().map_err(xerr)? {
        let (r, c) = cell.get_position();
        if cell.get_value().is_empty() || r >= limits.rows || c >= limits.columns {
            continue;
        }
        let row = rows.entry(r).or_default();
        let c = c as usize;
        if row.get(c).is_none_or(String::is_empty) {
            if row.len() <= c {
                row.resize(c + 1, String::new());
            }
            formulas_without_value.insert((u64::from(r) + 1, c));
        }
    }
    drop(reader);
    let merges = book.merge_cells_by_sheet_name(&chosen).map_err(xerr)?;
    fill_merges(&mut rows, &merges);
    let mut grid = Grid {
        sheet: Some(chosen),
        rows: Vec::new(),
        blank_rows: 0,
        encoding: "xlsx".into(),
        malformed: 0,
        formulas_without_value,
    };
    let mut last: Option<u32> = None;
    for (r, cells) in rows {
        if let Some(l) = last {
            grid.blank_rows += (r - l - 1) as usize;
        }
        last = Some(r);
        let number = u64::from(r) + 1;
        // A row whose only cells are formulas without a value is not blank: it is reported.
        let unsaved = grid
            .formulas_without_value
            .range((number, 0)..=(number, usize::MAX))
            .next()
            .is_some();
        push_row(&mut grid, number, cells, unsaved);
    }
    Ok(grid)
}

/// Copies each merged cell's value (its top-left cell's) into the other cells of the merge,
/// in rows that have text and within the widest row (a merge over the whole sheet costs no
/// more than the cells there are).
fn fill_merges(
    rows: &mut std::collections::BTreeMap<u32, Vec<String>>,
    merges: &[calamine::Dimensions],
) {
    let width = rows.values().map(Vec::len).max().unwrap_or(0);
    for m in merges {
        let ((top, left), (bottom, right)) = (m.start, m.end);
        let value = rows
            .get(&top)
            .and_then(|r| r.get(left as usize))
            .filter(|v| !v.is_empty())
            .cloned();
        let Some(value) = value else { continue };
        let right = (right as usize).min(width.saturating_sub(1));
        for (_, row) in rows.range_mut(top..=bottom) {
            for c in left as usize..=right {
                if row.len() <= c {
                    row.resize(c + 1, String::new());
                }
                if row[c].is_empty() {
                    row[c] = value.clone();
                }
            }
        }
    }
}

/// `E6` for row index 5, column index 4.
pub fn cell_ref(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col as usize), u64::from(row) + 1)
}

/// `A`, `Z`, `AA` … for column index 0, 25, 26 ….
pub fn column_letters(mut col: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

fn cell_text(v: &DataRef<'_>) -> String {
    match v {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        DataRef::DateTime(d) if d.is_datetime() => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{day:02}")
        }
        DataRef::DateTime(d) => d.as_f64().to_string(),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_like_excel() {
        for (i, s) in [
            (0, "A"),
            (4, "E"),
            (25, "Z"),
            (26, "AA"),
            (701, "ZZ"),
            (702, "AAA"),
        ] {
            assert_eq!(column_letters(i), s);
        }
        assert_eq!(cell_ref(5, 4), "E6");
    }

    #[test]
    fn csv_rows_keep_their_lines_and_skip_blank_ones() {
        let text = "一覧\n\n名称,電話番号\n\"あ\nい\",03-1234-5678\n,\n う ,\n";
        let g = read("o.csv", text.as_bytes(), None, &Limits::default()).unwrap();
        let got: Vec<(u64, Vec<String>)> =
            g.rows.iter().map(|r| (r.number, r.cells.clone())).collect();
        assert_eq!(
            got,
            vec![
                (1, vec!["一覧".to_string()]),
                (3, vec!["名称".into(), "電話番号".into()]),
                // A quoted line break in a cell is one space (`crate::import::cell`).
                (4, vec!["あ い".into(), "03-1234-5678".into()]),
                (7, vec![" う ".into()]),
            ]
        );
        // Line 2 (empty) and line 6 (only a separator).
        assert_eq!(g.blank_rows, 2);
    }

    #[test]
    fn long_lines_and_many_rows_are_refused() {
        let limits = Limits {
            line_bytes: 10,
            rows: 3,
            ..Limits::default()
        };
        let e = read("o.csv", b"a,b\nabcdefghijkl\n", None, &limits).unwrap_err();
        assert!(e.to_string().contains("o.csv:2"), "{e}");
        let e = read("o.csv", b"a\n\n\n\n\nb\n", None, &limits).unwrap_err();
        assert!(e.to_string().contains("行が 3 をこえて"), "{e}");
    }

    #[test]
    fn tsv_is_detected() {
        let g = read(
            "o.txt",
            "名称\t電話\nあ\t03".as_bytes(),
            None,
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(g.rows[1].cells, vec!["あ", "03"]);
    }
}
