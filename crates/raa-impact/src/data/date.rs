//! Calendar dates as SSDA903 writes them (`DD/MM/YYYY`, ISO `YYYY-MM-DD` accepted too).

pub use chrono::NaiveDate as Date;
use chrono::Datelike;

/// Parse a date written `DD/MM/YYYY` (the SSDA903 convention; `D/M/YYYY` is accepted) or
/// `YYYY-MM-DD` (ISO). Surrounding spaces are ignored. Returns `None` for anything else,
/// including impossible dates such as 31/02/2018.
///
/// ```
/// use raa_impact::data::date::parse_date;
/// assert_eq!(parse_date("01/04/2017"), parse_date("2017-04-01"));
/// assert!(parse_date("31/02/2018").is_none());
/// ```
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let y = parse_digits(&b[0..4])?;
        let m = parse_digits(&b[5..7])?;
        let d = parse_digits(&b[8..10])?;
        return Date::from_ymd_opt(y as i32, m, d);
    }
    let mut it = s.split('/');
    let d = it.next()?;
    let m = it.next()?;
    let y = it.next()?;
    if it.next().is_some() || d.is_empty() || d.len() > 2 || m.is_empty() || m.len() > 2 || y.len() != 4
    {
        return None;
    }
    Date::from_ymd_opt(
        parse_digits(y.as_bytes())? as i32,
        parse_digits(m.as_bytes())?,
        parse_digits(d.as_bytes())?,
    )
}

fn parse_digits(b: &[u8]) -> Option<u32> {
    let mut v: u32 = 0;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as u32;
    }
    Some(v)
}

/// Format a date the SSDA903 way, `DD/MM/YYYY`.
pub fn format_ssda903(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

/// Days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(a: Date, b: Date) -> i64 {
    (b - a).num_days()
}

/// Days since 1970-01-01 (the numpy `datetime64[D]` epoch).
pub fn epoch_days(d: Date) -> i64 {
    (d - Date::from_ymd_opt(1970, 1, 1).expect("valid epoch")).num_days()
}

/// Inverse of [`epoch_days`]; `None` when out of chrono's range.
pub fn from_epoch_days(days: i64) -> Option<Date> {
    Date::from_ymd_opt(1970, 1, 1)?.checked_add_signed(chrono::TimeDelta::try_days(days)?)
}

/// The SSDA903 collection year that contains `d`: the year in which the 1 April – 31 March
/// reporting year ends (so 2017-04-01 ..= 2018-03-31 is collection year 2018).
pub fn collection_year(d: Date) -> i32 {
    if d.month() >= 4 {
        d.year() + 1
    } else {
        d.year()
    }
}

/// 31 March of collection year `year`.
pub fn year_end(year: i32) -> Date {
    Date::from_ymd_opt(year, 3, 31).expect("31 March exists")
}

/// Whole years of age on `at` for a child born on `dob`.
pub fn age_years(dob: Date, at: Date) -> i32 {
    let mut years = at.year() - dob.year();
    if (at.month(), at.day()) < (dob.month(), dob.day()) {
        years -= 1;
    }
    years
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_conventions() {
        let d = Date::from_ymd_opt(2018, 3, 31).unwrap();
        assert_eq!(parse_date("31/03/2018"), Some(d));
        assert_eq!(parse_date(" 2018-03-31 "), Some(d));
        assert_eq!(parse_date("1/4/2017"), Date::from_ymd_opt(2017, 4, 1));
        for bad in ["", "31/3/18", "2018/03/31", "aa/bb/cccc", "31-03-2018", "29/02/2017", "1/2/3/4"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn collection_years_and_ages() {
        let d = |y, m, dd| Date::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(collection_year(d(2017, 4, 1)), 2018);
        assert_eq!(collection_year(d(2018, 3, 31)), 2018);
        assert_eq!(age_years(d(2010, 6, 15), d(2015, 6, 14)), 4);
        assert_eq!(age_years(d(2010, 6, 15), d(2015, 6, 15)), 5);
        assert_eq!(from_epoch_days(epoch_days(d(2020, 2, 29))), Some(d(2020, 2, 29)));
        assert_eq!(format_ssda903(d(2020, 2, 9)), "09/02/2020");
    }
}
