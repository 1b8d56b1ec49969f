//! Every write of a record is marked as one (`Txn::put_record`), and nothing else is: an engine
//! that settles a lost commit by the records it wrote (etcd) depends on both.

use std::sync::{Arc, Mutex};

use eastwest_domain::model::{ActivityKind, ActorCategory, CooperationForm, FlowDirection, Leadership, Side};
use eastwest_domain::model::{PairingLevel, PairingState};

use super::{Registry, keys};
use crate::rules::actor::{ACTOR_MASK, ActorDraft};
use crate::rules::agreement::{AGREEMENT_MASK, AgreementDraft};
use crate::rules::{activity::ActivityDraft, pairing::PAIRING_MASK, pairing::PairingDraft};
use crate::store::{Key, Outcome, Scan, Scanned, SledConfig, SledStore, Store, StoreError, Txn, Versioned};

/// A sled store that keeps every committed put's key and mark.
struct Recording {
    inner: SledStore,
    puts: Arc<Mutex<Vec<(Key, bool)>>>,
}

impl Store for Recording {
    async fn get(&self, key: Key) -> Result<Option<Versioned>, StoreError> {
        self.inner.get(key).await
    }
    async fn get_many(&self, keys: Vec<Key>, revision: Option<u64>) -> Result<Vec<Option<Versioned>>, StoreError> {
        self.inner.get_many(keys, revision).await
    }
    async fn scan(&self, scan: Scan) -> Result<Scanned, StoreError> {
        self.inner.scan(scan).await
    }
    async fn commit(&self, txn: Txn) -> Result<Outcome, StoreError> {
        let puts: Vec<(Key, bool)> = txn.puts.iter().map(|p| (p.key.clone(), p.is_record())).collect();
        let outcome = self.inner.commit(txn).await?;
        if let Outcome::Committed { .. } = outcome {
            self.puts.lock().expect("lock").extend(puts);
        }
        Ok(outcome)
    }
    async fn flush(&self) -> Result<(), StoreError> {
        self.inner.flush().await
    }
}

fn actor(name: &str, side: Side, region: &str) -> ActorDraft {
    ActorDraft {
        display_name: name.into(),
        category: Some(ActorCategory::GovernmentBody),
        side: Some(side),
        region_code: region.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn records_and_only_records_are_written_as_records() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inner =
        SledStore::open(&SledConfig { path: dir.path().join("r"), cache_capacity_bytes: 8 << 20 }).expect("open");
    let puts = Arc::new(Mutex::new(Vec::new()));
    let registry = Registry::new(Recording { inner, puts: Arc::clone(&puts) });

    registry.create_actor(actor("江苏", Side::East, "320000"), Some("js".into())).await.expect("east");
    registry.create_actor(actor("陕西", Side::West, "610000"), Some("sn".into())).await.expect("west");
    let mut child = actor("南京", Side::East, "320100");
    child.parent = Some("js".into());
    registry.create_actor(child, Some("nj".into())).await.expect("child");
    registry.create_actors_batch(vec![("cq".into(), actor("重庆", Side::West, "500000"))]).await.expect("batch");
    let renamed = ActorDraft { display_name: "江苏省".into(), ..Default::default() };
    let fields = ACTOR_MASK.select(&["display_name"], &renamed).expect("mask");
    registry.update_actor("js", "", renamed, &fields).await.expect("update actor");

    let pairing = PairingDraft {
        title: "江苏—陕西".into(),
        east: Some("js".into()),
        west: Some("sn".into()),
        level: Some(PairingLevel::Province),
        leadership: Some(Leadership::GovernmentLed),
        state: Some(PairingState::Active),
        ..Default::default()
    };
    registry.create_pairing(pairing, Some("js-sn".into())).await.expect("pairing");
    let retitled = PairingDraft { title: "苏陕协作".into(), ..Default::default() };
    let fields = PAIRING_MASK.select(&["title"], &retitled).expect("mask");
    registry.update_pairing("js-sn", "", retitled, &fields).await.expect("update pairing");
    let activity = ActivityDraft {
        actor: Some("js".into()),
        form: Some(CooperationForm::Industry),
        kind: Some(ActivityKind::Funds),
        direction: Some(FlowDirection::EastToWest),
        date: chrono::NaiveDate::from_ymd_opt(2024, 5, 1),
        amount_fen: 100,
        ..Default::default()
    };
    registry.create_activity("js-sn", activity.clone(), Some("a1".into())).await.expect("activity");
    registry.create_activities_batch("js-sn", vec![("a2".into(), activity)]).await.expect("activities");
    let agreement = AgreementDraft { description: "年度协议".into(), ..Default::default() };
    registry.create_agreement("js-sn", agreement.clone(), "2024").await.expect("agreement");
    let fields = AGREEMENT_MASK.select(&["description"], &agreement).expect("mask");
    registry.update_agreement("js-sn", 2024, "", agreement, &fields).await.expect("update agreement");

    let puts = puts.lock().expect("lock").clone();
    let record_spaces = [keys::ACTORS, keys::PAIRINGS, keys::ACTIVITIES, keys::AGREEMENTS];
    let mut records = 0;
    for (key, marked) in &puts {
        let is_record = record_spaces.iter().any(|space| key.starts_with(space.as_bytes()));
        assert_eq!(*marked, is_record, "{}", String::from_utf8_lossy(key));
        records += usize::from(is_record);
    }
    // Four actors and an update, a pairing and an update, two activities, an agreement and an
    // update.
    assert_eq!(records, 11, "{puts:?}");
    assert!(puts.len() > records, "index entries and counts were written too");
}
