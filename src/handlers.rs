//! The petstore's bound functions (`x-bind-server: crate::handlers::...`), over the pets
//! persisted by specbind (`x-persist` on `Pet`): in SQLite, PostgreSQL or memory, as the
//! service is started.

use specbind::persist::{Conflict, Db, PersistError};
use specbind::server::auth::{AuthError, Credentials, Identity};
use specbind::server::{Call, Config, HandlerError};

use crate::petstore::server::{
    CreatePetInput, CreatePetResponse, DeletePetInput, DeletePetResponse, GetPetInput,
    GetPetResponse, ListPetsInput, ListPetsResponse, UpdatePetInput, UpdatePetResponse,
};
use crate::petstore::types::{Error, NewPet, Pet};

/// The pets, shared by every request: a [`Db`] (in memory unless opened on a database).
#[derive(Debug, Clone)]
pub struct Store {
    db: Db,
}

impl Default for Store {
    /// Pets in process memory.
    fn default() -> Self {
        Self::new(Db::memory())
    }
}

impl Store {
    /// Pets in `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Pets in the database at `url` (`sqlite:data/petstore.db`, `postgres://...`,
    /// `memory:`), its table created if missing.
    pub async fn open(url: &str) -> Result<Self, PersistError> {
        let db = Db::open(url).await?;
        db.migrate(&<Pet as specbind::persist::Model>::COLLECTION)
            .await?;
        Ok(Self::new(db))
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.db
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

/// The declared 409 body of a refused save, or the error itself if it is no conflict.
fn conflict(e: PersistError, name: &str) -> Result<Error, PersistError> {
    let message = match &e {
        PersistError::Conflict {
            conflict: Conflict::Unique { .. },
            ..
        } => format!("a pet named {name:?} already exists"),
        PersistError::Conflict {
            conflict: Conflict::Version { .. },
            ..
        } => "the pet was changed by another request; read it again and retry".into(),
        _ => return Err(e),
    };
    Ok(Error { code: 409, message })
}

fn pet(id: i64, new: NewPet) -> Pet {
    Pet {
        id,
        name: new.name,
        tag: new.tag,
        status: new.status,
        created_at: Some(specbind::chrono::Utc::now()),
    }
}

/// `GET /pets`: a page of pets in id order, starting after `start`.
pub async fn list_pets(
    call: Call<Store>,
    input: ListPetsInput,
) -> Result<ListPetsResponse, HandlerError> {
    let start: Option<i64> = match input.start.as_deref().map(str::parse) {
        None => None,
        Some(Ok(s)) => Some(s),
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
    let limit = u32::try_from(input.limit).unwrap_or(1);
    let page = Pet::list(call.state().db(), start, limit).await?;
    let link = page
        .next
        .map(|next| format!("</v1/pets?start={next}&limit={limit}>; rel=\"next\""));
    let body = page.items.into_iter().map(|p| p.value).collect();
    Ok(ListPetsResponse::Ok { body, link })
}

/// `POST /pets`: numbered by the database; a name already taken is a 409.
pub async fn create_pet(
    call: Call<Store>,
    input: CreatePetInput,
) -> Result<CreatePetResponse, HandlerError> {
    let db = call.state().db();
    let pet = pet(Pet::next_id(db).await?, input.body);
    match pet.insert(db).await {
        Ok(_) => Ok(CreatePetResponse::Created(pet)),
        Err(e) => Ok(CreatePetResponse::Conflict(conflict(e, &pet.name)?)),
    }
}

/// `GET /pets/{petId}`.
pub async fn get_pet(
    call: Call<Store>,
    input: GetPetInput,
) -> Result<GetPetResponse, HandlerError> {
    Ok(match Pet::load(call.state().db(), input.pet_id).await? {
        Some(pet) => pet.value.into(),
        None => GetPetResponse::NotFound(not_found(input.pet_id)),
    })
}

/// `PUT /pets/{petId}`: replaces the version it read, so of two concurrent updates one is a
/// 409, never silently lost.
pub async fn update_pet(
    call: Call<Store>,
    input: UpdatePetInput,
) -> Result<UpdatePetResponse, HandlerError> {
    let db = call.state().db();
    let id = input.pet_id;
    let Some(old) = Pet::load(db, id).await? else {
        return Ok(UpdatePetResponse::NotFound(not_found(id)));
    };
    let pet = Pet {
        created_at: old.created_at,
        ..pet(id, input.body)
    };
    match pet.update(db, old.version).await {
        Ok(_) => Ok(UpdatePetResponse::Ok(pet)),
        Err(PersistError::NotFound { .. }) => Ok(UpdatePetResponse::NotFound(not_found(id))),
        Err(e) => Ok(UpdatePetResponse::Conflict(conflict(e, &pet.name)?)),
    }
}

/// `DELETE /pets/{petId}`.
pub async fn delete_pet(
    call: Call<Store>,
    input: DeletePetInput,
) -> Result<DeletePetResponse, HandlerError> {
    Ok(
        if Pet::delete(call.state().db(), input.pet_id, None).await? {
            DeletePetResponse::NoContent
        } else {
            DeletePetResponse::NotFound(not_found(input.pet_id))
        },
    )
}
