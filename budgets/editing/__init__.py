"""The chief's editor of a draft plan.

`base` holds what every page shares (access, the version check, confirm-then-delete,
writing rows) and `forms` the pages' form machinery. Each page is one module with its
forms, services and views: `profile`, `members`, `columns`, `contributions`, `lines`,
`chapters`, `meetings` (meetings and activities; `rows` is what they share with the
chapters) and `grid`. The interventions pages live in `interventions`.
"""
