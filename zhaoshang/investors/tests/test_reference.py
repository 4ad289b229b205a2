from zhaoshang.investors.choices import TagKind
from zhaoshang.investors.models import Enterprise, EnterpriseTag
from zhaoshang.investors.reference import Row, load_enterprises, load_rows


def test_importing_the_shipped_lists_twice_leaves_exactly_one_record_per_enterprise(db):
    # The test database was loaded once already (load_reference_data); load again, twice.
    assert load_enterprises() == (0, 0)
    assert load_enterprises() == (0, 0)
    assert Enterprise.objects.filter(source_key__startswith="fg500:").count() == 500
    assert Enterprise.objects.filter(source_key__startswith="ashare:").count() == 5524
    assert EnterpriseTag.objects.filter(kind=TagKind.GLOBAL500, year=2024).count() == 500
    assert EnterpriseTag.objects.filter(kind=TagKind.LISTED).count() == 5524
    assert Enterprise.objects.filter(is_global500=True, source_key__startswith="fg500:").count() == 500


def test_the_english_list_is_named_in_chinese_from_the_teams_file(db):
    walmart = Enterprise.objects.get(source_key="fg500:walmart")
    assert walmart.name == walmart.chinese_name == "沃尔玛公司" and walmart.english_name == "Walmart"
    assert not walmart.needs_chinese_name
    assert walmart.hq_province == "境外"
    assert walmart.tags.get(kind=TagKind.GLOBAL500).rank == 1


def test_listed_companies_carry_their_stock_code_and_province(db):
    bank = Enterprise.objects.get(source_key="ashare:000001.SZ")
    assert bank.name == "平安银行" and bank.hq_province == "广东"  # 深圳 is in 广东
    assert bank.tags.get(kind=TagKind.LISTED).code == "000001.SZ"


def test_a_list_row_joins_an_enterprise_already_entered_under_its_full_name(db):
    existing = Enterprise(name="星辰能源（集团）股份有限公司")
    existing.save()
    before = Enterprise.objects.count()
    row = Row(source_key="test:xingchen", name="星辰能源", values={"hq_province": "云南"}, tags=[])
    assert load_rows([row]) == (0, 1)
    assert load_rows([row]) == (0, 0)
    assert Enterprise.objects.count() == before
    existing.refresh_from_db()
    assert existing.source_key == "test:xingchen" and existing.hq_province == "云南"
