# The "id" path converter must exist before the view modules that define routes are imported.
from gezien.web import converters  # noqa: F401
