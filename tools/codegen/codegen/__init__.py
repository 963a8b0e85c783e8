"""OpenAPI → C++ generator for the instantly SDK (standard library only)."""
