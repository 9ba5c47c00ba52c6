//! Scope rules: groups of alternatives and the operation types they name.

use super::*;

impl ApiChecker<'_> {
    pub(super) fn check_scopes(&mut self, name: &str, operation: &OperationDef, uses_module: bool) {
        let file = self.file;
        let scopes = &operation.scopes;
        if scopes.all_of.is_empty() {
            self.push(file.at(
                &path!["operations", name, "scopes", "all_of"],
                Code::ScopeTemplate,
                "`all_of` needs at least one group",
            ));
        }
        let mut names = BTreeSet::new();
        for (index, op) in scopes.operations.iter().enumerate() {
            if op.name.is_empty() || !op.name.chars().all(|c| c.is_ascii_uppercase()) {
                self.push(file.at(
                    &path!["operations", name, "scopes", "operations", index, "name"],
                    Code::ScopeTemplate,
                    format!("operation type `{}` must be upper-case letters", op.name),
                ));
            }
            if !names.insert(&op.name) {
                self.push(file.at(
                    &path!["operations", name, "scopes", "operations", index],
                    Code::ScopeTemplate,
                    format!("operation type `{}` is listed twice", op.name),
                ));
            }
        }
        for (group, def) in scopes.all_of.iter().enumerate() {
            if def.any_of.is_empty() {
                self.push(file.at(
                    &path!["operations", name, "scopes", "all_of", group],
                    Code::ScopeTemplate,
                    "`any_of` needs at least one scope",
                ));
            }
            for (index, template) in def.any_of.iter().enumerate() {
                let at = path![
                    "operations",
                    name,
                    "scopes",
                    "all_of",
                    group,
                    "any_of",
                    index
                ];
                match (template.get(), template.error()) {
                    (None, message) => self.push(file.at(
                        &at,
                        Code::ScopeTemplate,
                        message.unwrap_or("malformed scope"),
                    )),
                    (Some(found), _) => {
                        for placeholder in found.placeholders() {
                            match placeholder {
                                "module" if !uses_module => self.push(
                                    file.at(
                                        &at,
                                        Code::ScopeTemplate,
                                        format!(
                                            "`{template}` uses {{module}} but the operation has no module parameter"
                                        ),
                                    ),
                                ),
                                "operation" if scopes.operations.is_empty() => self.push(
                                    file.at(
                                        &at,
                                        Code::ScopeTemplate,
                                        format!(
                                            "`{template}` uses {{operation}} but `operations` is empty"
                                        ),
                                    ),
                                ),
                                "module" | "operation" => {}
                                other => {
                                    let diagnostic = file.at(
                                        &at,
                                        Code::ScopeTemplate,
                                        format!("unknown placeholder `{{{other}}}` in `{template}`"),
                                    );
                                    let diagnostic = match suggestion(other, ["module", "operation"]) {
                                        Some(hint) => diagnostic.with_hint(hint),
                                        None => diagnostic
                                            .with_hint("scope templates know {module} and {operation}"),
                                    };
                                    self.push(diagnostic);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
