//! The store's settings a run reads or makes beside its customers: the customer groups (read,
//! created by `--create-groups`, removed by `undo`) and the customer extra fields it defines.

use reqwest::header;
use serde::Deserialize;

use super::{ApiError, Client, CreatedBody, parse_body};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeletedBody {
    delete_count: u64,
}

#[derive(Debug, Deserialize)]
struct TotalBody {
    total: u64,
}

#[derive(Debug, Deserialize)]
struct GroupsPage {
    #[serde(default)]
    total: u64,
    #[serde(default)]
    items: Vec<Group>,
}

/// A customer group of the store.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub(crate) struct Group {
    pub(crate) id: u64,
    #[serde(default)]
    pub(crate) name: String,
}

#[derive(Debug, Deserialize)]
struct ExtraFieldsPage {
    #[serde(default)]
    items: Vec<serde_json::Value>,
}

/// Why the store's customer extra fields could not be read, in words a person can act on: a
/// 403 names the scope the token's app lacks.
pub(crate) fn extra_fields_unread(error: &ApiError) -> String {
    if error.status() == Some(403) {
        "the token's app lacks the scope read_customers_extrafields (a custom app asks Ecwid for \
         it)"
        .to_string()
    } else {
        error.to_string()
    }
}

/// A customer extra field the store defines (`GET /store_extrafields/customers`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoreExtraField {
    pub(crate) key: String,
    pub(crate) title: String,
    /// Whether its values are dates (`type` `datetime`, in any case).
    pub(crate) datetime: bool,
}

impl StoreExtraField {
    /// An item of the answer; `None` without a key. Every part may be `null` or missing.
    fn read(item: &serde_json::Value) -> Option<Self> {
        let text = |name: &str| item.get(name).and_then(|v| v.as_str()).map(str::trim);
        let key = text("key").filter(|k| !k.is_empty())?;
        Some(Self {
            key: key.to_string(),
            title: text("title").unwrap_or_default().to_string(),
            datetime: text("type").is_some_and(|t| t.eq_ignore_ascii_case("datetime")),
        })
    }
}

impl Client {
    /// One page of `GET /customer_groups` (at most 100 groups from `offset`) and the total.
    pub(crate) async fn customer_groups(&self, offset: u64) -> Result<(Vec<Group>, u64), ApiError> {
        let request = self
            .http
            .get(format!("{}/customer_groups", self.base))
            .query(&[("offset", offset.to_string()), ("limit", "100".to_string())]);
        let (status, bytes) = self.send(request).await?;
        let page = parse_body::<GroupsPage>(status, &bytes)?;
        Ok((page.items, page.total))
    }

    /// `POST /customer_groups {"name"}`: the new group's id.
    pub(crate) async fn create_customer_group(&self, name: &str) -> Result<u64, ApiError> {
        let body = serde_json::to_vec(&serde_json::json!({ "name": name })).unwrap_or_default();
        let request = self
            .http
            .post(format!("{}/customer_groups", self.base))
            .header(header::CONTENT_TYPE, "application/json")
            .body(body);
        let (status, bytes) = self.send(request).await?;
        parse_body::<CreatedBody>(status, &bytes).map(|b| b.id)
    }

    /// `DELETE /customer_groups/{id}`: the `deleteCount` the store answered (0: nothing
    /// deleted).
    pub(crate) async fn delete_customer_group(&self, id: u64) -> Result<u64, ApiError> {
        let request = self
            .http
            .delete(format!("{}/customer_groups/{id}", self.base));
        let (status, bytes) = self.send(request).await?;
        parse_body::<DeletedBody>(status, &bytes).map(|b| b.delete_count)
    }

    /// How many customers group `id` holds: `GET /customers?customerGroupIds=..` asking for
    /// the total only.
    pub(crate) async fn customers_in_group(&self, id: u64) -> Result<u64, ApiError> {
        let request = self.http.get(format!("{}/customers", self.base)).query(&[
            ("customerGroupIds", id.to_string()),
            ("limit", "1".to_string()),
            ("responseFields", "total".to_string()),
        ]);
        let (status, bytes) = self.send(request).await?;
        parse_body::<TotalBody>(status, &bytes).map(|b| b.total)
    }

    /// The customer extra fields the store defines, from `GET /store_extrafields/customers`
    /// (the docs show one answer with every field, no paging).
    pub(crate) async fn customer_extra_fields(&self) -> Result<Vec<StoreExtraField>, ApiError> {
        let request = self
            .http
            .get(format!("{}/store_extrafields/customers", self.base));
        let (status, bytes) = self.send(request).await?;
        let page = parse_body::<ExtraFieldsPage>(status, &bytes)?;
        Ok(page
            .items
            .iter()
            .filter_map(StoreExtraField::read)
            .collect())
    }
}
