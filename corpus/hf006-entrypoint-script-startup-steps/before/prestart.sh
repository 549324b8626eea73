#!/bin/sh
set -e
# migrations, then the first admin user
alembic upgrade head
python -m app.initial_data
exec "$@"
