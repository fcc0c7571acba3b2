"""What the archive tells the apps that build on it, without knowing them."""

from django.dispatch import Signal

# Sent inside the recording transaction with `version`, once a new version (with its change) is recorded.
version_recorded = Signal()
