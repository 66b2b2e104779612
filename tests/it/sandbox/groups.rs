//! The store's customer groups as state of each sandbox store: a customer may only join a group
//! the store has (by id or by name), groups are created and deleted through the API, and a plan
//! without groups refuses every group request.

use reqwest::StatusCode;
use serde_json::json;

use ecwid_import::sandbox::SandboxArgs;

use super::{error_code, start, start_default};
use crate::e2e::{self, store_args};
use crate::support::Workspace;

/// An unknown `customerGroupId`, or a `customerGroupName` that names no group, is a 400
/// naming the field and the value, on create and on update; nothing is stored or changed. A
/// name the store has is taken in any case.
#[tokio::test]
async fn unknown_group_id_or_name_is_refused() {
    let f = start_default().await;
    let (status, body) = f
        .post(
            "/customers",
            json!({"email": "a@example.com", "customerGroupId": 5}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(error_code(&body), "WRONG_PARAMETER");
    let message = body["errorMessage"].as_str().unwrap_or_default();
    assert!(message.contains("customerGroupId 5"), "{message}");
    assert!(message.contains("VIP (9367001)"), "{message}");
    let (status, body) = f
        .post(
            "/customers",
            json!({"email": "a@example.com", "customerGroupName": "Gold"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["errorMessage"]
            .as_str()
            .unwrap_or_default()
            .contains("\"Gold\"")
    );
    assert!(f.sandbox.customers().is_empty());

    let (status, body) = f
        .post(
            "/customers",
            json!({"email": "a@example.com", "customerGroupName": " vip "}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let path = format!("/customers/{}", body["id"]);
    let (status, _) = f.put(&path, json!({"customerGroupId": 77})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (_, record) = f.get(&path).await;
    assert_eq!(
        (&record["customerGroupId"], &record["customerGroupName"]),
        (&json!(9_367_001), &json!("VIP"))
    );
    // A name sent later replaces the group the id gave.
    let (status, _) = f
        .put(&path, json!({"customerGroupName": "wholesale"}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, record) = f.get(&path).await;
    assert_eq!(record["customerGroupName"], "Wholesale");
}

/// `POST /customer_groups` creates a group once per name (409 for a name taken in any case,
/// 400 for a blank one); customers join it by name; `DELETE` refuses group 0 and a group that
/// holds customers, deletes an empty one (`deleteCount: 1`) and answers 0 for an unknown id.
#[tokio::test]
async fn groups_are_created_joined_and_deleted() {
    let f = start_default().await;
    let (status, body) = f.post("/customer_groups", json!({"name": "Gold"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let gold = body["id"].as_u64().expect("id");
    let (_, listed) = f.get("/customer_groups").await;
    assert!(
        listed["items"]
            .as_array()
            .is_some_and(|items| items.contains(&json!({"id": gold, "name": "Gold"})))
    );
    let (status, body) = f.post("/customer_groups", json!({"name": " GOLD"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(
        f.post("/customer_groups", json!({"name": " "})).await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        f.post("/customer_groups", json!({})).await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(f.stats().await.group_creates, 1);

    let (_, body) = f
        .post(
            "/customers",
            json!({"email": "a@example.com", "customerGroupName": "gold"}),
        )
        .await;
    let customer = format!("/customers/{}", body["id"]);
    let (_, record) = f.get(&customer).await;
    assert_eq!(record["customerGroupId"], gold);
    let group = format!("/customer_groups/{gold}");
    let (status, body) = f.delete(&group).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        f.delete("/customer_groups/0").await.0,
        StatusCode::BAD_REQUEST
    );
    f.put(&customer, json!({"customerGroupId": 0})).await;
    assert_eq!(
        f.delete(&group).await,
        (StatusCode::OK, json!({"deleteCount": 1}))
    );
    assert_eq!(
        f.delete(&group).await,
        (StatusCode::OK, json!({"deleteCount": 0}))
    );
    let (status, _) = f.put(&customer, json!({"customerGroupName": "Gold"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "the group is gone");
}

/// Creating a group needs `create_customers`; deleting one `update_customers`.
#[tokio::test]
async fn group_writes_need_their_scopes() {
    let f = start(SandboxArgs {
        scopes: vec!["read_customers".into()],
        ..SandboxArgs::default()
    })
    .await;
    let (status, body) = f.post("/customer_groups", json!({"name": "Gold"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        body["errorMessage"]
            .as_str()
            .unwrap_or_default()
            .contains("create_customers")
    );
    assert_eq!(
        f.delete("/customer_groups/9367001").await.0,
        StatusCode::FORBIDDEN
    );
}

/// On a plan without customer groups every group request is a 402, creating and deleting too.
#[tokio::test]
async fn plan_without_groups_refuses_group_writes() {
    let f = start(SandboxArgs {
        plan_without_groups: true,
        ..SandboxArgs::default()
    })
    .await;
    let (status, body) = f.post("/customer_groups", json!({"name": "Gold"})).await;
    assert_eq!(status, StatusCode::PAYMENT_REQUIRED);
    assert_eq!(error_code(&body), "NOT_AVAILABLE_ON_CURRENT_PLAN");
    assert_eq!(
        f.delete("/customer_groups/9367001").await.0,
        StatusCode::PAYMENT_REQUIRED
    );
}

/// An import row with a `customerGroupId` the store has no group of fails on its own, and its
/// error names the column, the value and the store's groups; the other rows are created.
#[tokio::test]
async fn import_reports_an_unknown_group_id_on_its_row() {
    let store = e2e::start(store_args()).await;
    let ws = Workspace::new(
        "email,customerGroupId\na@example.com,9367001\nb@example.com,5\nc@example.com,\n",
    );
    assert_eq!(ws.import(&store.api_url(), &["--rate", "60000"]).await, 1);
    let rows = ws.results();
    let status: Vec<&str> = rows.iter().map(|r| r["status"].as_str()).collect();
    assert_eq!(status, ["created", "failed", "created"], "{rows:?}");
    let error = &rows[1]["error"];
    assert!(error.contains("customerGroupId 5"), "{error}");
    assert!(error.contains("VIP (9367001)"), "{error}");
    assert_eq!(rows[1]["http_status"], "400");
    assert_eq!(store.customers().len(), 2);
}
