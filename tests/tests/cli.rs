//! The real `eastwest` binary against real servers: every subcommand, its output and exit codes.

use std::path::{Path, PathBuf};
use std::process::Output;

use eastwest_tests::cli::Cli;
use eastwest_tests::evaluation::TestEvaluation;
use eastwest_tests::process::cargo_binary;
use eastwest_tests::registry::TestRegistry;

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}"))).collect()
}

const JS: &str = r#"{"display_name":"江苏省人民政府","category":"ACTOR_CATEGORY_GOVERNMENT_BODY","side":"SIDE_EAST","region_code":"320000"}"#;
const SN: &str = r#"{"display_name":"陕西省人民政府","category":"ACTOR_CATEGORY_GOVERNMENT_BODY","side":"SIDE_WEST","region_code":"610000"}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_can_be_created_listed_shown_and_deleted() {
    let registry = TestRegistry::start().await;
    let evaluation = TestEvaluation::start(&registry.url()).await;
    let cli = Cli::new(&registry, &evaluation).await;

    let table = cli.ok(&["actors", "create", "--id", "js", "--json", JS]).await;
    assert!(table.contains("actors/js") && table.contains("江苏省人民政府"), "{table}");
    cli.ok(&["actors", "create", "--id", "sn", "--json", SN]).await;
    let shown = json_lines(&cli.ok(&["actors", "get", "js", "--output", "json"]).await);
    assert_eq!(shown[0]["display_name"], "江苏省人民政府");
    assert_eq!(shown[0]["credit_code_check"], "CREDIT_CODE_CHECK_ABSENT");
    let east = json_lines(&cli.ok(&["actors", "list", "--side", "east", "--all", "--output", "json"]).await);
    assert_eq!(east.len(), 1);

    let pairing = r#"{"title":"江苏—陕西","east":"actors/js","west":"actors/sn","level":"PAIRING_LEVEL_PROVINCE","leadership":"LEADERSHIP_GOVERNMENT_LED","state":"PAIRING_STATE_ACTIVE"}"#;
    cli.ok(&["pairings", "create", "--id", "js-sn", "--json", pairing]).await;
    let listed = cli.ok(&["pairings", "list", "--region-prefix", "61"]).await;
    assert!(listed.contains("pairings/js-sn") && listed.contains("PROVINCE"), "{listed}");
    let got = json_lines(&cli.ok(&["pairings", "get", "pairings/js-sn", "--output", "json"]).await);
    assert_eq!(got[0]["west_region_code"], "610000");

    let activity = r#"{"actor":"actors/js","form":"COOPERATION_FORM_INDUSTRY","kind":"ACTIVITY_KIND_FUNDS","direction":"FLOW_DIRECTION_EAST_TO_WEST","date":"2021-12-31","amount_fen":269000000000}"#;
    cli.ok(&["activities", "create", "js-sn", "--id", "aid-2021", "--json", activity]).await;
    let acts = cli.ok(&["activities", "list", "js-sn", "--all"]).await;
    assert!(acts.contains("2,690,000,000.00"), "money shows as yuan: {acts}");
    let one =
        json_lines(&cli.ok(&["activities", "get", "pairings/js-sn/activities/aid-2021", "--output", "json"]).await);
    assert_eq!(one[0]["amount_fen"], 269_000_000_000i64);

    // Paging: one page, the next token on stderr; --all follows it.
    for i in 0..3 {
        let body = SN.replace("陕西省人民政府", &format!("west {i}"));
        cli.ok(&["actors", "create", "--id", &format!("w{i}"), "--json", &body]).await;
    }
    let first = cli.run(&["actors", "list", "--page-size", "2"]).await;
    assert!(first.status.success());
    assert!(stderr(&first).contains("--page-token"), "{}", stderr(&first));
    assert_eq!(
        json_lines(&cli.ok(&["actors", "list", "--page-size", "2", "--all", "--output", "json"]).await).len(),
        5
    );

    // A failed call: exit 1, the code, the message and the field violations.
    let bad = cli.run(&["actors", "create", "--json", r#"{"display_name":"","side":"SIDE_EAST"}"#]).await;
    assert_eq!(bad.status.code(), Some(1));
    let err = stderr(&bad);
    assert!(
        err.contains("InvalidArgument") && err.contains("actor.display_name") && err.contains("actor.category"),
        "{err}"
    );
    let refused = cli.run(&["actors", "delete", "js"]).await;
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("FailedPrecondition"), "{}", stderr(&refused));
    let missing = cli.run(&["pairings", "get", "nope"]).await;
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("NotFound"));

    // Bad usage: exit 2.
    assert_eq!(cli.run(&["actors", "list", "--side", "north"]).await.status.code(), Some(2));
    let negative = cli.run(&["actors", "list", "--page-size", "-1"]).await;
    assert_eq!(negative.status.code(), Some(2));
    assert!(stderr(&negative).contains("not in 1.."), "the range, not a missing flag: {}", stderr(&negative));
    cli.ok(&["actors", "list", "--page-size", "5000"]).await;
    assert_eq!(cli.run(&["frobnicate"]).await.status.code(), Some(2));
    assert_eq!(cli.run(&["actors", "create", "--json", "{not json"]).await.status.code(), Some(2));

    let refused = cli.run(&["pairings", "delete", "js-sn"]).await;
    assert_eq!(refused.status.code(), Some(1), "activities block the delete without --force");
    cli.ok(&["pairings", "delete", "js-sn", "--force"]).await;
    cli.ok(&["actors", "delete", "actors/js"]).await;
    let gone = cli.run(&["actors", "get", "js"]).await;
    assert_eq!(gone.status.code(), Some(1));
    evaluation.stop().await;
    registry.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn updates_change_the_named_fields_and_etags_guard_them() {
    let registry = TestRegistry::start().await;
    let evaluation = TestEvaluation::start(&registry.url()).await;
    let cli = Cli::new(&registry, &evaluation).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let js = JS.replace(r#""region_code""#, r#""description":"东部省份","region_code""#);
    cli.ok(&["actors", "create", "--id", "js", "--json", &js]).await;
    cli.ok(&["actors", "create", "--id", "sn", "--json", SN]).await;

    // Only the fields the JSON names change; one given its default is cleared.
    let table = cli.run(&["actors", "update", "js", "--json", r#"{"displayName":"江苏省","description":""}"#]).await;
    assert!(table.status.success(), "{}", stderr(&table));
    assert!(String::from_utf8_lossy(&table.stdout).contains("江苏省"));
    assert!(stderr(&table).starts_with("etag: "), "a table names the etag for --etag: {}", stderr(&table));
    let js = json_lines(&cli.ok(&["actors", "get", "js", "--output", "json"]).await).remove(0);
    assert_eq!(js["display_name"], "江苏省");
    assert_eq!(js["description"], "", "cleared");
    assert_eq!(js["category"], "ACTOR_CATEGORY_GOVERNMENT_BODY", "untouched");
    assert_eq!(js["region_code"], "320000", "untouched");

    // `get --output json`, edited, back through `update --file`: the record's etag guards it.
    let mut edited = js.clone();
    edited["display_name"] = "江苏省人民政府".into();
    let file = write(dir.path(), "js.json", &edited.to_string());
    let path = file.to_str().expect("path");
    cli.ok(&["actors", "update", "js", "--file", path]).await;
    let stale = cli.run(&["actors", "update", "js", "--file", path]).await;
    assert_eq!(stale.status.code(), Some(1), "the file's etag is now stale");
    assert!(stderr(&stale).contains("Aborted"), "{}", stderr(&stale));
    let etag = json_lines(&cli.ok(&["actors", "get", "js", "--output", "json"]).await)[0]["etag"]
        .as_str()
        .expect("etag")
        .to_string();
    let old = js["etag"].as_str().expect("etag");
    assert_ne!(old, etag);
    let stale_flag = cli.run(&["actors", "update", "js", "--etag", old, "--json", r#"{"description":"x"}"#]).await;
    assert_eq!(stale_flag.status.code(), Some(1), "{}", stderr(&stale_flag));
    cli.ok(&["actors", "update", "js", "--etag", &etag, "--json", r#"{"description":"x"}"#]).await;

    // The server's checks still apply, field by field.
    let wrong = cli.run(&["actors", "update", "js", "--json", r#"{"region_code":"999999"}"#]).await;
    assert_eq!(wrong.status.code(), Some(1));
    assert!(stderr(&wrong).contains("actor.region_code"), "{}", stderr(&wrong));

    // --replace: the JSON is the whole record, so a key left out is cleared.
    let mut whole = json_lines(&cli.ok(&["actors", "get", "js", "--output", "json"]).await).remove(0);
    whole.as_object_mut().expect("object").remove("description");
    let file = write(dir.path(), "whole.json", &whole.to_string());
    cli.ok(&["actors", "update", "js", "--replace", "--file", file.to_str().expect("path")]).await;
    let replaced = json_lines(&cli.ok(&["actors", "get", "js", "--output", "json"]).await).remove(0);
    assert_eq!(replaced["description"], "");
    assert_eq!(replaced["display_name"], "江苏省人民政府");
    cli.ok(&["actors", "update", "actors/js", "--json", r#"{"name":"js","description":"x"}"#]).await;

    // Only output-only fields: the registry refuses, and the etag others hold does not move.
    let before = json_lines(&cli.ok(&["actors", "get", "js", "--output", "json"]).await).remove(0);
    let nothing = cli.run(&["actors", "update", "js", "--json", r#"{"create_time":"2021-01-01T00:00:00Z"}"#]).await;
    assert_eq!(nothing.status.code(), Some(1));
    assert!(stderr(&nothing).contains("update_mask"), "{}", stderr(&nothing));
    let after = json_lines(&cli.ok(&["actors", "get", "js", "--output", "json"]).await).remove(0);
    assert_eq!(after["etag"], before["etag"]);

    // Pairings too, including a whole pairing from `get`, whose copied region codes are output-only.
    let pairing = r#"{"title":"江苏—陕西","east":"actors/js","west":"actors/sn","level":"PAIRING_LEVEL_PROVINCE","leadership":"LEADERSHIP_GOVERNMENT_LED","state":"PAIRING_STATE_ACTIVE"}"#;
    cli.ok(&["pairings", "create", "--id", "js-sn", "--json", pairing]).await;
    cli.ok(&["pairings", "update", "pairings/js-sn", "--json", r#"{"state":"PAIRING_STATE_CLOSED"}"#]).await;
    let mut closed = json_lines(&cli.ok(&["pairings", "get", "js-sn", "--output", "json"]).await).remove(0);
    assert_eq!(closed["state"], "PAIRING_STATE_CLOSED");
    assert_eq!(closed["title"], "江苏—陕西");
    closed["title"] = "江苏—陕西协作".into();
    let file = write(dir.path(), "js-sn.json", &closed.to_string());
    cli.ok(&["pairings", "update", "js-sn", "--file", file.to_str().expect("path")]).await;
    let retitled = json_lines(&cli.ok(&["pairings", "get", "js-sn", "--output", "json"]).await).remove(0);
    assert_eq!(retitled["title"], "江苏—陕西协作");
    assert_eq!(retitled["west_region_code"], "610000");

    // Careless input: exit 2, nothing sent, nothing changed.
    for bad in [
        vec!["actors", "update", "js", "--json", "{}"],
        vec!["actors", "update", "js", "--json", r#"{"colour":"red"}"#],
        vec!["actors", "update", "js", "--json", r#"["display_name"]"#],
        vec!["actors", "update", "js", "--json", r#"{"name":"actors/sn","display_name":"x"}"#],
        vec!["actors", "update", "js", "--etag", "7", "--json", r#"{"etag":"8","display_name":"x"}"#],
        vec!["actors", "update", "js", "--json", r#"{"display_name":"A","displayName":"B"}"#],
    ] {
        let out = cli.run(&bad).await;
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", stderr(&out));
    }
    let unchanged = json_lines(&cli.ok(&["actors", "get", "js", "--output", "json"]).await).remove(0);
    assert_eq!(unchanged["display_name"], "江苏省人民政府");
    assert_eq!(unchanged["description"], "x");
    evaluation.stop().await;
    registry.stop().await;
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_import_reports_bad_rows_by_line_and_keeps_the_good_ones() {
    let registry = TestRegistry::start().await;
    let evaluation = TestEvaluation::start(&registry.url()).await;
    let cli = Cli::new(&registry, &evaluation).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = write(
        dir.path(),
        "actors.csv",
        "id,display_name,category,side,region_code,credit_code,parent,description,labels\n\
         gd,广东省人民政府,government-body,east,440000,,,,source=test\n\
         gz,贵州省人民政府,GOVERNMENT_BODY,WEST,520000,,,,\n\
         bad-region,某机构,social-organization,west,990000,,,,\n\
         gz-city,贵阳市人民政府,government-body,west,520100,,gz,省会,\n\
         short,too,few\n",
    );
    let out = cli.run(&["import", csv.to_str().expect("path")]).await;
    assert_eq!(out.status.code(), Some(1), "a failed line makes the import fail");
    let err = stderr(&out);
    assert!(err.contains("actors.csv:4:") && err.contains("region_code"), "line 4 named with its reason: {err}");
    assert!(err.contains("actors.csv:6:") && err.contains("fields"), "line 6 named: {err}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("3 created, 0 unchanged, 2 failed"), "{stdout}");
    let parent = json_lines(&cli.ok(&["actors", "get", "gz-city", "--output", "json"]).await);
    assert_eq!(parent[0]["parent"], "actors/gz");

    let again = cli.run(&["import", csv.to_str().expect("path")]).await;
    assert_eq!(again.status.code(), Some(1), "the two bad lines still fail");
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 created, 3 unchanged, 2 failed"));

    let pairings = write(
        dir.path(),
        "pairings.csv",
        "id,title,east,west,level,parent,leadership,forms,state,start_date,end_date,scope_statement,description,labels\n\
         gd-gz,广东—贵州,gd,gz,province,,government-led,industry;consumption,active,2021-01-01,,产业与消费协作,,\n\
         swapped,反了,gz,gd,province,,government-led,,active,,,,,\n",
    );
    let out = cli.run(&["import", pairings.to_str().expect("path")]).await;
    let err = stderr(&out);
    assert!(err.contains("pairings.csv:3:") && err.contains("FailedPrecondition"), "{err}");
    let p = json_lines(&cli.ok(&["pairings", "get", "gd-gz", "--output", "json"]).await);
    assert_eq!(p[0]["forms"], serde_json::json!(["COOPERATION_FORM_INDUSTRY", "COOPERATION_FORM_CONSUMPTION"]));
    assert_eq!(p[0]["scope"]["statement"], "产业与消费协作");
    evaluation.stop().await;
    registry.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sample_data_reimports_unchanged_and_survives_an_export_round_trip() {
    let source = TestRegistry::start().await;
    let evaluation = TestEvaluation::start(&source.url()).await;
    let cli = Cli::new(&source, &evaluation).await;
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/sample/registry.jsonl");
    let lines = std::fs::read_to_string(sample).expect("sample").lines().filter(|l| !l.trim().is_empty()).count();

    let first = cli.ok(&["import", sample]).await;
    assert!(first.contains(&format!("{lines} created, 0 unchanged, 0 failed")), "{first}");
    let second = cli.ok(&["import", sample]).await;
    assert!(second.contains(&format!("0 created, {lines} unchanged, 0 failed (nothing changed)")), "{second}");

    let dir = tempfile::tempdir().expect("tempdir");
    let exported = dir.path().join("export.jsonl");
    cli.ok(&["export", "--out", exported.to_str().expect("path")]).await;
    let text = std::fs::read_to_string(&exported).expect("export");
    assert_eq!(text.lines().count(), lines);

    let target = TestRegistry::start().await;
    let into_target = Cli { registry: target.url(), ..Cli::new(&target, &evaluation).await };
    into_target.ok(&["import", exported.to_str().expect("path")]).await;
    let again = dir.path().join("again.jsonl");
    into_target.ok(&["export", "--out", again.to_str().expect("path")]).await;
    assert_eq!(std::fs::read_to_string(&again).expect("again"), text, "export → import → export is the identity");
    evaluation.stop().await;
    source.stop().await;
    target.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evaluations_summaries_and_reports() {
    let registry = TestRegistry::start().await;
    let evaluation = TestEvaluation::start(&registry.url()).await;
    let cli = Cli::new(&registry, &evaluation).await;
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/sample/registry.jsonl");
    cli.ok(&["import", sample]).await;

    let one = cli.ok(&["evaluate", "js-sn", "--as-of", "2024-12-31"]).await;
    for expected in ["pairings/js-sn", "BOUNDARY_CLARITY", "COORDINATED_GOVERNANCE", "overall"] {
        assert!(one.contains(expected), "{expected} missing from:\n{one}");
    }
    let json = json_lines(&cli.ok(&["evaluate", "js-sn", "--output", "json"]).await);
    assert_eq!(json[0]["criteria"].as_array().map(Vec::len), Some(8));
    let all = json_lines(&cli.ok(&["evaluate", "--all", "--level", "province", "--output", "json"]).await);
    assert_eq!(all.len(), 11, "the eleven province-level pairings");
    let ranked = cli.ok(&["evaluate", "--all"]).await;
    assert!(ranked.lines().count() > 20, "{ranked}");
    let bad = cli.run(&["evaluate", "js-sn", "--as-of", "31/12/2024"]).await;
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("as_of"));

    let summary = cli.ok(&["summary", "--group-by", "west-province"]).await;
    assert!(summary.contains("520000 贵州省") && summary.contains("610000 陕西省"), "{summary}");
    assert!(summary.contains("P25") && summary.contains("P75"), "{summary}");
    let groups = json_lines(&cli.ok(&["summary", "--group-by", "leadership", "--output", "json"]).await);
    assert!(groups.iter().any(|g| g["key"] == "LEADERSHIP_GOVERNMENT_LED"));

    let dir = tempfile::tempdir().expect("tempdir");
    let html = dir.path().join("report.html");
    cli.ok(&["report", "--format", "html", "--out", html.to_str().expect("path")]).await;
    let page = std::fs::read_to_string(&html).expect("html");
    assert!(
        page.contains("<svg") && page.contains("pairings/js-sn") && !page.contains("<script"),
        "self-contained HTML"
    );
    let md = dir.path().join("report.md");
    cli.ok(&["report", "--format", "markdown", "--out", md.to_str().expect("path"), "--region-prefix", "52"]).await;
    let text = std::fs::read_to_string(&md).expect("md");
    assert!(text.contains("pairings/gd-gz") && !text.contains("pairings/js-sn"), "filters apply to the report");
    evaluation.stop().await;
    registry.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn up_loads_the_sample_once_and_prints_the_ranking() {
    let bin = tokio::task::spawn_blocking(|| cargo_binary("eastwest-cli", "eastwest")).await.expect("build");
    let dir = tempfile::tempdir().expect("tempdir");
    let run = |dir: PathBuf, bin: PathBuf| {
        tokio::task::spawn_blocking(move || {
            std::process::Command::new(bin)
                .args(["up", "--once", "--registry-listen", "127.0.0.1:0", "--evaluation-listen", "127.0.0.1:0"])
                .arg("--data-dir")
                .arg(dir)
                .output()
                .expect("run up")
        })
    };
    let first = run(dir.path().to_path_buf(), bin.clone()).await.expect("join");
    assert!(first.status.success(), "{}", stderr(&first));
    let table = String::from_utf8_lossy(&first.stdout);
    assert!(table.contains("pairings/js-sn") && table.contains("SCORE"), "{table}");
    assert_eq!(table.lines().count(), 44, "per level (5): a title and a header, then its pairings (30 in all)");
    assert!(stderr(&first).contains("sample data loaded"));
    let second = run(dir.path().to_path_buf(), bin).await.expect("join");
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(!stderr(&second).contains("sample data loaded"), "a registry with data is not loaded again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hand_written_file_reimports_unchanged_even_where_the_registry_tidies_it() {
    let registry = TestRegistry::start().await;
    let evaluation = TestEvaluation::start(&registry.url()).await;
    let cli = Cli::new(&registry, &evaluation).await;
    let dir = tempfile::tempdir().expect("tempdir");
    // Trailing spaces, roles out of order and repeated, a form twice: all stored in canonical form.
    let file = write(
        dir.path(),
        "hand.jsonl",
        r#"{"actor":{"name":"actors/js","display_name":"江苏省人民政府 ","category":"ACTOR_CATEGORY_GOVERNMENT_BODY","side":"SIDE_EAST","region_code":"320000"}}
{"actor":{"name":"actors/sn","display_name":" 陕西省人民政府","category":"ACTOR_CATEGORY_GOVERNMENT_BODY","side":"SIDE_WEST","region_code":"610000"}}

{"pairing":{"name":"pairings/js-sn","title":"江苏—陕西 ","east":"actors/js","west":"actors/sn","level":"PAIRING_LEVEL_PROVINCE","leadership":"LEADERSHIP_GOVERNMENT_LED","state":"PAIRING_STATE_ACTIVE","forms":["COOPERATION_FORM_INDUSTRY","COOPERATION_FORM_EMPLOYMENT","COOPERATION_FORM_INDUSTRY"],"participants":[{"actor":"actors/js","roles":["PARTICIPANT_ROLE_ACCOUNTABLE","PARTICIPANT_ROLE_FUNDING","PARTICIPANT_ROLE_ACCOUNTABLE"]}],"responsibilities":[{"party":"actors/sn","duty":" 建设帮扶车间 ","status":"RESPONSIBILITY_STATUS_OPEN"}],"goals":[{"indicator":"就业 ","form":"COOPERATION_FORM_EMPLOYMENT"}]}}
{"activity":{"name":"pairings/js-sn/activities/a1","actor":"actors/js","form":"COOPERATION_FORM_INDUSTRY","kind":"ACTIVITY_KIND_FUNDS","direction":"FLOW_DIRECTION_EAST_TO_WEST","date":"2021-12-31","amount_fen":"100"}}
"#,
    );
    let path = file.to_str().expect("path");
    assert!(cli.ok(&["import", path]).await.contains("4 created, 0 unchanged, 0 failed"));
    let again = cli.run(&["import", path]).await;
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 created, 4 unchanged, 0 failed (nothing changed)"));

    // A record whose content really differs is refused, named by its line, and left alone.
    let changed = write(
        dir.path(),
        "changed.jsonl",
        r#"{"actor":{"name":"actors/js","display_name":"江苏省","category":"ACTOR_CATEGORY_GOVERNMENT_BODY","side":"SIDE_EAST","region_code":"320000"}}
"#,
    );
    let out = cli.run(&["import", changed.to_str().expect("path")]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("changed.jsonl:1: already exists with other content"), "{}", stderr(&out));
    let js = json_lines(&cli.ok(&["actors", "get", "js", "--output", "json"]).await);
    assert_eq!(js[0]["display_name"], "江苏省人民政府");

    // export to standard output, and activities delete.
    let exported = cli.ok(&["export"]).await;
    assert_eq!(exported.lines().count(), 4);
    cli.ok(&["activities", "delete", "pairings/js-sn/activities/a1"]).await;
    let gone = cli.run(&["activities", "get", "pairings/js-sn/activities/a1"]).await;
    assert_eq!(gone.status.code(), Some(1));
    evaluation.stop().await;
    registry.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn careless_input_is_refused_before_anything_is_sent() {
    let registry = TestRegistry::start().await;
    let evaluation = TestEvaluation::start(&registry.url()).await;
    let cli = Cli::new(&registry, &evaluation).await;
    let dir = tempfile::tempdir().expect("tempdir");
    // A spreadsheet's GBK export: refused with advice, nothing stored.
    let mut gbk = b"id,display_name,category,side,region_code\ngd,".to_vec();
    gbk.extend_from_slice(&[0xB9, 0xE3, 0xB6, 0xAB]); // 广东 in GBK
    gbk.extend_from_slice(b",government-body,east,440000\n");
    let path = dir.path().join("gbk.csv");
    std::fs::write(&path, gbk).expect("write");
    let out = cli.run(&["import", path.to_str().expect("path")]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not UTF-8"), "{}", stderr(&out));
    assert!(json_lines(&cli.ok(&["actors", "list", "--output", "json"]).await).is_empty());
    // Only plaintext http:// URLs, said plainly.
    let mut https = std::process::Command::new(&cli.bin);
    https.args(["--registry", "https://127.0.0.1:1", "actors", "list"]);
    let out = tokio::task::spawn_blocking(move || https.output().expect("run")).await.expect("join");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("https is not supported"), "{}", stderr(&out));
    // An unreachable service: exit 1, and which URL to check.
    let mut down = std::process::Command::new(&cli.bin);
    down.args(["--registry", "http://127.0.0.1:1", "--timeout-secs", "3", "actors", "list"]);
    let out = tokio::task::spawn_blocking(move || down.output().expect("run")).await.expect("join");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("http://127.0.0.1:1") && stderr(&out).contains("--registry"), "{}", stderr(&out));
    evaluation.stop().await;
    registry.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bench_prints_one_json_object_per_scenario_with_the_agreed_keys() {
    let bin = tokio::task::spawn_blocking(|| cargo_binary("eastwest-cli", "eastwest")).await.expect("build");
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(bin)
            .args(["bench", "get-actor", "--duration", "400ms", "--records", "200", "--concurrency", "4", "--json"])
            .output()
            .expect("run bench")
    })
    .await
    .expect("join");
    assert!(out.status.success(), "{}", stderr(&out));
    let lines = json_lines(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(lines.len(), 1);
    let keys: Vec<&str> = lines[0].as_object().expect("object").keys().map(String::as_str).collect();
    let mut want =
        ["scenario", "requests", "errors", "rps", "p50_us", "p99_us", "baseline_rps", "ratio", "records", "rss_mib"];
    let mut got = keys.clone();
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want);
    assert_eq!(lines[0]["scenario"], "get-actor");
    assert_eq!(lines[0]["errors"], 0);
    assert!(lines[0]["requests"].as_u64().is_some_and(|n| n > 0));
    assert!(lines[0]["records"].as_u64().is_some_and(|n| n >= 200));
}

const TARGETS_2022: &str = r#"{"signed_date":"2022-03-01","description":"2022年苏陕协作协议","targets":[{"indicator":"INDICATOR_WORKSHOPS","side":"SIDE_WEST","value":311},{"indicator":"INDICATOR_FISCAL_AID","side":"SIDE_EAST","value":269000000000},{"indicator":"INDICATOR_CADRES_EXCHANGED","value":120}]}"#;

async fn js_sn(cli: &Cli) {
    cli.ok(&["actors", "create", "--id", "js", "--json", JS]).await;
    cli.ok(&["actors", "create", "--id", "sn", "--json", SN]).await;
    let pairing = r#"{"title":"江苏—陕西","east":"actors/js","west":"actors/sn","level":"PAIRING_LEVEL_PROVINCE","leadership":"LEADERSHIP_GOVERNMENT_LED","state":"PAIRING_STATE_ACTIVE"}"#;
    cli.ok(&["pairings", "create", "--id", "js-sn", "--json", pairing]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agreements_can_be_created_listed_shown_updated_and_deleted() {
    let registry = TestRegistry::start().await;
    let evaluation = TestEvaluation::start(&registry.url()).await;
    let cli = Cli::new(&registry, &evaluation).await;
    let dir = tempfile::tempdir().expect("tempdir");
    js_sn(&cli).await;

    let created = cli.run(&["agreements", "create", "js-sn", "--year", "2022", "--json", TARGETS_2022]).await;
    assert!(created.status.success(), "{}", stderr(&created));
    let table = String::from_utf8_lossy(&created.stdout);
    assert!(table.contains("pairings/js-sn/agreements/2022") && table.contains("FISCAL_AID"), "{table}");
    assert!(stderr(&created).starts_with("etag: "), "{}", stderr(&created));
    let got = json_lines(&cli.ok(&["agreements", "get", "pairings/js-sn/agreements/2022", "--output", "json"]).await)
        .remove(0);
    assert_eq!(got["year"], 2022);
    assert_eq!(got["signed_date"], "2022-03-01");
    let indicators: Vec<&str> =
        got["targets"].as_array().expect("targets").iter().filter_map(|t| t["indicator"].as_str()).collect();
    assert_eq!(indicators, ["INDICATOR_FISCAL_AID", "INDICATOR_CADRES_EXCHANGED", "INDICATOR_WORKSHOPS"]);
    assert_eq!(got["targets"][1]["side"], "SIDE_UNSPECIFIED", "the pairing as a whole");

    // `get --output json`, edited, creates next year's: the year comes from the JSON's name.
    let mut next = got.clone();
    next["name"] = "pairings/js-sn/agreements/2023".into();
    next["year"] = 2023.into();
    next["signed_date"] = "2023-02-20".into();
    let file = write(dir.path(), "2023.json", &next.to_string());
    cli.ok(&["agreements", "create", "js-sn", "--file", file.to_str().expect("path")]).await;
    let listed = json_lines(&cli.ok(&["agreements", "list", "js-sn", "--output", "json"]).await);
    let years: Vec<i64> = listed.iter().filter_map(|a| a["year"].as_i64()).collect();
    assert_eq!(years, [2022, 2023]);
    let table = cli.ok(&["agreements", "list", "pairings/js-sn"]).await;
    assert!(table.contains("agreements/2023") && table.contains("2023-02-20"), "{table}");

    // Update: the fields named, and only those; targets given replace the targets whole.
    cli.ok(&["agreements", "update", "js-sn/agreements/2022", "--json", r#"{"description":""}"#]).await;
    let updated =
        json_lines(&cli.ok(&["agreements", "get", "js-sn/agreements/2022", "--output", "json"]).await).remove(0);
    assert_eq!(updated["description"], "");
    assert_eq!(updated["targets"], got["targets"], "untouched");
    let one_target = r#"{"targets":[{"indicator":"INDICATOR_CONSUMPTION","value":1000}]}"#;
    cli.ok(&["agreements", "update", "pairings/js-sn/agreements/2022", "--json", one_target]).await;
    let replaced =
        json_lines(&cli.ok(&["agreements", "get", "js-sn/agreements/2022", "--output", "json"]).await).remove(0);
    assert_eq!(replaced["targets"].as_array().map(Vec::len), Some(1));
    assert_eq!(replaced["signed_date"], "2022-03-01");
    // A stale etag, given or in the file: ABORTED, nothing changed.
    let stale = updated["etag"].as_str().expect("etag");
    let out =
        cli.run(&["agreements", "update", "js-sn/agreements/2022", "--etag", stale, "--json", TARGETS_2022]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("Aborted"), "{}", stderr(&out));
    let mut whole = replaced.clone();
    whole.as_object_mut().expect("object").remove("description");
    whole["signed_date"] = "2022-03-02".into();
    let file = write(dir.path(), "whole.json", &whole.to_string());
    cli.ok(&["agreements", "update", "js-sn/agreements/2022", "--replace", "--file", file.to_str().expect("path")])
        .await;
    let out = cli.run(&["agreements", "update", "js-sn/agreements/2022", "--file", file.to_str().expect("path")]).await;
    assert_eq!(out.status.code(), Some(1), "the file's etag is stale now");

    // Refusals name the field.
    let bad_year = cli.run(&["agreements", "create", "js-sn", "--year", "23", "--json", TARGETS_2022]).await;
    assert_eq!(bad_year.status.code(), Some(1));
    assert!(
        stderr(&bad_year).contains("InvalidArgument") && stderr(&bad_year).contains("agreement_id"),
        "{}",
        stderr(&bad_year)
    );
    let bad_target = r#"{"targets":[{"indicator":"INDICATOR_WORKSHOPS","value":-1}]}"#;
    let out = cli.run(&["agreements", "create", "js-sn", "--year", "2024", "--json", bad_target]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("agreement.targets[0].value"), "{}", stderr(&out));
    let bad_update = r#"{"signed_date":"2022-13-01"}"#;
    let out = cli.run(&["agreements", "update", "js-sn/agreements/2022", "--json", bad_update]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("agreement.signed_date"), "{}", stderr(&out));
    // Careless input: exit 2, nothing sent.
    for bad in [
        vec!["agreements", "create", "js-sn", "--json", r#"{"description":"no year"}"#],
        vec!["agreements", "create", "js-sn", "--year", "2024", "--json", r#"{"amount":1}"#],
        vec!["agreements", "update", "js-sn/agreements/2022", "--json", "{}"],
        vec!["agreements", "update", "js-sn/agreements/2022", "--json", r#"{"name":"pairings/js-sn/agreements/2023"}"#],
    ] {
        let out = cli.run(&bad).await;
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", stderr(&out));
    }
    let years = json_lines(&cli.ok(&["agreements", "list", "js-sn", "--output", "json"]).await).len();
    assert_eq!(years, 2, "nothing refused was stored");

    // Delete: the etag guards it; agreements hold the pairing back without --force.
    let out = cli.run(&["agreements", "delete", "js-sn/agreements/2023", "--etag", "1"]).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    cli.ok(&["agreements", "delete", "js-sn/agreements/2023"]).await;
    let gone = cli.run(&["agreements", "get", "js-sn/agreements/2023"]).await;
    assert_eq!(gone.status.code(), Some(1));
    assert!(stderr(&gone).contains("NotFound"), "{}", stderr(&gone));
    let refused = cli.run(&["pairings", "delete", "js-sn"]).await;
    assert_eq!(refused.status.code(), Some(1), "an agreement blocks the delete without --force");
    cli.ok(&["pairings", "delete", "js-sn", "--force"]).await;
    evaluation.stop().await;
    registry.stop().await;
}

/// Agreements and an activity with measures, beside the sample data.
const ANNUAL: &str = r#"{"activity":{"name":"pairings/js-sn/activities/2021-workshops-measured","actor":"actors/sn-gov","form":"COOPERATION_FORM_EMPLOYMENT","kind":"ACTIVITY_KIND_EMPLOYMENT","direction":"FLOW_DIRECTION_JOINT","date":"2021-12-31","people":4729,"measures":[{"indicator":"INDICATOR_WORKSHOPS","value":311},{"indicator":"INDICATOR_EX_POOR_EMPLOYED","value":4729}],"verification":"VERIFICATION_CONFIRMED"}}
{"agreement":{"name":"pairings/js-sn/agreements/2025","signed_date":"2025-04-08","targets":[{"indicator":"INDICATOR_WORKSHOPS","side":"SIDE_WEST","value":300},{"indicator":"INDICATOR_FISCAL_AID","side":"SIDE_EAST","value":269000000000}],"labels":{"source":"illustrative"}}}
{"agreement":{"name":"pairings/js-sn/agreements/2026","year":2026}}
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agreements_and_measures_survive_an_export_round_trip() {
    let source = TestRegistry::start().await;
    let evaluation = TestEvaluation::start(&source.url()).await;
    let cli = Cli::new(&source, &evaluation).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/sample/registry.jsonl");
    let lines = std::fs::read_to_string(sample).expect("sample").lines().filter(|l| !l.trim().is_empty()).count();
    cli.ok(&["import", sample]).await;
    let annual = write(dir.path(), "annual.jsonl", ANNUAL);
    let annual = annual.to_str().expect("path");
    assert!(cli.ok(&["import", annual]).await.contains("3 created, 0 unchanged, 0 failed"));
    let again = cli.ok(&["import", annual]).await;
    assert!(again.contains("0 created, 3 unchanged, 0 failed (nothing changed)"), "{again}");

    // Other content under the same names is refused, named by its line, and left alone.
    let changed = write(
        dir.path(),
        "changed.jsonl",
        &ANNUAL.replace(r#""value":300"#, r#""value":301"#).replace(r#""value":311"#, r#""value":312"#),
    );
    let out = cli.run(&["import", changed.to_str().expect("path")]).await;
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("changed.jsonl:1: already exists with other content"), "measures compared: {err}");
    assert!(err.contains("changed.jsonl:2: already exists with other content"), "targets compared: {err}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 created, 1 unchanged, 2 failed"));

    let exported = dir.path().join("export.jsonl");
    let out = cli.run(&["export", "--out", exported.to_str().expect("path")]).await;
    let sample_agreements = std::fs::read_to_string(sample).expect("sample").matches("{\"agreement\":").count();
    let exported_agreements = format!("{} agreements", sample_agreements + 2);
    assert!(stderr(&out).contains(&exported_agreements), "{}", stderr(&out));
    let text = std::fs::read_to_string(&exported).expect("export");
    assert_eq!(text.lines().count(), lines + 3);
    let records = json_lines(&text);
    let position = |key: &str, name: &str| {
        records.iter().position(|r| r[key]["name"] == name).unwrap_or_else(|| panic!("{name} not exported"))
    };
    let agreement = position("agreement", "pairings/js-sn/agreements/2025");
    assert!(position("activity", "pairings/js-sn/activities/2021-workshops-measured") < agreement);
    assert!(position("pairing", "pairings/js-sn") < agreement);
    assert!(records[agreement]["agreement"].get("year").is_none(), "the year is the name's: {}", records[agreement]);
    assert!(records[agreement]["agreement"].get("etag").is_none());
    let measured = &records[position("activity", "pairings/js-sn/activities/2021-workshops-measured")]["activity"];
    assert_eq!(measured["verification"], "VERIFICATION_CONFIRMED");
    assert_eq!(measured["measures"][0]["indicator"], "INDICATOR_WORKSHOPS");

    let target = TestRegistry::start().await;
    let into_target = Cli { registry: target.url(), ..Cli::new(&target, &evaluation).await };
    let imported = into_target.ok(&["import", exported.to_str().expect("path")]).await;
    assert!(imported.contains(&format!("{} created, 0 unchanged, 0 failed", lines + 3)), "{imported}");
    let again = dir.path().join("again.jsonl");
    into_target.ok(&["export", "--out", again.to_str().expect("path")]).await;
    assert_eq!(std::fs::read_to_string(&again).expect("again"), text, "export → import → export is the identity");
    let strip = |mut v: serde_json::Value| {
        for key in ["etag", "create_time", "update_time"] {
            v.as_object_mut().expect("object").remove(key);
        }
        v
    };
    for name in ["js-sn/agreements/2025", "js-sn/agreements/2026"] {
        let from = json_lines(&cli.ok(&["agreements", "get", name, "--output", "json"]).await).remove(0);
        let to = json_lines(&into_target.ok(&["agreements", "get", name, "--output", "json"]).await).remove(0);
        assert_eq!(strip(from), strip(to), "{name}");
    }
    let name = "pairings/js-sn/activities/2021-workshops-measured";
    let from = json_lines(&cli.ok(&["activities", "get", name, "--output", "json"]).await).remove(0);
    let to = json_lines(&into_target.ok(&["activities", "get", name, "--output", "json"]).await).remove(0);
    assert_eq!(strip(from), strip(to));
    evaluation.stop().await;
    source.stop().await;
    target.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agreements_import_from_csv_one_row_per_target() {
    let registry = TestRegistry::start().await;
    let evaluation = TestEvaluation::start(&registry.url()).await;
    let cli = Cli::new(&registry, &evaluation).await;
    let dir = tempfile::tempdir().expect("tempdir");
    js_sn(&cli).await;
    let csv = write(
        dir.path(),
        "agreements.csv",
        "pairing,year,signed_date,description,labels,indicator,side,value\n\
         js-sn,2022,2022-03-01,2022年苏陕协作协议,source=test,fiscal-aid,east,269000000000\n\
         js-sn,2022,,,,workshops,west,311\n\
         js-sn,2022,,,,cadres-exchanged,,120\n\
         js-sn,23,,,,workshops,west,1\n\
         js-sn,2024,,,,workshops,west,lots\n\
         js-sn,2024,,,,fiscal-aid,east,1\n\
         js-sn,2025,2025-03-01,,,,,\n",
    );
    let path = csv.to_str().expect("path");
    let out = cli.run(&["import", path]).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("agreements.csv:5:") && err.contains("agreement_id"), "a bad year names the field: {err}");
    assert!(err.contains("agreements.csv:6:") && err.contains("lots"), "the bad row's line: {err}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 created, 0 unchanged, 2 failed"));
    let got = json_lines(&cli.ok(&["agreements", "get", "js-sn/agreements/2022", "--output", "json"]).await).remove(0);
    assert_eq!(got["targets"].as_array().map(Vec::len), Some(3));
    assert_eq!(got["labels"]["source"], "test");
    assert_eq!(got["description"], "2022年苏陕协作协议");
    let years: Vec<i64> = json_lines(&cli.ok(&["agreements", "list", "js-sn", "--output", "json"]).await)
        .iter()
        .filter_map(|a| a["year"].as_i64())
        .collect();
    assert_eq!(years, [2022, 2025], "the agreement with a bad row is not stored in part");
    let again = cli.run(&["import", path]).await;
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 created, 2 unchanged, 2 failed"));
    evaluation.stop().await;
    registry.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn up_with_a_year_ranks_each_level_as_of_that_year() {
    let bin = tokio::task::spawn_blocking(|| cargo_binary("eastwest-cli", "eastwest")).await.expect("build");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(bin)
            .args(["up", "--once", "--registry-listen", "127.0.0.1:0", "--evaluation-listen", "127.0.0.1:0"])
            .args(["--year", "2024", "--data-dir"])
            .arg(dir.path())
            .output()
            .expect("run up")
    })
    .await
    .expect("join");
    assert!(out.status.success(), "{}", stderr(&out));
    let table = String::from_utf8_lossy(&out.stdout);
    let blocks: Vec<&str> = table.split("\n\n").collect();
    assert_eq!(blocks.len(), 5, "one table per level of the sample:\n{table}");
    assert!(blocks[0].starts_with("province · 11 pairings\n"), "{table}");
    for column in ["EFFECTIVENESS", "GOVERNANCE", "EAST", "WEST", "FISCAL AID", "COUNTIES", "PER COUNTY"] {
        assert!(blocks[0].contains(column), "{column} missing from:\n{}", blocks[0]);
    }
    assert!(!blocks[1].contains("PER COUNTY"), "only province pairings are divided by county");
}
