//! Three services that call each other, to show the call context (`specbind::context`):
//! `public` -> `user` -> `login`, plus a parallel fan-out from `public` to `user` and
//! `login`, and a task spawned by `public` that calls `login`.
//!
//! Each handler answers what it saw ([`Seen`](crate::mesh_login::types::Seen)): its call ID
//! and call path, and what the services it called saw.

use std::future::IntoFuture as _;

use specbind::context::{self, CallContext};
use specbind::server::{Call, HandlerError};

use crate::{mesh_login, mesh_public, mesh_user};

/// The state of `public`: clients of the two services it calls.
#[derive(Debug, Clone)]
pub struct PublicState {
    /// The `user` service.
    pub user: mesh_user::client::Client,
    /// The `login` service.
    pub login: mesh_login::client::Client,
}

/// The state of `user`: a client of `login`.
#[derive(Debug, Clone)]
pub struct UserState {
    /// The `login` service.
    pub login: mesh_login::client::Client,
}

/// What another service's `Seen` looks like inside `next`.
fn as_object(
    value: impl serde::Serialize,
) -> Result<serde_json::Map<String, serde_json::Value>, HandlerError> {
    match serde_json::to_value(value)? {
        serde_json::Value::Object(map) => Ok(map),
        other => Err(HandlerError::msg(format!("not an object: {other}"))),
    }
}

/// The context a handler sees must be the one in scope for what it awaits.
fn seen_context<S>(call: &Call<S>) -> Result<&CallContext, HandlerError> {
    let ctx = call.context();
    if CallContext::current().as_ref() != Some(ctx) {
        return Err(HandlerError::msg(
            "the call context in scope differs from the request's",
        ));
    }
    Ok(ctx)
}

fn traceparent(ctx: &CallContext) -> Option<String> {
    ctx.traceparent()
        .and_then(|t| t.to_str().ok())
        .map(str::to_owned)
}

/// `login`: the end of the chain.
pub async fn login(
    call: Call<()>,
    _input: mesh_login::server::LoginInput,
) -> Result<mesh_login::server::LoginResponse, HandlerError> {
    let ctx = seen_context(&call)?.clone();
    Ok(mesh_login::types::Seen {
        service: "login".into(),
        call_id: ctx.call_id(),
        call_path: ctx.call_path().to_owned(),
        traceparent: traceparent(&ctx),
        next: None,
    }
    .into())
}

/// `user`: calls `login`.
pub async fn user(
    call: Call<UserState>,
    input: mesh_user::server::GetUserInput,
) -> Result<mesh_user::server::GetUserResponse, HandlerError> {
    let ctx = seen_context(&call)?.clone();
    let login = call.state().login.login(input.user).await?;
    Ok(mesh_user::types::Seen {
        service: "user".into(),
        call_id: ctx.call_id(),
        call_path: ctx.call_path().to_owned(),
        traceparent: traceparent(&ctx),
        next: Some(vec![as_object(login)?]),
    }
    .into())
}

/// `public`: calls `user` (which calls `login`), then `user` and `login` in parallel, and
/// `login` from a spawned task.
pub async fn hello(
    call: Call<PublicState>,
    input: mesh_public::server::HelloInput,
) -> Result<mesh_public::server::HelloResponse, HandlerError> {
    let ctx = seen_context(&call)?.clone();
    let state = call.state();
    let chain = state.user.get_user(input.user.clone()).await?;
    let (user, login) = specbind::join!(
        state.user.get_user(input.user.clone()),
        state.login.login(input.user.clone()),
    );
    let spawned = context::spawn(state.login.login(input.user.clone()).into_future())
        .await
        .map_err(|e| HandlerError::msg(e.to_string()))??;
    Ok(mesh_public::types::Seen {
        service: "public".into(),
        call_id: ctx.call_id(),
        call_path: ctx.call_path().to_owned(),
        traceparent: traceparent(&ctx),
        next: Some(vec![
            as_object(chain)?,
            as_object(user?)?,
            as_object(login?)?,
            as_object(spawned)?,
        ]),
    }
    .into())
}
