//! Update masks (AIP-134): which fields of a resource an update replaces. Each record has one table
//! of its mutable fields ([`MaskSpec`]); it decides which paths a mask may name, which fields a
//! request without a mask sets, and how a selected field is copied. A field added to a draft and
//! forgotten in its table can therefore not be updated, but never half-updated.

use super::validate::Violations;

/// One field an update may replace.
pub struct MutableField<D> {
    /// The field's name in update masks, which is also its name in the draft.
    pub name: &'static str,
    /// Whether a request sets it: an update without a mask replaces the fields it sets.
    pub is_set: fn(&D) -> bool,
    /// Moves the field from the request's draft (second) into the merged one (first).
    pub copy: fn(&mut D, &mut D),
}

impl<D> std::fmt::Debug for MutableField<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// An entry of a [`MaskSpec`]: `field!(name, |d| is set)`. The name is the draft's field, so the
/// mask path and the field copied cannot disagree.
macro_rules! field {
    ($name:ident, $is_set:expr) => {
        $crate::rules::mask::MutableField {
            name: stringify!($name),
            is_set: $is_set,
            copy: |to, from| to.$name = std::mem::take(&mut from.$name),
        }
    };
}
pub(crate) use field;

/// The fields a mask may name for one resource type.
pub struct MaskSpec<D: 'static> {
    /// In the order error messages list them.
    pub mutable: &'static [MutableField<D>],
    /// Named in a mask, these are ignored (AIP-203: output-only fields are never set by clients).
    pub output_only: &'static [&'static str],
}

/// The fields one update replaces, resolved against a [`MaskSpec`]: each once, in name order.
/// Only [`MaskSpec::resolve`] and [`MaskSpec::select`] make one, so a field cannot be listed twice
/// (a second copy would find it already moved).
pub struct Selected<D: 'static>(Vec<&'static MutableField<D>>);

impl<D> Selected<D> {
    /// The selected fields' names, in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.0.iter().map(|f| f.name).collect()
    }
}

impl<D> std::fmt::Debug for Selected<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.names()).finish()
    }
}

impl<D> MaskSpec<D> {
    /// The mutable fields a mask selects; without a mask (`paths` empty), the fields `draft` sets.
    /// `*` selects all of them; an unknown path is a violation, and so is a mask that selects
    /// nothing: writing the record unchanged would still move its etag and make every other holder
    /// of the old one fail for no change.
    pub fn resolve(&self, paths: &[String], draft: &D) -> Result<Selected<D>, Violations> {
        let mut v = Violations::new();
        let mut selected: Vec<&'static MutableField<D>> = Vec::new();
        if paths.is_empty() {
            selected.extend(self.mutable.iter().filter(|f| (f.is_set)(draft)));
        }
        for (i, path) in paths.iter().enumerate() {
            if path == "*" {
                selected.extend(self.mutable);
            } else if let Some(field) = self.mutable.iter().find(|f| f.name == path) {
                selected.push(field);
            } else if !self.output_only.contains(&path.as_str()) {
                v.add(
                    format!("update_mask.paths[{i}]"),
                    format!("{path:?} is not a field that can be updated; use one of {}", self.names()),
                );
            }
        }
        if selected.is_empty() && v.is_empty() {
            v.add("update_mask", format!("names no field that can be updated; use one or more of {}", self.names()));
        }
        v.into_result()?;
        selected.sort_unstable_by_key(|f| f.name);
        selected.dedup_by_key(|f| f.name);
        Ok(Selected(selected))
    }

    /// Resolves paths that are known to be right (e.g. `&["display_name"]` in a program), for
    /// callers of the core without a request to answer.
    pub fn select(&self, paths: &[&str], draft: &D) -> Result<Selected<D>, Violations> {
        let paths: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
        self.resolve(&paths, draft)
    }

    fn names(&self) -> String {
        self.mutable.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
    }
}

/// Copies the selected fields of `from` into `to`.
pub(crate) fn apply<D>(to: &mut D, mut from: D, fields: &Selected<D>) {
    for field in &fields.0 {
        (field.copy)(to, &mut from);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq)]
    struct Draft {
        a: String,
        b: Option<u8>,
        c: Vec<u8>,
    }

    const SPEC: MaskSpec<Draft> = MaskSpec {
        mutable: &[field!(a, |d| !d.a.is_empty()), field!(b, |d| d.b.is_some()), field!(c, |d| !d.c.is_empty())],
        output_only: &["etag"],
    };

    fn names(selected: Result<Selected<Draft>, Violations>) -> Result<Vec<&'static str>, Violations> {
        selected.map(|s| s.names())
    }

    fn paths(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn star_selects_everything_and_output_only_is_ignored() {
        let none = Draft::default();
        assert_eq!(names(SPEC.resolve(&paths(&["*"]), &none)), Ok(vec!["a", "b", "c"]));
        assert_eq!(names(SPEC.resolve(&paths(&["c", "etag", "a", "c"]), &none)), Ok(vec!["a", "c"]));
    }

    #[test]
    fn without_a_mask_the_fields_set_are_selected() {
        let draft = Draft { b: Some(0), c: vec![1], ..Default::default() };
        assert_eq!(names(SPEC.resolve(&[], &draft)), Ok(vec!["b", "c"]));
    }

    #[test]
    fn a_mask_that_selects_nothing_is_refused() {
        for empty in [paths(&[]), paths(&["etag"])] {
            let err = SPEC.resolve(&empty, &Draft::default()).unwrap_err();
            assert_eq!(err.list()[0].field, "update_mask", "{empty:?}");
        }
    }

    #[test]
    fn unknown_paths_are_named() {
        let err = SPEC.resolve(&paths(&["a", "zzz"]), &Draft::default()).unwrap_err();
        assert_eq!(err.list()[0].field, "update_mask.paths[1]");
    }

    #[test]
    fn apply_copies_only_the_selected_fields() {
        let mut to = Draft { a: "old".into(), b: Some(1), c: vec![1] };
        let from = Draft { a: "new".into(), b: None, c: vec![] };
        let selected = SPEC.select(&["a", "b"], &from).expect("known paths");
        apply(&mut to, from, &selected);
        assert_eq!(to, Draft { a: "new".into(), b: None, c: vec![1] });
    }
}
