//! What the processes' tests share: a case driven command by command ([`Case`]), and the
//! properties every process keeps, checked by one driver over each process's own generators
//! ([`Driven`]): the actions offered to an actor are exactly those it accepts from them, and
//! replaying the recorded events, read back from their JSON as the store reads them, gives the
//! state reached step by step.

use chrono::NaiveDate;
use proptest::prelude::*;

use crate::{Actor, Ctx, Document, Event, Periods, Process, ProcessError};

/// The shipped packs (`packs/*.toml`).
pub(crate) fn shipped() -> &'static lvzhi_rules::PackSet {
    static SET: std::sync::LazyLock<lvzhi_rules::PackSet> = std::sync::LazyLock::new(|| {
        let files: Vec<(String, &str)> = crate::notices::SHIPPED
            .iter()
            .map(|(id, text)| (format!("{id}.toml"), *text))
            .collect();
        lvzhi_rules::PackSet::load(files.iter().map(|(f, t)| (f.as_str(), *t)))
            .unwrap_or_else(|e| panic!("the shipped packs do not load: {e}"))
    });
    &SET
}

/// The periods of a shipped pack (`packs/ID.toml`), as the service gives a process of that pack.
pub(crate) fn periods(pack: &str) -> &'static Periods {
    static ALL: std::sync::LazyLock<std::collections::BTreeMap<String, Periods>> =
        std::sync::LazyLock::new(|| {
            shipped()
                .packs()
                .map(|p| (p.meta.id.clone(), Periods::new(p.period_map())))
                .collect()
        });
    ALL.get(pack).unwrap_or_else(|| Periods::none())
}

/// A shipped pack as the procedure a case follows (its title, bodies and procedure articles),
/// as the service gives a process of that pack.
pub(crate) fn regulation(pack: &str) -> crate::Regulation {
    let p = shipped()
        .pack(pack)
        .unwrap_or_else(|e| panic!("pack {pack} is not shipped: {e}"));
    crate::regulation_of(p)
}

/// A shipped pack's periods that remember every id a case looks up ([`Periods::recording`]).
pub(crate) fn recording(pack: &str) -> Periods {
    Periods::recording(periods(pack).0.clone())
}

/// Asserts that a case read from `periods` exactly the periods its process declares
/// (`Process::PERIODS`, what `lvzhi policy coverage` counts as periods in use).
pub(crate) fn assert_reads_declared<P: Process>(periods: &Periods) {
    let declared: std::collections::BTreeSet<String> =
        P::PERIODS.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        periods.reads(),
        declared,
        "{}: the periods read differ from those declared in Process::PERIODS",
        P::KIND
    );
}

/// Every shipped pack's periods together (their ids do not collide).
fn all_periods() -> &'static Periods {
    static ALL: std::sync::LazyLock<Periods> = std::sync::LazyLock::new(|| {
        let mut map = std::collections::BTreeMap::new();
        for pack in ["000", "001", "002", "003", "004"] {
            map.extend(periods(pack).0.clone());
        }
        Periods::new(map)
    });
    &ALL
}

/// A context for asking a case what may be done and what is due (the calendar and every
/// shipped pack's periods), without a directory.
pub(crate) fn any_ctx() -> Ctx<'static> {
    static CAL: std::sync::LazyLock<lvzhi_calendar::Calendar> =
        std::sync::LazyLock::new(lvzhi_calendar::Calendar::embedded);
    Ctx::new(day("2026-01-05"), &CAL, all_periods())
}

/// A day written `YYYY-MM-DD` (tests only).
pub(crate) fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// A process as its tests drive it: the world of a decision, who may act, and a command for
/// each action that should be accepted whenever the action is offered.
pub(crate) trait Driven: Process<State: PartialEq> {
    /// Every action of the process, as (id, Chinese label): what each actor is probed with.
    const ACTIONS: &'static [(&'static str, &'static str)];

    /// The context of a decision on `today` (organisations, names, packs as the tests have them).
    fn ctx(today: NaiveDate) -> Ctx<'static>;

    /// The context the pages ask a case what may be done in (no directory lookups): every
    /// shipped pack's periods; a process whose steps depend on the governing regulation adds it.
    fn view_ctx() -> Ctx<'static> {
        any_ctx()
    }

    /// Everyone who may try to act, in and out of the case's organisations.
    fn actors() -> Vec<Actor>;

    /// A command for `action` by `actor` in `state`, varied by `pick`; `None` when the state
    /// gives nothing to act on.
    fn sample(
        state: &Self::State,
        action: &str,
        actor: &Actor,
        pick: usize,
        today: NaiveDate,
    ) -> Option<Self::Command>;

    /// The state's version: the number of events applied.
    fn version(state: &Self::State) -> u64;
}

/// A case with its events, driven step by step.
pub(crate) struct Case<P: Process> {
    pub state: P::State,
    pub events: Vec<Event<P::Kind>>,
}

impl<P: Process> Default for Case<P> {
    fn default() -> Self {
        Case {
            state: P::State::default(),
            events: Vec::new(),
        }
    }
}

impl<P: Process> Clone for Case<P> {
    fn clone(&self) -> Self {
        Case {
            state: self.state.clone(),
            events: self.events.clone(),
        }
    }
}

impl<P: Driven> Case<P> {
    /// Decides `cmd` on the day `on` (`YYYY-MM-DD`) and applies its events.
    pub(crate) fn try_run(
        &mut self,
        cmd: P::Command,
        actor: &Actor,
        on: &str,
    ) -> Result<(), ProcessError> {
        self.try_run_in(cmd, actor, &P::ctx(day(on)))
    }

    pub(crate) fn try_run_in(
        &mut self,
        cmd: P::Command,
        actor: &Actor,
        c: &Ctx<'_>,
    ) -> Result<(), ProcessError> {
        for e in P::decide(&self.state, &cmd, actor, c)? {
            self.state = P::apply(self.state.clone(), &e);
            self.events.push(e);
        }
        Ok(())
    }

    /// [`Case::try_run`], panicking with the refusal.
    pub(crate) fn run(&mut self, cmd: P::Command, actor: &Actor, on: &str) {
        if let Err(e) = self.try_run(cmd.clone(), actor, on) {
            panic!("{cmd:?} refused: {e}");
        }
    }

    /// The refusal of `cmd`, asserting that it changed nothing.
    pub(crate) fn refused(&mut self, cmd: P::Command, actor: &Actor, on: &str) -> ProcessError {
        let before = self.state.clone();
        match self.try_run(cmd.clone(), actor, on) {
            Ok(()) => panic!("{cmd:?} accepted"),
            Err(e) => {
                assert_eq!(self.state, before, "a refusal changes nothing");
                e
            }
        }
    }

    pub(crate) fn docs(&self) -> Vec<Document> {
        P::documents(&self.events)
    }
}

/// Drives a case from `start` by the actions offered to random actors, so that it reaches the
/// later stages, and at each step (choice, pick, days to advance):
/// - probes every actor with every action: offered iff the sample command is accepted;
/// - takes one offered action (the `choice`-th of all actors' offers) with its sample command,
///   which must be accepted, and records its events through [`check_replay`].
pub(crate) fn check_offered_equals_accepted<P: Driven>(
    start: NaiveDate,
    steps: &[(usize, usize, u64)],
) -> Result<(), TestCaseError> {
    let mut c = Case::<P>::default();
    let mut today = start;
    let everyone = P::actors();
    // Every period the walk looks up in the case's context is one the process declares.
    let read = recording(P::PACK);
    for &(choice, pick, advance) in steps {
        today = today + chrono::Days::new(advance);
        let cx = Ctx {
            periods: &read,
            ..P::ctx(today)
        };
        let _ = P::deadlines(&c.state, &cx.rules());
        let _ = P::due_events(&c.state, &cx);
        for actor in &everyone {
            let offered = P::actions(&c.state, actor, &P::view_ctx());
            for (id, _) in P::ACTIONS {
                let Some(cmd) = P::sample(&c.state, id, actor, pick, today) else {
                    continue;
                };
                let result = P::decide(&c.state, &cmd, actor, &cx);
                if offered.iter().any(|a| a.id == *id) {
                    prop_assert!(
                        result.is_ok(),
                        "{id} offered to {actor:?} but refused: {:?}",
                        result.err()
                    );
                } else {
                    prop_assert!(
                        result.is_err(),
                        "{id} not offered to {actor:?} but accepted"
                    );
                }
            }
        }
        let pairs: Vec<(&Actor, String)> = everyone
            .iter()
            .flat_map(|a| {
                P::actions(&c.state, a, &P::view_ctx())
                    .into_iter()
                    .map(move |s| (a, s.id))
            })
            .collect();
        if pairs.is_empty() {
            continue;
        }
        let (actor, id) = &pairs[choice % pairs.len()];
        let Some(cmd) = P::sample(&c.state, id, actor, pick, today) else {
            return Err(TestCaseError::fail(format!(
                "no sample command for offered {id}"
            )));
        };
        let events = P::decide(&c.state, &cmd, actor, &cx);
        prop_assert!(
            events.is_ok(),
            "{id} offered to {actor:?} but refused: {:?}",
            events.err()
        );
        check_replay(&mut c, events.unwrap_or_default())?;
    }
    let undeclared: Vec<String> = read
        .reads()
        .into_iter()
        .filter(|id| !P::PERIODS.contains(&id.as_str()))
        .collect();
    prop_assert!(
        undeclared.is_empty(),
        "{} reads periods it does not declare in Process::PERIODS: {undeclared:?}",
        P::KIND
    );
    Ok(())
}

/// Records `events` on the case as the store gives them back (each read from its JSON), then
/// checks that replaying the whole record equals the state reached incrementally, that the
/// version counts the events, and that the stage reached is one the lists know.
pub(crate) fn check_replay<P: Driven>(
    c: &mut Case<P>,
    events: Vec<Event<P::Kind>>,
) -> Result<(), TestCaseError> {
    for e in events {
        let json = serde_json::to_string(&e).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back: Event<P::Kind> =
            serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("{e}: {json}")))?;
        c.state = P::apply(c.state.clone(), &back);
        c.events.push(back);
    }
    for doc in c.docs() {
        prop_assert!(
            lvzhi_case::doubled_phrase(&doc.text).is_none(),
            "{} says {:?} twice: {}",
            doc.title,
            lvzhi_case::doubled_phrase(&doc.text),
            doc.text
        );
    }
    prop_assert_eq!(&P::replay(&c.events), &c.state);
    prop_assert_eq!(P::version(&c.state) as usize, c.events.len());
    let stage = P::summary(&c.state).stage;
    prop_assert!(P::stages().iter().any(|(id, _)| *id == stage), "{stage}");
    Ok(())
}
