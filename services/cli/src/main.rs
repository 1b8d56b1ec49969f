//! `eastwest`: the operator command line. Exit codes: 0 ok, 1 a failed call, 2 bad usage.

/// mimalloc: the services allocate many small strings per request, and glibc's allocator was the
/// largest item in profiles (see docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use eastwest_cli::cli::{Cli, Command};
use eastwest_cli::error::{CliError, CliResult};
use eastwest_cli::{bench, connect, evaluate, records, transfer, up};
use eastwest_runtime::telemetry::{self, LogFormat};

async fn run(cli: Cli) -> CliResult {
    let timeout = Duration::from_secs(cli.timeout_secs);
    match cli.command {
        Command::Up(args) => up::up(args, cli.output, timeout).await,
        Command::Actors { command } => {
            records::actors(connect::registry(&cli.registry, timeout)?, cli.output, command).await
        }
        Command::Pairings { command } => {
            records::pairings(connect::registry(&cli.registry, timeout)?, cli.output, command).await
        }
        Command::Activities { command } => {
            records::activities(connect::registry(&cli.registry, timeout)?, cli.output, command).await
        }
        Command::Agreements { command } => {
            records::agreements(connect::registry(&cli.registry, timeout)?, cli.output, command).await
        }
        Command::Import(args) => transfer::import_command(connect::registry(&cli.registry, timeout)?, args).await,
        Command::Export(args) => transfer::export_command(connect::registry(&cli.registry, timeout)?, args).await,
        Command::Evaluate(args) => {
            evaluate::evaluate(connect::evaluation(&cli.evaluation, timeout)?, cli.output, args).await
        }
        Command::Summary(args) => {
            evaluate::summary(connect::evaluation(&cli.evaluation, timeout)?, cli.output, args).await
        }
        Command::Report(args) => evaluate::report(connect::evaluation(&cli.evaluation, timeout)?, args).await,
        Command::Bench(args) => {
            let shape = bench::Shape {
                duration: args.duration,
                concurrency: args.concurrency.max(1),
                channels: args.channels.max(1),
                records: args.records,
            };
            if let Some(dir) = &args.data_dir
                && dir.exists()
            {
                return Err(CliError::Usage(format!("--data-dir {} exists; give a new directory", dir.display())));
            }
            let storage = bench::Storage { kind: args.store, etcd_endpoints: args.etcd_endpoints };
            bench::run(args.scenario, shape, args.json, args.data_dir, storage).await
        }
    }
}

/// The service a command talks to, and the flag that names it, for advice when it is unreachable.
fn target(cli: &Cli) -> Option<(String, &'static str)> {
    match cli.command {
        Command::Up(_) | Command::Bench(_) => None,
        Command::Evaluate(_) | Command::Summary(_) | Command::Report(_) => {
            Some((cli.evaluation.clone(), "--evaluation / EASTWEST_EVALUATION_URL"))
        }
        Command::Actors { .. }
        | Command::Pairings { .. }
        | Command::Activities { .. }
        | Command::Agreements { .. }
        | Command::Import(_)
        | Command::Export(_) => Some((cli.registry.clone(), "--registry / EASTWEST_REGISTRY_URL")),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(cli.command, Command::Up(_)) {
        telemetry::init(LogFormat::Text);
    }
    let target = target(&cli);
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let prefix = if matches!(e, CliError::Usage(_)) { "usage error" } else { "error" };
            eprintln!("{prefix}: {e}");
            if let (CliError::Call(status), Some((url, flag))) = (&e, target)
                && status.code() == tonic::Code::Unavailable
            {
                eprintln!("is the service at {url} running? ({flag} names it)");
            }
            ExitCode::from(e.exit_code())
        }
    }
}
