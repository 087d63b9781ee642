//! Search: a tantivy index over the directory with a Japanese bigram analyzer, query
//! understanding (synonyms, romaji, area words), area-aware ranking, snippets, and a
//! "no results" explanation with relaxations and did-you-mean. See SPEC §3.
//!
//! One search, stage by stage, and where each stage lives:
//!
//! | stage | module |
//! |---|---|
//! | normalize and tokenize (index and query alike) | [`analyzer`] |
//! | understand the words: synonyms, romaji, area words | [`query`], [`vocab`] |
//! | build the tantivy query for a match mode, filters, area bonuses | `plan` |
//! | offices within reach of the area (distance) | `near` |
//! | run it: every word, else some words, else approximate spelling | [`SearchEngine::search`] |
//! | re-rank the pool by status and the area named in the text | `rank` |
//! | the service types a query names, the ones a record is designated for | [`services`] |
//! | snippets with highlights | [`snippet`] |
//! | nothing found: removed by, relaxations, did you mean | `explain` |
//!
//! The index is built in RAM, or opened from the on-disk cache for large files ([`cache`]).

pub mod analyzer;
pub mod cache;
pub(crate) mod explain;
pub mod index;
pub(crate) mod near;
pub(crate) mod plan;
pub mod query;
pub(crate) mod rank;
pub mod services;
pub mod snippet;
pub mod vocab;

#[cfg(test)]
mod tests;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use tantivy::collector::{Count, FilterCollector, TopDocs};
use tantivy::query::Query;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader};

use crate::directory::{AreaIdx, Catalog, DEFAULT_WITHIN_KM, Filters};
use crate::lazycells::LazyCells;
use analyzer::KnownWords;
use index::SearchIndex;
use near::{GeoTable, Near};
use plan::TextPlan;
use query::{Clause, Understood};
use snippet::Snippet;
use vocab::Vocabulary;

/// Why a search, or building or opening an index, failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The index could not be built, opened or read.
    #[error("検索の索引のエラーです: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The index could not be read while searching for this text.
    #[error("「{query}」を検索できませんでした: {source}")]
    Query {
        /// The text searched for.
        query: String,
        /// What tantivy said.
        source: tantivy::TantivyError,
    },
    /// A file of the index cache could not be read or written.
    #[error("索引キャッシュ {}: {}", path.display(), crate::fsutil::io_reason(source, crate::fsutil::Access::Write))]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The index cache is not what this build wrote (it is rebuilt).
    #[error("索引キャッシュ {} が壊れています: {reason}", path.display())]
    CorruptCache {
        /// The file or directory.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The records could not be encoded for the cache.
    #[error("索引キャッシュを書き出せません: {0}")]
    Encode(#[source] postcard::Error),
}

/// How hits are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first (distance is one of the factors).
    #[default]
    Relevance,
    /// Nearest to the selected area's office first (近い順); records without a distance last.
    Distance,
}

/// What to search for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    /// Free text as typed.
    pub text: String,
    /// Usable by someone living here.
    pub area: Option<AreaIdx>,
    /// Every one of these care types.
    pub care_types: Vec<String>,
    /// Every one of these needs.
    pub needs: Vec<String>,
    /// Only records whose contact has a phone number (電話あり).
    pub with_phone: bool,
    /// Words that name an area (品川, 和木町) are text, not the area of the search (the
    /// clerk removed the area taken from them). By default they select it when `area` is
    /// `None`.
    pub ignore_area_words: bool,
    /// A word naming another area than `area` replaces it for this search (the UI, whose
    /// area is often the office's own, pre-selected: the caller from 和木町 is searched in
    /// 和木町). Without it, words select an area only when `area` is `None` (the CLI's
    /// `--area` is explicit).
    pub area_words_replace: bool,
    /// With an area: records within this many km of its office are included (0: none).
    pub within_km: u32,
    /// How hits are ordered.
    pub sort: Sort,
    /// How many hits to return.
    pub limit: usize,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            text: String::new(),
            area: None,
            care_types: vec![],
            needs: vec![],
            with_phone: false,
            ignore_area_words: false,
            area_words_replace: false,
            within_km: DEFAULT_WITHIN_KM,
            sort: Sort::Relevance,
            limit: 0,
        }
    }
}

impl SearchRequest {
    /// A request for `text` under these filters.
    pub fn new(text: &str, filters: &Filters, limit: usize) -> SearchRequest {
        SearchRequest {
            text: text.to_string(),
            area: filters.area,
            care_types: filters.care_types.clone(),
            needs: filters.needs.clone(),
            with_phone: filters.with_phone,
            ignore_area_words: false,
            area_words_replace: false,
            within_km: filters.within_km,
            sort: Sort::Relevance,
            limit,
        }
    }

    /// The request's filters.
    pub fn filters(&self) -> Filters {
        Filters {
            area: self.area,
            care_types: self.care_types.clone(),
            needs: self.needs.clone(),
            with_phone: self.with_phone,
            within_km: self.within_km,
        }
    }
}

/// How strictly the text had to match for the hits returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchMode {
    /// Every word matched.
    All,
    /// Not every word matched; hits match some of them (一部の語に一致).
    Some,
    /// No word matched as typed; hits share most of its characters (近い表記).
    Approximate,
}

/// The match modes, strictest first: each is tried when the one before found nothing.
const MATCH_MODES: [MatchMode; 3] = [MatchMode::All, MatchMode::Some, MatchMode::Approximate];

/// One ranked hit.
#[derive(Debug, Clone)]
pub struct Hit {
    /// Position of the record in the catalog.
    pub resource: usize,
    /// Final ranking score.
    pub score: f32,
    /// Km from the selected area's office, when both have coordinates.
    pub distance_km: Option<f32>,
    /// A care type is asked and the record's source cannot say whether it takes it:
    /// 医療的ケアの受入れ: 要確認 (see [`crate::directory::filters`]).
    pub care_unknown: bool,
    /// Matched text, with highlights.
    pub snippet: Snippet,
}

/// One way to widen a search that found nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relaxation {
    /// What changes, in Japanese (地域の指定を外す, 山口・防府圏域に広げる …).
    pub label: String,
    /// The request with that change.
    pub request: SearchRequest,
    /// How many records it finds.
    pub count: usize,
}

/// Why nothing was found, and what would find something.
#[derive(Debug, Clone, Default)]
pub struct NoResults {
    /// Which filter removed the candidates (地域, ケア, ニーズ), when the text alone matches.
    pub removed_by: Vec<String>,
    /// Relaxations with their counts (only those that find something), best first.
    pub relaxations: Vec<Relaxation>,
    /// Close record names.
    pub did_you_mean: Vec<String>,
    /// The catalog position of the record each of `did_you_mean` is from (same order), so
    /// the UI can show where it is.
    pub did_you_mean_records: Vec<usize>,
    /// The text holds no character a record could match (only emoji or punctuation: 🙂,
    /// 「！？」): nothing is searched, and this says why.
    pub unsearchable: bool,
}

/// The outcome of a search.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// Matching records in all (not just those returned).
    pub total: usize,
    /// How many of `total` are 要確認 (a care type is asked and their source cannot say;
    /// they follow the others). 0 without a care type.
    pub care_unknown: usize,
    /// The top hits, best first.
    pub hits: Vec<Hit>,
    /// How the query was understood.
    pub understood: Understood,
    /// How strict the match was.
    pub mode: MatchMode,
    /// When only a few records match every word, how many: records matching some of the
    /// words follow them, and `total` counts both.
    pub every_word: Option<usize>,
    /// Present when nothing was found.
    pub no_results: Option<NoResults>,
    /// The area of the search taken from the words typed (和木町 相談), when no area was
    /// selected: the search is what `area` set to it would find.
    pub area_from_text: Option<AreaIdx>,
}

/// From this many records on, a directory is large: an index built in RAM gets known-word
/// tokens and synonyms of common words are not expanded. Smaller directories — the bundled
/// one, ~34k records with the national 放デイ and 短期入所 offices — always get the full
/// treatment: a synonym or a need tag still finds what does not spell the word (the
/// keystroke budget holds there, see the README). (Did-you-mean has its own threshold, see
/// `explain`.)
const LARGE_DIRECTORY_DOCS: u64 = 50_000;
/// On larger ones, a word matching this many records as typed is not expanded.
const LITERAL_ENOUGH_DOCS: usize = 2_000;
/// How many candidates are re-ranked.
const RERANK_POOL: usize = 200;
/// How many candidates are re-ranked when sorted by distance (the nearest may match weakly).
const DISTANCE_POOL: usize = 2_000;

/// How many areas' records within reach are kept (a search and its relaxations).
const RECENT_NEAR: usize = 8;

/// The best candidates of a query, with their scores.
type Pool = Vec<(f32, DocAddress)>;

/// What one match mode found: how many in all, and the best candidates with their scores.
struct Fetched {
    mode: MatchMode,
    total: usize,
    /// How many of `total` are 要確認 (with a care type asked).
    care_unknown: usize,
    pool: Pool,
    /// Where in the pool the records matching only some of the words start (they follow
    /// the few that match every word; see [`FEW_MATCH_EVERY_WORD`]).
    partial_from: usize,
    /// How many match every word, when records matching some of them follow.
    every_word: Option<usize>,
}

/// When fewer records than this match every word of a query of several words, those matching
/// some of the words follow them (「人工呼吸器 ショートステイ」: the one record with both
/// words, then the short stays and the ventilator services), so a call does not end at a
/// single hit.
const FEW_MATCH_EVERY_WORD: usize = 5;

/// A catalog's search engine: the index and the vocabulary. Built once; searches are `&self`.
pub struct SearchEngine {
    index: SearchIndex,
    vocab: Vocabulary,
    /// Fuzzy keys (normalized name, reading and aliases) per resource, for did-you-mean,
    /// filled as records are suggested (a warm start of a large directory should not
    /// normalize every name, nor a keystroke the same names again).
    name_keys: LazyCells<Box<[String]>>,
    /// Normalized snippet texts per resource, filled as records show up in results.
    snippet_texts: LazyCells<Box<[String]>>,
    /// Every record's coordinates, read from the index on the first search with an area.
    geo: OnceLock<GeoTable>,
    /// The last areas and radii asked for, with the records within reach, most recent first:
    /// every keystroke of a search keeps its area, and the relaxations of a search that found
    /// nothing widen it the same few ways, so each is looked up once.
    recent_near: Mutex<Vec<(AreaIdx, u32, Near)>>,
    /// Clause queries built for recent keystrokes (see [`plan::RecentClauses`]).
    recent_clauses: plan::RecentClauses,
    /// The temporary directory the index lives in when the cache dir could not be written
    /// (see [`cache::open`]); removed when the engine is dropped. Last, so the index is
    /// dropped before it.
    scratch: Option<tempfile::TempDir>,
}

impl SearchEngine {
    /// Builds the engine with an in-memory index.
    pub fn new(catalog: &Catalog) -> Result<Self, SearchError> {
        let vocab = Vocabulary::new(catalog);
        // Known-word tokens pay off on large directories; a small one (the bundled directory,
        // indexed at every start) is quick to search with phrases and quicker to index without.
        let known = if catalog.len() as u64 >= LARGE_DIRECTORY_DOCS {
            vocab.known_words()
        } else {
            Arc::new(KnownWords::empty())
        };
        let index = index::build_in_ram(catalog, known)?;
        Ok(Self::from_parts(catalog, index, vocab))
    }

    /// Uses an index built elsewhere (e.g. opened from the on-disk cache) with the catalog's
    /// vocabulary (the one its known words came from).
    pub fn from_parts(catalog: &Catalog, index: SearchIndex, vocab: Vocabulary) -> Self {
        SearchEngine {
            index,
            vocab,
            name_keys: LazyCells::new(catalog.len()),
            snippet_texts: LazyCells::new(catalog.len()),
            geo: OnceLock::new(),
            recent_near: Mutex::new(Vec::new()),
            recent_clauses: plan::RecentClauses::default(),
            scratch: None,
        }
    }

    /// The same engine, owning the temporary directory its index lives in.
    pub(crate) fn with_scratch(mut self, dir: tempfile::TempDir) -> Self {
        self.scratch = Some(dir);
        self
    }

    /// The records within reach of the request's area (`None` without an area, a radius, or
    /// coordinates for the area).
    fn near(&self, catalog: &Catalog, req: &SearchRequest) -> tantivy::Result<Option<Near>> {
        let Some((area, origin)) = req.area.and_then(|a| Some((a, catalog.area_point(a)?))) else {
            return Ok(None);
        };
        if req.within_km == 0 {
            return Ok(None);
        }
        let mut recent = self.recent_near.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(at) = recent
            .iter()
            .position(|(a, km, _)| (*a, *km) == (area, req.within_km))
        {
            let hit = recent.remove(at);
            let near = hit.2.clone();
            recent.insert(0, hit);
            return Ok(Some(near));
        }
        let table = match self.geo.get() {
            Some(t) => t,
            None => {
                let t = GeoTable::read(&self.index.reader.searcher())?;
                self.geo.get_or_init(|| t)
            }
        };
        let near = table.near(origin, f64::from(req.within_km));
        recent.insert(0, (area, req.within_km, near.clone()));
        recent.truncate(RECENT_NEAR);
        Ok(Some(near))
    }

    fn plan<'a>(&'a self, searcher: &'a Searcher) -> TextPlan<'a> {
        TextPlan {
            fields: self.index.fields,
            known: &self.index.known,
            searcher,
            recent: &self.recent_clauses,
        }
    }

    /// Searches. When nothing matches and the text ends with an unfinished romaji syllable
    /// (`houk`, `kokyuuk`: the clerk is typing with the IME off), the finished part is
    /// searched instead, so the list does not empty after every consonant.
    pub fn search(
        &self,
        catalog: &Catalog,
        req: &SearchRequest,
    ) -> Result<SearchResults, SearchError> {
        if query::is_unsearchable(&req.text) {
            return Ok(SearchResults {
                total: 0,
                care_unknown: 0,
                hits: vec![],
                understood: Understood::default(),
                mode: MatchMode::All,
                every_word: None,
                no_results: Some(NoResults {
                    unsearchable: true,
                    ..NoResults::default()
                }),
                area_from_text: None,
            });
        }
        let (mut results, mut req, mut words) = self.search_as_typed(catalog, req)?;
        if results.total == 0
            && let Some(text) = without_unfinished_syllable(&req.text)
        {
            let finished = SearchRequest {
                text: text.to_string(),
                ..req.clone()
            };
            let (r, finished, w) = self.search_as_typed(catalog, &finished)?;
            if r.total > 0 {
                (results, req, words) = (r, finished, w);
            }
        }
        if results.total == 0 {
            let words = words.as_ref().unwrap_or(&results.understood);
            results.no_results = Some(self.explain(catalog, &req, &results.understood, words)?);
        }
        Ok(results)
    }

    /// Searches the text as typed; also gives the request as searched (with the area taken
    /// from the words, which are then ignored: relaxing it must not take it again) and the
    /// words as understood before an area was taken from them, when one was (for counting
    /// relaxations; otherwise they are the results' own).
    fn search_as_typed(
        &self,
        catalog: &Catalog,
        req: &SearchRequest,
    ) -> Result<(SearchResults, SearchRequest, Option<Understood>), SearchError> {
        let failed = |source| SearchError::Query {
            query: req.text.clone(),
            source,
        };
        let searcher = self.index.reader.searcher();
        let plan = self.plan(&searcher);
        let mut understood = query::understand(&self.vocab, &req.text);
        narrow_expansions(&plan, &mut understood).map_err(failed)?;
        self.keep_a_place_word_as_text(catalog, req, &mut understood)?;
        // The words before an area is taken from them: copied only when one is.
        let words = takes_area(req, &understood).then(|| understood.clone());
        let area_from_text = take_area_from_text(req, &mut understood);
        let req = &SearchRequest {
            area: area_from_text.or(req.area),
            ignore_area_words: req.ignore_area_words || area_from_text.is_some(),
            ..req.clone()
        };
        let near = self.near(catalog, req).map_err(failed)?;
        let fetched = fetch(&plan, catalog, req, &understood, near.as_ref()).map_err(failed)?;

        let named = plan::name_key_query(&plan.fields, &understood);
        // An area in the text is now the search's area, so every candidate serves it.
        let asked = rank::Asked {
            named: named.as_deref(),
            for_the_service: rank::asks_for_a_service(&understood),
            origin: req.area.and_then(|a| catalog.area_point(a)),
            care: !req.care_types.is_empty(),
            service_types: understood.service_types,
        };
        let candidates = rank::candidates(
            &searcher,
            &fetched.pool,
            fetched.partial_from,
            catalog.len(),
            &asked,
        )
        .map_err(failed)?;
        let ranked = rank::rank(candidates, req.limit, req.sort);
        let hits = self.hits(catalog, ranked, &understood);
        let results = SearchResults {
            total: fetched.total,
            care_unknown: fetched.care_unknown,
            hits,
            understood,
            mode: fetched.mode,
            every_word: fetched.every_word,
            no_results: None,
            area_from_text,
        };
        Ok((results, req.clone(), words))
    }

    /// A short name in kanji taken for an area (大蔵 → 山形県大蔵村) that records hold as a
    /// place outside that area and its reach (世田谷区大蔵, 大蔵二丁目…センター) — and more of
    /// them than inside its reach — is not the search's area: it stays text, so both are found — the area's own records (their
    /// addresses name it) and the others — and [`Understood::also_a_place`] says so. A full
    /// name (大蔵村), a reading or romaji is the area as before.
    fn keep_a_place_word_as_text(
        &self,
        catalog: &Catalog,
        req: &SearchRequest,
        u: &mut Understood,
    ) -> Result<(), SearchError> {
        let (Some(area), Some(word)) = (u.area, u.area_word.clone()) else {
            return Ok(());
        };
        let a = catalog.areas.at(area);
        let is_stem = word.chars().all(analyzer::is_kanji)
            && word != crate::text::normalize::normalize(&a.name)
            && a.level != crate::directory::AreaLevel::Prefecture;
        if !takes_area(req, u) || !is_stem {
            return Ok(());
        }
        let mut as_text = Understood::default();
        as_text.clauses.push(Clause {
            text: word.clone(),
            variants: vec![word.clone()],
            meanings: vec![],
            required: true,
            weight: 1.0,
        });
        let probe = |area: Option<AreaIdx>| SearchRequest {
            text: word.clone(),
            area,
            care_types: vec![],
            needs: vec![],
            with_phone: false,
            ignore_area_words: true,
            ..req.clone()
        };
        // First the cheap test (the records holding the word, anywhere, without the area's
        // reach to compute), then the count within reach only when it passes.
        let Some(everywhere) = self.place_elsewhere(catalog, &probe(None), &as_text, area)? else {
            return Ok(());
        };
        let in_reach = self.count(catalog, &probe(Some(area)), &as_text)?;
        if everywhere > 2 * in_reach {
            u.area = None;
            u.area_word = None;
            for c in u.clauses.iter_mut().filter(|c| c.text == word) {
                c.required = true;
            }
            u.also_a_place = Some((word, area));
        }
        Ok(())
    }

    /// How many records hold the word of `probe`, when one outside `area` has it in its name
    /// or address as a place, not as an area's name (大蔵 in 世田谷区大蔵, 祖師ヶ谷大蔵 — not 品川 in 品川区 or
    /// 八王子 in 八王子市, which are followed by 区/市/町/村/郡).
    fn place_elsewhere(
        &self,
        catalog: &Catalog,
        probe: &SearchRequest,
        words: &Understood,
        area: AreaIdx,
    ) -> Result<Option<usize>, SearchError> {
        let failed = |source| SearchError::Query {
            query: probe.text.clone(),
            source,
        };
        // The best-scoring records holding the word, anywhere (no snippets: only their ids).
        let probe = SearchRequest {
            limit: PLACE_PROBE_LIMIT,
            ..probe.clone()
        };
        let searcher = self.index.reader.searcher();
        let plan = self.plan(&searcher);
        let fetched = fetch(&plan, catalog, &probe, words, None).map_err(failed)?;
        let addrs: Vec<DocAddress> = fetched.pool.iter().map(|(_, a)| *a).collect();
        let found = rank::fast_values(&searcher, "doc_idx", &addrs).map_err(failed)?;
        let word = &probe.text;
        let tree = &catalog.areas;
        let inside = |id: &str| {
            tree.index_of(id)
                .is_some_and(|i| tree.self_and_ancestors(i).contains(&area))
        };
        let elsewhere = found.into_iter().flatten().any(|idx| {
            let Ok(idx) = usize::try_from(idx) else {
                return false;
            };
            if idx >= catalog.len() {
                return false;
            }
            let r = catalog.record(idx);
            if r.located_in.as_deref().is_some_and(inside)
                || r.service_areas.iter().any(|s| inside(s))
            {
                return false;
            }
            let address = r.contact.address.as_deref().unwrap_or("");
            [r.name.as_str(), address]
                .iter()
                .any(|text| names_a_place(&crate::text::normalize::normalize(text), word))
        });
        Ok(elsewhere.then_some(fetched.total))
    }

    /// Hits with their snippets, for ranked records.
    fn hits(&self, catalog: &Catalog, ranked: Vec<rank::Ranked>, u: &Understood) -> Vec<Hit> {
        let terms = snippet::Terms::new(&u.highlight_terms());
        ranked
            .into_iter()
            .map(
                |rank::Ranked {
                     score,
                     resource: idx,
                     distance_km,
                     care_unknown,
                 }| {
                    let r = catalog.record(idx);
                    let fresh;
                    let normalized = match self
                        .snippet_texts
                        .get_or_init(idx, || snippet::normalized_candidates(r))
                    {
                        Some(texts) => texts,
                        None => {
                            fresh = snippet::normalized_candidates(r);
                            &fresh
                        }
                    };
                    Hit {
                        resource: idx,
                        score,
                        distance_km,
                        care_unknown,
                        snippet: snippet::for_resource(r, &terms, normalized),
                    }
                },
            )
            .collect()
    }

    /// Counts matches of a request, trying the match modes as a search does (used for
    /// relaxations). `words` is the request's text as understood (shared by relaxations that
    /// keep the text; an area is taken from it as a search would).
    pub(crate) fn count(
        &self,
        catalog: &Catalog,
        req: &SearchRequest,
        words: &Understood,
    ) -> Result<usize, SearchError> {
        let mut u = words.clone();
        take_area_from_text(req, &mut u);
        let searcher = self.index.reader.searcher();
        let plan = self.plan(&searcher);
        let failed = |source| SearchError::Query {
            query: req.text.clone(),
            source,
        };
        let near = self.near(catalog, req).map_err(failed)?;
        let filters = plan::filter_clauses(catalog, &plan.fields, req, near.as_ref());
        let count = || -> tantivy::Result<usize> {
            for mode in MATCH_MODES {
                let Some(text) = plan.text_query(&u, mode)? else {
                    continue;
                };
                let n = searcher.search(&*plan::combine(text, &filters, None), &Count)?;
                if n > 0 || u.is_empty() {
                    return Ok(n);
                }
            }
            Ok(0)
        };
        count().map_err(failed)
    }
}

/// How many records matching a short area name are looked at for it as a place elsewhere.
const PLACE_PROBE_LIMIT: usize = 200;

/// Whether `word` occurs in `text` other than as the start of an area's name (品川区, 八王子市,
/// 大島郡): followed by anything but 都/道/府/県/郡/市/区/町/村/圏域.
fn names_a_place(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let after = &text[at + word.len()..];
        !(after.starts_with(['都', '道', '府', '県', '郡', '市', '区', '町', '村'])
            || after.starts_with("圏域"))
    })
}

/// The area the words name, as the area of the search: when none is selected (or another one
/// and the request lets words replace it) and the clerk has not removed it. The word then
/// stops being text (`和木町 相談` searches 相談 in 和木町, exactly as `相談` with the area
/// 和木町 does).
///
/// A sentence about the area it names, or about what the prefecture provides where the
/// selected area is (都の制度), asks what serves the area: its other words then only rank
/// (see [`Understood::about_the_area`]).
fn take_area_from_text(req: &SearchRequest, u: &mut Understood) -> Option<AreaIdx> {
    let taken = takes_area(req, u).then_some(u.area).flatten();
    if taken.is_some()
        && let Some(word) = &u.area_word
    {
        let word = word.clone();
        u.clauses.retain(|c| c.required || c.text != word);
    }
    if taken.is_some() || (req.area.is_some() && u.wide.is_some()) {
        u.about_the_area();
    }
    taken
}

/// Whether [`take_area_from_text`] takes an area from these words.
fn takes_area(req: &SearchRequest, u: &Understood) -> bool {
    !req.ignore_area_words
        && match (req.area, u.area) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(selected), Some(named)) => req.area_words_replace && selected != named,
        }
}

/// The text without the unfinished romaji syllable at its end (`ほうもん houk` → `ほうもん
/// hou`), if it ends with one (see [`crate::text::romaji::split_unfinished`]).
pub fn without_unfinished_syllable(text: &str) -> Option<&str> {
    let trimmed = text.trim_end();
    let start = trimmed
        .rfind(|c: char| !c.is_ascii_alphabetic())
        .map_or(0, |i| {
            i + trimmed[i..].chars().next().map_or(1, char::len_utf8)
        });
    let (_, pending) = crate::text::romaji::split_unfinished(&trimmed[start..])?;
    Some(&trimmed[..trimmed.len() - pending.len()])
}

/// Runs the match modes in turn until one finds something (or the text is empty): the total
/// and the candidate pool of the first that does, else of the last tried.
fn fetch(
    plan: &TextPlan,
    catalog: &Catalog,
    req: &SearchRequest,
    u: &Understood,
    near: Option<&Near>,
) -> tantivy::Result<Fetched> {
    let f = &plan.fields;
    let filters = plan::filter_clauses(catalog, f, req, near);
    let area_boosts = req
        .area
        .map(|a| plan::area_boost_clauses(catalog, f, a, u.wide));
    let pool = match req.sort {
        Sort::Relevance => RERANK_POOL,
        Sort::Distance => DISTANCE_POOL,
    };
    let pool_size = req.limit.max(1).max(pool);
    let care = !req.care_types.is_empty();
    let mut out = Fetched {
        mode: MatchMode::All,
        total: 0,
        care_unknown: 0,
        pool: Vec::new(),
        partial_from: 0,
        every_word: None,
    };
    let run = |mode| -> tantivy::Result<Option<Collected>> {
        let Some(text) = plan.text_query(u, mode)? else {
            return Ok(None);
        };
        let q = plan::combine(text, &filters, area_boosts.as_deref());
        collect(plan.searcher, &*q, pool_size, care).map(Some)
    };
    for mode in MATCH_MODES {
        let Some(c) = run(mode)? else {
            continue;
        };
        out = Fetched {
            mode,
            total: c.total,
            care_unknown: c.care_unknown,
            partial_from: c.pool.len(),
            pool: c.pool,
            every_word: None,
        };
        if out.total > 0 || u.is_empty() {
            break;
        }
    }
    if out.mode == MatchMode::All
        && (1..FEW_MATCH_EVERY_WORD).contains(&out.total)
        && let Some(Collected {
            total,
            care_unknown,
            pool,
        }) = run(MatchMode::Some)?
        && total > out.total
    {
        let every: std::collections::HashSet<DocAddress> =
            out.pool.iter().map(|(_, a)| *a).collect();
        out.every_word = Some(out.total);
        out.total = total;
        out.care_unknown = care_unknown;
        out.pool
            .extend(pool.into_iter().filter(|(_, a)| !every.contains(a)));
    }
    Ok(out)
}

/// What one query found: how many, how many of them are 要確認, and the best candidates.
struct Collected {
    total: usize,
    care_unknown: usize,
    pool: Pool,
}

/// Runs a query: the count and the best `pool_size` candidates by score. With a care type
/// asked (`care`), also how many are 要確認, and the candidates that state the care are
/// collected before them (by score within each), so no number of 要確認 offices can push a
/// record that states the care out of the pool that is re-ranked.
fn collect(
    searcher: &Searcher,
    q: &dyn Query,
    pool_size: usize,
    care: bool,
) -> tantivy::Result<Collected> {
    let top = TopDocs::with_limit(pool_size);
    if !care {
        let (total, pool) = searcher.search(q, &(Count, top.order_by_score()))?;
        return Ok(Collected {
            total,
            care_unknown: 0,
            pool,
        });
    }
    let is_unknown = |v: u64| v == 1;
    let unknown = FilterCollector::new(index::CARE_UNKNOWN.to_string(), is_unknown, Count);
    let stated_first = top.tweak_score(|seg: &SegmentReader| {
        // Every index of this cache format has the column (the schema); were it missing, the
        // candidates would only be left in score order — the filter and the count stand.
        let column = seg.fast_fields().u64(index::CARE_UNKNOWN).ok();
        move |doc: DocId, score: Score| {
            let unknown = column.as_ref().and_then(|c| c.first(doc)) == Some(1);
            (!unknown, score)
        }
    });
    let (total, care_unknown, top) = searcher.search(q, &(Count, unknown, stated_first))?;
    Ok(Collected {
        total,
        care_unknown,
        pool: top.into_iter().map(|((_, score), a)| (score, a)).collect(),
    })
}

/// On a large directory, a word that is already common as typed is not expanded to its
/// synonyms: they would add little to thousands of literal matches and cost most of the
/// keystroke (each synonym is a phrase over big postings). Small directories always expand.
fn narrow_expansions(plan: &TextPlan, u: &mut Understood) -> tantivy::Result<()> {
    if plan.searcher.num_docs() < LARGE_DIRECTORY_DOCS {
        return Ok(());
    }
    for c in u.clauses.iter_mut().filter(|c| c.variants.len() > 1) {
        let literal = Clause {
            variants: vec![c.text.clone()],
            meanings: vec![],
            ..c.clone()
        };
        let Some(q) = plan.clause(&literal)? else {
            continue;
        };
        if plan.searcher.search(&*q, &Count)? >= LITERAL_ENOUGH_DOCS {
            c.variants = literal.variants;
        }
    }
    Ok(())
}
