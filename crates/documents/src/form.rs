//! 《公安民警免责容错申请表》, the annex of 000 (§12: the officer or the unit "填写《公安民警免责
//! 容错申请表》"), printed as the bordered table of the paper form: filled from the case for
//! signing and stamping, or blank for handwriting. The rows are the annex's (工作单位; 民警姓名,
//! 性别, 出生年月; 参加公安工作时间, 职务; 申请事项; the three opinions) with the fields the web
//! form adds (事实与理由, 原问责处理决定, 受理机关) and the evidence submitted and the
//! applicants' signatures.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use lvzhi_calendar::date_zh;
use lvzhi_workflow::{ApplicationForm, Evidence, State};
use typst::foundations::{Dict, IntoValue, Value};
use typst::syntax::{FileId, Source};

use crate::{font_inputs, str_value, typeset, DocumentError, Fonts};

const TEMPLATE: &str = include_str!("templates/form.typ");

/// Parsed once, under a file id of its own so that it never shares one with the notice template
/// (a unique id at the detached source's path: nothing to parse, so nothing that can fail).
static MAIN: LazyLock<Source> = LazyLock::new(|| {
    let path = Source::detached("").id().get().clone();
    Source::new(FileId::unique(path), TEMPLATE.into())
});

/// What the annex asks about an officer that the case record does not hold (the directory
/// keeps names and posts only): left empty, the cell stays blank for handwriting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfficerParticulars {
    /// 性别.
    pub gender: Option<String>,
    /// 出生年月, printed as year and month ("1985年3月").
    pub born: Option<NaiveDate>,
    /// 参加公安工作时间, printed as year and month.
    pub joined_police: Option<NaiveDate>,
    /// 职务.
    pub post: Option<String>,
}

/// The rest of a filled form: when it was filed, the officers' particulars, the evidence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormDetails {
    /// 时间 at the head of the form: the day the application was filed or received.
    pub filed_on: Option<NaiveDate>,
    /// Particulars by the officer's `person_id`.
    pub officers: BTreeMap<String, OfficerParticulars>,
    /// 证据材料, one line each.
    pub evidence: Vec<String>,
    /// The bodies of the governing procedure (受理机关 is its committee): as the case recorded
    /// them, else the 维权委 of 000 §10.
    pub bodies: lvzhi_workflow::Bodies,
    /// 本级维权委领导意见: what the 主任 or 副主任 wrote when approving the opinion (000 §14).
    pub committee_opinion: Option<String>,
}

impl FormDetails {
    /// The day received (000 §13 counts from it) and the evidence recorded on the case.
    pub fn from_state(state: &State) -> FormDetails {
        FormDetails {
            filed_on: state.received_on.or(state.registered_on),
            officers: BTreeMap::new(),
            evidence: state.evidence.iter().map(evidence_line).collect(),
            bodies: state
                .governance
                .as_ref()
                .map(|g| g.procedure.bodies.clone())
                .unwrap_or_default(),
            committee_opinion: state.leader_opinion.as_ref().map(|(_, _, c)| c.clone()),
        }
    }
}

/// One evidence item as listed on the form: its description and, in brackets, the file.
pub(crate) fn evidence_line(e: &Evidence) -> String {
    let description = e.description.trim();
    if description.is_empty() {
        e.file_name.clone()
    } else {
        format!("{description}（{}）", e.file_name)
    }
}

fn year_month(d: NaiveDate) -> String {
    format!("{}年{}月", d.year(), d.month())
}

fn opt(s: Option<String>) -> Value {
    str_value(s.unwrap_or_default())
}

/// 申请事项 and the paragraphs of 事实与理由, a row each on the paper form: from the form's
/// `statement`, or — for forms recorded before it, when the apply page joined the two into one
/// text ("…。事实与理由：…") — split back out of `matter`.
fn matter_and_reasons(form: &ApplicationForm) -> (String, Vec<String>) {
    match &form.statement {
        Some(statement) => (
            form.matter.trim().to_string(),
            statement
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect(),
        ),
        None => split_matter(&form.matter),
    }
}

/// A joined "…。事实与理由：…" split into 申请事项 and its reasons.
fn split_matter(matter: &str) -> (String, Vec<String>) {
    match matter.split_once("事实与理由：") {
        Some((m, r)) => {
            let m = m.trim_end().trim_end_matches('。').to_string();
            let reasons = r
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect();
            (m, reasons)
        }
        None => (matter.trim().to_string(), Vec::new()),
    }
}

fn inputs(form: Option<&ApplicationForm>, details: &FormDetails, fonts: &Fonts) -> Dict {
    let mut d = Dict::new();
    d.insert("filled".into(), form.is_some().into_value());
    d.insert("date".into(), opt(form.and(details.filed_on).map(date_zh)));
    let officer = |name: &str, p: Option<&OfficerParticulars>| -> Value {
        let mut o = Dict::new();
        o.insert("name".into(), str_value(name));
        o.insert("gender".into(), opt(p.and_then(|p| p.gender.clone())));
        o.insert("born".into(), opt(p.and_then(|p| p.born).map(year_month)));
        o.insert(
            "joined".into(),
            opt(p.and_then(|p| p.joined_police).map(year_month)),
        );
        o.insert("post".into(), opt(p.and_then(|p| p.post.clone())));
        o.into_value()
    };
    let mut decision = Dict::new();
    for k in ["department", "sanction", "date", "number"] {
        decision.insert(k.into(), str_value(""));
    }
    match form {
        Some(form) => {
            d.insert("unit".into(), str_value(form.applying_unit.name.as_str()));
            let officers: Vec<Value> = form
                .applicants
                .iter()
                .map(|a| officer(&a.name, details.officers.get(&a.person_id)))
                .collect();
            d.insert("officers".into(), officers.into_value());
            let (matter, reasons) = matter_and_reasons(form);
            d.insert("matter".into(), str_value(matter));
            let reasons: Vec<Value> = reasons.into_iter().map(str_value).collect();
            d.insert("reasons".into(), reasons.into_value());
            if let Some(ad) = &form.accountability_decision {
                decision.insert("department".into(), str_value(ad.department.name.as_str()));
                decision.insert("sanction".into(), str_value(ad.sanction.zh()));
                decision.insert("date".into(), str_value(date_zh(ad.decided_on)));
                decision.insert("number".into(), opt(ad.document_number.clone()));
            }
            d.insert(
                "committee".into(),
                str_value(details.bodies.committee_of(&form.committee)),
            );
            let evidence: Vec<Value> = details
                .evidence
                .iter()
                .map(|e| str_value(e.as_str()))
                .collect();
            d.insert("evidence".into(), evidence.into_value());
        }
        None => {
            d.insert("unit".into(), str_value(""));
            d.insert("officers".into(), vec![officer("", None)].into_value());
            d.insert("matter".into(), str_value(""));
            d.insert("reasons".into(), Vec::<Value>::new().into_value());
            d.insert("committee".into(), str_value(""));
            d.insert("evidence".into(), Vec::<Value>::new().into_value());
        }
    }
    d.insert("decision".into(), decision.into_value());
    d.insert(
        "committee_opinion".into(),
        opt(form.and(details.committee_opinion.clone())),
    );
    d.insert("fonts".into(), font_inputs(fonts));
    d
}

/// Typesets the 免责容错申请表 (000 annex) on A4: `Some(form)` fills it from the case with
/// `details`; `None` prints the blank form for handwriting (`details` is then ignored).
pub fn render_application_form_pdf(
    form: Option<&ApplicationForm>,
    details: &FormDetails,
    fonts: &Fonts,
) -> Result<Vec<u8>, DocumentError> {
    typeset(&MAIN, inputs(form, details, fonts), fonts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matter_and_reasons_are_split_as_the_web_form_joined_them() {
        let (m, r) =
            split_matter("申请对记过处分适用免责。事实与理由：民警依法处置。\n现场有录像。");
        assert_eq!(m, "申请对记过处分适用免责");
        assert_eq!(r, vec!["民警依法处置。", "现场有录像。"]);
        let (m, r) = split_matter("申请免责");
        assert_eq!((m.as_str(), r.len()), ("申请免责", 0));
    }

    #[test]
    fn a_separate_statement_is_its_own_row_and_a_joined_one_is_split() {
        let mut f = ApplicationForm {
            applicants: Vec::new(),
            applying_unit: lvzhi_workflow::Org {
                id: "u".into(),
                name: "巴彦浩特派出所".into(),
            },
            committee: lvzhi_workflow::Org {
                id: "c".into(),
                name: "阿拉善左旗公安局".into(),
            },
            parent_committee: None,
            matter: "申请对记过处分适用免责。事实与理由：民警依法处置。".into(),
            statement: None,
            accountability_decision: None,
            facts: BTreeMap::new(),
        };
        // Recorded before `statement`: split back.
        assert_eq!(
            matter_and_reasons(&f),
            (
                "申请对记过处分适用免责".to_string(),
                vec!["民警依法处置。".to_string()]
            )
        );
        // With its own statement, the matter is printed as it is and the statement by line.
        f.matter = " 申请对记过处分适用免责 ".into();
        f.statement = Some("民警依法处置。\n\n  现场有录像。 ".into());
        assert_eq!(
            matter_and_reasons(&f),
            (
                "申请对记过处分适用免责".to_string(),
                vec!["民警依法处置。".to_string(), "现场有录像。".to_string()]
            )
        );
    }

    #[test]
    fn evidence_lines_name_the_file() {
        let e = Evidence {
            sm3: "0".repeat(64),
            file_name: "记录仪.mp4".into(),
            description: "执法记录仪视频".into(),
        };
        assert_eq!(evidence_line(&e), "执法记录仪视频（记录仪.mp4）");
        let e = Evidence {
            description: " ".into(),
            ..e
        };
        assert_eq!(evidence_line(&e), "记录仪.mp4");
    }
}
