//! The commands of every process in the OpenAPI document, generated from the registry: each
//! registered process gets a component `Commands_<kind>`, a `oneOf` of one object per action —
//! its `action` tag, and its form's fields (`lvzhi_case::Field`) as the command's keys with
//! their types, options and the issue-19 limits (`lvzhi_service::limits`). Nothing is listed by
//! hand: the actions are those the process's command type declares (`CaseType::action_ids`),
//! and their forms are the ones the process itself offers along the way of a case, found by
//! taking each offered step in turn from a new case — the same `ActionSpec`s the pages draw and
//! the detail's `available_actions` carry; a step that can be repeated is taken a few times
//! only, so the walk reaches the end of each procedure. An action no case reached is documented
//! with the form its process gives on a new case (`Process::form`), or else by its tag alone —
//! none is, as the test `every_process_and_action_is_documented` checks.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Days, NaiveDate};
use lvzhi_processes::registry::{AnyCase, CaseType, PROCESSES};
use lvzhi_processes::{ActionSpec, Actor, Field, FieldKind, Org, Role};
use lvzhi_service::limits;
use serde_json::{json, Map, Value};

use crate::app::App;

/// The component name of a process's commands.
pub(super) fn component(kind: &str) -> String {
    format!("Commands_{kind}")
}

/// The limit of a text field by its key, as the service checks it (issue 19).
fn max_chars(key: &str) -> usize {
    if let Some((_, n, _)) = limits::NAMED.iter().find(|(k, _, _)| *k == key) {
        return *n;
    }
    if key == "id" || key.ends_with("_id") {
        return limits::ID_CHARS;
    }
    limits::TEXT_CHARS
}

fn options_text(options: &[(String, String)]) -> String {
    options
        .iter()
        .filter(|(id, _)| !id.is_empty())
        .map(|(id, label)| format!("{id}（{label}）"))
        .collect::<Vec<_>>()
        .join("、")
}

fn described(label: &str, help: &str, more: &str) -> String {
    let mut out = label.to_string();
    for part in [help, more] {
        if !part.is_empty() {
            out.push('。');
            out.push_str(part);
        }
    }
    out
}

/// The JSON schema of one field's value.
fn field_schema(f: &Field) -> Value {
    let key = f.name.as_str();
    let text = |more: &str| json!({ "type": "string", "maxLength": max_chars(key), "description": described(&f.label, &f.help, more) });
    let list = |items: Value, more: &str| {
        json!({ "type": "array", "items": items, "maxItems": limits::LIST_ITEMS,
                "description": described(&f.label, &f.help, more) })
    };
    match &f.kind {
        FieldKind::Text | FieldKind::LongText => text(""),
        FieldKind::Date => {
            json!({ "type": "string", "format": "date", "description": described(&f.label, &f.help, "YYYY-MM-DD") })
        }
        FieldKind::Bool => {
            json!({ "type": "boolean", "description": described(&f.label, &f.help, "") })
        }
        FieldKind::Integer => {
            json!({ "type": "integer", "description": described(&f.label, &f.help, "") })
        }
        FieldKind::Amount => {
            json!({ "type": "integer", "minimum": 0, "description": described(&f.label, &f.help, "不小于 0 的整数") })
        }
        FieldKind::Choice { options } => {
            let ids: Vec<&str> = options
                .iter()
                .map(|(id, _)| id.as_str())
                .filter(|id| !id.is_empty())
                .collect();
            let none = options
                .iter()
                .find(|(id, _)| id.is_empty())
                .map(|(_, l)| format!("；不填即为{l}"))
                .unwrap_or_default();
            json!({ "type": "string", "enum": ids,
                    "description": described(&f.label, &f.help, &format!("可选：{}{none}", options_text(options))) })
        }
        FieldKind::MultiChoice { options } => {
            let ids: Vec<&str> = options.iter().map(|(id, _)| id.as_str()).collect();
            list(
                json!({ "type": "string", "enum": ids }),
                &format!("可多选：{}", options_text(options)),
            )
        }
        FieldKind::Lines => list(
            json!({ "type": "string", "maxLength": limits::TEXT_CHARS }),
            "每项一条",
        ),
        FieldKind::List => list(
            json!({ "type": "string", "maxLength": limits::NAME_CHARS }),
            "每项一条，如条款 000 §7(一)",
        ),
        FieldKind::Person => text("名录中的人员编号"),
        FieldKind::Org => text("名录中的机构编号"),
        FieldKind::Expert => text("专家库人员的人员编号"),
        FieldKind::NameOf { of } => text(&format!("以名录为准，按 {of} 填写，可不提交")),
        FieldKind::YesNo { yes, no } => json!({ "type": "boolean",
            "description": described(&f.label, &f.help, &format!("true：{yes}；false：{no}")) }),
        FieldKind::Index { .. } => json!({ "type": "integer", "minimum": 0,
            "description": described(&f.label, &f.help, "案件中该项记录的序号，从 0 起") }),
        FieldKind::Facts => json!({ "type": "object", "additionalProperties": true,
            "maxProperties": limits::MAP_ENTRIES,
            "description": described(&f.label, &f.help, "事实代码及其取值，见 GET /api/v1/policy/facts") }),
        FieldKind::Evidence => json!({
            "type": "object",
            "description": described(&f.label, &f.help, "文件须随 POST /api/v1/cases/{id}/evidence 上传；本人 24 小时内向本案上传过的文件才能登记"),
            "properties": {
                "sm3": { "type": "string", "maxLength": limits::ID_CHARS, "description": "文件的 SM3 摘要（64 位十六进制）" },
                "file_name": { "type": "string", "maxLength": limits::NAME_CHARS, "description": "文件名" },
                "description": { "type": "string", "maxLength": limits::TEXT_CHARS, "description": "说明" },
            },
            "required": ["sm3", "file_name"],
            "additionalProperties": false,
        }),
        FieldKind::Object { fields } => {
            let mut o = object_schema(fields);
            o["description"] = Value::String(described(&f.label, &f.help, ""));
            o
        }
        FieldKind::Rows { fields, max } => {
            let mut s = list(object_schema(fields), "");
            s["maxItems"] = json!((*max).min(limits::LIST_ITEMS));
            s
        }
    }
}

/// An object of fields: their schemas, and which must be sent.
fn object_schema(fields: &[Field]) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    for f in fields {
        props.insert(f.name.clone(), field_schema(f));
        let server_filled = matches!(f.kind, FieldKind::NameOf { .. });
        if (f.required || f.always_sent) && !server_filled {
            required.push(Value::String(f.name.clone()));
        }
    }
    json!({ "type": "object", "properties": props, "required": required, "additionalProperties": false })
}

/// The schema of one action's command.
fn action_schema(p: &dyn CaseType, id: &str, spec: Option<&ActionSpec>) -> Value {
    // A step the walk did not reach is documented with its form on a new case, where the
    // process gives one; only its choices that depend on the case may differ.
    let form = spec.is_none().then(|| p.form(id)).flatten();
    let mut s = match (spec, &form) {
        (Some(spec), _) => object_schema(&spec.fields),
        (None, Some(fields)) => object_schema(fields),
        (None, None) => {
            json!({ "type": "object", "properties": {}, "required": [], "additionalProperties": true })
        }
    };
    s["properties"]["action"] = json!({ "type": "string", "const": id, "description": "操作代码" });
    if let Some(r) = s["required"].as_array_mut() {
        r.insert(0, Value::String("action".to_string()));
    }
    let title = spec
        .map(|s| s.label.clone())
        .unwrap_or_else(|| id.to_string());
    let mut description = match spec {
        Some(spec) if !spec.article.is_empty() => format!("{}（{}）", spec.label, spec.article),
        Some(spec) => spec.label.clone(),
        None if form.is_some() => format!("{}的办理事项“{id}”：可选项随案件状态而定，以案件详情 available_actions 中该事项的 fields 为准", p.name_zh()),
        None => format!("{}的办理事项“{id}”：字段随案件状态而定，见案件详情 available_actions 中该事项的 fields", p.name_zh()),
    };
    let intro = p.intro(id);
    if !intro.is_empty() {
        description.push('。');
        description.push_str(intro.trim_end_matches('。'));
    }
    s["title"] = Value::String(title);
    s["description"] = Value::String(description);
    s
}

/// Every action of `process` with the form it is offered with, found by walking cases of it
/// from a new one: at each case every role is asked what it may do, each offered step is taken
/// with a command filled from its own form (and the days let pass for what is due), until no
/// new case turns up or the walk has seen enough.
/// The walk goes once under each regulation whose procedure the process carries out, its own
/// pack first: a step one regulation alone provides (003 §15's 提请公安机关依法惩处) is found
/// under it.
pub(super) fn catalogue(process: &'static dyn CaseType, app: &App) -> BTreeMap<String, ActionSpec> {
    let mut found = BTreeMap::new();
    let packs = std::iter::once(process.pack()).chain(
        process
            .regulations()
            .iter()
            .copied()
            .filter(|r| *r != process.pack()),
    );
    for pack in packs {
        for (id, spec) in walk(process, app, pack) {
            found.entry(id).or_insert(spec);
        }
    }
    found
}

/// The actions of `process` found walking its cases under the regulation of `pack`.
fn walk(process: &'static dyn CaseType, app: &App, pack: &str) -> BTreeMap<String, ActionSpec> {
    let service = app.service();
    let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or(NaiveDate::MIN);
    let mut base = service.view_ctx_under(process, pack, today);
    let orgs = ["o-unit", "o-bureau", "o-league", "o-region"];
    base.org_chain = orgs
        .iter()
        .map(|id| Org {
            id: id.to_string(),
            name: format!("{id} 机关"),
        })
        .collect();
    let mut actors = Vec::new();
    for org in orgs {
        for r in Role::ON_CASES {
            actors.push(Actor::new(&format!("p-{}", r.id()), &[r], org));
        }
    }
    for a in &actors {
        base.names
            .insert(a.person_id.clone(), format!("{} 某", a.person_id));
    }
    for org in orgs {
        base.names.insert(org.to_string(), format!("{org} 机关"));
    }
    let mut found: BTreeMap<String, ActionSpec> = BTreeMap::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    // Each case with the steps taken on the way to it: a step is taken a few times on a way
    // (a step done once per aspect, as 001 §28's re-examination, needs several; the
    // repeatable ones — evidence, hearings, visits — would lead down an endless line of
    // cases).
    const ON_A_WAY: usize = 4;
    // Cases reached by a step never taken before, or at a stage never reached before, are
    // walked first: the walk is after
    // every step, not every case, and the orders of the optional steps are many.
    type Way = BTreeMap<String, usize>;
    let mut fresh: Vec<(Box<dyn AnyCase>, Way)> = vec![(process.new_case(), Way::new())];
    let mut rest: Vec<(Box<dyn AnyCase>, Way)> = Vec::new();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut stages: BTreeSet<String> = BTreeSet::new();
    let mut steps = 0usize;
    while let Some((case, way)) = fresh.pop().or_else(|| rest.pop()) {
        steps += 1;
        if steps > 400 {
            break;
        }
        for later in [0u64, 10, 40, 400] {
            let mut ctx = base.clone();
            ctx.today = today.checked_add_days(Days::new(later)).unwrap_or(today);
            let mut here = case.clone();
            if later > 0 && here.fire_due(&ctx).is_empty() {
                continue;
            }
            let key = format!("{}|{}", here.summary().stage, here.state_json());
            if !seen.insert(key) {
                continue;
            }
            let case_org = here.summary().org_id;
            for actor in &actors {
                // The chain starts at the case's organisation, or for a new case at the one
                // opening it, as the service gives it.
                let mut ctx = ctx.clone();
                let org = if case_org.is_empty() {
                    &actor.org_id
                } else {
                    &case_org
                };
                if let Some(at) = ctx.org_chain.iter().position(|o| &o.id == org) {
                    ctx.org_chain.drain(..at);
                }
                for spec in here.actions(actor, &ctx) {
                    found.entry(spec.id.clone()).or_insert_with(|| spec.clone());
                    if way.get(&spec.id).copied().unwrap_or(0) >= ON_A_WAY {
                        continue;
                    }
                    // The first time a step is taken, every variant of its form the process
                    // accepts is followed (a later step may hang on a choice: 002 §18's
                    // feedback after a real-name complaint found untrue).
                    let every = !taken.contains(&spec.id);
                    // After that, the first the process accepts, starting at a different
                    // variant each time (a step done once per aspect gets each aspect).
                    let mut variants = samples(&spec, actor);
                    let turn = way.get(&spec.id).copied().unwrap_or(0);
                    if !variants.is_empty() {
                        let n = variants.len();
                        variants.rotate_left(turn % n);
                    }
                    for command in variants {
                        // What the server adds to a step (the 执法过错 assessment).
                        let Ok(command) =
                            crate::cases::engine_results(app, here.as_ref(), &spec.id, command)
                        else {
                            continue;
                        };
                        let mut next = here.clone();
                        if next.execute(&command, actor, &ctx).is_err() {
                            continue;
                        }
                        let mut on = way.clone();
                        *on.entry(spec.id.clone()).or_insert(0) += 1;
                        let new_stage = stages.insert(next.summary().stage);
                        let stack = if taken.insert(spec.id.clone()) || every || new_stage {
                            &mut fresh
                        } else {
                            &mut rest
                        };
                        // And as the service leaves it, after what follows a step of itself
                        // (001 §17's reports upward).
                        let mut followed = next.clone();
                        if matches!(followed.follow_up(&ctx), Ok(Some(e)) if !e.is_empty()) {
                            stack.push((followed, on.clone()));
                        }
                        stack.push((next, on));
                        if !every {
                            break;
                        }
                    }
                }
            }
        }
    }
    found
}

/// Commands filled from a form: with every field, and with the required ones only; choices
/// and yes/no answers tried each way.
fn samples(spec: &ActionSpec, actor: &Actor) -> Vec<Value> {
    let mut out = Vec::new();
    // Each choice's every option in some sample (a later step may hang on one).
    let picks = widest_choice(&spec.fields).max(3);
    for all in [true, false] {
        for pick in 0..picks {
            let mut o = Map::new();
            o.insert("action".to_string(), Value::String(spec.id.clone()));
            for f in &spec.fields {
                if all || f.required || f.always_sent {
                    o.insert(f.name.clone(), sample(f, actor, pick, all));
                }
            }
            let v = Value::Object(o);
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

/// The most options any choice among `fields` offers.
fn widest_choice(fields: &[Field]) -> usize {
    fields
        .iter()
        .map(|f| match &f.kind {
            FieldKind::Choice { options } => options.len(),
            FieldKind::Object { fields } | FieldKind::Rows { fields, .. } => widest_choice(fields),
            _ => 0,
        })
        .max()
        .unwrap_or(0)
}

fn sample(f: &Field, actor: &Actor, pick: usize, all: bool) -> Value {
    let choose = |n: usize| if n == 0 { 0 } else { pick % n };
    match &f.kind {
        FieldKind::Text | FieldKind::LongText | FieldKind::NameOf { .. } => json!("经审查核实"),
        // A time limit lies ahead; anything else happened by today.
        FieldKind::Date if f.name.contains("due") || f.name.contains("deadline") => {
            json!(format!("2026-0{}-01", 4 + pick % 3))
        }
        FieldKind::Date => json!("2026-03-02"),
        // Both ways, out of step with the two-way choices (pick 3 pairs yes with the second).
        FieldKind::Bool => json!(pick % 3 != 1),
        FieldKind::Integer | FieldKind::Amount => json!(1000),
        FieldKind::Choice { options } => {
            let ids: Vec<&String> = options
                .iter()
                .map(|(id, _)| id)
                .filter(|id| !id.is_empty())
                .collect();
            ids.get(choose(ids.len()))
                .map(|id| json!(id))
                .unwrap_or(Value::Null)
        }
        FieldKind::MultiChoice { options } => {
            json!(options
                .iter()
                .take(1)
                .map(|(id, _)| id.clone())
                .collect::<Vec<_>>())
        }
        FieldKind::Lines | FieldKind::List => json!(["000 §7(一)"]),
        // Someone other than the actor: a process may refuse a case about oneself.
        FieldKind::Person if actor.person_id == "p-officer" => json!("p-unit"),
        FieldKind::Person => json!("p-officer"),
        FieldKind::Org => json!(actor.org_id),
        FieldKind::Expert => json!("p-external_expert"),
        FieldKind::YesNo { .. } => json!(pick != 1),
        FieldKind::Index { options } => json!(options.first().map(|(i, _)| *i).unwrap_or(0)),
        FieldKind::Facts => json!({}),
        FieldKind::Evidence => {
            json!({ "sm3": "0".repeat(64), "file_name": "证据.pdf", "description": "" })
        }
        FieldKind::Object { fields } => {
            let mut o = Map::new();
            for sub in fields {
                if all || sub.required || sub.always_sent {
                    o.insert(sub.name.clone(), sample(sub, actor, pick, all));
                }
            }
            Value::Object(o)
        }
        FieldKind::Rows { fields, .. } => {
            let mut o = Map::new();
            for sub in fields {
                o.insert(sub.name.clone(), sample(sub, actor, pick, all));
            }
            json!([o])
        }
    }
}

/// Every process's commands as components (`Commands_<kind>`), and the schemas of the API's
/// `command` fields: any case action, any opening action.
pub(super) fn components(app: &App) -> (Map<String, Value>, Value, Value) {
    let mut components = Map::new();
    let mut acting = Vec::new();
    let mut opening = Vec::new();
    for p in PROCESSES.iter().copied() {
        let specs = catalogue(p, app);
        let mut one_of = Vec::new();
        let mut opens = Vec::new();
        for id in p.action_ids() {
            let schema = action_schema(p, id, specs.get(id));
            if app.access().is_case_action(id) {
                one_of.push(schema);
            } else {
                opens.push(schema);
            }
        }
        let name = component(p.kind());
        let all: Vec<Value> = opens.iter().chain(one_of.iter()).cloned().collect();
        components.insert(
            name.clone(),
            json!({
                "title": p.name_zh(),
                "description": format!("{}的命令（kind 为 {}）：action 为操作代码，其余字段按操作而定。", p.name_zh(), p.kind()),
                "oneOf": all,
            }),
        );
        acting.push(json!({ "$ref": format!("#/components/schemas/{name}") }));
        opening.push(json!({ "title": p.name_zh(), "oneOf": opens }));
    }
    let limits_note = format!(
        "长度限制（页面与接口相同，超出的请求被拒绝、不作记录）：文字字段一般不超过 {} 个字符，编号（id 及以 _id 结尾的字段）不超过 {} 个字符，任何列表不超过 {} 项，任何对象不超过 {} 项，嵌套不超过 {} 层。",
        limits::TEXT_CHARS,
        limits::ID_CHARS,
        limits::LIST_ITEMS,
        limits::MAP_ENTRIES,
        limits::DEPTH
    );
    let act = json!({
        "description": format!("办理命令：本案类型的一个办理操作（见各 Commands_* 组件）。{limits_note}"),
        "oneOf": acting,
    });
    let open = json!({
        "description": format!("立案命令：kind 所指类型的一个立案操作。{limits_note}"),
        "oneOf": opening,
    });
    (components, act, open)
}
