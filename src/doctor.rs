//! `ikenavi doctor`: what an install looks like from inside, for whoever sets the program up
//! on an office PC — in Japanese, one line per thing checked, each saying what was found and,
//! when something needs doing, how to fix it.
//!
//! | section | what is checked | a problem (exit 1) when |
//! |---|---|---|
//! | データ | every layer in use (bundled and the user's), its records and release (`as_of`), and where the index came from | a layer does not load |
//! | 設定 | `config.toml`: where it is, whether it exists and parses; whether the enquiry tally is on (`tally = true`), its file and how many enquiries it holds | it cannot be read, or a line of it is not used, or the tally file cannot be read |
//! | フォルダ | config, cache, state and save folders: exist, writable (a temporary file is made and removed) | a folder the program writes cannot be written or created |
//! | 端末 | output a terminal, its size, colour (`NO_COLOR`, `TERM`, `COLORTERM`), UTF-8 (`LC_ALL`/`LC_CTYPE`/`LANG`; Windows' console takes Unicode), Windows Terminal (`WT_SESSION`) | never: only advice (doctor may run through a pipe or a remote shell) |
//!
//! [`check`] gathers a [`Report`] from what it is given — the places ([`Places`]) and the
//! terminal's environment ([`TermEnv`]) — so tests give it temporary folders and made-up
//! variables; the binary prints the report ([`Report`]'s `Display`) and exits 1 when
//! [`Report::is_broken`].

use std::fmt;
use std::path::{Path, PathBuf};

use crate::directory::DataSource;
use crate::fsutil::{Access, io_reason};
use crate::search::cache::{self, IndexOrigin};

/// Where the program keeps its files for this user (`directories::ProjectDirs`, as the rest of
/// the program finds them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Places {
    /// `config.toml`.
    pub config_file: Option<PathBuf>,
    /// The index cache's root.
    pub cache: Option<PathBuf>,
    /// `state.toml` (the last filters).
    pub state_file: Option<PathBuf>,
    /// Where saved cards and shortlists go.
    pub saves: Option<PathBuf>,
}

impl Places {
    /// This user's places.
    pub fn of_this_user() -> Places {
        Places {
            config_file: crate::config::config_path(),
            cache: cache::default_cache_root(),
            state_file: crate::config::state_path(),
            saves: crate::config::save_dir(),
        }
    }
}

/// What the terminal reports about itself: the variables that tell, whether standard output is
/// one, its size, and whether this is Windows (whose console takes Unicode whatever the
/// variables say).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermEnv {
    /// `(name, value)` of each of [`TERM_VARS`] that is set.
    pub vars: Vec<(String, String)>,
    /// Whether standard output is a terminal.
    pub tty: bool,
    /// Columns × rows, when it is one.
    pub size: Option<(u16, u16)>,
    /// Running on Windows.
    pub windows: bool,
}

/// The variables read for the terminal section.
pub const TERM_VARS: [&str; 7] = [
    "TERM",
    "COLORTERM",
    "NO_COLOR",
    "LC_ALL",
    "LC_CTYPE",
    "LANG",
    "WT_SESSION",
];

impl TermEnv {
    /// This process's terminal.
    pub fn of_this_process() -> TermEnv {
        use std::io::IsTerminal;
        let tty = std::io::stdout().is_terminal();
        TermEnv {
            vars: TERM_VARS
                .iter()
                .filter_map(|&k| {
                    std::env::var_os(k).map(|v| (k.to_string(), v.to_string_lossy().into_owned()))
                })
                .collect(),
            tty,
            size: if tty {
                crossterm::terminal::size().ok()
            } else {
                None
            },
            windows: cfg!(windows),
        }
    }

    fn var(&self, name: &str) -> Option<&str> {
        self.vars
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// How a checked thing stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    /// Fine.
    Ok,
    /// Works, but worth knowing or changing.
    Note,
    /// Something the program needs does not work: doctor exits 1.
    Broken,
}

/// One thing checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// What (「キャッシュ（索引）」).
    pub label: String,
    /// What was found (a path, a count, a state).
    pub found: String,
    /// How it stands.
    pub health: Health,
    /// What to do about it, when something is to be done.
    pub fix: Option<String>,
}

impl Item {
    fn new(label: impl Into<String>, found: impl Into<String>, health: Health) -> Item {
        Item {
            label: label.into(),
            found: found.into(),
            health,
            fix: None,
        }
    }

    fn fix(mut self, fix: impl Into<String>) -> Item {
        self.fix = Some(fix.into());
        self
    }
}

/// A titled group of items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// 「データ」, 「設定」, 「フォルダ」, 「端末」.
    pub title: &'static str,
    /// Its items.
    pub items: Vec<Item>,
}

/// Everything doctor found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The program's version.
    pub version: &'static str,
    /// データ, 設定, フォルダ, 端末.
    pub sections: Vec<Section>,
}

impl Report {
    /// The items that are broken.
    pub fn problems(&self) -> impl Iterator<Item = &Item> {
        self.sections
            .iter()
            .flat_map(|s| &s.items)
            .filter(|i| i.health == Health::Broken)
    }

    /// Whether anything is broken (doctor exits 1).
    pub fn is_broken(&self) -> bool {
        self.problems().next().is_some()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "医ケアナビ（ikenavi）{} の診断", self.version)?;
        for s in &self.sections {
            writeln!(f, "\n■ {}", s.title)?;
            for i in &s.items {
                let mark = match i.health {
                    Health::Ok => "[OK]  ",
                    Health::Note => "[注意]",
                    Health::Broken => "[問題]",
                };
                writeln!(f, "{mark} {}: {}", i.label, i.found)?;
                if let Some(fix) = &i.fix {
                    writeln!(f, "       → {fix}")?;
                }
            }
        }
        let problems = self.problems().count();
        if problems == 0 {
            writeln!(f, "\n問題はありません。")
        } else {
            writeln!(
                f,
                "\n問題が {problems} 件あります。[問題] の行の → に直し方があります。"
            )
        }
    }
}

/// Checks the install: the layers of `data` (opening the index as the program does, so a cold
/// cache is built now), the config file and folders of `places`, and the terminal of `term`.
pub fn check(data: &DataSource, places: &Places, term: &TermEnv) -> Report {
    Report {
        version: env!("CARGO_PKG_VERSION"),
        sections: vec![
            Section {
                title: "データ",
                items: data_items(data, places.cache.as_deref()),
            },
            Section {
                title: "設定",
                items: vec![
                    config_item(places.config_file.as_deref()),
                    tally_item(places),
                ],
            },
            Section {
                title: "フォルダ",
                items: folder_items(places),
            },
            Section {
                title: "端末",
                items: terminal_items(term),
            },
        ],
    }
}

/// The layers with their records and release, then the index.
fn data_items(data: &DataSource, cache_root: Option<&Path>) -> Vec<Item> {
    let opened = match cache::open(data, cache_root) {
        Ok(opened) => opened,
        Err(e) => {
            return vec![
                Item::new("データ", format!("読み込めません: {e}"), Health::Broken).fix(
                    "--data・環境変数 IKENAVI_DATA・config.toml の data に挙げたファイルを \
                     `ikenavi validate ファイル` で検査し、直すか外してください",
                ),
            ];
        }
    };
    // The release of each layer as it says (`as_of`); the layers are read once more for it.
    let releases: Vec<(String, Option<String>)> = data
        .read_layers()
        .map(|ls| {
            ls.iter()
                .map(|l| (l.name.clone(), layer_as_of(&l.bytes)))
                .collect()
        })
        .unwrap_or_default();
    let mut items: Vec<Item> = opened
        .catalog
        .layers
        .iter()
        .map(|l| {
            let release = releases
                .iter()
                .find(|(n, _)| *n == l.name)
                .and_then(|(_, d)| d.clone())
                .map_or_else(|| "公開時点の記載なし".to_string(), |d| format!("{d}時点"));
            let kind = if l.bundled { "同梱" } else { "追加" };
            let title = l
                .title
                .as_deref()
                .map_or_else(String::new, |t| format!(" — {t}"));
            Item::new(
                format!("{kind} {}", l.name),
                format!("記録 {}件・{release}{title}", l.records),
                Health::Ok,
            )
        })
        .collect();
    if !data.bundled {
        items.push(
            Item::new("同梱データ", "使っていません（--no-bundled）", Health::Note)
                .fix("全国の地域と事業所を使うには --no-bundled を外してください"),
        );
    }
    items.push(index_item(&opened));
    // What the open data covers, from the records themselves (see search::coverage).
    match opened.engine.coverage(&opened.catalog) {
        Ok(coverage) => items.extend(
            coverage
                .lines(&opened.catalog)
                .into_iter()
                .map(|line| Item::new("指定事業所の範囲", line, Health::Ok)),
        ),
        Err(e) => items.push(
            Item::new(
                "指定事業所の範囲",
                format!("読めません: {e}"),
                Health::Broken,
            )
            .fix("キャッシュのフォルダを消してから起動し直すと索引が作り直されます"),
        ),
    }
    items
}

/// Where the index came from. Built anywhere but the cache (a temporary folder, or memory
/// when even that failed — the notice says which) means a cache folder that cannot be
/// written: rebuilt at every start.
fn index_item(opened: &cache::Opened) -> Item {
    let notice = opened.notice.as_deref();
    let found = match (&opened.origin, notice) {
        (IndexOrigin::Ram, None) => "メモリ上に作りました（データが小さいため）".to_string(),
        (IndexOrigin::CacheHit(p), _) => format!("キャッシュから開きました（{}）", p.display()),
        (IndexOrigin::CacheBuilt(p), _) => {
            format!("作ってキャッシュに保存しました（{}）", p.display())
        }
        (IndexOrigin::Scratch(p), _) => format!(
            "キャッシュに保存できないため、一時フォルダに作りました（{}）",
            p.display()
        ),
        (IndexOrigin::Ram, Some(_)) => {
            "キャッシュに保存できないため、メモリ上に作りました".to_string()
        }
    };
    let found = match notice {
        Some(n) => format!("{found} — {n}"),
        None => found,
    };
    let fallback = match opened.origin {
        IndexOrigin::Scratch(_) => true,
        IndexOrigin::Ram => notice.is_some(),
        IndexOrigin::CacheHit(_) | IndexOrigin::CacheBuilt(_) => false,
    };
    if fallback {
        Item::new("索引", found, Health::Broken).fix(
            "起動のたびに索引を作り直します。下の「キャッシュ（索引）」のフォルダを書き込めるようにしてください",
        )
    } else {
        Item::new("索引", found, Health::Ok)
    }
}

/// A layer's own release date: its top-level `as_of`.
fn layer_as_of(bytes: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Head {
        #[serde(default)]
        as_of: Option<String>,
    }
    serde_json::from_slice::<Head>(bytes).ok()?.as_of
}

/// `config.toml`: where, whether it exists, whether every line of it is used.
fn config_item(path: Option<&Path>) -> Item {
    let Some(path) = path else {
        return Item::new(
            "設定ファイル config.toml",
            "ホームフォルダが分からないため、置き場所がありません",
            Health::Note,
        )
        .fix("ユーザーのホームフォルダ（Windows ではユーザープロファイル）がある状態で起動してください");
    };
    let shown = path.display();
    if !path.exists() {
        return Item::new(
            "設定ファイル config.toml",
            format!("{shown} — ありません（既定値で動きます）"),
            Health::Ok,
        );
    }
    let loaded = crate::config::load_from(path);
    if loaded.warnings.is_empty() {
        Item::new(
            "設定ファイル config.toml",
            format!("{shown} — 読めました"),
            Health::Ok,
        )
    } else {
        Item::new(
            "設定ファイル config.toml",
            format!("{shown} — {}", loaded.warnings.join(" ／ ")),
            Health::Broken,
        )
        .fix("書かれた行:桁を直してください（README「設定ファイル」）。直すまでその設定は使われません")
    }
}

/// The enquiry tally: off (the default), or on with its file (beside `state.toml`) and how
/// many enquiries it holds; lines it cannot read are a note, a file it cannot read a problem.
fn tally_item(places: &Places) -> Item {
    const LABEL: &str = "問い合わせの集計";
    let on = places
        .config_file
        .as_deref()
        .is_some_and(|p| crate::config::load_from(p).config.tally);
    if !on {
        return Item::new(
            LABEL,
            "しません（既定。config.toml に tally = true か、起動時の --tally でします）",
            Health::Ok,
        );
    }
    let Some(path) = places
        .state_file
        .as_deref()
        .map(|p| p.with_file_name(crate::tally::FILE_NAME))
    else {
        return Item::new(LABEL, "します — 記録するフォルダがありません", Health::Note)
            .fix("ユーザーのホームフォルダがある状態で起動してください");
    };
    let shown = path.display();
    match crate::tally::read(&path) {
        Ok(p) if p.skipped.is_empty() => Item::new(
            LABEL,
            format!("します — {shown}（{}件）", p.enquiries.len()),
            Health::Ok,
        ),
        Ok(p) => Item::new(
            LABEL,
            format!(
                "します — {shown}（{}件、読めない行 {}）",
                p.enquiries.len(),
                p.skipped.len()
            ),
            Health::Note,
        )
        .fix("読めない行は数えません（ikenavi tally が行の場所を示します）"),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Item::new(
            LABEL,
            format!("します — {shown}（まだありません）"),
            Health::Ok,
        ),
        Err(e) => Item::new(
            LABEL,
            format!("します — {shown}: {}", io_reason(&e, Access::Read)),
            Health::Broken,
        )
        .fix("このファイルを読み書きできるようにしてください"),
    }
}

/// The config, cache, state and save folders.
fn folder_items(places: &Places) -> Vec<Item> {
    let config_dir = places.config_file.as_deref().and_then(Path::parent);
    let state_dir = places.state_file.as_deref().and_then(Path::parent);
    vec![
        folder_item("設定フォルダ", config_dir, Writes::No),
        folder_item("キャッシュ（索引）", places.cache.as_deref(), Writes::Yes),
        folder_item("状態（前回の絞り込み state.toml）", state_dir, Writes::Yes),
        folder_item(
            "保存先（カード・引き継ぎ票）",
            places.saves.as_deref(),
            Writes::Yes,
        ),
    ]
}

/// Whether the program writes into a folder (and so needs it writable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Writes {
    Yes,
    No,
}

fn folder_item(label: &str, dir: Option<&Path>, writes: Writes) -> Item {
    let Some(dir) = dir else {
        return Item::new(
            label,
            "ホームフォルダが分からないため、ありません",
            Health::Note,
        )
        .fix("ユーザーのホームフォルダがある状態で起動してください");
    };
    let shown = dir.display();
    let fix_rights = format!(
        "このフォルダ（なければ、その上のフォルダ）にこのユーザーの書き込み権限を与えてください: {shown}"
    );
    match std::fs::metadata(dir) {
        Ok(m) if !m.is_dir() => {
            return Item::new(
                label,
                format!("{shown} — フォルダの場所にファイルがあります"),
                Health::Broken,
            )
            .fix("そのファイルを別の名前にするか移してください");
        }
        Ok(_) if writes == Writes::No => {
            return Item::new(label, format!("{shown} — あります"), Health::Ok);
        }
        Ok(_) => {
            return match writable(dir) {
                Ok(()) => Item::new(
                    label,
                    format!("{shown} — あります・書き込めます"),
                    Health::Ok,
                ),
                Err(e) => Item::new(
                    label,
                    format!(
                        "{shown} — 書き込めません（{}）",
                        io_reason(&e, Access::Write)
                    ),
                    Health::Broken,
                )
                .fix(fix_rights),
            };
        }
        Err(_) => {}
    }
    if writes == Writes::No {
        return Item::new(
            label,
            format!("{shown} — ありません（設定ファイルを置くときに作ってください）"),
            Health::Ok,
        );
    }
    // Missing: the program creates it when it first writes, so the nearest folder above that
    // exists must be writable.
    let above = dir.ancestors().skip(1).find(|a| a.exists());
    match above.map(|a| (a, std::fs::metadata(a).map(|m| m.is_dir()))) {
        Some((a, Ok(true))) => match writable(a) {
            Ok(()) => Item::new(
                label,
                format!("{shown} — まだありません（初めて使うときに作られます）"),
                Health::Ok,
            ),
            Err(e) => Item::new(
                label,
                format!(
                    "{shown} — ありません。作れません（{}: {}）",
                    a.display(),
                    io_reason(&e, Access::Write)
                ),
                Health::Broken,
            )
            .fix(fix_rights),
        },
        Some((a, _)) => Item::new(
            label,
            format!(
                "{shown} — 作れません（{} がフォルダではありません）",
                a.display()
            ),
            Health::Broken,
        )
        .fix("パスの途中にあるファイルを別の名前にするか移してください"),
        None => Item::new(
            label,
            format!("{shown} — 作れません（上のフォルダがありません）"),
            Health::Broken,
        )
        .fix(fix_rights),
    }
}

/// Whether a file can be made in `dir`: one is made and removed at once.
fn writable(dir: &Path) -> std::io::Result<()> {
    tempfile::Builder::new()
        .prefix(".ikenavi-doctor")
        .tempfile_in(dir)
        .map(drop)
}

/// Output, size, colour, UTF-8 and (on Windows) the console.
fn terminal_items(t: &TermEnv) -> Vec<Item> {
    let mut items = Vec::new();
    let (min_w, min_h) = crate::tui::layout::MIN_SIZE;
    match (t.tty, t.size) {
        (false, _) => items.push(Item::new(
            "出力先",
            "端末ではありません（パイプやファイル）— 画面の大きさは分かりません",
            Health::Note,
        ).fix("画面（ikenavi を引数なしで）を使う端末で ikenavi doctor を実行すると、その端末を確かめられます")),
        (true, Some((w, h))) if w < min_w || h < min_h => items.push(
            Item::new("端末の大きさ", format!("{w}×{h} — 小さすぎて画面を出せません"), Health::Note)
                .fix("ウィンドウを 80×24 以上に広げてください"),
        ),
        (true, Some((w, h))) if w < 80 || h < 24 => items.push(
            Item::new("端末の大きさ", format!("{w}×{h} — 使えますが狭い画面です"), Health::Note)
                .fix("80×24 以上（詳細を一覧の右に出すには 100 桁以上）を勧めます"),
        ),
        (true, Some((w, h))) => items.push(Item::new("端末の大きさ", format!("{w}×{h}"), Health::Ok)),
        (true, None) => items.push(
            Item::new("端末の大きさ", "端末が大きさを答えません", Health::Note)
                .fix("別の端末（Windows では Windows Terminal）で試してください"),
        ),
    }
    items.push(colour_item(t));
    items.push(encoding_item(t));
    if t.windows {
        items.push(if t.var("WT_SESSION").is_some() {
            Item::new("コンソール", "Windows Terminal（WT_SESSION あり）", Health::Ok)
        } else {
            Item::new("コンソール", "Windows Terminal ではありません（WT_SESSION なし）", Health::Note).fix(
                "Windows Terminal を勧めます。古いコンソール（conhost）では文字の幅や色、IME の変換中の表示が崩れることがあります",
            )
        });
    }
    items
}

fn colour_item(t: &TermEnv) -> Item {
    let term = t.var("TERM").unwrap_or_default();
    let colorterm = t.var("COLORTERM").unwrap_or_default();
    if crate::tui::theme::color_disabled(t.var("NO_COLOR").map(std::ffi::OsStr::new)) {
        return Item::new(
            "色",
            "使いません（NO_COLOR が設定されています）",
            Health::Ok,
        );
    }
    if term == "dumb" {
        return Item::new(
            "色",
            "TERM=dumb — 色や画面の制御に対応しない端末です",
            Health::Note,
        )
        .fix("画面を使う端末では TERM を xterm-256color などにしてください");
    }
    let found =
        if colorterm.eq_ignore_ascii_case("truecolor") || colorterm.eq_ignore_ascii_case("24bit") {
            format!("フルカラー（COLORTERM={colorterm}）")
        } else if term.contains("256color") {
            format!("256色（TERM={term}）")
        } else if t.windows && t.var("WT_SESSION").is_some() {
            "フルカラー（Windows Terminal）".to_string()
        } else if term.is_empty() {
            "端末が色の対応を報告していません（TERM なし）— 基本の16色で表示します".to_string()
        } else {
            format!("基本の16色（TERM={term}）")
        };
    Item::new("色", found, Health::Ok)
}

fn encoding_item(t: &TermEnv) -> Item {
    if t.windows {
        return Item::new(
            "文字コード",
            "Windows のコンソールには Unicode で書きます（設定は不要です）",
            Health::Ok,
        );
    }
    // The locale's character set: the first of LC_ALL, LC_CTYPE, LANG that is set and not empty.
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
        .into_iter()
        .find_map(|k| t.var(k).filter(|v| !v.is_empty()).map(|v| (k, v)));
    match locale {
        Some((k, v)) if v.to_ascii_lowercase().replace('-', "").contains("utf8") => {
            Item::new("文字コード", format!("UTF-8（{k}={v}）"), Health::Ok)
        }
        Some((k, v)) => Item::new(
            "文字コード",
            format!("UTF-8 ではありません（{k}={v}）"),
            Health::Note,
        )
        .fix("日本語が化けるときは LANG=ja_JP.UTF-8 などの UTF-8 のロケールにしてください"),
        None => Item::new(
            "文字コード",
            "ロケールが設定されていません（LC_ALL・LC_CTYPE・LANG なし）",
            Health::Note,
        )
        .fix("日本語が化けるときは LANG=ja_JP.UTF-8 などの UTF-8 のロケールにしてください"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name)
    }

    fn term(vars: &[(&str, &str)], windows: bool) -> TermEnv {
        TermEnv {
            vars: vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            tty: true,
            size: Some((120, 40)),
            windows,
        }
    }

    fn item<'a>(items: &'a [Item], label: &str) -> &'a Item {
        items
            .iter()
            .find(|i| i.label.contains(label))
            .unwrap_or_else(|| panic!("no {label} in {items:#?}"))
    }

    #[test]
    fn a_folder_is_writable_to_be_created_or_broken() {
        let dir = tempfile::tempdir().unwrap();
        let there = folder_item("キャッシュ", Some(dir.path()), Writes::Yes);
        assert_eq!(there.health, Health::Ok, "{there:?}");
        assert!(there.found.contains("書き込めます"));
        // Checking leaves nothing behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

        let missing = folder_item("状態", Some(&dir.path().join("a/b")), Writes::Yes);
        assert_eq!(missing.health, Health::Ok, "{missing:?}");
        assert!(missing.found.contains("まだありません"), "{missing:?}");

        // A file where the folder should be, or on the way to it: broken, with a fix.
        let file = dir.path().join("file");
        std::fs::write(&file, "x").unwrap();
        for p in [file.clone(), file.join("cache")] {
            let i = folder_item("キャッシュ", Some(&p), Writes::Yes);
            assert_eq!(i.health, Health::Broken, "{i:?}");
            assert!(i.fix.is_some());
            assert!(i.found.contains(&p.display().to_string()), "{i:?}");
        }
    }

    #[test]
    fn the_config_is_missing_read_or_broken_at_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        let missing = config_item(Some(&p));
        assert_eq!(missing.health, Health::Ok);
        assert!(missing.found.contains("ありません"), "{missing:?}");

        std::fs::write(&p, "home_area = \"品川区\"\n").unwrap();
        assert_eq!(config_item(Some(&p)).health, Health::Ok);

        std::fs::write(&p, "home_area = \"品川区\"\ncolour = [1\n").unwrap();
        let broken = config_item(Some(&p));
        assert_eq!(broken.health, Health::Broken, "{broken:?}");
        assert!(broken.found.contains(":2:"), "{broken:?}");
        assert!(broken.fix.is_some());
    }

    #[test]
    fn the_terminal_section_reads_the_variables() {
        let items = terminal_items(&term(
            &[("LANG", "ja_JP.UTF-8"), ("TERM", "xterm-256color")],
            false,
        ));
        assert_eq!(item(&items, "文字コード").health, Health::Ok);
        assert!(item(&items, "色").found.contains("256色"));
        assert_eq!(item(&items, "端末の大きさ").found, "120×40");

        let items = terminal_items(&term(&[("LANG", "C"), ("LC_ALL", "ja_JP.eucJP")], false));
        let enc = item(&items, "文字コード");
        assert_eq!(enc.health, Health::Note);
        assert!(
            enc.found.contains("LC_ALL=ja_JP.eucJP"),
            "LC_ALL wins: {enc:?}"
        );

        let items = terminal_items(&term(&[("NO_COLOR", "1")], false));
        assert!(item(&items, "色").found.contains("NO_COLOR"));

        // Windows: Unicode whatever the locale; Windows Terminal recommended when not in it.
        let items = terminal_items(&term(&[], true));
        assert_eq!(item(&items, "文字コード").health, Health::Ok);
        let console = item(&items, "コンソール");
        assert_eq!(console.health, Health::Note);
        assert!(console.fix.as_deref().unwrap().contains("Windows Terminal"));
        let items = terminal_items(&term(&[("WT_SESSION", "x")], true));
        assert_eq!(item(&items, "コンソール").health, Health::Ok);

        let mut small = term(&[("LANG", "ja_JP.UTF-8")], false);
        small.size = Some((30, 8));
        assert!(
            item(&terminal_items(&small), "端末の大きさ")
                .found
                .contains("小さすぎ")
        );
        // Never broken: doctor may run through a pipe.
        let pipe = TermEnv::default();
        assert!(
            terminal_items(&pipe)
                .iter()
                .all(|i| i.health != Health::Broken)
        );
    }

    #[test]
    fn a_report_lists_each_layer_with_records_and_release_and_breaks_on_a_bad_one() {
        let dir = tempfile::tempdir().unwrap();
        let places = Places {
            config_file: Some(dir.path().join("config/config.toml")),
            cache: Some(dir.path().join("cache")),
            state_file: Some(dir.path().join("state/state.toml")),
            saves: Some(dir.path().join("saved")),
        };
        let data = DataSource::only(vec![fixture("minimal.json")]);
        let r = check(&data, &places, &term(&[("LANG", "ja_JP.UTF-8")], false));
        assert!(!r.is_broken(), "{r}");
        let layer = item(&r.sections[0].items, "minimal.json");
        assert!(layer.label.starts_with("追加 "), "{layer:?}");
        assert!(
            layer.found.starts_with("記録 2件・2024-10-16時点"),
            "{layer:?}"
        );
        let text = r.to_string();
        for p in ["config/config.toml", "cache", "state", "saved"] {
            assert!(
                text.contains(&dir.path().join(p).display().to_string()),
                "{p}: {text}"
            );
        }
        assert!(text.ends_with("問題はありません。\n"), "{text}");
        assert!(text.contains("問い合わせの集計: しません（既定"), "{text}");

        // The tally on: its file and how many enquiries it holds.
        std::fs::create_dir_all(dir.path().join("config")).unwrap();
        std::fs::write(dir.path().join("config/config.toml"), "tally = true\n").unwrap();
        let r = check(&data, &places, &term(&[], false));
        assert!(
            r.to_string().contains("tally.jsonl（まだありません）"),
            "{r}"
        );
        let line = "{\"v\":1,\"date\":\"2026-12-07\",\"area\":null,\"care\":[],\"needs\":[],\"services\":[],\"outcome\":\"none\"}\n";
        std::fs::create_dir_all(dir.path().join("state")).unwrap();
        std::fs::write(
            dir.path().join("state/tally.jsonl"),
            format!("{line}{line}x\n"),
        )
        .unwrap();
        let r = check(&data, &places, &term(&[], false));
        assert!(!r.is_broken());
        assert!(
            r.to_string().contains("tally.jsonl（2件、読めない行 1）"),
            "{r}"
        );

        let bad = DataSource::only(vec![fixture("invalid/duplicate_id.json")]);
        let r = check(&bad, &places, &term(&[], false));
        assert!(r.is_broken());
        let text = r.to_string();
        assert!(text.contains("[問題] データ: 読み込めません: "), "{text}");
        assert!(text.contains("duplicate_id.json"), "{text}");
        assert!(text.contains("問題が 1 件あります"), "{text}");
    }
}
