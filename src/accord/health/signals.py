"""What asks for a health refresh (owned by the signs area)."""
