//! Synthetic directories for benchmarks, deterministic for a seed, valid for `validate`:
//!
//! - `ikenavi synth --records N` composes N curated-shaped records from the bundled
//!   directory's vocabulary (areas across every municipality, taxonomy, sentences of real
//!   descriptions);
//! - `--open-data` writes N offices shaped like the layer `ikenavi import wamnet` makes of the
//!   whole country (法人, address and coordinates near the municipality's office, phones, hours,
//!   1–3 designations with 定員, sources citing file, line and 事業所番号), built by the importer's
//!   own record builder;
//! - `--wamnet-csv DIR` writes the input of that import instead: N rows in the published
//!   download files, one per service type.

use std::collections::HashMap;
use std::io::Write;

use serde_json::json;

use crate::directory::{AreaLevel, Catalog, ResourceKind};
use crate::import::wamnet::mapping;
use crate::import::wamnet::record::{self, Sourced};
use crate::import::wamnet::row::{Col, HEADERS, Hours, Row};

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
            "kind": rng.pick(&ResourceKind::ALL).as_str(),
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

// ---------------------------------------------------------------------------------------------
// Open-data-shaped directories: what `ikenavi import wamnet` makes of the whole country.

/// The release month the synthetic open data claims to be, cited by every source.
const OPEN_DATA_AS_OF: &str = "2025-03";

/// How often each service type is drawn (about its share of the national open data: many
/// 放課後等デイサービス, 就労継続支援Ｂ型, 共同生活援助 and 居宅介護 offices, few 入所施設).
const TYPE_WEIGHTS: [(u8, u32); 29] = [
    (11, 20),
    (12, 15),
    (13, 3),
    (14, 1),
    (15, 5),
    (21, 1),
    (22, 12),
    (24, 8),
    (32, 4),
    (33, 20),
    (34, 1),
    (41, 1),
    (42, 2),
    (45, 6),
    (46, 25),
    (52, 18),
    (53, 3),
    (54, 3),
    (60, 6),
    (61, 1),
    (62, 3),
    (63, 20),
    (64, 1),
    (65, 35),
    (66, 1),
    (67, 4),
    (68, 1),
    (69, 1),
    (70, 12),
];
/// Office name endings, with their readings.
const OFFICE_STEMS: [(&str, &str); 16] = [
    ("ヘルパーステーション", "へるぱーすてーしょん"),
    ("相談支援センター", "そうだんしえんせんたー"),
    ("こども発達支援センター", "こどもはったつしえんせんたー"),
    ("キッズ", "きっず"),
    ("放課後クラブ", "ほうかごくらぶ"),
    ("ワークセンター", "わーくせんたー"),
    ("の家", "のいえ"),
    ("作業所", "さぎょうしょ"),
    ("ケアセンター", "けあせんたー"),
    ("療育園", "りょういくえん"),
    ("ホーム", "ほーむ"),
    ("ステーション", "すてーしょん"),
    ("デイサービス", "でいさーびす"),
    ("ルーム", "るーむ"),
    ("学園", "がくえん"),
    ("支援センター", "しえんせんたー"),
];
/// 法人 forms, with their readings.
const PROVIDER_FORMS: [(&str, &str, &str); 5] = [
    ("社会福祉法人", "しゃかいふくしほうじん", "会"),
    ("特定非営利活動法人", "とくていひえいりかつどうほうじん", ""),
    ("株式会社", "かぶしきがいしゃ", "ケア"),
    ("合同会社", "ごうどうがいしゃ", "ライフ"),
    ("一般社団法人", "いっぱんしゃだんほうじん", "福祉会"),
];
/// Opening hours as the files write them.
const HOURS: [&str; 6] = [
    "09:00-17:00",
    "08:30-17:30",
    "10:00-18:00",
    "09:00-18:00",
    "13:00-18:00",
    "08:00-20:00",
];
const CLOSED_DAYS: [&str; 4] = [
    "日曜日、祝日",
    "土曜日、日曜日、祝日、年末年始",
    "年末年始（12月29日～1月3日）",
    "なし",
];
const NOTES: [&str; 4] = [
    "送迎あり（市内全域）。医療的ケアが必要な方はご相談ください",
    "看護師が常駐しています",
    "学校休業日は10:00-16:00",
    "見学は随時受け付けています。事前にお電話ください",
];

/// An area an office can be in: a municipality or ward with its office's coordinates.
struct Place {
    id: String,
    /// 「東京都品川区」, as 事業所住所（市区町村） writes it.
    full_name: String,
    lat: f64,
    lng: f64,
    /// The JIS prefecture code (2 digits), the start of 事業所番号.
    pref: String,
}

fn places(base: &Catalog) -> Vec<Place> {
    let tree = &base.areas;
    tree.areas()
        .iter()
        .enumerate()
        .filter(|(_, a)| matches!(a.level, AreaLevel::Municipality | AreaLevel::Ward))
        .filter_map(|(i, a)| {
            let p = a.location?;
            Some(Place {
                id: a.id.clone(),
                full_name: tree.full_name(i),
                lat: p.lat,
                lng: p.lng,
                pref: a.id.get(..2)?.to_string(),
            })
        })
        .collect()
}

/// The rows of one synthetic office (one per service type) and the files they are in.
struct OfficeRows {
    place: usize,
    rows: Vec<(u8, Row)>,
}

/// Composes offices row by row, numbering each file's lines as the CSV writer writes them.
struct OfficeGen {
    rng: Rng,
    places: Vec<Place>,
    total_weight: u32,
    /// Next line of each service type's file (the header is line 1).
    next_line: HashMap<u8, u64>,
}

impl OfficeGen {
    fn new(base: &Catalog, seed: u64) -> Self {
        OfficeGen {
            rng: Rng(seed ^ 0x0DA7_A5E7),
            places: places(base),
            total_weight: TYPE_WEIGHTS.iter().map(|(_, w)| w).sum(),
            next_line: HashMap::new(),
        }
    }

    fn service_type(&mut self) -> u8 {
        let mut x = self.rng.below(self.total_weight as usize) as u32;
        for (code, w) in TYPE_WEIGHTS {
            if x < w {
                return code;
            }
            x -= w;
        }
        TYPE_WEIGHTS[0].0
    }

    /// Digits `0`–`9`, `n` of them.
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.rng.below(10) as u8))
            .collect()
    }

    /// A landline number: 10 digits, an area code that is no mobile or IP prefix.
    fn phone(&mut self) -> String {
        let area = *self.rng.pick(&[1, 3, 4, 6]);
        let (a, b, c) = (self.digits(2), self.digits(2), self.digits(4));
        format!("0{area}{a}-{b}-{c}")
    }

    /// Office number `i`: 1–3 service types (the first decides the name), an address in one
    /// municipality, its office's coordinates plus up to ±0.05° (about 5 km) of jitter.
    fn office(&mut self, i: usize) -> OfficeRows {
        let place = self.rng.below(self.places.len());
        let mut codes = vec![self.service_type()];
        for _ in 0..[0, 0, 0, 1, 1, 2][self.rng.below(6)] {
            let c = self.service_type();
            if !codes.contains(&c) {
                codes.push(c);
            }
        }
        let nick = *self.rng.pick(&NICKNAMES);
        let (stem, stem_kana) = *self.rng.pick(&OFFICE_STEMS);
        let (form, form_kana, tail) = *self.rng.pick(&PROVIDER_FORMS);
        let p = &self.places[place];
        let (lat0, lng0, pref, muni) = (p.lat, p.lng, p.pref.clone(), p.full_name.clone());
        let jitter = |rng: &mut Rng| (rng.below(10_001) as f64 - 5_000.0) / 100_000.0;
        let lat = ((lat0 + jitter(&mut self.rng)) * 1e6).round() / 1e6;
        let lng = ((lng0 + jitter(&mut self.rng)) * 1e6).round() / 1e6;
        let street = format!(
            "{}丁目{}番{}号",
            1 + self.rng.below(9),
            1 + self.rng.below(30),
            1 + i % 50
        );
        let phone = self.phone();
        let fax = (self.rng.below(3) > 0).then(|| self.phone());
        let url = (self.rng.below(2) == 0).then(|| format!("https://office{i}.ikenavi-synth.jp/"));
        let weekday = (self.rng.below(10) > 0).then(|| self.rng.pick(&HOURS).to_string());
        let saturday = (self.rng.below(3) == 0).then(|| self.rng.pick(&HOURS).to_string());
        let closed = (self.rng.below(4) > 0).then(|| self.rng.pick(&CLOSED_DAYS).to_string());
        let notes = (self.rng.below(3) == 0).then(|| self.rng.pick(&NOTES).to_string());
        let number = format!("{pref}{:08}", i % 100_000_000);
        let kana = format!("{nick}{stem_kana}");
        let rows = codes
            .iter()
            .map(|&code| {
                let line = self.next_line.entry(code).or_insert(2);
                let row = Row {
                    line: *line,
                    office_number: number.clone(),
                    name: format!("{nick}{stem}"),
                    name_kana: Some(kana.clone()),
                    provider: Some(format!("{form}{nick}{tail}")),
                    provider_kana: Some(format!("{form_kana}{nick}")),
                    corporate_number: Some(format!("{:013}", 1_000_000_000_000 + i)),
                    service_type: mapping::SERVICE_TYPES
                        .iter()
                        .find(|t| t.code == code)
                        .map(|t| t.label.to_string()),
                    municipality: Some(muni.clone()),
                    address: Some(format!("{muni}{street}")),
                    phone: Some(phone.clone()),
                    fax: fax.clone(),
                    url: url.clone(),
                    location: Some((lat, lng)),
                    hours: Hours {
                        weekday: weekday.clone(),
                        saturday: saturday.clone(),
                        sunday: None,
                        holiday: None,
                    },
                    closed_days: closed.clone(),
                    notes: notes.clone(),
                    capacity: (!matches!(code, 11..=15 | 52..=54 | 66 | 67 | 70))
                        .then_some(10 * (1 + (i as u32 + u32::from(code)) % 4)),
                };
                *line += 1;
                (code, row)
            })
            .collect();
        OfficeRows { place, rows }
    }
}

/// The download file of a service type (`csvdownload065.csv`).
fn csv_file(code: u8) -> String {
    format!("csvdownload{code:03}.csv")
}

/// Writes a directory layer of `records` offices shaped like the one `ikenavi import wamnet`
/// writes for the whole country: the record of each office is built by the importer itself
/// (see [`record::build`]) from rows that cite their file and line, so the shape (法人, address,
/// phones, hours, designations, 定員, coordinates) is the open data's. The layer `replaces`
/// the bundled open data, as a newer download would.
pub fn write_open_data(
    base: &Catalog,
    records: usize,
    seed: u64,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let mut generator = OfficeGen::new(base, seed);
    let files: Vec<String> = TYPE_WEIGHTS.iter().map(|(c, _)| csv_file(*c)).collect();
    let names: Vec<(&str, &str)> = files
        .iter()
        .map(|f| (f.as_str(), OPEN_DATA_AS_OF))
        .collect();
    let docs = crate::import::wamnet::source_documents(&names);
    let resources = (0..records).map(|i| {
        let office = generator.office(i);
        let rows: Vec<(String, &Row)> = office
            .rows
            .iter()
            .map(|(code, row)| (csv_file(*code), row))
            .collect();
        let sourced: Vec<Sourced<'_>> = rows
            .iter()
            .map(|(file, row)| Sourced {
                file,
                as_of: OPEN_DATA_AS_OF,
                row,
            })
            .collect();
        let id = format!("wam-{}", office.rows[0].1.office_number);
        let area = generator.places[office.place].id.clone();
        record::build(id, &sourced, Some(area)).to_resource()
    });
    crate::import::wamnet::layer::write(out, &docs, resources)
}

/// Writes the rows of `rows` synthetic offices' designations as WAM NET download files, one
/// per service type (`csvdownload065.csv` …) in `dir`, UTF-8 with the published header: the
/// input of `ikenavi import wamnet` at the scale of the whole country. Returns the number of
/// rows written (at least `rows`: the last office's rows are all written).
pub fn write_wamnet_csv(
    base: &Catalog,
    rows: usize,
    seed: u64,
    dir: &std::path::Path,
) -> std::io::Result<usize> {
    let mut generator = OfficeGen::new(base, seed);
    type Out = csv::Writer<std::io::BufWriter<crate::fsutil::AtomicFile>>;
    let mut writers: HashMap<u8, Out> = HashMap::new();
    let mut written = 0;
    let mut i = 0;
    while written < rows {
        let office = generator.office(i);
        i += 1;
        for (code, row) in &office.rows {
            let w = match writers.entry(*code) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let file =
                        crate::fsutil::AtomicFile::for_output(&dir.join(csv_file(*code)), &[])?;
                    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(file));
                    w.write_record(HEADERS.iter().map(|(_, h)| *h))
                        .map_err(std::io::Error::other)?;
                    e.insert(w)
                }
            };
            w.write_record(csv_cells(row).iter().map(String::as_str))
                .map_err(std::io::Error::other)?;
            written += 1;
        }
    }
    // Each file appears whole, as every output does (see `crate::fsutil`).
    for (_, w) in writers {
        let buffered = w.into_inner().map_err(|e| e.into_error())?;
        buffered
            .into_inner()
            .map_err(|e| e.into_error())?
            .commit()?;
    }
    Ok(written)
}

/// The 29 cells of a row, in [`HEADERS`] order.
fn csv_cells(r: &Row) -> Vec<String> {
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    let muni = opt(&r.municipality);
    let street = r
        .address
        .as_deref()
        .and_then(|a| a.strip_prefix(muni.as_str()))
        .unwrap_or_default()
        .to_string();
    let (lat, lng) = r.location.map_or((String::new(), String::new()), |(a, b)| {
        (a.to_string(), b.to_string())
    });
    HEADERS
        .iter()
        .map(|(col, _)| match col {
            Col::Authority => r.office_number[..2].to_string() + "0000",
            Col::No => r.line.to_string(),
            Col::AuthorityName => String::new(),
            Col::Provider => opt(&r.provider),
            Col::ProviderKana => opt(&r.provider_kana),
            Col::CorporateNumber => opt(&r.corporate_number),
            Col::ProviderMunicipality => muni.clone(),
            Col::ProviderStreet => street.clone(),
            Col::ProviderPhone => opt(&r.phone),
            Col::ProviderFax => opt(&r.fax),
            Col::ProviderUrl => String::new(),
            Col::ServiceType => opt(&r.service_type),
            Col::Name => r.name.clone(),
            Col::NameKana => opt(&r.name_kana),
            Col::OfficeNumber => r.office_number.clone(),
            Col::Municipality => muni.clone(),
            Col::Street => street.clone(),
            Col::Phone => opt(&r.phone),
            Col::Fax => opt(&r.fax),
            Col::Url => opt(&r.url),
            Col::Lat => lat.clone(),
            Col::Lng => lng.clone(),
            Col::HoursWeekday => opt(&r.hours.weekday),
            Col::HoursSaturday => opt(&r.hours.saturday),
            Col::HoursSunday => opt(&r.hours.sunday),
            Col::HoursHoliday => opt(&r.hours.holiday),
            Col::ClosedDays => opt(&r.closed_days),
            Col::Notes => opt(&r.notes),
            Col::Capacity => r.capacity.map(|c| c.to_string()).unwrap_or_default(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::{DataSource, parse_directory};

    #[test]
    fn synthetic_directory_is_valid_and_deterministic() {
        let base = crate::testing::bundled();
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

    #[test]
    fn open_data_layer_is_valid_deterministic_and_shaped_like_the_import() {
        let base = crate::testing::bundled();
        let mut a = Vec::new();
        write_open_data(&base, 300, 7, &mut a).unwrap();
        let mut b = Vec::new();
        write_open_data(&base, 300, 7, &mut b).unwrap();
        assert_eq!(a, b, "same seed, same bytes");
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("country.json");
        std::fs::write(&path, &a).unwrap();
        // Validated in full on the bundled layers, whose open data it replaces.
        let catalog = DataSource::with_files(vec![path]).load_strict().unwrap();
        let offices: Vec<_> = catalog
            .resources()
            .iter()
            .filter(|r| r.id.starts_with("wam-"))
            .collect();
        assert_eq!(offices.len(), 300);
        for r in &offices {
            let area = catalog.areas.get(r.located_in.as_deref().unwrap()).unwrap();
            let (at, home) = (r.location.unwrap(), area.location.unwrap());
            assert!((at.lat - home.lat).abs() <= 0.05 && (at.lng - home.lng).abs() <= 0.05);
            assert!(r.provider.is_some() && r.contact.phone.is_some());
            assert!(!r.designations.is_empty() && r.sources.len() == r.designations.len());
            assert!(
                r.sources[0].section.contains("事業所番号"),
                "{:?}",
                r.sources
            );
        }
        let prefectures: std::collections::HashSet<_> =
            offices.iter().map(|r| &r.office_numbers[0][..2]).collect();
        assert!(
            prefectures.len() > 30,
            "across the country: {prefectures:?}"
        );
        assert!(offices.iter().any(|r| r.designations.len() > 1));
    }

    #[test]
    fn wamnet_csv_imports_without_a_skipped_row() {
        use crate::import::wamnet::{ImportOptions, import};
        let base = crate::testing::bundled();
        let tmp = tempfile::tempdir().unwrap();
        let rows = write_wamnet_csv(&base, 400, 3, tmp.path()).unwrap();
        assert!(rows >= 400);
        let mut files = Vec::new();
        for e in std::fs::read_dir(tmp.path()).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            files.push((name, std::fs::read(&p).unwrap()));
        }
        let inputs: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        let opts = ImportOptions {
            as_of: "2025-03".into(),
            ..Default::default()
        };
        let tree = &base.areas;
        let locate = |m: &str| tree.area_of_address(m).map(|i| tree.at(i).id.clone());
        let imp = import(&inputs, &opts, &locate).unwrap();
        assert_eq!(imp.report.rows_skipped(), 0, "{}", imp.report.summary());
        assert_eq!(
            imp.report.dropped_by_column().len(),
            0,
            "{}",
            imp.report.summary()
        );
        let read: usize = imp.report.files.iter().map(|f| f.rows_in_records).sum();
        assert_eq!(read, rows, "every row is in a record");
        assert!(
            imp.records
                .iter()
                .all(|r| r.located_in.is_some() && r.location.is_some())
        );
        assert!(
            imp.records.len() < rows,
            "offices with several types are one record"
        );
    }
}
