//! The pipeline against a mock store (wiremock on 127.0.0.1), by concern: what is sent,
//! each failure class of the retry policy, rate limiting, customers the store has already,
//! and the results file.

mod existing;
mod faults;
mod rate_limit;
mod requests;
mod results_file;
