//! The registry core on etcd, below gRPC: a write or a reply lost on the way (a fault proxy in
//! front of the member) is never taken for what it is not, a pairing's snapshot is read at one
//! revision while another replica writes, and a read of more keys than one transaction holds is
//! one snapshot. Real etcd processes on 127.0.0.1.
#![cfg(feature = "etcd")]

use std::sync::Arc;
use std::time::{Duration, Instant};

use eastwest_registry::store::StoreError;
use eastwest_tests::etcd::EtcdCluster;
use eastwest_tests::proxy::{FaultProxy, Loss};

/// Two parties `e` and `w` and their pairing `p`, written through the registry core.
async fn seed_pairing<S: eastwest_registry::store::Store>(registry: &eastwest_registry::Registry<S>) {
    use eastwest_domain::model::Side;
    use eastwest_tests::drafts::{actor, pairing_of};
    registry.create_actor(actor("east", Side::East), Some("e".into())).await.expect("east");
    registry.create_actor(actor("west", Side::West), Some("w".into())).await.expect("west");
    registry.create_pairing(pairing_of("e", "w"), Some("p".into())).await.expect("pairing");
}

fn funds() -> eastwest_registry::ActivityDraft {
    eastwest_tests::drafts::activity("e")
}

/// The registry core on etcd under `/ew`.
async fn core_on(endpoints: Vec<String>) -> Core {
    use eastwest_registry::store::{EtcdConfig, EtcdStore};
    eastwest_registry::Registry::new(EtcdStore::open(&EtcdConfig::new(endpoints, "/ew")).await.expect("open"))
}

type Core = eastwest_registry::Registry<eastwest_registry::store::EtcdStore>;

/// What only the one transaction that writes both activity `x` of `p` and `p`'s count (recording
/// or deleting x) carries.
const X_AND_ITS_COUNT: [&str; 2] = ["/ew/v/p/x", "/ew/rc/p/p"];

/// One etcd member; replica A reaches it through a fault proxy (to be armed with a trap for
/// [`X_AND_ITS_COUNT`]), replica B directly; the parties and pairing `p` are written.
async fn trapped_replicas() -> (EtcdCluster, FaultProxy, Arc<Core>, Core) {
    let cluster = EtcdCluster::start(1);
    let endpoints = cluster.endpoints();
    let trap = FaultProxy::start(&endpoints[0]).await;
    let a = Arc::new(core_on(vec![trap.url().to_string()]).await);
    let b = core_on(endpoints).await;
    seed_pairing(&b).await;
    (cluster, trap, a, b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_lost_write_is_not_taken_for_applied_when_another_replica_wrote_the_same_values() {
    use eastwest_registry::RegistryError;
    // A's delete of x never reaches etcd.
    let (_cluster, trap, a, b) = trapped_replicas().await;
    for id in ["x", "y"] {
        b.create_activity("p", funds(), Some(id.into())).await.expect("activity");
    }

    trap.trap(X_AND_ITS_COUNT, Loss::Request);
    let pending = tokio::spawn({
        let a = Arc::clone(&a);
        async move { a.delete_activity("p", "x", "").await }
    });
    tokio::time::timeout(Duration::from_secs(5), trap.caught()).await.expect("A's delete was sent");
    // Meanwhile B deletes the sibling y: the pairing's count becomes what A's delete would write.
    b.delete_activity("p", "y", "").await.expect("B deletes y");
    trap.release();
    let outcome = pending.await.expect("task");
    assert!(
        matches!(&outcome, Err(RegistryError::Store(StoreError::Unavailable(why))) if why.contains("may or may not")),
        "x was never deleted; A must not report that it was: {outcome:?}"
    );
    b.get_activity("p", "x").await.expect("x is still there");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_lost_reply_is_settled_by_the_record_even_after_shared_counts_moved() {
    // A's transaction recording activity x reaches etcd; its answer does not.
    let (_cluster, trap, a, b) = trapped_replicas().await;

    trap.trap(X_AND_ITS_COUNT, Loss::Reply);
    let pending = tokio::spawn({
        let a = Arc::clone(&a);
        async move { a.create_activity("p", funds(), Some("x".into())).await }
    });
    tokio::time::timeout(Duration::from_secs(5), trap.caught()).await.expect("A's write was sent");
    let started = Instant::now();
    while b.get_activity("p", "x").await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(2), "A's write never applied");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // B moves the pairing's count before A reads back: the counts no longer show A's write.
    b.create_activity("p", funds(), Some("y".into())).await.expect("B records y");
    trap.release();
    let settled = pending.await.expect("task").expect("x is there exactly as A wrote it");
    assert_eq!(settled.record.id, "x");
}

/// An etcd store that, right after the first read of pairing `p`'s activities, renames actor `e`
/// through another registry: a write racing a snapshot.
struct RenameDuringSnapshot {
    inner: eastwest_registry::store::EtcdStore,
    other: eastwest_registry::Registry<eastwest_registry::store::EtcdStore>,
    renamed: std::sync::atomic::AtomicBool,
}

impl eastwest_registry::store::Store for RenameDuringSnapshot {
    async fn get(&self, key: Vec<u8>) -> Result<Option<eastwest_registry::store::Versioned>, StoreError> {
        self.inner.get(key).await
    }

    async fn get_many(
        &self,
        keys: Vec<Vec<u8>>,
        revision: Option<u64>,
    ) -> Result<Vec<Option<eastwest_registry::store::Versioned>>, StoreError> {
        self.inner.get_many(keys, revision).await
    }

    async fn scan(
        &self,
        scan: eastwest_registry::store::Scan,
    ) -> Result<eastwest_registry::store::Scanned, StoreError> {
        let activities_of_p = scan.prefix.starts_with(b"v/p/");
        let scanned = self.inner.scan(scan).await?;
        if activities_of_p && !self.renamed.swap(true, std::sync::atomic::Ordering::SeqCst) {
            let renamed = eastwest_registry::ActorDraft { display_name: "renamed".into(), ..Default::default() };
            let fields = eastwest_registry::ACTOR_MASK.select(&["display_name"], &renamed).expect("mask");
            self.other.update_actor("e", "", renamed, &fields).await.expect("rename mid-snapshot");
        }
        Ok(scanned)
    }

    async fn commit(
        &self,
        txn: eastwest_registry::store::Txn,
    ) -> Result<eastwest_registry::store::Outcome, StoreError> {
        self.inner.commit(txn).await
    }

    async fn flush(&self) -> Result<(), StoreError> {
        self.inner.flush().await
    }

    fn limits(&self) -> eastwest_registry::store::TxnLimits {
        self.inner.limits()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_pairing_snapshot_on_etcd_is_read_at_one_revision() {
    use eastwest_registry::store::{EtcdConfig, EtcdStore};
    let cluster = EtcdCluster::start(1);
    let endpoints = cluster.endpoints();
    let writer = core_on(endpoints.clone()).await;
    seed_pairing(&writer).await;
    writer.create_activity("p", funds(), Some("x".into())).await.expect("activity");
    let racing = eastwest_registry::Registry::new(RenameDuringSnapshot {
        inner: EtcdStore::open(&EtcdConfig::new(endpoints, "/ew")).await.expect("open"),
        other: writer,
        renamed: false.into(),
    });
    let snapshot = racing.get_pairing_snapshot("p").await.expect("snapshot");
    let east = snapshot.actors.iter().find(|a| a.record.id == "e").expect("the east actor");
    assert_eq!(east.record.display_name, "east", "the rename came after the snapshot's revision");
    assert_eq!(racing.get_actor("e").await.expect("e").record.display_name, "renamed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_read_of_more_keys_than_one_transaction_holds_is_one_snapshot() {
    use eastwest_registry::store::{EtcdConfig, EtcdStore, Outcome, Store, Txn};
    let cluster = EtcdCluster::start(1);
    let store = EtcdStore::open(&EtcdConfig::new(cluster.endpoints(), "/snap")).await.expect("open");
    let keys: Vec<Vec<u8>> = (0..300).map(|i| format!("a/k{i:03}").into_bytes()).collect();
    let write_all = |value: &'static [u8]| {
        let (store, keys) = (&store, &keys);
        async move {
            let mut last = 0;
            for chunk in keys.chunks(100) {
                let mut txn = Txn::default();
                for key in chunk {
                    txn.put(key.clone(), value.to_vec());
                }
                match store.commit(txn).await.expect("commit") {
                    Outcome::Committed { revision } => last = revision,
                    Outcome::Conflict => panic!("nothing was expected"),
                }
            }
            last
        }
    };
    let before = write_all(b"old").await;
    write_all(b"new").await;
    // Pinned: all 300 at the old revision, across three read transactions.
    let pinned = store.get_many(keys.clone(), Some(before)).await.expect("pinned read");
    assert!(pinned.iter().all(|v| v.as_ref().is_some_and(|v| v.value == b"old")), "a chunk read past the pin");
    // Unpinned: one revision for all, the latest.
    let latest = store.get_many(keys, None).await.expect("latest read");
    assert!(latest.iter().all(|v| v.as_ref().is_some_and(|v| v.value == b"new")));
}
