"""The shared objectives the web tests import (docs/web.md, "Objectives on the web"): two
customer groups and three objectives of the test place's council and trust (web_place.py).
With them the place's £1,000.00 + £2,000.25 serve a group with an objective and the council's
£250.50 one without."""

from __future__ import annotations

GROUPS = (
    "customer_group,description,spend_labels\n"
    "Older people,Residents aged 65 and over,\n"
    "Families with children,Households with a child under 18,Children and families\n"
)
OBJECTIVES = (
    "partner,objective,customer_group,outcome,direction,target,measure,resource\n"
    "cc,Help older people stay at home,Older people,Emergency hospital admissions,reduce,"
    "10% fewer by 2027,admissions per 1000 aged 65+,\n"
    "trust,Fewer avoidable admissions,Older people,Emergency hospital admissions,reduce,"
    "5% fewer by 2026,admissions per 100000 aged 65+,\n"
    "trust,Discharge to assess,Older people,Care home placements,increase,"
    "200 more short-term places,placements per month,\n"
)
SENTENCE = (
    "In 2024/25, £3,000.25 of the £3,250.75 the partners spend (92.3%) goes to customer "
    "groups they have an objective for; £250.50 to groups they have none for."
)
