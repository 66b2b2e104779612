//! Labels read as the words a person reads: the word for an address before the part
//! (`Address City`), between a block's word and the part (`Home Address City`), and two
//! synonyms of one field joined by `/` or `or` (`Postal Code/Zip`).

use ecwid_import::input::mapping::Layout;
use serde_json::json;

use super::*;

/// `Address City`, `Address - Zip` beside `Address`: the plain address's parts, as `City` and
/// `Zip` are, in every language the synonyms cover.
#[test]
fn the_word_address_before_the_part_is_the_plain_address() {
    let files = [
        "Email,Name,Address,Address City,Address State,Address Zip,Address Country\n\
         ann@example.com,Ann Lee,1 Main St,Boston,MA,02110,United States\n",
        "Email,Name,Address,Address - City,Address - State,Address - Zip,Address - Country\n\
         ann@example.com,Ann Lee,1 Main St,Boston,MA,02110,United States\n",
    ];
    for csv in files {
        let (body, choice) = first_body(csv, &Layout::default());
        assert_eq!(
            body,
            json!({"email": "ann@example.com", "billingPerson": {"name": "Ann Lee",
                "street": "1 Main St", "city": "Boston", "stateOrProvinceCode": "MA",
                "postalCode": "02110", "countryCode": "US"}}),
            "{choice}"
        );
    }
    for (csv, city, postal_code) in [
        (
            "E-Mail,Name,Adresse,Adresse PLZ,Adresse Ort\nkarl@example.de,Karl,Hauptstr. 1,50667,Köln\n",
            "Köln",
            "50667",
        ),
        (
            "Correo,Nombre,Dirección,Dirección - Código postal,Dirección - Ciudad\n\
             ana@example.es,Ana,Calle Mayor 5,28013,Madrid\n",
            "Madrid",
            "28013",
        ),
        (
            "E-mail,Nome,Endereço,Endereço CEP,Endereço Cidade\nrui@example.pt,Rui,Rua 1,1000-001,Lisboa\n",
            "Lisboa",
            "1000-001",
        ),
    ] {
        let (body, choice) = first_body(csv, &Layout::default());
        assert_eq!(body["billingPerson"]["city"], city, "{choice}");
        assert_eq!(body["billingPerson"]["postalCode"], postal_code, "{choice}");
        assert!(body.get("shippingAddresses").is_none(), "{choice}");
    }
}

/// A block's word, the word for an address and the part (`Mailing Address City`,
/// `Delivery Address - Zip`, `Adresse de livraison - Ville`) are that block's part, as the
/// block's word and the part alone are.
#[test]
fn a_block_word_then_address_then_the_part_is_that_blocks_part() {
    let csv = "Email,Mailing Address Street,Mailing Address City,Mailing Address Postal Code,\
               Delivery Address - Street,Delivery Address - City,Delivery Address - Zip\n\
               ann@example.com,1 Main St,Boston,02110,2 Dock Rd,Salem,01970\n";
    let (body, choice) = first_body(csv, &Layout::default());
    assert_eq!(
        body,
        json!({"email": "ann@example.com",
            "billingPerson": {"street": "1 Main St", "city": "Boston", "postalCode": "02110"},
            "shippingAddresses": [{"street": "2 Dock Rd", "city": "Salem", "postalCode": "01970"}]}),
        "{choice}"
    );
    // Outlook's `Home ...` block is the customer's own address with the word or without it.
    for csv in [
        "Email,Home Street,Home City\nann@example.com,1 Main St,Boston\n",
        "Email,Home Address Street,Home Address City\nann@example.com,1 Main St,Boston\n",
        "Email,Home Address - Street,Home Address - City\nann@example.com,1 Main St,Boston\n",
    ] {
        let (body, choice) = first_body(csv, &Layout::default());
        assert_eq!(
            body["billingPerson"],
            json!({"street": "1 Main St", "city": "Boston"}),
            "{choice}"
        );
    }
    // The word before a block's suffix (French, Spanish, Italian, Portuguese).
    let csv = "Courriel,Adresse,Ville,Adresse de livraison - Rue,Adresse de livraison - Ville\n\
               zoe@example.fr,3 rue de la Paix,Paris,5 quai Nord,Lyon\n";
    let (body, choice) = first_body(csv, &Layout::default());
    assert_eq!(
        body["shippingAddresses"][0],
        json!({"street": "5 quai Nord", "city": "Lyon"}),
        "{choice}"
    );
    assert_eq!(body["billingPerson"]["city"], "Paris", "{choice}");
    for csv in [
        "Email,Indirizzo,Città,Indirizzo di spedizione - Città
luca@example.it,Via Roma 1,Roma,Milano
",
        "Correo,Dirección,Ciudad,Dirección de envío - Ciudad
ana@example.es,Calle 5,Madrid,Sevilla
",
        "E-mail,Endereço,Cidade,Endereço de entrega - Cidade
rui@example.pt,Rua 1,Lisboa,Porto
",
        "E-mailadres,Straat,Plaats,Afleveradres Plaats
sanne@example.nl,Damrak 1,Amsterdam,Utrecht
",
        "Email,Street,City,City (Work Address)
ann@example.com,1 Main St,Boston,Salem
",
    ] {
        let (body, choice) = first_body(csv, &Layout::default());
        let cities: Vec<&str> = csv.trim_end().rsplit(',').take(2).collect();
        assert_eq!(body["billingPerson"]["city"], cities[1], "{choice}");
        assert_eq!(body["shippingAddresses"][0]["city"], cities[0], "{choice}");
    }
}

/// Two synonyms of one field joined by `/` or `or` are that field, in the block the label
/// names; parts of two meanings mean nothing together.
#[test]
fn synonyms_joined_by_a_slash_or_or_are_their_field() {
    for label in [
        "Postal Code/Zip",
        "Zip / Postal Code",
        "Zip or Postal Code",
        "PLZ oder Postleitzahl",
        "Code postal ou CP",
    ] {
        let csv = format!("Email,City,{label}\nann@example.com,Boston,02110\n");
        let (body, choice) = first_body(&csv, &Layout::default());
        assert_eq!(
            body["billingPerson"],
            json!({"city": "Boston", "postalCode": "02110"}),
            "{label}: {choice}"
        );
    }
    let csv = "Email,Shipping City,Shipping Zip/Postcode,Home Address Zip or Postcode\n\
               ann@example.com,Salem,01970,02110\n";
    let (body, choice) = first_body(csv, &Layout::default());
    assert_eq!(
        body["shippingAddresses"][0]["postalCode"], "01970",
        "{choice}"
    );
    assert_eq!(body["billingPerson"]["postalCode"], "02110", "{choice}");
    // A city or a postal code is no field: the column is not imported.
    let csv = "Email,City,City/Zip,Billing City/Shipping City\nann@example.com,Boston,x,y\n";
    let (body, choice) = first_body(csv, &Layout::default());
    assert_eq!(body["billingPerson"], json!({"city": "Boston"}), "{choice}");
    assert!(!choice.contains("City/Zip"), "{choice}");
    assert!(!choice.contains("Billing City/Shipping City"), "{choice}");
}

/// Home and work blocks are placed as typed addresses are: alone, home is the customer's own
/// address and work a shipping one; beside a block named billing, home is a further shipping
/// address where none is named shipping; beside a block named shipping, work (and home beside
/// billing) is left out, saying so, never mixed into the shipping address.
#[test]
fn home_and_work_blocks_go_where_typed_addresses_go() {
    let csv = "Email,Billing Address Street,Billing Address City,Home Address Street,\
               Home Address City,Work Address Street,Work Address City\n\
               ann@example.com,1 Bill St,Boston,2 Home St,Cambridge,3 Work St,Salem\n";
    let (body, choice) = first_body(csv, &Layout::default());
    assert_eq!(
        body,
        json!({"email": "ann@example.com",
            "billingPerson": {"street": "1 Bill St", "city": "Boston"},
            "shippingAddresses": [{"street": "3 Work St", "city": "Salem"},
                                  {"street": "2 Home St", "city": "Cambridge"}]}),
        "{choice}"
    );
    // Without a billing block, home is the customer's own; work beside shipping is left out.
    let csv = "Email,Home Address Street,Home Address City,Shipping Address City,\
               Work Address Street,Work Address City\n\
               ann@example.com,2 Home St,Cambridge,Lowell,3 Work St,Salem\n";
    let (body, choice) = first_body(csv, &Layout::default());
    assert_eq!(
        body,
        json!({"email": "ann@example.com",
            "billingPerson": {"street": "2 Home St", "city": "Cambridge"},
            "shippingAddresses": [{"city": "Lowell"}]}),
        "{choice}"
    );
    assert!(
        choice.contains(
            "\"Work Address Street\" (a home or work address beside an address named shipping"
        ),
        "{choice}"
    );
    // Billing, home and shipping: the home address is left out, the others read whole.
    let csv = "Email,Billing City,Home City,Home Street,Shipping City\n\
               ann@example.com,Boston,Cambridge,2 Home St,Lowell\n";
    let (body, choice) = first_body(csv, &Layout::default());
    assert_eq!(
        body,
        json!({"email": "ann@example.com", "billingPerson": {"city": "Boston"},
            "shippingAddresses": [{"city": "Lowell"}]}),
        "{choice}"
    );
    assert!(choice.contains("left out: \"Home"), "{choice}");
}

/// A block (work, business, shipping, a numbered address) is an address only where it has a
/// place column: without one its columns are read as without the block word, and the report
/// and `template --mapping --from` say so. `Work Mobile` is a phone, `Work Company` the
/// company; `Shipping Phone` alone is the customer's phone, `Shipping Name` beside `Name` is
/// left out.
#[test]
fn a_block_without_a_place_is_no_address() {
    let csv = "Email,Name,Phone,Work Mobile,Work Company\n\
               ann@example.com,Ann Lee,+1 555 0100,+1 555 0199,Acme\n";
    let (body, choice) = first_body(csv, &Layout::default());
    assert_eq!(
        body,
        json!({"email": "ann@example.com",
            "billingPerson": {"name": "Ann Lee", "phone": "+1 555 0100", "companyName": "Acme"},
            "contacts": [{"contact": "+1 555 0199", "type": "PHONE"}]}),
        "{choice}"
    );
    assert!(choice.contains("its block has no street"), "{choice}");
    let csv = "Email,Name,Shipping Name,Shipping Phone,Business Company\n\
               ann@example.com,Ann Lee,Bob Lee,+1 555 0100,Acme\n";
    let (body, choice) = first_body(csv, &Layout::default());
    assert_eq!(
        body,
        json!({"email": "ann@example.com",
            "billingPerson": {"name": "Ann Lee", "phone": "+1 555 0100", "companyName": "Acme"}}),
        "{choice}"
    );
    assert!(
        choice.contains("\"Shipping Name\" (the field is filled already (no address"),
        "{choice}"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("people.csv");
    std::fs::write(&path, csv).unwrap();
    let template = template_from(&path);
    assert!(
        template.contains("no address: its block has no street"),
        "{template}"
    );
    // With a place, the block is an address and keeps its phone and company.
    let csv = "Email,Name,Work Mobile,Work Company,Work City\n\
               ann@example.com,Ann Lee,+1 555 0199,Acme,Salem\n";
    let (body, choice) = first_body(csv, &Layout::default());
    assert_eq!(
        body,
        json!({"email": "ann@example.com", "billingPerson": {"name": "Ann Lee"},
            "shippingAddresses": [{"phone": "+1 555 0199", "companyName": "Acme", "city": "Salem"}]}),
        "{choice}"
    );
}
