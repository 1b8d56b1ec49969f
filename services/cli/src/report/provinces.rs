//! The 34 province-level units of GB/T 2260, by the two leading digits of a region code.

/// (two-digit prefix, Chinese name, English name), in code order.
const PROVINCES: [(&str, &str, &str); 34] = [
    ("11", "北京市", "Beijing"),
    ("12", "天津市", "Tianjin"),
    ("13", "河北省", "Hebei"),
    ("14", "山西省", "Shanxi"),
    ("15", "内蒙古自治区", "Inner Mongolia"),
    ("21", "辽宁省", "Liaoning"),
    ("22", "吉林省", "Jilin"),
    ("23", "黑龙江省", "Heilongjiang"),
    ("31", "上海市", "Shanghai"),
    ("32", "江苏省", "Jiangsu"),
    ("33", "浙江省", "Zhejiang"),
    ("34", "安徽省", "Anhui"),
    ("35", "福建省", "Fujian"),
    ("36", "江西省", "Jiangxi"),
    ("37", "山东省", "Shandong"),
    ("41", "河南省", "Henan"),
    ("42", "湖北省", "Hubei"),
    ("43", "湖南省", "Hunan"),
    ("44", "广东省", "Guangdong"),
    ("45", "广西壮族自治区", "Guangxi"),
    ("46", "海南省", "Hainan"),
    ("50", "重庆市", "Chongqing"),
    ("51", "四川省", "Sichuan"),
    ("52", "贵州省", "Guizhou"),
    ("53", "云南省", "Yunnan"),
    ("54", "西藏自治区", "Xizang"),
    ("61", "陕西省", "Shaanxi"),
    ("62", "甘肃省", "Gansu"),
    ("63", "青海省", "Qinghai"),
    ("64", "宁夏回族自治区", "Ningxia"),
    ("65", "新疆维吾尔自治区", "Xinjiang"),
    ("71", "台湾省", "Taiwan"),
    ("81", "香港特别行政区", "Hong Kong"),
    ("82", "澳门特别行政区", "Macao"),
];

/// The province a region code belongs to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Province {
    /// A code starting with two digits: the province code (`520000`), and its names when the
    /// prefix is one of the 34.
    Code { code: String, names: Option<(&'static str, &'static str)> },
    /// No two leading digits: the region code is missing or malformed. Sorts after every code.
    Unknown,
}

impl Province {
    pub(super) fn of(region_code: &str) -> Province {
        let prefix = match region_code.as_bytes() {
            [a, b, ..] if a.is_ascii_digit() && b.is_ascii_digit() => &region_code[..2],
            _ => return Province::Unknown,
        };
        let names = PROVINCES.iter().find(|(p, ..)| *p == prefix).map(|&(_, zh, en)| (zh, en));
        Province::Code { code: format!("{prefix}0000"), names }
    }

    /// `520000`, or `—` when unknown.
    pub(super) fn code(&self) -> &str {
        match self {
            Province::Code { code, .. } => code,
            Province::Unknown => "—",
        }
    }

    pub(super) fn name_zh(&self) -> &'static str {
        match self {
            Province::Code { names: Some((zh, _)), .. } => zh,
            Province::Code { names: None, .. } => "未列入 GB/T 2260 的代码",
            Province::Unknown => "地区代码缺失",
        }
    }

    pub(super) fn name_en(&self) -> &'static str {
        match self {
            Province::Code { names: Some((_, en)), .. } => en,
            Province::Code { names: None, .. } => "code not in GB/T 2260",
            Province::Unknown => "region code missing",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_holds_34_distinct_two_digit_prefixes_in_order() {
        assert_eq!(PROVINCES.len(), 34);
        for pair in PROVINCES.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].0, pair[1].0);
        }
        assert!(PROVINCES.iter().all(|(p, ..)| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit())));
    }

    #[test]
    fn codes_map_to_their_province() {
        let p = Province::of("520502");
        assert_eq!((p.code(), p.name_zh(), p.name_en()), ("520000", "贵州省", "Guizhou"));
        assert_eq!(Province::of("150000").name_zh(), "内蒙古自治区");
        assert_eq!(Province::of("990101").code(), "990000");
        assert_eq!(Province::of("990101").name_en(), "code not in GB/T 2260");
        assert_eq!(Province::of(""), Province::Unknown);
        assert_eq!(Province::of("5x"), Province::Unknown);
        assert_eq!(Province::of("贵州"), Province::Unknown);
        assert!(Province::of("650000") < Province::Unknown);
    }
}
