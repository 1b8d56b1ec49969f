//! The real `eastwest` binary pointed at servers under test.

use std::path::PathBuf;
use std::process::Output;

use crate::evaluation::TestEvaluation;
use crate::process::cargo_binary;
use crate::registry::TestRegistry;

/// The `eastwest` binary with `--registry` and `--evaluation` set.
pub struct Cli {
    pub bin: PathBuf,
    pub registry: String,
    pub evaluation: String,
}

impl Cli {
    /// Builds the binary if need be (off the async runtime) and points it at both servers.
    pub async fn new(registry: &TestRegistry, evaluation: &TestEvaluation) -> Self {
        let bin = tokio::task::spawn_blocking(|| cargo_binary("eastwest-cli", "eastwest")).await.expect("build");
        Self { bin, registry: registry.url(), evaluation: evaluation.url() }
    }

    /// Runs the binary with `args` (off the async runtime: the servers live on it).
    pub async fn run(&self, args: &[&str]) -> Output {
        let mut command = std::process::Command::new(&self.bin);
        command.args(["--registry", &self.registry, "--evaluation", &self.evaluation]).args(args);
        tokio::task::spawn_blocking(move || command.output().expect("run eastwest")).await.expect("join")
    }

    /// Runs it and expects success; its standard output.
    pub async fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args).await;
        assert!(out.status.success(), "eastwest {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf8")
    }
}
