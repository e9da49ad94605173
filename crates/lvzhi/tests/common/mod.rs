//! What the binary's tests share: a successful run's output, a server killed at the end of its
//! test, and a PDF's text.
#![allow(dead_code)] // Each test file uses its own part.

use std::path::Path;
use std::process::{Child, Command, Output};

/// The standard output of a run that must succeed (its standard error in the failure).
pub(crate) fn ok(o: Output) -> String {
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        o.status.success(),
        "failed: {}\n{out}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

/// A running `lvzhi serve`, killed even when an assertion fails.
pub(crate) struct Server(pub(crate) Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A PDF's text without whitespace, by poppler's pdftotext; `None` where it is not installed.
pub(crate) fn pdftotext(pdf: &Path) -> Option<String> {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .ok()?;
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    Some(text.chars().filter(|c| !c.is_whitespace()).collect())
}
