//! User configuration and session state under `directories::ProjectDirs("jp", "ikenavi",
//! "ikenavi")` (SPEC §6).
//!
//! - `config.toml` in the config dir: `home_area` (the office's municipality, pre-selected as the
//!   地域 filter), `data` (a directory file to use instead of the bundled one) and a `[keys]`
//!   table of key overrides (`area = ["F2", "Alt-A"]`), `within_km` (how far offices are
//!   included around the selected area, km), `tally` (`true`: count each enquiry's shape, never
//!   its words — see [`crate::tally`]; off by default). A config that cannot be read or parsed
//!   never stops the program: it yields defaults plus warnings the UI shows.
//! - `state.toml` in the state dir: the last session's filters (area, care type and need ids)
//!   — never any query text — and, when a session was ended by a signal or a closed terminal
//!   with a shortlist not saved yet, that shortlist (record ids), so that it is back at the next
//!   start instead of lost. Written atomically (temporary file + rename), mode 0600.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use directories::ProjectDirs;
use serde::{Deserialize, Serialize};
use toml::de::DeValue;

/// Key overrides: command name → one key or a list of keys (`"F2"`, `["F2", "Alt-A"]`),
/// and where each command's line is in the file (`config.toml:7:1`), for the keymap's
/// warnings about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyOverrides(pub BTreeMap<String, KeySpec>, pub BTreeMap<String, String>);

impl KeyOverrides {
    /// Where the entry of command `name` is written (`config.toml:7:1`), if it came from a
    /// file.
    pub fn place(&self, name: &str) -> Option<&str> {
        self.1.get(name).map(String::as_str)
    }
}

/// One key or several, as written in `[keys]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySpec {
    /// `quit = "Ctrl-Q"`.
    One(String),
    /// `quit = ["Ctrl-Q", "Ctrl-C"]`.
    Many(Vec<String>),
}

impl KeySpec {
    /// The keys as a list.
    pub fn keys(&self) -> Vec<&str> {
        match self {
            KeySpec::One(k) => vec![k.as_str()],
            KeySpec::Many(ks) => ks.iter().map(String::as_str).collect(),
        }
    }
}

/// The contents of `config.toml`. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// The office's own area (name, reading, romaji or id), pre-selected as the 地域 filter.
    pub home_area: Option<String>,
    /// Directory files added as layers on the bundled ones, under `IKENAVI_DATA`'s and
    /// `--data`'s: `data = "a.json"` or `data = ["a.json", "b.json"]`.
    pub data: Vec<PathBuf>,
    /// With an area: offices within this many km of its office are included too (default
    /// [`DEFAULT_WITHIN_KM`](crate::directory::DEFAULT_WITHIN_KM); `--within` wins).
    pub within_km: Option<u32>,
    /// Count each enquiry's shape in the tally file (`tally = true`; `--tally` too). Off by
    /// default: a session without it writes nothing of the kind.
    pub tally: bool,
    /// Key overrides.
    pub keys: KeyOverrides,
}

/// A loaded config and what was wrong with it (shown as a warning line; defaults used).
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The config, or defaults.
    pub config: Config,
    /// Problems, in Japanese, one line each.
    pub warnings: Vec<String>,
}

/// The project's directories, if the platform has a home directory.
pub fn project_dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("jp", "ikenavi", "ikenavi")
}

/// Path of `config.toml`.
pub fn config_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// Path of the state file (`state_dir`, or the local data dir where the platform has none).
pub fn state_path() -> Option<PathBuf> {
    project_dirs().map(|d| {
        d.state_dir()
            .unwrap_or_else(|| d.data_local_dir())
            .join("state.toml")
    })
}

/// Reads the config from its standard place. A missing file is not a problem.
pub fn load() -> Loaded {
    match config_path() {
        Some(p) => load_from(&p),
        None => Loaded::default(),
    }
}

/// Reads a config file; a missing file gives defaults silently, anything else wrong gives
/// defaults and a warning.
pub fn load_from(path: &Path) -> Loaded {
    match std::fs::read_to_string(path) {
        Ok(text) => parse(&text, &path.display().to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Loaded::default(),
        Err(e) => Loaded {
            config: Config::default(),
            warnings: vec![format!(
                "設定ファイルを読めません（{}: {e}）— 既定値で動作します",
                path.display()
            )],
        },
    }
}

/// The settings `config.toml` knows, for the warning about one it does not.
const KNOWN_KEYS: &str = "home_area・data・within_km・tally・[keys]";

/// Parses config text. A file that is not TOML gives defaults and one warning with the line
/// and column of the mistake; in a TOML file, each unknown key or value of the wrong type is
/// a warning naming it with its line and column, and everything else is used — a typo in
/// one line never costs the office its `home_area`.
pub fn parse(text: &str, name: &str) -> Loaded {
    let doc = match toml::de::DeTable::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            let msg = e.message().replace('\n', " ");
            let at = e
                .span()
                .map(|s| format!(":{}", line_col(text, error_offset(text, s.start))))
                .unwrap_or_default();
            return Loaded {
                config: Config::default(),
                warnings: vec![format!(
                    "設定ファイルの誤り（{name}{at}: {msg}）— 既定値で動作します"
                )],
            };
        }
    };
    let mut loaded = Loaded::default();
    let place = |offset: usize| format!("{name}:{}", line_col(text, offset));
    for (key, value) in doc.get_ref().iter() {
        let at = place(key.span().start);
        let unused = |what: String| format!("設定ファイル {at}: {what} — この設定は使いません");
        match key.get_ref().as_ref() {
            "home_area" => match value.get_ref() {
                DeValue::String(s) => loaded.config.home_area = Some(s.to_string()),
                _ => loaded.warnings.push(unused(
                    "home_area は文字列で書いてください（例: home_area = \"品川区\"）".into(),
                )),
            },
            "data" => match strings(value.get_ref()) {
                Some(paths) => loaded.config.data = paths.into_iter().map(PathBuf::from).collect(),
                None => loaded.warnings.push(unused(
                    "data はファイルのパスか、その配列で書いてください（例: data = [\"a.json\"]）"
                        .into(),
                )),
            },
            "within_km" => match value.get_ref() {
                DeValue::Integer(n) => match u32::from_str_radix(n.as_str(), n.radix()) {
                    Ok(km) => loaded.config.within_km = Some(km),
                    Err(_) => loaded.warnings.push(unused(
                        "within_km は 0 以上の整数（km）で書いてください（例: within_km = 30）"
                            .into(),
                    )),
                },
                _ => loaded.warnings.push(unused(
                    "within_km は 0 以上の整数（km）で書いてください（例: within_km = 30）".into(),
                )),
            },
            "tally" => match value.get_ref() {
                DeValue::Boolean(on) => loaded.config.tally = *on,
                _ => loaded.warnings.push(unused(
                    "tally は true か false で書いてください（例: tally = true）".into(),
                )),
            },
            "keys" => match value.get_ref() {
                DeValue::Table(table) => key_overrides(table, &place, &mut loaded),
                _ => loaded.warnings.push(unused(
                    "[keys] は表で書いてください（[keys] の行の下に area = \"F2\" のように）"
                        .into(),
                )),
            },
            other => loaded.warnings.push(unused(format!(
                "「{other}」は知らない設定です（使えるのは {KNOWN_KEYS}）"
            ))),
        }
    }
    loaded
}

/// The entries of `[keys]`, each with its place; an entry that is neither a key nor a list
/// of keys is a warning. Whether a name is a command and a key a key is the keymap's to say.
fn key_overrides(
    table: &toml::de::DeTable<'_>,
    place: &dyn Fn(usize) -> String,
    loaded: &mut Loaded,
) {
    for (cmd, keys) in table.iter() {
        let at = place(cmd.span().start);
        let cmd = cmd.get_ref().to_string();
        let spec = match (keys.get_ref(), strings(keys.get_ref())) {
            (DeValue::String(k), _) => KeySpec::One(k.to_string()),
            (_, Some(ks)) => KeySpec::Many(ks),
            _ => {
                loaded.warnings.push(format!(
                    "設定ファイル {at}: [keys] の {cmd} はキーの文字列か、その配列で書いてください（例: {cmd} = [\"F2\", \"Alt-A\"]）— この設定は使いません"
                ));
                continue;
            }
        };
        loaded.config.keys.0.insert(cmd.clone(), spec);
        loaded.config.keys.1.insert(cmd, at);
    }
}

/// A string, or an array of strings, as a list.
fn strings(value: &DeValue<'_>) -> Option<Vec<String>> {
    match value {
        DeValue::String(s) => Some(vec![s.to_string()]),
        DeValue::Array(items) => items
            .iter()
            .map(|v| match v.get_ref() {
                DeValue::String(s) => Some(s.to_string()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// Where a syntax error is to be shown: where the parser stopped, or — when it stopped in the
/// blank end of the text (an array or string left open runs to the end of the file) — right
/// after the last thing written, on that line rather than the empty one after it.
fn error_offset(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    let rest = text.get(offset..).unwrap_or("");
    if rest.trim().is_empty() {
        text[..offset].trim_end().len()
    } else {
        offset
    }
}

/// `line:column` of a byte offset, both from 1; the column counts characters, as editors do.
fn line_col(text: &str, offset: usize) -> String {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    format!("{line}:{col}")
}

/// What the state file holds: the last session's filters, as ids. Never query text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// Area id.
    #[serde(default)]
    pub area: Option<String>,
    /// Care type ids.
    #[serde(default)]
    pub care_types: Vec<String>,
    /// Need ids.
    #[serde(default)]
    pub needs: Vec<String>,
    /// The ids of a shortlist not saved yet when the session was ended from outside (SIGTERM,
    /// SIGHUP, the terminal closed): the next start brings it back.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shortlist: Vec<String>,
}

impl State {
    /// Reads the state file. A missing file is no state (`Ok(None)`); a file that cannot be
    /// read or parsed is no state too, with a one-line warning (`Err`) for the UI — it is
    /// replaced by a good one when the session ends.
    pub fn load_from(path: &Path) -> Result<Option<State>, String> {
        let problem = |e: &dyn std::fmt::Display| {
            format!(
                "前回の絞り込み（{}）を読めないため使いません: {}",
                path.display(),
                e.to_string().replace('\n', " ")
            )
        };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(problem(&e)),
        };
        match toml::from_str::<State>(&text) {
            Ok(state) => Ok(Some(state)),
            Err(e) => Err(problem(&e.message())),
        }
    }

    /// Writes the state file atomically (temporary file in the same dir, then rename).
    pub fn save_to(&self, path: &Path) -> std::io::Result<()> {
        let text = toml::to_string(self).map_err(std::io::Error::other)?;
        crate::fsutil::write_private_atomic(path, text.as_bytes())
    }
}

/// Where saved cards and shortlists go: the user's documents dir, else the data dir.
pub fn save_dir() -> Option<PathBuf> {
    directories::UserDirs::new()
        .and_then(|u| u.document_dir().map(|d| d.join("ikenavi")))
        .or_else(|| project_dirs().map(|d| d.data_dir().join("saved")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_config_parses() {
        let l = parse(
            "home_area = \"品川区\"\ndata = \"/tmp/x.json\"\nwithin_km = 50\n[keys]\narea = \"F9\"\nquit = [\"Ctrl-Q\", \"Ctrl-C\"]\n",
            "config.toml",
        );
        assert!(l.warnings.is_empty(), "{:?}", l.warnings);
        assert_eq!(l.config.home_area.as_deref(), Some("品川区"));
        assert_eq!(l.config.data, [PathBuf::from("/tmp/x.json")]);
        assert_eq!(l.config.within_km, Some(50));
        assert_eq!(l.config.keys.0["area"].keys(), vec!["F9"]);
        assert_eq!(l.config.keys.0["quit"].keys(), vec!["Ctrl-Q", "Ctrl-C"]);
    }

    #[test]
    fn the_tally_is_off_unless_set_to_true() {
        assert!(
            !parse("home_area = \"品川区\"\n", "config.toml")
                .config
                .tally
        );
        let l = parse("tally = true\n", "config.toml");
        assert!(l.warnings.is_empty() && l.config.tally, "{:?}", l.warnings);
        let l = parse("tally = \"yes\"\n", "config.toml");
        assert!(!l.config.tally);
        assert!(
            l.warnings[0].contains("config.toml:1:1: tally は true か false"),
            "{:?}",
            l.warnings
        );
    }

    #[test]
    fn data_may_list_several_layers() {
        let l = parse("data = [\"a.json\", \"b.json\"]\n", "config.toml");
        assert!(l.warnings.is_empty(), "{:?}", l.warnings);
        assert_eq!(
            l.config.data,
            [PathBuf::from("a.json"), PathBuf::from("b.json")]
        );
    }

    #[test]
    fn a_bad_config_gives_defaults_and_a_warning() {
        let l = parse("home_area = [1\n", "config.toml");
        assert_eq!(l.config, Config::default());
        assert_eq!(l.warnings.len(), 1);
        assert!(l.warnings[0].contains("config.toml:1"), "{}", l.warnings[0]);
        let l = parse("colour = \"red\"\n", "config.toml");
        assert_eq!(l.warnings.len(), 1);
    }

    #[test]
    fn a_syntax_error_is_reported_at_its_own_line_and_column() {
        for (text, at) in [
            ("home_area = [1\n", "config.toml:1:15"),
            ("home_area = \"品川区\n", "config.toml:1:"),
            (
                "home_area = \"品川区\"\nthis is not toml\n",
                "config.toml:2:",
            ),
            ("this is not toml", "config.toml:1:"),
            ("\n\n[keys\n", "config.toml:3:"),
        ] {
            let l = parse(text, "config.toml");
            assert_eq!(l.config, Config::default(), "{text:?}");
            assert_eq!(l.warnings.len(), 1, "{text:?}");
            assert!(l.warnings[0].contains(at), "{text:?}: {}", l.warnings[0]);
            assert!(!l.warnings[0].contains('\n'), "{}", l.warnings[0]);
        }
    }

    #[test]
    fn an_unknown_or_invalid_key_warns_and_the_rest_is_used() {
        let l = parse(
            "home_area = \"品川区\"\ncolour = \"red\"\ndata = 5\n[keys]\narea = \"F10\"\nneed = 7\n  care = [\"F11\"]\n",
            "config.toml",
        );
        assert_eq!(l.config.home_area.as_deref(), Some("品川区"));
        assert!(l.config.data.is_empty());
        assert_eq!(l.config.keys.0["area"].keys(), vec!["F10"]);
        assert_eq!(l.config.keys.0["care"].keys(), vec!["F11"]);
        assert_eq!(l.config.keys.place("care"), Some("config.toml:7:3"));
        assert!(!l.config.keys.0.contains_key("need"));
        assert_eq!(l.warnings.len(), 3, "{:?}", l.warnings);
        let about = |at: &str, what: &str| {
            assert!(
                l.warnings
                    .iter()
                    .any(|w| w.contains(at) && w.contains(what)),
                "{at} {what}: {:?}",
                l.warnings
            );
        };
        about("config.toml:2:1", "「colour」は知らない設定です");
        about("config.toml:3:1", "data は");
        about("config.toml:6:1", "[keys] の need は");
        // A home_area of the wrong type is the one thing lost.
        let l = parse("home_area = 13109\ndata = \"a.json\"\n", "config.toml");
        assert_eq!(l.config.home_area, None);
        assert_eq!(l.config.data, [PathBuf::from("a.json")]);
        assert_eq!(l.warnings.len(), 1);
        assert!(l.warnings[0].contains("config.toml:1:1: home_area は文字列で"));
    }

    #[test]
    fn a_missing_config_is_silent() {
        let dir = tempfile::tempdir().unwrap();
        let l = load_from(&dir.path().join("config.toml"));
        assert!(l.warnings.is_empty());
    }

    #[test]
    fn state_round_trips_and_holds_only_filters() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/state.toml");
        let s = State {
            area: Some("13109".into()),
            care_types: vec!["ventilator".into()],
            needs: vec![],
            shortlist: vec!["wam-1350900013".into()],
        };
        s.save_to(&p).unwrap();
        assert_eq!(State::load_from(&p), Ok(Some(s)));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_missing_state_is_silent_and_a_bad_one_warns() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("state.toml");
        assert_eq!(State::load_from(&p), Ok(None));
        // Corrupt: not TOML, a wrong type, invalid UTF-8.
        for bad in [&b"area = [1\n"[..], b"area = 5\n", b"area = \"\xff\xfe\"\n"] {
            std::fs::write(&p, bad).unwrap();
            let warning = State::load_from(&p).unwrap_err();
            assert!(warning.contains("state.toml"), "{warning}");
            assert!(!warning.contains('\n'), "one line: {warning}");
        }
        // Unreadable (a directory in its place — unreadable even for root).
        std::fs::remove_file(&p).unwrap();
        std::fs::create_dir(&p).unwrap();
        assert!(State::load_from(&p).unwrap_err().contains("state.toml"));
    }

    #[test]
    fn an_unreadable_config_warns_and_gives_defaults() {
        let dir = tempfile::tempdir().unwrap();
        // The config path is a directory (unreadable as a file, even for root) …
        let p = dir.path().join("config.toml");
        std::fs::create_dir(&p).unwrap();
        let l = load_from(&p);
        assert_eq!(l.config, Config::default());
        assert_eq!(l.warnings.len(), 1);
        assert!(
            l.warnings[0].contains("設定ファイルを読めません"),
            "{:?}",
            l.warnings
        );
        // … or its "directory" is a file.
        let file = dir.path().join("not-a-dir");
        std::fs::write(&file, "x").unwrap();
        let l = load_from(&file.join("config.toml"));
        assert_eq!(l.warnings.len(), 1, "{:?}", l.warnings);
        // Invalid UTF-8 is a warning too.
        let p = dir.path().join("latin1.toml");
        std::fs::write(&p, b"home_area = \"\xe9\"\n").unwrap();
        assert_eq!(load_from(&p).warnings.len(), 1);
    }
}
