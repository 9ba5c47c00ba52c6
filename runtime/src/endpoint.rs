//! Where requests go: data centres, servers, operations, and the URL built from them.

use std::fmt;

use http::Method;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use url::Url;

use crate::Error;

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

/// Where one product version is served: a path prefix and one origin per region id.
///
/// ```
/// # use zoho_runtime::Server;
/// static CRM: Server = Server {
///     prefix: "/crm/v7",
///     origins: &[("us", "https://www.zohoapis.com"), ("eu", "https://www.zohoapis.eu")],
/// };
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Server {
    /// Path prefix placed before every operation path, e.g. `"/crm/v7"`.
    pub prefix: &'static str,
    /// `(region id, origin)` pairs; the origin has no trailing slash.
    pub origins: &'static [(&'static str, &'static str)],
    /// Whether the `api_domain` a token answer names replaces the data centre's origin for
    /// this server (Zoho's API domain, shared by CRM and Bigin).
    pub follows_api_domain: bool,
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
}

/// The origin a client sends to: chosen per operation from a data centre, or fixed.
#[derive(Clone)]
pub(crate) enum Origin {
    DataCenter(Region),
    /// Validated by the builder: absolute http(s), no credentials, query, fragment or
    /// trailing slash.
    BaseUrl(String),
}

impl fmt::Debug for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::DataCenter(region) => f.debug_tuple("DataCenter").field(&region.id).finish(),
            Origin::BaseUrl(url) => f.debug_tuple("BaseUrl").field(url).finish(),
        }
    }
}

impl Origin {
    /// origin + server prefix + request path + `?` + percent-encoded query (order kept).
    pub(crate) fn url(
        &self,
        op: &OperationInfo,
        path: &str,
        query: &[(&'static str, String)],
    ) -> Result<Url, Error> {
        let origin = match self {
            Origin::BaseUrl(url) => url.as_str(),
            Origin::DataCenter(region) => region_origin(op, region)?,
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

/// The path must be relative to the prefix and must not smuggle in a query or fragment.
fn check_path(path: &str) -> Result<(), Error> {
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
        follows_api_domain: false,
    };
    static OP: OperationInfo = OperationInfo {
        product: "crm",
        version: "v7",
        name: "list_attachments",
        method: Method::GET,
        server: &SERVER,
    };

    #[test]
    fn region_origin_prefix_path_and_query_in_order() {
        let query = [
            ("fields", "id,File_Name".to_owned()),
            ("page", "2".to_owned()),
            ("q", "a b&c=d".to_owned()),
        ];
        let url = Origin::DataCenter(US)
            .url(&OP, "/Leads/123/Attachments", &query)
            .expect("a URL");
        assert_eq!(
            url.as_str(),
            "https://www.zohoapis.com/crm/v7/Leads/123/Attachments?fields=id,File_Name&page=2&q=a%20b%26c%3Dd"
        );
    }

    #[test]
    fn no_query_means_no_question_mark() {
        let url = Origin::DataCenter(US)
            .url(&OP, "/files", &[])
            .expect("a URL");
        assert_eq!(url.as_str(), "https://www.zohoapis.com/crm/v7/files");
    }

    #[test]
    fn base_url_path_is_kept_before_the_prefix() {
        let url = Origin::BaseUrl("http://proxy.local:8080/zoho".into())
            .url(&OP, "/files", &[])
            .expect("a URL");
        assert_eq!(url.as_str(), "http://proxy.local:8080/zoho/crm/v7/files");
    }

    #[test]
    fn encoded_segments_survive_url_parsing() {
        let url = Origin::DataCenter(US)
            .url(&OP, "/Leads/a%2Fb%3F/Attachments", &[])
            .expect("a URL");
        assert_eq!(url.path(), "/crm/v7/Leads/a%2Fb%3F/Attachments");
    }

    #[test]
    fn missing_region_host_names_product_version_and_region() {
        match Origin::DataCenter(AU).url(&OP, "/files", &[]) {
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
                    Origin::DataCenter(US).url(&OP, path, &[]),
                    Err(Error::InvalidInput {
                        parameter: "path",
                        ..
                    })
                ),
                "{path}"
            );
        }
    }
}
