//! Turning what a user typed for `--area`, `--care` or `--need` (a name, a reading, romaji or
//! an id: 品川区, 品川, しながわ, shinagawa, 13109) into an area or a taxonomy id — or an error
//! that names the closest matches.

use super::{AreaIdx, Catalog, Facet, codes};
use crate::text::fuzzy::{self, Fallback, FuzzyQuery};
use crate::text::normalize::normalize;

/// A name that matched nothing, with the closest candidates (display names).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what}「{input}」が見つかりません{}", suggest(.suggestions))]
pub struct UnknownName {
    /// 地域, ケアの種類 or ニーズ.
    pub what: &'static str,
    /// What the user typed.
    pub input: String,
    /// Closest names, best first.
    pub suggestions: Vec<String>,
}

fn suggest(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("（もしかして: {}）", s.join("、"))
    }
}

/// The result of resolving a name.
pub type Resolved<T> = Result<T, UnknownName>;

/// Endings dropped from readings so しながわ finds しながわく and くだまつ finds くだまつし.
const READING_SUFFIXES: &[&str] = &[
    "ちょう",
    "まち",
    "むら",
    "そん",
    "く",
    "し",
    "と",
    "ふ",
    "けん",
];
/// Endings dropped from names so 品川 finds 品川区.
const NAME_SUFFIXES: &[&str] = &["区", "市", "町", "村", "都", "府", "県", "圏域"];

/// The normalized keys an entity can be typed as, in two tiers: `full` (id, name, aliases,
/// reading) and `stems` (the name and reading without 区/市/町/村/都/府/県, as 品川 or
/// しながわ for 品川区). No romaji: a romaji input is compared as its kana too (see
/// [`fuzzy::typed_forms`]), so exact matching needs none, and making it for ~2,000 areas
/// costs ~10 ms.
pub(crate) struct Keys {
    /// Whole names.
    pub full: Vec<String>,
    /// Names without their administrative ending.
    pub stems: Vec<String>,
}

pub(crate) fn tiered_keys(id: &str, name: &str, kana: &str, aliases: &[String]) -> Keys {
    let mut full = vec![normalize(id), normalize(name)];
    full.extend(aliases.iter().map(|a| normalize(a)));
    full.push(normalize(kana));
    let mut stems = Vec::new();
    if let Some(stem) = name_stem(name) {
        stems.push(normalize(stem));
    }
    if let Some(stem) = reading_stem(kana) {
        stems.push(normalize(stem));
    }
    full.retain(|k| !k.is_empty());
    full.dedup();
    stems.retain(|k| !k.is_empty() && !full.contains(k));
    Keys { full, stems }
}

fn name_stem(name: &str) -> Option<&str> {
    NAME_SUFFIXES
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .filter(|stem| stem.chars().count() >= 2)
}

fn reading_stem(kana: &str) -> Option<&str> {
    READING_SUFFIXES
        .iter()
        .find_map(|s| kana.strip_suffix(s))
        .filter(|stem| stem.chars().count() >= 2)
}

/// The keys of a name as it appears in text (both tiers of [`tiered_keys`], no id): for the
/// search vocabulary, which looks a romaji word up as kana.
pub(crate) fn text_keys(name: &str, kana: &str, aliases: &[String]) -> Vec<String> {
    let Keys { mut full, stems } = tiered_keys("", name, kana, aliases);
    full.extend(stems);
    full
}

/// Every normalized key an entity can be typed as, romaji of the reading and its stem
/// included (made from the reading as written: きょうと → `kyouto`), for fuzzy matching of a
/// partly typed romaji name.
pub(crate) fn keys(id: &str, name: &str, kana: &str, aliases: &[String]) -> Vec<String> {
    let Keys { mut full, stems } = tiered_keys(id, name, kana, aliases);
    full.extend(stems);
    full.extend(fuzzy::reading_keys(kana));
    if let Some(stem) = reading_stem(kana) {
        full.extend(fuzzy::reading_keys(stem));
    }
    full.dedup();
    full
}

/// Picks the entity whose keys equal the input, or builds the error with fuzzy suggestions
/// (the shared rule of [`crate::text::fuzzy`]; a typo with nothing in order, such as 品川县,
/// falls back to shared characters).
fn resolve<T: Copy>(
    what: &'static str,
    input: &str,
    candidates: &[(T, String, Vec<String>)],
) -> Resolved<T> {
    let query = FuzzyQuery::new(input);
    if let Some((value, _, _)) = candidates.iter().find(|(_, _, k)| query.equals_any(k)) {
        return Ok(*value);
    }
    let ranked = query.rank(
        candidates.iter().map(|(_, _, k)| k.as_slice()),
        Fallback::SharedCharacters,
    );
    let mut suggestions: Vec<String> = Vec::new();
    for (_, i) in ranked {
        let name = &candidates[i].1;
        if !suggestions.contains(name) {
            suggestions.push(name.clone());
        }
        if suggestions.len() == 5 {
            break;
        }
    }
    Err(UnknownName {
        what,
        input: input.to_string(),
        suggestions,
    })
}

/// A name that fits several areas (北区, 府中市): the candidates, never a guess.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what}「{input}」は{}か所あります — 名前かコードで選んでください: {}", .candidates.len(), .candidates.join("、"))]
pub struct AmbiguousName {
    /// 地域.
    pub what: &'static str,
    /// What the user typed.
    pub input: String,
    /// Each candidate with its prefecture (and city) and its code: `大阪府大阪市北区 (27127)`.
    pub candidates: Vec<String>,
}

/// Why an area name did not resolve to one area.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AreaNameError {
    /// Nothing is called that.
    #[error(transparent)]
    Unknown(#[from] UnknownName),
    /// Several areas are called that.
    #[error(transparent)]
    Ambiguous(#[from] AmbiguousName),
}

impl Catalog {
    /// Resolves an area name, reading, romaji, id or code (`27127`, `271276`).
    ///
    /// Tiers, first match wins: an id or code form; a whole name, alias, reading or its
    /// romaji; a name or reading without its ending (品川, shinagawa). When a tier matches
    /// several areas (北区, 府中市) the answer is [`AreaNameError::Ambiguous`] listing them
    /// all: an area is never guessed.
    pub fn resolve_area(&self, input: &str) -> Result<AreaIdx, AreaNameError> {
        let tree = &self.areas;
        let trimmed = input.trim();
        if let Some(i) = tree
            .index_of(trimmed)
            .or_else(|| codes::id_of_code(trimmed).and_then(|id| tree.index_of(&id)))
        {
            return Ok(i);
        }
        let forms = fuzzy::typed_forms(input);
        let keys: Vec<Keys> = tree
            .areas()
            .iter()
            .map(|a| tiered_keys(&a.id, &a.name, &a.kana, &a.aliases))
            .collect();
        let hits_in = |tier: fn(&Keys) -> &Vec<String>| -> Vec<AreaIdx> {
            (0..keys.len())
                .filter(|&i| tier(&keys[i]).iter().any(|k| forms.contains(k)))
                .collect()
        };
        for hits in [hits_in(|k| &k.full), hits_in(|k| &k.stems)] {
            match hits.as_slice() {
                [] => continue,
                [one] => return Ok(*one),
                many => {
                    return Err(AmbiguousName {
                        what: "地域",
                        input: input.to_string(),
                        candidates: many
                            .iter()
                            .map(|&i| format!("{} ({})", tree.full_name(i), tree.at(i).id))
                            .collect(),
                    }
                    .into());
                }
            }
        }
        // Nothing matched exactly: suggestions, with romaji keys for a partly typed name.
        let candidates: Vec<(AreaIdx, String, Vec<String>)> = tree
            .areas()
            .iter()
            .enumerate()
            .map(|(i, a)| {
                (
                    i,
                    tree.full_name(i),
                    self::keys(&a.id, &a.name, &a.kana, &a.aliases),
                )
            })
            .collect();
        Ok(resolve("地域", input, &candidates)?)
    }

    /// Areas whose id, code, name, alias, reading or romaji contains `query` (normalized),
    /// in gazetteer order: what `ikenavi areas QUERY` lists.
    pub fn find_areas(&self, query: &str) -> Vec<AreaIdx> {
        let code = codes::id_of_code(query);
        let forms = fuzzy::typed_forms(query);
        self.areas
            .areas()
            .iter()
            .enumerate()
            .filter(|(_, a)| {
                code.as_deref() == Some(a.id.as_str())
                    || keys(&a.id, &a.name, &a.kana, &a.aliases).iter().any(|k| {
                        forms
                            .iter()
                            .any(|f| !f.is_empty() && k.contains(f.as_str()))
                    })
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// Resolves a care type or need label, alias, reading, romaji or id to its id.
    pub fn resolve_term(&self, facet: Facet, input: &str) -> Resolved<String> {
        let terms = self.terms(facet);
        let candidates: Vec<(usize, String, Vec<String>)> = terms
            .iter()
            .enumerate()
            .map(|(i, t)| {
                (
                    i,
                    t.label.clone(),
                    keys(&t.id, &t.label, &t.kana, &t.aliases),
                )
            })
            .collect();
        let what = match facet {
            Facet::CareType => "ケアの種類",
            Facet::Need => "ニーズ",
        };
        resolve(what, input, &candidates).map(|i| terms[i].id.clone())
    }
}
