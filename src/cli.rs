//! The non-interactive commands (`validate`, `list`, `show`, `search`, `doctor` …): each writes to a
//! `Write` and returns an [`Outcome`], so the binary only dispatches and tests can call them.
//! A command family that has its own module: `tally` (the enquiry counts, `cli/tally.rs`).

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use serde_json::json;

mod tally;
pub use tally::{TallyArgs, TallyFormat, tally};

use crate::directory::{
    AreaLevel, AreaNameError, Catalog, DataSource, Facet, FilterError, FilterNames, LoadError,
    Resource, care_unstated,
};
use crate::present::{self, Ymd};
use crate::search::Sort;
use crate::text::sanitize::{sanitize_for_terminal, sanitize_lines_for_terminal};
use crate::text::width::{display_width, pad_to_width, truncate_to_width};

/// `eprintln!` that never panics: with standard error closed (`import … 2>&1 | head -1`) the
/// message is lost, not the run. Every message of the commands goes through it.
#[macro_export]
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// How a command ended when it did not fail on data or I/O.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Done; exit 0.
    Ok,
    /// The user asked for something that does not exist (unknown id, area …); exit 2.
    Usage(String),
}

/// Why a command failed; exit 1.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The directory could not be loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// Writing the output failed.
    #[error("出力を書けませんでした（{}）", crate::fsutil::io_reason(.0, crate::fsutil::Access::Write))]
    Io(#[from] std::io::Error),
    /// Search failed.
    #[error(transparent)]
    Search(#[from] crate::search::SearchError),
    /// The benchmark failed.
    #[error(transparent)]
    Bench(#[from] crate::bench::BenchError),
    /// The directory could not be opened for search.
    #[error(transparent)]
    Open(#[from] crate::search::cache::OpenError),
    /// A bundled layer could not be generated from its sources.
    #[error(transparent)]
    Gazetteer(#[from] crate::import::gazetteer::GazetteerError),
    /// The WAM NET files could not be imported (a file that is not one, a broken CSV).
    #[error(transparent)]
    Wamnet(#[from] crate::import::wamnet::WamnetError),
    /// A layer given to `import links` is not a directory layer.
    #[error("{path}: ディレクトリのレイヤーとして読めません: {source}")]
    NotALayer {
        /// The file.
        path: String,
        /// Why.
        #[source]
        source: serde_json::Error,
    },
    /// An input file could not be read.
    #[error("{path}: 読めません（{}）", crate::fsutil::io_reason(.source, crate::fsutil::Access::Read))]
    Read {
        /// The file.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// `import wamnet --previous` names a file that is not a layer.
    #[error(transparent)]
    Previous(#[from] crate::import::wamnet::changes::PreviousError),
    /// The interactive UI ended abnormally (signal, terminal gone); the terminal was restored.
    #[error(transparent)]
    Ui(#[from] crate::tui::UiError),
    /// `import hsds` could not read its input (a bad service never stops it).
    #[error(transparent)]
    HsdsRead(#[from] crate::import::hsds::read::HsdsError),
    /// `export hsds` could not write.
    #[error(transparent)]
    HsdsExport(#[from] crate::import::hsds::export::ExportError),
    /// `import table` could not read the list (a bad row never stops it).
    #[error(transparent)]
    Table(#[from] crate::import::table::TableError),
    /// An importer built a layer the loader would refuse (an importer's fault, never the
    /// office's): nothing is written.
    #[error(
        "{target}: 取り込んだ結果が読み込めない形になるため、書きませんでした（ikenavi の不具合です。報告してください）:\n{source}"
    )]
    NotLoadable {
        /// Where it was to be written.
        target: String,
        /// What the loader said.
        source: LoadError,
    },
    /// `import wamnet` made a layer that would hide bundled offices it does not hold.
    #[error(
        "{target}: 書きませんでした — このレイヤー（記録 {records}件）は同梱の data/wamnet.json をまるごと置き換えるため、読み込むと {lost}。すべてのサービス種別のファイルを指定してください（承知のうえなら --allow-partial）"
    )]
    PartialLayer {
        /// Where it was to be written.
        target: String,
        /// Records it holds.
        records: usize,
        /// What it would hide.
        lost: crate::import::wamnet::layer::Lost,
    },
    /// An output could not be written (or was refused: a device, the input itself).
    #[error("{path}: 書き出せませんでした（{}）", crate::fsutil::io_reason(.source, crate::fsutil::Access::Write))]
    Write {
        /// The file.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// `doctor` found something broken (listed in its report).
    #[error("ikenavi doctor: 問題が {0} 件あります（上の [問題] の行）")]
    Doctor(usize),
    /// `import table`/`import hsds` wrote the good rows and reported the others.
    #[error("{left_out}{unit}は取り込めませんでした（上の一覧）。直して取り込み直してください")]
    RowsLeftOut {
        /// Rows (or services) reported.
        left_out: usize,
        /// 「行」 or 「件のサービス」.
        unit: &'static str,
    },
}

impl CliError {
    /// An I/O error as one writing `path` (named in the message); other errors as they are.
    fn at(self, path: &std::path::Path) -> CliError {
        match self {
            CliError::Io(source) => CliError::Write {
                path: path.display().to_string(),
                source,
            },
            e => e,
        }
    }

    /// Whether the output was a pipe whose reader has gone (`ikenavi list | head`): every
    /// command ends quietly with status 0 on it, as ripgrep does — what the reader wanted
    /// was written.
    pub fn is_broken_pipe(&self) -> bool {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(self);
        while let Some(e) = source {
            if let Some(io) = e.downcast_ref::<std::io::Error>()
                && io.kind() == std::io::ErrorKind::BrokenPipe
            {
                return true;
            }
            source = e.source();
        }
        false
    }
}

/// Result of a command.
pub type CliResult = Result<Outcome, CliError>;

/// The layers to load: the bundled ones (unless `no_bundled`), then the config's `data`
/// files, then `IKENAVI_DATA`'s (a path list), then each `--data`, in that order; a file
/// named twice is loaded once.
pub fn data_source(
    flags: Vec<PathBuf>,
    env: Option<std::ffi::OsString>,
    config: &[PathBuf],
    no_bundled: bool,
) -> DataSource {
    let env_files = env
        .map(|v| std::env::split_paths(&v).collect::<Vec<_>>())
        .unwrap_or_default();
    let mut files: Vec<PathBuf> = Vec::new();
    for f in config.iter().cloned().chain(env_files).chain(flags) {
        if f.as_os_str().is_empty() {
            continue;
        }
        let same = |g: &PathBuf| {
            g == &f
                || matches!((std::fs::canonicalize(g), std::fs::canonicalize(&f)), (Ok(a), Ok(b)) if a == b)
        };
        if !files.iter().any(same) {
            files.push(f);
        }
    }
    DataSource {
        bundled: !no_bundled,
        files,
    }
}

/// A usage error for a filter: what is unknown and what is close — or, when the value names
/// something of another filter (`--need ventilator`), the flag it belongs to — or every
/// area an ambiguous name could be. The message quotes what was typed and the areas' names
/// (a user layer's among them), so each of its lines is made inert.
fn filter_usage(catalog: &Catalog, e: FilterError) -> Outcome {
    let message = match e {
        FilterError::Area(AreaNameError::Ambiguous(a)) => format!(
            "地域「{}」は{}か所あります。次のどれかを名前かコードで指定してください:\n  {}",
            a.input,
            a.candidates.len(),
            a.candidates.join("\n  ")
        ),
        FilterError::Area(AreaNameError::Unknown(u)) | FilterError::Term(u) => {
            match wrong_flag(catalog, &u.input, u.what) {
                Some(hint) => format!("{}「{}」はありません — {hint}", u.what, u.input),
                None => u.to_string(),
            }
        }
    };
    Outcome::Usage(sanitize_lines_for_terminal(&message).into_owned())
}

/// The filter flags, with how a hint names what a value is.
const FILTER_FLAGS: [(&str, &str, &str); 3] = [
    ("ケアの種類", "--care", "ケアの種類です"),
    ("ニーズ", "--need", "ニーズです"),
    ("地域", "--area", "地域です"),
];

/// When `input`, unknown as a `what` (care type, need, area), names something of another
/// filter: 「ケアの種類です: --care ventilator」. An area that names several areas (北区) is
/// an area all the same.
fn wrong_flag(catalog: &Catalog, input: &str, what: &str) -> Option<String> {
    let is = |kind: &str| match kind {
        "ケアの種類" => catalog.resolve_term(Facet::CareType, input).is_ok(),
        "ニーズ" => catalog.resolve_term(Facet::Need, input).is_ok(),
        _ => !matches!(catalog.resolve_area(input), Err(AreaNameError::Unknown(_))),
    };
    let (_, flag, label) = FILTER_FLAGS
        .iter()
        .find(|(kind, _, _)| *kind != what && is(kind))?;
    Some(format!("{label}: {flag} {}", shell_word(input)))
}

/// A value as it would be typed in a shell: quoted when it holds a space or a character the
/// shell treats specially.
fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| !c.is_whitespace() && !"'\"\\$`!*?[](){}<>|&;#~".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// `ikenavi` with no subcommand: the interactive UI on a terminal; otherwise a message that
/// points to `search`.
pub fn no_subcommand(data: &DataSource, options: crate::tui::Options) -> CliResult {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Ok(Outcome::Usage(
            "対話画面は端末でしか開けません（標準入力か標準出力が端末ではありません）。スクリプトやパイプからは `ikenavi search 語…` を使ってください（詳しくは ikenavi search --help）"
                .into(),
        ));
    }
    crate::tui::run(data, options)?;
    Ok(Outcome::Ok)
}

/// `validate`: a one-line summary (「検査に通りました: …」 with the counts per layer, source
/// document and prefecture), or every problem with its location.
pub fn validate(data: DataSource, out: &mut impl Write) -> CliResult {
    // The bundled layers get every check when they are what is validated; under a user's
    // file they are read as built (a test checks them, and both readings give the same
    // directory), which keeps `validate office.json` quick over ~50 MB of open data.
    let catalog = if data.files.is_empty() {
        data.load_strict()?
    } else {
        data.load()?
    };
    let d = &catalog.dir;
    let mut per_doc: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &d.resources {
        for f in r
            .sources
            .iter()
            .map(|s| s.file.as_str())
            .collect::<std::collections::BTreeSet<_>>()
        {
            *per_doc.entry(f).or_default() += 1;
        }
    }
    let mut per_pref: BTreeMap<String, usize> = BTreeMap::new();
    for r in &d.resources {
        let pref = prefecture_name(&catalog, r);
        *per_pref.entry(pref).or_default() += 1;
    }
    let docs = per_doc
        .iter()
        .map(|(f, n)| {
            let doc = f.split('_').next().unwrap_or(f);
            format!("{} {n}", sanitize_for_terminal(doc))
        })
        .collect::<Vec<_>>()
        .join("、");
    let prefs = per_pref
        .iter()
        .map(|(p, n)| format!("{} {n}", sanitize_for_terminal(p)))
        .collect::<Vec<_>>()
        .join("、");
    let level_count = |level| d.areas.iter().filter(|a| a.level == level).count();
    let layers = catalog
        .layers
        .iter()
        .map(|l| format!("{}（資源 {}件）", sanitize_for_terminal(&l.name), l.records))
        .collect::<Vec<_>>()
        .join(" + ");
    writeln!(
        out,
        "検査に通りました: {layers} — 資源 {}件（資料別: {docs}／都道府県別: {prefs}）、地域 {}（都道府県 {}・市区町村 {}・行政区 {}）、ケアの種類 {}・ニーズ {}・用語 {}",
        d.resources.len(),
        d.areas.len(),
        level_count(AreaLevel::Prefecture),
        level_count(AreaLevel::Municipality),
        level_count(AreaLevel::Ward),
        d.taxonomy.care_types.len(),
        d.taxonomy.needs.len(),
        d.glossary.len(),
    )?;
    for note in replacing_notes(&data, &catalog)? {
        writeln!(out, "{}", sanitize_for_terminal(&note))?;
    }
    let links = crate::directory::links::bundled().map_err(LoadError::from)?;
    for c in crate::directory::links::closed_offices(&d.resources, &links.links) {
        writeln!(out, "注意: {}", sanitize_for_terminal(&c.to_string()))?;
    }
    Ok(Outcome::Ok)
}

/// For each file that `replaces` the bundled open data: what loading it hides (「注意:
/// wamnet-053.json は同梱の data/wamnet.json をまるごと置き換えます: 同梱の事業所 393件のうち
/// 277件が消えます（このレイヤーにないサービス種別: …）」).
fn replacing_notes(data: &DataSource, catalog: &Catalog) -> Result<Vec<String>, CliError> {
    use crate::import::wamnet::layer::{BUNDLED_NAME, lost_by_replacing};
    let mut notes = Vec::new();
    let mut bundled: Option<Catalog> = None;
    for f in &data.files {
        let bytes = std::fs::read(f).map_err(|source| CliError::Read {
            path: f.display().to_string(),
            source,
        })?;
        if crate::directory::load::replaced_layer(&bytes).as_deref() != Some(BUNDLED_NAME) {
            continue;
        }
        let name = f.display().to_string();
        let (mut ids, mut codes) = (
            std::collections::HashSet::new(),
            std::collections::BTreeSet::new(),
        );
        for (i, r) in catalog.resources().iter().enumerate() {
            if catalog.layer_of(i).is_some_and(|l| l.name == name) {
                ids.insert(r.id.clone());
                codes.extend(r.designations.iter().filter_map(|d| d.code));
            }
        }
        let bundled = match &mut bundled {
            Some(b) => b,
            None => bundled.insert(DataSource::bundled().load()?),
        };
        let lost = lost_by_replacing(bundled, &ids, &codes);
        notes.push(format!(
            "注意: {name} は同梱の {BUNDLED_NAME} をまるごと置き換えます: {lost}"
        ));
    }
    Ok(notes)
}

/// Name of the prefecture a record belongs to (全国 for nationwide ones).
fn prefecture_name(catalog: &Catalog, r: &Resource) -> String {
    let area = r
        .located_in
        .as_deref()
        .or(r.service_areas.first().map(String::as_str));
    area.and_then(|a| catalog.areas.index_of(a))
        .and_then(|i| catalog.areas.prefecture_of(i))
        .map_or_else(|| "全国".to_string(), |p| catalog.areas.at(p).name.clone())
}

/// What a hit's `"care"` says with a care type asked: `"stated"` (its data names the care) or
/// `"unknown"` (医療的ケアの受入れ: 要確認; see [`crate::directory::filters`]).
fn care_json(unknown: bool) -> &'static str {
    if unknown { "unknown" } else { "stated" }
}

/// The legend printed after a list with 要確認 records in it.
fn care_legend() -> String {
    format!(
        "［{}］{}: {} — 受け入れるかは事業所に確認してください",
        present::CARE_UNKNOWN_MARK,
        present::CARE_LABEL,
        present::CARE_UNKNOWN
    )
}

/// The care types asked for, as labels joined for a heading (` ケア: 人工呼吸器`), or empty.
fn care_heading(catalog: &Catalog, ids: &[String]) -> String {
    if ids.is_empty() {
        return String::new();
    }
    let labels: Vec<&str> = ids.iter().map(|id| catalog.label_of(id)).collect();
    format!(" ケア: {}", labels.join("・"))
}

/// One hit in JSON output (`list` has no score or snippet); `distance_km` (one decimal) when
/// an area is selected and both have coordinates. `contact.phone` is the stored value as the
/// source wrote it, `contact.phone_display` what a person reads (national format, or as
/// written with 「（番号の形式を確認）」).
pub fn hit_json(catalog: &Catalog, r: &Resource, distance_km: Option<f64>) -> serde_json::Value {
    let mut v = json!({
        "id": r.id,
        "name": r.name,
        "kind": r.kind.as_str(),
        "areas": r.service_areas.iter().map(|a| catalog.area_name(a)).collect::<Vec<_>>(),
        "contact": {
            "phone": r.contact.phone,
            "phone_display": present::phone_of(r).map(|p| p.to_string()),
            "address": r.contact.address,
            "url": r.contact.url,
        },
    });
    if let Some(d) = distance_km {
        v["distance_km"] = json!((d * 10.0).round() / 10.0);
    }
    v
}

/// `list`: every record that matches the filters.
pub fn list(
    data: &DataSource,
    filters: FilterNames,
    sort: Sort,
    needs_area: &[&str],
    as_json: bool,
    out: &mut impl Write,
) -> CliResult {
    let catalog = open_catalog(data)?;
    let resolved = match filters.resolve(&catalog) {
        Ok(r) => r,
        Err(e) => return Ok(filter_usage(&catalog, e)),
    };
    if resolved.area.is_none()
        && let Some(option) = needs_area.first()
    {
        return Ok(Outcome::Usage(needs_area_message(option)));
    }
    let distance = |r: &Resource| resolved.area.and_then(|a| catalog.distance_km(r, a));
    let mut records: Vec<(&Resource, Option<f64>)> = catalog
        .filter(&resolved)
        .into_iter()
        .map(|r| (r, distance(r)))
        .collect();
    if sort == Sort::Distance {
        // Stable: records at the same distance, and those without one, keep file order.
        records.sort_by(|a, b| {
            let far = |d: Option<f64>| d.unwrap_or(f64::INFINITY);
            far(a.1).total_cmp(&far(b.1))
        });
    }
    let care_asked = !resolved.care_types.is_empty();
    let unknown = |r: &Resource| care_asked && care_unstated(r);
    if sort == Sort::Distance && care_asked {
        // The records that state the care first, as in every order (stable: nearest first
        // within each).
        records.sort_by_key(|(r, _)| unknown(r));
    }
    let care_unknown = records.iter().filter(|(r, _)| unknown(r)).count();
    if as_json {
        let hits: Vec<_> = records
            .iter()
            .map(|(r, d)| {
                let mut v = hit_json(&catalog, r, *d);
                if care_asked {
                    v["care"] = json!(care_json(unknown(r)));
                }
                v
            })
            .collect();
        let mut doc = json!({
            "query": null,
            "area": resolved.area.map(|a| catalog.areas.at(a).name.clone()),
            "area_detail": resolved.area.map(|a| area_json(&catalog, a)),
            "with_phone": resolved.with_phone,
            "total": records.len(),
            "hits": hits,
        });
        if care_asked {
            doc["care_unknown"] = json!(care_unknown);
        }
        writeln!(out, "{}", json_text(&doc)?)?;
    } else {
        let with_area = resolved.area.is_some();
        let rows: Vec<Row> = records
            .iter()
            .map(|(r, d)| {
                Row::of(&catalog, r, None)
                    .with_distance(with_area, *d)
                    .with_care_unknown(unknown(r))
            })
            .collect();
        print_rows(out, &rows)?;
        writeln!(
            out,
            "{}{}",
            present::count_with_unknown(records.len(), care_unknown),
            if resolved.with_phone {
                "（電話あり）"
            } else {
                ""
            }
        )?;
        if care_unknown > 0 {
            writeln!(out, "{}", care_legend())?;
        }
    }
    Ok(Outcome::Ok)
}

/// A record as one aligned line of human output.
pub struct Row {
    /// Record id.
    pub id: String,
    /// Name, sanitized.
    pub name: String,
    /// Kind label.
    pub kind: &'static str,
    /// Service area names.
    pub areas: String,
    /// The number to ring, as read (national format; sanitized), or empty without one.
    pub phone: String,
    /// Snippet or summary, sanitized.
    pub text: String,
    /// With an area selected: 約5km, or empty without coordinates (no column without one).
    pub distance: Option<String>,
    /// A care type is asked and the record's care is 要確認: its text starts with the mark.
    pub care_unknown: bool,
}

impl Row {
    /// A row for a record; `text` defaults to its summary.
    pub fn of(catalog: &Catalog, r: &Resource, text: Option<String>) -> Row {
        Row {
            id: r.id.clone(),
            name: sanitize_for_terminal(&r.name).into_owned(),
            kind: r.kind.label(),
            areas: sanitize_for_terminal(&present::area_names(catalog, &r.service_areas))
                .into_owned(),
            phone: present::phone_of(r).map_or_else(String::new, |p| p.number_shown()),
            text: sanitize_for_terminal(&text.unwrap_or_else(|| r.summary.clone())).into_owned(),
            distance: None,
            care_unknown: false,
        }
    }

    /// A row for an area's main window (see [`crate::search::windows`]): its name, 代表窓口,
    /// the municipality, its main phone, what the number is and whom to ask for, and in place
    /// of an id the command that prints its card.
    pub fn main_window(catalog: &Catalog, owner: crate::directory::AreaIdx) -> Option<Row> {
        let tree = &catalog.areas;
        let w = tree.at(owner).main_window.as_ref()?;
        let city = tree.display_name(owner);
        let phone = present::main_window_phone(w);
        let text = match &phone {
            Some(_) => format!("{city}の代表電話 — {}", present::ASK_THE_DESK),
            None => present::NO_MAIN_PHONE.to_string(),
        };
        Some(Row {
            id: format!("areas {} --card", tree.at(owner).id),
            name: sanitize_for_terminal(&w.name).into_owned(),
            // The kind column is 6 cells: 代表窓口 would be cut.
            kind: "代表",
            areas: sanitize_for_terminal(&city).into_owned(),
            phone: sanitize_for_terminal(&phone.unwrap_or_default()).into_owned(),
            text: sanitize_for_terminal(&text).into_owned(),
            distance: None,
            care_unknown: false,
        })
    }

    /// Marked ［ケア要確認］ when `unknown`.
    pub fn with_care_unknown(self, unknown: bool) -> Row {
        Row {
            care_unknown: unknown,
            ..self
        }
    }

    /// With an area selected, a distance column (empty for a record without a distance).
    pub fn with_distance(self, with_area: bool, km: Option<f64>) -> Row {
        Row {
            distance: with_area.then(|| km.map(present::distance_label).unwrap_or_default()),
            ..self
        }
    }
}

/// Pads to a display width (wide characters count two cells).
fn pad(s: &str, width: usize) -> String {
    pad_to_width(s, width)
}

impl Row {
    /// One aligned line: name, kind, areas, distance (with an area), phone, then `text`
    /// (already fitted or marked, after the 要確認 mark if any) and the id.
    fn write_line(&self, out: &mut impl Write, text: &str) -> std::io::Result<()> {
        let distance = self
            .distance
            .as_ref()
            .map(|d| format!("{}  ", pad(d, 8)))
            .unwrap_or_default();
        let care = match self.care_unknown {
            true => format!("［{}］", present::CARE_UNKNOWN_MARK),
            false => String::new(),
        };
        writeln!(
            out,
            "{}  {}  {}  {distance}{}  {care}{}  [{}]",
            pad(&self.name, 40),
            pad(self.kind, 6),
            pad(&self.areas, 16),
            pad(&self.phone, PHONE_CELLS),
            text,
            self.id
        )
    }
}

/// The phone column's width: the longest national format (`090-1234-5678`, `0800-123-4567`).
const PHONE_CELLS: usize = 13;

/// Prints rows as aligned columns: name, kind, areas, phone, text, id.
pub fn print_rows(out: &mut impl Write, rows: &[Row]) -> std::io::Result<()> {
    for r in rows {
        r.write_line(out, &truncate_to_width(&r.text, 60))?;
    }
    Ok(())
}

/// What `show` prints of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShowForm {
    /// Every field, labelled, phone first (the detail's fields).
    Fields,
    /// The read-aloud card: what a clerk reads out on the phone, one source line with its
    /// absolute date (safe to paste into a note; no relative ages, no file names).
    Card,
    /// The record as stored (JSON).
    Json,
}

/// `show`: one record by id (an id merged into another record names the one it joined).
pub fn show(data: &DataSource, id: &str, form: ShowForm, out: &mut impl Write) -> CliResult {
    let catalog = open_catalog(data)?;
    let Some(r) = catalog.resource(id) else {
        let mut names: Vec<(i64, &str)> = {
            use fuzzy_matcher::FuzzyMatcher;
            let m = fuzzy_matcher::skim::SkimMatcherV2::default();
            catalog
                .resources()
                .iter()
                .filter_map(|r| m.fuzzy_match(&r.id, id).map(|s| (s, r.id.as_str())))
                .collect()
        };
        names.sort_by_key(|n| std::cmp::Reverse(n.0));
        let close: Vec<&str> = names.iter().take(5).map(|n| n.1).collect();
        let hint = if close.is_empty() {
            "（一覧は ikenavi list）".to_string()
        } else {
            format!("（もしかして: {}）", close.join("、"))
        };
        return Ok(Outcome::Usage(format!("記録 id「{id}」はありません{hint}")));
    };
    if form == ShowForm::Json {
        writeln!(out, "{}", json_text(r)?)?;
        return Ok(Outcome::Ok);
    }
    if r.id != id {
        writeln!(
            out,
            "（{} は同じ事業所の記録 {} に統合されています）",
            sanitize_for_terminal(id),
            r.id
        )?;
    }
    let fields = match form {
        ShowForm::Card => {
            writeln!(out, "{}", sanitize_for_terminal(&r.name))?;
            present::card_fields(&catalog, r)
        }
        _ => present::fields(&catalog, r, Ymd::today()),
    };
    write_fields(out, &fields)?;
    Ok(Outcome::Ok)
}

/// `doctor`: the install checked ([`crate::doctor`]) for this user and terminal, printed;
/// exit 1 when something is broken.
pub fn doctor(data: &DataSource, out: &mut impl Write) -> CliResult {
    let report = crate::doctor::check(
        data,
        &crate::doctor::Places::of_this_user(),
        &crate::doctor::TermEnv::of_this_process(),
    );
    // Paths and layer titles come from the user's files and environment.
    write!(out, "{}", sanitize_lines_for_terminal(&report.to_string()))?;
    match report.problems().count() {
        0 => Ok(Outcome::Ok),
        n => Err(CliError::Doctor(n)),
    }
}

/// The directory as `search` opens it: from the index cache when the layers are large (the
/// bundled ones are: ~50 MB of open data), records decoded as they are read, so `show`,
/// `list` and `areas` do not parse every layer on each run.
fn open_catalog(data: &DataSource) -> Result<Catalog, CliError> {
    Ok(open_engine(data)?.catalog)
}

/// The directory and its engine, from the index cache; its notice (a cache rebuilt, or
/// built elsewhere) on stderr.
fn open_engine(data: &DataSource) -> Result<crate::search::cache::Opened, CliError> {
    let opened =
        crate::search::cache::open(data, crate::search::cache::default_cache_root().as_deref())?;
    if let Some(n) = &opened.notice {
        crate::note!("ikenavi: {}", sanitize_for_terminal(n));
    }
    Ok(opened)
}

/// `search`: ranked hits for a query, as aligned text or JSON (SPEC §5).
pub fn search(
    data: &DataSource,
    query: &str,
    filters: FilterNames,
    limit: usize,
    order: Order<'_>,
    as_json: bool,
    out: &mut impl Write,
) -> CliResult {
    let Order { sort, needs_area } = order;
    let opened = open_engine(data)?;
    let (catalog, engine) = (opened.catalog, opened.engine);
    let resolved = match filters.resolve(&catalog) {
        Ok(r) => r,
        Err(e) => return Ok(filter_usage(&catalog, e)),
    };
    if limit > catalog.len() {
        crate::note!(
            "ikenavi: --limit {limit} は記録の数（{}件）をこえるため、{}件までにします",
            catalog.len(),
            catalog.len()
        );
    }
    let req = crate::search::SearchRequest {
        sort,
        ..crate::search::SearchRequest::new(query, &resolved, limit)
    };
    let results = engine.search(&catalog, &req)?;
    if let Some((word, areas)) = &results.understood.ambiguous_area
        && req.area.is_none()
    {
        crate::note!(
            "ikenavi: {}",
            ambiguous_area_note(&catalog, word, areas, !results.any_of_areas.is_empty())
        );
    }
    if let Some((word, area)) = &results.understood.also_a_place
        && req.area.is_none()
    {
        crate::note!(
            "ikenavi: {}は{}の名前でもあり、ほかの場所の記録にもある地名です — 地域で絞らず「{}」を含む記録を探しました（--area {} で絞れます）",
            sanitize_for_terminal(word),
            sanitize_for_terminal(&catalog.areas.distinct_name(*area)),
            sanitize_for_terminal(word),
            shell_word(&catalog.areas.distinct_name(*area)),
        );
    }
    if results.types_not_in_data != 0 {
        crate::note!(
            "ikenavi: {}",
            crate::present::types_not_in_data_note(results.types_not_in_data)
        );
    }
    if results.understood.days != 0 && results.total > 0 {
        crate::note!(
            "ikenavi: {}",
            crate::present::days_note(results.understood.days)
        );
    }
    let by_number = results.understood.number.as_ref().filter(|n| n.taken);
    if let Some(n) = by_number {
        crate::note!(
            "ikenavi: {}",
            crate::present::number_note(n, results.total > 0 || results.windows.asked.is_some())
        );
    }
    // An area word in the query (和木町 相談) is the search's area when --area is not given;
    // a number is looked up wherever it is.
    let area = req
        .area
        .or(results.area_from_text)
        .filter(|_| by_number.is_none());
    if area.is_none()
        && let Some(option) = needs_area.first()
    {
        return Ok(Outcome::Usage(needs_area_message(option)));
    }
    let found = Found {
        catalog: &catalog,
        engine: &engine,
        query,
        area,
        care: &req.care_types,
        with_phone: req.with_phone,
        results: &results,
    };
    if as_json {
        found.write_json(out)?;
    } else {
        found.write_text(out)?;
    }
    Ok(Outcome::Ok)
}

/// How `search` orders its hits, and the options given that need an area (`--sort distance`,
/// `--within`): without one they are refused, never ignored.
pub struct Order<'a> {
    /// The order asked for.
    pub sort: Sort,
    /// The options given that mean nothing without an area.
    pub needs_area: &'a [&'a str],
}

/// An option that means nothing without an area (`--sort distance`, `--within`): said, never
/// ignored.
fn needs_area_message(option: &str) -> String {
    format!(
        "{option} は地域と一緒に使います（距離は地域の役所から測ります）— --area で地域を指定するか、検索語に地名を入れてください"
    )
}

/// The area of a search or list in `--json`: its name as before, and what tells it apart —
/// prefecture, full name (with its 郡 when known), id and 6-digit code.
fn area_json(catalog: &Catalog, a: crate::directory::AreaIdx) -> serde_json::Value {
    let tree = &catalog.areas;
    let area = tree.at(a);
    json!({
        "id": area.id,
        "name": area.name,
        "full_name": tree.distinct_name(a),
        "prefecture": tree.prefecture_of(a).map(|p| tree.at(p).name.clone()),
        "code": area.code,
        "level": area.level,
    })
}

/// 「北区は複数あります: 東京都北区・大阪府大阪市北区 … — そのすべてで検索しました」: a query word
/// naming several areas is not guessed; all of them are searched (a shorter word that only
/// ranks: 地域なしで), and the clerk chooses one with `--area`.
fn ambiguous_area_note(
    catalog: &Catalog,
    word: &str,
    areas: &[crate::directory::AreaIdx],
    searched_all: bool,
) -> String {
    let names: Vec<String> = areas
        .iter()
        .map(|&a| sanitize_for_terminal(&catalog.areas.distinct_name(a)).into_owned())
        .collect();
    format!(
        "{}は複数あります: {} — {}（--area で一つに絞れます）",
        sanitize_for_terminal(word),
        names.join("・"),
        if searched_all {
            "そのすべてで検索しました"
        } else {
            "地域なしで検索しました"
        }
    )
}

/// A search's results with what they answer, to print.
struct Found<'a> {
    catalog: &'a Catalog,
    engine: &'a crate::search::SearchEngine,
    query: &'a str,
    /// The search's area (`--area`, or named in the query).
    area: Option<crate::directory::AreaIdx>,
    /// The care types asked for (ids).
    care: &'a [String],
    /// Only records with a phone were asked for.
    with_phone: bool,
    results: &'a crate::search::SearchResults,
}

impl Found<'_> {
    /// Under a thin result — every hit shown — in an area: where the loaded open data has
    /// offices of a type asked for, when it has none in the area's prefecture
    /// ([`crate::search::coverage`]).
    fn coverage_note(&self) -> Option<String> {
        let r = self.results;
        let area = r.distance_from.or(self.area)?;
        if r.hits.is_empty() || r.total > r.hits.len() {
            return None;
        }
        let coverage = self.engine.coverage(self.catalog).ok()?;
        self.engine
            .coverage_gap(self.catalog, &coverage, area, &r.understood)
            .ok()
            .flatten()
    }

    /// The JSON of SPEC §5, with `no_results` when there are none.
    fn write_json(&self, out: &mut impl Write) -> std::io::Result<()> {
        let hits: Vec<_> = self
            .results
            .hits
            .iter()
            .map(|h| {
                let distance = h.distance_km.map(f64::from);
                let mut v = hit_json(self.catalog, self.catalog.record(h.resource), distance);
                v["score"] = json!(h.score);
                v["snippet"] = json!(h.snippet.text);
                if !self.care.is_empty() {
                    v["care"] = json!(care_json(h.care_unknown));
                }
                v
            })
            .collect();
        let mut doc = json!({
            "query": self.query,
            "area": self.area.map(|a| self.catalog.areas.at(a).name.clone()),
            "area_detail": self.area.map(|a| area_json(self.catalog, a)),
            "with_phone": self.with_phone,
            "total": self.results.total,
            "hits": hits,
        });
        if !self.care.is_empty() {
            // How many of `total` are 要確認 (they follow those that state the care).
            doc["care_unknown"] = json!(self.results.care_unknown);
        }
        if let Some(n) = self.results.every_word {
            // The first `n` hits match every word; the rest some of them.
            doc["every_word"] = json!(n);
        }
        if !self.results.unmatched.is_empty() {
            // Words typed that no record matched within the filters: the hits match the others.
            doc["unmatched"] = json!(self.results.unmatched);
        }
        if let Some(note) = self.coverage_note() {
            // A thin result: where the open data has offices of the type asked for.
            doc["coverage_note"] = json!(note);
        }
        if let Some(km) = self.results.nearest_beyond_km {
            // Nothing asked within `km` of the area: the hits are the nearest, nearest first.
            doc["nearest_beyond_km"] = json!(km);
        }
        let windows = self.results.windows;
        let shown: Vec<_> = [("first", windows.asked), ("last", windows.closing)]
            .into_iter()
            .filter_map(|(place, owner)| {
                let owner = owner?;
                let w = self.catalog.areas.at(owner).main_window.as_ref()?;
                // Before the hits (asked for by the words) or after them (a thin answer).
                let mut v = main_window_json(w);
                v["where"] = json!(place);
                v["area"] = area_json(self.catalog, owner);
                Some(v)
            })
            .collect();
        if !shown.is_empty() {
            doc["main_windows"] = json!(shown);
        }
        if let Some(nr) = &self.results.no_results {
            doc["no_results"] = json!({
                "removed_by": nr.removed_by,
                "unsearchable": nr.unsearchable,
                "relaxations": nr.relaxations.iter().map(|r| json!({"label": r.label, "count": r.count})).collect::<Vec<_>>(),
                "did_you_mean": nr.did_you_mean,
            });
        }
        writeln!(out, "{}", json_text(&doc)?)
    }

    /// A heading, one aligned line per hit (highlights on a colour terminal), and what to try
    /// when there are none.
    fn write_text(&self, out: &mut impl Write) -> std::io::Result<()> {
        let color = std::io::stdout().is_terminal()
            && !crate::tui::theme::color_disabled(std::env::var_os("NO_COLOR").as_deref());
        let every_word;
        let mode = match self.results.mode {
            crate::search::MatchMode::All => match self.results.every_word {
                Some(n) => {
                    every_word = format!("（すべての語に一致は{n}件、続いて一部の語に一致）");
                    every_word.as_str()
                }
                None => "",
            },
            crate::search::MatchMode::Some => "（一部の語に一致）",
            crate::search::MatchMode::Approximate => "（近い表記で検索）",
        };
        let nearest = self
            .results
            .nearest_beyond_km
            .map(|km| format!("（{}）", present::nearest_note(km)))
            .unwrap_or_default();
        writeln!(
            out,
            "「{}」{}{}{} — {}{mode}{nearest}",
            sanitize_for_terminal(self.query),
            self.area
                .map(|a| format!(
                    " 地域: {}",
                    sanitize_for_terminal(&self.catalog.areas.at(a).name)
                ))
                .unwrap_or_default(),
            sanitize_for_terminal(&care_heading(self.catalog, self.care)),
            if self.with_phone { " 電話あり" } else { "" },
            present::count_with_unknown(self.results.total, self.results.care_unknown)
        )?;
        if let Some(note) = present::unmatched_note(&self.results.unmatched) {
            // Before the hits: they answer only the other words.
            writeln!(out, "{}", sanitize_for_terminal(&note))?;
        }
        // The main window the words ask for (名古屋市役所) comes first.
        self.write_window(out, self.results.windows.asked)?;
        for h in &self.results.hits {
            let r = self.catalog.record(h.resource);
            let text = if color {
                mark(&h.snippet.text, &h.snippet.highlights)
            } else {
                sanitize_for_terminal(&h.snippet.text).into_owned()
            };
            Row::of(self.catalog, r, None)
                .with_distance(self.area.is_some(), h.distance_km.map(f64::from))
                .with_care_unknown(h.care_unknown)
                .write_line(out, &text)?;
        }
        if self.results.hits.iter().any(|h| h.care_unknown) {
            writeln!(out, "{}", care_legend())?;
        }
        if let Some(note) = self.coverage_note() {
            writeln!(out, "{}", sanitize_for_terminal(&note))?;
        }
        self.write_no_results(out)?;
        // A thin answer ends with the area's main window: the one number always to give.
        self.write_window(out, self.results.windows.closing)
    }

    /// A main window's row, aligned with the hits' (see [`Row::main_window`]).
    fn write_window(
        &self,
        out: &mut impl Write,
        owner: Option<crate::directory::AreaIdx>,
    ) -> std::io::Result<()> {
        match owner.and_then(|o| Row::main_window(self.catalog, o)) {
            Some(row) => {
                let row = row.with_distance(self.area.is_some(), None);
                let text = row.text.clone();
                row.write_line(out, &text)
            }
            None => Ok(()),
        }
    }

    /// Which filter removed everything, the relaxations with their counts, did-you-mean.
    fn write_no_results(&self, out: &mut impl Write) -> std::io::Result<()> {
        let Some(nr) = &self.results.no_results else {
            return Ok(());
        };
        if nr.unsearchable {
            writeln!(out, "{}", present::UNSEARCHABLE)?;
        }
        if !nr.removed_by.is_empty() {
            writeln!(
                out,
                "絞り込み（{}）で0件になりました。",
                nr.removed_by.join("・")
            )?;
            if nr.removed_by.iter().any(|f| f == "ケア") {
                writeln!(out, "{}。", present::CARE_FILTER_KEPT_UNKNOWN)?;
            }
        }
        for r in &nr.relaxations {
            writeln!(out, "  → {}: {}件", r.label, r.count)?;
        }
        if !nr.did_you_mean.is_empty() {
            writeln!(
                out,
                "もしかして: {}",
                nr.did_you_mean
                    .iter()
                    .enumerate()
                    .map(|(i, n)| {
                        // Each with where it is (the search's area may not be it).
                        let place = nr
                            .did_you_mean_records
                            .get(i)
                            .map(|&r| present::place_name(self.catalog, self.catalog.record(r)));
                        let n = sanitize_for_terminal(n);
                        match place {
                            Some(p) => format!("{n}（{}）", sanitize_for_terminal(&p)),
                            None => n.into_owned(),
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" / ")
            )?;
        }
        Ok(())
    }
}

/// Sanitized snippet text with highlights in bold reverse video (terminal output only).
fn mark(text: &str, highlights: &[std::ops::Range<usize>]) -> String {
    let mut out = String::new();
    let mut at = 0;
    for h in highlights {
        if h.start < at
            || h.end > text.len()
            || !text.is_char_boundary(h.start)
            || !text.is_char_boundary(h.end)
        {
            continue;
        }
        out.push_str(&sanitize_for_terminal(&text[at..h.start]));
        out.push_str("\x1b[1;7m");
        out.push_str(&sanitize_for_terminal(&text[h.clone()]));
        out.push_str("\x1b[0m");
        at = h.end;
    }
    out.push_str(&sanitize_for_terminal(&text[at..]));
    out
}

/// `areas`: the gazetteer as a tree (every area, indented under its parent), or the areas
/// whose name, reading, romaji or code contains QUERY, each with its full name.
pub fn areas(
    data: &DataSource,
    query: Option<&str>,
    as_json: bool,
    out: &mut impl Write,
) -> CliResult {
    let catalog = open_catalog(data)?;
    let tree = &catalog.areas;
    let order: Vec<usize> = match query.map(str::trim).filter(|q| !q.is_empty()) {
        None => tree
            .roots()
            .into_iter()
            .flat_map(|r| tree.self_and_descendants(r))
            .collect(),
        Some(q) => catalog.find_areas(q),
    };
    if as_json {
        let areas: Vec<_> = order
            .iter()
            .map(|&i| {
                let a = tree.at(i);
                json!({
                    "id": a.id,
                    "name": a.name,
                    "full_name": tree.full_name(i),
                    "kana": a.kana,
                    "level": a.level,
                    "parent": a.parent,
                    "code": crate::directory::codes::six_digit(&a.id),
                    "aliases": a.aliases,
                    "main_window": a.main_window.as_ref().map(main_window_json),
                })
            })
            .collect();
        let doc = json!({ "query": query, "total": areas.len(), "areas": areas });
        writeln!(out, "{}", json_text(&doc)?)?;
        return Ok(Outcome::Ok);
    }
    for &i in &order {
        let a = tree.at(i);
        let name = if query.is_some() {
            tree.full_name(i)
        } else {
            format!("{}{}", "  ".repeat(tree.depth(i)), a.name)
        };
        let code = crate::directory::codes::six_digit(&a.id).unwrap_or_default();
        writeln!(
            out,
            "{}  {}  {}  {}  {}",
            pad(&sanitize_for_terminal(&name), 28),
            pad(&sanitize_for_terminal(&a.kana), 24),
            pad(a.level.label(), 8),
            pad(&sanitize_for_terminal(&a.id), 18),
            code
        )?;
    }
    writeln!(out, "{}件", order.len())?;
    Ok(Outcome::Ok)
}

/// A main window in JSON output: as stored (every value as its source row wrote it), with
/// `phone_display`, the phone as read (national format).
fn main_window_json(w: &crate::directory::MainWindow) -> serde_json::Value {
    let mut v = json!(w);
    v["phone_display"] = json!(present::main_window_phone(w));
    v
}

/// `areas QUERY --card`: the area's card ([`present::area_card`]): its main window's line,
/// then the labelled fields. QUERY is resolved like `--area` (an ambiguous name is a usage
/// error listing every candidate).
pub fn area_card(data: &DataSource, query: &str, out: &mut impl Write) -> CliResult {
    let catalog = open_catalog(data)?;
    let idx = match catalog.resolve_area(query) {
        Ok(i) => i,
        Err(e) => return Ok(filter_usage(&catalog, FilterError::Area(e))),
    };
    let (head, fields) = present::area_card(&catalog.areas, idx);
    writeln!(out, "{}", sanitize_for_terminal(&head))?;
    write_fields(out, &fields)?;
    Ok(Outcome::Ok)
}

/// `import gazetteer`: writes the gazetteer layer from the committed sources and says on
/// stderr what was not used (each row with its file and line).
pub fn import_gazetteer(sources: &std::path::Path, out: &std::path::Path) -> CliResult {
    let g = crate::import::gazetteer::write(sources, out)?;
    crate::note!("{}: 地域 {}件", out.display(), g.areas.len());
    for r in &g.report.ignored_rows {
        let line = format!(
            "  使わなかった行: {}:{}: {} {}（コード一覧にないコード）",
            r.file, r.line, r.code, r.name
        );
        crate::note!("{}", sanitize_for_terminal(&line));
    }
    if !g.report.without_office.is_empty() {
        let line = format!(
            "  役所の行がない地域（位置・URL なし）: {}",
            g.report.without_office.join("、")
        );
        crate::note!("{}", sanitize_for_terminal(&line));
    }
    let windows = g.areas.iter().filter(|a| a.main_window.is_some()).count();
    let phones = g
        .areas
        .iter()
        .filter(|a| a.main_window.as_ref().is_some_and(|w| w.phone.is_some()))
        .count();
    crate::note!(
        "  市区町村の代表窓口: {windows}件（代表電話つき {phones}件）、代表窓口でない行（対象外） {}行",
        g.report.other_windows
    );
    for d in &g.report.phone_disagreements {
        let line = format!(
            "  電話の食い違い: {}: {} は {}、{} は {} — 載せたのは {}",
            d.municipality,
            d.row,
            d.row_phone,
            d.list_row,
            d.list_phone,
            d.kept.as_deref().unwrap_or("なし")
        );
        crate::note!("{}", sanitize_for_terminal(&line));
    }
    for w in &g.report.windows_not_used {
        let line = format!("  使わなかった行: {}: {}（{}）", w.row, w.name, w.reason);
        crate::note!("{}", sanitize_for_terminal(&line));
    }
    Ok(Outcome::Ok)
}

/// What `import wamnet` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct WamnetArgs {
    /// The WAM NET files (`csvdownload0NN.csv`, or WAM's zip `sfkopendata_YYYYMM_NN.zip`),
    /// cited by their file name — with their `wamnet-YYYY-MM` folder or zip in front when
    /// they are in one ([`wamnet_inputs`]).
    pub files: Vec<PathBuf>,
    /// Where to write the layer (atomically); standard output when `None`.
    pub out: Option<PathBuf>,
    /// The release of every file (`YYYY-MM`, `2024-04以前`), or of one (`FILE=YYYY-MM`); else
    /// from the zip's name or the `wamnet-YYYY-MM` folder.
    pub as_of: Vec<String>,
    /// Where to write every report entry (atomically).
    pub report: Option<PathBuf>,
    /// Service types (`053`, `54`) imported only for offices in `prefectures`.
    pub restrict_types: Vec<String>,
    /// Prefecture ids or names (`13`, `山口県`) for `restrict_types`.
    pub prefectures: Vec<String>,
    /// Write the layer even when it holds no record, or not every office of the bundled open
    /// data it replaces (`--allow-partial`).
    pub allow_partial: bool,
    /// A layer written by an earlier import, to compare with (issue 28).
    pub previous: Option<PathBuf>,
    /// Where to write the changes report (`.json`, `.csv` or `.md`, atomically).
    pub changes: Option<PathBuf>,
}

/// What `import wamnet` did, for tests and the summary line.
#[derive(Debug, Clone)]
pub struct WamnetOutcome {
    /// Records in the layer.
    pub records: usize,
    /// Records whose municipality was not found: located in their prefecture.
    pub prefecture_only: usize,
    /// Records left out of the layer: not even the prefecture was found (each in the report).
    pub left_out: usize,
    /// What loading the layer would lose of the bundled open data it replaces.
    pub lost: crate::import::wamnet::layer::Lost,
    /// The importer's report, with the notes above added.
    pub report: crate::import::wamnet::Report,
    /// Each file's release and where it came from: 「wamnet-2026-03/csvdownload065.csv: 公開時点
    /// 2026-03（フォルダ名から）」.
    pub releases: Vec<String>,
    /// The bundled links (`data/links.json`) whose office is closed in the layer written.
    pub closed_links: Vec<crate::directory::links::ClosedLink>,
    /// With `--previous`: what changed, and what the layer kept of the previous one.
    pub compared: Option<(
        crate::import::wamnet::changes::Changes,
        crate::import::wamnet::carry::Carried,
    )>,
}

/// `import wamnet`: one directory layer from WAM NET files (see `data/sources/README.md`); a
/// one-line summary on stderr, every report entry with `--report`.
pub fn import_wamnet(data: &DataSource, args: &WamnetArgs) -> CliResult {
    let previous = match wamnet_previous(args)? {
        Ok(p) => p,
        Err(usage) => return Ok(Outcome::Usage(usage)),
    };
    let catalog = data.load()?;
    // Written record by record as the import builds them; a file only replaces the old one
    // once complete.
    let done = match &args.out {
        Some(path) => {
            let inputs: Vec<&std::path::Path> = args.files.iter().map(PathBuf::as_path).collect();
            let at = |e: CliError| e.at(path);
            let mut file =
                crate::fsutil::AtomicFile::for_output(path, &inputs).map_err(|e| at(e.into()))?;
            let mut out = std::io::BufWriter::new(&mut file);
            let done = wamnet_layer(&catalog, args, previous.as_ref(), &mut out).map_err(at)?;
            out.flush().map_err(|e| at(e.into()))?;
            drop(out);
            if let Ok(d) = &done
                && !refused_partial(d, args)
            {
                // What was streamed is read back and checked as `--data` would load it: a
                // layer that cannot be loaded never replaces the file.
                let written =
                    std::fs::read_to_string(file.temp_path()).map_err(|e| at(CliError::from(e)))?;
                check_before_writing(data, &written, Some(path))?;
                drop(written);
                file.commit().map_err(|e| at(e.into()))?;
            }
            done
        }
        None => wamnet_layer(
            &catalog,
            args,
            previous.as_ref(),
            &mut std::io::BufWriter::new(std::io::stdout().lock()),
        )?,
    };
    let done = match done {
        Ok(done) => done,
        Err(usage) => return Ok(Outcome::Usage(usage)),
    };
    if refused_partial(&done, args) {
        return Err(CliError::PartialLayer {
            target: args
                .out
                .as_ref()
                .map_or("(標準出力)".to_string(), |p| p.display().to_string()),
            records: done.records,
            lost: done.lost,
        });
    }
    if let Some(path) = &args.report {
        let inputs: Vec<&std::path::Path> = args.files.iter().map(PathBuf::as_path).collect();
        write_output(path, &inputs, wamnet_report_text(&done.report).as_bytes())?;
    } else {
        // No row is dropped silently: without a report file, each row left out and each cell
        // dropped is named here (notes, which lose nothing, only in the report file).
        for e in done.report.entries.iter().filter(|e| {
            matches!(
                e.severity,
                crate::import::wamnet::Severity::RowSkipped
                    | crate::import::wamnet::Severity::CellDropped
            )
        }) {
            let line = e.to_string().replace(['\n', '\r'], " ");
            crate::note!("{}", sanitize_for_terminal(&line));
        }
    }
    for line in &done.releases {
        crate::note!("{}", sanitize_for_terminal(line));
    }
    wamnet_changes(args, &done)?;
    for c in &done.closed_links {
        eprintln!("注意: {}", sanitize_for_terminal(&c.to_string()));
    }
    let unresolved: usize = done.prefecture_only + done.left_out;
    crate::note!(
        "{}: 記録 {}件。{}。市区町村が地域の一覧にない記録 {unresolved}件（都道府県にだけ位置づけた {}件、レイヤーに入れない {}件）{}",
        args.out
            .as_ref()
            .map_or("(標準出力)".to_string(), |p| p.display().to_string()),
        done.records,
        done.report.summary(),
        done.prefecture_only,
        done.left_out,
        if args.report.is_some() {
            ""
        } else {
            " — 注記も含めた一覧は --report FILE で書き出せます"
        }
    );
    Ok(Outcome::Ok)
}

/// Whether a layer is refused for what it would erase, without `--allow-partial`: no record,
/// or a service type of the bundled open data that none of its records has (it replaces the
/// whole bundled layer: the offices of that type would vanish). Offices missing from a type
/// it holds are a newer release's closures, not refused.
fn refused_partial(done: &WamnetOutcome, args: &WamnetArgs) -> bool {
    !args.allow_partial && (done.records == 0 || !done.lost.types.is_empty())
}

/// The format of `--changes`, by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChangesFormat {
    Json,
    Csv,
    Markdown,
}

/// Checks `--changes` and reads `--previous` before anything is imported: `Ok(Err(msg))` is a
/// usage error.
fn wamnet_previous(
    args: &WamnetArgs,
) -> Result<Result<Option<crate::import::wamnet::changes::PreviousLayer>, String>, CliError> {
    use crate::import::wamnet::changes::PreviousLayer;
    if let Some(path) = args
        .changes
        .as_deref()
        .filter(|p| changes_format(p).is_none())
    {
        return Ok(Err(format!(
            "import wamnet: --changes {}: 形式は拡張子で決めます（.json・.csv・.md）",
            path.display()
        )));
    }
    let Some(path) = &args.previous else {
        return Ok(Ok(None));
    };
    let bytes = std::fs::read(path).map_err(|e| CliError::Read {
        path: path.display().to_string(),
        source: e,
    })?;
    Ok(Ok(Some(PreviousLayer::parse(
        &bytes,
        &path.display().to_string(),
    )?)))
}

fn changes_format(path: &Path) -> Option<ChangesFormat> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "json" => Some(ChangesFormat::Json),
        "csv" => Some(ChangesFormat::Csv),
        "md" => Some(ChangesFormat::Markdown),
        _ => None,
    }
}

/// Writes `--changes` and says what changed and what the layer kept of `--previous`.
fn wamnet_changes(args: &WamnetArgs, done: &WamnetOutcome) -> Result<(), CliError> {
    let Some((report, carried)) = &done.compared else {
        return Ok(());
    };
    if let Some(path) = &args.changes {
        let bytes = match changes_format(path) {
            Some(ChangesFormat::Csv) => report.to_csv().map_err(std::io::Error::other)?,
            Some(ChangesFormat::Markdown) => report.to_markdown().into_bytes(),
            _ => report.to_json().into_bytes(),
        };
        crate::fsutil::write_atomic(path, &bytes)?;
    }
    crate::note!(
        "{}",
        sanitize_for_terminal(&format!(
            "{} → {}: {}",
            report.from,
            report.to,
            report.summary()
        ))
    );
    eprintln!("{carried}");
    Ok(())
}

/// The report file: the summary, one line per file, then every entry as `file:line: …`.
pub fn wamnet_report_text(report: &crate::import::wamnet::Report) -> String {
    let mut s = format!("{}\n", report.summary());
    for f in &report.files {
        s.push_str(&format!(
            "{}: {}、{}行を読み、記録に入った行 {}、取り込まない行 {}、選ばなかった行 {}\n",
            f.file, f.encoding, f.rows_read, f.rows_in_records, f.rows_skipped, f.rows_not_selected
        ));
    }
    for e in &report.entries {
        s.push_str(&e.to_string().replace(['\n', '\r'], " "));
        s.push('\n');
    }
    s
}

/// One downloaded file: its name as cited, its bytes, and its release.
struct WamnetInput {
    /// The path given on the command line (a zip's, for each of its files).
    given: PathBuf,
    name: String,
    bytes: Vec<u8>,
    as_of: Option<String>,
    /// Where `as_of` came from, said to the user (「zip の名前から」).
    origin: &'static str,
}

/// The release month in a name: `sfkopendata_202603_65.zip` → `2026-03`,
/// `wamnet-2025-03` → `2025-03`.
fn release_in_name(name: &str) -> Option<String> {
    if let Some(rest) = name.strip_prefix("wamnet-") {
        return crate::directory::validate::is_date(rest).then(|| rest.to_string());
    }
    let ym = name.strip_prefix("sfkopendata_")?.get(..6)?;
    let month = format!("{}-{}", ym.get(..4)?, ym.get(4..)?);
    crate::directory::validate::is_date(&month).then_some(month)
}

/// Reads the files: a CSV is one input, cited as `wamnet-YYYY-MM/NAME` when it is in such a
/// folder (files of several releases share names) and as its name otherwise; WAM's zip gives
/// every CSV inside, cited as `ZIP/NAME`, its release from the zip's name. `Err(msg)` is a
/// usage error.
fn wamnet_inputs(files: &[PathBuf]) -> Result<Result<Vec<WamnetInput>, String>, CliError> {
    let mut inputs: Vec<WamnetInput> = Vec::new();
    for f in files {
        let file_name = f.file_name().map_or_else(
            || f.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let bytes = std::fs::read(f).map_err(|source| CliError::Read {
            path: f.display().to_string(),
            source,
        })?;
        if bytes.starts_with(b"PK\x03\x04") {
            let zip_as_of = release_in_name(&file_name);
            let entries = match crate::import::archive::csv_entries(&bytes) {
                Ok(e) => e,
                Err(why) => return Ok(Err(format!("import wamnet: {file_name}: {why}"))),
            };
            for (entry, bytes) in entries {
                inputs.push(WamnetInput {
                    given: f.clone(),
                    name: format!("{file_name}/{entry}"),
                    bytes,
                    as_of: zip_as_of.clone(),
                    origin: "zip の名前から",
                });
            }
            continue;
        }
        let folder = std::fs::canonicalize(f).ok().and_then(|p| {
            let dir = p.parent()?.file_name()?.to_str()?.to_string();
            release_in_name(&dir).map(|month| (dir, month))
        });
        inputs.push(match folder {
            Some((dir, month)) => WamnetInput {
                given: f.clone(),
                name: format!("{dir}/{file_name}"),
                bytes,
                as_of: Some(month),
                origin: "フォルダ名から",
            },
            None => WamnetInput {
                given: f.clone(),
                name: file_name,
                bytes,
                as_of: None,
                origin: "",
            },
        });
    }
    let mut names: Vec<&str> = inputs.iter().map(|i| i.name.as_str()).collect();
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
        return Ok(Err(format!(
            "import wamnet: 同じ名前のファイルが二つあります: {}",
            w[0]
        )));
    }
    Ok(Ok(inputs))
}

/// Applies `--as-of`: `DATE` for every file, `FILE=DATE` for one (FILE as given on the
/// command line, or its cited name). Every file must end with a release.
fn apply_as_of(inputs: &mut [WamnetInput], as_of: &[String]) -> Result<(), String> {
    for a in as_of {
        let (target, date) = match a.rsplit_once('=') {
            Some((t, d)) => (Some(t), d),
            None => (None, a.as_str()),
        };
        if !crate::directory::values::is_month(date) {
            return Err(format!(
                "import wamnet: --as-of「{date}」は公開の年月ではありません（YYYY-MM、日付の分からないファイルは 2024-04以前）"
            ));
        }
        let mut hit = false;
        for input in inputs.iter_mut() {
            let named = target.is_none_or(|t| {
                input.name == t
                    || input.name.ends_with(&format!("/{t}"))
                    || input.given.as_os_str() == t
            });
            if named {
                input.as_of = Some(date.to_string());
                input.origin = "--as-of";
                hit = true;
            }
        }
        if let (Some(t), false) = (target, hit) {
            return Err(format!(
                "import wamnet: --as-of {a}: 「{t}」は指定したファイルにありません"
            ));
        }
    }
    let today = crate::directory::values::today();
    for i in inputs.iter() {
        if let Some(d) = i.as_of.as_deref()
            && crate::directory::values::is_after(d, &today)
        {
            return Err(format!(
                "import wamnet: {}: 公開時点（{}）: {}",
                i.name,
                i.origin,
                crate::directory::values::future_reason(d, &today)
            ));
        }
    }
    if let Some(i) = inputs.iter().find(|i| i.as_of.is_none()) {
        return Err(format!(
            "import wamnet: {} の公開時点がわかりません — --as-of YYYY-MM を指定してください（wamnet-YYYY-MM フォルダーか sfkopendata_YYYYMM_NN.zip なら不要）",
            i.name
        ));
    }
    Ok(())
}

/// Imports the files and writes the layer to `out`, record by record; `Ok(Err(msg))` is a
/// usage error (nothing written).
pub fn wamnet_layer(
    catalog: &Catalog,
    args: &WamnetArgs,
    previous: Option<&crate::import::wamnet::changes::PreviousLayer>,
    out: &mut dyn Write,
) -> Result<Result<WamnetOutcome, String>, CliError> {
    use crate::import::wamnet::{self, Entry, ImportOptions, Restriction, Severity};
    if args.files.is_empty() {
        return Ok(Err(
            "import wamnet: csvdownload0NN.csv を一つ以上指定してください".into(),
        ));
    }
    let mut inputs = match wamnet_inputs(&args.files)? {
        Ok(i) => i,
        Err(usage) => return Ok(Err(usage)),
    };
    if let Err(usage) = apply_as_of(&mut inputs, &args.as_of) {
        return Ok(Err(usage));
    }
    if args.restrict_types.is_empty() != args.prefectures.is_empty() {
        return Ok(Err(
            "import wamnet: --restrict-types と --to-prefectures は一緒に指定します".into(),
        ));
    }
    let mut restrict = Vec::new();
    if !args.restrict_types.is_empty() {
        let mut codes = Vec::new();
        for t in &args.restrict_types {
            let digits = t.trim().trim_start_matches("csvdownload");
            match digits.parse::<u8>() {
                Ok(c) if (11..=99).contains(&c) => codes.push(c),
                _ => {
                    return Ok(Err(format!(
                        "import wamnet: 「{t}」はサービス種別のコード（053 など）ではありません"
                    )));
                }
            }
        }
        let mut prefectures = Vec::new();
        for p in &args.prefectures {
            let found = catalog.areas.areas().iter().find(|a| {
                a.level == AreaLevel::Prefecture && (a.id == p.trim() || a.name == p.trim())
            });
            match found {
                Some(a) => prefectures.push(a.id.clone()),
                None => {
                    return Ok(Err(format!(
                        "import wamnet: 「{p}」は都道府県（13、東京都 など）ではありません"
                    )));
                }
            }
        }
        restrict.push(Restriction { codes, prefectures });
    }
    let mut said_releases: Vec<String> = inputs
        .iter()
        .map(|i| {
            format!(
                "{}: 公開時点 {}（{}）",
                i.name,
                i.as_of.as_deref().unwrap_or_default(),
                i.origin
            )
        })
        .collect();
    said_releases.sort();
    let inputs_ref: Vec<(&str, &[u8])> = inputs
        .iter()
        .map(|i| (i.name.as_str(), i.bytes.as_slice()))
        .collect();
    let releases: std::collections::BTreeMap<String, String> = inputs
        .iter()
        .map(|i| (i.name.clone(), i.as_of.clone().unwrap_or_default()))
        .collect();
    let tree = &catalog.areas;
    let locate = |m: &str| -> Option<String> {
        tree.area_of_address(m)
            .or_else(|| tree.prefecture_of_address(m).map(|(p, _)| p))
            .map(|i| tree.at(i).id.clone())
    };
    let newest = releases
        .values()
        .max_by_key(|d| crate::directory::validate::date_order(d))
        .cloned()
        .unwrap_or_default();
    let order: Vec<&String> = releases.keys().collect();
    let docs = wamnet::source_documents(
        &releases
            .iter()
            .map(|(n, d)| (n.as_str(), d.as_str()))
            .collect::<Vec<_>>(),
    );
    let opts = ImportOptions {
        as_of: newest,
        releases: releases.clone(),
        restrict,
    };
    // Begun with the first record: nothing is written when the files cannot be imported.
    let mut out = Some(out);
    let mut layer = None;
    let mut notes: Vec<Entry> = Vec::new();
    let (mut records, mut prefecture_only, mut left_out) = (0, 0, 0);
    let mut write_error: Option<std::io::Error> = None;
    let (mut ids, mut codes) = (
        std::collections::HashSet::new(),
        std::collections::BTreeSet::new(),
    );
    let mut resources = Vec::new();
    let mut left_rows: Vec<Vec<String>> = Vec::new();
    let mut report = wamnet::import_each(&inputs_ref, &opts, &locate, &mut |r| {
        let first = &r.sources[0];
        let line = first
            .section
            .split(' ')
            .nth(1)
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let mut note = |severity, reason: String| {
            notes.push(Entry {
                file: first.file.clone(),
                line,
                office_number: r.office_numbers.first().cloned(),
                severity,
                about: "事業所住所（市区町村）".into(),
                reason,
            });
        };
        let muni = r.municipality.as_deref().unwrap_or("（空）");
        let level = r
            .located_in
            .as_deref()
            .and_then(|id| tree.get(id))
            .map(|a| a.level);
        match level {
            Some(AreaLevel::Prefecture) => {
                prefecture_only += 1;
                note(
                    Severity::Note,
                    format!(
                        "「{muni}」: 地域の一覧のどの市区町村とも決まらないため、都道府県にだけ位置づけました — 記録 {}",
                        r.id
                    ),
                );
            }
            None => {
                left_out += 1;
                left_rows.push(r.sources.iter().map(|s| s.file.clone()).collect());
                note(
                    Severity::RowSkipped,
                    format!(
                        "「{muni}」から都道府県がわからないため、記録 {}（{}）はレイヤーに入れていません",
                        r.id, r.name
                    ),
                );
                return;
            }
            Some(_) => {}
        }
        records += 1;
        let resource = r.to_resource();
        codes.extend(resource.designations.iter().filter_map(|d| d.code));
        ids.insert(resource.id.clone());
        // With a previous layer, the records are written once carried (closed ones added,
        // continuing ones given their former designations and ids).
        if previous.is_some() {
            resources.push(resource);
            return;
        }
        if write_error.is_some() {
            return;
        }
        if let Some(out) = out.take() {
            match wamnet::layer::LayerWriter::begin(out, &docs) {
                Ok(w) => layer = Some(w),
                Err(e) => write_error = Some(e),
            }
        }
        if let Some(Err(e)) = layer.as_mut().map(|w| w.record(&resource)) {
            write_error = Some(e);
        }
    })?;
    if let Some(e) = write_error {
        return Err(e.into());
    }
    let mut compared = None;
    let mut closed_links = Vec::new();
    if let Some(previous) = previous {
        let (changes, carried) = carry_previous(catalog, previous, &mut resources);
        closed_links = closed_links_in(catalog, &resources)?;
        ids.extend(resources.iter().map(|r| r.id.clone()));
        let docs = previous.cited_documents(docs.clone(), &resources);
        if let Some(mut out) = out.take() {
            wamnet::layer::write(&mut out, &docs, resources.iter().cloned())?;
        }
        compared = Some((changes, carried));
    }
    match (layer, out) {
        (Some(w), _) => w.finish()?,
        // No record: the layer is the header and an empty list.
        (None, Some(out)) => wamnet::layer::LayerWriter::begin(out, &docs)?.finish()?,
        // The writer could not begin, or the records were written carried: see above.
        (None, None) => {}
    }
    // The summary counts what the lines say: a record left out is 取り込まない行, not 記録.
    for rows in &left_rows {
        report.leave_out(&rows.iter().map(String::as_str).collect::<Vec<_>>());
    }
    report.entries.extend(notes);
    report.entries.sort_by(|a, b| {
        let fa = order.iter().position(|n| **n == a.file);
        let fb = order.iter().position(|n| **n == b.file);
        (fa, a.line, a.severity).cmp(&(fb, b.line, b.severity))
    });
    let lost = wamnet::layer::lost_by_replacing(catalog, &ids, &codes);
    Ok(Ok(WamnetOutcome {
        lost,
        records,
        prefecture_only,
        left_out,
        report,
        releases: said_releases,
        closed_links,
        compared,
    }))
}

/// The bundled links whose office is closed in `layer`, a layer that replaces the bundled
/// open data: its records with the catalog's other records (the curated ones).
fn closed_links_in(
    catalog: &Catalog,
    layer: &[Resource],
) -> Result<Vec<crate::directory::links::ClosedLink>, CliError> {
    use crate::import::wamnet::layer::BUNDLED_NAME;
    let links = crate::directory::links::bundled().map_err(LoadError::from)?;
    let others = catalog
        .resources()
        .iter()
        .enumerate()
        .filter(|(i, _)| catalog.layer_of(*i).is_none_or(|l| l.name != BUNDLED_NAME))
        .map(|(_, r)| r);
    Ok(crate::directory::links::closed_offices(
        others.chain(layer),
        &links.links,
    ))
}

/// Compares the new records with the previous layer and carries it into them
/// ([`crate::import::wamnet::carry`]): first seen on every designation, closed records
/// appended, former designations and ids on the records that continue the old ones.
fn carry_previous(
    catalog: &Catalog,
    previous: &crate::import::wamnet::changes::PreviousLayer,
    resources: &mut Vec<Resource>,
) -> (
    crate::import::wamnet::changes::Changes,
    crate::import::wamnet::carry::Carried,
) {
    use crate::import::wamnet::{carry, changes};
    let (from, to) = changes::releases(&previous.resources, resources);
    let place = |r: &Resource| place_of(catalog, r);
    let report = changes::compare(&from, &previous.resources, &to, resources, &place);
    carry::first_seen(&previous.resources, resources);
    let carried = carry::carry(&previous.resources, resources, &report);
    (report, carried)
}

/// Where a record is, for the changes report's groups.
fn place_of(catalog: &Catalog, r: &Resource) -> crate::import::wamnet::changes::Place {
    let tree = &catalog.areas;
    let Some(idx) = r.located_in.as_deref().and_then(|id| tree.index_of(id)) else {
        return Default::default();
    };
    let pref = tree.prefecture_of(idx);
    crate::import::wamnet::changes::Place {
        key: tree.at(idx).id.clone(),
        prefecture: pref.map(|p| tree.at(p).name.clone()).unwrap_or_default(),
        municipality: if pref == Some(idx) {
            String::new()
        } else {
            tree.at(idx).name.clone()
        },
    }
}

/// What `import links` was asked to do.
#[derive(Debug, Clone)]
pub struct LinksArgs {
    /// The curated records (`data/curated.json`).
    pub curated: PathBuf,
    /// The open-data offices (`data/wamnet.json`).
    pub offices: PathBuf,
    /// Where to write the links (atomically); standard output when `None`.
    pub out: Option<PathBuf>,
    /// Where to write the review list as text (atomically).
    pub review: Option<PathBuf>,
}

/// The records of a layer file, read as they are (the layer's own checks are `validate`'s).
fn layer_records(path: &std::path::Path) -> Result<Vec<Resource>, CliError> {
    #[derive(serde::Deserialize)]
    struct Records {
        resources: Vec<Resource>,
    }
    let bytes = std::fs::read(path).map_err(|source| CliError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let r: Records = serde_json::from_slice(&bytes).map_err(|source| CliError::NotALayer {
        path: path.display().to_string(),
        source,
    })?;
    Ok(r.resources)
}

/// `import links`: which curated record is which open-data office (same name, same
/// municipality; see [`crate::import::links`]); the links file, a summary on stderr, and the
/// cases left for review with `--review`.
pub fn import_links(args: &LinksArgs) -> CliResult {
    let areas = DataSource::bundled().load_unlinked()?.areas;
    let curated = layer_records(&args.curated)?;
    let offices = layer_records(&args.offices)?;
    let name = |p: &std::path::Path| {
        p.file_name().map_or_else(
            || p.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    };
    let file = crate::import::links::make_links(
        &areas,
        &curated,
        &offices,
        &name(&args.curated),
        &name(&args.offices),
    );
    let text = crate::import::links::render(&file).map_err(std::io::Error::other)?;
    match &args.out {
        Some(path) => write_output(path, &[&args.curated, &args.offices], text.as_bytes())?,
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    if let Some(path) = &args.review {
        write_output(
            path,
            &[&args.curated, &args.offices],
            links_review_text(&file).as_bytes(),
        )?;
    }
    let linked: std::collections::BTreeSet<&str> =
        file.links.iter().map(|l| l.curated.as_str()).collect();
    crate::note!(
        "{}: 結んだもの {}件（資料の記録 {}件）、要確認（結んでいない） {}件{}",
        args.out
            .as_ref()
            .map_or("(標準出力)".to_string(), |p| p.display().to_string()),
        file.links.len(),
        linked.len(),
        file.review.len(),
        if args.review.is_some() || file.review.is_empty() {
            ""
        } else {
            " — 一つずつの一覧は --review FILE で書き出せます"
        }
    );
    Ok(Outcome::Ok)
}

/// The links and the review list as text: one line per link, then each review item with its
/// candidates.
pub fn links_review_text(file: &crate::directory::links::LinkFile) -> String {
    let mut s = format!("結んだもの {}件\n", file.links.len());
    for l in &file.links {
        s.push_str(&format!(
            "  {} 「{}」 = {} 「{}」 {} — {}\n",
            l.curated, l.curated_name, l.office, l.office_name, l.municipality_name, l.rule
        ));
    }
    s.push_str(&format!("要確認（結んでいない） {}件\n", file.review.len()));
    for r in &file.review {
        s.push_str(&format!(
            "  {} 「{}」: {}\n",
            r.curated, r.curated_name, r.reason
        ));
        for c in &r.candidates {
            s.push_str(&format!(
                "    {} 「{}」 {} {}\n",
                c.office,
                c.name,
                c.municipality.as_deref().unwrap_or("-"),
                c.address.as_deref().unwrap_or("")
            ));
        }
    }
    s.replace('\r', " ")
}

/// What `synth` writes (see [`crate::synth`]).
#[derive(Debug, Clone)]
pub enum SynthShape {
    /// Records composed like the curated ones.
    Curated,
    /// Offices shaped like the open-data layer.
    OpenData,
    /// WAM NET download files (rows) into this directory.
    WamnetCsv(std::path::PathBuf),
}

/// `synth`: a synthetic directory for benchmarks, to a file (atomically) or standard output;
/// or WAM NET download files into a directory.
pub fn synth(
    data: &DataSource,
    records: usize,
    seed: u64,
    shape: &SynthShape,
    file: Option<&std::path::Path>,
) -> CliResult {
    let base = data.load()?;
    let write = |out: &mut dyn Write| -> std::io::Result<()> {
        let mut out = std::io::BufWriter::new(out);
        match shape {
            SynthShape::Curated => crate::synth::write_synthetic(&base, records, seed, &mut out),
            _ => crate::synth::write_open_data(&base, records, seed, &mut out),
        }
    };
    match (shape, file) {
        (SynthShape::WamnetCsv(dir), _) => {
            std::fs::create_dir_all(dir)?;
            let rows = crate::synth::write_wamnet_csv(&base, records, seed, dir)?;
            crate::note!("{}: {rows} rows", dir.display());
        }
        (_, None) => write(&mut std::io::stdout().lock())?,
        (_, Some(path)) => {
            let at = |e: std::io::Error| CliError::from(e).at(path);
            let mut file = crate::fsutil::AtomicFile::for_output(path, &[]).map_err(at)?;
            write(&mut file).map_err(at)?;
            file.commit().map_err(at)?;
        }
    }
    Ok(Outcome::Ok)
}

/// `bench`: the performance numbers of one directory (see [`crate::bench`]).
pub fn bench(
    data: &DataSource,
    queries: Option<&std::path::Path>,
    as_json: bool,
    out: &mut impl Write,
) -> CliResult {
    if let Some(root) = std::env::var_os(crate::bench::WARM_PHASE_ENV) {
        let warm = crate::bench::run_warm(data, queries, std::path::Path::new(&root))?;
        writeln!(
            out,
            "{}",
            serde_json::to_string(&warm).map_err(std::io::Error::other)?
        )?;
        return Ok(Outcome::Ok);
    }
    let report = crate::bench::run(data, queries)?;
    if as_json {
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&report).map_err(std::io::Error::other)?
        )?;
    } else {
        write!(out, "{}", crate::bench::human(&report))?;
    }
    Ok(Outcome::Ok)
}

/// Pretty JSON in which every character that could drive a terminal is escaped: serde_json
/// escapes C0 controls itself; DEL, C1 controls, bidi controls and line/paragraph separators
/// are legal raw in JSON strings, so they are written as `\uXXXX` here (they can only occur
/// inside strings, so this never touches the JSON structure).
pub fn json_text(value: &impl serde::Serialize) -> std::io::Result<String> {
    let raw = serde_json::to_string_pretty(value).map_err(std::io::Error::other)?;
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c != '\n' && crate::text::sanitize::is_unsafe_for_terminal(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

/// What `import table` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct TableArgs {
    /// The .xlsx, .csv or .tsv file.
    pub file: PathBuf,
    /// The sheet (default: the mapping's, else the first).
    pub sheet: Option<String>,
    /// The mapping file; guessed from the headers when `None`.
    pub map: Option<PathBuf>,
    /// Where to write the layer (atomically); standard output when `None`.
    pub out: Option<PathBuf>,
    /// Where to write the guessed mapping (default: beside FILE, `FILE.map.toml`, never
    /// overwritten).
    pub write_map: Option<PathBuf>,
    /// The date records cite when the mapping gives none (default: the file's date).
    pub as_of: Option<String>,
    /// Ids are `{prefix}-{row}` (default: from the file name).
    pub id_prefix: Option<String>,
}

/// `import table`: an office's own list as a layer; each row left out is listed on stderr
/// with its place and reason, and the status is 1 when there is one.
pub fn import_table(data: &DataSource, args: &TableArgs) -> CliResult {
    use crate::import::table::{self, TableOptions};
    let catalog = data.load()?;
    let limits = table::Limits::default();
    let bytes = table::grid::read_limited(&args.file, &limits)?;
    let name = args.file.file_name().map_or_else(
        || args.file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let map = match &args.map {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|source| CliError::Read {
                path: p.display().to_string(),
                source,
            })?;
            Some(table::parse_map(&p.display().to_string(), &text)?)
        }
        None => None,
    };
    let date = match &args.as_of {
        Some(d) => d.clone(),
        None => std::fs::metadata(&args.file)
            .and_then(|m| m.modified())
            .map(crate::directory::values::ymd_of)
            .unwrap_or_else(|_| crate::directory::values::ymd_of(std::time::SystemTime::now())),
    };
    if let Some(p) = &args.id_prefix
        && (p.is_empty() || !p.bytes().all(|b| b.is_ascii_graphic()))
    {
        return Ok(Outcome::Usage(format!(
            "import table --id-prefix: 「{p}」は空白のない ASCII で書いてください（shinagawa-2025 など）"
        )));
    }
    let opts = TableOptions {
        sheet: args.sheet.clone(),
        map,
        date,
        id_prefix: args.id_prefix.clone(),
        limits,
    };
    let imp = table::import(&name, &bytes, &opts, &catalog)?;
    let text = imp.layer_text();
    check_before_writing(data, &text, args.out.as_deref())?;
    match &args.out {
        Some(path) => {
            let mut inputs = vec![args.file.as_path()];
            inputs.extend(args.map.as_deref());
            write_output(path, &inputs, text.as_bytes())?;
        }
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    if args.map.is_none() {
        let path = args.write_map.clone().unwrap_or_else(|| {
            let mut p = args.file.clone().into_os_string();
            p.push(".map.toml");
            PathBuf::from(p)
        });
        if args.write_map.is_none() && path.exists() {
            crate::note!(
                "列の対応の推測は書きません（{} がすでにあります。--map で使うか --write-map で別の名前に）",
                path.display()
            );
        } else {
            write_output(
                &path,
                &[&args.file],
                table::mapping::render(&imp.map).as_bytes(),
            )?;
            crate::note!(
                "列の対応の推測を {} に書きました（直して --map で渡せます）",
                path.display()
            );
        }
    }
    let target = args
        .out
        .as_ref()
        .map_or("(標準出力)".to_string(), |p| p.display().to_string());
    crate::note!("{target}: {name} {}", imp.summary());
    for p in &imp.problems {
        crate::note!("  {}", sanitize_for_terminal(&p.to_string()));
    }
    if imp.left_out > 0 {
        return Err(CliError::RowsLeftOut {
            left_out: imp.left_out,
            unit: "行",
        });
    }
    Ok(Outcome::Ok)
}

/// Writes an output file (the policy of [`crate::fsutil`]), naming it in any error.
fn write_output(
    path: &std::path::Path,
    inputs: &[&std::path::Path],
    bytes: &[u8],
) -> Result<(), CliError> {
    crate::fsutil::write_output(path, inputs, bytes).map_err(|e| CliError::from(e).at(path))
}

/// Checks an importer's layer as `--data` would load it, before it is written (see
/// [`DataSource::check_layer`]).
fn check_before_writing(
    data: &DataSource,
    text: &str,
    out: Option<&std::path::Path>,
) -> Result<(), CliError> {
    let target = out.map_or("(標準出力)".to_string(), |p| p.display().to_string());
    data.check_layer(&target, text.as_bytes(), out)
        .map_err(|source| CliError::NotLoadable { target, source })
}

/// `export hsds DIR --format json|csv`: the directory as Open Referral HSDS 3.0.
pub fn export_hsds(data: &DataSource, dir: &std::path::Path, csv: bool) -> CliResult {
    use crate::import::hsds::export;
    let catalog = data.load()?;
    let pkg = export::build(&catalog);
    let files = if csv {
        export::write_csv(&pkg, dir)?
    } else {
        export::write_json(&pkg, dir)?
    };
    crate::note!(
        "{}: HSDS 3.0（{}）: サービス {}件、ファイル {}個",
        dir.display(),
        if csv {
            "表形式のデータパッケージ"
        } else {
            "JSON"
        },
        pkg.services.len(),
        files.len()
    );
    Ok(Outcome::Ok)
}

/// What `import hsds` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct HsdsArgs {
    /// The directory (`services.json` or `services.csv`) or a JSON file.
    pub path: PathBuf,
    /// Where to write the layer (atomically); standard output when `None`.
    pub out: Option<PathBuf>,
    /// Area for services whose areas name none of ours.
    pub area: Option<String>,
    /// Date cited for services that give none (default: today).
    pub as_of: Option<String>,
}

/// `import hsds`: HSDS 3.0 (either form) as a layer; each service left out is listed on
/// stderr, and the status is 1 when there is one.
pub fn import_hsds(data: &DataSource, args: &HsdsArgs) -> CliResult {
    use crate::import::hsds::read;
    let catalog = data.load()?;
    let default_area = match &args.area {
        Some(a) => match catalog.resolve_area(a) {
            Ok(i) => Some(catalog.areas.at(i).id.clone()),
            Err(e) => return Ok(Outcome::Usage(format!("import hsds --area: {e}"))),
        },
        None => None,
    };
    let date = args
        .as_of
        .clone()
        .unwrap_or_else(|| crate::directory::values::ymd_of(std::time::SystemTime::now()));
    if !crate::directory::validate::is_date(&date) {
        return Ok(Outcome::Usage(format!(
            "import hsds --as-of: 「{date}」は日付（YYYY-MM-DD）ではありません"
        )));
    }
    let today = crate::directory::values::today();
    if crate::directory::values::is_after(&date, &today) {
        return Ok(Outcome::Usage(format!(
            "import hsds --as-of: {}",
            crate::directory::values::future_reason(&date, &today)
        )));
    }
    let opts = read::HsdsOptions { default_area, date };
    let imp = read::import(&args.path, &opts, &catalog)?;
    let title = format!("HSDS 3.0 から取り込んだレイヤー（{}）", args.path.display());
    let text = imp.layer_text(&title);
    check_before_writing(data, &text, args.out.as_deref())?;
    match &args.out {
        Some(path) => {
            let mut inputs = vec![args.path.clone()];
            inputs.extend(
                ["services.json", "services.csv", "metadata.json"].map(|f| args.path.join(f)),
            );
            let inputs: Vec<&std::path::Path> = inputs.iter().map(PathBuf::as_path).collect();
            write_output(path, &inputs, text.as_bytes())?;
        }
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    crate::note!(
        "{}: サービス {}件を読み、{}件を取り込み、{}件は取り込めません",
        args.path.display(),
        imp.services,
        imp.records.len(),
        imp.left.len()
    );
    for l in &imp.left {
        crate::note!("  {}", sanitize_for_terminal(&l.to_string()));
    }
    if !imp.left.is_empty() {
        return Err(CliError::RowsLeftOut {
            left_out: imp.left.len(),
            unit: "件のサービス",
        });
    }
    Ok(Outcome::Ok)
}

/// Labelled fields, one a line, the labels padded to one width (display cells).
fn write_fields(out: &mut impl Write, fields: &[present::Field]) -> std::io::Result<()> {
    let label_width = fields
        .iter()
        .map(|f| display_width(f.label))
        .max()
        .unwrap_or(0);
    for f in fields {
        writeln!(
            out,
            "{}  {}",
            pad(f.label, label_width),
            sanitize_for_terminal(&f.value)
        )?;
    }
    Ok(())
}
