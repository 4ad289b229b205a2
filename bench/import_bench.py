"""Benchmark of the project import: a 10,000-row template file (14 columns), validated and committed.

Prints rows per second and peak memory of our import on SQLite (a throwaway file under a temporary VAR_DIR) and,
when DATABASE_URL points at PostgreSQL, on a throwaway ``bench_import_<pid>`` database it creates and drops; then
imports the same file with django-import-export (a ModelResource, normal and bulk mode) and prints our speed as a
multiple of it.

    DJANGO_ENV=test .venv/bin/python bench/import_bench.py [--rows 10000] [--no-die]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DJANGO_ENV=test .venv/bin/python bench/import_bench.py
"""

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from _support import RESULT, ROOT, run_child, throwaway_database

TARGET_ROWS_PER_S = 5000

# ---------------------------------------------------------------------------------------------------------------
# Child: one database backend, set up by the environment before Django starts.


def _child(args) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_ENV", "test")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    import django

    django.setup()
    import gc
    import resource
    import time
    import tracemalloc

    from django.core.management import call_command
    from django.db import connection, transaction

    from zhaoshang.core.testing import load_platform_data, persona
    from zhaoshang.projects.importers import projects_import
    from zhaoshang.projects.models import Project
    from zhaoshang.projects.services.admission import projects_suggest_industries

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_platform_data()
    print(f"[{connection.vendor}] 建库与参考数据: {time.perf_counter() - started:.1f} s", flush=True)
    actor = persona("province_admin")
    path = Path(args.file)
    if not path.exists():
        path.write_bytes(_generate(args.rows))
    content = path.read_bytes()
    results = {"vendor": connection.vendor, "rows": args.rows}

    # Peak memory: the same import under tracemalloc, rolled back (tracemalloc slows Python, so it is not timed).
    gc.collect()
    tracemalloc.start()
    with transaction.atomic():
        report = projects_import(content=content, actor=actor)
        assert report.ok, report.errors[:5]
        transaction.set_rollback(True)
    results["peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    assert not Project.objects.exists()

    if not args.no_die:  # before ours: it is rolled back, and our committed rows would be its updates
        for bulk in (False, True):
            seconds = _die_import(content, actor, bulk=bulk, rows=args.rows)
            results["die_bulk" if bulk else "die"] = args.rows / seconds
            print(
                f"[{connection.vendor}] django-import-export{'（批量模式）' if bulk else ''}: {seconds:.1f} s，"
                f"{args.rows / seconds:,.0f} 行/秒",
                flush=True,
            )

    gc.collect()
    started = time.perf_counter()
    report = projects_import(content=content, actor=actor, source_name=path.name)
    elapsed = time.perf_counter() - started
    assert report.ok and report.created == args.rows, (report.errors[:5], report.created)
    results.update(seconds=elapsed, rows_per_s=args.rows / elapsed)
    # The import job's last step, after the rows are written: the industries the file left empty are suggested.
    started = time.perf_counter()
    suggested = projects_suggest_industries(actor=actor, project_ids=report.outcome.created)
    results.update(suggest_seconds=time.perf_counter() - started, suggested=suggested)
    started = time.perf_counter()
    again = projects_import(content=content, actor=actor)
    assert again.ok and again.created == 0 and again.unchanged == args.rows
    results["again_seconds"] = time.perf_counter() - started
    results["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"[{connection.vendor}] 本平台导入 {args.rows} 行: {elapsed:.2f} s，{results['rows_per_s']:,.0f} 行/秒；"
        f"峰值内存（tracemalloc）{results['peak_mb']:.0f} MB，进程最大常驻 {results['maxrss_mb']:.0f} MB；"
        f"再次导入同一文件 {results['again_seconds']:.2f} s，新增 0 条；"
        f"随后补充产业分类 {results['suggested']} 个项目 {results['suggest_seconds']:.2f} s（导入任务的最后一步）",
        flush=True,
    )
    for key, label in (("die", ""), ("die_bulk", "（批量模式）")):
        if key in results:
            ratio = results["rows_per_s"] / results[key]
            print(f"[{connection.vendor}] 本平台为 django-import-export{label} 的 {ratio:.1f} 倍")
    print(RESULT + json.dumps(results), flush=True)


def _generate(rows: int) -> bytes:
    """A template filled with ``rows`` realistic rows over every county: a third leads, then 在谈, 签约 and
    later stages, all 14 columns used."""
    from datetime import date, timedelta
    from io import BytesIO

    from openpyxl import load_workbook

    from zhaoshang.catalog.models import KeyIndustry
    from zhaoshang.core.importing import DATA_SHEET
    from zhaoshang.core.testing import persona
    from zhaoshang.projects.importers import project_template
    from zhaoshang.regions.models import Park, Region

    counties = list(Region.objects.counties().order_by("code"))
    parks = {}
    for park in Park.objects.active().filter(region__level=3).order_by("code"):
        parks.setdefault(park.region_id, park.name)
    industries = list(KeyIndustry.objects.order_by("sort_order").values_list("name", flat=True))
    provinces = ["广东", "上海", "浙江", "四川", "北京", "云南", "江苏", "境外（含港澳台）", "重庆", "福建"]
    stages = ["线索", "在谈", "签约", "签约", "注册", "开工", "投产", "线索", "在谈"]
    products = ["新材料", "电池材料", "硅片", "铝型材", "中药饮片", "咖啡精深加工", "数据中心", "冷链物流", "康养小镇"]
    investors = max(1, rows // 2)
    book = load_workbook(BytesIO(project_template(persona("province_admin"))))
    sheet = book[DATA_SHEET]
    base = date(2024, 1, 1)
    for i in range(rows):
        county = counties[i % len(counties)]
        stage = stages[i % len(stages)]
        signed = stage in ("签约", "注册", "开工", "投产")
        registered = base + timedelta(days=i % 300)
        investor = i % investors
        sheet.append(
            [
                f"BM-{i:06d}",
                f"{county.short_name or county.name}{products[i % len(products)]}产业化项目{i}",
                f"云南测试投资第{investor}号有限公司",
                f"9153{investor:014d}",
                county.name,
                parks.get(county.pk) if i % 4 == 0 else None,
                industries[i % len(industries)] if i % 7 else None,
                stage,
                registered.isoformat(),
                (registered + timedelta(days=40)).isoformat() if signed else None,
                (registered + timedelta(days=120)).isoformat() if stage in ("注册", "开工", "投产") else None,
                float(f"{(i % 997) * 37 + 1000}.{i % 100:02d}") if signed or i % 2 else None,
                provinces[i % len(provinces)],
                f"责任人{i % 50}",
            ]
        )
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _die_import(content: bytes, actor, *, bulk: bool, rows: int) -> float:
    """django-import-export on the same file: a ModelResource mapping the 14 columns (names to foreign keys,
    investors found or created by name), rolled back afterwards. It writes projects only — no transitions,
    agreements, audit rows or duplicate checks — so the comparison favours it."""
    import time

    import tablib
    from django.db import transaction
    from django.utils import timezone
    from import_export import fields, resources, widgets

    from zhaoshang.catalog.models import KeyIndustry
    from zhaoshang.investors.models import Enterprise
    from zhaoshang.projects.choices import Stage
    from zhaoshang.projects.models import Project
    from zhaoshang.regions.models import Park, Region

    class StageWidget(widgets.Widget):
        labels = {label: value for value, label in Stage.choices}

        def clean(self, value, row=None, **kwargs):
            return self.labels[value]

    class InvestorWidget(widgets.ForeignKeyWidget):
        def clean(self, value, row=None, **kwargs):
            found = Enterprise.objects.named(value).first()
            return found or Enterprise.objects.create(name=value, created_by=actor, updated_by=actor)

    def column(attribute, header, widget=None):
        return fields.Field(attribute=attribute, column_name=header, widget=widget or widgets.CharWidget())

    class ProjectResource(resources.ModelResource):
        external_code = column("external_code", "项目编号")
        name = column("name", "项目名称 *")
        investor = column("investor", "投资方 *", InvestorWidget(Enterprise, "name"))
        county = column("county", "县市区 *", widgets.ForeignKeyWidget(Region, "name"))
        park = column("park", "园区", widgets.ForeignKeyWidget(Park, "name"))
        key_industry = column("key_industry", "重点产业", widgets.ForeignKeyWidget(KeyIndustry, "name"))
        stage = column("stage", "阶段 *", StageWidget())
        first_signed_on = column("first_signed_on", "签约日期", widgets.DateWidget("%Y-%m-%d"))
        stage_on = column("stage_on", "阶段日期", widgets.DateWidget("%Y-%m-%d"))
        agreed_investment_wan = column("agreed_investment_wan", "协议投资额（万元）", widgets.DecimalWidget())
        source_province = column("source_province", "资金来源省份")
        responsible_person = column("responsible_person", "责任人")

        class Meta:
            model = Project
            import_id_fields = ("external_code",)
            fields = (
                "external_code",
                "name",
                "investor",
                "county",
                "park",
                "key_industry",
                "stage",
                "first_signed_on",
                "stage_on",
                "agreed_investment_wan",
                "source_province",
                "responsible_person",
            )
            use_bulk = bulk
            batch_size = 1000
            skip_diff = bulk

        def before_save_instance(self, instance, row, **kwargs):
            instance.path = instance.node_path
            instance.stage_on = instance.stage_on or instance.first_signed_on or timezone.localdate()
            instance.agreed_investment_wan = instance.agreed_investment_wan or 0
            instance.source = "import"
            instance.created_by = instance.updated_by = actor

    started = time.perf_counter()
    with transaction.atomic():
        dataset = tablib.Dataset().load(content, format="xlsx")
        result = ProjectResource().import_data(dataset, dry_run=False, raise_errors=True, use_transactions=True)
        assert not result.has_errors() and not result.has_validation_errors()
        assert Project.objects.filter(source="import").count() == rows, "django-import-export wrote every row"
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


# ---------------------------------------------------------------------------------------------------------------
# Parent: runs a child per backend and prints the summary.


def _run_child(env: dict, args, file: Path) -> dict | None:
    command = [sys.executable, __file__, "--child", "--rows", str(args.rows), "--file", str(file)]
    if args.no_die:
        command.append("--no-die")
    return run_child(command, env)[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--file")
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--no-die", action="store_true", help="skip django-import-export")
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    url = os.environ.get("DATABASE_URL", "")
    summary = []
    with tempfile.TemporaryDirectory(prefix="bench_import_") as tmp:
        file = Path(tmp) / f"项目导入_{args.rows}行.xlsx"
        env = dict(os.environ, VAR_DIR=tmp, DJANGO_ENV="test")
        env.pop("DATABASE_URL", None)
        summary.append(_run_child(env, args, file))
        if url.startswith(("postgres://", "postgresql://")):
            with throwaway_database(url, "bench_import") as database:
                summary.append(_run_child(dict(os.environ, DATABASE_URL=database), args, file))
        else:
            print("DATABASE_URL 未指向 PostgreSQL：跳过 PostgreSQL")
    print("\n== 汇总 ==")
    for result in filter(None, summary):
        line = (
            f"{result['vendor']:>10}: {result['rows_per_s']:,.0f} 行/秒（目标 ≥ {TARGET_ROWS_PER_S:,}），"
            f"峰值内存 {result['peak_mb']:.0f} MB（tracemalloc），最大常驻 {result['maxrss_mb']:.0f} MB"
        )
        if "die" in result:
            line += (
                f"；django-import-export {result['die']:,.0f} 行/秒（批量 {result['die_bulk']:,.0f}），"
                f"本平台为其 {result['rows_per_s'] / result['die']:.1f} 倍（批量模式的 "
                f"{result['rows_per_s'] / result['die_bulk']:.1f} 倍）"
            )
        print(line)
    missed = [r["vendor"] for r in filter(None, summary) if r["rows_per_s"] < TARGET_ROWS_PER_S]
    if missed or None in summary:
        print(f"未达标（目标 ≥ {TARGET_ROWS_PER_S:,} 行/秒）: " + "、".join(missed or ["子进程失败"]))
        sys.exit(1)
    print(f"全部达标（目标 ≥ {TARGET_ROWS_PER_S:,} 行/秒）")


if __name__ == "__main__":
    main()
