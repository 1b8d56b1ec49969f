//! The HTML report: one self-contained file (inline CSS, inline SVG, no scripts, nothing fetched),
//! readable on screen and on paper.

use eastwest_proto::evaluation::v1::{CriterionScore, Evaluation, Finding};
use eastwest_proto::registry::v1::{PairingLevel, Side};

use super::ReportInput;
use super::charts::{OverviewRow, TrendPoint, grade_bars, overview, radar, trend, w};
use super::escape::{html as esc, score, weight};
use super::labels::{CRITERIA, GRADES, criterion, criterion_of, grade, grade_index, leadership_text, level_text};
use super::prepare::{
    LevelGroup, Prepared, ProvinceGroup, county_cells, criterion_scores, find, pairing_id, prepare, result_rows, side,
};
use super::provinces::Province;

const CSS: &str = include_str!("report.css");

/// A province card lists this many of its pairings, then a count of the rest.
const MEMBERS_SHOWN: usize = 10;

pub(crate) fn render(input: &ReportInput<'_>) -> String {
    let p = prepare(input.evaluations);
    let mut s = String::with_capacity(20_000 + 12_000 * p.ranked.len());
    w!(
        s,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
        esc(input.title)
    );
    head(&mut s, input);
    s.push_str("<main>\n");
    summary(&mut s, &p);
    provinces(&mut s, &p);
    ranking(&mut s, input, &p);
    details(&mut s, input, &p);
    s.push_str(
        "</main>\n<footer>每个分数的定义见评分模型说明(docs/scoring.md)。\
         <span class=\"en\">Every score is defined in the scoring model's documentation (docs/scoring.md).</span></footer>\n\
         </body>\n</html>\n",
    );
    s
}

/// The grades the charts show: the four official ones, and "ungraded" only when some pairing is.
fn shown_grades(p: &Prepared<'_>) -> Vec<usize> {
    (0..GRADES.len()).filter(|&g| g < 4 || p.grades[g] > 0).collect()
}

fn head(s: &mut String, input: &ReportInput<'_>) {
    w!(s, "<header class=\"report-head\">\n<h1>{}</h1>\n<dl class=\"meta\">\n", esc(input.title));
    let year = match input.year {
        Some(y) => format!("{y}, 对照当年年度协作协议 against its annual agreement"),
        None => "未指定 none; 截至基准日的全部活动都计入 every activity up to the as-of date counts".to_owned(),
    };
    let trend = match (input.trend_years.first(), input.trend_years.last()) {
        (Some(first), Some(last)) => format!(
            "{first}–{last}, 截至评估年度的最近三年, 每年单独评估 the last three years ending at the year assessed, \
             each evaluated on its own"
        ),
        _ => "—".to_owned(),
    };
    for (zh, en, value) in [
        ("生成日期", "Generated", input.generated),
        ("评估基准日", "As of", input.as_of),
        ("模型版本", "Model version", input.model_version),
        ("筛选条件", "Filters", input.filters),
        ("评估年度", "Year", &year),
        ("等级趋势", "Trend", &trend),
        ("排名", "Ranking", "各层级分别排名 within each level, never across levels"),
    ] {
        w!(s, "<div><dt>{zh} <span class=\"en\">{en}</span></dt><dd>{}</dd></div>\n", esc(value));
    }
    s.push_str("</dl>\n</header>\n");
}

fn summary(s: &mut String, p: &Prepared<'_>) {
    let with_chart = if p.provinces.is_empty() { "" } else { " with-chart" };
    w!(
        s,
        "<section id=\"summary\">\n<h2>概览 <span class=\"en\">Summary</span></h2>\n\
         <div class=\"summary-grid{with_chart}\">\n<div>\n<div class=\"kpis\">\n"
    );
    let mean = p.mean.map_or_else(|| "—".to_owned(), score);
    w!(s, "<div class=\"kpi\"><b>{}</b><span>结对 <i>Pairings</i></span></div>\n", p.ranked.len());
    w!(s, "<div class=\"kpi\"><b>{mean}</b><span>平均得分 <i>Mean score</i></span></div>\n");
    for g in shown_grades(p) {
        let name = grade(g);
        w!(
            s,
            "<div class=\"kpi {}\"><b>{}</b><span>{} <i>{}</i></span></div>\n",
            name.class,
            p.grades[g],
            name.zh,
            name.en
        );
    }
    let flag = if p.mismatches.is_empty() { "" } else { " warn" };
    w!(
        s,
        "<div class=\"kpi{flag}\"><b>{}</b><span>主导类型不符 <i>Leadership mismatches</i></span></div>\n</div>\n",
        p.mismatches.len()
    );
    if !p.mismatches.is_empty() {
        s.push_str(
            "<h3 class=\"minor\">主导类型不符 <span class=\"en\">Inferred leadership differs from the declared</span></h3>\n\
             <table class=\"plain\"><thead><tr><th>层级 <span class=\"en\">Level</span></th><th>#</th><th>结对 <span class=\"en\">Pairing</span></th>\
             <th>申报 <span class=\"en\">Declared</span></th><th>推断 <span class=\"en\">Inferred</span></th></tr></thead>\n<tbody>\n",
        );
        for &rank in &p.mismatches {
            let e = p.ranked[rank];
            w!(
                s,
                "<tr><td>{}</td><td>{}</td><td><a href=\"#p-{}\">{}</a></td><td>{}</td><td>{}</td></tr>\n",
                level_text(e.level),
                p.rank(rank),
                rank + 1,
                esc(&e.pairing_title),
                leadership_text(e.declared_leadership, "未申报 not declared"),
                leadership_text(e.inferred_leadership, "无法判断 undetermined"),
            );
        }
        s.push_str("</tbody></table>\n");
    }
    s.push_str("</div>\n");
    if !p.provinces.is_empty() {
        let rows: Vec<OverviewRow<'_>> =
            p.provinces.iter().map(|g| OverviewRow { name: g.province.name_zh(), counts: &g.grades }).collect();
        w!(
            s,
            "<figure>{}<figcaption>各西部省份的等级分布 <span class=\"en\">Grades by west province</span></figcaption></figure>\n",
            overview(&rows, &shown_grades(p), "各西部省份的等级分布 Grades by west province")
        );
    }
    s.push_str("</div>\n");
    if p.ranked.is_empty() {
        s.push_str(
            "<p class=\"empty\">没有符合筛选条件的结对。<span class=\"en\">No pairings match the filters.</span></p>\n",
        );
    }
    s.push_str("</section>\n");
}

fn provinces(s: &mut String, p: &Prepared<'_>) {
    if p.provinces.is_empty() {
        return;
    }
    s.push_str(
        "<section id=\"provinces\">\n<h2>各省分布 <span class=\"en\">By west province</span></h2>\n<div class=\"province-grid\">\n",
    );
    let shown = shown_grades(p);
    for g in &p.provinces {
        province(s, p, g, &shown);
    }
    s.push_str("</div>\n</section>\n");
}

fn province(s: &mut String, p: &Prepared<'_>, g: &ProvinceGroup, shown: &[usize]) {
    let pv = &g.province;
    let code = esc(pv.code());
    w!(
        s,
        "<article class=\"province\">\n<h3>{} <span class=\"en\">{}</span> <span class=\"code\">{code}</span></h3>\n\
         <p class=\"stats\">{} 个结对 <span class=\"en\">pairings</span> · 平均 <span class=\"en\">mean</span> {}</p>\n",
        pv.name_zh(),
        pv.name_en(),
        g.count(),
        g.mean.map_or_else(|| "—".to_owned(), score),
    );
    let label = format!("{} {}: 等级分布 grades", pv.name_zh(), pv.name_en());
    s.push_str(&grade_bars(&g.grades, shown, &label));
    s.push_str("\n<ol class=\"members\">");
    for &rank in g.ranks.iter().take(MEMBERS_SHOWN) {
        let e = p.ranked[rank];
        let name = grade(grade_index(e.grade));
        w!(
            s,
            "<li><span class=\"dot {}\"></span><a href=\"#p-{}\">{}</a> <span class=\"num\">{}</span></li>",
            name.class,
            rank + 1,
            esc(&e.pairing_title),
            score(e.overall_score)
        );
    }
    if g.count() > MEMBERS_SHOWN {
        let more = g.count() - MEMBERS_SHOWN;
        w!(s, "<li class=\"more\">及其他 {more} 个 <span class=\"en\">and {more} more</span></li>");
    }
    s.push_str("</ol>\n</article>\n");
}

/// A shade class for a criterion score, by the grade bands.
fn band(x: f64) -> &'static str {
    match x {
        x if x >= 90.0 => "b0",
        x if x >= 75.0 => "b1",
        x if x >= 60.0 => "b2",
        _ => "b3",
    }
}

fn ranking(s: &mut String, input: &ReportInput<'_>, p: &Prepared<'_>) {
    if p.ranked.is_empty() {
        return;
    }
    s.push_str("<section id=\"ranking\">\n<h2>结对排名 <span class=\"en\">Ranking, within each level</span></h2>\n");
    for g in &p.levels {
        level_ranking(s, input, p, g);
    }
    s.push_str("</section>\n");
}

fn side_cell(e: &Evaluation, which: Side) -> String {
    match side(e, which) {
        Some(a) => {
            let g = grade(grade_index(a.grade));
            format!("<span class=\"badge {}\">{}</span> <span class=\"num\">{}</span>", g.class, g.zh, score(a.score))
        }
        None => "—".to_owned(),
    }
}

fn level_ranking(s: &mut String, input: &ReportInput<'_>, p: &Prepared<'_>, g: &LevelGroup) {
    let counties = input.year.is_some() && g.level == PairingLevel::Province as i32;
    w!(
        s,
        "<h3 class=\"minor\">{} <span class=\"en\">({} 个结对 pairings)</span></h3>\n<div class=\"scroll\">\
         <table class=\"ranking\"><thead><tr><th>#</th><th>结对 <span class=\"en\">Pairing</span></th>\
         <th>西部省份 <span class=\"en\">West</span></th><th>等级 <span class=\"en\">Grade</span></th>\
         <th class=\"num\">总分 <span class=\"en\">Score</span></th>",
        level_text(g.level),
        g.range.len()
    );
    if input.year.is_some() {
        s.push_str(
            "<th class=\"num\">成效 <span class=\"en\">Effect.</span></th><th class=\"num\">治理 <span class=\"en\">Gov.</span></th>\
             <th>东部评级 <span class=\"en\">East graded</span></th><th>西部评级 <span class=\"en\">West graded</span></th>",
        );
    }
    if counties {
        s.push_str(
            "<th class=\"num\">财政援助 <span class=\"en\">Fiscal aid</span></th><th class=\"num\">结对县 <span class=\"en\">Counties</span></th>\
             <th class=\"num\">每县 <span class=\"en\">Per county</span></th>",
        );
    }
    for c in CRITERIA {
        w!(s, "<th class=\"num crit\">{}</th>", criterion(c).short);
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for i in g.range.clone() {
        let e = p.ranked[i];
        let name = grade(grade_index(e.grade));
        w!(
            s,
            "<tr><td class=\"num\">{}</td><td class=\"title\"><a href=\"#p-{}\">{}</a> <span class=\"id\">{}</span></td>\
             <td>{}</td><td><span class=\"badge {}\">{}</span></td><td class=\"num strong\">{}</td>",
            p.rank(i),
            i + 1,
            esc(&e.pairing_title),
            esc(pairing_id(&e.pairing)),
            Province::of(&e.west_region_code).name_zh(),
            name.class,
            name.zh,
            score(e.overall_score),
        );
        if input.year.is_some() {
            w!(
                s,
                "<td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td>",
                e.effectiveness_score.map_or_else(|| "—".to_owned(), score),
                score(e.governance_score),
                side_cell(e, Side::East),
                side_cell(e, Side::West)
            );
        }
        if counties {
            let [aid, n, per] = county_cells(input, e);
            w!(s, "<td class=\"num\">{aid}</td><td class=\"num\">{n}</td><td class=\"num\">{per}</td>");
        }
        for c in CRITERIA {
            match find(e, c) {
                Some(cs) => w!(s, "<td class=\"num {}\">{}</td>", band(cs.score), score(cs.score)),
                None => s.push_str("<td class=\"num\">—</td>"),
            }
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody></table></div>\n");
}

fn details(s: &mut String, input: &ReportInput<'_>, p: &Prepared<'_>) {
    if p.ranked.is_empty() {
        return;
    }
    s.push_str("<section id=\"pairings\">\n<h2>结对详情 <span class=\"en\">Pairings in detail</span></h2>\n");
    for g in &p.levels {
        w!(s, "<h3 class=\"level\">{} <span class=\"en\">({})</span></h3>\n", level_text(g.level), g.range.len());
        for i in g.range.clone() {
            pairing(s, input, p, i);
        }
    }
    s.push_str("</section>\n");
}

fn pairing(s: &mut String, input: &ReportInput<'_>, p: &Prepared<'_>, i: usize) {
    let e = p.ranked[i];
    let g = grade(grade_index(e.grade));
    w!(
        s,
        "<article class=\"pairing\" id=\"p-{n}\">\n<header><span class=\"rank\">{rank}</span>\
         <div class=\"heading\"><h3>{title}</h3><span class=\"id\">{name}</span></div>\
         <div class=\"verdict {cls}\"><b>{score}</b><span>{zh} <i>{en}</i></span></div></header>\n",
        n = i + 1,
        rank = p.rank(i),
        title = esc(&e.pairing_title),
        name = esc(&e.pairing),
        cls = g.class,
        score = score(e.overall_score),
        zh = g.zh,
        en = g.en,
    );
    facts(s, input, e);
    s.push_str("<div class=\"scores\">\n<figure class=\"radar-fig\">");
    let label = format!("{}: 八项指标雷达图 radar of the eight criteria", e.pairing_title);
    s.push_str(&radar(&criterion_scores(e), g.colour, &label));
    s.push_str("</figure>\n");
    criteria_table(s, e);
    s.push_str("</div>\n");
    year(s, input, e);
    findings(s, e);
    s.push_str("</article>\n");
}

/// The year's assessment: the trend, effectiveness and governance, both sides, the results, the
/// improvements and the year's findings.
fn year(s: &mut String, input: &ReportInput<'_>, e: &Evaluation) {
    if e.year == 0 && input.year.is_none() {
        return;
    }
    s.push_str("<div class=\"year\">\n");
    if !input.trend_years.is_empty() {
        let years = input.trends.get(&e.pairing);
        let points: Vec<TrendPoint> = input
            .trend_years
            .iter()
            .map(|&y| {
                let found = years.and_then(|ys| ys.iter().find(|g| g.year == y));
                (y, found.map(|g| (g.score, grade_index(g.grade))))
            })
            .collect();
        let label = format!("{}: 逐年等级 grades by year", e.pairing_title);
        w!(
            s,
            "<figure class=\"trend-fig\">{}<figcaption>逐年等级 <span class=\"en\">Grades by year</span></figcaption></figure>\n",
            trend(&points, &label)
        );
    }
    s.push_str("<dl class=\"facts\">");
    if e.year != 0 {
        w!(s, "<div><dt>评估年度 <span class=\"en\">Year</span></dt><dd>{}</dd></div>", e.year);
    }
    w!(
        s,
        "<div><dt>成效 <span class=\"en\">Effectiveness</span></dt><dd>{}</dd></div>\
         <div><dt>治理 <span class=\"en\">Governance</span></dt><dd>{}</dd></div>\
         <div><dt>东部评级 <span class=\"en\">East graded</span></dt><dd>{}</dd></div>\
         <div><dt>西部评级 <span class=\"en\">West graded</span></dt><dd>{}</dd></div>",
        e.effectiveness_score
            .map_or_else(|| "— <span class=\"en\">nothing to measure against</span>".to_owned(), score),
        score(e.governance_score),
        side_cell(e, Side::East),
        side_cell(e, Side::West)
    );
    let counties = input.counties.get(&e.pairing).copied();
    if let Some(n) = counties {
        w!(s, "<div><dt>下辖结对县 <span class=\"en\">County pairings below</span></dt><dd>{n}</dd></div>");
    }
    s.push_str("</dl>\n");
    let rows = result_rows(e, counties);
    if rows.is_empty() {
        s.push_str(
            "<p class=\"empty\">本年度没有指标数据。<span class=\"en\">No indicator figures for the year.</span></p>\n",
        );
    } else {
        let per_county = rows.iter().any(|r| r.per_county.is_some());
        s.push_str(
            "<div class=\"scroll\"><table class=\"results\"><thead><tr><th>指标 <span class=\"en\">Indicator</span></th>\
             <th>方 <span class=\"en\">Side</span></th><th class=\"num\">目标 <span class=\"en\">Target</span></th>\
             <th class=\"num\">实际 <span class=\"en\">Actual</span></th>",
        );
        if per_county {
            s.push_str("<th class=\"num\">每县 <span class=\"en\">Per county</span></th>");
        }
        s.push_str(
            "<th class=\"num\">上年 <span class=\"en\">Previous</span></th><th class=\"num\">完成率 <span class=\"en\">Attainment</span></th>\
             <th class=\"num\">未核实 <span class=\"en\">Unconfirmed</span></th></tr></thead>\n<tbody>\n",
        );
        for r in &rows {
            w!(
                s,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num strong\">{}</td>",
                esc(&r.indicator),
                r.side,
                esc(&r.target),
                esc(&r.actual)
            );
            if per_county {
                w!(s, "<td class=\"num\">{}</td>", r.per_county.as_deref().map_or_else(|| "—".to_owned(), esc));
            }
            w!(
                s,
                "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                esc(&r.previous),
                esc(&r.attainment),
                esc(&r.unconfirmed)
            );
        }
        s.push_str("</tbody></table></div>\n");
    }
    if !e.improvements.is_empty() {
        s.push_str("<p class=\"kind\">提升空间 <span class=\"en\">Improvements</span></p><ul class=\"recs\">\n");
        for i in &e.improvements {
            w!(
                s,
                "<li><p><b>+{}</b> {}</p><p class=\"en\">{}</p></li>\n",
                score(i.score_gain),
                esc(&i.text),
                esc(&i.text_en)
            );
        }
        s.push_str("</ul>\n");
    }
    if !e.findings.is_empty() {
        s.push_str(
            "<p class=\"kind\">年度发现 <span class=\"en\">Findings of the year</span></p><ul class=\"findings\">\n",
        );
        for f in &e.findings {
            finding(s, f);
        }
        s.push_str("</ul>\n");
    }
    s.push_str("</div>\n");
}

fn finding(s: &mut String, f: &Finding) {
    w!(s, "<li><p>{}</p><p class=\"en\">{}</p>", esc(&f.text), esc(&f.text_en));
    if !f.records.is_empty() {
        s.push_str("<p class=\"records\">记录 <span class=\"en\">Records</span>: ");
        let codes: Vec<String> = f.records.iter().map(|r| format!("<code>{}</code>", esc(r))).collect();
        s.push_str(&codes.join(" "));
        s.push_str("</p>");
    }
    s.push_str("</li>\n");
}

fn facts(s: &mut String, input: &ReportInput<'_>, e: &Evaluation) {
    let west = Province::of(&e.west_region_code);
    let east = Province::of(&e.east_region_code);
    let mismatch = if e.leadership_mismatch {
        " <span class=\"flag\">与申报不符 <span class=\"en\">differs from declared</span></span>"
    } else {
        ""
    };
    s.push_str("<dl class=\"facts\">");
    w!(s, "<div><dt>层级 <span class=\"en\">Level</span></dt><dd>{}</dd></div>", level_text(e.level));
    w!(
        s,
        "<div><dt>东部 <span class=\"en\">East</span></dt><dd>{} <span class=\"code\">{}</span></dd></div>",
        east.name_zh(),
        esc(&e.east_region_code)
    );
    w!(
        s,
        "<div><dt>西部 <span class=\"en\">West</span></dt><dd>{} <span class=\"code\">{}</span></dd></div>",
        west.name_zh(),
        esc(&e.west_region_code)
    );
    w!(
        s,
        "<div><dt>申报主导 <span class=\"en\">Declared lead</span></dt><dd>{}</dd></div>",
        leadership_text(e.declared_leadership, "未申报 not declared")
    );
    w!(
        s,
        "<div><dt>推断主导 <span class=\"en\">Inferred lead</span></dt><dd>{}{mismatch}</dd></div>",
        leadership_text(e.inferred_leadership, "无法判断 undetermined")
    );
    if e.as_of != input.as_of {
        w!(s, "<div><dt>评估基准日 <span class=\"en\">As of</span></dt><dd>{}</dd></div>", esc(&e.as_of));
    }
    if e.model_version != input.model_version {
        w!(s, "<div><dt>模型版本 <span class=\"en\">Model</span></dt><dd>{}</dd></div>", esc(&e.model_version));
    }
    s.push_str("</dl>\n");
}

fn criterion_label(cs: &CriterionScore) -> String {
    let c = criterion_of(cs.criterion);
    let name = criterion(c);
    if c == eastwest_proto::evaluation::v1::Criterion::Unspecified {
        format!("{} <span class=\"en\">{} ({})</span>", name.full, name.en, cs.criterion)
    } else {
        format!("{} <span class=\"en\">{}</span>", name.full, name.en)
    }
}

fn criteria_table(s: &mut String, e: &Evaluation) {
    s.push_str(
        "<table class=\"criteria\"><thead><tr><th>指标 <span class=\"en\">Criterion</span></th>\
         <th class=\"num\">权重 <span class=\"en\">Weight</span></th><th class=\"num\">得分 <span class=\"en\">Score</span></th>\
         <th class=\"meter-col\"></th></tr></thead>\n<tbody>\n",
    );
    if e.criteria.is_empty() {
        s.push_str("<tr><td colspan=\"4\" class=\"empty\">没有指标得分 <span class=\"en\">No criterion scores</span></td></tr>\n");
    }
    for cs in &e.criteria {
        let width = if cs.score.is_finite() { cs.score.clamp(0.0, 100.0) } else { 0.0 };
        w!(
            s,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num strong\">{}</td>\
             <td class=\"meter-col\"><span class=\"meter\"><span class=\"{}\" style=\"width:{:.1}%\"></span></span></td></tr>\n",
            criterion_label(cs),
            weight(cs.weight),
            score(cs.score),
            band(cs.score),
            width + 0.0,
        );
    }
    s.push_str("</tbody></table>\n");
}

fn findings(s: &mut String, e: &Evaluation) {
    s.push_str("<div class=\"explain\">\n");
    let mut any = false;
    for cs in e.criteria.iter().filter(|cs| !cs.findings.is_empty() || !cs.recommendations.is_empty()) {
        any = true;
        w!(
            s,
            "<div class=\"crit\"><h4><span>{}</span> <span class=\"num {}\">{}</span></h4>\n",
            criterion_label(cs),
            band(cs.score),
            score(cs.score)
        );
        if !cs.findings.is_empty() {
            s.push_str("<p class=\"kind\">发现 <span class=\"en\">Findings</span></p><ul class=\"findings\">\n");
            for f in &cs.findings {
                finding(s, f);
            }
            s.push_str("</ul>\n");
        }
        if !cs.recommendations.is_empty() {
            s.push_str("<p class=\"kind\">建议 <span class=\"en\">Recommendations</span></p><ul class=\"recs\">\n");
            for r in &cs.recommendations {
                w!(s, "<li><p>{}</p><p class=\"en\">{}</p></li>\n", esc(&r.text), esc(&r.text_en));
            }
            s.push_str("</ul>\n");
        }
        s.push_str("</div>\n");
    }
    if !any {
        s.push_str(
            "<p class=\"empty\">没有发现或建议。<span class=\"en\">No findings or recommendations.</span></p>\n",
        );
    }
    s.push_str("</div>\n");
}
