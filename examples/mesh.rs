//! Three generated services calling each other, with the call context:
//! `public` -> `user` -> `login`, plus a parallel fan-out from `public` to `user` and `login`.
//!
//! `cargo run --example mesh` starts the three on 127.0.0.1 (ports 8091, 8092 and 8093, or
//! any free ports with `--any-port`), makes one call to `public` and prints what each
//! service saw: one call ID everywhere, and the call path of each hop. The services keep
//! running until Ctrl-C (or stop at once with `--once`):
//!
//! ```text
//! curl -si localhost:8091/hello/ann -H 'x-call-path: edge'
//! ```

use specbind::server::Config;
use specbind_examples::mesh::{PublicState, UserState};
use specbind_examples::{mesh_login, mesh_public, mesh_user};

async fn serve(router: specbind::__private::axum::Router, port: u16) -> std::io::Result<String> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let addr = listener.local_addr()?;
    tokio::spawn(specbind::server::serve_on(listener, router));
    Ok(format!("http://{addr}"))
}

fn print(seen: &serde_json::Value, depth: usize) {
    println!(
        "{:indent$}{:<7} call {}  path {}",
        "",
        seen["service"].as_str().unwrap_or("?"),
        seen["callId"].as_str().unwrap_or("?"),
        seen["callPath"].as_str().unwrap_or("?"),
        indent = depth * 2
    );
    for next in seen["next"].as_array().into_iter().flatten() {
        print(next, depth + 1);
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let any = std::env::args().any(|a| a == "--any-port");
    let port = |p: u16| if any { 0 } else { p };
    let login = serve(
        mesh_login::server::router_with((), Config::default()),
        port(8093),
    )
    .await?;
    let login_client = mesh_login::client::Client::new(&login)?;
    let user = serve(
        mesh_user::server::router_with(
            UserState {
                login: login_client.clone(),
            },
            Config::default(),
        ),
        port(8092),
    )
    .await?;
    let public = serve(
        mesh_public::server::router_with(
            PublicState {
                user: mesh_user::client::Client::new(&user)?,
                login: login_client,
            },
            Config::default(),
        ),
        port(8091),
    )
    .await?;
    println!("public {public}, user {user}, login {login}");
    let seen = mesh_public::client::Client::new(&public)?
        .hello("ann")
        .await?;
    print(&serde_json::to_value(&seen)?, 0);
    if std::env::args().any(|a| a == "--once") {
        return Ok(());
    }
    println!("serving; Ctrl-C to stop");
    std::future::pending::<()>().await;
    Ok(())
}
