//! The races the suites run again and again: N writers of one version where exactly one may win,
//! and creates that name an actor racing that actor's delete.

use std::collections::BTreeSet;
use std::fmt::Debug;

use eastwest_proto::registry::v1 as pb;
use tokio::task::JoinHandle;

use crate::grpc::{Client, mask};
use crate::records::{all_actor_names, all_pairing_names};

/// Waits for every racer (writers that all expected the same version) and asserts that exactly
/// one of them won and that every other lost in the way `lost` accepts; returns what the winner
/// got. `context` starts each failure message.
pub async fn exactly_one_wins<T: Debug, E: Debug>(
    racers: Vec<JoinHandle<Result<T, E>>>,
    lost: impl Fn(&E) -> bool,
    context: &str,
) -> T {
    let mut winners = Vec::new();
    for racer in racers {
        match racer.await.expect("racer") {
            Ok(won) => winners.push(won),
            Err(e) => assert!(lost(&e), "{context}: a racer failed other than by losing the race: {e:?}"),
        }
    }
    assert_eq!(winners.len(), 1, "{context}: exactly one wins: {winners:?}");
    winners.remove(0)
}

/// [`exactly_one_wins`] for gRPC updates that carry one etag: every loser is ABORTED.
pub async fn one_update_wins<T: Debug>(
    racers: Vec<JoinHandle<Result<tonic::Response<T>, tonic::Status>>>,
    context: &str,
) -> T {
    exactly_one_wins(racers, |s| s.code() == tonic::Code::Aborted, context).await.into_inner()
}

/// Every client renames `current` at once (client `i` to `name(i)`), each expecting its etag:
/// asserts that exactly one rename won and every other was ABORTED, and returns the winner.
pub async fn race_renames(
    clients: Vec<Client>,
    current: &pb::Actor,
    name: impl Fn(usize) -> String,
    context: &str,
) -> pb::Actor {
    let mut racers = Vec::new();
    for (i, mut client) in clients.into_iter().enumerate() {
        let update = pb::Actor {
            name: current.name.clone(),
            etag: current.etag.clone(),
            display_name: name(i),
            ..Default::default()
        };
        racers.push(tokio::spawn(async move {
            client
                .update_actor(pb::UpdateActorRequest { actor: Some(update), update_mask: mask(&["display_name"]) })
                .await
        }));
    }
    one_update_wins(racers, context).await
}

/// Deletes `name` in the background, trying again while it is still named (FAILED_PRECONDITION) or
/// raced (ABORTED), up to 50 times; true if the delete went through.
pub fn spawn_persistent_delete(mut deleter: Client, name: String) -> JoinHandle<bool> {
    tokio::spawn(async move {
        for _ in 0..50 {
            match deleter.delete_actor(pb::DeleteActorRequest { name: name.clone(), etag: String::new() }).await {
                Ok(_) => return true,
                Err(s) if matches!(s.code(), tonic::Code::FailedPrecondition | tonic::Code::Aborted) => {
                    tokio::task::yield_now().await
                }
                Err(s) => panic!("unexpected {s:?}"),
            }
        }
        false
    })
}

/// How many of the racing creates succeeded; each that failed must have lost the race
/// (NOT_FOUND: its actor was gone; ABORTED: contention).
pub async fn count_created(creates: Vec<JoinHandle<Result<(), tonic::Status>>>) -> usize {
    let mut created = 0;
    for create in creates {
        match create.await.expect("task") {
            Ok(()) => created += 1,
            Err(s) => assert!(matches!(s.code(), tonic::Code::NotFound | tonic::Code::Aborted), "{s:?}"),
        }
    }
    created
}

/// Asserts that every pairing names existing actors; returns the actors' names.
pub async fn assert_pairings_name_existing_actors(client: &mut Client) -> BTreeSet<String> {
    let actors: BTreeSet<String> =
        all_actor_names(client, pb::ListActorsRequest::default()).await.into_iter().collect();
    for name in all_pairing_names(client, pb::ListPairingsRequest::default()).await {
        let p = client.get_pairing(pb::GetPairingRequest { name: name.clone() }).await.expect("pairing").into_inner();
        assert!(actors.contains(&p.east) && actors.contains(&p.west), "{name} names a deleted actor");
    }
    actors
}
