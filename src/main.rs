//! `ikenavi` — the command line: parse arguments (clap) and dispatch. Nothing else lives here.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use ikenavi::cli::{self, Outcome};
use ikenavi::directory::FilterNames;
use ikenavi::search::Sort;

/// 医ケアナビ — 医療的ケア児の支援を、電話の最中に探すための端末ディレクトリ。
///
/// With no subcommand on a terminal it starts the interactive UI on the bundled directory.
#[derive(Parser)]
#[command(name = "ikenavi", version, about, long_about)]
struct Args {
    /// Add a directory file as a layer on the bundled directory (repeatable; also
    /// IKENAVI_DATA as a path list and `data` in config.toml).
    #[arg(long, global = true, value_name = "FILE")]
    data: Vec<PathBuf>,

    /// Use only the --data / IKENAVI_DATA / config files, not the bundled directory.
    #[arg(long, global = true)]
    no_bundled: bool,

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
        /// Order: best match first (distance counts), or nearest first (needs --area).
        #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
        sort: SortArg,
        /// Print JSON instead of aligned text.
        #[arg(long)]
        json: bool,
    },
    /// List every record that matches the filters (no text query).
    List {
        #[command(flatten)]
        filters: FilterArgs,
        /// Order: file order, or nearest first (needs --area).
        #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
        sort: SortArg,
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
    /// Check a directory file as a layer on the bundled directory (default: every layer in
    /// use) and report every problem with its location.
    Validate {
        /// The file to check.
        file: Option<PathBuf>,
    },
    /// List the gazetteer (every area of Japan as a tree, with readings and codes), or the
    /// areas whose name, reading, romaji or code contains QUERY.
    Areas {
        /// Part of a name, reading, romaji or code (大阪, おおさか, oosaka, 27127).
        query: Option<String>,
        /// Print JSON instead of aligned text.
        #[arg(long)]
        json: bool,
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
    /// WAM NET open data (障害福祉サービス等情報公表システム, csvdownload0NN.csv, UTF-8 or
    /// Shift_JIS): one record per office with its official phone, fax, address, URL,
    /// coordinates, hours and 事業所番号. Every row is in a record or in the report.
    Wamnet {
        /// The downloaded files.
        #[arg(required = true, value_name = "CSV")]
        files: Vec<PathBuf>,
        /// Where to write the layer (atomically; default: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// The release (YYYY-MM); default: from the files' folder name `wamnet-YYYY-MM`.
        #[arg(long, value_name = "YYYY-MM")]
        as_of: Option<String>,
        /// Write every report entry (file:line: what and why) to FILE.
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        /// Service type codes (053,054) imported only for offices in --to-prefectures; other
        /// types are imported everywhere.
        #[arg(long, value_name = "CODES", value_delimiter = ',')]
        restrict_types: Vec<String>,
        /// Prefectures (13,35 or 東京都,山口県) for --restrict-types.
        #[arg(long, value_name = "PREFS", value_delimiter = ',')]
        to_prefectures: Vec<String>,
    },
    /// Links between curated records and open-data offices: the same office has the same
    /// name (normalized; aliases included) in the same municipality. Ambiguous cases are not
    /// linked but listed for review.
    Links {
        /// The curated records.
        #[arg(long, value_name = "FILE", default_value = "data/curated.json")]
        curated: PathBuf,
        /// The open-data offices (written by `import wamnet`).
        #[arg(long, value_name = "FILE", default_value = "data/wamnet.json")]
        offices: PathBuf,
        /// Where to write the links (atomically; default: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Write every link and every case left for review, as text, to FILE.
        #[arg(long, value_name = "FILE")]
        review: Option<PathBuf>,
    },
}

#[derive(clap::Args)]
struct FilterArgs {
    /// Area where the person lives: name (品川区, 大阪市北区), reading (しながわ), romaji or code
    /// (13109, 271276). An ambiguous name (北区) exits 2 listing every candidate.
    #[arg(long, value_name = "AREA")]
    area: Option<String>,
    /// Care type: 人工呼吸器, 吸引, 胃ろう …, or its id.
    #[arg(long, value_name = "CARE")]
    care: Vec<String>,
    /// Need: ショートステイ, 放デイ, 相談 …, or its id.
    #[arg(long, value_name = "NEED")]
    need: Vec<String>,
    /// Only records whose contact has a phone number (電話あり).
    #[arg(long)]
    with_phone: bool,
    /// With --area: also offices within KM of the area's office, across borders (default 30,
    /// or `within_km` in config.toml; 0: only those serving the area).
    #[arg(long, value_name = "KM")]
    within: Option<u32>,
}

/// `--sort`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum SortArg {
    /// Best match first (`list`: file order).
    Relevance,
    /// Nearest to the area's office first; records without coordinates last.
    Distance,
}

impl From<SortArg> for Sort {
    fn from(s: SortArg) -> Self {
        match s {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Distance => Sort::Distance,
        }
    }
}

impl FilterArgs {
    /// The filters as typed; the radius from the flag, else the config.
    fn names(self, config: &ikenavi::config::Config) -> FilterNames {
        FilterNames {
            area: self.area,
            care: self.care,
            need: self.need,
            with_phone: self.with_phone,
            within_km: self.within.or(config.within_km),
        }
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let config = ikenavi::config::load();
    let data = cli::data_source(
        args.data,
        std::env::var_os("IKENAVI_DATA"),
        &config.config.data,
        args.no_bundled,
    );
    let mut out = std::io::stdout().lock();
    let outcome = match args.command {
        None => cli::no_subcommand(&data),
        Some(Command::Validate { file }) => {
            let data = match file {
                Some(f) => ikenavi::directory::DataSource {
                    bundled: !args.no_bundled,
                    files: vec![f],
                },
                None => data,
            };
            cli::validate(data, &mut out)
        }
        Some(Command::Areas { query, json }) => cli::areas(&data, query.as_deref(), json, &mut out),
        Some(Command::List {
            filters,
            sort,
            json,
        }) => cli::list(
            &data,
            filters.names(&config.config),
            sort.into(),
            json,
            &mut out,
        ),
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
        }) => cli::import_gazetteer(&sources, &file),
        Some(Command::Import {
            what:
                ImportCommand::Wamnet {
                    files,
                    out: file,
                    as_of,
                    report,
                    restrict_types,
                    to_prefectures,
                },
        }) => cli::import_wamnet(
            &data,
            &cli::WamnetArgs {
                files,
                out: file,
                as_of,
                report,
                restrict_types,
                prefectures: to_prefectures,
            },
        ),
        Some(Command::Import {
            what:
                ImportCommand::Links {
                    curated,
                    offices,
                    out: file,
                    review,
                },
        }) => cli::import_links(&cli::LinksArgs {
            curated,
            offices,
            out: file,
            review,
        }),
        Some(Command::Search {
            query,
            filters,
            limit,
            sort,
            json,
        }) => cli::search(
            &data,
            &query.join(" "),
            filters.names(&config.config),
            limit,
            sort.into(),
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
