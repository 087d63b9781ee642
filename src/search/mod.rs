//! Search: a tantivy index over the directory with a Japanese bigram analyzer, query
//! understanding (synonyms, romaji, area words), area-aware ranking, snippets, and a
//! "no results" explanation with relaxations and did-you-mean. See SPEC §3.

pub mod analyzer;
pub mod cache;
pub mod index;
pub mod query;
pub mod snippet;
pub mod vocab;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, EmptyQuery, Occur,
    PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, Term};

use crate::directory::{AreaIdx, AreaLevel, Catalog, Facet, Status};
use crate::text::normalize::normalize;
use analyzer::KnownWords;
use index::{Fields, SearchIndex};
use query::{Clause, Understood};
use snippet::Snippet;
use vocab::{Meaning, Vocabulary};

/// A search failure (the index could not be built or read).
#[derive(Debug, thiserror::Error)]
#[error("search index error: {0}")]
pub struct SearchError(pub String);

/// What to search for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchRequest {
    /// Free text as typed.
    pub text: String,
    /// Usable by someone living here.
    pub area: Option<AreaIdx>,
    /// Every one of these care types.
    pub care_types: Vec<String>,
    /// Every one of these needs.
    pub needs: Vec<String>,
    /// How many hits to return.
    pub limit: usize,
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

/// One ranked hit.
#[derive(Debug, Clone)]
pub struct Hit {
    /// Position of the record in the catalog.
    pub resource: usize,
    /// Final ranking score.
    pub score: f32,
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
}

/// The outcome of a search.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// Matching records in all (not just those returned).
    pub total: usize,
    /// The top hits, best first.
    pub hits: Vec<Hit>,
    /// How the query was understood.
    pub understood: Understood,
    /// How strict the match was.
    pub mode: MatchMode,
    /// Present when nothing was found.
    pub no_results: Option<NoResults>,
}

/// Points added for serving the area exactly, its region, its prefecture, the country.
const AREA_BONUS: [f32; 4] = [3.0, 1.5, 1.0, 0.5];
/// Records an area word in the text does not cover are kept but pushed down this much.
const OTHER_AREA_FACTOR: f32 = 0.3;
/// Weight of a taxonomy tag that satisfies a clause.
const TAG_SCORE: f32 = 2.0;
/// Weight of a synonym or variant relative to the spelling typed.
const EXPANSION_WEIGHT: f32 = 0.8;
/// From this many records on, a directory is large: an index built in RAM gets known-word
/// tokens, synonyms of common words are not expanded and did-you-mean goes through the index.
/// Smaller directories (the bundled one) always get the full treatment.
const LARGE_DIRECTORY_DOCS: u64 = 20_000;
/// On larger ones, a word matching this many records as typed is not expanded.
const LITERAL_ENOUGH_DOCS: usize = 2_000;
/// How many candidates are re-ranked.
const RERANK_POOL: usize = 200;

fn status_factor(s: Status) -> f32 {
    match s {
        Status::Active => 1.0,
        Status::Trial => 0.95,
        Status::Planned => 0.75,
        Status::Paused => 0.6,
        Status::Ended => 0.5,
    }
}

/// A catalog's search engine: the index and the vocabulary. Built once; searches are `&self`.
pub struct SearchEngine {
    index: SearchIndex,
    vocab: Vocabulary,
    /// Normalized name, reading and aliases of each resource, for did-you-mean (computed on
    /// first use without keeping decoded records: a warm start
    /// of a large directory should not normalize every name).
    names: std::sync::OnceLock<Vec<Vec<String>>>,
    /// Normalized snippet texts per resource, filled as records show up in results.
    snippet_texts: Vec<std::sync::OnceLock<Box<[String]>>>,
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
            std::sync::Arc::new(KnownWords::empty())
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
            names: std::sync::OnceLock::new(),
            snippet_texts: (0..catalog.len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
        }
    }

    fn plan(&self) -> TextPlan<'_> {
        let searcher = self.index.reader.searcher();
        TextPlan {
            known: &self.index.known,
            searcher,
        }
    }

    /// The vocabulary (for the UI's understanding chips).
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocab
    }

    /// Searches.
    pub fn search(
        &self,
        catalog: &Catalog,
        req: &SearchRequest,
    ) -> Result<SearchResults, SearchError> {
        let mut understood = query::understand(&self.vocab, &req.text);
        self.narrow_expansions(&mut understood);
        let f = self.index.fields;
        // A query made only of area words ("品川") means: what can people living there use.
        let only_area_words =
            understood.area.is_some() && understood.clauses.iter().all(|c| !c.required);
        let req = &SearchRequest {
            area: req.area.or(understood.area.filter(|_| only_area_words)),
            ..req.clone()
        };
        let filters = filter_clauses(catalog, &f, req);
        let text_area = understood.area.filter(|_| req.area.is_none());
        let rank_area = req.area.or(text_area);
        let area_boosts = rank_area.map(|a| area_boost_clauses(catalog, &f, a));

        let mut mode = MatchMode::All;
        let (mut total, mut pool) = (0, Vec::new());
        let plan = self.plan();
        for attempt in [MatchMode::All, MatchMode::Some, MatchMode::Approximate] {
            let Some(text) = text_query(&f, &plan, &understood, attempt) else {
                continue;
            };
            let q = combine(text, &filters, area_boosts.as_deref());
            let (t, p) = self.run(&*q, req.limit.max(1).max(RERANK_POOL))?;
            mode = attempt;
            total = t;
            pool = p;
            if total > 0 || understood.is_empty() {
                break;
            }
        }

        // Re-rank the pool from the index alone (status column, area postings): decoding a
        // record from the cache costs more than the search.
        let searcher = self.index.reader.searcher();
        let addrs: Vec<DocAddress> = pool.iter().map(|(_, addr)| *addr).collect();
        let indices = fast_values(&searcher, "doc_idx", &addrs);
        let statuses = fast_values(&searcher, "status", &addrs);
        let serving = text_area.map(|a| matching(&searcher, &*area_filter(catalog, &f, a), &addrs));
        let mut ranked: Vec<(f32, usize)> = pool
            .into_iter()
            .enumerate()
            .filter_map(|(i, (score, _))| {
                let idx = indices[i]
                    .map(|v| v as usize)
                    .filter(|&v| v < catalog.len())?;
                let status = statuses[i].map_or(Status::Active, index::status_of);
                let mut s = score * status_factor(status);
                if serving.as_ref().is_some_and(|m| !m[i]) {
                    s *= OTHER_AREA_FACTOR;
                }
                Some((s, idx))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.truncate(req.limit);

        let terms = understood.highlight_terms();
        let hits = ranked
            .into_iter()
            .map(|(score, idx)| Hit {
                resource: idx,
                score,
                snippet: {
                    let r = catalog.record(idx);
                    let normalized = match self.snippet_texts.get(idx) {
                        Some(cell) => cell.get_or_init(|| snippet::normalized_candidates(r)),
                        None => &snippet::normalized_candidates(r),
                    };
                    snippet::for_resource(r, &terms, normalized)
                },
            })
            .collect();
        let no_results = (total == 0).then(|| self.explain(catalog, req, &understood));
        Ok(SearchResults {
            total,
            hits,
            understood,
            mode,
            no_results,
        })
    }

    /// On a large directory, a word that is already common as typed is not expanded to its
    /// synonyms: they would add little to thousands of literal matches and cost most of the
    /// keystroke (each synonym is a phrase over big postings). Small directories always expand.
    fn narrow_expansions(&self, u: &mut Understood) {
        let searcher = self.index.reader.searcher();
        if searcher.num_docs() < LARGE_DIRECTORY_DOCS {
            return;
        }
        let f = self.index.fields;
        let plan = self.plan();
        for c in u.clauses.iter_mut().filter(|c| c.variants.len() > 1) {
            let literal = Clause {
                variants: vec![c.text.clone()],
                meanings: vec![],
                ..c.clone()
            };
            let Some(q) = clause_query(&f, &plan, &literal) else {
                continue;
            };
            if searcher.search(&*q, &Count).unwrap_or(0) >= LITERAL_ENOUGH_DOCS {
                c.variants = literal.variants;
            }
        }
    }

    /// Counts matches of a request (used for relaxations).
    pub fn count(&self, catalog: &Catalog, req: &SearchRequest) -> Result<usize, SearchError> {
        let understood = query::understand(&self.vocab, &req.text);
        let f = self.index.fields;
        let filters = filter_clauses(catalog, &f, req);
        let plan = self.plan();
        for attempt in [MatchMode::All, MatchMode::Some, MatchMode::Approximate] {
            let Some(text) = text_query(&f, &plan, &understood, attempt) else {
                continue;
            };
            let q = combine(text, &filters, None);
            let n = self
                .index
                .reader
                .searcher()
                .search(&*q, &Count)
                .map_err(|e| SearchError(e.to_string()))?;
            if n > 0 || understood.is_empty() {
                return Ok(n);
            }
        }
        Ok(0)
    }

    fn run(
        &self,
        q: &dyn Query,
        pool: usize,
    ) -> Result<(usize, Vec<(f32, DocAddress)>), SearchError> {
        let searcher = self.index.reader.searcher();
        searcher
            .search(q, &(Count, TopDocs::with_limit(pool).order_by_score()))
            .map_err(|e| SearchError(e.to_string()))
    }

    fn explain(&self, catalog: &Catalog, req: &SearchRequest, u: &Understood) -> NoResults {
        let mut out = NoResults::default();
        let count = |r: &SearchRequest| self.count(catalog, r).unwrap_or(0);
        let mut candidates: Vec<(String, SearchRequest)> = Vec::new();
        if let Some(a) = req.area {
            // Widen step by step: the region (圏域), the prefecture, then no area at all.
            let mut up = catalog.areas.self_and_ancestors(a);
            up.remove(0);
            for p in up {
                let area = catalog.areas.at(p);
                if area.level == AreaLevel::Country {
                    continue;
                }
                candidates.push((
                    format!("地域を{}に広げる", area.name),
                    SearchRequest {
                        area: Some(p),
                        ..req.clone()
                    },
                ));
            }
            candidates.push((
                "地域の指定を外す".into(),
                SearchRequest {
                    area: None,
                    ..req.clone()
                },
            ));
        }
        if !req.care_types.is_empty() {
            candidates.push((
                "ケアの種類の指定を外す".into(),
                SearchRequest {
                    care_types: vec![],
                    ..req.clone()
                },
            ));
        }
        if !req.needs.is_empty() {
            candidates.push((
                "ニーズの指定を外す".into(),
                SearchRequest {
                    needs: vec![],
                    ..req.clone()
                },
            ));
        }
        let text_only = SearchRequest {
            area: None,
            care_types: vec![],
            needs: vec![],
            ..req.clone()
        };
        let has_filters = req.area.is_some() || !req.care_types.is_empty() || !req.needs.is_empty();
        if has_filters && !u.is_empty() && count(&text_only) > 0 {
            if req.area.is_some()
                && count(&SearchRequest {
                    area: None,
                    ..req.clone()
                }) > 0
            {
                out.removed_by.push("地域".into());
            }
            if !req.care_types.is_empty()
                && count(&SearchRequest {
                    care_types: vec![],
                    ..req.clone()
                }) > 0
            {
                out.removed_by.push("ケア".into());
            }
            if !req.needs.is_empty()
                && count(&SearchRequest {
                    needs: vec![],
                    ..req.clone()
                }) > 0
            {
                out.removed_by.push("ニーズ".into());
            }
        }
        if !u.is_empty() {
            candidates.push((
                "キーワードを外す（絞り込みだけで一覧）".into(),
                SearchRequest {
                    text: String::new(),
                    ..req.clone()
                },
            ));
        }
        for (label, request) in candidates {
            let n = count(&request);
            if n > 0 {
                out.relaxations.push(Relaxation {
                    label,
                    request,
                    count: n,
                });
            }
        }
        out.did_you_mean = self.did_you_mean(catalog, &req.text);
        out
    }

    /// Records whose name field shares the most characters with a normalized query.
    fn name_candidates(&self, q: &str) -> Vec<usize> {
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
                (
                    Occur::Should,
                    Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)) as Box<dyn Query>,
                )
            })
            .collect();
        let searcher = self.index.reader.searcher();
        let top = searcher
            .search(
                &BooleanQuery::new(subs),
                &TopDocs::with_limit(300).order_by_score(),
            )
            .unwrap_or_default();
        let addrs: Vec<DocAddress> = top.into_iter().map(|(_, addr)| addr).collect();
        fast_values(&searcher, "doc_idx", &addrs)
            .into_iter()
            .flatten()
            .map(|v| v as usize)
            .collect()
    }

    /// Names close to what was typed (fuzzy over normalized names and readings).
    pub fn did_you_mean(&self, catalog: &Catalog, text: &str) -> Vec<String> {
        let q = normalize(text);
        let q: String = q.chars().filter(|c| !c.is_whitespace()).take(64).collect();
        if q.is_empty() {
            return vec![];
        }
        let keys_of = |i: usize| {
            let r = catalog.record(i);
            let mut keys = vec![normalize(&r.name)];
            keys.extend(r.kana.iter().chain(r.aliases.iter()).map(|a| normalize(a)));
            keys
        };
        let matcher = SkimMatcherV2::default();
        let best = |keys: &[String]| keys.iter().filter_map(|k| matcher.fuzzy_match(k, &q)).max();
        let mut scored: Vec<(i64, usize)> = if catalog.len() < LARGE_DIRECTORY_DOCS as usize {
            let names = self
                .names
                .get_or_init(|| (0..catalog.len()).map(keys_of).collect());
            names
                .iter()
                .enumerate()
                .filter_map(|(i, keys)| Some((best(keys)?, i)))
                .collect()
        } else {
            // Large directory: fuzzy-rank only the records whose names share the most
            // characters with the query, found through the index.
            self.name_candidates(&q)
                .into_iter()
                .filter_map(|i| Some((best(&keys_of(i))?, i)))
                .collect()
        };
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut out: Vec<String> = Vec::new();
        for (_, i) in scored {
            let name = &catalog.record(i).name;
            if !out.contains(name) {
                out.push(name.clone());
            }
            if out.len() == 3 {
                break;
            }
        }
        out
    }
}

/// The values of a u64 fast field for hits, opening each segment's column once.
fn fast_values(
    searcher: &tantivy::Searcher,
    field: &str,
    addrs: &[DocAddress],
) -> Vec<Option<u64>> {
    let mut columns: Vec<Option<Option<tantivy::columnar::Column<u64>>>> =
        vec![None; searcher.segment_readers().len()];
    addrs
        .iter()
        .map(|addr| {
            let col = columns
                .get_mut(addr.segment_ord as usize)?
                .get_or_insert_with(|| {
                    searcher
                        .segment_reader(addr.segment_ord)
                        .fast_fields()
                        .u64(field)
                        .ok()
                });
            col.as_ref()?.first(addr.doc_id)
        })
        .collect()
}

/// Which hits match `q` (a filter), by seeking its scorer to each of them.
fn matching(searcher: &tantivy::Searcher, q: &dyn Query, addrs: &[DocAddress]) -> Vec<bool> {
    let mut out = vec![false; addrs.len()];
    let Ok(weight) = q.weight(tantivy::query::EnableScoring::disabled_from_searcher(
        searcher,
    )) else {
        return out;
    };
    let mut order: Vec<usize> = (0..addrs.len()).collect();
    order.sort_by_key(|&i| (addrs[i].segment_ord, addrs[i].doc_id));
    let mut scorer: Option<(u32, Box<dyn tantivy::query::Scorer>)> = None;
    for i in order {
        let a = addrs[i];
        if scorer.as_ref().is_none_or(|(seg, _)| *seg != a.segment_ord) {
            let Ok(s) = weight.scorer(searcher.segment_reader(a.segment_ord), 1.0) else {
                continue;
            };
            scorer = Some((a.segment_ord, s));
        }
        if let Some((_, s)) = scorer.as_mut() {
            if s.doc() < a.doc_id {
                s.seek(a.doc_id);
            }
            out[i] = s.doc() == a.doc_id;
        }
    }
    out
}

/// A variant in one field: each run of the normalized text must occur as typed. A run that is
/// a known word is one token; any other run is a phrase of its bigrams.
fn variant_query(field: Field, variant: &str, plan: &TextPlan) -> Option<Box<dyn Query>> {
    let runs = analyzer::query_grams(variant);
    let mut parts: Vec<Box<dyn Query>> = Vec::new();
    for run in runs {
        // Overlapping bigrams at positions 0, 2, 4 … (and the last one) already pin every
        // character in place, so the phrase needs about half the postings: same matches, less
        // position reading.
        let last = run.len().saturating_sub(1);
        let terms: Vec<(usize, Term)> = run
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 2 == 0 || *i == last)
            .map(|(i, g)| (i, Term::from_field_text(field, g)))
            .collect();
        if terms.len() > 1
            && let Some(token) = plan.known.token(&run_text(&run))
        {
            // Same matches as the phrase and, boosted by the ratio of their idfs, the same
            // score (BM25 of a phrase: the sum of its terms' idfs times one tf factor, and the
            // phrase occurs exactly where the token does) — without reading positions.
            let token = Term::from_field_text(field, &token);
            let phrase_idf: f32 = terms.iter().map(|(_, t)| plan.idf(t)).sum();
            let boost = phrase_idf / plan.idf(&token).max(f32::EPSILON);
            parts.push(Box::new(BoostQuery::new(
                Box::new(TermQuery::new(token, IndexRecordOption::WithFreqs)),
                boost,
            )));
            continue;
        }
        match terms.len() {
            0 => {}
            1 => parts.push(Box::new(TermQuery::new(
                terms.into_iter().next()?.1,
                IndexRecordOption::WithFreqs,
            ))),
            _ => parts.push(Box::new(PhraseQuery::new_with_offset(terms))),
        }
    }
    match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => Some(Box::new(BooleanQuery::new(
            parts.into_iter().map(|p| (Occur::Must, p)).collect(),
        ))),
    }
}

/// Whether a variant has a run of one character (a CJK one is found through its unigram).
fn has_single_character_run(variant: &str) -> bool {
    analyzer::query_grams(variant)
        .iter()
        .any(|run| run.len() == 1 && run[0].chars().count() == 1)
}

/// The text of a query run from its overlapping bigrams (or its one unigram / word).
fn run_text(run: &[String]) -> String {
    let mut text = run.first().cloned().unwrap_or_default();
    for g in run.iter().skip(1) {
        text.extend(g.chars().last());
    }
    text
}

/// How text terms are looked up in this index.
struct TextPlan<'a> {
    /// Words indexed as single tokens.
    known: &'a KnownWords,
    /// For term statistics.
    searcher: tantivy::Searcher,
}

impl TextPlan<'_> {
    /// BM25 idf of a term, as tantivy computes it.
    fn idf(&self, term: &Term) -> f32 {
        let n = self.searcher.num_docs() as f32;
        let df = self.searcher.doc_freq(term).unwrap_or(0) as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }
}

/// A clause as a query: the best of its variants in any field, or a taxonomy tag.
fn clause_query(f: &Fields, plan: &TextPlan, c: &Clause) -> Option<Box<dyn Query>> {
    let mut disjuncts: Vec<Box<dyn Query>> = Vec::new();
    for v in &c.variants {
        // A phrase scores roughly the sum over its grams, so long variants would outscore the
        // word typed; score per gram instead, and the typed spelling above its expansions.
        let grams: usize = analyzer::query_grams(v).iter().map(Vec::len).sum();
        let typed = if *v == c.text { 1.0 } else { EXPANSION_WEIGHT };
        let scale = c.weight * typed / grams.max(1) as f32;
        for (field, boost) in f.text_fields() {
            // Synonyms are looked for in names, tags and summaries, not in long bodies: that
            // is where they discriminate, and body postings of a dozen variants cost most of
            // a keystroke's time on large directories.
            if field == f.body && *v != c.text {
                continue;
            }
            // A single character is looked for in names, tags and summaries: bodies are
            // indexed without unigrams (see `analyzer::BODY_TOKENIZER_NAME`).
            if field == f.body && has_single_character_run(v) {
                continue;
            }
            if let Some(q) = variant_query(field, v, plan) {
                disjuncts.push(Box::new(BoostQuery::new(q, boost * scale)));
            }
        }
    }
    for m in &c.meanings {
        if let Meaning::Term(facet, id) = m {
            let field = match facet {
                Facet::CareType => f.care,
                Facet::Need => f.need,
            };
            let t = TermQuery::new(Term::from_field_text(field, id), IndexRecordOption::Basic);
            disjuncts.push(Box::new(ConstScoreQuery::new(Box::new(t), TAG_SCORE)));
        }
    }
    (!disjuncts.is_empty())
        .then(|| Box::new(DisjunctionMaxQuery::with_tie_breaker(disjuncts, 0.1)) as Box<dyn Query>)
}

/// The text part of the query for a match mode; `None` when that mode does not apply.
fn text_query(
    f: &Fields,
    plan: &TextPlan,
    u: &Understood,
    mode: MatchMode,
) -> Option<Box<dyn Query>> {
    if u.is_empty() {
        return (mode == MatchMode::All).then(|| Box::new(AllQuery) as Box<dyn Query>);
    }
    match mode {
        MatchMode::All => {
            let mut subs: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            let mut any_required = false;
            for c in &u.clauses {
                let q = clause_query(f, plan, c).unwrap_or_else(|| Box::new(EmptyQuery));
                let occur = if c.required {
                    Occur::Must
                } else {
                    Occur::Should
                };
                any_required |= c.required;
                subs.push((occur, q));
            }
            if !any_required {
                // Only optional words (e.g. just an area name): any of them, or the area alone.
                return Some(Box::new(BooleanQuery::new(
                    subs.into_iter()
                        .map(|(_, q)| (Occur::Should, q))
                        .chain(std::iter::once((
                            Occur::Should,
                            Box::new(ConstScoreQuery::new(Box::new(AllQuery), 0.0))
                                as Box<dyn Query>,
                        )))
                        .collect(),
                )));
            }
            Some(Box::new(BooleanQuery::new(subs)))
        }
        MatchMode::Some => {
            let required = u.clauses.iter().filter(|c| c.required).count();
            if required < 2 {
                return None;
            }
            let subs: Vec<(Occur, Box<dyn Query>)> = u
                .clauses
                .iter()
                .filter_map(|c| clause_query(f, plan, c).map(|q| (Occur::Should, q)))
                .collect();
            Some(Box::new(BooleanQuery::new(subs)))
        }
        MatchMode::Approximate => {
            // Most of the bigrams of the typed words, anywhere in the name or text.
            let mut grams: Vec<String> = Vec::new();
            for c in u.clauses.iter().filter(|c| c.required) {
                for run in analyzer::query_grams(&c.text) {
                    if run.len() >= 2 {
                        grams.extend(run);
                    }
                }
            }
            grams.sort();
            grams.dedup();
            if grams.len() < 2 {
                return None;
            }
            let need = (grams.len() * 3).div_ceil(5).max(2);
            let subs: Vec<(Occur, Box<dyn Query>)> = grams
                .iter()
                .map(|g| {
                    let per_field: Vec<Box<dyn Query>> = f
                        .text_fields()
                        .iter()
                        .map(|(field, boost)| {
                            Box::new(BoostQuery::new(
                                Box::new(TermQuery::new(
                                    Term::from_field_text(*field, g),
                                    IndexRecordOption::WithFreqs,
                                )),
                                *boost,
                            )) as Box<dyn Query>
                        })
                        .collect();
                    (
                        Occur::Should,
                        Box::new(DisjunctionMaxQuery::new(per_field)) as Box<dyn Query>,
                    )
                })
                .collect();
            Some(Box::new(BooleanQuery::with_minimum_required_clauses(
                subs, need,
            )))
        }
    }
}

/// Area ids whose records someone living in `area` can use (see [`crate::directory::AreaTree::serves`]).
fn serving_area_ids(catalog: &Catalog, area: AreaIdx) -> Vec<(String, usize)> {
    let tree = &catalog.areas;
    let mut out: Vec<(String, usize)> = tree
        .self_and_ancestors(area)
        .into_iter()
        .enumerate()
        .map(|(d, i)| (tree.at(i).id.clone(), d))
        .collect();
    if tree.at(area).level != AreaLevel::Municipality {
        for i in tree.self_and_descendants(area).into_iter().skip(1) {
            let d = tree.depth(i).saturating_sub(tree.depth(area));
            out.push((tree.at(i).id.clone(), d));
        }
    }
    out
}

/// Records someone living in `area` can use.
fn area_filter(catalog: &Catalog, f: &Fields, area: AreaIdx) -> Box<dyn Query> {
    let any: Vec<(Occur, Box<dyn Query>)> = serving_area_ids(catalog, area)
        .into_iter()
        .map(|(id, _)| {
            (
                Occur::Should,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.area, &id),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>,
            )
        })
        .collect();
    Box::new(BooleanQuery::new(any))
}

fn filter_clauses(catalog: &Catalog, f: &Fields, req: &SearchRequest) -> Vec<Box<dyn Query>> {
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    if let Some(a) = req.area {
        out.push(area_filter(catalog, f, a));
    }
    for (field, ids) in [(f.care, &req.care_types), (f.need, &req.needs)] {
        for id in ids {
            out.push(Box::new(TermQuery::new(
                Term::from_field_text(field, id),
                IndexRecordOption::Basic,
            )));
        }
    }
    out
}

/// Constant bonuses for serving the area closely: exact > region > prefecture > country.
fn area_boost_clauses(catalog: &Catalog, f: &Fields, area: AreaIdx) -> Vec<Box<dyn Query>> {
    serving_area_ids(catalog, area)
        .into_iter()
        .map(|(id, d)| {
            let t = TermQuery::new(Term::from_field_text(f.area, &id), IndexRecordOption::Basic);
            Box::new(ConstScoreQuery::new(
                Box::new(t),
                AREA_BONUS[d.min(AREA_BONUS.len() - 1)],
            )) as Box<dyn Query>
        })
        .collect()
}

fn combine(
    text: Box<dyn Query>,
    filters: &[Box<dyn Query>],
    area_boosts: Option<&[Box<dyn Query>]>,
) -> Box<dyn Query> {
    let mut subs: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text)];
    for q in filters {
        // A filter restricts without adding to the score.
        subs.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(q.box_clone(), 0.0)),
        ));
    }
    if let Some(boosts) = area_boosts
        && !boosts.is_empty()
    {
        // The best matching area level counts, not their sum.
        subs.push((
            Occur::Should,
            Box::new(DisjunctionMaxQuery::new(
                boosts.iter().map(|q| q.box_clone()).collect(),
            )),
        ));
    }
    Box::new(BooleanQuery::new(subs))
}
