//! The area, care-type, need and 電話あり filters: as a user typed them (`--area 北区`,
//! `--with-phone`, the config's `home_area`), and resolved against a catalog. Shared by the
//! CLI and the UI; the search applies them all the same way (`search::plan`), and so does
//! [`Catalog::filter`] for `list`.

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
        }) && self.care_types.iter().all(|c| r.care_types.contains(c))
            && self.needs.iter().all(|n| r.needs.contains(n))
            && (!self.with_phone || r.contact.phone_number().is_some())
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
