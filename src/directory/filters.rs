//! The area, care-type, need and 電話あり filters: as a user typed them (`--area 北区`,
//! `--with-phone`, the config's `home_area`), and resolved against a catalog. Shared by the
//! CLI and the UI; the search applies them all the same way (`search::plan`), and so does
//! [`Catalog::filter`] for `list`.
//!
//! ## Unknown is not no (SPEC §3, issue 22)
//!
//! A care-type filter asks which records take a child with that care. How a record answers
//! ([`care_answer`]) depends on what its sources can say:
//!
//! | the record | answer | with the filter |
//! |---|---|---|
//! | its care types include every one asked (a document states them) | [`CareAnswer::Stated`] | kept, first |
//! | an open-data office (事業所番号 or designations: WAM NET, linked or not) with no care types | [`CareAnswer::Unknown`] | kept after the stated ones, marked 医療的ケアの受入れ: 要確認 |
//! | its care types leave out one asked | [`CareAnswer::No`] | left out: its data names the care it takes |
//! | a record of documents only, with no care types | [`CareAnswer::No`] | left out (below) |
//!
//! The open data has no column for the care an office accepts, so its silence says nothing:
//! every such office may take the child, and only a call can tell. A curated record linked to its
//! office keeps the care types its documents give, and is `Unknown` only when they give none.
//!
//! A record of documents only (a programme, council, subsidy, 相談窓口 or facility that the five
//! documents describe, not linked to an office of the open data) was read for the care it
//! takes, and its care types are written where the document names them (17 of the 241 curated
//! records). Where it names none, the document describes a programme or a body for children
//! with medical care in general, not an office that accepts some care and not others. Kept by
//! the care filter, those would be about 200 records in every care search of their areas —
//! councils, subsidies, guidebooks, 研修 — so the filter would no longer narrow anything, and
//! none of them is a place to ask "do you take a ventilator" of. They are left out, as they
//! were; the clerk finds them without the care filter. (The 28 curated records linked to their
//! office are open-data offices too: without care types from a document, they are 要確認.)

use super::resolve::{AreaNameError, UnknownName};
use super::{AreaIdx, Catalog, Facet, Resource};

/// Filters as typed: names, readings, romaji, ids or codes.
#[derive(Debug, Default, Clone)]
pub struct FilterNames {
    /// `--area`.
    pub area: Option<String>,
    /// `--care` (repeatable).
    pub care: Vec<String>,
    /// `--need` (repeatable).
    pub need: Vec<String>,
    /// `--with-phone`.
    pub with_phone: bool,
    /// `--within KM` (or the config's `within_km`); `None` is [`DEFAULT_WITHIN_KM`].
    pub within_km: Option<u32>,
}

/// How far (km from the area's office) offices with coordinates are included by default.
pub const DEFAULT_WITHIN_KM: u32 = 30;

/// The active filters, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filters {
    /// 地域.
    pub area: Option<AreaIdx>,
    /// ケアの種類 ids, in the order chosen.
    pub care_types: Vec<String>,
    /// ニーズ ids, in the order chosen.
    pub needs: Vec<String>,
    /// 電話あり: only records whose contact has a phone number
    /// ([`Contact::phone_number`](super::Contact::phone_number)).
    pub with_phone: bool,
    /// With an area: records with coordinates within this many km of the area's office are
    /// included too, whatever their service areas (0: only the service-area rule).
    pub within_km: u32,
}

impl Default for Filters {
    fn default() -> Self {
        Filters {
            area: None,
            care_types: vec![],
            needs: vec![],
            with_phone: false,
            within_km: DEFAULT_WITHIN_KM,
        }
    }
}

impl Filters {
    /// No filter at all.
    pub fn is_empty(&self) -> bool {
        self.area.is_none()
            && self.care_types.is_empty()
            && self.needs.is_empty()
            && !self.with_phone
    }

    /// Whether a record passes every filter (`area` on the catalog's tree: it serves the
    /// area, or lies within [`within_km`](Self::within_km) of its office).
    pub fn admits(&self, catalog: &Catalog, r: &Resource) -> bool {
        self.area.is_none_or(|a| {
            catalog.areas.serves(&r.service_areas, a)
                || catalog
                    .distance_km(r, a)
                    .is_some_and(|d| d <= f64::from(self.within_km))
        }) && care_answer(r, &self.care_types) != CareAnswer::No
            && self.needs.iter().all(|n| r.needs.contains(n))
            && (!self.with_phone || r.contact.phone_number().is_some())
    }
}

/// How a record answers the care types asked for (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CareAnswer {
    /// Its data names every care type asked (or none is asked).
    Stated,
    /// Its source cannot say which care it takes: 医療的ケアの受入れ: 要確認.
    Unknown,
    /// Its data names the care it takes, and not every one asked; or it is a record of
    /// documents only that names none.
    No,
}

/// Whether the record's sources cannot say which care it accepts: an office of the open data
/// (it has 事業所番号 or designations; the open data has no column for care) with no care type
/// from a document.
pub fn care_unstated(r: &Resource) -> bool {
    r.care_types.is_empty() && (!r.designations.is_empty() || !r.office_numbers.is_empty())
}

/// How `r` answers a filter asking for every care type of `asked` (none asked: `Stated`).
pub fn care_answer(r: &Resource, asked: &[String]) -> CareAnswer {
    if asked.iter().all(|c| r.care_types.contains(c)) {
        CareAnswer::Stated
    } else if care_unstated(r) {
        CareAnswer::Unknown
    } else {
        CareAnswer::No
    }
}

/// A typed filter that names nothing, or several areas.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    /// The area is unknown or ambiguous.
    #[error(transparent)]
    Area(#[from] AreaNameError),
    /// A care type or need is unknown.
    #[error(transparent)]
    Term(#[from] UnknownName),
}

impl FilterNames {
    /// Resolves names to ids, or says which one is unknown (and what is close) or ambiguous
    /// (and what it could be).
    pub fn resolve(&self, catalog: &Catalog) -> Result<Filters, FilterError> {
        let area = match &self.area {
            Some(a) => Some(catalog.resolve_area(a)?),
            None => None,
        };
        let terms = |facet, inputs: &[String]| -> Result<Vec<String>, UnknownName> {
            inputs
                .iter()
                .map(|c| catalog.resolve_term(facet, c))
                .collect()
        };
        Ok(Filters {
            area,
            care_types: terms(Facet::CareType, &self.care)?,
            needs: terms(Facet::Need, &self.need)?,
            with_phone: self.with_phone,
            within_km: self.within_km.unwrap_or(DEFAULT_WITHIN_KM),
        })
    }
}
