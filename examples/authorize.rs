//! From a Zoho account to a first call: get a refresh token once, keep it in a token file, and
//! list a record's attachments with it. The steps are in the README ("First-time OAuth").
//!
//! ```text
//! # A self client (a script acting for you): a grant code from the API console's Self Client.
//! cargo run --example authorize -- --client-id 1000.ABC --client-secret SECRET \
//!     --data-center eu --grant-code 1000.9a8b... --list Leads/4876876000000376008
//!
//! # A server-based app (acting for whoever signs in): prints the consent page to open, and
//! # waits for Zoho's redirect on http://127.0.0.1:8765/callback (register that URI).
//! cargo run --example authorize -- --client-id 1000.ABC --client-secret SECRET --data-center eu
//!
//! # Later runs refresh from the token file; --revoke ends the refresh token's life.
//! cargo run --example authorize -- --client-id 1000.ABC --client-secret SECRET \
//!     --data-center eu --list Leads/4876876000000376008
//! ```

use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use zoho_attachments::crm::v8;
use zoho_attachments::runtime::{
    AuthorizationCallback, AuthorizationRequest, FileTokenStore, GrantedTokens, OAuthApp,
    TokenStore,
};
use zoho_attachments::{Client, DataCenter};

/// Gets a Zoho refresh token with a grant code and keeps it in a token file.
#[derive(Debug, Parser)]
#[command(name = "authorize")]
struct Args {
    /// The client ID from Zoho's API console.
    #[arg(long)]
    client_id: String,
    /// The client secret from Zoho's API console.
    #[arg(long)]
    client_secret: String,
    /// The data centre the app is registered in: us, eu, in, au, jp, cn, ca, sa or uk.
    #[arg(long, default_value = "us", value_parser = data_center)]
    data_center: DataCenter,
    /// A self client's grant code; without it, the authorization-code flow runs.
    #[arg(long)]
    grant_code: Option<String>,
    /// The scopes to ask for, comma-separated (default: what listing and uploading the
    /// attachments of Leads needs, in CRM v8).
    #[arg(long, value_delimiter = ',')]
    scope: Vec<String>,
    /// The loopback port of the redirect URI `http://127.0.0.1:PORT/callback` (0: any).
    #[arg(long, default_value_t = 8765)]
    port: u16,
    /// Where the tokens are kept (readable by you only).
    #[arg(long, default_value = "zoho-token.json")]
    store: PathBuf,
    /// Then list the attachments of this record, as `MODULE/RECORD_ID`.
    #[arg(long, value_name = "MODULE/RECORD_ID")]
    list: Option<String>,
    /// Revoke the stored refresh token instead, and delete the token file.
    #[arg(long)]
    revoke: bool,
    /// Another accounts server than the data centre's (such as zoho-fake's base URL).
    #[arg(long, value_name = "URL")]
    accounts_url: Option<String>,
    /// Another API origin than the data centre's (such as zoho-fake's base URL).
    #[arg(long, value_name = "URL")]
    api_url: Option<String>,
}

fn data_center(id: &str) -> Result<DataCenter, String> {
    DataCenter::ALL
        .iter()
        .copied()
        .find(|center| center.id().eq_ignore_ascii_case(id))
        .ok_or_else(|| {
            let ids: Vec<&str> = DataCenter::ALL.iter().map(|center| center.id()).collect();
            format!("one of {}", ids.join(", "))
        })
}

type Failure = Box<dyn std::error::Error>;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Failure> {
    let args = Args::parse();
    let mut app = OAuthApp::new(&args.client_id, &args.client_secret, args.data_center);
    if let Some(url) = &args.accounts_url {
        app = app.accounts_url(url);
    }
    let store = Arc::new(FileTokenStore::new(&args.store));

    if args.revoke {
        return revoke(&app, &store, &args).await;
    }
    let already = store
        .load()
        .await?
        .is_some_and(|stored| stored.refresh_token.is_some());
    if args.grant_code.is_some() || !already {
        let granted = match &args.grant_code {
            Some(code) => app.exchange_grant_code(code, None).await?,
            None => authorization_code_flow(&app, &args).await?,
        };
        granted.save(store.as_ref()).await?;
        println!("saved a refresh token in {}", args.store.display());
    } else {
        println!("using the refresh token in {}", args.store.display());
    }

    if let Some(target) = &args.list {
        let (module, record) = target
            .split_once('/')
            .ok_or("--list takes MODULE/RECORD_ID, such as Leads/4876876000000376008")?;
        let mut builder = Client::builder()
            .data_center(args.data_center)
            .token_source(app.token_source(store.clone()));
        if let Some(url) = &args.api_url {
            builder = builder.base_url(url);
        }
        let page = builder
            .build()?
            .crm_v8()
            .list_attachments(
                v8::Module::custom(module),
                record,
                ["id", "File_Name", "Size"],
            )
            .send()
            .await?;
        println!("{} attachment(s) on {module} {record}", page.data.len());
        for attachment in &page.data {
            println!(
                "  {} {}",
                attachment.id.as_deref().unwrap_or("?"),
                attachment.file_name.as_deref().unwrap_or("(no name)")
            );
        }
    }
    Ok(())
}

/// Sends the user to the consent page and waits for Zoho's redirect on the loopback address.
async fn authorization_code_flow(app: &OAuthApp, args: &Args) -> Result<GrantedTokens, Failure> {
    let listener = TcpListener::bind(("127.0.0.1", args.port)).await?;
    let redirect_uri = format!("http://{}/callback", listener.local_addr()?);
    let scopes = if args.scope.is_empty() {
        let mut scopes = v8::ListAttachments::minimal_scopes(&v8::Module::Leads);
        scopes.extend(v8::UploadAttachment::minimal_scopes(&v8::Module::Leads));
        scopes.sort();
        scopes.dedup();
        scopes
    } else {
        args.scope.clone()
    };
    let request = AuthorizationRequest::new(redirect_uri, scopes)?;
    println!("Open this page, sign in to Zoho and accept:");
    println!("{}", app.authorization_url(&request)?);

    loop {
        let (mut connection, _) = listener.accept().await?;
        let mut request_line = String::new();
        BufReader::new(&mut connection)
            .read_line(&mut request_line)
            .await?;
        // `GET /callback?code=...&state=... HTTP/1.1`
        let target = request_line.split_whitespace().nth(1).unwrap_or_default();
        if !target.starts_with("/callback") {
            connection
                .write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n")
                .await?;
            continue;
        }
        let outcome = match AuthorizationCallback::parse(target) {
            Ok(callback) => app.exchange_callback(&request, &callback).await,
            Err(error) => Err(error),
        };
        let page = match &outcome {
            Ok(_) => "Done: you can close this tab.",
            Err(_) => "Zoho did not grant access; see the terminal.",
        };
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{page}",
            page.len()
        );
        connection.write_all(response.as_bytes()).await?;
        return Ok(outcome?);
    }
}

async fn revoke(app: &OAuthApp, store: &Arc<FileTokenStore>, args: &Args) -> Result<(), Failure> {
    let stored = store.load().await?;
    let refresh_token = stored
        .and_then(|stored| stored.refresh_token)
        .ok_or("the token file holds no refresh token")?;
    app.revoke(&refresh_token).await?;
    std::fs::remove_file(&args.store)?;
    println!(
        "revoked the refresh token and deleted {}",
        args.store.display()
    );
    Ok(())
}
