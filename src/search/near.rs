//! Offices within reach of an area (SPEC §3 "Area semantics"): a designated 事業所 can be used
//! by any family, so with an area selected, records whose coordinates lie within the radius of
//! the area's office pass the area filter whatever their service areas.
//!
//! - [`GeoTable`]: every indexed point (the `lat`/`lng` fast fields), read once per engine and
//!   sorted by latitude, so a request looks only at the band `lat ± radius` — O(points in the
//!   band), not O(records), which matters at 100k+ records. Inside the band, a point outside
//!   the radius's longitude span is passed over before the haversine (a band across Japan holds
//!   tens of thousands of the country's 160k offices, the box a few thousand), and the last
//!   request's answer is kept: while a clerk types, the area and radius stay the same.
//! - [`Near`]: one request's points within the radius, exact (haversine), as a bitset per
//!   segment; [`Near::query`] is the tantivy filter over them (no term lookups, no scoring).
//!
//! Why not a range query on the fast fields: it scans the whole column per segment and only
//! gives the bounding box; the corners (a fifth of its area) would pass the filter.

use std::sync::Arc;

use tantivy::index::SegmentId;
use tantivy::query::{
    BitSetDocSet, ConstScorer, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::{BitSet, DocId, Score, Searcher, SegmentReader, TantivyError};

use crate::directory::GeoPoint;

/// Km per degree of latitude (and of longitude at the equator).
const KM_PER_DEGREE: f64 = 111.195;

/// One indexed point.
#[derive(Debug, Clone, Copy)]
struct Point {
    lat: f64,
    lng: f64,
    segment: u32,
    doc: DocId,
}

/// Every record's coordinates in an index, sorted by latitude.
#[derive(Debug)]
pub(crate) struct GeoTable {
    points: Vec<Point>,
    /// Segment ids and sizes, by segment ordinal of the searcher the table was read from.
    segments: Vec<(SegmentId, DocId)>,
    /// The last request (origin, km) and its answer.
    last: std::sync::Mutex<Option<(GeoPoint, f64, Near)>>,
}

impl GeoTable {
    /// Reads the `lat`/`lng` fast fields of every segment.
    pub fn read(searcher: &Searcher) -> tantivy::Result<GeoTable> {
        let mut points = Vec::new();
        let mut segments = Vec::new();
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            segments.push((reader.segment_id(), reader.max_doc()));
            let lat = reader.fast_fields().f64("lat")?;
            let lng = reader.fast_fields().f64("lng")?;
            for doc in 0..reader.max_doc() {
                if let (Some(lat), Some(lng)) = (lat.first(doc), lng.first(doc)) {
                    points.push(Point {
                        lat,
                        lng,
                        segment: ord as u32,
                        doc,
                    });
                }
            }
        }
        points.sort_by(|a, b| a.lat.total_cmp(&b.lat));
        Ok(GeoTable {
            points,
            segments,
            last: std::sync::Mutex::new(None),
        })
    }

    /// The points within `km` of `origin`.
    pub fn near(&self, origin: GeoPoint, km: f64) -> Near {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((o, k, near)) = last.as_ref()
            && *o == origin
            && *k == km
        {
            return near.clone();
        }
        let near = self.compute(origin, km);
        *last = Some((origin, km, near.clone()));
        near
    }

    /// The points within `km` of any of `origins` (the places an area word names: every
    /// 南部町).
    pub fn near_any(&self, origins: &[GeoPoint], km: f64) -> Near {
        let mut sets: Vec<Option<BitSet>> = vec![None; self.segments.len()];
        let mut count = 0;
        for &origin in origins {
            self.mark(origin, km, &mut sets, &mut count);
        }
        self.finish(sets, count)
    }

    fn compute(&self, origin: GeoPoint, km: f64) -> Near {
        let mut sets: Vec<Option<BitSet>> = vec![None; self.segments.len()];
        let mut count = 0;
        self.mark(origin, km, &mut sets, &mut count);
        self.finish(sets, count)
    }

    /// Marks the points within `km` of `origin` in `sets` (one per segment), counting the
    /// newly marked.
    fn mark(&self, origin: GeoPoint, km: f64, sets: &mut [Option<BitSet>], count: &mut usize) {
        let band = km / KM_PER_DEGREE;
        // Half the longitude span of the radius at the band's edge nearer a pole (where a
        // degree of longitude is shortest); beyond 80° every longitude is looked at.
        let far_lat = (origin.lat.abs() + band).min(90.0);
        let span = if far_lat < 80.0 {
            band / far_lat.to_radians().cos()
        } else {
            f64::INFINITY
        };
        let start = self.points.partition_point(|p| p.lat < origin.lat - band);
        for p in self.points[start..]
            .iter()
            .take_while(|p| p.lat <= origin.lat + band)
        {
            if (p.lng - origin.lng).abs() > span {
                continue;
            }
            let here = GeoPoint {
                lat: p.lat,
                lng: p.lng,
            };
            if here.distance_km(&origin) > km {
                continue;
            }
            let max_doc = self.segments[p.segment as usize].1;
            if sets[p.segment as usize]
                .get_or_insert_with(|| BitSet::with_max_value(max_doc))
                .insert(p.doc)
            {
                *count += 1;
            }
        }
    }

    fn finish(&self, sets: Vec<Option<BitSet>>, count: usize) -> Near {
        let sets = self
            .segments
            .iter()
            .zip(sets)
            .filter_map(|((id, _), set)| Some((*id, set?)))
            .collect();
        Near {
            sets: Arc::new(sets),
            count,
        }
    }
}

/// One request's records within the radius.
#[derive(Clone)]
pub(crate) struct Near {
    sets: Arc<Vec<(SegmentId, BitSet)>>,
    count: usize,
}

impl std::fmt::Debug for Near {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Near").field("count", &self.count).finish()
    }
}

impl Near {
    /// Whether no record is within the radius.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The filter matching them (score 0; it only restricts).
    pub fn query(&self) -> Box<dyn Query> {
        Box::new(self.clone())
    }
}

impl Query for Near {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(NearWeight(Arc::clone(&self.sets))))
    }
}

struct NearWeight(Arc<Vec<(SegmentId, BitSet)>>);

impl Weight for NearWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let id = reader.segment_id();
        Ok(match self.0.iter().find(|(s, _)| *s == id) {
            Some((_, set)) => Box::new(ConstScorer::new(BitSetDocSet::from(set.clone()), boost)),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let id = reader.segment_id();
        match self.0.iter().find(|(s, _)| *s == id) {
            Some((_, set)) if set.contains(doc) => Ok(Explanation::new("within reach", 1.0)),
            _ => Err(TantivyError::InvalidArgument(format!(
                "document {doc} is not within reach"
            ))),
        }
    }
}
