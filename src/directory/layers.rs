//! A directory made of layers: the bundled gazetteer, vocabulary and curated records, then any
//! number of user files, merged in that order.
//!
//! Each layer is validated on its own against what the layers below it define (see
//! [`super::validate::parse_layer`]), so a user file may hold only resources and refer to the
//! bundled areas and taxonomy. The rules of the union:
//! - **resources**: an id may be defined once; the same id in two layers is an error reported
//!   at the second file's line:col and naming the first file;
//! - **areas**: a layer may restate an area (an old full directory file does) when it is the
//!   same area — same name, level and parent; its aliases are added. A different area under an
//!   existing id is an error naming both files;
//! - **taxonomy terms and glossary entries**: restating one adds its aliases (a different
//!   label becomes an alias, the first layer's label is kept); new ones are added;
//! - **source documents**: the same file name must describe the same document;
//! - **service types**: restating a code adds its aliases (the first layer's line and article
//!   are kept: they are checked against the law); new codes are added.
//!
//! Every record keeps its layer ([`Catalog::layer_of`](super::Catalog::layer_of)): the detail
//! and `show` say where it came from.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::model::*;

/// A data file's validated contents, before it is merged with the layers below it.
#[derive(Debug, Clone, Default)]
pub struct Layer {
    /// Human title of the file.
    pub title: Option<String>,
    /// Its newest source date.
    pub as_of: Option<String>,
    /// Who compiled it and from what.
    pub publisher: Option<String>,
    /// Documents its records cite.
    pub source_documents: Vec<SourceDocument>,
    /// Areas it adds or restates.
    pub areas: Vec<Area>,
    /// Taxonomy terms it adds or restates.
    pub taxonomy: Taxonomy,
    /// Glossary entries it adds or restates.
    pub glossary: Vec<GlossaryEntry>,
    /// Service types it adds or restates.
    pub service_types: Vec<ServiceTypeDef>,
    /// Its records.
    pub resources: Vec<Resource>,
}

/// Where a layer came from, kept with the loaded directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerInfo {
    /// The file name as shown in messages (`data/curated.json`, or the user's path).
    pub name: String,
    /// The file's title, if it has one.
    pub title: Option<String>,
    /// Whether it is bundled in the binary.
    pub bundled: bool,
    /// How many records it contributed.
    pub records: usize,
}

/// The union of the layers merged so far, with the lookups validation needs.
#[derive(Debug, Clone)]
pub struct Stack {
    dir: Directory,
    layers: Vec<LayerInfo>,
    area_ix: HashMap<String, (usize, usize)>,
    term_ix: [HashMap<String, usize>; 4],
    doc_ix: HashMap<String, (usize, usize)>,
    glossary_ix: HashMap<String, usize>,
    resource_layer: HashMap<String, usize>,
}

impl Default for Stack {
    fn default() -> Self {
        Stack {
            dir: Directory {
                schema_version: super::validate::SCHEMA_VERSION,
                title: String::new(),
                as_of: String::new(),
                publisher: None,
                source_documents: Vec::new(),
                areas: Vec::new(),
                taxonomy: Taxonomy::default(),
                glossary: Vec::new(),
                service_types: Vec::new(),
                resources: Vec::new(),
            },
            layers: Vec::new(),
            area_ix: HashMap::new(),
            term_ix: Default::default(),
            doc_ix: HashMap::new(),
            glossary_ix: HashMap::new(),
            resource_layer: HashMap::new(),
        }
    }
}

/// Which taxonomy list, in the order of [`Taxonomy::lists`].
pub const TERM_LISTS: [&str; 4] = ["care_types", "needs", "life_stages", "audiences"];

impl Stack {
    /// The area with this id in a lower layer, with the name of the file that defined it.
    pub fn area(&self, id: &str) -> Option<(&Area, &str)> {
        self.area_ix
            .get(id)
            .map(|&(i, l)| (&self.dir.areas[i], self.layers[l].name.as_str()))
    }

    /// How many areas the lower layers define.
    pub fn area_count(&self) -> usize {
        self.dir.areas.len()
    }

    /// Whether a lower layer defines a term with this id in list `list` (see [`TERM_LISTS`]).
    pub fn has_term(&self, list: usize, id: &str) -> bool {
        self.term_ix[list].contains_key(id)
    }

    /// The source document with this file name in a lower layer, and the layer's name.
    pub fn source_document(&self, file: &str) -> Option<(&SourceDocument, &str)> {
        self.doc_ix
            .get(file)
            .map(|&(i, l)| (&self.dir.source_documents[i], self.layers[l].name.as_str()))
    }

    /// The name of the lower layer that defines a resource with this id.
    pub fn resource_layer(&self, id: &str) -> Option<&str> {
        self.resource_layer
            .get(id)
            .map(|&l| self.layers[l].name.as_str())
    }

    /// Adds a validated layer on top.
    pub fn push(&mut self, layer: Layer, name: &str, bundled: bool) {
        let l = self.layers.len();
        self.layers.push(LayerInfo {
            name: name.to_string(),
            title: layer.title.clone(),
            bundled,
            records: layer.resources.len(),
        });
        let d = &mut self.dir;
        if d.title.is_empty()
            && let Some(t) = &layer.title
        {
            d.title = t.clone();
        }
        if let Some(a) = layer.as_of
            && a > d.as_of
        {
            d.as_of = a;
        }
        if d.publisher.is_none() {
            d.publisher = layer.publisher;
        }
        for doc in layer.source_documents {
            if !self.doc_ix.contains_key(&doc.file) {
                self.doc_ix
                    .insert(doc.file.clone(), (d.source_documents.len(), l));
                d.source_documents.push(doc);
            }
        }
        for area in layer.areas {
            match self.area_ix.get(&area.id) {
                Some(&(i, _)) => merge_area(&mut d.areas[i], area),
                None => {
                    self.area_ix.insert(area.id.clone(), (d.areas.len(), l));
                    d.areas.push(area);
                }
            }
        }
        for (k, terms) in layer.taxonomy.into_lists().into_iter().enumerate() {
            let list = d.taxonomy.list_mut(k);
            for term in terms {
                match self.term_ix[k].get(&term.id) {
                    Some(&i) => merge_term(&mut list[i], term),
                    None => {
                        self.term_ix[k].insert(term.id.clone(), list.len());
                        list.push(term);
                    }
                }
            }
        }
        for entry in layer.glossary {
            match self.glossary_ix.get(&entry.term) {
                Some(&i) => {
                    let g = &mut d.glossary[i];
                    add_aliases(&mut g.aliases, entry.aliases);
                    add_aliases(&mut g.needs, entry.needs);
                    add_aliases(&mut g.care_types, entry.care_types);
                }
                None => {
                    self.glossary_ix
                        .insert(entry.term.clone(), d.glossary.len());
                    d.glossary.push(entry);
                }
            }
        }
        for t in layer.service_types {
            match d.service_types.iter_mut().find(|s| s.code == t.code) {
                Some(s) => add_aliases(&mut s.aliases, t.aliases),
                None => d.service_types.push(t),
            }
        }
        for r in layer.resources {
            self.resource_layer.insert(r.id.clone(), l);
            d.resources.push(r);
        }
    }

    /// Adds a validated layer whose records were handed elsewhere (see
    /// [`super::validate::parse_layer_streaming`]): only their ids are kept, so that the layers
    /// above cannot define them again, and the layer counts them.
    pub fn push_streamed(&mut self, layer: Layer, ids: Vec<String>, name: &str, bundled: bool) {
        let l = self.layers.len();
        let records = ids.len();
        self.push(layer, name, bundled);
        self.layers[l].records = records;
        for id in ids {
            self.resource_layer.insert(id, l);
        }
    }

    /// The merged directory and its layers.
    pub fn finish(self) -> (Directory, Vec<LayerInfo>) {
        (self.dir, self.layers)
    }
}

fn add_aliases(into: &mut Vec<String>, more: Vec<String>) {
    for a in more {
        if !into.contains(&a) {
            into.push(a);
        }
    }
}

fn merge_area(into: &mut Area, other: Area) {
    add_aliases(&mut into.aliases, other.aliases);
    if into.note.is_none() {
        into.note = other.note;
    }
}

fn merge_term(into: &mut Term, other: Term) {
    let mut more = other.aliases;
    if other.label != into.label {
        more.insert(0, other.label);
    }
    add_aliases(&mut into.aliases, more);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(id: &str, name: &str, aliases: &[&str]) -> Area {
        Area {
            id: id.into(),
            name: name.into(),
            kana: String::new(),
            level: AreaLevel::Municipality,
            parent: Some("13".into()),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            note: None,
            code: None,
            location: None,
            url: None,
            main_window: None,
        }
    }

    #[test]
    fn restated_areas_and_terms_add_aliases_and_records_keep_their_layer() {
        let mut s = Stack::default();
        s.push(
            Layer {
                areas: vec![area("13109", "品川区", &["品川"])],
                ..Layer::default()
            },
            "base.json",
            true,
        );
        let mut t = Taxonomy::default();
        t.needs.push(Term {
            id: "short-stay".into(),
            label: "短期入所".into(),
            kana: String::new(),
            aliases: vec![],
        });
        s.push(
            Layer {
                areas: vec![area("13109", "品川区", &["しながわ"])],
                taxonomy: t.clone(),
                ..Layer::default()
            },
            "user.json",
            false,
        );
        t.needs[0].label = "ショートステイ".into();
        s.push(
            Layer {
                taxonomy: t,
                ..Layer::default()
            },
            "more.json",
            false,
        );
        assert_eq!(s.area("13109").unwrap().1, "base.json");
        let (dir, layers) = s.finish();
        assert_eq!(dir.areas.len(), 1);
        assert_eq!(dir.areas[0].aliases, ["品川", "しながわ"]);
        assert_eq!(dir.taxonomy.needs[0].label, "短期入所");
        assert_eq!(dir.taxonomy.needs[0].aliases, ["ショートステイ"]);
        assert_eq!(layers.len(), 3);
    }
}
