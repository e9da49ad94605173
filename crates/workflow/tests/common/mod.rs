//! Shared fixtures: the embedded calendar, the 000 periods as a pack would give them, the people
//! of one case at 阿拉善左旗公安局 (parent: 阿拉善盟公安局), and a driver that decides and applies.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::LazyLock;

use lvzhi_calendar::{Calendar, NaiveDate, Period};
use lvzhi_workflow::*;

pub(super) static CAL: LazyLock<Calendar> = LazyLock::new(Calendar::embedded);

/// The 000 pack's `[[period]]` entries (docs/policy-packs.md).
pub(super) fn pack_periods() -> BTreeMap<String, Period> {
    [
        ("acceptance", "7wd"),
        ("opinion", "30wd"),
        ("extension_1", "15wd"),
        ("extension_2", "15wd"),
        ("reconsideration_apply", "10wd"),
        ("reconsideration_reply", "15wd"),
        ("re_review_apply", "10wd"),
        ("re_review_reply", "30wd"),
        ("publicity", "5d"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.parse().unwrap()))
    .collect()
}

pub(super) fn periods() -> ProcedurePeriods {
    ProcedurePeriods::from_map(&pack_periods()).unwrap()
}

/// 000 as its pack names it: the title, the short name and the 维权委 of 000 §10.
pub(crate) fn reg() -> documents::Regulation {
    let mut reg = documents::Regulation::of_pack(PackRef {
        pack: "000".into(),
        version: "2024-04-28".into(),
        title: "阿拉善盟公安机关民警依法履职免责和容错纠错工作实施细则".into(),
        short_title: "实施细则".into(),
        bodies: Bodies::default(),
    });
    // The procedure a notice cites by its pack's articles rather than 000's in Rust (000 §28).
    reg.steps
        .insert("public_statement".into(), vec!["§28".into()]);
    reg.steps
        .insert("accountability".into(), vec!["§37".into()]);
    reg.steps
        .insert("concurrent_review".into(), vec!["§6".into()]);
    reg.steps
        .insert("on_scene_report".into(), vec!["§11".into(), "§11¶2".into()]);
    reg
}

pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub(super) const UNIT: &str = "org-bayan";
pub(super) const QI: &str = "org-zuoqi";
pub(super) const MENG: &str = "org-meng";
pub(super) const DEPT: &str = "org-ducha";

pub(super) fn officer() -> Actor {
    Actor::new("p-zhang", &[Role::Officer], UNIT)
}
pub(super) fn other_officer() -> Actor {
    Actor::new("p-li", &[Role::Officer], UNIT)
}
pub(super) fn unit() -> Actor {
    Actor::new("u-bayan", &[Role::Unit], UNIT)
}
pub(super) fn office() -> Actor {
    Actor::new("o-wang", &[Role::Office], QI)
}
pub(super) fn foreign_office() -> Actor {
    Actor::new("o-zhao", &[Role::Office], "org-youqi")
}
pub(super) fn director() -> Actor {
    Actor::new("d-liu", &[Role::Director, Role::CommitteeMember], QI)
}
pub(super) fn deputy() -> Actor {
    Actor::new(
        "dd-chen",
        &[Role::DeputyDirector, Role::CommitteeMember],
        QI,
    )
}
pub(super) fn parent_committee() -> Actor {
    Actor::new("pc-sun", &[Role::HigherCommittee], MENG)
}
pub(super) fn department() -> Actor {
    Actor::new("dept-zhou", &[Role::OriginalDepartment], DEPT)
}
pub(super) fn panel_member() -> Actor {
    Actor::new("pm-hu", &[Role::PanelMember], QI)
}
pub(super) fn admin() -> Actor {
    Actor::new("admin", &[Role::Administrator], QI)
}

pub(super) fn org(id: &str, name: &str) -> Org {
    Org {
        id: id.to_string(),
        name: name.to_string(),
    }
}

pub(crate) fn form() -> ApplicationForm {
    ApplicationForm {
        applicants: vec![Officer {
            person_id: "p-zhang".to_string(),
            name: "张伟".to_string(),
        }],
        applying_unit: org(UNIT, "阿拉善左旗公安局巴彦浩特派出所"),
        committee: org(QI, "阿拉善左旗公安局"),
        parent_committee: Some(org(MENG, "阿拉善盟公安局")),
        matter: "依法制止持刀伤人行为时致违法行为人受伤，被给予记过处分".to_string(),
        statement: None,
        accountability_decision: Some(AccountabilityDecision {
            department: org(DEPT, "阿拉善左旗公安局督察大队"),
            sanction: Sanction::Demerit,
            decided_on: d(2024, 7, 15),
            document_number: Some("左公督〔2024〕12号".to_string()),
        }),
        facts: BTreeMap::from([(
            "coercive_measure_lawful".to_string(),
            serde_json::Value::Bool(true),
        )]),
    }
}

pub(crate) fn exemption() -> Determination {
    Determination {
        outcome: Outcome::Exemption,
        modality: Modality::Shall,
        leniency: None,
        basis: "民警依法制止违法犯罪行为，所采取的措施未超出必要限度，事后及时送医救治".to_string(),
        articles: vec!["000 §7(一)".to_string()],
        original_decision_improper: true,
        departure_reasons: None,
    }
}

pub(super) fn panel() -> Vec<PanelMember> {
    vec![
        PanelMember {
            person_id: "pm-hu".to_string(),
            name: "胡明".to_string(),
            category: MemberCategory::Legal,
        },
        PanelMember {
            person_id: "pm-ma".to_string(),
            name: "马丽".to_string(),
            category: MemberCategory::Discipline,
        },
    ]
}

/// A case driven through `decide` and `try_apply`, keeping its events.
pub(super) struct Case {
    pub state: State,
    pub events: Vec<Event>,
}

impl Case {
    pub(super) fn new() -> Self {
        Case {
            state: State::default(),
            events: Vec::new(),
        }
    }

    /// Decides and, on success, appends; on refusal the state must be untouched.
    pub(super) fn act(
        &mut self,
        who: &Actor,
        cmd: Command,
        today: NaiveDate,
    ) -> Result<Vec<Event>, WorkflowError> {
        let before = self.state.clone();
        match decide(&self.state, &cmd, who, today, &CAL, &periods(), &reg()) {
            Ok(evs) => {
                for e in &evs {
                    self.state = try_apply(self.state.clone(), e).expect("decided events apply");
                    self.events.push(e.clone());
                }
                assert_eq!(self.state.version, self.events.len() as u64);
                assert_eq!(State::replay(&self.events), self.state);
                Ok(evs)
            }
            Err(e) => {
                assert_eq!(self.state, before);
                Err(e)
            }
        }
    }

    pub(super) fn ok(&mut self, who: &Actor, cmd: Command, today: NaiveDate) -> Vec<Event> {
        match self.act(who, cmd.clone(), today) {
            Ok(e) => e,
            Err(e) => panic!("{cmd:?} refused on {today}: {e}"),
        }
    }

    pub(super) fn refused(&mut self, who: &Actor, cmd: Command, today: NaiveDate) -> String {
        match self.act(who, cmd.clone(), today) {
            Ok(e) => panic!("{cmd:?} accepted on {today}: {e:?}"),
            Err(e) => e.to_string(),
        }
    }

    /// Runs the scheduler once for `today`.
    pub(super) fn tick(&mut self, today: NaiveDate) -> usize {
        let evs = due_events(&self.state, today, &CAL, &periods(), &reg()).unwrap();
        for e in &evs {
            self.state = try_apply(self.state.clone(), e).expect("due events apply");
            self.events.push(e.clone());
        }
        evs.len()
    }

    /// The actions `who` could take on the case on `today` (`available_actions`).
    pub(super) fn sees(&self, who: &Actor, today: NaiveDate) -> Vec<&'static str> {
        available_actions(&self.state, who, today, &CAL, &periods(), &reg())
    }

    pub(super) fn deadlines(&self) -> Vec<OpenDeadline> {
        open_deadlines(&self.state, &CAL, &periods()).unwrap()
    }

    pub(super) fn last_document(&self) -> &Document {
        self.state.documents.last().expect("a document")
    }

    /// Filed by the officer on `filed`, registered and accepted on `accepted`, panel formed,
    /// exemption drafted, approved and issued on `issued`.
    pub(super) fn issued(filed: NaiveDate, accepted: NaiveDate, issued: NaiveDate) -> Case {
        let mut c = Case::new();
        c.ok(
            &officer(),
            Command::File {
                form: form(),
                received_on: None,
            },
            filed,
        );
        c.ok(&office(), Command::Register, filed);
        c.ok(&office(), Command::Accept, accepted);
        c.ok(&office(), Command::FormPanel { members: panel() }, accepted);
        c.ok(
            &panel_member(),
            Command::DraftOpinion {
                determination: exemption(),
            },
            issued,
        );
        c.ok(
            &director(),
            Command::ApproveOpinion { comment: None },
            issued,
        );
        c.ok(&office(), Command::IssueOpinion, issued);
        c
    }
}
