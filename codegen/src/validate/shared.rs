//! `shared.yaml`: the crate, products, data centres, environments, hosts, auth and error codes.

use super::*;

pub(super) fn check_shared(file: &SpecFile<SharedSpec>, out: &mut Vec<Diagnostic>) {
    let shared = &file.spec;
    if !ident::is_package_name(&shared.crate_info.name) {
        out.push(
            file.at(
                &path!["crate", "name"],
                Code::BadName,
                format!(
                    "`{}` is not a package name the generated code can use",
                    shared.crate_info.name
                ),
            )
            .with_hint("a letter, then letters, digits, `-` or `_`; not a Rust keyword"),
        );
    }
    if !is_semver(&shared.crate_info.version) {
        out.push(file.at(
            &path!["crate", "version"],
            Code::InvalidValue,
            format!("`{}` is not a semantic version", shared.crate_info.version),
        ));
    }
    for (id, product) in &shared.products {
        if !ident::is_snake(id) {
            out.push(file.at_key(
                &path!["products", id],
                Code::BadName,
                format!("product id `{id}` must be snake_case"),
            ));
        }
        url(file, &path!["products", id, "source"], &product.source, out);
    }
    for (id, center) in &shared.data_centers {
        if !id.chars().all(|c| c.is_ascii_lowercase()) || id.is_empty() {
            out.push(file.at_key(
                &path!["data_centers", id],
                Code::BadName,
                format!("data-centre id `{id}` must be lower-case letters"),
            ));
        }
        origin(
            file,
            &path!["data_centers", id, "accounts"],
            &center.accounts,
            out,
        );
        url(
            file,
            &path!["data_centers", id, "source"],
            &center.source,
            out,
        );
    }
    for (name, hosts) in &shared.hosts {
        url(file, &path!["hosts", name, "source"], &hosts.source, out);
        for (center, value) in &hosts.origins {
            if !shared.data_centers.contains_key(center) {
                out.push(unknown(
                    file.at_key(
                        &path!["hosts", name, "origins", center],
                        Code::UnknownReference,
                        format!("data centre `{center}` is not defined under `data_centers`"),
                    ),
                    center,
                    shared.data_centers.keys(),
                ));
            }
            origin(file, &path!["hosts", name, "origins", center], value, out);
        }
    }
    let defaults = shared
        .environments
        .values()
        .filter(|environment| environment.default)
        .count();
    if !shared.environments.is_empty() && defaults != 1 {
        out.push(file.at_key(
            &path!["environments"],
            Code::InvalidValue,
            format!("exactly one environment must be `default: true` (found {defaults})"),
        ));
    }
    for (id, environment) in &shared.environments {
        if !ident::is_snake(id) {
            out.push(file.at_key(
                &path!["environments", id],
                Code::BadName,
                format!("environment id `{id}` must be snake_case"),
            ));
        }
        url(
            file,
            &path!["environments", id, "source"],
            &environment.source,
            out,
        );
    }
    for (name, hosts) in &shared.hosts {
        for (environment, origins) in &hosts.environments {
            let at = path!["hosts", name, "environments", environment];
            match shared.environments.get(environment) {
                None => out.push(unknown(
                    file.at_key(
                        &at,
                        Code::UnknownReference,
                        format!("environment `{environment}` is not defined under `environments`"),
                    ),
                    environment,
                    shared.environments.keys(),
                )),
                Some(def) if def.default => out.push(file.at_key(
                    &at,
                    Code::InvalidValue,
                    format!("`{environment}` is the default environment: its hosts are `origins`"),
                )),
                Some(_) => {}
            }
            for (center, value) in origins {
                let mut center_at = at.clone();
                center_at.push(Segment::from(center.as_str()));
                if !shared.data_centers.contains_key(center) {
                    out.push(unknown(
                        file.at_key(
                            &center_at,
                            Code::UnknownReference,
                            format!("data centre `{center}` is not defined under `data_centers`"),
                        ),
                        center,
                        shared.data_centers.keys(),
                    ));
                }
                origin(file, &center_at, value, out);
            }
        }
    }
    url(file, &path!["auth", "source"], &shared.auth.source, out);
    url(
        file,
        &path!["error_envelope", "source"],
        &shared.error_envelope.source,
        out,
    );
    for (key, def) in &shared.error_envelope.keys {
        let at = path!["error_envelope", "keys", key, "type"];
        match (def.ty.get(), def.ty.error()) {
            (Some(TypeExpr::Named(name)), _) => out.push(file.at(
                &at,
                Code::BadType,
                format!("the envelope can only use built-in types, not `{name}`"),
            )),
            (_, Some(message)) => out.push(file.at(&at, Code::BadType, message)),
            _ => {}
        }
    }
    for (code, error) in &shared.errors {
        if !code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        {
            out.push(file.at_key(
                &path!["errors", code],
                Code::BadName,
                format!("error code `{code}` must be UPPER_SNAKE_CASE"),
            ));
        }
        if !(400..=599).contains(&error.status) {
            out.push(file.at(
                &path!["errors", code, "status"],
                Code::ErrorStatus,
                format!("HTTP status {} is not an error status", error.status),
            ));
        }
    }
}
