//! Every string the UI shows, in English and Simplified Chinese.
//!
//! Fixed strings go through [`t`] with a [`Key`]; strings with numbers or names in them
//! have their own function below, so each language can order its words its own way.

use crate::model::{Priority, TaskStatus};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    AppName,
    Loading,
    Retry,
    Dismiss,
    /// The language toggle's text: the name of the *other* language, in that language.
    OtherLanguage,
    SwitchLanguage,
    // Enrolment
    EnrolTitle,
    EnrolIntro,
    RelayUrl,
    RelayUrlHint,
    InviteCode,
    InviteCodeHint,
    DeviceName,
    DeviceNameHint,
    DefaultDeviceName,
    EnrolButton,
    Enrolling,
    FillAllFields,
    // Header and sync
    RoleManager,
    RoleStaff,
    Online,
    Offline,
    SyncNow,
    Syncing,
    NeverSynced,
    AllChangesSynced,
    SyncProblem,
    // Tasks
    NewTaskLabel,
    NewTaskPlaceholder,
    AddTask,
    Adding,
    OpenGroup,
    DoneGroup,
    NoTasks,
    NoOpenTasks,
    MarkDone,
    MarkNotDone,
    DueToday,
    Assignee,
    Department,
    Duty,
    Saved,
    // Errors raised on this side of the bridge
    BackendUnavailable,
    BadReply,
}

pub fn t(lang: Lang, key: Key) -> &'static str {
    use Key::*;
    match lang {
        Lang::En => match key {
            AppName => "Storeops",
            Loading => "Loading…",
            Retry => "Try again",
            Dismiss => "Dismiss",
            OtherLanguage => "中文",
            SwitchLanguage => "切换到中文",
            EnrolTitle => "Set up this device",
            EnrolIntro => {
                "Ask your manager for an invite code, then join your store. You only need to do this once."
            }
            RelayUrl => "Relay address",
            RelayUrlHint => "The sync server given with your invite.",
            InviteCode => "Invite code",
            InviteCodeHint => "Type it exactly as shown on the invite.",
            DeviceName => "Device name",
            DeviceNameHint => "How this device appears to your team, e.g. “Front counter tablet”.",
            DefaultDeviceName => "My device",
            EnrolButton => "Join store",
            Enrolling => "Joining…",
            FillAllFields => "Please fill in the relay address, invite code and device name.",
            RoleManager => "Manager",
            RoleStaff => "Staff",
            Online => "Online",
            Offline => "Offline",
            SyncNow => "Sync now",
            Syncing => "Syncing…",
            NeverSynced => "not synced yet",
            AllChangesSynced => "all changes synced",
            SyncProblem => "Sync problem",
            NewTaskLabel => "New task",
            NewTaskPlaceholder => "What needs doing?",
            AddTask => "Add",
            Adding => "Adding…",
            OpenGroup => "To do",
            DoneGroup => "Done",
            NoTasks => "No tasks yet. Add the first one above.",
            NoOpenTasks => "Nothing left to do. Well done!",
            MarkDone => "Mark as done",
            MarkNotDone => "Mark as not done",
            DueToday => "Due today",
            Assignee => "Assigned to",
            Department => "Department",
            Duty => "From duty",
            Saved => "Saved",
            BackendUnavailable => "Can’t reach the Storeops app. Please restart it.",
            BadReply => "The app sent a reply this screen doesn’t understand.",
        },
        Lang::Zh => match key {
            AppName => "Storeops 门店运营",
            Loading => "正在加载…",
            Retry => "重试",
            Dismiss => "关闭",
            OtherLanguage => "English",
            SwitchLanguage => "Switch to English",
            EnrolTitle => "设置此设备",
            EnrolIntro => "请向店长索取邀请码，然后加入门店。此操作只需进行一次。",
            RelayUrl => "中继地址",
            RelayUrlHint => "邀请中附带的同步服务器地址。",
            InviteCode => "邀请码",
            InviteCodeHint => "请按邀请中显示的内容准确输入。",
            DeviceName => "设备名称",
            DeviceNameHint => "团队看到的此设备名称，例如“前台平板”。",
            DefaultDeviceName => "我的设备",
            EnrolButton => "加入门店",
            Enrolling => "正在加入…",
            FillAllFields => "请填写中继地址、邀请码和设备名称。",
            RoleManager => "店长",
            RoleStaff => "店员",
            Online => "在线",
            Offline => "离线",
            SyncNow => "立即同步",
            Syncing => "正在同步…",
            NeverSynced => "尚未同步",
            AllChangesSynced => "所有更改已同步",
            SyncProblem => "同步出现问题",
            NewTaskLabel => "新任务",
            NewTaskPlaceholder => "需要做什么？",
            AddTask => "添加",
            Adding => "正在添加…",
            OpenGroup => "待办",
            DoneGroup => "已完成",
            NoTasks => "还没有任务。在上方添加第一个任务吧。",
            NoOpenTasks => "所有任务都已完成，干得好！",
            MarkDone => "标记为已完成",
            MarkNotDone => "标记为未完成",
            DueToday => "今天截止",
            Assignee => "负责人",
            Department => "部门",
            Duty => "来自例行职责",
            Saved => "已保存",
            BackendUnavailable => "无法连接到 Storeops 应用，请重新启动应用。",
            BadReply => "应用返回了无法识别的数据。",
        },
    }
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

/// The role as shown under the store name; an unknown role is shown as sent.
pub fn role_label(lang: Lang, role: &str) -> String {
    match role {
        "manager" => t(lang, Key::RoleManager).to_owned(),
        "staff" => t(lang, Key::RoleStaff).to_owned(),
        other => other.to_owned(),
    }
}

/// "3 of 12 done".
pub fn progress(lang: Lang, done: usize, total: usize) -> String {
    match lang {
        Lang::En => format!("{done} of {total} done"),
        Lang::Zh => format!("已完成 {done} / {total}"),
    }
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
    match lang {
        Lang::En => format!("synced {time}"),
        Lang::Zh => format!("已同步 {time}"),
    }
}

/// "Due 2025-03-04".
pub fn due_on(lang: Lang, date: &str) -> String {
    match lang {
        Lang::En => format!("Due {date}"),
        Lang::Zh => format!("{date} 截止"),
    }
}

/// "Overdue · 2025-03-01".
pub fn overdue(lang: Lang, date: &str) -> String {
    match lang {
        Lang::En => format!("Overdue · {date}"),
        Lang::Zh => format!("已逾期 · {date}"),
    }
}

/// "Done (2)" as a group heading.
pub fn group_heading(lang: Lang, key: Key, n: usize) -> String {
    format!("{} ({n})", t(lang, key))
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
    }
}
