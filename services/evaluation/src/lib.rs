//! The eastwest evaluation service: reads pairings from the registry over gRPC and scores them
//! against the collaborative-governance criteria of Xie & Liang (2023), explaining every score.

pub mod scoring;
