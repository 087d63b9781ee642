//! Criterion benches for the per-keystroke path: normalization and tokenization, a query on
//! the bundled directory, and rendering one 120×40 frame.

use criterion::{Criterion, criterion_group, criterion_main};
use ikenavi::directory::DataSource;
use ikenavi::present::Ymd;
use ikenavi::search::{SearchEngine, SearchRequest, analyzer};
use ikenavi::text::normalize::{normalize, normalize_with_map};
use ikenavi::tui::{app::App, input::Input, keymap::Keymap, view::view};
use ratatui::{Terminal, backend::TestBackend};

const TEXT: &str = "在宅で療養し、医療的なケアが日常的に必要な重症心身障害児者等が、その保護者等による在宅での療養が一時的に困難になり、かつ、障害者総合支援法に規定する短期入所の利用が困難である場合に、医療機関における一時的受入れを行う。ｼｮｰﾄｽﾃｲ";

fn text(c: &mut Criterion) {
    c.bench_function("normalize 150 chars", |b| {
        b.iter(|| normalize(std::hint::black_box(TEXT)))
    });
    c.bench_function("normalize_with_map 150 chars", |b| {
        b.iter(|| normalize_with_map(std::hint::black_box(TEXT)))
    });
    c.bench_function("tokenize 150 chars", |b| {
        b.iter(|| analyzer::tokenize(std::hint::black_box(TEXT)))
    });
}

fn query(c: &mut Criterion) {
    let catalog = DataSource::bundled().load().unwrap();
    let engine = SearchEngine::new(&catalog).unwrap();
    for q in [
        "ショートステイ",
        "品川区で人工呼吸器の子を受け入れてくれる通所はありますか",
        "児",
        "kyuuin",
    ] {
        let req = SearchRequest {
            text: q.to_string(),
            limit: 50,
            ..Default::default()
        };
        c.bench_function(&format!("search {q}"), |b| {
            b.iter(|| engine.search(&catalog, &req).unwrap())
        });
    }
    let area = catalog.resolve_area("下関市").ok();
    let req = SearchRequest {
        text: "保育園".into(),
        area,
        limit: 50,
        ..Default::default()
    };
    c.bench_function("search 保育園 --area 下関市", |b| {
        b.iter(|| engine.search(&catalog, &req).unwrap())
    });
}

fn render(c: &mut Criterion) {
    let catalog = DataSource::bundled().load().unwrap();
    let engine = SearchEngine::new(&catalog).unwrap();
    let mut app = App::new(
        catalog,
        engine,
        Keymap::default(),
        Ymd {
            year: 2026,
            month: 11,
            day: 21,
        },
        (120, 40),
    );
    app.input = Input::with_text("人工呼吸器");
    app.search();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    c.bench_function("frame 120x40", |b| {
        b.iter(|| {
            terminal.draw(|f| view(&app, f)).unwrap();
        })
    });
}

criterion_group!(benches, text, query, render);
criterion_main!(benches);
