//! A version's modules (its `Module` enum) and module sets (one enum each).

use indexmap::IndexMap;

use super::api::ApiPair;
use super::matching::{Matching, reordered};
use super::shared::{entries, names};
use super::{Changes, Ctx, at, at_index, code};
use crate::ident;
use crate::load::model::{ModuleDef, ModuleSetDef};
use crate::load::yaml::Segment;
use crate::path;
use crate::tools::diff::rules::Rule;

/// A module's variant name: the custom entry is `Custom`, the others their display name in
/// CamelCase.
fn variant(display: &str, module: Option<&ModuleDef>) -> String {
    if module.is_some_and(|module| module.custom) {
        "Custom".to_owned()
    } else {
        ident::camel(display)
    }
}

pub(super) fn compare_modules(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    pair: &ApiPair<'_>,
    base: &IndexMap<String, ModuleDef>,
    head: &IndexMap<String, ModuleDef>,
) {
    let label = ctx.label();
    let enum_path = pair.names.item("Module");
    let member = |display: &str, module: &ModuleDef| {
        let variant = variant(display, Some(module));
        if module.custom {
            format!("variant `{enum_path}::{variant}` and `{enum_path}::custom`")
        } else {
            format!("variant `{enum_path}::{variant}`")
        }
    };
    let mut matching = Matching::by_name(entries(base), entries(head));
    // A module keeps its API name when only its display name changes.
    let renamed = matching.renames(|_, module| module.api_name.clone());
    for (display, module) in &matching.removed {
        let mut api = format!("removes {}", member(display, module));
        if head.is_empty() {
            api = format!(
                "removes enum `{enum_path}`, and with it {}",
                member(display, module)
            );
        }
        out.base(
            ctx,
            Rule::ModuleRemoved,
            &path!["modules", *display],
            format!("module {} of {label} was removed", code(display)),
            api,
        );
    }
    for (display, module) in &matching.added {
        let api = if base.is_empty() {
            format!("adds enum `{enum_path}` with {}", member(display, module))
        } else {
            format!(
                "adds {} (the enum is `#[non_exhaustive]`: not breaking)",
                member(display, module)
            )
        };
        out.head(
            ctx,
            Rule::ModuleAdded,
            &path!["modules", *display],
            format!("module {} of {label} was added", code(display)),
            api,
        );
    }
    for moved in &renamed {
        let (old, new) = (
            variant(moved.base_name, Some(moved.base)),
            variant(moved.head_name, Some(moved.head)),
        );
        let here = path!["modules", moved.head_name];
        if old == new {
            out.head(
                ctx,
                Rule::DocChanged,
                &here,
                format!(
                    "the display name of module {} of {label} changed to {}",
                    code(moved.base_name),
                    code(moved.head_name)
                ),
                format!(
                    "`{enum_path}::{new}.display_name()` returns {}",
                    code(moved.head_name)
                ),
            );
        } else {
            out.head(
                ctx,
                Rule::ModuleRenamed,
                &here,
                format!(
                    "module {} of {label} was renamed to {}",
                    code(moved.base_name),
                    code(moved.head_name)
                ),
                format!("renames variant `{enum_path}::{old}` to `{enum_path}::{new}`"),
            );
        }
    }
    for matched in matching.same.iter().chain(&renamed) {
        let display = matched.head_name;
        let ModuleDef {
            api_name: base_api_name,
            scope: base_scope,
            custom: base_custom,
            note: base_note,
            provenance: base_provenance,
            // Audit's marks, not the crate's: nothing to report.
            acknowledged: _,
        } = matched.base;
        let ModuleDef {
            api_name: head_api_name,
            scope: head_scope,
            custom: head_custom,
            note: head_note,
            provenance: head_provenance,
            // Audit's marks, not the crate's: nothing to report.
            acknowledged: _,
        } = matched.head;
        let here = path!["modules", display];
        let variant_path = format!("`{enum_path}::{}`", variant(display, Some(matched.head)));
        if base_custom != head_custom {
            let unit = format!("`{enum_path}::{}`", ident::camel(display));
            let custom = format!("`{enum_path}::Custom(CustomModule)`");
            let (now, api) = if *head_custom {
                (
                    "is now",
                    format!("{unit} becomes {custom}, made by `{enum_path}::custom`"),
                )
            } else {
                (
                    "is no longer",
                    format!(
                        "{custom} becomes the unit variant {unit}, and `{enum_path}::custom` disappears"
                    ),
                )
            };
            out.head(
                ctx,
                Rule::ModuleKindChanged,
                &at(&here, &["custom"]),
                format!(
                    "module {} of {label} {now} the custom-module entry",
                    code(display)
                ),
                api,
            );
        } else if base_api_name != head_api_name {
            out.head(
                ctx,
                Rule::ModuleApiNameChanged,
                &at(&here, &["api_name"]),
                format!(
                    "the API name of module {} of {label} changed from {} to {}",
                    code(display),
                    optional(base_api_name.as_deref()),
                    optional(head_api_name.as_deref())
                ),
                format!(
                    "{variant_path} is sent as {}",
                    optional(head_api_name.as_deref())
                ),
            );
        }
        if base_scope != head_scope {
            out.head(
                ctx,
                Rule::ModuleScopeChanged,
                &at(&here, &["scope"]),
                format!("the scope name of module {} of {label} changed from {} to {}", code(display), code(base_scope), code(head_scope)),
                format!("`scope_name()` of {variant_path} returns {}; `minimal_scopes` asks for other scopes", code(head_scope)),
            );
        }
        out.text(
            ctx,
            Rule::NoteChanged,
            &at(&here, &["note"]),
            &format!("the note of module {} of {label}", code(display)),
            base_note.as_deref(),
            head_note.as_deref(),
            &format!("rustdoc of {variant_path}"),
        );
        out.provenance(
            ctx,
            &at(&here, &["provenance"]),
            &format!("the provenance of module {} of {label}", code(display)),
            base_provenance.as_deref(),
            head_provenance.as_deref(),
        );
    }
    let built_in = |map: &IndexMap<String, ModuleDef>| -> Vec<String> {
        map.iter()
            .filter(|(_, module)| !module.custom)
            .map(|(name, _)| name.clone())
            .collect()
    };
    if reordered(&built_in(base), &built_in(head)) {
        out.head(
            ctx,
            Rule::OrderChanged,
            &path!["modules"],
            format!("the modules of {label} were reordered"),
            format!("the order of `{enum_path}::BUILT_IN` and of the variants"),
        );
    }
    // The custom entry comes last, after the built-in modules in spec order.
    let variants = |map: &IndexMap<String, ModuleDef>| -> Vec<(Vec<Segment>, String)> {
        map.iter()
            .filter(|(_, module)| !module.custom)
            .map(|(display, module)| (path!["modules", display], variant(display, Some(module))))
            .collect()
    };
    let fieldless = |map: &IndexMap<String, ModuleDef>| !map.values().any(|module| module.custom);
    out.discriminants(
        ctx,
        &path!["modules"],
        &enum_path,
        &variants(base),
        fieldless(base),
        &variants(head),
        fieldless(head),
    );
}

fn optional(text: Option<&str>) -> String {
    text.map_or_else(|| "none".to_owned(), code)
}

pub(super) fn compare_sets(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    pair: &ApiPair<'_>,
    base: &IndexMap<String, ModuleSetDef>,
    head: &IndexMap<String, ModuleSetDef>,
) {
    let label = ctx.label();
    let module_enum = pair.names.item("Module");
    let matching = Matching::by_name(entries(base), entries(head));
    for (name, _) in &matching.removed {
        out.base(
            ctx,
            Rule::ModuleSetRemoved,
            &path!["module_sets", *name],
            format!("module set {} of {label} was removed", code(name)),
            format!("removes enum `{}`", pair.names.item(name)),
        );
    }
    for (name, _) in &matching.added {
        out.head(
            ctx,
            Rule::ModuleSetAdded,
            &path!["module_sets", *name],
            format!("module set {} of {label} was added", code(name)),
            format!(
                "adds enum `{}`, converting into `{module_enum}`",
                pair.names.item(name)
            ),
        );
    }
    for matched in &matching.same {
        let name = matched.head_name;
        let ModuleSetDef {
            doc: base_doc,
            source: base_source,
            modules: base_members,
            note: base_note,
            provenance: base_provenance,
        } = matched.base;
        let ModuleSetDef {
            doc: head_doc,
            source: head_source,
            modules: head_members,
            note: head_note,
            provenance: head_provenance,
        } = matched.head;
        let here = path!["module_sets", name];
        let set_enum = pair.names.item(name);
        for (index, member) in base_members.iter().enumerate() {
            if !head_members.contains(member) {
                let variant = variant(member, pair.base.modules.get(member));
                out.base(
                    ctx,
                    Rule::ModuleSetMemberRemoved,
                    &at_index(&here, "modules", index),
                    format!("module {} left module set {} of {label}", code(member), code(name)),
                    format!("removes variant `{set_enum}::{variant}`; operations taking `{set_enum}` no longer accept it"),
                );
            }
        }
        for (index, member) in head_members.iter().enumerate() {
            if !base_members.contains(member) {
                let variant = variant(member, pair.head.modules.get(member));
                out.head(
                    ctx,
                    Rule::ModuleSetMemberAdded,
                    &at_index(&here, "modules", index),
                    format!("module {} joined module set {} of {label}", code(member), code(name)),
                    format!("adds variant `{set_enum}::{variant}` (the enum is `#[non_exhaustive]`: not breaking)"),
                );
            }
        }
        if reordered(base_members, head_members) {
            out.head(
                ctx,
                Rule::OrderChanged,
                &at(&here, &["modules"]),
                format!(
                    "the modules of module set {} of {label} were reordered",
                    code(name)
                ),
                format!("the order of `{set_enum}::ALL` and of the variants"),
            );
        }
        // A set's enum lists its built-in members in the set's order, then `Custom`.
        let members = |members: &[String], modules: &IndexMap<String, ModuleDef>| {
            let custom = |member: &String| modules.get(member).is_some_and(|module| module.custom);
            let variants: Vec<(Vec<Segment>, String)> = members
                .iter()
                .enumerate()
                .filter(|(_, member)| !custom(member))
                .map(|(index, member)| {
                    (
                        at_index(&here, "modules", index),
                        variant(member, modules.get(member)),
                    )
                })
                .collect();
            (variants, !members.iter().any(custom))
        };
        let (base_variants, base_fieldless) = members(base_members, &pair.base.modules);
        let (head_variants, head_fieldless) = members(head_members, &pair.head.modules);
        out.discriminants(
            ctx,
            &here,
            &set_enum,
            &base_variants,
            base_fieldless,
            &head_variants,
            head_fieldless,
        );
        let docs = format!("rustdoc of `{set_enum}`");
        out.texts(
            ctx,
            &here,
            &format!("module set {} of {label}", code(name)),
            &docs,
            &[
                ("doc", Some(base_doc), Some(head_doc)),
                ("source", Some(base_source), Some(head_source)),
                ("note", base_note.as_deref(), head_note.as_deref()),
            ],
        );
        out.provenance(
            ctx,
            &at(&here, &["provenance"]),
            &format!("the provenance of module set {} of {label}", code(name)),
            base_provenance.as_deref(),
            head_provenance.as_deref(),
        );
    }
    if reordered(&names(base), &names(head)) {
        out.head(
            ctx,
            Rule::OrderChanged,
            &path!["module_sets"],
            format!("the module sets of {label} were reordered"),
            "none: module sets are generated in name order",
        );
    }
}
