"""The small appraisal worked by hand in tests/cba/test_cba_exact.py: three years at 25 %,
two costs and four outcomes, shared by the tests that need an appraisal with exact figures."""

EXACT_APPRAISAL = """
appraisal:
  name: Exact
  price_year: 2015/16
  start_year: 2015/16
  years: 3
  discount_rate: 0.25
  optimism_bias: [0, 0.1, 0.2, 0.3, 0.4, 0.5]
costs:
  - {description: Council team, agency: Council, type: revenue, confidence: 2,
     amounts: [1000, 500, 0]}
  - {description: NHS nurse, agency: NHS, type: in_kind, confidence: 1, amounts: [0, 250, 100]}
outcomes:
  - {description: Fewer admissions, value: 200, value_type: fiscal, agency: NHS,
     cohort: [10, 20, 0], engagement: 0.5, success: 0.5, deadweight: 0.2,
     persistence: [1, 0.5], confidence: 3, cashable: 0.5}
  - {description: Benefit paid less, value: 100, value_type: fiscal, agency: Council,
     cohort: [0, 0, 5], success: 1, confidence: 1, cashable: 1, transfer: true}
  - {description: Earnings, value: 40, value_type: economic, cohort: [10, 0, 0], success: 1,
     confidence: 6}
  - {description: Wellbeing, value: 30, value_type: social, cohort: [0, 10, 0], success: 1,
     confidence: 1}
"""
