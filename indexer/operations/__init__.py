"""Running the knowledge base: backups (and, as they come, configuration checks)."""
