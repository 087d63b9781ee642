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
        AreaTree {
            areas: areas.to_vec(),
            by_id,
            parent,
            children,
        }
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
        let mut out = Vec::new();
        let mut stack = vec![idx];
        while let Some(i) = stack.pop() {
            if out.contains(&i) {
                continue;
            }
            out.push(i);
            stack.extend(self.children[i].iter().rev());
        }
        out
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

    /// Whether a record with these `service_areas` can be used by someone living in `home`:
    /// a service area equal to `home` or any of its ancestors. When `home` is a region or
    /// prefecture, records for places inside it count too (a clerk asking for 多摩 wants the
    /// 多摩 cities' records as well).
    pub fn serves(&self, service_areas: &[String], home: AreaIdx) -> bool {
        self.closeness(service_areas, home).is_some()
    }

    /// How close a record's service areas are to `home`: `Some(0)` when it serves exactly
    /// `home`, `Some(n)` when the nearest serving area is `n` levels above (or below) it,
    /// `None` when people living there cannot use it.
    pub fn closeness(&self, service_areas: &[String], home: AreaIdx) -> Option<usize> {
        let up = self.self_and_ancestors(home);
        let mut best: Option<usize> = None;
        for sa in service_areas {
            let Some(i) = self.index_of(sa) else { continue };
            if let Some(d) = up.iter().position(|&a| a == i) {
                best = Some(best.map_or(d, |b| b.min(d)));
            } else if self.areas[home].level != AreaLevel::Municipality
                && self.self_and_ancestors(i).contains(&home)
            {
                let d = self.depth(i).saturating_sub(self.depth(home));
                best = Some(best.map_or(d, |b| b.min(d)));
            }
        }
        best
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
    fn descendants_and_prefecture() {
        let t = tree();
        let tokyo = t.index_of("13").unwrap();
        assert_eq!(t.self_and_descendants(tokyo).len(), 5);
        assert_eq!(t.prefecture_of(t.index_of("13109").unwrap()), Some(tokyo));
    }
}
