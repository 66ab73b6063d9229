"""``python -m indexer`` runs the newsearch command."""

from indexer.cli import main

main()
