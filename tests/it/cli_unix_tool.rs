//! The command line as a Unix tool: a closed pipe ends every command quietly with status 0
//! (`ikenavi list | head`), `--help` is Japanese at every level, a value given to the wrong
//! filter flag names the right one, and shell completions and the man page are generated.

use crate::common;

use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;

use common::{command, run};

/// Runs `args` with standard output a pipe that is closed after `lines` lines were read
/// (0: before anything was read); the exit code and standard error.
fn with_pipe_closed_after(args: &[&str], lines: usize) -> (Option<i32>, String) {
    let mut child = command()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ikenavi");
    let stdout = child.stdout.take().expect("stdout");
    if lines > 0 {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        for _ in 0..lines {
            line.clear();
            reader.read_line(&mut line).expect("read a line");
            assert!(!line.is_empty(), "{args:?}: no output");
        }
    } else {
        drop(stdout);
    }
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("read stderr");
    let status = child.wait().expect("wait");
    (status.code(), stderr)
}

#[test]
fn a_closed_pipe_ends_every_command_quietly_with_status_0() {
    // Outputs far above a pipe's buffer (64 KiB): the writes after the first line meet a
    // closed pipe.
    for args in [
        &["list"][..],
        &["areas"],
        &["list", "--json"],
        &["search", "相談", "--limit", "20000"],
    ] {
        let (code, stderr) = with_pipe_closed_after(args, 1);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}");
    }
    // Closed before anything is read: every command, small outputs too.
    for args in [
        &["search", "相談"][..],
        &["list", "--area", "品川区"],
        &["show", "shinagawa-piccolo"],
        &["show", "shinagawa-piccolo", "--json"],
        &["areas", "品川"],
        &["completions", "bash"],
        &["man"],
        &["--help"],
        &["search", "--help"],
    ] {
        let (code, stderr) = with_pipe_closed_after(args, 0);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}");
    }
}

/// The acceptance line of issue 13, through a real shell pipeline: the status is
/// ikenavi's (`PIPESTATUS`), stderr is ikenavi's and head's.
#[test]
fn head_1_of_a_search_exits_0_with_nothing_on_stderr() {
    let mut sh = std::process::Command::new("bash");
    sh.args([
        "-c",
        r#""$0" search 相談 | head -1; exit "${PIPESTATUS[0]}""#,
        common::BIN,
    ]);
    for (k, v) in command().get_envs() {
        match v {
            Some(v) => sh.env(k, v),
            None => sh.env_remove(k),
        };
    }
    let out = sh.output().expect("bash");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
}

#[test]
fn help_is_japanese_at_every_level() {
    let commands: &[&[&str]] = &[
        &[],
        &["search"],
        &["list"],
        &["show"],
        &["areas"],
        &["validate"],
        &["bench"],
        &["synth"],
        &["import"],
        &["import", "gazetteer"],
        &["import", "wamnet"],
        &["import", "links"],
        &["import", "table"],
        &["import", "hsds"],
        &["export"],
        &["export", "hsds"],
        &["completions"],
        &["man"],
    ];
    for path in commands {
        for flag in ["-h", "--help"] {
            let mut args = path.to_vec();
            args.push(flag);
            let (code, out, err) = run(&args);
            assert_eq!(code, Some(0), "{args:?}: {err}");
            assert!(out.contains("使い方: ikenavi"), "{args:?}:\n{out}");
            assert!(out.contains("オプション:"), "{args:?}:\n{out}");
            assert!(out.contains("ヘルプを表示"), "{args:?}:\n{out}");
            for english in ["Usage:", "Options:", "Commands:", "Arguments:", "[default:"] {
                assert!(!out.contains(english), "{args:?}: {english}\n{out}");
            }
            // The first line (what the command does) is Japanese.
            let first = out.lines().next().unwrap_or_default();
            assert!(first.chars().any(|c| c > '\u{3000}'), "{args:?}: {first:?}");
        }
    }
    // `help COMMAND` is `COMMAND --help`.
    assert_eq!(run(&["help", "search"]).1, run(&["search", "--help"]).1);
    assert_eq!(
        run(&["help", "import", "wamnet"]).1,
        run(&["import", "wamnet", "--help"]).1
    );
    let (code, _, err) = run(&["help", "nope"]);
    assert_eq!(code, Some(2), "{err}");
    // The top level says in English too what the program is.
    assert!(
        run(&["--help"])
            .1
            .contains("children who need medical care")
    );
}

#[test]
fn a_value_given_to_the_wrong_flag_names_the_right_one() {
    for (args, hint) in [
        (
            &["list", "--need", "ventilator"][..],
            "ケアの種類です: --care ventilator",
        ),
        (
            &["search", "x", "--need", "人工呼吸器"],
            "ケアの種類です: --care 人工呼吸器",
        ),
        (&["list", "--care", "放デイ"], "ニーズです: --need 放デイ"),
        (
            &["list", "--care", "short-stay"],
            "ニーズです: --need short-stay",
        ),
        (&["list", "--need", "品川区"], "地域です: --area 品川区"),
        // A name of several areas is an area all the same.
        (&["list", "--care", "北区"], "地域です: --area 北区"),
        (
            &["list", "--area", "人工呼吸器"],
            "ケアの種類です: --care 人工呼吸器",
        ),
        (&["list", "--area", "放デイ"], "ニーズです: --need 放デイ"),
    ] {
        let (code, out, err) = run(args);
        assert_eq!(code, Some(2), "{args:?}");
        assert_eq!(out, "", "{args:?}");
        assert!(err.contains(hint), "{args:?}: {err}");
    }
    // A value that names nothing still gets the nearest names.
    let (code, _, err) = run(&["list", "--need", "xyzzy"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("ニーズ「xyzzy」が見つかりません（もしかして: "),
        "{err}"
    );
    assert!(!err.contains("です: --"), "{err}");
}

#[test]
fn completions_for_every_shell_and_the_man_page_are_generated() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, out, err) = run(&["completions", shell]);
        assert_eq!(code, Some(0), "{shell}: {err}");
        assert!(out.contains("ikenavi"), "{shell}");
        for word in [
            "search",
            "areas",
            "care",
            "need",
            "with-phone",
            "completions",
        ] {
            assert!(out.contains(word), "{shell}: no {word}");
        }
    }
    // The bash script is valid bash.
    let (_, script, _) = run(&["completions", "bash"]);
    if let Ok(mut bash) = std::process::Command::new("bash")
        .args(["-n", "/dev/stdin"])
        .stdin(Stdio::piped())
        .spawn()
    {
        use std::io::Write;
        bash.stdin
            .take()
            .unwrap()
            .write_all(script.as_bytes())
            .unwrap();
        assert!(bash.wait().unwrap().success(), "bash -n");
    }
    let (code, page, err) = run(&["man"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(page.contains(".TH ikenavi 1"), "{page}");
    assert!(page.contains("医療的ケア児"), "{page}");
    for word in [
        "search",
        "list",
        "show",
        "areas",
        "completions",
        "\\-\\-data",
    ] {
        assert!(page.contains(word), "man: no {word}");
    }
    let (code, _, err) = run(&["completions", "tcsh"]);
    assert_eq!(code, Some(2), "{err}");
}

/// `ikenavi` alone in a pipe or a script: the UI is not started; the clerk is told in Japanese
/// why and what to use instead, with the usage status 2.
#[test]
fn without_a_terminal_the_ui_is_refused_in_japanese_with_what_to_use() {
    let (code, out, err) = run(&[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.starts_with(
            "ikenavi: 対話画面は端末でしか開けません（標準入力か標準出力が端末ではありません）。"
        ) && err.contains("`ikenavi search 語…` を使ってください"),
        "{err}"
    );
}

/// Mistyped command lines are explained in Japanese — what is wrong with which argument, the
/// suggestion and the usage line — with exit code 2 and nothing on stdout.
#[test]
fn usage_errors_are_explained_in_japanese() {
    for (args, want) in [
        (&["search", "--bogus", "x"][..], "知らない引数です: --bogus"),
        (&["serch"][..], "もしかして: "),
        (
            &["list", "--sort", "foo"][..],
            "の値「foo」は使えません（使えるのは relevance、distance）",
        ),
        (
            &["search", "--within", "abc", "相談"][..],
            "0以上の整数で書いてください",
        ),
        (&["show"][..], "必要な引数がありません: <ID>"),
    ] {
        let (code, out, err) = run(args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert_eq!(out, "", "{args:?}");
        assert!(err.starts_with("エラー: "), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(!err.contains("error:") && !err.contains("Usage:"), "{err}");
    }
    // Help is still help, on stdout, exit 0.
    let (code, out, _) = run(&["search", "--help"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("使い方: "), "{out}");
}

/// A file that is not there is named with the reason in Japanese, exit 1.
#[test]
fn a_missing_input_file_is_named_with_the_reason_in_japanese() {
    let (code, _, err) = run(&[
        "import",
        "wamnet",
        "/nonexistent/ikenavi-test.csv",
        "--as-of",
        "2025-03",
    ]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("/nonexistent/ikenavi-test.csv: 読めません（ファイルがありません）"),
        "{err}"
    );
}

/// Issue 25: `--out` replaced what it should write through or refuse — a symbolic link to the
/// shared office file became a local file, a 0644 file became 0600, a device or pipe was
/// replaced, the input CSV was overwritten with JSON, and a failure named no path. Now every
/// command writes outputs one way ([`ikenavi::fsutil`]): through the link, keeping the mode,
/// refusing what is not a regular file and the input itself, with the path in every error.
#[cfg(unix)]
#[test]
fn out_writes_through_links_keeps_modes_and_refuses_what_it_must_not_replace() {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    let path = |n: &str| dir.path().join(n).display().to_string();
    let mode = |p: &str| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let csv = path("list.csv");
    let list = "事業所名,市区町村,電話番号\nあおば訪問看護,品川区,03-1111-2222\n";
    std::fs::write(&csv, list).unwrap();
    let import = |out: &str| {
        run(&[
            "import",
            "table",
            &csv,
            "--as-of",
            "2025-04-01",
            "--out",
            out,
        ])
    };

    // Through a link: the shared file is replaced, the link stays a link; its mode is kept.
    let shared = path("shared.json");
    std::fs::write(&shared, "old").unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o644)).unwrap();
    let link = path("link.json");
    std::os::unix::fs::symlink(&shared, &link).unwrap();
    let (code, _, err) = import(&link);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&shared)
            .unwrap()
            .contains("あおば訪問看護")
    );
    assert_eq!(mode(&shared), 0o644);

    // Every command keeps an existing file's mode (synth used to make it 0600).
    let kept = path("kept.json");
    std::fs::write(&kept, "old").unwrap();
    std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o640)).unwrap();
    let (code, _, err) = run(&["synth", "--records", "2", "--out", &kept]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(mode(&kept), 0o640);

    // The input itself is refused, untouched.
    let (code, _, err) = import(&csv);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "{csv}: 書き出せませんでした（読み込むファイルと同じです"
        )),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), list);

    // A pipe, a folder and a device are refused, named, and stay what they were.
    let fifo = path("fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let folder = path("folder");
    std::fs::create_dir(&folder).unwrap();
    for target in [fifo.as_str(), folder.as_str(), "/dev/null"] {
        let (code, _, err) = import(target);
        assert_eq!(code, Some(1), "{target}: {err}");
        assert!(
            err.contains(&format!(
                "{target}: 書き出せませんでした（通常のファイルではない"
            )),
            "{err}"
        );
    }
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );

    // A folder that is not there is named.
    let missing = path("nowhere/out.json");
    let (code, _, err) = import(&missing);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "{missing}: 書き出せませんでした（保存先のフォルダがありません）"
        )),
        "{err}"
    );
}

#[test]
fn a_limit_beyond_the_records_is_the_number_of_records_with_a_word() {
    // `--limit 4294967296` once asked for 200 GB, `18446744073709551615` overflowed.
    for limit in ["4294967296", "18446744073709551615"] {
        let out = command()
            .args(["search", "--json", "--limit", limit, "--", "相談"])
            .output()
            .expect("run ikenavi");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{limit}: {err}");
        assert!(
            err.contains(&format!("--limit {limit} は記録の数")),
            "{err}"
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let shown = v["hits"].as_array().expect("hits").len() as u64;
        assert_eq!(Some(shown), v["total"].as_u64(), "every hit is shown");
    }
}

#[test]
fn a_closed_standard_error_loses_the_messages_not_the_import() {
    // `import wamnet … 2>&1 | head -1`: the reader of the messages goes away at once; the
    // import still writes its layer and ends with 0.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("layer.json");
    let csv = common::fixture_path("wamnet/quirks.csv");
    let mut child = command()
        .args(["import", "wamnet", csv.to_str().unwrap()])
        .args(["--as-of", "2025-03", "--allow-partial", "--out"])
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ikenavi");
    drop(child.stderr.take());
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(0));
    let layer = std::fs::read_to_string(&out).expect("the layer is written");
    assert!(layer.contains("ミリミリ品川"));
}

#[test]
fn a_mistake_in_config_toml_is_said_by_the_commands_too() {
    // The UI said it; `search` used the defaults without a word.
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("ikenavi");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        "within_km = \"abc\"\nhome_are = \"品川区\"\n",
    )
    .unwrap();
    let out = command()
        .env("XDG_CONFIG_HOME", home.path())
        .args(["search", "--", "相談"])
        .output()
        .expect("run ikenavi");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("config.toml:1:1: within_km は"), "{err}");
    assert!(
        err.contains("config.toml:2:1: 「home_are」は知らない設定です"),
        "{err}"
    );
    assert!(!out.stdout.is_empty());
}
