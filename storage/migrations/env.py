"""Alembic runs the catalog's migrations on the connection `storage.catalog.migrate` hands it."""
from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
