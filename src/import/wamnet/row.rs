//! The 29 columns of a WAM NET file, found by header name, and one typed [`Row`] per line.
//!
//! Headers are matched after NFKC with whitespace removed, so `事業所住所（市区町村）` and
//! `事業所住所(市区町村)` meet and the order of the columns does not matter. The columns the
//! record's identity and contact come from are required ([`REQUIRED`]); a file without one of
//! them is an error naming the file and the header. Other columns may be missing (their values
//! are then empty).
//!
//! A line becomes a [`Row`] when it has as many fields as the header, is not entirely empty,
//! and has a 10-digit 事業所番号 and a name; otherwise it is a [`RowProblem`] that the report
//! lists with its line. Bad *cells* (phone, URL, coordinates, 定員) do not reject the row: the
//! value is dropped and a [`CellProblem`] is reported.

use unicode_normalization::UnicodeNormalization;

use super::fields::{self, url::UrlCell};

/// The columns, in the order of the published files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Col {
    Authority,
    No,
    AuthorityName,
    Provider,
    ProviderKana,
    CorporateNumber,
    ProviderMunicipality,
    ProviderStreet,
    ProviderPhone,
    ProviderFax,
    ProviderUrl,
    ServiceType,
    Name,
    NameKana,
    OfficeNumber,
    Municipality,
    Street,
    Phone,
    Fax,
    Url,
    Lat,
    Lng,
    HoursWeekday,
    HoursSaturday,
    HoursSunday,
    HoursHoliday,
    ClosedDays,
    Notes,
    Capacity,
}

/// Header text of each column, in [`Col`] order.
pub const HEADERS: [(Col, &str); 29] = [
    (Col::Authority, "都道府県コード又は市区町村コード"),
    (Col::No, "NO（※システム内の固有の番号、連番）"),
    (Col::AuthorityName, "指定機関名"),
    (Col::Provider, "法人の名称"),
    (Col::ProviderKana, "法人の名称_かな"),
    (Col::CorporateNumber, "法人番号"),
    (Col::ProviderMunicipality, "法人住所（市区町村）"),
    (Col::ProviderStreet, "法人住所（番地以降）"),
    (Col::ProviderPhone, "法人電話番号"),
    (Col::ProviderFax, "法人FAX番号"),
    (Col::ProviderUrl, "法人URL"),
    (Col::ServiceType, "サービス種別"),
    (Col::Name, "事業所の名称"),
    (Col::NameKana, "事業所の名称_かな"),
    (Col::OfficeNumber, "事業所番号"),
    (Col::Municipality, "事業所住所（市区町村）"),
    (Col::Street, "事業所住所（番地以降）"),
    (Col::Phone, "事業所電話番号"),
    (Col::Fax, "事業所FAX番号"),
    (Col::Url, "事業所URL"),
    (Col::Lat, "事業所緯度"),
    (Col::Lng, "事業所経度"),
    (Col::HoursWeekday, "利用可能な時間帯（平日）"),
    (Col::HoursSaturday, "利用可能な時間帯（土曜）"),
    (Col::HoursSunday, "利用可能な時間帯（日曜）"),
    (Col::HoursHoliday, "利用可能な時間帯（祝日）"),
    (Col::ClosedDays, "定休日"),
    (Col::Notes, "利用可能曜日特記事項（留意事項）"),
    (Col::Capacity, "定員"),
];

/// Columns without which a file is not a WAM NET office list.
pub const REQUIRED: [Col; 6] = [
    Col::ServiceType,
    Col::Name,
    Col::OfficeNumber,
    Col::Municipality,
    Col::Street,
    Col::Phone,
];

fn header_key(s: &str) -> String {
    s.nfkc()
        .filter(|c| !c.is_whitespace() && *c != '\u{feff}')
        .collect()
}

/// Where each column is in one file.
#[derive(Debug, Clone)]
pub struct Columns {
    index: [Option<usize>; 29],
    width: usize,
}

impl Columns {
    /// Finds the columns in a header record; `Err(header)` names the first required one missing.
    pub fn find(header: &csv::StringRecord) -> Result<Columns, &'static str> {
        let keys: Vec<String> = header.iter().map(header_key).collect();
        let mut index = [None; 29];
        for (slot, (_, name)) in index.iter_mut().zip(HEADERS.iter()) {
            let k = header_key(name);
            *slot = keys.iter().position(|h| *h == k);
        }
        for col in REQUIRED {
            if index[col as usize].is_none() {
                return Err(HEADERS[col as usize].1);
            }
        }
        Ok(Columns {
            index,
            width: header.len(),
        })
    }

    /// Number of fields every line must have.
    pub fn width(&self) -> usize {
        self.width
    }

    fn get<'r>(&self, rec: &'r csv::StringRecord, col: Col) -> &'r str {
        self.index[col as usize]
            .and_then(|i| rec.get(i))
            .unwrap_or("")
    }
}

/// Hours per day type, as written.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Hours {
    /// 平日.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weekday: Option<String>,
    /// 土曜.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saturday: Option<String>,
    /// 日曜.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sunday: Option<String>,
    /// 祝日.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holiday: Option<String>,
}

impl Hours {
    /// No day type has hours.
    pub fn is_empty(&self) -> bool {
        self.weekday.is_none()
            && self.saturday.is_none()
            && self.sunday.is_none()
            && self.holiday.is_none()
    }
}

/// One office line, typed and cleaned.
#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based line in the file where the record starts.
    pub line: u64,
    /// 10 digits.
    pub office_number: String,
    pub name: String,
    pub name_kana: Option<String>,
    pub provider: Option<String>,
    pub provider_kana: Option<String>,
    pub corporate_number: Option<String>,
    /// サービス種別 as written (trimmed).
    pub service_type: Option<String>,
    /// 事業所住所（市区町村）, NFKC, whitespace removed.
    pub municipality: Option<String>,
    /// 市区町村 + 番地以降, NFKC.
    pub address: Option<String>,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub url: Option<String>,
    pub location: Option<(f64, f64)>,
    pub hours: Hours,
    pub closed_days: Option<String>,
    pub notes: Option<String>,
    pub capacity: Option<u32>,
}

/// Why a line is not a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// Line of the record.
    pub line: u64,
    /// Why.
    pub reason: String,
}

/// A cell dropped from a row that was kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellProblem {
    /// The column's header.
    pub column: &'static str,
    /// Why, with the cell's text.
    pub reason: String,
    /// The URL kept when only part of the cell was dropped.
    pub kept: Option<String>,
}

/// A line turned into a row, with what was dropped from it.
#[derive(Debug)]
pub struct Parsed {
    pub row: Row,
    pub dropped: Vec<CellProblem>,
    /// The 事業所番号 had lost its leading zeros.
    pub padded_number: bool,
}

/// Types one record (see the module documentation).
pub fn parse(cols: &Columns, rec: &csv::StringRecord, line: u64) -> Result<Parsed, RowProblem> {
    let problem = |reason: String| RowProblem { line, reason };
    if rec.len() != cols.width() {
        return Err(problem(format!(
            "列の数が {}（見出しの行は {}列）",
            rec.len(),
            cols.width()
        )));
    }
    if rec.iter().all(|c| fields::clean(c).is_empty()) {
        return Err(problem("空の行です".into()));
    }
    let get = |c: Col| cols.get(rec, c);
    let (office_number, padded_number) =
        fields::office_number(get(Col::OfficeNumber)).map_err(problem)?;
    let name =
        fields::text(get(Col::Name)).ok_or_else(|| problem("事業所の名称が空です".into()))?;
    let municipality = Some(fields::clean(get(Col::Municipality)).replace(char::is_whitespace, ""))
        .filter(|m| !m.is_empty());
    let street = fields::clean(get(Col::Street));
    let address = match (&municipality, street.is_empty()) {
        (Some(m), false) => Some(format!("{m}{street}")),
        (Some(m), true) => Some(m.clone()),
        (None, false) => Some(street),
        (None, true) => None,
    };
    let mut dropped = Vec::new();
    let row = Row {
        line,
        office_number,
        name,
        name_kana: fields::text(get(Col::NameKana)),
        provider: fields::text(get(Col::Provider)),
        provider_kana: fields::text(get(Col::ProviderKana)),
        corporate_number: Some(fields::clean(get(Col::CorporateNumber))).filter(|s| !s.is_empty()),
        service_type: fields::text(get(Col::ServiceType)),
        municipality,
        address,
        phone: keep(&mut dropped, Col::Phone, fields::phone(get(Col::Phone))),
        fax: keep(&mut dropped, Col::Fax, fields::phone(get(Col::Fax))),
        url: url(&mut dropped, get(Col::Url)),
        location: keep(
            &mut dropped,
            Col::Lat,
            fields::coordinates(get(Col::Lat), get(Col::Lng)),
        ),
        hours: Hours {
            weekday: hours(&mut dropped, Col::HoursWeekday, get(Col::HoursWeekday)),
            saturday: hours(&mut dropped, Col::HoursSaturday, get(Col::HoursSaturday)),
            sunday: hours(&mut dropped, Col::HoursSunday, get(Col::HoursSunday)),
            holiday: hours(&mut dropped, Col::HoursHoliday, get(Col::HoursHoliday)),
        },
        closed_days: fields::text(get(Col::ClosedDays)),
        notes: fields::text(get(Col::Notes)),
        capacity: keep(
            &mut dropped,
            Col::Capacity,
            fields::capacity(get(Col::Capacity)),
        ),
    };
    Ok(Parsed {
        row,
        dropped,
        padded_number,
    })
}

fn hours(dropped: &mut Vec<CellProblem>, col: Col, cell: &str) -> Option<String> {
    keep(dropped, col, fields::hours(cell))
}

fn header(col: Col) -> &'static str {
    HEADERS[col as usize].1
}

fn keep<T>(dropped: &mut Vec<CellProblem>, col: Col, r: Result<Option<T>, String>) -> Option<T> {
    r.unwrap_or_else(|reason| {
        let column = if col == Col::Lat {
            "事業所緯度・経度"
        } else {
            header(col)
        };
        dropped.push(CellProblem {
            column,
            reason,
            kept: None,
        });
        None
    })
}

fn url(dropped: &mut Vec<CellProblem>, cell: &str) -> Option<String> {
    let column = header(Col::Url);
    match fields::url::url_cell(cell) {
        UrlCell::Empty => None,
        UrlCell::Clean(u) => Some(u),
        UrlCell::Partial { url, dropped: rest } => {
            let reason = format!("URL の横の文字を除きました: 「{rest}」");
            dropped.push(CellProblem {
                column,
                reason,
                kept: Some(url.clone()),
            });
            Some(url)
        }
        UrlCell::Rejected(reason) => {
            dropped.push(CellProblem {
                column,
                reason,
                kept: None,
            });
            None
        }
    }
}
