//! "At least k of these" as a query that can skip: the sentence mode (most of a sentence's
//! words) and the approximate mode (most of the bigrams typed) need records matching `k` of
//! `n` clauses.
//!
//! tantivy's `BooleanQuery::with_minimum_required_clauses` answers this with a heap over every
//! clause that steps through each posting of each clause and scores it, and cannot seek: inside
//! an area filter it still walks every posting of the commonest word in the index (相談, 窓口
//! on a 200,000-record directory). This one keeps each clause positioned and jumps: the next
//! record that can match at least `k` clauses is no earlier than the `k`-th smallest of their
//! positions, so the clauses behind it seek there (skipping whole blocks of postings), and a
//! record is scored only once it matches. Same records, same scores (the sum over the clauses
//! matched), as the boolean query's.
//!
//! It can also note which clauses the records it scored matched ([`Seen`]): a partial answer
//! names the words no record matched (`partial.rs`), and a word the scored records matched
//! needs no search of its own.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError, Term};

/// Which clauses (of the first 64) the records scored so far matched, one bit each, shared by
/// a query and its copies.
#[derive(Debug, Clone, Default)]
pub(crate) struct Seen(Arc<AtomicU64>);

impl Seen {
    /// Whether a scored record matched clause `i`.
    pub fn matched(&self, i: usize) -> bool {
        i < 64 && self.0.load(Ordering::Relaxed) & (1 << i) != 0
    }

    fn note(&self, bits: u64) {
        if bits != 0 {
            self.0.fetch_or(bits, Ordering::Relaxed);
        }
    }
}

/// Records matching at least `k` of `clauses`, scored by the sum of those they match.
#[derive(Debug)]
pub(crate) struct AtLeast {
    clauses: Vec<Box<dyn Query>>,
    k: usize,
    seen: Option<Seen>,
}

impl Clone for AtLeast {
    fn clone(&self) -> Self {
        AtLeast {
            clauses: self.clauses.iter().map(|q| q.box_clone()).collect(),
            k: self.k,
            seen: self.seen.clone(),
        }
    }
}

impl AtLeast {
    /// At least `k` (at least one) of `clauses`.
    pub fn new(clauses: Vec<Box<dyn Query>>, k: usize) -> AtLeast {
        AtLeast {
            clauses,
            k: k.max(1),
            seen: None,
        }
    }

    /// Notes in `seen` the clauses each record scored matches.
    pub fn noting(self, seen: Seen) -> AtLeast {
        AtLeast {
            seen: Some(seen),
            ..self
        }
    }
}

impl Query for AtLeast {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .clauses
            .iter()
            .map(|q| q.weight(scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(AtLeastWeight {
            weights,
            k: self.k,
            seen: self.seen.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for q in &self.clauses {
            q.query_terms(visitor);
        }
    }
}

struct AtLeastWeight {
    weights: Vec<Box<dyn Weight>>,
    k: usize,
    seen: Option<Seen>,
}

impl Weight for AtLeastWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let clauses = self
            .weights
            .iter()
            .map(|w| w.scorer(reader, boost))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(AtLeastScorer::new(
            clauses,
            self.k,
            self.seen.clone(),
        )))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} matches fewer than {} clauses",
                self.k
            )));
        }
        Ok(Explanation::new("AtLeast", scorer.score()))
    }
}

/// The records matching at least `k` of `clauses`, in order.
struct AtLeastScorer {
    clauses: Vec<Box<dyn Scorer>>,
    k: usize,
    doc: DocId,
    /// Scratch for the clauses' positions.
    positions: Vec<DocId>,
    seen: Option<Seen>,
}

impl AtLeastScorer {
    fn new(clauses: Vec<Box<dyn Scorer>>, k: usize, seen: Option<Seen>) -> AtLeastScorer {
        let mut s = AtLeastScorer {
            positions: Vec::with_capacity(clauses.len()),
            clauses,
            k,
            doc: TERMINATED,
            seen,
        };
        s.doc = s.settle();
        s
    }

    /// The first record at or after every clause's position that `k` of them match: each
    /// clause is positioned on the first record it can match from here on, so no record
    /// before the `k`-th smallest position matches `k` of them.
    fn settle(&mut self) -> DocId {
        if self.k > self.clauses.len() {
            return TERMINATED;
        }
        loop {
            self.positions.clear();
            self.positions.extend(self.clauses.iter().map(|c| c.doc()));
            let (_, &mut candidate, _) = self.positions.select_nth_unstable(self.k - 1);
            if candidate == TERMINATED {
                return TERMINATED;
            }
            let mut on = 0;
            for c in &mut self.clauses {
                if c.doc() < candidate {
                    c.seek(candidate);
                }
                on += usize::from(c.doc() == candidate);
            }
            if on >= self.k {
                return candidate;
            }
        }
    }
}

impl DocSet for AtLeastScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        for c in &mut self.clauses {
            if c.doc() == self.doc {
                c.advance();
            }
        }
        self.doc = self.settle();
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if target <= self.doc {
            return self.doc;
        }
        for c in &mut self.clauses {
            if c.doc() < target {
                c.seek(target);
            }
        }
        self.doc = self.settle();
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    /// At most the records of the `n - k + 1` smallest clauses: a record matching `k` of
    /// them matches one of those.
    fn size_hint(&self) -> u32 {
        let mut sizes: Vec<u32> = self.clauses.iter().map(|c| c.size_hint()).collect();
        sizes.sort_unstable();
        let take = (sizes.len() + 1).saturating_sub(self.k);
        sizes
            .iter()
            .take(take)
            .fold(0u32, |sum, s| sum.saturating_add(*s))
    }

    fn cost(&self) -> u64 {
        self.clauses.iter().map(|c| c.cost()).sum()
    }
}

impl Scorer for AtLeastScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        let mut bits = 0u64;
        let mut score = 0.0;
        for (i, c) in self.clauses.iter_mut().enumerate() {
            if c.doc() == doc {
                score += c.score();
                bits |= 1u64.checked_shl(i as u32).unwrap_or(0);
            }
        }
        if let Some(seen) = &self.seen {
            seen.note(bits);
        }
        score
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, Occur, TermQuery};
    use tantivy::schema::{IndexRecordOption, STRING, Schema};
    use tantivy::{DocAddress, Index, IndexWriter, TantivyDocument};

    use super::*;

    const WORDS: [&str; 5] = ["a", "b", "c", "d", "e"];

    /// The records each query finds, with their scores, best first (ties by address).
    fn found(index: &Index, q: &dyn Query) -> Vec<(DocAddress, u32)> {
        let searcher = index.reader().unwrap().searcher();
        let mut top = searcher
            .search(q, &TopDocs::with_limit(10_000).order_by_score())
            .unwrap();
        top.sort_by_key(|(_, a)| *a);
        // Scores compared to a thousandth: the sums are added in another order.
        top.into_iter()
            .map(|(s, a)| (a, (s * 1000.0).round() as u32))
            .collect()
    }

    proptest! {
        /// Whatever the records and `k`, the same records with the same scores as tantivy's
        /// boolean query with a minimum number of clauses — over several segments.
        #[test]
        fn finds_what_the_boolean_query_with_a_minimum_finds(
            docs in prop::collection::vec(prop::collection::vec(0usize..5, 0..6), 1..80),
            k in 1usize..5,
            clauses in prop::collection::btree_set(0usize..5, 1..5),
        ) {
            let mut schema = Schema::builder();
            let f = schema.add_text_field("w", STRING);
            let index = Index::create_in_ram(schema.build());
            let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
            for (i, words) in docs.iter().enumerate() {
                let mut doc = TantivyDocument::default();
                for &w in words {
                    doc.add_text(f, WORDS[w]);
                }
                writer.add_document(doc).unwrap();
                if i % 17 == 16 {
                    writer.commit().unwrap();
                }
            }
            writer.commit().unwrap();
            let terms = || -> Vec<Box<dyn Query>> {
                clauses
                    .iter()
                    .map(|&w| {
                        let t = Term::from_field_text(f, WORDS[w]);
                        Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)) as Box<dyn Query>
                    })
                    .collect()
            };
            let ours = AtLeast::new(terms(), k);
            let theirs = BooleanQuery::with_minimum_required_clauses(
                terms().into_iter().map(|q| (Occur::Should, q)).collect(),
                k,
            );
            let want = if k > clauses.len() { vec![] } else { found(&index, &theirs) };
            prop_assert_eq!(found(&index, &ours), want);
            // And as a part of an intersection, which seeks it.
            let every = |q: Box<dyn Query>| -> Box<dyn Query> {
                let t = Term::from_field_text(f, WORDS[0]);
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, Box::new(TermQuery::new(t, IndexRecordOption::Basic)) as Box<dyn Query>),
                    (Occur::Must, q),
                ]))
            };
            let want = if k > clauses.len() { vec![] } else { found(&index, &*every(Box::new(theirs))) };
            prop_assert_eq!(found(&index, &*every(Box::new(ours))), want);
        }
    }

    /// The clauses noted are those the records scored match — not a clause that matches only
    /// records with too few of the others.
    #[test]
    fn notes_the_clauses_the_records_found_match() {
        let mut schema = Schema::builder();
        let f = schema.add_text_field("w", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for words in [&["a", "b"][..], &["c"], &["a", "d"]] {
            let mut doc = TantivyDocument::default();
            for w in words {
                doc.add_text(f, w);
            }
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let seen = Seen::default();
        let clauses: Vec<Box<dyn Query>> = ["a", "b", "c", "d"]
            .iter()
            .map(|w| {
                let t = Term::from_field_text(f, w);
                Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)) as Box<dyn Query>
            })
            .collect();
        let q = AtLeast::new(clauses, 2).noting(seen.clone());
        assert_eq!(found(&index, &q).len(), 2);
        let noted: Vec<bool> = (0..4).map(|i| seen.matched(i)).collect();
        assert_eq!(noted, [true, true, false, true]);
    }
}
