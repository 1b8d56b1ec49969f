//! A minimal HTML reader for the tests: enough to prove the report's markup is balanced and to look
//! inside its elements. It knows the report's own dialect (quoted attributes, `<style>` as raw
//! text, void `<meta>`, self-closing SVG elements), not all of HTML.

/// One element: its name, attributes and where its content lies in the source.
#[derive(Debug)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub content: std::ops::Range<usize>,
}

impl Element {
    pub(super) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// An element not yet closed: name, attributes and where its content starts.
type Open = (String, Vec<(String, String)>, usize);

const VOID: [&str; 6] = ["meta", "br", "hr", "img", "link", "input"];

/// Every element of `src`, in order of their closing, or the first error with its byte offset.
pub(crate) fn parse(src: &str) -> Result<Vec<Element>, String> {
    let b = src.as_bytes();
    let mut done = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'<' if src[i..].starts_with("<!--") => {
                i += src[i..].find("-->").ok_or(format!("unclosed comment at {i}"))? + 3;
            }
            b'<' if src[i..].starts_with("<!") => {
                i += src[i..].find('>').ok_or(format!("unclosed declaration at {i}"))? + 1;
            }
            b'<' if src[i..].starts_with("</") => {
                let end = i + src[i..].find('>').ok_or(format!("unclosed end tag at {i}"))?;
                let name = &src[i + 2..end];
                let (expected, attrs, start) = open.pop().ok_or(format!("</{name}> at {i} closes nothing"))?;
                if expected != name {
                    return Err(format!("</{name}> at {i} closes <{expected}>"));
                }
                done.push(Element { name: expected, attrs, content: start..i });
                i = end + 1;
            }
            b'<' => {
                let (name, attrs, self_closing, end) = start_tag(src, i)?;
                i = end;
                if name == "style" || name == "script" {
                    let close = format!("</{name}>");
                    let stop = i + src[i..].find(&close).ok_or(format!("unclosed <{name}>"))?;
                    done.push(Element { name, attrs, content: i..stop });
                    i = stop + close.len();
                } else if self_closing || VOID.contains(&name.as_str()) {
                    done.push(Element { name, attrs, content: i..i });
                } else {
                    open.push((name, attrs, i));
                }
            }
            b'&' => i = entity(src, i)?,
            b'>' => return Err(format!("a bare '>' in text at {i}")),
            _ => i += 1,
        }
    }
    match open.pop() {
        Some((name, ..)) => Err(format!("<{name}> is never closed")),
        None => Ok(done),
    }
}

/// A character reference: `&name;` or `&#digits;`. Returns the offset after it.
fn entity(src: &str, i: usize) -> Result<usize, String> {
    let rest = &src[i + 1..];
    let end = rest.find(';').filter(|&e| e > 0 && e <= 8).ok_or(format!("a bare '&' at {i}"))?;
    let body = &rest[..end];
    let ok = match body.strip_prefix('#') {
        Some(digits) => !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit()),
        None => body.bytes().all(|c| c.is_ascii_alphabetic()),
    };
    if ok { Ok(i + 1 + end + 1) } else { Err(format!("a bad character reference at {i}")) }
}

type StartTag = (String, Vec<(String, String)>, bool, usize);

fn start_tag(src: &str, at: usize) -> Result<StartTag, String> {
    let b = src.as_bytes();
    let mut i = at + 1;
    let name_end = i + src[i..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(src.len() - i);
    if name_end == i {
        return Err(format!("a '<' that opens no tag at {at}"));
    }
    let name = src[i..name_end].to_owned();
    i = name_end;
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        match b.get(i) {
            None => return Err(format!("<{name}> at {at} never ends")),
            Some(b'>') => return Ok((name, attrs, false, i + 1)),
            Some(b'/') if b.get(i + 1) == Some(&b'>') => return Ok((name, attrs, true, i + 2)),
            Some(_) => {}
        }
        let key_end =
            i + src[i..].find(|c: char| c == '=' || c == '>' || c == '/' || c.is_ascii_whitespace()).unwrap_or(0);
        if key_end == i {
            return Err(format!("a malformed attribute in <{name}> at {at}"));
        }
        let key = src[i..key_end].to_owned();
        i = key_end;
        if b.get(i) != Some(&b'=') {
            attrs.push((key, String::new()));
            continue;
        }
        let quote = *b.get(i + 1).ok_or(format!("<{name}> at {at} never ends"))?;
        if quote != b'"' && quote != b'\'' {
            return Err(format!("an unquoted attribute {key} in <{name}> at {at}"));
        }
        let start = i + 2;
        let len = src[start..].find(quote as char).ok_or(format!("an unclosed attribute {key} at {at}"))?;
        let value = &src[start..start + len];
        if value.contains('<') {
            return Err(format!("a '<' inside attribute {key} at {at}"));
        }
        attrs.push((key, value.to_owned()));
        i = start + len + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_balanced_markup() {
        let doc = parse(r#"<!DOCTYPE html><html><head><meta charset="utf-8"><style>a>b{}</style></head><body><p class="x">a &amp; b &#39;</p><svg viewBox="0 0 1 1"><circle r="1"/></svg></body></html>"#).unwrap();
        let names: Vec<_> = doc.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["meta", "style", "head", "p", "circle", "svg", "body", "html"]);
        assert_eq!(doc[5].attr("viewBox"), Some("0 0 1 1"));
    }

    #[test]
    fn rejects_what_escaping_should_have_prevented() {
        for bad in [
            "<p><b></p></b>",
            "<p>",
            "</p>",
            "<p>a < b</p>",
            "<p>a & b</p>",
            "<p>a > b</p>",
            r#"<p title="a<b">x</p>"#,
            "<p x=1></p>",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
