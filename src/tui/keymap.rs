//! Keys → actions. The rebindable [`Command`]s with their default keys (SPEC §4), the fixed
//! editing keys of the text inputs, config overrides (`[keys]` in `config.toml`), and the key
//! hint bar and help overlay rows — both generated from the same table, so they never lie.
//!
//! Printable characters are never commands (they always go to the focused text box), so a
//! Japanese IME or romaji typing can never trigger one; `?` opens help only because
//! [`crate::tui::app::update`] treats it so on an empty box.

use std::fmt;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::app::Action;
use super::input::Edit;
use crate::config::KeyOverrides;

/// A rebindable command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    /// Quit (terminal restored).
    Quit,
    /// Previous item / scroll up.
    Up,
    /// Next item / scroll down.
    Down,
    /// A page up.
    PageUp,
    /// A page down.
    PageDown,
    /// First item (caret to start when typing in a non-empty box).
    First,
    /// Last item (caret to end when typing in a non-empty box).
    Last,
    /// Open the detail / choose in a picker / apply a suggestion.
    Open,
    /// Back: close what is open, or clear the box; twice on an empty box quits.
    Back,
    /// Move focus: box → list → detail.
    Focus,
    /// 地域 picker.
    Area,
    /// ケアの種類 picker.
    Care,
    /// ニーズ picker.
    Need,
    /// Toggle 電話あり: only records whose contact has a phone number.
    WithPhone,
    /// Toggle 近い順: nearest to the selected area's office first.
    NearFirst,
    /// Help overlay.
    Help,
    /// Read-aloud card of the selected record.
    Card,
    /// Copy the card (or the shortlist) to the clipboard (OSC 52).
    Copy,
    /// Copy the selected record's phone number alone (OSC 52).
    CopyPhone,
    /// Save the card (or the shortlist) as Markdown.
    Save,
    /// Pin / unpin the selected record on the call shortlist.
    Pin,
    /// Show or hide the call shortlist.
    Shortlist,
    /// A new call: an empty shortlist, box and filters (asks first whether to save a
    /// shortlist not saved yet).
    NewCall,
    /// Remove every filter chip.
    ClearFilters,
    /// The message log: every message of the session.
    Log,
    /// The enquiry tally: mark the enquiry 「見つからなかった」, or take the mark back.
    NotFound,
}

/// One row of [`COMMANDS`]: everything the UI says about a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandInfo {
    /// The command.
    pub cmd: Command,
    /// Name used in `[keys]` of `config.toml`.
    pub name: &'static str,
    /// Default keys (SPEC §4), in the notation of [`Key::parse`].
    pub keys: &'static [&'static str],
    /// What it does, for the help overlay.
    pub label: &'static str,
    /// Short label for the hint bar.
    pub hint: &'static str,
}

const fn row(
    cmd: Command,
    name: &'static str,
    keys: &'static [&'static str],
    label: &'static str,
    hint: &'static str,
) -> CommandInfo {
    CommandInfo {
        cmd,
        name,
        keys,
        label,
        hint,
    }
}

/// Every command, in help order: the one table from which the config names, the default
/// bindings, the help rows and the hint labels all come.
pub const COMMANDS: [CommandInfo; 26] = [
    row(
        Command::Open,
        "open",
        &["Enter"],
        "詳細を開く／選ぶ／提案を適用",
        "詳細",
    ),
    row(
        Command::Back,
        "back",
        &["Esc"],
        "戻る・入力を消す（空で2回押すと終了）",
        "戻る",
    ),
    row(
        Command::Up,
        "up",
        &["Up", "Ctrl-P"],
        "前の項目・上へスクロール",
        "上",
    ),
    row(
        Command::Down,
        "down",
        &["Down", "Ctrl-N"],
        "次の項目・下へスクロール",
        "下",
    ),
    row(
        Command::PageUp,
        "page_up",
        &["PageUp"],
        "前のページ",
        "前頁",
    ),
    row(
        Command::PageDown,
        "page_down",
        &["PageDown"],
        "次のページ",
        "次頁",
    ),
    row(
        Command::First,
        "first",
        &["Home"],
        "一覧の先頭（入力中は行頭）",
        "先頭",
    ),
    row(
        Command::Last,
        "last",
        &["End"],
        "一覧の末尾（入力中は行末）",
        "末尾",
    ),
    row(
        Command::Focus,
        "focus",
        &["Tab"],
        "フォーカス切替（検索欄→一覧→詳細）",
        "切替",
    ),
    row(
        Command::Area,
        "area",
        &["F2", "Alt-A"],
        "地域で絞り込む",
        "地域",
    ),
    row(
        Command::Care,
        "care",
        &["F3", "Alt-C"],
        "ケアの種類で絞り込む",
        "ケア",
    ),
    row(
        Command::Need,
        "need",
        &["F4", "Alt-N"],
        "ニーズで絞り込む",
        "ニーズ",
    ),
    row(
        Command::WithPhone,
        "with_phone",
        &["F9", "Alt-T"],
        "電話番号のある記録だけにする（もう一度で解除）",
        "電話あり",
    ),
    row(
        Command::NearFirst,
        "near_first",
        &["F10", "Alt-K"],
        "近い順に並べる（地域の役所から。もう一度で関連順）",
        "近い順",
    ),
    row(
        Command::ClearFilters,
        "clear_filters",
        &["F6", "Alt-X"],
        "絞り込みをすべて解除",
        "解除",
    ),
    row(
        Command::Card,
        "card",
        &["F7", "Alt-R"],
        "読み上げカードを表示（地域を選ぶ窓では、選んでいる地域のカード: 市区町村の代表窓口と代表電話）",
        "カード",
    ),
    row(
        Command::Copy,
        "copy",
        &["Ctrl-Y"],
        "カードをクリップボードへ（OSC 52）",
        "コピー",
    ),
    row(
        Command::CopyPhone,
        "copy_phone",
        &["F8", "Alt-P"],
        "電話番号だけをクリップボードへ（OSC 52）",
        "電話コピー",
    ),
    row(
        Command::Pin,
        "pin",
        &["Ctrl-T"],
        "選んでいる結果を候補リストに入れる／外す（どこにいても同じ）",
        "候補",
    ),
    row(
        Command::Shortlist,
        "shortlist",
        &["F5", "Alt-L"],
        "候補リストを表示／閉じる（入れたり外したりはしない）",
        "候補一覧",
    ),
    row(
        Command::NewCall,
        "new_call",
        &["Ctrl-O", "Alt-O"],
        "新しい電話: 候補リスト・検索欄・絞り込みを初めに戻す（未保存の候補リストは保存するか尋ねる）",
        "新しい電話",
    ),
    row(
        Command::Save,
        "save",
        &["Ctrl-S"],
        "カード／候補リストを Markdown で保存",
        "保存",
    ),
    row(
        Command::NotFound,
        "not_found",
        &["Ctrl-G", "Alt-U"],
        "集計中: この問い合わせに「見つからなかった」の印を付ける／外す",
        "見つからず",
    ),
    row(
        Command::Log,
        "messages",
        &["F12", "Alt-M"],
        "メッセージの履歴（保存したファイル・設定の警告など、この起動中のすべて）",
        "履歴",
    ),
    row(
        Command::Help,
        "help",
        &["F1"],
        "このヘルプ（空の検索欄では ? でも）",
        "ヘルプ",
    ),
    row(
        Command::Quit,
        "quit",
        &["Ctrl-C", "Ctrl-Q"],
        "終了（画面は元に戻ります）",
        "終了",
    ),
];

impl Command {
    /// Every command, in help order (the order of [`COMMANDS`]).
    pub const ALL: [Command; COMMANDS.len()] = {
        let mut all = [Command::Quit; COMMANDS.len()];
        let mut i = 0;
        while i < COMMANDS.len() {
            all[i] = COMMANDS[i].cmd;
            i += 1;
        }
        all
    };

    /// This command's row of [`COMMANDS`].
    pub fn info(self) -> &'static CommandInfo {
        COMMANDS
            .iter()
            .find(|i| i.cmd == self)
            .unwrap_or(&COMMANDS[0])
    }

    /// Name used in `[keys]` of `config.toml`.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// What it does, for the help overlay.
    pub fn describe(self) -> &'static str {
        self.info().label
    }

    /// Short label for the hint bar.
    pub fn hint(self) -> &'static str {
        self.info().hint
    }

    /// Default keys.
    pub fn default_keys(self) -> &'static [&'static str] {
        self.info().keys
    }

    /// The command with this config name.
    pub fn from_name(name: &str) -> Option<Command> {
        COMMANDS.iter().find(|i| i.name == name).map(|i| i.cmd)
    }
}

/// A command in a hint bar with what it does there: its table label ([`Hint::from`]) or, where
/// the same key means something more specific (Enter 「選ぶ／外す」 in a picker), that.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    /// The command whose key is shown.
    pub cmd: Command,
    /// What it does here.
    pub label: &'static str,
}

impl From<Command> for Hint {
    fn from(cmd: Command) -> Hint {
        Hint {
            cmd,
            label: cmd.hint(),
        }
    }
}

impl Command {
    /// A hint for this command saying what it does in one context.
    pub fn hint_as(self, label: &'static str) -> Hint {
        Hint { cmd: self, label }
    }
}

/// A key with its modifiers (Ctrl, Alt; Shift only for non-character keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    code: KeyCode,
    mods: KeyModifiers,
}

impl Key {
    /// The key of a crossterm event, normalized: letters lowercased and Shift dropped for
    /// characters (Alt-Shift-a is Alt-A).
    pub fn of(ev: &KeyEvent) -> Key {
        let relevant = KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT;
        let mut mods = ev.modifiers & relevant;
        let code = match ev.code {
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::Char(c.to_ascii_lowercase())
            }
            KeyCode::BackTab => {
                mods.insert(KeyModifiers::SHIFT);
                KeyCode::Tab
            }
            other => other,
        };
        Key { code, mods }
    }

    /// Parses `Ctrl-X`, `Alt-X`, `Shift-Tab`, `F1`…`F12`, `Enter`, `Esc`, `Tab`, `Up`, `Down`,
    /// `Left`, `Right`, `PageUp`, `PageDown`, `Home`, `End`, `Backspace`, `Delete`, `Insert`.
    /// A plain printable character is refused: it would stop typing.
    pub fn parse(s: &str) -> Result<Key, String> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = s.trim();
        loop {
            let lower = rest.to_ascii_lowercase();
            let (m, len) = if lower.starts_with("ctrl-") || lower.starts_with("ctrl+") {
                (KeyModifiers::CONTROL, 5)
            } else if lower.starts_with("c-") {
                (KeyModifiers::CONTROL, 2)
            } else if lower.starts_with("alt-") || lower.starts_with("alt+") {
                (KeyModifiers::ALT, 4)
            } else if lower.starts_with("m-") {
                (KeyModifiers::ALT, 2)
            } else if lower.starts_with("shift-") || lower.starts_with("shift+") {
                (KeyModifiers::SHIFT, 6)
            } else {
                break;
            };
            mods |= m;
            rest = &rest[len..];
        }
        let lower = rest.to_ascii_lowercase();
        let code = match lower.as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => {
                mods |= KeyModifiers::SHIFT;
                KeyCode::Tab
            }
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" | "ins" => KeyCode::Insert,
            "space" => KeyCode::Char(' '),
            f if f.len() >= 2 && f.starts_with('f') && f[1..].parse::<u8>().is_ok() => {
                let n: u8 = f[1..].parse().unwrap_or(0);
                if !(1..=12).contains(&n) {
                    return Err(format!("キー「{s}」は使えません"));
                }
                KeyCode::F(n)
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if c.is_ascii_graphic() => {
                        KeyCode::Char(c.to_ascii_lowercase())
                    }
                    _ => return Err(format!("キー「{s}」を解釈できません")),
                }
            }
        };
        if let KeyCode::Char(_) = code {
            mods.remove(KeyModifiers::SHIFT);
            if !mods.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) {
                return Err(format!(
                    "キー「{s}」は文字入力と重なるので割り当てられません（Ctrl- か Alt- を付けてください）"
                ));
            }
        }
        Ok(Key { code, mods })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{}", c.to_ascii_uppercase()),
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Delete"),
            KeyCode::Insert => f.write_str("Insert"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// Key bindings of the commands, and the default keys that config overrides took away from
/// their command without giving them to another (pressing one says where it went).
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<(Key, Command)>,
    moved: Vec<(Key, Command)>,
}

impl Default for Keymap {
    fn default() -> Self {
        let bindings = Command::ALL
            .into_iter()
            .flat_map(|c| {
                c.default_keys()
                    .iter()
                    .filter_map(move |k| Key::parse(k).ok().map(|k| (k, c)))
            })
            .collect();
        Keymap {
            bindings,
            moved: Vec::new(),
        }
    }
}

impl Keymap {
    /// The default keymap with config overrides applied: each named command gets exactly the
    /// keys given (a key taken from another command moves). Problems become warnings, with the
    /// entry's place in the file, and the entry is skipped. Quit always keeps Ctrl-C. A
    /// default key left with no command remembers whose it was ([`Action::Moved`]).
    pub fn with_overrides(overrides: &KeyOverrides) -> (Keymap, Vec<String>) {
        let mut map = Keymap::default();
        let mut warnings = Vec::new();
        let mut changed = Vec::new();
        for (name, spec) in &overrides.0 {
            let at = overrides
                .place(name)
                .map_or_else(|| "設定".to_string(), |p| format!("設定ファイル {p}:"));
            let Some(cmd) = Command::from_name(name) else {
                let names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
                warnings.push(format!(
                    "{at} [keys] の「{name}」は知らないコマンドです（使える名前: {}）",
                    names.join(", ")
                ));
                continue;
            };
            let mut keys = Vec::new();
            for k in spec.keys() {
                match Key::parse(k) {
                    Ok(key) => keys.push(key),
                    Err(e) => warnings.push(format!("{at} [keys] {name}: {e}")),
                }
            }
            if keys.is_empty() {
                continue;
            }
            map.bindings.retain(|(k, c)| *c != cmd && !keys.contains(k));
            map.bindings.extend(keys.into_iter().map(|k| (k, cmd)));
            changed.push(cmd);
        }
        if let Ok(ctrl_c) = Key::parse("Ctrl-C")
            && !map.bindings.contains(&(ctrl_c, Command::Quit))
        {
            map.bindings.retain(|(k, _)| *k != ctrl_c);
            map.bindings.push((ctrl_c, Command::Quit));
        }
        map.moved = changed
            .into_iter()
            .flat_map(|c| {
                c.default_keys()
                    .iter()
                    .filter_map(move |k| Key::parse(k).ok().map(|k| (k, c)))
            })
            .filter(|(k, _)| map.command(*k).is_none())
            .collect();
        (map, warnings)
    }

    /// The command whose default key this was, when config moved it elsewhere and left the
    /// key unbound.
    pub fn moved_from(&self, key: Key) -> Option<Command> {
        self.moved.iter().find(|(k, _)| *k == key).map(|(_, c)| *c)
    }

    /// The command bound to a key.
    pub fn command(&self, key: Key) -> Option<Command> {
        self.bindings
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, c)| *c)
    }

    /// The keys of a command, in binding order.
    pub fn keys_of(&self, cmd: Command) -> Vec<Key> {
        self.bindings
            .iter()
            .filter(|(_, c)| *c == cmd)
            .map(|(k, _)| *k)
            .collect()
    }

    /// The key to name for a command in a message or a title: its first key (`Ctrl-T`), or
    /// its config name when every key was moved to other commands.
    pub fn key(&self, cmd: Command) -> String {
        self.keys_of(cmd)
            .first()
            .map_or_else(|| cmd.name().to_string(), ToString::to_string)
    }

    /// Up and Down for a title: `↑↓` (arrow keys side by side), or `Alt-K/Alt-J` when rebound.
    pub fn up_down(&self) -> String {
        let (up, down) = (self.key(Command::Up), self.key(Command::Down));
        if up.chars().count() == 1 && down.chars().count() == 1 {
            format!("{up}{down}")
        } else {
            format!("{up}/{down}")
        }
    }

    /// `F2 / Alt-A` for a command (empty when unbound).
    pub fn keys_label(&self, cmd: Command) -> String {
        self.keys_of(cmd)
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" / ")
    }

    /// Rows of the help overlay: keys and description of every command, then the fixed keys.
    pub fn help_rows(&self) -> Vec<(String, &'static str)> {
        let mut rows: Vec<(String, &'static str)> = Command::ALL
            .into_iter()
            .map(|c| (self.keys_label(c), c.describe()))
            .filter(|(k, _)| !k.is_empty())
            .collect();
        rows.extend(
            [
                ("←→ / Ctrl-B Ctrl-F", "カーソル移動"),
                ("Ctrl-A / Ctrl-E", "行頭・行末"),
                (
                    "Backspace / Delete",
                    "1文字削除（空の検索欄では最後の絞り込みを外す）",
                ),
                ("Ctrl-W / Ctrl-U / Ctrl-K", "単語・行頭まで・行末まで削除"),
                ("Alt-1 … Alt-9", "0件・近い順のとき: n番目の提案を適用"),
            ]
            .map(|(k, d)| (k.to_string(), d)),
        );
        rows
    }

    /// `(key, label)` pairs for a hint bar, in this order (the first key of each; unbound
    /// commands are left out).
    pub fn hints(&self, items: &[Hint]) -> Vec<(String, &'static str)> {
        items
            .iter()
            .filter_map(|h| {
                self.keys_of(h.cmd)
                    .first()
                    .map(|k| (k.to_string(), h.label))
            })
            .collect()
    }

    /// The action for a terminal event (the `handle_event` of the Elm loop): commands from
    /// the bindings, fixed editing keys, typed characters, paste and resize. Key releases and
    /// unbound keys give `None`.
    pub fn handle_event(&self, ev: &Event) -> Option<Action> {
        match ev {
            Event::Key(k) if k.kind != KeyEventKind::Release => self.key_action(k),
            Event::Paste(s) => Some(Action::Paste(s.clone())),
            Event::Resize(w, h) => Some(Action::Resize(*w, *h)),
            _ => None,
        }
    }

    fn key_action(&self, ev: &KeyEvent) -> Option<Action> {
        let key = Key::of(ev);
        if let Some(cmd) = self.command(key) {
            return Some(Action::Command(cmd));
        }
        // A fixed editing key stays one even when its command moved (Home, End).
        Self::fixed_action(ev, key).or_else(|| self.moved_from(key).map(Action::Moved))
    }

    /// The fixed keys: editing, typing, Alt-1…9 and Shift-Tab.
    fn fixed_action(ev: &KeyEvent, key: Key) -> Option<Action> {
        let ctrl = key.mods.contains(KeyModifiers::CONTROL);
        let alt = key.mods.contains(KeyModifiers::ALT);
        let edit = |e| Some(Action::Edit(e));
        match key.code {
            KeyCode::Left if !ctrl && !alt => edit(Edit::Left),
            KeyCode::Right if !ctrl && !alt => edit(Edit::Right),
            KeyCode::Home => edit(Edit::Home),
            KeyCode::End => edit(Edit::End),
            KeyCode::Backspace if ctrl || alt => edit(Edit::DeleteWord),
            KeyCode::Backspace => edit(Edit::Backspace),
            KeyCode::Delete => edit(Edit::Delete),
            KeyCode::Char(c) if ctrl && !alt => match c {
                'a' => edit(Edit::Home),
                'e' => edit(Edit::End),
                'b' => edit(Edit::Left),
                'f' => edit(Edit::Right),
                'w' | 'h' => edit(if c == 'w' {
                    Edit::DeleteWord
                } else {
                    Edit::Backspace
                }),
                'u' => edit(Edit::KillToStart),
                'k' => edit(Edit::KillToEnd),
                _ => None,
            },
            KeyCode::Char(c) if alt && !ctrl => c
                .to_digit(10)
                .filter(|d| *d >= 1)
                .map(|d| Action::ApplySuggestion(d as usize - 1)),
            KeyCode::Char(_) if ctrl || alt => None,
            KeyCode::Char(_) => match ev.code {
                // Keep the case (and the character) as typed.
                KeyCode::Char(c) => Some(Action::Insert(c)),
                _ => None,
            },
            KeyCode::Tab if key.mods.contains(KeyModifiers::SHIFT) => {
                Some(Action::Command(Command::Focus))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::KeySpec;

    fn press(code: KeyCode, mods: KeyModifiers) -> Event {
        Event::Key(KeyEvent::new(code, mods))
    }

    #[test]
    fn default_keys_of_the_spec() {
        let m = Keymap::default();
        let cmd = |code, mods| match m.handle_event(&press(code, mods)) {
            Some(Action::Command(c)) => Some(c),
            _ => None,
        };
        assert_eq!(cmd(KeyCode::F(2), KeyModifiers::NONE), Some(Command::Area));
        assert_eq!(
            cmd(KeyCode::Char('a'), KeyModifiers::ALT),
            Some(Command::Area)
        );
        assert_eq!(
            cmd(KeyCode::Char('A'), KeyModifiers::ALT | KeyModifiers::SHIFT),
            Some(Command::Area)
        );
        assert_eq!(
            cmd(KeyCode::Char('c'), KeyModifiers::ALT),
            Some(Command::Care)
        );
        assert_eq!(
            cmd(KeyCode::Char('n'), KeyModifiers::ALT),
            Some(Command::Need)
        );
        assert_eq!(
            cmd(KeyCode::Char('n'), KeyModifiers::CONTROL),
            Some(Command::Down)
        );
        assert_eq!(
            cmd(KeyCode::Char('p'), KeyModifiers::CONTROL),
            Some(Command::Up)
        );
        assert_eq!(
            cmd(KeyCode::Char('c'), KeyModifiers::CONTROL),
            Some(Command::Quit)
        );
        assert_eq!(
            cmd(KeyCode::Char('q'), KeyModifiers::CONTROL),
            Some(Command::Quit)
        );
        assert_eq!(
            cmd(KeyCode::Char('y'), KeyModifiers::CONTROL),
            Some(Command::Copy)
        );
        assert_eq!(
            cmd(KeyCode::Char('s'), KeyModifiers::CONTROL),
            Some(Command::Save)
        );
        assert_eq!(
            cmd(KeyCode::Char('t'), KeyModifiers::CONTROL),
            Some(Command::Pin)
        );
        assert_eq!(cmd(KeyCode::F(1), KeyModifiers::NONE), Some(Command::Help));
        assert_eq!(
            cmd(KeyCode::F(9), KeyModifiers::NONE),
            Some(Command::WithPhone)
        );
        assert_eq!(
            cmd(KeyCode::Char('t'), KeyModifiers::ALT),
            Some(Command::WithPhone)
        );
    }

    #[test]
    fn typing_is_never_a_command() {
        let m = Keymap::default();
        for c in ['a', 'n', 'c', '?', 'あ', '人', 'Q'] {
            assert_eq!(
                m.handle_event(&press(KeyCode::Char(c), KeyModifiers::SHIFT)),
                Some(Action::Insert(c))
            );
        }
        assert_eq!(
            m.handle_event(&press(KeyCode::Char('w'), KeyModifiers::CONTROL)),
            Some(Action::Edit(Edit::DeleteWord))
        );
        assert_eq!(
            m.handle_event(&press(KeyCode::Char('3'), KeyModifiers::ALT)),
            Some(Action::ApplySuggestion(2))
        );
    }

    #[test]
    fn overrides_move_keys_and_bad_ones_warn() {
        let mut o = KeyOverrides::default();
        o.0.insert(
            "area".into(),
            KeySpec::Many(vec!["F9".into(), "Ctrl-G".into()]),
        );
        o.0.insert("care".into(), KeySpec::One("F2".into()));
        o.0.insert("nope".into(), KeySpec::One("F10".into()));
        o.0.insert("need".into(), KeySpec::One("x".into()));
        o.0.insert("quit".into(), KeySpec::One("Ctrl-X".into()));
        let (m, warnings) = Keymap::with_overrides(&o);
        assert_eq!(m.keys_label(Command::Area), "F9 / Ctrl-G");
        assert_eq!(m.keys_label(Command::Care), "F2");
        assert_eq!(m.keys_label(Command::Need), "F4 / Alt-N");
        assert_eq!(m.keys_label(Command::Quit), "Ctrl-X / Ctrl-C");
        assert_eq!(warnings.len(), 2, "{warnings:?}");
    }

    #[test]
    fn a_moved_commands_old_key_says_where_it_went() {
        let mut o = KeyOverrides::default();
        o.0.insert("area".into(), KeySpec::One("F10".into()));
        o.0.insert("need".into(), KeySpec::One("Alt-A".into()));
        o.0.insert("first".into(), KeySpec::One("Ctrl-G".into()));
        o.1.insert("area".into(), "config.toml:3:1".into());
        o.0.insert("nope".into(), KeySpec::One("F10".into()));
        o.1.insert("nope".into(), "config.toml:4:1".into());
        let (m, warnings) = Keymap::with_overrides(&o);
        let act = |code, mods| m.handle_event(&press(code, mods));
        assert_eq!(
            act(KeyCode::F(2), KeyModifiers::NONE),
            Some(Action::Moved(Command::Area))
        );
        // Alt-A went to ニーズ: it does that; F4 (ニーズ's) says where ニーズ went.
        assert_eq!(
            act(KeyCode::Char('a'), KeyModifiers::ALT),
            Some(Action::Command(Command::Need))
        );
        assert_eq!(
            act(KeyCode::F(4), KeyModifiers::NONE),
            Some(Action::Moved(Command::Need))
        );
        // Home stays an editing key.
        assert_eq!(
            act(KeyCode::Home, KeyModifiers::NONE),
            Some(Action::Edit(Edit::Home))
        );
        // Keys of commands not overridden are not "moved".
        assert_eq!(
            Keymap::default().moved_from(Key::parse("F2").unwrap()),
            None
        );
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].starts_with("設定ファイル config.toml:4:1: [keys] の「nope」"),
            "{warnings:?}"
        );
    }

    #[test]
    fn help_and_hints_come_from_the_bindings() {
        let m = Keymap::default();
        let rows = m.help_rows();
        assert!(
            rows.iter()
                .any(|(k, d)| k == "F2 / Alt-A" && d.contains("地域"))
        );
        assert_eq!(
            m.hints(&[Command::Area.into(), Command::Quit.hint_as("やめる")]),
            vec![("F2".to_string(), "地域"), ("Ctrl-C".to_string(), "やめる")]
        );
        assert_eq!(m.up_down(), "↑↓");
        assert_eq!(m.key(Command::Pin), "Ctrl-T");
    }

    #[test]
    fn the_table_has_one_row_per_command_and_its_keys_parse() {
        for (i, row) in COMMANDS.iter().enumerate() {
            assert_eq!(Command::ALL[i], row.cmd);
            assert_eq!(row.cmd.info(), row, "{}", row.name);
            assert_eq!(Command::from_name(row.name), Some(row.cmd));
            for k in row.keys {
                assert!(Key::parse(k).is_ok(), "{k}");
            }
        }
        let mut names: Vec<&str> = COMMANDS.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), COMMANDS.len());
    }
}
