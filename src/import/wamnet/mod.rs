//! Import of the WAM NET open data (障害福祉サービス等情報公表システム オープンデータ): every designated
//! welfare office in Japan, one file per service type, into one record per office.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`decode`]: bytes → UTF-8 (BOM, UTF-8, or Shift_JIS/CP932 detected, never asked).
//! 2. [`row`]: the `csv` crate reads the header; columns are found by name; each line becomes a
//!    typed [`row::Row`] or a reported problem with its line. Cells are cleaned by [`fields`]
//!    (Excel's `="…"`, lost leading zeros, 全角 digits; phones, URLs, coordinates and 定員
//!    validated — a bad cell is dropped and reported, never repaired into something the row
//!    does not say).
//! 3. [`merge`]: rows of the same office (across service-type files, duplicates within a file,
//!    「（肢体）」「（重心）」 rows) are grouped; never across municipalities.
//! 4. [`record`]: one [`OfficeRecord`] per group, kind and needs from the [`mapping`] table,
//!    `located_in` from the caller's `locate` applied to 事業所住所（市区町村） (the first column is
//!    the designating authority, not the location, and is not used), every row cited.
//! 5. [`report`]: every line read is in a record or listed with file:line and reason.
//!
//! Files are processed newest release first, then in name order, rows in line order, so the
//! same input gives the same records, ids and report whatever order the caller passes the
//! files in, and an office's record takes its contact from its most recent row.

pub mod carry;
pub mod changes;
pub mod decode;
pub mod fields;
pub mod layer;
pub mod mapping;
pub mod merge;
pub mod record;
pub mod report;
pub mod row;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::directory::model::SourceDocument;
use crate::directory::validate::date_order;
pub use record::{OfficeRecord, OfficeService};
pub use report::{Entry, Report, Severity};

/// The attribution the publisher asks for (the as-of month is that of the 2025-03 release).
pub const ATTRIBUTION: &str = "出典：独立行政法人福祉医療機構 障害福祉サービス等情報公表システム オープンデータ（2025年3月末時点）";

/// Publisher of the files, for `source_documents[].issuer`.
pub const ISSUER: &str = "独立行政法人福祉医療機構";

/// What the caller decides.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The release the files are from (`2025-03`), cited as every source's date — unless
    /// `releases` names the file's own.
    pub as_of: String,
    /// The release of each file by its name as given (`wamnet-2024-04/csvdownload024.csv` →
    /// `2024-04以前`): files of several releases in one layer, each designation and row cited
    /// with its own file's date.
    pub releases: BTreeMap<String, String>,
    /// Service types imported only for offices in some prefectures (the bundled layer takes
    /// the 地域相談支援 offices of 東京都 and 山口県 only). Rows left out by a restriction are
    /// counted per file ([`report::FileCounts::rows_not_selected`]), not listed one by one.
    pub restrict: Vec<Restriction>,
}

/// Rows of the service types `codes` are imported only when the office is in one of
/// `prefectures`.
///
/// The prefecture is that of the area `locate` gives for 事業所住所（市区町村）: the first two
/// characters of its id (every area id below 全国 starts with its prefecture's JIS code). A row
/// whose municipality `locate` does not know is kept, so that it is reported rather than
/// silently left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restriction {
    /// サービス種別 codes (53 = 地域相談支援（地域移行支援）).
    pub codes: Vec<u8>,
    /// Prefecture ids (`13`, `35`).
    pub prefectures: Vec<String>,
}

impl Restriction {
    /// Whether a row of service type `code` located in area `area` is left out.
    fn excludes(&self, code: Option<u8>, area: Option<&str>) -> bool {
        let (Some(code), Some(area)) = (code, area) else {
            return false;
        };
        let pref = area.get(..2).unwrap_or(area);
        self.codes.contains(&code) && !self.prefectures.iter().any(|p| p == pref)
    }
}

/// The records and the report.
#[derive(Debug, Clone)]
pub struct Import {
    /// One per office, in the order of each office's first row.
    pub records: Vec<OfficeRecord>,
    /// What happened to every line.
    pub report: Report,
}

/// Problems that stop the import (a bad row never does).
#[derive(Debug, thiserror::Error)]
pub enum WamnetError {
    /// The header lacks a column the records need.
    #[error(
        "{file}:1: 列「{header}」がありません — WAM NET（障害福祉サービス等情報公表システム）のファイルではないのでは？"
    )]
    MissingColumn {
        /// File name as given.
        file: String,
        /// The missing header.
        header: &'static str,
    },
    /// Nothing in the file.
    #[error("{file}: 空のファイルです（見出しの行がありません）")]
    Empty {
        /// File name as given.
        file: String,
    },
    /// The CSV reader failed.
    #[error("{file}:{line}: {source}")]
    Csv {
        /// File name as given.
        file: String,
        /// Line where reading stopped.
        line: u64,
        /// The reader's error.
        #[source]
        source: csv::Error,
    },
    /// `as_of` is not a date.
    #[error("--as-of「{0}」は日付ではありません（YYYY-MM の形で）")]
    BadAsOf(String),
    /// One service type in files of two releases: which rows are current is not guessed.
    #[error(
        "サービス種別「{service_type}」が二つの公開時点のファイルにあります: {older}（{older_as_of}）と {newer}（{newer_as_of}） — 新しい方だけを指定してください"
    )]
    TwoReleases {
        /// サービス種別 as written.
        service_type: String,
        /// The older file and its release.
        older: String,
        older_as_of: String,
        /// The newer file and its release.
        newer: String,
        newer_as_of: String,
    },
}

impl ImportOptions {
    /// The release of the file `name`.
    pub fn as_of_of<'a>(&'a self, name: &str) -> &'a str {
        self.releases.get(name).unwrap_or(&self.as_of)
    }
}

/// A row that made it, with its file.
struct Kept {
    file: usize,
    row: row::Row,
}

/// Imports WAM NET files given as `(name, bytes)`; `locate` maps 事業所住所（市区町村）
/// (「山口県大島郡周防大島町」) to an area id.
pub fn import(
    files: &[(&str, &[u8])],
    opts: &ImportOptions,
    locate: &dyn Fn(&str) -> Option<String>,
) -> Result<Import, WamnetError> {
    let mut records = Vec::new();
    let report = import_each(files, opts, locate, &mut |r| records.push(r))?;
    Ok(Import { records, report })
}

/// [`import`] without holding the records: each is handed to `each` as soon as it is built
/// from its rows (the rows are all read first: an office's rows may be in any file). Nothing
/// is handed on when the import fails.
pub fn import_each(
    files: &[(&str, &[u8])],
    opts: &ImportOptions,
    locate: &dyn Fn(&str) -> Option<String>,
    each: &mut dyn FnMut(OfficeRecord),
) -> Result<Report, WamnetError> {
    for d in std::iter::once(&opts.as_of).chain(opts.releases.values()) {
        if !crate::directory::validate::is_date(d) {
            return Err(WamnetError::BadAsOf(d.clone()));
        }
    }
    // Newest release first, so that an office's first row — whose name, phone, address and
    // hours the record takes — is its most recent.
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by(|&a, &b| {
        let release = |i: usize| date_order(opts.as_of_of(files[i].0));
        release(b).cmp(&release(a)).then(files[a].0.cmp(files[b].0))
    });
    let names: Vec<&str> = order.iter().map(|&i| files[i].0).collect();
    let mut report = Report::default();
    let mut kept = Vec::new();
    let located: std::cell::RefCell<HashMap<String, Option<String>>> = Default::default();
    let selected = |r: &row::Row| -> bool {
        if opts.restrict.is_empty() {
            return true;
        }
        let code = r
            .service_type
            .as_deref()
            .and_then(mapping::lookup)
            .map(|t| t.code);
        let muni = r.municipality.clone().unwrap_or_default();
        let area = located
            .borrow_mut()
            .entry(muni)
            .or_insert_with_key(|m| locate(m))
            .clone();
        !opts
            .restrict
            .iter()
            .any(|x| x.excludes(code, area.as_deref()))
    };
    for (fi, &i) in order.iter().enumerate() {
        read_file(
            fi,
            files[i].0,
            files[i].1,
            &selected,
            &mut kept,
            &mut report,
        )?;
    }
    let as_of: Vec<&str> = names.iter().map(|n| opts.as_of_of(n)).collect();
    one_release_per_type(&names, &as_of, &kept)?;
    let records = assemble(&names, &as_of, &kept, locate, &mut report, each);
    report.records = records;
    report.rows_merged = kept.len() - records;
    report.entries.sort_by(|a, b| {
        let fa = names.iter().position(|n| *n == a.file);
        let fb = names.iter().position(|n| *n == b.file);
        (fa, a.line, a.severity).cmp(&(fb, b.line, b.severity))
    });
    Ok(report)
}

/// Decodes and reads one file, appending its rows and report entries.
fn read_file(
    fi: usize,
    name: &str,
    bytes: &[u8],
    selected: &dyn Fn(&row::Row) -> bool,
    kept: &mut Vec<Kept>,
    report: &mut Report,
) -> Result<(), WamnetError> {
    let decoded = decode::decode(bytes);
    if decoded.text.trim().is_empty() {
        return Err(WamnetError::Empty { file: name.into() });
    }
    let csv_err = |line: u64, source| WamnetError::Csv {
        file: name.into(),
        line,
        source,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(decoded.text.as_bytes());
    let header = rdr.headers().map_err(|e| csv_err(1, e))?.clone();
    let cols = row::Columns::find(&header).map_err(|header| WamnetError::MissingColumn {
        file: name.into(),
        header,
    })?;
    let mut counts = report::FileCounts {
        file: name.into(),
        encoding: decoded.encoding.clone(),
        ..Default::default()
    };
    let entry = |line, office_number, severity, about: &str, reason: String| Entry {
        file: name.into(),
        line,
        office_number,
        severity,
        about: about.into(),
        reason,
    };
    if decoded.malformed > 0 {
        let why = format!(
            "UTF-8 でも Shift_JIS でもないバイト列が {}か所あります（� と表示します）",
            decoded.malformed
        );
        report
            .entries
            .push(entry(0, None, Severity::Note, "file", why));
    }
    let mut rec = csv::StringRecord::new();
    let mut lines = crate::import::lines::LineStarts::new(&decoded.text);
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_err(e.position().map_or(0, |p| p.line()), e)),
        }
        let line = lines.line_at(
            rec.position()
                .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX)),
        );
        counts.rows_read += 1;
        match row::parse(&cols, &rec, line) {
            Err(p) => {
                counts.rows_skipped += 1;
                report
                    .entries
                    .push(entry(p.line, None, Severity::RowSkipped, "row", p.reason));
            }
            Ok(parsed) if !selected(&parsed.row) => counts.rows_not_selected += 1,
            Ok(parsed) => {
                counts.rows_in_records += 1;
                note_cells(&parsed, name, line, report);
                kept.push(Kept {
                    file: fi,
                    row: parsed.row,
                });
            }
        }
    }
    report.files.push(counts);
    Ok(())
}

/// Reports what a kept row lost or had mended: dropped cells, a 事業所番号 whose leading zeros
/// were restored, a service type the mapping does not know.
fn note_cells(parsed: &row::Parsed, name: &str, line: u64, report: &mut Report) {
    let entry = |line, office_number, severity, about: &str, reason: String| Entry {
        file: name.into(),
        line,
        office_number,
        severity,
        about: about.into(),
        reason,
    };
    let num = Some(parsed.row.office_number.clone());
    for d in &parsed.dropped {
        report.entries.push(entry(
            line,
            num.clone(),
            Severity::CellDropped,
            d.column,
            d.reason.clone(),
        ));
    }
    if parsed.padded_number {
        let why = "先頭の 0 を補いました（Excel で数値として読まれ、消えていました）".to_string();
        report
            .entries
            .push(entry(line, num.clone(), Severity::Note, "事業所番号", why));
    }
    service_type_note(&parsed.row, report, |why| {
        entry(line, num.clone(), Severity::Note, "サービス種別", why)
    });
}

/// Counts the row's service type and notes it when the mapping table does not know it.
fn service_type_note(row: &row::Row, report: &mut Report, entry: impl Fn(String) -> Entry) {
    let label = row.service_type.clone().unwrap_or_default();
    *report.service_types.entry(label.clone()).or_insert(0) += 1;
    if mapping::lookup(&label).is_none() {
        let why = if label.is_empty() {
            "空です。ニーズのない施設として取り込みました".to_string()
        } else {
            format!("「{label}」は知らない種別です。ニーズのない施設として取り込みました")
        };
        report.entries.push(entry(why));
    }
}

/// Refuses rows of one service type from files of two releases: an office in the older file
/// only may have closed, one in both may have moved — what changed between releases is for the
/// clerk to be told, not merged silently.
fn one_release_per_type(names: &[&str], as_of: &[&str], kept: &[Kept]) -> Result<(), WamnetError> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for k in kept {
        let label = k.row.service_type.as_deref().unwrap_or_default();
        let first = *seen.entry(label).or_insert(k.file);
        if as_of[first] != as_of[k.file] {
            let (older, newer) = if date_order(as_of[first]) <= date_order(as_of[k.file]) {
                (first, k.file)
            } else {
                (k.file, first)
            };
            return Err(WamnetError::TwoReleases {
                service_type: label.to_string(),
                older: names[older].to_string(),
                older_as_of: as_of[older].to_string(),
                newer: names[newer].to_string(),
                newer_as_of: as_of[newer].to_string(),
            });
        }
    }
    Ok(())
}

/// Groups the rows into offices and builds the records with ids, locations and notes, each
/// handed to `each` as it is built; returns how many.
fn assemble(
    names: &[&str],
    as_of: &[&str],
    kept: &[Kept],
    locate: &dyn Fn(&str) -> Option<String>,
    report: &mut Report,
    each: &mut dyn FnMut(OfficeRecord),
) -> usize {
    let rows: Vec<&row::Row> = kept.iter().map(|k| &k.row).collect();
    let groups = merge::group(&rows);
    report.shared_numbers = shared_numbers(&groups, kept);
    let mut ids: BTreeSet<String> = BTreeSet::new();
    let mut located: HashMap<String, Option<String>> = HashMap::new();
    for g in &groups {
        let sourced: Vec<record::Sourced<'_>> = g
            .iter()
            .map(|&i| record::Sourced {
                file: names[kept[i].file],
                as_of: as_of[kept[i].file],
                row: &kept[i].row,
            })
            .collect();
        let first = sourced[0].row;
        let smallest = g
            .iter()
            .map(|&i| kept[i].row.office_number.as_str())
            .min()
            .unwrap_or_default();
        let id = unique_id(&mut ids, &format!("wam-{smallest}"));
        let muni = first.municipality.clone().unwrap_or_default();
        let area = located
            .entry(muni.clone())
            .or_insert_with(|| locate(&muni))
            .clone();
        let rec = record::build(id, &sourced, area);
        notes_for(&rec, &sourced, report);
        each(rec);
    }
    groups.len()
}

fn unique_id(ids: &mut BTreeSet<String>, base: &str) -> String {
    let mut id = base.to_string();
    let mut n = 2;
    while ids.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    ids.insert(id.clone());
    id
}

/// Report notes about a finished record: every row merged into it and why, unresolved
/// municipality, rows that disagree.
fn notes_for(rec: &OfficeRecord, rows: &[record::Sourced<'_>], report: &mut Report) {
    let first = &rows[0];
    for s in &rows[1..] {
        report.entries.push(Entry {
            file: s.file.into(),
            line: s.row.line,
            office_number: Some(s.row.office_number.clone()),
            severity: Severity::Note,
            about: "row".into(),
            reason: format!(
                "{}:{} の行と同じ事業所（同じ市区町村で{}）として記録 {} にまとめました",
                first.file,
                first.row.line,
                merge::shared(first.row, s.row).join("・"),
                rec.id
            ),
        });
    }
    let note = |about: &str, reason: String| Entry {
        file: first.file.into(),
        line: first.row.line,
        office_number: Some(first.row.office_number.clone()),
        severity: Severity::Note,
        about: about.into(),
        reason: format!("{reason} — 記録 {}", rec.id),
    };
    if rec.located_in.is_none() {
        let m = rec.municipality.as_deref().unwrap_or("（空）");
        report.entries.push(note(
            "事業所住所（市区町村）",
            format!("「{m}」は地域の一覧にありません。located_in は空のままです"),
        ));
    }
    let c = &rec.contact;
    for (column, kept, others) in [
        ("事業所電話番号", &c.phone, &c.other_phones),
        ("事業所住所（番地以降）", &c.address, &c.other_addresses),
    ] {
        if !others.is_empty() {
            let all = std::iter::once(kept.clone().unwrap_or_default())
                .chain(others.iter().cloned())
                .collect::<Vec<_>>();
            let why = format!("同じ事業所の行で値が違います: {}", all.join(" / "));
            report.entries.push(note(column, why));
        }
    }
}

/// How many offices (groups of rows) have a 事業所番号 that another office has too.
fn shared_numbers(groups: &[Vec<usize>], kept: &[Kept]) -> usize {
    let numbers = |g: &Vec<usize>| -> BTreeSet<&str> {
        g.iter()
            .map(|&i| kept[i].row.office_number.as_str())
            .collect()
    };
    let mut count: HashMap<&str, usize> = HashMap::new();
    for g in groups {
        for n in numbers(g) {
            *count.entry(n).or_insert(0) += 1;
        }
    }
    groups
        .iter()
        .filter(|g| numbers(g).iter().any(|n| count[n] > 1))
        .count()
}

/// `source_documents[]` entries for the imported files, each `(name, release)`.
pub fn source_documents(files: &[(&str, &str)]) -> Vec<SourceDocument> {
    files
        .iter()
        .map(|&(f, as_of)| SourceDocument {
            file: f.to_string(),
            issuer: ISSUER.into(),
            title: format!(
                "障害福祉サービス等情報公表システム オープンデータ {f}（{}）",
                layer::attribution(as_of)
            ),
            date: as_of.into(),
        })
        .collect()
}

/// A reference `locate` from a small table of (市区町村 as written, area id), for tests and as
/// the shape the gazetteer-backed resolver follows: the cell is compared after NFKC with
/// whitespace removed.
#[derive(Debug, Clone, Default)]
pub struct TableLocator {
    map: HashMap<String, String>,
}

impl TableLocator {
    /// From `(「東京都品川区」, "13109")` pairs.
    pub fn new(pairs: &[(&str, &str)]) -> TableLocator {
        TableLocator {
            map: pairs
                .iter()
                .map(|(n, id)| (Self::key(n), (*id).to_string()))
                .collect(),
        }
    }

    fn key(s: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        s.nfkc().filter(|c| !c.is_whitespace()).collect()
    }

    /// The area id of a 事業所住所（市区町村） cell.
    pub fn locate(&self, municipality: &str) -> Option<String> {
        self.map.get(&Self::key(municipality)).cloned()
    }
}
