//! `eastwest-evaluation`: scores pairings read from the registry.

/// mimalloc: the services allocate many small strings per request, and glibc's allocator was the
/// largest item in profiles (see docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use eastwest_evaluation::scoring::ScoringModel;
use eastwest_evaluation::server::{EvaluationOptions, serve};
use eastwest_runtime::shutdown_signal;
use eastwest_runtime::telemetry::{self, LogFormat};

/// Scores East-West Collaboration pairings against the collaborative-governance criteria, with the evidence.
#[derive(Debug, Parser)]
#[command(name = "eastwest-evaluation", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "EASTWEST_EVALUATION_LISTEN", default_value = "127.0.0.1:50052")]
    listen: SocketAddr,

    /// Registry URL; several replicas may be given, separated by commas.
    #[arg(long, env = "EASTWEST_REGISTRY_URL", default_value = "http://127.0.0.1:50051", value_delimiter = ',')]
    registry: Vec<String>,

    /// Weights file (TOML) replacing the built-in scoring weights; see docs/scoring.md.
    #[arg(long, env = "EASTWEST_MODEL")]
    model: Option<PathBuf>,

    /// Seconds that in-flight requests get to finish on SIGTERM or SIGINT.
    #[arg(long, env = "EASTWEST_EVALUATION_DRAIN_TIMEOUT_SECS", default_value_t = 10)]
    drain_timeout_secs: u64,

    /// Log format: text for people, json for log collectors.
    #[arg(long, env = "EASTWEST_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
}

fn main() -> std::process::ExitCode {
    eastwest_runtime::exit_code(run())
}

#[tokio::main]
async fn run() -> anyhow::Result<()> {
    let args = Args::parse();
    telemetry::init(args.log_format);
    let model = match &args.model {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            ScoringModel::from_toml(&text).with_context(|| format!("invalid scoring model in {}", path.display()))?
        }
        None => ScoringModel::standard(),
    };
    tracing::info!(version = model.version(), "scoring model loaded");
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let mut options = EvaluationOptions::new(args.registry, model);
    options.drain_timeout = Duration::from_secs(args.drain_timeout_secs);
    serve(listener, options, shutdown_signal()).await
}
