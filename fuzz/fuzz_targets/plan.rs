//! libFuzzer entry point; the checks live in `fuzz/harness/plan.rs`, which
//! `crates/engine/tests/fuzz_regressions.rs` also uses to replay saved findings.
#![no_main]

#[path = "../harness/plan.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::check(data));
