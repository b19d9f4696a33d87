//! The true accounts the sample is made of, before any export mangles them.
//!
//! Everything the ground truth states about an account lives here; the
//! exports are derived from these values and never the other way round.

use govwx::config::DomainId;

/// Administrative level of an account's operating body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Level {
    Central,
    Provincial,
    Municipal,
    County,
    Township,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::Central,
        Level::Provincial,
        Level::Municipal,
        Level::County,
        Level::Township,
    ];

    /// The canonical value, as the platform export writes it.
    pub fn slug(self) -> &'static str {
        match self {
            Level::Central => "central",
            Level::Provincial => "provincial",
            Level::Municipal => "municipal",
            Level::County => "county",
            Level::Township => "township",
        }
    }

    /// The value provincial submissions write.
    pub fn chinese(self) -> &'static str {
        match self {
            Level::Central => "中央",
            Level::Provincial => "省级",
            Level::Municipal => "市级",
            Level::County => "县级",
            Level::Township => "乡镇级",
        }
    }
}

/// Kind of official account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum AccountType {
    Subscription,
    Service,
    /// 企业号, launched in September 2014: none exist in 2013.
    Enterprise,
}

impl AccountType {
    pub const ALL: [AccountType; 3] = [
        AccountType::Subscription,
        AccountType::Service,
        AccountType::Enterprise,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            AccountType::Subscription => "subscription",
            AccountType::Service => "service",
            AccountType::Enterprise => "enterprise",
        }
    }

    pub fn chinese(self) -> &'static str {
        match self {
            AccountType::Subscription => "订阅号",
            AccountType::Service => "服务号",
            AccountType::Enterprise => "企业号",
        }
    }
}

/// A calendar date (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    pub fn days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Excel's serial number: days since 1899-12-30.
    pub fn excel_serial(self) -> i64 {
        self.days() + 25_569
    }
}

/// The two periods of the sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Period {
    Y2013,
    Y2014,
}

impl Period {
    pub const ALL: [Period; 2] = [Period::Y2013, Period::Y2014];

    pub fn name(self) -> &'static str {
        match self {
            Period::Y2013 => "2013",
            Period::Y2014 => "2014",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// One true account, as it is in both periods.
#[derive(Debug, Clone)]
pub(crate) struct Account {
    /// Stable truth id, `A00001`.
    pub id: String,
    /// Province code; `None` for central accounts. Hong Kong, Macau and
    /// Taiwan have codes but are out of scope.
    pub province: Option<u8>,
    pub city: Option<&'static str>,
    pub county: Option<&'static str>,
    pub level: Level,
    pub domain: DomainId,
    pub entity: String,
    pub name: String,
    pub original_id: String,
    pub wechat_id: String,
    pub account_type: AccountType,
    pub registered_at: Date,
    /// Followers at the end of each period, `None` when the account did not
    /// exist then; indexed by `Period::index`.
    pub followers: [Option<u64>; 2],
    pub in_scope: bool,
}

impl Account {
    pub fn exists_in(&self, period: Period) -> bool {
        self.followers[period.index()].is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_excel_serials_match_excel() {
        let d = Date {
            year: 2014,
            month: 3,
            day: 5,
        };
        assert_eq!(Date::from_days(d.days()), d);
        assert_eq!(d.excel_serial(), 41_703);
        assert_eq!(
            Date {
                year: 1970,
                month: 1,
                day: 1
            }
            .days(),
            0
        );
    }
}
