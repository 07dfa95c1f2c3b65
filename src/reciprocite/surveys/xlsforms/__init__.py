"""The study's two questionnaires as XLSForm files, and the script that builds them."""
