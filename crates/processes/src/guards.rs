//! The guards the 执法过错 case and the heavy-sanction appeal share: a refusal citing its
//! article, the role a step needs, a required text.

use crate::{Actor, By, ProcessError, Role};

/// A refusal whose sentence ends with the article it rests on: "…（004 §9）".
pub(crate) fn refuse(message: impl Into<String>, article: &str) -> ProcessError {
    ProcessError::citing(format!("{}（{article}）", message.into()), article)
}

/// The first of `roles` the actor holds, as the one they act in, or a refusal naming them all
/// ("应由警务督察部门或者人事部门办理").
pub(crate) fn need(
    actor: &Actor,
    roles: &[Role],
    what: &str,
    article: &str,
) -> Result<By, ProcessError> {
    match roles.iter().find(|r| actor.has(**r)) {
        Some(role) => Ok(By {
            person_id: actor.person_id.clone(),
            role: *role,
        }),
        None => {
            let who: Vec<&str> = roles.iter().map(|r| r.zh()).collect();
            Err(refuse(
                format!("无权{what}：应由{}办理", who.join("或者")),
                article,
            ))
        }
    }
}

/// Refuses an empty (or blank) text: "{what}不能为空".
pub(crate) fn not_blank(v: &str, what: &str, article: &str) -> Result<(), ProcessError> {
    if v.trim().is_empty() {
        Err(refuse(format!("{what}不能为空"), article))
    } else {
        Ok(())
    }
}
