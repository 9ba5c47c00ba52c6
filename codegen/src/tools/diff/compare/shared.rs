//! `shared.yaml`: the crate, products, data centres, environments, host sets, auth, the error
//! envelope and the error catalogue.
//!
//! Host sets are compared in `hosts`, with where each version is served.

use indexmap::IndexMap;

use super::matching::{Matching, reordered};
use super::{Changes, Ctx, FileRef, at, code, hosts};
use crate::ident;
use crate::load::LoadedSpec;
use crate::load::model::{
    AuthDef, CrateInfo, DataCenterDef, EnvelopeDef, EnvironmentDef, KeyDef, ProductDef,
    SharedErrorDef, SharedSpec,
};
use crate::load::yaml::Segment;
use crate::path;
use crate::tools::diff::rules::Rule;

pub(super) fn compare(out: &mut Changes, base: &LoadedSpec, head: &LoadedSpec) {
    let ctx = Ctx {
        product: None,
        version: None,
        operation: None,
        base: Some(FileRef {
            path: &base.shared.display_path,
            map: &base.shared.map,
        }),
        head: Some(FileRef {
            path: &head.shared.display_path,
            map: &head.shared.map,
        }),
    };
    let SharedSpec {
        crate_info: base_crate,
        products: base_products,
        data_centers: base_centers,
        environments: base_environments,
        hosts: base_hosts,
        auth: base_auth,
        error_envelope: base_envelope,
        errors: base_errors,
    } = &base.shared.spec;
    let SharedSpec {
        crate_info: head_crate,
        products: head_products,
        data_centers: head_centers,
        environments: head_environments,
        hosts: head_hosts,
        auth: head_auth,
        error_envelope: head_envelope,
        errors: head_errors,
    } = &head.shared.spec;
    crate_info(out, &ctx, base_crate, head_crate);
    products(out, &ctx, base_products, head_products, base, head);
    data_centers(out, &ctx, base_centers, head_centers);
    environments(out, &ctx, base_environments, head_environments);
    hosts::host_sets(out, &ctx, base_hosts, head_hosts, base, head);
    auth(out, &ctx, base_auth, head_auth);
    envelope(out, &ctx, base_envelope, head_envelope);
    catalogue(out, &ctx, base_errors, head_errors);
}

fn crate_info(out: &mut Changes, ctx: &Ctx<'_>, base: &CrateInfo, head: &CrateInfo) {
    let CrateInfo {
        name: base_name,
        version: base_version,
        description: base_description,
        doc: base_doc,
    } = base;
    let CrateInfo {
        name: head_name,
        version: head_version,
        description: head_description,
        doc: head_doc,
    } = head;
    if base_name != head_name {
        out.head(
            ctx,
            Rule::CrateRenamed,
            &path!["crate", "name"],
            format!(
                "crate.name changed from {} to {}",
                code(base_name),
                code(head_name)
            ),
            format!(
                "the package is renamed: dependents must replace {} with {} in their Cargo.toml",
                code(base_name),
                code(head_name)
            ),
        );
    }
    if base_version != head_version {
        out.head(
            ctx,
            Rule::CrateVersionChanged,
            &path!["crate", "version"],
            format!("crate.version changed from {base_version} to {head_version}"),
            "none: the release's version (see the semver verdict)",
        );
    }
    out.text(
        ctx,
        Rule::DocChanged,
        &path!["crate", "description"],
        "crate.description",
        Some(base_description),
        Some(head_description),
        "the package description",
    );
    out.text(
        ctx,
        Rule::DocChanged,
        &path!["crate", "doc"],
        "crate.doc",
        Some(base_doc),
        Some(head_doc),
        "the crate-level rustdoc",
    );
}

fn products(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    base: &IndexMap<String, ProductDef>,
    head: &IndexMap<String, ProductDef>,
    base_spec: &LoadedSpec,
    head_spec: &LoadedSpec,
) {
    let has_versions = |spec: &LoadedSpec, product: &str| {
        spec.apis.iter().any(|file| file.spec.product == product)
    };
    let matching = Matching::by_name(entries(base), entries(head));
    for (id, _) in &matching.removed {
        let api = if has_versions(base_spec, id) {
            format!("removes module `zoho_attachments::{id}` with its versions (reported apart)")
        } else {
            "none: no version of it was specified".to_owned()
        };
        out.base(
            ctx,
            Rule::ProductRemoved,
            &path!["products", *id],
            format!("product {} was removed", code(id)),
            api,
        );
    }
    for (id, _) in &matching.added {
        let api = if has_versions(head_spec, id) {
            format!("adds module `zoho_attachments::{id}` with its versions (reported apart)")
        } else {
            "none until a version of it is specified".to_owned()
        };
        out.head(
            ctx,
            Rule::ProductAdded,
            &path!["products", *id],
            format!("product {} was added", code(id)),
            api,
        );
    }
    for pair in &matching.same {
        let id = pair.head_name;
        let ProductDef {
            name: base_name,
            doc: base_doc,
            source: base_source,
        } = pair.base;
        let ProductDef {
            name: head_name,
            doc: head_doc,
            source: head_source,
        } = pair.head;
        let module = format!("rustdoc of `zoho_attachments::{id}`");
        let here = path!["products", id];
        out.texts(
            ctx,
            &here,
            &format!("product {}", code(id)),
            &module,
            &[
                ("name", Some(base_name), Some(head_name)),
                ("doc", Some(base_doc), Some(head_doc)),
                ("source", Some(base_source), Some(head_source)),
            ],
        );
    }
    let (base_order, head_order) = (names(base), names(head));
    if reordered(&base_order, &head_order) {
        out.head(
            ctx,
            Rule::OrderChanged,
            &path!["products"],
            "products were reordered",
            "none: products are generated in name order",
        );
    }
}

fn data_centers(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    base: &IndexMap<String, DataCenterDef>,
    head: &IndexMap<String, DataCenterDef>,
) {
    let variant = |id: &str| format!("`DataCenter::{}`", ident::camel(id));
    let matching = Matching::by_name(entries(base), entries(head));
    for (id, _) in &matching.removed {
        out.base(
            ctx,
            Rule::DataCenterRemoved,
            &path!["data_centers", *id],
            format!("data centre {} was removed", code(id)),
            format!("removes variant {}", variant(id)),
        );
    }
    for (id, _) in &matching.added {
        out.head(
            ctx,
            Rule::DataCenterAdded,
            &path!["data_centers", *id],
            format!("data centre {} was added", code(id)),
            format!(
                "adds variant {} (the enum is `#[non_exhaustive]`: not breaking)",
                variant(id)
            ),
        );
    }
    for pair in &matching.same {
        let id = pair.head_name;
        let DataCenterDef {
            name: base_name,
            accounts: base_accounts,
            source: base_source,
            note: base_note,
            provenance: base_provenance,
        } = pair.base;
        let DataCenterDef {
            name: head_name,
            accounts: head_accounts,
            source: head_source,
            note: head_note,
            provenance: head_provenance,
        } = pair.head;
        let here = path!["data_centers", id];
        if base_accounts != head_accounts {
            out.head(
                ctx,
                Rule::DataCenterAccountsChanged,
                &at(&here, &["accounts"]),
                format!(
                    "the accounts server of data centre {} changed from {base_accounts} to {head_accounts}",
                    code(id)
                ),
                format!(
                    "`{}.accounts_url()` returns {head_accounts}: tokens are issued and refreshed there",
                    variant(id).trim_matches('`')
                ),
            );
        }
        out.text(
            ctx,
            Rule::DocChanged,
            &at(&here, &["name"]),
            &format!("the name of data centre {}", code(id)),
            Some(base_name),
            Some(head_name),
            &format!(
                "`{}.name()` returns {}",
                variant(id).trim_matches('`'),
                code(head_name)
            ),
        );
        let docs = format!("rustdoc of {}", variant(id));
        out.texts(
            ctx,
            &here,
            &format!("data centre {}", code(id)),
            &docs,
            &[
                ("source", Some(base_source), Some(head_source)),
                ("note", base_note.as_deref(), head_note.as_deref()),
            ],
        );
        out.provenance(
            ctx,
            &at(&here, &["provenance"]),
            &format!("the provenance of data centre {}", code(id)),
            base_provenance.as_deref(),
            head_provenance.as_deref(),
        );
    }
    if reordered(&names(base), &names(head)) {
        out.head(
            ctx,
            Rule::OrderChanged,
            &path!["data_centers"],
            "data centres were reordered",
            "the order of `DataCenter::ALL` and of the variants",
        );
    }
    let variants = |map: &IndexMap<String, DataCenterDef>| -> Vec<(Vec<Segment>, String)> {
        map.keys()
            .map(|id| (path!["data_centers", id], ident::camel(id)))
            .collect()
    };
    out.discriminants(
        ctx,
        &path!["data_centers"],
        "DataCenter",
        &variants(base),
        true,
        &variants(head),
        true,
    );
}

fn environments(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    base: &IndexMap<String, EnvironmentDef>,
    head: &IndexMap<String, EnvironmentDef>,
) {
    let variant = |id: &str| format!("`Environment::{}`", ident::camel(id));
    let matching = Matching::by_name(entries(base), entries(head));
    for (id, _) in &matching.removed {
        let api = if head.is_empty() {
            format!("removes variant {} and the `Environment` enum", variant(id))
        } else {
            format!("removes variant {}", variant(id))
        };
        out.base(
            ctx,
            Rule::EnvironmentRemoved,
            &path!["environments", *id],
            format!("environment {} was removed", code(id)),
            api,
        );
    }
    for (id, _) in &matching.added {
        let api = if base.is_empty() {
            format!("adds the `Environment` enum with variant {}", variant(id))
        } else {
            format!(
                "adds variant {} (the enum is `#[non_exhaustive]`: not breaking)",
                variant(id)
            )
        };
        out.head(
            ctx,
            Rule::EnvironmentAdded,
            &path!["environments", *id],
            format!("environment {} was added", code(id)),
            api,
        );
    }
    for pair in &matching.same {
        let id = pair.head_name;
        let EnvironmentDef {
            name: base_name,
            doc: base_doc,
            source: base_source,
            default: base_default,
        } = pair.base;
        let EnvironmentDef {
            name: head_name,
            doc: head_doc,
            source: head_source,
            default: head_default,
        } = pair.head;
        let here = path!["environments", id];
        if base_default != head_default {
            let now = if *head_default {
                "is now"
            } else {
                "is no longer"
            };
            out.head(
                ctx,
                Rule::EnvironmentDefaultChanged,
                &at(&here, &["default"]),
                format!("environment {} {now} the default", code(id)),
                "clients built without `.environment(..)` reach another environment's hosts",
            );
        }
        let docs = format!("rustdoc of {}", variant(id));
        out.texts(
            ctx,
            &here,
            &format!("environment {}", code(id)),
            &docs,
            &[
                ("name", Some(base_name), Some(head_name)),
                ("doc", Some(base_doc), Some(head_doc)),
                ("source", Some(base_source), Some(head_source)),
            ],
        );
    }
    if reordered(&names(base), &names(head)) {
        out.head(
            ctx,
            Rule::OrderChanged,
            &path!["environments"],
            "environments were reordered",
            "the order of the `Environment` variants",
        );
    }
    let variants = |map: &IndexMap<String, EnvironmentDef>| -> Vec<(Vec<Segment>, String)> {
        map.keys()
            .map(|id| (path!["environments", id], ident::camel(id)))
            .collect()
    };
    out.discriminants(
        ctx,
        &path!["environments"],
        "Environment",
        &variants(base),
        true,
        &variants(head),
        true,
    );
}

fn auth(out: &mut Changes, ctx: &Ctx<'_>, base: &AuthDef, head: &AuthDef) {
    let AuthDef {
        header: base_header,
        scheme: base_scheme,
        doc: base_doc,
        source: base_source,
    } = base;
    let AuthDef {
        header: head_header,
        scheme: head_scheme,
        doc: head_doc,
        source: head_source,
    } = head;
    let runtime =
        "none in generated code: `zoho-runtime` writes the header by hand; check it agrees";
    if base_header != head_header {
        out.head(
            ctx,
            Rule::AuthChanged,
            &path!["auth", "header"],
            format!(
                "the auth header changed from {} to {}",
                code(base_header),
                code(head_header)
            ),
            runtime,
        );
    }
    if base_scheme != head_scheme {
        out.head(
            ctx,
            Rule::AuthChanged,
            &path!["auth", "scheme"],
            format!(
                "the auth scheme changed from {} to {}",
                code(base_scheme),
                code(head_scheme)
            ),
            runtime,
        );
    }
    out.text(
        ctx,
        Rule::DocChanged,
        &path!["auth", "doc"],
        "the doc of auth",
        Some(base_doc),
        Some(head_doc),
        "rustdoc of `Client`",
    );
    out.text(
        ctx,
        Rule::SourceChanged,
        &path!["auth", "source"],
        "the source of auth",
        Some(base_source),
        Some(head_source),
        "none: documentation of the spec only",
    );
}

fn envelope(out: &mut Changes, ctx: &Ctx<'_>, base: &EnvelopeDef, head: &EnvelopeDef) {
    let EnvelopeDef {
        doc: base_doc,
        source: base_source,
        keys: base_keys,
    } = base;
    let EnvelopeDef {
        doc: head_doc,
        source: head_source,
        keys: head_keys,
    } = head;
    let docs = "none: documentation of the spec only";
    out.text(
        ctx,
        Rule::DocChanged,
        &path!["error_envelope", "doc"],
        "the doc of the error envelope",
        Some(base_doc),
        Some(head_doc),
        docs,
    );
    out.text(
        ctx,
        Rule::SourceChanged,
        &path!["error_envelope", "source"],
        "the source of the error envelope",
        Some(base_source),
        Some(head_source),
        docs,
    );
    let runtime =
        "none in generated code: `zoho_runtime::ServiceError` decodes the envelope by hand";
    let matching = Matching::by_name(entries(base_keys), entries(head_keys));
    for (key, _) in &matching.removed {
        out.base(
            ctx,
            Rule::ErrorEnvelopeChanged,
            &path!["error_envelope", "keys", *key],
            format!("key {} of the error envelope was removed", code(key)),
            runtime,
        );
    }
    for (key, _) in &matching.added {
        out.head(
            ctx,
            Rule::ErrorEnvelopeChanged,
            &path!["error_envelope", "keys", *key],
            format!("key {} of the error envelope was added", code(key)),
            runtime,
        );
    }
    for pair in &matching.same {
        if !same_key(pair.base, pair.head) {
            out.head(
                ctx,
                Rule::ErrorEnvelopeChanged,
                &path!["error_envelope", "keys", pair.head_name],
                format!("key {} of the error envelope changed", code(pair.head_name)),
                runtime,
            );
        }
        out.provenance(
            ctx,
            &path!["error_envelope", "keys", pair.head_name, "provenance"],
            &format!(
                "the provenance of key {} of the error envelope",
                code(pair.head_name)
            ),
            pair.base.provenance.as_deref(),
            pair.head.provenance.as_deref(),
        );
    }
    if reordered(&names(base_keys), &names(head_keys)) {
        out.head(
            ctx,
            Rule::OrderChanged,
            &path!["error_envelope", "keys"],
            "the keys of the error envelope were reordered",
            docs,
        );
    }
}

/// Whether two keys say the same in every field the docs print (provenance is reported apart).
fn same_key(base: &KeyDef, head: &KeyDef) -> bool {
    let KeyDef {
        ty,
        doc,
        required,
        nullable,
        undocumented,
        tolerant,
        rust_name,
        default,
        note,
        provenance: _,
        // Audit's marks, not the crate's: nothing to report.
        acknowledged: _,
    } = base;
    (
        ty,
        doc,
        required,
        nullable,
        undocumented,
        tolerant,
        rust_name,
        default,
        note,
    ) == (
        &head.ty,
        &head.doc,
        &head.required,
        &head.nullable,
        &head.undocumented,
        &head.tolerant,
        &head.rust_name,
        &head.default,
        &head.note,
    )
}

fn catalogue(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    base: &IndexMap<String, SharedErrorDef>,
    head: &IndexMap<String, SharedErrorDef>,
) {
    let none = "none by itself: operations change through their own error rows";
    let matching = Matching::by_name(entries(base), entries(head));
    for (error, _) in &matching.removed {
        out.base(
            ctx,
            Rule::ErrorCatalogueChanged,
            &path!["errors", *error],
            format!("error code {} was removed from shared.yaml", code(error)),
            none,
        );
    }
    for (error, _) in &matching.added {
        out.head(
            ctx,
            Rule::ErrorCatalogueChanged,
            &path!["errors", *error],
            format!("error code {} was added to shared.yaml", code(error)),
            none,
        );
    }
    for pair in &matching.same {
        let error = pair.head_name;
        let SharedErrorDef {
            status: base_status,
            other_statuses: base_others,
            doc: base_doc,
            note: base_note,
            provenance: base_provenance,
        } = pair.base;
        let SharedErrorDef {
            status: head_status,
            other_statuses: head_others,
            doc: head_doc,
            note: head_note,
            provenance: head_provenance,
        } = pair.head;
        let here = path!["errors", error];
        if (base_status, base_others) != (head_status, head_others) {
            out.head(
                ctx,
                Rule::ErrorCatalogueChanged,
                &at(&here, &["status"]),
                format!(
                    "the statuses of error code {} in shared.yaml changed from {} to {}",
                    code(error),
                    statuses(*base_status, base_others),
                    statuses(*head_status, head_others)
                ),
                none,
            );
        }
        let docs = "none: documentation of the spec only";
        out.texts(
            ctx,
            &here,
            &format!("error code {} in shared.yaml", code(error)),
            docs,
            &[
                ("doc", Some(base_doc), Some(head_doc)),
                ("note", base_note.as_deref(), head_note.as_deref()),
            ],
        );
        out.provenance(
            ctx,
            &at(&here, &["provenance"]),
            &format!(
                "the provenance of error code {} in shared.yaml",
                code(error)
            ),
            base_provenance.as_deref(),
            head_provenance.as_deref(),
        );
    }
    if reordered(&names(base), &names(head)) {
        out.head(
            ctx,
            Rule::OrderChanged,
            &path!["errors"],
            "the error codes of shared.yaml were reordered",
            "none: documentation of the spec only",
        );
    }
}

fn statuses(status: u16, others: &[u16]) -> String {
    let mut all = vec![status.to_string()];
    all.extend(others.iter().map(u16::to_string));
    all.join("/")
}

/// A map's entries with `&str` names, for [`Matching`].
pub(super) fn entries<V>(map: &IndexMap<String, V>) -> impl Iterator<Item = (&str, &V)> {
    map.iter().map(|(name, value)| (name.as_str(), value))
}

/// A map's names in order.
pub(super) fn names<V>(map: &IndexMap<String, V>) -> Vec<&str> {
    map.keys().map(String::as_str).collect()
}
