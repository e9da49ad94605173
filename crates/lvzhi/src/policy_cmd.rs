//! `lvzhi policy …`, `lvzhi evaluate` and `lvzhi interview`: the policy packs (regulations as
//! data) and the explaining evaluation engine (`lvzhi-rules`). All packs in `packs/` are
//! embedded; `policy check PATH` / `policy test PATH` also take a unit's own files.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use clap::Subcommand;
use lvzhi_calendar::{parse_date, NaiveDate};
use lvzhi_rules::{
    parse_pack, CoverageRow, Evaluation, FactType, Input, Level, Pack, PackErrors, PackSet, Use,
    Value,
};
use serde::Serialize;

use crate::error::AppError;
use crate::print_json;

pub(crate) mod embedded {
    include!(concat!(env!("OUT_DIR"), "/packs.rs"));
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// 列出已载入的政策包 / List the loaded policy packs
    List {
        /// 以 JSON 输出 / Print JSON
        #[arg(long)]
        json: bool,
    },
    /// 显示政策包的条文、规则与期间 / Show a pack's articles, rules and periods
    Show {
        /// 政策包标识，如 000 / Pack id, e.g. 000
        #[arg(value_name = "ID")]
        id: String,
    },
    /// 列出政策包的事实及其提问 / List a pack's facts and their questions
    Facts {
        /// 政策包标识，如 000 / Pack id, e.g. 000
        #[arg(value_name = "ID")]
        id: String,
        /// 以 JSON 输出 / Print JSON
        #[arg(long)]
        json: bool,
    },
    /// 解析、校验并交叉核对政策包（可指定文件或目录）/ Parse, validate and cross-check packs
    Check {
        /// 政策包文件或目录（缺省为内置政策包）/ A pack file or directory (default: built-in)
        #[arg(value_name = "PATH")]
        path: Option<PathBuf>,
    },
    /// 运行政策包中的示例案例 / Run every pack's example cases
    Test {
        /// 政策包文件或目录（缺省为内置政策包）/ A pack file or directory (default: built-in)
        #[arg(value_name = "PATH")]
        path: Option<PathBuf>,
    },
    /// 逐条列出条文的实施方式（规则、流程步骤、流程期间、宣示性）与缺口 / Per-article implementation and gaps
    Coverage {
        /// 政策包标识，如 000 / Pack id, e.g. 000
        #[arg(value_name = "ID")]
        id: String,
        /// 以 JSON 输出 / Print JSON
        #[arg(long)]
        json: bool,
    },
    /// 按办案职责划分执法过错责任（如 004 第七至十三条）/ Allocate responsibility among the people on a case
    Allocate {
        /// 政策包标识，如 004 / Pack id, e.g. 004
        #[arg(value_name = "ID")]
        id: String,
        /// 人员文件（JSON）：{"people":[{"name","role","facts":{…}}],"facts":{…}} / People file (JSON)
        #[arg(long, value_name = "FILE")]
        people: PathBuf,
        /// 以 JSON 输出 / Print JSON
        #[arg(long)]
        json: bool,
    },
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PeopleFile {
    people: Vec<PersonIn>,
    #[serde(default)]
    facts: BTreeMap<String, serde_json::Value>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonIn {
    name: String,
    role: String,
    #[serde(default)]
    facts: BTreeMap<String, serde_json::Value>,
}

fn allocate(id: &str, path: &Path, json: bool) -> Result<(), AppError> {
    let set = builtin()?;
    let text = read_text(path)?;
    let file: PeopleFile = serde_json::from_str(&text).map_err(|e| {
        AppError::Policy(format!(
            "人员文件 {} 第{}行第{}列格式有误：应为 {{\"people\":[{{\"name\",\"role\",\"facts\":{{…}}}}],\"facts\":{{…}}}}",
            path.display(),
            e.line(),
            e.column()
        ))
    })?;
    let mut people = Vec::new();
    for p in &file.people {
        let mut facts = Vec::new();
        for (k, v) in &p.facts {
            if let Some(i) = json_input(k, v)? {
                facts.push((k.clone(), i));
            }
        }
        people.push(lvzhi_rules::Person {
            name: p.name.clone(),
            role: p.role.clone(),
            facts,
        });
    }
    let mut given = Vec::new();
    for (k, v) in &file.facts {
        if let Some(i) = json_input(k, v)? {
            given.push((k.clone(), i));
        }
    }
    let case = set
        .typed_facts(id, &given)
        .map_err(|e| AppError::Policy(e.to_string()))?;
    let r = set
        .allocate(id, &people, &case)
        .map_err(|e| AppError::Policy(e.to_string()))?;
    if json {
        return print_json(&r);
    }
    for s in &r.shares {
        println!(
            "{}（{}）：{}（依据：{}；规则 {}）",
            s.person,
            s.role_label,
            s.share_zh,
            s.citations.join("、"),
            s.allocation
        );
        if !s.explain.is_empty() {
            println!("    {}", s.explain);
        }
    }
    for (a, by) in &r.defeated {
        println!("不适用的一般规定：{a}（被 {} 取代）", by.join("、"));
    }
    if !r.determined {
        println!("责任划分尚不能确定，尚需查明：");
        for (i, q) in r.questions.iter().enumerate() {
            let who = if q.person.is_empty() {
                String::new()
            } else {
                format!("{}：", q.person)
            };
            println!("  {}. {who}{}（{}）", i + 1, q.question, q.fact);
        }
    }
    for n in &r.notes {
        println!("说明：{n}");
    }
    Ok(())
}

/// Arguments of `lvzhi evaluate`.
#[derive(Debug, clap::Args)]
pub struct EvaluateArgs {
    /// 政策包标识 / Pack id
    #[arg(long, value_name = "ID")]
    pub pack: String,
    /// 事实文件（JSON）/ Facts file (JSON)
    #[arg(long, value_name = "FILE")]
    pub facts: PathBuf,
    /// 以 JSON 输出 / Print JSON
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `lvzhi interview`.
#[derive(Debug, clap::Args)]
pub struct InterviewArgs {
    /// 政策包标识 / Pack id
    #[arg(long, value_name = "ID")]
    pub pack: String,
    /// 行为发生日期（用于从旧兼从轻）/ Date of the conduct (for 从旧兼从轻)
    #[arg(long, value_parser = date_arg, value_name = "DATE")]
    pub conduct_date: Option<NaiveDate>,
    /// 处理日期 / Date of the decision
    #[arg(long, value_parser = date_arg, value_name = "DATE")]
    pub decision_date: Option<NaiveDate>,
}

fn date_arg(s: &str) -> Result<NaiveDate, String> {
    parse_date(s).ok_or_else(|| format!("日期“{s}”无效：应为存在的公历日期，格式为 YYYY-MM-DD"))
}

fn pack_errors(e: PackErrors) -> AppError {
    AppError::Policy(format!("政策包未能载入（共 {} 处错误）：\n{e}", e.0.len()))
}

/// The built-in packs.
pub(crate) fn builtin() -> Result<PackSet, AppError> {
    PackSet::load(embedded::EMBEDDED.iter().copied()).map_err(pack_errors)
}

fn read_text(path: &Path) -> Result<String, AppError> {
    let bytes = std::fs::read(path).map_err(|source| AppError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|_| AppError::NotUtf8(path.to_path_buf()))
}

/// Pack files under PATH (a file, or every `*.toml` of a directory).
fn external(path: &Path) -> Result<Vec<(String, String)>, AppError> {
    let mut files = Vec::new();
    if path.is_dir() {
        let rd = std::fs::read_dir(path).map_err(|source| AppError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let mut ps: Vec<PathBuf> = rd
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        ps.sort();
        for p in ps {
            files.push((p.display().to_string(), read_text(&p)?));
        }
        if files.is_empty() {
            return Err(AppError::Policy(format!(
                "目录 {} 中没有政策包文件（*.toml）",
                path.display()
            )));
        }
    } else {
        files.push((path.display().to_string(), read_text(path)?));
    }
    Ok(files)
}

/// Loads PATH's packs together with the built-in ones they do not replace (a unit's pack may
/// cite 004-2016 without shipping it). Returns the set and the ids that came from PATH.
fn load_with(path: &Path) -> Result<(PackSet, Vec<String>), AppError> {
    let files = external(path)?;
    let mut errors = Vec::new();
    let mut ids = Vec::new();
    for (name, text) in &files {
        match parse_pack(name, text) {
            Ok(p) => ids.push(p.meta.id.clone()),
            Err(e) => errors.extend(e.0),
        }
    }
    if !errors.is_empty() {
        return Err(pack_errors(PackErrors(errors)));
    }
    let mut all: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    for (name, text) in embedded::EMBEDDED {
        if let Ok(p) = parse_pack(name, text) {
            if !ids.contains(&p.meta.id) {
                all.push((name, text));
            }
        }
    }
    let set = PackSet::load(all).map_err(pack_errors)?;
    Ok((set, ids))
}

fn date_or_dash(d: Option<NaiveDate>) -> String {
    d.map_or("—".to_string(), |d| d.to_string())
}

pub(crate) fn run(cmd: PolicyCommand) -> Result<(), AppError> {
    match cmd {
        PolicyCommand::List { json } => {
            let set = builtin()?;
            #[derive(Serialize)]
            struct Row<'a> {
                id: &'a str,
                title: &'a str,
                document_number: &'a str,
                version: &'a str,
                effective: String,
                until: Option<String>,
                verbatim: bool,
                articles: usize,
                facts: usize,
                rules: usize,
                examples: usize,
            }
            let rows: Vec<Row> = set
                .packs()
                .map(|p| Row {
                    id: &p.meta.id,
                    title: &p.meta.title,
                    document_number: &p.meta.document_number,
                    version: &p.meta.version,
                    effective: p.meta.effective.to_string(),
                    until: p.meta.until.map(|d| d.to_string()),
                    verbatim: p.meta.verbatim,
                    articles: p.articles.len(),
                    facts: p.facts.len(),
                    rules: p.rules.len(),
                    examples: p.examples.len(),
                })
                .collect();
            if json {
                return print_json(&rows);
            }
            for r in rows {
                println!(
                    "{}  {}（{}）  施行：{}  失效：{}  条文 {} 条，事实 {} 个，规则 {} 条，示例 {} 个{}",
                    r.id,
                    r.title,
                    if r.document_number.is_empty() { r.version } else { r.document_number },
                    r.effective,
                    r.until.as_deref().unwrap_or("—"),
                    r.articles,
                    r.facts,
                    r.rules,
                    r.examples,
                    if r.verbatim { "" } else { "（条文为转述，须核对官方文本）" }
                );
            }
            Ok(())
        }
        PolicyCommand::Show { id } => {
            let set = builtin()?;
            let p = set.pack(&id).map_err(|e| AppError::Policy(e.to_string()))?;
            show(p);
            Ok(())
        }
        PolicyCommand::Facts { id, json } => {
            let set = builtin()?;
            let prog = set
                .program(&id)
                .map_err(|e| AppError::Policy(e.to_string()))?;
            #[derive(Serialize)]
            struct F<'a> {
                id: &'a str,
                #[serde(rename = "type")]
                ty: &'a str,
                question: &'a str,
                #[serde(skip_serializing_if = "Option::is_none")]
                choices: Option<&'a [String]>,
            }
            let rows: Vec<F> = prog
                .facts
                .iter()
                .map(|f| F {
                    id: &f.id,
                    ty: f.ty.id(),
                    question: &f.question,
                    choices: (f.ty == FactType::Choice).then_some(f.choices.as_slice()),
                })
                .collect();
            if json {
                return print_json(&rows);
            }
            for (f, def) in rows.iter().zip(&prog.facts) {
                let from = if def.pack == prog.pack {
                    String::new()
                } else {
                    format!("（来自政策包 {}）", def.pack)
                };
                println!("{}  [{}]  {}{from}", f.id, f.ty, f.question);
                if let Some(c) = f.choices {
                    for (i, v) in c.iter().enumerate() {
                        let label = def.labels.get(i).map(String::as_str).unwrap_or("");
                        println!("      {v}  {label}");
                    }
                }
            }
            Ok(())
        }
        PolicyCommand::Check { path } => {
            let (set, only) = match &path {
                Some(p) => load_with(p)?,
                None => {
                    let s = builtin()?;
                    let ids = s.packs().map(|p| p.meta.id.clone()).collect();
                    (s, ids)
                }
            };
            let mut errors = 0;
            let mut warnings = 0;
            for id in &only {
                let p = set.pack(id).map_err(|e| AppError::Policy(e.to_string()))?;
                println!(
                    "{}：已载入政策包 {}（条文 {} 条，事实 {} 个，规则 {} 条，示例 {} 个）",
                    p.file,
                    p.meta.id,
                    p.articles.len(),
                    p.facts.len(),
                    p.rules.len(),
                    p.examples.len()
                );
                for f in set.check(Some(id)) {
                    match f.level {
                        Level::Error => errors += 1,
                        Level::Warning => warnings += 1,
                        Level::Info => {}
                    }
                    println!("  [{}] {}：{}", f.level.zh(), f.kind, f.message);
                }
            }
            println!(
                "检查完毕：{} 个政策包，{errors} 个错误，{warnings} 个警告",
                only.len()
            );
            if errors > 0 {
                return Err(AppError::Policy(format!("政策包检查发现 {errors} 个错误")));
            }
            Ok(())
        }
        PolicyCommand::Test { path } => {
            let (set, only) = match &path {
                Some(p) => load_with(p)?,
                None => {
                    let s = builtin()?;
                    let ids = s.packs().map(|p| p.meta.id.clone()).collect();
                    (s, ids)
                }
            };
            let mut passed = 0;
            let mut failed = 0;
            for id in &only {
                for r in set.run_examples(Some(id)) {
                    if r.passed() {
                        passed += 1;
                    } else {
                        failed += 1;
                        println!("未通过 {} {}：{}", r.pack, r.id, r.failures.join("；"));
                    }
                }
            }
            println!("{passed} passed, {failed} failed");
            if failed > 0 {
                return Err(AppError::Policy(format!("{failed} 个示例未通过")));
            }
            Ok(())
        }
        PolicyCommand::Allocate { id, people, json } => allocate(&id, &people, json),
        PolicyCommand::Coverage { id, json } => {
            let set = builtin()?;
            let rows = set
                .coverage(&id, &lvzhi_processes::in_use())
                .map_err(|e| AppError::Policy(e.to_string()))?;
            if json {
                return print_json(&rows);
            }
            for r in &rows {
                println!("{} {} [{}] {}", id, r.article, r.kind, coverage_line(r));
            }
            println!("{}", coverage_summary(&rows));
            Ok(())
        }
    }
}

/// One article's line of `policy coverage` after its id and kind: how it is implemented — 规则
/// (with their examples), 步骤 and 期间 (each with the processes that use it), 宣示性 — and
/// after `缺口：` what is missing.
fn coverage_line(r: &CoverageRow) -> String {
    let mut parts = Vec::new();
    if !r.rules.is_empty() {
        parts.push(format!("规则 {}", r.rules.join("、")));
    }
    if !r.examples.is_empty() {
        parts.push(format!("示例 {}", r.examples.join("、")));
    }
    let used = |uses: &[Use]| -> Vec<String> {
        uses.iter()
            .filter(|u| !u.processes.is_empty())
            .map(|u| format!("{}（{}）", u.id, u.processes.join("、")))
            .collect()
    };
    let steps = used(&r.procedure_uses);
    if !steps.is_empty() {
        parts.push(format!("步骤 {}", steps.join("、")));
    }
    let periods = used(&r.period_uses);
    if !periods.is_empty() {
        parts.push(format!("期间 {}", periods.join("、")));
    }
    match r.kind {
        "declarative" => parts.push("宣示性规定，无须实施".to_string()),
        "organisational" => parts.push("组织保障规定，无须规则".to_string()),
        _ => {}
    }
    if r.status == "gap" {
        parts.push(format!("缺口：{}", r.missing));
    }
    parts.join("；")
}

/// The closing lines of `policy coverage`: the articles of each implementation kind (an article
/// may count under several), the gaps, and the pack's procedures and periods no process uses.
fn coverage_summary(rows: &[CoverageRow]) -> String {
    let count = |kind: &str| {
        rows.iter()
            .filter(|r| r.implemented.contains(&kind))
            .count()
    };
    let organisational = rows.iter().filter(|r| r.kind == "organisational").count();
    let gaps = rows.iter().filter(|r| r.status == "gap").count();
    let mut out = format!(
        "共 {} 条：规则 {} 条，步骤 {} 条，期间 {} 条，宣示性 {} 条，组织保障 {} 条（一条可兼有数种）；缺口 {gaps} 条",
        rows.len(),
        count("rule"),
        count("step"),
        count("period"),
        count("declarative"),
        organisational,
    );
    let mut procedures: Vec<&str> = rows.iter().flat_map(|r| r.unused_procedures()).collect();
    let mut periods: Vec<&str> = rows.iter().flat_map(|r| r.unused_periods()).collect();
    for v in [&mut procedures, &mut periods] {
        v.sort_unstable();
        v.dedup();
    }
    if !procedures.is_empty() || !periods.is_empty() {
        let list = |v: &[&str]| {
            if v.is_empty() {
                "无".to_string()
            } else {
                v.join("、")
            }
        };
        out.push_str(&format!(
            "\n无流程使用：程序 {}；期间 {}",
            list(&procedures),
            list(&periods)
        ));
    }
    out
}

fn show(p: &Pack) {
    println!("{}（{}）", p.meta.title, p.meta.id);
    println!(
        "发布：{} {}；版本 {}；施行 {}；失效 {}",
        p.meta.issuer,
        p.meta.document_number,
        p.meta.version,
        p.meta.effective,
        date_or_dash(p.meta.until)
    );
    if !p.meta.supersedes.is_empty() {
        println!("取代：{}", p.meta.supersedes.join("、"));
    }
    if !p.meta.verbatim {
        println!("注意：本政策包条文为转述，须与官方文本核对。");
    }
    if !p.meta.note.is_empty() {
        println!("说明：{}", p.meta.note);
    }
    println!();
    for a in &p.articles {
        println!("{} [{}] {}", a.id, a.kind.zh(), a.text);
    }
    println!();
    for r in &p.rules {
        let l: Vec<&str> = r.leniency.iter().map(|l| l.zh()).collect();
        let kind = match r.kind {
            lvzhi_rules::RuleKind::Decision => format!(
                "{}{}{}",
                r.modality.zh(),
                r.outcome.zh(),
                if l.is_empty() {
                    String::new()
                } else {
                    format!("（{}）", l.join("、"))
                }
            ),
            lvzhi_rules::RuleKind::Consequence => "附随后果".to_string(),
        };
        let special = if r.specific {
            format!(
                "（特别规定：情形 {}；该情形下排除 {}）",
                r.situation.as_deref().unwrap_or(""),
                if r.specializes.is_empty() {
                    "—".to_string()
                } else {
                    r.specializes.join("、")
                }
            )
        } else {
            String::new()
        };
        println!(
            "规则 {}（{}）[{}] {}{special}",
            r.id,
            r.articles.join("、"),
            kind,
            r.explain
        );
    }
    for x in &p.situations {
        println!(
            "情形 {}（{}）：{}（事实 {}）",
            x.id,
            x.articles.join("、"),
            x.label,
            x.fact
        );
    }
    for x in &p.periods {
        println!(
            "期间 {}（{}）{}，自{}起算：{}",
            x.id,
            x.articles.join("、"),
            x.period.to_chinese(),
            x.from,
            x.description
        );
    }
    for x in &p.xrefs {
        println!(
            "交叉引用 {}：字面引用 {} {}，本意为 {} {}。{}",
            x.from, x.cites.0, x.cites.1, x.means.0, x.means.1, x.note
        );
    }
}

// ---------------------------------------------------------------------------------------------
// evaluate / interview

#[derive(Serialize)]
struct QuestionOut<'a> {
    fact: &'a str,
    question: &'a str,
}

#[derive(Serialize)]
struct EvaluationOut<'a> {
    outcome: &'a str,
    modality: Option<&'static str>,
    leniency: Vec<&'static str>,
    fired: &'a [String],
    defeated: &'a [lvzhi_rules::Defeat],
    citations: &'a [String],
    questions: Vec<QuestionOut<'a>>,
    notes: Vec<String>,
    /// The mandatory minimum of a discretionary excuse (002 §10): present only then.
    #[serde(skip_serializing_if = "Option::is_none")]
    floor: Option<FloorOut>,
}

#[derive(Serialize)]
struct FloorOut {
    outcome: &'static str,
    modality: &'static str,
    leniency: Vec<&'static str>,
    rules: Vec<String>,
}

fn to_json(e: &Evaluation) -> EvaluationOut<'_> {
    EvaluationOut {
        outcome: &e.outcome,
        modality: e.modality.map(|m| m.id()),
        leniency: e.leniency.iter().map(|l| l.id()).collect(),
        fired: &e.fired,
        defeated: &e.defeated,
        citations: &e.citations,
        questions: e
            .questions
            .iter()
            .map(|q| QuestionOut {
                fact: &q.fact,
                question: &q.question,
            })
            .collect(),
        notes: e.explanations.iter().chain(&e.notes).cloned().collect(),
        floor: e.floor.as_ref().map(|f| FloorOut {
            outcome: f.outcome.id(),
            modality: f.modality.id(),
            leniency: f.leniency.iter().map(|l| l.id()).collect(),
            rules: f.rules.clone(),
        }),
    }
}

fn outcome_zh(e: &Evaluation) -> String {
    match e.key {
        None => "尚不能确定（仍有待查明的事实可能改变结论）".to_string(),
        Some(k) => {
            let o = k.outcome.map_or("不适用免责容错（依照有关规定处理）", |o| {
                o.zh()
            });
            let m = k
                .modality
                .map_or(String::new(), |m| format!("（{}）", m.zh()));
            let l: Vec<&str> = e.leniency.iter().map(|l| l.zh()).collect();
            let l = if l.is_empty() {
                String::new()
            } else {
                format!("；从宽幅度：{}", l.join("、"))
            };
            let floor = e.floor.as_ref().map_or(String::new(), |f| {
                let l: Vec<&str> = f.leniency.iter().map(|l| l.zh()).collect();
                format!(
                    "；不予{}的，仍{}{}{}",
                    o,
                    f.modality.zh(),
                    f.outcome.zh(),
                    if l.is_empty() {
                        String::new()
                    } else {
                        format!("（{}）", l.join("、"))
                    }
                )
            });
            format!("{o}{m}{l}{floor}")
        }
    }
}

fn print_text(e: &Evaluation, applied: &str) {
    println!("结论：{}", outcome_zh(e));
    println!("适用政策包：{applied}");
    if !e.citations.is_empty() {
        println!("依据：{}", e.citations.join("；"));
    }
    if !e.explanations.is_empty() {
        println!(
            "{}",
            if e.key.is_some() {
                "理由："
            } else {
                "已查明的情形："
            }
        );
        for x in &e.explanations {
            println!("  {x}");
        }
    }
    if !e.fired.is_empty() {
        println!("成立的规则：{}", e.fired.join("、"));
    }
    for d in &e.defeated {
        println!(
            "被排除的规则：{}（被 {} 排除：{}）",
            d.rule,
            d.by.join("、"),
            d.reason
        );
    }
    if !e.questions.is_empty() {
        println!("尚需查明：");
        for (i, q) in e.questions.iter().enumerate() {
            println!("  {}. {}（{}）", i + 1, q.question, q.fact);
        }
    }
    for n in &e.notes {
        println!("说明：{n}");
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FactsFile {
    #[serde(default)]
    facts: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    conduct_date: Option<String>,
    #[serde(default)]
    decision_date: Option<String>,
}

fn json_input(k: &str, v: &serde_json::Value) -> Result<Option<Input>, AppError> {
    Ok(Some(match v {
        serde_json::Value::Null => return Ok(None),
        serde_json::Value::Bool(b) => Input::Bool(*b),
        serde_json::Value::Number(n) => Input::Number(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Input::Text(s.clone()),
        other => {
            return Err(AppError::Policy(format!(
                "事实“{k}”的取值 {other} 无效：应为 true/false、数字或字符串（未知的事实请省略或写 null）"
            )))
        }
    }))
}

fn date_field(what: &str, s: &Option<String>) -> Result<Option<NaiveDate>, AppError> {
    match s {
        None => Ok(None),
        Some(s) => parse_date(s).map(Some).ok_or_else(|| {
            AppError::Policy(format!("{what}“{s}”无效：应为 YYYY-MM-DD 格式的日期"))
        }),
    }
}

pub(crate) fn evaluate(args: EvaluateArgs) -> Result<(), AppError> {
    let set = builtin()?;
    set.pack(&args.pack)
        .map_err(|e| AppError::Policy(e.to_string()))?;
    let text = read_text(&args.facts)?;
    let file: FactsFile = serde_json::from_str(&text).map_err(|e| {
        AppError::Policy(format!(
            "事实文件 {} 第{}行第{}列格式有误：应为 {{\"facts\":{{…}},\"conduct_date\":…,\"decision_date\":…}}（{}）",
            args.facts.display(),
            e.line(),
            e.column(),
            match e.classify() {
                serde_json::error::Category::Syntax | serde_json::error::Category::Eof => "JSON 语法错误",
                _ => "字段或取值类型不符",
            }
        ))
    })?;
    let mut given = Vec::new();
    for (k, v) in &file.facts {
        if let Some(i) = json_input(k, v)? {
            given.push((k.clone(), i));
        }
    }
    let facts = set
        .typed_facts(&args.pack, &given)
        .map_err(|e| AppError::Policy(e.to_string()))?;
    let conduct = date_field("行为日期 conduct_date", &file.conduct_date)?;
    let decision = date_field("处理日期 decision_date", &file.decision_date)?;
    let d = set
        .evaluate(&args.pack, &facts, conduct, decision)
        .map_err(|e| AppError::Policy(e.to_string()))?;
    if args.json {
        return print_json(&to_json(&d.evaluation));
    }
    print_text(&d.evaluation, &d.applied);
    Ok(())
}

/// Parses a terminal answer for a fact; `Err` holds the Chinese hint to show.
fn parse_answer(
    ty: FactType,
    choices: &[String],
    labels: &[String],
    s: &str,
) -> Result<Value, String> {
    let t = s.trim();
    match ty {
        FactType::Bool => match t.to_lowercase().as_str() {
            "是" | "y" | "yes" | "true" | "1" | "对" | "有" => Ok(Value::Bool(true)),
            "否" | "n" | "no" | "false" | "0" | "不是" | "没有" | "无" => {
                Ok(Value::Bool(false))
            }
            _ => Err("请回答“是”或“否”（也可输入 y / n）".to_string()),
        },
        FactType::Choice => {
            if let Ok(n) = t.parse::<usize>() {
                if n >= 1 && n <= choices.len() {
                    return Ok(Value::Choice(choices[n - 1].clone()));
                }
            }
            if let Some(i) = choices
                .iter()
                .position(|c| c == t)
                .or_else(|| labels.iter().position(|l| l == t))
            {
                return Ok(Value::Choice(choices[i].clone()));
            }
            Err(format!("请输入选项编号 1–{}", choices.len()))
        }
        FactType::Number => t
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(Value::Number)
            .ok_or_else(|| "请输入数字".to_string()),
        FactType::Date => parse_date(t)
            .map(Value::Date)
            .ok_or_else(|| "请输入 YYYY-MM-DD 格式的日期".to_string()),
    }
}

/// Reads one answer line; `None` at the end of input.
fn read_line(
    lines: &mut impl Iterator<Item = std::io::Result<String>>,
) -> Result<Option<String>, AppError> {
    print!("> ");
    let _ = std::io::stdout().flush();
    match lines.next() {
        None => Ok(None),
        Some(l) => l
            .map(Some)
            .map_err(|e| AppError::Policy(format!("无法读取输入：{e}"))),
    }
}

/// Parses the answer to the situation question: option numbers separated by spaces, commas
/// or 、, or 0 for none of them.
fn parse_situations(line: &str, n: usize) -> Result<Vec<usize>, String> {
    let mut out = Vec::new();
    for part in line
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、'))
        .filter(|p| !p.is_empty())
    {
        match part.parse::<usize>() {
            Ok(0) => {}
            Ok(k) if k <= n => out.push(k - 1),
            _ => {
                return Err(format!(
                    "请输入选项编号 1–{n}（可输入多个，以空格分隔；均不涉及请输入 0）"
                ))
            }
        }
    }
    if out.is_empty() && !line.split_whitespace().any(|p| p == "0") {
        return Err(format!(
            "请输入选项编号 1–{n}（可输入多个，以空格分隔；均不涉及请输入 0）"
        ));
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The situation-first interview (issue 15 item 7): which situations the case is in first,
/// then only the questions that can still change the outcome, most decisive first.
pub(crate) fn interview(args: InterviewArgs) -> Result<(), AppError> {
    let set = builtin()?;
    let title = set
        .pack(&args.pack)
        .map(|p| p.meta.title.clone())
        .map_err(|e| AppError::Policy(e.to_string()))?;
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut facts: Vec<(String, Value)> = Vec::new();
    let mut skipped: Vec<String> = Vec::new();
    let mut situation_skipped = false;
    let has_situations = set
        .program(&args.pack)
        .is_ok_and(|p| !p.situations.is_empty());
    if has_situations {
        println!("依据《{title}》逐项询问：先问本案涉及哪些情形，再只问仍可能改变结论的问题；输入“跳过”可暂不回答。");
    } else {
        println!("依据《{title}》逐项询问。只会询问仍可能改变结论的问题；输入“跳过”可暂不回答。");
    }
    loop {
        let step = set
            .interview(&args.pack, &facts, args.conduct_date, args.decision_date)
            .map_err(|e| AppError::Policy(e.to_string()))?;
        let d = &step.decision;
        if let (Some(sq), false) = (&step.situation, situation_skipped) {
            println!();
            println!("{}", sq.question);
            for (i, o) in sq.options.iter().enumerate() {
                println!("  {}. {}（{}）", i + 1, o.label, o.articles.join("、"));
            }
            loop {
                let Some(line) = read_line(&mut lines)? else {
                    println!();
                    println!("输入已结束，以下为依目前所知事实得出的结果。");
                    print_text(&d.evaluation, &d.applied);
                    return Ok(());
                };
                if matches!(line.trim(), "跳过" | "skip" | "?" | "？" | "不知道") {
                    situation_skipped = true;
                    break;
                }
                match parse_situations(&line, sq.options.len()) {
                    Ok(chosen) => {
                        let ids: Vec<String> =
                            chosen.iter().map(|k| sq.options[*k].id.clone()).collect();
                        let add = set
                            .situation_answer(&args.pack, &facts, &ids)
                            .map_err(|e| AppError::Policy(e.to_string()))?;
                        facts.extend(add);
                        break;
                    }
                    Err(h) => println!("无法识别“{}”：{h}", line.trim()),
                }
            }
            continue;
        }
        // Skipping the situation question leaves its facts to be asked one by one.
        let pool = if step.situation.is_some() {
            &d.evaluation.questions
        } else {
            &step.questions
        };
        let next = pool.iter().find(|q| !skipped.contains(&q.fact)).cloned();
        let Some(q) = next else {
            println!();
            print_text(&d.evaluation, &d.applied);
            return Ok(());
        };
        println!();
        println!("{}", q.question);
        for (i, c) in q.choices.iter().enumerate() {
            let label = q.labels.get(i).map(String::as_str).unwrap_or(c.as_str());
            println!("  {}. {label}", i + 1);
        }
        loop {
            let Some(line) = read_line(&mut lines)? else {
                println!();
                println!("输入已结束，以下为依目前所知事实得出的结果。");
                print_text(&d.evaluation, &d.applied);
                return Ok(());
            };
            if matches!(line.trim(), "跳过" | "skip" | "?" | "？" | "不知道") {
                skipped.push(q.fact.clone());
                break;
            }
            match parse_answer(q.ty, &q.choices, &q.labels, &line) {
                Ok(v) => {
                    facts.push((q.fact.clone(), v));
                    break;
                }
                Err(h) => println!("无法识别“{}”：{h}", line.trim()),
            }
        }
    }
}
