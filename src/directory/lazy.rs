//! Records read from the on-disk cache one at a time, where they lie: the records file
//! (postcard, back to back) and a table of where each record starts and what its id is, both
//! memory-mapped. Opening 200k records reads a few bytes of each file; a record is decoded
//! the first time it is shown or ranked.
//!
//! The table, all numbers little-endian: `n` (u64); `n + 1` record offsets (u64, the last is
//! the records file's length); `n + 1` ends of ids (u32, from 0) in the id bytes that follow;
//! the ids, UTF-8, back to back.

use std::io::Write;
use std::sync::OnceLock;

use super::model::*;
use crate::lazycells::LazyCells;

/// Bytes that stay where they are (a memory map, or a `Vec` in tests).
pub type Bytes = Box<dyn AsRef<[u8]> + Send + Sync>;

/// Records decoded on demand from a records file and its table.
pub struct LazyRecords {
    records: Bytes,
    table: Bytes,
    len: usize,
    cells: LazyCells<Box<Resource>>,
    all: OnceLock<Vec<Resource>>,
}

impl std::fmt::Debug for LazyRecords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LazyRecords")
            .field("records", &self.len)
            .finish()
    }
}

/// Why a records file and its table do not belong together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TableMismatch(&'static str);

const COUNT: usize = 8;
const OFFSET: usize = 8;
const ID_END: usize = 4;

impl LazyRecords {
    /// The records of `records` listed in `table` (see the module doc), after checking that
    /// their sizes agree. A record whose bytes were damaged in place fails to decode when it is
    /// first used and shows as unreadable (hashing the files at every start would cost more
    /// than the rest of a warm start).
    pub fn new(records: Bytes, table: Bytes) -> Result<Self, TableMismatch> {
        let table_len = (*table).as_ref().len();
        let n = (*table)
            .as_ref()
            .get(..COUNT)
            .map(|b| u64::from_le_bytes(b.try_into().unwrap_or_default()))
            .ok_or(TableMismatch("record table is truncated"))?;
        let n = usize::try_from(n).map_err(|_| TableMismatch("record table is corrupt"))?;
        let fixed = n
            .checked_add(1)
            .and_then(|m| m.checked_mul(OFFSET + ID_END))
            .and_then(|b| b.checked_add(COUNT))
            .filter(|&b| b <= table_len)
            .ok_or(TableMismatch("record table is truncated"))?;
        let lazy = LazyRecords {
            records,
            table,
            len: n,
            cells: LazyCells::new(n),
            all: OnceLock::new(),
        };
        if lazy.offset(n) != (*lazy.records).as_ref().len() as u64 {
            return Err(TableMismatch("records do not match their table"));
        }
        if fixed + lazy.id_end(n) != table_len {
            return Err(TableMismatch("record ids do not match their table"));
        }
        Ok(lazy)
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn table(&self) -> &[u8] {
        (*self.table).as_ref()
    }

    /// Where record `i` starts in the records file (`i == len` gives its end).
    fn offset(&self, i: usize) -> u64 {
        let at = COUNT + i * OFFSET;
        self.table()
            .get(at..at + OFFSET)
            .map_or(0, |b| u64::from_le_bytes(b.try_into().unwrap_or_default()))
    }

    /// Where id `i` starts in the id bytes (`i == len` gives their end).
    fn id_end(&self, i: usize) -> usize {
        let at = COUNT + (self.len + 1) * OFFSET + i * ID_END;
        self.table().get(at..at + ID_END).map_or(0, |b| {
            u32::from_le_bytes(b.try_into().unwrap_or_default()) as usize
        })
    }

    /// The id of record `i` (empty if `i` is out of range or the table is damaged).
    pub fn id(&self, i: usize) -> &str {
        if i >= self.len {
            return "";
        }
        let base = COUNT + (self.len + 1) * (OFFSET + ID_END);
        let (start, end) = (self.id_end(i), self.id_end(i + 1));
        self.table()
            .get(base + start..base + end)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    /// Record `i`, decoded on first use.
    ///
    /// # Panics
    /// If `i >= len()`, like slice indexing.
    pub fn record(&self, i: usize) -> &Resource {
        match self.cells.get_or_init(i, || Box::new(self.decode(i))) {
            Some(r) => r,
            None => panic!("record {i} out of range ({} records)", self.len),
        }
    }

    /// Every record, decoded.
    pub fn all(&self) -> &[Resource] {
        self.all
            .get_or_init(|| (0..self.len).map(|i| self.record(i).clone()).collect())
    }

    fn decode(&self, i: usize) -> Resource {
        let bytes = (*self.records).as_ref();
        let (start, end) = (self.offset(i) as usize, self.offset(i + 1) as usize);
        bytes
            .get(start..end)
            .and_then(|b| postcard::from_bytes::<Resource>(b).ok())
            .unwrap_or_else(|| unreadable(self.id(i).to_string()))
    }
}

/// Writes the table of records whose encodings end at `offsets[1..]` (`offsets[0]` is 0), with
/// their `ids`, as [`LazyRecords::new`] reads it.
pub fn write_table(out: &mut impl Write, offsets: &[u64], ids: &[String]) -> std::io::Result<()> {
    let n = ids.len();
    if offsets.len() != n + 1 {
        return Err(std::io::Error::other("one offset more than ids is needed"));
    }
    out.write_all(&(n as u64).to_le_bytes())?;
    for o in offsets {
        out.write_all(&o.to_le_bytes())?;
    }
    let mut end: u32 = 0;
    out.write_all(&end.to_le_bytes())?;
    for id in ids {
        end = u32::try_from(id.len())
            .ok()
            .and_then(|l| end.checked_add(l))
            .ok_or_else(|| std::io::Error::other("record ids exceed 4 GB"))?;
        out.write_all(&end.to_le_bytes())?;
    }
    for id in ids {
        out.write_all(id.as_bytes())?;
    }
    Ok(())
}

/// Stands in for a record the cache could not decode (a cache file damaged in place); the UI
/// shows it rather than crashing, and deleting the cache directory rebuilds it.
fn unreadable(id: String) -> Resource {
    Resource {
        id,
        name: "（キャッシュから読めない記録 — ikenavi を再起動してください）".into(),
        kana: None,
        aliases: vec![],
        kind: ResourceKind::Information,
        summary: String::new(),
        description: None,
        provider: None,
        administered_by: None,
        located_in: None,
        service_areas: vec![],
        needs: vec![],
        care_types: vec![],
        life_stages: vec![],
        audiences: vec![],
        eligibility: None,
        capacity: None,
        hours: None,
        fees: None,
        how_to_apply: None,
        contact: Contact::default(),
        location: None,
        office_numbers: vec![],
        designations: vec![],
        former_designations: Vec::new(),
        former_ids: Vec::new(),
        hours_by_day: None,
        closed_days: None,
        hours_note: None,
        provider_kana: None,
        status: Status::Ended,
        since: None,
        figures: vec![],
        sources: vec![],
        verified_as_of: None,
        related: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(ids: &[&str]) -> (Vec<u8>, Vec<u8>) {
        let mut records = Vec::new();
        let mut offsets = vec![0u64];
        for id in ids {
            let mut r = unreadable(id.to_string());
            r.name = format!("{id}の名前");
            records.extend(postcard::to_stdvec(&r).unwrap());
            offsets.push(records.len() as u64);
        }
        let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
        let mut table = Vec::new();
        write_table(&mut table, &offsets, &ids).unwrap();
        (records, table)
    }

    #[test]
    fn records_and_ids_read_back_in_place() {
        let (records, table) = encoded(&["a", "事業所-1", ""]);
        let lazy = LazyRecords::new(Box::new(records), Box::new(table)).unwrap();
        assert_eq!(lazy.len(), 3);
        assert_eq!(lazy.id(1), "事業所-1");
        assert_eq!(lazy.record(1).name, "事業所-1の名前");
        assert_eq!(lazy.id(2), "");
        assert_eq!(lazy.id(3), "", "out of range");
        assert_eq!(lazy.all().len(), 3);
    }

    #[test]
    fn a_table_that_does_not_fit_its_records_is_refused() {
        let (records, table) = encoded(&["a", "b"]);
        let shorter = records[..records.len() - 1].to_vec();
        assert!(LazyRecords::new(Box::new(shorter), Box::new(table.clone())).is_err());
        let truncated = table[..table.len() - 1].to_vec();
        assert!(LazyRecords::new(Box::new(records.clone()), Box::new(truncated)).is_err());
        assert!(LazyRecords::new(Box::new(records), Box::new(vec![0xff; 8])).is_err());
    }

    #[test]
    fn a_record_damaged_in_place_shows_as_unreadable_with_its_id() {
        let (mut records, table) = encoded(&["a", "b"]);
        let last = records.len() - 1;
        records[..last].fill(0xff);
        let lazy = LazyRecords::new(Box::new(records), Box::new(table)).unwrap();
        assert!(lazy.record(0).name.contains("読めない"));
        assert_eq!(lazy.record(0).id, "a");
    }
}
