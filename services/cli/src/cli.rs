//! The command line's shape. Every global flag has an environment twin.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Operate the East-West Collaboration registry and evaluation services.
#[derive(Debug, Parser)]
#[command(name = "eastwest", version, propagate_version = true)]
pub struct Cli {
    /// Registry URL.
    #[arg(long, global = true, env = "EASTWEST_REGISTRY_URL", default_value = "http://127.0.0.1:50051")]
    pub registry: String,

    /// Evaluation service URL.
    #[arg(long, global = true, env = "EASTWEST_EVALUATION_URL", default_value = "http://127.0.0.1:50052")]
    pub evaluation: String,

    /// Output of read commands: tables for people, JSON (one object per line) for scripts.
    #[arg(long, global = true, env = "EASTWEST_OUTPUT", value_enum, default_value_t = Output::Table)]
    pub output: Output,

    /// Deadline of each call, in seconds.
    #[arg(long, global = true, env = "EASTWEST_TIMEOUT_SECS", default_value_t = 30)]
    pub timeout_secs: u64,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    Table,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the registry (embedded sled) and the evaluation service in this process, load the
    /// bundled sample data if the registry is empty, print the ranked evaluations, and serve until
    /// Ctrl-C.
    Up(UpArgs),
    /// Actors: governments, institutions, people's and social organizations, enterprises, individuals.
    Actors {
        #[command(subcommand)]
        command: RecordCommand<ActorFilters>,
    },
    /// Pairings between an eastern and a western party.
    Pairings {
        #[command(subcommand)]
        command: RecordCommand<PairingFilters>,
    },
    /// What happens in a pairing.
    Activities {
        #[command(subcommand)]
        command: ActivityCommand,
    },
    /// Annual agreements (年度协作协议): a pairing's targets for one calendar year.
    Agreements {
        #[command(subcommand)]
        command: AgreementCommand,
    },
    /// Load actors, pairings, activities and agreements from JSON Lines, or actors, pairings or
    /// agreements from CSV. Idempotent by id: records already present and equal are reported unchanged.
    Import(ImportArgs),
    /// Write every actor, pairing, activity and agreement as JSON Lines that `import` reads back.
    Export(ExportArgs),
    /// Evaluate one pairing, or with --all every pairing the filters match.
    Evaluate(EvaluateArgs),
    /// Summarize evaluations by group.
    Summary(SummaryArgs),
    /// Write the assessor's report (Markdown, or one self-contained HTML file).
    Report(ReportArgs),
    /// Measure the services in this process against a do-nothing baseline (see docs/performance.md).
    Bench(BenchArgs),
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    #[arg(value_enum)]
    pub scenario: crate::bench::Scenario,
    /// Measured time per scenario, split evenly between subject and baseline (and raw etcd on
    /// `--store etcd`): `10s`, `500ms`, `1m`.
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    pub duration: std::time::Duration,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 64)]
    pub concurrency: usize,
    /// HTTP/2 connections the requests share.
    #[arg(long, default_value_t = 4)]
    pub channels: usize,
    /// Records to load first (actors, or pairings for the pairing scenarios); each scenario has a default.
    #[arg(long)]
    pub records: Option<u64>,
    /// One JSON object per scenario instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Keep the subject's registry data here (a new directory) instead of a temporary one, e.g. to
    /// time a restart of `eastwest-registry` on a million actors afterwards. sled only.
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// The registry's store: `sled`, or `etcd` (needs a build with the `etcd` feature). On etcd the
    /// registry scenarios also report `etcd_raw_rps`: the same reads and writes sent straight to etcd.
    #[arg(long, value_enum, default_value_t = crate::bench::StoreKind::Sled)]
    pub store: crate::bench::StoreKind,
    /// etcd client URLs, comma-separated, for `--store etcd`. Without them each scenario starts a
    /// single etcd member of its own (the `etcd` binary on PATH) on 127.0.0.1 and stops it after.
    #[arg(long, value_delimiter = ',')]
    pub etcd_endpoints: Vec<String>,
}

/// `10s`, `500ms`, `2m`.
fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let (digits, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len()));
    let n: u64 = digits.parse().map_err(|_| format!("{text:?} is not a duration such as 10s, 500ms or 2m"))?;
    match unit {
        "ms" => Ok(std::time::Duration::from_millis(n)),
        "s" | "" => Ok(std::time::Duration::from_secs(n)),
        "m" => Ok(std::time::Duration::from_secs(n * 60)),
        _ => Err(format!("{text:?}: use a unit of ms, s or m")),
    }
}

#[derive(Debug, Args)]
pub struct UpArgs {
    /// Where the registry keeps its data (in `registry/` below it).
    #[arg(long, env = "EASTWEST_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// Registry address.
    #[arg(long, env = "EASTWEST_REGISTRY_LISTEN", default_value = "127.0.0.1:50051")]
    pub registry_listen: std::net::SocketAddr,
    /// Evaluation address.
    #[arg(long, env = "EASTWEST_EVALUATION_LISTEN", default_value = "127.0.0.1:50052")]
    pub evaluation_listen: std::net::SocketAddr,
    /// Do not load the bundled sample data, even into an empty registry.
    #[arg(long)]
    pub no_sample: bool,
    /// Evaluate as of this date (YYYY-MM-DD); default today (with --year: the year's last day).
    #[arg(long)]
    pub as_of: Option<String>,
    /// Rank the pairings as of this calendar year (2000–2100): each is evaluated on that year's
    /// activities against its annual agreement, and the ranking shows effectiveness, governance and
    /// both sides' grades (province pairings also fiscal aid per county pairing below them). Without
    /// it, `up` ranks as it always has: no year, every activity up to --as-of counts.
    #[arg(long, value_parser = clap::value_parser!(i32).range(2000..=2100))]
    pub year: Option<i32>,
    /// Load, evaluate and print, then stop instead of serving (for scripts and tests).
    #[arg(long)]
    pub once: bool,
}

#[derive(Debug, Subcommand)]
pub enum RecordCommand<F: Args> {
    /// List with filters and paging.
    List {
        #[command(flatten)]
        filters: F,
        #[command(flatten)]
        paging: Paging,
    },
    /// Show one by name (actors/js-gov, pairings/js-sn) or bare id (js-gov, js-sn).
    Get { name: String },
    /// Create from proto3 JSON (`--json '{...}'` or `--file F`, `-` for stdin).
    Create(CreateArgs),
    /// Change the fields the JSON names, and only those: `--json '{"display_name":"..."}'`. A field
    /// given its default (`""`, `[]`, `{}`) is cleared; a list or map given is replaced whole, not
    /// merged. With `--replace` the JSON is the whole record (`get --output json`, edited): fields
    /// it leaves out are cleared, and its etag makes the update fail if the record changed meanwhile.
    Update(UpdateArgs),
    /// Delete by name or id.
    Delete {
        name: String,
        /// Only if the record still has this etag.
        #[arg(long, default_value = "")]
        etag: String,
        /// Pairings only: also delete the pairing's activities and agreements.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ActivityCommand {
    /// List the activities of a pairing.
    List {
        /// The pairing (pairings/{id} or id).
        pairing: String,
        #[command(flatten)]
        paging: Paging,
    },
    /// Show one activity (pairings/{id}/activities/{id}).
    Get { name: String },
    /// Record an activity in a pairing from proto3 JSON.
    Create {
        /// The pairing (pairings/{id} or id).
        pairing: String,
        #[command(flatten)]
        create: CreateArgs,
    },
    /// Delete an activity.
    Delete {
        name: String,
        #[arg(long, default_value = "")]
        etag: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AgreementCommand {
    /// List every agreement of a pairing, by year (all pages).
    List {
        /// The pairing (pairings/{id} or id).
        pairing: String,
    },
    /// Show one agreement (pairings/{id}/agreements/{year}, or {id}/agreements/{year}).
    Get { name: String },
    /// Record a pairing's agreement for a year from proto3 JSON.
    ///
    /// E.g. `create js-sn --year 2022 --json
    /// '{"signed_date":"2022-03-01","targets":[{"indicator":"INDICATOR_FISCAL_AID","side":"SIDE_EAST","value":175800000000}]}'`:
    /// a target without `side` is the pairing's as a whole; values are in the indicator's unit
    /// (fen for money).
    Create {
        /// The pairing (pairings/{id} or id).
        pairing: String,
        /// The year, four digits (the agreement's id); without it, the JSON's `year` or `name`.
        #[arg(long)]
        year: Option<String>,
        #[command(flatten)]
        record: RecordJson,
    },
    /// Change the fields the JSON names, and only those.
    ///
    /// The fields are signed_date, targets, description and labels: `--json
    /// '{"description":"..."}'`; a field given its default is cleared, and targets given replace
    /// the targets whole. With `--replace` the JSON is the whole agreement (`get --output json`,
    /// edited): fields it leaves out are cleared, and its etag makes the update fail if the
    /// agreement changed meanwhile.
    Update(UpdateArgs),
    /// Delete an agreement.
    Delete {
        name: String,
        /// Only if the agreement still has this etag.
        #[arg(long, default_value = "")]
        etag: String,
    },
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The client-chosen id; the server picks one when omitted.
    #[arg(long)]
    pub id: Option<String>,
    #[command(flatten)]
    pub record: RecordJson,
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The record to change, by name or id.
    pub name: String,
    #[command(flatten)]
    pub record: RecordJson,
    /// Only if the record still has this etag (else ABORTED). Without it, an `etag` in the JSON
    /// is checked; with neither, the change applies whatever the record's etag.
    #[arg(long, default_value = "")]
    pub etag: String,
    /// The JSON is the whole record: every field it leaves out is cleared (update mask `*`).
    #[arg(long)]
    pub replace: bool,
}

/// A record, or the fields to change, as proto3 JSON.
#[derive(Debug, Args)]
pub struct RecordJson {
    /// The record as proto3 JSON.
    #[arg(long, conflicts_with = "file", required_unless_present = "file")]
    pub json: Option<String>,
    /// A file holding the record as proto3 JSON; `-` reads standard input.
    #[arg(long)]
    pub file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct Paging {
    /// Records per page; the registry gives at most 1,000.
    // Negative numbers are read as values, so that `--page-size -1` is told the range rather than
    // "unexpected argument '-1'".
    #[arg(long, default_value_t = 50, allow_negative_numbers = true,
          value_parser = clap::value_parser!(i32).range(1..))]
    pub page_size: i32,
    /// Continue from this token.
    #[arg(long, default_value = "")]
    pub page_token: String,
    /// Follow page tokens to the end.
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Clone, Args, Default)]
pub struct ActorFilters {
    /// e.g. government-body, social-organization.
    #[arg(long, value_enum)]
    pub category: Option<Category>,
    #[arg(long, value_enum)]
    pub side: Option<SideArg>,
    /// Region-code prefix, e.g. 52 (Guizhou).
    #[arg(long)]
    pub region_prefix: Option<String>,
}

#[derive(Debug, Clone, Args, Default)]
pub struct PairingFilters {
    /// An actor on either side (actors/{id} or id).
    #[arg(long)]
    pub actor: Option<String>,
    #[arg(long, value_enum)]
    pub level: Option<Level>,
    #[arg(long, value_enum)]
    pub leadership: Option<LeadershipArg>,
    #[arg(long, value_enum)]
    pub state: Option<State>,
    /// Direct children of this pairing.
    #[arg(long)]
    pub parent: Option<String>,
    /// Region-code prefix of the east or west actor.
    #[arg(long)]
    pub region_prefix: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Category {
    GovernmentBody,
    PublicInstitution,
    StateOwnedEnterprise,
    PeoplesOrganization,
    SocialOrganization,
    PrivateEnterprise,
    Individual,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SideArg {
    East,
    West,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Level {
    Province,
    Prefecture,
    County,
    Town,
    Village,
    EnterpriseVillage,
    SocialOrgVillage,
    School,
    Hospital,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LeadershipArg {
    GovernmentLed,
    MarketLed,
    SocietyLed,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum State {
    Planned,
    Active,
    Suspended,
    Closed,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A .jsonl file (actors, pairings, activities, agreements) or a .csv file (actors, pairings or
    /// agreements, the header decides which); `-` reads JSON Lines from standard input. Agreements
    /// CSV: `pairing,year,signed_date,description,labels,indicator,side,value`, one row per target;
    /// rows with the same pairing and year are one agreement (its signed_date, description and
    /// labels given on any of them, once), `side` east, west or empty for the pairing as a whole,
    /// `value` in the indicator's unit (fen for money).
    pub file: PathBuf,
    /// Override the format guessed from the file name.
    #[arg(long, value_enum)]
    pub format: Option<ImportFormat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    Jsonl,
    Csv,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Write here instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// The pairing (pairings/{id} or id); omit with --all.
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub pairing: Option<String>,
    /// Every pairing the filters match, streamed.
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub filters: PairingFilters,
    /// Evaluate as of this date (YYYY-MM-DD); default today.
    #[arg(long, default_value = "")]
    pub as_of: String,
    /// Evaluate this calendar year (2000–2100) against its annual agreement: its activities are
    /// the year's actuals, the year before gives the previous figures. With it, --as-of defaults to
    /// the year's last day (today, for the current year) and must fall inside the year. Without it,
    /// every activity up to --as-of counts and there is no effectiveness score.
    #[arg(long, value_parser = clap::value_parser!(i32).range(2000..=2100))]
    pub year: Option<i32>,
    /// The registry, read for the county pairings below a province pairing (per-county figures).
    #[arg(from_global)]
    pub registry: String,
    #[arg(from_global)]
    pub timeout_secs: u64,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GroupByArg {
    EastProvince,
    WestProvince,
    Leadership,
    Level,
}

#[derive(Debug, Args)]
pub struct SummaryArgs {
    #[arg(long, value_enum)]
    pub group_by: GroupByArg,
    #[command(flatten)]
    pub filters: PairingFilters,
    #[arg(long, default_value = "")]
    pub as_of: String,
    /// Evaluate this calendar year (2000–2100) against its annual agreement: its activities are
    /// the year's actuals, the year before gives the previous figures. With it, --as-of defaults to
    /// the year's last day (today, for the current year) and must fall inside the year. Without it,
    /// every activity up to --as-of counts and there is no effectiveness score.
    #[arg(long, value_parser = clap::value_parser!(i32).range(2000..=2100))]
    pub year: Option<i32>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    Markdown,
    Html,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[arg(long, value_enum)]
    pub format: ReportFormat,
    #[arg(long)]
    pub out: PathBuf,
    #[command(flatten)]
    pub filters: PairingFilters,
    /// The date of the year assessed (with --year: inside it); the trend's earlier years are
    /// evaluated as of their last day.
    #[arg(long, default_value = "")]
    pub as_of: String,
    /// Assess this calendar year (2000–2100): each pairing's results against its annual agreement,
    /// both sides' grades, and its grade in each of the last three years ending at this one.
    #[arg(long, value_parser = clap::value_parser!(i32).range(2000..=2100))]
    pub year: Option<i32>,
    /// The registry, read for the county pairings below a province pairing (per-county figures).
    #[arg(from_global)]
    pub registry: String,
    #[arg(from_global)]
    pub timeout_secs: u64,
}
