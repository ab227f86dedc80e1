"""The errors kg raises. Only the CLI turns them into a one-line message and an exit code."""


class KgError(Exception):
    """Base of every error kg raises on purpose; its message says how to fix the problem."""


class InputError(KgError):
    """A file or argument the user gave cannot be used."""


class OutputError(KgError):
    """A file or folder kg was asked to write cannot be written there."""


class ModelMissing(KgError):
    """The spaCy model named in the settings is not installed."""


class ScrapeError(KgError):
    """The browser or the wiki could not be used."""


class Neo4jUnavailable(KgError):
    """The Neo4j server cannot be reached or refuses the credentials."""


class GdsMissing(KgError):
    """The Neo4j server has no Graph Data Science plugin and the GDS backend was required."""
