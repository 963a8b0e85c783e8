"""The compiled half of the package (pybind11): the C++ client behind `instantly.Client`, and one
function per API operation that the generated resource classes call. Not a public API."""
import datetime
import os
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from .webhooks import EventType, HeaderSource

# pybind11 gives its classes a metaclass of its own, a subclass of `type`; naming `type` tells
# stubtest that the classes have one.
