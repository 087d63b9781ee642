//! Links between a curated record and the open-data row of the same office (SPEC §7, issue 10
//! item 3), and what loading does with them.
//!
//! A curated record comes from a document that names an office but rarely gives its phone; the
//! WAM NET layer holds the office's official contact under its own id (`wam-…`). The file
//! `data/links.json`, written by `ikenavi import links` (see `crate::import::links`) and
//! committed as reviewable data, says which curated record is which office: same name and same
//! municipality, never across municipalities.
//!
//! At load ([`apply`]), for every link whose two ids are both in the directory, the curated
//! record keeps its id, name and document facts and gains the office's official facts that it
//! lacks (contact phone, fax, address, url; location; 事業所番号 and designations; hours by
//! day, closed days, hours note; capacity), with the office's sources appended after the
//! document's, so both are cited. The office record leaves the searchable records — search
//! finds the office once, as the curated record — and its id still resolves to the curated
//! record ([`Catalog::resource`](super::Catalog::resource)). A link whose ids are not both
//! loaded (`--no-bundled`, a directory without the open data) is ignored.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::layers::LayerInfo;
use super::model::{Directory, Resource};

/// The links file embedded in the binary (applied whenever both ids of a link are loaded).
pub const BUNDLED_LINKS: BundledLinks = BundledLinks {
    name: "data/links.json",
    bytes: include_bytes!("../../data/links.json"),
};

/// The embedded links file: its name in messages and its bytes.
#[derive(Debug, Clone, Copy)]
pub struct BundledLinks {
    /// `data/links.json`.
    pub name: &'static str,
    /// The file's bytes.
    pub bytes: &'static [u8],
}

/// The version of the links file this build reads and writes.
pub const LINKS_SCHEMA_VERSION: u32 = 1;

/// The whole links file: the links, and the cases left for a person to review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkFile {
    /// Always [`LINKS_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// What the file is, in Japanese.
    pub title: String,
    /// The rule the links follow, in Japanese.
    pub rule: String,
    /// The file of curated records (file name only).
    pub curated: String,
    /// The file of open-data offices (file name only).
    pub offices: String,
    /// One per linked pair, ordered by curated id then office id.
    pub links: Vec<Link>,
    /// Records not linked although an office's name matched, ordered by curated id.
    #[serde(default)]
    pub review: Vec<ReviewItem>,
}

/// A curated record and the open-data record of the same office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// The curated record's id (kept).
    pub curated: String,
    /// The office record's id (merged into the curated one; still resolves).
    pub office: String,
    /// The curated record's name.
    pub curated_name: String,
    /// The office's name as the open data writes it.
    pub office_name: String,
    /// The curated name or alias that matched.
    pub matched: String,
    /// The municipality (area id) the office is in: the record's `located_in` or one of its
    /// `service_areas` (or a ward of a city it names).
    pub municipality: String,
    /// Its name with the prefecture (山口県周防大島町).
    pub municipality_name: String,
    /// Why they are the same office: which names met after which normalization.
    pub rule: String,
}

/// A curated record whose name matched an office but that was not linked, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewItem {
    /// The curated record's id.
    pub curated: String,
    /// Its name.
    pub curated_name: String,
    /// Why no link was made, in Japanese.
    pub reason: String,
    /// The offices whose name matched.
    pub candidates: Vec<Candidate>,
}

/// An office that a review item names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Candidate {
    /// The office record's id.
    pub office: String,
    /// Its name.
    pub name: String,
    /// Its municipality (area id), if known.
    pub municipality: Option<String>,
    /// Its address, if known.
    pub address: Option<String>,
}

/// The links file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LinksError {
    /// Not the JSON this build writes.
    #[error("{file}: リンクのファイルとして読めません: {source}")]
    Parse {
        /// The file's name.
        file: String,
        /// Why.
        #[source]
        source: serde_json::Error,
    },
    /// A version this build does not read.
    #[error("{file}: links schema_version {found} (this build reads {LINKS_SCHEMA_VERSION})")]
    Version {
        /// The file's name.
        file: String,
        /// What it says.
        found: u32,
    },
}

/// Reads a links file.
pub fn parse(bytes: &[u8], file: &str) -> Result<LinkFile, LinksError> {
    let f: LinkFile = serde_json::from_slice(bytes).map_err(|source| LinksError::Parse {
        file: file.to_string(),
        source,
    })?;
    if f.schema_version != LINKS_SCHEMA_VERSION {
        return Err(LinksError::Version {
            file: file.to_string(),
            found: f.schema_version,
        });
    }
    Ok(f)
}

/// The embedded links.
pub fn bundled() -> Result<LinkFile, LinksError> {
    parse(BUNDLED_LINKS.bytes, BUNDLED_LINKS.name)
}

/// Applies the links whose two ids are both in `dir`: merges each office into its curated
/// record, removes the office records (and counts them out of their layers), and returns the
/// ids that moved: office id → curated id. An office is merged once (a second link naming it
/// is ignored); links are applied in file order.
pub fn apply(
    dir: &mut Directory,
    layers: &mut [LayerInfo],
    links: &[Link],
) -> BTreeMap<String, String> {
    // Only the ids the links name are looked up (a large user directory is not indexed).
    let named: HashSet<&str> = links
        .iter()
        .flat_map(|l| [l.curated.as_str(), l.office.as_str()])
        .collect();
    // An office is the listed record of its id, else the listed record that continues it
    // (a renumbering or regrouping in a later release: its `former_ids`). A closed office is
    // not merged: its last known contact is not the curated record's (see [`closed_offices`]).
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, r) in dir.resources.iter().enumerate() {
        if named.contains(r.id.as_str()) && (r.is_listed() || !index.contains_key(r.id.as_str())) {
            index.insert(r.id.as_str(), i);
        }
    }
    for (i, r) in dir
        .resources
        .iter()
        .enumerate()
        .filter(|(_, r)| r.is_listed())
    {
        for f in r.former_ids.iter().filter(|f| named.contains(f.as_str())) {
            let own = index.get(f.as_str()).map(|&o| dir.resources[o].is_listed());
            if own != Some(true) {
                index.insert(f.as_str(), i);
            }
        }
    }
    index.retain(|_, &mut i| dir.resources[i].is_listed());
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut merged: HashSet<usize> = HashSet::new();
    let mut moved = BTreeMap::new();
    for l in links {
        let (Some(&c), Some(&o)) = (index.get(l.curated.as_str()), index.get(l.office.as_str()))
        else {
            continue;
        };
        if c == o || merged.contains(&c) || !merged.insert(o) {
            continue;
        }
        pairs.push((c, o));
        moved.insert(dir.resources[o].id.clone(), l.curated.clone());
    }
    if pairs.is_empty() {
        return moved;
    }
    for &(c, o) in &pairs {
        let office = dir.resources[o].clone();
        merge_office(&mut dir.resources[c], &office);
    }
    let emptied: Vec<usize> = merged.iter().filter_map(|&o| layer_at(layers, o)).collect();
    for l in emptied {
        layers[l].records -= 1;
    }
    let mut i = 0;
    dir.resources.retain(|_| {
        let keep = !merged.contains(&i);
        i += 1;
        keep
    });
    moved
}

/// A link whose office is closed (no longer in the open data, see
/// [`Status::Closed`](super::model::Status::Closed)) and continues in no listed record: it is
/// not applied, and `validate` and `import wamnet` say so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedLink {
    /// The curated record's id.
    pub curated: String,
    /// The office's id.
    pub office: String,
    /// The office's name.
    pub name: String,
    /// The release whose open data no longer has it.
    pub closed_in: String,
}

impl std::fmt::Display for ClosedLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: 資料の記録 {} と結んだ事業所 {}（{}）は {} の公開データにありません（廃止・休止・移転の可能性）— 結ばずに表示します。所管課に確認し、import links で作り直してください",
            BUNDLED_LINKS.name, self.curated, self.office, self.name, self.closed_in
        )
    }
}

/// The links of `links` whose curated record is in `resources` and whose office is a closed
/// record there that no listed record continues (by its `former_ids`).
pub fn closed_offices<'a>(
    resources: impl IntoIterator<Item = &'a Resource>,
    links: &[Link],
) -> Vec<ClosedLink> {
    let named: HashSet<&str> = links
        .iter()
        .flat_map(|l| [l.curated.as_str(), l.office.as_str()])
        .collect();
    let mut present: HashSet<&str> = HashSet::new();
    let mut closed: HashMap<&str, &Resource> = HashMap::new();
    let mut continued: HashSet<&str> = HashSet::new();
    for r in resources {
        if !named.contains(r.id.as_str()) && r.former_ids.is_empty() {
            continue;
        }
        if r.is_listed() {
            present.insert(r.id.as_str());
            continued.extend(r.former_ids.iter().map(String::as_str));
        } else {
            closed.insert(r.id.as_str(), r);
        }
    }
    links
        .iter()
        .filter(|l| present.contains(l.curated.as_str()) || closed.contains_key(l.curated.as_str()))
        .filter(|l| !present.contains(l.office.as_str()) && !continued.contains(l.office.as_str()))
        .filter_map(|l| {
            let r = closed.get(l.office.as_str())?;
            Some(ClosedLink {
                curated: l.curated.clone(),
                office: l.office.clone(),
                name: r.name.clone(),
                closed_in: r.closed_in().unwrap_or_default().to_string(),
            })
        })
        .collect()
}

/// Each former id of `records` (see `Resource::former_ids`: `(former id, record id)`) → the id
/// it now resolves to: its record's, or the curated record that record was merged into
/// (`moved`, see [`apply`]). The first record naming an id keeps it.
pub fn former_targets(
    moved: &BTreeMap<String, String>,
    records: impl IntoIterator<Item = (String, String)>,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (former, id) in records {
        let to = moved.get(&id).cloned().unwrap_or(id);
        out.entry(former).or_insert(to);
    }
    out
}

/// The position of the layer holding the record at position `idx` (layers hold consecutive
/// records).
fn layer_at(layers: &[LayerInfo], idx: usize) -> Option<usize> {
    let mut end = 0;
    layers.iter().position(|l| {
        end += l.records;
        idx < end
    })
}

/// Gives `record` the office's official facts it lacks, and the office's numbers,
/// designations and sources after its own.
fn merge_office(record: &mut Resource, office: &Resource) {
    let (c, oc) = (&mut record.contact, &office.contact);
    fill(&mut c.phone, &oc.phone);
    fill(&mut c.fax, &oc.fax);
    fill(&mut c.address, &oc.address);
    fill(&mut c.url, &oc.url);
    fill(&mut record.location, &office.location);
    fill(&mut record.hours_by_day, &office.hours_by_day);
    fill(&mut record.closed_days, &office.closed_days);
    fill(&mut record.hours_note, &office.hours_note);
    fill(&mut record.capacity, &office.capacity);
    for n in &office.office_numbers {
        if !record.office_numbers.contains(n) {
            record.office_numbers.push(n.clone());
        }
    }
    record.office_numbers.sort();
    for d in &office.designations {
        if !record.designations.contains(d) {
            record.designations.push(d.clone());
        }
    }
    // The office's earlier ids (a renumbering, a regrouping): the record continues them.
    for f in &office.former_ids {
        if !record.former_ids.contains(f) {
            record.former_ids.push(f.clone());
        }
    }
    for s in &office.sources {
        let known = record
            .sources
            .iter()
            .any(|t| t.file == s.file && t.section == s.section);
        if !known {
            record.sources.push(s.clone());
        }
    }
}

fn fill<T: Clone>(into: &mut Option<T>, from: &Option<T>) {
    if into.is_none() {
        into.clone_from(from);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::model::*;

    fn record(id: &str, phone: Option<&str>, source: &str) -> Resource {
        let mut r: Resource = serde_json::from_value(serde_json::json!({
            "id": id, "name": id, "kind": "consultation", "summary": "",
            "service_areas": [], "status": "active",
            "sources": [{"file": source, "section": "s", "date": "2025-03"}],
        }))
        .unwrap();
        r.contact.phone = phone.map(Into::into);
        r
    }

    fn dir(resources: Vec<Resource>) -> Directory {
        let mut d = super::super::layers::Stack::default().finish().0;
        d.resources = resources;
        d
    }

    fn link(c: &str, o: &str) -> Link {
        Link {
            curated: c.into(),
            office: o.into(),
            curated_name: String::new(),
            office_name: String::new(),
            matched: String::new(),
            municipality: String::new(),
            municipality_name: String::new(),
            rule: String::new(),
        }
    }

    fn layer(name: &str, records: usize) -> LayerInfo {
        LayerInfo {
            name: name.into(),
            title: None,
            bundled: true,
            records,
        }
    }

    #[test]
    fn the_office_merges_into_the_record_and_leaves_the_list() {
        let mut d = dir(vec![
            record("a", None, "doc.txt"),
            record("b", Some("03-1"), "doc.txt"),
            record("wam-1", Some("0820-73-5010"), "csv"),
            record("wam-2", Some("03-2"), "csv"),
        ]);
        let mut layers = vec![layer("curated", 2), layer("wam", 2)];
        let moved = apply(
            &mut d,
            &mut layers,
            &[link("a", "wam-1"), link("b", "wam-2"), link("x", "wam-9")],
        );
        assert_eq!(moved.get("wam-1").map(String::as_str), Some("a"));
        let ids: Vec<&str> = d.resources.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(
            d.resources[0].contact.phone.as_deref(),
            Some("0820-73-5010")
        );
        // A phone the document gives is kept.
        assert_eq!(d.resources[1].contact.phone.as_deref(), Some("03-1"));
        let files: Vec<&str> = d.resources[0]
            .sources
            .iter()
            .map(|s| s.file.as_str())
            .collect();
        assert_eq!(files, ["doc.txt", "csv"]);
        assert_eq!(layers[1].records, 0);
        assert_eq!(layers[0].records, 2);
    }

    #[test]
    fn links_with_an_absent_id_or_a_reused_office_are_ignored() {
        let mut d = dir(vec![record("a", None, "d"), record("b", None, "d")]);
        let mut layers = vec![layer("curated", 2)];
        assert!(apply(&mut d, &mut layers, &[link("a", "wam-1")]).is_empty());
        assert_eq!(d.resources.len(), 2);
        let mut d = dir(vec![
            record("a", None, "d"),
            record("b", None, "d"),
            record("wam-1", Some("1"), "csv"),
        ]);
        let mut layers = vec![layer("curated", 3)];
        let moved = apply(
            &mut d,
            &mut layers,
            &[link("a", "wam-1"), link("b", "wam-1")],
        );
        assert_eq!(moved.len(), 1);
        assert!(d.resources[1].contact.phone.is_none());
    }

    /// `record` closed in release 2024-04 (issue 28, item 5).
    fn closed(id: &str, phone: &str) -> Resource {
        let mut r = record(id, Some(phone), "csv");
        r.status = Status::Closed;
        r.former_designations = vec![Designation {
            service_type: "短期入所".into(),
            code: Some(24),
            office_number: "1".into(),
            capacity: None,
            as_of: Some("2023-11".into()),
            first_seen: None,
            closed_in: Some("2024-04".into()),
            successor: None,
        }];
        r
    }

    #[test]
    fn a_link_follows_a_renumbered_office_to_the_record_that_continues_it() {
        let mut successor = record("wam-9", Some("0833-2"), "csv");
        successor.former_ids = vec!["wam-1".into()];
        let mut d = dir(vec![
            record("a", None, "doc.txt"),
            closed("wam-1", "0833-1"),
            successor,
        ]);
        let mut layers = vec![layer("curated", 1), layer("wam", 2)];
        let links = [link("a", "wam-1")];
        let moved = apply(&mut d, &mut layers, &links);
        assert_eq!(moved.get("wam-9").map(String::as_str), Some("a"));
        assert_eq!(d.resources[0].contact.phone.as_deref(), Some("0833-2"));
        // The closed record stays (its id resolves), unmerged; nothing to report.
        assert!(d.resources.iter().any(|r| r.id == "wam-1"));
        assert!(closed_offices(&d.resources, &links).is_empty());
    }

    #[test]
    fn a_link_whose_office_closed_is_not_applied_and_is_reported() {
        let mut d = dir(vec![
            record("a", None, "doc.txt"),
            closed("wam-1", "0833-1"),
        ]);
        let mut layers = vec![layer("curated", 1), layer("wam", 1)];
        let links = [link("a", "wam-1")];
        assert!(apply(&mut d, &mut layers, &links).is_empty());
        assert_eq!(
            d.resources[0].contact.phone, None,
            "no last known phone merged"
        );
        let reported = closed_offices(&d.resources, &links);
        assert_eq!(reported.len(), 1);
        assert_eq!(reported[0].closed_in, "2024-04");
        let line = reported[0].to_string();
        assert!(
            line.contains("資料の記録 a と結んだ事業所 wam-1")
                && line.contains("2024-04 の公開データにありません"),
            "{line}"
        );
    }

    #[test]
    fn former_ids_resolve_through_a_merge() {
        let moved = BTreeMap::from([("wam-2".to_string(), "a".to_string())]);
        let former = former_targets(
            &moved,
            [
                ("wam-7".to_string(), "wam-2".to_string()),
                ("wam-5".to_string(), "wam-6".to_string()),
            ],
        );
        assert_eq!(former["wam-7"], "a");
        assert_eq!(former["wam-5"], "wam-6");
    }

    #[test]
    fn the_bundled_links_file_reads() {
        let f = bundled().unwrap();
        assert_eq!(f.schema_version, LINKS_SCHEMA_VERSION);
    }
}
