//! Real etcd members on 127.0.0.1 for the tests: one process per member, a fresh data directory
//! each, killed when dropped. Needs the `etcd` binary (Debian's `etcd-server`) on PATH, or its
//! path in `EASTWEST_TEST_ETCD_BIN`.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn etcd_binary() -> String {
    std::env::var("EASTWEST_TEST_ETCD_BIN").unwrap_or_else(|_| "etcd".into())
}

fn free_port() -> u16 {
    // Bound and released at once: the port is free for the member to take a moment later.
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

struct Member {
    name: String,
    client_port: u16,
    peer_port: u16,
    data_dir: PathBuf,
    process: Option<Child>,
    /// Says once whether the member came up ("serving client traffic") or ended first.
    ready: Option<std::sync::mpsc::Receiver<bool>>,
}

/// PEM files of a test certificate authority, a server certificate for 127.0.0.1 and a client
/// certificate, made with the `openssl` command.
pub struct TestPki {
    pub ca: PathBuf,
    pub server_cert: PathBuf,
    pub server_key: PathBuf,
    pub client_cert: PathBuf,
    pub client_key: PathBuf,
}

fn openssl(dir: &std::path::Path, args: &[&str]) {
    let out = Command::new("openssl").current_dir(dir).args(args).output().expect("run openssl");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

impl TestPki {
    pub fn create(dir: &std::path::Path) -> Self {
        let ca = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "1"];
        openssl(dir, &[&ca[..], &["-subj", "/CN=eastwest-test-ca"]].concat());
        for (name, usage) in [("server", "serverAuth"), ("client", "clientAuth")] {
            let ext = format!("{name}.ext");
            let extensions = format!("subjectAltName=IP:127.0.0.1\nextendedKeyUsage={usage}\n");
            std::fs::write(dir.join(&ext), extensions).expect("extensions");
            let (key, csr, crt) = (format!("{name}.key"), format!("{name}.csr"), format!("{name}.crt"));
            let subject = format!("/CN=eastwest-test-{name}");
            openssl(dir, &["req", "-newkey", "rsa:2048", "-nodes", "-keyout", &key, "-out", &csr, "-subj", &subject]);
            openssl(
                dir,
                &[
                    "x509",
                    "-req",
                    "-in",
                    &csr,
                    "-CA",
                    "ca.crt",
                    "-CAkey",
                    "ca.key",
                    "-CAcreateserial",
                    "-days",
                    "1",
                    "-out",
                    &crt,
                    "-extfile",
                    &ext,
                ],
            );
        }
        Self {
            ca: dir.join("ca.crt"),
            server_cert: dir.join("server.crt"),
            server_key: dir.join("server.key"),
            client_cert: dir.join("client.crt"),
            client_key: dir.join("client.key"),
        }
    }
}

/// An etcd cluster of one or more members.
pub struct EtcdCluster {
    _tempdir: tempfile::TempDir,
    members: Vec<Member>,
    initial_cluster: String,
    /// Client TLS with client-certificate authentication, when started by [`EtcdCluster::start_tls`].
    tls: Option<TestPki>,
}

impl EtcdCluster {
    /// Starts `size` members and waits until every one accepts connections.
    pub fn start(size: usize) -> Self {
        Self::start_with(size, false)
    }

    /// One member that serves clients over TLS only and requires a client certificate signed by
    /// the test CA ([`EtcdCluster::pki`]).
    pub fn start_tls() -> Self {
        Self::start_with(1, true)
    }

    pub fn pki(&self) -> Option<&TestPki> {
        self.tls.as_ref()
    }

    fn start_with(size: usize, tls: bool) -> Self {
        let tempdir = tempfile::tempdir().expect("tempdir");
        let tls = tls.then(|| TestPki::create(tempdir.path()));
        let mut cluster = Self { _tempdir: tempdir, members: Vec::new(), initial_cluster: String::new(), tls };
        // A port found free may be taken by another test's member before ours binds it: such a
        // member exits at once, and the whole cluster starts again on other ports.
        for attempt in 0..5 {
            cluster.members = (0..size)
                .map(|i| Member {
                    name: format!("m{i}"),
                    client_port: free_port(),
                    peer_port: free_port(),
                    data_dir: cluster._tempdir.path().join(format!("a{attempt}-m{i}")),
                    process: None,
                    ready: None,
                })
                .collect();
            cluster.initial_cluster = cluster
                .members
                .iter()
                .map(|m| format!("{}=http://127.0.0.1:{}", m.name, m.peer_port))
                .collect::<Vec<_>>()
                .join(",");
            for i in 0..size {
                cluster.spawn(i);
            }
            if (0..size).all(|i| cluster.wait_ready(i)) {
                return cluster;
            }
            for i in 0..size {
                cluster.kill(i);
            }
        }
        panic!("etcd did not start in five attempts");
    }

    fn spawn(&mut self, i: usize) {
        let initial_cluster = self.initial_cluster.clone();
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        let m = &mut self.members[i];
        let client = format!("{scheme}://127.0.0.1:{}", m.client_port);
        let peer = format!("http://127.0.0.1:{}", m.peer_port);
        let mut command = Command::new(etcd_binary());
        if let Some(pki) = &self.tls {
            command
                .arg("--cert-file")
                .arg(&pki.server_cert)
                .arg("--key-file")
                .arg(&pki.server_key)
                .arg("--trusted-ca-file")
                .arg(&pki.ca)
                .arg("--client-cert-auth");
        }
        let mut child = command
            .args(["--name", &m.name])
            .arg("--data-dir")
            .arg(&m.data_dir)
            .args(["--listen-client-urls", &client, "--advertise-client-urls", &client])
            .args(["--listen-peer-urls", &peer, "--initial-advertise-peer-urls", &peer])
            .args(["--initial-cluster", &initial_cluster, "--initial-cluster-state", "new"])
            .args(["--initial-cluster-token", "eastwest-test"])
            // Elections in half a second rather than one, so that member-loss tests stay short.
            .args(["--heartbeat-interval", "50", "--election-timeout", "500"])
            .args(["--logger", "zap", "--log-level", "info"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start `{}` ({e}): install etcd (Debian: apt-get install etcd-server) or set \
                     EASTWEST_TEST_ETCD_BIN",
                    etcd_binary()
                )
            });
        let (tell, ready) = std::sync::mpsc::channel();
        let stderr = child.stderr.take().expect("piped stderr");
        // Reads the log to its end (a full pipe would stall the member), telling once whether the
        // member became ready.
        std::thread::spawn(move || {
            use std::io::BufRead;
            let mut told = false;
            for line in std::io::BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if !told && line.contains("serving client traffic") {
                    let _ = tell.send(true);
                    told = true;
                }
            }
            if !told {
                let _ = tell.send(false);
            }
        });
        m.process = Some(child);
        m.ready = Some(ready);
    }

    /// Whether member `i` came up (false: it ended first, e.g. its port was taken).
    fn wait_ready(&mut self, i: usize) -> bool {
        let ready = self.members[i].ready.take().expect("spawned");
        match ready.recv_timeout(Duration::from_secs(30)) {
            Ok(up) => up,
            Err(_) => panic!("etcd member {i} neither became ready nor ended within 30 s"),
        }
    }

    /// Client URLs of every member, dead or alive.
    pub fn endpoints(&self) -> Vec<String> {
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        self.members.iter().map(|m| format!("{scheme}://127.0.0.1:{}", m.client_port)).collect()
    }

    /// SIGKILL one member.
    pub fn kill(&mut self, i: usize) {
        if let Some(mut child) = self.members[i].process.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts a killed member again on its data directory (and its ports, which stay its own
    /// unless another process took them meanwhile).
    pub fn restart(&mut self, i: usize) {
        assert!(self.members[i].process.is_none(), "member {i} is running");
        self.spawn(i);
        assert!(self.wait_ready(i), "etcd member {i} did not come back");
    }
}

impl Drop for EtcdCluster {
    fn drop(&mut self) {
        for i in 0..self.members.len() {
            self.kill(i);
        }
    }
}
