"""Hugo compatibility: reading a Hugo site's configuration and its URL rules."""
