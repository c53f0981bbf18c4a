//! `miiflow::fuzzing::csv_batch`: see src/fuzzing.rs for what it asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| miiflow::fuzzing::csv_batch(data));
