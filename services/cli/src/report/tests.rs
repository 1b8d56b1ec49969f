//! Tests of both renderings by reading their output back: markup balance, charts, escaping, tables.

use eastwest_proto::evaluation::v1::{Evaluation, Grade};

use std::collections::BTreeMap;

use super::fixtures::{evaluation, input, sample, with_scores, yearly, yearly_trends};
use super::wellformed::{Element, parse};
use super::{html, markdown};

const NASTY: &str = r#"<script>alert(1)</script>&"' | *bold* _x_ [a](b) `c`"#;

fn elements(doc: &str) -> Vec<Element> {
    parse(doc).unwrap_or_else(|e| panic!("not well-formed: {e}"))
}

/// Checks every HTML property the report promises; returns the elements for further checks.
fn check_html(doc: &str, pairings: usize) -> Vec<Element> {
    let els = elements(doc);
    assert!(doc.starts_with("<!DOCTYPE html>\n"));
    assert!(els.iter().any(|e| e.name == "meta" && e.attr("charset") == Some("utf-8")));
    assert!(!doc.to_ascii_lowercase().contains("<script"), "no scripts");
    for e in &els {
        assert!(!["img", "link", "iframe", "object", "embed", "script"].contains(&e.name.as_str()), "<{}>", e.name);
        for (key, value) in &e.attrs {
            if key == "src" || key == "href" || key == "xlink:href" {
                assert!(value.starts_with('#'), "{key}={value} would load or leave the file");
            }
            assert!(!key.starts_with("on"), "event handler {key}");
        }
    }
    let lower = doc.to_ascii_lowercase();
    assert!(!lower.contains("@import") && !lower.contains("url("), "the CSS loads nothing");
    let svgs: Vec<&Element> = els.iter().filter(|e| e.name == "svg").collect();
    for svg in &svgs {
        let vb = svg.attr("viewBox").expect("every <svg> has a viewBox");
        let nums: Vec<f64> = vb.split(' ').map(|n| n.parse().unwrap()).collect();
        assert!(nums.len() == 4 && nums[2] > 0.0 && nums[3] > 0.0, "viewBox {vb}");
    }
    let radars: Vec<&&Element> = svgs.iter().filter(|e| e.attr("class") == Some("radar")).collect();
    assert_eq!(radars.len(), pairings, "one radar per pairing");
    for radar in radars {
        let inside = &doc[radar.content.clone()];
        assert_eq!(inside.matches(r#"<polygon class="score""#).count(), 1, "a score polygon per radar");
        assert_eq!(inside.matches("<polygon").count(), 6, "five gridlines and the scores");
    }
    els
}

#[test]
fn the_html_report_is_well_formed_with_a_radar_per_pairing() {
    let evaluations = sample();
    let doc = html(&input("东西部协作评估报告 East-West Collaboration assessment", &evaluations));
    let els = check_html(&doc, 4);
    let bars = els.iter().filter(|e| e.name == "svg" && e.attr("class") == Some("bars")).count();
    assert_eq!(bars, 2, "a bar chart per west province (Shaanxi, Guizhou)");
    assert_eq!(els.iter().filter(|e| e.attr("class") == Some("overview")).count(), 1);
    for text in
        ["贵州省", "陕西省", "好", "较好", "一般", "差", "Fairly good", "2026-11-28", "2026-11-27", "15%", "10%"]
    {
        assert!(doc.contains(text), "{text}");
    }
}

#[test]
fn pairings_are_ranked_by_score_then_name() {
    let evaluations = sample();
    let doc = html(&input("t", &evaluations));
    let order: Vec<usize> = ["满分结对", "江苏—陕西东西部协作", "广州—毕节", "空白结对"]
        .iter()
        .map(|t| doc.find(&format!("<h3>{t}</h3>")).unwrap())
        .collect();
    assert!(order.is_sorted(), "{order:?}");
    let md = markdown(&input("t", &evaluations));
    let order: Vec<usize> = ["#### 1. 满分结对", "#### 2. 江苏—陕西", "#### 3. 广州—毕节", "#### 4. 空白结对"]
        .iter()
        .map(|t| md.find(t).unwrap())
        .collect();
    assert!(order.is_sorted());
}

#[test]
fn data_is_escaped_in_html() {
    let mut evaluations = sample();
    evaluations[0].pairing_title = NASTY.to_owned();
    evaluations[0].criteria[0].findings[0].text = NASTY.to_owned();
    evaluations[0].criteria[0].findings[0].records = vec![NASTY.to_owned()];
    evaluations[0].west_region_code = NASTY.to_owned();
    let doc = html(&input(NASTY, &evaluations));
    check_html(&doc, 4);
    assert!(doc.contains("&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;"));
    assert!(doc.contains("<title>&lt;script&gt;"));
}

#[test]
fn empty_and_extreme_inputs_still_render() {
    let none = html(&input("没有结对", &[]));
    check_html(&none, 0);
    assert!(none.contains("No pairings match the filters."));
    let md = markdown(&input("没有结对", &[]));
    check_tables(&md);
    assert!(md.contains("| 平均得分 Mean score | — |"));

    let long = "很长的结对名称".repeat(60);
    let evaluations = vec![
        with_scores("pairings/z", &long, [0.0; 8], 0.0, Grade::Poor, "540000"),
        with_scores(
            "pairings/one",
            "一项为零",
            [0.0, 90.0, 90.0, 90.0, 90.0, 90.0, 90.0, 90.0],
            76.5,
            Grade::FairlyGood,
            "650000",
        ),
        Evaluation { pairing: "pairings/bare".into(), pairing_title: "无数据".into(), ..Default::default() },
    ];
    let doc = html(&input(&long, &evaluations));
    check_html(&doc, 3);
    assert!(doc.contains("未评级"), "an ungraded pairing gets its own bucket");
    assert!(doc.contains("地区代码缺失"));
    check_tables(&markdown(&input(&long, &evaluations)));
}

#[test]
fn hundreds_of_pairings_stay_compact() {
    let evaluations: Vec<Evaluation> = (0..400)
        .map(|i| {
            let score = (i % 100) as f64;
            let grade = match score {
                s if s >= 90.0 => Grade::Good,
                s if s >= 75.0 => Grade::FairlyGood,
                s if s >= 60.0 => Grade::Average,
                _ => Grade::Poor,
            };
            let west =
                ["150000", "450000", "500000", "510000", "520000", "530000", "610000", "620000", "630000", "640000"];
            evaluation(&format!("pairings/p{i:03}"), &format!("结对 {i}"), score, grade, west[i % west.len()])
        })
        .collect();
    let doc = html(&input("t", &evaluations));
    check_html(&doc, 400);
    assert!(doc.len() < 8 * 1024 * 1024, "{} bytes", doc.len());
    assert!(doc.contains("及其他 30 个"), "long province lists are cut");
    check_tables(&markdown(&input("t", &evaluations)));
}

#[test]
fn same_input_same_bytes_in_any_order() {
    let evaluations = sample();
    let mut reversed = evaluations.clone();
    reversed.reverse();
    assert_eq!(html(&input("t", &evaluations)), html(&input("t", &evaluations)));
    assert_eq!(html(&input("t", &evaluations)), html(&input("t", &reversed)));
    assert_eq!(markdown(&input("t", &evaluations)), markdown(&input("t", &reversed)));
}

/// The cells of a Markdown table row: split on `|` not escaped by a backslash.
fn cells(row: &str) -> usize {
    let (mut pipes, mut backslashes) = (0, 0);
    for c in row.chars() {
        if c == '|' && backslashes % 2 == 0 {
            pipes += 1;
        }
        backslashes = if c == '\\' { backslashes + 1 } else { 0 };
    }
    pipes - 1
}

/// Every table has a header, a delimiter row and rows of the same width, each on one line.
fn check_tables(md: &str) {
    let mut width: Option<usize> = None;
    let mut tables = 0;
    for line in md.lines() {
        if !line.starts_with('|') {
            width = None;
            continue;
        }
        assert!(line.ends_with(" |"), "a row ends its last cell: {line}");
        let n = cells(line);
        match width {
            None => {
                width = Some(n);
                tables += 1;
            }
            Some(w) => assert_eq!(n, w, "{line}"),
        }
    }
    assert!(tables >= 1);
}

#[test]
fn markdown_tables_are_consistent_and_data_cannot_break_them() {
    let mut evaluations = sample();
    evaluations[0].pairing_title = format!("{NASTY}\nsecond line");
    evaluations[0].pairing = "pairings/a|b".to_owned();
    let md = markdown(&input(NASTY, &evaluations));
    check_tables(&md);
    assert!(md.starts_with(r#"# \<script\>alert(1)\</script\>\&"'"#), "{}", &md[..80]);
    assert!(md.contains(r"\| \*bold\* \_x\_ \[a\](b) \`c\`"));
    assert!(md.contains(r"pairings/a\|b"), "the pipe in a name is escaped in the ranking");
    assert!(!md.contains("\nsecond line"), "a line break in data stays inside its cell");
    assert!(md.contains("| 好 Good | 1 |") && md.contains("| 主导类型不符 Leadership mismatches | 1 |"));
    assert!(md.contains("| 帮扶边界清晰化 Clear boundaries of assistance | 15% | 81.4 |"));
    assert!(md.contains("记录 Records: `pairings/js-sn/activities/a1`, `pairings/js-sn#goals/g1`"));
}

#[test]
fn levels_are_ranked_apart_never_in_one_list() {
    use eastwest_proto::registry::v1::PairingLevel;
    let mut evaluations = sample();
    let mut county = evaluation("pairings/county-top", "最高分县级结对", 99.0, Grade::Good, "520000");
    county.level = PairingLevel::County as i32;
    evaluations.push(county);
    let md = markdown(&input("t", &evaluations));
    check_tables(&md);
    let province = md.find("### 省级 province (4)").expect("a province ranking");
    let county_at = md.find("### 县级 county (1)").expect("a county ranking");
    assert!(province < county_at, "province first, whatever the scores");
    let county_table = &md[county_at..];
    assert!(county_table.contains("| 1 | 最高分县级结对 |"), "the county is first among counties, not fifth overall");
    assert!(md.contains("| 1 | 满分结对 |"), "the best province is still first among provinces");
    let doc = html(&input("t", &evaluations));
    check_html(&doc, 5);
    assert!(doc.contains("<h3 class=\"minor\">县级 county"));
}

#[test]
fn a_year_shows_results_sides_improvements_and_the_trend() {
    let evaluations = yearly();
    let trends = yearly_trends();
    let counties: BTreeMap<String, usize> = [("pairings/js-sn".to_owned(), 10)].into();
    let years = [2022, 2023, 2024];
    let input = super::ReportInput {
        year: Some(2024),
        trend_years: &years,
        trends: &trends,
        counties: &counties,
        ..input("2024 年度", &evaluations)
    };
    let md = markdown(&input);
    check_tables(&md);
    assert!(md.contains("- 评估年度 Year: 2024, 对照当年年度协作协议 against its annual agreement"));
    assert!(md.contains("- 等级趋势 Trend: 2022–2024"), "the header says which years the trend covers");
    assert!(
        md.contains("- 逐年等级 Grades by year: 2022 一般 Average 62.0 → 2023 较好 Fairly good 76.1 → 2024 较好 Fairly good 78.3"),
        "{md}"
    );
    assert!(md.contains("2022 — → 2023 好 Good 91.0 → 2024 好 Good 95.0"), "a year without an evaluation shows a dash");
    assert!(md.contains("- 成效 Effectiveness: 80.0 · 治理 Governance: 75.8"));
    assert!(
        md.contains("- 东西部分别评级 Sides graded apart: 东部 East 91.0 好 Good · 西部 West 64.5 一般 Average"),
        "both sides graded apart"
    );
    assert!(md.contains("- 下辖结对县 County pairings below: 10"));
    assert!(
        md.contains(
            "| 财政援助资金 fiscal aid | 东部 east | 30.00 亿元 | 26.90 亿元 | 2.69 亿元 | 25.00 亿元 | 89.7% | 25% |"
        ),
        "target, actual, per county, previous, attainment and the unconfirmed share:\n{md}"
    );
    assert!(md.contains("| 其中脱贫劳动力 ex-poor workers employed | 全结对 whole pairing | — | 4,729 人 | 472.9 人 | 4,100 人 | — | 0% |"));
    assert!(md.contains("- +4.2: 完成财政援助资金目标 30.00 亿元"));
    assert!(md.contains("年度发现 Findings of the year") && md.contains("未达协议目标 30.00 亿元"));
    assert!(
        md.contains("| 1 | 江苏—陕西东西部协作 | pairings/js-sn | 陕西省 | 较好 Fairly good | 78.3 | 80.0 | 75.8 | 91.0 好 Good | 64.5 一般 Average | 26.90 亿元 | 10 | 2.69 亿元 |"),
        "the province ranking shows fiscal aid per county pairing"
    );
    let doc = html(&input);
    let els = check_html(&doc, 2);
    let trends: Vec<_> = els.iter().filter(|e| e.name == "svg" && e.attr("class") == Some("trend")).collect();
    assert_eq!(trends.len(), 2, "a trend line per pairing");
    assert_eq!(doc[trends[0].content.clone()].matches("<circle").count(), 3, "a dot per evaluated year");
    for text in ["26.90 亿元", "2.69 亿元", "89.7%", "每县", "提升空间", "年度发现", "东部", "西部", "2022–2024"]
    {
        assert!(doc.contains(text), "{text}");
    }
    assert_eq!(html(&input), html(&input), "same input, same bytes");
}
