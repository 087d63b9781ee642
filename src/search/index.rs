//! The tantivy index over the directory: one document per resource, text fields analysed by
//! the Japanese bigram analyzer, raw string fields for the area / care / need / 電話あり
//! filters, whether a record's care is 要確認 (`care_unknown`, see
//! [`crate::directory::filters`]), and the location as `lat`/`lng` fast fields (distance, see
//! `near.rs`).

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, IndexWriter, TantivyDocument};

use std::sync::Arc;

use super::SearchError;
use super::analyzer::{self, KnownWords};
use crate::directory::{Catalog, Resource, ResourceKind, Status, care_unstated};

/// Weight of each text field: name > taxonomy > summary > body.
pub const NAME_BOOST: f32 = 4.0;
/// See [`NAME_BOOST`].
pub const TAXONOMY_BOOST: f32 = 2.5;
/// See [`NAME_BOOST`].
pub const SUMMARY_BOOST: f32 = 1.5;
/// See [`NAME_BOOST`].
pub const BODY_BOOST: f32 = 1.0;

/// Handles to the schema's fields.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Position of the record in the catalog (fast field).
    pub doc_idx: Field,
    /// The record's status (fast field, see [`status_code`]), for ranking without decoding it.
    pub status: Field,
    /// 1 for a record that develops or runs services rather than provides one (a programme,
    /// council or subsidy; an operating corporation): fast field, see [`develops_services`],
    /// for ranking without decoding it.
    pub role: Field,
    /// The service types the record is designated for, one bit each (fast field, see
    /// [`super::services`]).
    pub services: Field,
    /// The days of the week the record has hours for (fast field, see [`super::days`]).
    pub days: Field,
    /// Each サービス種別 code the record is designated for (`"64"`), to filter by (see
    /// [`super::services::filter`]).
    pub service: Field,
    /// The operating corporation's name as a key ([`provider_key`]), to find what it runs.
    pub provider: Field,
    /// Name, aliases, reading.
    pub name: Field,
    /// Labels and readings of the record's care types, needs, life stages, audiences.
    pub taxonomy: Field,
    /// One-line summary.
    pub summary: Field,
    /// Description, eligibility, provider, section, address, figures.
    pub body: Field,
    /// Service area ids (raw, multi-valued).
    pub area: Field,
    /// Care type ids (raw).
    pub care: Field,
    /// Need ids (raw).
    pub need: Field,
    /// The whole name, each alias and the reading as one raw term each ([`name_key`]): a
    /// query that *is* a record's name ranks that record first (see `rank.rs`).
    pub name_key: Field,
    /// What a record has that a filter asks for (raw): [`HAS_PHONE`].
    pub has: Field,
    /// 1 for a record whose source cannot say which care it accepts
    /// ([`crate::directory::care_unstated`]), else 0 (indexed: a care filter keeps these; fast:
    /// they rank after the records that state the care, see `rank.rs`).
    pub care_unknown: Field,
    /// Latitude of the record's location (fast field; absent without one), see `near.rs`.
    pub lat: Field,
    /// Longitude, likewise.
    pub lng: Field,
    /// The prefecture the record is in (`located_in`'s), as its area index + 1; 0 when
    /// unknown (fast field: what the open data covers, see [`super::coverage`]).
    pub prefecture: Field,
    /// The digits of each phone, fax and office number (see [`super::numbers`]).
    pub number: Field,
}

/// The name of the [`Fields::prefecture`] field.
pub const PREFECTURE: &str = "prefecture";

/// The `has` token of a record whose contact has a phone number.
pub const HAS_PHONE: &str = "phone";

/// The name of the [`Fields::care_unknown`] field.
pub const CARE_UNKNOWN: &str = "care_unknown";

impl Fields {
    /// The text fields with their boosts, strongest first.
    pub fn text_fields(&self) -> [(Field, f32); 4] {
        [
            (self.name, NAME_BOOST),
            (self.taxonomy, TAXONOMY_BOOST),
            (self.summary, SUMMARY_BOOST),
            (self.body, BODY_BOOST),
        ]
    }
}

impl Fields {
    /// Field handles of an existing index's schema (an index opened from the cache).
    pub fn from_schema(schema: &Schema) -> Result<Fields, SearchError> {
        let get = |name: &str| schema.get_field(name);
        Ok(Fields {
            doc_idx: get("doc_idx")?,
            status: get("status")?,
            role: get("role")?,
            services: get("services")?,
            days: get("days")?,
            service: get("service")?,
            provider: get("provider")?,
            name: get("name")?,
            taxonomy: get("taxonomy")?,
            summary: get("summary")?,
            body: get("body")?,
            area: get("area")?,
            care: get("care")?,
            need: get("need")?,
            name_key: get("name_key")?,
            has: get("has")?,
            care_unknown: get(CARE_UNKNOWN)?,
            lat: get("lat")?,
            lng: get("lng")?,
            prefecture: get(PREFECTURE)?,
            number: get("number")?,
        })
    }
}

/// The schema and its field handles.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer::TOKENIZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let body_text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer::BODY_TOKENIZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        doc_idx: b.add_u64_field("doc_idx", FAST | INDEXED),
        status: b.add_u64_field("status", FAST),
        role: b.add_u64_field("role", FAST),
        services: b.add_u64_field("services", FAST),
        days: b.add_u64_field("days", FAST),
        service: b.add_text_field("service", STRING),
        provider: b.add_text_field("provider", STRING),
        name: b.add_text_field("name", text.clone()),
        taxonomy: b.add_text_field("taxonomy", text.clone()),
        summary: b.add_text_field("summary", text.clone()),
        body: b.add_text_field("body", body_text),
        area: b.add_text_field("area", STRING),
        care: b.add_text_field("care", STRING),
        need: b.add_text_field("need", STRING),
        name_key: b.add_text_field("name_key", STRING),
        has: b.add_text_field("has", STRING),
        care_unknown: b.add_u64_field(CARE_UNKNOWN, FAST | INDEXED),
        lat: b.add_f64_field("lat", FAST),
        lng: b.add_f64_field("lng", FAST),
        prefecture: b.add_u64_field(PREFECTURE, FAST),
        number: b.add_text_field("number", STRING),
    };
    (b.build(), fields)
}

/// Legal-entity words (NFKC, lower case) that come before or after a corporation's own name
/// and that sources write or leave out as they please: （社福）全国重症心身障害児（者）を守る会
/// and 社会福祉法人全国重症心身障害児（者）を守る会 are one corporation.
const ENTITY_WORDS: [&str; 24] = [
    "地方独立行政法人",
    "独立行政法人",
    "特定非営利活動法人",
    "一般社団法人",
    "公益社団法人",
    "一般財団法人",
    "公益財団法人",
    "社会福祉法人",
    "社会医療法人",
    "医療法人社団",
    "医療法人財団",
    "医療法人",
    "株式会社",
    "有限会社",
    "合同会社",
    "学校法人",
    "社団法人",
    "財団法人",
    "npo法人",
    "(社福)",
    "(株)",
    "(有)",
    "(医)",
    "(特非)",
];

/// A corporation's name as one comparable key: NFKC, lower case, without spaces and without
/// its legal-entity words ([`ENTITY_WORDS`]): 「株式会社Y＆N」 → `y&n`.
pub fn provider_key(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut k: String = name
        .nfkc()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    for w in ENTITY_WORDS {
        k = k.replace(w, "");
    }
    k
}

/// Whether a word is written as a corporation's name (社会福祉法人…, …株式会社, （株）…).
pub fn names_a_corporation(word: &str) -> bool {
    use unicode_normalization::UnicodeNormalization;
    let w: String = word.nfkc().flat_map(char::to_lowercase).collect();
    ENTITY_WORDS.iter().any(|e| w.contains(e))
}

/// A name as one comparable key: normalized (width, case, kana, ー) with every space
/// removed, so 「ミリミリ 品川」, 「ﾐﾘﾐﾘ品川」 and 「みりみりしながわ」's spelling variants meet.
pub fn name_key(name: &str) -> String {
    crate::text::normalize::normalize(name)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Whether a record stands behind services rather than provides one to a family: a council, a
/// subsidy or a programme (研修, 開拓, 視察, 配置計画 …) whose audiences are given and leave
/// families out, which develops services; or an operating corporation ([`ResourceKind::Organization`],
/// 社会福祉法人むそう …), which runs them — the family goes to its facility, not to the 法人.
/// Facilities and consultation offices always provide. A caller asking for a need is looking
/// for the ones that provide it (see `rank.rs`). 72 of the 241 curated records (67 that
/// develop, 5 corporations); none of the open-data offices (they have no audiences).
pub fn develops_services(r: &Resource) -> bool {
    if r.kind == ResourceKind::Organization {
        return true;
    }
    let for_families = r.audiences.iter().any(|a| a == "family");
    !r.audiences.is_empty()
        && !for_families
        && matches!(
            r.kind,
            ResourceKind::Council | ResourceKind::Subsidy | ResourceKind::Service
        )
}

/// The stored code of a status.
pub fn status_code(s: Status) -> u64 {
    match s {
        Status::Active => 0,
        Status::Planned => 1,
        Status::Trial => 2,
        Status::Paused => 3,
        Status::Ended => 4,
        Status::Closed => 5,
    }
}

/// The status of a stored code (unknown codes read as active).
pub fn status_of(code: u64) -> Status {
    match code {
        1 => Status::Planned,
        2 => Status::Trial,
        3 => Status::Paused,
        4 => Status::Ended,
        5 => Status::Closed,
        _ => Status::Active,
    }
}

/// An opened index with its reader.
pub struct SearchIndex {
    /// The tantivy index.
    pub index: Index,
    /// Its reader.
    pub reader: IndexReader,
    /// Field handles.
    pub fields: Fields,
    /// The words indexed as single tokens (the same set at build and query time).
    pub known: Arc<KnownWords>,
}

/// The tantivy document for one resource.
pub fn document(catalog: &Catalog, idx: usize, r: &Resource, f: &Fields) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    d.add_u64(f.doc_idx, idx as u64);
    d.add_u64(f.status, status_code(r.status));
    d.add_u64(f.role, u64::from(develops_services(r)));
    d.add_u64(f.services, super::services::mask_of(r));
    d.add_u64(f.days, super::days::open_on(r));
    let tree = &catalog.areas;
    let prefecture = r
        .located_in
        .as_deref()
        .and_then(|a| tree.index_of(a))
        .and_then(|a| tree.prefecture_of(a));
    d.add_u64(f.prefecture, prefecture.map_or(0, |p| p as u64 + 1));
    for code in r.designations.iter().filter_map(|d| d.code) {
        d.add_text(f.service, code.to_string());
    }
    if let Some(p) = r
        .provider
        .as_deref()
        .map(provider_key)
        .filter(|k| !k.is_empty())
    {
        d.add_text(f.provider, p);
    }
    d.add_text(f.name, &r.name);
    for a in &r.aliases {
        d.add_text(f.name, a);
    }
    if let Some(k) = &r.kana {
        d.add_text(f.name, k);
    }
    for n in std::iter::once(&r.name).chain(&r.aliases).chain(&r.kana) {
        d.add_text(f.name_key, name_key(n));
    }
    let t = &catalog.dir.taxonomy;
    for (ids, list) in [
        (&r.care_types, &t.care_types),
        (&r.needs, &t.needs),
        (&r.life_stages, &t.life_stages),
        (&r.audiences, &t.audiences),
    ] {
        // Labels and readings only: a query word that is an alias is understood as the
        // term itself and matches the tag (see `query.rs`), so aliases need no postings here.
        for term in list.iter().filter(|t| ids.contains(&t.id)) {
            d.add_text(f.taxonomy, &term.label);
            d.add_text(f.taxonomy, &term.kana);
        }
    }
    d.add_text(f.summary, &r.summary);
    // The designated service types (WAM NET) say what the office provides as plainly as a
    // summary; a curated record linked to its office often does not name them (ミリミリ品川's
    // summary says 児童発達支援, its designation 居宅訪問型児童発達支援). Those the summary
    // already names are not added twice.
    for t in &r.designations {
        if !r.summary.contains(&t.service_type) {
            d.add_text(f.summary, &t.service_type);
        }
    }
    let body = [
        r.description.as_deref(),
        r.eligibility.as_deref(),
        r.provider.as_deref(),
        r.administered_by.as_deref(),
        r.contact.department.as_deref(),
        r.contact.address.as_deref(),
        r.hours.as_deref(),
        r.capacity.as_deref(),
        r.how_to_apply.as_deref(),
        r.since.as_deref(),
    ];
    for text in body.into_iter().flatten() {
        d.add_text(f.body, text);
    }
    for fig in &r.figures {
        d.add_text(f.body, format!("{} {}", fig.label, fig.value));
    }
    for a in &r.service_areas {
        d.add_text(f.area, a);
    }
    for c in &r.care_types {
        d.add_text(f.care, c);
    }
    for n in &r.needs {
        d.add_text(f.need, n);
    }
    if r.contact.phone_number().is_some() {
        d.add_text(f.has, HAS_PHONE);
    }
    for n in super::numbers::terms_of(r) {
        d.add_text(f.number, n);
    }
    d.add_u64(f.care_unknown, u64::from(care_unstated(r)));
    if let Some(p) = r.location {
        d.add_f64(f.lat, p.lat);
        d.add_f64(f.lng, p.lng);
    }
    d
}

/// Writes every listed resource of the catalog into `index` and commits. A closed record
/// ([`Resource::is_listed`]) is no document at all: no query, filter or empty box can find
/// it, and the keystroke path does not pay for leaving it out; it still resolves by id.
pub fn fill(index: &Index, catalog: &Catalog, fields: &Fields) -> Result<(), SearchError> {
    let writer = writer(index, catalog.len())?;
    for (i, r) in catalog.resources().iter().enumerate() {
        if r.is_listed() {
            writer.add_document(document(catalog, i, r, fields))?;
        }
    }
    commit(writer)
}

/// A writer for an index of `records` documents. Large directories: every core (up to 4), and
/// an arena of [`ARENA_BYTES_PER_THREAD`] each (fewer segments to merge, within the memory a
/// cold build may take). Small ones: one thread, so that documents keep their order in one
/// segment (ties rank the same on every start).
pub fn writer(index: &Index, records: usize) -> Result<IndexWriter, SearchError> {
    let (threads, arena) = if records < 20_000 {
        (1, 32_000_000)
    } else {
        let n = std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 4));
        (n, ARENA_BYTES_PER_THREAD)
    };
    Ok(index.writer_with_num_threads(threads, arena * threads)?)
}

/// The indexing arena of each thread for a large directory.
pub const ARENA_BYTES_PER_THREAD: usize = 200_000_000;

/// Commits what `writer` was given and waits for its merges.
pub fn commit(mut writer: IndexWriter) -> Result<(), SearchError> {
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(())
}

/// Builds the index in memory (the bundled directory and other small ones).
pub fn build_in_ram(catalog: &Catalog, known: Arc<KnownWords>) -> Result<SearchIndex, SearchError> {
    let (schema, fields) = schema();
    let index = Index::create_in_ram(schema);
    analyzer::register(&index, Arc::clone(&known));
    fill(&index, catalog, &fields)?;
    open(index, fields, known)
}

/// Opens a reader on a filled index built with `known` (and registers the tokenizer).
pub fn open(
    index: Index,
    fields: Fields,
    known: Arc<KnownWords>,
) -> Result<SearchIndex, SearchError> {
    analyzer::register(&index, Arc::clone(&known));
    let reader = index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()?;
    Ok(SearchIndex {
        index,
        reader,
        fields,
        known,
    })
}
