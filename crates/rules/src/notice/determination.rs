//! The notices of the 容错免责认定 of a 国动办 or a prison (002 §13, 003 §13).

use super::NoticeKind;

/// The vocabulary of its notices (see [`super::APPLICATION`] for the shape).
pub const DETERMINATION: &[NoticeKind] = &[];
