//! The real `eastwest` binary's evaluation side with a year: a province pairing with its annual
//! agreement, measured activities over two years, and a prefecture and two county pairings below
//! it; what `evaluate`, `evaluate --all`, `summary` and `report` print for `--year`.

use eastwest_proto::registry::v1 as pb;
use eastwest_tests::cli::Cli;
use eastwest_tests::evaluation::TestEvaluation;
use eastwest_tests::grpc::Client;
use eastwest_tests::records::{activity, create_activity, create_actor, create_pairing, east, pairing, west};
use eastwest_tests::registry::TestRegistry;

/// 亿元 in fen.
const YI: i64 = 10_000_000_000;

fn aid(actor: &str, date: &str, fen: i64, verification: pb::Verification) -> pb::Activity {
    pb::Activity {
        kind: pb::ActivityKind::Funds as i32,
        form: pb::CooperationForm::Industry as i32,
        date: date.into(),
        amount_fen: fen,
        people: 0,
        verification: verification as i32,
        measures: vec![pb::Measure { indicator: pb::Indicator::FiscalAid as i32, value: fen }],
        ..activity(actor)
    }
}

/// Jiangsu–Shaanxi: 25 亿元 of fiscal aid in 2023, 26.9 亿元 in 2024 against an agreed 30 亿元 for
/// the east; a prefecture pairing below it and two county pairings below that.
async fn seed(c: &mut Client) {
    east(c, "js").await;
    west(c, "sn").await;
    create_pairing(c, "js-sn", pairing("江苏—陕西东西部协作", "js", "sn")).await;
    create_actor(c, "sz", eastwest_tests::records::actor("苏州市人民政府", pb::Side::East, "320500")).await;
    create_actor(c, "ak", eastwest_tests::records::actor("安康市人民政府", pb::Side::West, "610900")).await;
    let prefecture = pb::Pairing {
        level: pb::PairingLevel::Prefecture as i32,
        parent: "pairings/js-sn".into(),
        ..pairing("苏州—安康", "sz", "ak")
    };
    create_pairing(c, "sz-ak", prefecture).await;
    for (id, title) in [("ks-xy", "昆山—旬阳"), ("zjg-ss", "张家港—石泉")] {
        let county = pb::Pairing {
            level: pb::PairingLevel::County as i32,
            parent: "pairings/sz-ak".into(),
            ..pairing(title, "sz", "ak")
        };
        create_pairing(c, id, county).await;
    }
    create_activity(c, "js-sn", "aid-2023", aid("js", "2023-12-31", 25 * YI, pb::Verification::Confirmed)).await;
    create_activity(c, "js-sn", "aid-2024", aid("js", "2024-12-31", 269 * YI / 10, pb::Verification::Reported)).await;
    c.create_agreement(pb::CreateAgreementRequest {
        parent: "pairings/js-sn".into(),
        agreement_id: "2024".into(),
        agreement: Some(pb::Agreement {
            targets: vec![pb::Target {
                indicator: pb::Indicator::FiscalAid as i32,
                side: pb::Side::East as i32,
                value: 30 * YI,
            }],
            ..Default::default()
        }),
    })
    .await
    .expect("create the 2024 agreement");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_year_is_evaluated_against_its_agreement_and_ranked_within_its_level() {
    let registry = TestRegistry::start().await;
    let mut client = registry.client().await;
    seed(&mut client).await;
    let evaluation = TestEvaluation::start(&registry.url()).await;
    let cli = Cli::new(&registry, &evaluation).await;

    let one = cli.ok(&["evaluate", "js-sn", "--year", "2024"]).await;
    for expected in [
        "year 2024: overall",
        "effectiveness ",
        "governance ",
        "east ",
        "2 county pairings below",
        "RESULTS",
        "ATTAINMENT",
        "UNCONFIRMED",
        "CRITERION",
    ] {
        assert!(one.contains(expected), "{expected} missing from:\n{one}");
    }
    let row = one.lines().find(|l| l.starts_with("财政援助资金")).unwrap_or_else(|| panic!("a fiscal aid row:\n{one}"));
    let cells: Vec<&str> = row.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect();
    assert_eq!(
        cells,
        [
            "财政援助资金 fiscal aid",
            "东部 east",
            "30.00 亿元",
            "26.90 亿元",
            "13.45 亿元",
            "25.00 亿元",
            "89.7%",
            "100%"
        ],
        "target, actual, per county, last year, attainment and the share resting on one side's report:\n{one}"
    );
    assert!(one.find("RESULTS") < one.find("CRITERION"), "the year before the criteria");

    let json: serde_json::Value =
        serde_json::from_str(cli.ok(&["evaluate", "js-sn", "--year", "2024", "--output", "json"]).await.trim())
            .expect("one JSON object");
    assert_eq!(json["year"], 2024);
    assert_eq!(json["results"][0]["actual"].as_i64(), Some(269 * YI / 10), "the full message");
    assert_eq!(json["sides"].as_array().map(Vec::len), Some(2));

    let ranked = cli.ok(&["evaluate", "--all", "--year", "2024"]).await;
    let blocks: Vec<&str> = ranked.split("\n\n").collect();
    assert_eq!(blocks.len(), 3, "one table per level:\n{ranked}");
    assert!(blocks[0].starts_with("province · 1 pairing\n") && blocks[0].contains("13.45 亿元"), "{ranked}");
    assert!(blocks[1].starts_with("prefecture · 1 pairing\n"), "{ranked}");
    assert!(blocks[2].starts_with("county · 2 pairings\n"), "{ranked}");

    let summary = cli.ok(&["summary", "--group-by", "level", "--year", "2024"]).await;
    assert!(summary.contains("as of 2024-12-31, year 2024"), "{summary}");

    let bad = cli.run(&["evaluate", "js-sn", "--year", "1999"]).await;
    assert_eq!(bad.status.code(), Some(2), "clap refuses a year outside 2000–2100");
    let outside = cli.run(&["evaluate", "js-sn", "--year", "2024", "--as-of", "2023-06-30"]).await;
    assert_eq!(outside.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&outside.stderr).contains("as_of"), "the service's reason is shown");

    let dir = tempfile::tempdir().expect("tempdir");
    let md = dir.path().join("report.md");
    cli.ok(&["report", "--format", "markdown", "--year", "2024", "--out", md.to_str().expect("path")]).await;
    let text = std::fs::read_to_string(&md).expect("md");
    assert!(text.contains("- 等级趋势 Trend: 2022–2024"), "{text}");
    assert!(text.contains("- 下辖结对县 County pairings below: 2"), "{text}");
    assert!(text.contains(
        "| 财政援助资金 fiscal aid | 东部 east | 30.00 亿元 | 26.90 亿元 | 13.45 亿元 | 25.00 亿元 | 89.7% | 100% |"
    ));
    assert_eq!(text.matches("- 逐年等级 Grades by year: 2022 ").count(), 4, "a trend per pairing");
    let html = dir.path().join("report.html");
    cli.ok(&["report", "--format", "html", "--year", "2024", "--out", html.to_str().expect("path")]).await;
    let page = std::fs::read_to_string(&html).expect("html");
    assert_eq!(page.matches("<svg class=\"trend\"").count(), 4);
    evaluation.stop().await;
    registry.stop().await;
}
