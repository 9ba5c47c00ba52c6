//! Answers that report an outcome per item: a `200` whose items may still have failed.
//!
//! Zoho answers uploads, deletions and photo calls with a status per item
//! (`{"data":[{"status":"error","code":"INVALID_DATA",...}]}`), so a successful HTTP status
//! says nothing about the item itself. The spec says where each operation's outcomes are
//! ([`ItemStatus`]); a call on one item fails with the item's error, and a call on several
//! returns an [`Outcomes`] with a result per item.

use std::fmt;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::snippet;
use crate::{Error, ServiceError};

/// Where an answer reports the outcome of each item, and what success looks like (from the
/// spec's `outcomes`). An item whose status key holds any other value failed; its error is
/// read from its own `code`, `message` and `details`, as in Zoho's error envelope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ItemStatus {
    /// The key of the list holding one outcome per item (`data`); `None` when the answer's
    /// top level is the one outcome.
    pub list: Option<&'static str>,
    /// The key of an outcome that says how it went (`status`).
    pub key: &'static str,
    /// That key's value for an item that succeeded (`success`), compared ignoring ASCII case.
    pub success: &'static str,
}

impl ItemStatus {
    /// The outcomes in `answer`: the list's elements, or the answer itself. `None` when the
    /// list is missing or not a list (decoding the answer's type then reports it).
    fn outcomes<'a>(&self, answer: &'a Value) -> Option<&'a [Value]> {
        match self.list {
            Some(list) => answer.get(list)?.as_array().map(Vec::as_slice),
            None => Some(std::slice::from_ref(answer)),
        }
    }

    /// The error of `outcome` when its status says it failed. An outcome without the status
    /// key is not judged: only an explicit status other than success is a failure.
    fn failure(&self, http_status: u16, outcome: &Value) -> Option<ServiceError> {
        let object = outcome.as_object()?;
        let status = match object.get(self.key)? {
            Value::String(status) if status.eq_ignore_ascii_case(self.success) => return None,
            Value::String(status) => status.clone(),
            other => other.to_string(),
        };
        Some(ServiceError::from_item(http_status, object, &status))
    }

    /// The first failed item's error, for an operation on one item.
    pub(crate) fn first_failure(&self, http_status: u16, answer: &Value) -> Option<ServiceError> {
        self.outcomes(answer)?
            .iter()
            .find_map(|outcome| self.failure(http_status, outcome))
    }
}

/// The result of a call on several items at once (deleting several attachments): one
/// [`Outcome`] per item asked for, in the order they were given, each a success or the
/// item's own error.
///
/// The call itself succeeded; its items may not have. Nothing is hidden: check each outcome,
/// or use [`into_result`](Self::into_result) to treat any failed item as the call's error.
#[must_use = "some items may have failed; check each outcome"]
pub struct Outcomes<T, E> {
    items: Vec<Outcome<T, E>>,
}

/// What happened to one item of a call on several.
pub struct Outcome<T, E> {
    id: String,
    result: Result<T, E>,
}

impl<T, E> Outcome<T, E> {
    /// The item's ID, as it was given to the call.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Whether the item succeeded.
    pub fn is_ok(&self) -> bool {
        self.result.is_ok()
    }

    /// The item's result.
    pub fn result(&self) -> Result<&T, &E> {
        self.result.as_ref()
    }

    /// The item's result, owned.
    pub fn into_result(self) -> Result<T, E> {
        self.result
    }

    /// The ID and the result, owned.
    pub fn into_parts(self) -> (String, Result<T, E>) {
        (self.id, self.result)
    }
}

impl<T, E> Outcomes<T, E> {
    /// Every outcome, in the order the IDs were given.
    pub fn iter(&self) -> std::slice::Iter<'_, Outcome<T, E>> {
        self.items.iter()
    }

    /// How many items the call was about.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the call was about no item at all.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Whether every item succeeded.
    pub fn all_succeeded(&self) -> bool {
        self.items.iter().all(Outcome::is_ok)
    }

    /// The items that succeeded, with their IDs.
    pub fn succeeded(&self) -> impl Iterator<Item = (&str, &T)> {
        self.items
            .iter()
            .filter_map(|outcome| Some((outcome.id(), outcome.result.as_ref().ok()?)))
    }

    /// The items that failed, with their IDs and errors.
    pub fn failed(&self) -> impl Iterator<Item = (&str, &E)> {
        self.items
            .iter()
            .filter_map(|outcome| Some((outcome.id(), outcome.result.as_ref().err()?)))
    }

    /// Every item's success, or the first failed item's error.
    ///
    /// # Errors
    ///
    /// The error of the first item (in the order given) that failed.
    pub fn into_result(self) -> Result<Vec<T>, E> {
        self.items.into_iter().map(Outcome::into_result).collect()
    }

    /// The same outcomes with each error converted, e.g. into an operation's error type.
    pub fn map_err<F>(self, mut convert: impl FnMut(E) -> F) -> Outcomes<T, F> {
        Outcomes {
            items: self
                .items
                .into_iter()
                .map(|Outcome { id, result }| Outcome {
                    id,
                    result: result.map_err(&mut convert),
                })
                .collect(),
        }
    }
}

impl<T, E> IntoIterator for Outcomes<T, E> {
    type Item = Outcome<T, E>;
    type IntoIter = std::vec::IntoIter<Outcome<T, E>>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, T, E> IntoIterator for &'a Outcomes<T, E> {
    type Item = &'a Outcome<T, E>;
    type IntoIter = std::slice::Iter<'a, Outcome<T, E>>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<T: fmt::Debug, E: fmt::Debug> fmt::Debug for Outcome<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Outcome")
            .field("id", &self.id)
            .field("result", &self.result)
            .finish()
    }
}

impl<T: fmt::Debug, E: fmt::Debug> fmt::Debug for Outcomes<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.items).finish()
    }
}

/// Decodes a successful answer to a call on the items `ids` into one outcome per ID.
///
/// An ID's outcome is the answer's item naming it in `details.id`, or else the item at the
/// ID's position if that item names no ID (Zoho answers in the order asked). An ID with no
/// outcome in the answer gets an [`Error::Decode`]: the call may or may not have acted on it.
pub(crate) fn decode_outcomes<T: DeserializeOwned>(
    rule: &ItemStatus,
    http_status: u16,
    body: &[u8],
    ids: &[String],
) -> Result<Outcomes<T, Error>, Error> {
    let decode_error = |path: String, message: String| Error::Decode {
        status: http_status,
        path,
        message,
        snippet: snippet(body),
    };
    let answer: Value = serde_json::from_slice(body)
        .map_err(|err| decode_error(".".to_owned(), err.to_string()))?;
    let list_path = rule.list.unwrap_or(".");
    let outcomes = rule.outcomes(&answer).ok_or_else(|| {
        decode_error(
            list_path.to_owned(),
            "expected a list with one outcome per item".to_owned(),
        )
    })?;
    let mut used = vec![false; outcomes.len()];
    let items = ids
        .iter()
        .enumerate()
        .map(|(position, id)| {
            let index = outcome_index(outcomes, &used, position, id);
            let result = match index {
                None => Err(decode_error(
                    list_path.to_owned(),
                    format!("the answer has no outcome for the ID `{id}`"),
                )),
                Some(index) => {
                    used[index] = true;
                    let outcome = &outcomes[index];
                    match rule.failure(http_status, outcome) {
                        Some(failure) => Err(Error::Service(failure)),
                        None => serde_path_to_error::deserialize(outcome.clone()).map_err(|err| {
                            decode_error(
                                format!("{list_path}[{index}].{}", err.path()),
                                err.inner().to_string(),
                            )
                        }),
                    }
                }
            };
            Outcome {
                id: id.clone(),
                result,
            }
        })
        .collect();
    Ok(Outcomes { items })
}

/// The unused outcome naming `id`, or the one at `position` if it names no ID.
fn outcome_index(outcomes: &[Value], used: &[bool], position: usize, id: &str) -> Option<usize> {
    let named = |outcome: &Value| -> Option<String> {
        match outcome.get("details")?.get("id")? {
            Value::String(id) => Some(id.clone()),
            Value::Number(id) => Some(id.to_string()),
            _ => None,
        }
    };
    outcomes
        .iter()
        .enumerate()
        .position(|(index, outcome)| !used[index] && named(outcome).as_deref() == Some(id))
        .or_else(|| {
            let outcome = outcomes.get(position)?;
            (!used[position] && named(outcome).is_none()).then_some(position)
        })
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    const DATA: ItemStatus = ItemStatus {
        list: Some("data"),
        key: "status",
        success: "success",
    };

    const TOP: ItemStatus = ItemStatus {
        list: None,
        key: "Type",
        success: "Success",
    };

    #[derive(Debug, Deserialize, PartialEq)]
    struct Done {
        code: String,
    }

    fn all_succeeded(rule: &ItemStatus, answer: &Value) -> bool {
        rule.first_failure(200, answer).is_none()
    }

    #[test]
    fn a_failed_item_in_a_success_answer_is_its_own_error() {
        let answer = json!({"data": [
            {"code": "SUCCESS", "status": "success", "details": {"id": "1"}},
            {"code": "INVALID_DATA", "status": "error", "message": "the id given seems to be invalid", "details": {"id": "2"}},
        ]});
        let failure = DATA.first_failure(200, &answer).expect("a failure");
        assert_eq!(failure.code(), "INVALID_DATA");
        assert_eq!(failure.message(), "the id given seems to be invalid");
        assert_eq!(failure.http_status(), 200);
        assert_eq!(failure.details(), &json!({"id": "2"}));
    }

    #[test]
    fn success_is_matched_ignoring_case_and_anything_else_fails() {
        assert!(all_succeeded(
            &DATA,
            &json!({"data": [{"status": "SUCCESS"}]})
        ));
        assert!(all_succeeded(&TOP, &json!({"Type": "success"})));
        // No status key: not judged.
        assert!(all_succeeded(
            &DATA,
            &json!({"data": [{"code": "SUCCESS"}]})
        ));
        for bad in [
            json!("error"),
            json!(""),
            json!(1),
            json!(null),
            json!({"x": 1}),
        ] {
            let answer = json!({"data": [{"status": bad}]});
            assert!(!all_succeeded(&DATA, &answer), "{answer:?}");
        }
        // Without a code, the status value names the failure.
        let failure = TOP
            .first_failure(200, &json!({"Type": "Error", "message": "no"}))
            .expect("a failure");
        assert_eq!(failure.code(), "Error");
    }

    #[test]
    fn bulk_outcomes_pair_ids_by_details_id_then_position() {
        let body = br#"{"data":[
            {"code":"INVALID_DATA","status":"error","message":"bad id","details":{"id":"b"}},
            {"code":"SUCCESS","status":"success","details":{"id":"a"}},
            {"code":"SUCCESS","status":"success"}
        ]}"#;
        let ids = ["a", "b", "c", "d"].map(String::from);
        let outcomes = decode_outcomes::<Done>(&DATA, 200, body, &ids).expect("outcomes");
        let seen: Vec<_> = outcomes
            .iter()
            .map(|outcome| match outcome.result() {
                Ok(done) => format!("{}:{}", outcome.id(), done.code),
                Err(Error::Service(failure)) => format!("{}:{}", outcome.id(), failure.code()),
                Err(other) => format!("{}:{other}", outcome.id()),
            })
            .collect();
        assert_eq!(seen[0], "a:SUCCESS");
        assert_eq!(seen[1], "b:INVALID_DATA");
        assert_eq!(seen[2], "c:SUCCESS");
        assert!(seen[3].contains("no outcome for the ID `d`"), "{}", seen[3]);
        assert!(!outcomes.all_succeeded());
        assert_eq!(outcomes.succeeded().count(), 2);
        assert_eq!(
            outcomes.failed().map(|(id, _)| id).collect::<Vec<_>>(),
            ["b", "d"]
        );
        assert!(outcomes.into_result().is_err());
    }

    #[test]
    fn an_answer_without_its_list_is_a_decode_error() {
        let ids = ["a".to_owned()];
        match decode_outcomes::<Done>(&DATA, 200, br#"{"info":{}}"#, &ids) {
            Err(Error::Decode { path, .. }) => assert_eq!(path, "data"),
            other => panic!("expected a decode error, got {other:?}"),
        }
    }
}
