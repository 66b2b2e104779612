//! Which access scope each endpoint needs, as `ecwid-api.md` lists them, so that a client whose
//! token lacks one meets here the 403 `INSUFFICIENT_APP_SCOPE` a real store would give it (an
//! app installed without `read_store_profile`, say) and shows how it copes.

use std::collections::HashSet;

use axum::http::{Method, StatusCode};

use super::reply::Reply;

/// The scopes an endpoint needs, by the path's segments (after `/api/v3/{storeId}/`) and the
/// method. The batch endpoint itself needs none: each request inside it is checked on its own.
fn needed(segments: &[&str], method: &Method) -> &'static [&'static str] {
    match (segments, method.as_str()) {
        (["customers" | "customer_groups"], "POST") => &["create_customers"],
        // The docs name no scope for deleting a group: the one for changing customers.
        (["customer_groups", _], "PUT" | "DELETE") => &["read_customers", "update_customers"],
        (["customers"] | ["customers", _] | ["customer_groups"], "GET") => &["read_customers"],
        (["customers", _], "PUT" | "DELETE") => &["read_customers", "update_customers"],
        (["profile"], "GET") => &["read_store_profile"],
        (["store_extrafields", "customers"], "GET") => &["read_customers_extrafields"],
        _ => &[],
    }
}

/// The 403 for a request that needs a scope not in `granted`, naming the missing ones.
pub(crate) fn refusal(
    granted: &HashSet<String>,
    segments: &[&str],
    method: &Method,
) -> Option<Reply> {
    let missing: Vec<&str> = needed(segments, method)
        .iter()
        .copied()
        .filter(|scope| !granted.contains(*scope))
        .collect();
    (!missing.is_empty()).then(|| {
        Reply::error(
            StatusCode::FORBIDDEN,
            "INSUFFICIENT_APP_SCOPE",
            format!(
                "The access token lacks the scope this request needs: {}",
                missing.join(", ")
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_endpoint_needs_its_documented_scopes() {
        let granted: HashSet<String> = ["read_customers".to_string()].into();
        let refused = |segments: &[&str], method| refusal(&granted, segments, &method).is_some();
        assert!(!refused(&["customers"], Method::GET));
        assert!(!refused(&["customers", "5"], Method::GET));
        assert!(!refused(&["customer_groups"], Method::GET));
        assert!(refused(&["customers"], Method::POST));
        assert!(refused(&["customers", "5"], Method::PUT));
        assert!(refused(&["customers", "5"], Method::DELETE));
        assert!(refused(&["profile"], Method::GET));
        assert!(!refused(&["batch"], Method::POST));
        let reply = refusal(&HashSet::new(), &["customers", "5"], &Method::PUT).expect("refused");
        let message = reply.body["errorMessage"].as_str().unwrap_or_default();
        assert!(
            message.ends_with("read_customers, update_customers"),
            "{message}"
        );
    }
}
