"""The project's own crawler signals."""

# Sent by the spider for an article page that is gone (404/410) or forbidden by robots.txt, with
# ``article_id``, ``url`` and ``reason``: the archive remembers it, so later runs do not ask again.
article_unavailable = object()
