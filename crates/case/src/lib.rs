//! lvzhi-case: what every process shares.
//!
//! - [`words`]: the glossary's shared nouns (DESIGN §2) — [`Role`], [`Actor`], [`By`], [`Org`],
//!   [`Sanction`], written notices ([`Document`]) and their seals ([`DocumentSeal`]). Their JSON
//!   is the recorded events' (the store hashes it): a renamed field is a broken record.
//! - [`process`]: the [`Process`] trait every case type implements, the context a command is
//!   decided in, and what a case shows (deadlines, action forms, summary, facts).
//! - [`regulation`]: the regulation whose procedure a case follows, as its notices cite it —
//!   title, bodies, and the articles of each step (issue 20).
//!
//! Pure: no I/O, no clock.

#![warn(missing_docs)]

pub mod process;
pub mod regulation;
pub mod words;

pub use process::{
    ActionSpec, Ctx, Event, Fact, Field, FieldKind, OpenDeadline, Periods, ProcedureStep, Process,
    ProcessError, Refusal, Rules, Summary,
};
pub use regulation::{article_zh, notice, numeral, Ground, Regulation};
pub use words::*;
