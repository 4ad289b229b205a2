"""What the audit administrator sees of the trail (等保 8.1.4.3 三员分立; PIPL minimum necessary).

The audit administrator searches every row but is no business user: the values a business record carries
(project names, amounts, enterprise data, search terms) are masked for them in the list, the detail page and the
export. Rows that concern administration — accounts, org units, roles, logins, locks, refusals — stay in clear,
because they are what an audit administrator audits. What a row is stays visible everywhere: when, who, from which
address, which action, which kind of object and its number, which fields changed, and the metadata of an access
(reason, fields revealed, rows exported, format).
"""

from zhaoshang.core.choices import Action

MASK = "＊＊＊"
# Objects of administration: accounts and their security records, org units, roles, tokens, the trail itself.
ADMINISTRATION_TYPES = {
    "accounts.User",
    "accounts.OrgUnit",
    "accounts.PasswordHistory",
    "accounts.RecoveryCode",
    "accounts.AccountChangeRequest",
    "auth.Group",
    "auth.Permission",
    "authtoken.Token",
    "core.AuditLog",
    "core.AuditHead",
}
# Keys that describe an access rather than carry business values.
ACCESS_METADATA = {"reason", "fields", "rows", "format", "export", "file", "by", "via", "idle", "suppressed", "method"}


def masks_business_values(user) -> bool:
    """True for the audit administrator (三员): they read the trail, not the business."""
    return bool(user.is_authenticated) and "audit_admin" in getattr(user, "role_codes", set())


def administration_actions() -> set[str]:
    return {*Action.KINDS["account"][1], *Action.REFUSALS}


def concerns_administration(row) -> bool:
    return row.object_type in ADMINISTRATION_TYPES or row.action in administration_actions()


def masked_json(value, *, key: str = ""):
    """Business values replaced by MASK, keeping the structure, the keys and the access metadata."""
    if key in ACCESS_METADATA:
        return value
    if isinstance(value, dict):
        return {k: masked_json(v, key=k) for k, v in value.items()}
    if isinstance(value, list):
        return [masked_json(v) for v in value]
    if value in (None, "", [], {}):
        return value
    return MASK


def object_shown(row) -> str:
    """The object of a masked row: its kind and number, not its name."""
    return f"编号 {row.object_id}" if row.object_id else MASK if row.object_repr else ""


def mask_row(row) -> None:
    """Mask one row in memory for display (rows are append-only; nothing is saved)."""
    row.business_masked = True
    row.object_repr = object_shown(row)
    row.before = masked_json(row.before)
    row.after = masked_json(row.after)


def rows_for(user, rows) -> list:
    """The rows as ``user`` may read them: business rows masked for the audit administrator."""
    rows = list(rows)
    if masks_business_values(user):
        for row in rows:
            if not concerns_administration(row):
                mask_row(row)
    return rows


def change_rows_for(user, row, changes: list) -> list:
    """Change rows (``core.changes.ChangeRow``) with old and new values masked, the changed marks kept."""
    from dataclasses import replace

    if not masks_business_values(user) or concerns_administration(row):
        return changes
    return [
        change
        if change.key.split(".")[-1] in ACCESS_METADATA
        else replace(
            change,
            old=MASK if change.old not in ("", "—") else change.old,
            new=MASK if change.new not in ("", "—") else change.new,
        )
        for change in changes
    ]
