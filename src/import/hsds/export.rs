//! The directory as HSDS 3.0 (see the mapping table in [`super`]).
//!
//! - `json`: `services.json`, an array of service objects in the form of the official
//!   compiled schema (`schema/compiled/service.json`: each service with its organization,
//!   service_at_locations → location → addresses, phones, contacts, service_areas, schedules,
//!   attributes with their taxonomy terms, metadata); `taxonomies.json` and
//!   `taxonomy_terms.json`; `metadata.json` naming every source document.
//! - `csv`: the tabular data package — the official `datapackage.json` as published (its
//!   resource and field lists) and one CSV per resource, headers in its field order, written
//!   through [`crate::csvsafe`] (tables we have nothing for hold only their header).
//!
//! The same directory gives the same bytes: records in directory order, terms in taxonomy
//! order, ids from [`super::uuid_of`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::{FIELD_TERMS, FIELDS_TAXONOMY, TERM_TAXONOMIES, uuid_of};
use crate::directory::Catalog;
use crate::directory::model::{Resource, Status};

/// The official tabular data package description (HSDS 3.0), vendored under
/// `data/sources/hsds-3.0/`.
pub const DATAPACKAGE: &str = include_str!("../../../data/sources/hsds-3.0/datapackage.json");

/// What can go wrong writing the package.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Writing a file failed.
    #[error(
        "{path}: 書けません（{}）",
        crate::fsutil::io_reason(source, crate::fsutil::Access::Write)
    )]
    Io {
        /// The file.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The vendored datapackage.json is not what it should be (a build problem).
    #[error("datapackage.json: {0}")]
    Package(String),
}

/// One entity as a JSON object.
type Row = Map<String, Value>;

/// The whole export, as flat tables (resource name → rows) and as compiled services.
#[derive(Debug, Clone, Default)]
pub struct Package {
    /// Compiled service objects, in directory order.
    pub services: Vec<Value>,
    /// Flat rows per resource name of the data package (`service`, `phone` …).
    pub tables: BTreeMap<&'static str, Vec<Map<String, Value>>>,
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m.into_iter().filter(|(_, v)| !v.is_null()).collect(),
        _ => Map::new(),
    }
}

/// `09:00+09:00` and `18:00+09:00` from `09:00-18:00` (HSDS asks for a time with its zone);
/// nothing from any other form (the description keeps it as written).
fn opening_times(hours: &str) -> (Option<String>, Option<String>) {
    let hhmm = |t: &str| {
        let b = t.as_bytes();
        (b.len() == 5 && b[2] == b':' && t.chars().filter(char::is_ascii_digit).count() == 4)
            .then(|| format!("{t}+09:00"))
    };
    match hours.split_once('-') {
        Some((o, c)) => match (hhmm(o.trim()), hhmm(c.trim())) {
            (Some(o), Some(c)) => (Some(o), Some(c)),
            _ => (None, None),
        },
        None => (None, None),
    }
}

/// Compact JSON of a small value kept in an attribute.
fn compact<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// `organization.description` of a provider (運営法人).
pub const ORG_PROVIDER: &str = "運営法人";
/// `organization.description` of the responsible office (所管) when no provider is known.
pub const ORG_ADMINISTRATOR: &str = "所管";
/// `organization.description` when neither is known: the record stands for itself (the
/// tabular package requires every service to name an organization).
pub const ORG_NONE: &str = "運営者の記載なし（記録そのもの）";
/// `replacement_value` of a source without a section (the package requires a value).
pub const NO_SECTION: &str = "（箇所の記載なし）";

/// The 郵便番号 written at the start of an address or after 〒 (`〒141-0033 …`), as
/// `141-0033`.
pub fn postal_code(address: &str) -> Option<String> {
    use unicode_normalization::UnicodeNormalization;
    let a: String = address.nfkc().collect();
    let rest = a
        .split_once('〒')
        .map_or(a.as_str(), |(_, r)| r)
        .trim_start();
    let d: Vec<char> = rest.chars().take(8).collect();
    let ok = d.len() == 8
        && d[..3].iter().all(char::is_ascii_digit)
        && d[3] == '-'
        && d[4..].iter().all(char::is_ascii_digit);
    ok.then(|| d.iter().collect())
}

/// A URL as a URI (RFC 3986, what the schema's `uri` format checks): non-ASCII characters,
/// spaces, the characters a URI may not hold (`"<>\^`{|}`) and a `%` that starts no `%XX`
/// escape percent-encoded as UTF-8.
pub fn uri(url: &str) -> String {
    let b = url.as_bytes();
    let mut out = String::with_capacity(url.len());
    for (i, c) in url.char_indices() {
        let escape = c == '%'
            && !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit));
        let unsafe_ascii = matches!(c, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}');
        if escape
            || unsafe_ascii
            || !c.is_ascii()
            || c.is_ascii_whitespace()
            || c.is_ascii_control()
        {
            let mut buf = [0u8; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A taxonomy term's object.
fn term(taxonomy: &str, code: &str, name: &str, description: &str) -> Map<String, Value> {
    obj(json!({
        "id": uuid_of("term", &format!("{taxonomy}/{code}")),
        "code": code,
        "name": name,
        "description": description,
        "taxonomy": taxonomy,
        "taxonomy_id": uuid_of("taxonomy", taxonomy),
    }))
}

/// Builds attributes (flat rows, and nested objects with their term) for one entity.
struct Attributes<'a> {
    terms: &'a BTreeMap<(String, String), Map<String, Value>>,
    flat: &'a mut Vec<Map<String, Value>>,
}

impl Attributes<'_> {
    fn make(
        &mut self,
        entity: &str,
        link_id: &str,
        taxonomy: &str,
        code: &str,
        value: Option<&str>,
    ) -> Option<Value> {
        let t = self.terms.get(&(taxonomy.to_string(), code.to_string()))?;
        let term_id = t["id"].as_str().unwrap_or_default();
        let flat = obj(json!({
            "id": uuid_of("attribute", &format!("{link_id}/{term_id}/{}", value.unwrap_or(""))),
            "link_id": link_id,
            "taxonomy_term_id": term_id,
            "link_entity": entity,
            "value": value,
        }));
        let mut nested = flat.clone();
        nested.insert("taxonomy_term".into(), Value::Object(t.clone()));
        self.flat.push(flat);
        Some(Value::Object(nested))
    }
}

fn status(s: Status) -> &'static str {
    match s {
        Status::Active | Status::Trial => "active",
        Status::Planned => "inactive",
        Status::Paused => "temporarily closed",
        Status::Ended => "defunct",
        // Left the open data: closed, paused or renumbered — not known to be defunct.
        Status::Closed => "inactive",
    }
}

/// Every term of our taxonomies, by (taxonomy, code).
fn all_terms(catalog: &Catalog) -> (Vec<Row>, Vec<Row>) {
    let mut taxonomies = vec![obj(json!({
        "id": uuid_of("taxonomy", FIELDS_TAXONOMY),
        "name": FIELDS_TAXONOMY,
        "description": "医ケアナビの項目で HSDS に欄のないもの（値は attribute の value）",
    }))];
    let mut terms: Vec<Map<String, Value>> = FIELD_TERMS
        .iter()
        .map(|(code, d)| term(FIELDS_TAXONOMY, code, code, d))
        .collect();
    for ((name, description), list) in TERM_TAXONOMIES.iter().zip(catalog.dir.taxonomy.lists()) {
        taxonomies.push(obj(json!({
            "id": uuid_of("taxonomy", name),
            "name": name,
            "description": description,
        })));
        for t in list {
            let mut d = t.kana.clone();
            if !t.aliases.is_empty() {
                d.push_str(&format!("（別名: {}）", t.aliases.join("、")));
            }
            terms.push(term(name, &t.id, &t.label, &d));
        }
    }
    (taxonomies, terms)
}

/// The export of a directory.
pub fn build(catalog: &Catalog) -> Package {
    let (taxonomies, terms) = all_terms(catalog);
    let by_code: BTreeMap<(String, String), Map<String, Value>> = terms
        .iter()
        .map(|t| {
            let k = (
                t["taxonomy"].as_str().unwrap_or_default().to_string(),
                t["code"].as_str().unwrap_or_default().to_string(),
            );
            (k, t.clone())
        })
        .collect();
    let mut pkg = Package::default();
    let mut orgs: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    let mut attrs = Vec::new();
    for r in catalog.resources() {
        let mut a = Attributes {
            terms: &by_code,
            flat: &mut attrs,
        };
        let s = service(catalog, r, &mut a, &mut pkg.tables, &mut orgs);
        pkg.services.push(s);
    }
    pkg.tables
        .insert("organization", orgs.into_values().collect());
    pkg.tables.insert("attribute", attrs);
    pkg.tables.insert("taxonomy", taxonomies);
    pkg.tables.insert("taxonomy_term", terms);
    let docs = catalog
        .dir
        .source_documents
        .iter()
        .map(|d| {
            obj(json!({
                "id": uuid_of("source_document", &d.file),
                "resource_id": uuid_of("source_document", &d.file),
                "resource_type": "source_document",
                "last_action_date": d.date,
                "last_action_type": "source",
                "field_name": "source_documents",
                "previous_value": d.file,
                "replacement_value": d.title,
                "updated_by": d.issuer,
            }))
        })
        .collect::<Vec<_>>();
    pkg.tables.entry("metadata").or_default().extend(docs);
    pkg
}

fn push(
    tables: &mut BTreeMap<&'static str, Vec<Map<String, Value>>>,
    t: &'static str,
    row: &Map<String, Value>,
) {
    tables.entry(t).or_default().push(row.clone());
}

/// One record as a compiled service, its rows added to the flat tables.
fn service(
    catalog: &Catalog,
    r: &Resource,
    a: &mut Attributes<'_>,
    tables: &mut BTreeMap<&'static str, Vec<Map<String, Value>>>,
    orgs: &mut BTreeMap<String, Map<String, Value>>,
) -> Value {
    let sid = uuid_of("service", &r.id);
    let (role, org_name, key) = match (&r.provider, &r.administered_by) {
        (Some(p), _) => (ORG_PROVIDER, p.as_str(), format!("provider/{p}")),
        (None, Some(a)) => (ORG_ADMINISTRATOR, a.as_str(), format!("administrator/{a}")),
        (None, None) => (ORG_NONE, r.name.as_str(), format!("self/{}", r.id)),
    };
    let org = obj(json!({
        "id": uuid_of("organization", &key),
        "name": org_name,
        "description": role,
    }));
    let mut s = obj(json!({
        "id": sid,
        "organization_id": org["id"],
        "name": r.name,
        "alternate_name": (!r.aliases.is_empty()).then(|| r.aliases.join("、")),
        "description": r.description.as_deref().unwrap_or(&r.summary),
        "url": r.contact.url.as_deref().map(uri),
        "status": status(r.status),
        "application_process": r.how_to_apply,
        "fees_description": r.fees,
        "eligibility_description": r.eligibility,
    }));
    push(tables, "service", &s);
    orgs.entry(org["id"].as_str().unwrap_or_default().to_string())
        .or_insert_with(|| org.clone());
    s.insert("organization".into(), Value::Object(org));
    // Attributes of the service: our fields, then our terms.
    let mut list = Vec::new();
    let kind = r.kind.as_str();
    for alias in &r.aliases {
        list.extend(a.make("service", &sid, FIELDS_TAXONOMY, "alias", Some(alias)));
    }
    let url_as_written = r.contact.url.as_deref().filter(|u| uri(u) != *u);
    for n in &r.office_numbers {
        list.extend(a.make("service", &sid, FIELDS_TAXONOMY, "office-number", Some(n)));
    }
    // Fields HSDS has no place for, each kept as written so that import gives them back.
    let mut repeated: Vec<(&str, String)> = Vec::new();
    repeated.extend(r.related.iter().map(|x| ("related", x.clone())));
    repeated.extend(r.figures.iter().map(|f| ("figure", compact(f))));
    repeated.extend(r.designations.iter().map(|d| ("designation", compact(d))));
    repeated.extend(
        r.former_designations
            .iter()
            .map(|d| ("former-designation", compact(d))),
    );
    repeated.extend(r.former_ids.iter().map(|x| ("former-id", x.clone())));
    for (code, v) in &repeated {
        list.extend(a.make("service", &sid, FIELDS_TAXONOMY, code, Some(v)));
    }
    let fields: [(&str, Option<&str>); 17] = [
        ("verified-as-of", r.verified_as_of.as_deref()),
        ("status", Some(r.status.as_str())),
        ("no-description", r.description.is_none().then_some("true")),
        ("provider-kana", r.provider_kana.as_deref()),
        ("since", r.since.as_deref()),
        ("contact-note", r.contact.note.as_deref()),
        ("closed-days", r.closed_days.as_deref()),
        ("hours-note", r.hours_note.as_deref()),
        ("administered-by", r.administered_by.as_deref()),
        ("url", url_as_written),
        ("record-id", Some(r.id.as_str())),
        ("summary", Some(r.summary.as_str())),
        ("kana", r.kana.as_deref()),
        ("kind", Some(kind)),
        ("capacity", r.capacity.as_deref()),
        ("located-in", r.located_in.as_deref()),
        ("hours", r.hours.as_deref()),
    ];
    for (code, value) in fields {
        if let Some(v) = value {
            list.extend(a.make("service", &sid, FIELDS_TAXONOMY, code, Some(v)));
        }
    }
    let ids = [&r.care_types, &r.needs, &r.life_stages, &r.audiences];
    for ((taxonomy, _), ids) in TERM_TAXONOMIES.iter().zip(ids) {
        for id in ids {
            list.extend(a.make("service", &sid, taxonomy, id, None));
        }
    }
    s.insert("attributes".into(), Value::Array(list));
    // Phones and contacts.
    let mut phones = Vec::new();
    for (n, kind) in [(&r.contact.phone, "voice"), (&r.contact.fax, "fax")] {
        if let Some(num) = n.as_deref().map(str::trim).filter(|x| !x.is_empty()) {
            let p = obj(json!({
                "id": uuid_of("phone", &format!("{}/{kind}", r.id)),
                "service_id": sid,
                "number": num,
                "type": kind,
            }));
            push(tables, "phone", &p);
            phones.push(Value::Object(p));
        }
    }
    s.insert("phones".into(), Value::Array(phones));
    let mut contacts = Vec::new();
    if let Some(d) = &r.contact.department {
        let c = obj(json!({
            "id": uuid_of("contact", &r.id),
            "service_id": sid,
            "department": d,
        }));
        push(tables, "contact", &c);
        contacts.push(Value::Object(c));
    }
    s.insert("contacts".into(), Value::Array(contacts));
    s.insert(
        "service_at_locations".into(),
        Value::Array(locations(catalog, r, &sid, tables)),
    );
    // Service areas, each with our area id.
    let mut areas = Vec::new();
    for id in &r.service_areas {
        let said = uuid_of("service_area", &format!("{}/{id}", r.id));
        let name = catalog
            .areas
            .index_of(id)
            .map_or_else(|| id.clone(), |i| catalog.areas.full_name(i));
        let mut sa = obj(json!({"id": said, "service_id": sid, "name": name}));
        push(tables, "service_area", &sa);
        let at: Vec<Value> = a
            .make("service_area", &said, FIELDS_TAXONOMY, "area", Some(id))
            .into_iter()
            .collect();
        sa.insert("attributes".into(), Value::Array(at));
        areas.push(Value::Object(sa));
    }
    s.insert("service_areas".into(), Value::Array(areas));
    let mut schedules = Vec::new();
    if let Some(h) = &r.hours {
        let sc = obj(json!({
            "id": uuid_of("schedule", &r.id),
            "service_id": sid,
            "description": h,
        }));
        push(tables, "schedule", &sc);
        schedules.push(Value::Object(sc));
    }
    if let Some(by_day) = &r.hours_by_day {
        for (day, byday, value) in [
            ("weekday", Some("MO,TU,WE,TH,FR"), &by_day.weekday),
            ("saturday", Some("SA"), &by_day.saturday),
            ("sunday", Some("SU"), &by_day.sunday),
            ("holiday", None, &by_day.holiday),
        ] {
            let Some(v) = value else { continue };
            let scid = uuid_of("schedule", &format!("{}/{day}", r.id));
            let (opens, closes) = opening_times(v);
            let mut sc = obj(json!({
                "id": scid,
                "service_id": sid,
                "freq": byday.map(|_| "WEEKLY"),
                "byday": byday,
                "opens_at": opens,
                "closes_at": closes,
                "description": v,
            }));
            push(tables, "schedule", &sc);
            let at: Vec<Value> = a
                .make("schedule", &scid, FIELDS_TAXONOMY, "hours-day", Some(day))
                .into_iter()
                .collect();
            sc.insert("attributes".into(), Value::Array(at));
            schedules.push(Value::Object(sc));
        }
    }
    s.insert("schedules".into(), Value::Array(schedules));
    let mut metadata = Vec::new();
    for (j, src) in r.sources.iter().enumerate() {
        let m = obj(json!({
            "id": uuid_of("metadata", &format!("{}/{j}", r.id)),
            "resource_id": sid,
            "resource_type": "service",
            "last_action_date": src.date,
            "last_action_type": "source",
            "field_name": "sources",
            "previous_value": src.file,
            "replacement_value": if src.section.is_empty() { NO_SECTION } else { &src.section },
            "updated_by": src.file,
        }));
        push(tables, "metadata", &m);
        metadata.push(Value::Object(m));
    }
    s.insert("metadata".into(), Value::Array(metadata));
    Value::Object(s)
}

/// The record's place: one service_at_location with its location and address, when there is
/// an address or coordinates.
fn locations(
    catalog: &Catalog,
    r: &Resource,
    sid: &str,
    tables: &mut BTreeMap<&'static str, Vec<Map<String, Value>>>,
) -> Vec<Value> {
    if r.contact.address.is_none() && r.location.is_none() {
        return Vec::new();
    }
    let lid = uuid_of("location", &r.id);
    let mut loc = obj(json!({
        "id": lid,
        "location_type": "physical",
        "name": r.name,
        "latitude": r.location.map(|p| p.lat),
        "longitude": r.location.map(|p| p.lng),
    }));
    push(tables, "location", &loc);
    let mut addresses = Vec::new();
    if let Some(addr) = &r.contact.address {
        let tree = &catalog.areas;
        let at = r.located_in.as_deref().and_then(|id| tree.index_of(id));
        // The municipality or ward; when only a wider area is known (a municipality missing
        // from the gazetteer), that area's name: the finest place known, never invented.
        let city = at
            .or_else(|| tree.area_of_address(addr))
            .map(|i| tree.at(i).name.clone())
            .unwrap_or_default();
        let state = at
            .and_then(|i| tree.prefecture_of(i))
            .map(|p| tree.at(p).name.clone())
            .unwrap_or_default();
        let ad = obj(json!({
            "id": uuid_of("address", &r.id),
            "location_id": lid,
            "address_1": addr,
            "city": city,
            "state_province": state,
            "postal_code": postal_code(addr).unwrap_or_default(),
            "country": "JP",
            "address_type": "physical",
        }));
        push(tables, "address", &ad);
        addresses.push(Value::Object(ad));
    }
    loc.insert("addresses".into(), Value::Array(addresses));
    let mut sal = obj(json!({
        "id": uuid_of("service_at_location", &r.id),
        "service_id": sid,
        "location_id": lid,
    }));
    push(tables, "service_at_location", &sal);
    sal.insert("location".into(), Value::Object(loc));
    vec![Value::Object(sal)]
}

/// The resources of the official data package: (name, path, field names).
pub fn package_resources() -> Result<Vec<(String, String, Vec<String>)>, ExportError> {
    let v: Value =
        serde_json::from_str(DATAPACKAGE).map_err(|e| ExportError::Package(e.to_string()))?;
    let bad = || ExportError::Package("resources の形が違います".into());
    let mut out = Vec::new();
    for r in v["resources"].as_array().ok_or_else(bad)? {
        let name = r["name"].as_str().ok_or_else(bad)?.to_string();
        let path = r["path"].as_str().ok_or_else(bad)?.to_string();
        let fields = r["schema"]["fields"]
            .as_array()
            .ok_or_else(bad)?
            .iter()
            .filter_map(|f| f["name"].as_str().map(str::to_string))
            .collect();
        out.push((name, path, fields));
    }
    Ok(out)
}

/// A cell's text: strings as they are, numbers as JSON writes them, nothing for null.
fn cell(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    crate::fsutil::write_atomic(path, bytes).map_err(|source| ExportError::Io {
        path: path.display().to_string(),
        source,
    })
}

fn pretty(v: &impl serde::Serialize) -> Vec<u8> {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s.into_bytes()
}

/// Writes the `json` form into `dir` (created if missing); the files written.
pub fn write_json(pkg: &Package, dir: &Path) -> Result<Vec<PathBuf>, ExportError> {
    create_dir(dir)?;
    let empty = Vec::new();
    let files: [(&str, Vec<u8>); 4] = [
        ("services.json", pretty(&pkg.services)),
        (
            "taxonomies.json",
            pretty(pkg.tables.get("taxonomy").unwrap_or(&empty)),
        ),
        (
            "taxonomy_terms.json",
            pretty(pkg.tables.get("taxonomy_term").unwrap_or(&empty)),
        ),
        ("metadata.json", pretty(&source_documents(pkg))),
    ];
    let mut written = Vec::new();
    for (name, bytes) in files {
        let p = dir.join(name);
        write_file(&p, &bytes)?;
        written.push(p);
    }
    Ok(written)
}

fn source_documents(pkg: &Package) -> Vec<&Map<String, Value>> {
    pkg.tables
        .get("metadata")
        .map(|m| {
            m.iter()
                .filter(|x| x["resource_type"] == "source_document")
                .collect()
        })
        .unwrap_or_default()
}

fn create_dir(dir: &Path) -> Result<(), ExportError> {
    std::fs::create_dir_all(dir).map_err(|source| ExportError::Io {
        path: dir.display().to_string(),
        source,
    })
}

/// Writes the `csv` form (the tabular data package) into `dir`; the files written.
pub fn write_csv(pkg: &Package, dir: &Path) -> Result<Vec<PathBuf>, ExportError> {
    create_dir(dir)?;
    let mut written = Vec::new();
    for (name, path, fields) in package_resources()? {
        let mut w = crate::csvsafe::Writer::new(Vec::new());
        let csv_err = |e: csv::Error| ExportError::Io {
            path: dir.join(&path).display().to_string(),
            source: std::io::Error::other(e),
        };
        w.row(&fields).map_err(csv_err)?;
        for row in pkg.tables.get(name.as_str()).into_iter().flatten() {
            w.row(fields.iter().map(|f| cell(row.get(f))))
                .map_err(csv_err)?;
        }
        let bytes = w.finish().map_err(csv_err)?;
        let p = dir.join(&path);
        write_file(&p, &bytes)?;
        written.push(p);
    }
    let p = dir.join("datapackage.json");
    write_file(&p, DATAPACKAGE.as_bytes())?;
    written.push(p);
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_become_uris() {
        for (url, want) in [
            ("https://a.jp/x?y=1", "https://a.jp/x?y=1"),
            (
                "http://a.jp/トライ/",
                "http://a.jp/%E3%83%88%E3%83%A9%E3%82%A4/",
            ),
            ("http://a.jp/%e4%bf%9d%e3%8", "http://a.jp/%e4%bf%9d%e3%258"),
            ("http://a.jp/a b|c", "http://a.jp/a%20b%7Cc"),
        ] {
            assert_eq!(uri(url), want, "{url}");
        }
    }

    #[test]
    fn postal_codes_only_where_written() {
        for (addr, want) in [
            ("〒141-0033 東京都品川区西品川1-28-3", Some("141-0033")),
            ("１４１－００３３　品川区", Some("141-0033")),
            ("東京都品川区西品川1-28-3", None),
            ("〒1410033", None),
        ] {
            assert_eq!(postal_code(addr).as_deref(), want, "{addr}");
        }
    }
}
