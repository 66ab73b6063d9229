"""The OpenSearch engine: the same search API over an OpenSearch index, through
opensearch-py. Chosen by an ``http(s)://HOST:PORT[,HOST:PORT...]/NAME`` location."""
