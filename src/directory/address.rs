//! Where an address is: the municipality or 政令市の区 of the start of a Japanese address, as
//! the open data writes it (WAM NET's 事業所住所（市区町村）: 「山口県大島郡周防大島町」,
//! 「北海道札幌市東区」, 「東京都品川区」).
//!
//! The rules, in order (the text is compared after NFKC, without whitespace, with ヶ/ケ read as
//! the same letter — 鎌ヶ谷市 is written both ways):
//!
//! 1. the prefecture whose name starts the text (none → no answer);
//! 2. in it, the municipalities and wards (at any depth: 東京都's and 山口県's regions sit
//!    between) whose name is the rest of the text — a ward's name holds its city, so
//!    「札幌市東区」 is the ward 札幌市東区 and 「大阪市」 the city;
//! 3. if none, the same after dropping a 郡 part (「大島郡周防大島町」 → 周防大島町). Names that
//!    contain 郡 themselves (郡山市, 大和郡山市, 郡上市) are matched whole by rule 2 first.
//!
//! Exactly one candidate is the answer; none or several (北海道 has two 泊村) is no answer:
//! never a guess. The prefecture alone is available separately
//! ([`AreaTree::prefecture_of_address`]) for a caller that wants to fall back to it and say so.

use unicode_normalization::UnicodeNormalization;

use super::Catalog;
use super::areas::{AreaIdx, AreaTree};
use super::model::AreaLevel;

/// The comparison form of a name or address.
fn key(s: &str) -> String {
    s.nfkc()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == 'ヶ' { 'ケ' } else { c })
        .collect()
}

impl AreaTree {
    /// The prefecture that starts `address`, and the rest of the address (in comparison form).
    pub fn prefecture_of_address(&self, address: &str) -> Option<(AreaIdx, String)> {
        let text = key(address);
        let mut found = None;
        for (i, a) in self.areas().iter().enumerate() {
            if a.level != AreaLevel::Prefecture {
                continue;
            }
            if let Some(rest) = text.strip_prefix(key(&a.name).as_str()) {
                if found.is_some() {
                    return None;
                }
                found = Some((i, rest.to_string()));
            }
        }
        found
    }

    /// The municipality or ward an address starts with (see the module documentation); `None`
    /// when the text names no area of the gazetteer or more than one.
    pub fn area_of_address(&self, address: &str) -> Option<AreaIdx> {
        let (pref, rest) = self.prefecture_of_address(address)?;
        if rest.is_empty() {
            return None;
        }
        let local: Vec<(AreaIdx, String)> = self
            .self_and_descendants(pref)
            .into_iter()
            .filter(|&i| matches!(self.at(i).level, AreaLevel::Municipality | AreaLevel::Ward))
            .map(|i| (i, key(&self.at(i).name)))
            .collect();
        let only = |name: &str| -> Option<Option<AreaIdx>> {
            let hits: Vec<AreaIdx> = local
                .iter()
                .filter(|(_, n)| n == name)
                .map(|(i, _)| *i)
                .collect();
            match hits.len() {
                0 => None,
                1 => Some(Some(hits[0])),
                _ => Some(None),
            }
        };
        if let Some(answer) = only(&rest) {
            return answer;
        }
        let (gun, town) = rest.split_once('郡')?;
        if gun.is_empty() || town.is_empty() {
            return None;
        }
        only(town).flatten()
    }
}

impl Catalog {
    /// The municipality or ward an address starts with; see [`AreaTree::area_of_address`].
    pub fn area_of_address(&self, address: &str) -> Option<AreaIdx> {
        self.areas.area_of_address(address)
    }
}
