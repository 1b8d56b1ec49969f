//! `eastwest bench`: the services under a closed-loop load, each against a baseline that answers
//! the same calls with canned responses and no work, in alternating rounds of one run, so that a
//! slower machine or a noisy neighbour moves both figures alike and the ratio stays meaningful.

mod baseline;
mod load;
mod scenarios;

use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

use eastwest_proto::evaluation::v1::evaluation_service_server::EvaluationServiceServer;
use eastwest_proto::registry::v1::registry_service_server::RegistryServiceServer;
use tokio::sync::watch;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;

pub use scenarios::Scenario;

use crate::error::{CliError, CliResult};
use baseline::{Baseline, Canned};
use load::{Tally, channels, round};

/// What one scenario measured; `--json` prints exactly these keys.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Figures {
    pub scenario: String,
    pub requests: u64,
    pub errors: u64,
    pub rps: f64,
    pub p50_us: u64,
    pub p99_us: u64,
    pub baseline_rps: f64,
    pub ratio: f64,
    pub records: u64,
    pub rss_mib: f64,
}

/// How a run is shaped (`eastwest bench --help` documents each).
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub duration: Duration,
    pub concurrency: usize,
    pub channels: usize,
    pub records: Option<u64>,
}

/// Peak resident memory of this process (the registry runs inside it), in MiB.
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Serves the baseline services on an ephemeral 127.0.0.1 port until `stop` turns true.
async fn start_baseline(canned: Canned, mut stop: watch::Receiver<bool>) -> anyhow::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let baseline = Baseline(Arc::new(canned));
    let router = Server::builder()
        .add_service(RegistryServiceServer::new(baseline.clone()).max_encoding_message_size(64 << 20))
        .add_service(EvaluationServiceServer::new(baseline).max_encoding_message_size(64 << 20));
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    tokio::spawn(router.serve_with_incoming_shutdown(incoming, async move {
        let _ = stop.wait_for(|s| *s).await;
    }));
    Ok(url)
}

fn summarize(scenario: Scenario, mut subject: Tally, baseline: Tally, records: u64) -> Figures {
    let rate = |t: &Tally| if t.busy.is_zero() { 0.0 } else { t.items as f64 / t.busy.as_secs_f64() };
    let (rps, baseline_rps) = (rate(&subject), rate(&baseline));
    Figures {
        scenario: scenario.name().to_string(),
        requests: subject.items,
        errors: subject.errors + baseline.errors,
        rps,
        p50_us: subject.percentile_us(0.50),
        p99_us: subject.percentile_us(0.99),
        baseline_rps,
        ratio: if baseline_rps > 0.0 { rps / baseline_rps } else { 0.0 },
        records,
        rss_mib: peak_rss_mib(),
    }
}

/// Runs one scenario: prepare the subject, capture canned answers, then alternate rounds.
pub async fn measure(
    scenario: Scenario,
    shape: Shape,
    data_dir: Option<&std::path::Path>,
) -> anyhow::Result<(Figures, Option<String>)> {
    let subject = scenarios::Subject::start(scenario, shape.records, data_dir).await?;
    let (stop, stopping) = watch::channel(false);
    let canned = subject.capture().await?;
    let baseline_url = start_baseline(canned, stopping).await?;
    let target_url = if scenario.uses_evaluation() { &subject.evaluation_url } else { &subject.registry_url };
    let subject_channels = channels(target_url, shape.channels).await?;
    let baseline_channels = channels(&baseline_url, shape.channels).await?;
    let call = scenario.call(subject.records_for_calls);
    let seq = Arc::new(AtomicU64::new(0));
    // A stream is long; one at a time, in rounds long enough to finish several.
    let (concurrency, round_len) = if scenario == Scenario::EvaluateStream {
        (1, shape.duration / 4)
    } else {
        (shape.concurrency, (shape.duration / 8).clamp(Duration::from_millis(250), Duration::from_secs(2)))
    };
    // Warm both up (connections, caches), unmeasured.
    let warm = Duration::from_millis(300);
    round(&call, &baseline_channels, concurrency, warm, &seq).await;
    round(&call, &subject_channels, concurrency, warm, &seq).await;
    let (mut on_subject, mut on_baseline) = (Tally::default(), Tally::default());
    let per_side = shape.duration / 2;
    while on_subject.busy < per_side || on_baseline.busy < per_side {
        on_baseline.absorb(round(&call, &baseline_channels, concurrency, round_len, &seq).await);
        on_subject.absorb(round(&call, &subject_channels, concurrency, round_len, &seq).await);
    }
    let first_error = on_subject.first_error.clone().or_else(|| on_baseline.first_error.clone());
    let records = subject.records().await;
    let figures = summarize(scenario, on_subject, on_baseline, records);
    let _ = stop.send(true);
    subject.stop().await;
    Ok((figures, first_error))
}

fn table_row(f: &Figures) -> Vec<String> {
    vec![
        f.scenario.clone(),
        f.requests.to_string(),
        f.errors.to_string(),
        format!("{:.0}", f.rps),
        f.p50_us.to_string(),
        f.p99_us.to_string(),
        format!("{:.0}", f.baseline_rps),
        format!("{:.2}", f.ratio),
        f.records.to_string(),
        format!("{:.0}", f.rss_mib),
    ]
}

/// `eastwest bench`.
pub async fn run(scenario: Scenario, shape: Shape, json: bool, data_dir: Option<std::path::PathBuf>) -> CliResult {
    let list: Vec<Scenario> = if scenario == Scenario::All { Scenario::EACH.to_vec() } else { vec![scenario] };
    let started = Instant::now();
    let mut table = crate::output::Table::new(&[
        "SCENARIO",
        "REQUESTS",
        "ERRORS",
        "RPS",
        "P50 µs",
        "P99 µs",
        "BASELINE RPS",
        "RATIO",
        "RECORDS",
        "RSS MiB",
    ]);
    let mut failed = Vec::new();
    for s in list {
        eprintln!("{}: preparing …", s.name());
        // With --data-dir, each scenario keeps its data in its own subdirectory.
        let dir = data_dir.as_ref().map(|d| d.join(s.name()));
        let (figures, first_error) = measure(s, shape, dir.as_deref()).await.map_err(CliError::Other)?;
        if figures.errors > 0 {
            failed.push(format!(
                "{}: {} errors, e.g. {}",
                figures.scenario,
                figures.errors,
                first_error.unwrap_or_default()
            ));
        }
        if json {
            crate::outln!("{}", serde_json::to_string(&figures).map_err(|e| CliError::Other(e.into()))?);
        } else {
            table.row(table_row(&figures));
        }
    }
    if !json {
        table.print();
        eprintln!(
            "{:.0} s in all; rps per side over alternating rounds; RSS is this process's peak",
            started.elapsed().as_secs_f64()
        );
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(CliError::Other(anyhow::anyhow!("the run had errors: {}", failed.join("; "))))
    }
}
