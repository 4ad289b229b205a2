"""Writes of the aftercare app, one module per topic; each service is keyword-only, atomic and audited."""
