//! The words for a task's history and origin, from the structure the device sends
//! (`storeops_api::tasks::Said`, `OriginView`): who did what, from what to what,
//! worded here in each language. A change an older build wrote as an English
//! sentence shows as it was written (it is all there is).

use storeops_api::tasks::{Change, ChangeKind, FieldChange, OriginKind, OriginView, Said};

use super::{Lang, priority_label, status_label};

/// One history entry's text in `lang`.
pub fn said_text(lang: Lang, said: &Said) -> String {
    match said {
        Said::Change(change) => change_text(lang, change),
        Said::Text(text) => text.clone(),
    }
}

/// "Li reassigned the task from Warehouse specialist to Zhao" / "Li 将任务从…改派给…".
pub fn change_text(lang: Lang, change: &Change) -> String {
    let who = change.who.as_str();
    // An owner, or nobody.
    let owner = |o: &Option<String>| match o {
        Some(name) => name.clone(),
        None => lang.pick("nobody", "无人").to_owned(),
    };
    match (&change.what, lang) {
        (ChangeKind::Created { title }, Lang::En) => format!("{who} created the task “{title}”"),
        (ChangeKind::Created { title }, Lang::Zh) => format!("{who} 创建了任务“{title}”"),
        (ChangeKind::Edited { fields }, Lang::En) => {
            format!("{who} edited the task: {}", edits(lang, fields))
        }
        (ChangeKind::Edited { fields }, Lang::Zh) => {
            format!("{who} 编辑了任务：{}", edits(lang, fields))
        }
        (ChangeKind::Reassigned { from, to }, Lang::En) => format!(
            "{who} reassigned the task from {} to {}",
            owner(from),
            owner(to)
        ),
        (ChangeKind::Reassigned { from, to }, Lang::Zh) => {
            format!("{who} 将任务从{}改派给{}", owner(from), owner(to))
        }
        (ChangeKind::ReassignedOpen { count, from, to }, Lang::En) => format!(
            "{who} moved {} of {from} to {}",
            open_tasks(*count),
            owner(to)
        ),
        (ChangeKind::ReassignedOpen { count, from, to }, Lang::Zh) => {
            format!("{who} 将{from}的 {count} 个未完成任务改派给{}", owner(to))
        }
        (ChangeKind::HandedOver { count, person, to }, Lang::En) => format!(
            "{who} handed {} of {person}, who left, to {to}",
            open_tasks(*count)
        ),
        (ChangeKind::HandedOver { count, person, to }, Lang::Zh) => {
            format!("{who} 将已离职的{person}的 {count} 个未完成任务交给{to}")
        }
        (ChangeKind::UnassignedLeft { count, person }, Lang::En) => format!(
            "{who} unassigned {} of {person}, who left and held no position",
            open_tasks(*count)
        ),
        (ChangeKind::UnassignedLeft { count, person }, Lang::Zh) => {
            format!("{person} 已离职且没有岗位，{who} 取消了其 {count} 个未完成任务的分配")
        }
        (ChangeKind::ChecklistItemAdded { item }, Lang::En) => {
            format!("{who} added “{item}” to the checklist")
        }
        (ChangeKind::ChecklistItemAdded { item }, Lang::Zh) => {
            format!("{who} 在检查清单中添加了“{item}”")
        }
        (ChangeKind::Ticked { item, done: true }, Lang::En) => format!("{who} ticked “{item}”"),
        (ChangeKind::Ticked { item, done: false }, Lang::En) => {
            format!("{who} unticked “{item}”")
        }
        (ChangeKind::Ticked { item, done: true }, Lang::Zh) => format!("{who} 勾选了“{item}”"),
        (ChangeKind::Ticked { item, done: false }, Lang::Zh) => {
            format!("{who} 取消勾选了“{item}”")
        }
        (ChangeKind::Commented, Lang::En) => format!("{who} commented"),
        (ChangeKind::Commented, Lang::Zh) => format!("{who} 发表了评论"),
        (ChangeKind::Status { from, to }, Lang::En) => format!(
            "{who} changed the status from {} to {}",
            status_label(lang, *from),
            status_label(lang, *to)
        ),
        (ChangeKind::Status { from, to }, Lang::Zh) => format!(
            "{who} 将状态从“{}”改为“{}”",
            status_label(lang, *from),
            status_label(lang, *to)
        ),
        (ChangeKind::Generated { count, first, last }, Lang::En) => {
            let tasks = match count {
                1 => "1 recurring task".to_owned(),
                n => format!("{n} recurring tasks"),
            };
            if first == last {
                format!("{who} made {tasks} for {first}")
            } else {
                format!("{who} made {tasks} for {first} to {last}")
            }
        }
        (ChangeKind::Generated { count, first, last }, Lang::Zh) => {
            if first == last {
                format!("{who} 生成了 {first} 的 {count} 个周期任务")
            } else {
                format!("{who} 生成了 {first} 至 {last} 的 {count} 个周期任务")
            }
        }
        (ChangeKind::FromMeeting { count, meeting }, Lang::En) => format!(
            "{who} made {} from the action items of the meeting “{meeting}”",
            tasks(*count)
        ),
        (ChangeKind::FromMeeting { count, meeting }, Lang::Zh) => {
            format!("{who} 根据会议“{meeting}”的行动项创建了 {count} 个任务")
        }
        (ChangeKind::FromPlan { count, plan }, Lang::En) => {
            format!("{who} scheduled {} from the plan “{plan}”", tasks(*count))
        }
        (ChangeKind::FromPlan { count, plan }, Lang::Zh) => {
            format!("{who} 根据计划“{plan}”安排了 {count} 个任务")
        }
        (ChangeKind::Other, Lang::En) => format!("{who} changed the task"),
        (ChangeKind::Other, Lang::Zh) => format!("{who} 修改了任务"),
    }
}

fn tasks(n: u32) -> String {
    match n {
        1 => "1 task".to_owned(),
        n => format!("{n} tasks"),
    }
}

fn open_tasks(n: u32) -> String {
    match n {
        1 => "1 open task".to_owned(),
        n => format!("{n} open tasks"),
    }
}

/// "title “A” → “B”; due date 2026-12-01 → —; priority Normal priority → Urgent".
fn edits(lang: Lang, fields: &[FieldChange]) -> String {
    let value = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".to_owned());
    let one = |f: &FieldChange| match (f, lang) {
        (FieldChange::Title { from, to }, Lang::En) => format!("title “{from}” → “{to}”"),
        (FieldChange::Title { from, to }, Lang::Zh) => format!("标题“{from}”→“{to}”"),
        (FieldChange::Description, Lang::En) => "description changed".to_owned(),
        (FieldChange::Description, Lang::Zh) => "描述已修改".to_owned(),
        (FieldChange::Due { from, to }, Lang::En) => {
            format!("due date {} → {}", value(from), value(to))
        }
        (FieldChange::Due { from, to }, Lang::Zh) => {
            format!("截止日期 {} → {}", value(from), value(to))
        }
        (FieldChange::DueTime { from, to }, Lang::En) => {
            format!("due time {} → {}", value(from), value(to))
        }
        (FieldChange::DueTime { from, to }, Lang::Zh) => {
            format!("截止时间 {} → {}", value(from), value(to))
        }
        (FieldChange::Priority { from, to }, _) => format!(
            "{} {} → {}",
            lang.pick("priority", "优先级"),
            priority_label(lang, *from),
            priority_label(lang, *to)
        ),
        (FieldChange::Other, Lang::En) => "another field".to_owned(),
        (FieldChange::Other, Lang::Zh) => "其他字段".to_owned(),
    };
    let parts: Vec<String> = fields.iter().map(one).collect();
    parts.join(lang.pick("; ", "；"))
}

/// "From the meeting “Weekly operations” (2026-12-07)" / "来自会议“周例会”（2026-12-07）".
pub fn origin_text(lang: Lang, origin: &OriginView) -> String {
    let title = origin.title.as_deref();
    let date = origin.date.as_deref();
    match (origin.kind, lang, title) {
        (OriginKind::Meeting, Lang::En, Some(t)) => match date {
            Some(d) => format!("From the meeting “{t}” ({d})"),
            None => format!("From the meeting “{t}”"),
        },
        (OriginKind::Meeting, Lang::Zh, Some(t)) => match date {
            Some(d) => format!("来自会议“{t}”（{d}）"),
            None => format!("来自会议“{t}”"),
        },
        (OriginKind::Plan, Lang::En, Some(t)) => match date {
            Some(d) => format!("From the plan “{t}” ({d})"),
            None => format!("From the plan “{t}”"),
        },
        (OriginKind::Plan, Lang::Zh, Some(t)) => match date {
            Some(d) => format!("来自计划“{t}”（{d}）"),
            None => format!("来自计划“{t}”"),
        },
        (OriginKind::Meeting, Lang::En, None) => "From a meeting's action item".to_owned(),
        (OriginKind::Meeting, Lang::Zh, None) => "来自会议的行动项".to_owned(),
        (OriginKind::Plan, Lang::En, None) => "From a plan".to_owned(),
        (OriginKind::Plan, Lang::Zh, None) => "来自计划".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use storeops_api::{Priority, TaskStatus};

    /// One of each kind; the match makes a new kind a compile error here until it
    /// is worded and tested.
    fn every_kind() -> Vec<ChangeKind> {
        let s = |t: &str| t.to_owned();
        let kinds = vec![
            ChangeKind::Created { title: s("盘点") },
            ChangeKind::Edited {
                fields: vec![
                    FieldChange::Title {
                        from: s("甲"),
                        to: s("乙"),
                    },
                    FieldChange::Description,
                    FieldChange::Due {
                        from: None,
                        to: Some(s("2026-12-01")),
                    },
                    FieldChange::DueTime {
                        from: Some(s("09:00")),
                        to: None,
                    },
                    FieldChange::Priority {
                        from: Priority::Normal,
                        to: Priority::Urgent,
                    },
                    FieldChange::Other,
                ],
            },
            ChangeKind::Reassigned {
                from: Some(s("仓库专员")),
                to: None,
            },
            ChangeKind::ReassignedOpen {
                count: 3,
                from: s("仓库专员"),
                to: Some(s("钱")),
            },
            ChangeKind::HandedOver {
                count: 2,
                person: s("赵"),
                to: s("收银员"),
            },
            ChangeKind::UnassignedLeft {
                count: 1,
                person: s("临时工"),
            },
            ChangeKind::ChecklistItemAdded { item: s("后仓") },
            ChangeKind::Ticked {
                item: s("货架"),
                done: true,
            },
            ChangeKind::Ticked {
                item: s("货架"),
                done: false,
            },
            ChangeKind::Commented,
            ChangeKind::Status {
                from: TaskStatus::Todo,
                to: TaskStatus::Done,
            },
            ChangeKind::Generated {
                count: 7,
                first: s("2026-12-01"),
                last: s("2026-12-07"),
            },
            ChangeKind::Generated {
                count: 1,
                first: s("2026-12-01"),
                last: s("2026-12-01"),
            },
            ChangeKind::FromMeeting {
                count: 2,
                meeting: s("周会"),
            },
            ChangeKind::FromPlan {
                count: 4,
                plan: s("第48周"),
            },
            ChangeKind::Other,
        ];
        for k in &kinds {
            match k {
                ChangeKind::Created { .. }
                | ChangeKind::Edited { .. }
                | ChangeKind::Reassigned { .. }
                | ChangeKind::ReassignedOpen { .. }
                | ChangeKind::HandedOver { .. }
                | ChangeKind::UnassignedLeft { .. }
                | ChangeKind::ChecklistItemAdded { .. }
                | ChangeKind::Ticked { .. }
                | ChangeKind::Commented
                | ChangeKind::Status { .. }
                | ChangeKind::Generated { .. }
                | ChangeKind::FromMeeting { .. }
                | ChangeKind::FromPlan { .. }
                | ChangeKind::Other => {}
            }
        }
        kinds
    }

    /// ASCII words in `text` (dates and times are digits, not words).
    fn english_words(text: &str) -> Vec<String> {
        text.split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn every_change_is_worded_in_chinese_with_no_english_words_and_in_english() {
        for what in every_kind() {
            let change = Change::new("李", what.clone());
            let zh = change_text(Lang::Zh, &change);
            assert!(zh.contains("李"), "{zh}");
            assert!(english_words(&zh).is_empty(), "{what:?}: {zh}");
            let en = change_text(Lang::En, &change);
            assert!(en.starts_with("李 "), "{en}");
            assert!(!english_words(&en).is_empty(), "{what:?}: {en}");
        }
    }

    #[test]
    fn changes_read_naturally() {
        let li = |what| Change::new("Li", what);
        let reassigned = li(ChangeKind::Reassigned {
            from: Some("Warehouse specialist".into()),
            to: Some("Zhao".into()),
        });
        assert_eq!(
            change_text(Lang::En, &reassigned),
            "Li reassigned the task from Warehouse specialist to Zhao"
        );
        assert_eq!(
            change_text(Lang::Zh, &reassigned),
            "Li 将任务从Warehouse specialist改派给Zhao"
        );
        let done = li(ChangeKind::Status {
            from: TaskStatus::InProgress,
            to: TaskStatus::Done,
        });
        assert_eq!(
            change_text(Lang::En, &done),
            "Li changed the status from In progress to Done"
        );
        assert_eq!(
            change_text(Lang::Zh, &done),
            "Li 将状态从“进行中”改为“已完成”"
        );
        let edited = li(ChangeKind::Edited {
            fields: vec![
                FieldChange::Due {
                    from: Some("2026-12-01".into()),
                    to: None,
                },
                FieldChange::Priority {
                    from: Priority::High,
                    to: Priority::Urgent,
                },
            ],
        });
        assert_eq!(
            change_text(Lang::En, &edited),
            "Li edited the task: due date 2026-12-01 → —; priority High priority → Urgent"
        );
        assert_eq!(
            change_text(Lang::Zh, &edited),
            "Li 编辑了任务：截止日期 2026-12-01 → —；优先级 高优先级 → 紧急"
        );
        let moved = li(ChangeKind::ReassignedOpen {
            count: 1,
            from: "Qian".into(),
            to: None,
        });
        assert_eq!(
            change_text(Lang::En, &moved),
            "Li moved 1 open task of Qian to nobody"
        );
    }

    #[test]
    fn an_older_change_shows_its_text_as_written() {
        let old = Said::Text("Zhang created task \"Count\"".into());
        assert_eq!(said_text(Lang::Zh, &old), "Zhang created task \"Count\"");
    }

    #[test]
    fn an_origin_is_worded_with_its_title_and_date_or_without_them() {
        let meeting = OriginView {
            kind: OriginKind::Meeting,
            id: "m1".into(),
            title: Some("周例会".into()),
            date: Some("2026-12-07".into()),
        };
        assert_eq!(
            origin_text(Lang::Zh, &meeting),
            "来自会议“周例会”（2026-12-07）"
        );
        assert_eq!(
            origin_text(Lang::En, &meeting),
            "From the meeting “周例会” (2026-12-07)"
        );
        for kind in [OriginKind::Meeting, OriginKind::Plan] {
            let unknown = OriginView {
                kind,
                id: "x".into(),
                title: None,
                date: None,
            };
            assert!(english_words(&origin_text(Lang::Zh, &unknown)).is_empty());
            let plan = OriginView {
                title: Some("第48周".into()),
                date: Some("2026-12".into()),
                ..unknown
            };
            assert!(english_words(&origin_text(Lang::Zh, &plan)).is_empty());
        }
    }
}
