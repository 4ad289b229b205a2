"""How the audit rows read where they hold a jurisdiction path (``core.changes``): by the names of its nodes."""

from zhaoshang.core.changes import register_audit_keys, register_audit_values

ROOT = "530000"


def path_names(value, names) -> str:
    """``530000/532300/532302/S539053`` → 楚雄彝族自治州 / 禄丰市 / 云南禄丰工业园区 (the province only when alone)."""
    if not value:
        return "—"
    codes = str(value).split("/")
    shown = codes[1:] if len(codes) > 1 and codes[0] == ROOT else codes
    return " / ".join(
        names.of("regions.Region", code, by="code") if code.isdigit() else names.of("regions.Park", code, by="code")
        for code in shown
    )


def register() -> None:
    register_audit_values("path", path_names)
    register_audit_keys({"target": "目标辖区"})
    register_audit_values("target", path_names)
