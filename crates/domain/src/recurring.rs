//! Recurring work: the tasks duties with a cadence owe, made by any device that
//! holds the duty (a staff phone offline all weekend makes its own), with ids
//! that are the same on every device so nothing is doubled.
//!
//! A device makes the task of the current period and, when the store did the
//! duty before, of every period since it last did — at most [`BACKFILL_DAYS`]
//! back. A past period's task that was never done is **missed**
//! ([`Task::is_missed`]): shown as such, not as overdue work to catch up on.
//! The relay accepts such a task from a device that holds the duty only when
//! it is exactly what [`generated_task`] makes ([`is_generated`]).

use automerge::Automerge;
use autosurgeon::reconcile_prop;

use crate::access::{Actor, departments_of};
use crate::calendar::Date;
use crate::documents::*;
use crate::tasks::tasks_obj;
use crate::{DomainError, transact};

/// How far back a device makes the tasks of periods nobody made (a phone off
/// for a long weekend catches up; one off for a month does not fill its list).
pub const BACKFILL_DAYS: i64 = 7;
/// How far back a device looks for the last period a duty's task was made for
/// (the weeks a device keeps, see the client's `TASK_WEEKS_BACK`).
pub const LOOK_BACK_DAYS: i64 = 56;

/// The period key of `cadence` containing `day` (e.g. `2026-11`, `2026-W48`).
pub fn period_key(cadence: Cadence, day: Date) -> Option<String> {
    Some(match cadence {
        Cadence::Daily => day.to_string(),
        Cadence::Weekly => {
            let (y, w) = day.iso_week();
            format!("{y}-W{w:02}")
        }
        Cadence::Monthly => format!("{:04}-{:02}", day.year, day.month),
        Cadence::Quarterly => format!("{:04}-Q{}", day.year, (day.month - 1) / 3 + 1),
        Cadence::Yearly => format!("{:04}", day.year),
        Cadence::AsNeeded => return None,
    })
}

/// The first day of the `cadence` period containing `day`.
pub fn period_start(cadence: Cadence, day: Date) -> Date {
    let first_of = |m: u32| Date::new(day.year, m, 1).unwrap_or(day);
    match cadence {
        Cadence::Daily | Cadence::AsNeeded => day,
        Cadence::Weekly => day.week_start(),
        Cadence::Monthly => first_of(day.month),
        Cadence::Quarterly => first_of((day.month - 1) / 3 * 3 + 1),
        Cadence::Yearly => first_of(1),
    }
}

/// The last day of the `cadence` period containing `day`.
pub fn period_end(cadence: Cadence, day: Date) -> Date {
    let first_of = |y: i32, m: u32| Date::new(y, m, 1).unwrap_or(day);
    let next_month = |y: i32, m: u32| if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    match cadence {
        Cadence::Daily | Cadence::AsNeeded => day,
        Cadence::Weekly => day.week_start().add_days(6),
        Cadence::Monthly => {
            let (y, m) = next_month(day.year, day.month);
            first_of(y, m).add_days(-1)
        }
        Cadence::Quarterly => {
            let q_end_month = ((day.month - 1) / 3 + 1) * 3;
            let (y, m) = next_month(day.year, q_end_month);
            first_of(y, m).add_days(-1)
        }
        Cadence::Yearly => first_of(day.year + 1, 1).add_days(-1),
    }
}

/// The id of the task a duty generates for a period: the same on every device,
/// so two devices generating offline produce one task.
pub fn recurring_task_id(duty_id: &str, period: &str) -> String {
    format!("{duty_id}@{period}")
}

/// The task `duty` owes for the period containing `day`, as every device makes
/// it (only who made it and when differ).
pub fn generated_task(
    org: &OrgDoc,
    duty_id: &str,
    duty: &Duty,
    day: Date,
    created_by: &str,
    created_at: i64,
) -> Task {
    let mut task = Task::new(duty.text.clone(), created_by, created_at);
    task.source_duty = Some(duty_id.to_owned());
    task.assignee = duty.owner.clone();
    task.department = duty
        .owner
        .as_ref()
        .and_then(|o| departments_of(org, o).into_iter().next());
    task.due = Some(period_end(duty.cadence, day).to_string());
    task
}

/// Whether `task`, stored under `id`, is exactly the task its duty owes for its
/// period (what any device holding the duty may create).
pub fn is_generated(org: &OrgDoc, id: &str, task: &Task) -> bool {
    let Some((duty_id, period)) = id.rsplit_once('@') else {
        return false;
    };
    let (Some(duty), Some(due)) = (org.duties.get(duty_id), task.due_date()) else {
        return false;
    };
    period_key(duty.cadence, due).as_deref() == Some(period)
        && *task == generated_task(org, duty_id, duty, due, &task.created_by, task.created_at)
}

/// Whether `actor` makes the tasks of `duty`: the store's managers every duty's, a
/// department manager those of the departments they manage, anyone the duties
/// they hold (as a person, a position, or a department they work in).
pub fn holds_duty(actor: &Actor, org: &OrgDoc, duty: &Duty) -> bool {
    let mut task = Task::new("", "", 0);
    task.assignee = duty.owner.clone();
    task.department = duty
        .owner
        .as_ref()
        .and_then(|o| departments_of(org, o).into_iter().next());
    holds_task(actor, org, &task)
}

/// [`holds_duty`] for the task a duty made.
pub fn holds_task(actor: &Actor, org: &OrgDoc, task: &Task) -> bool {
    actor.is_store_level()
        || (actor.is_manager() && actor.manages_task(Some(org), task))
        || (task.assignee.is_some() && crate::tasks::is_mine(actor, Some(org), task))
}

/// A recurring task a device owes the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owed {
    pub id: String,
    pub duty_id: String,
    /// A day of its period.
    pub day: Date,
    /// The day whose week's tasks document holds it: its period's first day for
    /// daily and weekly duties (the same on every device); for longer cadences
    /// the day it is made in the current period, its last day for a past one.
    pub home: Date,
}

/// The recurring tasks owed on `today` for the duties `responsible` accepts that
/// `exists` does not know: each duty's current period and, when an earlier
/// period's task exists (within [`LOOK_BACK_DAYS`]), every period since then
/// that started at most [`BACKFILL_DAYS`] ago.
pub fn owed(
    org: &OrgDoc,
    today: Date,
    exists: impl Fn(&str) -> bool,
    responsible: impl Fn(&Duty) -> bool,
) -> Vec<Owed> {
    let mut out = Vec::new();
    for (duty_id, duty) in &org.duties {
        if !responsible(duty) {
            continue;
        }
        let cadence = duty.cadence;
        let mut day = today;
        let mut missing = Vec::new();
        let mut done_before = false;
        while let Some(period) = period_key(cadence, day) {
            let id = recurring_task_id(duty_id, &period);
            if exists(&id) {
                done_before = true;
                break;
            }
            let start = period_start(cadence, day);
            if day == today || start >= today.add_days(-BACKFILL_DAYS) {
                let home = match cadence {
                    Cadence::Daily | Cadence::Weekly => start,
                    _ if day == today => today,
                    _ => period_end(cadence, day),
                };
                missing.push(Owed {
                    id,
                    duty_id: duty_id.clone(),
                    day,
                    home,
                });
            }
            if start <= today.add_days(-LOOK_BACK_DAYS) {
                break;
            }
            day = start.add_days(-1);
        }
        if !done_before {
            // A duty nobody did before (new, or a new store): from today on.
            missing.truncate(1);
        }
        out.extend(missing);
    }
    out
}

/// The tasks of daily and weekly duties for the ISO week starting `monday`
/// whose period has not ended before `from` (today: no work is made for days
/// gone by, before the store existed) and that `exists` does not know: what
/// the relay writes when it opens a week ahead, so devices have the week's work
/// (and progress it offline, merging field by field) before it starts.
pub fn owed_in_week(
    org: &OrgDoc,
    monday: Date,
    from: Date,
    exists: impl Fn(&str) -> bool,
) -> Vec<Owed> {
    let mut out = Vec::new();
    for (duty_id, duty) in &org.duties {
        let days: Vec<Date> = match duty.cadence {
            Cadence::Daily => (0..7).map(|i| monday.add_days(i)).collect(),
            Cadence::Weekly => vec![monday],
            _ => continue,
        };
        for day in days
            .into_iter()
            .filter(|d| period_end(duty.cadence, *d) >= from)
        {
            let Some(period) = period_key(duty.cadence, day) else {
                continue;
            };
            let id = recurring_task_id(duty_id, &period);
            if !exists(&id) {
                out.push(Owed {
                    id,
                    duty_id: duty_id.clone(),
                    day,
                    home: period_start(duty.cadence, day),
                });
            }
        }
    }
    out
}

/// Writes `owed` tasks into `am` in one change. Returns how many were written
/// (those already in `am` are skipped).
pub fn write_owed(
    am: &mut Automerge,
    org: &OrgDoc,
    owed: &[Owed],
    actor: &Actor,
    now_ms: i64,
) -> Result<usize, DomainError> {
    use automerge::ReadDoc;
    let tasks = tasks_obj(am)?;
    let mut due = Vec::new();
    for o in owed {
        if am.get(&tasks, o.id.as_str())?.is_none()
            && let Some(duty) = org.duties.get(&o.duty_id)
        {
            due.push((o, duty));
        }
    }
    if due.is_empty() {
        return Ok(0);
    }
    let count = due.len();
    let days: Vec<Date> = due.iter().map(|(o, _)| o.day).collect();
    let (first, last) = (days.iter().min(), days.iter().max());
    let day = |d: Option<&Date>| d.map(ToString::to_string).unwrap_or_default();
    let message = crate::tasks::said(
        actor,
        crate::history::ChangeKind::Generated {
            count: crate::tasks::count_of(count),
            first: day(first),
            last: day(last),
        },
    );
    transact(am, message, now_ms, |tx| {
        for (o, duty) in due {
            let task = generated_task(org, &o.duty_id, duty, o.day, &actor.name, now_ms);
            reconcile_prop(tx, &tasks, o.id.as_str(), &task)?;
        }
        Ok(())
    })?;
    Ok(count)
}

/// Creates the tasks that duties with a cadence owe for the period containing
/// `today`, skipping those that exist. Returns how many were created.
pub fn generate_recurring(
    am: &mut Automerge,
    org: &OrgDoc,
    today: Date,
    actor: &Actor,
    now_ms: i64,
) -> Result<usize, DomainError> {
    let owed = owed(org, today, |id| has_task(am, id), |_| true);
    write_owed(am, org, &owed, actor, now_ms)
}

/// Whether `am` holds a task `id`.
pub fn has_task(am: &Automerge, id: &str) -> bool {
    use automerge::ReadDoc;
    tasks_obj(am).is_ok_and(|tasks| am.get(&tasks, id).ok().flatten().is_some())
}

impl Task {
    /// A recurring task's period has not started by `today` (the relay opens a week
    /// ahead): not work yet.
    pub fn is_ahead(&self, org: &OrgDoc, today: Date) -> bool {
        self.period_start(org).is_some_and(|start| start > today)
    }

    /// The first day of a recurring task's period (from its duty's cadence).
    pub fn period_start(&self, org: &OrgDoc) -> Option<Date> {
        let duty = org.duties.get(self.source_duty.as_deref()?)?;
        Some(period_start(duty.cadence, self.due_date()?))
    }

    /// A recurring task whose period ended before `today` without it being done.
    pub fn is_missed(&self, today: Date) -> bool {
        self.source_duty.is_some()
            && self.status.is_open()
            && self.due_date().is_some_and(|d| d < today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::new(y, m, day).unwrap()
    }

    fn org_with(duties: &[(&str, Cadence)]) -> OrgDoc {
        let mut org = OrgDoc::default();
        for (id, cadence) in duties {
            org.duties.insert(
                (*id).to_owned(),
                Duty {
                    text: format!("duty {id}"),
                    owner: Some(Owner::Position("pos-a".into())),
                    cadence: *cadence,
                    raci: None,
                },
            );
        }
        org
    }

    #[test]
    fn periods_start_and_end_where_the_calendar_says() {
        let day = d(2026, 11, 18);
        assert_eq!(period_start(Cadence::Weekly, day), d(2026, 11, 16));
        assert_eq!(period_start(Cadence::Monthly, day), d(2026, 11, 1));
        assert_eq!(period_start(Cadence::Quarterly, day), d(2026, 10, 1));
        assert_eq!(period_end(Cadence::Quarterly, day), d(2026, 12, 31));
        assert_eq!(period_start(Cadence::Yearly, day), d(2026, 1, 1));
        for c in [
            Cadence::Daily,
            Cadence::Weekly,
            Cadence::Monthly,
            Cadence::Quarterly,
            Cadence::Yearly,
        ] {
            let (s, e) = (period_start(c, day), period_end(c, day));
            assert_eq!(period_key(c, s), period_key(c, e));
            assert_ne!(period_key(c, s.add_days(-1)), period_key(c, s));
            assert_ne!(period_key(c, e.add_days(1)), period_key(c, e));
        }
    }

    #[test]
    fn a_device_back_after_the_weekend_owes_saturday_sunday_and_monday() {
        let org = org_with(&[("daily", Cadence::Daily), ("weekly", Cadence::Weekly)]);
        let monday = d(2026, 12, 7);
        let made = ["daily@2026-12-04", "weekly@2026-W49"];
        let owed = owed(&org, monday, |id| made.contains(&id), |_| true);
        let ids: Vec<&str> = owed.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "daily@2026-12-07",
                "daily@2026-12-06",
                "daily@2026-12-05",
                "weekly@2026-W50"
            ]
        );
        // Each in its own week's document: Saturday and Sunday in last week's.
        assert_eq!(owed[1].home, d(2026, 12, 6));
        assert_eq!(owed[2].home.week_start(), d(2026, 11, 30));
    }

    #[test]
    fn a_week_opened_ahead_holds_each_day_of_its_daily_duties_and_its_weekly_ones() {
        let org = org_with(&[
            ("daily", Cadence::Daily),
            ("weekly", Cadence::Weekly),
            ("monthly", Cadence::Monthly),
        ]);
        let monday = d(2026, 12, 7);
        let week = owed_in_week(&org, monday, monday, |id| id == "daily@2026-12-07");
        let ids: Vec<&str> = week.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids.len(), 7, "{ids:?}");
        assert!(ids.contains(&"daily@2026-12-13") && ids.contains(&"weekly@2026-W50"));
        assert!(week.iter().all(|o| o.home.week_start() == monday));
        // Opened on Wednesday: nothing for Monday and Tuesday, the week's own task.
        let wednesday = monday.add_days(2);
        let rest = owed_in_week(&org, monday, wednesday, |_| false);
        let ids: Vec<&str> = rest.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids.len(), 6, "{ids:?}");
        assert!(!ids.contains(&"daily@2026-12-08") && ids.contains(&"weekly@2026-W50"));
    }

    #[test]
    fn a_new_duty_or_a_long_absence_owes_only_the_current_period() {
        let org = org_with(&[("daily", Cadence::Daily)]);
        let monday = d(2026, 12, 7);
        let none = owed(&org, monday, |_| false, |_| true);
        assert_eq!(none.len(), 1, "{none:?}");
        // Last done three weeks ago: a week of catching up, no more.
        let old = owed(&org, monday, |id| id == "daily@2026-11-16", |_| true);
        assert_eq!(old.len(), 1 + BACKFILL_DAYS as usize, "{old:?}");
        assert!(owed(&org, monday, |_| true, |_| true).is_empty());
        assert!(owed(&org, monday, |_| false, |_| false).is_empty());
    }

    #[test]
    fn a_past_period_left_open_is_missed_not_overdue() {
        let org = org_with(&[("daily", Cadence::Daily)]);
        let duty = &org.duties["daily"];
        let saturday = d(2026, 12, 5);
        let mut t = generated_task(&org, "daily", duty, saturday, "Li", 1);
        assert!(t.is_missed(d(2026, 12, 7)));
        assert!(!t.is_missed(saturday));
        t.status = TaskStatus::Done;
        assert!(!t.is_missed(d(2026, 12, 7)));
        let mut adhoc = Task::new("x", "Li", 1);
        adhoc.due = Some("2026-12-05".into());
        assert!(!adhoc.is_missed(d(2026, 12, 7)));
    }

    #[test]
    fn only_the_task_a_duty_owes_counts_as_generated() {
        let org = org_with(&[("daily", Cadence::Daily)]);
        let duty = &org.duties["daily"];
        let day = d(2026, 12, 5);
        let t = generated_task(&org, "daily", duty, day, "Li", 1);
        assert!(is_generated(&org, "daily@2026-12-05", &t));
        assert!(
            !is_generated(&org, "daily@2026-12-06", &t),
            "another period"
        );
        assert!(!is_generated(&org, "other@2026-12-05", &t), "another duty");
        let mut done = t.clone();
        done.status = TaskStatus::Done;
        assert!(!is_generated(&org, "daily@2026-12-05", &done));
        let mut retitled = t.clone();
        retitled.title = "count the safe".into();
        assert!(!is_generated(&org, "daily@2026-12-05", &retitled));
        let mut mine = t;
        mine.assignee = Some(Owner::Person("me".into()));
        assert!(!is_generated(&org, "daily@2026-12-05", &mine));
    }

    #[test]
    fn two_devices_making_the_same_days_offline_end_with_one_task_each() {
        let org = org_with(&[("daily", Cadence::Daily)]);
        let mut a = crate::split::new_tasks_doc("2026-W49", 1).unwrap();
        let friday = d(2026, 12, 4);
        let owed_fri = owed(&org, friday, |_| false, |_| true);
        write_owed(&mut a, &org, &owed_fri, &Actor::manager("boss"), 1).unwrap();
        let made = crate::history::task_history(&a, &owed_fri[0].id).unwrap();
        assert_eq!(
            made[0].said.change().map(|c| (c.who.as_str(), &c.what)),
            Some((
                "boss",
                &crate::history::ChangeKind::Generated {
                    count: 1,
                    first: "2026-12-04".into(),
                    last: "2026-12-04".into()
                }
            ))
        );
        let mut b = a.fork();
        let monday = d(2026, 12, 7);
        for (am, who) in [(&mut a, "phone"), (&mut b, "tablet")] {
            let owed = owed(&org, monday, |id| has_task(am, id), |_| true);
            let last_week: Vec<Owed> = owed
                .into_iter()
                .filter(|o| o.home < d(2026, 12, 7))
                .collect();
            assert_eq!(last_week.len(), 2);
            write_owed(am, &org, &last_week, &Actor::manager(who), 2).unwrap();
        }
        a.merge(&mut b).unwrap();
        let tasks: std::collections::BTreeMap<String, Task> =
            crate::read_tasks(&a).unwrap().into_iter().collect();
        let ids: Vec<&String> = tasks.keys().collect();
        assert_eq!(
            ids,
            ["daily@2026-12-04", "daily@2026-12-05", "daily@2026-12-06"]
        );
        assert!(tasks["daily@2026-12-05"].is_missed(monday));
    }
}
