//! What changed between two releases of the open data: the report of
//! `ikenavi import wamnet NEW… --previous OLD.json --changes FILE`.
//!
//! The unit compared is the **designation** (指定): one 事業所番号 for one サービス種別, as the
//! layers keep it in `designations[]`. An office record may hold several designations (one per
//! service type); a designation belongs to one record on each side.
//!
//! | kind | rule |
//! |---|---|
//! | opened (新規) | the designation is in the new layer only |
//! | closed (廃止) | the designation is in the old layer only |
//! | renumbered (番号変更) | a closed and an opened designation of the same service type that are the same place: same name, same area (`located_in`), and the same phone (digits) or address ([`address_key`]); taken out of opened and closed |
//! | changed (変更) | the designation is on both sides and its record's name, phone, address, hours, 定員 (of this designation), URL or coordinates differ — each with its old and new value |
//!
//! Only service types that both layers hold are compared: a layer of one type's file (or of a
//! release that had no office of a type) says nothing about the offices of the other types.
//!
//! Phones are compared by their digits (`0827-57-7151` = `0827577151`) and addresses by
//! [`address_key`] (全角 digits, hyphens), so a change of writing is not reported as a move.
//! Coordinates are compared to 6 decimals (about 10 cm).
//!
//! Every list is sorted by prefecture, municipality (area id order: JIS code) and 事業所番号,
//! and each item names its prefecture and municipality: the report is grouped by them. The
//! caller gives the names ([`Place`]); this module knows no area tree.
//!
//! The report is written as JSON ([`Changes::to_json`]), CSV for Excel ([`Changes::to_csv`]:
//! UTF-8 with a BOM, every cell through [`crate::csvsafe`]), or Markdown for a review meeting
//! ([`Changes::to_markdown`]); [`Changes::summary`] is the one line for the terminal.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::fields::{address_key, digits_of};
use crate::directory::model::{Resource, SourceDocument};
use crate::directory::validate::date_order;

/// Where a record is, for grouping: sort key and names.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    /// Sorts the groups (the area id: its JIS code).
    pub key: String,
    /// 都道府県 (「山口県」), empty when unknown.
    pub prefecture: String,
    /// 市区町村 (「周防大島町」, 「大阪市北区」), empty when only the prefecture is known.
    pub municipality: String,
}

/// One designation in the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// 事業所番号.
    pub office_number: String,
    /// The record's id in its layer.
    pub id: String,
    /// 事業所の名称.
    pub name: String,
    /// 都道府県.
    pub prefecture: String,
    /// 市区町村.
    pub municipality: String,
    /// サービス種別.
    pub service_type: String,
    #[serde(skip)]
    key: String,
}

/// A designation on both sides whose record changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Changed {
    #[serde(flatten)]
    pub item: Item,
    /// Field (as the WAM NET column is named) → `[old, new]`; an absent value is `""`.
    pub fields: BTreeMap<&'static str, [String; 2]>,
}

/// A closed designation and the opened one that is the same place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Renumbered {
    /// The new designation.
    #[serde(flatten)]
    pub item: Item,
    /// Its former 事業所番号.
    pub previous_office_number: String,
    /// Its former record id.
    pub previous_id: String,
}

/// The compared fields, in report order: (column name, short name for the summary).
pub const FIELDS: [(&str, &str); 7] = [
    ("事業所の名称", "名称"),
    ("事業所電話番号", "電話"),
    ("事業所住所", "所在地"),
    ("利用可能な時間帯", "時間"),
    ("定員", "定員"),
    ("事業所URL", "URL"),
    ("事業所緯度・経度", "座標"),
];

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Changes {
    /// The old layer's release.
    pub from: String,
    /// The new release.
    pub to: String,
    pub opened: Vec<Item>,
    pub closed: Vec<Item>,
    pub changed: Vec<Changed>,
    pub renumbered: Vec<Renumbered>,
}

/// What `--previous` reads: a layer written by an earlier import (other keys are ignored).
#[derive(Debug, Deserialize)]
pub struct PreviousLayer {
    /// The documents its records cite.
    #[serde(default)]
    pub source_documents: Vec<SourceDocument>,
    /// Its records.
    #[serde(default)]
    pub resources: Vec<Resource>,
}

/// Why a previous layer cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum PreviousError {
    /// Not a layer.
    #[error("{file}:{line}:{column}: 前回のレイヤーとして読めません: {source}")]
    Json {
        /// The file as given.
        file: String,
        line: usize,
        column: usize,
        #[source]
        source: serde_json::Error,
    },
}

impl PreviousLayer {
    /// Parses a layer's bytes (a UTF-8 BOM is skipped); `file` names it in the error.
    pub fn parse(bytes: &[u8], file: &str) -> Result<PreviousLayer, PreviousError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        serde_json::from_slice(bytes).map_err(|source| PreviousError::Json {
            file: file.to_string(),
            line: source.line(),
            column: source.column(),
            source,
        })
    }

    /// `documents` (the new files') and, after them, this layer's documents that `records`
    /// cite and `documents` lack: the closed records carried on cite the releases that last had
    /// them.
    pub fn cited_documents(
        &self,
        mut documents: Vec<SourceDocument>,
        records: &[Resource],
    ) -> Vec<SourceDocument> {
        let cited: BTreeSet<&str> = records
            .iter()
            .flat_map(|r| r.sources.iter().map(|s| s.file.as_str()))
            .collect();
        for d in &self.source_documents {
            let known = documents.iter().any(|n| n.file == d.file);
            if !known && cited.contains(d.file.as_str()) {
                documents.push(d.clone());
            }
        }
        documents
    }
}

/// One designation of one record.
struct Desig<'a> {
    res: &'a Resource,
    office_number: &'a str,
    service_type: &'a str,
    capacity: Option<u32>,
}

type Key<'a> = (&'a str, &'a str);

/// Every designation of `side` by (事業所番号, サービス種別); designations of one key in
/// several records (a number shared by two offices) in id order.
fn designations(side: &[Resource]) -> BTreeMap<Key<'_>, Vec<Desig<'_>>> {
    let mut map: BTreeMap<Key<'_>, Vec<Desig<'_>>> = BTreeMap::new();
    for res in side {
        for d in &res.designations {
            map.entry((d.office_number.as_str(), d.service_type.as_str()))
                .or_default()
                .push(Desig {
                    res,
                    office_number: &d.office_number,
                    service_type: &d.service_type,
                    capacity: d.capacity,
                });
        }
    }
    for v in map.values_mut() {
        v.sort_by(|a, b| a.res.id.cmp(&b.res.id));
    }
    map
}

fn item(d: &Desig<'_>, place: &dyn Fn(&Resource) -> Place) -> Item {
    let p = place(d.res);
    Item {
        office_number: d.office_number.to_string(),
        id: d.res.id.clone(),
        name: d.res.name.clone(),
        prefecture: p.prefecture,
        municipality: p.municipality,
        service_type: d.service_type.to_string(),
        key: p.key,
    }
}

fn hours_text(r: &Resource) -> String {
    let mut parts = Vec::new();
    if let Some(h) = &r.hours_by_day {
        for (label, v) in [
            ("平日", &h.weekday),
            ("土曜", &h.saturday),
            ("日曜", &h.sunday),
            ("祝日", &h.holiday),
        ] {
            if let Some(v) = v {
                parts.push(format!("{label} {v}"));
            }
        }
    }
    if let Some(c) = &r.closed_days {
        parts.push(format!("定休日 {c}"));
    }
    parts.join(" / ")
}

fn coordinates(r: &Resource) -> String {
    r.location
        .map(|g| format!("{:.6},{:.6}", g.lat, g.lng))
        .unwrap_or_default()
}

/// The fields of `new` that differ from `old`, `[old, new]` as written.
fn differences(old: &Desig<'_>, new: &Desig<'_>) -> BTreeMap<&'static str, [String; 2]> {
    let (o, n) = (old.res, new.res);
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let cap = |c: Option<u32>| c.map(|c| c.to_string()).unwrap_or_default();
    let pairs: [(&'static str, String, String, bool); 7] = [
        (
            FIELDS[0].0,
            o.name.clone(),
            n.name.clone(),
            o.name.trim() != n.name.trim(),
        ),
        (
            FIELDS[1].0,
            text(&o.contact.phone),
            text(&n.contact.phone),
            digits_of(&text(&o.contact.phone)) != digits_of(&text(&n.contact.phone)),
        ),
        (
            FIELDS[2].0,
            text(&o.contact.address),
            text(&n.contact.address),
            address_key(&text(&o.contact.address)) != address_key(&text(&n.contact.address)),
        ),
        (
            FIELDS[3].0,
            hours_text(o),
            hours_text(n),
            hours_text(o) != hours_text(n),
        ),
        (
            FIELDS[4].0,
            cap(old.capacity),
            cap(new.capacity),
            old.capacity != new.capacity,
        ),
        (
            FIELDS[5].0,
            text(&o.contact.url),
            text(&n.contact.url),
            o.contact.url != n.contact.url,
        ),
        (
            FIELDS[6].0,
            coordinates(o),
            coordinates(n),
            coordinates(o) != coordinates(n),
        ),
    ];
    pairs
        .into_iter()
        .filter(|(_, _, _, differ)| *differ)
        .map(|(f, a, b, _)| (f, [a, b]))
        .collect()
}

/// Whether a closed and an opened designation are the same place (see the module doc).
fn same_place(old: &Desig<'_>, new: &Desig<'_>) -> bool {
    let (o, n) = (old.res, new.res);
    let phone = |r: &Resource| digits_of(r.contact.phone.as_deref().unwrap_or_default());
    let addr = |r: &Resource| address_key(r.contact.address.as_deref().unwrap_or_default());
    old.service_type == new.service_type
        && o.name.trim() == n.name.trim()
        && o.located_in.is_some()
        && o.located_in == n.located_in
        && ((!phone(o).is_empty() && phone(o) == phone(n))
            || (!addr(o).is_empty() && addr(o) == addr(n)))
}

/// The releases a comparison is between, `(from, to)`: of the service types both sides hold,
/// those whose release differs (the files that were updated), the newest release of each side;
/// when none differs, the newest of each side. A layer of files of several releases (the
/// bundled one) compared with its previous release says which release changed (2024-04以前),
/// not its newest file's.
pub fn releases(old: &[Resource], new: &[Resource]) -> (String, String) {
    let per_type = |side: &[Resource]| -> BTreeMap<String, String> {
        let mut m: BTreeMap<String, String> = BTreeMap::new();
        for d in side.iter().flat_map(|r| &r.designations) {
            let Some(a) = &d.as_of else { continue };
            let e = m.entry(d.service_type.clone()).or_insert_with(|| a.clone());
            if date_order(a) > date_order(e) {
                *e = a.clone();
            }
        }
        m
    };
    let (o, n) = (per_type(old), per_type(new));
    let changed: Vec<&String> = o
        .keys()
        .filter(|t| n.get(*t).is_some_and(|r| *r != o[*t]))
        .collect();
    let newest = |m: &BTreeMap<String, String>, types: &mut dyn Iterator<Item = &String>| {
        types
            .filter_map(|t| m.get(t))
            .max_by_key(|d| date_order(d))
            .cloned()
            .unwrap_or_default()
    };
    if changed.is_empty() {
        (newest(&o, &mut o.keys()), newest(&n, &mut n.keys()))
    } else {
        (
            newest(&o, &mut changed.iter().copied()),
            newest(&n, &mut changed.iter().copied()),
        )
    }
}

/// Compares the old layer's records with the new ones; `place` names where a record is.
pub fn compare(
    from: &str,
    old: &[Resource],
    to: &str,
    new: &[Resource],
    place: &dyn Fn(&Resource) -> Place,
) -> Changes {
    let (mut old_d, mut new_d) = (designations(old), designations(new));
    let types = |side: &BTreeMap<Key<'_>, Vec<Desig<'_>>>| -> BTreeSet<String> {
        side.keys().map(|k| k.1.to_string()).collect()
    };
    let both: BTreeSet<String> = types(&old_d)
        .intersection(&types(&new_d))
        .cloned()
        .collect();
    old_d.retain(|k, _| both.contains(k.1));
    new_d.retain(|k, _| both.contains(k.1));
    let empty = Vec::new();
    let mut closed: Vec<&Desig<'_>> = Vec::new();
    let mut opened: Vec<&Desig<'_>> = Vec::new();
    let mut changed = Vec::new();
    let keys: BTreeSet<&Key<'_>> = old_d.keys().chain(new_d.keys()).collect();
    for k in keys {
        let (o, n) = (
            old_d.get(k).unwrap_or(&empty),
            new_d.get(k).unwrap_or(&empty),
        );
        for pair in 0..o.len().max(n.len()) {
            match (o.get(pair), n.get(pair)) {
                (Some(a), Some(b)) => {
                    let fields = differences(a, b);
                    if !fields.is_empty() {
                        changed.push(Changed {
                            item: item(b, place),
                            fields,
                        });
                    }
                }
                (Some(a), None) => closed.push(a),
                (None, Some(b)) => opened.push(b),
                (None, None) => {}
            }
        }
    }
    let mut renumbered = Vec::new();
    let mut taken = vec![false; opened.len()];
    closed.retain(|c| {
        let found = opened
            .iter()
            .enumerate()
            .find(|(i, o)| !taken[*i] && same_place(c, o));
        match found {
            Some((i, o)) => {
                taken[i] = true;
                renumbered.push(Renumbered {
                    item: item(o, place),
                    previous_office_number: c.office_number.to_string(),
                    previous_id: c.res.id.clone(),
                });
                false
            }
            None => true,
        }
    });
    let mut opened: Vec<Item> = opened
        .iter()
        .zip(&taken)
        .filter(|(_, t)| !**t)
        .map(|(d, _)| item(d, place))
        .collect();
    let mut closed: Vec<Item> = closed.iter().map(|d| item(d, place)).collect();
    let order = |a: &Item, b: &Item| {
        (&a.key, &a.office_number, &a.service_type, &a.id).cmp(&(
            &b.key,
            &b.office_number,
            &b.service_type,
            &b.id,
        ))
    };
    opened.sort_by(order);
    closed.sort_by(order);
    changed.sort_by(|a, b| order(&a.item, &b.item));
    renumbered.sort_by(|a, b| order(&a.item, &b.item));
    Changes {
        from: from.to_string(),
        to: to.to_string(),
        opened,
        closed,
        changed,
        renumbered,
    }
}

impl Changes {
    /// How many changed designations changed `field`.
    pub fn count_of(&self, field: &str) -> usize {
        self.changed
            .iter()
            .filter(|c| c.fields.contains_key(field))
            .count()
    }

    /// 「新規 N・廃止 N・変更 N（電話 N、所在地 N）・番号変更 N」: fields that changed nowhere are
    /// left out of the parenthesis (and the parenthesis when nothing changed).
    pub fn summary(&self) -> String {
        let per: Vec<String> = FIELDS
            .iter()
            .filter_map(|(f, short)| {
                let n = self.count_of(f);
                (n > 0).then(|| format!("{short} {n}"))
            })
            .collect();
        let detail = if per.is_empty() {
            String::new()
        } else {
            format!("（{}）", per.join("、"))
        };
        format!(
            "新規 {}・廃止 {}・変更 {}{detail}・番号変更 {}",
            self.opened.len(),
            self.closed.len(),
            self.changed.len(),
            self.renumbered.len()
        )
    }

    /// Pretty JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// One line per change, for a spreadsheet: UTF-8 with a BOM (Excel reads it as Japanese),
    /// every cell neutralized against formulas.
    pub fn to_csv(&self) -> csv::Result<Vec<u8>> {
        let mut w = crate::csvsafe::Writer::new("\u{feff}".as_bytes().to_vec());
        w.row([
            "区分",
            "都道府県",
            "市区町村",
            "事業所番号",
            "サービス種別",
            "ID",
            "事業所の名称",
            "項目",
            "前回",
            "今回",
        ])?;
        let line = |kind: &str, i: &Item, field: &str, old: &str, new: &str| {
            [
                kind.to_string(),
                i.prefecture.clone(),
                i.municipality.clone(),
                i.office_number.clone(),
                i.service_type.clone(),
                i.id.clone(),
                i.name.clone(),
                field.to_string(),
                old.to_string(),
                new.to_string(),
            ]
        };
        for i in &self.opened {
            w.row(line("新規", i, "", "", ""))?;
        }
        for i in &self.closed {
            w.row(line("廃止", i, "", "", ""))?;
        }
        for c in &self.changed {
            for (f, [old, new]) in &c.fields {
                w.row(line("変更", &c.item, f, old, new))?;
            }
        }
        for r in &self.renumbered {
            let old = &r.previous_office_number;
            let new = &r.item.office_number;
            w.row(line("番号変更", &r.item, "事業所番号", old, new))?;
        }
        w.finish()
    }

    /// A counts table and the lists, grouped under 「### 都道府県 市区町村」 headings.
    pub fn to_markdown(&self) -> String {
        let mut s = format!(
            "# WAM NET オープンデータの変更（{} → {}）\n\n| 区分 | 件数 |\n|---|---:|\n",
            md(&self.from),
            md(&self.to)
        );
        s.push_str(&format!("| 新規 | {} |\n", self.opened.len()));
        s.push_str(&format!("| 廃止 | {} |\n", self.closed.len()));
        s.push_str(&format!("| 変更 | {} |\n", self.changed.len()));
        for (f, short) in FIELDS {
            let n = self.count_of(f);
            if n > 0 {
                s.push_str(&format!("| 　うち{short} | {n} |\n"));
            }
        }
        s.push_str(&format!("| 番号変更 | {} |\n", self.renumbered.len()));
        let head = |i: &Item| {
            format!(
                "{}・{}（{}）",
                md(&i.office_number),
                md(&i.name),
                md(&i.service_type)
            )
        };
        section(&mut s, "新規", self.opened.iter().map(|i| (i, head(i))));
        section(&mut s, "廃止", self.closed.iter().map(|i| (i, head(i))));
        section(
            &mut s,
            "変更",
            self.changed.iter().map(|c| {
                let fields: Vec<String> = c
                    .fields
                    .iter()
                    .map(|(f, [o, n])| format!("{f}: {} → {}", shown(o), shown(n)))
                    .collect();
                (
                    &c.item,
                    format!("{} — {}", head(&c.item), fields.join("; ")),
                )
            }),
        );
        section(
            &mut s,
            "番号変更",
            self.renumbered.iter().map(|r| {
                let line = format!(
                    "{} ← 旧 {}（{}）",
                    head(&r.item),
                    md(&r.previous_office_number),
                    md(&r.previous_id)
                );
                (&r.item, line)
            }),
        );
        s
    }
}

/// A value in Markdown: one line, with the characters that would start markup escaped.
fn md(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            c if c.is_control() => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn shown(v: &str) -> String {
    if v.is_empty() {
        "（なし）".into()
    } else {
        md(v)
    }
}

/// `## title` and the lines under one `### 都道府県 市区町村` heading per place.
fn section<'a>(s: &mut String, title: &str, lines: impl Iterator<Item = (&'a Item, String)>) {
    s.push_str(&format!("\n## {title}\n"));
    let mut last: Option<(&str, &str)> = None;
    let mut any = false;
    for (i, line) in lines {
        let here = (i.prefecture.as_str(), i.municipality.as_str());
        if last != Some(here) {
            let place = format!("{} {}", i.prefecture, i.municipality);
            let place = place.trim();
            let place = if place.is_empty() {
                "（地域不明）".to_string()
            } else {
                md(place)
            };
            s.push_str(&format!("\n### {place}\n\n"));
            last = Some(here);
        }
        s.push_str(&format!("- {line}\n"));
        any = true;
    }
    if !any {
        s.push_str("\nなし\n");
    }
}
