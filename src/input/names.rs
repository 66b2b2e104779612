//! How column names are compared, by every part of the input that reads them (the matcher,
//! presets, orders exports, the mapping): [`normalise`]d, and which names are a CRM record's
//! (`data/records.toml`). Below all of them; it uses none.

use std::sync::LazyLock;

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

/// A name as it is compared: lower case, accents removed, only letters and digits kept.
/// `E-Mail Adresse`, `e_mail_adresse` and `EMailAdresse` are all `emailadresse`.
pub(crate) fn normalise(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.nfkd() {
        match c {
            'ß' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
            // Accents (combining marks after NFKD), spaces and punctuation.
            _ => {}
        }
    }
    out
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordsFile {
    own: Vec<String>,
    associated: Vec<String>,
}

/// `data/records.toml`, normalised: the row's own record's names, and the associated ones'.
struct Records {
    own: Vec<String>,
    associated: Vec<String>,
}

const RECORDS: &str = include_str!("../../data/records.toml");

static RECORD_NAMES: LazyLock<Records> =
    LazyLock::new(|| parse(RECORDS).expect("data/records.toml is checked by tests"));

fn parse(text: &str) -> Result<Records, String> {
    let file: RecordsFile = toml::from_str(text).map_err(|e| e.to_string())?;
    let all = |list: &[String]| list.iter().map(|n| normalise(n)).collect::<Vec<_>>();
    Ok(Records {
        own: all(&file.own),
        associated: all(&file.associated),
    })
}

/// Whether a name (normalised) is an associated record's: `company`, `organization`, ...
pub(crate) fn is_associated(normalised: &str) -> bool {
    RECORD_NAMES.associated.iter().any(|o| o == normalised)
}

/// Whether a name (normalised) is the row's own record's: `person`, `contact`, ...
pub(crate) fn is_own(normalised: &str) -> bool {
    RECORD_NAMES.own.iter().any(|o| o == normalised)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_records_file_parses() {
        assert!(parse(RECORDS).is_ok());
    }
}
