//! The whole 000 procedure through the service and real storage, on SQLite and PostgreSQL, with
//! every command in the JSON shape the CLI and the API accept: filed → accepted → panel →
//! opinion approved by the 副主任 and issued → 复议 → reply → 复核 at the parent committee →
//! reply → publicity (≥ 5 days, 000 §23) → recommendation to revoke → adopted (000 §26–27).

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use std::collections::BTreeMap;

use chrono::{NaiveDate, TimeZone, Utc};
use lvzhi_calendar::{Calendar, Period};
use lvzhi_service::Service;
use lvzhi_store::Store;
use lvzhi_workflow::{Actor, Command};

fn periods() -> lvzhi_service::PackPeriods {
    let map: BTreeMap<String, Period> = [
        ("acceptance", "7wd"),
        ("opinion", "30wd"),
        ("extension_1", "15wd"),
        ("extension_2", "15wd"),
        ("reconsideration_apply", "10wd"),
        ("reconsideration_reply", "15wd"),
        ("re_review_apply", "10wd"),
        ("re_review_reply", "30wd"),
        ("publicity", "5d"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.parse().unwrap()))
    .collect();
    Service::periods_from(&map).unwrap()
}

async fn urls(dir: &tempfile::TempDir) -> Vec<String> {
    common::database_urls(dir, "full.db", 300).await
}

fn actor(id: &str, roles: &str, org: &str) -> Actor {
    serde_json::from_str(&format!(
        r#"{{"person_id":"{id}","roles":{roles},"org_id":"{org}"}}"#
    ))
    .unwrap()
}

fn cmd(json: &str) -> Command {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

const DETERMINATION: &str = r#"{"outcome":"exemption","modality":"shall","basis":"民警依法制止违法犯罪行为，所采取的措施未超出必要限度，事后及时送医救治","articles":["000 §7(一)"],"original_decision_improper":true}"#;

#[tokio::test]
async fn art_000_s13_to_s27_the_whole_procedure_on_both_backends() {
    let dir = tempfile::tempdir().unwrap();
    let officer = actor("p-zhang", r#"["officer"]"#, "org-bayan");
    let office = actor("o-wang", r#"["office"]"#, "org-zuoqi");
    let panel = actor("pm-hu", r#"["panel_member"]"#, "org-zuoqi");
    let deputy = actor(
        "dd-chen",
        r#"["deputy_director","committee_member"]"#,
        "org-zuoqi",
    );
    let director = actor("d-liu", r#"["director","committee_member"]"#, "org-zuoqi");
    let parent = actor("pc-sun", r#"["higher_committee"]"#, "org-meng");
    let department = actor("dept-zhou", r#"["original_department"]"#, "org-ducha");
    let panel_json = r#"{"action":"form_panel","members":[{"person_id":"pm-hu","name":"胡明","category":"legal"},{"person_id":"pm-ma","name":"马丽","category":"discipline"}]}"#;
    let draft = format!(r#"{{"action":"draft_opinion","determination":{DETERMINATION}}}"#);
    let steps: Vec<(&Actor, &str, String)> = vec![
        (&office, "2024-09-27", r#"{"action":"register"}"#.into()),
        (&office, "2024-10-08", r#"{"action":"accept"}"#.into()),
        (&office, "2024-10-09", panel_json.into()),
        (&panel, "2024-10-21", r#"{"action":"record_hearing","summary":"当面听取张伟陈述和申辩"}"#.into()),
        (&panel, "2024-11-12", draft),
        (&deputy, "2024-11-14", r#"{"action":"approve_opinion"}"#.into()),
        (&office, "2024-11-15", r#"{"action":"issue_opinion"}"#.into()),
        (&officer, "2024-11-20", r#"{"action":"apply_reconsideration","grounds":"对认定理由有异议"}"#.into()),
        (&director, "2024-11-28", r#"{"action":"reply_reconsideration","upheld":true,"reasoning":"经复议，维持原审查论证意见"}"#.into()),
        (&officer, "2024-12-03", r#"{"action":"apply_re_review","grounds":"仍有异议，申请复核"}"#.into()),
        (&parent, "2024-12-20", r#"{"action":"reply_re_review","upheld":true,"reasoning":"经复核，维持原意见"}"#.into()),
        (&office, "2024-12-20", r#"{"action":"start_publicity","place":"巴彦浩特派出所公示栏"}"#.into()),
        (&office, "2024-12-26", r#"{"action":"close_publicity"}"#.into()),
        (&director, "2024-12-26", r#"{"action":"send_recommendation","proposal":{"kind":"revoke"},"reasons":"民警依法履职，所受记过处分缺乏事实依据"}"#.into()),
        (&department, "2024-12-27", r#"{"action":"answer_recommendation","adopted":true}"#.into()),
    ];
    for url in urls(&dir).await {
        let s = Service::new(
            Store::open(&url).await.unwrap(),
            Calendar::embedded(),
            periods(),
        )
        .with_regulations(common::regulations());
        let file: serde_json::Value =
            serde_json::from_str(include_str!("fixtures/file.json")).unwrap();
        let now = Utc.with_ymd_and_hms(2024, 9, 27, 2, 0, 0).unwrap();
        let (id, _) = s
            .create(
                None,
                &officer,
                &serde_json::from_value(file["command"].clone()).unwrap(),
                d("2024-09-27"),
                now,
            )
            .await
            .unwrap();
        let mut version = 1;
        for (who, today, json) in &steps {
            let (v, events) = s
                .act(&id, Some(version), who, &cmd(json), d(today), now)
                .await
                .unwrap_or_else(|e| panic!("{json} on {today}: {e}"));
            assert!(!events.is_empty());
            version = v;
        }
        let view = s.view(&id, d("2024-12-30")).await.unwrap();
        assert_eq!(view.version, 16);
        assert!(view.deadlines.is_empty(), "{:?}", view.deadlines);
        let kinds: Vec<String> = view
            .documents
            .iter()
            .map(|x| format!("{:?}", x.kind))
            .collect();
        // Every written notice of the path, in order (000 §13, §16, §21, §23, §26).
        assert_eq!(
            kinds,
            [
                "AcceptanceNotice",
                "ReviewOpinion",
                "ReconsiderationReply",
                "ReReviewReply",
                "PublicityNotice",
                "Recommendation"
            ]
        );
        let re_review = view
            .timeline
            .iter()
            .find(|t| t.kind == "appeal_filed" && t.role == "officer" && t.version == 11);
        assert!(
            re_review.is_some(),
            "{:?}",
            view.timeline
                .iter()
                .map(|t| (&t.kind, t.version))
                .collect::<Vec<_>>()
        );
        // A heavier sanction after the appeal is recorded as decided and flagged for the
        // committee (000 §21 ¶3): the record must say what was decided; §37(六) may apply.
        let heavier = cmd(
            r#"{"action":"record_sanction_change","sanction":"major_demerit","reason":"复核后加重处分"}"#,
        );
        let (v, events) = s
            .act(&id, None, &department, &heavier, d("2024-12-30"), now)
            .await
            .unwrap();
        assert_eq!(v, 17);
        assert!(
            events
                .iter()
                .any(|e| e.describe_zh().contains("复议复核后加重处理")),
            "{events:?}"
        );
        // The case as its page and the API show it carries the flag among its facts.
        let loaded = s.load_process(&id).await.unwrap();
        let shown = s.view_process(&loaded, d("2024-12-30"));
        let flag = shown
            .facts
            .iter()
            .find(|f| f.label.contains("申请复议复核后加重处理"))
            .unwrap_or_else(|| panic!("{:?}", shown.facts));
        assert!(
            flag.value.contains("加重为“记大过”")
                && flag.value.contains("000 §21¶3")
                && flag.value.contains("000 §37(六)"),
            "{}",
            flag.value
        );
        assert_eq!(s.store().verify().await.unwrap().problem, None);
        let (row, v) = s.store().case_row(&id).await.unwrap().unwrap();
        assert_eq!((row.state.as_str(), v), (view.stage.as_str(), 17));
    }
}
