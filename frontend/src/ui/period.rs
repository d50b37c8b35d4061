//! Plan periods and calendar arithmetic on `YYYY-MM-DD` dates: the current year, month
//! and ISO week a new plan defaults to, and the week after a date for repeated meetings.

use storeops_api::PlanLevel;

/// A civil date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Day {
    /// Reads `YYYY-MM-DD`; `None` for anything else, or a day that does not exist.
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.trim().splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let day = Self {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        let valid = (1..=12).contains(&day.month)
            && day.day >= 1
            && day.day <= month_length(day.year, day.month);
        valid.then_some(day)
    }

    /// Days since 1970-01-01: count whole years, then months, then days.
    fn ordinal(self) -> i64 {
        let year = i64::from(self.year);
        // Leap days in the years before `year`, counted from year 0 (proleptic Gregorian).
        let leaps_before = |y: i64| {
            let y = y - 1;
            y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400)
        };
        let days_before_year = 365 * (year - 1970) + leaps_before(year) - leaps_before(1970);
        let days_before_month: i64 = (1..self.month)
            .map(|m| i64::from(month_length(self.year, m)))
            .sum();
        days_before_year + days_before_month + i64::from(self.day) - 1
    }

    fn from_ordinal(mut days: i64) -> Self {
        let mut year: i32 = 1970;
        loop {
            let len = if is_leap(year) { 366 } else { 365 };
            if days < 0 {
                year -= 1;
                days += if is_leap(year) { 366 } else { 365 };
            } else if days >= len {
                days -= len;
                year += 1;
            } else {
                break;
            }
        }
        let mut month = 1;
        while days >= i64::from(month_length(year, month)) {
            days -= i64::from(month_length(year, month));
            month += 1;
        }
        Self {
            year,
            month,
            day: u32::try_from(days + 1).unwrap_or(1),
        }
    }

    pub fn plus_days(self, n: i64) -> Self {
        Self::from_ordinal(self.ordinal() + n)
    }

    /// Monday = 1 … Sunday = 7 (1970-01-01 was a Thursday).
    pub fn weekday(self) -> u32 {
        u32::try_from((self.ordinal() + 3).rem_euclid(7) + 1).unwrap_or(1)
    }

    /// The ISO week-numbering year and week: the week belongs to the year of its Thursday.
    pub fn iso_week(self) -> (i32, u32) {
        let thursday = self.plus_days(4 - i64::from(self.weekday()));
        let first = Self {
            year: thursday.year,
            month: 1,
            day: 1,
        };
        let week = (thursday.ordinal() - first.ordinal()) / 7 + 1;
        (thursday.year, u32::try_from(week).unwrap_or(1))
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn month_length(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The period a new plan of `level` covers by default, given today (`YYYY-MM-DD`):
/// `2026`, `2026-11` or `2026-W48`. Empty if today cannot be read.
pub fn current_period(level: PlanLevel, today: &str) -> String {
    let Some(day) = Day::parse(today) else {
        return String::new();
    };
    match level {
        PlanLevel::Annual => format!("{:04}", day.year),
        PlanLevel::Monthly => format!("{:04}-{:02}", day.year, day.month),
        PlanLevel::Weekly => {
            let (year, week) = day.iso_week();
            format!("{year:04}-W{week:02}")
        }
    }
}

/// Whether `period` is written as a period of `level` is: `2026`, `2026-11`, `2026-W48`.
pub fn period_fits(level: PlanLevel, period: &str) -> bool {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    match level {
        PlanLevel::Annual => digits(period, 4),
        PlanLevel::Monthly => period.split_once('-').is_some_and(|(y, m)| {
            digits(y, 4) && digits(m, 2) && (1..=12).contains(&m.parse::<u32>().unwrap_or(0))
        }),
        PlanLevel::Weekly => period.split_once("-W").is_some_and(|(y, w)| {
            digits(y, 4) && digits(w, 2) && (1..=53).contains(&w.parse::<u32>().unwrap_or(0))
        }),
    }
}

/// The year a period belongs to: its first four characters.
pub fn year_of(period: &str) -> &str {
    period.get(..4).unwrap_or(period)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        Day::parse(text).unwrap_or(Day {
            year: 0,
            month: 0,
            day: 0,
        })
    }

    #[test]
    fn dates_read_and_print() {
        assert_eq!(day("2026-11-28").to_string(), "2026-11-28");
        assert_eq!(Day::parse("2026-02-29"), None);
        assert!(Day::parse("2024-02-29").is_some());
        assert_eq!(Day::parse("2026-13-01"), None);
        assert_eq!(Day::parse("26-11-28"), None);
    }

    #[test]
    fn days_add_across_months_years_and_leap_days() {
        assert_eq!(day("2026-11-28").plus_days(7).to_string(), "2026-12-05");
        assert_eq!(day("2026-12-29").plus_days(7).to_string(), "2027-01-05");
        assert_eq!(day("2024-02-28").plus_days(1).to_string(), "2024-02-29");
        assert_eq!(day("1970-01-01").plus_days(-1).to_string(), "1969-12-31");
        assert_eq!(day("2000-03-01").plus_days(-1).to_string(), "2000-02-29");
    }

    #[test]
    fn weekdays_and_iso_weeks() {
        assert_eq!(day("2026-11-28").weekday(), 6); // a Saturday
        assert_eq!(day("1970-01-01").weekday(), 4);
        assert_eq!(day("2026-11-28").iso_week(), (2026, 48));
        // 2027-01-01 is a Friday: it belongs to the last week of 2026.
        assert_eq!(day("2027-01-01").iso_week(), (2026, 53));
        // 2024-12-30 is a Monday whose Thursday is in 2025.
        assert_eq!(day("2024-12-30").iso_week(), (2025, 1));
        assert_eq!(day("2026-01-01").iso_week(), (2026, 1));
    }

    #[test]
    fn a_new_plan_defaults_to_the_current_period() {
        assert_eq!(current_period(PlanLevel::Annual, "2026-11-28"), "2026");
        assert_eq!(current_period(PlanLevel::Monthly, "2026-11-28"), "2026-11");
        assert_eq!(current_period(PlanLevel::Weekly, "2026-11-28"), "2026-W48");
        assert_eq!(current_period(PlanLevel::Weekly, "2026-01-02"), "2026-W01");
        assert_eq!(current_period(PlanLevel::Weekly, "garbage"), "");
    }

    #[test]
    fn periods_are_checked_against_their_level() {
        assert!(period_fits(PlanLevel::Annual, "2026"));
        assert!(period_fits(PlanLevel::Monthly, "2026-11"));
        assert!(!period_fits(PlanLevel::Monthly, "2026-13"));
        assert!(period_fits(PlanLevel::Weekly, "2026-W48"));
        assert!(!period_fits(PlanLevel::Weekly, "2026-11"));
        assert_eq!(year_of("2026-W48"), "2026");
    }
}
