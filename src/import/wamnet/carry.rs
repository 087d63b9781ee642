//! What a new release's layer keeps of the layer it follows (`import wamnet NEW…
//! --previous OLD.json`): no id of OLD goes dead, and every designation knows since when it is
//! listed.
//!
//! The unit is the designation (事業所番号 + サービス種別), as in [`super::changes`], and only
//! the service types both layers hold are compared (a layer of other types says nothing about
//! these). For each record R of OLD:
//!
//! | R in NEW | what the new layer holds |
//! |---|---|
//! | a NEW record has R's id, or holds one of R's designations | that record continues R: R's designations NEW lacks (and R's own former ones NEW still lacks) become its `former_designations`; R's id, when it is not its own, goes to its `former_ids` (it still resolves) |
//! | none, and some of R's designations left | R stays as a **closed** record: its last known name, contact and sources, no `designations`, every one it had in `former_designations`, `status: closed` |
//! | none, and R's types are not in NEW | nothing (a layer of other service types) |
//!
//! A designation that left gets `closed_in`, the release of NEW's file of its type (the
//! release in which it disappeared; its `as_of` stays the last release that had it), and, when
//! the changes found it renumbered (same place, new 事業所番号, see [`super::changes`]), the
//! `successor` record's id — which lists R's id in its `former_ids`, so a link to R follows
//! the renumbering (see `crate::directory::links`). A former designation that is back in NEW
//! (reopened) is no longer former. Closed records of OLD are carried on the same way, so
//! closed offices of every earlier release stay.
//!
//! **First seen**: a designation of NEW that OLD had keeps OLD's `first_seen` (absent when it
//! was in the oldest release compared: when it appeared is not known); one OLD lacks, of a type
//! OLD holds, first appeared in its own release (`as_of`).
//!
//! The closed records follow NEW's records in id order, so the same inputs give the same layer.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::changes::Changes;
use crate::directory::model::{Designation, Resource, Status};
use crate::directory::validate::date_order;

/// (事業所番号, サービス種別).
type Key = (String, String);

fn key(d: &Designation) -> Key {
    (d.office_number.clone(), d.service_type.clone())
}

/// What carrying OLD into NEW did, for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Carried {
    /// Closed records in the new layer (OLD's records none of whose designations is in NEW,
    /// including closed records of earlier releases).
    pub closed: usize,
    /// Of those, the ones that closed in this release.
    pub closed_now: usize,
    /// Ids of OLD that now resolve to a NEW record with another id.
    pub moved_ids: usize,
    /// Former designations of OLD that are back in NEW.
    pub reopened: usize,
}

impl std::fmt::Display for Carried {
    /// 「公開データにない記録 N件（今回 N件）・別の記録に引き継いだ id N件・再び載った指定 N件」.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "公開データにない記録 {}件（今回 {}件）・別の記録に引き継いだ id {}件・再び載った指定 {}件",
            self.closed, self.closed_now, self.moved_ids, self.reopened
        )
    }
}

/// Sets `first_seen` on every designation of `new` (see the module doc).
pub fn first_seen(old: &[Resource], new: &mut [Resource]) {
    let mut seen: HashMap<Key, Option<String>> = HashMap::new();
    for r in old {
        for d in r.designations.iter().chain(&r.former_designations) {
            seen.entry(key(d)).or_insert_with(|| d.first_seen.clone());
        }
    }
    let types: BTreeSet<&str> = old
        .iter()
        .flat_map(|r| r.designations.iter().map(|d| d.service_type.as_str()))
        .collect();
    for r in new {
        for d in &mut r.designations {
            d.first_seen = match seen.get(&key(d)) {
                Some(first) => first.clone(),
                None if types.contains(d.service_type.as_str()) => d.as_of.clone(),
                None => None,
            };
        }
    }
}

/// Carries `old` into `new` (see the module doc), with the renumbered pairs of `changes`:
/// closed records are appended to `new`, continuing records gain former designations and ids.
pub fn carry(old: &[Resource], new: &mut Vec<Resource>, changes: &Changes) -> Carried {
    let mut done = Carried::default();
    // The release of NEW of each service type, and where each of its designations is.
    let mut release: BTreeMap<String, String> = BTreeMap::new();
    let mut holder: HashMap<Key, usize> = HashMap::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for (i, r) in new.iter().enumerate() {
        by_id.insert(r.id.clone(), i);
        for d in &r.designations {
            holder.entry(key(d)).or_insert(i);
            if let Some(a) = &d.as_of {
                let e = release.entry(d.service_type.clone()).or_insert(a.clone());
                if date_order(a) > date_order(e) {
                    *e = a.clone();
                }
            }
        }
    }
    let successor: HashMap<Key, String> = changes
        .renumbered
        .iter()
        .map(|r| {
            let k = (
                r.previous_office_number.clone(),
                r.item.service_type.clone(),
            );
            (k, r.item.id.clone())
        })
        .collect();
    let mut closed: Vec<Resource> = Vec::new();
    for r in old {
        // The designations NEW no longer has, as former ones: R's own former ones first.
        let mut former: Vec<Designation> = Vec::new();
        for d in &r.former_designations {
            if holder.contains_key(&key(d)) {
                done.reopened += 1;
            } else {
                former.push(d.clone());
            }
        }
        let mut left_now = false;
        for d in &r.designations {
            let k = key(d);
            let Some(closed_in) = release.get(&d.service_type) else {
                continue;
            };
            if holder.contains_key(&k) {
                continue;
            }
            let mut f = d.clone();
            f.closed_in = Some(closed_in.clone());
            f.successor = successor.get(&k).cloned();
            if let Some(&s) = f.successor.as_ref().and_then(|s| by_id.get(s)) {
                add_id(&mut new[s], &r.id);
            }
            former.push(f);
            left_now = true;
        }
        let continuing = by_id.get(&r.id).copied().or_else(|| {
            r.designations
                .iter()
                .chain(&r.former_designations)
                .find_map(|d| holder.get(&key(d)).copied())
        });
        match continuing {
            Some(c) => {
                let to = &mut new[c];
                for f in former {
                    if !to.former_designations.iter().any(|g| key(g) == key(&f)) {
                        to.former_designations.push(f);
                    }
                }
                if to.id != r.id {
                    done.moved_ids += 1;
                    add_id(to, &r.id);
                }
                for id in &r.former_ids {
                    add_id(to, id);
                }
            }
            None if !former.is_empty() => {
                let mut c = r.clone();
                c.designations = Vec::new();
                c.former_designations = former;
                c.status = Status::Closed;
                done.closed_now += usize::from(left_now);
                closed.push(c);
            }
            None => {}
        }
    }
    // An id of NEW resolves to its own record: it is no one's former id.
    for r in new.iter_mut() {
        r.former_ids.retain(|f| !by_id.contains_key(f));
    }
    closed.sort_by(|a, b| a.id.cmp(&b.id));
    done.closed = closed.len();
    new.extend(closed);
    done
}

/// Adds `id` to the record's former ids (never its own, never twice).
fn add_id(r: &mut Resource, id: &str) {
    if r.id != id && !r.former_ids.iter().any(|f| f == id) {
        r.former_ids.push(id.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::wamnet::changes::{Place, compare};

    /// A record of designations `(事業所番号, 種別, as_of)`, in 山口市 with a phone.
    fn office(id: &str, name: &str, phone: &str, designations: &[(&str, &str, &str)]) -> Resource {
        let mut r: Resource = serde_json::from_value(serde_json::json!({
            "id": id, "name": name, "kind": "facility", "summary": "s",
            "located_in": "35203", "service_areas": ["35203"], "status": "active",
            "contact": {"phone": phone},
            "sources": [{"file": "f.csv", "section": "行 2", "date": "2023-11"}],
        }))
        .unwrap();
        r.designations = designations
            .iter()
            .map(|(n, t, a)| Designation {
                service_type: (*t).into(),
                code: None,
                office_number: (*n).into(),
                capacity: None,
                as_of: Some((*a).into()),
                first_seen: None,
                closed_in: None,
                successor: None,
            })
            .collect();
        r
    }

    fn carried(old: &[Resource], mut new: Vec<Resource>) -> (Vec<Resource>, Carried) {
        let report = compare("2023-11", old, "2024-04", &new, &|_| Place::default());
        first_seen(old, &mut new);
        let done = carry(old, &mut new, &report);
        (new, done)
    }

    fn find<'a>(rs: &'a [Resource], id: &str) -> &'a Resource {
        rs.iter().find(|r| r.id == id).expect(id)
    }

    #[test]
    fn an_office_that_left_stays_closed_with_its_last_contact() {
        let old = [
            office("wam-1", "あ", "083-1", &[("1", "短期入所", "2023-11")]),
            office("wam-2", "い", "083-2", &[("2", "短期入所", "2023-11")]),
        ];
        let new = vec![office(
            "wam-2",
            "い",
            "083-2",
            &[("2", "短期入所", "2024-04")],
        )];
        let (new, done) = carried(&old, new);
        assert_eq!(new.len(), 2);
        let c = find(&new, "wam-1");
        assert_eq!(c.status, Status::Closed);
        assert!(c.designations.is_empty());
        assert_eq!(c.closed_in(), Some("2024-04"));
        assert_eq!(c.former_designations[0].as_of.as_deref(), Some("2023-11"));
        assert_eq!(c.contact.phone.as_deref(), Some("083-1"));
        assert!(!c.is_listed());
        assert_eq!((done.closed, done.closed_now), (1, 1));
        // Carried again into the next release, it stays closed and is not closed "now".
        let next = vec![office(
            "wam-2",
            "い",
            "083-2",
            &[("2", "短期入所", "2024-10")],
        )];
        let (next, done) = carried(&new, next);
        assert_eq!(find(&next, "wam-1").closed_in(), Some("2024-04"));
        assert_eq!((done.closed, done.closed_now), (1, 0));
    }

    #[test]
    fn a_renumbered_office_names_its_successor_which_continues_its_id() {
        let old = [office(
            "wam-5",
            "くだまつの家",
            "0833-1",
            &[("5", "短期入所", "2023-11")],
        )];
        let new = vec![office(
            "wam-9",
            "くだまつの家",
            "0833-1",
            &[("9", "短期入所", "2024-04")],
        )];
        let (new, _) = carried(&old, new);
        let c = find(&new, "wam-5");
        assert_eq!(c.status, Status::Closed);
        assert_eq!(c.former_designations[0].successor.as_deref(), Some("wam-9"));
        assert_eq!(find(&new, "wam-9").former_ids, ["wam-5"]);
    }

    #[test]
    fn first_seen_is_the_new_release_for_an_opened_designation_only() {
        let old = [office(
            "wam-1",
            "あ",
            "083-1",
            &[("1", "短期入所", "2023-11")],
        )];
        let new = vec![
            office("wam-1", "あ", "083-1", &[("1", "短期入所", "2024-04")]),
            office("wam-3", "う", "083-3", &[("3", "短期入所", "2024-04")]),
            // A type the old layer does not hold: when it appeared is not known.
            office("wam-4", "え", "083-4", &[("4", "療養介護", "2024-04")]),
        ];
        let (new, _) = carried(&old, new);
        assert_eq!(find(&new, "wam-1").first_seen(), None);
        assert_eq!(find(&new, "wam-3").first_seen(), Some("2024-04"));
        assert_eq!(find(&new, "wam-4").first_seen(), None);
        // The next release keeps the release it first appeared in.
        let next = vec![office(
            "wam-3",
            "う",
            "083-3",
            &[("3", "短期入所", "2024-10")],
        )];
        let (next, _) = carried(&new, next);
        assert_eq!(find(&next, "wam-3").first_seen(), Some("2024-04"));
    }

    #[test]
    fn a_designation_that_left_an_office_that_stays_is_a_former_one_of_it() {
        let old = [
            office("wam-1", "あ", "083-1", &[("1", "短期入所", "2023-11")]),
            office(
                "wam-7",
                "か",
                "083-7",
                &[("7", "短期入所", "2023-11"), ("8", "短期入所", "2023-11")],
            ),
        ];
        let new = vec![
            // Number 1 left the short-stay list, the office stays under another type.
            office(
                "wam-1",
                "あ",
                "083-1",
                &[("1", "療養介護", "2024-04"), ("6", "短期入所", "2024-04")],
            ),
            // Number 7 left: the office is now under 8, so its id moves.
            office("wam-8", "か", "083-7", &[("8", "短期入所", "2024-04")]),
        ];
        let (new, done) = carried(&old, new);
        assert_eq!(new.len(), 2, "no closed record");
        let a = find(&new, "wam-1");
        assert_eq!(a.former_designations.len(), 1);
        assert_eq!(a.former_designations[0].office_number, "1");
        assert_eq!(
            a.former_designations[0].closed_in.as_deref(),
            Some("2024-04")
        );
        let k = find(&new, "wam-8");
        assert_eq!(k.former_ids, ["wam-7"]);
        assert_eq!(k.former_designations[0].office_number, "7");
        assert_eq!(done.moved_ids, 1);
    }

    #[test]
    fn a_closed_office_that_is_back_is_no_longer_closed() {
        let old = [office(
            "wam-1",
            "あ",
            "083-1",
            &[("1", "短期入所", "2023-11")],
        )];
        let (gone, _) = carried(
            &old,
            vec![office(
                "wam-2",
                "い",
                "083-2",
                &[("2", "短期入所", "2024-04")],
            )],
        );
        assert_eq!(find(&gone, "wam-1").status, Status::Closed);
        let back = vec![
            office("wam-1", "あ", "083-1", &[("1", "短期入所", "2024-10")]),
            office("wam-2", "い", "083-2", &[("2", "短期入所", "2024-10")]),
        ];
        let (back, done) = carried(&gone, back);
        assert_eq!(back.len(), 2);
        let a = find(&back, "wam-1");
        assert_eq!(a.status, Status::Active);
        assert!(a.former_designations.is_empty());
        assert_eq!(done.reopened, 1);
    }

    #[test]
    fn types_the_new_layer_lacks_are_not_closed() {
        let old = [
            office("wam-1", "あ", "083-1", &[("1", "療養介護", "2023-11")]),
            office("wam-2", "い", "083-2", &[("2", "短期入所", "2023-11")]),
        ];
        let new = vec![office(
            "wam-2",
            "い",
            "083-2",
            &[("2", "短期入所", "2024-04")],
        )];
        let (new, done) = carried(&old, new);
        assert_eq!(new.len(), 1);
        assert_eq!(done.closed, 0);
    }
}
