//! `eastwest up`: the whole system in one process, on real sample data, in one command.

use std::time::Duration;

use eastwest_evaluation::scoring::ScoringModel;
use eastwest_evaluation::server::EvaluationOptions;
use eastwest_proto::registry::v1 as pb;
use eastwest_registry::ServeOptions;
use eastwest_registry::store::{SledConfig, SledStore};
use tokio::sync::watch;

use crate::cli::{Output, PairingFilters, UpArgs};
use crate::error::{CliError, CliResult};
use crate::{connect, evaluate, json, output, transfer};

/// The bundled sample data: real pairings and published figures (see data/sample/SOURCES.md).
pub const SAMPLE: &str = include_str!("../../../data/sample/registry.jsonl");

async fn stopped(mut rx: watch::Receiver<bool>) {
    let _ = rx.wait_for(|stop| *stop).await;
}

pub async fn up(args: UpArgs, output: Output, timeout: Duration) -> CliResult {
    let dir = args.data_dir.join("registry");
    let store = SledStore::open(&SledConfig { path: dir.clone(), cache_capacity_bytes: 128 << 20 })
        .map_err(|e| CliError::Other(anyhow::anyhow!("cannot open the registry store in {}: {e}", dir.display())))?;
    let bind = |addr| async move {
        tokio::net::TcpListener::bind(addr).await.map_err(|e| {
            CliError::Other(anyhow::anyhow!("cannot listen on {addr}: {e} (is another eastwest running?)"))
        })
    };
    let registry_listener = bind(args.registry_listen).await?;
    let evaluation_listener = bind(args.evaluation_listen).await?;
    let registry_url = format!("http://{}", registry_listener.local_addr()?);
    let evaluation_url = format!("http://{}", evaluation_listener.local_addr()?);

    let (stop, stopping) = watch::channel(false);
    let registry_task = tokio::spawn(eastwest_registry::serve(
        registry_listener,
        store,
        ServeOptions::default(),
        stopped(stopping.clone()),
    ));
    let options = EvaluationOptions::new(vec![registry_url.clone()], ScoringModel::standard());
    let evaluation_task =
        tokio::spawn(eastwest_evaluation::server::serve(evaluation_listener, options, stopped(stopping.clone())));

    let result = present(&args, output, timeout, &registry_url, &evaluation_url).await;
    if result.is_ok() && !args.once {
        eprintln!("registry {registry_url} · evaluation {evaluation_url} · data {} · Ctrl-C stops", dir.display());
        eastwest_runtime::shutdown_signal().await;
    }
    let _ = stop.send(true);
    for task in [registry_task, evaluation_task] {
        match task.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("error while stopping: {e:#}"),
            Err(e) => eprintln!("error while stopping: {e}"),
        }
    }
    result
}

/// Loads the sample data into an empty registry and prints the ranked evaluations: per level, as of
/// `--year` when given.
async fn present(
    args: &UpArgs,
    output: Output,
    timeout: Duration,
    registry_url: &str,
    evaluation_url: &str,
) -> CliResult {
    let mut registry = connect::registry(registry_url, timeout)?;
    let first = registry.list_actors(pb::ListActorsRequest { page_size: 1, ..Default::default() }).await?.into_inner();
    if first.actors.is_empty() && !args.no_sample {
        let records = transfer::read_jsonl(SAMPLE);
        let summary = transfer::import_all(&mut registry, records).await;
        eprintln!(
            "sample data loaded: {} created, {} unchanged, {} failed",
            summary.created,
            summary.unchanged,
            summary.failed.len()
        );
        if let Some((line, reason)) = summary.failed.first() {
            return Err(CliError::Other(anyhow::anyhow!("the bundled sample data failed at line {line}: {reason}")));
        }
    }
    let mut evaluation = connect::evaluation(evaluation_url, timeout)?;
    let as_of = args.as_of.clone().unwrap_or_default();
    let evaluations = evaluate::collect(&mut evaluation, &PairingFilters::default(), &as_of, args.year).await?;
    match output {
        Output::Json => {
            for e in &evaluations {
                output::print_json(&json::to_value(json::EVALUATION, e, json::Fields::All)?);
            }
        }
        Output::Table => {
            let counties = evaluate::county_counts(&mut registry, &evaluations).await?;
            output::emit(&evaluate::ranking_text(&evaluations, &counties));
        }
    }
    Ok(())
}
