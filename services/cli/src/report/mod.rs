//! The assessor's report: Markdown and self-contained HTML from evaluations. Pure: no I/O.
