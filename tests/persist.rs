//! Persistence of the petstore's `Pet` (`x-persist: {key: id, unique: [name]}`) through the
//! generated `Pet::load` / `insert` / `update` / `delete` / `list`, on every backend:
//! SQLite in a temporary file, the PostgreSQL server of this machine
//! (`$SPECBIND_TEST_POSTGRES`, default `postgres://postgres@127.0.0.1:5432/test`) and memory.
//! Each test runs once per backend; each PostgreSQL test has tables of its own.

use std::collections::BTreeSet;

use specbind::persist::{Backend, Conflict, Db, DbOptions, Model, PersistError};
use specbind_examples::petstore::types::{NewPetStatus, Pet};

/// A database for one test, empty.
struct Fixture {
    db: Db,
    dir: Option<std::path::PathBuf>,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn postgres_url() -> String {
    std::env::var("SPECBIND_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

async fn sqlite(test: &str) -> Fixture {
    let dir = std::env::temp_dir().join(format!(
        "specbind-{test}-{}",
        specbind::uuid::Uuid::new_v4()
    ));
    let db = Db::sqlite(dir.join("pets.db")).await.expect("open SQLite");
    Fixture { db, dir: Some(dir) }
}

async fn postgres(test: &str) -> Fixture {
    let options = DbOptions::default()
        .table_prefix(format!("test_{test}_"))
        .max_connections(16);
    let db = Db::open_with(&postgres_url(), options)
        .await
        .expect("PostgreSQL at $SPECBIND_TEST_POSTGRES (default 127.0.0.1:5432/test)");
    db.drop_collection(&Pet::COLLECTION).await.expect("drop");
    Fixture { db, dir: None }
}

async fn memory(_: &str) -> Fixture {
    Fixture {
        db: Db::memory(),
        dir: None,
    }
}

fn pet(id: i64, name: &str) -> Pet {
    Pet {
        id,
        name: name.into(),
        tag: Some("dog".into()),
        status: NewPetStatus::Available,
        created_at: None,
    }
}

async fn round_trip_with_versions(db: Db) {
    let rex = pet(1, "Rex");
    assert_eq!(rex.insert(&db).await.unwrap(), 1);
    let loaded = Pet::load(&db, 1).await.unwrap().expect("stored");
    assert_eq!(loaded.value, rex);
    assert_eq!(loaded.version, 1);
    assert!(Pet::load(&db, 2).await.unwrap().is_none());

    // Inserting the same key again is a conflict, and the stored pet is unchanged.
    let e = pet(1, "Other").insert(&db).await.unwrap_err();
    assert!(
        matches!(
            &e,
            PersistError::Conflict {
                conflict: Conflict::Exists,
                ..
            }
        ),
        "{e}"
    );

    let renamed = Pet {
        name: "Rex II".into(),
        ..rex.clone()
    };
    assert_eq!(renamed.update(&db, 1).await.unwrap(), 2);
    // A writer still holding version 1 is refused with the versions named.
    let e = pet(1, "Late").update(&db, 1).await.unwrap_err();
    match &e {
        PersistError::Conflict {
            conflict: Conflict::Version { expected, actual },
            ..
        } => assert_eq!((*expected, *actual), (1, 2)),
        other => panic!("expected a version conflict, got {other}"),
    }
    assert_eq!(Pet::load(&db, 1).await.unwrap().unwrap().value, renamed);
    // Updating what is not there.
    let e = pet(9, "Ghost").update(&db, 1).await.unwrap_err();
    assert!(matches!(e, PersistError::NotFound { .. }), "{e}");

    // Deleting at a stale version is refused; at the current one it works, once.
    let e = Pet::delete(&db, 1, Some(1)).await.unwrap_err();
    assert!(matches!(e, PersistError::Conflict { .. }), "{e}");
    assert!(Pet::delete(&db, 1, Some(2)).await.unwrap());
    assert!(!Pet::delete(&db, 1, None).await.unwrap());
    assert!(Pet::load(&db, 1).await.unwrap().is_none());
}

async fn invalid_models_are_never_stored(db: Db) {
    let mut bad = pet(1, "");
    bad.tag = Some("Not A Tag".into());
    let e = bad.insert(&db).await.unwrap_err();
    let PersistError::Invalid { violations, .. } = &e else {
        panic!("expected Invalid, got {e}");
    };
    let paths: BTreeSet<&str> = violations.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(paths, BTreeSet::from(["/name", "/tag"]), "{e}");
    assert!(Pet::load(&db, 1).await.unwrap().is_none());

    // An update that breaks the spec leaves the stored pet as it was.
    let good = pet(1, "Good");
    good.insert(&db).await.unwrap();
    let e = bad.update(&db, 1).await.unwrap_err();
    assert!(matches!(e, PersistError::Invalid { .. }), "{e}");
    let stored = Pet::load(&db, 1).await.unwrap().unwrap();
    assert_eq!((stored.value, stored.version), (good, 1));
}

async fn documents_that_no_longer_match_the_spec_are_reported(db: Db) {
    pet(1, "Fine").insert(&db).await.unwrap();
    // Written past the typed API, as an older spec (no name limit, a number as tag) might
    // have: both break today's spec.
    let c = Pet::COLLECTION;
    let key = specbind::persist::Key::to_value(&2_i64);
    db.insert(&c, &key, r#"{"id": 2, "name": ""}"#)
        .await
        .unwrap();
    let key3 = specbind::persist::Key::to_value(&3_i64);
    db.insert(&c, &key3, r#"{"id": 3, "name": "Three", "tag": 7}"#)
        .await
        .unwrap();

    let e = Pet::load(&db, 2).await.unwrap_err();
    let PersistError::Stale {
        version, reason, ..
    } = &e
    else {
        panic!("expected Stale, got {e}");
    };
    assert_eq!(*version, 1);
    assert!(reason.contains("/name"), "{reason}");
    let e = Pet::load(&db, 3).await.unwrap_err();
    assert!(e.to_string().contains("tag"), "{e}");
    // A page that holds one is reported too, not shortened.
    let e = Pet::list(&db, None, 10).await.unwrap_err();
    assert!(matches!(e, PersistError::Stale { .. }), "{e}");
    // Nothing was dropped: the documents are still there, and the valid one still loads.
    assert!(db.get(&c, &key).await.unwrap().is_some());
    assert!(Pet::load(&db, 1).await.unwrap().is_some());
}

async fn unique_properties_are_enforced(db: Db) {
    pet(1, "Rex").insert(&db).await.unwrap();
    let e = pet(2, "Rex").insert(&db).await.unwrap_err();
    match &e {
        PersistError::Conflict {
            conflict: Conflict::Unique { property },
            ..
        } => assert_eq!(*property, "name"),
        other => panic!("expected a unique conflict, got {other}"),
    }
    pet(2, "Max").insert(&db).await.unwrap();
    let e = pet(2, "Rex").update(&db, 1).await.unwrap_err();
    assert!(
        matches!(
            &e,
            PersistError::Conflict {
                conflict: Conflict::Unique { .. },
                ..
            }
        ),
        "{e}"
    );
    // Keeping one's own name is no conflict.
    assert_eq!(pet(1, "Rex").update(&db, 1).await.unwrap(), 2);
}

async fn a_thousand_concurrent_saves(db: Db) {
    let tasks: Vec<_> = (1..=1000)
        .map(|i| {
            let db = db.clone();
            tokio::spawn(async move {
                let p = pet(i, &format!("pet-{i}"));
                p.insert(&db).await.map(|v| (p, v))
            })
        })
        .collect();
    let mut saved = Vec::new();
    for t in tasks {
        let (p, version) = t.await.unwrap().expect("every save succeeds");
        assert_eq!(version, 1);
        saved.push(p);
    }
    for p in &saved {
        let back = Pet::load(&db, p.id).await.unwrap().expect("stored");
        assert_eq!(&back.value, p);
    }
    let mut all = Vec::new();
    let mut start = None;
    loop {
        let page = Pet::list(&db, start, 100).await.unwrap();
        all.extend(page.items.into_iter().map(|v| v.value));
        match page.next {
            Some(next) => start = Some(next),
            None => break,
        }
    }
    assert_eq!(all, saved, "the listing is every pet once, in key order");
}

/// The tag `n-K` counts the updates applied: each update reads K and writes K + 1.
fn count(p: &Pet) -> i64 {
    p.tag
        .as_deref()
        .and_then(|t| t.strip_prefix("n-"))
        .and_then(|k| k.parse().ok())
        .expect("a counting tag")
}

async fn a_hundred_concurrent_updates_of_one_key(db: Db) {
    let mut first = pet(1, "Target");
    first.tag = Some("n-0".into());
    first.insert(&db).await.unwrap();
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move {
                let current = Pet::load(&db, 1).await?.expect("stored");
                let next = Pet {
                    tag: Some(format!("n-{}", count(&current) + 1)),
                    ..current.value.clone()
                };
                next.update(&db, current.version)
                    .await
                    .map(|v| (v, count(&next)))
            })
        })
        .collect();
    let mut applied = Vec::new();
    let mut conflicts = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(done) => applied.push(done),
            Err(PersistError::Conflict {
                conflict: Conflict::Version { .. },
                ..
            }) => conflicts += 1,
            Err(e) => panic!("an update failed otherwise: {e}"),
        }
    }
    assert_eq!(applied.len() + conflicts, 100);
    assert!(!applied.is_empty());
    // Each applied update saw all the earlier ones: version 2 holds count 1, version 3
    // count 2, ... An update applied over one it had not seen would repeat a count.
    applied.sort();
    let n = applied.len() as i64;
    let expected: Vec<(i64, i64)> = (1..=n).map(|k| (k + 1, k)).collect();
    assert_eq!(applied, expected, "{conflicts} conflicts");
    let last = Pet::load(&db, 1).await.unwrap().unwrap();
    assert_eq!((last.version, count(&last.value)), (n + 1, n));
}

async fn pages_of_250_by_100(db: Db) {
    for i in 1..=250 {
        pet(i * 3, &format!("p{i}")).insert(&db).await.unwrap();
    }
    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    let mut nexts = Vec::new();
    let mut start = None;
    loop {
        let page = Pet::list(&db, start, 100).await.unwrap();
        sizes.push(page.items.len());
        seen.extend(page.items.iter().map(|p| p.id));
        nexts.push(page.next);
        match page.next {
            Some(next) => start = Some(next),
            None => break,
        }
    }
    assert_eq!(sizes, [100, 100, 50]);
    assert_eq!(nexts, [Some(300), Some(600), None]);
    assert_eq!(seen, (1..=250).map(|i| i * 3).collect::<Vec<_>>());
}

async fn next_id_never_repeats(db: Db) {
    let tasks: Vec<_> = (0..200)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move { Pet::next_id(&db).await })
        })
        .collect();
    let mut ids = BTreeSet::new();
    for t in tasks {
        assert!(ids.insert(t.await.unwrap().unwrap()));
    }
    assert_eq!(ids, (1..=200).collect());
}

macro_rules! on_every_backend {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let f = super::sqlite(stringify!($test)).await;
                    super::$test(f.db.clone()).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let f = super::postgres(stringify!($test)).await;
                    super::$test(f.db.clone()).await;
                }
            )*
        }
        mod memory {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let f = super::memory(stringify!($test)).await;
                    super::$test(f.db.clone()).await;
                }
            )*
        }
    };
}

on_every_backend!(
    round_trip_with_versions,
    invalid_models_are_never_stored,
    documents_that_no_longer_match_the_spec_are_reported,
    unique_properties_are_enforced,
    a_thousand_concurrent_saves,
    a_hundred_concurrent_updates_of_one_key,
    pages_of_250_by_100,
    next_id_never_repeats,
);
