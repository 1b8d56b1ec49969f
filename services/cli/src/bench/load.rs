//! A closed-loop load: N requests in flight over M HTTP/2 channels, each task sending its next
//! request as soon as the previous one answers, for a fixed time. Bounded in time and in count.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tonic::transport::{Channel, Endpoint};

/// One request of a scenario on a connection (a gRPC channel, or for raw etcd an etcd client);
/// `seq` is unique across the whole run. Returns how many items it counts for (1, or the
/// evaluations a stream delivered).
pub(super) type Call<C = Channel> =
    Arc<dyn Fn(C, u64) -> Pin<Box<dyn Future<Output = Result<u64, tonic::Status>> + Send>> + Send + Sync>;

/// One side of a comparison (subject, baseline, raw etcd) with its connections: `side(concurrency,
/// length)` runs one round of it.
pub(super) type Side = Box<dyn Fn(usize, Duration) -> Pin<Box<dyn Future<Output = Tally> + Send>> + Send + Sync>;

/// A [`Side`] that runs `call` over `connections`, numbering requests from the run-wide `seq`.
pub(super) fn side<C: Clone + Send + Sync + 'static>(
    call: Call<C>,
    connections: Vec<C>,
    seq: Arc<std::sync::atomic::AtomicU64>,
) -> Side {
    let connections = Arc::new(connections);
    Box::new(move |concurrency, length| {
        let (call, connections, seq) = (Arc::clone(&call), Arc::clone(&connections), Arc::clone(&seq));
        Box::pin(async move { round(&call, &connections, concurrency, length, &seq).await })
    })
}

/// Most latencies one round keeps per task (memory stays bounded on very fast runs).
const MAX_SAMPLES_PER_TASK: usize = 200_000;

#[derive(Debug, Default, Clone)]
pub(super) struct Tally {
    pub items: u64,
    pub errors: u64,
    pub busy: Duration,
    pub latencies_us: Vec<u32>,
    pub first_error: Option<String>,
}

impl Tally {
    pub(super) fn absorb(&mut self, other: Tally) {
        self.items += other.items;
        self.errors += other.errors;
        self.busy += other.busy;
        self.latencies_us.extend(other.latencies_us);
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }

    pub(super) fn percentile_us(&mut self, p: f64) -> u64 {
        if self.latencies_us.is_empty() {
            return 0;
        }
        self.latencies_us.sort_unstable();
        let rank = ((self.latencies_us.len() as f64 - 1.0) * p).round() as usize;
        u64::from(self.latencies_us[rank.min(self.latencies_us.len() - 1)])
    }
}

pub(super) async fn channels(url: &str, count: usize) -> anyhow::Result<Vec<Channel>> {
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let endpoint = Endpoint::from_shared(url.to_string())?
            .tcp_nodelay(true)
            .initial_stream_window_size(Some(4 << 20))
            .initial_connection_window_size(Some(16 << 20));
        out.push(endpoint.connect().await?);
    }
    Ok(out)
}

/// Runs `call` from `concurrency` tasks over `channels` for `length`.
pub(super) async fn round<C: Clone + Send + 'static>(
    call: &Call<C>,
    channels: &[C],
    concurrency: usize,
    length: Duration,
    seq: &Arc<std::sync::atomic::AtomicU64>,
) -> Tally {
    let started = Instant::now();
    let deadline = started + length;
    let mut tasks = Vec::with_capacity(concurrency);
    for i in 0..concurrency {
        let channel = channels[i % channels.len()].clone();
        let (call, seq) = (Arc::clone(call), Arc::clone(seq));
        tasks.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            while Instant::now() < deadline {
                let n = seq.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let t = Instant::now();
                match call(channel.clone(), n).await {
                    Ok(items) => {
                        tally.items += items;
                        if tally.latencies_us.len() < MAX_SAMPLES_PER_TASK {
                            tally.latencies_us.push(u32::try_from(t.elapsed().as_micros()).unwrap_or(u32::MAX));
                        }
                    }
                    Err(status) => {
                        tally.errors += 1;
                        if tally.first_error.is_none() {
                            tally.first_error = Some(format!("{:?}: {}", status.code(), status.message()));
                        }
                    }
                }
            }
            tally
        }));
    }
    let mut total = Tally::default();
    for task in tasks {
        if let Ok(t) = task.await {
            total.absorb(t);
        }
    }
    total.busy = started.elapsed();
    total
}
