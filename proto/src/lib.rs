//! The wire contract of eastwest, generated from `proto/eastwest/**.proto`.
//!
//! Generated types stop at the gRPC layer of each service: domain code never sees them.

/// `eastwest.registry.v1`: actors, pairings and activities.
pub mod registry {
    pub mod v1 {
        tonic::include_proto!("eastwest.registry.v1");
    }
}

pub mod convert;

/// `eastwest.evaluation.v1`: scores and their evidence.
pub mod evaluation {
    pub mod v1 {
        tonic::include_proto!("eastwest.evaluation.v1");
    }
}

/// Encoded `FileDescriptorSet` of every eastwest proto, for server reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("eastwest_descriptor");
