//! The directory's data model: serde types for the JSON file described in
//! `docs/data-format.md` (Open Referral HSDS, flattened for a small directory).

use serde::{Deserialize, Serialize};

/// The whole directory: gazetteer, taxonomy, glossary and resources.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Directory {
    /// Format version; this build reads version 1.
    pub schema_version: u32,
    /// Human title of the directory.
    pub title: String,
    /// The newest source date.
    pub as_of: String,
    /// Who compiled it and from what.
    #[serde(default)]
    pub publisher: Option<String>,
    /// Every document a record may cite.
    pub source_documents: Vec<SourceDocument>,
    /// The gazetteer.
    pub areas: Vec<Area>,
    /// Care types, needs, life stages, audiences.
    pub taxonomy: Taxonomy,
    /// Domain words and their variants.
    #[serde(default)]
    pub glossary: Vec<GlossaryEntry>,
    /// The designated service types (WAM NET サービス種別) with what each is, in law's words
    /// made plain. Always serialized (the search cache keeps the directory as postcard).
    #[serde(default)]
    pub service_types: Vec<ServiceTypeDef>,
    /// One record per service, facility, office or council.
    pub resources: Vec<Resource>,
}

/// A document that records cite.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceDocument {
    /// File name, as cited in `sources[].file`.
    pub file: String,
    /// Who issued it.
    pub issuer: String,
    /// Its title.
    pub title: String,
    /// Its date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`).
    pub date: String,
}

/// Level of an area in the gazetteer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AreaLevel {
    /// 全国.
    Country,
    /// 都道府県.
    Prefecture,
    /// A grouping inside a prefecture (区部, 多摩, 圏域).
    Region,
    /// 市区町村.
    Municipality,
    /// 行政区: a ward of a 政令指定都市 (大阪市北区), whose parent is the city.
    Ward,
}

impl AreaLevel {
    /// Japanese label.
    pub fn label(self) -> &'static str {
        match self {
            AreaLevel::Country => "全国",
            AreaLevel::Prefecture => "都道府県",
            AreaLevel::Region => "圏域",
            AreaLevel::Municipality => "市区町村",
            AreaLevel::Ward => "行政区",
        }
    }
}

/// One place in the gazetteer.
///
/// Every field is always serialized: the search cache stores the catalog with postcard, which
/// cannot skip fields. Writers of JSON that want absent fields left out (the gazetteer
/// generator) serialize a view. `code`, `location` and `url` default to `None` on reading, so
/// files written before they existed load unchanged.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    /// `jp`, a JIS prefecture code, a region slug, or a 5-digit municipality code.
    pub id: String,
    /// 品川区.
    pub name: String,
    /// しながわく.
    pub kana: String,
    /// Level in the tree.
    pub level: AreaLevel,
    /// Enclosing area; `None` only for the country.
    pub parent: Option<String>,
    /// Other names (品川).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Where the facts come from when not from a seed document.
    #[serde(default)]
    pub note: Option<String>,
    /// The 6-digit 全国地方公共団体コード with its check digit (品川区: `131091`); the id of a
    /// municipality or ward is its first 5 digits.
    #[serde(default)]
    pub code: Option<String>,
    /// Where the area's office (役所・役場・区役所・都道府県庁) is.
    #[serde(default)]
    pub location: Option<GeoPoint>,
    /// The area's official website.
    #[serde(default)]
    pub url: Option<String>,
    /// The municipality's main window (市役所・町村役場の代表窓口) with its main phone, from
    /// くらし支援ナビ's list (`import::gazetteer`); `None` for other levels and where the list has
    /// no row.
    #[serde(default)]
    pub main_window: Option<MainWindow>,
}

/// A municipality's main window (代表窓口): where a caller from elsewhere starts and asks for
/// the 障害福祉 or 子ども担当 desk. Its phone is the municipality's main line, never a
/// department's own number. Every value is as the source row wrote it; `None` where the row
/// has none (never guessed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MainWindow {
    /// 名古屋市役所.
    pub name: String,
    /// The main phone as written (`052-961-1111`).
    pub phone: Option<String>,
    /// 〒 as written (`460-8508`).
    pub postal_code: Option<String>,
    /// 名古屋市中区三の丸3－1－1.
    pub address: Option<String>,
    /// Opening hours as written.
    pub hours: Option<String>,
    /// Closed days as written.
    pub closed_days: Option<String>,
    /// The official site the row names.
    pub url: Option<String>,
    /// The row, `kurashi-shien-navi/offices.csv:2`.
    pub row: String,
    /// When the row was last checked against its source (`2026-07-27`).
    pub checked: String,
    /// What the row's source is (`愛知県「市役所・町村役場一覧」`).
    pub source: String,
    /// The source's address.
    pub source_url: Option<String>,
    /// Where the phone comes from when not from `row` (the municipality list's row,
    /// `kurashi-shien-navi/municipalities.csv:5`), with that row's check date.
    pub phone_row: Option<String>,
    /// That row's `lastVerifiedAt`.
    pub phone_checked: Option<String>,
}

/// A point on the map (WGS 84 degrees).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeoPoint {
    /// Latitude, degrees north.
    pub lat: f64,
    /// Longitude, degrees east.
    pub lng: f64,
}

/// Mean radius of the Earth, km (the haversine's sphere).
const EARTH_RADIUS_KM: f64 = 6371.0;

impl GeoPoint {
    /// Great-circle distance in km (haversine on a sphere: within 0.5% of the ellipsoid, far
    /// finer than 約5km needs).
    pub fn distance_km(&self, other: &GeoPoint) -> f64 {
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lng - self.lng).to_radians();
        let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
    }
}

/// The four vocabularies.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Taxonomy {
    /// The 14 items of the 医療的ケア判定スコア.
    pub care_types: Vec<Term>,
    /// What callers ask for.
    pub needs: Vec<Term>,
    /// 乳幼児 / 学齢期 / 成人移行.
    pub life_stages: Vec<Term>,
    /// 家族 / 支援者 / 自治体.
    pub audiences: Vec<Term>,
}

impl Taxonomy {
    /// The four lists, in the order care types, needs, life stages, audiences.
    pub fn lists(&self) -> [&Vec<Term>; 4] {
        [
            &self.care_types,
            &self.needs,
            &self.life_stages,
            &self.audiences,
        ]
    }

    /// The four lists by value, in the order of [`Taxonomy::lists`].
    pub fn into_lists(self) -> [Vec<Term>; 4] {
        [
            self.care_types,
            self.needs,
            self.life_stages,
            self.audiences,
        ]
    }

    /// One list by its position in [`Taxonomy::lists`].
    pub fn list_mut(&mut self, k: usize) -> &mut Vec<Term> {
        match k {
            0 => &mut self.care_types,
            1 => &mut self.needs,
            2 => &mut self.life_stages,
            _ => &mut self.audiences,
        }
    }
}

/// One taxonomy item.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// ASCII id.
    pub id: String,
    /// Japanese label.
    pub label: String,
    /// Hiragana reading.
    pub kana: String,
    /// Abbreviations, lay words, other spellings.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A domain word with its variants.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlossaryEntry {
    /// The word.
    pub term: String,
    /// Its reading.
    #[serde(default)]
    pub kana: Option<String>,
    /// Variants that mean the same.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Needs the word implies (相談支援専門員 → consultation): a query with it also finds the
    /// records tagged so, without expanding to the need's other words.
    #[serde(default)]
    pub needs: Vec<String>,
    /// Care types the word implies, likewise.
    #[serde(default)]
    pub care_types: Vec<String>,
}

/// One designated service type (サービス種別, codes 11–70 as in WAM NET's download files):
/// its names and **one plain line** of who it is for and what it provides, kept within the
/// article of law that defines it (no fees, waiting lists or medical care the article does
/// not state), with that article as it read on `article_as_of`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceTypeDef {
    /// サービス種別 code (11–70).
    pub code: u8,
    /// Its official name as WAM NET writes it (地域相談支援（地域移行支援）).
    pub name: String,
    /// Its reading in hiragana.
    pub kana: String,
    /// Everyday and short names (放デイ, ショートステイ).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Who it is for and what it provides, for reading aloud (at most
    /// [`ServiceTypeDef::MAX_LINE_CHARS`] characters).
    pub line: String,
    /// The article that defines it (障害者総合支援法 第5条第8項).
    pub article: String,
    /// The date on which the article read as cited (its paragraph numbers change with
    /// amendments), `YYYY-MM-DD`.
    pub article_as_of: String,
    /// What else the clerk should know about the article (a type merged into another).
    #[serde(default)]
    pub note: Option<String>,
}

impl ServiceTypeDef {
    /// Longest [`ServiceTypeDef::line`], in characters: one breath when read aloud.
    pub const MAX_LINE_CHARS: usize = 60;

    /// The article with the date it is cited as of (and the note): 障害者総合支援法
    /// 第5条第8項（2024-04-01 時点）.
    pub fn citation(&self) -> String {
        let mut s = format!("{}（{} 時点）", self.article, self.article_as_of);
        if let Some(n) = self.note.as_deref().filter(|n| !n.trim().is_empty()) {
            s.push_str(&format!("。{n}"));
        }
        s
    }
}

/// What kind of thing a resource is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResourceKind {
    /// 事業・制度.
    Service,
    /// 事業所・施設.
    Facility,
    /// 相談窓口・相談支援事業所・支援センター.
    Consultation,
    /// 協議の場.
    Council,
    /// 補助・給付.
    Subsidy,
    /// ガイドブック・HP.
    Information,
    /// 運営法人: the legal entity that runs services and facilities (社会福祉法人, 株式会社,
    /// NPO …), not itself a place to go — the facility records name it as their `provider`.
    Organization,
}

impl ResourceKind {
    /// Every kind, in the order of the taxonomy.
    pub const ALL: [ResourceKind; 7] = [
        ResourceKind::Service,
        ResourceKind::Facility,
        ResourceKind::Consultation,
        ResourceKind::Council,
        ResourceKind::Subsidy,
        ResourceKind::Information,
        ResourceKind::Organization,
    ];

    /// Japanese label shown in lists.
    pub fn label(self) -> &'static str {
        match self {
            ResourceKind::Service => "事業",
            ResourceKind::Facility => "施設",
            ResourceKind::Consultation => "相談",
            ResourceKind::Council => "協議会",
            ResourceKind::Subsidy => "補助",
            ResourceKind::Information => "情報",
            ResourceKind::Organization => "法人",
        }
    }

    /// The id as written in the data file.
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Service => "service",
            ResourceKind::Facility => "facility",
            ResourceKind::Consultation => "consultation",
            ResourceKind::Council => "council",
            ResourceKind::Subsidy => "subsidy",
            ResourceKind::Information => "information",
            ResourceKind::Organization => "organization",
        }
    }
}

/// Whether a resource can be used now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Running.
    Active,
    /// Announced, not yet running.
    Planned,
    /// 試行.
    Trial,
    /// 休止.
    Paused,
    /// 終了.
    Ended,
    /// No longer in the open data: every designation of the office left a release of the
    /// public data (閉鎖・休止・移転 or a new 事業所番号; the data does not say which). The
    /// record stays so that its id keeps resolving (a saved slip, a link), with its last known
    /// contact; search and `list` leave it out (see [`Resource::is_listed`]).
    Closed,
}

impl Status {
    /// Japanese label.
    pub fn label(self) -> &'static str {
        match self {
            Status::Active => "実施中",
            Status::Planned => "予定・検討中",
            Status::Trial => "試行",
            Status::Paused => "休止",
            Status::Ended => "終了",
            Status::Closed => "掲載終了",
        }
    }

    /// The id as written in the data file.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Planned => "planned",
            Status::Trial => "trial",
            Status::Paused => "paused",
            Status::Ended => "ended",
            Status::Closed => "closed",
        }
    }
}

/// How to reach a resource. Only what a source gives; never invented.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// The responsible department.
    #[serde(default)]
    pub department: Option<String>,
    /// Phone number, only if a source gives it.
    #[serde(default)]
    pub phone: Option<String>,
    /// Fax number, only if a source gives it.
    #[serde(default)]
    pub fax: Option<String>,
    /// Address, only if a source gives it.
    #[serde(default)]
    pub address: Option<String>,
    /// Web page, only if a source gives it.
    #[serde(default)]
    pub url: Option<String>,
    /// Anything else about reaching it — and the record's note on where a fact comes from:
    /// a fact no cited section states is written here after [`PUBLIC_FACT`] (the fact
    /// itself, e.g. a department known from the public record), and a name no cited section
    /// writes (an official full name kept as an alias so it is found) after [`PUBLIC_NAME`]
    /// in 「」 (see [`Contact::public_names`]).
    #[serde(default)]
    pub note: Option<String>,
}

/// The mark in a contact note before a fact that comes from outside the cited documents.
pub const PUBLIC_FACT: &str = "資料外の公開情報";

/// The mark in a contact note before the names (each in 「」) that come from outside the
/// cited documents: aliases that add words the source does not write.
pub const PUBLIC_NAME: &str = "資料外の公開名称";

/// The start of the part of a contact note (parts are joined by ` / `) that lists, after one
/// space, the phones of other open-data rows of the same office (`別の行の電話 A、B`).
pub const OTHER_PHONES: &str = "別の行の電話";

impl Contact {
    /// The phone number, when a source gives one (a blank one is none). Every "has a phone"
    /// question — the 電話あり filter, the index, the detail's first line — asks this.
    pub fn phone_number(&self) -> Option<&str> {
        self.phone
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
    }

    /// The names the note marks as public names from outside the cited documents: each
    /// 「…」 after [`PUBLIC_NAME`], up to the end of that sentence (。).
    pub fn public_names(&self) -> Vec<&str> {
        let Some(note) = self.note.as_deref() else {
            return Vec::new();
        };
        note.match_indices(PUBLIC_NAME)
            .flat_map(|(at, mark)| {
                let rest = &note[at + mark.len()..];
                let sentence = rest.split('。').next().unwrap_or(rest);
                sentence
                    .split('「')
                    .skip(1)
                    .filter_map(|q| q.split_once('」').map(|(name, _)| name))
            })
            .collect()
    }
}

/// A number with its date (登録者 27人, 2024-09).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// What is counted.
    pub label: String,
    /// The value as written.
    pub value: String,
    /// When it was counted.
    #[serde(default)]
    pub as_of: Option<String>,
}

/// Where a fact comes from.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    /// One of `source_documents[].file`.
    pub file: String,
    /// Where in that document.
    pub section: String,
    /// The document's date.
    pub date: String,
}

/// One service, facility, office or council.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// Stable ASCII slug.
    pub id: String,
    /// Name as the source writes it.
    pub name: String,
    /// Hiragana reading of the name.
    #[serde(default)]
    pub kana: Option<String>,
    /// Other names and corrected spellings.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// What kind of thing it is.
    pub kind: ResourceKind,
    /// One line.
    pub summary: String,
    /// What it does.
    #[serde(default)]
    pub description: Option<String>,
    /// 運営事業者・法人.
    #[serde(default)]
    pub provider: Option<String>,
    /// 所管の課.
    #[serde(default)]
    pub administered_by: Option<String>,
    /// Where it is.
    #[serde(default)]
    pub located_in: Option<String>,
    /// Whose residents can use it.
    pub service_areas: Vec<String>,
    /// Need ids.
    #[serde(default)]
    pub needs: Vec<String>,
    /// Care type ids.
    #[serde(default)]
    pub care_types: Vec<String>,
    /// Life stage ids.
    #[serde(default)]
    pub life_stages: Vec<String>,
    /// Audience ids.
    #[serde(default)]
    pub audiences: Vec<String>,
    /// 対象・利用条件.
    #[serde(default)]
    pub eligibility: Option<String>,
    /// 定員.
    #[serde(default)]
    pub capacity: Option<String>,
    /// 開所時間.
    #[serde(default)]
    pub hours: Option<String>,
    /// 費用.
    #[serde(default)]
    pub fees: Option<String>,
    /// 申込方法.
    #[serde(default)]
    pub how_to_apply: Option<String>,
    /// 連絡先.
    #[serde(default)]
    pub contact: Contact,
    /// Where it is on the map, where a source gives coordinates (open data).
    #[serde(default)]
    pub location: Option<GeoPoint>,
    /// 事業所番号: the numbers under which it is designated (open data), ascending.
    #[serde(default)]
    pub office_numbers: Vec<String>,
    /// The service types it is designated for (open data), each with its 事業所番号 and 定員.
    #[serde(default)]
    pub designations: Vec<Designation>,
    /// Designations an earlier release of the open data had and a later one no longer has,
    /// each with the release it left in ([`Designation::closed_in`]) and, when it continues
    /// under a new 事業所番号, the record that holds it ([`Designation::successor`]). A record
    /// with these and no `designations` is [`Status::Closed`].
    #[serde(default)]
    pub former_designations: Vec<Designation>,
    /// Ids this office had in an earlier release's layer (its records were regrouped, or its
    /// smallest 事業所番号 left): each still resolves to this record.
    #[serde(default)]
    pub former_ids: Vec<String>,
    /// Opening hours per day type, as the source writes them.
    #[serde(default)]
    pub hours_by_day: Option<HoursByDay>,
    /// 定休日, as written.
    #[serde(default)]
    pub closed_days: Option<String>,
    /// 利用可能曜日特記事項（留意事項）: notes on the days and hours, as written.
    #[serde(default)]
    pub hours_note: Option<String>,
    /// Reading of `provider` (法人の名称_かな).
    #[serde(default)]
    pub provider_kana: Option<String>,
    /// Whether it runs now.
    pub status: Status,
    /// 開始・開設, as written.
    #[serde(default)]
    pub since: Option<String>,
    /// Numbers with dates.
    #[serde(default)]
    pub figures: Vec<Figure>,
    /// Where the facts come from.
    pub sources: Vec<SourceRef>,
    /// Date of the newest source that states it.
    #[serde(default)]
    pub verified_as_of: Option<String>,
    /// Related resource ids.
    #[serde(default)]
    pub related: Vec<String>,
}

/// One designation of an office (指定): a service type with its 事業所番号 and 定員.
///
/// Every field is always serialized (postcard in the search cache cannot skip fields).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Designation {
    /// サービス種別 as written (療養介護).
    pub service_type: String,
    /// Its code (11–70: the `NN` of `csvdownload0NN.csv`) when known.
    #[serde(default)]
    pub code: Option<u8>,
    /// 事業所番号 of this designation (10 digits).
    pub office_number: String,
    /// 定員 of this designation.
    #[serde(default)]
    pub capacity: Option<u32>,
    /// The release of the file that states it (`2026-03`, or `2024-04以前` for a file known
    /// only by when it was published): each designation keeps its own file's date.
    #[serde(default)]
    pub as_of: Option<String>,
    /// The release in which it first appeared, when ikenavi has seen a release without it
    /// (`import wamnet --previous`); `None` when it was already in the oldest release compared.
    #[serde(default)]
    pub first_seen: Option<String>,
    /// The first release that no longer has it (only in
    /// [`Resource::former_designations`]); `as_of` is then the last release that had it.
    #[serde(default)]
    pub closed_in: Option<String>,
    /// The id of the record that continues it under a new 事業所番号 (番号変更), when the
    /// release that lost it has the same place under another number.
    #[serde(default)]
    pub successor: Option<String>,
}

/// Opening hours per day type, each as written (`09:00-18:00`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoursByDay {
    /// 平日.
    #[serde(default)]
    pub weekday: Option<String>,
    /// 土曜.
    #[serde(default)]
    pub saturday: Option<String>,
    /// 日曜.
    #[serde(default)]
    pub sunday: Option<String>,
    /// 祝日.
    #[serde(default)]
    pub holiday: Option<String>,
}

impl Resource {
    /// Whether search and `list` show it: every record but a [`Status::Closed`] one, which
    /// only resolves by id (`show`, a saved shortlist, a link).
    pub fn is_listed(&self) -> bool {
        self.status != Status::Closed
    }

    /// The release whose open data no longer has a closed record (the newest `closed_in` of its
    /// former designations); `None` for a record that is not closed.
    pub fn closed_in(&self) -> Option<&str> {
        if self.status != Status::Closed {
            return None;
        }
        newest(
            self.former_designations
                .iter()
                .filter_map(|d| d.closed_in.as_deref()),
        )
    }

    /// The release in which the office first appeared in the open data, when every one of its
    /// designations says so (the oldest of them); `None` when one was already in the oldest
    /// release compared.
    pub fn first_seen(&self) -> Option<&str> {
        let seen: Option<Vec<&str>> = self
            .designations
            .iter()
            .map(|d| d.first_seen.as_deref())
            .collect();
        let seen = seen?;
        seen.iter()
            .copied()
            .min_by_key(|d| super::validate::date_order(d))
    }
}

/// The newest of some release dates (`2024-04以前` before `2024-04`).
fn newest<'a>(dates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    dates.max_by_key(|d| super::validate::date_order(d))
}
