//! Pairing the entries of two sides: by name first, then leftovers by a second key (a rename
//! keeps its Rust name, its API name, its method and path...), and what is left was removed or
//! added.

/// An entry present on both sides, possibly under another name.
pub(super) struct Matched<'a, V> {
    pub base_name: &'a str,
    pub base: &'a V,
    pub head_name: &'a str,
    pub head: &'a V,
}

/// The outcome of pairing.
pub(super) struct Matching<'a, V> {
    /// Present on both sides under the same name, in BASE order.
    pub same: Vec<Matched<'a, V>>,
    /// Only in BASE, in BASE order.
    pub removed: Vec<(&'a str, &'a V)>,
    /// Only in HEAD, in HEAD order.
    pub added: Vec<(&'a str, &'a V)>,
}

impl<'a, V> Matching<'a, V> {
    /// Pairs entries by name.
    pub fn by_name<B, H>(base: B, head: H) -> Self
    where
        B: IntoIterator<Item = (&'a str, &'a V)>,
        H: IntoIterator<Item = (&'a str, &'a V)>,
    {
        let head: Vec<(&'a str, &'a V)> = head.into_iter().collect();
        let mut same = Vec::new();
        let mut removed = Vec::new();
        let mut base_names = Vec::new();
        for (name, base_value) in base {
            base_names.push(name);
            match head.iter().find(|(head_name, _)| *head_name == name) {
                Some((head_name, head_value)) => same.push(Matched {
                    base_name: name,
                    base: base_value,
                    head_name,
                    head: head_value,
                }),
                None => removed.push((name, base_value)),
            }
        }
        let added = head
            .into_iter()
            .filter(|(name, _)| !base_names.contains(name))
            .collect();
        Matching {
            same,
            removed,
            added,
        }
    }

    /// Takes the removed and added entries whose `key` agree (and is unique on each side) out
    /// of `removed` and `added`, as renames.
    pub fn renames<K: PartialEq>(
        &mut self,
        key: impl Fn(&str, &V) -> Option<K>,
    ) -> Vec<Matched<'a, V>> {
        let removed_keys: Vec<Option<K>> = self.removed.iter().map(|(n, v)| key(n, v)).collect();
        let added_keys: Vec<Option<K>> = self.added.iter().map(|(n, v)| key(n, v)).collect();
        let unique = |keys: &[Option<K>], wanted: &K| {
            keys.iter().filter(|k| k.as_ref() == Some(wanted)).count() == 1
        };
        let mut pairs = Vec::new();
        for (r, removed_key) in removed_keys.iter().enumerate() {
            let Some(wanted) = removed_key else { continue };
            if !unique(&removed_keys, wanted) || !unique(&added_keys, wanted) {
                continue;
            }
            if let Some(a) = added_keys.iter().position(|k| k.as_ref() == Some(wanted)) {
                pairs.push((r, a));
            }
        }
        let mut renamed = Vec::new();
        for &(r, a) in &pairs {
            let (base_name, base) = self.removed[r];
            let (head_name, head) = self.added[a];
            renamed.push(Matched {
                base_name,
                base,
                head_name,
                head,
            });
        }
        let taken_removed: Vec<usize> = pairs.iter().map(|(r, _)| *r).collect();
        let taken_added: Vec<usize> = pairs.iter().map(|(_, a)| *a).collect();
        self.removed = keep_untaken(&self.removed, &taken_removed);
        self.added = keep_untaken(&self.added, &taken_added);
        renamed
    }
}

fn keep_untaken<T: Copy>(items: &[T], taken: &[usize]) -> Vec<T> {
    items
        .iter()
        .enumerate()
        .filter(|(index, _)| !taken.contains(index))
        .map(|(_, item)| *item)
        .collect()
}

/// Whether the entries both sides have appear in another relative order.
pub(super) fn reordered<A: AsRef<str>, B: AsRef<str>>(base: &[A], head: &[B]) -> bool {
    let base: Vec<&str> = base.iter().map(AsRef::as_ref).collect();
    let head: Vec<&str> = head.iter().map(AsRef::as_ref).collect();
    let common_base: Vec<&str> = base
        .iter()
        .copied()
        .filter(|name| head.contains(name))
        .collect();
    let common_head: Vec<&str> = head
        .iter()
        .copied()
        .filter(|name| base.contains(name))
        .collect();
    common_base != common_head
}

/// The variants both sides have whose position differs, as (variant, BASE position, HEAD
/// position), in HEAD order: for an enum without fields and without explicit discriminants, the
/// position is the discriminant that `Variant as isize` reads.
pub(super) fn moved<'a, A: AsRef<str>, B: AsRef<str>>(
    base: &[A],
    head: &'a [B],
) -> Vec<(&'a str, usize, usize)> {
    head.iter()
        .enumerate()
        .filter_map(|(now, name)| {
            let name = name.as_ref();
            let before = base.iter().position(|other| other.as_ref() == name)?;
            (before != now).then_some((name, before, now))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_by_name_then_by_a_second_key() {
        let base = [("a", 1), ("b", 2), ("c", 3)];
        let head = [("a", 1), ("x", 2), ("d", 4)];
        let mut matching = Matching::by_name(
            base.iter().map(|(n, v)| (*n, v)),
            head.iter().map(|(n, v)| (*n, v)),
        );
        assert_eq!(matching.same.len(), 1);
        let renamed = matching.renames(|_, value| Some(*value));
        assert_eq!(renamed.len(), 1);
        assert_eq!((renamed[0].base_name, renamed[0].head_name), ("b", "x"));
        assert_eq!(
            matching.removed.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            ["c"]
        );
        assert_eq!(
            matching.added.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            ["d"]
        );
    }

    #[test]
    fn ambiguous_second_keys_pair_nothing() {
        let base = [("a", 1), ("b", 1)];
        let head = [("c", 1)];
        let mut matching = Matching::by_name(
            base.iter().map(|(n, v)| (*n, v)),
            head.iter().map(|(n, v)| (*n, v)),
        );
        assert!(matching.renames(|_, value| Some(*value)).is_empty());
        assert_eq!(matching.removed.len(), 2);
    }

    #[test]
    fn moved_compares_positions_not_relative_order() {
        assert_eq!(moved(&["a", "b", "c"], &["a", "b", "c", "d"]), []);
        assert_eq!(moved(&["a", "b"], &["a", "x", "b"]), [("b", 1, 2)]);
        assert_eq!(
            moved(&["a", "b", "c"], &["b", "c"]),
            [("b", 1, 0), ("c", 2, 1)]
        );
        assert_eq!(moved(&["a", "b"], &["b", "a"]), [("b", 1, 0), ("a", 0, 1)]);
    }

    #[test]
    fn order_compares_common_entries_only() {
        assert!(!reordered(&["a", "b", "c"], &["a", "x", "b"]));
        assert!(reordered(&["a", "b"], &["b", "a"]));
    }
}
