//! Bulk loads split into transactions that fit the store's limits.

use crate::store::TxnLimits;

/// Splits bulk items into groups, in order, whose transactions fit `limits`. `cost` gives an item's
/// operations (counted against comparisons and writes alike) and bytes; `fixed_ops` is what every
/// group's transaction carries once. Each group holds at least one item.
pub(super) fn fit_groups<T>(
    items: Vec<T>,
    limits: TxnLimits,
    fixed_ops: usize,
    cost: impl Fn(&T) -> (usize, usize),
) -> Vec<Vec<T>> {
    let mut groups: Vec<Vec<T>> = Vec::new();
    let (mut ops, mut bytes) = (fixed_ops, 0usize);
    for item in items {
        let (item_ops, item_bytes) = cost(&item);
        let fits =
            ops.saturating_add(item_ops) <= limits.max_ops && bytes.saturating_add(item_bytes) <= limits.max_bytes;
        match groups.last_mut() {
            Some(group) if fits => group.push(item),
            _ => {
                groups.push(vec![item]);
                (ops, bytes) = (fixed_ops, 0);
            }
        }
        ops = ops.saturating_add(item_ops);
        bytes = bytes.saturating_add(item_bytes);
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_groups_fit_the_limits_keep_the_order_and_never_come_empty() {
        let limits = TxnLimits { max_ops: 10, max_bytes: 100 };
        // Every item costs 3 operations and 20 bytes; each group also carries 2 operations.
        let groups = fit_groups((0..7).collect(), limits, 2, |_| (3, 20));
        assert_eq!(groups, vec![vec![0, 1], vec![2, 3], vec![4, 5], vec![6]]);
        // Bytes bind first here.
        let groups = fit_groups((0..5).collect(), limits, 0, |_| (1, 45));
        assert_eq!(groups, vec![vec![0, 1], vec![2, 3], vec![4]]);
        // An item larger than the limits still goes, alone: the store reports it.
        assert_eq!(fit_groups(vec![1, 2], limits, 0, |_| (50, 1)), vec![vec![1], vec![2]]);
        assert_eq!(fit_groups(vec![1, 2, 3], TxnLimits::UNBOUNDED, 0, |_| (5, 5)), vec![vec![1, 2, 3]]);
        assert!(fit_groups(Vec::<u8>::new(), limits, 0, |_| (1, 1)).is_empty());
    }
}
