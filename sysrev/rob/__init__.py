"""RoB 2 (Cochrane risk-of-bias tool for randomized trials, version 2): forms, the official algorithm, checks,
double assessment and robvis-style plots. See docs/rob.md."""
