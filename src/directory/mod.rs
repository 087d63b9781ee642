//! The directory: its model, loading and validation, the areas tree, and [`Catalog`] — a
//! loaded directory with the lookups the search, CLI and UI need (ids, names, readings).

pub mod areas;
pub mod load;
pub mod locate;
pub mod model;
pub mod resolve;
pub mod validate;

use std::collections::HashMap;

pub use areas::{AreaIdx, AreaTree};
pub use load::{DataSource, LoadError};
pub use model::*;
pub use resolve::{Resolved, UnknownName};
pub use validate::{Problem, ValidationErrors, parse_directory};

/// A validated directory plus derived lookups. Immutable once built.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// The directory as loaded.
    pub dir: Directory,
    /// The gazetteer as a tree.
    pub areas: AreaTree,
    by_id: HashMap<String, usize>,
}

/// Which taxonomy list a term belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facet {
    /// 医療的ケアの種類.
    CareType,
    /// ニーズ.
    Need,
}

impl Facet {
    /// Japanese label.
    pub fn label(self) -> &'static str {
        match self {
            Facet::CareType => "ケア",
            Facet::Need => "ニーズ",
        }
    }
}

impl Catalog {
    /// Builds the lookups of a validated directory.
    pub fn new(dir: Directory) -> Self {
        let areas = AreaTree::new(&dir.areas);
        let by_id = dir
            .resources
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        Catalog { dir, areas, by_id }
    }

    /// All resources, in file order.
    pub fn resources(&self) -> &[Resource] {
        &self.dir.resources
    }

    /// The resource with this id.
    pub fn resource(&self, id: &str) -> Option<&Resource> {
        self.by_id.get(id).map(|&i| &self.dir.resources[i])
    }

    /// Position of a resource in [`Catalog::resources`].
    pub fn resource_index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The terms of a facet.
    pub fn terms(&self, facet: Facet) -> &[Term] {
        match facet {
            Facet::CareType => &self.dir.taxonomy.care_types,
            Facet::Need => &self.dir.taxonomy.needs,
        }
    }

    /// The term with this id in a facet.
    pub fn term(&self, facet: Facet, id: &str) -> Option<&Term> {
        self.terms(facet).iter().find(|t| t.id == id)
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

    /// The source document a record cites.
    pub fn source_document(&self, file: &str) -> Option<&SourceDocument> {
        self.dir.source_documents.iter().find(|d| d.file == file)
    }

    /// Resources usable by someone living in `area` (all when `None`) that have every given
    /// care type and need, in file order.
    pub fn filter(
        &self,
        area: Option<AreaIdx>,
        care_types: &[String],
        needs: &[String],
    ) -> Vec<&Resource> {
        self.dir
            .resources
            .iter()
            .filter(|r| area.is_none_or(|a| self.areas.serves(&r.service_areas, a)))
            .filter(|r| care_types.iter().all(|c| r.care_types.contains(c)))
            .filter(|r| needs.iter().all(|n| r.needs.contains(n)))
            .collect()
    }
}
