//! `eastwest bench`: the services under a closed-loop load, each against a baseline that answers
//! the same calls with canned responses and no work, in alternating rounds of one run, so that a
//! slower machine or a noisy neighbour moves both figures alike and the ratio stays meaningful.

mod baseline;
#[cfg(feature = "etcd")]
mod etcd;
mod load;
mod scenarios;
mod subject;

use std::future::Future;
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
use load::{Side, Tally, channels, side};

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
    /// The engine under the registry; only on `--store etcd` (sled runs keep their keys as they were).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store: Option<&'static str>,
    /// The scenario's reads and writes done directly against etcd (the same load, concurrency and
    /// process): what etcd alone reaches. Only for the registry scenarios on `--store etcd`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etcd_raw_rps: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etcd_raw_p50_us: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etcd_raw_p99_us: Option<u64>,
    /// `rps / etcd_raw_rps`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etcd_ratio: Option<f64>,
}

/// Where the registry under test keeps its records (`--store`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum StoreKind {
    /// A fresh sled directory in a tempdir (or --data-dir).
    #[default]
    Sled,
    /// etcd: a single member the bench starts (the `etcd` binary on PATH), or --etcd-endpoints.
    Etcd,
}

/// The store choice of a run.
#[derive(Debug, Clone, Default)]
pub struct Storage {
    pub kind: StoreKind,
    /// etcd client URLs to use instead of a member of the bench's own; `--store etcd` only.
    pub etcd_endpoints: Vec<String>,
}

/// What `--store etcd` says in a build without the `etcd` feature.
pub const ETCD_BUILD_HINT: &str = "this eastwest was built without etcd support, so `bench --store etcd` cannot run; \
     build it with `cargo build --release -p eastwest-cli --features etcd` (needs protoc)";

impl Storage {
    /// Refuses combinations that cannot run: flags of the other engine, or etcd in a build
    /// without it.
    pub fn check(&self, data_dir: Option<&std::path::Path>) -> Result<(), CliError> {
        match self.kind {
            StoreKind::Sled if !self.etcd_endpoints.is_empty() => {
                Err(CliError::Usage("--etcd-endpoints applies to --store etcd only".into()))
            }
            StoreKind::Sled => Ok(()),
            StoreKind::Etcd if data_dir.is_some() => Err(CliError::Usage(
                "--data-dir keeps a sled directory; with --store etcd the data lives in etcd".into(),
            )),
            StoreKind::Etcd if cfg!(feature = "etcd") => Ok(()),
            StoreKind::Etcd => Err(CliError::Usage(ETCD_BUILD_HINT.into())),
        }
    }
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

fn rate(t: &Tally) -> f64 {
    if t.busy.is_zero() { 0.0 } else { t.items as f64 / t.busy.as_secs_f64() }
}

fn summarize(scenario: Scenario, mut subject: Tally, baseline: Tally, records: u64) -> Figures {
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
        store: None,
        etcd_raw_rps: None,
        etcd_raw_p50_us: None,
        etcd_raw_p99_us: None,
        etcd_ratio: None,
    }
}

/// Adds the raw etcd side's figures (and its errors) to a run on etcd.
#[cfg_attr(not(feature = "etcd"), allow(dead_code))]
fn with_raw(mut figures: Figures, raw: Option<Tally>) -> Figures {
    figures.store = Some("etcd");
    if let Some(mut raw) = raw {
        let raw_rps = rate(&raw);
        figures.errors += raw.errors;
        figures.etcd_raw_rps = Some(raw_rps);
        figures.etcd_raw_p50_us = Some(raw.percentile_us(0.50));
        figures.etcd_raw_p99_us = Some(raw.percentile_us(0.99));
        figures.etcd_ratio = Some(if raw_rps > 0.0 { figures.rps / raw_rps } else { 0.0 });
    }
    figures
}

/// Runs one scenario on the chosen store.
pub async fn measure(
    scenario: Scenario,
    shape: Shape,
    data_dir: Option<&std::path::Path>,
    storage: &Storage,
) -> anyhow::Result<(Figures, Option<String>)> {
    match storage.kind {
        StoreKind::Sled => {
            let subject = subject::Subject::start(scenario, shape.records, subject::Engine::Sled { data_dir }).await?;
            let (figures, first_error, _) =
                measure_subject(scenario, shape, subject, |_, _| async { Ok(None) }).await?;
            Ok((figures, first_error))
        }
        #[cfg(feature = "etcd")]
        StoreKind::Etcd => etcd::measure(scenario, shape, &storage.etcd_endpoints).await,
        #[cfg(not(feature = "etcd"))]
        StoreKind::Etcd => anyhow::bail!(ETCD_BUILD_HINT),
    }
}

/// Captures canned answers from the running subject, then alternates rounds: baseline, subject,
/// and the third side `extra` builds once the subject is ready (raw etcd), if any. `extra` is
/// given the run-wide request counter and the subject's records; its tally comes back apart.
async fn measure_subject<F, Fut>(
    scenario: Scenario,
    shape: Shape,
    subject: subject::Subject,
    extra: F,
) -> anyhow::Result<(Figures, Option<String>, Option<Tally>)>
where
    F: FnOnce(Arc<AtomicU64>, u64) -> Fut,
    Fut: Future<Output = anyhow::Result<Option<Side>>>,
{
    let result = alternate(scenario, shape, &subject, extra).await;
    subject.stop().await;
    result
}

async fn alternate<F, Fut>(
    scenario: Scenario,
    shape: Shape,
    subject: &subject::Subject,
    extra: F,
) -> anyhow::Result<(Figures, Option<String>, Option<Tally>)>
where
    F: FnOnce(Arc<AtomicU64>, u64) -> Fut,
    Fut: Future<Output = anyhow::Result<Option<Side>>>,
{
    let (stop, stopping) = watch::channel(false);
    // Stops the baseline server however this function ends.
    let _stop_baseline = StopOnDrop(stop);
    let canned = subject.capture().await?;
    let baseline_url = start_baseline(canned, stopping).await?;
    let target_url = if scenario.uses_evaluation() { &subject.evaluation_url } else { &subject.registry_url };
    let call = scenario.call(subject.records_for_calls);
    let seq = Arc::new(AtomicU64::new(0));
    let mut sides: Vec<Side> = vec![
        side(call.clone(), channels(&baseline_url, shape.channels).await?, Arc::clone(&seq)),
        side(call, channels(target_url, shape.channels).await?, Arc::clone(&seq)),
    ];
    if let Some(raw) = extra(Arc::clone(&seq), subject.records_for_calls).await? {
        sides.push(raw);
    }
    // A stream is long; one at a time, in rounds long enough to finish several.
    let (concurrency, round_len) = if scenario == Scenario::EvaluateStream {
        (1, shape.duration / 4)
    } else {
        (shape.concurrency, (shape.duration / 8).clamp(Duration::from_millis(250), Duration::from_secs(2)))
    };
    // Warm every side up (connections, caches), unmeasured.
    let warm = Duration::from_millis(300);
    for s in &sides {
        s(concurrency, warm).await;
    }
    let mut tallies = vec![Tally::default(); sides.len()];
    // The measured time is split evenly between the sides.
    let per_side = shape.duration / u32::try_from(sides.len()).unwrap_or(2);
    while tallies.iter().any(|t| t.busy < per_side) {
        for (s, tally) in sides.iter().zip(tallies.iter_mut()) {
            tally.absorb(s(concurrency, round_len).await);
        }
    }
    let first_error = tallies.iter().find_map(|t| t.first_error.clone());
    let records = subject.records().await;
    let mut tallies = tallies.into_iter();
    let (on_baseline, on_subject) = (tallies.next().unwrap_or_default(), tallies.next().unwrap_or_default());
    Ok((summarize(scenario, on_subject, on_baseline, records), first_error, tallies.next()))
}

/// Sends `true` when dropped.
struct StopOnDrop(watch::Sender<bool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        let _ = self.0.send(true);
    }
}

fn table_row(f: &Figures, on_etcd: bool) -> Vec<String> {
    let mut row = vec![
        f.scenario.clone(),
        f.requests.to_string(),
        f.errors.to_string(),
        format!("{:.0}", f.rps),
        f.p50_us.to_string(),
        f.p99_us.to_string(),
        format!("{:.0}", f.baseline_rps),
        format!("{:.2}", f.ratio),
    ];
    if on_etcd {
        row.push(f.etcd_raw_rps.map_or_else(|| "-".into(), |r| format!("{r:.0}")));
        row.push(f.etcd_ratio.map_or_else(|| "-".into(), |r| format!("{r:.2}")));
    }
    row.push(f.records.to_string());
    row.push(format!("{:.0}", f.rss_mib));
    row
}

/// `eastwest bench`.
pub async fn run(
    scenario: Scenario,
    shape: Shape,
    json: bool,
    data_dir: Option<std::path::PathBuf>,
    storage: Storage,
) -> CliResult {
    storage.check(data_dir.as_deref())?;
    let on_etcd = storage.kind == StoreKind::Etcd;
    let list: Vec<Scenario> = if scenario == Scenario::All { Scenario::EACH.to_vec() } else { vec![scenario] };
    let started = Instant::now();
    let mut header = vec!["SCENARIO", "REQUESTS", "ERRORS", "RPS", "P50 µs", "P99 µs", "BASELINE RPS", "RATIO"];
    if on_etcd {
        header.extend(["ETCD RAW RPS", "ETCD RATIO"]);
    }
    header.extend(["RECORDS", "RSS MiB"]);
    let mut table = crate::output::Table::new(&header);
    let mut failed = Vec::new();
    for s in list {
        eprintln!("{}: preparing …", s.name());
        // With --data-dir, each scenario keeps its data in its own subdirectory.
        let dir = data_dir.as_ref().map(|d| d.join(s.name()));
        let measured = if on_etcd {
            // On SIGINT or SIGTERM, dropping the run stops the etcd member it started.
            tokio::select! {
                measured = measure(s, shape, dir.as_deref(), &storage) => measured,
                () = eastwest_runtime::shutdown::shutdown_signal() => Err(anyhow::anyhow!("interrupted")),
            }
        } else {
            measure(s, shape, dir.as_deref(), &storage).await
        };
        let (figures, first_error) = measured.map_err(CliError::Other)?;
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
            table.row(table_row(&figures, on_etcd));
        }
    }
    if !json {
        table.print();
        eprintln!(
            "{:.0} s in all; rps per side over alternating rounds; RSS is this process's peak",
            started.elapsed().as_secs_f64()
        );
        if on_etcd {
            eprintln!(
                "ETCD RAW RPS: the scenario's reads and writes sent straight to etcd by this process, same load; \
                 ETCD RATIO = RPS / ETCD RAW RPS"
            );
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(CliError::Other(anyhow::anyhow!("the run had errors: {}", failed.join("; "))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures() -> Figures {
        summarize(Scenario::GetActor, Tally::default(), Tally::default(), 0)
    }

    #[test]
    fn sled_runs_keep_their_json_keys_and_etcd_runs_add_the_raw_figures() {
        let sled = serde_json::to_value(figures()).unwrap();
        let keys: Vec<&str> = sled.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 10, "{keys:?}");
        assert!(!keys.iter().any(|k| k.starts_with("etcd") || *k == "store"));

        let raw = Tally { items: 100, busy: Duration::from_secs(1), ..Tally::default() };
        let subject = Tally { items: 80, busy: Duration::from_secs(1), ..Tally::default() };
        let etcd = with_raw(summarize(Scenario::GetActor, subject, Tally::default(), 0), Some(raw));
        let etcd = serde_json::to_value(etcd).unwrap();
        assert_eq!(etcd["store"], "etcd");
        assert_eq!(etcd["etcd_raw_rps"], 100.0);
        assert_eq!(etcd["etcd_ratio"], 0.8);
        assert!(etcd.get("etcd_raw_p50_us").is_some() && etcd.get("etcd_raw_p99_us").is_some());

        // An evaluation scenario on etcd has no raw counterpart: it says where it ran, no more.
        let evaluation = serde_json::to_value(with_raw(figures(), None)).unwrap();
        assert_eq!(evaluation["store"], "etcd");
        assert!(evaluation.get("etcd_raw_rps").is_none());
    }

    #[test]
    fn flags_of_the_other_engine_are_usage_errors() {
        let sled_with_endpoints =
            Storage { kind: StoreKind::Sled, etcd_endpoints: vec!["http://127.0.0.1:2379".into()] };
        assert!(matches!(sled_with_endpoints.check(None), Err(CliError::Usage(_))));
        let etcd = Storage { kind: StoreKind::Etcd, etcd_endpoints: Vec::new() };
        assert!(matches!(etcd.check(Some(std::path::Path::new("/tmp/x"))), Err(CliError::Usage(_))));
        assert!(Storage::default().check(Some(std::path::Path::new("/tmp/x"))).is_ok());
    }

    #[test]
    fn etcd_is_refused_with_how_to_build_it_when_the_feature_is_off() {
        let etcd = Storage { kind: StoreKind::Etcd, etcd_endpoints: Vec::new() };
        let outcome = etcd.check(None);
        if cfg!(feature = "etcd") {
            assert!(outcome.is_ok());
        } else {
            let Err(CliError::Usage(message)) = outcome else { panic!("{outcome:?}") };
            assert!(message.contains("--features etcd"), "{message}");
        }
    }
}
