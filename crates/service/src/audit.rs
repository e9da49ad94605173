//! The evidence store held against the record (issue 19): every evidence record has its file
//! and was uploaded to its case by the person who recorded it; every sealed notice has its
//! archived PDF; and what the store holds that no record names — the file of an upload whose
//! command was refused, a notice typeset for an append that was killed — is listed.
//!
//! Records made before upload receipts existed have none. Among them, a digest first recorded
//! on another case is the mark of issue 19's attack (a digest seen there, recorded here to read
//! the file): those are findings. The others cannot be told from honest uploads and are
//! counted, not flagged.

use std::collections::{BTreeMap, BTreeSet};

use lvzhi_store::{EvidenceStore, Store, StoreError, StoredEvent};
use serde::Serialize;

/// One evidence record the audit speaks of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceRecord {
    /// The case it is recorded on.
    pub case_id: String,
    /// The event's place in the chain.
    pub seq: i64,
    /// The file's SM3 digest, as recorded.
    pub sm3: String,
    /// The file's name, as recorded.
    pub file_name: String,
    /// Who recorded it.
    pub person_id: String,
    /// For a record without its uploader's receipt: the case the digest was recorded on first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_case: Option<String>,
}

/// An archived notice: case, number, SM3.
pub type ArchivedNotice = (String, usize, String);

/// What the evidence audit found: the counts, and each record or notice that does not match.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EvidenceAudit {
    /// Evidence records, files in the store, sealed notices, notices in the archive.
    pub records: usize,
    /// Files in the evidence store.
    pub files: usize,
    /// Sealed notices in the record.
    pub seals: usize,
    /// Notices in the archive.
    pub archived: usize,
    /// Recorded, but the file is not in the store or no longer has its digest.
    pub missing_files: Vec<EvidenceRecord>,
    /// Recorded without an upload of that file to that case by that person, the digest having
    /// been recorded on another case first.
    pub not_uploaded_here: Vec<EvidenceRecord>,
    /// Records from before upload receipts, first of their digest: not verifiable, not suspect.
    pub unverifiable: usize,
    /// Sealed, but the archived PDF is missing.
    pub missing_notices: Vec<ArchivedNotice>,
    /// Files in the store that no evidence record names.
    pub orphan_files: Vec<String>,
    /// Archived PDFs that no seal names.
    pub orphan_notices: Vec<ArchivedNotice>,
}

impl EvidenceAudit {
    /// Whether something recorded is missing or suspect (orphans are housekeeping).
    pub fn has_findings(&self) -> bool {
        !(self.missing_files.is_empty()
            && self.not_uploaded_here.is_empty()
            && self.missing_notices.is_empty())
    }
}

fn payload(e: &StoredEvent) -> Option<serde_json::Value> {
    serde_json::from_str(&e.payload).ok()
}

/// Audits `archive` (evidence files and sealed notices) against the record in `store`.
pub async fn audit_evidence(
    store: &Store,
    archive: &EvidenceStore,
) -> Result<EvidenceAudit, StoreError> {
    let mut out = EvidenceAudit::default();
    let inventory = archive.inventory().await?;
    out.files = inventory.evidence.len();
    out.archived = inventory.documents.len();
    let receipts: BTreeSet<(String, String, String)> = store
        .evidence_uploads()
        .await?
        .into_iter()
        .map(|r| (r.case_id, r.person_id, r.sm3))
        .collect();
    let stored: BTreeSet<&String> = inventory.evidence.iter().collect();
    let mut first_case: BTreeMap<String, String> = BTreeMap::new();
    let mut named: BTreeSet<String> = BTreeSet::new();
    for e in store.events_of_kind("evidence_added").await? {
        let Some(p) = payload(&e) else { continue };
        let ev = &p["kind"]["evidence"];
        let (Some(sm3), file_name) = (ev["sm3"].as_str(), ev["file_name"].as_str()) else {
            continue;
        };
        out.records += 1;
        named.insert(sm3.to_string());
        let first = first_case
            .entry(sm3.to_string())
            .or_insert_with(|| e.case_id.clone())
            .clone();
        let mut record = EvidenceRecord {
            case_id: e.case_id.clone(),
            seq: e.seq,
            sm3: sm3.to_string(),
            file_name: file_name.unwrap_or_default().to_string(),
            person_id: e.actor.clone(),
            first_case: None,
        };
        let intact = stored.contains(&record.sm3) && archive.get(&record.sm3).await.is_ok();
        if !intact {
            out.missing_files.push(record.clone());
        }
        let receipt = (e.case_id.clone(), e.actor.clone(), sm3.to_string());
        if !receipts.contains(&receipt) {
            if first != e.case_id {
                record.first_case = Some(first);
                out.not_uploaded_here.push(record);
            } else {
                out.unverifiable += 1;
            }
        }
    }
    out.orphan_files = inventory
        .evidence
        .iter()
        .filter(|d| !named.contains(*d))
        .cloned()
        .collect();
    let mut seals: BTreeSet<ArchivedNotice> = BTreeSet::new();
    for e in store.events_of_kind("document_sealed").await? {
        let Some(p) = payload(&e) else { continue };
        let k = &p["kind"];
        if let (Some(n), Some(sm3)) = (k["document"].as_u64(), k["sm3"].as_str()) {
            seals.insert((e.case_id.clone(), n as usize, sm3.to_string()));
        }
    }
    out.seals = seals.len();
    let archived: BTreeSet<&ArchivedNotice> = inventory.documents.iter().collect();
    out.missing_notices = seals
        .iter()
        .filter(|s| !archived.contains(s))
        .cloned()
        .collect();
    out.orphan_notices = inventory
        .documents
        .iter()
        .filter(|d| !seals.contains(*d))
        .cloned()
        .collect();
    Ok(out)
}
