//! A demo store that looks lived in: sample people in every position
//! ([`add_people`]) and about [`HISTORY_WEEKS`] weeks of history before today
//! ([`write_history`]), made with this crate's own commands, each by the actor
//! who would have taken it (staff complete their own work, department managers
//! draw up plans, the store manager approves or returns them) at a time in the
//! past, from a fixed seed: the same seed gives the same history.
//!
//! The history: the daily, weekly and monthly duties' tasks of every past
//! period, most done on time, some late, some never done (missed); ad-hoc tasks
//! with assignees, due dates, checklists and comments; monthly and weekly plans
//! submitted and approved (one returned with a reason first) and turned into
//! tasks; meetings with minutes and action items turned into tasks; problem
//! reports resolved, in progress and open; KPIs with values, monthly
//! assessments and an award.

use std::collections::{BTreeMap, BTreeSet};

use automerge::Automerge;

use crate::access::Actor;
use crate::assessment::{self, Award, Kpi, KpiMetric};
use crate::calendar::{Date, Zone};
use crate::documents::*;
use crate::feedback::{self, ReportStatus};
use crate::meetings::{self, ActionItem, NewMeeting};
use crate::plans::{self, NewPlan, PlanAction, PlanItem, PlanLevel};
use crate::recurring::{self, Owed};
use crate::rules::{Writer, check_write};
use crate::split::{self, period_of, task_period};
use crate::tasks::{self, NewTask};
use crate::{DomainError, NewStore, Role};

/// How many weeks before the current one the history covers.
pub const HISTORY_WEEKS: i64 = 8;

/// The seed of the relay's demo stores.
pub const SEED: u64 = 0x05ee_d0f5_703e;

/// A small deterministic random number generator (splitmix64): demo data and
/// benchmarks, never secrets.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// 16 hex digits, like the app's ids.
    pub fn hex(&mut self) -> String {
        format!("{:016x}", self.next_u64())
    }
}

/// Sample names, one per position in template order.
const NAMES_ZH: &[&str] = &[
    "王芳", "李娜", "张伟", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周婷", "吴军", "徐丽", "孙浩",
    "马超", "朱琳", "胡斌", "郭靖", "何雪", "高峰", "林涛", "罗欣",
];
const NAMES_EN: &[&str] = &[
    "Wang Fang",
    "Li Na",
    "Zhang Wei",
    "Liu Yang",
    "Chen Jing",
    "Yang Lei",
    "Zhao Min",
    "Huang Qiang",
    "Zhou Ting",
    "Wu Jun",
    "Xu Li",
    "Sun Hao",
    "Ma Chao",
    "Zhu Lin",
    "Hu Bin",
    "Guo Jing",
    "He Xue",
    "Gao Feng",
    "Lin Tao",
    "Luo Xin",
];

/// Puts a sample person (`person-demo-<n>`) in every position of the org chart.
pub fn add_people(org: &mut Automerge, locale: &str, now_ms: i64) -> Result<(), DomainError> {
    let names = if locale.starts_with("zh") {
        NAMES_ZH
    } else {
        NAMES_EN
    };
    let positions: Vec<String> = crate::read_org(org)?
        .positions
        .into_map()
        .into_keys()
        .collect();
    let actor = Actor::manager("Storeops");
    for (i, position) in positions.iter().enumerate() {
        let name = names[i % names.len()];
        crate::org::add_person(
            org,
            &actor,
            &format!("person-demo-{i}"),
            name,
            "",
            &[position.as_str()],
            now_ms,
        )?;
    }
    Ok(())
}

/// The role a demo person acts with: their positions' ([`crate::access::role_of`]).
fn role_of(org: &OrgDoc, person: &str) -> Role {
    crate::access::role_of(org, person).unwrap_or(Role::Staff)
}

/// A period document: its kind, id and content.
pub type PeriodDoc = (&'static str, String, Automerge);

/// Writes the history of the [`HISTORY_WEEKS`] weeks before `today` into a new
/// store whose org chart has its people ([`add_people`]). `periods`: the
/// period documents opened already (by [`split::open_periods`]); history that
/// falls in them is written there. Returns the documents it had to open (past
/// weeks, months, years, scores), each listed in the store document as
/// [`split::open_periods`] lists them, with ids from `new_id`.
pub fn write_history(
    store: &mut NewStore,
    periods: &mut [PeriodDoc],
    today: Date,
    seed: u64,
    new_id: impl FnMut() -> Result<String, DomainError>,
) -> Result<Vec<PeriodDoc>, DomainError> {
    history(store, periods, today, seed, new_id, false).map(|(opened, _)| opened)
}

/// [`write_history`] checking every write against the relay's rules
/// ([`check_write`]) as the actor who made it: also returns the refusals.
pub fn write_history_checked(
    store: &mut NewStore,
    periods: &mut [PeriodDoc],
    today: Date,
    seed: u64,
    new_id: impl FnMut() -> Result<String, DomainError>,
) -> Result<(Vec<PeriodDoc>, Vec<String>), DomainError> {
    history(store, periods, today, seed, new_id, true)
}

fn history(
    store: &mut NewStore,
    periods: &mut [PeriodDoc],
    today: Date,
    seed: u64,
    new_id: impl FnMut() -> Result<String, DomainError>,
    check: bool,
) -> Result<(Vec<PeriodDoc>, Vec<String>), DomainError> {
    let profile = crate::read_store(&store.store)?.profile;
    let zone = Zone::named(&profile.time_zone).unwrap_or_else(|_| Zone::utc());
    let org = crate::read_org(&store.org)?;
    let first: BTreeSet<String> = crate::read_tasks(&store.tasks)?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let listed = crate::read_store(&store.store)?.documents.periods;
    let mut index = BTreeMap::new();
    for (i, (_, id, _)) in periods.iter().enumerate() {
        for (key, ids) in &listed {
            if ids.contains_key(id) {
                index.entry(key.clone()).or_insert(Slot::Given(i));
            }
        }
    }
    let mut w = World {
        cast: Cast::of(&org),
        org,
        zone,
        zh: profile.locale.starts_with("zh"),
        today,
        start: today.week_start().add_days(-7 * HISTORY_WEEKS),
        rng: Rng::new(seed),
        store: &mut store.store,
        first,
        given: periods,
        opened: Vec::new(),
        index,
        relay: Actor::manager("Storeops"),
        new_id: Box::new(new_id),
        check,
        refusals: Vec::new(),
        done: Vec::new(),
    };
    w.duties()?;
    w.ad_hoc()?;
    w.plans()?;
    w.meetings()?;
    w.progress()?;
    w.feedback()?;
    w.assessment()?;
    Ok((w.opened, w.refusals))
}

/// A text in Chinese and in English.
type Words = (&'static str, &'static str);

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

#[derive(Debug, Clone, Copy)]
enum Slot {
    Given(usize),
    Opened(usize),
}

/// The people of the org chart by what they do.
struct Cast {
    /// Person id → their actor.
    actors: BTreeMap<String, Actor>,
    /// The store-level manager (the top position's holder).
    top: Option<String>,
    /// Department heads whose position reports to a held position: (person,
    /// head position, department, approver person).
    heads: Vec<(String, String, String, String)>,
    staff: Vec<String>,
}

impl Cast {
    fn of(org: &OrgDoc) -> Self {
        let mut actors = BTreeMap::new();
        let mut top = None;
        let mut staff = Vec::new();
        for id in org.people.keys() {
            let role = role_of(org, id);
            if let Ok(a) = Actor::for_person(org, id, role) {
                actors.insert(id.clone(), a);
            }
            match role {
                Role::Staff => staff.push(id.clone()),
                r if r.is_store_level() && top.is_none() => top = Some(id.clone()),
                _ => {}
            }
        }
        let holder = |pos: &str| {
            crate::org::holders(org, pos)
                .first()
                .map(|(id, _)| (*id).clone())
        };
        let mut heads = Vec::new();
        for (dept_id, d) in &org.departments {
            let Some(head) = &d.head else { continue };
            let Some(boss) = org.positions.get(head).and_then(|p| p.reports_to.clone()) else {
                continue;
            };
            if let (Some(p), Some(b)) = (holder(head), holder(&boss))
                && p != b
                && role_of(org, &p) == Role::DepartmentManager
            {
                heads.push((p, head.clone(), dept_id.clone(), b));
            }
        }
        Self {
            actors,
            top,
            heads,
            staff,
        }
    }
}

struct World<'a> {
    org: OrgDoc,
    cast: Cast,
    zone: Zone,
    zh: bool,
    today: Date,
    /// The first day of the history (a Monday).
    start: Date,
    rng: Rng,
    store: &'a mut Automerge,
    /// The ids of the tasks in the store's first tasks document.
    first: BTreeSet<String>,
    given: &'a mut [PeriodDoc],
    opened: Vec<PeriodDoc>,
    /// `kind/period` → its document.
    index: BTreeMap<String, Slot>,
    relay: Actor,
    new_id: Box<dyn FnMut() -> Result<String, DomainError> + 'a>,
    check: bool,
    refusals: Vec<String>,
    /// Tasks to progress: (week, id, outcome).
    done: Vec<(String, String, Outcome)>,
}

/// What becomes of a task.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Outcome {
    /// Done on `Date` (on time or late).
    Done(Date),
    /// Left open: missed when it is a duty's, else overdue or still to do.
    Open,
    /// Blocked, with a comment.
    Blocked(Date),
}

impl World<'_> {
    fn t<'s>(&self, zh: &'s str, en: &'s str) -> &'s str {
        if self.zh { zh } else { en }
    }

    /// Unix ms of `hour:minute` on `day` in the store's time zone.
    fn at(&self, day: Date, hour: i64, minute: i64) -> i64 {
        let midnight = day.days_since_epoch() * DAY;
        let offset = i64::from(self.zone.offset_minutes_at(midnight)) * 60_000;
        midnight - offset + hour * HOUR + minute * 60_000
    }

    fn actor(&self, person: &str) -> Result<Actor, DomainError> {
        self.cast
            .actors
            .get(person)
            .cloned()
            .ok_or_else(|| DomainError::NotFound {
                what: crate::problem::Noun::Person,
                id: person.into(),
            })
    }

    fn top(&self) -> Actor {
        self.cast
            .top
            .as_deref()
            .and_then(|p| self.actor(p).ok())
            .unwrap_or_else(|| self.relay.clone())
    }

    /// The slot of the document of `kind` for `period`, opened (at `at`) when
    /// the store lists none.
    fn slot(&mut self, kind: &'static str, period: &str, at: i64) -> Result<Slot, DomainError> {
        let key = split::period_doc_key(kind, period);
        if let Some(s) = self.index.get(&key) {
            return Ok(*s);
        }
        let id = (self.new_id)()?;
        let am = split::new_period_doc(kind, period, at)?;
        split::register_period_doc(self.store, &self.relay, kind, period, &id, at)?;
        self.opened.push((kind, id, am));
        let s = Slot::Opened(self.opened.len() - 1);
        self.index.insert(key, s);
        Ok(s)
    }

    fn doc(
        &mut self,
        kind: &'static str,
        period: &str,
        at: i64,
    ) -> Result<&Automerge, DomainError> {
        Ok(match self.slot(kind, period, at)? {
            Slot::Given(i) => &self.given[i].2,
            Slot::Opened(i) => &self.opened[i].2,
        })
    }

    /// Runs one command on the document of `kind` for `period` as `actor`,
    /// checking the write against the relay's rules when asked to.
    fn act<R>(
        &mut self,
        kind: &'static str,
        period: &str,
        at: i64,
        actor: &Actor,
        f: impl FnOnce(&mut Automerge, &OrgDoc) -> Result<R, DomainError>,
    ) -> Result<R, DomainError> {
        let slot = self.slot(kind, period, at)?;
        let am = match slot {
            Slot::Given(i) => &mut self.given[i].2,
            Slot::Opened(i) => &mut self.opened[i].2,
        };
        let before = am.get_heads();
        let r = f(am, &self.org)?;
        if self.check {
            let writer = Writer::new(
                Some(&self.org),
                actor.role,
                actor.person.as_deref(),
                &actor.name,
            );
            if let Err(e) = check_write(kind, am, &before, &writer, Some(&self.org)) {
                self.refusals
                    .push(format!("{kind}/{period} by {}: {e}", actor.name));
            }
        }
        Ok(r)
    }

    /// Whoever does work owned by `owner`: the person, the position's holder,
    /// the department head's holder (else anyone in the department).
    fn doer(&self, owner: &Owner) -> Option<String> {
        let holder = |pos: &str| {
            crate::org::holders(&self.org, pos)
                .first()
                .map(|(id, _)| (*id).clone())
        };
        match owner {
            Owner::Person(p) => Some(p.clone()),
            Owner::Position(p) => holder(p),
            Owner::Department(d) => {
                let head = self.org.departments.get(d).and_then(|d| d.head.clone());
                head.and_then(|h| holder(&h)).or_else(|| {
                    self.org
                        .people
                        .iter()
                        .find(|(_, p)| {
                            p.held_positions().iter().any(|pos| {
                                self.org
                                    .positions
                                    .get(*pos)
                                    .is_some_and(|x| &x.department == d)
                            })
                        })
                        .map(|(id, _)| id.clone())
                })
            }
        }
    }

    /// When work due `due` (begun `from`) is done, or that it is not: mostly on
    /// time, sometimes a day or two late, sometimes never.
    fn outcome(&mut self, from: Date, due: Date, reliable: u64) -> Outcome {
        let yesterday = self.today.add_days(-1);
        let r = self.rng.below(100);
        if r >= reliable {
            return Outcome::Open;
        }
        let late = r >= reliable.saturating_sub(12);
        let day = if late {
            due.add_days(1 + self.rng.below(2) as i64)
        } else {
            let span = (due.days_since_epoch() - from.days_since_epoch()).max(0) as u64;
            // Most work is done on its last day or just before.
            due.add_days(-(self.rng.below(span.min(2) + 1) as i64))
        };
        if day > yesterday {
            if due > yesterday {
                Outcome::Open
            } else {
                Outcome::Done(due)
            }
        } else {
            Outcome::Done(day.max(from))
        }
    }

    /// How reliably a person does their work (percent), the same every run.
    fn reliability(&self, person: &str) -> u64 {
        let n: u64 = person.bytes().map(u64::from).sum();
        85 + (n * 7) % 13
    }

    /// The duties' tasks of every past period: daily and weekly ones in the
    /// week that starts them, as the relay writes them a week ahead; longer
    /// ones in the week of their last day.
    fn duties(&mut self) -> Result<(), DomainError> {
        let relay = self.relay.clone();
        let mut monday = self.start;
        while monday <= self.today {
            let week = task_period(Some(monday), monday);
            let first = &self.first;
            let owed: Vec<Owed> =
                recurring::owed_in_week(&self.org, monday, monday, |id| first.contains(id))
                    .into_iter()
                    .filter(|o| o.day < self.today)
                    .filter(|o| {
                        self.org
                            .duties
                            .get(&o.duty_id)
                            .is_some_and(|d| recurring::period_end(d.cadence, o.day) < self.today)
                    })
                    .collect();
            let at = self.at(monday.add_days(-7).max(self.start), 3, 0);
            self.write_owed(&week, owed, at, &relay)?;
            monday = monday.add_days(7);
        }
        // Monthly, quarterly and yearly duties whose period ended since the start.
        let mut longer: BTreeMap<String, Vec<Owed>> = BTreeMap::new();
        for (duty_id, duty) in &self.org.duties {
            if matches!(
                duty.cadence,
                Cadence::Daily | Cadence::Weekly | Cadence::AsNeeded
            ) {
                continue;
            }
            let mut day = self.today;
            loop {
                let end = recurring::period_start(duty.cadence, day).add_days(-1);
                if end < self.start {
                    break;
                }
                if let Some(period) = recurring::period_key(duty.cadence, end) {
                    longer
                        .entry(task_period(Some(end), end))
                        .or_default()
                        .push(Owed {
                            id: recurring::recurring_task_id(duty_id, &period),
                            duty_id: duty_id.clone(),
                            day: end,
                            home: end,
                        });
                }
                day = end;
            }
        }
        for (week, owed) in longer {
            let monday = owed[0].day.week_start();
            let at = self.at(monday.max(self.start), 3, 5);
            self.write_owed(&week, owed, at, &relay)?;
        }
        Ok(())
    }

    fn write_owed(
        &mut self,
        week: &str,
        owed: Vec<Owed>,
        at: i64,
        relay: &Actor,
    ) -> Result<(), DomainError> {
        if owed.is_empty() {
            return Ok(());
        }
        self.act(kind::TASKS, week, at, relay, |am, org| {
            recurring::write_owed(am, org, &owed, relay, at)
        })?;
        for o in owed {
            let Some(duty) = self.org.duties.get(&o.duty_id) else {
                continue;
            };
            let (cadence, owner) = (duty.cadence, duty.owner.clone());
            let from = recurring::period_start(cadence, o.day);
            let due = recurring::period_end(cadence, o.day);
            let reliable = owner
                .as_ref()
                .and_then(|ow| self.doer(ow))
                .map_or(90, |p| self.reliability(&p));
            let outcome = self.outcome(from, due, reliable);
            self.done.push((week.to_owned(), o.id, outcome));
        }
        Ok(())
    }

    /// The manager who gives `person` work: the head of their department when a
    /// department manager, else the store manager.
    fn manager_of(&self, person: &str) -> Actor {
        let dept = self
            .org
            .people
            .get(person)
            .and_then(|p| p.held_positions().first().map(|s| s.to_string()))
            .and_then(|pos| self.org.positions.get(&pos).map(|p| p.department.clone()));
        self.cast
            .heads
            .iter()
            .find(|(p, _, d, _)| Some(d) == dept.as_ref() && p != person)
            .and_then(|(p, ..)| self.actor(p).ok())
            .unwrap_or_else(|| self.top())
    }

    /// Ad-hoc tasks given to staff, one every few days.
    fn ad_hoc(&mut self) -> Result<(), DomainError> {
        let work: [(&str, &str, &[Words]); 10] = [
            (
                "整理促销端架",
                "Reset the promotion end caps",
                &[
                    ("撤下旧海报", "Take down old posters"),
                    ("补货", "Restock"),
                    ("拍照上传", "Upload a photo"),
                ],
            ),
            (
                "更正3号通道价签",
                "Fix the price tags in aisle 3",
                &[
                    ("核对系统价格", "Check the system prices"),
                    ("打印新价签", "Print new tags"),
                ],
            ),
            (
                "清洁冷库",
                "Clean the cold room",
                &[
                    ("清空过期商品", "Clear expired goods"),
                    ("消毒", "Disinfect"),
                    ("记录温度", "Log the temperature"),
                ],
            ),
            (
                "培训新收银员退货流程",
                "Train the new cashier on returns",
                &[
                    ("讲解流程", "Walk through the process"),
                    ("模拟操作", "Practise one return"),
                ],
            ),
            (
                "检查灭火器",
                "Check the fire extinguishers",
                &[
                    ("检查压力", "Check the pressure"),
                    ("签检查卡", "Sign the check card"),
                ],
            ),
            (
                "清点破损商品",
                "Count the damaged goods",
                &[
                    ("分类登记", "List them by kind"),
                    ("联系供应商退货", "Ask suppliers to take them back"),
                ],
            ),
            (
                "准备供应商会议资料",
                "Prepare the supplier meeting",
                &[
                    ("汇总到货率", "Sum up on-time deliveries"),
                    ("列出问题", "List the issues"),
                ],
            ),
            (
                "更新员工排班表",
                "Update the staff rota",
                &[
                    ("收集请假", "Collect leave requests"),
                    ("发布排班", "Publish the rota"),
                ],
            ),
            (
                "更换损坏货架",
                "Replace the broken shelf",
                &[
                    ("拆除旧货架", "Remove the old shelf"),
                    ("安装新货架", "Fit the new one"),
                    ("复位商品", "Put the goods back"),
                ],
            ),
            (
                "拍摄新陈列照片",
                "Photograph the new display",
                &[
                    ("拍照", "Take photos"),
                    ("发给市场部", "Send them to marketing"),
                ],
            ),
        ];
        let staff = self.cast.staff.clone();
        if staff.is_empty() {
            return Ok(());
        }
        let total = (self.today.days_since_epoch() - self.start.days_since_epoch()) / 4;
        for k in 0..total {
            let created = self.start.add_days(k * 4 + 1);
            if created >= self.today {
                break;
            }
            let person = staff[(k as usize * 3) % staff.len()].clone();
            let (zh, en, items) = work[k as usize % work.len()];
            let due = created.add_days(1 + self.rng.below(4) as i64);
            let manager = self.manager_of(&person);
            let mut new = NewTask::titled(self.t(zh, en));
            new.assignee = Some(Owner::Person(person.clone()));
            new.due = Some(due);
            new.checklist = items.iter().map(|(z, e)| self.t(z, e).to_owned()).collect();
            if k % 3 == 0 {
                new.priority = Priority::High;
                new.due_time = Some("17:00".into());
            }
            if k % 4 == 1 {
                new.description = self
                    .t(
                        "完成后请在评论里说明情况。",
                        "Say in a comment how it went when done.",
                    )
                    .into();
            }
            let id = format!("task-{}", self.rng.hex());
            let week = task_period(Some(due), created);
            let at = self.at(created, 9, 10 + k % 40);
            self.act(kind::TASKS, &week, at, &manager, |am, org| {
                tasks::create_task(am, org, &manager, &id, new, at)
            })?;
            let outcome = match k {
                _ if k == total - 3 => Outcome::Blocked(created.add_days(1)),
                _ if k == total - 5 => Outcome::Open,
                _ => {
                    let reliable = self.reliability(&person);
                    self.outcome(created, due, reliable)
                }
            };
            self.done.push((week, id, outcome));
        }
        // Work given yesterday for today and tomorrow, one of them begun.
        let yesterday = self.today.add_days(-1);
        for k in 0..2usize {
            let person = staff[(k * 5 + 1) % staff.len()].clone();
            let (zh, en, items) = work[(total as usize + k) % work.len()];
            let manager = self.manager_of(&person);
            let due = self.today.add_days(k as i64);
            let mut new = NewTask::titled(self.t(zh, en));
            new.assignee = Some(Owner::Person(person));
            new.due = Some(due);
            new.checklist = items.iter().map(|(z, e)| self.t(z, e).to_owned()).collect();
            let id = format!("task-{}", self.rng.hex());
            let week = task_period(Some(due), yesterday);
            let at = self.at(yesterday, 16, 30 + k as i64);
            self.act(kind::TASKS, &week, at, &manager, |am, org| {
                tasks::create_task(am, org, &manager, &id, new, at)
            })?;
            if k == 0 {
                self.done.push((week, id, Outcome::Open));
            }
        }
        Ok(())
    }

    /// Monthly and weekly plans of the department heads: drawn up, submitted,
    /// approved by the position they report to (one returned with a reason
    /// first), and the weekly ones turned into tasks.
    fn plans(&mut self) -> Result<(), DomainError> {
        let heads: Vec<_> = self.cast.heads.iter().take(2).cloned().collect();
        let Some((head0, pos0, dept0, boss0)) = heads.first().cloned() else {
            return Ok(());
        };
        let dept_name = self
            .org
            .departments
            .get(&dept0)
            .map(|d| d.name.clone())
            .unwrap_or_default();
        // The monthly plans of the first head, for every month of the history.
        let mut monthly: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
        let mut day = self.start;
        while day <= self.today {
            let month = format!("{:04}-{:02}", day.year, day.month);
            let first = Date::new(day.year, day.month, 1).unwrap_or(day);
            let drawn = first.add_days(-3).max(self.start.add_days(-3));
            if !monthly.contains_key(&month) && drawn < self.today {
                let owner = self.actor(&head0)?;
                let boss = self.actor(&boss0)?;
                let id = format!("plan-{}", self.rng.hex());
                let year = period_of(kind::PLANS, first)?;
                let at = self.at(drawn, 10, 0);
                let title = format!("{dept_name} {month}");
                let new = NewPlan {
                    level: PlanLevel::Monthly,
                    period: month.clone(),
                    title,
                    owner: pos0.clone(),
                    parent: None,
                };
                self.act(kind::PLANS, &year, at, &owner, |am, org| {
                    plans::create_plan(am, org, &owner, &id, new, at)
                })?;
                let goals = [
                    ("到货准时率达到95%", "95% of deliveries on time"),
                    ("库存差异低于1%", "Stock differences under 1%"),
                    ("完成两次员工培训", "Two staff training sessions"),
                ];
                let mut items = Vec::new();
                for (n, (z, e)) in goals.iter().enumerate() {
                    let item = format!("item-{}", self.rng.hex());
                    let it = PlanItem {
                        text: self.t(z, e).into(),
                        parent_item: None,
                        assignee: Some(Owner::Position(pos0.clone())),
                        due: None,
                    };
                    let at = at + (n as i64 + 1) * 60_000;
                    self.act(kind::PLANS, &year, at, &owner, |am, org| {
                        plans::set_plan_item(am, org, &owner, &id, &item, it, at)
                    })?;
                    items.push(item);
                }
                self.review(
                    &year,
                    &id,
                    &owner,
                    PlanAction::Submit,
                    "",
                    self.at(drawn, 16, 0),
                )?;
                if drawn.add_days(1) < self.today {
                    let ok = self.t("同意，按计划执行。", "Approved, go ahead.");
                    self.review(
                        &year,
                        &id,
                        &boss,
                        PlanAction::Approve,
                        ok,
                        self.at(drawn.add_days(1), 10, 30),
                    )?;
                }
                monthly.insert(month, (id, items));
            }
            day = day.add_days(1);
        }
        // The weekly plans, the heads taking turns.
        let mut monday = self.start;
        let mut n = 0usize;
        while monday <= self.today {
            let (head, pos, dept, boss) = heads[n % heads.len()].clone();
            let friday = monday.add_days(-3);
            if friday >= self.today {
                break;
            }
            let owner = self.actor(&head)?;
            let approver = self.actor(&boss)?;
            let week = task_period(Some(monday), monday);
            let month = format!("{:04}-{:02}", monday.year, monday.month);
            let parent = (head == head0)
                .then(|| monthly.get(&month).cloned())
                .flatten();
            let year = period_of(kind::PLANS, monday)?;
            let id = format!("plan-{}", self.rng.hex());
            let at = self.at(friday, 15, 0);
            let dname = self
                .org
                .departments
                .get(&dept)
                .map(|d| d.name.clone())
                .unwrap_or_default();
            let new = NewPlan {
                level: PlanLevel::Weekly,
                period: week.clone(),
                title: format!("{dname} {week}"),
                owner: pos.clone(),
                parent: parent.as_ref().map(|(p, _)| p.clone()),
            };
            self.act(kind::PLANS, &year, at, &owner, |am, org| {
                plans::create_plan(am, org, &owner, &id, new, at)
            })?;
            // Staff of the department get the items.
            let members: Vec<String> = self
                .cast
                .staff
                .iter()
                .filter(|p| {
                    self.org.people.get(*p).is_some_and(|x| {
                        x.held_positions().iter().any(|h| {
                            self.org
                                .positions
                                .get(*h)
                                .is_some_and(|q| q.department == dept)
                        })
                    })
                })
                .cloned()
                .collect();
            let goals = [
                ("跟进本周到货", "Follow up this week's deliveries"),
                ("整理退货区", "Tidy the returns area"),
                (
                    "核对周末促销库存",
                    "Check the stock for the weekend promotion",
                ),
                ("更新陈列图", "Update the planogram"),
            ];
            let count = 2 + self.rng.below(2) as usize;
            let mut item_ids = Vec::new();
            for k in 0..count {
                let (z, e) = goals[(n + k) % goals.len()];
                let item = format!("item-{}", self.rng.hex());
                let assignee = members
                    .get((n + k) % members.len().max(1))
                    .map(|p| Owner::Person(p.clone()))
                    .or(Some(Owner::Position(pos.clone())));
                let it = PlanItem {
                    text: self.t(z, e).into(),
                    parent_item: parent
                        .as_ref()
                        .and_then(|(_, items)| items.get(k % items.len().max(1)).cloned()),
                    assignee,
                    due: Some(monday.add_days(1 + (k as i64 * 2) % 4).to_string()),
                };
                let at = at + (k as i64 + 1) * 60_000;
                self.act(kind::PLANS, &year, at, &owner, |am, org| {
                    plans::set_plan_item(am, org, &owner, &id, &item, it, at)
                })?;
                item_ids.push(item);
            }
            self.review(
                &year,
                &id,
                &owner,
                PlanAction::Submit,
                "",
                self.at(friday, 17, 0),
            )?;
            let current = monday == self.today.week_start();
            let saturday = friday.add_days(1);
            if n == 3 && saturday < self.today {
                let why = self.t(
                    "请加上周末促销前的盘点，并写明负责人。",
                    "Add the stock count before the weekend promotion, and who does it.",
                );
                self.review(
                    &year,
                    &id,
                    &approver,
                    PlanAction::Return,
                    why,
                    self.at(saturday, 9, 40),
                )?;
                let item = format!("item-{}", self.rng.hex());
                let it = PlanItem {
                    text: self
                        .t("促销前盘点", "Stock count before the promotion")
                        .into(),
                    parent_item: None,
                    assignee: members.first().map(|p| Owner::Person(p.clone())),
                    due: Some(monday.add_days(3).to_string()),
                };
                let at = self.at(saturday, 14, 0);
                self.act(kind::PLANS, &year, at, &owner, |am, org| {
                    plans::set_plan_item(am, org, &owner, &id, &item, it, at)
                })?;
                self.review(
                    &year,
                    &id,
                    &owner,
                    PlanAction::Submit,
                    "",
                    self.at(saturday, 14, 5),
                )?;
            }
            // This week's plan of the second head waits for its approver.
            let waits = current;
            if !waits && monday < self.today {
                self.review(
                    &year,
                    &id,
                    &approver,
                    PlanAction::Approve,
                    "",
                    self.at(monday, 9, 0),
                )?;
                let at = self.at(monday, 9, 30);
                let plans_am = self.doc(kind::PLANS, &year, at)?.clone();
                let default_due = monday.add_days(4);
                let made = self.act(kind::TASKS, &week, at, &owner, |am, org| {
                    plans::plan_to_tasks(&plans_am, am, org, &owner, &id, default_due, at)
                })?;
                for task in made {
                    let due = self.task_due(&week, &task)?;
                    let reliable = 88;
                    let outcome = self.outcome(monday, due, reliable);
                    self.done.push((week.clone(), task, outcome));
                }
            }
            monday = monday.add_days(7);
            n += 1;
        }
        Ok(())
    }

    fn review(
        &mut self,
        year: &str,
        plan: &str,
        actor: &Actor,
        action: PlanAction,
        text: &str,
        at: i64,
    ) -> Result<(), DomainError> {
        let review = format!("review-{}", self.rng.hex());
        self.act(kind::PLANS, year, at, actor, |am, org| {
            plans::review_plan(am, org, actor, plan, &review, action, text, at)
        })?;
        Ok(())
    }

    fn task_due(&mut self, week: &str, id: &str) -> Result<Date, DomainError> {
        let am = self.doc(kind::TASKS, week, 0)?;
        Ok(crate::read_task(am, id)?.due_date().unwrap_or(self.today))
    }

    /// Three meetings with minutes and action items, the actions turned into tasks.
    fn meetings(&mut self) -> Result<(), DomainError> {
        let top = self.top();
        let heads = self.cast.heads.clone();
        let plan: [(i64, bool); 3] = [(6, true), (3, false), (1, true)];
        for (n, (weeks_ago, store_wide)) in plan.into_iter().enumerate() {
            let day = self.today.week_start().add_days(-7 * weeks_ago + 1);
            if day >= self.today {
                continue;
            }
            let (host, department, attendees) = if store_wide || heads.is_empty() {
                let mut who: Vec<String> = self.cast.top.iter().cloned().collect();
                who.extend(heads.iter().map(|h| h.0.clone()));
                (top.clone(), None, who)
            } else {
                let (p, _, d, _) = &heads[0];
                let mut who = vec![p.clone()];
                who.extend(
                    self.cast
                        .staff
                        .iter()
                        .filter(|s| self.manager_of(s).person.as_deref() == Some(p.as_str()))
                        .cloned(),
                );
                (self.actor(p)?, Some(d.clone()), who)
            };
            let (title, agenda, minutes) = if store_wide {
                (
                    self.t("门店周例会", "Weekly store meeting"),
                    vec![
                        self.t("上周完成情况", "Last week's results").to_owned(),
                        self.t("本周重点", "This week's focus").to_owned(),
                        self.t("顾客反馈", "Customer feedback").to_owned(),
                    ],
                    self.t(
                        "上周任务完成率良好，个别日常任务漏做；本周重点是促销备货和卖场卫生。",
                        "Last week's work was mostly done, a few daily duties were missed; this week: stock for the promotion and a clean floor.",
                    ),
                )
            } else {
                (
                    self.t("部门例会", "Department meeting"),
                    vec![
                        self.t("到货与库存", "Deliveries and stock").to_owned(),
                        self.t("排班", "Rota").to_owned(),
                    ],
                    self.t(
                        "两家供应商到货延迟，需要跟进；下周排班已确认。",
                        "Two suppliers delivered late and need chasing; next week's rota is settled.",
                    ),
                )
            };
            let year = period_of(kind::MEETINGS, day)?;
            let id = format!("meeting-{}", self.rng.hex());
            let new = NewMeeting {
                title: title.into(),
                date: day,
                department: department.clone(),
                attendees: attendees.clone(),
                agenda,
                managers_only: false,
            };
            let at = self.at(day.add_days(-2), 16, 0);
            self.act(kind::MEETINGS, &year, at, &host, |am, org| {
                meetings::create_meeting(am, org, &host, &id, new, at)
            })?;
            let at = self.at(day, 11, 30);
            self.act(kind::MEETINGS, &year, at, &host, |am, org| {
                meetings::set_minutes(am, org, &host, &id, minutes, at)
            })?;
            let actions = [
                ("跟进延迟到货的供应商", "Chase the late suppliers"),
                (
                    "补齐促销区价签",
                    "Finish the price tags in the promotion area",
                ),
                ("安排消防演练", "Arrange a fire drill"),
            ];
            let owners: Vec<String> = attendees
                .iter()
                .filter(|p| Some(*p) != host.person.as_ref())
                .cloned()
                .collect();
            for (k, (z, e)) in actions.iter().enumerate().take(2 + n % 2) {
                let action = ActionItem {
                    text: self.t(z, e).into(),
                    owner: owners
                        .get(k % owners.len().max(1))
                        .map(|p| Owner::Person(p.clone())),
                    due: Some(day.add_days(3 + k as i64 * 2).to_string()),
                };
                let aid = format!("action-{}", self.rng.hex());
                let at = at + (k as i64 + 1) * 60_000;
                self.act(kind::MEETINGS, &year, at, &host, |am, org| {
                    meetings::add_action_item(am, org, &host, &id, &aid, action, at)
                })?;
            }
            let at = self.at(day, 11, 45);
            let meetings_am = self.doc(kind::MEETINGS, &year, at)?.clone();
            let week = task_period(Some(day), day);
            let made = self.act(kind::TASKS, &week, at, &host, |am, org| {
                meetings::actions_to_tasks(&meetings_am, am, org, &host, &id, day.add_days(7), at)
            })?;
            for (k, task) in made.into_iter().enumerate() {
                let due = self.task_due(&week, &task)?;
                let outcome = if n == 2 && k == 0 {
                    Outcome::Open
                } else {
                    self.outcome(day, due, 95)
                };
                self.done.push((week.clone(), task, outcome));
            }
        }
        Ok(())
    }

    /// Progress on every task made above, by whoever holds it: checklist ticks,
    /// comments, done on time, late, blocked or never.
    fn progress(&mut self) -> Result<(), DomainError> {
        let work = std::mem::take(&mut self.done);
        for (week, id, outcome) in work {
            let task = {
                let am = self.doc(kind::TASKS, &week, 0)?;
                crate::read_task(am, &id)?
            };
            let Some(doer) = task.assignee.as_ref().and_then(|o| self.doer(o)) else {
                continue;
            };
            let actor = self.actor(&doer)?;
            let items: Vec<String> = task.checklist.iter().map(|c| c.id.clone()).collect();
            let comment_id = format!("comment-{}", self.rng.hex());
            match outcome {
                Outcome::Done(day) => {
                    let minute = self.rng.below(50) as i64;
                    let hour = 9 + self.rng.below(9) as i64;
                    let at = self.at(day, hour, minute);
                    for (k, item) in items.iter().enumerate() {
                        let at = at - (items.len() - k) as i64 * 300_000;
                        self.act(kind::TASKS, &week, at, &actor, |am, org| {
                            tasks::set_checklist_item(am, Some(org), &actor, &id, item, true, at)
                        })?;
                    }
                    if !items.is_empty() && self.rng.chance(60) {
                        let text = self.t(
                            "已完成，照片已发到群里。",
                            "Done; photos are in the group chat.",
                        );
                        self.act(kind::TASKS, &week, at, &actor, |am, org| {
                            tasks::add_comment(am, Some(org), &actor, &id, &comment_id, text, at)
                        })?;
                    }
                    self.act(kind::TASKS, &week, at + 60_000, &actor, |am, org| {
                        tasks::change_task_status(
                            am,
                            Some(org),
                            &actor,
                            &id,
                            TaskStatus::Done,
                            at + 60_000,
                        )
                    })?;
                }
                Outcome::Blocked(day) => {
                    let at = self.at(day.min(self.today.add_days(-1)), 15, 20);
                    if let Some(item) = items.first() {
                        self.act(kind::TASKS, &week, at, &actor, |am, org| {
                            tasks::set_checklist_item(am, Some(org), &actor, &id, item, true, at)
                        })?;
                    }
                    let text = self.t(
                        "等供应商送来新货架，预计下周到。",
                        "Waiting for the supplier's new shelf, due next week.",
                    );
                    self.act(kind::TASKS, &week, at + 60_000, &actor, |am, org| {
                        tasks::add_comment(
                            am,
                            Some(org),
                            &actor,
                            &id,
                            &comment_id,
                            text,
                            at + 60_000,
                        )
                    })?;
                    self.act(kind::TASKS, &week, at + 120_000, &actor, |am, org| {
                        tasks::change_task_status(
                            am,
                            Some(org),
                            &actor,
                            &id,
                            TaskStatus::Blocked,
                            at + 120_000,
                        )
                    })?;
                }
                Outcome::Open => {
                    // Ad-hoc work left half done.
                    if items.len() > 1 && task.source_duty.is_none() {
                        let day = self
                            .zone
                            .date_of(task.created_at)
                            .add_days(1)
                            .min(self.today.add_days(-1));
                        let at = self.at(day, 11, 0).max(task.created_at + 60_000);
                        let item = items[0].clone();
                        self.act(kind::TASKS, &week, at, &actor, |am, org| {
                            tasks::set_checklist_item(am, Some(org), &actor, &id, &item, true, at)
                        })?;
                        self.act(kind::TASKS, &week, at + 60_000, &actor, |am, org| {
                            tasks::change_task_status(
                                am,
                                Some(org),
                                &actor,
                                &id,
                                TaskStatus::InProgress,
                                at + 60_000,
                            )
                        })?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Problem reports from staff, routed by category: the older ones resolved,
    /// one in progress, the newest open.
    fn feedback(&mut self) -> Result<(), DomainError> {
        let reports: [(&str, &str, &str, &str, &str); 9] = [
            (
                "equipment",
                "冷柜温度偏高",
                "The chiller runs warm",
                "已请维修师傅更换温控器。",
                "The thermostat was replaced.",
            ),
            (
                "stock",
                "酸奶到货少了两箱",
                "Two boxes of yoghurt short on delivery",
                "供应商已补发。",
                "The supplier sent the rest.",
            ),
            (
                "customer",
                "顾客投诉收银排队太久",
                "A customer complained about the checkout queue",
                "高峰时段加开一个收银台。",
                "A second till opens at peak hours.",
            ),
            (
                "safety",
                "仓库门口地面湿滑",
                "The warehouse entrance floor is slippery",
                "已铺防滑垫并放置警示牌。",
                "Anti-slip mats and a sign are down.",
            ),
            (
                "system",
                "收银系统偶尔卡顿",
                "The till software freezes now and then",
                "已升级系统版本。",
                "The software was updated.",
            ),
            (
                "stock",
                "货架上发现临期商品",
                "Goods near their expiry date on the shelf",
                "已下架并打折处理。",
                "Taken off the shelf and sold at a discount.",
            ),
            (
                "equipment",
                "3号通道灯不亮",
                "The lights in aisle 3 are out",
                "",
                "",
            ),
            (
                "customer",
                "顾客建议增加无糖饮品",
                "A customer asks for more sugar-free drinks",
                "",
                "",
            ),
            (
                "other",
                "员工休息室空调漏水",
                "The staff room air conditioner leaks",
                "",
                "",
            ),
        ];
        let staff = self.cast.staff.clone();
        if staff.is_empty() {
            return Ok(());
        }
        let span = self.today.days_since_epoch() - self.start.days_since_epoch();
        let top = self.top();
        for (k, (category, zh, en, done_zh, done_en)) in reports.iter().enumerate() {
            let day = self
                .start
                .add_days(3 + (span - 5) * k as i64 / reports.len() as i64);
            if day >= self.today {
                continue;
            }
            let reporter = self.actor(&staff[(k * 2 + 1) % staff.len()])?;
            let month = period_of(kind::FEEDBACK, day)?;
            let id = format!("report-{}", self.rng.hex());
            let text = self.t(zh, en);
            let at = self.at(day, 10 + k as i64 % 6, 15);
            let report = self.act(kind::FEEDBACK, &month, at, &reporter, |am, org| {
                feedback::report_problem(am, org, &reporter, &id, category, text, at)
            })?;
            let handler = self
                .cast
                .heads
                .iter()
                .find(|h| Some(&h.2) == report.department.as_ref())
                .and_then(|h| self.actor(&h.0).ok())
                .filter(|a| feedback::may_handle(&self.org, a, report.department.as_deref()))
                .unwrap_or_else(|| top.clone());
            let next = day.add_days(1);
            if next >= self.today {
                continue;
            }
            let resolution = self.t(done_zh, done_en);
            if resolution.is_empty() {
                // The newest: one in progress, the others open.
                if k == reports.len() - 3 {
                    let at = self.at(next, 9, 20);
                    self.act(kind::FEEDBACK, &month, at, &handler, |am, org| {
                        feedback::set_report_status(
                            am,
                            org,
                            &handler,
                            &id,
                            ReportStatus::InProgress,
                            None,
                            at,
                        )
                    })?;
                }
                continue;
            }
            let at = self.at(next, 9, 20);
            self.act(kind::FEEDBACK, &month, at, &handler, |am, org| {
                feedback::set_report_status(
                    am,
                    org,
                    &handler,
                    &id,
                    ReportStatus::InProgress,
                    None,
                    at,
                )
            })?;
            let solved = next
                .add_days(self.rng.below(2) as i64)
                .min(self.today.add_days(-1));
            let at = self.at(solved, 16, 40);
            self.act(kind::FEEDBACK, &month, at, &handler, |am, org| {
                feedback::set_report_status(
                    am,
                    org,
                    &handler,
                    &id,
                    ReportStatus::Resolved,
                    Some(resolution),
                    at,
                )
            })?;
        }
        Ok(())
    }

    /// KPIs with targets (rates computed from the tasks, one entered by hand
    /// each month), last month's assessments of staff and an award.
    fn assessment(&mut self) -> Result<(), DomainError> {
        let top = self.top();
        if top.person.is_none() {
            return Ok(());
        }
        let year = period_of(kind::ASSESSMENT, self.today)?;
        let defined = self.at(self.start, 11, 0);
        let heads = self.cast.heads.clone();
        for (k, (_, _, dept, _)) in heads.iter().take(3).enumerate() {
            let name = self
                .org
                .departments
                .get(dept)
                .map(|d| d.name.clone())
                .unwrap_or_default();
            for (metric, target, zh, en) in [
                (
                    KpiMetric::CompletionRate,
                    0.95,
                    "任务完成率",
                    "task completion",
                ),
                (KpiMetric::OnTimeRate, 0.9, "按时完成率", "on-time rate"),
            ] {
                let id = format!("kpi-{}", self.rng.hex());
                let kpi = Kpi {
                    name: format!("{name} {}", self.t(zh, en)),
                    subject: Owner::Department(dept.clone()),
                    metric,
                    target,
                    values: BTreeMap::new(),
                };
                let at = defined + k as i64 * 60_000;
                self.act(kind::ASSESSMENT, &year, at, &top, |am, org| {
                    assessment::define_kpi(am, org, &top, &id, kpi, at)
                })?;
            }
        }
        // A KPI entered by hand, with a value for each month gone by.
        let dept = self
            .org
            .departments
            .keys()
            .find(|d| d.contains("warehouse"))
            .or_else(|| self.org.departments.keys().next())
            .cloned();
        if let Some(dept) = dept {
            let id = format!("kpi-{}", self.rng.hex());
            let kpi = Kpi {
                name: self.t("库存准确率", "Stock accuracy").into(),
                subject: Owner::Department(dept),
                metric: KpiMetric::Manual,
                target: 0.98,
                values: BTreeMap::new(),
            };
            let at = defined + 10 * 60_000;
            self.act(kind::ASSESSMENT, &year, at, &top, |am, org| {
                assessment::define_kpi(am, org, &top, &id, kpi, at)
            })?;
            let mut month_end = Date::new(self.today.year, self.today.month, 1)
                .unwrap_or(self.today)
                .add_days(-1);
            while month_end >= self.start {
                let period = format!("{:04}-{:02}", month_end.year, month_end.month);
                let value = 0.95 + self.rng.below(40) as f64 / 1000.0;
                let at = self.at(month_end, 18, 0);
                if period_of(kind::ASSESSMENT, month_end)? == year {
                    self.act(kind::ASSESSMENT, &year, at, &top, |am, org| {
                        assessment::record_kpi_value(am, org, &top, &id, &period, value, at)
                    })?;
                }
                month_end = Date::new(month_end.year, month_end.month, 1)
                    .unwrap_or(month_end)
                    .add_days(-1);
            }
        }
        // Last month's assessments of up to three staff, by their managers.
        let month_end = Date::new(self.today.year, self.today.month, 1)
            .unwrap_or(self.today)
            .add_days(-1);
        let period = format!("{:04}-{:02}", month_end.year, month_end.month);
        let last_year = format!("{:04}", month_end.year);
        let staff: Vec<String> = self.cast.staff.iter().take(3).cloned().collect();
        let comments = [
            (
                "工作认真，按时完成日常任务。",
                "Careful work; daily duties done on time.",
            ),
            (
                "整体不错，个别任务拖延，需要改进。",
                "Good overall; a few tasks ran late.",
            ),
            (
                "积极主动，顾客反馈好。",
                "Takes the initiative; customers like them.",
            ),
        ];
        let mut best: Option<(u64, String)> = None;
        for (k, person) in staff.iter().enumerate() {
            let subject = Owner::Person(person.clone());
            let manager = self.manager_of(person);
            let score = 70 + self.reliability(person) / 5 + self.rng.below(8);
            let id = format!("assessment-{}", self.rng.hex());
            let (z, e) = comments[k % comments.len()];
            let comment = self.t(z, e);
            let at = self.at(month_end, 17, 10 + k as i64);
            let scores = assessment::scores_period(&last_year, &subject);
            self.act(kind::SCORES, &scores, at, &manager, |am, org| {
                assessment::assess(am, org, &manager, &id, subject, &period, score, comment, at)
            })?;
            if best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, person.clone()));
            }
        }
        if let Some((_, person)) = best {
            let at = self.at(month_end, 18, 30);
            let award = Award {
                title: format!(
                    "{} {period}",
                    self.t("月度优秀员工", "Employee of the month")
                ),
                reason: self
                    .t(
                        "本月任务完成率最高。",
                        "The best completion rate this month.",
                    )
                    .into(),
                person: person.clone(),
                period: period.clone(),
                by: top.name.clone(),
                at,
            };
            let year = period_of(kind::ASSESSMENT, month_end)?;
            let id = format!("award-{}", self.rng.hex());
            self.act(kind::ASSESSMENT, &year, at, &top, |am, org| {
                assessment::give_award(am, org, &top, &id, award, at)
            })?;
        }
        Ok(())
    }
}
