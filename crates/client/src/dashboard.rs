//! The managers' dashboard: completion and overdue by department and person, duty
//! coverage, plan progress, KPIs and feedback, and the store's summary (the chain
//! dashboard's row for it: [`crate::chain`]).

use storeops_api::command::GetDashboard;
use storeops_api::dashboard::{
    CoverageSummary, Dashboard, DepartmentSeries, FeedbackCounts, KpiSummary, PersonRates,
    PlanShare, StoreSummary,
};
use storeops_domain::assessment::{self, KpiMetric, KpiReport};
use storeops_domain::calendar::Date;
use storeops_domain::feedback::ReportStatus;
use storeops_domain::plans::{self};
use storeops_domain::{self as domain, Owner, Task, kind};

use crate::device::Run;
use crate::replica::week_key;
use crate::{ClientError, Device, Replica};

impl Replica {
    pub(crate) fn dashboard(&self, weeks: usize) -> Result<Dashboard, ClientError> {
        let actor = self.actor()?;
        actor.require_manager(storeops_domain::problem::Action::SeeDashboard)?;
        let org = self.org()?;
        let today = self.today_date();
        let zone = self.zone();
        let tasks = self.all_tasks()?;
        let weeks = weeks.clamp(1, crate::replica::TASK_WEEKS_BACK as usize + 1);
        let this_monday = today.week_start();
        let mondays: Vec<Date> = (0..weeks)
            .rev()
            .map(|n| this_monday.add_days(-7 * n as i64))
            .collect();
        let reports: Vec<KpiReport> = mondays
            .iter()
            // This week up to today: its later days' duties are not due yet.
            .map(|m| assessment::task_kpis(&tasks, &org, *m, m.add_days(6).min(today), &zone))
            .collect();
        let window = assessment::task_kpis(&tasks, &org, mondays[0], today, &zone);
        // Missed duties are counted by the completion rate, not as overdue work;
        // a duty's later days (opened a week ahead) are not open work yet.
        let is_overdue = |t: &Task| {
            t.status.is_open() && t.due_date().is_some_and(|d| d < today) && !t.is_missed(today)
        };
        let current = |t: &&Task| !t.is_ahead(&org, today);
        let tasks: Vec<(String, Task)> = tasks.into_iter().filter(|(_, t)| current(&t)).collect();
        let scope = if actor.is_store_level() {
            None
        } else {
            Some(actor.scope_departments(&org))
        };
        let in_scope = |d: &str| scope.as_ref().is_none_or(|s| s.contains(d));
        let departments = org
            .departments
            .iter()
            .filter(|(id, _)| in_scope(id))
            .map(|(id, d)| {
                let of_dept = |t: &&Task| t.department.as_deref() == Some(id.as_str());
                DepartmentSeries {
                    id: id.clone(),
                    name: d.name.clone(),
                    completion: reports
                        .iter()
                        .map(|r| r.by_department.get(id).and_then(|x| x.completion_rate()))
                        .collect(),
                    on_time: reports
                        .iter()
                        .map(|r| r.by_department.get(id).and_then(|x| x.on_time_rate()))
                        .collect(),
                    open: tasks
                        .iter()
                        .map(|(_, t)| t)
                        .filter(of_dept)
                        .filter(|t| t.status.is_open())
                        .count(),
                    overdue: tasks
                        .iter()
                        .map(|(_, t)| t)
                        .filter(of_dept)
                        .filter(|t| is_overdue(t))
                        .count(),
                }
            })
            .collect();
        let people = org
            .people
            .iter()
            .filter(|(_, p)| p.active)
            .filter_map(|(id, p)| {
                let dept = p
                    .held_positions()
                    .first()
                    .and_then(|pos| org.positions.get(*pos))
                    .map(|pos| pos.department.clone());
                if !dept.as_deref().is_none_or(in_scope) {
                    return None;
                }
                let rates = window.by_person.get(id).copied().unwrap_or_default();
                let mine = |t: &Task| matches!(&t.assignee, Some(Owner::Person(x)) if x == id);
                Some(PersonRates {
                    id: id.clone(),
                    name: p.name.clone(),
                    department: dept.and_then(|d| org.departments.get(&d).map(|x| x.name.clone())),
                    completion: rates.completion_rate(),
                    on_time: rates.on_time_rate(),
                    overdue: tasks
                        .iter()
                        .filter(|(_, t)| mine(t) && is_overdue(t))
                        .count(),
                    done: rates.done,
                })
            })
            .collect();
        let cov = domain::org::coverage(&org, &tasks);
        let duties: usize = org.duties.len();
        let mut uncovered: Vec<String> = cov
            .duties_without_owner
            .iter()
            .chain(&cov.duties_without_holder)
            .map(|d| org.duties.get(d).map_or(d.clone(), |x| x.text.clone()))
            .collect();
        uncovered.sort();
        uncovered.dedup();
        let year = today.year.to_string();
        let plan_doc = crate::plans::plans_of_year(self, &year)?;
        let plans = plan_doc
            .plans
            .iter()
            .map(|(id, p)| PlanShare {
                id: id.clone(),
                title: p.title.clone(),
                level: p.level,
                status: p.status(),
                share: plans::plan_progress(&plan_doc, id, &tasks).share(),
            })
            .collect();
        let month = format!("{}-{:02}", today.year, today.month);
        let month_report = assessment::task_kpis(
            &tasks,
            &org,
            Date::new(today.year, today.month, 1).unwrap_or(today),
            today,
            &zone,
        );
        let mut kpis = Vec::new();
        for (_, doc) in self.kind_docs(kind::ASSESSMENT, |p| p == year) {
            let Some(read) = self.read_noted(doc, assessment::read_assessment)? else {
                continue;
            };
            for (_, k) in read.kpis {
                let rate = !matches!(k.metric, KpiMetric::Manual);
                kpis.push(KpiSummary {
                    value: assessment::kpi_value(&k, &month_report, &month),
                    owner: domain::owner_name(&org, &k.subject),
                    name: k.name,
                    target: k.target,
                    unit: if rate { "%" } else { "" }.to_owned(),
                    higher_is_better: true,
                });
            }
        }
        let mut fb = FeedbackCounts {
            open: 0,
            in_progress: 0,
            resolved: 0,
            mean_hours_to_resolve: None,
        };
        let mut hours = Vec::new();
        for (rep, _) in self.reports()? {
            match rep.status {
                ReportStatus::Open => fb.open += 1,
                ReportStatus::InProgress => fb.in_progress += 1,
                ReportStatus::Resolved => {
                    fb.resolved += 1;
                    if let Some(at) = rep.resolved_at {
                        hours.push((at - rep.created_at) as f64 / 3_600_000.0);
                    }
                }
            }
        }
        if !hours.is_empty() {
            fb.mean_hours_to_resolve = Some(hours.iter().sum::<f64>() / hours.len() as f64);
        }
        let from_plans = plans::year_progress(&plan_doc, &tasks);
        let summary = StoreSummary {
            completion: window.store.completion_rate(),
            on_time: window.store.on_time_rate(),
            overdue: tasks.iter().filter(|(_, t)| is_overdue(t)).count(),
            open_feedback: fb.open + fb.in_progress,
            plan_progress: (from_plans.tasks > 0).then(|| from_plans.share()),
        };
        Ok(Dashboard {
            summary,
            weeks: mondays.iter().map(|m| week_key(*m)).collect(),
            departments,
            people,
            coverage: CoverageSummary {
                duties,
                covered: duties.saturating_sub(uncovered.len()),
                uncovered,
            },
            plans,
            kpis,
            feedback: fb,
        })
    }
}

/// Rates over the last `weeks` weeks (default 8), coverage, plans, KPIs and feedback
/// (managers).
impl Run<GetDashboard> for Device {
    fn run(&self, c: GetDashboard) -> Result<Dashboard, ClientError> {
        self.replica().dashboard(c.weeks.unwrap_or(8) as usize)
    }
}
