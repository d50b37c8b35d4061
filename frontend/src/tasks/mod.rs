//! The task list, one task in full, and the team board.

pub mod add_task;
pub mod calls;
pub mod progress;
pub mod search;
pub mod task_detail;
pub mod task_item;
pub mod task_list;
pub mod team_board;
pub mod today;

pub use add_task::AddTaskForm;
pub use progress::TaskProgress;
pub use search::TaskSearch;
pub use task_detail::TaskDetailView;
pub use task_list::TaskList;
pub use team_board::TeamBoardView;
