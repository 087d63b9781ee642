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
                    "invalid UTF-8 at byte {} (the file must be UTF-8 text)",
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
            message: syntax_message(&e),
        }]));
    }
    let mut checker = Checker {
        problems: Vec::new(),
        base,
        ids: Vec::new(),
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
            resources: f.resources,
        }),
        _ => parse_layer(bytes, origin, base),
    }
}

/// Gives each `(path, message)` its line:col (or its nearest existing ancestor's: a missing
/// field → its object), adds duplicate keys and bad strings (found by the same scan), and
/// sorts by position.
fn locate_problems(text: &str, found: Vec<(String, String)>) -> Vec<Problem> {
    let scan_paths: Vec<String> = found.iter().map(|p| p.0.clone()).collect();
    let scan = locate::scan(text, &scan_paths, MAX_STRING_CHARS);
    let mut problems: Vec<Problem> = scan
        .duplicates
        .iter()
        .map(|d| Problem {
            at: Some(d.at),
            path: d.path.clone(),
            message: "duplicate key (the earlier value would be silently lost)".into(),
        })
        .collect();
    problems.extend(scan.bad_texts.iter().map(|b| Problem {
        at: Some(b.at),
        path: b.path.clone(),
        message: match b.problem {
            TextProblem::TooLong(chars) => {
                format!("text of {chars} characters is too long (at most {MAX_STRING_CHARS})")
            }
            TextProblem::Control(c) => format!(
                "control character U+{:04X} in text (write one paragraph per string, no tabs or escapes)",
                c as u32
            ),
        },
    }));
    for (path, message) in found {
        // A typed record refuses a key written twice; the duplicate is already reported.
        if message.starts_with("duplicate field `")
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
    format!("JSON syntax error: {}", without_position(e))
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
                self.problem(full, without_position(e.inner()));
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
            self.problem(path, "expected an array");
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
            self.problem("", "the file must hold one JSON object (the directory)");
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
                self.problem(key.clone(), "unknown top-level field");
            }
        }
        for (key, required) in TOP_LEVEL {
            if *required && !top.contains_key(*key) {
                self.problem("", format!("missing field `{key}`"));
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
                format!("unsupported schema_version {v} (this build reads {SCHEMA_VERSION})"),
            );
        }
        if let Some(Some(name)) = self.optional::<String>(&mut top, "replaces")
            && !super::load::BUNDLED.iter().any(|b| b.name == name)
        {
            let names: Vec<&str> = super::load::BUNDLED.iter().map(|b| b.name).collect();
            self.problem(
                "replaces",
                format!(
                    "no bundled layer is named `{name}` (one of {})",
                    names.join(", ")
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
            resources: Vec::new(),
        })
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
            self.problem("taxonomy", "expected an object");
            return None;
        };
        let mut map: BTreeMap<String, &str> = BTreeMap::new();
        for (key, value) in members {
            map.insert(key.to_string(), value);
        }
        for key in map.keys() {
            if !TERM_LISTS.contains(&key.as_str()) {
                self.problem(format!("taxonomy.{key}"), "unknown taxonomy list");
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
                format!("unparsable date {s:?} (use YYYY-MM-DD, YYYY-MM or YYYY)"),
            );
        }
    }

    fn nonempty(&mut self, path: String, s: &str, what: &str) {
        if s.trim().is_empty() {
            self.problem(path, format!("empty {what}"));
        }
    }

    fn check_source_documents(&mut self, docs: &[SourceDocument]) {
        let mut seen = HashSet::new();
        for (i, d) in docs.iter().enumerate() {
            if !seen.insert(d.file.as_str()) {
                self.problem(
                    format!("source_documents[{i}].file"),
                    format!("duplicate source file {:?}", d.file),
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
                        "source file {:?} is already described differently in {file}",
                        d.file
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
                found.push((at("id"), format!("duplicate area id {:?}", a.id)));
            }
            if a.name.trim().is_empty() {
                found.push((at("name"), "empty name".to_string()));
            }
            if a.id.trim().is_empty() {
                found.push((at("id"), "empty id".to_string()));
            }
            if let Some((earlier, file)) = self.base.area(&a.id)
                && (earlier.name != a.name
                    || earlier.level != a.level
                    || earlier.parent != a.parent)
            {
                found.push((
                    at("id"),
                    format!(
                        "area id {:?} is already defined in {file} as {} (level {:?}, parent {:?}); a layer may restate an area only as it is",
                        a.id, earlier.name, earlier.level, earlier.parent
                    ),
                ));
            }
            match &a.parent {
                None if a.level != AreaLevel::Country => found.push((
                    at("parent"),
                    "only the country level may have no parent".to_string(),
                )),
                Some(p) if parent_of(p).is_none() => {
                    found.push((at("parent"), format!("unknown area id {p:?}")))
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
                    found.push((at("parent"), "the parent chain loops".to_string()));
                    break;
                }
                cur = parent_of(p).flatten();
            }
        }
        for (path, message) in found {
            self.problem(path, message);
        }
    }

    fn check_taxonomy(&mut self, t: &Taxonomy) {
        for (name, list) in TERM_LISTS.iter().zip(t.lists()) {
            let mut seen = HashSet::new();
            for (i, term) in list.iter().enumerate() {
                if !seen.insert(term.id.as_str()) {
                    self.problem(
                        format!("taxonomy.{name}[{i}].id"),
                        format!("duplicate id {:?}", term.id),
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
                self.problem(format!("glossary[{i}].term"), "empty term");
            }
            for (k, field, own, ids) in [
                (1, "needs", needs, &e.needs),
                (0, "care_types", care, &e.care_types),
            ] {
                for (j, id) in ids.iter().enumerate() {
                    if !own.iter().any(|t| t.id == *id) && !self.base.has_term(k, id) {
                        self.problem(
                            format!("glossary[{i}].{field}[{j}]"),
                            format!("unknown {} id {id:?}", field.trim_end_matches('s')),
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
        let before = self.problems.len();
        let typed = self.de_each::<Resource>("resources", raw, &mut |this, i, mut r| {
            this.check_resource(i, &mut r, own, &mut seen);
            for (j, id) in r.related.iter().enumerate() {
                related.push((i, j, id.clone(), *id == r.id));
            }
            this.ids.push(r.id.clone());
            sink(r);
        });
        for (i, j, id, own_id) in related {
            let path = format!("resources[{i}].related[{j}]");
            if !seen.contains(&id) && self.base.resource_layer(&id).is_none() {
                self.problem(path, format!("unknown resource id {id:?}"));
            } else if own_id {
                self.problem(path, "a record cannot be related to itself");
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
            self.problem(at("id"), format!("duplicate resource id {:?}", r.id));
        } else {
            seen.insert(r.id.clone());
            if let Some(file) = self.base.resource_layer(&r.id) {
                self.problem(
                    at("id"),
                    format!("resource id {:?} is already defined in {file}", r.id),
                );
            }
        }
        if r.id.is_empty() || !r.id.bytes().all(|b| b.is_ascii_graphic()) {
            self.problem(
                at("id"),
                format!("id {:?} must be non-empty ASCII without spaces", r.id),
            );
        }
        self.nonempty(at("name"), &r.name, "name");
        self.nonempty(at("summary"), &r.summary, "summary");
        self.check_record_areas(i, r, own);
        self.check_record_terms(i, r, own);
        self.check_record_sources(i, r, own);
        self.check_public_names(i, r);
    }

    /// A name a contact note marks as a public name from outside the sources is one of the
    /// record's aliases: the mark says where an alias comes from, it names none of its own.
    fn check_public_names(&mut self, i: usize, r: &Resource) {
        for name in r.contact.public_names() {
            if name.trim().is_empty() {
                self.problem(
                    format!("resources[{i}].contact.note"),
                    format!("empty 「」 after {PUBLIC_NAME}"),
                );
            } else if !r.aliases.iter().any(|a| a == name) {
                self.problem(
                    format!("resources[{i}].contact.note"),
                    format!(
                        "{PUBLIC_NAME}「{}」 is not one of the record's aliases",
                        crate::text::sanitize::sanitize_for_terminal(name)
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
                "a record needs at least one service area",
            );
        }
        for j in 0..r.service_areas.len() {
            match self.area_ref(own, &r.service_areas[j]) {
                Some(id) => r.service_areas[j] = id,
                None => self.problem(
                    format!("resources[{i}].service_areas[{j}]"),
                    format!("unknown area id {:?}", r.service_areas[j]),
                ),
            }
        }
        if let Some(a) = &r.located_in {
            match self.area_ref(own, a) {
                Some(id) => r.located_in = Some(id),
                None => self.problem(
                    format!("resources[{i}].located_in"),
                    format!("unknown area id {a:?}"),
                ),
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
                        format!("unknown {} id {id:?}", field.trim_end_matches('s')),
                    );
                }
            }
        }
    }

    fn check_record_sources(&mut self, i: usize, r: &Resource, own: &Own<'_>) {
        let at = |field: &str| format!("resources[{i}].{field}");
        if r.sources.is_empty() {
            self.problem(at("sources"), "a record needs at least one source");
        }
        for (j, s) in r.sources.iter().enumerate() {
            if !own.files.contains(s.file.as_str()) && self.base.source_document(&s.file).is_none()
            {
                self.problem(
                    format!("{}[{j}].file", at("sources")),
                    format!("unknown source file {:?} (not in source_documents)", s.file),
                );
            }
            self.date(&format!("{}[{j}].date", at("sources")), &s.date);
        }
        for (j, f) in r.figures.iter().enumerate() {
            if let Some(d) = &f.as_of {
                self.date(&format!("{}[{j}].as_of", at("figures")), d);
            }
        }
        if let Some(d) = &r.verified_as_of {
            self.date(&at("verified_as_of"), d);
        }
    }
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

/// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, with a real month and day.
pub fn is_date(s: &str) -> bool {
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
        for ok in ["2024", "2024-09", "2024-02-29", "2020-12-17"] {
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
            msg.contains("g.json:2:") && msg.contains("no-such-need"),
            "{msg}"
        );
    }

    #[test]
    fn syntax_error_is_located() {
        let e = parse_directory(b"{\n  \"title\": ,\n}", "x.json").unwrap_err();
        assert_eq!(e.problems.len(), 1);
        assert_eq!(e.problems[0].at, Some(LineCol { line: 2, col: 12 }));
        assert!(
            e.to_string().starts_with("x.json:2:12: JSON syntax error"),
            "{e}"
        );
    }

    #[test]
    fn invalid_utf8_is_located() {
        let e = parse_directory(b"{\n \"a\xff\": 1}", "x.json").unwrap_err();
        assert!(
            e.to_string().starts_with("x.json:2:4: invalid UTF-8"),
            "{e}"
        );
    }
}
