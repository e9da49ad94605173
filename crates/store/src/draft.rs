//! Drafts (issue 22 item 2): what a person has typed into a case's form but not yet recorded —
//! the answers of the 事实问询 — kept between visits. A draft is the person's own working copy:
//! outside the chain, it changes no case, and the page that records the answers deletes it.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::parse_time;
use crate::{format_at, Pool, Store, StoreError};

/// A person's draft of one form of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The form's content as its page keeps it (JSON).
    pub body: String,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
}

impl Store {
    /// Keeps `body` as `person_id`'s draft of `form` on `case_id`, replacing the last one.
    pub async fn put_draft(
        &self,
        case_id: &str,
        person_id: &str,
        form: &str,
        body: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let at = format_at(&at);
        execute!(
            self,
            "INSERT INTO drafts (case_id, person_id, form, body, updated_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (case_id, person_id, form) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
            [case_id, person_id, form, body, &at]
        );
        Ok(())
    }

    /// `person_id`'s draft of `form` on `case_id`, if any.
    pub async fn draft(
        &self,
        case_id: &str,
        person_id: &str,
        form: &str,
    ) -> Result<Option<Draft>, StoreError> {
        let row = fetch_opt!(
            self,
            "SELECT body, updated_at FROM drafts WHERE case_id = $1 AND person_id = $2 AND form = $3",
            [case_id, person_id, form],
            |r| Ok((r.try_get::<String, _>(0)?, r.try_get::<String, _>(1)?))
        )?;
        row.map(|(body, at)| {
            Ok(Draft {
                body,
                updated_at: parse_time(&at, "草稿保存时间")?,
            })
        })
        .transpose()
    }

    /// Deletes `person_id`'s draft of `form` on `case_id` (its answers were recorded, or given
    /// up); nothing when there is none.
    pub async fn delete_draft(
        &self,
        case_id: &str,
        person_id: &str,
        form: &str,
    ) -> Result<(), StoreError> {
        execute!(
            self,
            "DELETE FROM drafts WHERE case_id = $1 AND person_id = $2 AND form = $3",
            [case_id, person_id, form]
        );
        Ok(())
    }
}
