//! Loading a directory from JSON text with every problem reported and located:
//! syntax errors as `file:line:col`, semantic errors with their JSON path as well.
//! Nothing is half-loaded: either the whole directory is valid, or the caller gets the list.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::de::DeserializeOwned;
use std::collections::BTreeMap;

use super::codes;
use super::layers::{Layer, Stack, TERM_LISTS};
use super::locate::{self, LineCol, TextProblem};
use super::model::*;

/// Longest text accepted in any field: far above any real description, far below what
/// would make the index or the screen choke (a pasted 50 MB blob is a data error).
pub const MAX_STRING_CHARS: usize = 100_000;

/// The schema version this build reads.
pub const SCHEMA_VERSION: u32 = 1;

/// One problem in a data file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where it is, when it can be located.
    pub at: Option<LineCol>,
    /// JSON path (`resources[12].service_areas[0]`); empty for whole-file problems.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// Every problem found in one file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ValidationErrors {
    /// The file name as given by the user (or `data/directory.json` for the bundled one).
    pub origin: String,
    /// The problems, in document order where known.
    pub problems: Vec<Problem>,
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}", self.origin)?;
            if let Some(at) = p.at {
                write!(f, ":{}:{}", at.line, at.col)?;
            }
            write!(f, ": ")?;
            if !p.path.is_empty() {
                write!(f, "{}: ", p.path)?;
            }
            write!(f, "{}", p.message)?;
        }
        Ok(())
    }
}

/// Parses and validates a stand-alone directory file (one layer on nothing) and returns it
/// merged. `origin` names the file in messages.
pub fn parse_directory(bytes: &[u8], origin: &str) -> Result<Directory, ValidationErrors> {
    let mut stack = Stack::default();
    let layer = parse_layer(bytes, origin, &stack)?;
    stack.push(layer, origin, false);
    Ok(stack.finish().0)
}

/// Parses and validates one layer's bytes against the layers below it (`base`): its
/// references may name their areas, terms, source documents and records; its ids may not
/// clash with theirs (see [`super::layers`]). Area references written as a code in any form
/// (`271276`, `27127`) are stored as the area's id. `origin` names the file in messages.
///
/// A UTF-8 byte order mark is accepted and skipped (Windows editors write one).
pub fn parse_layer(bytes: &[u8], origin: &str, base: &Stack) -> Result<Layer, ValidationErrors> {
    let mut resources = Vec::new();
    let streamed = parse_layer_streaming(bytes, origin, base, &mut |r| resources.push(r))?;
    Ok(Layer {
        resources,
        ..streamed.layer
    })
}

/// A layer whose records went to a sink: the rest of the layer, and the ids of its records in
/// file order.
#[derive(Debug)]
pub struct Streamed {
    /// The layer without its resources.
    pub layer: Layer,
    /// The id of every record handed to the sink, in order.
    pub ids: Vec<String>,
}

/// [`parse_layer`] without holding the records: each record is typed, checked and handed to
/// `sink` in file order, and dropped here. No JSON tree of the document is built: the text is
/// checked for syntax, split into the spans of its top-level values and of its records, and
/// each span deserialized into its type; one scan over the text finds duplicate keys, bad
/// strings and the `line:col` of every problem.
///
/// The sink sees each record before the whole layer is known to be valid (a later record may
/// be broken, or name an id that does not exist): on `Err`, discard what it was given.
pub fn parse_layer_streaming(
    bytes: &[u8],
    origin: &str,
    base: &Stack,
    sink: &mut dyn FnMut(Resource),
) -> Result<Streamed, ValidationErrors> {
    let fail = |problems: Vec<Problem>| ValidationErrors {
        origin: origin.to_string(),
        problems,
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
            let mut at = locate::line_col(valid, valid.len());
            if valid.is_empty() {
                at = LineCol { line: 1, col: 1 };
            }
            return Err(fail(vec![Problem {
                at: Some(at),
                path: String::new(),
                message: format!(
                    "UTF-8 として読めないバイトがあります（先頭から {} バイトの位置）。ファイルを UTF-8 で保存し直してください",
                    e.valid_up_to()
                ),
            }]));
        }
    };
    // Syntax first, without keeping anything: every later step reads valid JSON.
    if let Err(e) = serde_json::from_str::<Syntax>(text) {
        return Err(fail(vec![Problem {
            at: Some(LineCol {
                line: e.line().max(1),
                col: e.column().max(1),
            }),
            path: String::new(),
            message: if text.trim().is_empty() {
                "ファイルが空です（ディレクトリの JSON オブジェクト { … } を書いてください）".into()
            } else {
                syntax_message(&e)
            },
        }]));
    }
    let mut checker = Checker {
        problems: Vec::new(),
        base,
        ids: Vec::new(),
        today: super::values::today(),
    };
    let layer = checker.check(text, sink);
    let problems = locate_problems(text, checker.problems);
    match layer {
        Some(layer) if problems.is_empty() => Ok(Streamed {
            layer,
            ids: checker.ids,
        }),
        _ => Err(fail(problems)),
    }
}

/// Any JSON value, read for its syntax only and dropped as it is read. Unlike
/// [`serde::de::IgnoredAny`] (which serde_json skips without a depth limit) it nests through
/// `deserialize_any`, so a document nested deeper than serde_json's recursion limit is refused
/// as such, as it is when read into a type.
struct Syntax;

impl<'de> serde::Deserialize<'de> for Syntax {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SyntaxVisitor)
    }
}

struct SyntaxVisitor;

impl<'de> serde::de::Visitor<'de> for SyntaxVisitor {
    type Value = Syntax;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Syntax, E> {
        Ok(Syntax)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Syntax, E> {
        Ok(Syntax)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Syntax, E> {
        Ok(Syntax)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Syntax, E> {
        Ok(Syntax)
    }

    fn visit_str<E>(self, _: &str) -> Result<Syntax, E> {
        Ok(Syntax)
    }

    fn visit_unit<E>(self) -> Result<Syntax, E> {
        Ok(Syntax)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Syntax, A::Error> {
        while seq.next_element::<Syntax>()?.is_some() {}
        Ok(Syntax)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Syntax, A::Error> {
        while map.next_entry::<serde::de::IgnoredAny, Syntax>()?.is_some() {}
        Ok(Syntax)
    }
}

/// A layer file as serde reads it directly: what [`parse_bundled_layer`] uses.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct LayerFile {
    schema_version: u32,
    #[serde(default)]
    #[allow(dead_code)] // read by `DataSource::read_layers` before the layers are parsed
    replaces: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    as_of: Option<String>,
    #[serde(default)]
    publisher: Option<String>,
    #[serde(default)]
    source_documents: Vec<SourceDocument>,
    #[serde(default)]
    areas: Vec<Area>,
    #[serde(default)]
    taxonomy: Taxonomy,
    #[serde(default)]
    glossary: Vec<GlossaryEntry>,
    #[serde(default)]
    service_types: Vec<ServiceTypeDef>,
    #[serde(default)]
    resources: Vec<Resource>,
}

/// Parses a layer bundled in the binary without the checks of [`parse_layer`]: the bundled
/// layers are validated in full by `cargo test` (and by `ikenavi validate`), and reading them
/// straight into their types keeps start-up within its budget. If one does not parse this
/// way, the full validation runs and reports why.
pub fn parse_bundled_layer(
    bytes: &[u8],
    origin: &str,
    base: &Stack,
) -> Result<Layer, ValidationErrors> {
    match serde_json::from_slice::<LayerFile>(bytes) {
        Ok(f) if f.schema_version == SCHEMA_VERSION => Ok(Layer {
            title: f.title,
            as_of: f.as_of,
            publisher: f.publisher,
            source_documents: f.source_documents,
            areas: f.areas,
            taxonomy: f.taxonomy,
            glossary: f.glossary,
            service_types: f.service_types,
            resources: f.resources,
        }),
        _ => parse_layer(bytes, origin, base),
    }
}

/// Gives each `(path, message)` its line:col (or its nearest existing ancestor's: a missing
/// field → its object), adds duplicate keys and bad strings (found by the same scan), and
/// sorts by position.
fn locate_problems(text: &str, found: Vec<(String, String)>) -> Vec<Problem> {
    // Each path and its ancestors: a missing field has no position of its own.
    let mut scan_paths: Vec<String> = Vec::new();
    for (path, _) in &found {
        let mut probe = path.as_str();
        loop {
            scan_paths.push(probe.to_string());
            match probe.rfind(['.', '[']) {
                Some(cut) => probe = &probe[..cut],
                None => break,
            }
        }
    }
    scan_paths.sort();
    scan_paths.dedup();
    let scan = locate::scan(text, &scan_paths, MAX_STRING_CHARS);
    let mut problems: Vec<Problem> = scan
        .duplicates
        .iter()
        .map(|d| Problem {
            at: Some(d.at),
            path: d.path.clone(),
            message: "同じキーが2回書かれています（前の値は黙って捨てられてしまいます）。1つにまとめてください"
                .into(),
        })
        .collect();
    problems.extend(scan.bad_texts.iter().map(|b| Problem {
        at: Some(b.at),
        path: b.path.clone(),
        message: match b.problem {
            TextProblem::TooLong(chars) => {
                format!("文字列が長すぎます（{chars}文字。上限は {MAX_STRING_CHARS} 文字）")
            }
            TextProblem::Control(c) => format!(
                "文字列に制御文字 U+{:04X} が入っています（タブ・改行・エスケープ文字は使えません。1段落を1つの文字列に書いてください）",
                c as u32
            ),
        },
    }));
    for (path, message) in found {
        // A typed record refuses a key written twice; the duplicate is already reported.
        if message.ends_with(DUPLICATE_FIELD)
            && scan.duplicates.iter().any(|d| d.path.starts_with(&path))
        {
            continue;
        }
        let mut at = None;
        let mut probe = path.as_str();
        loop {
            if let Some(p) = scan.positions.get(probe) {
                at = Some(*p);
                break;
            }
            match probe.rfind(['.', '[']) {
                Some(cut) => probe = &probe[..cut],
                None => break,
            }
        }
        problems.push(Problem { at, path, message });
    }
    problems.sort_by_key(|p| p.at.map(|a| (a.line, a.col)).unwrap_or((0, 0)));
    problems
}

fn syntax_message(e: &serde_json::Error) -> String {
    serde_message(&without_position(e))
}

/// A value quoted from the data in a message: in 「」, made inert (no control or bidi
/// characters, no line break that would split the one-problem-per-line report).
fn quoted(s: &str) -> String {
    format!("「{}」", crate::text::sanitize::sanitize_for_terminal(s))
}

/// A name serde quotes (a field, a variant): in backticks, made inert like [`quoted`].
fn ticked(s: &str) -> String {
    format!("`{}`", crate::text::sanitize::sanitize_for_terminal(s))
}

/// What the problem of a field written twice in one object says: recognised when the same key
/// is already reported as a duplicate key.
const DUPLICATE_FIELD: &str = "が同じオブジェクトに2回書かれています";

/// A required field that is absent.
fn missing_field(field: &str) -> String {
    format!(
        "必須の項目 {} がありません。書き加えてください",
        ticked(field)
    )
}

/// serde's and serde_json's error text, said in Japanese: the data errors serde builds
/// (`missing field …`, `unknown variant …, expected one of …`, `invalid type: …, expected …`)
/// by their shape, the syntax errors of serde_json by their fixed text; anything else is
/// given as serde wrote it, after 「JSON として読めません: 」.
fn serde_message(msg: &str) -> String {
    if let Some(m) = data_message(msg) {
        return m;
    }
    if let Some(m) = syntax_phrase(msg) {
        return format!("JSON の書き方の誤り: {m}");
    }
    format!("JSON として読めません: {msg}")
}

/// The data errors serde builds (see `serde::de::Error`), in Japanese.
fn data_message(msg: &str) -> Option<String> {
    if let Some(rest) = msg.strip_prefix("missing field `") {
        return Some(missing_field(rest.strip_suffix('`')?));
    }
    if let Some(rest) = msg.strip_prefix("duplicate field `") {
        return Some(format!(
            "項目 {} {DUPLICATE_FIELD}",
            ticked(rest.strip_suffix('`')?)
        ));
    }
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let (field, allowed) = name_and_alternatives(rest, "fields")?;
        return Some(format!(
            "項目 {} はここでは使えません（綴りを確かめてください。使える項目: {allowed}）",
            ticked(field)
        ));
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let (value, allowed) = name_and_alternatives(rest, "variants")?;
        return Some(format!(
            "{}は使えない値です（使える値: {allowed}）",
            quoted(value)
        ));
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (got, want) = rest.rsplit_once(", expected ")?;
        return Some(format!(
            "ここには{}を書きます（{}が書かれています）",
            expected_phrase(want),
            unexpected_phrase(got)
        ));
    }
    if let Some(rest) = msg.strip_prefix("invalid value: ") {
        let (got, want) = rest.rsplit_once(", expected ")?;
        return Some(format!(
            "{}は使えません（{}を書いてください）",
            unexpected_phrase(got),
            expected_phrase(want)
        ));
    }
    if let Some(rest) = msg.strip_prefix("invalid length ") {
        let (len, want) = rest.split_once(", expected ")?;
        return Some(format!(
            "要素の数が違います（{len}個書かれています。ここには{}を書きます）",
            expected_phrase(want)
        ));
    }
    None
}

/// `` x`, expected one of `a`, `b` `` (the rest of serde's `unknown field`/`unknown variant`
/// after its first backtick): the name, and the alternatives as 「`a`、`b`」.
fn name_and_alternatives<'m>(rest: &'m str, none: &str) -> Option<(&'m str, String)> {
    if let Some(name) = rest.strip_suffix(&format!("`, there are no {none}")) {
        return Some((name, "なし".to_string()));
    }
    let (name, expected) = rest.rsplit_once("`, expected ")?;
    let expected = expected.strip_prefix("one of ").unwrap_or(expected);
    let names: Vec<&str> = expected
        .split(['`'])
        .filter(|n| !n.is_empty() && *n != ", " && *n != " or ")
        .collect();
    let allowed = names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join("、");
    Some((name, allowed))
}

/// What serde says was found (`integer `3``, `string "13"`, `sequence` …), in Japanese.
fn unexpected_phrase(got: &str) -> String {
    let ticked_value = |prefix: &str| {
        got.strip_prefix(prefix)
            .and_then(|v| v.strip_prefix('`'))
            .and_then(|v| v.strip_suffix('`'))
    };
    if let Some(s) = got
        .strip_prefix("string \"")
        .and_then(|s| s.strip_suffix('"'))
    {
        return format!("文字列{}", quoted(s));
    }
    if let Some(v) = ticked_value("integer ").or_else(|| ticked_value("floating point ")) {
        return format!("数値 {v} ");
    }
    if let Some(v) = ticked_value("boolean ") {
        return format!("真偽値 {v} ");
    }
    match got {
        "null" | "unit value" => "null ".to_string(),
        "sequence" => "配列 [ … ] ".to_string(),
        "map" => "オブジェクト { … } ".to_string(),
        other => format!("{other} "),
    }
}

/// What serde says was expected (`a string`, `a sequence`, `u32`, `struct Resource` …), in
/// Japanese.
fn expected_phrase(want: &str) -> String {
    match want {
        "a string" | "a borrowed string" | "a character" => "文字列（\"…\"）".to_string(),
        "a sequence" => "配列 [ … ] ".to_string(),
        "a map" => "オブジェクト { … } ".to_string(),
        "a boolean" => "真偽値（true か false）".to_string(),
        "u8" | "u16" | "u32" | "u64" | "usize" => "0 以上の整数".to_string(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "整数".to_string(),
        "f32" | "f64" => "数値".to_string(),
        _ if want.starts_with("struct ") => "オブジェクト { … } ".to_string(),
        _ if want.starts_with("enum ") || want == "variant identifier" => {
            "決められた値の文字列".to_string()
        }
        _ if want.starts_with("a tuple of size ") || want.starts_with("an array of length ") => {
            "配列 [ … ] ".to_string()
        }
        other => format!("{} ", ticked(other)),
    }
}

/// serde_json's syntax errors (its `ErrorCode`), in Japanese with what to check.
fn syntax_phrase(msg: &str) -> Option<&'static str> {
    Some(match msg {
        m if m.starts_with("EOF while parsing") => {
            "ファイルが途中で終わっています（閉じていない {、[ または \" があります）"
        }
        "expected `:`" => "キーの後に「:」がありません",
        "expected `,` or `]`" => {
            "「,」か「]」がありません（配列の要素の間のカンマが抜けているか、[ が閉じていません）"
        }
        "expected `,` or `}`" => {
            "「,」か「}」がありません（項目の間のカンマが抜けているか、{ が閉じていません）"
        }
        "expected ident" => "値として読めません（true・false・null の綴りを確かめてください）",
        "expected value" => "値がありません（または値として読めません。文字列は \" で囲みます）",
        "expected `\"`" => "「\"」がありません",
        "invalid escape" => "文字列の中の \\ の使い方が正しくありません",
        "invalid number" => "数値として読めません",
        "number out of range" => "数値が大きすぎます",
        "invalid unicode code point"
        | "lone leading surrogate in hex escape"
        | "unexpected end of hex escape" => "文字列の中の \\u エスケープが正しくありません",
        "control character (\\u0000-\\u001F) found while parsing a string" => {
            "文字列の中に制御文字（改行・タブなど）がそのまま書かれています"
        }
        "key must be a string" => "キーは \" で囲んだ文字列にしてください",
        "trailing comma" => "最後の要素の後に余分な「,」があります",
        "trailing characters" => "JSON の終わりの後に余分な文字があります",
        "recursion limit exceeded" => "入れ子が深すぎます（[ や { の重なりを減らしてください）",
        _ => return None,
    })
}

/// The error's message without the " at line L column C" serde_json appends (the location is
/// printed in front, and within a span it would be the span's).
fn without_position(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    match msg.rfind(" at line ") {
        Some(cut) => msg[..cut].to_string(),
        None => msg,
    }
}

/// Collects `(path, message)` pairs while typing the spans of a layer's text.
struct Checker<'b> {
    problems: Vec<(String, String)>,
    /// What the layers below define.
    base: &'b Stack,
    /// The ids of the records handed to the sink.
    ids: Vec<String>,
    /// Today, `YYYY-MM-DD`: no date may come after it.
    today: String,
}

/// Top-level keys and whether they are required: a layer may hold any part of a directory
/// (a user's file often holds only `resources`).
const TOP_LEVEL: &[(&str, bool)] = &[
    ("schema_version", true),
    ("replaces", false),
    ("title", false),
    ("as_of", false),
    ("publisher", false),
    ("source_documents", false),
    ("areas", false),
    ("taxonomy", false),
    ("glossary", false),
    ("service_types", false),
    ("resources", false),
];

impl Checker<'_> {
    fn problem(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push((path.into(), message.into()));
    }

    /// Deserializes one value from its text, recording the error with the path inside it.
    fn de<T: DeserializeOwned>(&mut self, path: &str, raw: &str) -> Option<T> {
        let mut d = serde_json::Deserializer::from_str(raw);
        match serde_path_to_error::deserialize::<_, T>(&mut d) {
            Ok(v) => Some(v),
            Err(e) => {
                let inner = e.path().to_string();
                let full = if inner == "." || inner.is_empty() {
                    path.to_string()
                } else if path.is_empty() {
                    inner
                } else if inner.starts_with('[') {
                    format!("{path}{inner}")
                } else {
                    format!("{path}.{inner}")
                };
                self.problem(full, serde_message(&without_position(e.inner())));
                None
            }
        }
    }

    /// Deserializes an array element by element, so one bad record does not hide the others;
    /// each good one goes to `each`.
    fn de_each<T: DeserializeOwned>(
        &mut self,
        path: &str,
        raw: &str,
        each: &mut dyn FnMut(&mut Self, usize, T),
    ) -> bool {
        let Some(items) = locate::array_elements(raw) else {
            self.problem(path, "ここには配列 [ … ] を書きます");
            return false;
        };
        let mut ok = true;
        for (i, item) in items.into_iter().enumerate() {
            match self.de::<T>(&format!("{path}[{i}]"), item) {
                Some(v) => each(self, i, v),
                None => ok = false,
            }
        }
        ok
    }

    /// Deserializes an array element by element into a list.
    fn de_list<T: DeserializeOwned>(&mut self, path: &str, raw: &str) -> Option<Vec<T>> {
        let mut out = Vec::new();
        self.de_each::<T>(path, raw, &mut |_, _, v| out.push(v))
            .then_some(out)
    }

    fn check(&mut self, text: &str, sink: &mut dyn FnMut(Resource)) -> Option<Layer> {
        let Some(members) = locate::object_members(text) else {
            self.problem(
                "",
                "ファイル全体を1つの JSON オブジェクト { … } にしてください（最上位が { で始まっていません）",
            );
            return None;
        };
        // As a JSON object reads it: the last of keys written twice (each one reported).
        let mut top: BTreeMap<String, &str> = BTreeMap::new();
        for (key, value) in members {
            let key = serde_json::from_str::<String>(&format!("\"{key}\""))
                .unwrap_or_else(|_| key.to_string());
            top.insert(key, value);
        }
        for key in top.keys() {
            if !TOP_LEVEL.iter().any(|(k, _)| k == key) {
                let allowed: Vec<String> =
                    TOP_LEVEL.iter().map(|(k, _)| format!("`{k}`")).collect();
                self.problem(
                    key.clone(),
                    format!(
                        "最上位では使えない項目です（綴りを確かめてください。使える項目: {}）",
                        allowed.join("、")
                    ),
                );
            }
        }
        for (key, required) in TOP_LEVEL {
            if *required && !top.contains_key(*key) {
                self.problem("", missing_field(key));
            }
        }
        let schema_version = top
            .remove("schema_version")
            .and_then(|v| self.de::<u32>("schema_version", v));
        if let Some(v) = schema_version
            && v != SCHEMA_VERSION
        {
            self.problem(
                "schema_version",
                format!(
                    "`schema_version` {v} には対応していません（このバージョンの ikenavi が読めるのは {SCHEMA_VERSION}）"
                ),
            );
        }
        if let Some(Some(name)) = self.optional::<String>(&mut top, "replaces")
            && !super::load::BUNDLED.iter().any(|b| b.name == name)
        {
            let names: Vec<&str> = super::load::BUNDLED.iter().map(|b| b.name).collect();
            self.problem(
                "replaces",
                format!(
                    "{}という名前の同梱データはありません（{} のどれかを書いてください）",
                    quoted(&name),
                    names.join("、")
                ),
            );
        }
        let title = self.optional::<String>(&mut top, "title");
        let as_of = self.optional::<String>(&mut top, "as_of");
        let publisher = self.optional::<String>(&mut top, "publisher");
        let source_documents = self.list::<SourceDocument>(&mut top, "source_documents");
        let areas = self.list::<Area>(&mut top, "areas");
        let taxonomy = match top.remove("taxonomy") {
            Some(v) => self.taxonomy(v),
            None => Some(Taxonomy::default()),
        };
        let glossary = self.list::<GlossaryEntry>(&mut top, "glossary");
        let service_types = self.list::<ServiceTypeDef>(&mut top, "service_types");

        if let Some(Some(as_of)) = &as_of {
            self.date("as_of", as_of);
        }
        if let Some(docs) = &source_documents {
            self.check_source_documents(docs);
        }
        if let Some(a) = &areas {
            self.check_areas(a);
        }
        if let Some(t) = &taxonomy {
            self.check_taxonomy(t);
        }
        if let (Some(g), Some(t)) = (&glossary, &taxonomy) {
            self.check_glossary(g, t);
        }
        if let Some(st) = &service_types {
            self.check_service_types(st);
        }
        // Records last, whatever their place in the file: each is checked against the
        // layer's own areas, terms and documents, then handed on.
        let resources_ok = match top.remove("resources") {
            None => true,
            Some(raw) => match (&areas, &taxonomy, &source_documents) {
                (Some(areas), Some(taxonomy), Some(docs)) => {
                    let own = Own::new(areas, taxonomy, docs);
                    self.check_resources(raw, &own, sink)
                }
                // Typed (to report what is wrong inside them) but not checked: the layer is
                // refused for what is wrong above them.
                _ => {
                    self.de_each::<Resource>("resources", raw, &mut |_, _, _| {});
                    false
                }
            },
        };
        schema_version?;
        resources_ok.then_some(())?;
        Some(Layer {
            title: title?,
            as_of: as_of?,
            publisher: publisher?,
            source_documents: source_documents?,
            areas: areas?,
            taxonomy: taxonomy?,
            glossary: glossary?,
            service_types: service_types?,
            resources: Vec::new(),
        })
    }

    /// Each service type once, with a code WAM NET uses (11–70), a name, a line short enough
    /// to read aloud, and the article (with its date) that the line keeps to.
    fn check_service_types(&mut self, types: &[ServiceTypeDef]) {
        let mut seen = std::collections::HashSet::new();
        for (i, t) in types.iter().enumerate() {
            let at = |f: &str| format!("service_types[{i}].{f}");
            if !(11..=70).contains(&t.code) {
                self.problem(
                    at("code"),
                    format!("サービス種別コード {} は 11〜70 の外です", t.code),
                );
            } else if !seen.insert(t.code) {
                self.problem(
                    at("code"),
                    format!("サービス種別コード {} が二度あります", t.code),
                );
            }
            for (field, value) in [
                ("name", &t.name),
                ("line", &t.line),
                ("article", &t.article),
            ] {
                if value.trim().is_empty() {
                    self.problem(at(field), format!("`{field}` が空です"));
                }
            }
            let n = t.line.chars().count();
            if n > ServiceTypeDef::MAX_LINE_CHARS {
                self.problem(
                    at("line"),
                    format!(
                        "{n}文字です（読み上げ用に{}文字まで）",
                        ServiceTypeDef::MAX_LINE_CHARS
                    ),
                );
            }
            self.date(&at("article_as_of"), &t.article_as_of);
        }
    }

    /// An optional top-level field: `Some(None)` when absent or null, `None` when invalid.
    fn optional<T: DeserializeOwned>(
        &mut self,
        top: &mut BTreeMap<String, &str>,
        key: &str,
    ) -> Option<Option<T>> {
        match top.remove(key) {
            Some(v) => self.de::<Option<T>>(key, v),
            None => Some(None),
        }
    }

    /// An optional top-level list: empty when absent.
    fn list<T: DeserializeOwned>(
        &mut self,
        top: &mut BTreeMap<String, &str>,
        key: &str,
    ) -> Option<Vec<T>> {
        match top.remove(key) {
            Some(v) => self.de_list::<T>(key, v),
            None => Some(Vec::new()),
        }
    }

    fn taxonomy(&mut self, raw: &str) -> Option<Taxonomy> {
        let Some(members) = locate::object_members(raw) else {
            self.problem("taxonomy", "ここにはオブジェクト { … } を書きます");
            return None;
        };
        let mut map: BTreeMap<String, &str> = BTreeMap::new();
        for (key, value) in members {
            map.insert(key.to_string(), value);
        }
        for key in map.keys() {
            if !TERM_LISTS.contains(&key.as_str()) {
                let allowed: Vec<String> = TERM_LISTS.iter().map(|k| format!("`{k}`")).collect();
                self.problem(
                    format!("taxonomy.{key}"),
                    format!(
                        "`taxonomy` では使えない項目です（使える項目: {}）",
                        allowed.join("、")
                    ),
                );
            }
        }
        let mut taxonomy = Taxonomy::default();
        let mut ok = true;
        for (k, key) in TERM_LISTS.iter().enumerate() {
            if let Some(v) = map.remove(*key) {
                match self.de_list::<Term>(&format!("taxonomy.{key}"), v) {
                    Some(list) => *taxonomy.list_mut(k) = list,
                    None => ok = false,
                }
            }
        }
        ok.then_some(taxonomy)
    }

    fn date(&mut self, path: &str, s: &str) {
        if !is_date(s) {
            self.problem(
                path,
                format!(
                    "日付{}が読めません（2024-10-01・2024-10・2024 のように、西暦の YYYY-MM-DD・YYYY-MM・YYYY で書いてください。その日付以前としか分からないときは 2024-04以前）",
                    quoted(s)
                ),
            );
        } else if super::values::is_after(s, &self.today) {
            self.problem(path, super::values::future_reason(s, &self.today));
        }
    }

    fn nonempty(&mut self, path: String, s: &str, what: &str) {
        if s.trim().is_empty() {
            self.problem(path, format!("`{what}` が空です"));
        }
    }

    fn check_source_documents(&mut self, docs: &[SourceDocument]) {
        let mut seen = HashSet::new();
        for (i, d) in docs.iter().enumerate() {
            if !seen.insert(d.file.as_str()) {
                self.problem(
                    format!("source_documents[{i}].file"),
                    format!("資料ファイル{}が2回書かれています", quoted(&d.file)),
                );
            }
            if let Some((earlier, file)) = self.base.source_document(&d.file)
                && (earlier.issuer != d.issuer
                    || earlier.title != d.title
                    || earlier.date != d.date)
            {
                self.problem(
                    format!("source_documents[{i}].file"),
                    format!(
                        "資料ファイル{}は {file} に別の内容（発行元・題名・日付）で定義済みです。同じ内容にしてください",
                        quoted(&d.file)
                    ),
                );
            }
            self.date(&format!("source_documents[{i}].date"), &d.date);
        }
    }

    fn check_areas(&mut self, areas: &[Area]) {
        let ids: HashMap<&str, usize> = areas
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        let parent_of = |id: &str| -> Option<Option<&str>> {
            match ids.get(id) {
                Some(&j) => Some(areas[j].parent.as_deref()),
                None => self.base.area(id).map(|(a, _)| a.parent.as_deref()),
            }
        };
        let mut found = Vec::new();
        let mut seen = HashSet::new();
        for (i, a) in areas.iter().enumerate() {
            let at = |field: &str| format!("areas[{i}].{field}");
            if !seen.insert(a.id.as_str()) {
                found.push((
                    at("id"),
                    format!("地域 id{}が2回書かれています", quoted(&a.id)),
                ));
            }
            if a.name.trim().is_empty() {
                found.push((at("name"), "`name` が空です".to_string()));
            }
            if a.id.trim().is_empty() {
                found.push((at("id"), "`id` が空です".to_string()));
            }
            if let Some((earlier, file)) = self.base.area(&a.id)
                && (earlier.name != a.name
                    || earlier.level != a.level
                    || earlier.parent != a.parent)
            {
                found.push((
                    at("id"),
                    format!(
                        "地域 id{}は {file} に{}（`level` {}、`parent` {}）として定義済みです。重ねるファイルで書くなら同じ内容にしてください",
                        quoted(&a.id),
                        quoted(&earlier.name),
                        ticked(&level_name(earlier.level)),
                        earlier.parent.as_deref().map_or("なし".to_string(), quoted)
                    ),
                ));
            }
            match &a.parent {
                None if a.level != AreaLevel::Country => found.push((
                    at("parent"),
                    "`parent` がありません（`parent` を省けるのは `level` が `country` の地域だけです）"
                        .to_string(),
                )),
                Some(p) if parent_of(p).is_none() => {
                    found.push((at("parent"), format!("親の地域 id{}が見つかりません", quoted(p))))
                }
                _ => {}
            }
            // Cycles: walk up; more steps than there are areas means a loop.
            let limit = areas.len() + self.base.area_count();
            let mut cur = a.parent.as_deref();
            let mut steps = 0;
            while let Some(p) = cur {
                steps += 1;
                if steps > limit {
                    found.push((
                        at("parent"),
                        "`parent` をたどると元の地域に戻ってしまいます（親子関係が輪になっています）"
                            .to_string(),
                    ));
                    break;
                }
                cur = parent_of(p).flatten();
            }
        }
        for (path, message) in found {
            self.problem(path, message);
        }
        for (i, a) in areas.iter().enumerate() {
            if let Some(w) = &a.main_window {
                self.check_main_window(&format!("areas[{i}].main_window"), w);
            }
        }
    }

    /// A main window's stored values, by the rules records' are checked with
    /// ([`super::values`]): its phone holds a number, its site is a URL, its check dates are
    /// dates and not after today.
    fn check_main_window(&mut self, at: &str, w: &MainWindow) {
        use super::values::{phone_problem, url_problem};
        if let Some(p) = w.phone.as_deref().and_then(phone_problem) {
            self.problem(format!("{at}.phone"), p);
        }
        for (field, url) in [("url", &w.url), ("source_url", &w.source_url)] {
            if let Some(p) = url.as_deref().and_then(url_problem) {
                self.problem(format!("{at}.{field}"), p);
            }
        }
        self.date(&format!("{at}.checked"), &w.checked);
        if let Some(d) = &w.phone_checked {
            self.date(&format!("{at}.phone_checked"), d);
        }
        self.nonempty(format!("{at}.name"), &w.name, "name");
    }

    fn check_taxonomy(&mut self, t: &Taxonomy) {
        for (name, list) in TERM_LISTS.iter().zip(t.lists()) {
            let mut seen = HashSet::new();
            for (i, term) in list.iter().enumerate() {
                if !seen.insert(term.id.as_str()) {
                    self.problem(
                        format!("taxonomy.{name}[{i}].id"),
                        format!("id{}が2回書かれています", quoted(&term.id)),
                    );
                }
                self.nonempty(format!("taxonomy.{name}[{i}].label"), &term.label, "label");
            }
        }
    }

    /// Glossary entries: a term, and the needs and care types they point to exist here or
    /// in a layer below.
    fn check_glossary(&mut self, glossary: &[GlossaryEntry], taxonomy: &Taxonomy) {
        let [care, needs, _, _] = taxonomy.lists();
        for (i, e) in glossary.iter().enumerate() {
            if e.term.trim().is_empty() {
                self.problem(format!("glossary[{i}].term"), "`term` が空です");
            }
            for (k, field, own, ids) in [
                (1, "needs", needs, &e.needs),
                (0, "care_types", care, &e.care_types),
            ] {
                for (j, id) in ids.iter().enumerate() {
                    if !own.iter().any(|t| t.id == *id) && !self.base.has_term(k, id) {
                        self.problem(
                            format!("glossary[{i}].{field}[{j}]"),
                            unknown_term(field, id),
                        );
                    }
                }
            }
        }
    }

    /// An area reference as stored: the id itself when known, else the id its code form
    /// (`271276`) stands for when that is known; `None` when it names no area.
    fn area_ref(&self, own: &Own<'_>, id: &str) -> Option<String> {
        let known = |id: &str| own.areas.contains(id) || self.base.area(id).is_some();
        if known(id) {
            return Some(id.to_string());
        }
        codes::id_of_code(id).filter(|c| known(c))
    }

    /// Types and checks every record and hands each good one to `sink`; whether all were good.
    /// References to other records are checked once every id is known.
    fn check_resources(
        &mut self,
        raw: &str,
        own: &Own<'_>,
        sink: &mut dyn FnMut(Resource),
    ) -> bool {
        let mut seen: HashSet<String> = HashSet::new();
        // (record, position in `related`, the id named, whether it is the record's own).
        let mut related: Vec<(usize, usize, String, bool)> = Vec::new();
        // (path, the id named) of each renumbered designation's successor.
        let mut successors: Vec<(String, String)> = Vec::new();
        let before = self.problems.len();
        let typed = self.de_each::<Resource>("resources", raw, &mut |this, i, mut r| {
            this.check_resource(i, &mut r, own, &mut seen);
            for (j, id) in r.related.iter().enumerate() {
                related.push((i, j, id.clone(), *id == r.id));
            }
            for (j, d) in r.former_designations.iter().enumerate() {
                if let Some(id) = &d.successor {
                    successors.push((
                        format!("resources[{i}].former_designations[{j}].successor"),
                        id.clone(),
                    ));
                }
            }
            this.ids.push(r.id.clone());
            sink(r);
        });
        for (i, j, id, own_id) in related {
            let path = format!("resources[{i}].related[{j}]");
            if !seen.contains(&id) && self.base.resource_layer(&id).is_none() {
                self.problem(
                    path,
                    format!(
                        "資源 id{}が見つかりません（`related` には資源の `id` を書きます）",
                        quoted(&id)
                    ),
                );
            } else if own_id {
                self.problem(path, "自分自身の `id` は `related` に書けません");
            }
        }
        for (path, id) in successors {
            if !seen.contains(&id) && self.base.resource_layer(&id).is_none() {
                self.problem(
                    path,
                    format!("番号変更後の記録 id{}が見つかりません", quoted(&id)),
                );
            }
        }
        typed && self.problems.len() == before
    }

    fn check_resource(
        &mut self,
        i: usize,
        r: &mut Resource,
        own: &Own<'_>,
        seen: &mut HashSet<String>,
    ) {
        let at = |field: &str| format!("resources[{i}].{field}");
        if seen.contains(&r.id) {
            self.problem(
                at("id"),
                format!(
                    "資源 id{}が2回使われています（`id` は資源ごとに別のものにしてください）",
                    quoted(&r.id)
                ),
            );
        } else {
            seen.insert(r.id.clone());
            if let Some(file) = self.base.resource_layer(&r.id) {
                self.problem(
                    at("id"),
                    format!(
                        "資源 id{}は {file} で定義済みです（別の `id` にしてください）",
                        quoted(&r.id)
                    ),
                );
            }
        }
        if r.id.is_empty() || !r.id.bytes().all(|b| b.is_ascii_graphic()) {
            self.problem(
                at("id"),
                format!(
                    "`id` {}は使えません（空白を含まない半角の英数字・記号で書いてください）",
                    quoted(&r.id)
                ),
            );
        }
        self.nonempty(at("name"), &r.name, "name");
        self.nonempty(at("summary"), &r.summary, "summary");
        self.check_record_areas(i, r, own);
        self.check_record_terms(i, r, own);
        self.check_record_sources(i, r, own);
        self.check_public_names(i, r);
        self.check_record_values(i, r);
        self.check_listing(i, r);
    }

    /// A closed record ([`Status::Closed`]) has no designation left and the ones it had as
    /// former ones, each with the release it left in; a listed record's designations have not
    /// left. (Successors are checked once every id is known.)
    fn check_listing(&mut self, i: usize, r: &Resource) {
        let at = |field: &str| format!("resources[{i}].{field}");
        let closed = r.status == Status::Closed;
        if closed && (!r.designations.is_empty() || r.former_designations.is_empty()) {
            self.problem(
                at("status"),
                "`status` が closed の記録は、`designations` を空にし、公開データから消えた指定を `former_designations` に書きます",
            );
        }
        if !closed && r.designations.is_empty() && !r.former_designations.is_empty() {
            self.problem(
                at("status"),
                "指定がすべて `former_designations` にある記録の `status` は closed です",
            );
        }
        for (j, d) in r.designations.iter().enumerate() {
            if d.closed_in.is_some() || d.successor.is_some() {
                self.problem(
                    format!("{}[{j}]", at("designations")),
                    "`closed_in` と `successor` は `former_designations` にだけ書けます",
                );
            }
        }
        for (j, d) in r.former_designations.iter().enumerate() {
            if d.closed_in.is_none() {
                self.problem(
                    format!("{}[{j}].closed_in", at("former_designations")),
                    "公開データから消えた指定には、消えた公開時点 `closed_in` を書きます",
                );
            }
        }
        if r.former_ids.contains(&r.id) {
            self.problem(
                at("former_ids"),
                "自分自身の `id` は `former_ids` に書けません",
            );
        }
    }

    /// The stored values every importer also checks ([`super::values`]): a phone holds a
    /// number, a point is inside Japan, a URL is one.
    fn check_record_values(&mut self, i: usize, r: &Resource) {
        use super::values::{phone_problem, point_problem, url_problem};
        let at = |field: &str| format!("resources[{i}].{field}");
        for (field, v) in [("phone", &r.contact.phone), ("fax", &r.contact.fax)] {
            if let Some(p) = v.as_deref().and_then(phone_problem) {
                self.problem(at(&format!("contact.{field}")), p);
            }
        }
        if let Some(p) = r.contact.url.as_deref().and_then(url_problem) {
            self.problem(at("contact.url"), p);
        }
        if let Some(p) = r.location.and_then(|l| point_problem(l.lat, l.lng)) {
            let field = if super::values::JAPAN_LAT.contains(&r.location.map_or(0.0, |l| l.lat)) {
                "location.lng"
            } else {
                "location.lat"
            };
            self.problem(at(field), p);
        }
    }

    /// A name a contact note marks as a public name from outside the sources is one of the
    /// record's aliases: the mark says where an alias comes from, it names none of its own.
    fn check_public_names(&mut self, i: usize, r: &Resource) {
        for name in r.contact.public_names() {
            if name.trim().is_empty() {
                self.problem(
                    format!("resources[{i}].contact.note"),
                    format!("{PUBLIC_NAME}の「」の中が空です"),
                );
            } else if !r.aliases.iter().any(|a| a == name) {
                self.problem(
                    format!("resources[{i}].contact.note"),
                    format!(
                        "{PUBLIC_NAME}{}が `aliases` にありません（この名前を `aliases` にも書いてください）",
                        quoted(name)
                    ),
                );
            }
        }
    }

    /// `service_areas` and `located_in` name known areas (code forms are rewritten to ids).
    fn check_record_areas(&mut self, i: usize, r: &mut Resource, own: &Own<'_>) {
        if r.service_areas.is_empty() {
            self.problem(
                format!("resources[{i}].service_areas"),
                "`service_areas` が空です（対象地域を1つ以上書いてください）",
            );
        }
        for j in 0..r.service_areas.len() {
            match self.area_ref(own, &r.service_areas[j]) {
                Some(id) => r.service_areas[j] = id,
                None => self.problem(
                    format!("resources[{i}].service_areas[{j}]"),
                    unknown_area(&r.service_areas[j]),
                ),
            }
        }
        if let Some(a) = &r.located_in {
            match self.area_ref(own, a) {
                Some(id) => r.located_in = Some(id),
                None => self.problem(format!("resources[{i}].located_in"), unknown_area(a)),
            }
        }
    }

    fn check_record_terms(&mut self, i: usize, r: &Resource, own: &Own<'_>) {
        for (k, field, list) in [
            (1, "needs", &r.needs),
            (0, "care_types", &r.care_types),
            (2, "life_stages", &r.life_stages),
            (3, "audiences", &r.audiences),
        ] {
            for (j, id) in list.iter().enumerate() {
                if !own.terms[k].contains(id.as_str()) && !self.base.has_term(k, id) {
                    self.problem(
                        format!("resources[{i}].{field}[{j}]"),
                        unknown_term(field, id),
                    );
                }
            }
        }
    }

    fn check_record_sources(&mut self, i: usize, r: &Resource, own: &Own<'_>) {
        let at = |field: &str| format!("resources[{i}].{field}");
        if r.sources.is_empty() {
            self.problem(
                at("sources"),
                "`sources` が空です（出典を1つ以上書いてください）",
            );
        }
        for (j, s) in r.sources.iter().enumerate() {
            if !own.files.contains(s.file.as_str()) && self.base.source_document(&s.file).is_none()
            {
                self.problem(
                    format!("{}[{j}].file", at("sources")),
                    format!(
                        "資料ファイル{}が `source_documents` にありません",
                        quoted(&s.file)
                    ),
                );
            }
            self.date(&format!("{}[{j}].date", at("sources")), &s.date);
        }
        for (j, f) in r.figures.iter().enumerate() {
            if let Some(d) = &f.as_of {
                self.date(&format!("{}[{j}].as_of", at("figures")), d);
            }
        }
        for (list, all) in [
            ("designations", &r.designations),
            ("former_designations", &r.former_designations),
        ] {
            for (j, d) in all.iter().enumerate() {
                for (field, v) in [
                    ("as_of", &d.as_of),
                    ("first_seen", &d.first_seen),
                    ("closed_in", &d.closed_in),
                ] {
                    if let Some(v) = v {
                        self.date(&format!("{}[{j}].{field}", at(list)), v);
                    }
                }
            }
        }
        if let Some(d) = &r.verified_as_of {
            self.date(&at("verified_as_of"), d);
        }
    }
}

/// An area level as the data writes it (`municipality`).
fn level_name(level: AreaLevel) -> String {
    match serde_json::to_value(level) {
        Ok(serde_json::Value::String(s)) => s,
        _ => format!("{level:?}"),
    }
}

/// An area reference (`service_areas`, `located_in`) that names no area.
fn unknown_area(id: &str) -> String {
    format!(
        "地域{}が見つかりません（`areas` にある地域の `id` か、地方公共団体コード（例: 13109）を書いてください）",
        quoted(id)
    )
}

/// A term reference (`needs`, `care_types` …) that names no term of its list.
fn unknown_term(field: &str, id: &str) -> String {
    let what = match field {
        "needs" => "ニーズ",
        "care_types" => "ケアの種類",
        "life_stages" => "ライフステージ",
        "audiences" => "対象者",
        _ => "用語",
    };
    format!(
        "{what}の id{}が見つかりません（`taxonomy.{field}` にある `id` を書いてください）",
        quoted(id)
    )
}

/// What a layer itself defines, for checking its own records' references.
struct Own<'a> {
    areas: HashSet<&'a str>,
    terms: [HashSet<&'a str>; 4],
    files: HashSet<&'a str>,
}

impl<'a> Own<'a> {
    fn new(areas: &'a [Area], taxonomy: &'a Taxonomy, docs: &'a [SourceDocument]) -> Self {
        let ids = |list: &'a Vec<Term>| list.iter().map(|t| t.id.as_str()).collect();
        let [care, needs, stages, audiences] = taxonomy.lists();
        Own {
            areas: areas.iter().map(|a| a.id.as_str()).collect(),
            terms: [ids(care), ids(needs), ids(stages), ids(audiences)],
            files: docs.iter().map(|d| d.file.as_str()).collect(),
        }
    }
}

/// Written after a date that is only an upper bound: the data is as of that date **or earlier**
/// (a file that states no date of its own, known only by when it was published:
/// `2024-04以前`). Never show a date later than the source can be.
pub const OR_EARLIER: &str = "以前";

/// How dates sort (`YYYY` < `YYYY-MM` < `YYYY-MM-DD` as text), an upper bound
/// (`2024-04以前`) before the same date stated exactly.
pub fn date_order(date: &str) -> (&str, bool) {
    match date.strip_suffix(OR_EARLIER) {
        Some(d) => (d, false),
        None => (date, true),
    }
}

/// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, with a real month and day, optionally followed by
/// [`OR_EARLIER`] (`2024-04以前`).
pub fn is_date(s: &str) -> bool {
    let s = s.strip_suffix(OR_EARLIER).unwrap_or(s);
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse::<u32>().ok())?
    };
    match parts.as_slice() {
        [y] => num(y, 4).is_some(),
        [y, m] => num(y, 4).is_some() && num(m, 2).is_some_and(|m| (1..=12).contains(&m)),
        [y, m, d] => {
            let (Some(y), Some(m), Some(d)) = (num(y, 4), num(m, 2), num(d, 2)) else {
                return false;
            };
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let days = match m {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 if leap => 29,
                2 => 28,
                _ => return false,
            };
            (1..=days).contains(&d)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        for ok in ["2024", "2024-09", "2024-02-29", "2020-12-17", "2024-04以前"] {
            assert!(is_date(ok), "{ok}");
        }
        for bad in [
            "",
            "2023-02-29",
            "2024-13",
            "令和6年",
            "2024/09/01",
            "24-01-01",
            "2024-1",
            "以前",
            "2024-04以前以前",
            "2024-04 以前",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }

    #[test]
    fn a_glossary_pointer_to_an_unknown_need_is_located() {
        let text = r#"{"schema_version": 1, "glossary": [
  {"term": "相談員", "needs": ["no-such-need"]}]}"#;
        let err = parse_layer(text.as_bytes(), "g.json", &Stack::default()).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("g.json:2:")
                && msg.contains("ニーズの id「no-such-need」が見つかりません"),
            "{msg}"
        );
    }

    #[test]
    fn a_service_type_line_too_long_to_read_aloud_or_without_its_article_is_located() {
        let long = "あ".repeat(61);
        let text = format!(
            r#"{{"schema_version": 1, "service_types": [
  {{"code": 24, "name": "短期入所", "kana": "たんきにゅうしょ", "line": "{long}", "article": "障害者総合支援法 第5条第8項", "article_as_of": "2024-04-01"}},
  {{"code": 99, "name": "x", "kana": "x", "line": "短い", "article": " ", "article_as_of": "いつか"}},
  {{"code": 24, "name": "短期入所", "kana": "たんきにゅうしょ", "line": "短い", "article": "同", "article_as_of": "2024"}}]}}"#
        );
        let err = parse_layer(text.as_bytes(), "s.json", &Stack::default()).unwrap_err();
        let msg = err.to_string();
        for want in [
            "s.json:2:",
            "61文字です（読み上げ用に60文字まで）",
            "s.json:3:",
            "サービス種別コード 99 は 11〜70 の外です",
            "`article` が空です",
            "日付「いつか」が読めません",
            "s.json:4:",
            "サービス種別コード 24 が二度あります",
        ] {
            assert!(msg.contains(want), "{want}: {msg}");
        }
        let ok = r#"{"schema_version": 1, "service_types": [
  {"code": 24, "name": "短期入所", "kana": "たんきにゅうしょ", "line": "短い", "article": "障害者総合支援法 第5条第8項", "article_as_of": "2024-04-01"}]}"#;
        let layer = parse_layer(ok.as_bytes(), "s.json", &Stack::default()).expect("valid");
        assert_eq!(layer.service_types.len(), 1);
    }

    /// The message of each common serde error, as serde_json words it for these types.
    fn serde_says<T: DeserializeOwned>(json: &str) -> String {
        let e = serde_json::from_str::<T>(json).map(|_| ()).unwrap_err();
        serde_message(&without_position(&e))
    }

    #[test]
    fn serde_errors_are_said_in_japanese() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Two {
            status: Status,
            n: u32,
            s: Option<String>,
        }
        let cases = [
            (
                serde_says::<Two>(r#"{"n": 1}"#),
                "必須の項目 `status` がありません",
            ),
            (
                serde_says::<Two>(r#"{"status": "active", "n": 1, "stat": 2}"#),
                "項目 `stat` はここでは使えません（綴りを確かめてください。使える項目: `status`、`n`、`s`）",
            ),
            (
                serde_says::<Two>(r#"{"status": "actve"}"#),
                "「actve」は使えない値です（使える値: `active`",
            ),
            (
                serde_says::<Two>(r#"{"status": "active", "n": 1, "s": 3}"#),
                "ここには文字列（\"…\"）を書きます（数値 3 が書かれています）",
            ),
            (
                serde_says::<Two>(r#"{"status": "active", "n": -1}"#),
                "数値 -1 は使えません（0 以上の整数を書いてください）",
            ),
            (
                serde_says::<Two>(r#"{"status": "active", "n": 1, "n": 2}"#),
                "項目 `n` が同じオブジェクトに2回書かれています",
            ),
            (
                serde_says::<GeoPoint>(r#"[35.6]"#),
                "要素の数が違います（1個書かれています。ここにはオブジェクト { … } を書きます）",
            ),
            (
                serde_says::<GeoPoint>(r#"{"lat": "35.6", "lng": 139.7}"#),
                "ここには数値を書きます（文字列「35.6」が書かれています）",
            ),
            (
                serde_says::<Vec<String>>(r#"["a", null]"#),
                "ここには文字列（\"…\"）を書きます（null が書かれています）",
            ),
            (
                serde_says::<Two>(r#"{"status": "active", "n": 1} x"#),
                "JSON の書き方の誤り: JSON の終わりの後に余分な文字があります",
            ),
            (
                serde_says::<Two>(r#"{"status": "#),
                "JSON の書き方の誤り: ファイルが途中で終わっています",
            ),
            (
                serde_says::<Two>(r#"{"status": }"#),
                "JSON の書き方の誤り: 値がありません",
            ),
            (
                serde_says::<Two>(r#"{"status": "active",}"#),
                "JSON の書き方の誤り: 最後の要素の後に余分な「,」があります",
            ),
        ];
        for (said, want) in cases {
            assert!(
                said.starts_with(want),
                "{said:?} does not start with {want:?}"
            );
            assert!(!said.contains("expected"), "English left in {said:?}");
        }
        // Anything else is given as serde wrote it.
        assert_eq!(
            serde_message("something new"),
            "JSON として読めません: something new"
        );
    }

    #[test]
    fn values_quoted_from_data_are_made_inert() {
        let said = serde_message("unknown variant `a\u{1b}[31m\nb`, expected `x` or `y`");
        assert_eq!(said, "「a[31m b」は使えない値です（使える値: `x`、`y`）");
        assert_eq!(
            serde_message("unknown field `f`, there are no fields"),
            "項目 `f` はここでは使えません（綴りを確かめてください。使える項目: なし）"
        );
    }

    #[test]
    fn syntax_error_is_located() {
        let e = parse_directory(b"{\n  \"title\": ,\n}", "x.json").unwrap_err();
        assert_eq!(e.problems.len(), 1);
        assert_eq!(e.problems[0].at, Some(LineCol { line: 2, col: 12 }));
        assert!(
            e.to_string()
                .starts_with("x.json:2:12: JSON の書き方の誤り: 値がありません"),
            "{e}"
        );
    }

    #[test]
    fn invalid_utf8_is_located() {
        let e = parse_directory(b"{\n \"a\xff\": 1}", "x.json").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("x.json:2:4: UTF-8 として読めないバイトがあります"),
            "{e}"
        );
    }
}
