//! Turning what a user typed for `--area`, `--care` or `--need` (a name, a reading, romaji or
//! an id: 品川区, 品川, しながわ, shinagawa, 13109) into an area or a taxonomy id — or an error
//! that names the closest matches.

use super::{AreaIdx, AreaLevel, Catalog, Facet, codes};
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

/// The resolver's keys of an area: [`tiered_keys`], with the short names of its aliases (中央
/// of a ward's 中央区) and of one character (港 of 港区) among the stems: a short name is
/// ambiguous wherever it is shared, whether or not it was written down as an alias.
fn area_keys(a: &crate::directory::Area) -> Keys {
    let mut k = tiered_keys(&a.id, &a.name, &a.kana, &a.aliases);
    for s in short_names(a) {
        if !k.stems.contains(&s) {
            k.stems.push(s);
        }
    }
    k
}

/// The normalized names and aliases of an area without their ending, of any length (港 of
/// 港区, 中央 of 中央区, 府中 of 府中市): what a short name shared by several areas is matched
/// against, so that it is ambiguous like the full name.
pub(crate) fn short_names(a: &crate::directory::Area) -> Vec<String> {
    let name = normalize(&a.name);
    let mut out: Vec<String> = Vec::new();
    for n in std::iter::once(a.name.as_str()).chain(a.aliases.iter().map(String::as_str)) {
        let Some(stem) = NAME_SUFFIXES.iter().find_map(|s| n.strip_suffix(s)) else {
            continue;
        };
        let stem = normalize(stem);
        if !stem.is_empty() && stem != name && !out.contains(&stem) {
            out.push(stem);
        }
    }
    out
}

/// `東京都北区 (13117)` → (`東京都北区`, `13117`): a candidate as an error message prints it.
fn split_code_suffix(input: &str) -> Option<(&str, &str)> {
    let s = input.trim_end();
    let (open, close) = if s.ends_with(')') {
        ('(', ')')
    } else {
        ('（', '）')
    };
    let inner_end = s.strip_suffix(close)?;
    let at = inner_end.rfind(open)?;
    let code = inner_end[at + open.len_utf8()..].trim();
    Some((inner_end[..at].trim(), code))
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
    /// romaji; a name or reading without its ending (品川, shinagawa) — an alias that other
    /// areas are also called by without their ending, outside the aliased one, names them all
    /// (府中: 東京都府中市's alias, 広島県府中市, 広島県府中町; 岩国 stays 岩国市, inside 岩国圏域).
    /// A name may be
    /// written the way addresses and this program's own messages write it: with its prefecture
    /// (奈良県川上村, 奈良県 川上村, 大阪府大阪市北区), with its 郡 (大島郡周防大島町,
    /// 山口県大島郡周防大島町), a city and its ward with a space (横浜市 港北区), or as a candidate
    /// of an error with its code (`東京都北区 (13117)`). When a tier matches several areas (北区,
    /// 府中市, 府中, 大阪) the answer is [`AreaNameError::Ambiguous`] listing them all: an area
    /// is never guessed.
    pub fn resolve_area(&self, input: &str) -> Result<AreaIdx, AreaNameError> {
        let trimmed = input.trim();
        if let Some(i) = self.area_of_code(trimmed) {
            return Ok(i);
        }
        // A candidate as an error lists it: the code decides when the name agrees with it.
        if let Some((name, code)) = split_code_suffix(trimmed)
            && let Some(i) = self.area_of_code(code)
        {
            match self.match_area_name(name) {
                Some(Ok(j)) if j == i => return Ok(i),
                Some(Err(many)) if many.contains(&i) => return Ok(i),
                _ => {}
            }
        }
        let compact: String = trimmed.split_whitespace().collect();
        match self.match_area_name(&compact) {
            Some(Ok(i)) => return Ok(i),
            Some(Err(many)) => {
                return Err(AmbiguousName {
                    what: "地域",
                    input: input.to_string(),
                    candidates: self.area_candidates(&many),
                }
                .into());
            }
            None => {}
        }
        // Nothing matched exactly: suggestions, with romaji keys for a partly typed name.
        let tree = &self.areas;
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

    /// The area of an id or a code form (`13109`, `131091`, `13-kubu`).
    fn area_of_code(&self, input: &str) -> Option<AreaIdx> {
        let tree = &self.areas;
        tree.index_of(input)
            .or_else(|| codes::id_of_code(input).and_then(|id| tree.index_of(&id)))
    }

    /// Each candidate of an ambiguous name as the user can tell them apart and type them back:
    /// its full name, with its 郡 when the data knows it, and its id
    /// (`奈良県吉野郡川上村 (29450)`, `大阪府大阪市北区 (27127)`).
    pub fn area_candidates(&self, areas: &[AreaIdx]) -> Vec<String> {
        let tree = &self.areas;
        areas
            .iter()
            .map(|&i| format!("{} ({})", tree.distinct_name(i), tree.at(i).id))
            .collect()
    }

    /// The areas a name (without spaces) matches exactly: one, or several (`Err`), or `None`.
    /// The whole name first; then a prefecture at its start and the rest within that
    /// prefecture; then a 郡 before a town or village the data knows no 郡 of.
    fn match_area_name(&self, text: &str) -> Option<Result<AreaIdx, Vec<AreaIdx>>> {
        let tree = &self.areas;
        let all: Vec<AreaIdx> = (0..tree.areas().len()).collect();
        if let Some(found) = self.match_in(text, &all) {
            return Some(found);
        }
        let forms = fuzzy::typed_forms(text);
        for p in (0..tree.areas().len()).filter(|&i| tree.at(i).level == AreaLevel::Prefecture) {
            let a = tree.at(p);
            let mut prefixes = vec![normalize(&a.name), normalize(&a.kana)];
            prefixes.extend(name_stem(&a.name).map(normalize));
            prefixes.extend(reading_stem(&a.kana).map(normalize));
            for form in &forms {
                for prefix in prefixes.iter().filter(|k| !k.is_empty()) {
                    let Some(rest) = form.strip_prefix(prefix.as_str()).filter(|r| !r.is_empty())
                    else {
                        continue;
                    };
                    let inside: Vec<AreaIdx> =
                        tree.self_and_descendants(p).into_iter().skip(1).collect();
                    if let Some(found) = self
                        .match_in(rest, &inside)
                        .or_else(|| self.match_after_district(rest, &inside))
                    {
                        return Some(found);
                    }
                }
            }
        }
        self.match_after_district(&normalize(text), &all)
    }

    /// `X郡Y`: Y, a town or village of `among` whose 郡 the data does not know (a 郡 it knows is
    /// one of its names and has matched already).
    fn match_after_district(
        &self,
        text: &str,
        among: &[AreaIdx],
    ) -> Option<Result<AreaIdx, Vec<AreaIdx>>> {
        let (district, town) = text.split_once('郡')?;
        if district.is_empty() || town.is_empty() {
            return None;
        }
        let tree = &self.areas;
        let towns: Vec<AreaIdx> = among
            .iter()
            .copied()
            .filter(|&i| {
                let a = tree.at(i);
                a.level == AreaLevel::Municipality
                    && (a.name.ends_with('町') || a.name.ends_with('村'))
                    && tree.district_of(i).is_none()
            })
            .collect();
        self.match_in(town, &towns)
    }

    /// The areas of `among` a name matches, tier by tier (see [`Catalog::resolve_area`]).
    fn match_in(&self, text: &str, among: &[AreaIdx]) -> Option<Result<AreaIdx, Vec<AreaIdx>>> {
        let tree = &self.areas;
        let forms = fuzzy::typed_forms(text);
        let keys: Vec<(AreaIdx, Keys)> =
            among.iter().map(|&i| (i, area_keys(tree.at(i)))).collect();
        let hits_in = |tier: fn(&Keys) -> &Vec<String>| -> Vec<AreaIdx> {
            keys.iter()
                .filter(|(_, k)| tier(k).iter().any(|k| forms.contains(k)))
                .map(|(i, _)| *i)
                .collect()
        };
        for hits in [hits_in(|k| &k.full), hits_in(|k| &k.stems)] {
            match hits.as_slice() {
                [] => continue,
                [one] => {
                    // A short alias (府中 of 東京都府中市, 港 of 東京都港区) that other areas are
                    // called by too, outside it, is a name of them all.
                    let mut all = vec![*one];
                    let related = tree.self_and_ancestors(*one);
                    all.extend(keys.iter().filter_map(|(i, k)| {
                        let shared = k.stems.iter().any(|k| forms.contains(k));
                        let apart =
                            !related.contains(i) && !tree.self_and_ancestors(*i).contains(one);
                        (shared && apart).then_some(*i)
                    }));
                    return Some(if all.len() == 1 { Ok(*one) } else { Err(all) });
                }
                many => return Some(Err(many.to_vec())),
            }
        }
        None
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What `resolve_area` gives: the area's id, or the ids of every candidate, or nothing.
    #[derive(Debug, PartialEq)]
    enum Got {
        One(String),
        Several(Vec<String>),
        Unknown,
    }

    fn got(catalog: &Catalog, input: &str) -> Got {
        let id = |i: AreaIdx| catalog.areas.at(i).id.clone();
        match catalog.resolve_area(input) {
            Ok(i) => Got::One(id(i)),
            Err(AreaNameError::Ambiguous(a)) => Got::Several(
                a.candidates
                    .iter()
                    .map(|c| c.rsplit(" (").next().unwrap().trim_end_matches(')').into())
                    .collect(),
            ),
            Err(AreaNameError::Unknown(_)) => Got::Unknown,
        }
    }

    fn one(id: &str) -> Got {
        Got::One(id.into())
    }

    fn several(ids: &[&str]) -> Got {
        Got::Several(ids.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn place_names_as_addresses_write_them_table() {
        let catalog = crate::testing::bundled();
        let cases: &[(&str, Got)] = &[
            // Prefecture + municipality, with or without a space (also a full-width one).
            ("奈良県川上村", one("29452")),
            ("奈良県 川上村", one("29452")),
            ("奈良県　川上村", one("29452")),
            ("長野県川上村", one("20304")),
            ("青森県八戸市", one("02203")),
            // By reading, and a prefecture without its ending.
            ("なら 川上村", one("29452")),
            ("奈良 川上村", one("29452")),
            // City + ward.
            ("大阪市北区", one("27127")),
            ("横浜市 港北区", one("14109")),
            ("大阪府大阪市北区", one("27127")),
            // 郡: the one the data knows, with and without the prefecture; another is not it.
            ("大島郡周防大島町", one("35305")),
            ("山口県大島郡周防大島町", one("35305")),
            ("山口県 大島郡 周防大島町", one("35305")),
            ("大崎郡周防大島町", Got::Unknown),
            ("北海道古宇郡泊村", one("01403")),
            ("北海道国後郡泊村", one("01696")),
            // A candidate as an error prints it; a wrong code beside a name is not taken.
            ("東京都北区 (13117)", one("13117")),
            ("奈良県川上村（29452）", one("29452")),
            ("奈良県川上村 (20304)", Got::Unknown),
            // Names of several areas, full or short, are never guessed.
            ("川上村", several(&["20304", "29452"])),
            ("泊村", several(&["01403", "01696"])),
            ("府中市", several(&["13206", "34208"])),
            ("府中", several(&["13206", "34208", "34302"])),
            // A prefecture and its capital are both named (as before).
            ("大阪", several(&["27", "27100"])),
            ("山口", several(&["35", "35203"])),
            // An alias inside the region of the same name is that area.
            ("岩国", one("35208")),
            ("品川", one("13109")),
            ("東京", one("13")),
        ];
        for (input, want) in cases {
            assert_eq!(&got(&catalog, input), want, "{input}");
        }
        for short in ["中央", "港"] {
            assert!(
                matches!(got(&catalog, short), Got::Several(ids) if ids.len() >= 3 && ids.contains(&"13102".to_string()) | ids.contains(&"13103".to_string())),
                "{short}"
            );
        }
    }

    #[test]
    fn candidates_show_the_district_when_the_data_knows_it() {
        let catalog = crate::testing::bundled();
        let Err(AreaNameError::Ambiguous(a)) = catalog.resolve_area("泊村") else {
            panic!("泊村 is two villages")
        };
        assert_eq!(
            a.candidates,
            vec!["北海道古宇郡泊村 (01403)", "北海道国後郡泊村 (01696)"]
        );
    }

    #[test]
    fn odd_input_never_panics() {
        let catalog = crate::testing::bundled();
        for input in [
            "",
            " ",
            "郡",
            "県郡",
            "(",
            "（）",
            "()",
            "北海道",
            "🙂 (13117)",
            "郡郡郡",
        ] {
            let _ = catalog.resolve_area(input);
        }
    }
}
