//! Reading and writing the files `import` and `export` move: JSON Lines and CSV.
//!
//! JSON Lines: one record per line, `{"actor": {...}}`, `{"pairing": {...}}`, `{"activity": {...}}`
//! or `{"agreement": {...}}`, each the resource in proto3 JSON with its `name` (which carries the
//! id). CSV: actors, pairings or agreements (one row per target), with the headers documented in
//! README.md.

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
    Agreement(pb::Agreement),
}

/// Parses one JSON Lines record.
pub fn parse_line(line: &str) -> Result<Record, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let Value::Object(map) = value else { return Err("a line must be a JSON object".into()) };
    let mut entries = map.into_iter();
    let (Some((kind, body)), None) = (entries.next(), entries.next()) else {
        return Err("a line must have exactly one key: actor, pairing, activity or agreement".into());
    };
    let fit = |e: anyhow::Error| format!("{kind}: {e}");
    match kind.as_str() {
        "actor" => json::from_value(json::ACTOR, body).map(Record::Actor).map_err(fit),
        "pairing" => json::from_value(json::PAIRING, body).map(|p| Record::Pairing(Box::new(p))).map_err(fit),
        "activity" => json::from_value(json::ACTIVITY, body).map(Record::Activity).map_err(fit),
        "agreement" => json::from_value(json::AGREEMENT, body).map(Record::Agreement).map_err(fit),
        other => Err(format!("unknown record kind {other:?}; use actor, pairing, activity or agreement")),
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

/// The CSV columns of agreements: one row per target; rows with the same pairing and year are one
/// agreement, whose signed_date, description and labels the first of them gives (the others leave
/// those cells empty or repeat them).
pub const AGREEMENT_COLUMNS: &[&str] =
    &["pairing", "year", "signed_date", "description", "labels", "indicator", "side", "value"];

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
        // An agreement is read from all its rows together: `Agreements::add`.
        CsvKind::Agreements => Err("agreement rows are read together, not one by one".into()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CsvKind {
    Actors,
    Pairings,
    Agreements,
}

/// One agreement gathered from its rows.
#[derive(Debug)]
struct AgreementRows {
    /// The line of its first row, where it is reported.
    line: usize,
    name: String,
    /// signed_date, description and labels: each given once, by any of its rows.
    cells: BTreeMap<&'static str, (usize, String)>,
    targets: Vec<Value>,
    /// The first bad row: the agreement is not imported at all, rather than without that target.
    error: Option<(usize, String)>,
}

/// The agreements of a CSV file, in the order their first rows come.
#[derive(Debug, Default)]
struct Agreements {
    groups: Vec<AgreementRows>,
    /// Rows that name no agreement.
    unnamed: Vec<(usize, String)>,
}

impl Agreements {
    fn add(&mut self, line: usize, row: &BTreeMap<&str, &str>) {
        let cell = |c: &str| row.get(c).copied().unwrap_or("").trim().to_string();
        let (pairing, year) = (cell("pairing"), cell("year"));
        if pairing.is_empty() || year.is_empty() {
            self.unnamed.push((line, "pairing and year are needed: they name the agreement".into()));
            return;
        }
        let name = format!("{}/agreements/{year}", crate::connect::named("pairings", &pairing));
        let index = match self.groups.iter().position(|g| g.name == name) {
            Some(i) => i,
            None => {
                self.groups.push(AgreementRows {
                    line,
                    name,
                    cells: BTreeMap::new(),
                    targets: Vec::new(),
                    error: None,
                });
                self.groups.len() - 1
            }
        };
        let Some(group) = self.groups.get_mut(index) else { return };
        if group.error.is_some() {
            return;
        }
        if let Err(reason) = group.add(line, &cell) {
            group.error = Some((line, reason));
        }
    }

    fn into_records(self) -> Vec<(usize, Result<Record, String>)> {
        let mut out: Vec<(usize, Result<Record, String>)> =
            self.unnamed.into_iter().map(|(line, reason)| (line, Err(reason))).collect();
        for group in self.groups {
            out.push(group.into_record());
        }
        out.sort_by_key(|(line, _)| *line);
        out
    }
}

impl AgreementRows {
    fn add(&mut self, line: usize, cell: &dyn Fn(&str) -> String) -> Result<(), String> {
        for column in ["signed_date", "description", "labels"] {
            let value = cell(column);
            if value.is_empty() {
                continue;
            }
            match self.cells.get(column) {
                None => {
                    self.cells.insert(column, (line, value));
                }
                Some((_, given)) if *given == value => {}
                Some((at, given)) => {
                    return Err(format!(
                        "{column} {value:?} differs from {given:?} on line {at} for the same agreement"
                    ));
                }
            }
        }
        let (indicator, side, value) = (cell("indicator"), cell("side"), cell("value"));
        if indicator.is_empty() && side.is_empty() && value.is_empty() {
            return Ok(());
        }
        if indicator.is_empty() {
            return Err("a target needs its indicator (e.g. fiscal-aid)".into());
        }
        let value: i64 = value
            .parse()
            .map_err(|_| format!("value {value:?} is not a whole number in the indicator's unit (fen for money)"))?;
        self.targets.push(compact(json!({
            "indicator": enum_value("INDICATOR_", &indicator),
            "side": enum_value("SIDE_", &side),
            "value": value,
        })));
        Ok(())
    }

    fn into_record(self) -> (usize, Result<Record, String>) {
        let AgreementRows { line, name, cells, targets, error } = self;
        if let Some((at, reason)) = error {
            return (at, Err(format!("{reason}; nothing of {name} was imported")));
        }
        let text = |c: &str| cells.get(c).map_or(Value::Null, |(_, v)| Value::String(v.clone()));
        let labels = match cells.get("labels").map(|(_, v)| labels(v)).transpose() {
            Ok(labels) => labels.unwrap_or(Value::Null),
            Err(reason) => return (line, Err(reason)),
        };
        let value = compact(json!({
            "name": name,
            "signed_date": text("signed_date"),
            "description": text("description"),
            "labels": labels,
            "targets": targets,
        }));
        (line, json::from_value(json::AGREEMENT, value).map(Record::Agreement).map_err(|e| e.to_string()))
    }
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
    } else if headers.iter().any(|h| h == "indicator") {
        CsvKind::Agreements
    } else {
        return Err(CliError::Usage(format!(
            "{}: the header is none of the actors header ({}), the pairings header ({}) and the agreements header ({})",
            path.display(),
            ACTOR_COLUMNS.join(","),
            PAIRING_COLUMNS.join(","),
            AGREEMENT_COLUMNS.join(",")
        )));
    };
    let known = match kind {
        CsvKind::Actors => ACTOR_COLUMNS,
        CsvKind::Pairings => PAIRING_COLUMNS,
        CsvKind::Agreements => AGREEMENT_COLUMNS,
    };
    if let Some(unknown) = headers.iter().find(|h| !known.contains(&h.as_str())) {
        return Err(CliError::Usage(format!(
            "{}: unknown column {unknown:?}; expected {}",
            path.display(),
            known.join(",")
        )));
    }
    let mut out = Vec::new();
    let mut agreements = Agreements::default();
    for row in reader.records() {
        let (line, parsed) = match row {
            Err(e) => (e.position().map_or(0, |p| p.line() as usize), Err(format!("unreadable CSV: {e}"))),
            Ok(row) => {
                let line = row.position().map_or(0, |p| p.line() as usize);
                if row.len() != headers.len() {
                    (line, Err(format!("{} fields where the header has {}", row.len(), headers.len())))
                } else {
                    let cells: BTreeMap<&str, &str> = headers.iter().map(String::as_str).zip(row.iter()).collect();
                    if kind == CsvKind::Agreements {
                        agreements.add(line, &cells);
                        continue;
                    }
                    (line, csv_record(kind, &cells))
                }
            }
        };
        out.push((line, parsed));
    }
    if kind == CsvKind::Agreements {
        out.extend(agreements.into_records());
        out.sort_by_key(|(line, _)| *line);
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

    fn agreement_rows(rows: &[[&str; 8]]) -> Vec<(usize, Result<Record, String>)> {
        let mut agreements = Agreements::default();
        for (i, row) in rows.iter().enumerate() {
            let cells: BTreeMap<&str, &str> = AGREEMENT_COLUMNS.iter().copied().zip(row.iter().copied()).collect();
            agreements.add(i + 2, &cells);
        }
        agreements.into_records()
    }

    #[test]
    fn agreement_rows_with_one_pairing_and_year_are_one_agreement() {
        let records = agreement_rows(&[
            ["gd-gx", "2022", "2022-03-01", "粤桂协议", "source=test", "fiscal-aid", "east", "175800000000"],
            ["gd-gz", "2022", "", "", "", "", "", ""],
            ["pairings/gd-gx", "2022", "2022-03-01", "", "", "WORKSHOPS", "west", "378"],
            ["gd-gx", "2022", "", "", "", "cadres-exchanged", "", "267"],
        ]);
        assert_eq!(records.len(), 2);
        let (line, Ok(Record::Agreement(a))) = &records[0] else { panic!("an agreement: {records:?}") };
        assert_eq!(*line, 2, "reported at its first row");
        assert_eq!(a.name, "pairings/gd-gx/agreements/2022");
        assert_eq!(a.signed_date, "2022-03-01");
        assert_eq!(a.description, "粤桂协议");
        assert_eq!(a.labels.get("source").map(String::as_str), Some("test"));
        let targets: Vec<(i32, i32, i64)> = a.targets.iter().map(|t| (t.indicator, t.side, t.value)).collect();
        assert_eq!(
            targets,
            [
                (pb::Indicator::FiscalAid as i32, pb::Side::East as i32, 175_800_000_000),
                (pb::Indicator::Workshops as i32, pb::Side::West as i32, 378),
                (pb::Indicator::CadresExchanged as i32, 0, 267),
            ]
        );
        let (_, Ok(Record::Agreement(empty))) = &records[1] else { panic!("an agreement without targets") };
        assert!(empty.targets.is_empty());
    }

    #[test]
    fn a_bad_agreement_row_fails_its_whole_agreement_at_that_line() {
        let records = agreement_rows(&[
            ["gd-gx", "2022", "2022-03-01", "", "", "fiscal-aid", "east", "1"],
            ["gd-gx", "2022", "", "", "", "workshops", "west", "many"],
            ["gd-gx", "2023", "2023-03-01", "", "", "workshops", "west", "1"],
            ["gd-gx", "2023", "2023-03-02", "", "", "fiscal-aid", "east", "1"],
            ["", "2024", "", "", "", "workshops", "", "1"],
            ["gd-gx", "2025", "", "", "", "", "west", "1"],
        ]);
        let failed: Vec<(usize, &str)> =
            records.iter().filter_map(|(line, r)| r.as_ref().err().map(|e| (*line, e.as_str()))).collect();
        assert_eq!(failed.len(), 4, "{records:?}");
        assert!(failed[0].0 == 3 && failed[0].1.contains("many") && failed[0].1.contains("agreements/2022"));
        assert!(failed[1].0 == 5 && failed[1].1.contains("signed_date") && failed[1].1.contains("line 4"));
        assert!(failed[2].0 == 6 && failed[2].1.contains("pairing and year"));
        assert!(failed[3].0 == 7 && failed[3].1.contains("indicator"));
        assert!(records.iter().all(|(_, r)| r.is_err()), "no agreement is imported in part");
    }

    #[test]
    fn agreement_lines_read_in_canonical_json() {
        let line = r#"{"agreement":{"name":"pairings/gd-gx/agreements/2022","targets":[{"indicator":"INDICATOR_WORKSHOPS","side":"SIDE_WEST","value":"378"}]}}"#;
        let Ok(Record::Agreement(a)) = parse_line(line) else { panic!("agreement expected") };
        assert_eq!(a.targets[0].value, 378);
        assert!(parse_line(r#"{"agreement":{"year":2022,"amount":1}}"#).expect_err("field").contains("amount"));
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
