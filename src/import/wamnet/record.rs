//! An office record built from its rows, and its conversion to today's [`Resource`].
//!
//! Rules for a record built from several rows (in file-then-line order):
//! - `name`, `kana`, provider: the first row that has them; other spellings of the name become
//!   `aliases` (「（肢体）」 and 「（重心）」 rows give both names).
//! - phone, fax, address, URL: the first row's valid value; values of later rows that differ
//!   (digits for phones, [`address_key`] for addresses) are kept in `other_*` and noted in the
//!   report — the rows of one office do not always agree, and the clerk should see both.
//! - coordinates, hours, 定休日, 特記事項: the first row that has any.
//! - every service type is listed once, with the 事業所番号 and 定員 of its row.
//! - `sources`: one per row, `行 N 事業所番号 XXXXXXXXXX`.

use serde::Serialize;

use super::fields::{address_key, digits_of};
use super::mapping::{self, ServiceType};
use super::row::{Hours, Row};
use crate::directory::model::{
    Contact, Designation, GeoPoint, HoursByDay, Resource, ResourceKind, SourceRef, Status,
};
use crate::directory::validate::date_order;

/// 運営法人.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provider {
    /// 法人の名称.
    pub name: String,
    /// 法人の名称_かな.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kana: Option<String>,
    /// 法人番号 (13 digits) as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corporate_number: Option<String>,
}

/// One service type an office is designated for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfficeService {
    /// サービス種別 as written.
    pub label: String,
    /// Its code (11–70) when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<u8>,
    /// The 事業所番号 of this designation.
    pub office_number: String,
    /// 定員 of this designation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u32>,
    /// The release of the file that states it.
    pub as_of: String,
}

/// How to reach the office: only what its rows give.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OfficeContact {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_phones: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fax: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_addresses: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Latitude and longitude (WGS 84 as published).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Location {
    pub lat: f64,
    pub lng: f64,
}

/// One office, from one or more rows.
#[derive(Debug, Clone, Serialize)]
pub struct OfficeRecord {
    /// `wam-<smallest 事業所番号>`, `-2`, `-3` … when a number has several distinct offices.
    pub id: String,
    /// Every 事業所番号 of the office, ascending.
    pub office_numbers: Vec<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kana: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    pub kind: ResourceKind,
    pub services: Vec<OfficeService>,
    /// Need ids from the mapping table, in table order.
    pub needs: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<Provider>,
    /// 事業所住所（市区町村） as written (whitespace removed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
    /// The area id `locate` gave for it.
    pub located_in: Option<String>,
    pub contact: OfficeContact,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(skip_serializing_if = "Hours::is_empty")]
    pub hours: Hours,
    /// 定休日.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_days: Option<String>,
    /// 利用可能曜日特記事項（留意事項）.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    pub sources: Vec<SourceRef>,
}

/// A row with the file it came from and that file's release.
pub struct Sourced<'a> {
    pub file: &'a str,
    pub as_of: &'a str,
    pub row: &'a Row,
}

/// Builds the record of one group of rows; `id` is chosen by the caller.
pub fn build(id: String, rows: &[Sourced<'_>], located_in: Option<String>) -> OfficeRecord {
    let first = rows[0].row;
    let mut numbers: Vec<String> = rows.iter().map(|s| s.row.office_number.clone()).collect();
    numbers.sort();
    numbers.dedup();
    let mut aliases: Vec<String> = Vec::new();
    for s in rows {
        if s.row.name != first.name && !aliases.contains(&s.row.name) {
            aliases.push(s.row.name.clone());
        }
    }
    let services = services(rows);
    let known: Vec<&ServiceType> = services
        .iter()
        .filter_map(|s| s.code.and_then(by_code))
        .collect();
    let mut needs: Vec<String> = Vec::new();
    for n in mapping::SERVICE_TYPES.iter().flat_map(|t| t.needs.iter()) {
        if known.iter().any(|t| t.needs.contains(n)) && !needs.iter().any(|x| x == n) {
            needs.push((*n).to_string());
        }
    }
    let provider = first_with(rows, |r| r.provider.is_some()).map(|r| Provider {
        name: r.provider.clone().unwrap_or_default(),
        kana: r.provider_kana.clone(),
        corporate_number: r.corporate_number.clone(),
    });
    OfficeRecord {
        id,
        office_numbers: numbers,
        name: first.name.clone(),
        kana: first_with(rows, |r| r.name_kana.is_some()).and_then(|r| r.name_kana.clone()),
        aliases,
        kind: mapping::kind_of(&known),
        services,
        needs,
        provider,
        municipality: first.municipality.clone(),
        located_in,
        contact: contact(rows),
        location: first_with(rows, |r| r.location.is_some())
            .and_then(|r| r.location)
            .map(|(lat, lng)| Location { lat, lng }),
        hours: first_with(rows, |r| !r.hours.is_empty())
            .map(|r| r.hours.clone())
            .unwrap_or_default(),
        closed_days: first_with(rows, |r| r.closed_days.is_some())
            .and_then(|r| r.closed_days.clone()),
        notes: first_with(rows, |r| r.notes.is_some()).and_then(|r| r.notes.clone()),
        sources: rows.iter().map(source).collect(),
    }
}

/// The first row (in file-then-line order) for which `f` holds.
fn first_with<'a>(rows: &[Sourced<'a>], f: impl Fn(&Row) -> bool) -> Option<&'a Row> {
    rows.iter().map(|s| s.row).find(|r| f(r))
}

fn by_code(code: u8) -> Option<&'static ServiceType> {
    mapping::SERVICE_TYPES.iter().find(|t| t.code == code)
}

/// The citation of one row.
pub fn source(s: &Sourced<'_>) -> SourceRef {
    SourceRef {
        file: s.file.to_string(),
        section: format!("行 {} 事業所番号 {}", s.row.line, s.row.office_number),
        date: s.as_of.to_string(),
    }
}

fn services(rows: &[Sourced<'_>]) -> Vec<OfficeService> {
    let mut out: Vec<OfficeService> = Vec::new();
    for s in rows {
        let label = s.row.service_type.clone().unwrap_or_default();
        let dup = out
            .iter()
            .any(|o| o.label == label && o.office_number == s.row.office_number);
        if !dup {
            out.push(OfficeService {
                code: mapping::lookup(&label).map(|t| t.code),
                label,
                office_number: s.row.office_number.clone(),
                capacity: s.row.capacity,
                as_of: s.as_of.to_string(),
            });
        }
    }
    out
}

/// First value of each contact field plus the differing values of later rows.
fn contact(rows: &[Sourced<'_>]) -> OfficeContact {
    let mut c = OfficeContact::default();
    for s in rows {
        let r = s.row;
        if let Some(p) = &r.phone {
            match &c.phone {
                None => c.phone = Some(p.clone()),
                Some(first) if digits_of(first) != digits_of(p) => {
                    if !c.other_phones.iter().any(|o| digits_of(o) == digits_of(p)) {
                        c.other_phones.push(p.clone());
                    }
                }
                Some(_) => {}
            }
        }
        if let Some(a) = &r.address {
            match &c.address {
                None => c.address = Some(a.clone()),
                Some(first) if address_key(first) != address_key(a) => {
                    if !c
                        .other_addresses
                        .iter()
                        .any(|o| address_key(o) == address_key(a))
                    {
                        c.other_addresses.push(a.clone());
                    }
                }
                Some(_) => {}
            }
        }
        c.fax = c.fax.take().or_else(|| r.fax.clone());
        c.url = c.url.take().or_else(|| r.url.clone());
    }
    c
}

impl OfficeRecord {
    /// The record as a [`Resource`]: contact with fax, `location`, `office_numbers`,
    /// `designations` (service type, 事業所番号, 定員), `hours_by_day`, `closed_days`,
    /// `hours_note` and `provider_kana` in their own fields; `capacity` is also written as text
    /// (「療養介護 40名 / …」, the field every record has). `contact.note` holds only the phones and
    /// addresses of other rows of the office that disagree with the first. Line breaks and other
    /// control characters inside a cell (a 特記事項 over two lines) become one space: a directory
    /// string is one paragraph.
    pub fn to_resource(&self) -> Resource {
        let text = |s: &Option<String>| s.as_deref().map(one_paragraph);
        let h = &self.hours;
        let hours_by_day = HoursByDay {
            weekday: text(&h.weekday),
            saturday: text(&h.saturday),
            sunday: text(&h.sunday),
            holiday: text(&h.holiday),
        };
        Resource {
            id: self.id.clone(),
            name: one_paragraph(&self.name),
            kana: text(&self.kana),
            aliases: self.aliases.iter().map(|a| one_paragraph(a)).collect(),
            kind: self.kind,
            summary: self.summary(),
            description: None,
            provider: self.provider.as_ref().map(|p| one_paragraph(&p.name)),
            administered_by: None,
            located_in: self.located_in.clone(),
            service_areas: self.located_in.iter().cloned().collect(),
            needs: self.needs.clone(),
            care_types: Vec::new(),
            life_stages: Vec::new(),
            audiences: Vec::new(),
            eligibility: None,
            capacity: self.capacity_text(),
            hours: None,
            fees: None,
            how_to_apply: None,
            contact: Contact {
                department: None,
                phone: self.contact.phone.clone(),
                fax: self.contact.fax.clone(),
                address: text(&self.contact.address),
                url: self.contact.url.clone(),
                note: self.contact_note(),
            },
            location: self.location.map(|l| GeoPoint {
                lat: l.lat,
                lng: l.lng,
            }),
            office_numbers: self.office_numbers.clone(),
            designations: self
                .services
                .iter()
                .map(|s| Designation {
                    service_type: one_paragraph(&s.label),
                    code: s.code,
                    office_number: s.office_number.clone(),
                    capacity: s.capacity,
                    as_of: Some(s.as_of.clone()),
                    first_seen: None,
                    closed_in: None,
                    successor: None,
                })
                .collect(),
            former_designations: Vec::new(),
            former_ids: Vec::new(),
            hours_by_day: (hours_by_day != HoursByDay::default()).then_some(hours_by_day),
            closed_days: text(&self.closed_days),
            hours_note: text(&self.notes),
            provider_kana: self
                .provider
                .as_ref()
                .and_then(|p| p.kana.as_deref())
                .map(one_paragraph),
            status: Status::Active,
            since: None,
            figures: Vec::new(),
            sources: self.sources.clone(),
            verified_as_of: self
                .sources
                .iter()
                .map(|s| s.date.clone())
                .max_by(|a, b| date_order(a).cmp(&date_order(b))),
            related: Vec::new(),
        }
    }

    /// 「療養介護・医療型障害児入所施設の指定事業所（WAM NET）」.
    pub fn summary(&self) -> String {
        let labels: Vec<&str> = self
            .services
            .iter()
            .map(|s| s.label.as_str())
            .filter(|l| !l.is_empty())
            .collect();
        let mut uniq: Vec<&str> = Vec::new();
        for l in labels {
            if !uniq.contains(&l) {
                uniq.push(l);
            }
        }
        if uniq.is_empty() {
            "障害福祉サービス等の指定事業所（WAM NET）".into()
        } else {
            format!("{}の指定事業所（WAM NET）", uniq.join("・"))
        }
    }

    fn capacity_text(&self) -> Option<String> {
        let parts: Vec<String> = self
            .services
            .iter()
            .filter_map(|s| s.capacity.map(|c| format!("{} {c}名", s.label)))
            .collect();
        (!parts.is_empty()).then(|| parts.join(" / "))
    }

    fn contact_note(&self) -> Option<String> {
        let c = &self.contact;
        let mut parts = Vec::new();
        if !c.other_phones.is_empty() {
            parts.push(format!(
                "{} {}",
                crate::directory::OTHER_PHONES,
                c.other_phones.join("、")
            ));
        }
        if !c.other_addresses.is_empty() {
            let all: Vec<String> = c.other_addresses.iter().map(|a| one_paragraph(a)).collect();
            parts.push(format!("別の行の住所 {}", all.join("、")));
        }
        (!parts.is_empty()).then(|| parts.join(" / "))
    }
}

/// Control characters (line breaks, tabs) as one space each run, trimmed.
fn one_paragraph(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut gap = false;
    for c in s.chars() {
        if c.is_control() {
            gap = true;
        } else {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(c);
        }
    }
    out
}
