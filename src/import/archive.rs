//! The CSV files inside a downloaded zip (WAM NET publishes each service type as
//! `sfkopendata_YYYYMM_NN.zip` holding one `csvdownload0NN.csv`), unpacked with a limit: a zip
//! lies about its sizes, so what is unpacked is counted, not trusted.

use std::io::{Cursor, Read};

/// The most a zip may unpack to, all entries together (the largest WAM NET file is ~20 MB).
pub const UNPACKED_LIMIT: u64 = 256 << 20;

/// Every `*.csv` entry (any case, in any folder of the zip) as `(file name, bytes)`, in the
/// zip's order. `Err` says in Japanese why the zip cannot be used: not a zip, an entry that
/// cannot be unpacked, more than [`UNPACKED_LIMIT`], or no CSV inside.
pub fn csv_entries(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    let bad = |e: zip::result::ZipError| format!("zip として読めません: {e}");
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(bad)?;
    let mut out = Vec::new();
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(bad)?;
        let path = entry
            .name()
            .map_or_else(|_| format!("#{i}"), |n| n.to_string());
        let name = path
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or_default()
            .to_string();
        if entry.is_dir() || !name.to_ascii_lowercase().ends_with(".csv") {
            continue;
        }
        let mut data = Vec::new();
        let left = UNPACKED_LIMIT.saturating_sub(total);
        entry
            .take(left + 1)
            .read_to_end(&mut data)
            .map_err(|e| format!("{path} を展開できません: {e}"))?;
        total += data.len() as u64;
        if total > UNPACKED_LIMIT {
            return Err(format!(
                "展開すると {} MB をこえます（{path} で上限）",
                UNPACKED_LIMIT >> 20
            ));
        }
        out.push((name, data));
    }
    if out.is_empty() {
        return Err("CSV ファイルが入っていません".into());
    }
    Ok(out)
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
        assert!(
            csv_entries(b"PK\x03\x04junk")
                .unwrap_err()
                .contains("zip として読めません")
        );
        let none = zip_of(&[("readme.txt", b"x")]);
        assert!(
            csv_entries(&none)
                .unwrap_err()
                .contains("CSV ファイルが入っていません")
        );
    }
}
