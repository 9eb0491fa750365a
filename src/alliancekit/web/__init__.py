"""The explorer: a JSON API and web pages over the data found (``alliancekit serve``)."""
