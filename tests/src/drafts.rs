//! Valid drafts for tests that drive the registry core directly (no gRPC in between).

use eastwest_domain::model::{
    ActivityKind, ActorCategory, CooperationForm, FlowDirection, Leadership, PairingLevel, PairingState, Side,
};
use eastwest_registry::{ActivityDraft, ActorDraft, PairingDraft};

/// A provincial government: Jiangsu in the east, Shaanxi in the west.
pub fn actor(name: &str, side: Side) -> ActorDraft {
    ActorDraft {
        display_name: name.into(),
        category: Some(ActorCategory::GovernmentBody),
        side: Some(side),
        region_code: if side == Side::East { "320000" } else { "610000" }.into(),
        ..Default::default()
    }
}

/// Funds sent west by `actor`.
pub fn activity(actor: &str) -> ActivityDraft {
    ActivityDraft {
        actor: Some(actor.into()),
        form: Some(CooperationForm::Industry),
        kind: Some(ActivityKind::Funds),
        direction: Some(FlowDirection::EastToWest),
        date: chrono::NaiveDate::from_ymd_opt(2022, 3, 1),
        ..Default::default()
    }
}

/// An active, government-led provincial pairing.
pub fn pairing_of(east: &str, west: &str) -> PairingDraft {
    PairingDraft {
        title: format!("{east}-{west}"),
        east: Some(east.into()),
        west: Some(west.into()),
        level: Some(PairingLevel::Province),
        leadership: Some(Leadership::GovernmentLed),
        state: Some(PairingState::Active),
        ..Default::default()
    }
}
