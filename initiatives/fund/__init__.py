"""The neighbourhood fund (Verfügungsfonds): funds, calls, applications, jury votes, grants, receipts and reports.

A Django app of its own (label `fund`) that lives inside `initiatives/` because it builds on the initiatives:
it imports `initiatives`, never the other way round (see "Apps and their imports" in the README).
"""
