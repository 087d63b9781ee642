//! One generic list picker, used for 地域 (a tree), ケアの種類 and ニーズ: a filter box, the
//! entries, and a selection. The filter is fuzzy (fuzzy-matcher's skim algorithm) over each
//! entry's normalized name, reading and the romaji of the reading, so `shina` finds 品川区,
//! `waki` 和木町 and `kuda` 下松市. With an empty filter the entries keep their order (the
//! area tree, indented); with a filter they are ranked, best first.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::cells::{fit, line_width};
use super::input::{Edit, Input};
use super::theme::Theme;
use crate::directory::{AreaIdx, Catalog, Facet};
use crate::text::normalize::normalize;
use crate::text::romaji::{kana_to_romaji, romaji_to_kana};
use crate::text::sanitize::sanitize_for_terminal;
use crate::text::width::display_width;

/// One entry of a picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<T> {
    /// What choosing it yields.
    pub value: T,
    /// Display name (sanitized).
    pub label: String,
    /// Reading, shown dimmed (sanitized).
    pub reading: String,
    /// Where it sits (e.g. the enclosing areas), shown when filtering (sanitized).
    pub context: String,
    /// Indentation level in the unfiltered tree.
    pub depth: usize,
    /// Normalized strings the filter is matched against.
    keys: Vec<String>,
}

impl<T> Entry<T> {
    /// An entry; `keys` are built from the name, the reading and its romaji, and aliases.
    pub fn new(value: T, label: &str, reading: &str, aliases: &[String], depth: usize) -> Self {
        let kana = normalize(reading);
        let mut keys = vec![
            normalize(label),
            kana.clone(),
            normalize(&kana_to_romaji(&kana)),
        ];
        keys.extend(aliases.iter().map(|a| normalize(a)));
        keys.retain(|k| !k.is_empty());
        keys.dedup();
        Entry {
            value,
            label: sanitize_for_terminal(label).into_owned(),
            reading: sanitize_for_terminal(reading).into_owned(),
            context: String::new(),
            depth,
            keys,
        }
    }

    /// Sets the context line.
    pub fn with_context(mut self, context: &str) -> Self {
        self.context = sanitize_for_terminal(context).into_owned();
        self
    }

    /// Best fuzzy score of any key against any form of the query.
    fn score(&self, matcher: &SkimMatcherV2, forms: &[String]) -> Option<i64> {
        self.keys
            .iter()
            .flat_map(|k| {
                forms.iter().filter_map(move |f| {
                    let s = matcher.fuzzy_match(k, f)?;
                    // A key that starts with the query beats a scattered match.
                    Some(if k.starts_with(f.as_str()) {
                        s + 1000
                    } else {
                        s
                    })
                })
            })
            .max()
    }
}

/// A list with a fuzzy filter box.
#[derive(Debug, Clone)]
pub struct Picker<T> {
    /// Title (地域, ケアの種類, ニーズ).
    pub title: &'static str,
    /// The filter box.
    pub input: Input,
    entries: Vec<Entry<T>>,
    /// Indices into `entries` that pass the filter, in display order.
    visible: Vec<usize>,
    /// Position in `visible`.
    selected: usize,
}

impl<T: Clone + PartialEq> Picker<T> {
    /// A picker over these entries, unfiltered.
    pub fn new(title: &'static str, entries: Vec<Entry<T>>) -> Self {
        let visible = (0..entries.len()).collect();
        Picker {
            title,
            input: Input::default(),
            entries,
            visible,
            selected: 0,
        }
    }

    /// Clears the filter and selects the entry with this value (or the first).
    pub fn reset(&mut self, select: Option<&T>) {
        self.input.clear();
        self.refilter();
        self.selected = select
            .and_then(|v| {
                self.visible
                    .iter()
                    .position(|&i| &self.entries[i].value == v)
            })
            .unwrap_or(0);
    }

    /// Re-applies the filter after the input changed.
    fn refilter(&mut self) {
        let q = self.input.text().trim();
        if q.is_empty() {
            self.visible = (0..self.entries.len()).collect();
        } else {
            let mut forms = vec![normalize(q)];
            if let Some(k) = romaji_to_kana(q) {
                forms.push(normalize(&k));
            }
            forms.retain(|f| !f.is_empty());
            forms.dedup();
            let matcher = SkimMatcherV2::default();
            let mut scored: Vec<(i64, usize)> = self
                .entries
                .iter()
                .enumerate()
                .filter_map(|(i, e)| e.score(&matcher, &forms).map(|s| (s, i)))
                .collect();
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            self.visible = scored.into_iter().map(|(_, i)| i).collect();
        }
        self.selected = 0;
    }

    /// Types a character into the filter.
    pub fn insert(&mut self, c: char) {
        self.input.insert(c);
        self.refilter();
    }

    /// Pastes into the filter.
    pub fn paste(&mut self, s: &str) {
        self.input.insert_str(s);
        self.refilter();
    }

    /// Edits the filter.
    pub fn edit(&mut self, e: Edit) {
        if self.input.edit(e) {
            self.refilter();
        }
    }

    /// Clears the filter text; false when it was already empty.
    pub fn clear_filter(&mut self) -> bool {
        if self.input.is_empty() {
            return false;
        }
        self.input.clear();
        self.refilter();
        true
    }

    /// Whether a filter is typed.
    pub fn is_filtered(&self) -> bool {
        !self.input.text().trim().is_empty()
    }

    /// Moves the selection by `delta` entries, clamped.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.visible.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    /// Selects the first or the last entry.
    pub fn jump(&mut self, to_end: bool) {
        self.selected = if to_end {
            self.visible.len().saturating_sub(1)
        } else {
            0
        };
    }

    /// The entries shown, in order.
    pub fn visible(&self) -> impl Iterator<Item = &Entry<T>> {
        self.visible.iter().map(|&i| &self.entries[i])
    }

    /// How many entries are shown.
    pub fn visible_len(&self) -> usize {
        self.visible.len()
    }

    /// Position of the selection among the shown entries.
    pub fn selected_index(&self) -> usize {
        self.selected
    }

    /// The selected entry.
    pub fn selected(&self) -> Option<&Entry<T>> {
        self.visible.get(self.selected).map(|&i| &self.entries[i])
    }
}

/// Draws a picker as a window: its filter box, then the entries (indented as a tree when
/// unfiltered; with their place when filtered), chosen ones marked `*`. Returns the caret
/// position of the filter box for the terminal cursor.
pub fn render<T: Clone + PartialEq>(
    picker: &Picker<T>,
    is_chosen: impl Fn(&T) -> bool,
    theme: Theme,
    hints: Line<'static>,
    frame: &mut Frame,
    area: Rect,
) -> Option<Position> {
    let block = Block::bordered()
        .border_style(theme.focused_border())
        .title(
            Line::from(format!(
                " {}を選ぶ（{}件） ",
                picker.title,
                picker.visible_len()
            ))
            .style(theme.strong()),
        )
        .title_bottom(hints);
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width);
    if inner.height < 3 || w < 10 {
        return None;
    }
    const PROMPT: &str = "絞り込み ";
    let prompt_w = display_width(PROMPT);
    let (shown, caret) = picker.input.view(w.saturating_sub(prompt_w));
    let filter = if picker.input.is_empty() {
        Line::from(vec![
            Span::styled(PROMPT, theme.dim()),
            Span::styled(
                fit(
                    "名前・よみ・ローマ字（例: shina, waki, kuda）",
                    w - prompt_w,
                ),
                theme.dim(),
            ),
        ])
    } else {
        Line::from(vec![Span::styled(PROMPT, theme.dim()), Span::raw(shown)])
    };
    let list_h = usize::from(inner.height) - 2;
    let skip = (picker.selected_index() + 1).saturating_sub(list_h);
    let mut lines = vec![filter, Line::styled("─".repeat(w), theme.dim())];
    if picker.visible_len() == 0 {
        lines.push(Line::styled("一致するものがありません", theme.dim()));
    }
    let filtered = picker.is_filtered();
    for (i, e) in picker.visible().enumerate().skip(skip).take(list_h) {
        let selected = i == picker.selected_index();
        let indent = if filtered {
            String::new()
        } else {
            "  ".repeat(e.depth.min(6))
        };
        let mark = if is_chosen(&e.value) { "* " } else { "  " };
        let sel = if selected { ">" } else { " " };
        let head = format!("{sel}{mark}{indent}");
        let extra = if filtered && !e.context.is_empty() {
            format!("  {}（{}）", e.reading, e.context)
        } else {
            format!("  {}", e.reading)
        };
        let label_w = w.saturating_sub(display_width(&head));
        let label = fit(&e.label, label_w);
        let extra_w = label_w.saturating_sub(display_width(&label));
        let mut line = Line::from(vec![
            Span::raw(head),
            Span::styled(label, theme.strong()),
            Span::styled(fit(&extra, extra_w), theme.dim()),
        ]);
        if selected {
            let fill = w.saturating_sub(line_width(&line));
            line.spans.push(Span::raw(" ".repeat(fill)));
            line = line.style(theme.selected());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
    Some(Position::new(inner.x + (prompt_w + caret) as u16, inner.y))
}

/// The 地域 picker: every area of the tree, depth first, indented.
pub fn area_picker(catalog: &Catalog) -> Picker<AreaIdx> {
    let tree = &catalog.areas;
    let mut order = Vec::new();
    for root in tree.roots() {
        order.extend(tree.self_and_descendants(root));
    }
    let entries = order
        .into_iter()
        .map(|i| {
            let a = tree.at(i);
            let path: Vec<&str> = tree
                .self_and_ancestors(i)
                .into_iter()
                .skip(1)
                .filter(|&p| tree.parent(p).is_some())
                .rev()
                .map(|p| tree.at(p).name.as_str())
                .collect();
            Entry::new(i, &a.name, &a.kana, &a.aliases, tree.depth(i))
                .with_context(&path.join(" > "))
        })
        .collect();
    Picker::new("地域", entries)
}

/// The ケアの種類 or ニーズ picker.
pub fn term_picker(catalog: &Catalog, facet: Facet) -> Picker<String> {
    let title = match facet {
        Facet::CareType => "ケアの種類",
        Facet::Need => "ニーズ",
    };
    let entries = catalog
        .terms(facet)
        .iter()
        .map(|t| {
            Entry::new(t.id.clone(), &t.label, &t.kana, &t.aliases, 0)
                .with_context(&t.aliases.join("・"))
        })
        .collect();
    Picker::new(title, entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picker() -> Picker<&'static str> {
        Picker::new(
            "地域",
            vec![
                Entry::new("13109", "品川区", "しながわく", &[], 2),
                Entry::new("35208", "岩国市", "いわくにし", &[], 2),
                Entry::new("35321", "和木町", "わきちょう", &[], 2),
                Entry::new("35207", "下松市", "くだまつし", &[], 2),
            ],
        )
    }

    fn top(p: &mut Picker<&'static str>, q: &str) -> &'static str {
        p.reset(None);
        for c in q.chars() {
            p.insert(c);
        }
        p.selected().map_or("", |e| e.value)
    }

    #[test]
    fn fuzzy_on_name_reading_and_romaji() {
        let mut p = picker();
        assert_eq!(top(&mut p, "shina"), "13109");
        assert_eq!(top(&mut p, "waki"), "35321");
        assert_eq!(top(&mut p, "kuda"), "35207");
        assert_eq!(top(&mut p, "くだ"), "35207");
        assert_eq!(top(&mut p, "品川"), "13109");
        assert_eq!(top(&mut p, "zzzz"), "");
    }

    #[test]
    fn empty_filter_keeps_order_and_reset_selects_the_current_value() {
        let mut p = picker();
        p.reset(Some(&"35321"));
        assert_eq!(p.selected().unwrap().value, "35321");
        assert_eq!(p.visible_len(), 4);
        p.move_by(10);
        assert_eq!(p.selected().unwrap().value, "35207");
        p.move_by(-10);
        assert_eq!(p.selected().unwrap().value, "13109");
    }
}
