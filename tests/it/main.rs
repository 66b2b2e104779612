//! The integration tests: one binary, one module per concern.

mod batch;
mod cli;
mod consent;
mod e2e;
mod fields;
mod formulas;
mod import;
mod mapping;
mod matcher;
mod matcher_choices;
mod operator;
mod outputs;
mod plan;
mod platforms;
mod presets;
mod realworld;
mod resume;
mod robustness;
mod sandbox;
mod spectrum;
mod store_rules;
mod store_snapshot;
mod support;
mod undo;
mod update;
mod workbooks;
