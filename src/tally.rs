//! The anonymous enquiry tally (issue 30): what the counter could not answer, counted for the
//! 医療的ケア児 councils — the shape of each enquiry, never its words.
//!
//! **What one enquiry leaves** (one line of JSON, appended to `tally.jsonl` in the state
//! directory when it ends — see `tui::tally` for when that is):
//!
//! | field | what | example |
//! |---|---|---|
//! | `v` | the format, 1 | `1` |
//! | `date` | the day it ended, local time, no time of day | `"2026-12-07"` |
//! | `area` | area id, from the filter or the words (none: `null`) | `"35321"` |
//! | `care` | care type ids, from the filter and the words | `["ventilator"]` |
//! | `needs` | need ids, from the filter and the words | `["short-stay"]` |
//! | `services` | the designated service types the words name (サービス種別 codes) | `[24]` |
//! | `outcome` | `found`, `far`, `none`, `not_found` or `unmarked` ([`Outcome`]) | `"found"` |
//!
//! **Never**: the typed text, free words, record ids, a time of day, anything about the caller
//! or the clerk. Every value is an id of the directory's own vocabulary or a code, checked
//! when read ([`check`]): a line holding anything else is not counted.
//!
//! **Safe storage.** Each line is appended whole in one write ([`crate::fsutil::append_private`]),
//! so two programs appending at once lose nothing. Reading ([`parse`]) skips a line it cannot
//! read — not JSON, a field missing or of a wrong value, a later format — and says which
//! (`file:line` and why, [`Skipped`]); it never stops on one.
//!
//! **Counting** ([`aggregate`]): enquiries in a period (`--since`/`--until`, days included),
//! grouped by area, need, care type, service type or month ([`By`]), each group with its
//! enquiries and outcomes ([`Counts`]). An enquiry with two care types counts in both care
//! groups (the total is still the enquiries); one without any counts under 「指定なし」.
//! Groups are sorted by what went unanswered (遠方のみ + 0件 + 見つからなかった), most first —
//! except months, which read in time order. Written as Markdown for a council paper (a table
//! and a text bar chart, [`Report::to_markdown`]), CSV for Excel (UTF-8 with a BOM, every cell
//! through [`crate::csvsafe`], [`Report::to_csv`]) or JSON ([`Report::to_json`]). Files from
//! several PCs are simply read one after another: a secretariat combines an office's counts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::present::Ymd;
use crate::text::width::{display_width, pad_to_width};

/// The tally's file name, in the state directory.
pub const FILE_NAME: &str = "tally.jsonl";

/// The format of the lines written.
pub const VERSION: u32 = 1;

/// How an enquiry ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A detail, the card, a phone copy or the slip (the shortlist) was used: something was
    /// given to the caller.
    Found,
    /// Only offices beyond the radius (the nearest ones however far: 「30km以内にありません」).
    Far,
    /// Nothing at all (0件).
    None,
    /// The clerk marked it 「見つからなかった」.
    NotFound,
    /// None of these: results were shown and nothing was used.
    Unmarked,
}

impl Outcome {
    /// Whether the enquiry went unanswered: far, nothing, or marked so.
    pub fn unanswered(self) -> bool {
        matches!(self, Outcome::Far | Outcome::None | Outcome::NotFound)
    }
}

/// What one enquiry leaves: its shape and outcome (see the module doc).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enquiry {
    /// The format ([`VERSION`]).
    pub v: u32,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Area id.
    pub area: Option<String>,
    /// Care type ids.
    pub care: Vec<String>,
    /// Need ids.
    pub needs: Vec<String>,
    /// Designated service type codes (サービス種別).
    pub services: Vec<u8>,
    /// How it ended.
    pub outcome: Outcome,
}

impl Enquiry {
    /// The line to append: compact JSON and a line feed.
    pub fn to_line(&self) -> String {
        let mut line = serde_json::to_string(self).unwrap_or_default();
        line.push('\n');
        line
    }
}

/// The day of a date, as written: `YYYY-MM-DD`.
pub fn day(d: Ymd) -> String {
    format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)
}

/// A date written exactly `YYYY-MM-DD`, of a day that exists.
pub fn parse_day(s: &str) -> Option<Ymd> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) {
        return None;
    }
    if !digits(5..7) || !digits(8..10) {
        return None;
    }
    let d = Ymd::parse(s)?;
    let leap = d.year % 4 == 0 && (d.year % 100 != 0 || d.year % 400 == 0);
    let days = match d.month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&d.day).then_some(d)
}

/// Whether `s` can be an id of the vocabulary or the area tree: 1–64 letters, digits, `-`
/// or `_` — never a sentence.
fn is_id(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Why a parsed line is not counted, or `None` when it is good: a later format, a date that
/// is not a day, or a value that is not an id (what a line of this program never holds).
pub fn check(e: &Enquiry) -> Option<String> {
    if e.v != VERSION {
        return Some(format!(
            "この版の ikenavi では読めない形式です（v = {}）",
            e.v
        ));
    }
    if parse_day(&e.date).is_none() {
        return Some("date が YYYY-MM-DD の日付ではありません".into());
    }
    let ids = e.area.iter().chain(&e.care).chain(&e.needs);
    if ids.into_iter().any(|id| !is_id(id)) {
        return Some("area・care・needs に id でない値があります".into());
    }
    None
}

/// A line not counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file, as named.
    pub file: String,
    /// Its line, from 1.
    pub line: usize,
    /// Why, in Japanese.
    pub reason: String,
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: 読めない行を飛ばしました（{}）",
            self.file, self.line, self.reason
        )
    }
}

/// What a tally file holds: the enquiries, and the lines skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// The enquiries, in file order.
    pub enquiries: Vec<Enquiry>,
    /// The lines that could not be read.
    pub skipped: Vec<Skipped>,
}

impl Parsed {
    /// Adds what another file holds.
    pub fn extend(&mut self, other: Parsed) {
        self.enquiries.extend(other.enquiries);
        self.skipped.extend(other.skipped);
    }
}

/// The enquiries of a tally file's bytes, `file` naming it in what is skipped. Empty lines are
/// nothing; a BOM at the start (the file saved by an editor) is skipped.
pub fn parse(bytes: &[u8], file: &str) -> Parsed {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut out = Parsed::default();
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let skip = |reason: String| Skipped {
            file: file.to_string(),
            line: i + 1,
            reason,
        };
        let Ok(text) = std::str::from_utf8(raw) else {
            out.skipped.push(skip("UTF-8 ではありません".into()));
            continue;
        };
        match serde_json::from_str::<Enquiry>(text) {
            Ok(e) => match check(&e) {
                None => out.enquiries.push(e),
                Some(reason) => out.skipped.push(skip(reason)),
            },
            Err(e) => out.skipped.push(skip(json_problem(&e))),
        }
    }
    out
}

/// What is wrong with a line serde could not read, in Japanese (serde's own words after it,
/// for whoever repairs the file).
fn json_problem(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => "行が途中で切れています".into(),
        Category::Syntax | Category::Io => format!("JSON ではありません（{}文字目）", e.column()),
        Category::Data => format!("集計の行の形ではありません（{e}）"),
    }
}

/// Reads a tally file (see [`parse`]).
pub fn read(path: &Path) -> std::io::Result<Parsed> {
    let bytes = std::fs::read(path)?;
    Ok(parse(&bytes, &path.display().to_string()))
}

/// Appends one enquiry to the tally file at `path` (whole, in one write; see the module doc).
pub fn append(path: &Path, enquiry: &Enquiry) -> std::io::Result<()> {
    crate::fsutil::append_private(path, enquiry.to_line().as_bytes())
}

/// The tally file in the state directory (beside `state.toml`).
pub fn default_path() -> Option<PathBuf> {
    crate::config::state_path().map(|p| p.with_file_name(FILE_NAME))
}

/// What the enquiries are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// Area.
    Area,
    /// Need.
    Need,
    /// Care type.
    Care,
    /// Designated service type.
    Service,
    /// Month of the date.
    Month,
}

impl By {
    /// The column heading of the group, in Japanese.
    pub fn heading(self) -> &'static str {
        match self {
            By::Area => "地域",
            By::Need => "ニーズ",
            By::Care => "ケアの種類",
            By::Service => "サービス種別",
            By::Month => "月",
        }
    }

    /// The name in `--by` and the JSON.
    pub fn name(self) -> &'static str {
        match self {
            By::Area => "area",
            By::Need => "need",
            By::Care => "care",
            By::Service => "service",
            By::Month => "month",
        }
    }

    /// The keys of an enquiry's groups (`None`: it names none).
    fn keys(self, e: &Enquiry) -> Vec<Option<String>> {
        let many = |ids: Vec<String>| {
            if ids.is_empty() {
                vec![None]
            } else {
                let mut ids = ids;
                ids.sort();
                ids.dedup();
                ids.into_iter().map(Some).collect()
            }
        };
        match self {
            By::Area => vec![e.area.clone()],
            By::Need => many(e.needs.clone()),
            By::Care => many(e.care.clone()),
            By::Service => many(e.services.iter().map(u8::to_string).collect()),
            By::Month => vec![e.date.get(..7).map(str::to_string)],
        }
    }
}

/// Enquiries and their outcomes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Enquiries.
    pub enquiries: usize,
    /// Found.
    pub found: usize,
    /// Only offices beyond the radius.
    pub far: usize,
    /// 0件.
    pub none: usize,
    /// Marked 「見つからなかった」.
    pub not_found: usize,
    /// Unmarked.
    pub unmarked: usize,
}

impl Counts {
    fn add(&mut self, o: Outcome) {
        self.enquiries += 1;
        match o {
            Outcome::Found => self.found += 1,
            Outcome::Far => self.far += 1,
            Outcome::None => self.none += 1,
            Outcome::NotFound => self.not_found += 1,
            Outcome::Unmarked => self.unmarked += 1,
        }
    }

    /// What went unanswered: far, nothing, or marked so.
    pub fn unanswered(&self) -> usize {
        self.far + self.none + self.not_found
    }
}

/// One group of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The id (area id, need id, care id, service code, `YYYY-MM`); `None`: 指定なし.
    pub key: Option<String>,
    /// Its counts.
    pub counts: Counts,
}

/// The counts of a period, grouped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Grouped by.
    pub by: By,
    /// First day counted, if limited.
    pub since: Option<Ymd>,
    /// Last day counted, if limited.
    pub until: Option<Ymd>,
    /// Every enquiry of the period.
    pub total: Counts,
    /// The groups, most unanswered first (months in time order).
    pub groups: Vec<Group>,
}

/// Counts the enquiries dated `since..=until`, grouped `by`.
pub fn aggregate(enquiries: &[Enquiry], by: By, since: Option<Ymd>, until: Option<Ymd>) -> Report {
    let mut total = Counts::default();
    let mut groups: BTreeMap<Option<String>, Counts> = BTreeMap::new();
    for e in enquiries {
        let Some(d) = parse_day(&e.date) else {
            continue;
        };
        if since.is_some_and(|s| d < s) || until.is_some_and(|u| d > u) {
            continue;
        }
        total.add(e.outcome);
        for key in by.keys(e) {
            groups.entry(key).or_default().add(e.outcome);
        }
    }
    let mut groups: Vec<Group> = groups
        .into_iter()
        .map(|(key, counts)| Group { key, counts })
        .collect();
    if by != By::Month {
        // Most unanswered first, then most asked; 指定なし last among equals.
        groups.sort_by(|a, b| {
            (
                b.counts.unanswered(),
                b.counts.enquiries,
                a.key.is_none(),
                &a.key,
            )
                .cmp(&(
                    a.counts.unanswered(),
                    a.counts.enquiries,
                    b.key.is_none(),
                    &b.key,
                ))
        });
    }
    Report {
        by,
        since,
        until,
        total,
        groups,
    }
}

/// The name shown for a group key (the caller knows the directory: 山口県和木町, 人工呼吸器,
/// 短期入所); it is given the grouping and the key.
pub type Namer<'a> = &'a dyn Fn(By, &str) -> String;

/// The name of a group: its key named, or 「指定なし」.
fn name_of(by: By, key: Option<&str>, names: Namer<'_>) -> String {
    match key {
        Some(k) => names(by, k),
        None => match by {
            By::Area => "（地域なし）".into(),
            _ => "（指定なし）".into(),
        },
    }
}

/// The column headings of the counts, in their order.
const COLUMNS: [&str; 7] = [
    "件数",
    "答えられなかった",
    "遠方のみ",
    "0件",
    "見つからなかった",
    "見つかった",
    "未記入",
];

fn columns(c: &Counts) -> [usize; 7] {
    [
        c.enquiries,
        c.unanswered(),
        c.far,
        c.none,
        c.not_found,
        c.found,
        c.unmarked,
    ]
}

/// A cell of a Markdown table: one line, no `|`.
fn md(s: &str) -> String {
    s.replace(['\n', '\r'], " ").replace('|', "｜")
}

/// How wide the longest bar of the chart is.
const BAR_CELLS: usize = 30;

impl Report {
    /// 「2026-12-01 〜 2026-12-31」, 「2026-12-01 から」, 「すべての期間」.
    pub fn period(&self) -> String {
        match (self.since, self.until) {
            (Some(s), Some(u)) => format!("{} 〜 {}", day(s), day(u)),
            (Some(s), None) => format!("{} から", day(s)),
            (None, Some(u)) => format!("{} まで", day(u)),
            (None, None) => "すべての期間".into(),
        }
    }

    /// A table for a council paper, then a text bar chart of what went unanswered.
    pub fn to_markdown(&self, names: Namer<'_>) -> String {
        let mut s = format!(
            "# 問い合わせの集計（{}別）\n\n期間: {}　問い合わせ: {}件（うち答えられなかった {}件）\n\n",
            self.by.heading(),
            self.period(),
            self.total.enquiries,
            self.total.unanswered()
        );
        s.push_str(&format!(
            "| {} | {} |\n",
            self.by.heading(),
            COLUMNS.join(" | ")
        ));
        s.push_str(&format!("|---|{}\n", "---:|".repeat(COLUMNS.len())));
        let row = |name: &str, c: &Counts| {
            let cells: Vec<String> = columns(c).iter().map(ToString::to_string).collect();
            format!("| {} | {} |\n", md(name), cells.join(" | "))
        };
        let named: Vec<(String, &Counts)> = self
            .groups
            .iter()
            .map(|g| (name_of(self.by, g.key.as_deref(), names), &g.counts))
            .collect();
        for (name, c) in &named {
            s.push_str(&row(name, c));
        }
        s.push_str(&row("合計", &self.total));
        s.push_str(
            "\n答えられなかった = 遠方のみ（近くに事業所がなく、遠くのものだけ）＋ 0件 ＋ 見つからなかった（窓口で印を付けたもの）。",
        );
        if !matches!(self.by, By::Area | By::Month) {
            s.push_str(&format!(
                "1件の問い合わせが{}を複数含むときは、それぞれに数えます（合計は問い合わせの数）。",
                self.by.heading()
            ));
        }
        s.push_str("\n\n## 答えられなかった問い合わせ\n\n```text\n");
        if named.is_empty() {
            s.push_str("（この期間の問い合わせはありません）\n");
        }
        s.push_str(&self.chart(&named));
        s.push_str("```\n");
        s
    }

    /// One line per group: the name, unanswered / enquiries, and a bar of the unanswered.
    fn chart(&self, named: &[(String, &Counts)]) -> String {
        let label_w = named
            .iter()
            .map(|(n, _)| display_width(n))
            .max()
            .unwrap_or(0);
        let most = named.iter().map(|(_, c)| c.unanswered()).max().unwrap_or(0);
        let mut s = String::new();
        for (name, c) in named {
            let n = c.unanswered();
            let cells = if most == 0 {
                0
            } else {
                (n * BAR_CELLS).div_ceil(most)
            };
            let line = format!(
                "{}  {n:>4} / {:<4} {}",
                pad_to_width(&crate::text::sanitize::sanitize_for_terminal(name), label_w),
                c.enquiries,
                "■".repeat(cells)
            );
            s.push_str(line.trim_end());
            s.push('\n');
        }
        s
    }

    /// One row per group for a spreadsheet: UTF-8 with a BOM (Excel reads it as Japanese),
    /// every cell neutralized against formulas.
    pub fn to_csv(&self, names: Namer<'_>) -> csv::Result<Vec<u8>> {
        let mut w = crate::csvsafe::Writer::new("\u{feff}".as_bytes().to_vec());
        let mut head = vec![format!("{}ID", self.by.heading()), self.by.heading().into()];
        head.extend(COLUMNS.iter().map(ToString::to_string));
        w.row(&head)?;
        for g in &self.groups {
            let mut row = vec![
                g.key.clone().unwrap_or_default(),
                name_of(self.by, g.key.as_deref(), names),
            ];
            row.extend(columns(&g.counts).iter().map(ToString::to_string));
            w.row(&row)?;
        }
        w.finish()
    }

    /// Pretty JSON with a trailing newline: the grouping, the period, the total and each
    /// group with its id and name.
    pub fn to_json(&self, names: Namer<'_>) -> String {
        let group = |g: &Group| {
            let mut v = serde_json::to_value(g.counts).unwrap_or_default();
            v["unanswered"] = g.counts.unanswered().into();
            v["id"] = g.key.clone().into();
            v["name"] = name_of(self.by, g.key.as_deref(), names).into();
            v
        };
        let mut total = serde_json::to_value(self.total).unwrap_or_default();
        total["unanswered"] = self.total.unanswered().into();
        let v = serde_json::json!({
            "by": self.by.name(),
            "since": self.since.map(day),
            "until": self.until.map(day),
            "total": total,
            "groups": self.groups.iter().map(group).collect::<Vec<_>>(),
        });
        let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
        s.push('\n');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(date: &str, area: Option<&str>, care: &[&str], outcome: Outcome) -> Enquiry {
        Enquiry {
            v: VERSION,
            date: date.into(),
            area: area.map(Into::into),
            care: care.iter().map(|s| s.to_string()).collect(),
            needs: vec![],
            services: vec![],
            outcome,
        }
    }

    fn names(by: By, key: &str) -> String {
        match (by, key) {
            (By::Area, "35321") => "山口県和木町".into(),
            (By::Area, "42210") => "長崎県壱岐市".into(),
            (By::Care, "ventilator") => "人工呼吸器".into(),
            _ => key.to_string(),
        }
    }

    #[test]
    fn a_line_is_compact_json_of_ids_and_reads_back() {
        let q = Enquiry {
            needs: vec!["short-stay".into()],
            services: vec![24],
            ..e("2026-12-07", Some("35321"), &["ventilator"], Outcome::Found)
        };
        let line = q.to_line();
        assert_eq!(
            line,
            "{\"v\":1,\"date\":\"2026-12-07\",\"area\":\"35321\",\"care\":[\"ventilator\"],\"needs\":[\"short-stay\"],\"services\":[24],\"outcome\":\"found\"}\n"
        );
        let back = parse(line.as_bytes(), "t.jsonl");
        assert_eq!(back.enquiries, [q]);
        assert!(back.skipped.is_empty());
    }

    #[test]
    fn corrupt_lines_are_skipped_with_their_place_and_the_rest_is_read() {
        let good = e("2026-12-07", Some("35321"), &[], Outcome::Far).to_line();
        let good = good.trim_end();
        let text = [
            "\u{feff}".to_string() + good,
            "{\"v\":1,\"date\":\"2026-12-07\"".into(), // cut short (a full disk)
            String::new(),
            "not json".into(),
            good.replace("\"far\"", "\"maybe\""),
            good.replace("2026-12-07", "2026-02-30"),
            good.replace("2026-12-07", "07/12/2026"),
            good.replace("\"v\":1", "\"v\":2"),
            good.replace("35321", "和木町"),
            good.replace("\"outcome\"", "\"words\":\"人工呼吸器\",\"outcome\""),
            good.to_string() + "\r",
        ]
        .join("\n");
        let mut bytes = text.into_bytes();
        bytes.extend_from_slice(b"\n\xff\xfe\n");
        let p = parse(&bytes, "pc1.jsonl");
        assert_eq!(p.enquiries.len(), 2, "{:?}", p.skipped);
        let lines: Vec<usize> = p.skipped.iter().map(|s| s.line).collect();
        assert_eq!(lines, [2, 4, 5, 6, 7, 8, 9, 10, 12]);
        let said = p.skipped[0].to_string();
        assert_eq!(
            said,
            "pc1.jsonl:2: 読めない行を飛ばしました（行が途中で切れています）"
        );
        assert!(
            p.skipped[1].reason.starts_with("JSON ではありません"),
            "{:?}",
            p.skipped[1]
        );
        assert!(p.skipped[2].reason.contains("maybe"), "{:?}", p.skipped[2]);
        assert!(p.skipped[5].reason.contains("v = 2"), "{:?}", p.skipped[5]);
    }

    #[test]
    fn days_are_exactly_yyyy_mm_dd_and_exist() {
        assert!(parse_day("2024-02-29").is_some());
        for bad in [
            "2023-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-1-01",
            "2026-12",
            "2026-12-07x",
            "２０２６-12-07",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn counts_by_area_most_unanswered_first_within_the_period() {
        let all = [
            e("2026-11-30", Some("35321"), &[], Outcome::None), // before the period
            e("2026-12-01", Some("35321"), &["ventilator"], Outcome::Found),
            e("2026-12-02", Some("42210"), &["ventilator"], Outcome::Far),
            e("2026-12-03", Some("42210"), &[], Outcome::NotFound),
            e("2026-12-03", None, &[], Outcome::None),
            e("2026-12-31", Some("35321"), &[], Outcome::Unmarked),
            e("2027-01-01", Some("42210"), &[], Outcome::None), // after
        ];
        let r = aggregate(
            &all,
            By::Area,
            parse_day("2026-12-01"),
            parse_day("2026-12-31"),
        );
        assert_eq!(r.total.enquiries, 5);
        assert_eq!(r.total.unanswered(), 3);
        let keys: Vec<Option<&str>> = r.groups.iter().map(|g| g.key.as_deref()).collect();
        assert_eq!(keys, [Some("42210"), None, Some("35321")]);
        assert_eq!(r.groups[0].counts.far, 1);
        assert_eq!(r.groups[0].counts.not_found, 1);
        assert_eq!(r.groups[2].counts.found, 1);
        assert_eq!(r.groups[2].counts.unmarked, 1);

        // By care: an enquiry without one is 指定なし; by month, time order.
        let r = aggregate(&all, By::Care, None, None);
        assert_eq!(r.total.enquiries, 7);
        assert_eq!(r.groups[0].key, None);
        assert_eq!(r.groups[0].counts.enquiries, 5);
        let r = aggregate(&all, By::Month, None, None);
        let months: Vec<_> = r.groups.iter().map(|g| g.key.clone().unwrap()).collect();
        assert_eq!(months, ["2026-11", "2026-12", "2027-01"]);
    }

    #[test]
    fn markdown_is_a_table_and_a_chart_csv_has_a_bom_and_json_the_names() {
        let all = [
            e("2026-12-01", Some("35321"), &["ventilator"], Outcome::Found),
            e("2026-12-02", Some("42210"), &["ventilator"], Outcome::Far),
            e("2026-12-02", Some("42210"), &[], Outcome::None),
        ];
        let r = aggregate(&all, By::Area, None, None);
        let md = r.to_markdown(&names);
        assert!(
            md.contains("| 地域 | 件数 | 答えられなかった | 遠方のみ | 0件 |"),
            "{md}"
        );
        assert!(md.contains("|---|---:|"), "{md}");
        assert!(
            md.contains("| 長崎県壱岐市 | 2 | 2 | 1 | 1 | 0 | 0 | 0 |"),
            "{md}"
        );
        assert!(
            md.contains("| 山口県和木町 | 1 | 0 | 0 | 0 | 0 | 1 | 0 |"),
            "{md}"
        );
        assert!(md.contains("| 合計 | 3 | 2 |"), "{md}");
        let bar = format!("長崎県壱岐市     2 / 2    {}", "■".repeat(BAR_CELLS));
        assert!(md.contains(&bar), "{md}");
        assert!(md.contains("山口県和木町     0 / 1\n"), "{md}");

        let csv = String::from_utf8(r.to_csv(&names).unwrap()).unwrap();
        assert!(csv.starts_with("\u{feff}地域ID,地域,件数,"), "{csv}");
        assert!(
            csv.contains("42210,長崎県壱岐市,2,2,1,1,0,0,0\r\n"),
            "{csv}"
        );
        assert!(
            csv.contains("35321,山口県和木町,1,0,0,0,0,1,0\r\n"),
            "{csv}"
        );

        let json: serde_json::Value = serde_json::from_str(&r.to_json(&names)).unwrap();
        assert_eq!(json["by"], "area");
        assert_eq!(json["total"]["enquiries"], 3);
        assert_eq!(json["groups"][0]["name"], "長崎県壱岐市");
        assert_eq!(json["groups"][0]["unanswered"], 2);
    }

    #[test]
    fn a_name_that_looks_like_a_formula_is_inert_in_the_csv() {
        let all = [e("2026-12-01", Some("x1"), &[], Outcome::None)];
        let r = aggregate(&all, By::Area, None, None);
        let evil = |_: By, _: &str| "=HYPERLINK(\"http://x\")".to_string();
        let csv = String::from_utf8(r.to_csv(&evil).unwrap()).unwrap();
        assert!(csv.contains(",\"'=HYPERLINK("), "{csv}");
    }

    /// Two programs appending at once lose nothing: threads, each with its own open file (as
    /// two processes have), append lines of the longest kind; every line reads back whole.
    #[test]
    fn concurrent_appends_lose_nothing_and_never_interleave() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/ikenavi").join(FILE_NAME);
        let care: Vec<&str> = vec!["central-venous-catheter"; 14];
        let (writers, each) = (4, 200);
        std::thread::scope(|s| {
            for w in 0..writers {
                let (path, care) = (&path, &care);
                s.spawn(move || {
                    for i in 0..each {
                        let area = format!("a{w}-{i}");
                        let q = e("2026-12-07", Some(&area), care, Outcome::Unmarked);
                        append(path, &q).unwrap();
                    }
                });
            }
        });
        let p = read(&path).unwrap();
        assert!(p.skipped.is_empty(), "{:?}", &p.skipped[..1]);
        assert_eq!(p.enquiries.len(), writers * each);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
