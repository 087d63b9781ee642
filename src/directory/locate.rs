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

/// One pass over valid JSON text: the positions of the requested paths, and every duplicate key.
///
/// Paths are written as `resources[12].service_areas[0]`; the empty path is the root.
pub struct Scan {
    /// Position of each requested path that exists.
    pub positions: HashMap<String, LineCol>,
    /// Duplicate keys, in document order.
    pub duplicates: Vec<DuplicateKey>,
}

/// Scans `text` (which must already be valid JSON) for `wanted` paths and duplicate keys.
pub fn scan(text: &str, wanted: &[String]) -> Scan {
    let mut scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        path: Vec::new(),
        wanted: wanted.iter().map(String::as_str).collect(),
        found: HashMap::new(),
        duplicates: Vec::new(),
    };
    scanner.skip_ws();
    scanner.value(0);
    Scan {
        positions: scanner.found,
        duplicates: scanner.duplicates,
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
    duplicates: Vec<DuplicateKey>,
}

/// Deeper than this is not scanned (serde_json refuses such text before we get here anyway).
const MAX_DEPTH: usize = 256;

impl<'a> Scanner<'a> {
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
                self.string();
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
            if keys.contains(&key) {
                self.duplicates.push(DuplicateKey {
                    path: render(&self.path),
                    at: line_col(self.text, key_at),
                });
            } else {
                keys.push(key);
            }
            self.skip_ws();
            if self.bytes.get(self.pos) == Some(&b':') {
                self.pos += 1;
            }
            self.skip_ws();
            self.value(depth + 1);
            self.path.pop();
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
            self.value(depth + 1);
            self.path.pop();
            index += 1;
        }
    }
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
        let s = scan(text, &wanted);
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
        let s = scan(text, &[]);
        let paths: Vec<_> = s.duplicates.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["a[0].id", "a"]);
        assert_eq!(s.duplicates[0].at, LineCol { line: 1, col: 18 });
    }

    #[test]
    fn escaped_quotes_do_not_end_strings() {
        let text = r#"{"k\"ey": "va\"lue", "k\"ey": 1}"#;
        let s = scan(text, &[]);
        assert_eq!(s.duplicates.len(), 1);
    }
}
