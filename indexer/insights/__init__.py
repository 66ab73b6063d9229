"""Beyond finding articles: saved searches, alerts and other views over search results."""
