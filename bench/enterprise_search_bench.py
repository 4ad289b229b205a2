"""Enterprise search by name fragment over 1,000,000 generated enterprises on PostgreSQL.

Creates a throwaway database ``bench_enterprises_<pid>`` (dropped at the end), migrates it (the pg_trgm GIN index on
``normalised_name`` comes from investors migration 0003), generates the enterprises server-side, then prints for
each fragment the median of:

- the bare indexed SQL query (``normalised_name LIKE '%…%' LIMIT 20``: the first matches, as a typeahead
  shows them; sorting all 50,000 matches of a common fragment would cost more than finding them),
- the service's search path (``zhaoshang.investors.search.enterprise_search(user, q, 20)``: the user's scope, then
  ``EnterpriseQuerySet.search`` as one precompiled statement; the rows of
  ``Enterprise.objects.for_user(user).search(q).values(...).order_by()[:20]``, checked equal for every fragment),
- the typeahead API call (``GET /api/v1/enterprises/?q=…&brief=1`` through Django's test client), which uses it,

and the ratio service / bare (target ≤ 2×) and the typeahead median (target < 100 ms). For reference it also prints
the median of the same rows fetched through the ORM QuerySet (not part of the ratio).

    PGURL=postgres://postgres@127.0.0.1:5432 .venv/bin/python bench/enterprise_search_bench.py [rows]
"""

import os
import statistics
import sys
import time

from _support import ROOT, throwaway_database

sys.path.insert(0, str(ROOT))
SERVER = os.environ.get("PGURL", "postgres://postgres@127.0.0.1:5432")
ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
REPEAT = 21
FRAGMENTS = ["星海储能", "滇中锂电", "华光硅材", "新能源", "生物医药", "铝业", "云南金", "不存在的企业名"]

os.environ.setdefault("DJANGO_ENV", "test")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")


# One CSV line per word list, so that the SQL stays readable; names repeat a pattern no real firm has.
PLACES = "云南,昆明,曲靖,玉溪,楚雄,红河,大理,滇中,四川,成都,重庆,贵州,广东,深圳,浙江,杭州,江苏,上海,北京,湖南"
BRAND = (
    "星,海,华,光,金,银,天,宇,泰,达,盛,鑫,瑞,丰,源,科,创,远,恒,通,"
    "新,明,德,信,安,嘉,和,润,博,冠,峰,晶,隆,兴,旺,联,合,众,力,美"
)
TRADE = (
    "储能,锂电,硅材,铝业,新能源,生物医药,食品,物流,数字科技,文旅,茶业,花卉,矿业,电池材料,光伏,化工,机械,汽车,电子,建材"
)
FORM = "科技,实业,发展,控股,产业,制造,工业"
GENERATE = """
WITH parts AS (
  SELECT string_to_array('{PLACES}', ',') AS places, string_to_array('{BRAND}', ',') AS brand,
         string_to_array('{TRADE}', ',') AS trade, string_to_array('{FORM}', ',') AS form
)
INSERT INTO investors_enterprise (
  created_at, updated_at, name, normalised_name, chinese_name, english_name, former_names, short_names, credit_code,
  hq_province, hq_city, country, industry_text, size, credit_status, website, notes, yunnan_entity, is_global500,
  is_china500, is_private500, is_chain_leader, is_headquarters, source_key)
SELECT now(), now(), core || CASE WHEN g % 3 = 0 THEN '股份有限公司' ELSE '有限公司' END, core, '', '', '', '', '', '',
       '', '', '', '', '', '', '', false, false, false, false, false, false, ''
FROM (
  SELECT g, places[1 + (hashint4(g) & 2147483647) % 20] || brand[1 + (hashint4(g * 7) & 2147483647) % 40]
         || brand[1 + (hashint4(g * 13) & 2147483647) % 40] || trade[1 + (hashint4(g * 31) & 2147483647) % 20]
         || form[1 + (hashint4(g * 61) & 2147483647) % 7] || (g % 997)::text AS core
  FROM generate_series(1, %s) AS g, parts
) AS rows
"""


def median_ms(fn) -> float:
    fn()  # warm
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    with throwaway_database(f"{SERVER}/postgres", "bench_enterprises") as database:
        os.environ["DATABASE_URL"] = database  # before Django is set up in run()
        try:
            run()
        finally:
            from django.db import connections

            connections.close_all()
    print("已删除临时数据库")


def run() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from zhaoshang.accounts.models import User
    from zhaoshang.investors.models import Enterprise
    from zhaoshang.investors.names import normalise_enterprise_name
    from zhaoshang.investors.search import FIELDS, enterprise_search

    started = time.perf_counter()
    call_command("migrate", verbosity=0, skip_checks=True)
    print(f"迁移: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS investors_enterprise_normalised_name_trgm")
        cursor.execute(
            GENERATE.replace("%s", str(int(ROWS)))
            .replace("{PLACES}", PLACES)
            .replace("{BRAND}", BRAND)
            .replace("{TRADE}", TRADE)
            .replace("{FORM}", FORM)
        )
        cursor.execute(
            "CREATE INDEX investors_enterprise_normalised_name_trgm ON investors_enterprise "
            "USING gin (normalised_name gin_trgm_ops)"
        )
        cursor.execute("ANALYZE investors_enterprise")
        cursor.execute("SELECT count(*) FROM investors_enterprise")
        total = cursor.fetchone()[0]
    print(f"生成 {total:,} 家企业并建立三元组索引: {time.perf_counter() - started:.1f} s")
    user = User.objects.create_superuser("bench", password="x")
    client = Client()
    client.force_login(user)

    def bare(fragment):
        pattern = "%" + normalise_enterprise_name(fragment).replace("%", r"\%").replace("_", r"\_") + "%"

        def query():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT id, name, credit_code, hq_province FROM investors_enterprise "
                    "WHERE normalised_name LIKE %s LIMIT 20",
                    [pattern],
                )
                return cursor.fetchall()

        return query

    def service(fragment):
        def query():
            return enterprise_search(user, fragment, 20)

        return query

    def orm(fragment):
        def query():
            return list(Enterprise.objects.for_user(user).search(fragment).values(*FIELDS).order_by()[:20])

        return query

    def typeahead(fragment):
        def query():
            response = client.get("/api/v1/enterprises/", {"q": fragment, "brief": 1})
            assert response.status_code == 200, response.status_code
            return response

        return query

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN SELECT id FROM investors_enterprise WHERE normalised_name LIKE '%%星海储能%%' LIMIT 20")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    print("执行计划（星海储能）:\n" + plan)
    print(
        f"\n{'片段':<10}{'匹配数':>10}{'裸SQL(ms)':>12}{'服务(ms)':>12}{'倍数':>8}{'输入提示API(ms)':>18}"
        f"{'ORM参考(ms)':>14}"
    )
    ratios, bares, services, typeaheads, orms = [], [], [], [], []
    for fragment in FRAGMENTS:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM investors_enterprise WHERE normalised_name LIKE %s",
                ["%" + normalise_enterprise_name(fragment) + "%"],
            )
            matches = cursor.fetchone()[0]
        assert {r[0] for r in bare(fragment)()} == {row["id"] for row in service(fragment)()}
        assert service(fragment)() == orm(fragment)()
        b, s, t = median_ms(bare(fragment)), median_ms(service(fragment)), median_ms(typeahead(fragment))
        o = median_ms(orm(fragment))
        ratios.append(s / b)
        bares.append(b)
        services.append(s)
        typeaheads.append(t)
        orms.append(o)
        print(f"{fragment:<10}{matches:>10,}{b:>12.2f}{s:>12.2f}{s / b:>8.2f}{t:>18.2f}{o:>14.2f}")
    print(
        f"\n中位数：裸SQL {statistics.median(bares):.2f} ms，服务 {statistics.median(services):.2f} ms，"
        f"倍数 {statistics.median(ratios):.2f}×（目标 ≤ 2×），"
        f"输入提示 {statistics.median(typeaheads):.2f} ms（目标 < 100 ms）；"
        f"参考：ORM 查询集 {statistics.median(orms):.2f} ms"
    )


if __name__ == "__main__":
    main()
