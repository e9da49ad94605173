//! The browser tests' harness: headless Chromium driven through WebDriver (chromedriver) against
//! the real server with the demo data on a loopback port, and what a person does on the pages —
//! signing in, typing, choosing, ticking, pressing, opening a step of a case and confirming it —
//! each waiting (polling) for the page's answer. Screenshots go under
//! `target/browser-artifacts/`. Without `chromedriver` or `/usr/bin/chromium` [`Browser::start`]
//! says the test is skipped.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use lvzhi_server::App;

pub(crate) const CHROMIUM: &str = "/usr/bin/chromium";
/// How long any one expected change of the page may take.
pub(crate) const PATIENCE: Duration = Duration::from_secs(10);
pub(crate) const POLL: Duration = Duration::from_millis(100);

/// The demo accounts (`lvzhi_server::demo`): login and password.
pub(crate) const OFFICER: (&str, &str) = ("officer", "demo-officer-2026");
pub(crate) const OFFICER2: (&str, &str) = ("officer2", "demo-officer2-2026");
pub(crate) const OFFICE: (&str, &str) = ("office", "demo-office-2026");
pub(crate) const PANEL_LEGAL: (&str, &str) = ("panel-legal", "demo-panel-legal-2026");
pub(crate) const DIRECTOR: (&str, &str) = ("director", "demo-director-2026");
pub(crate) const PARENT_OFFICE: (&str, &str) = ("parent-office", "demo-parent-office-2026");
pub(crate) const GAT_OFFICE: (&str, &str) = ("gat-office", "demo-gat-office-2026");
pub(crate) const OTHER_BANNER_OFFICER: (&str, &str) = ("officer-yq", "demo-officer-yq-2026");

/// The chromedriver child, killed with its whole process group (Chromium included) when the
/// test ends, whether it passed or panicked.
pub(crate) struct Driver {
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

/// The browser on the demo server, where the screenshots go, and what it runs on. The fields
/// drop in order: the WebDriver session, then chromedriver with Chromium, then the directories.
pub(crate) struct Browser {
    pub c: Client,
    pub base: String,
    pub shots: PathBuf,
    /// The screenshots saved so far.
    pub n: usize,
    /// The demo application the browser talks to.
    pub app: App,
    _driver: Driver,
    _data: tempfile::TempDir,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Headless Chromium on the demo application served on a loopback port, its screenshots in
    /// `target/browser-artifacts/<shots>` (emptied of earlier ones); `None`, saying why, when
    /// chromedriver or Chromium is not installed.
    pub(crate) async fn start(shots: &str) -> Option<Browser> {
        let Some(chromedriver) = on_path("chromedriver") else {
            println!("browser tests skipped: chromedriver is not installed (apt-get install chromium-driver)");
            return None;
        };
        if !Path::new(CHROMIUM).is_file() {
            println!(
                "browser tests skipped: {CHROMIUM} is not installed (apt-get install chromium)"
            );
            return None;
        }
        let mut dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-artifacts");
        if !shots.is_empty() {
            dir.push(shots);
        }
        std::fs::create_dir_all(&dir).expect("the screenshot directory");
        for old in std::fs::read_dir(&dir).expect("the screenshot directory") {
            let path = old.expect("a directory entry").path();
            if path.extension().is_some_and(|x| x == "png") {
                let _ = std::fs::remove_file(path);
            }
        }
        let data = tempfile::tempdir().expect("temp dir");
        let app = super::demo_app(data.path()).await;
        let addr: SocketAddr = super::serve(app.clone()).await;
        let profile = tempfile::tempdir().expect("a browser profile directory");
        let driver = start_driver(&chromedriver);
        let c = connect(&driver, profile.path()).await;
        Some(Browser {
            c,
            base: format!("http://{addr}"),
            shots: dir,
            n: 0,
            app,
            _driver: driver,
            _data: data,
            _profile: profile,
        })
    }

    /// Ends the WebDriver session and stops chromedriver with Chromium.
    pub(crate) async fn close(self) {
        let _ = self.c.clone().close().await;
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub(crate) async fn goto(&self, path: &str) {
        self.c.goto(&self.url(path)).await.expect("navigation");
    }

    /// The page's visible text.
    pub(crate) async fn text(&self) -> String {
        match self.c.find(Locator::Css("body")).await {
            Ok(b) => b.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Waits (polling) until the page's text contains every one of `needles`.
    pub(crate) async fn wait_text(&self, needles: &[&str]) -> String {
        self.wait_text_within(needles, PATIENCE).await
    }

    /// As [`Browser::wait_text`], up to `patience`.
    pub(crate) async fn wait_text_within(&self, needles: &[&str], patience: Duration) -> String {
        let deadline = Instant::now() + patience;
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
    pub(crate) async fn wait_url(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
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

    /// Waits for the element `locator` finds.
    async fn wait_for(&self, locator: Locator<'_>, what: &str) -> Element {
        self.c
            .wait()
            .at_most(PATIENCE)
            .every(POLL)
            .for_element(locator)
            .await
            .unwrap_or_else(|e| panic!("no element {what}: {e}"))
    }

    pub(crate) async fn find(&self, css: &str) -> Element {
        self.wait_for(Locator::Css(css), css).await
    }

    pub(crate) async fn find_xpath(&self, xpath: &str) -> Element {
        self.wait_for(Locator::XPath(xpath), xpath).await
    }

    pub(crate) async fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        e.click().await.expect("focus");
        e.send_keys(text).await.expect("typing");
    }

    /// Types a date into a date field the way a person does, in the order of the field's
    /// segments, which follows the browser's locale (月/日/年 or 年/月/日).
    pub(crate) async fn type_date(&self, css: &str, y: i32, m: u32, d: u32) {
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

    pub(crate) async fn choose(&self, css: &str, value: &str) {
        self.find(css)
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("option {value} of {css}: {e}"));
    }

    pub(crate) async fn click(&self, css: &str) {
        self.find(css).await.click().await.expect("click");
    }

    /// Clicks the button whose text is exactly `label`.
    pub(crate) async fn press(&self, label: &str) {
        self.find_xpath(&format!("//button[normalize-space(.)='{label}']"))
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("button {label}: {e}"));
    }

    /// Saves the viewport as `NN-step.png` in the screenshot directory.
    pub(crate) async fn shot(&mut self, step: &str) {
        self.n += 1;
        let png = self.c.screenshot().await.expect("a screenshot");
        let path = self.shots.join(format!("{:02}-{step}.png", self.n));
        std::fs::write(&path, png).expect("the screenshot is saved");
    }

    pub(crate) async fn sign_in(&self, (login, password): (&str, &str)) {
        self.goto("/login").await;
        self.type_into("input[name='login']", login).await;
        self.type_into("input[name='password']", password).await;
        self.press("登录").await;
        self.wait_url("the inbox", |at| at == "/" || at.starts_with("/?"))
            .await;
        self.find("form[action='/logout'] button").await;
    }

    pub(crate) async fn sign_out(&self) {
        self.click("form[action='/logout'] button").await;
        self.wait_url("the login page", |at| at == "/login").await;
    }

    /// On a page listing what I may do (a case page, 新建): opens the step `label` and waits
    /// for its form.
    pub(crate) async fn open_action(&self, label: &str) {
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

    /// On the case page: opens the step `label` from the list of what I may do now, and waits
    /// for its form.
    pub(crate) async fn open_step(&self, case: &str, label: &str) {
        self.goto(&format!("/cases/{case}")).await;
        self.open_action(label).await;
    }

    /// Confirms the open step's form and waits for the case page with its notice and `stage`.
    pub(crate) async fn confirm(&self, case: &str, label: &str, expect: &[&str]) -> String {
        self.press(&format!("确认{label}")).await;
        let want = format!("/cases/{case}?msg=recorded");
        self.wait_url(&want, |at| at == want).await;
        let mut needles = vec!["已记录，案件审计链已更新。"];
        needles.extend_from_slice(expect);
        self.wait_text(&needles).await
    }

    /// The stage shown at the top of the case page.
    pub(crate) async fn stage(&self) -> String {
        self.find(".case-head .stage")
            .await
            .text()
            .await
            .unwrap_or_default()
    }

    /// The text of the recommendation panel.
    pub(crate) async fn recommendation(&self) -> String {
        match self.c.find(Locator::Id("recommendation")).await {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }
}
