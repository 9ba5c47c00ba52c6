//! Which cryptography rustls uses, chosen by this crate's features.
//!
//! reqwest is built with rustls but no crypto provider of its own choosing; this module makes
//! sure one is there before an HTTP client is built:
//!
//! - `ring` (the default): ring, a small C and assembly build of a few seconds;
//! - `aws-lc-rs`: AWS-LC, larger to build (CMake and a C compiler), FIPS-capable;
//! - neither: the application installs a provider itself, with
//!   `rustls::crypto::CryptoProvider::install_default`, before it builds a client.
//!
//! A provider the application installed is always the one used. Otherwise, with `ring`, ring's
//! is installed as the process-wide default the first time a client is built (rustls keeps one
//! default per process, and reqwest reads it); with only `aws-lc-rs`, reqwest falls back to
//! AWS-LC itself.

use crate::BuildError;

/// Makes sure rustls has a crypto provider before a `reqwest::Client` is built: the one the
/// application installed, else ring's (feature `ring`, installed as the process-wide default),
/// else AWS-LC (feature `aws-lc-rs`, which reqwest falls back to).
///
/// Clients this crate builds call it themselves. Call it before building a `reqwest::Client`
/// of your own (for [`ClientBuilder::http_client`](crate::ClientBuilder::http_client)): reqwest
/// built without a provider of its own panics when there is none.
///
/// # Errors
///
/// [`BuildError::NoCryptoProvider`] when neither feature is on and none was installed.
pub fn ensure_crypto_provider() -> Result<(), BuildError> {
    if rustls::crypto::CryptoProvider::get_default().is_some() {
        return Ok(());
    }
    #[cfg(feature = "ring")]
    {
        // Fails only when another thread installed one first, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
        Ok(())
    }
    #[cfg(not(feature = "ring"))]
    {
        if cfg!(feature = "aws-lc-rs") {
            Ok(())
        } else {
            Err(BuildError::NoCryptoProvider)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_provider_is_there_once_ensured() {
        assert!(ensure_crypto_provider().is_ok());
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
    }
}
