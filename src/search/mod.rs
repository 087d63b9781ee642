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
//! | a partial answer: the words that found nothing | `partial` |
//! | re-rank the pool by status and the area named in the text | `rank` |
//! | the service types a query names, the ones a record is designated for | [`services`] |
//! | snippets with highlights | [`snippet`] |
//! | nothing found: removed by, relaxations, did you mean | `explain` |
//! | what the loaded open data covers, and the note under a thin result | [`coverage`] |
//! | the municipality's main window: asked for by the words, or under a thin answer | [`windows`] |
//!
//! The index is built in RAM, or opened from the on-disk cache for large files ([`cache`]).

pub mod analyzer;
mod at_least;
pub mod cache;
mod collect;
pub mod coverage;
pub mod days;
pub(crate) mod explain;
pub mod index;
pub(crate) mod near;
pub mod numbers;
pub(crate) mod partial;
pub(crate) mod plan;
pub mod query;
pub(crate) mod rank;
pub mod services;
pub mod snippet;
pub mod vocab;
pub mod windows;

#[cfg(test)]
mod tests;

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

use crate::directory::{AreaIdx, Catalog, DEFAULT_WITHIN_KM, Filters};
use crate::lazycells::LazyCells;
use collect::Collected;
use index::SearchIndex;
use near::{GeoTable, Near};
use plan::TextPlan;
use query::{Clause, Understood};
use snippet::Snippet;
use vocab::Vocabulary;
pub use windows::MainWindows;

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
    /// Without `area`: records serving any of these areas — those an area word naming
    /// several places is understood as (南部町: 青森県・山梨県・鳥取県の南部町), set by the
    /// search from the words, not by the caller.
    pub any_of_areas: Vec<AreaIdx>,
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
            any_of_areas: vec![],
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
            any_of_areas: vec![],
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
    /// Nothing asked was within this many km of the area's office (no office of the service
    /// type named, or nothing at all): the hits are the nearest ones however far, nearest
    /// first (「30km以内にありません — 近い順」).
    pub nearest_beyond_km: Option<u32>,
    /// Whether an office of a service type the words name is among the candidates.
    pub of_named_type: bool,
    /// The service types the words name that no loaded record is designated for (児発 when
    /// the 児童発達支援 file is not loaded): the hits are records matching the words, and the
    /// heading says the type's offices are not in the data.
    pub types_not_in_data: u64,
    /// The area the hits' distances are measured from: the most specific area known (the
    /// municipality the words name inside the search's area, else the search's area).
    pub distance_from: Option<AreaIdx>,
    /// The words typed that no record matched within the filters, when the hits match only
    /// some of the words (「ショートステイ」に一致する記録はありません; see `partial`).
    pub unmatched: Vec<String>,
    /// The areas searched together when the words name several and no area was chosen
    /// (南部町: every 南部町; see [`Understood::ambiguous_area`]); empty otherwise.
    pub any_of_areas: Vec<AreaIdx>,
    /// The municipality's main window shown before the hits (asked for by the words) and
    /// after them (under a thin answer; see [`windows`]).
    pub windows: MainWindows,
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

/// The nearest-always search widens its radius up to this (all of Japan, 与那国 to 稚内).
const NEAREST_MAX_KM: u32 = 3_200;

/// The nearest-always search first widens the radius this many times.
const NEAREST_FIRST_WIDENING: u32 = 4;

/// The nearest-always search widens to all of Japan unless it has found this many.
const NEAREST_ENOUGH: usize = 5;

/// A word taken for an area, the area and the radius: whether the word is a place elsewhere
/// (see `SearchEngine::keep_a_place_word_as_text`).
type PlaceQuestion = (String, AreaIdx, u32);

/// How many answers about place words are kept (see `recent_places`).
const RECENT_PLACES: usize = 16;

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

/// When fewer records than this match every word of a query of two words, those matching
/// one of them follow (「人工呼吸器 ショートステイ」: the one record with both words, then the
/// short stays and the ventilator services), so a call does not end at a single hit. Not in a
/// sentence (three words or more): there every-word already means most of the words.
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
    /// Recent answers of [`Self::keep_a_place_word_as_text`] — (word, area, radius) → whether
    /// the word is a place elsewhere — most recent first: every keystroke after 大蔵 or 八王子
    /// asks the same question, and its two probes cost more than the search.
    recent_places: Mutex<Vec<(PlaceQuestion, bool)>>,
    /// The service types some record of the index is designated for (a mask), read on first
    /// use: whether a type named has offices at all.
    loaded_types: OnceLock<u64>,
    /// The temporary directory the index lives in when the cache dir could not be written
    /// (see [`cache::open`]); removed when the engine is dropped. Last, so the index is
    /// dropped before it.
    scratch: Option<tempfile::TempDir>,
}

impl SearchEngine {
    /// Builds the engine with an in-memory index.
    pub fn new(catalog: &Catalog) -> Result<Self, SearchError> {
        let vocab = Vocabulary::new(catalog);
        // Known-word tokens as in the on-disk cache, on every directory: the same records rank
        // the same in the library, the CLI and the UI (and phrases of common words stay cheap:
        // without them the bundled directory's keystroke p99 is ~15 ms instead of ~2).
        let index = index::build_in_ram(catalog, vocab.known_words())?;
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
            recent_places: Mutex::new(Vec::new()),
            loaded_types: OnceLock::new(),
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
        if req.within_km == 0 {
            return Ok(None);
        }
        if req.area.is_none() && !req.any_of_areas.is_empty() {
            // Within reach of any of the places the words name (not kept: rare, and each
            // set of places its own).
            let origins: Vec<_> = req
                .any_of_areas
                .iter()
                .filter_map(|&a| catalog.area_point(a))
                .collect();
            return Ok(Some(
                self.geo_table()?
                    .near_any(&origins, f64::from(req.within_km)),
            ));
        }
        let Some((area, origin)) = req.area.and_then(|a| Some((a, catalog.area_point(a)?))) else {
            return Ok(None);
        };
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
        let near = self.geo_table()?.near(origin, f64::from(req.within_km));
        recent.insert(0, (area, req.within_km, near.clone()));
        recent.truncate(RECENT_NEAR);
        Ok(Some(near))
    }

    /// The records' points, read from the index on first use.
    fn geo_table(&self) -> tantivy::Result<&GeoTable> {
        Ok(match self.geo.get() {
            Some(t) => t,
            None => {
                let t = GeoTable::read(&self.index.reader.searcher())?;
                self.geo.get_or_init(|| t)
            }
        })
    }

    /// A word written as a corporation's name (PLUSケアサービス株式会社, 社会福祉法人恩賜財団
    /// 済生会) that is exactly the operating corporation (`provider`) of some records, and no
    /// record's own name: those records are what is asked — its words are no longer text, which matched every name with
    /// PLUS or ケア in it and none of its offices. A name no record has stays text.
    fn take_corporation(
        &self,
        searcher: &Searcher,
        text: &str,
        u: &mut Understood,
    ) -> tantivy::Result<()> {
        let words: Vec<&str> = text.split_whitespace().collect();
        // A word written as a corporation, or an entity word written apart from its name
        // (社会福祉法人　沖縄コロニー, as the open data's cells often are, or コロニー 株式会社).
        let mut written: Vec<Vec<&str>> = Vec::new();
        for (i, &word) in words.iter().enumerate() {
            if !index::names_a_corporation(word) {
                continue;
            }
            if index::provider_key(word).chars().count() >= 2 {
                written.push(vec![word]);
            } else {
                written.extend(words.get(i + 1).map(|&next| vec![word, next]));
                written.extend(i.checked_sub(1).map(|j| vec![words[j], word]));
            }
        }
        for parts in written {
            let word = parts.concat();
            let key = index::provider_key(&word);
            if key.chars().count() < 2 {
                continue;
            }
            let f = &self.index.fields;
            let term = Term::from_field_text(f.provider, &key);
            // A corporation that is a record of its own (株式会社Y＆N) is called by its name:
            // it comes first, what it runs after (`Own::next_to_its_corporation`).
            let named = Term::from_field_text(f.name_key, &index::name_key(&word));
            if searcher.doc_freq(&term)? == 0 || searcher.doc_freq(&named)? > 0 {
                continue;
            }
            let texts: Vec<String> = parts
                .iter()
                .flat_map(|p| query::understand(&self.vocab, p).clauses)
                .map(|c| c.text)
                .collect();
            u.clauses.retain(|c| !texts.contains(&c.text));
            u.corporation = Some(key);
            break;
        }
        Ok(())
    }

    /// The service types some record is designated for, as a mask (one count per type, once).
    fn loaded_types(&self) -> Result<u64, SearchError> {
        if let Some(&m) = self.loaded_types.get() {
            return Ok(m);
        }
        let searcher = self.index.reader.searcher();
        let mut mask = 0;
        for code in services::codes(u64::MAX) {
            let bit = services::bit(code);
            let q = services::filter(&self.index.fields, bit);
            let n = searcher
                .search(&*q, &tantivy::collector::Count)
                .map_err(|source| SearchError::Query {
                    query: String::new(),
                    source,
                })?;
            if n > 0 {
                mask |= bit;
            }
        }
        Ok(*self.loaded_types.get_or_init(|| mask))
    }

    fn plan<'a>(&'a self, searcher: &'a Searcher) -> TextPlan<'a> {
        TextPlan {
            fields: self.index.fields,
            known: &self.index.known,
            searcher,
            recent: &self.recent_clauses,
            seen: Default::default(),
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
                nearest_beyond_km: None,
                of_named_type: false,
                types_not_in_data: 0,
                distance_from: None,
                unmatched: vec![],
                any_of_areas: vec![],
                windows: MainWindows::default(),
            });
        }
        // More hits than records cannot be returned: a limit beyond that (`--limit
        // 18446744073709551615`) is the number of records, not an allocation of its size.
        let clamped;
        let req = if req.limit > catalog.len() {
            clamped = SearchRequest {
                limit: catalog.len(),
                ..req.clone()
            };
            &clamped
        } else {
            req
        };
        // With an unfinished syllable at the end, the finished part's exact matches come
        // before the typed text's approximate ones: `koodin` is コーディネーター being typed
        // (こおでい…), not a blur of こお・でい・いん — and on a large directory the
        // approximate match is the costly one.
        let finished_text = without_unfinished_syllable(&req.text);
        let exact = &MATCH_MODES[..2];
        let first = if finished_text.is_some() {
            exact
        } else {
            &MATCH_MODES[..]
        };
        let (mut results, mut searched, mut words) =
            self.search_as_typed_of(catalog, req, 0, first)?;
        let mut typed = req.clone();
        if results.total == 0
            && let Some(text) = finished_text
        {
            // The area the whole text named stays (`kokyuki shunan`: 周南市, not `shuna`).
            let finished = SearchRequest {
                text: text.to_string(),
                ..searched.clone()
            };
            let (r, finished_searched, w) = self.search_as_typed(catalog, &finished)?;
            if r.total > 0 {
                (results, searched, words) = (r, finished_searched, w);
                typed = finished;
            } else {
                let approximate = &MATCH_MODES[2..];
                let (r, s, w) = self.search_as_typed_of(catalog, req, 0, approximate)?;
                if r.total > 0 {
                    (results, searched, words) = (r, s, w);
                }
            }
        }
        let nearest = self.nearest(catalog, &typed, &searched, &results)?;
        if results.total == 0 {
            // Also beside the nearest ones: widening the radius or leaving the area stays
            // on offer.
            let words = words.as_ref().unwrap_or(&results.understood);
            results.no_results =
                Some(self.explain(catalog, &searched, &results.understood, words)?);
        }
        let mut results = match nearest {
            Some(n) => SearchResults {
                no_results: results.no_results,
                ..n
            },
            None => results,
        };
        results.types_not_in_data = results.understood.service_types & !self.loaded_types()?;
        let area = results.distance_from.or(searched.area);
        results.windows.closing = windows::closing(catalog, area, &results);
        Ok(results)
    }

    /// Nearest, always: an area search that found nothing of what was asked within the
    /// radius — no office of the service type the words name, or nothing at all — gives the
    /// nearest ones however far, nearest first, with the radius it searched first
    /// ([`SearchResults::nearest_beyond_km`]). The radius grows [`NEAREST_FIRST_WIDENING`]
    /// times, then to all of Japan when that finds fewer than [`NEAREST_ENOUGH`] (a caller on
    /// an island gets a choice, not only the one across the strait) — two searches at most,
    /// since it may run on a keystroke; only offices of the named type, and only records matching every
    /// word, count then. `typed` is the request
    /// as the clerk made it, `searched` as it was searched (with an area from the words).
    fn nearest(
        &self,
        catalog: &Catalog,
        typed: &SearchRequest,
        searched: &SearchRequest,
        found: &SearchResults,
    ) -> Result<Option<SearchResults>, SearchError> {
        // A type the data has no office of (児発 when the 児童発達支援 file is not loaded) is
        // not missing nearby: the records matching the words are the answer.
        let named = found.understood.service_types & self.loaded_types()?;
        let missing = found.total == 0 || (named != 0 && !found.of_named_type);
        // The place it is measured from: the area, or every place the words name (南部町);
        // the wider searches below find the latter again from the words.
        let placed = match searched.area {
            Some(area) => catalog.area_point(area).is_some(),
            None => !searched.any_of_areas.is_empty(),
        };
        if !missing || !placed || found.understood.is_empty() || searched.within_km == 0 {
            return Ok(None);
        }
        // Only offices of the named types the data has count: with none of them (児発 when
        // the 児童発達支援 file is not loaded), the nearest records matching every word,
        // rather than nothing.
        let mut nearest = None;
        let wide = searched.within_km.saturating_mul(NEAREST_FIRST_WIDENING);
        for km in [wide.min(NEAREST_MAX_KM), NEAREST_MAX_KM] {
            let wider = SearchRequest {
                within_km: km,
                sort: Sort::Distance,
                ..typed.clone()
            };
            // Far away, only what matches every word is worth a call.
            let (mut r, _, _) =
                self.search_as_typed_of(catalog, &wider, named, &MATCH_MODES[..1])?;
            if r.total > 0 && r.mode == MatchMode::All {
                r.nearest_beyond_km = Some(searched.within_km);
                let enough = r.total >= NEAREST_ENOUGH;
                nearest = Some(r);
                if enough {
                    break;
                }
            }
            if km >= NEAREST_MAX_KM {
                break;
            }
        }
        Ok(nearest)
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
        self.search_as_typed_of(catalog, req, 0, &MATCH_MODES)
    }

    /// [`Self::search_as_typed`], only among offices designated for a type of `only_types`
    /// (a mask, see [`services`]; 0: every record), trying these match `modes` in turn.
    fn search_as_typed_of(
        &self,
        catalog: &Catalog,
        req: &SearchRequest,
        only_types: u64,
        modes: &[MatchMode],
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
        let area = area_from_text.or(req.area);
        let asked_window = windows::take_asked(catalog, area, &mut understood);
        // A number says which place it is: no area hides it.
        let by_number = numbers::take_asked(&mut understood);
        self.take_corporation(&searcher, &req.text, &mut understood)
            .map_err(failed)?;
        let asked_window = asked_window.or_else(|| numbers::window_with(catalog, &understood));
        let area = area.filter(|_| !by_number);
        let req = &SearchRequest {
            area,
            ignore_area_words: req.ignore_area_words || area_from_text.is_some(),
            any_of_areas: match by_number {
                true => vec![],
                false => any_of_the_areas_named(catalog, req, area, &understood),
            },
            within_km: if by_number { 0 } else { req.within_km },
            ..req.clone()
        };
        let near = self.near(catalog, req).map_err(failed)?;
        let fetched = fetch(
            &plan,
            catalog,
            req,
            &understood,
            near.as_ref(),
            only_types,
            modes,
        )
        .map_err(failed)?;
        let unmatched = partial::unmatched_words(
            &plan,
            catalog,
            req,
            near.as_ref(),
            &understood,
            fetched.mode,
        )
        .map_err(failed)?;

        let named = plan::name_key_query(&plan.fields, &understood, &req.text);
        let types_only = rank::types_only(&understood);
        // Built only when it ranks: not on every keystroke.
        let within_area = match req.area {
            _ if !types_only => None,
            Some(a) => Some(plan::within_area(catalog, &plan.fields, a)),
            None if !req.any_of_areas.is_empty() => Some(plan::within_any_area(
                catalog,
                &plan.fields,
                &req.any_of_areas,
            )),
            None => None,
        };
        // Who the child is, beside only type names: which offices' text says it.
        let who: Option<Box<dyn tantivy::query::Query>> = match types_only {
            false => None,
            true => {
                let mut said = Vec::new();
                for c in understood
                    .clauses
                    .iter()
                    .filter(|c| query::says_who_the_child_is(c))
                {
                    if let Some(q) = plan.clause(c).map_err(failed)? {
                        said.push((tantivy::query::Occur::Should, q));
                    }
                }
                (!said.is_empty()).then(|| Box::new(tantivy::query::BooleanQuery::new(said)) as _)
            }
        };
        let distance_from = req.area.map(|a| most_specific(catalog, a, understood.area));
        // An area in the text is now the search's area, so every candidate serves it.
        let asked = rank::Asked {
            named: named.as_deref(),
            for_the_service: rank::asks_for_a_service(&understood),
            origins: match distance_from {
                Some(a) => catalog.area_point(a).into_iter().collect(),
                None => req
                    .any_of_areas
                    .iter()
                    .filter_map(|&a| catalog.area_point(a))
                    .collect(),
            },
            care: !req.care_types.is_empty(),
            service_types: understood.service_types,
            types_only,
            within_area: within_area.as_deref(),
            days: understood.days,
            who: who.as_deref(),
        };
        let candidates = rank::candidates(
            &searcher,
            &fetched.pool,
            fetched.partial_from,
            catalog.len(),
            &asked,
        )
        .map_err(failed)?;
        let of_named_type = candidates.iter().any(|c| c.designated);
        let ranked = rank::rank(candidates, req.limit, req.sort);
        let own = Own {
            plan: &plan,
            catalog,
            req,
            near: near.as_ref(),
            understood: &understood,
            mode: fetched.mode,
            asked: &asked,
        };
        let (ranked, total) = own
            .next_to_its_corporation(ranked, fetched.total)
            .map_err(failed)?;
        let hits = self.hits(catalog, ranked, &understood);
        let results = SearchResults {
            total,
            care_unknown: fetched.care_unknown,
            hits,
            understood,
            mode: fetched.mode,
            every_word: fetched.every_word,
            no_results: None,
            area_from_text,
            nearest_beyond_km: None,
            of_named_type,
            types_not_in_data: 0,
            distance_from,
            unmatched,
            any_of_areas: req.any_of_areas.clone(),
            windows: MainWindows {
                asked: asked_window,
                closing: None,
            },
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
        let key = (word.clone(), area, req.within_km);
        let known = self
            .recent_places
            .lock()
            .ok()
            .and_then(|r| r.iter().find(|(k, _)| *k == key).map(|(_, p)| *p));
        let elsewhere = match known {
            Some(p) => p,
            None => {
                // First the cheap test (the records holding the word, anywhere, without the
                // area's reach to compute), then the count within reach only when it passes.
                let p = match self.place_elsewhere(catalog, &probe(None), &as_text, area)? {
                    Some(everywhere) => {
                        everywhere > 2 * self.count(catalog, &probe(Some(area)), &as_text)?
                    }
                    None => false,
                };
                if let Ok(mut r) = self.recent_places.lock() {
                    r.insert(0, (key, p));
                    r.truncate(RECENT_PLACES);
                }
                p
            }
        };
        if elsewhere {
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
        let fetched =
            fetch(&plan, catalog, &probe, words, None, 0, &MATCH_MODES[..1]).map_err(failed)?;
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
                     ..
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
        let taken = take_area_from_text(req, &mut u);
        windows::take_asked(catalog, taken.or(req.area), &mut u);
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

/// With no area, an area's whole name that several areas have (南部町 放デイ, きたく 短期入所)
/// searches all of them: the offices of 青森県・山梨県・鳥取県の南部町, not the whole country
/// ranked by the name in their text (放デイ in an office's name outweighed it) — the caller
/// is in one of them, and the choice is offered beside the list. A shorter word (中央,
/// kawakami) is as often part of a name (中央こども園) as a place: it only ranks.
fn any_of_the_areas_named(
    catalog: &Catalog,
    req: &SearchRequest,
    area: Option<AreaIdx>,
    u: &Understood,
) -> Vec<AreaIdx> {
    use crate::text::normalize::normalize;
    let Some((word, areas)) = &u.ambiguous_area else {
        return vec![];
    };
    let word = normalize(word);
    // The name, or a ward's name after its city's (札幌市北区 for 北区).
    let tree = &catalog.areas;
    let is_whole = |name: &str, parent: Option<&str>| {
        let name = normalize(name);
        name == word || parent.is_some_and(|p| name == format!("{}{word}", normalize(p)))
    };
    let whole_name = |&i: &AreaIdx| {
        let (a, parent) = (tree.at(i), tree.parent(i).map(|p| tree.at(p)));
        is_whole(&a.name, parent.map(|p| p.name.as_str()))
            || is_whole(&a.kana, parent.map(|p| p.kana.as_str()))
    };
    if area.is_some() || req.ignore_area_words || !areas.iter().all(whole_name) {
        return vec![];
    }
    areas.clone()
}

/// The area distances are measured from: the one the words name when it lies inside the
/// search's area (長野県川上村 searched in 長野県 — a widened search, or an area chosen
/// before — is still measured from 川上村's office, not 長野県's in 長野市, 80 km away),
/// else the search's area.
fn most_specific(catalog: &Catalog, area: AreaIdx, named: Option<AreaIdx>) -> AreaIdx {
    named
        .filter(|&n| n != area && catalog.areas.self_and_ancestors(n).contains(&area))
        .filter(|&n| catalog.area_point(n).is_some())
        .unwrap_or(area)
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
    only_types: u64,
    modes: &[MatchMode],
) -> tantivy::Result<Fetched> {
    let f = &plan.fields;
    let mut filters = plan::filter_clauses(catalog, f, req, near);
    if only_types != 0 {
        filters.push((Occur::Must, services::filter(f, only_types)));
    }
    if let Some(q) = numbers::filter(f, u) {
        filters.push((Occur::Must, Box::new(q)));
    }
    if let Some(key) = &u.corporation {
        let t = Term::from_field_text(f.provider, key);
        filters.push((
            Occur::Must,
            Box::new(TermQuery::new(t, IndexRecordOption::Basic)),
        ));
    }
    let area_boosts = req
        .area
        .map(|a| plan::area_boost_clauses(catalog, f, a, u.wide));
    // Only type names asked in an area: distance orders the type's offices
    // (`rank::types_only`), so the pool holds as many as sorting by distance does — by text score, the 200 whose
    // names repeat the type would leave out a nearer one whose name does not (こまどり).
    let placed = req.area.is_some() || !req.any_of_areas.is_empty();
    let pool = match req.sort {
        Sort::Relevance if !(placed && rank::types_only(u)) => RERANK_POOL,
        _ => DISTANCE_POOL,
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
    // With a care type asked, the records that state it, ranked before the 要確認 ones.
    let stated = if care {
        let q = plan::care_stated(&plan.fields, &req.care_types);
        Some(collect::Stated::find(plan.searcher, &*q)?)
    } else {
        None
    };
    let run = |mode| -> tantivy::Result<Option<Collected>> {
        let Some(text) = plan.text_query(u, mode)? else {
            return Ok(None);
        };
        let q = plan::combine(text, &filters, area_boosts.as_deref());
        collect::collect(plan.searcher, &*q, stated.as_ref(), pool_size).map(Some)
    };
    for &mode in modes {
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
    // A sentence's every-word match already needs only most of its words: records holding
    // one word of three would only add noise (and a second pass over every posting).
    let sentence = u.clauses.iter().filter(|c| c.required).count() >= plan::SENTENCE_WORDS;
    if out.mode == MatchMode::All
        && !sentence
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

/// A boxed query.
type Q = Box<dyn Query>;

/// A search's context for [`Own::next_to_its_corporation`].
struct Own<'a> {
    plan: &'a TextPlan<'a>,
    catalog: &'a Catalog,
    req: &'a SearchRequest,
    near: Option<&'a Near>,
    understood: &'a Understood,
    mode: MatchMode,
    asked: &'a rank::Asked<'a>,
}

impl Own<'_> {
    /// A corporation called by its name (株式会社Y＆N, 守る会) comes first, and what it runs
    /// next — the records whose operating corporation (`provider`) it is, within
    /// the request's filters (ミント after Y＆N; ピッコロ and 世田谷区医療的ケア相談支援センター
    /// after 守る会) — before other organisations' offices, even when they do not share the
    /// words typed. `total` counts them too.
    fn next_to_its_corporation(
        &self,
        ranked: Vec<rank::Ranked>,
        total: usize,
    ) -> tantivy::Result<(Vec<rank::Ranked>, usize)> {
        let Some(first) = ranked.first().copied() else {
            return Ok((ranked, total));
        };
        let r = self.catalog.record(first.resource);
        let keys: std::collections::BTreeSet<String> = std::iter::once(&r.name)
            .chain(&r.aliases)
            .map(|n| index::provider_key(n))
            .filter(|k| k.chars().count() >= 2)
            .collect();
        // Called by its name: the words typed are its name or an alias (with or without
        // 株式会社, （社福） …).
        if !(first.named || keys.contains(&index::provider_key(&self.req.text))) {
            return Ok((ranked, total));
        }
        let f = &self.plan.fields;
        let runs: Q = Box::new(BooleanQuery::new(
            keys.iter()
                .map(|k| {
                    let t = Term::from_field_text(f.provider, k);
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(t, IndexRecordOption::Basic)) as Q,
                    )
                })
                .collect(),
        ));
        let filters = plan::filter_clauses(self.catalog, f, self.req, self.near);
        let searcher = self.plan.searcher;
        let limit = self.req.limit.max(1);
        let q = plan::combine(runs.box_clone(), &filters, None);
        // Equal scores in catalog order, whatever the index's segments (see `collect`).
        let pool = collect::collect(searcher, &*q, None, limit + 1)?.pool;
        let candidates =
            rank::candidates(searcher, &pool, pool.len(), self.catalog.len(), self.asked)?;
        let its: Vec<rank::Ranked> = rank::rank(candidates, limit + 1, self.req.sort)
            .into_iter()
            .filter(|o| o.resource != first.resource)
            .collect();
        if its.is_empty() {
            return Ok((ranked, total));
        }
        let total = match self.plan.text_query(self.understood, self.mode)? {
            Some(text) => {
                let either: Q = Box::new(BooleanQuery::new(vec![
                    (Occur::Should, text),
                    (Occur::Should, runs),
                ]));
                searcher.search(&*plan::combine(either, &filters, None), &Count)?
            }
            None => total,
        };
        let theirs: std::collections::HashSet<usize> = its.iter().map(|o| o.resource).collect();
        let mut out: Vec<rank::Ranked> = std::iter::once(first)
            .chain(its)
            .chain(
                ranked
                    .into_iter()
                    .skip(1)
                    .filter(|o| !theirs.contains(&o.resource)),
            )
            .collect();
        out.truncate(limit);
        // The score shown with a hit still falls down the list.
        for i in 1..out.len() {
            if out[i].score >= out[i - 1].score {
                out[i].score = out[i - 1].score * 0.999;
            }
        }
        Ok((out, total))
    }
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
