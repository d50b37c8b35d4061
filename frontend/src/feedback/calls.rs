//! The feedback screen's commands: reporting a problem (with its photo), working on one, showing its photo.

use storeops_api::ReportStatus;
use storeops_api::command::{
    GetReportPhoto, ReportProblem, RerouteReport, SetFeedbackRoute, SetReportStatus,
};
use yew::Callback;

use crate::i18n::Key;
use crate::services::browser;
use crate::services::call;
use crate::shell::run::say_saved;
use crate::shell::run::{Dispatch, refused, run, save};
use crate::shell::state::{Action, Op};

/// The most a photo may weigh once encoded (the backend refuses more than 300 KB).
const PHOTO_MAX_BYTES: usize = 300 * 1024;

/// What the report form submits; `sent` is called once the report is saved.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportRequest {
    pub category: String,
    pub text: String,
    pub photo: Option<web_sys::File>,
    pub sent: Callback<()>,
}

/// How many bytes a base64 `data:` URL decodes to.
fn data_url_bytes(url: &str) -> usize {
    let payload = url.split_once(',').map_or(url, |(_, p)| p);
    payload.len() / 4 * 3
}

/// Scales the photo down and encodes it, lowering the quality until it is small enough.
async fn encode_photo(file: &web_sys::File) -> Result<String, Key> {
    for quality in [0.7, 0.5, 0.35] {
        let url = browser::scale_photo(file, quality).await.map_err(|err| {
            web_sys::console::warn_1(&format!("photo: {err}").into());
            Key::PhotoUnreadable
        })?;
        if data_url_bytes(&url) <= PHOTO_MAX_BYTES {
            return Ok(url);
        }
    }
    Err(Key::PhotoTooLarge)
}

pub fn report_problem(d: &Dispatch, req: ReportRequest) {
    let text = req.text.trim().to_owned();
    if text.is_empty() {
        return refused(d, Key::ReportTextNeeded);
    }
    let ReportRequest {
        category,
        photo,
        sent,
        ..
    } = req;
    // The photo is encoded while the form is busy; a photo that cannot be is refused.
    let command = {
        let d = d.clone();
        async move {
            let photo = match &photo {
                Some(file) => match encode_photo(file).await {
                    Ok(url) => Some(url),
                    Err(key) => {
                        refused(&d, key);
                        return Ok(None);
                    }
                },
                None => None,
            };
            call(ReportProblem {
                category,
                text,
                photo,
            })
            .await
            .map(Some)
        }
    };
    run(d, Op::ReportProblem, command, move |d, board, at| {
        let Some(board) = board else { return };
        d.dispatch(Action::FeedbackLoaded {
            board,
            asked_at: at,
        });
        say_saved(d, at);
        sent.emit(());
    });
}

/// Starting work on a report, or resolving it with what was done.
pub fn set_report_status(
    d: &Dispatch,
    report_id: String,
    status: ReportStatus,
    resolution: Option<String>,
) {
    let resolution = resolution
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    if status == ReportStatus::Resolved && resolution.is_none() {
        return refused(d, Key::ResolutionNeeded);
    }
    let op = Op::ReportStatus(report_id.clone());
    let command = call(SetReportStatus {
        report_id,
        status,
        resolution,
    });
    save_board(d, op, command);
}

/// Runs a feedback command and shows the board it answers.
fn save_board(
    d: &Dispatch,
    op: Op,
    command: impl std::future::Future<
        Output = Result<storeops_api::feedback::FeedbackBoard, storeops_api::ApiError>,
    > + 'static,
) {
    save(d, op, command, |d, board, at| {
        d.dispatch(Action::FeedbackLoaded {
            board,
            asked_at: at,
        });
    });
}

/// Routes a category of reports to a department (the store's managers).
pub fn set_route(d: &Dispatch, category: String, department: String) {
    let command = call(SetFeedbackRoute {
        category,
        department,
    });
    save_board(d, Op::FeedbackRoute, command);
}

/// Sends one report to another department.
pub fn reroute(d: &Dispatch, report_id: String, department: String) {
    let op = Op::ReportStatus(report_id.clone());
    let command = call(RerouteReport {
        report_id,
        department,
    });
    save_board(d, op, command);
}

/// "Show photo" on a report: fetched once, then kept.
pub fn load_photo(d: &Dispatch, report_id: String) {
    let op = Op::Photo(report_id.clone());
    let command = call(GetReportPhoto {
        report_id: report_id.clone(),
    });
    run(d, op, command, move |d, url, _| {
        d.dispatch(Action::PhotoLoaded {
            report: report_id,
            url,
        });
    });
}
