//! Where each product version is served: its origins by data centre and environment, from its
//! `server` entry and the host sets of `shared.yaml`.
//!
//! Origins some version is served from are compared per version (`server`), where their effect
//! is; changes to `shared.yaml`'s host sets are reported there only for what no version uses
//! (`host_sets`), as `host-set-changed`.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;

use super::api::ApiPair;
use super::matching::{Matching, reordered};
use super::shared::{entries, names};
use super::{Changes, Ctx, at, code};
use crate::ident;
use crate::load::LoadedSpec;
use crate::load::model::{ApiSpec, HostSetDef, ServerDef, SharedSpec};
use crate::load::yaml::Segment;
use crate::path;
use crate::tools::diff::rules::Rule;

/// An origin of a host set: (environment, or `None` for the default one; data centre).
type OriginKey = (Option<String>, String);

pub(super) fn host_sets(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    base: &IndexMap<String, HostSetDef>,
    head: &IndexMap<String, HostSetDef>,
    base_spec: &LoadedSpec,
    head_spec: &LoadedSpec,
) {
    let matching = Matching::by_name(entries(base), entries(head));
    for (id, _) in &matching.removed {
        out.base(
            ctx,
            Rule::HostSetChanged,
            &path!["hosts", *id],
            format!("host set {} was removed", code(id)),
            "none: no product version is served from it",
        );
    }
    for (id, _) in &matching.added {
        out.head(
            ctx,
            Rule::HostSetChanged,
            &path!["hosts", *id],
            format!("host set {} was added", code(id)),
            "none by itself: versions served from it are reported apart",
        );
    }
    for pair in &matching.same {
        let id = pair.head_name;
        let HostSetDef {
            doc: base_doc,
            source: base_source,
            origins: base_origins,
            follows_api_domain: base_follows,
            environments: base_env_origins,
            note: base_note,
            provenance: base_provenance,
        } = pair.base;
        let HostSetDef {
            doc: head_doc,
            source: head_source,
            origins: head_origins,
            follows_api_domain: head_follows,
            environments: head_env_origins,
            note: head_note,
            provenance: head_provenance,
        } = pair.head;
        let here = path!["hosts", id];
        let users = users_of(id, head_spec);
        if base_follows != head_follows {
            let now = if *head_follows { "now" } else { "no longer" };
            let served = if users.is_empty() {
                "no product version".to_owned()
            } else {
                users.join(", ")
            };
            out.head(
                ctx,
                Rule::FollowsApiDomainChanged,
                &at(&here, &["follows_api_domain"]),
                format!("host set {} {now} follows a token's api_domain", code(id)),
                format!(
                    "for {served}: a refreshed token's `api_domain` {now} replaces the origins"
                ),
            );
        }
        let docs = "none: documentation of the spec only";
        out.texts(
            ctx,
            &here,
            &format!("host set {}", code(id)),
            docs,
            &[
                ("doc", Some(base_doc), Some(head_doc)),
                ("source", Some(base_source), Some(head_source)),
                ("note", base_note.as_deref(), head_note.as_deref()),
            ],
        );
        out.provenance(
            ctx,
            &at(&here, &["provenance"]),
            &format!("the provenance of host set {}", code(id)),
            base_provenance.as_deref(),
            head_provenance.as_deref(),
        );
        let base_all = origins(base_origins, base_env_origins);
        let head_all = origins(head_origins, head_env_origins);
        let keys: BTreeSet<&OriginKey> = base_all.keys().chain(head_all.keys()).collect();
        for key in keys {
            let (before, after) = (base_all.get(key), head_all.get(key));
            if before == after || is_used(id, key, base_spec) || is_used(id, key, head_spec) {
                continue;
            }
            let path = origin_path(id, key);
            let what = format!("the origin of host set {} {}", code(id), describe(key));
            let api = "none: no product version is served from it there";
            match (before, after) {
                (Some(_), None) => out.base(
                    ctx,
                    Rule::HostSetChanged,
                    &path,
                    format!("{what} was removed"),
                    api,
                ),
                (None, Some(_)) => out.head(
                    ctx,
                    Rule::HostSetChanged,
                    &path,
                    format!("{what} was added"),
                    api,
                ),
                _ => out.head(
                    ctx,
                    Rule::HostSetChanged,
                    &path,
                    format!("{what} changed"),
                    api,
                ),
            }
        }
    }
    if reordered(&names(base), &names(head)) {
        out.head(
            ctx,
            Rule::OrderChanged,
            &path!["hosts"],
            "host sets were reordered",
            "none: the order is not generated",
        );
    }
}

/// Every origin of a host set by (environment, data centre).
fn origins(
    defaults: &IndexMap<String, String>,
    environments: &IndexMap<String, IndexMap<String, String>>,
) -> BTreeMap<OriginKey, String> {
    let mut all = BTreeMap::new();
    for (center, origin) in defaults {
        all.insert((None, center.clone()), origin.clone());
    }
    for (environment, origins) in environments {
        for (center, origin) in origins {
            all.insert((Some(environment.clone()), center.clone()), origin.clone());
        }
    }
    all
}

/// Where an origin is written in `shared.yaml`.
fn origin_path(set: &str, key: &OriginKey) -> Vec<Segment> {
    match &key.0 {
        None => path!["hosts", set, "origins", key.1.as_str()],
        Some(environment) => path![
            "hosts",
            set,
            "environments",
            environment.as_str(),
            key.1.as_str()
        ],
    }
}

/// "in data centre `eu`" or "in environment `sandbox` of data centre `us`".
fn describe(key: &OriginKey) -> String {
    match &key.0 {
        None => format!("in data centre {}", code(&key.1)),
        Some(environment) => format!(
            "in environment {} of data centre {}",
            code(environment),
            code(&key.1)
        ),
    }
}

/// Whether a version of `spec` is served from this origin of host set `set`.
fn is_used(set: &str, key: &OriginKey, spec: &LoadedSpec) -> bool {
    spec.apis.iter().any(|file| {
        file.spec.server.hosts == set && served(&spec.shared.spec, &file.spec).contains_key(key)
    })
}

/// The versions of `spec` served from host set `set` ("crm v8").
fn users_of(set: &str, spec: &LoadedSpec) -> Vec<String> {
    spec.apis
        .iter()
        .filter(|file| file.spec.server.hosts == set)
        .map(|file| format!("{} {}", file.spec.product, file.spec.version))
        .collect()
}

/// Where a version is served: every origin by (environment, data centre), exactly as lowering
/// computes them (`ir::Api::origins` and `environment_origins`).
pub(super) fn served(shared: &SharedSpec, api: &ApiSpec) -> BTreeMap<OriginKey, String> {
    let mut all = BTreeMap::new();
    let Some(hosts) = shared.hosts.get(&api.server.hosts) else {
        return all;
    };
    let wanted: Vec<&String> = match &api.server.data_centers {
        Some(list) => list.iter().collect(),
        None => hosts.origins.keys().collect(),
    };
    for center in shared.data_centers.keys().filter(|id| wanted.contains(id)) {
        if let Some(origin) = hosts.origins.get(center) {
            all.insert((None, center.clone()), origin.clone());
        }
    }
    for (environment, origins) in &hosts.environments {
        if !api.server.environments.contains(environment) {
            continue;
        }
        for (center, origin) in origins.iter().filter(|(center, _)| wanted.contains(center)) {
            all.insert((Some(environment.clone()), center.clone()), origin.clone());
        }
    }
    all
}

pub(super) fn server(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    shared_ctx: &Ctx<'_>,
    pair: &ApiPair<'_>,
    (base, base_shared): (&ServerDef, &SharedSpec),
    (head, head_shared): (&ServerDef, &SharedSpec),
) {
    let ServerDef {
        hosts: base_hosts,
        prefix: base_prefix,
        data_centers: base_centers,
        environments: base_environments,
        note: base_note,
        provenance: base_provenance,
    } = base;
    let ServerDef {
        hosts: head_hosts,
        prefix: head_prefix,
        data_centers: head_centers,
        environments: head_environments,
        note: head_note,
        provenance: head_provenance,
    } = head;
    let label = ctx.label();
    if base_prefix != head_prefix {
        out.head(
            ctx,
            Rule::ServerPrefixChanged,
            &path!["server", "prefix"],
            format!(
                "the path prefix of {label} changed from {} to {}",
                code(base_prefix),
                code(head_prefix)
            ),
            format!(
                "every method of `{}` keeps its signature but calls URLs under {}",
                pair.names.entry,
                code(head_prefix)
            ),
        );
    }
    out.text(
        ctx,
        Rule::NoteChanged,
        &path!["server", "note"],
        &format!("the server note of {label}"),
        base_note.as_deref(),
        head_note.as_deref(),
        &format!("rustdoc of `{}`", pair.names.module),
    );
    out.provenance(
        ctx,
        &path!["server", "provenance"],
        &format!("the server provenance of {label}"),
        base_provenance.as_deref(),
        head_provenance.as_deref(),
    );

    // Where the version's own choice changed, changes point at it; otherwise at shared.yaml.
    let own_change = if base_hosts != head_hosts {
        Some("hosts")
    } else if base_centers != head_centers {
        Some("data_centers")
    } else if base_environments != head_environments {
        Some("environments")
    } else {
        None
    };
    let before = served(base_shared, pair.base);
    let after = served(head_shared, pair.head);
    let mut found = false;
    let keys: BTreeSet<&OriginKey> = before.keys().chain(after.keys()).collect();
    for key in keys {
        let (old, new) = (before.get(key), after.get(key));
        if old == new {
            continue;
        }
        found = true;
        let (place, path_base, path_head): (&Ctx<'_>, Vec<Segment>, Vec<Segment>) = match own_change
        {
            Some(field) => (ctx, path!["server", field], path!["server", field]),
            None => (
                shared_ctx,
                origin_path(base_hosts, key),
                origin_path(head_hosts, key),
            ),
        };
        let calls = calls_made(key);
        let where_ = describe(key);
        match (old, new) {
            (Some(_), None) => out.base(
                place,
                Rule::HostRemoved,
                &path_base,
                format!("{label} is no longer served {where_}"),
                format!("{calls} now fail with `Error::InvalidInput`"),
            ),
            (None, Some(origin)) => out.head(
                place,
                Rule::HostAdded,
                &path_head,
                format!("{label} is now served {where_}, at {origin}"),
                format!("{calls} now reach {origin} instead of failing with `Error::InvalidInput`"),
            ),
            (Some(old), Some(new)) => out.head(
                place,
                Rule::HostChanged,
                &path_head,
                format!("the origin of {label} {where_} changed from {old} to {new}"),
                format!("{calls} now reach {new}"),
            ),
            (None, None) => {}
        }
    }
    if let (Some(field), false) = (own_change, found) {
        out.head(
            ctx,
            Rule::ServerChanged,
            &at(&path!["server"], &[field]),
            format!(
                "the server of {label} changed (`{field}`) without changing where it is served"
            ),
            "none",
        );
    }
}

/// "calls made with `DataCenter::Eu`" or "... with `Environment::Sandbox` in `DataCenter::Us`".
fn calls_made(key: &OriginKey) -> String {
    let center = format!("`DataCenter::{}`", ident::camel(&key.1));
    match &key.0 {
        None => format!("calls made with {center}"),
        Some(environment) => format!(
            "calls made with `Environment::{}` in {center}",
            ident::camel(environment)
        ),
    }
}
