//! "No results" is never a dead end (SPEC §3): which filter removed the candidates, the
//! relaxations that would find something (with their counts), and names close to what was
//! typed.
//!
//! Relaxations, in the order offered (each counted once, shown only when it finds something):
//!
//! | relaxation | when | label |
//! |---|---|---|
//! | double the radius around the area's office | an area with coordinates and a radius | {km}kmに広げる |
//! | widen the area to each enclosing region and prefecture | an area is selected | 地域を{name}に広げる |
//! | the region next to the area's (the same prefecture's, nearest office to one of its own) | the area is or lies in a region, with coordinates | 隣の{name}で探す |
//! | drop the area | an area is selected | 地域の指定を外す |
//! | drop the care types | care types are selected | ケアの種類の指定を外す |
//! | drop the needs | needs are selected | ニーズの指定を外す |
//! | drop 電話あり | only records with a phone are asked for | 電話ありの指定を外す |
//! | drop the words, keep the filters | there are words | キーワードを外す（絞り込みだけで一覧） |
//!
//! A filter *removed* the candidates (地域, ケア, ニーズ, 電話あり) when the words alone find something
//! and dropping that filter does too.

use std::borrow::Cow;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Term};

use super::query::{self, Understood};
use super::{NoResults, Relaxation, SearchEngine, SearchError, SearchRequest};
use super::{analyzer, rank};
use crate::directory::{AreaIdx, AreaLevel, Catalog, GeoPoint};
use crate::text::fuzzy::{Fallback, FuzzyQuery};
use crate::text::normalize::normalize;

/// How many names did-you-mean offers.
const DID_YOU_MEAN: usize = 3;
/// Up to this many records, did-you-mean compares every name fuzzily; above it (the bundled
/// directory with its open-data offices is), only the [`NAME_CANDIDATES`] records whose names
/// share the most characters with the query, found through the index — comparing thousands
/// of names on every keystroke that finds nothing costs more than the keystroke budget.
const FUZZY_SCAN_MAX_DOCS: usize = 1_000;
/// How many records (those sharing the most characters with the query) are compared fuzzily
/// on a directory above [`FUZZY_SCAN_MAX_DOCS`].
const NAME_CANDIDATES: usize = 300;
/// Longest query (in characters, spaces removed) compared with names.
const DID_YOU_MEAN_MAX_CHARS: usize = 64;

/// A relaxation before it is counted.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Widening {
    /// What changes (see the module table).
    pub label: String,
    /// The request with that change.
    pub request: SearchRequest,
    /// The filter it drops (地域, ケア, ニーズ, 電話あり), for "removed by".
    pub drops: Option<&'static str>,
}

/// The relaxations of a request that found nothing, in the order offered (module table).
pub(crate) fn widenings(catalog: &Catalog, req: &SearchRequest, u: &Understood) -> Vec<Widening> {
    let mut out = Vec::new();
    let mut push = |label: String, drops, change: &dyn Fn(&mut SearchRequest)| {
        let mut request = req.clone();
        change(&mut request);
        out.push(Widening {
            label,
            request,
            drops,
        });
    };
    if let Some(a) = req.area {
        // Offices a little further away first (distance, see `near.rs`).
        if req.within_km > 0 && catalog.area_point(a).is_some() {
            let km = req.within_km.saturating_mul(2);
            push(format!("{km}kmに広げる"), None, &|r| r.within_km = km);
        }
        // Widen step by step: the region (圏域) and the one next to it, the prefecture, then
        // no area at all.
        for p in catalog.areas.self_and_ancestors(a) {
            let area = catalog.areas.at(p);
            if p != a && area.level != AreaLevel::Country {
                push(format!("地域を{}に広げる", area.name), None, &|r| {
                    r.area = Some(p)
                });
            }
            if area.level == AreaLevel::Region
                && let Some(next) = neighbouring_region(catalog, p)
            {
                let name = &catalog.areas.at(next).name;
                push(format!("隣の{name}で探す"), None, &|r| {
                    r.area = Some(next)
                });
            }
        }
        push("地域の指定を外す".into(), Some("地域"), &|r| {
            r.area = None
        });
    }
    if !req.care_types.is_empty() {
        push(
            "ケアの種類の指定を外す".into(),
            Some("ケア"),
            &|r| r.care_types.clear(),
        );
    }
    if !req.needs.is_empty() {
        push(
            "ニーズの指定を外す".into(),
            Some("ニーズ"),
            &|r| r.needs.clear(),
        );
    }
    if req.with_phone {
        push(
            "電話ありの指定を外す".into(),
            Some("電話あり"),
            &|r| r.with_phone = false,
        );
    }
    if !u.is_empty() {
        push(
            "キーワードを外す（絞り込みだけで一覧）".into(),
            None,
            &|r| r.text.clear(),
        );
    }
    out
}

/// The region (圏域) of the same prefecture nearest to `region`: the one with the municipal
/// office nearest to one of `region`'s. `None` without another region or without coordinates.
fn neighbouring_region(catalog: &Catalog, region: AreaIdx) -> Option<AreaIdx> {
    let tree = &catalog.areas;
    let points = |r: AreaIdx| -> Vec<GeoPoint> {
        let mut out = Vec::new();
        let mut stack = vec![r];
        while let Some(a) = stack.pop() {
            out.extend(catalog.area_point(a));
            stack.extend_from_slice(tree.children(a));
        }
        out
    };
    let here = points(region);
    let parent = tree.parent(region)?;
    tree.children(parent)
        .iter()
        .copied()
        .filter(|&r| r != region && tree.at(r).level == AreaLevel::Region)
        .filter_map(|r| {
            let nearest = points(r)
                .iter()
                .flat_map(|p| here.iter().map(|h| h.distance_km(p)))
                .min_by(f64::total_cmp)?;
            Some((r, nearest))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(r, _)| r)
}

impl SearchEngine {
    /// Why `req` found nothing and what would find something.
    pub(crate) fn explain(
        &self,
        catalog: &Catalog,
        req: &SearchRequest,
        u: &Understood,
        words: &Understood,
    ) -> Result<NoResults, SearchError> {
        // The words are understood once for every relaxation that keeps them.
        let words_of = |r: &SearchRequest| match r.text == req.text {
            true => Cow::Borrowed(words),
            false => Cow::Owned(query::understand(&self.vocab, &r.text)),
        };
        let has_filters = !req.filters().is_empty();
        // The words alone, as text (an area word too).
        let text_only = SearchRequest {
            area: None,
            care_types: vec![],
            needs: vec![],
            with_phone: false,
            ignore_area_words: true,
            ..req.clone()
        };
        let text_count = match has_filters {
            true => self.count(catalog, &text_only, words)?,
            false => 0,
        };
        let words_find_something = !u.is_empty() && text_count > 0;
        let mut counted = Vec::new();
        for w in widenings(catalog, req, u) {
            // A relaxation that keeps the words as text finds a part of what they alone find:
            // when that is nothing, it need not be counted (most sentences that find nothing).
            let r = &w.request;
            let words_as_text = r.text == req.text && !super::takes_area(r, words);
            let n = match words_as_text && text_count == 0 {
                true => 0,
                false => self.count(catalog, r, &words_of(r))?,
            };
            counted.push((w, n));
        }
        let removed_by = counted
            .iter()
            .filter(|(_, n)| words_find_something && *n > 0)
            .filter_map(|(w, _)| w.drops.map(String::from))
            .collect();
        let relaxations = counted
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(w, count)| Relaxation {
                label: w.label,
                request: w.request,
                count,
            })
            .collect();
        let close = self.close_names(catalog, &req.text)?;
        Ok(NoResults {
            removed_by,
            relaxations,
            did_you_mean: close.iter().map(|(n, _)| n.clone()).collect(),
            did_you_mean_records: close.into_iter().map(|(_, i)| i).collect(),
        })
    }

    /// Names close to what was typed, best first (the names of [`Self::close_names`]).
    #[cfg(test)]
    pub(crate) fn did_you_mean(
        &self,
        catalog: &Catalog,
        text: &str,
    ) -> Result<Vec<String>, SearchError> {
        Ok(self
            .close_names(catalog, text)?
            .into_iter()
            .map(|(n, _)| n)
            .collect())
    }

    /// Names close to what was typed (fuzzy over normalized names, readings and aliases; see
    /// [`crate::text::fuzzy`]), at most [`DID_YOU_MEAN`], best first, each with the catalog
    /// position of the record it is from (the best-scored one where several share a name).
    fn close_names(
        &self,
        catalog: &Catalog,
        text: &str,
    ) -> Result<Vec<(String, usize)>, SearchError> {
        let q: String = normalize(text)
            .chars()
            .filter(|c| !c.is_whitespace())
            .take(DID_YOU_MEAN_MAX_CHARS)
            .collect();
        if q.is_empty() {
            return Ok(vec![]);
        }
        let query = FuzzyQuery::from_forms(vec![q]);
        let keys = |i: usize| -> &[String] {
            self.name_keys
                .get_or_init(i, || name_keys(catalog, i).into())
                .map_or(&[], |k| k)
        };
        let scored: Vec<usize> = if catalog.len() <= FUZZY_SCAN_MAX_DOCS {
            query
                .rank((0..catalog.len()).map(keys), Fallback::None)
                .into_iter()
                .map(|(_, i)| i)
                .collect()
        } else {
            // Fuzzy-rank only the records whose names share the most characters with the
            // query, found through the index.
            let mut candidates = self.name_candidates(&query.forms()[0])?;
            // Ties in catalog order, as on a small directory.
            candidates.sort_unstable();
            query
                .rank(candidates.iter().map(|&i| keys(i)), Fallback::None)
                .into_iter()
                .map(|(_, at)| candidates[at])
                .collect()
        };
        let mut out: Vec<(String, usize)> = Vec::new();
        for i in scored {
            let name = &catalog.record(i).name;
            if !out.iter().any(|(n, _)| n == name) {
                out.push((name.clone(), i));
            }
            if out.len() == DID_YOU_MEAN {
                break;
            }
        }
        Ok(out)
    }

    /// Records whose name field shares the most characters with a normalized query.
    fn name_candidates(&self, q: &str) -> Result<Vec<usize>, SearchError> {
        let f = self.index.fields;
        // Bigrams where the query has them (far fewer postings than characters, and closer
        // candidates), else its characters.
        let mut grams: Vec<String> = analyzer::query_grams(q)
            .into_iter()
            .filter(|run| run.len() > 1 || run.first().is_some_and(|g| g.chars().count() > 1))
            .flatten()
            .collect();
        if grams.is_empty() {
            grams = q.chars().map(String::from).collect();
        }
        grams.sort_unstable();
        grams.dedup();
        let subs: Vec<(Occur, Box<dyn Query>)> = grams
            .iter()
            .map(|g| {
                let t = Term::from_field_text(f.name, g);
                let q: Box<dyn Query> = Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs));
                (Occur::Should, q)
            })
            .collect();
        let searcher = self.index.reader.searcher();
        let top = searcher.search(
            &BooleanQuery::new(subs),
            &TopDocs::with_limit(NAME_CANDIDATES).order_by_score(),
        )?;
        let addrs: Vec<DocAddress> = top.into_iter().map(|(_, addr)| addr).collect();
        Ok(rank::fast_values(&searcher, "doc_idx", &addrs)?
            .into_iter()
            .flatten()
            .map(|v| v as usize)
            .collect())
    }
}

/// The fuzzy keys of a record: normalized name, reading and aliases.
pub(crate) fn name_keys(catalog: &Catalog, i: usize) -> Vec<String> {
    let r = catalog.record(i);
    let mut keys = vec![normalize(&r.name)];
    keys.extend(r.kana.iter().chain(r.aliases.iter()).map(|a| normalize(a)));
    keys
}
