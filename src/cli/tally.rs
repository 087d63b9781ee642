//! `ikenavi tally [FILE...]`: the enquiry tally's counts ([`crate::tally`]) for a council
//! paper (Markdown), Excel (CSV) or tools (JSON). With no file, the tally of this PC (the
//! state directory's `tally.jsonl`); files given — one per clerk's PC — are counted together.
//! Lines that cannot be read are named on stderr (`file:line` and why) and left out; a file
//! that cannot be read at all is an error. Group ids are named from the directory (area
//! names with their prefecture, care and need labels, service type names).

use std::io::Write;
use std::path::PathBuf;

use super::{CliError, CliResult, Outcome, open_catalog};
use crate::directory::{Catalog, DataSource};
use crate::tally::{self, By, Parsed};
use crate::text::sanitize::sanitize_lines_for_terminal;

/// How `tally` writes the counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TallyFormat {
    /// A table and a text bar chart.
    Markdown,
    /// CSV for Excel (UTF-8 with a BOM).
    Csv,
    /// JSON.
    Json,
}

/// What `tally` was asked.
#[derive(Debug, Clone)]
pub struct TallyArgs {
    /// Tally files (none: this PC's).
    pub files: Vec<PathBuf>,
    /// `--since YYYY-MM-DD`.
    pub since: Option<String>,
    /// `--until YYYY-MM-DD`.
    pub until: Option<String>,
    /// `--by`.
    pub by: By,
    /// `--format`.
    pub format: TallyFormat,
}

/// `tally`: see the module doc.
pub fn tally(data: &DataSource, args: &TallyArgs, out: &mut impl Write) -> CliResult {
    let day = |flag: &str, value: &Option<String>| match value.as_deref() {
        None => Ok(None),
        Some(v) => tally::parse_day(v).map(Some).ok_or_else(|| {
            Outcome::Usage(format!(
                "{flag} の「{v}」は日付ではありません（YYYY-MM-DD で。例: 2026-04-01）"
            ))
        }),
    };
    let since = match day("--since", &args.since) {
        Ok(d) => d,
        Err(usage) => return Ok(usage),
    };
    let until = match day("--until", &args.until) {
        Ok(d) => d,
        Err(usage) => return Ok(usage),
    };
    if let (Some(s), Some(u)) = (since, until)
        && s > u
    {
        return Ok(Outcome::Usage(
            "--since が --until より後です（期間が空になります）".into(),
        ));
    }
    let parsed = match read_files(&args.files)? {
        Some(p) => p,
        None => return Ok(Outcome::Usage(
            "集計のファイルの場所がありません（HOME が未設定）。ファイルを指定してください: ikenavi tally FILE"
                .into(),
        )),
    };
    for s in &parsed.skipped {
        eprintln!(
            "ikenavi tally: {}",
            sanitize_lines_for_terminal(&s.to_string())
        );
    }
    let catalog = open_catalog(data)?;
    let report = tally::aggregate(&parsed.enquiries, args.by, since, until);
    let names = |by: By, key: &str| name(&catalog, by, key);
    match args.format {
        TallyFormat::Markdown => out.write_all(report.to_markdown(&names).as_bytes())?,
        TallyFormat::Csv => {
            let bytes = report.to_csv(&names).map_err(std::io::Error::from)?;
            out.write_all(&bytes)?;
        }
        TallyFormat::Json => out.write_all(report.to_json(&names).as_bytes())?,
    }
    Ok(Outcome::Ok)
}

/// The enquiries of the files given, or of this PC's tally (`None`: there is no state
/// directory to look in). This PC's file not there yet is no enquiry, said on stderr.
fn read_files(files: &[PathBuf]) -> Result<Option<Parsed>, CliError> {
    let mut parsed = Parsed::default();
    if files.is_empty() {
        let Some(path) = tally::default_path() else {
            return Ok(None);
        };
        match tally::read(&path) {
            Ok(p) => parsed = p,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => eprintln!(
                "ikenavi tally: まだ集計がありません（{}）。対話画面を tally = true（config.toml）か --tally で使うと記録されます",
                sanitize_lines_for_terminal(&path.display().to_string())
            ),
            Err(source) => {
                return Err(CliError::Read {
                    path: path.display().to_string(),
                    source,
                });
            }
        }
        return Ok(Some(parsed));
    }
    for f in files {
        let p = tally::read(f).map_err(|source| CliError::Read {
            path: f.display().to_string(),
            source,
        })?;
        parsed.extend(p);
    }
    Ok(Some(parsed))
}

/// A group id as people read it: 山口県和木町, 人工呼吸器, 短期入所, 2026-12; an id the
/// directory does not know, as it is.
fn name(catalog: &Catalog, by: By, key: &str) -> String {
    match by {
        By::Area => catalog
            .areas
            .index_of(key)
            .map_or_else(|| key.to_string(), |a| catalog.areas.full_name(a)),
        By::Need | By::Care => catalog.label_of(key).to_string(),
        By::Service => key
            .parse::<u8>()
            .ok()
            .and_then(crate::search::services::official_name)
            .map_or_else(|| key.to_string(), str::to_string),
        By::Month => key.to_string(),
    }
}
