//! How a record is presented to a person, shared by the CLI (`show`), the UI's detail pane and
//! the read-aloud card: Japanese field labels in a fixed order, source dates with their age,
//! and the card in speaking order. All text here is raw data; callers sanitize for terminals.

use crate::directory::{AreaIdx, AreaLevel, Catalog, Resource};

/// One labelled field of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Japanese label (名称, 対象 …).
    pub label: &'static str,
    /// The value, one paragraph.
    pub value: String,
}

/// A calendar date (proleptic Gregorian), enough for "how old is this source".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ymd {
    /// Year.
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
    /// Day 1–31.
    pub day: u32,
}

impl Ymd {
    /// Today's date in UTC from the system clock.
    pub fn today() -> Ymd {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Ymd::from_days((secs / 86_400) as i64)
    }

    /// Date from days since 1970-01-01 (Howard Hinnant's civil_from_days).
    pub fn from_days(z: i64) -> Ymd {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Ymd { year, month, day }
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM` (day 1) or `YYYY` (January 1).
    pub fn parse(s: &str) -> Option<Ymd> {
        let mut it = s.split('-');
        let year = it.next()?.parse().ok()?;
        let month = it.next().map_or(Some(1), |m| m.parse().ok())?;
        let day = it.next().map_or(Some(1), |d| d.parse().ok())?;
        Some(Ymd { year, month, day })
    }

    /// Whole months from `self` to `later` (0 if `later` is earlier).
    pub fn months_until(self, later: Ymd) -> u32 {
        let m = (later.year - self.year) * 12 + later.month as i32
            - self.month as i32
            - i32::from(later.day < self.day);
        m.max(0) as u32
    }
}

/// How old a source date is, in words: `約5年前`, `約8か月前`, `今月`.
pub fn age_in_words(date: &str, today: Ymd) -> Option<String> {
    let months = Ymd::parse(date)?.months_until(today);
    Some(match months {
        0 => "今月".to_string(),
        1..=11 => format!("約{months}か月前"),
        _ => format!("約{}年前", (months + 6) / 12),
    })
}

/// `資料日付 2020-12-17・約5年前` for each source of a record, newest first.
pub fn source_lines(catalog: &Catalog, r: &Resource, today: Ymd) -> Vec<String> {
    let mut sources: Vec<_> = r.sources.iter().collect();
    sources.sort_by(|a, b| b.date.cmp(&a.date));
    sources
        .into_iter()
        .map(|s| {
            let issuer = catalog
                .source_document(&s.file)
                .map_or(String::new(), |d| format!("{}「{}」", d.issuer, d.title));
            let age = age_in_words(&s.date, today)
                .map(|a| format!("・{a}"))
                .unwrap_or_default();
            format!(
                "資料日付 {}{age} — {issuer} {}（{}）",
                s.date, s.section, s.file
            )
        })
        .collect()
}

/// The advice printed with sources: dates are old, confirm with the responsible section.
pub const CONFIRM_NOTE: &str = "最新情報は所管課へ確認してください";

/// The confirm note, where it is said: with the sources of a record that has a phone. A record
/// without one already says whom to ask in its phone line ([`phone_line`]), once.
pub fn confirm_note(r: &Resource) -> Option<&'static str> {
    r.contact.phone_number().map(|_| CONFIRM_NOTE)
}

/// Names of areas, joined for display.
pub fn area_names(catalog: &Catalog, ids: &[String]) -> String {
    ids.iter()
        .map(|id| catalog.area_name(id))
        .collect::<Vec<_>>()
        .join("・")
}

fn labels(catalog: &Catalog, ids: &[String]) -> String {
    ids.iter()
        .map(|id| catalog.label_of(id))
        .collect::<Vec<_>>()
        .join("・")
}

/// The phone line, read out first (right after the name): the number a source gives, or —
/// said once, here and nowhere else — that none is given and whom to ask: the responsible
/// department, and the official website of the municipality (or prefecture) when the record
/// has no website of its own, labelled as that municipality's and never as the department's.
pub fn phone_line(catalog: &Catalog, r: &Resource) -> String {
    if let Some(p) = r.contact.phone_number() {
        return p.to_string();
    }
    let area = municipal_area(catalog, r);
    let whom = match (
        r.contact.department.as_ref().or(r.administered_by.as_ref()),
        area,
    ) {
        (Some(d), _) => d.clone(),
        (None, Some(a)) => format!("{}の所管課", a.name),
        (None, None) => "所管課".to_string(),
    };
    let mut line = format!("資料に記載なし — {whom}へ確認してください");
    if r.contact.url.is_none()
        && let Some(site) = municipal_site(catalog, r)
    {
        line.push('　');
        line.push_str(&site);
    }
    line
}

/// How else to reach a record, in one line: the department, address, website and note a
/// source gives (the phone has its own line, [`phone_line`]).
pub fn contact_line(r: &Resource) -> String {
    let c = &r.contact;
    let mut parts: Vec<String> = Vec::new();
    if let Some(d) = c.department.as_ref().or(r.administered_by.as_ref()) {
        parts.push(d.clone());
    }
    if let Some(a) = &c.address {
        parts.push(format!("所在地 {a}"));
    }
    if let Some(u) = &c.url {
        parts.push(u.clone());
    }
    if let Some(n) = c.note.as_deref().map(note_beside_phone_line)
        && !n.is_empty()
    {
        parts.push(n);
    }
    parts.join("　")
}

/// Sentences of a contact note that only say what the phone line says — the source gives no
/// number, ask the section — or that a phone from another cited source has made untrue.
const SAID_BY_THE_PHONE_LINE: [&str; 5] = [
    "連絡先は資料に記載なし",
    "事業所の連絡先は資料に記載なし",
    "電話番号は資料に記載なし",
    "区の所管課に確認",
    "所管課に確認",
];

/// A contact note without its sentences in [`SAID_BY_THE_PHONE_LINE`] (the rest as written).
fn note_beside_phone_line(note: &str) -> String {
    note.split_inclusive('。')
        .filter(|s| !SAID_BY_THE_PHONE_LINE.contains(&s.trim().trim_end_matches('。')))
        .collect::<String>()
        .trim()
        .to_string()
}

/// The municipality, ward or prefecture a record is located in (or, if it has no location,
/// its first service area) — the one whose office to ask — when it is one.
fn municipal_area<'a>(catalog: &'a Catalog, r: &Resource) -> Option<&'a crate::directory::Area> {
    let id = r.located_in.as_ref().or(r.service_areas.first())?;
    let area = catalog.areas.get(id)?;
    match area.level {
        AreaLevel::Prefecture | AreaLevel::Municipality | AreaLevel::Ward => Some(area),
        AreaLevel::Country | AreaLevel::Region => None,
    }
}

/// `品川区の公式サイト（区市町村の代表サイト。この窓口の直通ではありません） https://…`: the
/// website of the record's municipality, ward or prefecture ([`municipal_area`]), from the
/// gazetteer.
pub fn municipal_site(catalog: &Catalog, r: &Resource) -> Option<String> {
    let area = municipal_area(catalog, r)?;
    let url = area.url.as_ref()?;
    let kind = match area.level {
        AreaLevel::Prefecture => "都道府県",
        _ => "区市町村",
    };
    Some(format!(
        "{}の公式サイト（{kind}の代表サイト。この窓口の直通ではありません） {url}",
        area.name
    ))
}

/// `平日 09:00-18:00 / 土曜 09:00-12:00`: the day types a source gives, as written.
pub fn hours_by_day(h: &crate::directory::HoursByDay) -> String {
    [
        ("平日", &h.weekday),
        ("土曜", &h.saturday),
        ("日曜", &h.sunday),
        ("祝日", &h.holiday),
    ]
    .iter()
    .filter_map(|(day, t)| t.as_ref().map(|t| format!("{day} {t}")))
    .collect::<Vec<_>>()
    .join(" / ")
}

/// `療養介護（事業所番号 0123456789・定員 40人）、…`: the services an office is designated for.
fn designations(r: &Resource) -> Option<String> {
    if r.designations.is_empty() {
        return None;
    }
    Some(
        r.designations
            .iter()
            .map(|d| match d.capacity {
                Some(c) => format!(
                    "{}（事業所番号 {}・定員 {c}人）",
                    d.service_type, d.office_number
                ),
                None => format!("{}（事業所番号 {}）", d.service_type, d.office_number),
            })
            .collect::<Vec<_>>()
            .join("、"),
    )
}

/// Which layer a record comes from: `data/curated.json（同梱: 医ケアナビ 同梱ディレクトリ）`,
/// or the user's file (`--data`) with its title.
pub fn layer_line(catalog: &Catalog, r: &Resource) -> Option<String> {
    let layer = catalog
        .resource_index(&r.id)
        .and_then(|i| catalog.layer_of(i))
        .filter(|l| !l.name.is_empty())?;
    let origin = if layer.bundled {
        "同梱"
    } else {
        "追加ファイル"
    };
    Some(match &layer.title {
        Some(t) => format!("{}（{origin}: {t}）", layer.name),
        None => format!("{}（{origin}）", layer.name),
    })
}

/// [`fields`], with 距離 (和木町から約5km) after where the record is when an area is selected
/// and both have coordinates.
pub fn fields_from(
    catalog: &Catalog,
    r: &Resource,
    today: Ymd,
    area: Option<AreaIdx>,
) -> Vec<Field> {
    let mut out = fields(catalog, r, today);
    if let Some((a, km)) = area.and_then(|a| Some((a, catalog.distance_km(r, a)?))) {
        let at = out
            .iter()
            .rposition(|f| f.label == "所在地域" || f.label == "利用できる地域")
            .map_or(out.len(), |i| i + 1);
        let value = format!("{}から{}", catalog.areas.at(a).name, distance_label(km));
        out.insert(
            at,
            Field {
                label: "距離",
                value,
            },
        );
    }
    out
}

/// Every field of a record with its Japanese label, in reading order; empty fields left out.
pub fn fields(catalog: &Catalog, r: &Resource, today: Ymd) -> Vec<Field> {
    let mut out = Vec::new();
    let mut push = |label: &'static str, value: Option<String>| {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            out.push(Field { label, value: v });
        }
    };
    let name = match &r.kana {
        Some(k) if !k.is_empty() => format!("{}（{k}）", r.name),
        _ => r.name.clone(),
    };
    push("名称", Some(name));
    push("電話", Some(phone_line(catalog, r)));
    push("別名", Some(r.aliases.join("、")));
    push("種別", Some(r.kind.label().to_string()));
    push("状態", Some(r.status.label().to_string()));
    push("概要", Some(r.summary.clone()));
    push("内容", r.description.clone());
    push("対象", r.eligibility.clone());
    push(
        "利用できる地域",
        Some(area_names(catalog, &r.service_areas)),
    );
    push(
        "所在地域",
        r.located_in
            .as_ref()
            .map(|a| catalog.area_name(a).to_string()),
    );
    push("ケアの種類", Some(labels(catalog, &r.care_types)));
    push("ニーズ", Some(labels(catalog, &r.needs)));
    push("ライフステージ", Some(labels(catalog, &r.life_stages)));
    push("対象者", Some(labels(catalog, &r.audiences)));
    push("運営", r.provider.clone());
    push("所管", r.administered_by.clone());
    push("連絡先", Some(contact_line(r)));
    push("FAX", r.contact.fax.clone());
    push("時間", r.hours.clone());
    push("曜日別の時間", r.hours_by_day.as_ref().map(hours_by_day));
    push("定休日", r.closed_days.clone());
    push("時間の注意", r.hours_note.clone());
    push("指定サービス", designations(r));
    push("定員", r.capacity.clone());
    push("費用", r.fees.clone());
    push("申込方法", r.how_to_apply.clone());
    push("開始", r.since.clone());
    let figures = r
        .figures
        .iter()
        .map(|f| match &f.as_of {
            Some(d) => format!("{} {}（{d}時点）", f.label, f.value),
            None => format!("{} {}", f.label, f.value),
        })
        .collect::<Vec<_>>()
        .join("、");
    push("実績・数値", Some(figures));
    let related = r
        .related
        .iter()
        .map(|id| {
            catalog
                .resource(id)
                .map_or(id.as_str(), |x| x.name.as_str())
        })
        .collect::<Vec<_>>()
        .join("、");
    push("関連", Some(related));
    let mut sources = source_lines(catalog, r, today);
    sources.extend(confirm_note(r).map(String::from));
    push("出典", Some(sources.join(" / ")));
    push("収録データ", layer_line(catalog, r));
    push("ID", Some(r.id.clone()));
    out
}

/// The read-aloud card, in speaking order: name and reading → phone (or, once, whom to ask) →
/// what it does → who it is for → contact and responsible section → hours → source date.
/// Markdown, for copy and save.
pub fn read_aloud_card(catalog: &Catalog, r: &Resource, today: Ymd) -> String {
    let mut s = String::new();
    s.push_str(&format!("## {}\n", r.name));
    if let Some(k) = r.kana.as_ref().filter(|k| !k.is_empty()) {
        s.push_str(&format!("- よみ: {k}\n"));
    }
    s.push_str(&format!("- 電話: {}\n", phone_line(catalog, r)));
    s.push_str(&format!("- 何をしてくれるか: {}\n", r.summary));
    if let Some(e) = &r.eligibility {
        s.push_str(&format!("- 対象: {e}\n"));
    }
    s.push_str(&format!(
        "- 利用できる地域: {}\n",
        area_names(catalog, &r.service_areas)
    ));
    let contact = contact_line(r);
    if !contact.is_empty() {
        s.push_str(&format!("- 連絡先・所管: {contact}\n"));
    }
    if let Some(h) = &r.hours {
        s.push_str(&format!("- 時間: {h}\n"));
    }
    if let Some(h) = r
        .hours_by_day
        .as_ref()
        .map(hours_by_day)
        .filter(|h| !h.is_empty())
    {
        s.push_str(&format!("- 時間: {h}\n"));
    }
    if let Some(c) = &r.closed_days {
        s.push_str(&format!("- 定休日: {c}\n"));
    }
    for line in source_lines(catalog, r, today) {
        s.push_str(&format!("- {line}\n"));
    }
    if let Some(note) = confirm_note(r) {
        s.push_str(&format!("- {note}\n"));
    }
    s
}

/// A distance as a clerk reads it aloud: 約800m under 1 km (in hundreds of metres), else whole
/// km (約5km, 約120km).
pub fn distance_label(km: f64) -> String {
    if km < 0.95 {
        let m = ((km * 10.0).round() as u32).max(1) * 100;
        format!("約{m}m")
    } else {
        format!("約{}km", km.round() as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_labels() {
        for (km, want) in [
            (0.0, "約100m"),
            (0.04, "約100m"),
            (0.81, "約800m"),
            (0.94, "約900m"),
            (0.96, "約1km"),
            (4.6, "約5km"),
            (29.4, "約29km"),
            (120.2, "約120km"),
        ] {
            assert_eq!(distance_label(km), want, "{km}");
        }
    }

    #[test]
    fn civil_dates() {
        assert_eq!(
            Ymd::from_days(0),
            Ymd {
                year: 1970,
                month: 1,
                day: 1
            }
        );
        assert_eq!(
            Ymd::from_days(20_779),
            Ymd {
                year: 2026,
                month: 11,
                day: 22
            }
        );
    }

    #[test]
    fn ages() {
        let today = Ymd {
            year: 2026,
            month: 11,
            day: 21,
        };
        assert_eq!(age_in_words("2020-12-17", today).unwrap(), "約6年前");
        assert_eq!(age_in_words("2026-03", today).unwrap(), "約8か月前");
        assert_eq!(age_in_words("2026-11-02", today).unwrap(), "今月");
        assert_eq!(age_in_words("2024-10-16", today).unwrap(), "約2年前");
        assert!(age_in_words("昔", today).is_none());
    }

    /// A record whose only contact is a department says, in its phone line, whom to ask and
    /// points to its municipality's official site, labelled as the municipality's; one with a
    /// phone of its own gives the number alone.
    #[test]
    fn a_department_only_contact_points_to_the_municipal_site() {
        let catalog = crate::directory::DataSource::bundled().load().unwrap();
        let r = catalog.resource("shinagawa-ikea-renrakukai").unwrap();
        assert!(r.contact.phone.is_none() && r.contact.url.is_none());
        let line = phone_line(&catalog, r);
        let url = catalog.areas.get("13109").unwrap().url.clone().unwrap();
        assert!(line.starts_with("資料に記載なし — "), "{line}");
        assert!(
            line.contains(&format!(
                "品川区の公式サイト（区市町村の代表サイト。この窓口の直通ではありません） {url}"
            )),
            "{line}"
        );
        assert!(!contact_line(r).contains("公式サイト"));
        let mut with_phone = r.clone();
        with_phone.contact.phone = Some("03-0000-0000".into());
        assert_eq!(phone_line(&catalog, &with_phone), "03-0000-0000");
    }

    /// 電話 comes right after the name (and reading) in `show`'s fields and in the card; the
    /// number is not repeated in 連絡先.
    #[test]
    fn the_phone_comes_right_after_the_name() {
        let catalog = crate::directory::DataSource::bundled().load().unwrap();
        let today = Ymd::today();
        let mut r = catalog
            .resource("shinagawa-ikea-renrakukai")
            .unwrap()
            .clone();
        r.contact.phone = Some(" 03-0000-0000 ".into());
        let f = fields(&catalog, &r, today);
        assert_eq!((f[0].label, f[1].label), ("名称", "電話"));
        assert_eq!(f[1].value, "03-0000-0000");
        assert!(
            f.iter()
                .all(|x| x.label == "電話" || !x.value.contains("03-0000"))
        );
        let card = read_aloud_card(&catalog, &r, today);
        let lines: Vec<&str> = card.lines().collect();
        assert!(lines[0].starts_with("## ") && lines[1].starts_with("- よみ: "));
        assert_eq!(lines[2], "- 電話: 03-0000-0000");
        assert_eq!(lines.last(), Some(&"- 最新情報は所管課へ確認してください"));
    }

    #[test]
    fn notes_drop_only_what_the_phone_line_says() {
        for (note, kept) in [
            ("連絡先は資料に記載なし", ""),
            ("事業所の連絡先は資料に記載なし。区の所管課に確認", ""),
            (
                "電話番号は資料に記載なし。試行は令和３年８月から。所管課に確認",
                "試行は令和３年８月から。",
            ),
            (
                "所管課・連絡先は資料に記載なし",
                "所管課・連絡先は資料に記載なし",
            ),
            (
                "住所は資料の委託先欄による。電話番号は資料に記載なし",
                "住所は資料の委託先欄による。",
            ),
        ] {
            assert_eq!(note_beside_phone_line(note), kept, "{note}");
        }
    }

    /// Without a phone, whom to ask is said exactly once — in the phone line — in the fields
    /// and in the card; a blank phone is no phone.
    #[test]
    fn without_a_phone_whom_to_ask_is_said_once() {
        let catalog = crate::directory::DataSource::bundled().load().unwrap();
        let today = Ymd::today();
        // 児童発達支援あおぞら: no document gives its phone and no open-data office is it.
        let mut r = catalog.resource("yamaguchi-aozora").unwrap().clone();
        for phone in [None, Some("  ".to_string())] {
            r.contact.phone = phone;
            let f = fields(&catalog, &r, today);
            assert_eq!(f[1].label, "電話");
            assert!(
                f[1].value.contains("柳井市の所管課へ確認"),
                "{}",
                f[1].value
            );
            let all: String = f.iter().map(|x| x.value.as_str()).collect();
            let card = read_aloud_card(&catalog, &r, today);
            for text in [&all, &card] {
                assert_eq!(text.matches("へ確認").count(), 1, "{text}");
                assert_eq!(text.matches("記載なし").count(), 1, "{text}");
                assert_eq!(text.matches("公式サイト").count(), 1, "{text}");
            }
        }
    }
}
