//! The columns of each export and the headers they go by.
//!
//! The platform writes canonical English headers; each province's office
//! picks its own Chinese aliases (docs/CONTRACT.md §2.1) and may leave out the level or
//! the alias column; the third-party list has five columns of its own.

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A registry column, by meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Column {
    OriginalId,
    WechatId,
    Name,
    Entity,
    Province,
    City,
    County,
    Level,
    Domain,
    AccountType,
    Followers,
    RegisteredAt,
}

/// Which export a file is; decides how values are spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    Platform,
    Provincial,
    ThirdParty,
}

/// The columns of one file, in order, with their headers.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub source: Source,
    pub columns: Vec<(Column, &'static str)>,
}

impl Layout {
    pub fn platform() -> Layout {
        use Column::*;
        let columns = [
            (OriginalId, "original_id"),
            (WechatId, "wechat_id"),
            (Name, "name"),
            (Entity, "entity"),
            (Province, "province"),
            (City, "city"),
            (County, "county"),
            (Level, "level"),
            (Domain, "domain"),
            (AccountType, "account_type"),
            (Followers, "followers"),
            (RegisteredAt, "registered_at"),
        ];
        Layout {
            source: Source::Platform,
            columns: columns.to_vec(),
        }
    }

    pub fn third_party() -> Layout {
        use Column::*;
        let columns = [
            (Name, "公众号名称"),
            (WechatId, "微信号"),
            (Province, "省"),
            (Followers, "粉丝数"),
            (AccountType, "类型"),
        ];
        Layout {
            source: Source::ThirdParty,
            columns: columns.to_vec(),
        }
    }

    /// A province's own choice of headers; some leave out the level or the
    /// alias column (never the entity, which then decides the level).
    pub fn provincial(rng: &mut ChaCha8Rng) -> Layout {
        use Column::*;
        let pick =
            |rng: &mut ChaCha8Rng, options: &[&'static str]| *options.choose(rng).expect("aliases");
        let mut columns = vec![(Name, pick(rng, &["名称", "公众号名称", "账号名称"]))];
        if rng.gen_bool(0.8) {
            columns.push((WechatId, "微信号"));
        }
        columns.push((OriginalId, "原始ID"));
        columns.push((Entity, pick(rng, &["运营主体", "认证主体", "主体名称"])));
        columns.push((Province, pick(rng, &["省份", "省"])));
        columns.push((City, pick(rng, &["城市", "地市"])));
        columns.push((County, "区县"));
        if rng.gen_bool(0.7) {
            columns.push((Level, pick(rng, &["行政级别", "级别"])));
        }
        columns.push((Domain, pick(rng, &["领域", "行业", "职能领域"])));
        columns.push((AccountType, pick(rng, &["账号类型", "类型"])));
        columns.push((Followers, pick(rng, &["粉丝数", "关注用户数", "关注人数"])));
        columns.push((
            RegisteredAt,
            pick(rng, &["注册时间", "开通时间", "注册日期"]),
        ));
        Layout {
            source: Source::Provincial,
            columns,
        }
    }

    pub fn header(&self) -> Vec<String> {
        self.columns.iter().map(|(_, h)| (*h).to_owned()).collect()
    }

    pub fn position(&self, column: Column) -> Option<usize> {
        self.columns.iter().position(|(c, _)| *c == column)
    }
}
