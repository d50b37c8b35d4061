//! The Today list: my tasks grouped by when they are due, relative to today in the
//! store's time zone. Pure, so it is tested without a browser.

use std::collections::BTreeSet;

use storeops_api::TaskStatus;
use storeops_api::tasks::TaskView;

/// Where a task shows on the Today screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TodayGroup {
    /// Open, due before today.
    Overdue,
    /// A recurring task whose period ended undone: folded, apart from the overdue.
    Missed,
    /// Open, due today.
    Today,
    /// Open, with no due date.
    NoDate,
    /// Open, due after today: collapsed.
    Upcoming,
    /// Done or cancelled today (as far as the list can tell), at the bottom.
    Done,
}

/// The Today list's groups, each most urgent first. Closed tasks that are not today's
/// (done on an earlier day) are left out.
#[derive(Debug, Default, PartialEq)]
pub struct TodayGroups<'a> {
    pub overdue: Vec<&'a TaskView>,
    pub today: Vec<&'a TaskView>,
    pub no_date: Vec<&'a TaskView>,
    pub upcoming: Vec<&'a TaskView>,
    pub done: Vec<&'a TaskView>,
    pub missed: Vec<&'a TaskView>,
}

/// Which group `task` goes in, `None` if it is not shown. `closed_here`: tasks closed on
/// this screen since it was shown; they stay, under Done, whatever their due date.
pub fn group_of(
    task: &TaskView,
    today: &str,
    closed_here: &BTreeSet<String>,
) -> Option<TodayGroup> {
    let due = task.due.as_deref().filter(|d| !d.is_empty());
    if !task.status.is_open() {
        let todays = match due {
            None => true,
            Some(due) => due == today,
        } || task.done_on.as_deref() == Some(today);
        return (todays || closed_here.contains(&task.id)).then_some(TodayGroup::Done);
    }
    if task.is_missed(today) {
        return Some(TodayGroup::Missed);
    }
    // A duty's later days (opened a week ahead) are not today's news.
    if task.starts.as_deref().is_some_and(|s| s > today) {
        return None;
    }
    Some(match due {
        None => TodayGroup::NoDate,
        Some(due) if due < today => TodayGroup::Overdue,
        Some(due) if due == today => TodayGroup::Today,
        Some(_) => TodayGroup::Upcoming,
    })
}

/// Groups `tasks` for `today` (`YYYY-MM-DD`). Within a group: most urgent first, then
/// soonest due; ties keep the backend's order.
pub fn group_today<'a>(
    tasks: &'a [TaskView],
    today: &str,
    closed_here: &BTreeSet<String>,
) -> TodayGroups<'a> {
    let mut groups = TodayGroups::default();
    for task in tasks {
        let list = match group_of(task, today, closed_here) {
            Some(TodayGroup::Overdue) => &mut groups.overdue,
            Some(TodayGroup::Today) => &mut groups.today,
            Some(TodayGroup::NoDate) => &mut groups.no_date,
            Some(TodayGroup::Upcoming) => &mut groups.upcoming,
            Some(TodayGroup::Done) => &mut groups.done,
            Some(TodayGroup::Missed) => &mut groups.missed,
            None => continue,
        };
        list.push(task);
    }
    let urgent_first = |a: &&TaskView, b: &&TaskView| {
        b.priority
            .cmp(&a.priority)
            .then_with(|| match (&a.due, &b.due) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
    };
    for list in [
        &mut groups.overdue,
        &mut groups.today,
        &mut groups.no_date,
        &mut groups.upcoming,
    ] {
        list.sort_by(urgent_first);
    }
    // The latest missed first.
    groups.missed.sort_by(|a, b| b.due.cmp(&a.due));
    groups
}

impl TodayGroups<'_> {
    /// Today's work for the progress bar: (done, total). Open work shown outside
    /// Upcoming, plus what was done today; cancelled tasks count for neither.
    pub fn progress(&self) -> (usize, usize) {
        let open = self.overdue.len() + self.today.len() + self.no_date.len();
        let done = self
            .done
            .iter()
            .filter(|t| t.status == TaskStatus::Done)
            .count();
        (done, open + done)
    }

    /// Nothing to show at all (Upcoming aside).
    pub fn nothing_today(&self) -> bool {
        self.overdue.is_empty()
            && self.today.is_empty()
            && self.no_date.is_empty()
            && self.done.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use storeops_api::Priority;

    use super::*;

    fn task(id: &str, status: &str, due: Option<&str>) -> TaskView {
        TaskView {
            id: id.into(),
            title: id.into(),
            status: crate::ui::wire::parse(status).unwrap_or(TaskStatus::Todo),
            priority: Priority::Normal,
            due: due.map(Into::into),
            assignee: None,
            department: None,
            duty: None,
            assignee_id: None,
            done_at: None,
            done_on: None,
            recurring: false,
            starts: None,
        }
    }

    fn ids(list: &[&TaskView]) -> Vec<String> {
        list.iter().map(|t| t.id.clone()).collect()
    }

    const TODAY: &str = "2026-11-28";

    #[test]
    fn open_tasks_go_by_due_date_and_undated_ones_still_show() {
        let tasks = vec![
            task("late", "todo", Some("2026-11-27")),
            task("now", "in_progress", Some(TODAY)),
            task("later", "todo", Some("2026-11-30")),
            task("someday", "blocked", None),
        ];
        let g = group_today(&tasks, TODAY, &BTreeSet::new());
        assert_eq!(ids(&g.overdue), ["late"]);
        assert_eq!(ids(&g.today), ["now"]);
        assert_eq!(ids(&g.upcoming), ["later"]);
        assert_eq!(ids(&g.no_date), ["someday"]);
        assert!(g.done.is_empty());
    }

    #[test]
    fn a_duty_left_undone_past_its_day_is_missed_not_overdue() {
        let mut saturday = task("daily@2026-11-21", "todo", Some("2026-11-21"));
        saturday.recurring = true;
        let mut friday = task("daily@2026-11-20", "todo", Some("2026-11-20"));
        friday.recurring = true;
        let mut today = task("daily@2026-11-28", "todo", Some(TODAY));
        today.recurring = true;
        let mut done_late = task("daily@2026-11-19", "done", Some("2026-11-19"));
        done_late.recurring = true;
        let mut tomorrow = task("daily@2026-11-29", "todo", Some("2026-11-29"));
        tomorrow.recurring = true;
        tomorrow.starts = Some("2026-11-29".into());
        // This month's count, due at its end, is work now.
        let mut count = task("count@2026-11", "todo", Some("2026-11-30"));
        count.recurring = true;
        count.starts = Some("2026-11-01".into());
        let tasks = vec![
            friday,
            saturday,
            today,
            done_late,
            tomorrow,
            count,
            task("late", "todo", Some("2026-11-27")),
        ];
        let g = group_today(&tasks, TODAY, &BTreeSet::new());
        assert_eq!(ids(&g.missed), ["daily@2026-11-21", "daily@2026-11-20"]);
        assert_eq!(ids(&g.overdue), ["late"]);
        assert_eq!(ids(&g.today), ["daily@2026-11-28"]);
        assert_eq!(ids(&g.upcoming), ["count@2026-11"], "tomorrow's duty waits");
        // Missed work is not today's to do.
        assert_eq!(g.progress(), (0, 2));
    }

    #[test]
    fn done_today_shows_at_the_bottom_and_older_done_work_does_not() {
        let tasks = vec![
            task("done-today", "done", Some(TODAY)),
            task("done-before", "done", Some("2026-11-01")),
            task("done-undated", "done", None),
            task("cancelled-today", "cancelled", Some(TODAY)),
        ];
        let g = group_today(&tasks, TODAY, &BTreeSet::new());
        assert_eq!(
            ids(&g.done),
            ["done-today", "done-undated", "cancelled-today"]
        );
        // Cancelled work is neither done nor to do.
        assert_eq!(g.progress(), (2, 2));
    }

    #[test]
    fn work_due_later_but_finished_today_on_another_device_is_under_done() {
        let mut early = task("month-end", "done", Some("2026-11-30"));
        early.done_on = Some(TODAY.into());
        let mut yesterday = task("yesterday", "done", Some("2026-11-30"));
        yesterday.done_on = Some("2026-11-27".into());
        let tasks = vec![early, yesterday];
        let g = group_today(&tasks, TODAY, &BTreeSet::new());
        assert_eq!(ids(&g.done), ["month-end"]);
        assert!(g.upcoming.is_empty());
    }

    #[test]
    fn an_overdue_task_finished_here_stays_under_done() {
        let tasks = vec![task("late", "done", Some("2026-11-20"))];
        let closed: BTreeSet<String> = ["late".to_owned()].into();
        let g = group_today(&tasks, TODAY, &closed);
        assert_eq!(ids(&g.done), ["late"]);
        assert_eq!(g.progress(), (1, 1));
    }

    #[test]
    fn progress_counts_todays_work_not_upcoming() {
        let tasks = vec![
            task("a", "todo", Some("2026-11-27")),
            task("b", "todo", Some(TODAY)),
            task("c", "done", Some(TODAY)),
            task("d", "todo", Some("2026-12-31")),
        ];
        let g = group_today(&tasks, TODAY, &BTreeSet::new());
        assert_eq!(g.progress(), (1, 3));
        assert!(!g.nothing_today());
    }

    #[test]
    fn urgent_work_comes_first_then_the_soonest_due() {
        let mut urgent = task("urgent", "todo", Some("2026-11-26"));
        urgent.priority = Priority::Urgent;
        let tasks = vec![
            task("older", "todo", Some("2026-11-20")),
            task("newer", "todo", Some("2026-11-25")),
            urgent,
        ];
        let g = group_today(&tasks, TODAY, &BTreeSet::new());
        assert_eq!(ids(&g.overdue), ["urgent", "older", "newer"]);
    }

    #[test]
    fn only_upcoming_work_means_nothing_today() {
        let tasks = vec![task("later", "todo", Some("2026-12-01"))];
        let g = group_today(&tasks, TODAY, &BTreeSet::new());
        assert!(g.nothing_today());
        assert_eq!(g.progress(), (0, 0));
    }
}
