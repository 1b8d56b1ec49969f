//! The checks of a pairing's lists (scope, participants, responsibilities, goals), each item named
//! by its index in the request, and the ids generated for items that came without one.

use eastwest_domain::model::{Goal, Participant, Responsibility, Scope};
use eastwest_domain::names::{ID_RULE, is_valid_id};

use super::pairing::{GoalDraft, ParticipantDraft, ResponsibilityDraft, require};
use super::validate::{self as rules, Violations};

pub(super) fn check_scope(v: &mut Violations, field: &str, scope: &Scope) {
    rules::check_text(v, &format!("{field}.statement"), &scope.statement, rules::OPTIONAL_TEXT);
    for (list, items) in [("in_scope", &scope.in_scope), ("out_of_scope", &scope.out_of_scope)] {
        rules::check_list_len(v, &format!("{field}.{list}"), items.len());
        for (i, item) in items.iter().enumerate() {
            rules::check_text(v, &format!("{field}.{list}[{i}]"), item, rules::REQUIRED_TEXT);
        }
    }
}

pub(super) fn check_participants(v: &mut Violations, field: &str, items: &[ParticipantDraft]) -> Vec<Participant> {
    rules::check_list_len(v, field, items.len());
    let mut out: Vec<Participant> = Vec::with_capacity(items.len());
    for (i, p) in items.iter().enumerate() {
        let at = format!("{field}[{i}]");
        if p.roles.is_empty() {
            v.add(
                format!("{at}.roles"),
                "must name at least one ParticipantRole (PARTICIPANT_ROLE_FUNDING, _ACCOUNTABLE, _EXTENDING or _IMPLEMENTING)",
            );
        }
        match &p.actor {
            None => v.add(format!("{at}.actor"), "is required: actors/{id}"),
            Some(actor) if out.iter().any(|o| &o.actor == actor) => v.add(
                format!("{at}.actor"),
                format!("actors/{actor} is already a participant; list each actor once with all its roles"),
            ),
            Some(actor) => out.push(Participant { actor: actor.clone(), roles: p.roles.clone() }),
        }
    }
    out
}

/// Item ids the client left empty become `{prefix}-{n}`, the first free number.
fn fill_ids(v: &mut Violations, field: &str, ids: &[&str], prefix: &str) -> Vec<String> {
    let mut taken: Vec<String> = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        if id.is_empty() {
            continue;
        }
        if !is_valid_id(id) {
            v.add(format!("{field}[{i}].id"), ID_RULE);
        } else if taken.iter().any(|t| t == id) {
            v.add(format!("{field}[{i}].id"), format!("{id:?} is used twice in this list"));
        }
        taken.push((*id).to_string());
    }
    let mut next = 1usize;
    ids.iter()
        .map(|id| {
            if !id.is_empty() {
                return (*id).to_string();
            }
            loop {
                let candidate = format!("{prefix}-{next}");
                next += 1;
                if !taken.contains(&candidate) {
                    return candidate;
                }
            }
        })
        .collect()
}

pub(super) fn check_responsibilities(
    v: &mut Violations,
    field: &str,
    items: &[ResponsibilityDraft],
) -> Vec<Responsibility> {
    rules::check_list_len(v, field, items.len());
    let ids: Vec<&str> = items.iter().map(|r| r.id.as_str()).collect();
    let ids = fill_ids(v, field, &ids, "r");
    let mut out = Vec::with_capacity(items.len());
    for (i, (r, id)) in items.iter().zip(ids).enumerate() {
        let at = format!("{field}[{i}]");
        rules::check_text(v, &format!("{at}.duty"), &r.duty, rules::REQUIRED_TEXT);
        require(v, &format!("{at}.party"), &r.party, "the actor that holds the duty, actors/{id}");
        require(v, &format!("{at}.status"), &r.status, "RESPONSIBILITY_STATUS_OPEN or RESPONSIBILITY_STATUS_DONE");
        if let (Some(party), Some(status)) = (&r.party, r.status) {
            out.push(Responsibility { id, party: party.clone(), duty: r.duty.clone(), due_date: r.due_date, status });
        }
    }
    out
}

pub(super) fn check_goals(v: &mut Violations, field: &str, items: &[GoalDraft]) -> Vec<Goal> {
    rules::check_list_len(v, field, items.len());
    let ids: Vec<&str> = items.iter().map(|g| g.id.as_str()).collect();
    let ids = fill_ids(v, field, &ids, "g");
    let mut out = Vec::with_capacity(items.len());
    for (i, (g, id)) in items.iter().zip(ids).enumerate() {
        let at = format!("{field}[{i}]");
        rules::check_text(v, &format!("{at}.indicator"), &g.indicator, rules::REQUIRED_TEXT);
        rules::check_text(v, &format!("{at}.unit"), &g.unit, rules::OPTIONAL_TEXT);
        rules::check_text(v, &format!("{at}.beneficiary"), &g.beneficiary, rules::OPTIONAL_TEXT);
        require(v, &format!("{at}.form"), &g.form, "a CooperationForm other than COOPERATION_FORM_UNSPECIFIED");
        for (name, value) in [("baseline", g.baseline), ("target", g.target), ("actual", g.actual)] {
            if value.is_some_and(|x| !x.is_finite()) {
                v.add(format!("{at}.{name}"), "must be a finite number");
            }
        }
        if let Some(form) = g.form {
            out.push(Goal {
                id,
                indicator: g.indicator.clone(),
                form,
                unit: g.unit.clone(),
                baseline: g.baseline,
                target: g.target,
                actual: g.actual,
                due_date: g.due_date,
                beneficiary: g.beneficiary.clone(),
                responsible: g.responsible.clone(),
            });
        }
    }
    out
}
