//! What a GB/T 2260 division code says by itself: its county and township,
//! whether a village-level code is an urban community, and the names of
//! Sichuan's prefecture- and county-level units.

/// Kind of a village-level unit, read off the last three digits of a
/// 12-digit statistical code (DOMAIN.md): 001–199 社区 and 400–499
/// (居委会-like units) are urban; 200–399 村 and 500–599 (村委会-like) rural.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CommunityKind {
    Urban,
    Rural,
}

impl CommunityKind {
    /// None when the code is not a village-level code or its digits are
    /// outside the ranges the statistical standard uses.
    pub fn of(division: &str) -> Option<CommunityKind> {
        if division.len() != 12 || !division.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        match division[9..12].parse::<u32>().ok()? {
            1..=199 | 400..=499 => Some(CommunityKind::Urban),
            200..=399 | 500..=599 => Some(CommunityKind::Rural),
            _ => None,
        }
    }

    /// Organizations per community the Ministry asks for on average
    /// (民政部 2017): 10 in an urban community, 5 in a rural one.
    pub fn target(self) -> usize {
        match self {
            CommunityKind::Urban => 10,
            CommunityKind::Rural => 5,
        }
    }
}

/// The 9-digit township code of a division, when it has one.
pub fn township_of(division: &str) -> Option<&str> {
    (division.len() >= 9).then(|| &division[..9])
}

/// Name of a Sichuan county-level unit (any of the 183); codes of other
/// provinces, or of units since abolished, have no name and are shown as
/// their code.
pub fn county_name(code: &str) -> Option<&'static str> {
    lookup(SICHUAN_COUNTIES, code)
}

/// Name of a Sichuan prefecture-level division, from a code of 4 or more digits.
pub fn prefecture_name(code: &str) -> Option<&'static str> {
    lookup(SICHUAN_PREFECTURES, code.get(..4)?)
}

fn lookup(table: &'static [(&'static str, &'static str)], code: &str) -> Option<&'static str> {
    table.binary_search_by(|(c, _)| (*c).cmp(code)).ok().map(|i| table[i].1)
}

/// The 21 prefecture-level divisions of Sichuan (GB/T 2260, 4-digit prefix).
pub const SICHUAN_PREFECTURES: &[(&str, &str)] = &[
    ("5101", "成都市"),
    ("5103", "自贡市"),
    ("5104", "攀枝花市"),
    ("5105", "泸州市"),
    ("5106", "德阳市"),
    ("5107", "绵阳市"),
    ("5108", "广元市"),
    ("5109", "遂宁市"),
    ("5110", "内江市"),
    ("5111", "乐山市"),
    ("5113", "南充市"),
    ("5114", "眉山市"),
    ("5115", "宜宾市"),
    ("5116", "广安市"),
    ("5117", "达州市"),
    ("5118", "雅安市"),
    ("5119", "巴中市"),
    ("5120", "资阳市"),
    ("5132", "阿坝藏族羌族自治州"),
    ("5133", "甘孜藏族自治州"),
    ("5134", "凉山彝族自治州"),
];

/// Every county-level unit of Sichuan (183: districts, counties, county-level
/// cities), by code, as the Ministry of Civil Affairs lists them (2023; 会理
/// became a city, 513402, in 2021).
pub const SICHUAN_COUNTIES: &[(&str, &str)] = &[
    // 成都市
    ("510104", "锦江区"),
    ("510105", "青羊区"),
    ("510106", "金牛区"),
    ("510107", "武侯区"),
    ("510108", "成华区"),
    ("510112", "龙泉驿区"),
    ("510113", "青白江区"),
    ("510114", "新都区"),
    ("510115", "温江区"),
    ("510116", "双流区"),
    ("510117", "郫都区"),
    ("510118", "新津区"),
    ("510121", "金堂县"),
    ("510129", "大邑县"),
    ("510131", "蒲江县"),
    ("510181", "都江堰市"),
    ("510182", "彭州市"),
    ("510183", "邛崃市"),
    ("510184", "崇州市"),
    ("510185", "简阳市"),
    // 自贡市
    ("510302", "自流井区"),
    ("510303", "贡井区"),
    ("510304", "大安区"),
    ("510311", "沿滩区"),
    ("510321", "荣县"),
    ("510322", "富顺县"),
    // 攀枝花市
    ("510402", "东区"),
    ("510403", "西区"),
    ("510411", "仁和区"),
    ("510421", "米易县"),
    ("510422", "盐边县"),
    // 泸州市
    ("510502", "江阳区"),
    ("510503", "纳溪区"),
    ("510504", "龙马潭区"),
    ("510521", "泸县"),
    ("510522", "合江县"),
    ("510524", "叙永县"),
    ("510525", "古蔺县"),
    // 德阳市
    ("510603", "旌阳区"),
    ("510604", "罗江区"),
    ("510623", "中江县"),
    ("510681", "广汉市"),
    ("510682", "什邡市"),
    ("510683", "绵竹市"),
    // 绵阳市
    ("510703", "涪城区"),
    ("510704", "游仙区"),
    ("510705", "安州区"),
    ("510722", "三台县"),
    ("510723", "盐亭县"),
    ("510725", "梓潼县"),
    ("510726", "北川羌族自治县"),
    ("510727", "平武县"),
    ("510781", "江油市"),
    // 广元市
    ("510802", "利州区"),
    ("510811", "昭化区"),
    ("510812", "朝天区"),
    ("510821", "旺苍县"),
    ("510822", "青川县"),
    ("510823", "剑阁县"),
    ("510824", "苍溪县"),
    // 遂宁市
    ("510903", "船山区"),
    ("510904", "安居区"),
    ("510921", "蓬溪县"),
    ("510923", "大英县"),
    ("510981", "射洪市"),
    // 内江市
    ("511002", "市中区"),
    ("511011", "东兴区"),
    ("511024", "威远县"),
    ("511025", "资中县"),
    ("511083", "隆昌市"),
    // 乐山市
    ("511102", "市中区"),
    ("511111", "沙湾区"),
    ("511112", "五通桥区"),
    ("511113", "金口河区"),
    ("511123", "犍为县"),
    ("511124", "井研县"),
    ("511126", "夹江县"),
    ("511129", "沐川县"),
    ("511132", "峨边彝族自治县"),
    ("511133", "马边彝族自治县"),
    ("511181", "峨眉山市"),
    // 南充市
    ("511302", "顺庆区"),
    ("511303", "高坪区"),
    ("511304", "嘉陵区"),
    ("511321", "南部县"),
    ("511322", "营山县"),
    ("511323", "蓬安县"),
    ("511324", "仪陇县"),
    ("511325", "西充县"),
    ("511381", "阆中市"),
    // 眉山市
    ("511402", "东坡区"),
    ("511403", "彭山区"),
    ("511421", "仁寿县"),
    ("511423", "洪雅县"),
    ("511424", "丹棱县"),
    ("511425", "青神县"),
    // 宜宾市
    ("511502", "翠屏区"),
    ("511503", "南溪区"),
    ("511504", "叙州区"),
    ("511523", "江安县"),
    ("511524", "长宁县"),
    ("511525", "高县"),
    ("511526", "珙县"),
    ("511527", "筠连县"),
    ("511528", "兴文县"),
    ("511529", "屏山县"),
    // 广安市
    ("511602", "广安区"),
    ("511603", "前锋区"),
    ("511621", "岳池县"),
    ("511622", "武胜县"),
    ("511623", "邻水县"),
    ("511681", "华蓥市"),
    // 达州市
    ("511702", "通川区"),
    ("511703", "达川区"),
    ("511722", "宣汉县"),
    ("511723", "开江县"),
    ("511724", "大竹县"),
    ("511725", "渠县"),
    ("511781", "万源市"),
    // 雅安市
    ("511802", "雨城区"),
    ("511803", "名山区"),
    ("511822", "荥经县"),
    ("511823", "汉源县"),
    ("511824", "石棉县"),
    ("511825", "天全县"),
    ("511826", "芦山县"),
    ("511827", "宝兴县"),
    // 巴中市
    ("511902", "巴州区"),
    ("511903", "恩阳区"),
    ("511921", "通江县"),
    ("511922", "南江县"),
    ("511923", "平昌县"),
    // 资阳市
    ("512002", "雁江区"),
    ("512021", "安岳县"),
    ("512022", "乐至县"),
    // 阿坝藏族羌族自治州
    ("513201", "马尔康市"),
    ("513221", "汶川县"),
    ("513222", "理县"),
    ("513223", "茂县"),
    ("513224", "松潘县"),
    ("513225", "九寨沟县"),
    ("513226", "金川县"),
    ("513227", "小金县"),
    ("513228", "黑水县"),
    ("513230", "壤塘县"),
    ("513231", "阿坝县"),
    ("513232", "若尔盖县"),
    ("513233", "红原县"),
    // 甘孜藏族自治州
    ("513301", "康定市"),
    ("513322", "泸定县"),
    ("513323", "丹巴县"),
    ("513324", "九龙县"),
    ("513325", "雅江县"),
    ("513326", "道孚县"),
    ("513327", "炉霍县"),
    ("513328", "甘孜县"),
    ("513329", "新龙县"),
    ("513330", "德格县"),
    ("513331", "白玉县"),
    ("513332", "石渠县"),
    ("513333", "色达县"),
    ("513334", "理塘县"),
    ("513335", "巴塘县"),
    ("513336", "乡城县"),
    ("513337", "稻城县"),
    ("513338", "得荣县"),
    // 凉山彝族自治州
    ("513401", "西昌市"),
    ("513402", "会理市"),
    ("513422", "木里藏族自治县"),
    ("513423", "盐源县"),
    ("513424", "德昌县"),
    ("513426", "会东县"),
    ("513427", "宁南县"),
    ("513428", "普格县"),
    ("513429", "布拖县"),
    ("513430", "金阳县"),
    ("513431", "昭觉县"),
    ("513432", "喜德县"),
    ("513433", "冕宁县"),
    ("513434", "越西县"),
    ("513435", "甘洛县"),
    ("513436", "美姑县"),
    ("513437", "雷波县"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn village_codes_400_to_499_are_urban() {
        assert_eq!(CommunityKind::of("510104001002"), Some(CommunityKind::Urban));
        assert_eq!(CommunityKind::of("510104001199"), Some(CommunityKind::Urban));
        assert_eq!(CommunityKind::of("510121100201"), Some(CommunityKind::Rural));
        assert_eq!(CommunityKind::of("510121100399"), Some(CommunityKind::Rural));
        assert_eq!(CommunityKind::of("510104001401"), Some(CommunityKind::Urban));
        assert_eq!(CommunityKind::of("510104001499"), Some(CommunityKind::Urban));
        assert_eq!(CommunityKind::of("510121100501"), Some(CommunityKind::Rural));
        assert_eq!(CommunityKind::of("510104001000"), None, "000 is the township itself");
        assert_eq!(CommunityKind::of("510104001"), None);
        assert_eq!(township_of("510104001002"), Some("510104001"));
        assert_eq!(township_of("510104"), None);
        assert_eq!(county_name("510104"), Some("锦江区"));
    }

    #[test]
    fn the_table_holds_all_183_county_level_units_of_the_21_prefectures() {
        assert_eq!(SICHUAN_PREFECTURES.len(), 21);
        assert_eq!(SICHUAN_COUNTIES.len(), 183);
        // Sorted and unique: the lookups search them by halves.
        assert!(SICHUAN_PREFECTURES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(SICHUAN_COUNTIES.windows(2).all(|w| w[0].0 < w[1].0));
        let per_prefecture: Vec<usize> = SICHUAN_PREFECTURES
            .iter()
            .map(|(p, _)| SICHUAN_COUNTIES.iter().filter(|(c, _)| c.starts_with(p)).count())
            .collect();
        // 成都 20, 自贡 6, 攀枝花 5, 泸州 7, 德阳 6, 绵阳 9, 广元 7, 遂宁 5, 内江 5, 乐山 11, 南充 9,
        // 眉山 6, 宜宾 10, 广安 6, 达州 7, 雅安 8, 巴中 5, 资阳 3, 阿坝 13, 甘孜 18, 凉山 17.
        assert_eq!(per_prefecture, [20, 6, 5, 7, 6, 9, 7, 5, 5, 11, 9, 6, 10, 6, 7, 8, 5, 3, 13, 18, 17]);
        for (code, name) in SICHUAN_COUNTIES {
            assert!(code.len() == 6 && code.starts_with("51") && !code.ends_with("00"), "{code}");
            assert!(prefecture_name(code).is_some(), "{code} {name}: no prefecture");
            assert!(["区", "县", "市"].iter().any(|s| name.ends_with(s)), "{code} {name}");
        }
        assert_eq!(county_name("511132"), Some("峨边彝族自治县"));
        assert_eq!(county_name("513338"), Some("得荣县"));
        assert_eq!(county_name("513402"), Some("会理市"));
        assert_eq!(county_name("513425"), None, "会理县 became 会理市 (513402) in 2021");
        assert_eq!(county_name("110101"), None);
        assert_eq!(prefecture_name("513437"), Some("凉山彝族自治州"));
        assert_eq!(prefecture_name("510104001002"), Some("成都市"));
        assert_eq!(prefecture_name("51"), None);
    }
}
