//! Re-ranking the candidate pool from the index alone (SPEC §3 "Ranking").
//!
//! tantivy's score already orders by field (name > taxonomy > summary > body) and by area
//! closeness (constant bonuses, see `plan.rs`). On top of it, for the few hundred candidates:
//!
//! | factor | when | × |
//! |---|---|---|
//! | status | active 1.0, trial 0.95, planned 0.75, paused 0.6, ended 0.5 | [`status_factor`] |
//! | the name | the words typed are the record's whole name, an alias or its reading | [`NAME_FACTOR`] |
//! | distance | an area is selected and the record has coordinates | [`distance_factor`] |
//!
//! Distance is a strong factor: within [`NEARBY_KM`] it costs nothing (a facility across town
//! is worth a programme of the area, which has no coordinates); [`DISTANCE_SCALE_KM`] beyond
//! that a record keeps half its score, 200 km away about a tenth, so a far office needs a much
//! better match to outrank a near one.
//! Records without coordinates keep their score (their area bonus already ranks them).
//! Sorted by distance ([`Sort::Distance`], 近い順), records with a distance come first,
//! nearest first, then the others by score.
//!
//! And one ordering above the factors: when the query asks for a service a family uses (a need
//! or care type, not 研修, 会議, 協議, 補助 …: [`asks_for_a_service`]), the records that provide
//! it come before the councils, subsidies and programmes that develop it and the corporations
//! (運営法人) that run it ([`index::develops_services`]) — 訪問看護 is a station, not the course
//! for its nurses; 放課後等デイサービス is ミント, not 株式会社Y＆N — unless the words typed are
//! that programme's or corporation's name.
//!
//! The name factor answers the clerk who types the name of what the caller asked for: BM25
//! alone can rank a record whose short name is a synonym (家族会 for ペアレントメンター) above
//! the one that is called exactly that, and the more records the directory holds, the more
//! often it does.
//!
//! And one above all: with a care type asked, the records whose data states it come before
//! those whose care is 要確認 (open-data offices, which the filter keeps: unknown is not no, see
//! [`crate::directory::filters`]), in every sort; within each of the two tiers the order is
//! the one above.
//!
//! Ties go to the record earlier in the catalog, so the order is the same on every start.
//! Everything is read from fast fields and postings: decoding a record from the on-disk cache
//! costs more than the search.

use tantivy::query::{EnableScoring, Query, Scorer};
use tantivy::{DocAddress, Searcher};

use crate::directory::{GeoPoint, Status};

use super::query::Understood;
use super::vocab::Meaning;
use super::{Sort, index};

/// At this distance beyond [`NEARBY_KM`] a record keeps half its score.
pub(crate) const DISTANCE_SCALE_KM: f32 = 20.0;

/// Within this distance of the area's office a record is as near as one without coordinates
/// (a programme of the area): a facility across town is not worth less than a programme.
pub(crate) const NEARBY_KM: f32 = 5.0;

/// How much a record's distance from the area's office keeps of its score.
pub(crate) fn distance_factor(km: Option<f32>) -> f32 {
    km.map_or(1.0, |d| {
        1.0 / (1.0 + (d - NEARBY_KM).max(0.0) / DISTANCE_SCALE_KM)
    })
}

/// A record whose whole name (or alias, or reading) is what was typed counts this much more.
pub(crate) const NAME_FACTOR: f32 = 3.0;

/// Needs whose records are what develops services: a query meaning one of them asks for those.
const DEVELOPING_NEEDS: [&str; 3] = ["training", "council", "financial"];
/// Words that ask for courses, meetings and money even when no need is recognised (kanji:
/// already in normalized form, compared with the clause text as is on every keystroke).
const DEVELOPING_WORDS: [&str; 8] = [
    "研修",
    "会議",
    "協議",
    "補助",
    "助成",
    "開拓",
    "計画",
    "連絡会",
];

/// Whether a query asks for a service a family uses (a need or care type: ショートステイ,
/// 人工呼吸器 …) and not for what develops services (研修, 協議の場, 補助金 …).
pub(crate) fn asks_for_a_service(u: &Understood) -> bool {
    let terms = || {
        u.clauses
            .iter()
            .flat_map(|c| &c.meanings)
            .filter_map(|m| match m {
                Meaning::Term(_, id) | Meaning::Implied(_, id) => Some(id.as_str()),
                Meaning::Glossary(_) => None,
            })
    };
    let developing_word = u
        .clauses
        .iter()
        .any(|c| DEVELOPING_WORDS.iter().any(|w| c.text.contains(w)));
    !terms().any(|id| DEVELOPING_NEEDS.contains(&id)) && !developing_word
}

/// How much a record's status keeps of its score.
pub(crate) fn status_factor(s: Status) -> f32 {
    match s {
        Status::Active => 1.0,
        Status::Trial => 0.95,
        Status::Planned => 0.75,
        Status::Paused => 0.6,
        Status::Ended => 0.5,
        // Not indexed (see `index::fill`): never ranked.
        Status::Closed => 0.0,
    }
}

/// One candidate as the index knows it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Candidate {
    /// tantivy's score.
    pub score: f32,
    /// Position of the record in the catalog.
    pub resource: usize,
    /// Its status.
    pub status: Status,
    /// Whether the words typed are its name, an alias or its reading.
    pub named: bool,
    /// Whether it develops or runs services (a programme, a corporation) and the query asks for
    /// the service itself.
    pub off_call: bool,
    /// Whether it is an office designated only for other service types than the query names
    /// (see [`super::services`]).
    pub other_type: bool,
    /// Whether it is an office designated for a service type the query names.
    pub designated: bool,
    /// Whether it matches only some of the words (listed after those matching every word,
    /// when those are few).
    pub partial: bool,
    /// Km from the selected area's office, when both have coordinates.
    pub distance_km: Option<f32>,
    /// Whether a care type is asked and its source cannot say (要確認).
    pub care_unknown: bool,
    /// Whether it is in the selected area itself (asked only with [`Asked::types_only`]).
    pub in_area: bool,
    /// Whether its text answers who the child is (重心, 医療的ケア児 beside a type: asked only
    /// with [`Asked::types_only`]).
    pub says_who: bool,
    /// Whether days are asked and its hours do not say it is open on each of them
    /// ([`super::days`]): listed after those that do.
    pub not_open_those_days: bool,
}

/// One ranked record.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Ranked {
    /// Final score.
    pub score: f32,
    /// Position of the record in the catalog.
    pub resource: usize,
    /// Km from the selected area's office.
    pub distance_km: Option<f32>,
    /// Whether its care is 要確認 (see [`Candidate::care_unknown`]).
    pub care_unknown: bool,
    /// Whether it is an office of a service type the query names.
    pub designated: bool,
    /// Whether the words typed are its name, an alias or its reading.
    pub named: bool,
}

/// Candidates ordered best first: those stating the care asked before those whose care is
/// 要確認; in each, those matching every word before those matching some, each with offices of
/// other service types than the query names after the rest, and providers before developers
/// when the query asks for a service; then score ×
/// status × name × distance factors, ties by catalog order (or nearest first, see the module
/// doc); at most `limit`.
pub(crate) fn rank(candidates: Vec<Candidate>, limit: usize, sort: Sort) -> Vec<Ranked> {
    let mut ranked: Vec<(u8, Ranked)> = candidates
        .into_iter()
        .map(|c| {
            let mut s = c.score * status_factor(c.status) * distance_factor(c.distance_km);
            if c.named {
                s *= NAME_FACTOR;
            }
            // Called by its own name, a programme is what the clerk asked for.
            let ranked = Ranked {
                score: s,
                resource: c.resource,
                distance_km: c.distance_km,
                care_unknown: c.care_unknown,
                designated: c.designated,
                named: c.named,
            };
            let tier = 16 * u8::from(c.care_unknown)
                + 8 * u8::from(c.partial)
                + 4 * u8::from(c.other_type && !c.named)
                + 2 * u8::from(c.not_open_those_days && !c.named)
                + u8::from(c.off_call && !c.named);
            (tier, ranked)
        })
        .collect();
    // Each tier's scores are scaled below every score of the tiers before it, so the score
    // shown with a hit (`search --json`) still falls down the list.
    for tier in 1..32u8 {
        let lowest_before = ranked
            .iter()
            .filter(|c| c.0 < tier)
            .map(|c| c.1.score)
            .reduce(f32::min);
        let highest = ranked
            .iter()
            .filter(|c| c.0 == tier)
            .map(|c| c.1.score)
            .reduce(f32::max);
        if let (Some(low), Some(high)) = (lowest_before, highest)
            && high >= low
            && high > 0.0
        {
            let scale = 0.9 * low / high;
            for c in ranked.iter_mut().filter(|c| c.0 == tier) {
                c.1.score *= scale;
            }
        }
    }
    let by_score = |a: &Ranked, b: &Ranked| b.score.total_cmp(&a.score);
    match sort {
        Sort::Relevance => ranked.sort_by(|(da, a), (db, b)| {
            da.cmp(db)
                .then(by_score(a, b))
                .then(a.resource.cmp(&b.resource))
        }),
        Sort::Distance => ranked.sort_by(|(_, a), (_, b)| {
            let far = |r: &Ranked| r.distance_km.unwrap_or(f32::INFINITY);
            a.care_unknown
                .cmp(&b.care_unknown)
                .then(far(a).total_cmp(&far(b)))
                .then(by_score(a, b))
                .then(a.resource.cmp(&b.resource))
        }),
    }
    ranked.truncate(limit);
    ranked.into_iter().map(|(_, r)| r).collect()
}

/// What the re-ranking needs to know of the query, besides its pool.
pub(crate) struct Asked<'q> {
    /// The name-key query: which candidates the words typed name.
    pub named: Option<&'q dyn Query>,
    /// Whether the query asks for a service a family uses ([`asks_for_a_service`]).
    pub for_the_service: bool,
    /// The selected area's office; with no area and a name several areas share (南部町),
    /// each of theirs — a record's distance is from the nearest.
    pub origins: Vec<GeoPoint>,
    /// Whether a care type is asked (the 要確認 tier applies).
    pub care: bool,
    /// The designated service types the query names (see [`super::services`]).
    pub service_types: u64,
    /// Whether the words are nothing but those types' names ([`types_only`]).
    pub types_only: bool,
    /// With [`Asked::types_only`], the records in the selected area itself
    /// ([`super::plan::within_area`]).
    pub within_area: Option<&'q dyn Query>,
    /// The days of the week asked ([`super::days`]).
    pub days: u64,
    /// With [`Asked::types_only`], the records whose text says who the child is as the words
    /// do ([`super::query::says_who_the_child_is`]).
    pub who: Option<&'q dyn Query>,
}

/// With only type names asked, an office of the type whose text says who the child is as the
/// words do (重心 ショートステイ: 重症心身障害児 in its name) counts this much nearer — as
/// much as being in the caller's municipality ([`WITHIN_AREA_FACTOR`]).
pub(crate) const SAYS_WHO_FACTOR: f32 = 2.0;

/// With only type names asked, an office of the type in the caller's municipality counts as
/// this much nearer: as much as [`DISTANCE_SCALE_KM`] (the municipality decides and pays for
/// the service; the office next door across the border is still listed near it).
pub(crate) const WITHIN_AREA_FACTOR: f32 = 2.0;

/// Whether every word is a service type's name (保育所等訪問支援, 放デイ 児発) or part of
/// one: the words then tell its offices apart no better than by how often a name repeats the
/// type, so distance ranks them (see [`candidates`]). Who the child is (重心, 医療的ケア児
/// beside 放デイ) may stand beside them: it only ranks, those whose text says it counting
/// nearer ([`SAYS_WHO_FACTOR`]).
pub(crate) fn types_only(u: &Understood) -> bool {
    u.service_types != 0
        && u.window.is_none()
        && u.clauses.iter().any(|c| c.required)
        && u.clauses.iter().filter(|c| c.required).all(|c| {
            // The text as typed or a spelling of it (しょーとすてい for shootosutei).
            std::iter::once(&c.text).chain(&c.variants).any(|t| {
                super::services::only_names(t)
                    || super::services::part_of_a_name(t, u.service_types)
            }) || only_a_care_type(c)
        })
}

/// Whether a clause is a care type's word (人工呼吸器, 気切) and nothing else: no office of
/// the open data says which care it takes, so beside a type it tells them apart no more than
/// the type does (和木町 人工呼吸器 ショートステイ: the 短期入所 offices nearest first, after
/// the records that say it).
fn only_a_care_type(c: &super::query::Clause) -> bool {
    use crate::directory::Facet;
    c.meanings
        .iter()
        .any(|m| matches!(m, Meaning::Term(Facet::CareType, _)))
        && c.meanings
            .iter()
            .all(|m| matches!(m, Meaning::Term(Facet::CareType, _) | Meaning::Glossary(_)))
}

/// With only type names asked ([`Asked::types_only`]), an office of the type is as good a
/// match as the best of them: its text score says how often its name repeats the type
/// (保育所等訪問支援事業所聖ヨゼフ園, 24 km, over アンジン, 9 km), not how well it answers.
/// Each keeps a hundredth of its own score (a quarter of a km: the better match first at the
/// same distance), and distance orders them — within [`NEARBY_KM`] too, where the distance
/// factor is flat for a programme's sake — those in the area itself counting
/// [`WITHIN_AREA_FACTOR`] more, as its constant bonus did before.
fn as_good_as_the_best_of_the_type(candidates: &mut [Candidate]) {
    let Some(best) = candidates
        .iter()
        .filter(|c| c.designated && c.distance_km.is_some())
        .map(|c| c.score)
        .reduce(f32::max)
        .filter(|b| *b > 0.0)
    else {
        return;
    };
    for c in candidates.iter_mut() {
        if c.designated
            && let Some(km) = c.distance_km
        {
            let nearby = 1.0 / (1.0 + km.clamp(0.0, NEARBY_KM) / DISTANCE_SCALE_KM);
            let here = if c.in_area { WITHIN_AREA_FACTOR } else { 1.0 };
            let who = if c.says_who { SAYS_WHO_FACTOR } else { 1.0 };
            c.score = best * (0.99 + 0.01 * c.score / best) * here * who * nearby;
        }
    }
}

/// The pool's candidates, read from the index: catalog position and status from fast fields,
/// which ones `asked.named` matches, their distance from `asked.origins`, with
/// `asked.for_the_service` which ones develop services, with `asked.service_types` which ones
/// are offices of other service types only, and with `asked.care` which ones are 要確認; those
/// from `partial_from` on in the pool match only some of the words. Hits whose position is
/// outside the catalog (`catalog_len`) are dropped.
pub(crate) fn candidates(
    searcher: &Searcher,
    pool: &[(f32, DocAddress)],
    partial_from: usize,
    catalog_len: usize,
    asked: &Asked,
) -> tantivy::Result<Vec<Candidate>> {
    let addrs: Vec<DocAddress> = pool.iter().map(|(_, addr)| *addr).collect();
    let indices = fast_values(searcher, "doc_idx", &addrs)?;
    let statuses = fast_values(searcher, "status", &addrs)?;
    let flags = |on: bool, field: &str| match on {
        true => fast_values(searcher, field, &addrs),
        false => Ok(vec![None; addrs.len()]),
    };
    let roles = flags(asked.for_the_service, "role")?;
    let care_unknown = flags(asked.care, index::CARE_UNKNOWN)?;
    let services = flags(asked.service_types != 0, "services")?;
    let days = flags(asked.days != 0, "days")?;
    let named = asked.named;
    let distances = match asked.origins.is_empty() {
        false => distances(searcher, &asked.origins, &addrs)?,
        true => vec![None; addrs.len()],
    };
    let named = match named {
        Some(q) => Some(matching(searcher, q, &addrs)?),
        None => None,
    };
    let in_area = match asked.within_area {
        Some(q) => Some(matching(searcher, q, &addrs)?),
        None => None,
    };
    let says_who = match asked.who {
        Some(q) => Some(matching(searcher, q, &addrs)?),
        None => None,
    };
    let mut out: Vec<Candidate> = pool
        .iter()
        .enumerate()
        .filter_map(|(i, &(score, _))| {
            let resource = indices[i]
                .map(|v| v as usize)
                .filter(|&v| v < catalog_len)?;
            Some(Candidate {
                score,
                resource,
                status: statuses[i].map_or(Status::Active, index::status_of),
                named: named.as_ref().is_some_and(|m| m[i]),
                off_call: roles[i] == Some(1),
                other_type: super::services::only_other_types(
                    asked.service_types,
                    services[i].unwrap_or(0),
                ),
                designated: super::services::designated_for(
                    asked.service_types,
                    services[i].unwrap_or(0),
                ),
                partial: i >= partial_from,
                distance_km: distances[i],
                care_unknown: care_unknown[i] == Some(1),
                in_area: in_area.as_ref().is_some_and(|m| m[i]),
                says_who: says_who.as_ref().is_some_and(|m| m[i]),
                not_open_those_days: asked.days != 0
                    && days[i].unwrap_or(0) & asked.days != asked.days,
            })
        })
        .collect();
    if asked.types_only {
        as_good_as_the_best_of_the_type(&mut out);
    }
    Ok(out)
}

/// Km from the nearest of `origins` of each hit with coordinates (the `lat`/`lng` fast
/// fields).
fn distances(
    searcher: &Searcher,
    origins: &[GeoPoint],
    addrs: &[DocAddress],
) -> tantivy::Result<Vec<Option<f32>>> {
    let mut columns = Vec::new();
    for seg in searcher.segment_readers() {
        let ff = seg.fast_fields();
        columns.push((ff.f64("lat")?, ff.f64("lng")?));
    }
    Ok(addrs
        .iter()
        .map(|a| {
            let (lat, lng) = &columns[a.segment_ord as usize];
            let p = GeoPoint {
                lat: lat.first(a.doc_id)?,
                lng: lng.first(a.doc_id)?,
            };
            origins
                .iter()
                .map(|o| p.distance_km(o) as f32)
                .reduce(f32::min)
        })
        .collect())
}

/// The values of a u64 fast field for hits, opening each segment's column once. A hit
/// without a value gives `None`; a field that is not a u64 fast field is an error.
pub(crate) fn fast_values(
    searcher: &Searcher,
    field: &str,
    addrs: &[DocAddress],
) -> tantivy::Result<Vec<Option<u64>>> {
    let mut columns: Vec<Option<tantivy::columnar::Column<u64>>> =
        vec![None; searcher.segment_readers().len()];
    let mut out = Vec::with_capacity(addrs.len());
    for addr in addrs {
        let seg = addr.segment_ord as usize;
        let col = match &mut columns[seg] {
            Some(c) => c,
            slot => slot.insert(
                searcher
                    .segment_reader(addr.segment_ord)
                    .fast_fields()
                    .u64(field)?,
            ),
        };
        out.push(col.first(addr.doc_id));
    }
    Ok(out)
}

/// Which hits match `q` (a filter), by seeking its scorer to each of them.
fn matching(
    searcher: &Searcher,
    q: &dyn Query,
    addrs: &[DocAddress],
) -> tantivy::Result<Vec<bool>> {
    let mut out = vec![false; addrs.len()];
    let weight = q.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut order: Vec<usize> = (0..addrs.len()).collect();
    order.sort_by_key(|&i| (addrs[i].segment_ord, addrs[i].doc_id));
    let mut scorer: Option<(u32, Box<dyn Scorer>)> = None;
    for i in order {
        let a = addrs[i];
        let s = match &mut scorer {
            Some((seg, s)) if *seg == a.segment_ord => s,
            slot => {
                let s = weight.scorer(searcher.segment_reader(a.segment_ord), 1.0)?;
                &mut slot.insert((a.segment_ord, s)).1
            }
        };
        if s.doc() < a.doc_id {
            s.seek(a.doc_id);
        }
        out[i] = s.doc() == a.doc_id;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(score: f32, resource: usize, status: Status) -> Candidate {
        Candidate {
            score,
            resource,
            status,
            named: false,
            off_call: false,
            other_type: false,
            designated: false,
            partial: false,
            distance_km: None,
            care_unknown: false,
            in_area: false,
            says_who: false,
            not_open_those_days: false,
        }
    }

    /// 放デイ 土曜: an office whose hours say Saturday comes before a nearer, better-scoring one
    /// whose hours do not; called by its name, a record stays where its name puts it.
    #[test]
    fn those_open_on_the_days_asked_come_first() {
        let closed = |score, resource| Candidate {
            not_open_those_days: true,
            ..c(score, resource, Status::Active)
        };
        let got: Vec<usize> = rank(
            vec![closed(5.0, 0), c(1.0, 1, Status::Active), closed(4.0, 2)],
            10,
            Sort::Relevance,
        )
        .iter()
        .map(|r| r.resource)
        .collect();
        assert_eq!(got, vec![1, 0, 2]);
    }

    /// 医療型障害児入所施設 near 和木町: the 短期入所 offices share 入所 and score higher, but an
    /// office of another type only shares words — the designated centre comes first, and so
    /// does a document's record with no designation; called by its name, it is what was asked.
    #[test]
    fn offices_of_other_service_types_come_after() {
        let other = |score, resource| Candidate {
            other_type: true,
            designated: false,
            ..c(score, resource, Status::Active)
        };
        let order = |v: Vec<Candidate>| -> Vec<usize> {
            rank(v, 10, Sort::Relevance)
                .into_iter()
                .map(|r| r.resource)
                .collect()
        };
        let v = vec![
            other(9.0, 0),
            c(2.0, 1, Status::Active),
            other(8.0, 2),
            c(1.0, 3, Status::Active),
        ];
        assert_eq!(order(v), vec![1, 3, 0, 2]);
        let named_other = Candidate {
            named: true,
            ..other(9.0, 0)
        };
        assert_eq!(
            order(vec![named_other, c(2.0, 1, Status::Active)]),
            vec![0, 1]
        );
    }

    fn partial(score: f32, resource: usize) -> Candidate {
        Candidate {
            partial: true,
            ..c(score, resource, Status::Active)
        }
    }

    fn at(score: f32, resource: usize, km: f32) -> Candidate {
        Candidate {
            distance_km: Some(km),
            ..c(score, resource, Status::Active)
        }
    }

    fn off_call(score: f32, resource: usize) -> Candidate {
        Candidate {
            off_call: true,
            ..c(score, resource, Status::Active)
        }
    }

    fn unknown(score: f32, resource: usize) -> Candidate {
        Candidate {
            care_unknown: true,
            ..c(score, resource, Status::Active)
        }
    }

    fn named(score: f32, resource: usize) -> Candidate {
        Candidate {
            named: true,
            ..c(score, resource, Status::Active)
        }
    }

    #[test]
    fn rank_table() {
        use Status::*;
        // (candidates, limit, expected resources best first)
        let cases: &[(&[Candidate], usize, &[usize])] = &[
            // Score decides.
            (&[c(1.0, 0, Active), c(2.0, 1, Active)], 10, &[1, 0]),
            // Ties go to catalog order.
            (&[c(1.0, 5, Active), c(1.0, 2, Active)], 10, &[2, 5]),
            // Active above planned and ended at the same score.
            (
                &[c(1.0, 0, Ended), c(1.0, 1, Planned), c(1.0, 2, Active)],
                10,
                &[2, 1, 0],
            ),
            // An ended record needs twice the score of an active one.
            (&[c(1.0, 0, Active), c(2.1, 1, Ended)], 10, &[1, 0]),
            // The record called what was typed beats a stronger text match, up to a point.
            (&[c(2.5, 0, Active), named(1.0, 1)], 10, &[1, 0]),
            (&[c(3.5, 0, Active), named(1.0, 1)], 10, &[0, 1]),
            // A course or council comes after the service itself, whatever its score …
            (&[off_call(9.0, 0), c(1.0, 1, Active)], 10, &[1, 0]),
            // … unless it was called by its name.
            (
                &[
                    Candidate {
                        named: true,
                        ..off_call(1.0, 0)
                    },
                    c(2.0, 1, Active),
                ],
                10,
                &[0, 1],
            ),
            // A record matching only some of the words follows every one matching them all,
            // however well it matches (even a course matching all of them).
            (&[partial(9.0, 0), c(1.0, 1, Active)], 10, &[1, 0]),
            (&[partial(9.0, 0), off_call(1.0, 1)], 10, &[1, 0]),
            (
                &[partial(1.0, 0), partial(3.0, 1), c(2.0, 2, Active)],
                10,
                &[2, 1, 0],
            ),
            // With a care type asked, a record that states it comes before every office
            // whose care is 要確認, however well that matches, even one matching only some
            // of the words or a course; the 要確認 ones keep their order among themselves.
            (&[unknown(9.0, 0), c(1.0, 1, Active)], 10, &[1, 0]),
            (&[unknown(9.0, 0), partial(1.0, 1)], 10, &[1, 0]),
            (&[unknown(9.0, 0), off_call(1.0, 1)], 10, &[1, 0]),
            (&[unknown(1.0, 0), unknown(2.0, 1)], 10, &[1, 0]),
            (
                &[
                    Candidate {
                        partial: true,
                        ..unknown(9.0, 0)
                    },
                    unknown(1.0, 1),
                ],
                10,
                &[1, 0],
            ),
            // The limit cuts after ordering.
            (&[c(1.0, 0, Active), c(2.0, 1, Active)], 1, &[1]),
        ];
        for (i, (cands, limit, want)) in cases.iter().enumerate() {
            let ranked = rank(cands.to_vec(), *limit, Sort::Relevance);
            // The scores fall down the list, whatever moved a hit.
            assert!(
                ranked.windows(2).all(|w| w[0].score >= w[1].score),
                "case {i}: {ranked:?}"
            );
            let got: Vec<usize> = ranked.into_iter().map(|r| r.resource).collect();
            assert_eq!(got, *want, "case {i}");
        }
    }

    #[test]
    fn distance_table() {
        use Status::*;
        // (candidates, sort, expected resources best first)
        let cases: &[(&[Candidate], Sort, &[usize])] = &[
            // Equally relevant: 5 km beats 200 km, whatever the catalog order.
            (
                &[at(1.0, 0, 200.0), at(1.0, 1, 5.0)],
                Sort::Relevance,
                &[1, 0],
            ),
            // 200 km away needs far more than a slightly better match to outrank 5 km.
            (
                &[at(2.0, 0, 200.0), at(1.0, 1, 5.0)],
                Sort::Relevance,
                &[1, 0],
            ),
            (
                &[at(5.0, 0, 200.0), at(1.0, 1, 5.0)],
                Sort::Relevance,
                &[1, 0],
            ),
            // Distance is a factor, not a filter: a much better match still wins.
            (
                &[at(12.0, 0, 200.0), at(1.0, 1, 5.0)],
                Sort::Relevance,
                &[0, 1],
            ),
            // Within a few km, relevance decides.
            (
                &[at(1.0, 0, 1.0), at(1.3, 1, 6.0)],
                Sort::Relevance,
                &[1, 0],
            ),
            // Without coordinates: today's score.
            (
                &[c(1.0, 0, Active), at(1.0, 1, 0.0)],
                Sort::Relevance,
                &[0, 1],
            ),
            (
                &[c(1.0, 0, Active), at(1.5, 1, 5.0)],
                Sort::Relevance,
                &[1, 0],
            ),
            // 近い順: nearest first whatever the score, then those without a distance.
            (
                &[c(9.0, 0, Active), at(1.0, 1, 50.0), at(0.5, 2, 3.0)],
                Sort::Distance,
                &[2, 1, 0],
            ),
            // 近い順 with a care type asked: the record stating it first, however far.
            (
                &[
                    Candidate {
                        distance_km: Some(1.0),
                        ..unknown(1.0, 0)
                    },
                    at(1.0, 1, 90.0),
                ],
                Sort::Distance,
                &[1, 0],
            ),
            // 近い順, same distance: the better match first.
            (&[at(1.0, 0, 3.0), at(2.0, 1, 3.0)], Sort::Distance, &[1, 0]),
        ];
        for (i, (cands, sort, want)) in cases.iter().enumerate() {
            let got: Vec<usize> = rank(cands.to_vec(), 10, *sort)
                .into_iter()
                .map(|r| r.resource)
                .collect();
            assert_eq!(got, *want, "case {i}");
        }
    }

    #[test]
    fn status_factors_keep_the_documented_order() {
        use Status::*;
        let order = [Active, Trial, Planned, Paused, Ended].map(status_factor);
        assert!(order.windows(2).all(|w| w[0] > w[1]), "{order:?}");
    }
}
