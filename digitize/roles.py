"""The roles a person or an API key may have (what each may do: the README's API section)."""
ROLES = ("counter", "portal", "archivist", "admin")
