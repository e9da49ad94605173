//! The notices of 澄清正名 and the feedback on a complaint (001 §29, 002 §18, §19).

use super::NoticeKind;

/// The vocabulary of its notices (see [`super::APPLICATION`] for the shape).
pub const NAME_CLEARING: &[NoticeKind] = &[];
