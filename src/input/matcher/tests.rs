//! The matcher's choices on small headers: ranking, numbered columns, blocks, names.

use super::*;

fn names(header: &str) -> Vec<String> {
    header.split(',').map(str::to_string).collect()
}

/// The matcher's fields as `field = source` lines.
fn matched(header: &str) -> Vec<String> {
    lines(&match_columns(&names(header), &[], None))
}

fn lines(m: &Matched) -> Vec<String> {
    m.fields
        .iter()
        .map(|f| match &f.source {
            Source::Columns { columns, .. } => format!("{} = {}", f.field, columns.join(" + ")),
            Source::Value(v) => format!("{} = value {v}", f.field),
            Source::CodeOrName(c) => format!("{} = code or name {c}", f.field),
            Source::YesNo(c) => format!("{} = yes or no {c}", f.field),
            Source::IfValid(c) => format!("{} = if valid {c}", f.field),
        })
        .collect()
}

#[test]
fn the_best_ranked_column_wins_and_further_emails_and_phones_are_contacts() {
    for header in [
        "E-mail Address,Email,Mobile,Phone",
        "Email,E-mail Address,Phone,Mobile",
    ] {
        let fields = matched(header);
        assert!(fields.contains(&"email = Email".into()), "{fields:?}");
        assert!(
            fields.contains(&"billingPerson.phone = Phone".into()),
            "{fields:?}"
        );
        assert!(
            fields.contains(&"contacts.0.contact = E-mail Address".into()),
            "{fields:?}"
        );
        assert!(fields.contains(&"contacts.0.type = value EMAIL".into()));
        assert!(fields.contains(&"contacts.1.contact = Mobile".into()));
        assert!(fields.contains(&"contacts.1.type = value PHONE".into()));
    }
    let m = match_columns(&names("City,Town,Email"), &[], None);
    assert!(lines(&m).contains(&"billingPerson.city = City".into()));
    assert_eq!(m.left_out[0].column, "Town");
    assert!(m.left_out[0].why.contains("comes from \"City\""));
}

#[test]
fn numbered_columns_are_ordered_lines_and_further_phones() {
    let fields = matched("Phone2,phone1,Address_2,Address_1,E-Mail");
    assert!(fields.contains(&"billingPerson.phone = phone1".into()));
    assert!(fields.contains(&"contacts.0.contact = Phone2".into()));
    assert!(fields.contains(&"billingPerson.street = Address_1 + Address_2".into()));
}

#[test]
fn a_second_address_block_is_the_shipping_address() {
    let fields = matched(
        "Email,BillAddr1,BillCity,ShipAddr1,ShipAddr2,ShipCity,Shipping Postcode,\
         Lieferadresse Straße,Ville de livraison",
    );
    for line in [
        "billingPerson.street = BillAddr1",
        "billingPerson.city = BillCity",
        "shippingAddresses.0.street = ShipAddr1 + ShipAddr2",
        "shippingAddresses.0.city = ShipCity",
        "shippingAddresses.0.postalCode = Shipping Postcode",
    ] {
        assert!(fields.contains(&line.to_string()), "{line}: {fields:?}");
    }
    let numbered = matched("Email,Address_1 Street Line 1,Address_1 City,Address_2 City");
    assert!(numbered.contains(&"billingPerson.street = Address_1 Street Line 1".into()));
    assert!(numbered.contains(&"shippingAddresses.0.city = Address_2 City".into()));
}

#[test]
fn last_name_beside_a_first_name_and_full_names_alone() {
    for (header, name) in [
        ("Prénom,Nom,Courriel", "Prénom + Nom"),
        ("Vorname,Name,E-Mail", "Vorname + Name"),
        ("Nom,Courriel", "Nom"),
        (
            "FirstName,MiddleName,LastName,Email",
            "FirstName + MiddleName + LastName",
        ),
        ("Nombre,Apellidos,Correo", "Nombre + Apellidos"),
        ("Nome,Cognome,Email", "Nome + Cognome"),
        ("Voornaam,Achternaam,E-mailadres", "Voornaam + Achternaam"),
        ("Customer Name,Email", "Customer Name"),
    ] {
        let expected = format!("billingPerson.name = {name}");
        assert!(matched(header).contains(&expected), "{header}");
    }
    // The canonical `name` gives way to a first-name column, as the last name.
    let header = names("email,name,Vorname");
    let claimed = [(Some(0), Field::Email), (Some(1), Field::Billing(A::Name))];
    let m = match_columns(&header, &claimed, Some(1));
    assert_eq!(m.gives_way, Some(1));
    assert_eq!(lines(&m), ["billingPerson.name = Vorname + name"]);
}

#[test]
fn states_and_countries_are_codes_or_names() {
    let fields = matched("Email,Ort,Bundesland,Land,Shipping Country");
    assert!(fields.contains(&"billingPerson.stateOrProvinceCode = code or name Bundesland".into()));
    assert!(fields.contains(&"billingPerson.countryCode = code or name Land".into()));
    assert!(
        fields.contains(&"shippingAddresses.0.countryCode = code or name Shipping Country".into())
    );
}

#[test]
fn consent_only_where_it_is_plainly_said_and_passwords_never() {
    assert!(matched("Email,Newsletter").contains(&"acceptMarketing = yes or no Newsletter".into()));
    for header in [
        "Email,Marketing",
        "Email,Consent",
        "Email,Customer notifications enabled",
    ] {
        assert_eq!(matched(header), ["email = Email"], "{header}");
    }
    let m = match_columns(&names("Email,PasswordHash,user_pass,Passwort"), &[], None);
    assert_eq!(lines(&m), ["email = Email"]);
    assert_eq!(m.left_out.len(), 3);
}

#[test]
fn canonical_fields_are_not_taken_again() {
    let header = names("email,billingPerson.city,City,Phone,billingPerson.phone");
    let claimed = [
        (Some(0), Field::Email),
        (Some(1), Field::Billing(A::City)),
        (Some(4), Field::Billing(A::Phone)),
    ];
    let m = match_columns(&header, &claimed, None);
    assert_eq!(
        lines(&m),
        [
            "contacts.0.contact = Phone",
            "contacts.0.type = value PHONE"
        ]
    );
    assert_eq!(m.left_out[0].column, "City");
}

/// Words that mean something else in a customer list are not taken for an address.
#[test]
fn look_alikes_are_not_matched() {
    for header in [
        "Email,ShipVia",
        "Email,Line",
        "Email,Stato",
        "Email,Shipping",
        "Email,Shipped Date",
        "Email,Billable",
        "Email,Lieferant",
        "Email,NameStyle",
        "Email,Fax",
    ] {
        assert_eq!(matched(header), ["email = Email"], "{header}");
    }
}

/// A state column only beside an address: any state name beside a street, city or postal
/// code; `Region`, `Estado`, `État` (as often a status or a sales region) only beside a street
/// or postal code.
#[test]
fn states_only_beside_an_address() {
    let state = |fields: &[String]| {
        fields
            .iter()
            .find(|f| f.starts_with("billingPerson.stateOrProvinceCode"))
            .cloned()
    };
    for (header, taken) in [
        ("Email,Nombre,Estado", false),
        ("Email,Ville,État", false),
        ("Email,Account,City,Region", false),
        ("Email,Province", false),
        ("Email,City,State", true),
        ("Email,Ciudad,Provincia", true),
        ("Nome,E-mail,Cidade,Estado,CEP", true),
        ("Email,Adresse,Ville,État", true),
        ("Email,Street,Region", true),
    ] {
        let m = match_columns(&names(header), &[], None);
        assert_eq!(
            state(&lines(&m)).is_some(),
            taken,
            "{header}: {:?}",
            lines(&m)
        );
        if !taken {
            let left = m.left_out.iter().find(|l| !l.column.contains("mail"));
            assert!(
                left.is_some_and(|l| l.why.contains("beside a street")),
                "{header}: {:?}",
                m.left_out
            );
        }
    }
    // A canonical street counts as the address's street.
    let claimed = [
        (Some(0), Field::Email),
        (Some(1), Field::Billing(A::Street)),
    ];
    let m = match_columns(&names("email,billingPerson.street,Estado"), &claimed, None);
    assert_eq!(
        lines(&m),
        ["billingPerson.stateOrProvinceCode = code or name Estado"]
    );
}

/// A carrier (`Shipping Company`, `Ship Via`, `Carrier`) is not the shipping address's
/// company, and a bare `VAT` (an amount in order files) is not a tax ID.
#[test]
fn carriers_and_tax_amounts_are_not_taken() {
    let m = match_columns(
        &names("Email,Shipping Company,Ship Via,Carrier,VAT,BTW,Ship To Company,Ship City"),
        &[],
        None,
    );
    assert_eq!(
        lines(&m),
        [
            "shippingAddresses.0.companyName = Ship To Company",
            "shippingAddresses.0.city = Ship City",
            "email = Email"
        ]
    );
    for column in ["Shipping Company", "Ship Via", "Carrier"] {
        let left = m.left_out.iter().find(|l| l.column == column);
        assert!(
            left.is_some_and(|l| l.why.contains("carrier")),
            "{column}: {:?}",
            m.left_out
        );
    }
    assert_eq!(
        matched("Email,VAT Number"),
        ["email = Email", "taxId = VAT Number"]
    );
}

/// A house number column follows the first street line after a space, and only where there
/// is a street column.
#[test]
fn house_numbers_follow_the_street() {
    let m = match_columns(&names("E-Mail,Straße,Hausnummer,Adresszusatz"), &[], None);
    assert_eq!(
        m.fields[0].source,
        Source::Columns {
            columns: vec!["Straße".into(), "Hausnummer".into(), "Adresszusatz".into()],
            separators: vec![" ".into(), "\n".into()],
        }
    );
    assert!(
        m.choices[0].ends_with("(the house number after the street, a space between; a line break before each further line)"),
        "{:?}",
        m.choices
    );
    for header in ["Email,Straat,Huisnummer", "Email,Strasse,Nr."] {
        let fields = matched(header);
        let street = fields
            .iter()
            .find(|f| f.starts_with("billingPerson.street"));
        assert!(
            street.is_some_and(|s| s.contains(" + ")),
            "{header}: {fields:?}"
        );
    }
    let m = match_columns(&names("Email,Hausnummer,Ort"), &[], None);
    assert_eq!(lines(&m), ["billingPerson.city = Ort", "email = Email"]);
    assert!(
        m.left_out[0].why.contains("without a street"),
        "{:?}",
        m.left_out
    );
}

/// Contact exports: Google Contacts' `... - Value` columns and numbered addresses, Outlook's
/// `Home` and `Business` blocks, Salesforce's `Mailing` block.
#[test]
fn contact_exports_are_read_by_meaning() {
    let google = matched(
        "Name,Given Name,Additional Name,Family Name,E-mail 1 - Label,E-mail 1 - Value,\
         E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,Address 1 - Label,\
         Address 1 - Formatted,Address 1 - Street,Address 1 - City,Address 1 - PO Box,\
         Address 1 - Region,Address 1 - Postal Code,Address 1 - Country,\
         Address 1 - Extended Address,Organization Name,Notes",
    );
    for line in [
        "billingPerson.name = Given Name + Additional Name + Family Name",
        "billingPerson.street = Address 1 - Street + Address 1 - Extended Address",
        "billingPerson.city = Address 1 - City",
        "billingPerson.postalCode = Address 1 - Postal Code",
        "billingPerson.stateOrProvinceCode = code or name Address 1 - Region",
        "billingPerson.countryCode = code or name Address 1 - Country",
        "billingPerson.phone = Phone 1 - Value",
        "billingPerson.companyName = Organization Name",
        "email = E-mail 1 - Value",
        "contacts.0.contact = E-mail 2 - Value",
        "privateAdminNotes = Notes",
    ] {
        assert!(google.contains(&line.to_string()), "{line}: {google:?}");
    }
    let outlook = matched(
        "First Name,Last Name,E-mail Address,E-mail 2 Address,Business Phone,Mobile Phone,\
         Company,Business Street,Business City,Business State,Business Postal Code,\
         Business Country/Region,Home Street,Home Street 2,Home City,Home State,\
         Home Postal Code,Home Country/Region",
    );
    for line in [
        "billingPerson.street = Home Street + Home Street 2",
        "billingPerson.city = Home City",
        "billingPerson.countryCode = code or name Home Country/Region",
        "shippingAddresses.0.street = Business Street",
        "shippingAddresses.0.stateOrProvinceCode = code or name Business State",
        "email = E-mail Address",
        "contacts.0.contact = E-mail 2 Address",
    ] {
        assert!(outlook.contains(&line.to_string()), "{line}: {outlook:?}");
    }
    let salesforce = matched(
        "First Name,Last Name,Email,Mailing Street,Mailing City,Mailing State/Province,\
         Mailing Zip/Postal Code,Mailing Country",
    );
    for line in [
        "billingPerson.street = Mailing Street",
        "billingPerson.city = Mailing City",
        "billingPerson.stateOrProvinceCode = code or name Mailing State/Province",
        "billingPerson.postalCode = Mailing Zip/Postal Code",
        "billingPerson.countryCode = code or name Mailing Country",
    ] {
        assert!(
            salesforce.contains(&line.to_string()),
            "{line}: {salesforce:?}"
        );
    }
}
