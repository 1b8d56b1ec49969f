//! Micro-benchmarks of the sled store and of the registry's use cases over it, each on a store in
//! a fresh temporary directory. Run with `cargo bench -p eastwest-registry --bench store`.
//!
//! - `store`: a point get and a prefix scan of 50 among 10,000 keys, straight through [`Store`].
//! - `store_durable`: commits that return only once durable. One writer pays a whole flush (an
//!   fsync) per commit; 16 writers at once share flushes through the group commit, so the cost per
//!   commit falls. These are bound by the disk, not the CPU: few samples, and figures that vary
//!   from disk to disk.
//! - `registry`: `get_actor` and a page of 50 of `list_actors` by region prefix, at 10,000 actors.
//! - `registry_durable`: `create_actor`, reads, validation, index entries and a durable commit.
//! - `sled_ceiling`: sled itself, below the store: what an atomic create (a sled transaction
//!   writing a record and four index keys) costs from 16 threads with no flush at all, next to
//!   the same five keys inserted one by one without atomicity. The ceiling that a durable
//!   create-actor on sled cannot pass (docs/performance.md); the only sled use outside
//!   `store/sled_store.rs`, to measure the engine.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use eastwest_domain::model::{ActorCategory, Side};
use eastwest_registry::store::{Expect, Key, Scan, SledConfig, SledStore, Store, Txn};
use eastwest_registry::{ActorDraft, ActorFilter, Registry};
use futures::{StreamExt, TryStreamExt};
use tempfile::TempDir;
use tokio::runtime::Runtime;

/// Records loaded before measuring.
const RECORDS: u64 = 10_000;
/// The registry's default page cache (`--cache-mib 256`): the working set stays in memory.
const CACHE_BYTES: u64 = 256 << 20;
/// Concurrent writers in the group-commit benchmark.
const WRITERS: u64 = 16;

const CATEGORIES: [ActorCategory; 7] = [
    ActorCategory::GovernmentBody,
    ActorCategory::PublicInstitution,
    ActorCategory::StateOwnedEnterprise,
    ActorCategory::PeoplesOrganization,
    ActorCategory::SocialOrganization,
    ActorCategory::PrivateEnterprise,
    ActorCategory::Individual,
];
/// GB/T 2260 province prefixes of eastern and western partners.
const EAST: [&str; 8] = ["11", "12", "31", "32", "33", "35", "37", "44"];
const WEST: [&str; 11] = ["45", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"];

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("building the tokio runtime")
}

/// Opens a store in a new temporary directory; the directory must outlive the store.
fn open(rt: &Runtime) -> (TempDir, SledStore) {
    let dir = tempfile::tempdir().expect("creating a temporary directory");
    // The store starts its flusher on the current runtime.
    let _entered = rt.enter();
    let store = SledStore::open(&SledConfig { path: dir.path().to_path_buf(), cache_capacity_bytes: CACHE_BYTES })
        .expect("opening the store");
    (dir, store)
}

fn key(i: u64) -> Key {
    format!("bench/k/{i:06}").into_bytes()
}

/// About the size of a stored actor (JSON of ~300 bytes).
fn value(i: u64) -> Vec<u8> {
    format!(
        r#"{{"id":"{i:032x}","display_name":"协作单位 {i}","category":"PRIVATE_ENTERPRISE","side":"WEST","region_code":"520121","description":"参与东西部协作的企业,负责帮扶车间建设和劳务协作","labels":{{"batch":"2025"}},"create_time":1700000000000000,"update_time":1700000000000000}}"#
    )
    .into_bytes()
}

/// A single put, expecting the key to be new: the shape of every create.
fn create(key: Key, value: Vec<u8>) -> Txn {
    let mut txn = Txn::default();
    txn.expect(key.clone(), Expect::Absent);
    txn.put(key, value);
    txn
}

fn store_benches(c: &mut Criterion) {
    let rt = runtime();
    let (_dir, store) = open(&rt);
    let store = Arc::new(store);
    rt.block_on(async {
        for batch in 0..RECORDS / 1_000 {
            let mut txn = Txn::default();
            for i in batch * 1_000..(batch + 1) * 1_000 {
                txn.put(key(i), value(i));
            }
            store.commit(txn).await.expect("loading the keys");
        }
    });

    let mut group = c.benchmark_group("store");
    group.warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    let mut i = 0;
    group.bench_function("get_of_10k", |b| {
        b.to_async(&rt).iter(|| {
            // A stride co-prime with the key count visits every key, out of order.
            i = (i + 7_919) % RECORDS;
            let store = &store;
            async move { store.get(key(i)).await.expect("get") }
        })
    });
    group.throughput(Throughput::Elements(50));
    group.bench_function("scan_50_of_10k", |b| {
        b.to_async(&rt).iter(|| {
            i = (i + 7_919) % (RECORDS - 50);
            let scan = Scan::new(b"bench/k/".to_vec(), 50).after(Some(key(i)));
            let store = &store;
            async move {
                let found = store.scan(scan).await.expect("scan");
                assert_eq!(found.entries.len(), 50);
                found
            }
        })
    });
    group.finish();

    let mut group = c.benchmark_group("store_durable");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
    let mut next = RECORDS;
    group.throughput(Throughput::Elements(1));
    group.bench_function("commit_1_put", |b| {
        b.to_async(&rt).iter(|| {
            next += 1;
            let txn = create(key(next), value(next));
            let store = &store;
            async move { store.commit(txn).await.expect("commit") }
        })
    });
    group.throughput(Throughput::Elements(WRITERS));
    group.bench_function("commit_16_concurrent", |b| {
        b.to_async(&rt).iter(|| {
            let first = next + 1;
            next += WRITERS;
            let store = Arc::clone(&store);
            async move {
                let tasks: Vec<_> = (first..first + WRITERS)
                    .map(|k| {
                        let store = Arc::clone(&store);
                        tokio::spawn(async move { store.commit(create(key(k), value(k))).await })
                    })
                    .collect();
                for task in tasks {
                    task.await.expect("writer task").expect("commit");
                }
            }
        })
    });
    group.finish();
}

fn draft(i: u64) -> ActorDraft {
    let side = if i.is_multiple_of(2) { Side::East } else { Side::West };
    let provinces: &[&str] = if side == Side::East { &EAST } else { &WEST };
    let province = provinces[usize::try_from(i / 2).unwrap_or(0) % provinces.len()];
    // Prefectures 01–09 of the province, five counties in each.
    let region_code = format!("{province}{:02}{:02}", 1 + (i / 32) % 9, (i / 7) % 5 * 20 + 1);
    ActorDraft {
        display_name: format!("协作单位 {i}"),
        category: Some(CATEGORIES[usize::try_from(i).unwrap_or(0) % CATEGORIES.len()]),
        side: Some(side),
        region_code,
        credit_code: String::new(),
        parent: None,
        description: "参与东西部协作的单位".into(),
        labels: [("batch".to_string(), "2025".to_string())].into(),
    }
}

fn registry_benches(c: &mut Criterion) {
    let rt = runtime();
    let (_dir, store) = open(&rt);
    let registry = Arc::new(Registry::new(store));
    // Loaded 256 at a time so that the group commit shares the flushes.
    let ids: Vec<String> = rt.block_on(async {
        futures::stream::iter(0..RECORDS)
            .map(|i| {
                let registry = Arc::clone(&registry);
                async move { registry.create_actor(draft(i), None).await.map(|a| a.record.id) }
            })
            .buffer_unordered(256)
            .try_collect()
            .await
            .expect("loading the actors")
    });
    let in_guizhou = ActorFilter { region_code_prefix: Some("52".into()), ..ActorFilter::default() };
    let first_page = rt.block_on(registry.list_actors(&in_guizhou, 50, "")).expect("list_actors");
    assert_eq!(first_page.items.len(), 50, "the region filter should fill a page");

    let mut group = c.benchmark_group("registry");
    group.warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    let mut i = 0;
    group.bench_function("get_actor_of_10k", |b| {
        b.to_async(&rt).iter(|| {
            i = (i + 7_919) % ids.len();
            let (registry, id) = (&registry, &ids[i]);
            async move { registry.get_actor(id).await.expect("get_actor") }
        })
    });
    group.throughput(Throughput::Elements(50));
    group.bench_function("list_actors_page_50_by_region_of_10k", |b| {
        b.to_async(&rt).iter(|| async { registry.list_actors(&in_guizhou, 50, "").await.expect("list_actors") })
    });
    group.finish();

    let mut group = c.benchmark_group("registry_durable");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Elements(1));
    group.bench_function("create_actor", |b| {
        b.to_async(&rt).iter(|| {
            // Zhejiang (33): outside the listed region, so the list above is not disturbed.
            let mut draft = draft(0);
            draft.region_code = "330106".into();
            let registry = &registry;
            async move { black_box(registry.create_actor(draft, None).await.expect("create_actor")) }
        })
    });
    group.finish();
}

/// Runs `write(thread, i)` `iters` times spread over 16 threads; the elapsed wall time.
fn from_16_threads(iters: u64, write: impl Fn(u64, u64) + Send + Sync + 'static) -> Duration {
    let write = Arc::new(write);
    let per_thread = iters.div_ceil(WRITERS);
    let started = std::time::Instant::now();
    let threads: Vec<_> = (0..WRITERS)
        .map(|t| {
            let write = Arc::clone(&write);
            std::thread::spawn(move || (0..per_thread).for_each(|i| write(t, i)))
        })
        .collect();
    for thread in threads {
        thread.join().expect("writer thread");
    }
    started.elapsed()
}

fn sled_ceiling(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("creating a temporary directory");
    let db = sled::Config::new()
        .path(dir.path())
        .cache_capacity(CACHE_BYTES)
        .flush_every_ms(Some(1_000))
        .open()
        .expect("opening sled");
    let round = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let mut group = c.benchmark_group("sled_ceiling");
    group.warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Elements(1));
    for atomic in [true, false] {
        let name = if atomic { "txn_record_and_4_index_keys_16_threads" } else { "5_inserts_16_threads" };
        let (db, round) = (db.clone(), Arc::clone(&round));
        group.bench_function(name, move |b| {
            b.iter_custom(|iters| {
                let r = round.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let db = db.clone();
                from_16_threads(iters, move |t, i| {
                    let id = format!("{r}-{t}-{i}");
                    let record = [b"a/".as_slice(), id.as_bytes()].concat();
                    let index: Vec<Vec<u8>> = (0..4).map(|j| format!("x/{j}/{id}").into_bytes()).collect();
                    if atomic {
                        let result: Result<(), sled::transaction::TransactionError<()>> = db.transaction(|tx| {
                            if tx.get(&record)?.is_none() {
                                tx.insert(record.as_slice(), value(i))?;
                                for k in &index {
                                    tx.insert(k.as_slice(), id.as_bytes())?;
                                }
                            }
                            Ok(())
                        });
                        result.expect("transaction");
                    } else {
                        db.insert(&record, value(i)).expect("insert");
                        for k in &index {
                            db.insert(k, id.as_bytes()).expect("insert");
                        }
                    }
                })
            })
        });
    }
    group.finish();
}

criterion_group!(benches, store_benches, registry_benches, sled_ceiling);
criterion_main!(benches);
