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

use std::sync::OnceLock;

use crate::directory::Resource;
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
    (24, &["短期入所", "ショートステイ", "泊まり", "お泊り"]),
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
fn bit(code: u8) -> u64 {
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
