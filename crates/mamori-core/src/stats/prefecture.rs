//! The 47 prefectures (都道府県), in JIS X 0401 order, for the 発信地域 / victim region cut.

use crate::dimension::coded_enum;

coded_enum! {
    /// A prefecture; `ALL` is in JIS X 0401 order (01 北海道 … 47 沖縄県).
    pub enum Prefecture {
        /// 01 北海道.
        Hokkaido = "hokkaido", "北海道", "Hokkaido";
        /// 02 青森県.
        Aomori = "aomori", "青森県", "Aomori";
        /// 03 岩手県.
        Iwate = "iwate", "岩手県", "Iwate";
        /// 04 宮城県.
        Miyagi = "miyagi", "宮城県", "Miyagi";
        /// 05 秋田県.
        Akita = "akita", "秋田県", "Akita";
        /// 06 山形県.
        Yamagata = "yamagata", "山形県", "Yamagata";
        /// 07 福島県.
        Fukushima = "fukushima", "福島県", "Fukushima";
        /// 08 茨城県.
        Ibaraki = "ibaraki", "茨城県", "Ibaraki";
        /// 09 栃木県.
        Tochigi = "tochigi", "栃木県", "Tochigi";
        /// 10 群馬県.
        Gunma = "gunma", "群馬県", "Gunma";
        /// 11 埼玉県.
        Saitama = "saitama", "埼玉県", "Saitama";
        /// 12 千葉県.
        Chiba = "chiba", "千葉県", "Chiba";
        /// 13 東京都.
        Tokyo = "tokyo", "東京都", "Tokyo";
        /// 14 神奈川県.
        Kanagawa = "kanagawa", "神奈川県", "Kanagawa";
        /// 15 新潟県.
        Niigata = "niigata", "新潟県", "Niigata";
        /// 16 富山県.
        Toyama = "toyama", "富山県", "Toyama";
        /// 17 石川県.
        Ishikawa = "ishikawa", "石川県", "Ishikawa";
        /// 18 福井県.
        Fukui = "fukui", "福井県", "Fukui";
        /// 19 山梨県.
        Yamanashi = "yamanashi", "山梨県", "Yamanashi";
        /// 20 長野県.
        Nagano = "nagano", "長野県", "Nagano";
        /// 21 岐阜県.
        Gifu = "gifu", "岐阜県", "Gifu";
        /// 22 静岡県.
        Shizuoka = "shizuoka", "静岡県", "Shizuoka";
        /// 23 愛知県.
        Aichi = "aichi", "愛知県", "Aichi";
        /// 24 三重県.
        Mie = "mie", "三重県", "Mie";
        /// 25 滋賀県.
        Shiga = "shiga", "滋賀県", "Shiga";
        /// 26 京都府.
        Kyoto = "kyoto", "京都府", "Kyoto";
        /// 27 大阪府.
        Osaka = "osaka", "大阪府", "Osaka";
        /// 28 兵庫県.
        Hyogo = "hyogo", "兵庫県", "Hyogo";
        /// 29 奈良県.
        Nara = "nara", "奈良県", "Nara";
        /// 30 和歌山県.
        Wakayama = "wakayama", "和歌山県", "Wakayama";
        /// 31 鳥取県.
        Tottori = "tottori", "鳥取県", "Tottori";
        /// 32 島根県.
        Shimane = "shimane", "島根県", "Shimane";
        /// 33 岡山県.
        Okayama = "okayama", "岡山県", "Okayama";
        /// 34 広島県.
        Hiroshima = "hiroshima", "広島県", "Hiroshima";
        /// 35 山口県.
        Yamaguchi = "yamaguchi", "山口県", "Yamaguchi";
        /// 36 徳島県.
        Tokushima = "tokushima", "徳島県", "Tokushima";
        /// 37 香川県.
        Kagawa = "kagawa", "香川県", "Kagawa";
        /// 38 愛媛県.
        Ehime = "ehime", "愛媛県", "Ehime";
        /// 39 高知県.
        Kochi = "kochi", "高知県", "Kochi";
        /// 40 福岡県.
        Fukuoka = "fukuoka", "福岡県", "Fukuoka";
        /// 41 佐賀県.
        Saga = "saga", "佐賀県", "Saga";
        /// 42 長崎県.
        Nagasaki = "nagasaki", "長崎県", "Nagasaki";
        /// 43 熊本県.
        Kumamoto = "kumamoto", "熊本県", "Kumamoto";
        /// 44 大分県.
        Oita = "oita", "大分県", "Oita";
        /// 45 宮崎県.
        Miyazaki = "miyazaki", "宮崎県", "Miyazaki";
        /// 46 鹿児島県.
        Kagoshima = "kagoshima", "鹿児島県", "Kagoshima";
        /// 47 沖縄県.
        Okinawa = "okinawa", "沖縄県", "Okinawa";
    }
}

impl Prefecture {
    /// The JIS X 0401 code (1–47).
    pub fn jis(self) -> u8 {
        // `ALL` is in JIS order and has 47 entries, so the position fits in a u8.
        Prefecture::ALL
            .iter()
            .position(|p| *p == self)
            .map_or(0, |i| i as u8 + 1)
    }

    /// The prefecture of a JIS code (`13`, `"13"`, `"01"`), a code (`tokyo`) or its Japanese name (`東京都`, `東京`).
    pub fn lookup(s: &str) -> Option<Prefecture> {
        let s = s.trim();
        if let Ok(n) = s.parse::<usize>() {
            return n
                .checked_sub(1)
                .and_then(|i| Prefecture::ALL.get(i))
                .copied();
        }
        Prefecture::parse(s).or_else(|| {
            Prefecture::ALL.iter().copied().find(|p| {
                let ja = p.text().ja;
                ja == s || (ja != "北海道" && ja.strip_suffix(['都', '府', '県']) == Some(s))
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jis_codes_and_names() {
        assert_eq!(Prefecture::ALL.len(), 47);
        assert_eq!(Prefecture::Tokyo.jis(), 13);
        assert_eq!(Prefecture::lookup("13"), Some(Prefecture::Tokyo));
        assert_eq!(Prefecture::lookup("01"), Some(Prefecture::Hokkaido));
        assert_eq!(Prefecture::lookup("東京"), Some(Prefecture::Tokyo));
        assert_eq!(Prefecture::lookup("沖縄県"), Some(Prefecture::Okinawa));
        assert_eq!(Prefecture::lookup("京都"), Some(Prefecture::Kyoto));
        assert_eq!(Prefecture::lookup("北海"), None);
        assert_eq!(Prefecture::lookup("48"), None);
        assert_eq!(Prefecture::lookup("0"), None);
    }
}
