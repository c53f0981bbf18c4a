//! `miiflow::fuzzing::results_lines`: see src/fuzzing.rs for what it asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| miiflow::fuzzing::results_lines(data));
