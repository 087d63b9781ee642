//! HSDS 3.0 → a layer (`ikenavi import hsds`): either form [`super::export`] writes, and what
//! others publish.
//!
//! Input: a directory holding `services.json` (an array of compiled services) or the tabular
//! package (`services.csv` and the tables it links to, joined by their ids; a folder holding
//! both is refused: name `services.json` or `services.csv`); or one JSON file
//! holding a service, an array of them, or an API page (`{"contents": [...]}`).
//!
//! Each service becomes a record, or is reported with its place and reason. The fields our
//! export writes are read back as [`super`] describes; a service from elsewhere gets the id
//! `hsds-{its uuid}`, its description's first line as summary, the kind `service`, its
//! service areas resolved by name in the gazetteer — and when they name no area of ours
//! (the official examples are in “MyCity”), the area the caller gives (`--area`) or a report:
//! an area is never guessed. Sources: the metadata entries our export writes, else the file
//! read, with the service's `last_modified` date or the caller's date.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde_json::{Map, Value};

use super::export::{NO_SECTION, ORG_ADMINISTRATOR, ORG_NONE};
use super::{FIELDS_TAXONOMY, TERM_TAXONOMIES};
use crate::directory::Catalog;
use crate::directory::model::{
    Contact, GeoPoint, HoursByDay, Resource, ResourceKind, SourceDocument, SourceRef, Status,
};

/// What stops the import (a bad service never does).
#[derive(Debug, thiserror::Error)]
pub enum HsdsError {
    /// A file could not be read.
    #[error(
        "{path}: 読めません（{}）",
        crate::fsutil::io_reason(source, crate::fsutil::Access::Read)
    )]
    Io {
        /// The file.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A file is not JSON or CSV of the expected shape.
    #[error("{path}: {reason}")]
    Format {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// Neither form is there.
    #[error(
        "{0}: services.json も services.csv もありません（ikenavi export hsds の出力か、HSDS 3.0 のファイルを指定してください）"
    )]
    NotHsds(String),
    /// The folder holds both forms, which may differ (one exported later than the other):
    /// which one is meant is the user's to say, by naming the file.
    #[error(
        "{0}: services.json と services.csv の両方があります — 内容が違うことがあるため、どちらを読むかファイルで指定してください（{0}/services.json または {0}/services.csv）"
    )]
    BothForms(String),
}

/// What the caller decides.
#[derive(Debug, Clone, Default)]
pub struct HsdsOptions {
    /// Area id for services whose areas name none of ours.
    pub default_area: Option<String>,
    /// Date cited for services that give none (`YYYY-MM-DD`).
    pub date: String,
}

/// A service left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Left {
    /// `services.json[3]`, `services.csv:5`.
    pub place: String,
    /// Why.
    pub reason: String,
}

impl std::fmt::Display for Left {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.place, self.reason)
    }
}

/// The records read.
#[derive(Debug, Clone, Default)]
pub struct HsdsImport {
    /// One per service read, in file order.
    pub records: Vec<Resource>,
    /// Documents the records cite.
    pub documents: Vec<SourceDocument>,
    /// Services left out.
    pub left: Vec<Left>,
    /// Services read.
    pub services: usize,
}

impl HsdsImport {
    /// The layer's text.
    pub fn layer_text(&self, title: &str) -> String {
        let as_of = self
            .documents
            .iter()
            .map(|d| d.date.as_str())
            .max()
            .unwrap_or("");
        crate::import::wamnet::layer::render_user(
            title,
            as_of,
            None,
            &self.documents,
            &self.records,
        )
    }
}

/// Services in compiled form with where each was found, and the source documents listed.
struct Input {
    services: Vec<(String, Value)>,
    documents: Vec<Value>,
    file: String,
}

/// Largest file read (a package of every office in Japan is ~40 MB).
pub const MAX_FILE_BYTES: u64 = 512 << 20;

fn read_text(path: &Path) -> Result<String, HsdsError> {
    use std::io::Read;
    let io = |source| HsdsError::Io {
        path: path.display().to_string(),
        source,
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(HsdsError::Format {
            path: path.display().to_string(),
            reason: format!("{} MB をこえるため読みません", MAX_FILE_BYTES >> 20),
        });
    }
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&bytes)
        .to_vec();
    String::from_utf8(bytes).map_err(|_| HsdsError::Format {
        path: path.display().to_string(),
        reason: "UTF-8 ではありません".into(),
    })
}

fn read_json(path: &Path) -> Result<Value, HsdsError> {
    serde_json::from_str(&read_text(path)?).map_err(|e| HsdsError::Format {
        path: path.display().to_string(),
        reason: format!("JSON として読めません: {e}"),
    })
}

/// Services of a JSON document: an array, an API page, or one service.
fn services_of(v: Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a,
        Value::Object(mut o) => match o.remove("contents") {
            Some(Value::Array(a)) => a,
            Some(_) => Vec::new(),
            None => vec![Value::Object(o)],
        },
        _ => Vec::new(),
    }
}

fn gather(path: &Path) -> Result<Input, HsdsError> {
    let name = |p: &Path| {
        p.file_name().map_or_else(
            || p.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    };
    // A package named by its services file: the package is the folder, read in that form.
    let folder = || path.parent().unwrap_or(Path::new("."));
    if path.is_file() && name(path).eq_ignore_ascii_case("services.csv") {
        return tabular(folder());
    }
    if path.is_file() && name(path) == "services.json" {
        return json_form(folder());
    }
    if path.is_file() {
        let file = name(path);
        let services = services_of(read_json(path)?)
            .into_iter()
            .enumerate()
            .map(|(i, s)| (format!("{file}[{i}]"), s))
            .collect();
        return Ok(Input {
            services,
            documents: Vec::new(),
            file,
        });
    }
    let json = path.join("services.json");
    if json.is_file() && path.join("services.csv").is_file() {
        return Err(HsdsError::BothForms(path.display().to_string()));
    }
    if json.is_file() {
        return json_form(path);
    }
    if path.join("services.csv").is_file() {
        return tabular(path);
    }
    Err(HsdsError::NotHsds(path.display().to_string()))
}

/// The compiled form: `services.json` and, when there, `metadata.json` (the documents).
fn json_form(dir: &Path) -> Result<Input, HsdsError> {
    let services = services_of(read_json(&dir.join("services.json"))?)
        .into_iter()
        .enumerate()
        .map(|(i, s)| (format!("services.json[{i}]"), s))
        .collect();
    let meta = dir.join("metadata.json");
    let documents = if meta.is_file() {
        services_of(read_json(&meta)?)
    } else {
        Vec::new()
    };
    Ok(Input {
        services,
        documents,
        file: "services.json".into(),
    })
}

type Rows = Vec<Map<String, Value>>;

/// A CSV of the package as rows of strings (absent when the file is not there; empty cells
/// left out; the quote [`crate::csvsafe`] adds removed).
fn table(dir: &Path, file: &str) -> Result<Rows, HsdsError> {
    let path = dir.join(file);
    if !path.is_file() {
        return Ok(Vec::new());
    }
    let text = read_text(&path)?;
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let bad = |e: csv::Error| HsdsError::Format {
        path: path.display().to_string(),
        reason: format!("CSV として読めません: {e}"),
    };
    let headers = rdr.headers().map_err(bad)?.clone();
    let mut rows = Vec::new();
    let mut lines = crate::import::lines::LineStarts::new(&text);
    for rec in rdr.records() {
        let rec = rec.map_err(bad)?;
        let start = rec
            .position()
            .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
        let line = lines.line_at(start);
        let mut m = Map::new();
        for (h, c) in headers.iter().zip(rec.iter()) {
            let c = crate::csvsafe::restore(c);
            if !c.is_empty() {
                m.insert(h.to_string(), Value::String(c.to_string()));
            }
        }
        m.insert("_line".into(), Value::from(line));
        rows.push(m);
    }
    Ok(rows)
}

fn by(rows: &Rows, key: &str) -> HashMap<String, Vec<Map<String, Value>>> {
    let mut out: HashMap<String, Vec<Map<String, Value>>> = HashMap::new();
    for r in rows {
        if let Some(k) = r.get(key).and_then(Value::as_str) {
            out.entry(k.to_string()).or_default().push(r.clone());
        }
    }
    out
}

fn list(m: &HashMap<String, Vec<Map<String, Value>>>, id: &str) -> Vec<Map<String, Value>> {
    m.get(id).cloned().unwrap_or_default()
}

/// The tabular package joined into compiled services.
fn tabular(dir: &Path) -> Result<Input, HsdsError> {
    let services = table(dir, "services.csv")?;
    let taxonomies = table(dir, "taxonomies.csv")?;
    let tax_name: HashMap<String, String> = taxonomies
        .iter()
        .filter_map(|t| {
            Some((
                t.get("id")?.as_str()?.to_string(),
                t.get("name")?.as_str()?.to_string(),
            ))
        })
        .collect();
    let mut terms: HashMap<String, Map<String, Value>> = HashMap::new();
    for mut t in table(dir, "taxonomy_terms.csv")? {
        if !t.contains_key("taxonomy")
            && let Some(n) = t
                .get("taxonomy_id")
                .and_then(Value::as_str)
                .and_then(|i| tax_name.get(i))
        {
            t.insert("taxonomy".into(), Value::String(n.clone()));
        }
        if let Some(id) = t.get("id").and_then(Value::as_str) {
            terms.insert(id.to_string(), t.clone());
        }
    }
    let mut attributes = table(dir, "attributes.csv")?;
    for a in &mut attributes {
        if let Some(t) = a
            .get("taxonomy_term_id")
            .and_then(Value::as_str)
            .and_then(|i| terms.get(i))
        {
            a.insert("taxonomy_term".into(), Value::Object(t.clone()));
        }
    }
    let attrs = by(&attributes, "link_id");
    let phones = by(&table(dir, "phones.csv")?, "service_id");
    let contacts = by(&table(dir, "contacts.csv")?, "service_id");
    let schedules = by(&table(dir, "schedules.csv")?, "service_id");
    let areas = by(&table(dir, "service_areas.csv")?, "service_id");
    let metadata_rows = table(dir, "metadata.csv")?;
    let metadata = by(&metadata_rows, "resource_id");
    let sals = by(&table(dir, "service_at_location.csv")?, "service_id");
    let locations: HashMap<String, Map<String, Value>> = table(dir, "locations.csv")?
        .into_iter()
        .filter_map(|l| Some((l.get("id")?.as_str()?.to_string(), l)))
        .collect();
    let addresses = by(&table(dir, "addresses.csv")?, "location_id");
    let orgs: HashMap<String, Map<String, Value>> = table(dir, "organizations.csv")?
        .into_iter()
        .filter_map(|o| Some((o.get("id")?.as_str()?.to_string(), o)))
        .collect();
    let arr = |v: Vec<Map<String, Value>>| Value::Array(v.into_iter().map(Value::Object).collect());
    let mut out = Vec::new();
    for s in services {
        let id = s
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let line = s.get("_line").and_then(Value::as_u64).unwrap_or(0);
        let mut c = s.clone();
        c.remove("_line");
        if let Some(o) = s
            .get("organization_id")
            .and_then(Value::as_str)
            .and_then(|o| orgs.get(o))
        {
            c.insert("organization".into(), Value::Object(o.clone()));
        }
        c.insert("attributes".into(), arr(list(&attrs, &id)));
        c.insert("phones".into(), arr(list(&phones, &id)));
        c.insert("contacts".into(), arr(list(&contacts, &id)));
        let sc: Vec<Map<String, Value>> = list(&schedules, &id)
            .into_iter()
            .map(|mut x| {
                let xid = x
                    .get("id")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                x.insert("attributes".into(), arr(list(&attrs, &xid)));
                x
            })
            .collect();
        c.insert("schedules".into(), arr(sc));
        c.insert("metadata".into(), arr(list(&metadata, &id)));
        let sa: Vec<Map<String, Value>> = list(&areas, &id)
            .into_iter()
            .map(|mut a| {
                let aid = a
                    .get("id")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                a.insert("attributes".into(), arr(list(&attrs, &aid)));
                a
            })
            .collect();
        c.insert("service_areas".into(), arr(sa));
        let sal: Vec<Map<String, Value>> = list(&sals, &id)
            .into_iter()
            .map(|mut x| {
                if let Some(mut l) = x
                    .get("location_id")
                    .and_then(Value::as_str)
                    .and_then(|l| locations.get(l))
                    .cloned()
                {
                    let lid = l
                        .get("id")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string();
                    l.insert("addresses".into(), arr(list(&addresses, &lid)));
                    x.insert("location".into(), Value::Object(l));
                }
                x
            })
            .collect();
        c.insert("service_at_locations".into(), arr(sal));
        out.push((format!("services.csv:{line}"), Value::Object(c)));
    }
    let documents = metadata_rows.into_iter().map(Value::Object).collect();
    Ok(Input {
        services: out,
        documents,
        file: "services.csv".into(),
    })
}

/// Reads HSDS at `path` into records.
pub fn import(path: &Path, opts: &HsdsOptions, catalog: &Catalog) -> Result<HsdsImport, HsdsError> {
    let input = gather(path)?;
    let mut imp = HsdsImport {
        services: input.services.len(),
        ..HsdsImport::default()
    };
    let mut docs: BTreeMap<String, SourceDocument> = BTreeMap::new();
    for d in &input.documents {
        if str_of(d, "resource_type") != Some("source_document") {
            continue;
        }
        let (Some(file), Some(date)) = (str_of(d, "previous_value"), str_of(d, "last_action_date"))
        else {
            continue;
        };
        docs.insert(
            file.to_string(),
            SourceDocument {
                file: file.to_string(),
                issuer: str_of(d, "updated_by").unwrap_or("").to_string(),
                title: str_of(d, "replacement_value").unwrap_or(file).to_string(),
                date: date.to_string(),
            },
        );
    }
    let mut ids = std::collections::HashSet::new();
    for (place, s) in &input.services {
        match resource(s, &input.file, opts, catalog) {
            Ok(r) if !ids.insert(r.id.clone()) => imp.left.push(Left {
                place: place.clone(),
                reason: format!("id「{}」が重なっています", r.id),
            }),
            Ok(r) => {
                for src in &r.sources {
                    docs.entry(src.file.clone())
                        .or_insert_with(|| SourceDocument {
                            file: src.file.clone(),
                            issuer: "HSDS".into(),
                            title: format!("HSDS 3.0 {}", src.file),
                            date: src.date.clone(),
                        });
                }
                imp.records.push(r);
            }
            Err(reason) => imp.left.push(Left {
                place: place.clone(),
                reason,
            }),
        }
    }
    imp.documents = docs.into_values().collect();
    Ok(imp)
}

fn str_of<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A text value on one line ([`crate::import::cell::one_line`]).
fn string(v: &Value, key: &str) -> Option<String> {
    str_of(v, key).map(|s| crate::import::cell::one_line(s).into_owned())
}

fn items<'v>(v: &'v Value, key: &str) -> &'v [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// (taxonomy, code, value) of each attribute.
fn attributes(v: &Value) -> Vec<(String, String, Option<String>)> {
    items(v, "attributes")
        .iter()
        .filter_map(|a| {
            let t = a.get("taxonomy_term")?;
            let taxonomy = str_of(t, "taxonomy").unwrap_or("").to_string();
            let code = str_of(t, "code")?.to_string();
            Some((taxonomy, code, string(a, "value")))
        })
        .collect()
}

fn number(v: &Value, key: &str) -> Option<f64> {
    match v.get(key)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// One compiled service → a record, or why not.
fn resource(
    s: &Value,
    file: &str,
    opts: &HsdsOptions,
    catalog: &Catalog,
) -> Result<Resource, String> {
    let uuid = str_of(s, "id").ok_or("id がありません")?;
    let name = string(s, "name").ok_or_else(|| format!("service {uuid}: name が空です"))?;
    let attrs = attributes(s);
    let field = |code: &str| {
        attrs
            .iter()
            .find(|(t, c, _)| t == FIELDS_TAXONOMY && c == code)
            .and_then(|(_, _, v)| v.clone())
    };
    let id = field("record-id").unwrap_or_else(|| format!("hsds-{uuid}"));
    if !id.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(format!("{name}: id「{id}」が ASCII ではありません"));
    }
    let all = |code: &str| -> Vec<String> {
        attrs
            .iter()
            .filter(|(t, c, _)| t == FIELDS_TAXONOMY && c == code)
            .filter_map(|(_, _, v)| v.clone())
            .collect()
    };
    let mut aliases = all("alias");
    if aliases.is_empty() && field("record-id").is_none() {
        aliases.extend(string(s, "alternate_name"));
    }
    let description = string(s, "description");
    let summary = field("summary")
        .or_else(|| {
            description
                .as_deref()
                .and_then(|d| d.lines().map(str::trim).find(|l| !l.is_empty()))
                .map(str::to_string)
        })
        .unwrap_or_else(|| name.clone());
    let kind = match field("kind").as_deref() {
        None => ResourceKind::Service,
        Some(k) => serde_json::from_value(Value::String(k.to_string()))
            .map_err(|_| format!("{name}: 種類「{k}」が分かりません"))?,
    };
    let mut terms: [Vec<String>; 4] = Default::default();
    for (t, code, _) in &attrs {
        if let Some(k) = TERM_TAXONOMIES.iter().position(|(n, _)| n == t) {
            if !catalog.dir.taxonomy.lists()[k]
                .iter()
                .any(|x| &x.id == code)
            {
                return Err(format!(
                    "{name}: {t} の「{code}」はこのディレクトリにありません"
                ));
            }
            if !terms[k].contains(code) {
                terms[k].push(code.clone());
            }
        }
    }
    let [care_types, needs, life_stages, audiences] = terms;
    let service_areas = areas(s, &name, opts, catalog)?;
    let located_in = match field("located-in") {
        Some(a) if catalog.areas.index_of(&a).is_none() => {
            return Err(format!("{name}: 所在地の地域「{a}」がありません"));
        }
        other => other,
    };
    let mut contact = Contact::default();
    for p in items(s, "phones") {
        let Some(n) = string(p, "number") else {
            continue;
        };
        let slot = if str_of(p, "type") == Some("fax") {
            &mut contact.fax
        } else {
            &mut contact.phone
        };
        slot.get_or_insert(n);
    }
    contact.url = field("url").or_else(|| string(s, "url"));
    contact.department = items(s, "contacts")
        .iter()
        .find_map(|c| string(c, "department"));
    let loc = items(s, "service_at_locations")
        .iter()
        .find_map(|x| x.get("location"));
    if let Some(l) = loc {
        contact.address = items(l, "addresses").first().and_then(address);
    }
    // A point outside Japan is not kept: the loader refuses it (`directory::values`), as the
    // WAM NET importer drops such a cell.
    let location = loc
        .and_then(|l| {
            Some(GeoPoint {
                lat: number(l, "latitude")?,
                lng: number(l, "longitude")?,
            })
        })
        .filter(|p| crate::directory::values::point_problem(p.lat, p.lng).is_none());
    let parsed = |code: &str| -> Result<Vec<Value>, String> {
        all(code)
            .iter()
            .map(|v| {
                serde_json::from_str(v)
                    .map_err(|e| format!("{name}: {code}「{v}」が読めません: {e}"))
            })
            .collect()
    };
    let figures = typed(parsed("figure")?, &name, "figure")?;
    let designations = typed(parsed("designation")?, &name, "designation")?;
    let former_designations = typed(parsed("former-designation")?, &name, "former-designation")?;
    let own_status = field("status")
        .map(|st| {
            serde_json::from_value::<Status>(Value::String(st.clone()))
                .map_err(|_| format!("{name}: 状態「{st}」が分かりません"))
        })
        .transpose()?;
    contact.note = field("contact-note");
    let status = match str_of(s, "status") {
        _ if own_status.is_some() => own_status.unwrap_or(Status::Active),
        Some("inactive") => Status::Planned,
        Some("temporarily closed") => Status::Paused,
        Some("defunct") => Status::Ended,
        _ => Status::Active,
    };
    let mut sources: Vec<SourceRef> = items(s, "metadata")
        .iter()
        .filter(|m| {
            str_of(m, "last_action_type") == Some("source")
                && str_of(m, "field_name") == Some("sources")
        })
        .filter_map(|m| {
            Some(SourceRef {
                file: string(m, "updated_by")?,
                section: str_of(m, "replacement_value")
                    .filter(|v| *v != NO_SECTION)
                    .unwrap_or("")
                    .to_string(),
                date: string(m, "last_action_date")?,
            })
        })
        .collect();
    if sources.is_empty() {
        let date = str_of(s, "last_modified")
            .and_then(|d| d.get(..10))
            .filter(|d| crate::directory::validate::is_date(d))
            .map_or_else(|| opts.date.clone(), str::to_string);
        sources.push(SourceRef {
            file: file.to_string(),
            section: format!("service {uuid}"),
            date,
        });
    }
    let verified_as_of = if field("record-id").is_some() {
        field("verified-as-of")
    } else {
        sources.iter().map(|x| x.date.clone()).max()
    };
    let day_of = |x: &Value| {
        attributes(x)
            .into_iter()
            .find(|(t, c, _)| t == FIELDS_TAXONOMY && c == "hours-day")
            .and_then(|(_, _, v)| v)
    };
    let ours = field("record-id").is_some();
    let hours = field("hours").or_else(|| {
        items(s, "schedules")
            .iter()
            .filter(|x| !ours && day_of(x).is_none())
            .find_map(|x| string(x, "description"))
    });
    let mut by_day = HoursByDay::default();
    for x in items(s, "schedules") {
        let slot = match day_of(x).as_deref() {
            Some("weekday") => &mut by_day.weekday,
            Some("saturday") => &mut by_day.saturday,
            Some("sunday") => &mut by_day.sunday,
            Some("holiday") => &mut by_day.holiday,
            _ => continue,
        };
        *slot = string(x, "description");
    }
    let hours_by_day = (by_day != HoursByDay::default()).then_some(by_day);
    Ok(Resource {
        id,
        kana: field("kana"),
        aliases,
        kind,
        description: if ours {
            description.filter(|_| field("no-description").is_none())
        } else {
            description.filter(|d| *d != summary)
        },
        summary,
        name,
        provider: organization(s, false),
        administered_by: field("administered-by").or_else(|| organization(s, true)),
        located_in,
        service_areas,
        needs,
        care_types,
        life_stages,
        audiences,
        eligibility: string(s, "eligibility_description"),
        capacity: field("capacity"),
        hours,
        fees: string(s, "fees_description"),
        how_to_apply: string(s, "application_process"),
        contact,
        location,
        office_numbers: all("office-number"),
        designations,
        former_designations,
        former_ids: all("former-id"),
        hours_by_day,
        closed_days: field("closed-days"),
        hours_note: field("hours-note"),
        provider_kana: field("provider-kana"),
        status,
        since: field("since"),
        figures,
        sources,
        verified_as_of,
        related: all("related"),
    })
}

/// Our objects kept as JSON in attributes, typed.
fn typed<T: serde::de::DeserializeOwned>(
    vals: Vec<Value>,
    name: &str,
    code: &str,
) -> Result<Vec<T>, String> {
    vals.into_iter()
        .map(|v| serde_json::from_value(v).map_err(|e| format!("{name}: {code}: {e}")))
        .collect()
}

/// The service's organization's name as its provider (`administrator` false) or its
/// responsible office (true), as [`super::export`] writes them; another publisher's
/// organization is the provider.
fn organization(s: &Value, administrator: bool) -> Option<String> {
    let o = s.get("organization")?;
    let role = str_of(o, "description");
    if role == Some(ORG_NONE) || (role == Some(ORG_ADMINISTRATOR)) != administrator {
        return None;
    }
    string(o, "name")
}

/// An address as one line: ours (`country` JP) is `address_1` as written; others join their
/// parts.
fn address(a: &Value) -> Option<String> {
    if str_of(a, "country") == Some("JP") {
        return string(a, "address_1");
    }
    let parts: Vec<&str> = [
        "address_1",
        "address_2",
        "city",
        "state_province",
        "postal_code",
        "country",
    ]
    .iter()
    .filter_map(|k| str_of(a, k))
    .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The service's areas: our area attribute, else the name resolved; else the default.
fn areas(
    s: &Value,
    name: &str,
    opts: &HsdsOptions,
    catalog: &Catalog,
) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    let mut unknown = Vec::new();
    for sa in items(s, "service_areas") {
        let ours = attributes(sa)
            .into_iter()
            .find(|(t, c, _)| t == FIELDS_TAXONOMY && c == "area")
            .and_then(|(_, _, v)| v);
        let id = match ours {
            Some(id) if catalog.areas.index_of(&id).is_some() => Some(id),
            Some(id) => {
                return Err(format!(
                    "{name}: 地域「{id}」がこのディレクトリにありません"
                ));
            }
            None => str_of(sa, "name")
                .and_then(|n| catalog.resolve_area(n).ok())
                .map(|i| catalog.areas.at(i).id.clone()),
        };
        match id {
            Some(id) if !out.contains(&id) => out.push(id),
            Some(_) => {}
            None => unknown.push(
                str_of(sa, "name")
                    .unwrap_or("(名前なし)")
                    .chars()
                    .take(40)
                    .collect::<String>(),
            ),
        }
    }
    if out.is_empty() || !unknown.is_empty() {
        match &opts.default_area {
            Some(d) if !out.contains(d) => out.push(d.clone()),
            Some(_) => {}
            None if unknown.is_empty() => {
                return Err(format!(
                    "{name}: 対象地域（service_areas）がありません（--area で既定の地域を指定できます）"
                ));
            }
            None => {
                return Err(format!(
                    "{name}: 対象地域「{}」が地域として見つかりません（--area で既定の地域を指定できます）",
                    unknown.join("」「")
                ));
            }
        }
    }
    Ok(out)
}
