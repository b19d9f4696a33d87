//! Header recognition: which cell holds which canonical column, and which
//! kind of file a header belongs to (docs/CONTRACT.md §2, §2.1, §2.2).
//!
//! A file's kind is told from its header, never from its name, and the header
//! is the first row that satisfies one kind's rule; rows above it are title
//! lines.

use crate::text::header_key;

/// A canonical column of either file kind.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
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
    HeadlineReads,
    AverageReads,
    MaxReads,
    MaxLikes,
    Looks,
    Shares,
    HeadlineLooks,
    HeadlineLikes,
    HeadlineShares,
    MaxLooks,
    MaxShares,
    Posts,
    Wci,
}

impl Column {
    pub const ALL: &'static [Column] = <Column as strum::VariantArray>::VARIANTS;

    /// The canonical name, as used in messages.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// What the column holds, for `govwx columns` and the README.
    pub fn meaning(self) -> &'static str {
        match self {
            Column::OriginalId => "the platform's key, `gh_` + 12 hex digits; links records first",
            Column::WechatId => "the account's alias (微信号), compared without case; links records second",
            Column::Name => "the account's display name; links records by match-name within a province",
            Column::Entity => "the verified operating organisation (认证主体); places and classifies the account",
            Column::Province => "province, in any of its spellings (广东, 广东省, 粤, Guangdong)",
            Column::City => "prefecture-level city, full or short name",
            Column::County => "district, county or county-level city",
            Column::Level => "central, provincial, municipal, county or township (中央, 省级, 地市级, 区县级, 乡镇)",
            Column::Domain => "functional domain, free text read through the config's keyword rules",
            Column::AccountType => "订阅号, 服务号 or 企业号 (subscription, service, enterprise)",
            Column::Followers => "followers: `36000`, `36,000`, `3.6万`, `1.2w`; `10万+` is 100001",
            Column::RegisteredAt => "registration date: `2014-03-05`, `2014/3/5`, `2014年3月5日`, `20140305`, Excel serial",
            Column::Month => "the month of the row: `2014-12`, `2014年12月`, `201412`",
            Column::Articles => "articles published that month",
            Column::Reads => "total reads that month; `10万+` is 100001",
            Column::Likes => "total likes that month",
            Column::HeadlineReads => "reads of that month's headline articles",
            Column::AverageReads => "reads per article; gives the articles when no count does",
            Column::MaxReads => "reads of the month's most-read article; `10万+` is 100001",
            Column::MaxLikes => "likes of the month's most-liked article",
            Column::Looks => "total 在看 (wow) that month",
            Column::Shares => "total shares that month",
            Column::HeadlineLooks => "在看 of that month's headline articles",
            Column::HeadlineLikes => "likes of that month's headline articles",
            Column::HeadlineShares => "shares of that month's headline articles",
            Column::MaxLooks => "在看 of the month's top article",
            Column::MaxShares => "shares of the month's most-shared article",
            Column::Posts => "pushes (发布次数) that month",
            Column::Wci => "the WCI (微信传播指数) the export publishes for that month",
        }
    }

    /// Whether a table of `kind` needs the column to be recognised.
    pub fn requirement(self, kind: FileKind) -> &'static str {
        match (kind, self) {
            (_, Column::OriginalId | Column::Name) => "one of `original_id`, `name`",
            (FileKind::Registry, _) => "optional",
            (FileKind::Activity, Column::Month | Column::Reads) => "required",
            (FileKind::Activity, _) => "optional",
        }
    }

    /// The columns a table of `kind` reads, in the order they are listed.
    pub fn of_kind(kind: FileKind) -> impl Iterator<Item = Column> {
        Column::ALL.iter().copied().filter(move |c| match kind {
            FileKind::Registry => c.is_registry(),
            FileKind::Activity => {
                !c.is_registry() || matches!(c, Column::OriginalId | Column::Name)
            }
        })
    }

    /// Header spellings seen in exports, as reduced by `header_key`: a
    /// header matches when it equals one after NFKC, lower-casing, and
    /// dropping spaces, `_`, `-`, `*`, `:` and a bracketed note (`粉丝数（万）`).
    pub fn aliases(self) -> &'static [&'static str] {
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
                "organization",
                "organisation",
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
            Column::Month => &["统计月份", "月份", "month", "统计月", "统计日期", "日期"],
            Column::Articles => &["发文数", "发文篇数", "articles"],
            Column::Reads => &[
                "阅读数",
                "总阅读数",
                "reads",
                "阅读量",
                "总阅读量",
                "图文阅读数",
                "图文阅读量",
                "阅读次数",
                "totalreads",
            ],
            Column::Likes => &["点赞数", "likes", "总点赞数", "点赞量"],
            Column::HeadlineReads => &["头条阅读数", "头条阅读量", "头条总阅读数", "headlinereads"],
            Column::AverageReads => &[
                "平均阅读数",
                "篇均阅读数",
                "平均阅读量",
                "averagereads",
                "avgreads",
            ],
            Column::MaxReads => &["最高阅读数", "最高阅读量", "单篇最高阅读数", "maxreads"],
            Column::MaxLikes => &["最高点赞数", "单篇最高点赞数", "maxlikes"],
            Column::Looks => &["在看数", "在看", "总在看数", "looks", "wows"],
            Column::Shares => &["转发数", "总转发数", "分享数", "shares"],
            Column::HeadlineLooks => &["头条在看数", "headlinelooks"],
            Column::HeadlineLikes => &["头条点赞数", "headlinelikes"],
            Column::HeadlineShares => &["头条转发数", "headlineshares"],
            Column::MaxLooks => &["最高在看数", "maxlooks"],
            Column::MaxShares => &["最高转发数", "maxshares"],
            Column::Posts => &["发布次数", "推送次数", "posts"],
            Column::Wci => &["wci", "微信传播指数", "传播指数", "wci指数"],
        }
    }

    fn from_header(cell: &str) -> Option<Column> {
        Column::from_key(&header_key(cell))
    }

    fn from_key(key: &str) -> Option<Column> {
        Column::ALL
            .iter()
            .copied()
            .find(|c| c.aliases().contains(&key))
    }

    /// The column of a canonical name (`followers`).
    pub fn by_name(name: &str) -> Option<Column> {
        Column::ALL.iter().copied().find(|c| c.name() == name)
    }

    fn is_registry(self) -> bool {
        !matches!(
            self,
            Column::Month
                | Column::Articles
                | Column::Reads
                | Column::Likes
                | Column::HeadlineReads
                | Column::AverageReads
                | Column::MaxReads
                | Column::MaxLikes
                | Column::Looks
                | Column::Shares
                | Column::HeadlineLooks
                | Column::HeadlineLikes
                | Column::HeadlineShares
                | Column::MaxLooks
                | Column::MaxShares
                | Column::Posts
                | Column::Wci
        )
    }

    /// Names the account, in either kind of file.
    fn is_identity(self) -> bool {
        matches!(self, Column::OriginalId | Column::WechatId | Column::Name)
    }
}

/// Header spellings the user's config adds (`[columns]`: `粉丝量 =
/// "followers"`), beside the built-in ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spellings(Vec<(String, Column)>);

impl Spellings {
    /// No spellings beyond the built-in ones.
    pub const fn none() -> Spellings {
        Spellings(Vec::new())
    }

    /// Reads `[columns]`: each spelling names a canonical column. A name
    /// that is no column, a spelling that reduces to nothing, or a built-in
    /// spelling of another column is an error, naming the entry.
    pub fn new<'a>(
        entries: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Spellings, String> {
        let mut spellings = Vec::new();
        for (spelling, name) in entries {
            let column = Column::by_name(name).ok_or_else(|| {
                let names: Vec<&str> = Column::ALL.iter().map(|c| c.name()).collect();
                format!(
                    "`[columns]`: `{spelling} = \"{name}\"` names no column; use one of {}",
                    names.join(", ")
                )
            })?;
            let key = header_key(spelling);
            if key.is_empty() {
                return Err(format!(
                    "`[columns]`: the spelling `{spelling}` is empty once normalised"
                ));
            }
            match Column::from_key(&key) {
                Some(other) if other != column => {
                    return Err(format!(
                    "`[columns]`: `{spelling}` already names `{}`; it cannot also name `{name}`",
                    other.name()
                ))
                }
                _ => spellings.push((key, column)),
            }
        }
        Ok(Spellings(spellings))
    }

    /// The column a header cell names: a built-in spelling, else the user's.
    pub fn column(&self, cell: &str) -> Option<Column> {
        let key = header_key(cell);
        Column::from_key(&key).or_else(|| {
            self.0
                .iter()
                .find_map(|(spelling, column)| (*spelling == key).then_some(*column))
        })
    }
}

/// Every column govwx reads, as a Markdown table per kind of table:
/// what `govwx columns` prints and what the README's "Use your own data"
/// section holds (a test keeps the two equal).
pub fn columns_table() -> String {
    let mut out = String::new();
    for (kind, title) in [
        (
            FileKind::Registry,
            "Registry tables, one row per account and source: the header names \
             `name` or `original_id` and at least one more registry column",
        ),
        (
            FileKind::Activity,
            "Activity tables, one row per account and month: the header names \
             `original_id` or `name`, `month` and `reads`",
        ),
    ] {
        out.push_str(&format!(
            "{title}:\n\n| column | required | meaning | accepted headers |\n|---|---|---|---|\n"
        ));
        for column in Column::of_kind(kind) {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                column.name(),
                column.requirement(kind),
                column.meaning(),
                column.aliases().join(", ")
            ));
        }
        out.push('\n');
    }
    out.push_str(
        "Headers are compared after NFKC, lower-casing, and dropping spaces, `_`, `-`, `*`, `:` \
         and a bracketed unit note, which scales the column (`粉丝数（万）`). Other columns are \
         listed as not read, with the known spelling they are closest to. A `[columns]` table \
         in the config adds spellings: `\"粉丝量\" = \"followers\"`.\n",
    );
    out
}

/// The known spelling closest to a header govwx does not know, when one is
/// close enough to be a likely misspelling (`粉丝量`: `粉丝数`), with the
/// column it names.
pub fn suggest(cell: &str) -> Option<(&'static str, Column)> {
    let key: Vec<char> = header_key(cell).chars().collect();
    // A known spelling used twice, or a column of the other kind of table
    // (`月份 (activity)`), is no misspelling.
    if key.is_empty() || key.len() > 40 || Column::from_header(cell).is_some() {
        return None;
    }
    // One edit in a short spelling, two in a longer one: `开通日期` is two
    // edits from `开通时间`, `name2` one from `name`.
    let allowed = if key.len() <= 3 { 1 } else { 2 };
    Column::ALL
        .iter()
        .copied()
        .flat_map(|column| column.aliases().iter().map(move |alias| (*alias, column)))
        .map(|(alias, column)| (edit_distance(&key, alias), alias, column))
        .filter(|(distance, alias, _)| *distance <= allowed && *distance < alias.chars().count())
        .min_by_key(|(distance, _, _)| *distance)
        .map(|(_, alias, column)| (alias, column))
}

/// Levenshtein distance between characters, for short header spellings.
fn edit_distance(a: &[char], b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

/// The kind of a file, told from its header.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum FileKind {
    Registry,
    Activity,
}

impl FileKind {
    pub fn name(self) -> &'static str {
        self.into()
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
    /// Header cells that name no column read from this kind of table: the
    /// unknown and repeated ones as written, then those of the other kind
    /// with that kind's name (`月份 (activity)`).
    pub extra_columns: Vec<String>,
    /// The header's first non-empty cell and its position, to tell a
    /// repeated header line quickly.
    first_cell: (usize, String),
    /// The user's spellings the header was read with.
    spellings: Spellings,
}

/// The kind of file a column belongs to.
fn kind_of(column: Column) -> FileKind {
    match column.is_registry() {
        true => FileKind::Registry,
        false => FileKind::Activity,
    }
}

impl Schema {
    /// Recognises a header row: `None` when the row is no header, an error
    /// when it is a header whose kind cannot be told (as many registry as
    /// activity columns), which is reported rather than guessed.
    ///
    /// A header is a registry's when it names an account (name or an id)
    /// and one more registry column; an activity table's when it names an
    /// account, a month and reads. When both hold, the kind with more
    /// columns of its own wins: a registry that also carries a month and
    /// reads stays a registry.
    pub fn recognise<'a>(
        cells: impl IntoIterator<Item = &'a str>,
        spellings: &Spellings,
    ) -> Option<Result<Schema, String>> {
        let mut positions = [None; Column::ALL.len()];
        let mut units = [1; Column::ALL.len()];
        let mut unknown = Vec::new();
        let mut width = 0;
        let mut first_cell = None;
        for (index, cell) in cells.into_iter().enumerate() {
            if cell.trim().is_empty() {
                continue;
            }
            // Empty header cells at the end name nothing: rows may stop
            // before them (`…,粉丝数,,,`).
            width = index + 1;
            first_cell.get_or_insert((index, cell.trim().to_owned()));
            match spellings.column(cell) {
                Some(column) if positions[column as usize].is_none() => {
                    positions[column as usize] = u16::try_from(index).ok();
                    units[column as usize] = header_unit(cell);
                }
                _ => unknown.push(cell.trim().to_owned()),
            }
        }
        let has = |c: Column| positions[c as usize].is_some();
        let identity = has(Column::OriginalId) || has(Column::Name);
        let own = |registry: bool| {
            Column::ALL
                .iter()
                .filter(|c| c.is_registry() == registry && !c.is_identity() && has(**c))
                .count()
        };
        let (registry_columns, activity_columns) = (own(true), own(false));
        let named = Column::ALL
            .iter()
            .filter(|c| c.is_identity() && has(**c))
            .count();
        let registry = identity && named + registry_columns >= 2;
        let activity = identity && has(Column::Month) && has(Column::Reads);
        let kind = match (registry, activity) {
            (false, false) => return None,
            (true, false) => FileKind::Registry,
            (false, true) => FileKind::Activity,
            _ if registry_columns > activity_columns => FileKind::Registry,
            _ if activity_columns > registry_columns => FileKind::Activity,
            _ => {
                return Some(Err(format!(
                    "its header has as many registry columns as activity columns \
                     ({registry_columns} each), so its kind cannot be told; \
                     remove the columns of the other kind"
                )))
            }
        };
        // Columns of the other kind are read by nothing in this table.
        let mut extra_columns = Vec::new();
        let mut unknown = unknown.into_iter();
        for index in 0..width {
            let column = Column::ALL
                .iter()
                .copied()
                .find(|c| positions[*c as usize] == u16::try_from(index).ok());
            match column {
                Some(c) if c.is_identity() || c.is_registry() == (kind == FileKind::Registry) => {}
                Some(c) => {
                    positions[c as usize] = None;
                    extra_columns.push(format!("{} ({})", c.aliases()[0], kind_of(c).name()));
                }
                None => {}
            }
        }
        extra_columns.splice(0..0, unknown.by_ref());
        Some(Ok(Schema {
            kind,
            positions,
            units,
            width,
            extra_columns,
            first_cell: first_cell.unwrap_or_default(),
            spellings: spellings.clone(),
        }))
    }

    /// The columns the header maps, in header order.
    pub fn columns(&self) -> impl Iterator<Item = Column> + '_ {
        let mut mapped: Vec<(usize, Column)> = Column::ALL
            .iter()
            .filter_map(|&c| self.position(c).map(|at| (at, c)))
            .collect();
        mapped.sort_unstable();
        mapped.into_iter().map(|(_, c)| c)
    }

    /// Whether a row repeats this header (two exports pasted together):
    /// its first named cell reads as the header's, and every cell names
    /// the same column the header's cell does.
    pub fn is_repeated_by<'a>(&self, cells: impl IntoIterator<Item = &'a str> + Clone) -> bool {
        let (index, text) = &self.first_cell;
        if cells.clone().into_iter().nth(*index).map(str::trim) != Some(text.as_str()) {
            return false;
        }
        let mut seen = 0;
        for (index, cell) in cells.into_iter().enumerate() {
            let expected = Column::ALL
                .iter()
                .copied()
                .find(|c| self.position(*c) == Some(index));
            match expected {
                Some(column) if self.spellings.column(cell) != Some(column) => return false,
                Some(_) => seen += 1,
                None => {}
            }
        }
        seen > 0
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
    let cleaned = crate::text::clean(cell);
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

/// A totals line: one of its first three non-empty cells is a totals word
/// (合计, 总计, 小计, 总数, total, sum …), the first one possibly with more
/// after it (`合计（10个）`) or a place before it (`广东省小计`), and no cell
/// names an account by its original id (`gh_…`).
pub fn is_totals_line<'a>(cells: impl IntoIterator<Item = &'a str> + Clone) -> bool {
    let mut filled = cells
        .clone()
        .into_iter()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let Some(first) = filled.next() else {
        return false;
    };
    // Most rows name an account by its id: the cheaper test first.
    let names_account = cells.into_iter().any(|c| {
        c.trim_start()
            .get(..3)
            .is_some_and(|p| p.eq_ignore_ascii_case("gh_"))
    });
    !names_account && (first_cell_says_totals(first) || filled.take(2).any(cell_is_totals_word))
}

const TOTALS_WORDS: [&str; 4] = ["合计", "总计", "小计", "总数"];
const TOTALS_WORDS_EN: [&str; 5] = ["total", "totals", "sum", "grandtotal", "subtotal"];

fn first_cell_says_totals(first: &str) -> bool {
    // Most first cells are already clean (printable ASCII and ideographs):
    // then their header key is their characters without spaces and
    // separators, lower-cased, and can be compared without building it.
    if crate::text::is_already_clean(first) && !first.contains('(') {
        let key = || {
            first
                .chars()
                .filter(|c| !matches!(c, ' ' | '_' | '-' | '*' | ':'))
                .map(|c| c.to_ascii_lowercase())
        };
        let starts = TOTALS_WORDS
            .iter()
            .any(|w| key().take(w.chars().count()).eq(w.chars()));
        return starts
            || TOTALS_WORDS_EN.iter().any(|w| key().eq(w.chars()))
            || place_subtotal(first);
    }
    let key: String = header_key(first);
    TOTALS_WORDS.iter().any(|w| key.starts_with(w))
        || TOTALS_WORDS_EN.contains(&key.as_str())
        || place_subtotal(&key)
}

/// `广东省小计`, `深圳市合计`: a short cell ending in a totals word.
fn place_subtotal(cell: &str) -> bool {
    cell.chars().count() <= 8 && ["合计", "小计", "总计"].iter().any(|w| cell.ends_with(w))
}

/// A later cell counts only when it is a totals word and nothing else.
fn cell_is_totals_word(cell: &str) -> bool {
    // Cheap refusals first: a totals word is short and has 计, 数 or Latin.
    if cell.len() > 40
        || !cell.chars().any(|c| {
            matches!(c, '计' | '数')
                || c.is_ascii_alphabetic()
                || ('\u{FF00}'..='\u{FFEF}').contains(&c)
        })
    {
        return false;
    }
    let key = header_key(cell);
    TOTALS_WORDS.contains(&key.as_str()) || TOTALS_WORDS_EN.contains(&key.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_lines_read_the_same_with_or_without_the_fast_path() {
        // The definition: the header key starts with a totals word, is one,
        // or is a short place ending in one.
        let by_key = |cell: &str| {
            let key = header_key(cell);
            TOTALS_WORDS.iter().any(|w| key.starts_with(w))
                || TOTALS_WORDS_EN.contains(&key.as_str())
                || (key.chars().count() <= 8
                    && ["合计", "小计", "总计"].iter().any(|w| key.ends_with(w)))
        };
        for cell in [
            "合计",
            "合 计",
            "合计:",
            "总计(万)",
            "(合计)",
            "小计_广东",
            "广东省小计",
            "总数",
            "计合",
            "Total",
            "TOTALS",
            "grand-total",
            "Grand Total",
            "Subtotal",
            "sum",
            "summary",
            "gh_0123456789ab",
            "深圳发布",
            "Ｔｏｔａｌ",
            "合\u{200B}计",
            "-",
            "_",
        ] {
            assert_eq!(first_cell_says_totals(cell), by_key(cell), "{cell}");
        }
    }

    fn schema<'a>(cells: impl IntoIterator<Item = &'a str>) -> Schema {
        Schema::recognise(cells, &Spellings::default())
            .expect("a header")
            .expect("of one kind")
    }

    #[test]
    fn chinese_and_english_headers_are_recognised() {
        let s = schema([
            "账号名称",
            "微信号",
            "原始ID",
            "省份",
            "粉丝数（人）",
            "备注",
        ]);
        assert_eq!(s.kind, FileKind::Registry);
        assert_eq!(s.position(Column::OriginalId), Some(2));
        assert_eq!(s.position(Column::Followers), Some(4));
        assert_eq!(s.extra_columns, vec!["备注".to_owned()]);
        assert_eq!(s.unit(Column::Followers), 1);
        let s = schema(["名称", "省份", "粉丝数（万）", "Reads (K)"]);
        assert_eq!(s.unit(Column::Followers), 10_000);
        assert_eq!(
            s.position(Column::Reads),
            None,
            "reads are not read from a registry"
        );
        assert_eq!(s.extra_columns, vec!["阅读数 (activity)".to_owned()]);
        assert_eq!(s.unit(Column::Name), 1);
        let s = schema(["original_id", "name", "Province"]);
        assert_eq!(s.position(Column::Province), Some(2));
        let s = schema(["原始ID", "统计月份", "阅读数", "点赞数"]);
        assert_eq!(s.kind, FileKind::Activity);
    }

    #[test]
    fn the_kind_with_more_columns_of_its_own_wins_and_a_tie_is_refused() {
        let s = schema(["名称", "原始ID", "省份", "城市", "粉丝数", "月份", "阅读数"]);
        assert_eq!(s.kind, FileKind::Registry);
        assert_eq!(s.position(Column::Month), None);
        let s = schema(["名称", "省份", "统计日期", "阅读量", "点赞数"]);
        assert_eq!(s.kind, FileKind::Activity);
        assert_eq!(s.position(Column::Province), None);
        assert_eq!(s.extra_columns, vec!["省份 (registry)".to_owned()]);
        let tie = Schema::recognise(
            ["名称", "省份", "粉丝数", "月份", "阅读数"],
            &Spellings::default(),
        )
        .expect("a header");
        assert!(tie.unwrap_err().contains("kind cannot be told"));
    }

    #[test]
    fn empty_header_cells_at_the_end_do_not_widen_the_table() {
        let s = schema(["名称", "", "省份", "粉丝数", "", " ", ""]);
        assert_eq!(s.width, 4);
        assert!(s.extra_columns.is_empty());
    }

    #[test]
    fn a_repeated_header_is_told_from_a_row() {
        let s = schema(["名称", "原始ID", "省份"]);
        assert!(s.is_repeated_by(["名称", "原始ID", "省份"]));
        assert!(s.is_repeated_by([" 名称", "原始ID", "省份", ""]));
        assert!(!s.is_repeated_by(["名称", "gh_000000000001", "广东"]));
        assert!(!s.is_repeated_by(["深圳发布", "原始ID", "省份"]));
        assert!(!s.is_repeated_by([""]));
    }

    #[test]
    fn close_misspellings_are_suggested_and_far_ones_are_not() {
        assert_eq!(suggest("粉丝量"), Some(("粉丝数", Column::Followers)));
        assert_eq!(suggest("Name2").map(|(_, c)| c), Some(Column::Name));
        assert_eq!(
            suggest("开通日期").map(|(_, c)| c),
            Some(Column::RegisteredAt)
        );
        assert_eq!(suggest("备注"), None);
        assert_eq!(suggest("省份"), None, "a known spelling used twice");
        assert_eq!(suggest("月份 (activity)"), None);
        assert_eq!(suggest(""), None);
        assert_eq!(suggest(&"长".repeat(1000)), None);
    }

    #[test]
    fn title_lines_and_summaries_are_not_headers() {
        assert!(Schema::recognise(
            ["广东省政务微信账号统计表（2014年12月）"],
            &Spellings::default()
        )
        .is_none());
        assert!(Schema::recognise(["名称"], &Spellings::default()).is_none());
        assert!(Schema::recognise(["省份", "账号数"], &Spellings::default()).is_none());
    }

    #[test]
    fn totals_lines() {
        assert!(is_totals_line(["合计", "", "6139"]));
        assert!(is_totals_line(["", "总 计"]));
        assert!(is_totals_line(["Total", "3"]));
        assert!(is_totals_line(["广东", "小计", "", "3000"]));
        assert!(is_totals_line(["广东", "深圳", "合计", "3000"]));
        assert!(
            !is_totals_line(["广东", "深圳", "南山", "合计"]),
            "only the first three cells"
        );
        assert!(!is_totals_line(["合肥发布", "x"]));
        assert!(
            !is_totals_line(["深圳发布", "合计发布"]),
            "later cells must be the word alone"
        );
        assert!(
            !is_totals_line(["合计发布", "gh_000000000001"]),
            "an id names an account"
        );
    }
}
