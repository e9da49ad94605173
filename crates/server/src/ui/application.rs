//! What the pages show of a 免责容错 application beyond what every case shows: its facts
//! interview with the live recommended determination (000 §14), its evidence, and the help its
//! steps' forms give — the panel's candidates with their conflicts (000 §14, §19(六)), the expert
//! pool with the seven conditions (000 §18–19), the people who may be recused, the objections of
//! a publicity (000 §23), the recommendation a department answers (000 §27), the draft opinion
//! prefilled from the recorded recommendation. Reached through the case's state
//! (`CaseCtx::state::<lvzhi_workflow::State>()`), never through its kind, and keyed by the step
//! a form is for.

use std::collections::BTreeMap;

use lvzhi_calendar::date_zh;
use lvzhi_processes::{ActionSpec, Field};
use lvzhi_store::ExpertRecord;
use lvzhi_workflow::process::{
    external_category_label, external_category_options, member_category_options,
    member_category_zh, ELIGIBILITY,
};
use lvzhi_workflow::{
    AppealKind, EventKind, Leniency, Modality, Outcome, Recommendation, State as CaseState,
};
use maud::{html, Markup};

use super::{csrf_field, multiline};
use crate::app::App;
use crate::auth::User;
use crate::cases::form::{expert_person_id, FormOptions, FormValues, Options};
use crate::cases::CaseCtx;
use crate::interview::{self, EvaluationView};

/// The application's state, when the case is an application.
pub(crate) fn state(ctx: &CaseCtx) -> Option<&CaseState> {
    ctx.state::<CaseState>()
}

/// The facts a case's interview starts from: those recorded.
pub(crate) fn recorded_facts(s: &CaseState) -> BTreeMap<String, serde_json::Value> {
    s.form.as_ref().map(|f| f.facts.clone()).unwrap_or_default()
}

/// The dates 从旧兼从轻 compares for a case: the decision's date from the linked accountability
/// decision; the conduct date is not recorded in the form.
pub(crate) fn dates(s: &CaseState) -> (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>) {
    let decision = s
        .form
        .as_ref()
        .and_then(|f| f.accountability_decision.as_ref())
        .map(|d| d.decided_on);
    (None, decision)
}

/// The rule packs the case is judged under: those its governance recorded, or 000 alone for a
/// case recorded before bindings (issue 20 item 3).
pub(crate) fn governing(app: &App, s: &CaseState) -> Vec<String> {
    interview::governing(&app.packs(), s.governance.as_ref())
}

/// The evaluation of `facts` under every pack governing the case (000 §14: the recommendation
/// the opinion weighs).
pub(crate) fn judge(
    app: &App,
    s: &CaseState,
    facts: &BTreeMap<String, serde_json::Value>,
) -> Result<EvaluationView, crate::error::AppError> {
    let (conduct, decision) = dates(s);
    interview::judge(&app.packs(), &governing(app, s), facts, conduct, decision)
}

/// The live evaluation of the case's recorded facts.
pub(crate) fn live_evaluation(app: &App, s: &CaseState) -> Option<EvaluationView> {
    judge(app, s, &recorded_facts(s)).ok()
}

// ---- the case page ----

/// The recommendation panel (also returned alone to the live interview script). Citations as
/// users read them; pack and rule ids only in the collapsed 技术信息.
pub(crate) fn recommendation_panel(v: &EvaluationView) -> Markup {
    let class = match v.outcome.as_str() {
        "exemption" | "tolerance" => "rec good",
        "exclusion" | "aggravation" => "rec bad",
        "undetermined" => "rec open",
        _ => "rec",
    };
    html! {
        div id="recommendation" class=(class) aria-live="polite" {
            h3 { "系统建议结论" }
            p.conclusion { (v.summary_zh) }
            @if let Some(j) = &v.judgement {
                p.reason { (j.reason) }
            }
            @if !v.questions.is_empty() {
                @if v.judgement.is_some() {
                    p { "仍需查明（按适用规定的顺序，各规定内按对结论的影响排序）：" }
                } @else {
                    p { "仍需查明（按对结论的影响排序）：" }
                }
                ol.questions { @for q in &v.questions { li { (q.question) } } }
            }
            @let notes: &[String] = if v.judgement.is_some() { v.notes.get(1..).unwrap_or(&[]) } else { &v.notes };
            @if !notes.is_empty() {
                ul.notes { @for n in notes { li { (n) } } }
            }
            @if !v.articles.is_empty() {
                h4 { "引用条款" }
                dl.articles {
                    @for a in &v.articles {
                        dt { (a.readable) }
                        dd { (a.text) }
                    }
                }
            }
            @if !v.defeated.is_empty() {
                h4 { "被排除适用的规则" }
                ul { @for d in &v.defeated { li { (d.reason) } } }
            }
            @if let Some(j) = &v.judgement {
                (judgement_section(j))
            }
            details.tech.noprint {
                summary { "技术信息" }
                p {
                    @if !v.applied.is_empty() { "适用政策包：" (v.applied) "；" }
                    "结论代码：" (v.outcome)
                }
                @if !v.fired.is_empty() { p { "适用规则：" (v.fired.join("、")) } }
                @if !v.citations.is_empty() { p { "条款代码：" (v.citations.join("、")) } }
                @if let Some(j) = &v.judgement {
                    ul { @for r in &j.results {
                        li { (r.pack) "（" (r.version) "）：" (r.outcome) " · " (r.standing)
                            @if !r.fired.is_empty() { " · " (r.fired.join("、")) } }
                    } }
                }
            }
            p.hint { "系统建议仅供参考，认定意见由维权委依法作出并载明理由。" }
        }
    }
}

/// Each governing regulation's result with its citations, and where they differ.
fn judgement_section(j: &interview::JudgementView) -> Markup {
    html! {
        h4 { "各适用规定下的评估" }
        @for r in &j.results {
            div class=(if r.prevails { "pack-result prevails" } else { "pack-result" }) {
                h5 {
                    (r.title)
                    @if r.prevails { " " span.badge { "适用" } }
                }
                p { (r.summary_zh) }
                @if !r.standing_zh.is_empty() { p.hint { (r.standing_zh) } }
                @if !r.articles.is_empty() {
                    dl.articles {
                        @for a in &r.articles {
                            dt { (a.readable) }
                            dd { (a.text) }
                        }
                    }
                }
                // A version not in force at the dates that count is shown for reference only.
                @if !r.questions.is_empty() && r.standing != "not_applied" {
                    p { "在本规定下尚未查明：" }
                    ul.questions { @for q in &r.questions { li { (q.question) } } }
                }
            }
        }
        @if !j.differences.is_empty() {
            h4 { "结论差异" }
            ul.differences { @for d in &j.differences { li { (d) } } }
        }
    }
}

fn fact_control(
    f: &interview::FactView,
    value: Option<&serde_json::Value>,
    editable: bool,
) -> Markup {
    let name = format!("fact.{}", f.id);
    let current: String = match value {
        Some(serde_json::Value::Bool(true)) => "true".into(),
        Some(serde_json::Value::Bool(false)) => "false".into(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    html! {
        div.fact {
            label for=(name) {
                (f.question) " "
                @if let Some(r) = f.regulation.as_ref().or(f.cited_from.as_ref()) {
                    small { (r) (f.articles.iter().map(|a| lvzhi_rules::article_zh(a)).collect::<Vec<_>>().join("、")) }
                } @else {
                    small { (f.articles.iter().map(|a| lvzhi_rules::article_zh(a)).collect::<Vec<_>>().join("、")) }
                }
            }
            @match f.ty.as_str() {
                "bool" => {
                    select id=(name) name=(name) disabled[!editable] {
                        option value="" selected[current.is_empty()] { "尚不清楚" }
                        option value="true" selected[current == "true"] { "是" }
                        option value="false" selected[current == "false"] { "否" }
                    }
                }
                "choice" => {
                    select id=(name) name=(name) disabled[!editable] {
                        option value="" selected[current.is_empty()] { "尚不清楚" }
                        @for c in &f.choices { option value=(c.id) selected[current == c.id] { (c.label) } }
                    }
                }
                "date" => { input id=(name) type="date" name=(name) value=(current) disabled[!editable]; }
                _ => { input id=(name) type="number" step="any" name=(name) value=(current) disabled[!editable]; }
            }
        }
    }
}

/// The facts interview (000 §14): each question of the pack with the answer recorded (or
/// `facts` as just entered, or the user's draft of `draft_at`), saved by the step that records
/// facts when the user may take it. Every change is kept as a draft (issue 22 item 2).
pub(crate) fn interview_section(
    user: &User,
    ctx: &CaseCtx,
    questions: &[interview::FactView],
    facts: &BTreeMap<String, serde_json::Value>,
    can_edit: bool,
    draft_at: Option<chrono::DateTime<chrono::Utc>>,
) -> Markup {
    let id = ctx.id();
    html! {
        section.card {
            h2 { "事实问询" }
            @if can_edit {
                @if let Some(at) = draft_at {
                    p.notice.draft role="status" {
                        "以下为您于 " (crate::clock::beijing_time_zh(at)) " 暂存的草稿回答，尚未记入案件。"
                        "核对后点击“保存事实并记录建议”记录；草稿只有您本人可见。"
                    }
                } @else {
                    p.hint { "您的回答在每次修改后自动暂存为草稿，再次打开本案时仍在；点击“保存事实并记录建议”后才记入案件。" }
                }
                p.hint id="draft-status" aria-live="polite" {}
            }
            form id="interview" method="post" action={ "/cases/" (id) "/interview" } data-live={ "/cases/" (id) "/interview/live" } {
                (csrf_field(user))
                input type="hidden" name="expected_version" value=(ctx.version());
                div.facts {
                    @for f in questions.iter().filter(|f| f.regulation.is_none()) { (fact_control(f, facts.get(&f.id), can_edit)) }
                }
                @let others: Vec<&interview::FactView> = questions.iter().filter(|f| f.regulation.is_some()).collect();
                @if !others.is_empty() {
                    h3 { "其他适用规定尚需查明的事实" }
                    div.facts {
                        @for f in others { (fact_control(f, facts.get(&f.id), can_edit)) }
                    }
                }
                div.buttons {
                    button type="submit" name="op" value="evaluate" { "重新评估" }
                    @if can_edit {
                        button.primary type="submit" name="op" value="save" { "保存事实并记录建议" }
                        @if draft_at.is_some() {
                            button type="submit" name="op" value="discard" formnovalidate { "放弃草稿" }
                        }
                    }
                }
            }
        }
    }
}

/// The evidence of the case, each file downloadable (000 §14–15); the digests are in 技术信息.
pub(crate) fn evidence_list(ctx: &CaseCtx, s: &CaseState) -> Markup {
    let id = ctx.id();
    html! {
        h3 id="evidence" { "证据材料" }
        @if s.evidence.is_empty() {
            p.empty { "尚无证据材料。" }
        } @else {
            ul.evidence {
                @for e in &s.evidence {
                    li {
                        a href={ "/cases/" (id) "/evidence/" (e.sm3) } { (e.file_name) }
                        @if !e.description.is_empty() { " · " (e.description) }
                    }
                }
            }
        }
    }
}

// ---- the steps' forms ----

/// People who may be recused: the panel, approved participants, and the committee staff of
/// the handling organisation's subtree — less the applicants and those already recused.
/// `(id, name, description)`.
fn recusable(app: &App, s: &CaseState) -> Vec<(String, String, String)> {
    let dir = app.directory();
    let applicants = s.applicant_ids();
    let mut out: Vec<(String, String, String)> = Vec::new();
    let mut push = |id: &str, name: &str, what: String| {
        if !applicants.contains(&id) && !s.is_recused(id) && !out.iter().any(|(p, _, _)| p == id) {
            out.push((id.to_string(), name.to_string(), what));
        }
    };
    for m in &s.panel {
        push(
            &m.person_id,
            &m.name,
            format!("审查论证组成员（{}）", member_category_zh(m.category)),
        );
    }
    for x in &s.externals {
        push(&x.person_id, &x.name, "特邀审查论证人员".to_string());
    }
    if let Some(committee) = s.committee_org() {
        const ROLES: [&str; 5] = [
            "office",
            "director",
            "deputy_director",
            "committee_member",
            "panel_member",
        ];
        for p in dir.people.values().filter(|p| !p.disabled) {
            let roles: Vec<&str> = dir
                .grants
                .get(&p.id)
                .map(|gs| {
                    gs.iter()
                        .filter(|g| {
                            ROLES.contains(&g.role.as_str())
                                && dir.tree.is_within(&g.org_id, &committee.id)
                        })
                        .map(|g| lvzhi_access::role_zh(&g.role))
                        .collect()
                })
                .unwrap_or_default();
            if !roles.is_empty() {
                push(
                    &p.id,
                    &p.name,
                    format!("{} · {}", dir.org_name(&p.org_id), roles.join("、")),
                );
            }
        }
    }
    out
}

/// A person who could sit on the panel, with what the conflict checks found.
struct Candidate {
    id: String,
    name: String,
    place: String,
    /// The category suggested (the present panel's, or the department's for its own staff).
    category: String,
    warnings: Vec<String>,
    /// Why the person cannot sit at all (applicant, recused).
    refused: Option<String>,
}

/// Holders of `panel_member` in the handling organisation's subtree (and in the original
/// decision department's, whose staff 000 §14 lets the office invite), plus the present panel.
/// A candidate is flagged as of the deciding department only when they are of the department
/// that made the decision: its own staff, or within it when it is an internal department — the
/// 法制 and 纪检 of a bureau that decided are not (000 §14 wants exactly them, issue 22 item 9).
fn panel_candidates(app: &App, s: &CaseState) -> Vec<Candidate> {
    let dir = app.directory();
    let Some(committee) = s.committee_org() else {
        return Vec::new();
    };
    let department = s.department_org();
    let unit = s.applying_unit();
    let within = |org: &str, root: &str| dir.tree.is_within(org, root);
    let of_department = |org: &str, dept: &str| {
        org == dept
            || (dir.orgs.get(dept).is_some_and(|d| d.kind == "department") && within(org, dept))
    };
    let mut out: Vec<Candidate> = Vec::new();
    let mut ids: Vec<String> = dir
        .people
        .values()
        .filter(|p| !p.disabled)
        .filter(|p| {
            dir.grants.get(&p.id).is_some_and(|gs| {
                gs.iter().any(|g| {
                    g.role == "panel_member"
                        && (within(&g.org_id, &committee.id)
                            || department.is_some_and(|d| within(&g.org_id, &d.id)))
                })
            })
        })
        .map(|p| p.id.clone())
        .collect();
    for m in &s.panel {
        if !ids.contains(&m.person_id) {
            ids.push(m.person_id.clone());
        }
    }
    for id in ids {
        let person = dir.people.get(&id);
        let on_panel = s.panel.iter().find(|m| m.person_id == id);
        let name = person
            .map(|p| p.name.clone())
            .or_else(|| on_panel.map(|m| m.name.clone()))
            .unwrap_or_default();
        let org = person.map(|p| p.org_id.as_str()).unwrap_or_default();
        let place = match person {
            Some(p) if !p.title.trim().is_empty() => format!("{} · {}", dir.org_name(org), p.title),
            Some(_) => dir.org_name(org),
            None => String::new(),
        };
        let mut warnings = Vec::new();
        let mut category = on_panel
            .and_then(|m| serde_json::to_value(m.category).ok())
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        if let Some(u) = unit {
            if !org.is_empty() && within(org, &u.id) {
                warnings.push(format!(
                    "属于申请单位（{}），与申请事项可能有利害关系，请核实是否应当回避（000 §19(六)）",
                    u.name
                ));
            }
        }
        if let Some(d) = department {
            if !org.is_empty() && of_department(org, &d.id) {
                warnings.push(format!(
                    "属于原问责处理决定作出部门（{}），只能作为该部门相关人员视情参加（000 §14）",
                    d.name
                ));
                if category.is_empty() {
                    category = "original_department".to_string();
                }
            }
        }
        let refused = if s.applicant_ids().contains(&id.as_str()) {
            Some("本案申请人，不能参加审查论证组（000 §19(六)）".to_string())
        } else if let Some((_, _, reason)) = s.recused.iter().find(|(p, _, _)| *p == id) {
            Some(format!("已决定回避（{reason}）"))
        } else {
            None
        };
        out.push(Candidate {
            id,
            name,
            place,
            category,
            warnings,
            refused,
        });
    }
    out.sort_by(|a, b| (&a.place, &a.name).cmp(&(&b.place, &b.name)));
    out
}

/// The people a step of the application may name, by the field's name: the panel's candidates,
/// the people who may be recused. `None` for the others (the default options apply).
pub(crate) fn person_options(app: &App, s: &CaseState, spec: &ActionSpec) -> Option<FormOptions> {
    let mut o = FormOptions::default();
    match spec.id.as_str() {
        "form_panel" => {
            let people: Options = panel_candidates(app, s)
                .into_iter()
                .filter(|c| c.refused.is_none())
                .map(|c| (c.id, c.name))
                .collect();
            o.0.insert("members.person_id".to_string(), people);
        }
        "record_recusal" => {
            let people: Options = recusable(app, s)
                .into_iter()
                .map(|(id, name, what)| (id, format!("{name}（{what}）")))
                .collect();
            o.0.insert("person_id".to_string(), people);
        }
        _ => return None,
    }
    Some(o)
}

/// The expert pool's active members (000 §18).
pub(crate) fn expert_options(experts: &[ExpertRecord]) -> Options {
    experts
        .iter()
        .filter(|e| e.active)
        .map(|e| (expert_person_id(e), e.name.clone()))
        .collect()
}

fn recommendation_zh(r: &Recommendation) -> String {
    let parse = |s: &str| serde_json::Value::String(s.trim().to_string());
    let outcome = serde_json::from_value::<Outcome>(parse(&r.outcome))
        .map(|o| o.zh().to_string())
        .unwrap_or_else(|_| r.outcome.clone());
    let modality = serde_json::from_value::<Modality>(parse(&r.modality))
        .map(|m| m.zh().to_string())
        .unwrap_or_else(|_| r.modality.clone());
    let leniency: Vec<String> = r
        .leniency
        .iter()
        .map(|l| {
            serde_json::from_value::<Leniency>(parse(l))
                .map(|x| x.zh().to_string())
                .unwrap_or_else(|_| l.clone())
        })
        .collect();
    if leniency.is_empty() {
        format!("{modality}{outcome}")
    } else {
        format!("{modality}{outcome}（{}）", leniency.join("、"))
    }
}

fn determination_values(prefix: &str, d: &lvzhi_workflow::Determination, out: &mut FormValues) {
    let mut push = |k: &str, v: String| out.push(format!("{prefix}.{k}"), v);
    push("outcome", d.outcome.id().to_string());
    push("modality", d.modality.id().to_string());
    if let Some(l) = d.leniency {
        push("leniency", l.id().to_string());
    }
    push("basis", d.basis.clone());
    push("articles", d.articles.join("、"));
    if d.original_decision_improper {
        push("original_decision_improper", "on".to_string());
    }
    if let Some(r) = &d.departure_reasons {
        push("departure_reasons", r.clone());
    }
}

/// What a step's form starts with: the case's own data where the step continues it — the draft
/// opinion from the recorded recommendation (or the live one), the present panel, the chosen
/// expert's conditions.
pub(crate) fn prefill(
    app: &App,
    s: &CaseState,
    spec: &ActionSpec,
    expert: Option<&ExpertRecord>,
    out: &mut FormValues,
) {
    match spec.id.as_str() {
        "draft_opinion" => {
            if let Some(d) = &s.draft {
                determination_values("determination", d, out);
            } else {
                // The recorded recommendation is what a departure is measured against
                // (000 §14); without one, the live evaluation of the facts.
                let rec = s.recommendation.clone().or_else(|| {
                    live_evaluation(app, s).and_then(|v| interview::recommendation(&v))
                });
                if let Some(r) = rec {
                    out.push("determination.outcome", r.outcome.trim());
                    out.push("determination.modality", r.modality.trim());
                    if r.outcome.trim() == "tolerance" {
                        if let Some(l) = r.leniency.first() {
                            out.push("determination.leniency", l.trim());
                        }
                    }
                    out.push("determination.articles", r.citations.join("、"));
                }
            }
        }
        "record_recommendation" => {
            if let Some(r) = live_evaluation(app, s).and_then(|v| interview::recommendation(&v)) {
                out.push("recommendation.outcome", r.outcome);
                out.push("recommendation.modality", r.modality);
                for l in r.leniency {
                    out.push("recommendation.leniency", l);
                }
                out.push("recommendation.citations", r.citations.join("、"));
                out.push("recommendation.explanation", r.explanation);
            }
        }
        "revise_determination" => {
            if let Some(d) = &s.determination {
                determination_values("determination", d, out);
            }
        }
        "start_publicity" => {
            if let Some(u) = s.applying_unit() {
                out.push("place", u.name.clone());
            }
        }
        "record_receipt" => {
            out.push("received_on", app.clock().today().to_string());
        }
        "form_panel" => {
            for m in &s.panel {
                if s.is_recused(&m.person_id) {
                    continue;
                }
                out.push(format!("members.{}.person_id", m.person_id), &m.person_id);
                if let Ok(serde_json::Value::String(c)) = serde_json::to_value(m.category) {
                    out.push(format!("members.{}.category", m.person_id), c);
                }
            }
        }
        "approve_external_participant" => {
            if let Some(e) = expert {
                out.push("expert", e.id.clone());
                out.push("participant.person_id", expert_person_id(e));
                if external_category_options()
                    .iter()
                    .any(|(id, _)| *id == e.category)
                {
                    out.push("participant.category", e.category.clone());
                }
                for (key, _) in ELIGIBILITY {
                    if e.eligibility.get(key).and_then(|v| v.as_bool()) == Some(true) {
                        out.push(format!("participant.eligibility.{key}"), "on");
                    }
                }
            }
        }
        _ => {}
    }
}

/// The panel's candidates as a table: ticking a person makes them a member in the category
/// chosen beside them; each with what the conflict checks found (000 §14, §19(六)).
pub(crate) fn panel_table(app: &App, s: &CaseState, field: &Field, values: &FormValues) -> Markup {
    let candidates = panel_candidates(app, s);
    let categories = member_category_options();
    html! {
        fieldset.panel {
            legend { (field.label) @if field.required { " " span.req title="必填" { "*" } } }
            @if !field.help.is_empty() { small.help { (field.help) } }
            @if candidates.is_empty() {
                p.empty { "本级及下级单位尚无具有“审查论证组成员”角色的人员，请先由系统管理员在人员名册中授予。" }
            } @else {
                table.list.candidates {
                    thead { tr { th { "选择" } th { "姓名" } th { "单位 · 职务" } th { "成员类别" } th { "回避审查（000 §19(六)）" } } }
                    tbody {
                        @for c in &candidates {
                            @let cid = format!("m-{}", c.id);
                            @let pick = format!("{}.{}.person_id", field.name, c.id);
                            @let cat_name = format!("{}.{}.category", field.name, c.id);
                            @let chosen = values.trimmed(&cat_name);
                            @let current = if chosen.is_empty() { c.category.as_str() } else { chosen };
                            tr class=[c.refused.as_ref().map(|_| "refused")] {
                                td { input id=(cid) type="checkbox" name=(pick) value=(c.id) checked[values.has(&pick, &c.id)] disabled[c.refused.is_some()]; }
                                td { label for=(cid) { (c.name) } }
                                td { (c.place) }
                                td {
                                    select name=(cat_name) disabled[c.refused.is_some()] aria-label={ (c.name) "的成员类别" } {
                                        option value="" selected[current.is_empty()] { "请选择" }
                                        @for (id, label) in &categories {
                                            option value=(id) selected[current == id] { (label) }
                                        }
                                    }
                                }
                                td {
                                    @if let Some(r) = &c.refused { span.bad-text { "不能参加：" (r) } }
                                    @for w in &c.warnings { div.warn-text { "注意：" (w) } }
                                    @if c.refused.is_none() && c.warnings.is_empty() { span.ok-text { "未发现应当回避的情形" } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The expert chosen for the participant form (by `?expert=` from the pool's list).
pub(crate) fn chosen_expert(field: &Field, name: &str, expert: Option<&ExpertRecord>) -> Markup {
    match expert {
        Some(e) => html! {
            input type="hidden" name="expert" value=(e.id);
            input type="hidden" name=(name) value=(expert_person_id(e));
            div.field {
                span.label { (field.label) }
                p.chosen { strong { (e.name) } " · " (e.affiliation) }
            }
        },
        None => html! { p.empty { "请先在上方专家库中选择拟邀请的人员。" } },
    }
}

fn determination_block(d: &lvzhi_workflow::Determination) -> Markup {
    html! {
        p.conclusion { (d.summary_zh()) }
        p { (multiline(&d.basis)) }
        @if !d.articles.is_empty() { p { "依据：" (d.articles.join("、")) } }
    }
}

/// Context shown above the fields of particular steps.
pub(crate) fn context(
    ctx: &CaseCtx,
    s: &CaseState,
    spec: &ActionSpec,
    experts: &[ExpertRecord],
    expert: Option<&ExpertRecord>,
) -> Markup {
    let id = ctx.id();
    match spec.id.as_str() {
        "approve_external_participant" => {
            let applicants = s.applicant_ids();
            html! {
                section.card {
                    h2 { "审查论证专家库" }
                    @if let Some(g) = &s.major_grounds { p { "本案已认定为重大复杂事项：" (g) } }
                    @if experts.iter().all(|e| !e.active) {
                        p.empty { "专家库中尚无在册人员，请先由系统管理员录入。" }
                    } @else {
                        table.list {
                            thead { tr { th { "姓名" } th { "类别（000 §18）" } th { "工作单位" } th { "已确认的条件（000 §19）" } th { "情况" } th {} } }
                            tbody {
                                @for e in experts.iter().filter(|e| e.active) {
                                    @let pid = expert_person_id(e);
                                    @let met = ELIGIBILITY.iter().filter(|(k, _)| e.eligibility.get(*k).and_then(|v| v.as_bool()) == Some(true)).count();
                                    @let category = external_category_label(&e.category);
                                    @let approved = s.externals.iter().any(|x| x.person_id == pid);
                                    @let conflict = if applicants.contains(&pid.as_str()) { Some("本案申请人，应当回避") } else if s.is_recused(&pid) { Some("已决定回避") } else { None };
                                    tr class=[expert.filter(|x| x.id == e.id).map(|_| "chosen")] {
                                        td { (e.name) }
                                        td { (category) }
                                        td { (e.affiliation) }
                                        td { (met) " / 7" }
                                        td {
                                            @if approved { span.ok-text { "已获批准参与本案" } }
                                            @else if let Some(c) = conflict { span.bad-text { (c) } }
                                            @else if !e.note.trim().is_empty() { (e.note) }
                                        }
                                        td {
                                            @if !approved && conflict.is_none() {
                                                a href={ "/cases/" (id) "/act/approve_external_participant?expert=" (e.id) } { "选择" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        "record_objection" | "resolve_objection" => match &s.publicity {
            Some(p) => html! {
                section.card {
                    h2 { "公示情况（000 §23）" }
                    dl.grid {
                        dt { "公示地点" } dd { (p.place) }
                        dt { "公示期间" } dd { (date_zh(p.started_on)) " 至 " (date_zh(p.ends_on)) }
                    }
                    @if p.objections.is_empty() {
                        p.empty { "公示期间尚未收到反映。" }
                    } @else {
                        table.list {
                            thead { tr { th { "序号" } th { "记录日期" } th { "反映的内容" } th { "甄别核实" } } }
                            tbody {
                                @for (i, o) in p.objections.iter().enumerate() {
                                    tr {
                                        td { "第" (i + 1) "件" }
                                        td { (date_zh(o.recorded_on)) }
                                        td { (multiline(&o.summary)) }
                                        td {
                                            @match &o.resolution {
                                                None => { span.warn-text { "待核实" } }
                                                Some((true, f)) => { span.bad-text { "属实" } "：" (f) }
                                                Some((false, f)) => { span.ok-text { "不属实" } "：" (f) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            },
            None => html! {},
        },
        "answer_recommendation" => {
            let sent = ctx
                .case
                .stored
                .iter()
                .rev()
                .filter_map(|e| serde_json::from_str::<lvzhi_workflow::Event>(&e.payload).ok())
                .find_map(|e| match e.kind {
                    EventKind::RecommendationSent {
                        proposal, document, ..
                    } => Some((proposal, document)),
                    _ => None,
                });
            match sent {
                Some((proposal, doc)) => html! {
                    section.card {
                        h2 { "维权委的建议：" (proposal.zh()) }
                        article.document {
                            h1 { (doc.title) }
                            // The text of record already opens with the addressee and is
                            // indented as issued.
                            @if !doc.text.trim_start().starts_with(doc.addressee.as_str()) {
                                p.addressee { (doc.addressee) "：" }
                            }
                            div.doc-text { (multiline(&doc.text)) }
                            @if !doc.copy_to.is_empty() { p.copy { "抄送：" (doc.copy_to.join("、")) } }
                        }
                        p.hint { "审查论证意见应当作为公安机关内部责任认定的重要依据；对撤销或者变更原决定的建议，无正当理由的，应当采纳（000 §27）。" }
                    }
                },
                None => html! {},
            }
        }
        "reply_reconsideration" | "reply_re_review" => {
            let kind = if spec.id == "reply_reconsideration" {
                AppealKind::Reconsideration
            } else {
                AppealKind::ReReview
            };
            html! {
                @if let Some(a) = s.last_appeal(kind) {
                    section.card {
                        h2 { (kind.zh()) "申请" }
                        dl.grid {
                            dt { "申请日期" } dd { (date_zh(a.filed_on)) }
                            dt { "事由" } dd { (multiline(&a.grounds)) }
                            @if let Some(n) = &a.new_evidence { dt { "新的证据" } dd { (multiline(n)) } }
                        }
                    }
                }
                @if let Some(d) = &s.determination {
                    section.card { h2 { "现行认定意见" } (determination_block(d)) }
                }
            }
        }
        "revise_determination"
        | "send_recommendation"
        | "start_publicity"
        | "decide_compensation"
        | "make_public_statement"
        | "apply_protections"
        | "record_counselling"
        | "set_rectification" => html! {
            @if let Some(d) = &s.determination {
                section.card { h2 { "现行认定意见" } (determination_block(d)) }
            }
        },
        // The panel redrafting sees why the last draft was sent back (000 §14).
        "draft_opinion" => html! {
            @if let Some((on, by, rejected, reasons)) = s.returns.last() {
                section.card {
                    h2 { @if *rejected { "不予批准的理由" } @else { "退回修改的理由" } }
                    p { (date_zh(*on)) "　" (by.role.zh()) "：" (multiline(reasons)) }
                    @if !*rejected {
                        @if let Some(d) = &s.draft {
                            h3 { "退回的草稿" }
                            (determination_block(d))
                        }
                    }
                }
            }
        },
        "approve_opinion" | "return_opinion" | "issue_opinion" => html! {
            @if let Some(d) = &s.draft {
                section.card { h2 { "审查论证意见草稿" } (determination_block(d))
                    @if let Some(r) = &d.departure_reasons { p { "未采纳系统建议的理由：" (r) } }
                }
            }
        },
        _ => html! {},
    }
}

/// The side column of a step that writes a determination or the recommendation: the recorded
/// recommendation and the live one beside it (000 §14).
pub(crate) fn side(app: &App, s: &CaseState, spec: &ActionSpec) -> Markup {
    let writes = matches!(
        spec.id.as_str(),
        "draft_opinion"
            | "revise_determination"
            | "reply_reconsideration"
            | "reply_re_review"
            | "record_recommendation"
    );
    html! {
        @if writes {
            @if let Some(r) = &s.recommendation {
                section.card {
                    h2 { "已记录的系统建议结论" }
                    p.conclusion { (recommendation_zh(r)) }
                    @if !r.citations.is_empty() { p { "引用：" (r.citations.join("、")) } }
                    p.hint { "认定结论与此不一致的，应当说明不采纳建议的理由（000 §14）。" }
                }
            }
            @if let Some(v) = live_evaluation(app, s) {
                (recommendation_panel(&v))
            }
        }
    }
}
