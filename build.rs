//! Compresses the bundled open-data layer for embedding. `data/wamnet.json` stays plain,
//! reviewable JSON in the repository (~50 MB); the binary and every test binary carry it as
//! zstd (~4 MB), decompressed once when the index cache is built (`src/directory/load.rs`).

use std::path::PathBuf;

/// zstd level: 9 packs the layer to ~8 % in under a second; 19 gains a fifth more for a
/// minute of every clean build.
const LEVEL: i32 = 9;

fn main() {
    let src = "data/wamnet.json";
    println!("cargo:rerun-if-changed={src}");
    println!("cargo:rerun-if-changed=build.rs");
    let bytes = std::fs::read(src).unwrap_or_else(|e| panic!("{src}: {e}"));
    let packed = zstd::bulk::compress(&bytes, LEVEL).unwrap_or_else(|e| panic!("{src}: {e}"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    std::fs::write(out.join("wamnet.json.zst"), packed).expect("write wamnet.json.zst");
    // A Rust literal, `include!`d as the unpacked size.
    std::fs::write(out.join("wamnet.json.len"), format!("{}usize", bytes.len()))
        .expect("write wamnet.json.len");
}
