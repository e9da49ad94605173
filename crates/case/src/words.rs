//! The words every process shares (DESIGN §2): who acts and in which role, the record of who
//! acted, organisations, the sanctions an accountability decision imposes, and the written
//! notices with their seals. They were the 000 application's; every process owns them now.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};

/// Who a person acts as (DESIGN §1). Its id ([`Role::id`]) is its serde name, derived by strum
/// and pinned to serde's by a test: roles are stored in events and are the Cedar role ids.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Role {
    /// 民警 (applicant officer).
    Officer,
    /// 申请单位 / 所在单位.
    Unit,
    /// 维权办 staff.
    Office,
    /// 维权委主任.
    Director,
    /// 维权委副主任.
    DeputyDirector,
    /// 维权委成员.
    CommitteeMember,
    /// 审查论证组成员.
    PanelMember,
    /// 邀请参与审查论证的人员 (000 §18).
    ExternalExpert,
    /// 原问责决定部门.
    OriginalDepartment,
    /// 上一级维权委 (receives 复核, 000 §21).
    HigherCommittee,
    /// The system itself (deemed acceptance, 000 §13).
    System,
    /// 系统管理员: organisations and people, never case decisions.
    Administrator,
    /// 法制部门: checks and determines enforcement-fault cases and proposes how to deal with
    /// them (004 §26).
    LegalAffairs,
    /// 警务督察部门: decides enforcement-fault discipline with 人事 (004 §26¶2), orders unfair
    /// sanctions corrected within a deadline (001 §28).
    Inspectorate,
    /// 人事部门: decides enforcement-fault discipline as the 督察 may (004 §26¶2, "报督察或者人事
    /// 部门") and keeps the personnel file the decision is recorded in (004 §22).
    Personnel,
    /// 公安机关行政首长: approves, or returns, each decision of the 督察 or 人事 on an
    /// enforcement fault (004 §26¶2 "报公安机关行政首长审批") — an act of that person, not a
    /// name typed by another.
    AgencyHead,
}

impl Role {
    /// Every role a person may hold on a case: all but the system and the administrator (who
    /// administers the directory, never a case).
    pub const ON_CASES: [Role; 14] = [
        Role::Officer,
        Role::Unit,
        Role::Office,
        Role::Director,
        Role::DeputyDirector,
        Role::CommitteeMember,
        Role::PanelMember,
        Role::ExternalExpert,
        Role::OriginalDepartment,
        Role::HigherCommittee,
        Role::LegalAffairs,
        Role::Inspectorate,
        Role::Personnel,
        Role::AgencyHead,
    ];

    /// The role's id, as serialised (`office`, `deputy_director`, …).
    pub fn id(self) -> &'static str {
        self.into()
    }

    /// The role's Chinese name as documents and messages write it.
    pub fn zh(self) -> &'static str {
        match self {
            Role::Officer => "申请民警",
            Role::Unit => "申请单位",
            Role::Office => "维权办",
            Role::Director => "维权委主任",
            Role::DeputyDirector => "维权委副主任",
            Role::CommitteeMember => "维权委成员",
            Role::PanelMember => "审查论证组成员",
            Role::ExternalExpert => "特邀审查论证人员",
            Role::OriginalDepartment => "原问责决定部门",
            Role::HigherCommittee => "上一级维权委",
            Role::System => "系统",
            Role::Administrator => "系统管理员",
            Role::LegalAffairs => "法制部门",
            Role::Inspectorate => "警务督察部门",
            Role::Personnel => "人事部门",
            Role::AgencyHead => "公安机关行政首长",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.zh())
    }
}

/// The person issuing a command: their id, every role they hold, and their organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The person's id in the directory.
    pub person_id: String,
    /// Every role they hold at `org_id`.
    pub roles: Vec<Role>,
    /// The organisation they act for.
    pub org_id: String,
}

impl Actor {
    /// An actor from its parts.
    pub fn new(person_id: &str, roles: &[Role], org_id: &str) -> Self {
        Self {
            person_id: person_id.to_string(),
            roles: roles.to_vec(),
            org_id: org_id.to_string(),
        }
    }

    /// Whether the actor holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// Who an event is recorded against: the person and the one role they acted in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct By {
    /// The person's id (`system` for the system).
    pub person_id: String,
    /// The role they acted in.
    pub role: Role,
}

impl By {
    /// The system itself: events due by time alone (视为受理, lapses).
    pub fn system() -> Self {
        Self {
            person_id: "system".to_string(),
            role: Role::System,
        }
    }
}

/// An organisation as documents name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Org {
    /// The organisation's id in the directory.
    pub id: String,
    /// Its full name.
    pub name: String,
}

/// Sanctions of an accountability decision, lightest first, so that "heavier" is `>`.
/// Organisational measures (诫勉, 责令检查, 通报批评) rank below formal discipline, whose order
/// is that of 警告、记过、记大过、降级、撤职、开除.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, VariantArray,
)]
#[serde(rename_all = "snake_case")]
pub enum Sanction {
    /// 诫勉.
    Admonition,
    /// 责令作出书面检查.
    WrittenSelfExamination,
    /// 通报批评.
    CirculatedCriticism,
    /// 警告.
    Warning,
    /// 记过.
    Demerit,
    /// 记大过.
    MajorDemerit,
    /// 降级.
    Demotion,
    /// 撤职.
    RemovalFromPost,
    /// 开除.
    Expulsion,
}

impl Sanction {
    /// The sanction's Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Sanction::Admonition => "诫勉",
            Sanction::WrittenSelfExamination => "责令作出书面检查",
            Sanction::CirculatedCriticism => "通报批评",
            Sanction::Warning => "警告",
            Sanction::Demerit => "记过",
            Sanction::MajorDemerit => "记大过",
            Sanction::Demotion => "降级",
            Sanction::RemovalFromPost => "撤职",
            Sanction::Expulsion => "开除",
        }
    }
}

/// The Chinese name of a sanction or its absence (revoked).
pub fn sanction_zh(s: Option<Sanction>) -> &'static str {
    s.map(Sanction::zh).unwrap_or("撤销（不予处理）")
}

/// Kinds of written document the procedure produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// 受理通知书.
    AcceptanceNotice,
    /// 不予受理通知书.
    RejectionNotice,
    /// 视为受理告知书.
    DeemedAcceptanceNotice,
    /// 主动启动审查论证通知书.
    ExOfficioNotice,
    /// 延长审查论证期限批复.
    ExtensionApproval,
    /// 审查论证意见书.
    ReviewOpinion,
    /// 复议答复书.
    ReconsiderationReply,
    /// 复核答复书.
    ReReviewReply,
    /// 撤销或者变更问责决定建议书.
    Recommendation,
    /// 公示.
    PublicityNotice,
    /// 免责容错调查审查情况通报 to the public or to the 执法相对人 (000 §28).
    PublicStatement,
    /// 执法过错责任认定书 (004 §26).
    FaultDetermination,
    /// 执法过错责任追究决定书 (004 §16, §26¶2).
    FaultDecision,
    /// 执法过错申诉答复书 (004 §27).
    FaultAppealReply,
    /// 执法过错案件移交函 to the organ that handles a suspected crime (004 §18).
    FaultTransfer,
    /// 处分申诉复核意见书 (001 §27).
    SanctionReviewOpinion,
    /// 限期纠正通知书 (001 §28).
    CorrectionOrder,
    /// 整改通知书 of a rectification (000 §31 ¶2, 002 §16).
    RectificationNotice,
    /// 易错风险警示提醒函 to a unit where a category of mistake recurs (002 §17, 003).
    RiskWarning,
    /// 维权案（事）件报告 to a level above (001 §17).
    IncidentReport,
    /// 正名通知书 (001 §29(五)).
    NameClearingNotice,
    /// 举报核查情况的反馈或者说明 (002 §18).
    ComplaintOutcome,
    /// 容错免责认定结论的书面告知 (002 §13: 容错认定结论告知书) or 回复反馈 (003 §13).
    DeterminationNotice,
    /// 复议申述答复书 (003 §13).
    DeterminationReviewReply,
    /// 容错免责认定情况备案报告 to the level above (003 §13).
    DeterminationFiling,
}

/// A written notice with its full text, produced by the event that requires it.
/// Rendering (PDF/DOCX, GB/T 9704) and document numbers belong to other layers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Which notice it is.
    pub kind: DocumentKind,
    /// Its title as printed.
    pub title: String,
    /// 主送.
    pub addressee: String,
    /// 抄送 / 抄告.
    #[serde(default)]
    pub copy_to: Vec<String>,
    /// The full text of its body.
    pub text: String,
    /// The day it was issued.
    pub issued_on: NaiveDate,
}

/// The seal of an issued notice (issue 6): the SM3 digest of the PDF archived when the notice
/// was issued, so a printed copy can later be matched to the record. The workflow only keeps
/// what the service recorded; rendering and archiving are the outer layers' (the workflow stays
/// pure).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentSeal {
    /// Which notice: its number among the case's documents, from 1 in order of issue.
    pub document: usize,
    /// The notice's title, as a check that the seal names the document it was made for.
    pub title: String,
    /// SM3 (GM/T 0004-2012) of the archived PDF, 64 lowercase hex digits.
    pub sm3: String,
    /// Size of the PDF in bytes.
    pub bytes: u64,
    /// Its number of pages.
    pub pages: u32,
    /// The font families the PDF was typeset in (official faces or free stand-ins).
    #[serde(default)]
    pub fonts: Vec<String>,
}

impl DocumentSeal {
    /// Whether `sm3` has the form of an SM3 digest (64 lowercase hex digits).
    pub fn well_formed(&self) -> bool {
        self.sm3.len() == 64
            && self
                .sm3
                .bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
    }
}

/// One regulation as it governed a case: its pack, the version in force and its title, as
/// recorded when the case was opened (issue 20: a later change of binding or of the pack never
/// rewrites what governed an old case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackRef {
    /// The pack's id (`000`).
    pub pack: String,
    /// The version in force when the case was opened.
    pub version: String,
    /// The regulation's full title.
    pub title: String,
    /// The name its notices use after the first mention (`实施细则`); empty: the full title.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub short_title: String,
    /// The bodies of its procedure, as the pack named them when the case was opened; a case
    /// recorded before packs named them has the 维权委 of 000 §10.
    #[serde(default, skip_serializing_if = "Bodies::is_police")]
    pub bodies: Bodies,
}

impl PackRef {
    /// "《全称》（以下简称《简称》）" at first mention.
    pub fn first(&self) -> String {
        if self.short_title.is_empty() {
            format!("《{}》", self.title)
        } else {
            format!("《{}》（以下简称《{}》）", self.title, self.short_title)
        }
    }

    /// "《简称》" after the first mention (the full title when it has none).
    pub fn short(&self) -> String {
        if self.short_title.is_empty() {
            format!("《{}》", self.title)
        } else {
            format!("《{}》", self.short_title)
        }
    }
}

/// The bodies that carry out a procedure and sign its notices (issue 20), from the governing
/// pack's `[bodies]`: 维权委 and 维权办 (000 §10, 001 §5–6), the 办党组 and the 国动办 itself
/// (002 §13), the 民警依法履职保护委员会 and its office (003). `{org}` in a name stands for the
/// organisation that handles the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bodies {
    /// The deciding body's name (`{org}维权委`).
    pub committee: String,
    /// Its name after the first mention; empty: the full name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub committee_short: String,
    /// The name of its office, which handles the case day to day (`{org}维权办`).
    pub office: String,
    /// The office's name after the first mention; empty: the full name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub office_short: String,
    /// The title of the committee's head, who approves its decisions (`主任`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub head: String,
}

impl Default for Bodies {
    /// The 维权委 and 维权办 of 000 §10: what every case recorded before packs named their
    /// bodies was signed by.
    fn default() -> Self {
        Bodies {
            committee: "{org}维护民警执法权威工作委员会".to_string(),
            committee_short: "维权委".to_string(),
            office: "{org}维护民警执法权威工作委员会办公室".to_string(),
            office_short: "维权办".to_string(),
            head: "主任".to_string(),
        }
    }
}

impl Bodies {
    /// Whether these are 000 §10's names (recorded as nothing, as before packs named bodies).
    pub fn is_police(&self) -> bool {
        *self == Bodies::default()
    }

    /// The committee of `org` in full (`阿拉善左旗公安局维护民警执法权威工作委员会`).
    pub fn committee_of(&self, org: &Org) -> String {
        self.committee.replace("{org}", &org.name)
    }

    /// The committee's office of `org` in full.
    pub fn office_of(&self, org: &Org) -> String {
        self.office.replace("{org}", &org.name)
    }

    /// How a text refers to the committee within a notice (`维权委`; the full name of `org`'s
    /// committee when the pack gives no short name).
    pub fn committee_short_of(&self, org: &Org) -> String {
        if self.committee_short.is_empty() {
            self.committee_of(org)
        } else {
            self.committee_short.clone()
        }
    }

    /// A role as this body names it on a case's page (issue 20): the office and the committee's
    /// people by the pack's bodies — 维权办 and 维权委主任 (000, 001), 履职保护办公室 and
    /// 履职保护委员会主任 (003), 办党组书记 (002) — every other role as [`Role::zh`].
    pub fn role_zh(&self, role: Role) -> String {
        let committee = self.committee_short.as_str();
        // "办党组" + "党组书记" → "办党组书记": the head's title may repeat the body's name.
        let head = (1..=committee.chars().count())
            .rev()
            .map(|n| {
                let at = committee
                    .char_indices()
                    .nth(committee.chars().count() - n)
                    .map_or(0, |(i, _)| i);
                &committee[at..]
            })
            .find(|tail| self.head.starts_with(tail))
            .map_or(self.head.as_str(), |tail| &self.head[tail.len()..]);
        if committee.is_empty() || head.is_empty() {
            return role.zh().to_string();
        }
        match role {
            Role::Office if self.office_short.is_empty() => "承办部门".to_string(),
            Role::Office => self.office_short.clone(),
            Role::Director => format!("{committee}{head}"),
            Role::DeputyDirector => format!("{committee}副{head}"),
            Role::CommitteeMember => format!("{committee}成员"),
            Role::HigherCommittee => format!("上一级{committee}"),
            _ => role.zh().to_string(),
        }
    }

    /// How a text refers to the office (`维权办`; in full when the pack gives no short name).
    pub fn office_short_of(&self, org: &Org) -> String {
        if self.office_short.is_empty() {
            self.office_of(org)
        } else {
            self.office_short.clone()
        }
    }
}

/// The regulations that govern a case: the *procedure* its body follows (000 for 阿拉善 police,
/// 002 for 兴安盟国动办, 003 for Fujian's prisons) and the *rule* packs its people are judged by
/// (000, 001, 004 and 004-2016 for 阿拉善 police), from the bindings of the organisation that
/// handles it (inherited down the directory's tree).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Governance {
    /// The procedure pack the case follows.
    pub procedure: PackRef,
    /// The rule packs its people are judged by.
    pub rules: Vec<PackRef>,
    /// Where the bindings came from: the organisation that set them, or empty when no
    /// organisation up the chain sets any (the process's own pack governs, as before bindings).
    #[serde(default)]
    pub bound_at: String,
}

impl Governance {
    /// The packs that govern, procedure first, each once.
    pub fn pack_ids(&self) -> Vec<&str> {
        let mut out = vec![self.procedure.pack.as_str()];
        for r in &self.rules {
            if !out.contains(&r.pack.as_str()) {
                out.push(&r.pack);
            }
        }
        out
    }

    /// One Chinese line: "程序依《…》；认定依《…》、《…》".
    pub fn describe(&self) -> String {
        let titles: Vec<String> = self
            .rules
            .iter()
            .map(|r| format!("《{}》", r.title))
            .collect();
        format!(
            "程序依《{}》；认定依{}",
            self.procedure.title,
            if titles.is_empty() {
                "（未指定）".to_string()
            } else {
                titles.join("、")
            }
        )
    }
}

/// The first phrase a notice says twice in a row ("经核查，经核查，", issue 20), if any: a run of
/// 2 to 12 characters with no punctuation, space or digit in it, followed at once — or, if of 3
/// or more, after one comma, 顿号, semicolon or colon — by itself (two characters may rightly
/// repeat across a comma: "提交的免责容错申请，申请事项为"). Generated sentences that join two parts
/// each beginning with the same words show up so; the processes' and the application's property
/// walks check every notice they issue with it.
pub fn doubled_phrase(text: &str) -> Option<String> {
    const MARKS: &str = "，。、；：！？（）“”‘’《》〈〉【】—…·\u{3000}";
    const JOINS: &str = "，、；：";
    let chars: Vec<char> = text.chars().collect();
    let word = |c: &char| {
        !(c.is_whitespace() || c.is_ascii_punctuation() || c.is_numeric() || MARKS.contains(*c))
    };
    for len in 2..=12 {
        for i in 0..chars.len() {
            let Some(a) = chars.get(i..i + len) else {
                break;
            };
            if !a.iter().all(word) {
                continue;
            }
            let next = i + len;
            if chars.get(next..next + len) == Some(a) {
                return Some(a.iter().collect());
            }
            if len >= 3
                && chars.get(next).is_some_and(|c| JOINS.contains(*c))
                && chars.get(next + 1..next + 1 + len) == Some(a)
            {
                return Some(a.iter().collect());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ids are stored in events and are Cedar role ids: each is the variant's serde name, and
    /// the hand-kept `ON_CASES` is every role but the system and the administrator.
    #[test]
    fn role_ids_are_serde_names_and_on_cases_lists_every_case_role() {
        for r in Role::VARIANTS {
            assert_eq!(serde_json::to_value(r).unwrap(), r.id(), "{r:?}");
            assert!(!r.zh().is_empty());
        }
        let on_cases: Vec<Role> = Role::VARIANTS
            .iter()
            .copied()
            .filter(|r| !matches!(r, Role::System | Role::Administrator))
            .collect();
        assert_eq!(Role::ON_CASES.to_vec(), on_cases);
        for s in Sanction::VARIANTS {
            assert!(!s.zh().is_empty());
        }
    }

    fn bodies(committee_short: &str, office_short: &str, head: &str) -> Bodies {
        Bodies {
            committee: String::new(),
            committee_short: committee_short.into(),
            office: String::new(),
            office_short: office_short.into(),
            head: head.into(),
        }
    }

    /// Issue 20: a case's page names its people by the governing pack's bodies (000 §10, 002
    /// §13, 003 §13), and every other role as everywhere.
    #[test]
    fn issue20_roles_are_named_by_the_bodies_of_the_governing_pack() {
        let police = Bodies::default();
        assert_eq!(police.role_zh(Role::Office), "维权办");
        assert_eq!(police.role_zh(Role::Director), "维权委主任");
        assert_eq!(police.role_zh(Role::DeputyDirector), "维权委副主任");
        let prison = bodies("履职保护委员会", "履职保护办公室", "主任");
        assert_eq!(prison.role_zh(Role::Office), "履职保护办公室");
        assert_eq!(prison.role_zh(Role::Director), "履职保护委员会主任");
        assert_eq!(prison.role_zh(Role::CommitteeMember), "履职保护委员会成员");
        assert_eq!(
            prison.role_zh(Role::HigherCommittee),
            "上一级履职保护委员会"
        );
        let defence = bodies("办党组", "", "党组书记");
        assert_eq!(defence.role_zh(Role::Director), "办党组书记");
        assert_eq!(defence.role_zh(Role::DeputyDirector), "办党组副书记");
        assert_eq!(defence.role_zh(Role::Office), "承办部门");
        // Roles no pack names keep their words; a pack without bodies names none.
        assert_eq!(prison.role_zh(Role::Officer), "申请民警");
        assert_eq!(bodies("", "", "").role_zh(Role::Office), "维权办");
    }

    #[test]
    fn sanctions_order_from_lightest_and_revocation_is_lightest_of_all() {
        assert!(Sanction::Admonition < Sanction::Warning);
        assert!(Sanction::Warning < Sanction::Demerit);
        assert!(Sanction::MajorDemerit < Sanction::Demotion);
        assert!(Sanction::RemovalFromPost < Sanction::Expulsion);
        // `Option<Sanction>`: `None` (revoked) is below every sanction.
        assert!(None < Some(Sanction::Admonition));
        assert_eq!(sanction_zh(None), "撤销（不予处理）");
    }

    #[test]
    fn doubled_phrase_finds_a_phrase_said_twice_and_nothing_in_plain_text() {
        assert_eq!(
            doubled_phrase("经核查，经核查，你部门对该民警的处理不当。").as_deref(),
            Some("经核查")
        );
        assert_eq!(doubled_phrase("依照依照《规定》").as_deref(), Some("依照"));
        for plain in [
            "经核查，你部门对该民警的处理不当，请于2024年7月19日前予以纠正。",
            "李某、张某同志：经研究，决定如下。",
            "2024年10月10日至2024年10月10日",
            "本办收到你提交的免责容错申请，申请事项为“依法处置”。",
            "\u{3000}\u{3000}一、执法过错情形：错误拘留。\n\u{3000}\u{3000}二、责任划分：",
        ] {
            assert_eq!(doubled_phrase(plain), None, "{plain}");
        }
    }
}
