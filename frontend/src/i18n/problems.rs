//! The words for every refusal the device answers, by its key and parameters
//! (`ApiError::key`, `ApiError::params`; the keys are the domain's
//! `storeops_domain::problem` and the device's `ClientError::problem`).
//!
//! English is the device's own message: it is made from the same key and
//! parameters by the domain's one English definition of each refusal. Chinese is
//! worded here, translating the parameters that are keys themselves (field names,
//! actions, roles, statuses, document kinds); a key this UI does not know (a newer
//! device) shows the device's English message.

use std::collections::BTreeMap;

use storeops_api::{ApiError, PlanLevel, PlanStatus, Role, TaskStatus};
use storeops_domain::problem::{Action, Hint, Needed, Noun};

use super::{Lang, plan_level_label, plan_status_label, role_label, status_label};

/// The text of an error from the device, in `lang`.
pub fn api_error_text(lang: Lang, err: &ApiError) -> String {
    match lang {
        Lang::En => sentence(&err.message),
        Lang::Zh => zh(&err.key, &err.params).unwrap_or_else(|| sentence(&err.message)),
    }
}

/// The message with a capital first letter, as a sentence on the screen.
fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The Chinese for `key` with its `params`, or `None` for a key (or a key
/// parameter) this UI does not know.
pub fn zh(key: &str, params: &BTreeMap<String, String>) -> Option<String> {
    let p = |name: &str| params.get(name).map_or("", String::as_str);
    let what = || Noun::from_key(p("what")).map(noun);
    let action = || Action::from_key(p("action")).map(action);
    let hint = || Hint::from_key(p("hint")).map(hint);
    let department = || match p("department") {
        "" => "（未指定部门）".to_owned(),
        d => format!("“{d}”"),
    };
    let text = match key {
        // The domain's refusals.
        "not-found" => format!(
            "找不到这个{}（{}），可能已在别的设备上删除",
            what()?,
            p("id")
        ),
        "not-your-task" => "这个任务属于别人；请让经理重新分配".into(),
        "unknown-status" => format!("“{}”不是任务状态", p("text")),
        "unknown-template" => format!("没有模板“{}”；请选择方案一、二或三", p("text")),
        "malformed" => format!("这份{}文档已损坏，无法读取", kind(p("kind"))),
        "schema-too-new" => "这些数据由更新版本的应用写入；请更新应用".into(),
        "document-error" => "文档内部出错；请重试".into(),
        "not-permitted" => format!(
            "只有{}才能{}；{}",
            Needed::from_key(p("needed")).map(needed)?,
            action()?,
            hint()?
        ),
        "needs-position" => format!("只有“{}”才能{}；{}", p("position"), action()?, hint()?),
        "may-not-invite-role" => format!(
            "只有店长、运营经理或运营总监才能邀请{}的设备；请联系店长",
            role(p("role"))?
        ),
        "out-of-scope" => format!(
            "{}不在你管理的部门内，所以你不能{}；{}",
            department(),
            action()?,
            hint()?
        ),
        "illegal-transition" => {
            let what = Noun::from_key(p("what"))?;
            format!(
                "{}的状态是“{}”，不能变为“{}”；{}",
                noun(what),
                stage(what, p("from"))?,
                stage(what, p("to"))?,
                hint()?
            )
        }
        "too-long" => format!("{}最多 {} 个字，现在有 {} 个", what()?, p("max"), p("got")),
        "needs-title" => format!("{}需要标题", what()?),
        "needs-name" => format!("{}需要名称", what()?),
        "needs-text" => format!("{}需要填写内容", what()?),
        "id-taken" => format!("已有编号为“{}”的{}；请换一个新编号", p("id"), what()?),
        "too-many-checklist-items" => format!("一个任务最多 {} 个检查项", p("max")),
        "not-a-time" => format!("“{}”不是时间；请写成 时:分（如 09:30）", p("text")),
        "not-a-date" => format!("“{}”不是日期；请写成 2026-11-30 这样", p("text")),
        "person-left" => format!("{}已离职；请改为分配给其岗位", p("name")),
        "department-cycle" => format!("“{}”不能移到自己或自己的下级部门之下", p("name")),
        "reporting-cycle" => format!("“{}”不能向自己或向其下级汇报", p("name")),
        "headcount-at-least-one" => "岗位编制至少为 1 人".into(),
        "headcount-range" => format!("岗位编制为 1 到 {} 人", p("max")),
        "photo-too-big" => format!("照片有 {} KB，最多只能 {} KB", p("kb"), p("max_kb")),
        "photo-not-a-picture" => "照片必须是 JPEG 或 PNG 图片".into(),
        "describe-problem" => "请描述问题".into(),
        "say-resolution" => "请说明问题是如何解决的".into(),
        "unknown-category" => format!("“{}”不是问题反馈的类别", p("category")),
        "survey-score" => "评分为 1 到 5 分".into(),
        "too-few-answers" => format!(
            "满 {} 人回答后才显示结果，以免认出个人；目前 {} 人",
            p("min"),
            p("got")
        ),
        "answered-already" => "这台设备已经回答过这份调查".into(),
        "unknown-document-kind" => format!("“{}”不是一种文档", p("kind")),
        "not-split-by-period" => format!("{}文档不按周期拆分", kind(p("kind"))),
        "no-period" => format!("{}文档没有周期", kind(p("kind"))),
        "plan-level-mismatch" => "月度计划分解年度计划，周计划分解月度计划".into(),
        "no-parent-plan" => "这个计划没有可关联的上级计划".into(),
        "empty-plan" => "提交前请至少添加一个条目".into(),
        "say-why-returned" => "请说明退回计划的原因".into(),
        "not-a-period" => format!(
            "“{}”不是{}周期；请写成 {} 这样",
            p("text"),
            plan_level(p("level"))?,
            p("example")
        ),
        "minutes-are-private" => format!("“{}”的纪要仅限经理查看，记在经理纪要中", p("meeting")),
        "minutes-are-public" => format!("“{}”的纪要对所有人公开；请随会议记录", p("meeting")),
        "repeat-at-most" => format!("会议最多重复 {} 周", p("weeks")),
        "invite-needs-person" => "请说明设备给谁用：你所管部门中的一位人员".into(),
        "left-store" => format!("{}已离职，其设备已退出；记录其返岗后才能再使用", p("name")),
        "kpi-subject" => "考核指标针对一个部门或一个人".into(),
        "kpi-needs-target" => "考核指标需要名称和目标值".into(),
        "kpi-value" => "考核指标的值必须是数字".into(),
        "kpi-needs-period" => "请说明这个值属于哪个周期".into(),
        "assessment-score" => "分数为 0 到 100".into(),
        "session-needs-topic" => "每节培训课都需要主题".into(),
        // The device's own.
        "not-enrolled" => "这台设备尚未加入门店；请输入中继地址和邀请码".into(),
        "not-synced-yet" => "门店数据还没有到达；请先连接一次中继".into(),
        "relay-refused" => relay_refusal(p("code")),
        "bad-answer" => "中继的回答无法读取；请更新应用或联系中继管理员".into(),
        "needs-invite-code" => "请输入经理给你的邀请码".into(),
        "needs-store-code" => "请输入中继管理员给你的开店码".into(),
        "needs-store-name" => "请给门店起个名字".into(),
        "needs-device-name" => "请给这台设备起个名字".into(),
        "already-enrolled" => "这台设备已属于一家门店；请先退出".into(),
        "store-not-held" => "这台设备没有这家门店；请在“设置”里用邀请码添加门店".into(),
        "unsynced-changes" => format!(
            "这台设备上有 {} 项更改还没到中继；请先同步，或确认放弃这些更改",
            p("count")
        ),
        "period-not-opened" => format!(
            "还没有经理打开 {} 的{}；请让经理打开一次应用",
            p("period"),
            kind(p("kind"))
        ),
        "bad-owner" => "无法识别负责人；请从组织架构中选择".into(),
        "unreachable" => format!("无法连接中继 {}；请检查地址和网络", p("relay")),
        "bad-relay-url" => format!(
            "“{}”不是中继地址；请写成 http://192.168.1.10:8787 这样",
            p("text")
        ),
        "storage" => "本机存储出错；请检查设备空间后重试".into(),
        "bad-certificate" => "中继的证书文件无法使用；请向中继管理员索取 CA 证书".into(),
        "internal" => "应用内部出错；请重试".into(),
        _ => return None,
    };
    Some(text)
}

/// A refusal of the relay's, by its code.
fn relay_refusal(code: &str) -> String {
    match code {
        "invalid_invite" => "邀请码无效、已用过或已过期；请向经理要一个新的",
        "invalid_grant" => "开店码无效或已用过；请向中继管理员要一个新的",
        "unauthorized" => "这台设备已被撤销或未加入；请用新的邀请码重新加入",
        "forbidden" => "中继拒绝了：你没有这项权限",
        "rate_limited" => "请求太频繁；请稍后再试",
        "already_answered" => "已经回答过这份调查",
        "not_found" => "中继上找不到要找的内容",
        "bad_request" | "invalid" => "中继无法接受这个请求；请检查输入",
        "internal" => "中继暂时无法完成请求；请重试",
        _ => "中继拒绝了这个请求",
    }
    .into()
}

fn noun(n: Noun) -> &'static str {
    match n {
        Noun::Task => "任务",
        Noun::Plan => "计划",
        Noun::PlanItem => "计划条目",
        Noun::ParentPlanItem => "上级计划条目",
        Noun::Person => "人员",
        Noun::Department => "部门",
        Noun::Position => "岗位",
        Noun::Duty => "职责",
        Noun::Meeting => "会议",
        Noun::AgendaItem => "议程条目",
        Noun::ActionItem => "行动项",
        Noun::Survey => "调查",
        Noun::Report => "问题反馈",
        Noun::Photo => "照片",
        Noun::Kpi => "考核指标",
        Noun::Award => "奖励",
        Noun::TrainingPlan => "培训计划",
        Noun::TrainingSession => "培训课",
        Noun::ChecklistItem => "检查项",
        Noun::Title => "标题",
        Noun::Description => "描述",
        Noun::Comment => "评论",
        Noun::Contact => "联系方式",
        Noun::Name => "名称",
    }
}

fn action(a: Action) -> &'static str {
    match a {
        Action::CreateTasks => "创建任务",
        Action::CreateTask => "创建这个任务",
        Action::CreateTasksThere => "在那里创建任务",
        Action::CreateUndepartmentedTask => "创建不属于任何部门的任务",
        Action::AssignWork => "给他们分配工作",
        Action::EditTask => "修改这个任务",
        Action::ReassignTask => "重新分配这个任务",
        Action::CancelTasks => "取消或恢复任务",
        Action::MoveWork => "转移他们的工作",
        Action::HandOverWork => "交接他们的工作",
        Action::AddSubDepartment => "在其下添加部门",
        Action::AddTopDepartment => "添加顶级部门",
        Action::RenameDepartment => "给它改名",
        Action::MoveDepartments => "移动部门",
        Action::ChooseHead => "指定负责人",
        Action::AddPositions => "给它添加岗位",
        Action::ChangePositions => "修改它的岗位",
        Action::MovePositionsInto => "把岗位移入其中",
        Action::AddUnplacedStaff => "添加没有岗位的员工",
        Action::StaffPositions => "给它的岗位安排人员",
        Action::ChangePersonPositions => "修改他们的岗位",
        Action::EditPerson => "修改他们的资料",
        Action::RecordLeaving => "登记他们离职",
        Action::ChangeDuties => "修改那里的职责",
        Action::KeepUnownedDuties => "保留没有负责人的职责",
        Action::RecordContacts => "登记联系方式",
        Action::HandleDepartmentReports => "处理它的问题反馈",
        Action::HandleReports => "处理问题反馈",
        Action::RouteReports => "设置问题反馈的去向",
        Action::OpenSurveys => "发起调查",
        Action::DrawUpPlans => "制定计划",
        Action::DrawUpPositionPlans => "制定它的计划",
        Action::ChangePlans => "修改它的计划",
        Action::SubmitPlans => "提交它的计划",
        Action::CommentOnPlans => "评论它的计划",
        Action::ReviewPlan => "批准或退回这个计划",
        Action::SchedulePlan => "把它的工作排成任务",
        Action::RunDepartmentMeetings => "主持它的会议",
        Action::RunStoreMeetings => "主持全店会议",
        Action::OpenPeriod => "打开新周期的文档",
        Action::InviteDevices => "邀请设备",
        Action::GiveRoles => "为岗位设定角色",
        Action::InviteDeviceFor => "为他们邀请设备",
        Action::SeeDevices => "查看门店的设备",
        Action::SeeDashboard => "查看仪表盘",
        Action::SetKpis => "设定他们的考核指标",
        Action::RecordKpis => "记录他们的考核指标",
        Action::ReadScores => "查看他们的分数",
        Action::Assess => "考核他们",
        Action::AssessYourself => "考核自己",
        Action::GiveAwards => "给他们颁奖",
        Action::PlanDepartmentTraining => "安排它的培训",
        Action::PlanStoreTraining => "安排全店培训",
    }
}

fn needed(n: Needed) -> &'static str {
    match n {
        Needed::Manager => "经理",
        Needed::StoreLevel => "店长、运营经理或运营总监",
        Needed::Company => "代表公司的运营总监",
        Needed::ManagersAbove => "你的上级经理",
    }
}

fn hint(h: Hint) -> &'static str {
    match h {
        Hint::AskYourManager => "请联系你的部门经理或店长",
        Hint::AskStoreManager => "请联系店长",
        Hint::AskDepartmentManager => "请联系该部门的经理或店长",
        Hint::GiveItYourDepartment => "请把它归到你管理的部门，或联系店长",
        Hint::GoesToReportsTo => "它由计划负责岗位的上级岗位审批",
        Hint::AskDirectorForCompany => "请让运营总监记录公司的决定",
        Hint::BlockWithComment => "请改为标记受阻并写下评论",
        Hint::ReportAProblem => "请改为提交问题反馈",
        Hint::RestoreToTodo => "请先恢复为待办",
        Hint::ReopenFirst => "请先重新打开（待办）",
        Hint::WithApprover => "它已在审批人那里",
        Hint::OnlySubmittedReviewed => {
            "只有待审批的计划才能批准或退回，只有已批准的计划才能重新打开"
        }
        Hint::OnlyDraftChanges => "只有草稿或已退回的计划才能修改；请让审批人重新打开",
        Hint::OnlyApprovedWeekly => "只有已批准的周计划才能生成任务",
    }
}

fn role(key: &str) -> Option<String> {
    key.parse::<Role>().ok().map(|r| role_label(Lang::Zh, r))
}

fn plan_level(key: &str) -> Option<&'static str> {
    let level: PlanLevel = serde_json::from_value(serde_json::Value::from(key)).ok()?;
    Some(plan_level_label(Lang::Zh, level))
}

/// A status of a task or a plan, or what a plan cannot become besides one.
fn stage(what: Noun, key: &str) -> Option<&'static str> {
    let of = |v: &str| serde_json::Value::from(v);
    match (what, key) {
        (_, "edited") => Some("已修改"),
        (_, "tasks") => Some("任务"),
        (Noun::Plan, s) => serde_json::from_value::<PlanStatus>(of(s))
            .ok()
            .map(|s| plan_status_label(Lang::Zh, s)),
        (_, s) => serde_json::from_value::<TaskStatus>(of(s))
            .ok()
            .map(|s| status_label(Lang::Zh, s)),
    }
}

/// A kind of document (`tasks`, `plans`, …), or the text itself for one this UI
/// does not know.
fn kind(key: &str) -> String {
    match key {
        "store" => "门店",
        "org" => "组织架构",
        "tasks" => "任务",
        "plans" => "计划",
        "meetings" => "会议",
        "minutes" => "会议纪要",
        "feedback" => "问题反馈",
        "assessment" => "考核",
        "scores" => "考核分数",
        "contacts" => "联系方式",
        other => return other.to_owned(),
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use storeops_client::ClientError;
    use storeops_domain::plans::{self, NewPlan, PlanAction};
    use storeops_domain::problem::{Invalid, Problem};
    use storeops_domain::{Actor, DomainError, NewTask, Owner, StoreSetup, calendar::Date};

    /// Parameters that are keys the UI translates; every other one is data
    /// (ids, numbers, names people typed) shown as it is. A document `kind` is
    /// data too: a known one is translated, one this UI does not know shown as sent.
    const KEY_PARAMS: &[&str] = &[
        "what", "action", "needed", "hint", "role", "from", "to", "level", "code",
    ];

    fn every_problem() -> Vec<Problem> {
        DomainError::samples()
            .iter()
            .map(DomainError::problem)
            .chain(ClientError::samples().iter().map(ClientError::problem))
            .collect()
    }

    /// `problem`'s Chinese with every data parameter given as `〇`.
    fn zh_with_data_masked(problem: &Problem) -> Option<String> {
        let params: BTreeMap<String, String> = problem
            .params
            .iter()
            .map(|(k, v)| {
                let v = if KEY_PARAMS.contains(k) {
                    v.clone()
                } else {
                    "〇".into()
                };
                ((*k).to_owned(), v)
            })
            .collect();
        zh(problem.key, &params)
    }

    /// ASCII words in `text`, beyond the file formats and a sample address that
    /// the sentences name on purpose.
    fn english_words(text: &str) -> Vec<String> {
        text.split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| !w.is_empty() && !["JPEG", "PNG", "KB", "CA", "http"].contains(w))
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn every_key_the_device_can_answer_has_chinese_with_no_english_words() {
        for problem in every_problem() {
            let text = zh_with_data_masked(&problem)
                .unwrap_or_else(|| panic!("no Chinese for {problem:?}"));
            assert!(english_words(&text).is_empty(), "{}: {text}", problem.key);
        }
    }

    #[test]
    fn every_word_a_parameter_can_be_is_translated() {
        for n in Noun::ALL {
            assert!(english_words(noun(*n)).is_empty(), "{n:?}");
        }
        for a in Action::ALL {
            assert!(english_words(action(*a)).is_empty(), "{a:?}");
        }
        for h in Hint::ALL {
            assert!(english_words(hint(*h)).is_empty(), "{h:?}");
        }
        for n in Needed::ALL {
            assert!(english_words(needed(*n)).is_empty(), "{n:?}");
        }
        for k in storeops_domain::kind::PERIODIC.iter().map(|(k, _)| *k) {
            assert!(english_words(&kind(k)).is_empty(), "{k}");
        }
    }

    #[test]
    fn the_test_of_english_words_finds_them() {
        assert_eq!(english_words("只有 a manager 才能"), vec!["a", "manager"]);
        let unknown = Problem::new("newer-key", vec![]);
        assert_eq!(zh_with_data_masked(&unknown), None);
        let bad_param = Problem::new("needs-title", vec![("what", "gadget".into())]);
        assert_eq!(zh_with_data_masked(&bad_param), None);
    }

    #[test]
    fn an_unknown_key_shows_the_english_message_and_a_known_one_never_does() {
        let newer = ApiError::new(storeops_api::ErrorCode::Invalid, "something new went wrong")
            .with_problem("something-new", Vec::<(&str, String)>::new());
        assert_eq!(api_error_text(Lang::Zh, &newer), "Something new went wrong");
        let older = ApiError::new(storeops_api::ErrorCode::Invalid, "old words");
        assert_eq!(api_error_text(Lang::Zh, &older), "Old words");
        let known: ApiError = api_error(Invalid::DescribeProblem.into());
        assert_eq!(api_error_text(Lang::Zh, &known), "请描述问题");
        assert_eq!(api_error_text(Lang::En, &known), "Describe the problem");
    }

    /// What the device answers for `e` (the device's own conversion).
    fn api_error(e: DomainError) -> ApiError {
        ClientError::Domain(e).into()
    }

    fn store() -> storeops_domain::NewStore {
        let setup = StoreSetup {
            id: "store-1".into(),
            name: "Demo".into(),
            time_zone: "Asia/Shanghai".into(),
            locale: "zh-CN".into(),
            org_doc: "org-id".into(),
            tasks_doc: "tasks-id".into(),
        };
        let today = Date::new(2026, 11, 28).expect("a date");
        let template = storeops_domain::template::template("plan3").expect("plan3");
        storeops_domain::new_store(&setup, template, today, 0).expect("a store")
    }

    /// The Chinese a refusal of the domain's reaches the screen with.
    fn on_screen(e: DomainError) -> String {
        let text = api_error_text(Lang::Zh, &api_error(e));
        assert!(
            english_words(&text).is_empty(),
            "English on a Chinese screen: {text}"
        );
        text
    }

    #[test]
    fn a_title_of_201_characters_is_refused_in_chinese() {
        let mut s = store();
        let title = "盘".repeat(201);
        let e = storeops_domain::add_task(
            &mut s.tasks,
            &Actor::manager("李"),
            "t1",
            NewTask::titled(title),
            1,
        )
        .expect_err("too long");
        assert_eq!(on_screen(e), "标题最多 200 个字，现在有 201 个");
    }

    #[test]
    fn a_plan_with_an_empty_title_is_refused_in_chinese() {
        let s = store();
        let org = storeops_domain::read_org(&s.org).expect("org");
        let owner = org.positions.keys().next().expect("a position").clone();
        let mut am = plans::new_plans_doc("2026", 1).expect("plans");
        let new = NewPlan {
            level: storeops_api::PlanLevel::Weekly,
            period: "2026-W48".into(),
            title: "  ".into(),
            owner,
            parent: None,
        };
        let e = plans::create_plan(&mut am, &org, &Actor::manager("李"), "p1", new, 1)
            .expect_err("no title");
        assert_eq!(on_screen(e), "计划需要标题");
    }

    #[test]
    fn staff_reassigning_a_task_is_told_in_chinese_whom_to_ask() {
        let mut s = store();
        let org = storeops_domain::read_org(&s.org).expect("org");
        storeops_domain::add_task(
            &mut s.tasks,
            &Actor::manager("李"),
            "t1",
            NewTask::titled("盘点"),
            1,
        )
        .expect("a task");
        let to = Some(Owner::Position(
            org.positions.keys().next().expect("a position").clone(),
        ));
        let e =
            storeops_domain::reassign_task(&mut s.tasks, &org, &Actor::staff("王"), "t1", to, 2)
                .expect_err("staff may not");
        assert_eq!(
            on_screen(e),
            "只有经理才能重新分配这个任务；请联系你的部门经理或店长"
        );
    }

    #[test]
    fn a_draft_plan_approved_is_refused_in_chinese_with_both_statuses() {
        let s = store();
        let org = storeops_domain::read_org(&s.org).expect("org");
        let (owner, boss) = org
            .positions
            .iter()
            .find_map(|(id, p)| p.reports_to.clone().map(|b| (id.clone(), b)))
            .expect("a position that reports to another");
        let mut am = plans::new_plans_doc("2026", 1).expect("plans");
        let new = NewPlan {
            level: storeops_api::PlanLevel::Weekly,
            period: "2026-W48".into(),
            title: "第 48 周".into(),
            owner,
            parent: None,
        };
        plans::create_plan(&mut am, &org, &Actor::manager("李"), "p1", new, 1).expect("a draft");
        let approver = Actor {
            positions: vec![boss],
            ..Actor::manager("陈")
        };
        let e = plans::review_plan(
            &mut am,
            &org,
            &approver,
            "p1",
            "r1",
            PlanAction::Approve,
            "",
            2,
        )
        .expect_err("a draft is not approved");
        assert_eq!(
            on_screen(e),
            "计划的状态是“草稿”，不能变为“已批准”；只有待审批的计划才能批准或退回，只有已批准的计划才能重新打开"
        );
    }
}
