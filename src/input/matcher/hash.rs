//! Password hashes told from passwords. A column of a password is sent as the customer's
//! password; a hash in it would become the password as typed, and lock the customer out, so
//! every value bound for the password field is checked here first.

/// Whether a value looks like a password hash rather than a password. Sent as a password, a
/// hash would become the password as typed, and lock the customer out. Each form is one a
/// password written by a person does not take by chance:
///
/// - crypt's `$id$...`: an id of letters or digits between two `$`, then more than eight
///   characters (`$P$` of WordPress, `$2y$` of bcrypt, `$argon2id$`, `$6$` of SHA-512 crypt);
/// - a hashing scheme's name before a `$` (Django's `pbkdf2_sha256$260000$salt$hash`, `sha1$`,
///   `md5$`, `bcrypt$`, `argon2$`, `scrypt$`; Werkzeug's `pbkdf2:sha256:600000$`), with at
///   least two `$` and 20 characters in all;
/// - an LDAP scheme in braces (`{SSHA}`, `{SHA}`, `{SSHA512}`, `{CRYPT}`, `{PBKDF2-SHA256}`)
///   followed by at least 16 characters;
/// - a hex digest of at least 32 digits (an MD5), with an optional `:salt` (Magento);
/// - a base64 digest padded with `=` (AdventureWorks' `PasswordHash`, ASP.NET Identity): only
///   base64 characters, a length that is a multiple of four and at least 24 (an MD5's 16
///   bytes). Unpadded base64 of a digest whose size is a multiple of three (SHA-384) is not
///   told from a long generated password, and is sent.
pub(crate) fn is_password_hash(value: &str) -> bool {
    let value = value.trim();
    is_crypt(value)
        || is_scheme_dollar(value)
        || is_ldap_scheme(value)
        || is_hex_digest(value)
        || is_padded_base64(value)
}

/// `$id$rest`, with more than eight characters after the id.
fn is_crypt(value: &str) -> bool {
    let Some(rest) = value.strip_prefix('$') else {
        return false;
    };
    let id_len = rest
        .find('$')
        .filter(|&n| n > 0 && rest[..n].bytes().all(|b| b.is_ascii_alphanumeric()));
    id_len.is_some_and(|n| rest.len() > n + 8)
}

/// The hashing schemes of Django and Werkzeug, by the name before their first `$` (or `:`).
const DOLLAR_SCHEMES: [&str; 13] = [
    "pbkdf2_sha256",
    "pbkdf2_sha1",
    "pbkdf2",
    "argon2",
    "bcrypt_sha256",
    "bcrypt",
    "scrypt",
    "sha1",
    "sha256",
    "sha512",
    "md5",
    "unsalted_md5",
    "unsalted_sha1",
];

/// `pbkdf2_sha256$260000$salt$hash`, `sha1$salt$hash`, `pbkdf2:sha256:600000$salt$hash`.
fn is_scheme_dollar(value: &str) -> bool {
    let Some((head, _)) = value.split_once('$') else {
        return false;
    };
    let scheme = head.split(':').next().unwrap_or_default();
    DOLLAR_SCHEMES
        .iter()
        .any(|s| s.eq_ignore_ascii_case(scheme))
        && value.matches('$').count() >= 2
        && value.len() >= 20
        && !value.contains(char::is_whitespace)
}

/// The schemes of LDAP's `userPassword` (RFC 3112 and OpenLDAP's), without `{CLEARTEXT}`.
const LDAP_SCHEMES: [&str; 14] = [
    "SSHA", "SHA", "SSHA256", "SHA256", "SSHA384", "SHA384", "SSHA512", "SHA512", "MD5", "SMD5",
    "CRYPT", "BCRYPT", "ARGON2", "PBKDF2",
];

/// `{SSHA}base64`, `{PBKDF2-SHA256}...`: a known scheme in braces, then 16 characters or more.
fn is_ldap_scheme(value: &str) -> bool {
    let Some((scheme, rest)) = value.strip_prefix('{').and_then(|v| v.split_once('}')) else {
        return false;
    };
    let base = scheme.split('-').next().unwrap_or_default();
    LDAP_SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(base))
        && rest.len() >= 16
        && !rest.contains(char::is_whitespace)
}

/// 32 hex digits or more, then optionally `:salt` (Magento's `hash:salt:version`).
fn is_hex_digest(value: &str) -> bool {
    let digest = value.split(':').next().unwrap_or_default();
    digest.len() >= 32 && digest.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Base64 ending in `=` or `==`, 24 characters or more, a multiple of four.
fn is_padded_base64(value: &str) -> bool {
    let body = value.trim_end_matches('=');
    let padding = value.len() - body.len();
    (1..=2).contains(&padding)
        && value.len() >= 24
        && value.len().is_multiple_of(4)
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hashes_are_told_from_passwords() {
        for hash in [
            "$P$BZ1a9mD3bq9ccf7Qe1qSz.f4y1Hk0s/",
            "$2y$10$abcdefghijklmnopqrstuv",
            "$argon2id$v=19$m=65536,t=4,p=1$abc",
            "6a9c9bfb2ba88a6ad2a64e7402df44a763e0c48cd21d7af9e7e796cd4677ee28:RF",
            "703feeb7a8a5195cf1cc9b759ba1e113:V2h36OrOJRh56MyGHw9NF1J855eL9X4P",
            // Django, Werkzeug
            "pbkdf2_sha256$260000$0Rz1fq3bMJbFpcdm$3b5Lq0hJnTzq+9l7I0bP5yQ3pJpVQ2mZ1Qf7S9dU0nA=",
            "sha1$a1976$a36cc8cbf81742a8fb52e221aaeab48ed7f58ab4",
            "md5$$5f4dcc3b5aa765d61d8327deb882cf99",
            "bcrypt$$2b$12$3WTmGBVwmOMbZmXRaS9AbuL0ucW/Ez0WJbhT4Rxf0iRwzQmkkF8yO",
            "argon2$argon2id$v=19$m=102400,t=2,p=8$c29tZXNhbHQ$Xj2aC1",
            "pbkdf2:sha256:600000$Hc5dRrQb$8f3bd0b4e3f3e4c6a3f0a1ad2f3c1d2e",
            // LDAP
            "{SSHA}Y4HhJEdpNQbSlf9I8ZpzGsEj3hCv1Kxq",
            "{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=",
            "{PBKDF2-SHA256}10000$salt$hashhashhash",
            // AdventureWorks (SHA-256, base64), ASP.NET Identity v3, an MD5 in base64
            "L/Rlwxzp4w7RWmEgXX+/A7cXaePEPcp+KwQhl2fJL7w=",
            "AQAAAAEAACcQAAAAEKpXWMoEcmD4Ja1Mjw7cL6OyLmq0Ps5j/3N+e8fXdC1yk2Gx1sFv+ZhT8oB7a3cE9g==",
            "X03MO1qnZdYdgyfeuILPmQ==",
        ] {
            assert!(is_password_hash(hash), "{hash}");
        }
        for password in [
            "secret",
            "$ecret$",
            "hunter2",
            "Passw0rd!",
            "$$",
            "abc123",
            // Ordinary passwords that come near a form, and are still sent.
            "sha1$mine",
            "md5$and$me",
            "{SHA}short",
            "{MYSCHEME}abcdefghijklmnopqrstuvwxyz",
            "correct horse battery staple",
            "Xk9mP2qL7vN4wR8tY6uE3sA1",
            "ilovemycat=",
            "L/Rlwxzp4w7RW=",
            "1KjXYs4=",
            "deadbeef",
        ] {
            assert!(!is_password_hash(password), "{password}");
        }
    }
}
