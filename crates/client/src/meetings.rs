//! Operations meetings: agenda, attendees, minutes, action items that become tasks.

use std::collections::BTreeMap;

use automerge::Automerge;
use storeops_api::Named;
use storeops_api::command::{
    ActionsToTasks, AddActionItem, AddAgendaItem, CreateMeeting, GetMeetings, SetMinutes,
};
use storeops_api::meetings::{ActionView, AgendaView, DepartmentReport, MeetingBoard, MeetingView};
use storeops_domain::calendar::Date;
use storeops_domain::meetings::{self, NewMeeting};
use storeops_domain::{self as domain, OrgDoc, Task, kind};

use crate::device::{Run, check_date, not_found, parse_date, parse_owner, random_id};
use crate::replica::week_key;
use crate::{ClientError, Device, Replica};

fn department_reports(
    org: &OrgDoc,
    tasks: &[(String, Task)],
    week: Date,
    today: Date,
) -> Vec<DepartmentReport> {
    let (from, to) = (week.week_start(), week.week_start().add_days(6));
    org.departments
        .iter()
        .map(|(id, d)| {
            let mut rep = DepartmentReport {
                department: d.name.clone(),
                open: 0,
                done: 0,
                overdue: 0,
            };
            for (_, t) in tasks {
                let Some(due) = t.due_date() else { continue };
                if t.department.as_deref() != Some(id.as_str()) || due < from || due > to {
                    continue;
                }
                match t.status {
                    domain::TaskStatus::Done => rep.done += 1,
                    domain::TaskStatus::Cancelled => {}
                    _ if due < today => {
                        rep.open += 1;
                        rep.overdue += 1;
                    }
                    _ => rep.open += 1,
                }
            }
            rep
        })
        .collect()
}

impl Replica {
    fn meeting_board(&self) -> Result<MeetingBoard, ClientError> {
        let org = self.org()?;
        let actor = self.actor()?;
        let today = self.today_date();
        let task_list = self.all_tasks()?;
        let tasks: BTreeMap<&str, &Task> = task_list.iter().map(|(i, t)| (i.as_str(), t)).collect();
        // The managers' minutes, on managers' devices only.
        let mut managers_minutes = BTreeMap::new();
        for (_, doc) in self.kind_docs(kind::MINUTES, |_| true) {
            // A document that does not read shows no minutes, not a failed screen.
            if let Some(read) = self
                .arrived(&doc)
                .and_then(|am| meetings::read_minutes(am).ok())
            {
                managers_minutes.extend(read.minutes);
            }
        }
        let mut out = Vec::new();
        for (_, doc) in self.kind_docs(kind::MEETINGS, |_| true) {
            let Some(read) = self.read_noted(doc, meetings::read_meetings)? else {
                continue;
            };
            for (id, m) in read.meetings {
                if out.iter().any(|v: &MeetingView| v.id == id) {
                    continue;
                }
                let date: Date = m.date.parse().unwrap_or(today);
                let actions = m
                    .actions
                    .iter()
                    .map(|(aid, a)| {
                        let task_id = meetings::action_task_id(&id, aid);
                        let task = tasks.get(task_id.as_str());
                        ActionView {
                            id: aid.clone(),
                            text: a.text.clone(),
                            owner: a.owner.as_ref().map(|o| domain::owner_name(&org, o)),
                            owner_id: a.owner.as_ref().map(ToString::to_string),
                            due: a.due.clone(),
                            task_id: task.map(|_| task_id.clone()),
                            task_status: task.map(|t| t.status),
                        }
                    })
                    .collect();
                out.push(MeetingView {
                    can_edit: meetings::may_host(&org, &actor, m.department.as_deref()),
                    title: m.title,
                    date: m.date,
                    department: m
                        .department
                        .as_ref()
                        .map(|d| org.departments.get(d).map_or(d.clone(), |x| x.name.clone())),
                    attendees: m
                        .attendees
                        .iter()
                        .map(|p| Named {
                            id: p.clone(),
                            name: org.people.get(p).map_or(p.clone(), |x| x.name.clone()),
                        })
                        .collect(),
                    agenda: m
                        .agenda
                        .iter()
                        .map(|a| AgendaView {
                            id: a.id.clone(),
                            text: a.text.clone(),
                        })
                        .collect(),
                    minutes: if m.managers_only {
                        managers_minutes.remove(&id).unwrap_or_default()
                    } else {
                        m.minutes
                    },
                    managers_only: m.managers_only,
                    actions,
                    department_reports: department_reports(&org, &task_list, date, today),
                    id,
                });
            }
        }
        out.sort_by(|a, b| (b.date.as_str(), &b.id).cmp(&(a.date.as_str(), &a.id)));
        Ok(MeetingBoard {
            can_create: meetings::may_create_meetings(&org, &actor),
            meetings: out,
        })
    }
}

impl Device {
    fn meetings(&self) -> Result<MeetingBoard, ClientError> {
        self.replica().meeting_board()
    }

    /// Schedules a meeting, and `repeat_weeks` more on the same weekday.
    fn create_meeting(&self, c: &CreateMeeting) -> Result<MeetingBoard, ClientError> {
        if c.repeat_weeks > 12 {
            return Err(ClientError::Domain(
                storeops_domain::problem::Invalid::RepeatAtMost { weeks: 12 }.into(),
            ));
        }
        let first = parse_date(&c.date)?;
        let mut r = self.replica();
        let org = r.org()?;
        for n in 0..=i64::from(c.repeat_weeks) {
            let day = first.add_days(7 * n);
            let id = format!("meeting-{}", random_id()?);
            let new = NewMeeting {
                title: c.title.clone(),
                date: day,
                department: c.department.clone(),
                attendees: c.attendees.clone(),
                agenda: c
                    .agenda
                    .iter()
                    .map(|a| a.trim().to_owned())
                    .filter(|a| !a.is_empty())
                    .collect(),
                managers_only: c.managers_only,
            };
            let year = day.year.to_string();
            r.change_period(kind::MEETINGS, &year, |am, actor, now| {
                meetings::create_meeting(am, &org, actor, &id, new, now)
            })?;
        }
        r.meeting_board()
    }

    fn add_agenda_item(&self, meeting: &str, text: &str) -> Result<MeetingBoard, ClientError> {
        let item = format!("agenda-{}", random_id()?);
        let mut r = self.replica();
        let org = r.org()?;
        r.change_holding(kind::MEETINGS, "meetings", meeting, |am, actor, now| {
            meetings::add_agenda_item(am, &org, actor, meeting, &item, text, now)
        })?;
        r.meeting_board()
    }

    /// Records a meeting's minutes: with the meeting, or for a managers-only
    /// meeting in the year's managers' minutes.
    fn set_minutes(&self, meeting: &str, text: &str) -> Result<MeetingBoard, ClientError> {
        let mut r = self.replica();
        let org = r.org()?;
        let doc = r
            .locate(kind::MEETINGS, "meetings", meeting)
            .ok_or_else(|| not_found(storeops_domain::problem::Noun::Meeting, meeting))?;
        let am = r.arrived(&doc).ok_or(ClientError::NotSyncedYet)?;
        let held = meetings::read_meetings(am)?
            .meetings
            .remove(meeting)
            .ok_or_else(|| not_found(storeops_domain::problem::Noun::Meeting, meeting))?;
        if held.managers_only {
            let year = held.date.get(..4).unwrap_or_default().to_owned();
            r.change_period(kind::MINUTES, &year, |am, actor, now| {
                meetings::set_managers_minutes(am, &org, actor, meeting, &held, text, now)
            })?;
        } else {
            r.change_holding(kind::MEETINGS, "meetings", meeting, |am, actor, now| {
                meetings::set_minutes(am, &org, actor, meeting, text, now)
            })?;
        }
        r.meeting_board()
    }

    fn add_action_item(
        &self,
        meeting: &str,
        text: &str,
        owner: Option<&str>,
        due: Option<&str>,
    ) -> Result<MeetingBoard, ClientError> {
        let action = meetings::ActionItem {
            text: text.trim().to_owned(),
            owner: owner.map(parse_owner).transpose()?,
            due: due.map(check_date).transpose()?,
        };
        let id = format!("action-{}", random_id()?);
        let mut r = self.replica();
        let org = r.org()?;
        r.change_holding(kind::MEETINGS, "meetings", meeting, |am, actor, now| {
            meetings::add_action_item(am, &org, actor, meeting, &id, action, now)
        })?;
        r.meeting_board()
    }

    /// Turns a meeting's action items into tasks (in the meeting's week).
    fn actions_to_tasks(&self, meeting: &str) -> Result<MeetingBoard, ClientError> {
        let mut r = self.replica();
        let org = r.org()?;
        let doc = r
            .locate(kind::MEETINGS, "meetings", meeting)
            .ok_or_else(|| not_found(storeops_domain::problem::Noun::Meeting, meeting))?;
        let meetings_am: Automerge = r.arrived(&doc).ok_or(ClientError::NotSyncedYet)?.clone();
        let m = meetings::read_meetings(&meetings_am)?
            .meetings
            .remove(meeting)
            .ok_or_else(|| not_found(storeops_domain::problem::Noun::Meeting, meeting))?;
        let today = r.today_date();
        let day: Date = m.date.parse().unwrap_or(today);
        // Without a date an action is due a week after the meeting.
        let default_due = std::cmp::max(day.add_days(7), today);
        r.change_period(kind::TASKS, &week_key(day), |tasks_am, actor, now| {
            meetings::actions_to_tasks(
                &meetings_am,
                tasks_am,
                &org,
                actor,
                meeting,
                default_due,
                now,
            )
        })?;
        r.meeting_board()
    }
}

impl Run<GetMeetings> for Device {
    fn run(&self, _: GetMeetings) -> Result<MeetingBoard, ClientError> {
        self.meetings()
    }
}

impl Run<CreateMeeting> for Device {
    fn run(&self, c: CreateMeeting) -> Result<MeetingBoard, ClientError> {
        self.create_meeting(&c)
    }
}

impl Run<AddAgendaItem> for Device {
    fn run(&self, c: AddAgendaItem) -> Result<MeetingBoard, ClientError> {
        self.add_agenda_item(&c.meeting_id, &c.text)
    }
}

impl Run<SetMinutes> for Device {
    fn run(&self, c: SetMinutes) -> Result<MeetingBoard, ClientError> {
        self.set_minutes(&c.meeting_id, &c.text)
    }
}

impl Run<AddActionItem> for Device {
    fn run(&self, c: AddActionItem) -> Result<MeetingBoard, ClientError> {
        self.add_action_item(&c.meeting_id, &c.text, c.owner.as_deref(), c.due.as_deref())
    }
}

impl Run<ActionsToTasks> for Device {
    fn run(&self, c: ActionsToTasks) -> Result<MeetingBoard, ClientError> {
        self.actions_to_tasks(&c.meeting_id)
    }
}
