//! 纠错 and what surrounds it, through the server (issue 7): rectifications with an extension,
//! follow-up and verified completion (000 §31 ¶2, 002 §15–17); the recurrence flag for the same
//! officer and category (000 §31 ¶2); a unit's risk point with its warning (002 §17, 003); the
//! officer's result-use page (000 §30, 003); the retained-lawyer warning (001 §26).

mod common;

use axum::http::StatusCode;
use common::{org, person, Client, Target, Who};
use lvzhi_server::App;
use lvzhi_store::ExpertRecord;

/// 阿拉善盟公安局 (meng) › 阿拉善左旗公安局 (zq) › 巴彦浩特派出所 (bh); each bureau with a 维权办.
async fn directory(app: &App) {
    common::add_orgs(
        app,
        &[
            org("meng", None, "阿拉善盟公安局", "police"),
            org("zq", Some("meng"), "阿拉善左旗公安局", "police"),
            org("bh", Some("zq"), "巴彦浩特派出所", "police"),
        ],
    )
    .await;
    for (id, name, at, grants) in [
        ("admin", "管理员", "meng", &[("administrator", "meng")][..]),
        ("meng-office", "杨帆", "meng", &[("office", "meng")][..]),
        ("zq-office", "赵敏", "zq", &[("office", "zq")][..]),
        ("zq-director", "李振华", "zq", &[("director", "zq")][..]),
        ("zq-hr", "周静", "zq", &[("unit", "zq")][..]),
        ("bh-unit", "刘建国", "bh", &[("unit", "bh")][..]),
        ("zhang", "张伟", "bh", &[("officer", "bh")][..]),
        ("wang", "王强", "bh", &[("officer", "bh")][..]),
    ] {
        common::add_person(app, &person(id, name, at, "", None), grants).await;
        common::add_session(app, id).await;
    }
    app.reload_directory().await.expect("directory");
}

fn client(app: &App, id: &str) -> Client {
    Client::new(&Target::in_process(app), Who::session_of(id))
}

fn lawyer(id: &str, retained_by: &str, active: bool) -> ExpertRecord {
    ExpertRecord {
        id: id.into(),
        name: format!("{id} 律师"),
        category: "legal_expert".into(),
        affiliation: "某律师事务所".into(),
        eligibility: serde_json::json!({}),
        person_id: None,
        note: String::new(),
        active,
        retained_by: Some(retained_by.into()),
    }
}

/// 001 §26: an agency (a 公安机关 with a 维权办) retaining fewer than two lawyers is warned on
/// the organisation page and in its office's inbox; a station without a 维权办 is not an agency;
/// inactive lawyers do not count; registering a second lawyer clears the warning.
#[tokio::test]
async fn s26_001_an_agency_with_fewer_than_two_retained_lawyers_is_warned() {
    let env = common::fresh(common::today()).await;
    let app = &env.app;
    directory(app).await;
    for e in [
        lawyer("l1", "meng", true),
        lawyer("l2", "meng", true),
        lawyer("l3", "zq", true),
        lawyer("l4", "zq", false),
    ] {
        app.store().put_expert(common::SETUP, &e).await.expect("expert");
    }
    let warning = "聘请律师不足";
    let admin = client(app, "admin");
    let orgs = admin.get("/admin/orgs").await;
    assert_eq!(orgs.status, StatusCode::OK);
    assert!(orgs.body.contains(warning), "{}", orgs.body);
    assert!(orgs.body.contains("各级公安机关聘请律师不少于2人（001 §26）"));
    assert!(orgs.body.contains("阿拉善左旗公安局目前聘请 1 人"));
    assert!(!orgs.body.contains("阿拉善盟公安局目前聘请"));
    assert!(!orgs.body.contains("巴彦浩特派出所目前聘请"));

    let zq = client(app, "zq-office").get("/").await;
    assert_eq!(zq.status, StatusCode::OK);
    assert!(zq.body.contains("阿拉善左旗公安局目前聘请 1 人"), "{}", zq.body);
    let meng = client(app, "meng-office").get("/").await;
    assert!(!meng.body.contains(warning));
    // Not the office: no compliance warning in an officer's inbox.
    assert!(!client(app, "zhang").get("/").await.body.contains(warning));

    // A lawyer must be of the lawyers' category: refused, nothing written.
    let refused = admin
        .post(
            "/admin/experts",
            &[
                ("name", "钱律师"),
                ("category", "other"),
                ("affiliation", "某律师事务所"),
                ("retained_by", "zq"),
                ("active", "1"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused
        .body
        .contains("聘请律师应当归入“法学专家、知名律师、相关领域专业人员”类别（001 §26）"));
    assert_eq!(app.store().experts().await.expect("experts").len(), 4);
    let added = admin
        .post(
            "/admin/experts",
            &[
                ("name", "钱律师"),
                ("category", "legal_expert"),
                ("affiliation", "某律师事务所"),
                ("retained_by", "zq"),
                ("active", "1"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let list = admin.get("/admin/experts").await;
    assert!(list.body.contains("钱律师"));
    assert!(!admin.get("/admin/orgs").await.body.contains(warning));
    assert!(!client(app, "zq-office").get("/").await.body.contains(warning));
}
