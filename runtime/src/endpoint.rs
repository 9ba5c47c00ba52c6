//! Where requests go: data centres, servers, operations, and the URL built from them.

use std::fmt;

use http::Method;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use url::Url;

use crate::{Error, ItemStatus};

/// A Zoho data centre as the generated crate describes it.
///
/// The generated `DataCenter` enum converts into this.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Region {
    /// Short identifier matched against [`Server::origins`], e.g. `"us"` or `"eu"`.
    pub id: &'static str,
    /// Human-readable name, used in error messages, e.g. `"Europe"`.
    pub name: &'static str,
    /// The data centre's accounts (OAuth) server, e.g. `"https://accounts.zoho.eu"`.
    pub accounts_url: &'static str,
}

/// An environment of a Zoho organisation (production, sandbox, developer), as the generated
/// crate describes it. The generated `Environment` enum converts into this.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Environment {
    /// Identifier matched against [`Server::environments`], e.g. `"sandbox"`.
    pub id: &'static str,
    /// Human-readable name, used in error messages, e.g. `"Sandbox"`.
    pub name: &'static str,
    /// Whether this is the environment whose hosts are [`Server::origins`] (production).
    pub is_default: bool,
}

/// Where one product version is served: a path prefix and one origin per region id.
///
/// ```
/// # use zoho_runtime::Server;
/// static CRM: Server = Server {
///     prefix: "/crm/v7",
///     origins: &[("us", "https://www.zohoapis.com"), ("eu", "https://www.zohoapis.eu")],
///     follows_api_domain: true,
///     environments: &[("sandbox", "us", "https://sandbox.zohoapis.com")],
/// };
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Server {
    /// Path prefix placed before every operation path, e.g. `"/crm/v7"`.
    pub prefix: &'static str,
    /// `(region id, origin)` pairs; the origin has no trailing slash.
    pub origins: &'static [(&'static str, &'static str)],
    /// Whether the `api_domain` a token answer names
    /// ([`TokenSource::api_domain`](crate::TokenSource::api_domain)) replaces the data
    /// centre's origin for this server (Zoho's API domain, shared by CRM and Bigin).
    /// A base URL set on the client wins over both.
    pub follows_api_domain: bool,
    /// `(environment id, region id, origin)` for environments other than the default one.
    pub environments: &'static [(&'static str, &'static str, &'static str)],
}

/// Static facts about one operation, used for URL building and tracing.
///
/// Not `Copy`: [`Method`] is not (it can hold an extension method). Operations are
/// `static`s passed by reference, so copying is never needed.
#[derive(Clone, Debug)]
pub struct OperationInfo {
    /// Product, e.g. `"crm"`.
    pub product: &'static str,
    /// API version, e.g. `"v7"`.
    pub version: &'static str,
    /// Operation name, e.g. `"list_attachments"`.
    pub name: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Where the product version is served.
    pub server: &'static Server,
    /// Whether it moves a file, which decides its default time limit.
    pub kind: OperationKind,
    /// Where a successful answer reports the outcome of each item, when it does: an item
    /// that failed there is an error even though the HTTP status is `2xx`.
    pub item_status: Option<ItemStatus>,
}

/// What an operation moves, which decides the time limit it gets by default.
///
/// A call that moves no file is bounded as a whole
/// ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout), 30 s by default); a file
/// transfer can take long on a slow link and is bounded by the read timeout (a stall)
/// instead, unless [`ClientBuilder::transfer_timeout`](crate::ClientBuilder::transfer_timeout)
/// is set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OperationKind {
    /// Sends and answers small bodies: lists, deletions, links, metadata.
    Call,
    /// Sends a file in its request body.
    UploadsFile,
    /// Answers with file content.
    DownloadsFile,
}
// Not `Upload` and `Download`: variants named like the generated crate's types make rustc
// spell those types out in full (`zoho_attachments::Download`) in users' error messages.

impl OperationKind {
    /// Whether the operation moves a file.
    pub fn is_transfer(self) -> bool {
        matches!(
            self,
            OperationKind::UploadsFile | OperationKind::DownloadsFile
        )
    }
}

/// The origin a client sends to: chosen per operation from a data centre, or fixed.
#[derive(Clone)]
pub(crate) enum Origin {
    /// A data centre's hosts, in an environment other than the default when one is set.
    DataCenter(Region, Option<Environment>),
    /// Validated by the builder: absolute http(s), no credentials, query, fragment or
    /// trailing slash.
    BaseUrl(String),
}

impl fmt::Debug for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::DataCenter(region, environment) => f
                .debug_tuple("DataCenter")
                .field(&region.id)
                .field(&environment.map(|environment| environment.id))
                .finish(),
            Origin::BaseUrl(url) => f.debug_tuple("BaseUrl").field(url).finish(),
        }
    }
}

impl Origin {
    /// origin + server prefix + request path + `?` + percent-encoded query (order kept).
    ///
    /// The origin is the base URL if set; else, for a non-default environment, that
    /// environment's host in the data centre (never `api_domain`, which names production
    /// hosts, so a sandbox client cannot drift to live data); else `api_domain` if the
    /// server follows it and it is a valid origin (see [`api_origin`]); else the data
    /// centre's.
    pub(crate) fn url(
        &self,
        op: &OperationInfo,
        path: &str,
        query: &[(&'static str, String)],
        api_domain: Option<&str>,
    ) -> Result<Url, Error> {
        let followed = api_domain
            .filter(|_| op.server.follows_api_domain)
            .and_then(api_origin);
        let origin = match (self, &followed) {
            (Origin::BaseUrl(url), _) => url.as_str(),
            (Origin::DataCenter(region, Some(environment)), _) if !environment.is_default => {
                environment_origin(op, region, environment)?
            }
            (Origin::DataCenter(..), Some(api_domain)) => api_domain.as_str(),
            (Origin::DataCenter(region, _), None) => region_origin(op, region)?,
        };
        check_path(path)?;
        let mut url =
            Url::parse(&format!("{origin}{}{path}", op.server.prefix)).map_err(|err| {
                Error::InvalidInput {
                    parameter: "path",
                    reason: format!("does not form a valid URL: {err}"),
                }
            })?;
        if !query.is_empty() {
            let encoded: Vec<String> = query
                .iter()
                .map(|(name, value)| {
                    format!(
                        "{}={}",
                        utf8_percent_encode(name, QUERY_VALUE),
                        utf8_percent_encode(value, QUERY_VALUE)
                    )
                })
                .collect();
            url.set_query(Some(&encoded.join("&")));
        }
        Ok(url)
    }
}

/// Everything outside RFC 3986 "unreserved" is encoded, except `,`: Zoho separates list values
/// with literal commas (`fields=id,Owner`), as its pages show, and a comma needs no encoding in
/// a query.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b',');

fn region_origin(op: &OperationInfo, region: &Region) -> Result<&'static str, Error> {
    op.server
        .origins
        .iter()
        .find(|(id, _)| *id == region.id)
        .map(|(_, origin)| *origin)
        .ok_or_else(|| Error::InvalidInput {
            parameter: "data_center",
            reason: format!(
                "{} {} has no documented host for {}",
                op.product, op.version, region.name
            ),
        })
}

/// The origin of a non-default environment; never the production host in its place.
fn environment_origin(
    op: &OperationInfo,
    region: &Region,
    environment: &Environment,
) -> Result<&'static str, Error> {
    op.server
        .environments
        .iter()
        .find(|(env, id, _)| *env == environment.id && *id == region.id)
        .map(|(_, _, origin)| *origin)
        .ok_or_else(|| Error::InvalidInput {
            parameter: "environment",
            reason: format!(
                "{} {} has no documented {} host for {}",
                op.product, op.version, environment.name, region.name
            ),
        })
}

/// `raw` as an origin to send tokens to, without a trailing slash: `https` with a host
/// and nothing after it, or `http` to a loopback address (a local proxy or test
/// server). `None` for anything else: an `api_domain` comes from the network, and the
/// access token goes wherever it points.
pub(crate) fn api_origin(raw: &str) -> Option<String> {
    let url = Url::parse(raw.trim()).ok()?;
    let loopback = match url.host()? {
        url::Host::Domain(domain) => domain.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    };
    let scheme_ok = url.scheme() == "https" || (url.scheme() == "http" && loopback);
    let bare = url.username().is_empty()
        && url.password().is_none()
        && url.path() == "/"
        && url.query().is_none()
        && url.fragment().is_none();
    (scheme_ok && bare).then(|| url.as_str().trim_end_matches('/').to_owned())
}

/// The path must be relative to the prefix and must not smuggle in a query or fragment.
pub(crate) fn check_path(path: &str) -> Result<(), Error> {
    let reason = if !path.starts_with('/') {
        "must start with `/`"
    } else if path.contains(['?', '#']) {
        "must not contain `?` or `#`; pass query parameters with `Request::query`"
    } else {
        return Ok(());
    };
    Err(Error::InvalidInput {
        parameter: "path",
        reason: reason.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const US: Region = Region {
        id: "us",
        name: "United States",
        accounts_url: "https://accounts.zoho.com",
    };
    const AU: Region = Region {
        id: "au",
        name: "Australia",
        accounts_url: "https://accounts.zoho.com.au",
    };
    static SERVER: Server = Server {
        prefix: "/crm/v7",
        origins: &[
            ("us", "https://www.zohoapis.com"),
            ("eu", "https://www.zohoapis.eu"),
        ],
        follows_api_domain: true,
        environments: &[("sandbox", "us", "https://sandbox.zohoapis.com")],
    };
    static OP: OperationInfo = OperationInfo {
        product: "crm",
        version: "v7",
        name: "list_attachments",
        method: Method::GET,
        server: &SERVER,
        kind: OperationKind::Call,
        item_status: None,
    };

    #[test]
    fn region_origin_prefix_path_and_query_in_order() {
        let query = [
            ("fields", "id,File_Name".to_owned()),
            ("page", "2".to_owned()),
            ("q", "a b&c=d".to_owned()),
        ];
        let url = Origin::DataCenter(US, None)
            .url(&OP, "/Leads/123/Attachments", &query, None)
            .expect("a URL");
        assert_eq!(
            url.as_str(),
            "https://www.zohoapis.com/crm/v7/Leads/123/Attachments?fields=id,File_Name&page=2&q=a%20b%26c%3Dd"
        );
    }

    #[test]
    fn no_query_means_no_question_mark() {
        let url = Origin::DataCenter(US, None)
            .url(&OP, "/files", &[], None)
            .expect("a URL");
        assert_eq!(url.as_str(), "https://www.zohoapis.com/crm/v7/files");
    }

    #[test]
    fn base_url_path_is_kept_before_the_prefix() {
        let url = Origin::BaseUrl("http://proxy.local:8080/zoho".into())
            .url(&OP, "/files", &[], None)
            .expect("a URL");
        assert_eq!(url.as_str(), "http://proxy.local:8080/zoho/crm/v7/files");
    }

    #[test]
    fn encoded_segments_survive_url_parsing() {
        let url = Origin::DataCenter(US, None)
            .url(&OP, "/Leads/a%2Fb%3F/Attachments", &[], None)
            .expect("a URL");
        assert_eq!(url.path(), "/crm/v7/Leads/a%2Fb%3F/Attachments");
    }

    #[test]
    fn missing_region_host_names_product_version_and_region() {
        match Origin::DataCenter(AU, None).url(&OP, "/files", &[], None) {
            Err(Error::InvalidInput { parameter, reason }) => {
                assert_eq!(parameter, "data_center");
                assert_eq!(reason, "crm v7 has no documented host for Australia");
            }
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }

    #[test]
    fn bad_paths_are_rejected() {
        for path in ["files", "/files?x=1", "/files#top"] {
            assert!(
                matches!(
                    Origin::DataCenter(US, None).url(&OP, path, &[], None),
                    Err(Error::InvalidInput {
                        parameter: "path",
                        ..
                    })
                ),
                "{path}"
            );
        }
    }

    #[test]
    fn api_domain_is_used_only_by_servers_that_follow_it_and_never_over_a_base_url() {
        static FIXED: Server = Server {
            prefix: "/crm/v7",
            origins: &[("us", "https://www.zohoapis.com")],
            follows_api_domain: false,
            environments: &[],
        };
        static FIXED_OP: OperationInfo = OperationInfo {
            product: "crm",
            version: "v7",
            name: "list_attachments",
            method: Method::GET,
            server: &FIXED,
            kind: OperationKind::Call,
            item_status: None,
        };
        let eu = Some("https://www.zohoapis.eu");
        let url = |origin: &Origin, op| origin.url(op, "/files", &[], eu).expect("a URL");
        assert_eq!(
            url(&Origin::DataCenter(US, None), &OP).as_str(),
            "https://www.zohoapis.eu/crm/v7/files"
        );
        assert_eq!(
            url(&Origin::DataCenter(US, None), &FIXED_OP).as_str(),
            "https://www.zohoapis.com/crm/v7/files"
        );
        assert_eq!(
            url(&Origin::BaseUrl("http://127.0.0.1:9".into()), &OP).as_str(),
            "http://127.0.0.1:9/crm/v7/files"
        );
        // A region without a documented host is served through the api_domain.
        assert!(
            Origin::DataCenter(AU, None)
                .url(&OP, "/files", &[], eu)
                .is_ok()
        );
    }

    #[test]
    fn only_https_or_loopback_origins_are_accepted_as_api_domain() {
        for (raw, expected) in [
            ("https://www.zohoapis.eu", Some("https://www.zohoapis.eu")),
            ("https://www.zohoapis.eu/", Some("https://www.zohoapis.eu")),
            ("http://127.0.0.1:8080", Some("http://127.0.0.1:8080")),
            ("http://localhost:8080", Some("http://localhost:8080")),
            ("http://[::1]:8080", Some("http://[::1]:8080")),
            ("http://www.zohoapis.eu", None),
            ("https://user:pw@www.zohoapis.eu", None),
            ("https://www.zohoapis.eu/crm", None),
            ("https://www.zohoapis.eu?x=1", None),
            ("ftp://www.zohoapis.eu", None),
            ("www.zohoapis.eu", None),
            ("", None),
        ] {
            assert_eq!(api_origin(raw).as_deref(), expected, "{raw}");
        }
    }

    const SANDBOX: Environment = Environment {
        id: "sandbox",
        name: "Sandbox",
        is_default: false,
    };
    const PRODUCTION: Environment = Environment {
        id: "production",
        name: "Production",
        is_default: true,
    };

    #[test]
    fn an_environment_uses_its_own_host() {
        let url = Origin::DataCenter(US, Some(SANDBOX))
            .url(&OP, "/files", &[], None)
            .expect("a URL");
        assert_eq!(url.as_str(), "https://sandbox.zohoapis.com/crm/v7/files");
        let url = Origin::DataCenter(US, Some(PRODUCTION))
            .url(&OP, "/files", &[], None)
            .expect("a URL");
        assert_eq!(url.as_str(), "https://www.zohoapis.com/crm/v7/files");
    }

    #[test]
    fn a_token_api_domain_never_moves_a_sandbox_client_to_production() {
        let production_domain = Some("https://www.zohoapis.com");
        let url = Origin::DataCenter(US, Some(SANDBOX))
            .url(&OP, "/files", &[], production_domain)
            .expect("a URL");
        assert_eq!(url.as_str(), "https://sandbox.zohoapis.com/crm/v7/files");
        // Production still follows the token's API domain.
        let url = Origin::DataCenter(US, Some(PRODUCTION))
            .url(&OP, "/files", &[], Some("https://www.zohoapis.eu"))
            .expect("a URL");
        assert_eq!(url.as_str(), "https://www.zohoapis.eu/crm/v7/files");
    }

    #[test]
    fn an_environment_without_a_host_is_refused_never_sent_to_production() {
        let Err(Error::InvalidInput { parameter, reason }) =
            Origin::DataCenter(AU, Some(SANDBOX)).url(&OP, "/files", &[], None)
        else {
            panic!("a sandbox without a documented host must be refused");
        };
        assert_eq!(parameter, "environment");
        assert_eq!(
            reason,
            "crm v7 has no documented Sandbox host for Australia"
        );
    }
}
