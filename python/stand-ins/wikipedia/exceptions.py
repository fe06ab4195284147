"""The wikipedia package's exceptions, with its messages (loopscope's
stand-in: see wikipedia/__init__.py)."""

class WikipediaException(Exception):
    """Base Wikipedia exception class."""

    def __init__(self, error):
        self.error = error

    def __str__(self):
        return 'An unknown error occured: "{0}". Please report it on ' \
            'GitHub!'.format(self.error)


class PageError(WikipediaException):
    """Exception raised when no Wikipedia matched a query."""

    def __init__(self, pageid=None, *args):
        if pageid:
            self.pageid = pageid
        else:
            self.title = args[0] if args else pageid

    def __str__(self):
        if hasattr(self, 'title'):
            return '"{0}" does not match any pages. Try another ' \
                'query!'.format(self.title)
        return 'Page id "{0}" does not match any pages. Try another ' \
            'id!'.format(self.pageid)


class DisambiguationError(WikipediaException):
    """Exception raised when a page resolves to a disambiguation page."""

    def __init__(self, title, may_refer_to):
        self.title = title
        self.options = may_refer_to

    def __str__(self):
        return '"{0}" may refer to: \n{1}'.format(self.title,
                                                  '\n'.join(self.options))


class RedirectError(WikipediaException):
    """Exception raised when a page title resolves to a redirect."""

    def __init__(self, title):
        self.title = title

    def __str__(self):
        return '"{0}" resulted in a redirect. Set the redirect property ' \
            'to True to allow automatic redirects.'.format(self.title)


class HTTPTimeoutError(WikipediaException):
    """Exception raised when a request to the Mediawiki servers times out."""

    def __init__(self, query):
        self.query = query

    def __str__(self):
        return 'Searching for "{0}" resulted in a timeout. Try again in ' \
            'a few minutes, and make sure to turn rate limiting ' \
            'on.'.format(self.query)
