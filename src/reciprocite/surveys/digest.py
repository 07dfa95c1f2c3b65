"""The content digest of a submission's answers (same UUID + same digest = same answer)."""

import hashlib
import json


def canonical_json(data) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def content_digest(data) -> str:
    return hashlib.sha256(canonical_json(data).encode()).hexdigest()
