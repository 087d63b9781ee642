//! Zip files from the outside world, unpacked with a limit: a zip lies about its sizes, so
//! what is unpacked is counted, not trusted. An .xlsx is a zip (`import table` checks it here
//! before calamine reads it), and WAM NET publishes each service type as
//! `sfkopendata_YYYYMM_NN.zip` holding one `csvdownload0NN.csv` (`import wamnet` reads it here).

use std::io::{Cursor, Read};

/// The most a WAM NET download may unpack to, all entries together (the largest file is
/// ~20 MB).
pub const UNPACKED_LIMIT: u64 = 256 << 20;

/// Why a zip cannot be used, in Japanese.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// Not a zip, or its directory is broken.
    #[error("zip として読めません（{}）", zip_reason(.0))]
    NotZip(zip::result::ZipError),
    /// An entry cannot be unpacked.
    #[error(
        "{entry} を展開できません（{}）",
        crate::fsutil::io_reason(source, crate::fsutil::Access::Read)
    )]
    Entry {
        /// The entry's path in the zip.
        entry: String,
        /// What reading it said.
        source: std::io::Error,
    },
    /// The entries unpack to more than the limit.
    #[error("展開すると {limit_mb} MB をこえます（zip 爆弾のおそれ。{entry} で上限）")]
    TooLarge {
        /// The entry at which the limit was passed.
        entry: String,
        /// The limit, MB.
        limit_mb: u64,
    },
    /// No entry is what was looked for.
    #[error("CSV ファイルが入っていません")]
    NoCsv,
}

/// What the zip library said, in Japanese: the file is not a zip, is cut short or broken,
/// or uses what this reader does not (encryption, an unusual compression).
fn zip_reason(e: &zip::result::ZipError) -> String {
    use zip::result::ZipError as Z;
    match e {
        Z::Io(io) => crate::fsutil::io_reason(io, crate::fsutil::Access::Read),
        Z::InvalidArchive(_) => {
            "zip の形になっていないか、途中で切れています（ダウンロードし直してください）".into()
        }
        Z::UnsupportedArchive(_) | Z::CompressionMethodNotSupported(_) => {
            "この zip の形式（圧縮方式など）には対応していません".into()
        }
        Z::InvalidPassword => "パスワード付きの zip には対応していません".into(),
        Z::FileNotFound => "zip の中に必要なファイルがありません".into(),
        other => format!(
            "予期しないエラーです（{}）",
            crate::text::sanitize::sanitize_for_terminal(&other.to_string())
        ),
    }
}

/// Unpacks every entry, all together at most `limit` bytes: the entries whose path `keep`
/// accepts are returned as `(path, bytes)` in the zip's order, the others only counted.
pub fn unpack(
    bytes: &[u8],
    limit: u64,
    keep: impl Fn(&str) -> bool,
) -> Result<Vec<(String, Vec<u8>)>, ArchiveError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(ArchiveError::NotZip)?;
    let mut out = Vec::new();
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(ArchiveError::NotZip)?;
        let path = entry
            .name()
            .map_or_else(|_| format!("#{i}"), |n| n.to_string());
        let wanted = !entry.is_dir() && keep(&path);
        let left = limit.saturating_sub(total);
        let mut limited = entry.take(left + 1);
        let unpacked = if wanted {
            let mut data = Vec::new();
            limited.read_to_end(&mut data).map(|_| Some(data))
        } else {
            std::io::copy(&mut limited, &mut std::io::sink()).map(|_| None)
        };
        let unpacked = unpacked.map_err(|source| ArchiveError::Entry {
            entry: path.clone(),
            source,
        })?;
        // What `take` let through: the entry's size, or one byte over what was left.
        total += left + 1 - limited.limit();
        if total > limit {
            return Err(ArchiveError::TooLarge {
                entry: path,
                limit_mb: limit >> 20,
            });
        }
        if let Some(data) = unpacked {
            out.push((path, data));
        }
    }
    Ok(out)
}

/// Every `*.csv` entry (any case, in any folder of the zip) as `(file name, bytes)`, in the
/// zip's order, at most [`UNPACKED_LIMIT`] unpacked.
pub fn csv_entries(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, ArchiveError> {
    let file_name = |path: &str| {
        path.rsplit(['/', '\\'])
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let csv = unpack(bytes, UNPACKED_LIMIT, |path| {
        file_name(path).to_ascii_lowercase().ends_with(".csv")
    })?;
    if csv.is_empty() {
        return Err(ArchiveError::NoCsv);
    }
    Ok(csv.into_iter().map(|(p, b)| (file_name(&p), b)).collect())
}
#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap();
        buf.into_inner()
    }

    #[test]
    fn the_csv_inside_a_download() {
        let z = zip_of(&[
            ("readme.txt", b"x"),
            ("dl/csvdownload065.CSV", b"a,b\n1,2\n"),
        ]);
        let got = csv_entries(&z).unwrap();
        assert_eq!(
            got,
            vec![("csvdownload065.CSV".to_string(), b"a,b\n1,2\n".to_vec())]
        );
    }

    #[test]
    fn what_cannot_be_used_is_said() {
        let said = |bytes: &[u8]| csv_entries(bytes).unwrap_err().to_string();
        assert!(said(b"PK\x03\x04junk").contains("zip として読めません"));
        // In Japanese, not the library's English (「invalid Zip archive: Could not find EOCD」).
        let junk = said(b"junk");
        assert!(junk.contains("途中で切れています"), "{junk}");
        assert!(!junk.is_ascii() && !junk.contains("invalid"), "{junk}");
        let none = zip_of(&[("readme.txt", b"x")]);
        assert_eq!(said(&none), "CSV ファイルが入っていません");
        // Counted, not trusted: the entry that passes the limit is named.
        let big = zip_of(&[("a.csv", &[b'x'; 100]), ("b.csv", &[b'y'; 100])]);
        assert!(matches!(
            unpack(&big, 150, |_| true),
            Err(ArchiveError::TooLarge { entry, .. }) if entry == "b.csv"
        ));
        assert_eq!(unpack(&big, 200, |p| p == "b.csv").unwrap().len(), 1);
    }
}
