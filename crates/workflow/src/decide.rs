//! `decide`: checks a command against the case (role, stage, time window, required content)
//! and returns the events to append, or the reason it is refused. Pure: nothing is written,
//! so a refused command changes nothing.

use chrono::NaiveDate;
use lvzhi_calendar::{date_zh, Calendar, Period};

use crate::deadlines::{acceptance_deadline, appeal_window, chain, is_final, opinion_deadline};
use crate::documents;
use crate::error::{refused, WorkflowError};
use crate::event::{Command, Event, EventKind};
use crate::model::*;
use crate::periods::ProcedurePeriods;
use crate::state::{Stage, State};

/// Decides a command. See the module documentation.
pub fn decide(
    s: &State,
    cmd: &Command,
    actor: &Actor,
    today: NaiveDate,
    cal: &Calendar,
    p: &ProcedurePeriods,
    reg: &documents::Regulation,
) -> Result<Vec<Event>, WorkflowError> {
    Ctx {
        s,
        actor,
        today,
        cal,
        p,
        reg,
    }
    .decide(cmd)
}

/// Decides a command and applies its events: the new state with the events to append.
/// Storage appends the events only if the case is still at `s.version` (optimistic concurrency).
pub fn execute(
    s: &State,
    cmd: &Command,
    actor: &Actor,
    today: NaiveDate,
    cal: &Calendar,
    p: &ProcedurePeriods,
    reg: &documents::Regulation,
) -> Result<(State, Vec<Event>), WorkflowError> {
    let events = decide(s, cmd, actor, today, cal, p, reg)?;
    let mut next = s.clone();
    for e in &events {
        next = crate::state::try_apply(next, e)?;
    }
    Ok((next, events))
}

struct Ctx<'a> {
    s: &'a State,
    actor: &'a Actor,
    today: NaiveDate,
    cal: &'a Calendar,
    p: &'a ProcedurePeriods,
    /// The governing procedure pack: its title, articles and bodies in every notice.
    reg: &'a documents::Regulation,
}

fn nonempty(text: &str, message: &str, article: &str) -> Result<(), WorkflowError> {
    if text.trim().is_empty() {
        Err(refused(message, article))
    } else {
        Ok(())
    }
}

fn opt_nonempty(text: &Option<String>) -> bool {
    text.as_deref().is_some_and(|t| !t.trim().is_empty())
}

/// Grounds compared for "the same reason" (000 §21 ¶3): whitespace and punctuation ignored.
fn same_reason(a: &str, b: &str) -> bool {
    reason_key(a) == reason_key(b)
}

/// What of a reason counts when reasons are compared (000 §21 ¶3): all but whitespace and
/// punctuation.
pub(crate) fn reason_key(s: &str) -> String {
    s.chars()
        .filter(|c| {
            !c.is_whitespace() && !c.is_ascii_punctuation() && !"，。；：、！？（）“”".contains(*c)
        })
        .collect()
}

fn validate_form(
    form: &ApplicationForm,
    today: NaiveDate,
    need_decision: bool,
) -> Result<(), WorkflowError> {
    if form.applicants.is_empty() {
        return Err(refused("申请表应当载明申请民警", "000 §12"));
    }
    for o in &form.applicants {
        if o.person_id.trim().is_empty() || o.name.trim().is_empty() {
            return Err(WorkflowError::Invalid(
                "申请民警的人员编号和姓名均不能为空".to_string(),
            ));
        }
    }
    let mut ids: Vec<&str> = form
        .applicants
        .iter()
        .map(|o| o.person_id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() != form.applicants.len() {
        return Err(WorkflowError::Invalid("申请民警重复列出".to_string()));
    }
    for (org, what) in [
        (&form.applying_unit, "申请单位"),
        (&form.committee, "受理申请的维权委所在单位"),
    ] {
        if org.id.trim().is_empty() || org.name.trim().is_empty() {
            return Err(WorkflowError::Invalid(format!(
                "{what}的编号和名称均不能为空"
            )));
        }
    }
    nonempty(&form.matter, "申请事项不能为空", "000 §12")?;
    match &form.accountability_decision {
        Some(d) => {
            if d.department.id.trim().is_empty() || d.department.name.trim().is_empty() {
                return Err(WorkflowError::Invalid(
                    "原问责处理决定作出部门的编号和名称均不能为空".to_string(),
                ));
            }
            if d.decided_on > today {
                return Err(WorkflowError::Invalid(format!(
                    "原问责处理决定日期{}晚于今日，请核对",
                    date_zh(d.decided_on)
                )));
            }
        }
        None if need_decision => {
            return Err(refused(
                "申请免责容错应当针对已作出的问责处理决定，请填写原问责处理决定（作出部门、处理种类、日期）",
                "000 §12",
            ))
        }
        None => {}
    }
    if form.facts.keys().any(|k| k.trim().is_empty()) {
        return Err(WorkflowError::Invalid("案件事实的名称不能为空".to_string()));
    }
    Ok(())
}

fn is_sm3_hex(s: &str) -> bool {
    s.len() == 64 && s.chars().all(|c| c.is_ascii_hexdigit())
}

fn validate_recommendation(r: &Recommendation) -> Result<(), WorkflowError> {
    const OUTCOMES: [&str; 5] = ["exemption", "tolerance", "exclusion", "aggravation", "none"];
    if !OUTCOMES.contains(&r.outcome.trim()) {
        return Err(WorkflowError::Invalid(format!(
            "建议结论“{}”无效：应为 exemption、tolerance、exclusion、aggravation 或 none",
            r.outcome
        )));
    }
    if !["shall", "may"].contains(&r.modality.trim()) {
        return Err(WorkflowError::Invalid(format!(
            "建议结论的模态“{}”无效：应为 shall（应当）或 may（可以）",
            r.modality
        )));
    }
    if let Some(l) = r
        .leniency
        .iter()
        .find(|l| !["lighter", "reduced", "waived"].contains(&l.trim()))
    {
        return Err(WorkflowError::Invalid(format!(
            "建议的从宽幅度“{l}”无效：应为 lighter（从轻）、reduced（减轻）或 waived（免于追究）"
        )));
    }
    Ok(())
}

impl<'a> Ctx<'a> {
    fn ev(&self, by: By, kind: EventKind) -> Vec<Event> {
        vec![Event {
            on: self.today,
            by,
            kind,
        }]
    }

    fn by(&self, role: Role) -> By {
        By {
            person_id: self.actor.person_id.clone(),
            role,
        }
    }

    fn form(&self) -> Result<&'a ApplicationForm, WorkflowError> {
        self.s
            .form
            .as_ref()
            .ok_or_else(|| WorkflowError::WrongStage {
                action: "办理该事项".to_string(),
                stage: Stage::New.zh().to_string(),
            })
    }

    fn wrong_stage(&self, action: &str) -> WorkflowError {
        WorkflowError::WrongStage {
            action: action.to_string(),
            stage: self.s.stage.zh().to_string(),
        }
    }

    fn forbidden(action: &str, required: &str, article: &str) -> WorkflowError {
        WorkflowError::Forbidden {
            action: action.to_string(),
            required: required.to_string(),
            article: article.to_string(),
        }
    }

    /// 本级维权办.
    fn office(&self, action: &str, article: &str) -> Result<By, WorkflowError> {
        let form = self.form()?;
        if self.actor.has(Role::Office) && self.actor.org_id == form.committee.id {
            Ok(self.by(Role::Office))
        } else {
            Err(Self::forbidden(action, "本级维权办", article))
        }
    }

    /// The item of the governing pack's `accountability` procedure that `conduct` falls under
    /// (`§37(六)` in 000): its first article with the item's number. A pack without the
    /// procedure has no such step.
    fn accountability_item(
        &self,
        conduct: Misconduct,
        action: &str,
    ) -> Result<String, WorkflowError> {
        let articles = self.reg.step("accountability", action)?;
        let Some(first) = articles.first() else {
            return Err(WorkflowError::Invalid(format!(
                "政策包未规定“{action}”所依据的条款"
            )));
        };
        Ok(format!(
            "{first}({})",
            lvzhi_case::numeral(conduct.item() as u32)
        ))
    }

    /// 本级维权委主任 (or 副主任 unless `director_only`).
    fn leader(
        &self,
        action: &str,
        article: &str,
        director_only: bool,
    ) -> Result<By, WorkflowError> {
        let form = self.form()?;
        let here = self.actor.org_id == form.committee.id;
        if here && self.actor.has(Role::Director) {
            return Ok(self.by(Role::Director));
        }
        if !director_only && here && self.actor.has(Role::DeputyDirector) {
            return Ok(self.by(Role::DeputyDirector));
        }
        let required = if director_only {
            "本级维权委主任"
        } else {
            "本级维权委主任或者副主任"
        };
        Err(Self::forbidden(action, required, article))
    }

    /// 申请人 (an applicant officer) or 申请单位.
    fn applicant(&self, action: &str) -> Result<By, WorkflowError> {
        let form = self.form()?;
        if self.actor.has(Role::Officer)
            && form
                .applicants
                .iter()
                .any(|o| o.person_id == self.actor.person_id)
        {
            return Ok(self.by(Role::Officer));
        }
        if self.actor.has(Role::Unit) && self.actor.org_id == form.applying_unit.id {
            return Ok(self.by(Role::Unit));
        }
        Err(Self::forbidden(action, "申请人或者申请单位", "000 §21"))
    }

    /// The office, or an assigned panel member or approved participant (000 §14–15, §18).
    fn reviewer(&self, action: &str) -> Result<By, WorkflowError> {
        if let Ok(by) = self.office(action, "000 §14") {
            return Ok(by);
        }
        let me = &self.actor.person_id;
        if self.actor.has(Role::PanelMember) && self.s.panel.iter().any(|m| &m.person_id == me) {
            return Ok(self.by(Role::PanelMember));
        }
        if self.actor.has(Role::ExternalExpert)
            && self.s.externals.iter().any(|x| &x.person_id == me)
        {
            return Ok(self.by(Role::ExternalExpert));
        }
        Err(Self::forbidden(
            action,
            "本级维权办或者本案审查论证组成员",
            "000 §14",
        ))
    }

    /// 所在单位 or the office: result use (000 §30–31).
    fn unit_or_office(&self, action: &str, article: &str) -> Result<By, WorkflowError> {
        let form = self.form()?;
        if self.actor.has(Role::Unit) && self.actor.org_id == form.applying_unit.id {
            return Ok(self.by(Role::Unit));
        }
        self.office(action, article)
            .map_err(|_| Self::forbidden(action, "民警所在单位或者本级维权办", article))
    }

    fn department(&self, action: &str, article: &str) -> Result<By, WorkflowError> {
        let form = self.form()?;
        match &form.accountability_decision {
            Some(d)
                if self.actor.has(Role::OriginalDepartment)
                    && self.actor.org_id == d.department.id =>
            {
                Ok(self.by(Role::OriginalDepartment))
            }
            _ => Err(Self::forbidden(action, "原问责处理决定作出部门", article)),
        }
    }

    fn validate_determination(
        &self,
        d: &Determination,
        article: &str,
    ) -> Result<(), WorkflowError> {
        nonempty(&d.basis, "认定意见应当载明认定依据和理由", article)?;
        match (d.outcome, d.leniency) {
            (Outcome::Tolerance, None) => {
                return Err(refused(
                    "容错认定应当明确从轻、减轻或者免于追究责任",
                    "000 §8",
                ))
            }
            (Outcome::Tolerance, Some(_)) => {}
            (o, Some(_)) => {
                return Err(WorkflowError::Invalid(format!(
                    "“{}”的认定不适用从轻、减轻或者免于追究的幅度，请删除该项",
                    o.zh()
                )))
            }
            (_, None) => {}
        }
        if let Some(r) = &self.s.recommendation {
            if d.departs_from(r) && !opt_nonempty(&d.departure_reasons) {
                let mut rec = format!("{}/{}", r.outcome, r.modality);
                if !r.leniency.is_empty() {
                    rec.push_str(&format!("/{}", r.leniency.join("、")));
                }
                return Err(refused(
                    format!(
                        "认定意见（{}）与系统建议结论（{rec}）不一致，应当说明不采纳建议的理由",
                        d.summary_zh()
                    ),
                    article,
                ));
            }
        }
        if d.original_decision_improper {
            if !d.excuses() {
                return Err(refused(
                    "只有认定免责或者容错的，才能认为原问责处理决定不当",
                    "000 §22",
                ));
            }
            if self.form()?.accountability_decision.is_none() {
                return Err(refused(
                    "本案未关联原问责处理决定，不能认定原决定不当",
                    "000 §22",
                ));
            }
        }
        Ok(())
    }

    fn require_final(
        &self,
        action: &str,
        article: &str,
    ) -> Result<&'a Determination, WorkflowError> {
        if !self.s.stage.has_opinion() {
            return Err(self.wrong_stage(action));
        }
        if !is_final(self.s, self.today, self.cal, self.p)? {
            let msg = match appeal_window(self.s, self.cal, self.p)? {
                Some((k, d)) if matches!(self.s.stage, Stage::OpinionIssued | Stage::ReconsiderationReplied) => format!(
                    "认定意见尚未生效：申请人申请{}的期限至{}届满，且申请人未表示无异议，不能{action}",
                    k.zh(),
                    date_zh(d.due)
                ),
                _ => format!("认定意见尚未生效（{}），不能{action}", self.s.stage.zh()),
            };
            return Err(refused(msg, article));
        }
        self.s
            .determination
            .as_ref()
            .ok_or_else(|| self.wrong_stage(action))
    }

    fn officer_in_case(&self, officer_id: &str) -> Result<(), WorkflowError> {
        if self
            .form()?
            .applicants
            .iter()
            .any(|o| o.person_id == officer_id)
        {
            Ok(())
        } else {
            Err(WorkflowError::Invalid(format!(
                "民警“{officer_id}”不是本案申请民警"
            )))
        }
    }

    fn decide(&self, cmd: &Command) -> Result<Vec<Event>, WorkflowError> {
        let s = self.s;
        let today = self.today;
        let opens = matches!(cmd, Command::File { .. } | Command::OpenExOfficio { .. });
        if !opens && s.form.is_none() {
            return Err(self.wrong_stage("办理该事项"));
        }
        // Events are recorded in date order, so every period counts from a fixed past.
        if let Some(last) = s.last_on {
            if today < last {
                return Err(WorkflowError::Invalid(format!(
                    "办理日期{}早于本案最近一次记录的日期{}，请核对日期",
                    date_zh(today),
                    date_zh(last)
                )));
            }
        }
        // 回避 (000 §19(六)): a recused person takes no further part in the case.
        if !opens {
            if let Some((_, name, _)) = s
                .recused
                .iter()
                .find(|(id, _, _)| *id == self.actor.person_id)
            {
                return Err(refused(
                    format!("{name}已决定回避，不能参与本案的办理"),
                    "000 §19(六)",
                ));
            }
        }
        match cmd {
            Command::File { form, received_on } => {
                const A: &str = "提出免责容错申请";
                if s.stage != Stage::New {
                    return Err(self.wrong_stage(A));
                }
                validate_form(form, today, true)?;
                let a = self.actor;
                let (filer, role) = if a.has(Role::Officer)
                    && form.applicants.iter().any(|o| o.person_id == a.person_id)
                {
                    (Filer::Officer, Role::Officer)
                } else if a.has(Role::Unit) && a.org_id == form.applying_unit.id {
                    (Filer::Unit, Role::Unit)
                } else if a.has(Role::Office) && a.org_id == form.committee.id {
                    (Filer::OfficeOnBehalf, Role::Office)
                } else {
                    return Err(Self::forbidden(
                        A,
                        "申请民警本人、所在单位或者代为登记的本级维权办",
                        "000 §12",
                    ));
                };
                let received = received_on.unwrap_or(today);
                if received > today {
                    return Err(WorkflowError::Invalid(format!(
                        "收到申请的日期{}晚于今日，请核对",
                        date_zh(received)
                    )));
                }
                if received != today && filer != Filer::OfficeOnBehalf {
                    return Err(WorkflowError::Invalid(
                        "网上提交的申请以提交当日为收到日期；补录纸质申请的收到日期应由维权办登记"
                            .to_string(),
                    ));
                }
                // Checks now that the period can be counted, so the scheduler never fails later.
                self.cal.add(received, self.p.acceptance)?;
                Ok(self.ev(
                    self.by(role),
                    EventKind::Filed {
                        form: form.clone(),
                        filer,
                        received_on: received,
                    },
                ))
            }
            Command::OpenExOfficio { form, grounds } => {
                const A: &str = "主动启动免责容错工作";
                if s.stage != Stage::New {
                    return Err(self.wrong_stage(A));
                }
                validate_form(form, today, false)?;
                if !(self.actor.has(Role::Office) && self.actor.org_id == form.committee.id) {
                    return Err(Self::forbidden(A, "本级维权办", "000 §12"));
                }
                nonempty(grounds, "主动启动应当载明发现的情形或者线索", "000 §12")?;
                let due = self.cal.add(today, self.p.opinion)?;
                let document = documents::ex_officio_notice(self.reg, form, grounds, today, &due)?;
                Ok(self.ev(
                    self.by(Role::Office),
                    EventKind::OpenedExOfficio {
                        form: form.clone(),
                        grounds: grounds.trim().to_string(),
                        document,
                    },
                ))
            }
            Command::Register => {
                const A: &str = "登记申请";
                let by = self.office(A, "000 §13")?;
                if s.stage != Stage::Filed {
                    return Err(self.wrong_stage(A));
                }
                Ok(self.ev(by, EventKind::Registered))
            }
            Command::Accept | Command::Reject { .. } => {
                let accept = matches!(cmd, Command::Accept);
                let a = if accept {
                    "决定受理"
                } else {
                    "决定不予受理"
                };
                let by = self.office(a, "000 §13")?;
                if s.stage != Stage::Registered {
                    return Err(self.wrong_stage(a));
                }
                let form = self.form()?;
                let received = s.received_on.unwrap_or(today);
                if let Some(d) = acceptance_deadline(s, self.cal, self.p)? {
                    if today > d.due {
                        return Err(refused(
                            format!(
                                "决定是否受理的期限已于{}届满，逾期未告知的视为受理，不能再{a}",
                                date_zh(d.due)
                            ),
                            "000 §13",
                        ));
                    }
                }
                match cmd {
                    Command::Reject { reasons } => {
                        nonempty(reasons, "不予受理的，应当书面告知不予受理的理由", "000 §13")?;
                        let document = documents::rejection_notice(
                            self.reg, form, s.filer, received, today, reasons,
                        )?;
                        Ok(self.ev(
                            by,
                            EventKind::Rejected {
                                reasons: reasons.trim().to_string(),
                                document,
                            },
                        ))
                    }
                    _ => {
                        let due = self.cal.add(today, self.p.opinion)?;
                        let document = documents::acceptance_notice(
                            self.reg, form, s.filer, received, today, &due,
                        )?;
                        Ok(self.ev(by, EventKind::Accepted { document }))
                    }
                }
            }
            Command::UpdateFacts { facts } => {
                const A: &str = "更新案件事实";
                let by = self.reviewer(A)?;
                if !matches!(
                    s.stage,
                    Stage::Filed | Stage::Registered | Stage::UnderReview | Stage::OpinionDrafted
                ) {
                    return Err(self.wrong_stage(A));
                }
                if facts.is_empty() || facts.keys().any(|k| k.trim().is_empty()) {
                    return Err(WorkflowError::Invalid(
                        "应当至少提供一项有名称的案件事实".to_string(),
                    ));
                }
                Ok(self.ev(
                    by,
                    EventKind::FactsUpdated {
                        facts: facts.clone(),
                    },
                ))
            }
            Command::RecordRecommendation { recommendation } => {
                const A: &str = "记录系统建议结论";
                let by = if self.actor.has(Role::System) {
                    By::system()
                } else {
                    self.office(A, "000 §14")?
                };
                if !matches!(
                    s.stage,
                    Stage::Filed | Stage::Registered | Stage::UnderReview | Stage::OpinionDrafted
                ) {
                    return Err(self.wrong_stage(A));
                }
                validate_recommendation(recommendation)?;
                Ok(self.ev(
                    by,
                    EventKind::RecommendationRecorded {
                        recommendation: recommendation.clone(),
                    },
                ))
            }
            Command::FormPanel { members } => {
                const A: &str = "组成审查论证组";
                let by = self.office(A, "000 §14")?;
                if !s.stage.in_review() {
                    return Err(self.wrong_stage(A));
                }
                let has = |c: MemberCategory| members.iter().any(|m| m.category == c);
                if !has(MemberCategory::Legal) || !has(MemberCategory::Discipline) {
                    return Err(refused(
                        "审查论证组应当由法制、纪检等有关成员单位专业人员组成",
                        "000 §14",
                    ));
                }
                let form = self.form()?;
                let mut ids: Vec<&str> = Vec::new();
                for m in members {
                    if m.person_id.trim().is_empty() || m.name.trim().is_empty() {
                        return Err(WorkflowError::Invalid(
                            "审查论证组成员的人员编号和姓名均不能为空".to_string(),
                        ));
                    }
                    if form.applicants.iter().any(|o| o.person_id == m.person_id) {
                        return Err(refused(
                            format!("{}是本案申请人，应当回避，不能参加审查论证组", m.name),
                            "000 §19(六)",
                        ));
                    }
                    if s.is_recused(&m.person_id) {
                        return Err(refused(
                            format!("{}已决定回避，不能参加审查论证组", m.name),
                            "000 §19(六)",
                        ));
                    }
                    if ids.contains(&m.person_id.as_str()) {
                        return Err(WorkflowError::Invalid(format!(
                            "审查论证组成员“{}”重复列出",
                            m.name
                        )));
                    }
                    ids.push(&m.person_id);
                }
                Ok(self.ev(
                    by,
                    EventKind::PanelFormed {
                        members: members.clone(),
                    },
                ))
            }
            Command::ApproveExternalParticipant {
                participant,
                grounds,
            } => {
                const A: &str = "批准邀请人员参与审查论证";
                let by = self.leader(A, "000 §18", false)?;
                if !s.stage.in_review() {
                    return Err(self.wrong_stage(A));
                }
                if s.major_grounds.is_none() {
                    nonempty(
                        grounds,
                        "邀请人员参与审查论证限于案情重大、情况复杂、有较大影响的申请事项，应当说明理由",
                        "000 §18",
                    )?;
                }
                if participant.person_id.trim().is_empty() || participant.name.trim().is_empty() {
                    return Err(WorkflowError::Invalid(
                        "参与人员的人员编号和姓名均不能为空".to_string(),
                    ));
                }
                let unmet = participant.eligibility.unmet();
                if !unmet.is_empty() {
                    return Err(refused(
                        format!(
                            "{}不符合参与审查论证人员的条件：未确认{}",
                            participant.name,
                            unmet.join("；")
                        ),
                        "000 §19",
                    ));
                }
                nonempty(
                    &participant.no_conflict_declaration,
                    "参与审查论证人员应当书面声明与申请人、申请单位或者审查论证事项无利害关系",
                    "000 §19(六)",
                )?;
                let form = self.form()?;
                if form
                    .applicants
                    .iter()
                    .any(|o| o.person_id == participant.person_id)
                {
                    return Err(refused(
                        format!("{}是本案申请人，应当回避", participant.name),
                        "000 §19(六)",
                    ));
                }
                if s.is_recused(&participant.person_id) {
                    return Err(refused(
                        format!("{}已决定回避，不能参与本案审查论证", participant.name),
                        "000 §19(六)",
                    ));
                }
                if s.externals
                    .iter()
                    .any(|x| x.person_id == participant.person_id)
                {
                    return Err(WorkflowError::Invalid(format!(
                        "{}已获批准参与本案审查论证",
                        participant.name
                    )));
                }
                Ok(self.ev(
                    by,
                    EventKind::ExternalParticipantApproved {
                        participant: participant.clone(),
                        grounds: grounds.trim().to_string(),
                    },
                ))
            }
            Command::AddEvidence { evidence } => {
                const A: &str = "添加证据材料";
                let by = self
                    .reviewer(A)
                    .or_else(|_| self.applicant(A))
                    .map_err(|_| {
                        Self::forbidden(
                            A,
                            "申请人、申请单位、本级维权办或者本案审查论证组成员",
                            "000 §14–15",
                        )
                    })?;
                if matches!(s.stage, Stage::New | Stage::Rejected) {
                    return Err(self.wrong_stage(A));
                }
                if !is_sm3_hex(evidence.sm3.trim()) {
                    return Err(WorkflowError::Invalid(format!(
                        "证据文件摘要“{}”无效：应为64位十六进制的SM3摘要",
                        evidence.sm3
                    )));
                }
                if evidence.file_name.trim().is_empty() {
                    return Err(WorkflowError::Invalid("证据文件名不能为空".to_string()));
                }
                let digest = evidence.sm3.trim().to_ascii_lowercase();
                if s.evidence.iter().any(|e| e.sm3 == digest) {
                    return Err(WorkflowError::Invalid(format!(
                        "该证据文件已在案（SM3 {digest}）"
                    )));
                }
                Ok(self.ev(
                    by,
                    EventKind::EvidenceAdded {
                        evidence: Evidence {
                            sm3: digest,
                            file_name: evidence.file_name.trim().to_string(),
                            description: evidence.description.trim().to_string(),
                        },
                    },
                ))
            }
            Command::RecordRecusal {
                person_id,
                name,
                reason,
            } => {
                const A: &str = "决定回避";
                let by = self.office(A, "000 §19(六)")?;
                if person_id.trim().is_empty() || name.trim().is_empty() {
                    return Err(WorkflowError::Invalid(
                        "回避人员的人员编号和姓名均不能为空".to_string(),
                    ));
                }
                let person_id = person_id.trim();
                if self
                    .form()?
                    .applicants
                    .iter()
                    .any(|o| o.person_id == person_id)
                {
                    return Err(refused(
                        format!("{}是本案申请人，不适用回避", name.trim()),
                        "000 §19(六)",
                    ));
                }
                if s.is_recused(person_id) {
                    return Err(WorkflowError::Invalid(format!(
                        "{}已决定回避，无需重复记录",
                        name.trim()
                    )));
                }
                nonempty(reason, "决定回避应当载明回避的理由", "000 §19(六)")?;
                Ok(self.ev(
                    by,
                    EventKind::Recused {
                        person_id: person_id.to_string(),
                        name: name.trim().to_string(),
                        reason: reason.trim().to_string(),
                    },
                ))
            }
            Command::RecordHearing { summary } => {
                const A: &str = "记录听取陈述、举证、申辩";
                let by = self.reviewer(A)?;
                if !s.stage.in_review() {
                    return Err(self.wrong_stage(A));
                }
                nonempty(summary, "听取情况记录不能为空", "000 §15")?;
                Ok(self.ev(
                    by,
                    EventKind::HearingHeld {
                        summary: summary.trim().to_string(),
                    },
                ))
            }
            Command::RecordSiteVisit { place, summary } => {
                const A: &str = "记录实地走访调查";
                let by = self.reviewer(A)?;
                if !s.stage.in_review() {
                    return Err(self.wrong_stage(A));
                }
                nonempty(place, "走访地点不能为空", "000 §15")?;
                nonempty(summary, "走访调查情况不能为空", "000 §15")?;
                Ok(self.ev(
                    by,
                    EventKind::SiteVisited {
                        place: place.trim().to_string(),
                        summary: summary.trim().to_string(),
                    },
                ))
            }
            Command::LinkAccountabilityInquiry { inquiry } => {
                // 000 §6: the review runs alongside an accountability investigation in progress;
                // the office records which, so both sides know of each other.
                const A: &str = "关联同步审查的问责调查";
                let by = self.office(A, "000 §6")?;
                if matches!(s.stage, Stage::New | Stage::Rejected) {
                    return Err(self.wrong_stage(A));
                }
                self.reg.step("concurrent_review", A)?;
                nonempty(&inquiry.body, "应当写明开展问责调查的部门", "000 §6")?;
                nonempty(&inquiry.matter, "应当写明问责调查的事项", "000 §6")?;
                if inquiry.started_on > today {
                    return Err(refused("问责调查开始日期不能晚于今天", "000 §6"));
                }
                let inquiry = AccountabilityInquiry {
                    body: inquiry.body.trim().to_string(),
                    matter: inquiry.matter.trim().to_string(),
                    started_on: inquiry.started_on,
                };
                if s.inquiries.iter().any(|(_, i)| *i == inquiry) {
                    return Err(WorkflowError::Invalid("该问责调查已经关联本案".to_string()));
                }
                Ok(self.ev(by, EventKind::AccountabilityInquiryLinked { inquiry }))
            }
            Command::RecordOnSceneReport { report } => {
                const A: &str = "记录民警报告和现场处置情况";
                let by = self.reviewer(A)?;
                if !s.stage.in_review() {
                    return Err(self.wrong_stage(A));
                }
                // A pack without the step (a unit's own copy) has no such record.
                self.reg.step("on_scene_report", A)?;
                if report.reported_on > today {
                    return Err(refused("民警报告日期不能晚于今天", "000 §11"));
                }
                Ok(self.ev(
                    by,
                    EventKind::OnSceneReportRecorded {
                        report: OnSceneReport {
                            evidence: report.evidence.trim().to_string(),
                            unit_actions: report.unit_actions.trim().to_string(),
                            ..report.clone()
                        },
                    },
                ))
            }
            Command::RecordInterimLine {
                public_line,
                measures,
            } => {
                const A: &str = "议定阶段性对外宣传口径";
                let by = self.office(A, "000 §17")?;
                if !s.stage.in_review() {
                    return Err(self.wrong_stage(A));
                }
                let overdue = match opinion_deadline(s, self.cal, self.p)? {
                    Some(d) => today > d.due,
                    None => false,
                };
                if s.major_grounds.is_none() && !overdue {
                    return Err(refused(
                        "阶段性对外宣传口径适用于确定不能按期办结的重大、疑难、复杂申请事项；本案尚未认定为重大复杂事项，也未超过审查论证期限",
                        "000 §17",
                    ));
                }
                nonempty(public_line, "阶段性对外宣传口径不能为空", "000 §17")?;
                nonempty(measures, "推进工作进展的措施不能为空", "000 §17")?;
                Ok(self.ev(
                    by,
                    EventKind::InterimLineRecorded {
                        public_line: public_line.trim().to_string(),
                        measures: measures.trim().to_string(),
                    },
                ))
            }
            Command::DraftOpinion { determination } => {
                const A: &str = "起草审查论证意见";
                let by = self.reviewer(A)?;
                if !matches!(s.stage, Stage::UnderReview | Stage::OpinionDrafted) {
                    return Err(self.wrong_stage(A));
                }
                if s.panel.is_empty() {
                    return Err(refused(
                        "尚未组成审查论证组，不能作出审查论证意见",
                        "000 §14",
                    ));
                }
                // A panel that lost its 法制 or 纪检 member to recusal is re-formed first.
                let sitting = |c: MemberCategory| {
                    s.panel
                        .iter()
                        .any(|m| m.category == c && !s.is_recused(&m.person_id))
                };
                if !sitting(MemberCategory::Legal) || !sitting(MemberCategory::Discipline) {
                    return Err(refused(
                        "审查论证组的法制或者纪检成员已回避，应当重新组成审查论证组后再作出审查论证意见",
                        "000 §14、§19(六)",
                    ));
                }
                self.validate_determination(determination, "000 §14")?;
                Ok(self.ev(
                    by,
                    EventKind::OpinionDrafted {
                        determination: determination.clone(),
                    },
                ))
            }
            Command::ApproveOpinion { comment } => {
                const A: &str = "批准审查论证意见";
                let by = self.leader(A, "000 §14", false)?;
                if s.stage != Stage::OpinionDrafted {
                    return Err(self.wrong_stage(A));
                }
                // A blank opinion is no opinion: recorded as none.
                let comment = comment
                    .as_deref()
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(str::to_string);
                Ok(self.ev(by, EventKind::OpinionApproved { comment }))
            }
            Command::ReturnOpinion { rejected, reasons } => {
                const A: &str = "退回修改或者不予批准审查论证意见";
                let by = self.leader(A, "000 §14", false)?;
                if s.stage != Stage::OpinionDrafted {
                    return Err(self.wrong_stage(A));
                }
                if reasons.trim().is_empty() {
                    return Err(refused(
                        "退回修改或者不予批准审查论证意见，应当写明理由",
                        "000 §14",
                    ));
                }
                Ok(self.ev(
                    by,
                    EventKind::OpinionReturned {
                        rejected: *rejected,
                        reasons: reasons.trim().to_string(),
                    },
                ))
            }
            Command::IssueOpinion => {
                const A: &str = "出具审查论证意见";
                let by = self.office(A, "000 §16")?;
                if s.stage != Stage::OpinionApproved {
                    return Err(self.wrong_stage(A));
                }
                let form = self.form()?;
                let d = s.draft.as_ref().ok_or_else(|| self.wrong_stage(A))?;
                let accepted = s.accepted_on.unwrap_or(today);
                let window = self.cal.add(today, self.p.reconsideration_apply)?;
                let document = documents::review_opinion(
                    self.reg, form, s.filer, d, accepted, today, &window,
                )?;
                Ok(self.ev(
                    by,
                    EventKind::OpinionIssued {
                        received_on: today,
                        document,
                    },
                ))
            }
            Command::RecordReceipt { received_on } => {
                const A: &str = "记录送达日期";
                let by = self.office(A, "000 §21")?;
                let issued = match s.stage {
                    Stage::OpinionIssued => s.opinion_issued_on,
                    Stage::ReconsiderationReplied | Stage::ReReviewReplied => s
                        .appeals
                        .last()
                        .and_then(|a| a.reply.as_ref())
                        .map(|r| r.on),
                    _ => return Err(self.wrong_stage(A)),
                };
                if s.no_objection || s.publicity.is_some() {
                    return Err(refused(
                        "申请人已表示无异议或者已开始公示，不能再变更送达日期",
                        "000 §21",
                    ));
                }
                let issued = issued.unwrap_or(today);
                if *received_on < issued || *received_on > today {
                    return Err(WorkflowError::Invalid(format!(
                        "送达日期应当在出具日期{}与今日{}之间",
                        date_zh(issued),
                        date_zh(today)
                    )));
                }
                Ok(self.ev(
                    by,
                    EventKind::ReceiptRecorded {
                        received_on: *received_on,
                    },
                ))
            }
            Command::ExtendReview { grounds } => self.extend(grounds),
            Command::DeclareNoObjection => {
                const A: &str = "表示无异议";
                let by = self.applicant(A)?;
                if !matches!(
                    s.stage,
                    Stage::OpinionIssued | Stage::ReconsiderationReplied | Stage::ReReviewReplied
                ) {
                    return Err(self.wrong_stage(A));
                }
                if s.no_objection {
                    return Err(WorkflowError::Invalid(
                        "申请人已表示无异议，无需重复记录".to_string(),
                    ));
                }
                // Already final (the appeal window passed, or the 复核 was answered): the
                // statement would change nothing (000 §23).
                if is_final(s, today, self.cal, self.p)? {
                    return Err(refused("认定意见已经生效，无需再表示无异议", "000 §23"));
                }
                Ok(self.ev(by, EventKind::NoObjectionDeclared))
            }
            Command::ApplyReconsideration {
                grounds,
                new_evidence,
            } => self.appeal(AppealKind::Reconsideration, grounds, new_evidence),
            Command::ApplyReReview {
                grounds,
                new_evidence,
            } => self.appeal(AppealKind::ReReview, grounds, new_evidence),
            Command::ReplyReconsideration {
                upheld,
                reasoning,
                revised,
            } => self.reply(AppealKind::Reconsideration, *upheld, reasoning, revised),
            Command::ReplyReReview {
                upheld,
                reasoning,
                revised,
            } => self.reply(AppealKind::ReReview, *upheld, reasoning, revised),
            Command::StartPublicity { place, days } => {
                const A: &str = "开始公示";
                let by = self.office(A, "000 §23")?;
                let d = self.require_final(A, "000 §23")?;
                if s.publicity.is_some() {
                    return Err(WorkflowError::Invalid("本案已经公示".to_string()));
                }
                if !d.excuses() {
                    return Err(refused(
                        "公示的对象是免责容错认定意见，本案认定不适用免责容错",
                        "000 §23",
                    ));
                }
                if s.determination_in_question {
                    return Err(refused("认定意见正在复查，不能公示", "000 §23"));
                }
                nonempty(place, "公示地点（申请人所在单位）不能为空", "000 §23")?;
                // 000 §23: 不少于五日 — the pack's period is the minimum; the office may set longer.
                let minimum = self.p.publicity;
                let period = match (days, minimum) {
                    (None, _) => minimum,
                    (Some(n), Period::Days(min)) if *n >= min && *n <= 365 => Period::Days(*n),
                    (Some(n), Period::Days(min)) => {
                        return Err(refused(
                            format!("公示期不少于{min}日，且不超过365日（所填为{n}日）"),
                            "000 §23",
                        ))
                    }
                    (Some(_), _) => {
                        return Err(refused(
                            "政策包将公示期规定为工作日，公示期只能按政策包的规定计算",
                            "000 §23",
                        ))
                    }
                };
                let ends = self.cal.add(today, period)?;
                let document = documents::publicity_notice(
                    self.reg,
                    self.form()?,
                    d,
                    place,
                    today,
                    &ends,
                    minimum,
                )?;
                Ok(self.ev(
                    by,
                    EventKind::PublicityStarted {
                        place: place.trim().to_string(),
                        ends_on: ends.due,
                        document,
                        days: days.filter(|_| period != minimum),
                    },
                ))
            }
            Command::RecordObjection { summary } => {
                const A: &str = "记录公示期间收到的反映";
                let by = self
                    .office(A, "000 §23")
                    .or_else(|_| self.department(A, "000 §23"))
                    .map_err(|_| Self::forbidden(A, "本级维权办或者问责机关、部门", "000 §23"))?;
                let Some(pb) = s.publicity.as_ref().filter(|pb| pb.closed_on.is_none()) else {
                    return Err(refused("本案不在公示期间", "000 §23"));
                };
                if today > pb.ends_on {
                    return Err(refused(
                        format!(
                            "公示期已于{}届满，不能再记录公示期间的反映",
                            date_zh(pb.ends_on)
                        ),
                        "000 §23",
                    ));
                }
                nonempty(summary, "反映的内容不能为空", "000 §23")?;
                Ok(self.ev(
                    by,
                    EventKind::ObjectionRecorded {
                        summary: summary.trim().to_string(),
                    },
                ))
            }
            Command::ResolveObjection {
                index,
                substantiated,
                finding,
            } => {
                const A: &str = "核实公示期间收到的反映";
                let by = self.office(A, "000 §23")?;
                let open = s
                    .publicity
                    .as_ref()
                    .and_then(|p| p.objections.get(*index))
                    .is_some_and(|o| o.resolution.is_none());
                if !open {
                    return Err(WorkflowError::Invalid(format!(
                        "没有第{}件待核实的反映",
                        index.saturating_add(1)
                    )));
                }
                nonempty(finding, "甄别核实的结论不能为空", "000 §23")?;
                Ok(self.ev(
                    by,
                    EventKind::ObjectionResolved {
                        index: *index,
                        substantiated: *substantiated,
                        finding: finding.trim().to_string(),
                    },
                ))
            }
            Command::ClosePublicity => {
                const A: &str = "结束公示";
                let by = self.office(A, "000 §23")?;
                let Some(pb) = s.publicity.as_ref().filter(|pb| pb.closed_on.is_none()) else {
                    return Err(refused("本案不在公示期间", "000 §23"));
                };
                if today <= pb.ends_on {
                    let period = pb.days.map(Period::Days).unwrap_or(self.p.publicity);
                    return Err(refused(
                        format!(
                            "公示期为{}，至{}届满，届满前不能结束公示",
                            period.to_chinese(),
                            date_zh(pb.ends_on)
                        ),
                        "000 §23",
                    ));
                }
                let n = pb.unresolved();
                if n > 0 {
                    return Err(refused(
                        format!("公示期间收到的反映尚有{n}件未甄别核实，不能结束公示"),
                        "000 §23",
                    ));
                }
                Ok(self.ev(by, EventKind::PublicityClosed))
            }
            Command::ReviseDetermination { determination } => {
                const A: &str = "修正认定意见";
                let by = self.leader(A, "000 §23", false)?;
                if !s.determination_in_question {
                    return Err(refused(
                        "只有公示期间的反映经核实属实的，才能修正认定意见",
                        "000 §23",
                    ));
                }
                self.validate_determination(determination, "000 §23")?;
                Ok(self.ev(
                    by,
                    EventKind::DeterminationRevised {
                        determination: determination.clone(),
                    },
                ))
            }
            Command::SendRecommendation { proposal, reasons } => {
                const A: &str = "提出撤销或者变更原决定的建议";
                let by = self.leader(A, "000 §26", false)?;
                let d = self.require_final(A, "000 §26")?;
                if s.department_recommendation.is_some() {
                    return Err(WorkflowError::Invalid("本案已经提出过建议".to_string()));
                }
                if !(d.excuses() && d.original_decision_improper) {
                    return Err(refused(
                        "只有经审查论证认为原问责处理决定不当、应当适用免责容错规定的，才能提出撤销或者变更的建议",
                        "000 §22、§26",
                    ));
                }
                if s.determination_in_question {
                    return Err(refused("认定意见正在复查，不能提出建议", "000 §23"));
                }
                if s.publicity.as_ref().is_some_and(|p| p.unresolved() > 0) {
                    return Err(refused(
                        "公示期间收到的反映尚未甄别核实，不能提出建议",
                        "000 §23",
                    ));
                }
                let form = self.form()?;
                let Some(decision) = form.accountability_decision.as_ref() else {
                    return Err(refused("本案未关联原问责处理决定", "000 §22"));
                };
                let Some(current) = s.current_sanction else {
                    return Err(refused("原问责处理决定已经撤销，无需再提出建议", "000 §26"));
                };
                if let Proposal::Change { to } = proposal {
                    if *to >= current {
                        return Err(refused(
                            format!(
                                "变更建议应当轻于现行处理（{}），不能建议变更为“{}”",
                                current.zh(),
                                to.zh()
                            ),
                            "000 §26",
                        ));
                    }
                }
                nonempty(reasons, "建议应当说明原决定不当的理由", "000 §26")?;
                let document = documents::recommendation(
                    self.reg,
                    form,
                    decision,
                    Some(current),
                    d,
                    *proposal,
                    reasons,
                    today,
                )?;
                Ok(self.ev(
                    by,
                    EventKind::RecommendationSent {
                        proposal: *proposal,
                        reasons: reasons.trim().to_string(),
                        document,
                    },
                ))
            }
            Command::AnswerRecommendation {
                adopted,
                justification,
            } => {
                const A: &str = "答复撤销或者变更原决定的建议";
                let by = self.department(A, "000 §27")?;
                match &s.department_recommendation {
                    None => return Err(refused("维权委尚未提出建议", "000 §26")),
                    Some(r) if r.answer.is_some() => {
                        return Err(WorkflowError::Invalid("已经答复过该建议".to_string()))
                    }
                    Some(_) => {}
                }
                if !adopted && !opt_nonempty(justification) {
                    return Err(refused(
                        "对维权委撤销或者变更原决定的建议，无正当理由的应当采纳；不予采纳的，必须书面说明正当理由",
                        "000 §27",
                    ));
                }
                Ok(self.ev(
                    by,
                    EventKind::RecommendationAnswered {
                        adopted: *adopted,
                        justification: justification
                            .as_ref()
                            .map(|j| j.trim().to_string())
                            .filter(|j| !j.is_empty()),
                    },
                ))
            }
            Command::RecordSanctionChange { sanction, reason } => {
                const A: &str = "记录原问责处理决定的变更";
                let by = self
                    .department(A, "000 §22")
                    .or_else(|_| self.office(A, "000 §22"))
                    .map_err(|_| {
                        Self::forbidden(A, "原问责处理决定作出部门或者本级维权办", "000 §22")
                    })?;
                if s.stage == Stage::New || self.form()?.accountability_decision.is_none() {
                    return Err(refused("本案未关联原问责处理决定", "000 §22"));
                }
                nonempty(reason, "变更原问责处理决定应当说明理由", "000 §22")?;
                if *sanction == s.current_sanction {
                    return Err(WorkflowError::Invalid(format!(
                        "与现行处理（{}）相同，无需记录",
                        sanction_zh(s.current_sanction)
                    )));
                }
                // `None` (revoked) orders below every sanction, so `>` is "heavier". 000 §21 ¶3
                // forbids a heavier sanction *because of* an appeal; whether it was is for the
                // committee to establish, so the change is recorded as decided and flagged.
                let heavier_after_appeal = s.appealed() && *sanction > s.current_sanction;
                Ok(self.ev(
                    by,
                    EventKind::SanctionChanged {
                        sanction: *sanction,
                        reason: reason.trim().to_string(),
                        heavier_after_appeal,
                    },
                ))
            }
            Command::RecordOversight {
                body,
                body_name,
                description,
            } => {
                const A: &str = "记录纪检监察机关、检察机关介入";
                let by = self.office(A, "000 §29")?;
                if s.stage == Stage::New {
                    return Err(self.wrong_stage(A));
                }
                nonempty(body_name, "介入机关名称不能为空", "000 §29")?;
                nonempty(description, "介入调查情况不能为空", "000 §29")?;
                Ok(self.ev(
                    by,
                    EventKind::OversightRecorded {
                        body: *body,
                        body_name: body_name.trim().to_string(),
                        description: description.trim().to_string(),
                    },
                ))
            }
            Command::ProvideOpinionToOversight { index, summary } => {
                const A: &str = "向介入机关提供意见建议";
                let by = self.office(A, "000 §29")?;
                if s.oversight.get(*index).is_none() {
                    return Err(WorkflowError::Invalid(format!(
                        "没有第{}项介入记录",
                        index.saturating_add(1)
                    )));
                }
                nonempty(summary, "提供的依据证据和意见建议不能为空", "000 §29")?;
                Ok(self.ev(
                    by,
                    EventKind::OpinionProvidedToOversight {
                        index: *index,
                        summary: summary.trim().to_string(),
                        includes_opinion: s.stage.has_opinion(),
                    },
                ))
            }
            Command::RecordOversightAnswer {
                index,
                adopted,
                note,
            } => {
                const A: &str = "记录介入机关采纳情况";
                let by = self.office(A, "000 §29")?;
                let Some(o) = s.oversight.get(*index) else {
                    return Err(WorkflowError::Invalid(format!(
                        "没有第{}项介入记录",
                        index.saturating_add(1)
                    )));
                };
                if o.provided.is_empty() {
                    return Err(refused("尚未向介入机关提供意见建议", "000 §29"));
                }
                if o.answer.is_some() {
                    return Err(WorkflowError::Invalid("已经记录过采纳情况".to_string()));
                }
                nonempty(note, "采纳情况说明不能为空", "000 §29")?;
                Ok(self.ev(
                    by,
                    EventKind::OversightAnswered {
                        index: *index,
                        adopted: *adopted,
                        note: note.trim().to_string(),
                    },
                ))
            }
            Command::ReportUpward { index, summary } => {
                const A: &str = "报告上一级公安机关";
                let by = self.office(A, "000 §29")?;
                let needs = s
                    .oversight
                    .get(*index)
                    .is_some_and(|o| o.needs_upward_report());
                if !needs {
                    return Err(refused(
                        "只有向介入机关提出的意见建议不被采纳且尚未报告的，才需报告上一级公安机关",
                        "000 §29",
                    ));
                }
                let Some(parent) = self.form()?.parent_committee.clone() else {
                    return Err(refused("本案未登记上一级公安机关", "000 §29"));
                };
                nonempty(summary, "报告内容不能为空", "000 §29")?;
                Ok(self.ev(
                    by,
                    EventKind::ReportedUpward {
                        index: *index,
                        to: parent,
                        summary: summary.trim().to_string(),
                    },
                ))
            }
            Command::DecideCompensation {
                granted,
                amount_yuan,
                basis,
            } => {
                const A: &str = "作出补偿决定";
                let form = self.form()?;
                if !(self.actor.has(Role::Unit) && self.actor.org_id == form.applying_unit.id) {
                    return Err(Self::forbidden(A, "民警所属单位", "000 §24"));
                }
                let by = self.by(Role::Unit);
                let d = self.require_final(A, "000 §24")?;
                if !d.excuses() {
                    return Err(refused(
                        "补偿决定针对民警依法履职免责容错造成的损害，本案认定不适用免责容错",
                        "000 §24",
                    ));
                }
                if s.compensation.is_some() {
                    return Err(WorkflowError::Invalid("已经作出补偿决定".to_string()));
                }
                match (granted, amount_yuan) {
                    (true, Some(n)) if *n > 0 => {}
                    (true, _) => {
                        return Err(WorkflowError::Invalid(
                            "决定给予补偿的，应当载明补偿金额（元）".to_string(),
                        ))
                    }
                    (false, Some(_)) => {
                        return Err(WorkflowError::Invalid(
                            "决定不予补偿的，不应载明补偿金额".to_string(),
                        ))
                    }
                    (false, None) => {}
                }
                nonempty(basis, "补偿决定应当载明参照的规定和理由", "000 §24")?;
                Ok(self.ev(
                    by,
                    EventKind::CompensationDecided {
                        granted: *granted,
                        amount_yuan: *amount_yuan,
                        basis: basis.trim().to_string(),
                    },
                ))
            }
            Command::ReferForAccountability {
                conduct,
                persons,
                facts,
                referred_to,
            } => {
                const A: &str = "移送追究相关领导和责任人的责任";
                let by = self.office(A, "000 §37")?;
                if s.stage == Stage::New {
                    return Err(self.wrong_stage(A));
                }
                let article = self.accountability_item(*conduct, A)?;
                nonempty(persons, "应当写明相关领导和责任人", "000 §37")?;
                nonempty(facts, "应当写明有关行为的事实", "000 §37")?;
                nonempty(referred_to, "应当写明移送或者报告的机关", "000 §37")?;
                Ok(self.ev(
                    by,
                    EventKind::AccountabilityReferred {
                        conduct: *conduct,
                        article,
                        persons: persons.trim().to_string(),
                        facts: facts.trim().to_string(),
                        referred_to: referred_to.trim().to_string(),
                    },
                ))
            }
            Command::ReviewHeavierSanction {
                retaliation,
                finding,
                persons,
                referred_to,
            } => {
                // 000 §21 ¶3 forbids a heavier sanction *because of* an appeal; lvzhi flagged it
                // when recorded, and the 维权委 (主任 or 副主任) establishes whether it was.
                const A: &str = "审查申请复议复核后的加重处理";
                let by = self.leader(A, "000 §21", false)?;
                if s.heavier_unreviewed() == 0 {
                    return Err(WorkflowError::Invalid(
                        "本案没有待审查的申请复议复核后加重处理".to_string(),
                    ));
                }
                nonempty(finding, "应当写明审查认定的事实和理由", "000 §21")?;
                let mut events = self.ev(
                    by.clone(),
                    EventKind::HeavierSanctionReviewed {
                        retaliation: *retaliation,
                        finding: finding.trim().to_string(),
                    },
                );
                if *retaliation {
                    // 000 §37(六): 因民警申请申诉加重处理或变相打击报复 — referred with the finding.
                    let article = self.accountability_item(Misconduct::Retaliation, A)?;
                    nonempty(
                        persons,
                        "认定系因申请而加重处理的，应当写明相关领导和责任人",
                        "000 §37",
                    )?;
                    nonempty(
                        referred_to,
                        "认定系因申请而加重处理的，应当写明移送或者报告的机关",
                        "000 §37",
                    )?;
                    events.extend(self.ev(
                        by,
                        EventKind::AccountabilityReferred {
                            conduct: Misconduct::Retaliation,
                            article,
                            persons: persons.trim().to_string(),
                            facts: finding.trim().to_string(),
                            referred_to: referred_to.trim().to_string(),
                        },
                    ));
                } else if !persons.trim().is_empty() || !referred_to.trim().is_empty() {
                    return Err(WorkflowError::Invalid(
                        "认定并非因申请而加重处理的，不填写责任人和移送机关".to_string(),
                    ));
                }
                Ok(events)
            }
            Command::MakePublicStatement {
                audience,
                recipient,
                channel,
                content,
            } => {
                // 000 §28: 必要时 the 公安机关 makes known the 调查审查情况 and the 问责处理决定 —
                // once the opinion is in force, as it was decided, never while it is reviewed.
                const A: &str = "向社会公布或者向执法相对人通报";
                let by = self.office(A, "000 §28")?;
                let d = self.require_final(A, "000 §28")?;
                if s.determination_in_question {
                    return Err(refused(
                        "认定意见正在复查，暂不能向社会公布或者向执法相对人通报",
                        "000 §28",
                    ));
                }
                // 000 §23: during 公示 the opinion may still be corrected on what it brings in.
                if s.publicity.as_ref().is_some_and(|p| p.closed_on.is_none()) {
                    return Err(refused(
                        "认定意见正在公示，公示结束后方可向社会公布或者向执法相对人通报",
                        "000 §28",
                    ));
                }
                match audience {
                    StatementAudience::Counterparty => nonempty(
                        recipient,
                        "向执法相对人通报的，应当写明执法相对人",
                        "000 §28",
                    )?,
                    StatementAudience::Society if !recipient.trim().is_empty() => {
                        return Err(WorkflowError::Invalid(
                            "向社会公布的，不填写执法相对人".to_string(),
                        ))
                    }
                    StatementAudience::Society => {}
                }
                nonempty(channel, "应当写明公布途径或者通报方式", "000 §28")?;
                nonempty(content, "公布或者通报的内容不能为空", "000 §28")?;
                let document = documents::public_statement(
                    self.reg,
                    self.form()?,
                    d,
                    *audience,
                    recipient,
                    content,
                    today,
                )?;
                Ok(self.ev(
                    by,
                    EventKind::PublicStatementMade {
                        audience: *audience,
                        recipient: recipient.trim().to_string(),
                        channel: channel.trim().to_string(),
                        content: content.trim().to_string(),
                        document,
                    },
                ))
            }
            Command::ApplyProtections { officer_id } => {
                const A: &str = "落实免责民警权益保障";
                let by = self.unit_or_office(A, "000 §30")?;
                let d = self.require_final(A, "000 §30")?;
                self.officer_in_case(officer_id)?;
                if d.outcome != Outcome::Exemption {
                    return Err(refused("该项保障适用于给予依法履职免责的民警", "000 §30"));
                }
                if s.result_use
                    .get(officer_id)
                    .is_some_and(|r| r.protections.len() == Protection::ALL.len())
                {
                    return Err(WorkflowError::Invalid(
                        "已经落实该民警的权益保障".to_string(),
                    ));
                }
                Ok(self.ev(
                    by,
                    EventKind::ProtectionsApplied {
                        officer_id: officer_id.clone(),
                        items: Protection::ALL.to_vec(),
                    },
                ))
            }
            Command::RecordCounselling {
                officer_id,
                summary,
            } => {
                const A: &str = "记录谈心谈话、心理疏导";
                let by = self.unit_or_office(A, "000 §31")?;
                let d = self.require_final(A, "000 §31")?;
                self.officer_in_case(officer_id)?;
                if d.outcome != Outcome::Exemption {
                    return Err(refused(
                        "谈心谈话、心理疏导适用于依法履职免责的民警",
                        "000 §31",
                    ));
                }
                nonempty(summary, "谈心谈话、心理疏导情况不能为空", "000 §31")?;
                Ok(self.ev(
                    by,
                    EventKind::CounsellingRecorded {
                        officer_id: officer_id.clone(),
                        summary: summary.trim().to_string(),
                    },
                ))
            }
            Command::SetRectification {
                officer_id,
                measures,
                follow_up,
            } => {
                const A: &str = "制定纠错整改措施";
                let by = self.unit_or_office(A, "000 §31")?;
                let d = self.require_final(A, "000 §31")?;
                self.officer_in_case(officer_id)?;
                if d.outcome != Outcome::Tolerance {
                    return Err(refused("纠错整改措施适用于容错的民警", "000 §31"));
                }
                nonempty(measures, "纠错和整改措施不能为空", "000 §31")?;
                nonempty(follow_up, "回访教育、跟踪管理安排不能为空", "000 §31")?;
                Ok(self.ev(
                    by,
                    EventKind::RectificationSet {
                        officer_id: officer_id.clone(),
                        measures: measures.trim().to_string(),
                        follow_up: follow_up.trim().to_string(),
                    },
                ))
            }
            Command::RecordRecurrence {
                officer_id,
                description,
            } => {
                const A: &str = "记录整改效果不明显或者同类错误再次发生";
                let by = self.unit_or_office(A, "000 §31")?;
                self.officer_in_case(officer_id)?;
                if s.result_use
                    .get(officer_id)
                    .and_then(|r| r.rectification.as_ref())
                    .is_none()
                {
                    return Err(refused("尚未对该民警制定纠错整改措施", "000 §31"));
                }
                nonempty(description, "情况说明不能为空", "000 §31")?;
                Ok(self.ev(
                    by,
                    EventKind::RecurrenceRecorded {
                        officer_id: officer_id.clone(),
                        description: description.trim().to_string(),
                    },
                ))
            }
        }
    }

    /// First extension: 主任 or 副主任, major/complex grounds (000 §18); second: 主任 only (§20).
    fn extend(&self, grounds: &str) -> Result<Vec<Event>, WorkflowError> {
        let s = self.s;
        let round = s.extensions.saturating_add(1);
        let (action, article, director_only, period) = match round {
            1 => ("延长审查论证期限", "000 §18", false, self.p.extension_1),
            2 => ("再次延长审查论证期限", "000 §20", true, self.p.extension_2),
            _ => {
                return Err(refused(
                    "审查论证期限已经两次延长，不能再延长",
                    "000 §18、§20",
                ))
            }
        };
        let by = self.leader(action, article, director_only)?;
        if !s.stage.in_review() {
            return Err(self.wrong_stage(action));
        }
        nonempty(
            grounds,
            if round == 1 {
                "延长审查论证期限限于案情重大、情况复杂、有较大影响的申请事项，应当说明理由"
            } else {
                "再次延长审查论证期限限于重大疑难申请事项，应当说明未能按期审查论证完毕的理由"
            },
            article,
        )?;
        let Some(current) = opinion_deadline(s, self.cal, self.p)? else {
            return Err(self.wrong_stage(action));
        };
        if self.today > current.due {
            return Err(refused(
                format!(
                    "审查论证期限已于{}届满，期限届满后不能再{action}",
                    date_zh(current.due)
                ),
                article,
            ));
        }
        // 000 §20: "重大疑难申请事项未能在规定期限内审查论证完毕的，经本级维权委主任批准，作出审查
        // 论证意见的时间可以再延长 15 个工作日". 再延长 follows §18's extension, so the 规定期限 is
        // the period as §18 extended it, and "未能…审查论证完毕" is a fact about that period: it can
        // be known only while the added period runs, never on the day the first extension is
        // granted. The guard chosen: the second extension is granted within the first's added
        // period — after the original last day (here) and no later than the extended last day
        // (the check above). The text names no nearer point, and waiting for the extended last
        // day itself would leave the 主任 one day to grant it; so the whole added period is open.
        if round == 2 {
            if let Some(accepted) = s.accepted_on {
                let original = self.cal.add(accepted, self.p.opinion)?.due;
                if self.today <= original {
                    return Err(refused(
                        format!(
                            "再次延长限于第一次延长后仍未能在规定期限内审查论证完毕的重大疑难申请事项：原定审查论证期限至{}届满，第一次延长的期间开始后方可再次延长",
                            date_zh(original)
                        ),
                        article,
                    ));
                }
            }
        }
        let new_due = chain(self.cal.add(current.due, period)?, &current);
        let form = self.form()?;
        let document = documents::extension_approval(
            self.reg,
            form,
            s.filer,
            round,
            grounds,
            by.role,
            self.today,
            current.due,
            &new_due,
        )?;
        Ok(self.ev(
            by,
            EventKind::ReviewExtended {
                round,
                grounds: grounds.trim().to_string(),
                new_due: new_due.due,
                document,
            },
        ))
    }

    /// 复议 / 复核 (000 §21): in time, to the right committee, not a repeat without new evidence.
    fn appeal(
        &self,
        kind: AppealKind,
        grounds: &str,
        new_evidence: &Option<String>,
    ) -> Result<Vec<Event>, WorkflowError> {
        let s = self.s;
        let action = format!("申请{}", kind.zh());
        let by = self.applicant(&action)?;
        let form = self.form()?;
        // The stage where this appeal is the normal next step, and where it is a repeat.
        let (normal, repeat) = match kind {
            AppealKind::Reconsideration => (Stage::OpinionIssued, Stage::ReconsiderationReplied),
            AppealKind::ReReview => (Stage::ReconsiderationReplied, Stage::ReReviewReplied),
        };
        let is_repeat_stage = s.stage == repeat;
        if s.stage != normal && s.stage != repeat {
            return Err(self.wrong_stage(&action));
        }
        if s.no_objection {
            return Err(refused(
                format!("申请人已表示无异议，不能再{action}"),
                "000 §21",
            ));
        }
        if s.publicity.is_some() || s.department_recommendation.is_some() {
            return Err(refused(
                format!("认定意见已经生效并进入公示或者建议程序，不能再{action}"),
                "000 §21",
            ));
        }
        nonempty(grounds, &format!("{action}应当说明事由"), "000 §21")?;
        let new_ev = opt_nonempty(new_evidence);
        let duplicate = s
            .appeals
            .iter()
            .any(|a| a.kind == kind && same_reason(&a.grounds, grounds));
        if duplicate && !new_ev {
            return Err(refused(
                format!(
                    "不得因同一事项、以同一事由重复申请{}；有新的证据可能推翻原意见结论的，请注明新证据",
                    kind.zh()
                ),
                "000 §21",
            ));
        }
        if is_repeat_stage && kind == AppealKind::ReReview && !new_ev {
            // A second 复核 after its reply: only for new evidence (§21 ¶3).
            return Err(refused(
                "复核意见已经作出，再次申请复核应当有可能推翻原意见结论的新证据",
                "000 §21",
            ));
        }
        let Some((_, window)) = appeal_window(s, self.cal, self.p)? else {
            return Err(self.wrong_stage(&action));
        };
        if self.today > window.due {
            return Err(WorkflowError::Late {
                action: format!("{}申请", kind.zh()),
                due: date_zh(window.due),
                article: "000 §21".to_string(),
            });
        }
        let (to, copy_to) = match kind {
            AppealKind::Reconsideration => (form.committee.clone(), None),
            AppealKind::ReReview => match &form.parent_committee {
                Some(parent) => (parent.clone(), Some(form.committee.clone())),
                None => {
                    return Err(refused(
                        "本案未登记上一级公安机关维权委，无法受理复核申请",
                        "000 §21",
                    ))
                }
            },
        };
        Ok(self.ev(
            by,
            EventKind::AppealFiled {
                appeal: kind,
                grounds: grounds.trim().to_string(),
                new_evidence: new_evidence
                    .as_ref()
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty()),
                to,
                copy_to,
            },
        ))
    }

    /// The written reply: 复议 by this committee's 主任/副主任, 复核 by the parent committee,
    /// copied to the 复议 body (000 §21).
    fn reply(
        &self,
        kind: AppealKind,
        upheld: bool,
        reasoning: &str,
        revised: &Option<Determination>,
    ) -> Result<Vec<Event>, WorkflowError> {
        let s = self.s;
        let action = format!("回复{}意见", kind.zh());
        let form = self.form()?;
        let by = match kind {
            AppealKind::Reconsideration => self.leader(&action, "000 §21", false)?,
            AppealKind::ReReview => {
                let parent = form.parent_committee.as_ref();
                let here = parent.is_some_and(|p| p.id == self.actor.org_id);
                let role = [Role::HigherCommittee, Role::Director, Role::DeputyDirector]
                    .into_iter()
                    .find(|r| self.actor.has(*r));
                match (here, role) {
                    (true, Some(r)) => self.by(r),
                    _ => return Err(Self::forbidden(&action, "上一级公安机关维权委", "000 §21")),
                }
            }
        };
        let pending = match kind {
            AppealKind::Reconsideration => Stage::ReconsiderationPending,
            AppealKind::ReReview => Stage::ReReviewPending,
        };
        if s.stage != pending {
            return Err(self.wrong_stage(&action));
        }
        nonempty(
            reasoning,
            &format!("{}意见应当说明理由", kind.zh()),
            "000 §21",
        )?;
        let in_force = match (upheld, revised) {
            (true, None) => s
                .determination
                .clone()
                .ok_or_else(|| self.wrong_stage(&action))?,
            (true, Some(_)) => {
                return Err(WorkflowError::Invalid(
                    "维持原意见的，不应附变更后的认定".to_string(),
                ))
            }
            (false, None) => {
                return Err(refused(
                    format!("{}变更原意见的，应当载明变更后的认定", kind.zh()),
                    "000 §21",
                ))
            }
            (false, Some(d)) => {
                self.validate_determination(d, "000 §21")?;
                d.clone()
            }
        };
        let filed_on = s
            .last_appeal(kind)
            .map(|a| a.filed_on)
            .unwrap_or(self.today);
        let next = match (kind, &form.parent_committee) {
            (AppealKind::Reconsideration, Some(parent)) => {
                Some((self.cal.add(self.today, self.p.re_review_apply)?, parent))
            }
            _ => None,
        };
        let (signer, copy) = match kind {
            AppealKind::Reconsideration => (&form.committee, None),
            AppealKind::ReReview => (
                form.parent_committee.as_ref().unwrap_or(&form.committee),
                Some(&form.committee),
            ),
        };
        let document = documents::appeal_reply(
            self.reg,
            form,
            s.filer,
            kind,
            filed_on,
            upheld,
            reasoning,
            &in_force,
            self.today,
            next.as_ref().map(|(d, o)| (d, *o)),
            signer,
            copy,
        )?;
        Ok(self.ev(
            by,
            EventKind::AppealReplied {
                appeal: kind,
                upheld,
                reasoning: reasoning.trim().to_string(),
                revised: revised.clone(),
                received_on: self.today,
                document,
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_reason_ignores_spacing_and_punctuation_only() {
        assert!(same_reason("认定事实错误。", " 认定事实 错误"));
        assert!(same_reason("未听取证人意见；", "未听取证人意见"));
        assert!(!same_reason("认定事实错误", "适用法律错误"));
    }

    #[test]
    fn sm3_digests_are_64_hex_digits() {
        assert!(is_sm3_hex(&"a".repeat(64)));
        assert!(!is_sm3_hex(&"a".repeat(63)));
        assert!(!is_sm3_hex(&"g".repeat(64)));
    }
}
