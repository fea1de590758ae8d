//! The accounts' bound functions (`specs/accounts.yaml`): users whose `id` and `createdAt`
//! are the server's (`readOnly`) and whose password is the client's (`writeOnly`). A request
//! body is the request view of `User` (no `id`, no `createdAt`), a response body its response
//! view (no password); what is stored is the full `User`.

use specbind::persist::{Db, PersistError};
use specbind::server::{Call, HandlerError};

use crate::accounts_api::server::{
    CreateUserInput, CreateUserResponse, GetUserInput, GetUserResponse, ListUsersInput,
    ListUsersResponse, ReplaceUserInput, ReplaceUserResponse,
};
use crate::accounts_api::types::{Problem, User, UserRequest};

/// The users: a [`Db`].
#[derive(Debug, Clone)]
pub struct Accounts {
    db: Db,
}

impl Accounts {
    /// Users in `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// The database, where the full users (passwords too) are stored.
    pub fn db(&self) -> &Db {
        &self.db
    }
}

/// The full model of a request: the request view and what only the server sets.
fn user(
    id: i64,
    created_at: specbind::chrono::DateTime<specbind::chrono::Utc>,
    req: UserRequest,
) -> User {
    User {
        id,
        name: req.name,
        password: req.password,
        created_at,
        team: req.team,
    }
}

fn not_found(id: i64) -> Problem {
    Problem {
        message: format!("no user has id {id}"),
    }
}

/// `POST /users`: the server numbers the user, whatever `id` the request had.
pub async fn create_user(
    call: Call<Accounts>,
    input: CreateUserInput,
) -> Result<CreateUserResponse, HandlerError> {
    let db = call.state().db();
    let user = user(
        User::next_id(db).await?,
        specbind::chrono::Utc::now(),
        input.body,
    );
    user.insert(db).await?;
    Ok(CreateUserResponse::from(user))
}

/// `GET /users`.
pub async fn list_users(
    call: Call<Accounts>,
    _input: ListUsersInput,
) -> Result<ListUsersResponse, HandlerError> {
    let page = User::list(call.state().db(), None, 1000).await?;
    let users: Vec<User> = page.items.into_iter().map(|u| u.value).collect();
    Ok(ListUsersResponse::Ok(
        specbind::__private::IntoView::into_view(users),
    ))
}

/// `GET /users/{id}`.
pub async fn get_user(
    call: Call<Accounts>,
    input: GetUserInput,
) -> Result<GetUserResponse, HandlerError> {
    Ok(match User::load(call.state().db(), input.id).await? {
        Some(stored) => stored.value.into(),
        None => GetUserResponse::NotFound(not_found(input.id)),
    })
}

/// `PUT /users/{id}`: keeps the stored `id` and `createdAt`.
pub async fn replace_user(
    call: Call<Accounts>,
    input: ReplaceUserInput,
) -> Result<ReplaceUserResponse, HandlerError> {
    let db = call.state().db();
    let Some(old) = User::load(db, input.id).await? else {
        return Ok(ReplaceUserResponse::NotFound(not_found(input.id)));
    };
    let new = user(old.value.id, old.value.created_at, input.body);
    match new.update(db, old.version).await {
        Ok(_) => Ok(new.into()),
        Err(PersistError::NotFound { .. }) => {
            Ok(ReplaceUserResponse::NotFound(not_found(input.id)))
        }
        Err(e) => Err(e.into()),
    }
}

/// `specs/accounts_strict.yaml`, generated with `reject_read_only(true)`.
pub mod strict {
    use specbind::server::{Call, HandlerError};

    use crate::accounts_strict::server::{CreateUserInput, CreateUserResponse};
    use crate::accounts_strict::types::User;

    /// `POST /users`: reached only by a request without `readOnly` properties.
    pub async fn create_user(
        _call: Call<super::Accounts>,
        input: CreateUserInput,
    ) -> Result<CreateUserResponse, HandlerError> {
        let body = input.body;
        Ok(User {
            id: 1,
            name: body.name,
            password: body.password,
            created_at: specbind::chrono::Utc::now(),
            team: None,
        }
        .into())
    }
}
