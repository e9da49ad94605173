//! Why a command was refused: one formal Chinese sentence, citing the article where there is one.

use lvzhi_calendar::CalendarError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    /// The actor lacks the role (or organisation) the step needs.
    #[error("无权{action}：应由{required}办理（{article}）")]
    Forbidden {
        action: String,
        required: String,
        article: String,
    },
    /// The step is not open in the case's present stage.
    #[error("案件当前处于“{stage}”阶段，不能{action}")]
    WrongStage { action: String, stage: String },
    /// A time limit has passed; `due` is the last day, written the Chinese way.
    #[error("{action}已超过期限：应于{due}前提出（{article}）")]
    Late {
        action: String,
        due: String,
        article: String,
    },
    /// Required content is missing or the request conflicts with a rule of the procedure.
    #[error("{message}（{article}）")]
    Refused { message: String, article: String },
    /// Malformed input (no article involved).
    #[error("{0}")]
    Invalid(String),
    /// The policy pack lacks procedural periods the workflow needs.
    #[error(
        "政策包缺少程序期间：{0}；请在政策包中以 [[period]] 条目补充（写明 id 与期间，如 7wd、5d）"
    )]
    MissingPeriods(String),
    #[error("期限计算失败：{0}")]
    Calendar(#[from] CalendarError),
}

/// A refusal of the governing regulation (`Regulation::step` when its pack lacks a procedure):
/// its Chinese sentence as the case's refusal.
impl From<lvzhi_case::ProcessError> for WorkflowError {
    fn from(e: lvzhi_case::ProcessError) -> Self {
        WorkflowError::Invalid(e.to_string())
    }
}

pub(crate) fn refused(message: impl Into<String>, article: &str) -> WorkflowError {
    WorkflowError::Refused {
        message: message.into(),
        article: article.to_string(),
    }
}
