//! The national gazetteer (`data/gazetteer.json`), generated from public files committed under
//! `data/sources/` by `ikenavi import gazetteer`. This comment is the generator's specification.
//!
//! # Sources (paths relative to the sources folder)
//!
//! | file | gives |
//! |---|---|
//! | `local-gov-code-jp/prefectures.json`, `cities.json`, `wards.json` | which areas exist, their names, readings and 6-digit codes (総務省「全国地方公共団体コード」 as of 2024-01-01, MIT) |
//! | `localgovjp/localgovjp-utf8.csv`, `prefjp-utf8.csv` | the coordinates of each office and its official website, nothing else (CC0) |
//! | `wamnet-*/csvdownload*.csv` | the 郡 of towns and villages, from the column `事業所住所（市区町村）` (山口県大島郡周防大島町), nothing else (WAM NET open data, attribution in each folder's README) |
//! | `kurashi-shien-navi/offices.csv`, `municipalities.csv`, `sources.csv` | each municipality's main window (代表窓口): name, main phone, address, hours, closed days, site, the row's source and check date (くらし支援ナビ, CC BY 4.0; the rules: `add_main_windows`) |
//! | `areas-curated.json` | the 全国 root, the regions between a prefecture and its municipalities with their members, and aliases and notes no source gives (hand-maintained) |
//!
//! The code list is the authority on which areas exist: 47 都道府県, 1,747 市区町村 (with the 6
//! 北方領土 villages) and 171 政令市の区. Every code must be 6 ASCII digits whose last digit is
//! the check digit of the first five; every reading must be hiragana.
//!
//! # Areas
//!
//! | level | id | name / kana | parent |
//! |---|---|---|---|
//! | country | `jp` (curated) | curated | none |
//! | prefecture | the 2-digit code (`13`) | code list | `jp` |
//! | region | curated slug (`13-kubu`) | curated | its prefecture (curated) |
//! | municipality | the 5-digit code (`13109`; a 政令市 too: `27100`) | code list (`品川区`) | the region that lists it as a member, else its prefecture |
//! | ward | the 5-digit code (`27127`) | city + ward (`大阪市北区`, `おおさかしきたく`) | its city (`27100`) |
//!
//! A town or village whose 郡 the WAM NET addresses give gets the alias `郡＋名前`
//! (大島郡周防大島町) — when its prefecture has one municipality of that name and every address
//! gives the same 郡 (675 of the 932 towns and villages; the code list has no 郡). The resolver
//! shows it to tell areas of one name apart and accepts it back (`directory::resolve`).
//!
//! A ward's aliases are its bare name and reading (`北区`, `きたく`), so `大阪市北区` is unique
//! while `北区` stays ambiguous among 東京都北区, 大阪市北区, 札幌市北区 ….
//! `code` is the 6-digit code; `location` and `url` come from the localgovjp row with the same
//! code (`lgcode`; prefjp writes prefectures' codes without the leading zero, `10006`, and is
//! padded). Curated `extras` add aliases (after the derived ones, without duplicates) and a note
//! to any area by id. Stems such as `品川` for `品川区` are not generated: the resolver derives
//! them (`directory::resolve`).
//!
//! # Order and format
//!
//! `jp`; the prefectures by code; the regions in the curated file's order; the municipalities
//! by code, each 政令市 followed at once by its wards by code. The file is
//! `{"schema_version": 1, "title", "as_of", "publisher", "areas"}` pretty-printed by serde_json
//! (two-space indent) with a trailing newline, so the same sources give the same bytes.
//!
//! # Rows not used
//!
//! A localgovjp row whose code is not in the code list is not used and is listed in the
//! [`Report`], never dropped silently. In the committed sources that is 7 of the 1,916 rows of
//! `localgovjp-utf8.csv`: 浜松市's wards 中区, 東区, 西区, 南区, 北区, 浜北区 and 天竜区
//! (`221317`…`221376`), abolished on 2024-01-01. Conversely 9 areas have no row and so no
//! location or url: the 6 北方領土 villages and 浜松市's new 中央区, 浜名区 and 天竜区.
//! Any other inconsistency (an unknown member, an id twice, a junk coordinate) is an error that
//! names the file, and the line for a CSV.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::directory::{Area, AreaLevel, GeoPoint};

/// The code list's prefectures.
pub const CODE_PREFECTURES: &str = "local-gov-code-jp/prefectures.json";
/// The code list's municipalities.
pub const CODE_CITIES: &str = "local-gov-code-jp/cities.json";
/// The code list's wards of 政令指定都市.
pub const CODE_WARDS: &str = "local-gov-code-jp/wards.json";
/// Municipal and ward offices: coordinates and websites.
pub const OFFICES: &str = "localgovjp/localgovjp-utf8.csv";
/// Prefectural offices: coordinates and websites.
pub const PREFECTURE_OFFICES: &str = "localgovjp/prefjp-utf8.csv";
/// くらし支援ナビ's windows; rows of category `unknown` are the municipalities' main windows.
pub const WINDOWS: &str = "kurashi-shien-navi/offices.csv";
/// くらし支援ナビ's municipalities: code and `representativePhone`.
pub const WINDOW_MUNICIPALITIES: &str = "kurashi-shien-navi/municipalities.csv";
/// くらし支援ナビ's sources, named by each row's `sourceId`.
pub const WINDOW_SOURCES: &str = "kurashi-shien-navi/sources.csv";
/// The hand-maintained input.
pub const CURATED: &str = "areas-curated.json";

/// The file's title.
pub const TITLE: &str = "全国の地域（都道府県・市区町村・政令指定都市の区）";
/// The code list's date.
pub const AS_OF: &str = "2024-01-01";
/// Attribution of every source.
pub const PUBLISHER: &str = "都道府県・市区町村・政令指定都市の区の名称・読み・コード：総務省「全国地方公共団体コード」\
（令和6年1月1日現在）を nojimage/local-gov-code-jp（MIT License, Copyright (c) 2018 ELASTIC \
Consultants Inc.）が JSON にしたもの。都道府県庁・市区町村役場・区役所の位置と公式サイト：\
code4fukui/localgovjp（CC0、2026年7月更新）。市区町村の代表窓口（名称・代表電話・所在地・\
受付時間・休日・公式サイト）：出典：くらし支援ナビ（運営: JUNKBRANDING）（CC BY 4.0、2026-08-08 時点の\
Yut8853/fukushi-portal。代表窓口の行だけを取り出し、加工して作成）。全国・圏域の区分と一部の別名・注記：\
data/sources/areas-curated.json（手入力、各 note に根拠）。`ikenavi import gazetteer` が \
data/sources/ から生成する（data/sources/README.md）。";

/// What went wrong, with the file (and line of a CSV) that caused it.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    /// A source could not be read (missing, unreadable, not UTF-8).
    #[error("{}: 読めません（{}）", path.display(), crate::fsutil::io_reason(source, crate::fsutil::Access::Read))]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A JSON source does not parse or does not have the expected shape.
    #[error("{}: {source}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// Where in the document, and why.
        #[source]
        source: serde_path_to_error::Error<serde_json::Error>,
    },
    /// A CSV source is malformed or a row is unusable.
    #[error("{}:{line}: {message}", path.display())]
    Row {
        /// The file.
        path: PathBuf,
        /// 1-based line of the row (1 = the header).
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// The sources disagree with each other or with the rules in the module doc.
    #[error("{}: {message}", path.display())]
    Invalid {
        /// The file whose entry is wrong.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The output could not be written.
    #[error("{}: 書けません（{}）", path.display(), crate::fsutil::io_reason(source, crate::fsutil::Access::Write))]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// A source row that was read but not used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoredRow {
    /// The file, relative to the sources folder.
    pub file: &'static str,
    /// 1-based line.
    pub line: u64,
    /// The row's code.
    pub code: String,
    /// The row's name, as written there.
    pub name: String,
}

/// What the generator did not take from the sources.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// localgovjp rows whose code is not in the code list.
    pub ignored_rows: Vec<IgnoredRow>,
    /// Ids of areas with a code but no localgovjp row (no location, no url).
    pub without_office: Vec<String>,
    /// Main-window rows (category `unknown`) not used, each with why.
    pub windows_not_used: Vec<WindowNotUsed>,
    /// Where a main-window row and the municipality list give different phones.
    pub phone_disagreements: Vec<PhoneDisagreement>,
    /// Rows of `offices.csv` of other categories (living-cost windows: not this project's field).
    pub other_windows: usize,
}

/// A main-window row that was read but not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowNotUsed {
    /// `kurashi-shien-navi/offices.csv:N`.
    pub row: String,
    /// The row's name.
    pub name: String,
    /// Why, in Japanese.
    pub reason: String,
}

/// Two phones for one municipality's main line: both are named, the kept one says which.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneDisagreement {
    /// The municipality.
    pub municipality: String,
    /// The window row and its phone.
    pub row: String,
    /// That row's phone.
    pub row_phone: String,
    /// The municipality list's row and its `representativePhone`.
    pub list_row: String,
    /// The list's phone.
    pub list_phone: String,
    /// The phone the area carries (the main-window row's own, where it has one).
    pub kept: Option<String>,
}

/// The generated areas and the report.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    /// Every area, in the documented order.
    pub areas: Vec<Area>,
    /// What was not used.
    pub report: Report,
}

/// The JSON text of `data/gazetteer.json` from the sources folder.
pub fn build(sources: &Path) -> Result<String, GazetteerError> {
    Ok(render(&generate(sources)?.areas))
}

/// Generates the gazetteer and writes it to `out` atomically (temporary file in the same
/// folder, then rename). Returns the report of what was not used.
pub fn write(sources: &Path, out: &Path) -> Result<Gazetteer, GazetteerError> {
    let gazetteer = generate(sources)?;
    crate::fsutil::write_atomic(out, render(&gazetteer.areas).as_bytes()).map_err(|source| {
        GazetteerError::Write {
            path: out.to_path_buf(),
            source,
        }
    })?;
    Ok(gazetteer)
}

/// The file's top level: the keys a directory layer has.
#[derive(Serialize)]
struct LayerFile<'a> {
    schema_version: u32,
    title: &'a str,
    as_of: &'a str,
    publisher: &'a str,
    areas: Vec<AreaView<'a>>,
}

/// An [`Area`] as written to the file: the same keys in the same order, with empty aliases and
/// absent optional fields left out (they read back as their defaults).
#[derive(Serialize)]
struct AreaView<'a> {
    id: &'a str,
    name: &'a str,
    kana: &'a str,
    level: AreaLevel,
    parent: &'a Option<String>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    aliases: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    note: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: &'a Option<GeoPoint>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    main_window: &'a Option<crate::directory::MainWindow>,
}

impl<'a> From<&'a Area> for AreaView<'a> {
    fn from(a: &'a Area) -> Self {
        AreaView {
            id: &a.id,
            name: &a.name,
            kana: &a.kana,
            level: a.level,
            parent: &a.parent,
            aliases: &a.aliases,
            note: &a.note,
            code: &a.code,
            location: &a.location,
            url: &a.url,
            main_window: &a.main_window,
        }
    }
}

/// Pretty JSON with a trailing newline.
pub fn render(areas: &[Area]) -> String {
    let file = LayerFile {
        schema_version: 1,
        title: TITLE,
        as_of: AS_OF,
        publisher: PUBLISHER,
        areas: areas.iter().map(AreaView::from).collect(),
    };
    // Serializing plain strings, numbers and options cannot fail.
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    text
}

/// Reads every source and assembles the areas in the documented order.
pub fn generate(sources: &Path) -> Result<Gazetteer, GazetteerError> {
    let codes = CodeList::read(sources)?;
    let curated: Curated = read_json(sources, CURATED)?;
    let mut offices = read_offices(sources, OFFICES)?;
    let mut prefecture_offices = read_offices(sources, PREFECTURE_OFFICES)?;
    let region_of = curated.region_of(sources, &codes)?;

    let mut areas = vec![curated.country.to_area()];
    for p in &codes.prefectures {
        areas.push(p.to_area());
    }
    areas.extend(curated.regions.iter().map(CuratedRegion::to_area));
    let wards = codes.wards_by_city();
    for c in &codes.cities {
        areas.push(c.to_area(&region_of));
        for w in wards.get(c.code.as_str()).into_iter().flatten() {
            areas.push(w.to_area());
        }
    }

    let mut report = Report::default();
    for area in &mut areas {
        let table = match area.level {
            AreaLevel::Prefecture => &mut prefecture_offices,
            _ => &mut offices,
        };
        attach_office(area, table, &mut report);
    }
    report.ignored_rows.extend(leftovers(OFFICES, offices));
    report
        .ignored_rows
        .extend(leftovers(PREFECTURE_OFFICES, prefecture_offices));
    add_districts(&codes, &read_districts(sources)?, &mut areas);
    add_main_windows(sources, &mut areas, &mut report)?;
    curated.apply_extras(sources, &mut areas)?;
    check_unique(sources, &areas)?;
    Ok(Gazetteer { areas, report })
}

/// Sets `location` and `url` of a coded area from its office row, consuming the row.
fn attach_office(area: &mut Area, table: &mut BTreeMap<String, Office>, report: &mut Report) {
    let Some(code) = &area.code else { return };
    match table.remove(code) {
        Some(office) => {
            area.location = Some(office.location);
            area.url = Some(office.url);
        }
        None => report.without_office.push(area.id.clone()),
    }
}

/// Office rows nobody claimed, for the report.
fn leftovers(file: &'static str, table: BTreeMap<String, Office>) -> Vec<IgnoredRow> {
    let mut rows: Vec<IgnoredRow> = table
        .into_iter()
        .map(|(code, o)| IgnoredRow {
            file,
            line: o.line,
            code,
            name: o.name,
        })
        .collect();
    rows.sort_by_key(|r| r.line);
    rows
}

/// Ids must be unique across generated and curated areas.
fn check_unique(sources: &Path, areas: &[Area]) -> Result<(), GazetteerError> {
    let mut seen = HashSet::new();
    let Some(a) = areas.iter().find(|a| !seen.insert(a.id.as_str())) else {
        return Ok(());
    };
    let file = match a.level {
        AreaLevel::Prefecture => CODE_PREFECTURES,
        AreaLevel::Municipality => CODE_CITIES,
        AreaLevel::Ward => CODE_WARDS,
        AreaLevel::Country | AreaLevel::Region => CURATED,
    };
    Err(invalid(
        sources,
        file,
        format!("area id {:?} is used twice", a.id),
    ))
}

fn invalid(sources: &Path, file: &str, message: String) -> GazetteerError {
    GazetteerError::Invalid {
        path: sources.join(file),
        message,
    }
}

fn read_text(sources: &Path, file: &str) -> Result<String, GazetteerError> {
    let path = sources.join(file);
    std::fs::read_to_string(&path).map_err(|source| GazetteerError::Read { path, source })
}

fn read_json<T: serde::de::DeserializeOwned>(
    sources: &Path,
    file: &str,
) -> Result<T, GazetteerError> {
    let text = read_text(sources, file)?;
    let de = &mut serde_json::Deserializer::from_str(&text);
    let value = serde_path_to_error::deserialize(de).map_err(|source| GazetteerError::Json {
        path: sources.join(file),
        source,
    })?;
    Ok(value)
}

// ---------------------------------------------------------------------------------------------
// The code list

/// One prefecture of `prefectures.json`.
#[derive(Debug, Deserialize)]
struct CodePrefecture {
    code: String,
    name: String,
    kana: String,
}

/// One municipality of `cities.json`.
#[derive(Debug, Deserialize)]
struct CodeCity {
    code: String,
    city_name: String,
    city_kana: String,
}

/// One ward of `wards.json`.
#[derive(Debug, Deserialize)]
struct CodeWard {
    code: String,
    ward_name: String,
    ward_kana: String,
    city_code: String,
    city_name: String,
    city_kana: String,
}

/// The three files of the code list, checked and sorted by code.
struct CodeList {
    prefectures: Vec<CodePrefecture>,
    cities: Vec<CodeCity>,
    wards: Vec<CodeWard>,
}

impl CodeList {
    fn read(sources: &Path) -> Result<CodeList, GazetteerError> {
        let mut prefectures: Vec<CodePrefecture> = read_json(sources, CODE_PREFECTURES)?;
        let mut cities: Vec<CodeCity> = read_json(sources, CODE_CITIES)?;
        let mut wards: Vec<CodeWard> = read_json(sources, CODE_WARDS)?;
        for p in &prefectures {
            check_entry(sources, CODE_PREFECTURES, &p.code, &[&p.name], &[&p.kana])?;
            if &p.code[2..5] != "000" {
                let msg = format!(
                    "prefecture code {:?} is not NN000 and a check digit",
                    p.code
                );
                return Err(invalid(sources, CODE_PREFECTURES, msg));
            }
        }
        let prefecture_ids: HashSet<&str> = prefectures.iter().map(|p| &p.code[..2]).collect();
        for c in &cities {
            check_entry(
                sources,
                CODE_CITIES,
                &c.code,
                &[&c.city_name],
                &[&c.city_kana],
            )?;
            if !prefecture_ids.contains(&c.code[..2]) {
                let msg = format!("{}: no prefecture {}", c.code, &c.code[..2]);
                return Err(invalid(sources, CODE_CITIES, msg));
            }
        }
        let city_codes: HashSet<&str> = cities.iter().map(|c| c.code.as_str()).collect();
        for w in &wards {
            let names = [w.ward_name.as_str(), &w.city_name];
            let kana = [w.ward_kana.as_str(), &w.city_kana];
            check_entry(sources, CODE_WARDS, &w.code, &names, &kana)?;
            if !city_codes.contains(w.city_code.as_str()) {
                let msg = format!("ward {} has unknown city_code {:?}", w.code, w.city_code);
                return Err(invalid(sources, CODE_WARDS, msg));
            }
        }
        prefectures.sort_by(|a, b| a.code.cmp(&b.code));
        cities.sort_by(|a, b| a.code.cmp(&b.code));
        wards.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(CodeList {
            prefectures,
            cities,
            wards,
        })
    }

    fn wards_by_city(&self) -> HashMap<&str, Vec<&CodeWard>> {
        let mut map: HashMap<&str, Vec<&CodeWard>> = HashMap::new();
        for w in &self.wards {
            map.entry(w.city_code.as_str()).or_default().push(w);
        }
        map
    }

    fn city_ids(&self) -> HashSet<&str> {
        self.cities.iter().map(|c| &c.code[..5]).collect()
    }
}

/// A code is 6 digits with a valid check digit; names are non-empty; readings are hiragana.
fn check_entry(
    sources: &Path,
    file: &str,
    code: &str,
    names: &[&str],
    kana: &[&str],
) -> Result<(), GazetteerError> {
    let problem = if !is_valid_code(code) {
        Some(format!(
            "code {code:?} is not 6 digits with a valid check digit"
        ))
    } else if names.iter().any(|n| n.trim().is_empty()) {
        Some(format!("{code}: empty name"))
    } else {
        kana.iter()
            .find(|k| !is_hiragana(k))
            .map(|k| format!("{code}: reading {k:?} is not hiragana"))
    };
    problem.map_or(Ok(()), |message| Err(invalid(sources, file, message)))
}

/// 全国地方公共団体コード: five digits and a check digit, `(11 - Σ dᵢ·(6,5,4,3,2) mod 11) mod 10`.
pub fn is_valid_code(code: &str) -> bool {
    let digits: Vec<u32> = code.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 6 || !code.is_ascii() {
        return false;
    }
    let sum: u32 = digits[..5]
        .iter()
        .zip([6, 5, 4, 3, 2])
        .map(|(d, w)| d * w)
        .sum();
    (11 - sum % 11) % 10 == digits[5]
}

fn is_hiragana(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| matches!(c, 'ぁ'..='ゖ' | 'ー'))
}

fn coded_area(code: &str, id: &str, name: String, kana: String, level: AreaLevel) -> Area {
    Area {
        id: id.to_string(),
        name,
        kana,
        level,
        parent: None,
        aliases: vec![],
        note: None,
        code: Some(code.to_string()),
        location: None,
        url: None,
        main_window: None,
    }
}

impl CodePrefecture {
    fn to_area(&self) -> Area {
        let mut a = coded_area(
            &self.code,
            &self.code[..2],
            self.name.clone(),
            self.kana.clone(),
            AreaLevel::Prefecture,
        );
        a.parent = Some("jp".to_string());
        a
    }
}

impl CodeCity {
    fn to_area(&self, region_of: &HashMap<String, String>) -> Area {
        let id = &self.code[..5];
        let mut a = coded_area(
            &self.code,
            id,
            self.city_name.clone(),
            self.city_kana.clone(),
            AreaLevel::Municipality,
        );
        a.parent = Some(
            region_of
                .get(id)
                .cloned()
                .unwrap_or_else(|| self.code[..2].to_string()),
        );
        a
    }
}

impl CodeWard {
    fn to_area(&self) -> Area {
        let mut a = coded_area(
            &self.code,
            &self.code[..5],
            format!("{}{}", self.city_name, self.ward_name),
            format!("{}{}", self.city_kana, self.ward_kana),
            AreaLevel::Ward,
        );
        a.parent = Some(self.city_code[..5].to_string());
        a.aliases = vec![self.ward_name.clone(), self.ward_kana.clone()];
        a
    }
}

// ---------------------------------------------------------------------------------------------
// 郡 (WAM NET's office addresses)

/// The folders of WAM NET files whose office addresses name the 郡 (`wamnet-YYYY-MM/`).
pub const DISTRICT_FOLDER_PREFIX: &str = "wamnet-";
/// The column of a WAM NET file that writes the office's municipality as an address does.
const DISTRICT_COLUMN: &str = "事業所住所（市区町村）";

/// Every 「都道府県＋郡＋町村」 written in the `事業所住所（市区町村）` column of the WAM NET
/// files under `wamnet-*/` (山口県大島郡周防大島町), as (prefecture, 郡, town) with how often,
/// in a stable order. Files are read in path order; a file that cannot be read is an error.
fn read_districts(
    sources: &Path,
) -> Result<BTreeMap<(String, String, String), u32>, GazetteerError> {
    let mut files: Vec<PathBuf> = Vec::new();
    let entries = std::fs::read_dir(sources).map_err(|source| GazetteerError::Read {
        path: sources.to_path_buf(),
        source,
    })?;
    for dir in entries.flatten().map(|e| e.path()) {
        let is_wam = dir
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(DISTRICT_FOLDER_PREFIX));
        if !is_wam || !dir.is_dir() {
            continue;
        }
        let inner = std::fs::read_dir(&dir).map_err(|source| GazetteerError::Read {
            path: dir.clone(),
            source,
        })?;
        files.extend(
            inner
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "csv")),
        );
    }
    files.sort();
    let mut out = BTreeMap::new();
    for path in files {
        let bytes = std::fs::read(&path).map_err(|source| GazetteerError::Read {
            path: path.clone(),
            source,
        })?;
        let text = crate::import::wamnet::decode::decode(&bytes).text;
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let Some(col) = rdr
            .headers()
            .ok()
            .and_then(|h| h.iter().position(|c| c.trim() == DISTRICT_COLUMN))
        else {
            continue;
        };
        for row in rdr.records().flatten() {
            if let Some(parts) = row.get(col).and_then(split_district) {
                *out.entry(parts).or_insert(0) += 1;
            }
        }
    }
    Ok(out)
}

/// 「山口県大島郡周防大島町」 → (山口県, 大島郡, 周防大島町); `None` for a city or a name without
/// a 郡.
fn split_district(cell: &str) -> Option<(String, String, String)> {
    let cell = cell.trim();
    let pref_end = cell
        .char_indices()
        .take(4)
        .find_map(|(i, c)| matches!(c, '都' | '道' | '府' | '県').then_some(i + c.len_utf8()))?;
    let (pref, rest) = cell.split_at(pref_end);
    let (district, town) = rest.split_once('郡')?;
    let town_ok = town.ends_with('町') || town.ends_with('村');
    (!district.is_empty() && town_ok)
        .then(|| (pref.to_string(), format!("{district}郡"), town.to_string()))
}

/// Adds `郡＋名前` (大島郡周防大島町) as an alias of each town or village the WAM NET addresses
/// name with one 郡, where the prefecture has one municipality of that name (北海道's two
/// 泊村 get none from here) and every address gives the same 郡.
fn add_districts(
    codes: &CodeList,
    districts: &BTreeMap<(String, String, String), u32>,
    areas: &mut [Area],
) {
    let pref_name: HashMap<&str, &str> = codes
        .prefectures
        .iter()
        .map(|p| (&p.code[..2], p.name.as_str()))
        .collect();
    let mut by_name: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, a) in areas.iter().enumerate() {
        if a.level == AreaLevel::Municipality
            && let Some(p) = pref_name.get(&a.id[..2.min(a.id.len())])
        {
            by_name.entry((p, a.name.as_str())).or_default().push(i);
        }
    }
    let mut found: HashMap<usize, Vec<&str>> = HashMap::new();
    for (pref, district, town) in districts.keys() {
        if let Some([one]) = by_name
            .get(&(pref.as_str(), town.as_str()))
            .map(Vec::as_slice)
        {
            let e = found.entry(*one).or_default();
            if !e.contains(&district.as_str()) {
                e.push(district);
            }
        }
    }
    for (i, ds) in found {
        if let [district] = ds.as_slice() {
            let alias = format!("{district}{}", areas[i].name);
            if !areas[i].aliases.contains(&alias) {
                areas[i].aliases.push(alias);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Offices (localgovjp)

/// The columns used from either localgovjp file.
#[derive(Debug, Deserialize)]
struct OfficeRow {
    #[serde(default)]
    pref: String,
    #[serde(default)]
    city: String,
    lat: String,
    lng: String,
    url: String,
    lgcode: String,
}

/// What an office row contributes.
#[derive(Debug)]
struct Office {
    line: u64,
    name: String,
    location: GeoPoint,
    url: String,
}

/// Reads a localgovjp CSV (UTF-8, optional BOM) into a map by 6-digit code.
fn read_offices(sources: &Path, file: &str) -> Result<BTreeMap<String, Office>, GazetteerError> {
    let row_error = |line: u64, message: String| GazetteerError::Row {
        path: sources.join(file),
        line,
        message,
    };
    let mut offices = BTreeMap::new();
    for (line, row) in read_rows::<OfficeRow>(sources, file)? {
        let (code, office) = parse_office(row, line).map_err(|m| row_error(line, m))?;
        if offices.insert(code.clone(), office).is_some() {
            return Err(row_error(line, format!("lgcode {code} appears twice")));
        }
    }
    Ok(offices)
}

/// Checks one row: a 5- or 6-digit code (zero-padded), coordinates in range, an http(s) URL.
fn parse_office(row: OfficeRow, line: u64) -> Result<(String, Office), String> {
    let code = format!("{:0>6}", row.lgcode.trim());
    if !is_valid_code(&code) {
        return Err(format!("lgcode {:?} is not a valid code", row.lgcode));
    }
    let lat = parse_degrees("lat", &row.lat, 90.0)?;
    let lng = parse_degrees("lng", &row.lng, 180.0)?;
    let url = row.url.trim();
    if !(url.starts_with("https://") || url.starts_with("http://")) || url.contains(' ') {
        return Err(format!("url {:?} is not one http(s) address", row.url));
    }
    let name = format!("{} {}", row.pref, row.city).trim().to_string();
    let office = Office {
        line,
        name,
        location: GeoPoint { lat, lng },
        url: url.to_string(),
    };
    Ok((code, office))
}

fn parse_degrees(column: &str, text: &str, limit: f64) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v.abs() <= limit => Ok(v),
        _ => Err(format!("{column} {text:?} is not a number of degrees")),
    }
}

// ---------------------------------------------------------------------------------------------
// The curated input

/// `areas-curated.json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Curated {
    /// What the file is (for people; not used).
    #[serde(rename = "about")]
    _about: String,
    country: CuratedArea,
    regions: Vec<CuratedRegion>,
    #[serde(default)]
    extras: Vec<Extra>,
}

/// The country root.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CuratedArea {
    id: String,
    name: String,
    kana: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    note: Option<String>,
}

/// A region and its member municipalities (5-digit ids).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CuratedRegion {
    id: String,
    name: String,
    kana: String,
    parent: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    note: Option<String>,
    members: Vec<String>,
}

/// Aliases and a note for an area generated from the code list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Extra {
    id: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    note: Option<String>,
}

impl CuratedArea {
    fn to_area(&self) -> Area {
        Area {
            id: self.id.clone(),
            name: self.name.clone(),
            kana: self.kana.clone(),
            level: AreaLevel::Country,
            parent: None,
            aliases: self.aliases.clone(),
            note: self.note.clone(),
            code: None,
            location: None,
            url: None,
            main_window: None,
        }
    }
}

impl CuratedRegion {
    fn to_area(&self) -> Area {
        Area {
            id: self.id.clone(),
            name: self.name.clone(),
            kana: self.kana.clone(),
            level: AreaLevel::Region,
            parent: Some(self.parent.clone()),
            aliases: self.aliases.clone(),
            note: self.note.clone(),
            code: None,
            location: None,
            url: None,
            main_window: None,
        }
    }
}

impl Curated {
    /// Municipality id → region id, checking that each region is in a prefecture, has hiragana
    /// kana, and lists only municipalities of that prefecture, none of them twice.
    fn region_of(
        &self,
        sources: &Path,
        codes: &CodeList,
    ) -> Result<HashMap<String, String>, GazetteerError> {
        let err = |message: String| invalid(sources, CURATED, message);
        let prefectures: HashSet<&str> = codes.prefectures.iter().map(|p| &p.code[..2]).collect();
        let cities = codes.city_ids();
        let mut region_of = HashMap::new();
        for r in &self.regions {
            if !prefectures.contains(r.parent.as_str()) {
                return Err(err(format!(
                    "region {}: unknown prefecture {:?}",
                    r.id, r.parent
                )));
            }
            if !is_hiragana(&r.kana) || r.name.trim().is_empty() {
                return Err(err(format!(
                    "region {}: needs a name and hiragana kana",
                    r.id
                )));
            }
            for m in &r.members {
                if !cities.contains(m.as_str()) || !m.starts_with(r.parent.as_str()) {
                    let msg = format!(
                        "region {}: {m:?} is not a municipality of {}",
                        r.id, r.parent
                    );
                    return Err(err(msg));
                }
                if let Some(other) = region_of.insert(m.clone(), r.id.clone()) {
                    return Err(err(format!("{m} is a member of both {other} and {}", r.id)));
                }
            }
        }
        if !is_hiragana(&self.country.kana) {
            return Err(err(format!("{}: kana must be hiragana", self.country.id)));
        }
        Ok(region_of)
    }

    /// Adds each extra's aliases (skipping ones already there) and note to its area.
    fn apply_extras(&self, sources: &Path, areas: &mut [Area]) -> Result<(), GazetteerError> {
        let index: HashMap<String, usize> = areas
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        for extra in &self.extras {
            let Some(&i) = index.get(&extra.id) else {
                let msg = format!("extras: unknown area id {:?}", extra.id);
                return Err(invalid(sources, CURATED, msg));
            };
            let area = &mut areas[i];
            for alias in &extra.aliases {
                if !area.aliases.contains(alias) && *alias != area.name {
                    area.aliases.push(alias.clone());
                }
            }
            if let Some(note) = &extra.note {
                if area.note.is_some() {
                    let msg = format!("extras: {} already has a note", extra.id);
                    return Err(invalid(sources, CURATED, msg));
                }
                area.note = Some(note.clone());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digits_of_known_codes() {
        for code in ["010006", "130001", "131091", "271276", "271004", "011002"] {
            assert!(is_valid_code(code), "{code}");
        }
        for code in ["131092", "27127", "2712760", "27127x", "１３１０９１"] {
            assert!(!is_valid_code(code), "{code}");
        }
    }

    #[test]
    fn office_rows_are_checked_and_codes_padded() {
        let row = |lat: &str, url: &str, code: &str| OfficeRow {
            pref: "北海道".into(),
            city: String::new(),
            lat: lat.into(),
            lng: "141.3".into(),
            url: url.into(),
            lgcode: code.into(),
        };
        let (code, office) = parse_office(row("43.06", "https://x.jp/", "10006"), 2).unwrap();
        assert_eq!(code, "010006");
        assert_eq!(
            office.location,
            GeoPoint {
                lat: 43.06,
                lng: 141.3
            }
        );
        assert_eq!(office.name, "北海道");
        let bad_lat = parse_office(row("4３.0", "https://x.jp/", "10006"), 2).unwrap_err();
        assert!(bad_lat.contains("lat"), "{bad_lat}");
        assert!(parse_office(row("91", "https://x.jp/", "10006"), 2).is_err());
        assert!(parse_office(row("43", "www.x.jp", "10006"), 2).is_err());
        assert!(parse_office(row("43", "https://a/ https://b/", "10006"), 2).is_err());
        assert!(parse_office(row("43", "https://x.jp/", "10007"), 2).is_err());
    }

    #[test]
    fn readings_must_be_hiragana() {
        assert!(is_hiragana("おおさかしきたく"));
        assert!(!is_hiragana(""));
        assert!(!is_hiragana("オオサカ"));
        assert!(!is_hiragana("osaka"));
    }
}

// ---------------------------------------------------------------------------------------------
// The municipalities' main windows (くらし支援ナビ, CC BY 4.0)

/// A row of `offices.csv` (only the columns used).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WindowRow {
    municipality_id: String,
    category_id: String,
    name: String,
    postal_code: String,
    address: String,
    phone: String,
    official_url: String,
    opening_hours: String,
    closed_days: String,
    source_id: String,
    status: String,
    last_verified_at: String,
}

/// A row of `municipalities.csv` (only the columns used).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WindowMunicipality {
    id: String,
    prefecture_code: String,
    municipality_code: String,
    name: String,
    name_kana: String,
    representative_phone: String,
    last_verified_at: String,
}

/// A row of `sources.csv` (only the columns used).
#[derive(Debug, Deserialize)]
struct WindowSource {
    id: String,
    title: String,
    url: String,
    publisher: String,
}

/// Every row of a CSV with its 1-based line.
fn read_rows<T: serde::de::DeserializeOwned>(
    sources: &Path,
    file: &str,
) -> Result<Vec<(u64, T)>, GazetteerError> {
    let text = read_text(sources, file)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let row_error = |line: u64, message: String| GazetteerError::Row {
        path: sources.join(file),
        line,
        message,
    };
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| row_error(1, e.to_string()))?
        .clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, csv::Position::line);
            row_error(line, e.to_string())
        })?;
        let line = record.position().map_or(0, csv::Position::line);
        let row: T = record
            .deserialize(Some(&headers))
            .map_err(|e| row_error(line, e.to_string()))?;
        rows.push((line, row));
    }
    Ok(rows)
}

/// A cell as written, trimmed; `None` when empty.
fn cell(text: &str) -> Option<String> {
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

/// Whether a main-window row is the 役所・役場 itself (「名古屋市役所」「八戸市役所・役場」
/// 「和木町役場」), not another body the list files under the same category (水戸市's
/// 社会福祉協議会).
fn is_town_hall(name: &str) -> bool {
    let name = name.trim();
    name.ends_with("役所") || name.ends_with("役場")
}

/// Gives each municipality the main window of くらし支援ナビ's list: its one published row of
/// category `unknown` (where it has several, the 役所・役場 itself), joined by `municipalityId` to `municipalities.csv`
/// and by its 6-digit code to the area. The phone is the row's own; where the row has none,
/// the municipality list's `representativePhone` (its row named in `phone_row`). Where the
/// two give different phones for one municipality, both are reported and the window row's is
/// kept (its row names its source). Rows of other categories are counted, not used.
fn add_main_windows(
    sources: &Path,
    areas: &mut [Area],
    report: &mut Report,
) -> Result<(), GazetteerError> {
    let source_rows: Vec<(u64, WindowSource)> = read_rows(sources, WINDOW_SOURCES)?;
    let source_of: HashMap<&str, &WindowSource> = source_rows
        .iter()
        .map(|(_, s)| (s.id.as_str(), s))
        .collect();
    let municipalities: Vec<(u64, WindowMunicipality)> = read_rows(sources, WINDOW_MUNICIPALITIES)?;
    let mut municipality_of = HashMap::new();
    for (line, m) in &municipalities {
        let code = m.municipality_code.trim();
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(GazetteerError::Row {
                path: sources.join(WINDOW_MUNICIPALITIES),
                line: *line,
                message: format!("municipalityCode {:?} is not 6 digits", m.municipality_code),
            });
        }
        municipality_of.insert(m.id.as_str(), (*line, m));
    }
    let rows: Vec<(u64, WindowRow)> = read_rows(sources, WINDOWS)?;
    let mut by_municipality: BTreeMap<&str, Vec<(u64, &WindowRow)>> = BTreeMap::new();
    for (line, row) in &rows {
        if row.category_id != "unknown" {
            report.other_windows += 1;
            continue;
        }
        by_municipality
            .entry(row.municipality_id.as_str())
            .or_default()
            .push((*line, row));
    }
    let area_of: HashMap<String, (usize, String, String)> = areas
        .iter()
        .enumerate()
        .filter(|(_, a)| a.level == AreaLevel::Municipality)
        .map(|(i, a)| (a.id.clone(), (i, a.name.clone(), a.kana.clone())))
        .collect();
    // The list's codes are not all right (161 have 0 for the check digit), and a name may be
    // written with another form of a kanji (檮原町 for 梼原町): an area is the one whose id is
    // the code's first 5 digits, in the same prefecture, with the same name or reading.
    let find_area = |m: &WindowMunicipality| -> Option<usize> {
        let code = m.municipality_code.trim();
        let (i, name, kana) = area_of.get(&code[..5])?;
        (code[..2] == *m.prefecture_code.trim()
            && (name == m.name.trim() || kana == m.name_kana.trim()))
        .then_some(*i)
    };
    let row_name = |file: &str, line: u64| format!("{file}:{line}");
    for (id, candidates) in by_municipality {
        let mut not_used = |line: u64, row: &WindowRow, reason: String| {
            report.windows_not_used.push(WindowNotUsed {
                row: row_name(WINDOWS, line),
                name: row.name.clone(),
                reason,
            });
        };
        let Some(&(list_line, m)) = municipality_of.get(id) else {
            for (line, row) in candidates {
                not_used(
                    line,
                    row,
                    format!("municipalityId {id} が市区町村の一覧にない"),
                );
            }
            continue;
        };
        let Some(area) = find_area(m) else {
            for (line, row) in candidates {
                let why = format!("{} {} に当たる地域がない", m.municipality_code, m.name);
                not_used(line, row, why);
            }
            continue;
        };
        let list_phone = cell(&m.representative_phone);
        for &(line, row) in &candidates {
            if let (Some(own), Some(listed)) = (cell(&row.phone), &list_phone)
                && &own != listed
            {
                report.phone_disagreements.push(PhoneDisagreement {
                    municipality: m.name.clone(),
                    row: row_name(WINDOWS, line),
                    row_phone: own,
                    list_row: row_name(WINDOW_MUNICIPALITIES, list_line),
                    list_phone: listed.clone(),
                    kept: None,
                });
            }
        }
        let mut chosen: Vec<(u64, &WindowRow)> = vec![];
        for &(line, row) in &candidates {
            if row.status.trim() == "published" {
                chosen.push((line, row));
            } else {
                not_used(
                    line,
                    row,
                    format!("status が {}（一覧が公開していない行）", row.status),
                );
            }
        }
        if chosen.len() > 1 {
            for &(line, row) in chosen.iter().filter(|(_, r)| !is_town_hall(&r.name)) {
                not_used(line, row, "役所・役場の行がほかにある".to_string());
            }
            chosen.retain(|(_, r)| is_town_hall(&r.name));
        }
        let [(line, row)] = chosen[..] else {
            for (line, row) in chosen {
                not_used(line, row, format!("{}の代表窓口の行が複数", m.name));
            }
            continue;
        };
        let Some(source) = source_of.get(row.source_id.as_str()) else {
            return Err(GazetteerError::Row {
                path: sources.join(WINDOWS),
                line,
                message: format!("sourceId {:?} is not in {WINDOW_SOURCES}", row.source_id),
            });
        };
        let url = cell(&row.official_url);
        if let Some(u) = &url
            && (!(u.starts_with("https://") || u.starts_with("http://")) || u.contains(' '))
        {
            return Err(GazetteerError::Row {
                path: sources.join(WINDOWS),
                line,
                message: format!("officialUrl {u:?} is not one http(s) address"),
            });
        }
        let own_phone = cell(&row.phone);
        let (phone, phone_row, phone_checked) = match (own_phone, &list_phone) {
            (Some(p), _) => (Some(p), None, None),
            (None, Some(p)) => (
                Some(p.clone()),
                Some(row_name(WINDOW_MUNICIPALITIES, list_line)),
                cell(&m.last_verified_at),
            ),
            (None, None) => (None, None, None),
        };
        for d in report
            .phone_disagreements
            .iter_mut()
            .filter(|d| d.municipality == m.name && d.list_row.ends_with(&format!(":{list_line}")))
        {
            d.kept = phone.clone();
        }
        areas[area].main_window = Some(crate::directory::MainWindow {
            name: row.name.trim().to_string(),
            phone,
            postal_code: cell(&row.postal_code),
            address: cell(&row.address),
            hours: cell(&row.opening_hours),
            closed_days: cell(&row.closed_days),
            url,
            row: row_name(WINDOWS, line),
            checked: row.last_verified_at.trim().to_string(),
            source: format!("{}「{}」", source.publisher.trim(), source.title.trim()),
            source_url: cell(&source.url),
            phone_row,
            phone_checked,
        });
    }
    Ok(())
}
