//! The harness of the end-to-end tests: what the suites in `tests/` share, compiled once.
//!
//! Real servers on 127.0.0.1 ([`registry::TestRegistry`], [`evaluation::TestEvaluation`]) on a
//! real store of each engine (a sled directory, or with the `etcd` feature real etcd members,
//! [`etcd::EtcdCluster`]); the real binaries ([`process`], and the `eastwest` command line [`cli::Cli`]); gRPC clients and assertions
//! ([`grpc`]); builders of valid records ([`records`] over gRPC, [`drafts`] for the core); the
//! shapes of the races the suites run ([`races`]); and a TCP fault proxy ([`proxy`]) that loses
//! requests or replies on purpose. [`on_every_engine!`] runs one suite on every engine.

pub mod cli;
pub mod drafts;
pub mod engine;
#[cfg(feature = "etcd")]
pub mod etcd;
pub mod evaluation;
pub mod grpc;
pub mod process;
pub mod proxy;
pub mod races;
pub mod records;
pub mod registry;
