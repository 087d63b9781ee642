//! 事業所URL cells: keep one well-formed public `http(s)` URL, report everything else.
//!
//! Real cells hold tabs and U+3000 after the URL, two URLs (`https://a.jp/　https://b.com/x`,
//! or glued: `…htmlhttp://…`), an intranet or half-typed host (`http://basara`,
//! `http://www/maki.or.jp`), an e-mail address (`http://info@x.or.jp`), a comma for a dot. Rules:
//!
//! 1. The cell is NFKC-normalized (full-width `ｗｗｗ` → `www`, as a browser maps it) and
//!    trimmed.
//! 2. It is cut into pieces at whitespace and before every `http://` / `https://`.
//! 3. The pieces that start with a scheme are candidates; the first valid one is kept. Text
//!    before it (「HP：」) is allowed; it and any further pieces make the cell *partial*: the URL
//!    is kept and the rest is reported.
//! 4. When the piece right after the kept URL is ASCII without a scheme, a space probably cut
//!    the URL in two (`http://x.jp/facilities haginophp`): the cell is rejected.
//! 5. A URL is valid when: scheme `http`/`https`; no user info (`@`); an optional numeric
//!    port; a host of at least two dot-separated labels of letters, digits, `-` (or non-ASCII
//!    letters for 日本語ドメイン), no label starting or ending with `-`, a top-level label of
//!    letters only; not an IP address; not an intranet name (`localhost`, `*.local`, `*.lan`,
//!    `*.internal`, `*.intranet`, `*.corp`, `*.home`, `*.localdomain`); no whitespace, control
//!    characters, `<>"{}|\^` or backquote in the rest.

/// What became of a URL cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlCell {
    /// Empty cell.
    Empty,
    /// One clean URL.
    Clean(String),
    /// A URL kept, other text in the cell dropped (reported).
    Partial { url: String, dropped: String },
    /// No URL kept (reported with the reason).
    Rejected(String),
}

const INTRANET_SUFFIXES: [&str; 7] = [
    "local",
    "lan",
    "internal",
    "intranet",
    "corp",
    "home",
    "localdomain",
];

/// Classifies a 事業所URL cell (see the module documentation).
pub fn url_cell(cell: &str) -> UrlCell {
    let c = super::clean(cell);
    if c.is_empty() {
        return UrlCell::Empty;
    }
    let pieces = split_pieces(&c);
    let mut first_error = None;
    for (i, piece) in pieces.iter().enumerate() {
        if !has_scheme(piece) {
            continue;
        }
        match check(piece) {
            Ok(()) => return settle(&pieces, i),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    UrlCell::Rejected(first_error.unwrap_or_else(|| "http(s) の URL がありません".into()))
}

/// Decides between clean, partial and rejected once `pieces[i]` is the kept URL.
fn settle(pieces: &[&str], i: usize) -> UrlCell {
    let url = pieces[i].to_string();
    if let Some(next) = pieces.get(i + 1)
        && !has_scheme(next)
        && next.is_ascii()
    {
        return UrlCell::Rejected(format!("URL の途中に空白があります: 「{url} {next}」"));
    }
    if pieces.len() == 1 {
        return UrlCell::Clean(url);
    }
    let dropped: Vec<&str> = pieces
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != i)
        .map(|(_, p)| *p)
        .collect();
    UrlCell::Partial {
        url,
        dropped: dropped.join(" "),
    }
}

fn has_scheme(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    l.starts_with("http://") || l.starts_with("https://")
}

/// Cuts at whitespace and before each scheme.
fn split_pieces(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for word in s.split_whitespace() {
        let lower = word.to_ascii_lowercase();
        let mut starts: Vec<usize> = lower.match_indices("http://").map(|(i, _)| i).collect();
        starts.extend(lower.match_indices("https://").map(|(i, _)| i));
        starts.sort_unstable();
        let mut last = 0;
        for st in starts {
            if st > last {
                out.push(&word[last..st]);
            }
            last = st;
        }
        out.push(&word[last..]);
    }
    out.retain(|p| !p.is_empty());
    out
}

/// Validates one candidate (rule 5).
fn check(url: &str) -> Result<(), String> {
    let lower = url.to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else {
        &url[7..]
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    if authority.contains('@') {
        return Err(format!(
            "メールアドレスかユーザー名で、ホームページのアドレスではありません: 「{url}」"
        ));
    }
    let host = match authority.rsplit_once(':') {
        Some((h, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => h,
        Some(_) => return Err(format!("ホスト名の形が正しくありません: 「{url}」")),
        None => authority,
    };
    check_host(host).map_err(|why| format!("{why}: 「{url}」"))?;
    if let Some(bad) = tail
        .chars()
        .find(|c| c.is_control() || c.is_whitespace() || "<>\"{}|\\^`".contains(*c))
    {
        return Err(format!(
            "URL に「{}」があります: 「{url}」",
            bad.escape_default()
        ));
    }
    Ok(())
}

fn check_host(host: &str) -> Result<(), &'static str> {
    if host.is_empty() {
        return Err("ホスト名がありません");
    }
    let labels: Vec<&str> = host.trim_end_matches('.').split('.').collect();
    if labels.len() < 2 {
        return Err("公開のホスト名ではありません（組織内のものか、書きかけ）");
    }
    let label_ok = |l: &&str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| {
                c.is_ascii_alphanumeric() || c == '-' || (!c.is_ascii() && c.is_alphanumeric())
            })
    };
    if !labels.iter().all(label_ok) {
        return Err("ホスト名の形が正しくありません");
    }
    let tld = labels[labels.len() - 1].to_ascii_lowercase();
    if tld.chars().all(|c| c.is_ascii_digit()) {
        return Err("ホスト名ではなく IP アドレスです");
    }
    if !tld.chars().all(|c| c.is_alphabetic()) || tld.chars().count() < 2 {
        return Err("トップレベルドメインの形が正しくありません");
    }
    if host.eq_ignore_ascii_case("localhost") || INTRANET_SUFFIXES.contains(&tld.as_str()) {
        return Err("組織内（イントラネット）のホストです");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(cell: &str) -> Option<String> {
        match url_cell(cell) {
            UrlCell::Clean(u) | UrlCell::Partial { url: u, .. } => Some(u),
            _ => None,
        }
    }

    #[test]
    fn clean_cells() {
        for (cell, want) in [
            ("https://hokushokai.com/", "https://hokushokai.com/"),
            (
                "http://www.mutuminosato.jp\u{3000}",
                "http://www.mutuminosato.jp",
            ),
            ("https://asahikai.info/\t\t\t", "https://asahikai.info/"),
            (
                "https://ｗｗｗ.takarazuka-fukushi.or.jp",
                "https://www.takarazuka-fukushi.or.jp",
            ),
            ("http://長井学園.jp", "http://長井学園.jp"),
            (
                "https://x.example.jp:8080/a?b=c#d",
                "https://x.example.jp:8080/a?b=c#d",
            ),
        ] {
            assert_eq!(url_cell(cell), UrlCell::Clean(want.into()), "{cell}");
        }
        assert_eq!(url_cell(" "), UrlCell::Empty);
    }

    #[test]
    fn partial_cells_keep_the_first_good_url() {
        let two =
            "https://www.houkago-choco.net/\u{3000}\u{3000}https://www.instagram.com/nijiirochoco";
        assert_eq!(
            url_cell(two),
            UrlCell::Partial {
                url: "https://www.houkago-choco.net/".into(),
                dropped: "https://www.instagram.com/nijiirochoco".into()
            }
        );
        let glued = "http://www.city.fuji.shizuoka.jp/a.htmlhttp://www.city.fuji.shizuoka.jp/a.html\thttp://ww";
        assert_eq!(
            kept(glued).as_deref(),
            Some("http://www.city.fuji.shizuoka.jp/a.html")
        );
        assert_eq!(
            kept("https://https://shinyucircle.shinyusya.jp/light").as_deref(),
            Some("https://shinyucircle.shinyusya.jp/light")
        );
        assert_eq!(
            kept("ホームページ：https://a.example.jp/ をご覧ください").as_deref(),
            Some("https://a.example.jp/")
        );
    }

    #[test]
    fn rejected_cells() {
        for cell in [
            "http://basara",
            "https://www/maki.or.jp",
            "http://three.ai,jp",
            "http://:three-ai.jp",
            "http:///www.f-shishakyo.or.jp",
            "http:// www.ecnt.net/~net/",
            "http://info@hcp-support-hadano.or.jp",
            "http://www.himi@shakyo.jp/",
            "http://npo-avenir.0rg/npo-avenir",
            "https://mirai_switch.co.jp",
            "http://www ohnofukushikai.or.jp",
            "http://www.oitaswo.jp/facilities haginophp",
            "http://192.168.0.10/",
            "http://server.local/",
            "http://intra/",
            "www.example.jp",
            "なし",
        ] {
            assert!(
                matches!(url_cell(cell), UrlCell::Rejected(_)),
                "{cell}: {:?}",
                url_cell(cell)
            );
        }
    }
}
