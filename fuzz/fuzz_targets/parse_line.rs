//! Every log parser on arbitrary bytes: no panic, whatever the input. The first byte
//! picks the format so one corpus exercises all of them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_detect::format::{Format, ParseContext, parse_line};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, line)) = data.split_first() else { return };
    let format = Format::ALL[usize::from(pick) % Format::ALL.len()];
    let ctx = ParseContext::default();
    let _ = parse_line(format, line, &ctx);
    let _ = mamori_detect::format::detect(line, &ctx);
});
