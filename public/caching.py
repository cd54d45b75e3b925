"""Caching of anonymous public pages, and serving them before the rest of the stack runs.

A cached page is keyed by the versions of the *scopes* it shows
(``core.publication.scope_versions``): a promise's page on ``promise:<id>``, a
kommun's page and feed on ``kommun:<slug>``, every other page (start page,
kommuner, Sverige, search, sitemap, feeds, lists) on ``national`` — plus the
epoch that renews everything (an organisation renamed). A publication renews
only the scopes it changed, so an activity report on one promise leaves every
other promise, every kommun and the start page in the cache. Further keyed by
the active language, so an English visitor never leaves English for a Swedish
one; by today's date, because "gällande" and "avslutat" follow from the signed
period and the date; by the path; and by the *canonical form of the query
parameters the view reads* — nothing else. Unknown parameters
(``?utm_source=…``, a random ``?x=123`` to bust the cache) and the order of the
parameters make no new entry. Browsers and proxies get ``Cache-Control:
public`` with an ETag and must revalidate, which turns repeat visits into cheap
304s without ever showing stale content.

Only signed-in visitors get a page of their own (the header names them). A
session cookie alone does not make a visitor signed in: a cookie that is not a
session key, or names no session, is answered from the cache like any anonymous
visit, and is told to go away (see ``core.middleware``).

``PageCacheMiddleware``, right after WhiteNoise, answers an anonymous GET or
HEAD from the cache before sessions, authentication and the rest of the stack
run. It stores and serves only what that stack answered to an anonymous request
without a session: the response on its way out, with every header the
middleware below it added (Vary, Content-Language, X-Frame-Options, the CSP,
Content-Length), so a page served early is byte for byte the page served late.
It computes the key exactly as ``public_page`` does — the language as
``LocaleMiddleware`` picks it, the scopes and the canonical parameters of the
view the URL resolves to — and lets everything else through.
"""

import copy
import gzip
import hashlib
import pickle
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.common import CommonMiddleware
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from core.http import accepts_gzip
from core.middleware import WORKSPACE_PREFIXES, could_be_a_session
from core.publication import (
    NATIONAL,
    municipality_scope,
    promise_scope,
    scope_keys,
    scope_versions,
)
from organizations.models import Organisation

PAGE_TIMEOUT = 60 * 60

#: ``request -> canonical query string`` (``""`` when the view reads none), or None when
#: the parameters are invalid: the view then answers (a 400 or 404) and nothing is cached.
#: It reads only ``request.GET``: its answer for a query string is kept (``PageCache``).
CacheKeyParams = Callable[[HttpRequest], str | None]

#: How many query strings a page remembers the canonical form of (per process).
_CANONICAL_MEMO_SIZE = 1024
#: ``resolver match -> the scopes the page shows`` (``core.publication``).
PageScopes = Callable[[ResolverMatch | None], tuple[str, ...]]


def no_parameters(request: HttpRequest) -> str:
    """For views that read no query parameter: every query string is the same page."""
    return ""


def every_parameter(request: HttpRequest) -> str:
    """The whole query string in a fixed order: safe for a view that has not said what it reads."""
    return urlencode(sorted(request.GET.lists()), doseq=True)


_MAX_SLUG_LENGTH = Organisation._meta.get_field("slug").max_length


def _kommun(kwargs: dict) -> str:
    # No kommun has a slug that long (its page is a 404, never cached): no key of its own.
    slug = kwargs["slug"]
    return municipality_scope(slug) if len(slug) <= _MAX_SLUG_LENGTH else NATIONAL


def _api_promise(kwargs: dict) -> str:
    # The API's path parameter is text until ninja validates it: only a number has a scope.
    promise_id = str(kwargs.get("promise_id", ""))
    return (
        promise_scope(int(promise_id))
        if promise_id.isdigit() and len(promise_id) <= 18
        else NATIONAL
    )


#: The pages that show one promise or one kommun, by URL name; every other page is national.
_SCOPE_BY_VIEW: dict[str, Callable[[dict], str]] = {
    "public:promise-detail": lambda kwargs: promise_scope(kwargs["pk"]),
    "public:promise-pdf": lambda kwargs: promise_scope(kwargs["pk"]),
    "public:open-data:promise-detail": _api_promise,
    "public:open-data:promise-chain": _api_promise,
    "public:open-data:promise-version": _api_promise,
    "public:municipality-detail": _kommun,
    "public:municipality-feed": _kommun,
}


def page_scopes(match: ResolverMatch | None) -> tuple[str, ...]:
    """The scopes a page shows, from its URL name and arguments; ``national`` for the rest.

    A promise page also shows the titles of its predecessor and successors: the
    resolver in ``promises.search`` renews their pages when a title changes.
    """
    scope = _SCOPE_BY_VIEW.get(match.view_name) if match is not None else None
    return (scope(match.kwargs),) if scope is not None else (NATIONAL,)


def signed_in(request: HttpRequest) -> bool:
    """Whether the request comes from a signed-in user.

    Without a session cookie the session is not touched at all. A cookie that
    names no session has already been given an empty session by
    ``core.middleware.SessionAndCacheMiddleware`` (once its key is known to be
    bogus), so asking costs nothing; a real session was loaded by then anyway.
    """
    return settings.SESSION_COOKIE_NAME in request.COOKIES and SESSION_KEY in request.session


def _cache_key(
    request: HttpRequest,
    params: str,
    scopes: tuple[str, ...] = (NATIONAL,),
    language: str | None = None,
) -> str:
    """The entry of this page in ``language`` (the active one unless given) today
    (without the scope versions, which the entry carries: see ``PageKey``)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    target = hashlib.sha256(f"{request.path}?{params}".encode()).hexdigest()
    return f"public-page:{'.'.join(scopes)}:{language}:{timezone.localdate()}:{target}"


class LocalPages:
    """This process's copies of cached pages, at most ``max_bytes`` of them, least
    recently used out first.

    A page from the shared cache costs its whole body over the network and unpickled
    on every request (a 240 kB ``/sverige/`` half the time of its early answer). A copy
    here is served only at the versions the shared cache holds — asked for, or pushed
    to this process by Redis (``core.cache.VersionWatch``) — so the guarantee is the
    shared entry's. The response is kept pickled without its bodies, so every request
    gets a response of its own to add headers to; the bodies (plain and gzip) are kept
    as they are and given to each, never copied: unpickling /sverige/'s 254 kB on every
    hit held it to 0.56 of a static file's rate.
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        #: ``entry -> (versions, the response pickled without bodies, body, gzip body, size)``
        self._pages: OrderedDict[str, tuple] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, entry: str, versions: tuple[int, ...]) -> HttpResponse | None:
        with self._lock:
            found = self._pages.get(entry)
            if found is None:
                return None
            if found[0] != versions:
                self._drop(entry)
                return None
            self._pages.move_to_end(entry)
        _versions, shell, body, gzipped, _size = found
        response = pickle.loads(shell)
        response.content = body  # bytes are immutable: shared, not copied
        if gzipped is not None:
            response.page_cache_gzip = gzipped
        return response

    def has(self, entry: str) -> bool:
        return entry in self._pages

    def put(self, entry: str, versions: tuple[int, ...], response: HttpResponse) -> None:
        body = response.content
        gzipped = getattr(response, "page_cache_gzip", None)
        shell = copy.copy(response)  # the original keeps its bodies
        shell.content = b""
        shell.__dict__.pop("page_cache_gzip", None)
        data = pickle.dumps(shell, pickle.HIGHEST_PROTOCOL)
        size = len(data) + len(body) + len(gzipped or b"")
        if size > self.max_bytes // 8:
            return  # a page that large would push out too many others
        with self._lock:
            self._drop(entry)
            self._pages[entry] = (versions, data, body, gzipped, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._pages)))

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def _drop(self, entry: str) -> None:
        found = self._pages.pop(entry, None)
        if found is not None:
            self._bytes -= found[4]


local_pages = LocalPages(settings.PAGE_CACHE_LOCAL_BYTES)


@dataclass(frozen=True)
class PageKey:
    """Where a page is cached, and the scopes whose versions it must have been built at.

    An entry is ``(versions, response)``: the epoch and scope versions read before
    the view ran, and what it answered. ``lookup`` fetches the entry and the current
    versions in one round trip (``get_many``) and serves the entry only when they
    are equal, so a renewed scope makes its pages miss at once — as a key naming the
    versions would, without a second round trip to learn them first. When this
    process has a copy (``LocalPages``), that round trip asks for the versions only,
    and with Redis not even that while the versions pushed to this process are
    trusted (``core.cache.VersionWatch``).
    """

    entry: str
    scopes: tuple[str, ...]

    def lookup(self) -> tuple[HttpResponse | None, tuple[int, ...]]:
        """The cached response (None on a miss) and the versions to store a new one at."""
        version_keys = scope_keys(*self.scopes)
        watch = getattr(cache, "version_watch", None)  # with Redis: see core.cache
        if watch is not None and local_pages.has(self.entry):
            versions = watch.get(version_keys)
            if versions is not None:
                response = local_pages.get(self.entry, versions)
                if response is not None:
                    return response, versions
        # Asked after the try above, which drops a stale copy: the round trip below then
        # fetches the entry with the versions, not in a second one.
        local = local_pages.has(self.entry)
        generation = watch.generation if watch is not None else 0
        found = cache.get_many(version_keys if local else [self.entry, *version_keys])
        if all(key in found for key in version_keys):
            versions = tuple(found[key] for key in version_keys)
            if watch is not None:
                watch.remember({key: found[key] for key in version_keys}, generation)
            if local:
                response = local_pages.get(self.entry, versions)
                if response is not None:
                    return response, versions
                found.update(cache.get_many([self.entry]))
        else:
            # Made here: no copy can have been built at them (with no shared cache at all,
            # versions are never found, and no copy is ever served).
            versions = tuple(scope_versions(*self.scopes))
        entry = found.get(self.entry)
        if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == versions:
            if getattr(entry[1], "page_cache_complete", False):
                local_pages.put(self.entry, versions, entry[1])
            return entry[1], versions
        return None, versions

    def store(self, versions: tuple[int, ...], response: HttpResponse) -> None:
        # One piece: a feed is written in some 1,600, and the WSGI server sends each
        # piece of a body on its own (a cached feed took six times as long as a page).
        response.content = response.content
        cache.set(self.entry, (versions, response), PAGE_TIMEOUT)


@dataclass
class PageCache:
    """What ``public_page`` keys a view on; the middleware finds it on the resolved view."""

    params: CacheKeyParams
    scopes: PageScopes
    #: Set once a HEAD has reached the view: only then is a HEAD answered early, so a view
    #: behind ``require_GET`` keeps answering HEAD with its 405.
    head_allowed: bool = False
    #: ``query string -> canonical form``: validating a form costs more than the rest of
    #: an early answer, and the same few query strings come again and again.
    _canonical: dict[str, str] = field(default_factory=dict)

    def canonical(self, request: HttpRequest, language: str | None = None) -> str | None:
        """``params(request)``, worked out once per valid query string (in ``language``
        when given: the early answer has activated none).

        An invalid one is asked again each time: a value may become valid (a new party).
        """
        query = request.META.get("QUERY_STRING", "")
        try:
            return self._canonical[query]
        except KeyError:
            pass
        if language is None:
            canonical = self.params(request)
        else:
            with translation.override(language):
                canonical = self.params(request)
        if canonical is not None:
            if len(self._canonical) >= _CANONICAL_MEMO_SIZE:
                self._canonical.clear()  # random query strings must not grow a worker
            self._canonical[query] = canonical
        return canonical

    def key(
        self, request: HttpRequest, match: ResolverMatch | None, language: str | None = None
    ) -> PageKey | None:
        """Where this request's page is cached, or None when its parameters are invalid."""
        canonical = self.canonical(request, language)
        if canonical is None:
            return None
        scopes = self.scopes(match)
        return PageKey(entry=_cache_key(request, canonical, scopes, language), scopes=scopes)


#: Every page's ``PageCache``, for ``forget_canonical``.
_specs: list[PageCache] = []


def forget_canonical() -> None:
    """Forget every remembered canonical form (between tests: a test counts the queries
    validating the parameters cost on a first request)."""
    for spec in _specs:
        spec._canonical.clear()


#: What is worth compressing: text, JSON, XML (HTML, the API, feeds, the sitemap).
_COMPRESSIBLE = re.compile(r"(text/|application/(json|xml|[\w.-]+\+(json|xml))\b)")
#: As ``GZipMiddleware``: below this, gzip's own header and trailer cost more than it saves.
_COMPRESS_FROM = 200
#: Level 4, not 6: /sverige/ in 1.9 ms instead of 5.1, 44 kB instead of 43.
_GZIP_LEVEL = 4


def _compress(response: HttpResponse) -> None:
    """Give a page about to be cached its gzip body, compressed once here and served to
    every visitor whose browser accepts it (``_for_client``): ``/sverige/`` is 210 kB,
    44 kB compressed, and a cached copy is sent at 0.67 of a static file's rate instead
    of 0.51 (every other page at 0.72-0.79). A cached page is the same for every
    anonymous visitor and carries no secret (no CSRF token, no session), so compressing
    it with what a visitor typed (a search) reveals nothing (BREACH)."""
    patch_vary_headers(response, ("Accept-Encoding",))
    if (
        response.has_header("Content-Encoding")
        or len(response.content) < _COMPRESS_FROM
        or not _COMPRESSIBLE.match(response.get("Content-Type", ""))
    ):
        return
    compressed = gzip.compress(response.content, compresslevel=_GZIP_LEVEL, mtime=0)
    if len(compressed) < len(response.content):
        response.page_cache_gzip = compressed


def _gzip_etag(etag: str) -> str:
    """The compressed body's own validator, as ``"<etag>-gzip"``."""
    return f'{etag[:-1]}-gzip"' if etag.endswith('"') else etag


def _gets_gzip(request: HttpRequest, response: HttpResponse) -> bool:
    return getattr(response, "page_cache_gzip", None) is not None and accepts_gzip(request)


def _etag_for(request: HttpRequest, response: HttpResponse) -> str | None:
    """The ETag of the body this client is sent: the compressed body has its own."""
    etag = response.get("ETag")
    return _gzip_etag(etag) if etag and _gets_gzip(request, response) else etag


def _for_client(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The page as this client takes it: its gzip body when it has one and the client
    accepts gzip, with ``Content-Encoding``, length and ETag to match. ``response`` is
    this request's own (unpickled for it, or just rendered and already stored)."""
    if not _gets_gzip(request, response):
        return response
    response.content = response.page_cache_gzip
    del response.page_cache_gzip
    response.headers["Content-Encoding"] = "gzip"
    response.headers["Content-Length"] = str(len(response.content))
    if response.has_header("ETag"):
        response.headers["ETag"] = _gzip_etag(response["ETag"])
    return response


def _not_modified(response: HttpResponse) -> HttpResponseNotModified:
    """A 304 carrying what the page carried, except what describes a body."""
    not_modified = HttpResponseNotModified()
    for header, value in response.headers.items():
        if header.lower() not in ("content-type", "content-length", "content-encoding"):
            not_modified.headers[header] = value
    # As CommonMiddleware gives the late path's 304.
    not_modified.headers["Content-Length"] = str(len(not_modified.content))
    return not_modified


def public_page(
    view=None, *, params: CacheKeyParams = every_parameter, scopes: PageScopes = page_scopes
):
    """Cache a public GET view for visitors who are not signed in.

    ``params`` gives the canonical form of the query parameters the view reads
    (``no_parameters`` for a view that reads none); the default keys on every
    parameter, in a fixed order. ``scopes`` names what the page shows
    (``page_scopes``: by URL name, ``national`` unless it is one promise's or one
    kommun's page).
    """
    if view is None:
        return lambda view: public_page(view, params=params, scopes=scopes)
    spec = PageCache(params=params, scopes=scopes)
    _specs.append(spec)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "HEAD":
            spec.head_allowed = True
        if request.method not in ("GET", "HEAD") or signed_in(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        key = spec.key(request, getattr(request, "resolver_match", None))
        if key is None:
            return view(request, *args, **kwargs)
        response, versions = key.lookup()
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.status_code == 200:
                response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
                patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
                _compress(response)
                key.store(versions, response)
        if response.status_code != 200:
            return response
        etag = _etag_for(request, response)
        if request.META.get("HTTP_IF_NONE_MATCH") == etag:
            not_modified = HttpResponseNotModified()
            not_modified["ETag"] = etag
            patch_vary_headers(not_modified, ("Accept-Encoding",))  # as the page's
            patch_cache_control(not_modified, public=True, max_age=0, must_revalidate=True)
            return not_modified
        # For PageCacheMiddleware: store the page as the whole stack answered it.
        response.page_cache_key = key
        response.page_cache_versions = versions
        return response

    # functools.wraps copies these onto require_safe's and login_not_required's wrappers.
    wrapped.page_cache = spec
    wrapped.public_read = True  # core.replica: an anonymous read may go to the replica
    return wrapped


#: How many paths a process remembers the route of (``_route``).
_ROUTE_MEMO_SIZE = 4096
#: ``(ROOT_URLCONF, path) -> (language, match, spec)``, or None for a path never answered
#: early. Resolving is a third of an early answer, and its outcome follows from the path
#: alone: the language is the /en/ prefix or Swedish (``prefix_default_language=False``,
#: never a cookie or Accept-Language), and the patterns are fixed once loaded.
_routes: dict[tuple[str, str], tuple[str, ResolverMatch, PageCache] | None] = {}


def _route(path: str) -> tuple[str, ResolverMatch, PageCache] | None:
    """The language, URL match and ``PageCache`` of a public page's path, as the late
    path finds them (``LocaleMiddleware``, then ``resolve`` in that language); None for
    a path that is not a cached public page, a workspace path or no page at all."""
    memo_key = (settings.ROOT_URLCONF, path)
    try:
        return _routes[memo_key]
    except KeyError:
        pass
    if is_language_prefix_patterns_used(settings.ROOT_URLCONF) != (True, False):
        # An unprefixed path's language would come from a cookie or the browser, not the
        # path: LocaleMiddleware's own choice, which this does not repeat. Never early.
        return None
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            match = resolve(path)
        except Resolver404:
            match = None
    spec = getattr(match.func, "page_cache", None) if match is not None else None
    prefix = f"/{language}/"
    unprefixed = path[len(prefix) - 1 :] if path.startswith(prefix) else path
    route = (
        None
        if spec is None or unprefixed.startswith(WORKSPACE_PREFIXES)
        else (language, match, spec)
    )
    if len(_routes) >= _ROUTE_MEMO_SIZE:
        _routes.clear()  # random paths must not grow a worker
    _routes[memo_key] = route
    return route


@receiver(setting_changed)
def _forget_routes(*, setting, **kwargs):
    if setting in ("ROOT_URLCONF", "LANGUAGE_CODE", "LANGUAGES"):
        _routes.clear()


class PageCacheMiddleware:
    """Anonymous GET and HEAD of a cached public page, answered before the rest of the stack.

    Placed right after WhiteNoise: SecurityMiddleware still adds its headers
    (nosniff, referrer policy, HSTS) to what this returns. Everything below adds
    its headers before the page is stored (see the module docstring), so an
    early page carries the same headers as a late one.

    Served early only to a request without a session cookie, or with one that
    cannot name a session (``core.middleware.could_be_a_session``), which is told
    to go away as ``SessionMiddleware`` would. A cookie that may be real goes the
    whole way: it may be a signed-in user's. Never a workspace path, never a view
    that is not a ``public_page``, never an entry the stack did not store.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # Its request half, run here as the late path runs it: the same host check.
        self.common = CommonMiddleware(get_response)

    def __call__(self, request):
        cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        anonymous = request.method in ("GET", "HEAD") and (
            cookie is None or not could_be_a_session(cookie)
        )
        if not anonymous:
            return self.get_response(request)
        early = self._early(request, bogus_cookie=cookie is not None)
        if early is not None:
            return early
        response = self.get_response(request)
        key = getattr(response, "page_cache_key", None)
        if (
            key is not None
            and cookie is None
            and response.status_code == 200
            and not response.cookies
            and not response.streaming
            and not getattr(response, "page_cache_complete", False)
        ):
            versions = response.page_cache_versions
            # Not pickled with the page: they are stored beside it.
            del response.page_cache_key, response.page_cache_versions
            response.page_cache_complete = True
            key.store(versions, response)
        # Stored as it is; sent as this client takes it (only a cached page has a gzip body).
        return _for_client(request, response)

    def _early(self, request, *, bogus_cookie: bool) -> HttpResponse | None:
        try:
            if self.common.process_request(request) is not None:  # e.g. PREPEND_WWW
                return None
        except (PermissionDenied, SuspiciousOperation):
            return None  # a host not allowed: the late path refuses it, with its error page
        route = _route(request.path_info)
        if route is None:
            return None
        language, match, spec = route
        if request.method == "HEAD" and not spec.head_allowed:
            return None
        key = spec.key(request, match, language)
        response = key.lookup()[0] if key is not None else None
        if response is None or not getattr(response, "page_cache_complete", False):
            return None
        response = _for_client(request, response)
        if request.META.get("HTTP_IF_NONE_MATCH") == response.get("ETag"):
            response = _not_modified(response)
        if bogus_cookie:
            # What SessionMiddleware does with a cookie that named no session.
            response.delete_cookie(
                settings.SESSION_COOKIE_NAME,
                path=settings.SESSION_COOKIE_PATH,
                domain=settings.SESSION_COOKIE_DOMAIN,
                samesite=settings.SESSION_COOKIE_SAMESITE,
            )
            patch_vary_headers(response, ("Cookie",))
        return response
