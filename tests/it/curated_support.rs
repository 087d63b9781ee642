//! Every curated record's provider, department, place and status is what its cited sections
//! say — or its note marks the fact as public information from outside the documents
//! ([`PUBLIC_FACT`]) — and the names kept only as public names are marked so (issue 15).
//!
//! What a source reference points to, most precise first:
//!
//! | section names | cited text |
//! |---|---|
//! | lines (`L104–109`, `L115`, several) | those lines of the seed document |
//! | a 市町 row of 004 (`17 田布施町 / 2 …`) | that 市町's rows in every table of 004 |
//! | a numbered part of 000, 001 or 002 (`（１）①`, `議事４ ４－２`, `３．（２）ア）`) | that part, to the next heading |
//! | neither | the whole seed document |
//!
//! A place may also be supported by the document's issuer and title (a 品川区 document's
//! attendee list is in 品川区), a department by the issuer; a provider never is: that a ward
//! issued the document does not make the ward run what it lists — unless the section calls
//! it 区立 (the ward's own). `社会福祉法人` and its abbreviation `（社福）` are the same words.

use std::collections::HashMap;
use std::path::Path;

use ikenavi::directory::model::{PUBLIC_FACT, PUBLIC_NAME};
use ikenavi::directory::{Catalog, DataSource, Resource, SourceRef, Status};
use ikenavi::text::normalize::normalize;

fn catalog() -> Catalog {
    DataSource::bundled()
        .load()
        .expect("bundled directory is valid")
}

/// Normalized, without any whitespace: how facts are compared with the source text.
fn squash(s: &str) -> String {
    normalize(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The seed documents' lines, read once.
#[derive(Default)]
struct Seeds(HashMap<String, Vec<String>>);

impl Seeds {
    fn lines(&mut self, file: &str) -> &[String] {
        self.0.entry(file.to_string()).or_insert_with(|| {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/seeds")
                .join(file);
            std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{file}: {e}"))
                .lines()
                .map(String::from)
                .collect()
        })
    }

    /// The text a source reference cites (see the module doc), squashed, and whether it is
    /// narrower than the whole document.
    fn cited(&mut self, s: &SourceRef) -> (String, bool) {
        let ranges = line_ranges(&s.section);
        let lines = self.lines(&s.file);
        if !ranges.is_empty() {
            let text: String = ranges
                .iter()
                .flat_map(|&(a, b)| lines.get(a - 1..b.min(lines.len())).unwrap_or_default())
                .map(|l| squash(l))
                .collect();
            return (text, true);
        }
        if let Some(rows) = yamaguchi_rows(&s.file, &s.section, lines) {
            return (rows, true);
        }
        let parts = numbered_parts(&s.file, &s.section, lines);
        if !parts.is_empty() {
            let text: String = parts
                .iter()
                .flat_map(|&(a, b)| &lines[a - 1..b])
                .map(|l| squash(l))
                .collect();
            return (text, true);
        }
        (lines.iter().map(|l| squash(l)).collect(), false)
    }
}

/// The line ranges a section names: `L104–109`, `L3–4`, `L115` (1-based, inclusive).
fn line_ranges(section: &str) -> Vec<(usize, usize)> {
    let number = |s: &str| -> (Option<usize>, usize) {
        let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
        (digits.parse().ok(), digits.len())
    };
    let mut out = Vec::new();
    for (at, _) in section.match_indices('L') {
        let rest = &section[at + 1..];
        let (Some(a), len) = number(rest) else {
            continue;
        };
        let after = &rest[len..];
        let b = ['–', '-', '～', '〜']
            .iter()
            .find_map(|d| after.strip_prefix(*d))
            .map(|t| t.strip_prefix('L').unwrap_or(t))
            .and_then(|t| number(t).0)
            .unwrap_or(a);
        out.push((a, b.max(a)));
    }
    out
}

/// For 004, a section that starts with a 市町's number and name cites that 市町's rows.
fn yamaguchi_rows(file: &str, section: &str, lines: &[String]) -> Option<String> {
    if !file.starts_with("004") {
        return None;
    }
    let mut words = section.split_whitespace();
    let n: u32 = words.next()?.parse().ok()?;
    let town = words.next()?;
    let rows: String = lines
        .iter()
        .filter(|l| {
            let l = l.trim_start();
            l.strip_prefix(&format!("{n}\t"))
                .is_some_and(|rest| rest.trim_start().starts_with(town))
        })
        .map(|l| squash(l))
        .collect();
    (!rows.is_empty()).then_some(rows)
}

/// A numbered heading of 000, 001 or 002: its key as sections write it, part by part (a
/// heading of 002 under its parents: `３．` `（２）` `ア）`), its level (1 for （２）, 議事４ and
/// ３．; 2 for ①, ４－２ and ３．（２）; 3 for ３．（２）ア）) and its line.
fn headings(file: &str, lines: &[String]) -> Vec<(Vec<String>, u8, usize)> {
    let circled = |c: char| ('①'..='⑩').contains(&c);
    let digit = |c: char| ('１'..='９').contains(&c) || c.is_ascii_digit();
    let wide = |c: char| char::from_u32(c as u32 + 0xFEE0).filter(|_| c.is_ascii_digit());
    let mut out: Vec<(Vec<String>, u8, usize)> = Vec::new();
    let mut parents: Vec<String> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start_matches(|c: char| c.is_whitespace());
        let cs: Vec<char> = t.chars().take(4).collect();
        let key = match &file[..3] {
            "000" => match cs.as_slice() {
                [c, ..] if circled(*c) => Some((vec![c.to_string()], 2)),
                ['（', d, '）', '【'] if digit(*d) => Some((vec![format!("（{d}）")], 1)),
                _ => None,
            },
            "001" => match cs.as_slice() {
                ['議', '事', d] if digit(*d) && t.trim_end().chars().count() == 3 => {
                    Some((vec![t.trim_end().to_string()], 1))
                }
                [a, '－', b, ..] if digit(*a) && digit(*b) => Some((vec![format!("{a}－{b}")], 2)),
                _ if t.starts_with("事務連絡") => Some((vec!["事務連絡".to_string()], 1)),
                _ => None,
            },
            "002" => {
                let (part, level) = match cs.as_slice() {
                    [d, '．', ..] if digit(*d) => (format!("{d}．"), 1),
                    ['（' | '(', d, '）' | ')', ..] if digit(*d) => {
                        (format!("（{}）", wide(*d).unwrap_or(*d)), 2)
                    }
                    [k @ ('ア' | 'イ' | 'ウ' | 'エ' | 'オ'), '）', ..] => {
                        (format!("{k}）"), 3)
                    }
                    _ => continue,
                };
                parents.truncate(level - 1);
                if parents.len() + 1 != level {
                    continue;
                }
                parents.push(part);
                Some((parents.clone(), level as u8))
            }
            _ => None,
        };
        if let Some((k, level)) = key {
            // The table of contents names every 議事 first: the last heading of a key wins.
            out.retain(|(o, _, _)| *o != k);
            out.push((k, level, i + 1));
        }
    }
    out.sort_by_key(|h| h.2);
    out
}

/// Whether a section names a heading: its parts in order (`３．（２）事業の概要 ア）`).
fn names_heading(section: &str, parts: &[String]) -> bool {
    let mut rest = section;
    parts.iter().all(|p| match rest.find(p.as_str()) {
        Some(at) => {
            rest = &rest[at + p.len()..];
            true
        }
        None => false,
    })
}

/// The line ranges of the numbered parts of 000, 001 or 002 a section names (`（１）① 児童発達支援`,
/// `議事４ ４－２ 研修の実施状況`, `３．（２）事業の概要 ア）`): its most specific keys, each up to
/// the next heading of the same or a higher level.
fn numbered_parts(file: &str, section: &str, lines: &[String]) -> Vec<(usize, usize)> {
    let hs = headings(file, lines);
    let named: Vec<&(Vec<String>, u8, usize)> = hs
        .iter()
        .filter(|(k, _, _)| names_heading(section, k))
        .collect();
    let Some(level) = named.iter().map(|h| h.1).max() else {
        return Vec::new();
    };
    named
        .iter()
        .filter(|h| h.1 == level)
        .map(|&&(_, lv, start)| {
            let end = hs
                .iter()
                .find(|h| h.2 > start && h.1 <= lv)
                .map_or(lines.len(), |h| h.2 - 1);
            (start, end)
        })
        .collect()
}

/// `2025-03` → (2025, 3, 31); `2023-12-20` → (2023, 12, 20).
fn ymd(date: &str) -> (u32, u32, u32) {
    let p: Vec<u32> = date.split('-').filter_map(|x| x.parse().ok()).collect();
    (p[0], *p.get(1).unwrap_or(&12), *p.get(2).unwrap_or(&31))
}

/// Every day a squashed text names (`9月10日`, `令和6年11月1日`); the year is the document's
/// unless the text gives it in 令和.
fn days_named(text: &str, doc_year: u32) -> Vec<(u32, u32, u32)> {
    let chars: Vec<char> = text.chars().collect();
    let num_before = |end: usize| -> Option<(u32, usize)> {
        let start = (0..end)
            .rev()
            .take_while(|&i| chars[i].is_ascii_digit())
            .last()?;
        let n: String = chars[start..end].iter().collect();
        Some((n.parse().ok()?, start))
    };
    let mut out = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if c != '日' {
            continue;
        }
        let Some((day, ds)) = num_before(i) else {
            continue;
        };
        if ds == 0 || chars[ds - 1] != '月' {
            continue;
        }
        let Some((month, ms)) = num_before(ds - 1) else {
            continue;
        };
        let year = (ms >= 1 && chars[ms - 1] == '年')
            .then(|| num_before(ms - 1))
            .flatten()
            .filter(|&(_, ys)| ys >= 2 && chars[ys - 2..ys] == ['令', '和'])
            .map_or(doc_year, |(y, _)| 2018 + y);
        if (1..=12).contains(&month) && (1..=31).contains(&day) {
            out.push((year, month, day));
        }
    }
    out
}

/// Words that say a thing is not running yet, a trial, paused, or over.
fn status_words(s: Status) -> &'static [&'static str] {
    match s {
        Status::Active => &[],
        Status::Planned => &[
            "予定",
            "検討",
            "今後",
            "作成する",
            "募集",
            "準備",
            "依頼する",
            "見通し",
        ],
        Status::Trial => &["試行"],
        Status::Paused => &["休会", "休止"],
        Status::Ended => &["終了", "実施済", "開催済"],
        // Only the open-data import closes a record (an office that left a release).
        Status::Closed => &[],
    }
}

/// Is this record from the curated layer (every source a seed document)?
fn is_curated(r: &Resource) -> bool {
    r.sources
        .iter()
        .all(|s| s.file.len() > 3 && s.file[..3].bytes().all(|b| b.is_ascii_digit()))
}

/// What a record's facts may rest on: its cited texts, its documents' issuers (and titles),
/// and its note.
struct Evidence<'r> {
    /// Each source's cited text (squashed), whether it is narrower than the whole document,
    /// and the source.
    cited: Vec<(String, bool, &'r SourceRef)>,
    /// The issuers of the cited documents, squashed.
    issuers: String,
    /// The issuers and titles of the cited documents, squashed.
    context: String,
    /// The record's note, squashed.
    note: String,
}

impl<'r> Evidence<'r> {
    fn of(c: &Catalog, seeds: &mut Seeds, r: &'r Resource) -> Self {
        let docs: Vec<_> = r
            .sources
            .iter()
            .filter_map(|s| c.source_document(&s.file))
            .collect();
        Evidence {
            cited: r
                .sources
                .iter()
                .map(|s| {
                    let (t, narrow) = seeds.cited(s);
                    (t, narrow, s)
                })
                .collect(),
            issuers: docs.iter().map(|d| squash(&d.issuer)).collect(),
            context: docs
                .iter()
                .map(|d| squash(&format!("{}{}", d.issuer, d.title)))
                .collect(),
            note: r.contact.note.as_deref().map(squash).unwrap_or_default(),
        }
    }

    /// Written in a cited text (`社会福祉法人` also as its abbreviation `（社福）`).
    fn in_cited(&self, v: &str) -> bool {
        let v = squash(v);
        let short = v.replace("社会福祉法人", "(社福)");
        !v.is_empty()
            && self
                .cited
                .iter()
                .any(|(t, _, _)| t.contains(&v) || t.contains(&short))
    }

    /// Written in a note that marks a public fact from outside the documents.
    fn in_public_note(&self, v: &str) -> bool {
        self.note.contains(&squash(PUBLIC_FACT)) && self.note.contains(&squash(v))
    }
}

/// A provider as written (a closing （…） that says what the source lacks is a comment); the
/// issuing ward or city runs what the cited text calls 区立/市立/町立 (its own).
fn check_provider(r: &Resource, e: &Evidence<'_>, out: &mut Vec<String>) {
    let Some(p) = &r.provider else { return };
    let bare = p.split('（').next().unwrap_or(p);
    let own =
        ["区立", "市立", "町立"].iter().any(|w| e.in_cited(w)) && e.issuers.starts_with(&squash(p));
    if !e.in_cited(p) && !e.in_cited(bare) && !own && !e.in_public_note(p) {
        out.push(format!("provider {p:?}"));
    }
}

/// A department: each of its words (品川区 / 福祉部障害者支援課), in the cited text or the
/// document's issuer (who reports its own work administers it); a word that names the
/// record's place also as one of that area's other names (東京都 as the 都 of 都補助金).
fn check_departments(c: &Catalog, r: &Resource, e: &Evidence<'_>, out: &mut Vec<String>) {
    let place = r.located_in.as_deref().and_then(|id| c.areas.get(id));
    let place_said =
        |w: &str| place.is_some_and(|a| a.name == w && a.aliases.iter().any(|n| e.in_cited(n)));
    for (what, dept) in [
        ("administered_by", &r.administered_by),
        ("contact.department", &r.contact.department),
    ] {
        let Some(d) = dept else { continue };
        let said = |w: &str| {
            e.in_cited(w) || e.issuers.contains(&squash(w)) || place_said(w) || e.in_public_note(w)
        };
        if !d.split_whitespace().all(said) {
            out.push(format!("{what} {d:?}"));
        }
    }
}

/// A place: its name or an alias, in the cited text or the document's issuer and title.
fn check_place(c: &Catalog, r: &Resource, e: &Evidence<'_>, out: &mut Vec<String>) {
    let Some(id) = &r.located_in else { return };
    let area = c
        .areas
        .get(id)
        .unwrap_or_else(|| panic!("{}: area {id}", r.id));
    let said = std::iter::once(&area.name)
        .chain(&area.aliases)
        .any(|n| e.in_cited(n) || e.context.contains(&squash(n)) || e.in_public_note(n));
    if !said {
        out.push(format!("located_in {id} ({})", area.name));
    }
}

/// A status other than active needs its word in the cited text, the document's title (a
/// document about a 試行) or the note. Active is not
/// what the cited lines say is over (終了 or 休会 right after the record's name), nor a
/// finished schedule: when the cited lines are one (実施日, N日目), not all its days are
/// before the document's date.
fn check_status(r: &Resource, e: &Evidence<'_>, out: &mut Vec<String>) {
    let words = status_words(r.status);
    if !words.is_empty()
        && !words
            .iter()
            .any(|w| e.in_cited(w) || e.context.contains(w) || e.note.contains(&squash(w)))
    {
        out.push(format!("status {}", r.status.as_str()));
    }
    if r.status != Status::Active {
        return;
    }
    let names: Vec<String> = std::iter::once(&r.name)
        .chain(&r.aliases)
        .map(|n| squash(n))
        .filter(|n| n.chars().count() >= 4)
        .collect();
    for (t, _, s) in e.cited.iter().filter(|c| c.1) {
        // (授業の終了後 is a time of day, not an end.)
        let t = t.replace("終了後", "");
        let over = names.iter().any(|n| {
            t.match_indices(n.as_str()).any(|(at, _)| {
                let after: String = t[at + n.len()..].chars().take(20).collect();
                after.contains("終了") || after.contains("休会")
            })
        });
        if over {
            out.push(format!("status active, but {} says it is over", s.section));
        }
        let doc = ymd(&s.date);
        let days = days_named(&t, doc.0);
        let schedule = t.contains("実施日") || t.contains("日目");
        if schedule && !days.is_empty() && days.iter().all(|&d| d < doc) {
            out.push(format!(
                "status active, but every day {} names is before the document's date",
                s.section
            ));
        }
    }
}

/// What of `r`'s provider, departments, place and status neither a cited section nor a
/// marked note supports.
fn unsupported(c: &Catalog, seeds: &mut Seeds, r: &Resource) -> Vec<String> {
    let e = Evidence::of(c, seeds, r);
    let mut out = Vec::new();
    check_provider(r, &e, &mut out);
    check_departments(c, r, &e, &mut out);
    check_place(c, r, &e, &mut out);
    check_status(r, &e, &mut out);
    out
}

#[test]
fn provider_department_place_and_status_are_what_the_cited_sections_say() {
    let c = catalog();
    let mut seeds = Seeds::default();
    let mut problems = Vec::new();
    let mut checked = 0;
    for r in c.resources().iter().filter(|r| is_curated(r)) {
        checked += 1;
        for p in unsupported(&c, &mut seeds, r) {
            problems.push(format!("{}: {p}", r.id));
        }
    }
    assert!(checked > 200, "only {checked} curated records");
    assert!(
        problems.is_empty(),
        "not in the cited section, and no note marks it ({PUBLIC_FACT}):\n{}",
        problems.join("\n")
    );
}

/// The check catches the statements issue 15 found: a ward as provider of what a section
/// lists only as an attendee, a bureau the document never names, a finished course as active.
#[test]
fn the_check_catches_unsupported_statements() {
    let c = catalog();
    let mut seeds = Seeds::default();
    let get = |id: &str| {
        c.resources()
            .iter()
            .find(|r| r.id == id)
            .unwrap_or_else(|| panic!("{id}"))
            .clone()
    };
    let mut r = get("shinagawa-hoken-center-oi");
    r.provider = Some("品川区".into());
    assert_eq!(unsupported(&c, &mut seeds, &r), ["provider \"品川区\""]);

    let mut r = get("tokyo-coordinator-training");
    r.administered_by = Some("東京都福祉局".into());
    r.contact.note = None;
    assert_eq!(
        unsupported(&c, &mut seeds, &r),
        ["administered_by \"東京都福祉局\""]
    );

    let mut r = get("tokyo-houmon-kango-kenshu");
    r.status = Status::Active;
    let found = unsupported(&c, &mut seeds, &r);
    assert!(
        found.len() == 1 && found[0].starts_with("status active, but every day"),
        "{found:?}"
    );

    let mut r = get("yamaguchi-yanai-area-project");
    r.status = Status::Active;
    let found = unsupported(&c, &mut seeds, &r);
    assert!(
        !found.is_empty() && found.iter().all(|f| f.ends_with("says it is over")),
        "{found:?}"
    );

    let mut r = get("yamaguchi-tabuse-kazoku-kouryukai");
    r.located_in = Some("35341".into());
    assert_eq!(
        unsupported(&c, &mut seeds, &r),
        ["located_in 35341 (上関町)"]
    );

    let mut r = get("yamaguchi-yanai-area-core-kaigi");
    r.status = Status::Trial;
    assert_eq!(unsupported(&c, &mut seeds, &r), ["status trial"]);
}

#[test]
fn line_ranges_and_days_are_read_as_written() {
    assert_eq!(
        line_ranges("（２）状況調査（L104–109）／発行（L3–4）"),
        [(104, 109), (3, 4)]
    );
    assert_eq!(
        line_ranges("出席（L47–51, L66–69, L115）"),
        [(47, 51), (66, 69), (115, 115)]
    );
    assert_eq!(line_ranges("議事４ ４－２ 研修の実施状況"), []);
    let mut seeds = Seeds::default();
    let f000 = "000_8934e5e4d5bc3068.txt";
    let l = seeds.lines(f000).to_vec();
    assert_eq!(numbered_parts(f000, "（１）① 児童発達支援", &l), [(10, 17)]);
    assert_eq!(numbered_parts(f000, "（２）状況調査", &l), [(104, 110)]);
    let f001 = "001_8e2bb882a664091e.txt";
    let l = seeds.lines(f001).to_vec();
    assert_eq!(
        numbered_parts(f001, "議事４ ４－２ 研修の実施状況", &l),
        [(436, 496)]
    );
    assert_eq!(
        numbered_parts(f001, "議事５ 保護者の就労支援", &l),
        [(532, 687)]
    );
    assert_eq!(numbered_parts(f001, "表紙・会議の進行", &l), []);
    let f002 = "002_21042ab419de323b.txt";
    let l = seeds.lines(f002).to_vec();
    assert_eq!(
        numbered_parts(f002, "３．（２）事業の概要 イ）施設への技術支援", &l),
        [(100, 115)]
    );
    assert_eq!(
        numbered_parts(f002, "４．所要額（２）歳入", &l),
        [(203, 216)]
    );
    assert_eq!(numbered_parts(f002, "２．現状と課題", &l), [(37, 64)]);
    assert_eq!(numbered_parts(f002, "別紙 ＜福祉＞", &l), []);
    assert_eq!(
        days_named("1日目:9月10日(日)、令和6年1月12日締切", 2023),
        [(2023, 9, 10), (2024, 1, 12)]
    );
}

#[test]
fn no_record_states_the_bureau_unless_its_note_marks_it_public() {
    let c = catalog();
    for r in c.resources().iter().filter(|r| is_curated(r)) {
        let mut v = serde_json::to_value(r).expect("serializes");
        let note = v["contact"]["note"].take();
        if v.to_string().contains("福祉局") {
            let note = note.as_str().unwrap_or_default();
            assert!(
                note.contains(PUBLIC_FACT) && note.contains("福祉局"),
                "{} states 福祉局 without marking it public: {note:?}",
                r.id
            );
        }
    }
}

#[test]
fn aliases_that_add_words_the_source_lacks_are_marked_as_public_names() {
    let c = catalog();
    for (id, alias) in [
        ("tokyo-shoni-sogo-iryo-center", "都立小児総合医療センター"),
        (
            "tokyo-shoni-sogo-iryo-center",
            "東京都立小児総合医療センター",
        ),
        (
            "tokyo-shisaku-suishin-kyogikai",
            "東京都障害者施策推進協議会",
        ),
    ] {
        let r = c.resources().iter().find(|r| r.id == id).expect(id);
        assert!(r.aliases.iter().any(|a| a == alias), "{id}: {alias}");
        assert!(
            r.contact.public_names().contains(&alias),
            "{id}: {alias} not marked {PUBLIC_NAME}: {:?}",
            r.contact.note
        );
    }
}
