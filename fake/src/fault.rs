//! Injected failures: what a real network and a busy Zoho do to a client.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// Something going wrong with a request, on purpose.
///
/// Faults come from three places (the first that applies wins): the request's
/// `x-fake-fault` header, faults injected with [`FakeZoho::inject`](crate::FakeZoho::inject)
/// for the next requests, and faults set for the whole server with
/// [`FakeZohoBuilder::fault`](crate::FakeZohoBuilder::fault).
///
/// The header, `--fault` on the command line and [`Fault::from_str`] take the same
/// text: `429` (or `429=2s`, `rate-limit=2s`), `500`, `503` (any 5xx), `html`,
/// `expired-token`, `delay=300ms`, `stall` (or `stall=5s`, `stall=5s@10` to send 10 bytes
/// first), `drop` (or `drop=10` to send 10 bytes before closing), `redirect=URL` (or
/// `redirect=302:URL`), `redirect-loop`, `huge-body=200MiB`, `item-error` (or
/// `item-error=CODE`). Several may be joined with commas (`delay=1s,drop`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// `429 TOO_MANY_REQUESTS` with a `Retry-After` header (whole seconds, rounded up).
    RateLimit {
        /// Sent as `Retry-After`.
        retry_after: Duration,
    },
    /// A 5xx answer (`500`, `503`...) with Zoho's `INTERNAL_ERROR` envelope.
    ServerError(u16),
    /// `502 Bad Gateway` as an HTML page, as a proxy in front of Zoho sends it.
    HtmlErrorPage,
    /// `401 INVALID_TOKEN`, as when the access token expired a moment ago.
    ExpiredToken,
    /// Wait this long before answering (before the status line is sent).
    Delay(Duration),
    /// Send the status, the headers and `after_bytes` of the body, then stall for
    /// `stall` before sending the rest.
    StallBody {
        /// Bytes sent before the stall; `None` for half the body.
        after_bytes: Option<usize>,
        /// How long the body stalls.
        stall: Duration,
    },
    /// Send the status and headers (with the full `Content-Length`) and `after_bytes` of
    /// the body, then close the connection.
    DropConnection {
        /// Bytes sent before closing; `None` for half the body.
        after_bytes: Option<usize>,
    },
    /// Answer `status` (a 3xx) with `Location: to` instead of the operation, as a hostile or
    /// misconfigured server would: a client must not follow it off its origin with a
    /// credential. Works on the token endpoint too (operation `oauth_token`).
    Redirect {
        /// The redirect's status (307 unless given).
        status: u16,
        /// Where it points: an absolute URL or a path.
        to: String,
    },
    /// Answer `302` to the request's own path, every time: a redirect loop.
    RedirectLoop,
    /// Answer `200` with a JSON body of `bytes` bytes (a `data` list padded with spaces),
    /// streamed without `Content-Length` and never held in memory: an answer too large to
    /// read whole.
    HugeBody {
        /// Its length.
        bytes: u64,
    },
    /// Answer with the operation's success status, but with its item failed: the item's
    /// status where the operation reports per-item outcomes says `error`, with `code`
    /// (documented message when the page gives one). Nothing is stored or deleted. An
    /// operation without per-item outcomes is served as usual.
    ItemError {
        /// The failed item's code (`INVALID_DATA` unless given).
        code: String,
    },
}

impl Fault {
    /// `429` with `Retry-After: 1`.
    pub fn rate_limit() -> Self {
        Fault::RateLimit {
            retry_after: Duration::from_secs(1),
        }
    }

    /// A body that stalls for a minute after half of it was sent.
    pub fn stall() -> Self {
        Fault::StallBody {
            after_bytes: None,
            stall: DEFAULT_STALL,
        }
    }

    /// A connection closed after half of the body was sent.
    pub fn drop_connection() -> Self {
        Fault::DropConnection { after_bytes: None }
    }

    /// A `307` to `to`.
    pub fn redirect(to: impl Into<String>) -> Self {
        Fault::Redirect {
            status: 307,
            to: to.into(),
        }
    }

    /// A failed item with code `INVALID_DATA`.
    pub fn item_error() -> Self {
        Fault::ItemError {
            code: DEFAULT_ITEM_CODE.to_owned(),
        }
    }

    /// Parses a comma-separated list of faults (the `x-fake-fault` header's syntax).
    ///
    /// # Errors
    ///
    /// A message naming the part that is not a fault.
    pub fn parse_list(text: &str) -> Result<Vec<Fault>, String> {
        text.split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(str::parse)
            .collect()
    }

    /// Answers instead of the operation (an item error only for an operation whose answer
    /// reports per-item outcomes, `has_item_status`).
    pub(crate) fn is_answer(&self, has_item_status: bool) -> bool {
        match self {
            Fault::RateLimit { .. }
            | Fault::ServerError(_)
            | Fault::HtmlErrorPage
            | Fault::ExpiredToken
            | Fault::Redirect { .. }
            | Fault::RedirectLoop
            | Fault::HugeBody { .. } => true,
            Fault::ItemError { .. } => has_item_status,
            Fault::Delay(_) | Fault::StallBody { .. } | Fault::DropConnection { .. } => false,
        }
    }

    /// Changes how the body is sent.
    pub(crate) fn is_body(&self) -> bool {
        matches!(self, Fault::StallBody { .. } | Fault::DropConnection { .. })
    }
}

const DEFAULT_STALL: Duration = Duration::from_secs(60);
const DEFAULT_REDIRECT: u16 = 307;
const DEFAULT_ITEM_CODE: &str = "INVALID_DATA";

impl FromStr for Fault {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (name, value) = match text.split_once('=') {
            Some((name, value)) => (name.trim(), Some(value.trim())),
            None => (text, None),
        };
        let bad = || {
            format!(
                "`{text}` is not a fault (try 429, 503, html, expired-token, delay=1s, stall, \
                 drop, redirect=URL, redirect-loop, huge-body=200MiB, item-error)"
            )
        };
        match name.to_ascii_lowercase().as_str() {
            "429" | "rate-limit" => Ok(Fault::RateLimit {
                retry_after: match value {
                    Some(value) => parse_duration(value).ok_or_else(bad)?,
                    None => Duration::from_secs(1),
                },
            }),
            "html" | "html-error" | "502-html" if value.is_none() => Ok(Fault::HtmlErrorPage),
            "expired-token" if value.is_none() => Ok(Fault::ExpiredToken),
            "delay" | "slow" => Ok(Fault::Delay(
                value.and_then(parse_duration).ok_or_else(bad)?,
            )),
            "stall" => {
                let (stall, after_bytes) = match value {
                    None => (DEFAULT_STALL, None),
                    Some(value) => match value.split_once('@') {
                        Some((stall, bytes)) => (
                            parse_duration(stall).ok_or_else(bad)?,
                            Some(bytes.trim().parse().map_err(|_| bad())?),
                        ),
                        None => (parse_duration(value).ok_or_else(bad)?, None),
                    },
                };
                Ok(Fault::StallBody { after_bytes, stall })
            }
            "redirect" => {
                let value = value.filter(|value| !value.is_empty()).ok_or_else(bad)?;
                // `302:https://...`: a status first; else the whole value is the target.
                let (status, to) = match value.split_once(':') {
                    Some((status, to)) if status.len() == 3 && status.starts_with('3') => {
                        (status.parse().map_err(|_| bad())?, to)
                    }
                    _ => (DEFAULT_REDIRECT, value),
                };
                Ok(Fault::Redirect {
                    status,
                    to: to.to_owned(),
                })
            }
            "redirect-loop" if value.is_none() => Ok(Fault::RedirectLoop),
            "huge-body" => Ok(Fault::HugeBody {
                bytes: value.and_then(parse_size).ok_or_else(bad)?,
            }),
            "item-error" => Ok(Fault::ItemError {
                code: match value {
                    Some(code)
                        if !code.is_empty()
                            && code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') =>
                    {
                        code.to_owned()
                    }
                    Some(_) => return Err(bad()),
                    None => DEFAULT_ITEM_CODE.to_owned(),
                },
            }),
            "drop" => Ok(Fault::DropConnection {
                after_bytes: match value {
                    Some(value) => Some(value.parse().map_err(|_| bad())?),
                    None => None,
                },
            }),
            status if value.is_none() => match status.parse::<u16>() {
                Ok(code @ 500..=599) => Ok(Fault::ServerError(code)),
                _ => Err(bad()),
            },
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::RateLimit { retry_after } => write!(f, "429={}ms", retry_after.as_millis()),
            Fault::ServerError(status) => write!(f, "{status}"),
            Fault::HtmlErrorPage => f.write_str("html"),
            Fault::ExpiredToken => f.write_str("expired-token"),
            Fault::Delay(delay) => write!(f, "delay={}ms", delay.as_millis()),
            Fault::StallBody { after_bytes, stall } => {
                write!(f, "stall={}ms", stall.as_millis())?;
                match after_bytes {
                    Some(bytes) => write!(f, "@{bytes}"),
                    None => Ok(()),
                }
            }
            Fault::DropConnection { after_bytes } => match after_bytes {
                Some(bytes) => write!(f, "drop={bytes}"),
                None => f.write_str("drop"),
            },
            Fault::Redirect { status, to } => write!(f, "redirect={status}:{to}"),
            Fault::RedirectLoop => f.write_str("redirect-loop"),
            Fault::HugeBody { bytes } => write!(f, "huge-body={bytes}"),
            Fault::ItemError { code } => write!(f, "item-error={code}"),
        }
    }
}

/// `4096`, `64KiB`, `200MiB`, `1GiB` (or `KB`, `MB`, `GB`, the same binary multiples).
fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let at = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(at);
    let number: u64 = number.parse().ok()?;
    let multiple: u64 = match unit.trim() {
        "" | "B" => 1,
        "K" | "KB" | "KiB" => 1 << 10,
        "M" | "MB" | "MiB" => 1 << 20,
        "G" | "GB" | "GiB" => 1 << 30,
        _ => return None,
    };
    number.checked_mul(multiple)
}

/// `250ms`, `2s`, `1m`, or a bare number of seconds.
pub(crate) fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit() && c != '.') {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let number: f64 = number.parse().ok()?;
    let seconds = match unit {
        "ms" => number / 1000.0,
        "s" => number,
        "m" => number * 60.0,
        _ => return None,
    };
    (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_syntax() {
        assert_eq!("429".parse(), Ok(Fault::rate_limit()));
        assert_eq!(
            "429=3s".parse(),
            Ok(Fault::RateLimit {
                retry_after: Duration::from_secs(3)
            })
        );
        assert_eq!("503".parse(), Ok(Fault::ServerError(503)));
        assert_eq!("html".parse(), Ok(Fault::HtmlErrorPage));
        assert_eq!("expired-token".parse(), Ok(Fault::ExpiredToken));
        assert_eq!(
            "delay=250ms".parse(),
            Ok(Fault::Delay(Duration::from_millis(250)))
        );
        assert_eq!("stall".parse(), Ok(Fault::stall()));
        assert_eq!(
            "stall=2s@10".parse(),
            Ok(Fault::StallBody {
                after_bytes: Some(10),
                stall: Duration::from_secs(2)
            })
        );
        assert_eq!(
            "drop=5".parse(),
            Ok(Fault::DropConnection {
                after_bytes: Some(5)
            })
        );
        assert_eq!(
            "redirect=https://evil.example/x".parse(),
            Ok(Fault::redirect("https://evil.example/x"))
        );
        assert_eq!(
            "redirect=302:/elsewhere".parse(),
            Ok(Fault::Redirect {
                status: 302,
                to: "/elsewhere".to_owned()
            })
        );
        assert_eq!("redirect-loop".parse(), Ok(Fault::RedirectLoop));
        assert_eq!(
            "huge-body=200MiB".parse(),
            Ok(Fault::HugeBody {
                bytes: 200 * 1024 * 1024
            })
        );
        assert_eq!("item-error".parse(), Ok(Fault::item_error()));
        assert_eq!(
            "item-error=RECORD_LOCKED".parse(),
            Ok(Fault::ItemError {
                code: "RECORD_LOCKED".to_owned()
            })
        );
        assert_eq!(
            Fault::parse_list("delay=1s, drop"),
            Ok(vec![
                Fault::Delay(Duration::from_secs(1)),
                Fault::drop_connection()
            ])
        );
    }

    #[test]
    fn nonsense_is_refused_with_a_hint() {
        for text in [
            "404",
            "delay",
            "delay=soon",
            "drop=all",
            "teapot",
            "html=1",
            "redirect",
            "huge-body=lots",
            "item-error=lower",
        ] {
            let err = text.parse::<Fault>().expect_err(text);
            assert!(err.contains(text), "{err}");
        }
    }

    #[test]
    fn display_round_trips() {
        for fault in [
            Fault::rate_limit(),
            Fault::ServerError(500),
            Fault::HtmlErrorPage,
            Fault::ExpiredToken,
            Fault::Delay(Duration::from_millis(20)),
            Fault::stall(),
            Fault::StallBody {
                after_bytes: Some(3),
                stall: Duration::from_secs(1),
            },
            Fault::drop_connection(),
            Fault::DropConnection {
                after_bytes: Some(7),
            },
            Fault::redirect("https://evil.example:8443/steal?x=1"),
            Fault::Redirect {
                status: 308,
                to: "/other".to_owned(),
            },
            Fault::RedirectLoop,
            Fault::HugeBody { bytes: 12345 },
            Fault::item_error(),
        ] {
            assert_eq!(fault.to_string().parse(), Ok(fault));
        }
    }
}
