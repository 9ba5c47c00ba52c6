//! OAuth scope requirements of an operation.

use std::fmt;

const MODULE: &str = "{module}";
const OPERATION: &str = "{operation}";

/// Scope requirements of an operation, as static data the generator emits.
///
/// Every group must be satisfied; within a group any one scope suffices. Templates may
/// contain `{module}` (the module's scope name) and `{operation}` (each of
/// `operations`). `operations` are listed broadest first (e.g. `["ALL", "READ"]`), so
/// the last one is the narrowest.
///
/// ```
/// use zoho_runtime::ScopeRule;
///
/// let rule = ScopeRule {
///     groups: &[
///         &["ZohoCRM.modules.ALL", "ZohoCRM.modules.{module}.{operation}"],
///         &["ZohoCRM.modules.attachments.{operation}"],
///     ],
///     operations: &["ALL", "READ"],
/// };
/// assert_eq!(
///     rule.minimal(Some("leads")),
///     ["ZohoCRM.modules.leads.READ", "ZohoCRM.modules.attachments.READ"]
/// );
/// assert!(rule.is_satisfied_by(Some("leads"), &["ZohoCRM.modules.ALL", "ZohoCRM.modules.attachments.ALL"]));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScopeRule {
    /// Groups of alternative scope templates; all groups must be satisfied.
    pub groups: &'static [&'static [&'static str]],
    /// Values of `{operation}`, broadest first.
    pub operations: &'static [&'static str],
}

impl ScopeRule {
    /// The narrowest set of scopes that satisfies the rule.
    ///
    /// Per group: when a module is given, the first template that mentions `{module}`;
    /// otherwise the first that does not (a `{module}` cannot be filled in). Either way
    /// the group's first template when none fits. `{operation}` becomes the last
    /// (narrowest) operation. Duplicates are dropped; order follows the groups.
    pub fn minimal(&self, module_scope: Option<&str>) -> Vec<String> {
        let narrowest = self.operations.last().copied();
        let mut scopes = Vec::new();
        for group in self.groups {
            let wants_module = module_scope.is_some();
            let template = group
                .iter()
                .find(|template| template.contains(MODULE) == wants_module)
                .or_else(|| group.first());
            if let Some(template) = template {
                push_unique(&mut scopes, fill(template, module_scope, narrowest));
            }
        }
        scopes
    }

    /// Whether the `granted` scopes satisfy the rule for that module.
    ///
    /// Each group is judged on its own, so one group may be met with `ALL` and another
    /// with `READ`. Scopes are compared ignoring ASCII case and surrounding whitespace,
    /// as Zoho treats scope names case-insensitively.
    pub fn is_satisfied_by<S: AsRef<str>>(
        &self,
        module_scope: Option<&str>,
        granted: &[S],
    ) -> bool {
        (0..self.groups.len()).all(|group| {
            self.expand_group(group, module_scope).iter().any(|needed| {
                granted
                    .iter()
                    .any(|scope| scope.as_ref().trim().eq_ignore_ascii_case(needed))
            })
        })
    }

    /// Every concrete scope that could satisfy group `group`, in template then operation
    /// order. Templates needing `{module}` are left out when no module is given; an
    /// out-of-range `group` gives an empty list.
    pub fn expand_group(&self, group: usize, module_scope: Option<&str>) -> Vec<String> {
        let mut scopes = Vec::new();
        let Some(templates) = self.groups.get(group) else {
            return scopes;
        };
        for template in templates.iter() {
            if template.contains(MODULE) && module_scope.is_none() {
                continue;
            }
            if template.contains(OPERATION) && !self.operations.is_empty() {
                for operation in self.operations {
                    push_unique(&mut scopes, fill(template, module_scope, Some(operation)));
                }
            } else {
                push_unique(&mut scopes, fill(template, module_scope, None));
            }
        }
        scopes
    }
}

/// `(a or b) and c, where {operation} is one of ALL, READ`.
impl fmt::Display for ScopeRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.groups.is_empty() {
            return f.write_str("no scope required");
        }
        for (index, group) in self.groups.iter().enumerate() {
            if index > 0 {
                f.write_str(" and ")?;
            }
            let bracket = group.len() > 1 && self.groups.len() > 1;
            if bracket {
                f.write_str("(")?;
            }
            f.write_str(&group.join(" or "))?;
            if bracket {
                f.write_str(")")?;
            }
        }
        let uses_operation = self
            .groups
            .iter()
            .any(|group| group.iter().any(|template| template.contains(OPERATION)));
        match self.operations {
            [] => {}
            _ if !uses_operation => {}
            [only] => write!(f, ", where {OPERATION} is {only}")?,
            all => write!(f, ", where {OPERATION} is one of {}", all.join(", "))?,
        }
        Ok(())
    }
}

fn fill(template: &str, module_scope: Option<&str>, operation: Option<&str>) -> String {
    let mut scope = template.to_owned();
    if let Some(module) = module_scope {
        scope = scope.replace(MODULE, module);
    }
    if let Some(operation) = operation {
        scope = scope.replace(OPERATION, operation);
    }
    scope
}

fn push_unique(scopes: &mut Vec<String>, scope: String) {
    if !scopes.contains(&scope) {
        scopes.push(scope);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CRM_LIST: ScopeRule = ScopeRule {
        groups: &[
            &[
                "ZohoCRM.modules.ALL",
                "ZohoCRM.modules.{module}.{operation}",
            ],
            &["ZohoCRM.modules.attachments.{operation}"],
        ],
        operations: &["ALL", "READ"],
    };

    const FILES_UPLOAD: ScopeRule = ScopeRule {
        groups: &[&["ZohoCRM.files.{operation}"]],
        operations: &["ALL", "CREATE"],
    };

    #[test]
    fn minimal_picks_the_module_template_and_narrowest_operation() {
        assert_eq!(
            CRM_LIST.minimal(Some("leads")),
            [
                "ZohoCRM.modules.leads.READ",
                "ZohoCRM.modules.attachments.READ"
            ]
        );
        assert_eq!(FILES_UPLOAD.minimal(None), ["ZohoCRM.files.CREATE"]);
    }

    #[test]
    fn minimal_without_module_avoids_unfillable_templates() {
        assert_eq!(
            CRM_LIST.minimal(None),
            ["ZohoCRM.modules.ALL", "ZohoCRM.modules.attachments.READ"]
        );
    }

    #[test]
    fn minimal_set_satisfies_the_rule() {
        for module in [Some("leads"), None] {
            assert!(CRM_LIST.is_satisfied_by(module, &CRM_LIST.minimal(module)));
        }
    }

    #[test]
    fn satisfied_by_broad_or_narrow_scopes_per_group() {
        assert!(CRM_LIST.is_satisfied_by(
            Some("leads"),
            &["ZohoCRM.modules.ALL", "ZohoCRM.modules.attachments.READ"]
        ));
        assert!(CRM_LIST.is_satisfied_by(
            Some("leads"),
            &[
                "ZohoCRM.modules.leads.ALL",
                "ZohoCRM.modules.attachments.READ"
            ]
        ));
        assert!(CRM_LIST.is_satisfied_by(
            Some("leads"),
            &[
                " zohocrm.modules.Leads.read ",
                "ZOHOCRM.MODULES.ATTACHMENTS.ALL"
            ]
        ));
    }

    #[test]
    fn not_satisfied_when_a_group_is_missing_or_wrong() {
        assert!(!CRM_LIST.is_satisfied_by(Some("leads"), &["ZohoCRM.modules.leads.READ"]));
        assert!(!CRM_LIST.is_satisfied_by(
            Some("leads"),
            &[
                "ZohoCRM.modules.contacts.READ",
                "ZohoCRM.modules.attachments.READ"
            ]
        ));
        assert!(!CRM_LIST.is_satisfied_by(
            Some("leads"),
            &[
                "ZohoCRM.modules.leads.CREATE",
                "ZohoCRM.modules.attachments.READ"
            ]
        ));
        assert!(!CRM_LIST.is_satisfied_by::<&str>(Some("leads"), &[]));
        assert!(!FILES_UPLOAD.is_satisfied_by(None, &["ZohoCRM.files.READ"]));
    }

    #[test]
    fn expand_group_lists_every_alternative() {
        assert_eq!(
            CRM_LIST.expand_group(0, Some("leads")),
            [
                "ZohoCRM.modules.ALL",
                "ZohoCRM.modules.leads.ALL",
                "ZohoCRM.modules.leads.READ"
            ]
        );
        assert_eq!(CRM_LIST.expand_group(0, None), ["ZohoCRM.modules.ALL"]);
        assert_eq!(
            CRM_LIST.expand_group(1, None),
            [
                "ZohoCRM.modules.attachments.ALL",
                "ZohoCRM.modules.attachments.READ"
            ]
        );
        assert!(CRM_LIST.expand_group(2, None).is_empty());
    }

    #[test]
    fn display_reads_as_a_sentence() {
        assert_eq!(
            CRM_LIST.to_string(),
            "(ZohoCRM.modules.ALL or ZohoCRM.modules.{module}.{operation}) and \
             ZohoCRM.modules.attachments.{operation}, where {operation} is one of ALL, READ"
        );
        assert_eq!(
            ScopeRule {
                groups: &[&["ZohoFiles.files.READ"]],
                operations: &["READ"],
            }
            .to_string(),
            "ZohoFiles.files.READ"
        );
        assert_eq!(
            ScopeRule {
                groups: &[&["WorkDrive.files.ALL", "WorkDrive.files.{operation}"]],
                operations: &["CREATE"],
            }
            .to_string(),
            "WorkDrive.files.ALL or WorkDrive.files.{operation}, where {operation} is CREATE"
        );
        assert_eq!(
            ScopeRule {
                groups: &[],
                operations: &[],
            }
            .to_string(),
            "no scope required"
        );
    }
}
