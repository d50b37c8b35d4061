//! The seed templates a new store starts from, as the new-store screen previews them:
//! built from `storeops_domain::template`, the same data the store is created from.

use storeops_domain::template::{DepartmentTemplate, TEMPLATES, Template};

/// One template, in one language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplatePreview {
    /// `plan1`, `plan2`, `plan3`: what `open_store` takes.
    pub id: &'static str,
    pub name: &'static str,
    pub summary: &'static str,
    /// Parents before their children.
    pub departments: Vec<DepartmentPreview>,
    pub positions: usize,
    pub duties: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DepartmentPreview {
    pub name: &'static str,
    /// How many departments it sits under.
    pub depth: usize,
    pub positions: Vec<PositionPreview>,
    /// Duties of the department as a whole.
    pub duties: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PositionPreview {
    pub title: &'static str,
    pub head: bool,
    pub duties: usize,
}

/// Every template, in the store language `locale` (`zh-CN` or `en`).
pub fn previews(locale: &str) -> Vec<TemplatePreview> {
    TEMPLATES.iter().map(|t| preview(t, locale)).collect()
}

pub fn preview(template: &Template, locale: &str) -> TemplatePreview {
    let mut departments = Vec::with_capacity(template.departments.len());
    let roots = template.departments.iter().filter(|d| {
        d.parent
            .is_none_or(|p| !template.departments.iter().any(|o| o.key == p))
    });
    let mut stack: Vec<(&DepartmentTemplate, usize)> = roots.rev().map(|d| (d, 0)).collect();
    while let Some((dept, depth)) = stack.pop() {
        if departments.len() >= template.departments.len() {
            break; // a loop of parents: never in the seed, but never endless either
        }
        departments.push(DepartmentPreview {
            name: dept.name.get(locale),
            depth,
            positions: dept
                .positions
                .iter()
                .map(|p| PositionPreview {
                    title: p.title.get(locale),
                    head: p.head,
                    duties: p.duties.len(),
                })
                .collect(),
            duties: dept.duties.len(),
        });
        let children = template
            .departments
            .iter()
            .filter(|c| c.parent == Some(dept.key));
        stack.extend(children.rev().map(|c| (c, depth + 1)));
    }
    let positions = template.departments.iter().map(|d| d.positions.len()).sum();
    let duties = template
        .departments
        .iter()
        .map(|d| d.duties.len() + d.positions.iter().map(|p| p.duties.len()).sum::<usize>())
        .sum();
    TemplatePreview {
        id: template.id,
        name: template.name.get(locale),
        summary: template.summary.get(locale),
        departments,
        positions,
        duties,
    }
}

/// The template a new store gets unless another is picked.
pub const DEFAULT_TEMPLATE: &str = "plan1";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_seed_plans_are_offered() {
        let ids: Vec<_> = previews("en").iter().map(|p| p.id).collect();
        assert_eq!(ids, ["plan1", "plan2", "plan3"]);
        assert!(ids.contains(&DEFAULT_TEMPLATE));
    }

    #[test]
    fn every_department_is_shown_once_with_its_positions_and_duties_counted() {
        for template in TEMPLATES {
            let p = preview(template, "zh-CN");
            assert_eq!(p.departments.len(), template.departments.len(), "{}", p.id);
            let shown_positions: usize = p.departments.iter().map(|d| d.positions.len()).sum();
            assert_eq!(shown_positions, p.positions);
            let shown_duties: usize = p
                .departments
                .iter()
                .map(|d| d.duties + d.positions.iter().map(|x| x.duties).sum::<usize>())
                .sum();
            assert_eq!(shown_duties, p.duties);
            assert!(p.duties > 0 && p.positions > 0);
            assert_eq!(p.departments[0].depth, 0);
        }
    }

    #[test]
    fn names_follow_the_store_language() {
        let zh = preview(&TEMPLATES[0], "zh-CN");
        let en = preview(&TEMPLATES[0], "en");
        assert_ne!(zh.name, en.name);
        assert!(en.name.is_ascii());
    }

    #[test]
    fn children_come_right_after_their_parent_one_level_deeper() {
        for template in TEMPLATES {
            let p = preview(template, "en");
            for pair in p.departments.windows(2) {
                assert!(pair[1].depth <= pair[0].depth + 1, "{}", p.id);
            }
        }
    }
}
