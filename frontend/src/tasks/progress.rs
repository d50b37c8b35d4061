use crate::shell::context::use_lang;
use yew::prelude::*;

use crate::i18n::{self};

#[derive(Properties, PartialEq, Debug)]
pub struct TaskProgressProps {
    pub done: usize,
    pub total: usize,
}

/// "3 of 12 done" over a thin bar.
#[function_component(TaskProgress)]
pub fn task_progress(props: &TaskProgressProps) -> Html {
    let lang = use_lang();
    let text = i18n::progress(lang, props.done, props.total);
    html! {
        <div class="progress" id="task-progress">
            <span class="progress-text">{ text.clone() }</span>
            <progress
                class="progress-bar"
                max={props.total.max(1).to_string()}
                value={props.done.to_string()}
                aria-label={text}
            />
        </div>
    }
}
