"""Pages of the registry: home, lists with facets, details, history and edit forms.

Views are thin: they check a permission predicate (``permissions.py``), read through the
selectors and write through the services with ``actor=request.user``. Objects a visitor may
not see are 404; actions a visitor may not take on an object they see are 403.

One module per subject (``urls.py`` routes them): ``home``, ``lists`` (partnerships and
projects, with facets), ``partnerships``, ``history``, ``programmes`` (and budget lines),
``documents``, ``projects`` (and co-funding rows), ``actors`` (a project's actors and roles),
``replications``; what several of them share: ``lookups`` (the object or a 404) and
``display`` (sides, totals, budget tables, breadcrumbs).
"""
