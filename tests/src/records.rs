//! Valid records over gRPC: builders, creates that fail the test when refused, and listings
//! followed to their last page.

use eastwest_proto::registry::v1 as pb;

use crate::grpc::Client;

pub fn actor(display_name: &str, side: pb::Side, region_code: &str) -> pb::Actor {
    pb::Actor {
        display_name: display_name.into(),
        category: pb::ActorCategory::GovernmentBody as i32,
        side: side as i32,
        region_code: region_code.into(),
        ..Default::default()
    }
}

pub async fn create_actor(client: &mut Client, id: &str, actor: pb::Actor) -> pb::Actor {
    client
        .create_actor(pb::CreateActorRequest { actor: Some(actor), actor_id: id.into() })
        .await
        .unwrap_or_else(|s| panic!("create actors/{id}: {s:?}"))
        .into_inner()
}

pub async fn east(client: &mut Client, id: &str) -> pb::Actor {
    create_actor(client, id, actor(&format!("east {id}"), pb::Side::East, "320000")).await
}

pub async fn west(client: &mut Client, id: &str) -> pb::Actor {
    create_actor(client, id, actor(&format!("west {id}"), pb::Side::West, "610000")).await
}

pub fn pairing(title: &str, east: &str, west: &str) -> pb::Pairing {
    pb::Pairing {
        title: title.into(),
        east: format!("actors/{east}"),
        west: format!("actors/{west}"),
        level: pb::PairingLevel::Province as i32,
        leadership: pb::Leadership::GovernmentLed as i32,
        state: pb::PairingState::Active as i32,
        ..Default::default()
    }
}

pub async fn create_pairing(client: &mut Client, id: &str, pairing: pb::Pairing) -> pb::Pairing {
    client
        .create_pairing(pb::CreatePairingRequest { pairing: Some(pairing), pairing_id: id.into() })
        .await
        .unwrap_or_else(|s| panic!("create pairings/{id}: {s:?}"))
        .into_inner()
}

pub fn activity(actor: &str) -> pb::Activity {
    pb::Activity {
        actor: format!("actors/{actor}"),
        form: pb::CooperationForm::Employment as i32,
        kind: pb::ActivityKind::Employment as i32,
        direction: pb::FlowDirection::EastToWest as i32,
        date: "2021-06-30".into(),
        amount_fen: 0,
        people: 42,
        ..Default::default()
    }
}

pub async fn create_activity(client: &mut Client, pairing: &str, id: &str, activity: pb::Activity) -> pb::Activity {
    client
        .create_activity(pb::CreateActivityRequest {
            parent: format!("pairings/{pairing}"),
            activity: Some(activity),
            activity_id: id.into(),
        })
        .await
        .unwrap_or_else(|s| panic!("create activity {id}: {s:?}"))
        .into_inner()
}

/// Follows page tokens to the end, returning every actor name in order.
pub async fn all_actor_names(client: &mut Client, mut request: pb::ListActorsRequest) -> Vec<String> {
    let mut names = Vec::new();
    loop {
        let page = client.list_actors(request.clone()).await.expect("list actors").into_inner();
        names.extend(page.actors.into_iter().map(|a| a.name));
        if page.next_page_token.is_empty() {
            return names;
        }
        request.page_token = page.next_page_token;
    }
}

/// Follows page tokens to the end, returning every pairing name in order.
pub async fn all_pairing_names(client: &mut Client, mut request: pb::ListPairingsRequest) -> Vec<String> {
    let mut names = Vec::new();
    loop {
        let page = client.list_pairings(request.clone()).await.expect("list pairings").into_inner();
        names.extend(page.pairings.into_iter().map(|p| p.name));
        if page.next_page_token.is_empty() {
            return names;
        }
        request.page_token = page.next_page_token;
    }
}
