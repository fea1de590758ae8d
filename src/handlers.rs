//! The petstore's bound functions (`x-bind-server: crate::handlers::...`), over an in-memory
//! store.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::{Arc, Mutex, PoisonError};

use specbind::server::auth::{AuthError, Credentials, Identity};
use specbind::server::{Call, Config, HandlerError};

use crate::petstore::server::{
    CreatePetInput, CreatePetResponse, DeletePetInput, DeletePetResponse, GetPetInput,
    GetPetResponse, ListPetsInput, ListPetsResponse, UpdatePetInput, UpdatePetResponse,
};
use crate::petstore::types::{Error, NewPet, Pet};

/// The pets, shared by every request.
#[derive(Debug, Clone, Default)]
pub struct Store {
    pets: Arc<Mutex<Pets>>,
}

#[derive(Debug, Default)]
struct Pets {
    next_id: i64,
    by_id: BTreeMap<i64, Pet>,
}

impl Store {
    fn with<T>(&self, f: impl FnOnce(&mut Pets) -> T) -> T {
        f(&mut self.pets.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// The server configuration of the demo: deleting needs the API key `key` in `X-Api-Key`.
pub fn config(key: impl Into<String>) -> Config {
    let key: String = key.into();
    Config::default().authenticator(move |scheme, credentials| {
        let ok = matches!(&credentials, Credentials::ApiKey(k) if *k == key);
        async move {
            if ok {
                Ok(Identity {
                    subject: "admin".into(),
                    scheme: scheme.into(),
                    scopes: Vec::new(),
                })
            } else {
                Err(AuthError::Unauthenticated(
                    "the API key is not valid".into(),
                ))
            }
        }
    })
}

/// `config` with errors rendered as the spec's `Error` model (`{code, message}`), as the
/// spec declares them, instead of the default envelope.
pub fn spec_errors(config: Config) -> Config {
    config.error_formatter(|e| {
        specbind::server::json(
            e.status,
            &Error {
                code: i32::from(e.status.as_u16()),
                message: e.error_description.clone(),
            },
        )
    })
}

fn not_found(id: i64) -> Error {
    Error {
        code: 404,
        message: format!("no pet has id {id}"),
    }
}

fn conflict(name: &str) -> Error {
    Error {
        code: 409,
        message: format!("a pet named {name:?} already exists"),
    }
}

fn pet(id: i64, new: NewPet) -> Pet {
    Pet {
        id,
        name: new.name,
        tag: new.tag,
        status: new.status,
        created_at: Some(specbind::__private::chrono::Utc::now()),
    }
}

/// `GET /pets`: a page of pets in id order, starting after `start`.
pub async fn list_pets(
    call: Call<Store>,
    input: ListPetsInput,
) -> Result<ListPetsResponse, HandlerError> {
    let start: i64 = match input.start.as_deref().map(str::parse) {
        None => 0,
        Some(Ok(s)) => s,
        Some(Err(_)) => {
            return Ok(ListPetsResponse::Default {
                status: 400,
                body: Error {
                    code: 400,
                    message: "`start` must be a pet id".into(),
                },
            });
        }
    };
    let limit = usize::try_from(input.limit).unwrap_or(0);
    let (page, more) = call.state().with(|p| {
        let mut page: Vec<Pet> = p
            .by_id
            .range((Bound::Excluded(start), Bound::Unbounded))
            .take(limit + 1)
            .map(|(_, v)| v.clone())
            .collect();
        let more = page.len() > limit;
        page.truncate(limit);
        (page, more)
    });
    let link = match (more, page.last()) {
        (true, Some(last)) => Some(format!(
            "</v1/pets?start={}&limit={limit}>; rel=\"next\"",
            last.id
        )),
        _ => None,
    };
    Ok(ListPetsResponse::Ok { body: page, link })
}

/// `POST /pets`.
pub async fn create_pet(
    call: Call<Store>,
    input: CreatePetInput,
) -> Result<CreatePetResponse, HandlerError> {
    let new = input.body;
    Ok(call.state().with(|p| {
        if p.by_id.values().any(|x| x.name == new.name) {
            return CreatePetResponse::Conflict(conflict(&new.name));
        }
        p.next_id += 1;
        let pet = pet(p.next_id, new);
        p.by_id.insert(pet.id, pet.clone());
        CreatePetResponse::Created(pet)
    }))
}

/// `GET /pets/{petId}`.
pub async fn get_pet(
    call: Call<Store>,
    input: GetPetInput,
) -> Result<GetPetResponse, HandlerError> {
    Ok(
        match call.state().with(|p| p.by_id.get(&input.pet_id).cloned()) {
            Some(pet) => pet.into(),
            None => GetPetResponse::NotFound(not_found(input.pet_id)),
        },
    )
}

/// `PUT /pets/{petId}`.
pub async fn update_pet(
    call: Call<Store>,
    input: UpdatePetInput,
) -> Result<UpdatePetResponse, HandlerError> {
    let id = input.pet_id;
    let new = input.body;
    Ok(call.state().with(|p| {
        if !p.by_id.contains_key(&id) {
            return UpdatePetResponse::NotFound(not_found(id));
        }
        if p.by_id.values().any(|x| x.name == new.name && x.id != id) {
            return UpdatePetResponse::Conflict(conflict(&new.name));
        }
        let created_at = p.by_id.get(&id).and_then(|old| old.created_at);
        let pet = Pet {
            created_at,
            ..pet(id, new)
        };
        p.by_id.insert(id, pet.clone());
        UpdatePetResponse::Ok(pet)
    }))
}

/// `DELETE /pets/{petId}`.
pub async fn delete_pet(
    call: Call<Store>,
    input: DeletePetInput,
) -> Result<DeletePetResponse, HandlerError> {
    Ok(match call.state().with(|p| p.by_id.remove(&input.pet_id)) {
        Some(_) => DeletePetResponse::NoContent,
        None => DeletePetResponse::NotFound(not_found(input.pet_id)),
    })
}
