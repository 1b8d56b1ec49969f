//! The Markdown report: the same content as the HTML one, in GitHub-flavoured tables and lists.

use eastwest_proto::evaluation::v1::Evaluation;

use super::ReportInput;
use super::charts::w;
use super::escape::{md, md_code, score, weight};
use super::labels::{CRITERIA, GRADES, criterion, criterion_of, grade, grade_index, leadership_text, level_text};
use super::prepare::{Prepared, find, prepare};
use super::provinces::Province;

pub(crate) fn render(input: &ReportInput<'_>) -> String {
    let p = prepare(input.evaluations);
    let mut s = String::with_capacity(4_000 + 4_000 * p.ranked.len());
    w!(s, "# {}\n\n", md(input.title));
    w!(s, "- 生成日期 Generated: {}\n", md(input.generated));
    w!(s, "- 评估基准日 As of: {}\n", md(input.as_of));
    w!(s, "- 模型版本 Model version: {}\n", md(input.model_version));
    w!(s, "- 筛选条件 Filters: {}\n\n", md(input.filters));
    summary(&mut s, &p);
    provinces(&mut s, &p);
    ranking(&mut s, &p);
    if !p.ranked.is_empty() {
        s.push_str("## 结对详情 Pairings in detail\n\n");
        for (rank, e) in p.ranked.iter().enumerate() {
            pairing(&mut s, input, rank, e);
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
        s.push_str("| # | 结对 Pairing | 申报 Declared | 推断 Inferred |\n| ---: | --- | --- | --- |\n");
        for &rank in &p.mismatches {
            let e = p.ranked[rank];
            w!(
                s,
                "| {} | {} | {} | {} |\n",
                rank + 1,
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

fn ranking(s: &mut String, p: &Prepared<'_>) {
    if p.ranked.is_empty() {
        return;
    }
    s.push_str("## 结对排名 Ranking\n\n| # | 结对 Pairing | 名称 Name | 西部省份 West | 等级 Grade | 总分 Score |");
    for c in CRITERIA {
        w!(s, " {} |", criterion(c).short);
    }
    s.push_str("\n| ---: | --- | --- | --- | --- | ---: |");
    for _ in CRITERIA {
        s.push_str(" ---: |");
    }
    s.push('\n');
    for (rank, e) in p.ranked.iter().enumerate() {
        let g = grade(grade_index(e.grade));
        w!(
            s,
            "| {} | {} | {} | {} | {} {} | {} |",
            rank + 1,
            md(&e.pairing_title),
            md(&e.pairing),
            Province::of(&e.west_region_code).name_zh(),
            g.zh,
            g.en,
            score(e.overall_score)
        );
        for c in CRITERIA {
            w!(s, " {} |", find(e, c).map_or_else(|| "—".to_owned(), |cs| score(cs.score)));
        }
        s.push('\n');
    }
    s.push('\n');
}

fn pairing(s: &mut String, input: &ReportInput<'_>, rank: usize, e: &Evaluation) {
    let g = grade(grade_index(e.grade));
    w!(s, "### {}. {}\n\n", rank + 1, md(&e.pairing_title));
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
    s.push_str("\n| 指标 Criterion | 权重 Weight | 得分 Score |\n| --- | ---: | ---: |\n");
    for cs in &e.criteria {
        w!(s, "| {} | {} | {} |\n", criterion_label(cs.criterion), weight(cs.weight), score(cs.score));
    }
    s.push('\n');
    let mut any = false;
    for cs in e.criteria.iter().filter(|cs| !cs.findings.is_empty() || !cs.recommendations.is_empty()) {
        any = true;
        w!(s, "#### {} ({})\n\n", criterion_label(cs.criterion), score(cs.score));
        for f in &cs.findings {
            w!(s, "- 发现 Finding: {}  \n  {}", md(&f.text), md(&f.text_en));
            if !f.records.is_empty() {
                let records: Vec<String> = f.records.iter().map(|r| md_code(r)).collect();
                w!(s, "  \n  记录 Records: {}", records.join(", "));
            }
            s.push('\n');
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
