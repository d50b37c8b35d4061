//! Civil dates without a time-zone database: the shell passes "today" in the
//! store's time zone; this module does the arithmetic recurring work needs.

use std::fmt;
use std::str::FromStr;

/// A calendar date (proleptic Gregorian).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

/// Why text is not a `YYYY-MM-DD` date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a date; write it as YYYY-MM-DD")]
pub struct DateError(pub String);

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Self> {
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Self { year, month, day })
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days_since_epoch(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Self { year, month, day }
    }

    /// The date `n` days later (earlier if negative).
    pub fn add_days(self, n: i64) -> Self {
        Self::from_days_since_epoch(self.days_since_epoch() + n)
    }

    /// ISO weekday, Monday = 1 … Sunday = 7.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (4).
        ((self.days_since_epoch() + 3).rem_euclid(7) + 1) as u32
    }

    /// The Monday of this date's week.
    pub fn week_start(self) -> Self {
        self.add_days(1 - i64::from(self.weekday()))
    }

    /// ISO week-numbering year and week.
    pub fn iso_week(self) -> (i32, u32) {
        let thursday = self.add_days(4 - i64::from(self.weekday()));
        let jan1 = Date {
            year: thursday.year,
            month: 1,
            day: 1,
        };
        let week = (thursday.days_since_epoch() - jan1.days_since_epoch()) / 7 + 1;
        (thursday.year, week as u32)
    }

    /// The date of a Unix time in milliseconds at a fixed UTC offset in minutes.
    pub fn from_unix_ms(ms: i64, utc_offset_minutes: i32) -> Self {
        let local = ms + i64::from(utc_offset_minutes) * 60_000;
        Self::from_days_since_epoch(local.div_euclid(86_400_000))
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || DateError(s.to_owned());
        let mut parts = s.splitn(3, '-');
        let mut next = || parts.next().ok_or_else(err);
        let (y, m, d) = (next()?, next()?, next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(err());
        }
        let year = y.parse().map_err(|_| err())?;
        let month = m.parse().map_err(|_| err())?;
        let day = d.parse().map_err(|_| err())?;
        Date::new(year, month, day).ok_or_else(err)
    }
}

/// A store's time zone: an IANA name with its rules, daylight saving included, from
/// the time zone database bundled into the binary, so every device, the relay and
/// the CLI agree on "today" and "overdue".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    name: String,
    tz: jiff::tz::TimeZone,
}

/// A time zone name the database does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a time zone; use an IANA name such as Asia/Shanghai or Europe/Berlin")]
pub struct UnknownZone(pub String);

impl Zone {
    /// The zone of an IANA name (`Asia/Shanghai`, `America/New_York`, `UTC`, …).
    pub fn named(name: &str) -> Result<Self, UnknownZone> {
        let name = name.trim();
        let tz = jiff::tz::db()
            .get(name)
            .map_err(|_| UnknownZone(name.chars().take(64).collect()))?;
        Ok(Self {
            name: name.to_owned(),
            tz,
        })
    }

    pub fn utc() -> Self {
        Self {
            name: "UTC".into(),
            tz: jiff::tz::TimeZone::UTC,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The offset from UTC, in minutes, at a Unix time in milliseconds.
    pub fn offset_minutes_at(&self, unix_ms: i64) -> i32 {
        let Ok(at) = jiff::Timestamp::from_millisecond(unix_ms) else {
            return 0;
        };
        self.tz.to_offset(at).seconds() / 60
    }

    /// The zone's date at a Unix time in milliseconds.
    pub fn date_of(&self, unix_ms: i64) -> Date {
        Date::from_unix_ms(unix_ms, self.offset_minutes_at(unix_ms))
    }
}

/// Every time zone name the bundled database knows, sorted: what pickers offer, and
/// exactly what [`Zone::named`] accepts.
pub fn time_zones() -> Vec<String> {
    let mut names: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(y: i32, m: u32, d: u32, h: i64, min: i64) -> i64 {
        Date::new(y, m, d).unwrap().days_since_epoch() * 86_400_000 + (h * 60 + min) * 60_000
    }

    #[test]
    fn new_york_moves_its_clocks_in_march_and_november() {
        let ny = Zone::named("America/New_York").unwrap();
        // 2026-03-08 02:00 local: EST (−5 h) becomes EDT (−4 h), at 07:00 UTC.
        assert_eq!(ny.offset_minutes_at(ms(2026, 3, 8, 6, 59)), -300);
        assert_eq!(ny.offset_minutes_at(ms(2026, 3, 8, 7, 0)), -240);
        // 23:30 local on 7 March (04:30 UTC on the 8th) is still the 7th.
        assert_eq!(ny.date_of(ms(2026, 3, 8, 4, 30)).to_string(), "2026-03-07");
        // 2026-11-01 02:00 local: back to EST, at 06:00 UTC.
        assert_eq!(ny.offset_minutes_at(ms(2026, 11, 1, 5, 59)), -240);
        assert_eq!(ny.offset_minutes_at(ms(2026, 11, 1, 6, 0)), -300);
        // 23:30 EDT on 31 October is 03:30 UTC on 1 November.
        assert_eq!(ny.date_of(ms(2026, 11, 1, 3, 30)).to_string(), "2026-10-31");
    }

    #[test]
    fn berlin_moves_its_clocks_on_the_last_sundays_of_march_and_october() {
        let berlin = Zone::named("Europe/Berlin").unwrap();
        assert_eq!(berlin.offset_minutes_at(ms(2026, 3, 29, 0, 59)), 60);
        assert_eq!(berlin.offset_minutes_at(ms(2026, 3, 29, 1, 0)), 120);
        assert_eq!(berlin.offset_minutes_at(ms(2026, 10, 25, 0, 59)), 120);
        assert_eq!(berlin.offset_minutes_at(ms(2026, 10, 25, 1, 0)), 60);
        // 23:30 UTC on 24 October is 01:30 on the 25th in Berlin (summer time).
        assert_eq!(
            berlin.date_of(ms(2026, 10, 24, 23, 30)).to_string(),
            "2026-10-25"
        );
    }

    #[test]
    fn shanghai_has_no_daylight_saving() {
        let sh = Zone::named("Asia/Shanghai").unwrap();
        for (m, d) in [(1, 15), (3, 29), (7, 1), (10, 25), (12, 31)] {
            assert_eq!(sh.offset_minutes_at(ms(2026, m, d, 12, 0)), 480);
        }
        // 16:30 UTC is half past midnight the next day in Shanghai.
        assert_eq!(
            sh.date_of(ms(2026, 12, 6, 16, 30)).to_string(),
            "2026-12-07"
        );
    }

    #[test]
    fn every_listed_zone_is_accepted_and_nothing_else() {
        let zones = time_zones();
        assert!(zones.len() > 300, "{}", zones.len());
        for name in &zones {
            assert!(Zone::named(name).is_ok(), "{name}");
        }
        for name in [
            "Asia/Shanghai",
            "Europe/London",
            "America/Los_Angeles",
            "Australia/Sydney",
            "UTC",
        ] {
            assert!(zones.iter().any(|z| z == name), "{name}");
        }
        for bad in ["", "Mars/Olympus", "GMT+25", "../../etc/passwd"] {
            assert!(Zone::named(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn days_round_trip_across_four_centuries() {
        for days in (-200_000..200_000).step_by(37) {
            let d = Date::from_days_since_epoch(days);
            assert_eq!(d.days_since_epoch(), days);
            assert_eq!(d.to_string().parse::<Date>(), Ok(d));
        }
    }

    #[test]
    fn weekdays_and_iso_weeks_match_the_calendar() {
        let d: Date = "2026-11-28".parse().unwrap();
        assert_eq!(d.weekday(), 6); // a Saturday
        assert_eq!(d.week_start().to_string(), "2026-11-23");
        assert_eq!(d.iso_week(), (2026, 48));
        let new_year: Date = "2027-01-01".parse().unwrap();
        assert_eq!(new_year.iso_week(), (2026, 53));
    }

    #[test]
    fn impossible_dates_are_refused() {
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "26-1-1",
            "2026-1-01",
            "",
            "x",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        assert!("2024-02-29".parse::<Date>().is_ok());
    }

    #[test]
    fn unix_time_maps_to_the_local_date() {
        // 2026-11-27T20:00Z is already the 28th in Shanghai (UTC+8).
        let ms = Date::new(2026, 11, 27).unwrap().days_since_epoch() * 86_400_000 + 20 * 3_600_000;
        assert_eq!(Date::from_unix_ms(ms, 480).to_string(), "2026-11-28");
        assert_eq!(Date::from_unix_ms(ms, 0).to_string(), "2026-11-27");
    }
}
