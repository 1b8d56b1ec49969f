//! The real binaries, built by cargo in the test's own profile, and a registry process to start,
//! signal and kill: for what only a process boundary shows.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Builds a workspace binary (a no-op when it is fresh) in this test's profile and returns its path.
pub fn cargo_binary(package: &str, bin: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test exe");
    // target/<profile>/deps/<test> → target/<profile>
    let profile_dir = exe.parent().and_then(Path::parent).expect("profile dir").to_path_buf();
    let release = profile_dir.file_name().is_some_and(|n| n == "release");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut build = std::process::Command::new(cargo);
    build.args(["build", "--quiet", "-p", package, "--bin", bin]);
    if release {
        build.arg("--release");
    }
    let status = build.status().expect("run cargo build");
    assert!(status.success(), "building {bin} failed");
    profile_dir.join(bin)
}

/// Builds a workspace binary with the `etcd` feature, in a target directory of its own so that it
/// never replaces the default build of the same binary that other tests run.
#[cfg(feature = "etcd")]
pub fn cargo_binary_with_etcd(package: &str, bin: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test exe");
    let profile_dir = exe.parent().and_then(Path::parent).expect("profile dir").to_path_buf();
    let profile = profile_dir.file_name().expect("profile").to_owned();
    let target_dir = profile_dir.parent().expect("target dir").join("with-etcd");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut build = std::process::Command::new(cargo);
    build.args(["build", "--quiet", "-p", package, "--bin", bin, "--features", "etcd", "--target-dir"]);
    build.arg(&target_dir);
    if profile == "release" {
        build.arg("--release");
    }
    let status = build.status().expect("run cargo build");
    assert!(status.success(), "building {bin} with etcd failed");
    target_dir.join(profile).join(bin)
}

/// The real `eastwest-registry` binary on a sled directory, for what only a process boundary
/// shows (SIGKILL, SIGTERM, the data-dir lock, a replica that dies without a word).
pub struct RegistryProcess {
    pub child: std::process::Child,
    pub addr: SocketAddr,
}

/// A failed assertion must not leave the server running.
impl Drop for RegistryProcess {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl RegistryProcess {
    /// Starts the binary `bin` on a sled directory, on an ephemeral port.
    pub fn start(bin: &Path, dir: &Path) -> Self {
        let dir = dir.to_str().expect("utf-8 path");
        Self::start_with(bin, &["--data-dir", dir], &[])
    }

    /// Starts the binary with `args` and `envs` on an ephemeral port and reads the address it logs.
    pub fn start_with(bin: &Path, args: &[&str], envs: &[(&str, &str)]) -> Self {
        use std::io::{BufRead, BufReader};
        use std::process::{Command, Stdio};
        let mut child = Command::new(bin)
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .env("RUST_LOG", "info")
            .env("EASTWEST_LOG_FORMAT", "text")
            .envs(envs.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn registry");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("local=").nth(1) {
                    let _ = tx.send(rest.split_whitespace().next().unwrap_or_default().to_string());
                }
            }
        });
        let addr = rx.recv_timeout(Duration::from_secs(30)).expect("registry logged its address");
        Self { child, addr: addr.parse().expect("socket address") }
    }
}
