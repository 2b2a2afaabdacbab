"""The neighbourhood fund (Verfügungsfonds): funds, calls, applications, jury votes, grants, receipts and reports.

A package inside `initiatives` because applications belong to residents' and initiatives' projects; its
models are imported into `initiatives.models`, so they carry the `initiatives` app label.
"""
