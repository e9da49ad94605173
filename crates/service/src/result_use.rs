//! Result use (结果运用, 000 §30, 003 §7, 002 §14): an officer's protected determinations
//! gathered from the record — the applications naming them as applicant, the rectifications and
//! 容错免责认定 cases about them — and
//! handed to `lvzhi_processes::result_use`, which says what each must not affect.

use chrono::NaiveDate;
use lvzhi_processes::determination::{State as DeterminationState, ToleranceDetermination};
use lvzhi_processes::rectification::{Rectification, State as RectificationState};
use lvzhi_processes::result_use::{
    protected_by_determinations, protected_determinations, ApplicationRecord, DeterminationRecord,
    ProtectedDetermination, RectificationRecord,
};
use lvzhi_processes::{Governance, Process};
use lvzhi_workflow::{is_final, State};

use crate::{Service, ServiceError, APPLICATION};

/// How many cases of one officer are read (an officer with more is not a realistic record).
const MAX_CASES: i64 = 500;

impl Service {
    /// The officer's protected determinations and what each must not affect, today.
    pub async fn result_use(
        &self,
        officer_id: &str,
        today: NaiveDate,
    ) -> Result<Vec<ProtectedDetermination>, ServiceError> {
        let mut applications: Vec<(String, State, bool)> = Vec::new();
        for id in self
            .store
            .cases_linked("applicant", officer_id, MAX_CASES)
            .await?
        {
            if self.case_kind(&id).await?.as_deref() != Some(APPLICATION) {
                continue;
            }
            let loaded = self.load(&id).await?;
            let fin = is_final(
                &loaded.state,
                today,
                &self.calendar,
                &self.application_periods_of(&loaded.state)?,
            )?;
            applications.push((id, loaded.state, fin));
        }
        let mut rectifications: Vec<(String, RectificationState, Option<Governance>)> = Vec::new();
        let mut determinations: Vec<(String, DeterminationState, Option<Governance>)> = Vec::new();
        for id in self
            .store
            .cases_linked("subject", officer_id, MAX_CASES)
            .await?
        {
            let kind = self.case_kind(&id).await?;
            let kind = kind.as_deref();
            if kind != Some(Rectification::KIND) && kind != Some(ToleranceDetermination::KIND) {
                continue;
            }
            let loaded = self.load_process(&id).await?;
            let corrupt = |e: serde_json::Error| ServiceError::CorruptEvent {
                case_id: id.clone(),
                version: loaded.version(),
                detail: e.to_string(),
            };
            let governance = loaded.case.governance().cloned();
            if kind == Some(Rectification::KIND) {
                let state: RectificationState =
                    serde_json::from_value(loaded.case.state_json()).map_err(corrupt)?;
                rectifications.push((id, state, governance));
            } else {
                let state: DeterminationState =
                    serde_json::from_value(loaded.case.state_json()).map_err(corrupt)?;
                determinations.push((id, state, governance));
            }
        }
        let apps: Vec<ApplicationRecord<'_>> = applications
            .iter()
            .map(|(id, state, fin)| ApplicationRecord {
                case_id: id,
                state,
                is_final: *fin,
            })
            .collect();
        let rects: Vec<RectificationRecord<'_>> = rectifications
            .iter()
            .map(|(id, s, g)| (id.as_str(), s, g.as_ref()))
            .collect();
        let dets: Vec<DeterminationRecord<'_>> = determinations
            .iter()
            .map(|(id, s, g)| (id.as_str(), s, g.as_ref()))
            .collect();
        let mut list = protected_determinations(officer_id, &apps, &rects);
        list.extend(protected_by_determinations(officer_id, &dets));
        Ok(list)
    }
}
