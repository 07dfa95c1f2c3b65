"""The surveys part of the JSON API: ``router`` is mounted at /api/v1/surveys/.

Endpoints live in api_submissions.py and api_analysis.py, which register on this router.
"""

from ninja import Router

router = Router(tags=["surveys"])

from . import api_analysis, api_submissions  # noqa: E402, F401  (they register on router)
