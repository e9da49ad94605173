//! The notices of the 维权 incident (001 §17).

use super::NoticeKind;

/// The vocabulary of its notices (see [`super::APPLICATION`] for the shape).
pub const INCIDENT: &[NoticeKind] = &[];
