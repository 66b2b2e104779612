//! A password hash is never sent: not matched by meaning, not from a preset, not by a mapping.

use ecwid_import::input::mapping::Layout;
use ecwid_import::input::mapping_file::MappingFile;
use ecwid_import::input::presets::Preset;
use serde_json::json;

use super::*;
use crate::presets::{map, mapping};

/// A password hash is never sent: not from a column matched by meaning, nor from a
/// `password` column of any preset; a plain password still is.
#[test]
fn password_hashes_are_never_sent() {
    let (requests, choice) = bodies(
        "EmailAddress,PasswordHash,user_pass\nann@example.com,L/Rlwxzp4w7RW=,$P$BZ1a9mD3bq9ccf7Qe1q\n",
        &Layout::default(),
    );
    assert_eq!(requests[0], json!({"email": "ann@example.com"}));
    assert!(
        choice.contains("\"PasswordHash\" (a password or its hash"),
        "{choice}"
    );
    let csv = "email,password\n\
               a@example.com,$2y$10$abcdefghijklmnopqrstuv\n\
               b@example.com,6a9c9bfb2ba88a6ad2a64e7402df44a763e0c48cd21d7af9e7e796cd4677ee28:RF\n\
               c@example.com,correct horse\n";
    let (columns, _, rows) = map(csv, &Layout::default()).unwrap();
    assert_sent_without_hash(&columns, &rows[..2]);
    assert_eq!(
        columns
            .request(&rows[2])
            .unwrap()
            .request
            .password
            .as_deref(),
        Some("correct horse")
    );
    let mapped = mapping("[fields]\nemail = \"email\"\npassword = \"password\"\n");
    let layout = Layout {
        preset: Some(Preset::Shopify),
        mapping: Some(mapped),
    };
    let (columns, _, rows) = map(csv, &layout).unwrap();
    assert_eq!(columns.request(&rows[0]).unwrap().request.password, None);
}

/// A password hash is not sent in any of the forms hashes take (Django, LDAP schemes, base64
/// digests), and a mapping file cannot send one through `if_valid`: it is refused, with why.
#[test]
fn password_hashes_of_every_form_are_never_sent() {
    let csv = "email,password\n\
               a@example.com,pbkdf2_sha256$260000$0Rz1fq3bMJbFpcdm$3b5Lq0hJnTzq+9l7I0bP5y=\n\
               b@example.com,{SSHA}Y4HhJEdpNQbSlf9I8ZpzGsEj3hCv1Kxq\n\
               c@example.com,L/Rlwxzp4w7RWmEgXX+/A7cXaePEPcp+KwQhl2fJL7w=\n\
               d@example.com,sha1$a1976$a36cc8cbf81742a8fb52e221aaeab48ed7f58ab4\n\
               e@example.com,Tr0ub4dor&3\n";
    let (columns, _, rows) = map(csv, &Layout::default()).unwrap();
    assert_sent_without_hash(&columns, &rows[..4]);
    let plain = columns.request(&rows[4]).unwrap().request.password;
    assert_eq!(plain.as_deref(), Some("Tr0ub4dor&3"));
    let error = MappingFile::parse(
        std::path::Path::new("m.toml"),
        "[fields]\nemail = \"email\"\npassword = { column = \"password\", if_valid = true }\n",
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("fields.password"), "{error}");
    assert!(error.contains("password hash is never sent"), "{error}");
    // Joined columns end in the password field too: the joined value is checked.
    let joined = mapping(
        "[fields]\nemail = \"email\"\n\
         password = { columns = [\"scheme\", \"rest\"], separator = \"$\" }\n",
    );
    let layout = Layout {
        preset: None,
        mapping: Some(joined),
    };
    let (body, _) = first_body(
        "email,scheme,rest\na@example.com,$P,BZ1a9mD3bq9ccf7Qe1qSz.f4y1Hk0s/\n",
        &layout,
    );
    assert_eq!(body, json!({"email": "a@example.com"}));
}
