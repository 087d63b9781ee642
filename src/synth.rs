//! Synthetic directories for benchmarks: `ikenavi synth --records N --seed S` composes N
//! Japanese records from the bundled directory's vocabulary (areas across every municipality,
//! taxonomy, sentences of real descriptions), deterministic for a seed, valid for `validate`.

use std::io::Write;

use serde_json::json;

use crate::directory::{AreaLevel, Catalog, ResourceKind};

/// A small deterministic generator (SplitMix64); benchmarks need repeatability, not quality.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const KINDS: [ResourceKind; 6] = [
    ResourceKind::Service,
    ResourceKind::Facility,
    ResourceKind::Consultation,
    ResourceKind::Council,
    ResourceKind::Subsidy,
    ResourceKind::Information,
];
const NAME_STEMS: [&str; 16] = [
    "こども発達支援センター",
    "相談支援事業所",
    "訪問看護ステーション",
    "放課後等デイサービス",
    "児童発達支援事業所",
    "短期入所事業所",
    "生活介護事業所",
    "地域生活支援センター",
    "医療的ケア児支援事業",
    "在宅レスパイト事業",
    "日中一時支援事業",
    "障害者自立支援協議会こども部会",
    "重症心身障害児通所",
    "保育園",
    "総合相談センター",
    "非常用電源装置給付事業",
];
const NICKNAMES: [&str; 16] = [
    "あおば",
    "ひまわり",
    "さくら",
    "みらい",
    "つばさ",
    "すまいる",
    "たんぽぽ",
    "にじいろ",
    "ほっと",
    "ぽけっと",
    "わかば",
    "こもれび",
    "そよかぜ",
    "きらり",
    "はぐくみ",
    "ゆうゆう",
];

/// What records are composed from: the base directory's areas, texts and taxonomy.
struct Pools<'a> {
    base: &'a Catalog,
    municipalities: Vec<&'a str>,
    sentences: Vec<&'a str>,
    summaries: Vec<&'a str>,
    needs: Vec<&'a str>,
    care: Vec<&'a str>,
    /// The source document every record cites, and its date.
    source: (String, String),
}

impl<'a> Pools<'a> {
    fn of(base: &'a Catalog) -> Self {
        let ids =
            |terms: &'a [crate::directory::Term]| terms.iter().map(|t| t.id.as_str()).collect();
        Pools {
            base,
            municipalities: base
                .dir
                .areas
                .iter()
                .filter(|a| a.level == AreaLevel::Municipality)
                .map(|a| a.id.as_str())
                .collect(),
            sentences: base
                .resources()
                .iter()
                .filter_map(|r| r.description.as_deref())
                .flat_map(|d| d.split_inclusive('。'))
                .filter(|s| s.chars().count() >= 12)
                .collect(),
            summaries: base
                .resources()
                .iter()
                .map(|r| r.summary.as_str())
                .collect(),
            needs: ids(&base.dir.taxonomy.needs),
            care: ids(&base.dir.taxonomy.care_types),
            source: base
                .dir
                .source_documents
                .first()
                .map(|d| (d.file.clone(), d.date.clone()))
                .unwrap_or_default(),
        }
    }

    /// A few distinct ids drawn from `pool` (`min` + up to `spread - 1` draws), sorted.
    fn some(rng: &mut Rng, pool: &[&'a str], min: usize, spread: usize) -> Vec<&'a str> {
        let mut v: Vec<&str> = (0..min + rng.below(spread))
            .map(|_| *rng.pick(pool))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Record number `i`. The draws from `rng` are in a fixed order: a seed gives the same
    /// directory on every run.
    fn record(&self, rng: &mut Rng, i: usize) -> serde_json::Value {
        let base = self.base;
        let area = *rng.pick(&self.municipalities);
        let area_name = base.area_name(area);
        let stem = *rng.pick(&NAME_STEMS);
        let nick = *rng.pick(&NICKNAMES);
        let description: String = (0..2 + rng.below(4))
            .map(|_| *rng.pick(&self.sentences))
            .collect();
        let rec_needs = Self::some(rng, &self.needs, 1, 3);
        let rec_care = Self::some(rng, &self.care, 0, 3);
        let status = if rng.below(10) == 0 {
            "planned"
        } else {
            "active"
        };
        let service_areas = if rng.below(20) == 0 {
            let pref = base
                .areas
                .index_of(area)
                .and_then(|a| base.areas.prefecture_of(a))
                .map_or("jp", |p| base.areas.at(p).id.as_str());
            vec![pref]
        } else {
            vec![area]
        };
        let (file, date) = &self.source;
        json!({
            "id": format!("synth-{i:06}"),
            "name": format!("{area_name}{stem}{nick}{}", i % 1000),
            "kana": format!("{nick}"),
            "aliases": [format!("{nick}{}", i % 1000)],
            "kind": rng.pick(&KINDS).as_str(),
            "summary": *rng.pick(&self.summaries),
            "description": description,
            "administered_by": format!("{area_name} 障害福祉担当"),
            "located_in": area,
            "service_areas": service_areas,
            "needs": rec_needs,
            "care_types": rec_care,
            "status": status,
            "sources": [{ "file": file, "section": "合成データ（ベンチマーク用）", "date": date }],
        })
    }
}

/// Writes a synthetic directory of `records` records as JSON.
pub fn write_synthetic(
    base: &Catalog,
    records: usize,
    seed: u64,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let mut rng = Rng(seed ^ 0x1CE_A5A1);
    let pools = Pools::of(base);
    let mut header = base.dir.clone();
    header.resources = Vec::new();
    header.title = format!("合成ディレクトリ（{records}件, seed {seed}）");
    let header = serde_json::to_string(&header).map_err(std::io::Error::other)?;
    // Write the header without its closing "]}" and stream the records after it.
    let open = header
        .strip_suffix("[]}")
        .expect("resources is the last field of the directory");
    out.write_all(open.as_bytes())?;
    out.write_all(b"[\n")?;
    for i in 0..records {
        let rec = pools.record(&mut rng, i);
        if i > 0 {
            out.write_all(b",\n")?;
        }
        serde_json::to_writer(&mut *out, &rec).map_err(std::io::Error::other)?;
    }
    out.write_all(b"\n]}\n")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::{DataSource, parse_directory};

    #[test]
    fn synthetic_directory_is_valid_and_deterministic() {
        let base = DataSource::bundled().load().unwrap();
        let mut a = Vec::new();
        write_synthetic(&base, 300, 7, &mut a).unwrap();
        let mut b = Vec::new();
        write_synthetic(&base, 300, 7, &mut b).unwrap();
        assert_eq!(a, b, "same seed, same bytes");
        let dir = parse_directory(&a, "synth.json").unwrap();
        assert_eq!(dir.resources.len(), 300);
        let mut c = Vec::new();
        write_synthetic(&base, 300, 8, &mut c).unwrap();
        assert_ne!(a, c, "another seed, another directory");
    }
}
