//! The bulk-load paths of the registry core (used to preload benchmarks): all or nothing, with the
//! same reference counting as single writes.

use eastwest_registry::core::Registry;
use eastwest_registry::domain::activity::ActivityDraft;
use eastwest_registry::domain::actor::ActorDraft;
use eastwest_registry::domain::model::{
    ActivityKind, ActorCategory, CooperationForm, FlowDirection, Leadership, PairingLevel, PairingState, Side,
};
use eastwest_registry::domain::pairing::PairingDraft;
use eastwest_registry::error::RegistryError;
use eastwest_registry::store::{SledConfig, SledStore};

fn actor(name: &str, side: Side) -> ActorDraft {
    ActorDraft {
        display_name: name.into(),
        category: Some(ActorCategory::GovernmentBody),
        side: Some(side),
        region_code: if side == Side::East { "320000" } else { "610000" }.into(),
        ..Default::default()
    }
}

fn activity(actor: &str) -> ActivityDraft {
    ActivityDraft {
        actor: Some(actor.into()),
        form: Some(CooperationForm::Industry),
        kind: Some(ActivityKind::Funds),
        direction: Some(FlowDirection::EastToWest),
        date: chrono::NaiveDate::from_ymd_opt(2022, 3, 1),
        ..Default::default()
    }
}

#[tokio::test]
async fn batches_are_all_or_nothing_and_keep_references_exact() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store =
        SledStore::open(&SledConfig { path: dir.path().to_path_buf(), cache_capacity_bytes: 8 << 20 }).expect("open");
    let registry = Registry::new(store);
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

    let pairing = PairingDraft {
        title: "p".into(),
        east: Some("e".into()),
        west: Some("w".into()),
        level: Some(PairingLevel::Province),
        leadership: Some(Leadership::GovernmentLed),
        state: Some(PairingState::Active),
        ..Default::default()
    };
    registry.create_pairing(pairing, Some("p".into())).await.expect("pairing");
    let items = (0..5).map(|i| (format!("a{i}"), activity(if i % 2 == 0 { "e" } else { "w" }))).collect();
    assert_eq!(registry.create_activities_batch("p", items).await.expect("activities"), 5);
    let snapshot = registry.get_pairing_snapshot("p").await.expect("snapshot");
    assert_eq!(snapshot.activities.len(), 5);
    let bad = vec![("b1".to_string(), activity("e")), ("b2".to_string(), activity("ghost"))];
    assert!(matches!(registry.create_activities_batch("p", bad).await, Err(RegistryError::NotFound { .. })));
    assert_eq!(registry.get_pairing_snapshot("p").await.expect("snapshot").activities.len(), 5);

    assert!(matches!(registry.delete_actor("e", "").await, Err(RegistryError::FailedPrecondition { .. })));
    registry.delete_pairing("p", "", true).await.expect("force");
    registry.delete_actor("e", "").await.expect("released");
    registry.delete_actor("w", "").await.expect("released");
}
