//! One pass over a query's matches: how many there are, and the best candidates for the
//! re-ranker — with a care type asked, the records that state it first (by score), then the
//! 要確認 rest, and how many of each.
//!
//! The records that state a care type are few (the documents' records; the open data has no
//! such column), so they are found once per search as a per-segment set, and each match is
//! looked up in it as it is collected: the text query — its fuzzy and phrase parts the costly
//! bit of a keystroke — runs once, not once for all and again for the stated.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use tantivy::collector::{Collector, Count, DocSetCollector, SegmentCollector, TopDocs};
use tantivy::index::SegmentId;
use tantivy::query::Query;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use super::Pool;

/// What one pass collected.
pub(super) struct Collected {
    /// How many records match.
    pub total: usize,
    /// How many of them cannot say whether they take the care asked (0 with none asked).
    pub care_unknown: usize,
    /// The best candidates, stated ones first.
    pub pool: Pool,
}

/// The records (per segment) that state every care type asked.
#[derive(Clone, Default)]
pub(super) struct Stated(HashMap<SegmentId, Arc<HashSet<DocId>>>);

impl Stated {
    /// The records `stated` matches.
    pub fn find(searcher: &Searcher, stated: &dyn Query) -> tantivy::Result<Stated> {
        let mut by_segment: HashMap<SegmentId, HashSet<DocId>> = HashMap::new();
        for addr in searcher.search(stated, &DocSetCollector)? {
            let seg = searcher.segment_reader(addr.segment_ord).segment_id();
            by_segment.entry(seg).or_default().insert(addr.doc_id);
        }
        Ok(Stated(
            by_segment
                .into_iter()
                .map(|(s, d)| (s, Arc::new(d)))
                .collect(),
        ))
    }

    fn of(&self, seg: &SegmentReader) -> Arc<HashSet<DocId>> {
        self.0.get(&seg.segment_id()).cloned().unwrap_or_default()
    }
}

/// Runs `q` once: the count and the best `n` by score — equal scores in catalog order (the
/// `doc_idx` fast field), so that which of many equally good records make the pool does not
/// depend on how the index happens to be split into segments (the library, the CLI and the
/// UI, from RAM or from the cache, rank alike). With `stated`, those records come first, so
/// no number of 要確認 offices can push a record that states the care out of the pool.
pub(super) fn collect(
    searcher: &Searcher,
    q: &dyn Query,
    stated: Option<&Stated>,
    n: usize,
) -> tantivy::Result<Collected> {
    let set = stated.cloned().unwrap_or_default();
    let first = set.clone();
    let top = TopDocs::with_limit(n).tweak_score(move |seg: &SegmentReader| {
        let idx = seg.fast_fields().u64("doc_idx").ok();
        let stated = first.of(seg);
        move |doc: DocId, score: Score| {
            let at = idx.as_ref().and_then(|c| c.first(doc)).unwrap_or(u64::MAX);
            (stated.contains(&doc), score, std::cmp::Reverse(at))
        }
    });
    let (total, said, top) = searcher.search(q, &(Count, CountIn(&set), top))?;
    Ok(Collected {
        total,
        care_unknown: if stated.is_some() {
            total.saturating_sub(said)
        } else {
            0
        },
        pool: top.into_iter().map(|((_, s, _), a)| (s, a)).collect(),
    })
}

/// Counts the matches in a [`Stated`] set.
struct CountIn<'a>(&'a Stated);

impl Collector for CountIn<'_> {
    type Fruit = usize;
    type Child = CountInSegment;

    fn for_segment(&self, _: SegmentOrdinal, seg: &SegmentReader) -> tantivy::Result<Self::Child> {
        Ok(CountInSegment {
            set: self.0.of(seg),
            n: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, counts: Vec<usize>) -> tantivy::Result<usize> {
        Ok(counts.into_iter().sum())
    }
}

struct CountInSegment {
    set: Arc<HashSet<DocId>>,
    n: usize,
}

impl SegmentCollector for CountInSegment {
    type Fruit = usize;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.n += usize::from(self.set.contains(&doc));
    }

    fn harvest(self) -> usize {
        self.n
    }
}
