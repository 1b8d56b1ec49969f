//! The assessor's report from real data: the sample data set loaded into a real registry, scored by
//! the real evaluation service, rendered to HTML, and (where Chromium is installed) drawn by
//! headless Chromium. Skipped, with a message, only where Chromium is absent.
//!
//! The committed example and screenshot come from this test:
//!
//!     EASTWEST_REPORT_EXAMPLE=docs/report-example.html EASTWEST_REPORT_SCREENSHOT=docs/report-screenshot.png \
//!         cargo test -p eastwest-tests --test report

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use eastwest_cli::report::{self, ReportInput};
use eastwest_cli::transfer::{import_all, read_jsonl};
use eastwest_proto::evaluation::v1 as ev;
use eastwest_tests::evaluation::TestEvaluation;
use eastwest_tests::registry::TestRegistry;

/// The date the example is evaluated as of, so that the committed example does not drift.
const AS_OF: &str = "2024-12-31";
/// The year assessed: the last of the sample data.
const YEAR: i32 = 2024;

fn workspace_path(var: &str) -> Option<PathBuf> {
    let value = std::env::var_os(var)?;
    Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(value))
}

/// The first of the usual Chromium binaries found on PATH.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Runs Chromium headless to screenshot `html` into `png`, killing it (and its helpers) after
/// `timeout`. Returns Chromium's exit status, or an error message.
fn screenshot(browser: &Path, html: &Path, png: &Path, scratch: &Path, timeout: Duration) -> Result<(), String> {
    use std::os::unix::process::CommandExt as _;
    let profile = scratch.join("profile");
    let log = std::fs::File::create(scratch.join("chromium.log")).map_err(|e| e.to_string())?;
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--window-size=1280,3400")
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", html.display()))
        .stdin(Stdio::null())
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log)
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", browser.display()))?;
    let started = Instant::now();
    let outcome = loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => break Ok(()),
            Ok(Some(status)) => break Err(format!("chromium exited with {status}")),
            Ok(None) if started.elapsed() > timeout => break Err(format!("chromium did not finish in {timeout:?}")),
            Ok(None) => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => break Err(e.to_string()),
        }
    };
    // Chromium leaves helper processes in its group; end them all, whatever happened.
    let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", child.id())]).stderr(Stdio::null()).status();
    let _ = child.kill();
    let _ = child.wait();
    outcome.map_err(|e| {
        let log = std::fs::read_to_string(scratch.join("chromium.log")).unwrap_or_default();
        format!("{e}\n--- chromium output ---\n{log}")
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_of_the_sample_data_renders_in_headless_chromium() {
    let registry = TestRegistry::start().await;
    let mut client = registry.client().await;
    let sample = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../data/sample/registry.jsonl"))
        .expect("sample data");
    let loaded = import_all(&mut client, read_jsonl(&sample)).await;
    assert!(loaded.failed.is_empty(), "{:?}", loaded.failed);
    let evaluation = TestEvaluation::start(&registry.url()).await;
    let mut e = evaluation.client().await;
    // The year the sample data end in, with its trend: each year evaluated on its own.
    let trend_years = report::trend_years(YEAR);
    let mut trends = report::Trends::new();
    let mut evaluations = Vec::new();
    for &year in &trend_years {
        let as_of = if year == YEAR { AS_OF.to_owned() } else { String::new() };
        let request = ev::EvaluatePairingsRequest { year, filter: None, as_of };
        let mut stream = e.evaluate_pairings(request).await.expect("stream").into_inner();
        let mut of_year = Vec::new();
        while let Some(item) = stream.message().await.expect("evaluation") {
            of_year.push(item);
        }
        for item in &of_year {
            trends.entry(item.pairing.clone()).or_default().push(report::YearGrade {
                year,
                score: item.overall_score,
                grade: item.grade,
            });
        }
        evaluations = of_year;
    }
    assert_eq!(evaluations.len(), 30);
    let counties = eastwest_cli::evaluate::county_counts(&mut client, &evaluations).await.expect("counties");
    assert_eq!(counties.len(), 11, "every province pairing is counted");
    let input = ReportInput {
        title: "东西部协作评估报告 · East-West Collaboration assessment",
        generated: AS_OF,
        as_of: AS_OF,
        model_version: &evaluations[0].model_version,
        filters: "全部结对 all pairings",
        evaluations: &evaluations,
        year: Some(YEAR),
        trend_years: &trend_years,
        trends: &trends,
        counties: &counties,
    };
    let html = report::html(&input);
    assert!(html.contains("<svg") && !html.contains("<script"));
    assert!(html.matches("<polygon").count() >= evaluations.len(), "a radar polygon per pairing");
    assert_eq!(html.matches("<svg class=\"trend\"").count(), evaluations.len(), "a trend line per pairing");
    for e in &evaluations {
        assert!(html.contains(&e.pairing), "{} is in the report", e.pairing);
    }
    let markdown = report::markdown(&input);
    assert!(markdown.contains("pairings/js-sn"));
    assert!(markdown.contains("- 等级趋势 Trend: 2022–2024"), "the header names the trend's years");
    let province = markdown.find("### 省级 province (11)").expect("a province ranking");
    let prefecture = markdown.find("### 市级 prefecture (11)").expect("a prefecture ranking");
    let county = markdown.find("### 县级 county (5)").expect("a county ranking");
    assert!(province < prefecture && prefecture < county, "ranked within each level, provinces first");
    assert_eq!(markdown.matches("- 逐年等级 Grades by year: 2022 ").count(), 30, "a trend per pairing");
    assert_eq!(
        markdown.matches("- 东西部分别评级 Sides graded apart: 东部 East ").count(),
        30,
        "both sides' grades per pairing"
    );
    if let Some(out) = workspace_path("EASTWEST_REPORT_EXAMPLE") {
        std::fs::write(&out, &html).expect("write the example");
    }

    let Some(browser) = chromium() else {
        eprintln!("skipped: chromium not found (install it to render the report)");
        return;
    };
    let scratch = tempfile::tempdir().expect("tempdir");
    let page = scratch.path().join("report.html");
    std::fs::write(&page, &html).expect("write html");
    let png = scratch.path().join("report.png");
    let shot = {
        let (browser, page, png, dir) = (browser.clone(), page.clone(), png.clone(), scratch.path().to_path_buf());
        tokio::task::spawn_blocking(move || screenshot(&browser, &page, &png, &dir, Duration::from_secs(60)))
            .await
            .expect("join")
    };
    shot.unwrap_or_else(|e| panic!("chromium failed: {e}"));
    let bytes = std::fs::read(&png).expect("screenshot");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    assert!(bytes.len() > 20_000, "more than a blank page: {} bytes", bytes.len());
    if let Some(out) = workspace_path("EASTWEST_REPORT_SCREENSHOT") {
        std::fs::copy(&png, &out).expect("keep the screenshot");
    }
    evaluation.stop().await;
    registry.stop().await;
}
