"""Labels of the keys the core writes into the audit trail (exports, jobs, imports, refusals) for ``core.changes``."""

from zhaoshang.core.changes import (
    count_of,
    labels_of,
    register_audit_keys,
    register_audit_section,
    register_audit_values,
)

# Kinds of background job (``core.jobs.job_start``): apps add theirs.
JOB_KINDS: dict[str, str] = {}
FORMATS = {"xlsx": "Excel 表格", "docx": "Word 文档", "pdf": "PDF 文件", "csv": "CSV 文件"}
METHODS = {"GET": "查看", "HEAD": "查看", "POST": "提交", "PUT": "修改", "PATCH": "修改", "DELETE": "删除"}


def file_name(value, names) -> str:
    """A stored file by its name, without the storage folders."""
    return str(value).rsplit("/", 1)[-1] if value else "—"


def register() -> None:
    register_audit_keys(
        {
            "value": "内容",
            "title": "名称",
            "name": "名称",
            "kind": "类型",
            "file": "文件",
            "format": "格式",
            "rows": "行数",
            "created": "新增",
            "updated": "更新",
            "reason": "理由",
            "note": "说明",
            "conditions": "筛选条件",
            "url": "访问地址",
            "method": "操作方式",
            "message": "拒绝原因",
            "suppressed": "此前一分钟内同类拒绝未单独记录的次数",
            "objects": "导入的对象",
            "export": "导出格式",
            "q": "关键词",
            "sort": "排序",
            "page": "页码",
            "page_size": "每页行数",
        }
    )
    register_audit_values("file", file_name)
    register_audit_values("format", FORMATS)
    register_audit_values("export", FORMATS)
    register_audit_values("method", METHODS)
    register_audit_values("objects", imported_objects)
    register_audit_values("kind", lambda value, names: JOB_KINDS.get(value, "后台任务"), action="job_start")
    from zhaoshang.core.models import JobStatus

    register_audit_keys({"status": "状态", "done": "已完成", "total": "总量", "reason": "原因"}, action="job_reaped")
    register_audit_values("status", labels_of(JobStatus.choices), action="job_reaped")
    # An export's raw query: its parameters are named by the row's model fields where they are fields.
    register_audit_section("query", "查询条件")


def imported_objects(value, names) -> str:
    """``{"project": {"12": 5, ...}, "enterprise": {...}}`` → ``项目 2 个、企业 1 个``."""
    from django.apps import apps

    if not isinstance(value, dict):
        return count_of("个")(value, names)
    models = {m._meta.model_name: m for m in apps.get_models() if m.__module__.startswith("zhaoshang.")}
    parts = []
    for model_name, created in value.items():
        model = models.get(model_name)
        label = str(model._meta.verbose_name) if model is not None else "对象"
        parts.append(f"{label} {len(created) if isinstance(created, dict | list) else created} 个")
    return "、".join(parts) or "—"
