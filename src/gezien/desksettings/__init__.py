"""The desk's own settings (issue 20): what an administrator changes in the desk (Meer > Instellingen,
`/api/settings`, `gezien settings`) over the environment's defaults.

`registry.py` names each setting, the GEZIEN_* variable it defaults to and how its value is checked;
`store.py` is the one accessor every reader uses (`desk_setting`), kept per process; `services.py`
saves and resets (audited, old and new value); `selectors.py` what the settings area shows.
"""
