//! Snippets: the part of a record that matched, with highlight ranges in the original text
//! (matching is done on normalized text and mapped back, so ｼｮｰﾄｽﾃｲ highlights ショートステイ).

use std::ops::Range;

use crate::directory::Resource;
use std::borrow::Cow;

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
        .map(|t| t.as_deref().map(normalize).unwrap_or_default())
        .collect()
}

/// The best snippet of a record for these normalized terms: the first of summary, name and
/// aliases, description, eligibility, provider that contains a term; else the summary
/// unhighlighted. `normalized` is [`normalized_candidates`] of the record.
pub fn for_resource(r: &Resource, terms: &[String], normalized: &[String]) -> Snippet {
    let texts = candidate_texts(r);
    for (text, norm) in texts.iter().zip(normalized) {
        let Some(text) = text else { continue };
        if terms
            .iter()
            .any(|t| !t.is_empty() && norm.contains(t.as_str()))
            && let Some(s) = highlight(text, terms)
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

/// Highlights every occurrence of the terms in `text`, windowed around the first one.
/// `None` when no term occurs.
pub fn highlight(text: &str, terms: &[String]) -> Option<Snippet> {
    let norm = normalize_with_map(text);
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for t in terms.iter().filter(|t| !t.is_empty()) {
        let mut from = 0;
        while let Some(pos) = norm.text[from..].find(t.as_str()) {
            let start = from + pos;
            let end = start + t.len();
            ranges.push(norm.original_range(start..end));
            from = end;
        }
    }
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

    #[test]
    fn long_text_is_windowed_around_the_match() {
        let text = format!("{}人工呼吸器の利用者{}", "あ".repeat(50), "い".repeat(100));
        let s = highlight(&text, &[crate::text::normalize::normalize("人工呼吸器")]).unwrap();
        assert!(s.text.starts_with('…') && s.text.ends_with('…'));
        let h = &s.highlights[0];
        assert_eq!(&s.text[h.clone()], "人工呼吸器");
    }

    #[test]
    fn no_term_no_snippet() {
        assert!(highlight("保育園", &["学校".to_string()]).is_none());
    }
}
