//! The form of every case action (DESIGN §3): for each workflow action id its Chinese title, the
//! article it implements and its fields, and [`build`], which turns a submitted form into the
//! JSON the workflow's `Command` expects (tagged by `action`) and deserialises it — so the
//! workflow's own types stay the single truth of what a step carries.
//!
//! Field names are dotted paths into the command JSON (`determination.outcome`). A field left
//! empty is left out, so serde's defaults apply; a required one left empty is refused in Chinese
//! naming the field. Select options come from the workflow's enums with their Chinese names.
//! `file` and `open_ex_officio` open cases and have their own page (`ui::apply`).

use axum::Router;
use chrono::NaiveDate;
use lvzhi_workflow::{
    Command, ExternalCategory, Leniency, MemberCategory, Modality, Outcome, OversightBody,
    Sanction, State,
};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::app::App;
use crate::error::AppError;

/// The forms have no routes of their own: `ui::act` serves them.
pub fn routes() -> Router<App> {
    Router::new()
}

/// A select option: the serde id and its Chinese label.
pub type Opt = (String, String);

/// How a field is entered and turned into JSON.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// One line of text.
    Text,
    /// Several lines of text.
    Textarea,
    /// A date (`YYYY-MM-DD`).
    Date,
    /// A whole number of at least 0 (yuan).
    Number,
    /// A checkbox: absent is `false`.
    Check,
    /// An explicit choice between yes (first label) and no (second): never defaulted.
    YesNo(&'static str, &'static str),
    /// One of fixed options.
    Select(fn() -> Vec<Opt>),
    /// Any of fixed options, as a JSON array.
    Multi(fn() -> Vec<Opt>),
    /// Citations separated by 、，, ; or line breaks, as a JSON array.
    List,
    /// An applicant officer of the case (person id).
    Officer,
    /// An objection received during publicity (its index; shown from 1).
    Objection,
    /// A record of 纪检监察 / 检察 involvement (its index; shown from 1).
    Oversight,
    /// A person (id); the page fills the sibling `name` from the directory.
    Person,
    /// The panel: ticked person ids under the field's name, each with
    /// `<name>.<id>.category` and `<name>.<id>.name` (the page fills names).
    PanelMembers,
    /// An expert of the pool (person id); the page fills the name.
    Expert,
    /// Filled by the server (from the directory or the pool), never an input.
    Derived,
    /// Facts in the pack's vocabulary, from `fact.<id>` fields (the case page's interview
    /// types them by the pack; here yes/no and numbers are recognised, the rest is text).
    Facts,
}

/// One field of an action's form.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// Dotted path into the command JSON.
    pub name: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// A short explanation under the field (may be empty).
    pub help: &'static str,
}

/// The form of one action.
#[derive(Debug, Clone, Copy)]
pub struct ActionSpec {
    pub id: &'static str,
    pub title: &'static str,
    /// The article the step implements, e.g. `000 §13`.
    pub article: &'static str,
    /// One sentence on what the step records.
    pub intro: &'static str,
    pub fields: &'static [Field],
    /// Object prefixes that may be left out as a whole (the revised determination of a reply
    /// that upholds the opinion): their fields are required only once any of them is filled.
    pub optional_groups: &'static [&'static str],
}

impl ActionSpec {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

const fn f(name: &'static str, label: &'static str, kind: Kind, required: bool) -> Field {
    Field {
        name,
        label,
        kind,
        required,
        help: "",
    }
}

const fn h(
    name: &'static str,
    label: &'static str,
    kind: Kind,
    required: bool,
    help: &'static str,
) -> Field {
    Field {
        name,
        label,
        kind,
        required,
        help,
    }
}

/// The serde id of a unit enum value (`major_demerit`).
fn id_of<T: Serialize>(v: T) -> String {
    match serde_json::to_value(v) {
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}

fn opts<T: Serialize + Copy>(items: &[T], zh: fn(T) -> String) -> Vec<Opt> {
    items.iter().map(|v| (id_of(*v), zh(*v))).collect()
}

pub const SANCTIONS: [Sanction; 9] = [
    Sanction::Admonition,
    Sanction::WrittenSelfExamination,
    Sanction::CirculatedCriticism,
    Sanction::Warning,
    Sanction::Demerit,
    Sanction::MajorDemerit,
    Sanction::Demotion,
    Sanction::RemovalFromPost,
    Sanction::Expulsion,
];

/// 处理种类 of an accountability decision, lightest first.
pub fn sanction_options() -> Vec<Opt> {
    opts(&SANCTIONS, |s| s.zh().to_string())
}

/// The value of [`sanction_or_revoked_options`] that means "revoked" (`sanction: null`).
pub const REVOKED: &str = "revoked";

fn sanction_or_revoked_options() -> Vec<Opt> {
    let mut v = vec![(REVOKED.to_string(), "撤销原决定（不予处理）".to_string())];
    v.extend(sanction_options());
    v
}

pub fn outcome_options() -> Vec<Opt> {
    opts(
        &[
            Outcome::Exemption,
            Outcome::Tolerance,
            Outcome::Exclusion,
            Outcome::Aggravation,
            Outcome::None,
        ],
        |o| o.zh().to_string(),
    )
}

pub fn modality_options() -> Vec<Opt> {
    opts(&[Modality::Shall, Modality::May], |m| m.zh().to_string())
}

pub fn leniency_options() -> Vec<Opt> {
    opts(
        &[Leniency::Lighter, Leniency::Reduced, Leniency::Waived],
        |l| l.zh().to_string(),
    )
}

/// 审查论证组 member categories (000 §14).
pub fn member_category_zh(c: MemberCategory) -> &'static str {
    match c {
        MemberCategory::Legal => "法制",
        MemberCategory::Discipline => "纪检",
        MemberCategory::OriginalDepartment => "原问责处理决定作出部门",
    }
}

pub fn member_category_options() -> Vec<Opt> {
    opts(
        &[
            MemberCategory::Legal,
            MemberCategory::Discipline,
            MemberCategory::OriginalDepartment,
        ],
        |c| member_category_zh(c).to_string(),
    )
}

pub const EXTERNAL_CATEGORIES: [ExternalCategory; 6] = [
    ExternalCategory::Deputy,
    ExternalCategory::PoliticalLegalStaff,
    ExternalCategory::LegalExpert,
    ExternalCategory::FrontlineOfficer,
    ExternalCategory::PublicRepresentative,
    ExternalCategory::Other,
];

/// The six categories of invited participants, as 000 §18 lists them.
pub fn external_category_zh(c: ExternalCategory) -> &'static str {
    match c {
        ExternalCategory::Deputy => "（一）党代会代表、人大代表、政协委员",
        ExternalCategory::PoliticalLegalStaff => "（二）党委政法委、检察机关、审判机关工作人员",
        ExternalCategory::LegalExpert => "（三）法学专家、知名律师，相关领域专业人员",
        ExternalCategory::FrontlineOfficer => "（四）公安机关基层民警代表",
        ExternalCategory::PublicRepresentative => "（五）人民群众代表",
        ExternalCategory::Other => "（六）其他相关人员",
    }
}

pub fn external_category_options() -> Vec<Opt> {
    opts(&EXTERNAL_CATEGORIES, |c| {
        external_category_zh(c).to_string()
    })
}

/// The Chinese name of a category id as the expert pool stores it (the id itself if unknown).
pub fn external_category_label(id: &str) -> String {
    external_category_options()
        .into_iter()
        .find(|(c, _)| c == id)
        .map(|(_, zh)| zh)
        .unwrap_or_else(|| id.to_string())
}

fn oversight_options() -> Vec<Opt> {
    opts(
        &[
            OversightBody::DisciplineInspection,
            OversightBody::Procuratorate,
        ],
        |b| b.zh().to_string(),
    )
}

/// The proposal's kind (`Proposal` is tagged by `kind`).
fn proposal_options() -> Vec<Opt> {
    vec![
        ("revoke".to_string(), "撤销原问责处理决定".to_string()),
        ("change".to_string(), "变更为较轻的处理".to_string()),
    ]
}

/// The seven eligibility conditions of 000 §19, by field of `Eligibility`.
pub const ELIGIBILITY: [(&str, &str); 7] = [
    ("political_stance", "（一）政治立场坚定"),
    ("integrity", "（二）具有良好的职业素养和品德"),
    ("no_criminal_record", "（三）未因犯罪受过刑事处罚"),
    ("no_disciplinary_record", "（四）未受过党纪、政务处分"),
    (
        "experience_authority",
        "（五）具有丰富的工作经历，在特定领域具有较强权威性或者较大影响力",
    ),
    (
        "no_conflict",
        "（六）与申请人、申请单位或者审查论证事项无利害关系，无应当回避的情形或者其他可能影响公平公正审查论证的情形",
    ),
    ("confidentiality", "（七）能够保守国家秘密、警务秘密和个人隐私"),
];

const BASIS_HELP: &str = "写明认定的事实、理由和依据。";
const DEPARTURE_HELP: &str =
    "认定结论（结论、应当/可以、从宽幅度）与系统记录的建议结论不一致的，必须写明不采纳建议的理由（000 §14）；一致的可不填。";
const ARTICLES_HELP: &str = "多项以顿号分隔，如：000 §7(一)、000 §8。";

/// A determination's fields under `prefix` (`determination`, `revised`).
macro_rules! determination_fields {
    ($p:literal, $req:expr) => {
        [
            f(
                concat!($p, ".outcome"),
                "认定结论",
                Kind::Select(outcome_options),
                $req,
            ),
            h(
                concat!($p, ".modality"),
                "应当 / 可以",
                Kind::Select(modality_options),
                $req,
                "依据的条款规定“应当”还是“可以”。",
            ),
            h(
                concat!($p, ".leniency"),
                "从宽幅度",
                Kind::Select(leniency_options),
                false,
                "认定容错的，应当明确从轻、减轻或者免于追究（000 §8）；其他结论不填。",
            ),
            h(
                concat!($p, ".basis"),
                "认定依据和理由",
                Kind::Textarea,
                $req,
                BASIS_HELP,
            ),
            h(
                concat!($p, ".articles"),
                "依据条款",
                Kind::List,
                false,
                ARTICLES_HELP,
            ),
            h(
                concat!($p, ".original_decision_improper"),
                "原问责处理决定不当，应当建议撤销或者变更",
                Kind::Check,
                false,
                "勾选后，认定生效时由维权委向原决定作出部门提出建议（000 §22、§26）。",
            ),
            h(
                concat!($p, ".departure_reasons"),
                "不采纳系统建议的理由",
                Kind::Textarea,
                false,
                DEPARTURE_HELP,
            ),
        ]
    };
}

const DETERMINATION: [Field; 7] = determination_fields!("determination", true);
const REVISED: [Field; 7] = determination_fields!("revised", true);

const REPLY_FIELDS: [Field; 9] = [
    f(
        "upheld",
        "复查结论",
        Kind::YesNo("维持原意见", "变更原意见"),
        true,
    ),
    h(
        "reasoning",
        "理由",
        Kind::Textarea,
        true,
        "回复意见应当说明理由（000 §21）。",
    ),
    REVISED[0],
    REVISED[1],
    REVISED[2],
    REVISED[3],
    REVISED[4],
    REVISED[5],
    REVISED[6],
];

const APPEAL_FIELDS: [Field; 2] = [
    h(
        "grounds",
        "事由",
        Kind::Textarea,
        true,
        "写明对意见有异议的事项和理由。",
    ),
    h(
        "new_evidence",
        "新的证据",
        Kind::Textarea,
        false,
        "以同一事由再次申请的，应当提出可能推翻原意见结论的新证据（000 §21）。",
    ),
];

const OFFICER: Field = f("officer_id", "民警", Kind::Officer, true);

/// Every case action's form, in the order of the procedure.
pub const SPECS: &[ActionSpec] = &[
    ActionSpec {
        id: "register",
        title: "登记申请",
        article: "000 §13",
        intro: "收到免责容错申请后及时登记，并进行初查。",
        fields: &[],
        optional_groups: &[],
    },
    ActionSpec {
        id: "accept",
        title: "决定受理",
        article: "000 §13",
        intro: "经初查决定受理，系统生成书面受理通知；审查论证期限自受理之日起计算（000 §16）。",
        fields: &[],
        optional_groups: &[],
    },
    ActionSpec {
        id: "reject",
        title: "决定不予受理",
        article: "000 §13",
        intro: "不予受理的，应当书面告知不予受理的理由。",
        fields: &[h(
            "reasons",
            "不予受理的理由",
            Kind::Textarea,
            true,
            "将载入书面不予受理通知。",
        )],
        optional_groups: &[],
    },
    ActionSpec {
        id: "update_facts",
        title: "更新案件事实",
        article: "000 §14",
        intro: "案件事实在案件页面的“事实问询”中逐项填写。",
        fields: &[f("facts", "案件事实", Kind::Facts, true)],
        optional_groups: &[],
    },
    ActionSpec {
        id: "record_recommendation",
        title: "记录系统建议结论",
        article: "000 §14",
        intro: "记录规则引擎依据已查明事实给出的建议结论，作为审查论证的参考。",
        fields: &[
            f(
                "recommendation.outcome",
                "建议结论",
                Kind::Select(outcome_options),
                true,
            ),
            f(
                "recommendation.modality",
                "应当 / 可以",
                Kind::Select(modality_options),
                true,
            ),
            f(
                "recommendation.leniency",
                "从宽幅度",
                Kind::Multi(leniency_options),
                false,
            ),
            h(
                "recommendation.citations",
                "引用条款",
                Kind::List,
                false,
                ARTICLES_HELP,
            ),
            f(
                "recommendation.explanation",
                "说明",
                Kind::Textarea,
                false,
            ),
        ],
        optional_groups: &[],
    },
    ActionSpec {
        id: "form_panel",
        title: "组成审查论证组",
        article: "000 §14",
        intro: "组织法制、纪检等有关成员单位专业人员，视情邀请原问责处理决定作出部门相关人员组成审查论证组。",
        fields: &[h(
            "members",
            "审查论证组成员",
            Kind::PanelMembers,
            true,
            "应当至少包括一名法制成员和一名纪检成员；申请人和已决定回避的人员不能参加（000 §19(六)）。",
        )],
        optional_groups: &[],
    },
    ActionSpec {
        id: "add_evidence",
        title: "添加证据材料",
        article: "000 §14–15",
        intro: "登记已存证的证据文件（以 SM3 摘要标识，文件本身按摘要保存）。",
        fields: &[
            h(
                "evidence.sm3",
                "SM3 摘要",
                Kind::Text,
                true,
                "64 位十六进制数字。",
            ),
            f("evidence.file_name", "文件名", Kind::Text, true),
            f("evidence.description", "说明", Kind::Textarea, false),
        ],
        optional_groups: &[],
    },
    ActionSpec {
        id: "record_hearing",
        title: "记录听取陈述、举证、申辩",
        article: "000 §15",
        intro: "当面听取申请人陈述、举证、申辩，听取申请单位的意见。",
        fields: &[f("summary", "听取情况", Kind::Textarea, true)],
        optional_groups: &[],
    },
    ActionSpec {
        id: "record_site_visit",
        title: "记录实地走访调查",
        article: "000 §15",
        intro: "开展实地走访调查的地点和情况。",
        fields: &[
            f("place", "走访地点", Kind::Text, true),
            f("summary", "走访调查情况", Kind::Textarea, true),
        ],
        optional_groups: &[],
    },
    ActionSpec {
        id: "approve_external_participant",
        title: "批准邀请人员参与审查论证",
        article: "000 §18–19",
        intro: "案情重大、情况复杂、有较大影响的申请事项，经维权委主任或者副主任批准，可以邀请专家库人员参与审查论证；参与人员应当符合 000 §19 规定的七项条件。",
        fields: &[
            f("participant.person_id", "参与人员", Kind::Expert, true),
            f("participant.name", "姓名", Kind::Derived, true),
            f(
                "participant.category",
                "人员类别",
                Kind::Select(external_category_options),
                true,
            ),
            f(
                "participant.eligibility.political_stance",
                ELIGIBILITY[0].1,
                Kind::Check,
                false,
            ),
            f(
                "participant.eligibility.integrity",
                ELIGIBILITY[1].1,
                Kind::Check,
                false,
            ),
            f(
                "participant.eligibility.no_criminal_record",
                ELIGIBILITY[2].1,
                Kind::Check,
                false,
            ),
            f(
                "participant.eligibility.no_disciplinary_record",
                ELIGIBILITY[3].1,
                Kind::Check,
                false,
            ),
            f(
                "participant.eligibility.experience_authority",
                ELIGIBILITY[4].1,
                Kind::Check,
                false,
            ),
            f(
                "participant.eligibility.no_conflict",
                ELIGIBILITY[5].1,
                Kind::Check,
                false,
            ),
            f(
                "participant.eligibility.confidentiality",
                ELIGIBILITY[6].1,
                Kind::Check,
                false,
            ),
            h(
                "participant.no_conflict_declaration",
                "无利害关系声明",
                Kind::Textarea,
                true,
                "参与人员书面声明与申请人、申请单位或者审查论证事项无利害关系（000 §19(六)）。",
            ),
            h(
                "grounds",
                "案情重大、情况复杂或者有较大影响的理由",
                Kind::Textarea,
                false,
                "本案尚未认定为重大复杂事项的，必须填写（000 §18）。",
            ),
        ],
        optional_groups: &[],
    },
    ActionSpec {
        id: "record_recusal",
        title: "决定回避",
        article: "000 §19(六)",
        intro: "与申请人、申请单位或者审查论证事项有利害关系的人员应当回避；决定回避后，该人员不再参与本案任何办理事项，也不能查看本案。",
        fields: &[
            f("person_id", "回避人员", Kind::Person, true),
            f("name", "姓名", Kind::Derived, true),
            f("reason", "回避理由", Kind::Textarea, true),
        ],
        optional_groups: &[],
    },
    ActionSpec {
        id: "extend_review",
        title: "延长审查论证期限",
        article: "000 §18、§20",
        intro: "第一次延长经维权委主任或者副主任批准（000 §18），再次延长经维权委主任批准（000 §20），每次延长15个工作日，应当在期限届满前办理。",
        fields: &[h(
            "grounds",
            "延长理由",
            Kind::Textarea,
            true,
            "写明案情重大、情况复杂、有较大影响或者未能按期审查论证完毕的理由。",
        )],
        optional_groups: &[],
    },
    ActionSpec {
        id: "record_interim_line",
        title: "议定阶段性对外宣传口径",
        article: "000 §17",
        intro: "对确定不能按期办结的重大、疑难、复杂申请事项，议定阶段性对外宣传口径，防止舆情恶化，并确定推进工作进展的措施。",
        fields: &[
            f("public_line", "阶段性对外宣传口径", Kind::Textarea, true),
            f("measures", "推进工作进展的措施", Kind::Textarea, true),
        ],
        optional_groups: &[],
    },
    ActionSpec {
        id: "draft_opinion",
        title: "起草审查论证意见",
        article: "000 §14",
        intro: "审查论证组对民警履职行为的合法合规性、采取措施的适度合理性、主客观情况、因果关系以及是否适用免责容错进行全面审查论证后，起草审查论证意见，报维权委主任或者副主任批准。",
        fields: &DETERMINATION,
        optional_groups: &[],
    },
    ActionSpec {
        id: "approve_opinion",
        title: "批准审查论证意见",
        article: "000 §14",
        intro: "维权委主任或者副主任批准审查论证意见后，由维权办书面出具。",
        fields: &[],
        optional_groups: &[],
    },
    ActionSpec {
        id: "issue_opinion",
        title: "出具审查论证意见",
        article: "000 §16",
        intro: "向申请人或者申请单位书面出具审查论证意见，系统生成意见书全文；复议期限自收到意见之日起计算（000 §21）。",
        fields: &[],
        optional_groups: &[],
    },
    ActionSpec {
        id: "record_receipt",
        title: "记录送达日期",
        article: "000 §21",
        intro: "申请人晚于出具日收到意见或者回复的，记录实际收到的日期；申请复议、复核的期限自收到之日起计算。",
        fields: &[f("received_on", "收到日期", Kind::Date, true)],
        optional_groups: &[],
    },
    ActionSpec {
        id: "declare_no_objection",
        title: "表示无异议",
        article: "000 §23",
        intro: "申请人对现行意见无异议的，意见即行生效，可以公示并运用结果；表示无异议后不能再申请复议、复核。",
        fields: &[],
        optional_groups: &[],
    },
    ActionSpec {
        id: "apply_reconsideration",
        title: "申请复议",
        article: "000 §21",
        intro: "对审查论证意见有异议的，可以自收到意见之日起10个工作日内向所属单位维权委申请复议。",
        fields: &APPEAL_FIELDS,
        optional_groups: &[],
    },
    ActionSpec {
        id: "reply_reconsideration",
        title: "回复复议意见",
        article: "000 §21",
        intro: "维权委应当在收到复议申请之日起15个工作日内书面回复复议意见；变更原意见的，填写变更后的认定。",
        fields: &REPLY_FIELDS,
        optional_groups: &["revised"],
    },
    ActionSpec {
        id: "apply_re_review",
        title: "申请复核",
        article: "000 §21",
        intro: "对复议意见仍有异议的，可以自收到复议意见之日起10个工作日内向上一级公安机关维权委申请复核。",
        fields: &APPEAL_FIELDS,
        optional_groups: &[],
    },
    ActionSpec {
        id: "reply_re_review",
        title: "回复复核意见",
        article: "000 §21",
        intro: "上一级维权委应当自收到复核申请之日起30个工作日内书面回复复核意见，并抄告原复议机构；变更原意见的，填写变更后的认定。",
        fields: &REPLY_FIELDS,
        optional_groups: &["revised"],
    },
    ActionSpec {
        id: "start_publicity",
        title: "开始公示",
        article: "000 §23",
        intro: "对申请人无意见或者经复议复核的免责容错认定意见，在申请人所在单位公示，接受监督；公示期不少于五日。",
        fields: &[f("place", "公示地点", Kind::Text, true)],
        optional_groups: &[],
    },
    ActionSpec {
        id: "record_objection",
        title: "记录公示期间收到的反映",
        article: "000 §23",
        intro: "公示期间，本级维权办或者问责机关、部门收到反映申请人有不符合免责或者减轻责任的证据或者线索的，应当记录并认真甄别核实。",
        fields: &[h(
            "summary",
            "反映的内容",
            Kind::Textarea,
            true,
            "写明反映人（可匿名）、反映的证据或者线索。",
        )],
        optional_groups: &[],
    },
    ActionSpec {
        id: "resolve_objection",
        title: "核实公示期间收到的反映",
        article: "000 §23",
        intro: "对公示期间收到的反映逐件甄别核实；核实属实的，认定意见须经维权委主任或者副主任修正后才能继续。",
        fields: &[
            f("index", "反映", Kind::Objection, true),
            f(
                "substantiated",
                "核实结论",
                Kind::YesNo("反映属实", "反映不属实"),
                true,
            ),
            f("finding", "甄别核实情况", Kind::Textarea, true),
        ],
        optional_groups: &[],
    },
    ActionSpec {
        id: "close_publicity",
        title: "结束公示",
        article: "000 §23",
        intro: "公示期届满且收到的反映均已甄别核实的，结束公示。",
        fields: &[],
        optional_groups: &[],
    },
    ActionSpec {
        id: "revise_determination",
        title: "修正认定意见",
        article: "000 §23",
        intro: "公示期间的反映经核实属实的，由维权委主任或者副主任修正认定意见。",
        fields: &DETERMINATION,
        optional_groups: &[],
    },
    ActionSpec {
        id: "send_recommendation",
        title: "提出撤销或者变更原决定的建议",
        article: "000 §22、§26",
        intro: "经审查论证认为原问责处理决定不当、应当适用免责容错的，按照干部管理权限，将审查论证意见通报原决定作出部门，提出撤销或者变更原决定的建议；系统生成建议书全文。",
        fields: &[
            f(
                "proposal.kind",
                "建议",
                Kind::Select(proposal_options),
                true,
            ),
            h(
                "proposal.to",
                "变更后的处理",
                Kind::Select(sanction_options),
                false,
                "建议变更的必须选择，且应当轻于现行处理。",
            ),
            f("reasons", "原决定不当的理由", Kind::Textarea, true),
        ],
        optional_groups: &[],
    },
    ActionSpec {
        id: "answer_recommendation",
        title: "答复撤销或者变更原决定的建议",
        article: "000 §27",
        intro: "问责处理决定部门对维权委提出的撤销或者变更原决定的建议，无正当理由的，应当采纳。",
        fields: &[
            f(
                "adopted",
                "是否采纳",
                Kind::YesNo("采纳", "不予采纳"),
                true,
            ),
            h(
                "justification",
                "不予采纳的正当理由",
                Kind::Textarea,
                false,
                "不予采纳的，必须书面说明正当理由（000 §27）。",
            ),
        ],
        optional_groups: &[],
    },
    ActionSpec {
        id: "record_sanction_change",
        title: "记录原问责处理决定的变更",
        article: "000 §21–22",
        intro: "原问责处理决定的执行不因本申请而停止（000 §22）；记录其撤销或者变更。申请人申请复议复核后，不得因此加重处理（000 §21）。",
        fields: &[
            f(
                "sanction",
                "变更后的处理",
                Kind::Select(sanction_or_revoked_options),
                true,
            ),
            f("reason", "变更理由", Kind::Textarea, true),
        ],
        optional_groups: &[],
    },
    ActionSpec {
        id: "record_oversight",
        title: "记录纪检监察机关、检察机关介入",
        article: "000 §29",
        intro: "纪检监察机关、检察机关对有关案事件介入调查的，记录介入情况；公安机关认为民警具有免责容错情形的，应当提供相关依据证据，提出意见建议。",
        fields: &[
            f(
                "body",
                "介入机关类别",
                Kind::Select(oversight_options),
                true,
            ),
            f("body_name", "介入机关名称", Kind::Text, true),
            f("description", "介入调查情况", Kind::Textarea, true),
        ],
        optional_groups: &[],
    },
    ActionSpec {
        id: "provide_opinion_to_oversight",
        title: "向介入机关提供意见建议",
        article: "000 §29",
        intro: "向介入机关提供相关依据证据和意见建议；已作出审查论证意见的，应当及时一并提供。",
        fields: &[
            f("index", "介入记录", Kind::Oversight, true),
            f("summary", "提供的依据证据和意见建议", Kind::Textarea, true),
        ],
        optional_groups: &[],
    },
    ActionSpec {
        id: "record_oversight_answer",
        title: "记录介入机关采纳情况",
        article: "000 §29",
        intro: "记录介入机关是否采纳所提意见建议；不被采纳的，应当及时报告上一级公安机关。",
        fields: &[
            f("index", "介入记录", Kind::Oversight, true),
            f(
                "adopted",
                "采纳情况",
                Kind::YesNo("已采纳", "未采纳"),
                true,
            ),
            f("note", "情况说明", Kind::Textarea, true),
        ],
        optional_groups: &[],
    },
    ActionSpec {
        id: "report_upward",
        title: "报告上一级公安机关",
        article: "000 §29",
        intro: "意见建议不被介入机关采纳的，及时报告上一级公安机关。",
        fields: &[
            f("index", "介入记录", Kind::Oversight, true),
            f("summary", "报告内容", Kind::Textarea, true),
        ],
        optional_groups: &[],
    },
    ActionSpec {
        id: "decide_compensation",
        title: "作出补偿决定",
        article: "000 §24",
        intro: "民警依法履职免责容错对公民、法人或者其他组织合法权益造成的损害，由其所属单位参照有关规定作出是否给予补偿的决定。",
        fields: &[
            f(
                "granted",
                "是否给予补偿",
                Kind::YesNo("给予补偿", "不予补偿"),
                true,
            ),
            h(
                "amount_yuan",
                "补偿金额（元）",
                Kind::Number,
                false,
                "给予补偿的必须填写；不予补偿的不填。",
            ),
            f("basis", "参照的规定和理由", Kind::Textarea, true),
        ],
        optional_groups: &[],
    },
    ActionSpec {
        id: "apply_protections",
        title: "落实免责民警权益保障",
        article: "000 §30",
        intro: "对依法履职免责的民警，不影响其各类考核，干部提拔任用、职务职级和警衔晋升，评先评优、表彰奖励，以及党代会代表、人大代表、政协委员资格。",
        fields: &[OFFICER],
        optional_groups: &[],
    },
    ActionSpec {
        id: "record_counselling",
        title: "记录谈心谈话、心理疏导",
        article: "000 §31",
        intro: "对适用依法履职免责的民警，及时开展谈心谈话、心理疏导，消除后顾之忧。",
        fields: &[OFFICER, f("summary", "谈话疏导情况", Kind::Textarea, true)],
        optional_groups: &[],
    },
    ActionSpec {
        id: "set_rectification",
        title: "制定纠错整改措施",
        article: "000 §31",
        intro: "对适用容错的民警，制定并落实有针对性的纠错和整改措施，加强回访教育、跟踪管理。",
        fields: &[
            OFFICER,
            f("measures", "纠错和整改措施", Kind::Textarea, true),
            f("follow_up", "回访教育、跟踪管理安排", Kind::Textarea, true),
        ],
        optional_groups: &[],
    },
    ActionSpec {
        id: "record_recurrence",
        title: "记录整改效果不明显或者同类错误再次发生",
        article: "000 §31",
        intro: "整改效果不明显，或者同一类型错误再次发生的，应当依规依纪依法问责处理。",
        fields: &[OFFICER, f("description", "情况说明", Kind::Textarea, true)],
        optional_groups: &[],
    },
];

/// The form of an action id (`None` for `file`, `open_ex_officio` and unknown ids).
pub fn spec(action: &str) -> Option<&'static ActionSpec> {
    SPECS.iter().find(|s| s.id == action)
}

/// Longest accepted text, in characters (a one-line field, and a multi-line one).
const MAX_LINE: usize = 500;
const MAX_TEXT: usize = 20_000;

fn first<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

fn all<'a>(fields: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for (k, v) in fields {
        let v = v.trim();
        if k == name && !v.is_empty() && !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

fn bad(message: String) -> AppError {
    AppError::BadRequest(message)
}

fn text_value(field: &Field, v: &str, max: usize) -> Result<Value, AppError> {
    if v.chars().count() > max {
        return Err(bad(format!("“{}”不能超过 {max} 个字", field.label)));
    }
    Ok(Value::String(v.to_string()))
}

fn pick(field: &Field, options: &[Opt], v: &str) -> Result<Value, AppError> {
    if options.iter().any(|(id, _)| id == v) {
        Ok(Value::String(v.to_string()))
    } else {
        Err(bad(format!("“{}”的选项“{v}”无效", field.label)))
    }
}

fn index_value(field: &Field, v: &str) -> Result<Value, AppError> {
    v.parse::<usize>()
        .map(|n| Value::from(n as u64))
        .map_err(|_| bad(format!("请从列表中选择“{}”", field.label)))
}

/// A field's JSON value from the form (`None`: left empty).
fn value(
    field: &Field,
    fields: &[(String, String)],
    state: &State,
) -> Result<Option<Value>, AppError> {
    let label = field.label;
    let raw = first(fields, field.name);
    let v = match field.kind {
        Kind::Check => {
            let on = raw.is_some_and(|v| matches!(v, "on" | "true" | "1" | "yes"));
            return Ok(Some(Value::Bool(on)));
        }
        Kind::Multi(options) => {
            let options = options();
            let mut out = Vec::new();
            for v in all(fields, field.name) {
                out.push(pick(field, &options, v)?);
            }
            return Ok(if out.is_empty() {
                None
            } else {
                Some(Value::Array(out))
            });
        }
        Kind::PanelMembers => return panel_members(field, fields),
        Kind::Facts => return Ok(facts(fields)),
        _ => match raw {
            Some(v) => v,
            None => return Ok(None),
        },
    };
    Ok(Some(match field.kind {
        Kind::Text | Kind::Person | Kind::Expert | Kind::Derived => text_value(field, v, MAX_LINE)?,
        Kind::Textarea => text_value(field, v, MAX_TEXT)?,
        Kind::Date => match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
            Ok(d) => Value::String(d.to_string()),
            Err(_) => {
                return Err(bad(format!(
                    "“{label}”应为有效日期（年-月-日，如 2024-10-08）"
                )))
            }
        },
        Kind::Number => match v.replace([',', '，', ' '], "").parse::<u64>() {
            Ok(n) => Value::from(n),
            Err(_) => return Err(bad(format!("“{label}”应为不小于 0 的整数"))),
        },
        Kind::YesNo(..) => match v {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(bad(format!("“{label}”的选项“{v}”无效"))),
        },
        Kind::Select(options) => pick(field, &options(), v)?,
        Kind::List => {
            let items: Vec<Value> = v
                .split(['、', ',', '，', ';', '；', '\n'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_string()))
                .collect();
            if items.len() > 100 || v.chars().count() > MAX_TEXT {
                return Err(bad(format!("“{label}”的条目过多")));
            }
            Value::Array(items)
        }
        Kind::Officer => {
            if !state.applicant_ids().contains(&v) {
                return Err(bad(format!("所选{label}不是本案申请民警")));
            }
            Value::String(v.to_string())
        }
        Kind::Objection | Kind::Oversight => index_value(field, v)?,
        Kind::Check | Kind::Multi(_) | Kind::PanelMembers | Kind::Facts => return Ok(None),
    }))
}

/// `fact.<id>` fields as a facts map; empty or `unknown` answers leave a fact unknown.
fn facts(fields: &[(String, String)]) -> Option<Value> {
    let mut out = Map::new();
    for (k, v) in fields {
        let (Some(id), v) = (k.strip_prefix("fact."), v.trim()) else {
            continue;
        };
        if id.trim().is_empty() || v.is_empty() || v == "unknown" {
            continue;
        }
        let value = match v {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => match v.parse::<f64>().ok().and_then(serde_json::Number::from_f64) {
                Some(n) => Value::Number(n),
                None => Value::String(v.to_string()),
            },
        };
        out.insert(id.to_string(), value);
    }
    (!out.is_empty()).then_some(Value::Object(out))
}

/// The panel from ticked ids, each with its category and name.
fn panel_members(field: &Field, fields: &[(String, String)]) -> Result<Option<Value>, AppError> {
    let categories = member_category_options();
    let mut out = Vec::new();
    for id in all(fields, field.name) {
        let name = first(fields, &format!("{}.{id}.name", field.name))
            .ok_or_else(|| bad(format!("{}中人员“{id}”缺少姓名", field.label)))?;
        let Some(category) = first(fields, &format!("{}.{id}.category", field.name)) else {
            return Err(bad(format!(
                "请为{name}选择成员类别（法制、纪检或者原问责处理决定作出部门）"
            )));
        };
        if !categories.iter().any(|(c, _)| c == category) {
            return Err(bad(format!("{name}的成员类别“{category}”无效")));
        }
        out.push(serde_json::json!({ "person_id": id, "name": name, "category": category }));
    }
    Ok(if out.is_empty() {
        None
    } else {
        Some(Value::Array(out))
    })
}

fn insert(root: &mut Map<String, Value>, path: &str, v: Value) {
    let mut parts = path.split('.').peekable();
    let mut at = root;
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            at.insert(part.to_string(), v);
            return;
        }
        let entry = at
            .entry(part.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        match entry {
            Value::Object(m) => at = m,
            _ => return,
        }
    }
}

/// Whether anything was entered under an optional group (`revised.…`).
fn group_filled(fields: &[(String, String)], group: &str) -> bool {
    let prefix = format!("{group}.");
    fields
        .iter()
        .any(|(k, v)| k.starts_with(&prefix) && !v.trim().is_empty())
}

/// Turns a submitted form into the workflow's command for `action`. Names and values are
/// checked against the action's form first, so every refusal names the field in Chinese; the
/// result is the workflow's own `Command`, deserialised from the JSON the form describes.
pub fn build(
    action: &str,
    fields: &[(String, String)],
    state: &State,
) -> Result<Command, AppError> {
    let Some(spec) = spec(action) else {
        return Err(AppError::NotFound(format!("没有“{action}”这一办理事项")));
    };
    let mut root = Map::new();
    root.insert("action".to_string(), Value::String(spec.id.to_string()));
    for field in spec.fields {
        let group = spec
            .optional_groups
            .iter()
            .find(|g| field.name.starts_with(&format!("{g}.")));
        if let Some(g) = group {
            if !group_filled(fields, g) {
                continue;
            }
        }
        match value(field, fields, state)? {
            Some(v) => insert(&mut root, field.name, v),
            None if field.required => {
                return Err(bad(match field.kind {
                    Kind::Derived => format!("无法确定{}，请重新选择", field.label),
                    Kind::PanelMembers => format!("请选择{}", field.label),
                    Kind::Select(_)
                    | Kind::YesNo(..)
                    | Kind::Officer
                    | Kind::Objection
                    | Kind::Oversight
                    | Kind::Person
                    | Kind::Expert => format!("请选择“{}”", field.label),
                    _ => format!("请填写“{}”", field.label),
                }))
            }
            None => {}
        }
    }
    adjust(spec, &mut root)?;
    serde_json::from_value::<Command>(Value::Object(root)).map_err(|_| {
        bad(format!(
            "“{}”的表单内容不完整或者有误，请检查后重新提交",
            spec.title
        ))
    })
}

/// What a field's kind alone cannot say: a proposal to change names the lighter sanction, and
/// "revoked" is the absence of a sanction.
fn adjust(spec: &ActionSpec, root: &mut Map<String, Value>) -> Result<(), AppError> {
    match spec.id {
        "send_recommendation" => {
            if let Some(Value::Object(p)) = root.get_mut("proposal") {
                let change = p.get("kind").and_then(Value::as_str) == Some("change");
                if !change {
                    p.remove("to");
                } else if !p.contains_key("to") {
                    return Err(bad("建议变更原决定的，请选择“变更后的处理”".to_string()));
                }
            }
        }
        "record_sanction_change"
            if root.get("sanction").and_then(Value::as_str) == Some(REVOKED) =>
        {
            root.insert("sanction".to_string(), Value::Null);
        }
        // Grounds are optional once the case is recorded as major (000 §18), but the
        // command always carries them.
        "approve_external_participant" => {
            root.entry("grounds")
                .or_insert_with(|| Value::String(String::new()));
        }
        _ => {}
    }
    Ok(())
}

/// A filled form for an action on `state` — for tests, and for probing why an action is not
/// open. Every required field has a plausible value.
pub fn sample_form(spec: &ActionSpec, state: &State) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut push = |k: String, v: &str| out.push((k, v.to_string()));
    for field in spec.fields {
        let name = field.name.to_string();
        match field.kind {
            Kind::Text | Kind::Textarea | Kind::Derived => push(name, "经审查核实"),
            Kind::Date => push(name, "2024-10-08"),
            Kind::Number => push(name, "1000"),
            Kind::Check => push(name, "on"),
            Kind::YesNo(..) => push(name, "true"),
            Kind::Select(o) | Kind::Multi(o) => {
                if let Some((id, _)) = o().first() {
                    push(name, id);
                }
            }
            Kind::List => push(name, "000 §7(一)、000 §8"),
            Kind::Officer => {
                if let Some(id) = state.applicant_ids().first() {
                    push(name, id);
                }
            }
            Kind::Objection | Kind::Oversight => push(name, "0"),
            Kind::Facts => push("fact.sample".to_string(), "true"),
            Kind::Person | Kind::Expert => push(name, "sample-person"),
            Kind::PanelMembers => {
                for (id, cat) in [
                    ("sample-legal", "legal"),
                    ("sample-discipline", "discipline"),
                ] {
                    push(name.clone(), id);
                    push(format!("{name}.{id}.category"), cat);
                    push(format!("{name}.{id}.name"), "审查论证组成员");
                }
            }
        }
    }
    // An evidence digest is 64 hexadecimal digits.
    if spec.id == "add_evidence" {
        for (k, v) in out.iter_mut() {
            if k == "evidence.sm3" {
                *v = "0".repeat(64);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use lvzhi_workflow::{ApplicationForm, Officer, Org, Proposal, ACTIONS};

    fn state() -> State {
        State {
            form: Some(ApplicationForm {
                applicants: vec![Officer {
                    person_id: "p-1".into(),
                    name: "张三".into(),
                }],
                applying_unit: Org {
                    id: "u".into(),
                    name: "派出所".into(),
                },
                committee: Org {
                    id: "c".into(),
                    name: "公安局".into(),
                },
                parent_committee: None,
                matter: "申请免责".into(),
                statement: None,
                accountability_decision: None,
                facts: Default::default(),
            }),
            ..Default::default()
        }
    }

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn every_case_action_has_a_form_and_its_sample_builds_that_command() {
        let s = state();
        for (id, _) in ACTIONS {
            if matches!(*id, "file" | "open_ex_officio") {
                assert!(spec(id).is_none(), "{id} opens a case: no case form");
                continue;
            }
            let sp = spec(id).unwrap_or_else(|| panic!("no form for {id}"));
            let cmd = build(id, &sample_form(sp, &s), &s).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(cmd.action_id(), *id);
        }
        // And no form for an action the workflow does not know.
        for sp in SPECS {
            assert!(ACTIONS.iter().any(|(id, _)| *id == sp.id), "{}", sp.id);
            assert!(!sp.title.is_empty() && sp.article.starts_with("000 §"));
        }
    }

    #[test]
    fn the_required_fields_alone_build_every_command() {
        let s = state();
        for sp in SPECS {
            let keep = |k: &str| {
                k.starts_with("fact.")
                    || sp.fields.iter().any(|f| {
                        f.required && (k == f.name || k.starts_with(&format!("{}.", f.name)))
                    })
            };
            let form: Vec<(String, String)> = sample_form(sp, &s)
                .into_iter()
                .filter(|(k, _)| keep(k))
                .collect();
            let cmd = build(sp.id, &form, &s).unwrap_or_else(|e| panic!("{}: {e}", sp.id));
            assert_eq!(cmd.action_id(), sp.id);
        }
    }

    #[test]
    fn titles_match_the_workflow_labels() {
        for sp in SPECS {
            assert_eq!(
                Some(sp.title),
                lvzhi_workflow::action_label(sp.id),
                "{}",
                sp.id
            );
        }
    }

    #[test]
    fn select_options_are_the_workflow_enums() {
        for (id, _) in sanction_options() {
            let _: Sanction = serde_json::from_value(Value::String(id)).unwrap();
        }
        for (id, _) in outcome_options() {
            let _: Outcome = serde_json::from_value(Value::String(id)).unwrap();
        }
        for (id, _) in member_category_options() {
            let _: MemberCategory = serde_json::from_value(Value::String(id)).unwrap();
        }
        for (id, _) in external_category_options() {
            let _: ExternalCategory = serde_json::from_value(Value::String(id)).unwrap();
        }
        for (id, _) in oversight_options() {
            let _: OversightBody = serde_json::from_value(Value::String(id)).unwrap();
        }
        assert_eq!(sanction_options().len(), 9);
        assert_eq!(external_category_options().len(), 6);
        let e: lvzhi_workflow::Eligibility = serde_json::from_value(serde_json::json!(ELIGIBILITY
            .iter()
            .map(|(k, _)| (k.to_string(), Value::Bool(true)))
            .collect::<Map<String, Value>>()))
        .unwrap();
        assert!(e.unmet().is_empty());
    }

    #[test]
    fn draft_opinion_builds_the_determination() {
        let s = state();
        let cmd = build(
            "draft_opinion",
            &form(&[
                ("determination.outcome", "tolerance"),
                ("determination.modality", "may"),
                ("determination.leniency", "reduced"),
                ("determination.basis", " 经审查 "),
                ("determination.articles", "000 §8、 000 §7(一)，"),
                ("determination.departure_reasons", ""),
                ("_csrf", "x"),
            ]),
            &s,
        )
        .unwrap();
        let Command::DraftOpinion { determination: d } = cmd else {
            panic!("wrong command")
        };
        assert_eq!(d.outcome, Outcome::Tolerance);
        assert_eq!(d.leniency, Some(Leniency::Reduced));
        assert_eq!(d.basis, "经审查");
        assert_eq!(d.articles, vec!["000 §8", "000 §7(一)"]);
        assert!(!d.original_decision_improper);
        assert_eq!(d.departure_reasons, None);
    }

    #[test]
    fn missing_and_bad_values_name_the_field_in_chinese() {
        let s = state();
        let e = build("reject", &form(&[("reasons", "  ")]), &s).unwrap_err();
        assert!(matches!(e, AppError::BadRequest(_)));
        assert_eq!(e.to_string(), "请填写“不予受理的理由”");
        let e = build(
            "draft_opinion",
            &form(&[
                ("determination.outcome", "pardon"),
                ("determination.modality", "may"),
                ("determination.basis", "b"),
            ]),
            &s,
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "“认定结论”的选项“pardon”无效");
        let e = build(
            "record_receipt",
            &form(&[("received_on", "2024-02-30")]),
            &s,
        )
        .unwrap_err();
        assert!(e.to_string().contains("收到日期"), "{e}");
        let e = build(
            "decide_compensation",
            &form(&[("granted", "true"), ("amount_yuan", "-5"), ("basis", "b")]),
            &s,
        )
        .unwrap_err();
        assert!(e.to_string().contains("补偿金额"), "{e}");
        let e = build(
            "apply_protections",
            &form(&[("officer_id", "someone-else")]),
            &s,
        )
        .unwrap_err();
        assert!(e.to_string().contains("不是本案申请民警"), "{e}");
        let e = build("no_such_action", &[], &s).unwrap_err();
        assert!(matches!(e, AppError::NotFound(_)));
        let e = build("answer_recommendation", &form(&[("adopted", "maybe")]), &s).unwrap_err();
        assert!(e.to_string().contains("是否采纳"), "{e}");
    }

    #[test]
    fn a_reply_upholding_the_opinion_carries_no_revised_determination() {
        let s = state();
        let cmd = build(
            "reply_reconsideration",
            &form(&[
                ("upheld", "true"),
                ("reasoning", "维持"),
                ("revised.outcome", ""),
                ("revised.basis", ""),
            ]),
            &s,
        )
        .unwrap();
        assert_eq!(
            cmd,
            Command::ReplyReconsideration {
                upheld: true,
                reasoning: "维持".into(),
                revised: None
            }
        );
        // Once anything of the revision is entered, its required fields are required.
        let e = build(
            "reply_reconsideration",
            &form(&[
                ("upheld", "false"),
                ("reasoning", "变更"),
                ("revised.basis", "新理由"),
            ]),
            &s,
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "请选择“认定结论”");
    }

    #[test]
    fn proposals_and_revocation_follow_the_workflow_serde() {
        let s = state();
        let cmd = build(
            "send_recommendation",
            &form(&[
                ("proposal.kind", "revoke"),
                ("proposal.to", "warning"),
                ("reasons", "不当"),
            ]),
            &s,
        )
        .unwrap();
        assert_eq!(
            cmd,
            Command::SendRecommendation {
                proposal: Proposal::Revoke,
                reasons: "不当".into()
            }
        );
        let cmd = build(
            "send_recommendation",
            &form(&[
                ("proposal.kind", "change"),
                ("proposal.to", "warning"),
                ("reasons", "过重"),
            ]),
            &s,
        )
        .unwrap();
        assert!(matches!(
            cmd,
            Command::SendRecommendation {
                proposal: Proposal::Change {
                    to: Sanction::Warning
                },
                ..
            }
        ));
        assert!(build(
            "send_recommendation",
            &form(&[("proposal.kind", "change"), ("reasons", "过重")]),
            &s
        )
        .is_err());
        let cmd = build(
            "record_sanction_change",
            &form(&[("sanction", REVOKED), ("reason", "采纳建议")]),
            &s,
        )
        .unwrap();
        assert_eq!(
            cmd,
            Command::RecordSanctionChange {
                sanction: None,
                reason: "采纳建议".into()
            }
        );
    }

    #[test]
    fn panel_members_need_a_category_each() {
        let s = state();
        let cmd = build(
            "form_panel",
            &form(&[
                ("members", "a"),
                ("members.a.category", "legal"),
                ("members.a.name", "甲"),
                ("members", "b"),
                ("members.b.category", "discipline"),
                ("members.b.name", "乙"),
                ("members.c.category", "legal"),
            ]),
            &s,
        )
        .unwrap();
        let Command::FormPanel { members } = cmd else {
            panic!()
        };
        assert_eq!(members.len(), 2);
        assert_eq!(members[1].category, MemberCategory::Discipline);
        let e = build(
            "form_panel",
            &form(&[("members", "a"), ("members.a.name", "甲")]),
            &s,
        )
        .unwrap_err();
        assert!(e.to_string().contains("请为甲选择成员类别"), "{e}");
        let e = build("form_panel", &form(&[]), &s).unwrap_err();
        assert_eq!(e.to_string(), "请选择审查论证组成员");
    }

    #[test]
    fn eligibility_boxes_left_unticked_are_false() {
        let s = state();
        let cmd = build(
            "approve_external_participant",
            &form(&[
                ("participant.person_id", "x-1"),
                ("participant.name", "李律师"),
                ("participant.category", "legal_expert"),
                ("participant.eligibility.political_stance", "on"),
                ("participant.no_conflict_declaration", "无利害关系"),
            ]),
            &s,
        )
        .unwrap();
        let Command::ApproveExternalParticipant { participant, .. } = cmd else {
            panic!()
        };
        assert!(participant.eligibility.political_stance);
        assert_eq!(participant.eligibility.unmet().len(), 6);
    }
}
