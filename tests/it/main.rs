//! The one integration-test binary: a module per concern.

mod sandbox;
