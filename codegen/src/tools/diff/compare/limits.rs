//! Limits checked before sending (parameter ranges, text lengths, file and body sizes): a
//! stricter one refuses values that used to be sent.

use super::{Changes, Ctx};
use crate::load::yaml::Segment;
use crate::tools::diff::rules::Rule;

/// Which side of a range a limit bounds.
#[derive(Clone, Copy)]
pub(super) enum Bound {
    /// A smallest accepted value: raising it is stricter.
    Min,
    /// A largest accepted value: lowering it is stricter.
    Max,
}

/// Reports a limit that became stricter or looser. `what` names the limit ("the maximum of
/// parameter `per_page` of crm v8 `list_attachments`"), `unit` follows each number (" bytes"),
/// `subject` names what is checked ("values of `per_page`").
#[allow(clippy::too_many_arguments)] // each is one fact of the message
pub(super) fn compare(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    path: &[Segment],
    what: &str,
    bound: Bound,
    unit: &str,
    base: Option<i128>,
    head: Option<i128>,
    subject: &str,
) {
    let stricter = match (bound, base, head) {
        (_, None, None) => return,
        (_, Some(old), Some(new)) if old == new => return,
        (_, None, Some(_)) => true,
        (_, Some(_), None) => false,
        (Bound::Min, Some(old), Some(new)) => new > old,
        (Bound::Max, Some(old), Some(new)) => new < old,
    };
    let shown = |value: Option<i128>| match value {
        None => "none".to_owned(),
        // "1 character", not "1 characters".
        Some(1) => format!("1{}", unit.strip_suffix('s').unwrap_or(unit)),
        Some(value) => format!("{value}{unit}"),
    };
    let message = format!("{what} went from {} to {}", shown(base), shown(head));
    if stricter {
        out.head(
            ctx,
            Rule::LimitTightened,
            path,
            message,
            format!(
                "{subject} outside the new limit are refused before sending (`Error::InvalidInput`)"
            ),
        );
    } else {
        out.head(
            ctx,
            Rule::LimitRelaxed,
            path,
            message,
            format!("{subject} refused before are now sent"),
        );
    }
}
