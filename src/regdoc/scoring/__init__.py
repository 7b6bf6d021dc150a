"""Scoring: reported values of an evaluation (evaluation), points, ranks, places and rewards under Appendix 1
(score), and the tables and explanations of the results (results)."""
