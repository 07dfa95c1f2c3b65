"""Writes of the surveys app, one module per area:

- questionnaires: load an XLSForm (versions), export it back
- submissions: validate and store answers (web, API, Kobo import), idempotent by UUID
- campaigns: campaigns, invitations, reminders, e-mail, collection drafts
- reviews: described cooperations into the registry
"""
