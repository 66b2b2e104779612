//! Words for numbers, shared by every message: the request engine's warnings below the
//! commands and the summaries above them alike, so it sits below both.

/// `1 row`, `2 rows`, `0 rows`.
pub(crate) fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn one_is_singular_and_every_other_number_plural() {
        assert_eq!(count(0, "request", "requests"), "0 requests");
        assert_eq!(count(1, "request", "requests"), "1 request");
        assert_eq!(count(2, "row was", "rows were"), "2 rows were");
    }
}
