//! The main paths of the other processes (issue 7) in a real browser: headless Chromium driven
//! through WebDriver (chromedriver) against the real server with the demo data, through the
//! pages only (the "新建" forms drawn from each process's fields, the case page's actions).
//!
//! 维权 (001 §15, §17, §29(六)): the officer reports a casualty incident on the 新建 form with a
//! victim table; the reports to the 盟 and the 厅 appear as deadlines; each level's office
//! acknowledges from its own account; the handling office investigates, records the handling and
//! closes; the 台账 lists the case; the officer of another banner is refused.
//! 正名 (001 §29(五)): the office registers a complaint found to be a false accusation, reviews it,
//! issues the 正名通知书 with its scope, refers the complainant and closes; the notice is shown.
//!
//! Screenshots under `target/browser-artifacts/processes/NN-step.png`. Without `chromedriver` or
//! `/usr/bin/chromium` the test says it is skipped and passes (CI installs both, see `.ci/run`).
//! The harness is that of `tests/browser.rs`.

mod common;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

const CHROMIUM: &str = "/usr/bin/chromium";
/// How long any one expected change of the page may take.
const PATIENCE: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(100);

/// The demo accounts (`lvzhi_server::demo`): login and password.
const OFFICER2: (&str, &str) = ("officer2", "demo-officer2-2026");
const OFFICE: (&str, &str) = ("office", "demo-office-2026");
const PARENT_OFFICE: (&str, &str) = ("parent-office", "demo-parent-office-2026");
const GAT_OFFICE: (&str, &str) = ("gat-office", "demo-gat-office-2026");
const OTHER_BANNER_OFFICER: (&str, &str) = ("officer-yq", "demo-officer-yq-2026");

/// The chromedriver child, killed with its whole process group (Chromium included) when the
/// test ends, whether it passed or panicked.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The child leads its own process group (see `start_driver`); -PGID names the group.
        let _ = Command::new("kill")
            .arg("-KILL")
            .arg("--")
            .arg(format!("-{}", self.child.id()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn start_driver(chromedriver: &Path) -> Driver {
    use std::os::unix::process::CommandExt;
    let port = free_port();
    let child = Command::new(chromedriver)
        .arg(format!("--port={port}"))
        .arg("--allowed-ips=127.0.0.1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver { child, port };
    let deadline = Instant::now() + PATIENCE;
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "chromedriver did not listen on port {port} within {PATIENCE:?}"
        );
        std::thread::sleep(POLL);
    }
    driver
}

async fn connect(driver: &Driver, profile: &Path) -> Client {
    let args = [
        "--headless=new".to_string(),
        "--no-sandbox".to_string(),
        "--disable-gpu".to_string(),
        "--disable-dev-shm-usage".to_string(),
        "--disable-quic".to_string(),
        "--no-first-run".to_string(),
        "--disable-background-networking".to_string(),
        "--disable-component-update".to_string(),
        "--disable-sync".to_string(),
        "--window-size=1366,768".to_string(),
        format!("--user-data-dir={}", profile.display()),
    ];
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".to_string(),
        serde_json::json!({ "binary": CHROMIUM, "args": args }),
    );
    ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a WebDriver session with headless Chromium")
}

/// The browser, the server's address and where the screenshots go.
struct Browser {
    c: Client,
    base: String,
    shots: PathBuf,
    n: usize,
}

impl Browser {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn goto(&self, path: &str) {
        self.c.goto(&self.url(path)).await.expect("navigation");
    }

    /// The page's visible text.
    async fn text(&self) -> String {
        match self.c.find(Locator::Css("body")).await {
            Ok(b) => b.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Waits (polling) until the page's text contains every one of `needles`.
    async fn wait_text(&self, needles: &[&str]) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let text = self.text().await;
            if needles.iter().all(|n| text.contains(n)) {
                return text;
            }
            if Instant::now() > deadline {
                let url = self.c.current_url().await.map(|u| u.to_string());
                panic!("the page never showed {needles:?}; at {url:?} it shows:\n{text}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until the browser is at a URL whose path and query satisfy `ok`.
    async fn wait_url(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Ok(u) = self.c.current_url().await {
                let at = match u.query() {
                    Some(q) => format!("{}?{q}", u.path()),
                    None => u.path().to_string(),
                };
                if ok(&at) {
                    return at;
                }
                if Instant::now() > deadline {
                    panic!(
                        "never reached {what}; still at {at}:\n{}",
                        self.text().await
                    );
                }
            }
            tokio::time::sleep(POLL).await;
        }
    }

    async fn find(&self, css: &str) -> Element {
        self.c
            .wait()
            .at_most(PATIENCE)
            .every(POLL)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
    }

    async fn find_xpath(&self, xpath: &str) -> Element {
        self.c
            .wait()
            .at_most(PATIENCE)
            .every(POLL)
            .for_element(Locator::XPath(xpath))
            .await
            .unwrap_or_else(|e| panic!("no element {xpath}: {e}"))
    }

    async fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        e.click().await.expect("focus");
        e.send_keys(text).await.expect("typing");
    }

    /// Types a date into a date field the way a person does, in the order of the field's
    /// segments, which follows the browser's locale (月/日/年 or 年/月/日).
    async fn type_date(&self, css: &str, y: i32, m: u32, d: u32) {
        let e = self.find(css).await;
        let want = format!("{y:04}-{m:02}-{d:02}");
        for keys in [
            format!("{m:02}/{d:02}/{y:04}"),
            format!("{y:04}/{m:02}/{d:02}"),
            format!("{d:02}/{m:02}/{y:04}"),
        ] {
            e.clear().await.expect("the date field clears");
            e.send_keys(&keys).await.expect("typing");
            if e.prop("value").await.expect("value").as_deref() == Some(want.as_str()) {
                return;
            }
        }
        panic!("the date field {css} did not take {want}");
    }

    async fn choose(&self, css: &str, value: &str) {
        self.find(css)
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("option {value} of {css}: {e}"));
    }

    async fn click(&self, css: &str) {
        self.find(css).await.click().await.expect("click");
    }

    /// Clicks the button whose text is exactly `label`.
    async fn press(&self, label: &str) {
        self.find_xpath(&format!("//button[normalize-space(.)='{label}']"))
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("button {label}: {e}"));
    }

    /// Saves the viewport as `target/browser-artifacts/NN-step.png`.
    async fn shot(&mut self, step: &str) {
        self.n += 1;
        let png = self.c.screenshot().await.expect("a screenshot");
        let path = self.shots.join(format!("{:02}-{step}.png", self.n));
        std::fs::write(&path, png).expect("the screenshot is saved");
    }

    async fn sign_in(&self, (login, password): (&str, &str)) {
        self.goto("/login").await;
        self.type_into("input[name='login']", login).await;
        self.type_into("input[name='password']", password).await;
        self.press("登录").await;
        self.wait_url("the inbox", |at| at == "/" || at.starts_with("/?"))
            .await;
        self.find("form[action='/logout'] button").await;
    }

    async fn sign_out(&self) {
        self.click("form[action='/logout'] button").await;
        self.wait_url("the login page", |at| at == "/login").await;
    }

    /// On the case page: opens the step `label` from the list of what I may do now, and waits
    /// for its form.
    async fn open_step(&self, case: &str, label: &str) {
        self.goto(&format!("/cases/{case}")).await;
        self.find_xpath(&format!(
            "//ul[contains(@class,'action-list')]//a[normalize-space(.)='{label}']"
        ))
        .await
        .click()
        .await
        .expect("the step's link");
        self.find_xpath(&format!("//button[normalize-space(.)='确认{label}']"))
            .await;
    }

    /// Confirms the open step's form and waits for the case page with its notice and `stage`.
    async fn confirm(&self, case: &str, label: &str, expect: &[&str]) -> String {
        self.press(&format!("确认{label}")).await;
        let want = format!("/cases/{case}?msg=recorded");
        self.wait_url(&want, |at| at == want).await;
        let mut needles = vec!["已记录，案件审计链已更新。"];
        needles.extend_from_slice(expect);
        self.wait_text(&needles).await
    }

    /// The stage shown at the top of the case page.
    async fn stage(&self) -> String {
        self.find(".case-head .stage")
            .await
            .text()
            .await
            .unwrap_or_default()
    }
}

/// Starts the browser on the demo server, or says why the test is skipped.
async fn start(name: &str) -> Option<(Browser, Driver, tempfile::TempDir, tempfile::TempDir)> {
    let Some(chromedriver) = on_path("chromedriver") else {
        println!("browser tests skipped: chromedriver is not installed (apt-get install chromium-driver)");
        return None;
    };
    if !Path::new(CHROMIUM).is_file() {
        println!("browser tests skipped: {CHROMIUM} is not installed (apt-get install chromium)");
        return None;
    }
    let shots = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/browser-artifacts/processes")
        .join(name);
    std::fs::create_dir_all(&shots).expect("the screenshot directory");
    for old in std::fs::read_dir(&shots).expect("the screenshot directory") {
        let path = old.expect("a directory entry").path();
        if path.extension().is_some_and(|x| x == "png") {
            let _ = std::fs::remove_file(path);
        }
    }
    let data = tempfile::tempdir().expect("temp dir");
    let app = common::demo_app(data.path()).await;
    let addr: SocketAddr = common::serve(app).await;
    let profile = tempfile::tempdir().expect("a browser profile directory");
    let driver = start_driver(&chromedriver);
    let client = connect(&driver, profile.path()).await;
    let b = Browser {
        c: client,
        base: format!("http://{addr}"),
        shots,
        n: 0,
    };
    Some((b, driver, data, profile))
}

/// The case id in a case page's path (`/cases/W2026-000006?msg=recorded`).
fn case_of(at: &str) -> String {
    at.trim_start_matches("/cases/")
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_incident_from_report_to_close_in_a_browser() {
    let Some((mut b, _driver, _data, _profile)) = start("incident").await else {
        return;
    };

    // 1. The officer reports a casualty incident on the 新建 form (001 §15, §17(一)).
    b.sign_in(OFFICER2).await;
    b.goto("/new").await;
    b.wait_text(&["新建案件", "维权案（事）件", "提出维护执法权威申请"])
        .await;
    b.find_xpath(
        "//ul[contains(@class,'action-list')]//a[normalize-space(.)='提出维护执法权威申请']",
    )
    .await
    .click()
    .await
    .expect("the opening action");
    b.find_xpath("//button[normalize-space(.)='确认提出维护执法权威申请']")
        .await;
    b.choose("select[name='org']", "alszq-gaj").await;
    b.choose("select[name='incident_type']", "violent_attack")
        .await;
    b.type_date("input[name='occurred_on']", 2026, 11, 23).await;
    b.type_into("#f-place", "巴彦浩特镇新华街").await;
    b.type_into(
        "#f-description",
        "处置醉酒滋事警情时被当事人持械袭击，面部受伤。",
    )
    .await;
    b.type_into("#f-victims-0-name", "王志强").await;
    b.choose("select[name='victims.0.kind']", "officer").await;
    b.type_into("#f-victims-0-harm", "面部挫伤").await;
    b.type_into("#f-victims-1-name", "李辅警").await;
    b.choose("select[name='victims.1.kind']", "auxiliary").await;
    b.click("input[name='casualties']").await;
    b.shot("report-form").await;
    b.press("确认提出维护执法权威申请").await;
    let at = b
        .wait_url("the new incident", |at| {
            at.starts_with("/cases/W") && at.ends_with("?msg=recorded")
        })
        .await;
    let case = case_of(&at);
    b.wait_text(&[
        "已记录，案件审计链已更新。",
        "阿拉善盟公安局维权办确认收到报告",
        "内蒙古自治区公安厅维权办确认收到报告",
        "李辅警（警务辅助人员）",
    ])
    .await;
    assert_eq!(b.stage().await, "已立案");
    b.shot("reported").await;
    b.sign_out().await;

    // 2. The 盟 and the 厅 acknowledge, each from its own inbox (001 §17).
    for (who, label, level) in [
        (PARENT_OFFICE, "parent-ack", "阿拉善盟公安局"),
        (GAT_OFFICE, "gat-ack", "内蒙古自治区公安厅"),
    ] {
        b.sign_in(who).await;
        b.wait_text(&[&case, &format!("{level}维权办确认收到报告")])
            .await;
        b.open_step(&case, "确认收到上报").await;
        b.type_into("#f-note", "已阅，请持续跟踪").await;
        b.confirm(
            &case,
            "确认收到上报",
            &[&format!("{level}维权办确认收到报告")],
        )
        .await;
        b.shot(label).await;
        b.sign_out().await;
    }
    b.goto(&format!("/cases/{case}")).await;

    // 3. The handling office investigates, records the handling and closes (001 §29(六)).
    b.sign_in(OFFICE).await;
    b.open_step(&case, "记录调查情况").await;
    b.type_into(
        "#f-findings",
        "已将行为人刑事拘留，调取执法记录仪视频固定证据",
    )
    .await;
    b.type_into("#f-handling_unit", "刑侦大队").await;
    b.confirm(&case, "记录调查情况", &["调查中"]).await;
    b.open_step(&case, "记录处理结果").await;
    b.type_into("#f-result", "行为人因妨害公务罪被依法逮捕")
        .await;
    b.confirm(&case, "记录处理结果", &["已处理"]).await;
    b.open_step(&case, "办结").await;
    b.confirm(&case, "办结", &["已办结"]).await;
    // Every report acknowledged: no deadline left.
    b.wait_text(&["没有未届满的期限。"]).await;
    b.shot("closed").await;
    b.goto("/incidents/ledger").await;
    b.wait_text(&["维权工作台账", &case, "已办结", "导出 CSV"])
        .await;
    b.shot("ledger").await;
    b.sign_out().await;

    // 4. The officer of another banner is refused.
    b.sign_in(OTHER_BANNER_OFFICER).await;
    b.goto(&format!("/cases/{case}")).await;
    b.wait_text(&["无权访问", "您无权查看或办理该案件"]).await;
    b.shot("other-banner-refused").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_clearing_closes_with_its_notice_in_a_browser() {
    let Some((mut b, _driver, _data, _profile)) = start("name-clearing").await else {
        return;
    };
    b.sign_in(OFFICE).await;
    b.goto("/new").await;
    b.find_xpath(
        "//ul[contains(@class,'action-list')]//a[normalize-space(.)='登记移交的检举控告材料']",
    )
    .await
    .click()
    .await
    .expect("the opening action");
    b.find_xpath("//button[normalize-space(.)='确认登记移交的检举控告材料']")
        .await;
    b.choose("select[name='officer']", "p-bateer").await;
    b.choose("select[name='unit']", "alszq-bhht").await;
    b.choose("select[name='org']", "alszq-gaj").await;
    b.type_into("#f-complaint", "执法中索要财物").await;
    b.type_date("input[name='complaint_received_on']", 2026, 11, 2)
        .await;
    b.choose("select[name='complainant']", "real_name").await;
    b.type_into("#f-complainant_name", "孙某").await;
    b.type_into("#f-handed_over_by", "阿拉善左旗公安局纪检监察室")
        .await;
    b.choose("select[name='finding']", "false_accusation").await;
    b.type_into(
        "#f-investigation",
        "经调取执法记录仪、询问在场群众，举报内容系捏造",
    )
    .await;
    b.shot("receive-form").await;
    b.press("确认登记移交的检举控告材料").await;
    let at = b
        .wait_url("the new case", |at| {
            at.starts_with("/cases/Z") && at.ends_with("?msg=recorded")
        })
        .await;
    let case = case_of(&at);
    b.wait_text(&["待审查", "审查并发《正名通知书》"]).await;
    b.shot("received").await;

    b.open_step(&case, "审查").await;
    b.click("input[name='confirmed']").await;
    b.type_into("#f-opinion", "材料齐全，核查结论属实").await;
    b.confirm(&case, "审查", &["已审查"]).await;
    b.open_step(&case, "发《正名通知书》").await;
    b.type_into("#f-scope", "阿拉善左旗公安局全体民警").await;
    b.choose("select[name='means']", "circular").await;
    b.type_into(
        "#f-clarification",
        "巴特尔同志依法执法，不存在索要财物的问题",
    )
    .await;
    b.confirm(&case, "发《正名通知书》", &["正名通知书"]).await;
    b.open_step(&case, "移交追究责任").await;
    b.type_into("#f-department", "阿拉善左旗公安局法制大队")
        .await;
    b.type_into("#f-liability", "孙某涉嫌诬告陷害，依法追究责任")
        .await;
    b.confirm(&case, "移交追究责任", &["移交追责"]).await;
    b.open_step(&case, "办结").await;
    b.confirm(&case, "办结", &["已办结"]).await;
    b.shot("closed").await;

    b.click(&format!("a[href='/cases/{case}/notices/1']")).await;
    b.wait_text(&[
        "正名通知书",
        "系诬告",
        "在阿拉善左旗公安局全体民警范围内以通报方式公开",
    ])
    .await;
    b.shot("notice").await;
}
