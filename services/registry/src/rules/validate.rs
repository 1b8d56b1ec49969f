//! Field-level validation: a collector of violations, and the text rules every record shares.

use eastwest_domain::model::{Labels, Micros};

/// Longest display name or title, in characters.
pub(crate) const MAX_NAME_CHARS: usize = 200;
/// Longest ordinary text field, in characters.
pub(crate) const MAX_TEXT_CHARS: usize = 2_000;
/// Longest description, in characters.
pub(crate) const MAX_DESCRIPTION_CHARS: usize = 10_000;
/// Most participants, responsibilities, goals or scope items in one pairing.
pub(crate) const MAX_LIST_ITEMS: usize = 1_000;
/// Most labels on one record.
pub(crate) const MAX_LABELS: usize = 64;
/// Longest label value, in characters.
pub(crate) const MAX_LABEL_VALUE_CHARS: usize = 200;

/// One bad field: `field` is a path such as `pairing.goals[2].target`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldViolation {
    pub field: String,
    pub description: String,
}

/// Collects every violation of a request, so that a client learns all of them at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Violations(Vec<FieldViolation>);

impl Violations {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<String>, description: impl Into<String>) {
        self.0.push(FieldViolation { field: field.into(), description: description.into() });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn list(&self) -> &[FieldViolation] {
        &self.0
    }

    pub fn into_list(self) -> Vec<FieldViolation> {
        self.0
    }

    /// `Ok(())` when nothing was collected.
    pub fn into_result(self) -> Result<(), Violations> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }

    /// Adds the violations of `other` whose field has no violation yet, so that a value the wire
    /// layer already rejected is not reported again as missing.
    pub fn absorb(&mut self, other: Violations) {
        for violation in other.0 {
            if !self.0.iter().any(|seen| seen.field == violation.field) {
                self.0.push(violation);
            }
        }
    }
}

/// What a record takes from the request and the clock rather than from its draft.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stamp {
    pub id: String,
    pub create_time: Micros,
    pub update_time: Micros,
}

impl Stamp {
    /// A record created now.
    pub fn created(id: impl Into<String>, now: Micros) -> Self {
        Self { id: id.into(), create_time: now, update_time: now }
    }
}

/// How a text field may look.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextRule {
    pub required: bool,
    pub max_chars: usize,
    /// Descriptions may span lines; no other field may hold a control character.
    pub multiline: bool,
}

pub(crate) const NAME: TextRule = TextRule { required: true, max_chars: MAX_NAME_CHARS, multiline: false };
pub(crate) const REQUIRED_TEXT: TextRule = TextRule { required: true, max_chars: MAX_TEXT_CHARS, multiline: false };
pub(crate) const OPTIONAL_TEXT: TextRule = TextRule { required: false, max_chars: MAX_TEXT_CHARS, multiline: false };
pub(crate) const DESCRIPTION: TextRule =
    TextRule { required: false, max_chars: MAX_DESCRIPTION_CHARS, multiline: true };

pub(crate) fn check_text(v: &mut Violations, field: &str, value: &str, rule: TextRule) {
    if value.trim().is_empty() {
        if rule.required {
            v.add(field, "must not be empty");
        }
        return;
    }
    let chars = value.chars().count();
    if chars > rule.max_chars {
        v.add(field, format!("must be at most {} characters, is {chars}", rule.max_chars));
    }
    let allowed = |c: char| rule.multiline && (c == '\n' || c == '\t' || c == '\r');
    if let Some(bad) = value.chars().find(|&c| c.is_control() && !allowed(c)) {
        v.add(field, format!("must not contain control characters (found U+{:04X})", bad as u32));
    }
}

/// Label keys: a lower-case letter, then up to 62 of lower-case letters, digits, `_`, `-` and `.`.
fn label_key_ok(key: &str) -> bool {
    let mut bytes = key.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z'))
        && key.len() <= 63
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' | b'.'))
}

pub(crate) fn check_labels(v: &mut Violations, field: &str, labels: &Labels) {
    if labels.len() > MAX_LABELS {
        v.add(field, format!("must have at most {MAX_LABELS} labels, has {}", labels.len()));
    }
    for (key, value) in labels {
        if !label_key_ok(key) {
            v.add(format!("{field}[{key:?}]"), "key must match [a-z][a-z0-9_.-]{0,62}");
        }
        let rule = TextRule { required: false, max_chars: MAX_LABEL_VALUE_CHARS, multiline: false };
        check_text(v, &format!("{field}[{key:?}]"), value, rule);
    }
}

pub(crate) fn check_list_len(v: &mut Violations, field: &str, len: usize) {
    if len > MAX_LIST_ITEMS {
        v.add(field, format!("must have at most {MAX_LIST_ITEMS} items, has {len}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_rules_report_each_problem() {
        let mut v = Violations::new();
        check_text(&mut v, "a", "  ", NAME);
        check_text(&mut v, "b", &"x".repeat(201), NAME);
        check_text(&mut v, "c", "tab\there", NAME);
        check_text(&mut v, "d", "line\nbreak", DESCRIPTION);
        check_text(&mut v, "e", "", OPTIONAL_TEXT);
        check_text(&mut v, "f", &"字".repeat(200), NAME);
        let fields: Vec<_> = v.list().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["a", "b", "c"]);
    }

    #[test]
    fn label_keys_follow_the_pattern() {
        let mut v = Violations::new();
        let labels: Labels = [("source", "illustrative"), ("Bad", "x"), ("a.b-c_d", "ok")]
            .into_iter()
            .map(|(k, val)| (k.to_string(), val.to_string()))
            .collect();
        check_labels(&mut v, "labels", &labels);
        assert_eq!(v.list().len(), 1);
        assert_eq!(v.list()[0].field, "labels[\"Bad\"]");
    }
}
