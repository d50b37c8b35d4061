use crate::shell::context::{use_app, use_dispatch, use_lang};
use storeops_api::ErrorCode;
use yew::prelude::*;

use crate::i18n::{Key, Lang, api_error_text, t};
use crate::shell::controller::dismiss_problem;
use crate::shell::state::Problem;

/// The words for a problem: the backend's, worded here by its key in `lang`, or ours
/// for problems on this side.
pub fn problem_text(lang: Lang, problem: &Problem) -> String {
    match problem {
        Problem::Ui(key) => t(lang, *key).to_owned(),
        Problem::Api(err) if err.code == ErrorCode::Unavailable => {
            format!("{} ({})", t(lang, Key::BackendUnavailable), err.message)
        }
        Problem::Api(err) if err.code == ErrorCode::UpdateApp => {
            t(lang, Key::NeedsUpdate).to_owned()
        }
        Problem::Api(err) if err.code == ErrorCode::BadReply => {
            format!("{} ({})", t(lang, Key::BadReply), err.message)
        }
        Problem::Api(err) => api_error_text(lang, err),
    }
}

#[function_component(ErrorBanner)]
pub fn error_banner() -> Html {
    let lang = use_lang();
    let app = use_app();
    let d = use_dispatch();
    let Some(problem) = &app.problem else {
        return html! {};
    };
    let code = match problem {
        Problem::Api(err) => Some(err.code.as_str()),
        Problem::Ui(_) => None,
    };
    let onclick = Callback::from(move |_: MouseEvent| dismiss_problem(&d));
    html! {
        <div id="error-banner" class="banner banner-error" role="alert" data-code={code}>
            <span class="banner-icon" aria-hidden="true"></span>
            <p class="banner-message">{ problem_text(lang, problem) }</p>
            <button
                type="button"
                class="banner-dismiss"
                aria-label={t(lang, Key::Dismiss)}
                title={t(lang, Key::Dismiss)}
                {onclick}
            ></button>
        </div>
    }
}
