//! The directory: its model, loading and validation, the areas tree, and [`Catalog`] — a
//! loaded directory with the lookups the search, CLI and UI need (ids, names, readings).

pub mod address;
pub mod areas;
pub mod codes;
pub mod filters;
pub mod layers;
pub mod lazy;
pub mod links;
pub mod load;
pub mod locate;
pub mod model;
pub mod resolve;
pub mod validate;
pub mod values;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

pub use areas::{AreaIdx, AreaTree};
pub use filters::{
    CareAnswer, DEFAULT_WITHIN_KM, FilterError, FilterNames, Filters, care_answer, care_unstated,
};
pub use layers::LayerInfo;
pub use lazy::LazyRecords;
pub use load::{DataSource, LoadError};
pub use model::*;
pub use resolve::{AmbiguousName, AreaNameError, Resolved, UnknownName};
pub use validate::{Problem, ValidationErrors, parse_directory, parse_layer};

/// A validated directory plus derived lookups. Immutable once built.
///
/// Records are either held in memory (`Catalog::new`) or, for a large directory opened from
/// the on-disk cache, decoded one by one on first use (`Catalog::lazy`), so a warm start of
/// 100k records does not decode them all. Use [`Catalog::record`] and [`Catalog::len`] on hot
/// paths; [`Catalog::resources`] decodes everything.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// The directory as loaded (in lazy mode `dir.resources` is empty).
    pub dir: Directory,
    /// The gazetteer as a tree.
    pub areas: AreaTree,
    /// The layers the directory was merged from, bottom first; their records are in this
    /// order (see [`Catalog::layer_of`]).
    pub layers: Vec<LayerInfo>,
    by_id: OnceLock<HashMap<String, usize>>,
    lazy: Option<Arc<LazyRecords>>,
    moved: BTreeMap<String, String>,
    former: BTreeMap<String, String>,
}

/// Which taxonomy list a term belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Facet {
    /// 医療的ケアの種類.
    CareType,
    /// ニーズ.
    Need,
}

impl Catalog {
    /// Builds the lookups of a validated directory of one unnamed layer.
    pub fn new(dir: Directory) -> Self {
        let layers = vec![LayerInfo {
            name: String::new(),
            title: Some(dir.title.clone()),
            bundled: false,
            records: dir.resources.len(),
        }];
        Catalog::layered(dir, layers)
    }

    /// Builds the lookups of a directory merged from `layers` (see [`layers::Stack`]).
    pub fn layered(dir: Directory, layers: Vec<LayerInfo>) -> Self {
        let areas = AreaTree::new(&dir.areas);
        Catalog {
            dir,
            areas,
            layers,
            by_id: OnceLock::new(),
            lazy: None,
            moved: BTreeMap::new(),
            former: BTreeMap::new(),
        }
    }

    /// A catalog whose records are decoded on demand (`header.resources` is ignored).
    pub fn lazy(mut header: Directory, layers: Vec<LayerInfo>, records: LazyRecords) -> Self {
        header.resources = Vec::new();
        let areas = AreaTree::new(&header.areas);
        Catalog {
            dir: header,
            areas,
            layers,
            by_id: OnceLock::new(),
            lazy: Some(Arc::new(records)),
            moved: BTreeMap::new(),
            former: BTreeMap::new(),
        }
    }

    /// The same catalog where the ids in `moved` (an office merged into a curated record, see
    /// [`links`]) resolve to the record they were merged into.
    pub fn with_moved_ids(mut self, moved: BTreeMap<String, String>) -> Self {
        self.moved = moved;
        self
    }

    /// Ids of records merged into another one (see [`links`]): old id → the record's id.
    pub fn moved_ids(&self) -> &BTreeMap<String, String> {
        &self.moved
    }

    /// The same catalog where the ids an earlier release gave an office ([`Resource::former_ids`];
    /// see [`links::former_targets`]) resolve to the record that continues it.
    pub fn with_former_ids(mut self, former: BTreeMap<String, String>) -> Self {
        self.former = former;
        self
    }

    /// Ids of an earlier release that now resolve to another record: old id → its id.
    pub fn former_ids(&self) -> &BTreeMap<String, String> {
        &self.former
    }

    /// The layer a record (by position) came from.
    pub fn layer_of(&self, idx: usize) -> Option<&LayerInfo> {
        let mut end = 0;
        self.layers.iter().find(|l| {
            end += l.records;
            idx < end
        })
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        match &self.lazy {
            Some(l) => l.len(),
            None => self.dir.resources.len(),
        }
    }

    /// Whether the directory has no records.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The record at a position (`0..len()`); decodes it on first use in lazy mode.
    ///
    /// # Panics
    /// If `idx >= len()`, like slice indexing.
    pub fn record(&self, idx: usize) -> &Resource {
        match &self.lazy {
            Some(l) => l.record(idx),
            None => &self.dir.resources[idx],
        }
    }

    /// All resources, in file order (decodes every record in lazy mode).
    pub fn resources(&self) -> &[Resource] {
        match &self.lazy {
            Some(l) => l.all(),
            None => &self.dir.resources,
        }
    }

    fn ids(&self) -> &HashMap<String, usize> {
        self.by_id.get_or_init(|| match &self.lazy {
            Some(l) => (0..l.len()).map(|i| (l.id(i).to_string(), i)).collect(),
            None => self
                .dir
                .resources
                .iter()
                .enumerate()
                .map(|(i, r)| (r.id.clone(), i))
                .collect(),
        })
    }

    /// The resource with this id.
    pub fn resource(&self, id: &str) -> Option<&Resource> {
        self.resource_index(id).map(|i| self.record(i))
    }

    /// Position of a resource (see [`Catalog::record`]). The id of an office merged into a
    /// curated record (see [`links`]) gives the curated record; an id an earlier release gave
    /// an office ([`Catalog::former_ids`]), the record that continues it.
    pub fn resource_index(&self, id: &str) -> Option<usize> {
        let ids = self.ids();
        ids.get(id)
            .or_else(|| self.moved.get(id).and_then(|to| ids.get(to)))
            .or_else(|| self.former.get(id).and_then(|to| ids.get(to)))
            .copied()
    }

    /// The terms of a facet.
    pub fn terms(&self, facet: Facet) -> &[Term] {
        match facet {
            Facet::CareType => &self.dir.taxonomy.care_types,
            Facet::Need => &self.dir.taxonomy.needs,
        }
    }

    /// Label of a taxonomy id in any list (for display); the id itself if unknown.
    pub fn label_of<'a>(&'a self, id: &'a str) -> &'a str {
        let t = &self.dir.taxonomy;
        [&t.care_types, &t.needs, &t.life_stages, &t.audiences]
            .into_iter()
            .flat_map(|l| l.iter())
            .find(|term| term.id == id)
            .map_or(id, |term| term.label.as_str())
    }

    /// Display name of an area id; the id itself if unknown.
    pub fn area_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.areas.get(id).map_or(id, |a| a.name.as_str())
    }

    /// The name of an area to show a clerk: with its prefecture when another municipality has
    /// the same name (東京都府中市, see [`AreaTree::display_name`]); the id itself if unknown.
    pub fn area_label(&self, id: &str) -> String {
        self.areas
            .index_of(id)
            .map_or_else(|| id.to_string(), |i| self.areas.display_name(i))
    }

    /// The service type of a サービス種別 code, with its plain line and article.
    pub fn service_type(&self, code: u8) -> Option<&ServiceTypeDef> {
        self.dir.service_types.iter().find(|t| t.code == code)
    }

    /// The service types a record is designated for that the directory defines, each once,
    /// those of `asked` (codes the enquiry named) first, then in the record's order.
    pub fn service_types_of(&self, r: &Resource, asked: &[u8]) -> Vec<&ServiceTypeDef> {
        let mut codes: Vec<u8> = Vec::new();
        let held: Vec<u8> = r.designations.iter().filter_map(|d| d.code).collect();
        for c in asked.iter().filter(|c| held.contains(c)).chain(&held) {
            if !codes.contains(c) {
                codes.push(*c);
            }
        }
        codes
            .into_iter()
            .filter_map(|c| self.service_type(c))
            .collect()
    }

    /// The source document a record cites.
    pub fn source_document(&self, file: &str) -> Option<&SourceDocument> {
        self.dir.source_documents.iter().find(|d| d.file == file)
    }

    /// Where an area's office is (a prefecture's or region's own location, if it has one). A
    /// ward the open data of offices does not list yet (浜松市中央区, created in 2024) is
    /// measured from its city's office.
    pub fn area_point(&self, area: AreaIdx) -> Option<GeoPoint> {
        let a = self.areas.at(area);
        match (a.location, a.level) {
            (Some(p), _) => Some(p),
            (None, AreaLevel::Ward) => self.areas.at(self.areas.parent(area)?).location,
            (None, _) => None,
        }
    }

    /// How far a record with coordinates is from an area's office, km.
    pub fn distance_km(&self, r: &Resource, area: AreaIdx) -> Option<f64> {
        Some(r.location?.distance_km(&self.area_point(area)?))
    }

    /// Listed resources ([`Resource::is_listed`]: not closed) that pass every filter (usable
    /// by someone living in the area or within reach of it, with every care type and need — or
    /// an office whose care is 要確認, see [`filters`] — with a phone if asked), in file order;
    /// with care types asked, those whose data states them first.
    pub fn filter(&self, filters: &Filters) -> Vec<&Resource> {
        let mut out: Vec<&Resource> = self
            .resources()
            .iter()
            .filter(|r| r.is_listed() && filters.admits(self, r))
            .collect();
        if !filters.care_types.is_empty() {
            // Stable: each tier keeps file order.
            out.sort_by_key(|r| care_answer(r, &filters.care_types));
        }
        out
    }
}
