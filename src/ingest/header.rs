//! Header recognition: which cell holds which canonical column, and which
//! kind of file a header belongs to (SPEC §2, §2.1, §2.2).
//!
//! A file's kind is told from its header, never from its name, and the header
//! is the first row that satisfies one kind's rule; rows above it are title
//! lines.

use crate::normalize::text::header_key;

/// A canonical column of either file kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Column {
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
    Month,
    Articles,
    Reads,
    Likes,
}

impl Column {
    pub const ALL: [Column; 16] = [
        Column::OriginalId,
        Column::WechatId,
        Column::Name,
        Column::Entity,
        Column::Province,
        Column::City,
        Column::County,
        Column::Level,
        Column::Domain,
        Column::AccountType,
        Column::Followers,
        Column::RegisteredAt,
        Column::Month,
        Column::Articles,
        Column::Reads,
        Column::Likes,
    ];

    /// The canonical name, as used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Column::OriginalId => "original_id",
            Column::WechatId => "wechat_id",
            Column::Name => "name",
            Column::Entity => "entity",
            Column::Province => "province",
            Column::City => "city",
            Column::County => "county",
            Column::Level => "level",
            Column::Domain => "domain",
            Column::AccountType => "account_type",
            Column::Followers => "followers",
            Column::RegisteredAt => "registered_at",
            Column::Month => "month",
            Column::Articles => "articles",
            Column::Reads => "reads",
            Column::Likes => "likes",
        }
    }

    /// Header spellings seen in exports, as reduced by `header_key`.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Column::OriginalId => &["原始id", "ghid", "originalid", "原始账号", "原始号"],
            Column::WechatId => &["微信号", "账号", "wechatid", "wechat", "微信id", "alias"],
            Column::Name => &[
                "账号名称",
                "公众号名称",
                "名称",
                "name",
                "accountname",
                "公众号",
                "账号名",
            ],
            Column::Entity => &[
                "认证主体",
                "运营主体",
                "主体名称",
                "entity",
                "主体",
                "认证机构",
            ],
            Column::Province => &["省份", "省", "province", "所属省份", "省/直辖市"],
            Column::City => &["城市", "地市", "city", "市", "所属地市"],
            Column::County => &["区县", "county", "县区", "区/县", "district"],
            Column::Level => &["行政级别", "级别", "level"],
            Column::Domain => &["领域", "行业", "职能领域", "domain", "industry"],
            Column::AccountType => &["账号类型", "类型", "accounttype", "type"],
            Column::Followers => &["关注用户数", "粉丝数", "关注人数", "followers", "fans"],
            Column::RegisteredAt => &[
                "注册时间",
                "开通时间",
                "注册日期",
                "registeredat",
                "createdat",
            ],
            Column::Month => &["统计月份", "月份", "month"],
            Column::Articles => &["发文数", "发文篇数", "articles"],
            Column::Reads => &["阅读数", "总阅读数", "reads"],
            Column::Likes => &["点赞数", "likes"],
        }
    }

    fn from_header(cell: &str) -> Option<Column> {
        let key = header_key(cell);
        Column::ALL
            .into_iter()
            .find(|c| c.aliases().contains(&key.as_str()))
    }

    fn is_registry(self) -> bool {
        !matches!(
            self,
            Column::Month | Column::Articles | Column::Reads | Column::Likes
        )
    }
}

/// The kind of a file, told from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Registry,
    Activity,
}

impl FileKind {
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Registry => "registry",
            FileKind::Activity => "activity",
        }
    }
}

/// A recognised header: where each canonical column sits.
#[derive(Debug, Clone)]
pub struct Schema {
    pub kind: FileKind,
    positions: [Option<u16>; Column::ALL.len()],
    /// The unit a header names in its note (`粉丝数（万）`, `reads (k)`):
    /// each count of the column is worth this many; 1 when none is named.
    units: [u32; Column::ALL.len()],
    /// Number of cells in the header.
    pub width: usize,
    /// Header cells that name no canonical column (or repeat one).
    pub extra_columns: Vec<String>,
}

impl Schema {
    /// Recognises a header row, or says it is none.
    pub fn recognise<'a>(cells: impl IntoIterator<Item = &'a str>) -> Option<Schema> {
        let mut positions = [None; Column::ALL.len()];
        let mut units = [1; Column::ALL.len()];
        let mut extra_columns = Vec::new();
        let mut width = 0;
        for (index, cell) in cells.into_iter().enumerate() {
            width = index + 1;
            match Column::from_header(cell) {
                Some(column) if positions[column as usize].is_none() => {
                    positions[column as usize] = u16::try_from(index).ok();
                    units[column as usize] = header_unit(cell);
                }
                _ if cell.trim().is_empty() => {}
                _ => extra_columns.push(cell.trim().to_owned()),
            }
        }
        let has = |c: Column| positions[c as usize].is_some();
        let identity = has(Column::OriginalId) || has(Column::Name);
        let kind = if identity && has(Column::Month) && has(Column::Reads) {
            FileKind::Activity
        } else {
            let registry_columns = Column::ALL
                .iter()
                .filter(|c| c.is_registry() && has(**c))
                .count();
            if identity && registry_columns >= 2 {
                FileKind::Registry
            } else {
                return None;
            }
        };
        Some(Schema {
            kind,
            positions,
            units,
            width,
            extra_columns,
        })
    }

    /// The cell index of a column, if the header has it.
    pub fn position(&self, column: Column) -> Option<usize> {
        self.positions[column as usize].map(usize::from)
    }

    pub fn has(&self, column: Column) -> bool {
        self.positions[column as usize].is_some()
    }

    /// What one count of a column is worth: 10,000 for `粉丝数（万）`, else 1.
    pub fn unit(&self, column: Column) -> u64 {
        u64::from(self.units[column as usize])
    }
}

/// The multiplier a header's bracketed note names: `（万）`, `(万人)`, `(w)`
/// are 10,000; `(千)`, `(k)` 1,000; `(人)`, `(次)` or no note 1.
fn header_unit(cell: &str) -> u32 {
    let cleaned = crate::normalize::text::clean(cell);
    let Some(open) = cleaned.find('(') else {
        return 1;
    };
    let note: String = cleaned[open + 1..]
        .chars()
        .take_while(|&c| c != ')')
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    match note.trim_end_matches(['人', '次', '个', '篇']) {
        "万" | "w" | "万元" => 10_000,
        "千" | "k" => 1_000,
        "百万" | "m" => 1_000_000,
        _ => 1,
    }
}

/// A totals line: its first non-empty cell says 合计, 总计 or 小计 (or total).
pub fn is_totals_line<'a>(cells: impl IntoIterator<Item = &'a str>) -> bool {
    let Some(first) = cells.into_iter().map(str::trim).find(|c| !c.is_empty()) else {
        return false;
    };
    // Most first cells are already clean (printable ASCII and ideographs):
    // then their header key is their characters without spaces and
    // separators, lower-cased, and can be compared without building it.
    let starts = ["合计", "总计", "小计", "总数"];
    let words = ["total", "totals", "sum", "grandtotal"];
    if crate::normalize::text::is_already_clean(first) && !first.contains('(') {
        let key = || {
            first
                .chars()
                .filter(|c| !matches!(c, ' ' | '_' | '-' | '*' | ':'))
                .map(|c| c.to_ascii_lowercase())
        };
        return starts
            .iter()
            .any(|w| key().take(w.chars().count()).eq(w.chars()))
            || words.iter().any(|w| key().eq(w.chars()));
    }
    let key: String = header_key(first);
    starts.iter().any(|w| key.starts_with(w)) || words.contains(&key.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_lines_read_the_same_with_or_without_the_fast_path() {
        // The definition: the header key starts with a totals word or is one.
        let by_key = |cell: &str| {
            let key = header_key(cell);
            ["合计", "总计", "小计", "总数"]
                .iter()
                .any(|w| key.starts_with(w))
                || ["total", "totals", "sum", "grandtotal"].contains(&key.as_str())
        };
        for cell in [
            "合计",
            "合 计",
            "合计:",
            "总计(万)",
            "(合计)",
            "小计_广东",
            "总数",
            "计合",
            "Total",
            "TOTALS",
            "grand-total",
            "Grand Total",
            "sum",
            "summary",
            "gh_0123456789ab",
            "深圳发布",
            "Ｔｏｔａｌ",
            "合\u{200B}计",
            "-",
            "_",
        ] {
            assert_eq!(is_totals_line([cell]), by_key(cell), "{cell}");
        }
    }

    #[test]
    fn chinese_and_english_headers_are_recognised() {
        let s = Schema::recognise([
            "账号名称",
            "微信号",
            "原始ID",
            "省份",
            "粉丝数（人）",
            "备注",
        ])
        .expect("registry");
        assert_eq!(s.kind, FileKind::Registry);
        assert_eq!(s.position(Column::OriginalId), Some(2));
        assert_eq!(s.position(Column::Followers), Some(4));
        assert_eq!(s.extra_columns, vec!["备注".to_owned()]);
        assert_eq!(s.unit(Column::Followers), 1);
        let s = Schema::recognise(["名称", "省份", "粉丝数（万）", "Reads (K)"]).expect("registry");
        assert_eq!(s.unit(Column::Followers), 10_000);
        assert_eq!(s.unit(Column::Reads), 1_000);
        assert_eq!(s.unit(Column::Name), 1);
        let s = Schema::recognise(["original_id", "name", "Province"]).expect("registry");
        assert_eq!(s.position(Column::Province), Some(2));
        let s = Schema::recognise(["原始ID", "统计月份", "阅读数", "点赞数"]).expect("activity");
        assert_eq!(s.kind, FileKind::Activity);
    }

    #[test]
    fn title_lines_and_summaries_are_not_headers() {
        assert!(Schema::recognise(["广东省政务微信账号统计表（2014年12月）"]).is_none());
        assert!(Schema::recognise(["名称"]).is_none());
        assert!(Schema::recognise(["省份", "账号数"]).is_none());
    }

    #[test]
    fn totals_lines() {
        assert!(is_totals_line(["合计", "", "6139"]));
        assert!(is_totals_line(["", "总 计"]));
        assert!(is_totals_line(["Total", "3"]));
        assert!(!is_totals_line(["合肥发布", "x"]));
    }
}
