//! The bulk-load paths of the registry core (used to preload benchmarks): all or nothing within
//! what one transaction of the store holds, with the same reference counting as single writes.

use eastwest_domain::model::Side;
use eastwest_registry::ActorDraft;
use eastwest_registry::AgreementDraft;
use eastwest_registry::PairingDraft;
use eastwest_registry::Registry;
use eastwest_registry::RegistryError;
use eastwest_registry::store::{
    Outcome, Scan, Scanned, SledConfig, SledStore, Store, StoreError, Txn, TxnLimits, Versioned,
};
use eastwest_tests::drafts::{activity, actor, pairing_of};
use eastwest_tests::registry::Backing;

async fn batches_are_all_or_nothing_and_keep_references_exact() {
    let backing = Backing::fresh();
    small_batches(Registry::new(backing.open_store().await)).await;
}

async fn small_batches<S: Store>(registry: Registry<S>) {
    let n = registry
        .create_actors_batch(vec![("e".into(), actor("east", Side::East)), ("w".into(), actor("west", Side::West))])
        .await
        .expect("batch");
    assert_eq!(n, 2);
    // One taken id spoils the whole batch: the new id is not written either.
    let err = registry
        .create_actors_batch(vec![
            ("fresh".into(), actor("fresh", Side::East)),
            ("e".into(), actor("again", Side::East)),
        ])
        .await
        .expect_err("taken id");
    assert!(matches!(err, RegistryError::AlreadyExists { .. }), "{err:?}");
    assert!(matches!(registry.get_actor("fresh").await, Err(RegistryError::NotFound { .. })));
    // Twice in one batch (an id, or a credit code that must be unique): refused, nothing written.
    let coded = |name: &str| ActorDraft { credit_code: "91350100M000100Y43".into(), ..actor(name, Side::East) };
    for twice in [
        vec![("d".to_string(), actor("d", Side::East)), ("d".to_string(), actor("d again", Side::East))],
        vec![("c1".to_string(), coded("c1")), ("c2".to_string(), coded("c2"))],
    ] {
        let err = registry.create_actors_batch(twice).await.expect_err("twice");
        assert!(matches!(err, RegistryError::InvalidArgument { .. }), "{err:?}");
    }
    for absent in ["d", "c1", "c2"] {
        assert!(matches!(registry.get_actor(absent).await, Err(RegistryError::NotFound { .. })), "{absent}");
    }

    registry.create_pairing(pairing_of("e", "w"), Some("p".into())).await.expect("pairing");
    let items = (0..5).map(|i| (format!("a{i}"), activity(if i % 2 == 0 { "e" } else { "w" }))).collect();
    assert_eq!(registry.create_activities_batch("p", items).await.expect("activities"), 5);
    let snapshot = registry.get_pairing_snapshot("p").await.expect("snapshot");
    assert_eq!(snapshot.activities.len(), 5);
    let bad = vec![("b1".to_string(), activity("e")), ("b2".to_string(), activity("ghost"))];
    assert!(matches!(registry.create_activities_batch("p", bad).await, Err(RegistryError::NotFound { .. })));
    let twice = vec![("t".to_string(), activity("e")), ("t".to_string(), activity("w"))];
    assert!(matches!(registry.create_activities_batch("p", twice).await, Err(RegistryError::InvalidArgument { .. })));
    assert_eq!(registry.get_pairing_snapshot("p").await.expect("snapshot").activities.len(), 5);

    assert!(matches!(registry.delete_actor("e", "").await, Err(RegistryError::FailedPrecondition { .. })));
    registry.delete_pairing("p", "", true).await.expect("force");
    registry.delete_actor("e", "").await.expect("released");
    registry.delete_actor("w", "").await.expect("released");
}

/// Bulk loads and a forced delete larger than one etcd transaction (128 operations) still land
/// whole, with exact reference counts.
async fn large_batches_and_forced_deletes_fit_the_store() {
    let backing = Backing::fresh();
    large_batches(Registry::new(backing.open_store().await)).await;
}

async fn large_batches<S: Store>(registry: Registry<S>) {
    let actors: Vec<_> = (0..300)
        .map(|i| (format!("x{i:03}"), actor(&format!("x{i}"), if i % 2 == 0 { Side::East } else { Side::West })))
        .collect();
    assert_eq!(registry.create_actors_batch(actors).await.expect("300 actors"), 300);
    let listed = registry.batch_get_actors(&(0..300).map(|i| format!("x{i:03}")).collect::<Vec<_>>()).await;
    assert_eq!(listed.expect("all 300 readable").len(), 300);

    let created = registry.create_pairing(pairing_of("x000", "x001"), Some("big".into())).await.expect("pairing");
    // 250 activities over 125 actors: every count goes up by two.
    let items = (0..250).map(|i| (format!("a{i:03}"), activity(&format!("x{:03}", i % 125)))).collect();
    assert_eq!(registry.create_activities_batch("big", items).await.expect("activities"), 250);
    assert_eq!(registry.get_pairing_snapshot("big").await.expect("snapshot").activities.len(), 250);
    assert!(matches!(registry.delete_actor("x100", "").await, Err(RegistryError::FailedPrecondition { .. })));

    assert!(matches!(registry.delete_pairing("big", "", false).await, Err(RegistryError::FailedPrecondition { .. })));
    let stale = registry.delete_pairing("big", &format!("{}0", created.etag), true).await;
    assert!(matches!(stale, Err(RegistryError::Aborted(_))), "{stale:?}");
    assert_eq!(registry.get_pairing_snapshot("big").await.expect("untouched").activities.len(), 250);
    registry.delete_pairing("big", "", true).await.expect("forced delete of 250 activities");
    // Every actor is free again: no count was left behind.
    for i in 0..300 {
        registry.delete_actor(&format!("x{i:03}"), "").await.unwrap_or_else(|e| panic!("x{i:03}: {e:?}"));
    }
}

/// A sled store whose transactions hold 16 operations (so that a forced delete goes in steps), and
/// which creates a child of pairing `p` right after the forced delete's second look for children:
/// inside the window between a step's look and its commit.
#[derive(Clone)]
struct ChildDuringDelete {
    inner: std::sync::Arc<SledStore>,
    looks: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Store for ChildDuringDelete {
    async fn get(&self, key: Vec<u8>) -> Result<Option<Versioned>, StoreError> {
        self.inner.get(key).await
    }

    async fn get_many(&self, keys: Vec<Vec<u8>>, revision: Option<u64>) -> Result<Vec<Option<Versioned>>, StoreError> {
        self.inner.get_many(keys, revision).await
    }

    async fn scan(&self, scan: Scan) -> Result<Scanned, StoreError> {
        let children_of_p = scan.prefix.starts_with(b"x/pp/p/");
        let scanned = self.inner.scan(scan).await?;
        if children_of_p && self.looks.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 1 {
            let other = Registry::new(ChildDuringDelete {
                inner: std::sync::Arc::clone(&self.inner),
                looks: std::sync::Arc::new(usize::MAX.into()),
            });
            let child = PairingDraft { parent: Some("p".into()), ..pairing_of("e", "w") };
            other.create_pairing(child, Some("child".into())).await.expect("child created mid-delete");
        }
        Ok(scanned)
    }

    async fn commit(&self, txn: Txn) -> Result<Outcome, StoreError> {
        self.inner.commit(txn).await
    }

    async fn flush(&self) -> Result<(), StoreError> {
        self.inner.flush().await
    }

    fn limits(&self) -> TxnLimits {
        TxnLimits { max_ops: 16, max_bytes: usize::MAX }
    }
}

#[tokio::test]
async fn a_child_created_during_a_forced_delete_stops_it_before_any_activity_goes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = SledConfig { path: dir.path().to_path_buf(), cache_capacity_bytes: 8 << 20 };
    let store = ChildDuringDelete {
        inner: std::sync::Arc::new(SledStore::open(&config).expect("open")),
        looks: std::sync::Arc::new(0.into()),
    };
    let registry = Registry::new(store);
    registry.create_actor(actor("east", Side::East), Some("e".into())).await.expect("east");
    registry.create_actor(actor("west", Side::West), Some("w".into())).await.expect("west");
    registry.create_pairing(pairing_of("e", "w"), Some("p".into())).await.expect("pairing");
    for i in 0..20 {
        registry.create_activity("p", activity("e"), Some(format!("a{i:02}"))).await.expect("activity");
    }
    let refused = registry.delete_pairing("p", "", true).await;
    assert!(matches!(refused, Err(RegistryError::FailedPrecondition { .. })), "{refused:?}");
    assert!(registry.get_pairing("child").await.is_ok(), "the child was created mid-delete");
    let left = registry.get_pairing_snapshot("p").await.expect("p is still there").activities.len();
    assert_eq!(left, 20, "refused, so no activity may have gone");
}

/// A sled store whose transactions hold 16 operations, so that a forced delete goes in steps.
struct SmallTxns(SledStore);

impl Store for SmallTxns {
    async fn get(&self, key: Vec<u8>) -> Result<Option<Versioned>, StoreError> {
        self.0.get(key).await
    }

    async fn get_many(&self, keys: Vec<Vec<u8>>, revision: Option<u64>) -> Result<Vec<Option<Versioned>>, StoreError> {
        self.0.get_many(keys, revision).await
    }

    async fn scan(&self, scan: Scan) -> Result<Scanned, StoreError> {
        self.0.scan(scan).await
    }

    async fn commit(&self, txn: Txn) -> Result<Outcome, StoreError> {
        self.0.commit(txn).await
    }

    async fn flush(&self) -> Result<(), StoreError> {
        self.0.flush().await
    }

    fn limits(&self) -> TxnLimits {
        TxnLimits { max_ops: 16, max_bytes: usize::MAX }
    }
}

#[tokio::test]
async fn a_forced_delete_takes_activities_then_agreements_in_steps_and_leaves_no_reference() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = SledConfig { path: dir.path().to_path_buf(), cache_capacity_bytes: 8 << 20 };
    let registry = Registry::new(SmallTxns(SledStore::open(&config).expect("open")));
    registry.create_actor(actor("east", Side::East), Some("e".into())).await.expect("east");
    registry.create_actor(actor("west", Side::West), Some("w".into())).await.expect("west");
    registry.create_pairing(pairing_of("e", "w"), Some("p".into())).await.expect("pairing");
    for i in 0..20 {
        registry.create_activity("p", activity("e"), Some(format!("a{i:02}"))).await.expect("activity");
    }
    // Twelve agreements alone do not fit beside the pairing in 16 operations: they go in a step.
    for year in 2000..2012 {
        registry.create_agreement("p", AgreementDraft::default(), &year.to_string()).await.expect("agreement");
    }
    let refused = registry.delete_pairing("p", "", false).await;
    assert!(
        matches!(&refused, Err(RegistryError::FailedPrecondition { description, .. })
            if description.contains("20 activities and 12 agreements")),
        "{refused:?}"
    );
    registry.delete_pairing("p", "", true).await.expect("forced delete in steps");
    assert!(registry.get_pairing("p").await.is_err());
    assert!(registry.get_agreement("p", 2005).await.is_err());
    // Every reference went with them: the actors can go, and a new pairing of that id starts empty.
    registry.create_pairing(pairing_of("e", "w"), Some("p".into())).await.expect("the id is free");
    assert!(registry.list_agreements("p", 10, "").await.expect("list").items.is_empty());
    registry.delete_pairing("p", "", false).await.expect("nothing left under it");
    registry.delete_actor("e", "").await.expect("no reference left to the east");
}

eastwest_tests::on_every_engine!(
    batches_are_all_or_nothing_and_keep_references_exact,
    large_batches_and_forced_deletes_fit_the_store,
);
