from django.http import Http404


def municipality_detail(request, slug):
    raise Http404


def promise_detail(request, pk):
    raise Http404
