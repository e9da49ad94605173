//! lvzhi-rules: regulations as data (policy packs) and the explaining evaluation engine.
//!
//! Pure logic, no I/O: the caller hands in pack texts with the file names errors should cite
//! (docs/policy-packs.md is the format contract). Packs are parsed with spans
//! ([`parse_pack`]), linked into a [`PackSet`] (cross-pack `pack(...)` atoms and `[[xref]]`
//! resolved; any error anywhere and nothing loads), compiled into a [`Program`] per pack, and
//! evaluated in Kleene three-valued logic: unknown facts give `undetermined` exactly when some
//! answer could still change the decision, and `questions` lists exactly those facts.
//!
//! Nothing article-specific lives here: which facts excuse, exclude or aggravate, and what
//! defeats what, is in the packs.

mod alloc;
mod check;
mod compiled;
pub mod cond;
mod coverage;
mod error;
mod fidelity;
mod judge;
pub mod notice;
mod pack;
mod program;
mod set;

pub use alloc::{AllocQuestion, AllocationResult, Person, PersonShare};
pub use check::{analyse, xref_findings, Finding, Level};
pub use coverage::{CoverageRow, InUse, Use};
pub use error::{distance, hint, nearest, InputError, PackError, PackErrors};
pub use judge::{
    article_words, article_zh, citation_words, fact_key, key_zh, numeral, split_key, title_zh,
    Answer, Ground, Judgement, OpenQuestion, PackResult, Standing,
};
pub use pack::{
    article_within, parse_pack, split_citation, Allocation, Article, ArticleKind, Assertion,
    Bodies, Example, Expect, Fact, FactType, Leniency, Meta, Modality, Outcome, Pack, PeriodDef,
    Precedence, Procedure, Role, Rule, RuleKind, Share, Situation, Value, Xref,
};
pub use program::{
    Defeat, Evaluation, FactDef, Floor, Key, Program, Question, SituationDef, Tri, COMPONENT_CAP,
    MAX_RULES,
};
pub use set::{
    typed, Decision, ExampleResult, Input, Interview, PackSet, SituationOption, SituationQuestion,
};
