//! Where a page's operation is served: the host set and prefix its request URL names.
//!
//! `{api-domain}/crm/{version}/...` names the host set that follows a token's API domain; a full
//! URL (`https://contracts.zoho.com/api/v1/...`) names the host set that has its origin. The
//! prefix is the URL's path up to its version segment (`/crm/v7`, `/api/v1`): every Zoho page
//! puts the version there, and the rest is the operation's own path.

use crate::load::model::SharedSpec;

/// The server of a drafted product file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// A key of `hosts` in `shared.yaml`.
    pub hosts: String,
    /// The path before every operation path.
    pub prefix: String,
    /// The operation's path after the prefix, as the URL writes it.
    pub rest: String,
}

/// Reads `url` (a page's Request URL or its sample's URL) for product version `version`.
pub fn read(shared: &SharedSpec, url: &str, version: &str) -> Result<Server, String> {
    let url = url.split(['?', '#']).next().unwrap_or(url).trim();
    let (hosts, path) = if let Some(rest) = url.strip_prefix("{api-domain}") {
        let hosts = shared
            .hosts
            .iter()
            .find(|(_, set)| set.follows_api_domain)
            .map(|(name, _)| name.clone())
            .ok_or(
                "`{api-domain}` names no host set of shared.yaml (none has `follows_api_domain`)",
            )?;
        (hosts, rest.to_owned())
    } else {
        let after_scheme = url
            .strip_prefix("https://")
            .ok_or_else(|| format!("`{url}` is neither an https URL nor `{{api-domain}}/...`"))?;
        let (host, path) = after_scheme.split_once('/').unwrap_or((after_scheme, ""));
        let origin = format!("https://{host}");
        let hosts = shared
            .hosts
            .iter()
            .find(|(_, set)| set.serves(&origin))
            .map(|(name, _)| name.clone())
            .ok_or_else(|| format!("no host set of shared.yaml has the origin {origin}"))?;
        (hosts, format!("/{path}"))
    };
    let path = path.replace("{version}", version);
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let at = segments
        .iter()
        .position(|segment| *segment == version)
        .ok_or_else(|| format!("`{url}` has no `{version}` (or `{{version}}`) segment"))?;
    Ok(Server {
        hosts,
        prefix: format!("/{}", segments[..=at].join("/")),
        rest: format!("/{}", segments[at + 1..].join("/")),
    })
}
