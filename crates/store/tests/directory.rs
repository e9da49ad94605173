//! The directory, sign-in state, case links and scoped queries, on SQLite and on PostgreSQL
//! (same rules as store.rs: 127.0.0.1:5432 database `test`, a fresh schema per test, skipped
//! with a printed reason when no server answers; `LVZHI_TEST_PG` for another URL or `off`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use lvzhi_store::{
    CaseLink, CaseQuery, CaseRow, CaseScope, DeadlineRow, ExpertRecord, GrantRecord, KindScope,
    NewEvent, OrgRecord, PersonRecord, Projection, Store, StoreError, DIRECTORY_CASE,
};

static SCHEMA_SEQ: AtomicU32 = AtomicU32::new(0);

/// Every backend available here, each with a fresh database.
async fn stores(dir: &tempfile::TempDir) -> Vec<Store> {
    let mut out = vec![
        Store::open(&format!("sqlite://{}", dir.path().join("d.db").display()))
            .await
            .expect("sqlite opens"),
    ];
    let base = match std::env::var("LVZHI_TEST_PG") {
        Ok(v) if v == "off" => return out,
        Ok(v) => v,
        Err(_) => "postgres://postgres@127.0.0.1:5432/test".to_string(),
    };
    let schema = format!(
        "t_{}_{}_{}",
        std::process::id(),
        200 + SCHEMA_SEQ.fetch_add(1, Ordering::SeqCst),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_micros()
    );
    match Store::open(&format!("{base}?schema={schema}")).await {
        Ok(s) => out.push(s),
        Err(e) => eprintln!("PostgreSQL tests skipped: {e} (start it, or set LVZHI_TEST_PG)"),
    }
    out
}

const ADMIN: &str = "p-admin";

fn t(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 10, 8, h, m, 0).unwrap()
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn org(id: &str, parent: Option<&str>) -> OrgRecord {
    OrgRecord {
        id: id.into(),
        parent_id: parent.map(str::to_string),
        name: format!("{id}纪委监委"),
        kind: "commission".into(),
    }
}

fn person(id: &str, org_id: &str, login: Option<&str>) -> PersonRecord {
    PersonRecord {
        id: id.into(),
        name: format!("干部{id}"),
        org_id: org_id.into(),
        title: "科员".into(),
        login: login.map(str::to_string),
        must_change_password: true,
        disabled: false,
    }
}

fn link(relation: &str, target: &str) -> CaseLink {
    CaseLink {
        relation: relation.into(),
        target: target.into(),
    }
}

fn ev(kind: &str, at: DateTime<Utc>) -> NewEvent {
    NewEvent {
        kind: kind.into(),
        actor: "p-office-1".into(),
        role: "office".into(),
        at,
        reason: None,
        payload: serde_json::json!({}),
    }
}

fn projection(state: &str, org_id: &str, due: Option<&str>, links: Vec<CaseLink>) -> Projection {
    Projection {
        case: CaseRow {
            kind: "application".into(),
            state: state.into(),
            org_id: org_id.into(),
            title: format!("免责容错申请（{org_id}）"),
        },
        deadlines: due
            .map(|due| DeadlineRow {
                step: "opinion".into(),
                due: d(due),
                provisional: false,
                article: "000 §16".into(),
                fires_event: false,
                role: String::new(),
                label: String::new(),
            })
            .into_iter()
            .collect(),
        links,
    }
}

async fn directory_kinds(store: &Store) -> Vec<String> {
    store
        .events(DIRECTORY_CASE)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect()
}

#[tokio::test]
async fn org_tree_refuses_cycles_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for store in stores(&dir).await {
        store.put_org(ADMIN, &org("nmg", None)).await.unwrap();
        store
            .put_org(ADMIN, &org("alashan", Some("nmg")))
            .await
            .unwrap();
        store
            .put_org(ADMIN, &org("ejina", Some("alashan")))
            .await
            .unwrap();
        let before = store.orgs().await.unwrap();
        let head = store.head().await.unwrap();
        // The root under its own grandchild would close a cycle.
        let err = store
            .put_org(ADMIN, &org("nmg", Some("ejina")))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Directory(_)), "{err}");
        assert!(err.to_string().contains("循环"), "{err}");
        let err = store
            .put_org(ADMIN, &org("alashan", Some("alashan")))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("自身"), "{err}");
        let err = store
            .put_org(ADMIN, &org("x", Some("nowhere")))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("上级机构 nowhere 不存在"), "{err}");
        let err = store.put_org(ADMIN, &org("", None)).await.unwrap_err();
        assert!(err.to_string().contains("不能为空"), "{err}");
        assert_eq!(store.orgs().await.unwrap(), before);
        assert_eq!(store.head().await.unwrap(), head, "nothing chained");
        // Moving a leaf elsewhere and renaming are fine.
        let mut ejina = org("ejina", Some("nmg"));
        ejina.name = "额济纳旗纪委监委".into();
        store.put_org(ADMIN, &ejina).await.unwrap();
        assert_eq!(store.org("ejina").await.unwrap(), Some(ejina));
        assert_eq!(store.org("none").await.unwrap(), None);
        assert_eq!(
            store
                .orgs()
                .await
                .unwrap()
                .iter()
                .map(|o| o.id.as_str())
                .collect::<Vec<_>>(),
            ["alashan", "ejina", "nmg"]
        );
        assert_eq!(directory_kinds(&store).await, ["org_put"; 4]);
    }
}

#[tokio::test]
async fn people_logins_and_passwords() {
    let dir = tempfile::tempdir().unwrap();
    for store in stores(&dir).await {
        store.put_org(ADMIN, &org("nmg", None)).await.unwrap();
        store
            .put_org(ADMIN, &org("alashan", Some("nmg")))
            .await
            .unwrap();
        let zhang = person("p1", "alashan", Some("zhang"));
        store.put_person(ADMIN, &zhang).await.unwrap();
        store
            .put_person(ADMIN, &person("p2", "nmg", None))
            .await
            .unwrap();
        let err = store
            .put_person(ADMIN, &person("p3", "nmg", Some("zhang")))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("登录名“zhang”"), "{err}");
        assert_eq!(store.person("p3").await.unwrap(), None);
        let err = store
            .put_person(ADMIN, &person("p4", "nowhere", None))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("机构 nowhere 不存在"), "{err}");
        assert_eq!(store.person("p1").await.unwrap(), Some(zhang.clone()));
        assert_eq!(store.people(None).await.unwrap().len(), 2);
        assert_eq!(
            store.people(Some("alashan")).await.unwrap(),
            std::slice::from_ref(&zhang)
        );

        // No password yet: nothing to sign in with.
        assert_eq!(store.credentials_by_login("zhang").await.unwrap(), None);
        store
            .set_password(ADMIN, "p1", "$argon2id$v=19$secret-hash", false)
            .await
            .unwrap();
        let c = store.credentials_by_login("zhang").await.unwrap().unwrap();
        assert_eq!(
            (c.person_id.as_str(), c.password_hash.as_str()),
            ("p1", "$argon2id$v=19$secret-hash")
        );
        assert!(!c.must_change_password && !c.disabled);
        // Editing the person keeps the password; the record's flags are the administrator's.
        let mut renamed = zhang.clone();
        renamed.name = "张三".into();
        renamed.disabled = true;
        store.put_person(ADMIN, &renamed).await.unwrap();
        let c = store.credentials_by_login("zhang").await.unwrap().unwrap();
        assert_eq!(c.password_hash, "$argon2id$v=19$secret-hash");
        assert!(c.disabled && c.must_change_password);
        // The same person may keep their own login.
        store.put_person(ADMIN, &renamed).await.unwrap();
        let err = store
            .set_password(ADMIN, "ghost", "h", true)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("人员 ghost 不存在"), "{err}");
        // The hash never enters the chain.
        let events = store.events(DIRECTORY_CASE).await.unwrap();
        assert!(events.iter().all(|e| !e.payload.contains("secret-hash")));
        assert!(events
            .iter()
            .any(|e| e.kind == "password_set" && e.payload.contains("\"person_id\":\"p1\"")));
    }
}

#[tokio::test]
async fn grants_and_experts() {
    let dir = tempfile::tempdir().unwrap();
    for store in stores(&dir).await {
        store.put_org(ADMIN, &org("nmg", None)).await.unwrap();
        store
            .put_org(ADMIN, &org("alashan", Some("nmg")))
            .await
            .unwrap();
        store
            .put_person(ADMIN, &person("p1", "alashan", None))
            .await
            .unwrap();
        let office = GrantRecord {
            person_id: "p1".into(),
            role: "office".into(),
            org_id: "alashan".into(),
        };
        let panel = GrantRecord {
            role: "panel".into(),
            org_id: "nmg".into(),
            ..office.clone()
        };
        store.grant(ADMIN, &office).await.unwrap();
        store.grant(ADMIN, &office).await.unwrap();
        store.grant(ADMIN, &panel).await.unwrap();
        assert_eq!(
            store.grants_of("p1").await.unwrap(),
            [office.clone(), panel.clone()]
        );
        let err = store
            .grant(
                ADMIN,
                &GrantRecord {
                    person_id: "ghost".into(),
                    ..office.clone()
                },
            )
            .await
            .unwrap_err();
        assert!(err.to_string().contains("人员 ghost 不存在"), "{err}");
        store.revoke_grant(ADMIN, &office).await.unwrap();
        store.revoke_grant(ADMIN, &office).await.unwrap();
        assert_eq!(store.all_grants().await.unwrap(), [panel]);
        assert!(store.grants_of("nobody").await.unwrap().is_empty());

        let expert = ExpertRecord {
            id: "e1".into(),
            name: "李律师".into(),
            category: "法律".into(),
            affiliation: "内蒙古律师协会".into(),
            eligibility: serde_json::json!({ "years": 10, "fields": ["行政执法"] }),
            person_id: None,
            note: String::new(),
            active: true,
            retained_by: None,
        };
        store.put_expert(ADMIN, &expert).await.unwrap();
        let retired = ExpertRecord {
            active: false,
            ..expert.clone()
        };
        store.put_expert(ADMIN, &retired).await.unwrap();
        assert_eq!(
            store.experts().await.unwrap(),
            std::slice::from_ref(&retired)
        );
        // 001 §26: lawyers retained by an organisation, counted while active and of the
        // lawyers' category; the organisation must exist.
        let ghost = ExpertRecord {
            retained_by: Some("nowhere".into()),
            ..retired.clone()
        };
        let err = store.put_expert(ADMIN, &ghost).await.unwrap_err();
        assert!(err.to_string().contains("聘请单位 nowhere 不存在"), "{err}");
        let lawyer = |id: &str, category: &str, active: bool| ExpertRecord {
            id: id.into(),
            category: category.into(),
            active,
            retained_by: Some("alashan".into()),
            ..retired.clone()
        };
        store
            .put_expert(ADMIN, &lawyer("e1", "legal_expert", true))
            .await
            .unwrap();
        store
            .put_expert(ADMIN, &lawyer("e2", "legal_expert", false))
            .await
            .unwrap();
        store
            .put_expert(ADMIN, &lawyer("e3", "other", true))
            .await
            .unwrap();
        assert_eq!(
            store.experts().await.unwrap()[0].retained_by.as_deref(),
            Some("alashan")
        );
        assert_eq!(
            store.retained_lawyers().await.unwrap(),
            std::collections::BTreeMap::from([("alashan".to_string(), 1)])
        );
        // Idempotent grants and revocations record nothing the second time.
        assert_eq!(
            directory_kinds(&store).await,
            [
                "org_put",
                "org_put",
                "person_put",
                "grant_added",
                "grant_added",
                "grant_revoked",
                "expert_put",
                "expert_put",
                "expert_put",
                "expert_put",
                "expert_put"
            ]
        );
    }
}

#[tokio::test]
async fn sessions_expire_and_are_not_chained() {
    let dir = tempfile::tempdir().unwrap();
    for store in stores(&dir).await {
        store
            .create_session("h1", "p1", "csrf-1", t(9, 0), t(10, 0))
            .await
            .unwrap();
        store
            .create_session("h2", "p1", "csrf-2", t(9, 0), t(10, 0))
            .await
            .unwrap();
        store
            .create_session("h3", "p2", "csrf-3", t(9, 0), t(10, 0))
            .await
            .unwrap();
        let s = store.session("h1", t(9, 30)).await.unwrap().unwrap();
        assert_eq!(
            (s.person_id.as_str(), s.csrf.as_str(), s.expires_at),
            ("p1", "csrf-1", t(10, 0))
        );
        assert_eq!(store.session("h1", t(10, 0)).await.unwrap(), None);
        assert_eq!(store.session("nope", t(9, 30)).await.unwrap(), None);
        store.delete_session("h1").await.unwrap();
        assert_eq!(store.session("h1", t(9, 30)).await.unwrap(), None);
        assert!(store.session("h2", t(9, 30)).await.unwrap().is_some());
        store.delete_sessions_of("p1").await.unwrap();
        assert_eq!(store.session("h2", t(9, 30)).await.unwrap(), None);
        assert!(store.session("h3", t(9, 30)).await.unwrap().is_some());
        assert_eq!(store.delete_expired_sessions(t(11, 0)).await.unwrap(), 1);
        assert_eq!(store.head().await.unwrap().seq, 0);
    }
}

#[tokio::test]
async fn revoked_tokens_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for store in stores(&dir).await {
        store.put_org(ADMIN, &org("nmg", None)).await.unwrap();
        store
            .put_person(ADMIN, &person("p1", "nmg", None))
            .await
            .unwrap();
        store
            .create_api_token(ADMIN, "tok1", "hash-1", "p1", "对接OA", t(9, 0))
            .await
            .unwrap();
        let err = store
            .create_api_token(ADMIN, "tok1", "hash-2", "p1", "重复", t(9, 0))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("令牌编号 tok1 已存在"), "{err}");
        let err = store
            .create_api_token(ADMIN, "tok9", "hash-9", "ghost", "x", t(9, 0))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("人员 ghost 不存在"), "{err}");
        assert_eq!(
            store.api_token_person("hash-1").await.unwrap().as_deref(),
            Some("p1")
        );
        assert_eq!(store.api_token_person("hash-2").await.unwrap(), None);
        assert!(store
            .revoke_api_token(ADMIN, "tok1", t(9, 30))
            .await
            .unwrap());
        assert_eq!(store.api_token_person("hash-1").await.unwrap(), None);
        // A second revocation keeps the first time; an unknown id is reported.
        assert!(store
            .revoke_api_token(ADMIN, "tok1", t(9, 45))
            .await
            .unwrap());
        assert!(!store
            .revoke_api_token(ADMIN, "nope", t(9, 45))
            .await
            .unwrap());
        let tokens = store.api_tokens().await.unwrap();
        assert_eq!(tokens.len(), 1);
        assert_eq!(tokens[0].label, "对接OA");
        assert_eq!(
            tokens[0].revoked_at.as_deref(),
            Some("2024-10-08T09:30:00.000000Z")
        );
        let events = store.events(DIRECTORY_CASE).await.unwrap();
        assert_eq!(
            events.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
            [
                "org_put",
                "person_put",
                "api_token_created",
                "api_token_revoked"
            ]
        );
        assert!(events.iter().all(|e| !e.payload.contains("hash-1")));
    }
}

#[tokio::test]
async fn failed_logins_are_counted_per_pair_login_and_client_since_the_last_success() {
    use lvzhi_store::AttemptStatus::{Failed, Ok as Good, Throttled};
    let dir = tempfile::tempdir().unwrap();
    for store in stores(&dir).await {
        let mut n = 0;
        let mut attempt = |login: &'static str, client: &'static str, at, status| {
            n += 1;
            (format!("a{n}"), login, client, at, status)
        };
        let attempts = [
            attempt("zhang", "10.0.0.1", t(8, 0), Some(Failed)),
            attempt("zhang", "10.0.0.1", t(9, 0), Some(Failed)),
            attempt("zhang", "10.0.0.9", t(9, 5), Some(Failed)),
            attempt("zhang", "10.0.0.1", t(9, 10), Some(Good)),
            attempt("zhang", "10.0.0.1", t(9, 20), Some(Failed)),
            attempt("zhang", "10.0.0.9", t(9, 30), None),
            attempt("zhang", "10.0.0.9", t(9, 31), Some(Throttled)),
            attempt("li", "10.0.0.9", t(9, 25), Some(Failed)),
        ];
        for (id, login, client, at, status) in &attempts {
            store
                .reserve_login_attempt(id, login, client, *at)
                .await
                .unwrap();
            if let Some(s) = status {
                store.resolve_login_attempt(id, *s).await.unwrap();
            }
        }
        let f = store
            .login_failures("zhang", "10.0.0.9", t(8, 30), "asking")
            .await
            .unwrap();
        // The pair's own failures (zhang's success was from another client): 9:05 and the
        // pending 9:30 (counted until resolved), not the throttled 9:31.
        assert_eq!(f.pair.count, 2);
        assert_eq!(f.pair.last, Some(t(9, 30)));
        // The login's, after its 9:10 success: 9:20 and 9:30.
        assert_eq!(f.login.count, 2);
        // The client's failures are not cleared by zhang's success: 9:05, 9:25 (li), 9:30.
        assert_eq!(f.client.count, 3);
        // The attempt asking is left out of its own counts.
        let f = store
            .login_failures("zhang", "10.0.0.9", t(8, 30), "a6")
            .await
            .unwrap();
        assert_eq!((f.pair.count, f.login.count, f.client.count), (1, 1, 2));
        let f = store
            .login_failures("wang", "10.0.0.2", t(7, 0), "x")
            .await
            .unwrap();
        assert_eq!((f.pair.count, f.login.count, f.client.count), (0, 0, 0));
        assert_eq!(f.login.last, None);
    }
}

#[tokio::test]
async fn submissions_are_claimed_once_and_answered_again() {
    use lvzhi_store::{Answer, Claim};
    let dir = tempfile::tempdir().unwrap();
    for store in stores(&dir).await {
        let c = store
            .claim_submission("s1", "k1", "fp", t(9, 0))
            .await
            .unwrap();
        assert_eq!(c, Claim::Claimed);
        let Claim::Existing(pending) = store
            .claim_submission("s1", "k1", "fp", t(9, 1))
            .await
            .unwrap()
        else {
            panic!("a second claim must find the first");
        };
        assert!(!pending.completed);
        // Another credential's key of the same text is its own.
        assert_eq!(
            store
                .claim_submission("s2", "k1", "fp", t(9, 1))
                .await
                .unwrap(),
            Claim::Claimed
        );
        store
            .complete_submission(
                "s1",
                "k1",
                Answer {
                    status: 303,
                    content_type: "",
                    location: "/cases/A2026-000001",
                    body: b"",
                },
            )
            .await
            .unwrap();
        let Claim::Existing(done) = store
            .claim_submission("s1", "k1", "fp", t(9, 2))
            .await
            .unwrap()
        else {
            panic!("completed");
        };
        assert!(done.completed);
        assert_eq!(done.status, 303);
        assert_eq!(done.location, "/cases/A2026-000001");
        // A released claim (the request wrote nothing) may be claimed again; a completed one
        // is not released.
        store.release_submission("s2", "k1").await.unwrap();
        assert_eq!(
            store
                .claim_submission("s2", "k1", "fp", t(9, 3))
                .await
                .unwrap(),
            Claim::Claimed
        );
        store.release_submission("s1", "k1").await.unwrap();
        assert!(store.submission("s1", "k1").await.unwrap().is_some());
        assert!(store.prune_guards(t(10, 0)).await.unwrap() >= 2);
        assert!(store.submission("s1", "k1").await.unwrap().is_none());
    }
}

#[tokio::test]
async fn evidence_upload_receipts_are_per_case_and_person() {
    let dir = tempfile::tempdir().unwrap();
    for store in stores(&dir).await {
        let d = "ab".repeat(32);
        store
            .record_evidence_upload("A2026-000001", "p-a", &d, t(9, 0))
            .await
            .unwrap();
        assert_eq!(
            store
                .evidence_uploaded_at("A2026-000001", "p-a", &d)
                .await
                .unwrap(),
            Some(t(9, 0))
        );
        assert_eq!(
            store
                .evidence_uploaded_at("A2026-000002", "p-a", &d)
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            store
                .evidence_uploaded_at("A2026-000001", "p-b", &d)
                .await
                .unwrap(),
            None
        );
        // A repeated upload renews the receipt.
        store
            .record_evidence_upload("A2026-000001", "p-a", &d, t(9, 30))
            .await
            .unwrap();
        let all = store.evidence_uploads().await.unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].uploaded_at, t(9, 30));
    }
}

/// Issue 22 item 2: a draft is per case, person and form, replaced by the next, read back as
/// written, deleted when recorded — and not in the chain.
#[tokio::test]
async fn drafts_are_kept_per_case_person_and_form_outside_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    for store in stores(&dir).await {
        let head = store.head().await.unwrap();
        let c = "A2026-000001";
        assert_eq!(store.draft(c, "p-a", "interview").await.unwrap(), None);
        store
            .put_draft(c, "p-a", "interview", r#"{"a":true}"#, t(9, 0))
            .await
            .unwrap();
        store
            .put_draft(c, "p-a", "interview", r#"{"a":false,"b":"是"}"#, t(9, 5))
            .await
            .unwrap();
        store
            .put_draft(c, "p-b", "interview", r#"{"a":true}"#, t(9, 6))
            .await
            .unwrap();
        let mine = store.draft(c, "p-a", "interview").await.unwrap().unwrap();
        assert_eq!(mine.body, r#"{"a":false,"b":"是"}"#);
        assert_eq!(mine.updated_at, t(9, 5));
        assert_eq!(
            store
                .draft("A2026-000002", "p-a", "interview")
                .await
                .unwrap(),
            None
        );
        assert_eq!(store.draft(c, "p-a", "other").await.unwrap(), None);
        store.delete_draft(c, "p-a", "interview").await.unwrap();
        store.delete_draft(c, "p-a", "interview").await.unwrap();
        assert_eq!(store.draft(c, "p-a", "interview").await.unwrap(), None);
        assert!(store.draft(c, "p-b", "interview").await.unwrap().is_some());
        assert_eq!(store.head().await.unwrap(), head, "a draft is not a record");
    }
}

/// Five cases: C1, C2 of org a; C3 of org b; C4 escalated to committee cx; C5 of org c. Person
/// p1 applied in C1 and C3, p2 sits on C3's panel, p3 only watches C5. C2's applying unit is
/// u1; C5 challenges a decision of department dep.
async fn five_cases(store: &Store) {
    let cases = [
        (
            "C1",
            "registered",
            "a",
            Some("2024-10-10"),
            vec![link("applicant", "p1")],
        ),
        (
            "C2",
            "accepted",
            "a",
            Some("2024-11-20"),
            vec![link("applying_unit", "u1")],
        ),
        (
            "C3",
            "accepted",
            "b",
            None,
            vec![link("applicant", "p1"), link("panel", "p2")],
        ),
        (
            "C4",
            "accepted",
            "c",
            Some("2024-10-05"),
            vec![link("parent_committee", "cx")],
        ),
        (
            "C5",
            "registered",
            "c",
            None,
            vec![link("watcher", "p3"), link("department", "dep")],
        ),
    ];
    for (i, (id, state, org_id, due, links)) in cases.into_iter().enumerate() {
        let at = t(9, i as u32);
        store
            .append_projected(
                id,
                0,
                &[ev("filed", at)],
                Some(&projection(state, org_id, due, links)),
            )
            .await
            .unwrap();
    }
}

fn ids(cases: &[lvzhi_store::ListedCase]) -> Vec<&str> {
    cases.iter().map(|c| c.case_id.as_str()).collect()
}

fn scope(orgs: &[&str], person: Option<&str>, escalated: &[&str]) -> CaseScope {
    CaseScope {
        orgs: orgs.iter().map(|s| s.to_string()).collect(),
        person: person.map(str::to_string),
        escalated_orgs: escalated.iter().map(|s| s.to_string()).collect(),
        ..CaseScope::default()
    }
}

fn query(scope: CaseScope) -> CaseQuery {
    CaseQuery {
        scope,
        limit: 50,
        ..CaseQuery::default()
    }
}

#[tokio::test]
async fn query_cases_keeps_to_the_scope() {
    let dir = tempfile::tempdir().unwrap();
    for store in stores(&dir).await {
        // Directory events exist but are no case.
        store.put_org(ADMIN, &org("a", None)).await.unwrap();
        five_cases(&store).await;
        let run = |q: CaseQuery| {
            let store = store.clone();
            async move {
                let (page, total) = store.query_cases(&q).await.unwrap();
                // Counted only so far (issue 21), the same page and the total up to the cap,
                // one more where there is more, whichever scope's parts hold the cases.
                for cap in 0..=5 {
                    let capped = CaseQuery {
                        count_up_to: Some(cap),
                        ..q.clone()
                    };
                    let (p, t) = store.query_cases(&capped).await.unwrap();
                    assert_eq!(ids(&p), ids(&page), "{capped:?}");
                    assert_eq!(t, total.min(cap + 1), "{capped:?}");
                }
                (
                    ids(&page)
                        .into_iter()
                        .map(str::to_string)
                        .collect::<Vec<_>>(),
                    total,
                )
            }
        };
        assert_eq!(run(query(CaseScope::default())).await, (vec![], 0));
        assert_eq!(
            run(query(scope(&["a"], None, &[]))).await,
            (vec!["C2".into(), "C1".into()], 2)
        );
        assert_eq!(
            run(query(scope(&[], Some("p1"), &[]))).await,
            (vec!["C3".into(), "C1".into()], 2)
        );
        // A case reached two ways is listed once.
        assert_eq!(
            run(query(scope(&["a"], Some("p1"), &[]))).await,
            (vec!["C3".into(), "C2".into(), "C1".into()], 3)
        );
        assert_eq!(
            run(query(scope(&[], Some("p2"), &[]))).await,
            (vec!["C3".into()], 1)
        );
        // Only applicant, panel and external links open a case to a person.
        assert_eq!(run(query(scope(&[], Some("p3"), &[]))).await, (vec![], 0));
        assert_eq!(
            run(query(scope(&[], None, &["cx"]))).await,
            (vec!["C4".into()], 1)
        );
        // An escalation is not an organisation's own case, nor the reverse.
        assert_eq!(run(query(scope(&["cx"], None, &[]))).await, (vec![], 0));
        assert_eq!(run(query(scope(&[], None, &["c"]))).await, (vec![], 0));
        assert_eq!(
            run(query(scope(&["b"], Some("p9"), &["cx"]))).await,
            (vec!["C4".into(), "C3".into()], 2)
        );
        let units = CaseScope {
            unit_orgs: vec!["u1".into()],
            ..CaseScope::default()
        };
        assert_eq!(run(query(units)).await, (vec!["C2".into()], 1));
        let departments = CaseScope {
            department_orgs: vec!["dep".into(), "other".into()],
            person: Some("p2".into()),
            ..CaseScope::default()
        };
        assert_eq!(
            run(query(departments)).await,
            (vec!["C5".into(), "C3".into()], 2)
        );
        // The relation matters, not only the target.
        assert_eq!(
            run(query(scope(&[], None, &["u1", "dep"]))).await,
            (vec![], 0)
        );
        let all = CaseScope {
            all: true,
            ..CaseScope::default()
        };
        assert_eq!(
            run(query(all.clone())).await,
            (
                vec![
                    "C5".into(),
                    "C4".into(),
                    "C3".into(),
                    "C2".into(),
                    "C1".into()
                ],
                5
            )
        );
        // Filters.
        let mut q = query(scope(&["a", "b"], None, &[]));
        q.state = Some("accepted".into());
        assert_eq!(run(q).await, (vec!["C3".into(), "C2".into()], 2));
        let mut q = query(all.clone());
        q.org_id = Some("c".into());
        assert_eq!(run(q).await, (vec!["C5".into(), "C4".into()], 2));
        let mut q = query(all.clone());
        q.kind = Some("incident".into());
        assert_eq!(run(q).await, (vec![], 0));
        let mut q = query(all.clone());
        q.due_until = Some(d("2024-10-31"));
        assert_eq!(run(q).await, (vec!["C4".into(), "C1".into()], 2));
        let mut q = query(scope(&["a"], Some("p1"), &[]));
        q.due_until = Some(d("2024-10-31"));
        assert_eq!(run(q).await, (vec!["C1".into()], 1));
        let mut q = query(scope(&["a"], None, &[]));
        q.due_until = Some(d("2024-10-10"));
        assert_eq!(run(q).await, (vec!["C1".into()], 1));
        // Paging: the total is of all matching cases, whatever the page.
        let page = |limit, offset| {
            let mut q = query(all.clone());
            (q.limit, q.offset) = (limit, offset);
            q
        };
        assert_eq!(run(page(2, 0)).await, (vec!["C5".into(), "C4".into()], 5));
        assert_eq!(run(page(2, 2)).await, (vec!["C3".into(), "C2".into()], 5));
        assert_eq!(run(page(2, 4)).await, (vec!["C1".into()], 5));
        assert_eq!(run(page(2, 10)).await, (vec![], 5));
        assert_eq!(run(page(0, 0)).await, (vec![], 5));
        assert_eq!(run(page(-1, -1)).await, (vec![], 5));
        // Paging a scope of several parts (each part cut at offset+limit, then merged): the
        // pages follow one another without a gap or a repeat, a case reached two ways once.
        let scoped = scope(&["a", "b"], Some("p1"), &["cx"]);
        let (every, total) = run(query(scoped.clone())).await;
        assert_eq!(total, every.len() as i64);
        let mut paged = Vec::new();
        for offset in 0..total + 1 {
            let mut q = query(scoped.clone());
            (q.limit, q.offset) = (1, offset);
            let (page, t) = run(q).await;
            assert_eq!(t, total);
            paged.extend(page);
        }
        assert_eq!(paged, every);
        let mut q = query(scoped.clone());
        (q.limit, q.offset) = (2, 1);
        assert_eq!(run(q).await.0, every[1..3].to_vec());
        // The directory stream is no case: numbering and plain lists never see it.
        assert_eq!(store.count_cases("application").await.unwrap(), 5);
        assert_eq!(store.list_cases(None, None, 100, 0).await.unwrap().len(), 5);
        assert!(store.case_row(DIRECTORY_CASE).await.unwrap().is_none());
    }
}

#[tokio::test]
async fn query_deadlines_by_due_day_within_the_scope() {
    let dir = tempfile::tempdir().unwrap();
    for store in stores(&dir).await {
        five_cases(&store).await;
        let all = CaseScope {
            all: true,
            ..CaseScope::default()
        };
        let due = |s: &CaseScope, until: Option<&str>, limit| {
            let (store, s) = (store.clone(), s.clone());
            let until = until.map(d);
            async move {
                store
                    .query_deadlines(&s, until, limit)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|x| (x.case_id, x.due.to_string()))
                    .collect::<Vec<_>>()
            }
        };
        let pair = |c: &str, due: &str| (c.to_string(), due.to_string());
        assert_eq!(
            due(&all, None, 10).await,
            [
                pair("C4", "2024-10-05"),
                pair("C1", "2024-10-10"),
                pair("C2", "2024-11-20")
            ]
        );
        assert_eq!(
            due(&all, Some("2024-10-31"), 10).await,
            [pair("C4", "2024-10-05"), pair("C1", "2024-10-10")]
        );
        assert_eq!(due(&all, None, 1).await, [pair("C4", "2024-10-05")]);
        assert_eq!(
            due(&scope(&["a"], None, &[]), None, 10).await,
            [pair("C1", "2024-10-10"), pair("C2", "2024-11-20")]
        );
        assert_eq!(
            due(&scope(&[], Some("p1"), &["cx"]), None, 10).await,
            [pair("C4", "2024-10-05"), pair("C1", "2024-10-10")]
        );
        assert!(due(&CaseScope::default(), None, 10).await.is_empty());
        // Several parts, each cut at the limit before they are merged: still the first by due
        // day over the whole scope.
        let wide = scope(&["a", "c"], Some("p1"), &["cx"]);
        let every = due(&wide, None, 10).await;
        for limit in 1..every.len() {
            assert_eq!(
                due(&wide, None, limit as i64).await,
                every[..limit].to_vec()
            );
        }
        let row = store
            .query_deadlines(&scope(&["c"], None, &[]), None, 10)
            .await
            .unwrap();
        assert_eq!(row.len(), 1);
        assert_eq!(
            (
                row[0].title.as_str(),
                row[0].state.as_str(),
                row[0].org_id.as_str(),
                row[0].step.as_str(),
                row[0].article.as_str(),
                row[0].provisional
            ),
            (
                "免责容错申请（c）",
                "accepted",
                "c",
                "opinion",
                "000 §16",
                false
            )
        );
    }
}

/// Cases of several kinds for the kind-limited scope: (id, kind, organisation, due, links).
async fn cases_of_kinds(store: &Store) {
    let cases = [
        ("K1", "enforcement_fault", "a", Some("2024-10-01"), vec![]),
        ("K2", "incident", "a", Some("2024-10-02"), vec![]),
        (
            "K3",
            "sanction_appeal",
            "c",
            Some("2024-10-03"),
            vec![link("escalated_to", "x")],
        ),
        (
            "K4",
            "enforcement_fault",
            "z",
            None,
            vec![link("escalated_to", "x")],
        ),
        (
            "K5",
            "incident",
            "z",
            Some("2024-10-04"),
            vec![link("escalated_to", "x")],
        ),
        ("K6", "application", "a", Some("2024-10-05"), vec![]),
    ];
    for (i, (id, kind, org_id, due, links)) in cases.into_iter().enumerate() {
        let mut p = projection("registered", org_id, due, links);
        p.case.kind = kind.to_string();
        store
            .append_projected(id, 0, &[ev("filed", t(10, i as u32))], Some(&p))
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn a_kind_limited_scope_counts_and_lists_only_its_kinds() {
    // 法制部门 and 督察 (004 §26–27, 001 §28): the list's total is of the rows it may show.
    let dir = tempfile::tempdir().unwrap();
    for store in stores(&dir).await {
        cases_of_kinds(&store).await;
        let inspect = CaseScope {
            by_kind: vec![KindScope {
                kinds: vec!["enforcement_fault".into(), "sanction_appeal".into()],
                orgs: vec!["a".into()],
                escalated_orgs: vec!["x".into()],
            }],
            ..CaseScope::default()
        };
        let (page, total) = store.query_cases(&query(inspect.clone())).await.unwrap();
        assert_eq!((ids(&page), total), (vec!["K4", "K3", "K1"], 3));
        // Paged one by one: the same rows, the same total on every page.
        let mut paged = Vec::new();
        for offset in 0..4 {
            let mut q = query(inspect.clone());
            (q.limit, q.offset) = (1, offset);
            let (page, t) = store.query_cases(&q).await.unwrap();
            assert_eq!(t, 3);
            paged.extend(page.into_iter().map(|c| c.case_id));
        }
        assert_eq!(paged, ["K4", "K3", "K1"]);
        let legal = CaseScope {
            by_kind: vec![KindScope {
                kinds: vec!["enforcement_fault".into()],
                orgs: vec!["a".into(), "c".into()],
                ..KindScope::default()
            }],
            ..CaseScope::default()
        };
        let (page, total) = store.query_cases(&query(legal.clone())).await.unwrap();
        assert_eq!((ids(&page), total), (vec!["K1"], 1));
        // With another part (a person), and filtered by kind.
        let mut both = legal.clone();
        both.orgs = vec!["z".into()];
        let (page, total) = store.query_cases(&query(both.clone())).await.unwrap();
        assert_eq!((ids(&page), total), (vec!["K5", "K4", "K1"], 3));
        let mut q = query(both);
        q.kind = Some("incident".into());
        let (page, total) = store.query_cases(&q).await.unwrap();
        assert_eq!((ids(&page), total), (vec!["K5"], 1));
        // No kind admits nothing.
        let none = CaseScope {
            by_kind: vec![KindScope {
                orgs: vec!["a".into()],
                ..KindScope::default()
            }],
            ..CaseScope::default()
        };
        assert_eq!(store.query_cases(&query(none.clone())).await.unwrap().1, 0);
        // Deadlines: the same cases' open steps only.
        let due: Vec<String> = store
            .query_deadlines(&inspect, None, 10)
            .await
            .unwrap()
            .into_iter()
            .map(|x| x.case_id)
            .collect();
        assert_eq!(due, ["K1", "K3"]);
        let due: Vec<String> = store
            .query_deadlines(&legal, None, 10)
            .await
            .unwrap()
            .into_iter()
            .map(|x| x.case_id)
            .collect();
        assert_eq!(due, ["K1"]);
        assert!(store
            .query_deadlines(&none, None, 10)
            .await
            .unwrap()
            .is_empty());
    }
}

#[tokio::test]
async fn directory_changes_are_chained_and_verify() {
    let dir = tempfile::tempdir().unwrap();
    for store in stores(&dir).await {
        store
            .append("A-1", 0, &[ev("filed", t(8, 0))])
            .await
            .unwrap();
        store.put_org(ADMIN, &org("nmg", None)).await.unwrap();
        store
            .put_person(ADMIN, &person("p1", "nmg", Some("zhang")))
            .await
            .unwrap();
        store
            .append("A-1", 1, &[ev("accepted", t(8, 5))])
            .await
            .unwrap();
        store.set_password(ADMIN, "p1", "hash", true).await.unwrap();
        store
            .grant(
                ADMIN,
                &GrantRecord {
                    person_id: "p1".into(),
                    role: "office".into(),
                    org_id: "nmg".into(),
                },
            )
            .await
            .unwrap();
        store
            .create_api_token(ADMIN, "tok", "th", "p1", "接口", t(9, 0))
            .await
            .unwrap();
        // A refused change adds nothing to the chain.
        assert!(store
            .put_org(ADMIN, &org("nmg", Some("nmg")))
            .await
            .is_err());
        let events = store.events(DIRECTORY_CASE).await.unwrap();
        assert_eq!(
            events.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
            [
                "org_put",
                "person_put",
                "password_set",
                "grant_added",
                "api_token_created"
            ]
        );
        assert_eq!(
            events.iter().map(|e| e.case_version).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5]
        );
        assert!(events
            .iter()
            .all(|e| e.actor == ADMIN && e.role == "administrator"));
        let org_payload: serde_json::Value = serde_json::from_str(&events[0].payload).unwrap();
        assert_eq!(org_payload["name"], "nmg纪委监委");
        let report = store.verify().await.unwrap();
        assert_eq!(report.problem, None, "{:?}", store.backend());
        assert_eq!(report.events, 7);
        assert_eq!(store.case_version("A-1").await.unwrap(), 2);
        // The directory's events are as tamper-evident as a case's.
        store
            .execute_raw(
                "UPDATE events SET payload = '{\"person_id\":\"p1\",\"role\":\"committee\",\"org_id\":\"nmg\"}' \
                 WHERE case_id = '_directory' AND kind = 'grant_added'",
            )
            .await
            .unwrap();
        let problem = store.verify().await.unwrap().problem.unwrap();
        assert!(
            matches!(&problem, lvzhi_store::ChainProblem::Altered { case_id, case_version: 4, .. } if case_id == DIRECTORY_CASE),
            "{problem:?}"
        );
    }
}

#[tokio::test]
async fn links_are_replaced_on_each_projected_append() {
    let dir = tempfile::tempdir().unwrap();
    for store in stores(&dir).await {
        store
            .append_projected(
                "A-1",
                0,
                &[ev("filed", t(9, 0))],
                Some(&projection(
                    "registered",
                    "a",
                    None,
                    vec![link("applicant", "p1"), link("applicant", "p1")],
                )),
            )
            .await
            .unwrap();
        assert_eq!(
            store.case_links("A-1").await.unwrap(),
            [link("applicant", "p1")]
        );
        store
            .append_projected(
                "A-1",
                1,
                &[ev("panel_formed", t(9, 1))],
                Some(&projection(
                    "reviewing",
                    "a",
                    None,
                    vec![
                        link("panel", "p2"),
                        link("applicant", "p1"),
                        link("external", "e1"),
                    ],
                )),
            )
            .await
            .unwrap();
        assert_eq!(
            store.case_links("A-1").await.unwrap(),
            [
                link("applicant", "p1"),
                link("external", "e1"),
                link("panel", "p2")
            ]
        );
        // An append without a projection leaves the read model as it was.
        store
            .append("A-1", 2, &[ev("note", t(9, 2))])
            .await
            .unwrap();
        assert_eq!(store.case_links("A-1").await.unwrap().len(), 3);
        // A refused append leaves it too.
        assert!(store
            .append_projected(
                "A-1",
                1,
                &[ev("x", t(9, 3))],
                Some(&projection("bogus", "a", None, vec![])),
            )
            .await
            .is_err());
        assert_eq!(store.case_links("A-1").await.unwrap().len(), 3);
        store
            .append_projected(
                "A-1",
                3,
                &[ev("closed", t(9, 4))],
                Some(&projection("closed", "a", None, vec![])),
            )
            .await
            .unwrap();
        assert!(store.case_links("A-1").await.unwrap().is_empty());
        assert!(store.case_links("none").await.unwrap().is_empty());
    }
}
