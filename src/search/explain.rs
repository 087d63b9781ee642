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
//! and dropping that filter does too. The care filter already keeps the offices whose source
//! cannot say which care they take (要確認, see [`crate::directory::filters`]), so when it removes
//! everything, every match states other care or is a record of documents that names none.
//!
//! Did-you-mean offers names close to what was typed (fuzzy over names, readings and aliases).
//! With an area selected, a name near the caller comes before one far away: of the good matches
//! (at least half the best one's fuzzy score), those serving the area (its service areas, as
//! the area filter) come first, best match first; then the others nearest first (from the
//! area's office to the record, or to the office of the area it is in), best match first at
//! the same distance — never an office in another prefecture before the nearest ones (issue
//! 22: 那覇市 offered for 大阪市). The records compared are found within reach of the area as
//! well as in the whole directory, so the near ones are among them on a large directory too.

use std::borrow::Cow;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
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
        let close = self.close_names(catalog, req)?;
        Ok(NoResults {
            removed_by,
            relaxations,
            did_you_mean: close.iter().map(|(n, _)| n.clone()).collect(),
            did_you_mean_records: close.into_iter().map(|(_, i)| i).collect(),
            unsearchable: false,
        })
    }

    /// Names close to what was typed in `req` (with its area: see the module doc), in the
    /// order offered (the names of [`Self::close_names`]).
    #[cfg(test)]
    pub(crate) fn did_you_mean(
        &self,
        catalog: &Catalog,
        req: &SearchRequest,
    ) -> Result<Vec<String>, SearchError> {
        Ok(self
            .close_names(catalog, req)?
            .into_iter()
            .map(|(n, _)| n)
            .collect())
    }

    /// Names close to what was typed (fuzzy over normalized names, readings and aliases; see
    /// [`crate::text::fuzzy`]), at most [`DID_YOU_MEAN`], in the order offered — best first,
    /// or with an area, near ones first (module doc) — each with the catalog position of the
    /// record it is from (the first offered where several share a name).
    fn close_names(
        &self,
        catalog: &Catalog,
        req: &SearchRequest,
    ) -> Result<Vec<(String, usize)>, SearchError> {
        let clip = |s: String| -> String {
            s.chars()
                .filter(|c| !c.is_whitespace())
                .take(DID_YOU_MEAN_MAX_CHARS)
                .collect()
        };
        let q = clip(normalize(&req.text));
        if q.is_empty() {
            return Ok(vec![]);
        }
        // First the words as a name would be written: without the words naming the search's
        // area (it is the area, not part of a name) and with romaji read as kana
        // (`wakicho mamorukai` → まもるかい); then the text as typed.
        let spelled = clip(self.name_words(req));
        let forms = match spelled.is_empty() || spelled == q {
            true => vec![q],
            false => vec![spelled, q],
        };
        let query = FuzzyQuery::from_forms(forms);
        let keys = |i: usize| -> &[String] {
            self.name_keys
                .get_or_init(i, || name_keys(catalog, i).into())
                .map_or(&[], |k| k)
        };
        let scored: Vec<(i64, usize)> = if catalog.len() <= FUZZY_SCAN_MAX_DOCS {
            query.rank((0..catalog.len()).map(keys), Fallback::None)
        } else {
            // Fuzzy-rank only the records whose names share the most characters with the
            // query, found through the index: in the whole directory and, with an area, among
            // the records usable there.
            let mut candidates = self.name_candidates(&query.forms()[0], None)?;
            if req.area.is_some() {
                let near = self.near(catalog, req)?;
                let area_only = SearchRequest {
                    care_types: vec![],
                    needs: vec![],
                    with_phone: false,
                    ..req.clone()
                };
                let f = self.index.fields;
                let filters = super::plan::filter_clauses(catalog, &f, &area_only, near.as_ref());
                candidates.extend(
                    self.name_candidates(&query.forms()[0], filters.first().map(|(_, q)| &**q))?,
                );
            }
            // Ties in catalog order, as on a small directory.
            candidates.sort_unstable();
            candidates.dedup();
            query
                .rank(candidates.iter().map(|&i| keys(i)), Fallback::None)
                .into_iter()
                .map(|(score, at)| (score, candidates[at]))
                .collect()
        };
        let scored = match req.area {
            Some(a) => near_first(catalog, scored, a),
            None => scored.into_iter().map(|(_, i)| i).collect(),
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

    /// The words of `req` as a name would be written (see [`Self::close_names`]), normalized.
    fn name_words(&self, req: &SearchRequest) -> String {
        normalize(&req.text)
            .split_whitespace()
            .map(|w| {
                let kana = crate::text::romaji::romaji_to_kana(w).map(|k| normalize(&k));
                (w, kana)
            })
            .filter(|(w, kana)| {
                let names = |t: &str| {
                    let a = self
                        .vocab
                        .area_word(t)
                        .or_else(|| self.vocab.short_reading(t));
                    a.is_some() && a == req.area
                };
                !(names(w) || kana.as_deref().is_some_and(names))
            })
            .map(|(w, kana)| kana.unwrap_or_else(|| w.to_string()))
            .collect()
    }

    /// Records whose name field shares the most characters with a normalized query (among
    /// those `within` matches, if given).
    fn name_candidates(
        &self,
        q: &str,
        within: Option<&dyn Query>,
    ) -> Result<Vec<usize>, SearchError> {
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
        let names: Box<dyn Query> = Box::new(BooleanQuery::new(subs));
        let q: Box<dyn Query> = match within {
            Some(w) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, names),
                (
                    Occur::Must,
                    Box::new(ConstScoreQuery::new(w.box_clone(), 0.0)),
                ),
            ])),
            None => names,
        };
        let searcher = self.index.reader.searcher();
        let top = searcher.search(&q, &TopDocs::with_limit(NAME_CANDIDATES).order_by_score())?;
        let addrs: Vec<DocAddress> = top.into_iter().map(|(_, addr)| addr).collect();
        Ok(rank::fast_values(&searcher, "doc_idx", &addrs)?
            .into_iter()
            .flatten()
            .map(|v| v as usize)
            .collect())
    }
}

/// Fuzzy matches (`(score, catalog position)`, best first) in the order offered with an area
/// selected: of those scoring at least half the best, the ones serving the area first (best
/// first), then the others nearest first (ties best first). See the module doc.
fn near_first(catalog: &Catalog, scored: Vec<(i64, usize)>, area: AreaIdx) -> Vec<usize> {
    let Some(best) = scored.first().map(|s| s.0) else {
        return vec![];
    };
    let origin = catalog.area_point(area);
    let mut good: Vec<(f64, usize, usize)> = scored
        .into_iter()
        .take_while(|(score, _)| score.saturating_mul(2) >= best)
        .enumerate()
        .map(|(rank, (_, i))| {
            let r = catalog.record(i);
            let km = match (catalog.areas.serves(&r.service_areas, area), origin) {
                (true, _) => 0.0,
                (false, Some(o)) => {
                    place_point(catalog, r).map_or(f64::INFINITY, |p| p.distance_km(&o))
                }
                (false, None) => f64::INFINITY,
            };
            (km, rank, i)
        })
        .collect();
    good.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    good.into_iter().map(|(_, _, i)| i).collect()
}

/// Where a record is, to measure how far it is: its location, else its area's office (the
/// area it is in, else the first it serves).
fn place_point(catalog: &Catalog, r: &crate::directory::Resource) -> Option<GeoPoint> {
    r.location.or_else(|| {
        let area = r
            .located_in
            .as_deref()
            .or(r.service_areas.first().map(String::as_str))?;
        catalog.area_point(catalog.areas.index_of(area)?)
    })
}

/// The fuzzy keys of a record: normalized name, reading and aliases; none for a closed record
/// (it is not offered, like everything the index leaves out).
pub(crate) fn name_keys(catalog: &Catalog, i: usize) -> Vec<String> {
    let r = catalog.record(i);
    if !r.is_listed() {
        return Vec::new();
    }
    let mut keys = vec![normalize(&r.name)];
    keys.extend(r.kana.iter().chain(r.aliases.iter()).map(|a| normalize(a)));
    keys
}
