//! Random sequences of commands, by random (mostly plausible) actors on advancing days, with the
//! scheduler ticking in between: `decide` never panics, every event it returns applies with
//! `try_apply`, the version equals the number of events, events survive JSON, and replay
//! gives the same state. And `available_actions` agrees with `decide` both ways: every action
//! it lists has a sample `decide` accepts, and every command `decide` accepts was listed.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use std::collections::BTreeSet;

use common::*;
use lvzhi_calendar::chrono_days::Days;
use lvzhi_workflow::*;
use proptest::prelude::*;

const GROUNDS: [&str; 3] = ["认定事实错误", "认定事实错误。", "未听取证人意见"];

/// The fixture form with a decision old enough for every start day generated.
fn early_form() -> ApplicationForm {
    let mut f = form();
    if let Some(dec) = f.accountability_decision.as_mut() {
        dec.decided_on = d(2018, 6, 1);
    }
    f
}

fn sanction(k: u8) -> Option<Sanction> {
    [
        None,
        Some(Sanction::Admonition),
        Some(Sanction::Warning),
        Some(Sanction::Demerit),
        Some(Sanction::MajorDemerit),
        Some(Sanction::Expulsion),
    ][usize::from(k) % 6]
}

fn determination(k: u8) -> Determination {
    let mut d = exemption();
    match k % 4 {
        0 => {}
        1 => {
            d.outcome = Outcome::Tolerance;
            d.leniency = Some(Leniency::Reduced);
        }
        2 => {
            d.outcome = Outcome::Exclusion;
            d.original_decision_improper = false;
        }
        _ => d.basis = String::new(),
    }
    if k % 3 == 0 {
        d.departure_reasons = Some("理由".into());
    }
    d
}

/// Command number `i` with parameter `k` on `today` for a case in state `s`, and the actor who
/// would normally give it.
fn command(i: u8, k: u8, today: chrono::NaiveDate, s: &State) -> (Command, Actor) {
    // Mostly the oversight record at the right point, sometimes any index (maybe absent).
    let oversight_where = |at: &dyn Fn(&Oversight) -> bool| {
        s.oversight
            .iter()
            .position(at)
            .filter(|_| k % 4 != 0)
            .unwrap_or(usize::from(k / 4 % 2))
    };
    let open_objection = s
        .publicity
        .as_ref()
        .and_then(|pb| pb.objections.iter().position(|o| o.resolution.is_none()));
    // A receipt up to three days back (before the issue day, too, which is refused).
    let today_minus = |k: u8| today - Days::new(u64::from(k % 4));
    let text = |t: &str| {
        if k % 5 == 0 {
            String::new()
        } else {
            t.to_string()
        }
    };
    let g = GROUNDS[usize::from(k) % 3].to_string();
    let evid = if k % 2 == 0 {
        Some("新证据".to_string())
    } else {
        None
    };
    match i % 50 {
        0 => (
            Command::File {
                form: early_form(),
                received_on: None,
            },
            officer(),
        ),
        1 => (
            Command::File {
                form: early_form(),
                received_on: None,
            },
            unit(),
        ),
        2 => (
            Command::OpenExOfficio {
                form: early_form(),
                grounds: text("线索"),
            },
            office(),
        ),
        3 => (Command::Register, office()),
        4 | 5 => (Command::Accept, office()),
        6 => (
            Command::Reject {
                reasons: text("不符合条件"),
            },
            office(),
        ),
        7 => (Command::FormPanel { members: panel() }, office()),
        8 => (
            Command::RecordRecommendation {
                recommendation: Recommendation {
                    outcome: ["exemption", "tolerance", "bogus"][usize::from(k) % 3].into(),
                    modality: "shall".into(),
                    ..Default::default()
                },
            },
            office(),
        ),
        9 => (
            Command::ApproveExternalParticipant {
                participant: ExternalParticipant {
                    person_id: format!("x{}", k % 3),
                    name: "专家".into(),
                    category: ExternalCategory::LegalExpert,
                    eligibility: Eligibility {
                        political_stance: true,
                        integrity: true,
                        no_criminal_record: true,
                        no_disciplinary_record: k % 4 != 0,
                        experience_authority: true,
                        no_conflict: true,
                        confidentiality: true,
                    },
                    no_conflict_declaration: text("无利害关系"),
                },
                grounds: text("重大"),
            },
            deputy(),
        ),
        10 => (
            Command::AddEvidence {
                evidence: Evidence {
                    sm3: format!("{:064x}", u64::from(k) % 7),
                    file_name: text("a.pdf"),
                    description: String::new(),
                },
            },
            officer(),
        ),
        11 => (
            Command::RecordHearing {
                summary: text("听取"),
            },
            panel_member(),
        ),
        12 => (
            Command::RecordSiteVisit {
                place: text("现场"),
                summary: "走访".into(),
            },
            office(),
        ),
        13 => (
            Command::RecordInterimLine {
                public_line: "口径".into(),
                measures: text("措施"),
            },
            office(),
        ),
        14 | 15 => (
            Command::DraftOpinion {
                determination: determination(k),
            },
            panel_member(),
        ),
        // 000 §14: mostly approved (with or without the leader's opinion), sometimes sent
        // back for revision or not approved.
        16 if k % 5 == 1 => (
            Command::ReturnOpinion {
                rejected: k % 2 == 0,
                reasons: text("因果关系认定依据不足"),
            },
            if k % 3 == 0 { director() } else { deputy() },
        ),
        16 => (
            Command::ApproveOpinion {
                comment: (k % 2 == 0).then(|| text("同意")),
            },
            if k % 2 == 0 { director() } else { deputy() },
        ),
        17 => (Command::IssueOpinion, office()),
        18 => (
            Command::ExtendReview {
                grounds: text("复杂"),
            },
            if k % 2 == 0 { director() } else { deputy() },
        ),
        19 => (Command::DeclareNoObjection, officer()),
        20 | 21 => (
            Command::ApplyReconsideration {
                grounds: g,
                new_evidence: evid,
            },
            officer(),
        ),
        22 => (
            Command::ReplyReconsideration {
                upheld: k % 2 == 0,
                reasoning: text("理由"),
                revised: (k % 2 == 1).then(|| determination(k / 2)),
            },
            director(),
        ),
        23 => (
            Command::ApplyReReview {
                grounds: g,
                new_evidence: evid,
            },
            unit(),
        ),
        24 => (
            Command::ReplyReReview {
                upheld: k % 2 == 0,
                reasoning: text("理由"),
                revised: (k % 2 == 1).then(|| determination(k / 2)),
            },
            parent_committee(),
        ),
        25 => (
            Command::StartPublicity {
                place: text("派出所"),
                days: None,
            },
            office(),
        ),
        26 => (
            Command::RecordObjection {
                summary: text("反映"),
            },
            office(),
        ),
        27 => (
            Command::ResolveObjection {
                // Mostly the first unresolved objection, sometimes one that is not open.
                index: open_objection
                    .filter(|_| k % 4 != 0)
                    .unwrap_or(usize::from(k % 3)),
                substantiated: k % 3 != 0,
                finding: text("核实"),
            },
            office(),
        ),
        28 => (Command::ClosePublicity, office()),
        29 => (
            Command::ReviseDetermination {
                determination: determination(k),
            },
            director(),
        ),
        30 => (
            Command::SendRecommendation {
                proposal: if k % 2 == 0 {
                    Proposal::Revoke
                } else {
                    Proposal::Change {
                        to: Sanction::Admonition,
                    }
                },
                reasons: text("不当"),
            },
            director(),
        ),
        31 => (
            Command::AnswerRecommendation {
                adopted: k % 2 == 0,
                justification: (k % 3 == 0).then(|| text("正当理由")),
            },
            department(),
        ),
        32 => (
            Command::RecordSanctionChange {
                sanction: sanction(k),
                reason: text("变更"),
            },
            department(),
        ),
        33 => (
            Command::RecordOversight {
                body: OversightBody::Procuratorate,
                body_name: "检察院".into(),
                description: text("介入"),
            },
            office(),
        ),
        34 => (
            Command::ProvideOpinionToOversight {
                index: oversight_where(&|o| o.provided.is_empty()),
                summary: text("意见"),
            },
            office(),
        ),
        35 => (
            Command::RecordOversightAnswer {
                index: oversight_where(&|o| !o.provided.is_empty() && o.answer.is_none()),
                adopted: k % 2 == 0,
                note: "情况".into(),
            },
            office(),
        ),
        36 => (
            Command::ReportUpward {
                index: oversight_where(&|o| o.needs_upward_report()),
                summary: text("报告"),
            },
            office(),
        ),
        37 => (
            Command::DecideCompensation {
                granted: k % 2 == 0,
                amount_yuan: (k % 3 != 0).then_some(u64::from(k)),
                basis: text("依据"),
            },
            unit(),
        ),
        38 => (
            Command::ApplyProtections {
                officer_id: "p-zhang".into(),
            },
            unit(),
        ),
        39 => (
            Command::SetRectification {
                officer_id: "p-zhang".into(),
                measures: text("整改"),
                follow_up: "回访".into(),
            },
            office(),
        ),
        41 => (
            Command::UpdateFacts {
                facts: std::collections::BTreeMap::from([(
                    text("coercive_measure_lawful"),
                    serde_json::Value::Bool(k % 2 == 0),
                )]),
            },
            if k % 2 == 0 { office() } else { panel_member() },
        ),
        42 => (
            Command::RecordReceipt {
                received_on: today_minus(k),
            },
            office(),
        ),
        43 => (
            Command::RecordCounselling {
                officer_id: if k % 4 == 0 { "p-nobody" } else { "p-zhang" }.into(),
                summary: text("谈心"),
            },
            unit(),
        ),
        44 => (
            Command::RecordRecurrence {
                officer_id: "p-zhang".into(),
                description: text("再次发生"),
            },
            office(),
        ),
        45 => (
            Command::MakePublicStatement {
                audience: if k % 2 == 0 {
                    StatementAudience::Society
                } else {
                    StatementAudience::Counterparty
                },
                recipient: if k % 3 == 0 { "" } else { "王某" }.into(),
                channel: text("公安局官方微博"),
                content: text("经调查审查"),
            },
            if k % 5 == 0 { unit() } else { office() },
        ),
        46 => (
            Command::ReviewHeavierSanction {
                retaliation: k % 2 == 0,
                finding: text("审查认定"),
                persons: if k % 3 == 0 { "" } else { "李某" }.into(),
                referred_to: if k % 3 == 0 { "" } else { "纪检监察室" }.into(),
            },
            if k % 4 == 0 { office() } else { director() },
        ),
        47 => (
            Command::ReferForAccountability {
                conduct: Misconduct::ALL[usize::from(k) % 6],
                persons: text("责任人"),
                facts: text("事实"),
                referred_to: "督察部门".into(),
            },
            if k % 5 == 0 { unit() } else { office() },
        ),
        // 000 §11: mostly today or earlier (a later date is refused); the office or a panel
        // member, sometimes the applicant (refused).
        48 => (
            Command::RecordOnSceneReport {
                report: OnSceneReport {
                    reported_on: if k % 6 == 0 {
                        today + chrono::Days::new(1)
                    } else {
                        today - chrono::Days::new(u64::from(k % 5))
                    },
                    scene_protected: k % 2 == 0,
                    evidence: text("执法记录仪视频"),
                    dispatched: k % 3 != 0,
                    unit_actions: String::new(),
                },
            },
            [office(), panel_member(), officer()][usize::from(k) % 3].clone(),
        ),
        // 000 §6: mostly the office, sometimes the unit (refused); the same inquiry twice is
        // refused.
        49 => (
            Command::LinkAccountabilityInquiry {
                inquiry: AccountabilityInquiry {
                    body: text("纪检监察室"),
                    matter: format!("问责调查{}", k % 3),
                    started_on: today - chrono::Days::new(u64::from(k % 4)),
                },
            },
            if k % 5 == 0 { unit() } else { office() },
        ),
        // Invited participants, the applicant (refused), the director, the 纪检 panel member.
        _ => (
            Command::RecordRecusal {
                person_id: ["x0", "x1", "x2", "p-zhang", "d-liu", "pm-ma", ""][usize::from(k) % 7]
                    .into(),
                name: "某某".into(),
                reason: text("有利害关系"),
            },
            office(),
        ),
    }
}

fn any_actor(k: u8) -> Actor {
    [
        officer(),
        other_officer(),
        unit(),
        office(),
        foreign_office(),
        director(),
        deputy(),
        parent_committee(),
        department(),
        panel_member(),
        admin(),
    ][usize::from(k) % 11]
        .clone()
}

type Step = (u8, u8, u8, u64);

/// Command numbers (see `command`) that may succeed in the case's present stage.
fn plausible(s: &State) -> Vec<u8> {
    let mut v: Vec<u8> = match s.stage {
        Stage::New => vec![0, 1, 2],
        Stage::Filed => vec![3, 41],
        Stage::Registered => vec![4, 6, 41],
        Stage::Rejected => vec![10],
        Stage::UnderReview => vec![7, 8, 9, 11, 12, 13, 14, 18, 40, 41],
        Stage::OpinionDrafted => vec![16, 14, 18],
        Stage::OpinionApproved => vec![17],
        Stage::OpinionIssued => vec![19, 20, 25, 30, 42],
        Stage::ReconsiderationPending => vec![22, 22, 22],
        Stage::ReconsiderationReplied => vec![19, 21, 23, 25, 30, 42],
        Stage::ReReviewPending => vec![24, 24, 24],
        Stage::ReReviewReplied => vec![23, 25, 30, 38, 39],
    };
    // While publicity is open, or a substantiated objection holds the determination, stay
    // with it, so that objections get resolved and determinations revised.
    if s.determination_in_question {
        return vec![29, 29, 29, 27, 28, 32];
    }
    if s.publicity
        .as_ref()
        .is_some_and(|pb| pb.closed_on.is_none())
    {
        return vec![26, 26, 26, 27, 27, 27, 28, 29, 32];
    }
    if s.publicity.is_some() {
        v.extend([26, 27, 28, 29]);
    }
    if s.department_recommendation.is_some() {
        v.extend([31, 32]);
    }
    if s.stage.has_opinion() {
        // The main line twice as likely as the side steps, and the next step of a side chain
        // already begun more likely still, so that runs get deep on every line.
        let main = v.clone();
        v.extend(main);
        v.extend([32, 33, 34, 35, 36, 37, 38, 39, 43, 44]);
        if s.oversight.iter().any(|o| o.provided.is_empty()) {
            v.extend([34, 34]);
        }
        if s.oversight
            .iter()
            .any(|o| !o.provided.is_empty() && o.answer.is_none())
        {
            v.extend([35, 35]);
        }
        if s.oversight.iter().any(|o| o.needs_upward_report()) {
            v.extend([36, 36, 36]);
        }
        if s.result_use.values().any(|r| r.rectification.is_some()) {
            v.extend([44, 44]);
        }
    }
    v
}

fn steps_strategy() -> impl Strategy<Value = (u64, Vec<Step>)> {
    (
        0u64..2400,
        prop::collection::vec((any::<u8>(), any::<u8>(), 0u8..10, 0u64..4), 1..90),
    )
}

/// Runs one random sequence, checking the invariants (and, with `check_available`, that
/// `available_actions` agrees with `decide`); returns the events recorded.
fn run(
    start: u64,
    steps: Vec<Step>,
    check_available: bool,
) -> Result<(Vec<Event>, BTreeSet<&'static str>), TestCaseError> {
    let mut accepted = BTreeSet::new();
    let p = periods();
    let mut today = d(2019, 1, 1) + Days::new(start);
    let mut state = State::default();
    let mut events: Vec<Event> = Vec::new();
    for (i, k, who, advance) in steps {
        today = today + Days::new(advance);
        // The scheduler runs first, as the server would.
        for e in due_events(&state, today, &CAL, &p, &reg()).unwrap() {
            if let Some(doc) = e.kind.document() {
                prop_assert_eq!(doubled_phrase(&doc.text), None, "{}", doc.text);
            }
            state = try_apply(state, &e).unwrap();
            events.push(e);
        }
        prop_assert!(due_events(&state, today, &CAL, &p, &reg())
            .unwrap()
            .is_empty());
        // Half the steps pick a command that fits the stage, so sequences get deep.
        let i = if i % 2 == 0 {
            let fits = plausible(&state);
            fits[usize::from(i / 2) % fits.len()]
        } else {
            i / 2
        };
        let (cmd, usual) = command(i, k, today, &state);
        let actor = if who < 7 { usual } else { any_actor(k) };
        let before = state.clone();
        let listed = if check_available {
            listed_and_sampled(&state, &actor, today)?
        } else {
            Vec::new()
        };
        match decide(&state, &cmd, &actor, today, &CAL, &p, &reg()) {
            Ok(evs) => {
                prop_assert!(!evs.is_empty());
                // No exceptions were needed: for every action a real command can take, an
                // honest sample can be built (see src/available.rs).
                let id = cmd.action_id();
                accepted.insert(id);
                prop_assert!(
                    !check_available
                        || ["file", "open_ex_officio"].contains(&id)
                        || listed.contains(&id),
                    "{} by {} on {} was accepted but not listed in {:?}; stage {:?}",
                    id,
                    actor.person_id,
                    today,
                    listed,
                    state.stage
                );
                for e in evs {
                    prop_assert_eq!(e.on, today);
                    let json = serde_json::to_string(&e).unwrap();
                    let back: Event = serde_json::from_str(&json).unwrap();
                    prop_assert_eq!(&back, &e);
                    let tag = format!("\"type\":\"{}\"", e.kind.id());
                    prop_assert!(json.contains(&tag), "{} lacks {}", json, tag);
                    // No notice says a phrase twice in a row (issue 20: "经核查，经核查，").
                    if let Some(doc) = e.kind.document() {
                        prop_assert!(
                            doubled_phrase(&doc.text).is_none(),
                            "{} says {:?} twice: {}",
                            doc.title,
                            doubled_phrase(&doc.text),
                            doc.text
                        );
                    }
                    state = try_apply(state, &e).unwrap();
                    events.push(e);
                }
            }
            Err(err) => {
                prop_assert_eq!(&state, &before);
                let msg = err.to_string();
                // Formal Chinese: every message carries CJK text.
                prop_assert!(
                    msg.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{}",
                    msg
                );
            }
        }
        prop_assert_eq!(state.version, events.len() as u64);
        open_deadlines(&state, &CAL, &p).unwrap();
    }
    prop_assert_eq!(State::replay(&events), state);
    Ok((events, accepted))
}

/// The actions listed for `actor`, each checked to have a sample that `decide` accepts and
/// whose events apply.
fn listed_and_sampled(
    state: &State,
    actor: &Actor,
    today: chrono::NaiveDate,
) -> Result<Vec<&'static str>, TestCaseError> {
    let p = periods();
    let listed = available_actions(state, actor, today, &CAL, &p, &reg());
    for id in &listed {
        prop_assert!(!["file", "open_ex_officio"].contains(id));
        let accepted = sample_commands(state, id, today)
            .into_iter()
            .find_map(|cmd| {
                decide(state, &cmd, actor, today, &CAL, &p, &reg())
                    .ok()
                    .map(|evs| (cmd, evs))
            });
        let Some((cmd, evs)) = accepted else {
            return Err(TestCaseError::fail(format!(
                "{id} listed but no sample accepted"
            )));
        };
        prop_assert_eq!(cmd.action_id(), *id);
        let mut next = state.clone();
        for e in &evs {
            next = try_apply(next, e).map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
    }
    Ok(listed)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn random_command_sequences_keep_the_invariants((start, steps) in steps_strategy()) {
        run(start, steps, false)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    /// `available_actions` probes `decide` with samples: every listed action's sample is
    /// accepted, and every command `decide` accepted (with its real content) was listed for
    /// that actor just before. Catches missing or over-strict samples.
    #[test]
    fn available_actions_agree_with_decide_both_ways((start, steps) in steps_strategy()) {
        run(start, steps, true)?;
    }
}

/// The random sequences must actually get deep into the procedure, or the properties above
/// prove little: every event kind below is reached, and every action of `ACTIONS` is taken
/// successfully, in some of 3000 deterministic runs (checked against `available_actions`).
#[test]
fn random_sequences_reach_every_stage() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut seen = BTreeSet::new();
    let mut taken = BTreeSet::new();
    for _ in 0..3000 {
        let (start, steps) = steps_strategy().new_tree(&mut runner).unwrap().current();
        let (events, accepted) = run(start, steps, true).unwrap();
        for e in events {
            seen.insert(e.kind.id());
        }
        taken.extend(accepted);
    }
    let never: Vec<&str> = ACTIONS
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| !taken.contains(id))
        .collect();
    assert!(never.is_empty(), "never taken: {never:?}");
    for kind in [
        "filed",
        "opened_ex_officio",
        "accepted",
        "rejected",
        "deemed_accepted",
        "panel_formed",
        "review_extended",
        "opinion_issued",
        "appeal_filed",
        "appeal_replied",
        "publicity_started",
        "publicity_closed",
        "recommendation_sent",
        "recommendation_answered",
        "sanction_changed",
        "recused",
    ] {
        assert!(
            seen.contains(kind),
            "{kind} never reached; reached: {seen:?}"
        );
    }
}
