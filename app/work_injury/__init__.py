"""Work-injury advance payment (先行支付) and project-based enrolment: notice part 三
(docs/work-injury.md)."""
