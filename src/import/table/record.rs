//! One data row → one record, or the problems that keep it out, each at its cell.
//!
//! | field | how a cell is read | a problem when |
//! |---|---|---|
//! | name | as written (trimmed) | empty |
//! | kana | NFKC, katakana → hiragana | — |
//! | kind | a WAM NET サービス種別 (kind and needs from its table), a kind label (施設, 相談 …) or id, or a need | none of these |
//! | area | a name, reading or code the gazetteer resolves to exactly one area (with 都道府県 in front when a prefecture column is given), else a whole address; empty → the address column | unknown (with the closest names) or ambiguous (with every candidate): never a guess |
//! | needs, care types | split at 、,／/・;; each a label, alias or id | an unknown one (with the closest) |
//! | phone, fax, url | as the WAM NET importer checks them ([`fields`]) | not a number, not a public URL |
//! | capacity | a whole number, optionally 名/人, 全角 digits read | not a number |
//! | others | as written | — |
//! | any | line breaks and tabs as one space ([`crate::import::cell`]) | another control character |

use unicode_normalization::UnicodeNormalization;

use super::mapping::{Columns, Field};
use crate::directory::model::{Contact, Resource, ResourceKind, SourceRef, Status};
use std::cell::RefCell;
use std::collections::HashMap;

use crate::directory::{AreaNameError, Catalog, Facet, Resolved};
use crate::import::wamnet::{fields, mapping as service_types};

/// One reason a row is not imported, at a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellProblem {
    /// The column (index), `None` for the whole row.
    pub column: Option<usize>,
    /// What is wrong, in Japanese.
    pub reason: String,
}

/// What the record needs besides the row.
pub struct Context<'a> {
    /// For areas and terms.
    pub catalog: &'a Catalog,
    /// The columns.
    pub columns: &'a Columns,
    /// `sources[].file`.
    pub file: &'a str,
    /// The sheet, if any.
    pub sheet: Option<&'a str>,
    /// `sources[].date`.
    pub date: &'a str,
    /// Areas resolved so far: (prefecture, area cell, address when the area cell is empty).
    pub areas: RefCell<HashMap<AreaKey, AreaFound>>,
    /// Terms resolved so far.
    pub terms: RefCell<HashMap<(Facet, String), Resolved<String>>>,
}

/// What an area is resolved from.
pub type AreaKey = (Option<String>, Option<String>, Option<String>);

/// An area id, or the column at fault and why.
pub type AreaFound = Result<String, (Field, String)>;

impl Context<'_> {
    /// A need or care type by label, alias or id, resolved once per distinct text.
    fn term(&self, facet: Facet, text: &str) -> Resolved<String> {
        let key = (facet, text.to_string());
        if let Some(r) = self.terms.borrow().get(&key) {
            return r.clone();
        }
        let r = self.catalog.resolve_term(facet, text);
        self.terms.borrow_mut().insert(key, r.clone());
        r
    }
}

/// The record of one row.
pub fn build(
    ctx: &Context<'_>,
    id: String,
    number: u64,
    cells: &[String],
) -> Result<Resource, Vec<CellProblem>> {
    let mut b = Builder {
        ctx,
        cells,
        problems: Vec::new(),
    };
    // A control character the cleaning of cells does not turn into a space: the loader
    // would refuse the layer, so the row stays out with its cell named.
    for &column in ctx.columns.of.values() {
        if let Some(c) = cells
            .get(column)
            .and_then(|t| crate::import::cell::control_in(t))
        {
            b.problems.push(CellProblem {
                column: Some(column),
                reason: crate::import::cell::control_reason(c),
            });
        }
    }
    let name = b.text(Field::Name);
    if name.is_none() {
        b.problem(Field::Name, "名称が空です".into());
    }
    let (kind, kind_needs, summary) = b.kind();
    let area = b.area();
    let mut needs = kind_needs;
    for n in b.terms(Field::Needs, Facet::Need) {
        if !needs.contains(&n) {
            needs.push(n);
        }
    }
    let care_types = b.terms(Field::CareTypes, Facet::CareType);
    let contact = Contact {
        phone: b.phone(Field::Phone),
        fax: b.phone(Field::Fax),
        address: b.text(Field::Address),
        url: b.url(),
        ..Contact::default()
    };
    let capacity = b.capacity();
    let id = match b.text(Field::Id) {
        Some(own) if own.bytes().all(|c| c.is_ascii_graphic()) => own,
        Some(own) => {
            b.problem(
                Field::Id,
                format!("ID「{own}」は空白のない ASCII で書いてください"),
            );
            id
        }
        None => id,
    };
    let section = match (ctx.sheet, b.text(Field::Source)) {
        (Some(s), None) => format!("{s} {number}行目"),
        (None, None) => format!("{number}行目"),
        (Some(s), Some(src)) => format!("{s} {number}行目（{src}）"),
        (None, Some(src)) => format!("{number}行目（{src}）"),
    };
    if !b.problems.is_empty() {
        return Err(b.problems);
    }
    let (Some(name), Some(area)) = (name, area) else {
        return Err(b.problems);
    };
    Ok(Resource {
        id,
        name,
        kana: b.kana(),
        aliases: Vec::new(),
        kind,
        summary,
        description: b.text(Field::Notes),
        provider: b.text(Field::Provider),
        administered_by: None,
        located_in: Some(area.clone()),
        service_areas: vec![area],
        needs,
        care_types,
        life_stages: Vec::new(),
        audiences: Vec::new(),
        eligibility: b.text(Field::Eligibility),
        capacity,
        hours: b.text(Field::Hours).map(|h| fields::clean(&h)),
        fees: None,
        how_to_apply: None,
        contact,
        location: None,
        office_numbers: Vec::new(),
        designations: Vec::new(),
        former_designations: Vec::new(),
        former_ids: Vec::new(),
        hours_by_day: None,
        closed_days: None,
        hours_note: None,
        provider_kana: None,
        status: Status::Active,
        since: None,
        figures: Vec::new(),
        sources: vec![SourceRef {
            file: ctx.file.to_string(),
            section,
            date: ctx.date.to_string(),
        }],
        verified_as_of: Some(ctx.date.to_string()),
        related: Vec::new(),
    })
}

struct Builder<'a, 'c> {
    ctx: &'a Context<'c>,
    cells: &'a [String],
    problems: Vec<CellProblem>,
}

impl Builder<'_, '_> {
    fn column(&self, f: Field) -> Option<usize> {
        self.ctx.columns.of.get(&f).copied()
    }

    fn raw(&self, f: Field) -> Option<&str> {
        let c = self.column(f)?;
        self.cells.get(c).map(String::as_str)
    }

    fn text(&self, f: Field) -> Option<String> {
        self.raw(f).and_then(fields::text)
    }

    fn header(&self, f: Field) -> String {
        self.ctx.columns.header_of(f)
    }

    fn problem(&mut self, f: Field, reason: String) {
        let column = self.column(f);
        self.problems.push(CellProblem { column, reason });
    }

    fn kana(&self) -> Option<String> {
        let k = self.text(Field::Kana)?;
        Some(
            k.nfkc()
                .map(|c| match c {
                    'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
                    _ => c,
                })
                .collect(),
        )
    }

    /// Kind, the needs it implies, and the summary line.
    fn kind(&mut self) -> (ResourceKind, Vec<String>, String) {
        let Some(cell) = self.text(Field::Kind) else {
            return (
                ResourceKind::Facility,
                Vec::new(),
                ResourceKind::Facility.label().into(),
            );
        };
        if let Some(t) = service_types::lookup(&cell) {
            let needs = t.needs.iter().map(|n| n.to_string()).collect();
            return (t.kind, needs, cell);
        }
        let k = fields::clean(&cell);
        if let Some(kind) = ResourceKind::ALL
            .iter()
            .find(|x| x.label() == k || x.as_str() == k)
        {
            return (*kind, Vec::new(), cell);
        }
        match self.ctx.term(Facet::Need, &cell) {
            Ok(need) => (ResourceKind::Facility, vec![need], cell),
            Err(e) => {
                let h = self.header(Field::Kind);
                self.problem(
                    Field::Kind,
                    format!("{h}「{cell}」が分かりません（サービス種別、施設・相談などの種類、ニーズのどれか）{}", maybe(&e.suggestions)),
                );
                (ResourceKind::Facility, Vec::new(), cell)
            }
        }
    }

    /// The area id, or a problem (resolved once per distinct cell: a list names the same few
    /// municipalities over and over).
    fn area(&mut self) -> Option<String> {
        let pref = self.text(Field::Prefecture).map(|p| fields::clean(&p));
        let cell = self.text(Field::Area).map(|a| fields::clean(&a));
        let address = match cell {
            None => self.text(Field::Address),
            Some(_) => None,
        };
        let key = (pref, cell, address);
        let ctx = self.ctx;
        let cached = ctx.areas.borrow().get(&key).cloned();
        let found = match cached {
            Some(found) => found,
            None => {
                let found = self.resolve_area(&key.0, &key.1, &key.2);
                ctx.areas.borrow_mut().insert(key, found.clone());
                found
            }
        };
        match found {
            Ok(id) => Some(id),
            Err((field, reason)) => {
                self.problem(field, reason);
                None
            }
        }
    }

    fn resolve_area(
        &self,
        pref: &Option<String>,
        cell: &Option<String>,
        address: &Option<String>,
    ) -> AreaFound {
        let ctx = self.ctx;
        let tree = &ctx.catalog.areas;
        let h = self.header(Field::Area);
        let id = |i| tree.at(i).id.clone();
        let Some(cell) = cell else {
            let from_address = address
                .as_deref()
                .map(|a| match pref {
                    Some(p) if !a.starts_with(p.as_str()) => format!("{p}{a}"),
                    _ => a.to_string(),
                })
                .and_then(|a| tree.area_of_address(&a));
            let field = if self.column(Field::Area).is_some() {
                Field::Area
            } else {
                Field::Address
            };
            return from_address.map(id).ok_or_else(|| {
                (
                    field,
                    format!("{h}が空で、住所からも市区町村が決まりません"),
                )
            });
        };
        if let Some(p) = pref
            && !cell.starts_with(p.as_str())
            && let Some(i) = tree.area_of_address(&format!("{p}{cell}"))
        {
            return Ok(id(i));
        }
        match ctx.catalog.resolve_area(cell) {
            Ok(i) => Ok(id(i)),
            Err(_) if tree.area_of_address(cell).is_some() => {
                Ok(tree.area_of_address(cell).map(id).unwrap_or_default())
            }
            Err(AreaNameError::Unknown(u)) => {
                let mut s = variant_matches(ctx.catalog, cell);
                for x in u.suggestions {
                    if !s.contains(&x) {
                        s.push(x);
                    }
                }
                Err((
                    Field::Area,
                    format!("{h}「{cell}」が見つかりません{}", maybe(&s)),
                ))
            }
            Err(AreaNameError::Ambiguous(a)) => Err((
                Field::Area,
                format!(
                    "{h}「{cell}」は一つに決まりません（{}）。都道府県の列を加えるか、コードで書いてください",
                    a.candidates.join("、")
                ),
            )),
        }
    }

    /// Ids of the labels in a cell, split at 、 , ／ / ; and line breaks; a piece that is not a
    /// label as a whole is split at 「・」 too (「人工呼吸器・吸引」, while 「相談・コーディネート」 is
    /// one label).
    fn terms(&mut self, f: Field, facet: Facet) -> Vec<String> {
        let Some(cell) = self.text(f) else {
            return Vec::new();
        };
        let ctx = self.ctx;
        let mut ids = Vec::new();
        let mut unknown = Vec::new();
        for part in cell.split(['、', ',', '，', '/', '／', ';', '；', '\n']) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let found: Result<Vec<String>, (String, Vec<String>)> = match ctx.term(facet, part) {
                Ok(id) => Ok(vec![id]),
                Err(e) if part.contains('・') => part
                    .split('・')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(|p| ctx.term(facet, p))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|_| (part.to_string(), e.suggestions)),
                Err(e) => Err((part.to_string(), e.suggestions)),
            };
            match found {
                Ok(found) => {
                    for id in found {
                        if !ids.contains(&id) {
                            ids.push(id);
                        }
                    }
                }
                Err(u) => unknown.push(u),
            }
        }
        for (part, suggestions) in unknown {
            let h = self.header(f);
            self.problem(
                f,
                format!("{h}「{part}」が見つかりません{}", maybe(&suggestions)),
            );
        }
        ids
    }

    fn phone(&mut self, f: Field) -> Option<String> {
        let cell = self.raw(f)?.to_string();
        match fields::phone(&cell) {
            Ok(p) => p,
            Err(_) => {
                let h = self.header(f);
                let why = phone_reason(&cell);
                self.problem(
                    f,
                    format!("{h}「{}」が電話番号として読めません（{why}）", cell.trim()),
                );
                None
            }
        }
    }

    fn url(&mut self) -> Option<String> {
        use fields::url::UrlCell;
        let cell = self.raw(Field::Url)?.to_string();
        match fields::url::url_cell(&cell) {
            UrlCell::Empty => None,
            UrlCell::Clean(u) => Some(u),
            UrlCell::Partial { url, dropped } => {
                let h = self.header(Field::Url);
                self.problem(Field::Url, format!("{h}に URL 以外の文字があります（「{dropped}」）。URL だけにしてください（{url}）"));
                None
            }
            UrlCell::Rejected(why) => {
                let h = self.header(Field::Url);
                self.problem(
                    Field::Url,
                    format!("{h}「{}」が URL として使えません（{why}）", cell.trim()),
                );
                None
            }
        }
    }

    fn capacity(&mut self) -> Option<String> {
        let cell = self.raw(Field::Capacity)?.to_string();
        match fields::capacity(&cell) {
            Ok(n) => n.map(|n| n.to_string()),
            Err(_) => {
                let h = self.header(Field::Capacity);
                self.problem(
                    Field::Capacity,
                    format!("{h}「{}」が数として読めません", cell.trim()),
                );
                None
            }
        }
    }
}

/// Why a cell is not a phone number, in words a maintainer can act on (the checks are
/// [`fields::phone`]'s).
fn phone_reason(cell: &str) -> String {
    let c = fields::clean(cell);
    if let Some(bad) = c
        .chars()
        .find(|ch| !(ch.is_ascii_digit() || matches!(ch, '-' | '(' | ')')))
    {
        return format!(
            "「{bad}」は電話番号に使えません。番号は一つだけ、数字とハイフンで書いてください"
        );
    }
    let digits = fields::digits_of(&c);
    if !digits.starts_with('0') {
        return "0 で始まっていません（市外局番から。Excel が数値として先頭の 0 を落としたのかもしれません）".into();
    }
    format!(
        "{}桁です（固定電話は10桁、携帯・050・0800 は11桁）",
        digits.len()
    )
}

/// Kanji that place names are written with in more than one way, or that lists confuse
/// (大坂 for 大阪, 嶋 for 島, 﨑 for 崎): each group folds to its first character.
const VARIANTS: &[&str] = &[
    "阪坂",
    "崎﨑埼碕嵜",
    "島嶋嶌",
    "沢澤",
    "辺邊邉",
    "斎斉齋齊",
    "桜櫻",
    "広廣",
    "竜龍",
    "国國",
    "浜濱濵",
    "恵惠",
    "条條",
    "関關",
    "館舘",
    "淵渕",
    "富冨",
    "高髙",
    "滝瀧",
    "徳德",
    "栄榮",
    "槙槇",
    "塩鹽",
    "県縣",
    "会會",
    "鶴靏",
    "亀龜",
    "岩巖",
    "瀬瀨",
];

fn fold(s: &str) -> String {
    s.nfkc()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            VARIANTS
                .iter()
                .find(|g| g.contains(c))
                .and_then(|g| g.chars().next())
                .unwrap_or(c)
        })
        .collect()
}

/// Areas whose name (or name with its prefecture) is the cell's with variant kanji folded:
/// the likeliest meaning of a misspelt name, offered first — never taken.
fn variant_matches(catalog: &Catalog, cell: &str) -> Vec<String> {
    let want = fold(cell);
    let tree = &catalog.areas;
    (0..tree.areas().len())
        .filter(|&i| {
            let a = tree.at(i);
            fold(&a.name) == want || fold(&tree.full_name(i)) == want
        })
        .map(|i| tree.full_name(i))
        .collect()
}

/// 「（もしかして 大阪市）」 from the closest names, or nothing.
fn maybe(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        let shown: Vec<&str> = suggestions.iter().take(3).map(String::as_str).collect();
        format!("（もしかして {}）", shown.join("、"))
    }
}
