//! The whole procedure in a real browser: headless Chromium driven through WebDriver
//! (chromedriver) against the real server on a loopback port, with the demo data.
//!
//! Through the pages only — typing into inputs, choosing options, ticking boxes, clicking
//! buttons — the demo officer files on the annex form (000 §12), the office registers and
//! accepts it (000 §13) and forms the panel (000 §14), a panel member answers the facts
//! interview (the recommendation panel follows each answer without a page load) and drafts
//! the opinion, the 主任 approves it, the office issues it (000 §16), the officer applies for
//! 复议 and the 主任 replies (000 §21), the officer declares no objection and the office starts
//! the publicity (000 §23). Finally the officer of another banner opens the case and is refused.
//!
//! After each step the page's stage or notice is checked, and a screenshot is saved under
//! `target/browser-artifacts/NN-step.png`. Without `chromedriver` or `/usr/bin/chromium` the test
//! says it is skipped and passes (CI installs both, see `.ci/run`).

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
const OFFICER: (&str, &str) = ("officer", "demo-officer-2026");
const OFFICE: (&str, &str) = ("office", "demo-office-2026");
const PANEL_LEGAL: (&str, &str) = ("panel-legal", "demo-panel-legal-2026");
const DIRECTOR: (&str, &str) = ("director", "demo-director-2026");
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

    /// The text of the recommendation panel.
    async fn recommendation(&self) -> String {
        match self.c.find(Locator::Id("recommendation")).await {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }
}

/// The facts a panel establishes for a lawful use of a weapon, reported and followed by rescue
/// (000 §7(二)): a serving officer on duty, none of the exclusions of 000 §9, §11 and §31 ¶2.
const WEAPON_FACTS: &[(&str, &str)] = &[
    ("person_category", "serving_officer"),
    ("off_duty", "false"),
    ("intentional_violation", "false"),
    ("improper_gain", "false"),
    ("prohibited_act", "false"),
    ("other_exclusion", "false"),
    ("evidence_lost_recording_violation", "false"),
    ("concealed_or_refused_rectification", "false"),
    ("reported_promptly", "true"),
    ("timely_rescue", "true"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_procedure_in_a_browser() {
    let Some(chromedriver) = on_path("chromedriver") else {
        println!("browser tests skipped: chromedriver is not installed (apt-get install chromium-driver)");
        return;
    };
    if !Path::new(CHROMIUM).is_file() {
        println!("browser tests skipped: {CHROMIUM} is not installed (apt-get install chromium)");
        return;
    }
    let started = Instant::now();
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-artifacts");
    std::fs::create_dir_all(&shots).expect("the screenshot directory");
    for old in std::fs::read_dir(&shots).expect("the screenshot directory") {
        let path = old.expect("a directory entry").path();
        if path.extension().is_some_and(|x| x == "png") {
            let _ = std::fs::remove_file(path);
        }
    }

    let data = tempfile::tempdir().expect("temp dir");
    let app = common::demo_app(data.path()).await;
    let addr: SocketAddr = common::serve(app.clone()).await;

    let profile = tempfile::tempdir().expect("a browser profile directory");
    let driver = start_driver(&chromedriver);
    let client = connect(&driver, profile.path()).await;
    let mut b = Browser {
        c: client,
        base: format!("http://{addr}"),
        shots,
        n: 0,
    };

    // 1. The officer files on the annex form (000 §12).
    b.sign_in(OFFICER).await;
    b.goto("/cases/new").await;
    b.wait_text(&["公安民警免责容错申请表", "巴彦浩特派出所", "巴特尔"])
        .await;
    let me = b.find("input[name='applicant'][value='p-bateer']").await;
    assert!(
        me.is_selected().await.expect("checkbox state"),
        "the officer is the applicant"
    );
    b.type_into("#f-matter", "申请对警告处分适用依法履职免责")
        .await;
    b.type_into(
        "#f-reasons",
        "2026年10月9日处置持刀行凶警情时，经口头警告无效，依法开枪制止暴力犯罪，事后立即报告并组织救治。",
    )
    .await;
    b.choose("select[name='decision.department']", "als-gaj-dczd")
        .await;
    b.choose("#f-sanction", "warning").await;
    b.type_date("input[name='decision.decided_on']", 2026, 11, 10)
        .await;
    b.type_into(
        "input[name='decision.document_number']",
        "阿盟公督〔2026〕12号",
    )
    .await;
    b.shot("application-form").await;
    b.press("提交申请").await;
    let at = b
        .wait_url("the new case", |at| {
            at.starts_with("/cases/A") && at.ends_with("?msg=recorded")
        })
        .await;
    let case = at
        .trim_start_matches("/cases/")
        .trim_end_matches("?msg=recorded")
        .to_string();
    b.wait_text(&[
        "已记录，案件审计链已更新。",
        "申请对警告处分适用依法履职免责",
    ])
    .await;
    assert_eq!(b.stage().await, "已收到申请");
    b.shot("filed").await;
    b.sign_out().await;

    // 2. The office registers and accepts it (000 §13), then forms the panel (000 §14).
    b.sign_in(OFFICE).await;
    b.open_step(&case, "登记申请").await;
    b.confirm(&case, "登记申请", &[]).await;
    assert_eq!(b.stage().await, "已登记、初查中");
    b.shot("registered").await;
    b.open_step(&case, "决定受理").await;
    b.confirm(&case, "决定受理", &["免责容错申请受理通知书"])
        .await;
    assert_eq!(b.stage().await, "已受理、审查论证中");
    b.shot("accepted").await;
    // Issue 6: the notice's PDF and editable DOCX are linked from the case page.
    b.find(&format!("a.pdf[href='/cases/{case}/documents/1.pdf']"))
        .await;
    b.find(&format!("a.docx[href='/cases/{case}/documents/1.docx']"))
        .await;

    b.open_step(&case, "组成审查论证组").await;
    b.wait_text(&["马俊", "高岩", "回避审查"]).await;
    b.click("#m-p-majun").await;
    b.choose("select[name='members.p-majun.category']", "legal")
        .await;
    b.click("#m-p-gaoyan").await;
    b.choose("select[name='members.p-gaoyan.category']", "discipline")
        .await;
    b.shot("panel-form").await;
    let text = b.confirm(&case, "组成审查论证组", &["审查论证组"]).await;
    assert!(
        text.contains("马俊、高岩") || text.contains("高岩、马俊"),
        "{text}"
    );
    b.shot("panel-formed").await;
    b.sign_out().await;

    // 3. A panel member answers the interview; the recommendation follows each answer live.
    b.sign_in(PANEL_LEGAL).await;
    b.goto(&format!("/cases/{case}")).await;
    b.find("#interview").await;
    let before = b.recommendation().await;
    assert!(before.contains("系统建议结论"), "{before}");
    let loads = b
        .c
        .execute("return performance.getEntriesByType('navigation').length + ':' + performance.timeOrigin;", vec![])
        .await
        .expect("the page's navigation record");
    b.choose("select[name='fact.weapon_use_lawful']", "true")
        .await;
    let deadline = Instant::now() + PATIENCE;
    loop {
        let now = b.recommendation().await;
        if !now.is_empty() && now != before {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the recommendation did not change after an answer:\n{now}"
        );
        tokio::time::sleep(POLL).await;
    }
    let same_page = b
        .c
        .execute("return performance.getEntriesByType('navigation').length + ':' + performance.timeOrigin;", vec![])
        .await
        .expect("the page's navigation record");
    assert_eq!(
        loads, same_page,
        "the recommendation changed without a page load"
    );
    for (fact, value) in WEAPON_FACTS {
        b.choose(&format!("select[name='fact.{fact}']"), value)
            .await;
    }
    let deadline = Instant::now() + PATIENCE;
    loop {
        let now = b.recommendation().await;
        if now.contains("应当免责") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the recommendation never reached 应当免责:\n{now}"
        );
        tokio::time::sleep(POLL).await;
    }
    b.shot("interview-live").await;
    b.press("保存事实并记录建议").await;
    let want = format!("/cases/{case}?msg=recorded");
    b.wait_url(&want, |at| at == want).await;
    b.wait_text(&["已记录，案件审计链已更新。"]).await;
    b.shot("facts-recorded").await;

    b.open_step(&case, "起草审查论证意见").await;
    let outcome = b.find("#f-determination-outcome").await;
    assert_eq!(
        outcome.prop("value").await.expect("value").as_deref(),
        Some("exemption"),
        "the draft starts from the recommendation"
    );
    b.type_into(
        "#f-determination-basis",
        "经审查论证，民警在处置持刀行凶警情时依法使用武器，及时报告并组织救治，符合依法履职免责情形。",
    )
    .await;
    b.confirm(&case, "起草审查论证意见", &[]).await;
    assert_eq!(b.stage().await, "审查论证意见待批准");
    b.shot("opinion-drafted").await;
    b.sign_out().await;

    // 4. The 主任 approves the opinion; the office issues it (000 §14, §16).
    b.sign_in(DIRECTOR).await;
    b.open_step(&case, "批准审查论证意见").await;
    b.confirm(&case, "批准审查论证意见", &[]).await;
    assert_eq!(b.stage().await, "审查论证意见已批准、待出具");
    b.shot("opinion-approved").await;
    b.sign_out().await;

    b.sign_in(OFFICE).await;
    b.open_step(&case, "出具审查论证意见").await;
    b.confirm(&case, "出具审查论证意见", &["免责容错审查论证意见书"])
        .await;
    assert_eq!(b.stage().await, "审查论证意见已出具");
    b.shot("opinion-issued").await;
    b.sign_out().await;

    // 5. The officer applies for 复议; the 主任 replies, upholding the opinion (000 §21).
    b.sign_in(OFFICER).await;
    b.open_step(&case, "申请复议").await;
    b.type_into("#f-grounds", "意见书对现场救治经过的认定不完整，申请复议。")
        .await;
    b.confirm(&case, "申请复议", &[]).await;
    assert_eq!(b.stage().await, "复议办理中");
    b.shot("reconsideration-applied").await;
    b.sign_out().await;

    b.sign_in(DIRECTOR).await;
    b.open_step(&case, "回复复议意见").await;
    b.click("input[name='upheld'][value='true']").await;
    b.type_into(
        "#f-reasoning",
        "经复查，救治经过已有现场记录证实，原意见认定事实清楚，维持原意见。",
    )
    .await;
    b.confirm(&case, "回复复议意见", &["免责容错复议意见书"])
        .await;
    assert_eq!(b.stage().await, "复议意见已回复");
    b.shot("reconsideration-replied").await;
    b.sign_out().await;

    // 6. The officer declares no objection; the office starts the publicity (000 §23).
    b.sign_in(OFFICER).await;
    b.open_step(&case, "表示无异议").await;
    b.confirm(&case, "表示无异议", &["无异议"]).await;
    b.shot("no-objection").await;
    b.sign_out().await;

    b.sign_in(OFFICE).await;
    b.open_step(&case, "开始公示").await;
    let place = b.find("#f-place").await;
    assert_eq!(
        place.prop("value").await.expect("value").as_deref(),
        Some("巴彦浩特派出所"),
        "published at the applicant's unit"
    );
    b.confirm(&case, "开始公示", &["免责容错认定意见公示", "公示期"])
        .await;
    b.shot("publicity-started").await;
    b.sign_out().await;

    // 7. The officer of another banner may not open the case.
    b.sign_in(OTHER_BANNER_OFFICER).await;
    b.goto(&format!("/cases/{case}")).await;
    b.wait_text(&["无权访问", "您无权查看或办理该案件"]).await;
    assert!(!b.text().await.contains("申请对警告处分适用依法履职免责"));
    b.shot("other-unit-refused").await;

    // The record: every step in the chain, intact.
    let loaded = app.service().load(&case).await.expect("the case loads");
    assert!(loaded.state.publicity.is_some());
    let report = app.store().verify().await.expect("the chain verifies");
    assert!(report.problem.is_none(), "{:?}", report.problem);

    let _ = b.c.close().await;
    drop(driver);
    println!(
        "browser test: {} screenshots in {} after {:.1?}",
        b.n,
        b.shots.display(),
        started.elapsed()
    );
}
