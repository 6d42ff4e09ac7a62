"""Alembic's entry point: runs the migrations on the connection the store hands over.

The store (:mod:`warmonitor.store.sql`) calls this under its own lock, so two processes opening a
new database at once migrate it once.
"""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, transactional_ddl=connection.dialect.name == "postgresql")
with context.begin_transaction():
    context.run_migrations()
