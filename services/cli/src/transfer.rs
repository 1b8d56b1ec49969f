//! `import` and `export`: moving records in and out of a registry as files.
//!
//! JSON Lines: one record per line, `{"actor": {...}}`, `{"pairing": {...}}` or `{"activity": {...}}`,
//! each the resource in proto3 JSON with its `name` (which carries the id). CSV: actors or pairings,
//! with the headers documented in README.md. Import is idempotent by id: a record that already
//! exists with the same content is reported unchanged; one that exists with other content fails
//! (nothing is overwritten). Each record is its own write; one bad line does not stop the rest.

use std::collections::{BTreeMap, HashSet};
use std::io::{IsTerminal, Write};
use std::path::Path;

use eastwest_proto::registry::v1 as pb;
use eastwest_proto::registry::v1::registry_service_client::RegistryServiceClient;
use serde_json::{Map, Value, json};
use tonic::Code;
use tonic::transport::Channel;

use crate::error::{CliError, CliResult};
use crate::json::{self, Fields};

type Registry = RegistryServiceClient<Channel>;

/// One record read from a file.
#[derive(Debug, Clone)]
pub enum Record {
    Actor(pb::Actor),
    // Boxed: a pairing is several times the size of the other records.
    Pairing(Box<pb::Pairing>),
    Activity(pb::Activity),
}

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

/// Parses one JSON Lines record.
pub fn parse_line(line: &str) -> Result<Record, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let Value::Object(map) = value else { return Err("a line must be a JSON object".into()) };
    let mut entries = map.into_iter();
    let (Some((kind, body)), None) = (entries.next(), entries.next()) else {
        return Err("a line must have exactly one key: actor, pairing or activity".into());
    };
    let fit = |e: anyhow::Error| format!("{kind}: {e}");
    match kind.as_str() {
        "actor" => json::from_value(json::ACTOR, body).map(Record::Actor).map_err(fit),
        "pairing" => json::from_value(json::PAIRING, body).map(|p| Record::Pairing(Box::new(p))).map_err(fit),
        "activity" => json::from_value(json::ACTIVITY, body).map(Record::Activity).map_err(fit),
        other => Err(format!("unknown record kind {other:?}; use actor, pairing or activity")),
    }
}

/// The CSV columns of actors and of pairings.
pub const ACTOR_COLUMNS: &[&str] =
    &["id", "display_name", "category", "side", "region_code", "credit_code", "parent", "description", "labels"];
pub const PAIRING_COLUMNS: &[&str] = &[
    "id",
    "title",
    "east",
    "west",
    "level",
    "parent",
    "leadership",
    "forms",
    "state",
    "start_date",
    "end_date",
    "scope_statement",
    "description",
    "labels",
];

/// `x`, `X` or `PREFIX_X` as the full enum name.
fn enum_value(prefix: &str, text: &str) -> Value {
    let upper = text.trim().to_uppercase().replace('-', "_");
    if upper.is_empty() {
        Value::Null
    } else if upper.starts_with(prefix) {
        Value::String(upper)
    } else {
        Value::String(format!("{prefix}{upper}"))
    }
}

fn labels(text: &str) -> Result<Value, String> {
    let mut map = Map::new();
    for pair in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').ok_or_else(|| format!("label {pair:?} is not key=value"))?;
        map.insert(k.trim().to_string(), Value::String(v.trim().to_string()));
    }
    Ok(Value::Object(map))
}

fn name_or_empty(collection: &str, text: &str) -> Value {
    let text = text.trim();
    if text.is_empty() { Value::Null } else { Value::String(crate::connect::named(collection, text)) }
}

/// Drops nulls so that empty CSV cells mean "not set".
fn compact(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(map.into_iter().filter(|(_, v)| !v.is_null()).collect()),
        other => other,
    }
}

fn csv_record(kind: CsvKind, row: &BTreeMap<&str, &str>) -> Result<Record, String> {
    let cell = |c: &str| row.get(c).copied().unwrap_or("").trim().to_string();
    let text = |c: &str| {
        let v = cell(c);
        if v.is_empty() { Value::Null } else { Value::String(v) }
    };
    let id = cell("id");
    if id.is_empty() {
        return Err("id is empty: imported records need their id".into());
    }
    match kind {
        CsvKind::Actors => {
            let value = compact(json!({
                "name": format!("actors/{id}"),
                "display_name": text("display_name"),
                "category": enum_value("ACTOR_CATEGORY_", &cell("category")),
                "side": enum_value("SIDE_", &cell("side")),
                "region_code": text("region_code"),
                "credit_code": text("credit_code"),
                "parent": name_or_empty("actors", &cell("parent")),
                "description": text("description"),
                "labels": labels(&cell("labels"))?,
            }));
            json::from_value(json::ACTOR, value).map(Record::Actor).map_err(|e| e.to_string())
        }
        CsvKind::Pairings => {
            let forms: Vec<Value> = cell("forms")
                .split(';')
                .filter(|f| !f.trim().is_empty())
                .map(|f| enum_value("COOPERATION_FORM_", f))
                .collect();
            let statement = cell("scope_statement");
            let value = compact(json!({
                "name": format!("pairings/{id}"),
                "title": text("title"),
                "east": name_or_empty("actors", &cell("east")),
                "west": name_or_empty("actors", &cell("west")),
                "level": enum_value("PAIRING_LEVEL_", &cell("level")),
                "parent": name_or_empty("pairings", &cell("parent")),
                "leadership": enum_value("LEADERSHIP_", &cell("leadership")),
                "forms": forms,
                "state": enum_value("PAIRING_STATE_", &cell("state")),
                "start_date": text("start_date"),
                "end_date": text("end_date"),
                "scope": if statement.is_empty() { Value::Null } else { json!({"statement": statement}) },
                "description": text("description"),
                "labels": labels(&cell("labels"))?,
            }));
            json::from_value(json::PAIRING, value).map(|p| Record::Pairing(Box::new(p))).map_err(|e| e.to_string())
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CsvKind {
    Actors,
    Pairings,
}

/// Reads a CSV file into records, each with its line number (or the reason it cannot be read).
pub fn read_csv(path: &Path) -> CliResult<Vec<(usize, Result<Record, String>)>> {
    let text = read_utf8(path)?;
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| CliError::Usage(format!("{}: no header line: {e}", path.display())))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let kind = if headers.iter().any(|h| h == "display_name") {
        CsvKind::Actors
    } else if headers.iter().any(|h| h == "title") {
        CsvKind::Pairings
    } else {
        return Err(CliError::Usage(format!(
            "{}: the header is neither the actors header ({}) nor the pairings header ({})",
            path.display(),
            ACTOR_COLUMNS.join(","),
            PAIRING_COLUMNS.join(",")
        )));
    };
    let known = if kind == CsvKind::Actors { ACTOR_COLUMNS } else { PAIRING_COLUMNS };
    if let Some(unknown) = headers.iter().find(|h| !known.contains(&h.as_str())) {
        return Err(CliError::Usage(format!(
            "{}: unknown column {unknown:?}; expected {}",
            path.display(),
            known.join(",")
        )));
    }
    let mut out = Vec::new();
    for row in reader.records() {
        let (line, parsed) = match row {
            Err(e) => (e.position().map_or(0, |p| p.line() as usize), Err(format!("unreadable CSV: {e}"))),
            Ok(row) => {
                let line = row.position().map_or(0, |p| p.line() as usize);
                if row.len() != headers.len() {
                    (line, Err(format!("{} fields where the header has {}", row.len(), headers.len())))
                } else {
                    let cells: BTreeMap<&str, &str> = headers.iter().map(String::as_str).zip(row.iter()).collect();
                    (line, csv_record(kind, &cells))
                }
            }
        };
        out.push((line, parsed));
    }
    Ok(out)
}

/// A whole file as UTF-8 text; anything else (GBK from a spreadsheet, say) is refused with advice,
/// rather than stored as garbled names.
pub fn read_utf8(path: &Path) -> CliResult<String> {
    let bytes = if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)?;
        bytes
    } else {
        std::fs::read(path).map_err(|e| CliError::Usage(format!("cannot read {}: {e}", path.display())))?
    };
    String::from_utf8(bytes).map_err(|e| {
        CliError::Usage(format!(
            "{} is not UTF-8 text (byte {} is not valid): save it as \"CSV UTF-8\" or convert it, e.g. iconv -f GBK -t UTF-8",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Reads a JSON Lines text into records with their line numbers; blank lines are skipped.
pub fn read_jsonl(text: &str) -> Vec<(usize, Result<Record, String>)> {
    text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).map(|(i, l)| (i + 1, parse_line(l))).collect()
}

/// A record as the registry stores it: output-only fields cleared, absent parts explicit, and the
/// registry's own canonical forms applied (names trimmed, roles sorted and unique, forms unique), so
/// that a stored record compares equal to any file record it was created from.
fn normalize_pairing(mut p: pb::Pairing, ids_from: Option<&pb::Pairing>) -> pb::Pairing {
    p.etag.clear();
    p.create_time = None;
    p.update_time = None;
    p.east_region_code.clear();
    p.west_region_code.clear();
    p.scope.get_or_insert_with(Default::default);
    p.title = p.title.trim().to_string();
    let mut forms = Vec::with_capacity(p.forms.len());
    for form in p.forms.drain(..) {
        if !forms.contains(&form) {
            forms.push(form);
        }
    }
    p.forms = forms;
    for participant in &mut p.participants {
        participant.roles.sort_unstable();
        participant.roles.dedup();
    }
    for r in &mut p.responsibilities {
        r.duty = r.duty.trim().to_string();
    }
    for g in &mut p.goals {
        g.indicator = g.indicator.trim().to_string();
    }
    if let Some(stored) = ids_from {
        for (item, from) in p.responsibilities.iter_mut().zip(&stored.responsibilities) {
            if item.id.is_empty() {
                item.id.clone_from(&from.id);
            }
        }
        for (item, from) in p.goals.iter_mut().zip(&stored.goals) {
            if item.id.is_empty() {
                item.id.clone_from(&from.id);
            }
        }
    }
    p
}

fn normalize_actor(mut a: pb::Actor) -> pb::Actor {
    a.display_name = a.display_name.trim().to_string();
    a.etag.clear();
    a.create_time = None;
    a.update_time = None;
    a.credit_code_check = 0;
    a
}

fn normalize_activity(mut a: pb::Activity) -> pb::Activity {
    a.etag.clear();
    a.create_time = None;
    a
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

fn failed(status: &tonic::Status) -> Outcome {
    Outcome::Failed(crate::output::describe_status(status).replace('\n', " "))
}

/// Writes one record; ALREADY_EXISTS with equal content is `Unchanged`.
pub async fn import_record(client: &mut Registry, record: Record) -> Outcome {
    match record {
        Record::Actor(actor) => {
            let name = actor.name.clone();
            let id = match id_of(&name, "actors") {
                Ok(id) => id.to_string(),
                Err(e) => return Outcome::Failed(e),
            };
            let request = pb::CreateActorRequest { actor: Some(actor.clone()), actor_id: id };
            match client.create_actor(request).await {
                Ok(_) => Outcome::Created,
                Err(s) if s.code() == Code::AlreadyExists => {
                    match client.get_actor(pb::GetActorRequest { name }).await {
                        Ok(stored) => same(normalize_actor(stored.into_inner()) == normalize_actor(actor)),
                        Err(_) => failed(&s),
                    }
                }
                Err(s) => failed(&s),
            }
        }
        Record::Pairing(pairing) => {
            let name = pairing.name.clone();
            let id = match id_of(&name, "pairings") {
                Ok(id) => id.to_string(),
                Err(e) => return Outcome::Failed(e),
            };
            let pairing = *pairing;
            let request = pb::CreatePairingRequest { pairing: Some(pairing.clone()), pairing_id: id };
            match client.create_pairing(request).await {
                Ok(_) => Outcome::Created,
                Err(s) if s.code() == Code::AlreadyExists => {
                    match client.get_pairing(pb::GetPairingRequest { name }).await {
                        Ok(stored) => {
                            let stored = stored.into_inner();
                            let mine = normalize_pairing(pairing, Some(&stored));
                            same(normalize_pairing(stored, None) == mine)
                        }
                        Err(_) => failed(&s),
                    }
                }
                Err(s) => failed(&s),
            }
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
            match client.create_activity(request).await {
                Ok(_) => Outcome::Created,
                Err(s) if s.code() == Code::AlreadyExists => {
                    match client.get_activity(pb::GetActivityRequest { name }).await {
                        Ok(stored) => same(normalize_activity(stored.into_inner()) == normalize_activity(activity)),
                        Err(_) => failed(&s),
                    }
                }
                Err(s) => failed(&s),
            }
        }
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

fn line(kind: &str, full_name: &str, message: &impl prost::Message) -> CliResult<String> {
    let body = json::to_value(full_name, message, Fields::Set)?;
    Ok(json!({ kind: body }).to_string())
}

/// Writes every actor, pairing and activity as JSON Lines, output-only fields left out.
pub async fn export(client: &mut Registry, out: &mut dyn Write) -> CliResult<(usize, usize, usize)> {
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
        writeln!(out, "{}", line("actor", json::ACTOR, &normalize_actor(a.clone()))?)?;
    }
    for p in &pairings {
        writeln!(out, "{}", line("pairing", json::PAIRING, &normalize_pairing(p.clone(), None))?)?;
    }
    let mut activity_count = 0;
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
            writeln!(out, "{}", line("activity", json::ACTIVITY, &normalize_activity(a))?)?;
            activity_count += 1;
        }
    }
    Ok((actors.len(), pairings.len(), activity_count))
}

/// `eastwest import FILE`.
pub async fn import_command(mut client: Registry, args: crate::cli::ImportArgs) -> CliResult {
    use crate::cli::ImportFormat;
    let format = args.format.unwrap_or_else(|| {
        if args.file.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
            ImportFormat::Csv
        } else {
            ImportFormat::Jsonl
        }
    });
    let records = match format {
        ImportFormat::Csv => read_csv(&args.file)?,
        ImportFormat::Jsonl => read_jsonl(&read_utf8(&args.file)?),
    };
    let summary = import_all(&mut client, records).await;
    for (line, reason) in &summary.failed {
        eprintln!("{}:{line}: {reason}", args.file.display());
    }
    let nothing = if summary.created == 0 && summary.failed.is_empty() { " (nothing changed)" } else { "" };
    crate::outln!(
        "{} created, {} unchanged, {} failed{nothing}",
        summary.created,
        summary.unchanged,
        summary.failed.len()
    );
    if summary.failed.is_empty() {
        Ok(())
    } else {
        Err(CliError::Other(anyhow::anyhow!("{} line(s) failed; the others were imported", summary.failed.len())))
    }
}

/// `eastwest export`.
pub async fn export_command(mut client: Registry, args: crate::cli::ExportArgs) -> CliResult {
    let (actors, pairings, activities) = match &args.out {
        Some(path) => {
            let file = std::fs::File::create(path)
                .map_err(|e| CliError::Usage(format!("cannot write {}: {e}", path.display())))?;
            let mut out = std::io::BufWriter::new(file);
            let counts = export(&mut client, &mut out).await?;
            out.flush()?;
            counts
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            match export(&mut client, &mut out).await {
                // `eastwest export | head`: the reader has what it wanted.
                Err(CliError::Other(e))
                    if e.downcast_ref::<std::io::Error>()
                        .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
                {
                    return Ok(());
                }
                other => other?,
            }
        }
    };
    eprintln!("exported {actors} actors, {pairings} pairings, {activities} activities");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_name_their_kind_once() {
        assert!(matches!(parse_line(r#"{"actor":{"name":"actors/a","display_name":"A"}}"#), Ok(Record::Actor(_))));
        assert!(parse_line(r#"{"actor":{},"pairing":{}}"#).is_err());
        assert!(parse_line(r#"{"person":{}}"#).expect_err("kind").contains("unknown record kind"));
        assert!(parse_line("[1]").is_err());
        assert!(parse_line(r#"{"actor":{"colour":"red"}}"#).expect_err("field").contains("colour"));
    }

    #[test]
    fn csv_cells_accept_short_enum_names_and_labels() {
        let row: BTreeMap<&str, &str> = [
            ("id", "gz-gov"),
            ("display_name", "贵州省人民政府"),
            ("category", "government-body"),
            ("side", "west"),
            ("region_code", "520000"),
            ("labels", "source=test; tier = 1"),
        ]
        .into_iter()
        .collect();
        let Ok(Record::Actor(a)) = csv_record(CsvKind::Actors, &row) else { panic!("actor expected") };
        assert_eq!(a.category, pb::ActorCategory::GovernmentBody as i32);
        assert_eq!(a.side, pb::Side::West as i32);
        assert_eq!(a.labels.get("tier").map(String::as_str), Some("1"));
        assert_eq!(a.name, "actors/gz-gov");
    }

    #[test]
    fn parents_come_first() {
        let items = vec![("c", "b"), ("a", ""), ("b", "a"), ("z", "missing")];
        let ordered = parents_first(items, |x| x.0, |x| x.1);
        let names: Vec<_> = ordered.iter().map(|x| x.0).collect();
        assert_eq!(names, ["a", "z", "b", "c"]);
    }
}
