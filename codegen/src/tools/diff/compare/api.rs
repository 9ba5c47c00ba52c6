//! Product versions (one spec file each): added, removed, or compared section by section.

use super::rust::Names;
use super::{Changes, Ctx, FileRef, Lowered, composites, hosts, modules, operations, types};
use crate::ident;
use crate::ir;
use crate::load::model::ApiSpec;
use crate::load::{LoadedSpec, SpecFile};
use crate::path;
use crate::tools::diff::rules::Rule;

/// Both sides of one product version, with what the comparison needs around them.
pub(super) struct ApiPair<'a> {
    pub base: &'a ApiSpec,
    pub head: &'a ApiSpec,
    pub base_ir: Option<&'a ir::Api>,
    pub head_ir: Option<&'a ir::Api>,
    pub names: Names,
}

/// Compares every product version: matched by product and version, whatever their file names.
pub(super) fn compare_all(
    out: &mut Changes,
    base: &LoadedSpec,
    head: &LoadedSpec,
    lowered: &Lowered,
) {
    let key = |file: &SpecFile<ApiSpec>| (file.spec.product.clone(), file.spec.version.clone());
    for base_file in &base.apis {
        match head
            .apis
            .iter()
            .find(|head_file| key(head_file) == key(base_file))
        {
            Some(head_file) => compare_api(out, base, head, base_file, head_file, lowered),
            None => removed(out, base_file, head),
        }
    }
    for head_file in &head.apis {
        if !base
            .apis
            .iter()
            .any(|base_file| key(base_file) == key(head_file))
        {
            added(out, head_file, base);
        }
    }
}

fn file_ref<T>(file: &SpecFile<T>) -> FileRef<'_> {
    FileRef {
        path: &file.display_path,
        map: &file.map,
    }
}

fn entry_items(names: &Names, spec: &ApiSpec) -> String {
    format!(
        "module `{}`, type `{}` and accessor `Client::{}`",
        names.module,
        names.entry,
        ident::api_accessor(&spec.product, &spec.version)
    )
}

fn removed(out: &mut Changes, file: &SpecFile<ApiSpec>, head: &LoadedSpec) {
    let spec = &file.spec;
    let ctx = Ctx {
        product: Some(&spec.product),
        version: Some(&spec.version),
        operation: None,
        base: Some(file_ref(file)),
        head: None,
    };
    let names = Names::new(&spec.product, &spec.version);
    let mut api = format!("removes {}", entry_items(&names, spec));
    if !head
        .apis
        .iter()
        .any(|other| other.spec.product == spec.product)
    {
        api.push_str(&format!(", and module `{}` with it", spec.product));
    }
    out.base(
        &ctx,
        Rule::ApiRemoved,
        &path!["product"],
        format!("{} was removed", ctx.label()),
        api,
    );
}

fn added(out: &mut Changes, file: &SpecFile<ApiSpec>, base: &LoadedSpec) {
    let spec = &file.spec;
    let ctx = Ctx {
        product: Some(&spec.product),
        version: Some(&spec.version),
        operation: None,
        base: None,
        head: Some(file_ref(file)),
    };
    let names = Names::new(&spec.product, &spec.version);
    let mut api = format!("adds {}", entry_items(&names, spec));
    if !base
        .apis
        .iter()
        .any(|other| other.spec.product == spec.product)
    {
        api.push_str(&format!(", in a new module `{}`", spec.product));
    }
    out.head(
        &ctx,
        Rule::ApiAdded,
        &path!["product"],
        format!("{} was added", ctx.label()),
        api,
    );
}

fn lowered_api<'a>(krate: Option<&'a ir::Crate>, spec: &ApiSpec) -> Option<&'a ir::Api> {
    krate?
        .products
        .get(&spec.product)?
        .apis
        .get(&ident::version_module(&spec.version))
}

fn compare_api(
    out: &mut Changes,
    base_spec: &LoadedSpec,
    head_spec: &LoadedSpec,
    base_file: &SpecFile<ApiSpec>,
    head_file: &SpecFile<ApiSpec>,
    lowered: &Lowered,
) {
    let ctx = Ctx {
        product: Some(&head_file.spec.product),
        version: Some(&head_file.spec.version),
        operation: None,
        base: Some(file_ref(base_file)),
        head: Some(file_ref(head_file)),
    };
    let pair = ApiPair {
        base: &base_file.spec,
        head: &head_file.spec,
        base_ir: lowered_api(lowered.base.as_ref(), &base_file.spec),
        head_ir: lowered_api(lowered.head.as_ref(), &head_file.spec),
        names: Names::new(&head_file.spec.product, &head_file.spec.version),
    };
    let ApiSpec {
        product: _,
        version: _,
        title: base_title,
        doc: base_doc,
        source: base_source,
        server: base_server,
        modules: base_modules,
        module_sets: base_sets,
        types: base_types,
        operations: base_operations,
        composites: base_composites,
        notes: base_notes,
        provenance: base_provenance,
    } = pair.base;
    let ApiSpec {
        product: _,
        version: _,
        title: head_title,
        doc: head_doc,
        source: head_source,
        server: head_server,
        modules: head_modules,
        module_sets: head_sets,
        types: head_types,
        operations: head_operations,
        composites: head_composites,
        notes: head_notes,
        provenance: head_provenance,
    } = pair.head;
    let label = ctx.label();
    let module_doc = format!("rustdoc of `{}`", pair.names.module);
    out.text(
        &ctx,
        Rule::DocChanged,
        &path!["title"],
        &format!("the title of {label}"),
        Some(base_title),
        Some(head_title),
        &module_doc,
    );
    out.text(
        &ctx,
        Rule::DocChanged,
        &path!["doc"],
        &format!("the doc of {label}"),
        Some(base_doc),
        Some(head_doc),
        &module_doc,
    );
    out.text(
        &ctx,
        Rule::SourceChanged,
        &path!["source"],
        &format!("the source of {label}"),
        Some(base_source),
        Some(head_source),
        &module_doc,
    );
    out.notes(
        &ctx,
        &path!["notes"],
        &format!("the notes of {label}"),
        base_notes,
        head_notes,
        &module_doc,
    );
    out.provenance_list(
        &ctx,
        &path!["provenance"],
        &format!("the provenance of {label}"),
        base_provenance,
        head_provenance,
    );

    let shared_ctx = ctx.with_files(
        FileRef {
            path: &base_spec.shared.display_path,
            map: &base_spec.shared.map,
        },
        FileRef {
            path: &head_spec.shared.display_path,
            map: &head_spec.shared.map,
        },
    );
    hosts::server(
        out,
        &ctx,
        &shared_ctx,
        &pair,
        (base_server, &base_spec.shared.spec),
        (head_server, &head_spec.shared.spec),
    );
    modules::compare_modules(out, &ctx, &pair, base_modules, head_modules);
    modules::compare_sets(out, &ctx, &pair, base_sets, head_sets);
    types::compare(out, &ctx, &pair, base_types, head_types);
    operations::compare(out, &ctx, &pair, base_operations, head_operations);
    composites::compare(out, &ctx, &pair, base_composites, head_composites);
}
