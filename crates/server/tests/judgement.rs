//! Judgement under every rule that applies (issue 20 item 3), through the server: a 阿拉善
//! police application is evaluated under 000, 001 and both texts of 004 — each result shown
//! with its citations as users read them, which prevails and why, where they differ — on the
//! case page (live interview included) and in the API; a request naming no packs keeps 000
//! alone.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use common::world::World;
use serde_json::{json, Value};

const OFFICE: &str = "p-zhaomin";

/// 李娜's application (巴彦浩特派出所; exempted under 000 §7(五) in the demo).
async fn lina_case(w: &World) -> String {
    w.app
        .store()
        .cases_linked("applicant", "p-lina", 10)
        .await
        .expect("links")
        .into_iter()
        .next()
        .expect("her application")
}

fn packs_of(j: &Value) -> Vec<&str> {
    j["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["pack"].as_str().unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn art_000_1_a_demo_application_is_judged_under_000_001_004_2016_each_shown() {
    let w = World::demo(&[OFFICE], OFFICE).await;
    let id = lina_case(&w).await;
    let r = w
        .api(OFFICE)
        .get(&format!("/api/v1/cases/{id}/evaluation"))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    let j = &v["judgement"];
    // Every governing pack recorded when the case was opened, in the order bound.
    assert_eq!(packs_of(j), ["000", "001", "004", "004-2016"], "{j}");
    let r000 = &j["results"][0];
    assert_eq!(r000["outcome"], "exemption", "{r000}");
    assert_eq!(
        r000["title"],
        "《阿拉善盟公安机关民警依法履职免责和容错纠错工作实施细则》"
    );
    assert!(
        r000["articles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["citation"] == "000 §7(五)" && a["readable"] == "第七条第（五）项"),
        "{r000}"
    );
    // 001's and 004-2016's own questions were never asked: their results say so.
    assert_eq!(j["results"][1]["outcome"], "undetermined");
    assert!(!j["results"][1]["questions"].as_array().unwrap().is_empty());
    assert_eq!(j["results"][2]["standing"], "not_applied");
    assert!(
        j["reason"].as_str().unwrap().starts_with("尚不能确定"),
        "{j}"
    );
    assert_eq!(v["outcome"], "undetermined");
    // Another pack's question is recorded under "<pack>:<fact>"; one 000 asks as the same
    // question keeps 000's id (same_as).
    let questions: Vec<&str> = v["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["fact"].as_str().unwrap_or_default())
        .collect();
    assert!(
        questions.contains(&"001:accusation_found_false"),
        "{questions:?}"
    );
    assert!(
        questions.contains(&"004-2016:forged_evidence"),
        "{questions:?}"
    );
    assert!(
        !questions.iter().any(|q| q.ends_with(":timely_rescue")),
        "{questions:?}"
    );

    // The case page: each regulation by its title, the prevailing reason, the questions of the
    // other packs in the interview, ids only in 技术信息.
    let page = w.pages(OFFICE).get(&format!("/cases/{id}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    for part in [
        "各适用规定下的评估",
        "《内蒙古公安机关维护公安民警执法权威工作实施办法》",
        "《公安机关人民警察执法过错责任追究规定（2016年修订）》",
        "第七条第（五）项",
        "其他适用规定尚需查明的事实",
        "name=\"fact.001:accusation_found_false\"",
        "技术信息",
        "行为发生日期未记录",
    ] {
        assert!(page.body.contains(part), "{part}");
    }
}

#[tokio::test]
async fn art_004_2016_19_the_live_interview_answers_another_packs_question_and_the_bar_prevails() {
    let w = World::demo(&[OFFICE], OFFICE).await;
    let id = lina_case(&w).await;
    let page = w.pages(OFFICE);
    // The answers recorded, plus 004-2016 §19(六) answered in the interview.
    let v = w
        .api(OFFICE)
        .get(&format!("/api/v1/cases/{id}/evaluation"))
        .await
        .json();
    assert_eq!(v["judgement"]["results"][0]["outcome"], "exemption");
    let detail = w.detail(OFFICE, &id).await;
    let mut fields: Vec<(String, String)> = Vec::new();
    if let Some(facts) = detail["state"]["form"]["facts"].as_object() {
        for (k, v) in facts {
            let text = match v {
                Value::Bool(b) => b.to_string(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            fields.push((format!("fact.{k}"), text));
        }
    }
    fields.push(("fact.004-2016:forged_evidence".into(), "true".into()));
    let body: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = page
        .post(&format!("/cases/{id}/interview/live"), &body)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    for part in [
        "从重追究",
        "第十九条第（六）项",
        "优先于其他规定的免责、容错结论",
        "结论差异",
    ] {
        assert!(r.body.contains(part), "{part}: {}", r.body);
    }
    // A question of a pack that has no such fact is refused in Chinese, nothing recorded.
    let r = page
        .post(
            &format!("/cases/{id}/interview/live"),
            &[("fact.001:no_such_fact", "true")],
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("no_such_fact"), "{}", r.body);
}

#[tokio::test]
async fn the_evaluator_judges_under_the_packs_named_and_000_alone_otherwise() {
    let w = World::demo(&[OFFICE], OFFICE).await;
    // Nothing in 000 §7 holds as far as answered; 001 §25(八) (beyond professional skill)
    // does, and 001's 从重 and 正名 grounds are ruled out.
    let facts = json!({
        "person_category": "serving_officer", "off_duty": false,
        "intentional_violation": false, "improper_gain": false, "prohibited_act": false,
        "other_exclusion": false, "evidence_lost_recording_violation": false,
        "concealed_or_refused_rectification": false,
        "coercive_measure_lawful": false, "weapon_use_lawful": false,
        "subject_own_cause_on_scene": false, "custody_own_cause": false,
        "previously_tolerated": false, "weapon_harm": false, "custody_casualty": false,
        // None of 001 §21–24's own situations (which would set §25 aside).
        "001:self_harm_on_scene": false, "001:casualty_stopping_obstruction": false,
        "001:casualty_from_weapons": false,
        "001:beyond_professional_skill": true,
        "001:serious_dereliction": false,
        "001:accusation_found_false": false,
    });
    // 000 alone (no packs named): 000 cannot decide yet, and 001's answers are not read.
    let alone = w
        .api(OFFICE)
        .post_json("/api/v1/evaluate", &json!({ "facts": facts }))
        .await;
    assert_eq!(alone.status, 200, "{}", alone.body);
    assert_eq!(alone.json()["outcome"], "undetermined", "{}", alone.body);
    assert!(alone.json().get("judgement").is_none());
    // Under 000 and 001: whatever 000 still gives, 001's 应当免责 is the floor (000 §1).
    let all = w
        .api(OFFICE)
        .post_json(
            "/api/v1/evaluate",
            &json!({ "facts": facts, "rules": ["000", "001"] }),
        )
        .await;
    assert_eq!(all.status, 200, "{}", all.body);
    let v = all.json();
    assert_eq!(packs_of(&v["judgement"]), ["000", "001"]);
    assert_eq!(v["judgement"]["results"][1]["outcome"], "exemption", "{v}");
    assert_eq!(v["outcome"], "exemption", "{v}");
    assert_eq!(v["judgement"]["prevailing"], "001", "{v}");
    assert!(v["articles"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["readable"]
            == "《内蒙古公安机关维护公安民警执法权威工作实施办法》第二十五条第（八）项"));
    let unknown = w
        .api(OFFICE)
        .post_json(
            "/api/v1/evaluate",
            &json!({ "facts": {}, "rules": ["009"] }),
        )
        .await;
    assert_eq!(unknown.status, 400, "{}", unknown.body);
}

/// Issue 22 item 2: what the office types into the 事实问询 is kept as its draft — by the live
/// re-evaluation on every change and by 重新评估 — and shown again when the case is reopened,
/// marked as not yet recorded; the record is untouched until 保存事实并记录建议, which clears the
/// draft; another person never sees it; 放弃草稿 drops it; a GET of the form's address leads
/// back to the case page instead of a bare 405.
#[tokio::test]
async fn issue22_interview_answers_are_kept_as_a_draft_until_recorded() {
    let w = World::demo(&[OFFICE, "p-lizhenhua"], OFFICE).await;
    let list = w
        .api(OFFICE)
        .get("/api/v1/cases?state=under_review")
        .await
        .json();
    let mut id = None;
    for c in list["cases"].as_array().expect("cases") {
        let cid = c["case_id"].as_str().unwrap_or_default().to_string();
        let d = w.detail(OFFICE, &cid).await;
        let offered = d["available_actions"]
            .as_array()
            .is_some_and(|a| a.iter().any(|a| a["id"] == "update_facts"));
        if offered {
            id = Some(cid);
            break;
        }
    }
    let id = id.expect("an application under review whose facts the office records");
    let page = w.pages(OFFICE);
    let head = w.app.store().head().await.unwrap();
    let version = w.detail(OFFICE, &id).await["version"].clone();
    let recorded_off_duty =
        w.detail(OFFICE, &id).await["state"]["form"]["facts"]["off_duty"].clone();
    // A change in the browser: the live evaluation keeps it and says so.
    let r = page
        .post(
            &format!("/cases/{id}/interview/live"),
            &[("fact.off_duty", "true")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("x-lvzhi-draft"), "saved");
    // Reopened: the draft answer is shown, marked as such; nothing was recorded.
    let shown = page.get(&format!("/cases/{id}")).await;
    assert_eq!(shown.status, 200);
    assert!(
        shown.body.contains("暂存的草稿回答，尚未记入案件"),
        "{}",
        shown.body
    );
    assert_eq!(answer_shown(&shown.body, "off_duty"), "true");
    assert!(shown.body.contains("放弃草稿"));
    // Issue 22 item 5: outside the collapsed 技术信息, the page cites no article by its code.
    let visible = outside_technical(&shown.body);
    let codes: Vec<String> = visible
        .match_indices('§')
        .map(|(i, _)| {
            let before: String = visible[..i]
                .chars()
                .rev()
                .take(12)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let after: String = visible[i..].chars().take(8).collect();
            before + &after
        })
        .collect();
    assert!(codes.is_empty(), "codes on the page: {codes:?}");
    assert!(
        visible.contains("（第十四条）"),
        "the steps cite their articles in words"
    );
    assert_eq!(
        w.app.store().head().await.unwrap(),
        head,
        "a draft is not a record"
    );
    assert_eq!(w.detail(OFFICE, &id).await["version"], version);
    assert_eq!(
        w.detail(OFFICE, &id).await["state"]["form"]["facts"]["off_duty"],
        recorded_off_duty
    );
    // Another member of the committee sees the record, not the office's draft.
    let other = w.pages("p-lizhenhua").get(&format!("/cases/{id}")).await;
    assert_eq!(other.status, 200);
    assert!(!other.body.contains("暂存的草稿回答"));
    assert_ne!(answer_shown(&other.body, "off_duty"), "true");
    // 重新评估 (without script) keeps the answers too.
    let r = page
        .post(
            &format!("/cases/{id}/interview"),
            &[
                ("op", "evaluate"),
                ("fact.off_duty", "false"),
                ("fact.improper_gain", "false"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let shown = page.get(&format!("/cases/{id}")).await;
    assert!(shown.body.contains("暂存的草稿回答"));
    // 放弃草稿: back to the record.
    let r = page
        .post(&format!("/cases/{id}/interview"), &[("op", "discard")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let shown = page.get(&r.location()).await;
    assert!(shown.body.contains("草稿已放弃"), "{}", shown.body);
    assert!(!shown.body.contains("暂存的草稿回答"));
    // Kept again, then recorded: the draft is gone and the answer is the record.
    page.post(
        &format!("/cases/{id}/interview/live"),
        &[("fact.off_duty", "true")],
    )
    .await;
    let v = version.as_i64().unwrap().to_string();
    let r = page
        .post(
            &format!("/cases/{id}/interview"),
            &[
                ("op", "save"),
                ("expected_version", &v),
                ("fact.off_duty", "true"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        w.detail(OFFICE, &id).await["state"]["form"]["facts"]["off_duty"],
        true
    );
    let shown = page.get(&format!("/cases/{id}")).await;
    assert!(!shown.body.contains("暂存的草稿回答"));
    // The form's address, opened directly, leads to the case page.
    let r = page.get(&format!("/cases/{id}/interview")).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), format!("/cases/{id}#interview"));
}

/// The answer a case page's interview shows selected for `fact` ("" for 尚不清楚).
fn answer_shown(page: &str, fact: &str) -> String {
    let start = page
        .find(&format!("name=\"fact.{fact}\""))
        .unwrap_or_else(|| panic!("no field for {fact}"));
    let select = &page[start..];
    let select = &select[..select.find("</select>").unwrap_or(select.len())];
    select
        .split("<option ")
        .find(|o| o.contains(" selected"))
        .and_then(|o| o.split('"').nth(1))
        .unwrap_or_default()
        .to_string()
}

/// A page without its collapsed 技术信息 blocks (what a reader sees without opening them).
fn outside_technical(page: &str) -> String {
    let mut out = String::new();
    let mut rest = page;
    while let Some(start) = rest.find("<details class=\"tech") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("</details>")
            .map_or("", |end| &rest[start + end + "</details>".len()..]);
    }
    out.push_str(rest);
    out
}

/// Issue 22 item 1: over every demo application the office sees, every fact its evaluation can
/// ask — every fact of 000's program, its own and those 000 §7(五) and §8 read from the 2016
/// fault rules, and each question still open under the other governing regulations — has a
/// field in the case page's 事实问询, so the recommendation can conclude on the page.
#[tokio::test]
async fn issue22_every_fact_the_evaluation_asks_has_a_field_on_the_case_page() {
    let w = World::demo(&[OFFICE], OFFICE).await;
    let list = w
        .api(OFFICE)
        .get("/api/v1/cases?kind=application&per_page=100")
        .await;
    assert_eq!(list.status, 200, "{}", list.body);
    let ids: Vec<String> = list.json()["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| c["case_id"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(ids.len() >= 10, "{ids:?}");
    let packs = w.app.packs();
    let program = packs.program("000").expect("000 is loaded");
    // The facts 000's rules read from another regulation are among them (the test's premise).
    assert!(
        program.facts.iter().any(|f| f.pack != "000"),
        "000 reads no other regulation's facts"
    );
    let (mut asked, mut missing) = (0, Vec::new());
    for id in &ids {
        let ev = w
            .api(OFFICE)
            .get(&format!("/api/v1/cases/{id}/evaluation"))
            .await;
        assert_eq!(ev.status, 200, "{id}: {}", ev.body);
        let page = w.pages(OFFICE).get(&format!("/cases/{id}")).await;
        assert_eq!(page.status, 200, "{id}");
        let open = ev.json()["questions"]
            .as_array()
            .expect("questions")
            .iter()
            .map(|q| q["fact"].as_str().unwrap_or_default().to_string())
            .collect::<Vec<_>>();
        for fact in program.facts.iter().map(|f| f.id.clone()).chain(open) {
            asked += 1;
            if !page.body.contains(&format!("name=\"fact.{fact}\"")) {
                missing.push(format!("{id}: {fact}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} of {asked} facts have no field: {missing:#?}",
        missing.len()
    );
}

/// The text a reader sees: the page without its collapsed 技术信息 and without markup.
fn visible_text(page: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in outside_technical(page).chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// What in a visible text is an internal code: an article cited by code (§), a person id
/// (p-…), a rule, fact or stage id (snake_case), an SM3 digest (64 hexadecimal digits).
fn internal_codes(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    if let Some(i) = text.find('§') {
        let around: String = text[..i]
            .chars()
            .rev()
            .take(16)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        found.push(format!("§ after “{around}”"));
    }
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    for token in text.split(|c: char| !word(c)).filter(|t| !t.is_empty()) {
        let digest = token.len() == 64 && token.chars().all(|c| c.is_ascii_hexdigit());
        let person = token.starts_with("p-") && token.len() > 2;
        let snake = token.contains('_') && token.chars().any(|c| c.is_ascii_lowercase());
        if digest || person || snake {
            found.push(token.to_string());
        }
    }
    found
}

/// Issue 22 item 5 (must show): no page a non-administrator sees — 我的待办, the case list, every
/// case page they may open, the 维权台账 and 新建 — shows a person id, a rule, fact or stage id,
/// an event digest or an article by its code outside the collapsed 技术信息. (A notice's own
/// page shows its seal's digest on purpose: it is where a printed copy is checked.)
#[tokio::test]
async fn issue22_no_page_shows_ids_codes_or_digests_outside_the_technical_details() {
    let people = [
        "p-zhaomin",
        "p-lizhenhua",
        "p-bateer",
        "p-guoming",
        "p-xam-zhangli",
        "p-fz-linfang",
    ];
    let w = World::demo(&people, OFFICE).await;
    let mut found = Vec::new();
    let mut seen = 0;
    for who in people {
        let client = w.pages(who);
        let mut paths: Vec<String> = vec![
            "/".into(),
            "/incidents/ledger".into(),
            "/new".into(),
            "/cases/new".into(),
        ];
        for n in 1..=3 {
            let list = client.get(&format!("/cases?page={n}")).await;
            paths.push(format!("/cases?page={n}"));
            for part in list.body.split("href=\"/cases/").skip(1) {
                let id: String = part.chars().take_while(|c| *c != '"').collect();
                if id.len() == 12 && !paths.contains(&format!("/cases/{id}")) {
                    paths.push(format!("/cases/{id}"));
                }
            }
        }
        for path in paths {
            let r = client.get(&path).await;
            if r.status != 200 {
                continue;
            }
            seen += 1;
            for code in internal_codes(&visible_text(&r.body)) {
                found.push(format!("{who} {path}: {code}"));
            }
        }
    }
    assert!(seen > 60, "only {seen} pages read");
    assert!(found.is_empty(), "internal codes on the pages: {found:#?}");
}
