//! Time and peak memory of the WAM NET import:
//! `cargo run --release --example wamnet_measure -- data/sources/wamnet-2025-03/*.csv`
//! (no gazetteer here: every municipality is reported as unresolved).

use std::time::Instant;

use ikenavi::import::wamnet::{self, ImportOptions};

fn main() -> anyhow::Result<()> {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let mut files = Vec::new();
    for p in &paths {
        files.push((p.clone(), std::fs::read(p)?));
    }
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let start = Instant::now();
    let imp = wamnet::import(
        &refs,
        &ImportOptions {
            as_of: "2025-03".into(),
            ..Default::default()
        },
        &|_| None,
    )?;
    let took = start.elapsed();
    let json = serde_json::to_string(&imp.records)?;
    let hwm = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(str::to_string)
        })
        .unwrap_or_default();
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    println!(
        "{} files, {bytes} bytes, import {took:?}, records JSON {} bytes; {hwm}",
        files.len(),
        json.len()
    );
    println!("{}", imp.report.summary());
    Ok(())
}
