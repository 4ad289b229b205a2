"""``manage.py import_taizhang FILE --as USERNAME [--sheet NAME] [--mapping FILE.json] [--dry-run] [--format json]``:
a bureau's own 台账 read by column mapping, for batch use. The dry run prints the header rows found, the mapping with
units, the rows read and skipped (with reasons), the problems and the totals in 万元; without ``--dry-run`` the file
is committed by the same service as the page (all or nothing, one audited change)."""

import json
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.core.uploads import UploadRefused
from zhaoshang.projects.taizhang.commit import TaizhangImportError, taizhang_commit
from zhaoshang.projects.taizhang.preview import taizhang_preview
from zhaoshang.projects.taizhang.reading import TaizhangUnreadable


def preview_data(preview) -> dict:
    """The dry run as plain data (also the page's stored summary)."""
    return {
        "sheets": [
            {
                "sheet": s.sheet,
                "header_rows": s.header_rows,
                "mapping_source": s.source,
                "mapping": [c.as_dict() | {"field_label": c.field_label} for c in s.columns],
                "rows_read": s.rows_read,
                "skipped": [{"row": r, "reason": reason} for r, reason in s.skipped],
            }
            for s in preview.sheets
        ],
        "unread_sheets": [{"sheet": name, "reason": reason} for name, reason in preview.unread],
        "problems": preview.messages(),
        "totals": [
            {
                "header": t.header,
                "field": t.field,
                "unit": t.unit,
                "before": {unit: str(value.normalize()) for unit, value in t.before.items()},
                "after_wan": str(t.after_wan),
                "cells": t.cells,
            }
            for t in preview.totals
        ],
        "counts": preview.counts(),
        "rows": [
            {
                "sheet": r.sheet,
                "row": r.row,
                "name": r.name,
                "investor": r.investor,
                "investor_status": r.investor_status,
                "outcome": r.outcome,
                "verdict": r.verdict,
                "amount_wan": None if r.amount_wan is None else str(r.amount_wan),
                "funding_entries": r.entries,
                "notes": r.notes,
                "candidate": r.candidate,
                "number": r.number,
            }
            for r in preview.rows
        ],
    }


def _mappings(path: str, sheet: str) -> dict | None:
    """A mapping file: {sheet name: [columns]} or, for one sheet, [columns] / {"mapping": [columns]} as the dry
    run prints them (so a printed mapping can be edited and given back)."""
    if not path:
        return None
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(data, dict) and "sheets" in data:
        return {s["sheet"]: s["mapping"] for s in data["sheets"]}
    if isinstance(data, dict) and "mapping" in data:
        data = data["mapping"]
    if isinstance(data, list):
        return {"__all__": data} if not sheet else {sheet: data}
    return data


class Command(BaseCommand):
    help = "导入本单位自有的项目台账（按列映射识别单位、日期和阶段）；--dry-run 只检查不写入"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--as", dest="username", required=True, help="以该用户的身份和辖区导入")
        parser.add_argument("--sheet", default="", help="只导入该工作表")
        parser.add_argument("--mapping", default="", help="列映射 JSON 文件（格式同 --dry-run 输出的 mapping）")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--format", choices=("json", "text"), default="text")

    def handle(self, *args, **options):
        from zhaoshang.accounts.models import User

        try:
            actor = User.objects.get(username=options["username"], is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"用户 {options['username']} 不存在或已停用") from None
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        content = path.read_bytes()
        mappings = _mappings(options["mapping"], options["sheet"])
        try:
            if mappings and "__all__" in mappings:
                from zhaoshang.projects.taizhang.reading import read_taizhang

                book = read_taizhang(content)
                mappings = {t.sheet: mappings["__all__"] for t in book.tables}
            if options["dry_run"]:
                data = preview_data(
                    taizhang_preview(actor=actor, content=content, mappings=mappings, sheet=options["sheet"])
                )
            else:
                summary = taizhang_commit(
                    actor=actor, content=content, source_name=path.name, mappings=mappings, sheet=options["sheet"]
                )
                data = {"committed": True, **{k: v for k, v in summary.items() if k != "created"}}
                data["created"] = len(summary["created"])
        except (UploadRefused, TaizhangUnreadable) as error:
            raise CommandError(getattr(error, "message", str(error))) from None
        except TaizhangImportError as error:
            data = {"committed": False, "problems": error.messages}
        except ValueError as error:  # a mapping file that names an unknown field or unit
            raise CommandError(str(error)) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_plain))
        else:
            self.stdout.write(_text(data))
        if data.get("committed") is False:
            raise CommandError(f"未导入：{len(data['problems'])} 处问题")


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def _text(data: dict) -> str:
    lines = []
    for sheet in data.get("sheets", []):
        lines.append(
            f"工作表“{sheet['sheet']}”：表头在第{'、'.join(map(str, sheet['header_rows']))}行"
            f"（{sheet['mapping_source']}）"
        )
        for column in sheet["mapping"]:
            if column["field"] != "ignore":
                unit = f"，单位{column['unit']}" if column["unit"] else ""
                month = f"，月份{column['month']}" if column["month"] else ""
                lines.append(f"  {column['header']} → {column['field_label']}{unit}{month}")
        lines.append(f"  读取 {sheet['rows_read']} 行，跳过 {len(sheet['skipped'])} 行")
        lines += [f"  跳过第{s['row']}行：{s['reason']}" for s in sheet["skipped"]]
    for total in data.get("totals", []):
        before = "，".join(f"{v}{u}" for u, v in total["before"].items())
        lines.append(f"合计 {total['header']}：{before or '0'} → {total['after_wan']}万元")
    lines += [f"问题：{p}" for p in data.get("problems", [])]
    for key, value in data.items():
        if key not in ("sheets", "totals", "problems", "rows", "unread_sheets"):
            lines.append(f"{key}: {value}")
    return "\n".join(lines)
