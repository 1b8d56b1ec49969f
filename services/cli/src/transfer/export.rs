//! Writing every record of a registry out as JSON Lines, in an order that imports back.

use std::collections::HashSet;
use std::io::Write;

use eastwest_proto::registry::v1 as pb;

use super::Registry;
use super::compare::ServerOwned;
use super::files::jsonl_line;
use crate::error::CliResult;
use crate::json;

async fn list_all<T, F, Fut>(mut fetch: F) -> Result<Vec<T>, tonic::Status>
where
    F: FnMut(String) -> Fut,
    Fut: std::future::Future<Output = Result<(Vec<T>, String), tonic::Status>>,
{
    let (mut all, mut token) = (Vec::new(), String::new());
    loop {
        let (items, next) = fetch(token).await?;
        all.extend(items);
        if next.is_empty() {
            return Ok(all);
        }
        token = next;
    }
}

/// Orders records so that each parent comes before its children (then by name).
fn parents_first<T>(items: Vec<T>, name: impl Fn(&T) -> &str, parent: impl Fn(&T) -> &str) -> Vec<T> {
    let mut pending: Vec<T> = items;
    pending.sort_by(|a, b| name(a).cmp(name(b)));
    let present: HashSet<String> = pending.iter().map(|x| name(x).to_string()).collect();
    let mut placed: HashSet<String> = HashSet::new();
    let mut out = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        let before = pending.len();
        let (ready, rest): (Vec<T>, Vec<T>) = pending.into_iter().partition(|x| {
            let p = parent(x);
            p.is_empty() || placed.contains(p) || !present.contains(p)
        });
        for x in &ready {
            placed.insert(name(x).to_string());
        }
        out.extend(ready);
        pending = rest;
        if pending.len() == before {
            // A cycle cannot be stored; keep whatever remains rather than loop.
            out.append(&mut pending);
        }
    }
    out
}

/// How many records of each kind an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportCounts {
    pub actors: usize,
    pub pairings: usize,
    pub activities: usize,
    pub agreements: usize,
}

/// Writes every actor, pairing, activity and agreement as JSON Lines, output-only fields left out:
/// actors, then pairings, then each pairing's activities followed by its agreements.
pub async fn export(client: &mut Registry, out: &mut dyn Write) -> CliResult<ExportCounts> {
    let actors = list_all(|page_token| {
        let mut c = client.clone();
        async move {
            let r = c.list_actors(pb::ListActorsRequest { page_size: 1000, page_token, ..Default::default() }).await?;
            let r = r.into_inner();
            Ok((r.actors, r.next_page_token))
        }
    })
    .await?;
    let pairings = list_all(|page_token| {
        let mut c = client.clone();
        async move {
            let r =
                c.list_pairings(pb::ListPairingsRequest { page_size: 1000, page_token, ..Default::default() }).await?;
            let r = r.into_inner();
            Ok((r.pairings, r.next_page_token))
        }
    })
    .await?;
    let actors = parents_first(actors, |a| &a.name, |a| &a.parent);
    let pairings = parents_first(pairings, |p| &p.name, |p| &p.parent);
    for a in &actors {
        writeln!(out, "{}", jsonl_line("actor", json::ACTOR, &a.clone().without_server_fields())?)?;
    }
    for p in &pairings {
        writeln!(out, "{}", jsonl_line("pairing", json::PAIRING, &p.clone().without_server_fields())?)?;
    }
    let mut counts = ExportCounts { actors: actors.len(), pairings: pairings.len(), ..ExportCounts::default() };
    for p in &pairings {
        let parent = p.name.clone();
        let activities = list_all(|page_token| {
            let mut c = client.clone();
            let parent = parent.clone();
            async move {
                let r = c.list_activities(pb::ListActivitiesRequest { parent, page_size: 1000, page_token }).await?;
                let r = r.into_inner();
                Ok((r.activities, r.next_page_token))
            }
        })
        .await?;
        for a in activities {
            writeln!(out, "{}", jsonl_line("activity", json::ACTIVITY, &a.without_server_fields())?)?;
            counts.activities += 1;
        }
        let agreements = list_all(|page_token| {
            let mut c = client.clone();
            let parent = parent.clone();
            async move {
                let r = c.list_agreements(pb::ListAgreementsRequest { parent, page_size: 1000, page_token }).await?;
                let r = r.into_inner();
                Ok((r.agreements, r.next_page_token))
            }
        })
        .await?;
        for a in agreements {
            writeln!(out, "{}", jsonl_line("agreement", json::AGREEMENT, &a.without_server_fields())?)?;
            counts.agreements += 1;
        }
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_come_first() {
        let items = vec![("c", "b"), ("a", ""), ("b", "a"), ("z", "missing")];
        let ordered = parents_first(items, |x| x.0, |x| x.1);
        let names: Vec<_> = ordered.iter().map(|x| x.0).collect();
        assert_eq!(names, ["a", "z", "b", "c"]);
    }
}
