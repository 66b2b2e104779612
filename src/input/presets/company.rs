//! A company's name told from a person's by its legal form, for the exports whose name column
//! holds either (Stripe's `Name`, a contact list's `Name`).

/// The legal forms that end a company's name (`Acme GmbH`, `Foo, Inc.`, `Bar Ltd`), compared
/// as names are (lower case, letters and digits only).
const LEGAL_FORMS: &[&str] = &[
    "inc",
    "llc",
    "llp",
    "ltd",
    "limited",
    "plc",
    "corp",
    "corporation",
    "company",
    "gmbh",
    "mbh",
    "ohg",
    "gbr",
    "sarl",
    "sasu",
    "eurl",
    "srl",
    "bv",
    "nv",
    "vof",
    "pty",
    "lda",
    "ltda",
    "kft",
    "sro",
    "spzoo",
    "holding",
    "group",
    "gruppe",
    "groupe",
];

/// Short legal forms that are also surnames or words (`Sá`, `Co`, `As`): a company's only
/// when written as one (upper case, or with dots: `SA`, `S.A.`, `AG`, `Co.`).
const SHORT_FORMS: &[&str] = &[
    "co", "ag", "kg", "ug", "ev", "sa", "sas", "sl", "slu", "snc", "ab", "as", "aps", "oy", "spa",
];

/// Whether a name is a company's: its last word is a legal form (`Acme GmbH`, `Foo, Inc.`,
/// `Müller & Söhne KG`, `Baz S.A.`), or says it is a group or holding. A short form that is
/// also a surname counts only as a legal form is written (`Ana Sá` is a person).
pub(crate) fn looks_like_company(value: &str) -> bool {
    let words: Vec<&str> = value
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !crate::input::names::normalise(w).is_empty())
        .collect();
    let Some(last) = words.last().filter(|_| words.len() > 1) else {
        return false;
    };
    let form = crate::input::names::normalise(last);
    let written_as_form = last.contains('.') || last.chars().all(|c| !c.is_lowercase());
    LEGAL_FORMS.contains(&form.as_str())
        || (SHORT_FORMS.contains(&form.as_str()) && written_as_form)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A company's name ends in a legal form; a person's does not.
    #[test]
    fn companies_are_told_by_their_legal_form() {
        for name in [
            "Acme Tools GmbH",
            "Foo, Inc.",
            "Bar Ltd",
            "Müller & Söhne KG",
            "Baz S.A.",
        ] {
            assert!(looks_like_company(name), "{name}");
        }
        for name in [
            "Greta Vogel",
            "Co",
            "Ana Reyes",
            "",
            "Inc",
            "Ana Sá",
            "Lee As",
            "Jane Co",
        ] {
            assert!(!looks_like_company(name), "{name}");
        }
    }
}
