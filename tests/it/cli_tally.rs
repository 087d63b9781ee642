//! `ikenavi tally`: the enquiry counts from several clerks' files merged, a corrupt line named
//! and skipped, the period, the three formats, and this PC's own file by default.

use crate::common;

use std::path::Path;

use common::{command, run};

/// One line as the UI writes it.
fn line(date: &str, area: Option<&str>, care: &[&str], services: &[u8], outcome: &str) -> String {
    let q = serde_json::json!({
        "v": 1,
        "date": date,
        "area": area,
        "care": care,
        "needs": [],
        "services": services,
        "outcome": outcome,
    });
    format!("{q}\n")
}

fn write(dir: &Path, name: &str, lines: &[String]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, lines.concat()).unwrap();
    p.display().to_string()
}

#[test]
fn files_of_several_pcs_are_counted_together_and_a_bad_line_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let pc1 = write(
        dir.path(),
        "pc1.jsonl",
        &[
            line("2026-12-01", Some("35321"), &["ventilator"], &[24], "found"),
            line("2026-12-02", Some("42210"), &[], &[69], "far"),
            "{\"v\":1,\"date\":\"2026-12-0".into(),
        ],
    );
    let pc2 = write(
        dir.path(),
        "pc2.jsonl",
        &[
            "\n".into(),
            line(
                "2026-12-03",
                Some("42210"),
                &["ventilator"],
                &[24],
                "not_found",
            ),
            line("2026-12-03", None, &[], &[], "none"),
            line("2027-01-05", Some("35321"), &[], &[], "unmarked"),
        ],
    );
    let (code, out, err) = run(&["tally", &pc1, &pc2, "--format", "csv"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("pc1.jsonl:3: 読めない行を飛ばしました"),
        "{err}"
    );
    assert!(out.starts_with('\u{feff}'), "a BOM for Excel");
    let rows: Vec<&str> = out.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        rows,
        [
            "地域ID,地域,件数,答えられなかった,遠方のみ,0件,見つからなかった,見つかった,未記入",
            "42210,長崎県壱岐市,2,2,1,0,1,0,0",
            ",（地域なし）,1,1,0,1,0,0,0",
            "35321,山口県和木町,2,0,0,0,0,1,1",
        ]
    );

    // The period, by care, as a Markdown table.
    let (code, out, err) = run(&[
        "tally",
        &pc1,
        &pc2,
        "--since",
        "2026-12-02",
        "--until",
        "2026-12-31",
        "--by",
        "care",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("期間: 2026-12-02 〜 2026-12-31　問い合わせ: 3件"),
        "{out}"
    );
    assert!(out.contains("| ケアの種類 | 件数 |"), "{out}");
    assert!(
        out.contains("| 人工呼吸器 | 1 | 1 | 0 | 0 | 1 | 0 | 0 |"),
        "{out}"
    );
    assert!(out.contains("| （指定なし） | 2 | 2 |"), "{out}");

    // By service type and by month, as JSON.
    let (code, out, _) = run(&["tally", &pc1, &pc2, "--by", "service", "--format", "json"]);
    assert_eq!(code, Some(0));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["total"]["enquiries"], 5);
    let names: Vec<&str> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"短期入所") && names.contains(&"医療型障害児入所施設"),
        "{names:?}"
    );
    let (_, out, _) = run(&["tally", &pc1, &pc2, "--by", "month", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["groups"][0]["id"], "2026-12");
    assert_eq!(v["groups"][1]["id"], "2027-01");
}

#[test]
fn bad_dates_are_usage_errors_and_a_missing_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "t.jsonl", &[]);
    for args in [
        vec!["tally", &f, "--since", "2026-02-30"],
        vec!["tally", &f, "--until", "12/31"],
        vec![
            "tally",
            &f,
            "--since",
            "2026-12-02",
            "--until",
            "2026-12-01",
        ],
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
    }
    let missing = dir.path().join("pc9.jsonl").display().to_string();
    let (code, _, err) = run(&["tally", &missing]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("pc9.jsonl: 読めません（ファイルがありません）"),
        "{err}"
    );
}

/// With no file: this PC's tally in the state folder (XDG_STATE_HOME here); none yet is said,
/// and counts nothing.
#[test]
fn without_a_file_this_pcs_tally_is_counted() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let out = command()
        .env("XDG_STATE_HOME", &state)
        .args(["tally", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("まだ集計がありません"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["total"]["enquiries"], 0);

    std::fs::create_dir_all(state.join("ikenavi")).unwrap();
    write(
        &state.join("ikenavi"),
        "tally.jsonl",
        &[line("2026-12-01", Some("35321"), &[], &[24], "far")],
    );
    let out = command()
        .env("XDG_STATE_HOME", &state)
        .args(["tally", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(csv.contains("35321,山口県和木町,1,1,1,0,0,0,0"), "{csv}");
}
