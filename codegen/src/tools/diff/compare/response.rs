//! Answers: what `send` returns (a JSON object, a JSON list, a file, each possibly `Option`
//! for a body-less success), and paging.

use super::operations::OperationPair;
use super::{Changes, Ctx, at, code};
use crate::ir;
use crate::load::model::{EmptyDef, EmptyYield, OutcomesDef, PagingDef, ResponseDef};
use crate::load::parsed::{Parsed, ResponseType};
use crate::load::type_expr::TypeExpr;
use crate::tools::diff::rules::Rule;

/// What a response type is.
#[derive(PartialEq, Eq)]
enum Kind {
    Object(String),
    List(String),
    File,
    Unknown(String),
}

impl Kind {
    fn of(ty: &Parsed<ResponseType>) -> Kind {
        match ty.get() {
            Some(ResponseType::Binary) => Kind::File,
            Some(ResponseType::Json(TypeExpr::Named(name))) => Kind::Object(name.clone()),
            Some(ResponseType::Json(TypeExpr::List(inner))) => match inner.named() {
                Some(name) => Kind::List(name.to_owned()),
                None => Kind::Unknown(ty.text().to_owned()),
            },
            _ => Kind::Unknown(ty.text().to_owned()),
        }
    }

    fn word(&self) -> &'static str {
        match self {
            Kind::Object(_) => "a JSON object",
            Kind::List(_) => "a JSON list",
            Kind::File => "a file",
            Kind::Unknown(_) => "an unknown kind",
        }
    }

    fn rust(&self, op: &OperationPair<'_>) -> String {
        match self {
            Kind::Object(name) => op.names.item(name),
            Kind::List(name) => format!("Vec<{}>", op.names.item(name)),
            Kind::File => "Download".to_owned(),
            Kind::Unknown(ty) => ty.clone(),
        }
    }
}

fn gives_none(empty: Option<&EmptyDef>) -> bool {
    empty.is_some_and(|empty| empty.yields == EmptyYield::None)
}

/// `send`'s success type; `ir` is the side's lowered API, which names an outcome's type.
fn result_type(
    op: &OperationPair<'_>,
    kind: &Kind,
    empty: Option<&EmptyDef>,
    outcomes: Option<&OutcomesDef>,
    ir: Option<&ir::Api>,
) -> String {
    if outcomes.is_some_and(|outcomes| outcomes.per.is_some()) {
        let item = ir
            .and_then(|api| api.operations.get(op.name))
            .and_then(|lowered| lowered.response.outcomes.as_ref()?.per_item.as_ref())
            .map_or_else(
                || "_".to_owned(),
                |per_item| op.names.item(&per_item.item_type),
            );
        return format!(
            "Outcomes<{item}, {}>",
            op.names.error_enum(op.name).trim_matches('`')
        );
    }
    let base = kind.rust(op);
    if gives_none(empty) {
        format!("Option<{base}>")
    } else {
        base
    }
}

pub(super) fn compare(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    op: &OperationPair<'_>,
    base: &ResponseDef,
    head: &ResponseDef,
) {
    let ResponseDef {
        status: base_status,
        ty: base_ty,
        content_types: base_content_types,
        empty: base_empty,
        outcomes: base_outcomes,
        note: base_note,
        provenance: base_provenance,
    } = base;
    let ResponseDef {
        status: head_status,
        ty: head_ty,
        content_types: head_content_types,
        empty: head_empty,
        outcomes: head_outcomes,
        note: head_note,
        provenance: head_provenance,
    } = head;
    let label = ctx.label();
    let here = op.at(&["response"]);
    let send = format!("`{}::send`", op.names.builder(op.name).trim_matches('`'));
    let (old_kind, new_kind) = (Kind::of(base_ty), Kind::of(head_ty));
    let (old_result, new_result) = (
        result_type(
            op,
            &old_kind,
            base_empty.as_ref(),
            base_outcomes.as_ref(),
            op.base_ir,
        ),
        result_type(
            op,
            &new_kind,
            head_empty.as_ref(),
            head_outcomes.as_ref(),
            op.head_ir,
        ),
    );
    let returns = format!("{send} returns `{new_result}` instead of `{old_result}`");
    if std::mem::discriminant(&old_kind) != std::mem::discriminant(&new_kind) {
        out.head(
            ctx,
            Rule::ResponseKindChanged,
            &at(&here, &["type"]),
            format!(
                "the answer of {label} is now {} ({}) instead of {} ({})",
                new_kind.word(),
                code(head_ty),
                old_kind.word(),
                code(base_ty)
            ),
            returns.clone(),
        );
    } else if old_kind != new_kind {
        out.head(
            ctx,
            Rule::ResponseTypeChanged,
            &at(&here, &["type"]),
            format!(
                "the answer type of {label} changed from {} to {}",
                code(base_ty),
                code(head_ty)
            ),
            returns.clone(),
        );
    }
    if gives_none(base_empty.as_ref()) != gives_none(head_empty.as_ref()) {
        let now = if gives_none(head_empty.as_ref()) {
            "now gives"
        } else {
            "no longer gives"
        };
        out.head(
            ctx,
            Rule::ResponseOptionalityChanged,
            &at(&here, &["empty"]),
            format!("a body-less success of {label} {now} `None`"),
            returns.clone(),
        );
    } else if let Some(message) = empty_change(base_empty.as_ref(), head_empty.as_ref()) {
        out.head(
            ctx,
            Rule::EmptyResponseChanged,
            &at(&here, &["empty"]),
            format!("{message} for {label}"),
            format!(
                "{send} still returns `{new_result}`; what an answer without a body gives changes"
            ),
        );
    }
    if let (Some(old), Some(new)) = (base_empty, head_empty) {
        let EmptyDef {
            status: _,
            yields: _,
            doc: base_doc,
        } = old;
        let EmptyDef {
            status: _,
            yields: _,
            doc: head_doc,
        } = new;
        out.text(
            ctx,
            Rule::DocChanged,
            &at(&here, &["empty", "doc"]),
            &format!("the doc of the body-less success of {label}"),
            Some(base_doc),
            Some(head_doc),
            &format!("rustdoc of {}", op.names.method(op.name)),
        );
    }
    if base_status != head_status {
        out.head(
            ctx,
            Rule::ResponseStatusChanged,
            &at(&here, &["status"]),
            format!("the success status of {label} changed from {base_status} to {head_status}"),
            format!("none: {send} accepts any 2xx; the fake server answers {head_status}"),
        );
    }
    if base_content_types != head_content_types {
        out.head(
            ctx,
            Rule::ContentTypesChanged,
            &at(&here, &["content_types"]),
            format!(
                "the content types of {label} changed from [{}] to [{}]",
                base_content_types.join(", "),
                head_content_types.join(", ")
            ),
            format!("rustdoc of {}", op.names.method(op.name)),
        );
    }
    compare_outcomes(
        out,
        ctx,
        op,
        base_outcomes.as_ref(),
        head_outcomes.as_ref(),
        &returns,
    );
    out.text(
        ctx,
        Rule::NoteChanged,
        &at(&here, &["note"]),
        &format!("the response note of {label}"),
        base_note.as_deref(),
        head_note.as_deref(),
        &format!("rustdoc of {}", op.names.method(op.name)),
    );
    out.provenance(
        ctx,
        &at(&here, &["provenance"]),
        &format!("the response provenance of {label}"),
        base_provenance.as_deref(),
        head_provenance.as_deref(),
    );
}

/// Per-item outcomes: whether `send` returns one per item, and how a failed item is found.
fn compare_outcomes(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    op: &OperationPair<'_>,
    base: Option<&OutcomesDef>,
    head: Option<&OutcomesDef>,
    returns: &str,
) {
    let label = ctx.label();
    let here = op.at(&["response", "outcomes"]);
    let send = format!("`{}::send`", op.names.builder(op.name).trim_matches('`'));
    let per = |outcomes: Option<&OutcomesDef>| outcomes.and_then(|outcomes| outcomes.per.clone());
    if per(base).is_some() != per(head).is_some() {
        let now = if per(head).is_some() {
            "now answers one outcome per item"
        } else {
            "no longer answers one outcome per item"
        };
        out.head(
            ctx,
            Rule::PerItemOutcomesChanged,
            &at(&here, &["per"]),
            format!("{label} {now}"),
            returns.to_owned(),
        );
    }
    // Everything else that decides which answers are failures (`per` is reported above).
    let judged = |outcomes: Option<&OutcomesDef>| {
        outcomes.map(|outcomes| {
            (
                outcomes.list.clone(),
                outcomes.key.clone(),
                outcomes.success.to_ascii_lowercase(),
            )
        })
    };
    let describe = |outcomes: Option<&OutcomesDef>| match outcomes {
        None => "no per-item outcomes".to_owned(),
        Some(outcomes) => format!(
            "`{}` of {} is `{}`{}",
            outcomes.key,
            outcomes.list.as_ref().map_or_else(
                || "the answer".to_owned(),
                |list| format!("each item of `{list}`")
            ),
            outcomes.success,
            outcomes
                .per
                .as_ref()
                .map(|per| format!(", one per item of `{per}`"))
                .unwrap_or_default()
        ),
    };
    if judged(base) != judged(head) {
        out.head(
            ctx,
            Rule::OutcomesChanged,
            &here,
            format!(
                "the per-item outcomes of {label} changed from {} to {}",
                describe(base),
                describe(head)
            ),
            format!("{send} judges which answers are failures differently"),
        );
    }
    out.text(
        ctx,
        Rule::NoteChanged,
        &at(&here, &["note"]),
        &format!("the outcomes note of {label}"),
        base.and_then(|outcomes| outcomes.note.as_deref()),
        head.and_then(|outcomes| outcomes.note.as_deref()),
        &format!("rustdoc of {}", op.names.method(op.name)),
    );
    out.provenance(
        ctx,
        &at(&here, &["provenance"]),
        &format!("the outcomes provenance of {label}"),
        base.and_then(|outcomes| outcomes.provenance.as_deref()),
        head.and_then(|outcomes| outcomes.provenance.as_deref()),
    );
}

/// How the body-less success changed, when `send`'s type did not.
fn empty_change(base: Option<&EmptyDef>, head: Option<&EmptyDef>) -> Option<String> {
    match (base, head) {
        (None, Some(new)) => Some(format!("HTTP {} now gives an empty value", new.status)),
        (Some(old), None) => Some(format!(
            "HTTP {} no longer gives an empty value (it fails to decode)",
            old.status
        )),
        (Some(old), Some(new)) if old.status != new.status => Some(format!(
            "the body-less success status changed from {} to {}",
            old.status, new.status
        )),
        _ => None,
    }
}

pub(super) fn compare_paging(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    op: &OperationPair<'_>,
    base: Option<&PagingDef>,
    head: Option<&PagingDef>,
) {
    let label = ctx.label();
    let here = op.at(&["paging"]);
    let builder = op.names.builder(op.name);
    let methods = format!(
        "`{0}::pages` and `{0}::into_stream`",
        builder.trim_matches('`')
    );
    match (base, head) {
        (None, None) => {}
        (None, Some(_)) => out.head(
            ctx,
            Rule::PagingAdded,
            &here,
            format!("{label} now pages"),
            format!("adds {methods}"),
        ),
        (Some(_), None) => out.base(
            ctx,
            Rule::PagingRemoved,
            &here,
            format!("{label} no longer pages"),
            format!("removes {methods}"),
        ),
        (Some(old), Some(new)) => {
            let PagingDef {
                items: base_items,
                info: base_info,
                page_param: base_page,
                token_param: base_token,
            } = old;
            let PagingDef {
                items: head_items,
                info: head_info,
                page_param: head_page,
                token_param: head_token,
            } = new;
            let shown = |value: Option<&String>| value.map_or_else(|| "none".to_owned(), code);
            for (key, before, after) in [
                ("items", Some(base_items), Some(head_items)),
                ("info", Some(base_info), Some(head_info)),
                ("page_param", base_page.as_ref(), head_page.as_ref()),
                ("token_param", base_token.as_ref(), head_token.as_ref()),
            ] {
                if before != after {
                    out.head(
                        ctx,
                        Rule::PagingChanged,
                        &at(&here, &[key]),
                        format!(
                            "the paging `{key}` of {label} changed from {} to {}",
                            shown(before),
                            shown(after)
                        ),
                        format!("{methods} walk the pages differently"),
                    );
                }
            }
        }
    }
}
