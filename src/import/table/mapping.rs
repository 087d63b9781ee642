//! Which column feeds which field: the mapping file (`--map MAP.toml`), or a guess from the
//! headers that is written out as one for the maintainer to edit.
//!
//! ```toml
//! sheet = "一覧"          # .xlsx only; the first sheet by default
//! header_row = 2          # the header's row (sheet row or CSV line); found when left out
//!
//! [columns]               # field = header as written, or a column letter ("E")
//! name = "事業所名"
//! area = "市区町村"
//! phone = "電話番号"
//!
//! [source]                # the document every record cites
//! issuer = "〇〇市 障害福祉課"
//! title = "医療的ケア児の支援先一覧"
//! date = "2025-04"
//! ```
//!
//! **Recognised headers** (compared after NFKC, without spaces, brackets and 「・」, ASCII
//! lowercased), one table ([`FIELDS`]) for both the guess and the help:
//!
//! | field | headers |
//! |---|---|
//! | name | 名称, 事業所名, 事業所の名称, 施設名, 団体名, 名前, サービス名, 窓口名 |
//! | kana | よみ, よみがな, ふりがな, フリガナ, カナ, 読み, 事業所名カナ, 名称カナ |
//! | kind | サービス種別, 種別, 種類, 事業種別, 区分 |
//! | … | see [`FIELDS`] |
//!
//! **Finding the header**: of the first [`HEADER_SCAN_ROWS`] non-blank rows, the one where the
//! most cells are recognised, a `name` column among them; a title row above it (often a
//! merged cell, which holds its text in its first cell only) recognises at most one.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::grid::{Grid, column_letters};

/// A field a column can feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// Record id (ASCII).
    Id,
    /// 名称.
    Name,
    /// よみ.
    Kana,
    /// サービス種別: a WAM NET service type, a kind, or a need.
    Kind,
    /// 都道府県, to tell 府中市 from 府中市.
    Prefecture,
    /// 市区町村 by name or code.
    Area,
    /// Needs by label or alias.
    Needs,
    /// Care types by label or alias.
    CareTypes,
    /// 電話番号.
    Phone,
    /// FAX.
    Fax,
    /// 住所.
    Address,
    /// URL.
    Url,
    /// 営業時間.
    Hours,
    /// 対象.
    Eligibility,
    /// 定員.
    Capacity,
    /// 備考.
    Notes,
    /// 運営法人.
    Provider,
    /// 出典 of the row.
    Source,
}

/// Every field: its key in the mapping file, its Japanese label, the headers it is guessed
/// from.
pub const FIELDS: &[(Field, &str, &str, &[&str])] = &[
    (Field::Id, "id", "ID", &["id", "記録id"]),
    (
        Field::Name,
        "name",
        "名称",
        &[
            "名称",
            "事業所名",
            "事業所の名称",
            "事業所名称",
            "施設名",
            "施設名称",
            "団体名",
            "名前",
            "サービス名",
            "窓口名",
        ],
    ),
    (
        Field::Kana,
        "kana",
        "よみ",
        &[
            "よみ",
            "よみがな",
            "ふりがな",
            "フリガナ",
            "カナ",
            "読み",
            "読みがな",
            "事業所名カナ",
            "事業所名フリガナ",
            "名称カナ",
            "名称よみ",
        ],
    ),
    (
        Field::Kind,
        "kind",
        "種別",
        &[
            "サービス種別",
            "種別",
            "種類",
            "事業種別",
            "サービスの種類",
            "区分",
        ],
    ),
    (
        Field::Prefecture,
        "prefecture",
        "都道府県",
        &["都道府県", "都道府県名"],
    ),
    (
        Field::Area,
        "area",
        "市区町村",
        &[
            "市区町村",
            "市町村",
            "市区町村名",
            "市町村名",
            "所在市区町村",
            "所在地市区町村",
            "自治体",
            "自治体名",
            "地域",
            "市区町村コード",
            "地域コード",
            "団体コード",
        ],
    ),
    (
        Field::Needs,
        "needs",
        "ニーズ",
        &["ニーズ", "対応ニーズ", "支援内容", "支援の種類"],
    ),
    (
        Field::CareTypes,
        "care_types",
        "医療的ケア",
        &[
            "医療的ケア",
            "対応可能な医療的ケア",
            "対応できる医療的ケア",
            "医療的ケアの種類",
            "ケアの種類",
            "対応ケア",
        ],
    ),
    (
        Field::Phone,
        "phone",
        "電話番号",
        &[
            "電話番号",
            "電話",
            "tel",
            "tel番号",
            "連絡先電話番号",
            "代表電話",
        ],
    ),
    (
        Field::Fax,
        "fax",
        "FAX",
        &["fax", "fax番号", "ファックス", "ファクス", "ファックス番号"],
    ),
    (
        Field::Address,
        "address",
        "住所",
        &["住所", "所在地", "事業所住所", "所在地住所", "事業所所在地"],
    ),
    (
        Field::Url,
        "url",
        "URL",
        &[
            "url",
            "ホームページ",
            "hp",
            "ウェブサイト",
            "webサイト",
            "サイト",
        ],
    ),
    (
        Field::Hours,
        "hours",
        "営業時間",
        &["営業時間", "開所時間", "受付時間", "利用時間", "開館時間"],
    ),
    (
        Field::Eligibility,
        "eligibility",
        "対象",
        &[
            "対象",
            "対象者",
            "利用対象",
            "対象年齢",
            "利用条件",
            "対象児",
        ],
    ),
    (Field::Capacity, "capacity", "定員", &["定員", "利用定員"]),
    (
        Field::Notes,
        "notes",
        "備考",
        &["備考", "特記事項", "説明", "内容", "概要", "事業内容"],
    ),
    (
        Field::Provider,
        "provider",
        "運営法人",
        &[
            "法人名",
            "運営法人",
            "運営主体",
            "事業者名",
            "設置者",
            "法人の名称",
        ],
    ),
    (Field::Source, "source", "出典", &["出典", "情報源"]),
];

/// Non-blank rows searched for the header.
pub const HEADER_SCAN_ROWS: usize = 30;

impl Field {
    /// Its key in the mapping file.
    pub fn key(self) -> &'static str {
        FIELDS.iter().find(|f| f.0 == self).map_or("", |f| f.1)
    }

    /// Its Japanese label, for messages.
    pub fn label(self) -> &'static str {
        FIELDS.iter().find(|f| f.0 == self).map_or("", |f| f.2)
    }

    fn from_key(key: &str) -> Option<Field> {
        FIELDS.iter().find(|f| f.1 == key).map(|f| f.0)
    }
}

/// A header (or header-like text) as compared.
pub fn header_key(s: &str) -> String {
    s.nfkc()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(c, '(' | ')' | '[' | ']' | '【' | '】' | '・' | '*' | '※')
        })
        .collect::<String>()
        .to_lowercase()
}

fn field_of_header(cell: &str) -> Option<Field> {
    let k = header_key(cell);
    if k.is_empty() {
        return None;
    }
    FIELDS
        .iter()
        .find(|(_, _, _, heads)| heads.iter().any(|h| header_key(h) == k))
        .map(|f| f.0)
}

/// The mapping file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapFile {
    /// The sheet of an .xlsx.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The header's row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_row: Option<u64>,
    /// Field key → header as written or column letter.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// The document the records cite.
    #[serde(default)]
    pub source: SourceInfo,
}

/// `[source]` of the mapping file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceInfo {
    /// Who made the list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// Its title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Its date (`YYYY-MM-DD`, `YYYY-MM`, `YYYY`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// The columns in use: the header row and field → column index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    /// Index in [`Grid::rows`] of the header.
    pub header_index: usize,
    /// Field → column index.
    pub of: BTreeMap<Field, usize>,
    /// Headers of the columns, by index.
    pub headers: Vec<String>,
}

impl Columns {
    /// The header text of a field's column (or its letter when the header is blank).
    pub fn header_of(&self, field: Field) -> String {
        let Some(&c) = self.of.get(&field) else {
            return field.label().to_string();
        };
        match self.headers.get(c).map(|h| h.trim()) {
            Some(h) if !h.is_empty() => h.to_string(),
            _ => column_letters(c),
        }
    }

    /// The mapping file that gives these columns (for the maintainer to edit).
    pub fn to_map(&self, grid: &Grid, source: SourceInfo) -> MapFile {
        MapFile {
            sheet: grid.sheet.clone(),
            header_row: grid.rows.get(self.header_index).map(|r| r.number),
            columns: self
                .of
                .iter()
                .map(|(f, &c)| {
                    let h = self.headers.get(c).map(|h| h.trim()).unwrap_or("");
                    let unique = self.headers.iter().filter(|x| x.trim() == h).count() == 1;
                    let v = if !h.is_empty() && unique {
                        h.to_string()
                    } else {
                        column_letters(c)
                    };
                    (f.key().to_string(), v)
                })
                .collect(),
            source,
        }
    }
}

/// Why no columns could be settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MapProblem {
    /// No row looks like a header with a name column.
    NoHeader {
        /// What the first rows hold, to show.
        seen: Vec<String>,
    },
    /// The mapping file names a field that does not exist.
    UnknownField(String),
    /// The mapping file names a column the header does not have.
    NoColumn {
        /// The field.
        field: String,
        /// The header or letter.
        column: String,
        /// The header's cells.
        headers: Vec<String>,
    },
    /// `header_row` is not a row with text.
    NoHeaderRow(u64),
    /// No `name` column.
    NoName,
}

impl std::fmt::Display for MapProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MapProblem::NoHeader { seen } => write!(
                f,
                "見出しの行が見つかりません（名称・事業所名などの列が要ります）。最初の行: {} — --map で列を指定してください",
                seen.join(" / ")
            ),
            MapProblem::UnknownField(k) => {
                let keys: Vec<&str> = FIELDS.iter().map(|f| f.1).collect();
                write!(
                    f,
                    "対応表の [columns] に知らない項目「{k}」（使えるのは {}）",
                    keys.join(", ")
                )
            }
            MapProblem::NoColumn {
                field,
                column,
                headers,
            } => write!(
                f,
                "対応表の {field} = 「{column}」の列が見出しにありません（見出し: {}）",
                headers.join(", ")
            ),
            MapProblem::NoHeaderRow(n) => {
                write!(f, "対応表の header_row = {n} の行に文字がありません")
            }
            MapProblem::NoName => write!(f, "名称の列（name）がありません"),
        }
    }
}

/// Recognised fields of one row's cells (each field at its first column).
fn recognise(cells: &[String]) -> BTreeMap<Field, usize> {
    let mut of = BTreeMap::new();
    for (i, c) in cells.iter().enumerate() {
        if let Some(f) = field_of_header(c) {
            of.entry(f).or_insert(i);
        }
    }
    of
}

/// Guesses the header row and the columns.
pub fn guess(grid: &Grid) -> Result<Columns, MapProblem> {
    let mut best: Option<(usize, BTreeMap<Field, usize>)> = None;
    for (i, row) in grid.rows.iter().take(HEADER_SCAN_ROWS).enumerate() {
        let of = recognise(&row.cells);
        if !of.contains_key(&Field::Name) {
            continue;
        }
        if best.as_ref().is_none_or(|(_, b)| of.len() > b.len()) {
            best = Some((i, of));
        }
    }
    match best {
        Some((header_index, of)) => Ok(Columns {
            header_index,
            of,
            headers: grid.rows[header_index].cells.clone(),
        }),
        None => Err(MapProblem::NoHeader {
            seen: grid
                .rows
                .iter()
                .take(3)
                .map(|r| r.cells.join(","))
                .collect(),
        }),
    }
}

/// The columns a mapping file gives.
pub fn apply(grid: &Grid, map: &MapFile) -> Result<Columns, MapProblem> {
    let mut wanted: Vec<(Field, &str)> = Vec::new();
    for (k, v) in &map.columns {
        let f = Field::from_key(k).ok_or_else(|| MapProblem::UnknownField(k.clone()))?;
        wanted.push((f, v.as_str()));
    }
    if !wanted.iter().any(|(f, _)| *f == Field::Name) {
        return Err(MapProblem::NoName);
    }
    let find_in = |cells: &[String], column: &str| -> Option<usize> {
        let k = header_key(column);
        cells
            .iter()
            .position(|c| !k.is_empty() && header_key(c) == k)
            .or_else(|| letter_index(column))
    };
    let header_index = match map.header_row {
        Some(n) => grid
            .rows
            .iter()
            .position(|r| r.number == n)
            .ok_or(MapProblem::NoHeaderRow(n))?,
        None => {
            let score = |cells: &[String]| {
                wanted
                    .iter()
                    .filter(|(_, col)| {
                        let k = header_key(col);
                        cells.iter().any(|c| header_key(c) == k)
                    })
                    .count()
            };
            let mut best = (0, 0);
            for (i, r) in grid.rows.iter().take(HEADER_SCAN_ROWS).enumerate() {
                let s = score(&r.cells);
                if s > best.1 {
                    best = (i, s);
                }
            }
            best.0
        }
    };
    let headers = grid
        .rows
        .get(header_index)
        .map(|r| r.cells.clone())
        .unwrap_or_default();
    let mut of = BTreeMap::new();
    for (f, col) in wanted {
        let i = find_in(&headers, col).ok_or_else(|| MapProblem::NoColumn {
            field: f.key().into(),
            column: col.into(),
            headers: headers.clone(),
        })?;
        of.insert(f, i);
    }
    Ok(Columns {
        header_index,
        of,
        headers,
    })
}

/// `E` → 4; not a letter form → `None`.
fn letter_index(s: &str) -> Option<usize> {
    let s = s.trim();
    if s.is_empty() || s.len() > 3 || !s.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let mut n = 0usize;
    for b in s.bytes() {
        n = n * 26 + usize::from(b - b'A') + 1;
    }
    Some(n - 1)
}

/// The mapping file as written for the maintainer: a comment saying what it is, then TOML.
pub fn render(map: &MapFile) -> String {
    let mut body = toml::to_string(map).unwrap_or_default();
    // `[source]` is the last table: what it lacks is shown there as a commented example.
    let s = &map.source;
    for (missing, example) in [
        (s.issuer.is_none(), "# issuer = \"〇〇市 障害福祉課\"\n"),
        (
            s.title.is_none(),
            "# title = \"医療的ケア児の支援先一覧\"\n",
        ),
        (s.date.is_none(), "# date = \"2025-04-01\"\n"),
    ] {
        if missing {
            body.push_str(example);
        }
    }
    let keys: Vec<String> = FIELDS
        .iter()
        .map(|(_, k, label, _)| format!("{k}（{label}）"))
        .collect();
    format!(
        "# ikenavi import table の列の対応。直して --map で渡せます。\n\
         # [columns] の項目: {}\n\
         # 値は見出しの文字そのまま、または列の文字（\"E\"）。\n\
         # [source] は記録の出典になる資料（issuer 作成者、title 題名、date 日付 YYYY-MM-DD）。\n\n{body}",
        keys.join("、")
    )
}

#[cfg(test)]
mod tests {
    use super::super::grid::GridRow;
    use super::*;

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid {
            sheet: Some("一覧".into()),
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, r)| GridRow {
                    number: i as u64 + 1,
                    cells: r.iter().map(|s| s.to_string()).collect(),
                })
                .collect(),
            blank_rows: 0,
            encoding: "xlsx".into(),
            malformed: 0,
            formulas_without_value: Default::default(),
        }
    }

    #[test]
    fn header_found_below_a_title() {
        let g = grid(&[
            &["医療的ケア児 支援先一覧（令和7年4月）"],
            &[
                "No.",
                "事業所名",
                "フリガナ",
                "種別",
                "市区町村",
                "ＴＥＬ",
                "住 所",
                "定員",
            ],
            &[
                "1",
                "あおば",
                "アオバ",
                "短期入所",
                "大阪市",
                "06-1234-5678",
                "",
                "5",
            ],
        ]);
        let c = guess(&g).unwrap();
        assert_eq!(c.header_index, 1);
        let got: Vec<(Field, usize)> = c.of.iter().map(|(f, i)| (*f, *i)).collect();
        assert_eq!(
            got,
            vec![
                (Field::Name, 1),
                (Field::Kana, 2),
                (Field::Kind, 3),
                (Field::Area, 4),
                (Field::Phone, 5),
                (Field::Address, 6),
                (Field::Capacity, 7),
            ]
        );
        let map = c.to_map(&g, SourceInfo::default());
        assert_eq!(map.header_row, Some(2));
        assert_eq!(map.columns["phone"], "ＴＥＬ");
        // The written guess, read back, gives the same columns.
        let text = render(&map);
        let back: MapFile = toml::from_str(&text).unwrap();
        assert_eq!(apply(&g, &back).unwrap(), c);
    }

    #[test]
    fn no_header_and_bad_maps_are_explained() {
        let g = grid(&[&["a", "b"], &["c", "d"]]);
        assert!(
            guess(&g)
                .unwrap_err()
                .to_string()
                .contains("見出しの行が見つかりません")
        );
        let mut map = MapFile::default();
        map.columns.insert("name".into(), "名称".into());
        let e = apply(&g, &map).unwrap_err().to_string();
        assert!(e.contains("name = 「名称」の列が見出しにありません"), "{e}");
        map.columns.insert("nmae".into(), "a".into());
        assert!(
            apply(&g, &map)
                .unwrap_err()
                .to_string()
                .contains("「nmae」")
        );
        let mut map = MapFile::default();
        map.columns.insert("name".into(), "B".into());
        assert_eq!(apply(&g, &map).unwrap().of[&Field::Name], 1);
    }
}
