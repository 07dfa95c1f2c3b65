"""Small shared building blocks (abstract models, helpers) used by every app."""
