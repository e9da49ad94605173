//! Seals of process notices (issue 6 for the issue-7 processes): the archived PDF's SM3 recorded
//! as a `document_sealed` event in the case's log, beside the process's own events, exactly as
//! for the 000 application. Shown on a 维权 incident whose 001 §17 escalation issues reports.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::NaiveDate;
use lvzhi_calendar::Calendar;
use lvzhi_processes::registry::{describe_seal, DOCUMENT_SEALED};
use lvzhi_processes::{by_kind, Actor, AnyCase, By, Ctx, DocumentSeal, Org, Role};
use serde_json::json;

static CAL: LazyLock<Calendar> = LazyLock::new(Calendar::embedded);

/// The pack whose procedure the cases here follow.
const PACK: &str = "001";

fn regulation() -> lvzhi_processes::Regulation {
    common::regulation(PACK)
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn ctx() -> Ctx<'static> {
    let mut c = Ctx::new(day("2026-03-02"), &CAL, &common::PERIODS).under(regulation());
    c.org_chain = [
        ("alszq-gaj", "阿拉善左旗公安局"),
        ("als-gaj", "阿拉善盟公安局"),
        ("nmg-gat", "内蒙古自治区公安厅"),
    ]
    .into_iter()
    .map(|(id, name)| Org {
        id: id.into(),
        name: name.into(),
    })
    .collect();
    c.names = BTreeMap::from([
        ("p-bateer".to_string(), "巴特尔".to_string()),
        ("alszq-bhht".to_string(), "巴彦浩特派出所".to_string()),
        ("alszq-gaj".to_string(), "阿拉善左旗公安局".to_string()),
    ]);
    c
}

/// A casualty incident reported by the officer: 001 §17 makes the system report it to the 盟,
/// which forwards it to the 厅 (逐级), each report a written notice.
fn escalated() -> (Box<dyn AnyCase>, Vec<String>) {
    let mut case = by_kind("incident").unwrap().new_case();
    let c = ctx();
    let officer = Actor::new("p-bateer", &[Role::Officer], "alszq-bhht");
    let mut events = case
        .execute(
            &json!({
                "action": "incident_report",
                "source": "officer",
                "officer": "p-bateer",
                "unit": "alszq-bhht",
                "org": "alszq-gaj",
                "incident_type": "violent_attack",
                "occurred_on": "2026-03-02",
                "place": "巴彦浩特镇团结路",
                "description": "民警巴特尔处置纠纷时被当事人持械袭击，头部受伤",
                "victims": [{ "name": "巴特尔", "kind": "officer", "harm": "头部轻伤" }],
                "casualties": true,
            }),
            &officer,
            &c,
        )
        .unwrap();
    while let Some(more) = case.follow_up(&c).unwrap() {
        events.extend(more);
    }
    let meng = Actor::new("p-office-meng", &[Role::Office], "als-gaj");
    events.extend(
        case.execute(
            &json!({ "action": "incident_forward", "view": "建议督办" }),
            &meng,
            &c,
        )
        .unwrap(),
    );
    let payloads = events.iter().map(|e| e.payload.to_string()).collect();
    (case, payloads)
}

fn seal_of(case: &dyn AnyCase, n: usize, hex: &str) -> DocumentSeal {
    DocumentSeal {
        document: n,
        title: case.documents()[n - 1].title.clone(),
        sm3: hex.repeat(32),
        bytes: 40_000,
        pages: 2,
        fonts: vec!["Noto Serif CJK SC".into()],
    }
}

#[test]
fn a_process_notice_is_sealed_once_by_number_and_title_and_replays_with_its_case() {
    let (mut case, mut payloads) = escalated();
    let issued = case.documents();
    assert!(issued.len() >= 2, "the §17 reports are notices: {issued:?}");
    let before = case.len();
    let by = By {
        person_id: "p-office".into(),
        role: Role::Office,
    };

    let seal = seal_of(&*case, 2, "ab");
    let e = case
        .seal(day("2026-03-02"), by.clone(), seal.clone())
        .unwrap();
    assert_eq!(e.kind_id, DOCUMENT_SEALED);
    assert_eq!(e.payload["kind"]["type"], "document_sealed");
    assert_eq!(e.payload["kind"]["sm3"], seal.sm3);
    assert_eq!(e.description, format!("文书定稿（{}）", seal.title));
    assert_eq!(case.len(), before + 1, "a seal is a recorded event");
    payloads.push(e.payload.to_string());

    // Refused, and nothing recorded: a second seal of the same notice, a notice not issued, a
    // title that is not the notice's, a digest that is not one.
    let state = case.state_json();
    for bad in [
        seal_of(&*case, 2, "cd"),
        DocumentSeal {
            document: issued.len() + 1,
            ..seal_of(&*case, 1, "cd")
        },
        DocumentSeal {
            document: 0,
            ..seal_of(&*case, 1, "cd")
        },
        DocumentSeal {
            title: "另一份文书".into(),
            ..seal_of(&*case, 1, "cd")
        },
        DocumentSeal {
            sm3: "0A".repeat(32),
            ..seal_of(&*case, 1, "cd")
        },
    ] {
        let n = bad.document;
        let err = case.seal(day("2026-03-02"), by.clone(), bad).unwrap_err();
        assert!(err.message.contains("不能定稿"), "{n}: {err}");
    }
    assert_eq!(case.len(), before + 1);
    assert_eq!(
        case.state_json(),
        state,
        "a seal changes nothing in the procedure"
    );

    // The next notice sealed after a later event: the timeline keeps the log's order.
    let e1 = case
        .seal(day("2026-03-03"), by.clone(), seal_of(&*case, 1, "ef"))
        .unwrap();
    payloads.push(e1.payload.to_string());
    let timeline = case.timeline();
    assert_eq!(timeline.len(), case.len());
    assert_eq!(timeline[before].1, describe_seal(&seal));
    assert_eq!(timeline[before + 1].0, day("2026-03-03"));

    // Replayed from the stored payloads: the same state, seals in their places, same timeline.
    let refs: Vec<&str> = payloads.iter().map(String::as_str).collect();
    let replayed = by_kind("incident").unwrap().replay(&refs).unwrap();
    assert_eq!(replayed.len(), case.len());
    assert_eq!(replayed.state_json(), case.state_json());
    assert_eq!(replayed.timeline(), timeline);
    assert_eq!(replayed.seals(), case.seals());
    assert_eq!(replayed.seals()[0].at, before);
    assert_eq!(replayed.seals()[1].seal.document, 1);
}

#[test]
fn a_payload_that_is_neither_an_event_of_the_process_nor_a_seal_is_reported() {
    let (_, mut payloads) = escalated();
    payloads.push(json!({ "on": "2026-03-02", "by": { "person_id": "x", "role": "office" }, "kind": { "type": "document_sealed" } }).to_string());
    let refs: Vec<&str> = payloads.iter().map(String::as_str).collect();
    let err = by_kind("incident")
        .unwrap()
        .replay(&refs)
        .err()
        .expect("an incomplete seal does not replay");
    assert_eq!(err.index, payloads.len() - 1);
}
