//! `ikenavi bench`: the numbers of the performance budget (issue 5) measured on one directory —
//! load + validate, cold index build, warm index open, start → first frame, per-query latency
//! (eval queries, and every prefix of them as a typing simulation, filters on and off), one
//! frame at 120×40, and peak RSS. Measured in-process on the release build.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde::{Deserialize, Serialize};

use crate::directory::{AreaIdx, Catalog, DataSource};
use crate::present::Ymd;
use crate::search::cache::{self, IndexOrigin};
use crate::search::{SearchEngine, SearchRequest, Sort};
use crate::tui::app::{App, RESULT_LIMIT};
use crate::tui::keymap::Keymap;

/// The eval queries built into the binary (the public cases and our own).
const BUILTIN_QUERIES: [&str; 2] = [
    include_str!("../tests/eval/queries.json"),
    include_str!("../tests/eval/own_cases.json"),
];

#[derive(Deserialize)]
struct QueryFile {
    cases: Vec<QueryCase>,
}

#[derive(Deserialize)]
struct QueryCase {
    query: String,
    #[serde(default)]
    area: Option<String>,
}

/// Percentiles of a set of timings, in milliseconds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Latency {
    /// Number of measurements.
    pub n: usize,
    /// Median.
    pub p50_ms: f64,
    /// 95th percentile.
    pub p95_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Slowest.
    pub max_ms: f64,
}

impl Latency {
    fn of(mut samples: Vec<Duration>) -> Latency {
        samples.sort();
        let at = |p: f64| {
            if samples.is_empty() {
                return 0.0;
            }
            let i = ((samples.len() as f64 * p).ceil() as usize).clamp(1, samples.len()) - 1;
            ms(samples[i])
        };
        Latency {
            n: samples.len(),
            p50_ms: at(0.50),
            p95_ms: at(0.95),
            p99_ms: at(0.99),
            max_ms: samples.last().map_or(0.0, |d| ms(*d)),
        }
    }
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

/// Everything `ikenavi bench` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Which directory.
    pub data: String,
    /// How many records.
    pub records: usize,
    /// Size of the data file in bytes.
    pub data_bytes: usize,
    /// Parse + validate.
    pub load_validate_ms: f64,
    /// Index build from scratch (on disk for large files, in RAM otherwise).
    pub cold_index_build_ms: f64,
    /// Opening the cached index and catalog (large files only).
    pub warm_open_ms: Option<f64>,
    /// Open (warm when cached) + UI state + first frame at 120×40.
    pub start_to_first_frame_ms: f64,
    /// Whole eval queries, no filters.
    pub query: Latency,
    /// Every prefix of every query (typing), no filters.
    pub typing: Latency,
    /// Every prefix with an area filter.
    pub typing_filtered: Latency,
    /// Every prefix with an area filter, nearest first (近い順, the default radius).
    pub typing_distance: Latency,
    /// Every prefix with an area filter and 人工呼吸器 (the care filter: stated records, then
    /// the 要確認 offices, counted and collected in that order).
    pub typing_care: Latency,
    /// One frame at 120×40 with results and detail.
    pub render_120x40: Latency,
    /// A typed character through the UI: `update` (search, selection) and one 80×24 frame
    /// drawn, for every character of every query as it is typed.
    pub keystroke_to_frame_80x24: Latency,
    /// Peak resident set size of the warm session (a fresh process: open, first frame,
    /// queries, frames; Linux VmHWM).
    pub peak_rss_mb: Option<f64>,
    /// Peak resident set size of the cold steps (JSON parse, validation, index build).
    pub peak_rss_cold_mb: Option<f64>,
}

/// Why the benchmark could not run.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// Loading or indexing failed.
    #[error(transparent)]
    Open(#[from] cache::OpenError),
    /// Search failed.
    #[error(transparent)]
    Search(#[from] crate::search::SearchError),
    /// A file or directory could not be read or created.
    #[error("{}: {}", path.display(), crate::fsutil::io_reason(source, crate::fsutil::Access::Read))]
    Io {
        /// Which one.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A query file is not valid JSON of the eval format.
    #[error("検索語ファイル {name}: {source}")]
    Queries {
        /// The file (or `built-in`).
        name: String,
        /// Where and why parsing failed.
        source: serde_json::Error,
    },
    /// The warm phase (a child process) could not be started.
    #[error("測定の後半（別プロセス）を起動できません（{}）", crate::fsutil::io_reason(.0, crate::fsutil::Access::Read))]
    Spawn(#[source] std::io::Error),
    /// The warm phase failed; its standard error.
    #[error("測定の後半（別プロセス）が失敗しました: {0}")]
    WarmFailed(String),
    /// The warm phase's report is not the JSON expected.
    #[error("測定の後半（別プロセス）の出力が読めません: {0}")]
    WarmOutput(#[source] serde_json::Error),
    /// A frame could not be drawn on the test terminal.
    #[error("画面を描けません: {0}")]
    Draw(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// A failure of the test terminal (its error type is the backend's).
fn draw_error(e: impl std::error::Error + Send + Sync + 'static) -> BenchError {
    BenchError::Draw(Box::new(e))
}

/// Environment variable that makes `ikenavi bench` run only its warm phase against the cache
/// root it names (the parent runs the cold steps, then measures the warm session in a fresh
/// process so that its memory and timings are not those of a process that parsed and indexed).
pub const WARM_PHASE_ENV: &str = "IKENAVI_BENCH_WARM_ROOT";

/// What the warm phase measures.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WarmReport {
    warm_open_ms: f64,
    start_to_first_frame_ms: f64,
    query: Latency,
    typing: Latency,
    typing_filtered: Latency,
    typing_distance: Latency,
    typing_care: Latency,
    render_120x40: Latency,
    keystroke_to_frame_80x24: Latency,
    peak_rss_mb: Option<f64>,
}

/// Runs the benchmark. `queries`: an eval-format file, or the built-in cases.
pub fn run(data: &DataSource, queries: Option<&Path>) -> Result<Report, BenchError> {
    let data_bytes: usize = data
        .read_layers()
        .map_err(cache::OpenError::Load)?
        .iter()
        .map(|l| l.bytes.len())
        .sum();
    // Read and checked as a cold build reads them: the user files' records one at a time.
    let t = Instant::now();
    let loaded = data
        .load_spilling(&mut |r| drop(r))
        .map_err(cache::OpenError::Load)?;
    let load_validate = t.elapsed();
    let records = loaded.layers.iter().map(|l| l.records).sum();
    drop(loaded);

    // Cold: a fresh cache root, so large files build on disk as a first start would.
    let scratch = tempdir()?;
    let t = Instant::now();
    let cold = cache::open(data, Some(&scratch))?;
    let cold_index_build = t.elapsed();
    let cached = !matches!(cold.origin, IndexOrigin::Ram);
    drop(cold);
    let peak_rss_cold_mb = peak_rss_mb();

    let warm = run_warm_in_child(data, queries, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    let warm = warm?;
    Ok(Report {
        data: data.display_name(),
        records,
        data_bytes,
        load_validate_ms: ms(load_validate),
        cold_index_build_ms: ms(cold_index_build),
        warm_open_ms: cached.then_some(warm.warm_open_ms),
        start_to_first_frame_ms: warm.start_to_first_frame_ms,
        query: warm.query,
        typing: warm.typing,
        typing_filtered: warm.typing_filtered,
        typing_distance: warm.typing_distance,
        typing_care: warm.typing_care,
        render_120x40: warm.render_120x40,
        keystroke_to_frame_80x24: warm.keystroke_to_frame_80x24,
        peak_rss_mb: warm.peak_rss_mb,
        peak_rss_cold_mb,
    })
}

fn run_warm_in_child(
    data: &DataSource,
    queries: Option<&Path>,
    root: &Path,
) -> Result<WarmReport, BenchError> {
    let exe = std::env::current_exe().map_err(BenchError::Spawn)?;
    let mut cmd = std::process::Command::new(exe);
    for p in &data.files {
        cmd.arg("--data").arg(p);
    }
    if !data.bundled {
        cmd.arg("--no-bundled");
    }
    cmd.arg("bench").arg("--json");
    if let Some(q) = queries {
        cmd.arg("--queries").arg(q);
    }
    let out = cmd
        .env(WARM_PHASE_ENV, root)
        .env_remove("IKENAVI_DATA")
        .output()
        .map_err(BenchError::Spawn)?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        return Err(BenchError::WarmFailed(stderr));
    }
    serde_json::from_slice(&out.stdout).map_err(BenchError::WarmOutput)
}

/// The warm phase: open from the cache at `root` (built by the parent), first frame, queries.
pub fn run_warm(
    data: &DataSource,
    queries: Option<&Path>,
    root: &Path,
) -> Result<WarmReport, BenchError> {
    // As the UI starts (main.rs): the numbering plan gets ready on a thread of its own while
    // the directory opens, so the first phone drawn does not wait ~0.1 s for it.
    std::thread::spawn(crate::text::phone::warm_up);
    let t = Instant::now();
    let opened = cache::open(data, Some(root))?;
    let warm_open = t.elapsed();
    let mut app = App::new(
        opened.catalog,
        opened.engine,
        Keymap::default(),
        Ymd::today(),
        (120, 40),
    );
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).map_err(draw_error)?;
    terminal
        .draw(|f| crate::tui::view::view(&app, f))
        .map_err(draw_error)?;
    let start_to_first_frame = t.elapsed();

    let cases = load_queries(queries)?;
    let (catalog, engine) = (&app.catalog, &app.engine);
    let default_area = catalog.resolve_area("品川区").ok().or(Some(0));
    let mut whole = Vec::new();
    let mut typing = Vec::new();
    let mut typing_filtered = Vec::new();
    let mut typing_distance = Vec::new();
    let mut typing_care = Vec::new();
    let ventilator: Vec<String> = catalog
        .resolve_term(crate::directory::Facet::CareType, "人工呼吸器")
        .into_iter()
        .collect();
    for (text, area) in &cases {
        let area = area.as_deref().and_then(|a| catalog.resolve_area(a).ok());
        whole.push(time_search(
            engine,
            catalog,
            text,
            None,
            Sort::Relevance,
            &[],
        )?);
        let chars: Vec<char> = text.chars().collect();
        for n in 1..=chars.len() {
            let prefix: String = chars[..n].iter().collect();
            let area = area.or(default_area);
            let relevance = Sort::Relevance;
            typing.push(time_search(engine, catalog, &prefix, None, relevance, &[])?);
            typing_filtered.push(time_search(engine, catalog, &prefix, area, relevance, &[])?);
            typing_distance.push(time_search(
                engine,
                catalog,
                &prefix,
                area,
                Sort::Distance,
                &[],
            )?);
            typing_care.push(time_search(
                engine,
                catalog,
                &prefix,
                area,
                relevance,
                &ventilator,
            )?);
        }
    }

    // Frames: the app with results for each query, the first result's detail showing.
    let mut frames = Vec::new();
    for (text, _) in cases.iter().take(30) {
        app.input = crate::tui::input::Input::with_text(text);
        app.search();
        let t = Instant::now();
        terminal
            .draw(|f| crate::tui::view::view(&app, f))
            .map_err(draw_error)?;
        frames.push(t.elapsed());
    }
    // Keystrokes: each character typed into the UI state, then a frame at 80×24.
    let mut small = Terminal::new(TestBackend::new(80, 24)).map_err(draw_error)?;
    crate::tui::app::update(&mut app, crate::tui::app::Action::Resize(80, 24));
    let mut keystrokes = Vec::new();
    for (text, _) in &cases {
        app.input = crate::tui::input::Input::default();
        app.search();
        for c in text.chars() {
            let t = Instant::now();
            crate::tui::app::update(&mut app, crate::tui::app::Action::Insert(c));
            small
                .draw(|f| crate::tui::view::view(&app, f))
                .map_err(draw_error)?;
            keystrokes.push(t.elapsed());
        }
    }
    Ok(WarmReport {
        warm_open_ms: ms(warm_open),
        start_to_first_frame_ms: ms(start_to_first_frame),
        query: Latency::of(whole),
        typing: Latency::of(typing),
        typing_filtered: Latency::of(typing_filtered),
        typing_distance: Latency::of(typing_distance),
        typing_care: Latency::of(typing_care),
        render_120x40: Latency::of(frames),
        keystroke_to_frame_80x24: Latency::of(keystrokes),
        peak_rss_mb: peak_rss_mb(),
    })
}

fn time_search(
    engine: &SearchEngine,
    catalog: &Catalog,
    text: &str,
    area: Option<AreaIdx>,
    sort: Sort,
    care_types: &[String],
) -> Result<Duration, BenchError> {
    let req = SearchRequest {
        text: text.to_string(),
        area,
        sort,
        care_types: care_types.to_vec(),
        limit: RESULT_LIMIT,
        ..Default::default()
    };
    let t = Instant::now();
    let res = engine.search(catalog, &req)?;
    let d = t.elapsed();
    std::hint::black_box(res);
    Ok(d)
}

fn load_queries(file: Option<&Path>) -> Result<Vec<(String, Option<String>)>, BenchError> {
    let texts: Vec<(String, String)> = match file {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|source| BenchError::Io {
                path: p.to_path_buf(),
                source,
            })?;
            vec![(p.display().to_string(), text)]
        }
        None => BUILTIN_QUERIES
            .iter()
            .map(|s| ("built-in".to_string(), s.to_string()))
            .collect(),
    };
    let mut out = Vec::new();
    for (name, t) in texts {
        let f: QueryFile =
            serde_json::from_str(&t).map_err(|source| BenchError::Queries { name, source })?;
        out.extend(f.cases.into_iter().map(|c| (c.query, c.area)));
    }
    Ok(out)
}

fn tempdir() -> Result<PathBuf, BenchError> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let p = std::env::temp_dir().join(format!("ikenavi-bench-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&p).map_err(|source| BenchError::Io {
        path: p.clone(),
        source,
    })?;
    Ok(p)
}

/// Peak resident set size of this process in MB (Linux only).
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some((kb / 1024.0 * 10.0).round() / 10.0)
}

/// The report as aligned text.
pub fn human(r: &Report) -> String {
    let lat = |l: &Latency| {
        format!(
            "p50 {:.3} ms  p95 {:.3} ms  p99 {:.3} ms  max {:.3} ms  (n={})",
            l.p50_ms, l.p95_ms, l.p99_ms, l.max_ms, l.n
        )
    };
    let mut s = String::new();
    s.push_str(&format!(
        "data                    {} ({} records, {} bytes)\n",
        r.data, r.records, r.data_bytes
    ));
    s.push_str(&format!(
        "load + validate         {:.1} ms\n",
        r.load_validate_ms
    ));
    s.push_str(&format!(
        "cold index build        {:.1} ms\n",
        r.cold_index_build_ms
    ));
    match r.warm_open_ms {
        Some(w) => s.push_str(&format!("warm open (cache)       {w:.1} ms\n")),
        None => s.push_str("warm open (cache)       — (in RAM: below the disk threshold)\n"),
    }
    s.push_str(&format!(
        "start → first frame     {:.1} ms\n",
        r.start_to_first_frame_ms
    ));
    s.push_str(&format!(
        "query (top {RESULT_LIMIT})         {}\n",
        lat(&r.query)
    ));
    s.push_str(&format!("typing, no filter       {}\n", lat(&r.typing)));
    s.push_str(&format!(
        "typing, area filter     {}\n",
        lat(&r.typing_filtered)
    ));
    s.push_str(&format!(
        "typing, area, 近い順     {}\n",
        lat(&r.typing_distance)
    ));
    s.push_str(&format!(
        "typing, area, 人工呼吸器 {}\n",
        lat(&r.typing_care)
    ));
    s.push_str(&format!(
        "frame 120×40            {}\n",
        lat(&r.render_120x40)
    ));
    s.push_str(&format!(
        "keystroke → frame 80×24 {}\n",
        lat(&r.keystroke_to_frame_80x24)
    ));
    if let Some(m) = r.peak_rss_mb {
        s.push_str(&format!("peak RSS (warm session) {m:.1} MB\n"));
    }
    if let Some(m) = r.peak_rss_cold_mb {
        s.push_str(&format!("peak RSS (cold build)   {m:.1} MB\n"));
    }
    s
}
