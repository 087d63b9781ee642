//! One record per office: which rows are the same office.
//!
//! `事業所番号` alone is not unique (one number can carry two unrelated offices of one operator),
//! and one office can have several numbers (a hospital designated for 療養介護 and for
//! 医療型障害児入所施設 has one number for each; 「（肢体）」「（重心）」 rows of one facility). Two rows
//! are the same office when they are in the same municipality (事業所住所（市区町村）, never across
//! municipalities) and
//!
//! - they share the 事業所番号 and either the name or the address (so a duplicate row whose phone
//!   is written without hyphens, or whose address uses 全角 digits or 十条 for 10条, or whose name
//!   has a space or a ・ more, joins its twin), **or**
//! - whatever their numbers, the name is the same and so is the address **or** the phone (one
//!   place in several files or releases whose rows spell the address differently — 「大塚17の729」
//!   / 「大塚17-729」 — or that has a number per designation).
//!
//! Names and addresses are compared through [`name_key`] and [`address_key`] (a name also
//! without the operating corporation's name in front: 「独立行政法人国立病院機構広島西医療センター」
//! is 「広島西医療センター」 of 独立行政法人国立病院機構), phones by their digits. The relation is closed transitively (union–find), so the result does not depend on
//! the order of the files. Rows with one number but a different name *and* address
//! (相談支援事業所 わかたけ / きゃんばす), rows of one name with different phones *and* addresses
//! (two branches of a chain), and rows in different municipalities stay separate records.

use std::collections::HashMap;

use super::fields::{address_key, digits_of, name_key};
use super::row::Row;

struct Keys {
    name: String,
    /// The name without the operating corporation's name in front (「独立行政法人国立病院機構
    /// 広島西医療センター」 → 「広島西医療センター」), when it starts with it.
    short_name: Option<String>,
    address: String,
    phone: String,
    municipality: String,
}

fn keys(row: &Row) -> Keys {
    let name = name_key(&row.name);
    let short_name = row
        .provider
        .as_deref()
        .map(name_key)
        .filter(|p| !p.is_empty())
        .and_then(|p| name.strip_prefix(p.as_str()).map(str::to_string))
        .filter(|rest| rest.chars().count() >= 2);
    Keys {
        name,
        short_name,
        address: row.address.as_deref().map(address_key).unwrap_or_default(),
        phone: row.phone.as_deref().map(digits_of).unwrap_or_default(),
        municipality: row.municipality.clone().unwrap_or_default(),
    }
}

impl Keys {
    /// The name, and the name without its corporation in front.
    fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.short_name.as_deref())
    }
}

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn find(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        // The smaller index is the root, so groups are named by their first row.
        if ra < rb {
            self.0[rb] = ra;
        } else if rb < ra {
            self.0[ra] = rb;
        }
    }
}

/// What two rows of one office share, in words: 「同じ事業所番号」「同じ名称」「同じ住所」「同じ電話」
/// (rows in one group may be joined through a third: then possibly none).
pub fn shared(a: &Row, b: &Row) -> Vec<&'static str> {
    let (ka, kb) = (keys(a), keys(b));
    let mut out = Vec::new();
    if a.office_number == b.office_number {
        out.push("同じ事業所番号");
    }
    if ka.names().any(|a| kb.names().any(|b| a == b)) {
        out.push("同じ名称");
    }
    if !ka.address.is_empty() && ka.address == kb.address {
        out.push("同じ住所");
    }
    if !ka.phone.is_empty() && ka.phone == kb.phone {
        out.push("同じ電話");
    }
    if out.is_empty() {
        out.push("同じ事業所の別の行を通して");
    }
    out
}

/// Groups rows into offices. Returns groups of indices into `rows`, each ascending, the groups
/// ordered by their first row.
pub fn group(rows: &[&Row]) -> Vec<Vec<usize>> {
    let ks: Vec<Keys> = rows.iter().map(|r| keys(r)).collect();
    let mut uf = UnionFind((0..rows.len()).collect());
    let mut by_number: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_place: HashMap<(&str, &str, &str), usize> = HashMap::new();
    let mut by_phone: HashMap<(&str, &str, &str), usize> = HashMap::new();
    for (i, (row, k)) in rows.iter().zip(&ks).enumerate() {
        let same_number = by_number.entry(row.office_number.as_str()).or_default();
        for &j in same_number.iter() {
            let o = &ks[j];
            let near = o.name == k.name || (!k.address.is_empty() && o.address == k.address);
            if o.municipality == k.municipality && near {
                uf.union(i, j);
            }
        }
        same_number.push(i);
        for name in k.names() {
            if !k.address.is_empty() {
                let place = (k.municipality.as_str(), name, k.address.as_str());
                let first = *by_place.entry(place).or_insert(i);
                uf.union(i, first);
            }
            if !k.phone.is_empty() {
                let line = (k.municipality.as_str(), name, k.phone.as_str());
                let first = *by_phone.entry(line).or_insert(i);
                uf.union(i, first);
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut slot: HashMap<usize, usize> = HashMap::new();
    for i in 0..rows.len() {
        let root = uf.find(i);
        let g = *slot.entry(root).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(i);
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::wamnet::row::Hours;

    fn row(number: &str, name: &str, muni: &str, street: &str, phone: &str) -> Row {
        Row {
            line: 2,
            office_number: number.into(),
            name: name.into(),
            name_kana: None,
            provider: None,
            provider_kana: None,
            corporate_number: None,
            service_type: None,
            municipality: Some(muni.into()),
            address: Some(format!("{muni}{street}")),
            phone: Some(phone.into()),
            fax: None,
            url: None,
            location: None,
            hours: Hours::default(),
            closed_days: None,
            notes: None,
            capacity: None,
        }
    }

    #[test]
    fn same_office_table() {
        let rows = [
            row(
                "0310000001",
                "相談支援事業所　わかたけ",
                "岩手県宮古市",
                "緑ヶ丘２番３号",
                "0193-71-1245",
            ),
            row(
                "0310000001",
                "きゃんばす",
                "岩手県宮古市",
                "崎鍬ケ崎第４地割１番地６",
                "0193658666",
            ),
            row(
                "0310000001",
                "相談支援事業所わかたけ",
                "岩手県宮古市",
                "緑ヶ丘2-3",
                "0193711245",
            ),
            row(
                "3851500011",
                "愛媛県立子ども療育センター（肢体）",
                "愛媛県東温市",
                "田窪２１３５",
                "089-955-5533",
            ),
            row(
                "3851500011",
                "愛媛県立子ども療育センター（重心）",
                "愛媛県東温市",
                "田窪２１３５",
                "089-955-5533",
            ),
            row(
                "3452300027",
                "広島西医療センター（肢体）",
                "山口県岩国市",
                "黒磯町2-5-1",
                "0827-57-7151",
            ),
            row(
                "3452300019",
                "広島西医療センター（重心）",
                "山口県岩国市",
                "黒磯町２−５−１",
                "0827577151",
            ),
            row(
                "1310000001",
                "相談支援事業所Serecosu",
                "東京都港区",
                "赤坂7-5-43",
                "03-5315-4966",
            ),
            row(
                "1310000001",
                "相談支援事業所Serecosu",
                "東京都新宿区",
                "新宿1-20-14",
                "03-5315-4966",
            ),
            // One place in two files, the address spelled two ways, its own number in each.
            row(
                "1050100011",
                "群馬整肢療護園",
                "群馬県渋川市",
                "大塚17の729",
                "0279-20-1111",
            ),
            row(
                "1010100022",
                "群馬整肢療護園",
                "群馬県渋川市",
                "大字大塚１７－７２９",
                "0279-00-0000",
            ),
            // Same name and phone, another address (a move between releases): the same place.
            row(
                "1050100033",
                "群馬整肢療護園",
                "群馬県渋川市",
                "北橘町1",
                "0279201111",
            ),
            // Two branches of a chain: one name, different phones and addresses.
            row(
                "2750100001",
                "こどもプラス",
                "大阪府大阪市北区",
                "梅田1-1",
                "06-1111-1111",
            ),
            row(
                "2750100002",
                "こどもプラス",
                "大阪府大阪市北区",
                "中津2-2",
                "06-2222-2222",
            ),
        ];
        let refs: Vec<&Row> = rows.iter().collect();
        // The corporation's name in front of one name and not the other: one place.
        let mut rows = rows.to_vec();
        for (number, name) in [
            ("3412300059", "独立行政法人国立病院機構広島西医療センター"),
            ("3412350021", "広島西医療センター"),
        ] {
            let mut r = row(number, name, "広島県大竹市", "玖波4丁目1-1", "0827-57-7151");
            r.provider = Some("独立行政法人国立病院機構".into());
            rows.push(r);
        }
        let with_corp: Vec<&Row> = rows.iter().collect();
        assert_eq!(group(&with_corp)[9..].to_vec().last(), Some(&vec![14, 15]));
        assert_eq!(
            group(&refs),
            vec![
                vec![0, 2],
                vec![1],
                vec![3, 4],
                vec![5, 6],
                vec![7],
                vec![8],
                vec![9, 10, 11],
                vec![12],
                vec![13]
            ]
        );
    }
}
