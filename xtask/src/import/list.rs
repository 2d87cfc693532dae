//! `cargo xtask import --refresh-list aliyun --names FILE`: the pinned list of every
//! Alibaba Cloud API product, `xtask/import/aliyun-all.txt`.
//!
//! An API client on PyPI is `alibabacloud-<product><yyyymmdd>`: the product, then the
//! 8-digit API version. The list pins, for each product, one API version at the listing's
//! newest release of it: the version released last, and of those released in the same
//! month the newest API. (The newest API date alone would pick abandoned versions: ECS
//! 2016-03-14, last released in 2022 at 1.0.0, over ECS 2014-05-26, released every
//! month; likewise CS, GPDB, CloudAPI, SAS, Elasticsearch.) Every other `alibabacloud-*` name is
//! recognised and skipped by class (Python 2 builds, SDK cores, gateways, utilities,
//! credentials, MCP servers, test uploads, other SDKs), and so are the older API versions
//! of a listed product; the counts go to the command's output and the list's header.
//!
//! FILE is a listing of PyPI's packages, one a line: the name, its newest version and
//! when that was released (`YYYY-MM` or `YYYY-MM-DD`), separated by tabs or spaces (more
//! columns may follow; a header line whose first word is `name` and `#` lines are
//! skipped). Without the release column the newest API version is taken. The command
//! reads only that file: it asks no registry.

use std::collections::BTreeMap;
use std::path::Path;

/// The list, relative to the repository root.
pub const ALIYUN_ALL: &str = "xtask/import/aliyun-all.txt";

/// What an `alibabacloud-*` package is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// An API client, `alibabacloud-<product><yyyymmdd>`, of the version the list pins.
    Client,
    /// An API client of another version of a product the list holds.
    OlderVersion,
    Python2,
    Mcp,
    Gateway,
    Core,
    Credentials,
    Util,
    Test,
    Other,
}

impl Class {
    /// The skipped classes, in the order the header lists them.
    pub const SKIPPED: [Class; 9] = [
        Class::OlderVersion,
        Class::Python2,
        Class::Core,
        Class::Gateway,
        Class::Util,
        Class::Credentials,
        Class::Mcp,
        Class::Test,
        Class::Other,
    ];

    pub fn describe(self) -> &'static str {
        match self {
            Class::Client => "API clients, one version of each product (this list)",
            Class::OlderVersion => "other API versions of a product listed here (released less recently, or an older API)",
            Class::Python2 => "Python 2 builds (`-py2`, `-python2`)",
            Class::Core => "SDK cores (`tea`, `tea-*`, `darabonba-*`, `openapi-*`)",
            Class::Gateway => "gateways (`gateway-*`)",
            Class::Util => "utility libraries (`*-util`: endpoint, RPC, ROA, OSS, ...)",
            Class::Credentials => "credentials providers (`*credentials*`)",
            Class::Mcp => "MCP servers and proxies (`*mcp*`)",
            Class::Test => "test and build-stamped uploads (`*-test`, `<product><yyyymmdd>-<digits>`)",
            Class::Other => "other SDKs and tools, APIs not versioned by date (`dingtalk`, `oss-sdk`, `aligenieiap-1-0`, ...)",
        }
    }
}

/// PEP 503's normal form: lower case, runs of `-`, `_` and `.` as one `-`.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// `alibabacloud-cloudauth-intl20220809` → (`cloudauth-intl`, `20220809`): a product
/// name (lower-case letters, digits and inner dashes) and a plausible date (20YY, month
/// 01–12, day 01–31: BPStudio's API version is 2021-09-31).
pub fn client_parts(name: &str) -> Option<(&str, &str)> {
    let rest = name.strip_prefix("alibabacloud-")?;
    if rest.len() <= 8 || !rest.is_char_boundary(rest.len() - 8) {
        return None;
    }
    let (product, digits) = rest.split_at(rest.len() - 8);
    let ok_product = product
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !product.starts_with('-')
        && !product.ends_with('-')
        && product.starts_with(|c: char| c.is_ascii_lowercase());
    let n = |r: std::ops::Range<usize>| digits[r].parse::<u32>().ok();
    let ok_date = digits.chars().all(|c| c.is_ascii_digit())
        && n(0..2) == Some(20)
        && n(4..6).is_some_and(|m| (1..=12).contains(&m))
        && n(6..8).is_some_and(|d| (1..=31).contains(&d));
    (ok_product && ok_date).then_some((product, digits))
}

/// The class of a normalized `alibabacloud-*` name, API clients as [`Class::Client`]
/// (whether a newer version exists is decided over the whole listing).
pub fn classify(name: &str) -> Class {
    let rest = name.strip_prefix("alibabacloud-").unwrap_or(name);
    let words: Vec<&str> = rest.split('-').collect();
    let first = words[0];
    let last = *words.last().unwrap_or(&"");
    if last == "py2" || words.contains(&"python2") {
        Class::Python2
    } else if words.iter().any(|w| w.starts_with("mcp")) {
        Class::Mcp
    } else if first == "gateway" {
        Class::Gateway
    } else if first == "tea" || first == "darabonba" || first == "openapi" {
        Class::Core
    } else if words.iter().any(|w| w.contains("credentials")) {
        Class::Credentials
    } else if last == "util" {
        Class::Util
    } else if last == "test" || build_stamped(rest) {
        Class::Test
    } else if client_parts(name).is_some() {
        Class::Client
    } else {
        Class::Other
    }
}

/// `lmztest20210531-172452318`: a dated name with a build number after a dash.
fn build_stamped(rest: &str) -> bool {
    let Some((head, tail)) = rest.rsplit_once('-') else {
        return false;
    };
    !tail.is_empty()
        && tail.chars().all(|c| c.is_ascii_digit())
        && head.len() >= 8
        && head.is_char_boundary(head.len() - 8)
        && head[head.len() - 8..].chars().all(|c| c.is_ascii_digit())
}

/// What a listing holds for Alibaba Cloud.
#[derive(Debug, Default)]
pub struct Refreshed {
    /// `(package, version)` of each product's chosen API version, sorted by name.
    pub pins: Vec<(String, String)>,
    /// Every `alibabacloud-*` name of the listing, by class (`Client`: the pins).
    pub counts: BTreeMap<Class, usize>,
    /// Lines of the listing.
    pub listed: usize,
}

/// Reads a listing's text (see the module's doc) into the list.
pub fn from_listing(text: &str) -> Result<Refreshed, String> {
    let mut r = Refreshed::default();
    // product → ((release, digits), package, version) of the version chosen so far.
    type Seen = ((String, String), String, String);
    let mut newest: BTreeMap<String, Seen> = BTreeMap::new();
    let mut clients = 0;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split(['\t', ' ']).filter(|f| !f.is_empty());
        let Some(raw) = fields.next() else { continue };
        if i == 0 && raw.eq_ignore_ascii_case("name") {
            continue;
        }
        r.listed += 1;
        let name = normalize(raw);
        if !name.starts_with("alibabacloud-") {
            continue;
        }
        let class = classify(&name);
        if class != Class::Client {
            *r.counts.entry(class).or_default() += 1;
            continue;
        }
        let version = fields.next().filter(|v| {
            v.starts_with(|c: char| c.is_ascii_digit())
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '!'))
        });
        let Some(version) = version else {
            return Err(format!(
                "import --refresh-list: line {}: `{raw}` has no version after its name (the listing gives each package's newest version)",
                i + 1
            ));
        };
        // `2026-10` or `2026-10-31`; anything else (or nothing) sorts first.
        let released = fields
            .next()
            .filter(|f| {
                let b = f.as_bytes();
                (b.len() == 7 || b.len() == 10)
                    && b.iter().enumerate().all(|(i, c)| {
                        if i == 4 || i == 7 {
                            *c == b'-'
                        } else {
                            c.is_ascii_digit()
                        }
                    })
            })
            .unwrap_or("");
        clients += 1;
        let Some((product, digits)) = client_parts(&name) else {
            continue;
        };
        let key = (released.to_owned(), digits.to_owned());
        match newest.get(product) {
            Some((k, _, _)) if *k >= key => {}
            _ => {
                newest.insert(product.to_owned(), (key, name.clone(), version.to_owned()));
            }
        }
    }
    r.pins = newest.into_values().map(|(_, n, v)| (n, v)).collect();
    r.pins.sort();
    r.counts.insert(Class::Client, r.pins.len());
    r.counts.insert(Class::OlderVersion, clients - r.pins.len());
    Ok(r)
}

/// How many `alibabacloud-*` names the listing held.
pub fn total(r: &Refreshed) -> usize {
    r.counts.values().sum()
}

/// The list's text: the header (how it was made, how to refresh it, the counts), then
/// one `package==version` line per product.
pub fn render(r: &Refreshed, source: &str, date: &str) -> String {
    let mut s = String::new();
    let mut line = |l: &str| {
        s.push_str(format!("# {l}").trim_end());
        s.push('\n');
    };
    line("Every Alibaba Cloud API product: for each, the SDK package of its current API version,");
    line("`alibabacloud-<product><yyyymmdd>`, pinned: the version released last, and of those");
    line("released in the same month the newest API (the newest API date alone would take ECS");
    line("2016-03-14, last released in 2022, over ECS 2014-05-26, released monthly).");
    line("`cargo xtask import --all aliyun --out DIR` imports them all (`--sample`: the old");
    line("80-product sample of aliyun-sample.txt), and `cargo xtask import aliyun <product>`");
    line("without `--version` takes the version from here. A pin in aliyun.txt or");
    line("aliyun-sample.txt wins over this one. Installed with `pip install --no-deps` into");
    line("target/import-venv; the importer reads each package's client.py and models as text");
    line("and never imports them.");
    line("");
    line("Written by `cargo xtask import --refresh-list aliyun --names FILE`, where FILE lists");
    line("PyPI's packages, one a line: name, its newest version and that release's month");
    line("(`YYYY-MM` or a date), tab- or space-separated (a `name` header line and `#` lines are");
    line("skipped). To refresh, run it again on a newer listing; do not edit by hand.");
    line(&format!(
        "This one: written on {date} from {source} ({} packages).",
        r.listed
    ));
    line("");
    line(&format!(
        "`alibabacloud-*` packages: {}. Products (lines below): {}. Skipped, by class:",
        total(r),
        r.counts.get(&Class::Client).copied().unwrap_or(0)
    ));
    for class in Class::SKIPPED {
        line(&format!(
            "{:>6}  {}",
            r.counts.get(&class).copied().unwrap_or(0),
            class.describe()
        ));
    }
    for (n, v) in &r.pins {
        s.push_str(&format!("{n}=={v}\n"));
    }
    s
}

/// `YYYY-MM-DD` (UTC) of a count of seconds since 1970.
pub fn date_of(unix_secs: u64) -> String {
    // Howard Hinnant's civil_from_days.
    let z = (unix_secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Runs the command: reads `names`, writes the list, prints the counts.
pub fn refresh(root: &Path, provider: &str, names: &Path) -> Result<(), String> {
    if provider != "aliyun" {
        return Err(format!(
            "import --refresh-list: only aliyun has a product list (Tencent Cloud: `import --all tencentcloud` takes every service of the pinned tccli), not `{provider}`"
        ));
    }
    let text = std::fs::read_to_string(names).map_err(|e| {
        format!(
            "import --refresh-list: cannot read {}: {e}",
            names.display()
        )
    })?;
    let r = from_listing(&text)?;
    if r.pins.is_empty() {
        return Err(format!(
            "import --refresh-list: {} names no `alibabacloud-<product><yyyymmdd>` package; list left as it was",
            names.display()
        ));
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let source = format!(
        "a listing named {}",
        names.file_name().map_or_else(
            || names.display().to_string(),
            |n| n.to_string_lossy().into_owned()
        )
    );
    let path = root.join(ALIYUN_ALL);
    let before = std::fs::read_to_string(&path).unwrap_or_default();
    let text = render(&r, &source, &date_of(now));
    std::fs::write(&path, &text).map_err(|e| {
        format!(
            "import --refresh-list: cannot write {}: {e}",
            path.display()
        )
    })?;
    let old: Vec<&str> = before.lines().filter(|l| !l.starts_with('#')).collect();
    let new: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    let changed = new.iter().filter(|l| !old.contains(l)).count();
    let gone = old.iter().filter(|l| !new.contains(l)).count();
    println!(
        "import --refresh-list aliyun: {} `alibabacloud-*` packages of {} listed; {} products pinned in {} ({changed} lines new or changed, {gone} gone). Skipped:",
        total(&r),
        r.listed,
        r.pins.len(),
        path.display()
    );
    for class in Class::SKIPPED {
        println!(
            "{:>6}  {}",
            r.counts.get(&class).copied().unwrap_or(0),
            class.describe()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_classified() {
        for (name, class) in [
            ("alibabacloud-ecs20140526", Class::Client),
            ("alibabacloud-r-kvstore20150101", Class::Client),
            ("alibabacloud-bpstudio20210931", Class::Client),
            ("alibabacloud-schedulerx220190430", Class::Client),
            ("alibabacloud-ecs20140526-py2", Class::Python2),
            ("alibabacloud-kms-python2-sdk", Class::Python2),
            ("alibabacloud-dkms-gcs-python2", Class::Python2),
            ("alibabacloud-tea", Class::Core),
            ("alibabacloud-tea-openapi", Class::Core),
            ("alibabacloud-darabonba-encode-util", Class::Core),
            ("alibabacloud-openapi-util", Class::Core),
            ("alibabacloud-gateway-sls", Class::Gateway),
            ("alibabacloud-gateway-fc-util", Class::Gateway),
            ("alibabacloud-endpoint-util", Class::Util),
            ("alibabacloud-rpc-util", Class::Util),
            ("alibabacloud-credentials", Class::Credentials),
            ("alibabacloud-pds-credentials", Class::Credentials),
            ("alibabacloud-dms-mcp-server", Class::Mcp),
            ("alibabacloud-observability-cloud-sso-mcp", Class::Mcp),
            ("alibabacloud-ft20180713-test", Class::Test),
            ("alibabacloud-lmztest20210531-172452318", Class::Test),
            ("alibabacloud-nbf20211110-21312586", Class::Test),
            ("alibabacloud-dingtalk", Class::Other),
            ("alibabacloud-aligenieiap-1-0", Class::Other),
            ("alibabacloud-cd2021127", Class::Other),
            ("alibabacloud-oss-v2", Class::Other),
        ] {
            assert_eq!(classify(name), class, "{name}");
        }
        assert_eq!(
            normalize("AlibabaCloud_ECS20140526"),
            "alibabacloud-ecs20140526"
        );
        assert_eq!(client_parts("alibabacloud-ecs20141326"), None);
        assert_eq!(client_parts("alibabacloud-20140526"), None);
    }

    #[test]
    fn the_newest_version_of_each_product_is_pinned() {
        let listing = "name\tversion\tmonth\n\
            alibabacloud-cms20190101\t4.0.10\t2026-06\n\
            alibabacloud-cms20240330\t1.2.3\t2026-10\n\
            alibabacloud-cms20240330-py2\t1.0.0\t2024-04\n\
            alibabacloud-ecs20140526\t7.11.8\t2026-10\n\
            alibabacloud-ecs20160314\t1.0.0\t2022-09\n\
            alibabacloud-ga20191120\t3.0.2\t2026-05\n\
            alibabacloud-ga20230101\t1.0.0\t2026-05\n\
            alibabacloud_tea_openapi 0.3.0\n\
            alibabacloud-vpc20160428\t7.2.2\n\
            requests\t2.32.0\n";
        let r = from_listing(listing).unwrap();
        let pin = |n: &str, v: &str| (n.to_owned(), v.to_owned());
        assert_eq!(
            r.pins,
            [
                // Released last.
                pin("alibabacloud-cms20240330", "1.2.3"),
                pin("alibabacloud-ecs20140526", "7.11.8"),
                // Released in the same month: the newer API.
                pin("alibabacloud-ga20230101", "1.0.0"),
                // No release column: the newest API.
                pin("alibabacloud-vpc20160428", "7.2.2"),
            ]
        );
        assert_eq!(r.listed, 10);
        assert_eq!(r.counts[&Class::OlderVersion], 3);
        assert_eq!(r.counts[&Class::Python2], 1);
        assert_eq!(r.counts[&Class::Core], 1);
        assert_eq!(total(&r), 9);
        let text = render(&r, "a listing named x.tsv", "2026-12-06");
        assert!(text.ends_with("alibabacloud-ga20230101==1.0.0\nalibabacloud-vpc20160428==7.2.2\n"));
        assert!(text.contains("# `alibabacloud-*` packages: 9. Products (lines below): 4."));
        // The list reads back as pins.
        let pins: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(pins.len(), 4);
        assert!(from_listing("alibabacloud-ecs20140526\n").is_err());
    }

    /// The committed list: one API client per product, the header's counts true, and
    /// every product of the sample and of the committed specs in it.
    #[test]
    fn the_committed_list_holds_every_product_once() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let read = |f: &str| crate::import::venv::read_pins_file(root.join(f)).unwrap().1;
        let list = read(ALIYUN_ALL);
        let products: Vec<String> = list
            .iter()
            .map(|(n, v)| {
                assert_eq!(classify(n), Class::Client, "{n}");
                assert!(v.starts_with(|c: char| c.is_ascii_digit()), "{n}=={v}");
                client_parts(n).unwrap().0.to_owned()
            })
            .collect();
        let mut unique = products.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), products.len(), "a product listed twice");
        let text = std::fs::read_to_string(root.join(ALIYUN_ALL)).unwrap();
        assert!(text.contains(&format!("Products (lines below): {}.", list.len())));
        for (n, _) in read(crate::import::aliyun_source::ALIYUN_SAMPLE)
            .iter()
            .chain(&read("xtask/import/aliyun.txt"))
        {
            let product = client_parts(n).unwrap().0;
            assert!(products.iter().any(|p| p == product), "{n} not in the list");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(date_of(0), "1970-01-01");
        assert_eq!(date_of(1_700_000_000), "2023-11-14");
        assert_eq!(date_of(951_782_400), "2000-02-29");
    }
}
