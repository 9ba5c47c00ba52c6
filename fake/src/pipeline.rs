//! The request pipeline: every request goes through [`handle`]: the concurrency limit,
//! fault selection, the route, then for an operation the token, module, scope, parameter
//! and body checks before its handler, and the request log. Nothing depends on it but
//! start-up, which hands it to the router.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use serde_json::json;
use zoho_attachments::model::{Body as BodySpec, ParamKind};

use crate::auth::Consent;
use crate::call::{self, check_params, read_json, read_multipart};
use crate::errors::ZohoError;
use crate::fault::Fault;
use crate::fault_response;
use crate::handlers::{self, Call, Payload};
use crate::modules;
use crate::route::{self, AccountsEndpoint, Matched, Route};
use crate::state::{InFlight, RecordedRequest, Shared};
use crate::wire::WireLog;

/// The header that asks for a fault on one request.
pub const FAULT_HEADER: &str = "x-fake-fault";

/// Every request goes through here: faults, then the route, then the operation.
pub(crate) async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (request, captured) = match &shared.wire {
        Some(_) => {
            let (request, captured) = WireLog::capture(request).await;
            (request, Some(captured))
        }
        None => (request, None),
    };
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    let route = route::route(&method, &path);
    let operation = match &route {
        Route::Accounts(endpoint) => Some(endpoint.operation()),
        _ => route.op().map(|op| op.name),
    };
    let api = route
        .api()
        .map(|api| format!("{}/{}", api.product, api.version));

    let header = request
        .headers()
        .get(FAULT_HEADER)
        .map(|value| Fault::parse_list(value.to_str().unwrap_or("?")))
        // An empty header asks for nothing: injected and server faults still apply.
        .filter(|faults| faults.as_ref().map_or(true, |faults| !faults.is_empty()));
    let api_request = matches!(route, Route::Operation(_));
    let in_flight = api_request.then(|| shared.enter());
    let over_limit = in_flight.as_ref().is_some_and(InFlight::over_limit);
    let response = match header {
        _ if over_limit => {
            call::drain(request.into_body()).await;
            too_many_requests(&route)
        }
        Some(Err(why)) => ZohoError::generic("INVALID_REQUEST", json!({"header": FAULT_HEADER}))
            .or_message(why)
            .into_response(),
        // The header's faults, else the first matching injected one, else the server's.
        Some(Ok(faults)) => with_faults(&shared, faults, &route, request).await,
        None => {
            let faults = shared.lock().next_faults(operation);
            with_faults(&shared, faults, &route, request).await
        }
    };

    if let (Some(wire), Some(captured)) = (&shared.wire, captured) {
        wire.write(captured, operation, response.status().as_u16());
    }
    shared.lock().record(RecordedRequest {
        method,
        path,
        query,
        status: response.status().as_u16(),
        operation: operation.map(str::to_owned),
        api,
    });
    drop(in_flight);
    response
}

/// Zoho's answer beyond the concurrency limit.
fn too_many_requests(route: &Route) -> Response {
    let error = match route.op() {
        Some(op) => ZohoError::for_op(op, "TOO_MANY_REQUESTS", None, json!({})),
        None => ZohoError::generic("TOO_MANY_REQUESTS", json!({})),
    };
    error
        .or_message("the concurrency limit of the organisation was reached")
        .with_status(429)
        .into_response()
}

async fn with_faults(
    shared: &Arc<Shared>,
    faults: Vec<Fault>,
    route: &Route,
    request: Request,
) -> Response {
    for fault in &faults {
        if let Fault::Delay(delay) = fault {
            tokio::time::sleep(*delay).await;
        }
    }
    let op = route.op();
    let has_item_status = op.is_some_and(|op| op.response.item_status.is_some());
    let answering = faults.iter().find(|fault| fault.is_answer(has_item_status));
    let response = match answering {
        Some(fault) => {
            let path = request.uri().path().to_owned();
            let query = request.uri().query().map(str::to_owned);
            // The request is answered without being read; read it so the client can finish.
            call::drain(request.into_body()).await;
            fault_response::answer(fault, op, &path, query.as_deref())
        }
        None => serve(shared, route, request).await,
    };
    match faults.iter().find(|fault| fault.is_body()) {
        Some(fault) => fault_response::break_body(response, fault).await,
        None => response,
    }
}

async fn serve(shared: &Arc<Shared>, route: &Route, request: Request) -> Response {
    match route {
        Route::Accounts(endpoint) => accounts_endpoint(shared, *endpoint, request).await,
        Route::NotFound { api } => {
            let details = json!({"path": request.uri().path()});
            match api {
                Some(api) => ZohoError::for_api(api, "INVALID_URL_PATTERN", details),
                None => ZohoError::generic("INVALID_URL_PATTERN", details),
            }
            .into_response()
        }
        Route::WrongMethod { api, ops } => {
            let documented = ops.iter().find(|op| {
                op.errors
                    .iter()
                    .any(|row| row.code == "INVALID_REQUEST_METHOD")
            });
            let allowed: Vec<&str> = ops.iter().map(|op| op.method).collect();
            let details = json!({"allowed_methods": allowed});
            match documented {
                Some(op) => ZohoError::for_op(op, "INVALID_REQUEST_METHOD", None, details),
                None => ZohoError::for_api(api, "INVALID_REQUEST_METHOD", details),
            }
            .into_response()
        }
        Route::Operation(matched) => match operation(shared, matched.clone(), request).await {
            Ok(response) => response,
            Err(err) => err.into_response(),
        },
    }
}

/// Checks a request against its operation in the model, then runs its handler.
async fn operation(
    shared: &Arc<Shared>,
    matched: Matched,
    request: Request,
) -> Result<Response, ZohoError> {
    let op = matched.op;
    let (parts, body) = request.into_parts();
    let checked = check(shared, &matched, &parts);
    let (module, params) = match checked {
        Ok(checked) => checked,
        Err(err) => {
            call::drain(body).await;
            return Err(err);
        }
    };
    let payload = match op.body {
        BodySpec::Multipart {
            alternatives,
            max_bytes,
        } => {
            // A link may come as query parameters with no body, as Zoho's SDKs send it.
            let by_query = if call::is_multipart(&parts.headers) {
                None
            } else {
                call::form_from_query(op, alternatives, parts.uri.query())
            };
            match by_query {
                Some(form) => {
                    call::drain(body).await;
                    Payload::Form(form?)
                }
                None => Payload::Form(
                    read_multipart(
                        matched.api,
                        op,
                        alternatives,
                        max_bytes,
                        &parts.headers,
                        body,
                    )
                    .await?,
                ),
            }
        }
        BodySpec::Json => Payload::Json(read_json(op, body).await?),
        _ => Payload::None,
    };
    let call = Call {
        matched,
        module,
        params,
        payload,
    };
    handlers::dispatch(shared, call).await
}

/// Token, module, scope and query parameters, in the order Zoho checks them.
fn check(
    shared: &Shared,
    matched: &Matched,
    parts: &http::request::Parts,
) -> Result<(Option<modules::Resolved>, call::Params), ZohoError> {
    let op = matched.op;
    let inner = shared.lock();
    let scopes = inner
        .tokens
        .authorize(&parts.headers)
        .map_err(|failure| failure.into_error(op))?;
    let mut module = None;
    for param in op.params.iter().filter(|param| param.in_path) {
        if let ParamKind::Module(_) = param.kind {
            let (_, value, index) = matched
                .params
                .iter()
                .find(|(name, _, _)| *name == param.name)
                .expect("a path parameter of the template");
            let resolved = modules::resolve(matched.api, param.kind, value, inner.custom_modules())
                .map_err(|refusal| {
                    ZohoError::for_op(
                        op,
                        "INVALID_MODULE",
                        Some(refusal.hint()),
                        // As Zoho's OpenAPI file (schema `InvalidUrlError`) requires.
                        json!({"related_status": "invalid", "resource_path_index": index}),
                    )
                })?;
            module = Some(resolved);
        }
    }
    drop(inner);
    let module_scope = module.as_ref().map(|module| module.scope);
    if !scopes.allow(&op.scopes, module_scope) {
        return Err(ZohoError::for_op(
            op,
            "OAUTH_SCOPE_MISMATCH",
            None,
            json!({"required_scopes": op.scopes.to_string()}),
        ));
    }
    let params = check_params(op, parts.uri.query())?;
    Ok((module, params))
}

/// `POST /oauth/v2/token`: form fields in the query or in an urlencoded body.
/// The accounts server: form fields come in the query or an
/// `application/x-www-form-urlencoded` body, as Zoho takes them.
async fn accounts_endpoint(
    shared: &Shared,
    endpoint: AccountsEndpoint,
    request: Request,
) -> Response {
    if request.method().as_str() != endpoint.method() {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(http::header::ALLOW, endpoint.method())],
            axum::Json(json!({"error": "invalid_request_method"})),
        )
            .into_response();
    }
    let mut form: HashMap<String, String> =
        url::form_urlencoded::parse(request.uri().query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let body = axum::body::to_bytes(request.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    form.extend(url::form_urlencoded::parse(&body).into_owned());
    let mut state = shared.lock();
    match endpoint {
        // Zoho's accounts server answers 200 even for `{"error": ...}`.
        AccountsEndpoint::Token => {
            axum::Json(state.tokens.token_request(&form, &shared.base_url)).into_response()
        }
        AccountsEndpoint::Authorize => match state.tokens.consent(&form, &shared.base_url) {
            Consent::Redirect(location) => {
                (StatusCode::FOUND, [(http::header::LOCATION, location)]).into_response()
            }
            Consent::Refuse(error) => (StatusCode::BAD_REQUEST, axum::Json(error)).into_response(),
        },
        // "If the refresh token is invalid ... you will receive an HTTP status code 400."
        AccountsEndpoint::Revoke => {
            let token = form.get("token").map(String::as_str).unwrap_or_default();
            if state.tokens.revoke(token) {
                axum::Json(json!({"status": "success"})).into_response()
            } else {
                (
                    StatusCode::BAD_REQUEST,
                    axum::Json(json!({"error": "invalid_token"})),
                )
                    .into_response()
            }
        }
    }
}
