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
