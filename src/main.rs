//! `ikenavi` — the command line: parse arguments (clap) and dispatch. The definition of the
//! arguments lives here too, with what only it feeds: the Japanese `--help` (clap's English
//! headings and help flag replaced in [`localized`]), shell completions and the man page.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Arg, ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand};
use ikenavi::cli::{self, CliResult, Outcome};
use ikenavi::directory::FilterNames;
use ikenavi::search::Sort;
use ikenavi::text::sanitize::sanitize_lines_for_terminal;

/// 医ケアナビ — 医療的ケア児の支援を、電話の最中に探すための端末ディレクトリ。
///
/// 引数なしで端末から起動すると、同梱のディレクトリで画面が開きます。
///
/// A keyboard-only directory of support for children who need medical care at home; with no
/// command on a terminal it starts the interactive UI.
#[derive(Parser)]
#[command(name = "ikenavi", version)]
struct Args {
    /// ディレクトリのファイルを同梱データに重ねる（繰り返し可。環境変数 IKENAVI_DATA のパス一覧、config.toml の data も重なります）
    #[arg(long, global = true, value_name = "FILE")]
    data: Vec<PathBuf>,

    /// 同梱データを使わず、--data / IKENAVI_DATA / 設定のファイルだけを使う
    #[arg(long, global = true)]
    no_bundled: bool,

    /// 対話画面で問い合わせを匿名で数える（config.toml の tally = true と同じ。入力した文字は残さず、地域・ケア・ニーズ・サービス種別の id と結果だけ。ikenavi tally で集計）
    #[arg(long)]
    tally: bool,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// 検索する: 語（いくつでも）と、地域・ケアの種類・ニーズでの絞り込み
    Search {
        /// 探す語（`-` で始まる語は `--` の後に）
        query: Vec<String>,
        #[command(flatten)]
        filters: FilterArgs,
        /// 表示する件数（既定: 10）
        #[arg(long, default_value_t = 10, hide_default_value = true)]
        limit: usize,
        /// 並び順: relevance（関連の強い順。距離も加味）か distance（近い順。--area が必要）（既定: relevance）
        #[arg(long, value_enum, default_value_t = SortArg::Relevance, hide_default_value = true)]
        sort: SortArg,
        /// 整形した表ではなく JSON で出力
        #[arg(long)]
        json: bool,
    },
    /// 絞り込みに合う記録をすべて一覧にする（検索語なし）
    List {
        #[command(flatten)]
        filters: FilterArgs,
        /// 並び順: relevance（ファイルの順）か distance（近い順。--area が必要）（既定: relevance）
        #[arg(long, value_enum, default_value_t = SortArg::Relevance, hide_default_value = true)]
        sort: SortArg,
        /// 整形した表ではなく JSON で出力
        #[arg(long)]
        json: bool,
    },
    /// 1件をすべての項目で表示する
    Show {
        /// 記録の id（`list` で分かります）
        id: String,
        /// 保存されている形（JSON）で出力
        #[arg(long)]
        json: bool,
        /// 読み上げ用カード（名称・電話・何をしてくれるか・対象・所在地・時間・出典1行）で出力
        #[arg(long, conflicts_with = "json")]
        card: bool,
    },
    /// 性能を測る: 読み込み、索引の作成、起動、1打鍵ごとの応答、描画時間、メモリ
    Bench {
        /// 評価形式の検索語ファイル（既定: 組み込みの評価ケース）
        #[arg(long, value_name = "FILE")]
        queries: Option<PathBuf>,
        /// 整形した表ではなく JSON で出力
        #[arg(long)]
        json: bool,
    },
    /// ベンチマーク用の合成ディレクトリ（N件、シードごとに同じ内容）を書き出す
    Synth {
        /// 件数
        #[arg(long)]
        records: usize,
        /// 生成のシード（既定: 1）
        #[arg(long, default_value_t = 1, hide_default_value = true)]
        seed: u64,
        /// 出力ファイル（既定: 標準出力）
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// オープンデータ（import wamnet が作るレイヤー）の形の事業所を書く: 法人・住所・座標・電話・営業時間・指定サービス
        #[arg(long, conflicts_with = "wamnet_csv")]
        open_data: bool,
        /// import wamnet の入力（サービス種別ごとの csvdownload0NN.csv、合計 N 行）を DIR に書く
        #[arg(long, value_name = "DIR")]
        wamnet_csv: Option<PathBuf>,
    },
    /// ディレクトリのファイルを検査し、問題をすべて位置つきで示す（FILE は同梱データに重ねて検査。既定: 使用中のすべてのレイヤー）
    Validate {
        /// 検査するファイル
        file: Option<PathBuf>,
    },
    /// 全国の地域（都道府県・市区町村・政令市の区）を木の形で、よみ・コードつきで一覧にする。QUERY を与えると、名前・よみ・ローマ字・コードにそれを含む地域だけ
    Areas {
        /// 名前・よみ・ローマ字・コードの一部（大阪、おおさか、oosaka、27127）
        query: Option<String>,
        /// 整形した表ではなく JSON で出力
        #[arg(long)]
        json: bool,
        /// QUERY の地域のカード: 市区町村の代表窓口（代表電話・所在地・時間・出典）
        #[arg(long, conflicts_with = "json", requires = "query")]
        card: bool,
    },
    /// レイヤーを作る: 公開されている元ファイルから同梱データを（data/sources/README.md）、事業所の一覧（Excel/CSV）や HSDS から利用者のデータを
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
    /// ディレクトリを交換用の形式で書き出す
    Export {
        #[command(subcommand)]
        what: ExportCommand,
    },
    /// 導入の確認: 版、使っているデータ（件数・公開時点）、設定ファイル、キャッシュ・状態・保存先のフォルダ、端末（色・大きさ・UTF-8）と直し方（問題があれば終了コード 1）
    Doctor,
    /// 問い合わせの集計: 地域・ニーズ・ケア・月ごとの件数と、見つかった・遠方のみ・0件・見つからなかった（答えられなかった多い順）
    ///
    /// FILE（既定: 状態フォルダの tally.jsonl）を読み、いくつ与えても合わせて数えます（窓口の PC ごとのファイルをまとめる）。
    /// 読めない行は ファイル:行 を標準エラーに示して飛ばします。
    Tally {
        /// 集計のファイル（tally.jsonl。複数可）
        #[arg(value_name = "FILE")]
        files: Vec<PathBuf>,
        /// この日から（YYYY-MM-DD、その日を含む）
        #[arg(long, value_name = "YYYY-MM-DD")]
        since: Option<String>,
        /// この日まで（YYYY-MM-DD、その日を含む）
        #[arg(long, value_name = "YYYY-MM-DD")]
        until: Option<String>,
        /// まとめる単位: area（地域）、need（ニーズ）、care（ケアの種類）、service（サービス種別）、month（月）（既定: area）
        #[arg(long, value_enum, default_value_t = TallyBy::Area, hide_default_value = true)]
        by: TallyBy,
        /// 形式: md（会議資料用の表と棒グラフ）、csv（Excel 用、BOM つき UTF-8）、json（既定: md）
        #[arg(long, value_enum, default_value_t = TallyFormat::Md, hide_default_value = true)]
        format: TallyFormat,
    },
    /// シェルの補完スクリプトを出力する（インストール方法は README）
    ///
    /// 例: ikenavi completions bash > ~/.local/share/bash-completion/completions/ikenavi
    Completions {
        /// シェル
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// man ページ（roff）を出力する
    ///
    /// 例: ikenavi man > ~/.local/share/man/man1/ikenavi.1
    Man,
    /// コマンドのヘルプを表示する（`ikenavi help search` は `ikenavi search --help` と同じ）
    Help {
        /// コマンド（import wamnet のように続けて）
        #[arg(value_name = "COMMAND")]
        command: Vec<String>,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// 全国の地域レイヤー: 都道府県・市区町村・政令市の区を、コード・よみ・役所の座標・公式サイトつきで
    Gazetteer {
        /// 元ファイルのフォルダ（既定: data/sources）
        #[arg(
            long,
            value_name = "DIR",
            default_value = "data/sources",
            hide_default_value = true
        )]
        sources: PathBuf,
        /// 書き出す先（一度に置き換え。既定: data/gazetteer.json）
        #[arg(
            long,
            value_name = "FILE",
            default_value = "data/gazetteer.json",
            hide_default_value = true
        )]
        out: PathBuf,
    },
    /// WAM NET のオープンデータ（障害福祉サービス等情報公表システム、csvdownload0NN.csv、UTF-8 または Shift_JIS）から事業所レイヤーを作る
    ///
    /// 事業所ごとに1件: 公式の電話・FAX・住所・URL・座標・営業時間・事業所番号。どの行も、記録になるか報告に載ります。
    Wamnet {
        /// ダウンロードしたファイル（csvdownload0NN.csv、または WAM の zip: sfkopendata_YYYYMM_NN.zip）
        #[arg(required = true, value_name = "CSV|ZIP")]
        files: Vec<PathBuf>,
        /// 書き出す先（一度に置き換え。既定: 標準出力）
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// 公開の年月（YYYY-MM。日付の分からないファイルは 2024-04以前）。ファイルごとには FILE=YYYY-MM（繰り返し可）。既定: zip の名前 sfkopendata_YYYYMM_NN.zip、またはフォルダ名 wamnet-YYYY-MM から
        #[arg(long, value_name = "[FILE=]YYYY-MM")]
        as_of: Vec<String>,
        /// 報告のすべての項目（ファイル:行: 何を・なぜ）を FILE に書く
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        /// --to-prefectures の事業所だけを取り込むサービス種別コード（053,054）。ほかの種別は全国から取り込みます
        #[arg(long, value_name = "CODES", value_delimiter = ',')]
        restrict_types: Vec<String>,
        /// --restrict-types を取り込む都道府県（13,35 または 東京都,山口県）
        #[arg(long, value_name = "PREFS", value_delimiter = ',')]
        to_prefectures: Vec<String>,
        /// 記録が 0 件のとき、または同梱の data/wamnet.json にあるサービス種別の一部しかないときも書く（このレイヤーは同梱の事業所をまるごと置き換えるため、ない種別の事業所は読み込まれなくなります）
        #[arg(long)]
        allow_partial: bool,
        /// 前回の import wamnet が書いたレイヤー。指定ごと（事業所番号＋サービス種別）に比べ、新規・廃止・変更・番号変更を標準エラーにまとめます
        #[arg(long, value_name = "OLD.json")]
        previous: Option<PathBuf>,
        /// 変更の一覧を書く先（拡張子で形式: .json、.csv（Excel 用）、.md（会議用））。--previous と一緒に
        #[arg(long, value_name = "FILE", requires = "previous")]
        changes: Option<PathBuf>,
    },
    /// 事業所や自治体の一覧（Excel .xlsx、CSV/TSV。UTF-8 または Shift_JIS）からレイヤーを作る
    ///
    /// 見出し（名称・事業所名、フリガナ、電話番号、住所、市区町村、種別、対象、定員、備考 …）から列を推測し、
    /// 推測を FILE.map.toml に書きます（直して --map で渡せます）。取り込めない行は シート!セル（CSV は ファイル:行）と
    /// 理由を示し、終了コード 1。地域が見つからない・複数ある行は推測せずに報告します。
    Table {
        /// 一覧のファイル（.xlsx、.csv、.tsv）
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// 読むシート（既定: 対応表の sheet、なければ最初のシート）
        #[arg(long, value_name = "NAME")]
        sheet: Option<String>,
        /// 列の対応表（TOML）。なければ見出しから推測
        #[arg(long, value_name = "MAP.toml")]
        map: Option<PathBuf>,
        /// 書き出す先（一度に置き換え。既定: 標準出力）
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// 推測した対応表を書く先（既定: FILE.map.toml。すでにあれば書きません）
        #[arg(long, value_name = "MAP.toml")]
        write_map: Option<PathBuf>,
        /// 記録の出典の日付（YYYY-MM-DD。既定: 対応表の [source] date、なければファイルの更新日）
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// 記録の ID の頭（ID は「頭-行番号」。既定: ファイル名の英数字。ID の列があればその値）
        #[arg(long, value_name = "PREFIX")]
        id_prefix: Option<String>,
    },
    /// Open Referral HSDS 3.0（export hsds の出力、または services.json / services.csv のフォルダ、JSON ファイル）からレイヤーを作る
    Hsds {
        /// フォルダまたは JSON ファイル
        #[arg(value_name = "DIR")]
        path: PathBuf,
        /// 書き出す先（一度に置き換え。既定: 標準出力）
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// 対象地域がこのディレクトリの地域にないサービスに使う地域（名前かコード）。なければそのサービスは報告
        #[arg(long, value_name = "AREA")]
        area: Option<String>,
        /// 出典の日付のないサービスに使う日付（YYYY-MM-DD。既定: 今日）
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
    },
    /// 資料の記録とオープンデータの事業所を結ぶ（同じ名前・同じ市区町村）
    ///
    /// 名前は正規化して別名も含めて比べます。あいまいなものは結ばず、確認用に一覧にします。
    Links {
        /// 資料の記録（既定: data/curated.json）
        #[arg(
            long,
            value_name = "FILE",
            default_value = "data/curated.json",
            hide_default_value = true
        )]
        curated: PathBuf,
        /// オープンデータの事業所（`import wamnet` が書いたもの）（既定: data/wamnet.json）
        #[arg(
            long,
            value_name = "FILE",
            default_value = "data/wamnet.json",
            hide_default_value = true
        )]
        offices: PathBuf,
        /// 書き出す先（一度に置き換え。既定: 標準出力）
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// 結んだものと確認が必要なものをテキストで FILE に書く
        #[arg(long, value_name = "FILE")]
        review: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// Open Referral HSDS 3.0 で書き出す（json: services.json ほか、csv: 表形式のデータパッケージ）
    ///
    /// ケアの種類・ニーズは独自のタクソノミー、出典は metadata になります。CSV のセルは表計算ソフトで式として
    /// 動かないよう、= + - @ で始まるものの前に ' を付けます。
    Hsds {
        /// 書き出すフォルダ（なければ作ります）
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// 形式: json か csv（既定: json）
        #[arg(long, value_enum, default_value_t = HsdsFormat::Json, hide_default_value = true)]
        format: HsdsFormat,
    },
}

/// `tally --by`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum TallyBy {
    /// 地域
    Area,
    /// ニーズ
    Need,
    /// ケアの種類
    Care,
    /// サービス種別
    Service,
    /// 月
    Month,
}

impl From<TallyBy> for ikenavi::tally::By {
    fn from(b: TallyBy) -> Self {
        use ikenavi::tally::By;
        match b {
            TallyBy::Area => By::Area,
            TallyBy::Need => By::Need,
            TallyBy::Care => By::Care,
            TallyBy::Service => By::Service,
            TallyBy::Month => By::Month,
        }
    }
}

/// `tally --format`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum TallyFormat {
    /// 表と棒グラフ（Markdown）
    Md,
    /// Excel 用 CSV
    Csv,
    /// JSON
    Json,
}

/// `export hsds --format`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum HsdsFormat {
    /// services.json、taxonomies.json、taxonomy_terms.json、metadata.json
    Json,
    /// datapackage.json と表ごとの CSV
    Csv,
}

#[derive(clap::Args)]
struct FilterArgs {
    /// 住んでいる地域: 名前（品川区、大阪市北区）、よみ（しながわ）、ローマ字、コード（13109、271276）。「北区」のように複数ある名前は候補をすべて示して終了コード 2
    #[arg(long, value_name = "AREA")]
    area: Option<String>,
    /// ケアの種類: 人工呼吸器、吸引、胃ろう …、またはその id（繰り返し可）。資料にそのケアが書かれた記録のあとに、受入れが公開データでわからない事業所を「ケア要確認」として出す
    #[arg(long, value_name = "CARE")]
    care: Vec<String>,
    /// ニーズ: ショートステイ、放デイ、相談 …、またはその id（繰り返し可）
    #[arg(long, value_name = "NEED")]
    need: Vec<String>,
    /// 電話番号のある記録だけ（電話あり）
    #[arg(long)]
    with_phone: bool,
    /// --area と一緒に: その地域の役所から KM 以内の事業所も含める（県境をこえて。既定 30、
    /// config.toml の within_km。0 なら地域を対象とするものだけ）
    #[arg(long, value_name = "KM")]
    within: Option<u32>,
}

/// `--sort`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum SortArg {
    /// 関連の強い順（list はファイルの順。--care ではそのケアが書かれた記録が先）
    Relevance,
    /// 地域の役所から近い順（位置のない記録は最後）
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

/// The options given that mean nothing without an area.
fn options_needing_an_area(sort: SortArg, filters: &FilterArgs) -> Vec<&'static str> {
    let mut out = Vec::new();
    if matches!(sort, SortArg::Distance) {
        out.push("--sort distance");
    }
    if filters.within.is_some() {
        out.push("--within");
    }
    out
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

/// clap's help, with the headings in Japanese: the usage line, then 引数, オプション and
/// コマンド (the template replaces clap's English `Usage:`).
const HELP_TEMPLATE: &str =
    "{before-help}{about-with-newline}\n使い方: {usage}\n\n{all-args}{after-help}";

/// The command line as clap sees it, every level in Japanese: clap's own `-h/--help` (and the
/// top level's `-V/--version`) say 「Print help」 and cannot be reworded, so they are replaced
/// by flags of the same action with Japanese help; the headings of arguments and options are
/// set on each argument (clap names a heading only if an argument has none).
fn localized(cmd: clap::Command) -> clap::Command {
    let top = cmd.get_name() == "ikenavi";
    let mut cmd = cmd
        .help_template(HELP_TEMPLATE)
        .subcommand_help_heading("コマンド")
        .subcommand_value_name("COMMAND")
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .mut_args(|a| {
            if a.get_help_heading().is_some() {
                a
            } else if a.is_positional() {
                a.help_heading("引数")
            } else {
                a.help_heading("オプション")
            }
        })
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("ヘルプを表示（-h は要約、--help はすべて） / Print help")
                .help_heading("オプション"),
        );
    if top {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("バージョンを表示 / Print version")
                .help_heading("オプション"),
        );
    }
    cmd.mut_subcommands(localized)
}

/// The whole command line, localized: what is parsed, and what completions and the man page
/// describe.
fn command() -> clap::Command {
    localized(Args::command())
}

/// clap's usage errors, in Japanese: what was wrong with which argument, the suggestion,
/// the usage line and where to read more (help and version are printed as they are).
struct JapaneseErrors;

impl clap::error::ErrorFormatter for JapaneseErrors {
    fn format_error(e: &clap::error::Error<Self>) -> clap::builder::StyledStr {
        use clap::error::{ContextKind, ContextValue, ErrorKind};
        let get = |k| match e.get(k) {
            Some(ContextValue::String(s)) => s.clone(),
            Some(ContextValue::Strings(v)) => v.join("、"),
            Some(ContextValue::StyledStr(s)) => s.to_string(),
            Some(ContextValue::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        let arg = get(ContextKind::InvalidArg);
        let value = get(ContextKind::InvalidValue);
        let mut msg = match e.kind() {
            ErrorKind::UnknownArgument => format!("知らない引数です: {arg}"),
            ErrorKind::InvalidSubcommand => {
                format!(
                    "知らないコマンドです: {}",
                    get(ContextKind::InvalidSubcommand)
                )
            }
            ErrorKind::InvalidValue if value.is_empty() => format!("{arg} に値を付けてください"),
            ErrorKind::InvalidValue => {
                let valid = get(ContextKind::ValidValue);
                let valid = if valid.is_empty() {
                    String::new()
                } else {
                    format!("（使えるのは {valid}）")
                };
                format!("{arg} の値「{value}」は使えません{valid}")
            }
            ErrorKind::ValueValidation => format!("{arg} の値「{value}」が正しくありません"),
            ErrorKind::MissingRequiredArgument => format!("必要な引数がありません: {arg}"),
            ErrorKind::MissingSubcommand => "コマンドを指定してください".into(),
            ErrorKind::ArgumentConflict => format!(
                "{arg} は {} と一緒には使えません",
                get(ContextKind::PriorArg)
            ),
            ErrorKind::TooManyValues => format!("{arg} の値が多すぎます: {value}"),
            ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
                format!("{arg} の値の数が違います")
            }
            ErrorKind::NoEquals => format!("{arg} には = で値を付けてください"),
            ErrorKind::InvalidUtf8 => "引数に UTF-8 でない文字があります".into(),
            kind => format!(
                "引数が正しくありません（{}）",
                kind.as_str().unwrap_or("clap")
            ),
        };
        if let Some(why) = std::error::Error::source(e) {
            if why.is::<std::num::ParseIntError>() {
                msg.push_str("（0以上の整数で書いてください）");
            } else {
                msg.push_str(&format!(": {why}"));
            }
        }
        let mut out = format!("エラー: {msg}\n");
        let suggested = [ContextKind::SuggestedSubcommand, ContextKind::SuggestedArg]
            .into_iter()
            .map(get)
            .find(|s| !s.is_empty());
        if let Some(s) = suggested {
            out.push_str(&format!("  もしかして: {s}\n"));
        }
        let usage = get(ContextKind::Usage);
        if !usage.is_empty() {
            let usage = usage.trim().trim_start_matches("Usage:").trim();
            out.push_str(&format!("\n使い方: {usage}\n"));
        }
        out.push_str("\n詳しくは --help を見てください。\n");
        ikenavi::text::sanitize::sanitize_lines_for_terminal(&out)
            .into_owned()
            .into()
    }
}

/// Exits with clap's message for `e`: help and version as clap prints them, usage errors in
/// Japanese (exit code 2).
fn exit_with(e: clap::Error) -> ! {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => e.exit(),
        _ => e.apply::<JapaneseErrors>().exit(),
    }
}

fn main() -> ExitCode {
    let args = match command()
        .try_get_matches()
        .and_then(|m| Args::from_arg_matches(&m))
    {
        Ok(args) => args,
        Err(e) => exit_with(e),
    };
    let config = ikenavi::config::load();
    // The UI shows the config's warnings in its status line and `doctor` lists them; every
    // other command that reads the config says them here, before its own output.
    if matches!(
        args.command,
        Some(
            Command::Search { .. }
                | Command::List { .. }
                | Command::Show { .. }
                | Command::Validate { .. }
                | Command::Areas { .. }
                | Command::Bench { .. }
                | Command::Import { .. }
                | Command::Export { .. }
                | Command::Synth { .. }
        )
    ) {
        for w in &config.warnings {
            ikenavi::note!("ikenavi: {}", sanitize_lines_for_terminal(w));
        }
    }
    let data = cli::data_source(
        args.data,
        std::env::var_os("IKENAVI_DATA"),
        &config.config.data,
        args.no_bundled,
    );
    // The numbering plan takes ~0.1 s to get ready on first use: get it ready while the
    // directory loads, for every command that shows phones.
    if matches!(
        args.command,
        None | Some(Command::Search { .. } | Command::List { .. } | Command::Show { .. })
    ) {
        std::thread::spawn(ikenavi::text::phone::warm_up);
    }
    let mut out = std::io::stdout().lock();
    let outcome = match args.command {
        None => cli::no_subcommand(&data, ikenavi::tui::Options { tally: args.tally }),
        Some(Command::Tally {
            files,
            since,
            until,
            by,
            format,
        }) => cli::tally(
            &data,
            &cli::TallyArgs {
                files,
                since,
                until,
                by: by.into(),
                format: match format {
                    TallyFormat::Md => cli::TallyFormat::Markdown,
                    TallyFormat::Csv => cli::TallyFormat::Csv,
                    TallyFormat::Json => cli::TallyFormat::Json,
                },
            },
            &mut out,
        ),
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
        Some(Command::Areas { query, json, card }) => match (card, query.as_deref()) {
            (true, Some(q)) => cli::area_card(&data, q, &mut out),
            _ => cli::areas(&data, query.as_deref(), json, &mut out),
        },
        Some(Command::List {
            filters,
            sort,
            json,
        }) => {
            let needs_area = options_needing_an_area(sort, &filters);
            cli::list(
                &data,
                filters.names(&config.config),
                sort.into(),
                &needs_area,
                json,
                &mut out,
            )
        }
        Some(Command::Bench { queries, json }) => {
            cli::bench(&data, queries.as_deref(), json, &mut out)
        }
        Some(Command::Synth {
            records,
            seed,
            out: file,
            open_data,
            wamnet_csv,
        }) => {
            let shape = match wamnet_csv {
                Some(dir) => cli::SynthShape::WamnetCsv(dir),
                None if open_data => cli::SynthShape::OpenData,
                None => cli::SynthShape::Curated,
            };
            cli::synth(&data, records, seed, &shape, file.as_deref())
        }
        Some(Command::Show { id, json, card }) => {
            let form = match (json, card) {
                (true, _) => cli::ShowForm::Json,
                (_, true) => cli::ShowForm::Card,
                _ => cli::ShowForm::Fields,
            };
            cli::show(&data, &id, form, &mut out)
        }
        Some(Command::Completions { shell }) => completions(shell, &mut out),
        Some(Command::Man) => man(&mut out),
        Some(Command::Doctor) => cli::doctor(&data, &mut out),
        Some(Command::Help { command }) => help(&command),
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
                    allow_partial,
                    previous,
                    changes,
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
                allow_partial,
                previous,
                changes,
            },
        ),
        Some(Command::Import {
            what:
                ImportCommand::Table {
                    file,
                    sheet,
                    map,
                    out: file_out,
                    write_map,
                    as_of,
                    id_prefix,
                },
        }) => cli::import_table(
            &data,
            &cli::TableArgs {
                file,
                sheet,
                map,
                out: file_out,
                write_map,
                as_of,
                id_prefix,
            },
        ),
        Some(Command::Import {
            what:
                ImportCommand::Hsds {
                    path,
                    out: file_out,
                    area,
                    as_of,
                },
        }) => cli::import_hsds(
            &data,
            &cli::HsdsArgs {
                path,
                out: file_out,
                area,
                as_of,
            },
        ),
        Some(Command::Export {
            what: ExportCommand::Hsds { dir, format },
        }) => cli::export_hsds(&data, &dir, format == HsdsFormat::Csv),
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
        }) => {
            let needs_area = options_needing_an_area(sort, &filters);
            cli::search(
                &data,
                &query.join(" "),
                filters.names(&config.config),
                limit,
                cli::Order {
                    sort: sort.into(),
                    needs_area: &needs_area,
                },
                json,
                &mut out,
            )
        }
    };
    match outcome {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        // The reader went away (`ikenavi list | head`): what it wanted was written, as for
        // any Unix tool — not an error.
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        // Messages quote data (serde's error names the bad value, a usage error the area
        // asked for): each line is made inert before it reaches the terminal.
        Ok(Outcome::Usage(msg)) => {
            ikenavi::note!("ikenavi: {}", sanitize_lines_for_terminal(&msg));
            ExitCode::from(2)
        }
        Err(e) => {
            ikenavi::note!("{}", sanitize_lines_for_terminal(&format!("{e:#}")));
            ExitCode::from(1)
        }
    }
}

/// `completions SHELL`: the completion script, generated from the command line (made whole in
/// memory first: clap_complete panics on a write error, and a closed pipe is not one here).
fn completions(shell: clap_complete::Shell, out: &mut impl Write) -> CliResult {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command(), "ikenavi", &mut script);
    out.write_all(&script)?;
    Ok(Outcome::Ok)
}

/// `man`: the man page (roff) of the top level, listing every command.
fn man(out: &mut impl Write) -> CliResult {
    let mut page = Vec::new();
    clap_mangen::Man::new(command()).render(&mut page)?;
    out.write_all(&page)?;
    Ok(Outcome::Ok)
}

/// `help [COMMAND]...`: what `ikenavi COMMAND... --help` prints (clap's own `help` command is
/// English and is replaced by this one); an unknown command is clap's usage error.
fn help(path: &[String]) -> CliResult {
    let argv = std::iter::once("ikenavi")
        .chain(path.iter().map(String::as_str))
        .chain(["--help"]);
    match command().try_get_matches_from(argv) {
        Ok(_) => Ok(Outcome::Ok),
        Err(e) => exit_with(e),
    }
}
