//! Which of a row's email addresses is the customer's (issue 27, typed email columns): the one
//! the file marks primary (Google Contacts' `* ` before the type), else the email column's,
//! else the first further address the row has; the others are EMAIL contacts. And a cell of
//! several values is split only where a value of its own follows.

use serde_json::json;

use crate::crm::{import, read};

/// Google Contacts: `* Work` on the second address makes it the email and the first a
/// contact; without a mark the first is the email; a blank first takes the second.
#[tokio::test]
async fn the_primary_mark_of_google_contacts_picks_the_email() {
    let csv = "Name,E-mail 1 - Type,E-mail 1 - Value,E-mail 2 - Type,E-mail 2 - Value\n\
               Ana Souza,Home,ana@home.example,* Work,ana@work.example\n\
               Ben Ode,* Home,ben@home.example,Work,ben@work.example\n\
               Cy Ray,Home,,Work,cy@work.example\n";
    let (code, statuses, bodies) = import(csv, &[]).await;
    assert_eq!(code, 0, "{statuses:?}");
    assert_eq!(bodies[0]["email"], "ana@work.example");
    assert_eq!(
        bodies[0]["contacts"],
        json!([{"type": "EMAIL", "contact": "ana@home.example"}])
    );
    assert_eq!(bodies[1]["email"], "ben@home.example");
    assert_eq!(
        bodies[1]["contacts"],
        json!([{"type": "EMAIL", "contact": "ben@work.example"}])
    );
    assert_eq!(bodies[2]["email"], "cy@work.example");
    assert_eq!(bodies[2].get("contacts"), None, "{}", bodies[2]);
}

/// Outlook's `E-mail Address` blank and `E-mail 2 Address` filled: the second is the email,
/// and a later row with that address as its first is a duplicate of it.
#[tokio::test]
async fn a_blank_email_column_takes_the_next_address_and_duplicates_follow_it() {
    let csv = "First Name,Last Name,E-mail Address,E-mail 2 Address\n\
               Dee,Lo,,dee@example.com\n\
               Dee,Lo,dee@example.com,\n";
    let (code, statuses, bodies) = import(csv, &[]).await;
    assert_eq!(code, 1);
    assert_eq!(statuses, ["created", "duplicate"]);
    assert_eq!(bodies[0]["email"], "dee@example.com");
    assert_eq!(bodies[0].get("contacts"), None, "{}", bodies[0]);
}

/// Pipedrive's people (every column named after its record): the work address is the email,
/// the home and other addresses contacts; a person with only a home address is imported with
/// it.
#[tokio::test]
async fn pipedrive_typed_emails_make_the_email_and_contacts() {
    let (code, statuses, bodies) =
        import(&read("pipedrive-people-with-organization.csv"), &[]).await;
    assert_eq!(code, 0);
    assert_eq!(statuses, ["created", "created"]);
    assert_eq!(bodies[0]["email"], "ada@engines.example");
    assert_eq!(bodies[1]["email"], "bo@example.com");
    let emails: Vec<&str> = bodies[0]["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == "EMAIL")
        .map(|c| c["contact"].as_str().unwrap())
        .collect();
    assert_eq!(emails, ["ada.home@example.com"]);
}

/// A `;` splits a phone cell only where a number of its own follows: an extension written the
/// RFC 3966 way (`;ext=2`) stays with its number, and is not made a contact.
#[tokio::test]
async fn an_extension_after_a_semicolon_stays_with_its_phone() {
    let csv = "Email,Phone\n\
               eve@example.com,555-1234;ext=2\n\
               fay@example.com,+1 555 0100; +1 555 0199\n";
    let (code, _, bodies) = import(csv, &[]).await;
    assert_eq!(code, 0);
    assert_eq!(bodies[0]["billingPerson"]["phone"], "555-1234;ext=2");
    assert_eq!(bodies[0].get("contacts"), None, "{}", bodies[0]);
    assert_eq!(bodies[1]["billingPerson"]["phone"], "+1 555 0100");
    assert_eq!(
        bodies[1]["contacts"],
        json!([{"type": "PHONE", "contact": "+1 555 0199"}])
    );
}

/// QuickBooks Desktop's customer list writes a customer's addresses in one `Email` cell,
/// separated by commas: the first is the email and the others EMAIL contacts (the row was
/// `invalid`); a name with a comma beside an address (`Doe, Jo <jo@example.com>`) is no list.
#[tokio::test]
async fn addresses_separated_by_commas_are_several_emails() {
    let csv = "ListID,Name,FirstName,LastName,CompanyName,Email,Phone\n\
               80000001-1,Kay Lund,Kay,Lund,,\"kay@example.com, kay.lund@work.example\",\n\
               80000002-1,Max Roe,Max,Roe,,\"Roe, Max <max@example.com>\",\n";
    let (code, statuses, bodies) = import(csv, &[]).await;
    assert_eq!(code, 1);
    assert_eq!(statuses, ["created", "invalid"]);
    assert_eq!(bodies[0]["email"], "kay@example.com");
    assert_eq!(
        bodies[0]["contacts"],
        json!([{"type": "EMAIL", "contact": "kay.lund@work.example"}])
    );
}
