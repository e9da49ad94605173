//! The notices of 纠错整改 and the 易错风险 warning (000 §31, §32; 002 §15–17; 003 §10, §11).

use super::NoticeKind;

/// The vocabulary of its notices (see [`super::APPLICATION`] for the shape).
pub const RECTIFICATION: &[NoticeKind] = &[];
