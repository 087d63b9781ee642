//! The query plan: turning understood clauses and a request's filters into tantivy queries.
//!
//! - Each clause is the best (`DisjunctionMax`) of its variants in each text field, boosted by
//!   the field's weight (name > taxonomy > summary > body) and scored per gram so a long
//!   synonym does not outscore the word typed; a taxonomy meaning adds a constant tag score.
//! - A variant is a phrase of its bigrams per run (or one known-word token, same score, no
//!   position reads).
//! - Three match modes, tried in turn by the engine: every required word ([`MatchMode::All`];
//!   in a sentence of three words or more, more than half of them, ranked by how many match),
//!   any of them ([`MatchMode::Some`]), or most of their bigrams ([`MatchMode::Approximate`]).
//! - Filters (area, care types, needs, 電話あり) restrict without scoring; the area filter is
//!   "serves the area, or lies within reach of its office" (`near.rs`); the care filter is
//!   "states every care type asked, or cannot say" (要確認: the open-data offices, see
//!   [`crate::directory::filters`]) — the 要確認 tier ranks after the stated one in `rank.rs`
//!   and is collected after it (`SearchEngine`'s fetch); an area adds a constant
//!   bonus by closeness of the service areas (exact > region > prefecture > country), the best
//!   level only (distance ranks in `rank.rs`).

use std::sync::Mutex;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, EmptyQuery, Occur,
    PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::analyzer::{self, KnownWords};
use super::at_least::{AtLeast, Seen};
use super::index::{Fields, HAS_PHONE};
use super::near::Near;
use super::query::{Clause, Understood, Wide};
use super::vocab::Meaning;
use super::{MatchMode, SearchRequest};
use crate::directory::{AreaIdx, AreaLevel, Catalog, Facet};

/// Points added for serving the area exactly, its region, its prefecture, the country.
const AREA_BONUS: [f32; 4] = [5.0, 2.5, 1.5, 0.5];
/// Weight of a taxonomy tag that satisfies a clause.
const TAG_SCORE: f32 = 2.0;
/// Weight of a tag that a glossary word only implies (居宅訪問型 → 児童発達支援): below a text
/// match of the word, so the offices that name the service come before those merely tagged
/// with the broader need.
const IMPLIED_TAG_SCORE: f32 = 0.5;
/// Weight of a synonym or variant relative to the spelling typed.
const EXPANSION_WEIGHT: f32 = 0.8;

/// What the index says about a text's grams in one field.
struct GramStats {
    /// Their mean BM25 idf.
    mean_idf: f32,
    /// Whether each of them occurs in the field at all.
    all_present: bool,
}

/// From this many required words on, a query is a sentence: a record need not match them all.
pub(crate) const SENTENCE_WORDS: usize = 3;

/// How many of a sentence's `n` required words a record must match: more than half
/// (2 of 3, 3 of 4 or 5, 4 of 6 …).
fn sentence_minimum(n: usize) -> usize {
    n / 2 + 1
}

/// A boxed query, as tantivy composes them.
pub(crate) type Q = Box<dyn Query>;

/// How text terms are looked up in this index.
pub(crate) struct TextPlan<'a> {
    /// Field handles.
    pub fields: Fields,
    /// Words indexed as single tokens.
    pub known: &'a KnownWords,
    /// For term statistics.
    pub searcher: &'a Searcher,
    /// Clause queries built for earlier searches of the same index.
    pub recent: &'a RecentClauses,
    /// The required words of a sentence that the records scored in [`MatchMode::All`]
    /// matched (by their order among the required clauses).
    pub seen: Seen,
}

/// How many clause queries are kept: the words of a query and of its relaxations.
const RECENT_CLAUSES: usize = 32;

/// The clause queries built last, most recent first. While a clerk types, every word before
/// the one being typed is the same at each keystroke; building its query again (term
/// statistics for each variant in each field) would be most of the keystroke's time.
#[derive(Default)]
pub(crate) struct RecentClauses(Mutex<Vec<(Clause, Option<Q>)>>);

impl RecentClauses {
    fn get_or_build(
        &self,
        c: &Clause,
        build: impl FnOnce() -> tantivy::Result<Option<Q>>,
    ) -> tantivy::Result<Option<Q>> {
        let copy = |q: &Option<Q>| q.as_ref().map(|q| q.box_clone());
        {
            let mut recent = self.0.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(at) = recent.iter().position(|(k, _)| k == c) {
                let hit = recent.remove(at);
                let q = copy(&hit.1);
                recent.insert(0, hit);
                return Ok(q);
            }
        }
        let q = build()?;
        let mut recent = self.0.lock().unwrap_or_else(|e| e.into_inner());
        recent.insert(0, (c.clone(), copy(&q)));
        recent.truncate(RECENT_CLAUSES);
        Ok(q)
    }
}

impl TextPlan<'_> {
    /// BM25 idf of a term, as tantivy computes it.
    fn idf(&self, term: &Term) -> tantivy::Result<f32> {
        Ok(bm25_idf(
            self.searcher.num_docs(),
            self.searcher.doc_freq(term)?,
        ))
    }

    /// The text part of the query for a match mode; `None` when that mode does not apply.
    pub fn text_query(&self, u: &Understood, mode: MatchMode) -> tantivy::Result<Option<Q>> {
        if u.is_empty() {
            return Ok((mode == MatchMode::All).then(|| Box::new(AllQuery) as Q));
        }
        match mode {
            MatchMode::All => self.all_words(u).map(Some),
            MatchMode::Some => self.some_words(u),
            MatchMode::Approximate => Ok(self.most_grams(u)),
        }
    }

    /// Every required clause must match; optional ones only rank. A sentence (three required
    /// words or more, filler already gone) needs only most of them ([`sentence_minimum`]):
    /// the score, a sum over the words matched, ranks by how many match and how well.
    fn all_words(&self, u: &Understood) -> tantivy::Result<Q> {
        let mut subs: Vec<(Occur, Q)> = Vec::new();
        let mut required: Vec<(Occur, Q)> = Vec::new();
        for c in &u.clauses {
            let q = self.clause(c)?.unwrap_or_else(|| Box::new(EmptyQuery));
            if c.required {
                required.push((Occur::Must, q));
            } else {
                subs.push((Occur::Should, q));
            }
        }
        let n = required.len();
        if n >= SENTENCE_WORDS {
            let most: Vec<Q> = required.into_iter().map(|(_, q)| q).collect();
            let q = AtLeast::new(most, sentence_minimum(n)).noting(self.seen.clone());
            subs.push((Occur::Must, Box::new(q)));
            return Ok(Box::new(BooleanQuery::new(subs)));
        }
        if n > 0 {
            subs.extend(required);
            return Ok(Box::new(BooleanQuery::new(subs)));
        }
        // Only optional words (e.g. just an area name): any of them, or the area alone.
        let anything: Q = Box::new(ConstScoreQuery::new(Box::new(AllQuery), 0.0));
        Ok(Box::new(BooleanQuery::new(
            subs.into_iter()
                .map(|(_, q)| (Occur::Should, q))
                .chain(std::iter::once((Occur::Should, anything)))
                .collect(),
        )))
    }

    /// Any of the clauses (only worth trying with two required words or more).
    fn some_words(&self, u: &Understood) -> tantivy::Result<Option<Q>> {
        if u.clauses.iter().filter(|c| c.required).count() < 2 {
            return Ok(None);
        }
        let mut subs: Vec<(Occur, Q)> = Vec::new();
        for c in &u.clauses {
            if let Some(q) = self.clause(c)? {
                subs.push((Occur::Should, q));
            }
        }
        Ok(Some(Box::new(BooleanQuery::new(subs))))
    }

    /// Most (3/5, at least two) of the bigrams of the typed words, anywhere in the text.
    fn most_grams(&self, u: &Understood) -> Option<Q> {
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
        let subs: Vec<Q> = grams
            .iter()
            .map(|g| {
                let per_field: Vec<Q> = self
                    .fields
                    .text_fields()
                    .iter()
                    .map(|(field, boost)| {
                        let t = Term::from_field_text(*field, g);
                        let q = TermQuery::new(t, IndexRecordOption::WithFreqs);
                        Box::new(BoostQuery::new(Box::new(q), *boost)) as Q
                    })
                    .collect();
                Box::new(DisjunctionMaxQuery::new(per_field)) as Q
            })
            .collect();
        Some(Box::new(AtLeast::new(subs, need)))
    }

    /// A clause as a query: the best of its variants in any field, or a taxonomy tag.
    pub fn clause(&self, c: &Clause) -> tantivy::Result<Option<Q>> {
        self.recent.get_or_build(c, || self.build_clause(c))
    }

    /// [`Self::clause`], built.
    fn build_clause(&self, c: &Clause) -> tantivy::Result<Option<Q>> {
        let f = &self.fields;
        let mut disjuncts: Vec<Q> = Vec::new();
        // The typed word's mean gram idf per text field, computed when an expansion needs it.
        let mut typed_idf: [Option<f32>; 4] = [None; 4];
        for v in &c.variants {
            // A phrase scores roughly the sum over its grams, so long variants would outscore
            // the word typed; score per gram instead, and the typed spelling above its
            // expansions.
            let grams: usize = analyzer::query_grams(v).iter().map(Vec::len).sum();
            let is_typed = *v == c.text;
            let typed = if is_typed { 1.0 } else { EXPANSION_WEIGHT };
            for (i, (field, boost)) in f.text_fields().into_iter().enumerate() {
                // Synonyms are looked for in names, tags and summaries, not in long bodies:
                // that is where they discriminate, and body postings of a dozen variants cost
                // most of a keystroke's time on large directories.
                if field == f.body && !is_typed {
                    continue;
                }
                // A single character is looked for in names, tags and summaries: bodies are
                // indexed without unigrams (see `analyzer::BODY_TOKENIZER_NAME`).
                if field == f.body && has_single_character_run(v) {
                    continue;
                }
                let stats = self.gram_stats(field, v)?;
                // A gram that occurs nowhere in the field: the variant cannot match there.
                if !stats.all_present {
                    continue;
                }
                let mut scale = c.weight * typed / grams.max(1) as f32;
                // An expansion is no more specific than the word typed: its grams' mean idf is
                // capped at the typed word's, so a short synonym made of rare grams (家族会)
                // does not outrank the record that holds the very word typed (ペアレント
                // メンター, whose grams include common ones such as ター) — the larger the
                // directory, the wider that gap would grow.
                if !is_typed {
                    let t = match typed_idf[i] {
                        Some(t) => t,
                        None => *typed_idf[i].insert(self.gram_stats(field, &c.text)?.mean_idf),
                    };
                    if stats.mean_idf > t && t > 0.0 {
                        scale *= t / stats.mean_idf;
                    }
                }
                if let Some(q) = self.variant(field, v)? {
                    disjuncts.push(Box::new(BoostQuery::new(q, boost * scale)));
                }
            }
        }
        for m in &c.meanings {
            let (facet, id, score) = match m {
                Meaning::Term(facet, id) => (facet, id, TAG_SCORE),
                Meaning::Implied(facet, id) => (facet, id, IMPLIED_TAG_SCORE),
                Meaning::Glossary(_) => continue,
            };
            let field = match facet {
                Facet::CareType => f.care,
                Facet::Need => f.need,
            };
            let t = TermQuery::new(Term::from_field_text(field, id), IndexRecordOption::Basic);
            disjuncts.push(Box::new(ConstScoreQuery::new(Box::new(t), score)));
        }
        Ok((!disjuncts.is_empty())
            .then(|| Box::new(DisjunctionMaxQuery::with_tie_breaker(disjuncts, 0.1)) as Q))
    }

    /// The mean idf of a text's grams in a field, and whether every gram occurs there.
    fn gram_stats(&self, field: Field, text: &str) -> tantivy::Result<GramStats> {
        let (mut sum, mut n, mut all_present) = (0.0f32, 0usize, true);
        for g in analyzer::query_grams(text).into_iter().flatten() {
            let term = Term::from_field_text(field, &g);
            let df = self.searcher.doc_freq(&term)?;
            all_present &= df > 0;
            sum += bm25_idf(self.searcher.num_docs(), df);
            n += 1;
        }
        Ok(GramStats {
            mean_idf: if n == 0 { 0.0 } else { sum / n as f32 },
            all_present,
        })
    }

    /// A variant in one field: each run of the normalized text must occur as typed. A run
    /// that is a known word is one token; any other run is a phrase of its bigrams.
    fn variant(&self, field: Field, variant: &str) -> tantivy::Result<Option<Q>> {
        let mut parts: Vec<Q> = Vec::new();
        for run in analyzer::query_grams(variant) {
            if let Some(q) = self.run(field, &run)? {
                parts.push(q);
            }
        }
        Ok(match parts.len() {
            0 => None,
            1 => parts.pop(),
            _ => Some(Box::new(BooleanQuery::new(
                parts.into_iter().map(|p| (Occur::Must, p)).collect(),
            ))),
        })
    }

    /// One run of grams: a phrase, a term, or a known-word token.
    fn run(&self, field: Field, run: &[String]) -> tantivy::Result<Option<Q>> {
        // Overlapping bigrams at positions 0, 2, 4 … (and the last one) already pin every
        // character in place, so the phrase needs about half the postings: same matches, less
        // position reading.
        let last = run.len().saturating_sub(1);
        let mut terms: Vec<(usize, Term)> = run
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 2 == 0 || *i == last)
            .map(|(i, g)| (i, Term::from_field_text(field, g)))
            .collect();
        if terms.len() > 1
            && let Some(token) = self.known.token(&run_text(run))
        {
            // Same matches as the phrase and, boosted by the ratio of their idfs, the same
            // score (BM25 of a phrase: the sum of its terms' idfs times one tf factor, and the
            // phrase occurs exactly where the token does) — without reading positions.
            let token = Term::from_field_text(field, &token);
            let mut phrase_idf = 0.0;
            for (_, t) in &terms {
                phrase_idf += self.idf(t)?;
            }
            let boost = phrase_idf / self.idf(&token)?.max(f32::EPSILON);
            let q = TermQuery::new(token, IndexRecordOption::WithFreqs);
            return Ok(Some(Box::new(BoostQuery::new(Box::new(q), boost))));
        }
        Ok(match terms.len() {
            0 => None,
            1 => terms
                .pop()
                .map(|(_, t)| Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)) as Q),
            _ => Some(Box::new(PhraseQuery::new_with_offset(terms))),
        })
    }
}

/// BM25 idf of a term in `docs` documents, `df` of which hold it (tantivy's formula).
fn bm25_idf(docs: u64, df: u64) -> f32 {
    let (n, df) = (docs as f32, df as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
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

/// The records whose whole name, alias or reading is what was typed: the required words
/// together (「ミリミリ 品川」 is the name ミリミリ品川), or one of them alone when there are
/// several, or the text as typed (`y&n`, whose words the analyzer splits) or one of its
/// words. `None` when nothing was typed.
pub(crate) fn name_key_query(f: &Fields, u: &Understood, typed: &str) -> Option<Q> {
    let words: Vec<&str> = u
        .clauses
        .iter()
        .filter(|c| c.required)
        .map(|c| c.text.as_str())
        .collect();
    let mut keys: Vec<String> = vec![super::index::name_key(&words.concat())];
    if words.len() > 1 {
        keys.extend(words.iter().map(|w| super::index::name_key(w)));
    }
    if !words.is_empty() {
        keys.push(super::index::name_key(typed));
        // Each word as typed: a name beside its town (八千代市 こども療育学園ふらっぷ八千代台),
        // whose known words (療育, ショートステイ) are all that is required of it.
        let typed_words: Vec<&str> = typed.split_whitespace().collect();
        if typed_words.len() > 1 {
            keys.extend(typed_words.iter().map(|w| super::index::name_key(w)));
        }
    }
    keys.retain(|k| !k.is_empty());
    keys.sort();
    keys.dedup();
    if keys.is_empty() {
        return None;
    }
    let subs: Vec<(Occur, Q)> = keys
        .iter()
        .map(|k| {
            let t = TermQuery::new(
                Term::from_field_text(f.name_key, k),
                IndexRecordOption::Basic,
            );
            (Occur::Should, Box::new(t) as Q)
        })
        .collect();
    Some(Box::new(BooleanQuery::new(subs)))
}

/// Service-area ids whose records someone living in `area` can use, with their closeness
/// (the rule is [`crate::directory::AreaTree::serving`]).
fn serving_area_ids(catalog: &Catalog, area: AreaIdx) -> impl Iterator<Item = (&str, usize)> {
    let tree = &catalog.areas;
    tree.serving(area)
        .into_iter()
        .map(move |(a, d)| (tree.at(a).id.as_str(), d))
}

fn area_term(f: &Fields, id: &str) -> TermQuery {
    TermQuery::new(Term::from_field_text(f.area, id), IndexRecordOption::Basic)
}

/// Records someone living in `area` can use.
pub(crate) fn area_filter(catalog: &Catalog, f: &Fields, area: AreaIdx) -> Q {
    let any: Vec<(Occur, Q)> = serving_area_ids(catalog, area)
        .map(|(id, _)| (Occur::Should, Box::new(area_term(f, id)) as Q))
        .collect();
    Box::new(BooleanQuery::new(any))
}

/// Records located or serving in `area` itself or a place inside it (its wards), not only
/// its prefecture or the country.
pub(crate) fn within_area(catalog: &Catalog, f: &Fields, area: AreaIdx) -> Q {
    let tree = &catalog.areas;
    let any: Vec<(Occur, Q)> = tree
        .self_and_descendants(area)
        .into_iter()
        .map(|a| (Occur::Should, Box::new(area_term(f, &tree.at(a).id)) as Q))
        .collect();
    Box::new(BooleanQuery::new(any))
}

/// Records located or serving in one of `areas` itself or a place inside it.
pub(crate) fn within_any_area(catalog: &Catalog, f: &Fields, areas: &[AreaIdx]) -> Q {
    Box::new(BooleanQuery::new(
        areas
            .iter()
            .map(|&a| (Occur::Should, within_area(catalog, f, a)))
            .collect(),
    ))
}

/// Records with every care type of `ids`.
pub(crate) fn care_stated(f: &Fields, ids: &[String]) -> Q {
    let stated: Vec<(Occur, Q)> = ids
        .iter()
        .map(|id| {
            let t = TermQuery::new(Term::from_field_text(f.care, id), IndexRecordOption::Basic);
            (Occur::Must, Box::new(t) as Q)
        })
        .collect();
    Box::new(BooleanQuery::new(stated))
}

/// What the care filter leaves out: records whose data says which care they take, and not
/// every one of `ids`. What is left — the records with every care type, or whose care is
/// 要確認 (unknown is not no: see [`crate::directory::filters`]) — is not enumerated: the
/// records that say are few, the 要確認 offices tens of thousands.
fn care_excluded(f: &Fields, ids: &[String]) -> Q {
    Box::new(BooleanQuery::new(vec![
        (
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_u64(f.care_unknown, 0),
                IndexRecordOption::Basic,
            )),
        ),
        (Occur::MustNot, care_stated(f, ids)),
    ]))
}

/// The request's filters, each a clause records must match ([`Occur::Must`]) or must not
/// ([`Occur::MustNot`]): the area first (serving it, or within reach: `near`; or serving one of
/// `any_of_areas`), then the care
/// types (leaving out who says no), every need, then 電話あり.
pub(crate) fn filter_clauses(
    catalog: &Catalog,
    f: &Fields,
    req: &SearchRequest,
    near: Option<&Near>,
) -> Vec<(Occur, Q)> {
    let mut out: Vec<(Occur, Q)> = Vec::new();
    if let Some(a) = req.area {
        let serving = area_filter(catalog, f, a);
        out.push((
            Occur::Must,
            match near.filter(|n| !n.is_empty()) {
                Some(n) => Box::new(BooleanQuery::new(vec![
                    (Occur::Should, serving),
                    (Occur::Should, n.query()),
                ])),
                None => serving,
            },
        ));
    }
    if req.area.is_none() && !req.any_of_areas.is_empty() {
        let mut any: Vec<(Occur, Q)> = req
            .any_of_areas
            .iter()
            .map(|&a| (Occur::Should, area_filter(catalog, f, a)))
            .collect();
        if let Some(n) = near.filter(|n| !n.is_empty()) {
            any.push((Occur::Should, n.query()));
        }
        out.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    if !req.care_types.is_empty() {
        out.push((Occur::MustNot, care_excluded(f, &req.care_types)));
    }
    for id in &req.needs {
        out.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(f.need, id),
                IndexRecordOption::Basic,
            )),
        ));
    }
    if req.with_phone {
        out.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(f.has, HAS_PHONE),
                IndexRecordOption::Basic,
            )),
        ));
    }
    out
}

/// Constant bonuses for serving the area closely: exact > region > prefecture > country; or,
/// when the enquiry asks what the prefecture (the country) provides, that level first.
pub(crate) fn area_boost_clauses(
    catalog: &Catalog,
    f: &Fields,
    area: AreaIdx,
    wide: Option<Wide>,
) -> Vec<Q> {
    let asked = match wide {
        Some(Wide::Prefecture) => Some(AreaLevel::Prefecture),
        Some(Wide::Country) => Some(AreaLevel::Country),
        None => None,
    };
    let tree = &catalog.areas;
    tree.serving(area)
        .into_iter()
        .map(|(a, d)| {
            let bonus = match asked {
                Some(level) if tree.at(a).level == level => AREA_BONUS[0] * 2.0,
                _ => AREA_BONUS[d.min(AREA_BONUS.len() - 1)],
            };
            let id = tree.at(a).id.as_str();
            Box::new(ConstScoreQuery::new(Box::new(area_term(f, id)), bonus)) as Q
        })
        .collect()
}

/// The text query restricted by the filters (which add nothing to the score) and ranked up
/// by the best area bonus, if any.
pub(crate) fn combine(text: Q, filters: &[(Occur, Q)], area_boosts: Option<&[Q]>) -> Q {
    let mut subs: Vec<(Occur, Q)> = vec![(Occur::Must, text)];
    for (occur, q) in filters {
        subs.push(match occur {
            Occur::MustNot => (Occur::MustNot, q.box_clone()),
            _ => (
                Occur::Must,
                Box::new(ConstScoreQuery::new(q.box_clone(), 0.0)),
            ),
        });
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
