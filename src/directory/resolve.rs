//! Turning what a user typed for `--area`, `--care` or `--need` (a name, a reading, romaji or
//! an id: 品川区, 品川, しながわ, shinagawa, 13109) into an area or a taxonomy id — or an error
//! that names the closest matches.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use super::{AreaIdx, Catalog, Facet};
use crate::text::normalize::normalize;
use crate::text::romaji::{kana_to_romaji, romaji_to_kana};

/// A name that matched nothing, with the closest candidates (display names).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {input:?}{}", suggest(.suggestions))]
pub struct UnknownName {
    /// 地域, ケアの種類 or ニーズ (as an English word for the CLI).
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
        format!(" — did you mean: {}?", s.join(", "))
    }
}

/// The result of resolving a name.
pub type Resolved<T> = Result<T, UnknownName>;

/// Endings dropped from readings so しながわ finds しながわく and くだまつ finds くだまつし.
const READING_SUFFIXES: &[&str] = &["ちょう", "まち", "むら", "そん", "く", "し", "と", "けん"];
/// Endings dropped from names so 品川 finds 品川区.
const NAME_SUFFIXES: &[&str] = &["区", "市", "町", "村", "都", "県", "圏域"];

/// Every normalized key an entity can be typed as.
pub(crate) fn keys(id: &str, name: &str, kana: &str, aliases: &[String]) -> Vec<String> {
    let mut out = vec![normalize(id), normalize(name)];
    out.extend(aliases.iter().map(|a| normalize(a)));
    if let Some(stem) = NAME_SUFFIXES.iter().find_map(|s| name.strip_suffix(s))
        && stem.chars().count() >= 2
    {
        out.push(normalize(stem));
    }
    let kana = normalize(kana);
    if !kana.is_empty() {
        out.push(normalize(&kana_to_romaji(&kana)));
        if let Some(stem) = READING_SUFFIXES.iter().find_map(|s| kana.strip_suffix(s))
            && stem.chars().count() >= 2
        {
            out.push(normalize(&kana_to_romaji(stem)));
            out.push(stem.to_string());
        }
        out.push(kana);
    }
    out.retain(|k| !k.is_empty());
    out
}

/// The forms of an input worth comparing: itself normalized, and its kana if it is romaji.
fn input_forms(input: &str) -> Vec<String> {
    let mut forms = vec![normalize(input)];
    if let Some(k) = romaji_to_kana(input) {
        forms.push(normalize(&k));
    }
    forms
}

/// How many characters of `typed` occur in `key` (a crude similarity for suggestions).
fn shared_chars(key: &str, typed: &str) -> i64 {
    typed.chars().filter(|c| key.contains(*c)).count() as i64
}

/// Picks the entity whose keys equal the input, or builds the error with fuzzy suggestions.
fn resolve<T: Copy>(
    what: &'static str,
    input: &str,
    candidates: &[(T, String, Vec<String>)],
) -> Resolved<T> {
    let forms = input_forms(input);
    for (value, _, keys) in candidates {
        if keys.iter().any(|k| forms.contains(k)) {
            return Ok(*value);
        }
    }
    let matcher = SkimMatcherV2::default();
    let mut scored: Vec<(i64, &str)> = candidates
        .iter()
        .filter_map(|(_, display, keys)| {
            let best = keys
                .iter()
                .flat_map(|k| forms.iter().filter_map(|f| matcher.fuzzy_match(k, f)))
                .max()?;
            Some((best, display.as_str()))
        })
        .collect();
    if scored.is_empty() {
        // Nothing has every typed character in order (品川县): rank by shared characters.
        scored = candidates
            .iter()
            .filter_map(|(_, display, keys)| {
                let best = keys
                    .iter()
                    .flat_map(|k| forms.iter().map(move |f| shared_chars(k, f)))
                    .max()?;
                (best > 0).then_some((best, display.as_str()))
            })
            .collect();
    }
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut suggestions: Vec<String> = Vec::new();
    for (_, name) in scored {
        if !suggestions.iter().any(|s| s == name) {
            suggestions.push(name.to_string());
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

impl Catalog {
    /// Resolves an area name, reading, romaji or id.
    pub fn resolve_area(&self, input: &str) -> Resolved<AreaIdx> {
        let candidates: Vec<(AreaIdx, String, Vec<String>)> = self
            .areas
            .areas()
            .iter()
            .enumerate()
            .map(|(i, a)| (i, a.name.clone(), keys(&a.id, &a.name, &a.kana, &a.aliases)))
            .collect();
        resolve("area", input, &candidates)
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
            Facet::CareType => "care type",
            Facet::Need => "need",
        };
        resolve(what, input, &candidates).map(|i| terms[i].id.clone())
    }
}
