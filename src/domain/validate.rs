//! Field validators and normalizers for the real-world forms in DOMAIN.md:
//! full-width digits, phone dashes, four date forms, "30人", check characters.

use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

/// Why a field was refused; the message names the value and the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FieldError(pub String);

fn err<T>(msg: impl Into<String>) -> Result<T, FieldError> {
    Err(FieldError(msg.into()))
}

/// A spreadsheet cell holds at most this many characters (Excel's limit, which
/// rust_xlsxwriter enforces): longer text could not go back out as a ledger.
pub const CELL_MAX_CHARS: usize = 32_767;

/// No real name comes near this (the longest organization names in the seed's
/// ledgers run to about 40 characters); a longer "name" is a pasted paragraph.
pub const NAME_MAX_CHARS: usize = 100;

/// Refuses text longer than `max` characters, saying how long it is.
pub fn check_length(text: &str, max: usize) -> Result<(), FieldError> {
    let n = text.chars().count();
    if n > max {
        return err(format!("内容过长：{n} 个字符，最多 {max} 个 (too long: {n} characters, at most {max})"));
    }
    Ok(())
}

/// Folds full-width ASCII forms (ＡＢＣ１２３（）) and the ideographic space to
/// their ASCII counterparts; leaves CJK characters alone.
pub fn fold_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Trims, folds full-width forms and collapses inner white space: the form in
/// which two organization names are compared for uniqueness.
pub fn normalize_name(name: &str) -> String {
    let folded: String = fold_width(name).nfc().collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Key for the uniqueness check: like `normalize_name` but ignoring case and
/// all white space, so "阳光 志愿队" and "阳光志愿队" collide.
pub fn name_key(name: &str) -> String {
    normalize_name(name).chars().filter(|c| !c.is_whitespace()).flat_map(|c| c.to_lowercase()).collect()
}

const USCC_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_CODE_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// Outcome of a credit-code check that passed its hard rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditCode {
    pub code: String,
    /// Set when position 17 (the GB 11714 organization-code check) is off:
    /// old codes in the wild carry such mistakes, so it is a warning only.
    pub warning: Option<String>,
}

/// Unified social credit code (GB 32100-2015): fails on length, alphabet and
/// the check character in position 18; warns on position 17.
pub fn check_credit_code(input: &str) -> Result<CreditCode, FieldError> {
    let code: String = fold_width(input).trim().to_uppercase().chars().filter(|c| *c != ' ' && *c != '-').collect();
    let n = code.chars().count();
    if n != 18 {
        return err(format!(
            "统一社会信用代码 '{}' 应为18位,实为{n}位 (credit code must be 18 characters)",
            input.trim()
        ));
    }
    let mut values = Vec::with_capacity(18);
    for (i, c) in code.chars().enumerate() {
        match USCC_ALPHABET.find(c) {
            Some(v) => values.push(v as u32),
            None => {
                return err(format!(
                    "统一社会信用代码 '{code}' 第{}位 '{c}' 不是有效字符 (character {} is not allowed; I O S V Z never appear)",
                    i + 1,
                    i + 1
                ))
            }
        }
    }
    let sum: u32 = values[..17].iter().zip(USCC_WEIGHTS).map(|(v, w)| v * w).sum();
    let expected = (31 - sum % 31) % 31;
    if values[17] != expected {
        let want = USCC_ALPHABET.as_bytes()[expected as usize] as char;
        return err(format!("统一社会信用代码 '{code}' 校验位错误,应为 '{want}' (check character should be '{want}')"));
    }
    Ok(CreditCode { warning: org_code_warning(&code), code })
}

/// Does a value look like a credit code (18 characters of the code alphabet)?
/// Such a value failing the check is a mistyped code, never a filing number.
pub fn looks_like_credit_code(input: &str) -> bool {
    let code: String = fold_width(input).trim().to_uppercase().chars().filter(|c| *c != ' ' && *c != '-').collect();
    code.chars().count() == 18 && code.chars().all(|c| USCC_ALPHABET.contains(c))
}

/// Advice on a valid credit code for a community social organization:
/// position 1 is the registering authority (5 = civil affairs), position 2
/// the kind (1 association, 2 private non-enterprise unit, 3 foundation, 9 other).
pub fn credit_code_advice(code: &str) -> Option<String> {
    let mut chars = code.chars();
    let (authority, kind) = (chars.next()?, chars.next()?);
    if authority != '5' {
        return Some(format!(
            "统一社会信用代码 '{code}' 第1位为 '{authority}',不是民政部门登记(5) (position 1 is not 5, civil affairs)"
        ));
    }
    if !matches!(kind, '1' | '2' | '3' | '9') {
        return Some(format!(
            "统一社会信用代码 '{code}' 第2位为 '{kind}',社会组织应为1、2、3或9 (position 2 should be 1 association, 2 social service agency, 3 foundation or 9 other)"
        ));
    }
    None
}

/// A credit code another organization already holds (unique across organizations).
pub fn credit_code_held(code: &str, holder: &str) -> String {
    format!("统一社会信用代码 {code} 已属于「{holder}」 (credit code held by {holder})")
}

/// A filing number another organization in the same township already holds.
pub fn filing_number_held(number: &str, holder: &str) -> String {
    format!("备案编号 {number} 在同一乡镇(街道)已属于「{holder}」 (filing number held by {holder} in this township)")
}

/// GB 11714 check over positions 9–16 against position 17.
fn org_code_warning(code: &str) -> Option<String> {
    let chars: Vec<char> = code.chars().collect();
    let mut sum = 0;
    for (c, w) in chars[8..16].iter().zip(ORG_CODE_WEIGHTS) {
        let v = c.to_digit(36)?;
        sum += v * w;
    }
    let check = match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        d => char::from_digit(d, 10)?,
    };
    (chars[16] != check).then(|| {
        format!("统一社会信用代码 '{code}' 第17位组织机构代码校验位应为 '{check}' (organization-code check, position 17, should be '{check}')")
    })
}

/// A GB/T 2260 division code: 6 digits to county, 9 to township, 12 to village.
pub fn check_division(input: &str) -> Result<String, FieldError> {
    let code: String = fold_width(input).trim().to_string();
    if !code.chars().all(|c| c.is_ascii_digit()) {
        return err(format!("行政区划代码 '{code}' 只能含数字 (division code must be digits)"));
    }
    if ![6, 9, 12].contains(&code.len()) {
        return err(format!("行政区划代码 '{code}' 应为6、9或12位 (division code must have 6, 9 or 12 digits)"));
    }
    let province = &code[0..2];
    if !(11..=82).contains(&province.parse::<u32>().unwrap_or(0)) {
        return err(format!("行政区划代码 '{code}' 省级代码 '{province}' 无效 (no such province code)"));
    }
    if &code[2..4] == "00" && &code[4..6] != "00" {
        return err(format!("行政区划代码 '{code}' 市级为00时县级也应为00 (a county code needs its prefecture)"));
    }
    if code.len() >= 9 {
        let township: u32 = code[6..9].parse().unwrap_or(0);
        if township == 0 || township > 599 {
            return err(format!(
                "行政区划代码 '{code}' 乡镇(街道)代码 '{}' 无效 (township part must be 001–599)",
                &code[6..9]
            ));
        }
    }
    if code.len() == 12 {
        let village: u32 = code[9..12].parse().unwrap_or(0);
        if village == 0 || village > 599 {
            return err(format!(
                "行政区划代码 '{code}' 村(社区)代码 '{}' 无效 (village part must be 001–599)",
                &code[9..12]
            ));
        }
    }
    Ok(code)
}

/// A warning when a division lies outside the federation's (a 510104 federation
/// holding 110101…): allowed, for hubs that keep other federations' rosters.
pub fn division_outside(division: &str, federation: &str) -> Option<String> {
    let federation = federation_prefix(federation);
    (!federation.is_empty() && !division.starts_with(federation)).then(|| {
        format!(
            "行政区划 {division} 不在本联合会区划 {federation} 之内 (division outside the federation's {federation})"
        )
    })
}

/// The significant prefix of a division: trailing "00" pairs of a 6-digit code
/// stand for a whole city or province (510100 holds 510104…).
fn federation_prefix(division: &str) -> &str {
    if division.len() == 6 {
        if division.ends_with("0000") {
            return &division[..2];
        }
        if division.ends_with("00") {
            return &division[..4];
        }
    }
    division
}

/// The level a federation's division code stands for: 6 digits ending 0000 a
/// province, ending 00 a city, other 6 digits a county; 9 a township; 12 a community.
pub fn level_of_division(division: &str) -> Option<crate::domain::enums::Level> {
    use crate::domain::enums::Level;
    match division.len() {
        6 if division.ends_with("0000") => Some(Level::Province),
        6 if division.ends_with("00") => Some(Level::City),
        6 => Some(Level::County),
        9 => Some(Level::Township),
        12 => Some(Level::Community),
        _ => None,
    }
}

/// The county (first six digits) a division belongs to.
pub fn county_of(division: &str) -> &str {
    division.get(..6).unwrap_or(division)
}

/// Normalizes a Chinese phone number: strips dashes, spaces and parentheses,
/// a leading +86; accepts 11-digit mobiles and landlines with area codes.
pub fn normalize_phone(input: &str) -> Result<String, FieldError> {
    let folded = fold_width(input);
    let mut digits: String = folded.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '—' | '.')).collect();
    if let Some(rest) = digits.strip_prefix("+86") {
        digits = rest.to_string();
    } else if digits.starts_with("0086") {
        digits = digits[4..].to_string();
    }
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        // Masked: these messages end up in shared import reports.
        return err(format!("电话 '{}' 只能含数字、空格和连字符 (phone must be digits)", mask_phone(input.trim())));
    }
    let ok = if digits.starts_with('1') {
        digits.len() == 11 && digits.as_bytes()[1] >= b'3'
    } else if digits.starts_with('0') {
        (10..=12).contains(&digits.len())
    } else {
        // A local landline without area code.
        (7..=8).contains(&digits.len())
    };
    if !ok {
        return err(format!(
            "电话 '{}' 不是有效的手机或座机号码 (not a valid mobile or landline number)",
            mask_phone(input.trim())
        ));
    }
    Ok(digits)
}

/// Masks a phone number for logs and shared rosters: 138****5678.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 7 {
        return "*".repeat(chars.len());
    }
    let keep_tail = 4;
    let keep_head = 3;
    chars[..keep_head].iter().collect::<String>()
        + &"*".repeat(chars.len() - keep_head - keep_tail)
        + &chars[chars.len() - keep_tail..].iter().collect::<String>()
}

/// Masks every phone-like number inside a message (a run of seven or more
/// digits, with the spaces and hyphens people write between them; not a
/// date, not the digits of an identifier): for text
/// that may quote a stored value, such as a decoding error naming the value
/// a peer wrote with the wrong type.
pub fn mask_phones_in(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // The run: digits, and single separators followed by a digit.
        let mut end = i;
        let mut j = i;
        while j < chars.len() {
            if chars[j].is_ascii_digit() {
                end = j + 1;
                j += 1;
            } else if matches!(chars[j], ' ' | '-') && chars.get(j + 1).is_some_and(char::is_ascii_digit) {
                j += 1;
            } else {
                break;
            }
        }
        let run: String = chars[i..end].iter().collect();
        // Not a phone: part of an identifier (fed0000000000001), a date.
        let in_word = i > 0 && chars[i - 1].is_ascii_alphabetic();
        let groups: Vec<usize> = run.split('-').map(str::len).collect();
        let date = matches!(groups.as_slice(), [4, 1..=2, 1..=2]);
        if !in_word && !date && run.chars().filter(char::is_ascii_digit).count() >= 7 {
            out.push_str(&mask_phone(&run));
        } else {
            out.push_str(&run);
        }
        i = end;
    }
    out
}

/// Parses 2019/3/5, 2019-03-05, 2019年3月5日, 2019.3.5 and 20190305.
pub fn parse_date(input: &str) -> Result<NaiveDate, FieldError> {
    let text = fold_width(input).trim().to_string();
    let bad = || FieldError(format!("日期 '{text}' 无法识别,请用 2019-03-05 或 2019年3月5日 (unrecognized date)"));
    let parts: Vec<&str> = if text.len() == 8 && text.chars().all(|c| c.is_ascii_digit()) {
        vec![&text[0..4], &text[4..6], &text[6..8]]
    } else {
        text.split(['/', '-', '.', '年', '月', '日']).filter(|p| !p.trim().is_empty()).collect()
    };
    if parts.len() != 3 {
        return Err(bad());
    }
    let year: i32 = parts[0].trim().parse().map_err(|_| bad())?;
    let month: u32 = parts[1].trim().parse().map_err(|_| bad())?;
    let day: u32 = parts[2].trim().parse().map_err(|_| bad())?;
    if !(1900..=2100).contains(&year) {
        return err(format!("日期 '{text}' 年份超出范围 (year out of range)"));
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| FieldError(format!("日期 '{text}' 不存在 (no such day)")))
}

/// Parses a time of day as HH:MM (also 9:00, 09：00, 0900).
pub fn parse_time(input: &str) -> Result<String, FieldError> {
    let text = fold_width(input).trim().replace(['点', '：'], ":");
    let (h, m) = match text.split_once(':') {
        Some((h, m)) => (h.trim(), if m.trim().is_empty() { "0" } else { m.trim() }),
        None if text.len() == 4 => (&text[..2], &text[2..]),
        None => (text.as_str(), "0"),
    };
    let (h, m): (u32, u32) = match (h.parse(), m.parse()) {
        (Ok(h), Ok(m)) if h < 24 && m < 60 => (h, m),
        _ => return err(format!("时间 '{}' 应为 HH:MM (time must be HH:MM)", input.trim())),
    };
    Ok(format!("{h:02}:{m:02}"))
}

/// Minutes since midnight of an HH:MM time produced by `parse_time`.
pub fn minutes_of(time: &str) -> u32 {
    let (h, m) = time.split_once(':').unwrap_or((time, "0"));
    h.parse::<u32>().unwrap_or(0) * 60 + m.parse::<u32>().unwrap_or(0)
}

/// Parses counts such as "30", "30人", "约50", "５０名".
pub fn parse_count(input: &str) -> Result<u32, FieldError> {
    let text = fold_width(input);
    let trimmed = text
        .trim()
        .trim_start_matches(['约', '大', '概', '~', '≈'])
        .trim_end_matches(['人', '名', '位', '个', '余', '多', '+', ' '])
        .trim();
    trimmed.parse::<u32>().map_err(|_| {
        FieldError(format!("人数 '{}' 应为整数,如 30 或 30人 (count must be a whole number)", input.trim()))
    })
}

/// Parses a yes/no field in Chinese or English.
pub fn parse_bool(input: &str) -> Result<bool, FieldError> {
    match fold_width(input).trim().to_lowercase().as_str() {
        "是" | "有" | "已" | "y" | "yes" | "true" | "1" | "√" | "✓" => Ok(true),
        "否" | "无" | "没有" | "未" | "n" | "no" | "false" | "0" | "×" | "" => Ok(false),
        other => err(format!("'{other}' 应为 是/否 (expected yes or no)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_codes_known_good_and_bad() {
        for good in ["91110000600037341L", "51420000MJH200395N", "52420000MJH233402K"] {
            let c = check_credit_code(good).unwrap();
            assert_eq!(c.code, good);
        }
        let bad = check_credit_code("51420000MJH2003664").unwrap_err();
        assert!(bad.0.contains("校验位"), "{bad}");
        assert!(check_credit_code("5142000MJH200395N").unwrap_err().0.contains("18位"));
        assert!(check_credit_code("51420000MJH2003I5N").unwrap_err().0.contains("第16位"));
        // Full-width and lower case are folded before checking.
        assert!(check_credit_code("５1420000mjh200395n").is_ok());
    }

    #[test]
    fn credit_code_position_17_is_a_warning() {
        // Build a code whose position 18 is right but whose position 17 is wrong.
        let body = "5142000012345670";
        let mut code = String::from(body);
        code.push('0'); // position 17 deliberately arbitrary
        let sum: u32 = code.chars().zip(USCC_WEIGHTS).map(|(c, w)| USCC_ALPHABET.find(c).unwrap() as u32 * w).sum();
        code.push(USCC_ALPHABET.as_bytes()[((31 - sum % 31) % 31) as usize] as char);
        let checked = check_credit_code(&code).unwrap();
        assert!(checked.warning.is_some(), "position 17 should warn for {code}");
    }

    #[test]
    fn credit_code_positions_one_and_two() {
        assert_eq!(credit_code_advice("51420000MJH200395N"), None);
        assert!(credit_code_advice("91110000600037341L").unwrap().contains("第1位"));
        assert!(looks_like_credit_code("51420000MJH2003664"));
        assert!(!looks_like_credit_code("玉林备001"));
        assert!(!looks_like_credit_code("51420000MJH20036641"));
    }

    #[test]
    fn divisions_inside_and_levels() {
        use crate::domain::enums::Level;
        assert_eq!(division_outside("510104001002", "510104"), None);
        assert_eq!(division_outside("510104001002", "510100"), None);
        assert!(division_outside("110101001001", "510104").is_some());
        assert_eq!(division_outside("110101", ""), None);
        assert_eq!(level_of_division("510000"), Some(Level::Province));
        assert_eq!(level_of_division("510100"), Some(Level::City));
        assert_eq!(level_of_division("510104"), Some(Level::County));
        assert_eq!(level_of_division("510104001"), Some(Level::Township));
        assert_eq!(level_of_division("510104001002"), Some(Level::Community));
    }

    #[test]
    fn divisions() {
        assert_eq!(check_division("510104").unwrap(), "510104");
        assert!(check_division("510104001").is_ok());
        assert!(check_division("510104001002").is_ok());
        assert!(check_division("51010").is_err());
        assert!(check_division("5101a4").is_err());
        assert!(check_division("990104").is_err());
        assert!(check_division("510104000").is_err());
        assert_eq!(county_of("510104001002"), "510104");
    }

    #[test]
    fn phones() {
        assert_eq!(normalize_phone("138-1234-5678").unwrap(), "13812345678");
        assert_eq!(normalize_phone("+86 138 1234 5678").unwrap(), "13812345678");
        assert_eq!(normalize_phone("028-8765 4321").unwrap(), "02887654321");
        assert_eq!(normalize_phone("１３８１２３４５６７８").unwrap(), "13812345678");
        assert!(normalize_phone("12345").is_err());
        assert!(normalize_phone("1381234567x").is_err());
        assert_eq!(mask_phone("13812345678"), "138****5678");
    }

    #[test]
    fn dates_in_four_forms() {
        let d = NaiveDate::from_ymd_opt(2019, 3, 5).unwrap();
        for form in ["2019/3/5", "2019-03-05", "2019年3月5日", "2019.3.5", "20190305", "２０１９年３月５日"]
        {
            assert_eq!(parse_date(form).unwrap(), d, "{form}");
        }
        assert!(parse_date("2019-02-30").unwrap_err().0.contains("不存在"));
        assert!(parse_date("昨天").is_err());
    }

    #[test]
    fn counts_and_times_and_bools() {
        assert_eq!(parse_count("30人").unwrap(), 30);
        assert_eq!(parse_count("约50").unwrap(), 50);
        assert_eq!(parse_count("５０名").unwrap(), 50);
        assert!(parse_count("很多").is_err());
        assert_eq!(parse_time("9:00").unwrap(), "09:00");
        assert_eq!(parse_time("14：30").unwrap(), "14:30");
        assert!(parse_time("25:00").is_err());
        assert_eq!(minutes_of("14:30"), 870);
        assert!(parse_bool("是").unwrap());
        assert!(!parse_bool("否").unwrap());
    }

    #[test]
    fn names_fold_for_uniqueness() {
        assert_eq!(normalize_name("  阳光（志愿）队 "), "阳光(志愿)队");
        assert_eq!(name_key("阳光 志愿队"), name_key("阳光志愿队"));
        assert_eq!(fold_width("ＡＢＣ１２３"), "ABC123");
    }

    #[test]
    fn phones_inside_messages_are_masked_and_other_numbers_kept() {
        assert_eq!(
            mask_phones_in("invalid type: integer `13812345678`, expected a string"),
            "invalid type: integer `138****5678`, expected a string"
        );
        assert_eq!(mask_phones_in("string \"028-8765 4321\", expected u32"), "string \"028******4321\", expected u32");
        assert_eq!(mask_phones_in("第 12 行, 2024-03-05, 成员 300"), "第 12 行, 2024-03-05, 成员 300");
        assert_eq!(mask_phones_in("浮点 13812345678.0 已拒绝"), "浮点 138****5678.0 已拒绝");
        assert_eq!(mask_phones_in("文档 fed0000000000001/orgs"), "文档 fed0000000000001/orgs");
    }
}
