//! The seed's three division-of-labour plans as ready-made store templates,
//! in Simplified Chinese and English.

use crate::Role;
use crate::documents::Cadence::{self, *};

/// A built-in template.
#[derive(Debug)]
pub struct Template {
    /// `plan1`, `plan2`, `plan3`.
    pub id: &'static str,
    pub name: Text,
    pub summary: Text,
    pub departments: &'static [DepartmentTemplate],
}

/// A string in both languages.
#[derive(Debug, Clone, Copy)]
pub struct Text {
    pub zh: &'static str,
    pub en: &'static str,
}

impl Text {
    pub fn get(self, locale: &str) -> &'static str {
        if locale.starts_with("zh") {
            self.zh
        } else {
            self.en
        }
    }
}

#[derive(Debug)]
pub struct DepartmentTemplate {
    pub key: &'static str,
    pub name: Text,
    /// The department above, if any.
    pub parent: Option<&'static str>,
    pub positions: &'static [PositionTemplate],
    /// Duties of the department as a whole.
    pub duties: &'static [DutyTemplate],
}

#[derive(Debug)]
pub struct PositionTemplate {
    pub key: &'static str,
    pub title: Text,
    pub reports_to: Option<&'static str>,
    /// Heads its department.
    pub head: bool,
    pub headcount: u64,
    pub duties: &'static [DutyTemplate],
    /// The role it gives where heading a department does not say it.
    pub role: Option<Role>,
}

#[derive(Debug)]
pub struct DutyTemplate {
    pub key: &'static str,
    pub text: Text,
    pub cadence: Cadence,
}

const fn t(zh: &'static str, en: &'static str) -> Text {
    Text { zh, en }
}

const fn duty(
    key: &'static str,
    zh: &'static str,
    en: &'static str,
    cadence: Cadence,
) -> DutyTemplate {
    DutyTemplate {
        key,
        text: t(zh, en),
        cadence,
    }
}

const fn pos(
    key: &'static str,
    title: Text,
    reports_to: Option<&'static str>,
    head: bool,
    duties: &'static [DutyTemplate],
) -> PositionTemplate {
    PositionTemplate {
        key,
        title,
        reports_to,
        head,
        headcount: 1,
        duties,
        role: None,
    }
}

impl PositionTemplate {
    /// This position gives `role` to whoever holds it.
    const fn gives(self, role: Role) -> Self {
        Self {
            role: Some(role),
            ..self
        }
    }
}

/// Every built-in template.
pub static TEMPLATES: &[Template] = &[PLAN1, PLAN2, PLAN3];

/// The template with this id.
pub fn template(id: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.id == id)
}

const PLAN1: Template = Template {
    id: "plan1",
    name: t("总监领导·五部门", "Director-led, five departments"),
    summary: t(
        "运营总监统筹，运营经理协调商品、营销、客服、数据与技术五个部门；年度、月度、周计划逐级审批。",
        "An operations director leads; the operations manager coordinates merchandise, marketing, customer service, data and technical support; annual, monthly and weekly plans are approved level by level.",
    ),
    departments: &[
        DepartmentTemplate {
            key: "mgmt",
            name: t("店铺运营管理", "Store operations management"),
            parent: None,
            positions: &[
                pos(
                    "director",
                    t("店铺运营总监", "Store operations director"),
                    None,
                    true,
                    &[
                        duty(
                            "annual-plan",
                            "制定年度运营计划（销售目标、营销策略、团队建设）",
                            "Draw up the annual operations plan (sales targets, marketing strategy, team building)",
                            Yearly,
                        ),
                        duty(
                            "coordinate",
                            "协调各部门工作，确保运营顺畅",
                            "Coordinate the departments so operations run smoothly",
                            Weekly,
                        ),
                        duty(
                            "monitor",
                            "监控运营数据与市场趋势，及时调整策略",
                            "Monitor operating data and market trends; adjust strategy",
                            Weekly,
                        ),
                        duty(
                            "ops-meeting",
                            "定期召开运营会议，总结与改进",
                            "Hold regular operations meetings to review and improve",
                            Weekly,
                        ),
                    ],
                )
                .gives(Role::Director),
                pos(
                    "ops-manager",
                    t("运营经理", "Operations manager"),
                    Some("director"),
                    false,
                    &[
                        duty(
                            "daily-ops",
                            "负责店铺日常运营管理",
                            "Run the store's daily operations",
                            Daily,
                        ),
                        duty(
                            "monthly-plan",
                            "制定月度运营计划并报总监审批",
                            "Draw up the monthly plan for the director's approval",
                            Monthly,
                        ),
                        duty(
                            "data-review",
                            "监控运营数据，提出改进建议",
                            "Review operating data and propose improvements",
                            Weekly,
                        ),
                        duty(
                            "training-plan",
                            "制定团队培训计划",
                            "Make the team training plan",
                            Quarterly,
                        ),
                    ],
                )
                .gives(Role::OperationsManager),
            ],
            duties: &[],
        },
        DepartmentTemplate {
            key: "merch",
            name: t("商品管理部", "Merchandise management"),
            parent: Some("mgmt"),
            positions: &[
                pos(
                    "merch-manager",
                    t("商品管理部经理", "Merchandise manager"),
                    Some("ops-manager"),
                    true,
                    &[
                        duty(
                            "merch-weekly-plan",
                            "制定部门周计划并报运营经理审批",
                            "Draw up the department's weekly plan for approval",
                            Weekly,
                        ),
                        duty(
                            "product-mix",
                            "根据市场趋势和销售数据调整商品结构",
                            "Adjust the product mix from trends and sales data",
                            Monthly,
                        ),
                        duty(
                            "suppliers",
                            "与供应商保持联系，确保商品质量",
                            "Keep in touch with suppliers on product quality",
                            Weekly,
                        ),
                    ],
                ),
                pos(
                    "merch-specialist",
                    t("商品专员", "Merchandise specialist"),
                    Some("merch-manager"),
                    false,
                    &[
                        duty(
                            "listing",
                            "商品上下架、库存管理与价格调整",
                            "List and delist products, manage inventory, adjust prices",
                            Daily,
                        ),
                        duty(
                            "stock-count",
                            "定期盘点，确保库存准确",
                            "Periodic stock count so inventory is accurate",
                            Monthly,
                        ),
                    ],
                ),
            ],
            duties: &[],
        },
        DepartmentTemplate {
            key: "marketing",
            name: t("营销策划部", "Marketing planning"),
            parent: Some("mgmt"),
            positions: &[
                pos(
                    "marketing-manager",
                    t("营销策划部经理", "Marketing planning manager"),
                    Some("ops-manager"),
                    true,
                    &[
                        duty(
                            "marketing-weekly-plan",
                            "制定部门周计划并报运营经理审批",
                            "Draw up the department's weekly plan for approval",
                            Weekly,
                        ),
                        duty(
                            "strategy",
                            "根据市场趋势和客户需求制定营销策略",
                            "Set marketing strategy from trends and customer needs",
                            Monthly,
                        ),
                    ],
                ),
                pos(
                    "marketing-specialist",
                    t("营销策划专员", "Marketing specialist"),
                    Some("marketing-manager"),
                    false,
                    &[
                        duty(
                            "campaigns",
                            "策划、执行并评估促销活动",
                            "Plan, run and evaluate campaigns",
                            Weekly,
                        ),
                        duty(
                            "campaign-review",
                            "分析活动效果，为下次活动提供参考",
                            "Analyse campaign results for the next one",
                            Monthly,
                        ),
                    ],
                ),
            ],
            duties: &[],
        },
        DepartmentTemplate {
            key: "service",
            name: t("客户服务部", "Customer service"),
            parent: Some("mgmt"),
            positions: &[
                pos(
                    "service-manager",
                    t("客户服务部经理", "Customer service manager"),
                    Some("ops-manager"),
                    true,
                    &[
                        duty(
                            "service-weekly-plan",
                            "制定部门周计划并报运营经理审批",
                            "Draw up the department's weekly plan for approval",
                            Weekly,
                        ),
                        duty(
                            "satisfaction",
                            "定期开展客户满意度调查",
                            "Run periodic customer satisfaction surveys",
                            Quarterly,
                        ),
                    ],
                ),
                pos(
                    "service-specialist",
                    t("客服专员", "Customer service specialist"),
                    Some("service-manager"),
                    false,
                    &[
                        duty(
                            "inquiries",
                            "处理客户咨询、投诉与售后",
                            "Handle inquiries, complaints and after-sales",
                            Daily,
                        ),
                        duty(
                            "customer-records",
                            "维护客户档案，跟踪客户需求",
                            "Keep customer records and track needs",
                            Weekly,
                        ),
                    ],
                ),
            ],
            duties: &[],
        },
        DepartmentTemplate {
            key: "data",
            name: t("数据分析部", "Data analysis"),
            parent: Some("mgmt"),
            positions: &[
                pos(
                    "data-manager",
                    t("数据分析部经理", "Data analysis manager"),
                    Some("ops-manager"),
                    true,
                    &[
                        duty(
                            "data-weekly-plan",
                            "制定部门周计划并报运营经理审批",
                            "Draw up the department's weekly plan for approval",
                            Weekly,
                        ),
                        duty(
                            "analysis-report",
                            "定期向运营经理提交数据分析报告",
                            "Periodic analysis report for the operations manager",
                            Weekly,
                        ),
                    ],
                ),
                pos(
                    "data-analyst",
                    t("数据分析专员", "Data analyst"),
                    Some("data-manager"),
                    false,
                    &[duty(
                        "collect-data",
                        "收集、清洗与分析运营数据",
                        "Collect, clean and analyse operating data",
                        Daily,
                    )],
                ),
            ],
            duties: &[],
        },
        DepartmentTemplate {
            key: "tech",
            name: t("技术支持部", "Technical support"),
            parent: Some("mgmt"),
            positions: &[
                pos(
                    "tech-manager",
                    t("技术支持部经理", "Technical support manager"),
                    Some("ops-manager"),
                    true,
                    &[
                        duty(
                            "tech-weekly-plan",
                            "制定部门周计划并报运营经理审批",
                            "Draw up the department's weekly plan for approval",
                            Weekly,
                        ),
                        duty(
                            "upgrades",
                            "定期进行系统升级",
                            "Periodic system upgrades",
                            Quarterly,
                        ),
                    ],
                ),
                pos(
                    "tech-specialist",
                    t("技术支持专员", "Technical support specialist"),
                    Some("tech-manager"),
                    false,
                    &[
                        duty(
                            "site-upkeep",
                            "维护店铺网站与应用，保障安全",
                            "Maintain the shop website and app and keep it secure",
                            Daily,
                        ),
                        duty(
                            "incidents",
                            "处理技术故障，保障店铺正常运营",
                            "Handle incidents so the shop keeps running",
                            AsNeeded,
                        ),
                    ],
                ),
            ],
            duties: &[],
        },
    ],
};

const PLAN2: Template = Template {
    id: "plan2",
    name: t(
        "七部门协作与考核",
        "Seven departments, collaboration and assessment",
    ),
    summary: t(
        "运营、市场、采购、客服、仓储、人力资源、财务七个部门；定期运营会议、问题反馈渠道、部门KPI考核与激励。",
        "Seven departments: operations, marketing, purchasing, customer service, warehousing, HR and finance; regular operations meetings, a problem feedback channel, department KPIs and incentives.",
    ),
    departments: &[
        DepartmentTemplate {
            key: "ops",
            name: t("运营部", "Operations"),
            parent: None,
            positions: &[
                pos(
                    "ops-head",
                    t("运营部经理", "Head of operations"),
                    None,
                    true,
                    &[
                        duty(
                            "strategy",
                            "制定整体运营策略（定位、商品结构、定价）",
                            "Set the overall strategy (positioning, product mix, pricing)",
                            Quarterly,
                        ),
                        duty(
                            "ops-meeting",
                            "主持定期运营会议，各部门汇报进展",
                            "Chair the regular operations meeting where heads report progress",
                            Weekly,
                        ),
                    ],
                )
                .gives(Role::OperationsManager),
                pos(
                    "ops-specialist",
                    t("运营专员", "Operations specialist"),
                    Some("ops-head"),
                    false,
                    &[
                        duty(
                            "daily-ops",
                            "日常运营：上架、库存、订单处理",
                            "Daily operations: listing, inventory, order processing",
                            Daily,
                        ),
                        duty(
                            "sales-analysis",
                            "销售、客户与市场数据分析",
                            "Analyse sales, customer and market data",
                            Weekly,
                        ),
                        duty(
                            "promotions",
                            "策划促销、节日与新品活动",
                            "Plan promotions, holiday events and launches",
                            Monthly,
                        ),
                    ],
                ),
            ],
            duties: &[],
        },
        DepartmentTemplate {
            key: "marketing",
            name: t("市场部", "Marketing"),
            parent: Some("ops"),
            positions: &[
                pos(
                    "marketing-head",
                    t("市场部经理", "Head of marketing"),
                    Some("ops-head"),
                    true,
                    &[
                        duty(
                            "research",
                            "市场调研：竞争对手、行业与消费者",
                            "Market research: competitors, industry, consumers",
                            Monthly,
                        ),
                        duty(
                            "brand",
                            "品牌建设与渠道拓展",
                            "Brand building and channel expansion",
                            Quarterly,
                        ),
                    ],
                ),
                pos(
                    "marketing-specialist",
                    t("市场专员", "Marketing specialist"),
                    Some("marketing-head"),
                    false,
                    &[duty(
                        "promotion",
                        "执行推广策略（广告、社交媒体、公关）",
                        "Run promotion (ads, social media, PR)",
                        Weekly,
                    )],
                ),
            ],
            duties: &[],
        },
        DepartmentTemplate {
            key: "purchasing",
            name: t("采购部", "Purchasing"),
            parent: Some("ops"),
            positions: &[
                pos(
                    "purchasing-head",
                    t("采购部经理", "Head of purchasing"),
                    Some("ops-head"),
                    true,
                    &[
                        duty(
                            "suppliers",
                            "供应商管理：质量与供应稳定",
                            "Manage suppliers: quality and stable supply",
                            Monthly,
                        ),
                        duty(
                            "cost-control",
                            "采购成本控制",
                            "Control purchasing costs",
                            Monthly,
                        ),
                    ],
                ),
                pos(
                    "buyer",
                    t("采购专员", "Buyer"),
                    Some("purchasing-head"),
                    false,
                    &[duty(
                        "procure",
                        "采购原材料与成品，与仓储协调到货",
                        "Procure materials and goods; coordinate arrivals with the warehouse",
                        Weekly,
                    )],
                ),
            ],
            duties: &[],
        },
        DepartmentTemplate {
            key: "service",
            name: t("客服部", "Customer service"),
            parent: Some("ops"),
            positions: &[
                pos(
                    "service-head",
                    t("客服部经理", "Head of customer service"),
                    Some("ops-head"),
                    true,
                    &[
                        duty(
                            "loyalty",
                            "维护客户关系，提升忠诚度",
                            "Keep customer relationships and loyalty",
                            Monthly,
                        ),
                        duty(
                            "feedback",
                            "收集客户反馈，提供给商品与运营",
                            "Collect customer feedback for product and operations",
                            Weekly,
                        ),
                    ],
                ),
                pos(
                    "service-agent",
                    t("客服专员", "Customer service agent"),
                    Some("service-head"),
                    false,
                    &[duty(
                        "inquiries",
                        "处理咨询、订单、售后与投诉",
                        "Handle inquiries, orders, after-sales and complaints",
                        Daily,
                    )],
                ),
            ],
            duties: &[],
        },
        DepartmentTemplate {
            key: "warehouse",
            name: t("仓储部", "Warehousing"),
            parent: Some("ops"),
            positions: &[
                pos(
                    "warehouse-head",
                    t("仓储部经理", "Head of warehousing"),
                    Some("ops-head"),
                    true,
                    &[
                        duty(
                            "turnover",
                            "控制库存水平与周转",
                            "Manage inventory levels and turnover",
                            Weekly,
                        ),
                        duty(
                            "equipment",
                            "仓储设备维护",
                            "Maintain warehouse equipment",
                            Monthly,
                        ),
                    ],
                ),
                pos(
                    "warehouse-clerk",
                    t("仓管员", "Warehouse clerk"),
                    Some("warehouse-head"),
                    false,
                    &[
                        duty(
                            "receive-ship",
                            "收货、发货",
                            "Receive and ship goods",
                            Daily,
                        ),
                        duty("stock-count", "库存盘点", "Stock count", Monthly),
                    ],
                ),
            ],
            duties: &[],
        },
        DepartmentTemplate {
            key: "hr",
            name: t("人力资源部", "Human resources"),
            parent: Some("ops"),
            positions: &[
                pos(
                    "hr-head",
                    t("人力资源部经理", "Head of HR"),
                    Some("ops-head"),
                    true,
                    &[
                        duty(
                            "appraisal",
                            "绩效考核与员工关系",
                            "Performance review and employee relations",
                            Quarterly,
                        ),
                        duty(
                            "pay",
                            "薪酬福利与企业文化",
                            "Compensation, benefits and culture",
                            Monthly,
                        ),
                    ],
                ),
                pos(
                    "hr-specialist",
                    t("人力资源专员", "HR specialist"),
                    Some("hr-head"),
                    false,
                    &[duty(
                        "recruit-train",
                        "招聘与培训",
                        "Recruiting and training",
                        Weekly,
                    )],
                ),
            ],
            duties: &[],
        },
        DepartmentTemplate {
            key: "finance",
            name: t("财务部", "Finance"),
            parent: Some("ops"),
            positions: &[
                pos(
                    "finance-head",
                    t("财务部经理", "Head of finance"),
                    Some("ops-head"),
                    true,
                    &[
                        duty(
                            "statements",
                            "财务报表与分析",
                            "Financial statements and analysis",
                            Monthly,
                        ),
                        duty("funds", "资金管理", "Fund management", Weekly),
                    ],
                ),
                pos(
                    "accountant",
                    t("会计", "Accountant"),
                    Some("finance-head"),
                    false,
                    &[
                        duty(
                            "costs",
                            "成本核算与费用控制",
                            "Cost accounting and expense control",
                            Weekly,
                        ),
                        duty(
                            "reconcile",
                            "与采购、运营核对数据准确",
                            "Reconcile figures with purchasing and operations",
                            Monthly,
                        ),
                    ],
                ),
            ],
            duties: &[],
        },
    ],
};

const PLAN3: Template = Template {
    id: "plan3",
    name: t(
        "店长负责·岗位分工",
        "Store-manager-led, positions within departments",
    ),
    summary: t(
        "店长统筹；店铺运营、采购、仓储、市场、财务、人力资源六个部门，经理与专员岗位职责明确。",
        "A store manager leads six departments — store operations, purchasing, warehousing, marketing, finance and HR — each with a manager and specialists with clear duties.",
    ),
    departments: &[
        DepartmentTemplate {
            key: "store-ops",
            name: t("店铺运营部门", "Store operations"),
            parent: None,
            positions: &[
                pos(
                    "store-manager",
                    t("店长", "Store manager"),
                    None,
                    true,
                    &[
                        duty(
                            "overall",
                            "全面负责店铺运营，制定战略并协调各部门",
                            "Run the store overall: strategy and coordination",
                            Weekly,
                        ),
                        duty(
                            "monthly-plan",
                            "审批月度计划",
                            "Approve the monthly plan",
                            Monthly,
                        ),
                    ],
                ),
                pos(
                    "product-manager",
                    t("产品经理", "Product manager"),
                    Some("store-manager"),
                    false,
                    &[duty(
                        "listing",
                        "商品上架、分类与优化",
                        "List, categorise and optimise products",
                        Daily,
                    )],
                ),
                pos(
                    "promotion-manager",
                    t("促销经理", "Promotion manager"),
                    Some("store-manager"),
                    false,
                    &[duty(
                        "promotions",
                        "策划并执行促销活动",
                        "Plan and run promotions",
                        Weekly,
                    )],
                ),
                pos(
                    "cs-manager",
                    t("客户服务经理", "Customer service manager"),
                    Some("store-manager"),
                    false,
                    &[duty(
                        "service",
                        "客户咨询、投诉与售后管理",
                        "Manage inquiries, complaints and after-sales",
                        Daily,
                    )],
                ),
                pos(
                    "data-manager",
                    t("数据分析经理", "Data analysis manager"),
                    Some("store-manager"),
                    false,
                    &[duty(
                        "report",
                        "运营数据分析报告",
                        "Operating data analysis report",
                        Weekly,
                    )],
                ),
            ],
            duties: &[],
        },
        DepartmentTemplate {
            key: "purchasing",
            name: t("采购部门", "Purchasing"),
            parent: Some("store-ops"),
            positions: &[
                pos(
                    "purchasing-manager",
                    t("采购经理", "Purchasing manager"),
                    Some("store-manager"),
                    true,
                    &[duty(
                        "plan",
                        "制定采购计划，管理供应商与质量",
                        "Make purchasing plans; manage suppliers and quality",
                        Monthly,
                    )],
                ),
                pos(
                    "purchasing-specialist",
                    t("采购专员", "Purchasing specialist"),
                    Some("purchasing-manager"),
                    false,
                    &[duty(
                        "quotes",
                        "询价比价、下单并跟踪按时到货",
                        "Get quotes, compare prices, order and track on-time arrival",
                        Daily,
                    )],
                ),
            ],
            duties: &[],
        },
        DepartmentTemplate {
            key: "warehouse",
            name: t("仓储部门", "Warehousing"),
            parent: Some("store-ops"),
            positions: &[
                pos(
                    "warehouse-manager",
                    t("仓储经理", "Warehouse manager"),
                    Some("store-manager"),
                    true,
                    &[duty(
                        "planning",
                        "仓储规划、库存管理与安全",
                        "Warehouse planning, inventory and safety",
                        Weekly,
                    )],
                ),
                pos(
                    "warehouse-specialist",
                    t("仓储专员", "Warehouse specialist"),
                    Some("warehouse-manager"),
                    false,
                    &[
                        duty(
                            "receive-ship",
                            "收货与发货",
                            "Receive and ship goods",
                            Daily,
                        ),
                        duty(
                            "stock-count",
                            "库存盘点，确保账实相符",
                            "Stock count so records match the shelves",
                            Monthly,
                        ),
                    ],
                ),
            ],
            duties: &[],
        },
        DepartmentTemplate {
            key: "marketing",
            name: t("市场部门", "Marketing"),
            parent: Some("store-ops"),
            positions: &[
                pos(
                    "marketing-manager",
                    t("市场经理", "Marketing manager"),
                    Some("store-manager"),
                    true,
                    &[duty(
                        "research",
                        "市场调研、品牌建设与竞品分析",
                        "Market research, brand building and competitor analysis",
                        Monthly,
                    )],
                ),
                pos(
                    "marketing-specialist",
                    t("市场专员", "Marketing specialist"),
                    Some("marketing-manager"),
                    false,
                    &[
                        duty(
                            "online",
                            "线上推广与媒体合作",
                            "Online promotion and media",
                            Weekly,
                        ),
                        duty("events", "线下活动执行", "Run offline events", AsNeeded),
                    ],
                ),
            ],
            duties: &[],
        },
        DepartmentTemplate {
            key: "finance",
            name: t("财务部门", "Finance"),
            parent: Some("store-ops"),
            positions: &[
                pos(
                    "finance-manager",
                    t("财务经理", "Finance manager"),
                    Some("store-manager"),
                    true,
                    &[duty(
                        "budget",
                        "财务规划、成本控制与资金管理",
                        "Financial planning, cost control and funds",
                        Monthly,
                    )],
                ),
                pos(
                    "finance-specialist",
                    t("财务专员", "Finance specialist"),
                    Some("finance-manager"),
                    false,
                    &[
                        duty("books", "记账", "Bookkeeping", Daily),
                        duty(
                            "tax",
                            "纳税申报与财务报表",
                            "Tax filing and statements",
                            Monthly,
                        ),
                    ],
                ),
            ],
            duties: &[],
        },
        DepartmentTemplate {
            key: "hr",
            name: t("人力资源部门", "Human resources"),
            parent: Some("store-ops"),
            positions: &[
                pos(
                    "hr-manager",
                    t("人力资源经理", "HR manager"),
                    Some("store-manager"),
                    true,
                    &[duty(
                        "people",
                        "招聘、培训、考核与员工关系",
                        "Recruiting, training, appraisal and relations",
                        Monthly,
                    )],
                ),
                pos(
                    "hr-specialist",
                    t("人力资源专员", "HR specialist"),
                    Some("hr-manager"),
                    false,
                    &[duty(
                        "execution",
                        "招聘渠道、培训组织与考核执行",
                        "Recruiting channels, training sessions and appraisal execution",
                        Weekly,
                    )],
                ),
            ],
            duties: &[],
        },
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_template_has_unique_keys_and_resolvable_reporting_lines() {
        for tpl in TEMPLATES {
            let mut positions = HashSet::new();
            let mut depts = HashSet::new();
            for d in tpl.departments {
                assert!(depts.insert(d.key), "{}: department {}", tpl.id, d.key);
                assert_eq!(
                    d.positions.iter().filter(|p| p.head).count(),
                    1,
                    "{}: {}",
                    tpl.id,
                    d.key
                );
                for p in d.positions {
                    assert!(positions.insert(p.key), "{}: position {}", tpl.id, p.key);
                }
            }
            for d in tpl.departments {
                if let Some(parent) = d.parent {
                    assert!(depts.contains(parent), "{}: parent {parent}", tpl.id);
                }
                for p in d.positions {
                    if let Some(boss) = p.reports_to {
                        assert!(positions.contains(boss), "{}: {boss}", tpl.id);
                    }
                    let mut duties = HashSet::new();
                    for duty in p.duties {
                        assert!(
                            duties.insert(duty.key),
                            "{}: {}/{}",
                            tpl.id,
                            p.key,
                            duty.key
                        );
                        assert!(!duty.text.zh.is_empty() && !duty.text.en.is_empty());
                    }
                }
            }
        }
    }

    #[test]
    fn templates_are_found_by_id() {
        assert!(template("plan1").is_some());
        assert!(template("plan3").is_some());
        assert!(template("plan4").is_none());
    }
}
