//! Which spec operation a page's operation is.
//!
//! By the spec's `source:` address when the page links to it (an Endpoints link, or any link
//! of a one-operation page); otherwise by method and path (from the Endpoints section, or from
//! the sample request's URL without its server prefix) and by product and version (from the
//! request URL's or the sample's host and prefix). `--operation` bypasses all of it.

use crate::load::model::{ApiSpec, OperationDef};
use crate::load::{LoadedSpec, SpecFile};
use crate::tools::page::{OperationFacts, PageFacts};

/// A spec operation.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// Its file.
    pub file: &'a SpecFile<ApiSpec>,
    /// Its name.
    pub name: &'a str,
    /// The operation.
    pub op: &'a OperationDef,
}

impl Target<'_> {
    /// `crm.v8.upload_attachment`.
    pub fn id(&self) -> String {
        format!(
            "{}.{}.{}",
            self.file.spec.product, self.file.spec.version, self.name
        )
    }

    /// `crm.v8.upload_attachment (POST /{module_api_name}/{record_ID}/Attachments)`.
    pub fn describe(&self) -> String {
        format!("{} ({} {})", self.id(), self.op.method, self.op.path.text())
    }
}

/// Every operation of the spec.
pub fn targets(spec: &LoadedSpec) -> Vec<Target<'_>> {
    spec.apis
        .iter()
        .flat_map(|file| {
            file.spec.operations.iter().map(move |(name, op)| Target {
                file,
                name: name.as_str(),
                op,
            })
        })
        .collect()
}

/// The operation `--operation PRODUCT.VERSION.NAME` names (`crm.v2.1.upload_attachment`).
pub fn named<'a>(spec: &'a LoadedSpec, id: &str) -> Result<Target<'a>, String> {
    let all = targets(spec);
    if let Some(target) = all.iter().find(|target| target.id() == id) {
        return Ok(*target);
    }
    let mut nearest: Vec<(f64, String)> = all
        .iter()
        .map(|target| (strsim::jaro_winkler(id, &target.id()), target.id()))
        .collect();
    nearest.sort_by(|a, b| b.0.total_cmp(&a.0));
    let names: Vec<String> = nearest.into_iter().take(3).map(|(_, id)| id).collect();
    Err(format!(
        "no operation `{id}` in the spec (PRODUCT.VERSION.NAME); the nearest: {}",
        names.join(", ")
    ))
}

/// Finds the operation a page operation describes, saying how; or says why none fits, naming
/// the nearest candidates.
pub fn find<'a>(
    spec: &'a LoadedSpec,
    page: &PageFacts,
    operation: &OperationFacts,
) -> Result<(Target<'a>, String), String> {
    let all = targets(spec);
    let mut links: Vec<String> = operation
        .endpoints
        .iter()
        .filter_map(|endpoint| endpoint.value.link.as_deref())
        .map(address)
        .collect();
    if page.operations.len() == 1 {
        links.extend(page.links.iter().map(|link| address(&link.value)));
    }
    let by_source: Vec<Target<'a>> = all
        .iter()
        .copied()
        .filter(|target| links.contains(&address(&target.op.source)))
        .collect();
    let requests = Request::variants(operation);
    if by_source.len() == 1 {
        return Ok((by_source[0], "its source address".to_owned()));
    }
    let pool = if by_source.is_empty() { all } else { by_source };
    // What the page says of its request may disagree with itself once it has changed (a new
    // method in Endpoints, another version in the request URL): the first reading that names
    // exactly one operation wins, and comparing then reports the disagreement.
    let mut ambiguous: Option<(String, Vec<Target<'a>>)> = None;
    for request in &requests {
        let fitting: Vec<Target<'a>> = pool
            .iter()
            .copied()
            .filter(|target| request.fits(spec, target))
            .collect();
        match fitting.as_slice() {
            [target] => return Ok((*target, request.how())),
            [] => {}
            several => {
                if ambiguous.is_none() {
                    ambiguous = Some((request.what(), several.to_vec()));
                }
            }
        }
    }
    let first = &requests[0];
    match ambiguous {
        Some((what, several)) => Err(format!(
            "matches {} operations ({what}): {}; name one with --operation",
            several.len(),
            several
                .iter()
                .map(Target::id)
                .collect::<Vec<_>>()
                .join(", ")
        )),
        None => Err(format!(
            "matches no operation of the spec ({}); the nearest: {}; name one with --operation",
            first.what(),
            nearest(&pool, first).join(", ")
        )),
    }
}

/// A link address as compared with `source:`: without fragment, query and final slash.
fn address(link: &str) -> String {
    let link = link.split(['#', '?']).next().unwrap_or(link);
    let link = link
        .strip_prefix("http://")
        .map_or_else(|| link.to_owned(), |rest| format!("https://{rest}"));
    link.trim_end_matches('/').to_owned()
}

/// What a page says of its request.
struct Request {
    method: Option<String>,
    /// The Endpoints path, relative to the version's prefix.
    endpoint: Option<String>,
    /// URLs with their host: the sample request's and the request URL.
    urls: Vec<String>,
}

impl Request {
    /// The readings of the page's request, most complete first: everything it says; its
    /// sample request alone; its request URL with its Endpoints.
    fn variants(operation: &OperationFacts) -> Vec<Request> {
        let sample = operation.sample_request.as_ref().map(|s| s.value.as_str());
        let sample_method = sample.and_then(curl_method);
        let sample_url = sample.and_then(curl_url);
        let endpoint = operation.endpoints.first().map(|endpoint| &endpoint.value);
        let request_url = operation.request_url.as_ref().map(|url| url.value.clone());
        let endpoint_method = endpoint.map(|endpoint| endpoint.method.clone());
        let endpoint_path = endpoint.map(|endpoint| endpoint.path.clone());
        let full = Request {
            method: endpoint_method.clone().or_else(|| sample_method.clone()),
            endpoint: endpoint_path.clone(),
            urls: sample_url.iter().chain(&request_url).cloned().collect(),
        };
        let mut variants = vec![full];
        if sample_url.is_some() {
            variants.push(Request {
                method: sample_method.clone(),
                endpoint: None,
                urls: sample_url.into_iter().collect(),
            });
        }
        if request_url.is_some() || endpoint_path.is_some() {
            variants.push(Request {
                method: endpoint_method.or(sample_method),
                endpoint: endpoint_path,
                urls: request_url.into_iter().collect(),
            });
        }
        variants
    }

    fn what(&self) -> String {
        let mut parts = Vec::new();
        if let Some(method) = &self.method {
            parts.push(method.clone());
        }
        if let Some(path) = &self.endpoint {
            parts.push(path.clone());
        } else if let Some(url) = self.urls.first() {
            parts.push(url.clone());
        }
        if parts.is_empty() {
            "the page gives no endpoint, request URL or sample request".to_owned()
        } else {
            parts.join(" ")
        }
    }

    fn how(&self) -> String {
        format!("method and path ({})", self.what())
    }

    /// Whether the target has this method, path, product and version.
    fn fits(&self, spec: &LoadedSpec, target: &Target<'_>) -> bool {
        if self
            .method
            .as_deref()
            .is_some_and(|m| m != target.op.method)
        {
            return false;
        }
        let path = target.op.path.text();
        if let Some(endpoint) = &self.endpoint
            && !same_route(endpoint, path)
        {
            return false;
        }
        let mut any_url = false;
        for url in &self.urls {
            match rest_of(spec, target.file, url) {
                Some(rest) => {
                    any_url = true;
                    if self.endpoint.is_none() && !same_route(&rest, path) {
                        return false;
                    }
                }
                // A URL of another product or version rules the target out; a template
                // without a host says nothing of the product.
                None if has_host(url) => return false,
                None => {}
            }
        }
        any_url || self.endpoint.is_some() && self.urls.is_empty()
    }
}

fn nearest(pool: &[Target<'_>], request: &Request) -> Vec<String> {
    let wanted = format!(
        "{} {}",
        request.method.as_deref().unwrap_or(""),
        request
            .endpoint
            .as_deref()
            .or(request.urls.first().map(String::as_str))
            .unwrap_or("")
    );
    let mut scored: Vec<(f64, String)> = pool
        .iter()
        .map(|target| {
            let route = format!("{} {}", target.op.method, target.op.path.text());
            (strsim::jaro_winkler(&wanted, &route), target.describe())
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.into_iter().take(3).map(|(_, name)| name).collect()
}

/// The method of a curl sample: `-X METHOD`, else POST when it sends form data, else GET.
pub fn curl_method(sample: &str) -> Option<String> {
    if !sample.trim_start().starts_with("curl") {
        return None;
    }
    let words: Vec<&str> = sample.split_whitespace().collect();
    if let Some(at) = words
        .iter()
        .position(|word| *word == "-X" || *word == "--request")
    {
        return words
            .get(at + 1)
            .map(|method| method.trim_matches('"').to_owned());
    }
    let sends = words
        .iter()
        .any(|word| matches!(*word, "-F" | "-d" | "--data" | "--form" | "--data-binary"));
    Some(if sends { "POST" } else { "GET" }.to_owned())
}

/// The URL of a curl sample.
pub fn curl_url(sample: &str) -> Option<String> {
    sample
        .split_whitespace()
        .map(|word| word.trim_matches(['"', '\'']))
        .find(|word| word.starts_with("https://") || word.starts_with("http://"))
        .map(str::to_owned)
}

fn has_host(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

/// The path of `url` after `file`'s server prefix, when `url` is on one of its hosts (or has
/// no host: `{api-domain}/crm/{version}/...`) and under its prefix.
pub fn rest_of(spec: &LoadedSpec, file: &SpecFile<ApiSpec>, url: &str) -> Option<String> {
    let url = url.split(['?', '#']).next().unwrap_or(url);
    let path = if has_host(url) {
        let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
        let (host, path) = after_scheme
            .split_once('/')
            .map_or((after_scheme, ""), |(host, path)| (host, path));
        let origin = format!("https://{host}");
        let hosts = spec.shared.spec.hosts.get(&file.spec.server.hosts)?;
        if !hosts.serves(&origin) {
            return None;
        }
        format!("/{path}")
    } else {
        let start = url.find('/')?;
        url[start..].replace("{version}", &file.spec.version)
    };
    let prefix = file.spec.server.prefix.trim_end_matches('/');
    let rest = path.strip_prefix(prefix)?;
    rest.starts_with('/').then(|| rest.to_owned())
}

/// Whether two paths name the same route: the same segments, where a `{placeholder}` on
/// either side stands for any one segment.
pub fn same_route(a: &str, b: &str) -> bool {
    let a: Vec<&str> = a.trim_end_matches('/').split('/').collect();
    let b: Vec<&str> = b.trim_end_matches('/').split('/').collect();
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(x, y)| x == y || is_placeholder(x) || is_placeholder(y))
}

fn is_placeholder(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}') && segment.len() > 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curl_samples_give_method_and_url() {
        let sample = "curl \"https://www.zohoapis.com/crm/v2.1/Leads/1/Attachments\"\n-H \"Authorization: x\"\n-F \"file=@a.txt\"";
        assert_eq!(curl_method(sample).as_deref(), Some("POST"));
        assert_eq!(
            curl_url(sample).as_deref(),
            Some("https://www.zohoapis.com/crm/v2.1/Leads/1/Attachments")
        );
        assert_eq!(
            curl_method("curl \"https://x/y\"\n-X DELETE").as_deref(),
            Some("DELETE")
        );
        assert_eq!(curl_method("curl \"https://x/y\"").as_deref(), Some("GET"));
        assert_eq!(curl_method("response = invokeurl"), None);
    }

    #[test]
    fn routes_match_segment_by_segment() {
        assert!(same_route(
            "/Leads/123/Attachments",
            "/{module_api_name}/{record_id}/Attachments"
        ));
        assert!(same_route(
            "/{a}/{record_ID}/Attachments",
            "/{b}/{c}/Attachments"
        ));
        assert!(!same_route(
            "/Leads/123/Attachments/9",
            "/{m}/{r}/Attachments"
        ));
        assert!(!same_route("/Leads/123/photo", "/{m}/{r}/Attachments"));
    }

    #[test]
    fn addresses_ignore_fragments_and_queries() {
        assert_eq!(
            address("https://www.zoho.com/crm/x.html#top"),
            "https://www.zoho.com/crm/x.html"
        );
        assert_eq!(address("http://a.b/c/?q=1"), "https://a.b/c");
    }
}
