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
//! - whatever their numbers, both the name and the address are the same.
//!
//! Names and addresses are compared through [`name_key`] and [`address_key`]. The relation is
//! closed transitively (union–find), so the result does not depend on the order of the files.
//! Rows with one number but a different name *and* address (相談支援事業所 わかたけ / きゃんばす), or in
//! different municipalities, stay separate records.

use std::collections::HashMap;

use super::fields::{address_key, name_key};
use super::row::Row;

struct Keys {
    name: String,
    address: String,
    municipality: String,
}

fn keys(row: &Row) -> Keys {
    Keys {
        name: name_key(&row.name),
        address: row.address.as_deref().map(address_key).unwrap_or_default(),
        municipality: row.municipality.clone().unwrap_or_default(),
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

/// Groups rows into offices. Returns groups of indices into `rows`, each ascending, the groups
/// ordered by their first row.
pub fn group(rows: &[&Row]) -> Vec<Vec<usize>> {
    let ks: Vec<Keys> = rows.iter().map(|r| keys(r)).collect();
    let mut uf = UnionFind((0..rows.len()).collect());
    let mut by_number: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_place: HashMap<(&str, &str, &str), usize> = HashMap::new();
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
        if !k.address.is_empty() {
            let place = (k.municipality.as_str(), k.name.as_str(), k.address.as_str());
            let first = *by_place.entry(place).or_insert(i);
            uf.union(i, first);
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
        ];
        let refs: Vec<&Row> = rows.iter().collect();
        assert_eq!(
            group(&refs),
            vec![
                vec![0, 2],
                vec![1],
                vec![3, 4],
                vec![5, 6],
                vec![7],
                vec![8]
            ]
        );
    }
}
