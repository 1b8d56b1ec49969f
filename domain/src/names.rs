//! Resource names (`actors/{id}`, `pairings/{id}`, `pairings/{id}/activities/{id}`) and ids.

/// Longest id, in characters.
pub const MAX_ID_CHARS: usize = 63;

/// Ids are 1 to 63 of `[a-z0-9-]`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_ID_CHARS && id.bytes().all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
}

const ID_CHARS: &str = "1 to 63 characters a-z, 0-9 and -";

pub const ID_RULE: &str = "must be 1 to 63 characters of a-z, 0-9 and -";

/// A fresh server-chosen id: a UUIDv7, so that ids sort roughly by creation time.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

pub fn actor_name(id: &str) -> String {
    format!("actors/{id}")
}

pub fn pairing_name(id: &str) -> String {
    format!("pairings/{id}")
}

pub fn activity_name(pairing: &str, id: &str) -> String {
    format!("pairings/{pairing}/activities/{id}")
}

pub fn agreement_name(pairing: &str, year: i32) -> String {
    format!("pairings/{pairing}/agreements/{year}")
}

/// Agreement years: an agreement's id and an evaluation's year.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// The year in an agreement id: exactly four digits, 2000 to 2100.
pub fn parse_year_id(id: &str) -> Result<i32, String> {
    let year = (id.len() == 4 && id.bytes().all(|b| b.is_ascii_digit())).then(|| id.parse::<i32>().ok()).flatten();
    match year {
        Some(y) if YEARS.contains(&y) => Ok(y),
        _ => Err(format!("must be a year of four digits from 2000 to 2100; got {id:?}")),
    }
}

/// The pairing id and year in `pairings/{p}/agreements/{year}`.
pub fn parse_agreement_name(name: &str) -> Result<(&str, i32), String> {
    let err = || {
        format!(
            "must be an agreement name, pairings/{{id}}/agreements/{{year}} with a pairing id of {ID_CHARS} and a year from 2000 to 2100; got {name:?}"
        )
    };
    let rest = name.strip_prefix("pairings/").ok_or_else(err)?;
    let (pairing, year) = rest.split_once("/agreements/").ok_or_else(err)?;
    match (is_valid_id(pairing), parse_year_id(year)) {
        (true, Ok(year)) => Ok((pairing, year)),
        _ => Err(err()),
    }
}

fn single_segment<'a>(name: &'a str, collection: &str) -> Option<&'a str> {
    name.strip_prefix(collection)?.strip_prefix('/').filter(|id| is_valid_id(id))
}

/// The id in `actors/{id}`.
pub fn parse_actor_name(name: &str) -> Result<&str, String> {
    single_segment(name, "actors")
        .ok_or_else(|| format!("must be an actor name, actors/{{id}} with an id of {ID_CHARS}; got {name:?}"))
}

/// The id in `pairings/{id}`.
pub fn parse_pairing_name(name: &str) -> Result<&str, String> {
    single_segment(name, "pairings")
        .ok_or_else(|| format!("must be a pairing name, pairings/{{id}} with an id of {ID_CHARS}; got {name:?}"))
}

/// The pairing id and activity id in `pairings/{p}/activities/{a}`.
pub fn parse_activity_name(name: &str) -> Result<(&str, &str), String> {
    let err =
        || format!("must be an activity name, pairings/{{id}}/activities/{{id}} with ids of {ID_CHARS}; got {name:?}");
    let rest = name.strip_prefix("pairings/").ok_or_else(err)?;
    let (pairing, activity) = rest.split_once("/activities/").ok_or_else(err)?;
    if is_valid_id(pairing) && is_valid_id(activity) { Ok((pairing, activity)) } else { Err(err()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_reject_junk() {
        assert_eq!(parse_actor_name(&actor_name("gd-gov")), Ok("gd-gov"));
        assert_eq!(parse_pairing_name(&pairing_name("js-sn")), Ok("js-sn"));
        assert_eq!(parse_activity_name(&activity_name("js-sn", "a1")), Ok(("js-sn", "a1")));
        for bad in ["actors/", "actors/Upper", "actor/x", "actors/x/y", "pairings/x", ""] {
            assert!(parse_actor_name(bad).is_err(), "{bad}");
        }
        assert!(parse_activity_name("pairings/p/activities/").is_err());
        assert!(parse_activity_name("pairings/p/activities/a/b").is_err());
        assert!(is_valid_id(&"a".repeat(63)));
        assert!(!is_valid_id(&"a".repeat(64)));
        assert!(is_valid_id(&new_id()));
    }
}
