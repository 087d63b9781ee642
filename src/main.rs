//! `ikenavi` — the command line: parse arguments (clap) and dispatch. Nothing else lives here.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use ikenavi::cli::{self, Filters, Outcome};

/// 医ケアナビ — 医療的ケア児の支援を、電話の最中に探すための端末ディレクトリ。
///
/// With no subcommand on a terminal it starts the interactive UI on the bundled directory.
#[derive(Parser)]
#[command(name = "ikenavi", version, about, long_about)]
struct Args {
    /// Use this directory file instead of the bundled one (also IKENAVI_DATA).
    #[arg(long, global = true, env = "IKENAVI_DATA", value_name = "FILE")]
    data: Option<PathBuf>,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Search the directory: free words, optionally narrowed by area, care type and need.
    Search {
        /// Words to search for (use `--` before a query that starts with `-`).
        query: Vec<String>,
        #[command(flatten)]
        filters: FilterArgs,
        /// How many hits to show.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Print JSON instead of aligned text.
        #[arg(long)]
        json: bool,
    },
    /// List every record that matches the filters (no text query).
    List {
        #[command(flatten)]
        filters: FilterArgs,
        /// Print JSON instead of aligned text.
        #[arg(long)]
        json: bool,
    },
    /// Show one record in full.
    Show {
        /// The record's id (see `list`).
        id: String,
        /// Print the record as stored (JSON).
        #[arg(long)]
        json: bool,
    },
    /// Measure load, index build, start-up, per-keystroke latency, frame time and memory.
    Bench {
        /// Eval-format query file (default: the built-in eval cases).
        #[arg(long, value_name = "FILE")]
        queries: Option<PathBuf>,
        /// Print JSON instead of aligned text.
        #[arg(long)]
        json: bool,
    },
    /// Write a synthetic directory of N records (for benchmarks), deterministic for a seed.
    Synth {
        /// How many records.
        #[arg(long)]
        records: usize,
        /// Seed of the generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output file (default: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Check a directory file (default: the one in use) and report every problem with its location.
    Validate {
        /// The file to check.
        file: Option<PathBuf>,
    },
    /// Generate a bundled data layer from public source files (see data/sources/README.md).
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// The national gazetteer: every prefecture, municipality and 政令市の区, with codes,
    /// readings, office coordinates and official websites.
    Gazetteer {
        /// Folder holding the committed sources.
        #[arg(long, value_name = "DIR", default_value = "data/sources")]
        sources: PathBuf,
        /// Where to write the gazetteer (atomically).
        #[arg(long, value_name = "FILE", default_value = "data/gazetteer.json")]
        out: PathBuf,
    },
}

#[derive(clap::Args)]
struct FilterArgs {
    /// Area where the person lives: name (品川区, 品川), reading (しながわ), romaji or id.
    #[arg(long, value_name = "AREA")]
    area: Option<String>,
    /// Care type: 人工呼吸器, 吸引, 胃ろう …, or its id.
    #[arg(long, value_name = "CARE")]
    care: Vec<String>,
    /// Need: ショートステイ, 放デイ, 相談 …, or its id.
    #[arg(long, value_name = "NEED")]
    need: Vec<String>,
}

impl From<FilterArgs> for Filters {
    fn from(f: FilterArgs) -> Self {
        Filters {
            area: f.area,
            care: f.care,
            need: f.need,
        }
    }
}

/// `ikenavi import gazetteer`: writes the file and says on stderr what was not used; exit 1 on
/// a source or write error (which names the file and line).
fn import_gazetteer(sources: &Path, out: &Path) -> ExitCode {
    let g = match ikenavi::import::gazetteer::write(sources, out) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("ikenavi: {e}");
            return ExitCode::from(1);
        }
    };
    eprintln!("{}: {} areas", out.display(), g.areas.len());
    for r in &g.report.ignored_rows {
        eprintln!(
            "  not used: {}:{}: {} {} (code not in the code list)",
            r.file, r.line, r.code, r.name
        );
    }
    if !g.report.without_office.is_empty() {
        eprintln!(
            "  no office row (no location, no url): {}",
            g.report.without_office.join(", ")
        );
    }
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let args = Args::parse();
    let data = cli::data_source(args.data);
    let mut out = std::io::stdout().lock();
    let outcome = match args.command {
        None => cli::no_subcommand(&data),
        Some(Command::Validate { file }) => {
            cli::validate(file.map_or(data, cli::data_source_file), &mut out)
        }
        Some(Command::List { filters, json }) => cli::list(&data, filters.into(), json, &mut out),
        Some(Command::Bench { queries, json }) => {
            cli::bench(&data, queries.as_deref(), json, &mut out)
        }
        Some(Command::Synth {
            records,
            seed,
            out: file,
        }) => cli::synth(&data, records, seed, file.as_deref()),
        Some(Command::Show { id, json }) => cli::show(&data, &id, json, &mut out),
        Some(Command::Import {
            what: ImportCommand::Gazetteer { sources, out: file },
        }) => return import_gazetteer(&sources, &file),
        Some(Command::Search {
            query,
            filters,
            limit,
            json,
        }) => cli::search(
            &data,
            &query.join(" "),
            filters.into(),
            limit,
            json,
            &mut out,
        ),
    };
    match outcome {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Usage(msg)) => {
            eprintln!("ikenavi: {msg}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("{e:#}");
            ExitCode::from(1)
        }
    }
}
