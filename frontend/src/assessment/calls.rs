//! The assessment screen's commands: each is checked, then sent; every one returns the whole board.

use yew::Callback;

use crate::services::call;
use crate::shell::run::{Dispatch, refused, save};
use crate::shell::state::Action;

/// What a form of the assessment screen submits; `done` is called once it is saved
/// (the form clears itself then).
#[derive(Clone, Debug, PartialEq)]
pub struct AssessmentRequest {
    pub command: crate::assessment::Command,
    pub done: Callback<()>,
}

/// Any assessment command: checked here, then sent; every one returns the whole board.
pub fn assessment_command(d: &Dispatch, req: AssessmentRequest) {
    use crate::assessment::Checked;
    let op = req.command.op();
    let checked = match req.command.check() {
        Ok(checked) => checked,
        Err(key) => return refused(d, key),
    };
    let command = async move {
        match checked {
            Checked::DefineKpi(c) => call(c).await,
            Checked::RecordKpiValue(c) => call(c).await,
            Checked::Assess(c) => call(c).await,
            Checked::GiveAward(c) => call(c).await,
            Checked::PlanTraining(c) => call(c).await,
            Checked::RecordAttendance(c) => call(c).await,
            Checked::OpenSurvey(c) => call(c).await,
            Checked::AnswerSurvey(c) => call(c).await,
        }
    };
    let done = req.done;
    save(d, op, command, move |d, board, at| {
        d.dispatch(Action::AssessmentLoaded {
            board,
            asked_at: at,
        });
        done.emit(());
    });
}
