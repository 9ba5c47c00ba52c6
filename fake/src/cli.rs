//! The `zoho-fake` command line: start a server and print how to reach it.

use std::ffi::OsString;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use zoho_attachments::model::APIS;

use crate::{FakeZoho, Fault, RefreshCredentials};

/// A fake Zoho attachments server: every operation of every product version of the
/// `zoho-attachments` spec, at Zoho's paths, on one origin.
#[derive(Debug, Parser)]
#[command(name = "zoho-fake", version, about)]
pub struct Args {
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Host or IP address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Keep attachments in this directory (kept across restarts) instead of in memory.
    #[arg(long, value_name = "DIR")]
    pub storage: Option<PathBuf>,
    /// Accept this custom module API name (repeatable), e.g. `Shipments__c`.
    #[arg(long = "custom-module", value_name = "API_NAME")]
    pub custom_modules: Vec<String>,
    /// Lifetime of issued access tokens, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 3600)]
    pub token_lifetime: u64,
    /// Client ID the token endpoint accepts.
    #[arg(long)]
    pub client_id: Option<String>,
    /// Client secret the token endpoint accepts.
    #[arg(long)]
    pub client_secret: Option<String>,
    /// Refresh token the token endpoint accepts.
    #[arg(long)]
    pub refresh_token: Option<String>,
    /// Also print a token with exactly these comma-separated scopes, as
    /// `ZOHO_SCOPED_TOKEN` (e.g. `ZohoCRM.modules.leads.READ,ZohoCRM.modules.attachments.READ`).
    #[arg(long, value_name = "SCOPES")]
    pub scoped_token: Option<String>,
    /// A fault for every API request (repeatable): 429, 503, html, expired-token,
    /// delay=1s, stall, drop, redirect=URL, redirect-loop, huge-body=200MiB, item-error...
    #[arg(long = "fault", value_name = "FAULT")]
    pub faults: Vec<Fault>,
    /// Refuse API requests with 429 TOO_MANY_REQUESTS while this many others are in flight,
    /// as Zoho does beyond an organisation's concurrency limit.
    #[arg(long, value_name = "N")]
    pub concurrency_limit: Option<usize>,
    /// Write what each request carried to this file, one JSON line per request (method,
    /// path, query, authorization scheme, content type, headers but the user agent, body
    /// parts, operation, status), for comparing clients.
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,
}

/// Why the command failed.
#[derive(Debug)]
pub enum CliError {
    /// Bad arguments, or `--help`/`--version` (print it and exit with its code).
    Usage(clap::Error),
    /// The server could not start, or the output could not be written.
    Io(io::Error),
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::Usage(err) => write!(f, "{err}"),
            CliError::Io(err) => write!(f, "zoho-fake: {err}"),
        }
    }
}

impl std::error::Error for CliError {}

impl From<io::Error> for CliError {
    fn from(err: io::Error) -> Self {
        CliError::Io(err)
    }
}

/// Runs the command: starts the server, writes its base URL, token and refresh
/// credentials to `out` (as `ZOHO_...=value` lines), then serves until `shutdown` resolves.
///
/// # Errors
///
/// [`CliError::Usage`] for bad arguments; [`CliError::Io`] when the server cannot start.
pub async fn run<I, T>(
    args: I,
    mut out: impl AsyncWrite + Unpin,
    shutdown: impl Future<Output = ()>,
) -> Result<(), CliError>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args = Args::try_parse_from(args).map_err(CliError::Usage)?;
    let addr = resolve(&args.host, args.port).await?;
    let mut builder = FakeZoho::builder()
        .bind(addr)
        .token_lifetime(Duration::from_secs(args.token_lifetime));
    if let Some(dir) = &args.storage {
        builder = builder.storage_dir(dir);
    }
    for module in &args.custom_modules {
        builder = builder.custom_module(module);
    }
    for fault in &args.faults {
        builder = builder.fault(fault.clone());
    }
    if let Some(limit) = args.concurrency_limit {
        builder = builder.concurrency_limit(limit);
    }
    if let Some(path) = &args.record {
        builder = builder.record_wire(path);
    }
    let credentials = RefreshCredentials::default();
    builder = builder.refresh_credentials(
        args.client_id.unwrap_or(credentials.client_id),
        args.client_secret.unwrap_or(credentials.client_secret),
        args.refresh_token.unwrap_or(credentials.refresh_token),
    );
    let zoho = builder.try_start().await?;

    let credentials = zoho.refresh_credentials();
    let mut text = format!(
        "ZOHO_BASE_URL={}\nZOHO_ACCESS_TOKEN={}\nZOHO_TOKEN_URL={}\nZOHO_CLIENT_ID={}\nZOHO_CLIENT_SECRET={}\nZOHO_REFRESH_TOKEN={}\n",
        zoho.base_url(),
        zoho.token(),
        zoho.token_url(),
        credentials.client_id,
        credentials.client_secret,
        credentials.refresh_token,
    );
    text.push_str(&format!("ZOHO_EXPIRED_TOKEN={}\n", zoho.expired_token()));
    text.push_str(&format!(
        "ZOHO_GRANT_CODE={}\n",
        zoho.grant_code_for_every_scope()
    ));
    if let Some(scopes) = &args.scoped_token {
        let scopes: Vec<&str> = scopes
            .split(',')
            .map(str::trim)
            .filter(|scope| !scope.is_empty())
            .collect();
        text.push_str(&format!(
            "ZOHO_SCOPED_TOKEN={}\n",
            zoho.token_with_scopes(&scopes)
        ));
    }
    text.push_str(&format!(
        "# zoho-fake: the access token has every scope and lives {}s; the grant code (a self \
         client's, every scope) can be exchanged once within 10 minutes; storage: {}\n",
        args.token_lifetime,
        args.storage
            .as_ref()
            .map_or("memory".to_owned(), |dir| dir.display().to_string()),
    ));
    for api in APIS {
        text.push_str(&format!(
            "# {} {}: {}{}/... ({} operations)\n",
            api.product,
            api.version,
            zoho.base_url(),
            api.prefix,
            api.operations.len()
        ));
    }
    out.write_all(text.as_bytes()).await?;
    out.flush().await?;
    shutdown.await;
    zoho.shutdown().await;
    Ok(())
}

async fn resolve(host: &str, port: u16) -> io::Result<SocketAddr> {
    tokio::net::lookup_host((host, port))
        .await?
        .next()
        .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("no address for `{host}`")))
}
