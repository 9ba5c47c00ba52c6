//! Building a client: a data centre or a base URL, a fixed token or a token source of the
//! user's own; what goes wrong is a typed `BuildError`; the client is cheap to clone and can
//! be shared between tasks.

use std::sync::Arc;
use std::time::Duration;

use zoho_attachments::runtime::BoxFuture;
use zoho_attachments::{
    AccessToken, BuildError, Client, DataCenter, Error, StaticToken, TokenSource,
};

/// A token source of the application's own (a real one would refresh the token).
#[derive(Debug)]
struct Vault {
    token: Option<String>,
}

impl TokenSource for Vault {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        let token = self
            .token
            .clone()
            .map(AccessToken::new)
            .ok_or_else(|| Error::Auth("the vault is empty".to_owned()));
        Box::pin(std::future::ready(token))
    }
}

/// Compiles only if a `T` can be cloned into, and shared between, spawned tasks.
fn assert_shareable<T: Clone + Send + Sync + 'static>() {}

fn main() {
    assert_shareable::<Client>();
    assert_shareable::<zoho_attachments::crm::v8::CrmV8>();

    // Every data centre the spec knows, with its accounts server.
    assert_eq!(DataCenter::ALL.len(), 9);
    assert_eq!(DataCenter::Eu.id(), "eu");
    assert_eq!(DataCenter::Eu.name(), "Europe");
    assert_eq!(
        DataCenter::Ca.accounts_url(),
        "https://accounts.zohocloud.ca"
    );
    for center in DataCenter::ALL {
        let client = Client::builder()
            .data_center(*center)
            .access_token("1000.test")
            .build()
            .expect("every data centre builds a client");
        let _copy: Client = client.clone();
    }

    // Every setting of the builder.
    let built: Result<Client, BuildError> = Client::builder()
        .data_center(DataCenter::Jp)
        .base_url("http://127.0.0.1:9/proxy")
        .token_source(Arc::new(Vault {
            token: Some("1000.vault".to_owned()),
        }))
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(30))
        .user_agent("my-app/1.0")
        .build();
    assert!(built.is_ok());
    assert!(
        Client::builder()
            .base_url("http://127.0.0.1:9")
            .token_source(StaticToken::new("t"))
            .build()
            .is_ok()
    );

    // What goes wrong is typed.
    let no_place = Client::builder().access_token("t").build();
    assert!(matches!(no_place, Err(BuildError::NoDataCenter)));
    let no_token = Client::builder().data_center(DataCenter::Us).build();
    assert!(matches!(no_token, Err(BuildError::NoTokenSource)));
    let bad_url = Client::builder()
        .base_url("127.0.0.1:9")
        .access_token("t")
        .build();
    assert!(matches!(bad_url, Err(BuildError::InvalidBaseUrl { .. })));
    let bad_agent = Client::builder()
        .data_center(DataCenter::Uk)
        .access_token("t")
        .user_agent("a\nb")
        .build();
    assert!(matches!(bad_agent, Err(BuildError::InvalidUserAgent)));

    // The token never shows in the client's debug output.
    let client = Client::builder()
        .data_center(DataCenter::Sa)
        .access_token("1000.secret")
        .build()
        .unwrap();
    assert!(!format!("{client:?}").contains("1000.secret"));
}
