// `crate::handlers::get_pet` holds a non-`Send` value across an `.await`, so its future is not `Send`.

mod types {
    include!("../../codegen/tests/golden/petstore/types.rs");
}

mod operations {
    include!("../../codegen/tests/golden/petstore/operations.rs");
}

mod server {
    include!("../../codegen/tests/golden/petstore/server.rs");
}

mod handlers {
    use specbind::server::{Call, HandlerError};

    use crate::server::{
        CreatePetInput, CreatePetResponse, DeletePetInput, DeletePetResponse, GetPetInput,
        GetPetResponse, ListPetsInput, ListPetsResponse, UpdatePetInput, UpdatePetResponse,
    };
    use crate::types::Error;

    #[derive(Debug, Clone, Default)]
    pub struct Store;

    fn not_found() -> Error {
        Error {
            code: 404,
            message: "not found".into(),
        }
    }

    pub async fn list_pets(
        _call: Call<Store>,
        _input: ListPetsInput,
    ) -> Result<ListPetsResponse, HandlerError> {
        Ok(ListPetsResponse::Ok {
            body: Vec::new(),
            link: None,
        })
    }

    pub async fn create_pet(
        _call: Call<Store>,
        _input: CreatePetInput,
    ) -> Result<CreatePetResponse, HandlerError> {
        Ok(CreatePetResponse::BadRequest(not_found()))
    }

    pub async fn get_pet(
        _call: Call<Store>,
        _input: GetPetInput,
    ) -> Result<GetPetResponse, HandlerError> {
        let rc = std::rc::Rc::new(not_found());
        std::future::ready(()).await;
        Ok(GetPetResponse::NotFound((*rc).clone()))
    }

    pub async fn update_pet(
        _call: Call<Store>,
        _input: UpdatePetInput,
    ) -> Result<UpdatePetResponse, HandlerError> {
        Ok(UpdatePetResponse::NotFound(not_found()))
    }

    pub async fn delete_pet(
        _call: Call<Store>,
        _input: DeletePetInput,
    ) -> Result<DeletePetResponse, HandlerError> {
        Ok(DeletePetResponse::NotFound(not_found()))
    }
}

fn main() {
    let _ = server::router(handlers::Store);
}
