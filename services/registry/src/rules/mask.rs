//! Update masks (AIP-134): which fields of a resource an update replaces.

use super::validate::Violations;

/// The fields a mask may name for one resource type.
pub struct MaskSpec {
    pub mutable: &'static [&'static str],
    /// Named in a mask, these are ignored (AIP-203: output-only fields are never set by clients).
    pub output_only: &'static [&'static str],
}

/// The mutable fields a mask selects. `*` selects all of them; an unknown path is a violation, and
/// so is a mask that selects nothing: writing the record unchanged would still move its etag and
/// make every other holder of the old one fail for no change.
pub fn resolve(spec: &MaskSpec, paths: &[String]) -> Result<Vec<&'static str>, Violations> {
    let mut v = Violations::new();
    let mut selected: Vec<&'static str> = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        if path == "*" {
            selected.extend(spec.mutable.iter().copied());
        } else if let Some(field) = spec.mutable.iter().find(|f| **f == path) {
            selected.push(field);
        } else if !spec.output_only.contains(&path.as_str()) {
            v.add(
                format!("update_mask.paths[{i}]"),
                format!("{path:?} is not a field that can be updated; use one of {}", spec.mutable.join(", ")),
            );
        }
    }
    if selected.is_empty() && v.is_empty() {
        v.add(
            "update_mask",
            format!("names no field that can be updated; use one or more of {}", spec.mutable.join(", ")),
        );
    }
    v.into_result()?;
    selected.sort_unstable();
    selected.dedup();
    Ok(selected)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: MaskSpec = MaskSpec { mutable: &["a", "b", "c"], output_only: &["etag"] };

    fn paths(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn star_selects_everything_and_output_only_is_ignored() {
        assert_eq!(resolve(&SPEC, &paths(&["*"])), Ok(vec!["a", "b", "c"]));
        assert_eq!(resolve(&SPEC, &paths(&["c", "etag", "a", "c"])), Ok(vec!["a", "c"]));
    }

    #[test]
    fn a_mask_that_selects_nothing_is_refused() {
        for empty in [paths(&[]), paths(&["etag"])] {
            let err = resolve(&SPEC, &empty).unwrap_err();
            assert_eq!(err.list()[0].field, "update_mask", "{empty:?}");
        }
    }

    #[test]
    fn unknown_paths_are_named() {
        let err = resolve(&SPEC, &paths(&["a", "zzz"])).unwrap_err();
        assert_eq!(err.list()[0].field, "update_mask.paths[1]");
    }
}
