//! Every string the UI shows, in English and Simplified Chinese.
//!
//! Fixed strings go through [`t`] with a [`Key`]; strings with numbers or names in them
//! have their own function below, so each language can order its words its own way.

pub mod history;
pub mod problems;

pub use history::{origin_text, said_text};
pub use problems::api_error_text;

use storeops_api::org::RaciRole;
use storeops_api::{
    Cadence, KpiMetric, PlanLevel, PlanStatus, Priority, ReportStatus, ReviewKind, Role, TaskStatus,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// The English or the Chinese of the two.
    pub fn pick<T>(self, en: T, zh: T) -> T {
        match self {
            Self::En => en,
            Self::Zh => zh,
        }
    }

    /// Reads a BCP 47 tag: any `zh…` is Simplified Chinese, any `en…` English.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let tag = tag.trim().to_ascii_lowercase();
        if tag.starts_with("zh") {
            Some(Self::Zh)
        } else if tag.starts_with("en") {
            Some(Self::En)
        } else {
            None
        }
    }

    /// The tag for `<html lang>`, `Intl` and local storage.
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Zh => "zh-CN",
        }
    }

    pub fn other(self) -> Self {
        match self {
            Self::En => Self::Zh,
            Self::Zh => Self::En,
        }
    }
}

/// Defines [`Key`], one variant a fixed string, and [`t`], its text in each language,
/// from one table: each key written once, with its English and Chinese side by side.
macro_rules! keys {
    ($($(#[$doc:meta])* $key:ident => ($en:expr, $zh:expr $(,)?),)*) => {
        /// Every fixed string, in both languages side by side: [`t`] looks it up.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Key {
            $($(#[$doc])* $key,)*
        }

        pub fn t(lang: Lang, key: Key) -> &'static str {
            let (en, zh) = match key {
                $(Key::$key => ($en, $zh),)*
            };
            lang.pick(en, zh)
        }
    };
}

keys! {
    AppName => ("Storeops", "Storeops 门店运营"),
    Loading => ("Loading…", "正在加载…"),
    Retry => ("Try again", "重试"),
    Dismiss => ("Dismiss", "关闭"),
    /// The language toggle's text: the name of the *other* language, in that language.
    OtherLanguage => ("中文", "English"),
    SwitchLanguage => ("切换到中文", "Switch to English"),
    EnrolTitle => ("Set up this device", "设置此设备"),
    EnrolIntro => (
        "Ask your manager for an invite code, then join your store. You only need to do this once.",
        "请向店长索取邀请码，然后加入门店。此操作只需进行一次。",
    ),
    RelayUrl => ("Relay address", "中继地址"),
    RelayUrlHint => (
        "The sync server given with your invite.",
        "邀请中附带的同步服务器地址。",
    ),
    InviteCode => ("Invite code", "邀请码"),
    InviteCodeHint => (
        "Type it exactly as shown on the invite.",
        "请按邀请中显示的内容准确输入。",
    ),
    DeviceName => ("Device name", "设备名称"),
    DeviceNameHint => (
        "How this device appears to your team, e.g. “Front counter tablet”.",
        "团队看到的此设备名称，例如“前台平板”。",
    ),
    DefaultDeviceName => ("My device", "我的设备"),
    DefaultPhoneName => ("My phone", "我的手机"),
    LinkForAnotherRelay => (
        "This invite is for another relay. Open the link itself on this phone: it opens the app from its own relay.",
        "此邀请属于另一个中继。请在手机上直接打开邀请链接，它会从自己的中继打开应用。",
    ),
    OpenElsewhereTitle => (
        "Storeops is open in another tab",
        "Storeops 已在另一个标签页中打开",
    ),
    OpenElsewhereBody => (
        "One tab at a time keeps this device's data. Use it here, and the other tab stops.",
        "同一时间只有一个标签页保管此设备的数据。在这里使用后，另一个标签页会停止。",
    ),
    UseHere => ("Use here", "在此使用"),
    TakenOverTitle => (
        "Storeops was opened in another tab",
        "Storeops 已在另一个标签页中打开",
    ),
    TakenOverBody => (
        "This tab has stopped so that nothing is written twice. Your changes are kept.",
        "为避免重复写入，此标签页已停止。你的更改都已保留。",
    ),
    Reload => ("Reload", "重新加载"),
    DamagedTitle => (
        "This browser’s copy of the store can’t be read",
        "无法读取此浏览器中的门店数据",
    ),
    DamagedBody => (
        "What was synced is safe on the relay. Try again; if it still fails, start again in this browser and open a new invite link from your manager.",
        "已同步的内容都安全保存在中继上。请重试；如果仍然失败，请在此浏览器中重新开始，并打开经理发给你的新邀请链接。",
    ),
    StartAfresh => ("Start again in this browser", "在此浏览器中重新开始"),
    StartAfreshConfirm => (
        "This deletes this browser’s copy. Changes that had not reached the relay are lost. Delete it?",
        "这会删除此浏览器中的副本，尚未同步到中继的更改将会丢失。确定删除吗？",
    ),
    DeleteAndStartAgain => ("Delete and start again", "删除并重新开始"),
    Deleting => ("Deleting…", "正在删除…"),
    StartAfreshFailed => (
        "The browser would not delete its copy. Close the app’s other tabs and try again.",
        "浏览器无法删除副本。请关闭应用的其他标签页后重试。",
    ),
    StorageClearedTitle => (
        "This browser no longer has the store",
        "此浏览器中的门店数据已不存在",
    ),
    StorageClearedBody => (
        "The browser removed the app’s data (to free space, or its site data was cleared). What was synced is safe on the relay; changes made here that had not synced could not be kept. Open a new invite link from your manager to carry on.",
        "浏览器删除了应用的数据（为释放空间，或网站数据被清除）。已同步的内容都安全保存在中继上；在此设备上尚未同步的更改无法保留。请打开经理发给你的新邀请链接继续使用。",
    ),
    AlreadyEnrolled => (
        "This browser is already set up for a store, so the invite was not used. To use it instead, sign out in Settings first: it says whether any changes have not synced yet.",
        "此浏览器已经加入了一个门店，因此没有使用这个邀请。如需改用此邀请，请先在“设置”中退出；退出前会提示是否有尚未同步的更改。",
    ),
    InviteLinkIncomplete => (
        "This invite link is incomplete: it has no code. Ask for the link again and open it whole.",
        "此邀请链接不完整，缺少邀请码。请重新索取链接并完整打开。",
    ),
    UpdateReady => (
        "A new version of Storeops is ready.",
        "Storeops 有新版本可用。",
    ),
    EnrolButton => ("Join store", "加入门店"),
    Enrolling => ("Joining…", "正在加入…"),
    FillAllFields => (
        "Please fill in the relay address, invite code and device name.",
        "请填写中继地址、邀请码和设备名称。",
    ),
    RoleManager => ("Manager", "店长"),
    RoleStaff => ("Staff", "店员"),
    Online => ("Online", "在线"),
    Offline => ("Offline", "离线"),
    SyncNow => ("Sync now", "立即同步"),
    Syncing => ("Syncing…", "正在同步…"),
    NeverSynced => ("not synced yet", "尚未同步"),
    StoreArriving => ("waiting for the store's data", "正在等待门店数据"),
    AllChangesSynced => ("all changes synced", "所有更改已同步"),
    SyncProblem => ("Sync problem", "同步出现问题"),
    NewTaskLabel => ("New task", "新任务"),
    NewTaskPlaceholder => ("What needs doing?", "需要做什么？"),
    AddTask => ("Add", "添加"),
    Adding => ("Adding…", "正在添加…"),
    OpenGroup => ("To do", "待办"),
    DoneGroup => ("Done", "已完成"),
    NoTasks => (
        "No tasks yet. Add the first one above.",
        "还没有任务。在上方添加第一个任务吧。",
    ),
    NoOpenTasks => (
        "Nothing left to do. Well done!",
        "所有任务都已完成，干得好！",
    ),
    MarkDone => ("Mark as done", "标记为已完成"),
    MarkNotDone => ("Mark as not done", "标记为未完成"),
    DueToday => ("Due today", "今天截止"),
    Assignee => ("Assigned to", "负责人"),
    Department => ("Department", "部门"),
    Duty => ("From duty", "来自例行职责"),
    /// What a task was made from: a meeting's action item or a plan's item.
    Origin => ("Origin", "来源"),
    Saved => ("Saved", "已保存"),
    MainNav => ("Screens", "页面"),
    NavToday => ("Today", "今日"),
    NavDuties => ("Duties", "职责"),
    NavOrg => ("Org chart", "组织架构"),
    NavSettings => ("Settings", "设置"),
    NavMore => ("More", "更多"),
    ScreenLoadFailed => (
        "This screen couldn’t be loaded. See the message above, then try again.",
        "此页面加载失败。请查看上方的提示，然后重试。",
    ),
    TotalDepartments => ("Departments", "部门"),
    TotalPositions => ("Positions", "岗位"),
    TotalVacancies => ("Vacancies", "空缺"),
    TotalUncovered => ("Uncovered duties", "无人负责的职责"),
    ShowUncovered => ("Show them", "查看"),
    DepartmentHead => ("Head", "负责人"),
    Vacant => ("Vacant", "空缺"),
    NoPositions => ("No positions yet.", "暂无岗位。"),
    NoDepartments => (
        "No departments yet. A manager sets up the org chart.",
        "还没有部门。组织架构由管理人员设置。",
    ),
    DutyFilters => ("Filter duties", "筛选职责"),
    FilterAll => ("All", "全部"),
    FilterUncovered => ("Uncovered only", "仅看无人负责"),
    CadenceFilter => ("How often", "周期"),
    AllCadences => ("Any cadence", "全部周期"),
    DepartmentDuties => ("Whole department", "部门整体"),
    HeldBy => ("Held by", "在岗"),
    Owner => ("Owner", "负责"),
    Uncovered => ("No one covers this", "无人负责"),
    AllDutiesCovered => ("Every duty has someone to do it.", "所有职责都有人负责。"),
    NoDuties => (
        "No duties yet. A manager adds them to departments and positions.",
        "还没有职责。职责由管理人员添加到部门和岗位。",
    ),
    NoMatchingDuties => ("No duties match this filter.", "没有符合筛选条件的职责。"),
    LanguageSection => ("Language", "语言"),
    StoreSection => ("Store", "门店"),
    StoreName => ("Name", "名称"),
    TimeZone => ("Time zone", "时区"),
    DeviceSection => ("This device", "本设备"),
    Role => ("Role", "角色"),
    SyncSection => ("Sync", "同步"),
    Connection => ("Connection", "连接"),
    LastSynced => ("Last synced", "上次同步"),
    Changes => ("Changes", "更改"),
    InviteSection => ("Invite a device", "邀请设备"),
    InviteIntro => (
        "Create a one-time code for a new phone, tablet or laptop, and enter it there with the relay address.",
        "为新的手机、平板或电脑生成一次性邀请码，在该设备上连同中继地址一起输入。",
    ),
    InviteRole => ("Role", "角色"),
    CreateInvite => ("Create invite code", "生成邀请码"),
    CreatingInvite => ("Creating…", "正在生成…"),
    InviteRelayHint => ("Relay address to enter with it", "需一同输入的中继地址"),
    Copy => ("Copy", "复制"),
    Copied => ("Copied", "已复制"),
    CopyFailed => (
        "Couldn’t copy. Select the code and copy it yourself.",
        "无法复制，请选中邀请码后手动复制。",
    ),
    SignOutSection => ("Sign out", "退出"),
    SignOut => ("Sign out of this device", "让此设备退出门店"),
    ConfirmSignOut => ("Yes, sign out", "确认退出"),
    SigningOut => ("Signing out…", "正在退出…"),
    Cancel => ("Cancel", "取消"),
    NavTeam => ("Team", "团队"),
    NavTask => ("Task", "任务详情"),
    Back => ("Back", "返回"),
    OpenTask => ("Open task", "查看任务"),
    Status => ("Status", "状态"),
    Priority => ("Priority", "优先级"),
    Due => ("Due", "截止"),
    NoDueDate => ("No due date", "无截止日期"),
    Unassigned => ("Unassigned", "未分配"),
    Description => ("Description", "说明"),
    NoDescription => ("No description.", "暂无说明。"),
    Checklist => ("Checklist", "检查清单"),
    NoChecklist => ("No checklist items yet.", "还没有检查项。"),
    NewChecklistItem => ("New checklist item", "新检查项"),
    NewChecklistPlaceholder => ("Add a step…", "添加一个步骤…"),
    AddItem => ("Add", "添加"),
    Comments => ("Comments", "评论"),
    NoComments => ("No comments yet.", "还没有评论。"),
    NewComment => ("New comment", "新评论"),
    NewCommentPlaceholder => ("Write a comment…", "写下评论…"),
    AddComment => ("Comment", "发表"),
    History => ("History", "变更记录"),
    NoHistory => ("No changes recorded yet.", "暂无变更记录。"),
    ReadOnlyTask => (
        "You can read this task and comment, but not change its progress.",
        "你可以查看此任务并发表评论，但不能更改其进度。",
    ),
    ReassignSection => ("Assign", "分配"),
    ReassignTo => ("Assign to", "分配给"),
    ReassignButton => ("Reassign", "重新分配"),
    Reassigning => ("Reassigning…", "正在分配…"),
    PositionsGroup => ("Positions", "岗位"),
    PeopleGroup => ("People", "人员"),
    TeamGrouping => ("Group by", "分组方式"),
    ByOwner => ("Assignee", "按负责人"),
    ByStatus => ("Status", "按状态"),
    NoOpenWork => (
        "No open work. Everything assigned is done.",
        "没有未完成的工作。",
    ),
    MoveAllTo => ("Move all open work to…", "将全部未完成工作转给…"),
    MoveAll => ("Move", "转移"),
    Moving => ("Moving…", "正在转移…"),
    AddPersonTitle => ("Add a person", "添加人员"),
    PersonName => ("Name", "姓名"),
    PersonContact => ("Contact", "联系方式"),
    PersonContactHint => ("Phone or email; optional.", "电话或邮箱，可不填。"),
    PersonPosition => ("Position", "岗位"),
    NoPosition => ("No position yet", "暂不安排岗位"),
    AddPersonButton => ("Add person", "添加人员"),
    AddingPerson => ("Adding…", "正在添加…"),
    PersonNameNeeded => ("Please enter the person’s name.", "请输入人员姓名。"),
    InvitePerson => ("For whom", "使用人"),
    ChoosePerson => ("Choose a person", "选择使用人"),
    RoleFromPositions => ("(from their positions)", "（由其岗位决定）"),
    RoleDepartmentManager => ("Department manager", "部门经理"),
    RoleOperationsManager => ("Operations manager", "运营经理"),
    RoleDirector => ("Director", "运营总监"),
    NavPlans => ("Plans", "计划"),
    NavMeetings => ("Meetings", "会议"),
    NavFeedback => ("Feedback", "问题反馈"),
    NavDashboard => ("Dashboard", "看板"),
    NavChain => ("Chain", "连锁看板"),
    StoreSwitcher => ("Store shown", "当前门店"),
    CompareStores => ("All stores", "各店对比"),
    ChainIntro => (
        "Every store on this device, worst first: lowest completion, then most overdue.",
        "本机的每家门店，最差的在前：完成率最低的在前，其次是逾期最多的。",
    ),
    ChainCompletion => ("Completion by store", "各店完成率"),
    ChainOnTime => ("On time by store", "各店按时率"),
    ChainOverdue => ("Overdue tasks by store", "各店逾期任务"),
    ChainFeedback => ("Open problem reports by store", "各店未解决的问题反馈"),
    ChainPlans => ("Plan progress by store", "各店计划进度"),
    OpenFeedback => ("Open reports", "未解决反馈"),
    OpenThisStore => ("Open this store", "进入该店"),
    ShownNow => ("Shown now", "当前显示"),
    NoStoreFigures => (
        "No figures yet: this device is not a manager there, or the store's data has not arrived.",
        "暂无数据：这台设备在该店不是经理，或该店的数据还没有到达。",
    ),
    AddStoreTitle => ("Add another store", "添加门店"),
    AddStoreIntro => (
        "Redeem an invite to another store. This device then holds it beside the stores it has, each kept apart; switch between them at the top.",
        "输入另一家门店的邀请码。这台设备会同时保有这家门店，各店数据分开保存；在页面顶部切换门店。",
    ),
    AddStoreButton => ("Add store", "添加门店"),
    AddingStore => ("Adding…", "正在添加…"),
    PlanTitleNeeded => ("Please give the plan a title.", "请输入计划标题。"),
    TaskTitleNeeded => ("Please give the task a title.", "请输入任务标题。"),
    PlanOwnerNeeded => (
        "Please pick the position that owns the plan.",
        "请选择负责该计划的岗位。",
    ),
    PlanPeriodInvalid => (
        "The period doesn’t match the level: write 2026 for a year, 2026-11 for a month, 2026-W48 for a week.",
        "期间格式不对：年度计划写 2026，月度写 2026-11，周计划写 2026-W48。",
    ),
    ItemTextNeeded => ("Please say what needs doing.", "请写明要做的事。"),
    ReturnNeedsComment => (
        "Please say why you are returning the plan.",
        "退回计划时请写明原因。",
    ),
    CommentNeeded => ("Please write the comment first.", "请先写下评论内容。"),
    MeetingTitleNeeded => ("Please give the meeting a title.", "请输入会议名称。"),
    MeetingDateNeeded => ("Please pick the meeting’s date.", "请选择会议日期。"),
    ReportTextNeeded => ("Please describe the problem.", "请描述遇到的问题。"),
    ResolutionNeeded => ("Please say how it was resolved.", "请写明是如何解决的。"),
    PhotoUnreadable => (
        "This photo couldn’t be read. Try another, or send without one.",
        "无法读取这张照片，请换一张或不附照片发送。",
    ),
    PhotoTooLarge => (
        "This photo is still too large once shrunk. Please pick another.",
        "照片压缩后仍然太大，请换一张。",
    ),
    NavAssessment => ("Assessment", "考核"),
    KpiNameNeeded => ("Please give the KPI a name.", "请输入指标名称。"),
    SubjectNeeded => (
        "Please pick a department or a person.",
        "请选择部门或人员。",
    ),
    TargetInvalid => (
        "Please write the target as a percentage from 0 to 100, e.g. 95.",
        "请以 0 到 100 的百分比填写目标，例如 95。",
    ),
    KpiValueInvalid => (
        "Please write the value as a percentage from 0 to 100.",
        "请以 0 到 100 的百分比填写数值。",
    ),
    MonthInvalid => (
        "Please write the period as a month, e.g. 2026-11.",
        "请以月份填写期间，例如 2026-11。",
    ),
    ScoreInvalid => (
        "Please give a score from 0 to 100.",
        "请填写 0 到 100 的分数。",
    ),
    AwardTitleNeeded => ("Please give the award a title.", "请输入奖项名称。"),
    AwardPersonNeeded => ("Please pick who receives the award.", "请选择获奖人。"),
    TrainingTitleNeeded => ("Please give the training a title.", "请输入培训名称。"),
    TrainingSessionNeeded => (
        "Please add at least one session with a date and a topic.",
        "请至少添加一场有日期和主题的培训。",
    ),
    SurveyTitleNeeded => ("Please give the survey a title.", "请输入调查名称。"),
    BackendUnavailable => (
        "Can’t reach the Storeops app. Please restart it.",
        "无法连接到 Storeops 应用，请重新启动应用。",
    ),
    NeedsUpdate => (
        "Some of the store’s data comes from a newer version of Storeops. It is shown read-only: update the app to change it.",
        "部分门店数据来自更新版本的 Storeops，目前只能查看。请更新应用后再修改。",
    ),
    UnreadableHint => (
        "Everything else is shown. The item was written by a faulty device; fix or remove it there:",
        "其余内容正常显示。该内容由出错的设备写入，请在那台设备上修正或删除：",
    ),
    BadReply => (
        "The app sent a reply this screen doesn’t understand.",
        "应用返回了无法识别的数据。",
    ),
    AddDepartment => ("Add department", "添加部门"),
    NewDepartment => ("New department", "新部门"),
    EditDepartment => ("Edit department", "编辑部门"),
    DepartmentName => ("Name", "名称"),
    ParentDepartment => ("Sits under", "上级部门"),
    TopLevel => ("— Top level —", "— 顶层 —"),
    HeadPosition => ("Head position", "部门负责岗位"),
    NoHead => ("No head", "无负责岗位"),
    SaveDepartment => ("Save department", "保存部门"),
    Saving => ("Saving…", "正在保存…"),
    Edit => ("Edit", "编辑"),
    AddPosition => ("Add position", "添加岗位"),
    NewPosition => ("New position", "新岗位"),
    EditPosition => ("Edit position", "编辑岗位"),
    PositionTitle => ("Title", "岗位名称"),
    PositionDepartment => ("Department", "所属部门"),
    ChooseDepartment => ("Choose a department", "请选择部门"),
    ReportsTo => ("Reports to", "汇报对象"),
    ReportsToNone => ("No one", "无"),
    Headcount => ("Headcount", "编制人数"),
    HeadcountHint => (
        "How many people the position is for: 1 to 50.",
        "该岗位的人数：1 至 50。",
    ),
    SavePosition => ("Save position", "保存岗位"),
    PeopleSection => ("People and their positions", "人员与岗位"),
    PeopleIntro => (
        "Who holds which positions. Someone who leaves hands their open tasks to their first position.",
        "每个人担任哪些岗位。人员离职后，其未完成的任务转给其第一个岗位。",
    ),
    PersonPositions => ("Positions held", "担任岗位"),
    SavePerson => ("Save positions", "保存岗位"),
    MarkLeft => ("Mark as left", "标记为已离职"),
    ConfirmLeft => ("Yes, they have left", "确认已离职"),
    FormerStaff => ("Former staff", "已离职人员"),
    Rejoin => ("Back again", "重新入职"),
    NoPeople => ("No one has been added yet.", "尚未添加人员。"),
    HoldsNothing => ("No position", "无岗位"),
    NameNeeded => ("Please enter a name.", "请输入名称。"),
    ParentLoop => (
        "A department can’t sit under itself or a department below it.",
        "部门不能隶属于自身或其下级部门。",
    ),
    TitleNeeded => ("Please enter the position’s title.", "请输入岗位名称。"),
    DepartmentNeeded => ("Please choose a department.", "请选择部门。"),
    HeadcountRange => (
        "Headcount is a whole number from 1 to 50.",
        "编制人数须为 1 至 50 的整数。",
    ),
    ReportsToLoop => (
        "A position can’t report to itself or to a position below it.",
        "岗位不能向自身或其下级岗位汇报。",
    ),
    AddDuty => ("Add duty", "添加职责"),
    NewDuty => ("New duty", "新职责"),
    EditDuty => ("Edit duty", "编辑职责"),
    DutyText => ("Duty", "职责内容"),
    DutyOwner => ("Owner", "负责方"),
    NoOwner => ("No owner yet", "暂无负责方"),
    DepartmentsGroup => ("Departments", "部门"),
    DutyCadence => ("How often", "频率"),
    RaciSection => ("RACI (optional)", "RACI 分工（可选）"),
    Responsible => ("Responsible", "执行"),
    Accountable => ("Accountable", "审批"),
    Consulted => ("Consulted", "咨询"),
    Informed => ("Informed", "知会"),
    Nobody => ("—", "—"),
    SaveDuty => ("Save duty", "保存职责"),
    DutyTextNeeded => ("Please describe the duty.", "请填写职责内容。"),
    CadenceNeeded => (
        "Please choose how often the duty comes round.",
        "请选择职责频率。",
    ),
    CreateTaskNow => ("Create task now", "立即生成任务"),
    Creating => ("Creating…", "正在生成…"),
    MyDuties => ("My duties", "我的职责"),
    NoMyDuties => ("You have no standing duties yet.", "你目前没有固定职责。"),
    NoNextTask => ("No task yet", "暂无任务"),
    YourDuty => ("Yours", "本人负责"),
    OverdueGroup => ("Overdue", "已逾期"),
    MissedGroup => ("Missed", "已错过"),
    TodayGroup => ("Today", "今天"),
    NoDateGroup => ("No date", "无截止日期"),
    UpcomingGroup => ("Upcoming", "即将到期"),
    DoneTodayGroup => ("Done today", "今日已完成"),
    NothingToday => ("Nothing due today.", "今天没有到期的任务。"),
    JoinTab => ("Join with an invite code", "用邀请码加入"),
    OpenStoreTab => ("Open a new store", "开设新门店"),
    OpenStoreTitle => ("Open a new store", "开设新门店"),
    OpenStoreIntro => (
        "Start a store from one of the ready-made plans. This device becomes the store’s director; invite your team from Settings afterwards.",
        "从现成的分工方案开设门店。此设备将成为门店的运营总监；之后可在“设置”中邀请团队成员。",
    ),
    StoreCode => ("New-store code", "开店码"),
    StoreCodeHint => (
        "The one-time code from whoever runs your relay.",
        "由同步服务器管理员提供的一次性代码。",
    ),
    NewStoreName => ("Store name", "门店名称"),
    StoreLanguage => ("Store language", "门店语言"),
    StoreTimeZone => ("Time zone", "时区"),
    CommonTimeZones => ("Common time zones", "常用时区"),
    AllTimeZones => ("All time zones", "全部时区"),
    StoreTemplate => ("Plan to start from", "初始分工方案"),
    OpenStoreButton => ("Open store", "开设门店"),
    OpeningStore => ("Opening…", "正在开设…"),
    FillStoreFields => (
        "Please fill in the relay address, new-store code, store name and device name.",
        "请填写同步服务器地址、开店码、门店名称和设备名称。",
    ),
    InviteLinkLabel => ("For the desktop app: send this link", "桌面应用：发送此链接"),
    InvitePhoneLabel => (
        "For a phone: scan the code with its camera, or send it this link",
        "手机：用相机扫描此二维码，或把此链接发给它",
    ),
    InviteQrLabel => ("QR code of the invite link", "邀请链接的二维码"),
    CopyLink => ("Copy link", "复制链接"),
    ActionItems => ("Action items", "行动项"),
    ActionsToTasks => ("Turn action items into tasks", "将行动项转为任务"),
    AddAction => ("Add action item", "添加行动项"),
    CommentPlan => ("Comment", "发表评论"),
    Agenda => ("Agenda", "议程"),
    AgendaHint => ("One item per line", "每行一项"),
    AllMeetings => ("All meetings", "全部会议"),
    ApprovePlan => ("Approve", "批准"),
    Approver => ("Approver", "审批人"),
    Approving => ("Approving…", "正在批准…"),
    Attendees => ("Attendees", "参会人员"),
    BackToDashboard => ("Back to dashboard", "返回看板"),
    Cascade => ("Plan cascade", "计划层级"),
    Category => ("Category", "类别"),
    Close => ("Close", "关闭"),
    Completion => ("Completion", "完成率"),
    CompletionAndOnTime => ("Completion and on-time rate by week", "每周完成率与按时率"),
    CompletionByDept => ("Completion rate by department", "各部门完成率"),
    CompletionByPerson => ("Completion rate by person", "个人完成率"),
    Covered => ("Covered", "有人负责"),
    CreateMeeting => ("Create meeting", "创建会议"),
    CreatePlan => ("Create plan", "创建计划"),
    CreatingRecord => ("Creating…", "正在创建…"),
    Decision => ("Review", "审批"),
    DepartmentNumbers => ("Department numbers this week", "本周各部门数据"),
    DueDate => ("Due date", "截止日期"),
    DueTime => ("Due time", "截止时间"),
    SearchTasks => ("Find tasks", "查找任务"),
    SearchTasksHint => ("Find tasks by words…", "按关键词查找任务…"),
    AnyStatus => ("Any status", "任意状态"),
    OverdueOnly => ("Overdue only", "仅逾期"),
    ClearSearch => ("Clear", "清除"),
    DevicesSection => ("Devices of the store", "门店设备"),
    DevicesIntro => ("The devices you could have invited. A revoked device is cut off at once and can no longer sign in; what it synced stays.", "您可邀请的设备。撤销后该设备立即断开且无法再登录；已同步的内容会保留。"),
    ThisDevice => ("This device", "本设备"),
    Revoked => ("Revoked", "已撤销"),
    Revoke => ("Revoke", "撤销"),
    NoPerson => ("For no one", "未关联人员"),
    MarkDoneAnyway => ("Mark done anyway", "仍然标记为完成"),
    FeedbackRoutes => ("Where reports go", "问题反馈的去向"),
    FeedbackRoutesIntro => ("Each category of problem goes to the department chosen here; a report can also be sent on by whoever handles it.", "每类问题会转给这里选定的部门；处理人也可以把单条反馈转给其他部门。"),
    SendTo => ("Send to", "转给"),
    YourName => ("Your name", "您的姓名"),
    YourNameHint => ("You join the org chart in the plan's top position; you can change that later.", "您将以计划中最高岗位加入组织架构，之后可以调整。"),
    TaskDetails => ("Details", "详情"),
    ChecklistLinesHint => ("One step per line", "每行一个步骤"),
    DutyCoverage => ("Duty coverage", "职责覆盖"),
    FeedbackCounts => ("Problem reports", "问题反馈"),
    KpiVsTarget => ("KPIs against target", "KPI 与目标"),
    LoadingPhoto => ("Loading photo…", "正在加载照片…"),
    MeetingDate => ("Date", "日期"),
    MeetingTitle => ("Title", "会议名称"),
    MeetingTitleHint => ("e.g. Weekly operations meeting", "例如：运营周例会"),
    Minutes => ("Minutes", "会议纪要"),
    MinutesHint => ("What was discussed and decided", "讨论和决定的事项"),
    ManagersOnlyMinutes => ("Minutes for managers only", "纪要仅限管理人员查看"),
    ManagersOnlyMinutesHint => ("Staff devices never receive these minutes; the agenda and action items stay visible.", "员工设备不会收到这份纪要；议程和行动项仍对所有人可见。"),
    ManagersMinutes => ("Managers' minutes", "管理层纪要"),
    MinutesForManagers => ("The minutes of this meeting are for managers only.", "本次会议纪要仅限管理人员查看。"),
    NewAction => ("New action item", "新行动项"),
    NewAgendaItem => ("New agenda item", "新议程"),
    NewItem => ("New item", "新条目"),
    NewItemHint => ("What will be done?", "要完成什么？"),
    NewMeeting => ("New meeting", "新建会议"),
    NewPlan => ("New plan", "新建计划"),
    NoActions => ("No action items yet.", "暂无行动项。"),
    NoAgenda => ("No agenda yet.", "暂无议程。"),
    NoDepartmentsYet => ("No departments yet.", "暂无部门。"),
    NoDutiesYet => ("No duties yet", "暂无职责"),
    NoKpis => ("No KPIs set yet.", "尚未设定 KPI。"),
    NoMeetings => ("No meetings yet.", "暂无会议。"),
    NoMinutes => ("No minutes yet.", "暂无会议纪要。"),
    NoNumbers => ("No numbers for this week yet.", "本周暂无数据。"),
    NoParent => ("None (top of the cascade)", "无（最上层）"),
    NoPeopleYet => ("No people yet.", "暂无人员。"),
    NoPlanItems => ("No items yet.", "暂无条目。"),
    NoPlansStaff => ("No plans to show yet.", "暂无可查看的计划。"),
    NoPlansYet => (
        "No plans yet. Start with “New plan”.",
        "还没有计划，请点击“新建计划”开始。",
    ),
    NoReports => ("No problems reported.", "暂无问题反馈。"),
    NoReviews => ("Not submitted yet.", "尚未提交。"),
    NoTasksYet => ("No tasks yet", "暂无任务"),
    NotATaskYet => ("Not a task yet", "尚未转为任务"),
    NotCovered => ("No one", "无人负责"),
    NotRouted => ("Not routed yet", "尚未分派"),
    NothingDue => ("Nothing was due in these weeks.", "这几周没有到期的任务。"),
    OnTime => ("On time", "按时率"),
    OnTimeByDept => ("On-time rate by department", "各部门按时率"),
    OpenCount => ("Open", "未完成"),
    Outcome => ("Outcome", "处理结果"),
    OverdueByDept => ("Overdue tasks by department", "各部门逾期任务"),
    OverdueCount => ("Overdue", "逾期"),
    Person => ("Person", "人员"),
    Photo => ("Photo (optional)", "照片（可选）"),
    PhotoAlt => ("Photo of the problem", "问题照片"),
    PickPhoto => ("Take or pick a photo", "拍照或选择照片"),
    NoPhoto => ("No photo", "未选择照片"),
    PickPlan => (
        "Pick a plan to see its items and reviews.",
        "选择一个计划，查看其条目和审批记录。",
    ),
    PickPosition => ("Pick a position", "请选择岗位"),
    PlanItems => ("Items", "计划条目"),
    PlanLevel => ("Level", "层级"),
    PlanOwner => ("Owner", "负责岗位"),
    PlanParent => ("Breaks down", "上级计划"),
    PlanPeriod => ("Period", "期间"),
    PlanProgress => ("Plan progress", "计划进度"),
    PlanTitle => ("Title", "计划标题"),
    PrintHint => (
        "One page per department. Use your browser’s print to save it as a PDF.",
        "每个部门一页，可通过打印另存为 PDF。",
    ),
    PrintReport => ("Print report", "打印报告"),
    Progress => ("Progress", "进度"),
    ReopenPlan => ("Reopen", "重新打开"),
    Reopening => ("Reopening…", "正在重新打开…"),
    RepeatWeeks => ("Repeat weekly (more meetings)", "每周重复（追加场次）"),
    ReportIntro => (
        "Anything in the way of work: it goes to the department that can fix it.",
        "工作中遇到的任何问题，都会转给能解决的部门。",
    ),
    ReportProblem => ("Report a problem", "反馈问题"),
    Reports => ("Reports", "反馈列表"),
    Resolution => ("How it was resolved", "处理结果"),
    ResolutionHint => ("How was it resolved?", "是如何解决的？"),
    Resolve => ("Resolve", "标记已解决"),
    ReturnPlan => ("Return", "退回"),
    Returning => ("Returning…", "正在退回…"),
    ReviewComment => ("Comment", "审批意见"),
    ReviewCommentHint => ("Needed to return a plan", "退回计划时必填"),
    ReviewLog => ("Review log", "审批记录"),
    SaveMinutes => ("Save minutes", "保存纪要"),
    SchedulePlan => ("Turn into tasks", "生成任务"),
    Scheduling => ("Making tasks…", "正在生成任务…"),
    SendReport => ("Send report", "提交反馈"),
    Sending => ("Sending…", "正在提交…"),
    ShowPhoto => ("Show photo", "查看照片"),
    StartWork => ("Start work", "开始处理"),
    StatusInProgress => ("In progress", "处理中"),
    StatusOpen => ("Open", "待处理"),
    StatusResolved => ("Resolved", "已解决"),
    StoreWide => ("Whole store", "全店"),
    SubmitPlan => ("Submit for approval", "提交审批"),
    Submitting => ("Submitting…", "正在提交…"),
    WhatHappened => ("What’s the problem?", "问题描述"),
    WhatHappenedHint => ("Where, what, since when", "在哪里、什么问题、从何时开始"),
    Kpis => ("KPIs", "关键指标"),
    NoKpisYet => ("No KPIs yet.", "暂无指标。"),
    DefineKpi => ("Define a KPI", "设定指标"),
    DefineKpiButton => ("Define KPI", "设定指标"),
    KpiName => ("Name", "指标名称"),
    KpiNameHint => ("e.g. Task completion", "例如：任务完成率"),
    Subject => ("For", "考核对象"),
    Choose => ("Choose…", "请选择…"),
    Metric => ("Metric", "指标类型"),
    MetricCompletion => ("Completion rate", "完成率"),
    MetricOnTime => ("On-time rate", "准时率"),
    MetricManual => ("Entered by hand", "手工录入"),
    TargetPercent => ("Target (%)", "目标（%）"),
    Target => ("Target", "目标"),
    ThisMonth => ("This month", "本月"),
    Recorded => ("Recorded", "已录入"),
    PeriodHint => ("YYYY-MM", "YYYY-MM"),
    ValuePercent => ("Value (%)", "数值（%）"),
    RecordValue => ("Record value", "录入数值"),
    Assessments => ("Assessments", "考核评分"),
    NoAssessments => ("No assessments yet.", "暂无考核评分。"),
    NewAssessment => ("Record an assessment", "录入考核"),
    AssessButton => ("Save assessment", "保存评分"),
    Score => ("Score (0–100)", "分数（0–100）"),
    Comment => ("Comment", "评语"),
    CommentOptional => ("Comment (optional)", "留言（可选）"),
    Awards => ("Awards", "奖励"),
    NoAwards => ("No awards yet.", "暂无奖励。"),
    GiveAward => ("Give an award", "颁发奖励"),
    GiveAwardButton => ("Give award", "颁发"),
    AwardTitle => ("Award", "奖项"),
    AwardTitleHint => ("e.g. Employee of the month", "例如：月度之星"),
    Reason => ("Reason", "理由"),
    Training => ("Training", "培训"),
    NoTraining => ("No training planned yet.", "暂无培训计划。"),
    PlanTraining => ("Plan training", "制定培训计划"),
    PlanTrainingButton => ("Plan training", "保存培训计划"),
    TrainingTitle => ("Title", "培训名称"),
    TrainingTitleHint => ("e.g. Food safety", "例如：食品安全"),
    Sessions => ("Sessions", "培训场次"),
    SessionTopic => ("Topic", "主题"),
    AddSession => ("Add session", "添加场次"),
    RemoveSession => ("Remove", "移除"),
    Held => ("Held", "已举行"),
    Planned => ("Planned", "计划中"),
    MarkHeld => ("Mark held", "标记已举行"),
    WhoAttended => ("Who attended", "出席人员"),
    SaveAttendance => ("Save attendance", "保存出席"),
    NoAttendees => ("No one recorded", "无出席记录"),
    Survey => ("Satisfaction survey", "满意度调查"),
    NoSurveys => ("No survey yet.", "暂无调查。"),
    OpenSurvey => ("Open a survey", "发起调查"),
    OpenSurveyButton => ("Open survey", "发起调查"),
    SurveyTitle => ("Title", "调查名称"),
    SurveyTitleHint => ("e.g. Q4 staff satisfaction", "例如：第四季度员工满意度"),
    YourAnswer => (
        "How satisfied are you? Tap a score to send your answer.",
        "您的满意度如何？点击分数即提交。",
    ),
    ScaleHint => (
        "1 = very dissatisfied, 5 = very satisfied",
        "1 = 非常不满意，5 = 非常满意",
    ),
    Answered => (
        "Thank you: this device has answered.",
        "感谢参与：本设备已作答。",
    ),
    AnswerWaiting => (
        "Waiting to send: your answer goes to the relay when this device is online.",
        "等待发送：设备联网后答卷将发送。",
    ),
    AnswerSent => (
        "Sent. Answers appear in batches, with no name.",
        "已发送。答卷分批显示，不含姓名。",
    ),
    AnswerRefused => ("Not accepted:", "未被接受："),
    ResultsFrom5 => ("Results show from 5 answers.", "满 5 份回答后显示结果。"),
    SurveyComments => ("Comments", "意见"),
    AnswersByScore => ("Answers by score", "各分数回答数"),
}

pub fn status_label(lang: Lang, status: TaskStatus) -> &'static str {
    match (lang, status) {
        (Lang::En, TaskStatus::Todo) => "To do",
        (Lang::En, TaskStatus::InProgress) => "In progress",
        (Lang::En, TaskStatus::Blocked) => "Blocked",
        (Lang::En, TaskStatus::Done) => "Done",
        (Lang::En, TaskStatus::Cancelled) => "Cancelled",
        (Lang::Zh, TaskStatus::Todo) => "待办",
        (Lang::Zh, TaskStatus::InProgress) => "进行中",
        (Lang::Zh, TaskStatus::Blocked) => "受阻",
        (Lang::Zh, TaskStatus::Done) => "已完成",
        (Lang::Zh, TaskStatus::Cancelled) => "已取消",
    }
}

pub fn priority_label(lang: Lang, priority: Priority) -> &'static str {
    match (lang, priority) {
        (Lang::En, Priority::Low) => "Low priority",
        (Lang::En, Priority::Normal) => "Normal priority",
        (Lang::En, Priority::High) => "High priority",
        (Lang::En, Priority::Urgent) => "Urgent",
        (Lang::Zh, Priority::Low) => "低优先级",
        (Lang::Zh, Priority::Normal) => "普通优先级",
        (Lang::Zh, Priority::High) => "高优先级",
        (Lang::Zh, Priority::Urgent) => "紧急",
    }
}

/// The role as shown under the store name.
pub fn role_label(lang: Lang, role: Role) -> String {
    let key = match role {
        Role::Manager => Key::RoleManager,
        Role::DepartmentManager => Key::RoleDepartmentManager,
        Role::OperationsManager => Key::RoleOperationsManager,
        Role::Director => Key::RoleDirector,
        Role::Staff => Key::RoleStaff,
    };
    t(lang, key).to_owned()
}

/// "2 checklist items are still open."
pub fn open_items_left(lang: Lang, n: usize) -> String {
    lang.pick(
        match n {
            1 => "1 checklist item is still open. Mark the task done anyway?".to_owned(),
            n => format!("{n} checklist items are still open. Mark the task done anyway?"),
        },
        format!("还有 {n} 个检查项未完成。仍然标记为完成吗？"),
    )
}

/// "Send to Warehousing" (an option of the re-route picker).
pub fn send_to(lang: Lang, department: &str) -> String {
    lang.pick(format!("Send to {department}"), format!("转给{department}"))
}

/// "Revoke Wang's phone".
pub fn revoke_device(lang: Lang, name: &str) -> String {
    lang.pick(format!("Revoke {name}"), format!("撤销 {name}"))
}

/// "3 tasks found".
pub fn found_count(lang: Lang, n: usize) -> String {
    lang.pick(
        match n {
            1 => "1 task found".to_owned(),
            n => format!("{n} tasks found"),
        },
        format!("找到 {n} 个任务"),
    )
}

/// "3 of 12 done".
pub fn progress(lang: Lang, done: usize, total: usize) -> String {
    lang.pick(
        format!("{done} of {total} done"),
        format!("已完成 {done} / {total}"),
    )
}

/// "1 item could not be read".
pub fn unreadable_items(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::En, 1) => "1 item could not be read".to_owned(),
        (Lang::En, n) => format!("{n} items could not be read"),
        (Lang::Zh, n) => format!("{n} 项内容无法读取"),
    }
}

/// The kind of an item that could not be read (`task`, `person`, …), as the status
/// names it; an unknown kind as it is.
pub fn unreadable_kind(lang: Lang, kind: &str) -> String {
    let zh = match kind {
        "task" => "任务",
        "person" => "人员",
        "position" => "岗位",
        "department" => "部门",
        "duty" => "职责",
        "plan" => "计划",
        "meeting" => "会议",
        "report" => "问题反馈",
        "survey" => "调查",
        "survey answer" => "调查回答",
        "kpi" => "KPI",
        "assessment" => "考核",
        "award" => "奖励",
        "training plan" => "培训计划",
        other => other,
    };
    lang.pick(kind, zh).to_owned()
}

/// "2 changes waiting".
pub fn changes_waiting(lang: Lang, n: u32) -> String {
    match (lang, n) {
        (Lang::En, 1) => "1 change waiting".to_owned(),
        (Lang::En, n) => format!("{n} changes waiting"),
        (Lang::Zh, n) => format!("{n} 项更改待同步"),
    }
}

/// "synced 10:42".
pub fn synced_at(lang: Lang, time: &str) -> String {
    lang.pick(format!("synced {time}"), format!("已同步 {time}"))
}

/// "Due 2025-03-04".
pub fn due_on(lang: Lang, date: &str) -> String {
    lang.pick(format!("Due {date}"), format!("{date} 截止"))
}

/// "Overdue · 2025-03-01".
pub fn missed(lang: Lang, date: &str) -> String {
    lang.pick(format!("Missed · {date}"), format!("已错过 · {date}"))
}

pub fn overdue(lang: Lang, date: &str) -> String {
    lang.pick(format!("Overdue · {date}"), format!("已逾期 · {date}"))
}

/// How often a duty comes round.
pub fn cadence_label(lang: Lang, cadence: Cadence) -> &'static str {
    match (lang, cadence) {
        (Lang::En, Cadence::Daily) => "Daily",
        (Lang::En, Cadence::Weekly) => "Weekly",
        (Lang::En, Cadence::Monthly) => "Monthly",
        (Lang::En, Cadence::Quarterly) => "Quarterly",
        (Lang::En, Cadence::Yearly) => "Yearly",
        (Lang::En, Cadence::AsNeeded) => "As needed",
        (Lang::Zh, Cadence::Daily) => "每日",
        (Lang::Zh, Cadence::Weekly) => "每周",
        (Lang::Zh, Cadence::Monthly) => "每月",
        (Lang::Zh, Cadence::Quarterly) => "每季度",
        (Lang::Zh, Cadence::Yearly) => "每年",
        (Lang::Zh, Cadence::AsNeeded) => "按需",
    }
}

/// "12 people" under the number of positions.
pub fn people(lang: Lang, n: u32) -> String {
    match (lang, n) {
        (Lang::En, 1) => "1 person".to_owned(),
        (Lang::En, n) => format!("{n} people"),
        (Lang::Zh, n) => format!("共 {n} 人"),
    }
}

/// "2 uncovered": a warning on a department or position.
pub fn uncovered_count(lang: Lang, n: u32) -> String {
    lang.pick(format!("{n} uncovered"), format!("{n} 项无人负责"))
}

/// The same warning read out in full.
pub fn uncovered_count_long(lang: Lang, n: u32) -> String {
    match (lang, n) {
        (Lang::En, 1) => "1 duty has no one to do it".to_owned(),
        (Lang::En, n) => format!("{n} duties have no one to do them"),
        (Lang::Zh, n) => format!("{n} 项职责无人负责"),
    }
}

/// "Vacant" or "2 vacant" on a position.
pub fn vacant_count(lang: Lang, n: u32) -> String {
    match (lang, n) {
        (Lang::En, 1) => t(lang, Key::Vacant).to_owned(),
        (Lang::En, n) => format!("{n} vacant"),
        (Lang::Zh, 1) => t(lang, Key::Vacant).to_owned(),
        (Lang::Zh, n) => format!("空缺 {n}"),
    }
}

/// "1 of 2 filled", the position's holders against its headcount.
pub fn filled(lang: Lang, held: usize, headcount: u32) -> String {
    lang.pick(
        format!("{held} of {headcount} filled"),
        format!("在岗 {held} / 编制 {headcount}"),
    )
}

/// "Uncovered only (3)".
pub fn with_count(lang: Lang, key: Key, n: u32) -> String {
    format!("{} ({n})", t(lang, key))
}

/// A list of names, e.g. the holders of a position.
pub fn names(lang: Lang, names: &[String]) -> String {
    names.join(match lang {
        Lang::En => ", ",
        Lang::Zh => "、",
    })
}

/// "Next: 2025-03-04" on a duty: when the next task made from it is due.
pub fn next_due(lang: Lang, date: &str, is_today: bool) -> String {
    match (lang, is_today) {
        (Lang::En, true) => "Next: today".to_owned(),
        (Lang::En, false) => format!("Next: {date}"),
        (Lang::Zh, true) => "下次：今天".to_owned(),
        (Lang::Zh, false) => format!("下次：{date}"),
    }
}

/// "Expires Nov 28, 18:42".
pub fn expires(lang: Lang, when: &str) -> String {
    lang.pick(format!("Expires {when}"), format!("有效期至 {when}"))
}

/// The role an invite is for: "For a staff device".
pub fn invite_for(lang: Lang, role: Role) -> String {
    let role_name = role_label(lang, role);
    lang.pick(
        format!("For a {} device", role_name.to_lowercase()),
        format!("用于{role_name}设备"),
    )
}

/// The question before signing out.
pub fn confirm_sign_out(lang: Lang, store: &str) -> String {
    match lang {
        Lang::En => format!(
            "Sign this device out of {store}? To use it for this store again you’ll need a new invite code."
        ),
        Lang::Zh => format!("确定让此设备退出“{store}”吗？之后需要新的邀请码才能重新加入。"),
    }
}

/// Said before signing out while changes are still waiting to sync.
pub fn unsynced_warning(lang: Lang, n: u32) -> String {
    match (lang, n) {
        (Lang::En, 1) => {
            "1 change on this device hasn’t synced yet. Sync first, or it may be lost.".to_owned()
        }
        (Lang::En, n) => {
            format!(
                "{n} changes on this device haven’t synced yet. Sync first, or they may be lost."
            )
        }
        (Lang::Zh, n) => format!("此设备上还有 {n} 项更改尚未同步。请先同步，否则可能丢失。"),
    }
}

/// "3 open" on a team board group.
pub fn open_count(lang: Lang, n: usize) -> String {
    lang.pick(format!("{n} open"), format!("{n} 项未完成"))
}

/// "2 overdue" on a team board group.
pub fn overdue_count(lang: Lang, n: usize) -> String {
    lang.pick(format!("{n} overdue"), format!("{n} 项逾期"))
}

/// "2 of 5" over a checklist.
pub fn checklist_progress(lang: Lang, done: usize, total: usize) -> String {
    lang.pick(format!("{done} of {total}"), format!("{done} / {total}"))
}

/// "Ticked by Li Na · Nov 28, 18:42" under a checklist item.
pub fn ticked_by(lang: Lang, who: Option<&str>, when: Option<&str>) -> String {
    match (lang, who, when) {
        (Lang::En, Some(who), Some(when)) => format!("Ticked by {who} · {when}"),
        (Lang::En, Some(who), None) => format!("Ticked by {who}"),
        (Lang::En, None, Some(when)) => format!("Ticked {when}"),
        (Lang::Zh, Some(who), Some(when)) => format!("{who} 于 {when} 勾选"),
        (Lang::Zh, Some(who), None) => format!("{who} 已勾选"),
        (Lang::Zh, None, Some(when)) => format!("{when} 勾选"),
        (_, None, None) => String::new(),
    }
}

/// A position as a picker offers it: "Stock clerk · Warehouse".
pub fn position_choice(title: &str, department: &str) -> String {
    if department.is_empty() {
        title.to_owned()
    } else {
        format!("{title} · {department}")
    }
}

/// "Done (2)" as a group heading.
pub fn group_heading(lang: Lang, key: Key, n: usize) -> String {
    format!("{} ({n})", t(lang, key))
}

/// A plan's level: "Weekly".
pub fn plan_level_label(lang: Lang, level: PlanLevel) -> &'static str {
    match (lang, level) {
        (Lang::En, PlanLevel::Annual) => "Annual",
        (Lang::En, PlanLevel::Monthly) => "Monthly",
        (Lang::En, PlanLevel::Weekly) => "Weekly",
        (Lang::Zh, PlanLevel::Annual) => "年度",
        (Lang::Zh, PlanLevel::Monthly) => "月度",
        (Lang::Zh, PlanLevel::Weekly) => "周",
    }
}

pub fn plan_status_label(lang: Lang, status: PlanStatus) -> &'static str {
    match (lang, status) {
        (Lang::En, PlanStatus::Draft) => "Draft",
        (Lang::En, PlanStatus::Submitted) => "Submitted",
        (Lang::En, PlanStatus::Approved) => "Approved",
        (Lang::En, PlanStatus::Returned) => "Returned",
        (Lang::Zh, PlanStatus::Draft) => "草稿",
        (Lang::Zh, PlanStatus::Submitted) => "待审批",
        (Lang::Zh, PlanStatus::Approved) => "已批准",
        (Lang::Zh, PlanStatus::Returned) => "已退回",
    }
}

pub fn report_status_label(lang: Lang, status: ReportStatus) -> &'static str {
    match status {
        ReportStatus::Open => t(lang, Key::StatusOpen),
        ReportStatus::InProgress => t(lang, Key::StatusInProgress),
        ReportStatus::Resolved => t(lang, Key::StatusResolved),
    }
}

/// The approver as named on a plan: a position title, or the company.
pub fn approver_name(lang: Lang, approver: &str) -> String {
    match (lang, approver) {
        (Lang::En, "company") => "The company".to_owned(),
        (Lang::Zh, "company") => "公司".to_owned(),
        (_, other) => other.to_owned(),
    }
}

/// "Approver: Director" on a plan in the cascade.
pub fn approved_by(lang: Lang, approver: &str) -> String {
    let who = approver_name(lang, approver);
    lang.pick(format!("Approver: {who}"), format!("审批：{who}"))
}

/// "1 of 4 tasks done".
pub fn tasks_done(lang: Lang, done: usize, total: usize) -> String {
    match (lang, total) {
        (Lang::En, 0) => "No tasks yet".to_owned(),
        (Lang::Zh, 0) => "暂无任务".to_owned(),
        (Lang::En, total) => format!("{done} of {total} tasks done"),
        (Lang::Zh, total) => format!("任务完成 {done} / {total}"),
    }
}

/// "Plans for 2026".
pub fn plan_year(lang: Lang, year: &str) -> String {
    lang.pick(format!("Plans for {year}"), format!("{year} 年计划"))
}

/// How to write the period of a plan of `level`.
pub fn period_hint(lang: Lang, level: PlanLevel) -> &'static str {
    match (lang, level) {
        (Lang::En, PlanLevel::Annual) => "A year, e.g. 2026",
        (Lang::En, PlanLevel::Monthly) => "A month, e.g. 2026-11",
        (Lang::En, PlanLevel::Weekly) => "An ISO week, e.g. 2026-W48",
        (Lang::Zh, PlanLevel::Annual) => "年份，例如 2026",
        (Lang::Zh, PlanLevel::Monthly) => "月份，例如 2026-11",
        (Lang::Zh, PlanLevel::Weekly) => "周次，例如 2026-W48",
    }
}

/// A line of a plan's review log: "Submitted by Wang Fang (round 1)".
pub fn review_line(lang: Lang, kind: ReviewKind, by: &str, round: u64) -> String {
    let what = match (lang, kind) {
        (Lang::En, ReviewKind::Submitted) => "Submitted",
        (Lang::En, ReviewKind::Approved) => "Approved",
        (Lang::En, ReviewKind::Returned) => "Returned",
        (Lang::En, ReviewKind::Reopened) => "Reopened",
        (Lang::En, ReviewKind::Comment) => "Comment",
        (Lang::Zh, ReviewKind::Submitted) => "提交",
        (Lang::Zh, ReviewKind::Approved) => "批准",
        (Lang::Zh, ReviewKind::Returned) => "退回",
        (Lang::Zh, ReviewKind::Reopened) => "重新打开",
        (Lang::Zh, ReviewKind::Comment) => "评论",
    };
    lang.pick(
        format!("{what} · {by} · round {round}"),
        format!("{what} · {by} · 第 {round} 轮"),
    )
}

/// A report's category; an unknown one as sent.
pub fn category_label(lang: Lang, category: &str) -> String {
    let (en, zh) = match category {
        "stock" => ("Stock", "库存商品"),
        "customer" => ("Customers", "顾客服务"),
        "equipment" => ("Equipment", "设备设施"),
        "system" => ("Systems", "系统"),
        "staffing" => ("Staffing", "人员排班"),
        "money" => ("Cash and money", "收银财务"),
        "marketing" => ("Marketing", "营销活动"),
        "safety" => ("Safety", "安全"),
        "other" => ("Other", "其他"),
        other => return other.to_owned(),
    };
    lang.pick(en, zh).to_owned()
}

/// "Reported by Li Na" (or "by you").
pub fn reported_by(lang: Lang, reporter: &str, mine: bool) -> String {
    match (lang, mine) {
        (Lang::En, true) => "Reported by you".to_owned(),
        (Lang::En, false) => format!("Reported by {reporter}"),
        (Lang::Zh, true) => "我提交的".to_owned(),
        (Lang::Zh, false) => format!("{reporter} 提交"),
    }
}

/// "Resolved by Wang Fang · Nov 28, 18:42".
pub fn resolved_by(lang: Lang, who: Option<&str>, when: Option<&str>) -> String {
    match (lang, who, when) {
        (Lang::En, Some(who), Some(when)) => format!("Resolved by {who} · {when}"),
        (Lang::En, Some(who), None) => format!("Resolved by {who}"),
        (Lang::En, None, Some(when)) => format!("Resolved {when}"),
        (Lang::Zh, Some(who), Some(when)) => format!("{who} 于 {when} 解决"),
        (Lang::Zh, Some(who), None) => format!("{who} 已解决"),
        (Lang::Zh, None, Some(when)) => format!("{when} 解决"),
        (_, None, None) => String::new(),
    }
}

/// "4 attendees".
pub fn attendee_count(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::En, 1) => "1 attendee".to_owned(),
        (Lang::En, n) => format!("{n} attendees"),
        (Lang::Zh, n) => format!("{n} 人参会"),
    }
}

/// "3 action items, 1 not a task yet".
pub fn action_count(lang: Lang, n: usize, pending: usize) -> String {
    match (lang, pending) {
        (Lang::En, 0) if n == 1 => "1 action item".to_owned(),
        (Lang::En, 0) => format!("{n} action items"),
        (Lang::En, 1) if n == 1 => "1 action item, not a task yet".to_owned(),
        (Lang::En, 1) => format!("{n} action items, 1 not a task yet"),
        (Lang::En, p) => format!("{n} action items, {p} not tasks yet"),
        (Lang::Zh, 0) => format!("{n} 个行动项"),
        (Lang::Zh, p) => format!("{n} 个行动项，{p} 个未转任务"),
    }
}

/// "1 overdue of 5 open" at the end of a department's bar.
pub fn overdue_of_open(lang: Lang, overdue: usize, open: usize) -> String {
    lang.pick(
        format!("{overdue} of {open} open"),
        format!("{overdue} / 未完成 {open}"),
    )
}

/// "90% · 40 done · 1 overdue" at the end of a person's bar.
pub fn person_note(lang: Lang, share: Option<&str>, done: usize, overdue: usize) -> String {
    let share = share.unwrap_or("–");
    match (lang, overdue) {
        (Lang::En, 0) => format!("{share} · {done} done"),
        (Lang::En, o) => format!("{share} · {done} done · {o} overdue"),
        (Lang::Zh, 0) => format!("{share} · 完成 {done}"),
        (Lang::Zh, o) => format!("{share} · 完成 {done} · 逾期 {o}"),
    }
}

/// "Resolved in 20.5 hours on average".
pub fn mean_hours(lang: Lang, hours: f64) -> String {
    lang.pick(
        format!("Resolved in {hours:.1} hours on average"),
        format!("平均 {hours:.1} 小时解决"),
    )
}

/// "2026-W41 to 2026-W48" over the dashboard.
pub fn weeks_span(lang: Lang, first: Option<&String>, last: Option<&String>) -> String {
    match (lang, first, last) {
        (Lang::En, Some(a), Some(b)) => format!("Weeks {a} to {b}"),
        (Lang::Zh, Some(a), Some(b)) => format!("{a} 至 {b}"),
        _ => String::new(),
    }
}

// ---- Org and duty editing, my duties, new store --------------------------------

/// A RACI role's name.
pub fn raci_label(lang: Lang, role: RaciRole) -> &'static str {
    let key = match role {
        RaciRole::Responsible => Key::Responsible,
        RaciRole::Accountable => Key::Accountable,
        RaciRole::Consulted => Key::Consulted,
        RaciRole::Informed => Key::Informed,
    };
    t(lang, key)
}

/// "Did Li Na leave the store?" before marking someone as left.
pub fn confirm_left(lang: Lang, name: &str) -> String {
    match lang {
        Lang::En => {
            format!("Has {name} left the store? Their open tasks go to their first position.")
        }
        Lang::Zh => format!("{name} 已离开门店吗？其未完成的任务将转给其第一个岗位。"),
    }
}

/// "5 departments · 18 positions · 62 duties" under a template's name.
pub fn template_counts(lang: Lang, departments: usize, positions: usize, duties: usize) -> String {
    lang.pick(
        format!("{departments} departments · {positions} positions · {duties} duties"),
        format!("{departments} 个部门 · {positions} 个岗位 · {duties} 项职责"),
    )
}

/// "3 duties" next to a position in a template's preview.
pub fn duty_count(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::En, 1) => "1 duty".to_owned(),
        (Lang::En, n) => format!("{n} duties"),
        (Lang::Zh, n) => format!("{n} 项职责"),
    }
}

/// "Next: Nov 30" on one of my duties.
pub fn next_task(lang: Lang, title: &str) -> String {
    lang.pick(format!("Next: {title}"), format!("下一项：{title}"))
}

/// A KPI's metric.
pub fn metric_label(lang: Lang, metric: KpiMetric) -> &'static str {
    t(
        lang,
        match metric {
            KpiMetric::CompletionRate => Key::MetricCompletion,
            KpiMetric::OnTimeRate => Key::MetricOnTime,
            KpiMetric::Manual => Key::MetricManual,
        },
    )
}

/// Who recorded an assessment or gave an award.
pub fn by_whom(lang: Lang, who: &str) -> String {
    lang.pick(format!("by {who}"), format!("由 {who}"))
}

/// "3 answers" under a survey.
pub fn survey_answers(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::En, 1) => "1 answer".to_owned(),
        (Lang::En, n) => format!("{n} answers"),
        (Lang::Zh, n) => format!("{n} 份回答"),
    }
}

/// A survey's mean score.
pub fn survey_mean(lang: Lang, mean: f64) -> String {
    lang.pick(
        format!("Average {mean:.1} / 5"),
        format!("平均 {mean:.1} / 5"),
    )
}

/// "Target 95% · This month 90%" on a KPI.
pub fn target_vs_current(lang: Lang, target: &str, current: Option<&str>) -> String {
    let current = current.unwrap_or("—");
    format!(
        "{} {target} · {} {current}",
        t(lang, Key::Target),
        t(lang, Key::ThisMonth)
    )
}

/// A time zone as a person reads it: the zones stores pick most by their place in
/// Chinese; every zone by its IANA name in English (and, in Chinese, a zone with no
/// Chinese name here).
pub fn zone_name(lang: Lang, zone: &str) -> String {
    const ZH: &[(&str, &str)] = &[
        ("Asia/Shanghai", "中国（上海）"),
        ("Asia/Hong_Kong", "中国香港"),
        ("Asia/Taipei", "中国台北"),
        ("Asia/Tokyo", "日本（东京）"),
        ("Asia/Seoul", "韩国（首尔）"),
        ("Asia/Singapore", "新加坡"),
        ("Asia/Kuala_Lumpur", "马来西亚（吉隆坡）"),
        ("Asia/Bangkok", "泰国（曼谷）"),
        ("Asia/Dubai", "阿联酋（迪拜）"),
        ("Europe/London", "英国（伦敦）"),
        ("Europe/Berlin", "德国（柏林）"),
        ("America/New_York", "美国（纽约）"),
        ("America/Los_Angeles", "美国（洛杉矶）"),
        ("Australia/Sydney", "澳大利亚（悉尼）"),
        ("UTC", "协调世界时"),
    ];
    match lang {
        Lang::Zh => ZH
            .iter()
            .find(|(id, _)| *id == zone)
            .map_or_else(|| zone.to_owned(), |(_, name)| (*name).to_owned()),
        Lang::En => zone.replace('_', " "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip() {
        for lang in [Lang::En, Lang::Zh] {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(Lang::from_tag("zh-Hans-CN"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
    }

    #[test]
    fn counts_read_naturally() {
        assert_eq!(changes_waiting(Lang::En, 1), "1 change waiting");
        assert_eq!(changes_waiting(Lang::En, 2), "2 changes waiting");
        assert_eq!(progress(Lang::En, 3, 12), "3 of 12 done");
        assert_eq!(
            action_count(Lang::En, 1, 1),
            "1 action item, not a task yet"
        );
        assert_eq!(
            action_count(Lang::En, 3, 1),
            "3 action items, 1 not a task yet"
        );
        assert_eq!(attendee_count(Lang::En, 1), "1 attendee");
    }

    #[test]
    fn what_could_not_be_read_is_counted_and_named_in_both_languages() {
        assert_eq!(unreadable_items(Lang::En, 1), "1 item could not be read");
        assert_eq!(unreadable_items(Lang::En, 3), "3 items could not be read");
        assert_eq!(unreadable_items(Lang::Zh, 1), "1 项内容无法读取");
        assert_eq!(unreadable_kind(Lang::Zh, "task"), "任务");
        assert_eq!(unreadable_kind(Lang::En, "survey answer"), "survey answer");
        assert_eq!(unreadable_kind(Lang::Zh, "gadget"), "gadget");
    }

    #[test]
    fn assessment_words_read_naturally() {
        assert_eq!(survey_answers(Lang::En, 1), "1 answer");
        assert_eq!(survey_answers(Lang::Zh, 3), "3 份回答");
        assert_eq!(survey_mean(Lang::En, 4.24), "Average 4.2 / 5");
        assert_eq!(
            target_vs_current(Lang::En, "95%", None),
            "Target 95% · This month —"
        );
        assert_eq!(metric_label(Lang::Zh, KpiMetric::OnTimeRate), "准时率");
        assert_eq!(t(Lang::Zh, Key::NavAssessment), "考核");
    }
}
