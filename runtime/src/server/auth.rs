//! Security: credentials taken from the request for the spec's schemes, checked by the
//! author's authenticator before decoding, with the identity handed to the handler; and a
//! trusted-peer list.

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;

use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use base64::Engine as _;

use super::error::ApiError;
use super::{Config, decode};

/// Where an API key travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyIn {
    /// A header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// A security scheme, as generated code describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// An API key.
    ApiKey {
        /// The scheme's name in the spec.
        name: &'static str,
        /// Where the key travels.
        location: KeyIn,
        /// The header, parameter or cookie name.
        param: &'static str,
    },
    /// HTTP basic.
    Basic {
        /// The scheme's name in the spec.
        name: &'static str,
    },
    /// HTTP bearer, OAuth 2, OpenID Connect.
    Bearer {
        /// The scheme's name in the spec.
        name: &'static str,
    },
    /// A scheme the server cannot check (mutual TLS, an HTTP scheme other than basic and
    /// bearer): a requirement of it is never met.
    Unsupported {
        /// The scheme's name in the spec.
        name: &'static str,
    },
}

impl Scheme {
    /// The scheme's name in the spec.
    pub fn name(&self) -> &'static str {
        match self {
            Self::ApiKey { name, .. }
            | Self::Basic { name }
            | Self::Bearer { name }
            | Self::Unsupported { name } => name,
        }
    }

    fn describe(&self) -> String {
        match self {
            Self::ApiKey {
                location: KeyIn::Header,
                param,
                ..
            } => format!("header `{param}`"),
            Self::ApiKey {
                location: KeyIn::Query,
                param,
                ..
            } => format!("query parameter `{param}`"),
            Self::ApiKey {
                location: KeyIn::Cookie,
                param,
                ..
            } => format!("cookie `{param}`"),
            Self::Basic { .. } => "HTTP basic credentials".to_owned(),
            Self::Bearer { .. } => "a bearer token".to_owned(),
            Self::Unsupported { name } => {
                format!("credentials of `{name}`, which this server cannot check")
            }
        }
    }
}

/// One scheme of a security requirement, with the scopes it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requirement {
    /// The scheme.
    pub scheme: Scheme,
    /// Scopes the identity must hold (OAuth 2).
    pub scopes: &'static [&'static str],
}

impl Requirement {
    /// An API key in a header, the query or a cookie.
    pub const fn api_key(name: &'static str, location: KeyIn, param: &'static str) -> Self {
        Self::of(Scheme::ApiKey {
            name,
            location,
            param,
        })
    }

    /// HTTP basic credentials.
    pub const fn basic(name: &'static str) -> Self {
        Self::of(Scheme::Basic { name })
    }

    /// A bearer token.
    pub const fn bearer(name: &'static str) -> Self {
        Self::of(Scheme::Bearer { name })
    }

    /// A scheme the server cannot check.
    pub const fn unsupported(name: &'static str) -> Self {
        Self::of(Scheme::Unsupported { name })
    }

    const fn of(scheme: Scheme) -> Self {
        Self {
            scheme,
            scopes: &[],
        }
    }

    /// This requirement, with the OAuth 2 scopes it needs.
    pub const fn scopes(self, scopes: &'static [&'static str]) -> Self {
        Self { scopes, ..self }
    }
}

/// Credentials found in a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// An API key.
    ApiKey(String),
    /// HTTP basic user and password.
    Basic {
        /// The user.
        user: String,
        /// The password.
        password: String,
    },
    /// A bearer token.
    Bearer(String),
}

/// Who is calling, as the authenticator established.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Identity {
    /// The caller: a user, a service, a key's owner.
    pub subject: String,
    /// The scheme that authenticated it.
    pub scheme: String,
    /// Scopes the caller holds.
    pub scopes: Vec<String>,
}

/// Why an authenticator refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// The credentials are not valid: 401.
    #[error("{0}")]
    Unauthenticated(String),
    /// The credentials are valid but not enough: 403.
    #[error("{0}")]
    Forbidden(String),
}

/// A boxed future, as authenticators return.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// Turns the credentials of one scheme into an identity.
pub type Authenticator =
    Arc<dyn Fn(&'static str, Credentials) -> BoxFuture<Result<Identity, AuthError>> + Send + Sync>;

fn take(parts: &Parts, scheme: &Scheme) -> Option<Credentials> {
    let authorization = || {
        parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
    };
    match scheme {
        Scheme::ApiKey {
            location: KeyIn::Header,
            param,
            ..
        } => decode::header::<String>(&parts.headers, param)
            .ok()
            .flatten()
            .map(Credentials::ApiKey),
        Scheme::ApiKey {
            location: KeyIn::Query,
            param,
            ..
        } => decode::QueryParams::parse(parts.uri.query())
            .optional::<String>(param)
            .ok()
            .flatten()
            .map(Credentials::ApiKey),
        Scheme::ApiKey {
            location: KeyIn::Cookie,
            param,
            ..
        } => decode::Cookies::parse(&parts.headers)
            .optional::<String>(param)
            .ok()
            .flatten()
            .map(Credentials::ApiKey),
        Scheme::Basic { .. } => {
            let (kind, rest) = authorization()?.split_once(' ')?;
            if !kind.eq_ignore_ascii_case("basic") {
                return None;
            }
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(rest.trim())
                .ok()?;
            let text = String::from_utf8(decoded).ok()?;
            let (user, password) = text.split_once(':')?;
            Some(Credentials::Basic {
                user: user.to_owned(),
                password: password.to_owned(),
            })
        }
        Scheme::Bearer { .. } => {
            let (kind, rest) = authorization()?.split_once(' ')?;
            kind.eq_ignore_ascii_case("bearer")
                .then(|| Credentials::Bearer(rest.trim().to_owned()))
        }
        Scheme::Unsupported { .. } => None,
    }
}

fn unauthorized(description: String) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", description)
}

/// Checks the security of an operation: `alternatives` are OR-ed, the requirements inside
/// one alternative AND-ed; an empty alternative allows anonymous calls. Returns the identity
/// of the last scheme checked, `None` for anonymous calls.
pub async fn authorize(
    parts: &Parts,
    config: &Config,
    alternatives: &[&[Requirement]],
) -> Result<Option<Identity>, ApiError> {
    if alternatives.is_empty() {
        return Ok(None);
    }
    // An empty alternative allows anonymous calls; credentials that are given must still be
    // valid.
    let anonymous = alternatives.iter().any(|a| a.is_empty());
    let mut refused: Option<ApiError> = None;
    'alternatives: for alternative in alternatives.iter().filter(|a| !a.is_empty()) {
        let mut found = Vec::with_capacity(alternative.len());
        for req in *alternative {
            match take(parts, &req.scheme) {
                Some(c) => found.push((req, c)),
                None => continue 'alternatives,
            }
        }
        let Some(authenticate) = &config.authenticator else {
            tracing::warn!("an operation requires security but no authenticator is configured");
            return Err(unauthorized(
                "this operation requires credentials, and the server has no authenticator".into(),
            ));
        };
        let mut identity = None;
        for (req, credentials) in found {
            match authenticate(req.scheme.name(), credentials).await {
                Ok(id) => {
                    if let Some(missing) = req
                        .scopes
                        .iter()
                        .find(|s| !id.scopes.iter().any(|h| h == *s))
                    {
                        return Err(ApiError::new(
                            StatusCode::FORBIDDEN,
                            "forbidden",
                            format!("scope `{missing}` is required"),
                        ));
                    }
                    identity = Some(id);
                }
                Err(AuthError::Unauthenticated(why)) => {
                    refused = Some(unauthorized(why));
                    continue 'alternatives;
                }
                Err(AuthError::Forbidden(why)) => {
                    return Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden", why));
                }
            }
        }
        return Ok(identity);
    }
    if anonymous && refused.is_none() {
        return Ok(None);
    }
    Err(refused.unwrap_or_else(|| {
        let wanted: Vec<String> = alternatives
            .iter()
            .map(|a| {
                a.iter()
                    .map(|r| r.scheme.describe())
                    .collect::<Vec<_>>()
                    .join(" and ")
            })
            .collect();
        unauthorized(format!(
            "credentials are required: {}",
            wanted.join(", or ")
        ))
    }))
}

/// An address or a CIDR block (`10.0.0.0/8`, `::1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    addr: IpAddr,
    prefix: u8,
}

impl std::str::FromStr for IpRange {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = addr
            .trim()
            .parse()
            .map_err(|e| format!("`{s}` is not an address: {e}"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("`{s}` has a bad prefix length"))?,
            None => max,
        };
        Ok(Self { addr, prefix })
    }
}

impl IpRange {
    /// Whether `ip` is in the range (IPv4-mapped IPv6 addresses count as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
            v4 => v4,
        };
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::IpRange;

    #[test]
    fn ranges() {
        let r: IpRange = "10.0.0.0/8".parse().unwrap();
        assert!(r.contains("10.1.2.3".parse().unwrap()));
        assert!(!r.contains("11.0.0.1".parse().unwrap()));
        assert!(r.contains("::ffff:10.0.0.1".parse().unwrap()));
        let one: IpRange = "127.0.0.1".parse().unwrap();
        assert!(one.contains("127.0.0.1".parse().unwrap()));
        assert!(!one.contains("127.0.0.2".parse().unwrap()));
        let all6: IpRange = "::/0".parse().unwrap();
        assert!(all6.contains("2001:db8::1".parse().unwrap()));
        assert!("10.0.0.0/33".parse::<IpRange>().is_err());
        assert!("nope".parse::<IpRange>().is_err());
    }
}
