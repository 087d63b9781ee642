//! One list picker type, used three times — 地域 (a tree), ケアの種類 and ニーズ: a filter box,
//! the entries, and a selection. The filter is fuzzy (fuzzy-matcher's skim algorithm) over each
//! entry's normalized name, reading and the romaji of the reading, so `shina` finds 品川区,
//! `waki` 和木町 and `kuda` 下松市. With an empty filter the entries keep their order (the
//! area tree, indented); with a filter they are ranked, best first, each with its place (the
//! enclosing prefecture and city), so the twelve 北区 of a national gazetteer can be told
//! apart.
//!
//! Sized for a national gazetteer (~2,000 areas): the match keys of every entry are built once,
//! with the picker; a keystroke only scores them (skim rejects a non-subsequence cheaply), and
//! drawing touches only the rows in view.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::cells::fit;
use super::input::{Edit, Input};
use super::theme::Theme;
use crate::directory::{AreaTree, Catalog, Facet};
use crate::text::fuzzy::{self, FuzzyQuery};
use crate::text::normalize::normalize;
use crate::text::sanitize::sanitize_for_terminal;
use crate::text::width::display_width;

/// One entry of a picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// What choosing it yields: an area index, or the index of a term in its facet.
    pub value: usize,
    /// Display name (sanitized).
    pub label: String,
    /// Reading, shown dimmed (sanitized).
    pub reading: String,
    /// Where it sits (e.g. the enclosing areas), shown when filtering (sanitized).
    pub context: String,
    /// Indentation level in the unfiltered tree.
    pub depth: usize,
    /// The name, reading and aliases as given, for the keys.
    spellings: Vec<String>,
    /// Normalized strings the filter is matched against, made on the first filter (romaji
    /// for ~2,000 areas costs ~10 ms that start-up should not pay).
    keys: std::sync::OnceLock<Vec<String>>,
}

impl Entry {
    /// An entry; its keys are the name, the reading and its romaji, and the aliases.
    pub fn new(value: usize, label: &str, reading: &str, aliases: &[String], depth: usize) -> Self {
        let mut spellings = vec![label.to_string(), reading.to_string()];
        spellings.extend(aliases.iter().cloned());
        Entry {
            value,
            label: sanitize_for_terminal(label).into_owned(),
            reading: sanitize_for_terminal(reading).into_owned(),
            context: String::new(),
            depth,
            spellings,
            keys: std::sync::OnceLock::new(),
        }
    }

    fn keys(&self) -> &[String] {
        self.keys.get_or_init(|| {
            let [label, reading, aliases @ ..] = self.spellings.as_slice() else {
                return Vec::new();
            };
            // Romaji from the reading as written: normalizing first would fold small kana
            // (きょうと → きようと → `kiyouto`).
            let mut keys = vec![normalize(label)];
            keys.extend(fuzzy::reading_keys(reading));
            keys.extend(aliases.iter().map(|a| normalize(a)));
            keys.retain(|k| !k.is_empty());
            keys.dedup();
            keys
        })
    }

    /// Sets the context line.
    pub fn with_context(mut self, context: &str) -> Self {
        self.context = sanitize_for_terminal(context).into_owned();
        self
    }
}

/// A list with a fuzzy filter box.
#[derive(Debug, Clone)]
pub struct Picker {
    /// Title (地域, ケアの種類, ニーズ).
    pub title: &'static str,
    /// The filter box.
    pub input: Input,
    entries: Vec<Entry>,
    /// Indices into `entries` that pass the filter, in display order.
    visible: Vec<usize>,
    /// Position in `visible`.
    selected: usize,
}

impl Picker {
    /// A picker over these entries, unfiltered.
    pub fn new(title: &'static str, entries: Vec<Entry>) -> Self {
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
    pub fn reset(&mut self, select: Option<usize>) {
        self.input.clear();
        self.refilter();
        self.selected = select
            .and_then(|v| {
                self.visible
                    .iter()
                    .position(|&i| self.entries[i].value == v)
            })
            .unwrap_or(0);
    }

    /// Re-applies the filter after the input changed.
    fn refilter(&mut self) {
        // Spaces are not part of any name: 奈良県 川上村 is 奈良県川上村.
        let compact: String = self.input.text().split_whitespace().collect();
        let q = compact.as_str();
        if q.is_empty() {
            self.visible = (0..self.entries.len()).collect();
        } else {
            let query = FuzzyQuery::new(q);
            let mut scored: Vec<(i64, usize)> = self
                .entries
                .iter()
                .enumerate()
                .filter_map(|(i, e)| Some((query.score_prefix_first(e.keys())?, i)))
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
    pub fn visible(&self) -> impl Iterator<Item = &Entry> {
        self.visible.iter().map(|&i| &self.entries[i])
    }

    /// At most `n` shown entries from position `skip` on, with their positions: what one
    /// screen of the list draws, without walking the entries before it.
    pub fn rows(&self, skip: usize, n: usize) -> impl Iterator<Item = (usize, &Entry)> {
        let from = skip.min(self.visible.len());
        self.visible[from..]
            .iter()
            .take(n)
            .enumerate()
            .map(move |(k, &i)| (from + k, &self.entries[i]))
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
    pub fn selected(&self) -> Option<&Entry> {
        self.visible.get(self.selected).map(|&i| &self.entries[i])
    }
}

/// Draws a picker as a window: its filter box, then the entries (indented as a tree when
/// unfiltered; with their place when filtered), chosen ones marked `*`. Returns the caret
/// position of the filter box for the terminal cursor.
pub fn render(
    picker: &Picker,
    is_chosen: impl Fn(usize) -> bool,
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
    for (i, e) in picker.rows(skip, list_h) {
        let selected = i == picker.selected_index();
        let indent = if filtered {
            String::new()
        } else {
            "  ".repeat(e.depth.min(6))
        };
        let mark = if is_chosen(e.value) { "* " } else { "  " };
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
        let line = Line::from(vec![
            Span::raw(head),
            Span::styled(label, theme.strong()),
            Span::styled(fit(&extra, extra_w), theme.dim()),
        ]);
        lines.push(theme.row(line, w, selected));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    Some(Position::new(inner.x + (prompt_w + caret) as u16, inner.y))
}

/// The 地域 picker: every area of the tree, depth first, indented; each with its place (the
/// enclosing areas below the country, e.g. 東京都 > 区部) for when the list is filtered.
pub fn area_picker(tree: &AreaTree) -> Picker {
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
            // Also as addresses and messages write it (奈良県川上村, 山口県大島郡周防大島町).
            let mut aliases = a.aliases.clone();
            for name in [tree.full_name(i), tree.distinct_name(i)] {
                if name != a.name && !aliases.contains(&name) {
                    aliases.push(name);
                }
            }
            Entry::new(i, &a.name, &a.kana, &aliases, tree.depth(i)).with_context(&path.join(" > "))
        })
        .collect();
    Picker::new("地域", entries)
}

/// The ケアの種類 or ニーズ picker; values are positions in `catalog.terms(facet)`.
pub fn term_picker(catalog: &Catalog, facet: Facet) -> Picker {
    let title = match facet {
        Facet::CareType => "ケアの種類",
        Facet::Need => "ニーズ",
    };
    let entries = catalog
        .terms(facet)
        .iter()
        .enumerate()
        .map(|(i, t)| {
            Entry::new(i, &t.label, &t.kana, &t.aliases, 0).with_context(&t.aliases.join("・"))
        })
        .collect();
    Picker::new(title, entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::{Area, AreaLevel};

    const CODES: [usize; 4] = [13109, 35208, 35321, 35207];

    fn picker() -> Picker {
        Picker::new(
            "地域",
            vec![
                Entry::new(CODES[0], "品川区", "しながわく", &[], 2),
                Entry::new(CODES[1], "岩国市", "いわくにし", &[], 2),
                Entry::new(CODES[2], "和木町", "わきちょう", &[], 2),
                Entry::new(CODES[3], "下松市", "くだまつし", &[], 2),
            ],
        )
    }

    fn top(p: &mut Picker, q: &str) -> usize {
        p.reset(None);
        for c in q.chars() {
            p.insert(c);
        }
        p.selected().map_or(0, |e| e.value)
    }

    #[test]
    fn fuzzy_on_name_reading_and_romaji() {
        let mut p = picker();
        assert_eq!(top(&mut p, "shina"), 13109);
        assert_eq!(top(&mut p, "waki"), 35321);
        assert_eq!(top(&mut p, "kuda"), 35207);
        assert_eq!(top(&mut p, "くだ"), 35207);
        assert_eq!(top(&mut p, "品川"), 13109);
        assert_eq!(top(&mut p, "zzzz"), 0);
    }

    /// The whole gazetteer's picker: a name as addresses write it, with or without spaces,
    /// selects that area first.
    #[test]
    fn an_area_is_found_by_its_prefecture_and_district_names() {
        let catalog = crate::testing::bundled();
        let mut p = area_picker(&catalog.areas);
        for (q, id) in [
            ("奈良県川上村", "29452"),
            ("奈良県 川上村", "29452"),
            ("長野県川上村", "20304"),
            ("山口県大島郡周防大島町", "35305"),
            ("北海道国後郡泊村", "01696"),
        ] {
            let got = top(&mut p, q);
            assert_eq!(catalog.areas.at(got).id, id, "{q}");
        }
    }

    #[test]
    fn romaji_keeps_small_kana() {
        let mut p = Picker::new(
            "地域",
            vec![
                Entry::new(1, "木山町", "きやまちょう", &[], 2),
                Entry::new(2, "京都府", "きょうとふ", &[], 1),
            ],
        );
        assert_eq!(top(&mut p, "kyouto"), 2);
        assert_eq!(top(&mut p, "kyo"), 2);
    }

    #[test]
    fn empty_filter_keeps_order_and_reset_selects_the_current_value() {
        let mut p = picker();
        p.reset(Some(35321));
        assert_eq!(p.selected().unwrap().value, 35321);
        assert_eq!(p.visible_len(), 4);
        p.move_by(10);
        assert_eq!(p.selected().unwrap().value, 35207);
        p.move_by(-10);
        assert_eq!(p.selected().unwrap().value, 13109);
    }

    fn area(id: String, name: &str, kana: &str, level: AreaLevel, parent: Option<&str>) -> Area {
        Area {
            id,
            name: name.into(),
            kana: kana.into(),
            level,
            parent: parent.map(String::from),
            aliases: vec![],
            note: None,
            code: None,
            location: None,
            url: None,
            main_window: None,
        }
    }

    /// A national-sized gazetteer: 47 prefectures, each with cities, each with wards — among
    /// them a 北区 (きたく) in twelve different cities, plus 北見市 (きたみし) — ~2,000 areas.
    fn national_tree() -> AreaTree {
        let mut areas = vec![area(
            "jp".into(),
            "全国",
            "ぜんこく",
            AreaLevel::Country,
            None,
        )];
        let wards = [
            ("中央区", "ちゅうおうく"),
            ("南区", "みなみく"),
            ("東区", "ひがしく"),
        ];
        let mut kita_cities = 0;
        for p in 0..47 {
            let pid = format!("p{p:02}");
            let pname = format!("県{p:02}");
            areas.push(area(
                pid.clone(),
                &pname,
                "けん",
                AreaLevel::Prefecture,
                Some("jp"),
            ));
            for c in 0..10 {
                let cid = format!("{pid}c{c}");
                let cname = format!("市{p:02}{c}");
                areas.push(area(
                    cid.clone(),
                    &cname,
                    "し",
                    AreaLevel::Municipality,
                    Some(&pid),
                ));
                for (k, (w, kana)) in wards.iter().enumerate() {
                    let wid = format!("{cid}w{k}");
                    areas.push(area(wid, w, kana, AreaLevel::Municipality, Some(&cid)));
                }
                if c == 0 && kita_cities < 12 && p % 4 == 0 {
                    kita_cities += 1;
                    let wid = format!("{cid}kita");
                    areas.push(area(
                        wid,
                        "北区",
                        "きたく",
                        AreaLevel::Municipality,
                        Some(&cid),
                    ));
                }
            }
        }
        areas.push(area(
            "p00kitami".into(),
            "北見市",
            "きたみし",
            AreaLevel::Municipality,
            Some("p00"),
        ));
        AreaTree::new(&areas)
    }

    #[test]
    fn filtering_a_national_tree_lists_every_kita_with_its_place() {
        let tree = national_tree();
        assert!(tree.areas().len() > 1_900, "{}", tree.areas().len());
        let mut p = area_picker(&tree);
        for c in "kita".chars() {
            p.insert(c);
        }
        let want: Vec<usize> = (0..tree.areas().len())
            .filter(|&i| tree.at(i).kana.starts_with("きた"))
            .collect();
        assert_eq!(want.len(), 13);
        let shown: Vec<&Entry> = p.visible().collect();
        // Every area whose reading starts with きた, ahead of anything else.
        let head: Vec<usize> = shown.iter().take(want.len()).map(|e| e.value).collect();
        let mut sorted = head.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, want);
        // Each with its prefecture and city, and no two 北区 with the same place.
        let mut places = std::collections::HashSet::new();
        for e in shown.iter().take(want.len()) {
            let parent = tree.parent(e.value).expect("a parent");
            assert!(e.context.contains(&tree.at(parent).name), "{e:?}");
            let pref = tree.prefecture_of(e.value).expect("a prefecture");
            assert!(e.context.contains(&tree.at(pref).name), "{e:?}");
            assert!(places.insert(e.context.clone()), "same place twice: {e:?}");
        }
        // Drawn: the place is on screen for the rows in view.
        let backend = ratatui::backend::TestBackend::new(64, 20);
        let mut t = ratatui::Terminal::new(backend).unwrap();
        t.draw(|f| {
            render(&p, |_| false, Theme::mono(), Line::raw(""), f, f.area());
        })
        .unwrap();
        let screen: String = t
            .backend()
            .buffer()
            .content()
            .iter()
            .map(|c| c.symbol())
            .collect();
        // (A wide character's second cell is blank in the buffer: compare without spaces.)
        assert!(
            screen.replace(' ', "").contains("北区きたく（県00>市000）"),
            "{screen}"
        );
    }

    /// The real national gazetteer: romaji and kana find Osaka and Sapporo, and `kita` lists
    /// every 北区 (Tokyo's and the 政令市' wards) with the place that tells them apart.
    #[test]
    fn the_national_gazetteer_picker_finds_by_romaji_and_lists_every_kita_ku() {
        let catalog = crate::testing::bundled();
        let mut p = area_picker(&catalog.areas);
        let top = |p: &mut Picker, q: &str| -> Vec<String> {
            p.reset(None);
            for c in q.chars() {
                p.insert(c);
            }
            p.visible().take(12).map(|e| e.label.clone()).collect()
        };
        for (q, want) in [
            ("oosaka", "大阪"),
            ("おおさか", "大阪"),
            ("sapporo", "札幌市"),
        ] {
            let names = top(&mut p, q);
            assert!(names[0].starts_with(want), "{q}: {names:?}");
        }
        p.reset(None);
        for c in "kita".chars() {
            p.insert(c);
        }
        let kita: Vec<(&str, &str)> = p
            .visible()
            .filter(|e| e.label.ends_with("北区"))
            .map(|e| (e.label.as_str(), e.context.as_str()))
            .collect();
        let every_kita_ku: Vec<&str> = catalog
            .areas
            .areas()
            .iter()
            .filter(|a| a.name == "北区" || a.aliases.iter().any(|x| x == "北区"))
            .map(|a| a.name.as_str())
            .collect();
        assert!(every_kita_ku.len() >= 11, "{every_kita_ku:?}");
        for name in &every_kita_ku {
            assert!(kita.iter().any(|(l, _)| l == name), "{name}: {kita:?}");
        }
        assert!(
            kita.iter()
                .any(|(l, c)| *l == "北区" && c.contains("東京都"))
        );
        assert!(
            kita.iter()
                .any(|(l, c)| *l == "大阪市北区" && c.contains("大阪府") && c.contains("大阪市"))
        );
    }
}
