//! Which of a row's phones is the customer's (issue 27): the phone column's, else, where that
//! cell is blank or its type names a fax, the first further phone the row has; the others stay
//! PHONE contacts, and a fax is never the phone. Each on a file in the platform's layout.

use serde_json::json;

use crate::crm::{import, read};

/// Pipedrive exports only a home phone for some persons (`Person - Phone - Work` blank,
/// `Person - Phone - Home` filled): that is the person's phone, not a contact.
#[tokio::test]
async fn pipedrive_home_phone_alone_is_the_phone() {
    let (code, statuses, bodies) =
        import(&read("pipedrive-people-with-organization.csv"), &[]).await;
    assert_eq!(code, 0, "{statuses:?}");
    let bo = &bodies[1];
    assert_eq!(
        bo["billingPerson"],
        json!({"name": "Bo Chen", "phone": "+1 555 0100"})
    );
    assert_eq!(bo.get("contacts"), None, "{bo}");
    // Ada has a work phone: it stays the phone, her mobile a contact.
    assert_eq!(bodies[0]["billingPerson"]["phone"], "+44 20 7946 0000");
}

/// Wix's contacts export: `Phone 1` blank and `Phone 2` filled makes `Phone 2` the phone,
/// `Phone 3` a contact; `Email 1` blank and `Email 2` filled makes the row valid with
/// `Email 2` as its email (the contract's `email` is required: a person reads the second
/// address as the customer's, as with any file's further email columns).
#[tokio::test]
async fn wix_second_phone_and_email_stand_in_for_blank_first_ones() {
    let csv = "First Name,Last Name,Email 1,Email 2,Email 3,Phone 1,Phone 2,Phone 3,Company\n\
               Ana,Lima,,ana@example.com,ana.work@example.com,,+55 11 4000 0001,+55 11 9000 0002,\n\
               Bea,Cruz,bea@example.com,,,+1 555 0101,+1 555 0102,,\n";
    let (code, statuses, bodies) = import(csv, &[]).await;
    assert_eq!(code, 0, "{statuses:?}");
    let ana = &bodies[0];
    assert_eq!(ana["email"], "ana@example.com");
    assert_eq!(ana["billingPerson"]["phone"], "+55 11 4000 0001");
    assert_eq!(
        ana["contacts"],
        json!([
            {"type": "EMAIL", "contact": "ana.work@example.com"},
            {"type": "PHONE", "contact": "+55 11 9000 0002"},
        ])
    );
    let bea = &bodies[1];
    assert_eq!(bea["billingPerson"]["phone"], "+1 555 0101");
    assert_eq!(
        bea["contacts"],
        json!([{"type": "PHONE", "contact": "+1 555 0102"}])
    );
}

/// Google Contacts' typed phones: a first phone typed a fax is never the phone (it is left
/// out with a note), the next one is; a blank first phone takes the next as well; a phone
/// marked primary (`* Mobile`) is the phone wherever it is.
#[tokio::test]
async fn google_typed_phones_skip_a_fax_and_a_blank_first_phone() {
    let csv = "Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,\
               Phone 1 - Value,Phone 2 - Type,Phone 2 - Value,Phone 3 - Type,Phone 3 - Value\n\
               Cy Ray,Cy,Ray,* Home,cy@example.com,Work Fax,+1 555 0190,Mobile,+1 555 0191,\
               Home,+1 555 0192\n\
               Di Fox,Di,Fox,* Home,di@example.com,Work,,Mobile,+1 555 0193,,\n\
               Ed Oak,Ed,Oak,* Home,ed@example.com,Work,+1 555 0194,* Mobile,+1 555 0195,,\n";
    let (code, statuses, bodies) = import(csv, &[]).await;
    assert_eq!(code, 0, "{statuses:?}");
    let cy = &bodies[0];
    assert_eq!(cy["billingPerson"]["phone"], "+1 555 0191");
    assert_eq!(
        cy["contacts"],
        json!([{"type": "PHONE", "contact": "+1 555 0192"}])
    );
    let di = &bodies[1];
    assert_eq!(di["billingPerson"]["phone"], "+1 555 0193");
    assert_eq!(di.get("contacts"), None, "{di}");
    // The phone Google marks primary (`* Mobile`) is the phone, the first one a contact.
    let ed = &bodies[2];
    assert_eq!(ed["billingPerson"]["phone"], "+1 555 0195");
    assert_eq!(
        ed["contacts"],
        json!([{"type": "PHONE", "contact": "+1 555 0194"}])
    );
}

/// Outlook's contacts (`Business Phone`, `Home Phone`, `Mobile Phone`): the mapping makes the
/// mobile the phone and the others contacts, in that order; a row without a mobile takes the
/// first of those the row has.
#[tokio::test]
async fn outlook_first_filled_phone_is_the_phone() {
    let csv = "First Name,Last Name,E-mail Address,Business Phone,Home Phone,Mobile Phone\n\
               Eli,Sun,eli@example.com,+1 555 0120,+1 555 0121,\n\
               Flo,Moon,flo@example.com,+1 555 0122,,\n\
               Gil,Star,gil@example.com,+1 555 0123,,+1 555 0124\n";
    let (code, statuses, bodies) = import(csv, &[]).await;
    assert_eq!(code, 0, "{statuses:?}");
    assert_eq!(bodies[0]["billingPerson"]["phone"], "+1 555 0121");
    assert_eq!(
        bodies[0]["contacts"],
        json!([{"type": "PHONE", "contact": "+1 555 0120"}])
    );
    assert_eq!(bodies[1]["billingPerson"]["phone"], "+1 555 0122");
    assert_eq!(bodies[1].get("contacts"), None, "{}", bodies[1]);
    assert_eq!(bodies[2]["billingPerson"]["phone"], "+1 555 0124");
    assert_eq!(
        bodies[2]["contacts"],
        json!([{"type": "PHONE", "contact": "+1 555 0123"}])
    );
}
