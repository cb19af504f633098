"""The project's own crawler signals."""

# Sent by the spider for an article page that is gone (404/410) or forbidden by robots.txt, with
# ``article_id``, ``url`` and ``reason``: the archive remembers it, so later runs do not ask again.
article_unavailable = object()

# Sent by the spider for an article page that failed for a passing reason (a 5xx, a timeout, a later
# page that failed), with ``article_id``, ``url`` and ``reason``: the next run asks for it directly.
article_pending = object()

# Sent by the spider for a multi-page article one of whose later pages failed for a passing reason,
# with ``article_id``: exported as it is, and archived only when a later run gets it whole.
article_incomplete = object()

# Sent by the spider when a walk of a category listing reached the listing's last page (a page with
# entries and no next page), with ``category``: the archive may then remember the ids that walk saw.
listing_ended = object()
