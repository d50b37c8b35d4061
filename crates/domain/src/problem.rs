//! A refusal as data: a stable key and named parameters, which the UI words in the
//! user's language; the English [`Display`](std::fmt::Display) of [`DomainError`]
//! stays for logs and the CLI.
//!
//! A parameter is either data (an id, a number, a name someone typed) or itself a
//! key of one of the word lists here ([`Noun`], [`Action`], [`Needed`], [`Hint`]),
//! a [`Role`] or a status (`done`, `approved`, …), so the UI can translate it too.
//!
//! ```
//! use storeops_domain::{DomainError, problem::{Invalid, Noun}};
//! let e = DomainError::Invalid(Invalid::TooLong { what: Noun::Title, max: 200, got: 201 });
//! let p = e.problem();
//! assert_eq!(p.key, "too-long");
//! assert_eq!(p.params, vec![("what", "title".into()), ("max", "200".into()), ("got", "201".into())]);
//! assert_eq!(e.to_string(), "a title is at most 200 characters; this one has 201");
//! ```

use crate::plans::PlanLevel;
use crate::{DomainError, Role};

/// What the UI needs to word a refusal: [`DomainError::problem`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Stable, kebab-case: `too-long`, `not-permitted`, …
    pub key: &'static str,
    /// Named values, in the order the English sentence has them.
    pub params: Vec<(&'static str, String)>,
}

impl Problem {
    pub fn new(key: &'static str, params: Vec<(&'static str, String)>) -> Self {
        Self { key, params }
    }
}

/// A value that travels as a parameter: its wire form, and an example of it for the
/// tests that word every key.
pub trait Param: Sized {
    fn param(&self) -> String;
    fn sample() -> Self;
}

impl Param for String {
    fn param(&self) -> String {
        self.clone()
    }
    fn sample() -> Self {
        "x".into()
    }
}

impl Param for usize {
    fn param(&self) -> String {
        self.to_string()
    }
    fn sample() -> Self {
        3
    }
}

impl Param for u64 {
    fn param(&self) -> String {
        self.to_string()
    }
    fn sample() -> Self {
        3
    }
}

impl Param for Role {
    fn param(&self) -> String {
        self.as_str().into()
    }
    fn sample() -> Self {
        Role::DepartmentManager
    }
}

impl Param for PlanLevel {
    fn param(&self) -> String {
        self.as_str().into()
    }
    fn sample() -> Self {
        PlanLevel::Weekly
    }
}

/// Defines a word list: a fieldless enum with `ALL`, a stable `key`, its `english`
/// (also its `Display`) and `from_key`, each word written once.
macro_rules! words {
    ($(#[$meta:meta])* $name:ident { $($(#[$doc:meta])* $word:ident = $key:literal, $en:literal;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$doc])* $word,)*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$word),*];

            /// The stable key the UI words.
            pub fn key(self) -> &'static str {
                match self {
                    $($name::$word => $key,)*
                }
            }

            /// The English, for logs and the CLI.
            pub fn english(self) -> &'static str {
                match self {
                    $($name::$word => $en,)*
                }
            }

            pub fn from_key(key: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|w| w.key() == key)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.english())
            }
        }

        impl Param for $name {
            fn param(&self) -> String {
                self.key().into()
            }
            fn sample() -> Self {
                Self::ALL[0]
            }
        }
    };
}

words! {
    /// The things and fields a refusal is about.
    Noun {
        Task = "task", "task";
        Plan = "plan", "plan";
        PlanItem = "plan-item", "plan item";
        ParentPlanItem = "parent-plan-item", "parent plan item";
        Person = "person", "person";
        Department = "department", "department";
        Position = "position", "position";
        Duty = "duty", "duty";
        Meeting = "meeting", "meeting";
        AgendaItem = "agenda-item", "agenda item";
        ActionItem = "action-item", "action item";
        Survey = "survey", "survey";
        Report = "report", "problem report";
        Photo = "photo", "photo";
        Kpi = "kpi", "KPI";
        Award = "award", "award";
        TrainingPlan = "training-plan", "training plan";
        TrainingSession = "training-session", "training session";
        ChecklistItem = "checklist-item", "checklist item";
        Title = "title", "title";
        Description = "description", "description";
        Comment = "comment", "comment";
        Contact = "contact", "contact";
        Name = "name", "name";
    }
}

impl Noun {
    /// A task's owner: person, position or department.
    pub fn of_owner(owner: &crate::Owner) -> Self {
        match owner {
            crate::Owner::Person(_) => Noun::Person,
            crate::Owner::Position(_) => Noun::Position,
            crate::Owner::Department(_) => Noun::Department,
        }
    }
}

words! {
    /// What someone tried to do, completing "only … may …".
    Action {
        CreateTasks = "create-tasks", "create tasks";
        CreateTask = "create-task", "create this task";
        CreateTasksThere = "create-tasks-there", "create tasks there";
        CreateUndepartmentedTask = "create-undepartmented-task", "create a task for no department";
        AssignWork = "assign-work", "assign work to them";
        EditTask = "edit-task", "edit this task";
        ReassignTask = "reassign-task", "reassign this task";
        CancelTasks = "cancel-tasks", "cancel or restore tasks";
        MoveWork = "move-work", "move their work";
        HandOverWork = "hand-over-work", "hand over their work";
        AddSubDepartment = "add-sub-department", "add departments below it";
        AddTopDepartment = "add-top-department", "add a top-level department";
        RenameDepartment = "rename-department", "rename it";
        MoveDepartments = "move-departments", "move departments";
        ChooseHead = "choose-head", "choose its head";
        AddPositions = "add-positions", "add positions to it";
        ChangePositions = "change-positions", "change its positions";
        MovePositionsInto = "move-positions-into", "move positions into it";
        AddUnplacedStaff = "add-unplaced-staff", "add staff without a position";
        StaffPositions = "staff-positions", "staff its positions";
        ChangePersonPositions = "change-person-positions", "change their positions";
        EditPerson = "edit-person", "edit their details";
        RecordLeaving = "record-leaving", "record that they left";
        ChangeDuties = "change-duties", "change duties there";
        KeepUnownedDuties = "keep-unowned-duties", "keep duties without an owner";
        RecordContacts = "record-contacts", "record contact details";
        HandleDepartmentReports = "handle-department-reports", "handle its problem reports";
        HandleReports = "handle-reports", "handle problem reports";
        RouteReports = "route-reports", "route problem reports";
        OpenSurveys = "open-surveys", "open surveys";
        DrawUpPlans = "draw-up-plans", "draw up plans";
        DrawUpPositionPlans = "draw-up-position-plans", "draw up its plans";
        ChangePlans = "change-plans", "change its plans";
        SubmitPlans = "submit-plans", "submit its plans";
        CommentOnPlans = "comment-on-plans", "comment on its plans";
        ReviewPlan = "review-plan", "approve or return this plan";
        SchedulePlan = "schedule-plan", "schedule its work";
        RunDepartmentMeetings = "run-department-meetings", "run its meetings";
        RunStoreMeetings = "run-store-meetings", "run store-wide meetings";
        OpenPeriod = "open-period", "open a new period's documents";
        InviteDevices = "invite-devices", "invite devices";
        GiveRoles = "give-roles", "give a position a role";
        InviteDeviceFor = "invite-device-for", "invite a device for them";
        SeeDevices = "see-devices", "see the store's devices";
        SeeDashboard = "see-dashboard", "see the dashboard";
        SetKpis = "set-kpis", "set their KPIs";
        RecordKpis = "record-kpis", "record their KPIs";
        ReadScores = "read-scores", "read their scores";
        Assess = "assess", "assess them";
        AssessYourself = "assess-yourself", "assess yourself";
        GiveAwards = "give-awards", "give them awards";
        PlanDepartmentTraining = "plan-department-training", "plan its training";
        PlanStoreTraining = "plan-store-training", "plan store-wide training";
    }
}

words! {
    /// Who may, completing "only … may".
    Needed {
        Manager = "manager", "a manager";
        StoreLevel = "store-level", "the store manager, operations manager or director";
        Company = "company", "the director, for the company";
        ManagersAbove = "managers-above", "the managers above you";
    }
}

words! {
    /// What to do instead: the end of a refusal.
    Hint {
        AskYourManager = "ask-your-manager", "ask your department manager or store manager";
        AskStoreManager = "ask-store-manager", "ask the store manager";
        AskDepartmentManager = "ask-department-manager", "ask that department's manager or the store manager";
        GiveItYourDepartment = "give-it-your-department", "give it one of your departments, or ask the store manager";
        GoesToReportsTo = "goes-to-reports-to", "it goes to the position its owner reports to";
        AskDirectorForCompany = "ask-director-for-company", "ask the director to record the company's decision";
        BlockWithComment = "block-with-comment", "mark it blocked with a comment instead";
        ReportAProblem = "report-a-problem", "report a problem instead";
        RestoreToTodo = "restore-to-todo", "restore it to todo first";
        ReopenFirst = "reopen-first", "reopen it (todo) first";
        WithApprover = "with-approver", "it is already with the approver";
        OnlySubmittedReviewed = "only-submitted-reviewed", "only a submitted plan is approved or returned, and only an approved one reopened";
        OnlyDraftChanges = "only-draft-changes", "only a draft or returned plan can change; ask the approver to reopen it";
        OnlyApprovedWeekly = "only-approved-weekly", "only an approved weekly plan becomes tasks";
    }
}

/// Defines [`Invalid`]: each case once, with its key and its English sentence
/// (fields by name); `key`, `params` and `samples` follow from the same table.
macro_rules! invalid {
    ($($(#[$doc:meta])* $case:ident $({ $($field:ident : $ty:ty),* $(,)? })? = $key:literal, $en:literal;)*) => {
        /// Input the domain refuses: what is wrong with it, and how to fix it.
        #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
        pub enum Invalid {
            $($(#[$doc])* #[error($en)] $case $({ $($field: $ty),* })?,)*
        }

        impl Invalid {
            /// Every key, in the order of the table.
            pub const KEYS: &'static [&'static str] = &[$($key),*];

            pub fn key(&self) -> &'static str {
                match self {
                    $(Self::$case { .. } => $key,)*
                }
            }

            pub fn params(&self) -> Vec<(&'static str, String)> {
                match self {
                    $(Self::$case $({ $($field),* })? => vec![$($((stringify!($field), Param::param($field))),*)?],)*
                }
            }

            /// One of each case, with example parameters.
            pub fn samples() -> Vec<Self> {
                vec![$(Self::$case $({ $($field: Param::sample()),* })?),*]
            }
        }
    };
}

invalid! {
    TooLong { what: Noun, max: usize, got: usize } = "too-long",
        "a {what} is at most {max} characters; this one has {got}";
    NeedsTitle { what: Noun } = "needs-title", "the {what} needs a title";
    NeedsName { what: Noun } = "needs-name", "a {what} needs a name";
    NeedsText { what: Noun } = "needs-text", "the {what} needs some text";
    IdTaken { what: Noun, id: String } = "id-taken",
        "a {what} with id {id:?} exists already; use a fresh id";
    TooManyChecklistItems { max: usize } = "too-many-checklist-items",
        "a task has at most {max} checklist items";
    NotATime { text: String } = "not-a-time",
        "{text:?} is not a time; write it as HH:MM (e.g. 09:30)";
    NotADate { text: String } = "not-a-date", "{text:?} is not a date; write it like 2026-11-30";
    PersonLeft { name: String } = "person-left",
        "{name} has left the store; assign one of their positions instead";
    DepartmentCycle { name: String } = "department-cycle",
        "{name} cannot move below itself or one of its own departments";
    ReportingCycle { name: String } = "reporting-cycle",
        "{name} cannot report to itself or to someone reporting to it";
    HeadcountAtLeastOne = "headcount-at-least-one", "a position needs a headcount of at least 1";
    HeadcountRange { max: usize } = "headcount-range", "a position's headcount is 1 to {max}";
    PhotoTooBig { kb: usize, max_kb: usize } = "photo-too-big",
        "the photo is {kb} KB; at most {max_kb} KB fit";
    PhotoNotAPicture = "photo-not-a-picture", "the photo must be a JPEG or PNG picture";
    DescribeProblem = "describe-problem", "describe the problem";
    SayResolution = "say-resolution", "say how the problem was resolved";
    UnknownCategory { category: String } = "unknown-category",
        "{category:?} is not a category of problem reports";
    SurveyScore = "survey-score", "a score is 1 to 5";
    TooFewAnswers { min: usize, got: usize } = "too-few-answers",
        "results show once {min} people have answered, so no one can be singled out; {got} so far";
    AnsweredAlready = "answered-already", "this device has answered that survey already";
    UnknownDocumentKind { kind: String } = "unknown-document-kind", "{kind:?} is not a kind of document";
    NotSplitByPeriod { kind: String } = "not-split-by-period",
        "{kind:?} is not split by period; use tasks, plans, meetings, feedback or assessment";
    NoPeriod { kind: String } = "no-period", "{kind} has no period documents";
    PlanLevelMismatch = "plan-level-mismatch",
        "a monthly plan breaks down an annual one and a weekly plan a monthly one";
    NoParentPlan = "no-parent-plan", "this plan has no parent plan to link to";
    EmptyPlan = "empty-plan", "add at least one item before submitting";
    SayWhyReturned = "say-why-returned", "say why the plan is returned";
    NotAPeriod { text: String, level: PlanLevel, example: String } = "not-a-period",
        "{text:?} is not a {level} period; write it like {example}";
    MinutesArePrivate { meeting: String } = "minutes-are-private",
        "the minutes of \"{meeting}\" are for managers only; they are kept in the managers' minutes";
    MinutesArePublic { meeting: String } = "minutes-are-public",
        "the minutes of \"{meeting}\" are for everyone; record them with the meeting";
    RepeatAtMost { weeks: usize } = "repeat-at-most", "repeat a meeting for at most {weeks} weeks";
    InviteNeedsPerson = "invite-needs-person",
        "say whom the device is for: a person of your departments";
    LeftStore { name: String } = "left-store",
        "{name} has left the store, so their devices are signed out; record that they are back to let them in";
    KpiSubject = "kpi-subject", "a KPI is for a department or a person";
    KpiNeedsTarget = "kpi-needs-target", "a KPI needs a name and a target";
    KpiValue = "kpi-value", "a KPI value must be a number";
    KpiNeedsPeriod = "kpi-needs-period", "say which period the value is for";
    AssessmentScore = "assessment-score", "a score is 0 to 100";
    SessionNeedsTopic = "session-needs-topic", "each session needs a topic";
}

impl From<Invalid> for DomainError {
    fn from(i: Invalid) -> Self {
        DomainError::Invalid(i)
    }
}

impl DomainError {
    /// The key and parameters the UI words this refusal by.
    pub fn problem(&self) -> Problem {
        use DomainError as E;
        let p = Problem::new;
        match self {
            E::NotFound { what, id } => p(
                "not-found",
                vec![("what", what.param()), ("id", id.clone())],
            ),
            E::NotYourTask => p("not-your-task", vec![]),
            E::UnknownStatus(s) => p("unknown-status", vec![("text", s.clone())]),
            E::UnknownTemplate(s) => p("unknown-template", vec![("text", s.clone())]),
            E::Malformed(kind, detail) => p(
                "malformed",
                vec![("kind", (*kind).into()), ("detail", detail.clone())],
            ),
            E::SchemaTooNew(v) => p("schema-too-new", vec![("schema", v.to_string())]),
            E::Automerge(detail) => p("document-error", vec![("detail", detail.clone())]),
            E::NotPermitted {
                action,
                needed,
                hint,
            } => p(
                "not-permitted",
                vec![
                    ("action", action.param()),
                    ("needed", needed.param()),
                    ("hint", hint.param()),
                ],
            ),
            E::NeedsPosition {
                action,
                position,
                hint,
            } => p(
                "needs-position",
                vec![
                    ("action", action.param()),
                    ("position", position.clone()),
                    ("hint", hint.param()),
                ],
            ),
            E::MayNotInviteRole { role } => p("may-not-invite-role", vec![("role", role.param())]),
            E::OutOfScope {
                action,
                department,
                hint,
            } => p(
                "out-of-scope",
                vec![
                    ("action", action.param()),
                    ("department", department.clone()),
                    ("hint", hint.param()),
                ],
            ),
            E::IllegalTransition {
                what,
                from,
                to,
                hint,
            } => p(
                "illegal-transition",
                vec![
                    ("what", what.param()),
                    ("from", from.clone()),
                    ("to", to.clone()),
                    ("hint", hint.param()),
                ],
            ),
            E::Invalid(i) => p(i.key(), i.params()),
        }
    }

    /// One of every refusal the domain makes (every [`Invalid`] case included),
    /// with example parameters: what the UI's wording is tested against.
    pub fn samples() -> Vec<DomainError> {
        let mut all = vec![
            DomainError::NotFound {
                what: Noun::Task,
                id: "t1".into(),
            },
            DomainError::NotYourTask,
            DomainError::UnknownStatus("x".into()),
            DomainError::UnknownTemplate("x".into()),
            DomainError::Malformed("tasks", "x".into()),
            DomainError::SchemaTooNew(3),
            DomainError::Automerge("x".into()),
            DomainError::NotPermitted {
                action: Action::ReassignTask,
                needed: Needed::Manager,
                hint: Hint::AskYourManager,
            },
            DomainError::NeedsPosition {
                action: Action::ReviewPlan,
                position: "x".into(),
                hint: Hint::GoesToReportsTo,
            },
            DomainError::MayNotInviteRole {
                role: Role::DepartmentManager,
            },
            DomainError::OutOfScope {
                action: Action::AssignWork,
                department: "x".into(),
                hint: Hint::AskDepartmentManager,
            },
            DomainError::IllegalTransition {
                what: Noun::Plan,
                from: "draft".into(),
                to: "approved".into(),
                hint: Hint::OnlySubmittedReviewed,
            },
        ];
        all.extend(Invalid::samples().into_iter().map(DomainError::Invalid));
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_unique_and_kebab_case() {
        let mut keys: Vec<&str> = DomainError::samples()
            .iter()
            .map(|e| e.problem().key)
            .collect();
        let n = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), n, "a key is used twice");
        assert_eq!(Invalid::samples().len(), Invalid::KEYS.len());
        for k in keys {
            assert!(
                k.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{k}"
            );
        }
    }

    #[test]
    fn word_keys_read_back() {
        for n in Noun::ALL {
            assert_eq!(Noun::from_key(n.key()), Some(*n));
        }
        for a in Action::ALL {
            assert_eq!(Action::from_key(a.key()), Some(*a));
        }
        for h in Hint::ALL {
            assert_eq!(Hint::from_key(h.key()), Some(*h));
        }
        for n in Needed::ALL {
            assert_eq!(Needed::from_key(n.key()), Some(*n));
        }
    }

    #[test]
    fn a_refusal_keeps_its_english_sentence_and_names_its_parameters() {
        let e = DomainError::NotPermitted {
            action: Action::ReassignTask,
            needed: Needed::Manager,
            hint: Hint::AskYourManager,
        };
        assert_eq!(
            e.to_string(),
            "only a manager may reassign this task; ask your department manager or store manager"
        );
        let p = e.problem();
        assert_eq!(p.key, "not-permitted");
        assert_eq!(
            p.params,
            vec![
                ("action", "reassign-task".to_owned()),
                ("needed", "manager".to_owned()),
                ("hint", "ask-your-manager".to_owned())
            ]
        );
    }
}
