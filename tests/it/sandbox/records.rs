//! Customers as Ecwid answers them (`GET /customers`, `GET /customers/{id}`): the record's
//! timestamps, name, group name and e-mail contact, `responseFields`, and the listing of the
//! whole store with its orders and time filters.

use std::time::{SystemTime, UNIX_EPOCH};

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{Fixture, error_code, start_default};

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Whether `text` is written as Ecwid writes times: `2021-12-21 06:05:58 +0000`.
fn is_ecwid_time(text: &str) -> bool {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let Some((date, rest)) = text.split_once(' ') else {
        return false;
    };
    let Some((time, zone)) = rest.split_once(' ') else {
        return false;
    };
    let date: Vec<&str> = date.split('-').collect();
    let time: Vec<&str> = time.split(':').collect();
    zone == "+0000"
        && date.len() == 3
        && digits(date[0], 4)
        && digits(date[1], 2)
        && digits(date[2], 2)
        && time.len() == 3
        && time.iter().all(|t| digits(t, 2))
}

/// The emails of a listing's items, in order.
fn emails(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|c| c["email"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

async fn create_all(f: &Fixture, emails: &[&str]) -> Vec<u64> {
    let mut ids = Vec::new();
    for email in emails {
        ids.push(f.create(email).await);
    }
    ids
}

/// A record carries Ecwid's timestamps, top-level name, group name, an EMAIL contact made from
/// the email, and the answers' defaults for what the customer was not given (`acceptMarketing`
/// unset: `null`); never a password.
#[tokio::test]
async fn a_record_reads_as_ecwid_returns_it() {
    let f = start_default().await;
    let before = unix_now();
    let body = json!({
        "email": "ann@example.com",
        "password": "hunter2",
        "billingPerson": { "name": "Ann Lee", "countryCode": "DE" },
        "contacts": [{ "type": "PHONE", "contact": "+49 30 1234" }],
        "customerGroupId": 9367001,
    });
    let id = f.post("/customers", body).await.1["id"]
        .as_u64()
        .expect("id");
    let plain = f.create("bo@example.com").await;
    let after = unix_now();

    let (status, record) = f.get(&format!("/customers/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let registered = record["registered"].as_str().expect("registered");
    assert!(is_ecwid_time(registered), "{registered}");
    assert_eq!(record["updated"], registered);
    assert_eq!(record["name"], "Ann Lee");
    assert_eq!(record["billingPerson"]["name"], "Ann Lee");
    assert_eq!(record["billingPerson"]["firstName"], "Ann");
    assert_eq!(record["billingPerson"]["lastName"], "Lee");
    assert_eq!(record["customerGroupId"], 9367001);
    assert_eq!(record["customerGroupName"], "VIP");
    let contacts = record["contacts"].as_array().expect("contacts");
    assert_eq!(contacts.len(), 2, "{record}");
    assert_eq!(contacts[0]["contact"], "ann@example.com");
    assert_eq!(contacts[0]["type"], "EMAIL");
    assert_eq!(contacts[0]["default"], true);
    assert_eq!(contacts[0]["orderBy"], 0);
    assert_eq!(contacts[0]["timestamp"], registered);
    assert_eq!(contacts[1]["type"], "PHONE");
    assert!(record.get("password").is_none(), "{record}");

    let (_, record) = f.get(&format!("/customers/{plain}")).await;
    assert_eq!(record["name"], "");
    assert_eq!(record["customerGroupId"], 0);
    assert_eq!(record["customerGroupName"], "General");
    assert_eq!(record["taxId"], "");
    assert_eq!(record["b2b_b2c"], "b2c");
    // Created without it: left unset, as a store leaves it.
    assert_eq!(record["acceptMarketing"], Value::Null);
    assert_eq!(record["lang"], "en");
    assert_eq!(record["shippingAddresses"], json!([]));
    assert_eq!(record["contacts"][0]["contact"], "bo@example.com");

    // The listing shows the same records; times are those of the creates.
    let (_, listed) = f.get(&format!("/customers?createdFrom={before}")).await;
    assert_eq!(listed["total"], 2);
    assert_eq!(listed["allCustomerCount"], 2);
    assert_eq!(listed["items"][1], record);
    let (_, none) = f
        .get(&format!("/customers?createdFrom={}", after + 1))
        .await;
    assert_eq!(none["total"], 0);
}

/// An update sets `updated` and leaves `registered`; the updated customer sorts last by
/// UPDATED_DATE_ASC and first by UPDATED_DATE_DESC.
#[tokio::test]
async fn an_update_sets_updated() {
    let f = start_default().await;
    let ids = create_all(&f, &["a@example.com", "b@example.com", "c@example.com"]).await;
    let (_, before) = f.get(&format!("/customers/{}", ids[0])).await;
    let (status, _) = f
        .put(&format!("/customers/{}", ids[0]), json!({ "taxId": "DE1" }))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, after) = f.get(&format!("/customers/{}", ids[0])).await;
    assert_eq!(after["registered"], before["registered"]);
    let updated = after["updated"].as_str().expect("updated");
    assert!(is_ecwid_time(updated));
    assert!(updated >= before["updated"].as_str().expect("updated"));
    let (_, asc) = f.get("/customers?sortBy=UPDATED_DATE_ASC").await;
    assert_eq!(
        emails(&asc),
        ["b@example.com", "c@example.com", "a@example.com"]
    );
    let (_, desc) = f.get("/customers?sortBy=UPDATED_DATE_DESC").await;
    assert_eq!(
        emails(&desc),
        ["a@example.com", "c@example.com", "b@example.com"]
    );
}

/// `responseFields` keeps only the fields named, into lists and objects.
#[tokio::test]
async fn response_fields_return_only_those_named() {
    let f = start_default().await;
    let ids = create_all(&f, &["a@example.com", "b@example.com"]).await;
    let (status, body) = f
        .get("/customers?responseFields=total,items(id,email)")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({ "total": 2, "items": [
            { "id": ids[0], "email": "a@example.com" },
            { "id": ids[1], "email": "b@example.com" },
        ]})
    );
    let (_, body) = f.get("/customers?limit=1&responseFields=total").await;
    assert_eq!(body, json!({ "total": 2 }));
    let (_, body) = f
        .get(&format!(
            "/customers/{}?responseFields=id,billingPerson(name),contacts(type)",
            ids[1]
        ))
        .await;
    assert_eq!(
        body,
        json!({ "id": ids[1], "billingPerson": {}, "contacts": [{ "type": "EMAIL" }] })
    );
    let (_, body) = f
        .get("/customer_groups?responseFields=items(name)&limit=1")
        .await;
    assert_eq!(body, json!({ "items": [{ "name": "General" }] }));
    for bad in ["items(id", "total,,items", "items)"] {
        let (status, body) = f.get(&format!("/customers?responseFields={bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(error_code(&body), "WRONG_PARAMETER");
    }
}

/// With no search term the whole store is listed, a page at a time, in the order asked for.
#[tokio::test]
async fn the_whole_store_lists_in_pages_and_orders() {
    let f = start_default().await;
    let created = [
        "d@example.com",
        "b@example.com",
        "e@example.com",
        "a@example.com",
        "c@example.com",
    ];
    create_all(&f, &created).await;
    let mut paged = Vec::new();
    for offset in [0, 2, 4] {
        let (status, body) = f
            .get(&format!(
                "/customers?sortBy=REGISTERED_DATE_ASC&offset={offset}&limit=2"
            ))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            (&body["total"], &body["offset"]),
            (&json!(5), &json!(offset))
        );
        assert_eq!(body["allCustomerCount"], 5);
        paged.extend(emails(&body));
    }
    assert_eq!(paged, created);
    let (_, desc) = f.get("/customers?sortBy=REGISTERED_DATE_DESC").await;
    let mut reversed = created.to_vec();
    reversed.reverse();
    assert_eq!(emails(&desc), reversed);
    let (_, by_email) = f.get("/customers?sortBy=EMAIL_ASC&limit=3").await;
    assert_eq!(
        emails(&by_email),
        ["a@example.com", "b@example.com", "c@example.com"]
    );
    assert_eq!(by_email["total"], 5);
    let (_, by_email) = f.get("/customers?sortBy=EMAIL_DESC&limit=1").await;
    assert_eq!(emails(&by_email), ["e@example.com"]);
    let (status, body) = f.get("/customers?sortBy=SIDEWAYS").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "WRONG_PARAMETER");
}

/// `createdFrom`/`createdTo` and `updatedFrom`/`updatedTo` take a UNIX timestamp or a date and
/// time written `2023-01-15 19:27:50`, both ends included.
#[tokio::test]
async fn the_listing_filters_by_time() {
    let f = start_default().await;
    let before = unix_now();
    let ids = create_all(&f, &["a@example.com", "b@example.com"]).await;
    let after = unix_now();
    let total = |body: &Value| body["total"].as_u64().expect("total");
    for (query, expected) in [
        (format!("createdFrom={before}"), 2),
        (format!("createdFrom={before}&createdTo={after}"), 2),
        (format!("createdFrom={}", after + 1), 0),
        (format!("createdTo={}", before - 1), 0),
        (format!("updatedFrom={before}&updatedTo={after}"), 2),
        (format!("updatedTo={}", before - 1), 0),
        (format!("updatedFrom={}", after + 1), 0),
    ] {
        let (status, body) = f.get(&format!("/customers?{query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}: {body}");
        assert_eq!(total(&body), expected, "{query}");
    }
    let (_, first) = f.get(&format!("/customers/{}", ids[0])).await;
    let (_, last) = f.get(&format!("/customers/{}", ids[1])).await;
    let written = |record: &Value| {
        let time = record["registered"].as_str().expect("registered");
        time.trim_end_matches(" +0000").replace(' ', "%20")
    };
    let query = format!(
        "createdFrom={}&createdTo={}",
        written(&first),
        written(&last)
    );
    let (status, body) = f.get(&format!("/customers?{query}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(total(&body), 2, "{query}");
    let (_, body) = f.get("/customers?createdTo=2001-01-01%2000:00:00").await;
    assert_eq!(total(&body), 0);
    for bad in ["yesterday", "2023-13-01%2000:00:00", "2023-01-15"] {
        let (status, body) = f.get(&format!("/customers?createdFrom={bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        assert_eq!(error_code(&body), "WRONG_PARAMETER");
    }
}
