//! The key layout, shared by every storage engine. Ids never contain `/`, and every exact-value
//! segment ends with `/`, so no prefix of one value can match another.
//!
//! | prefix | value |
//! | --- | --- |
//! | `a/{actor}` | Actor |
//! | `p/{pairing}` | Pairing |
//! | `v/{pairing}/{activity}` | Activity |
//! | `g/{pairing}/{year}` | Agreement (the year in four digits, so keys sort by year) |
//! | `rc/a/{actor}`, `rc/p/{pairing}` | how many records name it (u64); absent means none |
//! | `x/cc/{credit_code}` | actor id holding the code (uniqueness) |
//! | `x/ac/{category}/{actor}`, `x/as/{side}/{actor}`, `x/ar/{region}/{actor}` | actor indexes |
//! | `x/pa/{actor}/{pairing}` | pairings by east or west actor |
//! | `x/pr/{region}/{pairing}` | pairings by east or west region code |
//! | `x/pl/{level}/…`, `x/pd/{leadership}/…`, `x/ps/{state}/…`, `x/pp/{parent}/…` | pairing indexes |

use serde::Serialize;

use crate::store::Key;
use eastwest_domain::model::{Actor, Pairing};

/// The enum's name as serialized, e.g. `GOVERNMENT_BODY`.
pub fn tag<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn key(parts: &[&str]) -> Key {
    parts.concat().into_bytes()
}

// The key spaces of records. Core writes records with `Txn::put_record`, which tells an engine
// that finding one exactly proves its transaction applied; every other key space holds values
// that several transactions may write alike (index entries, counts).
pub const ACTORS: &str = "a/";
pub const PAIRINGS: &str = "p/";
pub const ACTIVITIES: &str = "v/";
pub const AGREEMENTS: &str = "g/";

pub fn actor(id: &str) -> Key {
    key(&[ACTORS, id])
}

pub fn pairing(id: &str) -> Key {
    key(&[PAIRINGS, id])
}

pub fn activities_of(pairing: &str) -> Key {
    key(&[ACTIVITIES, pairing, "/"])
}

pub fn activity(pairing: &str, id: &str) -> Key {
    key(&[ACTIVITIES, pairing, "/", id])
}

pub fn agreements_of(pairing: &str) -> Key {
    key(&[AGREEMENTS, pairing, "/"])
}

/// Years run from 2000 to 2100: four digits each, so key order is year order.
pub fn agreement(pairing: &str, year: i32) -> Key {
    key(&[AGREEMENTS, pairing, "/", &format!("{year:04}")])
}

pub fn actor_refs(id: &str) -> Key {
    key(&["rc/a/", id])
}

pub fn pairing_refs(id: &str) -> Key {
    key(&["rc/p/", id])
}

pub fn credit_code(code: &str) -> Key {
    key(&["x/cc/", code])
}

pub fn actors_by_category(category: &str) -> Key {
    key(&["x/ac/", category, "/"])
}

pub fn actors_by_side(side: &str) -> Key {
    key(&["x/as/", side, "/"])
}

/// Not slash-terminated: a region prefix matches every code that starts with it.
pub fn actors_by_region(prefix: &str) -> Key {
    key(&["x/ar/", prefix])
}

pub fn pairings_by_actor(actor: &str) -> Key {
    key(&["x/pa/", actor, "/"])
}

pub fn pairings_by_region(prefix: &str) -> Key {
    key(&["x/pr/", prefix])
}

pub fn pairings_by_level(level: &str) -> Key {
    key(&["x/pl/", level, "/"])
}

pub fn pairings_by_leadership(leadership: &str) -> Key {
    key(&["x/pd/", leadership, "/"])
}

pub fn pairings_by_state(state: &str) -> Key {
    key(&["x/ps/", state, "/"])
}

pub fn pairings_by_parent(parent: &str) -> Key {
    key(&["x/pp/", parent, "/"])
}

/// The id at the end of an index key.
pub fn last_segment(key: &[u8]) -> &[u8] {
    match key.iter().rposition(|&b| b == b'/') {
        Some(i) => &key[i + 1..],
        None => key,
    }
}

/// The region code in an `x/ar/{region}/{id}` or `x/pr/{region}/{id}` key.
pub fn region_of_index_key(key: &[u8]) -> &[u8] {
    key.get(5..11).unwrap_or_default()
}

/// Every index entry an actor has, credit code included.
pub fn actor_index(a: &Actor) -> Vec<Key> {
    let mut keys = vec![
        key(&["x/ac/", &tag(&a.category), "/", &a.id]),
        key(&["x/as/", &tag(&a.side), "/", &a.id]),
        key(&["x/ar/", &a.region_code, "/", &a.id]),
    ];
    if let Some(code) = &a.credit_code {
        keys.push(credit_code(code));
    }
    keys
}

/// Every index entry a pairing has.
pub fn pairing_index(p: &Pairing) -> Vec<Key> {
    let regions = [p.east_region_code.as_str(), p.west_region_code.as_str()];
    let mut keys = vec![
        key(&["x/pa/", &p.east, "/", &p.id]),
        key(&["x/pa/", &p.west, "/", &p.id]),
        key(&["x/pl/", &tag(&p.level), "/", &p.id]),
        key(&["x/pd/", &tag(&p.leadership), "/", &p.id]),
        key(&["x/ps/", &tag(&p.state), "/", &p.id]),
    ];
    if let Some(parent) = &p.parent {
        keys.push(key(&["x/pp/", parent, "/", &p.id]));
    }
    keys.push(key(&["x/pr/", regions[0], "/", &p.id]));
    if regions[1] != regions[0] {
        keys.push(key(&["x/pr/", regions[1], "/", &p.id]));
    }
    keys
}
