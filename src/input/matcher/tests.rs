//! The matcher on headers of every language it knows.
