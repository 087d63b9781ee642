//! `ikenavi doctor` as an office's IT staff run it, and the program installed under a folder
//! whose name has a space and Japanese (「市役所 データ」): config, data layer and index cache
//! all there.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{command, test_cache_home};

/// A folder named like an office's share: a space and Japanese.
fn office_dir() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().join("市役所 データ");
    std::fs::create_dir_all(&base).unwrap();
    (tmp, base)
}

/// The binary with every per-user folder under `base` (the index cache stays the shared,
/// warm one unless `cache` is given).
fn command_in(base: &Path, cache: Option<&Path>) -> Command {
    let mut cmd = command();
    cmd.env("XDG_CONFIG_HOME", base.join("設定"))
        .env("XDG_STATE_HOME", base.join("状態"))
        .env("XDG_DATA_HOME", base.join("データ"))
        .env("HOME", base.join("ホーム"))
        .env("LANG", "ja_JP.UTF-8");
    if let Some(c) = cache {
        cmd.env("XDG_CACHE_HOME", c);
    }
    cmd
}

fn output(mut cmd: Command) -> (Option<i32>, String, String) {
    let out = cmd.output().expect("run ikenavi");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn doctor_names_the_config_file_every_folder_and_the_layers() {
    let (_tmp, base) = office_dir();
    let mut cmd = command_in(&base, None);
    cmd.arg("doctor");
    let (code, out, err) = output(cmd);
    assert_eq!(code, Some(0), "{out}{err}");
    let config = base.join("設定/ikenavi/config.toml");
    for (what, path) in [
        ("config.toml", config.clone()),
        ("the config folder", base.join("設定/ikenavi")),
        ("the cache folder", test_cache_home().join("ikenavi")),
        ("the state folder", base.join("状態/ikenavi")),
        ("the save folder", base.join("データ/ikenavi/saved")),
    ] {
        assert!(
            out.contains(&path.display().to_string()),
            "{what} {}:\n{out}",
            path.display()
        );
    }
    assert!(out.contains("設定ファイル config.toml"), "{out}");
    assert!(
        out.contains(&format!("{} — ありません", config.display())),
        "{out}"
    );
    // Version, the bundled layers with a release, the index, the terminal (a pipe here).
    assert!(out.contains(env!("CARGO_PKG_VERSION")), "{out}");
    for layer in [
        "data/gazetteer.json",
        "data/curated.json",
        "data/wamnet.json",
    ] {
        assert!(out.contains(&format!("同梱 {layer}: ")), "{layer}\n{out}");
    }
    assert!(out.contains("時点"), "{out}");
    assert!(out.contains("[OK]   索引: "), "{out}");
    assert!(out.contains("端末ではありません"), "{out}");
    assert!(out.contains("UTF-8（LANG=ja_JP.UTF-8）"), "{out}");
    assert!(out.ends_with("問題はありません。\n"), "{out}");
}

#[test]
fn doctor_exits_1_on_a_config_that_does_not_parse_and_says_where() {
    let (_tmp, base) = office_dir();
    let config = base.join("設定/ikenavi/config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(&config, "home_area = \"品川区\"\n[keys\n").unwrap();
    let mut cmd = command_in(&base, None);
    cmd.arg("doctor");
    let (code, out, err) = output(cmd);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        out.contains(&format!(
            "[問題] 設定ファイル config.toml: {}",
            config.display()
        )),
        "{out}"
    );
    assert!(
        out.contains("config.toml:2:"),
        "the line of the mistake: {out}"
    );
    assert!(out.contains("問題が 1 件あります"), "{out}");
    assert!(err.contains("ikenavi doctor: 問題が 1 件あります"), "{err}");
}

#[test]
fn doctor_exits_1_when_a_user_layer_fails_to_load() {
    let (_tmp, base) = office_dir();
    let bad = common::fixture("invalid/duplicate_id.json");
    let mut cmd = command_in(&base, None);
    cmd.args(["--data", &bad, "doctor"]);
    let (code, out, _) = output(cmd);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("[問題] データ: 読み込めません: "), "{out}");
    assert!(out.contains("duplicate_id.json"), "{out}");
}

#[test]
fn doctor_exits_1_when_the_cache_folder_cannot_be_written() {
    let (_tmp, base) = office_dir();
    // A file where the cache home should be: nothing can be made under it.
    let cache = base.join("キャッシュ");
    std::fs::write(&cache, "not a folder").unwrap();
    let mut cmd = command_in(&base, Some(&cache));
    cmd.arg("doctor");
    let (code, out, err) = output(cmd);
    assert_eq!(code, Some(1), "{out}{err}");
    let folder = cache.join("ikenavi");
    assert!(
        out.contains(&format!(
            "[問題] キャッシュ（索引）: {} — 作れません",
            folder.display()
        )),
        "{out}"
    );
    assert!(
        out.contains("[問題] 索引: キャッシュに保存できないため"),
        "{out}"
    );
    assert!(out.contains("問題が 2 件あります"), "{out}");
}

/// The office's own layer and the index cache under 「市役所 データ」, named in its
/// config.toml: found cold (the index built there) and warm.
#[test]
fn a_layer_and_the_index_cache_work_from_a_folder_with_a_space_and_japanese() {
    let (_tmp, base) = office_dir();
    let layer = base.join("事務所 一覧.json");
    let doc = serde_json::json!({
        "schema_version": 1,
        "source_documents": [{ "file": "一覧.csv", "issuer": "品川区", "title": "一覧", "date": "2026-01" }],
        "resources": [{
            "id": "office-dir-test", "name": "市役所データ試験窓口", "kind": "consultation",
            "summary": "試験", "service_areas": ["13109"], "status": "active",
            "sources": [{ "file": "一覧.csv", "section": "2行目", "date": "2026-01" }]
        }]
    });
    std::fs::write(&layer, doc.to_string()).unwrap();
    let config = base.join("設定/ikenavi/config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    let toml_path = layer.display().to_string().replace('\\', "\\\\");
    std::fs::write(&config, format!("data = [\"{toml_path}\"]\n")).unwrap();
    let cache = base.join("キャッシュ");
    for start in ["cold", "warm"] {
        let mut cmd = command_in(&base, Some(&cache));
        cmd.args(["search", "--json", "試験窓口"]);
        let (code, out, err) = output(cmd);
        assert_eq!(code, Some(0), "{start}: {err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert!(
            common::hit_ids(&v).contains(&"office-dir-test".to_string()),
            "{start}: {out}"
        );
        // Not the fallback (a temporary folder, or memory): the cache under the folder.
        assert!(!err.contains("一時"), "{start}: {err}");
    }
    let index = cache.join("ikenavi/index");
    let built: Vec<_> = std::fs::read_dir(&index)
        .unwrap_or_else(|e| panic!("{}: {e}", index.display()))
        .collect();
    assert_eq!(built.len(), 1, "one index under {}", index.display());
    // And doctor says so, naming the layer.
    let mut cmd = command_in(&base, Some(&cache));
    cmd.arg("doctor");
    let (code, out, _) = output(cmd);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains(&format!(
            "追加 {}: 記録 1件・公開時点の記載なし",
            layer.display()
        )),
        "{out}"
    );
    assert!(
        out.contains("[OK]   索引: キャッシュから開きました"),
        "{out}"
    );
}

/// Coverage disclosed (issue 24): doctor says which designated service types the loaded open
/// data holds and in which prefectures — 地域移行支援 only in 東京都・山口県, 放デイ
/// nationwide — computed from the layers: a layer adding one 地域移行支援 office in 札幌市
/// adds 北海道 to its line.
#[test]
fn doctor_says_which_service_types_and_prefectures_the_data_covers() {
    let (_tmp, base) = office_dir();
    let mut cmd = command_in(&base, None);
    cmd.arg("doctor");
    let (code, out, _) = output(cmd);
    assert_eq!(code, Some(0), "{out}");
    let line = |out: &str, ty: &str| {
        out.lines()
            .find(|l| l.contains(&format!("指定事業所の範囲: {ty} ")))
            .unwrap_or_else(|| panic!("no {ty}\n{out}"))
            .to_string()
    };
    assert!(
        line(&out, "地域移行支援").ends_with("東京都・山口県のみ"),
        "{out}"
    );
    assert!(line(&out, "放課後等デイサービス").ends_with("全国（47都道府県）"));
    assert!(
        out.contains("入っていない種別: ") && out.contains("児童発達支援"),
        "{out}"
    );

    let layer = base.join("札幌.json");
    let doc = serde_json::json!({
        "schema_version": 1,
        "source_documents": [{ "file": "一覧.csv", "issuer": "札幌市", "title": "一覧", "date": "2026-01" }],
        "resources": [{
            "id": "sapporo-chiiki-ikou-test", "name": "札幌試験相談室", "kind": "consultation",
            "summary": "試験", "located_in": "01101", "service_areas": ["01101"], "status": "active",
            "designations": [{ "service_type": "地域相談支援（地域移行支援）", "code": 53, "office_number": "0110100001" }],
            "sources": [{ "file": "一覧.csv", "section": "2行目", "date": "2026-01" }]
        }]
    });
    std::fs::write(&layer, doc.to_string()).unwrap();
    let cache = base.join("キャッシュ");
    let mut cmd = command_in(&base, Some(&cache));
    cmd.arg("--data").arg(&layer).arg("doctor");
    let (code, out, err) = output(cmd);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        line(&out, "地域移行支援").ends_with("北海道・東京都・山口県のみ"),
        "{out}"
    );
}
