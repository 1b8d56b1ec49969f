//! Protocol-buffer messages as canonical proto3 JSON (snake_case field names, enum names), read
//! and written through the descriptor set the contract crate embeds: one mapping for every message,
//! the same one grpcurl and the other languages' clients use.

use std::sync::OnceLock;

use prost::Message;
use prost_reflect::{DescriptorPool, DeserializeOptions, DynamicMessage, MessageDescriptor, SerializeOptions};

fn pool() -> &'static DescriptorPool {
    static POOL: OnceLock<DescriptorPool> = OnceLock::new();
    POOL.get_or_init(|| {
        // The set is generated at build time from our own .proto files: failing to decode it is a
        // build defect, not bad input.
        DescriptorPool::decode(eastwest_proto::FILE_DESCRIPTOR_SET)
            .unwrap_or_else(|e| panic!("embedded descriptors: {e}"))
    })
}

fn descriptor(full_name: &str) -> anyhow::Result<MessageDescriptor> {
    pool().get_message_by_name(full_name).ok_or_else(|| anyhow::anyhow!("no message {full_name} in the contract"))
}

/// How much of a message to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fields {
    /// Every field, defaults included: stable keys for scripts.
    All,
    /// Only fields that differ from their default: compact files for import and export.
    Set,
}

pub fn to_value<M: Message>(full_name: &str, message: &M, fields: Fields) -> anyhow::Result<serde_json::Value> {
    let dynamic = DynamicMessage::decode(descriptor(full_name)?, message.encode_to_vec().as_slice())?;
    let options = SerializeOptions::new()
        .use_proto_field_name(true)
        .stringify_64_bit_integers(false)
        .skip_default_fields(fields == Fields::Set);
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::new(&mut out);
    dynamic.serialize_with_options(&mut serializer, &options)?;
    Ok(serde_json::from_slice(&out)?)
}

/// Reads a message from proto3 JSON (snake_case or lowerCamelCase names; enum names or numbers).
pub fn from_value<M: Message + Default>(full_name: &str, value: serde_json::Value) -> anyhow::Result<M> {
    let options = DeserializeOptions::new().deny_unknown_fields(true);
    let dynamic = DynamicMessage::deserialize_with_options(descriptor(full_name)?, value, &options)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(dynamic.transcode_to::<M>()?)
}

/// The proto field names of a JSON object's keys (which may be snake_case or lowerCamelCase): the
/// update mask of a change given as JSON, so that a field set to its default is cleared, not skipped.
pub fn field_paths(full_name: &str, value: &serde_json::Value) -> anyhow::Result<Vec<String>> {
    let descriptor = descriptor(full_name)?;
    let object = value.as_object().ok_or_else(|| anyhow::anyhow!("expected a JSON object"))?;
    let mut paths: Vec<String> = Vec::with_capacity(object.len());
    for key in object.keys() {
        let field = descriptor
            .get_field_by_name(key)
            .or_else(|| descriptor.get_field_by_json_name(key))
            .ok_or_else(|| anyhow::anyhow!("{full_name} has no field {key:?}"))?;
        // `display_name` and `displayName` together: one of them would be dropped unseen.
        if paths.iter().any(|p| p == field.name()) {
            anyhow::bail!("{key:?} names the field {} a second time", field.name());
        }
        paths.push(field.name().to_string());
    }
    Ok(paths)
}

pub const ACTOR: &str = "eastwest.registry.v1.Actor";
pub const PAIRING: &str = "eastwest.registry.v1.Pairing";
pub const ACTIVITY: &str = "eastwest.registry.v1.Activity";
pub const AGREEMENT: &str = "eastwest.registry.v1.Agreement";
pub const EVALUATION: &str = "eastwest.evaluation.v1.Evaluation";
pub const GROUP: &str = "eastwest.evaluation.v1.EvaluationGroup";

#[cfg(test)]
mod tests {
    use eastwest_proto::registry::v1 as pb;

    use super::*;

    #[test]
    fn messages_round_trip_through_canonical_json() {
        let actor = pb::Actor {
            name: "actors/js".into(),
            display_name: "江苏省人民政府".into(),
            category: pb::ActorCategory::GovernmentBody as i32,
            side: pb::Side::East as i32,
            region_code: "320000".into(),
            create_time: Some(prost_types::Timestamp { seconds: 1_700_000_000, nanos: 0 }),
            ..Default::default()
        };
        let value = to_value(ACTOR, &actor, Fields::Set).expect("to json");
        assert_eq!(value["category"], "ACTOR_CATEGORY_GOVERNMENT_BODY");
        assert_eq!(value["display_name"], "江苏省人民政府");
        assert!(value.get("credit_code").is_none(), "defaults are skipped: {value}");
        let back: pb::Actor = from_value(ACTOR, value).expect("from json");
        assert_eq!(back, actor);
        let activity = pb::Activity { amount_fen: 269_000_000_000, ..Default::default() };
        assert_eq!(to_value(ACTIVITY, &activity, Fields::Set).expect("json")["amount_fen"], 269_000_000_000i64);
    }

    #[test]
    fn field_paths_name_proto_fields_whatever_the_json_spelling() {
        let value = serde_json::json!({"displayName": "x", "credit_code": "", "labels": {}});
        let mut paths = field_paths(ACTOR, &value).expect("paths");
        paths.sort();
        assert_eq!(paths, ["credit_code", "display_name", "labels"]);
        let err = field_paths(ACTOR, &serde_json::json!({"colour": "red"})).expect_err("unknown");
        assert!(err.to_string().contains("colour"), "{err}");
        let twice = serde_json::json!({"display_name": "A", "displayName": "B"});
        let err = field_paths(ACTOR, &twice).expect_err("one field twice");
        assert!(err.to_string().contains("second time"), "{err}");
    }

    #[test]
    fn unknown_fields_are_refused() {
        let err = from_value::<pb::Actor>(ACTOR, serde_json::json!({"display_nam": "x"})).expect_err("typo");
        assert!(err.to_string().contains("display_nam"), "{err}");
    }
}
