//! Declares the app's own commands so Tauri generates a permission for each and
//! the capability in `capabilities/default.json` can allow exactly those.

const COMMANDS: &[&str] = &[
    "status",
    "enrol",
    "open_store",
    "list_tasks",
    "add_task",
    "set_task_status",
    "sync_now",
    "org_chart",
    "duty_register",
    "create_invite",
    "sign_out",
    "task_detail",
    "set_checklist_item",
    "add_checklist_item",
    "add_comment",
    "reassign_task",
    "reassign_open_tasks",
    "people_and_positions",
    "team_board",
    "add_person",
    "plans",
    "create_plan",
    "set_plan_item",
    "review_plan",
    "schedule_plan",
    "meetings",
    "create_meeting",
    "add_agenda_item",
    "set_minutes",
    "add_action_item",
    "actions_to_tasks",
    "feedback",
    "report_problem",
    "set_report_status",
    "report_photo",
    "dashboard",
    "add_department",
    "rename_department",
    "move_department",
    "set_department_head",
    "add_position",
    "edit_position",
    "set_person_positions",
    "set_person_active",
    "add_duty",
    "edit_duty",
    "task_from_duty",
    "my_duties",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build configuration");
}
