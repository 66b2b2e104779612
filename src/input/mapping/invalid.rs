//! What a row that breaks the rules gives instead of a request ([`Invalid`]): for the row's
//! filling (`row`) and for its typed address blocks (`typed`) alike.

use super::blanks::Blanked;
use crate::customer::rules::Problem;

/// A row that breaks the rules: the full message, and a short reason to count alike errors by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub(crate) error: String,
    /// One short reason per broken rule.
    pub(crate) reasons: Vec<String>,
    /// The cells read as blank although they held something.
    pub(crate) blanked: Vec<Blanked>,
    /// The broken rules one by one, for the report that marks their cells (empty when the row
    /// as a whole is wrong).
    pub(crate) problems: Vec<Problem>,
}

impl Invalid {
    /// A row that breaks one rule: the message and its short reason.
    pub(crate) fn new(error: String, reason: &str) -> Self {
        Self {
            error,
            reasons: vec![reason.to_string()],
            blanked: Vec::new(),
            problems: Vec::new(),
        }
    }
}
