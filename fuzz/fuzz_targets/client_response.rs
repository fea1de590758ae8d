//! Any response to the generated petstore, gateway and orders clients' operations: decoding
//! (status, media type, headers, body) and the response check must end without a panic.
//!
//! Input: `OPERATION STATUS` (e.g. `getPet 200`), header lines, an empty line, the body.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use specbind::Validate;
use specbind::client::{Op, Operation, Response};
use specbind_examples::{gateway_api, orders_api, petstore};

/// What a call does with a response: the operation's decoding, then the response check.
fn decode<O: Op>(response: &Response) {
    if let Ok(result) = O::decode(response) {
        let mut violations = specbind::Violations::new();
        let root = specbind::Path::root();
        match &result {
            Ok(ok) => ok.validate_at(&root, &mut violations),
            Err(error) => error.validate_at(&root, &mut violations),
        }
    }
}

/// The input type of a call type, which is what implements [`Op`].
macro_rules! operations {
    ($($module:ident :: $op:ident),+ $(,)?) => {
        &[$((
            <<$module::client::$op as Operation>::Input as Op>::ID,
            decode::<<$module::client::$op as Operation>::Input>,
        )),+]
    };
}

const OPERATIONS: &[(&str, fn(&Response))] = operations![
    petstore::ListPets,
    petstore::CreatePet,
    petstore::GetPet,
    petstore::UpdatePet,
    petstore::DeletePet,
    gateway_api::EchoParams,
    gateway_api::SubmitForm,
    gateway_api::EchoText,
    gateway_api::PutBlob,
    gateway_api::Upload,
    gateway_api::SecureHeader,
    gateway_api::Decorated,
    gateway_api::FailResponse,
    gateway_api::Slow,
    gateway_api::Sleep,
    gateway_api::Unbound,
    orders_api::CreateOrder,
    orders_api::GetOrder,
];

fuzz_target!(|data: &[u8]| {
    let message = common::message(data);
    let mut first = message.first.splitn(2, |&b| b == b' ');
    let (Some(name), Some(status)) = (first.next(), first.next()) else {
        return;
    };
    let Ok(status) = http::StatusCode::from_bytes(status) else {
        return;
    };
    let response = Response::new(status, message.headers, message.body);
    match OPERATIONS.iter().find(|(id, _)| id.as_bytes() == name) {
        Some((_, decode)) => decode(&response),
        // Any other name: every operation.
        None => OPERATIONS.iter().for_each(|(_, decode)| decode(&response)),
    }
});
