//! `actors`, `pairings`, `activities` and `agreements`: list, get, create, update, delete.

use std::io::Read as _;

use eastwest_proto::registry::v1 as pb;
use eastwest_proto::registry::v1::registry_service_client::RegistryServiceClient;
use tonic::transport::Channel;

use crate::cli::{
    ActivityCommand, ActorFilters, AgreementCommand, Category, LeadershipArg, Level, Output, Paging, PairingFilters,
    RecordCommand, RecordJson, SideArg, State, UpdateArgs,
};
use crate::connect::named;
use crate::error::{CliError, CliResult};
use crate::json::{self, Fields};
use crate::output::{Table, print_json, short, yuan};

type Registry = RegistryServiceClient<Channel>;

pub fn category(c: Category) -> pb::ActorCategory {
    match c {
        Category::GovernmentBody => pb::ActorCategory::GovernmentBody,
        Category::PublicInstitution => pb::ActorCategory::PublicInstitution,
        Category::StateOwnedEnterprise => pb::ActorCategory::StateOwnedEnterprise,
        Category::PeoplesOrganization => pb::ActorCategory::PeoplesOrganization,
        Category::SocialOrganization => pb::ActorCategory::SocialOrganization,
        Category::PrivateEnterprise => pb::ActorCategory::PrivateEnterprise,
        Category::Individual => pb::ActorCategory::Individual,
    }
}

fn side(s: SideArg) -> pb::Side {
    match s {
        SideArg::East => pb::Side::East,
        SideArg::West => pb::Side::West,
    }
}

pub fn level(l: Level) -> pb::PairingLevel {
    match l {
        Level::Province => pb::PairingLevel::Province,
        Level::Prefecture => pb::PairingLevel::Prefecture,
        Level::County => pb::PairingLevel::County,
        Level::Town => pb::PairingLevel::Town,
        Level::Village => pb::PairingLevel::Village,
        Level::EnterpriseVillage => pb::PairingLevel::EnterpriseVillage,
        Level::SocialOrgVillage => pb::PairingLevel::SocialOrgVillage,
        Level::School => pb::PairingLevel::School,
        Level::Hospital => pb::PairingLevel::Hospital,
    }
}

pub fn leadership(l: LeadershipArg) -> pb::Leadership {
    match l {
        LeadershipArg::GovernmentLed => pb::Leadership::GovernmentLed,
        LeadershipArg::MarketLed => pb::Leadership::MarketLed,
        LeadershipArg::SocietyLed => pb::Leadership::SocietyLed,
    }
}

pub fn state(s: State) -> pb::PairingState {
    match s {
        State::Planned => pb::PairingState::Planned,
        State::Active => pb::PairingState::Active,
        State::Suspended => pb::PairingState::Suspended,
        State::Closed => pb::PairingState::Closed,
    }
}

/// The ListPairings request for a set of CLI filters (shared with evaluations and reports).
pub fn pairing_listing(f: &PairingFilters) -> pb::ListPairingsRequest {
    pb::ListPairingsRequest {
        actor: f.actor.as_deref().map(|a| named("actors", a)).unwrap_or_default(),
        level: f.level.map_or(0, |l| level(l) as i32),
        leadership: f.leadership.map_or(0, |l| leadership(l) as i32),
        state: f.state.map_or(0, |s| state(s) as i32),
        parent: f.parent.as_deref().map(|p| named("pairings", p)).unwrap_or_default(),
        region_code_prefix: f.region_prefix.clone().unwrap_or_default(),
        ..Default::default()
    }
}

/// A record's JSON from `--json` or `--file` (`-` for stdin).
fn read_json(args: &RecordJson) -> CliResult<serde_json::Value> {
    let text = match (&args.json, &args.file) {
        (Some(text), _) => text.clone(),
        (None, Some(path)) if path.as_os_str() == "-" => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text)?;
            text
        }
        (None, Some(path)) => std::fs::read_to_string(path)
            .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", path.display())))?,
        (None, None) => return Err(CliError::Usage("give the record with --json or --file".into())),
    };
    serde_json::from_str(&text).map_err(|e| CliError::Usage(format!("the record is not JSON: {e}")))
}

fn parse<M: prost::Message + Default>(full_name: &str, value: serde_json::Value) -> CliResult<M> {
    json::from_value(full_name, value).map_err(|e| CliError::Usage(format!("the record does not fit {full_name}: {e}")))
}

/// An update from JSON: the record with its name (and etag) filled in, and a mask naming exactly
/// the fields the JSON gives, so that `"description": ""` clears the description (or `*` with
/// `--replace`, so that a field left out is cleared too).
fn change<M: prost::Message + Default>(
    full_name: &str,
    collection: &str,
    args: &UpdateArgs,
) -> CliResult<(M, prost_types::FieldMask)> {
    use serde_json::Value;
    let mut value = read_json(&args.record)?;
    let name = named(collection, &args.name);
    let Value::Object(fields) = &mut value else {
        return Err(CliError::Usage(r#"give the changes as a JSON object, e.g. {"display_name": "..."}"#.into()));
    };
    if let Some(Value::String(given)) = fields.get("name")
        && !given.is_empty()
        && named(collection, given) != name
    {
        return Err(CliError::Usage(format!("the JSON names {given} but the command names {name}")));
    }
    if !args.etag.is_empty() {
        if let Some(Value::String(given)) = fields.get("etag")
            && !given.is_empty()
            && *given != args.etag
        {
            return Err(CliError::Usage(format!(
                "--etag {} differs from the JSON's etag {given}; give one",
                args.etag
            )));
        }
        fields.insert("etag".into(), Value::String(args.etag.clone()));
    }
    fields.insert("name".into(), Value::String(name));
    let paths: Vec<String> = json::field_paths(full_name, &value)
        .map_err(|e| CliError::Usage(format!("the changes do not fit {full_name}: {e}")))?
        .into_iter()
        .filter(|path| path != "name" && path != "etag")
        .collect();
    if paths.is_empty() {
        return Err(CliError::Usage("name at least one field to change".into()));
    }
    let paths = if args.replace { vec!["*".to_string()] } else { paths };
    Ok((parse(full_name, value)?, prost_types::FieldMask { paths }))
}

fn enum_name<E: TryFrom<i32>>(raw: i32, name: fn(&E) -> &'static str, prefix: &str) -> String {
    E::try_from(raw).map(|e| short(name(&e), prefix)).unwrap_or_else(|_| raw.to_string())
}

fn actor_row(a: &pb::Actor) -> Vec<String> {
    vec![
        a.name.clone(),
        a.display_name.clone(),
        enum_name(a.category, pb::ActorCategory::as_str_name, "ACTOR_CATEGORY_"),
        enum_name(a.side, pb::Side::as_str_name, "SIDE_"),
        a.region_code.clone(),
        enum_name(a.credit_code_check, pb::CreditCodeCheck::as_str_name, "CREDIT_CODE_CHECK_"),
    ]
}

const ACTOR_HEADERS: &[&str] = &["NAME", "DISPLAY NAME", "CATEGORY", "SIDE", "REGION", "CREDIT CODE"];

fn pairing_row(p: &pb::Pairing) -> Vec<String> {
    vec![
        p.name.clone(),
        p.title.clone(),
        enum_name(p.level, pb::PairingLevel::as_str_name, "PAIRING_LEVEL_"),
        enum_name(p.leadership, pb::Leadership::as_str_name, "LEADERSHIP_"),
        enum_name(p.state, pb::PairingState::as_str_name, "PAIRING_STATE_"),
        format!("{} ({})", p.east, p.east_region_code),
        format!("{} ({})", p.west, p.west_region_code),
    ]
}

const PAIRING_HEADERS: &[&str] = &["NAME", "TITLE", "LEVEL", "LEADERSHIP", "STATE", "EAST", "WEST"];

fn activity_row(a: &pb::Activity) -> Vec<String> {
    vec![
        a.name.clone(),
        a.date.clone(),
        a.actor.clone(),
        enum_name(a.form, pb::CooperationForm::as_str_name, "COOPERATION_FORM_"),
        enum_name(a.kind, pb::ActivityKind::as_str_name, "ACTIVITY_KIND_"),
        enum_name(a.direction, pb::FlowDirection::as_str_name, "FLOW_DIRECTION_"),
        yuan(a.amount_fen),
        a.people.to_string(),
    ]
}

const ACTIVITY_HEADERS: &[&str] = &["NAME", "DATE", "ACTOR", "FORM", "KIND", "DIRECTION", "YUAN", "PEOPLE"];

fn agreement_row(a: &pb::Agreement) -> Vec<String> {
    vec![a.name.clone(), a.year.to_string(), a.signed_date.clone(), a.targets.len().to_string(), a.description.clone()]
}

const AGREEMENT_HEADERS: &[&str] = &["NAME", "YEAR", "SIGNED", "TARGETS", "DESCRIPTION"];

/// One agreement as a row, then (in a table) its targets, one per line.
fn show_agreement(output: Output, agreement: &pb::Agreement) -> CliResult {
    show_one(output, json::AGREEMENT, AGREEMENT_HEADERS, agreement, &agreement.etag, agreement_row)?;
    if output == Output::Table && !agreement.targets.is_empty() {
        let mut table = Table::new(&["INDICATOR", "SIDE", "VALUE"]);
        for t in &agreement.targets {
            let side =
                if t.side == 0 { "PAIRING".to_string() } else { enum_name(t.side, pb::Side::as_str_name, "SIDE_") };
            table.row(vec![
                enum_name(t.indicator, pb::Indicator::as_str_name, "INDICATOR_"),
                side,
                t.value.to_string(),
            ]);
        }
        crate::outln!();
        table.print();
    }
    Ok(())
}

/// The year of an agreement to create: `--year`, else the JSON's `year` or the year in its `name`.
fn agreement_year(flag: Option<String>, value: &serde_json::Value) -> CliResult<String> {
    if let Some(year) = flag {
        return Ok(year);
    }
    let from_year = match value.get("year") {
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    };
    let from_name = || {
        value
            .get("name")
            .and_then(serde_json::Value::as_str)
            .and_then(|n| n.rsplit_once("/agreements/"))
            .map(|(_, y)| y.to_string())
    };
    from_year
        .filter(|y| y != "0")
        .or_else(from_name)
        .ok_or_else(|| CliError::Usage("give the agreement's year with --year (e.g. --year 2022)".into()))
}

/// Prints records as a table or JSON lines.
fn show<M: prost::Message>(
    output: Output,
    full_name: &str,
    headers: &[&'static str],
    records: &[M],
    row: impl Fn(&M) -> Vec<String>,
) -> CliResult {
    match output {
        Output::Json => {
            for r in records {
                print_json(&json::to_value(full_name, r, Fields::All)?);
            }
        }
        Output::Table => {
            let mut table = Table::new(headers);
            for r in records {
                table.row(row(r));
            }
            table.print();
        }
    }
    Ok(())
}

/// One record as `show` prints it; in a table its etag follows on stderr, for `--etag`.
fn show_one<M: prost::Message>(
    output: Output,
    full_name: &str,
    headers: &[&'static str],
    record: &M,
    etag: &str,
    row: impl Fn(&M) -> Vec<String>,
) -> CliResult {
    show(output, full_name, headers, std::slice::from_ref(record), row)?;
    if output == Output::Table {
        eprintln!("etag: {etag}");
    }
    Ok(())
}

/// Pages through a listing: one page, or every page with `--all`. Prints the next token on stderr.
async fn paged<M, F, Fut>(paging: &Paging, mut fetch: F) -> CliResult<Vec<M>>
where
    F: FnMut(i32, String) -> Fut,
    Fut: std::future::Future<Output = Result<(Vec<M>, String), tonic::Status>>,
{
    let mut token = paging.page_token.clone();
    let mut all = Vec::new();
    loop {
        let (items, next) = fetch(paging.page_size, token).await?;
        all.extend(items);
        if next.is_empty() {
            return Ok(all);
        }
        if !paging.all {
            eprintln!("more: --page-token {next}");
            return Ok(all);
        }
        token = next;
    }
}

pub async fn actors(mut client: Registry, output: Output, command: RecordCommand<ActorFilters>) -> CliResult {
    match command {
        RecordCommand::List { filters, paging } => {
            let actors =
                paged(&paging, |page_size, page_token| {
                    let mut c = client.clone();
                    let request = pb::ListActorsRequest {
                        page_size,
                        page_token,
                        category: filters.category.map_or(0, |x| category(x) as i32),
                        side: filters.side.map_or(0, |x| side(x) as i32),
                        region_code_prefix: filters.region_prefix.clone().unwrap_or_default(),
                    };
                    async move {
                        c.list_actors(request).await.map(|r| r.into_inner()).map(|r| (r.actors, r.next_page_token))
                    }
                })
                .await?;
            show(output, json::ACTOR, ACTOR_HEADERS, &actors, actor_row)
        }
        RecordCommand::Get { name } => {
            let actor = client.get_actor(pb::GetActorRequest { name: named("actors", &name) }).await?.into_inner();
            show_one(output, json::ACTOR, ACTOR_HEADERS, &actor, &actor.etag, actor_row)
        }
        RecordCommand::Create(args) => {
            let actor: pb::Actor = parse(json::ACTOR, read_json(&args.record)?)?;
            let request = pb::CreateActorRequest { actor: Some(actor), actor_id: args.id.clone().unwrap_or_default() };
            let created = client.create_actor(request).await?.into_inner();
            show_one(output, json::ACTOR, ACTOR_HEADERS, &created, &created.etag, actor_row)
        }
        RecordCommand::Update(args) => {
            let (actor, mask) = change::<pb::Actor>(json::ACTOR, "actors", &args)?;
            let request = pb::UpdateActorRequest { actor: Some(actor), update_mask: Some(mask) };
            let updated = client.update_actor(request).await?.into_inner();
            show_one(output, json::ACTOR, ACTOR_HEADERS, &updated, &updated.etag, actor_row)
        }
        RecordCommand::Delete { name, etag, force } => {
            if force {
                return Err(CliError::Usage("--force applies to pairings only".into()));
            }
            let name = named("actors", &name);
            client.delete_actor(pb::DeleteActorRequest { name: name.clone(), etag }).await?;
            eprintln!("deleted {name}");
            Ok(())
        }
    }
}

pub async fn pairings(mut client: Registry, output: Output, command: RecordCommand<PairingFilters>) -> CliResult {
    match command {
        RecordCommand::List { filters, paging } => {
            let base = pairing_listing(&filters);
            let pairings = paged(&paging, |page_size, page_token| {
                let mut c = client.clone();
                let request = pb::ListPairingsRequest { page_size, page_token, ..base.clone() };
                async move {
                    c.list_pairings(request).await.map(|r| r.into_inner()).map(|r| (r.pairings, r.next_page_token))
                }
            })
            .await?;
            show(output, json::PAIRING, PAIRING_HEADERS, &pairings, pairing_row)
        }
        RecordCommand::Get { name } => {
            let p = client.get_pairing(pb::GetPairingRequest { name: named("pairings", &name) }).await?.into_inner();
            show_one(output, json::PAIRING, PAIRING_HEADERS, &p, &p.etag, pairing_row)
        }
        RecordCommand::Create(args) => {
            let pairing: pb::Pairing = parse(json::PAIRING, read_json(&args.record)?)?;
            let request =
                pb::CreatePairingRequest { pairing: Some(pairing), pairing_id: args.id.clone().unwrap_or_default() };
            let created = client.create_pairing(request).await?.into_inner();
            show_one(output, json::PAIRING, PAIRING_HEADERS, &created, &created.etag, pairing_row)
        }
        RecordCommand::Update(args) => {
            let (pairing, mask) = change::<pb::Pairing>(json::PAIRING, "pairings", &args)?;
            let request = pb::UpdatePairingRequest { pairing: Some(pairing), update_mask: Some(mask) };
            let updated = client.update_pairing(request).await?.into_inner();
            show_one(output, json::PAIRING, PAIRING_HEADERS, &updated, &updated.etag, pairing_row)
        }
        RecordCommand::Delete { name, etag, force } => {
            let name = named("pairings", &name);
            client.delete_pairing(pb::DeletePairingRequest { name: name.clone(), etag, force }).await?;
            eprintln!("deleted {name}");
            Ok(())
        }
    }
}

pub async fn activities(mut client: Registry, output: Output, command: ActivityCommand) -> CliResult {
    match command {
        ActivityCommand::List { pairing, paging } => {
            let parent = named("pairings", &pairing);
            let activities = paged(&paging, |page_size, page_token| {
                let mut c = client.clone();
                let request = pb::ListActivitiesRequest { parent: parent.clone(), page_size, page_token };
                async move {
                    c.list_activities(request).await.map(|r| r.into_inner()).map(|r| (r.activities, r.next_page_token))
                }
            })
            .await?;
            show(output, json::ACTIVITY, ACTIVITY_HEADERS, &activities, activity_row)
        }
        ActivityCommand::Get { name } => {
            let a = client.get_activity(pb::GetActivityRequest { name }).await?.into_inner();
            show_one(output, json::ACTIVITY, ACTIVITY_HEADERS, &a, &a.etag, activity_row)
        }
        ActivityCommand::Create { pairing, create } => {
            let activity: pb::Activity = parse(json::ACTIVITY, read_json(&create.record)?)?;
            let request = pb::CreateActivityRequest {
                parent: named("pairings", &pairing),
                activity: Some(activity),
                activity_id: create.id.clone().unwrap_or_default(),
            };
            let created = client.create_activity(request).await?.into_inner();
            show_one(output, json::ACTIVITY, ACTIVITY_HEADERS, &created, &created.etag, activity_row)
        }
        ActivityCommand::Delete { name, etag } => {
            client.delete_activity(pb::DeleteActivityRequest { name: name.clone(), etag }).await?;
            eprintln!("deleted {name}");
            Ok(())
        }
    }
}

pub async fn agreements(mut client: Registry, output: Output, command: AgreementCommand) -> CliResult {
    match command {
        AgreementCommand::List { pairing } => {
            let parent = named("pairings", &pairing);
            let paging = Paging { page_size: 1000, page_token: String::new(), all: true };
            let agreements = paged(&paging, |page_size, page_token| {
                let mut c = client.clone();
                let request = pb::ListAgreementsRequest { parent: parent.clone(), page_size, page_token };
                async move {
                    c.list_agreements(request).await.map(|r| r.into_inner()).map(|r| (r.agreements, r.next_page_token))
                }
            })
            .await?;
            show(output, json::AGREEMENT, AGREEMENT_HEADERS, &agreements, agreement_row)
        }
        AgreementCommand::Get { name } => {
            let a =
                client.get_agreement(pb::GetAgreementRequest { name: named("pairings", &name) }).await?.into_inner();
            show_agreement(output, &a)
        }
        AgreementCommand::Create { pairing, year, record } => {
            let value = read_json(&record)?;
            let year = agreement_year(year, &value)?;
            let agreement: pb::Agreement = parse(json::AGREEMENT, value)?;
            let request = pb::CreateAgreementRequest {
                parent: named("pairings", &pairing),
                agreement: Some(agreement),
                agreement_id: year,
            };
            let created = client.create_agreement(request).await?.into_inner();
            show_agreement(output, &created)
        }
        AgreementCommand::Update(args) => {
            let (agreement, mask) = change::<pb::Agreement>(json::AGREEMENT, "pairings", &args)?;
            let request = pb::UpdateAgreementRequest { agreement: Some(agreement), update_mask: Some(mask) };
            let updated = client.update_agreement(request).await?.into_inner();
            show_agreement(output, &updated)
        }
        AgreementCommand::Delete { name, etag } => {
            let name = named("pairings", &name);
            client.delete_agreement(pb::DeleteAgreementRequest { name: name.clone(), etag }).await?;
            eprintln!("deleted {name}");
            Ok(())
        }
    }
}
