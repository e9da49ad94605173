//! The process tests' world: the application on a directory of their own (or the demo's), each
//! person with an API token (`token-{id}`) and a browser session ([`super::Who::session_of`]),
//! and the API calls those tests make again and again: opening a case of a process, reading its
//! detail, and acting on it at the version a reader sees.

use chrono::NaiveDate;
use lvzhi_server::App;
use lvzhi_store::OrgRecord;
use serde_json::{json, Value};

use super::{org, Client, Reply, Target, Who};

/// The organisations of the process tests, as the demo has them.
pub(crate) const GAT: &str = "nmg-gat";
pub(crate) const MENG: &str = "als-gaj";
pub(crate) const ZQ: &str = "alszq-gaj";
pub(crate) const BH: &str = "alszq-bhht";
pub(crate) const YQ: &str = "alsyq-gaj";

/// 内蒙古自治区公安厅 → 阿拉善盟公安局 → 阿拉善左旗公安局 → 巴彦浩特派出所, and 阿拉善右旗公安局
/// beside the 左旗 (another banner's officers, outside the case), parents first.
pub(crate) fn three_levels() -> Vec<OrgRecord> {
    vec![
        org(GAT, None, "内蒙古自治区公安厅", "police"),
        org(MENG, Some(GAT), "阿拉善盟公安局", "police"),
        org(ZQ, Some(MENG), "阿拉善左旗公安局", "police"),
        org(BH, Some(ZQ), "巴彦浩特派出所", "police"),
        org(YQ, Some(MENG), "阿拉善右旗公安局", "police"),
    ]
}

/// A person of the directory: id, name, organisation and role grants as (role, organisation).
pub(crate) type Account = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

pub(crate) struct World {
    pub app: App,
    pub target: Target,
    /// Whose reads of a case give the version [`World::act`] sends: someone who sees every
    /// case of the test.
    reader: String,
    _dir: tempfile::TempDir,
}

impl World {
    /// A fresh application on `today` with the organisations (parents first) and the people
    /// (titled 民警), the directory reloaded.
    pub(crate) async fn new(
        today: NaiveDate,
        orgs: &[OrgRecord],
        people: &[Account],
        reader: &str,
    ) -> World {
        let t = super::fresh(today).await;
        super::add_orgs(&t.app, orgs).await;
        for (id, name, org, grants) in people {
            super::add_person(&t.app, &super::person(id, name, org, "民警", None), grants).await;
        }
        let ids: Vec<&str> = people.iter().map(|p| p.0).collect();
        Self::with(t.app, t.dir, &ids, reader).await
    }

    /// The demo application on `TODAY`, with tokens and sessions for the demo people `ids`.
    pub(crate) async fn demo(ids: &[&str], reader: &str) -> World {
        let dir = tempfile::tempdir().expect("temp dir");
        let app = super::demo_app(dir.path()).await;
        Self::with(app, dir, ids, reader).await
    }

    async fn with(app: App, dir: tempfile::TempDir, ids: &[&str], reader: &str) -> World {
        for id in ids {
            super::add_token(&app, &format!("t-{id}"), &format!("token-{id}"), id).await;
            super::add_session(&app, id).await;
        }
        app.reload_directory().await.expect("directory reloads");
        World {
            target: Target::in_process(&app),
            app,
            reader: reader.to_string(),
            _dir: dir,
        }
    }

    /// The API as `person` (their token).
    pub(crate) fn api(&self, person: &str) -> Client {
        Client::new(&self.target, Who::bearer(&format!("token-{person}")))
    }

    /// The pages as `person` (their session).
    pub(crate) fn pages(&self, person: &str) -> Client {
        Client::new(&self.target, Who::session_of(person))
    }

    /// `POST /api/v1/cases` with `body` (`{"kind", "command"}`) as `who`.
    pub(crate) async fn create(&self, who: &str, body: &Value) -> Reply {
        self.api(who).post_json("/api/v1/cases", body).await
    }

    /// Opens a case as `who`; its id.
    pub(crate) async fn open(&self, who: &str, body: &Value) -> String {
        let r = self.create(who, body).await;
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()["case_id"].as_str().expect("case id").to_string()
    }

    /// The case's detail as `who` sees it (`GET /api/v1/cases/{id}`), which must be allowed.
    pub(crate) async fn detail(&self, who: &str, id: &str) -> Value {
        let r = self.api(who).get(&format!("/api/v1/cases/{id}")).await;
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()
    }

    /// `POST /api/v1/cases/{id}/act` as `who`, at the version the reader sees now.
    pub(crate) async fn act(&self, who: &str, id: &str, command: Value) -> Reply {
        let version = self.detail(&self.reader, id).await["version"].as_i64();
        self.api(who)
            .post_json(
                &format!("/api/v1/cases/{id}/act"),
                &json!({ "expected_version": version, "command": command }),
            )
            .await
    }
}

/// Posts an action's form as the page does, with the version the form was drawn at.
pub(crate) async fn post_form(
    client: &Client,
    id: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> Reply {
    let form = client.get(&format!("/cases/{id}/act/{action}")).await;
    assert_eq!(form.status, 200, "{action}: {}", form.body);
    let version = super::attr(&form.body, "name=\"expected_version\" value=\"").expect("version");
    let mut all = vec![("expected_version", version.as_str())];
    all.extend_from_slice(fields);
    client
        .post(&format!("/cases/{id}/act/{action}"), &all)
        .await
}
