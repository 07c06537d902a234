"""Who invests, who gains, and how the partners split it: pooled budgets with risk-share
rules, gain-share (including the Shapley value), payment by results and section 113
recharges. All money is exact (Decimal) and every split is penny-exact."""
