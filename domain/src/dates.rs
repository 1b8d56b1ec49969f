//! Calendar dates as the contract writes them (ISO 8601 `YYYY-MM-DD`), and "today" as the
//! programme's offices see it.

use chrono::{FixedOffset, NaiveDate, Utc};

/// The rule, for messages.
pub const DATE_RULE: &str = "a calendar date written YYYY-MM-DD";

/// Parses exactly `YYYY-MM-DD` (chrono alone would also take unpadded `2024-2-1`).
pub fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    (text.len() == 10).then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()).flatten()
}

/// Writes a date as `YYYY-MM-DD`. Plain integer formatting: chrono's `format` re-parses its
/// pattern on every call, which showed in profiles of large snapshots.
pub fn iso_date(date: NaiveDate) -> String {
    use chrono::Datelike as _;
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// Today in China Standard Time (UTC+8, no daylight saving): the date on the assessors' calendars,
/// so that "overdue" turns at local midnight rather than at 08:00.
pub fn today_in_china() -> NaiveDate {
    // 8 hours is within chrono's ±24 h range, so the offset always exists.
    match FixedOffset::east_opt(8 * 3600) {
        Some(cst) => Utc::now().with_timezone(&cst).date_naive(),
        None => Utc::now().date_naive(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_print_padded() {
        assert_eq!(iso_date(NaiveDate::from_ymd_opt(2021, 3, 9).expect("date")), "2021-03-09");
        assert_eq!(
            parse_iso_date(&iso_date(NaiveDate::from_ymd_opt(987, 12, 31).expect("date"))),
            NaiveDate::from_ymd_opt(987, 12, 31)
        );
    }

    #[test]
    fn only_padded_real_dates_parse() {
        assert_eq!(parse_iso_date("2024-02-29"), NaiveDate::from_ymd_opt(2024, 2, 29));
        for bad in ["2023-02-29", "2024-2-1", "2024/02/01", "", "20240201", "2024-02-01T00"] {
            assert_eq!(parse_iso_date(bad), None, "{bad}");
        }
    }
}
