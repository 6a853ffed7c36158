"""Entry point for `flask --app app` and gunicorn (`app:app`)."""

import gc

from shop import create_app

app = create_app()

# What the app built at start (modules, models, templates, routes: about 200,000 objects)
# lives as long as the process. Frozen, the garbage collector's full passes skip it; they
# walked all of it every few hundred requests, a pause of about 100 ms in whichever request
# it fell (the pages' p99), and now take under a millisecond. Each gunicorn worker imports
# this module, so each freezes what it built.
gc.collect()
gc.freeze()
