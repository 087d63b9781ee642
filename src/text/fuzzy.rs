//! Fuzzy matching of what was typed against the names of things: the one "did you mean" rule
//! for search suggestions, the pickers (地域, ケアの種類, ニーズ) and `--area`/`--care`/`--need`.
//!
//! Both sides are compared in search normalization ([`normalize`]):
//!
//! - **keys** are the ways a thing can be written: its normalized name, aliases, reading, and
//!   the romaji of the reading. Build the reading's keys with [`reading_keys`] from the reading
//!   *as written*: romaji of normalized kana loses small kana (きょうと normalizes to きようと,
//!   whose romaji is `kiyouto`, so typing `kyouto` would miss);
//! - **forms** are the ways to read what was typed: the input normalized and, when it is
//!   romaji, its kana ([`typed_forms`]), so `shinagawa` meets しながわく.
//!
//! A candidate's score is the best [`SkimMatcherV2`] score of any key against any form
//! (every typed character must occur in the key, in order). [`FuzzyQuery::rank`] orders
//! candidates by it, best first, ties in candidate order; with [`Fallback::SharedCharacters`],
//! when no candidate matches that way (a typo such as 品川县), candidates are ranked by how many
//! typed characters their keys contain instead.
//!
//! | typed       | forms                     | key          | matches                   |
//! |-------------|---------------------------|--------------|---------------------------|
//! | `shina`     | `shina`, `しな`           | `shinagawaku`| yes (prefix)              |
//! | `kyouto`    | `kyouto`, `きようと`      | `kyouto`     | yes — from きょうと as written |
//! | `品川县`    | `品川县`                  | `品川区`     | no; 2 shared characters   |

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use super::normalize::normalize;
use super::romaji::{kana_to_romaji, romaji_to_kana};

/// Bonus of [`FuzzyQuery::score_prefix_first`] for a key that starts with a form: above any
/// scattered match of a short query.
pub const PREFIX_BONUS: i64 = 1000;

/// What [`FuzzyQuery::rank`] does when no candidate matches fuzzily.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    /// Nothing: no suggestions.
    None,
    /// Rank the candidates that share at least one character with a form, most first.
    SharedCharacters,
}

/// The normalized forms of a typed query: itself, and its kana when it is romaji. Empty
/// forms are dropped, duplicates removed.
pub fn typed_forms(typed: &str) -> Vec<String> {
    let mut forms = vec![normalize(typed)];
    if let Some(k) = romaji_to_kana(typed) {
        forms.push(normalize(&k));
    }
    forms.retain(|f| !f.is_empty());
    forms.dedup();
    forms
}

/// The keys of a reading, given as written (hiragana, katakana or half-width): the normalized
/// kana and the romaji made from the kana as written (きょうと → `kyouto`, not `kiyouto`).
/// Empty for an empty reading.
pub fn reading_keys(reading: &str) -> Vec<String> {
    let kana = normalize(reading);
    if kana.is_empty() {
        return vec![];
    }
    vec![kana, romaji_key(reading)]
}

/// The romaji of a reading as written, normalized as a key.
pub fn romaji_key(reading: &str) -> String {
    normalize(&kana_to_romaji(reading))
}

/// What was typed, ready to be matched against many candidates' keys.
pub struct FuzzyQuery {
    forms: Vec<String>,
    matcher: SkimMatcherV2,
}

impl std::fmt::Debug for FuzzyQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FuzzyQuery")
            .field("forms", &self.forms)
            .finish_non_exhaustive()
    }
}

impl FuzzyQuery {
    /// A query from what was typed (see [`typed_forms`]).
    pub fn new(typed: &str) -> Self {
        Self::from_forms(typed_forms(typed))
    }

    /// A query from forms already normalized.
    pub fn from_forms(forms: Vec<String>) -> Self {
        FuzzyQuery {
            forms,
            matcher: SkimMatcherV2::default(),
        }
    }

    /// The forms compared.
    pub fn forms(&self) -> &[String] {
        &self.forms
    }

    /// Whether a key equals one of the forms exactly.
    pub fn equals_any(&self, keys: &[String]) -> bool {
        keys.iter().any(|k| self.forms.contains(k))
    }

    /// Best fuzzy score of any key against any form; `None` when none matches.
    pub fn score(&self, keys: &[String]) -> Option<i64> {
        self.best(keys, 0)
    }

    /// Like [`score`](Self::score), with [`PREFIX_BONUS`] for a key that starts with the form
    /// (for pickers: `shi` puts 品川区 (`shinagawaku`) above a scattered match).
    pub fn score_prefix_first(&self, keys: &[String]) -> Option<i64> {
        self.best(keys, PREFIX_BONUS)
    }

    fn best(&self, keys: &[String], prefix_bonus: i64) -> Option<i64> {
        keys.iter()
            .flat_map(|k| {
                self.forms.iter().filter_map(move |f| {
                    let s = self.matcher.fuzzy_match(k, f)?;
                    Some(
                        s + if k.starts_with(f.as_str()) {
                            prefix_bonus
                        } else {
                            0
                        },
                    )
                })
            })
            .max()
    }

    /// Most characters of a form that occur in any key (0 when none).
    pub fn shared_characters(&self, keys: &[String]) -> usize {
        keys.iter()
            .flat_map(|k| {
                self.forms
                    .iter()
                    .map(move |f| f.chars().filter(|c| k.contains(*c)).count())
            })
            .max()
            .unwrap_or(0)
    }

    /// Candidates (each given by its keys) that match, as `(score, position)`, best first,
    /// ties in candidate order. See [`Fallback`] for when none matches.
    pub fn rank<K: AsRef<[String]>>(
        &self,
        candidates: impl IntoIterator<Item = K>,
        fallback: Fallback,
    ) -> Vec<(i64, usize)> {
        let keys: Vec<K> = candidates.into_iter().collect();
        let mut scored: Vec<(i64, usize)> = keys
            .iter()
            .enumerate()
            .filter_map(|(i, k)| Some((self.score(k.as_ref())?, i)))
            .collect();
        if scored.is_empty() && fallback == Fallback::SharedCharacters {
            scored = keys
                .iter()
                .enumerate()
                .map(|(i, k)| (self.shared_characters(k.as_ref()) as i64, i))
                .filter(|&(n, _)| n > 0)
                .collect();
        }
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(name: &str, reading: &str) -> Vec<String> {
        let mut k = vec![normalize(name)];
        k.extend(reading_keys(reading));
        k
    }

    #[test]
    fn forms_table() {
        let cases: &[(&str, &[&str])] = &[
            ("品川", &["品川"]),
            ("shinagawa", &["shinagawa", "しながわ"]),
            ("ｼﾅｶﾞﾜ", &["しながわ"]),
            ("PEG", &["peg"]),
            ("  ", &[]),
        ];
        for (typed, want) in cases {
            assert_eq!(typed_forms(typed), *want, "{typed:?}");
        }
    }

    #[test]
    fn reading_keys_keep_small_kana_in_romaji() {
        for reading in ["きょうと", "キョウト", "ｷｮｳﾄ"] {
            assert_eq!(
                reading_keys(reading),
                vec!["きようと", "kyouto"],
                "{reading}"
            );
        }
        assert!(reading_keys("").is_empty());
    }

    #[test]
    fn rank_table() {
        let candidates = [
            keys("品川区", "しながわく"),
            keys("京都府", "きょうとふ"),
            keys("下松市", "くだまつし"),
        ];
        // (typed, fallback, expected positions best first)
        let cases: &[(&str, Fallback, &[usize])] = &[
            ("shina", Fallback::None, &[0]),
            ("kyouto", Fallback::None, &[1]),
            ("きょうと", Fallback::None, &[1]),
            ("kuda", Fallback::None, &[2]),
            ("品川县", Fallback::None, &[]),
            ("品川县", Fallback::SharedCharacters, &[0]),
            ("zzz", Fallback::SharedCharacters, &[]),
        ];
        for (typed, fallback, want) in cases {
            let got: Vec<usize> = FuzzyQuery::new(typed)
                .rank(&candidates, *fallback)
                .into_iter()
                .map(|(_, i)| i)
                .collect();
            assert_eq!(got, *want, "{typed:?} {fallback:?}");
        }
    }

    #[test]
    fn a_prefix_beats_a_scattered_match() {
        let q = FuzzyQuery::new("しな");
        let prefix = q.score_prefix_first(&keys("品川区", "しながわく")).unwrap();
        let scattered = q
            .score_prefix_first(&keys("石神井", "しゃくじいな"))
            .unwrap();
        assert!(prefix > scattered + PREFIX_BONUS / 2);
        assert!(q.equals_any(&["しな".to_string()]));
    }
}
