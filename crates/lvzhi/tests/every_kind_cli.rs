//! `lvzhi case show|act|list` and `lvzhi document render` on a case of each of the seven kinds
//! (issue 14): the CLI reads and acts on every process through the one engine. The database is
//! the golden record's demo (`crates/server/tests/golden/demo.db`), copied: it holds cases of
//! every kind in several stages, made by the seeding through the service.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use common::ok;

use std::path::Path;
use std::process::{Command, Output};

fn lvzhi(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lvzhi"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .expect("binary runs")
}

fn demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/tests/golden/demo.db");
    std::fs::copy(golden, dir.path().join("lvzhi.db")).unwrap();
    dir
}

fn request(
    dir: &Path,
    name: &str,
    actor: (&str, &str, &str),
    command: serde_json::Value,
) -> String {
    let (person, role, org) = actor;
    let req = serde_json::json!({
        "actor": { "person_id": person, "roles": [role], "org_id": org },
        "today": "2026-11-24",
        "command": command,
    });
    let p = dir.join(name);
    std::fs::write(&p, req.to_string()).unwrap();
    p.display().to_string()
}

const ZQ: &str = "alszq-gaj";

#[test]
fn every_kind_is_shown_acted_on_listed_and_rendered() {
    let dir = demo();
    let d = dir.path();
    // (case, its kind, a notice of it, an action on it with who takes it)
    #[allow(clippy::type_complexity)]
    let cases: [(
        &str,
        &str,
        Option<&str>,
        (&str, &str, &str),
        serde_json::Value,
    ); 7] = [
        (
            "A2026-000018",
            "application",
            None,
            ("p-zhaomin", "office", ZQ),
            serde_json::json!({ "action": "register" }),
        ),
        (
            "W2026-000001",
            "incident",
            Some("incident_report"),
            ("p-zhaomin", "office", ZQ),
            serde_json::json!({ "action": "incident_investigate",
                "findings": "已调取执法记录仪视频", "handling_unit": "阿拉善左旗公安局刑侦大队" }),
        ),
        (
            "Z2026-000002",
            "name_clearing",
            None,
            ("p-xam-zhangli", "office", "xam-gfdb"),
            serde_json::json!({ "action": "name_clearing_explain",
                "scope": "兴安盟国防动员办公室机关", "content": "经核查，举报反映的问题查无实据" }),
        ),
        (
            "J2026-000001",
            "rectification",
            Some("rectification_notice"),
            ("p-liuyang", "officer", "alszq-bhht"),
            serde_json::json!({ "action": "rectification_report_completion",
                "summary": "已参加执法规范化培训并完成自查" }),
        ),
        (
            "S2026-000002",
            "sanction_appeal",
            None,
            ("p-zhaomin", "office", ZQ),
            serde_json::json!({ "action": "sanction_appeal_recheck", "aspect": "facts",
                "proper": true, "finding": "事实清楚" }),
        ),
        (
            "F2026-000001",
            "enforcement_fault",
            Some("fault_determination"),
            ("p-zhouqiang", "inspectorate", ZQ),
            serde_json::json!({ "action": "enforcement_fault_answer_appeal", "name": "吴刚",
                "result": "upheld", "reasons": "原决定认定事实清楚，处理适当" }),
        ),
        (
            "R2026-000002",
            "determination",
            Some("determination_notice"),
            ("p-xam-zhangli", "office", "xam-gfdb"),
            serde_json::json!({ "action": "determination_notify", "units": [] }),
        ),
    ];
    for (i, (id, kind, notice, actor, command)) in cases.into_iter().enumerate() {
        let json: serde_json::Value =
            serde_json::from_str(&ok(lvzhi(d, &["case", "show", id, "--json"]))).unwrap();
        assert_eq!(json["kind"], kind);
        let kind_zh = lvzhi_processes::by_kind(kind).unwrap().name_zh();
        let shown = ok(lvzhi(d, &["case", "show", id, "--today", "2026-11-24"]));
        assert!(
            shown.starts_with(&format!("{id}（{kind_zh}，版本")),
            "{shown}"
        );
        assert!(shown.contains("状态："), "{shown}");
        assert!(!shown.contains("无法读取"), "{shown}");
        let version = json["version"].as_i64().unwrap();
        let file = request(d, &format!("act-{i}.json"), actor, command);
        let acted = ok(lvzhi(d, &["case", "act", id, &file]));
        assert!(
            acted.starts_with(&format!("已记录（案件 {id}，版本")),
            "{acted}"
        );
        let after: serde_json::Value =
            serde_json::from_str(&ok(lvzhi(d, &["case", "show", id, "--json"]))).unwrap();
        assert!(
            after["version"].as_i64().unwrap() > version,
            "{id} moved on"
        );
        let _ = notice;
    }
    // A notice of each kind, rendered from the record (DOCX: no fonts needed).
    for (id, kind, title) in [
        ("A2026-000001", "review_opinion", "免责容错审查论证意见书"),
        (
            "W2026-000001",
            "incident_report",
            "执法权威受到侵害案（事）件的报告",
        ),
        ("Z2026-000001", "name_clearing_notice", "正名通知书"),
        ("J2026-000001", "rectification_notice", "整改通知书"),
        ("S2026-000001", "sanction_review_opinion", "复核意见"),
        ("F2026-000001", "fault_determination", "执法过错责任认定书"),
        ("R2026-000003", "determination_notice", "容错认定结论告知书"),
    ] {
        let out = d.join(format!("{id}.docx"));
        let said = ok(lvzhi(
            d,
            &[
                "document",
                "render",
                "--case",
                id,
                "--kind",
                kind,
                "--format",
                "docx",
                "--out",
                &out.display().to_string(),
            ],
        ));
        assert!(said.starts_with("已输出"), "{said}");
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
            .unwrap();
        assert!(xml.contains(title), "{id} {kind}: {title} not in the DOCX");
    }
    let list: serde_json::Value =
        serde_json::from_str(&ok(lvzhi(d, &["case", "list", "--json"]))).unwrap();
    let kinds: std::collections::BTreeSet<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), 7, "{kinds:?}");
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|r| !r["state_zh"].as_str().unwrap().is_empty()));
    let text = ok(lvzhi(d, &["case", "list"]));
    assert!(
        text.contains("维权案（事）件（调查中）") && !text.contains("[investigating]"),
        "{text}"
    );
    assert!(ok(lvzhi(d, &["audit", "verify"])).contains("审计链完整"));
}
