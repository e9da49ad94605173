//! 系统管理: the directory (organisations, people, role grants), the expert pool, the working
//! calendar, the policy packs and API tokens.
//!
//! Administrators keep the directory of their organisation and everything below it (Cedar
//! action `administer` on an Org, policy `administrator-subtree`); they never see or decide
//! cases. What the whole tree shares — the calendar, the policy packs and the expert pool —
//! is kept by the administrators of a top-level organisation. Every change goes through the
//! store, which appends it to the SM3 chain with the administrator as actor, and the directory
//! cache is then rebuilt. Bad input re-renders the form with a Chinese message and a 4xx status
//! and changes nothing: everything is validated before the first write.

mod calendars;
mod experts;
mod orgs;
mod packs;
mod people;
mod tokens;

use std::collections::{BTreeMap, BTreeSet};

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use lvzhi_store::OrgRecord;
use maud::{html, Markup};
use serde::Deserialize;

use super::{page, PageError, PageResult, PageUser};
use crate::access;
use crate::app::{App, Directory};
use crate::auth::User;
use crate::error::AppError;

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/admin", get(index))
        .merge(orgs::routes())
        .merge(people::routes())
        .merge(experts::routes())
        .merge(calendars::routes())
        .merge(packs::routes())
        .merge(tokens::routes())
}

/// What the signed-in administrator may administer.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scope {
    /// Every organisation the policies let this user administer.
    pub orgs: BTreeSet<String>,
    /// Administers a top-level organisation, and so what the whole tree shares.
    pub top: bool,
}

impl Scope {
    pub(crate) fn contains(&self, org_id: &str) -> bool {
        self.orgs.contains(org_id)
    }
}

/// The organisations `user` may administer: the subtrees of their administrator grants, each
/// organisation confirmed by the Cedar policies (so a narrower policy narrows the pages too).
pub(crate) fn scope(app: &App, user: &User) -> Scope {
    let dir = app.directory();
    let mut orgs = BTreeSet::new();
    for root in user.orgs_with("administrator") {
        for o in dir.tree.subtree(&root) {
            if !orgs.contains(&o) && access::may_org(app, user, "administer", &o) {
                orgs.insert(o);
            }
        }
    }
    let top = dir
        .orgs
        .values()
        .any(|o| o.parent_id.is_none() && orgs.contains(&o.id));
    Scope { orgs, top }
}

/// The scope of an administrator; anyone else is refused (403).
pub(crate) fn require_admin(app: &App, user: &User) -> Result<Scope, AppError> {
    let s = scope(app, user);
    if s.orgs.is_empty() {
        return Err(AppError::Forbidden(
            "您没有系统管理权限：系统管理页面仅供系统管理员使用".to_string(),
        ));
    }
    Ok(s)
}

/// Refuses unless `user` may administer `org_id` (asked of the policies, not of the cache).
pub(crate) fn require_org(app: &App, user: &User, org_id: &str) -> Result<(), AppError> {
    if access::may_org(app, user, "administer", org_id) {
        return Ok(());
    }
    let name = app.directory().org_name(org_id);
    Err(AppError::Forbidden(format!(
        "您无权管理“{name}”：系统管理员只能管理本机构及其下级机构"
    )))
}

/// Refuses unless `user` administers a top-level organisation (shared settings).
pub(crate) fn require_top(scope: &Scope, what: &str) -> Result<(), AppError> {
    if scope.top {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "{what}由全系统共用，只有顶层机构的系统管理员可以修改"
        )))
    }
}

/// A form refused: re-rendered with its message and a 4xx status; nothing was changed.
pub(crate) struct Refusal {
    pub status: StatusCode,
    pub message: String,
}

impl Refusal {
    pub(crate) fn bad(message: impl Into<String>) -> Self {
        Refusal {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    pub(crate) fn conflict(message: impl Into<String>) -> Self {
        Refusal {
            status: StatusCode::CONFLICT,
            message: message.into(),
        }
    }

    /// Refusals of the store and of the shared rules (a unique key, a missing reference, a role
    /// already held) keep their message and status, shown beside the form.
    pub(crate) fn from_app(e: AppError) -> Result<Self, PageError> {
        match e {
            AppError::BadRequest(m) => Ok(Refusal::bad(m)),
            AppError::NotFound(m) => Ok(Refusal {
                status: StatusCode::NOT_FOUND,
                message: m,
            }),
            AppError::Conflict(m) | AppError::Unprocessable(m) => Ok(Refusal::conflict(m)),
            other => Err(PageError(other)),
        }
    }
}

/// The page re-rendered for a refused form, with the refusal's status.
pub(crate) fn refused(status: StatusCode, page: Response) -> Response {
    (status, page).into_response()
}

/// An identifier typed by an administrator (organisation, person, expert). Ids appear in URLs,
/// in the audit chain and in the Cedar entities, so they are kept to plain ASCII.
pub(crate) fn check_id(what: &str, id: &str) -> Result<(), Refusal> {
    if id.is_empty() {
        return Err(Refusal::bad(format!("请填写{what}")));
    }
    if id.chars().count() > 64 {
        return Err(Refusal::bad(format!("{what}不能超过 64 个字符")));
    }
    if let Some(c) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
    {
        let shown = if c.is_whitespace() {
            "空格".to_string()
        } else {
            format!("“{c}”")
        };
        return Err(Refusal::bad(format!(
            "{what}“{id}”无效：不能含有{shown}，只能由英文字母、数字、下划线（_）和连字符（-）组成"
        )));
    }
    Ok(())
}

/// A required one-line text (a name, a title): trimmed by the form, not empty, bounded.
pub(crate) fn check_name(what: &str, s: &str, max: usize) -> Result<(), Refusal> {
    if s.is_empty() {
        return Err(Refusal::bad(format!("请填写{what}")));
    }
    check_text(what, s, max, false)
}

/// An optional text: bounded, and without control characters (line breaks only where allowed).
pub(crate) fn check_text(what: &str, s: &str, max: usize, multiline: bool) -> Result<(), Refusal> {
    if s.chars().count() > max {
        return Err(Refusal::bad(format!("{what}不能超过 {max} 个字符")));
    }
    if s.chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\r' || c == '\t')))
    {
        return Err(Refusal::bad(format!("{what}含有无法显示的控制字符")));
    }
    Ok(())
}

/// The form that imports a file pasted as text (a year's holiday schedule, a policy pack). The
/// file is shared by the whole system, so the form is offered to the administrators of a
/// top-level organisation only.
pub(crate) struct ImportForm {
    /// Where the form posts.
    pub action: &'static str,
    pub name_label: &'static str,
    pub text_label: &'static str,
    pub rows: u32,
    pub hint: &'static str,
    pub button: &'static str,
    /// Shown instead of the form to the other administrators.
    pub top_only: &'static str,
    /// The refusal of an empty text.
    pub empty: &'static str,
    /// The largest text accepted, in bytes, and the refusal of a larger one.
    pub max: usize,
    pub too_large: &'static str,
}

/// What an import page shows: the notice after a redirect, a refusal with the form refilled,
/// or what was imported.
pub(crate) struct ImportState<'a> {
    pub msg: Option<&'a str>,
    pub error: Option<&'a str>,
    pub success: Option<&'a str>,
    pub name: &'a str,
    pub text: &'a str,
}

impl<'a> ImportState<'a> {
    pub(crate) fn shown(msg: Option<&'a str>) -> Self {
        ImportState {
            msg,
            error: None,
            success: None,
            name: "",
            text: "",
        }
    }

    pub(crate) fn refused(error: &'a str, name: &'a str, text: &'a str) -> Self {
        ImportState {
            msg: None,
            error: Some(error),
            success: None,
            name,
            text,
        }
    }

    pub(crate) fn done(success: &'a str) -> Self {
        ImportState {
            success: Some(success),
            ..ImportState::shown(None)
        }
    }
}

impl ImportForm {
    /// The form with the state's error and refilled fields, or why there is no form.
    pub(crate) fn render(&self, user: &User, scope: &Scope, state: &ImportState<'_>) -> Markup {
        html! {
            @if scope.top {
                (error_box(state.error))
                form method="post" action=(self.action) {
                    (super::csrf_field(user))
                    label { (self.name_label)
                        input name="name" value=(state.name) maxlength="100" required; }
                    label { (self.text_label)
                        textarea name="text" rows=(self.rows) spellcheck="false" required { (state.text) } }
                    p.hint { (self.hint) }
                    div.buttons { button.primary type="submit" { (self.button) } }
                }
            } @else {
                p.hint { (self.top_only) }
            }
        }
    }

    /// Checks the pasted file before the data store sees it: named, not empty, not too large.
    /// Returns the text with LF line ends: a browser textarea sends CRLF, and line and column
    /// numbers in the store's errors are the file's own.
    pub(crate) fn check(&self, name: &str, text: &str) -> Result<String, Refusal> {
        check_name("文件名称", name, 100)?;
        if text.trim().is_empty() {
            return Err(Refusal::bad(self.empty));
        }
        if text.len() > self.max {
            return Err(Refusal {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                message: self.too_large.to_string(),
            });
        }
        Ok(text.replace("\r\n", "\n"))
    }

    /// Checks the pasted file, then has the data store import it off the request thread (it
    /// parses and links everything, as `import(label, text)`); a refusal, the store's included,
    /// comes back as `Ok(Err(_))`. `what` names the import in internal errors.
    pub(crate) async fn import<T: Send + 'static>(
        &self,
        name: &str,
        text: &str,
        what: &str,
        import: impl FnOnce(&str, &str) -> Result<T, String> + Send + 'static,
    ) -> Result<Result<T, Refusal>, AppError> {
        let text_lf = match self.check(name, text) {
            Ok(t) => t,
            Err(r) => return Ok(Err(r)),
        };
        let label = name.to_string();
        match tokio::task::spawn_blocking(move || import(&label, &text_lf)).await {
            Ok(Ok(imported)) => Ok(Ok(imported)),
            Ok(Err(message)) => Ok(Err(Refusal::bad(message))),
            Err(e) => Err(AppError::internal(format!("{what}: {e}"))),
        }
    }
}

/// Organisations in tree order (children by name), limited to `include`, with their depth
/// below the nearest included ancestor-less root.
pub(crate) fn tree_order<'a>(
    dir: &'a Directory,
    include: &dyn Fn(&str) -> bool,
) -> Vec<(usize, &'a OrgRecord)> {
    let mut children: BTreeMap<Option<&str>, Vec<&OrgRecord>> = BTreeMap::new();
    for o in dir.orgs.values() {
        // An organisation whose parent is not shown starts a tree of its own.
        let parent = o.parent_id.as_deref().filter(|p| include(p));
        children.entry(parent).or_default().push(o);
    }
    for v in children.values_mut() {
        v.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    }
    let mut out = Vec::new();
    let mut stack: Vec<(usize, &OrgRecord)> = children
        .get(&None)
        .map(|v| v.iter().rev().map(|o| (0, *o)).collect())
        .unwrap_or_default();
    let mut seen = BTreeSet::new();
    while let Some((depth, o)) = stack.pop() {
        if !seen.insert(o.id.as_str()) {
            continue;
        }
        if include(&o.id) {
            out.push((depth, o));
        }
        if let Some(kids) = children.get(&Some(o.id.as_str())) {
            for k in kids.iter().rev() {
                stack.push((depth + 1, *k));
            }
        }
    }
    out
}

/// `<option>`s of the organisations in scope, indented by depth; `selected` is preselected.
pub(crate) fn org_options(dir: &Directory, scope: &Scope, selected: &str) -> Markup {
    html! {
        @for (depth, o) in tree_order(dir, &|id| scope.contains(id)) {
            option value=(o.id) selected[o.id == selected] { (indent(depth)) (o.name) }
        }
    }
}

/// Full-width spaces and a corner mark: indentation inside `<option>` without any styling.
pub(crate) fn indent(depth: usize) -> String {
    if depth == 0 {
        String::new()
    } else {
        format!("{}└ ", "　".repeat(depth - 1))
    }
}

/// The fixed notices shown after a redirect (`?msg=`), beyond the shared ones.
pub(crate) fn notice(code: Option<&str>) -> Markup {
    let text = match code {
        Some("revoked") => "已撤销。",
        Some("granted") => "已授予角色。",
        Some("password_set") => {
            "初始密码已设置；该人员首次登录后须自行修改密码（演示模式除外），其原有登录会话已全部结束。"
        }
        Some("disabled") => "账户已停用，其登录会话已全部结束。",
        Some("enabled") => "账户已启用。",
        Some("added") => "已添加。",
        other => return super::flash(other),
    };
    html! { div.notice.ok role="status" { (text) } }
}

/// The error box of a refused form.
pub(crate) fn error_box(message: Option<&str>) -> Markup {
    html! {
        @if let Some(m) = message {
            div.notice.error role="alert" { (super::multiline(m)) }
        }
    }
}

/// The sub-navigation of the administration pages.
pub(crate) fn subnav(active: &str) -> Markup {
    const ITEMS: &[(&str, &str, &str)] = &[
        ("index", "/admin", "概览"),
        ("orgs", "/admin/orgs", "组织机构"),
        ("people", "/admin/people", "人员与角色"),
        ("experts", "/admin/experts", "专家库"),
        ("calendars", "/admin/calendars", "工作日历"),
        ("packs", "/admin/packs", "政策包"),
        ("tokens", "/admin/tokens", "API 令牌"),
    ];
    html! {
        nav.pager.noprint aria-label="系统管理" {
            @for (id, href, label) in ITEMS {
                @if *id == active { strong { (label) } } @else { a href=(href) { (label) } }
            }
        }
    }
}

/// A page of the administration section in the layout.
pub(crate) fn admin_page(
    app: &App,
    user: &User,
    title: &str,
    active: &str,
    body: Markup,
) -> Response {
    page(
        app,
        user,
        title,
        "admin",
        html! {
            (subnav(active))
            (body)
        },
    )
}

#[derive(Deserialize)]
pub(crate) struct Msg {
    pub msg: Option<String>,
}

async fn index(
    State(app): State<App>,
    PageUser(user): PageUser,
    Query(q): Query<Msg>,
) -> PageResult {
    let scope = require_admin(&app, &user)?;
    let dir = app.directory();
    let people = dir
        .people
        .values()
        .filter(|p| scope.contains(&p.org_id))
        .count();
    let roots: Vec<String> = tree_order(&dir, &|id| scope.contains(id))
        .into_iter()
        .filter(|(d, _)| *d == 0)
        .map(|(_, o)| o.name.clone())
        .collect();
    let cal = app.calendar();
    let packs = app.packs();
    Ok(admin_page(
        &app,
        &user,
        "系统管理",
        "index",
        html! {
            (notice(q.msg.as_deref()))
            h1 { "系统管理" }
            p { "您管理的范围：" (roots.join("、")) "及其下级机构（共 " (scope.orgs.len()) " 个机构、" (people) " 名人员）。"
                "系统管理员维护组织机构、人员与角色等基础数据，不查看、不办理案件。所有修改均写入 SM3 审计链。" }
            @if !scope.top {
                p.hint { "工作日历、政策包和专家库由全系统共用，只有顶层机构的系统管理员可以修改；您可以查看。" }
            }
            ul {
                li { a href="/admin/orgs" { "组织机构" } "：机构树，新增、更名、调整上级机构。" }
                li { a href="/admin/people" { "人员与角色" } "：人员信息、登录名、初始密码、停用与启用，按机构授予或撤销角色。" }
                li { a href="/admin/experts" { "专家库" } "：可邀请参与审查论证的人员（000 §18 六类人员，000 §19 七项条件）。" }
                li { a href="/admin/calendars" { "工作日历" } "：已载入 " (cal.years().len()) " 个年度的国务院节假日安排，导入新年度。" }
                li { a href="/admin/packs" { "政策包" } "：现行 " (packs.packs().count()) " 个政策包的检查、示例测试与条文覆盖情况，载入新政策包。" }
                li { a href="/admin/tokens" { "API 令牌" } "：为接口调用方签发与撤销令牌。" }
            }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_plain_ascii_and_refusals_name_the_character() {
        assert!(check_id("机构标识", "alashan-01_x").is_ok());
        let e = check_id("机构标识", "a b").err().map(|r| r.message);
        assert!(e.is_some_and(|m| m.contains("空格")));
        let e = check_id("机构标识", "阿拉善").err().map(|r| r.message);
        assert!(e.is_some_and(|m| m.contains("“阿”")));
        assert!(check_id("机构标识", "").is_err());
        assert!(check_id("机构标识", &"x".repeat(65)).is_err());
    }

    #[test]
    fn names_are_required_and_bounded() {
        assert!(check_name("名称", "", 10).is_err());
        assert!(check_name("名称", "阿拉善盟公安局", 10).is_ok());
        assert!(check_name("名称", "一二三四五六七八九十一", 10).is_err());
        assert!(check_name("名称", "a\u{7}", 10).is_err());
        assert!(check_text("备注", "第一行\n第二行", 100, true).is_ok());
        assert!(check_text("备注", "第一行\n第二行", 100, false).is_err());
    }

    #[test]
    fn pasted_files_are_named_not_empty_bounded_and_get_lf_line_ends() {
        let form = ImportForm {
            action: "/admin/x",
            name_label: "",
            text_label: "",
            rows: 1,
            hint: "",
            button: "",
            top_only: "",
            empty: "请粘贴",
            max: 8,
            too_large: "过大",
        };
        assert_eq!(
            form.check("a.txt", "a\r\nb\r\n").ok().as_deref(),
            Some("a\nb\n")
        );
        let e = form.check("", "a").err().map(|r| r.message);
        assert!(e.is_some_and(|m| m.contains("请填写文件名称")));
        let e = form.check("a.txt", " \r\n").err().map(|r| r.message);
        assert_eq!(e.as_deref(), Some("请粘贴"));
        let e = form.check("a.txt", "123456789").err().map(|r| r.status);
        assert_eq!(e, Some(StatusCode::PAYLOAD_TOO_LARGE));
    }

    #[test]
    fn indentation_needs_no_style() {
        assert_eq!(indent(0), "");
        assert_eq!(indent(1), "└ ");
        assert_eq!(indent(3), "　　└ ");
    }
}
