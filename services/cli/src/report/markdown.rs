//! The Markdown report: the same content as the HTML one, in GitHub-flavoured tables and lists.

use eastwest_proto::evaluation::v1::Evaluation;
use eastwest_proto::registry::v1::{PairingLevel, Side};

use super::ReportInput;
use super::charts::w;
use super::escape::{md, md_code, score, weight};
use super::labels::{CRITERIA, GRADES, criterion, criterion_of, grade, grade_index, leadership_text, level_text};
use super::prepare::{LevelGroup, Prepared, county_cells, find, prepare, result_rows, side};
use super::provinces::Province;

pub(crate) fn render(input: &ReportInput<'_>) -> String {
    let p = prepare(input.evaluations);
    let mut s = String::with_capacity(4_000 + 4_000 * p.ranked.len());
    w!(s, "# {}\n\n", md(input.title));
    w!(s, "- 生成日期 Generated: {}\n", md(input.generated));
    w!(s, "- 评估基准日 As of: {}\n", md(input.as_of));
    w!(s, "- 模型版本 Model version: {}\n", md(input.model_version));
    w!(s, "- 筛选条件 Filters: {}\n", md(input.filters));
    match input.year {
        Some(year) => w!(s, "- 评估年度 Year: {year}, 对照当年年度协作协议 against its annual agreement\n"),
        None => s.push_str(
            "- 评估年度 Year: 未指定 none; 截至基准日的全部活动都计入 every activity up to the as-of date counts \
             (--year gives the year's results and the trend)\n",
        ),
    }
    if let (Some(first), Some(last)) = (input.trend_years.first(), input.trend_years.last()) {
        w!(
            s,
            "- 等级趋势 Trend: {first}–{last}, 截至评估年度的最近三年, 每年单独评估 \
             the last three years ending at the year assessed, each evaluated on its own\n"
        );
    }
    s.push_str("- 排名 Ranking: 各层级分别排名 within each level, never across levels\n\n");
    summary(&mut s, &p);
    provinces(&mut s, &p);
    ranking(&mut s, input, &p);
    if !p.ranked.is_empty() {
        s.push_str("## 结对详情 Pairings in detail\n\n");
        for g in &p.levels {
            w!(s, "### {} ({})\n\n", level_text(g.level), g.range.len());
            for i in g.range.clone() {
                pairing(&mut s, input, &p, i);
            }
        }
    }
    s.push_str("---\n\n每个分数的定义见评分模型说明(docs/scoring.md)。 Every score is defined in docs/scoring.md.\n");
    s
}

fn mean_text(mean: Option<f64>) -> String {
    mean.map_or_else(|| "—".to_owned(), score)
}

/// Grade columns: the four official grades, and "ungraded" only when some pairing is.
fn shown_grades(p: &Prepared<'_>) -> Vec<usize> {
    (0..GRADES.len()).filter(|&g| g < 4 || p.grades[g] > 0).collect()
}

fn summary(s: &mut String, p: &Prepared<'_>) {
    s.push_str("## 概览 Summary\n\n| 项目 Item | 数值 Value |\n| --- | ---: |\n");
    w!(s, "| 结对 Pairings | {} |\n", p.ranked.len());
    w!(s, "| 平均得分 Mean score | {} |\n", mean_text(p.mean));
    for g in shown_grades(p) {
        let name = grade(g);
        w!(s, "| {} {} | {} |\n", name.zh, name.en, p.grades[g]);
    }
    w!(s, "| 主导类型不符 Leadership mismatches | {} |\n\n", p.mismatches.len());
    if p.ranked.is_empty() {
        s.push_str("没有符合筛选条件的结对。 No pairings match the filters.\n\n");
    }
    if !p.mismatches.is_empty() {
        s.push_str("### 主导类型不符 Inferred leadership differs from the declared\n\n");
        s.push_str(
            "| 层级 Level | # | 结对 Pairing | 申报 Declared | 推断 Inferred |\n| --- | ---: | --- | --- | --- |\n",
        );
        for &rank in &p.mismatches {
            let e = p.ranked[rank];
            w!(
                s,
                "| {} | {} | {} | {} | {} |\n",
                level_text(e.level),
                p.rank(rank),
                md(&e.pairing_title),
                leadership_text(e.declared_leadership, "未申报 not declared"),
                leadership_text(e.inferred_leadership, "无法判断 undetermined"),
            );
        }
        s.push('\n');
    }
}

fn provinces(s: &mut String, p: &Prepared<'_>) {
    if p.provinces.is_empty() {
        return;
    }
    let shown = shown_grades(p);
    s.push_str("## 各省分布 By west province\n\n| 省份 Province | 代码 Code | 结对 Pairings | 平均 Mean |");
    for &g in &shown {
        w!(s, " {} {} |", grade(g).zh, grade(g).en);
    }
    s.push_str("\n| --- | --- | ---: | ---: |");
    for _ in &shown {
        s.push_str(" ---: |");
    }
    s.push('\n');
    for group in &p.provinces {
        let pv = &group.province;
        let code = md(pv.code());
        w!(s, "| {} {} | {code} | {} | {} |", pv.name_zh(), pv.name_en(), group.count(), mean_text(group.mean));
        for &g in &shown {
            w!(s, " {} |", group.grades[g]);
        }
        s.push('\n');
    }
    s.push('\n');
}

fn ranking(s: &mut String, input: &ReportInput<'_>, p: &Prepared<'_>) {
    if p.ranked.is_empty() {
        return;
    }
    s.push_str("## 结对排名 Ranking\n\n");
    for g in &p.levels {
        level_ranking(s, input, p, g);
    }
}

/// Whether a level's table shows fiscal aid per county pairing: province pairings of a year.
fn shows_counties(input: &ReportInput<'_>, g: &LevelGroup) -> bool {
    input.year.is_some() && g.level == PairingLevel::Province as i32
}

/// A side's score and grade in one cell, `—` where it is not graded.
fn side_cell(e: &Evaluation, which: Side) -> String {
    side(e, which).map_or_else(
        || "—".to_owned(),
        |a| {
            let g = grade(grade_index(a.grade));
            format!("{} {} {}", score(a.score), g.zh, g.en)
        },
    )
}

fn level_ranking(s: &mut String, input: &ReportInput<'_>, p: &Prepared<'_>, g: &LevelGroup) {
    let counties = shows_counties(input, g);
    w!(s, "### {} ({})\n\n", level_text(g.level), g.range.len());
    s.push_str("| # | 结对 Pairing | 名称 Name | 西部省份 West | 等级 Grade | 总分 Score |");
    let mut align = String::from("| ---: | --- | --- | --- | --- | ---: |");
    if input.year.is_some() {
        s.push_str(" 成效 Effectiveness | 治理 Governance | 东部评级 East graded | 西部评级 West graded |");
        align.push_str(" ---: | ---: | --- | --- |");
    }
    if counties {
        s.push_str(" 财政援助 Fiscal aid | 结对县 Counties | 每县 Per county |");
        align.push_str(" ---: | ---: | ---: |");
    }
    for c in CRITERIA {
        w!(s, " {} |", criterion(c).short);
        align.push_str(" ---: |");
    }
    w!(s, "\n{align}\n");
    for i in g.range.clone() {
        let e = p.ranked[i];
        let gr = grade(grade_index(e.grade));
        w!(
            s,
            "| {} | {} | {} | {} | {} {} | {} |",
            p.rank(i),
            md(&e.pairing_title),
            md(&e.pairing),
            Province::of(&e.west_region_code).name_zh(),
            gr.zh,
            gr.en,
            score(e.overall_score)
        );
        if input.year.is_some() {
            w!(
                s,
                " {} | {} | {} | {} |",
                e.effectiveness_score.map_or_else(|| "—".to_owned(), score),
                score(e.governance_score),
                side_cell(e, Side::East),
                side_cell(e, Side::West)
            );
        }
        if counties {
            let [aid, n, per] = county_cells(input, e);
            w!(s, " {aid} | {n} | {per} |");
        }
        for c in CRITERIA {
            w!(s, " {} |", find(e, c).map_or_else(|| "—".to_owned(), |cs| score(cs.score)));
        }
        s.push('\n');
    }
    s.push('\n');
}

/// The grade in each year of the trend: `2022 一般 Average 62.0 → 2023 …`; `—` for a year without one.
fn trend_text(input: &ReportInput<'_>, e: &Evaluation) -> String {
    let years = input.trends.get(&e.pairing);
    input
        .trend_years
        .iter()
        .map(|&y| match years.and_then(|ys| ys.iter().find(|g| g.year == y)) {
            Some(yg) => {
                let g = grade(grade_index(yg.grade));
                format!("{y} {} {} {}", g.zh, g.en, score(yg.score))
            }
            None => format!("{y} —"),
        })
        .collect::<Vec<_>>()
        .join(" → ")
}

fn year_block(s: &mut String, input: &ReportInput<'_>, e: &Evaluation) {
    if e.year == 0 && input.year.is_none() {
        return;
    }
    if e.year != 0 && Some(e.year) != input.year {
        w!(s, "- 评估年度 Year: {}\n", e.year);
    }
    if !input.trend_years.is_empty() {
        w!(s, "- 逐年等级 Grades by year: {}\n", trend_text(input, e));
    }
    w!(
        s,
        "- 成效 Effectiveness: {} · 治理 Governance: {}\n",
        e.effectiveness_score.map_or_else(|| "— (无协议或上年数据 nothing to measure against)".to_owned(), score),
        score(e.governance_score)
    );
    w!(
        s,
        "- 东西部分别评级 Sides graded apart: 东部 East {} · 西部 West {}\n",
        side_cell(e, Side::East),
        side_cell(e, Side::West)
    );
    let counties = input.counties.get(&e.pairing).copied();
    if let Some(n) = counties {
        w!(s, "- 下辖结对县 County pairings below: {n}\n");
    }
}

fn results(s: &mut String, input: &ReportInput<'_>, e: &Evaluation) {
    if e.year == 0 && input.year.is_none() {
        return;
    }
    let rows = result_rows(e, input.counties.get(&e.pairing).copied());
    if rows.is_empty() {
        s.push_str("本年度没有指标数据。 No indicator figures for the year.\n\n");
    } else {
        let per_county = rows.iter().any(|r| r.per_county.is_some());
        s.push_str("| 指标 Indicator | 方 Side | 目标 Target | 实际 Actual |");
        if per_county {
            s.push_str(" 每县 Per county |");
        }
        s.push_str(" 上年 Previous | 完成率 Attainment | 未核实 Unconfirmed |\n| --- | --- | ---: | ---: |");
        if per_county {
            s.push_str(" ---: |");
        }
        s.push_str(" ---: | ---: | ---: |\n");
        for r in &rows {
            w!(s, "| {} | {} | {} | {} |", md(&r.indicator), r.side, md(&r.target), md(&r.actual));
            if per_county {
                w!(s, " {} |", r.per_county.as_deref().map_or_else(|| "—".to_owned(), md));
            }
            w!(s, " {} | {} | {} |\n", md(&r.previous), md(&r.attainment), md(&r.unconfirmed));
        }
        s.push('\n');
    }
    if !e.improvements.is_empty() {
        s.push_str("提升空间 Improvements:\n\n");
        for i in &e.improvements {
            w!(s, "- +{}: {}  \n  {}\n", score(i.score_gain), md(&i.text), md(&i.text_en));
        }
        s.push('\n');
    }
    if !e.findings.is_empty() {
        s.push_str("年度发现 Findings of the year:\n\n");
        for f in &e.findings {
            finding(s, f);
        }
        s.push('\n');
    }
}

fn finding(s: &mut String, f: &eastwest_proto::evaluation::v1::Finding) {
    w!(s, "- 发现 Finding: {}  \n  {}", md(&f.text), md(&f.text_en));
    if !f.records.is_empty() {
        let records: Vec<String> = f.records.iter().map(|r| md_code(r)).collect();
        w!(s, "  \n  记录 Records: {}", records.join(", "));
    }
    s.push('\n');
}

fn pairing(s: &mut String, input: &ReportInput<'_>, p: &Prepared<'_>, i: usize) {
    let e = p.ranked[i];
    let g = grade(grade_index(e.grade));
    w!(s, "#### {}. {}\n\n", p.rank(i), md(&e.pairing_title));
    w!(s, "{} · **{} {}** · 总分 Score **{}**\n\n", md_code(&e.pairing), g.zh, g.en, score(e.overall_score));
    w!(s, "- 层级 Level: {}\n", level_text(e.level));
    let east = Province::of(&e.east_region_code);
    let west = Province::of(&e.west_region_code);
    w!(s, "- 东部 East: {} {}\n", east.name_zh(), md(&e.east_region_code));
    w!(s, "- 西部 West: {} {}\n", west.name_zh(), md(&e.west_region_code));
    w!(s, "- 申报主导 Declared lead: {}\n", leadership_text(e.declared_leadership, "未申报 not declared"));
    let flag = if e.leadership_mismatch { " (与申报不符 differs from declared)" } else { "" };
    w!(s, "- 推断主导 Inferred lead: {}{flag}\n", leadership_text(e.inferred_leadership, "无法判断 undetermined"));
    if e.as_of != input.as_of {
        w!(s, "- 评估基准日 As of: {}\n", md(&e.as_of));
    }
    if e.model_version != input.model_version {
        w!(s, "- 模型版本 Model version: {}\n", md(&e.model_version));
    }
    year_block(s, input, e);
    s.push('\n');
    results(s, input, e);
    s.push_str("| 指标 Criterion | 权重 Weight | 得分 Score |\n| --- | ---: | ---: |\n");
    for cs in &e.criteria {
        w!(s, "| {} | {} | {} |\n", criterion_label(cs.criterion), weight(cs.weight), score(cs.score));
    }
    s.push('\n');
    let mut any = false;
    for cs in e.criteria.iter().filter(|cs| !cs.findings.is_empty() || !cs.recommendations.is_empty()) {
        any = true;
        w!(s, "##### {} ({})\n\n", criterion_label(cs.criterion), score(cs.score));
        for f in &cs.findings {
            finding(s, f);
        }
        for r in &cs.recommendations {
            w!(s, "- 建议 Recommendation: {}  \n  {}\n", md(&r.text), md(&r.text_en));
        }
        s.push('\n');
    }
    if !any {
        s.push_str("没有发现或建议。 No findings or recommendations.\n\n");
    }
}

fn criterion_label(n: i32) -> String {
    let c = criterion_of(n);
    let name = criterion(c);
    if c == eastwest_proto::evaluation::v1::Criterion::Unspecified {
        format!("{} {} ({n})", name.full, name.en)
    } else {
        format!("{} {}", name.full, name.en)
    }
}
