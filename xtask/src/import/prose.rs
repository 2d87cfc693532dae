//! What a member's prose says, where it says it unambiguously: an integer range
//! (`取值范围：1~100`, or in English "Valid values: 1 to 100", "ranging from 1 to 100"),
//! a default (`默认值：10`, "Default value: 10") and a list of values
//! (`取值：<li>A：…</li><li>B：…</li>`). Anything less clear-cut is left to the
//! description, which is always kept whole.

use std::sync::LazyLock;

use regex::Regex;

/// What ends a number or a value token: the end of the text, blanks, punctuation, a tag.
const END: &str = r"(?:$|[\s。，,；;（(）)<])";

static RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"取值范围[是为]?\s*[：:]\s*(?:\[\s*(-?\d+)\s*,\s*(-?\d+)\s*\]|(-?\d+)\s*[~～]\s*(-?\d+)|(\d+)\s*-\s*(\d+)){END}"
    ))
    .expect("range pattern")
});

static DEFAULT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"默认(?:值|取值)\s*[：:]\s*([A-Za-z0-9_.\-]+){END}"
    ))
    .expect("default pattern")
});

/// A marker that introduces a list of values.
static ENUM_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:取值范围|取值|枚举值|可选值)\s*[：:]").expect("marker"));

/// One `<li>VALUE：description</li>` item.
static ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*<li>\s*([A-Za-z0-9_.\-]+)\s*[：:]\s*(.*?)\s*</li>").expect("item")
});

/// What may stand between the marker and the list, and between items.
static FILLER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\s|<br\s*/?>|</?p>|<ul>|</ul>)*").expect("filler"));

/// An English number, with or without thousands separators (`1,000`).
const NUM: &str = r"(-?\d{1,3}(?:,\d{3})+|-?\d+)";

/// An English range: "Valid values: 1 to 100", "Value range: 1-100", "ranging from 1 to
/// 100", "range from 1 to 100".
static RANGE_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?:valid values?(?:\s+are|\s*:)|value range(?:\s+is|\s*:)|rang(?:e|es|ing)\s+from)\s*:?\s*{NUM}\s*(?:to|~|-)\s*{NUM}(?:\.\s|\.$|{END})"
    ))
    .expect("English range pattern")
});

/// What may begin an English range; it must be said once.
static RANGE_EN_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)valid values?|value range|rang(?:e|es|ing)\s+from").expect("marker")
});

/// An English default: "Default value: 10", "Default: true", "The default value is 10".
static DEFAULT_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)default(?:\s+value)?(?:\s+is|\s*:)\s*([A-Za-z0-9_\-]+(?:\.\d+)?)(?:\.\s|\.$|{END})"
    ))
    .expect("English default pattern")
});

/// The integer range the text gives, if it gives exactly one.
pub fn range(doc: &str) -> Option<(i64, i64)> {
    if doc.matches("取值范围").count() != 1 {
        return range_en(doc);
    }
    let c = RANGE.captures(doc)?;
    let pick = |a: usize, b: usize| Some((c.get(a)?.as_str(), c.get(b)?.as_str()));
    let (lo, hi) = pick(1, 2).or_else(|| pick(3, 4)).or_else(|| pick(5, 6))?;
    let (lo, hi) = (lo.parse().ok()?, hi.parse().ok()?);
    (lo <= hi).then_some((lo, hi))
}

/// The English range, if the text says exactly one.
fn range_en(doc: &str) -> Option<(i64, i64)> {
    if doc.contains("取值") || RANGE_EN_MARKER.find_iter(doc).count() != 1 {
        return None;
    }
    let c = RANGE_EN.captures(doc)?;
    let num = |i: usize| c.get(i)?.as_str().replace(',', "").parse::<i64>().ok();
    let (lo, hi) = (num(1)?, num(2)?);
    (lo <= hi).then_some((lo, hi))
}

/// The English default, if the text mentions defaults once.
fn default_en(doc: &str) -> Option<String> {
    if doc.contains("默认") || doc.to_ascii_lowercase().matches("default").count() != 1 {
        return None;
    }
    let v = DEFAULT_EN.captures(doc)?.get(1)?.as_str();
    (!v.is_empty()).then(|| v.to_owned())
}

/// The default the text gives, if it names one default and nothing else about defaults.
pub fn default(doc: &str) -> Option<String> {
    if doc.matches("默认").count() != 1 {
        return default_en(doc);
    }
    let c = DEFAULT.captures(doc)?;
    let v = c.get(1)?.as_str();
    // A trailing full stop of an ASCII sentence is not part of the value.
    let v = v.strip_suffix('.').unwrap_or(v);
    (!v.is_empty()).then(|| v.to_owned())
}

/// One documented value of a string member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    pub value: String,
    pub description: String,
}

/// The values the text lists, if it has exactly one `<li>` list, right after a marker
/// (`取值：`, `取值范围：`, `枚举值：`, `可选值：`), every item of which is `VALUE：description`.
pub fn enum_values(doc: &str) -> Option<Vec<EnumValue>> {
    let first_li = doc.find("<li>")?;
    // The marker must be the last thing before the list (tags and blanks aside).
    let before = &doc[..first_li];
    let m = ENUM_MARKER.find_iter(before).last()?;
    let gap = &before[m.end()..];
    if FILLER.find(gap).map(|f| f.end()) != Some(gap.len()) {
        return None;
    }
    let mut rest = &doc[first_li..];
    let mut values: Vec<EnumValue> = Vec::new();
    while let Some(c) = ITEM.captures(rest) {
        let description = c[2]
            .trim()
            .trim_end_matches(['。', '.', '；', ';'])
            .to_owned();
        if description.contains("<li>") {
            return None;
        }
        values.push(EnumValue {
            value: c[1].to_owned(),
            description,
        });
        rest = &rest[c.get(0).map_or(0, |m| m.end())..];
        let skip = FILLER.find(rest).map_or(0, |f| f.end());
        rest = &rest[skip..];
    }
    // Every item is a value (no stray `<li>` later), and there are at least two.
    if values.len() < 2 || rest.contains("<li>") || rest.contains("<li/>") {
        return None;
    }
    let mut seen = std::collections::HashSet::new();
    values
        .iter()
        .all(|v| seen.insert(v.value.clone()))
        .then_some(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_only_where_the_text_is_clear() {
        assert_eq!(
            range("每页的最大数据条数。  取值范围：1~100。  默认值：10。"),
            Some((1, 100))
        );
        assert_eq!(
            range("限制数目。取值范围：1~50，默认值：10\t"),
            Some((1, 50))
        );
        assert_eq!(
            range("单位：秒。 取值范围：900 ~ 43200（15 分钟~12 小时）。"),
            Some((900, 43200))
        );
        assert_eq!(
            range("<p>每页条数</p><p>取值范围：[1, 100]</p>"),
            Some((1, 100))
        );
        assert_eq!(
            range("取值范围：900-43200（15 分钟-12 小时）。"),
            Some((900, 43200))
        );
        assert_eq!(range("取值范围：1~100"), Some((1, 100)));
        // Values, units, two ranges, reversed bounds, decimals: left to the description.
        assert_eq!(range("取值范围：0-服务控制策略、1-标签策略"), None);
        assert_eq!(
            range("取值范围：1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 24, 36。"),
            None
        );
        assert_eq!(range("取值范围：1~100GB"), None);
        assert_eq!(range("取值范围：1~100；另一模式取值范围：1~10"), None);
        assert_eq!(range("取值范围：100~1"), None);
        assert_eq!(range("取值范围：1~1.5"), None);
        assert_eq!(range("最小1小时，最大99年"), None);
        assert_eq!(range("亲和度的取值范围是：1-10，默认为1"), Some((1, 10)));
    }

    #[test]
    fn defaults_only_where_the_text_is_clear() {
        assert_eq!(
            default("每页的最大数据条数。  取值范围：1~100。  默认值：10。").as_deref(),
            Some("10")
        );
        assert_eq!(
            default("偏移量。取值是limit的整数倍，默认值 : 0").as_deref(),
            Some("0")
        );
        assert_eq!(default("<p>默认值：1</p>").as_deref(), Some("1"));
        assert_eq!(default("默认取值：FALSE。").as_deref(), Some("FALSE"));
        assert_eq!(
            default("是否只预检。\n默认值：false").as_deref(),
            Some("false")
        );
        assert_eq!(default("默认值：3600（1 小时）。").as_deref(), Some("3600"));
        // No colon, two mentions, a value in quotes, a value in a phrase: left out.
        assert_eq!(default("默认值SERVICE_CONTROL_POLICY，取值范围：…"), None);
        assert_eq!(default("默认值：1。1、2 默认必须"), None);
        assert_eq!(default("默认为：'PREPAID'。"), None);
        assert_eq!(default("Enabled（默认值）：启用。"), None);
        assert_eq!(default("默认值：10个"), None);
    }

    #[test]
    fn enums_only_from_clear_lists() {
        let v = enum_values(
            "<p>审批结果</p><p>枚举值：</p><ul><li>Approve： 通过</li><li>Reject： 拒绝</li></ul>",
        )
        .unwrap();
        assert_eq!(
            v,
            vec![
                EnumValue {
                    value: "Approve".into(),
                    description: "通过".into()
                },
                EnumValue {
                    value: "Reject".into(),
                    description: "拒绝".into()
                },
            ]
        );
        let v = enum_values("自动续费标识。取值范围：<li>NOTIFY_AND_AUTO_RENEW：通知过期且自动续费</li><li>NOTIFY_AND_MANUAL_RENEW：通知过期不自动续费</li><li>DISABLE_NOTIFY_AND_MANUAL_RENEW：不通知过期不自动续费</li><br>默认取值：NOTIFY_AND_AUTO_RENEW。").unwrap();
        assert_eq!(v.len(), 3);
        assert_eq!(v[2].value, "DISABLE_NOTIFY_AND_MANUAL_RENEW");
        let v = enum_values("定时器状态。取值范围：<br><li>UNDO：未执行</li> <li>DOING：正在执行</li><li>DONE：执行完成。</li>").unwrap();
        assert_eq!(v[2].description, "执行完成");
        // Prose without a list, lists of instructions, one value, no marker: left out.
        assert_eq!(
            enum_values("取值：  Enabled：启用。 Disabled：禁用。"),
            None
        );
        assert_eq!(enum_values("可以通过以下方式获取可用的实例ID：\n<li>通过登录[控制台](https://x)查询实例ID。</li>\n<li>通过调用接口 DescribeInstances。</li>"), None);
        assert_eq!(enum_values("取值：<li>A：一</li>"), None);
        assert_eq!(
            enum_values("镜像类型分为四种：<br><li>公共镜像</li><li>自定义镜像</li>"),
            None
        );
        assert_eq!(
            enum_values(
                "<p>CHC的状态<br></p><ul><li>INIT: 设备已录入</li><li>READY: 已配置</li></ul>"
            ),
            None
        );
        // A list followed by another list item that is not a value.
        assert_eq!(
            enum_values("取值：<li>A：一</li><li>B：二</li>说明：<li>其他</li>"),
            None
        );
        assert_eq!(enum_values("取值：<li>A：一</li><li>A：二</li>"), None);
    }

    #[test]
    fn english_ranges_and_defaults_only_where_the_text_is_clear() {
        assert_eq!(
            range("The number of entries per page. Valid values: 1 to 100. Default value: 10."),
            Some((1, 100))
        );
        assert_eq!(range("The page size, ranging from 1 to 50."), Some((1, 50)));
        assert_eq!(range("Value range: 0-3600"), Some((0, 3600)));
        assert_eq!(
            range("The page number. Valid values: 1 to 1,000."),
            Some((1, 1000))
        );
        // Two ranges, or a range of something else, say nothing.
        assert_eq!(
            range("Valid values: 1 to 10 for small instances and valid values: 1 to 20 otherwise."),
            None
        );
        assert_eq!(range("Valid values: Enable and Disable."), None);
        assert_eq!(range("The page number."), None);
        assert_eq!(
            default("The number of entries per page. Valid values: 1 to 100. Default value: 10."),
            Some("10".into())
        );
        assert_eq!(
            default("Whether to wait. Default: true"),
            Some("true".into())
        );
        assert_eq!(default("The default value is 1.5."), Some("1.5".into()));
        // "Default" twice is not one default.
        assert_eq!(
            default("Default: 10. If the default is too small, raise it."),
            None
        );
        assert_eq!(default("Uses the default VPC."), None);
    }
}
