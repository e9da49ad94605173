//! The warning of agencies retaining fewer than two lawyers (001 §26 ¶2), as the organisation
//! page and the inbox of their 维权办 show it (the list: `crate::lawyers`).

use maud::{html, Markup};

pub(crate) use crate::lawyers::{shortfalls, Shortfall};

/// The warning box, or nothing when every agency complies; 001 §26 cited by the title of the
/// regulation as loaded.
pub(crate) fn warning(packs: &lvzhi_rules::PackSet, list: &[Shortfall]) -> Markup {
    html! {
        @if !list.is_empty() {
            div.notice.warning role="status" {
                strong { "聘请律师不足：" }
                "各级公安机关聘请律师不少于2人（" (packs.cite_in_text("001 §26")) "）。"
                @for (i, s) in list.iter().enumerate() {
                    @if i > 0 { "；" }
                    (s.org_name) "目前聘请 " (s.retained) " 人"
                }
                "。请在专家库中登记本单位聘请的律师（类别为“法学专家、知名律师、相关领域专业人员”，并选择聘请单位）。"
            }
        }
    }
}
