//! Compiles the .proto files without a system `protoc`: protox parses them into a descriptor set,
//! which feeds both code generation and server reflection.

use std::{env, fs, path::PathBuf};

const PROTO_ROOT: &str = "eastwest";
const FILES: &[&str] = &["eastwest/registry/v1/registry.proto", "eastwest/evaluation/v1/evaluation.proto"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // tonic-prost-build 0.14 does not print this itself; without it, edits to a .proto are ignored.
    println!("cargo:rerun-if-changed={PROTO_ROOT}");

    let descriptors = protox::compile(FILES, ["."])?;
    let out_dir = PathBuf::from(env::var("OUT_DIR")?);
    fs::write(out_dir.join("eastwest_descriptor.bin"), prost::Message::encode_to_vec(&descriptors))?;

    tonic_prost_build::configure().build_client(true).build_server(true).compile_fds(descriptors)?;
    Ok(())
}
