"""Many people: finding sheets, scoring them in batches, and cohort statistics."""
