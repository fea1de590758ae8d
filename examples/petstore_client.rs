//! The generated petstore client in a plain tokio program.
//!
//! `cargo run --example petstore_client` talks to `$PETSTORE_URL` (e.g.
//! `http://127.0.0.1:8080/v1` while `cargo run --example petstore` runs), or, when it is not
//! set, to a petstore server it starts itself on 127.0.0.1.

use std::time::Duration;

use specbind::client::{CallError, Operation as _, fan_out};
use specbind_examples::handlers::{self, Store};
use specbind_examples::petstore::client::{Client, GetPetError, ListPetsOk};
use specbind_examples::petstore::types::{NewPet, NewPetStatus};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = match std::env::var("PETSTORE_URL") {
        Ok(url) => url,
        Err(_) => {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            let addr = listener.local_addr()?;
            let config = handlers::spec_errors(handlers::config("demo-key"));
            let app = specbind_examples::petstore::server::router_with(Store::default(), config);
            tokio::spawn(specbind::server::serve_on(listener, app));
            format!("http://{addr}/v1")
        }
    };
    let client = Client::builder()
        .base_url(&url)
        .timeout(Duration::from_secs(5))
        .build()?
        .with_api_key(std::env::var("PETSTORE_API_KEY").unwrap_or_else(|_| "demo-key".into()));
    println!("petstore at {url}");

    // Typed bodies in, typed responses out.
    let names = ["rex", "tom", "kiki"];
    let created = fan_out(
        names.iter().map(|name| {
            client.create_pet(NewPet {
                name: (*name).into(),
                tag: None,
                status: NewPetStatus::Available,
            })
        }),
        8,
    )
    .await;
    for pet in &created {
        match pet {
            Ok(pet) => println!("created #{} {}", pet.id, pet.name),
            Err(e) => println!("not created: {e}"),
        }
    }

    let ListPetsOk::Ok { body, link } = client.list_pets().limit(2).await?;
    println!(
        "first page: {:?}, next: {}",
        body.iter().map(|p| &p.name).collect::<Vec<_>>(),
        link.as_deref().unwrap_or("none")
    );

    // A declared error comes back typed; a bad value never leaves the process.
    match client.get_pet(424_242).await {
        Err(CallError::Api {
            error: GetPetError::NotFound(e),
            ..
        }) => println!("404 as declared: {}", e.message),
        other => println!("unexpected: {other:?}"),
    }
    if let Err(e) = client.get_pet(0).timeout(Duration::from_secs(1)).await {
        println!("refused locally: {e}");
    }
    if let Some(Ok(pet)) = created.first() {
        client.delete_pet(pet.id).await?;
        println!("deleted #{}", pet.id);
    }
    Ok(())
}
