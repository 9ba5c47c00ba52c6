//! Error rows: codes known to shared.yaml, with consistent statuses.

use super::*;

impl ApiChecker<'_> {
    pub(super) fn check_errors(&mut self, name: &str, operation: &OperationDef) {
        let file = self.file;
        let mut statuses: BTreeMap<&str, (u16, usize)> = BTreeMap::new();
        for (index, error) in operation.errors.iter().enumerate() {
            match self.shared.errors.get(&error.code) {
                None => {
                    let diagnostic = unknown(
                        file.at(
                            &path!["operations", name, "errors", index, "code"],
                            Code::UnknownReference,
                            format!("error code `{}` is not listed in shared.yaml", error.code),
                        ),
                        &error.code,
                        self.shared.errors.keys(),
                    );
                    self.push(diagnostic);
                }
                Some(shared)
                    if shared.status != error.status
                        && !shared.other_statuses.contains(&error.status) =>
                {
                    self.push(
                        file.at(
                            &path!["operations", name, "errors", index, "status"],
                            Code::ErrorStatus,
                            format!(
                                "`{}` is HTTP {} here but HTTP {} in shared.yaml",
                                error.code, error.status, shared.status
                            ),
                        )
                        .with_hint("if the page really differs, keep its status and explain in a note in shared.yaml"),
                    );
                }
                Some(_) => {}
            }
            // Two statuses for one code are a typo unless shared.yaml documents both.
            let documented = |status: u16| {
                self.shared.errors.get(&error.code).is_some_and(|shared| {
                    shared.status == status || shared.other_statuses.contains(&status)
                })
            };
            match statuses.get(error.code.as_str()) {
                Some((status, first))
                    if *status != error.status
                        && !(documented(*status) && documented(error.status)) =>
                {
                    let earlier = file
                        .map
                        .key(&path!["operations", name, "errors", *first])
                        .map_or_else(
                            || format!("in row {} of `errors`", first + 1),
                            |at| format!("in its row at line {}", at.line),
                        );
                    self.push(file.at(
                        &path!["operations", name, "errors", index, "status"],
                        Code::ErrorStatus,
                        format!(
                            "`{}` is HTTP {} here but HTTP {status} {earlier}",
                            error.code, error.status
                        ),
                    ));
                }
                Some(_) => {}
                None => {
                    statuses.insert(&error.code, (error.status, index));
                }
            }
        }
    }
}
