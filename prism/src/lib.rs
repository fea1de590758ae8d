//! Clients generated from real-world specs of the shared corpus, for end-to-end tests against
//! Stoplight Prism mocks of the same specs (`tests/prism.rs`, run by `.ci/prism.sh`).
//!
//! Without the corpus (`$SPECBIND_CORPUS`, or `../shared/corpus/specs` beside the workspace)
//! the build script generates nothing and this crate is empty.

/// Prometheus Alertmanager (Swagger 2.0, `prometheus_alertmanager_2.0.yaml`).
#[cfg(not(corpus_missing))]
pub mod alertmanager {
    specbind::include_spec!("alertmanager");
}

/// Canada Holidays (OpenAPI 3.0, `canada-holidays_api_3.0.yaml`).
#[cfg(not(corpus_missing))]
pub mod holidays {
    specbind::include_spec!("holidays");
}

/// Swagger Petstore (OpenAPI 3.0, `swagger_petstore3_3.0.yaml`).
#[cfg(not(corpus_missing))]
pub mod petstore3 {
    specbind::include_spec!("petstore3");
}

/// Redocly Museum (OpenAPI 3.1, `redocly_museum_3.1.yaml`).
#[cfg(not(corpus_missing))]
pub mod museum {
    specbind::include_spec!("museum");
}

/// APIs.guru (Swagger 2.0, `apisguru_api_2.0.yaml`).
#[cfg(not(corpus_missing))]
pub mod apisguru {
    specbind::include_spec!("apisguru");
}

/// YNAB (Swagger 2.0, `ynab_api_2.0.yaml`).
#[cfg(not(corpus_missing))]
pub mod ynab {
    specbind::include_spec!("ynab");
}

/// Firecracker (Swagger 2.0, `firecracker_api_2.0.yaml`).
#[cfg(not(corpus_missing))]
pub mod firecracker {
    specbind::include_spec!("firecracker");
}

/// The New York Times Times Wire (Swagger 2.0, `nytimes_timeswire_2.0.yaml`).
#[cfg(not(corpus_missing))]
pub mod nytimes {
    specbind::include_spec!("nytimes");
}

/// The OpenAPI petstore, expanded (OpenAPI 3.0, `oai_petstore-expanded_3.0.yaml`).
#[cfg(not(corpus_missing))]
pub mod petstore_expanded {
    specbind::include_spec!("petstore_expanded");
}

/// Listen Notes (OpenAPI 3.0, `listennotes_api_3.0.yaml`).
#[cfg(not(corpus_missing))]
pub mod listennotes {
    specbind::include_spec!("listennotes");
}

/// RealWorld Conduit (OpenAPI 3.1, `realworld_conduit_3.1.yml`).
#[cfg(not(corpus_missing))]
pub mod conduit {
    specbind::include_spec!("conduit");
}

/// Adyen Transfers v4 (OpenAPI 3.1, `adyen_transfer-v4_3.1.yaml`).
#[cfg(not(corpus_missing))]
pub mod adyen_transfer {
    specbind::include_spec!("adyen_transfer");
}
