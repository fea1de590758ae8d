//! Examples, goldens and end-to-end tests of specbind: every spec in `specs/` is generated
//! by `build.rs` and compiled here under the workspace's strict lints.
#![deny(unused_qualifications)]

pub mod accounts;
pub mod gateway;
pub mod handlers;
pub mod mesh;
pub mod orders;
pub mod store;

/// Users with `readOnly` and `writeOnly` properties (`specs/accounts.yaml`), with server,
/// client and persistence.
pub mod accounts_api {
    specbind::include_spec!("accounts");
}

/// The same users, generated with `reject_read_only(true)` (`specs/accounts_strict.yaml`).
pub mod accounts_strict {
    specbind::include_spec!("accounts_strict");
}

/// The server-coverage spec (`specs/gateway.yaml`), with its server; unbound operations
/// answer 501.
pub mod gateway_api {
    specbind::include_spec!("gateway");
}

/// The demo petstore (OpenAPI 3.0), with its server.
pub mod petstore {
    specbind::include_spec!("petstore");
}

/// Asynchronous orders (`specs/orders.yaml`), with server, worker and client.
pub mod orders_api {
    specbind::include_spec!("orders");
}

/// The petstore as Swagger 2.0.
pub mod petstore_v2 {
    specbind::include_spec!("petstore_v2");
}

/// The petstore as OpenAPI 3.1.
pub mod petstore_v31 {
    specbind::include_spec!("petstore_v31");
}

/// Every schema feature.
pub mod features {
    specbind::include_spec!("features");
}

/// Every validation constraint.
pub mod constraints {
    specbind::include_spec!("constraints");
}

/// Shapes of real specs that have a Rust type: tuple items, several types, `const` enums, an
/// `allOf` of a union.
pub mod typed {
    specbind::include_spec!("typed");
}

/// A spec split over several files with relative `$ref`s.
pub mod split {
    specbind::include_spec!("split");
}

/// The petstore generated with `enum_fallback(true)`.
pub mod petstore_fallback {
    specbind::include_spec!("petstore_fallback");
}

/// The public edge of the call-context example (`specs/mesh/public.yaml`).
pub mod mesh_public {
    specbind::include_spec!("mesh_public");
}

/// The middle service of the call-context example (`specs/mesh/user.yaml`).
pub mod mesh_user {
    specbind::include_spec!("mesh_user");
}

/// The last service of the call-context example (`specs/mesh/login.yaml`).
pub mod mesh_login {
    specbind::include_spec!("mesh_login");
}

/// Specs with the defects real specs have (`specs/lenient/`), generated with a warning for
/// each and a repaired result, with their clients.
pub mod lenient {
    /// Dangling `$ref`s in a 3.0 spec.
    pub mod dangling_ref {
        specbind::include_spec!("lenient_dangling_ref");
    }

    /// A dangling `$ref` in a 2.0 spec.
    pub mod dangling_ref_v2 {
        specbind::include_spec!("lenient_dangling_ref_v2");
    }

    /// Parameter defects.
    pub mod parameters {
        specbind::include_spec!("lenient_parameters");
    }

    /// Path parameters that do not match the template.
    pub mod path_params {
        specbind::include_spec!("lenient_path_params");
    }

    /// Query strings in path templates.
    pub mod query_in_path {
        specbind::include_spec!("lenient_query_in_path");
    }

    /// Response and schema defects.
    pub mod responses {
        specbind::include_spec!("lenient_responses");
    }

    /// Routes an axum router cannot take as written.
    pub mod routes {
        specbind::include_spec!("lenient_routes");
    }

    /// The same, as a server whose operations all answer 501.
    pub mod routes_server {
        specbind::include_spec!("lenient_routes_server");
    }

    /// Operations without `operationId`.
    pub mod unnamed {
        specbind::include_spec!("lenient_unnamed");
    }
}
