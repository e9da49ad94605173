//! The notices of the 执法过错 case (004 §16, §18, §26, §27).

use super::NoticeKind;

/// The vocabulary of its notices (see [`super::APPLICATION`] for the shape).
pub const ENFORCEMENT_FAULT: &[NoticeKind] = &[];
