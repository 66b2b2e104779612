//! What reaches the store: the exact body of a create, and the rows that never leave
//! (invalid, duplicate, an unknown group, a language the store has not enabled).

use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

use crate::support::mock::{CUSTOMERS, answer, api, created, mock_store, posts};
use crate::support::{TOKEN, Workspace, column, emails_csv};

/// A row using every column group is sent as exactly this JSON, with the bearer token; the
/// country's and state's names are not sent beside their codes (the store names them).
#[tokio::test]
async fn sends_the_exact_body_for_every_column_group() {
    let server = mock_store().await;
    let expected = json!({
        "email": "Ann.Lee@example.com",
        "password": "s3cret pass",
        "billingPerson": {
            "name": "Ann Lee", "companyName": "Lee & Co", "street": "1 Main St\nSuite 2",
            "city": "Boston", "countryCode": "US",
            "postalCode": "02101", "stateOrProvinceCode": "MA",
            "phone": "+1 617 555 0100"
        },
        "shippingAddresses": [
            {"name": "Dock", "street": "5 Pier Rd", "city": "Boston", "countryCode": "US", "postalCode": "02110",
             "stateOrProvinceName": "Massachusetts"},
            {"city": "Toronto", "countryCode": "CA"}
        ],
        "contacts": [
            {"type": "PHONE", "contact": "+1 617 555 0100", "default": true, "orderBy": 0},
            {"type": "INSTAGRAM", "contact": "https://instagram.com/annlee", "handle": "annlee", "note": "DMs ok"}
        ],
        "customerGroupId": 9367001,
        "b2b_b2c": "b2b",
        "taxId": "US-123",
        "taxIdValid": true,
        "taxExempt": true,
        "acceptMarketing": false,
        "lang": "pt_BR",
        "privateAdminNotes": "first line\nsecond line",
        "fiscalCode": "LEENNA80A41Z404X",
        "electronicInvoicePecEmail": "ann@pec.example.it",
        "electronicInvoiceSdiCode": "0000000",
        "extrafields": [
            {"key": "loyalty_id", "value": "L-0042"},
            {"key": "Preferred Store", "value": "Back Bay"}
        ]
    });
    Mock::given(method("POST"))
        .and(path(CUSTOMERS))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(&expected))
        .respond_with(created(501))
        .expect(1)
        .mount(&server)
        .await;
    let csv = "email,password,name,billingPerson.companyName,billingPerson.street,billingPerson.city,\
billingPerson.countryCode,billingPerson.countryName,billingPerson.postalCode,billingPerson.stateOrProvinceCode,\
billingPerson.phone,shippingAddresses[0].name,shippingAddresses.0.street,shippingAddresses.0.city,\
shippingAddresses.0.countryCode,shippingAddresses.0.postalCode,shippingAddresses.3.city,shippingAddresses.3.countryCode,\
contacts.0.type,contacts.0.contact,contacts.0.default,contacts.0.orderBy,contacts.1.type,contacts.1.contact,\
contacts.1.handle,contacts.1.note,contacts.1.default,CustomerGroupId,B2B_B2C,taxId,taxIdValid,taxExempt,\
acceptMarketing,lang,privateAdminNotes,Customer Tags,FiscalCode,electronicInvoicePecEmail,electronicInvoiceSdiCode,\
billingPerson.stateOrProvinceName,shippingAddresses[0].stateOrProvinceName,extrafields.loyalty_id,\
ExtraFields.Preferred Store\n \
Ann.Lee@example.com ,s3cret pass,Ann Lee,Lee & Co,\"1 Main St\nSuite 2\",Boston,us,United States,02101,MA,\
+1 617 555 0100,Dock,5 Pier Rd,Boston,US,02110,Toronto,ca,phone,+1 617 555 0100,yes,0,Instagram,\
https://instagram.com/annlee,annlee,DMs ok,,9367001,B2B,US-123,TRUE,y,No,pt_BR,\"first line\nsecond line\",vip,\
LEENNA80A41Z404X,ann@pec.example.it,0000000,Massachusetts,Massachusetts,L-0042,Back Bay\n";
    let ws = Workspace::new(csv);
    let code = ws.import(&api(&server), &[]).await;
    assert_eq!(code, 0);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["created"]);
    assert_eq!(column(&rows, "customer_id"), ["501"]);
    assert_eq!(column(&rows, "email"), ["Ann.Lee@example.com"]);
    assert_eq!(column(&rows, "http_status"), ["200"]);
    assert_eq!(column(&rows, "attempts"), ["1"]);
}

/// Invalid and duplicate rows never reach the store; the others do, once each.
#[tokio::test]
async fn invalid_and_duplicate_rows_are_never_sent() {
    let server = mock_store().await;
    answer(&server, "POST", created(1)).await;
    let ws = Workspace::new(&emails_csv(&[
        "a@example.com",
        "not-an-email",
        "A@EXAMPLE.COM",
        "b@example.com",
        "",
    ]));
    let code = ws.import(&api(&server), &[]).await;
    assert_eq!(code, 1);
    let rows = ws.results();
    assert_eq!(
        column(&rows, "status"),
        ["created", "invalid", "duplicate", "created", "invalid"]
    );
    assert!(rows[2]["error"].contains("row 1"), "{}", rows[2]["error"]);
    let sent: Vec<Value> = posts(&server.received_requests().await.expect("recorded"));
    let emails: Vec<&str> = sent
        .iter()
        .map(|b| b["email"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(emails.len(), 2);
    assert!(emails.contains(&"a@example.com") && emails.contains(&"b@example.com"));
}

/// Group names are resolved through one paged `GET /customer_groups` for the whole run; an
/// unknown name fails its row with the store's group names.
#[tokio::test]
async fn group_names_are_resolved_once_and_unknown_names_fail() {
    let server = mock_store().await;
    Mock::given(method("GET"))
        .and(path("/api/v3/1003/customer_groups"))
        .and(query_param("offset", "0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "total": 3, "count": 2, "offset": 0, "limit": 100,
            "items": [{"id": 0, "name": "General"}, {"id": 9367001, "name": "VIP"}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v3/1003/customer_groups"))
        .and(query_param("offset", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "total": 3, "count": 1, "offset": 2, "limit": 100,
            "items": [{"id": 9367002, "name": "Wholesale"}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    answer(&server, "POST", created(3)).await;
    let csv = "email,customerGroupName,customerGroupId\n\
               a@example.com,vip,\n\
               b@example.com, WHOLESALE ,\n\
               c@example.com,Gold,\n\
               d@example.com,VIP,0\n\
               e@example.com,,\n";
    let ws = Workspace::new(csv);
    assert_eq!(ws.import(&api(&server), &[]).await, 1);
    let rows = ws.results();
    assert_eq!(
        column(&rows, "status"),
        ["created", "created", "failed", "created", "created"]
    );
    let error = &rows[2]["error"];
    assert!(
        error.contains("\"Gold\"") && error.contains("General, VIP, Wholesale"),
        "{error}"
    );
    let sent = posts(&server.received_requests().await.expect("recorded"));
    // Requests leave in any order: sort them by email (a, b, d, e).
    let mut groups: Vec<(String, Value)> = sent
        .iter()
        .map(|b| (b["email"].to_string(), b["customerGroupId"].clone()))
        .collect();
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    let ids: Vec<Value> = groups.into_iter().map(|(_, id)| id).collect();
    assert_eq!(ids, [json!(9367001), json!(9367002), json!(0), Value::Null]);
    assert!(sent.iter().all(|b| b.get("customerGroupName").is_none()));
}

/// A `lang` the store has not enabled makes the row invalid before it is sent; one it has is
/// matched ignoring case and `-`/`_`, and sent in the store's own spelling; the profile is read
/// once.
#[tokio::test]
async fn languages_not_enabled_are_invalid_before_sending() {
    let server = mock_store().await;
    Mock::given(method("GET"))
        .and(path("/api/v3/1003/profile"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "generalInfo": {"storeId": 1003},
            "languages": {"enabledLanguages": ["en", "pt_BR"], "defaultLanguage": "en"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(created(4))
        .expect(3)
        .mount(&server)
        .await;
    let csv = "email,lang\na@example.com,EN\nb@example.com,de\nc@example.com,pt-br\nd@example.com,pt_BR\n";
    let ws = Workspace::new(csv);
    assert_eq!(ws.import(&api(&server), &[]).await, 1);
    let rows = ws.results();
    assert_eq!(
        column(&rows, "status"),
        ["created", "invalid", "created", "created"]
    );
    assert!(
        rows[1]["error"].contains("not enabled in the store (enabled: en, pt_BR)"),
        "{}",
        rows[1]["error"]
    );
    assert!(ws.failed_output().exists());
    let requests = server.received_requests().await.expect("recorded");
    let mut langs: Vec<(String, String)> = posts(&requests)
        .iter()
        .map(|b| (b["email"].to_string(), b["lang"].to_string()))
        .collect();
    langs.sort();
    let expected = [
        ("a@example.com", "en"),
        ("c@example.com", "pt_BR"),
        ("d@example.com", "pt_BR"),
    ]
    .map(|(e, l)| (format!("{e:?}"), format!("{l:?}")));
    assert_eq!(langs, expected, "sent in the store's own spelling");
}
