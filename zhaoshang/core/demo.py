"""The demo accounts' one password (README). Accounts creates the accounts; production refuses this password."""

DEMO_PASSWORD = "Yunnan#2026"
