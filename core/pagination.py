"""Workspace lists one page at a time, with the public search's ``?sida=``.

Every list a national administrator opens grows with the country (290 kommuner,
years of promises and follow-ups), so each is cut into pages here and shown
with ``components/_pagination.html``.
"""

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 25
PAGE_PARAMETER = "sida"


def page_of(request: HttpRequest, object_list, *, per_page: int = PAGE_SIZE) -> Page:
    """The page of ``object_list`` that ``?sida=`` asks for; two queries on a queryset.

    A page number that is not a number, or below 1, gives the first page and one
    past the end the last, so an old bookmark or an edited address never fails.
    ``page.numbers`` is the page range to show, ``None`` where pages are left out.
    """
    paginator = Paginator(object_list, per_page)
    try:
        number = int(request.GET.get(PAGE_PARAMETER, ""))
    except ValueError:
        number = 1
    number = min(max(number, 1), paginator.num_pages)
    page = paginator.page(number)
    page.numbers = [
        n if isinstance(n, int) else None
        for n in paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)
    ]
    return page


def page_number(position: int, *, per_page: int = PAGE_SIZE) -> int:
    """The page on which the row with zero-based ``position`` in the list is shown."""
    return position // per_page + 1
