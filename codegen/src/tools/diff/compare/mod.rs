//! The comparison of two specs, section by section.
//!
//! Each model type is destructured field by field on both sides (never with `..`), so a field
//! added to `spec::model` does not compile until the comparison handles it. Locations come from
//! the files' source maps: HEAD for what exists there, BASE for what was removed. Rust names come
//! from `ident` (the generator's naming rules) and Rust types from the IR's mapping
//! (`ir::RustType`, `ir::ParamInput`, `ir::PartInput`); what only lowering knows (derives,
//! boxed fields, request types, body shapes) comes from `ir::lower`, when a side lowers.

mod api;
mod body;
mod composites;
mod enums;
mod errors;
mod hosts;
mod limits;
mod matching;
mod modules;
mod operations;
mod params;
mod parts;
mod response;
mod rust;
mod scopes;
mod shared;
mod types;

use super::change::{self, Change, Position, Side};
use super::rules::Rule;
use crate::ir;
use crate::load::LoadedSpec;
use crate::load::yaml::{Segment, SourceMap};

/// Every difference between `base` and `head`, sorted for reports.
pub fn compare(base: &LoadedSpec, head: &LoadedSpec) -> Vec<Change> {
    let lowered = Lowered {
        base: ir::lower(base).ok(),
        head: ir::lower(head).ok(),
    };
    let mut out = Changes::default();
    shared::compare(&mut out, base, head);
    api::compare_all(&mut out, base, head, &lowered);
    let mut changes = out.list;
    change::sort(&mut changes);
    changes
}

/// Both sides lowered, when they lower (a validated spec always does).
struct Lowered {
    base: Option<ir::Crate>,
    head: Option<ir::Crate>,
}

/// A spec file as the comparison points into it.
#[derive(Clone, Copy)]
struct FileRef<'a> {
    path: &'a str,
    map: &'a SourceMap,
}

impl FileRef<'_> {
    fn position(&self, side: Side, path: &[Segment]) -> Position {
        Position {
            side,
            file: self.path.to_owned(),
            location: self.map.key(path),
        }
    }
}

/// Where changes are being looked for: which product, version and operation, in which files.
#[derive(Clone, Copy)]
struct Ctx<'a> {
    product: Option<&'a str>,
    version: Option<&'a str>,
    operation: Option<&'a str>,
    base: Option<FileRef<'a>>,
    head: Option<FileRef<'a>>,
}

impl<'a> Ctx<'a> {
    /// The same place, inside operation `name`.
    fn in_operation(self, name: &'a str) -> Self {
        Ctx {
            operation: Some(name),
            ..self
        }
    }

    /// The same product and version, pointing into other files (e.g. `shared.yaml`).
    fn with_files(self, base: FileRef<'a>, head: FileRef<'a>) -> Self {
        Ctx {
            base: Some(base),
            head: Some(head),
            ..self
        }
    }

    /// `crm v8 `list_attachments``, `crm v8`, or `the crate` for shared facts: what messages name.
    fn label(&self) -> String {
        let version = match (self.product, self.version) {
            (Some(product), Some(version)) => format!("{product} {version}"),
            _ => return "the crate".to_owned(),
        };
        match self.operation {
            Some(operation) => format!("{version} `{operation}`"),
            None => version,
        }
    }
}

/// The changes found so far.
#[derive(Default)]
struct Changes {
    list: Vec<Change>,
}

impl Changes {
    /// A change located at `path` in HEAD.
    fn head(
        &mut self,
        ctx: &Ctx<'_>,
        rule: Rule,
        path: &[Segment],
        message: impl Into<String>,
        api: impl Into<String>,
    ) {
        let at = match (ctx.head, ctx.base) {
            (Some(head), _) => head.position(Side::Head, path),
            (None, Some(base)) => base.position(Side::Base, path),
            (None, None) => return,
        };
        self.push(ctx, rule, at, None, message.into(), api.into());
    }

    /// A removal located at `path` in BASE, anchored at the nearest place that still exists in
    /// HEAD's file.
    fn base(
        &mut self,
        ctx: &Ctx<'_>,
        rule: Rule,
        path: &[Segment],
        message: impl Into<String>,
        api: impl Into<String>,
    ) {
        let Some(base) = ctx.base else {
            return self.head(ctx, rule, path, message, api);
        };
        let anchor = ctx.head.map(|head| head.position(Side::Head, path));
        let at = base.position(Side::Base, path);
        self.push(ctx, rule, at, anchor, message.into(), api.into());
    }

    fn push(
        &mut self,
        ctx: &Ctx<'_>,
        rule: Rule,
        at: Position,
        anchor: Option<Position>,
        message: String,
        api: String,
    ) {
        self.list.push(Change {
            rule,
            product: ctx.product.map(str::to_owned),
            version: ctx.version.map(str::to_owned),
            operation: ctx.operation.map(str::to_owned),
            at,
            anchor,
            message,
            api,
        });
    }

    /// Reports `discriminant-changed` for `enum_path`, a public enum whose variants are listed
    /// in declaration order on each side (where each is in the spec, Rust variant), when it had
    /// no field in BASE (so callers may cast it with `as`) and a variant both sides have moved,
    /// or HEAD gives it a variant with a field (reported at `here`).
    #[allow(clippy::too_many_arguments)] // each is one fact of the enum
    fn discriminants(
        &mut self,
        ctx: &Ctx<'_>,
        here: &[Segment],
        enum_path: &str,
        base: &[(Vec<Segment>, String)],
        base_fieldless: bool,
        head: &[(Vec<Segment>, String)],
        head_fieldless: bool,
    ) {
        if base.is_empty() || head.is_empty() || !base_fieldless {
            return;
        }
        if !head_fieldless {
            self.head(
                ctx,
                Rule::DiscriminantChanged,
                here,
                format!("`{enum_path}` gained a variant with a field"),
                format!("`{enum_path}::<variant> as isize` no longer compiles"),
            );
            return;
        }
        let variants = |side: &[(Vec<Segment>, String)]| -> Vec<String> {
            side.iter().map(|(_, variant)| variant.clone()).collect()
        };
        let head_variants = variants(head);
        let moved = matching::moved(&variants(base), &head_variants);
        let Some(&(first, _, _)) = moved.first() else {
            return;
        };
        let spec_path = head
            .iter()
            .find(|(_, variant)| variant == first)
            .map_or(here, |(path, _)| path.as_slice());
        let list = moved
            .iter()
            .map(|(variant, before, now)| format!("`{variant}` {before} → {now}"))
            .collect::<Vec<_>>()
            .join(", ");
        let (_, before, now) = moved[0];
        self.head(
            ctx,
            Rule::DiscriminantChanged,
            spec_path,
            format!("the implicit discriminants of `{enum_path}` changed: {list}"),
            format!(
                "`{enum_path}::{first} as isize` is {now} instead of {before}: the enum has no fields, so callers may cast it"
            ),
        );
    }

    /// Reports `rule` at `path` in HEAD when a text differs: "`what` changed" (or was added or
    /// removed).
    #[allow(clippy::too_many_arguments)] // each is one fact of the message
    fn text<B: AsRef<str>, H: AsRef<str>>(
        &mut self,
        ctx: &Ctx<'_>,
        rule: Rule,
        path: &[Segment],
        what: &str,
        base: Option<B>,
        head: Option<H>,
        api: &str,
    ) {
        let base = base.as_ref().map(AsRef::as_ref);
        let head = head.as_ref().map(AsRef::as_ref);
        match (base, head) {
            (Some(base), Some(head)) if base != head => {
                self.head(ctx, rule, path, format!("{what} changed"), api);
            }
            (None, Some(_)) => self.head(ctx, rule, path, format!("{what} was added"), api),
            (Some(_), None) => self.base(ctx, rule, path, format!("{what} was removed"), api),
            _ => {}
        }
    }

    /// Compares the text fields of one spec entry at `here`, a row each, every one reported
    /// as "the KEY of SUBJECT" with the same effect on the generated crate.
    fn texts(
        &mut self,
        ctx: &Ctx<'_>,
        here: &[Segment],
        subject: &str,
        api: &str,
        fields: &[TextField<'_>],
    ) {
        for &(key, base, head) in fields {
            self.text(
                ctx,
                text_rule(key),
                &at(here, &[key]),
                &format!("the {key} of {subject}"),
                base,
                head,
                api,
            );
        }
    }

    /// Reports a changed list of notes (file or operation `notes:`) as one change.
    fn notes(
        &mut self,
        ctx: &Ctx<'_>,
        path: &[Segment],
        what: &str,
        base: &[String],
        head: &[String],
        api: &str,
    ) {
        if base != head {
            self.head(ctx, Rule::NoteChanged, path, format!("{what} changed"), api);
        }
    }
}

/// A text field of a spec entry: its key, base and head. The key says which rule a change
/// falls under: `source` and `note` have rules of their own, every other text is docs.
type TextField<'a> = (&'static str, Option<&'a str>, Option<&'a str>);

fn text_rule(key: &str) -> Rule {
    match key {
        "source" => Rule::SourceChanged,
        "note" => Rule::NoteChanged,
        _ => Rule::DocChanged,
    }
}

/// What a change of provenance does to the generated crate: nothing, it is never printed.
const PROVENANCE_API: &str = "none: provenance is never printed into the generated crate";

impl Changes {
    /// Reports a changed provenance text (`provenance`, an error row's `recovered_from`).
    fn provenance<B: AsRef<str>, H: AsRef<str>>(
        &mut self,
        ctx: &Ctx<'_>,
        path: &[Segment],
        what: &str,
        base: Option<B>,
        head: Option<H>,
    ) {
        self.text(
            ctx,
            Rule::ProvenanceChanged,
            path,
            what,
            base,
            head,
            PROVENANCE_API,
        );
    }

    /// Reports a changed list of provenance texts (beside `notes:`) as one change.
    fn provenance_list(
        &mut self,
        ctx: &Ctx<'_>,
        path: &[Segment],
        what: &str,
        base: &[String],
        head: &[String],
    ) {
        if base != head {
            let message = format!("{what} changed");
            self.head(ctx, Rule::ProvenanceChanged, path, message, PROVENANCE_API);
        }
    }
}

/// `path![...]` with a base path in front.
fn at(base: &[Segment], rest: &[&str]) -> Vec<Segment> {
    let mut path = base.to_vec();
    path.extend(rest.iter().map(|key| Segment::from(*key)));
    path
}

/// `base.key[index]`.
fn at_index(base: &[Segment], key: &str, index: usize) -> Vec<Segment> {
    let mut path = at(base, &[key]);
    path.push(Segment::Index(index));
    path
}

/// `` `text` ``.
fn code(text: impl std::fmt::Display) -> String {
    format!("`{text}`")
}
