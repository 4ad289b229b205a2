"""The order of the enterprise library when the officer has not picked a column: most relevant first.

A plain sort by name put the ``*ST`` companies of the A-share list first (``*`` sorts before every letter and
character). Relevance is, in this order: for a search, the enterprises whose name is the search (exactly, then as
a prefix); then the companies under risk warning (``ST`` / ``*ST``) last; then the flagged groups (世界500强 first,
then 中国500强 / 民营500强 / 链主 / 总部); then size (大型 first); then the name.
"""

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from zhaoshang.investors.choices import EnterpriseSize
from zhaoshang.investors.models.enterprise import search_terms

# A stock name under risk warning: ST, *ST, S*ST, SST followed by the company's short name (not an English word
# such as "Stellantis" or "State Grid").
RISK_WARNING = r"^(\*|S\*|S)?ST[^A-Za-z]"
SIZE_RANK = {EnterpriseSize.LARGE: 0, EnterpriseSize.MEDIUM: 1, EnterpriseSize.SMALL: 2, EnterpriseSize.MICRO: 3}


def _rank(*whens: When, default: int) -> Case:
    return Case(*whens, default=Value(default), output_field=IntegerField())


def by_relevance(rows: QuerySet, q: str = "") -> QuerySet:
    """``rows`` (enterprises) in the library's default order; ``q`` is the list's search, if any."""
    order = []
    terms = search_terms(q)
    if terms is not None:
        fragment, code = terms
        text = q.strip()
        exact = Q(normalised_name=fragment) | Q(name=text) | Q(chinese_name=text) | Q(english_name__iexact=text)
        prefix = Q(normalised_name__startswith=fragment) | Q(chinese_name__startswith=text)
        prefix |= Q(english_name__istartswith=text)
        if code:
            exact |= Q(credit_code=code)
            prefix |= Q(credit_code__startswith=code)
        rows = rows.annotate(match_rank=_rank(When(exact, then=Value(0)), When(prefix, then=Value(1)), default=2))
        order.append("match_rank")
    rows = rows.annotate(
        risk_rank=_rank(When(name__regex=RISK_WARNING, then=Value(1)), default=0),
        flag_rank=_rank(
            When(is_global500=True, then=Value(0)),
            When(
                Q(is_china500=True) | Q(is_private500=True) | Q(is_chain_leader=True) | Q(is_headquarters=True),
                then=Value(1),
            ),
            default=2,
        ),
        size_rank=_rank(*(When(size=size, then=Value(rank)) for size, rank in SIZE_RANK.items()), default=4),
    )
    return rows.order_by(*order, "risk_rank", "flag_rank", "size_rank", "name", "pk")
