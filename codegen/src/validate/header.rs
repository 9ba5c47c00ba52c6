//! A product/version file's header (version, title, server) and its modules and module sets.

use super::*;

impl ApiChecker<'_> {
    pub(super) fn check_header(&mut self) {
        let api = &self.file.spec;
        let file = self.file;
        if !self.shared.products.contains_key(&api.product) {
            let diagnostic = unknown(
                file.at(
                    &path!["product"],
                    Code::UnknownReference,
                    format!("product `{}` is not defined in shared.yaml", api.product),
                ),
                &api.product,
                self.shared.products.keys(),
            );
            self.push(diagnostic);
        }
        if !is_version(&api.version) {
            self.push(
                file.at(
                    &path!["version"],
                    Code::BadVersion,
                    format!("`{}` is not a version like `v8` or `v2.1`", api.version),
                )
                .with_hint("write the version as Zoho's URLs do"),
            );
        }
        url(file, &path!["source"], &api.source, self.out);
        if !api.server.prefix.starts_with('/') || api.server.prefix.ends_with('/') {
            self.push(file.at(
                &path!["server", "prefix"],
                Code::PathTemplate,
                format!(
                    "the prefix `{}` must start with `/` and not end with one",
                    api.server.prefix
                ),
            ));
        }
        match self.shared.hosts.get(&api.server.hosts) {
            None => {
                let diagnostic = unknown(
                    file.at(
                        &path!["server", "hosts"],
                        Code::UnknownReference,
                        format!(
                            "host set `{}` is not defined in shared.yaml",
                            api.server.hosts
                        ),
                    ),
                    &api.server.hosts,
                    self.shared.hosts.keys(),
                );
                self.push(diagnostic);
            }
            Some(hosts) => {
                for (index, environment) in api.server.environments.iter().enumerate() {
                    if !hosts.environments.contains_key(environment) {
                        let diagnostic = unknown(
                            file.at(
                                &path!["server", "environments", index],
                                Code::UnknownReference,
                                format!(
                                    "host set `{}` has no origins for environment `{environment}`",
                                    api.server.hosts
                                ),
                            ),
                            environment,
                            hosts.environments.keys(),
                        );
                        self.push(diagnostic);
                    }
                }
                for (index, center) in api.server.data_centers.iter().flatten().enumerate() {
                    if !hosts.origins.contains_key(center) {
                        let diagnostic = unknown(
                            file.at(
                                &path!["server", "data_centers", index],
                                Code::UnknownReference,
                                format!(
                                    "host set `{}` has no origin for data centre `{center}`",
                                    api.server.hosts
                                ),
                            ),
                            center,
                            hosts.origins.keys(),
                        );
                        self.push(diagnostic);
                    }
                }
            }
        }
    }

    pub(super) fn check_modules(&mut self) {
        let file = self.file;
        let mut custom: Option<&str> = None;
        // An answer names its module by API name; two modules sharing one could not be told
        // apart (in `Module` or in any module set).
        let mut api_names: BTreeMap<&str, &str> = BTreeMap::new();
        for (display, module) in &file.spec.modules {
            let at = path!["modules", display];
            if module.scope.is_empty()
                || !module
                    .scope
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                self.push(file.at(
                    &path!["modules", display, "scope"],
                    Code::Module,
                    format!(
                        "scope name `{}` must be lower-case, as in the page's \"Possible module names\"",
                        module.scope
                    ),
                ));
            }
            match (&module.api_name, module.custom) {
                (Some(_), true) => self.push(file.at(
                    &path!["modules", display, "api_name"],
                    Code::Module,
                    "the custom-module entry takes its API name from the caller; remove `api_name`",
                )),
                (None, false) => self.push(
                    file.at_key(
                        &at,
                        Code::MissingKey,
                        format!("module `{display}` needs an `api_name` (its path segment)"),
                    )
                    .with_hint("or mark it `custom: true` if it stands for any custom module"),
                ),
                (Some(api_name), false) => {
                    if !api_name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_')
                        || api_name.is_empty()
                    {
                        self.push(file.at(
                            &path!["modules", display, "api_name"],
                            Code::Module,
                            format!("API name `{api_name}` must be letters, digits and `_`"),
                        ));
                    }
                    if let Some(first) = api_names.insert(api_name, display) {
                        self.push(
                            file.at(
                                &path!["modules", display, "api_name"],
                                Code::Module,
                                format!(
                                    "API name `{api_name}` is already module `{first}`'s; an \
                                     answer naming it could not say which module it means"
                                ),
                            )
                            .with_hint("each module has its own API name, as on the page"),
                        );
                    }
                }
                (None, true) => {
                    if let Some(first) = custom.replace(display) {
                        self.push(file.at_key(
                            &at,
                            Code::Module,
                            format!("`{first}` is already the custom-module entry"),
                        ));
                    }
                }
            }
        }
    }

    pub(super) fn check_module_sets(&mut self) {
        let file = self.file;
        for (name, set) in &file.spec.module_sets {
            if !is_type_name(name) {
                self.push(file.at_key(
                    &path!["module_sets", name],
                    Code::BadName,
                    format!("module set name `{name}` must be CamelCase"),
                ));
            }
            url(
                file,
                &path!["module_sets", name, "source"],
                &set.source,
                self.out,
            );
            if set.modules.is_empty() {
                self.push(file.at(
                    &path!["module_sets", name, "modules"],
                    Code::Module,
                    "a module set needs at least one module",
                ));
            }
            let mut seen = std::collections::HashSet::new();
            for (index, module) in set.modules.iter().enumerate() {
                // Each module becomes a variant of the set's enum.
                if !seen.insert(module) {
                    self.push(file.at(
                        &path!["module_sets", name, "modules", index],
                        Code::Module,
                        format!("module `{module}` is listed twice in this set"),
                    ));
                }
                if !file.spec.modules.contains_key(module) {
                    let diagnostic = unknown(
                        file.at(
                            &path!["module_sets", name, "modules", index],
                            Code::UnknownReference,
                            format!("module `{module}` is not listed under `modules`"),
                        ),
                        module,
                        file.spec.modules.keys(),
                    );
                    self.push(diagnostic);
                }
            }
        }
    }
}
