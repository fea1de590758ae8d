//! The gateway's bound functions (`specs/gateway.yaml`): they echo what the generated server
//! decoded, so the end-to-end tests can see the typed values, and some fail on purpose.

use std::future::{Ready, ready};

use specbind::__private::axum::http::HeaderValue;
use specbind::__private::axum::middleware::{MapResponseLayer, map_response};
use specbind::__private::axum::response::Response;
use specbind::server::auth::{AuthError, Credentials, Identity};
use specbind::server::{Call, Config, HandlerError};

use crate::gateway_api::server::{
    CheckPatternsInput, CheckPatternsResponse, DecoratedInput, DecoratedResponse, EchoParamsInput,
    EchoParamsResponse, EchoTextInput, EchoTextResponse, FailErrorInput, FailErrorResponse,
    FailPanicInput, FailPanicResponse, FailResponseInput, FailResponseResponse, PutBlobInput,
    PutBlobResponse, SleepInput, SleepResponse, SlowInput, SlowResponse, SubmitFormInput,
    SubmitFormResponse, UploadInput, UploadResponse,
};
use crate::gateway_api::types::{Count, Echo, Problem, Slept, Upload, Whoami};

/// The gateway needs no state of its own.
#[derive(Debug, Clone, Default)]
pub struct State;

/// Test credentials: API key `good`; bearer `admin-token` (scope `admin`) or `user-token`;
/// basic `alice:secret`.
pub fn config() -> Config {
    Config::default().authenticator(|scheme, credentials| {
        let result = match credentials {
            Credentials::ApiKey(k) if k == "good" => Ok(("key-user", Vec::new())),
            Credentials::Bearer(t) if t == "admin-token" => Ok(("admin", vec!["admin".to_owned()])),
            Credentials::Bearer(t) if t == "user-token" => Ok(("user", Vec::new())),
            Credentials::Basic { user, password } if user == "alice" && password == "secret" => {
                Ok(("alice", Vec::new()))
            }
            _ => Err(AuthError::Unauthenticated("unknown credentials".into())),
        };
        ready(result.map(|(subject, scopes)| Identity {
            subject: subject.into(),
            scheme: scheme.into(),
            scopes,
        }))
    })
}

/// `GET /echo/{id}/{tags}`.
pub async fn echo_params(
    _call: Call<State>,
    input: EchoParamsInput,
) -> Result<EchoParamsResponse, HandlerError> {
    Ok(Echo {
        id: input.id,
        tags: input.tags,
        q: input.q,
        n: input.n,
        flags: input.flags,
        multi: input.multi,
        piped: input.piped,
        color: input.color.map(|c| c.to_string()),
        request_id: input.x_request_id,
        trace: input.x_trace,
        session_hint: input.session_hint,
    }
    .into())
}

/// `POST /forms`.
pub async fn submit_form(
    _call: Call<State>,
    input: SubmitFormInput,
) -> Result<SubmitFormResponse, HandlerError> {
    Ok(input.body.into())
}

/// `POST /text`.
pub async fn echo_text(
    _call: Call<State>,
    input: EchoTextInput,
) -> Result<EchoTextResponse, HandlerError> {
    Ok(input.body.to_uppercase().into())
}

/// `GET /patterns`: reached only when both values match their patterns.
pub async fn check_patterns(
    _call: Call<State>,
    _input: CheckPatternsInput,
) -> Result<CheckPatternsResponse, HandlerError> {
    Ok(CheckPatternsResponse::NoContent)
}

/// `PUT /blob`.
pub async fn put_blob(
    _call: Call<State>,
    input: PutBlobInput,
) -> Result<PutBlobResponse, HandlerError> {
    let mut bytes = input.body;
    bytes.reverse();
    Ok(bytes.into())
}

/// `POST /upload`: a file and two fields, as multipart.
pub async fn upload(
    _call: Call<State>,
    input: UploadInput,
) -> Result<UploadResponse, HandlerError> {
    let form = input.body;
    let file = form
        .get("file")
        .ok_or_else(|| HandlerError::msg("required part checked by the server"))?;
    Ok(Upload {
        description: form.text("description")?.unwrap_or_default().to_owned(),
        count: form.field("count")?,
        file_name: file.file_name.clone().unwrap_or_default(),
        size: i64::try_from(file.bytes.len())?,
    }
    .into())
}

/// Every `/secure/...` operation: who is calling.
pub async fn whoami<I, R: From<Whoami>>(call: Call<State>, _input: I) -> Result<R, HandlerError> {
    let (subject, scheme) = match call.identity() {
        Some(id) => (id.subject.clone(), id.scheme.clone()),
        None => ("anonymous".to_owned(), "none".to_owned()),
    };
    Ok(Whoami { subject, scheme }.into())
}

/// `GET /decorated`.
pub async fn decorated(
    _call: Call<State>,
    _input: DecoratedInput,
) -> Result<DecoratedResponse, HandlerError> {
    Ok(DecoratedResponse::NoContent)
}

/// The decorator of `GET /decorated` (`x-decorate-server`): stamps the response.
pub type Stamp = MapResponseLayer<fn(Response) -> Ready<Response>, (), ()>;

/// Makes the [`Stamp`] layer.
pub fn stamp() -> Stamp {
    fn add(mut response: Response) -> Ready<Response> {
        response
            .headers_mut()
            .insert("x-stamp", HeaderValue::from_static("gateway"));
        ready(response)
    }
    map_response(add as fn(Response) -> Ready<Response>)
}

/// `GET /fail/panic`: panics.
pub async fn fail_panic(
    _call: Call<State>,
    _input: FailPanicInput,
) -> Result<FailPanicResponse, HandlerError> {
    panic!("the gateway's panic handler was asked to panic")
}

/// `GET /fail/error`: an error the spec does not declare.
pub async fn fail_error(
    _call: Call<State>,
    _input: FailErrorInput,
) -> Result<FailErrorResponse, HandlerError> {
    Err(HandlerError::msg("the database is on fire"))
}

/// `GET /fail/response`: a body that breaks the spec (`count` below its minimum).
pub async fn fail_response(
    _call: Call<State>,
    _input: FailResponseInput,
) -> Result<FailResponseResponse, HandlerError> {
    Ok(Count { count: -1 }.into())
}

/// `GET /slow`: takes two seconds.
pub async fn slow(_call: Call<State>, _input: SlowInput) -> Result<SlowResponse, HandlerError> {
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    Ok(SlowResponse::NoContent)
}

/// `GET /sleep`: sleeps `ms` milliseconds, then answers how long, or the declared 422 when
/// asked to fail.
pub async fn sleep(_call: Call<State>, input: SleepInput) -> Result<SleepResponse, HandlerError> {
    tokio::time::sleep(std::time::Duration::from_millis(
        input.ms.unsigned_abs().into(),
    ))
    .await;
    if input.fail {
        return Ok(SleepResponse::UnprocessableEntity(Problem {
            code: "asked_to_fail".into(),
            message: format!("failed after {} ms, as asked", input.ms),
        }));
    }
    Ok(SleepResponse::Ok(Slept { ms: input.ms }))
}
