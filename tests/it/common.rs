//! Helpers shared by the integration tests: the binary under test run in an isolated
//! environment (no user config, no `IKENAVI_DATA`), and the fixtures' paths.
#![allow(dead_code)] // each test module uses a different subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `ikenavi` binary built for this test run.
pub const BIN: &str = env!("CARGO_BIN_EXE_ikenavi");

/// A command for the binary that ignores the developer's own setup: no `IKENAVI_DATA`, and
/// config and state dirs that do not exist (so a local `config.toml` cannot add layers). The
/// index cache is one shared dir under the build's temp dir: the first test builds the bundled
/// directory's index, the others open it warm (concurrent builds are safe, see
/// `search::cache`).
pub fn command() -> Command {
    let mut cmd = Command::new(BIN);
    let nowhere = std::env::temp_dir().join("ikenavi-tests-no-config");
    cmd.env_remove("IKENAVI_DATA")
        .env_remove("NO_COLOR")
        .env("XDG_CONFIG_HOME", &nowhere)
        .env("XDG_STATE_HOME", &nowhere)
        .env("XDG_CACHE_HOME", test_cache_home());
    cmd
}

/// The cache home every test run of the binary shares.
pub fn test_cache_home() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cache-home")
}

/// Runs the binary with these arguments.
pub fn ikenavi(args: &[&str]) -> Output {
    command().args(args).output().expect("run ikenavi")
}

/// Runs the binary; exit code, stdout and stderr as text.
pub fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = ikenavi(args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The path of a file under `tests/fixtures/`.
pub fn fixture(name: &str) -> String {
    fixture_path(name).display().to_string()
}

/// The path of a file under `tests/fixtures/`.
pub fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The ids of the hits of `search --json` / `list --json` output, in order.
pub fn hit_ids(v: &serde_json::Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["id"].as_str().expect("id").to_string())
        .collect()
}

/// A bundled data file (`data/NAME.json`) as JSON, to build cases from the open data itself.
pub fn bundled(name: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(format!("{name}.json"));
    serde_json::from_slice(&std::fs::read(&path).expect("bundled file")).expect("json")
}

/// The gazetteer's area names by id (`13109` → 品川区).
pub fn area_names() -> std::collections::HashMap<String, String> {
    bundled("gazetteer")["areas"]
        .as_array()
        .expect("areas")
        .iter()
        .filter_map(|a| {
            Some((
                a["id"].as_str()?.to_string(),
                a["name"].as_str()?.to_string(),
            ))
        })
        .collect()
}
