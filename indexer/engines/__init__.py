"""The engines behind the search API: ``whoosh/`` (embedded, the default) and
``opensearch/`` (a server or cluster). Only :func:`indexer.engines.whoosh.engine.open_engine`
chooses between them; nothing outside this package imports an engine's modules."""
