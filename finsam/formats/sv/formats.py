"""Dates as 2026-11-29 and times as 2026-11-29 14:03, in Swedish and English alike.

Django's own Swedish formats write "29 november 2026" and its English ones "Nov. 29,
2026", and both read 11/29/2026 as a date. The app shows and reads ISO dates only, so a
date typed or shown anywhere (the plan page, the history, the admin) means one thing.
Everything not named here (numbers, first day of the week) comes from Django's formats.
"""

DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "Y-m"
MONTH_DAY_FORMAT = "m-d"

DATE_INPUT_FORMATS = ["%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M"]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M:%S.%f", "%H:%M"]
