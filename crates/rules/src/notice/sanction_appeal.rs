//! The notices of the heavy-sanction appeal (001 §27, §28).

use super::NoticeKind;

/// The vocabulary of its notices (see [`super::APPLICATION`] for the shape).
pub const SANCTION_APPEAL: &[NoticeKind] = &[];
