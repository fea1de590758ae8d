//! Generated clients against Stoplight Prism mocks of real-world specs.
//!
//! `bash .ci/prism.sh run -- cargo test -p specbind-prism -- --ignored` starts one mock per
//! spec (static mode: the answers are the spec's examples, or built from its schemas), exports
//! `PRISM_<NAME>_URL`, and runs these tests. Prism serves the spec's paths at the root of the
//! mock whatever the spec's base path, so the mock URL is the client's base URL as it is.
//!
//! Every call is logged as one line, `prism <spec> <operation>: ok | FAILED ...`, straight to
//! the process's stderr so that the CI log shows it even when the test passes; a test fails
//! once all its calls have run if any of them failed.
#![cfg(not(corpus_missing))]

use std::fmt::Debug;
use std::future::IntoFuture;
use std::io::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use specbind::chrono::{DateTime, Utc};
use specbind::client::{CallError, Operation as _};
use specbind::uuid::Uuid;
use specbind_prism::{
    adyen_transfer, alertmanager, apisguru, conduit, firecracker, holidays, listennotes, museum,
    nytimes, petstore_expanded, petstore3, ynab,
};

/// The mock URL from `var`, which `.ci/prism.sh run` exports.
fn mock_url(var: &str) -> String {
    match std::env::var(var) {
        Ok(url) if !url.is_empty() => url,
        _ => panic!(
            "{var} is not set: start the Prism mocks with \
             `bash .ci/prism.sh run -- cargo test -p specbind-prism -- --ignored`"
        ),
    }
}

/// The calls of one spec: each is logged, and the failures are collected.
struct Calls {
    spec: &'static str,
    count: usize,
    failed: Vec<String>,
}

impl Calls {
    fn new(spec: &'static str) -> Self {
        Self {
            spec,
            count: 0,
            failed: Vec::new(),
        }
    }

    /// One line in the log; written to stderr itself, which the test harness does not capture.
    fn log(&self, line: &str) {
        let _ = writeln!(std::io::stderr().lock(), "prism {} {line}", self.spec);
    }

    /// Records a call that should succeed; `check` asserts on its typed result.
    fn ok<T, E: Debug>(
        &mut self,
        op: &str,
        result: Result<T, CallError<E>>,
        check: impl FnOnce(T),
    ) {
        self.count += 1;
        let outcome = match result {
            Ok(value) => match catch_unwind(AssertUnwindSafe(|| check(value))) {
                Ok(()) => Ok(()),
                Err(panic) => Err(format!("unexpected result: {}", panic_message(&*panic))),
            },
            Err(e) => Err(format!("{e}; {e:?}")),
        };
        self.record(op, outcome);
    }

    /// Records a call that should fail; `check` asserts on the error.
    fn err<T: Debug, E: Debug>(
        &mut self,
        op: &str,
        result: Result<T, CallError<E>>,
        check: impl FnOnce(CallError<E>),
    ) {
        self.count += 1;
        let outcome = match result {
            Ok(value) => Err(format!("succeeded, but it should fail: {value:?}")),
            Err(e) => {
                let text = e.to_string();
                match catch_unwind(AssertUnwindSafe(|| check(e))) {
                    Ok(()) => Ok(()),
                    Err(panic) => Err(format!("{text}: {}", panic_message(&*panic))),
                }
            }
        };
        match outcome {
            Ok(()) => {
                self.log(&format!("{op}: ok (failed as expected)"));
            }
            Err(why) => self.record(op, Err(why)),
        }
    }

    fn record(&mut self, op: &str, outcome: Result<(), String>) {
        match outcome {
            Ok(()) => self.log(&format!("{op}: ok")),
            Err(why) => {
                self.log(&format!("{op}: FAILED {why}"));
                self.failed.push(format!("{op}: {why}"));
            }
        }
    }

    /// Fails the test if a call failed.
    fn finish(self) {
        let ok = self.count - self.failed.len();
        self.log(&format!("{ok} of {} calls ok", self.count));
        assert!(
            self.failed.is_empty(),
            "{} of the {} calls to the {} mock failed:\n{}",
            self.failed.len(),
            self.count,
            self.spec,
            self.failed.join("\n")
        );
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic".to_owned()
    }
}

fn date_time(text: &str) -> DateTime<Utc> {
    text.parse().expect("a date-time")
}

/// The date-time Prism gives every `format: date-time` without an example.
fn prism_date_time() -> DateTime<Utc> {
    date_time("2019-08-24T14:15:22Z")
}

fn uuid(text: &str) -> Uuid {
    text.parse().expect("a uuid")
}

/// Prometheus Alertmanager, Swagger 2.0: no examples, so every answer is built from the
/// schemas (strings `"string"`, date-times `2019-08-24T14:15:22Z`, maps `property1/2`).
#[tokio::test]
#[ignore = "needs the Prism mocks: bash .ci/prism.sh run -- cargo test -p specbind-prism -- --ignored"]
async fn alertmanager() {
    use alertmanager::client::Client;
    use alertmanager::types::{
        AlertStatusState, ClusterStatusStatus, LabelSet, Matcher, PostableAlert, PostableSilence,
        SilenceStatusState,
    };
    let client = Client::builder()
        .base_url(mock_url("PRISM_ALERTMANAGER_URL"))
        .timeout(Duration::from_secs(10))
        .build()
        .expect("a client");
    let mut calls = Calls::new("alertmanager");
    let silence_id = uuid("3fa85f64-5717-4562-b3fc-2c963f66afa6");
    let labels = |pairs: &[(&str, &str)]| {
        LabelSet(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    };
    let schema_labels = labels(&[("property1", "string"), ("property2", "string")]);

    calls.ok(
        "getStatus GET /status",
        client.get_status().await,
        |status| {
            assert_eq!(status.cluster.status, ClusterStatusStatus::Ready);
            assert_eq!(status.cluster.name.as_deref(), Some("string"));
            let peers = status.cluster.peers.expect("peers");
            assert_eq!(peers.len(), 1);
            assert_eq!(peers[0].address, "string");
            assert_eq!(status.version_info.go_version, "string");
            assert_eq!(status.config.original, "string");
            assert_eq!(status.uptime, prism_date_time());
        },
    );
    calls.ok(
        "getReceivers GET /receivers",
        client.get_receivers().await,
        |receivers| {
            assert_eq!(receivers.len(), 1);
            assert_eq!(receivers[0].name, "string");
            assert_eq!(receivers[0].labels.as_ref(), Some(&schema_labels));
        },
    );
    calls.ok(
        "getSilences GET /silences?filter=..&active=true",
        client
            .get_silences()
            .filter(vec!["alertname=x".to_owned(), "team=~ops".to_owned()])
            .active(true)
            .await,
        |silences| {
            assert_eq!(silences.0.len(), 1);
            let s = &silences.0[0];
            assert_eq!(s.id, "string");
            assert_eq!(s.status.state, SilenceStatusState::Expired);
            assert_eq!(s.updated_at, prism_date_time());
            assert_eq!(s.matchers.0.len(), 1);
            assert!(s.matchers.0[0].is_regex);
            assert_eq!(s.created_by, "string");
        },
    );
    calls.ok(
        "getSilence GET /silence/{silenceID}",
        client.get_silence(silence_id).await,
        |s| {
            assert_eq!(s.id, "string");
            assert_eq!(s.comment, "string");
            assert_eq!(s.ends_at, prism_date_time());
        },
    );
    calls.ok(
        "getAlerts GET /alerts?active&silenced&receiver",
        client
            .get_alerts()
            .active(true)
            .silenced(false)
            .receiver("team-x")
            .await,
        |alerts| {
            assert_eq!(alerts.0.len(), 1);
            let a = &alerts.0[0];
            assert_eq!(a.status.state, AlertStatusState::Unprocessed);
            assert_eq!(a.status.silenced_by, ["string"]);
            assert_eq!(a.generator_url.as_deref(), Some("http://example.com"));
            assert_eq!(a.labels, schema_labels);
            assert_eq!(a.receivers[0].name, "string");
        },
    );
    calls.ok(
        "getAlertGroups GET /alerts/groups?active",
        client.get_alert_groups().active(true).await,
        |groups| {
            assert_eq!(groups.0.len(), 1);
            assert_eq!(groups.0[0].receiver.name, "string");
            assert_eq!(groups.0[0].alerts.len(), 1);
            assert_eq!(groups.0[0].route_labels, schema_labels);
        },
    );
    calls.ok(
        "postSilences POST /silences (JSON)",
        client
            .post_silences(PostableSilence {
                id: None,
                matchers: vec![Matcher {
                    name: "alertname".into(),
                    value: "x".into(),
                    is_regex: false,
                    is_equal: true,
                }]
                .into(),
                starts_at: date_time("2024-01-01T00:00:00Z"),
                ends_at: date_time("2024-01-02T00:00:00Z"),
                created_by: "ci".into(),
                comment: "specbind prism test".into(),
                annotations: None,
            })
            .await,
        |created| assert_eq!(created.silence_id.as_deref(), Some("string")),
    );
    calls.ok(
        "postAlerts POST /alerts (JSON)",
        client
            .post_alerts(vec![PostableAlert {
                starts_at: Some(date_time("2024-01-01T00:00:00Z")),
                ends_at: None,
                annotations: Some(labels(&[("summary", "specbind")])),
                labels: labels(&[("alertname", "x")]),
                generator_url: None,
            }])
            .await,
        |()| {},
    );
    calls.ok(
        "deleteSilence DELETE /silence/{silenceID}",
        client.delete_silence(silence_id).await,
        |()| {},
    );
    calls.finish();
}

/// Checks the error of decoding a static holidays answer: the spec's `federal: 1` at `at`.
fn bad_example<E: Debug>(at: &'static str) -> impl FnOnce(CallError<E>) {
    move |e| match e {
        CallError::InvalidResponse {
            status, message, ..
        } => {
            assert_eq!(status.as_u16(), 200);
            assert!(message.contains(at), "{message}");
        }
        other => panic!("not an invalid response: {other}"),
    }
}

/// Sends the call that `make` builds, again (up to 5 times) while Prism answers 500: its
/// dynamic mode crashes now and then on the recursive holidays schemas (its log: "TypeError:
/// Cannot read properties of undefined (reading 'items')").
async fn unless_prism_crashes<C, T, E>(mut make: impl FnMut() -> C) -> Result<T, CallError<E>>
where
    C: IntoFuture<Output = Result<T, CallError<E>>>,
{
    let mut attempt = 1;
    loop {
        match make().await {
            Err(CallError::UnexpectedStatus { status, .. })
                if status.as_u16() == 500 && attempt < 5 =>
            {
                let _ = writeln!(
                    std::io::stderr().lock(),
                    "prism holidays: Prism answered 500 (its dynamic mode crashed), again"
                );
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// Canada Holidays, OpenAPI 3.0: no security. The spec's examples break its own schema
/// (`federal: 1`, a number, where `Holiday.federal` is a string enum), so the static answers
/// of the data operations cannot be decoded: those calls must fail with exactly that. The same
/// operations are then called with `Prefer: dynamic=true`, for which Prism builds answers from
/// the schemas (random, but valid), which must decode.
#[tokio::test]
#[ignore = "needs the Prism mocks: bash .ci/prism.sh run -- cargo test -p specbind-prism -- --ignored"]
async fn holidays() {
    use holidays::client::Client;
    use holidays::types::{
        GetApiV1HolidaysFederal, GetApiV1ProvincesProvinceIdProvinceId, Holiday,
    };
    let url = mock_url("PRISM_HOLIDAYS_URL");
    let client = Client::builder()
        .base_url(&url)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("a client");
    let dynamic = Client::builder()
        .base_url(&url)
        .timeout(Duration::from_secs(10))
        .decorate(|request| {
            let value = "dynamic=true".parse().expect("a header value");
            request.headers_mut().insert("prefer", value);
        })
        .build()
        .expect("a client");
    let mut calls = Calls::new("holidays");
    let check_holiday = |h: &Holiday| {
        let id = h.id.expect("id");
        assert!((1..=28).contains(&id), "id {id}");
    };

    calls.ok(
        "get-api-vi GET /api/v1",
        client.get_api_vi().await,
        |root| {
            let message = root.message.expect("message");
            assert!(message.starts_with("Hello / Bonjour! Welcome"), "{message}");
            let links = root.links.expect("_links");
            assert_eq!(
                links.holidays.and_then(|l| l.href).as_deref(),
                Some("http://localhost:3000/api/v1/holidays")
            );
        },
    );
    calls.err(
        "get-api-v1-holidays GET /api/v1/holidays?year&federal (static: spec example breaks schema)",
        client
            .get_api_v1_holidays()
            .year("2024")
            .federal(GetApiV1HolidaysFederal::True)
            .await,
        bad_example("holidays[0].federal"),
    );
    calls.err(
        "get-holidays-holidayId GET /api/v1/holidays/{holidayId}?year (static: spec example breaks schema)",
        client.get_holidays_holiday_id(5).year("2024").await,
        bad_example("holiday.federal"),
    );
    calls.err(
        "get-api-v1-provinces GET /api/v1/provinces?year (static: spec example breaks schema)",
        client.get_api_v1_provinces().year("2024").await,
        bad_example(".federal"),
    );
    calls.err(
        "get-api-v1-provinces-provinceId GET /api/v1/provinces/{provinceId}?year (static: spec example breaks schema)",
        client
            .get_api_v1_provinces_province_id(GetApiV1ProvincesProvinceIdProvinceId::On)
            .year("2024")
            .await,
        bad_example("province.nextHoliday.federal"),
    );
    calls.ok(
        "get-api-v1-holidays GET /api/v1/holidays?year&federal (dynamic)",
        unless_prism_crashes(|| {
            dynamic
                .get_api_v1_holidays()
                .year("2024")
                .federal(GetApiV1HolidaysFederal::V1)
        })
        .await,
        |r| r.holidays.iter().flatten().for_each(check_holiday),
    );
    calls.ok(
        "get-holidays-holidayId GET /api/v1/holidays/{holidayId}?year (dynamic)",
        unless_prism_crashes(|| dynamic.get_holidays_holiday_id(28).year("2024")).await,
        |r| check_holiday(&r.holiday.expect("holiday")),
    );
    calls.ok(
        "get-api-v1-provinces GET /api/v1/provinces (dynamic)",
        unless_prism_crashes(|| dynamic.get_api_v1_provinces()).await,
        |r| {
            for p in r.provinces.iter().flatten() {
                p.next_holiday.iter().for_each(check_holiday);
            }
        },
    );
    calls.ok(
        "get-api-v1-provinces-provinceId GET /api/v1/provinces/{provinceId} (dynamic)",
        unless_prism_crashes(|| {
            dynamic.get_api_v1_provinces_province_id(GetApiV1ProvincesProvinceIdProvinceId::Qc)
        })
        .await,
        |r| {
            let p = r.province.expect("province");
            p.next_holiday.iter().for_each(check_holiday);
        },
    );
    calls.finish();
}

/// Swagger Petstore, OpenAPI 3.0: `/pet*` need OAuth 2 (a bearer token), `GET /pet/{petId}`
/// takes the `api_key` header instead, `/store/inventory` needs `api_key`. The answers are
/// the spec's examples (Pet 10 "doggie", User "theUser", Order 10) where there are some.
#[tokio::test]
#[ignore = "needs the Prism mocks: bash .ci/prism.sh run -- cargo test -p specbind-prism -- --ignored"]
async fn petstore3() {
    use petstore3::client::Client;
    use petstore3::types::{
        Category, FindPetsByStatusStatus, Order, OrderStatus, Pet, PetStatus, User,
    };
    let client = Client::builder()
        .base_url(mock_url("PRISM_PETSTORE3_URL"))
        .timeout(Duration::from_secs(10))
        .build()
        .expect("a client");
    let bearer = client.clone().with_petstore_auth("token");
    let keyed = client.clone().with_api_key("key");
    let mut calls = Calls::new("petstore3");
    let check_doggie = |pet: &Pet| {
        assert_eq!(pet.id, Some(10));
        assert_eq!(pet.name, "doggie");
        assert_eq!(
            pet.category.as_ref().and_then(|c| c.name.as_deref()),
            Some("Dogs")
        );
        assert_eq!(pet.status, Some(PetStatus::Available));
    };
    let new_pet = || Pet {
        id: Some(11),
        name: "rex".into(),
        category: Some(Category {
            id: Some(1),
            name: Some("Dogs".into()),
        }),
        photo_urls: vec!["https://example.com/rex.png".into()],
        tags: None,
        status: Some(PetStatus::Pending),
    };

    calls.ok(
        "getPetById GET /pet/{petId} (api_key)",
        keyed.get_pet_by_id(10).await,
        |pet| check_doggie(&pet),
    );
    calls.ok(
        "findPetsByStatus GET /pet/findByStatus?status (bearer)",
        bearer
            .find_pets_by_status()
            .status(FindPetsByStatusStatus::Sold)
            .await,
        |pets| {
            assert_eq!(pets.len(), 1);
            check_doggie(&pets[0]);
        },
    );
    calls.ok(
        "findPetsByTags GET /pet/findByTags?tags=a&tags=b (bearer)",
        bearer
            .find_pets_by_tags()
            .tags(vec!["a".to_owned(), "b".to_owned()])
            .await,
        |pets| {
            assert_eq!(pets.len(), 1);
            check_doggie(&pets[0]);
        },
    );
    calls.ok(
        "getInventory GET /store/inventory (api_key)",
        keyed.get_inventory().await,
        |inventory| {
            assert_eq!(inventory.len(), 2);
            assert_eq!(inventory.get("property1"), Some(&i32::MIN));
        },
    );
    calls.ok(
        "getOrderById GET /store/order/{orderId}",
        client.get_order_by_id(3).await,
        |order| {
            assert_eq!(order.id, Some(10));
            assert_eq!(order.pet_id, Some(198_772));
            assert_eq!(order.quantity, Some(7));
            assert_eq!(order.status, Some(OrderStatus::Placed));
            assert_eq!(order.ship_date, Some(prism_date_time()));
            assert_eq!(order.complete, Some(true));
        },
    );
    calls.ok(
        "getUserByName GET /user/{username}",
        client.get_user_by_name("user1").await,
        |user| {
            assert_eq!(user.username.as_deref(), Some("theUser"));
            assert_eq!(user.email.as_deref(), Some("john@email.com"));
            assert_eq!(user.user_status, Some(1));
        },
    );
    // Its 200 lists application/xml before application/json: the call asks for JSON with
    // `Accept`, so Prism answers JSON.
    calls.ok(
        "loginUser GET /user/login",
        client
            .login_user()
            .username("theUser")
            .password("secret")
            .await,
        |ok| {
            let petstore3::client::LoginUserOk::Ok { body, .. } = ok;
            assert!(!body.is_empty());
        },
    );
    calls.ok(
        "logoutUser GET /user/logout",
        client.logout_user().await,
        |()| {},
    );
    calls.ok(
        "addPet POST /pet (JSON, bearer)",
        bearer.add_pet(new_pet()).await,
        |pet| check_doggie(&pet),
    );
    calls.ok(
        "updatePet PUT /pet (JSON, bearer)",
        bearer.update_pet(new_pet()).await,
        |pet| check_doggie(&pet),
    );
    calls.ok(
        "updatePetWithForm POST /pet/{petId}?name&status (bearer)",
        bearer
            .update_pet_with_form(10)
            .name("rex")
            .status("sold")
            .await,
        |pet| check_doggie(&pet),
    );
    calls.ok(
        "uploadFile POST /pet/{petId}/uploadImage (octet-stream, bearer)",
        bearer
            .upload_file(10)
            .additional_metadata("a photo")
            .body(b"\x89PNG fake".to_vec())
            .await,
        |r| assert!(r.code.is_some()),
    );
    calls.ok(
        "deletePet DELETE /pet/{petId} (bearer, api_key header param)",
        bearer.delete_pet(10).api_key("key").await,
        |()| {},
    );
    calls.ok(
        "placeOrder POST /store/order (JSON)",
        client
            .place_order()
            .body(Order {
                id: Some(1),
                pet_id: Some(10),
                quantity: Some(2),
                ship_date: Some(date_time("2024-01-01T12:00:00Z")),
                status: Some(OrderStatus::Approved),
                complete: Some(false),
            })
            .await,
        |order| {
            assert_eq!(order.id, Some(10));
            assert_eq!(order.pet_id, Some(198_772));
        },
    );
    calls.ok(
        "deleteOrder DELETE /store/order/{orderId}",
        client.delete_order(3).await,
        |()| {},
    );
    let user = User {
        username: Some("ci".into()),
        email: Some("ci@example.com".into()),
        user_status: Some(1),
        ..User::default()
    };
    calls.ok(
        "createUser POST /user (JSON)",
        client.create_user().body(user.clone()).await,
        |u| assert_eq!(u.username.as_deref(), Some("theUser")),
    );
    calls.ok(
        "createUsersWithListInput POST /user/createWithList (JSON)",
        client
            .create_users_with_list_input()
            .body(vec![user.clone()])
            .await,
        |u| assert_eq!(u.username.as_deref(), Some("theUser")),
    );
    calls.ok(
        "updateUser PUT /user/{username} (JSON)",
        client.update_user("ci").body(user).await,
        |()| {},
    );
    calls.ok(
        "deleteUser DELETE /user/{username}",
        client.delete_user("ci").await,
        |()| {},
    );
    calls.finish();
}

/// Redocly Museum, OpenAPI 3.1: HTTP basic everywhere; named examples.
#[tokio::test]
#[ignore = "needs the Prism mocks: bash .ci/prism.sh run -- cargo test -p specbind-prism -- --ignored"]
async fn museum() {
    use museum::client::{Client, DeleteSpecialEventError, GetMuseumHoursError};
    use museum::types::{
        BuyMuseumTickets, Date, EventId, SpecialEvent, SpecialEventFields, TicketType,
    };
    let anonymous = Client::builder()
        .base_url(mock_url("PRISM_MUSEUM_URL"))
        .timeout(Duration::from_secs(10))
        .build()
        .expect("a client");
    let client = anonymous
        .clone()
        .with_museum_placeholder_auth("user", "pass");
    let mut calls = Calls::new("museum");
    let date = |text: &str| text.parse::<Date>().expect("a date");
    let event_id: EventId = "dad4bce8-f5cb-4078-a211-995864315e39"
        .parse()
        .expect("a uuid");

    calls.ok(
        "getMuseumHours GET /museum-hours?startDate&page&limit",
        client
            .get_museum_hours()
            .start_date(date("2023-09-07").0)
            .page(1)
            .limit(5)
            .await,
        |hours| {
            assert_eq!(hours.0.len(), 10);
            assert_eq!(hours.0[0].date, date("2023-09-11"));
            assert_eq!(hours.0[0].time_open, "09:00");
            assert_eq!(hours.0[0].time_close, "18:00");
        },
    );
    calls.ok(
        "listSpecialEvents GET /special-events?startDate&endDate&page&limit",
        client
            .list_special_events()
            .start_date(date("2023-09-01").0)
            .end_date(date("2023-09-30").0)
            .page(2)
            .limit(10)
            .await,
        |events| {
            assert_eq!(events.0.len(), 10);
            let first = &events.0[0];
            assert_eq!(first.name.0, "Sasquatch Ballet");
            assert_eq!(first.price.0, 40.0);
            assert_eq!(first.dates.0, [date("2023-12-15"), date("2023-12-22")]);
            assert_eq!(
                first
                    .event_id
                    .as_ref()
                    .map(|id| id.0.to_string())
                    .as_deref(),
                Some("f3e0e76e-e4a8-466e-ab9c-ae36c15b8e97")
            );
        },
    );
    calls.ok(
        "getSpecialEvent GET /special-events/{eventId}",
        client.get_special_event(event_id.0).await,
        |event| {
            assert_eq!(event.name.0, "Time Traveler Tea Party");
            assert_eq!(event.location.0, "Temporal Tearoom");
            assert_eq!(event.price.0, 60.0);
        },
    );
    calls.ok(
        "createSpecialEvent POST /special-events (JSON, 201)",
        client
            .create_special_event(SpecialEvent {
                event_id: None,
                name: "Pirate Coding Workshop".to_owned().into(),
                location: "Seven Seas Gallery".to_owned().into(),
                event_description: "Learn to code like a pirate.".to_owned().into(),
                dates: vec![date("2023-09-05"), date("2023-09-12")].into(),
                price: 45.0.into(),
            })
            .await,
        |event| {
            assert_eq!(event.event_id, Some(event_id.clone()));
            assert_eq!(event.name.0, "Mermaid Treasure Identification and Analysis");
            assert_eq!(event.price.0, 30.0);
        },
    );
    calls.ok(
        "updateSpecialEvent PATCH /special-events/{eventId} (JSON)",
        client
            .update_special_event(
                event_id.0,
                SpecialEventFields {
                    price: Some(10.0.into()),
                    ..SpecialEventFields::default()
                },
            )
            .await,
        |event| {
            assert_eq!(event.event_id, Some(event_id.clone()));
            assert_eq!(event.location.0, "On the beach.");
            assert_eq!(event.price.0, 15.0);
        },
    );
    calls.ok(
        "deleteSpecialEvent DELETE /special-events/{eventId} (204)",
        client.delete_special_event(event_id.0).await,
        |()| {},
    );
    calls.ok(
        "buyMuseumTickets POST /tickets (JSON, 201)",
        client
            .buy_museum_tickets(BuyMuseumTickets {
                email: Some("todd@example.com".to_owned().into()),
                ticket_id: None,
                ticket_date: date("2023-09-07"),
                ticket_type: TicketType::General,
                event_id: None,
            })
            .await,
        |confirmation| {
            assert_eq!(confirmation.ticket_type, TicketType::General);
            assert_eq!(confirmation.ticket_date, date("2023-09-07"));
            assert_eq!(
                confirmation.message.0,
                "Museum general entry ticket purchased"
            );
            assert_eq!(
                confirmation.confirmation_code.0,
                "ticket-general-e5e5c6-dce78"
            );
        },
    );
    calls.ok(
        "getTicketCode GET /tickets/{ticketId}/qr (image/png)",
        client
            .get_ticket_code(uuid("a54a57ca-36f8-421b-a6b4-2e8f26858a4c"))
            .await,
        |png| assert_eq!(png, b"string"),
    );
    calls.err(
        "deleteSpecialEvent without credentials (declared 401)",
        anonymous.delete_special_event(event_id.0).await,
        |e| match e {
            CallError::Api {
                status,
                error: DeleteSpecialEventError::Unauthorized(body),
                ..
            } => {
                assert_eq!(status.as_u16(), 401);
                assert!(body.title.is_some(), "{body:?}");
            }
            other => panic!("not the declared 401: {other:?}"),
        },
    );
    calls.err(
        "getMuseumHours ?limit=50 unchecked (declared 400)",
        client.get_museum_hours().limit(50).skip_validation().await,
        |e| match e {
            CallError::Api {
                status,
                error: GetMuseumHoursError::BadRequest(body),
                ..
            } => {
                assert_eq!(status.as_u16(), 400);
                assert!(body.title.is_some(), "{body:?}");
            }
            other => panic!("not the declared 400: {other:?}"),
        },
    );
    calls.err(
        "getMuseumHours ?limit=50 (checked before sending)",
        client.get_museum_hours().limit(50).await,
        |e| match e {
            CallError::InvalidRequest { violations, .. } => {
                assert!(violations.to_string().contains("limit"), "{violations}");
            }
            other => panic!("not an invalid request: {other:?}"),
        },
    );
    calls.finish();
}

/// A client of `Client` for the mock in `var`, with a 10 s timeout.
macro_rules! client {
    ($client:ty, $var:literal) => {
        <$client>::builder()
            .base_url(mock_url($var))
            .timeout(Duration::from_secs(10))
            .build()
            .expect("a client")
    };
}

/// APIs.guru, Swagger 2.0: a map of APIs with dated versions, from the spec's examples.
#[tokio::test]
#[ignore = "needs the Prism mocks: bash .ci/prism.sh run -- cargo test -p specbind-prism -- --ignored"]
async fn apisguru() {
    let client = client!(apisguru::client::Client, "PRISM_APISGURU_URL");
    let mut calls = Calls::new("apisguru");
    calls.ok(
        "listAPIs GET /list.json",
        client.list_ap_is().await,
        |apis| {
            let drive = &apis.0["googleapis.com:drive"];
            assert_eq!(drive.preferred, "v3");
            assert_eq!(drive.added, date_time("2015-02-22T20:00:45Z"));
            let v3 = &drive.versions["v3"];
            assert_eq!(v3.updated, date_time("2016-06-17T00:21:44Z"));
            assert_eq!(
                v3.swagger_url,
                "https://api.apis.guru/v2/specs/googleapis.com/drive/v3/swagger.json"
            );
            assert_eq!(drive.versions.len(), 2);
        },
    );
    calls.ok(
        "getMetrics GET /metrics.json",
        client.get_metrics().await,
        |m| {
            assert_eq!(
                (m.num_ap_is, m.num_endpoints, m.num_specs),
                (238, 6448, 302)
            );
        },
    );
    calls.finish();
}

/// YNAB, Swagger 2.0: an API key in `Authorization`, uuids, dates and milliunits built from
/// the schemas; without the key, the declared default error, typed.
#[tokio::test]
#[ignore = "needs the Prism mocks: bash .ci/prism.sh run -- cargo test -p specbind-prism -- --ignored"]
async fn ynab() {
    use ynab::client::{Client, GetBudgetsError};
    let anonymous = client!(Client, "PRISM_YNAB_URL");
    let client = anonymous.clone().with_bearer("Bearer token");
    let mut calls = Calls::new("ynab");
    let id = uuid("497f6eca-6276-4993-bfeb-53cbbbba6f08");
    let day = |text: &str| text.parse::<specbind::chrono::NaiveDate>().expect("a date");
    calls.ok("getBudgets GET /budgets", client.get_budgets().await, |r| {
        assert_eq!(r.data.budgets.len(), 1);
        let b = &r.data.budgets[0];
        assert_eq!(b.id, id);
        assert_eq!(b.name, "string");
        assert_eq!(b.first_month, Some(day("2019-08-24")));
        assert_eq!(b.last_modified_on, Some(prism_date_time()));
        let format = b.currency_format.as_ref().expect("a currency format");
        assert_eq!(format.decimal_digits, i32::MIN);
        assert!(format.symbol_first);
        assert_eq!(r.data.default_budget.as_ref().map(|d| d.id), Some(id));
    });
    calls.ok(
        "getAccounts GET /budgets/{budget_id}/accounts",
        client.get_accounts("last-used").await,
        |r| {
            assert_eq!(r.data.accounts.len(), 1);
            let a = &r.data.accounts[0];
            assert_eq!(a.id, id);
            assert_eq!(a.balance, -9_007_199_254_740_991);
            assert_eq!(
                a.transfer_payee_id,
                uuid("b618f346-7769-4234-94e0-49079db81662")
            );
            assert!(a.on_budget && a.closed);
            assert_eq!(r.data.server_knowledge, -9_007_199_254_740_991);
        },
    );
    calls.ok(
        "getBudgetMonth GET /budgets/{budget_id}/months/{month} (a date path parameter)",
        client
            .get_budget_month("last-used", day("2024-01-01"))
            .await,
        |r| {
            assert_eq!(r.data.month.month, day("2019-08-24"));
            assert_eq!(r.data.month.age_of_money, Some(i32::MIN));
            assert!(!r.data.month.categories.is_empty());
        },
    );
    calls.err(
        "getBudgets without the API key (the declared default error)",
        anonymous.get_budgets().await,
        |e| match e {
            CallError::Api {
                status,
                error: GetBudgetsError::Default { body, .. },
                ..
            } => {
                assert_eq!(status.as_u16(), 401);
                assert_eq!(body.error.detail, "string");
            }
            other => panic!("not the declared default error: {other:?}"),
        },
    );
    calls.finish();
}

/// Firecracker, Swagger 2.0: string enums with spaces (`Not started`), defaults, PUT bodies
/// answered 204, and a declared 400 for a body the spec refuses (sent unchecked).
#[tokio::test]
#[ignore = "needs the Prism mocks: bash .ci/prism.sh run -- cargo test -p specbind-prism -- --ignored"]
async fn firecracker() {
    use firecracker::client::Client;
    use firecracker::types::{
        CpuTemplate, Drive, InstanceActionInfo, InstanceActionInfoActionType, InstanceInfoState,
    };
    let client = client!(Client, "PRISM_FIRECRACKER_URL");
    let mut calls = Calls::new("firecracker");
    calls.ok(
        "describeInstance GET /",
        client.describe_instance().await,
        |i| {
            assert_eq!(i.state, InstanceInfoState::NotStarted);
            assert_eq!(i.app_name, "string");
            assert_eq!(i.vmm_version, "string");
        },
    );
    calls.ok(
        "getMachineConfiguration GET /machine-config",
        client.get_machine_configuration().await,
        |m| {
            assert_eq!(m.vcpu_count, 1);
            assert_eq!(m.mem_size_mib, 0);
            assert!(!m.smt && !m.track_dirty_pages);
            assert_eq!(m.cpu_template, Some(CpuTemplate::None));
        },
    );
    calls.ok(
        "getFirecrackerVersion GET /version",
        client.get_firecracker_version().await,
        |v| assert_eq!(v.firecracker_version, "string"),
    );
    calls.ok(
        "describeBalloonConfig GET /balloon",
        client.describe_balloon_config().await,
        |b| {
            assert_eq!(b.amount_mib, 0);
            assert!(b.deflate_on_oom);
            assert_eq!(b.stats_polling_interval_s, Some(0));
        },
    );
    calls.ok(
        "putGuestDriveByID PUT /drives/{drive_id} (JSON body, 204)",
        client
            .put_guest_drive_by_id(
                "rootfs",
                Drive {
                    drive_id: "rootfs".into(),
                    partuuid: None,
                    is_root_device: true,
                    cache_type: Default::default(),
                    is_read_only: Some(false),
                    path_on_host: Some("/tmp/rootfs.ext4".into()),
                    rate_limiter: None,
                    io_engine: Default::default(),
                    socket: None,
                },
            )
            .await,
        |()| {},
    );
    calls.ok(
        "createSyncAction PUT /actions (InstanceStart, 204)",
        client
            .create_sync_action(InstanceActionInfo {
                action_type: InstanceActionInfoActionType::InstanceStart,
            })
            .await,
        |()| {},
    );
    calls.finish();
}

/// The New York Times Times Wire, Swagger 2.0: the API key in the query (`api-key`), an enum
/// path parameter, templates with `.json` after a parameter (which a generated server cannot
/// route, and a client calls), and `{time-period}`.
#[tokio::test]
#[ignore = "needs the Prism mocks: bash .ci/prism.sh run -- cargo test -p specbind-prism -- --ignored"]
async fn nytimes() {
    use nytimes::client::Client;
    use nytimes::types::{
        GetContentSourceSectionJsonSource, GetContentSourceSectionTimePeriodJsonSource,
    };
    let client = client!(Client, "PRISM_NYTIMES_URL").with_apikey("key");
    let mut calls = Calls::new("nytimes");
    let first_headline = |results: Option<Vec<nytimes::types::Article>>| {
        let results = results.expect("results");
        assert_eq!(results.len(), 1);
        let a = &results[0];
        assert_eq!(a.headline.as_deref(), Some("string"));
        assert_eq!(a.des_facet.as_deref(), Some(&["string".to_owned()][..]));
        let media = a.multimedia.as_ref().expect("multimedia");
        assert_eq!(media[0].width, Some(0));
    };
    calls.ok(
        "GET /content.json?url",
        client
            .get_content_json("https://www.nytimes.com/2024/01/01/world/x.html")
            .await,
        |r| {
            assert_eq!(r.num_results, Some(0));
            first_headline(r.results);
        },
    );
    calls.ok(
        "GET /content/{source}/{section}.json?limit",
        client
            .get_content_source_section_json(GetContentSourceSectionJsonSource::Nyt, "world")
            .limit(20)
            .await,
        |r| first_headline(r.results),
    );
    calls.ok(
        "GET /content/{source}/{section}/{time-period}.json",
        client
            .get_content_source_section_time_period_json(
                GetContentSourceSectionTimePeriodJsonSource::All,
                "all",
                24,
            )
            .await,
        |r| first_headline(r.results),
    );
    calls.finish();
}

/// The OpenAPI petstore, expanded (3.0): `allOf` of `NewPet` and an id, repeated `tags`,
/// POST, GET by id and DELETE (204).
#[tokio::test]
#[ignore = "needs the Prism mocks: bash .ci/prism.sh run -- cargo test -p specbind-prism -- --ignored"]
async fn petstore_expanded() {
    use petstore_expanded::client::Client;
    use petstore_expanded::types::NewPet;
    let client = client!(Client, "PRISM_PETSTORE_EXPANDED_URL");
    let mut calls = Calls::new("petstore_expanded");
    let schema_pet = |p: &petstore_expanded::types::Pet| {
        assert_eq!(p.name, "string");
        assert_eq!(p.tag.as_deref(), Some("string"));
        assert_eq!(p.id, -9_007_199_254_740_991);
    };
    calls.ok(
        "findPets GET /pets?tags=..&tags=..&limit",
        client
            .find_pets()
            .tags(vec!["dog".to_owned(), "cat".to_owned()])
            .limit(5)
            .await,
        |pets| {
            assert_eq!(pets.len(), 1);
            schema_pet(&pets[0]);
        },
    );
    calls.ok(
        "addPet POST /pets",
        client
            .add_pet(NewPet {
                name: "rex".into(),
                tag: Some("dog".into()),
            })
            .await,
        |p| schema_pet(&p),
    );
    calls.ok(
        "find pet by id GET /pets/{id}",
        client.find_pet_by_id(7).await,
        |p| schema_pet(&p),
    );
    calls.ok(
        "deletePet DELETE /pets/{id} (204)",
        client.delete_pet(7).await,
        |()| {},
    );
    calls.finish();
}

/// Listen Notes (3.0): a required header parameter, the spec's examples, newtypes of the
/// spec's field schemas, and typed response headers (quota, billing date, latency).
#[tokio::test]
#[ignore = "needs the Prism mocks: bash .ci/prism.sh run -- cargo test -p specbind-prism -- --ignored"]
async fn listennotes() {
    use listennotes::client::{Client, GetBestPodcastsOk, GetEpisodeByIdOk, GetGenresOk};
    let client = client!(Client, "PRISM_LISTENNOTES_URL");
    let mut calls = Calls::new("listennotes");
    calls.ok(
        "getGenres GET /genres",
        client.get_genres("key").await,
        |ok| {
            let GetGenresOk::Ok {
                body,
                x_listen_api_free_quota,
                x_listen_api_usage,
                x_listen_api_next_billing_date,
                x_listen_api_latency_seconds,
            } = ok;
            assert_eq!(body.genres.len(), 1);
            assert_eq!(body.genres[0].id, Some(140));
            assert_eq!(body.genres[0].name.as_deref(), Some("Web Design"));
            assert_eq!(body.genres[0].parent_id, Some(127));
            assert_eq!(x_listen_api_free_quota, Some(100_000));
            assert_eq!(x_listen_api_usage, Some(49_231));
            assert_eq!(x_listen_api_next_billing_date, Some(prism_date_time()));
            assert_eq!(x_listen_api_latency_seconds, Some(0.056));
        },
    );
    calls.ok(
        "getBestPodcasts GET /best_podcasts?page&region",
        client.get_best_podcasts("key").page(2).region("us").await,
        |ok| {
            let GetBestPodcastsOk::Ok { body, .. } = ok;
            assert_eq!((body.page_number, body.next_page_number), (2, 3));
            assert_eq!(body.total, 325);
            assert!(body.has_next);
            assert_eq!(body.name, "Business News");
            let p = &body.podcasts[0];
            assert_eq!(
                p.id.as_ref().map(|i| i.0.as_str()),
                Some("4d3fe717742d4963a85562e9f84d8c79")
            );
            assert_eq!(p.total_episodes.as_ref().map(|t| t.0), Some(324));
            assert_eq!(p.explicit_content.as_ref().map(|e| e.0), Some(false));
            assert_eq!(
                p.country.as_ref().map(|c| c.0.as_str()),
                Some("United States")
            );
        },
    );
    calls.ok(
        "getEpisodeById GET /episodes/{id}",
        client
            .get_episode_by_id("4d82e50314174754a3b603912448e812", "key")
            .await,
        |ok| {
            let GetEpisodeByIdOk::Ok { body, .. } = ok;
            assert_eq!(body.audio_length_sec.map(|a| a.0), Some(567));
            assert_eq!(body.pub_date_ms.map(|d| d.0), Some(1_474_873_200_000));
            assert_eq!(
                body.id.map(|i| i.0).as_deref(),
                Some("4d82e50314174754a3b603912448e812")
            );
            assert!(body.podcast.is_some());
        },
    );
    calls.finish();
}

/// RealWorld Conduit (3.1): an API key written `Token ...` in `Authorization`, date-times,
/// nested objects; without it, the declared 401.
#[tokio::test]
#[ignore = "needs the Prism mocks: bash .ci/prism.sh run -- cargo test -p specbind-prism -- --ignored"]
async fn conduit() {
    use conduit::client::{Client, GetCurrentUserError};
    use conduit::types::{LoginBody, LoginUser};
    let anonymous = client!(Client, "PRISM_CONDUIT_URL");
    let client = anonymous.clone().with_token("Token jwt");
    let mut calls = Calls::new("conduit");
    calls.ok(
        "GetArticles GET /articles?tag&limit",
        client.get_articles().tag("rust").limit(2).await,
        |r| {
            assert_eq!(r.articles_count, 0);
            let a = &r.articles[0];
            assert_eq!(a.created_at, prism_date_time());
            assert_eq!(a.tag_list, ["string"]);
            assert!(a.favorited && a.author.following);
            assert_eq!(a.author.username, "string");
        },
    );
    calls.ok("GetTags GET /tags", client.get_tags().await, |r| {
        assert_eq!(r.tags, ["string"]);
    });
    calls.ok(
        "GetProfileByUsername GET /profiles/{username}",
        client.get_profile_by_username("jake").await,
        |r| assert_eq!(r.profile.bio, "string"),
    );
    calls.ok(
        "Login POST /users/login",
        anonymous
            .login(LoginBody {
                user: LoginUser {
                    email: "jake@jake.jake".into(),
                    password: "jakejake".into(),
                },
            })
            .await,
        |r| {
            assert_eq!(r.user.token, "string");
            assert_eq!(r.user.email, "string");
        },
    );
    calls.ok(
        "GetCurrentUser GET /user",
        client.get_current_user().await,
        |r| assert_eq!(r.user.username, "string"),
    );
    calls.err(
        "GetCurrentUser without the token (the declared 401)",
        anonymous.get_current_user().await,
        |e| match e {
            CallError::Api {
                status,
                error: GetCurrentUserError::Unauthorized,
                ..
            } => assert_eq!(status.as_u16(), 401),
            other => panic!("not the declared 401: {other:?}"),
        },
    );
    calls.finish();
}

/// Adyen Transfers v4 (3.1): an API key header, the spec's examples with date-times in
/// `+02:00`, enums of hundreds of values, required date-time queries, and a typed 401.
#[tokio::test]
#[ignore = "needs the Prism mocks: bash .ci/prism.sh run -- cargo test -p specbind-prism -- --ignored"]
async fn adyen_transfer() {
    use adyen_transfer::client::{Client, GetTransfersIdError};
    use adyen_transfer::types::{
        CapitalGrantStatus, TransactionStatus, TransferDataCategory, TransferDataDirection,
        TransferDataStatus,
    };
    let anonymous = client!(Client, "PRISM_ADYEN_TRANSFER_URL");
    let client = anonymous.clone().with_api_key_auth("key");
    let mut calls = Calls::new("adyen_transfer");
    calls.ok(
        "get-transfers-id GET /transfers/{id}",
        client.get_transfers_id("1W1UG35QQEBJLHZ8").await,
        |t| {
            assert_eq!(t.id.as_deref(), Some("1W1UG35QQEBJLHZ8"));
            assert_eq!(t.amount.currency, "EUR");
            assert_eq!(t.amount.value, 5400);
            assert_eq!(t.category, TransferDataCategory::Internal);
            assert_eq!(t.direction, Some(TransferDataDirection::Outgoing));
            assert_eq!(t.status, TransferDataStatus::Booked);
            assert_eq!(t.creation_date, Some(date_time("2021-05-03T13:20:06Z")));
            assert_eq!(t.sequence_number, Some(3));
        },
    );
    calls.ok(
        "get-transactions-id GET /transactions/{id}",
        client
            .get_transactions_id("EVJN4227C224222B5JBDHPTD672M52EUR")
            .await,
        |t| {
            assert_eq!(t.amount.value, -10_000);
            assert_eq!(t.status, TransactionStatus::Booked);
            assert_eq!(t.booking_date, date_time("2023-08-11T14:19:39Z"));
            assert_eq!(
                t.account_holder.id.as_deref(),
                Some("AH00000000000000000000001")
            );
        },
    );
    calls.ok(
        "get-transactions GET /transactions?createdSince&createdUntil&balancePlatform",
        client
            .get_transactions(
                date_time("2023-08-01T00:00:00Z"),
                date_time("2023-08-31T00:00:00Z"),
            )
            .balance_platform("YOUR_BALANCE_PLATFORM")
            .await,
        |r| {
            let data = r.data.expect("data");
            assert!(data.len() >= 2, "{data:?}");
            assert_eq!(data[0].amount.currency, "USD");
            assert_eq!(data[0].amount.value, -1000);
        },
    );
    calls.ok("get-grants GET /grants", client.get_grants().await, |g| {
        assert_eq!(g.grants.len(), 1);
        assert_eq!(g.grants[0].status, CapitalGrantStatus::Pending);
        assert_eq!(g.grants[0].grant_offer_id, "string");
    });
    calls.err(
        "get-transfers-id without the API key (the declared 401)",
        anonymous.get_transfers_id("1W1UG35QQEBJLHZ8").await,
        |e| match e {
            CallError::Api {
                status,
                error: GetTransfersIdError::Unauthorized(body),
                ..
            } => {
                assert_eq!(status.as_u16(), 401);
                assert_eq!(body.error_code, "string");
            }
            other => panic!("not the declared 401: {other:?}"),
        },
    );
    calls.finish();
}
