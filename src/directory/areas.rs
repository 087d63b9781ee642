//! The areas tree: parents, ancestors and descendants of the gazetteer, and what
//! "usable by someone living in X" means.

use std::collections::HashMap;

use super::model::{Area, AreaLevel};

/// Index into [`AreaTree::areas`].
pub type AreaIdx = usize;

/// The gazetteer as a tree. Built from a validated directory (parents exist, no cycles).
#[derive(Debug, Clone)]
pub struct AreaTree {
    areas: Vec<Area>,
    by_id: HashMap<String, AreaIdx>,
    parent: Vec<Option<AreaIdx>>,
    children: Vec<Vec<AreaIdx>>,
    /// Short names (a ward's without its city: 北区) that more than one municipality or ward
    /// has (府中市, 川上村, 北区, 泊村): [`AreaTree::display_name`] tells them apart.
    shared: std::collections::HashSet<String>,
}

impl AreaTree {
    /// Builds the tree. Unknown parents are treated as roots (validation reports them).
    pub fn new(areas: &[Area]) -> Self {
        let by_id: HashMap<String, AreaIdx> = areas
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        let parent: Vec<Option<AreaIdx>> = areas
            .iter()
            .map(|a| a.parent.as_ref().and_then(|p| by_id.get(p).copied()))
            .collect();
        let mut children = vec![Vec::new(); areas.len()];
        for (i, p) in parent.iter().enumerate() {
            if let Some(p) = p {
                children[*p].push(i);
            }
        }
        let mut tree = AreaTree {
            areas: areas.to_vec(),
            by_id,
            parent,
            children,
            shared: Default::default(),
        };
        let mut seen: HashMap<String, usize> = HashMap::new();
        for i in 0..tree.areas.len() {
            if let Some(short) = tree.short_name(i) {
                *seen.entry(short.to_string()).or_default() += 1;
            }
        }
        tree.shared = seen
            .into_iter()
            .filter(|(_, n)| *n > 1)
            .map(|(k, _)| k)
            .collect();
        tree
    }

    /// A municipality's name, or a ward's without its city (大阪市北区 → 北区); `None` for the
    /// other levels.
    fn short_name(&self, idx: AreaIdx) -> Option<&str> {
        let area = &self.areas[idx];
        match area.level {
            AreaLevel::Municipality => Some(&area.name),
            AreaLevel::Ward => {
                let city = self.parent[idx].map(|p| self.areas[p].name.as_str());
                Some(
                    city.and_then(|c| area.name.strip_prefix(c))
                        .unwrap_or(&area.name),
                )
            }
            _ => None,
        }
    }

    /// Whether the area's name is one several municipalities or wards have (府中市, 北区).
    pub fn is_shared_name(&self, idx: AreaIdx) -> bool {
        self.short_name(idx)
            .is_some_and(|n| self.shared.contains(n))
    }

    /// The name to show: the name itself when no other municipality or ward has it, else with
    /// what tells it apart — its prefecture (東京都府中市, 広島県府中市), the 郡 as well when the
    /// prefecture has two (北海道古宇郡泊村); a ward's name already holds its city (大阪市北区),
    /// which tells it from 東京都北区.
    pub fn display_name(&self, idx: AreaIdx) -> String {
        if !self.is_shared_name(idx) || self.areas[idx].level == AreaLevel::Ward {
            return self.areas[idx].name.clone();
        }
        let full = self.full_name(idx);
        let twin = self.areas.iter().enumerate().any(|(j, _)| {
            j != idx && self.short_name(j) == self.short_name(idx) && self.full_name(j) == full
        });
        if twin { self.distinct_name(idx) } else { full }
    }

    /// All areas in file order.
    pub fn areas(&self) -> &[Area] {
        &self.areas
    }

    /// The area with this id.
    pub fn get(&self, id: &str) -> Option<&Area> {
        self.by_id.get(id).map(|&i| &self.areas[i])
    }

    /// Index of the area with this id.
    pub fn index_of(&self, id: &str) -> Option<AreaIdx> {
        self.by_id.get(id).copied()
    }

    /// The area at an index.
    pub fn at(&self, idx: AreaIdx) -> &Area {
        &self.areas[idx]
    }

    /// Parent of an area.
    pub fn parent(&self, idx: AreaIdx) -> Option<AreaIdx> {
        self.parent[idx]
    }

    /// Children of an area, in file order.
    pub fn children(&self, idx: AreaIdx) -> &[AreaIdx] {
        &self.children[idx]
    }

    /// Areas without a parent (normally just 全国).
    pub fn roots(&self) -> Vec<AreaIdx> {
        (0..self.areas.len())
            .filter(|&i| self.parent[i].is_none())
            .collect()
    }

    /// The area itself, then its parent, up to the root. Stops on a cycle.
    pub fn self_and_ancestors(&self, idx: AreaIdx) -> Vec<AreaIdx> {
        let mut out = vec![idx];
        let mut cur = idx;
        while let Some(p) = self.parent[cur] {
            if out.contains(&p) {
                break;
            }
            out.push(p);
            cur = p;
        }
        out
    }

    /// The area and everything below it, depth first.
    pub fn self_and_descendants(&self, idx: AreaIdx) -> Vec<AreaIdx> {
        let mut seen = vec![false; self.areas.len()];
        let mut out = Vec::new();
        let mut stack = vec![idx];
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            out.push(i);
            stack.extend(self.children[i].iter().rev());
        }
        out
    }

    /// The name as written in an address, with its prefecture: 東京都北区, 大阪府大阪市北区
    /// (a ward's name already holds its city), 山口県岩国圏域. The country and prefectures are
    /// their own name.
    pub fn full_name(&self, idx: AreaIdx) -> String {
        let area = &self.areas[idx];
        match (area.level, self.prefecture_of(idx)) {
            (AreaLevel::Country | AreaLevel::Prefecture, _) | (_, None) => area.name.clone(),
            (_, Some(p)) => format!("{}{}", self.areas[p].name, area.name),
        }
    }

    /// The 郡 a town or village is in, when the data knows it: the alias written
    /// `大島郡周防大島町` (see `import::gazetteer`) gives `大島郡`.
    pub fn district_of(&self, idx: AreaIdx) -> Option<&str> {
        let area = &self.areas[idx];
        area.aliases.iter().find_map(|a| {
            a.strip_suffix(area.name.as_str())
                .filter(|d| d.ends_with('郡') && d.chars().count() >= 2)
        })
    }

    /// The full name with the 郡, when the data knows it (山口県大島郡周防大島町): what tells
    /// two areas of one name apart (北海道古宇郡泊村, 北海道国後郡泊村).
    pub fn distinct_name(&self, idx: AreaIdx) -> String {
        match (self.district_of(idx), self.prefecture_of(idx)) {
            (Some(d), Some(p)) => format!("{}{d}{}", self.areas[p].name, self.areas[idx].name),
            _ => self.full_name(idx),
        }
    }

    /// Depth in the tree (root = 0).
    pub fn depth(&self, idx: AreaIdx) -> usize {
        self.self_and_ancestors(idx).len() - 1
    }

    /// The prefecture an area belongs to (itself if it is one).
    pub fn prefecture_of(&self, idx: AreaIdx) -> Option<AreaIdx> {
        self.self_and_ancestors(idx)
            .into_iter()
            .find(|&i| self.areas[i].level == AreaLevel::Prefecture)
    }

    /// The area whose main window (代表窓口, [`Area::main_window`]) a caller living in `idx`
    /// starts at: its own, or — a ward of a designated city without one of its own (the list
    /// has one row per municipality) — its city's. `None` for a prefecture, a region, the
    /// country and a municipality the list has no row for.
    pub fn main_window_of(&self, idx: AreaIdx) -> Option<AreaIdx> {
        if self.areas[idx].main_window.is_some() {
            return Some(idx);
        }
        if self.areas[idx].level != AreaLevel::Ward {
            return None;
        }
        self.parent[idx].filter(|&city| self.areas[city].main_window.is_some())
    }

    /// Whether a record with these `service_areas` can be used by someone living in `home`
    /// (see [`closeness`](Self::closeness)).
    pub fn serves(&self, service_areas: &[String], home: AreaIdx) -> bool {
        self.closeness(service_areas, home).is_some()
    }

    /// How close a record's service areas are to `home`: `Some(0)` when it serves exactly
    /// `home`, `Some(n)` when the nearest serving area is `n` levels above (or below) it,
    /// `None` when people living there cannot use it. See [`Serving`] for the rule.
    pub fn closeness(&self, service_areas: &[String], home: AreaIdx) -> Option<usize> {
        let serving = Serving::new(self, home);
        service_areas
            .iter()
            .filter_map(|sa| serving.closeness(self.index_of(sa)?))
            .min()
    }

    /// Every area whose records someone living in `home` can use, with its closeness, in no
    /// particular order (for an index filter over service-area ids; see [`Serving`]).
    pub fn serving(&self, home: AreaIdx) -> Vec<(AreaIdx, usize)> {
        let serving = Serving::new(self, home);
        if self.children[home].is_empty() {
            // Only the area and its ancestors: no need to look at the whole tree.
            return serving
                .up
                .iter()
                .enumerate()
                .map(|(d, &a)| (a, d))
                .collect();
        }
        // The ancestors, then the places inside `home` (walked down, not the whole tree).
        let mut out: Vec<(AreaIdx, usize)> = serving
            .up
            .iter()
            .enumerate()
            .map(|(d, &a)| (a, d))
            .collect();
        out.extend(
            self.self_and_descendants(home)
                .into_iter()
                .skip(1)
                .filter_map(|a| Some((a, serving.closeness(a)?))),
        );
        out
    }
}

/// The rule of "usable by someone living in `home`" (SPEC §3), for one home: a service area
/// serves `home` when it is `home` or one of its ancestors (closeness = levels up). When
/// `home` contains other areas (a prefecture, a region, a 政令市 with its 区), places inside
/// it serve too (closeness = levels down): a clerk asking for 多摩 wants the 多摩 cities'
/// records as well, one asking for 大阪市 the records of its wards.
struct Serving<'a> {
    tree: &'a AreaTree,
    home: AreaIdx,
    /// `home`, then its ancestors.
    up: Vec<AreaIdx>,
}

impl<'a> Serving<'a> {
    fn new(tree: &'a AreaTree, home: AreaIdx) -> Self {
        Serving {
            tree,
            home,
            up: tree.self_and_ancestors(home),
        }
    }

    /// How close service area `sa` is to home, `None` when it does not serve it.
    fn closeness(&self, sa: AreaIdx) -> Option<usize> {
        if let Some(d) = self.up.iter().position(|&a| a == sa) {
            return Some(d);
        }
        if self.tree.children[self.home].is_empty() {
            return None;
        }
        self.tree
            .self_and_ancestors(sa)
            .iter()
            .position(|&a| a == self.home)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(id: &str, level: AreaLevel, parent: Option<&str>) -> Area {
        Area {
            id: id.into(),
            name: id.into(),
            kana: String::new(),
            level,
            parent: parent.map(Into::into),
            aliases: vec![],
            note: None,
            code: None,
            location: None,
            url: None,
            main_window: None,
        }
    }

    fn tree() -> AreaTree {
        AreaTree::new(&[
            area("jp", AreaLevel::Country, None),
            area("13", AreaLevel::Prefecture, Some("jp")),
            area("13-kubu", AreaLevel::Region, Some("13")),
            area("13109", AreaLevel::Municipality, Some("13-kubu")),
            area("13-tama", AreaLevel::Region, Some("13")),
            area("13201", AreaLevel::Municipality, Some("13-tama")),
        ])
    }

    #[test]
    fn residents_can_use_their_own_and_ancestor_areas_only() {
        let t = tree();
        let hachioji = t.index_of("13201").unwrap();
        assert_eq!(t.closeness(&["13".into()], hachioji), Some(2));
        assert_eq!(t.closeness(&["13201".into()], hachioji), Some(0));
        assert_eq!(t.closeness(&["13109".into()], hachioji), None);
        assert!(t.serves(&["jp".into()], hachioji));
    }

    #[test]
    fn a_region_includes_records_of_its_municipalities() {
        let t = tree();
        let kubu = t.index_of("13-kubu").unwrap();
        assert!(t.serves(&["13109".into()], kubu));
        assert!(!t.serves(&["13201".into()], kubu));
    }

    #[test]
    fn serving_lists_exactly_the_areas_that_serve() {
        let t = tree();
        let names = |home: &str| -> Vec<(String, usize)> {
            t.serving(t.index_of(home).unwrap())
                .into_iter()
                .map(|(a, d)| (t.at(a).id.clone(), d))
                .collect()
        };
        // (home, expected (area id, closeness))
        let cases: &[(&str, &[(&str, usize)])] = &[
            (
                "13201",
                &[("13201", 0), ("13-tama", 1), ("13", 2), ("jp", 3)],
            ),
            (
                "13-kubu",
                &[("jp", 2), ("13", 1), ("13-kubu", 0), ("13109", 1)],
            ),
            (
                "jp",
                &[
                    ("jp", 0),
                    ("13", 1),
                    ("13-kubu", 2),
                    ("13109", 3),
                    ("13-tama", 2),
                    ("13201", 3),
                ],
            ),
        ];
        for (home, want) in cases {
            let mut got = names(home);
            got.sort_by_key(|(id, _)| t.index_of(id));
            let mut want: Vec<(String, usize)> =
                want.iter().map(|(id, d)| (id.to_string(), *d)).collect();
            want.sort_by_key(|(id, _)| t.index_of(id));
            assert_eq!(got, want, "{home}");
            // The same rule as `closeness`, area by area.
            for (i, area) in t.areas().iter().enumerate() {
                let listed = got.iter().find(|(id, _)| *id == area.id).map(|(_, d)| *d);
                let h = t.index_of(home).unwrap();
                assert_eq!(
                    listed,
                    t.closeness(std::slice::from_ref(&area.id), h),
                    "{home} {i}"
                );
            }
        }
    }

    #[test]
    fn descendants_and_prefecture() {
        let t = tree();
        let tokyo = t.index_of("13").unwrap();
        assert_eq!(t.self_and_descendants(tokyo).len(), 5);
        assert_eq!(t.prefecture_of(t.index_of("13109").unwrap()), Some(tokyo));
    }
}
