//! Snippets: the part of a record that matched, with highlight ranges in the original text
//! (matching is done on normalized text and mapped back, so ｼｮｰﾄｽﾃｲ highlights ショートステイ).

use std::borrow::Cow;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind};

use crate::directory::Resource;

use super::analyzer::unify_place_joins;
use crate::text::normalize::{normalize, normalize_with_map};

/// A piece of a record's text with the matched ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    /// The text shown (original spelling).
    pub text: String,
    /// Byte ranges of `text` that matched, sorted, not overlapping.
    pub highlights: Vec<Range<usize>>,
}

/// Characters of context shown before the first match.
const LEAD_CHARS: usize = 12;
/// Longest snippet, in characters.
const MAX_CHARS: usize = 80;

/// The texts of a record a snippet may come from, in order of preference.
pub fn candidate_texts(r: &Resource) -> [Option<Cow<'_, str>>; 6] {
    [
        Some(Cow::Borrowed(r.summary.as_str())),
        Some(Cow::Borrowed(r.name.as_str())),
        Some(Cow::Owned(r.aliases.join("、"))),
        r.description.as_deref().map(Cow::Borrowed),
        r.eligibility.as_deref().map(Cow::Borrowed),
        r.provider.as_deref().map(Cow::Borrowed),
    ]
}

/// The normalized form of each candidate text (empty where the record has none). Computed
/// once per record and kept by the engine, so typing does not normalize the same text again.
pub fn normalized_candidates(r: &Resource) -> Box<[String]> {
    candidate_texts(r)
        .iter()
        .map(|t| t.as_deref().map(searchable).unwrap_or_default())
        .collect()
}

/// A text as the index sees it: normalized, with the joining kana of place names as one
/// (梅ヶ丘 = 梅が丘, see [`unify_place_joins`]) — the same number of bytes as its normalized
/// form, so offsets into one are offsets into the other.
fn searchable(text: &str) -> String {
    unify_place_joins(normalize(text))
}

/// The normalized terms to highlight, found in one pass over a text whatever their number
/// (a word and its synonyms can be dozens of terms, looked for in every hit's texts).
pub struct Terms(Option<AhoCorasick>);

impl Terms {
    /// Terms from normalized strings (empty ones are ignored).
    pub fn new(terms: &[String]) -> Terms {
        let terms: Vec<String> = terms
            .iter()
            .filter(|t| !t.is_empty())
            .map(|t| unify_place_joins(t.clone()))
            .collect();
        // A contiguous NFA: built in microseconds (a DFA, the default for few patterns, took
        // a tenth of a keystroke to build), and searching a few short texts is as fast.
        Terms(
            AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::ContiguousNFA))
                .build(terms)
                .ok(),
        )
    }

    /// The end of the first occurrence of a term in `text` (of any term, overlapping ones
    /// included), if one occurs.
    fn first_end(&self, text: &str) -> Option<usize> {
        let ac = self.0.as_ref()?;
        ac.find_overlapping_iter(text).map(|m| m.end()).min()
    }

    /// The byte ranges of every occurrence of a term in `text` (overlapping ones included).
    fn ranges(&self, text: &str) -> Vec<Range<usize>> {
        match &self.0 {
            Some(ac) => ac.find_overlapping_iter(text).map(|m| m.range()).collect(),
            None => Vec::new(),
        }
    }
}

/// The best snippet of a record for these terms: the first of summary, name and aliases,
/// description, eligibility, provider that contains a term; else the summary unhighlighted.
/// `normalized` is [`normalized_candidates`] of the record.
pub fn for_resource(r: &Resource, terms: &Terms, normalized: &[String]) -> Snippet {
    let texts = candidate_texts(r);
    for (text, norm) in texts.iter().zip(normalized) {
        let Some(text) = text else { continue };
        if let Some(end) = terms.first_end(norm)
            && let Some(s) = highlight_prefix(text, terms, prefix_for(text, norm, end))
        {
            return s;
        }
    }
    Snippet {
        text: clip(&r.summary, 0),
        highlights: vec![],
    }
}

fn clip(text: &str, from_char: usize) -> String {
    text.chars().skip(from_char).take(MAX_CHARS).collect()
}

/// How many bytes of `text` hold its first match and the window after it, judged from its
/// normalized form `norm`, where the first match ends at byte `first_end` (normalizing a long
/// description to the end, for every hit of every keystroke, would cost more than the rest
/// of the search). Generous: normalization rarely changes the number of characters, and at
/// most halves it (ｶﾞ → が).
fn prefix_for(text: &str, norm: &str, first_end: usize) -> usize {
    let chars = norm[..first_end].chars().count() * 2 + MAX_CHARS + 16;
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(b, _)| b)
}

/// Highlights every occurrence of the terms (normalized) in `text`, windowed around the
/// first one. `None` when no term occurs.
pub fn highlight(text: &str, terms: &[String]) -> Option<Snippet> {
    highlight_prefix(text, &Terms::new(terms), text.len())
}

/// [`highlight`], looking for the terms in the first `prefix` bytes of `text` only (the window
/// may run past them).
fn highlight_prefix(text: &str, terms: &Terms, prefix: usize) -> Option<Snippet> {
    let mut norm = normalize_with_map(&text[..prefix]);
    norm.text = unify_place_joins(std::mem::take(&mut norm.text));
    let mut ranges: Vec<Range<usize>> = terms
        .ranges(&norm.text)
        .into_iter()
        .map(|r| norm.original_range(r))
        .collect();
    if ranges.is_empty() {
        return None;
    }
    ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    // Window: start a few characters before the first match.
    let first = merged[0].start;
    let first_char = text[..first].chars().count();
    let skip_chars = first_char.saturating_sub(LEAD_CHARS);
    let start_byte = text
        .char_indices()
        .nth(skip_chars)
        .map_or(text.len(), |(b, _)| b);
    let window = clip(text, skip_chars);
    let end_byte = start_byte + window.len();
    let mut prefix = String::new();
    if skip_chars > 0 {
        prefix.push('…');
    }
    let shift = prefix.len();
    let highlights = merged
        .into_iter()
        .filter(|r| r.start >= start_byte && r.start < end_byte)
        .map(|r| (r.start - start_byte + shift)..(r.end.min(end_byte) - start_byte + shift))
        .collect();
    let mut out = prefix;
    out.push_str(&window);
    if end_byte < text.len() {
        out.push('…');
    }
    Some(Snippet {
        text: out,
        highlights,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_width_query_highlights_full_width_text() {
        let terms = vec![crate::text::normalize::normalize("ｼｮｰﾄｽﾃｲ")];
        let s = highlight("品川区障害者医療ショートステイ事業", &terms).unwrap();
        let h = &s.highlights[0];
        assert_eq!(&s.text[h.clone()], "ショートステイ");
    }

    /// 梅が丘 finds 梅ヶ丘 (the index joins them); the snippet marks it too.
    #[test]
    fn a_place_name_is_highlighted_however_its_joining_kana_is_written() {
        for (text, typed) in [
            ("梅ヶ丘の訪問看護", "梅が丘"),
            ("自由が丘クリニック", "自由ヶ丘"),
            ("霞ケ関の窓口", "霞が関"),
        ] {
            let s = highlight(text, &[normalize(typed)]).expect(text);
            let h = &s.highlights[0];
            assert_eq!(
                s.text[h.clone()].chars().count(),
                typed.chars().count(),
                "{text}"
            );
        }
    }

    #[test]
    fn long_text_is_windowed_around_the_match() {
        let text = format!("{}人工呼吸器の利用者{}", "あ".repeat(50), "い".repeat(100));
        let s = highlight(&text, &[crate::text::normalize::normalize("人工呼吸器")]).unwrap();
        assert!(s.text.starts_with('…') && s.text.ends_with('…'));
        let h = &s.highlights[0];
        assert_eq!(&s.text[h.clone()], "人工呼吸器");
    }

    #[test]
    fn a_long_text_shows_the_same_snippet_when_only_its_start_is_mapped() {
        let long_tail = "の利用について説明します。".repeat(40);
        let texts = [
            format!("ｼｮｰﾄｽﾃｲ（ﾊﾞｽ送迎）{long_tail}人工呼吸器"),
            format!(
                "{}人工呼吸器を使う子の㈱ショートステイ{long_tail}",
                "ﾀﾞ".repeat(60)
            ),
            format!("{}ショートステイ", "あ".repeat(300)),
        ];
        let terms = ["ショートステイ", "人工呼吸器"].map(crate::text::normalize::normalize);
        for text in &texts {
            let norm = crate::text::normalize::normalize(text);
            let end = Terms::new(&terms).first_end(&norm).unwrap();
            let prefix = prefix_for(text, &norm, end);
            assert!(prefix < text.len() || text.chars().count() < 400, "{text}");
            assert_eq!(
                highlight_prefix(text, &Terms::new(&terms), prefix),
                highlight(text, &terms),
                "{text}"
            );
        }
    }

    #[test]
    fn no_term_no_snippet() {
        assert!(highlight("保育園", &["学校".to_string()]).is_none());
    }
}
