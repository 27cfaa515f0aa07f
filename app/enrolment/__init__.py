"""Enrolment of the roster's people (不漏一人): proxy payments (代缴), coverage and gaps."""
