//! The links between curated records and open-data offices (`data/links.json`), made by
//! `ikenavi import links` and applied at load by [`crate::directory::links`].
//!
//! # The rule
//!
//! A curated record of kind `facility` or `consultation` (never a council, subsidy, programme
//! or information page) is linked to an office when
//!
//! 1. **the names meet**: a [`match_key`] of the record's name or one of its aliases equals a
//!    key of the office's name. Keys are the search normalization (NFKC, lowercase, katakana →
//!    hiragana, ー → vowel, small kana folded) without spaces, ・ and quotes; besides the full
//!    name, a record's key may drop a leading name of one of its own municipalities (aliases
//!    such as 「柳井市 たちばな園相談支援事業所」) or a leading corporation (社会福祉法人…, its
//!    `provider`); an office's key may drop its own corporation. A source's typo is met through
//!    the record's aliases (たんぼぼ → 「地域生活支援センターたんぽぽ」).
//!    Weak keys — an alias shorter than the name (「たんぽぽ」 for 地域生活支援センターたんぼぼ)
//!    or a key without the generic affix 相談支援事業所 — link only an office of the same kind;
//! 2. **in the same municipality**: the office's `located_in` is the record's `located_in` or
//!    one of its `service_areas` — a municipality or a ward, or a ward of a 政令市 the record
//!    names. Never across municipalities, and never by a prefecture or region alone;
//! 3. **one office**: every office meeting 1 and 2 is the same office (same name and address
//!    after normalization); two different ones are *ambiguous* and go to review, unlinked. An
//!    office claimed by two records links neither.
//!
//! Names that meet only outside the record's municipalities (through a weak key: only offices
//! of the same kind), or only through a weak key with an office of another kind, are listed in
//! `review` too, so a person can see what was left out.
//! The output depends only on the inputs: records in file order, links and review sorted.

use std::collections::{BTreeMap, HashMap};

use crate::directory::links::{Candidate, LINKS_SCHEMA_VERSION, Link, LinkFile, ReviewItem};
use crate::directory::model::{AreaLevel, Resource, ResourceKind};
use crate::directory::{AreaIdx, AreaTree};
use crate::text::normalize::normalize;

/// What the links file says about itself.
pub const TITLE: &str = "資料の記録とオープンデータ（WAM NET）の事業所の対応";

/// The rule, as written into the file.
pub const RULE: &str = "正規化した名称（NFKC・かな・長音・空白・中黒を揃え、別名・市区町村名・法人名の前置きも見る）が一致し、事業所の所在市区町村が記録の located_in か service_areas（政令市ならその区を含む）であるもののみ。同じ市区町村に別の事業所が複数ある場合は結ばずに review へ";

/// A record left for review, with why and the offices its name met (one hit each, by id).
fn review_item(r: &Resource, reason: &str, hits: Vec<Hit>, offices: &[Resource]) -> ReviewItem {
    let mut candidates: Vec<Candidate> = best_per_office(hits)
        .iter()
        .map(|h| candidate(&offices[h.office]))
        .collect();
    candidates.sort_by(|a, b| a.office.cmp(&b.office));
    ReviewItem {
        curated: r.id.clone(),
        curated_name: r.name.clone(),
        reason: reason.to_string(),
        candidates,
    }
}

/// The review reason of a record whose name meets only offices that left the open data.
pub const CLOSED_ONLY: &str = "名称の合う事業所は公開データにありません（掲載終了: 廃止・休止・移転の可能性）— 結んでいません";

/// Corporation forms that may precede an office's name (in [`match_key`] form on use).
const CORPORATIONS: &[&str] = &[
    "社会福祉法人",
    "(社福)",
    "(福)",
    "社福",
    "一般社団法人",
    "(一社)",
    "一般財団法人",
    "公益社団法人",
    "公益財団法人",
    "特定非営利活動法人",
    "(特非)",
    "npo法人",
    "社会医療法人",
    "医療法人社団",
    "医療法人財団",
    "医療法人",
    "(医)",
    "株式会社",
    "(株)",
    "有限会社",
    "(有)",
    "合同会社",
    "地方独立行政法人",
    "独立行政法人",
];

/// Generic affixes whose removal makes a weak key.
const GENERIC_AFFIXES: &[&str] = &["相談支援事業所"];

/// Shortest key that may link (in characters).
const MIN_KEY_CHARS: usize = 2;

/// Whether `key` may name one office: long enough, and not a bare generic word or
/// corporation form (an office 「オフィスサプライ相談支援事業所」 without its corporation is just
/// 「相談支援事業所」).
fn distinctive(key: &str) -> bool {
    key.chars().count() >= MIN_KEY_CHARS
        && !GENERIC_AFFIXES
            .iter()
            .chain(CORPORATIONS)
            .any(|g| match_key(g) == key)
}

/// The form names are compared in: [`normalize`] without whitespace, 中黒 and quotes.
///
/// ```
/// use ikenavi::import::links::match_key;
/// assert_eq!(match_key("相談支援事業所　フェニックス"), match_key("相談支援事業所フェニックス"));
/// assert_eq!(match_key("ほっとすペース"), match_key("ほっとすぺーす"));
/// ```
pub fn match_key(s: &str) -> String {
    normalize(s)
        .chars()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '・' | '･' | '「' | '」' | '『' | '』' | '"' | '\'' | '“' | '”'
                )
        })
        .collect()
}

/// One way a name can be compared.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    /// The compared form.
    key: String,
    /// The name as written it came from.
    text: String,
    /// How it was derived, in Japanese (for `rule`).
    how: String,
    /// Shortened or generic: links only an office of the same kind.
    weak: bool,
}

/// `key` without a leading corporation form and then the corporation's own name, when either
/// is there.
fn without_corporation(key: &str, providers: &[String]) -> Option<(String, String)> {
    let mut rest = key;
    let mut dropped = String::new();
    if let Some(form) = CORPORATIONS
        .iter()
        .map(|c| match_key(c))
        .filter(|c| rest.starts_with(c.as_str()))
        .max_by_key(String::len)
    {
        rest = &rest[form.len()..];
        dropped.push_str(&form);
    }
    if let Some(p) = providers
        .iter()
        .filter(|p| p.chars().count() >= MIN_KEY_CHARS && rest.starts_with(p.as_str()))
        .max_by_key(|p| p.len())
    {
        rest = &rest[p.len()..];
        dropped.push_str(p);
    }
    (!dropped.is_empty() && rest.chars().count() >= MIN_KEY_CHARS)
        .then(|| (rest.to_string(), dropped))
}

/// The provider's name in key form, with and without its corporation form.
fn provider_keys(provider: Option<&str>) -> Vec<String> {
    let Some(p) = provider else {
        return Vec::new();
    };
    let full = match_key(p);
    let mut out = vec![full.clone()];
    if let Some((core, _)) = without_corporation(&full, &[]) {
        out.push(core);
    }
    out
}

/// `key` without a leading or trailing generic affix.
fn without_generic(key: &str) -> Option<(String, &'static str)> {
    GENERIC_AFFIXES.iter().find_map(|a| {
        let a_key = match_key(a);
        let rest = key
            .strip_prefix(a_key.as_str())
            .or_else(|| key.strip_suffix(a_key.as_str()))?;
        (rest.chars().count() >= MIN_KEY_CHARS).then(|| (rest.to_string(), *a))
    })
}

/// The keys of a curated record: its name and aliases, each also without a leading name of
/// one of its municipalities, without a leading corporation, and without a generic affix.
fn record_keys(r: &Resource, areas: &AreaTree, allowed: &[AreaIdx]) -> Vec<Key> {
    let name_len = match_key(&r.name).chars().count();
    let providers = provider_keys(r.provider.as_deref());
    let places: Vec<(String, String)> = allowed
        .iter()
        .flat_map(|&a| {
            let area = areas.at(a);
            std::iter::once(area.name.clone()).chain(area.aliases.iter().cloned())
        })
        .map(|n| (match_key(&n), n))
        .filter(|(k, _)| !k.is_empty())
        .collect();
    let mut out: Vec<Key> = Vec::new();
    let mut push = |key: String, text: &str, how: String, weak: bool| {
        if distinctive(&key) && !out.iter().any(|k| k.key == key) {
            out.push(Key {
                key,
                text: text.to_string(),
                how,
                weak,
            });
        }
    };
    let texts = std::iter::once((r.name.as_str(), "名称"))
        .chain(r.aliases.iter().map(|a| (a.as_str(), "別名")));
    for (text, what) in texts {
        let full = match_key(text);
        let shortened = |k: &str| k.chars().count() < name_len;
        push(full.clone(), text, what.to_string(), shortened(&full));
        let mut bases = vec![(full.clone(), what.to_string())];
        if let Some((place, rest)) = places
            .iter()
            .filter(|(k, _)| full.starts_with(k.as_str()) && full.len() > k.len())
            .max_by_key(|(k, _)| k.len())
            .map(|(k, n)| (n.clone(), full[k.len()..].to_string()))
            .filter(|(_, rest)| rest.chars().count() >= MIN_KEY_CHARS)
        {
            let how = format!("{what}から市区町村名「{place}」を除く");
            push(rest.clone(), text, how.clone(), shortened(&rest));
            bases.push((rest, how));
        }
        for (base, how) in bases.clone() {
            if let Some((rest, dropped)) = without_corporation(&base, &providers) {
                let how = format!("{how}・法人名「{dropped}」を除く");
                push(rest.clone(), text, how.clone(), shortened(&rest));
                bases.push((rest, how));
            }
        }
        for (base, how) in bases {
            if let Some((rest, affix)) = without_generic(&base) {
                push(rest, text, format!("{how}・「{affix}」を除く"), true);
            }
        }
    }
    out
}

/// The keys of an office's name: as written, without its corporation, without a generic affix.
fn office_keys(o: &Resource) -> Vec<Key> {
    let full = match_key(&o.name);
    let mut out = vec![Key {
        key: full.clone(),
        text: o.name.clone(),
        how: "事業所名".into(),
        weak: false,
    }];
    let mut bases = vec![(full.clone(), "事業所名".to_string())];
    if let Some((rest, dropped)) = without_corporation(&full, &provider_keys(o.provider.as_deref()))
    {
        let how = format!("事業所名から法人名「{dropped}」を除く");
        out.push(Key {
            key: rest.clone(),
            text: o.name.clone(),
            how: how.clone(),
            weak: false,
        });
        bases.push((rest, how));
    }
    for (base, how) in bases {
        if let Some((rest, affix)) = without_generic(&base) {
            out.push(Key {
                key: rest,
                text: o.name.clone(),
                how: format!("{how}から「{affix}」を除く"),
                weak: true,
            });
        }
    }
    out.retain(|k| distinctive(&k.key));
    out.dedup_by(|a, b| a.key == b.key);
    out
}

/// The municipalities and wards a record names (its `located_in` and `service_areas`).
fn record_places(r: &Resource, areas: &AreaTree) -> Vec<AreaIdx> {
    let mut out: Vec<AreaIdx> = r
        .located_in
        .iter()
        .chain(&r.service_areas)
        .filter_map(|id| areas.index_of(id))
        .filter(|&i| matches!(areas.at(i).level, AreaLevel::Municipality | AreaLevel::Ward))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether an office located in `office_area` is in one of `places` (a ward counts as inside
/// its 政令市).
fn inside(areas: &AreaTree, office_area: Option<&str>, places: &[AreaIdx]) -> bool {
    let Some(o) = office_area.and_then(|id| areas.index_of(id)) else {
        return false;
    };
    if places.contains(&o) {
        return true;
    }
    areas.at(o).level == AreaLevel::Ward && areas.parent(o).is_some_and(|p| places.contains(&p))
}

/// A matched office with how the names met.
#[derive(Debug, Clone)]
struct Hit {
    office: usize,
    record_key: Key,
    office_key: Key,
}

impl Hit {
    fn weak(&self) -> bool {
        self.record_key.weak || self.office_key.weak
    }
}

/// Whether a curated record's kind is one that an office can be.
fn linkable(kind: ResourceKind) -> bool {
    matches!(kind, ResourceKind::Facility | ResourceKind::Consultation)
}

/// The offices by every key of their names.
struct OfficeIndex<'a> {
    offices: &'a [Resource],
    by_key: HashMap<String, Vec<(usize, Key)>>,
}

impl<'a> OfficeIndex<'a> {
    /// The offices that are listed (`listed`) or closed (`!listed`, see
    /// [`Resource::is_listed`]).
    fn new(offices: &'a [Resource], listed: bool) -> Self {
        let mut by_key: HashMap<String, Vec<(usize, Key)>> = HashMap::new();
        let kept = offices.iter().enumerate();
        for (i, o) in kept.filter(|(_, o)| o.is_listed() == listed) {
            for k in office_keys(o) {
                by_key.entry(k.key.clone()).or_default().push((i, k));
            }
        }
        OfficeIndex { offices, by_key }
    }
}

/// The offices whose name meets a record's, sorted by where they are.
#[derive(Default)]
struct Hits {
    /// In the record's municipalities, linkable.
    near: Vec<Hit>,
    /// Outside them (weak keys: same kind only).
    far: Vec<Hit>,
    /// In them, but only through a weak key and of another kind.
    other_kind: Vec<Hit>,
}

/// Every office whose name meets one of the record's keys, sorted by where it is.
fn hits_for(r: &Resource, areas: &AreaTree, index: &OfficeIndex<'_>) -> Hits {
    let places = record_places(r, areas);
    let mut hits = Hits::default();
    for rk in record_keys(r, areas, &places) {
        for (o, ok) in index.by_key.get(&rk.key).into_iter().flatten() {
            let hit = Hit {
                office: *o,
                record_key: rk.clone(),
                office_key: ok.clone(),
            };
            let office = &index.offices[*o];
            if !inside(areas, office.located_in.as_deref(), &places) {
                if !hit.weak() || office.kind == r.kind {
                    hits.far.push(hit);
                }
            } else if hit.weak() && office.kind != r.kind {
                hits.other_kind.push(hit);
            } else {
                hits.near.push(hit);
            }
        }
    }
    hits.near = best_per_office(std::mem::take(&mut hits.near));
    hits
}

/// What becomes of one record: its links, or why it is left for review.
enum Decision {
    Link(Vec<Hit>),
    Review(&'static str, Vec<Hit>),
    Nothing,
}

/// One office (every near hit is the same office: same name and address) → link; several →
/// ambiguous; none → review what met elsewhere, if anything.
fn decide(hits: Hits, offices: &[Resource]) -> Decision {
    let same_office = |h: &Hit| {
        let o = &offices[h.office];
        (
            match_key(&o.name),
            o.contact.address.as_deref().map(match_key),
        )
    };
    let distinct: BTreeMap<_, ()> = hits.near.iter().map(|h| (same_office(h), ())).collect();
    match distinct.len() {
        0 if !hits.other_kind.is_empty() => Decision::Review(
            "短い別名・一般的な語を除いた名称でのみ一致し、事業所の種別が記録と異なる",
            hits.other_kind,
        ),
        0 if !hits.far.is_empty() => Decision::Review(
            "同じ名称の事業所は記録の市区町村（located_in・service_areas）の外にのみある",
            hits.far,
        ),
        0 => Decision::Nothing,
        1 => Decision::Link(hits.near),
        _ => Decision::Review(
            "記録の市区町村に名称の一致する別々の事業所が複数ある（あいまい）",
            hits.near,
        ),
    }
}

/// Makes the links between `curated` and `offices` (see the module documentation).
/// `curated_file` and `offices_file` are written into the file as given.
pub fn make_links(
    areas: &AreaTree,
    curated: &[Resource],
    offices: &[Resource],
    curated_file: &str,
    offices_file: &str,
) -> LinkFile {
    let index = OfficeIndex::new(offices, true);
    // Closed offices (no longer in the open data) are never linked; a record whose name meets
    // only closed ones in its municipality goes to review, so that a link whose office closed
    // is seen, not dropped silently.
    let closed = OfficeIndex::new(offices, false);
    let mut links: Vec<Link> = Vec::new();
    let mut review: Vec<ReviewItem> = Vec::new();
    for r in curated.iter().filter(|r| linkable(r.kind)) {
        match decide(hits_for(r, areas, &index), offices) {
            Decision::Link(hits) => {
                links.extend(hits.iter().map(|h| link(areas, r, &offices[h.office], h)));
            }
            Decision::Review(reason, hits) => {
                review.push(review_item(r, reason, hits, offices));
            }
            Decision::Nothing => {
                let gone = hits_for(r, areas, &closed).near;
                if !gone.is_empty() {
                    review.push(review_item(r, CLOSED_ONLY, gone, offices));
                }
            }
        }
    }
    drop_shared_offices(&mut links, &mut review, offices);
    links.sort_by(|a, b| (&a.curated, &a.office).cmp(&(&b.curated, &b.office)));
    review.sort_by(|a, b| (&a.curated, &a.reason).cmp(&(&b.curated, &b.reason)));
    LinkFile {
        schema_version: LINKS_SCHEMA_VERSION,
        title: TITLE.into(),
        rule: RULE.into(),
        curated: curated_file.into(),
        offices: offices_file.into(),
        links,
        review,
    }
}

/// One hit per office: the first strong one, else the first (keys are generated name first).
fn best_per_office(hits: Vec<Hit>) -> Vec<Hit> {
    let mut best: BTreeMap<usize, Hit> = BTreeMap::new();
    for h in hits {
        match best.get(&h.office) {
            Some(b) if !b.weak() || h.weak() => {}
            _ => {
                best.insert(h.office, h);
            }
        }
    }
    best.into_values().collect()
}

fn candidate(o: &Resource) -> Candidate {
    Candidate {
        office: o.id.clone(),
        name: o.name.clone(),
        municipality: o.located_in.clone(),
        address: o.contact.address.clone(),
    }
}

fn link(areas: &AreaTree, r: &Resource, o: &Resource, h: &Hit) -> Link {
    let muni = o.located_in.clone().unwrap_or_default();
    let muni_name = areas
        .index_of(&muni)
        .map_or_else(|| muni.clone(), |i| areas.full_name(i));
    Link {
        curated: r.id.clone(),
        office: o.id.clone(),
        curated_name: r.name.clone(),
        office_name: o.name.clone(),
        matched: h.record_key.text.clone(),
        municipality: muni,
        municipality_name: muni_name,
        rule: format!(
            "{}＝{}（正規化して一致）・同じ市区町村",
            h.record_key.how, h.office_key.how
        ),
    }
}

/// An office that two records would link: neither is linked; both go to review.
fn drop_shared_offices(links: &mut Vec<Link>, review: &mut Vec<ReviewItem>, offices: &[Resource]) {
    let mut claims: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for l in links.iter() {
        claims
            .entry(l.office.clone())
            .or_default()
            .push(l.curated.clone());
    }
    let shared: BTreeMap<&String, &Vec<String>> =
        claims.iter().filter(|(_, c)| c.len() > 1).collect();
    if shared.is_empty() {
        return;
    }
    let by_id: HashMap<&str, &Resource> = offices.iter().map(|o| (o.id.as_str(), o)).collect();
    links.retain(|l| {
        if !shared.contains_key(&l.office) {
            return true;
        }
        review.push(ReviewItem {
            curated: l.curated.clone(),
            curated_name: l.curated_name.clone(),
            reason: format!(
                "同じ事業所を複数の記録（{}）が名乗る",
                shared[&l.office].join("・")
            ),
            candidates: by_id
                .get(l.office.as_str())
                .map(|o| vec![candidate(o)])
                .unwrap_or_default(),
        });
        false
    });
}

/// The file as written: pretty JSON (two-space indent) with a trailing newline.
pub fn render(file: &LinkFile) -> Result<String, serde_json::Error> {
    let mut s = serde_json::to_string_pretty(file)?;
    s.push('\n');
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::model::Area;

    fn area(id: &str, name: &str, level: AreaLevel, parent: &str) -> Area {
        Area {
            id: id.into(),
            name: name.into(),
            kana: String::new(),
            level,
            parent: (!parent.is_empty()).then(|| parent.into()),
            aliases: vec![],
            note: None,
            code: None,
            location: None,
            url: None,
            main_window: None,
        }
    }

    fn tree() -> AreaTree {
        use AreaLevel::*;
        AreaTree::new(&[
            area("jp", "全国", Country, ""),
            area("13", "東京都", Prefecture, "jp"),
            area("13109", "品川区", Municipality, "13"),
            area("13115", "杉並区", Municipality, "13"),
            area("27", "大阪府", Prefecture, "jp"),
            area("27204", "池田市", Municipality, "27"),
            area("27100", "大阪市", Municipality, "27"),
            area("27127", "大阪市北区", Ward, "27100"),
            area("35", "山口県", Prefecture, "jp"),
            area("35-yanai", "柳井圏域", Region, "35"),
            area("35212", "柳井市", Municipality, "35-yanai"),
            area("35305", "周防大島町", Municipality, "35-yanai"),
            area("35343", "田布施町", Municipality, "35-yanai"),
        ])
    }

    fn res(
        id: &str,
        name: &str,
        kind: &str,
        at: &str,
        areas: &[&str],
        aliases: &[&str],
    ) -> Resource {
        serde_json::from_value(serde_json::json!({
            "id": id, "name": name, "kind": kind, "summary": "", "aliases": aliases,
            "located_in": at, "service_areas": areas, "status": "active",
            "contact": {"address": format!("{at} {id}")},
            "sources": [],
        }))
        .unwrap()
    }

    #[test]
    fn match_keys_fold_what_sources_write_differently() {
        let cases = [
            ("相談支援事業所　フェニックス", "相談支援事業所フェニックス"),
            ("はあとm＋M新山口", "はあとm+M新山口"),
            ("相談支援事業所Ｒｅｉｋａ", "相談支援事業所reika"),
            (
                "萩市障害者生活支援センターほっとすぺーす",
                "萩市障害者生活支援センター ほっとすペース",
            ),
            (
                "パーソナル・ファミリー・サポート",
                "パーソナルファミリーサポート",
            ),
            (
                "児童発達支援事業所「たんぽぽ」",
                "児童発達支援事業所たんぽぽ",
            ),
        ];
        for (a, b) in cases {
            assert_eq!(match_key(a), match_key(b), "{a} / {b}");
        }
        // The typo is not folded away: only the record's alias meets it.
        assert_ne!(match_key("たんぼぼ"), match_key("たんぽぽ"));
    }

    #[test]
    fn affixes_come_off_only_where_they_are() {
        // (key, providers, expected rest)
        let cases: &[(&str, &[&str], Option<&str>)] = &[
            (
                "社会福祉法人山口県社会福祉事業団たちばな園",
                &["山口県社会福祉事業団"],
                Some("たちばな園"),
            ),
            (
                "山口県社会福祉事業団たちばな園",
                &["山口県社会福祉事業団"],
                Some("たちばな園"),
            ),
            (
                "(社福)全国重症心身障害児(者)を守る会",
                &[],
                Some("全国重症心身障害児(者)を守る会"),
            ),
            ("たちばな園", &["山口県社会福祉事業団"], None),
            ("社会福祉法人", &[], None),
        ];
        for (key, providers, want) in cases {
            let p: Vec<String> = providers.iter().map(|p| match_key(p)).collect();
            let got = without_corporation(&match_key(key), &p).map(|(r, _)| r);
            assert_eq!(got, want.map(match_key), "{key}");
        }
        assert_eq!(
            without_generic(&match_key("キーツ相談支援事業所")).map(|(r, _)| r),
            Some(match_key("キーツ"))
        );
        assert_eq!(without_generic(&match_key("相談支援事業所")), None);
        // An office whose name is its corporation plus a generic word has no distinctive key
        // without the corporation.
        let mut o = res(
            "wam-1",
            "オフィスサプライ相談支援事業所",
            "consultation",
            "13118",
            &["13118"],
            &[],
        );
        o.provider = Some("株式会社オフィスサプライ".into());
        let keys: Vec<String> = office_keys(&o).into_iter().map(|k| k.key).collect();
        assert_eq!(
            keys,
            [
                match_key("オフィスサプライ相談支援事業所"),
                match_key("オフィスサプライ")
            ]
        );
    }

    /// Issue 28, item 5: an office that left the open data is never linked; its renumbered
    /// successor of the same name is, and a record whose name meets only closed offices is
    /// in review, not dropped silently.
    #[test]
    fn closed_offices_are_not_linked_and_a_record_left_with_only_them_is_reviewed() {
        let t = tree();
        let record = res("c", "もみじ", "facility", "13109", &["13109"], &[]);
        let mut gone = res("wam-1", "もみじ", "facility", "13109", &["13109"], &[]);
        gone.status = crate::directory::model::Status::Closed;
        let now = res("wam-9", "もみじ", "facility", "13109", &["13109"], &[]);
        let f = make_links(
            &t,
            std::slice::from_ref(&record),
            &[gone.clone(), now],
            "c.json",
            "o.json",
        );
        let linked: Vec<&str> = f.links.iter().map(|l| l.office.as_str()).collect();
        assert_eq!(linked, ["wam-9"]);
        assert!(f.review.is_empty(), "{:?}", f.review);
        let f = make_links(&t, &[record], &[gone], "c.json", "o.json");
        assert!(f.links.is_empty());
        assert_eq!(f.review.len(), 1);
        assert_eq!(f.review[0].reason, CLOSED_ONLY);
        assert_eq!(f.review[0].candidates[0].office, "wam-1");
    }

    /// (curated record, offices, expected linked office ids, expected review reasons)
    #[test]
    fn links_need_the_same_name_in_the_same_municipality_and_one_office() {
        let t = tree();
        type Case<'a> = (Resource, Vec<Resource>, &'a [&'a str], usize);
        let cases: Vec<Case<'_>> = vec![
            // Same name, an office in a municipality the record serves (not its located_in).
            (
                res(
                    "tachibana",
                    "たちばな園相談支援事業所",
                    "consultation",
                    "35212",
                    &["35212", "35305"],
                    &["柳井市 たちばな園相談支援事業所"],
                ),
                vec![res(
                    "wam-1",
                    "たちばな園相談支援事業所",
                    "consultation",
                    "35305",
                    &["35305"],
                    &[],
                )],
                &["wam-1"],
                0,
            ),
            // The typo met through an alias.
            (
                res(
                    "tanbobo",
                    "地域生活支援センターたんぼぼ",
                    "consultation",
                    "35212",
                    &["35212", "35343"],
                    &["地域生活支援センターたんぽぽ", "たんぽぽ"],
                ),
                vec![
                    res(
                        "wam-2",
                        "地域生活支援センターたんぽぽ",
                        "consultation",
                        "35343",
                        &["35343"],
                        &[],
                    ),
                    res("wam-3", "たんぽぽ", "facility", "27204", &["27204"], &[]),
                ],
                &["wam-2"],
                0,
            ),
            // Same name in another ward: never linked, listed for review.
            (
                res(
                    "fukuha",
                    "福は家相談室品川",
                    "consultation",
                    "13109",
                    &["13109"],
                    &["福は家相談室"],
                ),
                vec![res(
                    "wam-4",
                    "福は家相談室",
                    "consultation",
                    "13115",
                    &["13115"],
                    &[],
                )],
                &[],
                1,
            ),
            // A short alias that meets an office of another city.
            (
                res(
                    "aozora",
                    "児童発達支援あおぞら",
                    "facility",
                    "35212",
                    &["35212"],
                    &["あおぞら"],
                ),
                vec![res(
                    "wam-5",
                    "あおぞら",
                    "facility",
                    "27204",
                    &["27204"],
                    &[],
                )],
                &[],
                1,
            ),
            // A short alias that meets an office of another kind in the same city: review.
            (
                res(
                    "happy",
                    "はっぴーはうす相談支援事業所",
                    "consultation",
                    "35212",
                    &["35212"],
                    &["はっぴーはうす"],
                ),
                vec![res(
                    "wam-6",
                    "はっぴーはうす",
                    "facility",
                    "35212",
                    &["35212"],
                    &[],
                )],
                &[],
                1,
            ),
            // Two different offices of that name in the city: ambiguous.
            (
                res("amb", "ひまわり", "facility", "35212", &["35212"], &[]),
                vec![
                    res("wam-7", "ひまわり", "facility", "35212", &["35212"], &[]),
                    res("wam-8", "ひまわり", "facility", "35212", &["35212"], &[]),
                ],
                &[],
                1,
            ),
            // A ward of a city the record names is inside it.
            (
                res(
                    "osaka",
                    "北区センター",
                    "facility",
                    "27100",
                    &["27100"],
                    &[],
                ),
                vec![res(
                    "wam-9",
                    "北区センター",
                    "facility",
                    "27127",
                    &["27127"],
                    &[],
                )],
                &["wam-9"],
                0,
            ),
            // A prefecture-wide record links nothing.
            (
                res("pref", "県センター", "consultation", "35", &["35"], &[]),
                vec![res(
                    "wam-10",
                    "県センター",
                    "consultation",
                    "35212",
                    &["35212"],
                    &[],
                )],
                &[],
                1,
            ),
            // Not an office: a council never links.
            (
                res(
                    "council",
                    "柳井圏域協議会",
                    "council",
                    "35212",
                    &["35212"],
                    &[],
                ),
                vec![res(
                    "wam-11",
                    "柳井圏域協議会",
                    "consultation",
                    "35212",
                    &["35212"],
                    &[],
                )],
                &[],
                0,
            ),
        ];
        for (record, offices, want, reviews) in cases {
            let id = record.id.clone();
            let f = make_links(&t, std::slice::from_ref(&record), &offices, "c", "o");
            let got: Vec<&str> = f.links.iter().map(|l| l.office.as_str()).collect();
            assert_eq!(got, want, "{id}: {:?}", f.review);
            assert_eq!(f.review.len(), reviews, "{id}: {:?}", f.review);
        }
    }

    #[test]
    fn an_office_two_records_claim_links_neither() {
        let t = tree();
        let a = res("a", "ひかり", "facility", "35212", &["35212"], &[]);
        let b = res(
            "b",
            "ひかり園",
            "facility",
            "35212",
            &["35212"],
            &["ひかり"],
        );
        let o = res("wam-1", "ひかり", "facility", "35212", &["35212"], &[]);
        let f = make_links(&t, &[a, b], &[o], "c", "o");
        assert!(f.links.is_empty(), "{:?}", f.links);
        assert_eq!(f.review.len(), 2);
    }
}
