//! Which operation of the model a request names: its product version (by path prefix),
//! its path template and its method.

use percent_encoding::percent_decode_str;
use zoho_attachments::model::{APIS, Api, Operation};

/// Where the accounts server answers token requests.
pub(crate) const TOKEN_PATH: &str = "/oauth/v2/token";
/// Where the accounts server asks the user to consent.
pub(crate) const AUTHORIZE_PATH: &str = "/oauth/v2/auth";
/// Where the accounts server revokes refresh tokens.
pub(crate) const REVOKE_PATH: &str = "/oauth/v2/token/revoke";

/// Name under which token requests are logged and targeted by faults.
pub(crate) const TOKEN_OPERATION: &str = "oauth_token";
/// Name under which consent requests are logged and targeted by faults.
pub(crate) const AUTHORIZE_OPERATION: &str = "oauth_authorize";
/// Name under which revocations are logged and targeted by faults.
pub(crate) const REVOKE_OPERATION: &str = "oauth_revoke";

/// The outcome of routing one request.
#[derive(Debug)]
pub(crate) enum Route {
    /// An operation, with its path parameters.
    Operation(Matched),
    /// A path some operation serves, with a method none of them takes.
    WrongMethod {
        api: &'static Api,
        ops: Vec<&'static Operation>,
    },
    /// An endpoint of the accounts server.
    Accounts(AccountsEndpoint),
    /// No template matches; `api` when the prefix names a product version.
    NotFound { api: Option<&'static Api> },
}

impl Route {
    /// The operation, when the path and method named one.
    pub(crate) fn op(&self) -> Option<&'static Operation> {
        match self {
            Route::Operation(matched) => Some(matched.op),
            _ => None,
        }
    }

    /// The product version, when the path's prefix named one.
    pub(crate) fn api(&self) -> Option<&'static Api> {
        match self {
            Route::Operation(Matched { api, .. })
            | Route::WrongMethod { api, .. }
            | Route::NotFound { api: Some(api) } => Some(api),
            Route::Accounts(_) | Route::NotFound { api: None } => None,
        }
    }
}

/// The accounts server's endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AccountsEndpoint {
    /// `POST /oauth/v2/token`: refresh, grant-code exchange.
    Token,
    /// `GET /oauth/v2/auth`: the consent page.
    Authorize,
    /// `POST /oauth/v2/token/revoke`.
    Revoke,
}

impl AccountsEndpoint {
    /// The name its requests are logged and targeted by faults under.
    pub(crate) fn operation(self) -> &'static str {
        match self {
            AccountsEndpoint::Token => TOKEN_OPERATION,
            AccountsEndpoint::Authorize => AUTHORIZE_OPERATION,
            AccountsEndpoint::Revoke => REVOKE_OPERATION,
        }
    }

    /// The HTTP method it takes.
    pub(crate) fn method(self) -> &'static str {
        match self {
            AccountsEndpoint::Authorize => "GET",
            AccountsEndpoint::Token | AccountsEndpoint::Revoke => "POST",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Matched {
    pub(crate) api: &'static Api,
    pub(crate) op: &'static Operation,
    /// `(parameter name, decoded value, segment index after the prefix)`.
    pub(crate) params: Vec<(&'static str, String, usize)>,
}

pub(crate) fn route(method: &str, path: &str) -> Route {
    match path {
        TOKEN_PATH => return Route::Accounts(AccountsEndpoint::Token),
        AUTHORIZE_PATH => return Route::Accounts(AccountsEndpoint::Authorize),
        REVOKE_PATH => return Route::Accounts(AccountsEndpoint::Revoke),
        _ => {}
    }
    let Some((api, rest)) = APIS.iter().find_map(|api| {
        let rest = path.strip_prefix(api.prefix)?;
        rest.starts_with('/').then_some((api, rest))
    }) else {
        return Route::NotFound { api: None };
    };
    let segments: Vec<&str> = rest[1..].split('/').collect();
    let mut same_path = Vec::new();
    for op in api.operations {
        if let Some(params) = match_template(op.path, &segments) {
            if op.method.eq_ignore_ascii_case(method) {
                return Route::Operation(Matched { api, op, params });
            }
            same_path.push(op);
        }
    }
    if same_path.is_empty() {
        Route::NotFound { api: Some(api) }
    } else {
        Route::WrongMethod {
            api,
            ops: same_path,
        }
    }
}

fn match_template(
    template: &'static str,
    segments: &[&str],
) -> Option<Vec<(&'static str, String, usize)>> {
    let parts: Vec<&'static str> = template.trim_start_matches('/').split('/').collect();
    if parts.len() != segments.len() {
        return None;
    }
    let mut params = Vec::new();
    for (index, (part, segment)) in parts.iter().zip(segments).enumerate() {
        match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            Some(name) => {
                if segment.is_empty() {
                    return None;
                }
                let value = percent_decode_str(segment).decode_utf8_lossy().into_owned();
                params.push((name, value, index));
            }
            None if part == segment => {}
            None => return None,
        }
    }
    Some(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op_name(route: &Route) -> Option<(&str, &str, &str)> {
        match route {
            Route::Operation(m) => Some((m.api.product, m.api.version, m.op.name)),
            _ => None,
        }
    }

    #[test]
    fn every_product_version_is_found_by_prefix_and_method() {
        let route_ = route("GET", "/crm/v8/Leads/123/Attachments");
        assert_eq!(op_name(&route_), Some(("crm", "v8", "list_attachments")));
        let route_ = route("POST", "/crm/v8/Leads/123/Attachments");
        assert_eq!(op_name(&route_), Some(("crm", "v8", "upload_attachment")));
        let route_ = route("DELETE", "/crm/v8/Leads/123/Attachments");
        assert_eq!(op_name(&route_), Some(("crm", "v8", "delete_attachments")));
        let route_ = route("GET", "/bigin/v2/Contacts/1/Attachments/2");
        assert_eq!(
            op_name(&route_),
            Some(("bigin", "v2", "download_attachment"))
        );
        let route_ = route("POST", "/api/v1/contracts/msa/upload");
        assert_eq!(op_name(&route_), Some(("contracts", "v1", "upload_file")));
        let route_ = route("POST", "/crm/v2.1/Leads/1/Attachments");
        assert_eq!(op_name(&route_), Some(("crm", "v2.1", "upload_attachment")));
    }

    #[test]
    fn parameters_are_decoded_and_indexed() {
        let Route::Operation(matched) = route("GET", "/crm/v8/Leads/1%2F2/Attachments/99") else {
            panic!("expected an operation");
        };
        let params: Vec<_> = matched
            .params
            .iter()
            .map(|(name, value, index)| (*name, value.as_str(), *index))
            .collect();
        assert_eq!(
            params,
            [
                ("module_api_name", "Leads", 0),
                ("record_ID", "1/2", 1),
                ("attachment_ID", "99", 3)
            ]
        );
    }

    #[test]
    fn wrong_method_and_unknown_paths() {
        assert!(matches!(
            route("PUT", "/crm/v8/Leads/1/Attachments"),
            Route::WrongMethod { ops, .. } if ops.len() == 3
        ));
        assert!(matches!(
            route("GET", "/crm/v8/Leads/1/Notes"),
            Route::NotFound { api: Some(api) } if api.version == "v8"
        ));
        assert!(matches!(
            route("GET", "/crm/v9/Leads/1/Attachments"),
            Route::NotFound { api: None }
        ));
        assert!(matches!(
            route("GET", "/crm/v8/Leads//Attachments"),
            Route::NotFound { .. }
        ));
        assert!(matches!(
            route("POST", TOKEN_PATH),
            Route::Accounts(AccountsEndpoint::Token)
        ));
        assert!(matches!(
            route("GET", AUTHORIZE_PATH),
            Route::Accounts(AccountsEndpoint::Authorize)
        ));
        assert!(matches!(
            route("POST", REVOKE_PATH),
            Route::Accounts(AccountsEndpoint::Revoke)
        ));
    }
}
