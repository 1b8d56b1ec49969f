//! How results reach people (aligned tables) and scripts (one JSON object per line), and how a
//! failed call is told: its gRPC code, message and field violations.

use std::fmt::Write as _;
use std::io::Write as _;

/// Writes to standard output. A closed pipe (`eastwest ... | head`) ends the program quietly with
/// success, as Unix tools do, instead of a panic.
pub fn emit(text: &str) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to standard output: {e}");
        std::process::exit(1);
    }
}

/// `println!` through [`emit`].
#[macro_export]
macro_rules! outln {
    () => { $crate::output::emit("\n") };
    ($($arg:tt)*) => { $crate::output::emit(&format!("{}\n", format_args!($($arg)*))) };
}

use tonic_types::StatusExt;
use unicode_width::UnicodeWidthStr;

/// A table printed with columns aligned by display width (CJK characters take two columns).
pub struct Table {
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: &[&'static str]) -> Self {
        Self { headers: headers.to_vec(), rows: Vec::new() }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn render(&self) -> String {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                if let Some(w) = widths.get_mut(i) {
                    *w = (*w).max(cell.width());
                }
            }
        }
        let mut out = String::new();
        let line = |out: &mut String, cells: Vec<&str>| {
            let last = cells.len().saturating_sub(1);
            for (i, cell) in cells.into_iter().enumerate() {
                out.push_str(cell);
                if i < last {
                    let pad = widths.get(i).copied().unwrap_or(0).saturating_sub(cell.width()) + 2;
                    out.extend(std::iter::repeat_n(' ', pad));
                }
            }
            out.push('\n');
        };
        line(&mut out, self.headers.clone());
        for row in &self.rows {
            line(&mut out, row.iter().map(String::as_str).collect());
        }
        out
    }

    pub fn print(&self) {
        emit(&self.render());
    }
}

pub fn print_json(value: &serde_json::Value) {
    emit(&format!("{value}\n"));
}

/// `CODE: message`, then one line per field violation or precondition failure.
pub fn describe_status(status: &tonic::Status) -> String {
    let mut out = format!("{:?}: {}", status.code(), status.message());
    let details = status.get_error_details();
    if let Some(bad) = details.bad_request() {
        for v in &bad.field_violations {
            let _ = write!(out, "\n  - {}: {}", v.field, v.description);
        }
    }
    out
}

/// An enum's wire name without its type prefix, e.g. `GOVERNMENT_BODY`.
pub fn short(name: &str, prefix: &str) -> String {
    name.strip_prefix(prefix).unwrap_or(name).to_string()
}

/// Money in fen as yuan with two decimals and thousands separators.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    let (whole, cents) = (fen / 100, fen % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{cents:02}")
}

/// Money in fen as the official reports give it: 亿元 from one 亿 up, 万元 below, two decimals
/// (rounded half away from zero), thousands separators in the whole part.
pub fn money(fen: i64) -> String {
    const YI: i128 = 10_000_000_000; // fen in one 亿元
    const WAN: i128 = 1_000_000; // fen in one 万元
    let fen = i128::from(fen);
    let (unit, per) = if fen.abs() >= YI { ("亿元", YI) } else { ("万元", WAN) };
    // Hundredths of the unit, rounded half away from zero.
    let hundredths = (fen.abs() * 100 + per / 2) / per;
    let sign = if fen < 0 && hundredths > 0 { "-" } else { "" };
    format!("{sign}{}.{:02} {unit}", grouped(hundredths / 100), hundredths % 100)
}

/// An integer with a comma every three digits, from the right.
pub(crate) fn grouped(n: i128) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_wide_characters() {
        let mut t = Table::new(&["NAME", "SCORE"]);
        t.row(vec!["江苏".into(), "81.4".into()]);
        t.row(vec!["abcdef".into(), "9".into()]);
        assert_eq!(t.render(), "NAME    SCORE\n江苏    81.4\nabcdef  9\n");
    }

    #[test]
    fn money_reads_as_yuan() {
        assert_eq!(yuan(269_000_000_000), "2,690,000,000.00");
        assert_eq!(yuan(5), "0.05");
        assert_eq!(yuan(-123_456), "-1,234.56");
    }

    #[test]
    fn money_reads_as_yi_or_wan_yuan() {
        assert_eq!(money(269_000_000_000), "26.90 亿元", "Jiangsu's 2021 fiscal aid");
        assert_eq!(money(10_000_000_000), "1.00 亿元");
        assert_eq!(money(9_999_999_999), "10,000.00 万元", "just under one 亿 stays in 万元");
        assert_eq!(money(30_000_000), "30.00 万元");
        assert_eq!(money(5_000), "0.01 万元", "half a hundredth rounds up");
        assert_eq!(money(4_999), "0.00 万元");
        assert_eq!(money(0), "0.00 万元");
        assert_eq!(money(-269_000_000_000), "-26.90 亿元");
        assert_eq!(money(12_345_678_900_000_000), "1,234,567.89 亿元");
        assert_eq!(money(i64::MIN), "-922,337,203.69 亿元", "the extreme does not overflow");
    }
}
