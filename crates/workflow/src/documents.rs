//! The written notices of the procedure, as full Chinese texts. Each is produced by the event
//! that requires it and stored inside that event, so the text of record never changes later.

use chrono::NaiveDate;
use lvzhi_calendar::{date_zh, Deadline};

use crate::model::*;

/// The regulation a notice cites and whose bodies sign it (issue 20): the procedure pack
/// recorded as governing the case — 000 itself, or a unit's own copy of it under another title
/// and other body names — named in full at first mention and by its short name after.
pub use lvzhi_case::Regulation;

const INDENT: &str = "\u{3000}\u{3000}";

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

fn sign(signer: &str, on: NaiveDate) -> String {
    format!("\n\n{signer}\n{}", date_zh(on))
}

fn quoted(form: &ApplicationForm) -> String {
    format!("“{}”", form.matter.trim())
}

fn matter(form: &ApplicationForm) -> String {
    let mut s = quoted(form);
    if let Some(d) = &form.accountability_decision {
        s.push_str(&format!(
            "（涉及{}于{}作出的{}处理决定）",
            d.department.name,
            date_zh(d.decided_on),
            d.sanction.zh()
        ));
    }
    s
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

pub fn acceptance_notice(
    reg: &Regulation,
    form: &ApplicationForm,
    filer: Option<Filer>,
    received_on: NaiveDate,
    on: NaiveDate,
    opinion_due: &Deadline,
) -> Document {
    let (rf, rs) = (reg.first(), reg.short());
    let y = you(filer);
    let text = format!(
        "{addr}：\n{INDENT}本办于{recv}收到{y}提交的免责容错申请，申请事项为{m}。经登记和初查，根据{rf}第十三条的规定，决定予以受理。\n{INDENT}根据{rs}第十六条的规定，本委将自受理之日起{p}内作出审查论证意见并书面出具，即最迟于{due}作出。审查论证期间，{y}可以当面陈述、举证、申辩（{rs}第十五条）。\n{INDENT}特此通知。{sig}",
        addr = addressee(form, filer),
        recv = date_zh(received_on),
        m = matter(form),
        p = opinion_due.period.to_chinese(),
        due = last_day(opinion_due),
        sig = sign(&reg.office_of(&form.committee), on),
    );
    Document {
        kind: DocumentKind::AcceptanceNotice,
        title: "免责容错申请受理通知书".to_string(),
        addressee: addressee(form, filer),
        copy_to: unit_copy(form, filer),
        text,
        issued_on: on,
    }
}

pub fn rejection_notice(
    reg: &Regulation,
    form: &ApplicationForm,
    filer: Option<Filer>,
    received_on: NaiveDate,
    on: NaiveDate,
    reasons: &str,
) -> Document {
    let rf = reg.first();
    let y = you(filer);
    let text = format!(
        "{addr}：\n{INDENT}本办于{recv}收到{y}提交的免责容错申请，申请事项为{m}。经登记和初查，根据{rf}第十三条的规定，决定不予受理。\n{INDENT}不予受理的理由如下：{r}\n{INDENT}特此通知。{sig}",
        addr = addressee(form, filer),
        recv = date_zh(received_on),
        m = matter(form),
        r = reasons.trim(),
        sig = sign(&reg.office_of(&form.committee), on),
    );
    Document {
        kind: DocumentKind::RejectionNotice,
        title: "免责容错申请不予受理通知书".to_string(),
        addressee: addressee(form, filer),
        copy_to: unit_copy(form, filer),
        text,
        issued_on: on,
    }
}

pub fn deemed_acceptance_notice(
    reg: &Regulation,
    form: &ApplicationForm,
    filer: Option<Filer>,
    received_on: NaiveDate,
    acceptance_due: &Deadline,
    on: NaiveDate,
    opinion_due: &Deadline,
) -> Document {
    let (rf, rs) = (reg.first(), reg.short());
    let y = you(filer);
    let text = format!(
        "{addr}：\n{INDENT}本办于{recv}收到{y}提交的免责容错申请，申请事项为{m}。根据{rf}第十三条的规定，应当在{ap}内决定是否受理并书面告知；该期限已于{ad}届满，本办未作出告知，依照该条规定视为受理，受理之日为{ad}。\n{INDENT}根据{rs}第十六条的规定，本委将自受理之日起{p}内作出审查论证意见并书面出具，即最迟于{due}作出。\n{INDENT}特此告知。{sig}",
        addr = addressee(form, filer),
        recv = date_zh(received_on),
        m = matter(form),
        ap = acceptance_due.period.to_chinese(),
        ad = date_zh(acceptance_due.due),
        p = opinion_due.period.to_chinese(),
        due = last_day(opinion_due),
        sig = sign(&reg.office_of(&form.committee), on),
    );
    Document {
        kind: DocumentKind::DeemedAcceptanceNotice,
        title: "免责容错申请视为受理告知书".to_string(),
        addressee: addressee(form, filer),
        copy_to: unit_copy(form, filer),
        text,
        issued_on: on,
    }
}

pub fn ex_officio_notice(
    reg: &Regulation,
    form: &ApplicationForm,
    grounds: &str,
    on: NaiveDate,
    opinion_due: &Deadline,
) -> Document {
    let (rf, rs) = (reg.first(), reg.short());
    let text = format!(
        "{addr}：\n{INDENT}本办在工作中发现{m}可能具有应当适用免责容错的情形，线索如下：{g}\n{INDENT}根据{rf}第十二条第二款的规定，本办主动启动免责容错审查论证工作，并将自启动之日起{p}内作出审查论证意见并书面出具，即最迟于{due}作出（{rs}第十六条）。审查论证期间，你可以当面陈述、举证、申辩（{rs}第十五条）。\n{INDENT}特此通知。{sig}",
        addr = addressee(form, None),
        m = matter(form),
        g = grounds.trim(),
        p = opinion_due.period.to_chinese(),
        due = last_day(opinion_due),
        sig = sign(&reg.office_of(&form.committee), on),
    );
    Document {
        kind: DocumentKind::ExOfficioNotice,
        title: "主动启动免责容错审查论证通知书".to_string(),
        addressee: addressee(form, None),
        copy_to: unit_copy(form, None),
        text,
        issued_on: on,
    }
}

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
) -> Document {
    let rf = reg.first();
    let (article, head) = if round == 1 {
        ("第十八条", "案情重大、情况复杂、有较大影响")
    } else {
        ("第二十条", "重大疑难申请事项未能在规定期限内审查论证完毕")
    };
    let text = format!(
        "{addr}：\n{INDENT}{y}就{m}提出的免责容错申请，因{head}，具体理由为：{g}经本委{approver}批准，根据{rf}{article}的规定，作出审查论证意见的期限在原定于{old}届满的基础上{again}延长{p}，延长后的期限至{due}届满。\n{INDENT}特此通知。{sig}",
        addr = addressee(form, filer),
        y = you(filer),
        m = quoted(form),
        g = end_sentence(grounds),
        approver = approver.zh().trim_start_matches("维权委"),
        old = date_zh(old_due),
        again = if round == 1 { "" } else { "再" },
        p = new_due.period.to_chinese(),
        due = last_day(new_due),
        sig = sign(&reg.committee_of(&form.committee), on),
    );
    Document {
        kind: DocumentKind::ExtensionApproval,
        title: if round == 1 {
            "延长审查论证期限通知书".to_string()
        } else {
            "再次延长审查论证期限通知书".to_string()
        },
        addressee: addressee(form, filer),
        copy_to: unit_copy(form, filer),
        text,
        issued_on: on,
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

fn determination_text(reg: &Regulation, d: &Determination) -> String {
    let mut s = format!(
        "{INDENT}审查论证认为：{}\n{INDENT}审查论证结论：{}。",
        end_sentence(&d.basis),
        d.summary_zh()
    );
    if !d.articles.is_empty() {
        let cites: Vec<String> = d.articles.iter().map(|a| cite_zh(reg, a)).collect();
        s.push_str(&format!("依据：{}。", cites.join("、")));
    }
    if d.original_decision_improper {
        s.push_str(&format!("原问责处理决定不当，应当依照{}第二十二条、第二十六条的规定向原决定作出部门提出撤销或者变更原决定的建议。", reg.short()));
    }
    s
}

pub fn review_opinion(
    reg: &Regulation,
    form: &ApplicationForm,
    filer: Option<Filer>,
    d: &Determination,
    accepted_on: NaiveDate,
    on: NaiveDate,
    appeal_due: &Deadline,
) -> Document {
    let (rf, rs) = (reg.first(), reg.short());
    let y = you(filer);
    let text = format!(
        "{addr}：\n{INDENT}{y}就{m}提出的免责容错申请，本委于{acc}受理。依照{rf}第十四条至第十六条的规定，本委组织审查论证组对民警履职行为的合法合规性、采取措施的适度合理性、主客观情况、因果关系以及是否适用免责容错进行了全面审查论证，经本委批准，现出具审查论证意见如下：\n{det}\n{INDENT}{y}如对本意见有异议，可以自收到本意见之日起{p}内向本委申请复议（{rs}第二十一条）；本意见于出具当日送达的，最迟应于{due}提出。{sig}",
        addr = addressee(form, filer),
        m = quoted(form),
        acc = date_zh(accepted_on),
        det = determination_text(reg, d),
        p = appeal_due.period.to_chinese(),
        due = last_day(appeal_due),
        sig = sign(&reg.committee_of(&form.committee), on),
    );
    Document {
        kind: DocumentKind::ReviewOpinion,
        title: "免责容错审查论证意见书".to_string(),
        addressee: addressee(form, filer),
        copy_to: unit_copy(form, filer),
        text,
        issued_on: on,
    }
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
) -> Document {
    let (rf, rs) = (reg.first(), reg.short());
    let y = you(filer);
    let verdict = if upheld {
        "维持原审查论证意见".to_string()
    } else {
        format!(
            "变更原审查论证意见，变更后的结论为：{}",
            in_force.summary_zh()
        )
    };
    let mut text = format!(
        "{addr}：\n{INDENT}{y}就{m}于{filed}提出的{k}申请收悉。依照{rf}第二十一条的规定，本委经审查，答复如下：\n{INDENT}{r}\n{INDENT}{k}意见：{verdict}。",
        addr = addressee(form, filer),
        filed = date_zh(filed_on),
        k = kind.zh(),
        m = quoted(form),
        r = end_sentence(reasoning),
    );
    if !upheld {
        text.push('\n');
        text.push_str(&determination_text(reg, in_force));
    }
    if let Some((w, parent)) = next_window {
        text.push_str(&format!(
            "\n{INDENT}{y}如对本复议意见仍有异议，可以自收到本意见之日起{}内向{}申请复核（{rs}第二十一条）；本意见于出具当日送达的，最迟应于{}提出。",
            w.period.to_chinese(),
            reg.committee_of(parent),
            last_day(w)
        ));
    } else {
        text.push_str(&format!(
            "\n{INDENT}不得因同一事项、以同一事由重复申请复议复核，但有新的证据可能推翻原意见结论的除外（{rs}第二十一条第三款）。"
        ));
    }
    text.push_str(&sign(&reg.committee_of(signer), on));
    let mut copies = unit_copy(form, filer);
    if let Some(c) = copy_to {
        copies.push(reg.committee_of(c));
    }
    Document {
        kind: match kind {
            AppealKind::Reconsideration => DocumentKind::ReconsiderationReply,
            AppealKind::ReReview => DocumentKind::ReReviewReply,
        },
        title: format!("免责容错{}意见书", kind.zh()),
        addressee: addressee(form, filer),
        copy_to: copies,
        text,
        issued_on: on,
    }
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
) -> Document {
    let (rf, rs) = (reg.first(), reg.short());
    let text = format!(
        "{dept}：\n{INDENT}你部门于{date}对{names}作出{s}的问责处理决定{num}。{names}就此提出免责容错申请（申请事项：{m}），本委依照{rf}第十四条至第十六条的规定进行了审查论证，认定{summary}。\n{INDENT}本委认为原问责处理决定不当，理由如下：{r}\n{INDENT}根据{rs}第二十二条、第二十六条的规定，现将审查论证意见通报你部门，建议{p}。根据{rs}第二十七条的规定，你部门对本建议无正当理由的，应当采纳；不予采纳的，请书面说明正当理由。{sig}",
        dept = decision.department.name,
        date = date_zh(decision.decided_on),
        names = applicant_names(form),
        s = sanction_zh(current),
        num = decision
            .document_number
            .as_ref()
            .map(|n| format!("（{n}）"))
            .unwrap_or_default(),
        m = form.matter.trim(),
        summary = d.summary_zh(),
        r = end_sentence(reasons),
        p = proposal.zh(),
        sig = sign(&reg.committee_of(&form.committee), on),
    );
    Document {
        kind: DocumentKind::Recommendation,
        title: "关于撤销或者变更原问责处理决定的建议书".to_string(),
        addressee: decision.department.name.clone(),
        copy_to: vec![form.applying_unit.name.clone()],
        text,
        issued_on: on,
    }
}

pub fn publicity_notice(
    reg: &Regulation,
    form: &ApplicationForm,
    d: &Determination,
    place: &str,
    on: NaiveDate,
    ends: &Deadline,
    minimum: lvzhi_calendar::Period,
) -> Document {
    let rf = reg.first();
    // The minimum alone as before; a longer period set by the office says both (000 §23).
    let length = if ends.period == minimum {
        format!("不少于{}", minimum.to_chinese())
    } else {
        format!(
            "共{}（不少于{}）",
            ends.period.to_chinese(),
            minimum.to_chinese()
        )
    };
    let text = format!(
        "{INDENT}根据{rf}第二十三条的规定，现将{names}同志（{unit}）的免责容错认定意见予以公示：\n{INDENT}申请事项：{m}。\n{INDENT}认定意见：{summary}。\n{INDENT}公示地点：{place}。公示期自{start}起，{length}，至{end}止。公示期间，对申请人有不符合免责或者减轻责任情形的证据或者线索的，可以向{office}反映，本办将认真甄别核实。{sig}",
        names = applicant_names(form),
        unit = form.applying_unit.name,
        m = form.matter.trim(),
        summary = d.summary_zh(),
        place = place.trim(),
        start = date_zh(on),
        end = last_day(ends),
        office = reg.office_of(&form.committee),
        sig = sign(&reg.office_of(&form.committee), on),
    );
    Document {
        kind: DocumentKind::PublicityNotice,
        title: "免责容错认定意见公示".to_string(),
        addressee: form.applying_unit.name.clone(),
        copy_to: Vec::new(),
        text,
        issued_on: on,
    }
}

/// 免责容错调查审查情况通报 (000 §28): the case made known to the public, or to the 执法相对人
/// in writing, by the 公安机关 itself. The articles come from the governing pack's
/// `public_statement` procedure; a pack without it has no such step.
pub fn public_statement(
    reg: &Regulation,
    form: &ApplicationForm,
    d: &Determination,
    audience: StatementAudience,
    recipient: &str,
    content: &str,
    on: NaiveDate,
) -> Result<Document, crate::WorkflowError> {
    let cite = reg.cite_step_first("public_statement", "向社会公布或者向执法相对人通报")?;
    let names = applicant_names(form);
    let body = format!(
        "{INDENT}根据{cite}的规定，为澄清事实、消除不良影响，现将{names}同志（{unit}）{m}的免责容错调查审查情况和认定意见（{summary}）通报如下：\n{INDENT}{c}\n{INDENT}特此通报。{sig}",
        unit = form.applying_unit.name,
        m = quoted(form),
        summary = d.summary_zh(),
        c = end_sentence(content),
        sig = sign(&form.committee.name, on),
    );
    let (addressee, text) = match audience {
        StatementAudience::Society => (String::new(), body),
        StatementAudience::Counterparty => {
            let r = recipient.trim().to_string();
            let text = format!("{r}：\n{body}");
            (r, text)
        }
    };
    Ok(Document {
        kind: DocumentKind::PublicStatement,
        title: "免责容错调查审查情况通报".to_string(),
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
