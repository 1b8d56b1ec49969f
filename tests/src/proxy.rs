//! A TCP fault proxy, after etcd's `pkg/proxy`: it stands on 127.0.0.1 in front of one address
//! and relays bytes both ways, until told to lose some.
//!
//! - [`FaultProxy::drop_replies`] (etcd's blackhole of the receiving side): every reply that comes
//!   back from upstream is dropped and its connection cut, until [`FaultProxy::pass`]. A stream
//!   with a hole in it cannot go on: a lost reply breaks its connection for good, as a real loss
//!   would.
//! - [`FaultProxy::trap`]: the first request that carries every given needle is caught. Either it
//!   never reaches upstream ([`Loss::Request`]), or it does and upstream's reply is dropped
//!   ([`Loss::Reply`]); its connection then stays open and silent until [`FaultProxy::release`]
//!   cuts it. The sender cannot tell the two apart.
//!
//! Everything else passes as it came, in both directions.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// What a trap loses of the request it catches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loss {
    /// The request: upstream never sees it.
    Request,
    /// Its reply: upstream acts on the request, the sender never hears.
    Reply,
}

/// A relay on 127.0.0.1 in front of one upstream address; see the module's documentation.
pub struct FaultProxy {
    url: String,
    faults: Arc<Faults>,
    accepting: JoinHandle<()>,
}

/// What the proxy is told to lose, shared by every connection it relays.
#[derive(Default)]
struct Faults {
    dropping_replies: AtomicBool,
    trap: Mutex<Option<Trap>>,
    caught: Notify,
    release: Notify,
}

struct Trap {
    needles: Vec<Vec<u8>>,
    loss: Loss,
}

impl Faults {
    /// Takes the armed trap if `chunk` carries every one of its needles.
    fn catch(&self, chunk: &[u8]) -> Option<Loss> {
        let carries = |needle: &Vec<u8>| needle.is_empty() || chunk.windows(needle.len()).any(|w| w == needle);
        let mut trap = self.trap.lock().expect("trap");
        if trap.as_ref().is_some_and(|t| t.needles.iter().all(carries)) { trap.take().map(|t| t.loss) } else { None }
    }
}

impl FaultProxy {
    /// A proxy in front of `upstream` (`host:port`, or an `http://` URL), passing everything.
    pub async fn start(upstream: &str) -> Self {
        let upstream = upstream.trim_start_matches("http://").to_string();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let faults = Arc::new(Faults::default());
        let relayed = Arc::clone(&faults);
        let accepting = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let Ok(server) = TcpStream::connect(&upstream).await else { continue };
                tokio::spawn(relay(client, server, Arc::clone(&relayed)));
            }
        });
        Self { url, faults, accepting }
    }

    /// `http://` and the proxy's address: where clients connect instead of upstream.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// From now on, every reply from upstream is dropped and its connection cut.
    pub fn drop_replies(&self) {
        self.faults.dropping_replies.store(true, Ordering::SeqCst);
    }

    /// Replies pass again (on new connections: those already cut stay cut).
    pub fn pass(&self) {
        self.faults.dropping_replies.store(false, Ordering::SeqCst);
    }

    /// Arms a trap for the first request that carries every one of `needles`; see [`Loss`].
    pub fn trap(&self, needles: impl IntoIterator<Item = impl AsRef<[u8]>>, loss: Loss) {
        let needles = needles.into_iter().map(|n| n.as_ref().to_vec()).collect();
        *self.faults.trap.lock().expect("trap") = Some(Trap { needles, loss });
    }

    /// Returns once the trap has caught its request (at once if it already has).
    pub async fn caught(&self) {
        self.faults.caught.notified().await
    }

    /// Cuts the connection of the caught request.
    pub fn release(&self) {
        self.faults.release.notify_one();
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.accepting.abort();
    }
}

/// Relays one connection until either side ends it or a fault cuts it.
async fn relay(client: TcpStream, server: TcpStream, faults: Arc<Faults>) {
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    // Set once this connection's request is caught: its replies are read and dropped from then on.
    let muted = AtomicBool::new(false);
    let requests = async {
        let mut buf = vec![0u8; 64 << 10];
        loop {
            let n = match client_read.read(&mut buf).await {
                Ok(0) => break,
                Ok(n) => n,
                Err(_) => return,
            };
            let chunk = &buf[..n];
            if let Some(loss) = faults.catch(chunk) {
                muted.store(true, Ordering::SeqCst);
                if loss == Loss::Reply {
                    let _ = server_write.write_all(chunk).await;
                }
                faults.caught.notify_one();
                faults.release.notified().await;
                return;
            }
            if server_write.write_all(chunk).await.is_err() {
                return;
            }
        }
        // The client has closed its side: pass that on, and let the replies finish.
        let _ = server_write.shutdown().await;
        std::future::pending::<()>().await
    };
    let replies = async {
        let mut buf = vec![0u8; 64 << 10];
        while let Ok(n @ 1..) = server_read.read(&mut buf).await {
            if muted.load(Ordering::SeqCst) {
                continue;
            }
            if faults.dropping_replies.load(Ordering::SeqCst) || client_write.write_all(&buf[..n]).await.is_err() {
                return;
            }
        }
        // A caught request's connection stays open until released: an early close would tell the
        // client.
        if muted.load(Ordering::SeqCst) {
            std::future::pending::<()>().await
        }
    };
    // Whichever direction ends first ends the connection: both halves of both sockets are dropped.
    tokio::select! {
        () = requests => {}
        () = replies => {}
    }
}
