//! Import of an office's own list — an Excel sheet or a CSV/TSV file, in UTF-8 or Shift_JIS —
//! into a user layer (`ikenavi import table`).
//!
//! The pipeline, one module per stage:
//!
//! 1. [`grid`]: bytes → rows of text cells with their places, within [`grid::Limits`] (a zip
//!    bomb, a 1 GB line or a sheet of a million rows is refused with a message, never read).
//! 2. [`mapping`]: which column feeds which field — the maintainer's mapping file, or a guess
//!    from common Japanese headers below any title rows, written out to be edited.
//! 3. [`record`]: each row after the header → a record, or the problems that keep it out.
//!
//! Every non-blank row after the header becomes a record or is reported with its place —
//! `一覧!E6` (sheet and the cell at fault) for a sheet, `office.csv:5` for a CSV — and the
//! reason, with the closest names where a name was not found. An area that is unknown or
//! ambiguous keeps the row out: an area is never guessed. Records cite the file with the
//! sheet and row (`sources[].section` = `一覧 6行目`).
//!
//! Ids are `{prefix}-{row}` (the prefix from the file name's ASCII letters and digits, or
//! `list`), or the row's own ID column: the same file gives the same ids.

pub mod grid;
pub mod mapping;
pub mod record;

use std::collections::HashSet;

use crate::directory::Catalog;
use crate::directory::model::{Resource, SourceDocument};
pub use grid::Limits;
pub use mapping::{MapFile, SourceInfo};

/// Problems that stop the import (a bad row never does).
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// The file could not be read.
    #[error(
        "{path}: 読めません（{}）",
        crate::fsutil::io_reason(source, crate::fsutil::Access::Read)
    )]
    Io {
        /// The file.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is over a limit.
    #[error("{file}: 大きすぎるため読みません: {what}")]
    TooLarge {
        /// The file (and line or sheet).
        file: String,
        /// Which limit.
        what: String,
    },
    /// The CSV reader failed.
    #[error("{file}:{line}: CSV として読めません: {reason}")]
    Csv {
        /// The file.
        file: String,
        /// Where.
        line: u64,
        /// Why.
        reason: String,
    },
    /// The .xlsx could not be read.
    #[error("{file}: Excel ファイル（.xlsx）として読めません: {reason}")]
    Xlsx {
        /// The file.
        file: String,
        /// Why.
        reason: String,
    },
    /// `--sheet` names no sheet.
    #[error("{file}: シート「{sheet}」がありません（あるのは {}）", .sheets.join("、"))]
    NoSheet {
        /// The file.
        file: String,
        /// The sheet asked for.
        sheet: String,
        /// The sheets there are.
        sheets: Vec<String>,
    },
    /// The columns could not be settled.
    #[error("{file}: {problem}")]
    Columns {
        /// The file.
        file: String,
        /// Why.
        problem: mapping::MapProblem,
    },
    /// The mapping file is not valid TOML of the right shape.
    #[error("{path}: 対応表として読めません: {reason}")]
    BadMap {
        /// The mapping file.
        path: String,
        /// Why.
        reason: String,
    },
    /// An Excel 97–2003 file.
    #[error(
        "{file}: 古い Excel 形式（.xls）は読めません — Excel で開き「名前を付けて保存」で .xlsx か CSV（UTF-8）にしてから取り込んでください"
    )]
    OldExcel {
        /// The file.
        file: String,
    },
    /// A date after today (`--as-of`, the mapping's `[source] date`).
    #[error("{0}")]
    FutureDate(String),
    /// A date is not a date.
    #[error("日付「{0}」が YYYY-MM-DD・YYYY-MM・YYYY のどれでもありません")]
    BadDate(String),
}

/// A row that did not become a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// `一覧!E6` or `office.csv:5`.
    pub place: String,
    /// Why, in Japanese.
    pub reason: String,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.place, self.reason)
    }
}

/// What the caller decides.
#[derive(Debug, Clone, Default)]
pub struct TableOptions {
    /// The sheet (the mapping file's, else the first).
    pub sheet: Option<String>,
    /// The mapping; guessed from the headers when `None`.
    pub map: Option<MapFile>,
    /// The date records cite when the mapping gives none (the file's date).
    pub date: String,
    /// Id prefix; from the file name when `None`.
    pub id_prefix: Option<String>,
    /// Size limits.
    pub limits: Limits,
}

/// The records, the problems and the mapping used.
#[derive(Debug, Clone)]
pub struct TableImport {
    /// One per good row, in row order.
    pub records: Vec<Resource>,
    /// Why rows were left out (one or more per row), in row order.
    pub problems: Vec<RowProblem>,
    /// Rows left out.
    pub left_out: usize,
    /// The mapping used (the guess when none was given), to write out.
    pub map: MapFile,
    /// Data rows read (after the header, blank ones not counted).
    pub rows: usize,
    /// Blank rows skipped.
    pub blank_rows: usize,
    /// How the file was decoded.
    pub encoding: String,
    /// The document the records cite.
    pub document: SourceDocument,
}

impl TableImport {
    /// The layer file's text.
    pub fn layer_text(&self) -> String {
        crate::import::wamnet::layer::render_user(
            &self.document.title,
            &self.document.date,
            None,
            std::slice::from_ref(&self.document),
            &self.records,
        )
    }

    /// One line: 「12行（xlsx、見出しは2行目）: 10件を取り込み、2行は取り込めません（空行 1 を飛ばしました）」.
    /// Rows above the header (titles) are not data and are not counted.
    pub fn summary(&self) -> String {
        format!(
            "{}行（{}、見出しは{}行目）: {}件を取り込み、{}行は取り込めません（空行 {} を飛ばしました）",
            self.rows,
            self.encoding,
            self.map.header_row.unwrap_or(0),
            self.records.len(),
            self.left_out,
            self.blank_rows
        )
    }
}

/// Reads a mapping file's text.
pub fn parse_map(path: &str, text: &str) -> Result<MapFile, TableError> {
    toml::from_str(text).map_err(|e| TableError::BadMap {
        path: path.into(),
        reason: e.to_string(),
    })
}

/// The id prefix of a file name: its stem's ASCII letters and digits, lowercased, runs of
/// anything else as one `-`; `list` when none are left.
pub fn id_prefix(file: &str) -> String {
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let mut out = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "list".into() } else { out }
}

/// Imports one file named `file` (as cited) from its bytes.
pub fn import(
    file: &str,
    bytes: &[u8],
    opts: &TableOptions,
    catalog: &Catalog,
) -> Result<TableImport, TableError> {
    let sheet = opts
        .sheet
        .clone()
        .or_else(|| opts.map.as_ref().and_then(|m| m.sheet.clone()));
    let g = grid::read(file, bytes, sheet.as_deref(), &opts.limits)?;
    let columns = match &opts.map {
        Some(m) => mapping::apply(&g, m),
        None => mapping::guess(&g),
    }
    .map_err(|problem| TableError::Columns {
        file: file.into(),
        problem,
    })?;
    let source = opts
        .map
        .as_ref()
        .map(|m| m.source.clone())
        .unwrap_or_default();
    let date = source.date.clone().unwrap_or_else(|| opts.date.clone());
    if !crate::directory::validate::is_date(&date) {
        return Err(TableError::BadDate(date));
    }
    let today = crate::directory::values::today();
    if crate::directory::values::is_after(&date, &today) {
        return Err(TableError::FutureDate(
            crate::directory::values::future_reason(&date, &today),
        ));
    }
    let document = SourceDocument {
        file: file.to_string(),
        issuer: source
            .issuer
            .clone()
            .unwrap_or_else(|| "一覧の作成者（対応表の [source] issuer に記入）".into()),
        title: source
            .title
            .clone()
            .unwrap_or_else(|| format!("{file}（{}）", g.sheet.as_deref().unwrap_or("一覧"))),
        date: date.clone(),
    };
    let mut map = columns.to_map(&g, source);
    if let Some(m) = &opts.map {
        map.columns = m.columns.clone();
    }
    let prefix = opts.id_prefix.clone().unwrap_or_else(|| id_prefix(file));
    let ctx = record::Context {
        catalog,
        columns: &columns,
        file,
        sheet: g.sheet.as_deref(),
        date: &date,
        areas: Default::default(),
        terms: Default::default(),
    };
    let mut records = Vec::new();
    let mut problems = Vec::new();
    let mut ids = HashSet::new();
    let mut left_out = 0;
    let data = &g.rows[columns.header_index + 1..];
    for row in data {
        let place_of = |col: Option<usize>| match &g.sheet {
            Some(s) => {
                let c = col.or_else(|| columns.of.get(&mapping::Field::Name).copied());
                format!("{s}!{}{}", grid::column_letters(c.unwrap_or(0)), row.number)
            }
            None => format!("{file}:{}", row.number),
        };
        // Undecodable bytes (an EUC-JP file, a damaged one): the row is not imported garbled.
        if g.malformed > 0
            && let Some(col) = row.cells.iter().position(|c| c.contains(grid::UNDECODABLE))
        {
            left_out += 1;
            problems.push(RowProblem {
                place: place_of(Some(col)),
                reason: format!(
                    "文字化けしています（UTF-8 でも Shift_JIS でもない文字が {}）— 文字コードを確かめて保存し直してください",
                    grid::UNDECODABLE
                ),
            });
            continue;
        }
        // A formula whose result was never saved: what the sheet shows is not in the file.
        if let Some(&(_, col)) = g
            .formulas_without_value
            .range((row.number, 0)..=(row.number, usize::MAX))
            .next()
        {
            left_out += 1;
            problems.push(RowProblem {
                place: place_of(Some(col)),
                reason: "数式の結果が保存されていません（計算しないソフトで作られたファイル）— Excel で開いて保存し直すか、値として貼り付けてください".into(),
            });
            continue;
        }
        match record::build(
            &ctx,
            format!("{prefix}-{}", row.number),
            row.number,
            &row.cells,
        ) {
            Ok(r) if !ids.insert(r.id.clone()) => {
                left_out += 1;
                problems.push(RowProblem {
                    place: place_of(columns.of.get(&mapping::Field::Id).copied()),
                    reason: format!("ID「{}」がほかの行と重なっています", r.id),
                });
            }
            Ok(r) => records.push(r),
            Err(ps) => {
                left_out += 1;
                problems.extend(ps.into_iter().map(|p| RowProblem {
                    place: place_of(p.column),
                    reason: p.reason,
                }));
            }
        }
    }
    Ok(TableImport {
        records,
        problems,
        left_out,
        map,
        rows: data.len(),
        blank_rows: g.blank_rows,
        encoding: g.encoding,
        document,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_prefix_from_file_names() {
        for (f, p) in [
            ("office.csv", "office"),
            ("Office List 2025.xlsx", "office-list-2025"),
            ("医ケア一覧.xlsx", "list"),
            ("品川_2025.csv", "2025"),
        ] {
            assert_eq!(id_prefix(f), p, "{f}");
        }
    }
}
