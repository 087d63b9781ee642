//! The directory layer written by `ikenavi import wamnet`: `schema_version`, `replaces` (the
//! bundled open-data layer it stands in for when loaded with `--data`), `title`, `as_of`,
//! `publisher` (the attribution the publisher asks for), `source_documents` (one per file) and
//! `resources`, each record with its absent optional fields left out (they read back as their
//! defaults). Pretty JSON with a trailing newline; the same records give the same bytes.

use serde::Serialize;

use crate::directory::model::{
    Contact, Designation, Figure, GeoPoint, HoursByDay, Resource, ResourceKind, SourceDocument,
    SourceRef, Status,
};
use crate::directory::validate::{OR_EARLIER, date_order};

/// 「出典：独立行政法人福祉医療機構 障害福祉サービス等情報公表システム オープンデータ（2025年3月末時点）」
/// for `2025-03`; other months likewise. A date that is not `YYYY-MM…` is written as given.
pub fn attribution(as_of: &str) -> String {
    attribution_of(&[as_of])
}

/// The attribution of several releases, oldest first:
/// 「…オープンデータ（2024年4月以前・2025年3月末時点・2026年3月末時点）」.
pub fn attribution_of(releases: &[&str]) -> String {
    let when: Vec<String> = releases.iter().map(|r| release_words(r)).collect();
    format!(
        "出典：独立行政法人福祉医療機構 障害福祉サービス等情報公表システム オープンデータ（{}）",
        when.join("・")
    )
}

/// `2025-03` → 「2025年3月末時点」; `2024-04以前` → 「2024年4月以前」 (a file known only by when
/// it was published: never a later date than it can be).
fn release_words(as_of: &str) -> String {
    let (date, exact) = date_order(as_of);
    match (date.get(..4), date.get(5..7)) {
        (Some(y), Some(m)) if date.as_bytes().get(4) == Some(&b'-') => match m.parse::<u8>() {
            Ok(m) if exact => format!("{y}年{m}月末時点"),
            Ok(m) => format!("{y}年{m}月{OR_EARLIER}"),
            Err(_) => as_of.to_string(),
        },
        _ => as_of.to_string(),
    }
}

/// The title of a layer of these files.
pub fn title(as_of: &str) -> String {
    title_of(&[as_of])
}

/// The title of a layer of files of several releases, oldest first.
pub fn title_of(releases: &[&str]) -> String {
    format!(
        "障害福祉サービス等の指定事業所（WAM NET オープンデータ {}）",
        releases.join("・")
    )
}

/// The releases of `documents`, each once, oldest first.
pub fn releases(documents: &[SourceDocument]) -> Vec<&str> {
    let mut r: Vec<&str> = documents.iter().map(|d| d.date.as_str()).collect();
    r.sort_by_key(|d| date_order(d));
    r.dedup();
    r
}

#[derive(Serialize)]
struct LayerFile<'a> {
    schema_version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    replaces: Option<&'static str>,
    title: String,
    as_of: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<String>,
    source_documents: &'a [SourceDocument],
    resources: Vec<ResourceView<'a>>,
}

fn is_none<T>(v: &&Option<T>) -> bool {
    v.is_none()
}

fn is_empty<T>(v: &&[T]) -> bool {
    v.is_empty()
}

/// A [`Contact`] as written: absent fields left out.
#[derive(Serialize)]
struct ContactView<'a> {
    #[serde(skip_serializing_if = "is_none")]
    department: &'a Option<String>,
    #[serde(skip_serializing_if = "is_none")]
    phone: &'a Option<String>,
    #[serde(skip_serializing_if = "is_none")]
    fax: &'a Option<String>,
    #[serde(skip_serializing_if = "is_none")]
    address: &'a Option<String>,
    #[serde(skip_serializing_if = "is_none")]
    url: &'a Option<String>,
    #[serde(skip_serializing_if = "is_none")]
    note: &'a Option<String>,
}

impl<'a> From<&'a Contact> for ContactView<'a> {
    fn from(c: &'a Contact) -> Self {
        let Contact {
            department,
            phone,
            fax,
            address,
            url,
            note,
        } = c;
        ContactView {
            department,
            phone,
            fax,
            address,
            url,
            note,
        }
    }
}

impl ContactView<'_> {
    fn is_empty(&self) -> bool {
        [
            self.department,
            self.phone,
            self.fax,
            self.address,
            self.url,
            self.note,
        ]
        .iter()
        .all(|f| f.is_none())
    }
}

/// [`HoursByDay`] as written: absent day types left out.
#[derive(Serialize)]
struct HoursView<'a> {
    #[serde(skip_serializing_if = "is_none")]
    weekday: &'a Option<String>,
    #[serde(skip_serializing_if = "is_none")]
    saturday: &'a Option<String>,
    #[serde(skip_serializing_if = "is_none")]
    sunday: &'a Option<String>,
    #[serde(skip_serializing_if = "is_none")]
    holiday: &'a Option<String>,
}

impl<'a> From<&'a HoursByDay> for HoursView<'a> {
    fn from(h: &'a HoursByDay) -> Self {
        let HoursByDay {
            weekday,
            saturday,
            sunday,
            holiday,
        } = h;
        HoursView {
            weekday,
            saturday,
            sunday,
            holiday,
        }
    }
}

/// A [`Designation`] as written: absent code and 定員 left out.
#[derive(Serialize)]
struct DesignationView<'a> {
    service_type: &'a str,
    #[serde(skip_serializing_if = "is_none")]
    code: &'a Option<u8>,
    office_number: &'a str,
    #[serde(skip_serializing_if = "is_none")]
    capacity: &'a Option<u32>,
    #[serde(skip_serializing_if = "is_none")]
    as_of: &'a Option<String>,
    #[serde(skip_serializing_if = "is_none")]
    first_seen: &'a Option<String>,
    #[serde(skip_serializing_if = "is_none")]
    closed_in: &'a Option<String>,
    #[serde(skip_serializing_if = "is_none")]
    successor: &'a Option<String>,
}

impl<'a> From<&'a Designation> for DesignationView<'a> {
    fn from(d: &'a Designation) -> Self {
        let Designation {
            service_type,
            code,
            office_number,
            capacity,
            as_of,
            first_seen,
            closed_in,
            successor,
        } = d;
        DesignationView {
            service_type,
            code,
            office_number,
            capacity,
            as_of,
            first_seen,
            closed_in,
            successor,
        }
    }
}

/// A [`Resource`] as written: the same keys in the same order, absent ones left out. Built by
/// destructuring, so a field added to [`Resource`] does not compile until it is written here.
#[derive(Serialize)]
struct ResourceView<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "is_none")]
    kana: &'a Option<String>,
    #[serde(skip_serializing_if = "is_empty")]
    aliases: &'a [String],
    kind: ResourceKind,
    summary: &'a str,
    #[serde(skip_serializing_if = "is_none")]
    description: &'a Option<String>,
    #[serde(skip_serializing_if = "is_none")]
    provider: &'a Option<String>,
    #[serde(skip_serializing_if = "is_none")]
    provider_kana: &'a Option<String>,
    #[serde(skip_serializing_if = "is_none")]
    administered_by: &'a Option<String>,
    #[serde(skip_serializing_if = "is_none")]
    located_in: &'a Option<String>,
    service_areas: &'a [String],
    #[serde(skip_serializing_if = "is_empty")]
    needs: &'a [String],
    #[serde(skip_serializing_if = "is_empty")]
    care_types: &'a [String],
    #[serde(skip_serializing_if = "is_empty")]
    life_stages: &'a [String],
    #[serde(skip_serializing_if = "is_empty")]
    audiences: &'a [String],
    #[serde(skip_serializing_if = "is_none")]
    eligibility: &'a Option<String>,
    #[serde(skip_serializing_if = "is_none")]
    capacity: &'a Option<String>,
    #[serde(skip_serializing_if = "is_none")]
    hours: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hours_by_day: Option<HoursView<'a>>,
    #[serde(skip_serializing_if = "is_none")]
    closed_days: &'a Option<String>,
    #[serde(skip_serializing_if = "is_none")]
    hours_note: &'a Option<String>,
    #[serde(skip_serializing_if = "is_none")]
    fees: &'a Option<String>,
    #[serde(skip_serializing_if = "is_none")]
    how_to_apply: &'a Option<String>,
    #[serde(skip_serializing_if = "ContactView::is_empty")]
    contact: ContactView<'a>,
    #[serde(skip_serializing_if = "is_none")]
    location: &'a Option<GeoPoint>,
    #[serde(skip_serializing_if = "is_empty")]
    office_numbers: &'a [String],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    designations: Vec<DesignationView<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    former_designations: Vec<DesignationView<'a>>,
    #[serde(skip_serializing_if = "is_empty")]
    former_ids: &'a [String],
    status: Status,
    #[serde(skip_serializing_if = "is_none")]
    since: &'a Option<String>,
    #[serde(skip_serializing_if = "is_empty")]
    figures: &'a [Figure],
    sources: &'a [SourceRef],
    #[serde(skip_serializing_if = "is_none")]
    verified_as_of: &'a Option<String>,
    #[serde(skip_serializing_if = "is_empty")]
    related: &'a [String],
}

impl<'a> From<&'a Resource> for ResourceView<'a> {
    fn from(r: &'a Resource) -> Self {
        let Resource {
            id,
            name,
            kana,
            aliases,
            kind,
            summary,
            description,
            provider,
            administered_by,
            located_in,
            service_areas,
            needs,
            care_types,
            life_stages,
            audiences,
            eligibility,
            capacity,
            hours,
            fees,
            how_to_apply,
            contact,
            location,
            office_numbers,
            designations,
            former_designations,
            former_ids,
            hours_by_day,
            closed_days,
            hours_note,
            provider_kana,
            status,
            since,
            figures,
            sources,
            verified_as_of,
            related,
        } = r;
        ResourceView {
            id,
            name,
            kana,
            aliases,
            kind: *kind,
            summary,
            description,
            provider,
            provider_kana,
            administered_by,
            located_in,
            service_areas,
            needs,
            care_types,
            life_stages,
            audiences,
            eligibility,
            capacity,
            hours,
            hours_by_day: hours_by_day.as_ref().map(HoursView::from),
            closed_days,
            hours_note,
            fees,
            how_to_apply,
            contact: ContactView::from(contact),
            location,
            office_numbers,
            designations: designations.iter().map(DesignationView::from).collect(),
            former_designations: former_designations
                .iter()
                .map(DesignationView::from)
                .collect(),
            former_ids,
            status: *status,
            since,
            figures,
            sources,
            verified_as_of,
            related,
        }
    }
}

/// The bundled layer a file written by this importer stands in for: an office that loads a
/// newer download (`--data`) replaces the bundled offices instead of clashing with them.
pub const BUNDLED_NAME: &str = "data/wamnet.json";

/// What a layer that replaces the bundled open data would hide: the bundled offices it does
/// not hold, and the service types none of its records has.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lost {
    /// Bundled offices whose id is not in the layer.
    pub offices: usize,
    /// Bundled offices in all.
    pub of: usize,
    /// `053 短期入所` … for each service type of the bundled layer that the layer lacks.
    pub types: Vec<String>,
}

impl std::fmt::Display for Lost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "同梱の事業所 {}件のうち {}件が消えます",
            self.of, self.offices
        )?;
        if !self.types.is_empty() {
            const SHOWN: usize = 8;
            let mut t = self.types[..self.types.len().min(SHOWN)].join("、");
            if self.types.len() > SHOWN {
                t.push_str(&format!(" ほか{}種別", self.types.len() - SHOWN));
            }
            write!(f, "（このレイヤーにないサービス種別: {t}）")?;
        }
        Ok(())
    }
}

/// What a layer holding the records `ids`, with the service-type `codes`, hides when it
/// replaces the bundled open data of `catalog` (its records from [`BUNDLED_NAME`]).
pub fn lost_by_replacing(
    catalog: &crate::directory::Catalog,
    ids: &std::collections::HashSet<String>,
    codes: &std::collections::BTreeSet<u8>,
) -> Lost {
    let mut lost = Lost::default();
    let mut types = std::collections::BTreeMap::new();
    for (i, r) in catalog.resources().iter().enumerate() {
        if !catalog
            .layer_of(i)
            .is_some_and(|l| l.bundled && l.name == BUNDLED_NAME)
        {
            continue;
        }
        lost.of += 1;
        if !ids.contains(&r.id) {
            lost.offices += 1;
        }
        for d in &r.designations {
            if let Some(c) = d.code.filter(|c| !codes.contains(c)) {
                types.entry(c).or_insert_with(|| d.service_type.clone());
            }
        }
    }
    lost.types = types
        .into_iter()
        .map(|(c, t)| format!("{c:03} {t}"))
        .collect();
    lost
}

/// The layer as pretty JSON with a trailing newline.
pub fn render(documents: &[SourceDocument], resources: &[Resource]) -> String {
    let mut out = Vec::new();
    // Writing to a Vec and serializing strings, numbers and options cannot fail.
    let _ = write(&mut out, documents, resources.iter().cloned());
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the layer (the bytes of [`render`]) record by record, so a layer of the whole
/// country is never held as one string: the header, then each record as it comes.
pub fn write(
    out: &mut impl std::io::Write,
    documents: &[SourceDocument],
    resources: impl IntoIterator<Item = Resource>,
) -> std::io::Result<()> {
    let mut w = LayerWriter::begin(out, documents)?;
    for r in resources {
        w.record(&r)?;
    }
    w.finish()
}

/// A layer being written: [`begin`](Self::begin) writes the header, [`record`](Self::record)
/// each record, [`finish`](Self::finish) the end.
pub struct LayerWriter<W: std::io::Write> {
    out: W,
    any: bool,
    buf: Vec<u8>,
}

impl<W: std::io::Write> LayerWriter<W> {
    /// Writes everything before the first record. The layer's title and attribution name
    /// every release of `documents`; its `as_of` is the newest.
    pub fn begin(mut out: W, documents: &[SourceDocument]) -> std::io::Result<Self> {
        let releases = releases(documents);
        let file = LayerFile {
            schema_version: 1,
            replaces: Some(BUNDLED_NAME),
            title: title_of(&releases),
            as_of: releases.last().copied().unwrap_or_default(),
            publisher: Some(attribution_of(&releases)),
            source_documents: documents,
            resources: Vec::new(),
        };
        let header = serde_json::to_string_pretty(&file).map_err(std::io::Error::other)?;
        // The header ends with the empty list `[]` and the closing brace: the records go
        // between.
        let open = header
            .strip_suffix("[]\n}")
            .ok_or_else(|| std::io::Error::other("resources is the last field of the layer"))?;
        out.write_all(open.as_bytes())?;
        out.write_all(b"[")?;
        Ok(LayerWriter {
            out,
            any: false,
            buf: Vec::new(),
        })
    }

    /// Writes one record.
    pub fn record(&mut self, r: &Resource) -> std::io::Result<()> {
        self.buf.clear();
        serde_json::to_writer_pretty(&mut self.buf, &ResourceView::from(r))
            .map_err(std::io::Error::other)?;
        let out = &mut self.out;
        out.write_all(if self.any { b",\n    " } else { b"\n    " })?;
        // A record nested two levels deep, as in the whole document: JSON strings hold no raw
        // line breaks, so every one in `buf` is between tokens.
        for (i, line) in self.buf.split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                out.write_all(b"\n    ")?;
            }
            out.write_all(line)?;
        }
        self.any = true;
        Ok(())
    }

    /// Writes the end of the layer and flushes.
    pub fn finish(mut self) -> std::io::Result<()> {
        let end: &[u8] = if self.any { b"\n  ]\n}\n" } else { b"]\n}\n" };
        self.out.write_all(end)?;
        self.out.flush()
    }
}

/// A user layer (no `replaces`) in the same written form: `import table` and `import hsds`
/// write theirs with this.
pub fn render_user(
    title: &str,
    as_of: &str,
    publisher: Option<&str>,
    documents: &[SourceDocument],
    resources: &[Resource],
) -> String {
    let file = LayerFile {
        schema_version: 1,
        replaces: None,
        title: title.to_string(),
        as_of,
        publisher: publisher.map(str::to_string),
        source_documents: documents,
        resources: resources.iter().map(ResourceView::from).collect(),
    };
    to_text(&file)
}

fn to_text(file: &LayerFile<'_>) -> String {
    // Strings, numbers and options only: serializing cannot fail.
    let mut text = serde_json::to_string_pretty(file).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Written record by record, the layer is the document serde writes in one piece.
    #[test]
    fn streamed_layer_is_the_whole_document_pretty() {
        let dir = crate::testing::bundled();
        let some: Vec<Resource> = dir.resources().iter().take(40).cloned().collect();
        let docs = &dir.dir.source_documents[..2];
        for records in [&some[..0], &some[..1], &some[..]] {
            let releases = releases(docs);
            let whole = LayerFile {
                schema_version: 1,
                replaces: Some(BUNDLED_NAME),
                title: title_of(&releases),
                as_of: releases.last().unwrap(),
                publisher: Some(attribution_of(&releases)),
                source_documents: docs,
                resources: records.iter().map(ResourceView::from).collect(),
            };
            let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
            assert_eq!(render(docs, records), expected);
        }
    }

    #[test]
    fn attribution_names_the_release_month() {
        assert_eq!(attribution("2025-03"), crate::import::wamnet::ATTRIBUTION);
        assert!(attribution("2025-09").ends_with("（2025年9月末時点）"));
        assert!(attribution("2025").ends_with("（2025）"));
        assert!(
            attribution_of(&["2024-04以前", "2026-03"])
                .ends_with("（2024年4月以前・2026年3月末時点）")
        );
    }
}
