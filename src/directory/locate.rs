//! Finding where things are in a JSON text: `line:col` of a JSON path, and duplicate keys
//! (which `serde_json` silently collapses). Works on text that already parsed as JSON.

use std::collections::HashMap;

/// A 1-based line and column (column counted in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub col: usize,
}

/// Line and column of a byte offset.
pub fn line_col(text: &str, byte: usize) -> LineCol {
    let byte = byte.min(text.len());
    let before = &text.as_bytes()[..byte];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    // Count characters, not bytes: count bytes that are not UTF-8 continuation bytes.
    let col = before[line_start..]
        .iter()
        .filter(|&&b| (b & 0xC0) != 0x80)
        .count()
        + 1;
    LineCol { line, col }
}

/// A duplicate key in an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// JSON path of the second occurrence (`resources[3].name`).
    pub path: String,
    /// Where the second occurrence starts.
    pub at: LineCol,
}

/// A string value (not a key) that no field may hold: see [`TextProblem`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadText {
    /// JSON path of the string.
    pub path: String,
    /// Where the string starts.
    pub at: LineCol,
    /// What is wrong with it.
    pub problem: TextProblem,
}

/// What is wrong with a string value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextProblem {
    /// Longer than the limit given to [`scan`], in characters (after unescaping).
    TooLong(usize),
    /// Holds this control character (written raw, as U+0080–U+009F may be, or escaped).
    Control(char),
}

/// One pass over valid JSON text: the positions of the requested paths, every duplicate key,
/// and every string value too long or holding a control character.
///
/// Paths are written as `resources[12].service_areas[0]`; the empty path is the root.
pub struct Scan {
    /// Position of each requested path that exists.
    pub positions: HashMap<String, LineCol>,
    /// Duplicate keys, in document order.
    pub duplicates: Vec<DuplicateKey>,
    /// Bad string values, in document order (a string too long and with a control character
    /// is listed twice, too long first).
    pub bad_texts: Vec<BadText>,
}

/// Scans `text` (which must already be valid JSON) for `wanted` paths, duplicate keys, and
/// string values longer than `max_chars` characters or holding a control character.
pub fn scan(text: &str, wanted: &[String], max_chars: usize) -> Scan {
    let mut scanner = Scanner::new(text);
    scanner.wanted = wanted.iter().map(String::as_str).collect();
    scanner.max_chars = Some(max_chars);
    scanner.skip_ws();
    scanner.value(0);
    Scan {
        positions: scanner.found,
        duplicates: scanner.duplicates,
        bad_texts: scanner.bad_texts,
    }
}

/// The members of the object that valid JSON `text` holds, in document order: each key as
/// written (still escaped) and its value's text. `None` when `text` is not an object.
pub fn object_members(text: &str) -> Option<Vec<(&str, &str)>> {
    let mut s = Scanner::new(text);
    s.skip_ws();
    if s.bytes.get(s.pos) != Some(&b'{') {
        return None;
    }
    s.pos += 1;
    let mut members = Vec::new();
    loop {
        s.skip_ws();
        match s.bytes.get(s.pos) {
            Some(b'"') => {}
            Some(b',') => {
                s.pos += 1;
                continue;
            }
            _ => return Some(members),
        }
        let key = s.string();
        s.skip_ws();
        s.pos += 1; // the colon
        s.skip_ws();
        let start = s.pos;
        s.value(1);
        if s.pos == start {
            return Some(members);
        }
        members.push((key, &text[start..s.pos]));
    }
}

/// The elements of the array that valid JSON `text` holds, each as its text. `None` when
/// `text` is not an array.
pub fn array_elements(text: &str) -> Option<Vec<&str>> {
    let mut s = Scanner::new(text);
    s.skip_ws();
    if s.bytes.get(s.pos) != Some(&b'[') {
        return None;
    }
    s.pos += 1;
    let mut items = Vec::new();
    loop {
        s.skip_ws();
        match s.bytes.get(s.pos) {
            None | Some(b']') => return Some(items),
            Some(b',') => {
                s.pos += 1;
                continue;
            }
            _ => {}
        }
        let start = s.pos;
        s.value(1);
        if s.pos == start {
            return Some(items);
        }
        items.push(&text[start..s.pos]);
    }
}

#[derive(Clone)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

fn render(path: &[Seg<'_>]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => {
                s.push('[');
                s.push_str(&i.to_string());
                s.push(']');
            }
        }
    }
    s
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    path: Vec<Seg<'a>>,
    wanted: std::collections::HashSet<&'a str>,
    found: HashMap<String, LineCol>,
    /// Whether duplicate keys and bad strings are looked for (and the limit on characters).
    max_chars: Option<usize>,
    duplicates: Vec<DuplicateKey>,
    bad_texts: Vec<BadText>,
}

/// Deeper than this is not scanned (serde_json refuses such text before we get here anyway).
const MAX_DEPTH: usize = 256;

impl<'a> Scanner<'a> {
    /// A scanner that only skips values (no paths, duplicates or strings looked for).
    fn new(text: &'a str) -> Self {
        Scanner {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            path: Vec::new(),
            wanted: Default::default(),
            found: HashMap::new(),
            max_chars: None,
            duplicates: Vec::new(),
            bad_texts: Vec::new(),
        }
    }

    fn skip_ws(&mut self) {
        while self.pos < self.bytes.len() && self.bytes[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn record(&mut self) {
        if self.wanted.is_empty() {
            return;
        }
        let p = render(&self.path);
        if self.wanted.contains(p.as_str()) {
            self.found.insert(p, line_col(self.text, self.pos));
        }
    }

    fn value(&mut self, depth: usize) {
        if depth > MAX_DEPTH || self.pos >= self.bytes.len() {
            return;
        }
        self.record();
        match self.bytes[self.pos] {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' => {
                let at = self.pos;
                let raw = self.string();
                if let Some(max) = self.max_chars {
                    self.check_text(raw, at, max);
                }
            }
            _ => {
                while self.pos < self.bytes.len()
                    && !matches!(self.bytes[self.pos], b',' | b']' | b'}')
                    && !self.bytes[self.pos].is_ascii_whitespace()
                {
                    self.pos += 1;
                }
            }
        }
    }

    /// Records a string value longer than `max` characters, or with a control character.
    fn check_text(&mut self, raw: &str, at: usize, max: usize) {
        let (chars, control) = unescaped_chars(raw);
        let mut bad = |problem| {
            let path = render(&self.path);
            let at = line_col(self.text, at);
            self.bad_texts.push(BadText { path, at, problem });
        };
        if chars > max {
            bad(TextProblem::TooLong(chars));
        }
        if let Some(c) = control {
            bad(TextProblem::Control(c));
        }
    }

    /// Consumes a string literal and returns its raw (still escaped) content.
    fn string(&mut self) -> &'a str {
        let start = self.pos + 1;
        self.pos += 1;
        while self.pos < self.bytes.len() {
            match self.bytes[self.pos] {
                b'\\' => self.pos += 2,
                b'"' => break,
                _ => self.pos += 1,
            }
        }
        let end = self.pos.min(self.bytes.len());
        self.pos = (self.pos + 1).min(self.bytes.len());
        self.text.get(start..end).unwrap_or("")
    }

    fn object(&mut self, depth: usize) {
        self.pos += 1;
        let mut keys: Vec<&'a str> = Vec::new();
        loop {
            self.skip_ws();
            if self.pos >= self.bytes.len() {
                return;
            }
            match self.bytes[self.pos] {
                b'}' => {
                    self.pos += 1;
                    return;
                }
                b',' => {
                    self.pos += 1;
                    continue;
                }
                b'"' => {}
                _ => return,
            }
            let key_at = self.pos;
            let key = self.string();
            self.path.push(Seg::Key(key));
            if self.max_chars.is_some() {
                if keys.contains(&key) {
                    self.duplicates.push(DuplicateKey {
                        path: render(&self.path),
                        at: line_col(self.text, key_at),
                    });
                } else {
                    keys.push(key);
                }
            }
            self.skip_ws();
            if self.bytes.get(self.pos) == Some(&b':') {
                self.pos += 1;
            }
            self.skip_ws();
            let before = self.pos;
            self.value(depth + 1);
            self.path.pop();
            if self.pos == before {
                return; // deeper than MAX_DEPTH: not scanned
            }
        }
    }

    fn array(&mut self, depth: usize) {
        self.pos += 1;
        let mut index = 0;
        loop {
            self.skip_ws();
            if self.pos >= self.bytes.len() {
                return;
            }
            match self.bytes[self.pos] {
                b']' => {
                    self.pos += 1;
                    return;
                }
                b',' => {
                    self.pos += 1;
                    continue;
                }
                _ => {}
            }
            self.path.push(Seg::Index(index));
            let before = self.pos;
            self.value(depth + 1);
            self.path.pop();
            if self.pos == before {
                return; // deeper than MAX_DEPTH: not scanned
            }
            index += 1;
        }
    }
}

/// The number of characters of a JSON string's raw content once unescaped, and its first
/// control character (raw or escaped).
fn unescaped_chars(raw: &str) -> (usize, Option<char>) {
    if !raw.contains('\\') {
        return (raw.chars().count(), raw.chars().find(|c| c.is_control()));
    }
    let mut chars = 0;
    let mut control = None;
    let mut it = raw.chars();
    while let Some(c) = it.next() {
        let c = if c == '\\' {
            match it.next() {
                Some('u') => {
                    let hex: String = it.by_ref().take(4).collect();
                    let unit = u32::from_str_radix(&hex, 16).unwrap_or(0);
                    if (0xDC00..0xE000).contains(&unit) {
                        // The second half of a surrogate pair: the pair is one character.
                        continue;
                    }
                    char::from_u32(unit).unwrap_or('\u{FFFD}')
                }
                Some('n') => '\n',
                Some('t') => '\t',
                Some('r') => '\r',
                Some('b') => '\u{8}',
                Some('f') => '\u{C}',
                Some(other) => other,
                None => break,
            }
        } else {
            c
        };
        chars += 1;
        if control.is_none() && c.is_control() {
            control = Some(c);
        }
    }
    (chars, control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_paths_with_character_columns() {
        let text = "{\n  \"名前\": 1,\n  \"resources\": [\n    {\"id\": \"a\", \"areas\": [\"x\", \"y\"]}\n  ]\n}";
        let wanted = vec![
            "resources[0].areas[1]".to_string(),
            "名前".to_string(),
            "resources[0]".to_string(),
        ];
        let s = scan(text, &wanted, 1000);
        assert_eq!(s.positions["名前"], LineCol { line: 2, col: 9 });
        assert_eq!(s.positions["resources[0]"], LineCol { line: 4, col: 5 });
        assert_eq!(
            s.positions["resources[0].areas[1]"],
            LineCol { line: 4, col: 32 }
        );
    }

    #[test]
    fn reports_duplicate_keys_with_path() {
        let text = r#"{"a": [{"id": 1, "id": 2}], "a": 3}"#;
        let s = scan(text, &[], 1000);
        let paths: Vec<_> = s.duplicates.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["a[0].id", "a"]);
        assert_eq!(s.duplicates[0].at, LineCol { line: 1, col: 18 });
    }

    #[test]
    fn finds_control_characters_raw_or_escaped_and_long_strings() {
        let text = "{\"a\": [\"ok\", \"tab\\there\"], \"b\": {\"c\": \"x\u{85}y\"}, \"d\": \"\\ud83d\\ude00abc\"}";
        let s = scan(text, &[], 3);
        let found: Vec<_> = s
            .bad_texts
            .iter()
            .map(|b| (b.path.as_str(), b.problem))
            .collect();
        assert_eq!(
            found,
            [
                ("a[1]", TextProblem::TooLong(8)),
                ("a[1]", TextProblem::Control('\t')),
                ("b.c", TextProblem::Control('\u{85}')),
                ("d", TextProblem::TooLong(4)),
            ]
        );
    }

    #[test]
    fn splits_objects_and_arrays_into_their_values() {
        let text = r#" {"a": [1, {"x": "]"}], "b\"c": "s", "d": null} "#;
        let members = object_members(text).unwrap();
        assert_eq!(
            members,
            [
                ("a", r#"[1, {"x": "]"}]"#),
                (r#"b\"c"#, r#""s""#),
                ("d", "null")
            ]
        );
        assert_eq!(
            array_elements(members[0].1).unwrap(),
            ["1", r#"{"x": "]"}"#]
        );
        assert_eq!(array_elements("[]").unwrap(), Vec::<&str>::new());
        assert!(object_members("[1]").is_none() && array_elements("{}").is_none());
    }

    #[test]
    fn escaped_quotes_do_not_end_strings() {
        let text = r#"{"k\"ey": "va\"lue", "k\"ey": 1}"#;
        let s = scan(text, &[], 1000);
        assert_eq!(s.duplicates.len(), 1);
    }
}
