//! What the import did with every line: counts, and one [`Entry`] per thing a person should see.
//!
//! The invariant the tests hold it to: for every file, `rows_read == rows_in_records +
//! rows_skipped + rows_not_selected`, and every skipped row has an entry with its line and reason. Entries are
//! ordered by file (in the order the files were given, sorted by name) and line.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

/// How bad an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The row did not become part of any record.
    RowSkipped,
    /// The row is in a record, one of its cells was dropped (or partly dropped).
    CellDropped,
    /// The row is in a record; something worth a look (unknown service type, municipality not
    /// found, rows of one office disagreeing, a 事業所番号 that lost its zeros).
    Note,
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// File name as given.
    pub file: String,
    /// 1-based line; 0 for the whole file.
    pub line: u64,
    /// The row's 事業所番号 when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub office_number: Option<String>,
    /// How bad.
    pub severity: Severity,
    /// What it is about (a column header, `row`, `file`, `サービス種別` …). `row` and `file` are
    /// keys; the text shows no label for `row` and 「ファイル全体」 for `file`.
    pub about: String,
    /// Why, with the text concerned.
    pub reason: String,
}

impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.severity {
            Severity::RowSkipped => "取り込まない行",
            Severity::CellDropped => "除いた値",
            Severity::Note => "注記",
        };
        write!(f, "{}:{}: {what}", self.file, self.line)?;
        // `row` and `file` are the importer's keys (kept as they are serialized); a column
        // header is shown as the file writes it.
        match self.about.as_str() {
            "row" => {}
            "file" => write!(f, ": ファイル全体")?,
            about => write!(f, ": {about}")?,
        }
        if let Some(n) = &self.office_number {
            write!(f, "（事業所番号 {n}）")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// Counts for one file.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FileCounts {
    /// File name as given.
    pub file: String,
    /// How it was decoded (`UTF-8 (BOM)`, `Shift_JIS`, …).
    pub encoding: String,
    /// Data lines read (records after the header).
    pub rows_read: usize,
    /// Rows that are part of a record.
    pub rows_in_records: usize,
    /// Rows reported as skipped.
    pub rows_skipped: usize,
    /// Rows left out by a [`super::Restriction`] (not listed one by one).
    pub rows_not_selected: usize,
}

/// The whole report.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// Per file, in the order imported.
    pub files: Vec<FileCounts>,
    /// Rows per サービス種別 as written (unknown ones included).
    pub service_types: BTreeMap<String, usize>,
    /// Records made.
    pub records: usize,
    /// Rows that joined a record another row had started (duplicates and other service types
    /// of the same office).
    pub rows_merged: usize,
    /// Records whose 事業所番号 is also used by another, different office.
    pub shared_numbers: usize,
    /// Every entry.
    pub entries: Vec<Entry>,
}

impl Report {
    /// Total data lines read.
    pub fn rows_read(&self) -> usize {
        self.files.iter().map(|f| f.rows_read).sum()
    }

    /// Total rows that are part of a record.
    pub fn rows_in_records(&self) -> usize {
        self.files.iter().map(|f| f.rows_in_records).sum()
    }

    /// Total rows left out by a restriction.
    pub fn rows_not_selected(&self) -> usize {
        self.files.iter().map(|f| f.rows_not_selected).sum()
    }

    /// Takes one record out of the counts, its rows (given by their files, one per row)
    /// becoming skipped rows: a record the caller leaves out of the layer (its municipality
    /// is in no area) is then counted where its reported line says it is.
    pub fn leave_out(&mut self, row_files: &[&str]) {
        self.records = self.records.saturating_sub(1);
        self.rows_merged = self
            .rows_merged
            .saturating_sub(row_files.len().saturating_sub(1));
        for file in row_files {
            if let Some(c) = self.files.iter_mut().find(|c| c.file == *file) {
                c.rows_in_records = c.rows_in_records.saturating_sub(1);
                c.rows_skipped += 1;
            }
        }
    }

    /// Total rows skipped.
    pub fn rows_skipped(&self) -> usize {
        self.files.iter().map(|f| f.rows_skipped).sum()
    }

    /// Entries about a column or topic (`事業所URL`, `事業所住所（市区町村）` …).
    pub fn about<'a>(&'a self, about: &'a str) -> impl Iterator<Item = &'a Entry> + 'a {
        self.entries.iter().filter(move |e| e.about == about)
    }

    /// Dropped cells counted by column.
    pub fn dropped_by_column(&self) -> BTreeMap<&str, usize> {
        let mut m = BTreeMap::new();
        for e in self
            .entries
            .iter()
            .filter(|e| e.severity == Severity::CellDropped)
        {
            *m.entry(e.about.as_str()).or_insert(0) += 1;
        }
        m
    }

    /// A one-paragraph summary for a terminal, in Japanese: 「11685行を読み、記録 1203件（ほかの行の
    /// 記録にまとめた行 40）、取り込まない行 0、選んだ都道府県の外の行 9、除いた値 事業所URL 12件、
    /// 注記 5件」 (the prefectures part only with a restriction, one 除いた値 per column).
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{}行を読み、記録 {}件（ほかの行の記録にまとめた行 {}）、取り込まない行 {}",
            self.rows_read(),
            self.records,
            self.rows_merged,
            self.rows_skipped()
        );
        if self.rows_not_selected() > 0 {
            s.push_str(&format!(
                "、選んだ都道府県の外の行 {}",
                self.rows_not_selected()
            ));
        }
        for (col, n) in self.dropped_by_column() {
            s.push_str(&format!("、除いた値 {col} {n}件"));
        }
        let notes = self
            .entries
            .iter()
            .filter(|e| e.severity == Severity::Note)
            .count();
        s.push_str(&format!("、注記 {notes}件"));
        s
    }
}
