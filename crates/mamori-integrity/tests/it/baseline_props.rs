//! Property tests: any baseline survives signing, writing and reading unchanged; any
//! change to its bytes is refused.

use mamori_integrity::baseline::BASELINE_VERSION;
use mamori_integrity::seal::SigningKey;
use mamori_integrity::{Baseline, Config, Entry, EntryKind, HistoryRecord, PathBytes};
use proptest::prelude::*;
use std::collections::BTreeMap;

fn kind() -> impl Strategy<Value = EntryKind> {
    prop_oneof![
        Just(EntryKind::File),
        Just(EntryKind::Dir),
        Just(EntryKind::Symlink),
        Just(EntryKind::Fifo),
        Just(EntryKind::Socket),
        Just(EntryKind::CharDevice),
        Just(EntryKind::BlockDevice),
    ]
}

fn path() -> impl Strategy<Value = PathBytes> {
    prop::collection::vec(any::<u8>(), 1..40).prop_map(|mut b| {
        b.insert(0, b'/');
        PathBytes::from_bytes(b)
    })
}

prop_compose! {
    fn entry()(
        path in path(), kind in kind(), size in any::<u64>(), mode in 0u32..0o7777,
        uid in any::<u32>(), gid in any::<u32>(), mtime_ns in any::<i64>(), ctime_ns in any::<i64>(),
        inode in any::<u64>(), dev in any::<u64>(), nlink in any::<u64>(),
        target in prop::option::of(path()),
        xattrs in prop::option::of(prop::collection::btree_map("[a-z.]{1,12}", "[0-9a-f]{0,16}", 0..3)),
        hash in prop::option::of("[0-9a-f]{64}"),
    ) -> Entry {
        Entry { path, kind, size, mode, uid, gid, mtime_ns, ctime_ns, inode, dev, nlink, target,
                xattrs: xattrs.map(|m: BTreeMap<String, String>| m), hash, prefix_hash: None }
    }
}

prop_compose! {
    fn baseline()(
        entries in prop::collection::vec(entry(), 0..20),
        host in "\\PC{0,20}",
        reason in prop::option::of("\\PC{0,40}"),
        roots in prop::collection::vec(path(), 1..3),
    ) -> Baseline {
        Baseline {
            version: BASELINE_VERSION,
            tool: "mamori-integrity test".into(),
            host,
            created_at: "2026-11-25T09:00:00Z".into(),
            updated_at: "2026-11-25T09:00:00Z".into(),
            roots,
            config: Config::builtin(),
            entries,
            history: vec![HistoryRecord { action: "accept".into(), at: "2026-11-25T09:00:00Z".into(),
                who: "t".into(), reason, paths: vec![] }],
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn signed_baseline_round_trips(b in baseline()) {
        let key = SigningKey::from_bytes(&[3; 32]);
        let bytes = b.to_signed_bytes(&key);
        let back = Baseline::from_signed_bytes(&bytes, "p".as_ref(), Some(&key.verifying_key())).unwrap();
        prop_assert_eq!(back.baseline, b);
    }

    #[test]
    fn any_single_bit_flip_is_refused(b in baseline(), at in any::<prop::sample::Index>(), bit in 0u8..8) {
        let key = SigningKey::from_bytes(&[3; 32]);
        let mut bytes = b.to_signed_bytes(&key);
        let i = at.index(bytes.len() - 1); // the trailing newline is not signed content
        bytes[i] ^= 1 << bit;
        prop_assert!(Baseline::from_signed_bytes(&bytes, "p".as_ref(), Some(&key.verifying_key())).is_err());
    }
}
