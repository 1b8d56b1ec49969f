//! Reading and writing the files `import` and `export` move: JSON Lines and CSV.
//!
//! JSON Lines: one record per line, `{"actor": {...}}`, `{"pairing": {...}}` or `{"activity": {...}}`,
//! each the resource in proto3 JSON with its `name` (which carries the id). CSV: actors or pairings,
//! with the headers documented in README.md.

use std::collections::BTreeMap;
use std::path::Path;

use eastwest_proto::registry::v1 as pb;
use serde_json::{Map, Value, json};

use crate::error::{CliError, CliResult};
use crate::json::{self, Fields};

/// One record read from a file.
#[derive(Debug, Clone)]
pub enum Record {
    Actor(pb::Actor),
    // Boxed: a pairing is several times the size of the other records.
    Pairing(Box<pb::Pairing>),
    Activity(pb::Activity),
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
#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "serde_json's values, a foreign enum: only objects hold nulls to drop"
)]
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

/// One JSON Lines line, `{"kind": {...}}`; fields at their default values are left out.
pub(super) fn jsonl_line(kind: &str, full_name: &str, message: &impl prost::Message) -> CliResult<String> {
    let body = json::to_value(full_name, message, Fields::Set)?;
    Ok(json!({ kind: body }).to_string())
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
}
