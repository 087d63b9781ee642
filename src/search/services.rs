//! Service-type intent (SPEC §3 "Service types"): a query that names a designated service
//! type — by its official name or the everyday one (放デイ, 児発, ショートステイ, 泊まり, 居宅訪問,
//! 医療型入所 …) — asks for the offices designated for it, not for every record that shares a
//! word with it (医療型障害児入所施設 shares 入所 with every 短期入所 office).
//!
//! Each record's designations are one bitmask (bit `code − 11` for サービス種別 codes 11–70,
//! the `services` fast field); a query's named types another. Among the candidates, an office
//! designated only for *other* types ranks after those designated for a named type and after
//! records with no designation at all (the documents' programmes and windows, which may well
//! be what the clerk wants); a 多機能型 office counts for every type it holds.
//!
//! A name is found anywhere in a clause (normalized like the index: kana folded, NFKC), the
//! longest name at a place winning: 医療型児童発達支援 names 64, not also 63 through the
//! 児童発達支援 inside it.
//!
//! **Described in plain words** (自宅に来てくれる療育): a query that names no type may still
//! describe one. Each type's plain line in the directory's vocabulary (`service_types`: who it
//! is for and what it provides, in the words of its article) is text; each word of the query,
//! with every variant the vocabulary gives it (自宅 → 在宅・居宅 …, 療育 → 発達支援 …),
//! mentions the types whose line holds one of them. A word that mentions more than
//! [`MAX_TYPES_PER_CUE`] types (介護, 相談, 施設) tells none apart and counts for nothing. When
//! at least two words mention types and together they single out one (自宅 → 居宅介護・重度訪問
//! 介護・重度障害者等包括支援・居宅訪問型児童発達支援; 療育 → 医療型児童発達支援・居宅訪問型
//! 児童発達支援; both → 居宅訪問型児童発達支援), the query asks for that type. A single word,
//! or words that leave several types, asks for none: ranking offices of a guessed type first
//! would hide the rest. Names are not matched here (they are, above): 児童 inside
//! 児童発達支援 is not a description of anything.

use std::sync::OnceLock;

use super::query::Clause;
use crate::directory::{Resource, ServiceTypeDef};
use crate::text::normalize::normalize;

/// Official names and everyday names of the service types, by code.
const NAMES: &[(u8, &[&str])] = &[
    (11, &["居宅介護"]),
    (12, &["重度訪問介護"]),
    (13, &["行動援護"]),
    (14, &["重度障害者等包括支援"]),
    (15, &["同行援護"]),
    (21, &["療養介護"]),
    (22, &["生活介護"]),
    (
        24,
        &["短期入所", "ショートステイ", "泊まり", "お泊り", "泊まれる"],
    ),
    (32, &["施設入所支援"]),
    (33, &["共同生活援助", "グループホーム"]),
    (34, &["宿泊型自立訓練"]),
    (41, &["自立訓練（機能訓練）", "機能訓練"]),
    (42, &["自立訓練（生活訓練）", "生活訓練"]),
    (45, &["就労継続支援Ａ型", "就労継続支援A型", "A型"]),
    (46, &["就労継続支援Ｂ型", "就労継続支援B型", "B型"]),
    (52, &["計画相談支援"]),
    (53, &["地域移行支援"]),
    (54, &["地域定着支援"]),
    (60, &["就労移行支援"]),
    (61, &["自立生活援助"]),
    (62, &["就労定着支援"]),
    (63, &["児童発達支援", "児発"]),
    (64, &["医療型児童発達支援", "医療型児発"]),
    (
        65,
        &[
            "放課後等デイサービス",
            "放課後デイサービス",
            "放課後デイ",
            "放デイ",
        ],
    ),
    (
        66,
        &[
            "居宅訪問型児童発達支援",
            "居宅訪問型児発",
            "居宅訪問型",
            "居宅訪問",
        ],
    ),
    (67, &["保育所等訪問支援", "保育所等訪問"]),
    (68, &["福祉型障害児入所施設", "福祉型入所"]),
    (
        69,
        &[
            "医療型障害児入所施設",
            "医療型入所",
            "重心の入所",
            "重症心身障害児施設",
        ],
    ),
    (70, &["障害児相談支援"]),
];

/// Every サービス種別 code named here, in order.
pub fn known_codes() -> impl Iterator<Item = u8> {
    NAMES.iter().map(|(c, _)| *c)
}

/// The official name of a サービス種別 code (its first name here).
pub fn official_name(code: u8) -> Option<&'static str> {
    NAMES
        .iter()
        .find(|(c, _)| *c == code)
        .and_then(|(_, names)| names.first().copied())
}

/// The bit of a サービス種別 code (11–70); none for a code outside.
pub(crate) fn bit(code: u8) -> u64 {
    match code {
        11..=70 => 1 << (code - 11),
        _ => 0,
    }
}

/// The service types a record is designated for, as a mask (0: none).
pub fn mask_of(r: &Resource) -> u64 {
    r.designations
        .iter()
        .filter_map(|d| d.code)
        .fold(0, |m, c| m | bit(c))
}

/// Every name normalized, with its type's bit, longest first.
fn names() -> &'static [(String, u64)] {
    static NAMES_N: OnceLock<Vec<(String, u64)>> = OnceLock::new();
    NAMES_N.get_or_init(|| {
        let mut v: Vec<(String, u64)> = NAMES
            .iter()
            .flat_map(|(code, names)| names.iter().map(move |n| (normalize(n), bit(*code))))
            .collect();
        v.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        v
    })
}

/// The service types named in normalized text, as a mask: at each place the longest name.
pub fn named_in(text: &str) -> u64 {
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut mask = 0;
    for (name, b) in names() {
        for (at, _) in text.match_indices(name.as_str()) {
            let end = at + name.len();
            if taken.iter().any(|&(s, e)| at < e && s < end) {
                continue;
            }
            taken.push((at, end));
            mask |= b;
        }
    }
    mask
}

/// Where the longest service type's name in normalized `text` lies that begins before byte
/// `boundary` and ends after it (two words written apart: 放課後|デイサービス), if any — and
/// is the whole of one of the two words' sides: the start of the first or the end of the
/// second (not 児発 in 障害児|発達障害).
pub fn names_across(text: &str, boundary: usize) -> Option<(usize, usize)> {
    names().iter().find_map(|(n, _)| {
        text.match_indices(n.as_str())
            .map(|(at, _)| (at, at + n.len()))
            .find(|&(start, end)| {
                start < boundary && boundary < end && (start == 0 || end == text.len())
            })
    })
}

/// The types one of whose names holds normalized `text` (発達支援 → 児童発達支援, 医療型…,
/// 居宅訪問型…), as a mask; 0 for empty text.
pub fn names_holding(text: &str) -> u64 {
    if text.is_empty() {
        return 0;
    }
    names()
        .iter()
        .filter(|(n, _)| n.contains(text))
        .fold(0, |m, (_, b)| m | b)
}

/// Whether normalized `text` is a name of a type of `mask`, or part of one (居宅 of 居宅訪問:
/// the words of a name the query splits).
pub fn part_of_a_name(text: &str, mask: u64) -> bool {
    names_holding(text) & mask != 0
}

/// Whether normalized `text` is nothing but service-type names (放デイ, 短期入所
/// ショートステイ): read at each place longest first, as [`named_in`] reads them.
pub fn only_names(text: &str) -> bool {
    let mut rest = text;
    while !rest.is_empty() {
        // `names()` is longest first: the first that starts here is the longest.
        match names().iter().find(|(n, _)| rest.starts_with(n.as_str())) {
            Some((n, _)) => rest = rest[n.len()..].trim_start(),
            None => return false,
        }
    }
    !text.is_empty()
}

/// What each service type of a directory is, as normalized text (its plain line), by its bit:
/// what a query's plain words are matched against ([`described_by`]).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct ServiceTexts(Vec<(u64, String)>);

/// Shortest variant (in characters) that counts as mentioning a type: one character (子, 家)
/// is in too many lines to tell types apart.
const MIN_CUE_CHARS: usize = 2;

/// Most types a word may mention and still tell them apart (自宅: 4; 介護: 9 — none).
pub const MAX_TYPES_PER_CUE: u32 = 4;

impl ServiceTexts {
    /// The texts of the directory's service types.
    pub fn new(types: &[ServiceTypeDef]) -> Self {
        ServiceTexts(
            types
                .iter()
                .map(|t| (bit(t.code), normalize(&t.line)))
                .filter(|(b, _)| *b != 0)
                .collect(),
        )
    }

    /// The types whose line holds one of `variants`, as a mask; 0 when they are more than
    /// [`MAX_TYPES_PER_CUE`].
    fn mentioning(&self, variants: &[String]) -> u64 {
        let mask = self
            .0
            .iter()
            .filter(|(_, text)| {
                variants
                    .iter()
                    .any(|v| v.chars().count() >= MIN_CUE_CHARS && text.contains(v.as_str()))
            })
            .fold(0, |m, (b, _)| m | b);
        if mask.count_ones() > MAX_TYPES_PER_CUE {
            0
        } else {
            mask
        }
    }
}

/// The one service type the words of `clauses` describe together (see the module doc), as a
/// mask; 0 when fewer than two words mention a type or together they leave several or none.
/// A word that is part of several types' names (発達支援 of 児童発達支援, 医療型児童発達支援
/// and 居宅訪問型児童発達支援) names that family, not one of it: the line of 医療型児童発達支援,
/// which says 児童発達支援, is no answer to こども発達支援.
pub fn described_by(clauses: &[Clause], texts: &ServiceTexts) -> u64 {
    let mut mask = u64::MAX;
    let mut cues = 0;
    for c in clauses
        .iter()
        .filter(|c| names_holding(&c.text).count_ones() <= 1)
    {
        let m = texts.mentioning(&c.variants);
        if m != 0 {
            mask &= m;
            cues += 1;
        }
    }
    if cues >= 2 && mask.count_ones() == 1 {
        mask
    } else {
        0
    }
}

/// The サービス種別 codes of a mask.
pub fn codes(mask: u64) -> impl Iterator<Item = u8> {
    (11..=70).filter(move |&c| mask & bit(c) != 0)
}

/// Whether a record with `record` designations is an office for one of the `named` types.
pub fn designated_for(named: u64, record: u64) -> bool {
    named & record != 0
}

/// The records designated for one of the types of `mask` (the index's `service` field).
pub(crate) fn filter(f: &super::index::Fields, mask: u64) -> Box<dyn tantivy::query::Query> {
    use tantivy::Term;
    use tantivy::query::{BooleanQuery, Occur, TermQuery};
    use tantivy::schema::IndexRecordOption;
    let any = codes(mask)
        .map(|c| {
            let t = Term::from_field_text(f.service, &c.to_string());
            let q: Box<dyn tantivy::query::Query> =
                Box::new(TermQuery::new(t, IndexRecordOption::Basic));
            (Occur::Should, q)
        })
        .collect();
    Box::new(BooleanQuery::new(any))
}

/// Whether a record with `record` designations is an office only of other types than the
/// `named` ones (so it only shares words with the query).
pub fn only_other_types(named: u64, record: u64) -> bool {
    named != 0 && record != 0 && named & record == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn types(text: &str) -> Vec<u8> {
        codes(named_in(&normalize(text))).collect()
    }

    /// A query of type names only asks for the offices, nearest first; one more word
    /// (土曜, 大阪市, 人工呼吸器) is something their text must answer.
    #[test]
    fn only_type_names() {
        let table: &[(&str, bool)] = &[
            ("保育所等訪問支援", true),
            ("放デイ", true),
            ("しょーとすてい", true),
            ("放デイ 児発", true),
            ("医療型児童発達支援", true),
            ("放デイ 土曜", false),
            ("保育所等訪問支援 大阪市", false),
            ("人工呼吸器 泊まり", false),
            ("訪問看護", false),
            ("", false),
        ];
        for (text, want) in table {
            assert_eq!(only_names(&normalize(text)), *want, "{text}");
        }
    }

    #[test]
    fn names_and_everyday_names() {
        let table: &[(&str, &[u8])] = &[
            ("医療型障害児入所施設", &[69]),
            ("八戸市 医療型児発", &[64]),
            ("医療型児童発達支援", &[64]),
            ("児発", &[63]),
            ("居宅訪問型児童発達支援", &[66]),
            ("放デイ", &[65]),
            ("ほうかごとうでいさーびす", &[]),
            ("ショートステイ", &[24]),
            ("しょーとすてい", &[24]),
            ("ｼｮｰﾄｽﾃｲ", &[24]),
            ("人工呼吸器 泊まり 預け先", &[24]),
            ("保育所等訪問支援 大阪市", &[67]),
            ("重心の入所", &[69]),
            ("放デイと児発", &[63, 65]),
            ("訪問看護", &[]),
        ];
        for (text, want) in table {
            assert_eq!(types(text), *want, "{text}");
        }
    }

    /// The bundled vocabulary's table of service types.
    fn bundled_types() -> Vec<ServiceTypeDef> {
        #[derive(serde::Deserialize)]
        struct Vocab {
            service_types: Vec<ServiceTypeDef>,
        }
        let v: Vocab = serde_json::from_str(include_str!("../../data/vocabulary.json"))
            .expect("bundled vocabulary");
        v.service_types
    }

    /// A query word with the variants the vocabulary gives it.
    fn word(variants: &[&str]) -> Clause {
        Clause {
            text: normalize(variants[0]),
            variants: variants.iter().map(|v| normalize(v)).collect(),
            meanings: Vec::new(),
            required: true,
            weight: 1.0,
        }
    }

    #[test]
    fn plain_words_that_single_out_one_type() {
        let texts = ServiceTexts::new(&bundled_types());
        let home = ["自宅", "在宅", "居宅", "家庭"];
        let ryoiku = ["療育", "児童発達支援", "発達支援", "児発"];
        let table: &[(&[&[&str]], &[u8])] = &[
            (&[&home, &ryoiku], &[66]),
            (&[&ryoiku, &home, &["来てくれる"]], &[66]),
            (&[&["一人暮らし"], &["緊急"]], &[54]),
            (&[&["放課後"], &["学校"]], &[65]),
            // One word is not a description; words that leave several types name none.
            (&[&ryoiku], &[]),
            (&[&home, &["外出"]], &[]),
            // A word in most lines (介護, 相談) tells none apart.
            (&[&home, &["介護"]], &[]),
            (&[&["就労"], &["相談"]], &[]),
            (&[&home, &["通所", "通い", "通う"]], &[]),
            (&[&["子"], &ryoiku], &[]),
            // Part of several types' names: that family, not the one line that says it.
            (&[&["こども"], &["発達支援", "児発"]], &[]),
        ];
        for (words, want) in table {
            let clauses: Vec<Clause> = words.iter().map(|w| word(w)).collect();
            let got: Vec<u8> = codes(described_by(&clauses, &texts)).collect();
            assert_eq!(got, *want, "{words:?}");
        }
        assert_eq!(described_by(&[], &ServiceTexts::default()), 0);
    }

    /// The names searched here are the vocabulary's: each is the name or an everyday name
    /// of the same code there, and every code here is there.
    #[test]
    fn the_names_are_the_vocabularys() {
        let types = bundled_types();
        for (code, names) in NAMES {
            let t = types
                .iter()
                .find(|t| t.code == *code)
                .unwrap_or_else(|| panic!("{code} not in the vocabulary"));
            for n in *names {
                assert!(
                    t.name == *n || t.aliases.iter().any(|a| a == n),
                    "{code}: {n} is not a name of {} in the vocabulary",
                    t.name
                );
            }
        }
        assert_eq!(types.len(), NAMES.len());
    }

    #[test]
    fn an_office_of_other_types_only_shares_words() {
        let (b24, b69) = (bit(24), bit(69));
        assert!(only_other_types(b69, b24));
        assert!(
            !only_other_types(b69, b24 | b69),
            "多機能型 counts for each"
        );
        assert!(
            !only_other_types(b69, 0),
            "no designation: not an office of another type"
        );
        assert!(!only_other_types(0, b24), "no type named");
    }
}
