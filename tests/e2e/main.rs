//! End-to-end tests: the real binary on fixture files. One test binary;
//! the data-driven cases live in `fixtures/cases/*/case.toml`.

mod cli;
mod corpus;
mod demo;
mod faults;
mod harness;
mod props;
mod slack_codes;
mod ux;
