"""The gettext catalogs, one folder per language: `<lang>/LC_MESSAGES/<domain>.po` and its `.mo`.

`salesflow.pot` is the template extracted from the code and the handbook templates (`make catalogs`).
"""
