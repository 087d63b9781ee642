//! A one-line text input: the text, a caret that only ever sits on a char boundary, the
//! editing operations of the search box and the pickers' filter boxes (Left/Right/Home/End,
//! Backspace/Delete, Ctrl-A/E/B/F/W/U/K, paste), and the caret measured in display cells
//! ([`Input::visual_cursor`]) with horizontal scrolling for text wider than the box.

use crate::text::width::{display_width, slice_by_width_padded};

/// A caret position: a byte offset into the text that is always on a char boundary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cursor(usize);

impl Cursor {
    /// The byte offset.
    pub fn byte(self) -> usize {
        self.0
    }

    /// One char to the left (stays at 0).
    fn left(self, text: &str) -> Cursor {
        Cursor(
            text[..self.0]
                .char_indices()
                .next_back()
                .map_or(0, |(i, _)| i),
        )
    }

    /// One char to the right (stays at the end).
    fn right(self, text: &str) -> Cursor {
        Cursor(
            text[self.0..]
                .chars()
                .next()
                .map_or(self.0, |c| self.0 + c.len_utf8()),
        )
    }

    /// The start of the word before the caret (spaces first, then non-spaces), as Ctrl-W.
    fn word_left(self, text: &str) -> Cursor {
        let before = &text[..self.0];
        let trimmed = before.trim_end_matches(char::is_whitespace);
        let start = trimmed
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        Cursor(start)
    }
}

/// An editing operation on an [`Input`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// ← / Ctrl-B.
    Left,
    /// → / Ctrl-F.
    Right,
    /// Home / Ctrl-A.
    Home,
    /// End / Ctrl-E.
    End,
    /// Delete the char before the caret.
    Backspace,
    /// Delete the char under the caret.
    Delete,
    /// Ctrl-W: delete the word before the caret.
    DeleteWord,
    /// Ctrl-U: delete everything before the caret.
    KillToStart,
    /// Ctrl-K: delete everything from the caret on.
    KillToEnd,
}

/// The text of a one-line input and its caret.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Input {
    text: String,
    cursor: Cursor,
}

/// Longest input kept (characters); pasting more is cut here.
pub const MAX_CHARS: usize = 500;

impl Input {
    /// An input holding `text` with the caret at its end.
    pub fn with_text(text: &str) -> Input {
        let mut i = Input::default();
        i.insert_str(text);
        i
    }

    /// The text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether there is no text.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The caret.
    pub fn cursor(&self) -> Cursor {
        self.cursor
    }

    /// Empties the input.
    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = Cursor(0);
    }

    /// Whether the input holds [`MAX_CHARS`] characters (nothing more can be inserted).
    pub fn is_full(&self) -> bool {
        self.text.chars().count() >= MAX_CHARS
    }

    /// Inserts one character at the caret. Control characters are ignored; at most
    /// [`MAX_CHARS`] are kept. Returns whether the text changed.
    pub fn insert(&mut self, c: char) -> bool {
        if c.is_control() || self.is_full() {
            return false;
        }
        self.text.insert(self.cursor.0, c);
        self.cursor = Cursor(self.cursor.0 + c.len_utf8());
        true
    }

    /// Inserts pasted text at the caret: line breaks and tabs become spaces, other control
    /// characters are dropped. Returns false when the text was cut at [`MAX_CHARS`].
    pub fn insert_str(&mut self, s: &str) -> bool {
        let mut count = self.text.chars().count();
        let mut text = String::new();
        for c in s.chars() {
            let c = if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            };
            if c.is_control() {
                continue;
            }
            if count >= MAX_CHARS {
                self.insert_at_caret(&text);
                return false;
            }
            text.push(c);
            count += 1;
        }
        self.insert_at_caret(&text);
        true
    }

    fn insert_at_caret(&mut self, s: &str) {
        self.text.insert_str(self.cursor.0, s);
        self.cursor = Cursor(self.cursor.0 + s.len());
    }

    /// Applies an editing operation. Returns whether the text changed.
    pub fn edit(&mut self, e: Edit) -> bool {
        let t = &self.text;
        let before = self.text.len();
        match e {
            Edit::Left => self.cursor = self.cursor.left(t),
            Edit::Right => self.cursor = self.cursor.right(t),
            Edit::Home => self.cursor = Cursor(0),
            Edit::End => self.cursor = Cursor(t.len()),
            Edit::Backspace => {
                let from = self.cursor.left(t);
                self.text.replace_range(from.0..self.cursor.0, "");
                self.cursor = from;
            }
            Edit::Delete => {
                let to = self.cursor.right(t);
                self.text.replace_range(self.cursor.0..to.0, "");
            }
            Edit::DeleteWord => {
                let from = self.cursor.word_left(t);
                self.text.replace_range(from.0..self.cursor.0, "");
                self.cursor = from;
            }
            Edit::KillToStart => {
                self.text.replace_range(..self.cursor.0, "");
                self.cursor = Cursor(0);
            }
            Edit::KillToEnd => self.text.truncate(self.cursor.0),
        }
        self.text.len() != before
    }

    /// The caret's column in display cells from the start of the text (a wide character
    /// counts two).
    pub fn visual_cursor(&self) -> usize {
        display_width(&self.text[..self.cursor.0])
    }

    /// What to show in a box `width` cells wide: the visible part of the text, padded where
    /// a wide character was cut at the left edge, and the caret's column inside the box.
    /// The view scrolls so that the caret (and the cell after it) stays visible. The text is
    /// ready to draw ([`super::cells::drawable`]: a half-width voiced mark has the one cell
    /// the caret counts for it).
    pub fn view(&self, width: usize) -> (String, usize) {
        if width == 0 {
            return (String::new(), 0);
        }
        let caret = self.visual_cursor();
        // Keep one cell free at the right for the caret itself.
        let scroll = (caret + 1).saturating_sub(width);
        let (pad, shown) = slice_by_width_padded(&self.text, scroll, width);
        let mut out = " ".repeat(pad);
        out.push_str(&super::cells::drawable(shown));
        (out, caret - scroll)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_moves_over_wide_characters_by_char() {
        let mut i = Input::with_text("人工呼吸器");
        assert_eq!(i.visual_cursor(), 10);
        i.edit(Edit::Left);
        assert_eq!(i.visual_cursor(), 8);
        assert_eq!(i.cursor().byte(), "人工呼吸".len());
        i.edit(Edit::Home);
        assert_eq!(i.visual_cursor(), 0);
        i.edit(Edit::Left);
        assert_eq!(i.visual_cursor(), 0);
        i.edit(Edit::Right);
        assert_eq!(i.visual_cursor(), 2);
        i.edit(Edit::End);
        i.edit(Edit::Right);
        assert_eq!(i.visual_cursor(), 10);
    }

    #[test]
    fn editing_keys() {
        let mut i = Input::with_text("品川 ショートステイ");
        i.edit(Edit::Backspace);
        assert_eq!(i.text(), "品川 ショートステ");
        i.edit(Edit::DeleteWord);
        assert_eq!(i.text(), "品川 ");
        i.edit(Edit::DeleteWord);
        assert_eq!(i.text(), "");
        let mut i = Input::with_text("abcd");
        i.edit(Edit::Left);
        i.edit(Edit::Left);
        i.edit(Edit::KillToEnd);
        assert_eq!(i.text(), "ab");
        let mut i = Input::with_text("abcd");
        i.edit(Edit::Left);
        i.edit(Edit::KillToStart);
        assert_eq!((i.text(), i.cursor().byte()), ("d", 0));
        i.edit(Edit::Delete);
        assert_eq!(i.text(), "");
        assert!(!i.edit(Edit::Delete));
    }

    #[test]
    fn insert_in_the_middle_and_paste() {
        let mut i = Input::with_text("呼吸器");
        i.edit(Edit::Home);
        i.insert_str("人工\n");
        assert_eq!(i.text(), "人工 呼吸器");
        assert_eq!(i.visual_cursor(), 5);
        i.insert('\u{1b}');
        assert_eq!(i.text(), "人工 呼吸器");
    }

    #[test]
    fn the_limit_cuts_a_paste_and_refuses_keys_wherever_the_caret_is() {
        let mut i = Input::default();
        assert!(i.insert_str(&"あ".repeat(MAX_CHARS - 2)));
        i.edit(Edit::Home);
        assert!(!i.insert_str("いう\u{1b}えお"), "cut");
        assert_eq!(i.text().chars().count(), MAX_CHARS);
        assert!(
            i.text().starts_with("いうあ"),
            "control characters do not count"
        );
        assert_eq!(
            i.cursor().byte(),
            "いう".len(),
            "caret after what was inserted"
        );
        assert!(i.is_full());
        assert!(!i.insert('x'));
        assert!(i.edit(Edit::Backspace));
        assert!(i.insert('x'));
        assert_eq!(i.text().chars().count(), MAX_CHARS);
    }

    #[test]
    fn long_text_scrolls_to_keep_the_caret_visible() {
        let i = Input::with_text("あいうえおかきくけこ");
        // 20 cells of text in a 9-cell box: the caret sits at the last cell.
        let (shown, caret) = i.view(9);
        assert_eq!(caret, 8);
        assert_eq!(display_width(&shown), 8);
        assert!(shown.ends_with("こ"));
        // A wide char split by the left edge is padded with a space.
        assert_eq!(i.view(10), (" きくけこ".to_string(), 9));
    }

    #[test]
    fn short_text_does_not_scroll() {
        let mut i = Input::with_text("人工呼吸器");
        i.edit(Edit::Left);
        assert_eq!(i.view(20), ("人工呼吸器".to_string(), 8));
    }
}
