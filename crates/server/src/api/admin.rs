//! Administration through the API: people, grants and API tokens. Every change needs the Cedar
//! `administer` permission on the organisation concerned (an administrator keeps the directory
//! of their organisation and below, never case decisions), is appended to the SM3 chain by the
//! store, and is followed by a reload of the directory the server reads on every request.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use lvzhi_store::PersonRecord;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::cases::{grants_view, GrantView};
use super::extract::{ApiJson, ApiPath, ApiQuery, ErrorBody};
use crate::access;
use crate::app::{App, Directory};
use crate::auth::{self, ApiUser, User};
use crate::error::AppError;
use crate::grants;

/// 人员（不含密码）。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub(super) struct PersonView {
    /// 人员编号。
    pub id: String,
    /// 姓名。
    pub name: String,
    /// 所属机构编号。
    pub org_id: String,
    /// 所属机构名称。
    pub org_name: String,
    /// 职务。
    pub title: String,
    /// 登录名。
    pub login: Option<String>,
    /// 下次登录时是否须修改密码。
    pub must_change_password: bool,
    /// 是否已停用（停用的人员不能登录，其接口令牌也不再有效）。
    pub disabled: bool,
    /// 所担任的角色。
    pub grants: Vec<GrantView>,
}

/// 人员名单。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub(super) struct PeopleView {
    /// 当前用户有权管理的人员，按编号排序。
    pub people: Vec<PersonView>,
}

/// 人员名单的筛选条件。
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct PeopleFilter {
    /// 只列出该机构及其下级机构的人员。
    pub org: Option<String>,
}

/// 新增或修改人员。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct PersonInput {
    /// 人员编号（字母、数字、连字符、下划线或点，1 至 64 个字符）；已存在时修改该人员。
    pub id: String,
    /// 姓名。
    pub name: String,
    /// 所属机构编号。
    pub org_id: String,
    /// 职务。
    #[serde(default)]
    pub title: String,
    /// 登录名（不设则该人员不能登录网页）。
    #[serde(default)]
    pub login: Option<String>,
    /// 初始密码或新密码（至少 10 个字符，同时包含字母和数字）；不填则不改变密码。
    #[serde(default)]
    pub password: Option<String>,
    /// 下次登录时是否须修改密码（缺省：设置了密码时为是，否则保持不变）。
    #[serde(default)]
    pub must_change_password: Option<bool>,
    /// 是否停用。
    #[serde(default)]
    pub disabled: bool,
}

/// 授予或收回的角色。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct GrantInput {
    /// 人员编号。
    pub person_id: String,
    /// 角色代码。
    pub role: String,
    /// 担任该角色的机构编号。
    pub org_id: String,
}

/// 已收回的角色。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub(super) struct GrantRevoked {
    /// 人员编号。
    pub person_id: String,
    /// 角色代码。
    pub role: String,
    /// 机构编号。
    pub org_id: String,
    /// 是否已收回。
    pub revoked: bool,
}

/// 接口令牌（不含令牌本身）。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub(super) struct TokenView {
    /// 令牌编号。
    pub id: String,
    /// 持有人编号。
    pub person_id: String,
    /// 持有人姓名。
    pub person_name: String,
    /// 用途说明。
    pub label: String,
    /// 签发时间（UTC，RFC 3339）。
    pub created_at: String,
    /// 吊销时间（未吊销为空）。
    pub revoked_at: Option<String>,
}

/// 接口令牌清单。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub(super) struct TokensView {
    /// 当前用户有权管理的人员的令牌。
    pub tokens: Vec<TokenView>,
}

/// 签发接口令牌。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct TokenInput {
    /// 令牌持有人的人员编号；以该令牌调用接口即以此人的身份和角色办理。
    pub person_id: String,
    /// 用途说明（如“对接案件统计系统”）。
    pub label: String,
}

/// 新签发的令牌。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub(super) struct IssuedToken {
    /// 令牌编号（吊销时使用）。
    pub id: String,
    /// 持有人编号。
    pub person_id: String,
    /// 用途说明。
    pub label: String,
    /// 令牌本身，仅此一次显示，系统只保存其 SM3 摘要；调用接口时放在请求头 Authorization: Bearer 之后。
    pub token: String,
}

/// 已吊销的令牌。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub(super) struct TokenRevoked {
    /// 令牌编号。
    pub id: String,
    /// 是否已吊销。
    pub revoked: bool,
}

fn no_admin() -> AppError {
    AppError::Forbidden("您没有系统管理权限".to_string())
}

fn may_administer(app: &App, user: &User, org_id: &str) -> bool {
    access::may_org(app, user, "administer", org_id)
}

fn require_administer(app: &App, user: &User, org_id: &str) -> Result<(), AppError> {
    if may_administer(app, user, org_id) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "您无权管理机构“{}”的人员和角色",
            app.directory().org_name(org_id)
        )))
    }
}

fn person_view(dir: &Directory, p: &PersonRecord) -> PersonView {
    PersonView {
        id: p.id.clone(),
        name: p.name.clone(),
        org_id: p.org_id.clone(),
        org_name: dir.org_name(&p.org_id),
        title: p.title.clone(),
        login: p.login.clone(),
        must_change_password: p.must_change_password,
        disabled: p.disabled,
        grants: grants_view(dir, &p.id),
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn text(value: &str, what: &str, max: usize) -> Result<String, AppError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(AppError::BadRequest(format!("{what}不能为空")));
    }
    if v.chars().count() > max {
        return Err(AppError::BadRequest(format!("{what}不能超过 {max} 个字符")));
    }
    Ok(v.to_string())
}

#[utoipa::path(
    get, path = "/api/v1/admin/people", tag = "系统管理",
    summary = "人员名单",
    description = "当前用户作为系统管理员有权管理的机构（及其下级机构）的人员及其角色。",
    params(PeopleFilter),
    responses(
        (status = 200, description = "人员", body = PeopleView),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
        (status = 403, description = "没有系统管理权限，或无权管理所选机构", body = ErrorBody),
    )
)]
pub(super) async fn people(
    State(app): State<App>,
    ApiUser(user): ApiUser,
    ApiQuery(f): ApiQuery<PeopleFilter>,
) -> Result<Json<PeopleView>, AppError> {
    let dir = app.directory();
    let org = f.org.as_deref().map(str::trim).filter(|o| !o.is_empty());
    if let Some(o) = org {
        if !dir.orgs.contains_key(o) {
            return Err(AppError::NotFound(format!("机构“{o}”不存在")));
        }
        require_administer(&app, &user, o)?;
    } else if !user.has_role("administrator") {
        return Err(no_admin());
    }
    let within: Option<Vec<String>> = org.map(|o| dir.tree.subtree(o));
    let people = dir
        .people
        .values()
        .filter(|p| match &within {
            Some(orgs) => orgs.contains(&p.org_id),
            None => true,
        })
        .filter(|p| may_administer(&app, &user, &p.org_id))
        .map(|p| person_view(&dir, p))
        .collect();
    Ok(Json(PeopleView { people }))
}

#[utoipa::path(
    post, path = "/api/v1/admin/people", tag = "系统管理",
    summary = "新增或修改人员",
    description = "按人员编号新增或修改人员，可同时设置密码。须有权管理其所属机构；调动人员时还须有权管理其原机构。",
    request_body = PersonInput,
    responses(
        (status = 201, description = "已新增", body = PersonView),
        (status = 200, description = "已修改", body = PersonView),
        (status = 400, description = "请求内容有误，或密码不符合要求", body = ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
        (status = 403, description = "无权管理该机构", body = ErrorBody),
        (status = 422, description = "机构不存在或登录名已被使用", body = ErrorBody),
    )
)]
pub(super) async fn put_person(
    State(app): State<App>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<PersonInput>,
) -> Result<(StatusCode, Json<PersonView>), AppError> {
    let id = input.id.trim().to_string();
    if !valid_id(&id) {
        return Err(AppError::BadRequest(
            "人员编号只能包含字母、数字、连字符、下划线和点，长度 1 至 64".to_string(),
        ));
    }
    let name = text(&input.name, "姓名", 100)?;
    let org_id = input.org_id.trim().to_string();
    let title = input.title.trim().to_string();
    if title.chars().count() > 100 {
        return Err(AppError::BadRequest("职务不能超过 100 个字符".to_string()));
    }
    let login = match input.login.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(l) => Some(text(l, "登录名", 64)?),
    };
    if let Some(pw) = &input.password {
        auth::check_new_password(pw)?;
    }
    let dir = app.directory();
    if !dir.orgs.contains_key(&org_id) {
        return Err(AppError::Unprocessable(format!(
            "机构“{org_id}”不在组织机构名录中"
        )));
    }
    require_administer(&app, &user, &org_id)?;
    let existing = dir.people.get(&id).cloned();
    if let Some(old) = &existing {
        if old.org_id != org_id {
            require_administer(&app, &user, &old.org_id)?;
        }
    }
    let must_change = match (input.must_change_password, &input.password, &existing) {
        (Some(m), _, _) => m,
        (None, Some(_), _) => true,
        (None, None, Some(old)) => old.must_change_password,
        (None, None, None) => true,
    };
    let record = PersonRecord {
        id: id.clone(),
        name,
        org_id,
        title,
        login,
        must_change_password: must_change,
        disabled: input.disabled,
    };
    let actor = &user.person.id;
    app.store().put_person(actor, &record).await?;
    if let Some(pw) = &input.password {
        let hash = auth::hash_password(pw)?;
        app.store()
            .set_password(actor, &id, &hash, must_change)
            .await?;
    }
    if input.disabled {
        // A disabled person is signed out everywhere at once.
        app.store().delete_sessions_of(&id).await?;
    }
    app.reload_directory().await?;
    let dir = app.directory();
    let view = person_view(&dir, dir.people.get(&id).unwrap_or(&record));
    let status = if existing.is_some() {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(view)))
}

#[utoipa::path(
    post, path = "/api/v1/admin/grants", tag = "系统管理",
    summary = "授予角色",
    description = "授予人员在某一机构担任的角色。须有权管理该机构。已担任的角色不重复授予（409）。",
    request_body = GrantInput,
    responses(
        (status = 201, description = "已授予；返回该人员现有的全部角色", body = [GrantView]),
        (status = 400, description = "角色代码无效或请求内容有误", body = ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
        (status = 403, description = "无权管理该机构", body = ErrorBody),
        (status = 404, description = "人员或机构不存在", body = ErrorBody),
        (status = 409, description = "该人员已在该机构担任该角色", body = ErrorBody),
    )
)]
pub(super) async fn add_grant(
    State(app): State<App>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<GrantInput>,
) -> Result<(StatusCode, Json<Vec<GrantView>>), AppError> {
    let g = grants::to_grant(&app, &user, &input.person_id, &input.role, &input.org_id)?;
    app.store().grant(&user.person.id, &g).await?;
    app.reload_directory().await?;
    Ok((
        StatusCode::CREATED,
        Json(grants_view(&app.directory(), &g.person_id)),
    ))
}

#[utoipa::path(
    delete, path = "/api/v1/admin/grants", tag = "系统管理",
    summary = "收回角色",
    description = "收回人员在某一机构担任的角色（请求体指明人员、角色和机构）。须有权管理该机构。",
    request_body = GrantInput,
    responses(
        (status = 200, description = "已收回", body = GrantRevoked),
        (status = 400, description = "角色代码无效或请求内容有误", body = ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
        (status = 403, description = "无权管理该机构", body = ErrorBody),
        (status = 404, description = "人员、机构不存在，或该人员未担任该角色", body = ErrorBody),
        (status = 409, description = "不能收回本人的系统管理员角色", body = ErrorBody),
    )
)]
pub(super) async fn revoke_grant(
    State(app): State<App>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<GrantInput>,
) -> Result<Json<GrantRevoked>, AppError> {
    let g = grants::to_revoke(&app, &user, &input.person_id, &input.role, &input.org_id)?;
    app.store().revoke_grant(&user.person.id, &g).await?;
    app.reload_directory().await?;
    Ok(Json(GrantRevoked {
        person_id: g.person_id,
        role: g.role,
        org_id: g.org_id,
        revoked: true,
    }))
}

#[utoipa::path(
    get, path = "/api/v1/admin/tokens", tag = "系统管理",
    summary = "接口令牌清单",
    description = "当前用户有权管理的人员的接口令牌（不含令牌本身），含已吊销的。",
    responses(
        (status = 200, description = "令牌", body = TokensView),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
        (status = 403, description = "没有系统管理权限", body = ErrorBody),
    )
)]
pub(super) async fn tokens(
    State(app): State<App>,
    ApiUser(user): ApiUser,
) -> Result<Json<TokensView>, AppError> {
    if !user.has_role("administrator") {
        return Err(no_admin());
    }
    let dir = app.directory();
    let tokens = app
        .store()
        .api_tokens()
        .await?
        .into_iter()
        .filter(|t| {
            dir.people
                .get(&t.person_id)
                .is_some_and(|p| may_administer(&app, &user, &p.org_id))
        })
        .map(|t| TokenView {
            person_name: dir.person_name(&t.person_id),
            id: t.id,
            person_id: t.person_id,
            label: t.label,
            created_at: t.created_at,
            revoked_at: t.revoked_at,
        })
        .collect();
    Ok(Json(TokensView { tokens }))
}

#[utoipa::path(
    post, path = "/api/v1/admin/tokens", tag = "系统管理",
    summary = "签发接口令牌",
    description = "为人员签发接口令牌。令牌只在本次应答中出现一次，系统只保存其 SM3 摘要；请妥善保管。须有权管理该人员所属机构。",
    request_body = TokenInput,
    responses(
        (status = 201, description = "已签发", body = IssuedToken),
        (status = 400, description = "请求内容有误", body = ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
        (status = 403, description = "无权管理该人员", body = ErrorBody),
        (status = 404, description = "人员不存在", body = ErrorBody),
    )
)]
pub(super) async fn issue_token(
    State(app): State<App>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<TokenInput>,
) -> Result<(StatusCode, Json<IssuedToken>), AppError> {
    let label = text(&input.label, "用途说明", 200)?;
    let person_id = input.person_id.trim().to_string();
    let dir = app.directory();
    let Some(person) = dir.people.get(&person_id) else {
        return Err(AppError::NotFound(format!("人员“{person_id}”不存在")));
    };
    require_administer(&app, &user, &person.org_id)?;
    let token = auth::random_token();
    // The id names the token in lists and revocations; it is not the secret.
    let id = format!("tok-{}", &auth::random_token()[..16]);
    app.store()
        .create_api_token(
            &user.person.id,
            &id,
            &auth::token_digest(&token),
            &person_id,
            &label,
            app.clock().now(),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(IssuedToken {
            id,
            person_id,
            label,
            token,
        }),
    ))
}

#[utoipa::path(
    delete, path = "/api/v1/admin/tokens/{id}", tag = "系统管理",
    summary = "吊销接口令牌",
    description = "吊销后以该令牌发出的请求一律拒绝（401）。须有权管理令牌持有人所属机构。",
    params(("id" = String, Path, description = "令牌编号")),
    responses(
        (status = 200, description = "已吊销", body = TokenRevoked),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
        (status = 403, description = "无权管理该令牌的持有人", body = ErrorBody),
        (status = 404, description = "令牌不存在", body = ErrorBody),
        (status = 409, description = "令牌此前已被吊销", body = ErrorBody),
    )
)]
pub(super) async fn revoke_token(
    State(app): State<App>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<TokenRevoked>, AppError> {
    let Some(t) = app
        .store()
        .api_tokens()
        .await?
        .into_iter()
        .find(|t| t.id == id)
    else {
        return Err(AppError::NotFound(format!("接口令牌“{id}”不存在")));
    };
    let dir = app.directory();
    match dir.people.get(&t.person_id) {
        Some(p) => require_administer(&app, &user, &p.org_id)?,
        None if user.has_role("administrator") => {}
        None => return Err(no_admin()),
    }
    if t.revoked_at.is_some() {
        return Err(AppError::Conflict(format!("接口令牌“{id}”此前已被吊销")));
    }
    if !app
        .store()
        .revoke_api_token(&user.person.id, &id, app.clock().now())
        .await?
    {
        return Err(AppError::Conflict(format!("接口令牌“{id}”此前已被吊销")));
    }
    Ok(Json(TokenRevoked { id, revoked: true }))
}

/// 设定机构适用的规定。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub(super) struct OrgPacksInput {
    /// 本机构办理案件所依照的程序规定（政策包编号，如 000）；为空或省略则继承上级机构。
    #[serde(default)]
    pub procedure: Option<String>,
    /// 评价本机构人员所依据的认定规定（政策包编号，按顺序，如 ["000","001","004","004-2016"]）；为空则继承上级机构。
    #[serde(default)]
    pub rules: Vec<String>,
}

#[utoipa::path(
    get, path = "/api/v1/admin/orgs/{id}/packs", tag = "系统管理",
    summary = "机构适用的规定",
    description = "机构自行设定的和实际适用的程序规定、认定规定，以及继承自哪一上级机构（issue 20）。新立案件记录立案时适用的规定及其版本。须有权管理该机构。",
    params(("id" = String, Path, description = "机构编号")),
    responses(
        (status = 200, description = "机构适用的规定", body = crate::bindings::OrgPacksView),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
        (status = 403, description = "无权管理该机构", body = ErrorBody),
        (status = 404, description = "机构不存在", body = ErrorBody),
    )
)]
pub(super) async fn org_packs(
    State(app): State<App>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<crate::bindings::OrgPacksView>, AppError> {
    if !app.directory().orgs.contains_key(&id) {
        return Err(AppError::NotFound(format!("机构“{id}”不存在")));
    }
    require_administer(&app, &user, &id)?;
    Ok(Json(crate::bindings::view(&app, &id)))
}

#[utoipa::path(
    put, path = "/api/v1/admin/orgs/{id}/packs", tag = "系统管理",
    summary = "设定机构适用的规定",
    description = "设定机构本身的程序规定和认定规定，取代其原有设定；为空的一项继承上级机构，下级机构未自行设定的随之适用。已立案件仍依其立案时记录的规定办理。须有权管理该机构。",
    params(("id" = String, Path, description = "机构编号")),
    request_body = OrgPacksInput,
    responses(
        (status = 200, description = "已设定；返回机构现在适用的规定", body = crate::bindings::OrgPacksView),
        (status = 400, description = "政策包未加载、重复或请求内容有误", body = ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
        (status = 403, description = "无权管理该机构", body = ErrorBody),
        (status = 404, description = "机构不存在", body = ErrorBody),
    )
)]
pub(super) async fn put_org_packs(
    State(app): State<App>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<OrgPacksInput>,
) -> Result<Json<crate::bindings::OrgPacksView>, AppError> {
    crate::bindings::set(&app, &user, &id, input.procedure.as_deref(), &input.rules).await?;
    Ok(Json(crate::bindings::view(&app, &id)))
}
