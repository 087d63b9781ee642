//! Loading a directory from JSON text with every problem reported and located:
//! syntax errors as `file:line:col`, semantic errors with their JSON path as well.
//! Nothing is half-loaded: either the whole directory is valid, or the caller gets the list.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::areas::AreaTree;
use super::locate::{self, LineCol};
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

/// Parses and validates a data file's bytes. `origin` names the file in messages.
///
/// A UTF-8 byte order mark is accepted and skipped (Windows editors write one).
pub fn parse_directory(bytes: &[u8], origin: &str) -> Result<Directory, ValidationErrors> {
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
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return Err(fail(vec![Problem {
                at: Some(LineCol {
                    line: e.line().max(1),
                    col: e.column().max(1),
                }),
                path: String::new(),
                message: syntax_message(&e),
            }]));
        }
    };
    let mut checker = Checker::default();
    let dir = checker.check(value);
    let scan_paths: Vec<String> = checker.problems.iter().map(|p| p.0.clone()).collect();
    let scan = locate::scan(text, &scan_paths);
    let mut problems: Vec<Problem> = scan
        .duplicates
        .iter()
        .map(|d| Problem {
            at: Some(d.at),
            path: d.path.clone(),
            message: "duplicate key (the earlier value would be silently lost)".into(),
        })
        .collect();
    for (path, message) in checker.problems {
        // Locate the path, or its nearest existing ancestor (a missing field → its object).
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
    match dir {
        Some(dir) if problems.is_empty() => Ok(dir),
        _ => Err(fail(problems)),
    }
}

fn syntax_message(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    // serde_json appends " at line L column C"; we print the location in front instead.
    let msg = match msg.rfind(" at line ") {
        Some(cut) => msg[..cut].to_string(),
        None => msg,
    };
    format!("JSON syntax error: {msg}")
}

/// Collects `(path, message)` pairs while turning a `Value` into a `Directory`.
#[derive(Default)]
struct Checker {
    problems: Vec<(String, String)>,
}

/// Top-level keys and whether they are required.
const TOP_LEVEL: &[(&str, bool)] = &[
    ("schema_version", true),
    ("title", true),
    ("as_of", true),
    ("publisher", false),
    ("source_documents", true),
    ("areas", true),
    ("taxonomy", true),
    ("glossary", false),
    ("resources", true),
];

impl Checker {
    fn problem(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push((path.into(), message.into()));
    }

    /// Deserializes one value, recording the error with the path inside it.
    fn de<T: DeserializeOwned>(&mut self, path: &str, value: Value) -> Option<T> {
        match serde_path_to_error::deserialize::<_, T>(value) {
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
                self.problem(full, e.into_inner().to_string());
                None
            }
        }
    }

    /// Deserializes an array element by element, so one bad record does not hide the others.
    fn de_list<T: DeserializeOwned>(&mut self, path: &str, value: Option<Value>) -> Option<Vec<T>> {
        let value = value?;
        let Value::Array(items) = value else {
            self.problem(path, "expected an array");
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.into_iter().enumerate() {
            match self.de::<T>(&format!("{path}[{i}]"), item) {
                Some(v) => out.push(v),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn check(&mut self, value: Value) -> Option<Directory> {
        let Value::Object(mut top) = value else {
            self.problem("", "the file must hold one JSON object (the directory)");
            return None;
        };
        for (k, v) in &top {
            self.strings_without_controls(k, v);
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
        let title = top
            .remove("title")
            .and_then(|v| self.de::<String>("title", v));
        let as_of = top
            .remove("as_of")
            .and_then(|v| self.de::<String>("as_of", v));
        let publisher = match top.remove("publisher") {
            Some(v) => self.de::<Option<String>>("publisher", v),
            None => Some(None),
        };
        let source_documents =
            self.de_list::<SourceDocument>("source_documents", top.remove("source_documents"));
        let areas = self.de_list::<Area>("areas", top.remove("areas"));
        let taxonomy = self.taxonomy(top.remove("taxonomy"));
        let glossary = match top.remove("glossary") {
            Some(v) => self.de_list::<GlossaryEntry>("glossary", Some(v)),
            None => Some(Vec::new()),
        };
        let resources = self.de_list::<Resource>("resources", top.remove("resources"));

        if let Some(as_of) = &as_of {
            self.date("as_of", as_of);
        }
        if let Some(docs) = &source_documents {
            self.check_source_documents(docs);
        }
        let tree = areas.as_ref().map(|a| {
            self.check_areas(a);
            AreaTree::new(a)
        });
        if let Some(t) = &taxonomy {
            self.check_taxonomy(t);
        }
        if let Some(g) = &glossary {
            for (i, e) in g.iter().enumerate() {
                if e.term.trim().is_empty() {
                    self.problem(format!("glossary[{i}].term"), "empty term");
                }
            }
        }
        if let (Some(resources), Some(tree), Some(taxonomy), Some(docs)) =
            (&resources, &tree, &taxonomy, &source_documents)
        {
            self.check_resources(resources, tree, taxonomy, docs);
        }
        Some(Directory {
            schema_version: schema_version?,
            title: title?,
            as_of: as_of?,
            publisher: publisher?,
            source_documents: source_documents?,
            areas: areas?,
            taxonomy: taxonomy?,
            glossary: glossary?,
            resources: resources?,
        })
    }

    fn taxonomy(&mut self, value: Option<Value>) -> Option<Taxonomy> {
        let Value::Object(mut map) = value? else {
            self.problem("taxonomy", "expected an object");
            return None;
        };
        const LISTS: [&str; 4] = ["care_types", "needs", "life_stages", "audiences"];
        for key in map.keys() {
            if !LISTS.contains(&key.as_str()) {
                self.problem(format!("taxonomy.{key}"), "unknown taxonomy list");
            }
        }
        let take = |c: &mut Self, key: &str, map: &mut Map<String, Value>| {
            if !map.contains_key(key) {
                c.problem("taxonomy", format!("missing field `{key}`"));
                return None;
            }
            c.de_list::<Term>(&format!("taxonomy.{key}"), map.remove(key))
        };
        let care_types = take(self, "care_types", &mut map);
        let needs = take(self, "needs", &mut map);
        let life_stages = take(self, "life_stages", &mut map);
        let audiences = take(self, "audiences", &mut map);
        Some(Taxonomy {
            care_types: care_types?,
            needs: needs?,
            life_stages: life_stages?,
            audiences: audiences?,
        })
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

    fn strings_without_controls(&mut self, path: &str, v: &Value) {
        match v {
            Value::String(s) => {
                let chars = s.chars().count();
                if chars > MAX_STRING_CHARS {
                    self.problem(
                        path,
                        format!(
                            "text of {chars} characters is too long (at most {MAX_STRING_CHARS})"
                        ),
                    );
                }
                if let Some(c) = s.chars().find(|c| c.is_control()) {
                    self.problem(
                        path,
                        format!(
                            "control character U+{:04X} in text (write one paragraph per string, no tabs or escapes)",
                            c as u32
                        ),
                    );
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.strings_without_controls(&format!("{path}[{i}]"), item);
                }
            }
            Value::Object(map) => {
                for (k, item) in map {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    self.strings_without_controls(&p, item);
                }
            }
            _ => {}
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
            self.date(&format!("source_documents[{i}].date"), &d.date);
        }
    }

    fn check_areas(&mut self, areas: &[Area]) {
        let ids: HashMap<&str, usize> = areas
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        let mut seen = HashSet::new();
        for (i, a) in areas.iter().enumerate() {
            if !seen.insert(a.id.as_str()) {
                self.problem(
                    format!("areas[{i}].id"),
                    format!("duplicate area id {:?}", a.id),
                );
            }
            self.nonempty(format!("areas[{i}].name"), &a.name, "name");
            self.nonempty(format!("areas[{i}].id"), &a.id, "id");
            match &a.parent {
                None if a.level != AreaLevel::Country => self.problem(
                    format!("areas[{i}].parent"),
                    "only the country level may have no parent",
                ),
                Some(p) if !ids.contains_key(p.as_str()) => self.problem(
                    format!("areas[{i}].parent"),
                    format!("unknown area id {p:?}"),
                ),
                _ => {}
            }
        }
        // Cycles: walk up from each area; more steps than areas means a loop.
        for (i, a) in areas.iter().enumerate() {
            let mut cur = a.parent.as_deref();
            let mut steps = 0;
            while let Some(p) = cur {
                steps += 1;
                if steps > areas.len() {
                    self.problem(format!("areas[{i}].parent"), "the parent chain loops");
                    break;
                }
                cur = ids.get(p).and_then(|&j| areas[j].parent.as_deref());
            }
        }
    }

    fn check_taxonomy(&mut self, t: &Taxonomy) {
        for (name, list) in [
            ("care_types", &t.care_types),
            ("needs", &t.needs),
            ("life_stages", &t.life_stages),
            ("audiences", &t.audiences),
        ] {
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

    fn check_resources(
        &mut self,
        resources: &[Resource],
        tree: &AreaTree,
        taxonomy: &Taxonomy,
        docs: &[SourceDocument],
    ) {
        let ids: HashSet<&str> = resources.iter().map(|r| r.id.as_str()).collect();
        let files: HashSet<&str> = docs.iter().map(|d| d.file.as_str()).collect();
        let vocab = |list: &[Term]| list.iter().map(|t| t.id.clone()).collect::<HashSet<_>>();
        let care = vocab(&taxonomy.care_types);
        let needs = vocab(&taxonomy.needs);
        let stages = vocab(&taxonomy.life_stages);
        let audiences = vocab(&taxonomy.audiences);
        let mut seen = HashSet::new();
        for (i, r) in resources.iter().enumerate() {
            let at = |field: &str| format!("resources[{i}].{field}");
            if !seen.insert(r.id.as_str()) {
                self.problem(at("id"), format!("duplicate resource id {:?}", r.id));
            }
            if r.id.is_empty() || !r.id.bytes().all(|b| b.is_ascii_graphic()) {
                self.problem(
                    at("id"),
                    format!("id {:?} must be non-empty ASCII without spaces", r.id),
                );
            }
            self.nonempty(at("name"), &r.name, "name");
            self.nonempty(at("summary"), &r.summary, "summary");
            if r.service_areas.is_empty() {
                self.problem(
                    at("service_areas"),
                    "a record needs at least one service area",
                );
            }
            for (j, a) in r.service_areas.iter().enumerate() {
                if tree.get(a).is_none() {
                    self.problem(
                        format!("{}[{j}]", at("service_areas")),
                        format!("unknown area id {a:?}"),
                    );
                }
            }
            if let Some(a) = &r.located_in
                && tree.get(a).is_none()
            {
                self.problem(at("located_in"), format!("unknown area id {a:?}"));
            }
            for (field, list, known) in [
                ("needs", &r.needs, &needs),
                ("care_types", &r.care_types, &care),
                ("life_stages", &r.life_stages, &stages),
                ("audiences", &r.audiences, &audiences),
            ] {
                for (j, id) in list.iter().enumerate() {
                    if !known.contains(id) {
                        self.problem(
                            format!("{}[{j}]", at(field)),
                            format!("unknown {} id {id:?}", field.trim_end_matches('s')),
                        );
                    }
                }
            }
            for (j, id) in r.related.iter().enumerate() {
                if !ids.contains(id.as_str()) {
                    self.problem(
                        format!("{}[{j}]", at("related")),
                        format!("unknown resource id {id:?}"),
                    );
                } else if id == &r.id {
                    self.problem(
                        format!("{}[{j}]", at("related")),
                        "a record cannot be related to itself",
                    );
                }
            }
            if r.sources.is_empty() {
                self.problem(at("sources"), "a record needs at least one source");
            }
            for (j, s) in r.sources.iter().enumerate() {
                if !files.contains(s.file.as_str()) {
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
