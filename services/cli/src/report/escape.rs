//! Escaping for text that comes from data, and the number formats every part of the report shares.

/// HTML text and attribute values: the five characters that can end or open markup.
pub(crate) fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Markdown inline text, safe inside a table cell and a list item: every character that could open
/// emphasis, a link, a code span, raw HTML, an entity or a cell boundary is backslash-escaped, and
/// line breaks become spaces so a cell stays on one line.
pub(crate) fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '[' | ']' | '<' | '>' | '`' | '#' | '&' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' | '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A Markdown code span holding `s` verbatim: the fence is one backtick longer than the longest run
/// inside, and line breaks become spaces. Not for table cells (a `|` would still split the cell).
pub(crate) fn md_code(s: &str) -> String {
    let s: String = s.chars().map(|c| if matches!(c, '\r' | '\n' | '\t') { ' ' } else { c }).collect();
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') || s.is_empty() { " " } else { "" };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// A shown score: one decimal, `—` when not a number.
pub(crate) fn score(x: f64) -> String {
    if x.is_finite() { format!("{:.1}", x + 0.0) } else { "—".to_owned() }
}

/// A weight (a share of 1) as a percentage: `15%`, `12.5%`.
pub(crate) fn weight(w: f64) -> String {
    if !w.is_finite() {
        return "—".to_owned();
    }
    let s = format!("{:.1}", w * 100.0 + 0.0);
    let s = s.strip_suffix(".0").unwrap_or(&s);
    format!("{s}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(html(r#"<script>&"'"#), "&lt;script&gt;&amp;&quot;&#39;");
        assert_eq!(html("江苏—陕西"), "江苏—陕西");
    }

    #[test]
    fn markdown_escapes_what_would_change_the_layout() {
        assert_eq!(md("a|b *c* _d_ [e](f) <g> `h`"), r"a\|b \*c\* \_d\_ \[e\](f) \<g\> \`h\`");
        assert_eq!(md("one\ntwo\r\nthree"), "one two  three");
        assert_eq!(md(r"back\slash"), r"back\\slash");
    }

    #[test]
    fn code_spans_outgrow_the_backticks_inside() {
        assert_eq!(md_code("pairings/js-sn"), "`pairings/js-sn`");
        assert_eq!(md_code("a``b"), "```a``b```");
        assert_eq!(md_code("`x"), "`` `x ``");
    }

    #[test]
    fn numbers() {
        assert_eq!(score(81.4), "81.4");
        assert_eq!(score(100.0), "100.0");
        assert_eq!(score(-0.0), "0.0");
        assert_eq!(score(f64::NAN), "—");
        assert_eq!(weight(0.15), "15%");
        assert_eq!(weight(0.125), "12.5%");
        assert_eq!(weight(0.0), "0%");
    }
}
