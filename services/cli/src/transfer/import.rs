//! Writing a file's records into a registry, one write per record.
//!
//! Import is idempotent by id: a record that already exists with the same content is reported
//! unchanged; one that exists with other content fails (nothing is overwritten). One bad line does
//! not stop the rest.

use std::io::IsTerminal;

use eastwest_proto::registry::v1 as pb;
use tonic::{Code, Response, Status};

use super::Registry;
use super::compare;
use super::files::Record;

/// What happened to one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Unchanged,
    Failed(String),
}

#[derive(Debug, Default)]
pub struct ImportSummary {
    pub created: usize,
    pub unchanged: usize,
    /// Line number and reason of every failed line.
    pub failed: Vec<(usize, String)>,
}

fn id_of<'a>(name: &'a str, collection: &str) -> Result<&'a str, String> {
    name.strip_prefix(collection)
        .and_then(|r| r.strip_prefix('/'))
        .filter(|id| !id.is_empty())
        .ok_or_else(|| format!("name {name:?} must be {collection}/{{id}}: imported records need their id"))
}

/// The outcome for a record that already exists: unchanged when equal, refused otherwise.
fn same(equal: bool) -> Outcome {
    if equal {
        Outcome::Unchanged
    } else {
        Outcome::Failed("already exists with other content; nothing was changed".into())
    }
}

fn failed(status: &Status) -> Outcome {
    Outcome::Failed(crate::output::describe_status(status).replace('\n', " "))
}

/// Writes one record; ALREADY_EXISTS with equal content is `Unchanged`.
pub async fn import_record(client: &mut Registry, record: Record) -> Outcome {
    // A second handle on the same channel: the create call borrows `client` while `get` is built.
    let mut reader = client.clone();
    match record {
        Record::Actor(actor) => {
            let name = actor.name.clone();
            let id = match id_of(&name, "actors") {
                Ok(id) => id.to_string(),
                Err(e) => return Outcome::Failed(e),
            };
            let request = pb::CreateActorRequest { actor: Some(actor.clone()), actor_id: id };
            create_or_compare(
                client.create_actor(request),
                async move { reader.get_actor(pb::GetActorRequest { name }).await },
                |stored| compare::actor_unchanged(actor, stored),
            )
            .await
        }
        Record::Pairing(pairing) => {
            let name = pairing.name.clone();
            let id = match id_of(&name, "pairings") {
                Ok(id) => id.to_string(),
                Err(e) => return Outcome::Failed(e),
            };
            let pairing = *pairing;
            let request = pb::CreatePairingRequest { pairing: Some(pairing.clone()), pairing_id: id };
            create_or_compare(
                client.create_pairing(request),
                async move { reader.get_pairing(pb::GetPairingRequest { name }).await },
                |stored| compare::pairing_unchanged(pairing, stored),
            )
            .await
        }
        Record::Activity(activity) => {
            let name = activity.name.clone();
            let Some((parent, id)) = name.split_once("/activities/") else {
                return Outcome::Failed(format!(
                    "name {name:?} must be pairings/{{id}}/activities/{{id}}: imported records need their id"
                ));
            };
            let request = pb::CreateActivityRequest {
                parent: parent.to_string(),
                activity: Some(activity.clone()),
                activity_id: id.to_string(),
            };
            create_or_compare(
                client.create_activity(request),
                async move { reader.get_activity(pb::GetActivityRequest { name }).await },
                |stored| compare::activity_unchanged(activity, stored),
            )
            .await
        }
        Record::Agreement(agreement) => {
            let name = agreement.name.clone();
            let Some((parent, year)) = name.split_once("/agreements/") else {
                return Outcome::Failed(format!(
                    "name {name:?} must be pairings/{{id}}/agreements/{{year}}: imported agreements need their year"
                ));
            };
            let request = pb::CreateAgreementRequest {
                parent: parent.to_string(),
                agreement: Some(agreement.clone()),
                agreement_id: year.to_string(),
            };
            create_or_compare(
                client.create_agreement(request),
                async move { reader.get_agreement(pb::GetAgreementRequest { name }).await },
                |stored| compare::agreement_unchanged(agreement, stored),
            )
            .await
        }
    }
}

/// Runs `create`; when the record already exists, reads it with `get` (a future does nothing until
/// awaited) and asks `unchanged` whether it is the one the file describes.
async fn create_or_compare<T>(
    create: impl Future<Output = Result<Response<T>, Status>>,
    get: impl Future<Output = Result<Response<T>, Status>>,
    unchanged: impl FnOnce(T) -> bool,
) -> Outcome {
    match create.await {
        Ok(_) => Outcome::Created,
        Err(s) if s.code() == Code::AlreadyExists => match get.await {
            Ok(stored) => same(unchanged(stored.into_inner())),
            Err(_) => failed(&s),
        },
        Err(s) => failed(&s),
    }
}

/// Imports records in file order, with a progress bar on a terminal and plain lines otherwise.
pub async fn import_all(client: &mut Registry, records: Vec<(usize, Result<Record, String>)>) -> ImportSummary {
    let total = records.len() as u64;
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let mut summary = ImportSummary::default();
    for (done, (line, record)) in records.into_iter().enumerate() {
        let outcome = match record {
            Ok(record) => import_record(client, record).await,
            Err(reason) => Outcome::Failed(reason),
        };
        match outcome {
            Outcome::Created => summary.created += 1,
            Outcome::Unchanged => summary.unchanged += 1,
            Outcome::Failed(reason) => summary.failed.push((line, reason)),
        }
        match &bar {
            Some(bar) => bar.inc(1),
            None if (done + 1) % 100 == 0 => eprintln!("imported {} of {total} lines", done + 1),
            None => {}
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    summary
}
