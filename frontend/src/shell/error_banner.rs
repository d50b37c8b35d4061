use crate::shell::context::use_lang;
use storeops_api::ErrorCode;
use yew::prelude::*;

use crate::i18n::{Key, Lang, t};
use crate::shell::state::Problem;

/// The words for a problem: the backend's own message, or ours for problems on this side.
pub fn problem_text(lang: Lang, problem: &Problem) -> String {
    match problem {
        Problem::Ui(key) => t(lang, *key).to_owned(),
        Problem::Api(err) if err.code == ErrorCode::Unavailable => {
            format!("{} ({})", t(lang, Key::BackendUnavailable), err.message)
        }
        Problem::Api(err) if err.code == ErrorCode::BadReply => {
            format!("{} ({})", t(lang, Key::BadReply), err.message)
        }
        Problem::Api(err) => err.message.clone(),
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct ErrorBannerProps {
    pub problem: Option<Problem>,
    pub on_dismiss: Callback<()>,
}

#[function_component(ErrorBanner)]
pub fn error_banner(props: &ErrorBannerProps) -> Html {
    let lang = use_lang();
    let Some(problem) = &props.problem else {
        return html! {};
    };
    let code = match problem {
        Problem::Api(err) => Some(err.code.as_str()),
        Problem::Ui(_) => None,
    };
    let onclick = props.on_dismiss.reform(|_: MouseEvent| ());
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
