"""Insights (R13–R15, R18, R19): emotion-based CX next to NPS/CSAT, honest resolution, service levels,
surveys, the root-cause board and churn risk. Figures come from one row per contact (`ContactFact`) and
daily rollups kept current as data arrives, so dashboards never scan history."""
