"""Our own curated records: agreements and groups the research datasets miss or end before."""
