"""One person: scores, rules, the report, the plan, 360° feedback and before/after."""
