//! The real `eastwest-registry` binary: crash safety (SIGKILL), clean shutdown (SIGTERM), and the
//! single-process guard on a data directory.

use std::path::PathBuf;
use std::process::{Child, Command};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use eastwest_proto::registry::v1 as pb;
use eastwest_tests::grpc::connect;
use eastwest_tests::process::{RegistryProcess, cargo_binary};
use eastwest_tests::records::{activity, actor, all_actor_names, create_pairing, east, pairing, west};

fn registry_binary() -> PathBuf {
    cargo_binary("eastwest-registry", "eastwest-registry")
}

fn signal(child: &Child, sig: &str) {
    let status = Command::new("kill").args([sig, &child.id().to_string()]).status().expect("kill");
    assert!(status.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_acknowledged_write_survives_sigkill() {
    let bin = tokio::task::spawn_blocking(registry_binary).await.expect("build");
    let tempdir = tempfile::tempdir().expect("tempdir");
    let dir = tempdir.path().join("registry");
    let mut running = RegistryProcess::start(&bin, &dir);
    let mut c = connect(running.addr).await;
    east(&mut c, "e").await;
    west(&mut c, "w").await;
    create_pairing(&mut c, "p", pairing("p", "e", "w")).await;

    // Writers of single-key records (actors) and of multi-key ones (activities: the record plus two
    // reference counts), acknowledged writes counted as they come.
    let stop = Arc::new(AtomicBool::new(false));
    let acked = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut writers = Vec::new();
    for w in 0..16 {
        let mut client = connect(running.addr).await;
        let (stop, acked) = (Arc::clone(&stop), Arc::clone(&acked));
        writers.push(tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            let deadline = Instant::now() + Duration::from_secs(20);
            for i in 0..2_000 {
                if stop.load(Ordering::SeqCst) || Instant::now() > deadline {
                    break;
                }
                let written = if w % 4 == 0 {
                    let id = format!("w{w:02}-{i:04}");
                    let request = pb::CreateActivityRequest {
                        parent: "pairings/p".into(),
                        activity: Some(activity(if i % 2 == 0 { "e" } else { "w" })),
                        activity_id: id.clone(),
                    };
                    client.create_activity(request).await.map(|_| format!("pairings/p/activities/{id}"))
                } else {
                    let id = format!("w{w:02}-{i:04}");
                    let request = pb::CreateActorRequest {
                        actor: Some(actor(&id, pb::Side::East, "320000")),
                        actor_id: id.clone(),
                    };
                    client.create_actor(request).await.map(|_| format!("actors/{id}"))
                };
                match written {
                    Ok(name) => {
                        acknowledged.push(name);
                        acked.fetch_add(1, Ordering::SeqCst);
                    }
                    Err(_) => break, // the process is gone
                }
            }
            acknowledged
        }));
    }
    // Kill the process mid-stream, once a good number of writes are acknowledged.
    let waited = Instant::now();
    while acked.load(Ordering::SeqCst) < 400 && waited.elapsed() < Duration::from_secs(15) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    signal(&running.child, "-KILL");
    let _ = running.child.wait();
    stop.store(true, Ordering::SeqCst);
    let mut acknowledged = Vec::new();
    for w in writers {
        acknowledged.extend(w.await.expect("writer"));
    }
    assert!(acknowledged.len() >= 400, "the test must have written before the kill: {}", acknowledged.len());
    eprintln!("acknowledged before SIGKILL: {} writes from 16 clients", acknowledged.len());

    let mut restarted = RegistryProcess::start(&bin, &dir);
    let mut c = connect(restarted.addr).await;
    let mut stored: std::collections::BTreeSet<String> =
        all_actor_names(&mut c, pb::ListActorsRequest { page_size: 1000, ..Default::default() })
            .await
            .into_iter()
            .collect();
    let snapshot = c.get_pairing_snapshot(pb::GetPairingSnapshotRequest { name: "pairings/p".into() }).await;
    stored.extend(snapshot.expect("snapshot").into_inner().activities.into_iter().map(|a| a.name));
    let lost: Vec<_> = acknowledged.iter().filter(|name| !stored.contains(*name)).collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged writes were lost, e.g. {:?}",
        lost.len(),
        acknowledged.len(),
        lost.first()
    );

    // Reference counts came through the crash with their records: the named actors are still
    // protected, and are free once the pairing and its activities are gone.
    let refused = c.delete_actor(pb::DeleteActorRequest { name: "actors/e".into(), etag: String::new() }).await;
    assert_eq!(refused.expect_err("still named").code(), tonic::Code::FailedPrecondition);
    c.delete_pairing(pb::DeletePairingRequest { name: "pairings/p".into(), etag: String::new(), force: true })
        .await
        .expect("force delete");
    for name in ["actors/e", "actors/w"] {
        c.delete_actor(pb::DeleteActorRequest { name: name.into(), etag: String::new() }).await.expect("released");
    }
    signal(&restarted.child, "-TERM");
    let status = restarted.child.wait().expect("wait");
    assert!(status.success(), "SIGTERM ends the registry with exit 0, got {status}");
}

#[tokio::test]
async fn a_second_process_on_the_same_directory_fails_fast_and_says_why() {
    let bin = tokio::task::spawn_blocking(registry_binary).await.expect("build");
    let tempdir = tempfile::tempdir().expect("tempdir");
    let dir = tempdir.path().join("registry");
    let mut first = RegistryProcess::start(&bin, &dir);

    let started = Instant::now();
    let second =
        Command::new(&bin).args(["--listen", "127.0.0.1:0", "--data-dir"]).arg(&dir).output().expect("second process");
    assert!(!second.status.success());
    assert!(started.elapsed() < Duration::from_secs(10), "fails fast");
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(stderr.contains("in use by another process"), "clear message, got: {stderr}");

    signal(&first.child, "-TERM");
    assert!(first.child.wait().expect("wait").success());
}
