//! One suite at the `Store` seam, run on every engine: sled in a tempdir, and with the `etcd`
//! feature a real etcd process. What the registry's core relies on from any engine is asserted
//! here once, below the gRPC suites: reads with the revision that wrote them, scans in byte order
//! inside a prefix, compare-and-write transactions that apply whole or not at all, one winner
//! among writers of one revision, the limits an engine declares, durability across a reopen,
//! readiness, and reads at a revision where the engine keeps history.
//!
//! The suite's keys all start with `t`, clear of the engine's own `meta/` keys.

use std::sync::Arc;

use eastwest_registry::store::{Expect, Key, Outcome, Scan, Scanned, Store, StoreError, Txn, Versioned};
use eastwest_tests::races::exactly_one_wins;
use eastwest_tests::registry::{Backing, EngineStore};

fn key(name: &str) -> Key {
    format!("t/{name}").into_bytes()
}

/// A transaction that writes `value` under each of `names`.
fn puts(names: &[&str], value: &str) -> Txn {
    let mut txn = Txn::default();
    for name in names {
        txn.put(key(name), value.as_bytes().to_vec());
    }
    txn
}

/// Commits `txn`, whose expectations must all hold; gives its revision.
async fn commit(store: &impl Store, txn: Txn) -> u64 {
    match store.commit(txn).await.expect("commit") {
        Outcome::Committed { revision } => revision,
        Outcome::Conflict => panic!("a transaction whose expectations all hold conflicted"),
    }
}

fn at(revision: u64, value: &str) -> Option<Versioned> {
    Some(Versioned { revision, value: value.as_bytes().to_vec() })
}

fn keys_of(scanned: &Scanned) -> Vec<Key> {
    scanned.entries.iter().map(|(k, _)| k.clone()).collect()
}

/// A fresh store of the current engine, and what keeps its data.
async fn fresh() -> (Backing, EngineStore) {
    let backing = Backing::fresh();
    let store = backing.open_store().await;
    (backing, store)
}

async fn a_committed_write_is_read_back_with_the_revision_of_its_commit() {
    let (_backing, store) = fresh().await;
    assert_eq!(store.get(key("k")).await.expect("get"), None, "nothing is there before the first write");
    let mut txn = puts(&["k"], "v1");
    txn.put(key("empty"), Vec::new());
    txn.put(key("bytes"), vec![0, 0xff, 1]);
    let first = commit(&store, txn).await;
    assert_eq!(store.get(key("k")).await.expect("get"), at(first, "v1"));
    assert_eq!(store.get(key("empty")).await.expect("get"), at(first, ""), "an empty value is still a value");
    let bytes = store.get(key("bytes")).await.expect("get").expect("bytes");
    assert_eq!(bytes.value, [0, 0xff, 1], "values are bytes, not text");

    let second = commit(&store, puts(&["k"], "v2")).await;
    assert!(second > first, "a later commit has a later revision: {first}, then {second}");
    assert_eq!(store.get(key("k")).await.expect("get"), at(second, "v2"));
    assert_eq!(
        store.get(key("empty")).await.expect("get"),
        at(first, ""),
        "a key keeps the revision of the commit that last wrote it"
    );
}

async fn get_many_answers_in_the_order_of_its_keys() {
    let (_backing, store) = fresh().await;
    let mut txn = puts(&["a"], "1");
    txn.put(key("b"), b"2".to_vec());
    let written = commit(&store, txn).await;
    let got = store.get_many(vec![key("b"), key("absent"), key("a"), key("b")], None).await.expect("get_many");
    assert_eq!(got, [at(written, "2"), None, at(written, "1"), at(written, "2")]);
    assert!(store.get_many(Vec::new(), None).await.expect("no keys").is_empty());

    // More keys than one etcd transaction holds, asked for in reverse order.
    let names: Vec<String> = (0..300).map(|i| format!("many/{i:03}")).collect();
    for chunk in names.chunks(store.limits().max_ops.min(100)) {
        let mut txn = Txn::default();
        for name in chunk {
            txn.put(key(name), name.as_bytes().to_vec());
        }
        commit(&store, txn).await;
    }
    let got = store.get_many(names.iter().rev().map(|n| key(n)).collect(), None).await.expect("get_many of 300");
    let values: Vec<Vec<u8>> = got.into_iter().map(|v| v.expect("written").value).collect();
    let wanted: Vec<Vec<u8>> = names.iter().rev().map(|n| n.as_bytes().to_vec()).collect();
    assert_eq!(values, wanted);
}

async fn scans_keep_to_their_prefix_in_byte_order_and_resume_after_a_key() {
    let (_backing, store) = fresh().await;
    let inside: [&[u8]; 7] = [b"t/s/", b"t/s/\x00", b"t/s/a", b"t/s/a/1", b"t/s/b", b"t/s/c", b"t/s/\xff"];
    // Neighbours on either side of the prefix, in byte order, and a prefix that ends in 0xff.
    let outside: [&[u8]; 7] = [b"t/r/x", b"t/s", b"t/sa", b"t/t/a", b"t/\xff1", b"t/\xff\xff", b"t0"];
    let mut txn = Txn::default();
    for k in inside.iter().rev().chain(&outside) {
        txn.put(k.to_vec(), k.to_vec());
    }
    let written = commit(&store, txn).await;
    let prefix = b"t/s/".to_vec();

    let all = store.scan(Scan::new(prefix.clone(), 100)).await.expect("scan");
    assert_eq!(keys_of(&all), inside.map(<[u8]>::to_vec), "every key under the prefix, in byte order, and no other");
    for (k, v) in &all.entries {
        assert_eq!(v, &Versioned { revision: written, value: k.clone() });
    }
    if let Some(read_at) = all.revision {
        assert!(read_at >= written, "read at {read_at}, before the write at {written}");
    }

    // Pages: at most `limit` keys, resuming after the last one seen (or after any key at all).
    let page = |after: Option<&[u8]>, limit| {
        let scan = Scan::new(prefix.clone(), limit).after(after.map(<[u8]>::to_vec));
        let store = &store;
        async move { keys_of(&store.scan(scan).await.expect("scan")) }
    };
    assert_eq!(page(None, 2).await, inside[..2].to_vec());
    assert_eq!(page(Some(b"t/s/\x00"), 2).await, inside[2..4].to_vec());
    assert_eq!(page(Some(b"t/s/a/1"), 10).await, inside[4..].to_vec());
    assert_eq!(page(Some(b"t/s/a/0"), 10).await, inside[3..].to_vec(), "after a key that is not there");
    assert!(page(Some(b"t/s/\xff"), 10).await.is_empty(), "after the last key");

    let top = store.scan(Scan::new(b"t/\xff".to_vec(), 10)).await.expect("scan");
    assert_eq!(keys_of(&top), [b"t/\xff1".to_vec(), b"t/\xff\xff".to_vec()], "a prefix that ends in 0xff");
}

async fn a_transaction_applies_whole_when_its_expectations_hold_and_not_at_all_otherwise() {
    let (_backing, store) = fresh().await;
    let first = commit(&store, puts(&["a", "b"], "1")).await;
    let unchanged = || async {
        let now = store.get_many(vec![key("a"), key("b"), key("new")], None).await.expect("get_many");
        assert_eq!(now, [at(first, "1"), at(first, "1"), None], "a conflicting transaction wrote something");
    };

    // One expectation that fails, among others that hold, spoils the whole transaction.
    for spoiler in
        [(key("a"), Expect::Absent), (key("new"), Expect::Revision(first)), (key("a"), Expect::Revision(first + 1_000))]
    {
        let mut txn = puts(&["a", "new"], "2");
        txn.expect(key("b"), Expect::Revision(first));
        txn.expect(spoiler.0.clone(), spoiler.1);
        txn.delete(key("b"));
        assert_eq!(store.commit(txn).await.expect("commit"), Outcome::Conflict, "{spoiler:?}");
        unchanged().await;
    }

    // Every expectation holds: every write applies, all at one revision.
    let mut txn = puts(&["a", "new"], "2");
    txn.expect(key("a"), Expect::Revision(first));
    txn.expect(key("new"), Expect::Absent);
    txn.delete(key("b"));
    let second = commit(&store, txn).await;
    let now = store.get_many(vec![key("a"), key("b"), key("new")], None).await.expect("get_many");
    assert_eq!(now, [at(second, "2"), None, at(second, "2")]);

    // The old revision no longer holds; a deleted key is absent again.
    let mut stale = puts(&["a"], "3");
    stale.expect(key("a"), Expect::Revision(first));
    assert_eq!(store.commit(stale).await.expect("commit"), Outcome::Conflict);
    let mut again = puts(&["b"], "3");
    again.expect(key("b"), Expect::Absent);
    let third = commit(&store, again).await;
    assert_eq!(store.get(key("b")).await.expect("get"), at(third, "3"));

    // Deletes alone, of a key that is there and of one that never was.
    let mut deletes = Txn::default();
    deletes.delete(key("a"));
    deletes.delete(key("never"));
    commit(&store, deletes).await;
    assert_eq!(store.get(key("a")).await.expect("get"), None);
}

async fn in_one_transaction_a_put_wins_over_a_delete_and_the_last_put_wins() {
    let (_backing, store) = fresh().await;
    commit(&store, puts(&["k"], "old")).await;
    let mut txn = Txn::default();
    txn.delete(key("k"));
    txn.put(key("k"), b"new".to_vec());
    txn.put(key("twice"), b"first".to_vec());
    txn.put(key("twice"), b"last".to_vec());
    let written = commit(&store, txn).await;
    assert_eq!(store.get(key("k")).await.expect("get"), at(written, "new"));
    assert_eq!(store.get(key("twice")).await.expect("get"), at(written, "last"));
}

async fn of_many_writers_expecting_one_revision_exactly_one_commits() {
    let (_backing, store) = fresh().await;
    let store = Arc::new(store);
    let written = commit(&*store, puts(&["k"], "0")).await;
    for (name, expect) in [("k", Expect::Revision(written)), ("fresh", Expect::Absent)] {
        let racers = (0..12)
            .map(|i| {
                let store = Arc::clone(&store);
                tokio::spawn(async move {
                    let mut txn = puts(&[name], &format!("writer {i}"));
                    txn.expect(key(name), expect);
                    match store.commit(txn).await.expect("commit") {
                        Outcome::Committed { revision } => Ok((i, revision)),
                        Outcome::Conflict => Err(Outcome::Conflict),
                    }
                })
            })
            .collect();
        let context = format!("writers of {name} expecting {expect:?}");
        let (winner, revision) = exactly_one_wins(racers, |lost| *lost == Outcome::Conflict, &context).await;
        assert_eq!(store.get(key(name)).await.expect("get"), at(revision, &format!("writer {winner}")), "{context}");
    }
}

async fn the_limits_an_engine_declares_are_the_limits_it_takes() {
    let (_backing, store) = fresh().await;
    let limits = store.limits();
    // As many comparisons and as many writes as one transaction may hold (300 where unbounded).
    let most = limits.max_ops.min(300);
    let names: Vec<String> = (0..most).map(|i| format!("n{i:03}")).collect();
    let mut txn = Txn::default();
    for name in &names {
        txn.expect(key(name), Expect::Absent);
        txn.put(key(name), b"x".to_vec());
    }
    assert!(limits.admits(&txn));
    let written = commit(&store, txn).await;
    let found = store.get_many(names.iter().map(|n| key(n)).collect(), None).await.expect("get_many");
    assert!(found.iter().all(|v| *v == at(written, "x")), "a transaction of {most} writes applied in part");

    // As many bytes as one transaction may hold (1 MiB where unbounded).
    let most_bytes = limits.max_bytes.min(1 << 20);
    let big = |len: usize| {
        let mut txn = Txn::default();
        txn.put(key("big"), Vec::new());
        let len = len - txn.bytes();
        txn.puts[0].value = vec![7; len];
        txn
    };
    let txn = big(most_bytes);
    assert!(limits.admits(&txn));
    let value = txn.puts[0].value.clone();
    let written = commit(&store, txn).await;
    assert_eq!(store.get(key("big")).await.expect("get"), Some(Versioned { revision: written, value }));

    // One more is refused before anything is written.
    if most == limits.max_ops {
        let mut over = Txn::default();
        for i in 0..=most {
            over.put(key(&format!("over{i:03}")), b"x".to_vec());
        }
        let refused = store.commit(over).await;
        assert!(matches!(refused, Err(StoreError::TooLarge { .. })), "{} writes: {refused:?}", most + 1);
        assert_eq!(store.get(key("over000")).await.expect("get"), None);
    }
    if most_bytes == limits.max_bytes {
        let refused = store.commit(big(most_bytes + 1)).await;
        assert!(matches!(refused, Err(StoreError::TooLarge { .. })), "{} bytes: {refused:?}", most_bytes + 1);
        assert_eq!(store.get(key("big")).await.expect("get").map(|v| v.revision), Some(written));
    }
}

async fn a_committed_write_survives_reopening_the_store() {
    let (backing, store) = fresh().await;
    let written = commit(&store, puts(&["k"], "v")).await;
    // A clean close: that an acknowledged write survives SIGKILL is binary.rs's test.
    drop(store);
    let store = backing.open_store().await;
    assert_eq!(store.get(key("k")).await.expect("get"), at(written, "v"));
    let later = commit(&store, puts(&["k"], "w")).await;
    assert!(later > written, "revisions go on rising after a reopen: {written}, then {later}");
}

async fn ready_says_whether_the_engine_can_serve() {
    let (backing, store) = fresh().await;
    store.ready().await.expect("an open store is ready");
    // Where the engine can lose what holds its data (etcd: its only member), readiness, reads and
    // writes say UNAVAILABLE, and all come back with it.
    #[cfg(feature = "etcd")]
    if let Backing::Etcd { cluster, .. } = &backing {
        use std::time::{Duration, Instant};
        cluster.lock().expect("cluster").kill(0);
        let ready = store.ready().await;
        assert!(matches!(ready, Err(StoreError::Unavailable(_))), "ready with no member: {ready:?}");
        let read = store.get(key("k")).await;
        assert!(matches!(read, Err(StoreError::Unavailable(_))), "a read with no member: {read:?}");
        let write = store.commit(puts(&["k"], "v")).await;
        assert!(matches!(write, Err(StoreError::Unavailable(_))), "a write with no member: {write:?}");
        cluster.lock().expect("cluster").restart(0);
        let started = Instant::now();
        while let Err(e) = store.ready().await {
            assert!(started.elapsed() < Duration::from_secs(20), "not ready again: {e}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        commit(&store, puts(&["after"], "v")).await;
    }
    drop(backing);
}

async fn reads_at_a_revision_see_that_revision_where_the_engine_keeps_history() {
    let (backing, store) = fresh().await;
    let first = commit(&store, puts(&["h/a", "h/b"], "old")).await;
    let listing = store.scan(Scan::new(key("h/"), 10)).await.expect("scan");
    let pair = || vec![key("h/a"), key("h/b")];
    let Some(read_at) = listing.revision else {
        // No history (sled): a read at a revision reads the latest, as `Scan::revision` says.
        let mut txn = puts(&["h/a"], "new");
        txn.delete(key("h/b"));
        let second = commit(&store, txn).await;
        let got = store.get_many(pair(), Some(first)).await.expect("get_many");
        assert_eq!(got, [at(second, "new"), None]);
        let scanned = store.scan(Scan::new(key("h/"), 10).at(Some(first))).await.expect("scan");
        assert_eq!(keys_of(&scanned), [key("h/a")]);
        return;
    };
    assert!(read_at >= first, "read at {read_at}, before the write at {first}");
    let mut txn = puts(&["h/a"], "new");
    txn.delete(key("h/b"));
    let second = commit(&store, txn).await;

    let then = store.get_many(pair(), Some(read_at)).await.expect("get_many at a revision");
    assert_eq!(then, [at(first, "old"), at(first, "old")], "a read at a revision sees that revision");
    assert_eq!(store.get_many(pair(), None).await.expect("get_many"), [at(second, "new"), None]);
    let scanned = store.scan(Scan::new(key("h/"), 10).at(Some(read_at))).await.expect("scan at a revision");
    assert_eq!(keys_of(&scanned), pair());
    assert_eq!(scanned.revision, Some(read_at), "a scan at a revision says it was read there");
    let latest = store.scan(Scan::new(key("h/"), 10)).await.expect("scan");
    assert_eq!(keys_of(&latest), [key("h/a")]);
    assert!(latest.revision.is_some_and(|r| r >= second), "{:?}", latest.revision);

    // A revision the engine has not reached is refused, never read as the latest.
    let future = second + 1_000_000;
    let ahead = store.get_many(pair(), Some(future)).await;
    assert!(matches!(ahead, Err(StoreError::FutureRevision { revision }) if revision == future), "{ahead:?}");
    let ahead = store.scan(Scan::new(key("h/"), 10).at(Some(future))).await;
    assert!(matches!(ahead, Err(StoreError::FutureRevision { revision }) if revision == future), "{ahead:?}");

    // A revision the engine has discarded is refused, never read as another.
    if compact(&backing).await {
        let gone = store.get_many(pair(), Some(read_at)).await;
        assert!(matches!(gone, Err(StoreError::Compacted { revision }) if revision == read_at), "{gone:?}");
        let gone = store.scan(Scan::new(key("h/"), 10).at(Some(read_at))).await;
        assert!(matches!(gone, Err(StoreError::Compacted { revision }) if revision == read_at), "{gone:?}");
    }
}

/// Discards the history of the engine behind `backing` up to now; false where it keeps none.
async fn compact(backing: &Backing) -> bool {
    match backing {
        Backing::Sled { .. } => false,
        #[cfg(feature = "etcd")]
        Backing::Etcd { endpoints, .. } => {
            let mut etcd = etcd_client::Client::connect(endpoints, None).await.expect("etcd");
            let now = etcd.get("/", None).await.expect("revision").header().expect("header").revision();
            etcd.compact(now, None).await.expect("compact");
            true
        }
    }
}

eastwest_tests::on_every_engine!(
    a_committed_write_is_read_back_with_the_revision_of_its_commit,
    get_many_answers_in_the_order_of_its_keys,
    scans_keep_to_their_prefix_in_byte_order_and_resume_after_a_key,
    a_transaction_applies_whole_when_its_expectations_hold_and_not_at_all_otherwise,
    in_one_transaction_a_put_wins_over_a_delete_and_the_last_put_wins,
    of_many_writers_expecting_one_revision_exactly_one_commits,
    the_limits_an_engine_declares_are_the_limits_it_takes,
    a_committed_write_survives_reopening_the_store,
    ready_says_whether_the_engine_can_serve,
    reads_at_a_revision_see_that_revision_where_the_engine_keeps_history,
);
