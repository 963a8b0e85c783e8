# One function per operation: (core, path arguments, parameters as JSON, per-call options).
# A call answers with JSON text (None when the API answers nothing); a list with its PageFetcher.
