//! What the loaded open data covers (issue 24): for each designated service type (サービス
//! 種別), how many offices the loaded layers hold and in which prefectures — computed from the
//! records themselves (each designation's code × the prefecture of the record's `located_in`,
//! read from the index's fast fields: ~1 ms, where decoding every record would take ~0.4 s),
//! never from a list written here; and the types of [`super::services`] no loaded record is
//! designated for. `ikenavi doctor` and the help show it; a thin result gets one line of it.
//!
//! A result is *thin* when every hit is shown (a short list, nothing more to scroll to) and a
//! service type the words ask for — named (放デイ, 短期入所), or through a need its offices are
//! tagged with (相談支援 → 相談・コーディネート) — has offices in the loaded data, but none in
//! the prefecture of the search's area: then 「5件」 is what the data holds, not what the city
//! has, and the line says where the data has them (「北海道の地域移行支援の事業所はこのデータに
//! ありません（公開データは東京都・山口県のみ）」). A type the data holds nowhere is not guessed
//! about (the help and doctor list those).

use std::collections::{BTreeMap, BTreeSet};

use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Occur, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Term};

use super::index::PREFECTURE;
use super::query::Understood;
use super::vocab::Meaning;
use super::{SearchEngine, SearchError, services};
use crate::directory::{AreaIdx, AreaLevel, Catalog, Facet};

/// One designated service type in the loaded data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeCoverage {
    /// サービス種別 code.
    pub code: u8,
    /// How many records are designated for it.
    pub offices: usize,
    /// The prefectures their `located_in` lies in, in gazetteer order.
    pub prefectures: Vec<AreaIdx>,
}

impl TypeCoverage {
    /// Its official name (療養介護).
    pub fn name(&self) -> &'static str {
        services::official_name(self.code).unwrap_or("指定サービス")
    }
}

/// What the loaded data covers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    /// The types some record is designated for, by code.
    pub types: Vec<TypeCoverage>,
    /// The types of [`services`] no record is designated for (codes).
    pub missing: Vec<u8>,
    /// How many prefectures the gazetteer has.
    pub prefectures: usize,
}

/// Up to this many prefectures are named; more are counted.
const NAMED_PREFECTURES: usize = 4;

impl Coverage {
    /// Reads every record's designated types and prefecture from the index.
    fn read(engine: &SearchEngine, catalog: &Catalog) -> tantivy::Result<Coverage> {
        let searcher = engine.index.reader.searcher();
        let mut offices: BTreeMap<u8, usize> = BTreeMap::new();
        let mut prefs: BTreeMap<u8, BTreeSet<AreaIdx>> = BTreeMap::new();
        for seg in searcher.segment_readers() {
            let fast = seg.fast_fields();
            let (masks, pref) = (fast.u64("services")?, fast.u64(PREFECTURE)?);
            let alive = seg.alive_bitset();
            for doc in 0..seg.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(doc as DocId)) {
                    continue;
                }
                let mask = masks.first(doc).unwrap_or(0);
                if mask == 0 {
                    continue;
                }
                let p = pref.first(doc).unwrap_or(0);
                for code in services::codes(mask) {
                    *offices.entry(code).or_default() += 1;
                    if let Some(p) = usize::try_from(p).ok().and_then(|p| p.checked_sub(1)) {
                        prefs.entry(code).or_default().insert(p);
                    }
                }
            }
        }
        let types: Vec<TypeCoverage> = offices
            .into_iter()
            .map(|(code, offices)| TypeCoverage {
                code,
                offices,
                prefectures: prefs
                    .remove(&code)
                    .unwrap_or_default()
                    .into_iter()
                    .collect(),
            })
            .collect();
        let missing = services::known_codes()
            .filter(|c| !types.iter().any(|t| t.code == *c))
            .collect();
        let prefectures = catalog
            .areas
            .areas()
            .iter()
            .filter(|a| a.level == AreaLevel::Prefecture)
            .count();
        Ok(Coverage {
            types,
            missing,
            prefectures,
        })
    }

    /// Where a type's offices are: 全国（47都道府県）, the prefectures by name when few, or how
    /// many.
    fn where_(&self, catalog: &Catalog, t: &TypeCoverage) -> String {
        let n = t.prefectures.len();
        if n == self.prefectures && n > 0 {
            return format!("全国（{n}都道府県）");
        }
        if n <= NAMED_PREFECTURES {
            let names: Vec<&str> = t
                .prefectures
                .iter()
                .map(|&p| catalog.areas.at(p).name.as_str())
                .collect();
            return format!("{}のみ", names.join("・"));
        }
        format!("{n}都道府県")
    }

    /// One line per type the data holds (「放課後等デイサービス 24887か所・全国（47都道府県）」),
    /// then one naming the types it holds none of. For `doctor` and the help.
    pub fn lines(&self, catalog: &Catalog) -> Vec<String> {
        let mut out: Vec<String> = self
            .types
            .iter()
            .map(|t| {
                format!(
                    "{} {}か所・{}",
                    t.name(),
                    t.offices,
                    self.where_(catalog, t)
                )
            })
            .collect();
        if !self.missing.is_empty() && !self.types.is_empty() {
            let names: Vec<&str> = self
                .missing
                .iter()
                .filter_map(|&c| services::official_name(c))
                .collect();
            out.push(format!("入っていない種別: {}", names.join("・")));
        }
        out
    }
}

impl SearchEngine {
    /// What the loaded open data covers (see the module doc).
    pub fn coverage(&self, catalog: &Catalog) -> Result<Coverage, SearchError> {
        Ok(Coverage::read(self, catalog)?)
    }

    /// The line under a thin result (see the module doc) in `area`, when a type the words
    /// `u` ask for has offices in the data but none in the area's prefecture.
    pub fn coverage_gap(
        &self,
        catalog: &Catalog,
        coverage: &Coverage,
        area: AreaIdx,
        u: &Understood,
    ) -> Result<Option<String>, SearchError> {
        let Some(pref) = catalog.areas.prefecture_of(area) else {
            return Ok(None);
        };
        let mut gaps: Vec<&TypeCoverage> = Vec::new();
        for t in &coverage.types {
            if t.prefectures.is_empty() || t.prefectures.contains(&pref) {
                continue;
            }
            if self.asks_for(t.code, u)? {
                gaps.push(t);
            }
        }
        let Some(first) = gaps.first() else {
            return Ok(None);
        };
        let names: Vec<&str> = gaps.iter().map(|t| t.name()).collect();
        Ok(Some(format!(
            "{}の{}の事業所はこのデータにありません（公開データは{}）",
            catalog.areas.at(pref).name,
            names.join("・"),
            coverage.where_(catalog, first),
        )))
    }

    /// Whether the words ask for type `code`: they name it, or a need most offices of the type
    /// are tagged with (相談支援 → 相談・コーディネート → 地域相談支援).
    fn asks_for(&self, code: u8, u: &Understood) -> Result<bool, SearchError> {
        if services::codes(u.service_types).any(|c| c == code) {
            return Ok(true);
        }
        let f = &self.index.fields;
        let searcher = self.index.reader.searcher();
        let needs = u
            .clauses
            .iter()
            .filter(|c| c.required)
            .flat_map(|c| &c.meanings)
            .filter_map(|m| match m {
                Meaning::Term(Facet::Need, id) => Some(id.as_str()),
                _ => None,
            });
        for need in needs {
            let term = |field, text: &str| -> Box<dyn tantivy::query::Query> {
                Box::new(TermQuery::new(
                    Term::from_field_text(field, text),
                    IndexRecordOption::Basic,
                ))
            };
            let of_type = searcher.search(&term(f.service, &code.to_string()), &Count)?;
            let both = BooleanQuery::new(vec![
                (Occur::Must, term(f.service, &code.to_string())),
                (Occur::Must, term(f.need, need)),
            ]);
            // The type's own need — what most of its offices are tagged with — not one a
            // curated record designated for it also has (a 相談 office tagged 療育 is no sign
            // that 療育 asks for 地域移行支援).
            if 2 * searcher.search(&both, &Count)? > of_type {
                return Ok(true);
            }
        }
        Ok(false)
    }
}
