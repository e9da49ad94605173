//! No pack text, however broken, panics the parser or the linker.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

use lvzhi_rules::{parse_pack, PackSet};
use proptest::prelude::*;

fn pack000() -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packs/000.toml"),
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,400}") {
        let _ = parse_pack("x.toml", &s);
    }

    #[test]
    fn damaged_pack_never_panics(cut in 0usize..60_000, len in 0usize..40, ins in "[\\[\\]\"()=a-z§ 和或非]{0,6}") {
        let t = pack000();
        let mut at = cut.min(t.len());
        while !t.is_char_boundary(at) { at -= 1; }
        let mut end = (at + len).min(t.len());
        while !t.is_char_boundary(end) { end -= 1; }
        let damaged = format!("{}{}{}", &t[..at], ins, &t[end..]);
        if let Err(e) = PackSet::load([("packs/000.toml", damaged.as_str())]) {
            // Every message is located in the file.
            for x in &e.0 {
                prop_assert!(x.line >= 1 && x.column >= 1);
                prop_assert!(x.to_string().starts_with("packs/000.toml:"));
            }
        }
    }
}
