//! How a record is presented to a person, shared by the CLI (`show`), the UI's detail pane and
//! the read-aloud card: Japanese field labels in a fixed order, source dates with their age,
//! and the card in speaking order. All text here is raw data; callers sanitize for terminals
//! (phones and FAX numbers come sanitized already, in the national format: [`crate::text::phone`]).

use crate::directory::validate::{OR_EARLIER, date_order};
use crate::directory::{
    AreaIdx, AreaLevel, AreaTree, Catalog, MainWindow, OTHER_PHONES, Resource, care_unstated,
};
use crate::text::phone::{self, Phone};

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

    /// Parses `YYYY-MM-DD`, `YYYY-MM` (day 1) or `YYYY` (January 1); an upper bound
    /// (`2024-04以前`) gives its date.
    pub fn parse(s: &str) -> Option<Ymd> {
        let s = s.strip_suffix(OR_EARLIER).unwrap_or(s);
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

/// How old a source date is, in words: `約5年前`, `約8か月前`, `今月`; for a date that is only
/// an upper bound (`2024-04以前`), at least how old: `2年以上前`, `8か月以上前`, `今月以前`.
pub fn age_in_words(date: &str, today: Ymd) -> Option<String> {
    let when = Ymd::parse(date)?;
    if when > today {
        // Refused by the loader; never 「今月」, which would make it look fresh.
        return Some("今日より後の日付（誤り）".to_string());
    }
    let months = when.months_until(today);
    if date.ends_with(OR_EARLIER) {
        return Some(match months {
            0 => "今月以前".to_string(),
            1..=11 => format!("{months}か月以上前"),
            _ => format!("{}年以上前", months / 12),
        });
    }
    Some(match months {
        0 => "今月".to_string(),
        1..=11 => format!("約{months}か月前"),
        _ => format!("約{}年前", (months + 6) / 12),
    })
}

/// `資料日付 2020-12-17・約5年前` for each source of a record, newest first.
pub fn source_lines(catalog: &Catalog, r: &Resource, today: Ymd) -> Vec<String> {
    let mut sources: Vec<_> = r.sources.iter().collect();
    sources.sort_by(|a, b| date_order(&b.date).cmp(&date_order(&a.date)));
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
        .map(|id| catalog.area_label(id))
        .collect::<Vec<_>>()
        .join("・")
}

/// The label of the line that says a record's care is unknown (unknown is not no: see
/// [`crate::directory::filters`]).
pub const CARE_LABEL: &str = "医療的ケアの受入れ";

/// Its value: 要確認, and why (short enough for one line of the detail at 80 columns).
pub const CARE_UNKNOWN: &str = "要確認（公開データに記載なし）";

/// The mark of a 要確認 record in a list line (the UI's list, `search` and `list`).
pub const CARE_UNKNOWN_MARK: &str = "ケア要確認";

/// Why a query of only emoji, symbols or punctuation (🙂) finds nothing.
pub const UNSEARCHABLE: &str =
    "検索できる文字（かな・漢字・英数字）がないので探していません — 名前や言葉を入れてください";

/// Said when the care filter is what left nothing: the offices whose care is 要確認 were not
/// what it removed (unknown is not no).
pub const CARE_FILTER_KEPT_UNKNOWN: &str =
    "ケアの種類が公開データでわからない事業所（ケア要確認）も含めて探しました";

/// The heading's count with how many are 要確認: `439件（うち要確認 439件）`, or `12件`.
pub fn count_with_unknown(total: usize, care_unknown: usize) -> String {
    match care_unknown {
        0 => format!("{total}件"),
        m => format!("{total}件（うち要確認 {m}件）"),
    }
}

/// What a heading says when nothing asked was within the radius and the hits are the nearest
/// ones however far ([`crate::search::SearchResults::nearest_beyond_km`]).
pub fn nearest_note(within_km: u32) -> String {
    format!("{within_km}km以内にありません — 近い順")
}

/// What a heading says of a search by number ([`crate::search::numbers`]): 「番号
/// 076-467-0679（電話・FAX・事業所番号、地域に関係なく）」, and when no record has it, that it is
/// in none of them.
pub fn number_note(asked: &crate::search::numbers::NumberAsk, found: bool) -> String {
    // In the national format, or as typed (467-0679: no area code to format it by).
    let shown = match crate::text::phone::Phone::parse(&asked.digits) {
        Some(p @ crate::text::phone::Phone::National { .. }) => p.to_string(),
        _ if !asked.words.is_empty() => asked.words.join("-"),
        _ => asked.digits.clone(),
    };
    if found {
        format!("番号 {shown}（電話・FAX・事業所番号、地域に関係なく）")
    } else {
        format!("番号 {shown} の電話・FAX・事業所番号はどの記録にもありません")
    }
}

/// What a heading says when the words name service types no loaded record is designated for
/// ([`crate::search::SearchResults::types_not_in_data`]): 「児童発達支援の指定事業所は
/// このデータにありません — 語に一致する記録」.
pub fn types_not_in_data_note(mask: u64) -> String {
    let names: Vec<&str> = crate::search::services::codes(mask)
        .filter_map(crate::search::services::official_name)
        .collect();
    format!(
        "{}の指定事業所はこのデータにありません — 語に一致する記録",
        names.join("・")
    )
}

/// What a heading says when days of the week are asked ([`crate::search::days`]): 「土曜に利用
/// 時間のある記録が先」 — the others follow, since a record's hours may not say all it offers.
pub fn days_note(days: u64) -> String {
    format!(
        "{}に利用時間のある記録が先",
        crate::search::days::names(days)
    )
}

/// What a list or heading says when the hits match only some of the words and these found
/// nothing ([`crate::search::SearchResults::unmatched`]): 「ショートステイ」に一致する記録は
/// ありません — 一部の語だけに一致. `None` when every word found something. The words are
/// sanitized by the caller's output (they are typed text).
pub fn unmatched_note(words: &[String]) -> Option<String> {
    if words.is_empty() {
        return None;
    }
    let quoted: String = words.iter().map(|w| format!("「{w}」")).collect();
    Some(format!(
        "{quoted}に一致する記録はありません — 一部の語だけに一致"
    ))
}

/// The card's line `医療的ケアの受入れ: 要確認（…）` for a record whose source cannot say which
/// care it accepts ([`care_unstated`]); `None` for every other record.
pub fn care_unknown_field(r: &Resource) -> Option<Field> {
    care_unstated(r).then(|| Field {
        label: CARE_LABEL,
        value: CARE_UNKNOWN.to_string(),
    })
}

/// The detail's ケアの種類: the care types the data states, or for a record whose source cannot
/// say, `医療的ケアの受入れ: 要確認（…）` (in the value: the label column is 14 cells).
fn care_types_value(catalog: &Catalog, r: &Resource) -> String {
    match care_unstated(r) {
        true => format!("{CARE_LABEL}: {CARE_UNKNOWN}"),
        false => labels(catalog, &r.care_types),
    }
}

fn labels(catalog: &Catalog, ids: &[String]) -> String {
    ids.iter()
        .map(|id| catalog.label_of(id))
        .collect::<Vec<_>>()
        .join("・")
}

/// The record's phone as a person reads it (national format, or as written and marked), when
/// a source gives one.
pub fn phone_of(r: &Resource) -> Option<Phone> {
    r.contact.phone_number().and_then(Phone::parse)
}

/// The phone line, read out first (right after the name): the number a source gives, in the
/// national format ([`phone_of`]), or — said once, here and nowhere else — that none is given
/// and whom to ask: the responsible department, and the official website of the municipality
/// (or prefecture) when the record has no website of its own, labelled as that
/// municipality's and never as the department's.
pub fn phone_line(catalog: &Catalog, r: &Resource) -> String {
    if let Some(p) = phone_of(r) {
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

/// How the detail says what the open data's other rows of the same office give: WAM NET has
/// one row per service an office is designated for, and a row may give another phone or
/// address than the first (the import keeps them as 「別の行の電話」「別の行の住所」, words
/// that mean nothing to a clerk).
const OTHER_ROWS_SAID: [(&str, &str); 2] = [
    (OTHER_PHONES, "同じ事業所の別サービスの届出電話"),
    ("別の行の住所", "同じ事業所の別サービスの届出住所"),
];

/// A contact note without its sentences in [`SAID_BY_THE_PHONE_LINE`], the other rows'
/// phones ([`OTHER_PHONES`]) in the national format and what the other rows give in plain
/// words ([`OTHER_ROWS_SAID`]), the rest as written.
fn note_beside_phone_line(note: &str) -> String {
    let note = note
        .split_inclusive('。')
        .filter(|s| !SAID_BY_THE_PHONE_LINE.contains(&s.trim().trim_end_matches('。')))
        .collect::<String>();
    note.trim()
        .split(" / ")
        .map(|part| match part.strip_prefix(OTHER_PHONES) {
            Some(phones) => format!(
                "{}{}",
                OTHER_ROWS_SAID[0].1,
                phone::format_numbers_in(phones)
            ),
            None => match part.strip_prefix(OTHER_ROWS_SAID[1].0) {
                Some(rest) => format!("{}{rest}", OTHER_ROWS_SAID[1].1),
                None => part.to_string(),
            },
        })
        .collect::<Vec<_>>()
        .join(" / ")
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
/// website of the record's municipality, ward (or its city) or prefecture
/// ([`municipal_area`]), from the gazetteer.
pub fn municipal_site(catalog: &Catalog, r: &Resource) -> Option<String> {
    let mut area = municipal_area(catalog, r)?;
    // A ward without a site of its own in the gazetteer (浜松市中央区): its city's.
    if area.url.is_none() && area.level == AreaLevel::Ward {
        let idx = catalog.areas.index_of(&area.id)?;
        area = catalog.areas.at(catalog.areas.parent(idx)?);
    }
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

/// サービス種別 codes of the designated services used by staying at the office — 療養介護 (21),
/// 短期入所 (24), 施設入所支援 (32), 宿泊型自立訓練 (34), 福祉型・医療型障害児入所施設 (68,
/// 69). Under 障害者総合支援法 and 児童福祉法 a designated service is used with a 支給決定
/// (給付決定) of where one lives, at any designated office, whatever its municipality; for
/// these the office's own municipality says nothing of who may use it (for a 通所 or 訪問
/// office, where it is still tells what is within reach).
const STAY_TYPES: [u8; 6] = [21, 24, 32, 34, 68, 69];

/// What 利用できる地域 says: the service areas, except for an office designated only for
/// services used by staying there ([`STAY_TYPES`]), whose 利用できる地域 from the open data is
/// merely where it is: 「住所地を問わず（…の支給決定を受けて契約・利用）」 instead — what the
/// designation type means, not a fact of the office's own.
pub fn reach(catalog: &Catalog, r: &Resource) -> String {
    let codes: Vec<u8> = r.designations.iter().filter_map(|d| d.code).collect();
    if codes.is_empty() || !codes.iter().all(|c| STAY_TYPES.contains(c)) {
        return area_names(catalog, &r.service_areas);
    }
    format!("{STAY_REACH}（{STAY_REACH_WHY}）")
}

/// [`reach`] of an office of the types of [`STAY_TYPES`].
const STAY_REACH: &str = "住所地を問わず";
/// Why, as the law says it.
const STAY_REACH_WHY: &str = "入所・宿泊の指定サービス: 住んでいる市町村（障害児入所は都道府県）の支給決定を受けて契約・利用 — 障害者総合支援法・児童福祉法";

/// `療養介護（事業所番号 0123456789・定員 40人・2025-03）、…`: the services an office is
/// designated for, each with the release of the file that states it.
fn designations(r: &Resource) -> Option<String> {
    if r.designations.is_empty() {
        return None;
    }
    Some(
        r.designations
            .iter()
            .map(|d| {
                let capacity = d
                    .capacity
                    .map(|c| format!("・定員 {c}人"))
                    .unwrap_or_default();
                let as_of = d
                    .as_of
                    .as_deref()
                    .map(|a| format!("・{a}"))
                    .unwrap_or_default();
                format!(
                    "{}（事業所番号 {}{capacity}{as_of}）",
                    d.service_type, d.office_number
                )
            })
            .collect::<Vec<_>>()
            .join("、"),
    )
}

/// What a closed record ([`Resource::closed_in`]) says first, wherever it is shown:
/// 「2026-03 の公開データにありません（廃止・休止・移転の可能性）— 電話・住所は 2025-09 の公開データのもの」.
fn closed_notice(r: &Resource) -> Option<String> {
    let gone = r.closed_in()?;
    let last = r
        .former_designations
        .iter()
        .filter_map(|d| d.as_of.as_deref())
        .max_by_key(|d| date_order(d))
        .or(r.verified_as_of.as_deref());
    let mut s = format!("{gone} の公開データにありません（廃止・休止・移転の可能性）");
    if let Some(last) = last {
        s.push_str(&format!("— 電話・住所は {last} の公開データのもの"));
    }
    Some(s)
}

/// The 掲載 field: a closed record's [`closed_notice`], else 「2026-03 から掲載」 for an office
/// whose every designation first appeared in a release the data knows ([`Resource::first_seen`]).
fn listing_line(r: &Resource) -> Option<String> {
    closed_notice(r).or_else(|| r.first_seen().map(|f| format!("{f} から掲載")))
}

/// The records that continue a closed record's designations under new numbers (番号変更):
/// 「くだまつの家（ID wam-3520700099）」, each once.
fn successors(catalog: &Catalog, r: &Resource) -> Option<String> {
    let mut ids: Vec<&str> = Vec::new();
    for id in r
        .former_designations
        .iter()
        .filter_map(|d| d.successor.as_deref())
    {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let named: Vec<String> = ids
        .iter()
        .map(|id| match catalog.resource(id) {
            Some(x) => format!("{}（ID {}）", x.name, x.id),
            None => format!("ID {id}"),
        })
        .collect();
    (!named.is_empty()).then(|| named.join("、"))
}

/// 「短期入所（事業所番号 0123456789・2024-04 の公開データになし）、…」: the designations the
/// open data no longer has.
fn former_designations(r: &Resource) -> Option<String> {
    let all: Vec<String> = r
        .former_designations
        .iter()
        .map(|d| {
            let gone = d
                .closed_in
                .as_deref()
                .map(|c| format!("・{c} の公開データになし"))
                .unwrap_or_default();
            format!("{}（事業所番号 {}{gone}）", d.service_type, d.office_number)
        })
        .collect();
    (!all.is_empty()).then(|| all.join("、"))
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
    let mut line = match &layer.title {
        Some(t) => format!("{}（{origin}: {t}）", layer.name),
        None => format!("{}（{origin}）", layer.name),
    };
    // A curated record joined with its open-data office (data/links.json) says so: its phone,
    // address and hours come from that office's row.
    let merged: Vec<&str> = catalog
        .moved_ids()
        .iter()
        .filter(|(_, to)| **to == r.id)
        .map(|(from, _)| from.as_str())
        .collect();
    if !merged.is_empty() {
        line.push_str(&format!(
            " ＋ 公開データの事業所 {}（電話・住所・時間はその行から）",
            merged.join("、")
        ));
    }
    Some(line)
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
        let value = format!(
            "{}から{}",
            catalog.areas.display_name(a),
            distance_label(km)
        );
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
    // A closed office says so before its (last known) phone; a new one says since when.
    let listing = listing_line(r);
    if r.closed_in().is_some() {
        push("掲載", listing.clone());
        push("番号変更後", successors(catalog, r));
    }
    push("電話", Some(phone_line(catalog, r)));
    push("別名", Some(r.aliases.join("、")));
    push("種別", Some(r.kind.label().to_string()));
    push("状態", Some(r.status.label().to_string()));
    if r.closed_in().is_none() {
        push("掲載", listing);
    }
    push("概要", Some(r.summary.clone()));
    push("内容", r.description.clone());
    push("対象", r.eligibility.clone());
    push("利用できる地域", Some(reach(catalog, r)));
    push(
        "所在地域",
        r.located_in.as_ref().map(|a| catalog.area_label(a)),
    );
    // 要確認 is said whenever the source cannot say: the detail is every field, and a clerk
    // reading an office's detail is often asking exactly that.
    push("ケアの種類", Some(care_types_value(catalog, r)));
    push("ニーズ", Some(labels(catalog, &r.needs)));
    push("ライフステージ", Some(labels(catalog, &r.life_stages)));
    push("対象者", Some(labels(catalog, &r.audiences)));
    push("運営", r.provider.clone());
    push("所管", r.administered_by.clone());
    push("連絡先", Some(contact_line(r)));
    push("FAX", r.contact.fax.as_deref().and_then(phone::display));
    push("時間", r.hours.clone());
    push("曜日別の時間", r.hours_by_day.as_ref().map(hours_by_day));
    push("定休日", r.closed_days.clone());
    push("時間の注意", r.hours_note.clone());
    push("指定サービス", designations(r));
    push("掲載を終えた指定", former_designations(r));
    // What each of them is, after them: the lines are long, and the phone, the place and the
    // care come first on a small screen.
    push("サービスの内容", service_lines(catalog, r));
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

/// A moment of saving, in local time, for the handoff slip (`2026-11-21 14:05`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// The date.
    pub date: Ymd,
    /// Hour 0–23.
    pub hour: u32,
    /// Minute 0–59.
    pub minute: u32,
}

impl Stamp {
    /// Now, in the machine's local time (UTC where it cannot be known).
    pub fn now() -> Stamp {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()) as i64;
        let local = secs + utc_offset_secs(secs);
        let in_day = local.rem_euclid(86_400);
        Stamp {
            date: Ymd::from_days(local.div_euclid(86_400)),
            hour: (in_day / 3_600) as u32,
            minute: (in_day % 3_600 / 60) as u32,
        }
    }
}

impl std::fmt::Display for Stamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d = self.date;
        write!(
            f,
            "{:04}-{:02}-{:02} {:02}:{:02}",
            d.year, d.month, d.day, self.hour, self.minute
        )
    }
}

/// The local time zone's offset from UTC at `secs` (0 where it cannot be known).
#[cfg(unix)]
fn utc_offset_secs(secs: i64) -> i64 {
    let t = secs as libc::time_t;
    // SAFETY: `localtime_r` only writes the `tm` we own; a null result leaves it unread.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let ok = unsafe { !libc::localtime_r(&t, &mut tm).is_null() };
    if ok { tm.tm_gmtoff as i64 } else { 0 }
}

#[cfg(not(unix))]
fn utc_offset_secs(_secs: i64) -> i64 {
    0
}

/// A title cut for one line of source: up to its first bracket (the rest names a part of
/// it), at most [`SHORT_TITLE_CELLS`] cells.
fn short_title(title: &str) -> String {
    let cut = title
        .char_indices()
        .find(|&(i, c)| i > 0 && matches!(c, '（' | '(' | '「'))
        .map_or(title, |(i, _)| &title[..i]);
    crate::text::width::truncate_to_width(cut.trim(), SHORT_TITLE_CELLS).into_owned()
}

/// The widest short title in [`source_summary`].
const SHORT_TITLE_CELLS: usize = 28;

/// Whether a source document is a file of the WAM NET open data (障害福祉サービス等情報公表
/// システム), which the summary names by that short name.
fn is_open_data(doc: &crate::directory::SourceDocument) -> bool {
    doc.issuer.contains("福祉医療機構") || doc.title.contains("情報公表システム")
}

/// The record's sources in one line, with absolute dates and no file names, newest first:
/// `山口県「令和6年度 市町における医療的ケア児支…」2025-03 の資料・WAM NET 2025-03`. Several
/// documents add 「ほかN件」; the open-data rows are named once, with the oldest date they
/// rely on (an office designated for 放デイ in the 2026-03 file and for 短期入所 in a file of
/// 「2024-04以前」 says `WAM NET 2024-04以前`: the card never claims a newer date than a line
/// on it can have). Saved text uses this, so it never says 「約2年前」, which is untrue a year
/// later.
pub fn source_summary(catalog: &Catalog, r: &Resource) -> String {
    let mut sources: Vec<_> = r.sources.iter().collect();
    sources.sort_by(|a, b| date_order(&b.date).cmp(&date_order(&a.date)));
    let mut docs: Vec<(&str, String)> = Vec::new();
    let mut open_data: Option<&str> = None;
    for s in sources {
        match catalog.source_document(&s.file) {
            Some(d) if is_open_data(d) => {
                // Newest first: the last one seen is the oldest.
                open_data = Some(s.date.as_str());
            }
            Some(d) => {
                if !docs.iter().any(|(f, _)| *f == s.file) {
                    let what =
                        format!("{}「{}」{} の資料", d.issuer, short_title(&d.title), s.date);
                    docs.push((s.file.as_str(), what));
                }
            }
            None => {
                if !docs.iter().any(|(f, _)| *f == s.file) {
                    docs.push((s.file.as_str(), format!("{} の資料", s.date)));
                }
            }
        }
    }
    let mut parts: Vec<String> = Vec::new();
    if let Some((_, first)) = docs.first() {
        let more = match docs.len() {
            0 | 1 => String::new(),
            n => format!("ほか{}件", n - 1),
        };
        parts.push(format!("{first}{more}"));
    }
    if let Some(date) = open_data {
        parts.push(format!("WAM NET {date}"));
    }
    if parts.is_empty() {
        "資料の記載なし".to_string()
    } else {
        parts.join("・")
    }
}

/// The area a record is in (its `located_in`), else the areas it serves: 「品川区」.
pub fn place_name(catalog: &Catalog, r: &Resource) -> String {
    match &r.located_in {
        Some(a) => catalog.area_label(a),
        None => area_names(catalog, &r.service_areas),
    }
}

/// Where it is: the address a source gives (所在地), else the area it is in or serves (地域).
fn place(catalog: &Catalog, r: &Resource) -> Field {
    match r.contact.address.as_ref().filter(|a| !a.trim().is_empty()) {
        Some(a) => Field {
            label: "所在地",
            value: a.clone(),
        },
        None => Field {
            label: "地域",
            value: place_name(catalog, r),
        },
    }
}

/// Its hours in one line — as written, or by day type — with the days it is closed.
fn hours_line(r: &Resource) -> Option<String> {
    let by_day = r
        .hours_by_day
        .as_ref()
        .map(hours_by_day)
        .filter(|h| !h.is_empty());
    let mut line = [r.hours.clone(), by_day]
        .into_iter()
        .flatten()
        .filter(|h| !h.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" / ");
    if let Some(c) = r.closed_days.as_ref().filter(|c| !c.trim().is_empty()) {
        if line.is_empty() {
            line = format!("休み {c}");
        } else {
            line.push_str(&format!("（休み {c}）"));
        }
    }
    (!line.is_empty()).then_some(line)
}

/// What the card and the slip say when a source gives no eligibility.
pub const NOT_GIVEN: &str = "資料に記載なし";

/// The read-aloud card's lines after the name, in speaking order: よみ → 電話 (or, once,
/// whom to ask) → 何をしてくれるか → 対象 → 所在地 (or 地域) → 時間 → one line of 出典 with
/// absolute dates. Everything else stays in the detail ([`fields`]). See [`card_fields_for`]
/// for the card of a call that asks about a care type.
pub fn card_fields(catalog: &Catalog, r: &Resource) -> Vec<Field> {
    card_fields_for(catalog, r, false)
}

/// [`card_fields`]; when the call asks about a care type (`care_asked`) and the record's
/// source cannot say whether it takes it, 医療的ケアの受入れ: 要確認 after 何をしてくれるか —
/// read to the caller with what the office does, so no one hangs up believing it does. A card
/// without a care type asked stays as short as it was: the detail says it always.
pub fn card_fields_for(catalog: &Catalog, r: &Resource, care_asked: bool) -> Vec<Field> {
    card_fields_asking(catalog, r, care_asked, &[])
}

/// [`card_fields_for`] for an enquiry that named service types (`asked`, サービス種別 codes):
/// an office designated for several says what each is, the one asked for first
/// ([`what_it_does`]).
pub fn card_fields_asking(
    catalog: &Catalog,
    r: &Resource,
    care_asked: bool,
    asked: &[u8],
) -> Vec<Field> {
    let mut out: Vec<Field> = closed_field(r).into_iter().collect();
    if let Some(k) = r.kana.as_ref().filter(|k| !k.is_empty()) {
        out.push(Field {
            label: "よみ",
            value: k.clone(),
        });
    }
    out.push(Field {
        label: "電話",
        value: phone_line(catalog, r),
    });
    out.extend(
        what_it_does(catalog, r, asked)
            .into_iter()
            .map(|value| Field {
                label: "何をしてくれるか",
                value,
            }),
    );
    if care_asked {
        out.extend(care_unknown_field(r));
    }
    out.push(Field {
        label: "対象",
        value: eligibility(r),
    });
    out.push(place(catalog, r));
    if let Some(h) = hours_line(r) {
        out.push(Field {
            label: "時間",
            value: h,
        });
    }
    out.push(Field {
        label: "出典",
        value: source_summary(catalog, r),
    });
    out
}

/// The 掲載 field of a closed record ([`closed_notice`]), first on its card and slip: the
/// phone after it is the last one the open data gave.
fn closed_field(r: &Resource) -> Option<Field> {
    closed_notice(r).map(|value| Field {
        label: "掲載",
        value,
    })
}

/// What the card reads for 何をしてくれるか: for an open-data office (its summary is the
/// importer's 「…の指定事業所（WAM NET）」, which says only what it is designated for), the
/// plain line of each service type the directory defines (who it is for and what it provides,
/// from the article of law), the ones `asked` first — with the type's name before each when
/// there are several; otherwise the summary as read aloud (a document's own words about a
/// curated record say more than its type). Never empty.
pub fn what_it_does(catalog: &Catalog, r: &Resource, asked: &[u8]) -> Vec<String> {
    let spoken_summary = spoken(&r.summary);
    let open_data = spoken_summary.len() < r.summary.trim_end().len();
    let types = if open_data {
        catalog.service_types_of(r, asked)
    } else {
        Vec::new()
    };
    match types.as_slice() {
        [] => vec![spoken_summary.to_string()],
        [t] => vec![t.line.clone()],
        many => many
            .iter()
            .map(|t| format!("{}: {}", t.name, t.line))
            .collect(),
    }
}

/// The detail's サービスの内容: each designated service type the directory defines, with its
/// plain line and the article it keeps to (as of the date its numbering is cited).
fn service_lines(catalog: &Catalog, r: &Resource) -> Option<String> {
    let types = catalog.service_types_of(r, &[]);
    (!types.is_empty()).then(|| {
        types
            .iter()
            .map(|t| format!("{}: {} — 根拠 {}", t.name, t.line, t.citation()))
            .collect::<Vec<_>>()
            .join(" / ")
    })
}

/// The tags that name a summary's source (…の指定事業所（WAM NET）): not read aloud — the
/// card's 出典 line says where it is from.
const SOURCE_TAGS: [&str; 1] = ["（WAM NET）"];

/// A summary as read aloud: without a source tag at its end.
fn spoken(summary: &str) -> &str {
    let s = summary.trim_end();
    SOURCE_TAGS
        .iter()
        .find_map(|t| s.strip_suffix(t))
        .map_or(s, str::trim_end)
}

fn eligibility(r: &Resource) -> String {
    r.eligibility
        .clone()
        .filter(|e| !e.trim().is_empty())
        .unwrap_or_else(|| NOT_GIVEN.to_string())
}

/// The read-aloud card as Markdown, for the card window, copy and save: the name as a title
/// and [`card_fields_for`] as bullets. Fits 10 lines at 80 columns for a typical record.
pub fn read_aloud_card(catalog: &Catalog, r: &Resource, care_asked: bool) -> String {
    read_aloud_card_asking(catalog, r, care_asked, &[])
}

/// [`read_aloud_card`] for an enquiry that named service types ([`card_fields_asking`]).
pub fn read_aloud_card_asking(
    catalog: &Catalog,
    r: &Resource,
    care_asked: bool,
    asked: &[u8],
) -> String {
    let mut s = format!("## {}\n", r.name);
    for f in card_fields_asking(catalog, r, care_asked, asked) {
        s.push_str(&format!("- {}: {}\n", f.label, f.value));
    }
    s
}

/// The handoff slip's lines for one record: 電話, 所在地 (or 地域), 時間, 対象, ID, 出典 with
/// absolute dates, and an empty メモ for the clerk's note.
fn slip_fields(catalog: &Catalog, r: &Resource) -> Vec<Field> {
    let mut out: Vec<Field> = closed_field(r).into_iter().collect();
    out.extend([
        Field {
            label: "電話",
            value: phone_line(catalog, r),
        },
        place(catalog, r),
    ]);
    if let Some(h) = hours_line(r) {
        out.push(Field {
            label: "時間",
            value: h,
        });
    }
    out.push(Field {
        label: "対象",
        value: eligibility(r),
    });
    out.push(Field {
        label: "ID",
        value: r.id.clone(),
    });
    out.push(Field {
        label: "出典",
        value: source_summary(catalog, r),
    });
    out
}

/// The form a handoff slip is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlipForm {
    /// Markdown, to paste into a record system or mail.
    Markdown,
    /// Plain text, to print.
    Plain,
}

/// One thing a clerk picks — from the results, onto a card, the shortlist and the slip: a
/// record (its catalog position), or an area's card (the area: its main window, or its city's
/// for a ward — [`area_card`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entry {
    /// A record.
    Record(usize),
    /// An area's main window.
    Area(AreaIdx),
}

/// What the state file keeps of an area's entry (`area:23100`): no record id has a colon.
const AREA_ENTRY_PREFIX: &str = "area:";

impl Entry {
    /// Its name: the record's, or the main window's (名古屋市役所), else the area's.
    pub fn name(self, catalog: &Catalog) -> String {
        match self {
            Entry::Record(r) => catalog.record(r).name.clone(),
            Entry::Area(a) => match main_window_for(&catalog.areas, a) {
                Some((_, w)) => w.name.clone(),
                None => catalog.areas.at(a).name.clone(),
            },
        }
    }

    /// Its id as kept in the state file: the record's id, or `area:` and the area's id.
    pub fn id(self, catalog: &Catalog) -> String {
        match self {
            Entry::Record(r) => catalog.record(r).id.clone(),
            Entry::Area(a) => format!("{AREA_ENTRY_PREFIX}{}", catalog.areas.at(a).id),
        }
    }

    /// The entry an id of [`Entry::id`] names in this catalog, if it still holds it.
    pub fn of_id(catalog: &Catalog, id: &str) -> Option<Entry> {
        match id.strip_prefix(AREA_ENTRY_PREFIX) {
            Some(area) => catalog.areas.index_of(area).map(Entry::Area),
            None => catalog.resource_index(id).map(Entry::Record),
        }
    }
}

/// The handoff slip's title and lines of an area's main window: 電話 with whom to ask for,
/// then the area card's fields ([`area_card`]).
fn window_slip(tree: &AreaTree, idx: AreaIdx) -> (String, Vec<Field>) {
    let Some((owner, w)) = main_window_for(tree, idx) else {
        return area_card(tree, idx);
    };
    let phone = main_window_phone(w).unwrap_or_else(|| NO_MAIN_PHONE.to_string());
    let mut fields = vec![Field {
        label: "電話",
        value: format!("{phone} — {ASK_THE_DESK}"),
    }];
    fields.extend(window_fields(tree, idx, owner, w));
    (format!("{}（代表）", w.name), fields)
}

/// The handoff slip of a call's shortlist: when it was saved, then per entry its name and
/// lines — a record's [`slip_fields`], a main window's phone and card fields — with an empty
/// 「メモ：」. No relative ages, no file names and never the search text (the enquiry is not
/// written to disk).
pub fn handoff_slip(catalog: &Catalog, entries: &[Entry], saved: Stamp, form: SlipForm) -> String {
    let mut s = String::new();
    let n = entries.len();
    match form {
        SlipForm::Markdown => {
            s.push_str("# 候補リスト（引き継ぎ用）\n\n");
            s.push_str(&format!("- 保存: {saved}\n- 件数: {n}件\n"));
        }
        SlipForm::Plain => {
            s.push_str("候補リスト（引き継ぎ用）\n");
            s.push_str(&format!("保存 {saved}　{n}件\n"));
        }
    }
    for (i, e) in entries.iter().enumerate() {
        let (name, fields) = match *e {
            Entry::Record(r) => {
                let r = catalog.record(r);
                (r.name.clone(), slip_fields(catalog, r))
            }
            Entry::Area(a) => window_slip(&catalog.areas, a),
        };
        match form {
            SlipForm::Markdown => {
                s.push_str(&format!("\n## {}. {name}\n", i + 1));
                for f in fields {
                    s.push_str(&format!("- {}: {}\n", f.label, f.value));
                }
                s.push_str("- メモ：\n");
            }
            SlipForm::Plain => {
                s.push_str(&format!("\n{}. {name}\n", i + 1));
                for f in fields {
                    s.push_str(&format!("   {}: {}\n", f.label, f.value));
                }
                s.push_str("   メモ：\n\n");
            }
        }
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

/// What an area card says where the main window's list gives no phone.
pub const NO_MAIN_PHONE: &str = "代表電話は出典の一覧にありません";

/// The attribution every area card's 出典 line ends with (CC BY 4.0 asks for the name and
/// that the data was processed).
pub const MAIN_WINDOW_CREDIT: &str =
    "出典：くらし支援ナビ（運営: JUNKBRANDING）の一覧を加工（CC BY 4.0）";

/// What a main window is called where records show their kind (施設, 相談窓口 …).
pub const MAIN_WINDOW_KIND: &str = "代表窓口";

/// What a clerk is told to ask for at a main window: its number is the municipality's main
/// line, never a department's.
pub const ASK_THE_DESK: &str = "障害福祉・子ども担当へ";

/// A main window's phone as read (national format), when its row gives one.
pub fn main_window_phone(w: &MainWindow) -> Option<String> {
    w.phone.as_deref().and_then(phone::display)
}

/// The main window as the one line a clerk reads to a caller:
/// 「名古屋市役所（代表）052-961-1111 — 障害福祉・子ども担当へ」, or with [`NO_MAIN_PHONE`] where
/// its row gives none.
pub fn main_window_line(w: &MainWindow) -> String {
    let phone = main_window_phone(w).unwrap_or_else(|| NO_MAIN_PHONE.to_string());
    format!("{}（代表）{phone} — {ASK_THE_DESK}", w.name)
}

/// The main window a caller living in area `idx` is sent to ([`AreaTree::main_window_of`]: its
/// own, or a ward's city's), with the area it belongs to.
pub fn main_window_for(tree: &AreaTree, idx: AreaIdx) -> Option<(AreaIdx, &MainWindow)> {
    let owner = tree.main_window_of(idx)?;
    Some((owner, tree.at(owner).main_window.as_ref()?))
}

/// An area card: the main window a caller living in the area is sent to
/// ([`main_window_for`]) as the one line a clerk reads to a caller ([`main_window_line`]),
/// then labelled fields: what the number is (the municipality's main line, never a
/// department's; a ward's card says it is its city's), 所在地, 時間 with closed days, サイト
/// (the row's, else the gazetteer's), 出典 with the row and its check date. An area without a
/// main window says so and gives its site when known. Raw data: callers sanitize.
pub fn area_card(tree: &AreaTree, idx: AreaIdx) -> (String, Vec<Field>) {
    let area = tree.at(idx);
    let Some((owner, w)) = main_window_for(tree, idx) else {
        let why = if area.level == AreaLevel::Municipality {
            format!("{}の代表窓口は出典の一覧にありません", area.name)
        } else {
            format!(
                "{}には代表窓口の記録がありません（市区町村の代表窓口だけを載せています）",
                area.name
            )
        };
        let mut fields = vec![];
        if let Some(url) = &area.url {
            fields.push(Field {
                label: "サイト",
                value: url.clone(),
            });
        }
        return (why, fields);
    };
    (main_window_line(w), window_fields(tree, idx, owner, w))
}

/// The fields of an area card after its line (see [`area_card`]): of `idx`'s main window `w`,
/// which is `owner`'s.
fn window_fields(tree: &AreaTree, idx: AreaIdx, owner: AreaIdx, w: &MainWindow) -> Vec<Field> {
    let (area, city) = (tree.at(idx), tree.at(owner));
    let phone = main_window_phone(w);
    let mut what = match &phone {
        Some(_) => format!("{}の代表電話（部署の番号ではありません）", city.name),
        None => format!("{}の代表窓口（部署の窓口ではありません）", city.name),
    };
    if owner != idx {
        what.push_str(&format!(
            " — {}の代表窓口は出典の一覧にないため、{}のもの",
            area.name, city.name
        ));
    }
    let mut fields = vec![Field {
        label: "種別",
        value: what,
    }];
    let place = match (&w.postal_code, &w.address) {
        (Some(z), Some(a)) => Some(format!("〒{z} {a}")),
        (None, Some(a)) => Some(a.clone()),
        _ => None,
    };
    if let Some(p) = place {
        fields.push(Field {
            label: "所在地",
            value: p,
        });
    }
    let hours = match (&w.hours, &w.closed_days) {
        (Some(h), Some(c)) => Some(format!("{h}（休み: {c}）")),
        (Some(h), None) => Some(h.clone()),
        (None, Some(c)) => Some(format!("休み: {c}")),
        (None, None) => None,
    };
    if let Some(h) = hours {
        fields.push(Field {
            label: "時間",
            value: h,
        });
    }
    if let Some(url) = w.url.as_ref().or(city.url.as_ref()) {
        fields.push(Field {
            label: "サイト",
            value: url.clone(),
        });
    }
    fields.push(Field {
        label: "出典",
        value: main_window_source(w),
    });
    fields
}

/// A main window's 出典 line: the row's source, check date and row, where the phone is from
/// when another row gives it, and the attribution the licence asks for.
fn main_window_source(w: &MainWindow) -> String {
    let mut source = format!("{}（{} 確認、{}）", w.source, w.checked, w.row);
    if let (Some(row), Some(_)) = (&w.phone_row, main_window_phone(w)) {
        let checked = w.phone_checked.as_deref().unwrap_or("確認日なし");
        source.push_str(&format!("、電話は市区町村一覧（{checked} 確認、{row}）"));
    }
    source.push_str(&format!(" — {MAIN_WINDOW_CREDIT}"));
    source
}

/// An area card as Markdown, for the card window, copy and save: the line a clerk reads as the
/// title and the fields as bullets (see [`area_card`]).
pub fn area_card_markdown(tree: &AreaTree, idx: AreaIdx) -> String {
    let (head, fields) = area_card(tree, idx);
    let mut s = format!("## {head}\n");
    for f in fields {
        s.push_str(&format!("- {}: {}\n", f.label, f.value));
    }
    s
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
        // Issue 25: a date after today was 「今月」.
        assert_eq!(
            age_in_words("9999-12", today).unwrap(),
            "今日より後の日付（誤り）"
        );
        assert_eq!(age_in_words("2024-10-16", today).unwrap(), "約2年前");
        // A file known only by when it was published: at least that old, never "about".
        assert_eq!(age_in_words("2024-04以前", today).unwrap(), "2年以上前");
        assert_eq!(age_in_words("2026-06以前", today).unwrap(), "5か月以上前");
        assert!(age_in_words("昔", today).is_none());
    }

    /// A record whose only contact is a department says, in its phone line, whom to ask and
    /// points to its municipality's official site, labelled as the municipality's; one with a
    /// phone of its own gives the number alone.
    #[test]
    fn a_department_only_contact_points_to_the_municipal_site() {
        let catalog = crate::testing::bundled();
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
        with_phone.contact.phone = Some("03-1234-5678".into());
        assert_eq!(phone_line(&catalog, &with_phone), "03-1234-5678");
    }

    /// A ward without a site in the gazetteer (浜松市中央区, created in 2024) points to its
    /// city's.
    #[test]
    fn a_ward_without_a_site_points_to_its_city_site() {
        let catalog = crate::testing::bundled();
        let mut r = catalog
            .resource("shinagawa-ikea-renrakukai")
            .unwrap()
            .clone();
        r.located_in = Some("22138".into());
        assert!(catalog.areas.get("22138").unwrap().url.is_none());
        let url = catalog.areas.get("22130").unwrap().url.clone().unwrap();
        let site = municipal_site(&catalog, &r).unwrap();
        assert!(
            site.starts_with("浜松市の公式サイト") && site.ends_with(&url),
            "{site}"
        );
    }

    /// 電話 comes right after the name (and reading) in `show`'s fields and in the card; the
    /// number is not repeated in 連絡先.
    #[test]
    fn the_phone_comes_right_after_the_name() {
        let catalog = crate::testing::bundled();
        let today = Ymd::today();
        let mut r = catalog
            .resource("shinagawa-ikea-renrakukai")
            .unwrap()
            .clone();
        r.contact.phone = Some(" 03-1234-5678 ".into());
        let f = fields(&catalog, &r, today);
        assert_eq!((f[0].label, f[1].label), ("名称", "電話"));
        assert_eq!(f[1].value, "03-1234-5678");
        assert!(
            f.iter()
                .all(|x| x.label == "電話" || !x.value.contains("03-1234"))
        );
        let card = read_aloud_card(&catalog, &r, false);
        let lines: Vec<&str> = card.lines().collect();
        assert!(lines[0].starts_with("## ") && lines[1].starts_with("- よみ: "));
        assert_eq!(lines[2], "- 電話: 03-1234-5678");
        assert!(lines.last().unwrap().starts_with("- 出典: "), "{card}");
    }

    /// The phones of other open-data rows in a note read like the phone line; the rest of
    /// the note (an address with many digits) stays as written.
    #[test]
    fn other_rows_phones_in_a_note_read_in_the_national_format() {
        for (note, shown) in [
            (
                "別の行の電話 0739472175",
                "同じ事業所の別サービスの届出電話 0739-47-2175",
            ),
            (
                "別の行の電話 0739472175、0739-45-2176 / 別の行の住所 本一色2-22-152階",
                "同じ事業所の別サービスの届出電話 0739-47-2175、0739-45-2176 / 同じ事業所の別サービスの届出住所 本一色2-22-152階",
            ),
            (
                "別の行の住所 田町0120123456",
                "同じ事業所の別サービスの届出住所 田町0120123456",
            ),
        ] {
            assert_eq!(note_beside_phone_line(note), shown, "{note}");
        }
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
        let catalog = crate::testing::bundled();
        let today = Ymd::today();
        // 柳井市's 相談支援・サービス調整: no document gives its phone and no open-data office is it.
        let mut r = catalog
            .resource("yamaguchi-yanai-consultation")
            .unwrap()
            .clone();
        for phone in [None, Some("  ".to_string())] {
            r.contact.phone = phone;
            let f = fields(&catalog, &r, today);
            assert_eq!(f[1].label, "電話");
            assert!(
                f[1].value.contains("柳井市") && f[1].value.contains("へ確認"),
                "{}",
                f[1].value
            );
            let all: String = f.iter().map(|x| x.value.as_str()).collect();
            let card = read_aloud_card(&catalog, &r, false);
            assert_eq!(all.matches("記載なし").count(), 1, "{all}");
            for text in [&all, &card] {
                assert_eq!(text.matches("へ確認").count(), 1, "{text}");
                assert_eq!(text.matches("公式サイト").count(), 1, "{text}");
            }
        }
    }

    /// Issue 26: an open-data office's 何をしてくれるか is what its types are (the one asked
    /// first), its detail gives each with its article; a curated record keeps its document's
    /// words on the card even when linked to an office.
    #[test]
    fn what_an_office_does_is_what_its_types_are() {
        let catalog = crate::testing::bundled();
        let yanai = catalog.resource("wam-3515200222").unwrap();
        let (care, stay) = (
            &catalog.service_type(21).unwrap().line,
            &catalog.service_type(24).unwrap().line,
        );
        assert_eq!(
            what_it_does(&catalog, yanai, &[]),
            [format!("療養介護: {care}"), format!("短期入所: {stay}")]
        );
        assert_eq!(
            what_it_does(&catalog, yanai, &[24, 63]),
            [format!("短期入所: {stay}"), format!("療養介護: {care}")]
        );
        let detail = service_lines(&catalog, yanai).unwrap();
        assert!(
            detail.contains(&format!(
                "短期入所: {stay} — 根拠 障害者総合支援法 第5条第8項（2024-04-01 時点）"
            )),
            "{detail}"
        );
        let curated = catalog
            .resource("yamaguchi-iwakuni-shogaisha-service-center")
            .unwrap();
        assert!(!curated.designations.is_empty());
        assert_eq!(
            what_it_does(&catalog, curated, &[65]),
            [curated.summary.as_str()]
        );
    }

    /// A curated record joined with its open-data office names that office where it says
    /// which data it comes from.
    #[test]
    fn a_linked_record_names_its_open_data_office() {
        let catalog = crate::testing::bundled();
        let r = catalog.resource("yamaguchi-tachibanaen-soudan").unwrap();
        let line = layer_line(&catalog, r).unwrap();
        assert!(
            line.starts_with("data/curated.json") && line.contains("wam-3535700110"),
            "{line}"
        );
        let other = catalog.resource("yamaguchi-hofu-hananoura").unwrap();
        assert!(!layer_line(&catalog, other).unwrap().contains("公開データ"));
    }

    /// Issue 13's acceptance: the card of 岩国市障害者サービスセンター at 80 columns shows
    /// its name, phone, 対象 and one dated source line — naming both the document and the
    /// open data — within 10 lines, with no file names and no relative ages.
    #[test]
    fn the_iwakuni_card_fits_ten_lines_at_80_columns() {
        let catalog = crate::testing::bundled();
        let r = catalog
            .resource("yamaguchi-iwakuni-shogaisha-service-center")
            .unwrap();
        let card = read_aloud_card(&catalog, r, false);
        let wrapped: Vec<String> = card
            .lines()
            .flat_map(|l| crate::text::width::wrap_to_width(l, 78))
            .collect();
        assert!(wrapped.len() <= 10, "{}", wrapped.join("\n"));
        assert!(
            card.starts_with("## 岩国市障害者サービスセンター\n"),
            "{card}"
        );
        // The office's newest row (放課後等デイサービス, 2026-03) gives the phone; its 相談 rows' number
        // is in the detail as another row's phone.
        assert!(card.contains("- 電話: 0827-43-2377\n"), "{card}");
        assert!(card.contains("- 対象: 資料に記載なし\n"), "{card}");
        let source = card.lines().find(|l| l.starts_with("- 出典: ")).unwrap();
        assert!(
            source.contains("山口県「令和6年度 市町における医療…」"),
            "{source}"
        );
        assert!(
            source.contains("2025-03 の資料・WAM NET 2025-03"),
            "{source}"
        );
        assert_eq!(card.matches("出典").count(), 1, "{card}");
        for bad in [".txt", ".csv", "年前", "か月前"] {
            assert!(!card.contains(bad), "{bad} in {card}");
        }
    }

    #[test]
    fn source_summaries_name_documents_once_with_absolute_dates() {
        let catalog = crate::testing::bundled();
        let piccolo = catalog.resource("shinagawa-piccolo").unwrap();
        assert_eq!(
            source_summary(&catalog, piccolo),
            "品川区 福祉部障害者支援課「医療的ケア児等支援関係機関…」2024-10-16 の資料"
        );
        let mut none = piccolo.clone();
        none.sources.clear();
        assert_eq!(source_summary(&catalog, &none), "資料の記載なし");
        let mut unknown = piccolo.clone();
        unknown.sources[0].file = "mine.xlsx".into();
        assert_eq!(source_summary(&catalog, &unknown), "2024-10-16 の資料");
    }

    /// The slip: saved time, per record name, phone, place, 対象, id, dated source and an
    /// empty メモ; nothing relative, no file names; Markdown and plain text say the same.
    #[test]
    fn the_handoff_slip_has_what_the_next_person_needs() {
        let catalog = crate::testing::bundled();
        let recs = [
            catalog.resource("shinagawa-piccolo").unwrap(),
            catalog
                .resource("yamaguchi-iwakuni-shogaisha-service-center")
                .unwrap(),
        ];
        let at = Stamp {
            date: Ymd {
                year: 2026,
                month: 11,
                day: 21,
            },
            hour: 9,
            minute: 5,
        };
        for form in [SlipForm::Markdown, SlipForm::Plain] {
            let entries: Vec<Entry> = recs
                .iter()
                .map(|r| Entry::Record(catalog.resource_index(&r.id).unwrap()))
                .collect();
            let slip = handoff_slip(&catalog, &entries, at, form);
            assert!(slip.contains("2026-11-21 09:05"), "{slip}");
            for want in [
                "1. 重症心身障害者通所事業所ピッコロ",
                "2. 岩国市障害者サービスセンター",
                "電話: 0827-43-2377",
                "所在地: 山口県岩国市岩国4丁目2番20号",
                "地域: 品川区",
                "時間: 平日 14:00-17:15（休み ",
                "対象: 在宅の重症心身障害者",
                "ID: shinagawa-piccolo",
                "ID: yamaguchi-iwakuni-shogaisha-service-center",
                "2024-10-16 の資料",
            ] {
                assert!(slip.contains(want), "{want} not in {slip}");
            }
            assert_eq!(slip.matches("メモ：").count(), 2, "{slip}");
            for bad in [".txt", ".csv", "年前", "か月前", "今月"] {
                assert!(!slip.contains(bad), "{bad} in {slip}");
            }
        }
    }

    /// Every main window's phone, wherever it is shown (the card's line, the list, the slip,
    /// F8), is the number its source row gives — the same digits, only grouped — so the data
    /// check that each stored phone occurs in its committed row (`tests/it/gazetteer.rs`)
    /// covers what a clerk reads out.
    #[test]
    fn a_main_windows_phone_as_shown_is_the_stored_number() {
        let catalog = crate::testing::bundled();
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
        let mut shown = 0;
        for (i, a) in catalog.areas.areas().iter().enumerate() {
            let Some(w) = &a.main_window else { continue };
            let (head, _) = area_card(&catalog.areas, i);
            match (&w.phone, main_window_phone(w)) {
                (Some(stored), Some(display)) => {
                    assert_eq!(digits(stored), digits(&display), "{}", a.name);
                    assert!(head.contains(&display), "{head}");
                    shown += 1;
                }
                (None, None) => assert!(head.contains(NO_MAIN_PHONE), "{head}"),
                other => panic!("{}: {other:?}", a.name),
            }
        }
        assert_eq!(shown, 1186);
    }
}
