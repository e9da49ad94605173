//! 聘请律师 (001 §26 ¶2 "各级公安机关聘请律师不少于2人"): which agencies retain fewer than two
//! lawyers, shown as a compliance warning on the organisation page and in the inbox of their
//! 维权办.
//!
//! - An **agency** is an organisation of kind `police` (公安机关) that runs a 维权办 — someone
//!   holds the `office` role there (000 §10; 001 §26 ¶1 "维权办应根据需要聘用法律专业人士"). A
//!   police station or an internal department has no 维权办 and retains no lawyers of its own.
//! - A **retained lawyer** is an active member of the expert pool in the 法学专家、知名律师
//!   category whose 聘请单位 is that organisation (`ExpertRecord::retained_by`).

use std::collections::BTreeSet;

use serde::Serialize;

use crate::app::App;
use crate::auth::User;
use crate::error::AppError;

/// 001 §26 ¶2.
pub(crate) const MINIMUM: i64 = 2;

/// 聘请律师不足的机构（001 §26）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub(crate) struct Shortfall {
    /// 机构编号。
    pub org_id: String,
    /// 机构名称。
    pub org_name: String,
    /// 目前聘请的律师人数（专家库中在库、类别为法学专家、知名律师并登记为该机构聘请的人员）。
    pub retained: i64,
    /// 001 §26 要求的最少人数（2）。
    pub required: i64,
}

/// The agencies among those `include` admits that retain fewer than two lawyers, in the order
/// of the directory's ids.
pub(crate) async fn shortfalls(
    app: &App,
    include: impl Fn(&str) -> bool,
) -> Result<Vec<Shortfall>, AppError> {
    let dir = app.directory();
    let with_office: BTreeSet<&str> = dir
        .grants
        .values()
        .flatten()
        .filter(|g| g.role == "office")
        .map(|g| g.org_id.as_str())
        .collect();
    let agencies: Vec<_> = dir
        .orgs
        .values()
        .filter(|o| o.kind == "police" && with_office.contains(o.id.as_str()) && include(&o.id))
        .collect();
    if agencies.is_empty() {
        return Ok(Vec::new());
    }
    let counts = app.store().retained_lawyers().await?;
    Ok(agencies
        .into_iter()
        .filter_map(|o| {
            let retained = counts.get(&o.id).copied().unwrap_or(0);
            (retained < MINIMUM).then(|| Shortfall {
                org_id: o.id.clone(),
                org_name: o.name.clone(),
                retained,
                required: MINIMUM,
            })
        })
        .collect())
}

/// The shortfalls of the agencies whose 维权办 `user` works in (their inbox).
pub(crate) async fn of_office(app: &App, user: &User) -> Result<Vec<Shortfall>, AppError> {
    let orgs = user.orgs_with("office");
    if orgs.is_empty() {
        return Ok(Vec::new());
    }
    shortfalls(app, |id| orgs.iter().any(|o| o == id)).await
}

/// The shortfalls `user` is concerned with: the agencies of the organisations they administer
/// (the organisation page) and those whose 维权办 they work in (the inbox).
pub(crate) async fn visible(app: &App, user: &User) -> Result<Vec<Shortfall>, AppError> {
    let dir = app.directory();
    let admin = user.orgs_with("administrator");
    let office = user.orgs_with("office");
    if admin.is_empty() && office.is_empty() {
        return Ok(Vec::new());
    }
    shortfalls(app, |id| {
        office.iter().any(|o| o == id) || admin.iter().any(|a| dir.tree.is_within(id, a))
    })
    .await
}
