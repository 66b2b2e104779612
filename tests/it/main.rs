//! The integration tests: one binary, one module per concern.

mod import;
mod sandbox;
mod support;
