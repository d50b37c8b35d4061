use crate::shell::context::{use_app, use_busy, use_dispatch, use_lang};
use storeops_api::Role;
use storeops_api::status::AppStatus;
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::i18n::{self, Key, Lang, t};
use crate::settings::calls::{self, CopyRequest, InviteRequest};
use crate::shell::controller;
use crate::shell::state::Op;
use crate::ui::busy_button;
use crate::ui::form::{self, set_to};
use crate::ui::format;
use crate::ui::wire;

/// The roles a manager can invite a device for.
/// The roles a device of `role` may invite (the relay's rule, `access::may_invite`):
/// the store's managers any, a department manager staff.
fn invite_roles(role: Option<Role>) -> Vec<Role> {
    match role {
        Some(r) if r.is_store_level() => vec![
            Role::Staff,
            Role::DepartmentManager,
            Role::Manager,
            Role::OperationsManager,
            Role::Director,
        ],
        _ => vec![Role::Staff],
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct SettingsProps {
    pub status: AppStatus,
}

/// Language, the store, this device, sync, inviting a device (managers only) and signing
/// out, each in its own card.
#[function_component(Settings)]
pub fn settings(props: &SettingsProps) -> Html {
    let lang = use_lang();
    let status = &props.status;
    let time_zone = status
        .store
        .as_ref()
        .map(|s| s.time_zone.clone())
        .unwrap_or_default();
    html! {
        <div class="settings">
            <LanguageCard />
            <section class="settings-card" aria-labelledby="settings-store-title">
                <h3 class="settings-card-title" id="settings-store-title">{ t(lang, Key::StoreSection) }</h3>
                <dl class="facts">
                    { fact(t(lang, Key::StoreName), status.store.as_ref().map(|s| s.name.clone()), "settings-store-name") }
                    { fact(t(lang, Key::TimeZone), Some(time_zone.clone()).filter(|z| !z.is_empty()).map(|z| i18n::zone_name(lang, &z)), "settings-time-zone") }
                </dl>
            </section>
            <section class="settings-card" aria-labelledby="settings-device-title">
                <h3 class="settings-card-title" id="settings-device-title">{ t(lang, Key::DeviceSection) }</h3>
                <dl class="facts">
                    { fact(t(lang, Key::DeviceName), status.device_name.clone(), "settings-device-name") }
                    { fact(t(lang, Key::Role), status.role.map(|r| i18n::role_label(lang, r)), "settings-role") }
                    { fact(t(lang, Key::RelayUrl), status.relay_url.clone(), "settings-relay-url") }
                </dl>
            </section>
            <SyncCard
                status={status.clone()}
                time_zone={time_zone.clone()}
            />
            if status.is_manager() {
                <InviteCard
                    relay_url={status.relay_url.clone().map(AttrValue::from)}
                    time_zone={time_zone.clone()}
                    roles={invite_roles(status.role)}
                />
                <crate::settings::devices::DevicesCard />
            }
            <crate::chain::AddStoreCard status={status.clone()} />
            <SignOutCard
                store={status.store.as_ref().map(|s| s.name.clone()).unwrap_or_default()}
                pending={status.sync.pending_changes}
            />
        </div>
    }
}

/// One row of a definition list; "—" when the value is unknown.
fn fact(label: &str, value: Option<String>, id: &'static str) -> Html {
    let value = value.filter(|v| !v.is_empty());
    html! {
        <div class="fact">
            <dt>{ label.to_owned() }</dt>
            <dd id={id} class={classes!(value.is_none().then_some("is-unknown"))}>
                { value.unwrap_or_else(|| "—".to_owned()) }
            </dd>
        </div>
    }
}

/// Each language named in itself, as language pickers do.
#[function_component(LanguageCard)]
fn language_card() -> Html {
    let lang = use_lang();
    let d = use_dispatch();
    let button = |choice: Lang, id: &'static str, name: &'static str| {
        let current = choice == lang;
        let d = d.clone();
        let onclick = Callback::from(move |_: MouseEvent| controller::choose_lang(&d, choice));
        html! {
            <button
                type="button"
                {id}
                class="segment"
                lang={choice.tag()}
                aria-pressed={current.to_string()}
                {onclick}
            >
                { name }
            </button>
        }
    };
    html! {
        <section class="settings-card" aria-labelledby="settings-lang-title">
            <h3 class="settings-card-title" id="settings-lang-title">{ t(lang, Key::LanguageSection) }</h3>
            <div class="segmented segmented-wide" role="group" aria-labelledby="settings-lang-title">
                { button(Lang::Zh, "lang-zh", "简体中文") }
                { button(Lang::En, "lang-en", "English") }
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct SyncCardProps {
    status: AppStatus,
    time_zone: AttrValue,
}

#[function_component(SyncCard)]
fn sync_card(props: &SyncCardProps) -> Html {
    let lang = use_lang();
    let syncing = use_busy(Op::Sync);
    let d = use_dispatch();
    let sync = &props.status.sync;
    let connection = html! {
        <span class={classes!("connection", if sync.online { "is-online" } else { "is-offline" })}>
            <span class="sync-dot" aria-hidden="true"></span>
            { t(lang, if sync.online { Key::Online } else { Key::Offline }) }
        </span>
    };
    let last_synced = match sync.last_synced_at {
        Some(ms) => format::sync_time(ms, lang, &props.time_zone),
        None => t(lang, Key::NeverSynced).to_owned(),
    };
    let waiting = if sync.pending_changes > 0 {
        i18n::changes_waiting(lang, sync.pending_changes)
    } else {
        t(lang, Key::AllChangesSynced).to_owned()
    };
    let onclick = Callback::from(move |_: MouseEvent| controller::sync_now(&d));
    html! {
        <section class="settings-card" aria-labelledby="settings-sync-title">
            <h3 class="settings-card-title" id="settings-sync-title">{ t(lang, Key::SyncSection) }</h3>
            <dl class="facts">
                <div class="fact">
                    <dt>{ t(lang, Key::Connection) }</dt>
                    <dd id="settings-connection" data-online={sync.online.to_string()}>{ connection }</dd>
                </div>
                <div class="fact">
                    <dt>{ t(lang, Key::LastSynced) }</dt>
                    <dd id="settings-last-synced">{ last_synced }</dd>
                </div>
                <div class="fact">
                    <dt>{ t(lang, Key::Changes) }</dt>
                    <dd id="settings-pending" data-pending={sync.pending_changes.to_string()}>{ waiting }</dd>
                </div>
            </dl>
            if let Some(err) = &sync.last_error {
                <p class="sync-error settings-sync-error">
                    <strong>{ t(lang, Key::SyncProblem) }{ ": " }</strong>{ err.clone() }
                </p>
            }
            <div class="card-actions">
                { busy_button(lang, Some("settings-sync-now"), "button-secondary", syncing, [Key::SyncNow, Key::Syncing], Some(onclick)) }
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct InviteCardProps {
    relay_url: Option<AttrValue>,
    time_zone: AttrValue,
    /// What this device may invite.
    roles: Vec<Role>,
}

/// A manager makes a one-time code for a new device; the code is shown large, to read out
/// or copy, with when it expires and the relay address to enter with it.
#[function_component(InviteCard)]
fn invite_card(props: &InviteCardProps) -> Html {
    let lang = use_lang();
    let app = use_app();
    let busy = app.is_busy(&Op::Invite);
    let d = use_dispatch();
    // The invite created last, if the manager made one on this visit.
    let invite = app.invite.as_ref();
    let copy = {
        let d = d.clone();
        Callback::from(move |req: CopyRequest| calls::copy(&d, req))
    };
    let person = use_node_ref();
    // Kept so that re-rendering shows the person picked, not the first option again.
    let picked_person = use_state(String::new);
    let copied = use_state(|| false);
    let link_copied = use_state(|| false);
    let web_link_copied = use_state(|| false);
    {
        // A new code has not been copied yet.
        let (copied, link_copied, web_link_copied) =
            (copied.clone(), link_copied.clone(), web_link_copied.clone());
        let code = invite.map(|i| i.code.clone());
        use_effect_with(code, move |_| {
            copied.set(false);
            link_copied.set(false);
            web_link_copied.set(false);
        });
    }

    let on_pick_person = form::picked(&picked_person);
    let on_create = {
        let person = person.clone();
        Callback::from(move |_: MouseEvent| {
            if busy {
                return;
            }
            // The role follows the person's positions: the relay derives it.
            let person = form::chosen(&person);
            calls::create_invite(&d, InviteRequest { person });
        })
    };

    // The people an invite can be for (their positions give a role this device
    // may invite); none until they arrive.
    let people: Vec<_> = app
        .staffing
        .data
        .as_ref()
        .map(|s| {
            s.people
                .iter()
                .filter(|p| p.role.is_some_and(|r| props.roles.contains(&r)))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let role_shown = people
        .iter()
        .find(|p| *picked_person == p.id)
        .and_then(|p| p.role);
    let result = invite.map(|invite| {
        let expires = (invite.expires_at > 0).then(|| {
            i18n::expires(
                lang,
                &format::date_time(invite.expires_at, lang, &props.time_zone),
            )
        });
        html! {
            <div class="invite-result" aria-live="polite">
                <p class="invite-for" data-role={wire::name(invite.role)}>{ i18n::invite_for(lang, invite.role) }</p>
                <div class="invite-code-row">
                    <output id="invite-code-shown" class="invite-code">{ code_groups(&invite.code) }</output>
                    { copy_button(lang, "invite-copy", Key::Copy, invite.code.clone(), &copy, &copied) }
                </div>
                if let Some(expires) = expires {
                    <p class="invite-expiry" id="invite-expiry">{ expires }</p>
                }
                if let Some(relay) = &props.relay_url {
                    <p class="invite-relay">
                        { t(lang, Key::InviteRelayHint) }{ ": " }
                        <span class="invite-relay-url">{ relay.clone() }</span>
                    </p>
                    { phone_link_row(lang, relay, &invite.code, &copy, &web_link_copied) }
                    { invite_link_row(lang, relay, &invite.code, &copy, &link_copied) }
                }
            </div>
        }
    });

    html! {
        <section class="settings-card" id="invite-section" aria-labelledby="settings-invite-title">
            <h3 class="settings-card-title" id="settings-invite-title">{ t(lang, Key::InviteSection) }</h3>
            <p class="card-intro">{ t(lang, Key::InviteIntro) }</p>
            <label class="invite-label" for="invite-person">{ t(lang, Key::InvitePerson) }</label>
            <div class="invite-form invite-person-row">
                <select id="invite-person" class="select" ref={person} onchange={on_pick_person}>
                    <option value="" selected={picked_person.is_empty()}>{ t(lang, Key::ChoosePerson) }</option>
                    {
                        for people.iter().map(|p| html! {
                            <option value={p.id.clone()} selected={*picked_person == p.id}>{ p.name.clone() }</option>
                        })
                    }
                </select>
                { busy_button(lang, Some("invite-create"), "button-primary", busy, [Key::CreateInvite, Key::CreatingInvite], Some(on_create)) }
            </div>
            if let Some(role) = role_shown {
                <p class="invite-role-shown" id="invite-role-shown" data-role={wire::name(role)}>
                    { t(lang, Key::InviteRole) }{ lang.pick(": ", "：") }
                    <strong>{ i18n::role_label(lang, role) }</strong>
                    { " " }<span class="muted">{ t(lang, Key::RoleFromPositions) }</span>
                </p>
            }
            { for result }
        </section>
    }
}

/// An invite code that may break only after a group's hyphen (line breaking
/// alone would not break before a digit), never inside a group.
fn code_groups(code: &str) -> Html {
    let mut groups = code.split('-').peekable();
    let mut out = Vec::new();
    while let Some(group) = groups.next() {
        out.push(html! { { group.to_owned() } });
        if groups.peek().is_some() {
            out.push(html! { <>{ "-" }<wbr /></> });
        }
    }
    out.into_iter().collect()
}

#[derive(Properties, PartialEq, Debug)]
struct SignOutCardProps {
    store: AttrValue,
    /// Changes not yet synced: warned about before signing out.
    pending: u32,
}

/// "Sign out of this device", then a question in the page before anything happens.
#[function_component(SignOutCard)]
fn sign_out_card(props: &SignOutCardProps) -> Html {
    let lang = use_lang();
    let busy = use_busy(Op::SignOut);
    let d = use_dispatch();
    let confirming = use_state(|| false);
    let ask_ref = use_node_ref();
    let confirm_ref = use_node_ref();
    {
        // Focus follows the question: onto "Yes, sign out" when asked, back when cancelled.
        let (ask_ref, confirm_ref) = (ask_ref.clone(), confirm_ref.clone());
        let first = use_mut_ref(|| true);
        use_effect_with(*confirming, move |confirming| {
            let target = if *confirming { &confirm_ref } else { &ask_ref };
            let was_first = std::mem::replace(&mut *first.borrow_mut(), false);
            if !was_first && let Some(el) = target.cast::<HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    let ask = set_to(&confirming, true);
    let cancel = set_to(&confirming, false);
    let confirm = {
        let pending = props.pending;
        Callback::from(move |_: MouseEvent| {
            if !busy {
                calls::sign_out(&d, pending);
            }
        })
    };
    html! {
        <section class="settings-card settings-card-danger" aria-labelledby="settings-sign-out-title">
            <h3 class="settings-card-title" id="settings-sign-out-title">{ t(lang, Key::SignOutSection) }</h3>
            if *confirming {
                <div class="confirm" id="sign-out-confirmation" role="group" aria-labelledby="sign-out-question">
                    <p id="sign-out-question">{ i18n::confirm_sign_out(lang, &props.store) }</p>
                    if props.pending > 0 {
                        <p class="confirm-warning">
                            <span aria-hidden="true">{ "⚠ " }</span>
                            { i18n::unsynced_warning(lang, props.pending) }
                        </p>
                    }
                    <div class="card-actions">
                        <button
                            type="button"
                            id="sign-out-confirm"
                            class="button button-danger"
                            ref={confirm_ref}
                            disabled={busy}
                            aria-busy={busy.to_string()}
                            onclick={confirm}
                        >
                            { t(lang, if busy { Key::SigningOut } else { Key::ConfirmSignOut }) }
                        </button>
                        <button
                            type="button"
                            id="sign-out-cancel"
                            class="button button-quiet"
                            disabled={busy}
                            onclick={cancel}
                        >
                            { t(lang, Key::Cancel) }
                        </button>
                    </div>
                </div>
            } else {
                <div class="card-actions">
                    <button
                        type="button"
                        id="sign-out"
                        class="button button-danger-quiet"
                        ref={ask_ref}
                        onclick={ask}
                    >
                        { t(lang, Key::SignOut) }
                    </button>
                </div>
            }
        </section>
    }
}

/// "Copy" (`label`), which says "Copied" once `text` is on the clipboard.
fn copy_button(
    lang: Lang,
    id: &'static str,
    label: Key,
    text: String,
    on_copy: &Callback<CopyRequest>,
    copied: &UseStateHandle<bool>,
) -> Html {
    let onclick = {
        let (on_copy, copied) = (on_copy.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            let copied = copied.clone();
            on_copy.emit(CopyRequest {
                text: text.clone(),
                copied: Callback::from(move |()| copied.set(true)),
            });
        })
    };
    html! {
        <button type="button" {id} class="button button-secondary" {onclick}>
            if **copied {
                <span class="toast-check" aria-hidden="true"></span>
                { t(lang, Key::Copied) }
            } else {
                { t(lang, label) }
            }
        </button>
    }
}

/// The invite as the web app's link, `https://<relay>/enrol#code=…`, and its QR code: a
/// phone that scans it opens the app from the relay and enrols.
fn phone_link_row(
    lang: Lang,
    relay: &str,
    code: &str,
    on_copy: &Callback<CopyRequest>,
    copied: &UseStateHandle<bool>,
) -> Html {
    let link = crate::settings::invite_link::web_invite_link(relay, code);
    let qr = crate::ui::qr_svg(&link)
        .map(|svg| Html::from_html_unchecked(AttrValue::from(svg)))
        .unwrap_or_default();
    html! {
        <div class="invite-link invite-phone">
            <p class="invite-label">{ t(lang, Key::InvitePhoneLabel) }</p>
            <div id="invite-qr" class="invite-qr" role="img" aria-label={t(lang, Key::InviteQrLabel)}>{ qr }</div>
            <div class="invite-code-row">
                <output id="invite-web-link-shown" class="invite-link-text">{ link.clone() }</output>
                { copy_button(lang, "invite-web-link-copy", Key::CopyLink, link, on_copy, copied) }
            </div>
        </div>
    }
}

/// The invite as a `storeops://enrol?…` link, with its own "Copy link".
fn invite_link_row(
    lang: Lang,
    relay: &str,
    code: &str,
    on_copy: &Callback<CopyRequest>,
    copied: &UseStateHandle<bool>,
) -> Html {
    let link = crate::settings::invite_link::invite_link(relay, code);
    html! {
        <div class="invite-link">
            <p class="invite-label">{ t(lang, Key::InviteLinkLabel) }</p>
            <div class="invite-code-row">
                <output id="invite-link-shown" class="invite-link-text">{ link.clone() }</output>
                { copy_button(lang, "invite-link-copy", Key::CopyLink, link, on_copy, copied) }
            </div>
        </div>
    }
}
