//! Sealing issued notices (issue 6): the PDF of every notice a command issues is rendered before
//! the append, archived, and its SM3 recorded in the same append right after the event that
//! issued it; a notice that cannot be rendered is still issued, unsealed. The renderer here is a
//! stand-in (the server's typesets with typst): the service only needs bytes, pages and fonts.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use lvzhi_calendar::{Calendar, Period};
use lvzhi_service::{unsealed_documents, RenderPdf, RenderedPdf, Service};
use lvzhi_store::{sm3_hex, EvidenceStore, Store};
use lvzhi_workflow::{Actor, Command, Document, EventKind, Role};

fn periods() -> lvzhi_service::PackPeriods {
    let values = [
        ("acceptance", "7wd"),
        ("opinion", "30wd"),
        ("extension_1", "15wd"),
        ("extension_2", "15wd"),
        ("reconsideration_apply", "10wd"),
        ("reconsideration_reply", "15wd"),
        ("re_review_apply", "10wd"),
        ("re_review_reply", "30wd"),
        ("publicity", "5d"),
    ];
    let map: BTreeMap<String, Period> = values
        .iter()
        .map(|(k, v)| (k.to_string(), v.parse().unwrap()))
        .collect();
    Service::periods_from(&map).unwrap()
}

/// A stand-in PDF: the title and text as bytes. `fail` makes it refuse, as the real one does
/// without a CJK font.
fn renderer(fail: Arc<AtomicBool>) -> Arc<RenderPdf> {
    Arc::new(move |d: &Document| {
        if fail.load(Ordering::SeqCst) {
            return Err("未找到可用的中文字体".to_string());
        }
        Ok(RenderedPdf {
            pdf: format!("%PDF {}\n{}", d.title, d.text).into_bytes(),
            pages: 1,
            fonts: vec!["Noto Serif CJK SC".to_string()],
        })
    })
}

struct Env {
    _dir: tempfile::TempDir,
    service: Service,
    archive: EvidenceStore,
    fail: Arc<AtomicBool>,
}

async fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("seal.db").display());
    let archive = EvidenceStore::new(dir.path().join("evidence"));
    let fail = Arc::new(AtomicBool::new(false));
    let service = Service::new(
        Store::open(&url).await.unwrap(),
        Calendar::embedded(),
        periods(),
    )
    .with_regulations(common::regulations())
    .with_sealing(renderer(fail.clone()), archive.clone());
    Env {
        _dir: dir,
        service,
        archive,
        fail,
    }
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn file_command() -> (Actor, Command) {
    let v: serde_json::Value = serde_json::from_str(include_str!("fixtures/file.json")).unwrap();
    (
        serde_json::from_value(v["actor"].clone()).unwrap(),
        serde_json::from_value(v["command"].clone()).unwrap(),
    )
}

fn office() -> Actor {
    Actor::new("o-wang", &[Role::Office], "org-zuoqi")
}

#[tokio::test]
async fn issue6_000_s13_the_acceptance_notice_is_sealed_in_the_same_append() {
    let e = env().await;
    let (officer, file) = file_command();
    let now = Utc.with_ymd_and_hms(2024, 9, 27, 2, 0, 0).unwrap();
    let (id, _) = e
        .service
        .create(None, &officer, &file, d("2024-09-27"), now)
        .await
        .unwrap();
    e.service
        .act(
            &id,
            Some(1),
            &office(),
            &Command::Register,
            d("2024-09-30"),
            now,
        )
        .await
        .unwrap();
    let (version, events) = e
        .service
        .act(
            &id,
            Some(2),
            &office(),
            &Command::Accept,
            d("2024-10-08"),
            now,
        )
        .await
        .unwrap();
    // The notice and its seal, one append: the case moved by two versions.
    assert_eq!(version, 4);
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].kind.id(), "accepted");
    let EventKind::DocumentSealed { seal } = &events[1].kind else {
        panic!("no seal after the notice: {events:?}");
    };
    assert_eq!(events[1].by, events[0].by, "sealed by whoever issued it");
    assert_eq!(events[1].on, events[0].on);
    let notice = events[0].kind.document().unwrap();
    assert_eq!(
        (seal.document, seal.title.as_str()),
        (1, notice.title.as_str())
    );
    assert!(unsealed_documents(&events, 1).is_empty());

    // The digest is of the bytes archived, and they are the notice's.
    let pdf = e.archive.get_document(&id, 1, &seal.sm3).await.unwrap();
    assert_eq!(sm3_hex(&pdf), seal.sm3);
    assert_eq!(seal.bytes, pdf.len() as u64);
    assert!(String::from_utf8_lossy(&pdf).contains(&notice.title));

    // The trail shows it; the stage is the acceptance's; the chain verifies.
    let view = e.service.view(&id, d("2024-10-08")).await.unwrap();
    assert_eq!(view.stage, "under_review");
    assert_eq!(view.seals.len(), 1);
    let last = view.timeline.last().unwrap();
    assert_eq!(last.kind, "document_sealed");
    assert!(
        last.description
            .contains(&format!("文书定稿（{}）", notice.title)),
        "{}",
        last.description
    );
    assert_eq!(e.service.store().verify().await.unwrap().problem, None);
}

#[tokio::test]
async fn issue6_a_notice_that_cannot_be_rendered_is_still_issued_unsealed() {
    let e = env().await;
    let (officer, file) = file_command();
    let now = Utc.with_ymd_and_hms(2024, 9, 27, 2, 0, 0).unwrap();
    let (id, _) = e
        .service
        .create(Some("A-NOFONT"), &officer, &file, d("2024-09-27"), now)
        .await
        .unwrap();
    e.service
        .act(
            &id,
            None,
            &office(),
            &Command::Register,
            d("2024-09-30"),
            now,
        )
        .await
        .unwrap();
    e.fail.store(true, Ordering::SeqCst);
    let (version, events) = e
        .service
        .act(&id, None, &office(), &Command::Accept, d("2024-10-08"), now)
        .await
        .unwrap();
    assert_eq!(version, 3, "accepted, no seal");
    let unsealed = unsealed_documents(&events, 1);
    assert_eq!(unsealed.len(), 1);
    assert_eq!(unsealed[0].0, 1);
    let view = e.service.view(&id, d("2024-10-08")).await.unwrap();
    assert_eq!(view.stage, "under_review");
    assert!(view.seals.is_empty());
    // On demand, the renderer is the service's.
    e.fail.store(false, Ordering::SeqCst);
    let fresh = e
        .service
        .render_document(&view.documents[0])
        .await
        .unwrap()
        .unwrap();
    assert!(String::from_utf8_lossy(&fresh.pdf).contains(&view.documents[0].title));
}

#[tokio::test]
async fn issue6_000_s12_s13_ex_officio_and_deemed_acceptance_notices_are_sealed_too() {
    let e = env().await;
    let (_, file) = file_command();
    let Command::File { form, .. } = file else {
        panic!("fixture is a file command")
    };
    let now = Utc.with_ymd_and_hms(2024, 9, 27, 2, 0, 0).unwrap();
    // 000 §12 ¶2: opened by the office, its notice numbered 1 in the new case.
    let (ex, v) = e
        .service
        .create(
            None,
            &office(),
            &Command::OpenExOfficio {
                form: form.clone(),
                grounds: "信访举报反映的线索".into(),
            },
            d("2024-09-27"),
            now,
        )
        .await
        .unwrap();
    assert_eq!(v, 2);
    let view = e.service.view(&ex, d("2024-09-27")).await.unwrap();
    assert_eq!(view.seals.len(), 1);
    assert_eq!(view.seals[0].document, 1);
    assert!(e
        .archive
        .get_document(&ex, 1, &view.seals[0].sm3)
        .await
        .is_ok());

    // 000 §13: the scheduler's 视为受理 carries a notice, sealed by the system.
    let (officer, file) = file_command();
    let (id, _) = e
        .service
        .create(None, &officer, &file, d("2024-09-27"), now)
        .await
        .unwrap();
    let t = Utc.with_ymd_and_hms(2024, 10, 13, 0, 5, 0).unwrap();
    assert_eq!(
        e.service.tick(d("2024-10-13"), t, "a").await.unwrap(),
        vec![id.clone()]
    );
    let view = e.service.view(&id, d("2024-10-13")).await.unwrap();
    let kinds: Vec<&str> = view.timeline.iter().map(|t| t.kind.as_str()).collect();
    assert_eq!(kinds, ["filed", "deemed_accepted", "document_sealed"]);
    assert_eq!(view.timeline[2].role, "system");
    assert_eq!(view.seals[0].title, view.documents[0].title);
    assert_eq!(e.service.store().verify().await.unwrap().problem, None);
}

#[tokio::test]
async fn issue6_without_sealing_nothing_is_rendered_or_sealed() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("plain.db").display());
    let service = Service::new(
        Store::open(&url).await.unwrap(),
        Calendar::embedded(),
        periods(),
    )
    .with_regulations(common::regulations());
    assert!(!service.seals_documents());
    let (officer, file) = file_command();
    let now = Utc.with_ymd_and_hms(2024, 9, 27, 2, 0, 0).unwrap();
    let (id, _) = service
        .create(None, &officer, &file, d("2024-09-27"), now)
        .await
        .unwrap();
    service
        .act(
            &id,
            None,
            &office(),
            &Command::Register,
            d("2024-09-30"),
            now,
        )
        .await
        .unwrap();
    let (v, events) = service
        .act(&id, None, &office(), &Command::Accept, d("2024-10-08"), now)
        .await
        .unwrap();
    assert_eq!((v, events.len()), (3, 1));
    let view = service.view(&id, d("2024-10-08")).await.unwrap();
    assert!(service.render_document(&view.documents[0]).await.is_none());
}

/// Issue 19 item 5: in each of 50 accept-vs-reject races the loser's notice PDF stayed under
/// `documents/<case>/` (a 受理通知书 beside the recorded 不予受理通知书), in every backup and
/// every S3 listing, contradicting the record. Now the archive holds exactly the notices the
/// record seals.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn issue19_a_lost_race_leaves_no_notice_in_the_archive() {
    let e = env().await;
    let (officer, file) = file_command();
    let now = Utc.with_ymd_and_hms(2024, 9, 27, 2, 0, 0).unwrap();
    let service = Arc::new(e.service);
    let mut recorded = Vec::new();
    let mut wins = BTreeMap::new();
    for _ in 0..50 {
        let (id, _) = service
            .create(None, &officer, &file, d("2024-09-27"), now)
            .await
            .unwrap();
        service
            .act(
                &id,
                Some(1),
                &office(),
                &Command::Register,
                d("2024-09-30"),
                now,
            )
            .await
            .unwrap();
        let race = |command: Command| {
            let (service, id) = (service.clone(), id.clone());
            tokio::spawn(async move {
                service
                    .act(&id, Some(2), &office(), &command, d("2024-10-08"), now)
                    .await
            })
        };
        let accept = race(Command::Accept);
        let reject = race(Command::Reject {
            reasons: "申请事项不属于本级维权委受理范围".to_string(),
        });
        let (a, r) = (accept.await.unwrap(), reject.await.unwrap());
        assert!(a.is_ok() != r.is_ok(), "exactly one wins: {a:?} {r:?}");
        *wins
            .entry(if a.is_ok() { "accept" } else { "reject" })
            .or_insert(0) += 1;
        let loaded = service.load(&id).await.unwrap();
        for ev in &loaded.events {
            if let EventKind::DocumentSealed { seal } = &ev.kind {
                recorded.push((id.clone(), seal.document, seal.sm3.clone()));
            }
        }
    }
    recorded.sort();
    let inventory = e.archive.inventory().await.unwrap();
    assert_eq!(recorded.len(), 50, "one sealed notice per case");
    assert_eq!(
        inventory.documents, recorded,
        "the archive holds exactly the recorded notices ({wins:?})"
    );
}

fn add_evidence(sm3: &str, name: &str) -> Command {
    Command::AddEvidence {
        evidence: lvzhi_workflow::Evidence {
            sm3: sm3.to_string(),
            file_name: name.to_string(),
            description: String::new(),
        },
    }
}

/// Issue 19 item 1: `add_evidence` records a file only with its uploader's receipt for the case;
/// and the evidence audit finds what the attack left in records made before (here through the
/// paper-era import, which decides without receipts): a digest first recorded on another
/// case, a file that was never uploaded, and the store's orphans.
#[tokio::test]
async fn issue19_evidence_needs_its_upload_and_the_audit_finds_what_does_not() {
    let e = env().await;
    let (officer, file) = file_command();
    let now = Utc.with_ymd_and_hms(2024, 9, 27, 2, 0, 0).unwrap();
    let (a, _) = e
        .service
        .create(None, &officer, &file, d("2024-09-27"), now)
        .await
        .unwrap();
    let bytes = "询问笔录：当事人陈述".as_bytes();
    let stored = e.archive.put(bytes).await.unwrap();
    // Without a receipt: refused, in Chinese, nothing recorded.
    let refused = e
        .service
        .act(
            &a,
            Some(1),
            &officer,
            &add_evidence(&stored.digest, "笔录.txt"),
            d("2024-09-28"),
            now,
        )
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("仅凭摘要不能登记"),
        "{refused}"
    );
    // Another person's receipt for the same case is not this person's.
    e.service
        .store()
        .record_evidence_upload(&a, "o-wang", &stored.digest, now)
        .await
        .unwrap();
    assert!(e
        .service
        .act(
            &a,
            Some(1),
            &officer,
            &add_evidence(&stored.digest, "笔录.txt"),
            d("2024-09-28"),
            now
        )
        .await
        .is_err());
    e.service
        .store()
        .record_evidence_upload(&a, &officer.person_id, &stored.digest, now)
        .await
        .unwrap();
    e.service
        .act(
            &a,
            Some(1),
            &officer,
            &add_evidence(&stored.digest, "笔录.txt"),
            d("2024-09-28"),
            now,
        )
        .await
        .expect("with the uploader's receipt");
    // Records without receipts, as before the fix: B names A's digest; C a digest never stored.
    let never = "0f".repeat(32);
    // By the applicant himself: a receipt is for one case, and B's has none.
    let other = officer.clone();
    let cases = vec![
        (
            "A2024-000902".to_string(),
            vec![
                (other.clone(), file.clone(), d("2024-09-29")),
                (
                    other.clone(),
                    add_evidence(&stored.digest, "x.txt"),
                    d("2024-09-29"),
                ),
            ],
        ),
        (
            "A2024-000903".to_string(),
            vec![
                (other.clone(), file.clone(), d("2024-09-29")),
                (
                    other.clone(),
                    add_evidence(&never, "y.txt"),
                    d("2024-09-29"),
                ),
            ],
        ),
    ];
    e.service.import_batch(&cases, now).await.unwrap();
    let orphan = e
        .archive
        .put(b"an upload whose command was refused")
        .await
        .unwrap();
    e.archive
        .put_document("A2024-000904", 1, b"%PDF a notice of a killed append")
        .await
        .unwrap();

    let audit = lvzhi_service::audit::audit_evidence(e.service.store(), &e.archive)
        .await
        .unwrap();
    assert_eq!(audit.records, 3);
    assert!(audit.has_findings());
    let suspect: Vec<_> = audit
        .not_uploaded_here
        .iter()
        .map(|r| r.case_id.as_str())
        .collect();
    assert_eq!(suspect, ["A2024-000902"]);
    assert_eq!(
        audit.not_uploaded_here[0].first_case.as_deref(),
        Some(a.as_str())
    );
    let missing: Vec<_> = audit.missing_files.iter().map(|r| r.sm3.as_str()).collect();
    assert_eq!(missing, [never.as_str()]);
    assert_eq!(
        audit.unverifiable, 1,
        "C's own first record cannot be told from an upload"
    );
    assert_eq!(audit.orphan_files, [orphan.digest]);
    assert_eq!(audit.orphan_notices.len(), 1);
    assert_eq!(audit.orphan_notices[0].0, "A2024-000904");
}
