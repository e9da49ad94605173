//! Properties of the rectification process (000 §31 ¶2, 002 §15–17) over random sequences of
//! steps by random people: replaying the recorded events gives the state built step by step;
//! every action offered to a person is accepted from them with honest content; every command
//! accepted from a person had been offered to them; recorded events read back from their JSON.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::{Days, NaiveDate};
use lvzhi_calendar::Calendar;
use lvzhi_processes::rectification::{Command, EventKind, Rectification, State};
use lvzhi_processes::{Actor, Ctx, Event, Org, Process, Role};
use proptest::prelude::*;

static CAL: LazyLock<Calendar> = LazyLock::new(Calendar::embedded);

/// The pack whose procedure the cases here follow.
const PACK: &str = "000";

fn regulation() -> lvzhi_processes::Regulation {
    common::regulation(PACK)
}

fn any_ctx() -> Ctx<'static> {
    Ctx::new(
        NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
        &CAL,
        &common::PERIODS,
    )
}

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

fn plus(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_add_days(Days::new(n)).unwrap()
}

/// The context as the service builds it: the chain from the organisation the case is handled
/// at, or for a case not yet opened from the actor's.
fn ctx(
    today: NaiveDate,
    s: &State,
    actor: &Actor,
    recurrence: &BTreeMap<String, Vec<String>>,
) -> Ctx<'static> {
    let mut c = Ctx::new(today, &CAL, &common::PERIODS).under(regulation());
    c.names = BTreeMap::from([
        ("p-zhang".to_string(), "张伟".to_string()),
        ("p-li".to_string(), "李强".to_string()),
        ("bayan".to_string(), "巴彦浩特派出所".to_string()),
    ]);
    let anchor = s
        .office
        .as_ref()
        .map_or(actor.org_id.as_str(), |o| o.id.as_str());
    let name = match anchor {
        "zuoqi" => "阿拉善左旗公安局",
        "ejina" => "额济纳旗公安局",
        _ => "巴彦浩特派出所",
    };
    c.org_chain = vec![Org {
        id: anchor.into(),
        name: name.into(),
    }];
    // 阿拉善左旗 is under 阿拉善盟, whose office follows up and refers (000 §31 ¶2, 002 §17).
    if anchor == "zuoqi" {
        c.org_chain.push(Org {
            id: "meng".into(),
            name: "阿拉善盟公安局".into(),
        });
    }
    c.recurrence = recurrence.clone();
    c
}

/// Everyone who might try something: the office, 主任, 副主任, the officer, their unit, another
/// officer, another organisation's office, the office above, and the officer also holding an
/// office grant.
fn actors() -> Vec<Actor> {
    vec![
        Actor::new("p-office", &[Role::Office], "zuoqi"),
        Actor::new("p-director", &[Role::Director], "zuoqi"),
        Actor::new("p-deputy", &[Role::DeputyDirector], "zuoqi"),
        Actor::new("p-zhang", &[Role::Officer], "bayan"),
        Actor::new("p-unit", &[Role::Unit], "bayan"),
        Actor::new("p-li", &[Role::Officer], "bayan"),
        Actor::new("p-far", &[Role::Office], "ejina"),
        Actor::new("p-meng", &[Role::Office], "meng"),
        Actor::new("p-zhang", &[Role::Officer, Role::Office], "zuoqi"),
    ]
}

/// An honest command from `actor` for an action id on `s` today (`variant` picks between
/// honest contents). Nobody opens a rectification about themself.
fn sample(id: &str, s: &State, today: NaiveDate, variant: u8, actor: &Actor) -> Command {
    let later = |n| plus(s.due.unwrap_or(today).max(today), n);
    match id {
        "rectification_open" => Command::OpenRectification {
            officer: if actor.person_id == "p-zhang" {
                "p-li".into()
            } else {
                "p-zhang".into()
            },
            unit: "bayan".into(),
            source_case: (variant % 2 == 0).then(|| "A2026-000001".into()),
            category: "evidence".into(),
            category_detail: None,
            occurred_on: today,
            cause: "证据固定不规范".into(),
            items: vec!["补正笔录".into()],
            requirements: "按规定补正".into(),
            methods: vec!["circular".into()],
            due: plus(today, 20),
        },
        "rectification_request_extension" => Command::RequestExtension {
            requested_due: later(10),
            reasons: "特殊情况".into(),
        },
        "rectification_decide_extension" => {
            if variant % 2 == 0 {
                Command::DecideExtension {
                    granted: true,
                    new_due: Some(later(7)),
                    reasons: "同意".into(),
                }
            } else {
                Command::DecideExtension {
                    granted: false,
                    new_due: None,
                    reasons: "不同意".into(),
                }
            }
        }
        "rectification_record_follow_up" => Command::RecordFollowUp {
            method: "phone".into(),
            findings: "了解情况".into(),
        },
        "rectification_report_completion" => Command::ReportCompletion {
            summary: "已完成".into(),
        },
        "rectification_verify" => Command::VerifyCompletion {
            findings: "整改到位".into(),
        },
        "rectification_return" => Command::ReturnRectification {
            reasons: "尚未完成".into(),
            new_due: plus(today, 10),
        },
        "rectification_refer_accountability" => Command::ReferAccountability {
            ground: "ineffective".into(),
            description: "整改效果不明显".into(),
        },
        _ => Command::CheckRecurrence,
    }
}

/// Sometimes a careless command: empty text, a date in the past.
fn careless(id: &str, s: &State, today: NaiveDate, variant: u8, actor: &Actor) -> Command {
    match sample(id, s, today, variant, actor) {
        Command::RequestExtension { requested_due, .. } => Command::RequestExtension {
            requested_due,
            reasons: " ".into(),
        },
        Command::ReturnRectification { reasons, .. } => Command::ReturnRectification {
            reasons,
            new_due: today,
        },
        Command::ReportCompletion { .. } => Command::ReportCompletion {
            summary: String::new(),
        },
        c => c,
    }
}

const IDS: &[&str] = &[
    "rectification_open",
    "rectification_request_extension",
    "rectification_decide_extension",
    "rectification_record_follow_up",
    "rectification_report_completion",
    "rectification_verify",
    "rectification_return",
    "rectification_refer_accountability",
    "rectification_check_recurrence",
];

fn round_trip(e: &Event<EventKind>) -> Event<EventKind> {
    let json = serde_json::to_string(e).unwrap();
    serde_json::from_str(&json).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn rectification_replay_equals_incremental_and_actions_match_decide(
        steps in prop::collection::vec((0u64..6, 0usize..8, 0usize..9, any::<u8>(), any::<bool>()), 1..40),
        earlier_officer in 0usize..3,
        earlier_unit in 0usize..4,
    ) {
        let people = actors();
        let mut recurrence = BTreeMap::new();
        recurrence.insert(
            "officer:p-zhang|category:evidence".to_string(),
            (0..earlier_officer).map(|i| format!("J2025-{i:06}")).collect::<Vec<_>>(),
        );
        recurrence.insert(
            "unit:bayan|category:evidence|year:2026".to_string(),
            (0..earlier_unit).map(|i| format!("J2026-{i:06}")).collect::<Vec<_>>(),
        );
        let mut today = start();
        let mut state = State::default();
        let mut events: Vec<Event<EventKind>> = Vec::new();
        for (advance, who, what, variant, honest) in steps {
            today = plus(today, advance);
            let system = Actor::new("system", &[Role::System], "zuoqi");
            let cx = ctx(today, &state, &system, &recurrence);
            // As the service does: fire what is due, then the follow-ups.
            for e in Rectification::due_events(&state, &cx) {
                state = Rectification::apply(state, &e);
                events.push(e);
            }
            prop_assert!(Rectification::due_events(&state, &cx).is_empty());
            // Every action offered to anyone is accepted from them with honest content.
            for a in &people {
                for spec in Rectification::actions(&state, a, &any_ctx()) {
                    let c = sample(&spec.id, &state, today, variant, a);
                    prop_assert_eq!(Rectification::action_id(&c), spec.id.as_str());
                    let r = Rectification::decide(&state, &c, a, &ctx(today, &state, a, &recurrence));
                    prop_assert!(r.is_ok(), "{} offered to {:?} but refused: {:?}", spec.id, a, r.err());
                    prop_assert!(spec.role == Role::System || a.has(spec.role));
                }
            }
            let actor = &people[who];
            let id = IDS[what];
            let c = if honest { sample(id, &state, today, variant, actor) } else { careless(id, &state, today, variant, actor) };
            let offered: Vec<String> = Rectification::actions(&state, actor, &any_ctx()).into_iter().map(|s| s.id).collect();
            match Rectification::decide(&state, &c, actor, &ctx(today, &state, actor, &recurrence)) {
                Ok(new) => {
                    // Only the system's own check is never offered to a person.
                    prop_assert!(
                        offered.iter().any(|o| o == id) || actor.has(Role::System),
                        "{} accepted from {:?} without being offered", id, actor
                    );
                    for e in new {
                        state = Rectification::apply(state, &e);
                        events.push(e);
                    }
                }
                Err(e) => prop_assert!(!e.message.is_empty()),
            }
            let cx = ctx(today, &state, &system, &recurrence);
            while let Some(c) = Rectification::follow_up(&state, &cx) {
                let new = Rectification::decide(&state, &c, &system, &cx);
                prop_assert!(new.is_ok(), "follow-up refused: {:?}", new.err());
                for e in new.unwrap() {
                    state = Rectification::apply(state, &e);
                    events.push(e);
                }
            }
            prop_assert_eq!(state.version as usize, events.len());
            let replayed: Vec<Event<EventKind>> = events.iter().map(round_trip).collect();
            prop_assert_eq!(&replayed, &events);
            prop_assert_eq!(&Rectification::replay(&replayed), &state);
        }
        // The recurrence outcome follows the earlier cases given (000 §31, 002 §17).
        if state.recurrence.is_some() {
            prop_assert_eq!(
                state.referrals.iter().any(|r| r.ground == "recurrence"),
                earlier_officer > 0
                    && state.officer.as_ref().is_some_and(|o| o.person_id == "p-zhang")
            );
            prop_assert_eq!(state.risk_point.is_some(), earlier_unit >= 2);
        }
    }
}
