//! The SM3 hash chain over events (DESIGN §5: every action 留痕, tamper-evident).
//!
//! `hash = SM3(prev_hash ‖ seq ‖ case_id ‖ case_version ‖ at ‖ actor ‖ role ‖ kind ‖ reason ‖ payload)`
//! with every variable-length field length-prefixed, so no two different events can encode to
//! the same bytes. The payload is hashed as the exact text stored, never re-serialised.

use sm3::{Digest, Sm3};

/// The `prev_hash` of the first event in a database.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of an event that the chain covers.
pub struct Link<'a> {
    /// The event's place in the whole chain.
    pub seq: i64,
    /// The case it belongs to.
    pub case_id: &'a str,
    /// Its number in the case, from 1.
    pub case_version: i64,
    /// When it was stored.
    pub at: &'a str,
    /// Who acted (person id).
    pub actor: &'a str,
    /// The role they acted in.
    pub role: &'a str,
    /// The event kind's id.
    pub kind: &'a str,
    /// The reason given with it, if any.
    pub reason: Option<&'a str>,
    /// The event's JSON.
    pub payload: &'a str,
}

fn field(h: &mut Sm3, s: &str) {
    h.update((s.len() as u64).to_be_bytes());
    h.update(s.as_bytes());
}

/// The hex SM3 hash of an event given the previous event's hash.
pub fn link_hash(prev_hash: &str, l: &Link<'_>) -> String {
    let mut h = Sm3::new();
    field(&mut h, prev_hash);
    h.update(l.seq.to_be_bytes());
    field(&mut h, l.case_id);
    h.update(l.case_version.to_be_bytes());
    field(&mut h, l.at);
    field(&mut h, l.actor);
    field(&mut h, l.role);
    field(&mut h, l.kind);
    match l.reason {
        Some(r) => {
            h.update([1u8]);
            field(&mut h, r);
        }
        None => h.update([0u8]),
    }
    field(&mut h, l.payload);
    hex::encode(h.finalize())
}

/// The hex SM3 digest of a byte string (evidence files).
pub fn sm3_hex(bytes: &[u8]) -> String {
    hex::encode(Sm3::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sm3_matches_the_standard_test_vector() {
        // GM/T 0004-2012, example 1: SM3("abc").
        assert_eq!(
            sm3_hex(b"abc"),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
    }

    #[test]
    fn every_field_changes_the_hash() {
        let base = Link {
            seq: 1,
            case_id: "c1",
            case_version: 1,
            at: "2024-01-01T00:00:00Z",
            actor: "p1",
            role: "office",
            kind: "filed",
            reason: None,
            payload: "{}",
        };
        let h = link_hash(GENESIS, &base);
        let variants = [
            link_hash("1", &base),
            link_hash(GENESIS, &Link { seq: 2, ..base }),
            link_hash(
                GENESIS,
                &Link {
                    case_id: "c2",
                    ..base
                },
            ),
            link_hash(
                GENESIS,
                &Link {
                    case_version: 2,
                    ..base
                },
            ),
            link_hash(
                GENESIS,
                &Link {
                    at: "2024-01-01T00:00:01Z",
                    ..base
                },
            ),
            link_hash(
                GENESIS,
                &Link {
                    actor: "p2",
                    ..base
                },
            ),
            link_hash(
                GENESIS,
                &Link {
                    role: "officer",
                    ..base
                },
            ),
            link_hash(
                GENESIS,
                &Link {
                    kind: "accepted",
                    ..base
                },
            ),
            link_hash(
                GENESIS,
                &Link {
                    reason: Some(""),
                    ..base
                },
            ),
            link_hash(
                GENESIS,
                &Link {
                    payload: "{ }",
                    ..base
                },
            ),
        ];
        for v in variants {
            assert_ne!(v, h);
        }
        // Length prefixes: moving a character between adjacent fields changes the hash.
        let a = link_hash(
            GENESIS,
            &Link {
                actor: "ab",
                role: "c",
                ..base
            },
        );
        let b = link_hash(
            GENESIS,
            &Link {
                actor: "a",
                role: "bc",
                ..base
            },
        );
        assert_ne!(a, b);
    }
}
