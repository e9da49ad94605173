//! `lvzhi document …` and `lvzhi fonts` through the real binary (issue 6's contract): a case is
//! filed, accepted and decided with `lvzhi case` commands on a temporary SQLite database, and its
//! notices are rendered to PDF (read back with poppler's `pdftotext`) and DOCX.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use common::{ok, pdftotext};

use std::io::Read;
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

/// A failure: its exit code and its one Chinese sentence.
fn err(o: Output) -> (i32, String) {
    assert!(
        !o.status.success(),
        "unexpectedly succeeded: {}",
        String::from_utf8_lossy(&o.stdout)
    );
    let e = String::from_utf8(o.stderr).unwrap();
    assert!(!e.contains("panicked"), "{e}");
    assert!(e.starts_with("错误："), "{e}");
    (o.status.code().unwrap(), e)
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

const OFFICE: &str = r#"{"person_id":"o-wang","roles":["office"],"org_id":"org-zuoqi"}"#;
const PANEL: &str = r#"{"person_id":"pm-hu","roles":["panel_member"],"org_id":"org-zuoqi"}"#;
const DEPUTY: &str = r#"{"person_id":"dd-chen","roles":["deputy_director","committee_member"],"org_id":"org-zuoqi"}"#;

fn act(dir: &Path, actor: &str, today: &str, command: &str) {
    let req = format!(r#"{{"actor":{actor},"today":"{today}","command":{command}}}"#);
    let file = write(dir, "act.json", &req);
    ok(lvzhi(dir, &["case", "act", "A2024-000001", &file]));
}

/// Filed on 2024-09-27 and accepted on 2024-09-30 (000 §13): the acceptance notice.
fn accepted_case(dir: &Path) {
    let file = write(dir, "file.json", include_str!("fixtures/file.json"));
    ok(lvzhi(dir, &["case", "create", &file]));
    act(dir, OFFICE, "2024-09-30", r#"{"action":"register"}"#);
    act(dir, OFFICE, "2024-09-30", r#"{"action":"accept"}"#);
}

/// Then reviewed and decided (000 §14–16): the review opinion, issued on 2024-11-15.
fn decided_case(dir: &Path) {
    accepted_case(dir);
    act(
        dir,
        OFFICE,
        "2024-10-08",
        r#"{"action":"form_panel","members":[
            {"person_id":"pm-hu","name":"胡明","category":"legal"},
            {"person_id":"pm-ma","name":"马丽","category":"discipline"}]}"#,
    );
    act(
        dir,
        PANEL,
        "2024-10-21",
        r#"{"action":"record_hearing","summary":"当面听取张伟陈述和申辩"}"#,
    );
    act(
        dir,
        PANEL,
        "2024-11-12",
        r#"{"action":"draft_opinion","determination":{
            "outcome":"exemption","modality":"shall",
            "basis":"民警依法制止违法犯罪行为，所采取的措施未超出必要限度，事后及时送医救治",
            "articles":["000 §7(一)"],"original_decision_improper":true}}"#,
    );
    act(dir, DEPUTY, "2024-11-14", r#"{"action":"approve_opinion"}"#);
    act(dir, OFFICE, "2024-11-15", r#"{"action":"issue_opinion"}"#);
}

fn has_cjk_font(dir: &Path) -> bool {
    let v: serde_json::Value = serde_json::from_str(&ok(lvzhi(dir, &["fonts", "--json"]))).unwrap();
    v["cjk"].as_bool().unwrap()
}

#[test]
fn kinds_lists_every_kind_with_its_chinese_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = ok(lvzhi(d, &["document", "kinds"]));
    assert!(text.contains("review_opinion") && text.contains("审查论证意见书"));
    let v: serde_json::Value =
        serde_json::from_str(&ok(lvzhi(d, &["document", "kinds", "--json"]))).unwrap();
    let kinds = v.as_array().unwrap();
    assert!(kinds.len() >= 10);
    assert!(kinds
        .iter()
        .any(|k| k["id"] == "acceptance_notice" && k["name"] == "受理通知书"));
    assert!(kinds
        .iter()
        .all(|k| k["name"].as_str().is_some_and(|n| !n.is_empty())));
    // Bilingual help, like every command.
    let help = ok(lvzhi(d, &["document", "render", "--help"]));
    assert!(help.contains("用法 Usage") && help.contains("输出格式") && help.contains("Output"));
}

#[test]
fn s16_the_review_opinion_renders_to_pdf_and_docx_from_the_stored_case_000() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    decided_case(d);
    let db = format!("sqlite://{}", d.join("lvzhi.db").display());
    if !has_cjk_font(d) {
        println!("skipped: no Chinese font installed (apt-get install fonts-noto-cjk)");
        return;
    }
    let pdf = d.join("out").join("意见书.pdf");
    std::fs::create_dir_all(pdf.parent().unwrap()).unwrap();
    let said = ok(lvzhi(
        d,
        &[
            "document",
            "render",
            "--db",
            &db,
            "--case",
            "A2024-000001",
            "--kind",
            "review_opinion",
            "--format",
            "pdf",
            "--out",
            pdf.to_str().unwrap(),
        ],
    ));
    assert!(said.contains("审查论证意见书"), "{said}");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    // No temporary file left beside it.
    assert_eq!(std::fs::read_dir(pdf.parent().unwrap()).unwrap().count(), 1);
    match pdftotext(&pdf) {
        Some(text) => {
            for expected in [
                "免责容错审查论证意见书",
                "张伟同志",
                "应当依法履职免责",
                "第七条",
                "2024年11月15日",
                "第二十一条",
            ] {
                assert!(text.contains(expected), "lacks {expected}: {text}");
            }
        }
        None => println!("pdftotext missing (apt-get install poppler-utils): text not checked"),
    }

    // The same notice as DOCX, by its Chinese name, on the default database.
    let docx = d.join("意见书.docx");
    ok(lvzhi(
        d,
        &[
            "document",
            "render",
            "--case",
            "A2024-000001",
            "--kind",
            "审查论证意见书",
            "--format",
            "docx",
            "--out",
            docx.to_str().unwrap(),
        ],
    ));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&docx).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains("免责容错审查论证意见书") && xml.contains("应当依法履职免责"));
    assert!(xml.contains(r#"w:w="11906""#) && xml.contains(r#"w:top="2098""#));

    // The earlier notice of the same case, the acceptance notice (000 §13).
    let accepted = d.join("受理.pdf");
    ok(lvzhi(
        d,
        &[
            "document",
            "render",
            "--case",
            "A2024-000001",
            "--kind",
            "acceptance_notice",
            "--format",
            "pdf",
            "--out",
            accepted.to_str().unwrap(),
        ],
    ));
    if let Some(text) = pdftotext(&accepted) {
        assert!(
            text.contains("受理通知书") && text.contains("2024年9月30日"),
            "{text}"
        );
    }
}

#[test]
fn missing_documents_and_bad_arguments_are_refused_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    accepted_case(d);
    let out = d.join("x.pdf");
    let out = out.to_str().unwrap();
    let render = |kind: &str, format: &str, case: &str| {
        lvzhi(
            d,
            &[
                "document", "render", "--case", case, "--kind", kind, "--format", format, "--out",
                out,
            ],
        )
    };
    // Not issued yet: a clear sentence, exit 1, nothing written.
    let (code, e) = err(render("review_opinion", "pdf", "A2024-000001"));
    assert_eq!(code, 1);
    assert!(
        e.contains("A2024-000001") && e.contains("审查论证意见书") && e.contains("尚未出具"),
        "{e}"
    );
    let (code, e) = err(render("review_opinion", "pdf", "A-NONE"));
    assert_eq!(code, 1);
    assert!(e.contains("案件 A-NONE 不存在"), "{e}");
    assert!(!Path::new(out).exists());
    // Usage errors: exit 2.
    let (code, e) = err(render("opinion", "pdf", "A2024-000001"));
    assert_eq!(code, 2);
    assert!(
        e.contains("文书种类“opinion”无效") && e.contains("document kinds"),
        "{e}"
    );
    let (code, e) = err(render("review_opinion", "odt", "A2024-000001"));
    assert_eq!(code, 2);
    assert!(
        e.contains("odt") && e.contains("pdf") && e.contains("docx"),
        "{e}"
    );
    let (code, e) = err(lvzhi(d, &["document", "render", "--case", "A2024-000001"]));
    assert_eq!(code, 2);
    assert!(e.contains("缺少必需的参数"), "{e}");
    // An unwritable output path.
    let (code, e) = err(lvzhi(
        d,
        &[
            "document",
            "render",
            "--case",
            "A2024-000001",
            "--kind",
            "acceptance_notice",
            "--format",
            "docx",
            "--out",
            d.join("no-such-dir").join("x.docx").to_str().unwrap(),
        ],
    ));
    assert_eq!(code, 1);
    assert!(e.contains("无法写入") && e.contains("目录不存在"), "{e}");
    // A fonts directory that does not exist.
    let (code, e) = err(lvzhi(d, &["fonts", "--fonts", "/no/such/fonts"]));
    assert_eq!(code, 1);
    assert!(e.contains("字体目录") && e.contains("不存在"), "{e}");
}

#[test]
fn fonts_names_a_font_and_its_source_for_every_role() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = ok(lvzhi(d, &["fonts"]));
    for role in ["仿宋", "小标宋", "宋体", "黑体", "楷体"] {
        assert!(text.contains(&format!("{role}：")), "{role}: {text}");
    }
    let v: serde_json::Value = serde_json::from_str(&ok(lvzhi(d, &["fonts", "--json"]))).unwrap();
    let roles = v["roles"].as_array().unwrap();
    assert_eq!(roles.len(), 5);
    if v["cjk"] == true {
        for r in roles {
            assert!(r["family"].is_string(), "{r}");
            // The face lvzhi carries has no file (issue 22 item 13).
            assert!(r["path"].is_string() || v["carried"] == true, "{r}");
            assert!(r["docx_family"].is_string(), "{r}");
        }
    } else {
        println!("no Chinese font installed: only the report's shape is checked");
        assert!(text.contains("fonts-noto-cjk"), "{text}");
    }
    // A fonts directory given (empty here): named in the report, system fonts still used.
    let fonts = d.join("fonts");
    std::fs::create_dir_all(&fonts).unwrap();
    let v: serde_json::Value = serde_json::from_str(&ok(lvzhi(
        d,
        &["fonts", "--fonts", fonts.to_str().unwrap(), "--json"],
    )))
    .unwrap();
    assert_eq!(v["fonts_dir"], fonts.display().to_string());
    // DATA_DIR/fonts is the default when it exists, as for `lvzhi serve`.
    let v: serde_json::Value = serde_json::from_str(&ok(lvzhi(d, &["fonts", "--json"]))).unwrap();
    assert_eq!(v["fonts_dir"], fonts.display().to_string());
}
