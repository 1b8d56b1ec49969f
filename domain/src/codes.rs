//! Official identifier formats: the unified social credit code (统一社会信用代码, GB 32100-2015) and
//! the administrative-division code (GB/T 2260). See `../shared/reference/domain-notes.md` §6.

/// The 31 symbols of GB 32100, in value order (no I, O, Z, S, V).
const CREDIT_CODE_CHARS: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights of positions 1 to 17: 3^i mod 31.
const CREDIT_CODE_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// What the check character says about a well-formed credit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditCodeCheck {
    Valid,
    /// Well-formed, but the check character does not match. Real early codes fail the check, so
    /// such a code is stored and flagged rather than rejected.
    ChecksumMismatch,
    Absent,
}

/// Why a credit code is not even well-formed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("a credit code has 18 characters, this one has {0}")]
    Length(usize),
    #[error("character {position} ({found:?}) is not one of 0-9A-HJ-NPQRTUWXY")]
    Symbol { position: usize, found: char },
    #[error("positions 3 to 8 are the registering authority's region code and must be digits; position {0} is not")]
    RegionDigits(usize),
}

fn credit_symbol_value(c: u8) -> Option<u32> {
    CREDIT_CODE_CHARS.iter().position(|&s| s == c).and_then(|i| u32::try_from(i).ok())
}

/// Checks the form of a credit code (not its check character).
pub fn parse_credit_code(code: &str) -> Result<(), CreditCodeError> {
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return Err(CreditCodeError::Length(chars.len()));
    }
    for (i, &c) in chars.iter().enumerate() {
        let position = i + 1;
        let known = c.is_ascii() && credit_symbol_value(c as u8).is_some();
        if !known {
            return Err(CreditCodeError::Symbol { position, found: c });
        }
        if (3..=8).contains(&position) && !c.is_ascii_digit() {
            return Err(CreditCodeError::RegionDigits(position));
        }
    }
    Ok(())
}

/// The GB 32100 check character for the first 17 symbols of a well-formed code.
fn expected_check_char(code: &[u8]) -> Option<u8> {
    let mut sum = 0u32;
    for (&c, &w) in code.iter().take(17).zip(CREDIT_CODE_WEIGHTS.iter()) {
        sum += credit_symbol_value(c)? * w;
    }
    let check = (31 - sum % 31) % 31;
    CREDIT_CODE_CHARS.get(check as usize).copied()
}

/// Tests the check character of a credit code; an empty code is `Absent`.
pub fn check_credit_code(code: &str) -> CreditCodeCheck {
    if code.is_empty() {
        return CreditCodeCheck::Absent;
    }
    let bytes = code.as_bytes();
    match (expected_check_char(bytes), bytes.get(17)) {
        (Some(expected), Some(&actual)) if expected == actual => CreditCodeCheck::Valid,
        _ => CreditCodeCheck::ChecksumMismatch,
    }
}

/// GB/T 2260 province-level codes (first two digits), including Taiwan, Hong Kong and Macao.
const PROVINCE_PREFIXES: &[&str] = &[
    "11", "12", "13", "14", "15", // 北京 天津 河北 山西 内蒙古
    "21", "22", "23", // 辽宁 吉林 黑龙江
    "31", "32", "33", "34", "35", "36", "37", // 上海 江苏 浙江 安徽 福建 江西 山东
    "41", "42", "43", "44", "45", "46", // 河南 湖北 湖南 广东 广西 海南
    "50", "51", "52", "53", "54", // 重庆 四川 贵州 云南 西藏
    "61", "62", "63", "64", "65", // 陕西 甘肃 青海 宁夏 新疆
    "71", "81", "82", // 台湾 香港 澳门
];

/// Why a region code or prefix is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegionCodeError {
    #[error("a region code has 6 digits (GB/T 2260)")]
    Malformed,
    #[error("a region code prefix has 1 to 6 digits")]
    MalformedPrefix,
    #[error("no province has the code {0}0000 (GB/T 2260)")]
    UnknownProvince(String),
}

/// The province part of a code, if it names a province that exists.
fn known_province(digits: &str) -> Result<(), RegionCodeError> {
    let province = digits.get(..2).unwrap_or(digits);
    if province.len() < 2 {
        // A one-digit prefix can still lead to a province: accept it if any province starts with it.
        return if PROVINCE_PREFIXES.iter().any(|p| p.starts_with(province)) {
            Ok(())
        } else {
            Err(RegionCodeError::UnknownProvince(province.to_string()))
        };
    }
    if PROVINCE_PREFIXES.contains(&province) {
        Ok(())
    } else {
        Err(RegionCodeError::UnknownProvince(province.to_string()))
    }
}

/// Checks a full 6-digit region code whose province exists.
pub fn parse_region_code(code: &str) -> Result<(), RegionCodeError> {
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(RegionCodeError::Malformed);
    }
    known_province(code)
}

/// Checks a filter prefix: 1 to 6 digits that can lead to an existing province.
pub fn parse_region_prefix(prefix: &str) -> Result<(), RegionCodeError> {
    if prefix.is_empty() || prefix.len() > 6 || !prefix.bytes().all(|b| b.is_ascii_digit()) {
        return Err(RegionCodeError::MalformedPrefix);
    }
    known_province(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_codes_pass_the_check() {
        // The org-id.guide examples for CN-USCI, and one computed by hand in the domain notes.
        for code in ["G1610000713522976L", "G1330000MCW06863XQ", "G11100007178352756", "91350100M000100Y43"] {
            assert_eq!(parse_credit_code(code), Ok(()), "{code}");
            assert_eq!(check_credit_code(code), CreditCodeCheck::Valid, "{code}");
        }
    }

    #[test]
    fn a_wrong_check_character_is_a_mismatch_not_an_error() {
        let code = "91350100M000100Y44";
        assert_eq!(parse_credit_code(code), Ok(()));
        assert_eq!(check_credit_code(code), CreditCodeCheck::ChecksumMismatch);
    }

    #[test]
    fn malformed_codes_are_rejected_with_the_reason() {
        assert_eq!(parse_credit_code("9135"), Err(CreditCodeError::Length(4)));
        assert_eq!(parse_credit_code("91350100M000100YI3"), Err(CreditCodeError::Symbol { position: 17, found: 'I' }));
        assert_eq!(parse_credit_code("9135A100M000100Y43"), Err(CreditCodeError::RegionDigits(5)));
        assert_eq!(parse_credit_code("91350100m000100Y43"), Err(CreditCodeError::Symbol { position: 9, found: 'm' }));
        assert_eq!(check_credit_code(""), CreditCodeCheck::Absent);
    }

    #[test]
    fn region_codes_need_six_digits_and_a_real_province() {
        assert_eq!(parse_region_code("520100"), Ok(()));
        assert_eq!(parse_region_code("52010"), Err(RegionCodeError::Malformed));
        assert_eq!(parse_region_code("52010a"), Err(RegionCodeError::Malformed));
        assert_eq!(parse_region_code("990000"), Err(RegionCodeError::UnknownProvince("99".into())));
        assert_eq!(parse_region_code("２２０１００"), Err(RegionCodeError::Malformed));
    }

    #[test]
    fn region_prefixes_may_be_partial() {
        assert_eq!(parse_region_prefix("5"), Ok(()));
        assert_eq!(parse_region_prefix("52"), Ok(()));
        assert_eq!(parse_region_prefix("5201"), Ok(()));
        assert_eq!(parse_region_prefix("9"), Err(RegionCodeError::UnknownProvince("9".into())));
        assert_eq!(parse_region_prefix("1234567"), Err(RegionCodeError::MalformedPrefix));
        assert_eq!(parse_region_prefix(""), Err(RegionCodeError::MalformedPrefix));
    }
}
