"""loopscope's stand-in for the `wikipedia` package (PyPI "wikipedia").

Programs run by loopscope import it when no real `wikipedia` is installed
(an installed one comes first on sys.path and wins). It keeps the real
package's calls, arguments, caching and exceptions, and is a blocking
call as the real one is: each fetch is one GET with libcurl
(_loopscope.http_get), drawn as `blocked` on the caller's line with its
HTTP phases, from loopscope's own page server on the variant's clock
(LOOPSCOPE_WIKI_URL, set by loopscope), or from --wiki-url, or from the
real French Wikipedia's summary API with --online.

What it cannot be is the whole of Wikipedia: a page's `content` is its
summary, `search` finds a title only when a page has that title, and
`suggest` has no suggestion. As in the real package, the exceptions are
in wikipedia.exceptions too.
"""

import json
import os
import re
import urllib.parse

import _loopscope

ODD_ERROR_MESSAGE = "This shouldn't happen. Please report on GitHub: " \
    "github.com/goldsmith/Wikipedia"

__all__ = ['set_lang', 'set_user_agent', 'set_rate_limiting', 'summary',
           'page', 'search', 'suggest', 'WikipediaPage',
           'WikipediaException', 'PageError', 'DisambiguationError',
           'RedirectError', 'HTTPTimeoutError']

API_URL = 'http://en.wikipedia.org/w/api.php'
USER_AGENT = 'wikipedia (https://github.com/goldsmith/Wikipedia/)'
_lang = 'en'
_cache = {}
_TIMEOUT = 10.0


from .exceptions import (WikipediaException, PageError,
                         DisambiguationError, RedirectError,
                         HTTPTimeoutError)
from . import exceptions


def set_lang(prefix):
    """Change the language of the pages asked for; clears the cache."""
    global API_URL, _lang
    _lang = prefix.lower()
    API_URL = 'http://' + _lang + '.wikipedia.org/w/api.php'
    _cache.clear()


def set_user_agent(user_agent_string):
    global USER_AGENT
    USER_AGENT = user_agent_string


def set_rate_limiting(rate_limit, min_wait=None):
    """Accepted and ignored: loopscope's pages need no rate limit."""


def _base():
    url = os.environ.get('LOOPSCOPE_WIKI_URL')
    if url:
        return url
    return 'https://' + _lang + '.wikipedia.org/api/rest_v1/page/summary/'


def _timeout():
    try:
        return float(os.environ.get('LOOPSCOPE_HTTP_TIMEOUT', _TIMEOUT))
    except ValueError:
        return _TIMEOUT


def _fetch(title):
    """The summary document of a page (a blocking GET), cached."""
    key = (_base(), title)
    if key in _cache:
        return _cache[key]
    url = _base() + urllib.parse.quote(title.replace(' ', '_'), safe='')
    try:
        status, body = _loopscope.http_get(url, _timeout())
    except TimeoutError:
        raise HTTPTimeoutError(title) from None
    if status == 404:
        raise PageError(None, title)
    if status != 200:
        raise WikipediaException('HTTP {0} for "{1}"'.format(status, title))
    doc = json.loads(body)
    if doc.get('type') == 'disambiguation':
        raise DisambiguationError(doc.get('title', title), [])
    _cache[key] = doc
    return doc


def _sentences(text, n):
    parts = re.split(r'(?<=[.!?])\s+', text.strip())
    return ' '.join(parts[:n])


def summary(title, sentences=0, chars=0, auto_suggest=True, redirect=True):
    """Plain text summary of the page, as wikipedia.summary gives it."""
    text = _fetch(title).get('extract', '')
    if sentences:
        return _sentences(text, sentences)
    if chars:
        return text[:chars] + ('...' if len(text) > chars else '')
    return text


def page(title=None, pageid=None, auto_suggest=True, redirect=True,
         preload=False):
    """A WikipediaPage for the page titled title."""
    if title is not None:
        return WikipediaPage(title, redirect=redirect, preload=preload)
    if pageid is not None:
        raise PageError(pageid)
    raise ValueError("Either a title or a pageid must be specified")


def search(query, results=10, suggestion=False):
    """The titles matching query: here, the page titled so, if any."""
    try:
        found = [_fetch(query).get('title', query)][:results]
    except PageError:
        found = []
    return (found, None) if suggestion else found


def suggest(query):
    return None


class WikipediaPage(object):
    """A page: its title, url, summary and content (its summary)."""

    def __init__(self, title=None, pageid=None, redirect=True,
                 preload=False, original_title=''):
        if title is None:
            raise ValueError("Either a title or a pageid must be specified")
        self.original_title = original_title or title
        doc = _fetch(title)
        self.title = doc.get('title', title)
        self.pageid = str(doc.get('pageid', ''))
        urls = doc.get('content_urls', {}).get('desktop', {})
        self.url = urls.get('page') or (
            'https://' + _lang + '.wikipedia.org/wiki/' +
            urllib.parse.quote(self.title.replace(' ', '_')))
        self._summary = doc.get('extract', '')

    def __repr__(self):
        return "<WikipediaPage '{}'>".format(self.title)

    def __eq__(self, other):
        try:
            return (self.pageid == other.pageid and
                    self.title == other.title and self.url == other.url)
        except AttributeError:
            return False

    @property
    def summary(self):
        return self._summary

    @property
    def content(self):
        return self._summary
