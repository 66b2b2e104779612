//! The assigned ISO 3166-1 alpha-2 country codes, so that a typo such as `UK` or `EN` is caught
//! before the store is asked (Ecwid stores what it is given, and a wrong country breaks shipping).

/// All 249 officially assigned codes, sorted, upper case.
const ASSIGNED: [&str; 249] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// Whether the code, in any case, is an assigned alpha-2 code: one bit test, no allocation.
/// Region codes other platforms write that are not the codes Ecwid uses for that country, by
/// country: Shopify writes the UK's nations (`ENG`, `SCT`, `WLS`, `NIR`, their ISO 3166-2
/// codes) as the province, which Ecwid does not have as regions of GB. Such a code is left out
/// with a note rather than sent for the store to refuse or misfile. The reason for the note.
pub(crate) fn foreign_region(country: &str, code: &str) -> Option<&'static str> {
    const NATIONS: [&str; 4] = ["ENG", "SCT", "WLS", "NIR"];
    (country.eq_ignore_ascii_case("GB") && NATIONS.iter().any(|n| n.eq_ignore_ascii_case(code)))
        .then_some(
            "a nation of the United Kingdom, not a region Ecwid uses for GB; the county can be \
             set in Ecwid",
        )
}

pub(crate) fn is_assigned(code: &str) -> bool {
    let &[a, b] = code.as_bytes() else {
        return false;
    };
    let (a, b) = (a.to_ascii_uppercase(), b.to_ascii_uppercase());
    a.is_ascii_uppercase()
        && b.is_ascii_uppercase()
        && TABLE[usize::from(a - b'A')] >> (b - b'A') & 1 == 1
}

/// [`ASSIGNED`] as 26 rows of 26 bits: bit `b` of row `a` is set when letters `a` `b` are a code.
const TABLE: [u32; 26] = {
    let mut table = [0; 26];
    let mut i = 0;
    while i < ASSIGNED.len() {
        let code = ASSIGNED[i].as_bytes();
        table[(code[0] - b'A') as usize] |= 1 << (code[1] - b'A');
        i += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_and_unique() {
        assert!(ASSIGNED.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn accepts_any_case_and_rejects_unassigned() {
        assert!(is_assigned("de"));
        assert!(is_assigned("Us"));
        for bad in ["UK", "EN", "XX", "D", "DEU", "", "ÜS"] {
            assert!(!is_assigned(bad), "{bad}");
        }
    }

    #[test]
    fn table_agrees_with_the_list_for_every_pair_of_bytes() {
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                let upper = [a.to_ascii_uppercase(), b.to_ascii_uppercase()];
                let listed = std::str::from_utf8(&upper).is_ok_and(|c| ASSIGNED.contains(&c));
                let code = [a, b];
                if let Ok(code) = std::str::from_utf8(&code) {
                    assert_eq!(is_assigned(code), listed, "{code:?}");
                }
            }
        }
    }
}
