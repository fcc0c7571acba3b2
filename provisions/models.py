"""What the documents say: the taxonomy, provisions and silences (built in the provisions issue)."""
