//! The meetings screen's commands.

use storeops_api::command::{
    ActionsToTasks, AddActionItem, AddAgendaItem, CreateMeeting, SetMinutes,
};
use storeops_api::meetings::MeetingBoard;
use yew::Callback;

use crate::i18n::Key;
use crate::services::browser;
use crate::services::call;
use crate::shell::run::{Dispatch, refused, save};
use crate::shell::state::{Action, Op};
use crate::ui::line_form::TextRequest;

pub fn open_meeting(d: &Dispatch, meeting_id: Option<String>) {
    d.dispatch(Action::OpenMeeting(meeting_id));
    browser::scroll_to_top();
}

/// What the new-meeting form submits; `created` is called once it is saved.
#[derive(Clone, Debug, PartialEq)]
pub struct NewMeetingRequest {
    pub meeting: CreateMeeting,
    pub created: Callback<()>,
}

pub fn create_meeting(d: &Dispatch, req: NewMeetingRequest) {
    let mut meeting = req.meeting;
    meeting.title = meeting.title.trim().to_owned();
    meeting.agenda = meeting
        .agenda
        .iter()
        .map(|line| line.trim().to_owned())
        .filter(|line| !line.is_empty())
        .collect();
    meeting.repeat_weeks = meeting.repeat_weeks.min(12);
    if meeting.title.is_empty() {
        return refused(d, Key::MeetingTitleNeeded);
    }
    if crate::ui::period::Day::parse(&meeting.date).is_none() {
        return refused(d, Key::MeetingDateNeeded);
    }
    let (title, date) = (meeting.title.clone(), meeting.date.clone());
    let created = req.created;
    let command = call(meeting);
    save(d, Op::CreateMeeting, command, move |d, board, at| {
        // The new meeting: the first with its title on its date.
        let new = board
            .meetings
            .iter()
            .find(|m| m.title == title && m.date == date)
            .map(|m| m.id.clone());
        d.dispatch(Action::MeetingsLoaded {
            board,
            asked_at: at,
        });
        d.dispatch(Action::OpenMeeting(new));
        created.emit(());
    });
}

fn meetings_saved(d: &Dispatch, board: MeetingBoard, at: u64) {
    d.dispatch(Action::MeetingsLoaded {
        board,
        asked_at: at,
    });
}

pub fn add_agenda_item(d: &Dispatch, meeting_id: String, req: TextRequest) {
    let text = req.text.trim().to_owned();
    if text.is_empty() {
        return;
    }
    let op = Op::AddAgenda(meeting_id.clone());
    let added = req.added;
    let command = call(AddAgendaItem { meeting_id, text });
    save(d, op, command, move |d, board, at| {
        meetings_saved(d, board, at);
        added.emit(());
    });
}

pub fn set_minutes(d: &Dispatch, meeting_id: String, text: String) {
    let op = Op::Minutes(meeting_id.clone());
    let command = call(SetMinutes { meeting_id, text });
    save(d, op, command, meetings_saved);
}

/// What the action-item form submits; `added` is called once it is saved.
#[derive(Clone, Debug, PartialEq)]
pub struct ActionRequest {
    pub action: AddActionItem,
    pub added: Callback<()>,
}

pub fn add_action_item(d: &Dispatch, req: ActionRequest) {
    let mut action = req.action;
    action.text = action.text.trim().to_owned();
    if action.text.is_empty() {
        return refused(d, Key::ItemTextNeeded);
    }
    let op = Op::AddAction(action.meeting_id.clone());
    let added = req.added;
    let command = call(action);
    save(d, op, command, move |d, board, at| {
        meetings_saved(d, board, at);
        added.emit(());
    });
}

pub fn actions_to_tasks(d: &Dispatch, meeting_id: String) {
    let op = Op::ActionsToTasks(meeting_id.clone());
    let command = call(ActionsToTasks { meeting_id });
    save(d, op, command, meetings_saved);
}
