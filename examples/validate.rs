//! The petstore models in action: decode request bodies with the generated serde types and
//! validate them against `specs/petstore.yaml`, printing every violation with its JSON path.
//!
//! `cargo run --example validate` runs the built-in samples; pass JSON documents as arguments
//! to check your own (`cargo run --example validate -- '{"name": ""}'`).

use specbind::Validate;
use specbind_examples::petstore::types::NewPet;

fn check(json: &str) {
    println!("NewPet {json}");
    match serde_json::from_str::<NewPet>(json) {
        Err(e) => println!("  rejected while decoding: {e}"),
        Ok(pet) => match pet.validate() {
            Ok(()) => println!("  valid: {pet:?}"),
            Err(violations) => {
                for v in &violations {
                    println!("  invalid at `{}` ({}): {}", v.path, v.keyword, v.message);
                }
            }
        },
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        for sample in [
            r#"{"name": "Rex", "tag": "dog"}"#,
            r#"{"name": "", "tag": "Long Hair"}"#,
            r#"{"name": "Tom", "status": "lost"}"#,
            r#"{"tag": "cat"}"#,
        ] {
            check(sample);
        }
    } else {
        args.iter().for_each(|a| check(a));
    }
}
