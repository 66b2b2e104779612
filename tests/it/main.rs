//! The integration tests: one binary, one module per concern.

mod cli;
mod import;
mod sandbox;
mod spectrum;
mod support;
