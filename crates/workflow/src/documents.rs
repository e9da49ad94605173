//! The written notices of the procedure, as full Chinese texts. Each is produced by the event
//! that requires it and stored inside that event, so the text of record never changes later.
//!
//! The wording is the governing pack's (`[[notice]]`, issue 20 item 2): each notice is its
//! template filled with values this module computes from the record — names, dates, periods,
//! the matter, the determination's citations. A pack that words no notices (one written before
//! packs could, such as a unit's older copy of 000) issues the texts of the shipped pack 000,
//! compiled in, exactly as before.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::NaiveDate;
use lvzhi_calendar::{date_zh, Deadline};
use lvzhi_case::notice::{self, NoticeTemplate};

use crate::model::*;
use crate::WorkflowError;

/// The regulation a notice cites and whose bodies sign it (issue 20): the procedure pack
/// recorded as governing the case — 000 itself, or a unit's own copy of it under another title
/// and other body names — named in full at first mention and by its short name after.
pub use lvzhi_case::Regulation;

/// The notice texts of the shipped pack 000, compiled in: what a case issues under a pack that
/// words no notices. Empty only if the shipped pack fails to load, which its tests forbid.
pub fn shipped() -> &'static BTreeMap<String, NoticeTemplate> {
    static SHIPPED: OnceLock<BTreeMap<String, NoticeTemplate>> = OnceLock::new();
    SHIPPED.get_or_init(|| {
        notice::notices_of("packs/000.toml", include_str!("../../../packs/000.toml"))
            .unwrap_or_default()
    })
}

/// The text of notice `kind` under `reg`, or the shipped one when its pack words none of the
/// application's.
fn template<'a>(reg: &'a Regulation, kind: &str) -> Result<&'a NoticeTemplate, WorkflowError> {
    // The pack's own texts when it words the application's notices at all (it may word only
    // other processes' notices, as a unit's copy of 000 written for its rectifications).
    let found = if reg.words_notices_of("application") {
        reg.notice(kind)
    } else {
        shipped().get(kind)
    };
    found.ok_or_else(|| {
        let name = notice::kind(kind).map_or(kind, |k| k.name);
        WorkflowError::Invalid(format!(
            "《{}》未载明{name}的文本，不能出具；请系统管理员核对本单位适用的规定（政策包 [[notice]] {kind}）",
            reg.pack.title
        ))
    })
}

/// Notice `kind` filled from `values` (the signer and the date of issue added): its title and
/// its text.
fn fill(
    reg: &Regulation,
    kind: &str,
    signer: String,
    on: NaiveDate,
    values: Vec<(&'static str, String)>,
) -> Result<(String, String), WorkflowError> {
    let t = template(reg, kind)?;
    let mut map: BTreeMap<&str, String> = values.into_iter().collect();
    map.insert("signer", signer);
    map.insert("date", date_zh(on));
    t.fill(&map, &reg.naming())
        .map_err(|e| WorkflowError::Invalid(e.to_string()))
}

fn applicant_names(form: &ApplicationForm) -> String {
    let names: Vec<&str> = form.applicants.iter().map(|o| o.name.as_str()).collect();
    names.join("、")
}

/// To whom a notice is addressed: the applying unit when it filed, else the officers.
pub fn addressee(form: &ApplicationForm, filer: Option<Filer>) -> String {
    match filer {
        Some(Filer::Unit) => form.applying_unit.name.clone(),
        _ => format!("{}同志", applicant_names(form)),
    }
}

/// Copy to the unit when the officers filed themselves (the unit must know the notice).
fn unit_copy(form: &ApplicationForm, filer: Option<Filer>) -> Vec<String> {
    match filer {
        Some(Filer::Unit) => Vec::new(),
        _ => vec![form.applying_unit.name.clone()],
    }
}

fn you(filer: Option<Filer>) -> &'static str {
    match filer {
        Some(Filer::Unit) => "你单位",
        _ => "你",
    }
}

/// "2024年10月16日", with a warning when the date is provisional.
pub fn last_day(d: &Deadline) -> String {
    let mut s = date_zh(d.due);
    if d.provisional {
        let years: Vec<String> = d.missing_years.iter().map(|y| format!("{y}年")).collect();
        s.push_str(&format!(
            "（{}节假日安排尚未公布，该日期为暂定，以国务院公布的安排为准）",
            years.join("、")
        ));
    }
    s
}

/// The matter as the notices quote it, and the accountability decision it concerns (the
/// department, the date and the sanction; empty when there is none).
fn matter_values(form: &ApplicationForm) -> Vec<(&'static str, String)> {
    let (department, decided_on, sanction) = match &form.accountability_decision {
        Some(d) => (
            d.department.name.clone(),
            date_zh(d.decided_on),
            d.sanction.zh().to_string(),
        ),
        None => Default::default(),
    };
    vec![
        ("matter", form.matter.trim().to_string()),
        ("department", department),
        ("decided_on", decided_on),
        ("sanction", sanction),
    ]
}

/// The determination as an opinion states it: its basis, conclusion, citations and whether the
/// original decision was improper (all empty for none: the reply that upholds).
fn determination_values(
    reg: &Regulation,
    d: Option<&Determination>,
) -> Vec<(&'static str, String)> {
    let Some(d) = d else {
        return ["basis", "conclusion", "citations", "improper"]
            .into_iter()
            .map(|k| (k, String::new()))
            .collect();
    };
    let cites: Vec<String> = d.articles.iter().map(|a| cite_zh(reg, a)).collect();
    vec![
        ("basis", end_sentence(&d.basis)),
        ("conclusion", d.summary_zh()),
        ("citations", cites.join("、")),
        ("improper", flag(d.original_decision_improper)),
    ]
}

/// A yes/no value of a template's conditions (`{if:…}`): not empty for yes.
fn flag(yes: bool) -> String {
    (if yes { "是" } else { "" }).to_string()
}

/// "000 §7(一)" → the short name and "第七条第（一）项", "000 §8¶2" → "…第八条第二款": a
/// citation of 000 (the rules the application applies) or of the governing pack itself reads as
/// an article of the governing regulation; any other citation is kept as written.
pub fn cite_zh(reg: &Regulation, citation: &str) -> String {
    let c = citation.trim();
    let own = format!("{} §", reg.pack.pack);
    let Some(article) = c
        .strip_prefix("000 §")
        .or_else(|| c.strip_prefix(own.as_str()))
    else {
        return citation.to_string();
    };
    match lvzhi_case::article_zh(&format!("§{article}")) {
        Some(zh) => format!("{}{zh}", reg.short()),
        None => citation.to_string(),
    }
}

fn end_sentence(s: &str) -> String {
    let t = s.trim();
    if t.ends_with('。') || t.ends_with('；') {
        t.to_string()
    } else {
        format!("{t}。")
    }
}

pub fn acceptance_notice(
    reg: &Regulation,
    form: &ApplicationForm,
    filer: Option<Filer>,
    received_on: NaiveDate,
    on: NaiveDate,
    opinion_due: &Deadline,
) -> Result<Document, WorkflowError> {
    let mut values = vec![
        ("addressee", addressee(form, filer)),
        ("you", you(filer).to_string()),
        ("received_on", date_zh(received_on)),
        ("opinion_period", opinion_due.period.to_chinese()),
        ("opinion_due", last_day(opinion_due)),
    ];
    values.extend(matter_values(form));
    let signer = reg.office_of(&form.committee);
    let (title, text) = fill(reg, "acceptance_notice", signer, on, values)?;
    Ok(Document {
        kind: DocumentKind::AcceptanceNotice,
        title,
        addressee: addressee(form, filer),
        copy_to: unit_copy(form, filer),
        text,
        issued_on: on,
    })
}

pub fn rejection_notice(
    reg: &Regulation,
    form: &ApplicationForm,
    filer: Option<Filer>,
    received_on: NaiveDate,
    on: NaiveDate,
    reasons: &str,
) -> Result<Document, WorkflowError> {
    let mut values = vec![
        ("addressee", addressee(form, filer)),
        ("you", you(filer).to_string()),
        ("received_on", date_zh(received_on)),
        ("reasons", reasons.trim().to_string()),
    ];
    values.extend(matter_values(form));
    let signer = reg.office_of(&form.committee);
    let (title, text) = fill(reg, "rejection_notice", signer, on, values)?;
    Ok(Document {
        kind: DocumentKind::RejectionNotice,
        title,
        addressee: addressee(form, filer),
        copy_to: unit_copy(form, filer),
        text,
        issued_on: on,
    })
}

pub fn deemed_acceptance_notice(
    reg: &Regulation,
    form: &ApplicationForm,
    filer: Option<Filer>,
    received_on: NaiveDate,
    acceptance_due: &Deadline,
    on: NaiveDate,
    opinion_due: &Deadline,
) -> Result<Document, WorkflowError> {
    let mut values = vec![
        ("addressee", addressee(form, filer)),
        ("you", you(filer).to_string()),
        ("received_on", date_zh(received_on)),
        ("acceptance_period", acceptance_due.period.to_chinese()),
        ("accepted_on", date_zh(acceptance_due.due)),
        ("opinion_period", opinion_due.period.to_chinese()),
        ("opinion_due", last_day(opinion_due)),
    ];
    values.extend(matter_values(form));
    let signer = reg.office_of(&form.committee);
    let (title, text) = fill(reg, "deemed_acceptance_notice", signer, on, values)?;
    Ok(Document {
        kind: DocumentKind::DeemedAcceptanceNotice,
        title,
        addressee: addressee(form, filer),
        copy_to: unit_copy(form, filer),
        text,
        issued_on: on,
    })
}

pub fn ex_officio_notice(
    reg: &Regulation,
    form: &ApplicationForm,
    grounds: &str,
    on: NaiveDate,
    opinion_due: &Deadline,
) -> Result<Document, WorkflowError> {
    let mut values = vec![
        ("addressee", addressee(form, None)),
        ("grounds", grounds.trim().to_string()),
        ("opinion_period", opinion_due.period.to_chinese()),
        ("opinion_due", last_day(opinion_due)),
    ];
    values.extend(matter_values(form));
    let signer = reg.office_of(&form.committee);
    let (title, text) = fill(reg, "ex_officio_notice", signer, on, values)?;
    Ok(Document {
        kind: DocumentKind::ExOfficioNotice,
        title,
        addressee: addressee(form, None),
        copy_to: unit_copy(form, None),
        text,
        issued_on: on,
    })
}

/// The first extension (000 §18) or, for `round` 2, the second (000 §20: the pack's
/// `extension_approval_again`).
#[allow(clippy::too_many_arguments)]
pub fn extension_approval(
    reg: &Regulation,
    form: &ApplicationForm,
    filer: Option<Filer>,
    round: u8,
    grounds: &str,
    approver: Role,
    on: NaiveDate,
    old_due: NaiveDate,
    new_due: &Deadline,
) -> Result<Document, WorkflowError> {
    let values = vec![
        ("addressee", addressee(form, filer)),
        ("you", you(filer).to_string()),
        ("matter", form.matter.trim().to_string()),
        ("grounds", end_sentence(grounds)),
        (
            "approver",
            approver.zh().trim_start_matches("维权委").to_string(),
        ),
        ("old_due", date_zh(old_due)),
        ("period", new_due.period.to_chinese()),
        ("due", last_day(new_due)),
    ];
    let kind = if round == 1 {
        "extension_approval"
    } else {
        "extension_approval_again"
    };
    let signer = reg.committee_of(&form.committee);
    let (title, text) = fill(reg, kind, signer, on, values)?;
    Ok(Document {
        kind: DocumentKind::ExtensionApproval,
        title,
        addressee: addressee(form, filer),
        copy_to: unit_copy(form, filer),
        text,
        issued_on: on,
    })
}

pub fn review_opinion(
    reg: &Regulation,
    form: &ApplicationForm,
    filer: Option<Filer>,
    d: &Determination,
    accepted_on: NaiveDate,
    on: NaiveDate,
    appeal_due: &Deadline,
) -> Result<Document, WorkflowError> {
    let mut values = vec![
        ("addressee", addressee(form, filer)),
        ("you", you(filer).to_string()),
        ("matter", form.matter.trim().to_string()),
        ("accepted_on", date_zh(accepted_on)),
        ("appeal_period", appeal_due.period.to_chinese()),
        ("appeal_due", last_day(appeal_due)),
    ];
    values.extend(determination_values(reg, Some(d)));
    let signer = reg.committee_of(&form.committee);
    let (title, text) = fill(reg, "review_opinion", signer, on, values)?;
    Ok(Document {
        kind: DocumentKind::ReviewOpinion,
        title,
        addressee: addressee(form, filer),
        copy_to: unit_copy(form, filer),
        text,
        issued_on: on,
    })
}

#[allow(clippy::too_many_arguments)]
pub fn appeal_reply(
    reg: &Regulation,
    form: &ApplicationForm,
    filer: Option<Filer>,
    kind: AppealKind,
    filed_on: NaiveDate,
    upheld: bool,
    reasoning: &str,
    in_force: &Determination,
    on: NaiveDate,
    next_window: Option<(&Deadline, &Org)>,
    signer: &Org,
    copy_to: Option<&Org>,
) -> Result<Document, WorkflowError> {
    let mut values = vec![
        ("addressee", addressee(form, filer)),
        ("you", you(filer).to_string()),
        ("matter", form.matter.trim().to_string()),
        ("filed_on", date_zh(filed_on)),
        ("reasoning", end_sentence(reasoning)),
        ("upheld", flag(upheld)),
    ];
    values.extend(determination_values(reg, (!upheld).then_some(in_force)));
    let (period, body, due) = match next_window {
        Some((w, parent)) => (w.period.to_chinese(), reg.committee_of(parent), last_day(w)),
        None => Default::default(),
    };
    values.extend([
        ("re_review_period", period),
        ("re_review_body", body),
        ("re_review_due", due),
    ]);
    let (template, doc_kind) = match kind {
        AppealKind::Reconsideration => {
            ("reconsideration_reply", DocumentKind::ReconsiderationReply)
        }
        AppealKind::ReReview => ("re_review_reply", DocumentKind::ReReviewReply),
    };
    let (title, text) = fill(reg, template, reg.committee_of(signer), on, values)?;
    let mut copies = unit_copy(form, filer);
    if let Some(c) = copy_to {
        copies.push(reg.committee_of(c));
    }
    Ok(Document {
        kind: doc_kind,
        title,
        addressee: addressee(form, filer),
        copy_to: copies,
        text,
        issued_on: on,
    })
}

#[allow(clippy::too_many_arguments)]
pub fn recommendation(
    reg: &Regulation,
    form: &ApplicationForm,
    decision: &AccountabilityDecision,
    current: Option<Sanction>,
    d: &Determination,
    proposal: Proposal,
    reasons: &str,
    on: NaiveDate,
) -> Result<Document, WorkflowError> {
    let values = vec![
        ("department", decision.department.name.clone()),
        ("decided_on", date_zh(decision.decided_on)),
        ("applicants", applicant_names(form)),
        ("sanction", sanction_zh(current).to_string()),
        (
            "document_number",
            decision.document_number.clone().unwrap_or_default(),
        ),
        ("matter", form.matter.trim().to_string()),
        ("conclusion", d.summary_zh()),
        ("reasons", end_sentence(reasons)),
        ("proposal", proposal.zh()),
    ];
    let signer = reg.committee_of(&form.committee);
    let (title, text) = fill(reg, "recommendation", signer, on, values)?;
    Ok(Document {
        kind: DocumentKind::Recommendation,
        title,
        addressee: decision.department.name.clone(),
        copy_to: vec![form.applying_unit.name.clone()],
        text,
        issued_on: on,
    })
}

pub fn publicity_notice(
    reg: &Regulation,
    form: &ApplicationForm,
    d: &Determination,
    place: &str,
    on: NaiveDate,
    ends: &Deadline,
    minimum: lvzhi_calendar::Period,
) -> Result<Document, WorkflowError> {
    // A period longer than the minimum, set by the office, is stated with it (000 §23).
    let values = vec![
        ("applicants", applicant_names(form)),
        ("unit", form.applying_unit.name.clone()),
        ("matter", form.matter.trim().to_string()),
        ("conclusion", d.summary_zh()),
        ("place", place.trim().to_string()),
        ("period", ends.period.to_chinese()),
        ("minimum", minimum.to_chinese()),
        ("longer", flag(ends.period != minimum)),
        ("end", last_day(ends)),
        ("office", reg.office_of(&form.committee)),
    ];
    let signer = reg.office_of(&form.committee);
    let (title, text) = fill(reg, "publicity_notice", signer, on, values)?;
    Ok(Document {
        kind: DocumentKind::PublicityNotice,
        title,
        addressee: form.applying_unit.name.clone(),
        copy_to: Vec::new(),
        text,
        issued_on: on,
    })
}

/// 免责容错调查审查情况通报 (000 §28): the case made known to the public, or to the 执法相对人
/// in writing, by the 公安机关 itself. Only where the governing pack has the `public_statement`
/// procedure; its text cites the articles the pack words it with.
pub fn public_statement(
    reg: &Regulation,
    form: &ApplicationForm,
    d: &Determination,
    audience: StatementAudience,
    recipient: &str,
    content: &str,
    on: NaiveDate,
) -> Result<Document, WorkflowError> {
    reg.step("public_statement", "向社会公布或者向执法相对人通报")?;
    let addressee = match audience {
        StatementAudience::Society => String::new(),
        StatementAudience::Counterparty => recipient.trim().to_string(),
    };
    let values = vec![
        ("addressee", addressee.clone()),
        ("applicants", applicant_names(form)),
        ("unit", form.applying_unit.name.clone()),
        ("matter", form.matter.trim().to_string()),
        ("conclusion", d.summary_zh()),
        ("content", end_sentence(content)),
    ];
    let (title, text) = fill(
        reg,
        "public_statement",
        form.committee.name.clone(),
        on,
        values,
    )?;
    Ok(Document {
        kind: DocumentKind::PublicStatement,
        title,
        addressee,
        copy_to: vec![form.applying_unit.name.clone()],
        text,
        issued_on: on,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use lvzhi_calendar::{Calendar, Period};

    #[test]
    fn last_day_says_inclusive_and_warns_when_provisional() {
        let cal = Calendar::embedded();
        let firm = cal
            .add(
                NaiveDate::from_ymd_opt(2024, 9, 27).unwrap(),
                Period::WorkingDays(7),
            )
            .unwrap();
        assert_eq!(last_day(&firm), "2024年10月12日");
        let soft = cal
            .add(
                NaiveDate::from_ymd_opt(2026, 12, 28).unwrap(),
                Period::WorkingDays(7),
            )
            .unwrap();
        let text = last_day(&soft);
        assert!(text.contains("2027年节假日安排尚未公布"), "{text}");
        assert!(text.contains("暂定"), "{text}");
    }

    /// 000 as the shipped pack names it (tests only: the code takes it from the pack).
    pub(crate) fn reg_000() -> Regulation {
        Regulation::of_pack(lvzhi_case::PackRef {
            pack: "000".into(),
            version: "2024-04-28".into(),
            title: "阿拉善盟公安机关民警依法履职免责和容错纠错工作实施细则".into(),
            short_title: "实施细则".into(),
            bodies: lvzhi_case::Bodies::default(),
        })
    }

    /// A template of kind `kind` that asks for every value of its vocabulary, one a line.
    fn asking_everything(kind: &str) -> NoticeTemplate {
        let k = notice::kind(kind).unwrap();
        let mut lines: Vec<String> = ["signer", "date"]
            .iter()
            .chain(k.values)
            .map(|n| format!("{{{n}}}"))
            .collect();
        lines.extend(k.flags.iter().map(|f| format!("{{if:{f}}}是")));
        NoticeTemplate {
            kind: kind.into(),
            title: notice::parse_template("标题").unwrap(),
            text: notice::parse_template(&lines.join("\n")).unwrap(),
        }
    }

    /// Issue 20 item 2: every notice gives every value its kind's vocabulary lets a pack use, so
    /// a unit's template is never refused at issue for a value it was allowed at load.
    #[test]
    fn issue20_every_notice_gives_every_value_of_its_kind() {
        let mut reg = reg_000();
        reg.notices = notice::APPLICATION
            .iter()
            .map(|k| (k.id.to_string(), asking_everything(k.id)))
            .collect();
        reg.steps
            .insert("public_statement".into(), vec!["§28".into()]);
        let org = |id: &str, name: &str| Org {
            id: id.into(),
            name: name.into(),
        };
        let form = ApplicationForm {
            applicants: vec![Officer {
                person_id: "p".into(),
                name: "张某".into(),
            }],
            applying_unit: org("u", "巴彦派出所"),
            committee: org("q", "阿拉善左旗公安局"),
            parent_committee: Some(org("m", "阿拉善盟公安局")),
            matter: "请求免责".into(),
            statement: None,
            accountability_decision: Some(AccountabilityDecision {
                department: org("d", "督察支队"),
                sanction: Sanction::Warning,
                decided_on: NaiveDate::from_ymd_opt(2024, 9, 1).unwrap(),
                document_number: Some("阿公督〔2024〕1号".into()),
            }),
            facts: Default::default(),
        };
        let det = Determination {
            outcome: Outcome::Exemption,
            modality: Modality::Shall,
            leniency: None,
            basis: "依法履职".into(),
            articles: vec!["000 §7(一)".into()],
            original_decision_improper: true,
            departure_reasons: None,
        };
        let on = NaiveDate::from_ymd_opt(2024, 10, 8).unwrap();
        let due = Calendar::embedded()
            .add(on, Period::WorkingDays(7))
            .unwrap();
        let filer = Some(Filer::Officer);
        let all = [
            acceptance_notice(&reg, &form, filer, on, on, &due),
            rejection_notice(&reg, &form, filer, on, on, "不属于受理范围"),
            deemed_acceptance_notice(&reg, &form, filer, on, &due, on, &due),
            ex_officio_notice(&reg, &form, "线索", on, &due),
            extension_approval(&reg, &form, filer, 1, "复杂", Role::Director, on, on, &due),
            extension_approval(&reg, &form, filer, 2, "复杂", Role::Director, on, on, &due),
            review_opinion(&reg, &form, filer, &det, on, on, &due),
            appeal_reply(
                &reg,
                &form,
                filer,
                AppealKind::Reconsideration,
                on,
                false,
                "理由",
                &det,
                on,
                Some((&due, &form.committee)),
                &form.committee,
                None,
            ),
            appeal_reply(
                &reg,
                &form,
                filer,
                AppealKind::ReReview,
                on,
                true,
                "理由",
                &det,
                on,
                None,
                &form.committee,
                None,
            ),
            recommendation(
                &reg,
                &form,
                form.accountability_decision.as_ref().unwrap(),
                Some(Sanction::Warning),
                &det,
                Proposal::Revoke,
                "不当",
                on,
            ),
            publicity_notice(&reg, &form, &det, "公示栏", on, &due, Period::Days(5)),
            public_statement(
                &reg,
                &form,
                &det,
                StatementAudience::Counterparty,
                "李某",
                "情况属实",
                on,
            ),
        ];
        for (i, doc) in all.into_iter().enumerate() {
            let doc = doc.unwrap_or_else(|e| panic!("notice {i}: {e}"));
            assert_eq!(doc.title, "标题");
            assert!(doc.text.contains("2024年10月8日"), "{}", doc.text);
        }
        // A pack that words its notices but not this one is refused in Chinese, not a panic.
        reg.notices.remove("rejection_notice");
        let refused = rejection_notice(&reg, &form, filer, on, on, "理由").unwrap_err();
        assert!(
            refused.to_string().contains("未载明不予受理通知书的文本"),
            "{refused}"
        );
    }

    /// Issue 20 item 2: the shipped texts are compiled in and cover every kind.
    #[test]
    fn issue20_the_shipped_texts_word_every_notice() {
        for k in notice::APPLICATION {
            assert!(shipped().contains_key(k.id), "{}", k.id);
        }
    }

    #[test]
    fn citations_of_000_read_as_chinese_articles() {
        let reg = reg_000();
        assert_eq!(cite_zh(&reg, "000 §7(一)"), "《实施细则》第七条第（一）项");
        assert_eq!(cite_zh(&reg, "000 §21¶3"), "《实施细则》第二十一条第三款");
        assert_eq!(cite_zh(&reg, "000 §10"), "《实施细则》第十条");
        assert_eq!(cite_zh(&reg, "000 §30"), "《实施细则》第三十条");
        assert_eq!(cite_zh(&reg, "004-2016 §21"), "004-2016 §21");
        assert_eq!(cite_zh(&reg, "000 §x"), "000 §x");
    }

    /// Issue 20: the notices cite the procedure pack recorded as governing the case — a unit's
    /// own copy of 000 by its own title and short name, its articles cited by its own id too —
    /// and are signed by the bodies it names.
    #[test]
    fn issue20_notices_cite_the_governing_procedure_pack() {
        let mut pack = lvzhi_case::PackRef {
            pack: "000-alszq".into(),
            version: "2026-01-01".into(),
            title: "阿拉善左旗公安局民警依法履职免责和容错纠错工作规程".into(),
            short_title: "规程".into(),
            bodies: lvzhi_case::Bodies {
                committee: "{org}履职保护委员会".into(),
                committee_short: "保护委".into(),
                office: "{org}履职保护委员会办公室".into(),
                office_short: "保护办".into(),
                head: "主任".into(),
            },
        };
        let reg = Regulation::of_pack(pack.clone());
        assert_eq!(
            reg.first(),
            "《阿拉善左旗公安局民警依法履职免责和容错纠错工作规程》（以下简称《规程》）"
        );
        assert_eq!(cite_zh(&reg, "000 §13"), "《规程》第十三条");
        assert_eq!(cite_zh(&reg, "000-alszq §13¶2"), "《规程》第十三条第二款");
        let org = Org {
            id: "alszq-gaj".into(),
            name: "阿拉善左旗公安局".into(),
        };
        assert_eq!(reg.office_of(&org), "阿拉善左旗公安局履职保护委员会办公室");
        // Without a short name the full title is used each time.
        pack.short_title.clear();
        assert_eq!(
            Regulation::of_pack(pack).short(),
            "《阿拉善左旗公安局民警依法履职免责和容错纠错工作规程》"
        );
    }
}
